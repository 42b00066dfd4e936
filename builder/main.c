/*
 * trustdir: renders a directory of technology vendors and their
 * evidence from a git repository.  main reads as a script: parse the
 * command line, read the commit, build and check the model, render.
 * Only main prints and exits; the modules return errors.
 */
#include <cjson/cJSON.h>
#include <cmark.h>
#include <git2.h>
#include <sass.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef TRUSTDIR_MIMALLOC
#include <mimalloc.h>
#endif

#include "diag.h"
#include "frag.h"
#include "hcache.h"
#include "hist.h"
#include "mcache.h"
#include "model.h"
#include "out.h"
#include "pool.h"
#include "report.h"
#include "repo.h"
#include "reuse.h"
#include "site.h"
#include "theme.h"

enum { EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_OTHER = 3 };

typedef struct {
	const char *command;
	const char *repo;
	const char *ref;
	const char *out;
	const char *theme;
	const char *base_url;
	const char *cache;
	const char *format;
	const char *base, *head; /* diff */
	int worktree;
} options;

static const char usage_text[] =
	"usage: trustdir build  [--repo DIR] [--ref REF | --worktree] "
	"[--out DIR] [--theme DIR] [--base-url URL]\n"
	"       trustdir check  [--repo DIR] [--ref REF | --worktree] "
	"[--format text|github|json]\n"
	"       trustdir diff   BASE [HEAD] [--repo DIR] "
	"[--format text|markdown|json]\n"
	"       trustdir log    [--repo DIR] [--ref REF]\n"
	"       trustdir --help | --version ;  trustdir COMMAND --help\n";

static const char build_help[] =
	"usage: trustdir build [--repo DIR] [--ref REF | --worktree] "
	"[--out DIR] [--theme DIR] [--base-url URL]\n"
	"                      [--cache DIR]\n\n"
	"Reads content/ and vendors/ from the commit REF names and writes the\n"
	"directory's site into DIR, replacing it only when the build succeeds.\n\n"
	"  --repo DIR      the content repository (default: the one that\n"
	"                  contains the current directory)\n"
	"  --ref REF       the commit to build (default: HEAD)\n"
	"  --worktree      read the checked-out files instead, with their\n"
	"                  uncommitted changes\n"
	"  --out DIR       where the site goes (default: public); it must be\n"
	"                  new, empty, or a site trustdir wrote before\n"
	"  --theme DIR     templates/, scss/ and assets/ that replace the\n"
	"                  default theme's files of the same name\n"
	"  --base-url URL  the address the site is published at (default:\n"
	"                  base_url in content/site.json)\n"
	"  --cache DIR     where the history walked is kept for the next build,\n"
	"                  which then walks only newer commits (default:\n"
	"                  .trustdir-cache beside the --out directory)\n\n"
	"Exit status: 0 built, 1 the content has errors, 2 bad usage, 3 other.\n";

static const char check_help[] =
	"usage: trustdir check [--repo DIR] [--ref REF | --worktree] "
	"[--format text|github|json]\n\n"
	"Validates the content as build would, and prints every error as\n"
	"path:line:col: message.  --format github prints workflow commands\n"
	"that annotate a pull request; --format json prints\n"
	"{\"errors\": [{\"file\", \"line\", \"column\", \"message\"}], \"count\"}.\n\n"
	"Exit status: 0 valid, 1 the content has errors, 2 bad usage, 3 other.\n";

static const char diff_help[] =
	"usage: trustdir diff BASE [HEAD] [--repo DIR] "
	"[--format text|markdown|json]\n\n"
	"Says in words what the change from BASE to HEAD (default: HEAD) does\n"
	"to the directory: vendors added or removed, profile fields changed,\n"
	"assessments added or removed, each principle's status change, evidence\n"
	"added or removed.  BASE and HEAD are any revisions (origin/main, a tag,\n"
	"a commit id).  --format markdown suits a pull-request comment;\n"
	"--format json prints {\"base\", \"head\", \"changes\": [...]}.\n\n"
	"Exit status: 0 (also when nothing changed), 2 bad usage or unknown\n"
	"revision, 3 other.\n";

static const char log_help[] =
	"usage: trustdir log [--repo DIR] [--ref REF]\n\n"
	"Prints every change to the directory on the first-parent line of REF\n"
	"(default: HEAD), newest first, in the words of `trustdir diff`: what the\n"
	"history pages and feeds of the site show.\n\n"
	"Exit status: 0, 2 bad usage or unknown revision, 3 other.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("trustdir: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Returns -1 when main should exit with *status. */
