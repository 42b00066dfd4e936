/*
 * out: writes a site atomically.
 *
 * Files go into a fresh temporary directory beside the target; only
 * out_commit() puts it in place, by swapping it with the old site in
 * one rename.  A failed build calls out_abort(), which removes the
 * temporary directory and leaves the old site as it was.
 *
 * out_begin() refuses a target that is neither missing, empty, nor a
 * site trustdir wrote before (it holds the marker file), so a mistyped
 * --out can never delete someone's files.
 */
#ifndef TRUSTDIR_OUT_H
#define TRUSTDIR_OUT_H

#include <pthread.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "strmap.h"

#define OUT_MARKER ".trustdir-site"

typedef struct {
	char *target; /* the --out directory */
	char *tmp;    /* the directory being written */
	int target_exists;
	strmap dirs;  /* directories made so far, relative to tmp */
	arena names;  /* the keys of dirs */
	pthread_mutex_t lock; /* of dirs and names */
	int prev_fd;  /* the site being replaced, or -1 */
	size_t kept;  /* files linked from it, unchanged */
	size_t threads; /* that remove the old site (0 counts as 1) */
} out_site;

/* 0, or -1 with the reason in err. */
int out_begin(out_site *o, const char *target, buf *err);
/* Writes data to the relative path rel (directories are created);
 * rel may not be absolute or contain "..". 0, or -1 with err.  Threads
 * may write at once, each to its own files.  When the site being
 * replaced has the same bytes at rel, that file is linked instead: an
 * unchanged page keeps its inode and time stamp (so a sync to a server
 * sends only what changed), and costs neither a write nor a new inode. */
int out_write(out_site *o, const char *rel, const void *data, size_t len,
	      buf *err);
/* Puts the new site in place and removes the old one.  The marker file
 * records fingerprint (what the site was built from), or nothing. */
int out_commit(out_site *o, const char *fingerprint, buf *err);
/* 1 if target holds a site trustdir wrote from the same fingerprint:
 * the same commit, theme, options and program, so a build would write
 * the same bytes again. */
int out_is_current(const char *target, const char *fingerprint);
/* Removes the temporary directory; safe after a failed out_begin. */
void out_abort(out_site *o);

/* Removes a directory tree without following symbolic links, with up
 * to threads threads; 0, or -1 with errno when something stayed (a
 * missing tree is no error). */
int out_remove_tree(const char *path, size_t threads);

#endif
