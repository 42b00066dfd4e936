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

/* A file written from parts (out_write_parts): the parts' bytes in
 * order, empty parts and more parts than one writev takes included;
 * written again with the same bytes in other parts it is kept, and with
 * one byte changed, or one part fewer, it is a new file. */
static size_t parts_build(const char *site, const out_part *parts,
			  size_t n)
{
	out_site o;
	buf err = BUF_INIT;
	size_t kept;

	OK(out_begin(&o, site, &err) == 0, "out_begin: %s", err.ptr);
	OK(out_write_parts(&o, "d/joined.json", parts, n, NULL, &err) == 0,
	   "out_write_parts: %s", err.ptr);
	kept = o.kept;
	OK(out_commit(&o, "fp", &err) == 0, "out_commit: %s", err.ptr);
	buf_dispose(&err);
	return kept;
}

static void test_parts(void)
{
	enum { N = 3000 };
	char site[256], *whole = malloc(N * 240), *changed;
	out_part *parts = calloc(N, sizeof(*parts)), halves[2];
	size_t i, len = 0;
	ino_t first;

	snprintf(site, sizeof(site), "%s/parts", root);
	for (i = 0; i < N; i++) {
		size_t n = i % 7 * 40; /* some parts are empty */

		memset(whole + len, 'a' + (int)(i % 26), n);
		parts[i].ptr = whole + len;
		parts[i].len = n;
		len += n;
	}
	OK(parts_build(site, parts, N) == 0, "a first build keeps nothing");
	OK(holds(site, "d/joined.json", whole, len), "the file holds the parts in order");
	first = ino(site, "d/joined.json");
	halves[0] = (out_part){ whole, len / 2 };
	halves[1] = (out_part){ whole + len / 2, len - len / 2 };
	OK(parts_build(site, halves, 2) == 1, "the same bytes in other parts: kept");
	OK(ino(site, "d/joined.json") == first, "the same inode");
	changed = malloc(len);
	memcpy(changed, whole, len);
	changed[len - 70000] ^= 1; /* past the first chunk read */
	halves[0] = (out_part){ changed, len / 2 };
	halves[1] = (out_part){ changed + len / 2, len - len / 2 };
	OK(parts_build(site, halves, 2) == 0, "a byte changed: not kept");
	OK(holds(site, "d/joined.json", changed, len), "and the new bytes written");
	OK(parts_build(site, halves, 1) == 0, "a part fewer: not kept");
	OK(holds(site, "d/joined.json", changed, len / 2), "and the shorter file written");
	free(changed);
	free(parts);
	free(whole);
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

/* The files (not directories) under dir, "a/b" style, sorted, one
 * per line, into list. */
static void list_files(const char *dir, char *list, size_t size)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && find . ! -type d | sed 's|^\\./||' | LC_ALL=C sort",
		 dir);
	p = popen(cmd, "r");
	n = p ? fread(list, 1, size - 1, p) : 0;
	list[n] = '\0';
	if (p)
		pclose(p);
}

static void put(out_site *o, const char *rel, const char *data)
{
	buf err = BUF_INIT;

	OK(out_write(o, rel, data, strlen(data), &err) == 0, "out_write %s: %s",
	   rel, err.ptr);
	buf_dispose(&err);
}

/* Three builds with a spare: the third starts from the first's tree,
 * in which a file and two symbolic links were planted, and writes the
 * same site as without one. */
