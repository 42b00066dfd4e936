#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "country.h"
#include "json.h"
#include "pool.h"
#include "utf8.h"

static const char *const model_kinds[] = {
	"policy", "certification", "audit-report", "attestation",
	"transparency-report", "contract-clause", "other", NULL
};

/* Page names that would collide with the pages trustdir writes. */
static const char *const model_reserved[] = {
	"api", "assets", "changes", "compare", "filter", "principles",
	"vendors", "search", "404", NULL
};

static const char *const model_status_ids[] = {
	"none", "not-assessed", "does-not-meet", "partially-meets", "meets"
};
static const char *const model_status_labels[] = {
	"No assessment", "Not assessed", "Does not meet", "Partially meets",
	"Meets"
};

const char *model_kind_static(const char *kind)
{
	size_t i;

	for (i = 0; kind && model_kinds[i]; i++)
		if (!strcmp(kind, model_kinds[i]))
			return model_kinds[i];
	return NULL;
}

const char *model_status_id(model_status s)
{
	return model_status_ids[s];
}

const char *model_status_label(model_status s)
{
	return model_status_labels[s];
}

int model_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > 63)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      (c == '-' && i > 0)))
			return 0;
	}
	return 1;
}

long model_days(const char *date)
{
	/* Howard Hinnant's days_from_civil: exact for the Gregorian
	 * calendar, and independent of the time zone and locale. */
	long y = strtol(date, NULL, 10);
	unsigned m = (unsigned)strtoul(date + 5, NULL, 10);
	unsigned d = (unsigned)strtoul(date + 8, NULL, 10);
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

int model_assessment_expired(const model *m, const model_assessment *a)
{
	return a->valid_until && strcmp(a->valid_until, m->commit_date) < 0;
}

int model_evidence_stale(const model *m, const model_evidence *e)
{
	return e->date && model_days(m->commit_date) - model_days(e->date) >
				  m->evidence_max_age_days;
}

int model_principle_index(const model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->n_principles; i++)
		if (!strcmp(m->principles[i].id, id))
			return (int)i;
	return -1;
}

static int model_layer_known(const model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->n_layers; i++)
		if (!strcmp(m->layers[i], id))
			return 1;
	return 0;
}

static void model_list(buf *b, const char *const *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", items[i]);
}

/* Parses one JSON file; a syntax error becomes one diagnostic. */
static cJSON *model_parse(const repo_file *f, diag_list *diags)
{
	json_error err;
	cJSON *root = NULL;

	if (json_parse(&root, f->data, f->len, &err) < 0) {
		diag_add(diags, f->path, err.line, err.col, "%s", err.msg);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		diag_add(diags, f->path, 1, 1,
			 "the file must hold one JSON object {…}, not %s",
			 check_type_name(root));
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static void model_ctx(check_ctx *c, const repo_file *f, const cJSON *root,
		      diag_list *diags)
{
	memset(c, 0, sizeof(*c));
	c->diags = diags;
	c->path = f->path;
	c->text = f->data;
	c->len = f->len;
	c->root = root;
}

/* Checks that a markdown file is valid UTF-8; returns 0 when it is. */
static int model_check_markdown(const repo_file *f, diag_list *diags)
{
	size_t bad;
	int line, col;

	if (utf8_validate(f->data, f->len, &bad) == 0)
		return 0;
	utf8_position(f->data, f->len, bad, &line, &col);
	diag_add(diags, f->path, line, col,
		 "invalid UTF-8 at byte %zu; the file must be UTF-8 text "
		 "without NUL bytes", bad);
	return -1;
}

static char *model_dup(model *m, const char *s)
{
	return arena_strdup(&m->arena, s);
}

/* ---- site.json ------------------------------------------------------ */

static void model_site_principles(model *m, check_ctx *c, const cJSON *arr)
{
	static const char *const fields[] = { "id", "title", "summary", NULL };
	const cJSON *p;
	size_t n = 0;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1) {
		check_error(c, arr ? arr : c->root,
			    "\"principles\" must be a non-empty array of "
			    "{\"id\", \"title\", \"summary\"}");
		return;
	}
	if (cJSON_GetArraySize(arr) > MODEL_MAX_PRINCIPLES) {
		check_error(c, arr, "\"principles\" has %d entries; the limit "
			    "is %d", cJSON_GetArraySize(arr),
			    MODEL_MAX_PRINCIPLES);
		return;
	}
	m->principles = arena_alloc(&m->arena, (size_t)cJSON_GetArraySize(arr) *
					       sizeof(*m->principles));
	cJSON_ArrayForEach(p, arr) {
		const char *id, *title, *summary;
		buf repr = BUF_INIT;
		size_t i;

		if (!check_is_object(c, p, "each principle"))
			continue;
		check_fields(c, p, fields);
		id = check_string(c, p, "id", CHECK_REQUIRED, 63,
				  "the principle's id, e.g. \"governance\"");
		title = check_string(c, p, "title", CHECK_REQUIRED,
				     MODEL_MAX_TEXT, "the principle's title");
		summary = check_string(c, p, "summary", CHECK_REQUIRED, 1000,
				       "one line that states the principle");
		if (id && !model_name_valid(id, strlen(id))) {
			check_repr(&repr, cJSON_GetObjectItemCaseSensitive(p, "id"));
			check_error(c, cJSON_GetObjectItemCaseSensitive(p, "id"),
				    "\"id\": %s is not a valid id; use "
				    "lowercase letters, digits and hyphens "
				    "(e.g. \"supply-chain\")", repr.ptr);
			id = NULL;
		}
		for (i = 0; id && i < n; i++)
			if (!strcmp(m->principles[i].id, id)) {
				check_error(c, cJSON_GetObjectItemCaseSensitive(p, "id"),
					    "principle \"%s\" is listed twice",
					    id);
				id = NULL;
			}
		buf_dispose(&repr);
		if (!id || !title || !summary)
			continue;
		m->principles[n].id = model_dup(m, id);
		m->principles[n].title = model_dup(m, title);
		m->principles[n].summary = model_dup(m, summary);
		n++;
	}
	m->n_principles = n;
}

static void model_site_layers(model *m, check_ctx *c, const cJSON *arr)
{
	const cJSON *l;
	size_t n = 0, i;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
	    cJSON_GetArraySize(arr) > MODEL_MAX_LAYERS) {
		check_error(c, arr ? arr : c->root,
			    "\"layers\" must be an array of 1 to %d layer "
			    "names, e.g. [\"cloud\", \"ai\"]",
			    MODEL_MAX_LAYERS);
		return;
	}
	m->layers = arena_alloc(&m->arena, (size_t)cJSON_GetArraySize(arr) *
					   sizeof(*m->layers));
	cJSON_ArrayForEach(l, arr) {
		buf repr = BUF_INIT;

		check_repr(&repr, l);
		if (!cJSON_IsString(l) ||
		    !model_name_valid(l->valuestring, strlen(l->valuestring))) {
			check_error(c, l, "layer %s is not a valid name; use "
				    "lowercase letters, digits and hyphens",
				    repr.ptr);
		} else {
			for (i = 0; i < n; i++)
				if (!strcmp(m->layers[i], l->valuestring))
					break;
			if (i < n)
				check_error(c, l, "layer %s is listed twice",
					    repr.ptr);
			else
				m->layers[n++] = model_dup(m, l->valuestring);
		}
		buf_dispose(&repr);
	}
	m->n_layers = n;
}

