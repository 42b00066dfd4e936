#define _GNU_SOURCE /* memmem */
#include "site.h"
#include "site_int.h"
#include "history.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "country.h"
#include "esc.h"
#include "export.h"
#include "md.h"
#include "tmpl.h"

/* The passes kept per member beyond which older ones are dropped. */
#define SITE_ROWS_KEPT ((size_t)64 << 10)

const char *const site_symbols[] = { "·", "–", "✗", "◐", "✓" };


/* ---- small builders --------------------------------------------------- */

/* An absent optional value is null, not a missing key: a Mustache
 * lookup of a missing key would find the same name further out in the
 * context (an evidence item without a date would show its
 * assessment's). */
void site_add_str(cJSON *obj, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(obj, key, s);
	else
		cJSON_AddNullToObject(obj, key);
}

void site_add_printf(cJSON *obj, const char *key, const char *fmt,
			    ...) __attribute__((format(printf, 3, 4)));
void site_add_printf(cJSON *obj, const char *key, const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(obj, key, b.ptr);
	buf_dispose(&b);
}

/* Renders CommonMark to safe HTML under the key, if text is given. */
void site_add_md(cJSON *obj, const char *key, const char *text,
			size_t len, int shift)
{
	md_options opt = { shift, 0 };
	buf html = BUF_INIT;

	if (!text) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	md_render(&html, text, len, &opt, NULL);
	cJSON_AddStringToObject(obj, key, html.ptr);
	buf_dispose(&html);
}

void site_layer_label(buf *b, const char *id)
{
	size_t i, n = strlen(id);

	/* Short layer ids are acronyms ("ai"); longer ones are words. */
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (c == '-')
			c = ' ';
		else if (n <= 2 || i == 0)
			c = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		buf_putc(b, c);
	}
}

cJSON *site_layers(const char *const *layers, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *l = cJSON_CreateObject();
		buf label = BUF_INIT;

		site_layer_label(&label, layers[i]);
		cJSON_AddStringToObject(l, "id", layers[i]);
		cJSON_AddStringToObject(l, "label", label.ptr);
		cJSON_AddItemToArray(arr, l);
		buf_dispose(&label);
	}
	return arr;
}

cJSON *site_mark(model_status s, int expired)
{
	cJSON *mk = cJSON_CreateObject();

	cJSON_AddStringToObject(mk, "status", model_status_id(s));
	cJSON_AddStringToObject(mk, "label", model_status_label(s));
	cJSON_AddStringToObject(mk, "symbol", site_symbols[s]);
	cJSON_AddBoolToObject(mk, "expired", expired);
	return mk;
}

const model_assessment *site_latest(const model_vendor *v,
					   int independent)
{
	int i = independent ? v->latest_independent : v->latest_self;

	return i < 0 ? NULL : &v->assessments[i];
}

const char *site_kind_label(const char *kind)
{
	static const char *const kinds[][2] = {
		{ "policy", "Policy" },
		{ "certification", "Certification" },
		{ "audit-report", "Audit report" },
		{ "attestation", "Attestation" },
		{ "transparency-report", "Transparency report" },
		{ "contract-clause", "Contract clause" },
		{ "other", "Other" },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i][0], kind))
			return kinds[i][1];
	return kind;
}

void site_edit_url(site_ctx *c, cJSON *obj, const char *path)
{
	if (c->m->repo_url)
		site_add_printf(obj, "edit_url", "%s/edit/HEAD/%s",
				c->m->repo_url, path);
	else
		cJSON_AddNullToObject(obj, "edit_url");
}

/* ---- views -------------------------------------------------------------- */

static cJSON *site_evidence(site_ctx *c, const model_finding *fd)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < fd->n_evidence; i++) {
		const model_evidence *e = &fd->evidence[i];
		cJSON *ev = cJSON_CreateObject();

		cJSON_AddStringToObject(ev, "title", e->title);
		cJSON_AddStringToObject(ev, "kind", e->kind);
		cJSON_AddStringToObject(ev, "kind_label",
					site_kind_label(e->kind));
		site_add_str(ev, "date", e->date);
		site_add_str(ev, "url", e->url);
		cJSON_AddBoolToObject(ev, "no_link", !e->url);
		site_add_str(ev, "sha256", e->sha256);
		cJSON_AddBoolToObject(ev, "stale",
				      model_evidence_stale(c->m, e));
		cJSON_AddItemToArray(arr, ev);
	}
	return arr;
}

/* One side (self-attested or independent) of a vendor's standing on
 * principle p. */
cJSON *site_side(site_ctx *c, const model_assessment *a, size_t p)
{
	const model_finding *fd = &a->findings[p];
	cJSON *side = cJSON_CreateObject();

	cJSON_AddStringToObject(side, "assessment_id", a->id);
	cJSON_AddStringToObject(side, "type", a->independent
						    ? "independent"
						    : "self-attestation");
	cJSON_AddStringToObject(side, "type_label",
				a->independent ? "Independent assessment"
					       : "Self-attestation");
	site_add_str(side, "assessor", a->assessor);
	cJSON_AddStringToObject(side, "date", a->date);
	site_add_str(side, "valid_until", a->valid_until);
	cJSON_AddBoolToObject(side, "expired",
			      model_assessment_expired(c->m, a));
	site_add_str(side, "report_url", a->report_url);
	cJSON_AddStringToObject(side, "status", model_status_id(fd->status));
	cJSON_AddStringToObject(side, "status_label",
				model_status_label(fd->status));
	cJSON_AddStringToObject(side, "status_symbol",
				site_symbols[fd->status]);
	site_add_md(side, "summary_html", fd->summary,
		    fd->summary ? strlen(fd->summary) : 0, 3);
	cJSON_AddItemToObject(side, "evidence", site_evidence(c, fd));
	cJSON_AddNumberToObject(side, "evidence_count", (double)fd->n_evidence);
	cJSON_AddBoolToObject(side, "has_evidence", fd->n_evidence > 0);
	return side;
}

static void site_add_sides(site_ctx *c, cJSON *obj, const model_vendor *v,
			   size_t p)
{
	const model_assessment *self = site_latest(v, 0);
	const model_assessment *ind = site_latest(v, 1);
	cJSON *side;

	if (self) {
		side = site_side(c, self, p);
		history_side_keys(c, v, p, 0, side);
		cJSON_AddItemToObject(obj, "self", side);
	} else {
		cJSON_AddNullToObject(obj, "self");
	}
	if (ind) {
		side = site_side(c, ind, p);
		history_side_keys(c, v, p, 1, side);
		cJSON_AddItemToObject(obj, "independent", side);
	} else {
		cJSON_AddNullToObject(obj, "independent");
	}
}

