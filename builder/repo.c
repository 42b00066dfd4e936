#include "repo.h"

#include "pool.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct repo {
	git_repository *git;
	git_odb *odb;
};

static const char *const repo_roots[] = { "content", "vendors" };

static void repo_git_error(buf *err, const char *what)
{
	const git_error *e = git_error_last();

	buf_printf(err, "%s: %s", what, e && e->message ? e->message
						      : "unknown error");
}

static void *repo_xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (!p) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void *repo_xmalloc(size_t n)
{
	return repo_xrealloc(NULL, n);
}

/* items (len of them, room for *cap, size bytes each) with room for
 * one more. */
static void *repo_grow(void *items, size_t len, size_t *cap, size_t size)
{
	if (len < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 256;
	return repo_xrealloc(items, *cap * size);
}

static char *repo_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(repo_xmalloc(n), s, n);
}

int repo_open(repo **out, const char *path, int search, buf *err)
{
	static const git_config_level_t levels[] = {
		GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
		GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA
	};
	git_repository *git = NULL;
	size_t i;

	*out = NULL;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "");
	/* git does not rehash objects it reads, and rehashing every
	 * 10,000-entry tree of a long history doubles the cost of a walk. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)16 << 20);
	if (git_repository_open_ext(&git, path,
				    search ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		buf_printf(err, "cannot open the repository at %s: ", path);
		repo_git_error(err, "libgit2");
		return -1;
	}
	*out = repo_xmalloc(sizeof(**out));
	(*out)->git = git;
	if (git_repository_odb(&(*out)->odb, git) < 0) {
		repo_git_error(err, "opening the object database");
		git_repository_free(git);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void repo_free(repo *r)
{
	if (!r)
		return;
	git_odb_free(r->odb);
	git_repository_free(r->git);
	free(r);
}

git_repository *repo_git(repo *r)
{
	return r->git;
}

int repo_resolve(git_commit **out, repo *r, const char *rev, buf *err)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	*out = NULL;
	if (git_revparse_single(&obj, r->git, rev) < 0) {
		buf_printf(err, "unknown revision '%s': ", rev);
		repo_git_error(err, "libgit2");
		return -2;
	}
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) {
		buf_printf(err, "revision '%s' does not name a commit", rev);
		return -2;
	}
	*out = (git_commit *)peeled;
	return 0;
}

static int repo_add(repo_snapshot *snap, const char *path, char *data,
		    size_t len, const git_oid *oid, diag_list *diags)
{
	repo_file *f;

	if (snap->len >= REPO_MAX_FILES) {
		if (snap->len == REPO_MAX_FILES)
			diag_add(diags, path, 0, 0,
				 "too many files: the content may hold at most "
				 "%d files", REPO_MAX_FILES);
		free(data);
		return -1;
	}
	snap->files = repo_grow(snap->files, snap->len, &snap->cap,
				sizeof(*snap->files));
	f = &snap->files[snap->len++];
	memset(f, 0, sizeof(*f));
	f->path = repo_xstrdup(path);
	f->data = data;
	f->len = len;
	git_oid_cpy(&f->oid, oid);
	return 0;
}

static void repo_too_big(diag_list *diags, const char *path, size_t len)
{
	diag_add(diags, path, 0, 0,
		 "file is %zu bytes; a content file may be at most %d bytes "
		 "(1 MiB)", len, REPO_MAX_FILE_BYTES);
}

/* Reads one blob into *data, checking its size from the object header
 * first so that a huge file is refused without being inflated: then
 * *data stays NULL and the error is in diags. */
static int repo_blob_data(repo *r, const char *path, const git_oid *oid,
			  char **data, size_t *out_len, diag_list *diags,
			  buf *err)
{
	git_odb_object *obj = NULL;
	git_object_t type;
	size_t len;

	*data = NULL;
	if (git_odb_read_header(&len, &type, r->odb, oid) < 0) {
		repo_git_error(err, path);
		return -1;
	}
	if (len > REPO_MAX_FILE_BYTES) {
		repo_too_big(diags, path, len);
		return 0;
	}
	if (git_odb_read(&obj, r->odb, oid) < 0) {
		repo_git_error(err, path);
		return -1;
	}
	len = git_odb_object_size(obj);
	*data = repo_xmalloc(len + 1);
	memcpy(*data, git_odb_object_data(obj), len);
	(*data)[len] = '\0';
	*out_len = len;
	git_odb_object_free(obj);
	return 0;
}