int model_site_load(model *m, const repo_snapshot *snap, diag_list *diags)
{
	static const char *const fields[] = {
		"title", "base_url", "repo_url", "principles", "layers",
		"evidence_max_age_days", NULL
	};
	const repo_file *f = repo_snapshot_find(snap, "content/site.json");
	const char *s;
	const cJSON *age;
	check_ctx c;
	cJSON *root;

	m->evidence_max_age_days = 730;
	if (!f) {
		diag_add(diags, "content/site.json", 0, 0,
			 "missing: every directory needs content/site.json "
			 "with its title, base_url, principles and layers");
		return -1;
	}
	if (!(root = model_parse(f, diags)))
		return -1;
	model_ctx(&c, f, root, diags);
	check_fields(&c, root, fields);
	if ((s = check_string(&c, root, "title", CHECK_REQUIRED,
			      MODEL_MAX_TEXT, "the directory's title")))
		m->title = model_dup(m, s);
	if ((s = check_url(&c, root, "base_url", CHECK_REQUIRED, 0,
			   "the address the site is published at")) &&
	    strpbrk(s, "?#")) {
		/* Page paths are joined to it: a query or fragment would
		 * break every link. */
		check_error(&c, cJSON_GetObjectItemCaseSensitive(root, "base_url"),
			    "\"base_url\" must not hold a query (?) or a "
			    "fragment (#); use the address of the site's "
			    "root, e.g. \"https://directory.example.org/\"");
		s = NULL;
	}
	if (s) {
		size_t n = strlen(s);
		char *b = arena_alloc(&m->arena, n + 2);

		/* Page URLs are joined to it: it always ends in a slash. */
		memcpy(b, s, n);
		if (s[n - 1] != '/')
			b[n++] = '/';
		b[n] = '\0';
		m->base_url = b;
	}
	if ((s = check_url(&c, root, "repo_url", 0, 0,
			   "the repository's web address")))
		m->repo_url = model_dup(m, s);
	model_site_principles(m, &c, cJSON_GetObjectItemCaseSensitive(root, "principles"));
	model_site_layers(m, &c, cJSON_GetObjectItemCaseSensitive(root, "layers"));
	age = cJSON_GetObjectItemCaseSensitive(root, "evidence_max_age_days");
	if (age && (!cJSON_IsNumber(age) || age->valuedouble < 1 ||
		    age->valuedouble > 36500 ||
		    age->valuedouble != (double)age->valueint))
		check_error(&c, age, "\"evidence_max_age_days\" must be a "
			    "whole number of days from 1 to 36500");
	else if (age)
		m->evidence_max_age_days = age->valueint;
	cJSON_Delete(root);
	return c.errors ? -1 : 0;
}

/* ---- profile.json ----------------------------------------------------- */