static cJSON *site_row(site_ctx *c, const model_vendor *v)
{
	const model_assessment *self = site_latest(v, 0);
	const model_assessment *ind = site_latest(v, 1);
	cJSON *row = cJSON_CreateObject(), *st = cJSON_CreateArray();
	buf layers = BUF_INIT, status = BUF_INIT, text = BUF_INIT;
	size_t i;

	cJSON_AddStringToObject(row, "slug", v->slug);
	cJSON_AddStringToObject(row, "name", v->name);
	site_add_printf(row, "url", "vendors/%s/", v->slug);
	cJSON_AddStringToObject(row, "country", v->country);
	cJSON_AddStringToObject(row, "country_name", country_name(v->country));
	cJSON_AddItemToObject(row, "layers", site_layers(v->layers,
							 v->n_layers));
	cJSON_AddBoolToObject(row, "has_independent", ind != NULL);
	history_vendor_keys(c, v, row);
	for (i = 0; i < v->n_layers; i++) {
		buf_printf(&layers, "%s%s", i ? " " : "", v->layers[i]);
		if (i)
			buf_puts(&text, ", ");
		site_layer_label(&text, v->layers[i]);
	}
	cJSON_AddStringToObject(row, "data_layers", layers.ptr);
	cJSON_AddStringToObject(row, "layers_text", text.ptr);
	cJSON_AddStringToObject(row, "data_type",
				ind ? "independent"
				: self ? "self-attested"
				       : "none");
	for (i = 0; i < c->m->n_principles; i++) {
		model_status s_self = self ? self->findings[i].status
					   : MODEL_NONE;
		model_status s_ind = ind ? ind->findings[i].status : MODEL_NONE;
		cJSON *one = cJSON_CreateObject();

		buf_printf(&status, "%s%s:self:%s %s:independent:%s",
			   i ? " " : "", c->m->principles[i].id,
			   model_status_id(s_self), c->m->principles[i].id,
			   model_status_id(s_ind));
		cJSON_AddStringToObject(one, "principle_id",
					c->m->principles[i].id);
		cJSON_AddStringToObject(one, "principle_title",
					c->m->principles[i].title);
		cJSON_AddItemToObject(one, "self", site_mark(s_self, 0));
		cJSON_AddItemToObject(one, "independent",
				      site_mark(s_ind, ind && model_assessment_expired(c->m, ind)));
		cJSON_AddItemToArray(st, one);
	}
	cJSON_AddStringToObject(row, "data_status", status.ptr);
	cJSON_AddItemToObject(row, "standings", st);
	buf_dispose(&layers);
	buf_dispose(&status);
	buf_dispose(&text);
	return row;
}

/*
 * The rows of the members tables.  The views list stand-ins, which the
 * template memo knows by the member's reuse key (tmpl.h, keyed items):
 * a row rendered in an earlier build, kept with the member's parts
 * (frag.h), is copied without being made again; the row is made, once,
 * only when one of its passes must be rendered.
 */
typedef struct site_rows {
	const site_ctx *c; /* the build's; only what every thread shares */
	cJSON **real;      /* row i once made */
	buf *kept;         /* passes over row i rendered by this build */
	pthread_mutex_t lock;
	tmpl_keyed keyed;
} site_rows;

/* A stand-in's only member is named by this very string. */
static const char site_row_tag[] = "trustdir row";

/* The passes over row i an earlier build kept: none unless member i's
 * parts were taken from it (its key is the same). */
static void site_row_stored(void *arg, size_t i, const char **bytes,
			    size_t *len)
{
	const site_rows *r = arg;
	const frag_set *f = r->c->frags;

	*bytes = NULL;
	*len = 0;
	if (f->now[i].taken && f->now[i].piece[FRAG_ROWS].ptr) {
		*bytes = f->now[i].piece[FRAG_ROWS].ptr;
		*len = f->now[i].piece[FRAG_ROWS].len;
	}
}

static int site_row_item(void *arg, const cJSON *item, size_t *index,
			 const unsigned char **key)
{
	const site_rows *r = arg;

	if (!item->child || item->child->string != site_row_tag)
		return 0;
	*index = (size_t)item->child->valuedouble;
	*key = reuse_unit_key(r->c->reuse, *index);
	return 1;
}

static const cJSON *site_row_value(void *arg, size_t i)
{
	site_rows *r = arg;
	cJSON *row;

	pthread_mutex_lock(&r->lock);
	if (!r->real[i])
		r->real[i] = site_row((site_ctx *)r->c, &r->c->m->vendors[i]);
	row = r->real[i];
	pthread_mutex_unlock(&r->lock);
	return row;
}

/* Passes rendered on several pages, or by both threads, are kept once. */
static void site_row_keep(void *arg, size_t i, const char *bytes,
			  size_t len)
{
	site_rows *r = arg;
	buf *k = &r->kept[i];

	pthread_mutex_lock(&r->lock);
	if (!k->len || !memmem(k->ptr, k->len, bytes, len))
		buf_put(k, bytes, len);
	pthread_mutex_unlock(&r->lock);
}

tmpl_memo *site_memo_new(const site_ctx *c)
{
	tmpl_memo *memo = tmpl_memo_new();

	if (c->rowset)
		tmpl_memo_keyed(memo, &c->rowset->keyed);
	return memo;
}

/* Row i, made now unless an earlier build kept its passes (then it is
 * made only if one is missing): each job fills its own slot. */
static int site_row_at(site_ctx *c, size_t i, void *arg)
{
	const char *bytes;
	size_t len;

	(void)arg;
	site_row_stored(c->rowset, i, &bytes, &len);
	if (!len)
		c->rowset->real[i] = site_row(c, &c->m->vendors[i]);
	return 0;
}

static void site_rows_begin(site_ctx *c, site_rows *r)
{
	size_t i, n = c->m->n_vendors;

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->real = calloc(n + 1, sizeof(*r->real));
	r->kept = calloc(n + 1, sizeof(*r->kept));
	c->rows = calloc(n + 1, sizeof(*c->rows));
	if (!r->real || !r->kept || !c->rows)
		abort();
	pthread_mutex_init(&r->lock, NULL);
	r->keyed.item = site_row_item;
	r->keyed.value = site_row_value;
	r->keyed.stored = site_row_stored;
	r->keyed.keep = site_row_keep;
	r->keyed.arg = r;
	for (i = 0; i < n; i++) {
		c->rows[i] = cJSON_CreateObject();
		cJSON_AddItemToObjectCS(c->rows[i], site_row_tag,
					cJSON_CreateNumber((double)i));
		/* A member whose parts are kept has them taken before any
		 * page lists it (export.c gives the others). */
		frag_take(c->frags, i, c->m->vendors[i].slug,
			  reuse_unit_key(c->reuse, i));
	}
	c->rowset = r;
}

