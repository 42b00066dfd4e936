#include "htree.h"

#include <stdlib.h>
#include <string.h>

static int htree_next(const char **p, const char *end, htree_entry *e)
{
	const char *sp, *nul;

	if (*p >= end)
		return 0;
	sp = memchr(*p, ' ', (size_t)(end - *p));
	nul = sp ? memchr(sp, '\0', (size_t)(end - sp)) : NULL;
	if (!nul || end - nul < 21)
		return 0;
	e->is_tree = sp - *p == 5 && !memcmp(*p, "40000", 5);
	e->name = sp + 1;
	e->len = (size_t)(nul - e->name);
	git_oid_fromraw(&e->id, (const unsigned char *)nul + 1);
	*p = nul + 21;
	return 1;
}

/* git's order of tree entries: a directory sorts as if its name ended
 * in '/'. */
static int htree_cmp(const htree_entry *a, const htree_entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	unsigned char x, y;

	if (c)
		return c;
	x = a->len > n ? (unsigned char)a->name[n] : a->is_tree ? '/' : 0;
	y = b->len > n ? (unsigned char)b->name[n] : b->is_tree ? '/' : 0;
	return x - y;
}

/* The merge of the entries of [a, a_end) and [b, b_end). */
static void htree_merge(const char *a, const char *a_end, const char *b,
			const char *b_end, htree_fn fn, void *arg)
{
	htree_entry ea, eb;
	int has_a = a && htree_next(&a, a_end, &ea);
	int has_b = b && htree_next(&b, b_end, &eb);

	while (has_a || has_b) {
		int c = !has_a ? 1 : !has_b ? -1 : htree_cmp(&ea, &eb);

		if (c != 0 || !git_oid_equal(&ea.id, &eb.id) ||
		    ea.is_tree != eb.is_tree)
			fn(arg, c <= 0 ? &ea : NULL, c >= 0 ? &eb : NULL);
		if (c <= 0)
			has_a = htree_next(&a, a_end, &ea);
		if (c >= 0)
			has_b = htree_next(&b, b_end, &eb);
	}
}

/* ---- the index ---------------------------------------------------------- */

static void htree_push(htree_index *ix, size_t *cap, size_t off)
{
	if (ix->n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		ix->offs = realloc(ix->offs, *cap * sizeof(*ix->offs));
		if (!ix->offs)
			abort();
	}
	ix->offs[ix->n++] = (uint32_t)off;
}

void htree_index_dispose(htree_index *ix)
{
	free(ix->offs);
	ix->offs = NULL;
	ix->n = 0;
}

void htree_index_build(htree_index *ix, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	size_t cap = 0;
	htree_entry e;

	htree_index_dispose(ix);
	if (len >= UINT32_MAX)
		return;
	do
		htree_push(ix, &cap, (size_t)(p - data));
	while (htree_next(&p, end, &e));
	if (p != end)
		htree_index_dispose(ix);
}

static size_t htree_common_start(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (n - i >= 4096 && !memcmp(a + i, b + i, 4096))
		i += 4096;
	while (n - i >= 64 && !memcmp(a + i, b + i, 64))
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* The length of the common end of the n bytes before a_end and b_end. */
static size_t htree_common_end(const char *a_end, const char *b_end,
			       size_t n)
{
	size_t i = 0;

	while (n - i >= 4096 &&
	       !memcmp(a_end - i - 4096, b_end - i - 4096, 4096))
		i += 4096;
	while (n - i >= 64 && !memcmp(a_end - i - 64, b_end - i - 64, 64))
		i += 64;
	while (i < n && a_end[-1 - (ptrdiff_t)i] == b_end[-1 - (ptrdiff_t)i])
		i++;
	return i;
}

/* The last index i < n with offs[i] <= x (offs[0] is 0). */
static size_t htree_floor(const uint32_t *offs, size_t n, size_t x)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (offs[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* htree_diff with b indexed; -1 when a does not parse (nothing was
 * compared then). */
static int htree_diff_indexed(const char *a, size_t alen, htree_index *ai,
			      const char *b, size_t blen,
			      const htree_index *bi, htree_fn fn, void *arg)
{
	const uint32_t *bo = bi->offs;
	size_t nb = bi->n - 1, min = alen < blen ? alen : blen;
	size_t pre = htree_common_start(a, b, min);
	size_t suf = htree_common_end(a + alen, b + blen, min - pre);
	size_t i0 = htree_floor(bo, nb + 1, pre), j = i0, pa = bo[i0];
	size_t cap = 0, k;
	htree_index mid = HTREE_INDEX_INIT;
	htree_entry e;

	if (alen >= UINT32_MAX)
		return -1;
	/* Entries [0, i0) are in the common start of both trees, entries
	 * of b from bo[j] >= blen - suf in the common end.  Parse a from
	 * bo[i0] until its entries line up with such an entry of b. */
	while (j < nb && bo[j] < blen - suf)
		j++;
	for (;;) {
		const char *p = a + pa;

		while (j < nb && bo[j] + alen < pa + blen)
			j++;
		if (bo[j] + alen == pa + blen)
			break;
		htree_push(&mid, &cap, pa);
		if (!htree_next(&p, a + alen, &e)) {
			htree_index_dispose(&mid);
			return -1;
		}
		pa = (size_t)(p - a);
	}
	htree_merge(a + bo[i0], a + pa, b + bo[i0], b + bo[j], fn, arg);
	/* a's index: the common start, the middle, the common end. */
	htree_index_dispose(ai);
	ai->n = i0 + mid.n + (nb + 1 - j);
	ai->offs = malloc(ai->n * sizeof(*ai->offs));
	if (!ai->offs)
		abort();
	memcpy(ai->offs, bo, i0 * sizeof(*bo));
	if (mid.n)
		memcpy(ai->offs + i0, mid.offs, mid.n * sizeof(*bo));
	for (k = j; k <= nb; k++)
		ai->offs[i0 + mid.n + k - j] = (uint32_t)(bo[k] + alen - blen);
	htree_index_dispose(&mid);
	return 0;
}

void htree_diff(const char *a, size_t alen, htree_index *ai, const char *b,
		size_t blen, const htree_index *bi, htree_fn fn, void *arg)
{
	if (a && b && bi && bi->n &&
	    htree_diff_indexed(a, alen, ai, b, blen, bi, fn, arg) == 0)
		return;
	htree_merge(a, a ? a + alen : NULL, b, b ? b + blen : NULL, fn, arg);
}
