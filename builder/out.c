#define _GNU_SOURCE
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *out_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* 1 if dir is empty or holds the marker of an earlier build. */
static int out_replaceable(const char *dir, int *exists, buf *err)
{
	struct dirent *de;
	struct stat st;
	int empty = 1, marked;
	buf marker = BUF_INIT;
	DIR *d;

	*exists = 0;
	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		buf_printf(err, "%s: %s", dir, strerror(errno));
		return 0;
	}
	*exists = 1;
	if (!S_ISDIR(st.st_mode)) {
		buf_printf(err, "--out %s exists and is not a directory; "
			   "trustdir will not replace it", dir);
		return 0;
	}
	buf_printf(&marker, "%s/%s", dir, OUT_MARKER);
	marked = lstat(marker.ptr, &st) == 0 && S_ISREG(st.st_mode);
	buf_dispose(&marker);
	if (marked)
		return 1;
	if (!(d = opendir(dir))) {
		buf_printf(err, "%s: %s", dir, strerror(errno));
		return 0;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	if (!empty)
		buf_printf(err, "--out %s is a directory that trustdir did not "
			   "write (it has files and no %s marker); refusing to "
			   "replace it: choose an empty or new directory",
			   dir, OUT_MARKER);
	return empty;
}

int out_begin(out_site *o, const char *target, buf *err)
{
	buf tmp = BUF_INIT;
	size_t n;

	memset(o, 0, sizeof(*o));
	o->prev_fd = -1;
	pthread_mutex_init(&o->lock, NULL);
	if (!out_replaceable(target, &o->target_exists, err))
		return -1;
	if (o->target_exists)
		o->prev_fd = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	o->target = out_strdup(target);
	n = strlen(o->target);
	while (n > 1 && o->target[n - 1] == '/')
		o->target[--n] = '\0';
	/* Beside the target, on the same file system, so that the final
	 * rename is atomic. */
	buf_printf(&tmp, "%s.tmp-XXXXXX", o->target);
	if (!mkdtemp(tmp.ptr)) {
		buf_printf(err, "cannot create a directory beside %s: %s",
			   o->target, strerror(errno));
		buf_dispose(&tmp);
		free(o->target);
		o->target = NULL;
		return -1;
	}
	chmod(tmp.ptr, 0755);
	o->tmp = buf_detach(&tmp);
	return 0;
}

static int out_path_ok(const char *rel)
{
	const char *p = rel;

	if (!*rel || *rel == '/')
		return 0;
	while (*p) {
		size_t len = strcspn(p, "/");

		if ((len == 2 && !strncmp(p, "..", 2)) ||
		    (len == 1 && *p == '.') || len == 0)
			return 0;
		p += len;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* Whether dir (relative to tmp) was made: o->dirs is shared by the
 * threads that write, so it is only touched under o->lock. */
static int out_dir_known(out_site *o, const char *dir)
{
	int known;

	pthread_mutex_lock(&o->lock);
	known = strmap_get(&o->dirs, dir) != NULL;
	pthread_mutex_unlock(&o->lock);
	return known;
}

static void out_dir_remember(out_site *o, const char *dir)
{
	pthread_mutex_lock(&o->lock);
	if (!strmap_get(&o->dirs, dir))
		strmap_put(&o->dirs, arena_strdup(&o->names, dir), o);
	pthread_mutex_unlock(&o->lock);
}

/* Makes the directories of path from byte `from` on; each is made once
 * per build, remembered in o->dirs, so that writing thousands of files
 * costs no mkdir call for a directory that exists.  The mkdir runs
 * outside the lock, so threads make their directories at once; two
 * making the same one is no error (EEXIST), and a directory is
 * remembered only once it exists. */
static int out_mkdirs(out_site *o, buf *path, size_t from, buf *err)
{
	size_t i;

	for (i = from; i < path->len; i++) {
		if (path->ptr[i] != '/')
			continue;
		path->ptr[i] = '\0';
		if (!out_dir_known(o, path->ptr + from)) {
			if (mkdir(path->ptr, 0755) < 0 && errno != EEXIST) {
				buf_printf(err, "%s: %s", path->ptr,
					   strerror(errno));
				path->ptr[i] = '/';
				return -1;
			}
			out_dir_remember(o, path->ptr + from);
		}
		path->ptr[i] = '/';
	}
	return 0;
}

/* Opens rel in the previous site for reading, without following a
 * symbolic link anywhere on the way: that site may have been changed
 * by hand since trustdir wrote it.  -1 when it cannot. */
static int out_open_prev(const out_site *o, const char *rel)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		      RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, o->prev_fd, rel, &how, sizeof(how));
}

/* Links the previous site's file at rel to path when it holds exactly
 * data; 1 if it did. */
