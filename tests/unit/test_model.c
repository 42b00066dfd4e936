/*
 * The content model and its validator: each error's message and its
 * line:column, and the derived values (order, latest assessments,
 * stale and expired), on snapshots built in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "model.h"

static const char site_json[] =
	"{\n"
	"  \"title\": \"T\",\n"
	"  \"base_url\": \"https://d.example.org\",\n"
	"  \"principles\": [\n"
	"    {\"id\": \"governance\", \"title\": \"Governance\", \"summary\": \"G\"},\n"
	"    {\"id\": \"ethics\", \"title\": \"Ethics\", \"summary\": \"E\"}\n"
	"  ],\n"
	"  \"layers\": [\"cloud\", \"ai\"],\n"
	"  \"evidence_max_age_days\": 365\n"
	"}\n";

static const char profile_ok[] =
	"{\n"
	"  \"name\": \"Acme\",\n"
	"  \"country\": \"DE\",\n"
	"  \"website\": \"https://acme.example\",\n"
	"  \"layers\": [\"cloud\"],\n"
	"  \"member_since\": \"2026-02-13\"\n"
	"}\n";

/* A snapshot of (path, text) pairs; the commit is at 2026-06-01. */
static void snap_build(repo_snapshot *s, const char *const *files)
{
	size_t n = 0, i;

	memset(s, 0, sizeof(*s));
	while (files[2 * n])
		n++;
	s->files = calloc(n + 1, sizeof(*s->files));
	for (i = 0; i < n; i++) {
		s->files[i].path = strdup(files[2 * i]);
		s->files[i].data = strdup(files[2 * i + 1]);
		s->files[i].len = strlen(files[2 * i + 1]);
	}
	s->len = s->cap = n;
	/* model_load expects the order repo_read gives: by path. */
	for (i = 1; i < n; i++) {
		size_t j = i;

		while (j > 0 && strcmp(s->files[j - 1].path, s->files[j].path) > 0) {
			repo_file t = s->files[j];

			s->files[j] = s->files[j - 1];
			s->files[j - 1] = t;
			j--;
		}
	}
	strcpy(s->commit_id, "0123456789012345678901234567890123456789");
	s->commit_time = 1780315200; /* 2026-06-01T12:00:00Z */
}

/* Loads the files and returns the diagnostics as "file:line:col: msg"
 * lines, for comparison with the expected text. */
static char *load(model *m, const char *const *files)
{
	repo_snapshot s;
	diag_list d;
	buf out = BUF_INIT;
	size_t i;

	snap_build(&s, files);
	diag_list_init(&d);
	model_load(m, &s, 1, &d);
	diag_sort(&d);
	for (i = 0; i < d.len; i++)
		buf_printf(&out, "%s:%d:%d: %s\n", d.items[i].file,
			   d.items[i].line, d.items[i].col, d.items[i].msg);
	diag_list_dispose(&d);
	repo_snapshot_dispose(&s);
	return buf_detach(&out);
}

static void expect_errors(const char *const *files, const char *want,
			  const char *what)
{
	model m;
	char *got = load(&m, files);

	STR_EQ(got, want, "%s", what);
	free(got);
	model_dispose(&m);
}

static void test_site_errors(void)
{
	const char *const files[] = {
		"content/site.json",
		"{\n  \"title\": \"\",\n  \"base_url\": \"ftp://x\",\n"
		"  \"principles\": [{\"id\": \"Bad Id\", \"title\": \"x\", "
		"\"summary\": \"y\"}],\n  \"layers\": [\"cloud\", \"cloud\"],\n"
		"  \"evidence_max_age_days\": -1,\n  \"colour\": \"red\"\n}\n",
		NULL
	};

	expect_errors(files,
		"content/site.json:2:12: \"title\" is empty: the directory's title\n"
		"content/site.json:3:15: \"base_url\": \"ftp://x\" is not an allowed URL; "
		"use an absolute https:// or http:// address without spaces\n"
		"content/site.json:4:25: \"id\": \"Bad Id\" is not a valid id; use "
		"lowercase letters, digits and hyphens (e.g. \"supply-chain\")\n"
		"content/site.json:5:23: layer \"cloud\" is listed twice\n"
		"content/site.json:6:28: \"evidence_max_age_days\" must be a whole "
		"number of days from 1 to 36500\n"
		"content/site.json:7:3: unknown field \"colour\"; the fields allowed "
		"here are: title, base_url, repo_url, principles, layers, "
		"evidence_max_age_days\n",
		"every site.json error, each at its value");
}

