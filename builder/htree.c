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

/* A difference found, reported once the whole of a has parsed. */
typedef struct {
	htree_entry old, new;
	int has_old, has_new;
} htree_change;

typedef struct {
	htree_change *items;
	size_t n, cap;
} htree_changes;

static void htree_note(htree_changes *cs, const htree_entry *old,
		       const htree_entry *new)
{
	htree_change *c;

	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 16;
		cs->items = realloc(cs->items, cs->cap * sizeof(*cs->items));
		if (!cs->items)
			abort();
	}
	c = &cs->items[cs->n++];
	c->has_old = old != NULL;
	c->has_new = new != NULL;
	if (old)
		c->old = *old;
	if (new)
		c->new = *new;
}

/* htree_diff with b indexed; -1 when a does not parse (nothing was
 * compared then).  Both trees are read from entry starts pa and pb:
 * where their bytes agree, the entries of b inside the agreeing bytes
 * are skipped whole (memcmp, then a binary search in b's index), and
 * a has the same entries at the same distance from pa; where they do
 * not, one entry of each is parsed and merged as git orders them.  A
 * commit that changes vendors far apart in the alphabet costs a few
 * entries each, not every entry between them. */
static int htree_diff_indexed(const char *a, size_t alen, htree_index *ai,
			      const char *b, size_t blen,
			      const htree_index *bi, htree_fn fn, void *arg)
{
	const uint32_t *bo = bi->offs;
	size_t nb = bi->n - 1, pa = 0, pb = 0, j = 0, cap = 0, k;
	htree_index out = HTREE_INDEX_INIT;
	htree_changes cs = { NULL, 0, 0 };
	htree_entry ea, eb;

	if (alen >= UINT32_MAX)
		return -1;
	for (;;) {
		size_t run = htree_common_start(a + pa, b + pb,
						alen - pa < blen - pb
							? alen - pa
							: blen - pb);
		const char *p, *q;
		int c;

		k = htree_floor(bo, nb + 1, pb + run);
		for (; j < k; j++)
			htree_push(&out, &cap, bo[j] + pa - pb);
		pa += bo[k] - pb;
		pb = bo[k];
		if (pa == alen && pb == blen)
			break;
		p = a + pa;
		q = b + pb;
		if (pa < alen && !htree_next(&p, a + alen, &ea))
			goto fail;
		if (pb < blen && !htree_next(&q, b + blen, &eb))
			goto fail; /* cannot happen: b was indexed */
		c = pa == alen ? 1 : pb == blen ? -1 : htree_cmp(&ea, &eb);
		if (c != 0 || !git_oid_equal(&ea.id, &eb.id) ||
		    ea.is_tree != eb.is_tree)
			htree_note(&cs, c <= 0 ? &ea : NULL,
				   c >= 0 ? &eb : NULL);
		if (c <= 0) {
			htree_push(&out, &cap, pa);
			pa = (size_t)(p - a);
		}
		if (c >= 0) {
			j++;
			pb = (size_t)(q - b);
		}
	}
	htree_push(&out, &cap, alen);
	for (k = 0; k < cs.n; k++)
		fn(arg, cs.items[k].has_old ? &cs.items[k].old : NULL,
		   cs.items[k].has_new ? &cs.items[k].new : NULL);
	free(cs.items);
	htree_index_dispose(ai);
	*ai = out;
	return 0;
fail:
	free(cs.items);
	htree_index_dispose(&out);
	return -1;
}

void htree_diff(const char *a, size_t alen, htree_index *ai, const char *b,
		size_t blen, const htree_index *bi, htree_fn fn, void *arg)
{
	if (a && b && bi && bi->n &&
	    htree_diff_indexed(a, alen, ai, b, blen, bi, fn, arg) == 0)
		return;
	htree_merge(a, a ? a + alen : NULL, b, b ? b + blen : NULL, fn, arg);
}
