/*
 * htree: the indexed comparison of two raw trees (the walk's) must find
 * exactly the differences the plain merge of every entry finds, and
 * derive the older tree's index exactly as indexing it would.
 *
 * Random trees, with names that are prefixes of each other and
 * directories beside files of the same name (git sorts "a" before "a-b"
 * before "a/" before "ab"), are changed in random places, many at once,
 * at the start, the end, and far apart; then trees that do not parse.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "htree.h"

#define MAX_ENTRIES 64

typedef struct {
	char name[8];
	int is_tree;
	unsigned char id;
} entry;

static uint32_t seed = 20261122;

static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/* git's order: a directory's name sorts as if it ended in '/'. */
static int entry_cmp(const void *x, const void *y)
{
	const entry *a = x, *b = y;
	char ka[10], kb[10];

	snprintf(ka, sizeof(ka), "%s%s", a->name, a->is_tree ? "/" : "");
	snprintf(kb, sizeof(kb), "%s%s", b->name, b->is_tree ? "/" : "");
	return strcmp(ka, kb);
}

static void random_name(char *name)
{
	static const char *const names[] = { "a",  "a-b", "a-bc", "ab",
					     "abc", "b",   "b0",   "ba",
					     "m",  "m-m", "mm",   "z",
					     "z-a", "za",  "zz",   "zzz" };

	if (rnd(3))
		snprintf(name, 8, "%s", names[rnd(16)]);
	else
		snprintf(name, 8, "%c%c%c", 'a' + (char)rnd(26),
			 'a' + (char)rnd(26), 'a' + (char)rnd(26));
}

/* Sorts, and drops entries whose name (and kind) repeats. */
static size_t normalise(entry *e, size_t n)
{
	size_t i, out = 0;

	qsort(e, n, sizeof(*e), entry_cmp);
	for (i = 0; i < n; i++)
		if (!out || entry_cmp(&e[out - 1], &e[i]) ||
		    strcmp(e[out - 1].name, e[i].name))
			e[out++] = e[i];
	/* a name is a file or a directory, not both */
	n = out;
	out = 0;
	for (i = 0; i < n; i++) {
		size_t k;
		int dup = 0;

		for (k = 0; k < out; k++)
			if (!strcmp(e[k].name, e[i].name))
				dup = 1;
		if (!dup)
			e[out++] = e[i];
	}
	return out;
}

static void serialise(buf *b, const entry *e, size_t n)
{
	unsigned char id[20];
	size_t i;

	buf_clear(b);
	for (i = 0; i < n; i++) {
		memset(id, e[i].id, sizeof(id));
		buf_printf(b, "%s %s", e[i].is_tree ? "40000" : "100644",
			   e[i].name);
		buf_putc(b, '\0');
		buf_put(b, (const char *)id, sizeof(id));
	}
}

static void record(void *arg, const htree_entry *old, const htree_entry *new)
{
	buf *b = arg;
	const htree_entry *e = old ? old : new;

	buf_printf(b, "%c%c %.*s %02x %02x\n", old ? 'o' : '-', new ? 'n' : '-',
		   (int)e->len, e->name, old ? old->id.id[0] : 0,
		   new ? new->id.id[0] : 0);
}

static int index_eq(const htree_index *x, const htree_index *y)
{
	return x->n == y->n &&
	       (!x->n || !memcmp(x->offs, y->offs, x->n * sizeof(*x->offs)));
}