static void test_spare(void)
{
	char site[256], spare[256], outside[256], list[4096];
	out_site o;
	out_spare sp;
	out_stamp st_new, st_keep;
	buf err = BUF_INIT;
	struct stat st;
	int fd;

	snprintf(site, sizeof(site), "%s/ssite", root);
	snprintf(spare, sizeof(spare), "%s/spare", root);
	snprintf(outside, sizeof(outside), "%s/soutside", root);
	OK(mkdir(outside, 0755) == 0, "mkdir outside");

	out_begin(&o, site, &err);
	out_spare_start(&sp, spare);
	out_recycle(&o, &sp);
	OK(out_write_stamp(&o, "keep.html", "K", 1, &st_keep, &err) == 0,
	   "keep.html: %s", err.ptr);
	put(&o, "gone.html", "G");
	put(&o, "d/x.html", "X");
	put(&o, "d/only/old.html", "O");
	OK(out_commit(&o, "fp1", &err) == 0, "commit 1: %s", err.ptr);
	OK(lstat(spare, &st) < 0, "a first build leaves no spare");

	out_begin(&o, site, &err);
	out_spare_start(&sp, spare);
	out_recycle(&o, &sp);
	put(&o, "keep.html", "K");
	put(&o, "d/x.html", "X2");
	OK(out_write_stamp(&o, "new.html", "N", 1, &st_new, &err) == 0,
	   "new.html: %s", err.ptr);
	put(&o, "d/only/old.html", "O");
	OK(out_commit(&o, "fp2", &err) == 0, "commit 2: %s", err.ptr);
	OK(holds(spare, "gone.html", "G", 1) && holds(spare, "d/x.html", "X", 1),
	   "the spare is the site replaced");

	/* Planted in the spare: a file, a link where a directory will be,
	 * a link where a file will be written. */
	fd = open(join(spare, "planted.html"), O_WRONLY | O_CREAT, 0644);
	close(fd);
	unlink(join(spare, "d/x.html"));
	OK(symlink(join(outside, "target.txt"), join(spare, "d/x.html")) == 0,
	   "symlink x");
	OK(symlink(outside, join(spare, "link")) == 0, "symlink link");
	/* keep.html of the site replaced by a copy by hand: the spare has
	 * the inode the first build wrote, whose stamp is still the one
	 * expected, so it is that inode which is kept. */
	OK(rename(join(site, "keep.html"), join(outside, "keep.html")) == 0 &&
	   (fd = open(join(site, "keep.html"), O_WRONLY | O_CREAT, 0644)) >= 0 &&
	   write(fd, "K", 1) == 1 && close(fd) == 0, "keep.html copied");

	out_begin(&o, site, &err);
	out_spare_start(&sp, spare);
	out_recycle(&o, &sp);
	OK(o.sp.len > 0, "the spare is used");
	OK(out_link(&o, "keep.html", &st_keep, NULL, &err) == 1,
	   "keep.html kept: %s", err.ptr);
	put(&o, "d/x.html", "X3");
	put(&o, "link/inside.html", "L");
	OK(out_link(&o, "new.html", &st_new, NULL, &err) == 1,
	   "new.html kept: %s", err.ptr);
	OK(o.kept == 2, "keep.html and new.html are kept (%zu)", o.kept);
	OK(out_commit(&o, "fp3", &err) == 0, "commit 3: %s", err.ptr);

	list_files(site, list, sizeof(list));
	STR_EQ(list, ".trustdir-site\nd/x.html\nkeep.html\nlink/inside.html\n"
		     "new.html\n", "the third site holds what it wrote, no more");
	OK(holds(site, "d/x.html", "X3", 2) && holds(site, "keep.html", "K", 1) &&
	   holds(site, "new.html", "N", 1) && holds(site, "link/inside.html", "L", 1),
	   "with the bytes written");
	OK(lstat(join(site, "link"), &st) == 0 && S_ISDIR(st.st_mode),
	   "link/ is a directory of the site");
	OK(lstat(join(outside, "target.txt"), &st) < 0 &&
	   lstat(join(outside, "inside.html"), &st) < 0 &&
	   holds(outside, "keep.html", "K", 1),
	   "nothing was written through the planted links");
	OK(stat(join(site, "new.html"), &st) == 0 && st.st_ino == st_new.ino,
	   "the kept file is the inode the second build wrote");
	OK(stat(join(site, "keep.html"), &st) == 0 && st.st_ino == st_keep.ino,
	   "keep.html is the spare's inode, the first build's");
	OK(holds(spare, "d/x.html", "X2", 2), "the spare is the second site");
	buf_dispose(&err);
	out_remove_tree(site, 1);
	out_remove_tree(spare, 1);
	out_remove_tree(outside, 1);
}

int main(void)
{
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	test_keep();
	test_parts();
	test_spare();
	test_remove(1);
	test_remove(2);
	out_remove_tree(root, 1);
	return harness_done("test_out");
}
