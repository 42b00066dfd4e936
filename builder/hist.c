#define _GNU_SOURCE /* memfd_create */
#include "hist.h"

#include "bin.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hcache.h"
#include "htree.h"
#include "model.h"
#include "pool.h"

#define HIST_MAX_PARTS 16

/* One version of a vendor, read from its subtree with the site it was
 * committed with. */
typedef struct {
	git_oid tree;
	model m; /* principles and layers borrowed from site; own arena */
	model_vendor v;
	int valid;
	const model *site;
} hist_version;

/* The cache of the walk: per slug, the version last read. */
typedef struct {
	const char *slug;
	hist_version *v;
} hist_slot;

/* What the walk knows of one commit's trees. */
typedef struct {
	int has_content, has_vendors;
	git_oid content, vendors;
	git_odb_object *vtree; /* raw vendors tree, read when needed */
	htree_index ix;        /* of vtree, when known */
	const model *site;     /* read when needed */
} hist_side;

typedef struct {
	repo *r;
	git_odb *odb;
	change_list *out;
	buf *err;
	int use_cache;
	int use_index;    /* of the newer tree, from the commit before */
	strmap cache;     /* slug -> hist_slot */
	arena slugs;      /* keys of cache */
	model **sites;    /* every site model read; freed at the end */
	size_t n_sites, cap_sites;
	model empty_site; /* for a commit without content/ */
	const model *seed; /* the tip's content, or NULL (hist_seed) */
	strmap seeded;     /* slug -> its model_vendor in seed */
} hist_walker;

static void hist_git_error(buf *err, const char *what)
{
	const git_error *e = git_error_last();

	buf_printf(err, "%s: %s", what, e && e->message ? e->message
						      : "unknown error");
}

/* ---- reading versions ---------------------------------------------- */

static void hist_version_free(hist_version *v)
{
	if (!v)
		return;
	arena_dispose(&v->m.arena);
	free(v);
}

/* Reads the vendor at tree with site; files identical to those of like
 * (a valid version read with the same site) are copied, not read. */
static hist_version *hist_version_read(hist_walker *w, const char *slug,
				       const git_oid *tree, const model *site,
				       const hist_version *like)
{
	hist_version *v = calloc(1, sizeof(*v));
	const model_vendor *lv = like && like->valid && like->site == site
					 ? &like->v
					 : NULL;
	size_t i, slug_len = strlen(slug);
	repo_snapshot snap;
	diag_list diags;
	buf prefix = BUF_INIT;

	if (!v)
		abort();
	memset(&snap, 0, sizeof(snap));
	diag_list_init(&diags);
	git_oid_cpy(&v->tree, tree);
	v->site = site;
	v->m = *site;
	memset(&v->m.arena, 0, sizeof(v->m.arena));
	v->m.vendors = NULL;
	v->m.n_vendors = 0;
	buf_puts(&prefix, "vendors/");
	buf_puts(&prefix, slug);
	/* A version that cannot be read in full is described as far as
	 * it can be: history is what it is. */
	repo_read_subtree(&snap, w->r, tree, prefix.ptr, 1, &diags, w->err);
	for (i = 0; i < snap.len; i++)
		if (!model_vendor_reuses(lv, slug_len, &snap.files[i]))
			repo_file_load(w->r, &snap.files[i], &diags, w->err);
	buf_clear(w->err);
	v->valid = model_vendor_load(&v->m, &v->v, slug, slug_len, snap.files,
				     snap.len, &diags, site->n_principles > 0,
				     lv) &&
		   !diag_count(&diags);
	if (!v->v.name)
		v->v.name = v->v.slug;
	repo_snapshot_dispose(&snap);
	diag_list_dispose(&diags);
	buf_dispose(&prefix);
	return v;
}

/* The slot of slug; *fresh says it was not there: no commit between
 * the tip and this one changed the vendor. */
static hist_slot *hist_slot_get(hist_walker *w, const char *slug, int *fresh)
{
	hist_slot *s = strmap_get(&w->cache, slug);

	*fresh = !s;
	if (!s) {
		s = arena_alloc(&w->slugs, sizeof(*s));
		s->slug = arena_strdup(&w->slugs, slug);
		s->v = NULL;
		strmap_put(&w->cache, s->slug, s);
	}
	return s;
}

