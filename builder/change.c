#include "change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const change_ids[CHANGE_KIND_COUNT] = {
	"vendor-added", "vendor-removed", "vendor-invalid", "field",
	"summary", "assessment-added", "assessment-removed",
	"assessment-field", "status", "finding", "evidence-added",
	"evidence-removed", "evidence-link", "evidence-date",
	"evidence-field", "site-field", "principle-added",
	"principle-removed", "principle-field", "principle-text",
	"page-added", "page-removed", "page-text", "standing"
};

void change_list_init(change_list *l)
{
	memset(l, 0, sizeof(*l));
}

void change_list_dispose(change_list *l)
{
	arena_dispose(&l->arena);
	free(l->items);
	change_list_init(l);
}

void change_list_clear(change_list *l)
{
	arena_dispose(&l->arena);
	l->len = 0;
}

const char *change_kind_id(change_kind k)
{
	return change_ids[k];
}

/* Strings are compared with NULL as "absent". */
static int change_same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static const char *change_dup(change_list *l, const char *s)
{
	return s ? arena_strdup(&l->arena, s) : NULL;
}

/* Appends a record; the context (vendor, assessment, principle) comes
 * from tmpl, which the caller fills once per level. */
static change *change_add(change_list *l, const change *tmpl,
			  change_kind kind, const char *field,
			  const char *old, const char *new)
{
	change *c;

	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = realloc(l->items, l->cap * sizeof(*l->items));
		if (!l->items)
			abort();
	}
	c = &l->items[l->len++];
	*c = *tmpl;
	c->kind = kind;
	c->field = change_dup(l, field);
	c->old = change_dup(l, old);
	c->new = change_dup(l, new);
	return c;
}

static void change_field(change_list *l, const change *ctx, change_kind kind,
			 const char *field, const char *old, const char *new)
{
	if (!change_same(old, new))
		change_add(l, ctx, kind, field, old, new);
}

static void change_join(buf *b, const char *const *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		BUF_CAT(b, i ? ", " : "", items[i]);
}

/* ---- vendors -------------------------------------------------------- */

static const model_assessment *change_find_assessment(const model_vendor *v,
						      const char *id)
{
	size_t i;

	for (i = 0; i < v->n_assessments; i++)
		if (!strcmp(v->assessments[i].id, id))
			return &v->assessments[i];
	return NULL;
}

static const model_evidence *change_find_evidence(const model_finding *f,
						  const char *title)
{
	size_t i;

	for (i = 0; f && i < f->n_evidence; i++)
		if (f->evidence[i].title && !strcmp(f->evidence[i].title, title))
			return &f->evidence[i];
	return NULL;
}

/* The finding of principle id in a, read with site's principles. */
static const model_finding *change_finding(const model *site,
					   const model_assessment *a,
					   const char *id)
{
	int i = model_principle_index(site, id);

	return i < 0 || !a->findings ? NULL : &a->findings[i];
}

static void change_evidence(change_list *l, const change *ctx,
			    const model_finding *of, const model_finding *nf)
{
	size_t i;

	for (i = 0; of && i < of->n_evidence; i++)
		if (of->evidence[i].title &&
		    !change_find_evidence(nf, of->evidence[i].title))
			change_add(l, ctx, CHANGE_EVIDENCE_REMOVED,
				   of->evidence[i].title, NULL, NULL);
	for (i = 0; nf && i < nf->n_evidence; i++) {
		const model_evidence *ne = &nf->evidence[i];
		const model_evidence *oe;
		buf what = BUF_INIT;

		if (!ne->title)
			continue;
		if (!(oe = change_find_evidence(of, ne->title))) {
			change_add(l, ctx, CHANGE_EVIDENCE_ADDED, ne->title,
				   NULL, NULL);
			continue;
		}
		change_field(l, ctx, CHANGE_EVIDENCE_LINK, ne->title, oe->url,
			     ne->url);
		change_field(l, ctx, CHANGE_EVIDENCE_DATE, ne->title, oe->date,
			     ne->date);
		BUF_CAT(&what, ne->title, ": kind");
		change_field(l, ctx, CHANGE_EVIDENCE_FIELD, what.ptr, oe->kind,
			     ne->kind);
		buf_clear(&what);
		BUF_CAT(&what, ne->title, ": sha256");
		change_field(l, ctx, CHANGE_EVIDENCE_FIELD, what.ptr,
			     oe->sha256, ne->sha256);
		buf_dispose(&what);
	}
}

