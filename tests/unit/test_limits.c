/*
 * limits: every documented limit (README.md, "Limits") is a clear
 * error that names the limit and the file, at the offending value,
 * never a crash: huge files, deep nesting, too many entries, long
 * strings, invalid UTF-8, templates that expand without end.
 *
 * Content limits are checked on repo_snapshots built in memory, so
 * each case shows exactly what model_load reports; the file-size limit
 * is checked where it is enforced, in repo_read, on a real repository.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "harness.h"
#include "json.h"
#include "model.h"
#include "repo.h"
#include "tmpl.h"

static const char site_json[] =
	"{\n"
	"  \"title\": \"Limits\",\n"
	"  \"base_url\": \"https://limits.example/\",\n"
	"  \"principles\": [\n"
	"    {\"id\": \"governance\", \"title\": \"Governance\", "
	"\"summary\": \"One line.\"}\n"
	"  ],\n"
	"  \"layers\": [\"cloud\"]\n"
	"}\n";
static const char profile_json[] =
	"{\n"
	"  \"name\": \"Acme\",\n"
	"  \"country\": \"DE\",\n"
	"  \"website\": \"https://acme.example\",\n"
	"  \"layers\": [\"cloud\"],\n"
	"  \"member_since\": \"2026-01-01\"\n"
	"}\n";
static const char summary_md[] = "Acme builds *things*.\n";

/* ---- snapshots in memory ------------------------------------------------ */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

/* Adds a file (a copy of len bytes of data), replacing one of the same
 * path unless `fresh` promises there is none. */
static void snap_add(repo_snapshot *s, const char *path, const char *data,
		     size_t len, int fresh)
{
	repo_file *f = NULL;
	size_t i;

	for (i = 0; !fresh && i < s->len; i++)
		if (!strcmp(s->files[i].path, path))
			f = &s->files[i];
	if (f) {
		free(f->data);
	} else {
		if (s->len == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->files = realloc(s->files, s->cap * sizeof(*s->files));
			if (!s->files)
				abort();
		}
		f = &s->files[s->len++];
		memset(f, 0, sizeof(*f));
		f->path = strcpy(xmalloc(strlen(path) + 1), path);
	}
	f->data = xmalloc(len + 1);
	memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
}

static void snap_put(repo_snapshot *s, const char *path, const char *data,
		     size_t len)
{
	snap_add(s, path, data, len, 0);
}

static void snap_puts(repo_snapshot *s, const char *path, const char *text)
{
	snap_add(s, path, text, strlen(text), 0);
}

/* A valid directory of one vendor, one assessment. */
static void snap_base(repo_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->commit_id, "0123456789abcdef0123456789abcdef01234567",
	       sizeof(s->commit_id));
	s->commit_time = 1780315200; /* 2026-06-01 */
	snap_puts(s, "content/site.json", site_json);
	snap_puts(s, "vendors/acme/profile.json", profile_json);
	snap_puts(s, "vendors/acme/summary.md", summary_md);
	snap_puts(s, "vendors/acme/assessments/2026-01-01-self.json",
		  "{\"type\": \"self-attestation\", \"date\": \"2026-01-01\", "
		  "\"principles\": {\"governance\": {\"status\": \"meets\"}}}\n");
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const repo_file *)a)->path,
		      ((const repo_file *)b)->path);
}

/* Loads the snapshot (and disposes of it); returns every diagnostic as
 * `trustdir check` prints it, one a line, and the count in *n. */
static char *load(repo_snapshot *s, size_t *n, size_t *n_vendors)
{
	diag_list diags;
	model m;
	buf out = BUF_INIT;
	size_t i;

	qsort(s->files, s->len, sizeof(*s->files), file_cmp);
	diag_list_init(&diags);
	model_load(&m, s, 1, &diags);
	diag_sort(&diags);
	for (i = 0; i < diags.len; i++) {
		const diag *d = &diags.items[i];

		buf_puts(&out, d->file);
		if (d->line)
			buf_printf(&out, ":%d:%d", d->line, d->col);
		buf_printf(&out, ": %s\n", d->msg);
	}
	if (n)
		*n = diag_count(&diags);
	if (n_vendors)
		*n_vendors = m.n_vendors;
	model_dispose(&m);
	diag_list_dispose(&diags);
	repo_snapshot_dispose(s);
	return buf_detach(&out);
}

