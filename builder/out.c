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
#include <sys/uio.h>
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

/* A file or directory of the spare tree (out_recycle). */
typedef struct out_spare_item {
	const char *rel;
	uint64_t ino, dev;
	unsigned char is_dir;
	unsigned char touched; /* the new site has this path */
} out_spare_item;

static out_spare_item *out_spare_get(const out_site *o, const char *rel)
{
	uintptr_t k;

	if (!o->sp.len)
		return NULL;
	k = (uintptr_t)strmap_get(&o->sp.map, rel);
	return k ? &o->sp.items[k - 1] : NULL;
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
	o->tmp_fd = -1;
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

/* The new site has rel (at path): the spare's entry there stays if it
 * is a directory and one is wanted (1), else it goes, to make room. */
static int out_spare_clear(out_site *o, const char *path, const char *rel,
			   int want_dir)
{
	out_spare_item *e = out_spare_get(o, rel);

	if (!e)
		return 0;
	__atomic_store_n(&e->touched, 1, __ATOMIC_RELAXED);
	if (e->is_dir && want_dir)
		return 1;
	if (e->is_dir)
		out_remove_tree(path, 1);
	else
		unlink(path);
	return 0;
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
			if (!out_spare_clear(o, path->ptr, path->ptr + from,
					     1) &&
			    mkdir(path->ptr, 0755) < 0 && errno != EEXIST) {
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
/* A place in a run of parts: part i, in bytes into it. */
typedef struct {
	const out_part *parts;
	size_t n, i, in;
} out_cursor;

/* The bytes left from c in its part, past empty parts; 0 at the end. */
static size_t out_cursor_left(out_cursor *c)
{
	while (c->i < c->n && c->in == c->parts[c->i].len) {
		c->i++;
		c->in = 0;
	}
	return c->i < c->n ? c->parts[c->i].len - c->in : 0;
}

/* Moves c on by len bytes, which may reach into later parts. */
static void out_cursor_skip(out_cursor *c, size_t len)
{
	size_t left;

	while (len && (left = out_cursor_left(c))) {
		size_t take = len < left ? len : left;

		c->in += take;
		len -= take;
	}
}

/* Whether fd, len bytes long, holds the bytes of parts[0, n), which
 * are as long: read and compared in order, to the first difference. */
static int out_same_parts(int fd, const out_part *parts, size_t n,
			  size_t len)
{
	char chunk[65536];
	out_cursor c = { parts, n, 0, 0 };
	size_t off = 0;

	while (off < len) {
		size_t want = len - off < sizeof(chunk) ? len - off
							: sizeof(chunk);
		size_t k = 0, take;

		if (pread(fd, chunk, want, (off_t)off) != (ssize_t)want)
			return 0;
		for (; k < want; k += take) {
			if (!(take = out_cursor_left(&c)))
				return 0;
			if (take > want - k)
				take = want - k;
			if (memcmp(chunk + k,
				   (const char *)parts[c.i].ptr + c.in, take))
				return 0;
			out_cursor_skip(&c, take);
		}
		off += want;
	}
	return 1;
}

/* One file's bytes: its end, then its start, then the rest, so that
 * a page that differs only in its footer (the commit it names) is told
 * apart without reading all of it. */
static int out_same_bytes(int fd, const char *data, size_t len)
{
	enum { END = 4096, CHUNK = 65536 };
	size_t off, tail = len < END ? len : END, head;
	int same;

	head = len - tail < END ? len - tail : END;
	same = out_same_at(fd, data, len - tail, tail) &&
	       out_same_at(fd, data, 0, head);
	for (off = head; same && off < len - tail; off += CHUNK) {
		size_t want = len - tail - off;

		same = out_same_at(fd, data, off, want < CHUNK ? want : CHUNK);
	}
	return same;
}

static int out_keep(out_site *o, const char *rel, const char *path,
		    const out_part *parts, size_t n, size_t len,
		    out_stamp *stamp)
{
	struct stat st;
	int fd, same;

	if (o->prev_fd < 0 || (fd = out_open_prev(o, rel)) < 0)
		return 0;
	same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size == (uint64_t)len;
	same = same && (n == 1 ? out_same_bytes(fd, parts[0].ptr, len)
			       : out_same_parts(fd, parts, n, len));
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
	out_spare_item *e;
	struct stat st;
	int fd = -1, linked = 0;

	if (!out_path_ok(rel)) {
		buf_printf(err, "refusing to write outside the site: %s", rel);
		return -1;
	}
	/* The spare may hold the very file already (the inode that the
	 * site being replaced has too, unless it was replaced by hand): its
	 * stamp is the inode's, so it is checked there, in one call. */
	if ((e = out_spare_get(o, rel)) && !e->is_dir && e->ino == expect->ino &&
	    fstatat(o->tmp_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode) && (uint64_t)st.st_dev == e->dev) {
		out_stamp_of(&now, &st);
		if (!memcmp(&now, expect, sizeof(now))) {
			BUF_CAT(&path, o->tmp, "/", rel);
			if (out_mkdirs(o, &path, strlen(o->tmp) + 1, err) < 0) {
				linked = -1;
				goto done;
			}
			__atomic_store_n(&e->touched, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&o->kept, 1, __ATOMIC_RELAXED);
			linked = 1;
			goto done;
		}
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
	out_spare_clear(o, path.ptr, rel, 0);
	linked = out_link_fd(o, fd, path.ptr);
done:
	if (linked && got)
		*got = now;
	if (fd >= 0)
		close(fd);
	buf_dispose(&path);
	return linked;
}

int out_write(out_site *o, const char *rel, const void *data, size_t len,
	      buf *err)
{
	return out_write_stamp(o, rel, data, len, NULL, err);
}

/* Writes parts[0, n) to fd, IOV_BATCH at a time.  0, or -1 with errno. */
static int out_writev(int fd, const out_part *parts, size_t n)
{
	enum { IOV_BATCH = 512 };
	struct iovec iov[IOV_BATCH];
	out_cursor c = { parts, n, 0, 0 };
	size_t left;

	while ((left = out_cursor_left(&c))) {
		size_t j;
		int k = 0;
		ssize_t w;

		iov[k].iov_base = (char *)parts[c.i].ptr + c.in;
		iov[k++].iov_len = left;
		for (j = c.i + 1; j < n && k < IOV_BATCH; j++) {
			iov[k].iov_base = (char *)parts[j].ptr;
			iov[k++].iov_len = parts[j].len;
		}
		w = writev(fd, iov, k);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		out_cursor_skip(&c, (size_t)w); /* may end inside a part */
	}
	return 0;
}

int out_write_stamp(out_site *o, const char *rel, const void *data,
		    size_t len, out_stamp *stamp, buf *err)
{
	out_part one = { data, len };

	return out_write_parts(o, rel, &one, 1, stamp, err);
}

int out_write_parts(out_site *o, const char *rel, const out_part *parts,
		    size_t n, out_stamp *stamp, buf *err)
{
	buf path = BUF_INIT;
	size_t len = 0, i;
	int fd = -1, rc = -1;

	for (i = 0; i < n; i++)
		len += parts[i].len;

	if (!out_path_ok(rel)) {
		buf_printf(err, "refusing to write outside the site: %s", rel);
		return -1;
	}
	BUF_CAT(&path, o->tmp, "/", rel);
	if (out_mkdirs(o, &path, strlen(o->tmp) + 1, err) < 0)
		goto done;
	out_spare_clear(o, path.ptr, rel, 0);
	if (out_keep(o, rel, path.ptr, parts, n, len, stamp)) {
		rc = 0;
		goto done;
	}
	/* A file of its own, never one that is there (O_EXCL), written
	 * with one call rather than through stdio's buffer. */
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 || out_writev(fd, parts, n) < 0) {
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

/* ---- the spare ---------------------------------------------------------- */

enum { SPARE_MAX_DEPTH = 32 };

static void out_spare_add(out_spare *s, const char *rel, uint64_t ino,
			  uint64_t dev, int is_dir)
{
	out_spare_item *e;

	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->items = realloc(s->items, s->cap * sizeof(*s->items));
		if (!s->items) {
			fputs("trustdir: out of memory\n", stderr);
			abort();
		}
	}
	e = &s->items[s->len++];
	e->rel = arena_strdup(&s->names, rel);
	e->ino = ino;
	e->dev = dev;
	e->is_dir = (unsigned char)is_dir;
	e->touched = 0;
	strmap_put(&s->map, e->rel, (void *)(uintptr_t)s->len);
}

/* One entry as getdents64 returns it (the kernel's struct
 * linux_dirent64, which glibc does not declare). */
struct out_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Lists the tree at dirfd (rel, relative to the site) into the spare's
 * items, directories before what they hold, and removes whatever is
 * neither a file nor a directory (a symbolic link planted there must
 * not lead a write outside).  The directory is read with getdents64
 * into a buffer of its own: 20,000 directories at 10,000 vendors, and
 * opendir() costs a dup, an fcntl and a 32 KiB allocation each.  0, or
 * -1 when the tree cannot be used. */
static int out_spare_index(out_spare *s, int dirfd, uint64_t dev, buf *rel,
			   int depth)
{
	char chunk[16384] __attribute__((aligned(8)));
	out_listing odd = { NULL, NULL, 0, 0 };
	long got = 0;
	size_t i;
	int rc = 0;

	if (depth > SPARE_MAX_DEPTH)
		return -1;
	while (rc == 0 &&
	       (got = syscall(SYS_getdents64, dirfd, chunk, sizeof(chunk))) > 0) {
		long at;

		for (at = 0; rc == 0 && at < got;) {
			struct out_dirent64 *de = (struct out_dirent64 *)(chunk + at);
			const char *name = de->d_name;
			size_t mark = rel->len;
			unsigned char type = de->d_type;
			uint64_t ino = de->d_ino;
			struct stat st;

			at += de->d_reclen;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (type == DT_UNKNOWN) {
				if (fstatat(dirfd, name, &st,
					    AT_SYMLINK_NOFOLLOW) < 0) {
					rc = -1;
					break;
				}
				type = S_ISDIR(st.st_mode)   ? DT_DIR
				       : S_ISREG(st.st_mode) ? DT_REG
							     : DT_LNK;
				ino = (uint64_t)st.st_ino;
			}
			if (mark)
				buf_putc(rel, '/');
			buf_puts(rel, name);
			if (type == DT_DIR) {
				int sub = openat(dirfd, name,
						 O_RDONLY | O_DIRECTORY |
							 O_NOFOLLOW | O_CLOEXEC);

				out_spare_add(s, rel->ptr, ino, dev, 1);
				rc = sub < 0 ? -1
					     : out_spare_index(s, sub, dev, rel,
							       depth + 1);
				if (sub >= 0)
					close(sub);
			} else if (type == DT_REG) {
				/* d_ino is st_ino on the file systems a site
				 * lives on; where it is not, a file is only
				 * linked anew. */
				out_spare_add(s, rel->ptr, ino, dev, 0);
			} else {
				/* removed once the directory is read: removing
				 * while it is read may make it skip an entry */
				if (odd.len == odd.cap) {
					odd.cap = odd.cap ? odd.cap * 2 : 8;
					odd.names = realloc(odd.names,
							    odd.cap * sizeof(char *));
					if (!odd.names)
						abort();
				}
				odd.names[odd.len++] = out_strdup(name);
			}
			buf_truncate(rel, mark);
		}
	}
	if (got < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < odd.len; i++)
		if (unlinkat(dirfd, odd.names[i], 0) < 0)
			rc = -1;
	out_listing_dispose(&odd);
	return rc;
}

/* Drops the listing (not the path). */
static void out_spare_forget(out_spare *s)
{
	strmap_dispose(&s->map);
	free(s->items);
	s->items = NULL;
	s->len = s->cap = 0;
	arena_dispose(&s->names);
}

/* Whether dir is a directory with the marker of a site trustdir wrote. */
static int out_is_site(const char *dir)
{
	buf marker = BUF_INIT;
	struct stat st;
	int yes = lstat(dir, &st) == 0 && S_ISDIR(st.st_mode);

	buf_printf(&marker, "%s/%s", dir, OUT_MARKER);
	yes = yes && lstat(marker.ptr, &st) == 0 && S_ISREG(st.st_mode);
	buf_dispose(&marker);
	return yes;
}

static void *out_spare_run(void *arg)
{
	out_spare *s = arg;
	buf rel = BUF_INIT;
	struct stat st;
	int fd;

	fd = open(s->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	s->ok = fd >= 0 && fstat(fd, &st) == 0 &&
		out_spare_index(s, fd, (uint64_t)st.st_dev, &rel, 0) == 0;
	if (fd >= 0)
		close(fd);
	buf_dispose(&rel);
	if (!s->ok) {
		out_spare_forget(s);
		s->bad = 1;
	}
	return NULL;
}

void out_spare_start(out_spare *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	if (!path)
		return;
	s->path = out_strdup(path);
	if (!out_is_site(s->path))
		return; /* no thread for nothing to list */
	s->running = pthread_create(&s->thread, NULL, out_spare_run, s) == 0;
	if (!s->running)
		out_spare_run(s);
}

static void out_spare_wait(out_spare *s)
{
	if (s->running)
		pthread_join(s->thread, NULL);
	s->running = 0;
}

void out_spare_dispose(out_spare *s)
{
	out_spare_wait(s);
	out_spare_forget(s);
	free(s->path);
	memset(s, 0, sizeof(*s));
}

void out_recycle(out_site *o, out_spare *s)
{
	out_spare_wait(s);
	out_spare_dispose(&o->sp);
	o->sp = *s;
	memset(s, 0, sizeof(*s));
	if (!o->sp.path || !o->tmp)
		return;
	if (o->sp.bad) {
		/* A site that cannot be listed would stay in the way of the
		 * next spare; it is ours (it has the marker). */
		out_remove_tree(o->sp.path, o->threads);
		return;
	}
	/* The empty temporary directory is replaced by the spare. */
	if (!o->sp.ok || rename(o->sp.path, o->tmp) < 0) {
		out_spare_forget(&o->sp);
		return;
	}
	o->tmp_fd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					 O_CLOEXEC);
	if (o->tmp_fd < 0) {
		/* Start from nothing after all. */
		out_spare_forget(&o->sp);
		out_remove_tree(o->tmp, o->threads);
		mkdir(o->tmp, 0755);
	}
}

/* Removes what the spare had and the new site has not: files, then
 * the directories that held only such files (deepest first). */
static void out_spare_prune(out_site *o)
{
	buf path = BUF_INIT;
	size_t i;

	for (i = o->sp.len; i-- > 0;) {
		const out_spare_item *e = &o->sp.items[i];

		if (e->touched)
			continue;
		buf_clear(&path);
		BUF_CAT(&path, o->tmp, "/", e->rel);
		if (e->is_dir)
			rmdir(path.ptr);
		else
			unlink(path.ptr);
	}
	buf_dispose(&path);
	out_spare_forget(&o->sp);
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
	out_spare_prune(o);
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
	/* The old site, now at the temporary name, is the next build's
	 * spare; else it goes. */
	if (o->tmp && o->sp.path && rename(o->tmp, o->sp.path) == 0) {
		free(o->tmp);
		o->tmp = NULL;
	}
	out_spare_dispose(&o->sp);
	out_abort(o);
	return 0;
}

void out_abort(out_site *o)
{
	/* A failed build's tree started from the spare is still one: what
	 * it holds is checked again before any of it is kept. */
	if (o->tmp && o->sp.path && o->sp.len &&
	    rename(o->tmp, o->sp.path) == 0) {
		free(o->tmp);
		o->tmp = NULL;
	}
	if (o->tmp) {
		out_remove_tree(o->tmp, o->threads);
		free(o->tmp);
	}
	if (o->tmp_fd >= 0)
		close(o->tmp_fd);
	out_spare_dispose(&o->sp);
	free(o->target);
	if (o->prev_fd >= 0)
		close(o->prev_fd);
	strmap_dispose(&o->dirs);
	arena_dispose(&o->names);
	pthread_mutex_destroy(&o->lock);
	memset(o, 0, sizeof(*o));
	o->prev_fd = -1;
	o->tmp_fd = -1;
}