/* Compares a (old) with b (new) both ways and checks they agree. */
static void compare(const buf *a, const buf *b, const char *what, int round)
{
	buf plain = BUF_INIT, indexed = BUF_INIT;
	htree_index bi = HTREE_INDEX_INIT, ai = HTREE_INDEX_INIT,
		    want = HTREE_INDEX_INIT;

	htree_diff(a->ptr, a->len, NULL, b->ptr, b->len, NULL, record, &plain);
	htree_index_build(&bi, b->ptr, b->len);
	OK(bi.n > 0, "%s %d: the new tree indexes", what, round);
	htree_diff(a->ptr, a->len, &ai, b->ptr, b->len, &bi, record,
		   &indexed);
	STR_EQ(indexed.len ? indexed.ptr : "", plain.len ? plain.ptr : "",
	       "%s %d: indexed diff = plain merge", what, round);
	htree_index_build(&want, a->ptr, a->len);
	if (want.n)
		OK(index_eq(&ai, &want),
		   "%s %d: the old tree's index is derived (%zu, want %zu)",
		   what, round, ai.n, want.n);
	htree_index_dispose(&bi);
	htree_index_dispose(&ai);
	htree_index_dispose(&want);
	buf_dispose(&plain);
	buf_dispose(&indexed);
}

static void random_trees(void)
{
	entry nb[MAX_ENTRIES], na[MAX_ENTRIES * 2];
	buf a = BUF_INIT, b = BUF_INIT;
	int round;

	for (round = 0; round < 3000; round++) {
		size_t n = rnd(MAX_ENTRIES), m, i, changes = rnd(6);

		for (i = 0; i < n; i++) {
			random_name(nb[i].name);
			nb[i].is_tree = rnd(4) != 0;
			nb[i].id = (unsigned char)rnd(200);
		}
		n = normalise(nb, n);
		memcpy(na, nb, n * sizeof(*nb));
		m = n;
		while (changes--) {
			size_t at = m ? rnd((uint32_t)m) : 0;

			switch (rnd(4)) {
			case 0: /* another version of an entry */
				if (m)
					na[at].id ^= 0x80;
				break;
			case 1: /* an entry the new tree lacks */
				random_name(na[m].name);
				na[m].is_tree = rnd(2);
				na[m].id = (unsigned char)rnd(200);
				m++;
				break;
			case 2: /* an entry only the new tree has */
				if (m) {
					memmove(&na[at], &na[at + 1],
						(m - at - 1) * sizeof(*na));
					m--;
				}
				break;
			default: /* a file that was a directory */
				if (m)
					na[at].is_tree = !na[at].is_tree;
			}
			m = normalise(na, m);
		}
		serialise(&b, nb, n);
		serialise(&a, na, m);
		compare(&a, &b, "random", round);
		compare(&b, &a, "reversed", round);
	}
	buf_dispose(&a);
	buf_dispose(&b);
}

/* An older tree that stops parsing (a damaged object) is compared as
 * far as it parses, as the plain merge does, and gets no index. */
static void broken_trees(void)
{
	entry e[3] = { { "a", 1, 1 }, { "b", 1, 2 }, { "c", 1, 3 } };
	buf a = BUF_INIT, b = BUF_INIT, plain = BUF_INIT, indexed = BUF_INIT;
	htree_index bi = HTREE_INDEX_INIT, ai = HTREE_INDEX_INIT;
	size_t cut;

	serialise(&b, e, 3);
	htree_index_build(&bi, b.ptr, b.len);
	for (cut = 0; cut < b.len; cut++) {
		buf_clear(&a);
		buf_put(&a, b.ptr, b.len);
		a.ptr[cut] = cut % 2 ? ' ' : '\0'; /* or a short tail */
		if (cut % 3 == 0)
			buf_truncate(&a, cut);
		buf_clear(&plain);
		buf_clear(&indexed);
		htree_diff(a.ptr, a.len, NULL, b.ptr, b.len, NULL, record,
			   &plain);
		htree_diff(a.ptr, a.len, &ai, b.ptr, b.len, &bi, record,
			   &indexed);
		STR_EQ(indexed.len ? indexed.ptr : "", plain.len ? plain.ptr : "",
		       "damaged at %zu: the same as the plain merge", cut);
	}
	htree_index_dispose(&bi);
	htree_index_dispose(&ai);
	buf_dispose(&a);
	buf_dispose(&b);
	buf_dispose(&plain);
	buf_dispose(&indexed);
}

int main(void)
{
	random_trees();
	broken_trees();
	return harness_done("test_htree");
}
