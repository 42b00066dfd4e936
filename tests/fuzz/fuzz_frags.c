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

static const char fuzz_program[] = "0123456789abcdef0123456789abcdef01234567";

static char *fuzz_file(const void *body, size_t len, size_t *out_len)
{
	buf b = BUF_INIT;
	uint32_t sum;
	int i;

	buf_printf(&b, "trustdir-frags 1\n%s\n", fuzz_program);
	buf_put(&b, body, len);
	sum = bin_sum(0, b.ptr, b.len);
	for (i = 0; i < 4; i++)
		buf_putc(&b, (char)(sum >> (8 * i)));
	*out_len = b.len;
	return buf_detach(&b);
}

/* Takes every entry of f back (into f's one member) and into a new set,
 * writes that set and reads it again: the same entries, in order. */
static void fuzz_roundtrip(frag_set *f)
{
	char path[] = "/tmp/fuzz-frags-XXXXXX";
	const char **slugs = calloc(f->n_entries + 1, sizeof(*slugs));
	frag_set g, h;
	buf err = BUF_INIT;
	size_t i;
	int fd = mkstemp(path), k;

	if (!slugs || fd < 0)
		abort();
	close(fd);
	frag_init(&g, f->n_entries);
	for (i = 0; i < f->n_entries; i++) {
		const unsigned char *key;
		const frag_piece *parts;

		slugs[i] = frag_entry_slug(f, i, &key, &parts);
		for (k = 0; k < FRAG_KINDS; k++)
			if (strlen(parts[k].ptr) != parts[k].len)
				abort();
		if (!frag_take(f, 0, slugs[i], key))
			abort();
		/* g gets entry i as its member i */
		g.now[i].keyed = 1;
		memcpy(g.now[i].key, key, GIT_OID_RAWSZ);
		for (k = 0; k < FRAG_KINDS; k++)
			g.now[i].piece[k] = parts[k];
	}
	if (frag_save(&g, slugs, path, fuzz_program, &err) < 0)
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
	free(slugs);
	buf_dispose(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	char *file = fuzz_file(data, size, &len);
	frag_set f;

	frag_init(&f, 1);
	if (frag_decode(&f, file, len, fuzz_program) == 0)
		fuzz_roundtrip(&f);
	frag_dispose(&f);
	return 0;
}
