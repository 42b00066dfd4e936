/*
 * htree: two raw git tree objects ("<mode> <name>\0<20-byte id>", sorted
 * in git's order) compared entry by entry, without parsing what they
 * share.
 *
 * A commit of a large directory changes a few of thousands of entries
 * of vendors/, and where two versions of a sorted tree have the same
 * bytes from two entry starts on, they have the same entries.  With an
 * index of where the newer tree's entries start, htree_diff skips such
 * runs with memcmp and parses only the entries that differ, however far
 * apart, and derives the older tree's index from the newer one's: a
 * walk from new to old indexes each tree once, in full only the first.
 */
#ifndef TRUSTDIR_HTREE_H
#define TRUSTDIR_HTREE_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	const char *name; /* not NUL-terminated */
	size_t len;
	int is_tree;
	git_oid id;
} htree_entry;

/* Where each entry starts, then the tree's size: n is the number of
 * entries + 1, or 0 for no index. */
typedef struct {
	uint32_t *offs;
	size_t n;
} htree_index;

#define HTREE_INDEX_INIT { NULL, 0 }

/* Called for each name whose entry differs; old or new is NULL when
 * only the other tree has the name. */
typedef void (*htree_fn)(void *arg, const htree_entry *old,
			 const htree_entry *new);

/* Indexes the tree data[0, len); no index when it does not parse to
 * its end. */
void htree_index_build(htree_index *ix, const char *data, size_t len);
void htree_index_dispose(htree_index *ix);

/* Calls fn for every entry that differs from tree a (old) to tree b
 * (new), in git's order; a or b may be NULL (no tree).  When bi indexes
 * b, only the bytes where the trees differ are parsed, and ai is made
 * a's index; otherwise both are parsed in full, as far as they parse. */
void htree_diff(const char *a, size_t alen, htree_index *ai, const char *b,
		size_t blen, const htree_index *bi, htree_fn fn, void *arg);

#endif
