/*
 * fuzz_mcache: the reader of the vendors' cache, on any bytes that pass
 * its checksum.
 *
 * As fuzz_hcache does for the history, the harness takes the input as
 * the body of a file (what follows the three header lines), adds the
 * header and the CRC-32, and hands the whole to mcache_decode.  That
 * must never crash or leak; the vendors it accepts must hold what the
 * renderers rely on (the required fields, dates model_days can read, a
 * known country), and written again they must read back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "check.h"
#include "country.h"
#include "mcache.h"

#include "fuzz_cache.h"

#define FUZZ_PROGRAM "0123456789abcdef0123456789abcdef01234567"
#define FUZZ_SITE "1111111111111111111111111111111111111111"
static const char fuzz_program[] = FUZZ_PROGRAM;
static const char fuzz_site[] = FUZZ_SITE;

/* What the file has before the body. */
static const char fuzz_head[] =
	"trustdir-model 2\n" FUZZ_PROGRAM "\n" FUZZ_SITE "\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

static void fuzz_check(const mcache *c)
{
	size_t i, a;

	for (i = 0; i < c->n_vendors; i++) {
		const model_vendor *v = &c->vendors[i];

		if (!v->slug || !v->name || !v->website ||
		    !country_name(v->country) ||
		    !check_date_valid(v->member_since))
			abort();
		for (a = 0; a < v->n_assessments; a++)
			if (!v->assessments[a].id ||
			    !check_date_valid(v->assessments[a].date))
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	buf again = BUF_INIT, twice = BUF_INIT;
	git_oid site;
	size_t len;
	char *file = fuzz_cache_file(fuzz_head, data, size, &len);
	mcache c, c2;

	git_oid_fromstr(&site, fuzz_site);
	if (mcache_decode(&c, file, len, fuzz_program) == 0) {
		model m;

		fuzz_check(&c);
		memset(&m, 0, sizeof(m));
		m.n_principles = c.n_principles;
		m.vendors = c.vendors;
		m.n_vendors = c.n_vendors;
		mcache_encode(&again, &m, &site, fuzz_program);
		file = malloc(again.len);
		if (!file)
			abort();
		memcpy(file, again.ptr, again.len);
		if (mcache_decode(&c2, file, again.len, fuzz_program) < 0)
			abort();
		m.vendors = c2.vendors;
		m.n_vendors = c2.n_vendors;
		mcache_encode(&twice, &m, &site, fuzz_program);
		if (twice.len != again.len ||
		    memcmp(twice.ptr, again.ptr, again.len))
			abort();
		mcache_dispose(&c2);
	}
	mcache_dispose(&c);
	buf_dispose(&again);
	buf_dispose(&twice);
	return 0;
}
