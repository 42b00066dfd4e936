/*
 * fuzz_frags: the reader of the members' parts (frag.c), on any bytes
 * that pass its checksum.
 *
 * As fuzz_mcache does for the vendors' cache, the harness takes the
 * input as the body of a file (what follows the two header lines), adds
 * the header and the CRC-32, and hands the whole to frag_decode.  That
 * must never crash or leak; a file it accepts must name each member
 * once, with parts that hold no NUL (they are copied into the data
 * files as they are), and every member must be taken back by its slug
 * and key, and written again read back the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bin.h"
#include "frag.h"

#include "fuzz_cache.h"

#define FUZZ_PROGRAM "0123456789abcdef0123456789abcdef01234567"
static const char fuzz_program[] = FUZZ_PROGRAM;

/* What the file has before the body. */
static const char fuzz_head[] =
	"trustdir-frags 2\n" FUZZ_PROGRAM "\n";

/* Takes every entry of f back (into f's one member) and into a new set,
 * writes that set and reads it again: the same entries, in order. */
static void fuzz_roundtrip(frag_set *f)
{
	char path[] = "/tmp/fuzz-frags-XXXXXX";
	frag_set g, h;
	buf err = BUF_INIT;
	size_t i;
	int fd = mkstemp(path), k;

	if (fd < 0)
		abort();
	close(fd);
	frag_init(&g, f->n_entries);
	for (i = 0; i < f->n_entries; i++) {
		const unsigned char *key;
		const frag_piece *parts;
		const char *slug = frag_entry_slug(f, i, &key, &parts);

		for (k = 0; k < FRAG_KINDS; k++)
			if (strlen(parts[k].ptr) != parts[k].len)
				abort();
		if (!frag_take(f, 0, slug, key))
			abort();
		/* g gets entry i as its member i (it has no file) */
		if (frag_take(&g, i, slug, key))
			abort();
		for (k = 0; k < FRAG_KINDS; k++)
			g.now[i].piece[k] = parts[k];
	}
	if (frag_save(&g, path, fuzz_program, &err) < 0)
		abort();
	frag_init(&h, 0);
	if (frag_load(&h, path, fuzz_program) < 0 ||
	    h.n_entries != f->n_entries)
		abort();
	for (i = 0; i < h.n_entries; i++) {
		const unsigned char *ka, *kb;
		const frag_piece *pa, *pb;

		if (strcmp(frag_entry_slug(f, i, &ka, &pa),
			   frag_entry_slug(&h, i, &kb, &pb)) ||
		    memcmp(ka, kb, GIT_OID_RAWSZ))
			abort();
		for (k = 0; k < FRAG_KINDS; k++)
			if (pa[k].len != pb[k].len ||
			    memcmp(pa[k].ptr, pb[k].ptr, pa[k].len))
				abort();
	}
	frag_dispose(&h);
	frag_dispose(&g);
	unlink(path);
	buf_dispose(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *file = fuzz_cache_file(fuzz_head, data, size, &len);
	frag_set f;

	frag_init(&f, 1);
	if (frag_decode(&f, file, len, fuzz_program) == 0)
		fuzz_roundtrip(&f);
	frag_dispose(&f);
	return 0;
}
