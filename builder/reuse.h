/*
 * reuse: which members' files a build may take from the site it
 * replaces without rendering them again.
 *
 * A member's own files (its profile, its history page and feed, its
 * API file) are made from its files in the commit, its history, the
 * dates its assessments expire and its evidence goes stale, and what
 * every page shares: the program, the theme, the options and content/.
 * The key of a member is a hash of all of these; a build keeps, beside
 * the history cache, each member's key and the stamps (out_stamp) of
 * the files made from it.  The next build links a file from the old
 * site instead of rendering it when the member's key is the same and
 * the file's stamp too (so a file edited by hand there is made again).
 *
 * The table names the site it describes by the fingerprint in that
 * site's marker; a table that does not match the site in --out, or is
 * truncated, corrupt or from another program, is ignored: the build
 * then renders every page, as it would without one.
 */
#ifndef TRUSTDIR_REUSE_H
#define TRUSTDIR_REUSE_H

#include <git2.h>

#include "buf.h"
#include "model.h"
#include "out.h"
#include "strmap.h"

struct hist;

/* A member's files, in the order their stamps are kept. */
typedef enum {
	REUSE_PROFILE, /* vendors/<slug>/index.html */
	REUSE_HISTORY, /* vendors/<slug>/history/index.html */
	REUSE_FEED,    /* vendors/<slug>/history.atom */
	REUSE_API,     /* api/v1/vendors/<slug>.json */
	REUSE_FILES
} reuse_file;

typedef struct {
	unsigned char key[GIT_OID_RAWSZ];
	out_stamp stamps[REUSE_FILES];
	unsigned char made; /* bit f: stamps[f] holds the file's stamp */
} reuse_entry;

typedef struct reuse {
	reuse_entry *now; /* per model vendor, in model order */
	size_t n;
	reuse_entry *prev; /* the last build's, by slug in prev_index */
	size_t n_prev;
	strmap prev_index;
	char *prev_bytes; /* the loaded file, which prev_index's keys
			     point into */
} reuse;

void reuse_init(reuse *r);
void reuse_dispose(reuse *r);

/* The keys of m's vendors, with history h (NULL: no key is reused),
 * from base: the hex digest of what every page shares. */
void reuse_keys(reuse *r, const model *m, const struct hist *h,
		const char *base);
/* Reads the table at path, if it was written by program for the site
 * whose marker records fingerprint site_fp.  0, or -1 (nothing is
 * reused) when it is missing or not to be trusted. */
int reuse_load(reuse *r, const char *path, const char *program,
	       const char *site_fp);
/* The stamp file f of vendor i had in the site being replaced, when
 * the vendor's key did not change; else NULL. */
const out_stamp *reuse_prev(const reuse *r, const model *m, size_t i,
			    reuse_file f);
/* Where the stamp of vendor i's file f goes once it is written. */
out_stamp *reuse_slot(reuse *r, size_t i, reuse_file f);
/* Writes the table of this build (keys, and the stamps of the files
 * written) to path atomically, for the site whose marker records
 * site_fp.  0, or -1 with the reason in err. */
int reuse_save(const reuse *r, const model *m, const char *path,
	       const char *program, const char *site_fp, buf *err);

#endif
