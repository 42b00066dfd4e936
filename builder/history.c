#include "history.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "hist.h"
#include "strmap.h"

void history_date(char out[11], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* RFC 3339 in UTC, as Atom wants it. */
static void history_stamp(char out[21], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const hist_vendor *history_of(site_ctx *c, const model_vendor *v)
{
	return c->h ? hist_vendor_get(c->h, v->slug) : NULL;
}

static void history_add_commit_ref(site_ctx *c, cJSON *obj, const char *key,
				   const hist_commit *hc)
{
	cJSON *ref = cJSON_CreateObject();
	char date[11];

	history_date(date, hc->time);
	cJSON_AddStringToObject(ref, "date", date);
	cJSON_AddStringToObject(ref, "id", hc->id);
	site_add_printf(ref, "short", "%.7s", hc->id);
	if (c->m->repo_url)
		site_add_printf(ref, "url", "%s/commit/%s", c->m->repo_url,
				hc->id);
	else
		cJSON_AddNullToObject(ref, "url");
	cJSON_AddItemToObject(obj, key, ref);
}

void history_vendor_keys(site_ctx *c, const model_vendor *v, cJSON *obj)
{
	const hist_vendor *hv = history_of(c, v);
	const hist_commit *listed = NULL;
	size_t i, k;

	if (!hv || !hv->len) {
		cJSON_AddNullToObject(obj, "listed_since");
		cJSON_AddNullToObject(obj, "last_changed");
		cJSON_AddNullToObject(obj, "history_url");
		return;
	}
	/* Listed since: the newest commit that added the vendor (a vendor
	 * removed and added again is listed since it came back). */
	for (i = 0; i < hv->len && !listed; i++) {
		const hist_span *sp = &hv->spans[i];

		for (k = sp->first; k < sp->first + sp->count; k++)
			if (c->h->changes.items[k].kind == CHANGE_VENDOR_ADDED)
				listed = &c->h->commits[sp->commit];
	}
	if (!listed)
		listed = &c->h->commits[hv->spans[hv->len - 1].commit];
	history_add_commit_ref(c, obj, "last_changed",
			       &c->h->commits[hv->spans[0].commit]);
	{
		char date[11];

		history_date(date, listed->time);
		cJSON_AddStringToObject(obj, "listed_since", date);
	}
	site_add_printf(obj, "history_url", "vendors/%s/history/", v->slug);
}

void history_side_keys(site_ctx *c, const model_vendor *v, size_t p,
		       int independent, cJSON *side)
{
	const hist_vendor *hv = history_of(c, v);
	const char *id = c->m->principles[p].id;
	size_t i, k;

	/* The newest commit where the standing changed is the one from
	 * which the current status stands. */
	for (i = 0; hv && i < hv->len; i++) {
		const hist_span *sp = &hv->spans[i];

		for (k = sp->first; k < sp->first + sp->count; k++) {
			const change *ch = &c->h->changes.items[k];

			if (ch->kind == CHANGE_STANDING &&
			    ch->independent == independent &&
			    !strcmp(ch->principle, id)) {
				history_add_commit_ref(c, side, "status_since",
						       &c->h->commits[sp->commit]);
				return;
			}
		}
	}
	cJSON_AddNullToObject(side, "status_since");
}

/* ---- entries ------------------------------------------------------------ */


/* The entry of the commit of span sp: its changes to one vendor, or
 * with only == 0 all its changes, grouped by vendor. */
static cJSON *history_entry(site_ctx *c, const hist_span *sp, int only,
			    const strmap *live)
{
	const hist_commit *hc = &c->h->commits[sp->commit];
	cJSON *e = cJSON_CreateObject(), *groups = cJSON_CreateArray();
	cJSON *g = NULL, *list = NULL;
	const change *prev = NULL;
	char date[11], stamp[21];
	size_t k;

	history_date(date, hc->time);
	history_stamp(stamp, hc->time);
	cJSON_AddStringToObject(e, "id", hc->id);
	site_add_printf(e, "short", "%.7s", hc->id);
	if (c->m->repo_url)
		site_add_printf(e, "url", "%s/commit/%s", c->m->repo_url,
				hc->id);
	else
		cJSON_AddNullToObject(e, "url");
	cJSON_AddStringToObject(e, "date", date);
	cJSON_AddStringToObject(e, "datetime", stamp);
	cJSON_AddStringToObject(e, "author", hc->author);
	cJSON_AddStringToObject(e, "subject", hc->subject);
	cJSON_AddBoolToObject(e, "signed", hc->is_signed);
	cJSON_AddBoolToObject(e, "merge", hc->is_merge);
	cJSON_AddNumberToObject(e, "heading_level", 2);
	cJSON_AddBoolToObject(e, "show_groups", !only);
	for (k = sp->first; k < sp->first + sp->count; k++) {
		const change *ch = &c->h->changes.items[k];
		cJSON *item;
		buf text = BUF_INIT;

		if (!change_is_listed(ch))
			continue;
		if (!prev || (ch->vendor == NULL) != (prev->vendor == NULL) ||
		    (ch->vendor && strcmp(ch->vendor, prev->vendor))) {
			g = cJSON_CreateObject();
			list = cJSON_CreateArray();
			if (ch->vendor) {
				cJSON_AddStringToObject(g, "label",
							ch->vendor_name);
				if (strmap_get(live, ch->vendor))
					site_add_printf(g, "url", "vendors/%s/",
							ch->vendor);
				else
					cJSON_AddNullToObject(g, "url");
			} else {
				cJSON_AddStringToObject(g, "label",
							"Site settings and pages");
				cJSON_AddNullToObject(g, "url");
			}
			cJSON_AddItemToObject(g, "changes", list);
			cJSON_AddItemToArray(groups, g);
		}
		prev = ch;
		change_text(&text, ch);
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "text", text.ptr);
		cJSON_AddBoolToObject(item, "notable", change_is_notable(ch));
		cJSON_AddItemToArray(list, item);
		buf_dispose(&text);
	}
	cJSON_AddItemToObject(e, "groups", groups);
	return e;
}

/* ---- Atom ----------------------------------------------------------------- */

static void history_xml(buf *b, const char *s)
{
	esc_xml(b, s, strlen(s));
}

static void history_atom_entry(site_ctx *c, buf *b, const hist_span *sp,
			       int only, const char *page_url)
{
	const hist_commit *hc = &c->h->commits[sp->commit];
	char stamp[21];
	size_t k;

	history_stamp(stamp, hc->time);
	buf_puts(b, "<entry>\n<title>");
	history_xml(b, hc->subject[0] ? hc->subject : hc->id);
	buf_puts(b, "</title>\n<id>");
	history_xml(b, page_url);
	buf_printf(b, "#commit-%s</id>\n<link href=\"", hc->id);
	history_xml(b, page_url);
	buf_printf(b, "#commit-%s\"/>\n<updated>%s</updated>\n"
		      "<author><name>", hc->id, stamp);
	history_xml(b, hc->author);
	buf_puts(b, "</name></author>\n<content type=\"text\">");
	for (k = sp->first; k < sp->first + sp->count; k++) {
		const change *ch = &c->h->changes.items[k];
		buf text = BUF_INIT;

		if (!change_is_listed(ch))
			continue;
		if (ch->vendor && !only)
			buf_printf(&text, "%s: ", ch->vendor_name);
		change_text(&text, ch);
		buf_putc(&text, '\n');
		history_xml(b, text.ptr);
		buf_dispose(&text);
	}
	buf_puts(b, "</content>\n</entry>\n");
}

/* Writes an Atom feed (RFC 4287) of the newest entries of spans[0..n)
 * (newest first), about one vendor if only. */
static int history_atom(site_ctx *c, const char *path, const char *title,
			const char *page_path, const hist_span *spans,
			size_t n, int only)
{
	buf b = BUF_INIT, feed_url = BUF_INIT, page_url = BUF_INIT;
	char stamp[21];
	size_t i;
	int rc;

	buf_printf(&feed_url, "%s%s", c->base_url, path);
	buf_printf(&page_url, "%s%s", c->base_url, page_path);
	history_stamp(stamp, n ? c->h->commits[spans[0].commit].time
			       : c->m->commit_time);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		     "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
	history_xml(&b, title);
	buf_puts(&b, "</title>\n<id>");
	history_xml(&b, feed_url.ptr);
	buf_puts(&b, "</id>\n<link rel=\"self\" href=\"");
	history_xml(&b, feed_url.ptr);
	buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	history_xml(&b, page_url.ptr);
	buf_printf(&b, "\"/>\n<updated>%s</updated>\n"
		       "<generator>trustdir</generator>\n", stamp);
	for (i = 0; i < n && i < HISTORY_FEED_SIZE; i++)
		history_atom_entry(c, &b, &spans[i], only, page_url.ptr);
	buf_puts(&b, "</feed>\n");
	rc = site_write(c, path, b.ptr, b.len);
	buf_dispose(&b);
	buf_dispose(&feed_url);
	buf_dispose(&page_url);
	return rc;
}

/* ---- pages ---------------------------------------------------------------- */

/* The feed of vendor index vi, at path, with the history page at page. */
static int history_vendor_feed(site_ctx *c, size_t vi, const char *path,
			       const char *page)
{
	const model_vendor *v = &c->m->vendors[vi];
	const hist_vendor *hv = history_of(c, v);
	buf title = BUF_INIT;
	int rc;

	if ((rc = site_reuse(c, vi, REUSE_FEED, path, 0)) != 0)
		return rc < 0 ? -1 : 0;
	buf_printf(&title, "History of %s — %s", v->name, c->m->title);
	rc = history_atom(c, path, title.ptr, page, hv ? hv->spans : NULL,
			  hv ? hv->len : 0, 1);
	buf_dispose(&title);
	return rc;
}

/* The history page and the feed of vendor index vi. */
static int history_vendor(site_ctx *c, size_t vi, const strmap *live)
{
	const model_vendor *v = &c->m->vendors[vi];
	const hist_vendor *hv = history_of(c, v);
	cJSON *view, *entries, *vend;
	buf path = BUF_INIT, title = BUF_INIT, desc = BUF_INIT;
	buf feed = BUF_INIT, page = BUF_INIT;
	size_t i, n = hv ? hv->len : 0;
	int rc;

	buf_printf(&path, "vendors/%s/history/index.html", v->slug);
	buf_printf(&feed, "vendors/%s/history.atom", v->slug);
	buf_printf(&page, "vendors/%s/history/", v->slug);
	if ((rc = site_reuse(c, vi, REUSE_HISTORY, path.ptr, 1)) != 0) {
		rc = rc < 0 ? -1 : history_vendor_feed(c, vi, feed.ptr, page.ptr);
		goto done;
	}
	view = cJSON_CreateObject();
	entries = cJSON_CreateArray();
	vend = cJSON_CreateObject();
	cJSON_AddStringToObject(vend, "name", v->name);
	cJSON_AddStringToObject(vend, "slug", v->slug);
	site_add_printf(vend, "url", "vendors/%s/", v->slug);
	cJSON_AddItemToObject(view, "vendor", vend);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(entries,
				     history_entry(c, &hv->spans[i], 1, live));
	cJSON_AddItemToObject(view, "entries", entries);
	cJSON_AddNumberToObject(view, "count", (double)n);
	site_add_printf(view, "feed_url", "vendors/%s/history.atom", v->slug);
	buf_printf(&title, "History of %s", v->name);
	buf_printf(&desc, "Every change to the profile of %s, newest first, "
		   "from the directory's repository.", v->name);
	rc = site_page(c, path.ptr, "history", "history", title.ptr, desc.ptr,
		       "history", view);
	if (rc == 0)
		rc = history_vendor_feed(c, vi, feed.ptr, page.ptr);
done:
	buf_dispose(&path);
	buf_dispose(&title);
	buf_dispose(&desc);
	buf_dispose(&feed);
	buf_dispose(&page);
	return rc;
}

static int history_vendor_at(site_ctx *c, size_t i, void *live)
{
	return history_vendor(c, i, live);
}

static char *history_page_url(const void *arg, size_t k)
{
	(void)arg;
	return site_strf("changes/page/%zu/", k);
}

/* The pagination of the changes.  The latest page links to the newest
 * pages and the first; archive page k links to the first and to the
 * two either side of it, and shows a gap where newer pages follow, but
 * never names the newest page or the number of pages: a new commit then
 * changes the page it lands on, not every page of the archive (which a
 * rebuild would otherwise write again, 500 pages at 50,000 commits). */
static cJSON *history_page_links(size_t page, size_t pages)
{
	cJSON *links, *gap;

	if (page == 0 || page + 2 >= pages)
		return site_page_links(pages, page, 1, history_page_url, NULL);
	links = site_page_links(page + 2, page, 1, history_page_url, NULL);
	gap = cJSON_CreateObject();
	cJSON_AddBoolToObject(gap, "gap", 1);
	cJSON_InsertItemInArray(links, 0, gap);
	return links;
}

/* changes/index.html holds the newest HISTORY_PAGE_SIZE entries.  The
 * archive pages count from the oldest change, so that page k always
 * holds the same changes: changes/page/1/ the first hundred ever made. */
/* Everything archive page k, which holds the commits [lo, hi) counted
 * from the oldest, is made from besides what every page shares: its
 * commits (an id stands for what the walk made of it), which of the
 * vendors it names are still listed (their names link to their
 * profiles), and its pagination (history_page_links). */
static void history_page_key(site_ctx *c, size_t unit, const strmap *live,
			     size_t page, size_t pages, size_t lo, size_t hi)
{
	const hist *h = c->h;
	buf text = BUF_INIT;
	size_t i, k;

	buf_printf(&text, "page %zu of %zu\n", page,
		   page + 2 >= pages ? pages : 0);
	for (i = lo; i < hi; i++) {
		const hist_commit *hc = &h->commits[h->n_commits - 1 - i];

		buf_printf(&text, "%s %zu ", hc->id, hc->count);
		for (k = hc->first; k < hc->first + hc->count; k++)
			if (h->changes.items[k].vendor)
				buf_putc(&text, strmap_get(live, h->changes.items[k].vendor)
							? 'l'
							: '-');
		buf_putc(&text, '\n');
	}
	reuse_key(c->reuse, unit, text.ptr, text.len);
	buf_dispose(&text);
}

static int history_changes_page(site_ctx *c, const strmap *live,
				size_t page, size_t pages, size_t unit0)
{
	const hist *h = c->h;
	cJSON *view, *entries;
	buf path = BUF_INIT, title = BUF_INIT;
	size_t lo, hi, i; /* entries [lo, hi) in oldest-first numbering */
	int rc;

	if (page == 0) {
		hi = h->n_commits;
		lo = hi > HISTORY_PAGE_SIZE ? hi - HISTORY_PAGE_SIZE : 0;
		buf_puts(&path, "changes/index.html");
		buf_puts(&title, "Changes to the directory");
	} else {
		lo = (page - 1) * HISTORY_PAGE_SIZE;
		hi = lo + HISTORY_PAGE_SIZE < h->n_commits
			     ? lo + HISTORY_PAGE_SIZE
			     : h->n_commits;
		buf_printf(&path, "changes/page/%zu/index.html", page);
		buf_printf(&title, "Changes to the directory, page %zu", page);
		if (c->reuse) {
			history_page_key(c, unit0 + page - 1, live, page, pages,
					 lo, hi);
			rc = site_reuse(c, unit0 + page - 1, REUSE_PROFILE,
					path.ptr, 1);
			if (rc != 0) {
				rc = rc < 0 ? -1 : 0;
				goto done;
			}
		}
	}
	view = cJSON_CreateObject();
	entries = cJSON_CreateArray();
	for (i = hi; i > lo; i--) {
		const hist_commit *hc = &h->commits[h->n_commits - i];
		hist_span sp = { h->n_commits - i, hc->first, hc->count };

		cJSON_AddItemToArray(entries, history_entry(c, &sp, 0, live));
	}
	cJSON_AddItemToObject(view, "entries", entries);
	cJSON_AddNumberToObject(view, "count", (double)(hi - lo));
	/* The totals change with every commit: on the latest page only, so
	 * that an archive page is what history_page_key says it is. */
	if (page == 0) {
		cJSON_AddNumberToObject(view, "total", (double)h->n_commits);
		cJSON_AddNumberToObject(view, "page_count", (double)pages);
	}
	cJSON_AddBoolToObject(view, "paginated", pages > 0);
	cJSON_AddNumberToObject(view, "page_number", (double)page);
	cJSON_AddBoolToObject(view, "is_latest", page == 0);
	cJSON_AddItemToObject(view, "pages", history_page_links(page, pages));
	cJSON_AddStringToObject(view, "feed_url", "changes.atom");
	rc = site_page(c, path.ptr, "changes", "changes", title.ptr,
		       "Every change to the directory, newest first, with its "
		       "date, author and commit.", "changes", view);
done:
	buf_dispose(&path);
	buf_dispose(&title);
	return rc;
}

typedef struct {
	const strmap *live;
	size_t pages;
	size_t unit0; /* the reuse unit of page 1 */
} history_pages;

static int history_changes_at(site_ctx *c, size_t i, void *arg)
{
	const history_pages *pa = arg;

	return history_changes_page(c, pa->live, i, pa->pages, pa->unit0);
}

int history_render(site_ctx *c)
{
	strmap live = STRMAP_INIT;
	history_pages pa;
	size_t i, pages;
	hist_span *all;
	int rc = 0;

	if (!c->h)
		return 0;
	for (i = 0; i < c->m->n_vendors; i++)
		strmap_put(&live, c->m->vendors[i].slug,
			   (void *)&c->m->vendors[i]);
	rc = site_parallel(c, c->m->n_vendors, history_vendor_at, &live);
	pages = (c->h->n_commits + HISTORY_PAGE_SIZE - 1) / HISTORY_PAGE_SIZE;
	pa.live = &live;
	pa.pages = pages;
	pa.unit0 = c->reuse ? reuse_add(c->reuse, pages, "changes/page/") : 0;
	if (rc == 0)
		rc = site_parallel(c, pages + 1, history_changes_at, &pa);
	all = calloc(c->h->n_commits + 1, sizeof(*all));
	if (!all)
		abort();
	for (i = 0; i < c->h->n_commits; i++) {
		all[i].commit = i;
		all[i].first = c->h->commits[i].first;
		all[i].count = c->h->commits[i].count;
	}
	if (rc == 0)
		rc = history_atom(c, "changes.atom", c->m->title, "changes/",
				  all, c->h->n_commits, 0);
	free(all);
	strmap_dispose(&live);
	return rc;
}
