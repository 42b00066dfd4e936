/*
 * hcache: the history a build walked, kept for the next build, so that
 * it walks only the commits made since (see hist_walk_since).
 *
 * The file names the program that wrote it and the commit the history
 * ends at, and ends with a CRC-32 of everything before.  A file that is
 * missing, truncated, corrupt, or written by another program (another
 * change engine may describe a commit in other words) is ignored, never
 * trusted: the build then walks the whole history and writes it anew.
 * The same format carries the history a child process of the walk
 * found back to its parent (hist.c).
 */
#ifndef TRUSTDIR_HCACHE_H
#define TRUSTDIR_HCACHE_H

#include "buf.h"
#include "hist.h"

/* The largest history file read: more is not a cache of ours. */
#define HCACHE_MAX_BYTES ((size_t)2 << 30)

/* The bytes of h in the file's format, appended to b. */
void hcache_encode(buf *b, const hist *h, const char *program);
/* Reads a history from bytes[0, len) (malloc'd; h owns them in any
 * case) into h, initialised here.  0, or -1 as hcache_load. */
int hcache_decode(hist *h, char *bytes, size_t len, const char *program);

/* Reads the history at path into h (initialised here; hist_dispose it
 * in any case).  0 when h holds a history ending at h->tip, without the
 * per-vendor index (hist_index); -1 when the file is missing or not to
 * be trusted. */
int hcache_load(hist *h, const char *path, const char *program);
/* Writes h (which has a tip) to path, atomically: a temporary file
 * beside it, renamed.  0, or -1 with the reason in err. */
int hcache_save(const hist *h, const char *path, const char *program,
		buf *err);

#endif
