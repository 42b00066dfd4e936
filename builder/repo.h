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

typedef struct {
	repo_file *files; /* sorted by path, bytewise */
	size_t len, cap;
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
int repo_read_skip(repo_snapshot *snap, repo *r, const char *rev,
		   size_t threads, repo_skip_fn skip, void *arg,
		   diag_list *diags, buf *err);
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