static void model_profile_layers(model *m, model_vendor *v, check_ctx *c,
				 const cJSON *root, int site_ok)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "layers"), *l;
	size_t n = 0, i;
	buf allowed = BUF_INIT;

	model_list(&allowed, m->layers, m->n_layers);
	if (!arr) {
		check_error(c, root, "missing required field \"layers\": the "
			    "layers the vendor works in, from: %s",
			    allowed.ptr);
		goto done;
	}
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
	    (size_t)cJSON_GetArraySize(arr) > MODEL_MAX_LAYERS) {
		check_error(c, arr, "\"layers\" must be a non-empty array of "
			    "layers, from: %s", allowed.ptr);
		goto done;
	}
	v->layers = arena_alloc(&m->arena, (size_t)cJSON_GetArraySize(arr) *
					   sizeof(*v->layers));
	cJSON_ArrayForEach(l, arr) {
		buf repr = BUF_INIT;

		check_repr(&repr, l);
		if (!cJSON_IsString(l) ||
		    (site_ok && !model_layer_known(m, l->valuestring))) {
			check_error(c, l, "\"layers\": %s is not a layer of "
				    "this directory; allowed: %s", repr.ptr,
				    allowed.ptr);
		} else {
			for (i = 0; i < n; i++)
				if (!strcmp(v->layers[i], l->valuestring))
					break;
			if (i < n)
				check_error(c, l, "\"layers\": %s is listed "
					    "twice", repr.ptr);
			else
				v->layers[n++] = model_dup(m, l->valuestring);
		}
		buf_dispose(&repr);
	}
	v->n_layers = n;
done:
	buf_dispose(&allowed);
}

static void model_load_profile(model *m, model_vendor *v, const repo_file *f,
			       diag_list *diags, int site_ok)
{
	static const char *const fields[] = {
		"name", "legal_name", "country", "website", "layers",
		"member_since", "security_contact", NULL
	};
	cJSON *root = model_parse(f, diags);
	const char *s;
	check_ctx c;

	if (!root)
		return;
	model_ctx(&c, f, root, diags);
	check_fields(&c, root, fields);
	if ((s = check_string(&c, root, "name", CHECK_REQUIRED, MODEL_MAX_TEXT,
			      "the vendor's name as the public knows it")))
		v->name = model_dup(m, s);
	if ((s = check_string(&c, root, "legal_name", 0, MODEL_MAX_TEXT,
			      "the registered company name")))
		v->legal_name = model_dup(m, s);
	if ((s = check_string(&c, root, "country", CHECK_REQUIRED, 60,
			      "the ISO 3166-1 alpha-2 code of the "
			      "headquarters, e.g. \"DE\""))) {
		if (country_name(s)) {
			v->country = model_dup(m, s);
		} else {
			buf repr = BUF_INIT;

			check_repr(&repr, cJSON_GetObjectItemCaseSensitive(root, "country"));
			check_error(&c, cJSON_GetObjectItemCaseSensitive(root, "country"),
				    "\"country\": %s is not an ISO 3166-1 "
				    "alpha-2 code (e.g. \"DE\")", repr.ptr);
			buf_dispose(&repr);
		}
	}
	if ((s = check_url(&c, root, "website", CHECK_REQUIRED, 0,
			   "the vendor's home page, an https:// address")))
		v->website = model_dup(m, s);
	if ((s = check_url(&c, root, "security_contact", 0, 1,
			   "where to report a vulnerability")))
		v->security_contact = model_dup(m, s);
	if ((s = check_date(&c, root, "member_since", CHECK_REQUIRED)))
		v->member_since = model_dup(m, s);
	model_profile_layers(m, v, &c, root, site_ok);
	cJSON_Delete(root);
}

/* ---- assessments/<id>.json -------------------------------------------- */

static model_status model_status_parse(const char *s)
{
	int i;

	for (i = MODEL_NOT_ASSESSED; i <= MODEL_MEETS; i++)
		if (!strcmp(s, model_status_ids[i]))
			return (model_status)i;
	return MODEL_NONE;
}

static int model_is_sha256(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return i == 64;
}

static void model_load_evidence(model *m, model_finding *fd, check_ctx *c,
				const cJSON *arr)
{
	static const char *const fields[] = {
		"title", "url", "kind", "date", "sha256", NULL
	};
	static const char kinds[] = "policy, certification, audit-report, "
				    "attestation, transparency-report, "
				    "contract-clause, other";
	const cJSON *e;
	size_t n = 0;

	if (!cJSON_IsArray(arr)) {
		check_error(c, arr, "\"evidence\" must be an array of "
			    "{\"title\", \"kind\", ...}, not %s",
			    check_type_name(arr));
		return;
	}
	if (cJSON_GetArraySize(arr) > MODEL_MAX_EVIDENCE) {
		check_error(c, arr, "\"evidence\" has %d items; the limit is "
			    "%d per principle", cJSON_GetArraySize(arr),
			    MODEL_MAX_EVIDENCE);
		return;
	}
	fd->evidence = arena_alloc(&m->arena, (size_t)cJSON_GetArraySize(arr) *
					      sizeof(*fd->evidence) + 1);
	cJSON_ArrayForEach(e, arr) {
		model_evidence *ev = &fd->evidence[n];
		const char *s;
		int before = c->errors;

		if (!check_is_object(c, e, "each evidence item"))
			continue;
		check_fields(c, e, fields);
		if ((s = check_string(c, e, "title", CHECK_REQUIRED,
				      MODEL_MAX_TEXT,
				      "what the document is")))
			ev->title = model_dup(m, s);
		if ((s = check_string(c, e, "kind", CHECK_REQUIRED, 40,
				      kinds))) {
			size_t k;

			for (k = 0; model_kinds[k]; k++)
				if (!strcmp(s, model_kinds[k]))
					break;
			if (model_kinds[k]) {
				ev->kind = model_kinds[k];
			} else {
				buf repr = BUF_INIT;

				check_repr(&repr, cJSON_GetObjectItemCaseSensitive(e, "kind"));
				check_error(c, cJSON_GetObjectItemCaseSensitive(e, "kind"),
					    "\"kind\": %s is not allowed; use "
					    "one of %s", repr.ptr, kinds);
				buf_dispose(&repr);
			}
		}
		if ((s = check_url(c, e, "url", 0, 0,
				   "where the document is published")))
			ev->url = model_dup(m, s);
		if ((s = check_date(c, e, "date", 0)))
			ev->date = model_dup(m, s);
		if ((s = check_string(c, e, "sha256", 0, 64,
				      "the SHA-256 digest of the document")) &&
		    !model_is_sha256(s)) {
			buf repr = BUF_INIT;

			check_repr(&repr, cJSON_GetObjectItemCaseSensitive(e, "sha256"));
			check_error(c, cJSON_GetObjectItemCaseSensitive(e, "sha256"),
				    "\"sha256\": %s is not a SHA-256 digest; "
				    "use the 64 hexadecimal digits of the "
				    "document as published", repr.ptr);
			buf_dispose(&repr);
		} else if (s) {
			char *h = model_dup(m, s), *p;

			for (p = h; *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p - 'A' + 'a');
			ev->sha256 = h;
		}
		if (c->errors == before)
			n++;
		else
			memset(ev, 0, sizeof(*ev));
	}
	fd->n_evidence = n;
}

