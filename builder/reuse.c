#include "reuse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"
#include "hist.h"
#include "pool.h"

/*
 * The file:
 *   "trustdir-pages 2\n", program id (40 hex) "\n", site fingerprint "\n"
 *   u64 units
 *   per unit: str name, 20-byte key, u8 made,
 *             per file: u64 ino, u64 size, i64 mtime s, i64 mtime ns
 *   u32 CRC-32 of all the bytes before
 * in bin.h's integers and strings.
 */
static const char reuse_magic[] = "trustdir-pages 2\n";
#define REUSE_STAMP_BYTES 32
#define REUSE_MAX_BYTES ((size_t)256 << 20)

void reuse_init(reuse *r)
{
	memset(r, 0, sizeof(*r));
}

void reuse_dispose(reuse *r)
{
	free(r->now);
	arena_dispose(&r->names);
	free(r->prev);
	strmap_dispose(&r->prev_index);
	free(r->prev_bytes);
	reuse_init(r);
}

/* ---- keys ------------------------------------------------------------- */

static void reuse_put_oid(buf *b, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), oid);
	buf_puts(b, hex);
	buf_putc(b, '\n');
}

/* Everything vendor v's own files are made from, as text, into b.  The
 * commit's date counts only through what it decides: whether each
 * assessment has expired and each piece of evidence is stale. */
static void reuse_describe(buf *b, const model *m, const model_vendor *v,
			   const hist_vendor *hv, const hist *h)
{
	size_t a, p, e, s;

	reuse_put_oid(b, &v->profile_oid);
	if (v->summary)
		reuse_put_oid(b, &v->summary_oid);
	for (a = 0; a < v->n_assessments; a++) {
		const model_assessment *as = &v->assessments[a];

		BUF_CAT(b, "assessment ", as->id, " ");
		reuse_put_oid(b, &as->oid);
		buf_putc(b, model_assessment_expired(m, as) ? 'x' : '-');
		for (p = 0; p < m->n_principles; p++)
			for (e = 0; e < as->findings[p].n_evidence; e++)
				buf_putc(b, model_evidence_stale(
						    m, &as->findings[p].evidence[e])
						    ? 's'
						    : '-');
		buf_putc(b, '\n');
	}
	/* A commit's changes are the program's reading of that commit
	 * and its first parent, so its id stands for them. */
	for (s = 0; s < hv->len; s++)
		buf_printf(b, "span %s %zu\n", h->commits[hv->spans[s].commit].id,
			   hv->spans[s].count);
}

/* Room for n more units. */
static void reuse_grow(reuse *r, size_t n)
{
	if (r->n + n <= r->cap)
		return;
	r->cap = (r->n + n) * 2;
	r->now = realloc(r->now, (r->cap + 1) * sizeof(*r->now));
	if (!r->now)
		abort();
	memset(r->now + r->n, 0, (r->cap + 1 - r->n) * sizeof(*r->now));
}

void reuse_key(reuse *r, size_t u, const char *text, size_t len)
{
	buf all = BUF_INIT;
	git_oid oid;

	BUF_CAT(&all, "base ", r->base, "\nunit ", r->now[u].name, "\n");
	buf_put(&all, text, len);
	git_odb_hash(&oid, all.ptr, all.len, GIT_OBJECT_BLOB);
	memcpy(r->now[u].key, oid.id, GIT_OID_RAWSZ);
	r->now[u].made |= REUSE_KEYED;
	buf_dispose(&all);
}

/* Members keyed per job of reuse_keys. */
#define REUSE_KEYS_CHUNK 256

typedef struct {
	reuse *r;
	const model *m;
	const hist *h;
} reuse_keying;

static int reuse_keys_chunk(void *arg, size_t worker, size_t k, buf *err)
{
	const reuse_keying *kg = arg;
	const model *m = kg->m;
	size_t i = k * REUSE_KEYS_CHUNK, end = i + REUSE_KEYS_CHUNK;
	buf text = BUF_INIT;

	(void)worker;
	(void)err;
	if (end > m->n_vendors)
		end = m->n_vendors;
	for (; i < end; i++) {
		const hist_vendor *hv;

		kg->r->now[i].name = m->vendors[i].slug;
		/* No history, no key: the pages then say so, and the feed is
		 * dated by the commit. */
		hv = kg->h ? hist_vendor_get(kg->h, m->vendors[i].slug) : NULL;
		if (!hv || !hv->len)
			continue;
		buf_clear(&text);
		reuse_describe(&text, m, &m->vendors[i], hv, kg->h);
		reuse_key(kg->r, i, text.ptr, text.len);
	}
	buf_dispose(&text);
	return 0;
}

void reuse_keys(reuse *r, const model *m, const struct hist *h,
		const char *base, size_t threads)
{
	reuse_keying kg = { r, m, h };
	buf err = BUF_INIT;

	r->base = base;
	r->n = 0;
	reuse_grow(r, m->n_vendors);
	r->n = m->n_vendors;
	pool_for(threads, (m->n_vendors + REUSE_KEYS_CHUNK - 1) /
				  REUSE_KEYS_CHUNK,
		 reuse_keys_chunk, &kg, &err); /* a job cannot fail */
	buf_dispose(&err);
}

