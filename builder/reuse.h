/*
 * reuse: which files a build may take from the site it replaces without
 * rendering them again.
 *
 * The files are grouped in units, each with a key: a hash of everything
 * its files are made from.  A member is a unit: its own files (profile,
 * history page and feed, API file) are made from its files in the
 * commit, its history, the dates its assessments expire and its
 * evidence goes stale, and what every page shares: the program, the
 * theme, the options and content/.  A page of the changes archive is
 * another (history.c makes its key).  A build keeps, beside the history
 * cache, each unit's name and key with the stamps (out_stamp) of the
 * files made from it; the next build links a file from the old site
 * instead of rendering it when its unit's key is the same and the
 * file's stamp too (so a file edited by hand there is made again).
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

/* A unit's files, in the order their stamps are kept; a unit of one
 * file has it as REUSE_PROFILE. */
typedef enum {
	REUSE_PROFILE, /* vendors/<slug>/index.html */
	REUSE_HISTORY, /* vendors/<slug>/history/index.html */
	REUSE_FEED,    /* vendors/<slug>/history.atom */
	REUSE_API,     /* api/v1/vendors/<slug>.json */
	REUSE_FILES
} reuse_file;

typedef struct {
	const char *name; /* "acme" for a member, "changes/page/3" ... */
	unsigned char key[GIT_OID_RAWSZ];
	out_stamp stamps[REUSE_FILES];
	unsigned char made; /* bit f: stamps[f] holds the file's stamp;
			       REUSE_KEYED: the unit has a key */
} reuse_entry;

#define REUSE_KEYED 0x80

typedef struct reuse {
	reuse_entry *now; /* members first, in model order, then the rest */
	size_t n, cap;
	arena names;      /* the names of the units after the members */
	const char *base; /* what every page shares, as hex */
	reuse_entry *prev; /* the last build's, by name in prev_index */
	size_t n_prev;
	strmap prev_index;
	char *prev_bytes; /* the loaded file, which prev's names point into */
} reuse;

void reuse_init(reuse *r);
void reuse_dispose(reuse *r);

/* The units of m's vendors (unit i is vendor i), keyed with history h
 * (NULL: no key is reused) and base: the hex digest of what every page
 * shares, which r keeps a pointer to; on up to threads threads. */
void reuse_keys(reuse *r, const model *m, const struct hist *h,
		const char *base, size_t threads);
/* Adds n units without a key, named prefix1 ... prefixN; the index of
 * the first.  Not while threads use r. */
size_t reuse_add(reuse *r, size_t n, const char *prefix);
/* Keys unit u by base and text[0, len).  Threads may key units at once,
 * each its own. */
void reuse_key(reuse *r, size_t u, const char *text, size_t len);
/* Reads the table at path, if it was written by program for the site
 * whose marker records fingerprint site_fp.  0, or -1 (nothing is
 * reused) when it is missing or not to be trusted. */
int reuse_load(reuse *r, const char *path, const char *program,
	       const char *site_fp);
/* Unit u's key (GIT_OID_RAWSZ bytes), or NULL when it has none: for
 * what else is made from the same inputs (frag.h). */
const unsigned char *reuse_unit_key(const reuse *r, size_t u);
/* The stamp file f of unit u had in the site being replaced, when the
 * unit's key did not change; else NULL. */
const out_stamp *reuse_prev(const reuse *r, size_t u, reuse_file f);
/* Where the stamp of unit u's file f goes once it is written. */
out_stamp *reuse_slot(reuse *r, size_t u, reuse_file f);
/* Writes the table of this build (keys, and the stamps of the files
 * written) to path atomically, for the site whose marker records
 * site_fp.  0, or -1 with the reason in err. */
int reuse_save(const reuse *r, const char *path, const char *program,
	       const char *site_fp, buf *err);

#endif
