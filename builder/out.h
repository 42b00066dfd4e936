/*
 * out: writes a site atomically.
 *
 * Files go into a temporary directory beside the target, fresh or
 * started from a spare (out_recycle); only out_commit() puts it in
 * place, by swapping it with the old site in one rename.  A failed
 * build calls out_abort(), which removes the temporary directory (or
 * keeps it as the spare) and leaves the old site as it was.
 *
 * out_begin() refuses a target that is neither missing, empty, nor a
 * site trustdir wrote before (it holds the marker file), so a mistyped
 * --out can never delete someone's files.
 */
#ifndef TRUSTDIR_OUT_H
#define TRUSTDIR_OUT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "strmap.h"

#define OUT_MARKER ".trustdir-site"

/* A spare (out_recycle): a site trustdir wrote, listed by path. */
typedef struct {
	char *path;
	strmap map; /* relative path -> 1 + index in items */
	struct out_spare_item *items;
	size_t len, cap;
	arena names;
	pthread_t thread;
	int running; /* a thread of its own lists it */
	int ok;      /* listed, and what was neither file nor directory gone */
	int bad;     /* a site, but it could not be listed */
} out_spare;

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
	out_spare sp;     /* the spare tmp started from (out_recycle) */
	int tmp_fd;       /* tmp, open while the spare is used, or -1 */
} out_site;

/* What identifies a file's bytes without reading them: its inode, size
 * and modification time.  A file edited or replaced in the site by hand
 * since trustdir wrote it has another stamp. */
typedef struct {
	uint64_t ino, size;
	int64_t mtime_sec;
	int64_t mtime_nsec;
} out_stamp;

/* 0, or -1 with the reason in err. */
int out_begin(out_site *o, const char *target, buf *err);
/*
 * The spare: out_commit() keeps the site it replaces at a path on the
 * same file system (in the cache), and the next build starts its new
 * tree from the one kept there, when it is a site trustdir wrote: at
 * 10,000 vendors, linking 40,000 unchanged files into an empty tree and
 * removing the old tree cost a one-vendor rebuild 1.6 s of CPU.  The
 * kept tree is only a starting point: a file in it stays only if it is
 * the very inode, with the stamp, that out_link() is asked for; every
 * other file is written or linked anew, and out_commit() removes what
 * this build did not write.  The sites written are the same as without
 * a spare.
 *
 * out_spare_start() lists the spare at path (20,000 directories at
 * 10,000 vendors) on a thread of its own, while the build reads its
 * content; out_recycle(), after out_begin() and before anything is
 * written, waits for it and moves the spare into o's temporary
 * directory (s is then empty).  path may be NULL: no spare.
 */
void out_spare_start(out_spare *s, const char *path);
void out_spare_dispose(out_spare *s);
void out_recycle(out_site *o, out_spare *s);
/* Writes data to the relative path rel (directories are created);
 * rel may not be absolute or contain "..". 0, or -1 with err.  Threads
 * may write at once, each to its own files.  When the site being
 * replaced has the same bytes at rel, that file is linked instead: an
 * unchanged page keeps its inode and time stamp (so a sync to a server
 * sends only what changed), and costs neither a write nor a new inode. */
int out_write(out_site *o, const char *rel, const void *data, size_t len,
	      buf *err);
/* out_write, and the stamp of the file written (or linked) into stamp
 * when it is not NULL. */
int out_write_stamp(out_site *o, const char *rel, const void *data,
		    size_t len, out_stamp *stamp, buf *err);
/* out_write_stamp of the bytes of parts[0, n) one after the other,
 * written as they are (writev), never copied into one buffer: the data
 * files about every member are 40 MB at 10,000 vendors, joined from
 * their parts. */
typedef struct {
	const void *ptr;
	size_t len;
} out_part;
int out_write_parts(out_site *o, const char *rel, const out_part *parts,
		    size_t n, out_stamp *stamp, buf *err);
/* Links the site being replaced's file at rel into the new site without
 * reading it, when its stamp is still expect: for a file whose inputs
 * did not change since the build that wrote it.  1 if it did (got, when
 * not NULL, is the stamp), 0 if not (the caller writes the file), -1
 * with err when rel is not a path inside the site. */
int out_link(out_site *o, const char *rel, const out_stamp *expect,
	     out_stamp *got, buf *err);
/* The fingerprint the marker of the site at target records, into fp;
 * 0, or -1 when there is none. */
int out_fingerprint(const char *target, buf *fp);
/* Puts the new site in place, after removing what a spare it started
 * from had and this build did not write, and keeps the old site as the
 * spare (out_recycle), or removes it.  The marker file records
 * fingerprint (what the site was built from), or nothing. */
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