/* Keeps with each member's parts the passes over its row this build
 * rendered, after those kept before (up to a bound, so that a row whose
 * names change from build to build does not grow without end). */
static void site_rows_end(site_ctx *c, site_rows *r, int keep)
{
	size_t i, n = c->m->n_vendors;

	for (i = 0; i < n; i++) {
		if (keep && r->kept[i].len) {
			const char *bytes;
			size_t len;

			site_row_stored(r, i, &bytes, &len);
			if (len && len < SITE_ROWS_KEPT)
				buf_put(&r->kept[i], bytes, len);
			frag_give(c->frags, i, FRAG_ROWS, &r->kept[i]);
		}
		buf_dispose(&r->kept[i]);
		cJSON_Delete(r->real[i]);
		cJSON_Delete(c->rows[i]);
	}
	pthread_mutex_destroy(&r->lock);
	free(r->real);
	free(r->kept);
	free(c->rows);
	c->rows = NULL;
	c->rowset = NULL;
}

/* A plain account of what a vendor has shown, for a profile without
 * evidence or independent assessment: the site says so, in words. */
void site_notice(cJSON *obj, const model_vendor *v, const model *m)
{
	const model_assessment *self = site_latest(v, 0);
	const model_assessment *ind = site_latest(v, 1);
	size_t i, evidence = 0;

	for (i = 0; i < m->n_principles; i++) {
		evidence += self ? self->findings[i].n_evidence : 0;
		evidence += ind ? ind->findings[i].n_evidence : 0;
	}
	if (ind && evidence) {
		cJSON_AddNullToObject(obj, "notice");
		return;
	}
	site_add_printf(obj, "notice", "%s; %s; %s.",
			self ? "Self-attested" : "No self-attestation",
			evidence ? "public evidence listed below"
				 : "no public evidence yet",
			ind ? "independently assessed"
			    : "no independent assessment yet");
}

static cJSON *site_vendor(site_ctx *c, const model_vendor *v)
{
	cJSON *obj = cJSON_CreateObject(), *ps = cJSON_CreateArray();
	cJSON *as = cJSON_CreateArray();
	buf path = BUF_INIT;
	size_t i;

	cJSON_AddStringToObject(obj, "slug", v->slug);
	cJSON_AddStringToObject(obj, "name", v->name);
	site_add_str(obj, "legal_name", v->legal_name);
	cJSON_AddStringToObject(obj, "country", v->country);
	cJSON_AddStringToObject(obj, "country_name", country_name(v->country));
	cJSON_AddStringToObject(obj, "website", v->website);
	site_add_str(obj, "security_contact", v->security_contact);
	cJSON_AddStringToObject(obj, "member_since", v->member_since);
	cJSON_AddItemToObject(obj, "layers", site_layers(v->layers,
							 v->n_layers));
	site_add_md(obj, "summary_html", v->summary, v->summary_len, 1);
	buf_printf(&path, "vendors/%s/profile.json", v->slug);
	site_edit_url(c, obj, path.ptr);
	site_notice(obj, v, c->m);
	history_vendor_keys(c, v, obj);
	for (i = 0; i < c->m->n_principles; i++) {
		const model_principle *p = &c->m->principles[i];
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "id", p->id);
		cJSON_AddStringToObject(one, "title", p->title);
		cJSON_AddStringToObject(one, "summary", p->summary);
		site_add_printf(one, "url", "principles/%s/", p->id);
		site_add_sides(c, one, v, i);
		cJSON_AddItemToArray(ps, one);
	}
	cJSON_AddItemToObject(obj, "principles", ps);
	for (i = 0; i < v->n_assessments; i++) {
		const model_assessment *a = &v->assessments[i];
		cJSON *one = cJSON_CreateObject();
		size_t p, listed = 0;

		/* Principles the assessment reached a finding on. */
		for (p = 0; p < c->m->n_principles; p++)
			listed += a->findings[p].status != MODEL_NOT_ASSESSED;
		cJSON_AddStringToObject(one, "id", a->id);
		cJSON_AddStringToObject(one, "type", a->independent
							   ? "independent"
							   : "self-attestation");
		cJSON_AddStringToObject(one, "type_label",
					a->independent ? "Independent assessment"
						       : "Self-attestation");
		site_add_str(one, "assessor", a->assessor);
		cJSON_AddStringToObject(one, "date", a->date);
		site_add_str(one, "valid_until", a->valid_until);
		cJSON_AddBoolToObject(one, "expired",
				      model_assessment_expired(c->m, a));
		site_add_md(one, "scope_html", a->scope,
			    a->scope ? strlen(a->scope) : 0, 2);
		site_add_str(one, "report_url", a->report_url);
		site_edit_url(c, one, a->path);
		cJSON_AddNumberToObject(one, "principle_count", (double)listed);
		cJSON_AddItemToArray(as, one);
	}
	cJSON_AddItemToObject(obj, "assessments", as);
	cJSON_AddBoolToObject(obj, "has_assessments", v->n_assessments > 0);
	buf_dispose(&path);
	return obj;
}

/* Members per page of a principle's standing list: at 10,000 members a
 * page would be about 11 MB, so larger lists are paginated as Hugo does,
 * principles/<id>/ first, then principles/<id>/page/<n>/. */
#define SITE_PRINCIPLE_PAGE 500

/* "principles/<id>/" or "principles/<id>/page/<n>/", n counted from 1. */
/* Whether page k of pages is linked from a pagination centred on
 * center: the first, the last and two either side of center. */
static int site_page_shown(size_t k, size_t pages, size_t center)
{
	return k == 1 || k == pages || (k + 2 >= center && k <= center + 2);
}

