#include "mcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "check.h"
#include "country.h"

/*
 * The file:
 *   "trustdir-model 2\n", program id (40 hex) "\n",
 *   blob id of content/site.json (40 hex) "\n"
 *   u64 principles, u64 vendors
 *   per vendor: str slug, 20-byte tree id of vendors/<slug>/,
 *     20-byte profile id, 20-byte summary id,
 *     str summary, name, legal_name, country, website,
 *     security_contact, member_since, u32 layers, str each,
 *     u32 assessments, per assessment: str id, path, u8 independent,
 *       str assessor, date, valid_until, scope, report_url, 20-byte id,
 *       per principle: u8 status, u8 listed, str summary, u32 evidence,
 *         per evidence: str title, kind, url, date, sha256
 *   u32 CRC-32 of all the bytes before
 * in bin.h's integers and strings, so that the vendors read point into
 * the file's bytes.  The CRC finds a torn file; the reader checks every
 * length, count, date, code and status besides, so that no bytes can
 * make a vendor the renderers would misread.
 */
static const char mcache_magic[] = "trustdir-model 2\n";

void mcache_init(mcache *c)
{
	memset(c, 0, sizeof(*c));
	c->usable = -1;
}

void mcache_dispose(mcache *c)
{
	if (c->map_len)
		bin_unmap(c->bytes, c->map_len);
	else
		free(c->bytes);
	arena_dispose(&c->arena);
	strmap_dispose(&c->index);
	mcache_init(c);
}

/* ---- writing ------------------------------------------------------------ */

static void mcache_put_assessment(buf *b, const model *m,
				  const model_assessment *a)
{
	size_t p, e;

	bin_put_str(b, a->id);
	bin_put_str(b, a->path);
	bin_put_u(b, (uint64_t)(a->independent != 0), 1);
	bin_put_str(b, a->assessor);
	bin_put_str(b, a->date);
	bin_put_str(b, a->valid_until);
	bin_put_str(b, a->scope);
	bin_put_str(b, a->report_url);
	buf_put(b, a->oid.id, GIT_OID_RAWSZ);
	for (p = 0; p < m->n_principles; p++) {
		const model_finding *f = &a->findings[p];

		bin_put_u(b, (uint64_t)f->status, 1);
		bin_put_u(b, (uint64_t)(f->listed != 0), 1);
		bin_put_str(b, f->summary);
		bin_put_u(b, f->n_evidence, 4);
		for (e = 0; e < f->n_evidence; e++) {
			const model_evidence *ev = &f->evidence[e];

			bin_put_str(b, ev->title);
			bin_put_str(b, ev->kind);
			bin_put_str(b, ev->url);
			bin_put_str(b, ev->date);
			bin_put_str(b, ev->sha256);
		}
	}
}

static void mcache_put_vendor(buf *b, const model *m, const model_vendor *v)
{
	size_t i;

	bin_put_str(b, v->slug);
	buf_put(b, v->tree_oid.id, GIT_OID_RAWSZ);
	buf_put(b, v->profile_oid.id, GIT_OID_RAWSZ);
	buf_put(b, v->summary_oid.id, GIT_OID_RAWSZ);
	bin_put_str(b, v->summary);
	bin_put_str(b, v->name);
	bin_put_str(b, v->legal_name);
	bin_put_str(b, v->country);
	bin_put_str(b, v->website);
	bin_put_str(b, v->security_contact);
	bin_put_str(b, v->member_since);
	bin_put_u(b, v->n_layers, 4);
	for (i = 0; i < v->n_layers; i++)
		bin_put_str(b, v->layers[i]);
	bin_put_u(b, v->n_assessments, 4);
	for (i = 0; i < v->n_assessments; i++)
		mcache_put_assessment(b, m, &v->assessments[i]);
}

static void mcache_put_head(buf *b, const model *m, const git_oid *site,
			    const char *program)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), site);
	buf_printf(b, "%s%.40s\n%s\n", mcache_magic, program, hex);
	bin_put_u(b, m->n_principles, 8);
	bin_put_u(b, m->n_vendors, 8);
}

void mcache_encode(buf *b, const model *m, const git_oid *site,
		   const char *program)
{
	size_t start = b->len, i;

	mcache_put_head(b, m, site, program);
	for (i = 0; i < m->n_vendors; i++)
		mcache_put_vendor(b, m, &m->vendors[i]);
	bin_put_u(b, bin_sum(0, b->ptr + start, b->len - start), BIN_SUM_BYTES);
}

/* The file is written a megabyte at a time, not built whole in memory
 * first: 87 MB at 10,000 vendors, which a growing buffer would copy
 * and fault in more than once. */
