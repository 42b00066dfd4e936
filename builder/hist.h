/*
 * hist: the history of the directory, from one walk of the first-parent
 * line of a revision.
 *
 * Each commit on that line is one change to the directory (a merged
 * pull request is described against its first parent).  A commit whose
 * content/ and vendors/ trees equal its parent's is skipped without
 * reading anything else; otherwise the vendors/ trees are compared
 * entry by entry, by object id, and only the vendors whose subtree
 * differs are read and compared by the change engine.  Dates are the
 * commits' own, never the wall clock.
 */
#ifndef TRUSTDIR_HIST_H
#define TRUSTDIR_HIST_H

#include <stdint.h>

#include "arena.h"
#include "change.h"
#include "repo.h"
#include "strmap.h"

typedef struct {
	char id[GIT_OID_HEXSZ + 1];
	const char *author;  /* name */
	const char *subject; /* first line of the message */
	int64_t time;        /* committer time, seconds since the epoch */
	int is_signed;       /* carries a gpgsig header (not verified) */
	int is_merge;
	size_t first, count; /* its changes: changes.items[first, first+count) */
} hist_commit;

/* A vendor's changes in one commit: changes.items[first, first+count)
 * of commits[commit].  They are contiguous, because the walk compares a
 * commit's vendors one after the other. */
typedef struct {
	size_t commit, first, count;
} hist_span;

/* A vendor's part of the history, newest first: a page or a feed about
 * one vendor reads only its spans, never a whole commit's changes (the
 * first commit of a large directory adds thousands of vendors). */
typedef struct {
	hist_span *spans;
	size_t len, cap;
} hist_vendor;

typedef struct hist {
	git_oid tip;          /* the commit the history ends at */
	int has_tip;
	struct hist_blob *blobs; /* bytes strings point into (read histories) */
	size_t n_blobs;
	arena arena;
	hist_commit *commits; /* newest first; only commits that changed */
	size_t n_commits, cap;
	change_list changes;
	size_t walked;        /* first-parent commits visited */
	size_t fresh;         /* of them, by this walk (not from a cache) */
	strmap vendors;       /* slug -> hist_vendor */
} hist;

/* Walks the first-parent line of rev.  0; -2 for a bad revision
 * (usage); -1 for a repository error, with the reason in err.  A long
 * line is walked in parts by child processes (fork): call it while the
 * process has one thread. */
int hist_walk(hist *h, repo *r, const char *rev, buf *err);
/* As hist_walk, but when the tip of known (a history walked before) is
 * on the line, only the commits after it are walked, and known's
 * commits and changes are moved behind them.  Dispose known after, in
 * any case. */
int hist_walk_since(hist *h, repo *r, const char *rev, hist *known,
		    buf *err);
/* A walk in two steps, so that its child processes walk while the
 * caller does something else (busy: a build reads the content, then
 * gives it to hist_seed): hist_begin resolves rev, cuts the line into
 * parts and starts the children; hist_end walks the first part here, collects
 * the others and joins them (and known, as hist_walk_since does) into
 * h.  hist_end or hist_abort (which stops the children) frees the job;
 * r and known must live until then. */
typedef struct hist_job hist_job;
int hist_begin(hist_job **out, repo *r, const char *rev, hist *known,
	       int busy, buf *err);
int hist_end(hist *h, hist_job *job, buf *err);
/* Gives the walk the content of its tip commit, read and loaded without
 * an error (not from the working tree): the newest version of each
 * vendor is then taken from m, not read and parsed a second time.  m
 * must live, unchanged, until hist_end returns; a model of another
 * commit is ignored. */
void hist_seed(hist_job *job, const model *m);
void hist_abort(hist_job *job);
void hist_dispose(hist *h);
/* (Re)builds the per-vendor index of h's changes. */
void hist_index(hist *h);
/* Makes h the owner of bytes (malloc'd) that its strings point into. */
void hist_own(hist *h, char *bytes);
/* hist_own, for bytes bin_map_file mapped (len of them). */
void hist_own_map(hist *h, char *bytes, size_t len);
/* The commits that changed the vendor, or NULL. */
const hist_vendor *hist_vendor_get(const hist *h, const char *slug);

/* The changes from the tree of base to the tree of head, appended to
 * out (site changes first, then vendors in name order).  0, or as
 * hist_walk. */
int hist_diff(change_list *out, repo *r, const char *base, const char *head,
	      buf *err);

#endif
