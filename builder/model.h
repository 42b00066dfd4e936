/*
 * model: the directory in memory, built once from a repo_snapshot and
 * validated once; every renderer reads it and none changes it.
 *
 * All strings belong to the model's arena and live until
 * model_dispose().  Strings that hold CommonMark say so; every other
 * string is plain text, validated but not escaped: renderers escape
 * for their output context.
 */
#ifndef TRUSTDIR_MODEL_H
#define TRUSTDIR_MODEL_H

#include <git2.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "repo.h"

/* Documented limits (README.md, "Limits"). */
#define MODEL_MAX_VENDORS 100000
#define MODEL_MAX_PRINCIPLES 50
#define MODEL_MAX_LAYERS 50
#define MODEL_MAX_PAGES 200
#define MODEL_MAX_ASSESSMENTS 100   /* per vendor */
#define MODEL_MAX_EVIDENCE 500      /* per principle of an assessment */
#define MODEL_MAX_TEXT 300          /* characters in a name or title */
#define MODEL_MAX_MARKDOWN 20000    /* bytes in a CommonMark field */
#define MODEL_MAX_URL 2000          /* bytes in a URL */

typedef enum {
	MODEL_NONE = 0,        /* no assessment of this type */
	MODEL_NOT_ASSESSED,
	MODEL_DOES_NOT_MEET,
	MODEL_PARTIALLY_MEETS,
	MODEL_MEETS
} model_status;

typedef struct {
	const char *id, *title, *summary;
	const char *body; /* CommonMark of content/principles/<id>.md, or NULL */
	size_t body_len;
} model_principle;

typedef struct {
	const char *name;
	const char *body; /* CommonMark */
	size_t body_len;
} model_page;

typedef struct {
	const char *title, *kind;
	const char *url, *date, *sha256; /* optional: NULL */
} model_evidence;

typedef struct {
	model_status status; /* MODEL_NOT_ASSESSED when left out */
	int listed;          /* the principle is named in the file */
	const char *summary; /* CommonMark, or NULL */
	model_evidence *evidence;
	size_t n_evidence;
} model_finding;

typedef struct {
	const char *id;   /* file name without .json */
	const char *path; /* vendors/<slug>/assessments/<id>.json */
	int independent;
	const char *assessor;    /* NULL for a self-attestation */
	const char *date;
	const char *valid_until; /* optional */
	const char *scope;       /* CommonMark, optional */
	const char *report_url;  /* optional */
	model_finding *findings; /* one per site principle, in site order */
	git_oid oid;             /* of the file */
} model_assessment;

typedef struct {
	const char *slug;
	const char *name, *legal_name, *country, *website, *security_contact;
	const char *member_since;
	const char **layers;
	size_t n_layers;
	const char *summary; /* CommonMark of summary.md, or NULL */
	size_t summary_len;
	model_assessment *assessments; /* newest first: date, then id */
	size_t n_assessments;
	int latest_self, latest_independent; /* index, or -1 */
	git_oid profile_oid, summary_oid;    /* of the files */
	git_oid tree_oid; /* of vendors/<slug>/ in the commit read; zero
			     when not known (a working tree) */
} model_vendor;

typedef struct {
	arena arena;
	const char *title, *base_url, *repo_url; /* repo_url may be NULL */
	model_principle *principles;
	size_t n_principles;
	const char **layers;
	size_t n_layers;
	int evidence_max_age_days;
	model_page *pages; /* by name */
	size_t n_pages;
	model_vendor *vendors; /* directory order: by name, then slug */
	size_t n_vendors;
	char commit_id[GIT_OID_HEXSZ + 1];
	int64_t commit_time;
	char commit_date[11]; /* YYYY-MM-DD of commit_time, UTC */
	int borrows; /* what is copied from a like stays where it is:
			it outlives the model (model_load_like) */
} model;

/* Builds and validates the model of snap, reading the vendors with up
 * to threads threads (the model and the errors are the same for any
 * number).  Every problem found is added to diags; the model is usable
 * for rendering only when no diagnostic was added.  The model must be
 * disposed either way. */
void model_load(model *m, const repo_snapshot *snap, size_t threads,
		diag_list *diags);
/* model_load, taking each vendor's files from an earlier version of it
 * where their blob ids match (model_vendor_load's like): like(arg,
 * snap, slug, len) is that version or NULL, and a file it holds may
 * have been left unread in snap (data NULL).  The model points into
 * those versions instead of copying them: they must outlive it. */
typedef const model_vendor *(*model_like_fn)(void *arg,
					     const repo_snapshot *snap,
					     const char *slug, size_t len);
void model_load_like(model *m, const repo_snapshot *snap, size_t threads,
		     diag_list *diags, model_like_fn like, void *like_arg);
/* The model's own copy of an evidence kind ("policy" ...), or NULL
 * when kind is none of them. */
const char *model_kind_static(const char *kind);
void model_dispose(model *m);

/* The parts of model_load, for reading one vendor at a time (history):
 * model_site_load reads content/site.json from snap into m (0, or -1
 * when it has errors); model_vendor_load reads the files of one vendor
 * directory, files[0..n), all under vendors/<slug>/ and sorted, into v
 * using m's principles and layers (checked only when site_ok) and m's
 * arena.  It returns 1 when the vendor is complete and valid; else v
 * holds what could be read and the problems are in diags.
 *
 * like, when not NULL, is a valid version of the same vendor read with
 * the same principles: a file whose blob id equals that of like's file
 * of the same name is copied from like instead of parsed, and its data
 * may be NULL (model_vendor_reuses says which files those are).  A
 * history walk reads each version of a file once this way. */
int model_site_load(model *m, const repo_snapshot *snap, diag_list *diags);
int model_vendor_load(model *m, model_vendor *v, const char *slug,
		      size_t slug_len, const repo_file *files, size_t n,
		      diag_list *diags, int site_ok, const model_vendor *like);
int model_vendor_reuses(const model_vendor *like, size_t slug_len,
			const repo_file *f);

const char *model_status_id(model_status s);    /* "meets", ..., "none" */
const char *model_status_label(model_status s); /* "Meets", ... */
int model_principle_index(const model *m, const char *id); /* or -1 */
/* 1 if the assessment's valid_until lies before the commit date. */
int model_assessment_expired(const model *m, const model_assessment *a);
/* 1 if the evidence is dated more than evidence_max_age_days before
 * the commit date. */
int model_evidence_stale(const model *m, const model_evidence *e);
/* Days since 1970-01-01 of a valid YYYY-MM-DD date. */
long model_days(const char *date);
/* 1 if s matches ^[a-z0-9][a-z0-9-]{0,62}$, the rule for every name. */
int model_name_valid(const char *s, size_t len);

#endif
