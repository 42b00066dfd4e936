/*
 * mcache: the members a build read, kept for the next build, so that a
 * member whose files did not change is neither read from the
 * repository nor parsed again.
 *
 * The file holds every vendor of a valid model with the blob ids of its
 * files.  The next build lists the commit's tree, and where a vendor's
 * file has the blob id the cache names (and content/site.json, which
 * decides how vendors are read, is the one the cache was written with),
 * model_vendor_load copies that part from the cache instead of reading
 * and parsing the file (its `like` argument).  Like the history cache,
 * a file that is missing, truncated, corrupt (CRC-32) or written by
 * another program is ignored: every file is then read.
 */
#ifndef TRUSTDIR_MCACHE_H
#define TRUSTDIR_MCACHE_H

#include <git2.h>

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "repo.h"
#include "strmap.h"

/* The largest cache file read: more is not a cache of ours. */
#define MCACHE_MAX_BYTES ((size_t)4 << 30)

typedef struct {
	char *bytes;  /* the file; strings point into it */
	size_t map_len; /* bytes is mapped, this long; 0: malloc'd */
	arena arena;  /* the vendors' arrays */
	model_vendor *vendors;
	size_t n_vendors, n_principles;
	git_oid site; /* blob id of content/site.json it was read with */
	strmap index; /* slug -> vendor */
	int usable;   /* -1 unknown, 0 no (another site.json), 1 yes */
} mcache;

void mcache_init(mcache *c);
void mcache_dispose(mcache *c);

/* Reads the cache at path written by program.  0, or -1 (c stays
 * empty) when it is missing or not to be trusted. */
int mcache_load(mcache *c, const char *path, const char *program);
/* Decodes bytes[0, len) (malloc'd; c owns them in any case). */
int mcache_decode(mcache *c, char *bytes, size_t len, const char *program);
/* The cached version of vendor slug[0, len) for the snapshot snap, or
 * NULL: none, or snap's content/site.json is not the cache's. */
const model_vendor *mcache_like(void *c, const repo_snapshot *snap,
				const char *slug, size_t len);
/* For repo_read: 1 when file f of snap need not be read, the cache
 * holding what model_load would make of it. */
int mcache_skip(void *c, const repo_snapshot *snap, const repo_file *f);
/* For repo_read_skip: lists the files of the vendor directory at path
 * from the cache, when the cache has that vendor with tree id id: 1 if
 * it did. */
int mcache_tree(void *c, repo_snapshot *snap, const char *path,
		const git_oid *id, diag_list *diags);

/* The bytes of m's vendors in the file's format, appended to b; site
 * is the blob id of the content/site.json m was read from. */
void mcache_encode(buf *b, const model *m, const git_oid *site,
		   const char *program);
/* Writes them to path atomically.  0, or -1 with the reason in err. */
int mcache_save(const model *m, const git_oid *site, const char *path,
		const char *program, buf *err);

#endif