static void change_findings(change_list *l, change *ctx,
			    const model *os, const model_assessment *oa,
			    const model *ns, const model_assessment *na)
{
	size_t i;

	/* The principles of the new site, then any the old one had. */
	for (i = 0; i < ns->n_principles + os->n_principles; i++) {
		const model_principle *p = i < ns->n_principles
						   ? &ns->principles[i]
						   : &os->principles[i - ns->n_principles];
		const model_finding *of, *nf;

		if (i >= ns->n_principles && model_principle_index(ns, p->id) >= 0)
			continue;
		of = change_finding(os, oa, p->id);
		nf = change_finding(ns, na, p->id);
		ctx->principle = change_dup(l, p->id);
		ctx->principle_title = change_dup(l, p->title);
		change_field(l, ctx, CHANGE_STATUS, NULL,
			     model_status_id(of ? of->status : MODEL_NONE),
			     model_status_id(nf ? nf->status : MODEL_NONE));
		if (!change_same(of ? of->summary : NULL,
				 nf ? nf->summary : NULL))
			change_add(l, ctx, CHANGE_FINDING, NULL, NULL, NULL);
		change_evidence(l, ctx, of, nf);
	}
	ctx->principle = ctx->principle_title = NULL;
}

/* "governance meets, ethics partially-meets, ..." for an assessment
 * that was added. */
static void change_statuses(buf *b, const model *site,
			    const model_assessment *a)
{
	size_t i;

	for (i = 0; a->findings && i < site->n_principles; i++)
		BUF_CAT(b, i ? ", " : "", site->principles[i].id, " ",
			model_status_id(a->findings[i].status));
}

static void change_assessments(change_list *l, change *ctx,
			       const model *os, const model_vendor *o,
			       const model *ns, const model_vendor *n)
{
	size_t i;

	for (i = 0; i < o->n_assessments; i++) {
		const model_assessment *a = &o->assessments[i];

		if (change_find_assessment(n, a->id))
			continue;
		ctx->assessment = change_dup(l, a->id);
		ctx->independent = a->independent;
		change_add(l, ctx, CHANGE_ASSESSMENT_REMOVED, NULL, a->date,
			   NULL);
	}
	for (i = 0; i < n->n_assessments; i++) {
		const model_assessment *na = &n->assessments[i];
		const model_assessment *oa = change_find_assessment(o, na->id);
		buf summary = BUF_INIT;

		ctx->assessment = change_dup(l, na->id);
		ctx->independent = na->independent;
		if (!oa) {
			change_statuses(&summary, ns, na);
			change_add(l, ctx, CHANGE_ASSESSMENT_ADDED,
				   na->assessor, na->date, summary.ptr);
			buf_dispose(&summary);
			continue;
		}
		change_field(l, ctx, CHANGE_ASSESSMENT_FIELD, "type",
			     oa->independent ? "independent" : "self-attestation",
			     na->independent ? "independent" : "self-attestation");
		change_field(l, ctx, CHANGE_ASSESSMENT_FIELD, "assessor",
			     oa->assessor, na->assessor);
		change_field(l, ctx, CHANGE_ASSESSMENT_FIELD, "date", oa->date,
			     na->date);
		change_field(l, ctx, CHANGE_ASSESSMENT_FIELD, "valid_until",
			     oa->valid_until, na->valid_until);
		change_field(l, ctx, CHANGE_ASSESSMENT_FIELD, "report_url",
			     oa->report_url, na->report_url);
		if (!change_same(oa->scope, na->scope))
			change_add(l, ctx, CHANGE_ASSESSMENT_FIELD, "scope",
				   NULL, NULL);
		change_findings(l, ctx, os, oa, ns, na);
	}
	ctx->assessment = NULL;
	ctx->independent = 0;
}