cJSON *site_page_links(size_t pages, size_t current, int descending,
		       char *(*url)(const void *arg, size_t k),
		       const void *arg)
{
	cJSON *arr = cJSON_CreateArray();
	size_t center = current ? current : pages, i;
	int gap = 0;

	for (i = 1; i <= pages; i++) {
		size_t k = descending ? pages + 1 - i : i;
		cJSON *one;
		char *u;

		/* a single page between two shown ones is shown: a gap
		 * would take as much room */
		if (!site_page_shown(k, pages, center) &&
		    !(k > 1 && k < pages &&
		      site_page_shown(k - 1, pages, center) &&
		      site_page_shown(k + 1, pages, center))) {
			if (!gap) {
				one = cJSON_CreateObject();
				cJSON_AddBoolToObject(one, "gap", 1);
				cJSON_AddItemToArray(arr, one);
			}
			gap = 1;
			continue;
		}
		gap = 0;
		one = cJSON_CreateObject();
		u = url(arg, k);
		cJSON_AddNumberToObject(one, "number", (double)k);
		cJSON_AddStringToObject(one, "url", u);
		cJSON_AddBoolToObject(one, "current", k == current);
		cJSON_AddItemToArray(arr, one);
		free(u);
	}
	return arr;
}

static char *site_principle_url(const model_principle *p, size_t n)
{
	return n <= 1 ? site_strf("principles/%s/", p->id)
		      : site_strf("principles/%s/page/%zu/", p->id, n);
}

/* The view's pagination: null on a single page, else the page number,
 * the number of pages (total), the positions of its first and last member,
 * the previous and next page's URLs (or null) and the pages to link to
 * (site_page_links). */
static char *site_principle_link(const void *p, size_t n)
{
	return site_principle_url(p, n);
}

static cJSON *site_pagination(const model_principle *p, size_t n,
			      size_t pages, size_t members)
{
	cJSON *pg;
	char *url;

	if (pages <= 1)
		return cJSON_CreateNull();
	pg = cJSON_CreateObject();
	cJSON_AddNumberToObject(pg, "number", (double)n);
	cJSON_AddNumberToObject(pg, "total", (double)pages);
	cJSON_AddNumberToObject(pg, "first",
				(double)((n - 1) * SITE_PRINCIPLE_PAGE + 1));
	cJSON_AddNumberToObject(pg, "last",
				(double)(n * SITE_PRINCIPLE_PAGE < members
						 ? n * SITE_PRINCIPLE_PAGE
						 : members));
	url = n > 1 ? site_principle_url(p, n - 1) : NULL;
	site_add_str(pg, "prev_url", url);
	free(url);
	url = n < pages ? site_principle_url(p, n + 1) : NULL;
	site_add_str(pg, "next_url", url);
	free(url);
	cJSON_AddItemToObject(pg, "pages",
			      site_page_links(pages, n, 0, site_principle_link,
					      p));
	return pg;
}

/* Principle i's page n (from 1) of pages, listing its members. */
static cJSON *site_principle(site_ctx *c, size_t i, size_t n, size_t pages)
{
	const model_principle *p = &c->m->principles[i];
	cJSON *obj = cJSON_CreateObject(), *vs = cJSON_CreateArray();
	md_options opt = { 1, 1 };
	buf html = BUF_INIT;
	char *title = NULL;
	size_t k;

	cJSON_AddStringToObject(obj, "id", p->id);
	cJSON_AddStringToObject(obj, "title", p->title);
	cJSON_AddStringToObject(obj, "summary", p->summary);
	cJSON_AddNumberToObject(obj, "index", (double)(i + 1));
	if (p->body) {
		/* The page's h1 is the title from site.json; the file's own
		 * title heading is taken out so it does not repeat. */
		md_render(&html, p->body, p->body_len, &opt, &title);
		cJSON_AddStringToObject(obj, "body_html", html.ptr);
		free(title);
	}
	cJSON_AddItemToObject(obj, "pagination", site_pagination(p, n, pages,
							  c->m->n_vendors));
	cJSON_AddNumberToObject(obj, "count", (double)c->m->n_vendors);
	for (k = (n - 1) * SITE_PRINCIPLE_PAGE;
	     k < c->m->n_vendors && k < n * SITE_PRINCIPLE_PAGE; k++) {
		const model_vendor *v = &c->m->vendors[k];
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "slug", v->slug);
		cJSON_AddStringToObject(one, "name", v->name);
		site_add_printf(one, "url", "vendors/%s/", v->slug);
		cJSON_AddStringToObject(one, "country", v->country);
		site_add_sides(c, one, v, i);
		cJSON_AddItemToArray(vs, one);
	}
	cJSON_AddItemToObject(obj, "vendors", vs);
	buf_dispose(&html);
	return obj;
}

/* ---- pages ------------------------------------------------------------ */

/* "vendors/acme/index.html" -> "../../": links stay relative, so the
 * site works under any base path and from disk. */
static void site_root(buf *b, const char *path)
{
	for (; *path; path++)
		if (*path == '/')
			buf_puts(b, "../");
}

static void site_sitemap(site_ctx *c, const char *url, size_t len)
{
	buf_puts(&c->sitemap, "<url><loc>");
	esc_xml(&c->sitemap, url, len);
	buf_puts(&c->sitemap, "</loc></url>\n");
}

/* The address of the page at path: "vendors/acme/index.html" is
 * base_url + "vendors/acme/". */
static void site_canonical(site_ctx *c, buf *b, const char *path)
{
	const char *dir_end = strstr(path, "index.html");

	buf_puts(b, c->base_url);
	buf_put(b, path, dir_end ? (size_t)(dir_end - path) : strlen(path));
}

int site_reuse(site_ctx *c, size_t i, reuse_file f, const char *path,
	       int page)
{
	const out_stamp *prev = reuse_prev(c->reuse, i, f);
	buf canonical = BUF_INIT;
	int rc;

	c->stamp = reuse_slot(c->reuse, i, f);
	if (!prev || (rc = out_link(c->o, path, prev, c->stamp, c->err)) == 0)
		return 0;
	c->stamp = NULL;
	if (rc < 0)
		return -1;
	c->stats->files++;
	if (page) {
		c->stats->pages++;
		site_canonical(c, &canonical, path);
		site_sitemap(c, canonical.ptr, canonical.len);
		buf_dispose(&canonical);
	}
	return 1;
}

/* Renders template name for the page at path (".../index.html") with
 * the page's own view under key, and writes it. */
