#define _GNU_SOURCE
#include "out.h"

#include "pool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
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

/* Whether fd holds data's bytes [off, off + n): at most a chunk. */
static int out_same_at(int fd, const void *data, size_t off, size_t n)
{
	char chunk[65536];
	ssize_t got;

	if (n > sizeof(chunk))
		n = sizeof(chunk);
	got = pread(fd, chunk, n, (off_t)off);
	return got == (ssize_t)n && !memcmp(chunk, (const char *)data + off, n);
}

static void out_stamp_of(out_stamp *stamp, const struct stat *st)
{
	stamp->ino = (uint64_t)st->st_ino;
	stamp->size = (uint64_t)st->st_size;
	stamp->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	stamp->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
}

/* Links fd, a file of the previous site that was checked, to path and
 * counts it as kept: the inode checked, not whatever its name holds
 * now.  1 if it did, 0 if not. */
static int out_link_fd(out_site *o, int fd, const char *path)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0)
		return 0;
	__atomic_fetch_add(&o->kept, 1, __ATOMIC_RELAXED);
	return 1;
}

/* Links the previous site's file at rel to path when it holds exactly
 * data; 1 if it did.  A page of the same size that differs most often
 * does so in its last bytes (the footer names the commit) or its first
 * (a data file starts with it): those 4 KiB ends are compared before
 * the rest is read. */
static int out_keep(out_site *o, const char *rel, const char *path,
		    const void *data, size_t len, out_stamp *stamp)
{
	enum { END = 4096, CHUNK = 65536 };
	size_t off, tail = len < END ? len : END, head;
	struct stat st;
	int fd, same;

	if (o->prev_fd < 0 || (fd = out_open_prev(o, rel)) < 0)
		return 0;
	same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size == (uint64_t)len;
	head = len - tail < END ? len - tail : END;
	same = same && out_same_at(fd, data, len - tail, tail) &&
	       out_same_at(fd, data, 0, head);
	for (off = head; same && off < len - tail; off += CHUNK) {
		size_t want = len - tail - off;

		same = out_same_at(fd, data, off, want < CHUNK ? want : CHUNK);
	}
	same = same && out_link_fd(o, fd, path);
	close(fd);
	if (same && stamp)
		out_stamp_of(stamp, &st);
	return same;
}

