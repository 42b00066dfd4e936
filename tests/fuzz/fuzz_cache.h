/*
 * fuzz_cache: what the cache harnesses share (fuzz_hcache, fuzz_mcache,
 * fuzz_frags).  Each takes its input as the body of a file, so that the
 * fuzzer explores the reader rather than the checksum.
 */
#ifndef TRUSTDIR_FUZZ_CACHE_H
#define TRUSTDIR_FUZZ_CACHE_H

#include "bin.h"
#include "buf.h"

/* head, then body[0, len), then the CRC-32 of both, as the writers end
 * a file: malloc'd, *out_len bytes. */
static char *fuzz_cache_file(const char *head, const void *body, size_t len,
			     size_t *out_len)
{
	buf b = BUF_INIT;

	buf_puts(&b, head);
	buf_put(&b, body, len);
	bin_put_u(&b, bin_sum(0, b.ptr, b.len), BIN_SUM_BYTES);
	*out_len = b.len;
	return buf_detach(&b);
}

#endif