static void change_profile(change_list *l, const change *ctx,
			   const model_vendor *o, const model_vendor *n)
{
	buf ol = BUF_INIT, nl = BUF_INIT;

	change_field(l, ctx, CHANGE_FIELD, "name", o->name, n->name);
	change_field(l, ctx, CHANGE_FIELD, "legal_name", o->legal_name,
		     n->legal_name);
	change_field(l, ctx, CHANGE_FIELD, "country", o->country, n->country);
	change_field(l, ctx, CHANGE_FIELD, "website", o->website, n->website);
	change_join(&ol, o->layers, o->n_layers);
	change_join(&nl, n->layers, n->n_layers);
	change_field(l, ctx, CHANGE_FIELD, "layers", ol.ptr, nl.ptr);
	change_field(l, ctx, CHANGE_FIELD, "member_since", o->member_since,
		     n->member_since);
	change_field(l, ctx, CHANGE_FIELD, "security_contact",
		     o->security_contact, n->security_contact);
	if (!change_same(o->summary, n->summary))
		change_add(l, ctx, CHANGE_SUMMARY, NULL, NULL, NULL);
	buf_dispose(&ol);
	buf_dispose(&nl);
}

static model_status change_standing_of(const model *site,
				       const model_vendor *v, int independent,
				       const char *principle)
{
	int i = independent ? v->latest_independent : v->latest_self;
	const model_finding *f;

	if (i < 0)
		return MODEL_NONE;
	f = change_finding(site, &v->assessments[i], principle);
	return f ? f->status : MODEL_NONE;
}

/* What the profile shows per principle and type, before and after. */
static void change_standings(change_list *l, change *ctx, const model *os,
			     const model_vendor *o, const model *ns,
			     const model_vendor *n)
{
	size_t i;
	int ind;

	for (i = 0; i < ns->n_principles; i++)
		for (ind = 0; ind < 2; ind++) {
			const model_principle *p = &ns->principles[i];
			model_status before = o ? change_standing_of(os, o, ind, p->id)
						: MODEL_NONE;
			model_status after = change_standing_of(ns, n, ind, p->id);

			if (before == after)
				continue;
			ctx->principle = change_dup(l, p->id);
			ctx->principle_title = change_dup(l, p->title);
			ctx->independent = ind;
			change_add(l, ctx, CHANGE_STANDING, NULL,
				   model_status_id(before),
				   model_status_id(after));
		}
	ctx->principle = ctx->principle_title = NULL;
	ctx->independent = 0;
}

void change_vendor(change_list *l, const model *old_site,
		   const model_vendor *old, const model *new_site,
		   const model_vendor *new, int valid)
{
	const model_vendor *any = new ? new : old;
	change ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.vendor = change_dup(l, any->slug);
	ctx.vendor_name = change_dup(l, any->name ? any->name : any->slug);
	if (!old) {
		change_add(l, &ctx, CHANGE_VENDOR_ADDED, NULL, NULL, NULL);
	} else if (!new) {
		change_add(l, &ctx, CHANGE_VENDOR_REMOVED, NULL, NULL, NULL);
		return;
	}
	if (new && !valid)
		change_add(l, &ctx, CHANGE_VENDOR_INVALID, NULL, NULL, NULL);
	if (old) {
		change_profile(l, &ctx, old, new);
		change_assessments(l, &ctx, old_site, old, new_site, new);
	}
	change_standings(l, &ctx, old_site, old, new_site, new);
}

/* ---- site ------------------------------------------------------------- */

static const model_principle *change_find_principle(const model *m,
						    const char *id)
{
	int i = model_principle_index(m, id);

	return i < 0 ? NULL : &m->principles[i];
}

static const model_page *change_find_page(const model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n_pages; i++)
		if (!strcmp(m->pages[i].name, name))
			return &m->pages[i];
	return NULL;
}

static void change_principles(change_list *l, change *ctx, const model *o,
			      const model *n)
{
	size_t i;

	for (i = 0; i < o->n_principles; i++)
		if (!change_find_principle(n, o->principles[i].id)) {
			ctx->principle = change_dup(l, o->principles[i].id);
			ctx->principle_title =
				change_dup(l, o->principles[i].title);
			change_add(l, ctx, CHANGE_PRINCIPLE_REMOVED, NULL,
				   NULL, NULL);
		}
	for (i = 0; i < n->n_principles; i++) {
		const model_principle *np = &n->principles[i];
		const model_principle *op = change_find_principle(o, np->id);

		ctx->principle = change_dup(l, np->id);
		ctx->principle_title = change_dup(l, np->title);
		if (!op) {
			change_add(l, ctx, CHANGE_PRINCIPLE_ADDED, NULL, NULL,
				   NULL);
			continue;
		}
		change_field(l, ctx, CHANGE_PRINCIPLE_FIELD, "title",
			     op->title, np->title);
		change_field(l, ctx, CHANGE_PRINCIPLE_FIELD, "summary",
			     op->summary, np->summary);
		if (!change_same(op->body, np->body))
			change_add(l, ctx, CHANGE_PRINCIPLE_TEXT, NULL, NULL,
				   NULL);
	}
	ctx->principle = ctx->principle_title = NULL;
}

