/*
 * site_int: what the page renderers share (site.c, and every module
 * that adds pages to a build).  Not for other callers.
 *
 * A renderer builds a view (cJSON) and calls site_page(), which adds
 * the shared `site` object, the `page` object and writes the result.
 * The helpers below add values to a view in the shapes the theme's
 * README documents; absent optional values are added as null, never
 * left out, so a Mustache lookup cannot find an outer value instead.
 */
#ifndef TRUSTDIR_SITE_INT_H
#define TRUSTDIR_SITE_INT_H

#include <cjson/cJSON.h>
#include <stdarg.h>

#include "buf.h"
#include "frag.h"
#include "model.h"
#include "out.h"
#include "reuse.h"
#include "site.h"
#include "theme.h"
#include "tmpl.h"

typedef struct {
	const model *m;
	const theme *t;
	out_site *o;
	site_stats *stats;
	buf *err;
	const char *base_url;
	cJSON *site;        /* shared by every page, by reference */
	cJSON *site_stable; /* the same without commit, for page.stable */
	cJSON **rows;       /* directory row per vendor, in model order: a
			     * stand-in the memo renders (site_rows) */
	struct site_rows *rowset; /* the rows behind them, made on demand */
	buf page;           /* the page being rendered */
	buf sitemap;
	const struct hist *h; /* the history, or NULL */
	size_t threads;     /* renders on this many threads (site_parallel) */
	reuse *reuse;       /* or NULL */
	out_stamp *stamp;   /* the next file written puts its stamp here */
	tmpl_memo *memo;    /* this thread's, in site_parallel, or NULL */
	frag_set *frags;    /* the members' parts of the data files */
} site_ctx;

/* Symbols of the statuses, indexed by model_status. */
extern const char *const site_symbols[];

void site_add_str(cJSON *obj, const char *key, const char *s);
void site_add_printf(cJSON *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* CommonMark rendered safe, headings shifted down by shift levels. */
/* Links to the pages 1..pages of a long list, seen from page current
 * (0: from none of them, the latest): the first and the last, two
 * either side of current (of the last when it is 0), and one entry
 * {"gap": true} for each run left out, so that a page links to a
 * handful of pages and not to every one (the changes of 50,000 commits
 * fill 500).  Each page is {number, url, current}, url from url(arg,
 * k) (malloc'd); the highest first when descending. */
cJSON *site_page_links(size_t pages, size_t current, int descending,
		       char *(*url)(const void *arg, size_t k),
		       const void *arg);
void site_add_md(cJSON *obj, const char *key, const char *text, size_t len,
		 int shift);
void site_edit_url(site_ctx *c, cJSON *obj, const char *path);
void site_layer_label(buf *b, const char *id);
cJSON *site_layers(const char *const *layers, size_t n);
cJSON *site_mark(model_status s, int expired);
/* The vendor's latest self-attestation or independent assessment. */
const model_assessment *site_latest(const model_vendor *v, int independent);
const char *site_kind_label(const char *kind);
/* The view of one side of a vendor's standing on principle p. */
cJSON *site_side(site_ctx *c, const model_assessment *a, size_t p);
/* "notice": a plain account of what a vendor has not shown (no
 * public evidence, no independent assessment), or null. */
void site_notice(cJSON *obj, const model_vendor *v, const model *m);
/* malloc'd formatted string. */
char *site_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Renders template tmpl for the page at path (ending in index.html, or
 * a file name) and writes it; view goes under key and is consumed.
 * The page is listed in the sitemap unless kind is "404". */
int site_page(site_ctx *c, const char *path, const char *tmpl,
	      const char *kind, const char *title, const char *description,
	      const char *key, cJSON *view);
/* Writes a file that is not a page (data, feeds). */
int site_write(site_ctx *c, const char *path, const void *data, size_t len);
/* site_write of the bytes of parts[0, n), one after the other. */
int site_write_parts(site_ctx *c, const char *path, const out_part *parts,
		     size_t n);
/* Links file f of reuse unit u (vendor i is unit i), at path, from the
 * site being replaced when reuse says its inputs did not change (and
 * counts it, in the sitemap too when page is set): 1 if it did; 0 if it
 * must be rendered, and then the file written next is recorded as unit
 * u's file f; -1 with c->err on an error. */
int site_reuse(site_ctx *c, size_t u, reuse_file f, const char *path,
	       int page);

/* A template memo for one thread, which knows the members' rows. */
tmpl_memo *site_memo_new(const site_ctx *c);

/* Renders the pages of index i (a vendor, a facet ...) into c. */
typedef int (*site_job)(site_ctx *c, size_t i, void *arg);
/* Runs job for every i in [0, n) on c->threads threads, each with its
 * own copy of c (site_pool.c) and its own template memo (tmpl.h: a
 * member's row on every filtered page is rendered once per thread, not
 * once per page); pages, stats and sitemap come out as
 * one thread running i = 0, 1, ... would make them.  job may change
 * only what is its own: its index's slot of an array, new cJSON, the
 * copy of c it is given; the model, history, c->site and c->rows are
 * shared.  0, or -1 with the error of the lowest failing i in c->err. */
int site_parallel(site_ctx *c, size_t n, site_job job, void *arg);

#endif