/* The vendor as the tip's content has it, when that is the version the
 * walk needs: the first time it meets the vendor (fresh), with the
 * tip's content/ (site is the seed).  Its strings stay in the seed. */
static hist_version *hist_version_seeded(hist_walker *w, const char *slug,
					 const git_oid *tree,
					 const model *site, int fresh)
{
	const model_vendor *mv;
	hist_version *v;

	if (!fresh || !w->seed || site != w->seed ||
	    !(mv = strmap_get(&w->seeded, slug)))
		return NULL;
	if (!(v = calloc(1, sizeof(*v))))
		abort();
	git_oid_cpy(&v->tree, tree);
	v->site = site;
	v->m = *site; /* an empty arena: nothing of it to free */
	memset(&v->m.arena, 0, sizeof(v->m.arena));
	v->m.vendors = NULL;
	v->m.n_vendors = 0;
	v->v = *mv;
	v->valid = 1;
	return v;
}

/* ---- sites ------------------------------------------------------------- */

static const model *hist_site_read(hist_walker *w, const git_oid *content)
{
	repo_snapshot snap;
	diag_list diags;
	model *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	memset(&snap, 0, sizeof(snap));
	diag_list_init(&diags);
	repo_read_subtree(&snap, w->r, content, "content", 0, &diags, w->err);
	buf_clear(w->err);
	model_load(m, &snap, 1, &diags);
	repo_snapshot_dispose(&snap);
	diag_list_dispose(&diags);
	if (w->n_sites == w->cap_sites) {
		w->cap_sites = w->cap_sites ? w->cap_sites * 2 : 8;
		w->sites = realloc(w->sites, w->cap_sites * sizeof(*w->sites));
		if (!w->sites)
			abort();
	}
	w->sites[w->n_sites++] = m;
	return m;
}

static const model *hist_site(hist_walker *w, hist_side *s)
{
	if (!s->site)
		s->site = s->has_content ? hist_site_read(w, &s->content)
					 : &w->empty_site;
	return s->site;
}

/* ---- trees ------------------------------------------------------------- */

static int hist_side_read(hist_walker *w, hist_side *s, const git_commit *c)
{
	const git_tree_entry *e;
	git_tree *root = NULL;

	memset(s, 0, sizeof(*s));
	if (!c)
		return 0;
	if (git_commit_tree(&root, c) < 0) {
		hist_git_error(w->err, "reading a commit's tree");
		return -1;
	}
	if ((e = git_tree_entry_byname(root, "content")) &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		s->has_content = 1;
		git_oid_cpy(&s->content, git_tree_entry_id(e));
	}
	if ((e = git_tree_entry_byname(root, "vendors")) &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		s->has_vendors = 1;
		git_oid_cpy(&s->vendors, git_tree_entry_id(e));
	}
	git_tree_free(root);
	return 0;
}

static void hist_side_dispose(hist_side *s)
{
	git_odb_object_free(s->vtree);
	htree_index_dispose(&s->ix);
	memset(s, 0, sizeof(*s));
}

static int hist_same(int has_a, const git_oid *a, int has_b, const git_oid *b)
{
	return has_a == has_b && (!has_a || git_oid_equal(a, b));
}

static int hist_vtree(hist_walker *w, hist_side *s, const char **data,
		      size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!s->has_vendors)
		return 0;
	if (!s->vtree && git_odb_read(&s->vtree, w->odb, &s->vendors) < 0) {
		hist_git_error(w->err, "reading vendors/");
		return -1;
	}
	*data = git_odb_object_data(s->vtree);
	*len = git_odb_object_size(s->vtree);
	return 0;
}

/* ---- comparing --------------------------------------------------------- */