int site_page(site_ctx *c, const char *path, const char *tmpl,
		     const char *kind, const char *title,
		     const char *description, const char *key, cJSON *view)
{
	cJSON *root = cJSON_CreateObject(), *page = cJSON_CreateObject();
	buf root_path = BUF_INIT, canonical = BUF_INIT;
	char msg[512];
	int record, dated, stable, rc = -1;

	if (!strcmp(kind, "404")) {
		/* Served for any missing path: links start from the site's
		 * root path, "/" or "/dir/" of base_url. */
		const char *host = strstr(c->base_url, "://");
		const char *slash = host ? strchr(host + 3, '/') : NULL;

		buf_puts(&root_path, slash ? slash : "/");
	} else
		site_root(&root_path, path);
	site_canonical(c, &canonical, path);
	cJSON_AddStringToObject(page, "title", title);
	cJSON_AddStringToObject(page, "description", description);
	cJSON_AddStringToObject(page, "canonical", canonical.ptr);
	cJSON_AddStringToObject(page, "root", root_path.ptr);
	cJSON_AddStringToObject(page, "kind", kind);
	cJSON_AddStringToObject(page, "path", path);
	/* A member's own pages depend on its record, and an archive page
	 * of changes/ on its commits, not on the commit the directory was
	 * built from: they do not name that commit, so a commit to another
	 * member leaves them as they were (reuse.h). */
	record = !strcmp(kind, "vendor") || !strcmp(kind, "history");
	/* So do the pages of a principle and of a facet, made from the
	 * members they list (site_listing_reuse). */
	dated = record || !strcmp(kind, "principle") || !strcmp(kind, "facet");
	stable = dated || (!strcmp(kind, "changes") &&
			   strcmp(path, "changes/index.html"));
	cJSON_AddBoolToObject(page, "record", record);
	cJSON_AddBoolToObject(page, "dated", dated);
	cJSON_AddBoolToObject(page, "stable", stable);
	cJSON_AddItemReferenceToObject(root, "site",
				       stable ? c->site_stable : c->site);
	cJSON_AddItemToObject(root, "page", page);
	if (view)
		cJSON_AddItemToObject(root, key, view);
	buf_clear(&c->page);
	if (tmpl_render_memo(theme_templates(c->t), tmpl, root, c->memo,
			     &c->page, msg, sizeof(msg)) < 0) {
		buf_printf(c->err, "rendering %s with template %s: %s", path,
			   tmpl, msg);
		goto done;
	}
	rc = out_write_stamp(c->o, path, c->page.ptr, c->page.len, c->stamp,
			     c->err);
	c->stamp = NULL;
	if (rc < 0)
		goto done;
	c->stats->pages++;
	c->stats->files++;
	if (strcmp(kind, "404"))
		site_sitemap(c, canonical.ptr, canonical.len);
done:
	cJSON_Delete(root);
	buf_dispose(&root_path);
	buf_dispose(&canonical);
	return rc;
}

static cJSON *site_common(site_ctx *c)
{
	const model *m = c->m;
	cJSON *site = cJSON_CreateObject(), *ps = cJSON_CreateArray();
	cJSON *pages = cJSON_CreateArray(), *commit = cJSON_CreateObject();
	const char *js = theme_script(c->t, "directory.js");
	size_t i;

	cJSON_AddStringToObject(site, "title", m->title);
	cJSON_AddStringToObject(site, "base_url", c->base_url);
	site_add_str(site, "repo_url", m->repo_url);
	cJSON_AddStringToObject(site, "css", theme_css(c->t));
	site_add_str(site, "js", js);
	for (i = 0; i < m->n_principles; i++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "id", m->principles[i].id);
		cJSON_AddStringToObject(p, "title", m->principles[i].title);
		cJSON_AddStringToObject(p, "summary", m->principles[i].summary);
		site_add_printf(p, "url", "principles/%s/",
				m->principles[i].id);
		cJSON_AddNumberToObject(p, "index", (double)(i + 1));
		cJSON_AddItemToArray(ps, p);
	}
	cJSON_AddItemToObject(site, "principles", ps);
	cJSON_AddItemToObject(site, "layers", site_layers(m->layers,
							  m->n_layers));
	for (i = 0; i < m->n_pages; i++) {
		cJSON *p = cJSON_CreateObject();
		char *title = NULL;
		md_options opt = { 1, 1 };
		buf html = BUF_INIT;

		md_render(&html, m->pages[i].body, m->pages[i].body_len, &opt,
			  &title);
		cJSON_AddStringToObject(p, "name", m->pages[i].name);
		cJSON_AddStringToObject(p, "title",
					title ? title : m->pages[i].name);
		site_add_printf(p, "url", "%s/", m->pages[i].name);
		cJSON_AddItemToArray(pages, p);
		free(title);
		buf_dispose(&html);
	}
	cJSON_AddItemToObject(site, "pages", pages);
	cJSON_AddStringToObject(commit, "id", m->commit_id);
	site_add_printf(commit, "short", "%.7s", m->commit_id);
	cJSON_AddStringToObject(commit, "date", m->commit_date);
	if (m->repo_url)
		site_add_printf(commit, "url", "%s/commit/%s", m->repo_url,
				m->commit_id);
	cJSON_AddItemToObject(site, "commit", commit);
	if (c->h) {
		cJSON_AddStringToObject(site, "changes_url", "changes/");
		cJSON_AddStringToObject(site, "atom_url", "changes.atom");
	}
	/* The data, the comparison and the search box (export.c,
	 * compare.c), linked from every page. */
	cJSON_AddStringToObject(site, "compare_url", COMPARE_URL);
	cJSON_AddStringToObject(site, "csv_url", EXPORT_CSV);
	cJSON_AddStringToObject(site, "api_url", EXPORT_API_DOCS);
	cJSON_AddStringToObject(site, "api_vendors_url", EXPORT_API_VENDORS_DIR);
	cJSON_AddStringToObject(site, "search_index", EXPORT_SEARCH_INDEX);
	site_add_str(site, "search_js", theme_script(c->t, "search.js"));
	site_add_str(site, "compare_js", theme_script(c->t, "compare.js"));
	return site;
}

/* ---- the directory and its facet pages ---------------------------------- */

/* A page that lists members is made from what every page shares, the
 * rest of its view (head, what it says of the whole directory) and each
 * member it lists, in order: keys unit u by head and the keys (reuse.h)
 * of the members of [lo, hi) that match (all when match is NULL),
 * unless one of them has no key.  Then links the page at path from the last build
 * if that key did not change: site_reuse()'s result. */
static int site_listing_reuse(site_ctx *c, size_t u, const char *path,
			      buf *head, size_t lo, size_t hi,
			      int (*match)(const void *arg,
					   const model_vendor *v),
			      const void *arg)
{
	const unsigned char *key;
	size_t i;

	for (i = lo; i < hi; i++) {
		if (match && !match(arg, &c->m->vendors[i]))
			continue;
		/* A member without a key: neither has the page. */
		if (!(key = reuse_unit_key(c->reuse, i)))
			return 0;
		buf_put(head, key, GIT_OID_RAWSZ); /* hashed, never shown */
	}
	reuse_key(c->reuse, u, head->ptr, head->len);
	return site_reuse(c, u, REUSE_PROFILE, path, 1);
}

