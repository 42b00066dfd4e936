#include "frag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"

/*
 * The file:
 *   "trustdir-frags 2\n", program id (40 hex) "\n"
 *   u32 entries
 *   per entry: str slug, 20-byte key, per kind (FRAG_KINDS): str part
 *   u32 CRC-32 of all the bytes before
 * in bin.h's integers and strings.
 */
static const char frag_magic[] = "trustdir-frags 2\n";

/* The largest file read: more is not a cache of ours. */
#define FRAG_MAX_BYTES ((size_t)1 << 30)

typedef struct frag_entry {
	const char *slug;
	const unsigned char *key;
	frag_piece piece[FRAG_KINDS];
} frag_entry;

static void *frag_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	return p;
}

void frag_init(frag_set *f, size_t members)
{
	memset(f, 0, sizeof(*f));
	f->n = members;
	f->now = frag_calloc(members, sizeof(*f->now));
}

static void frag_forget(frag_set *f)
{
	if (f->mapped)
		bin_unmap(f->bytes, f->len);
	else
		free(f->bytes);
	f->mapped = 0;
	free(f->entries);
	strmap_dispose(&f->index);
	f->bytes = NULL;
	f->len = 0;
	f->entries = NULL;
	f->n_entries = 0;
}

void frag_dispose(frag_set *f)
{
	size_t i;
	int k;

	for (i = 0; i < f->n; i++)
		for (k = 0; k < FRAG_KINDS; k++)
			free(f->now[i].owned[k]);
	free(f->now);
	frag_forget(f);
	memset(f, 0, sizeof(*f));
}

static int frag_parse(frag_set *f, const char *program)
{
	size_t magic = sizeof(frag_magic) - 1, i;
	bin_reader r;
	int k;

	if (f->len < magic + GIT_OID_HEXSZ + 1 + 4 + BIN_SUM_BYTES ||
	    !bin_sum_ok(f->bytes, f->len) ||
	    memcmp(f->bytes, frag_magic, magic))
		return -1;
	r.p = f->bytes;
	r.end = f->bytes + f->len - BIN_SUM_BYTES;
	r.bad = 0;
	r.p += magic;
	if (memcmp(r.p, program, GIT_OID_HEXSZ) || r.p[GIT_OID_HEXSZ] != '\n')
		return -1;
	r.p += GIT_OID_HEXSZ + 1;
	/* an entry is at least a slug, a key and its parts' lengths */
	f->n_entries = bin_get_count(&r, 4, 4 + 2 + GIT_OID_RAWSZ +
						    4 * FRAG_KINDS,
				     (uint64_t)1 << 24);
	f->entries = frag_calloc(f->n_entries, sizeof(*f->entries));
	for (i = 0; i < f->n_entries && !r.bad; i++) {
		frag_entry *e = &f->entries[i];

		e->slug = bin_get_str(&r);
		if (!e->slug || (size_t)(r.end - r.p) < GIT_OID_RAWSZ) {
			r.bad = 1;
			break;
		}
		e->key = (const unsigned char *)r.p;
		r.p += GIT_OID_RAWSZ;
		for (k = 0; k < FRAG_KINDS && !r.bad; k++) {
			e->piece[k].ptr = bin_get_str(&r);
			if (!e->piece[k].ptr)
				r.bad = 1;
			else
				e->piece[k].len = strlen(e->piece[k].ptr);
		}
		if (!r.bad && strmap_get(&f->index, e->slug))
			r.bad = 1; /* a member twice: not a file of ours */
		if (!r.bad)
			strmap_put(&f->index, e->slug, (void *)(uintptr_t)(i + 1));
	}
	return r.bad || r.p != r.end ? -1 : 0;
}

int frag_load(frag_set *f, const char *path, const char *program)
{
	frag_forget(f);
	if (bin_map_file(path, FRAG_MAX_BYTES, &f->bytes, &f->len) < 0)
		return -1;
	f->mapped = 1;
	if (frag_parse(f, program) == 0)
		return 0;
	frag_forget(f);
	return -1;
}

int frag_decode(frag_set *f, char *bytes, size_t len, const char *program)
{
	frag_forget(f);
	f->bytes = bytes;
	f->len = len;
	if (frag_parse(f, program) == 0)
		return 0;
	frag_forget(f);
	return -1;
}

const char *frag_entry_slug(const frag_set *f, size_t i,
			    const unsigned char **key, const frag_piece **parts)
{
	*key = f->entries[i].key;
	*parts = f->entries[i].piece;
	return f->entries[i].slug;
}

int frag_take(frag_set *f, size_t i, const char *slug,
	      const unsigned char *key)
{
	frag_member *m = &f->now[i];
	const frag_entry *e;
	uintptr_t at;
	int k;

	m->slug = slug;
	m->keyed = key != NULL;
	if (key)
		memcpy(m->key, key, GIT_OID_RAWSZ);
	if (!key || !f->n_entries ||
	    !(at = (uintptr_t)strmap_get(&f->index, slug)))
		return 0;
	e = &f->entries[at - 1];
	if (memcmp(e->key, key, GIT_OID_RAWSZ))
		return 0;
	for (k = 0; k < FRAG_KINDS; k++)
		m->piece[k] = e->piece[k];
	m->taken = 1;
	return 1;
}

void frag_give(frag_set *f, size_t i, frag_kind k, buf *b)
{
	frag_member *m = &f->now[i];

	free(m->owned[k]);
	m->piece[k].len = b->len;
	m->owned[k] = buf_detach(b);
	m->piece[k].ptr = m->owned[k];
	m->made = 1;
}

size_t frag_made(const frag_set *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		n += f->now[i].made != 0;
	return n;
}

int frag_save(const frag_set *f, const char *path, const char *program,
	      buf *err)
{
	bin_file out;
	buf b = BUF_INIT;
	size_t i, n = 0;
	int k, failed = 0, rc;

	if (bin_open(&out, path, err) < 0)
		return -1;
	for (i = 0; i < f->n; i++)
		n += f->now[i].keyed != 0;
	buf_printf(&b, "%s%.40s\n", frag_magic, program);
	bin_put_u(&b, n, 4);
	for (i = 0; i < f->n && !failed; i++) {
		const frag_member *m = &f->now[i];

		if (!m->keyed)
			continue;
		bin_put_str(&b, m->slug);
		buf_put(&b, (const char *)m->key, GIT_OID_RAWSZ);
		for (k = 0; k < FRAG_KINDS; k++)
			bin_put_strn(&b, m->piece[k].ptr, m->piece[k].len);
		failed = bin_write_full(&out, &b, err) < 0;
	}
	rc = bin_finish(&out, &b, failed, err);
	buf_dispose(&b);
	return rc;
}