static int parse_args(options *o, int argc, char **argv, int *status)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->ref = NULL;
	o->out = "public";
	o->format = "text";
	*status = 0;
	if (argc < 2) {
		*status = usage_error("%s", "no command given");
		return -1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return -1;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("trustdir %s\n", TRUSTDIR_VERSION);
#ifdef TRUSTDIR_MIMALLOC
		/* The allocator is a build option: a report names it. */
		printf("mimalloc %d.%d.%d\n", mi_version() / 100,
		       mi_version() / 10 % 10, mi_version() % 10);
#endif
		return -1;
	}
	o->command = argv[1];
	if (strcmp(o->command, "build") && strcmp(o->command, "check") &&
	    strcmp(o->command, "diff") && strcmp(o->command, "log")) {
		*status = usage_error("unknown command '%s'", o->command);
		return -1;
	}
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(!strcmp(o->command, "build")   ? build_help
			      : !strcmp(o->command, "check") ? check_help
			      : !strcmp(o->command, "log")   ? log_help
							     : diff_help,
			      stdout);
			return -1;
		} else if (!strcmp(o->command, "diff") && a[0] != '-') {
			if (o->head) {
				*status = usage_error("unexpected argument "
						      "'%s'", a);
				return -1;
			}
			*(o->base ? &o->head : &o->base) = a;
			continue;
		} else if (!strcmp(a, "--worktree") &&
			   (!strcmp(o->command, "build") ||
			    !strcmp(o->command, "check"))) {
			o->worktree = 1;
			continue;
		} else if (!strcmp(a, "--repo")) {
			slot = &o->repo;
		} else if (!strcmp(a, "--ref") && strcmp(o->command, "diff")) {
			slot = &o->ref;
		} else if (!strcmp(a, "--out") && !strcmp(o->command, "build")) {
			slot = &o->out;
		} else if (!strcmp(a, "--theme") &&
			   !strcmp(o->command, "build")) {
			slot = &o->theme;
		} else if (!strcmp(a, "--base-url") &&
			   !strcmp(o->command, "build")) {
			slot = &o->base_url;
		} else if (!strcmp(a, "--cache") &&
			   !strcmp(o->command, "build")) {
			slot = &o->cache;
		} else if (!strcmp(a, "--format") &&
			   strcmp(o->command, "build") &&
			   strcmp(o->command, "log")) {
			slot = &o->format;
		} else {
			*status = usage_error("unknown option '%s'", a);
			return -1;
		}
		if (i + 1 >= argc || !argv[i + 1][0]) {
			*status = usage_error("%s needs a value", a);
			return -1;
		}
		*slot = argv[++i];
	}
	if (o->worktree && o->ref) {
		*status = usage_error("%s", "--ref and --worktree exclude each "
					    "other");
		return -1;
	}
	if (!strcmp(o->command, "diff") && !o->base) {
		*status = usage_error("%s", "diff needs a BASE revision, e.g. "
					    "origin/main");
		return -1;
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json") &&
	    strcmp(o->format, !strcmp(o->command, "diff") ? "markdown"
							   : "github")) {
		*status = usage_error(!strcmp(o->command, "diff")
					      ? "--format must be text, markdown "
						"or json, not '%s'"
					      : "--format must be text, github "
						"or json, not '%s'",
				      o->format);
		return -1;
	}
	if (o->base_url && strncmp(o->base_url, "https://", 8) &&
	    strncmp(o->base_url, "http://", 7)) {
		*status = usage_error("--base-url must be an http:// or "
				      "https:// address, not '%s'",
				      o->base_url);
		return -1;
	}
	if (!o->ref)
		o->ref = "HEAD";
	if (!o->head)
		o->head = "HEAD";
	return 0;
}

/* Reads the commit and builds the model; content errors go to diags.
 * Returns 0, or an exit status after printing the reason. */
/* The history walk of a build: begun as soon as the repository is
 * open, so that its child processes walk while this one reads the
 * content; ended before rendering. */
typedef struct {
	char program[GIT_OID_HEXSZ + 1];
	buf cache;     /* where the history is kept, or empty */
	hist known;    /* the history kept there */
	hist_job *job; /* the walk begun, or NULL */
	char base[GIT_OID_HEXSZ + 1]; /* what every page shares (reuse.h) */
	mcache models;   /* the vendors the last build read (mcache.h) */
	pthread_t models_thread; /* reads models while the history is read */
	int models_reading;
	out_spare spare; /* the site the last build replaced (out.h) */
	git_oid site;    /* blob id of this commit's content/site.json */
	int save_models; /* this build read a vendor the cache lacks */
} build_walk;