typedef enum { FACET_COUNTRY, FACET_LAYER, FACET_TYPE, FACET_STATUS } site_facet_kind;

typedef struct {
	site_facet_kind kind;
	char *slug;      /* filter/<slug>/ */
	char *label;     /* "Sweden (SE)" */
	const char *str; /* the country or layer */
	int independent; /* type facets and status facets */
	size_t principle;
	model_status status;
	size_t count;
} site_facet;

typedef struct {
	site_facet *items;
	size_t len, cap;
} site_facets;

static int site_facet_match(const site_facet *f, const model_vendor *v)
{
	const model_assessment *a;
	size_t i;

	switch (f->kind) {
	case FACET_COUNTRY:
		return !strcmp(v->country, f->str);
	case FACET_LAYER:
		for (i = 0; i < v->n_layers; i++)
			if (!strcmp(v->layers[i], f->str))
				return 1;
		return 0;
	case FACET_TYPE: /* independent: 1 yes, 0 self-attested only, -1 none */
		return f->independent == (v->latest_independent >= 0 ? 1
					  : v->latest_self >= 0     ? 0
								    : -1);
	case FACET_STATUS:
		a = site_latest(v, f->independent);
		return (a ? a->findings[f->principle].status : MODEL_NONE) ==
		       f->status;
	}
	return 0;
}

char *site_strf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
char *site_strf(const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

static site_facet *site_facet_add(site_facets *fs, site_facet_kind kind,
				  char *slug, char *label)
{
	site_facet *f;

	if (fs->len == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 64;
		fs->items = realloc(fs->items, fs->cap * sizeof(*fs->items));
		if (!fs->items)
			abort();
	}
	f = &fs->items[fs->len++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->slug = slug;
	f->label = label;
	return f;
}

static int site_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void site_facets_countries(const model *m, site_facets *fs)
{
	const char **codes = calloc(m->n_vendors + 1, sizeof(*codes));
	size_t i;

	if (!codes)
		abort();
	for (i = 0; i < m->n_vendors; i++)
		codes[i] = m->vendors[i].country;
	qsort(codes, m->n_vendors, sizeof(*codes), site_str_cmp);
	for (i = 0; i < m->n_vendors; i++) {
		if (i && !strcmp(codes[i], codes[i - 1]))
			continue;
		site_facet_add(fs, FACET_COUNTRY,
			       site_strf("country-%c%c", codes[i][0] + 32,
					 codes[i][1] + 32),
			       site_strf("%s (%s)", country_name(codes[i]),
					 codes[i]))->str = codes[i];
	}
	free(codes);
}

/* The facets: one page per country, layer and assessment type, and for
 * each principle one per self-attested and independent status.  They
 * make filtering work without JavaScript; facets no member matches are
 * not written. */
static void site_facets_build(const model *m, site_facets *fs)
{
	size_t i, v;
	int ind, s;

	site_facets_countries(m, fs);
	for (i = 0; i < m->n_layers; i++) {
		buf label = BUF_INIT;

		site_layer_label(&label, m->layers[i]);
		site_facet_add(fs, FACET_LAYER,
			       site_strf("layer-%s", m->layers[i]),
			       buf_detach(&label))->str = m->layers[i];
	}
	site_facet_add(fs, FACET_TYPE, site_strf("independent"),
		       site_strf("Independently assessed"))->independent = 1;
	site_facet_add(fs, FACET_TYPE, site_strf("self-attested-only"),
		       site_strf("Self-attested only"));
	site_facet_add(fs, FACET_TYPE, site_strf("no-assessment"),
		       site_strf("No assessment yet"))->independent = -1;
	for (i = 0; i < m->n_principles; i++)
		for (ind = 0; ind < 2; ind++)
			for (s = MODEL_MEETS; s >= MODEL_NONE; s--) {
				site_facet *f = site_facet_add(
					fs, FACET_STATUS,
					site_strf("%s-%s-%s", m->principles[i].id,
						  ind ? "independent" : "self",
						  model_status_id((model_status)s)),
					site_strf("%s: %s",
						  ind ? "Independent" : "Self-attested",
						  model_status_label((model_status)s)));

				f->principle = i;
				f->independent = ind;
				f->status = (model_status)s;
			}
	for (i = 0; i < fs->len; i++)
		for (v = 0; v < m->n_vendors; v++)
			fs->items[i].count +=
				(size_t)site_facet_match(&fs->items[i],
							 &m->vendors[v]);
}

static void site_facets_dispose(site_facets *fs)
{
	size_t i;

	for (i = 0; i < fs->len; i++) {
		free(fs->items[i].slug);
		free(fs->items[i].label);
	}
	free(fs->items);
}

static void site_facet_option(cJSON *options, const site_facet *f,
			      const site_facet *current)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "label", f->label);
	site_add_printf(o, "url", "filter/%s/", f->slug);
	cJSON_AddNumberToObject(o, "count", (double)f->count);
	cJSON_AddBoolToObject(o, "current", f == current);
	cJSON_AddItemToArray(options, o);
}

/* The groups of facet links shown on every directory page. */
static cJSON *site_facet_groups(const site_ctx *c, const site_facets *fs,
				const site_facet *current)
{
	static const char *const kinds[] = { "country", "layer", "type" };
	static const char *const labels[] = { "Country", "Layer",
					      "Assessment type" };
	cJSON *groups = cJSON_CreateArray();
	size_t i, k;

	for (k = 0; k < c->m->n_principles + 3; k++) {
		cJSON *g = cJSON_CreateObject(), *options = cJSON_CreateArray();

		if (k < 3) {
			cJSON_AddStringToObject(g, "kind", kinds[k]);
			cJSON_AddStringToObject(g, "label", labels[k]);
		} else {
			cJSON_AddStringToObject(g, "kind", "status");
			cJSON_AddStringToObject(g, "label",
						c->m->principles[k - 3].title);
			cJSON_AddStringToObject(g, "principle_id",
						c->m->principles[k - 3].id);
		}
		for (i = 0; i < fs->len; i++) {
			const site_facet *f = &fs->items[i];

			if (!f->count ||
			    (k < 3 && f->kind != (site_facet_kind)k) ||
			    (k >= 3 && (f->kind != FACET_STATUS ||
					f->principle != k - 3)))
				continue;
			site_facet_option(options, f, current);
		}
		cJSON_AddItemToObject(g, "options", options);
		cJSON_AddItemToArray(groups, g);
	}
	return groups;
}