/* Loads s and checks that the diagnostics are exactly `want`. */
static void expect(repo_snapshot *s, const char *want, const char *what)
{
	char *got = load(s, NULL, NULL);

	STR_EQ(got, want, "%s", what);
	free(got);
}

/* n copies of unit, between head and tail. */
static char *repeat(const char *head, const char *unit, size_t n,
		    const char *tail, size_t *len)
{
	size_t h = strlen(head), u = strlen(unit), t = strlen(tail), i;
	char *s = xmalloc(h + u * n + t + 1), *p = s;

	memcpy(p, head, h);
	p += h;
	for (i = 0; i < n; i++, p += u)
		memcpy(p, unit, u);
	memcpy(p, tail, t);
	p[t] = '\0';
	*len = h + u * n + t;
	return s;
}

/* ---- JSON: size, depth, UTF-8 -------------------------------------------- */

static void test_json_size(void)
{
	repo_snapshot s;
	size_t len = 2 * 1024 * 1024;
	char *big = xmalloc(len);

	/* A valid JSON object, only too big: the size is checked before
	 * anything reads the text. */
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	snap_base(&s);
	snap_put(&s, "vendors/acme/profile.json", big, len);
	expect(&s, "vendors/acme/profile.json:1:1: file is 2097152 bytes; "
		   "the limit is 1 MiB\n",
	       "a 2 MiB JSON file");
	free(big);
}