static void hist_vendor_changed(hist_walker *w, const char *slug,
				const git_oid *old_id, const model *old_site,
				const git_oid *new_id, const model *new_site)
{
	int fresh = 0;
	hist_slot *slot = w->use_cache ? hist_slot_get(w, slug, &fresh) : NULL;
	hist_version *nv = NULL, *ov = NULL;

	if (new_id) {
		if (slot && slot->v && git_oid_equal(&slot->v->tree, new_id) &&
		    slot->v->site == new_site) {
			nv = slot->v;
		} else if (!(nv = hist_version_seeded(w, slug, new_id, new_site,
						      fresh))) {
			nv = hist_version_read(w, slug, new_id, new_site,
					       NULL);
		}
	}
	if (old_id)
		ov = hist_version_read(w, slug, old_id, old_site, nv);
	change_vendor(w->out, ov ? ov->site : NULL, ov ? &ov->v : NULL,
		      nv ? nv->site : NULL, nv ? &nv->v : NULL,
		      nv ? nv->valid : 1);
	/* Walking back in time, this commit's old version is the new
	 * version of the next older commit that changes the vendor. */
	if (slot) {
		if (slot->v && slot->v != nv)
			hist_version_free(slot->v);
		slot->v = ov;
		if (nv != ov)
			hist_version_free(nv);
	} else {
		hist_version_free(nv);
		hist_version_free(ov);
	}
}

/* The two sides a vendors/ comparison is between. */
typedef struct {
	hist_walker *w;
	hist_side *old, *new;
} hist_pair;

/* An entry of vendors/ differs: a vendor's subtree, when its name is
 * one (other entries are not the directory's). */
static void hist_entry_changed(void *arg, const htree_entry *old,
			       const htree_entry *new)
{
	const hist_pair *p = arg;
	const htree_entry *e = old && old->is_tree ? old : new;
	char slug[64];

	if (!e || !e->is_tree || !model_name_valid(e->name, e->len))
		return;
	memcpy(slug, e->name, e->len);
	slug[e->len] = '\0';
	hist_vendor_changed(p->w, slug, old && old->is_tree ? &old->id : NULL,
			    hist_site(p->w, p->old),
			    new && new->is_tree ? &new->id : NULL,
			    hist_site(p->w, p->new));
}

static int hist_vendors(hist_walker *w, hist_side *old, hist_side *new)
{
	hist_pair pair = { w, old, new };
	const char *a, *b;
	size_t alen, blen;

	if (hist_vtree(w, old, &a, &alen) < 0 ||
	    hist_vtree(w, new, &b, &blen) < 0)
		return -1;
	if (w->use_index && b && !new->ix.n)
		htree_index_build(&new->ix, b, blen);
	htree_diff(a, alen, &old->ix, b, blen, w->use_index ? &new->ix : NULL,
		   hist_entry_changed, &pair);
	return 0;
}

/* Appends the changes from old to new; returns 0 or -1. */
static int hist_compare(hist_walker *w, hist_side *old, hist_side *new)
{
	if (!hist_same(old->has_content, &old->content, new->has_content,
		       &new->content))
		change_site(w->out, hist_site(w, old), hist_site(w, new));
	if (!hist_same(old->has_vendors, &old->vendors, new->has_vendors,
		       &new->vendors))
		return hist_vendors(w, old, new);
	return 0;
}

static int hist_walker_init(hist_walker *w, repo *r, change_list *out,
			    buf *err)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->out = out;
	w->err = err;
	if (git_repository_odb(&w->odb, repo_git(r)) < 0) {
		hist_git_error(err, "opening the object database");
		return -1;
	}
	return 0;
}

static void hist_walker_dispose(hist_walker *w)
{
	size_t i;

	for (i = 0; i < w->cache.cap; i++)
		if (w->cache.keys[i])
			hist_version_free(((hist_slot *)w->cache.values[i])->v);
	strmap_dispose(&w->cache);
	strmap_dispose(&w->seeded);
	arena_dispose(&w->slugs);
	for (i = 0; i < w->n_sites; i++) {
		model_dispose(w->sites[i]);
		free(w->sites[i]);
	}
	free(w->sites);
	git_odb_free(w->odb);
}

/* The walk starts at the commit seed was loaded from: its content/ is
 * the seed, and so are the newest versions of its vendors. */
static void hist_walker_seed(hist_walker *w, hist_side *tip,
			     const model *seed)
{
	size_t i;

	w->seed = seed;
	tip->site = seed;
	for (i = 0; i < seed->n_vendors; i++)
		strmap_put(&w->seeded, seed->vendors[i].slug,
			   &seed->vendors[i]);
}