static int site_facet_match_any(const void *f, const model_vendor *v)
{
	return site_facet_match(f, v);
}

/* Facet page f is made from the members it lists and, in its links to
 * the others, the number of members of each facet. */
static int site_facet_reuse(site_ctx *c, const site_facets *fs,
			    const site_facet *f, size_t unit, const char *path)
{
	buf head = BUF_INIT;
	size_t i;
	int rc;

	buf_printf(&head, "facet %s of %zu members\n", f->slug,
		   c->m->n_vendors);
	for (i = 0; i < fs->len; i++)
		buf_printf(&head, "%s %zu\n", fs->items[i].slug,
			   fs->items[i].count);
	rc = site_listing_reuse(c, unit, path, &head, 0, c->m->n_vendors,
				site_facet_match_any, f);
	buf_dispose(&head);
	return rc;
}

/* The directory (f NULL) or facet page f, whose reuse unit is unit. */
static int site_directory(site_ctx *c, const site_facets *fs,
			  const site_facet *f, size_t unit)
{
	const model *m = c->m;
	cJSON *d, *rows;
	buf path = BUF_INIT, title = BUF_INIT, desc = BUF_INIT;
	size_t i, n = 0;
	int rc;

	if (f)
		buf_printf(&path, "filter/%s/index.html", f->slug);
	else
		buf_puts(&path, "index.html");
	if (f && c->reuse &&
	    (rc = site_facet_reuse(c, fs, f, unit, path.ptr)) != 0) {
		buf_dispose(&path);
		return rc < 0 ? -1 : 0;
	}
	d = cJSON_CreateObject();
	rows = cJSON_CreateArray();
	for (i = 0; i < m->n_vendors; i++) {
		if (f && !site_facet_match(f, &m->vendors[i]))
			continue;
		cJSON_AddItemReferenceToArray(rows, c->rows[i]);
		n++;
	}
	if (f) {
		const char *kind = f->kind == FACET_COUNTRY ? "Country"
				   : f->kind == FACET_LAYER ? "Layer"
				   : f->kind == FACET_TYPE ? "Assessment type"
							   : m->principles[f->principle].title;
		cJSON *facet = cJSON_CreateObject();

		buf_printf(&title, "Members — %s: %s", kind, f->label);
		cJSON_AddStringToObject(facet, "kind", kind);
		site_add_printf(facet, "label", "%s: %s", kind, f->label);
		cJSON_AddItemToObject(d, "facet", facet);
	} else {
		buf_puts(&title, "Members");
	}
	buf_printf(&desc, "%zu members of the directory with their "
		   "self-attested and independently assessed standing on "
		   "each principle.", n);
	cJSON_AddStringToObject(d, "heading", title.ptr);
	cJSON_AddStringToObject(d, "lead",
				"Every member, and per principle what it "
				"attests itself and what an independent "
				"assessor found, side by side.");
	cJSON_AddNumberToObject(d, "count", (double)n);
	cJSON_AddNumberToObject(d, "total", (double)m->n_vendors);
	cJSON_AddItemToObject(d, "facets", site_facet_groups(c, fs, f));
	cJSON_AddItemToObject(d, "vendors", rows);
	rc = site_page(c, path.ptr, "directory", f ? "facet" : "directory",
		       title.ptr, desc.ptr, "directory", d);
	buf_dispose(&path);
	buf_dispose(&title);
	buf_dispose(&desc);
	return rc;
}

typedef struct {
	site_facets fs;
	size_t unit0; /* the reuse unit of the first facet's page */
} site_facet_pages;

/* Page i: the directory itself, then facet i - 1 if a member has it. */
static int site_directory_at(site_ctx *c, size_t i, void *arg)
{
	const site_facet_pages *fp = arg;

	if (i == 0)
		return site_directory(c, &fp->fs, NULL, 0);
	return fp->fs.items[i - 1].count
		       ? site_directory(c, &fp->fs, &fp->fs.items[i - 1],
					fp->unit0 + i - 1)
		       : 0;
}

static int site_directories(site_ctx *c)
{
	site_facet_pages fp = { { NULL, 0, 0 }, 0 };
	int rc;

	site_facets_build(c->m, &fp.fs);
	if (c->reuse)
		fp.unit0 = reuse_add(c->reuse, fp.fs.len, "filter/");
	rc = site_parallel(c, fp.fs.len + 1, site_directory_at, &fp);
	site_facets_dispose(&fp.fs);
	return rc;
}

/* ---- the other pages ---------------------------------------------------- */

static int site_vendor_page(site_ctx *c, size_t i, void *arg)
{
	const model_vendor *v = &c->m->vendors[i];
	buf path = BUF_INIT, desc = BUF_INIT;
	char *excerpt;
	int rc;

	buf_printf(&path, "vendors/%s/index.html", v->slug);
	if ((rc = site_reuse(c, i, REUSE_PROFILE, path.ptr, 1)) != 0) {
		buf_dispose(&path);
		return rc < 0 ? -1 : 0;
	}
	excerpt = v->summary ? md_excerpt(v->summary, v->summary_len, 160)
			     : NULL;
	if (excerpt && *excerpt)
		buf_puts(&desc, excerpt);
	else
		buf_printf(&desc, "%s: member profile, with its "
			   "self-attested and independently assessed "
			   "standing on each principle.", v->name);
	rc = site_page(c, path.ptr, "vendor", "vendor", v->name, desc.ptr,
		       "vendor", site_vendor(c, v));
	free(excerpt);
	buf_dispose(&path);
	buf_dispose(&desc);
	return rc;
}

static int site_vendors(site_ctx *c)
{
	return site_parallel(c, c->m->n_vendors, site_vendor_page, NULL);
}

typedef struct {
	size_t pages; /* per principle */
	size_t unit0; /* the reuse unit of the first principle's page 1 */
} site_principle_pages;

