/*
 * site_parallel(): the page renderers' loops over vendors and facets,
 * on the thread pool (pool.h), with output identical to one thread's.
 *
 * Each worker renders with its own shallow copy of the site_ctx: its
 * own page buffer, error, stats and sitemap.  What the copies share,
 * the model, the history, the theme, c->site and c->rows, is only read
 * while pages render (cJSON references to it are new nodes that point
 * at it); out_write() locks what it shares.  The sitemap entries each
 * index writes are kept apart and appended in index order afterwards,
 * so the sitemap lists pages in the order one thread writes them.
 */
#include "site_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "pool.h"

typedef struct {
	size_t worker; /* whose sitemap holds the index's entries */
	size_t start, len;
} site_span;

typedef struct {
	site_ctx *copies;   /* one per worker */
	site_stats *stats;  /* one per worker */
	site_span *sitemap; /* one per index */
	site_job job;
	void *arg;
} site_par;

static void *site_pool_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	return p;
}

static int site_pool_one(void *arg, size_t worker, size_t i, buf *err)
{
	site_par *sp = arg;
	site_ctx *w = &sp->copies[worker];
	site_span *s = &sp->sitemap[i];
	int rc;

	w->err = err;
	s->worker = worker;
	s->start = w->sitemap.len;
	rc = sp->job(w, i, sp->arg);
	s->len = w->sitemap.len - s->start;
	return rc;
}

/* Adds up what the workers did, in index order. */
static void site_pool_merge(site_ctx *c, const site_par *sp, size_t workers,
			    size_t n)
{
	size_t k, i;

	for (k = 0; k < workers; k++) {
		c->stats->pages += sp->stats[k].pages;
		c->stats->files += sp->stats[k].files;
	}
	for (i = 0; i < n; i++) {
		const site_span *s = &sp->sitemap[i];
		const buf *from = &sp->copies[s->worker].sitemap;

		buf_put(&c->sitemap, from->ptr + s->start, s->len);
	}
}

int site_parallel(site_ctx *c, size_t n, site_job job, void *arg)
{
	size_t k, workers = c->threads < n ? c->threads : n;
	site_par sp;
	int rc;

	if (workers <= 1) {
		tmpl_memo *outer = c->memo;

		rc = 0;
		c->memo = site_memo_new(c);
		for (k = 0; k < n && rc == 0; k++)
			rc = job(c, k, arg) < 0 ? -1 : 0;
		tmpl_memo_free(c->memo);
		c->memo = outer;
		return rc;
	}
	sp.copies = site_pool_calloc(workers, sizeof(*sp.copies));
	sp.stats = site_pool_calloc(workers, sizeof(*sp.stats));
	sp.sitemap = site_pool_calloc(n, sizeof(*sp.sitemap));
	sp.job = job;
	sp.arg = arg;
	for (k = 0; k < workers; k++) {
		sp.copies[k] = *c;
		buf_init(&sp.copies[k].page);
		buf_init(&sp.copies[k].sitemap);
		sp.copies[k].stats = &sp.stats[k];
		sp.copies[k].memo = site_memo_new(c);
	}
	rc = pool_for(workers, n, site_pool_one, &sp, c->err);
	if (rc == 0)
		site_pool_merge(c, &sp, workers, n);
	for (k = 0; k < workers; k++) {
		buf_dispose(&sp.copies[k].page);
		buf_dispose(&sp.copies[k].sitemap);
		tmpl_memo_free(sp.copies[k].memo);
	}
	free(sp.copies);
	free(sp.stats);
	free(sp.sitemap);
	return rc;
}