/* ---- the walk ---------------------------------------------------------- */

/* A new slot at the end of h->commits. */
static hist_commit *hist_commit_push(hist *h)
{
	if (h->n_commits == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->commits = realloc(h->commits, h->cap * sizeof(*h->commits));
		if (!h->commits)
			abort();
	}
	return &h->commits[h->n_commits++];
}

static void hist_record(hist *h, const git_commit *c, size_t first)
{
	const git_signature *author = git_commit_author(c);
	const char *subject = git_commit_summary((git_commit *)c);
	git_buf sig = { 0 };
	hist_commit *hc;

	hc = hist_commit_push(h);
	memset(hc, 0, sizeof(*hc));
	git_oid_tostr(hc->id, sizeof(hc->id), git_commit_id(c));
	hc->author = arena_strdup(&h->arena, author && author->name
						     ? author->name
						     : "unknown");
	hc->subject = arena_strdup(&h->arena, subject ? subject : "");
	hc->time = (int64_t)git_commit_time(c);
	hc->is_signed = git_commit_header_field(&sig, c, "gpgsig") == 0;
	git_buf_dispose(&sig);
	hc->is_merge = git_commit_parentcount(c) > 1;
	hc->first = first;
	hc->count = h->changes.len - first;
}

void hist_index(hist *h)
{
	size_t i, k;

	for (i = 0; i < h->n_commits; i++) {
		const hist_commit *hc = &h->commits[i];
		const char *last = NULL;
		hist_vendor *v = NULL;

		for (k = hc->first; k < hc->first + hc->count; k++) {
			const char *slug = h->changes.items[k].vendor;

			if (!slug) {
				last = NULL;
				continue;
			}
			if (last && !strcmp(last, slug)) {
				v->spans[v->len - 1].count++;
				continue;
			}
			last = slug;
			if (!(v = strmap_get(&h->vendors, slug))) {
				v = arena_alloc(&h->arena, sizeof(*v));
				strmap_put(&h->vendors, slug, v);
			}
			if (v->len == v->cap) {
				v->cap = v->cap ? v->cap * 2 : 8;
				v->spans = realloc(v->spans,
						   v->cap * sizeof(*v->spans));
				if (!v->spans)
					abort();
			}
			v->spans[v->len].commit = i;
			v->spans[v->len].first = k;
			v->spans[v->len].count = 1;
			v->len++;
		}
	}
}

/* One part of the walk: the commits ids[0, n) of the first-parent line
 * (newest first), each compared with its parent.  The first part is
 * walked by the calling process, the others by child processes. */
typedef struct {
	repo *r;
	const git_oid *ids;
	size_t n;
	hist h; /* its commits and changes */
	buf err;
	int rc;
	int forked; /* walked by a child process */
	pid_t pid;
	int fd;     /* the memory file the child writes to */
	const model *seed; /* the first part's: see hist_seed */
} hist_part;

/* What parts are written with, in hcache's format. */
static const char hist_part_id[] = "walk-part-of-this-process---------------";