static void model_load_finding(model *m, model_finding *fd, check_ctx *c,
			       const cJSON *obj)
{
	static const char *const fields[] = {
		"status", "summary", "evidence", NULL
	};
	const cJSON *ev;
	const char *s;

	if (!check_is_object(c, obj, "each principle's finding"))
		return;
	check_fields(c, obj, fields);
	fd->listed = 1;
	s = check_string(c, obj, "status", CHECK_REQUIRED, 40,
			 "one of meets, partially-meets, does-not-meet, "
			 "not-assessed");
	if (s && (fd->status = model_status_parse(s)) == MODEL_NONE) {
		buf repr = BUF_INIT;

		check_repr(&repr, cJSON_GetObjectItemCaseSensitive(obj, "status"));
		check_error(c, cJSON_GetObjectItemCaseSensitive(obj, "status"),
			    "\"status\": %s is not allowed; use one of meets, "
			    "partially-meets, does-not-meet, not-assessed",
			    repr.ptr);
		buf_dispose(&repr);
	}
	if (fd->status == MODEL_NONE)
		fd->status = MODEL_NOT_ASSESSED;
	if ((s = check_string(c, obj, "summary", CHECK_MARKDOWN,
			      MODEL_MAX_MARKDOWN, "the finding, in CommonMark")))
		fd->summary = model_dup(m, s);
	if ((ev = cJSON_GetObjectItemCaseSensitive(obj, "evidence")))
		model_load_evidence(m, fd, c, ev);
}

static void model_load_findings(model *m, model_assessment *a, check_ctx *c,
				const cJSON *root, int site_ok)
{
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, "principles"), *p;
	buf ids = BUF_INIT;
	size_t i;

	a->findings = arena_alloc(&m->arena, (m->n_principles + 1) *
					     sizeof(*a->findings));
	for (i = 0; i < m->n_principles; i++)
		a->findings[i].status = MODEL_NOT_ASSESSED;
	if (!obj) {
		check_error(c, root, "missing required field \"principles\": "
			    "an object with a finding per principle id");
		return;
	}
	if (!check_is_object(c, obj, "\"principles\""))
		return;
	for (i = 0; i < m->n_principles; i++)
		buf_printf(&ids, "%s%s", i ? ", " : "", m->principles[i].id);
	cJSON_ArrayForEach(p, obj) {
		int idx = model_principle_index(m, p->string);

		if (idx < 0) {
			if (site_ok)
				check_key_error(c, p, "\"%s\" is not a principle "
						"of this directory; use one of: "
						"%s", p->string, ids.ptr);
			continue;
		}
		model_load_finding(m, &a->findings[idx], c, p);
	}
	buf_dispose(&ids);
}

static void model_load_assessment(model *m, model_assessment *a,
				  const repo_file *f, diag_list *diags,
				  int site_ok)
{
	static const char *const fields[] = {
		"type", "assessor", "date", "valid_until", "scope",
		"report_url", "principles", NULL
	};
	cJSON *root = model_parse(f, diags);
	const char *s;
	check_ctx c;

	a->path = arena_strdup(&m->arena, f->path);
	if (!root)
		return;
	model_ctx(&c, f, root, diags);
	check_fields(&c, root, fields);
	s = check_string(&c, root, "type", CHECK_REQUIRED, 40,
			 "\"self-attestation\" or \"independent\"");
	if (s && !strcmp(s, "independent")) {
		a->independent = 1;
	} else if (s && strcmp(s, "self-attestation")) {
		buf repr = BUF_INIT;

		check_repr(&repr, cJSON_GetObjectItemCaseSensitive(root, "type"));
		check_error(&c, cJSON_GetObjectItemCaseSensitive(root, "type"),
			    "\"type\": %s is not allowed; use "
			    "\"self-attestation\" or \"independent\"",
			    repr.ptr);
		buf_dispose(&repr);
	}
	if ((s = check_string(&c, root, "assessor",
			      a->independent ? CHECK_REQUIRED : 0,
			      MODEL_MAX_TEXT,
			      "an independent assessment names its "
			      "assessor")))
		a->assessor = model_dup(m, s);
	if ((s = check_date(&c, root, "date", CHECK_REQUIRED)))
		a->date = model_dup(m, s);
	if ((s = check_date(&c, root, "valid_until", 0))) {
		if (a->date && strcmp(s, a->date) < 0)
			check_error(&c, cJSON_GetObjectItemCaseSensitive(root, "valid_until"),
				    "\"valid_until\" (%s) is before \"date\" "
				    "(%s)", s, a->date);
		else
			a->valid_until = model_dup(m, s);
	}
	if ((s = check_string(&c, root, "scope", CHECK_MARKDOWN,
			      MODEL_MAX_MARKDOWN,
			      "what was assessed, in CommonMark")))
		a->scope = model_dup(m, s);
	if ((s = check_url(&c, root, "report_url", 0, 0,
			   "where the report is published")))
		a->report_url = model_dup(m, s);
	model_load_findings(m, a, &c, root, site_ok);
	cJSON_Delete(root);
}