static void test_base_url_query(void)
{
	const char *const files[] = {
		"content/site.json",
		"{\"title\": \"T\", \"base_url\": \"https://x.example/?a=1\", "
		"\"principles\": [{\"id\": \"g\", \"title\": \"G\", "
		"\"summary\": \"S\"}], \"layers\": [\"ai\"]}",
		NULL
	};

	expect_errors(files,
		"content/site.json:1:28: \"base_url\" must not hold a query (?) "
		"or a fragment (#); use the address of the site's root, e.g. "
		"\"https://directory.example.org/\"\n",
		"a base_url with a query");
}

static void test_missing_site(void)
{
	const char *const files[] = { NULL };

	expect_errors(files,
		"content/site.json:0:0: missing: every directory needs "
		"content/site.json with its title, base_url, principles and "
		"layers\n", "a repository without site.json");
}

static void test_files(void)
{
	const char *const files[] = {
		"content/site.json", site_json,
		"content/pages/vendors.md", "# V\n",
		"content/pages/About.md", "# A\n",
		"content/principles/privacy.md", "# P\n",
		"content/notes.txt", "x",
		"content/README.md", "ignored",
		"vendors/acme/profile.json", profile_ok,
		"vendors/acme/logo.png", "x",
		"vendors/acme/README.md", "ignored",
		"vendors/empty/summary.md", "no profile\n",
		"vendors/bad/profile.json", profile_ok,
		"vendors/bad/summary.md", "caf\xc3 bad\n",
		NULL
	};

	expect_errors(files,
		"content/notes.txt:0:0: unexpected file; content/ holds "
		"site.json, principles/<id>.md and pages/<name>.md\n"
		"content/pages/About.md:0:0: \"About\" is not a valid page name; "
		"use 1 to 63 lowercase letters, digits and hyphens, starting "
		"with a letter or digit (e.g. \"example-networks\")\n"
		"content/pages/vendors.md:0:0: \"vendors\" is reserved for pages "
		"trustdir writes itself; choose another name\n"
		"content/principles/privacy.md:0:0: no principle \"privacy\" in "
		"content/site.json; name the file after a principle id\n"
		"vendors/acme/logo.png:0:0: unexpected file; a vendor directory "
		"holds profile.json, summary.md and assessments/<id>.json\n"
		"vendors/bad/summary.md:1:4: invalid UTF-8 at byte 3; the file "
		"must be UTF-8 text without NUL bytes\n"
		"vendors/empty/summary.md:0:0: vendors/empty/profile.json is "
		"missing: every vendor directory needs a profile.json\n",
		"unexpected, misnamed and reserved files; README.md allowed");
}

static void test_assessment_errors(void)
{
	const char *const files[] = {
		"content/site.json", site_json,
		"vendors/acme/profile.json", profile_ok,
		"vendors/acme/assessments/a.json",
		"{\n  \"type\": \"independent\",\n  \"assessor\": \"X\",\n"
		"  \"date\": \"2026-05-04\",\n  \"valid_until\": \"2026-01-01\",\n"
		"  \"principles\": {\n    \"ethics\": {\"status\": \"meets\", "
		"\"evidence\": [{\"title\": \"T\", \"kind\": \"policy\", "
		"\"url\": \"javascript:x\", \"date\": \"2026-02-30\"}]}\n  }\n}\n",
		"vendors/acme/assessments/B.json", "{}",
		NULL
	};

	expect_errors(files,
		"vendors/acme/assessments/B.json:0:0: \"B\" is not a valid "
		"assessment name; use 1 to 63 lowercase letters, digits and "
		"hyphens, starting with a letter or digit (e.g. "
		"\"example-networks\")\n"
		"vendors/acme/assessments/a.json:5:18: \"valid_until\" "
		"(2026-01-01) is before \"date\" (2026-05-04)\n"
		"vendors/acme/assessments/a.json:7:88: \"url\": \"javascript:x\" "
		"is not an allowed URL; use an absolute https:// or http:// "
		"address without spaces\n"
		"vendors/acme/assessments/a.json:7:112: \"date\": \"2026-02-30\" "
		"is not a valid date; use YYYY-MM-DD (e.g. \"2026-02-13\")\n",
		"assessment errors at their values");
}