static int hist_walk_part(hist_part *pt)
{
	hist *h = &pt->h;
	git_commit *c = NULL, *p = NULL;
	hist_side cur, par;
	hist_walker w;
	size_t i;
	int rc;

	memset(&cur, 0, sizeof(cur));
	memset(&par, 0, sizeof(par));
	if (git_commit_lookup(&c, repo_git(pt->r), &pt->ids[0]) < 0) {
		hist_git_error(&pt->err, "reading a commit");
		return -1;
	}
	if ((rc = hist_walker_init(&w, pt->r, &h->changes, &pt->err)) < 0)
		goto done;
	w.use_cache = 1;
	w.use_index = 1;
	if ((rc = hist_side_read(&w, &cur, c)) < 0)
		goto done;
	if (pt->seed && cur.has_content)
		hist_walker_seed(&w, &cur, pt->seed);
	for (i = 0; i < pt->n; i++) {
		size_t first = h->changes.len;

		h->walked++;
		if (git_commit_parentcount(c) &&
		    git_commit_parent(&p, c, 0) < 0) {
			hist_git_error(&pt->err, "reading a parent commit");
			rc = -1;
			goto done;
		}
		if (p && git_oid_equal(git_commit_tree_id(c),
				       git_commit_tree_id(p))) {
			/* Same tree: nothing changed; cur stays valid. */
			git_commit_free(c);
			c = p;
			p = NULL;
			continue;
		}
		if ((rc = hist_side_read(&w, &par, p)) < 0)
			goto done;
		if (hist_same(par.has_vendors, &par.vendors, cur.has_vendors,
			      &cur.vendors) && !par.vtree) {
			/* hand over the raw tree and its index */
			par.vtree = cur.vtree;
			par.ix = cur.ix;
			cur.vtree = NULL;
			memset(&cur.ix, 0, sizeof(cur.ix));
		}
		if (hist_same(par.has_content, &par.content, cur.has_content,
			      &cur.content))
			par.site = cur.site;
		if ((rc = hist_compare(&w, &par, &cur)) < 0)
			goto done;
		if (h->changes.len > first)
			hist_record(h, c, first);
		hist_side_dispose(&cur);
		cur = par;
		memset(&par, 0, sizeof(par));
		git_commit_free(c);
		c = p;
		p = NULL;
	}
	rc = 0;
done:
	hist_side_dispose(&cur);
	hist_side_dispose(&par);
	git_commit_free(c);
	git_commit_free(p);
	if (w.odb)
		hist_walker_dispose(&w);
	return rc;
}

/* The ids of the first-parent line from c, newest first, up to stop
 * (not included) when stop is on it: then *found is set. */
static int hist_line(git_oid **ids, size_t *n, git_commit *c,
		     const git_oid *stop, int *found, buf *err)
{
	git_commit *p = NULL;
	size_t cap = 0;
	int rc = 0;

	*ids = NULL;
	*n = 0;
	*found = 0;
	git_commit_dup(&c, c);
	while (c) {
		if (stop && git_oid_equal(git_commit_id(c), stop)) {
			*found = 1;
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			*ids = realloc(*ids, cap * sizeof(**ids));
			if (!*ids)
				abort();
		}
		git_oid_cpy(&(*ids)[(*n)++], git_commit_id(c));
		if (git_commit_parentcount(c) &&
		    git_commit_parent(&p, c, 0) < 0) {
			hist_git_error(err, "reading a parent commit");
			rc = -1;
		}
		git_commit_free(c);
		c = p;
		p = NULL;
	}
	git_commit_free(c);
	return rc;
}

/* How many parts to walk at once: as many as pages render on threads
 * (see pool.h), but one per 1,024 commits at most unless
 * TRUSTDIR_THREADS says otherwise: a short history is not worth a
 * second process. */
static size_t hist_parts(size_t n)
{
	const char *env = getenv(POOL_ENV);
	buf ignored = BUF_INIT;
	size_t t;

	if (pool_threads(&t, &ignored) < 0)
		t = 1;
	buf_dispose(&ignored);
	if (!(env && *env) && t > 1 + n / 1024)
		t = 1 + n / 1024;
	if (t > HIST_MAX_PARTS)
		t = HIST_MAX_PARTS;
	return t > n ? (n ? n : 1) : t;
}

static void hist_unindex(hist *h);

/* Bytes a history owns: malloc'd (map_len 0), or mapped. */
struct hist_blob {
	char *bytes;
	size_t map_len;
};

static void hist_own_blob(hist *h, char *bytes, size_t map_len)
{
	h->blobs = realloc(h->blobs, (h->n_blobs + 1) * sizeof(*h->blobs));
	if (!h->blobs)
		abort();
	h->blobs[h->n_blobs].bytes = bytes;
	h->blobs[h->n_blobs++].map_len = map_len;
}

/* Moves src's commits and changes behind h's; h's index is to be
 * rebuilt after. */
/* Makes room for n items before the len of *items (each size bytes),
 * moving them up: 0 bytes are copied to fresh memory. */
