/*
 * frag: each member's part of the files about every member at once
 * (api/v1/vendors.json, directory.csv, assets/search.json), and its rows
 * in the tables of every member (the directory, its facet pages and
 * compare/, rendered: 0.3 s of a one-vendor rebuild), kept between
 * builds so that a rebuild assembles those files instead of making
 * every member's part again: at 10,000 vendors they are 40 MB, and
 * making them took a one-vendor rebuild 0.9 s.
 *
 * A part is keyed like the member's own pages (reuse.h): by everything
 * it is made from.  The file, .trustdir-cache/<out>.frags, names the
 * program that wrote it and ends with a CRC-32; a file that is missing,
 * truncated, corrupt or from another program is ignored, and a part
 * whose key differs is made again.
 */
#ifndef TRUSTDIR_FRAG_H
#define TRUSTDIR_FRAG_H

#include <git2.h>
#include <stddef.h>

#include "buf.h"
#include "strmap.h"

typedef enum {
	FRAG_VENDORS, /* the member's object in vendors.json's "vendors" */
	FRAG_CSV,     /* its rows of directory.csv, CR LF after each */
	FRAG_SEARCH,  /* its array in search.json's "vendors" */
	FRAG_ROWS,    /* its rows in the members tables, as the template
			 memo keeps them (tmpl.h, keyed items) */
	FRAG_KINDS
} frag_kind;

typedef struct {
	const char *ptr; /* no NUL inside */
	size_t len;
} frag_piece;

/* A member's parts: from the file loaded, or made by this build (then
 * owned here). */
typedef struct {
	frag_piece piece[FRAG_KINDS];
	char *owned[FRAG_KINDS];
	const char *slug; /* the member's, which must outlive f */
	unsigned char key[GIT_OID_RAWSZ];
	int keyed; /* key is the member's (it has one) */
	int taken; /* its parts are the file's (frag_take said 1) */
	int made;  /* made by this build, not taken from the file */
} frag_member;

typedef struct frag_set {
	frag_member *now; /* per member of this build, in model order */
	size_t n;
	char *bytes; /* the file loaded, which the index points into */
	size_t len;
	int mapped;  /* bytes are mapped (bin_map_file), not malloc'd */
	strmap index; /* slug -> 1 + position in the file's entries */
	struct frag_entry *entries;
	size_t n_entries;
} frag_set;

void frag_init(frag_set *f, size_t members);
void frag_dispose(frag_set *f);
/* Reads the file at path, if program wrote it.  0, or -1 (nothing is
 * taken from it) when it is missing or not to be trusted. */
int frag_load(frag_set *f, const char *path, const char *program);
/* frag_load, of a file's bytes[0, len) (malloc'd; f owns them in any
 * case). */
int frag_decode(frag_set *f, char *bytes, size_t len, const char *program);
/* The file's entries that frag_load or frag_decode read: slug, key and
 * parts of entry i < f->n_entries. */
const char *frag_entry_slug(const frag_set *f, size_t i,
			    const unsigned char **key, const frag_piece **parts);
/* Names member i slug, keyed by key when it has one (every member is
 * taken before it is given parts), and fills it from the file loaded
 * when that holds the same key there: 1 if it did, else 0.  Threads
 * may take members at once, each its own. */
int frag_take(frag_set *f, size_t i, const char *slug,
	      const unsigned char *key);
/* Gives member i the part of kind k made by this build (b is emptied;
 * its bytes are now f's). */
void frag_give(frag_set *f, size_t i, frag_kind k, buf *b);
/* How many members' parts this build made. */
size_t frag_made(const frag_set *f);
/* Writes every keyed member's parts to path atomically.  0, or -1 with
 * the reason in err. */
int frag_save(const frag_set *f, const char *path, const char *program,
	      buf *err);

#endif