static void change_pages(change_list *l, const change *ctx, const model *o,
			 const model *n)
{
	size_t i;

	for (i = 0; i < o->n_pages; i++)
		if (!change_find_page(n, o->pages[i].name))
			change_add(l, ctx, CHANGE_PAGE_REMOVED,
				   o->pages[i].name, NULL, NULL);
	for (i = 0; i < n->n_pages; i++) {
		const model_page *op = change_find_page(o, n->pages[i].name);

		if (!op)
			change_add(l, ctx, CHANGE_PAGE_ADDED, n->pages[i].name,
				   NULL, NULL);
		else if (!change_same(op->body, n->pages[i].body))
			change_add(l, ctx, CHANGE_PAGE_TEXT, n->pages[i].name,
				   NULL, NULL);
	}
}

void change_site(change_list *l, const model *o, const model *n)
{
	buf ol = BUF_INIT, nl = BUF_INIT;
	char oa[16], na[16];
	change ctx;
	int empty;

	memset(&ctx, 0, sizeof(ctx));
	empty = !o->title && !o->n_principles;
	change_field(l, &ctx, CHANGE_SITE_FIELD, "title", o->title, n->title);
	change_field(l, &ctx, CHANGE_SITE_FIELD, "base_url", o->base_url,
		     n->base_url);
	change_field(l, &ctx, CHANGE_SITE_FIELD, "repo_url", o->repo_url,
		     n->repo_url);
	change_join(&ol, o->layers, o->n_layers);
	change_join(&nl, n->layers, n->n_layers);
	change_field(l, &ctx, CHANGE_SITE_FIELD, "layers",
		     o->n_layers ? ol.ptr : NULL, n->n_layers ? nl.ptr : NULL);
	/* A directory's first settings say nothing about the default. */
	snprintf(oa, sizeof(oa), "%d", o->evidence_max_age_days);
	snprintf(na, sizeof(na), "%d", n->evidence_max_age_days);
	if (!empty)
		change_field(l, &ctx, CHANGE_SITE_FIELD,
			     "evidence_max_age_days", oa, na);
	change_principles(l, &ctx, o, n);
	change_pages(l, &ctx, o, n);
	buf_dispose(&ol);
	buf_dispose(&nl);
}

/* ---- words -------------------------------------------------------------- */

static void change_q(buf *b, const char *s)
{
	if (s)
		BUF_CAT(b, "\"", s, "\"");
	else
		buf_puts(b, "(none)");
}

static void change_from_to(buf *b, const change *c)
{
	if (!c->old) {
		buf_puts(b, "set to ");
		change_q(b, c->new);
	} else if (!c->new) {
		buf_puts(b, "removed (was ");
		change_q(b, c->old);
		buf_putc(b, ')');
	} else {
		buf_puts(b, "changed from ");
		change_q(b, c->old);
		buf_puts(b, " to ");
		change_q(b, c->new);
	}
}

static const char *change_atype(const change *c)
{
	return c->independent ? "independent assessment" : "self-attestation";
}

