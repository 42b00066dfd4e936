/*
 * bin: the pieces of trustdir's cache files (hcache, mcache, reuse).
 *
 * Integers are little-endian, of 1 to 8 bytes; a string is a u32 length
 * (BIN_NONE for none), the bytes and a NUL, so that what is read points
 * into the file's bytes instead of copying them.  Every file ends with
 * the CRC-32 of the bytes before it (zlib's, as libdeflate computes it,
 * several times faster: a rebuild at 10,000 vendors checks 175 MB of
 * caches), which finds a torn file; a reader checks each length and
 * count against the bytes left besides.
 */
#ifndef TRUSTDIR_BIN_H
#define TRUSTDIR_BIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define BIN_NONE 0xffffffffu
#define BIN_SUM_BYTES 4

void bin_put_u(buf *b, uint64_t v, int bytes);
void bin_put_str(buf *b, const char *s);
/* bin_put_str of s[0, len), which holds no NUL. */
void bin_put_strn(buf *b, const char *s, size_t len);
uint32_t bin_sum(uint32_t sum, const void *p, size_t len);

/* Reads [p, end); the first read past the end, or of something that is
 * not what it should be, sets bad, and every read after it gives 0 or
 * NULL. */
typedef struct {
	char *p, *end;
	int bad;
} bin_reader;

uint64_t bin_get_u(bin_reader *r, int bytes);
/* A string, NUL-terminated in the file and without another NUL; NULL
 * for none. */
const char *bin_get_str(bin_reader *r);
/* A count of bytes bytes, of items of at least min_bytes each, that is
 * at most max: never more than the bytes left could hold. */
size_t bin_get_count(bin_reader *r, int bytes, size_t min_bytes,
		     uint64_t max);
/* Whether bytes[0, len) end with the CRC-32 of what comes before. */
int bin_sum_ok(const char *bytes, size_t len);

/* Reads the regular file at path, if it holds at most max bytes, into
 * *bytes (malloc'd, NUL after the last byte) and *len.  0, or -1. */
int bin_read_file(const char *path, size_t max, char **bytes, size_t *len);
/* Maps the regular file at path, if it holds 1 to max bytes, read-only
 * into *bytes (writing them faults); bin_unmap releases them.  Mapping,
 * not reading: at 10,000 vendors a rebuild reads 175 MB of caches, and
 * reading them into fresh memory, or mapping them writable (every page
 * copied), cost it 0.4 s where the mapping costs 0.1 s.  0, or -1. */
int bin_map_file(const char *path, size_t max, char **bytes, size_t *len);
void bin_unmap(char *bytes, size_t len);
/* A file written atomically: into a temporary file beside path, which
 * bin_commit renames to path; sum is the CRC-32 of what bin_write
 * wrote, for a file written in parts. */
typedef struct {
	const char *path;
	buf tmp;
	int fd;
	uint32_t sum;
} bin_file;

/* 0, or -1 with the reason in err (nothing is left behind). */
int bin_open(bin_file *f, const char *path, buf *err);
/* Writes b, adds it to f->sum and empties it.  0, or -1 with err. */
int bin_write(bin_file *f, buf *b, buf *err);
/* bin_write once b holds BIN_CHUNK bytes or more, so that a large file
 * written in parts is never whole in memory; else 0. */
#define BIN_CHUNK ((size_t)1 << 20)
int bin_write_full(bin_file *f, buf *b, buf *err);
/* Writes the rest, b, then the CRC-32 of all that f holds, and commits
 * (bin_commit, failed included).  0, or -1 with err. */
int bin_finish(bin_file *f, buf *b, int failed, buf *err);
/* Closes the file and puts it in place, or on any failure (and when
 * failed is set) removes it.  0, or -1 with err. */
int bin_commit(bin_file *f, int failed, buf *err);

/* Writes data[0, len) to path atomically.  0, or -1 with err. */
int bin_save(const char *path, const void *data, size_t len, buf *err);

#endif