static void test_json_depth(void)
{
	repo_snapshot s;
	size_t len;
	char *deep;

	/* 200,000 levels: the scan stops at the 33rd bracket, long before
	 * cJSON would recurse. */
	deep = repeat("", "[", 200000, "", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/assessments/2026-01-01-self.json", deep,
		 len);
	expect(&s, "vendors/acme/assessments/2026-01-01-self.json:1:33: "
		   "nesting deeper than 32 levels\n",
	       "200,000 nested arrays");
	free(deep);

	deep = repeat("", "{\"a\":", 200000, "1", &len);
	snap_base(&s);
	snap_put(&s, "content/site.json", deep, len);
	expect(&s, "content/site.json:1:161: nesting deeper than 32 levels\n",
	       "200,000 nested objects in site.json");
	free(deep);

	/* A deep value spread over lines is found at its line. */
	deep = repeat("{\"name\": \"Acme\",\n \"x\": ", "[\n", 40, "", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/profile.json", deep, len);
	expect(&s, "vendors/acme/profile.json:33:1: nesting deeper than 32 "
		   "levels\n",
	       "nesting over many lines");
	free(deep);
}

static void test_utf8(void)
{
	repo_snapshot s;
	/* 0xC3 0x28: a lead byte without its continuation. */
	static const char bad_json[] =
		"{\n  \"name\": \"Acm\xC3\x28\",\n  \"country\": \"DE\"\n}\n";
	static const char bad_md[] = "# Acme\n\nWe build \xE2\x82 things.\n";
	static const char overlong[] = "Fine.\n\xC0\xAF\n";
	static const char nul[] = "Fine.\n\0after\n";

	snap_base(&s);
	snap_puts(&s, "vendors/acme/profile.json", bad_json);
	expect(&s, "vendors/acme/profile.json:2:15: invalid UTF-8 at byte "
		   "16\n",
	       "invalid UTF-8 in a JSON file");

	snap_base(&s);
	snap_puts(&s, "vendors/acme/summary.md", bad_md);
	expect(&s, "vendors/acme/summary.md:3:10: invalid UTF-8 at byte 17; "
		   "the file must be UTF-8 text without NUL bytes\n",
	       "invalid UTF-8 in a markdown file");

	snap_base(&s);
	snap_puts(&s, "content/principles/governance.md", overlong);
	expect(&s, "content/principles/governance.md:2:1: invalid UTF-8 at "
		   "byte 6; the file must be UTF-8 text without NUL bytes\n",
	       "an overlong encoding of '/' in a principle");

	snap_base(&s);
	snap_put(&s, "content/pages/about.md", nul, sizeof(nul) - 1);
	expect(&s, "content/pages/about.md:2:1: invalid UTF-8 at byte 6; "
		   "the file must be UTF-8 text without NUL bytes\n",
	       "a NUL byte in a page");
}

/* ---- counts ------------------------------------------------------------- */

static void test_evidence(void)
{
	static const char head[] =
		"{\"type\": \"self-attestation\", \"date\": \"2026-01-01\",\n"
		" \"principles\": {\"governance\": {\"status\": \"meets\",\n"
		"  \"evidence\": [";
	static const char item[] = "{\"title\": \"T\", \"kind\": \"other\"},";
	repo_snapshot s;
	size_t len;
	char *json;

	/* 100,000 items: the count is refused before any item is read. */
	json = repeat(head, "{},", 100000, "{}]}}}\n", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/assessments/2026-01-01-self.json", json,
		 len);
	expect(&s, "vendors/acme/assessments/2026-01-01-self.json:3:15: "
		   "\"evidence\" has 100001 items; the limit is 500 per "
		   "principle\n",
	       "100,000 evidence items");
	free(json);

	json = repeat(head, item, 500, "{\"title\": \"T\", \"kind\": "
		      "\"other\"}]}}}\n", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/assessments/2026-01-01-self.json", json,
		 len);
	expect(&s, "vendors/acme/assessments/2026-01-01-self.json:3:15: "
		   "\"evidence\" has 501 items; the limit is 500 per "
		   "principle\n",
	       "501 evidence items");
	free(json);

	json = repeat(head, item, 499, "{\"title\": \"T\", \"kind\": "
		      "\"other\"}]}}}\n", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/assessments/2026-01-01-self.json", json,
		 len);
	expect(&s, "", "500 evidence items are allowed");
	free(json);
}

static void test_assessments(void)
{
	repo_snapshot s;
	char path[128], json[256];
	int i;

	snap_base(&s);
	for (i = 1; i <= MODEL_MAX_ASSESSMENTS + 1; i++) {
		snprintf(path, sizeof(path),
			 "vendors/acme/assessments/a-%03d.json", i);
		snprintf(json, sizeof(json),
			 "{\"type\": \"self-attestation\", \"date\": "
			 "\"2025-01-01\", \"principles\": {}}\n");
		snap_puts(&s, path, json);
	}
	/* Besides the base's 2026-01-01-self.json, 101 more. */
	expect(&s, "vendors/acme/assessments/a-100.json: too many "
		   "assessments: a vendor may have at most 100\n",
	       "too many assessments");
}

static void test_vendors(void)
{
	repo_snapshot s;
	char path[128];
	size_t i, n, n_vendors;
	char *got;

	snap_base(&s);
	for (i = 1; i <= MODEL_MAX_VENDORS; i++) {
		snprintf(path, sizeof(path), "vendors/v%06zu/profile.json", i);
		snap_add(&s, path, profile_json, strlen(profile_json), 1);
	}
	got = load(&s, &n, &n_vendors);
	/* acme and 99,999 of the others fill the directory. */
	STR_EQ(got, "vendors/v100000/profile.json: too many vendors: the "
		    "directory may list at most 100000\n",
	       "too many vendors");
	OK(n_vendors == MODEL_MAX_VENDORS, "%zu vendors kept", n_vendors);
	free(got);
}

static void test_site_counts(void)
{
	repo_snapshot s;
	buf json = BUF_INIT;
	char path[64];
	int i;

	buf_puts(&json, "{\"title\": \"T\", \"base_url\": \"https://t.example/\",\n"
			"\"principles\": [");
	for (i = 0; i <= MODEL_MAX_PRINCIPLES; i++)
		buf_printf(&json, "%s{\"id\": \"p%d\", \"title\": \"P\", "
			   "\"summary\": \"S\"}", i ? ", " : "", i);
	buf_puts(&json, "],\n\"layers\": [");
	for (i = 0; i <= MODEL_MAX_LAYERS; i++)
		buf_printf(&json, "%s\"l%d\"", i ? ", " : "", i);
	buf_puts(&json, "]}\n");
	snap_base(&s);
	snap_puts(&s, "content/site.json", json.ptr);
	/* Nothing can be checked against a broken site.json, so the
	 * vendor's own errors are left out. */
	expect(&s, "content/site.json:2:15: \"principles\" has 51 entries; the "
		   "limit is 50\n"
		   "content/site.json:3:11: \"layers\" must be an array of 1 to "
		   "50 layer names, e.g. [\"cloud\", \"ai\"]\n",
	       "too many principles and layers");
	buf_dispose(&json);

	snap_base(&s);
	for (i = 0; i <= MODEL_MAX_PAGES; i++) {
		snprintf(path, sizeof(path), "content/pages/p%03d.md", i);
		snap_puts(&s, path, "A page.\n");
	}
	expect(&s, "content/pages/p200.md: too many pages: at most 200\n",
	       "too many pages");
}

/* ---- strings ------------------------------------------------------------ */

static void test_strings(void)
{
	repo_snapshot s;
	size_t len;
	char *json;

	/* Characters, not bytes: 300 two-byte characters are allowed. */
	json = repeat("{\"name\": \"", "\xC3\xA9", 300,
		      "\", \"country\": \"DE\", \"website\": "
		      "\"https://acme.example\", \"layers\": [\"cloud\"], "
		      "\"member_since\": \"2026-01-01\"}", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/profile.json", json, len);
	expect(&s, "", "a name of 300 characters");
	free(json);

	json = repeat("{\"country\": \"DE\",\n \"name\": \"", "x", 301,
		      "\", \"website\": \"https://acme.example\", \"layers\": "
		      "[\"cloud\"], \"member_since\": \"2026-01-01\"}", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/profile.json", json, len);
	expect(&s, "vendors/acme/profile.json:2:10: \"name\" is 301 characters "
		   "long; the limit is 300\n",
	       "a name of 301 characters");
	free(json);

	json = repeat("{\"type\": \"self-attestation\", \"date\": \"2026-01-01\", "
		      "\"scope\": \"", "ab ", 6667,
		      "\", \"principles\": {}}", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/assessments/2026-01-01-self.json", json,
		 len);
	expect(&s, "vendors/acme/assessments/2026-01-01-self.json:1:61: "
		   "\"scope\" is 20001 characters long; the limit is 20000\n",
	       "a CommonMark field over 20,000 characters");
	free(json);

	json = repeat("{\"name\": \"Acme\", \"country\": \"DE\", \"website\": "
		      "\"https://acme.example/", "a", 2000,
		      "\", \"layers\": [\"cloud\"], \"member_since\": "
		      "\"2026-01-01\"}", &len);
	snap_base(&s);
	snap_put(&s, "vendors/acme/profile.json", json, len);
	expect(&s, "vendors/acme/profile.json:1:46: \"website\" is 2021 "
		   "characters long; the limit is 2000\n",
	       "a URL over 2,000 characters");
	free(json);
}

/* ---- file size, where it is enforced: repo_read ---------------------------- */

static int write_file(const char *dir, const char *rel, const char *data,
		      size_t len)
{
	char path[4096];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (!(f = fopen(path, "wb")))
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	return fclose(f) == 0 ? rc : -1;
}

/* Adds blob `data` under `name` to the tree being built. */
static void tb_blob(git_repository *r, git_treebuilder *tb, const char *name,
		    const char *data, size_t len)
{
	git_oid oid;

	OK(git_blob_create_from_buffer(&oid, r, data, len) == 0 &&
		   git_treebuilder_insert(NULL, tb, name, &oid,
					  GIT_FILEMODE_BLOB) == 0,
	   "blob %s", name);
}

static void tb_tree(git_repository *r, git_treebuilder *tb, const char *name,
		    git_treebuilder *sub)
{
	git_oid oid;

	OK(git_treebuilder_write(&oid, sub) == 0 &&
		   git_treebuilder_insert(NULL, tb, name, &oid,
					  GIT_FILEMODE_TREE) == 0,
	   "tree %s", name);
	git_treebuilder_free(sub);
}

/* Commits root, with content and vendors in it, as HEAD. */
static void commit_root(git_repository *r, git_treebuilder *root,
			git_treebuilder *content, git_treebuilder *vendors)
{
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id;

	tb_tree(r, root, "content", content);
	tb_tree(r, root, "vendors", vendors);
	OK(git_treebuilder_write(&tree_id, root) == 0, "root tree");
	git_treebuilder_free(root);
	OK(git_tree_lookup(&tree, r, &tree_id) == 0 &&
		   git_signature_new(&sig, "Ada", "ada@example.org",
				     1780315200, 0) == 0 &&
		   git_commit_create_v(&commit_id, r, "HEAD", sig, sig, NULL,
				       "Add", tree, 0) == 0,
	   "commit");
	git_signature_free(sig);
	git_tree_free(tree);
}

/* A repository in a new temporary directory whose one commit (and
 * working tree) holds site.json and vendors/acme with the given
 * summary.md and profile.json. */
static char *make_repo(const char *summary, size_t summary_len,
		       const char *profile, size_t profile_len)
{
	char tmpl[] = "/tmp/trustdir-limits-XXXXXX", path[4096];
	git_repository *r = NULL;
	git_treebuilder *root, *content, *vendors, *acme;
	char *dir;

	if (!mkdtemp(tmpl))
		abort();
	dir = strcpy(xmalloc(sizeof(tmpl)), tmpl);
	OK(git_repository_init(&r, dir, 0) == 0, "git init %s", dir);
	git_treebuilder_new(&root, r, NULL);
	git_treebuilder_new(&content, r, NULL);
	git_treebuilder_new(&vendors, r, NULL);
	git_treebuilder_new(&acme, r, NULL);
	tb_blob(r, content, "site.json", site_json, strlen(site_json));
	tb_blob(r, acme, "profile.json", profile, profile_len);
	tb_blob(r, acme, "summary.md", summary, summary_len);
	tb_tree(r, vendors, "acme", acme);
	commit_root(r, root, content, vendors);
	git_repository_free(r);

	snprintf(path, sizeof(path), "%s/content", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/vendors", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/vendors/acme", dir);
	mkdir(path, 0777);
	OK(write_file(dir, "content/site.json", site_json,
		      strlen(site_json)) == 0 &&
		   write_file(dir, "vendors/acme/profile.json", profile,
			      profile_len) == 0 &&
		   write_file(dir, "vendors/acme/summary.md", summary,
			      summary_len) == 0,
	   "working tree");
	return dir;
}

/* repo_read's diagnostics, in tree or working-tree mode, read with
 * threads threads; with files set, each file's path, length and hash
 * before them. */
static char *read_text(const char *dir, int worktree, size_t threads,
		       int files, size_t *n_files)
{
	repo *r = NULL;
	repo_snapshot snap;
	diag_list diags;
	buf err = BUF_INIT, out = BUF_INIT;
	size_t i, k;

	diag_list_init(&diags);
	memset(&snap, 0, sizeof(snap));
	OK(repo_open(&r, dir, 0, &err) == 0, "repo_open: %s", err.ptr);
	OK(r && repo_read(&snap, r, "HEAD", worktree, threads, &diags,
			  &err) == 0,
	   "repo_read: %s", err.ptr);
	for (i = 0; files && i < snap.len; i++) {
		unsigned long h = 5381;

		for (k = 0; k < snap.files[i].len; k++)
			h = h * 33 + (unsigned char)snap.files[i].data[k];
		buf_printf(&out, "%s %zu %lx\n", snap.files[i].path,
			   snap.files[i].len, h);
	}
	diag_sort(&diags);
	for (i = 0; i < diags.len; i++)
		buf_printf(&out, "%s: %s\n", diags.items[i].file,
			   diags.items[i].msg);
	*n_files = snap.len;
	repo_snapshot_dispose(&snap);
	diag_list_dispose(&diags);
	repo_free(r);
	buf_dispose(&err);
	return buf_detach(&out);
}

static void remove_tree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	OK(system(cmd) == 0, "%s", cmd);
}

static void test_file_size(void)
{
	size_t len = 2 * 1024 * 1024, n;
	char *md = xmalloc(len), *json = xmalloc(len), *dir, *got;
	int worktree;

	memset(md, 'a', len);
	memset(json, ' ', len);
	json[0] = '{';
	json[len - 1] = '}';
	dir = make_repo(md, len, json, len);
	for (worktree = 0; worktree <= 1; worktree++) {
		got = read_text(dir, worktree, 1, 0, &n);
		STR_EQ(got,
		       "vendors/acme/profile.json: file is 2097152 bytes; a "
		       "content file may be at most 1048576 bytes (1 MiB)\n"
		       "vendors/acme/summary.md: file is 2097152 bytes; a "
		       "content file may be at most 1048576 bytes (1 MiB)\n",
		       "2 MiB files %s", worktree ? "in the working tree"
						  : "in a commit");
		OK(n == 1, "only site.json is read: %zu files", n);
		free(got);
	}
	remove_tree(dir);
	free(dir);

	/* Exactly 1 MiB of markdown is allowed. */
	dir = make_repo(md, 1024 * 1024, profile_json, strlen(profile_json));
	got = read_text(dir, 0, 1, 0, &n);
	STR_EQ(got, "", "a 1 MiB summary.md");
	OK(n == 3, "three files read: %zu", n);
	free(got);
	remove_tree(dir);
	free(dir);
	free(md);
	free(json);
}

/* A commit of 300 vendors, every 40th with a summary.md 1 byte over
 * the limit, read by one thread and by three: the same files, bytes
 * and errors. */
static void test_read_threads(void)
{
	char tmpl[] = "/tmp/trustdir-limits-XXXXXX", name[64], text[128];
	size_t big_len = 1024 * 1024 + 1, i;
	char *big = xmalloc(big_len), *one, *three;
	git_repository *r = NULL;
	git_treebuilder *root, *content, *vendors, *v;

	memset(big, 'a', big_len);
	OK(mkdtemp(tmpl) != NULL, "mkdtemp");
	OK(git_repository_init(&r, tmpl, 1) == 0, "git init %s", tmpl);
	git_treebuilder_new(&root, r, NULL);
	git_treebuilder_new(&content, r, NULL);
	git_treebuilder_new(&vendors, r, NULL);
	tb_blob(r, content, "site.json", site_json, strlen(site_json));
	for (i = 0; i < 300; i++) {
		git_treebuilder_new(&v, r, NULL);
		snprintf(text, sizeof(text), "{\"name\": \"Vendor %zu\"}", i);
		tb_blob(r, v, "profile.json", text, strlen(text));
		if (i % 40 == 7)
			tb_blob(r, v, "summary.md", big, big_len);
		else
			tb_blob(r, v, "summary.md", text, strlen(text) / 2);
		snprintf(name, sizeof(name), "v%03zu", i);
		tb_tree(r, vendors, name, v);
	}
	commit_root(r, root, content, vendors);
	git_repository_free(r);

	one = read_text(tmpl, 0, 1, 1, &i);
	three = read_text(tmpl, 0, 3, 1, &i);
	OK(strstr(one, "vendors/v007/profile.json 20 ") &&
		   !strstr(one, "vendors/v007/summary.md ") &&
		   strstr(one, "vendors/v007/summary.md: file is 1048577 bytes"),
	   "a file too big is left out, with its error");
	OK(strstr(one, "vendors/v299/summary.md 11 ") != NULL,
	   "the last file is read");
	STR_EQ(three, one, "three threads read what one reads");
	free(one);
	free(three);
	free(big);
	remove_tree(tmpl);
}

/* ---- templates ------------------------------------------------------------ */

static void test_template(void)
{
	tmpl_set *set = tmpl_set_new();
	buf out = BUF_INIT, src = BUF_INIT;
	cJSON *data = NULL;
	char err[256];
	int i, rc;

	/* 60 sections over a two-item array: 2^60 passes. */
	for (i = 0; i < 60; i++)
		buf_puts(&src, "{{#a}}");
	buf_puts(&src, "x");
	for (i = 0; i < 60; i++)
		buf_puts(&src, "{{/a}}");
	OK(json_parse(&data, "{\"a\": [1, 2]}", 13, NULL) == 0, "context");
	tmpl_set_limits(set, 0, 100000);
	OK(tmpl_set_add(set, "page", src.ptr, src.len, err, sizeof(err)) == 0,
	   "add: %s", err);
	buf_puts(&out, "before");
	rc = tmpl_render(set, "page", data, &out, err, sizeof(err));
	OK(rc == -1, "an exponential template fails");
	STR_EQ(err, "page:1:355: the template expands too much: more than "
		    "100000 steps (sections or partials nested over and "
		    "over?)", "the step limit");
	STR_EQ(out.ptr, "before", "and writes nothing");

	/* A partial that includes itself twice in each pass writes
	 * 2^40 bytes unless stopped. */
	buf_clear(&src);
	for (i = 0; i < 40; i++)
		buf_puts(&src, "{\"a\": ");
	buf_puts(&src, "false");
	for (i = 0; i < 40; i++)
		buf_puts(&src, "}");
	cJSON_Delete(data);
	data = NULL;
	OK(json_parse(&data, src.ptr, src.len, NULL) == JSON_EINVALID,
	   "json_parse refuses 40 levels");
	data = cJSON_Parse(src.ptr);
	tmpl_set_limits(set, 1 << 20, 0);
	OK(tmpl_set_add(set, "p", "{{#a}}{{>p}}{{>p}}{{/a}}xxxxxxxx", 32, err,
			sizeof(err)) == 0, "add p: %s", err);
	rc = tmpl_render(set, "p", data, &out, err, sizeof(err));
	OK(rc == -1, "an exploding partial fails");
	OK(strstr(err, "the output is larger than 1048576 bytes") != NULL,
	   "the output limit: %s", err);
	STR_EQ(out.ptr, "before", "and writes nothing");

	/* The defaults leave room for the largest real page. */
	tmpl_set_limits(set, 0, 0);
	cJSON_Delete(data);
	data = cJSON_CreateObject();
	{
		cJSON *arr = cJSON_AddArrayToObject(data, "a");

		for (i = 0; i < 100000; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateNumber(i));
	}
	OK(tmpl_set_add(set, "rows", "{{#a}}<tr><td>{{.}}</td></tr>{{/a}}", 35,
			err, sizeof(err)) == 0, "add rows: %s", err);
	buf_clear(&out);
	OK(tmpl_render(set, "rows", data, &out, err, sizeof(err)) == 0,
	   "100,000 rows render: %s", err);
	cJSON_Delete(data);
	buf_dispose(&out);
	buf_dispose(&src);
	tmpl_set_free(set);
}

int main(void)
{
	git_libgit2_init();
	test_json_size();
	test_json_depth();
	test_utf8();
	test_evidence();
	test_assessments();
	test_vendors();
	test_site_counts();
	test_strings();
	test_file_size();
	test_read_threads();
	test_template();
	git_libgit2_shutdown();
	return harness_done("test_limits");
}