static const char self_a[] =
	"{\"type\": \"self-attestation\", \"date\": \"2026-02-13\", "
	"\"principles\": {\"governance\": {\"status\": \"meets\", \"evidence\": "
	"[{\"title\": \"Old\", \"kind\": \"policy\", \"date\": \"2025-05-01\"},"
	" {\"title\": \"New\", \"kind\": \"policy\", \"date\": \"2025-07-01\"}]}}}";
static const char self_b[] =
	"{\"type\": \"self-attestation\", \"date\": \"2025-01-01\", "
	"\"principles\": {}}";
static const char ind[] =
	"{\"type\": \"independent\", \"assessor\": \"A\", \"date\": \"2025-01-01\","
	" \"valid_until\": \"2026-01-01\", \"principles\": {\"ethics\": "
	"{\"status\": \"partially-meets\"}}}";

static void test_derived(void)
{
	const char *const files[] = {
		"content/site.json", site_json,
		"vendors/zeta/profile.json",
		"{\"name\": \"zeta\", \"country\": \"SE\", \"website\": "
		"\"https://z.example\", \"layers\": [\"ai\"], \"member_since\": "
		"\"2026-01-01\"}",
		"vendors/acme/profile.json", profile_ok,
		"vendors/acme/assessments/self-a.json", self_a,
		"vendors/acme/assessments/self-b.json", self_b,
		"vendors/acme/assessments/ind.json", ind,
		"vendors/beta/profile.json",
		"{\"name\": \"Beta\", \"country\": \"FI\", \"website\": "
		"\"https://b.example\", \"layers\": [\"ai\"], \"member_since\": "
		"\"2026-01-01\"}",
		NULL
	};
	const model_vendor *v;
	model m;
	char *errors = load(&m, files);

	STR_EQ(errors, "", "valid content has no errors");
	OK(m.n_vendors == 3, "three vendors, got %zu", m.n_vendors);
	STR_EQ(m.vendors[0].slug, "acme", "vendors in name order, case folded");
	STR_EQ(m.vendors[1].slug, "beta", "second");
	STR_EQ(m.vendors[2].slug, "zeta", "third");
	STR_EQ(m.base_url, "https://d.example.org/", "base_url ends in a slash");
	STR_EQ(m.commit_date, "2026-06-01", "the commit's date, UTC");
	v = &m.vendors[0];
	OK(v->n_assessments == 3, "three assessments");
	STR_EQ(v->assessments[v->latest_self].id, "self-a",
	       "the latest self-attestation is the newest by date");
	STR_EQ(v->assessments[v->latest_independent].id, "ind",
	       "the latest independent assessment");
	OK(model_assessment_expired(&m, &v->assessments[v->latest_independent]),
	   "an assessment past valid_until is expired");
	OK(!model_assessment_expired(&m, &v->assessments[v->latest_self]),
	   "one without valid_until is not");
	OK(v->assessments[v->latest_independent].findings[0].status ==
		   MODEL_NOT_ASSESSED,
	   "a principle left out is not assessed");
	OK(v->assessments[v->latest_independent].findings[1].status ==
		   MODEL_PARTIALLY_MEETS,
	   "a listed principle has its status");
	OK(model_evidence_stale(&m, &v->assessments[v->latest_self]
					     .findings[0].evidence[0]),
	   "evidence older than evidence_max_age_days is stale");
	OK(!model_evidence_stale(&m, &v->assessments[v->latest_self]
					      .findings[0].evidence[1]),
	   "newer evidence is not");
	OK(m.vendors[1].latest_self < 0 && m.vendors[1].latest_independent < 0,
	   "a vendor without assessments has no latest");
	free(errors);
	model_dispose(&m);
}

