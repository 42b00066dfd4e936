#include "export.h"
#include "export_int.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "esc.h"
#include "hist.h"
#include "history.h"
#include "jsonw.h"
#include "strmap.h"

/*
 * The files are built as cJSON trees, keys in the order of the tables
 * in export_schema.c, and printed unformatted: cJSON prints integers
 * without a fraction and keeps insertion order, so the bytes depend on
 * the model alone.
 */

/* ---- small builders ---------------------------------------------------- */

/* An absolute address under the site's base URL. */
static void export_add_url(site_ctx *c, cJSON *obj, const char *key,
			   const char *fmt, const char *arg)
{
	buf b = BUF_INIT;

	buf_puts(&b, c->base_url);
	buf_printf(&b, fmt, arg);
	cJSON_AddStringToObject(obj, key, b.ptr);
	buf_dispose(&b);
}

static void export_add_md(cJSON *obj, const char *key, const char *text,
			  int shift)
{
	buf html_key = BUF_INIT;

	site_add_str(obj, key, text);
	buf_printf(&html_key, "%s_html", key);
	site_add_md(obj, html_key.ptr, text, text ? strlen(text) : 0, shift);
	buf_dispose(&html_key);
}

/* $schema, api_version and commit: the head of every API file; commit
 * is id (of date) when given, else the commit the site is built from. */
static cJSON *export_head_at(site_ctx *c, const char *schema, const char *id,
			     const char *date)
{
	cJSON *obj = cJSON_CreateObject(), *commit;

	if (!id) {
		id = c->m->commit_id;
		date = c->m->commit_date;
	}
	export_add_url(c, obj, "$schema", "api/v1/schema/%s.json", schema);
	cJSON_AddNumberToObject(obj, "api_version", 1);
	commit = cJSON_AddObjectToObject(obj, "commit");
	cJSON_AddStringToObject(commit, "id", id);
	cJSON_AddStringToObject(commit, "date", date);
	if (c->m->repo_url)
		site_add_printf(commit, "url", "%s/commit/%s", c->m->repo_url,
				id);
	else
		cJSON_AddNullToObject(commit, "url");
	return obj;
}

static cJSON *export_head(site_ctx *c, const char *schema)
{
	return export_head_at(c, schema, NULL, NULL);
}

/* A vendor's file names the newest commit that changed the vendor, not
 * the one the site is built from, so that it stays the same file while
 * the vendor does (schema: export_vendor's "commit"). */
static cJSON *export_vendor_head(site_ctx *c, const model_vendor *v)
{
	const hist_vendor *hv = c->h ? hist_vendor_get(c->h, v->slug) : NULL;
	const hist_commit *hc;
	char date[11];

	if (!hv || !hv->len)
		return export_head(c, "vendor");
	hc = &c->h->commits[hv->spans[0].commit];
	history_date(date, hc->time);
	return export_head_at(c, "vendor", hc->id, date);
}

/* Prints obj (which is consumed) to path, with a final newline. */
static int export_write_json(site_ctx *c, const char *path, cJSON *obj)
{
	buf b = BUF_INIT;
	int rc;

	jsonw_print(&b, obj);
	buf_putc(&b, '\n');
	cJSON_Delete(obj);
	rc = site_write(c, path, b.ptr, b.len);
	buf_dispose(&b);
	return rc;
}

static cJSON *export_strings(const char *const *s, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(s[i]));
	return arr;
}

static size_t export_stale_count(site_ctx *c, const model_finding *fd)
{
	size_t i, n = 0;

	for (i = 0; i < fd->n_evidence; i++)
		n += (size_t)model_evidence_stale(c->m, &fd->evidence[i]);
	return n;
}

/* ---- api/v1/site.json --------------------------------------------------- */