static void program_digest(char hex[GIT_OID_HEXSZ + 1]);
static int cache_path(buf *path, const options *o);
static void build_base(char hex[GIT_OID_HEXSZ + 1],
		       const repo_snapshot *snap, const theme *t,
		       const options *o);
static void cache_sibling(buf *path, const build_walk *bw, const char *ext);
static void models_note(build_walk *bw, const repo_snapshot *snap);

/* The vendors the last build read: a file with the same blob id is
 * neither read nor parsed again. */
static void *models_load(void *arg)
{
	build_walk *bw = arg;
	buf path = BUF_INIT;

	cache_sibling(&path, bw, ".model");
	if (path.len)
		mcache_load(&bw->models, path.ptr, bw->program);
	buf_dispose(&path);
	return NULL;
}

/* Waits for models_load, begun by build_walk_begin. */
static void models_wait(build_walk *bw)
{
	if (bw->models_reading)
		pthread_join(bw->models_thread, NULL);
	bw->models_reading = 0;
}

/* With models set, the vendors' cache is read too, on a thread of its
 * own while the history's is (both decode some 100 MB at 10,000
 * vendors); models_wait() waits for it. */
static void build_walk_begin(build_walk *bw, const options *o, repo *r,
			     int models)
{
	buf err = BUF_INIT;

	program_digest(bw->program);
	if (cache_path(&bw->cache, o) < 0)
		buf_clear(&bw->cache);
	if (bw->cache.len) {
		/* listed on a thread of its own while the content is read */
		buf spare = BUF_INIT;

		cache_sibling(&spare, bw, ".site");
		out_spare_start(&bw->spare, spare.len ? spare.ptr : NULL);
		buf_dispose(&spare);
	}
	if (models) {
		bw->models_reading = pthread_create(&bw->models_thread, NULL,
						    models_load, bw) == 0;
		if (!bw->models_reading)
			models_load(bw);
	}
	if (!bw->cache.len ||
	    hcache_load(&bw->known, bw->cache.ptr, bw->program) < 0)
		bw->known.has_tip = 0;
	/* A bad revision is reported when the content is read. */
	if (hist_begin(&bw->job, r, o->ref, &bw->known, 1, &err) < 0)
		bw->job = NULL;
	buf_dispose(&err);
}

static void build_walk_dispose(build_walk *bw)
{
	models_wait(bw);
	out_spare_dispose(&bw->spare);
	mcache_dispose(&bw->models);
	hist_abort(bw->job);
	hist_dispose(&bw->known);
	buf_dispose(&bw->cache);
}

