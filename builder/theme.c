#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <sass.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	char *name;
	char *data;
	size_t len;
} theme_src;

struct theme {
	theme_src *src; /* default files, overridden by name */
	size_t n_src;
	tmpl_set *tmpl;
	theme_asset *assets;
	size_t n_assets;
	const char *css;
	int compiled;
};

static void *theme_xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	return p;
}

static char *theme_strndup(const char *s, size_t n)
{
	char *p = theme_xrealloc(NULL, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static theme_src *theme_find(const theme *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_src; i++)
		if (!strcmp(t->src[i].name, name))
			return &t->src[i];
	return NULL;
}

/* Adds a file, or replaces the data of the file of the same name. */
static void theme_put(theme *t, const char *name, char *data, size_t len)
{
	theme_src *s = theme_find(t, name);

	if (!s) {
		t->src = theme_xrealloc(t->src, (t->n_src + 1) * sizeof(*s));
		s = &t->src[t->n_src++];
		s->name = theme_strndup(name, strlen(name));
	} else {
		free(s->data);
	}
	s->data = data;
	s->len = len;
}

static int theme_src_cmp(const void *a, const void *b)
{
	return strcmp(((const theme_src *)a)->name,
		      ((const theme_src *)b)->name);
}

/* Reads every file of DIR/<folder> (regular files only: a symbolic link in a theme
 * is refused, like one in the content). */
static int theme_read_folder(theme *t, const char *dir, const char *folder,
			     buf *err)
{
	buf path = BUF_INIT, name = BUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	buf_printf(&path, "%s/%s", dir, folder);
	if (!(d = opendir(path.ptr))) {
		buf_dispose(&path);
		return errno == ENOENT ? 0 : -1;
	}
	while (rc == 0 && (de = readdir(d))) {
		struct stat st;
		FILE *f;
		char *data;
		size_t len;

		if (de->d_name[0] == '.')
			continue;
		buf_clear(&path);
		buf_printf(&path, "%s/%s/%s", dir, folder, de->d_name);
		if (lstat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_size > THEME_MAX_FILE_BYTES ||
		    t->n_src >= THEME_MAX_FILES) {
			buf_printf(err, "%s: a theme file must be a regular "
				   "file of at most 1 MiB (no symbolic links)",
				   path.ptr);
			rc = -1;
			break;
		}
		if (!(f = fopen(path.ptr, "rbe"))) {
			buf_printf(err, "%s: %s", path.ptr, strerror(errno));
			rc = -1;
			break;
		}
		data = theme_xrealloc(NULL, (size_t)st.st_size + 1);
		len = fread(data, 1, (size_t)st.st_size, f);
		data[len] = '\0';
		if (ferror(f)) {
			buf_printf(err, "%s: read error", path.ptr);
			rc = -1;
		}
		fclose(f);
		buf_clear(&name);
		buf_printf(&name, "%s/%s", folder, de->d_name);
		theme_put(t, name.ptr, data, len);
	}
	closedir(d);
	buf_dispose(&path);
	buf_dispose(&name);
	return rc;
}

static int theme_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int theme_parse_templates(theme *t, buf *err)
{
	char msg[512];
	size_t i;

	t->tmpl = tmpl_set_new();
	for (i = 0; i < t->n_src; i++) {
		const theme_src *s = &t->src[i];
		char *name;
		int rc;

		if (strncmp(s->name, "templates/", 10) ||
		    !theme_has_suffix(s->name, ".mustache"))
			continue;
		name = theme_strndup(s->name + 10,
				     strlen(s->name) - 10 - strlen(".mustache"));
		rc = tmpl_set_add(t->tmpl, name, s->data, s->len, msg,
				  sizeof(msg));
		free(name);
		if (rc < 0) {
			buf_printf(err, "theme: templates/%s", msg);
			return -1;
		}
	}
	return 0;
}

static void theme_add_asset(theme *t, const char *path, const char *data,
			    size_t len)
{
	theme_asset *a;

	t->assets = theme_xrealloc(t->assets,
				   (t->n_assets + 1) * sizeof(*t->assets));
	a = &t->assets[t->n_assets++];
	a->path = theme_strndup(path, strlen(path));
	a->data = theme_strndup(data, len);
	a->len = len;
}

/* "assets/style.css" -> "assets/style.1a2b3c4d.css": the name changes
 * with the content, so browsers may cache it for ever. */
static void theme_hashed_name(buf *out, const char *name, const char *data,
			      size_t len)
{
	char hex[GIT_OID_HEXSZ + 1];
	const char *dot = strrchr(name, '.');
	git_oid oid;

	git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	buf_put(out, name, (size_t)(dot - name));
	buf_printf(out, ".%.8s%s", hex, dot);
}

/* libsass asks here for every @import; answering from the theme's own
 * files keeps the compiler away from the file system. */
static Sass_Import_List theme_sass_import(const char *path,
					  Sass_Importer_Entry cb,
					  struct Sass_Compiler *comp)
{
	const theme *t = sass_importer_get_cookie(cb);
	static const char *const forms[] = { "scss/_%s.scss", "scss/%s.scss",
					     "scss/_%s", "scss/%s" };
	Sass_Import_List list = sass_make_import_list(1);
	const theme_src *s = NULL;
	buf name = BUF_INIT;
	size_t i;

	(void)comp;
	for (i = 0; i < 4 && !s && !strstr(path, ".."); i++) {
		buf_clear(&name);
		buf_printf(&name, forms[i], path);
		s = theme_find(t, name.ptr);
	}
	if (s) {
		list[0] = sass_make_import_entry(s->name,
						 theme_strndup(s->data, s->len),
						 NULL);
	} else {
		list[0] = sass_make_import_entry(path, NULL, NULL);
		sass_import_set_error(list[0], "no such stylesheet in the "
				      "theme's scss/ folder", 0, 0);
	}
	buf_dispose(&name);
	return list;
}

static int theme_compile_scss(theme *t, buf *err)
{
	const theme_src *main_scss = theme_find(t, "scss/main.scss");
	struct Sass_Data_Context *dctx;
	struct Sass_Context *ctx;
	struct Sass_Options *opts;
	Sass_Importer_List importers;
	buf name = BUF_INIT;
	const char *css;
	int rc = -1;

	if (!main_scss) {
		buf_puts(err, "theme: scss/main.scss is missing");
		return -1;
	}
	dctx = sass_make_data_context(theme_strndup(main_scss->data,
						    main_scss->len));
	ctx = sass_data_context_get_context(dctx);
	opts = sass_context_get_options(ctx);
	sass_option_set_output_style(opts, SASS_STYLE_COMPRESSED);
	sass_option_set_precision(opts, 5);
	sass_option_set_input_path(opts, "scss/main.scss");
	importers = sass_make_importer_list(1);
	sass_importer_set_list_entry(importers, 0,
				     sass_make_importer(theme_sass_import, 0,
							(void *)t));
	sass_option_set_c_importers(opts, importers);
	if (sass_compile_data_context(dctx) != 0) {
		buf_printf(err, "theme: %s",
			   sass_context_get_error_message(ctx));
		goto done;
	}
	css = sass_context_get_output_string(ctx);
	theme_hashed_name(&name, "assets/style.css", css, strlen(css));
	theme_add_asset(t, name.ptr, css, strlen(css));
	t->css = t->assets[t->n_assets - 1].path;
	rc = 0;
done:
	sass_delete_data_context(dctx);
	buf_dispose(&name);
	return rc;
}

static void theme_copy_assets(theme *t)
{
	buf name = BUF_INIT;
	size_t i;

	for (i = 0; i < t->n_src; i++) {
		const theme_src *s = &t->src[i];

		if (strncmp(s->name, "assets/", 7))
			continue;
		buf_clear(&name);
		if (theme_has_suffix(s->name, ".js"))
			theme_hashed_name(&name, s->name, s->data, s->len);
		else
			buf_puts(&name, s->name);
		theme_add_asset(t, name.ptr, s->data, s->len);
	}
	buf_dispose(&name);
}

int theme_read(theme **out, const char *override_dir, buf *err)
{
	static const char *const folders[] = { "templates", "scss", "assets" };
	const theme_file *f;
	theme *t = calloc(1, sizeof(*t));
	size_t i;

	*out = NULL;
	if (!t)
		abort();
	for (f = theme_default_files; f->name; f++)
		theme_put(t, f->name, theme_strndup(f->data, (size_t)f->len),
			  (size_t)f->len);
	for (i = 0; override_dir && i < 3; i++)
		if (theme_read_folder(t, override_dir, folders[i], err) < 0) {
			if (!err->len)
				buf_printf(err, "%s/%s: %s", override_dir,
					   folders[i], strerror(errno));
			theme_free(t);
			return -1;
		}
	qsort(t->src, t->n_src, sizeof(*t->src), theme_src_cmp);
	*out = t;
	return 0;
}

int theme_compile(theme *t, buf *err)
{
	if (t->compiled)
		return 0;
	if (t->tmpl || theme_parse_templates(t, err) < 0 ||
	    theme_compile_scss(t, err) < 0)
		return -1;
	theme_copy_assets(t);
	t->compiled = 1;
	return 0;
}

int theme_load(theme **out, const char *override_dir, buf *err)
{
	if (theme_read(out, override_dir, err) < 0)
		return -1;
	if (theme_compile(*out, err) < 0) {
		theme_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

void theme_free(theme *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n_src; i++) {
		free(t->src[i].name);
		free(t->src[i].data);
	}
	for (i = 0; i < t->n_assets; i++) {
		free(t->assets[i].path);
		free(t->assets[i].data);
	}
	free(t->src);
	free(t->assets);
	tmpl_set_free(t->tmpl);
	free(t);
}

const tmpl_set *theme_templates(const theme *t)
{
	return t->tmpl;
}

const theme_asset *theme_assets(const theme *t, size_t *n)
{
	*n = t->n_assets;
	return t->assets;
}

void theme_digest(const theme *t, buf *out)
{
	char hex[GIT_OID_HEXSZ + 1];
	buf all = BUF_INIT;
	git_oid oid;
	size_t i;

	for (i = 0; i < t->n_src; i++) {
		buf_printf(&all, "%s %zu\n", t->src[i].name, t->src[i].len);
		buf_put(&all, t->src[i].data, t->src[i].len);
	}
	git_odb_hash(&oid, all.ptr, all.len, GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	buf_puts(out, hex);
	buf_dispose(&all);
}

const char *theme_css(const theme *t)
{
	return t->css;
}

const char *theme_script(const theme *t, const char *name)
{
	size_t i, n = strlen(name);
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : n;

	for (i = 0; i < t->n_assets; i++) {
		const char *p = t->assets[i].path;

		if (!strncmp(p, "assets/", 7) && !strncmp(p + 7, name, stem) &&
		    p[7 + stem] == '.' && theme_has_suffix(p, ".js"))
			return p;
	}
	return NULL;
}