static int repo_read_blob(repo_snapshot *snap, repo *r, const char *path,
			  const git_oid *oid, diag_list *diags, buf *err)
{
	char *data;
	size_t len = 0;

	if (repo_blob_data(r, path, oid, &data, &len, diags, err) < 0)
		return -1;
	if (data)
		repo_add(snap, path, data, len, oid, diags);
	return 0;
}

int repo_file_load(repo *r, repo_file *f, diag_list *diags, buf *err)
{
	if (f->data)
		return 0;
	if (repo_blob_data(r, f->path, &f->oid, &f->data, &f->len, diags,
			   err) < 0)
		return -1;
	if (!f->data) { /* too big: an empty file, with the error kept */
		f->data = repo_xmalloc(1);
		f->data[0] = '\0';
		f->len = 0;
	}
	return 0;
}

static int repo_walk_tree(repo_snapshot *snap, repo *r, const git_tree *tree,
			  buf *path, int depth, int lazy, diag_list *diags,
			  buf *err);

/* Lists entry e of the directory at path[0, base) into snap. */
static int repo_walk_entry(repo_snapshot *snap, repo *r,
			   const git_tree_entry *e, buf *path, size_t base,
			   int depth, int lazy, diag_list *diags, buf *err)
{
	git_tree *sub = NULL;
	int rc = 0;

	buf_truncate(path, base);
	buf_putc(path, '/');
	buf_puts(path, git_tree_entry_name(e));
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_TREE:
		if (depth >= REPO_MAX_DEPTH) {
			diag_add(diags, path->ptr, 0, 0,
				 "unexpected directory: the content "
				 "is at most %d levels deep",
				 REPO_MAX_DEPTH);
			break;
		}
		if (git_tree_lookup(&sub, r->git, git_tree_entry_id(e)) < 0) {
			repo_git_error(err, path->ptr);
			rc = -1;
			break;
		}
		rc = repo_walk_tree(snap, r, sub, path, depth + 1, lazy, diags,
				    err);
		git_tree_free(sub);
		break;
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		if (lazy)
			repo_add(snap, path->ptr, NULL, 0,
				 git_tree_entry_id(e), diags);
		else
			rc = repo_read_blob(snap, r, path->ptr,
					    git_tree_entry_id(e), diags, err);
		break;
	case GIT_FILEMODE_LINK:
		diag_add(diags, path->ptr, 0, 0,
			 "symbolic links are not allowed in the "
			 "content; commit a regular file instead");
		break;
	case GIT_FILEMODE_COMMIT:
		diag_add(diags, path->ptr, 0, 0,
			 "submodules are not allowed in the content; "
			 "commit the files themselves");
		break;
	default:
		diag_add(diags, path->ptr, 0, 0, "unsupported tree entry");
		break;
	}
	buf_truncate(path, base);
	return rc;
}

static int repo_walk_tree(repo_snapshot *snap, repo *r, const git_tree *tree,
			  buf *path, int depth, int lazy, diag_list *diags,
			  buf *err)
{
	size_t i, n = git_tree_entrycount(tree), base = path->len;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = repo_walk_entry(snap, r, git_tree_entry_byindex(tree, i),
				     path, base, depth, lazy, diags, err);
	return rc;
}

static void repo_note_tree(repo_snapshot *snap, const char *path,
			   const git_oid *oid)
{
	snap->trees = repo_grow(snap->trees, snap->n_trees, &snap->cap_trees,
				sizeof(*snap->trees));
	snap->trees[snap->n_trees].path = repo_xstrdup(path);
	git_oid_cpy(&snap->trees[snap->n_trees++].oid, oid);
}

/* vendors/, whose directories the caller may list from what it knows
 * of their tree ids (repo_tree_fn). */
static int repo_walk_vendors(repo_snapshot *snap, repo *r,
			     const git_tree *tree, buf *path,
			     repo_tree_fn fn, void *arg, diag_list *diags,
			     buf *err)
{
	size_t i, n = git_tree_entrycount(tree), base = path->len;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);

		if (git_tree_entry_filemode(e) == GIT_FILEMODE_TREE) {
			int listed;

			buf_putc(path, '/');
			buf_puts(path, git_tree_entry_name(e));
			repo_note_tree(snap, path->ptr, git_tree_entry_id(e));
			listed = fn && fn(arg, snap, path->ptr,
					  git_tree_entry_id(e), diags);
			buf_truncate(path, base);
			if (listed)
				continue;
		}
		rc = repo_walk_entry(snap, r, e, path, base, 1, 1, diags, err);
	}
	return rc;
}