static void *hist_prepend(void *items, size_t len, size_t n, size_t size)
{
	char *p = realloc(items, (len + n + 1) * size);

	if (!p)
		abort();
	memmove(p + n * size, p, len * size);
	return p;
}

/* hist_join of a short history h (the commits since the cache) and a
 * long one src (the cache's 50,000): h's few items go in front of src's
 * arrays, which become h's, rather than src's being copied behind h's. */
static void hist_join_short(hist *h, hist *src)
{
	size_t nc = h->n_commits, nch = h->changes.len, i;

	src->commits = hist_prepend(src->commits, src->n_commits, nc,
				    sizeof(*src->commits));
	if (nc)
		memcpy(src->commits, h->commits, nc * sizeof(*h->commits));
	for (i = nc; i < nc + src->n_commits; i++)
		src->commits[i].first += nch;
	src->changes.items = hist_prepend(src->changes.items, src->changes.len,
					  nch, sizeof(*src->changes.items));
	if (nch)
		memcpy(src->changes.items, h->changes.items,
		       nch * sizeof(*h->changes.items));
	free(h->commits);
	h->commits = src->commits;
	h->n_commits = h->cap = nc + src->n_commits;
	free(h->changes.items);
	h->changes.items = src->changes.items;
	h->changes.len = h->changes.cap = nch + src->changes.len;
	src->commits = NULL;
	src->n_commits = src->cap = 0;
	src->changes.items = NULL;
	src->changes.len = src->changes.cap = 0;
}

/* hist_join of src's commits and changes, copied behind h's. */
static void hist_join_copy(hist *h, hist *src)
{
	size_t base = h->changes.len, i;

	if (h->changes.len + src->changes.len > h->changes.cap) {
		h->changes.cap = h->changes.len + src->changes.len;
		h->changes.items = realloc(h->changes.items,
					   h->changes.cap *
						   sizeof(*h->changes.items));
		if (!h->changes.items)
			abort();
	}
	if (src->changes.len)
		memcpy(h->changes.items + base, src->changes.items,
		       src->changes.len * sizeof(*h->changes.items));
	h->changes.len += src->changes.len;
	for (i = 0; i < src->n_commits; i++) {
		hist_commit *hc = hist_commit_push(h);

		*hc = src->commits[i];
		hc->first += base;
	}
}

static void hist_join(hist *h, hist *src)
{
	size_t i;

	hist_unindex(src); /* its entries are in the arena that moves */
	if (h->n_commits < src->n_commits)
		hist_join_short(h, src);
	else
		hist_join_copy(h, src);
	arena_adopt(&h->changes.arena, &src->changes.arena);
	arena_adopt(&h->arena, &src->arena);
	h->walked += src->walked;
	for (i = 0; i < src->n_blobs; i++)
		hist_own_blob(h, src->blobs[i].bytes, src->blobs[i].map_len);
	free(src->blobs);
	src->blobs = NULL;
	src->n_blobs = 0;
}

void hist_own(hist *h, char *bytes)
{
	hist_own_blob(h, bytes, 0);
}

void hist_own_map(hist *h, char *bytes, size_t len)
{
	hist_own_blob(h, bytes, len);
}

int hist_walk(hist *h, repo *r, const char *rev, buf *err)
{
	return hist_walk_since(h, r, rev, NULL, err);
}

/* Cuts ids[0, n) into t parts of about the same cost, the first one
 * scaled by first_share.  A directory grows, and a newer commit's
 * vendors/ tree is larger: commit i (newest first) is counted as
 * 2n - i. */
static void hist_split(hist_part *parts, size_t t, const git_oid *ids,
		       size_t n, double first_share)
{
	double total = 2.0 * n * n - (double)n * (n - 1) / 2, acc = 0;
	size_t k = 0, i, start = 0;

	for (i = 0; i < n && k + 1 < t; i++) {
		acc += 2.0 * n - (double)i;
		if (acc >= total * (k ? 1.0 : first_share) * (double)(k + 1) /
				   (double)t) {
			parts[k].ids = ids + start;
			parts[k].n = i + 1 - start;
			start = i + 1;
			k++;
		}
	}
	for (; k < t; k++) {
		parts[k].ids = ids + start;
		parts[k].n = n - start;
		start = n;
	}
}

