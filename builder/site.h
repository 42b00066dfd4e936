/*
 * site: renders the model into the pages of the public directory.
 *
 * For every page, site builds a view (a cJSON tree shaped as the
 * theme's README describes), renders the page's template with it and
 * hands the result to out.  The model is only read.
 */
#ifndef TRUSTDIR_SITE_H
#define TRUSTDIR_SITE_H

#include "buf.h"
#include "model.h"
#include "out.h"
#include "theme.h"

typedef struct {
	const char *base_url; /* overrides site.json's base_url when set */
	const struct hist *history; /* history pages and dates, or NULL */
	size_t threads; /* render on this many threads; 0 or 1: no threads */
	struct reuse *reuse; /* members' files to link, not render, or NULL */
	struct frag_set *frags; /* members' parts of the data files, kept
				   between builds (frag.h), or NULL */
} site_options;

typedef struct {
	size_t pages; /* HTML pages written */
	size_t files; /* every file written */
} site_stats;

/* Writes the whole site into o, the same bytes whatever the thread
 * count.  0, or -1 with the reason in err (a template error, or a
 * write error). */
int site_render(const model *m, const theme *t, const site_options *opt,
		out_site *o, site_stats *stats, buf *err);

#endif
