/*
 * out: which files of the previous site are kept (linked, same inode)
 * and which are written anew, and the removal of a site's tree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "out.h"

#define BIG 200000

static char root[] = "/tmp/trustdir-test-out-XXXXXX";

static char *join(const char *a, const char *b)
{
	static char path[4][4096];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", a, b);
	return path[k];
}

static ino_t ino(const char *site, const char *rel)
{
	struct stat st;

	return stat(join(site, rel), &st) == 0 ? st.st_ino : 0;
}

static int holds(const char *site, const char *rel, const char *data,
		 size_t len)
{
	char *got = malloc(len + 1);
	FILE *f = fopen(join(site, rel), "rb");
	size_t n = f ? fread(got, 1, len + 1, f) : 0;
	int same = f && n == len && !memcmp(got, data, len);

	if (f)
		fclose(f);
	free(got);
	return same;
}

/* One build: the four big files, each a variant of base. */
static size_t build(const char *site, char *const *data, const size_t *len,
		    size_t threads)
{
	static const char *const rel[] = { "same.html", "a/tail.html",
					   "a/b/head.html", "middle.html",
					   "size.html", "small.txt" };
	out_site o;
	buf err = BUF_INIT;
	size_t i, kept;

	OK(out_begin(&o, site, &err) == 0, "out_begin: %s", err.ptr);
	o.threads = threads;
	for (i = 0; i < 6; i++)
		OK(out_write(&o, rel[i], data[i], len[i], &err) == 0,
		   "out_write %s: %s", rel[i], err.ptr);
	kept = o.kept;
	OK(out_commit(&o, "fp", &err) == 0, "out_commit: %s", err.ptr);
	buf_dispose(&err);
	return kept;
}

static void test_keep(void)
{
	char site[256], *base = malloc(BIG), *v[6], *w[6];
	size_t len[6], i;
	ino_t before[6];
	const char *rel[] = { "same.html", "a/tail.html", "a/b/head.html",
			      "middle.html", "size.html", "small.txt" };

	snprintf(site, sizeof(site), "%s/site", root);
	for (i = 0; i < BIG; i++)
		base[i] = (char)('a' + i % 26);
	for (i = 0; i < 6; i++) {
		len[i] = i == 5 ? 3 : BIG;
		v[i] = malloc(BIG);
		w[i] = malloc(BIG);
		memcpy(v[i], base, len[i]);
		memcpy(w[i], base, len[i]);
	}
	OK(build(site, v, len, 1) == 0, "a first build keeps nothing");
	for (i = 0; i < 6; i++)
		before[i] = ino(site, rel[i]);
	/* The second build changes one byte in each place a page may
	 * differ: the last, the first, one far from either end (past the
	 * first 64 KiB), and the size. */
	w[1][BIG - 1] = 'X';
	w[2][0] = 'X';
	w[3][70000] = 'X';
	len[4] = BIG - 1;
	OK(build(site, w, len, 2) == 2, "two files of six are kept");
	OK(ino(site, rel[0]) == before[0], "the same bytes: the same inode");
	OK(ino(site, rel[5]) == before[5], "a small file kept");
	for (i = 1; i < 5; i++) {
		OK(ino(site, rel[i]) != before[i], "%s is a new file", rel[i]);
		OK(holds(site, rel[i], w[i], len[i]), "%s holds the new bytes",
		   rel[i]);
	}
	OK(holds(site, rel[0], base, BIG), "same.html holds its bytes");
	for (i = 0; i < 6; i++) {
		free(v[i]);
		free(w[i]);
	}
	free(base);
}

/* A tree like a site's: a directory of many directories (shared among
 * threads), files, a symbolic link to a file outside that must survive. */
static void test_remove(size_t threads)
{
	char tree[256], outside[256], name[64];
	struct stat st;
	int i, fd;

	snprintf(tree, sizeof(tree), "%s/tree", root);
	snprintf(outside, sizeof(outside), "%s/outside", root);
	OK(mkdir(tree, 0755) == 0, "mkdir tree");
	OK(mkdir(join(tree, "vendors"), 0755) == 0, "mkdir vendors");
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "vendors/v%03d", i);
		mkdir(join(tree, name), 0755);
		snprintf(name, sizeof(name), "vendors/v%03d/index.html", i);
		fd = open(join(tree, name), O_WRONLY | O_CREAT, 0644);
		OK(fd >= 0 && write(fd, "x", 1) == 1, "write %s", name);
		close(fd);
	}
	fd = open(outside, O_WRONLY | O_CREAT, 0644);
	close(fd);
	OK(symlink(outside, join(tree, "vendors/v007/link")) == 0, "symlink");
	OK(symlink(root, join(tree, "dirlink")) == 0, "symlink to a dir");
	OK(out_remove_tree(tree, threads) == 0, "out_remove_tree: %s",
	   strerror(errno));
	OK(lstat(tree, &st) < 0 && errno == ENOENT, "the tree is gone");
	OK(stat(outside, &st) == 0, "a link's target is left alone");
	OK(stat(root, &st) == 0, "a linked directory is left alone");
	OK(out_remove_tree(tree, threads) == 0, "a missing tree is no error");
	unlink(outside);
}

int main(void)
{
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	test_keep();
	test_remove(1);
	test_remove(2);
	out_remove_tree(root, 1);
	return harness_done("test_out");
}
