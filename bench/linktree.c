/*
 * linktree SITE COPY: the file-system work that any atomic rebuild of
 * SITE must do, and nothing else.
 *
 * SPEC has `build` write a new directory beside --out and rename it into
 * place, so even a rebuild that finds every page unchanged must make a
 * new tree of the site's directories, put each file in it (here a hard
 * link, the cheapest way), and remove the old tree.  This program does
 * exactly that with COPY as the new tree, then removes COPY, which has
 * as many entries as the old site.  bench/run.sh times it beside the
 * one-vendor rebuild: no rebuild of that site can take less.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int skip(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

static int mirror(int src, int dst)
{
	int fd = dup(src), rc = 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d)
		return -1;
	while (rc == 0 && (e = readdir(d))) {
		int s, t;

		if (skip(e->d_name))
			continue;
		if (e->d_type != DT_DIR) {
			rc = linkat(src, e->d_name, dst, e->d_name, 0);
			continue;
		}
		if (mkdirat(dst, e->d_name, 0755) < 0)
			rc = -1;
		s = openat(src, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		t = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		if (rc == 0 && s >= 0 && t >= 0)
			rc = mirror(s, t);
		else
			rc = -1;
		if (s >= 0)
			close(s);
		if (t >= 0)
			close(t);
	}
	closedir(d);
	return rc;
}

/* Removes what dir holds; names are read whole before any is removed,
 * since removing while readdir runs may skip names. */
static int empty(int dir)
{
	int fd = dup(dir), rc = 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	char (*names)[256] = NULL;
	unsigned char *is_dir = NULL;
	size_t n = 0, cap = 0, i;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (skip(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			is_dir = realloc(is_dir, cap);
			if (!names || !is_dir)
				return -1;
		}
		snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
		is_dir[n++] = e->d_type == DT_DIR;
	}
	closedir(d);
	for (i = 0; rc == 0 && i < n; i++) {
		int sub;

		if (!is_dir[i]) {
			rc = unlinkat(dir, names[i], 0);
			continue;
		}
		sub = openat(dir, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		rc = sub < 0 || empty(sub) < 0 ? -1 : 0;
		if (sub >= 0)
			close(sub);
		if (rc == 0)
			rc = unlinkat(dir, names[i], AT_REMOVEDIR);
	}
	free(names);
	free(is_dir);
	return rc;
}

int main(int argc, char **argv)
{
	int src, dst, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: linktree SITE COPY\n");
		return 2;
	}
	if (mkdir(argv[2], 0755) < 0) {
		perror(argv[2]);
		return 1;
	}
	src = open(argv[1], O_RDONLY | O_DIRECTORY);
	dst = open(argv[2], O_RDONLY | O_DIRECTORY);
	if (src < 0 || dst < 0) {
		perror("open");
		return 1;
	}
	rc = mirror(src, dst) == 0 && empty(dst) == 0 && rmdir(argv[2]) == 0;
	if (!rc)
		perror("linktree");
	return rc ? 0 : 1;
}
