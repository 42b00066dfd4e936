#include "reuse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "hist.h"

/*
 * The file:
 *   "trustdir-pages 1\n", program id (40 hex) "\n", site fingerprint "\n"
 *   u64 entries
 *   per entry: u32 slug length, the slug, 20-byte key, u8 made,
 *              per file: u64 ino, u64 size, i64 mtime s, i64 mtime ns
 *   u32 CRC-32 (zlib's) of all the bytes before
 * Integers are little-endian, as in hcache.
 */
static const char reuse_magic[] = "trustdir-pages 1\n";
#define REUSE_STAMP_BYTES 32
#define REUSE_MAX_BYTES ((size_t)256 << 20)

void reuse_init(reuse *r)
{
	memset(r, 0, sizeof(*r));
}

void reuse_dispose(reuse *r)
{
	free(r->now);
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
			   const hist_vendor *hv, const hist *h,
			   const char *base)
{
	size_t a, p, e, s;

	BUF_CAT(b, "base ", base, "\nvendor ", v->slug, "\n");
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

void reuse_keys(reuse *r, const model *m, const hist *h, const char *base)
{
	buf text = BUF_INIT;
	size_t i;

	free(r->now);
	r->n = m->n_vendors;
	r->now = calloc(r->n + 1, sizeof(*r->now));
	if (!r->now)
		abort();
	for (i = 0; h && i < m->n_vendors; i++) {
		const hist_vendor *hv = hist_vendor_get(h, m->vendors[i].slug);
		git_oid oid;

		/* No history, no key: the pages then say so, and the feed is
		 * dated by the commit. */
		if (!hv || !hv->len)
			continue;
		buf_clear(&text);
		reuse_describe(&text, m, &m->vendors[i], hv, h, base);
		git_odb_hash(&oid, text.ptr, text.len, GIT_OBJECT_BLOB);
		memcpy(r->now[i].key, oid.id, GIT_OID_RAWSZ);
		r->now[i].made = 0x80; /* has a key */
	}
	buf_dispose(&text);
}

static int reuse_has_key(const reuse_entry *e)
{
	return (e->made & 0x80) != 0;
}

const out_stamp *reuse_prev(const reuse *r, const model *m, size_t i,
			    reuse_file f)
{
	const reuse_entry *prev;

	if (!r || !r->prev || i >= r->n || !reuse_has_key(&r->now[i]))
		return NULL;
	prev = strmap_get(&r->prev_index, m->vendors[i].slug);
	if (!prev || !reuse_has_key(prev) || !(prev->made & (1u << f)) ||
	    memcmp(prev->key, r->now[i].key, GIT_OID_RAWSZ))
		return NULL;
	return &prev->stamps[f];
}

out_stamp *reuse_slot(reuse *r, size_t i, reuse_file f)
{
	if (!r || !r->now || i >= r->n)
		return NULL;
	r->now[i].made |= (unsigned char)(1u << f);
	return &r->now[i].stamps[f];
}

/* ---- the file --------------------------------------------------------- */

static void reuse_put_u(buf *b, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		buf_putc(b, (char)(unsigned char)(v >> (8 * i)));
}

int reuse_save(const reuse *r, const model *m, const char *path,
	       const char *program, const char *site_fp, buf *err)
{
	buf data = BUF_INIT, tmp = BUF_INIT;
	size_t i;
	int f, rc = -1;

	buf_printf(&data, "%s%.40s\n%s\n", reuse_magic, program, site_fp);
	reuse_put_u(&data, r->n, 8);
	for (i = 0; i < r->n; i++) {
		const reuse_entry *e = &r->now[i];
		size_t len = strlen(m->vendors[i].slug);

		reuse_put_u(&data, len, 4);
		buf_put(&data, m->vendors[i].slug, len);
		buf_put(&data, e->key, GIT_OID_RAWSZ);
		reuse_put_u(&data, e->made, 1);
		for (f = 0; f < REUSE_FILES; f++) {
			reuse_put_u(&data, e->stamps[f].ino, 8);
			reuse_put_u(&data, e->stamps[f].size, 8);
			reuse_put_u(&data, (uint64_t)e->stamps[f].mtime_sec, 8);
			reuse_put_u(&data, (uint64_t)e->stamps[f].mtime_nsec, 8);
		}
	}
	reuse_put_u(&data, crc32_z(0, (const unsigned char *)data.ptr, data.len),
		    4);
	buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if ((f = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		      0644)) < 0 ||
	    buf_write_fd(f, data.ptr, data.len) < 0) {
		buf_printf(err, "%s: %s", tmp.ptr, strerror(errno));
		if (f >= 0)
			close(f);
		unlink(tmp.ptr);
		goto done;
	}
	if (close(f) != 0 || rename(tmp.ptr, path) < 0) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		unlink(tmp.ptr);
		goto done;
	}
	rc = 0;
