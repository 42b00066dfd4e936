/*
 * change: what one version of the directory changes from another, in
 * terms of the directory (vendors, fields, assessments, statuses,
 * evidence), never of files.
 *
 * One engine serves `trustdir diff`, the history pages and the feeds:
 * callers compare two vendors (either may be absent) or two site
 * settings and get change records; change_text() says each in words.
 * Every string of a record is copied into the list's arena, so the
 * models compared may be freed right after.
 */
#ifndef TRUSTDIR_CHANGE_H
#define TRUSTDIR_CHANGE_H

#include "arena.h"
#include "buf.h"
#include "model.h"

typedef enum {
	CHANGE_VENDOR_ADDED,
	CHANGE_VENDOR_REMOVED,
	CHANGE_VENDOR_INVALID,   /* the vendor's files did not validate */
	CHANGE_FIELD,            /* a profile field: field, old, new */
	CHANGE_SUMMARY,          /* summary.md */
	CHANGE_ASSESSMENT_ADDED, /* new: "governance meets, ..." */
	CHANGE_ASSESSMENT_REMOVED,
	CHANGE_ASSESSMENT_FIELD, /* field, old, new */
	CHANGE_STATUS,           /* principle, old, new */
	CHANGE_FINDING,          /* a principle's finding text */
	CHANGE_EVIDENCE_ADDED,   /* principle, field = title */
	CHANGE_EVIDENCE_REMOVED,
	CHANGE_EVIDENCE_LINK,    /* principle, field = title, old, new */
	CHANGE_EVIDENCE_DATE,
	CHANGE_EVIDENCE_FIELD,   /* kind or sha256: field = "title: kind" */
	CHANGE_SITE_FIELD,       /* site.json: field, old, new */
	CHANGE_PRINCIPLE_ADDED,  /* principle */
	CHANGE_PRINCIPLE_REMOVED,
	CHANGE_PRINCIPLE_FIELD,  /* principle, field, old, new */
	CHANGE_PRINCIPLE_TEXT,   /* content/principles/<id>.md */
	CHANGE_PAGE_ADDED,       /* field = page name */
	CHANGE_PAGE_REMOVED,
	CHANGE_PAGE_TEXT,
	/* The standing the directory shows for a principle (the latest
	 * assessment of one type) changed: principle, independent, old,
	 * new.  Derived from the changes above: a reviewer's summary. */
	CHANGE_STANDING,
	CHANGE_KIND_COUNT
} change_kind;

typedef struct {
	change_kind kind;
	const char *vendor;      /* slug, or NULL for a site change */
	const char *vendor_name;
	const char *assessment;  /* id, or NULL */
	int independent;         /* of the assessment */
	const char *principle;   /* id, or NULL */
	const char *principle_title;
	const char *field;
	const char *old, *new;   /* NULL when absent */
} change;

typedef struct {
	arena arena;
	change *items;
	size_t len, cap;
} change_list;

void change_list_init(change_list *l);
void change_list_dispose(change_list *l);
void change_list_clear(change_list *l);

/* Appends what changed from old to new: vendor added (old NULL),
 * removed (new NULL), or each difference.  old_site and new_site give
 * the principles each version was read with.  valid says whether new
 * passed validation. */
void change_vendor(change_list *l, const model *old_site,
		   const model_vendor *old, const model *new_site,
		   const model_vendor *new, int valid);
/* Appends the differences of site settings, principles and pages. */
void change_site(change_list *l, const model *old, const model *new);

/* The stable name of a kind, for JSON: "vendor-added", "status", ... */
const char *change_kind_id(change_kind k);
/* Appends the change in words, e.g. 'assessment 2026-05-04: status of
 * "Transparent governance" changed from partially-meets to meets'.
 * Without the vendor: callers group changes by vendor. */
void change_text(buf *out, const change *c);
/* 1 for the changes a reviewer must not miss: statuses, assessments
 * and vendors added or removed. */
int change_is_notable(const change *c);
/* 0 for records that only summarise others (CHANGE_STANDING): lists of
 * changes in words leave them out. */
int change_is_listed(const change *c);

#endif