static int export_site(site_ctx *c)
{
	const model *m = c->m;
	cJSON *obj = export_head(c, "site"), *arr, *links;
	size_t i;
	int s;

	cJSON_AddStringToObject(obj, "title", m->title);
	cJSON_AddStringToObject(obj, "base_url", c->base_url);
	site_add_str(obj, "repo_url", m->repo_url);
	cJSON_AddNumberToObject(obj, "evidence_max_age_days",
				m->evidence_max_age_days);
	cJSON_AddNumberToObject(obj, "vendor_count", (double)m->n_vendors);
	arr = cJSON_AddArrayToObject(obj, "principles");
	for (i = 0; i < m->n_principles; i++) {
		const model_principle *p = &m->principles[i];
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "id", p->id);
		cJSON_AddNumberToObject(one, "index", (double)(i + 1));
		cJSON_AddStringToObject(one, "title", p->title);
		cJSON_AddStringToObject(one, "summary", p->summary);
		export_add_url(c, one, "url", "principles/%s/", p->id);
		cJSON_AddItemToArray(arr, one);
	}
	cJSON_AddItemToObject(obj, "layers", site_layers(m->layers,
							 m->n_layers));
	arr = cJSON_AddArrayToObject(obj, "statuses");
	for (s = MODEL_MEETS; s >= MODEL_NONE; s--) {
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "id", model_status_id((model_status)s));
		cJSON_AddStringToObject(one, "label",
					model_status_label((model_status)s));
		cJSON_AddStringToObject(one, "symbol", site_symbols[s]);
		cJSON_AddItemToArray(arr, one);
	}
	arr = cJSON_AddArrayToObject(obj, "evidence_kinds");
	for (i = 0; export_kinds[i]; i++) {
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "id", export_kinds[i]);
		cJSON_AddStringToObject(one, "label",
					site_kind_label(export_kinds[i]));
		cJSON_AddItemToArray(arr, one);
	}
	links = cJSON_AddObjectToObject(obj, "links");
	export_add_url(c, links, "docs", "%s", EXPORT_API_DOCS);
	export_add_url(c, links, "vendors", "%svendors.json", EXPORT_API_DIR);
	export_add_url(c, links, "vendor", "%s{slug}.json",
		       EXPORT_API_VENDORS_DIR);
	export_add_url(c, links, "csv", "%s", EXPORT_CSV);
	return export_write_json(c, EXPORT_API_DIR "site.json", obj);
}

/* ---- api/v1/vendors.json ------------------------------------------------ */

/* The fields a standing side and a full side share, in table order. */
static cJSON *export_side_head(site_ctx *c, const model_assessment *a,
			       size_t p)
{
	const model_finding *fd = &a->findings[p];
	cJSON *side = cJSON_CreateObject();

	cJSON_AddStringToObject(side, "assessment", a->id);
	site_add_str(side, "assessor", a->assessor);
	cJSON_AddStringToObject(side, "date", a->date);
	site_add_str(side, "valid_until", a->valid_until);
	cJSON_AddBoolToObject(side, "expired",
			      model_assessment_expired(c->m, a));
	cJSON_AddStringToObject(side, "status", model_status_id(fd->status));
	cJSON_AddNumberToObject(side, "evidence_count", (double)fd->n_evidence);
	cJSON_AddNumberToObject(side, "stale_evidence_count",
				(double)export_stale_count(c, fd));
	return side;
}

static void export_vendor_id(cJSON *obj, const model_vendor *v)
{
	cJSON_AddStringToObject(obj, "slug", v->slug);
	cJSON_AddStringToObject(obj, "name", v->name);
	site_add_str(obj, "legal_name", v->legal_name);
	cJSON_AddStringToObject(obj, "country", v->country);
	cJSON_AddStringToObject(obj, "country_name", country_name(v->country));
	cJSON_AddItemToObject(obj, "layers",
			      export_strings(v->layers, v->n_layers));
	cJSON_AddStringToObject(obj, "member_since", v->member_since);
	cJSON_AddStringToObject(obj, "website", v->website);
}

static cJSON *export_vendor_brief(site_ctx *c, const model_vendor *v)
{
	const model_assessment *self = site_latest(v, 0);
	const model_assessment *ind = site_latest(v, 1);
	cJSON *obj = cJSON_CreateObject(), *st;
	size_t p;

	export_vendor_id(obj, v);
	cJSON_AddBoolToObject(obj, "independently_assessed", ind != NULL);
	export_add_url(c, obj, "profile_url", "vendors/%s/", v->slug);
	export_add_url(c, obj, "api_url", EXPORT_API_VENDORS_DIR "%s.json",
		       v->slug);
	st = cJSON_AddArrayToObject(obj, "standings");
	for (p = 0; p < c->m->n_principles; p++) {
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "principle",
					c->m->principles[p].id);
		cJSON_AddItemToObject(one, "self_attestation",
				      self ? export_side_head(c, self, p)
					   : cJSON_CreateNull());
		cJSON_AddItemToObject(one, "independent",
				      ind ? export_side_head(c, ind, p)
					  : cJSON_CreateNull());
		cJSON_AddItemToArray(st, one);
	}
	return obj;
}

