/*
 * The Mustache spec as a test: every test of every *.json file in the
 * spec directory is rendered by tmpl and compared byte for byte.
 *
 * The directory is $MUSTACHE_SPEC_DIR when set, else shared/mustache-spec
 * beside the repository, else /work/shared/mustache-spec.  Finding none
 * is a failure, not a skip: a spec run that tests nothing must not pass.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "tmpl.h"

#ifndef TRUSTDIR_SOURCE_DIR
#define TRUSTDIR_SOURCE_DIR "."
#endif

#define MAIN_NAME "(main)"

typedef struct {
	int run, passed;
} tally;

static int is_dir(const char *path)
{
	struct stat st;

	return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *spec_dir(void)
{
	const char *env = getenv("MUSTACHE_SPEC_DIR");

	if (env && *env)
		return is_dir(env) ? env : NULL;
	if (is_dir(TRUSTDIR_SOURCE_DIR "/../shared/mustache-spec"))
		return TRUSTDIR_SOURCE_DIR "/../shared/mustache-spec";
	if (is_dir("/work/shared/mustache-spec"))
		return "/work/shared/mustache-spec";
	return NULL;
}

/* The whole file, NUL-terminated, for the caller to free; NULL on error. */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	char *s = NULL;

	if (!f)
		goto done;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	if (ferror(f))
		goto done;
	s = buf_detach(&b);
done:
	if (f)
		fclose(f);
	buf_dispose(&b);
	return s;
}

/* Prints s as a C string literal, so that whitespace differences show. */
static void print_quoted(const char *label, const char *s)
{
	fprintf(stderr, "  %-9s\"", label);
	for (; *s; s++) {
		switch (*s) {
		case '\n': fputs("\\n", stderr); break;
		case '\r': fputs("\\r", stderr); break;
		case '\t': fputs("\\t", stderr); break;
		case '"': fputs("\\\"", stderr); break;
		case '\\': fputs("\\\\", stderr); break;
		default: fputc(*s, stderr);
		}
	}
	fputs("\"\n", stderr);
}

static const char *str_item(const cJSON *obj, const char *key)
{
	const char *s = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(obj, key));

	return s ? s : "";
}

/* Adds the test's template and partials; 0, or -1 with err set. */
static int load_test(tmpl_set *set, const cJSON *test, char *err,
		     size_t errlen)
{
	const char *src = str_item(test, "template");
	const cJSON *p;

	if (tmpl_set_add(set, MAIN_NAME, src, strlen(src), err, errlen) < 0)
		return -1;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(test,
							      "partials")) {
		src = cJSON_GetStringValue(p);
		if (!src)
			src = "";
		if (tmpl_set_add(set, p->string, src, strlen(src), err,
				 errlen) < 0)
			return -1;
	}
	return 0;
}

/* 1 when the test passes; prints it when it does not. */
static int run_test(const char *file, const cJSON *test)
{
	tmpl_set *set = tmpl_set_new();
	buf out = BUF_INIT;
	char err[512] = "";
	const char *want = str_item(test, "expected");
	int ok = 0;

	if (load_test(set, test, err, sizeof(err)) < 0 ||
	    tmpl_render(set, MAIN_NAME,
			cJSON_GetObjectItemCaseSensitive(test, "data"), &out,
			err, sizeof(err)) < 0)
		goto done;
	ok = strcmp(out.ptr, want) == 0;
done:
	if (!ok) {
		fprintf(stderr, "FAIL %s: %s\n", file, str_item(test, "name"));
		print_quoted("template", str_item(test, "template"));
		print_quoted("expected", want);
		if (*err)
			fprintf(stderr, "  error:   %s\n", err);
		else
			print_quoted("got", out.ptr);
	}
	buf_dispose(&out);
	tmpl_set_free(set);
	return ok;
}

/* Runs the tests of one file; -1 when it cannot be read as a spec file. */
static int run_file(const char *dir, const char *file, tally *t)
{
	char path[4096];
	char *text = NULL;
	cJSON *doc = NULL;
	const cJSON *test, *tests;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	text = read_all(path);
	doc = text ? cJSON_Parse(text) : NULL;
	tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
	if (!cJSON_IsArray(tests)) {
		fprintf(stderr, "FAIL %s: cannot read it as a spec file\n",
			path);
		goto done;
	}
	cJSON_ArrayForEach(test, tests) {
		t->run++;
		t->passed += run_test(file, test);
	}
	rc = 0;
done:
	cJSON_Delete(doc);
	free(text);
	return rc;
}

static int is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

int main(void)
{
	const char *dir = spec_dir(), *env = getenv("MUSTACHE_SPEC_DIR");
	struct dirent **files = NULL;
	tally t = { 0, 0 };
	int n, i, bad = 0;

	if (!dir && env && *env) {
		fprintf(stderr, "FAIL: MUSTACHE_SPEC_DIR=%s is not a "
			"directory\n", env);
		return 1;
	}
	if (!dir) {
		fprintf(stderr, "FAIL: no Mustache spec directory: set "
			"MUSTACHE_SPEC_DIR, or put the spec in %s or %s\n",
			TRUSTDIR_SOURCE_DIR "/../shared/mustache-spec",
			"/work/shared/mustache-spec");
		return 1;
	}
	n = scandir(dir, &files, is_json, alphasort);
	if (n < 0) {
		perror(dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		bad |= run_file(dir, files[i]->d_name, &t) < 0;
		free(files[i]);
	}
	free(files);
	printf("%d/%d mustache spec tests passed (%s)\n", t.passed,
	       t.run, dir);
	if (!t.run)
		fprintf(stderr, "FAIL: no spec tests found in %s\n", dir);
	return bad || !t.run || t.passed != t.run;
}