size_t reuse_add(reuse *r, size_t n, const char *prefix)
{
	size_t first = r->n, k;
	buf name = BUF_INIT;

	reuse_grow(r, n);
	for (k = 0; k < n; k++) {
		buf_clear(&name);
		buf_printf(&name, "%s%zu", prefix, k + 1);
		r->now[first + k].name = arena_strdup(&r->names, name.ptr);
	}
	r->n += n;
	buf_dispose(&name);
	return first;
}

static int reuse_has_key(const reuse_entry *e)
{
	return (e->made & REUSE_KEYED) != 0;
}

const unsigned char *reuse_unit_key(const reuse *r, size_t u)
{
	return r && u < r->n && reuse_has_key(&r->now[u]) ? r->now[u].key
							  : NULL;
}

const out_stamp *reuse_prev(const reuse *r, size_t u, reuse_file f)
{
	const reuse_entry *prev;

	if (!r || !r->prev || u >= r->n || !reuse_has_key(&r->now[u]))
		return NULL;
	prev = strmap_get(&r->prev_index, r->now[u].name);
	if (!prev || !reuse_has_key(prev) || !(prev->made & (1u << f)) ||
	    memcmp(prev->key, r->now[u].key, GIT_OID_RAWSZ))
		return NULL;
	return &prev->stamps[f];
}

out_stamp *reuse_slot(reuse *r, size_t u, reuse_file f)
{
	if (!r || u >= r->n)
		return NULL;
	r->now[u].made |= (unsigned char)(1u << f);
	return &r->now[u].stamps[f];
}

/* ---- the file --------------------------------------------------------- */

int reuse_save(const reuse *r, const char *path, const char *program,
	       const char *site_fp, buf *err)
{
	buf data = BUF_INIT;
	size_t i;
	int f, rc;

	buf_printf(&data, "%s%.40s\n%s\n", reuse_magic, program, site_fp);
	bin_put_u(&data, r->n, 8);
	for (i = 0; i < r->n; i++) {
		const reuse_entry *e = &r->now[i];

		bin_put_str(&data, e->name);
		buf_put(&data, e->key, GIT_OID_RAWSZ);
		bin_put_u(&data, e->made, 1);
		for (f = 0; f < REUSE_FILES; f++) {
			bin_put_u(&data, e->stamps[f].ino, 8);
			bin_put_u(&data, e->stamps[f].size, 8);
			bin_put_u(&data, (uint64_t)e->stamps[f].mtime_sec, 8);
			bin_put_u(&data, (uint64_t)e->stamps[f].mtime_nsec, 8);
		}
	}
	bin_put_u(&data, bin_sum(0, data.ptr, data.len), BIN_SUM_BYTES);
	rc = bin_save(path, data.ptr, data.len, err);
	buf_dispose(&data);
	return rc;
}

/* The units of bytes [p, end), by name into prev_index. */
static int reuse_parse(reuse *r, char *p, char *end)
{
	enum { MIN_ENTRY = 4 + 1 + 1 + GIT_OID_RAWSZ + 1 +
			   REUSE_FILES * REUSE_STAMP_BYTES };
	bin_reader rd = { p, end, 0 };
	size_t i, n = bin_get_count(&rd, 8, MIN_ENTRY, UINT64_MAX);
	int f;

	if (rd.bad)
		return -1;
	r->prev = calloc(n + 1, sizeof(*r->prev));
	if (!r->prev)
		abort();
	for (i = 0; i < n && !rd.bad; i++) {
		reuse_entry *e = &r->prev[i];

		e->name = bin_get_str(&rd);
		if (rd.bad || !e->name || rd.end - rd.p < GIT_OID_RAWSZ)
			return -1;
		memcpy(e->key, rd.p, GIT_OID_RAWSZ);
		rd.p += GIT_OID_RAWSZ;
		e->made = (unsigned char)bin_get_u(&rd, 1);
		for (f = 0; f < REUSE_FILES; f++) {
			e->stamps[f].ino = bin_get_u(&rd, 8);
			e->stamps[f].size = bin_get_u(&rd, 8);
			e->stamps[f].mtime_sec = (int64_t)bin_get_u(&rd, 8);
			e->stamps[f].mtime_nsec = (int64_t)bin_get_u(&rd, 8);
		}
		if (!rd.bad)
			strmap_put(&r->prev_index, e->name, e);
	}
	r->n_prev = n;
	return rd.bad || rd.p != rd.end ? -1 : 0;
}

int reuse_load(reuse *r, const char *path, const char *program,
	       const char *site_fp)
{
	buf head = BUF_INIT;
	char *bytes = NULL;
	size_t len = 0;
	int rc = -1;

	buf_printf(&head, "%s%.40s\n%s\n", reuse_magic, program, site_fp);
	if (bin_read_file(path, REUSE_MAX_BYTES, &bytes, &len) < 0 ||
	    len < head.len + 8 + BIN_SUM_BYTES ||
	    memcmp(bytes, head.ptr, head.len) || !bin_sum_ok(bytes, len)) {
		free(bytes);
		goto done;
	}
	r->prev_bytes = bytes;
	rc = reuse_parse(r, bytes + head.len, bytes + len - BIN_SUM_BYTES);
	if (rc < 0) {
		free(r->prev);
		r->prev = NULL;
		r->n_prev = 0;
		strmap_dispose(&r->prev_index);
		free(r->prev_bytes);
		r->prev_bytes = NULL;
	}
done:
	buf_dispose(&head);
	return rc;
}