/* Writes obj, whose last member is an empty array, with the members'
 * parts of kind k in that array, to path: what printing it with every
 * member's value in the array would write, made by copying the parts. */
static int export_write_joined(site_ctx *c, const char *path, cJSON *obj,
			       frag_kind k)
{
	const frag_set *f = c->frags;
	out_part *parts = calloc(2 * f->n + 2, sizeof(*parts));
	buf b = BUF_INIT;
	size_t i, n = 0;
	int rc;

	if (!parts)
		abort();
	jsonw_print(&b, obj);
	cJSON_Delete(obj);
	/* ...,"vendors":[]} */
	if (b.len < 2 || strcmp(b.ptr + b.len - 2, "]}"))
		abort();
	parts[n++] = (out_part){ b.ptr, b.len - 2 };
	for (i = 0; i < f->n; i++) {
		if (i)
			parts[n++] = (out_part){ ",", 1 };
		parts[n++] = (out_part){ f->now[i].piece[k].ptr,
					 f->now[i].piece[k].len };
	}
	parts[n++] = (out_part){ "]}\n", 3 };
	rc = site_write_parts(c, path, parts, n);
	free(parts);
	buf_dispose(&b);
	return rc;
}

static int export_vendors(site_ctx *c)
{
	cJSON *obj = export_head(c, "vendors"), *ids;
	size_t i;

	ids = cJSON_AddArrayToObject(obj, "principles");
	for (i = 0; i < c->m->n_principles; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateString(
						  c->m->principles[i].id));
	cJSON_AddArrayToObject(obj, "vendors");
	return export_write_joined(c, EXPORT_API_DIR "vendors.json", obj,
				   FRAG_VENDORS);
}

/* ---- api/v1/vendors/<slug>.json ----------------------------------------- */

static cJSON *export_evidence(site_ctx *c, const model_finding *fd)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < fd->n_evidence; i++) {
		const model_evidence *e = &fd->evidence[i];
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "title", e->title);
		cJSON_AddStringToObject(one, "kind", e->kind);
		site_add_str(one, "url", e->url);
		site_add_str(one, "date", e->date);
		site_add_str(one, "sha256", e->sha256);
		cJSON_AddBoolToObject(one, "stale",
				      model_evidence_stale(c->m, e));
		cJSON_AddItemToArray(arr, one);
	}
	return arr;
}

/* One side of a finding, as the profile shows it: the same summary,
 * in the same safe HTML (headings shifted as on the profile). */
static cJSON *export_side(site_ctx *c, const model_assessment *a, size_t p)
{
	const model_finding *fd = &a->findings[p];
	cJSON *side = export_side_head(c, a, p);

	site_add_str(side, "report_url", a->report_url);
	export_add_md(side, "summary", fd->summary, 3);
	cJSON_AddItemToObject(side, "evidence", export_evidence(c, fd));
	return side;
}

/* The history summary of a vendor, from the history walk: the same
 * "listed since" and "last changed" the profile shows (history.c
 * decides them), or null when the build has no history of it. */
static cJSON *export_history(site_ctx *c, const model_vendor *v)
{
	const hist_vendor *hv = c->h ? hist_vendor_get(c->h, v->slug) : NULL;
	cJSON *keys, *obj;

	if (!hv || !hv->len)
		return cJSON_CreateNull();
	keys = cJSON_CreateObject();
	history_vendor_keys(c, v, keys);
	obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "listed_since", cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(keys, "listed_since")));
	cJSON_AddStringToObject(obj, "last_changed", cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(keys, "last_changed"),
				"date")));
	cJSON_AddNumberToObject(obj, "change_count", (double)hv->len);
	export_add_url(c, obj, "url", "vendors/%s/history/", v->slug);
	export_add_url(c, obj, "feed_url", "vendors/%s/history.atom", v->slug);
	cJSON_Delete(keys);
	return obj;
}