static int out_keep(out_site *o, const char *rel, const char *path,
		    const void *data, size_t len)
{
	char chunk[65536], proc[64];
	struct stat st;
	size_t off = 0;
	int fd, same;

	if (o->prev_fd < 0 || (fd = out_open_prev(o, rel)) < 0)
		return 0;
	same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size == (uint64_t)len;
	while (same && off < len) {
		size_t want = len - off < sizeof(chunk) ? len - off
						       : sizeof(chunk);
		ssize_t got = pread(fd, chunk, want, (off_t)off);

		same = got == (ssize_t)want &&
		       !memcmp(chunk, (const char *)data + off, want);
		off += want;
	}
	/* The inode just compared, not whatever the name holds now. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	same = same && linkat(AT_FDCWD, proc, AT_FDCWD, path,
			      AT_SYMLINK_FOLLOW) == 0;
	close(fd);
	if (same)
		__atomic_fetch_add(&o->kept, 1, __ATOMIC_RELAXED);
	return same;
}

int out_write(out_site *o, const char *rel, const void *data, size_t len,
	      buf *err)
{
	buf path = BUF_INIT;
	int fd = -1, rc = -1;

	if (!out_path_ok(rel)) {
		buf_printf(err, "refusing to write outside the site: %s", rel);
		return -1;
	}
	BUF_CAT(&path, o->tmp, "/", rel);
	if (out_mkdirs(o, &path, strlen(o->tmp) + 1, err) < 0)
		goto done;
	if (out_keep(o, rel, path.ptr, data, len)) {
		rc = 0;
		goto done;
	}
	/* A file of its own, never one that is there (O_EXCL), written
	 * with one call rather than through stdio's buffer. */
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || buf_write_fd(fd, data, len) < 0) {
		buf_printf(err, "%s: %s", path.ptr, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		buf_printf(err, "%s: %s", path.ptr, strerror(errno));
		rc = -1;
	}
	buf_dispose(&path);
	return rc;
}

static int out_unlink(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int out_is_current(const char *target, const char *fingerprint)
{
	buf path = BUF_INIT, want = BUF_INIT;
	char got[256];
	size_t n = 0;
	FILE *f;

	buf_printf(&path, "%s/%s", target, OUT_MARKER);
	buf_printf(&want, "trustdir\n%s\n", fingerprint);
	if ((f = fopen(path.ptr, "rbe"))) {
		n = fread(got, 1, sizeof(got), f);
		fclose(f);
	}
	n = n == want.len && !memcmp(got, want.ptr, n);
	buf_dispose(&path);
	buf_dispose(&want);
	return (int)n;
}

int out_remove_tree(const char *path)
{
	return nftw(path, out_unlink, 16, FTW_DEPTH | FTW_PHYS);
}

int out_commit(out_site *o, const char *fingerprint, buf *err)
{
	buf marker = BUF_INIT;
	int rc;

	buf_printf(&marker, "trustdir\n%s%s", fingerprint ? fingerprint : "",
		   fingerprint ? "\n" : "");
	rc = out_write(o, OUT_MARKER, marker.ptr, marker.len, err);
	buf_dispose(&marker);
	if (rc < 0)
		return -1;
	if (!o->target_exists) {
		rc = rename(o->tmp, o->target);
	} else {
		/* Swap the two directories in one step: readers see the old
		 * site or the new one, never a mix or nothing. */
		rc = renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->target,
			       RENAME_EXCHANGE);
		if (rc < 0 && (errno == EINVAL || errno == ENOSYS)) {
			buf old = BUF_INIT;

			buf_printf(&old, "%s.old-%ld", o->target,
				   (long)getpid());
			rc = rename(o->target, old.ptr);
			if (rc == 0 && (rc = rename(o->tmp, o->target)) < 0)
				rename(old.ptr, o->target);
			else if (rc == 0)
				rc = rename(old.ptr, o->tmp);
			buf_dispose(&old);
		}
	}
	if (rc < 0) {
		buf_printf(err, "cannot move the new site into %s: %s",
			   o->target, strerror(errno));
		return -1;
	}
	if (!o->target_exists) {
		free(o->tmp);
		o->tmp = NULL;
	}
	out_abort(o); /* removes the old site, now at the temporary name */
	return 0;
}

void out_abort(out_site *o)
{
	if (o->tmp) {
		out_remove_tree(o->tmp);
		free(o->tmp);
	}
	free(o->target);
	if (o->prev_fd >= 0)
		close(o->prev_fd);
	strmap_dispose(&o->dirs);
	arena_dispose(&o->names);
	pthread_mutex_destroy(&o->lock);
	memset(o, 0, sizeof(*o));
	o->prev_fd = -1;
}