/* ---- files and vendors ------------------------------------------------ */

static int model_is_readme(const char *path)
{
	const char *base = strrchr(path, '/');

	return !strcmp(base ? base + 1 : path, "README.md");
}

/* Splits "a/b/c" into at most max components; returns their number,
 * or max + 1 when there are more. */
static int model_split(const char *path, const char **parts, size_t *lens,
		       int max)
{
	int n = 0;

	while (*path) {
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);

		if (n == max)
			return max + 1;
		parts[n] = path;
		lens[n++] = len;
		path += len + (slash ? 1 : 0);
	}
	return n;
}

static int model_has_suffix(const char *s, size_t len, const char *suffix,
			    size_t *stem)
{
	size_t n = strlen(suffix);

	if (len < n || memcmp(s + len - n, suffix, n))
		return 0;
	*stem = len - n;
	return 1;
}

static void model_unexpected(diag_list *diags, const char *path,
			     const char *allowed)
{
	diag_add(diags, path, 0, 0, "unexpected file; %s", allowed);
}

static void model_bad_name(diag_list *diags, const char *path,
			   const char *name, size_t len, const char *what)
{
	diag_add(diags, path, 0, 0,
		 "\"%.*s\" is not a valid %s name; use 1 to 63 lowercase "
		 "letters, digits and hyphens, starting with a letter or "
		 "digit (e.g. \"example-networks\")",
		 (int)len, name, what);
}

