#include "bin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

void bin_put_u(buf *b, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		buf_putc(b, (char)(unsigned char)(v >> (8 * i)));
}

void bin_put_strn(buf *b, const char *s, size_t len)
{
	bin_put_u(b, (uint64_t)len, 4);
	buf_put(b, s, len);
	buf_putc(b, '\0');
}

void bin_put_str(buf *b, const char *s)
{
	if (s)
		bin_put_strn(b, s, strlen(s));
	else
		bin_put_u(b, BIN_NONE, 4);
}

uint32_t bin_sum(uint32_t sum, const void *p, size_t len)
{
	return libdeflate_crc32(sum, p, len);
}

uint64_t bin_get_u(bin_reader *r, int bytes)
{
	uint64_t v = 0;
	int i;

	if (r->bad || r->end - r->p < bytes) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)(unsigned char)r->p[i] << (8 * i);
	r->p += bytes;
	return v;
}

const char *bin_get_str(bin_reader *r)
{
	uint64_t len = bin_get_u(r, 4);
	char *s = r->p;

	if (r->bad || len == BIN_NONE)
		return NULL;
	if ((uint64_t)(r->end - r->p) < len + 1 || s[len] != '\0' ||
	    memchr(s, '\0', (size_t)len)) {
		r->bad = 1;
		return NULL;
	}
	r->p += len + 1;
	return s;
}

size_t bin_get_count(bin_reader *r, int bytes, size_t min_bytes,
		     uint64_t max)
{
	uint64_t n = bin_get_u(r, bytes);

	if (r->bad || n > max || n > (uint64_t)(r->end - r->p) / min_bytes) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

int bin_sum_ok(const char *bytes, size_t len)
{
	bin_reader sum;

	if (len < BIN_SUM_BYTES)
		return 0;
	sum.p = (char *)bytes + len - BIN_SUM_BYTES;
	sum.end = (char *)bytes + len;
	sum.bad = 0;
	return bin_get_u(&sum, BIN_SUM_BYTES) ==
	       bin_sum(0, bytes, len - BIN_SUM_BYTES);
}

int bin_read_file(const char *path, size_t max, char **bytes, size_t *len)
{
	struct stat st;
	FILE *f;

	*bytes = NULL;
	*len = 0;
	if (!(f = fopen(path, "rbe")))
		return -1;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size <= max) {
		*len = (size_t)st.st_size;
		if ((*bytes = malloc(*len + 1)) &&
		    fread(*bytes, 1, *len, f) != *len) {
			free(*bytes);
			*bytes = NULL;
		}
	}
	fclose(f);
	if (!*bytes)
		return -1;
	(*bytes)[*len] = '\0';
	return 0;
}

int bin_map_file(const char *path, size_t max, char **bytes, size_t *len)
{
	struct stat st;
	void *map = MAP_FAILED;
	int fd;

	*bytes = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= max)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ,
			   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	*bytes = map;
	*len = (size_t)st.st_size;
	return 0;
}

void bin_unmap(char *bytes, size_t len)
{
	if (bytes)
		munmap(bytes, len);
}

int bin_open(bin_file *f, const char *path, buf *err)
{
	f->path = path;
	f->sum = 0;
	buf_init(&f->tmp);
	buf_printf(&f->tmp, "%s.tmp-%ld", path, (long)getpid());
	f->fd = open(f->tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     0644);
	if (f->fd >= 0)
		return 0;
	buf_printf(err, "%s: %s", f->tmp.ptr, strerror(errno));
	buf_dispose(&f->tmp);
	return -1;
}

int bin_write(bin_file *f, buf *b, buf *err)
{
	f->sum = bin_sum(f->sum, b->ptr, b->len);
	if (buf_write_fd(f->fd, b->ptr, b->len) < 0) {
		buf_printf(err, "%s: %s", f->tmp.ptr, strerror(errno));
		return -1;
	}
	buf_clear(b);
	return 0;
}

int bin_write_full(bin_file *f, buf *b, buf *err)
{
	return b->len >= BIN_CHUNK ? bin_write(f, b, err) : 0;
}

int bin_finish(bin_file *f, buf *b, int failed, buf *err)
{
	failed = failed || bin_write(f, b, err) < 0;
	bin_put_u(b, f->sum, BIN_SUM_BYTES);
	failed = failed || bin_write(f, b, err) < 0;
	return bin_commit(f, failed, err);
}

int bin_commit(bin_file *f, int failed, buf *err)
{
	int rc = failed ? -1 : 0;

	if (close(f->fd) != 0 && rc == 0) {
		buf_printf(err, "%s: %s", f->tmp.ptr, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(f->tmp.ptr, f->path) < 0) {
		buf_printf(err, "%s: %s", f->path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(f->tmp.ptr);
	buf_dispose(&f->tmp);
	return rc;
}

int bin_save(const char *path, const void *data, size_t len, buf *err)
{
	bin_file f;
	buf b = BUF_INIT;
	int failed;

	if (bin_open(&f, path, err) < 0)
		return -1;
	buf_put(&b, data, len);
	failed = bin_write(&f, &b, err) < 0;
	buf_dispose(&b);
	return bin_commit(&f, failed, err);
}