static cJSON *export_assessments(site_ctx *c, const model_vendor *v)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i, p;

	for (i = 0; i < v->n_assessments; i++) {
		const model_assessment *a = &v->assessments[i];
		cJSON *one = cJSON_CreateObject();
		size_t listed = 0;

		for (p = 0; p < c->m->n_principles; p++)
			listed += (size_t)a->findings[p].listed;
		cJSON_AddStringToObject(one, "id", a->id);
		cJSON_AddStringToObject(one, "type", a->independent
							   ? "independent"
							   : "self-attestation");
		site_add_str(one, "assessor", a->assessor);
		cJSON_AddStringToObject(one, "date", a->date);
		site_add_str(one, "valid_until", a->valid_until);
		cJSON_AddBoolToObject(one, "expired",
				      model_assessment_expired(c->m, a));
		export_add_md(one, "scope", a->scope, 2);
		site_add_str(one, "report_url", a->report_url);
		cJSON_AddNumberToObject(one, "principle_count", (double)listed);
		cJSON_AddStringToObject(one, "path", a->path);
		site_edit_url(c, one, a->path);
		cJSON_AddItemToArray(arr, one);
	}
	return arr;
}

static cJSON *export_vendor(site_ctx *c, const model_vendor *v)
{
	const model_assessment *self = site_latest(v, 0);
	const model_assessment *ind = site_latest(v, 1);
	cJSON *obj = export_vendor_head(c, v), *ps;
	buf path = BUF_INIT;
	size_t p;

	export_vendor_id(obj, v);
	site_add_str(obj, "security_contact", v->security_contact);
	site_add_str(obj, "summary", v->summary);
	site_add_md(obj, "summary_html", v->summary, v->summary_len, 1);
	site_notice(obj, v, c->m);
	export_add_url(c, obj, "profile_url", "vendors/%s/", v->slug);
	buf_printf(&path, "vendors/%s/profile.json", v->slug);
	site_edit_url(c, obj, path.ptr);
	ps = cJSON_AddArrayToObject(obj, "principles");
	for (p = 0; p < c->m->n_principles; p++) {
		const model_principle *pr = &c->m->principles[p];
		cJSON *one = cJSON_CreateObject();

		cJSON_AddStringToObject(one, "id", pr->id);
		cJSON_AddStringToObject(one, "title", pr->title);
		export_add_url(c, one, "url", "principles/%s/", pr->id);
		cJSON_AddItemToObject(one, "self_attestation",
				      self ? export_side(c, self, p)
					   : cJSON_CreateNull());
		cJSON_AddItemToObject(one, "independent",
				      ind ? export_side(c, ind, p)
					  : cJSON_CreateNull());
		cJSON_AddItemToArray(ps, one);
	}
	cJSON_AddItemToObject(obj, "assessments", export_assessments(c, v));
	cJSON_AddItemToObject(obj, "history", export_history(c, v));
	buf_dispose(&path);
	return obj;
}

static int export_vendor_file(site_ctx *c, size_t i, void *arg)
{
	const model_vendor *v = &c->m->vendors[i];
	buf path = BUF_INIT;
	int rc;

	buf_printf(&path, EXPORT_API_VENDORS_DIR "%s.json", v->slug);
	if ((rc = site_reuse(c, i, REUSE_API, path.ptr, 0)) == 0)
		rc = export_write_json(c, path.ptr, export_vendor(c, v));
	else if (rc > 0)
		rc = 0;
	buf_dispose(&path);
	return rc;
}

/* ---- the schemas ---------------------------------------------------------- */

static const char *const export_files[] = { "site", "vendors", "vendor", NULL };