static int repo_path_cmp(const void *a, const void *b)
{
	return strcmp(((const repo_file *)a)->path,
		      ((const repo_file *)b)->path);
}

static void repo_sort(repo_snapshot *snap)
{
	if (snap->len)
		qsort(snap->files, snap->len, sizeof(*snap->files),
		      repo_path_cmp);
}

/* Files read per job when the blobs are read by several threads. */
#define REPO_LOAD_CHUNK 64

typedef struct {
	repo_snapshot *snap;
	repo **handles;    /* one per worker: [0] is the caller's */
	diag_list *diags;  /* one per chunk */
} repo_loader;

static int repo_load_chunk(void *arg, size_t worker, size_t i, buf *err)
{
	repo_loader *l = arg;
	size_t k = i * REPO_LOAD_CHUNK, end = k + REPO_LOAD_CHUNK;

	if (end > l->snap->len)
		end = l->snap->len;
	for (; k < end; k++) {
		repo_file *f = &l->snap->files[k];

		if (!f->data && !f->skipped &&
		    repo_blob_data(l->handles[worker], f->path, &f->oid,
				   &f->data, &f->len, &l->diags[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Reads the data of every file the tree walk listed, then drops the
 * files that were too big (their error is in diags).  libgit2 inflates
 * most of a build's first second; with threads > 1 the blobs are read
 * by that many threads, each through its own handle on the repository,
 * since a git_repository is not for two threads at once.  The errors
 * come out in path order whatever the number of threads. */
static int repo_load_files(repo_snapshot *snap, repo *r, size_t threads,
			   diag_list *diags, buf *err)
{
	size_t n = (snap->len + REPO_LOAD_CHUNK - 1) / REPO_LOAD_CHUNK, i, k;
	repo_loader l = { snap, NULL, NULL };
	int rc = 0;

	if (threads > n)
		threads = n;
	if (threads < 1)
		threads = 1;
	l.handles = repo_xmalloc(threads * sizeof(*l.handles));
	l.diags = repo_xmalloc((n + 1) * sizeof(*l.diags));
	l.handles[0] = r;
	for (i = 1; i < threads; i++)
		if (repo_open(&l.handles[i], git_repository_path(r->git), 0,
			      err) < 0)
			break;
	threads = i; /* fewer handles, fewer threads */
	buf_clear(err);
	for (i = 0; i < n; i++)
		diag_list_init(&l.diags[i]);
	rc = pool_for(threads, n, repo_load_chunk, &l, err);
	for (i = 0; i < n; i++)
		diag_list_append(diags, &l.diags[i]);
	for (i = 1; i < threads; i++)
		repo_free(l.handles[i]);
	free(l.handles);
	free(l.diags);
	for (i = k = 0; i < snap->len; i++) {
		if (snap->files[i].data || snap->files[i].skipped || rc < 0)
			snap->files[k++] = snap->files[i];
		else
			free(snap->files[i].path);
	}
	snap->len = k;
	return rc;
}

static int repo_tree_cmp(const void *a, const void *b)
{
	return strcmp(((const repo_tree *)a)->path,
		      ((const repo_tree *)b)->path);
}

/* content/site.json's data, for a skip or tree function to read; a
 * problem with it is reported once, when the files are loaded. */
static int repo_read_site(repo_snapshot *snap, repo *r, buf *err)
{
	repo_file *site;
	diag_list ignored;
	int rc = 0;

	repo_sort(snap);
	site = (repo_file *)repo_snapshot_find(snap, "content/site.json");
	diag_list_init(&ignored);
	if (site && !site->data &&
	    repo_blob_data(r, site->path, &site->oid, &site->data, &site->len,
			   &ignored, err) < 0)
		rc = -1;
	diag_list_dispose(&ignored);
	return rc;
}

static int repo_read_tree_with(repo_snapshot *snap, repo *r,
			       const git_tree *tree, size_t threads,
			       repo_skip_fn skip, repo_tree_fn tree_fn,
			       void *skip_arg, diag_list *diags, buf *err)
{
	buf path = BUF_INIT;
	size_t i;
	int rc = 0;

	/* content/ first: the vendors are read as content/site.json says */
	for (i = 0; i < 2 && rc == 0; i++) {
		const git_tree_entry *e =
			git_tree_entry_byname(tree, repo_roots[i]);
		git_tree *sub = NULL;

		if (!e)
			continue;
		buf_clear(&path);
		buf_puts(&path, repo_roots[i]);
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_TREE) {
			diag_add(diags, path.ptr, 0, 0,
				 "must be a directory");
			continue;
		}
		if (i == 1 && skip && (rc = repo_read_site(snap, r, err)) < 0)
			break;
		if (git_tree_lookup(&sub, r->git, git_tree_entry_id(e)) < 0) {
			repo_git_error(err, path.ptr);
			rc = -1;
			break;
		}
		rc = i == 1 && tree_fn
			     ? repo_walk_vendors(snap, r, sub, &path, tree_fn,
						 skip_arg, diags, err)
			     : repo_walk_tree(snap, r, sub, &path, 1, 1, diags,
					      err);
		git_tree_free(sub);
	}
	buf_dispose(&path);
	repo_sort(snap);
	if (snap->n_trees)
		qsort(snap->trees, snap->n_trees, sizeof(*snap->trees),
		      repo_tree_cmp);
	if (rc == 0 && skip && !snap->n_trees)
		rc = repo_read_site(snap, r, err); /* no vendors/ was walked */
	for (i = 0; rc == 0 && skip && i < snap->len; i++)
		snap->files[i].skipped = snap->files[i].skipped ||
					 (!snap->files[i].data &&
					  skip(skip_arg, snap, &snap->files[i]));
	if (rc == 0)
		rc = repo_load_files(snap, r, threads, diags, err);
	return rc;
}

int repo_read_tree(repo_snapshot *snap, repo *r, const git_tree *tree,
		   diag_list *diags, buf *err)
{
	return repo_read_tree_with(snap, r, tree, 1, NULL, NULL, NULL, diags,
				   err);
}

int repo_read_subtree(repo_snapshot *snap, repo *r, const git_oid *tree_id,
		      const char *prefix, int lazy, diag_list *diags,
		      buf *err)
{
	git_tree *tree = NULL;
	buf path = BUF_INIT;
	int rc, depth = 0;
	const char *p;

	if (git_tree_lookup(&tree, r->git, tree_id) < 0) {
		repo_git_error(err, prefix);
		return -1;
	}
	for (p = prefix; *p; p++)
		depth += *p == '/';
	buf_puts(&path, prefix);
	rc = repo_walk_tree(snap, r, tree, &path, depth + 1, lazy, diags, err);
	git_tree_free(tree);
	buf_dispose(&path);
	repo_sort(snap);
	return rc;
}

/* Reads a regular file of the working tree without following a
 * symbolic link at the last component (the caller has lstat'ed every
 * directory on the way down). */
static int repo_read_wt_file(repo_snapshot *snap, const char *abs,
			     const char *rel, size_t size, diag_list *diags,
			     buf *err)
{
	FILE *f;
	char *data;
	git_oid oid;
	size_t got;

	if (size > REPO_MAX_FILE_BYTES) {
		repo_too_big(diags, rel, size);
		return 0;
	}
	f = fopen(abs, "rbe");
	if (!f) {
		buf_printf(err, "%s: %s", rel, strerror(errno));
		return -1;
	}
	data = repo_xmalloc(size + 1);
	got = fread(data, 1, size + 1, f);
	if (ferror(f) || got > size) {
		buf_printf(err, "%s: changed while being read", rel);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	data[got] = '\0';
	git_odb_hash(&oid, data, got, GIT_OBJECT_BLOB);
	repo_add(snap, rel, data, got, &oid, diags);
	return 0;
}

static int repo_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int repo_walk_dir(repo_snapshot *snap, buf *abs, buf *rel, int depth,
			 diag_list *diags, buf *err)
{
	size_t abase = abs->len, rbase = rel->len, n = 0, cap = 0, i;
	char **names = NULL;
	struct dirent *de;
	DIR *d = opendir(abs->ptr);
	int rc = 0;

	if (!d) {
		buf_printf(err, "%s: %s", rel->ptr, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n++] = repo_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), repo_name_cmp);
	for (i = 0; i < n; i++) {
		struct stat st;

		buf_truncate(abs, abase);
		buf_truncate(rel, rbase);
		buf_printf(abs, "/%s", names[i]);
		buf_printf(rel, "/%s", names[i]);
		if (rc)
			continue;
		if (lstat(abs->ptr, &st) < 0) {
			buf_printf(err, "%s: %s", rel->ptr, strerror(errno));
			rc = -1;
		} else if (S_ISLNK(st.st_mode)) {
			diag_add(diags, rel->ptr, 0, 0,
				 "symbolic links are not allowed in the "
				 "content; use a regular file instead");
		} else if (S_ISDIR(st.st_mode) && depth >= REPO_MAX_DEPTH) {
			diag_add(diags, rel->ptr, 0, 0,
				 "unexpected directory: the content is at "
				 "most %d levels deep", REPO_MAX_DEPTH);
		} else if (S_ISDIR(st.st_mode)) {
			rc = repo_walk_dir(snap, abs, rel, depth + 1, diags,
					   err);
		} else if (S_ISREG(st.st_mode)) {
			rc = repo_read_wt_file(snap, abs->ptr, rel->ptr,
					       (size_t)st.st_size, diags, err);
		} else {
			diag_add(diags, rel->ptr, 0, 0,
				 "not a regular file");
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_truncate(abs, abase);
	buf_truncate(rel, rbase);
	return rc;
}

static int repo_read_worktree(repo_snapshot *snap, repo *r,
			      diag_list *diags, buf *err)
{
	const char *wd = git_repository_workdir(r->git);
	buf abs = BUF_INIT, rel = BUF_INIT;
	size_t i;
	int rc = 0;

	if (!wd) {
		buf_puts(err, "--worktree: the repository is bare and has no "
			      "working tree");
		return -2;
	}
	for (i = 0; i < 2 && rc == 0; i++) {
		struct stat st;

		buf_clear(&abs);
		buf_clear(&rel);
		buf_printf(&abs, "%s%s", wd, repo_roots[i]);
		buf_puts(&rel, repo_roots[i]);
		if (lstat(abs.ptr, &st) < 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			diag_add(diags, rel.ptr, 0, 0,
				 "must be a directory, not a symbolic link "
				 "or a file");
			continue;
		}
		rc = repo_walk_dir(snap, &abs, &rel, 1, diags, err);
	}
	buf_dispose(&abs);
	buf_dispose(&rel);
	repo_sort(snap);
	return rc;
}

static int repo_read_with(repo_snapshot *snap, repo *r, const char *rev,
			  int worktree, size_t threads, repo_skip_fn skip,
			  repo_tree_fn tree_fn, void *skip_arg,
			  diag_list *diags, buf *err)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int rc;

	memset(snap, 0, sizeof(*snap));
	if ((rc = repo_resolve(&commit, r, rev, err)) < 0)
		return rc;
	git_oid_tostr(snap->commit_id, sizeof(snap->commit_id),
		      git_commit_id(commit));
	snap->commit_time = (int64_t)git_commit_time(commit);
	if (worktree) {
		rc = repo_read_worktree(snap, r, diags, err);
	} else if (git_commit_tree(&tree, commit) < 0) {
		repo_git_error(err, "reading the commit's tree");
		rc = -1;
	} else {
		rc = repo_read_tree_with(snap, r, tree, threads, skip, tree_fn,
					 skip_arg, diags, err);
	}
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int repo_read(repo_snapshot *snap, repo *r, const char *rev, int worktree,
	      size_t threads, diag_list *diags, buf *err)
{
	return repo_read_with(snap, r, rev, worktree, threads, NULL, NULL, NULL,
			      diags, err);
}

int repo_read_skip(repo_snapshot *snap, repo *r, const char *rev,
		   size_t threads, repo_skip_fn skip, repo_tree_fn tree,
		   void *arg, diag_list *diags, buf *err)
{
	return repo_read_with(snap, r, rev, 0, threads, skip, tree, arg,
			      diags, err);
}

int repo_snapshot_add(repo_snapshot *snap, const char *path,
		      const git_oid *oid, diag_list *diags)
{
	if (repo_add(snap, path, NULL, 0, oid, diags) < 0)
		return -1;
	snap->files[snap->len - 1].skipped = 1;
	return 0;
}

const git_oid *repo_snapshot_tree(const repo_snapshot *snap,
				  const char *path)
{
	repo_tree key, *t;

	key.path = (char *)path;
	t = snap->n_trees ? bsearch(&key, snap->trees, snap->n_trees,
				    sizeof(*snap->trees), repo_tree_cmp)
			  : NULL;
	return t ? &t->oid : NULL;
}

void repo_snapshot_dispose(repo_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->len; i++) {
		free(snap->files[i].path);
		free(snap->files[i].data);
	}
	for (i = 0; i < snap->n_trees; i++)
		free(snap->trees[i].path);
	free(snap->files);
	free(snap->trees);
	memset(snap, 0, sizeof(*snap));
}

const repo_file *repo_snapshot_find(const repo_snapshot *snap,
				    const char *path)
{
	repo_file key;

	if (!snap->len)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, snap->files, snap->len, sizeof(*snap->files),
		       repo_path_cmp);
}