done:
	buf_dispose(&data);
	buf_dispose(&tmp);
	return rc;
}

typedef struct {
	const unsigned char *p, *end;
	int bad;
} reuse_reader;

static uint64_t reuse_get_u(reuse_reader *rd, int bytes)
{
	uint64_t v = 0;
	int i;

	if (rd->bad || rd->end - rd->p < bytes) {
		rd->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)rd->p[i] << (8 * i);
	rd->p += bytes;
	return v;
}

/* The entries of bytes [p, end): each slug is made a NUL-terminated
 * string in place (over the first byte of the key, copied out first). */
static int reuse_parse(reuse *r, unsigned char *p, unsigned char *end)
{
	enum { MIN_ENTRY = 4 + 1 + GIT_OID_RAWSZ + 1 +
			   REUSE_FILES * REUSE_STAMP_BYTES };
	reuse_reader rd = { p, end, 0 };
	uint64_t n = reuse_get_u(&rd, 8);
	size_t i;
	int f;

	if (rd.bad || n > (uint64_t)(end - rd.p) / MIN_ENTRY)
		return -1;
	r->prev = calloc((size_t)n + 1, sizeof(*r->prev));
	if (!r->prev)
		abort();
	for (i = 0; i < n && !rd.bad; i++) {
		reuse_entry *e = &r->prev[i];
		uint64_t len = reuse_get_u(&rd, 4);
		unsigned char *slug = (unsigned char *)rd.p;

		if (rd.bad || len == 0 || len > 64 ||
		    (uint64_t)(rd.end - rd.p) < len + GIT_OID_RAWSZ + 1)
			return -1;
		rd.p += len;
		memcpy(e->key, rd.p, GIT_OID_RAWSZ);
		rd.p += GIT_OID_RAWSZ;
		e->made = (unsigned char)reuse_get_u(&rd, 1);
		for (f = 0; f < REUSE_FILES; f++) {
			e->stamps[f].ino = reuse_get_u(&rd, 8);
			e->stamps[f].size = reuse_get_u(&rd, 8);
			e->stamps[f].mtime_sec = (int64_t)reuse_get_u(&rd, 8);
			e->stamps[f].mtime_nsec = (int64_t)reuse_get_u(&rd, 8);
		}
		if (rd.bad || !model_name_valid((const char *)slug, (size_t)len))
			return -1;
		slug[len] = '\0'; /* the key's first byte, copied already */
		strmap_put(&r->prev_index, (const char *)slug, e);
	}
	r->n_prev = (size_t)n;
	return rd.bad || rd.p != rd.end ? -1 : 0;
}

int reuse_load(reuse *r, const char *path, const char *program,
	       const char *site_fp)
{
	unsigned char *bytes = NULL, *p, *end;
	buf head = BUF_INIT;
	struct stat st;
	size_t len = 0;
	uint32_t sum;
	int rc = -1;
	FILE *f;

	if (!(f = fopen(path, "rbe")))
		return -1;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size <= REUSE_MAX_BYTES) {
		len = (size_t)st.st_size;
		if ((bytes = malloc(len + 1)) && fread(bytes, 1, len, f) != len) {
			free(bytes);
			bytes = NULL;
		}
	}
	fclose(f);
	buf_printf(&head, "%s%.40s\n%s\n", reuse_magic, program, site_fp);
	if (!bytes || len < head.len + 8 + 4 ||
	    memcmp(bytes, head.ptr, head.len))
		goto done;
	end = bytes + len - 4;
	sum = (uint32_t)end[0] | (uint32_t)end[1] << 8 |
	      (uint32_t)end[2] << 16 | (uint32_t)end[3] << 24;
	if (sum != (uint32_t)crc32_z(0, bytes, len - 4))
		goto done;
	p = bytes + head.len;
	r->prev_bytes = (char *)bytes;
	bytes = NULL;
	rc = reuse_parse(r, p, end);
done:
	if (rc < 0) {
		free(r->prev);
		r->prev = NULL;
		r->n_prev = 0;
		strmap_dispose(&r->prev_index);
		free(r->prev_bytes);
		r->prev_bytes = NULL;
	}
	free(bytes);
	buf_dispose(&head);
	return rc;
}