/* The schemas are small and read by people: printed with indentation. */
static int export_schemas(site_ctx *c)
{
	buf path = BUF_INIT, text = BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && export_files[i]; i++) {
		cJSON *s = export_schema(export_files[i], c->base_url);
		char *printed = cJSON_Print(s);

		cJSON_Delete(s);
		if (!printed)
			abort();
		buf_clear(&path);
		buf_clear(&text);
		buf_printf(&path, EXPORT_API_DIR "schema/%s.json",
			   export_files[i]);
		buf_puts(&text, printed);
		buf_putc(&text, '\n');
		free(printed);
		rc = site_write(c, path.ptr, text.ptr, text.len);
	}
	buf_dispose(&path);
	buf_dispose(&text);
	return rc;
}

/* ---- directory.csv -------------------------------------------------------- */

/* Appends one cell (empty for NULL) and what ends it: a comma, or CR LF
 * after the last cell of a row. */
static void export_cell(buf *b, const char *s, int last)
{
	if (s)
		esc_csv(b, s, strlen(s));
	buf_puts(b, last ? "\r\n" : ",");
}

static void export_cell_count(buf *b, size_t n)
{
	buf_printf(b, "%zu,", n);
}

/* One row, its cells in the order of export_csv_columns; the cells of a
 * side the vendor does not have are empty, its status "none". */
static void export_csv_row(site_ctx *c, buf *b, const model_vendor *v,
			   size_t p, const char *layers, const char *profile)
{
	const model_assessment *side[2] = { site_latest(v, 0),
					    site_latest(v, 1) };
	int k;

	export_cell(b, v->name, 0);
	export_cell(b, v->slug, 0);
	export_cell(b, v->country, 0);
	export_cell(b, layers, 0);
	export_cell(b, c->m->principles[p].id, 0);
	export_cell(b, c->m->principles[p].title, 0);
	for (k = 0; k < 2; k++) {
		const model_assessment *a = side[k];
		const model_finding *fd = a ? &a->findings[p] : NULL;

		export_cell(b, model_status_id(fd ? fd->status : MODEL_NONE), 0);
		if (k == 1)
			export_cell(b, a ? a->assessor : NULL, 0);
		export_cell(b, a ? a->date : NULL, 0);
		if (k == 1)
			export_cell(b, a ? a->valid_until : NULL, 0);
		export_cell(b, !a ? NULL : model_assessment_expired(c->m, a)
					   ? "yes" : "no", 0);
		if (fd) {
			export_cell_count(b, fd->n_evidence);
			export_cell_count(b, export_stale_count(c, fd));
		} else {
			buf_puts(b, ",,");
		}
	}
	export_cell(b, profile, 1);
}

/* A member's rows of directory.csv. */
static void export_csv_rows(site_ctx *c, buf *b, const model_vendor *v)
{
	buf layers = BUF_INIT, profile = BUF_INIT;
	size_t p, k;

	for (k = 0; k < v->n_layers; k++)
		buf_printf(&layers, "%s%s", k ? "; " : "", v->layers[k]);
	buf_printf(&profile, "%svendors/%s/", c->base_url, v->slug);
	for (p = 0; p < c->m->n_principles; p++)
		export_csv_row(c, b, v, p, layers.ptr, profile.ptr);
	buf_dispose(&layers);
	buf_dispose(&profile);
}

static int export_csv(site_ctx *c, buf *b)
{
	const frag_set *f = c->frags;
	size_t i;

	out_part *parts = calloc(f->n + 1, sizeof(*parts));
	int rc;

	if (!parts)
		abort();
	for (i = 0; export_csv_columns[i].name; i++)
		export_cell(b, export_csv_columns[i].name,
			    !export_csv_columns[i + 1].name);
	parts[0] = (out_part){ b->ptr, b->len };
	for (i = 0; i < f->n; i++)
		parts[i + 1] = (out_part){ f->now[i].piece[FRAG_CSV].ptr,
					   f->now[i].piece[FRAG_CSV].len };
	rc = site_write_parts(c, EXPORT_CSV, parts, f->n + 1);
	free(parts);
	return rc;
}

/* ---- assets/search.json ------------------------------------------------- */

/* Adds the titles of the evidence a profile shows (the latest
 * self-attestation's and independent assessment's), each once; seen
 * is emptied first and keeps the search linear in the titles. */