int out_link(out_site *o, const char *rel, const out_stamp *expect,
	     out_stamp *got, buf *err)
{
	buf path = BUF_INIT;
	out_stamp now;
	struct stat st;
	int fd = -1, linked = 0;

	if (!out_path_ok(rel)) {
		buf_printf(err, "refusing to write outside the site: %s", rel);
		return -1;
	}
	if (o->prev_fd < 0 || (fd = out_open_prev(o, rel)) < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto done;
	out_stamp_of(&now, &st);
	if (memcmp(&now, expect, sizeof(now)))
		goto done;
	BUF_CAT(&path, o->tmp, "/", rel);
	if (out_mkdirs(o, &path, strlen(o->tmp) + 1, err) < 0) {
		linked = -1;
		goto done;
	}
	linked = out_link_fd(o, fd, path.ptr);
	if (linked && got)
		*got = now;
done:
	close(fd);
	buf_dispose(&path);
	return linked;
}

int out_write(out_site *o, const char *rel, const void *data, size_t len,
	      buf *err)
{
	return out_write_stamp(o, rel, data, len, NULL, err);
}

int out_write_stamp(out_site *o, const char *rel, const void *data,
		    size_t len, out_stamp *stamp, buf *err)
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
	if (out_keep(o, rel, path.ptr, data, len, stamp)) {
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
	if (stamp) {
		struct stat st;

		/* Closing a file does not change its time stamp. */
		if (fstat(fd, &st) < 0) {
			buf_printf(err, "%s: %s", path.ptr, strerror(errno));
			goto done;
		}
		out_stamp_of(stamp, &st);
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

int out_fingerprint(const char *target, buf *fp)
{
	buf path = BUF_INIT;
	char got[256];
	size_t n = 0;
	char *end;
	FILE *f;

	buf_printf(&path, "%s/%s", target, OUT_MARKER);
	if ((f = fopen(path.ptr, "rbe"))) {
		n = fread(got, 1, sizeof(got) - 1, f);
		fclose(f);
	}
	buf_dispose(&path);
	got[n] = '\0';
	/* "trustdir\n" FINGERPRINT "\n", as out_commit writes it */
	if (strncmp(got, "trustdir\n", 9) || !(end = strchr(got + 9, '\n')) ||
	    end == got + 9 || end[1])
		return -1;
	buf_put(fp, got + 9, (size_t)(end - got - 9));
	return 0;
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

/* A directory's entries, read whole before any is removed (removing
 * while readdir runs may skip names). */
typedef struct {
	char **names;
	unsigned char *is_dir;
	size_t len, cap;
} out_listing;

static void out_listing_dispose(out_listing *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		free(l->names[i]);
	free(l->names);
	free(l->is_dir);
}

static int out_list(int dirfd, out_listing *l)
{
	struct dirent *de;
	DIR *d;
	int fd = dup(dirfd);

	memset(l, 0, sizeof(*l));
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (l->len == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 32;
			l->names = realloc(l->names, l->cap * sizeof(char *));
			l->is_dir = realloc(l->is_dir, l->cap);
			if (!l->names || !l->is_dir) {
				fputs("trustdir: out of memory\n", stderr);
				abort();
			}
		}
		l->names[l->len] = out_strdup(de->d_name);
		/* DT_UNKNOWN: ask; a symbolic link is removed, not followed */
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;

			l->is_dir[l->len] =
				fstatat(dirfd, de->d_name, &st,
					AT_SYMLINK_NOFOLLOW) == 0 &&
				S_ISDIR(st.st_mode);
		} else {
			l->is_dir[l->len] = de->d_type == DT_DIR;
		}
		l->len++;
	}
	closedir(d);
	return 0;
}

static int out_remove_in(int dirfd, size_t threads);

/* Removes the entry name of dirfd, a whole tree if it is a directory. */
static int out_remove_entry(int dirfd, const char *name, int is_dir,
			    size_t threads)
{
	int fd, rc;

	if (!is_dir)
		return unlinkat(dirfd, name, 0);
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = out_remove_in(fd, threads);
	close(fd);
	return rc < 0 ? -1 : unlinkat(dirfd, name, AT_REMOVEDIR);
}

typedef struct {
	int dirfd;
	const out_listing *l;
	int failed;
} out_removal;

static int out_remove_one(void *arg, size_t worker, size_t i, buf *err)
{
	out_removal *r = arg;

	(void)worker;
	(void)err;
	if (out_remove_entry(r->dirfd, r->l->names[i], r->l->is_dir[i], 1) < 0)
		__atomic_store_n(&r->failed, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Empties the directory dirfd.  The first directory with many entries
 * on the way down (vendors/, with one per vendor) is shared among the
 * threads; a site's files are spread over thousands of directories,
 * and unlinking in different ones does not contend. */
static int out_remove_in(int dirfd, size_t threads)
{
	enum { SHARED_FROM = 256 };
	out_removal r = { dirfd, NULL, 0 };
	out_listing l;
	size_t i;

	if (out_list(dirfd, &l) < 0)
		return -1;
	r.l = &l;
	if (threads > 1 && l.len >= SHARED_FROM) {
		buf err = BUF_INIT;

		pool_for(threads, l.len, out_remove_one, &r, &err);
		buf_dispose(&err);
	} else {
		for (i = 0; i < l.len; i++)
			if (out_remove_entry(dirfd, l.names[i], l.is_dir[i],
					     threads) < 0)
				r.failed = 1;
	}
	out_listing_dispose(&l);
	return r.failed ? -1 : 0;
}

int out_remove_tree(const char *path, size_t threads)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	rc = out_remove_in(fd, threads ? threads : 1);
	close(fd);
	return rc < 0 ? -1 : rmdir(path);
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
		out_remove_tree(o->tmp, o->threads);
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
