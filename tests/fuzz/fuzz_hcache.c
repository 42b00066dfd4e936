/*
 * fuzz_hcache: the reader of the history cache, on any bytes that pass
 * its checksum.
 *
 * A cache file is checked by its CRC-32 before it is parsed, so random
 * bytes never reach the parser.  The harness therefore takes the input
 * as the body of a file (what follows the three header lines), adds the
 * header with the program id it reads with and the CRC-32 the writer
 * appends, and hands the whole to hcache_decode.  That must never crash
 * or leak; a history it accepts must hold what the renderers rely on
 * (every commit's changes inside the list, a name for every vendor
 * change), and written again it must read back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "hcache.h"

#include "fuzz_cache.h"

#define FUZZ_PROGRAM "0123456789abcdef0123456789abcdef01234567"
#define FUZZ_TIP "1111111111111111111111111111111111111111"
static const char fuzz_program[] = FUZZ_PROGRAM;

/* What the file has before the body. */
static const char fuzz_head[] =
	"trustdir-history 2\n" FUZZ_PROGRAM "\n" FUZZ_TIP "\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

static void fuzz_check(const hist *h)
{
	size_t i;

	for (i = 0; i < h->n_commits; i++)
		if (h->commits[i].first + h->commits[i].count > h->changes.len)
			abort();
	for (i = 0; i < h->changes.len; i++)
		if (h->changes.items[i].vendor &&
		    !h->changes.items[i].vendor_name)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	buf again = BUF_INIT, twice = BUF_INIT;
	size_t len;
	char *file = fuzz_cache_file(fuzz_head, data, size, &len);
	hist h, h2;

	if (hcache_decode(&h, file, len, fuzz_program) == 0) {
		fuzz_check(&h);
		hcache_encode(&again, &h, fuzz_program);
		file = malloc(again.len);
		if (!file)
			abort();
		memcpy(file, again.ptr, again.len);
		if (hcache_decode(&h2, file, again.len, fuzz_program) < 0)
			abort();
		hcache_encode(&twice, &h2, fuzz_program);
		if (twice.len != again.len ||
		    memcmp(twice.ptr, again.ptr, again.len))
			abort();
		hist_dispose(&h2);
	}
	hist_dispose(&h);
	buf_dispose(&again);
	buf_dispose(&twice);
	return 0;
}