static int model_vendor_cmp(const void *a, const void *b)
{
	const model_vendor *x = a, *y = b;
	const unsigned char *p = (const unsigned char *)x->name;
	const unsigned char *q = (const unsigned char *)y->name;

	/* ASCII case folding only: the order must not depend on the
	 * locale of the machine that builds the site. */
	for (; *p && *q; p++, q++) {
		int c = (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
		int d = (*q >= 'A' && *q <= 'Z') ? *q + 32 : *q;

		if (c != d)
			return c - d;
	}
	if (*p || *q)
		return *p ? 1 : -1;
	return strcmp(x->slug, y->slug);
}

static int model_assessment_cmp(const void *a, const void *b)
{
	const model_assessment *x = a, *y = b;
	int c = strcmp(y->date, x->date);

	return c ? c : strcmp(y->id, x->id);
}

static void model_vendor_finish(model *m, model_vendor *v)
{
	size_t i;

	qsort(v->assessments, v->n_assessments, sizeof(*v->assessments),
	      model_assessment_cmp);
	v->latest_self = v->latest_independent = -1;
	for (i = 0; i < v->n_assessments; i++) {
		int *latest = v->assessments[i].independent
				      ? &v->latest_independent
				      : &v->latest_self;

		if (*latest < 0)
			*latest = (int)i;
	}
	(void)m;
}

/* ---- reusing the parts of another version ----------------------------- */

static const model_assessment *model_like_assessment(const model_vendor *like,
						     const char *id,
						     size_t id_len,
						     const git_oid *oid)
{
	size_t i;

	for (i = 0; like && i < like->n_assessments; i++) {
		const model_assessment *a = &like->assessments[i];

		if (strlen(a->id) == id_len && !memcmp(a->id, id, id_len) &&
		    git_oid_equal(&a->oid, oid))
			return a;
	}
	return NULL;
}

int model_vendor_reuses(const model_vendor *like, size_t slug_len,
			const repo_file *f)
{
	const char *rest = f->path + 9 + slug_len;
	size_t stem;

	if (!like)
		return 0;
	if (!strcmp(rest, "profile.json"))
		return git_oid_equal(&like->profile_oid, &f->oid);
	if (!strcmp(rest, "summary.md"))
		return git_oid_equal(&like->summary_oid, &f->oid);
	if (!strncmp(rest, "assessments/", 12) &&
	    model_has_suffix(rest + 12, strlen(rest + 12), ".json", &stem))
		return model_like_assessment(like, rest + 12, stem, &f->oid) !=
		       NULL;
	return 0;
}

/* A string of a like, for m: the same one when m borrows. */
static const char *model_keep(model *m, const char *s)
{
	return m->borrows ? s : model_dup(m, s);
}

static void model_copy_assessment(model *m, model_assessment *dst,
				  const model_assessment *src)
{
	size_t i, k;

	*dst = *src;
	if (m->borrows)
		return; /* its findings too */
	dst->id = model_dup(m, src->id);
	dst->path = model_dup(m, src->path); /* src may not outlive m */
	dst->assessor = model_dup(m, src->assessor);
	dst->date = model_dup(m, src->date);
	dst->valid_until = model_dup(m, src->valid_until);
	dst->scope = model_dup(m, src->scope);
	dst->report_url = model_dup(m, src->report_url);
	dst->findings = arena_alloc(&m->arena, (m->n_principles + 1) *
					       sizeof(*dst->findings));
	for (i = 0; i < m->n_principles; i++) {
		const model_finding *sf = &src->findings[i];
		model_finding *df = &dst->findings[i];

		*df = *sf;
		df->summary = model_dup(m, sf->summary);
		df->evidence = arena_alloc(&m->arena, (sf->n_evidence + 1) *
						      sizeof(*df->evidence));
		for (k = 0; k < sf->n_evidence; k++) {
			const model_evidence *se = &sf->evidence[k];
			model_evidence *de = &df->evidence[k];

			de->title = model_dup(m, se->title);
			de->kind = se->kind; /* static */
			de->url = model_dup(m, se->url);
			de->date = model_dup(m, se->date);
			de->sha256 = model_dup(m, se->sha256);
		}
	}
}

static void model_copy_profile(model *m, model_vendor *v,
			       const model_vendor *like)
{
	size_t i;

	v->name = model_keep(m, like->name);
	v->legal_name = model_keep(m, like->legal_name);
	v->country = model_keep(m, like->country);
	v->website = model_keep(m, like->website);
	v->security_contact = model_keep(m, like->security_contact);
	v->member_since = model_keep(m, like->member_since);
	v->profile_oid = like->profile_oid;
	v->n_layers = like->n_layers;
	if (m->borrows) {
		v->layers = like->layers;
		return;
	}
	v->layers = arena_alloc(&m->arena, (like->n_layers + 1) *
					   sizeof(*v->layers));
	for (i = 0; i < like->n_layers; i++)
		v->layers[i] = model_dup(m, like->layers[i]);
}

int model_vendor_load(model *m, model_vendor *v, const char *slug,
		      size_t slug_len, const repo_file *files, size_t n,
		      diag_list *diags, int site_ok, const model_vendor *like)
{
	static const char *const allowed =
		"a vendor directory holds profile.json, summary.md and "
		"assessments/<id>.json";
	size_t before = diag_count(diags), i, n_assess = 0;
	int too_many = 0;
	const repo_file *profile = NULL;

	memset(v, 0, sizeof(*v));
	v->slug = arena_strndup(&m->arena, slug, slug_len);
	for (i = 0; i < n; i++)
		if (!strncmp(files[i].path + 9 + slug_len, "assessments/", 12))
			n_assess++;
	v->assessments = arena_alloc(&m->arena,
				     (n_assess + 1) * sizeof(*v->assessments));
	for (i = 0; i < n; i++) {
		const repo_file *f = &files[i];
		const char *rest = f->path + 9 + slug_len; /* after slug/ */
		size_t stem;

		if (model_is_readme(f->path))
			continue;
		if (!strcmp(rest, "profile.json")) {
			profile = f;
		} else if (!strcmp(rest, "summary.md")) {
			v->summary_oid = f->oid;
			if (model_vendor_reuses(like, slug_len, f)) {
				v->summary = model_keep(m, like->summary);
				v->summary_len = like->summary_len;
			} else if (model_check_markdown(f, diags) == 0) {
				v->summary = arena_strndup(&m->arena, f->data,
							   f->len);
				v->summary_len = f->len;
			}
		} else if (!strncmp(rest, "assessments/", 12) &&
			   !strchr(rest + 12, '/') &&
			   model_has_suffix(rest + 12, strlen(rest + 12),
					    ".json", &stem)) {
			model_assessment *a;

			if (!model_name_valid(rest + 12, stem)) {
				model_bad_name(diags, f->path, rest + 12, stem,
					       "assessment");
				continue;
			}
			if (v->n_assessments == MODEL_MAX_ASSESSMENTS) {
				/* Once, and on to profile.json and
				 * summary.md, which sort after. */
				if (!too_many++)
					diag_add(diags, f->path, 0, 0,
						 "too many assessments: a "
						 "vendor may have at most %d",
						 MODEL_MAX_ASSESSMENTS);
				continue;
			}
			a = &v->assessments[v->n_assessments];
			if (model_vendor_reuses(like, slug_len, f)) {
				model_copy_assessment(
					m, a,
					model_like_assessment(like, rest + 12,
							      stem, &f->oid));
				v->n_assessments++;
				continue;
			}
			a->id = arena_strndup(&m->arena, rest + 12, stem);
			a->oid = f->oid;
			model_load_assessment(m, a, f, diags, site_ok);
			if (a->date)
				v->n_assessments++;
		} else {
			model_unexpected(diags, f->path, allowed);
		}
	}
	if (!profile) {
		model_vendor_finish(m, v);
		diag_add(diags, n ? files[0].path : "vendors", 0, 0,
			 "vendors/%s/profile.json is missing: every vendor "
			 "directory needs a profile.json", v->slug);
		return 0;
	}
	if (model_vendor_reuses(like, slug_len, profile)) {
		model_copy_profile(m, v, like);
	} else {
		v->profile_oid = profile->oid;
		model_load_profile(m, v, profile, diags, site_ok);
	}
	model_vendor_finish(m, v);
	return diag_count(diags) == before;
}

/* One entry of vendors/: a vendor directory's files [first, end) of
 * the snapshot, or a single file (end == first + 1) that lies directly
 * in vendors/ (is_dir 0). */
typedef struct {
	size_t first, end;
	int is_dir;
	size_t slot; /* the directory's place in model_loader.slots */
} model_entry;

/* Reads the entry e into slot (when a vendor); 1 if it is a vendor
 * that loaded without an error. */
/* Where the vendors' earlier versions come from (model_load_like). */
typedef struct {
	model_like_fn fn; /* or NULL */
	void *arg;
} model_likes;

static int model_entry_load(model *m, const repo_snapshot *snap,
			    const model_entry *e, model_vendor *slot,
			    diag_list *diags, int site_ok,
			    const model_likes *likes)
{
	const char *path = snap->files[e->first].path, *slug = path + 8;
	size_t len;

	if (!e->is_dir) {
		if (!model_is_readme(path))
			model_unexpected(diags, path,
					 "vendors/ holds one directory per "
					 "vendor");
		return 0;
	}
	len = (size_t)(strchr(slug, '/') - slug);
	if (!model_name_valid(slug, len)) {
		buf dir = BUF_INIT;

		buf_put(&dir, path, 8 + len);
		model_bad_name(diags, dir.ptr, slug, len, "vendor directory");
		buf_dispose(&dir);
		return 0;
	}
	if (!model_vendor_load(m, slot, slug, len, &snap->files[e->first],
			       e->end - e->first, diags, site_ok,
			       likes->fn && site_ok
				       ? likes->fn(likes->arg, snap, slug, len)
				       : NULL))
		return 0;
	{
		buf dir = BUF_INIT;
		const git_oid *tree;

		buf_put(&dir, path, 8 + len);
		if ((tree = repo_snapshot_tree(snap, dir.ptr)))
			slot->tree_oid = *tree;
		buf_dispose(&dir);
	}
	return 1;
}

/* Entries read per job when several threads read the vendors. */
#define MODEL_LOAD_CHUNK 32

typedef struct {
	const model *m;
	const repo_snapshot *snap;
	const model_entry *entries;
	size_t n_entries;
	model_vendor *slots;
	unsigned char *ok; /* per slot */
	arena *arenas;     /* per chunk */
	diag_list *diags;  /* per chunk */
	int site_ok;
	const model_likes *likes;
} model_loader;

/* A chunk of entries, read into a copy of the model whose arena is the
 * chunk's own: the copy shares the site's principles and layers, which
 * nothing changes while vendors are read. */
static int model_load_chunk(void *arg, size_t worker, size_t i, buf *err)
{
	model_loader *l = arg;
	model part = *l->m;
	size_t k = i * MODEL_LOAD_CHUNK, end = k + MODEL_LOAD_CHUNK;

	(void)worker;
	(void)err;
	part.arena = l->arenas[i];
	if (end > l->n_entries)
		end = l->n_entries;
	for (; k < end; k++) {
		const model_entry *e = &l->entries[k];

		if (model_entry_load(&part, l->snap, e, &l->slots[e->slot],
				     &l->diags[i], l->site_ok, l->likes) &&
		    e->is_dir)
			l->ok[e->slot] = 1;
	}
	l->arenas[i] = part.arena;
	return 0;
}

/* The vendors, read by threads threads: each chunk of entries keeps
 * its vendors, strings and errors apart, and they are joined in path
 * order, so the model and the errors are those of a plain loop. */
static void model_load_parallel(model *m, const repo_snapshot *snap,
				const model_entry *entries, size_t n_entries,
				size_t n_dirs, size_t threads,
				diag_list *diags, int site_ok,
				const model_likes *likes)
{
	size_t n = (n_entries + MODEL_LOAD_CHUNK - 1) / MODEL_LOAD_CHUNK, i;
	model_loader l;
	buf err = BUF_INIT;

	l.m = m;
	l.snap = snap;
	l.entries = entries;
	l.n_entries = n_entries;
	l.slots = calloc(n_dirs + 1, sizeof(*l.slots));
	l.ok = calloc(n_dirs + 1, 1);
	l.arenas = calloc(n + 1, sizeof(*l.arenas));
	l.diags = calloc(n + 1, sizeof(*l.diags));
	l.site_ok = site_ok;
	l.likes = likes;
	if (!l.slots || !l.ok || !l.arenas || !l.diags) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	pool_for(threads, n, model_load_chunk, &l, &err);
	for (i = 0; i < n; i++) {
		arena_adopt(&m->arena, &l.arenas[i]);
		diag_list_append(diags, &l.diags[i]);
	}
	for (i = 0; i < n_dirs; i++)
		if (l.ok[i])
			m->vendors[m->n_vendors++] = l.slots[i];
	buf_dispose(&err);
	free(l.slots);
	free(l.ok);
	free(l.arenas);
	free(l.diags);
}

static void model_load_vendors(model *m, const repo_snapshot *snap,
			       diag_list *diags, int site_ok, size_t threads,
			       const model_likes *likes)
{
	model_entry *entries;
	size_t i = 0, j, n_files = 0, n_entries = 0, n_dirs = 0;

	/* Files are sorted by path, so each vendor's files are adjacent. */
	for (i = 0; i < snap->len; i++)
		if (!strncmp(snap->files[i].path, "vendors/", 8))
			n_files++;
	m->vendors = arena_alloc(&m->arena, (n_files + 1) * sizeof(*m->vendors));
	entries = calloc(n_files + 1, sizeof(*entries));
	if (!entries) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	for (i = 0; i < snap->len; i = j) {
		const char *path = snap->files[i].path, *slash;
		model_entry *e;

		j = i + 1;
		if (strncmp(path, "vendors/", 8))
			continue;
		e = &entries[n_entries++];
		e->first = i;
		slash = strchr(path + 8, '/');
		if (slash) {
			size_t len = (size_t)(slash - path) + 1;

			while (j < snap->len &&
			       !strncmp(snap->files[j].path, path, len))
				j++;
			e->is_dir = 1;
			e->slot = n_dirs++;
		}
		e->end = j;
	}
	/* More directories than MODEL_MAX_VENDORS: the plain loop, which
	 * stops at the limit. */
	if (threads > 1 && n_dirs <= MODEL_MAX_VENDORS) {
		model_load_parallel(m, snap, entries, n_entries, n_dirs,
				    threads, diags, site_ok, likes);
	} else {
		for (i = 0; i < n_entries; i++) {
			const char *slug = snap->files[entries[i].first].path + 8;

			if (entries[i].is_dir &&
			    m->n_vendors == MODEL_MAX_VENDORS &&
			    model_name_valid(slug, (size_t)(strchr(slug, '/') -
							     slug))) {
				diag_add(diags, snap->files[entries[i].first].path,
					 0, 0, "too many vendors: the "
					 "directory may list at most %d",
					 MODEL_MAX_VENDORS);
				break;
			}
			if (model_entry_load(m, snap, &entries[i],
					     &m->vendors[m->n_vendors], diags,
					     site_ok, likes) &&
			    entries[i].is_dir)
				m->n_vendors++;
		}
	}
	free(entries);
	qsort(m->vendors, m->n_vendors, sizeof(*m->vendors), model_vendor_cmp);
}

static int model_reserved_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; model_reserved[i]; i++)
		if (strlen(model_reserved[i]) == len &&
		    !memcmp(model_reserved[i], s, len))
			return 1;
	return 0;
}

