/*
 * fuzz_model: the content parser and validator (json, check, model) on
 * a synthetic repository.
 *
 * The input is split at each line "--8<--" into the files of a small
 * repository, in the order of fuzz_paths below; a part left out is a
 * file the repository lacks.  model_load must never crash, whatever the
 * files hold, and content it accepts must hold only what the renderers
 * rely on: absolute http(s) (or mailto:) URLs, text without control
 * characters, dates of real days.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "md.h"
#include "model.h"
#include "repo.h"
#include "utf8.h"

#define FUZZ_SEP "\n--8<--\n"

static const char *const fuzz_paths[] = {
	"content/site.json",
	"vendors/acme/profile.json",
	"vendors/acme/assessments/2026-01-01-self.json",
	"vendors/acme/summary.md",
	"content/principles/governance.md",
	"content/pages/about.md",
	"vendors/acme/assessments/2026-02-01-independent.json",
	"vendors/beta/profile.json",
	"vendors/beta/summary.md",
};
#define FUZZ_NPATHS (sizeof(fuzz_paths) / sizeof(fuzz_paths[0]))

static int fuzz_path_cmp(const void *a, const void *b)
{
	return strcmp(((const repo_file *)a)->path,
		      ((const repo_file *)b)->path);
}

/* Aborts, so that libFuzzer keeps the input, when an accepted model
 * breaks a promise model.h makes to the renderers. */
static void fuzz_require(int cond, const char *what, const char *value)
{
	if (!cond) {
		fprintf(stderr, "fuzz_model: %s: %s\n", what,
			value ? value : "(null)");
		abort();
	}
}

static void fuzz_text(const char *s, int markdown)
{
	const unsigned char *p;

	if (!s)
		return;
	fuzz_require(utf8_validate(s, strlen(s), NULL) == 0,
		     "accepted text is not UTF-8", s);
	for (p = (const unsigned char *)s; *p; p++)
		fuzz_require(*p >= 0x20 ? *p != 0x7f
					: markdown && (*p == '\n' || *p == '\t' ||
						       *p == '\r'),
			     "accepted text holds a control character", s);
}

static void fuzz_url(const char *s, int mailto)
{
	if (!s)
		return;
	fuzz_text(s, 0);
	fuzz_require(md_url_allowed(s), "accepted URL is not allowed", s);
	fuzz_require(!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7) ||
			     (mailto && !strncmp(s, "mailto:", 7)),
		     "accepted URL is not absolute", s);
	fuzz_require(!strpbrk(s, "\"<>` \\"),
		     "accepted URL holds a character that breaks out", s);
}

static void fuzz_date(const char *s)
{
	if (s)
		fuzz_require(check_date_valid(s), "accepted date is invalid",
			     s);
}

static void fuzz_check(const model *m)
{
	size_t v, a, p, e;

	fuzz_text(m->title, 0);
	fuzz_url(m->base_url, 0);
	fuzz_url(m->repo_url, 0);
	fuzz_require(m->base_url[strlen(m->base_url) - 1] == '/',
		     "base_url does not end in a slash", m->base_url);
	for (p = 0; p < m->n_principles; p++) {
		fuzz_require(model_name_valid(m->principles[p].id,
					      strlen(m->principles[p].id)),
			     "principle id", m->principles[p].id);
		fuzz_text(m->principles[p].title, 0);
		fuzz_text(m->principles[p].summary, 0);
	}
	for (v = 0; v < m->n_vendors; v++) {
		const model_vendor *vd = &m->vendors[v];

		fuzz_text(vd->name, 0);
		fuzz_text(vd->legal_name, 0);
		fuzz_url(vd->website, 0);
		fuzz_url(vd->security_contact, 1);
		fuzz_date(vd->member_since);
		for (a = 0; a < vd->n_assessments; a++) {
			const model_assessment *as = &vd->assessments[a];

			fuzz_text(as->assessor, 0);
			fuzz_text(as->scope, 1);
			fuzz_url(as->report_url, 0);
			fuzz_date(as->date);
			fuzz_date(as->valid_until);
			for (p = 0; p < m->n_principles; p++) {
				const model_finding *f = &as->findings[p];

				fuzz_text(f->summary, 1);
				fuzz_require(f->n_evidence <= MODEL_MAX_EVIDENCE,
					     "evidence over the limit", NULL);
				for (e = 0; e < f->n_evidence; e++) {
					fuzz_text(f->evidence[e].title, 0);
					fuzz_url(f->evidence[e].url, 0);
					fuzz_date(f->evidence[e].date);
				}
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	repo_snapshot snap;
	diag_list diags;
	model m;
	const char *p = (const char *)data, *end = p + size;
	size_t i;
	int last = 0;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	memset(&snap, 0, sizeof(snap));
	snap.files = calloc(FUZZ_NPATHS, sizeof(*snap.files));
	if (!snap.files)
		abort();
	memcpy(snap.commit_id, "0123456789abcdef0123456789abcdef01234567",
	       sizeof(snap.commit_id));
	snap.commit_time = 1780315200; /* 2026-06-01 12:00 UTC */
	for (i = 0; i < FUZZ_NPATHS && !last; i++) {
		const char *sep = memmem(p, (size_t)(end - p), FUZZ_SEP,
					 strlen(FUZZ_SEP));
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);
		repo_file *f = &snap.files[snap.len++];

		f->path = strdup(fuzz_paths[i]);
		f->data = malloc(len + 1);
		if (!f->path || !f->data)
			abort();
		memcpy(f->data, p, len);
		f->data[len] = '\0';
		f->len = len;
		if (sep)
			p = sep + strlen(FUZZ_SEP);
		else
			last = 1;
	}
	qsort(snap.files, snap.len, sizeof(*snap.files), fuzz_path_cmp);

	diag_list_init(&diags);
	model_load(&m, &snap, 1, &diags);
	if (diag_count(&diags) == 0)
		fuzz_check(&m);
	diag_sort(&diags);
	diag_print(&diags, devnull, DIAG_TEXT);
	diag_print(&diags, devnull, DIAG_GITHUB);
	diag_print(&diags, devnull, DIAG_JSON);
	model_dispose(&m);
	diag_list_dispose(&diags);
	repo_snapshot_dispose(&snap);
	return 0;
}