static void export_search_evidence(cJSON *arr, strmap *seen, const model *m,
				   const model_vendor *v)
{
	const model_assessment *sides[2] = { site_latest(v, 0),
					     site_latest(v, 1) };
	size_t p, e, k;

	strmap_dispose(seen);
	for (p = 0; p < m->n_principles; p++)
		for (k = 0; k < 2; k++) {
			const model_finding *fd = sides[k]
							  ? &sides[k]->findings[p]
							  : NULL;

			for (e = 0; fd && e < fd->n_evidence; e++) {
				const char *t = fd->evidence[e].title;

				if (strmap_get(seen, t))
					continue;
				strmap_put(seen, t, (void *)t);
				cJSON_AddItemToArray(arr, cJSON_CreateString(t));
			}
		}
}

/* A member's array in the search index: the values of "fields". */
static void export_search_entry(site_ctx *c, buf *b, const model_vendor *v)
{
	cJSON *one = cJSON_CreateArray();
	cJSON *layers = cJSON_CreateArray();
	cJSON *evidence = cJSON_CreateArray();
	strmap seen = STRMAP_INIT;
	size_t k;

	cJSON_AddItemToArray(one, cJSON_CreateString(v->slug));
	cJSON_AddItemToArray(one, cJSON_CreateString(v->name));
	cJSON_AddItemToArray(one, cJSON_CreateString(
					  v->legal_name ? v->legal_name : ""));
	cJSON_AddItemToArray(one, cJSON_CreateString(v->country));
	cJSON_AddItemToArray(one, cJSON_CreateString(country_name(v->country)));
	for (k = 0; k < v->n_layers; k++) {
		buf label = BUF_INIT;

		site_layer_label(&label, v->layers[k]);
		cJSON_AddItemToArray(layers, cJSON_CreateString(label.ptr));
		buf_dispose(&label);
	}
	cJSON_AddItemToArray(one, layers);
	export_search_evidence(evidence, &seen, c->m, v);
	cJSON_AddItemToArray(one, evidence);
	strmap_dispose(&seen);
	jsonw_print(b, one);
	cJSON_Delete(one);
}

/* A compact index for the search box: one array per vendor, the
 * positions named once in "fields". */
static int export_search(site_ctx *c)
{
	static const char *const fields[] = {
		"slug", "name", "legal_name", "country", "country_name",
		"layers", "evidence"
	};
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddNumberToObject(obj, "version", 1);
	cJSON_AddItemToObject(obj, "fields", export_strings(fields, 7));
	cJSON_AddArrayToObject(obj, "vendors");
	return export_write_joined(c, EXPORT_SEARCH_INDEX, obj, FRAG_SEARCH);
}

/* Member i's parts of the three files: from the last build's when its
 * key is the same (site_render took them), else made (each job its own
 * member). */
static int export_member_parts(site_ctx *c, size_t i, void *arg)
{
	const model_vendor *v = &c->m->vendors[i];
	cJSON *brief;
	buf b = BUF_INIT;

	(void)arg;
	if (c->frags->now[i].taken)
		return 0;
	brief = export_vendor_brief(c, v);
	jsonw_print(&b, brief);
	cJSON_Delete(brief);
	frag_give(c->frags, i, FRAG_VENDORS, &b);
	export_csv_rows(c, &b, v);
	frag_give(c->frags, i, FRAG_CSV, &b);
	export_search_entry(c, &b, v);
	frag_give(c->frags, i, FRAG_SEARCH, &b);
	return 0;
}

/* ---- api/index.html ------------------------------------------------------- */

/* One file of the API on the documentation page; url is the file to
 * link to (for vendors/<slug>.json, one member's), or NULL. */
static cJSON *export_doc_file(const char *name, const char *path,
			      const char *url)
{
	const export_object *o = export_object_find(name);
	cJSON *f = cJSON_CreateObject();

	cJSON_AddStringToObject(f, "name", name);
	cJSON_AddStringToObject(f, "path", path);
	site_add_str(f, "url", url);
	site_add_printf(f, "schema_url", EXPORT_API_DIR "schema/%s.json", name);
	cJSON_AddStringToObject(f, "description", o->desc);
	cJSON_AddItemToObject(f, "fields", export_schema_fields(name));
	return f;
}

/* The first lines of directory.csv, to show what a row looks like
 * (line ends as on screen: without the carriage returns). */