/* content/: principles/<id>.md and pages/<name>.md besides site.json. */
static void model_load_content(model *m, const repo_snapshot *snap,
			       diag_list *diags, int site_ok)
{
	static const char *const allowed =
		"content/ holds site.json, principles/<id>.md and "
		"pages/<name>.md";
	size_t i, n_pages = 0;

	for (i = 0; i < snap->len; i++)
		n_pages += !strncmp(snap->files[i].path, "content/pages/", 14);
	m->pages = arena_alloc(&m->arena, (n_pages + 1) * sizeof(*m->pages));
	for (i = 0; i < snap->len; i++) {
		const repo_file *f = &snap->files[i];
		const char *parts[4];
		size_t lens[4], stem;
		int n;

		if (strncmp(f->path, "content/", 8) ||
		    !strcmp(f->path, "content/site.json") ||
		    model_is_readme(f->path))
			continue;
		n = model_split(f->path, parts, lens, 3);
		if (n != 3 || !model_has_suffix(parts[2], lens[2], ".md", &stem) ||
		    (strncmp(parts[1], "principles/", 11) &&
		     strncmp(parts[1], "pages/", 6))) {
			model_unexpected(diags, f->path, allowed);
			continue;
		}
		if (!strncmp(parts[1], "principles/", 11)) {
			char *id = arena_strndup(&m->arena, parts[2], stem);
			int idx = model_principle_index(m, id);

			if (idx < 0) {
				if (site_ok)
					diag_add(diags, f->path, 0, 0,
						 "no principle \"%s\" in "
						 "content/site.json; name the "
						 "file after a principle id",
						 id);
			} else if (model_check_markdown(f, diags) == 0) {
				m->principles[idx].body = arena_strndup(
					&m->arena, f->data, f->len);
				m->principles[idx].body_len = f->len;
			}
			continue;
		}
		if (!model_name_valid(parts[2], stem)) {
			model_bad_name(diags, f->path, parts[2], stem, "page");
		} else if (model_reserved_name(parts[2], stem)) {
			diag_add(diags, f->path, 0, 0,
				 "\"%.*s\" is reserved for pages trustdir "
				 "writes itself; choose another name",
				 (int)stem, parts[2]);
		} else if (m->n_pages == MODEL_MAX_PAGES) {
			diag_add(diags, f->path, 0, 0, "too many pages: at "
				 "most %d", MODEL_MAX_PAGES);
		} else if (model_check_markdown(f, diags) == 0) {
			model_page *p = &m->pages[m->n_pages++];

			p->name = arena_strndup(&m->arena, parts[2], stem);
			p->body = arena_strndup(&m->arena, f->data, f->len);
			p->body_len = f->len;
		}
	}
}

void model_load(model *m, const repo_snapshot *snap, size_t threads,
		diag_list *diags)
{
	model_load_like(m, snap, threads, diags, NULL, NULL);
}

void model_load_like(model *m, const repo_snapshot *snap, size_t threads,
		     diag_list *diags, model_like_fn like, void *like_arg)
{
	model_likes likes = { like, like_arg };
	int borrows = like != NULL;
	time_t t;
	struct tm tm;
	int site_ok;

	memset(m, 0, sizeof(*m));
	memcpy(m->commit_id, snap->commit_id, sizeof(m->commit_id));
	m->commit_time = snap->commit_time;
	t = (time_t)snap->commit_time;
	gmtime_r(&t, &tm);
	strftime(m->commit_date, sizeof(m->commit_date), "%Y-%m-%d", &tm);
	site_ok = model_site_load(m, snap, diags) == 0;
	model_load_content(m, snap, diags, site_ok);
	m->borrows = borrows;
	model_load_vendors(m, snap, diags, site_ok, threads, &likes);
	m->borrows = 0;
}

void model_dispose(model *m)
{
	arena_dispose(&m->arena);
	memset(m, 0, sizeof(*m));
}