/* Starts a child process that walks pt and writes its history (in
 * hcache's format) into a memory file.  libgit2 keeps per-process
 * caches and locks: parts walked by threads slow each other down, by
 * processes they do not.  -1 when no child could be started. */
static int hist_part_start(hist_part *pt)
{
	pt->fd = memfd_create("trustdir-walk", MFD_CLOEXEC);
	if (pt->fd < 0)
		return -1;
	pt->pid = fork();
	if (pt->pid < 0) {
		close(pt->fd);
		pt->fd = -1;
		return -1;
	}
	if (pt->pid == 0) {
		buf b = BUF_INIT;
		int ok = hist_walk_part(pt) == 0;

		if (ok) {
			hcache_encode(&b, &pt->h, hist_part_id);
			ok = buf_write_fd(pt->fd, b.ptr, b.len) == 0;
		}
		/* The parent owns what the copy of its memory holds. */
		_exit(ok ? 0 : 1);
	}
	return 0;
}

/* Collects the history of a child's part; walks the part here instead
 * when the child did not deliver it, so that the result (or the error)
 * is the one a walk in one process gives. */
static void hist_part_finish(hist_part *pt)
{
	int status = 0;
	char *bytes = NULL;
	struct stat st;

	while (waitpid(pt->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    fstat(pt->fd, &st) == 0 && (bytes = malloc((size_t)st.st_size + 1)) &&
	    pread(pt->fd, bytes, (size_t)st.st_size, 0) == st.st_size &&
	    hcache_decode(&pt->h, bytes, (size_t)st.st_size, hist_part_id) == 0) {
		bytes = NULL;
		pt->rc = 0;
	} else {
		if (bytes)
			free(bytes);
		bytes = NULL;
		hist_dispose(&pt->h);
		change_list_init(&pt->h.changes);
		pt->rc = hist_walk_part(pt);
	}
	close(pt->fd);
	pt->fd = -1;
}

struct hist_job {
	hist_part parts[HIST_MAX_PARTS];
	size_t t;
	git_oid *ids;
	git_oid tip;
	hist *known; /* joined behind the new commits, or NULL */
};

int hist_begin(hist_job **out, repo *r, const char *rev, hist *known,
	       int busy, buf *err)
{
	hist_job *job = calloc(1, sizeof(*job));
	git_commit *c = NULL;
	size_t n = 0, k;
	int rc, found = 0;

	if (!job)
		abort();
	*out = NULL;
	if ((rc = repo_resolve(&c, r, rev, err)) < 0) {
		free(job);
		return rc;
	}
	git_oid_cpy(&job->tip, git_commit_id(c));
	rc = hist_line(&job->ids, &n, c,
		       known && known->has_tip ? &known->tip : NULL, &found,
		       err);
	git_commit_free(c);
	if (rc < 0) {
		free(job->ids);
		free(job);
		return rc;
	}
	job->known = found ? known : NULL;
	/* Each part starts where the one before stops; a commit's changes
	 * depend only on it and its parent, so the parts join into the
	 * same history whatever their number. */
	job->t = n ? hist_parts(n) : 0;
	/* Parts of equal weight, but for a caller busy until hist_end (a
	 * build reads the content meanwhile, about a seventh of a walk)
	 * whose hist_seed then saves it about as much: its part is a
	 * little lighter.  At 10,000 vendors the two parts end together
	 * at 0.96; at 1.0 the child waited 0.3 s for the parent. */
	hist_split(job->parts, job->t, job->ids, n, busy ? 0.96 : 1.0);
	for (k = 0; k < job->t; k++) {
		hist_part *pt = &job->parts[k];

		buf_init(&pt->err);
		change_list_init(&pt->h.changes);
		pt->r = r;
		pt->fd = -1;
		git_oid_cpy(&pt->h.tip, &pt->ids[0]);
		pt->h.has_tip = 1;
	}
	fflush(NULL); /* nothing buffered is written twice */
	for (k = 1; k < job->t; k++)
		job->parts[k].forked = hist_part_start(&job->parts[k]) == 0;
	*out = job;
	return 0;
}

static void hist_job_free(hist_job *job)
{
	size_t k;

	for (k = 0; k < HIST_MAX_PARTS; k++) {
		buf_dispose(&job->parts[k].err);
		hist_dispose(&job->parts[k].h);
	}
	free(job->ids);
	free(job);
}

void hist_seed(hist_job *job, const model *m)
{
	char tip[GIT_OID_HEXSZ + 1];

	git_oid_tostr(tip, sizeof(tip), &job->tip);
	if (job->t && !strcmp(m->commit_id, tip))
		job->parts[0].seed = m;
}

int hist_end(hist *h, hist_job *job, buf *err)
{
	size_t k;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	change_list_init(&h->changes);
	git_oid_cpy(&h->tip, &job->tip);
	h->has_tip = 1;
	if (job->t)
		job->parts[0].rc = hist_walk_part(&job->parts[0]);
	for (k = 1; k < job->t; k++) {
		if (job->parts[k].forked)
			hist_part_finish(&job->parts[k]);
		else
			job->parts[k].rc = hist_walk_part(&job->parts[k]);
	}
	for (k = 0; k < job->t; k++) {
		if (job->parts[k].rc < 0) {
			buf_put(err, job->parts[k].err.ptr,
				job->parts[k].err.len);
			rc = -1;
			break;
		}
		hist_join(h, &job->parts[k].h);
	}
	h->fresh = h->walked;
	if (rc == 0 && job->known)
		hist_join(h, job->known);
	if (rc == 0)
		hist_index(h);
	hist_job_free(job);
	return rc;
}

void hist_abort(hist_job *job)
{
	size_t k;

	if (!job)
		return;
	for (k = 1; k < job->t; k++) {
		hist_part *pt = &job->parts[k];

		if (!pt->forked)
			continue;
		kill(pt->pid, SIGKILL);
		while (waitpid(pt->pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(pt->fd);
	}
	hist_job_free(job);
}

int hist_walk_since(hist *h, repo *r, const char *rev, hist *known,
		    buf *err)
{
	hist_job *job;
	int rc;

	memset(h, 0, sizeof(*h));
	change_list_init(&h->changes);
	if ((rc = hist_begin(&job, r, rev, known, 0, err)) < 0)
		return rc;
	return hist_end(h, job, err);
}

/* Drops the per-vendor index (its entries live in h's arena). */
static void hist_unindex(hist *h)
{
	size_t i;

	for (i = 0; i < h->vendors.cap; i++)
		if (h->vendors.keys[i])
			free(((hist_vendor *)h->vendors.values[i])->spans);
	strmap_dispose(&h->vendors);
}

void hist_dispose(hist *h)
{
	size_t i;

	hist_unindex(h);
	change_list_dispose(&h->changes);
	free(h->commits);
	arena_dispose(&h->arena);
	for (i = 0; i < h->n_blobs; i++) {
		if (h->blobs[i].map_len)
			bin_unmap(h->blobs[i].bytes, h->blobs[i].map_len);
		else
			free(h->blobs[i].bytes);
	}
	free(h->blobs);
	memset(h, 0, sizeof(*h));
}

const hist_vendor *hist_vendor_get(const hist *h, const char *slug)
{
	return strmap_get(&h->vendors, slug);
}

int hist_diff(change_list *out, repo *r, const char *base, const char *head,
	      buf *err)
{
	git_commit *a = NULL, *b = NULL;
	hist_side sa, sb;
	hist_walker w;
	int rc;

	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	memset(&w, 0, sizeof(w));
	if ((rc = repo_resolve(&a, r, base, err)) < 0 ||
	    (rc = repo_resolve(&b, r, head, err)) < 0)
		goto done;
	if ((rc = hist_walker_init(&w, r, out, err)) < 0 ||
	    (rc = hist_side_read(&w, &sa, a)) < 0 ||
	    (rc = hist_side_read(&w, &sb, b)) < 0)
		goto done;
	rc = hist_compare(&w, &sa, &sb);
done:
	hist_side_dispose(&sa);
	hist_side_dispose(&sb);
	if (w.odb)
		hist_walker_dispose(&w);
	git_commit_free(a);
	git_commit_free(b);
	return rc;
}