void change_text(buf *b, const change *c)
{
	switch (c->kind) {
	case CHANGE_VENDOR_ADDED:
		BUF_CAT(b, "added vendor \"", c->vendor_name, "\" (", c->vendor,
			")");
		return;
	case CHANGE_VENDOR_REMOVED:
		BUF_CAT(b, "removed vendor \"", c->vendor_name, "\" (",
			c->vendor, ")");
		return;
	case CHANGE_VENDOR_INVALID:
		buf_puts(b, "the vendor's files did not pass validation at "
			    "this commit; described as far as they could be "
			    "read");
		return;
	case CHANGE_FIELD:
		BUF_CAT(b, c->field, " ");
		change_from_to(b, c);
		return;
	case CHANGE_SUMMARY:
		buf_puts(b, "changed the summary");
		return;
	case CHANGE_ASSESSMENT_ADDED:
		BUF_CAT(b, "added ", change_atype(c), " ", c->assessment);
		if (c->field)
			BUF_CAT(b, " by ", c->field);
		BUF_CAT(b, ", dated ", c->old);
		if (c->new && *c->new)
			BUF_CAT(b, ": ", c->new);
		return;
	case CHANGE_ASSESSMENT_REMOVED:
		BUF_CAT(b, "removed ", change_atype(c), " ", c->assessment,
			", dated ", c->old);
		return;
	case CHANGE_ASSESSMENT_FIELD:
		BUF_CAT(b, change_atype(c), " ", c->assessment, ": ", c->field,
			" ");
		if (!c->old && !c->new)
			buf_puts(b, "changed");
		else
			change_from_to(b, c);
		return;
	case CHANGE_STATUS:
		BUF_CAT(b, change_atype(c), " ", c->assessment, ": status on \"",
			c->principle_title, "\" changed from ", c->old, " to ",
			c->new);
		return;
	case CHANGE_FINDING:
		BUF_CAT(b, change_atype(c), " ", c->assessment,
			": changed the finding on \"", c->principle_title, "\"");
		return;
	case CHANGE_EVIDENCE_ADDED:
	case CHANGE_EVIDENCE_REMOVED:
		BUF_CAT(b, change_atype(c), " ", c->assessment, ": ",
			c->kind == CHANGE_EVIDENCE_ADDED ? "added" : "removed",
			" evidence \"", c->field, "\" on \"", c->principle_title,
			"\"");
		return;
	case CHANGE_EVIDENCE_LINK:
	case CHANGE_EVIDENCE_DATE:
	case CHANGE_EVIDENCE_FIELD:
		BUF_CAT(b, change_atype(c), " ", c->assessment, ": evidence \"",
			c->field, "\" on \"", c->principle_title, "\": ",
			c->kind == CHANGE_EVIDENCE_LINK ? "link"
			: c->kind == CHANGE_EVIDENCE_DATE ? "date"
							  : "detail",
			" ");
		change_from_to(b, c);
		return;
	case CHANGE_SITE_FIELD:
		BUF_CAT(b, "site setting ", c->field, " ");
		change_from_to(b, c);
		return;
	case CHANGE_PRINCIPLE_ADDED:
		BUF_CAT(b, "added principle \"", c->principle_title, "\" (",
			c->principle, ")");
		return;
	case CHANGE_PRINCIPLE_REMOVED:
		BUF_CAT(b, "removed principle \"", c->principle_title, "\" (",
			c->principle, ")");
		return;
	case CHANGE_PRINCIPLE_FIELD:
		BUF_CAT(b, "principle ", c->principle, ": ", c->field, " ");
		change_from_to(b, c);
		return;
	case CHANGE_PRINCIPLE_TEXT:
		BUF_CAT(b, "changed the text of principle \"",
			c->principle_title, "\"");
		return;
	case CHANGE_PAGE_ADDED:
		BUF_CAT(b, "added page ", c->field);
		return;
	case CHANGE_PAGE_REMOVED:
		BUF_CAT(b, "removed page ", c->field);
		return;
	case CHANGE_PAGE_TEXT:
		BUF_CAT(b, "changed page ", c->field);
		return;
	case CHANGE_STANDING:
		BUF_CAT(b, c->independent ? "independent" : "self-attested",
			" standing on \"", c->principle_title, "\" changed from ",
			c->old, " to ", c->new);
		return;
	case CHANGE_KIND_COUNT:
		break;
	}
}

int change_is_listed(const change *c)
{
	return c->kind != CHANGE_STANDING;
}

int change_is_notable(const change *c)
{
	return c->kind == CHANGE_STATUS || c->kind == CHANGE_VENDOR_ADDED ||
	       c->kind == CHANGE_VENDOR_REMOVED ||
	       c->kind == CHANGE_ASSESSMENT_ADDED ||
	       c->kind == CHANGE_ASSESSMENT_REMOVED;
}
