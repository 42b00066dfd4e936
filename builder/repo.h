/*
 * repo: the content of one commit (or of the working tree), read
 * through libgit2.
 *
 * Only the two content roots, content/ and vendors/, are read.  Every
 * regular file under them becomes a repo_file; symbolic links,
 * submodules, oversized files and too many files are content errors
 * added to the diag_list, never followed or read.
 */
#ifndef TRUSTDIR_REPO_H
#define TRUSTDIR_REPO_H

#include <git2.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

#define REPO_MAX_FILE_BYTES (1024 * 1024)
#define REPO_MAX_FILES 500000
#define REPO_MAX_DEPTH 4 /* vendors/<slug>/assessments/<id>.json */

typedef struct {
	char *path;  /* "vendors/acme/profile.json" */
	char *data;  /* contents, NUL-terminated */
	size_t len;
	git_oid oid; /* blob id (hashed, in working-tree mode) */
	int skipped; /* data left unread: repo_read_skip's skip said so */
} repo_file;

/* A directory of the commit whose files were listed, by its tree id. */
typedef struct {
	char *path;  /* "vendors/acme" */
	git_oid oid;
} repo_tree;

typedef struct {
	repo_file *files; /* sorted by path, bytewise */
	size_t len, cap;
	repo_tree *trees; /* each vendors/<name> of a commit, sorted */
	size_t n_trees, cap_trees;
	char commit_id[GIT_OID_HEXSZ + 1];
	int64_t commit_time; /* committer time, seconds since the epoch */
} repo_snapshot;

typedef struct repo repo;

/* Opens the repository at path.  With search set, parent directories
 * are searched as git does (for the default "."); otherwise path must
 * be the repository itself.  The user's global and system git
 * configuration is ignored, so output cannot depend on it.  On error
 * returns -1 with libgit2's message in err. */
int repo_open(repo **out, const char *path, int search, buf *err);
void repo_free(repo *r);
git_repository *repo_git(repo *r);

/* Resolves rev to a commit.  Returns 0; -2 when rev names no commit
 * (a usage error: the message says so); -1 on a repository error. */
int repo_resolve(git_commit **out, repo *r, const char *rev, buf *err);

/* Reads content/ and vendors/ from the commit that rev names, or from
 * the working tree when worktree is set (history and the commit time
 * still come from rev).  The commit's blobs are read by up to threads
 * threads; the snapshot and the errors are the same for any number.
 * Content problems go to diags; the return value is 0, or as
 * repo_resolve for a bad revision or I/O error. */
int repo_read(repo_snapshot *snap, repo *r, const char *rev, int worktree,
	      size_t threads, diag_list *diags, buf *err);
/* repo_read of a commit (not the working tree), leaving unread the data
 * of each file for which skip(arg, snap, file) says 1 once every path
 * and blob id is listed (the file's skipped is set, its data NULL). */
typedef int (*repo_skip_fn)(void *arg, const repo_snapshot *snap,
			    const repo_file *f);
/* And, once content/ is listed and content/site.json read, before each
 * directory vendors/<name> is listed: 1 when the caller listed its
 * files itself (repo_snapshot_add), as it knows them by the tree's id,
 * so that the 10,000 trees of a directory need not be read; the
 * directory is then not read. */
typedef int (*repo_tree_fn)(void *arg, repo_snapshot *snap,
			    const char *path, const git_oid *id,
			    diag_list *diags);
int repo_read_skip(repo_snapshot *snap, repo *r, const char *rev,
		   size_t threads, repo_skip_fn skip, repo_tree_fn tree,
		   void *arg, diag_list *diags, buf *err);
/* Lists a file at path with blob id oid, its data unread (skipped): 0,
 * or -1 past the content's limit on files (in diags). */
int repo_snapshot_add(repo_snapshot *snap, const char *path,
		      const git_oid *oid, diag_list *diags);
/* The tree id of the directory at path ("vendors/acme") as the commit
 * read has it, or NULL (not a vendor's, or a working tree). */
const git_oid *repo_snapshot_tree(const repo_snapshot *snap,
				  const char *path);
/* Reads the same roots from a tree (for history and diff). */
int repo_read_tree(repo_snapshot *snap, repo *r, const git_tree *tree,
		   diag_list *diags, buf *err);
/* Appends the files of the tree tree_id, as if it lay at prefix (e.g.
 * "vendors/acme"), to snap; the snapshot is sorted again.  With lazy
 * set, only paths and blob ids are read (data stays NULL) and
 * repo_file_load reads the data of the files that are needed. */
int repo_read_subtree(repo_snapshot *snap, repo *r, const git_oid *tree_id,
		      const char *prefix, int lazy, diag_list *diags,
		      buf *err);
int repo_file_load(repo *r, repo_file *f, diag_list *diags, buf *err);
void repo_snapshot_dispose(repo_snapshot *snap);
const repo_file *repo_snapshot_find(const repo_snapshot *snap,
				    const char *path);

#endif