int mcache_save(const model *m, const git_oid *site, const char *path,
		const char *program, buf *err)
{
	buf data = BUF_INIT;
	bin_file f;
	int failed = 0, rc;
	size_t i;

	if (bin_open(&f, path, err) < 0)
		return -1;
	mcache_put_head(&data, m, site, program);
	for (i = 0; i < m->n_vendors && !failed; i++) {
		mcache_put_vendor(&data, m, &m->vendors[i]);
		failed = bin_write_full(&f, &data, err) < 0;
	}
	rc = bin_finish(&f, &data, failed, err);
	buf_dispose(&data);
	return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* A string that must be there. */
static const char *mcache_need_str(bin_reader *r)
{
	const char *s = bin_get_str(r);

	if (!s)
		r->bad = 1;
	return s;
}

static const char *mcache_get_date(bin_reader *r, int required)
{
	const char *s = bin_get_str(r);

	if ((s && !check_date_valid(s)) || (!s && required))
		r->bad = 1;
	return s;
}

static void mcache_get_oid(bin_reader *r, git_oid *oid)
{
	if (r->bad || r->end - r->p < GIT_OID_RAWSZ) {
		r->bad = 1;
		return;
	}
	memcpy(oid->id, r->p, GIT_OID_RAWSZ);
	r->p += GIT_OID_RAWSZ;
}

static void mcache_get_evidence(bin_reader *r, model_evidence *ev)
{
	const char *kind;

	ev->title = mcache_need_str(r);
	kind = mcache_need_str(r);
	ev->url = bin_get_str(r);
	ev->date = mcache_get_date(r, 0);
	ev->sha256 = bin_get_str(r);
	/* The renderers compare kinds by pointer to model's names. */
	if (!r->bad && !(ev->kind = model_kind_static(kind)))
		r->bad = 1;
}

static void mcache_get_assessment(bin_reader *r, mcache *c,
				  model_assessment *a)
{
	size_t p, e;

	a->id = mcache_need_str(r);
	a->path = mcache_need_str(r);
	a->independent = bin_get_u(r, 1) != 0;
	a->assessor = bin_get_str(r);
	a->date = mcache_get_date(r, 1);
	a->valid_until = mcache_get_date(r, 0);
	a->scope = bin_get_str(r);
	a->report_url = bin_get_str(r);
	mcache_get_oid(r, &a->oid);
	if (r->bad || (a->independent && !a->assessor))
		goto bad;
	a->findings = arena_alloc(&c->arena, (c->n_principles + 1) *
					     sizeof(*a->findings));
	for (p = 0; p < c->n_principles && !r->bad; p++) {
		model_finding *f = &a->findings[p];
		uint64_t status = bin_get_u(r, 1);

		if (status < MODEL_NOT_ASSESSED || status > MODEL_MEETS)
			goto bad;
		f->status = (model_status)status;
		f->listed = bin_get_u(r, 1) != 0;
		f->summary = bin_get_str(r);
		f->n_evidence = bin_get_count(r, 4, 5 * 4,
						 MODEL_MAX_EVIDENCE);
		f->evidence = arena_alloc(&c->arena, (f->n_evidence + 1) *
						     sizeof(*f->evidence));
		for (e = 0; e < f->n_evidence && !r->bad; e++)
			mcache_get_evidence(r, &f->evidence[e]);
	}
	return;
bad:
	r->bad = 1;
}

static void mcache_get_vendor(bin_reader *r, mcache *c, model_vendor *v)
{
	const char *summary;
	size_t i;

	v->slug = mcache_need_str(r);
	mcache_get_oid(r, &v->tree_oid);
	mcache_get_oid(r, &v->profile_oid);
	mcache_get_oid(r, &v->summary_oid);
	summary = bin_get_str(r);
	v->summary = summary;
	v->summary_len = summary ? strlen(summary) : 0;
	v->name = mcache_need_str(r);
	v->legal_name = bin_get_str(r);
	v->country = mcache_need_str(r);
	v->website = mcache_need_str(r);
	v->security_contact = bin_get_str(r);
	v->member_since = mcache_get_date(r, 1);
	if (r->bad || !model_name_valid(v->slug, strlen(v->slug)) ||
	    !country_name(v->country)) {
		r->bad = 1;
		return;
	}
	v->n_layers = bin_get_count(r, 4, 5, MODEL_MAX_LAYERS);
	v->layers = arena_alloc(&c->arena, (v->n_layers + 1) *
					   sizeof(*v->layers));
	for (i = 0; i < v->n_layers && !r->bad; i++)
		v->layers[i] = mcache_need_str(r);
	v->n_assessments = bin_get_count(r, 4, 4 * 8 + 1 + GIT_OID_RAWSZ,
					    MODEL_MAX_ASSESSMENTS);
	v->assessments = arena_alloc(&c->arena, (v->n_assessments + 1) *
						sizeof(*v->assessments));
	for (i = 0; i < v->n_assessments && !r->bad; i++)
		mcache_get_assessment(r, c, &v->assessments[i]);
}

static int mcache_parse(mcache *c, char *bytes, size_t len,
			const char *program)
{
	size_t head = sizeof(mcache_magic) - 1, i;
	bin_reader r;

	if (len < head + 2 * (GIT_OID_HEXSZ + 1) + 16 + BIN_SUM_BYTES ||
	    memcmp(bytes, mcache_magic, head) ||
	    memcmp(bytes + head, program, GIT_OID_HEXSZ) ||
	    bytes[head + GIT_OID_HEXSZ] != '\n' ||
	    bytes[head + 2 * GIT_OID_HEXSZ + 1] != '\n' ||
	    !bin_sum_ok(bytes, len))
		return -1;
	r.end = bytes + len - BIN_SUM_BYTES;
	if (git_oid_fromstrn(&c->site, bytes + head + GIT_OID_HEXSZ + 1,
			     GIT_OID_HEXSZ) < 0)
		return -1;
	r.p = bytes + head + 2 * (GIT_OID_HEXSZ + 1);
	r.bad = 0;
	c->n_principles = bin_get_count(&r, 8, 1, MODEL_MAX_PRINCIPLES);
	c->n_vendors = bin_get_count(&r, 8, 64, MODEL_MAX_VENDORS);
	if (r.bad)
		return -1;
	c->vendors = arena_alloc(&c->arena,
				 (c->n_vendors + 1) * sizeof(*c->vendors));
	for (i = 0; i < c->n_vendors && !r.bad; i++) {
		mcache_get_vendor(&r, c, &c->vendors[i]);
		if (!r.bad)
			strmap_put(&c->index, c->vendors[i].slug,
				   &c->vendors[i]);
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

int mcache_decode(mcache *c, char *bytes, size_t len, const char *program)
{
	mcache_init(c);
	c->bytes = bytes;
	if (mcache_parse(c, bytes, len, program) == 0)
		return 0;
	mcache_dispose(c);
	return -1;
}

/* The file is mapped, not read: its strings are used where they lie,
 * and the page cache's pages need no copy.  Private, so that the few
 * bytes the parser writes stay in this process. */
int mcache_load(mcache *c, const char *path, const char *program)
{
	char *map;
	size_t len;

	mcache_init(c);
	if (bin_map_file(path, MCACHE_MAX_BYTES, &map, &len) < 0)
		return -1;
	c->bytes = map;
	c->map_len = len;
	if (mcache_parse(c, map, c->map_len, program) == 0)
		return 0;
	mcache_dispose(c);
	return -1;
}

/* ---- using it ----------------------------------------------------------- */

/* Whether snap's content/site.json is the one the cache was read with,
 * and (which a cache made to mislead could contradict) has as many
 * principles as each cached assessment has findings. */
static int mcache_site_matches(const mcache *c, const repo_snapshot *snap)
{
	const repo_file *site = repo_snapshot_find(snap, "content/site.json");
	diag_list diags;
	model m;
	int same;

	if (!site || !site->data || !git_oid_equal(&site->oid, &c->site))
		return 0;
	memset(&m, 0, sizeof(m));
	diag_list_init(&diags);
	same = model_site_load(&m, snap, &diags) == 0 &&
	       m.n_principles == c->n_principles;
	model_dispose(&m);
	diag_list_dispose(&diags);
	return same;
}

const model_vendor *mcache_like(void *arg, const repo_snapshot *snap,
				const char *slug, size_t len)
{
	mcache *c = arg;
	char key[64];

	if (!c || !c->n_vendors)
		return NULL;
	if (c->usable < 0)
		c->usable = mcache_site_matches(c, snap);
	if (!c->usable || len >= sizeof(key))
		return NULL;
	memcpy(key, slug, len);
	key[len] = '\0';
	return strmap_get(&c->index, key);
}

int mcache_skip(void *arg, const repo_snapshot *snap, const repo_file *f)
{
	mcache *c = arg;
	const char *slug = f->path + 8, *slash;

	if (strncmp(f->path, "vendors/", 8) || !(slash = strchr(slug, '/')))
		return 0;
	return model_vendor_reuses(
		mcache_like(c, snap, slug, (size_t)(slash - slug)),
		(size_t)(slash - slug), f);
}

int mcache_tree(void *arg, repo_snapshot *snap, const char *path,
		const git_oid *id, diag_list *diags)
{
	const char *slug = path + 8;
	const model_vendor *v;
	buf file = BUF_INIT;
	size_t i;
	int rc = 0;

	if (strncmp(path, "vendors/", 8) || git_oid_is_zero(id))
		return 0;
	v = mcache_like(arg, snap, slug, strlen(slug));
	if (!v || !git_oid_equal(&v->tree_oid, id))
		return 0;
	/* A cached vendor was read without an error, so its directory
	 * held these files and nothing else. */
	buf_printf(&file, "%s/profile.json", path);
	rc = repo_snapshot_add(snap, file.ptr, &v->profile_oid, diags);
	if (rc == 0 && v->summary) {
		buf_clear(&file);
		buf_printf(&file, "%s/summary.md", path);
		rc = repo_snapshot_add(snap, file.ptr, &v->summary_oid, diags);
	}
	for (i = 0; rc == 0 && i < v->n_assessments; i++)
		rc = repo_snapshot_add(snap, v->assessments[i].path,
				       &v->assessments[i].oid, diags);
	buf_dispose(&file);
	return 1;
}
