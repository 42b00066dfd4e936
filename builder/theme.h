/*
 * theme: the templates, stylesheet and scripts a site is rendered with.
 *
 * The default theme is compiled into the binary (theme_default_files,
 * generated from themes/default/ by trustdir-embed).  --theme DIR
 * replaces any of its files by name with DIR's file of the same
 * relative path.  Templates are parsed once here; SCSS is compiled
 * with libsass once here, through an importer that only ever reads
 * theme files, never the file system.
 */
#ifndef TRUSTDIR_THEME_H
#define TRUSTDIR_THEME_H

#include <stddef.h>

#include "buf.h"
#include "tmpl.h"

#define THEME_MAX_FILE_BYTES (1024 * 1024)
#define THEME_MAX_FILES 1000

typedef struct {
	const char *name; /* "templates/base.mustache" */
	const char *data;
	int len;
} theme_file;

/* Generated at build time, ended by an entry whose name is NULL. */
extern const theme_file theme_default_files[];

typedef struct {
	char *path; /* where it goes in the site: "assets/style.1a2b3c4d.css" */
	char *data;
	size_t len;
} theme_asset;

typedef struct theme theme;

/* Loads the default theme, overridden by override_dir unless NULL.
 * 0, or -1 with the reason (file, line and column for a template or
 * stylesheet error) in err. */
int theme_load(theme **out, const char *override_dir, buf *err);
/* theme_load in two steps: theme_read reads the files (enough for
 * theme_digest), theme_compile parses the templates and compiles the
 * stylesheet (once; 0 at once the second time). */
int theme_read(theme **out, const char *override_dir, buf *err);
int theme_compile(theme *t, buf *err);
void theme_free(theme *t);
const tmpl_set *theme_templates(const theme *t);
const theme_asset *theme_assets(const theme *t, size_t *n);
/* The site path of the compiled stylesheet, or of the hashed script
 * made from assets/<name> (NULL when there is none). */
const char *theme_css(const theme *t);
/* Appends the hex digest of every file of the theme (names and
 * contents), defaults and overrides alike. */
void theme_digest(const theme *t, buf *out);
const char *theme_script(const theme *t, const char *name);

#endif