static int load(const options *o, repo **r, repo_snapshot *snap, model *m,
		diag_list *diags, build_walk *bw, const theme *th)
{
	buf err = BUF_INIT;
	size_t threads;
	int rc;

	if (pool_threads(&threads, &err) < 0) {
		fprintf(stderr, "trustdir: %s\n", err.ptr);
		buf_dispose(&err);
		return EXIT_USAGE;
	}
	if (repo_open(r, o->repo ? o->repo : ".", o->repo == NULL, &err) < 0) {
		fprintf(stderr, "trustdir: %s\n", err.ptr);
		buf_dispose(&err);
		return EXIT_OTHER;
	}
	if (bw)
		build_walk_begin(bw, o, *r, !o->worktree);
	if (bw && !o->worktree) {
		models_wait(bw);
		rc = repo_read_skip(snap, *r, o->ref, threads, mcache_skip,
				    mcache_tree, &bw->models, diags, &err);
	} else {
		rc = repo_read(snap, *r, o->ref, o->worktree, threads, diags,
			       &err);
	}
	if (rc < 0) {
		fprintf(stderr, "trustdir: %s\n", err.ptr);
		buf_dispose(&err);
		return rc == -2 ? EXIT_USAGE : EXIT_OTHER;
	}
	model_load_like(m, snap, threads, diags, bw ? mcache_like : NULL,
			bw ? &bw->models : NULL);
	diag_sort(diags);
	if (bw && th)
		build_base(bw->base, snap, th, o);
	if (bw && !o->worktree)
		models_note(bw, snap);
	buf_dispose(&err);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int cmd_check(const options *o, const model *m, diag_list *diags)
{
	diag_format fmt = !strcmp(o->format, "github") ? DIAG_GITHUB
			  : !strcmp(o->format, "json") ? DIAG_JSON
						       : DIAG_TEXT;

	if (diag_print(diags, stdout, fmt) < 0)
		return EXIT_OTHER;
	if (fmt == DIAG_TEXT && !diag_count(diags))
		printf("ok: %zu vendors, %zu principles, %zu pages\n",
		       m->n_vendors, m->n_principles, m->n_pages);
	else if (fmt == DIAG_TEXT)
		printf("%zu error%s\n", diag_count(diags),
		       diag_count(diags) == 1 ? "" : "s");
	return diag_count(diags) ? EXIT_CONTENT : 0;
}

/* The SHA-1 of the program's own bytes: what a fingerprint or a cache
 * written by another build of trustdir does not match. */
static void program_digest(char hex[GIT_OID_HEXSZ + 1])
{
	static char memo[GIT_OID_HEXSZ + 1];
	FILE *f;
	buf all = BUF_INIT;
	char chunk[65536];
	size_t n;
	git_oid oid;

	if (!memo[0]) {
		buf_printf(&all, "trustdir %s\n", TRUSTDIR_VERSION);
		if ((f = fopen("/proc/self/exe", "rbe"))) {
			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				buf_put(&all, chunk, n);
			fclose(f);
		}
		git_odb_hash(&oid, all.ptr, all.len, GIT_OBJECT_BLOB);
		git_oid_tostr(memo, sizeof(memo), &oid);
		buf_dispose(&all);
	}
	memcpy(hex, memo, sizeof(memo));
}

/* Where the history of a build into --out is kept for the next one:
 * DIR/<name of --out>.history, DIR the --cache directory or
 * .trustdir-cache in --out's parent directory.  Makes DIR; 0 or -1. */
static int cache_path(buf *path, const options *o)
{
	buf out = BUF_INIT;
	const char *slash, *name;

	buf_puts(&out, o->out);
	while (out.len > 1 && out.ptr[out.len - 1] == '/')
		buf_truncate(&out, out.len - 1);
	slash = strrchr(out.ptr, '/');
	name = slash ? slash + 1 : out.ptr;
	if (o->cache)
		buf_puts(path, o->cache);
	else if (!slash)
		buf_puts(path, ".trustdir-cache");
	else
		buf_printf(path, "%.*s/.trustdir-cache",
			   (int)(slash - out.ptr), out.ptr);
	if (mkdir(path->ptr, 0755) < 0 && errno != EEXIST) {
		buf_dispose(&out);
		return -1;
	}
	buf_printf(path, "/%s.history", *name && strcmp(name, "..") ? name
								     : "site");
	buf_dispose(&out);
	return 0;
}

/* What a site is built from: the program, the commit, the theme and the
 * options.  Two builds with the same fingerprint write the same bytes,
 * so a build finding its own fingerprint in --out has nothing to do.
 * The program's own bytes count: a new trustdir renders anew. */
static void build_fingerprint(buf *out, const char *commit_id,
			      const theme *t, const options *o)
{
	char hex[GIT_OID_HEXSZ + 1];
	buf all = BUF_INIT;
	git_oid oid;

	buf_printf(&all, "trustdir %s\ncommit %s\nbase-url %s\ntheme ",
		   TRUSTDIR_VERSION, commit_id,
		   o->base_url ? o->base_url : "");
	theme_digest(t, &all);
	program_digest(hex);
	buf_printf(&all, "\nprogram %s\nlibraries cmark %s sass %s cjson %s",
		   hex, cmark_version_string(), libsass_version(),
		   cJSON_Version());
	git_odb_hash(&oid, all.ptr, all.len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	buf_puts(out, hex);
	buf_dispose(&all);
}

/* What every page of the site depends on besides the members: the
 * fingerprint's parts but the commit, and the files under content/ in
 * its place.  A member's files are kept from one build to the next only
 * while this stays the same (reuse.h). */
static void build_base(char hex[GIT_OID_HEXSZ + 1],
		       const repo_snapshot *snap, const theme *t,
		       const options *o)
{
	buf all = BUF_INIT;
	git_oid oid;
	size_t i;

	build_fingerprint(&all, "(any)", t, o);
	buf_puts(&all, "\n");
	for (i = 0; i < snap->len; i++) {
		char id[GIT_OID_HEXSZ + 1];

		if (strncmp(snap->files[i].path, "content/", 8))
			continue;
		git_oid_tostr(id, sizeof(id), &snap->files[i].oid);
		BUF_CAT(&all, id, " ", snap->files[i].path, "\n");
	}
	git_odb_hash(&oid, all.ptr, all.len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &oid);
	buf_dispose(&all);
}

/* A file beside the history cache: DIR/<name><ext> for DIR/<name>.history
 * (left empty when there is no cache). */
static void cache_sibling(buf *path, const build_walk *bw, const char *ext)
{
	size_t len = bw->cache.len;

	if (len > 8 && !strcmp(bw->cache.ptr + len - 8, ".history"))
		buf_printf(path, "%.*s%s", (int)(len - 8), bw->cache.ptr, ext);
}

/* Rewriting a cache costs a build as much as reading anew what it lacks
 * many times over (at 10,000 vendors the history cache is 47 MB, its
 * encoding 0.9 s of CPU; a commit walks in 0.5 ms, a vendor parses in
 * 0.05 ms).  So a cache that lags the commit by at most CACHE_LAG
 * commits, or vendors' files, is kept as it is: the next build walks or
 * parses those again, at most a few milliseconds.  A history cache the
 * walk could not use at all (its commit is not on the line) is
 * replaced.  What a build writes is the same either way: the caches
 * hold what reading anew gives. */
#define CACHE_LAG 64

/* Whether a cache that lacks missing of total items (the vendors' files,
 * the members' parts) lags enough to be written again: by more than
 * CACHE_LAG, or by more than an eighth of a small site's. */
static int cache_lags(size_t missing, size_t total)
{
	return missing > CACHE_LAG || missing > total / 8;
}

/* Whether the vendors' cache must be written after this build: when it
 * was not usable, or lags (cache_lags) by the vendors' files read.
 * Vendors it has that the commit no longer has cost nothing.  The cache
 * read stays mapped: the model points into it (model_load_like). */
static void models_note(build_walk *bw, const repo_snapshot *snap)
{
	const repo_file *site = repo_snapshot_find(snap, "content/site.json");
	size_t i, read = 0, files = 0;

	memset(&bw->site, 0, sizeof(bw->site));
	if (site)
		bw->site = site->oid;
	for (i = 0; i < snap->len; i++) {
		if (strncmp(snap->files[i].path, "vendors/", 8) ||
		    !strcmp(strrchr(snap->files[i].path, '/'), "/README.md"))
			continue;
		files++;
		read += !snap->files[i].skipped;
	}
	bw->save_models = bw->models.usable != 1 || cache_lags(read, files);
}

/* 1 when --out already holds this commit built the same way (and says
 * so); 0 when a build is needed, also on any error, which the build
 * then reports. */
static int build_up_to_date(const options *o, const theme *t, buf *fp,
			    const struct timespec *t0)
{
	git_commit *commit = NULL;
	char id[GIT_OID_HEXSZ + 1];
	buf err = BUF_INIT;
	repo *r = NULL;
	int current = 0;

	if (o->worktree || !t ||
	    repo_open(&r, o->repo ? o->repo : ".", o->repo == NULL, &err) < 0 ||
	    repo_resolve(&commit, r, o->ref, &err) < 0)
		goto done;
	git_oid_tostr(id, sizeof(id), git_commit_id(commit));
	build_fingerprint(fp, id, t, o);
	current = out_is_current(o->out, fp->ptr);
	if (current)
		printf("up to date: %s%s is commit %.7s built the same way; "
		       "nothing to do (%.2f s)\n", o->out,
		       o->out[strlen(o->out) - 1] == '/' ? "" : "/", id,
		       seconds_since(t0));
done:
	git_commit_free(commit);
	repo_free(r);
	buf_dispose(&err);
	return current;
}

/* The walked history is written to the cache on a thread of its own
 * while the pages render (both only read it): 47 MB at 10,000 vendors. */
typedef struct {
	pthread_t thread;
	int running, wanted_hist, rc;
	int wanted_models, rc_models;
	const hist *h;
	const model *m;
	const build_walk *bw;
	buf err, err_models;
} cache_saver;

static void *cache_saver_run(void *arg)
{
	cache_saver *s = arg;
	buf path = BUF_INIT;

	if (s->wanted_models) {
		cache_sibling(&path, s->bw, ".model");
		s->rc_models = mcache_save(s->m, &s->bw->site, path.ptr,
					   s->bw->program, &s->err_models);
		buf_dispose(&path);
	}
	if (s->wanted_hist)
		s->rc = hcache_save(s->h, s->bw->cache.ptr, s->bw->program,
				    &s->err);
	return NULL;
}

/* Starts saving h unless the cache already holds it, and m's vendors
 * unless their cache does (a build whose content has errors saves
 * nothing: it never gets here). */
static void cache_saver_start(cache_saver *s, const hist *h, const model *m,
			      const build_walk *bw, int worktree)
{
	s->h = h;
	s->m = m;
	s->bw = bw;
	s->wanted_hist = bw->cache.len &&
			 (!bw->known.has_tip || h->fresh == h->walked ||
			  h->fresh > CACHE_LAG);
	s->wanted_models = bw->cache.len && !worktree && bw->save_models;
	if (s->wanted_hist || s->wanted_models)
		s->running = pthread_create(&s->thread, NULL, cache_saver_run,
					    s) == 0;
	if ((s->wanted_hist || s->wanted_models) && !s->running)
		cache_saver_run(s);
}

/* Waits for the save.  A cache that cannot be written costs the next
 * build time, not this one its result: a warning. */
static void cache_saver_finish(cache_saver *s)
{
	if (s->running)
		pthread_join(s->thread, NULL);
	if (s->wanted_hist && s->rc < 0)
		fprintf(stderr, "trustdir: warning: history cache not kept: "
			"%s\n", s->err.ptr);
	if (s->wanted_models && s->rc_models < 0)
		fprintf(stderr, "trustdir: warning: the vendors' cache not "
			"kept: %s\n", s->err_models.ptr);
	s->running = s->wanted_hist = s->wanted_models = 0;
}

typedef struct {
	frag_set *frags;
	const char *path, *program;
	int rc; /* frag_load's */
} frags_loader;

static void *frags_load(void *arg)
{
	frags_loader *fl = arg;

	fl->rc = frag_load(fl->frags, fl->path, fl->program);
	return NULL;
}

/* t is the theme main loaded (NULL when it failed: reported here, after
 * the content's errors), fp the fingerprint build_up_to_date made. */
static int cmd_build(const options *o, repo **r, const model *m,
		     const theme *t, const buf *fp, diag_list *diags,
		     build_walk *bw, const struct timespec *t0)
{
	site_options sopt = { o->base_url, NULL, 1, NULL, NULL };
	buf table = BUF_INIT, old_fp = BUF_INIT, frags_path = BUF_INIT;
	frag_set frags;
	int frags_loaded = 0;
	reuse ru;
	hist h;
	out_site out;
	size_t kept = 0;
	int rendered;
	site_stats stats;
	buf err = BUF_INIT;
	cache_saver saver;
	int status = 0;

	memset(&saver, 0, sizeof(saver));
	buf_init(&saver.err);
	buf_init(&saver.err_models);
	reuse_init(&ru);

	if (diag_count(diags)) {
		diag_print(diags, stderr, DIAG_TEXT);
		fprintf(stderr, "trustdir: %zu error%s; nothing was written\n",
			diag_count(diags), diag_count(diags) == 1 ? "" : "s");
		return EXIT_CONTENT;
	}
	memset(&h, 0, sizeof(h));
	if (pool_threads(&sopt.threads, &err) < 0) {
		status = EXIT_USAGE;
		goto done;
	}
	if (!t) {
		theme *again = NULL;

		/* Load it again only to have its error to report. */
		theme_load(&again, o->theme, &err);
		theme_free(again);
		status = EXIT_OTHER;
		goto done;
	}
	/* The content was read from the walk's tip without an error: the
	 * walk need not read the vendors' newest versions again. */
	if (bw->job && !o->worktree)
		hist_seed(bw->job, m);
	if ((bw->job ? hist_end(&h, bw->job, &err)
		     : hist_walk_since(&h, *r, o->ref, &bw->known, &err)) < 0) {
		bw->job = NULL;
		status = EXIT_OTHER;
		goto done;
	}
	bw->job = NULL;
	/* Rendering reads no object: let the pack files' pages go. */
	repo_free(*r);
	*r = NULL;
	sopt.history = &h;
	cache_saver_start(&saver, &h, m, bw, o->worktree);
	/* Members whose files can be linked from the site in --out: only
	 * that site's own table, and only for a build of a commit. */
	if (!o->worktree && fp->len && bw->base[0]) {
		/* The members' parts of the data files are keyed by the
		 * same keys; read on a thread while the keys are made. */
		frags_loader fl = { &frags, NULL, bw->program, -1 };
		pthread_t thread;
		int threaded;

		cache_sibling(&frags_path, bw, ".frags");
		frag_init(&frags, m->n_vendors);
		fl.path = frags_path.ptr;
		threaded = frags_path.len &&
			   pthread_create(&thread, NULL, frags_load, &fl) == 0;
		if (frags_path.len && !threaded)
			frags_load(&fl);
		cache_sibling(&table, bw, ".pages");
		reuse_keys(&ru, m, &h, bw->base, sopt.threads);
		if (table.len && out_fingerprint(o->out, &old_fp) == 0)
			reuse_load(&ru, table.ptr, bw->program, old_fp.ptr);
		sopt.reuse = &ru;
		if (threaded)
			pthread_join(thread, NULL);
		frags_loaded = fl.rc == 0;
		sopt.frags = &frags;
	}
	if (out_begin(&out, o->out, &err) < 0) {
		status = EXIT_USAGE;
		goto done;
	}
	out.threads = sopt.threads;
	out_recycle(&out, &bw->spare);
	rendered = site_render(m, t, &sopt, &out, &stats, &err) == 0;
	kept = out.kept; /* out_commit clears out */
	if (!rendered ||
	    out_commit(&out, o->worktree || !fp->len ? NULL : fp->ptr,
		       &err) < 0) {
		out_abort(&out);
		status = EXIT_OTHER;
		goto done;
	}
	if (sopt.reuse && table.len &&
	    reuse_save(&ru, table.ptr, bw->program, fp->ptr, &err) < 0) {
		fprintf(stderr, "trustdir: warning: the members' table not "
			"kept: %s\n", err.ptr);
		buf_clear(&err);
	}
	if (sopt.frags && frags_path.len &&
	    (!frags_loaded || cache_lags(frag_made(&frags), m->n_vendors)) &&
	    frag_save(&frags, frags_path.ptr, bw->program, &err) < 0) {
		fprintf(stderr, "trustdir: warning: the members' parts of the "
			"data files not kept: %s\n", err.ptr);
		buf_clear(&err);
	}
	cache_saver_finish(&saver);
	printf("built %zu vendors, %zu principles, %zu pages in %.2f s -> "
	       "%s%s", m->n_vendors, m->n_principles, stats.pages,
	       seconds_since(t0), o->out,
	       o->out[strlen(o->out) - 1] == '/' ? "" : "/");
	if (kept)
		printf(" (%zu of %zu files unchanged)", kept, stats.files);
	putchar('\n');
done:
	cache_saver_finish(&saver);
	buf_dispose(&saver.err);
	buf_dispose(&saver.err_models);
	if (status)
		fprintf(stderr, "trustdir: %s\n", err.ptr);
	hist_dispose(&h);
	reuse_dispose(&ru);
	if (sopt.frags)
		frag_dispose(&frags);
	buf_dispose(&frags_path);
	buf_dispose(&table);
	buf_dispose(&old_fp);
	buf_dispose(&err);
	return status;
}

static int cmd_diff(const options *o)
{
	git_commit *base = NULL, *head = NULL;
	char base_id[GIT_OID_HEXSZ + 1], head_id[GIT_OID_HEXSZ + 1];
	change_list changes;
	buf err = BUF_INIT, out = BUF_INIT;
	repo *r = NULL;
	int rc, status = 0;

	change_list_init(&changes);
	if (repo_open(&r, o->repo ? o->repo : ".", o->repo == NULL, &err) < 0) {
		status = EXIT_OTHER;
		goto done;
	}
	if ((rc = repo_resolve(&base, r, o->base, &err)) < 0 ||
	    (rc = repo_resolve(&head, r, o->head, &err)) < 0 ||
	    (rc = hist_diff(&changes, r, o->base, o->head, &err)) < 0) {
		status = rc == -2 ? EXIT_USAGE : EXIT_OTHER;
		goto done;
	}
	git_oid_tostr(base_id, sizeof(base_id), git_commit_id(base));
	git_oid_tostr(head_id, sizeof(head_id), git_commit_id(head));
	report_changes(&out, &changes,
		       !strcmp(o->format, "json")       ? REPORT_JSON
		       : !strcmp(o->format, "markdown") ? REPORT_MARKDOWN
							: REPORT_TEXT,
		       base_id, head_id);
	if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
		status = EXIT_OTHER;
done:
	if (status && err.len)
		fprintf(stderr, "trustdir: %s\n", err.ptr);
	git_commit_free(base);
	git_commit_free(head);
	repo_free(r);
	change_list_dispose(&changes);
	buf_dispose(&err);
	buf_dispose(&out);
	return status;
}

/* The history as `git log` would print it, in the directory's words. */
static void log_print(buf *out, const hist *h)
{
	size_t i, k;

	for (i = 0; i < h->n_commits; i++) {
		const hist_commit *hc = &h->commits[i];
		const char *vendor = NULL;
		time_t t = (time_t)hc->time;
		char date[32];
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
		buf_printf(out, "%scommit %s%s\nAuthor: %s\nDate:   %s\n\n"
			   "    %s\n\n", i ? "\n" : "", hc->id,
			   hc->is_merge ? " (merge)" : "", hc->author, date,
			   hc->subject);
		for (k = hc->first; k < hc->first + hc->count; k++) {
			const change *c = &h->changes.items[k];

			if (!change_is_listed(c))
				continue;
			if (k == hc->first || (c->vendor != vendor &&
					       (!c->vendor || !vendor ||
						strcmp(c->vendor, vendor))))
				buf_printf(out, "  %s%s%s%s\n",
					   c->vendor ? c->vendor_name : "site",
					   c->vendor ? " (" : "",
					   c->vendor ? c->vendor : "",
					   c->vendor ? ")" : "");
			vendor = c->vendor;
			buf_puts(out, "    - ");
			change_text(out, c);
			buf_putc(out, '\n');
		}
	}
}

static int cmd_log(const options *o)
{
	buf err = BUF_INIT, out = BUF_INIT;
	repo *r = NULL;
	int rc, status = 0;
	hist h;

	memset(&h, 0, sizeof(h));
	if (repo_open(&r, o->repo ? o->repo : ".", o->repo == NULL, &err) < 0) {
		status = EXIT_OTHER;
	} else if ((rc = hist_walk(&h, r, o->ref, &err)) < 0) {
		status = rc == -2 ? EXIT_USAGE : EXIT_OTHER;
	} else {
		log_print(&out, &h);
		if (fwrite(out.ptr, 1, out.len, stdout) != out.len)
			status = EXIT_OTHER;
	}
	if (status && err.len)
		fprintf(stderr, "trustdir: %s\n", err.ptr);
	hist_dispose(&h);
	repo_free(r);
	buf_dispose(&err);
	buf_dispose(&out);
	return status;
}

int main(int argc, char **argv)
{
	options o;
	repo *r = NULL;
	repo_snapshot snap;
	diag_list diags;
	struct timespec t0;
	model m;
	theme *th = NULL;
	buf fp = BUF_INIT;
	build_walk bw;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (parse_args(&o, argc, argv, &status) < 0)
		return status;
	git_libgit2_init();
	if (!strcmp(o.command, "diff") || !strcmp(o.command, "log")) {
		status = !strcmp(o.command, "diff") ? cmd_diff(&o) : cmd_log(&o);
		git_libgit2_shutdown();
		return status;
	}
	if (!strcmp(o.command, "build")) {
		buf ignored = BUF_INIT;

		/* The theme's files are read once, for the fingerprint and
		 * for the build; compiled only when there is a build. */
		if (theme_read(&th, o.theme, &ignored) < 0)
			th = NULL;
		if (build_up_to_date(&o, th, &fp, &t0)) {
			theme_free(th);
			buf_dispose(&fp);
			buf_dispose(&ignored);
			git_libgit2_shutdown();
			return 0;
		}
		if (th && theme_compile(th, &ignored) < 0) {
			theme_free(th);
			th = NULL;
		}
		buf_dispose(&ignored);
	}
	memset(&snap, 0, sizeof(snap));
	memset(&m, 0, sizeof(m));
	diag_list_init(&diags);
	memset(&bw, 0, sizeof(bw));
	mcache_init(&bw.models);
	buf_init(&bw.cache);
	status = load(&o, &r, &snap, &m, &diags,
		      !strcmp(o.command, "build") ? &bw : NULL, th);
	/* The model holds copies of what it needs from the files. */
	repo_snapshot_dispose(&snap);
	if (status == 0)
		status = !strcmp(o.command, "check")
				 ? cmd_check(&o, &m, &diags)
				 : cmd_build(&o, &r, &m, th, &fp, &diags, &bw,
					     &t0);
	model_dispose(&m); /* before bw: it may point into bw.models */
	build_walk_dispose(&bw);
	repo_snapshot_dispose(&snap);
	diag_list_dispose(&diags);
	repo_free(r);
	theme_free(th);
	buf_dispose(&fp);
	git_libgit2_shutdown();
	if (fflush(stdout) != 0 && status == 0)
		status = EXIT_OTHER;
	return status;
}