/* Page i: page i % pages + 1 of principle i / pages. */
static int site_principle_page(site_ctx *c, size_t i, void *arg)
{
	const site_principle_pages *pp = arg;
	size_t pages = pp->pages, n = i % pages + 1;
	const model_principle *p = &c->m->principles[i / pages];
	char *url = site_principle_url(p, n);
	char *path = site_strf("%sindex.html", url);
	char *title = n > 1 ? site_strf("%s (page %zu of %zu)", p->title, n,
					pages)
			    : NULL;
	int rc = 0;

	if (c->reuse) {
		/* The principle's own text is content/, which every page
		 * shares. */
		size_t lo = (n - 1) * SITE_PRINCIPLE_PAGE;
		size_t hi = lo + SITE_PRINCIPLE_PAGE;
		buf head = BUF_INIT;

		if (hi > c->m->n_vendors)
			hi = c->m->n_vendors;
		buf_printf(&head, "principle %s page %zu of %zu, %zu members\n",
			   p->id, n, pages, c->m->n_vendors);
		rc = site_listing_reuse(c, pp->unit0 + i, path, &head, lo, hi,
					NULL, NULL);
		buf_dispose(&head);
	}
	if (rc == 0)
		rc = site_page(c, path, "principle", "principle",
			       title ? title : p->title, p->summary,
			       "principle", site_principle(c, i / pages, n, pages));
	free(url);
	free(path);
	free(title);
	return rc < 0 ? -1 : 0;
}

/* Few principles, but each lists every member, SITE_PRINCIPLE_PAGE to
 * a page. */
static int site_principles(site_ctx *c)
{
	site_principle_pages pp;

	pp.pages = (c->m->n_vendors + SITE_PRINCIPLE_PAGE - 1) /
		   SITE_PRINCIPLE_PAGE;
	if (!pp.pages)
		pp.pages = 1;
	pp.unit0 = c->reuse ? reuse_add(c->reuse, c->m->n_principles * pp.pages,
					"principles/")
			    : 0;
	return site_parallel(c, c->m->n_principles * pp.pages,
			     site_principle_page, &pp);
}

static int site_pages(site_ctx *c)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < c->m->n_pages; i++) {
		const model_page *p = &c->m->pages[i];
		md_options opt = { 1, 1 };
		cJSON *view = cJSON_CreateObject();
		buf path = BUF_INIT, html = BUF_INIT;
		char *title = NULL, *excerpt;

		md_render(&html, p->body, p->body_len, &opt, &title);
		excerpt = md_excerpt(p->body, p->body_len, 160);
		cJSON_AddStringToObject(view, "name", p->name);
		cJSON_AddStringToObject(view, "title", title ? title : p->name);
		cJSON_AddStringToObject(view, "body_html", html.ptr);
		buf_printf(&path, "%s/index.html", p->name);
		rc = site_page(c, path.ptr, "page", "page",
			       title ? title : p->name,
			       excerpt && *excerpt ? excerpt : c->m->title,
			       "content_page", view);
		free(title);
		free(excerpt);
		buf_dispose(&path);
		buf_dispose(&html);
	}
	return rc;
}

int site_write(site_ctx *c, const char *path, const void *data, size_t len)
{
	out_part one = { data, len };

	return site_write_parts(c, path, &one, 1);
}

int site_write_parts(site_ctx *c, const char *path, const out_part *parts,
		     size_t n)
{
	int rc = out_write_parts(c->o, path, parts, n, c->stamp, c->err);

	c->stamp = NULL;
	if (rc < 0)
		return -1;
	c->stats->files++;
	return 0;
}

static int site_extras(site_ctx *c)
{
	buf b = BUF_INIT;
	const theme_asset *a;
	size_t i, n;
	int rc;

	rc = site_page(c, "404.html", "404", "404", "Page not found",
		       "There is no page at this address.", NULL, NULL);
	if (rc == 0) {
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<urlset xmlns=\"http://www.sitemaps.org/"
			     "schemas/sitemap/0.9\">\n");
		buf_put(&b, c->sitemap.ptr, c->sitemap.len);
		buf_puts(&b, "</urlset>\n");
		rc = site_write(c, "sitemap.xml", b.ptr, b.len);
	}
	if (rc == 0) {
		buf_clear(&b);
		buf_printf(&b, "User-agent: *\nAllow: /\n\nSitemap: %s"
			   "sitemap.xml\n", c->base_url);
		rc = site_write(c, "robots.txt", b.ptr, b.len);
	}
	a = theme_assets(c->t, &n);
	for (i = 0; rc == 0 && i < n; i++)
		rc = site_write(c, a[i].path, a[i].data, a[i].len);
	buf_dispose(&b);
	return rc;
}

int site_render(const model *m, const theme *t, const site_options *opt,
		out_site *o, site_stats *stats, buf *err)
{
	site_ctx c;
	site_rows rows;
	frag_set own; /* the members' parts when none are kept */
	buf base = BUF_INIT;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(stats, 0, sizeof(*stats));
	c.m = m;
	c.t = t;
	c.o = o;
	c.stats = stats;
	c.err = err;
	if (opt && opt->base_url) {
		buf_puts(&base, opt->base_url);
		if (!base.len || base.ptr[base.len - 1] != '/')
			buf_putc(&base, '/');
	} else {
		buf_puts(&base, m->base_url);
	}
	c.base_url = base.ptr;
	c.h = opt ? opt->history : NULL;
	c.threads = opt && opt->threads ? opt->threads : 1;
	c.reuse = opt ? opt->reuse : NULL;
	c.frags = opt ? opt->frags : NULL;
	if (!c.frags) {
		frag_init(&own, m->n_vendors);
		c.frags = &own;
	}
	buf_init(&c.page);
	buf_init(&c.sitemap);
	c.site = site_common(&c);
	/* A stable page cannot name the build's commit even if a theme
	 * asks for it: reuse links such a page from the last build. */
	c.site_stable = cJSON_Duplicate(c.site, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(c.site_stable, "commit");
	site_rows_begin(&c, &rows);
	/* compare/ and the pages rendered on this thread list rows too */
	c.memo = site_memo_new(&c);
	rc = site_parallel(&c, m->n_vendors, site_row_at, NULL);
	if (rc == 0)
		rc = site_directories(&c);
	if (rc == 0)
		rc = site_vendors(&c);
	if (rc == 0)
		rc = site_principles(&c);
	if (rc == 0)
		rc = site_pages(&c);
	if (rc == 0)
		rc = history_render(&c);
	if (rc == 0)
		rc = compare_render(&c);
	if (rc == 0)
		rc = export_render(&c);
	if (rc == 0)
		rc = site_extras(&c);
	tmpl_memo_free(c.memo); /* before the rows it has seen */
	site_rows_end(&c, &rows, rc == 0);
	if (c.frags == &own)
		frag_dispose(&own);
	cJSON_Delete(c.site);
	cJSON_Delete(c.site_stable);
	buf_dispose(&c.page);
	buf_dispose(&c.sitemap);
	buf_dispose(&base);
	return rc;
}