static void test_days(void)
{
	OK(model_days("1970-01-01") == 0, "epoch");
	OK(model_days("2026-02-13") == 20497, "2026-02-13 is day 20497");
	OK(model_days("2024-03-01") - model_days("2024-02-28") == 2,
	   "a leap day");
	OK(model_name_valid("a", 1) && !model_name_valid("-a", 2) &&
		   !model_name_valid("A", 1) && model_name_valid("a-1", 3),
	   "the name rule");
}

/* The model and errors of files read with threads threads, as text:
 * each vendor's slug, name and assessments, then the errors kept and
 * the count of those dropped. */
static char *load_threads(const char *const *files, size_t threads)
{
	repo_snapshot s;
	diag_list d;
	buf out = BUF_INIT;
	model m;
	size_t i;

	snap_build(&s, files);
	diag_list_init(&d);
	model_load(&m, &s, threads, &d);
	for (i = 0; i < m.n_vendors; i++)
		buf_printf(&out, "%s %s %zu\n", m.vendors[i].slug,
			   m.vendors[i].name ? m.vendors[i].name : "-",
			   m.vendors[i].n_assessments);
	diag_sort(&d);
	for (i = 0; i < d.len; i++)
		buf_printf(&out, "%s:%d:%d: %s\n", d.items[i].file,
			   d.items[i].line, d.items[i].col, d.items[i].msg);
	buf_printf(&out, "%zu kept, %zu dropped\n", d.len, d.dropped);
	diag_list_dispose(&d);
	repo_snapshot_dispose(&s);
	model_dispose(&m);
	return buf_detach(&out);
}

/* Many vendors, with errors of every kind and more of them than are
 * kept, read by one thread and by several: the same model and the same
 * errors, whichever are kept. */
static void test_threads(void)
{
	enum { N = 1300 };
	static char text[N][3][160];
	const char **files = calloc(2 * (3 * N + 4) + 1, sizeof(*files));
	size_t n = 0, i, t, valid = 0;
	char *one, *many, *tail;

	files[n++] = "content/site.json";
	files[n++] = site_json;
	files[n++] = "vendors/README.md";
	files[n++] = "about these files";
	files[n++] = "vendors/stray.txt";
	files[n++] = "x";
	for (i = 0; i < N; i++) {
		const char *slug = i % 97 ? "v" : "Bad";

		snprintf(text[i][0], sizeof(text[i][0]), "vendors/%s%04zu/%s",
			 slug, i, i % 7 ? "profile.json" : "summary.md");
		if (i % 3 == 0)
			snprintf(text[i][1], sizeof(text[i][1]),
				 "{\"name\": %zu, \"country\": \"XX\"}", i);
		else
			snprintf(text[i][1], sizeof(text[i][1]),
				 "{\"name\": \"Vendor %04zu\", \"country\": "
				 "\"DE\", \"website\": \"https://v.example\", "
				 "\"layers\": [\"ai\"], \"member_since\": "
				 "\"2026-02-13\"}", i);
		files[n++] = text[i][0];
		files[n++] = text[i][1];
		if (i % 5 == 0) {
			snprintf(text[i][2], sizeof(text[i][2]),
				 "vendors/%s%04zu/notes.txt", slug, i);
			files[n++] = text[i][2];
			files[n++] = "x";
		}
		valid += i % 97 && i % 3 && i % 7 && i % 5;
	}
	one = load_threads(files, 1);
	tail = strstr(one, "kept, ");
	OK(tail && strstr(one, "1000 kept") && strcmp(tail, "kept, 0 dropped\n"),
	   "more errors than are kept: %s", tail ? tail : "(none)");
	OK(strstr(one, "v0001 Vendor 0001 0\n") && !strstr(one, "v0000 "),
	   "the valid vendors are in the model, the others not");
	for (i = 0, t = 0; one[i] && one[i] != ':'; i++)
		t += one[i] == '\n';
	OK(t == valid, "%zu valid vendors, %zu expected", t, valid);
	for (t = 2; t <= 4; t++) {
		many = load_threads(files, t);
		OK(!strcmp(one, many), "%zu threads read what one reads", t);
		free(many);
	}
	free(one);
	free(files);
}

int main(void)
{
	test_site_errors();
	test_missing_site();
	test_base_url_query();
	test_files();
	test_assessment_errors();
	test_derived();
	test_days();
	test_threads();
	return harness_done("test_model");
}