static void export_csv_excerpt(cJSON *view, const buf *csv, int lines)
{
	buf text = BUF_INIT;
	size_t i;

	for (i = 0; i < csv->len && lines > 0; i++) {
		if (csv->ptr[i] == '\n')
			lines--;
		if (csv->ptr[i] != '\r')
			buf_putc(&text, csv->ptr[i]);
	}
	cJSON_AddStringToObject(view, "csv_example", text.ptr);
	buf_dispose(&text);
}

static int export_docs(site_ctx *c, cJSON *example, const buf *csv)
{
	cJSON *view = cJSON_CreateObject(), *files, *cols;
	const model_vendor *first = c->m->n_vendors ? &c->m->vendors[0] : NULL;
	buf vendor_path = BUF_INIT;
	size_t i;
	int rc;

	if (first)
		buf_printf(&vendor_path, EXPORT_API_VENDORS_DIR "%s.json",
			   first->slug);
	site_add_printf(view, "base", "%s" EXPORT_API_DIR, c->base_url);
	site_add_str(view, "example_slug", first ? first->slug : NULL);
	files = cJSON_AddArrayToObject(view, "files");
	cJSON_AddItemToArray(files, export_doc_file(
					    "site", EXPORT_API_DIR "site.json",
					    EXPORT_API_DIR "site.json"));
	cJSON_AddItemToArray(files, export_doc_file(
					    "vendors", EXPORT_API_DIR "vendors.json",
					    EXPORT_API_DIR "vendors.json"));
	cJSON_AddItemToArray(files, export_doc_file(
					    "vendor",
					    EXPORT_API_VENDORS_DIR "<slug>.json",
					    first ? vendor_path.ptr : NULL));
	if (example) {
		/* One standing is enough to show the shape. */
		cJSON *st = cJSON_GetObjectItemCaseSensitive(example,
							     "standings");
		char *text;

		while (cJSON_GetArraySize(st) > 1)
			cJSON_DeleteItemFromArray(st, 1);
		text = cJSON_Print(example);
		if (!text)
			abort();
		cJSON_AddStringToObject(view, "vendors_example", text);
		free(text);
	} else {
		cJSON_AddNullToObject(view, "vendors_example");
	}
	cols = cJSON_AddArrayToObject(view, "csv_columns");
	for (i = 0; export_csv_columns[i].name; i++) {
		cJSON *col = cJSON_CreateObject();

		cJSON_AddStringToObject(col, "name", export_csv_columns[i].name);
		cJSON_AddStringToObject(col, "description",
					export_csv_columns[i].desc);
		cJSON_AddItemToArray(cols, col);
	}
	export_csv_excerpt(view, csv, 4);
	rc = site_page(c, EXPORT_API_DOCS "index.html", "api", "api",
		       "Data and API",
		       "The directory as data: a JSON API described by JSON "
		       "Schema, and a CSV file for spreadsheets.",
		       "api", view);
	buf_dispose(&vendor_path);
	return rc;
}

/* The three files about every vendor at once, each assembled by one
 * thread from the members' parts: vendors.json, directory.csv and the
 * search index. */
static int export_whole_file(site_ctx *c, size_t i, void *arg)
{
	buf *csv = arg;

	switch (i) {
	case 0:
		return export_vendors(c);
	case 1:
		return export_csv(c, csv);
	default:
		return export_search(c);
	}
}

int export_render(site_ctx *c)
{
	buf csv = BUF_INIT;
	cJSON *example = NULL;
	int rc;

	rc = export_site(c);
	if (rc == 0)
		rc = site_parallel(c, c->m->n_vendors, export_member_parts,
				   NULL);
	if (rc == 0)
		rc = site_parallel(c, 3, export_whole_file, &csv);
	if (rc == 0)
		rc = site_parallel(c, c->m->n_vendors, export_vendor_file,
				   NULL);
	if (rc == 0)
		rc = export_schemas(c);
	if (rc == 0 && c->m->n_vendors)
		example = export_vendor_brief(c, &c->m->vendors[0]);
	if (rc == 0)
		rc = export_docs(c, example, &csv);
	cJSON_Delete(example);
	buf_dispose(&csv);
	return rc;
}
