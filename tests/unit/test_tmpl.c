/*
 * tmpl beyond the Mustache spec: escaping of apostrophes, the limits that
 * turn hostile templates into errors, error positions, number formats,
 * and rendering one set many times and from several threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "harness.h"
#include "tmpl.h"

/* Renders src (as "main") with the JSON data; the output, or the error
 * message prefixed with "ERROR: ", in a static buffer. */
static const char *render_with(tmpl_set *set, const char *src,
			       const char *json)
{
	static char result[4096];
	cJSON *data = json ? cJSON_Parse(json) : NULL;
	buf out = BUF_INIT;
	char err[256];

	if (json && !data) {
		snprintf(result, sizeof(result), "BAD JSON: %s", json);
	} else if (tmpl_set_add(set, "main", src, strlen(src), err,
				sizeof(err)) < 0 ||
		   tmpl_render(set, "main", data, &out, err, sizeof(err)) < 0) {
		snprintf(result, sizeof(result), "ERROR: %s", err);
	} else {
		snprintf(result, sizeof(result), "%s", out.ptr);
	}
	buf_dispose(&out);
	cJSON_Delete(data);
	return result;
}

static const char *render1(const char *src, const char *json)
{
	tmpl_set *set = tmpl_set_new();
	const char *r = render_with(set, src, json);

	tmpl_set_free(set);
	return r;
}

static void add(tmpl_set *set, const char *name, const char *src)
{
	char err[256];

	OK(tmpl_set_add(set, name, src, strlen(src), err, sizeof(err)) == 0,
	   "adding %s: %s", name, err);
}

/* The error tmpl_set_add gives for src, added as "vendor.mustache". */
static const char *parse_error(const char *src)
{
	static char err[256];
	tmpl_set *set = tmpl_set_new();

	strcpy(err, "(no error)");
	if (tmpl_set_add(set, "vendor.mustache", src, strlen(src), err,
			 sizeof(err)) == 0)
		strcpy(err, "(no error)");
	tmpl_set_free(set);
	return err;
}

static void test_escaping(void)
{
	STR_EQ(render1("{{x}}", "{\"x\": \"it's <b>&\\\"\"}"),
	       "it&#39;s &lt;b&gt;&amp;&quot;", "escaped variable");
	STR_EQ(render1("{{{x}}}|{{&x}}", "{\"x\": \"it's <b>\"}"),
	       "it's <b>|it's <b>", "raw variables");
	STR_EQ(render1("{{#l}}{{.}}{{/l}}", "{\"l\": [\"'\", \"<\"]}"),
	       "&#39;&lt;", "implicit iterator is escaped too");
}

static void test_self_including_partial(void)
{
	tmpl_set *set = tmpl_set_new();
	buf out = BUF_INIT;
	char err[256] = "";
	int rc;

	add(set, "loop", "x{{>loop}}");
	buf_puts(&out, "before;");
	rc = tmpl_render(set, "loop", NULL, &out, err, sizeof(err));
	OK(rc == -1, "a self-including partial fails (rc %d)", rc);
	STR_EQ(err, "loop:1:2: partial \"loop\" nested more than 64 deep "
	       "(does it include itself?)", "depth error names the tag");
	STR_EQ(out.ptr, "before;", "a failed render leaves out as it was");

	add(set, "a", "{{>b}}");
	add(set, "b", "\n  {{<a}}{{/a}}");
	rc = tmpl_render(set, "b", NULL, &out, err, sizeof(err));
	OK(rc == -1, "partial and parent including each other fail");
	STR_EQ(err, "b:2:3: parent \"a\" nested more than 64 deep "
	       "(does it include itself?)", "depth error in a parent");
	buf_dispose(&out);
	tmpl_set_free(set);
}

static void test_recursion_within_limit(void)
{
	char json[4096] = "", *p = json;
	int i;

	/* A tree 60 deep renders: the limit is on nesting, not on calls. */
	for (i = 0; i < 60; i++)
		p += sprintf(p, "{\"n\": %d, \"kids\": [", i);
	for (i = 0; i < 60; i++)
		p += sprintf(p, "]}");
	{
		tmpl_set *set = tmpl_set_new();
		const char *r;

		add(set, "node", "{{n}}{{#kids}}({{>node}}){{/kids}}");
		r = render_with(set, "{{>node}}", json);
		OK(strncmp(r, "0(1(2(3(", 8) == 0, "deep tree renders: %.40s",
		   r);
		tmpl_set_free(set);
	}
}

static void test_parse_errors(void)
{
	STR_EQ(parse_error("<ul>\n  {{#items}}\n  <li>{{name}}</li>\n"),
	       "vendor.mustache:2:3: unclosed section \"items\"",
	       "unclosed section");
	STR_EQ(parse_error("{{<base}}\n{{$title}}x{{/base}}"),
	       "vendor.mustache:2:12: closing tag \"base\" does not match "
	       "block \"title\" opened at 2:1", "crossed tags");
	STR_EQ(parse_error("a {{/items}}"),
	       "vendor.mustache:1:3: closing tag \"items\" has no opening tag",
	       "closing tag alone");
	STR_EQ(parse_error("ok\nnot {{ok"),
	       "vendor.mustache:2:5: unclosed tag: no \"}}\" after \"{{\"",
	       "unclosed tag");
	STR_EQ(parse_error("{{{raw}}"),
	       "vendor.mustache:1:1: unclosed tag: no \"}}}\" after \"{{\"",
	       "unclosed triple mustache");
	STR_EQ(parse_error("{{ }}"), "vendor.mustache:1:1: empty tag",
	       "empty tag");
	STR_EQ(parse_error("{{a b}}"),
	       "vendor.mustache:1:1: tag name \"a b\" contains a space",
	       "space in name");
	STR_EQ(parse_error("{{a..b}}"),
	       "vendor.mustache:1:1: name \"a..b\" has an empty part between "
	       "dots", "empty part in dotted name");
	STR_EQ(parse_error("{{=<% =}}"),
	       "vendor.mustache:1:1: a set-delimiter tag takes two delimiters "
	       "without spaces or \"=\", as in {{=<% %>=}}", "one delimiter");
	STR_EQ(parse_error("{{=<% %>=}}\n<%#a%>"),
	       "vendor.mustache:2:1: unclosed section \"a\"",
	       "position after a delimiter change");
}

static void test_nesting_limit(void)
{
	char src[8192] = "", *p = src;
	int i;

	for (i = 0; i <= TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{#a}}");
	STR_EQ(parse_error(src),
	       "vendor.mustache:1:601: more than 100 sections, parents and "
	       "blocks inside each other", "nesting limit");
}

static void test_numbers(void)
{
	STR_EQ(render1("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
		       "{\"a\": 85, \"b\": 1.21, \"c\": 0.1, \"d\": -2.5, "
		       "\"e\": 1e21, \"f\": -0.0, \"g\": 123456789012, "
		       "\"h\": 0.30000000000000004}"),
	       "85 1.21 0.1 -2.5 1e+21 0 123456789012 0.30000000000000004",
	       "numbers print in their shortest exact form");
	STR_EQ(render1("{{t}} {{f}} [{{o}}] [{{l}}]",
		       "{\"t\": true, \"f\": false, \"o\": {\"x\": 1}, "
		       "\"l\": [1]}"),
	       "true false [] []", "booleans, objects and arrays");
}

static void test_truthiness(void)
{
	STR_EQ(render1("{{#s}}S{{/s}}{{^s}}no-s{{/s}} {{#z}}Z{{/z}} "
		       "{{#o}}O{{/o}}",
		       "{\"s\": \"\", \"z\": 0, \"o\": {}}"),
	       "no-s Z O", "empty string falsey; 0 and {} truthy");
}

static void test_render_twice(void)
{
	tmpl_set *set = tmpl_set_new();
	cJSON *data = cJSON_Parse("{\"items\": [{\"n\": \"a\"}, "
				  "{\"n\": \"b\"}]}");
	buf one = BUF_INIT, two = BUF_INIT;
	char err[256];

	add(set, "item", "<li>{{n}}</li>\n");
	add(set, "page", "<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n"
	    "</ul>\n");
	OK(tmpl_render(set, "page", data, &one, err, sizeof(err)) == 0,
	   "first render: %s", err);
	OK(tmpl_render(set, "page", data, &two, err, sizeof(err)) == 0,
	   "second render: %s", err);
	STR_EQ(one.ptr, "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n",
	       "first render");
	STR_EQ(two.ptr, one.ptr, "second render is the same");
	buf_dispose(&one);
	buf_dispose(&two);
	cJSON_Delete(data);
	tmpl_set_free(set);
}

/* A page view: shared rows (references to rows' items), its own root
 * and title.  The caller deletes it; rows outlive it. */
static cJSON *memo_page(const cJSON *rows, const char *root,
			const char *title)
{
	cJSON *page = cJSON_CreateObject(), *list = cJSON_CreateArray();
	const cJSON *r;

	cJSON_ArrayForEach(r, rows)
		cJSON_AddItemReferenceToArray(list, (cJSON *)r);
	cJSON_AddStringToObject(page, "root", root);
	if (title)
		cJSON_AddStringToObject(page, "title", title);
	cJSON_AddItemToObject(page, "rows", list);
	return page;
}

static const char *memo_render(const tmpl_set *set, const char *name,
			       const cJSON *view, tmpl_memo *memo)
{
	static char result[4096];
	buf out = BUF_INIT;
	char err[256];

	if (tmpl_render_memo(set, name, view, memo, &out, err,
			     sizeof(err)) < 0)
		snprintf(result, sizeof(result), "ERROR: %s", err);
	else
		snprintf(result, sizeof(result), "%s", out.ptr);
	buf_dispose(&out);
	return result;
}

/* The memo copies a shared row's pass only where the names it looked
 * up outside the row find equal values: the same output as without a
 * memo, page after page. */
static void test_memo(void)
{
	tmpl_set *set = tmpl_set_new();
	tmpl_memo *memo = tmpl_memo_new();
	cJSON *rows = cJSON_Parse("[{\"name\": \"Acme\", \"url\": \"a/\"},"
				  " {\"name\": \"Borealis\", \"url\": \"b/\"}]");
	const char *pages[][3] = {
		{ "../", NULL, "  <a href=\"../a/\">Acme</a>;\n  <a href=\"../b/\">Borealis</a>;\n" },
		{ "", NULL, "  <a href=\"a/\">Acme</a>;\n  <a href=\"b/\">Borealis</a>;\n" },
		{ "../", NULL, "  <a href=\"../a/\">Acme</a>;\n  <a href=\"../b/\">Borealis</a>;\n" },
		{ "../", "T", "  <a href=\"../a/\">Acme</a>T;\n  <a href=\"../b/\">Borealis</a>T;\n" },
		{ "../", NULL, "  <a href=\"../a/\">Acme</a>;\n  <a href=\"../b/\">Borealis</a>;\n" },
	};
	size_t i;
	cJSON *view;

	add(set, "row", "<a href=\"{{root}}{{url}}\">{{name}}</a>{{title}};\n");
	add(set, "page", "{{#rows}}\n  {{>row}}\n{{/rows}}\n");
	add(set, "flat", "{{#rows}}\n{{>row}}\n{{/rows}}\n");
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		view = memo_page(rows, pages[i][0], pages[i][1]);
		STR_EQ(memo_render(set, "page", view, memo), pages[i][2],
		       "page %zu with the memo", i);
		STR_EQ(memo_render(set, "page", view, NULL), pages[i][2],
		       "page %zu without", i);
		cJSON_Delete(view);
	}
	/* Another indentation is another pass. */
	view = memo_page(rows, "", NULL);
	STR_EQ(memo_render(set, "flat", view, memo),
	       "<a href=\"a/\">Acme</a>;\n<a href=\"b/\">Borealis</a>;\n",
	       "the same rows unindented");
	cJSON_Delete(view);
	/* A pass is copied, not rendered again: a name changed in place
	 * (which the memo's contract forbids) does not show. */
	cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0),
						 "name"), "Zeta");
	view = memo_page(rows, "", NULL);
	STR_EQ(memo_render(set, "page", view, memo),
	       "  <a href=\"a/\">Acme</a>;\n  <a href=\"b/\">Borealis</a>;\n",
	       "the remembered pass is what shows");
	STR_EQ(memo_render(set, "page", view, NULL),
	       "  <a href=\"a/\">Zeta</a>;\n  <a href=\"b/\">Borealis</a>;\n",
	       "without the memo the row renders");
	cJSON_Delete(view);
	/* Items that are not shared are never remembered. */
	view = cJSON_Parse("{\"root\": \"\", \"rows\": [{\"name\": \"Own\", \"url\": \"o/\"}]}");
	STR_EQ(memo_render(set, "page", view, memo), "  <a href=\"o/\">Own</a>;\n",
	       "an item of the view's own");
	cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetArrayItem(
		cJSON_GetObjectItem(view, "rows"), 0), "name"), "Own2");
	STR_EQ(memo_render(set, "page", view, memo), "  <a href=\"o/\">Own2</a>;\n",
	       "rendered again");
	cJSON_Delete(view);
	tmpl_memo_free(memo);
	cJSON_Delete(rows);
	tmpl_set_free(set);
}

/* Keyed items: stand-ins the caller keys.  A pass is rendered from the
 * real row (value) and kept; a later memo given the kept passes copies
 * them without asking for the row while the names they depend on hold,
 * and renders it again when one does not (another root), or when the
 * kept bytes are bad. */
typedef struct {
	cJSON *real[2];
	unsigned char key[2][TMPL_KEY_BYTES];
	buf kept[2];     /* what keep() was given */
	buf stored[2];   /* what stored() gives */
	int values;      /* calls of value() */
} keyed_rows;

static const char keyed_tag[] = "row";

static int keyed_item(void *arg, const cJSON *item, size_t *index,
		      const unsigned char **key)
{
	keyed_rows *k = arg;

	if (!item->child || item->child->string != keyed_tag)
		return 0;
	*index = (size_t)item->child->valueint;
	*key = k->key[*index];
	return 1;
}

static const cJSON *keyed_value(void *arg, size_t i)
{
	keyed_rows *k = arg;

	k->values++;
	return k->real[i];
}

static void keyed_stored(void *arg, size_t i, const char **bytes,
			 size_t *len)
{
	keyed_rows *k = arg;

	*bytes = k->stored[i].ptr;
	*len = k->stored[i].len;
}

static void keyed_keep(void *arg, size_t i, const char *bytes, size_t len)
{
	keyed_rows *k = arg;

	buf_put(&k->kept[i], bytes, len);
}

static const char *keyed_render(const tmpl_set *set, keyed_rows *k,
				cJSON *stand, const char *root)
{
	tmpl_keyed hooks = { keyed_item, keyed_value, keyed_stored,
			     keyed_keep, k };
	tmpl_memo *memo = tmpl_memo_new();
	cJSON *view = memo_page(stand, root, NULL);
	const char *out;

	tmpl_memo_keyed(memo, &hooks);
	out = memo_render(set, "page", view, memo);
	tmpl_memo_free(memo);
	cJSON_Delete(view);
	return out;
}

static void test_memo_keyed(void)
{
	tmpl_set *set = tmpl_set_new();
	keyed_rows k;
	cJSON *stand = cJSON_CreateArray();
	const char *both = "  <a href=\"../a/\">Acme</a>;\n  <a href=\"../b/\">Borealis</a>;\n";
	size_t i;

	memset(&k, 0, sizeof(k));
	k.real[0] = cJSON_Parse("{\"name\": \"Acme\", \"url\": \"a/\"}");
	k.real[1] = cJSON_Parse("{\"name\": \"Borealis\", \"url\": \"b/\"}");
	for (i = 0; i < 2; i++) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddItemToObjectCS(s, keyed_tag, cJSON_CreateNumber((double)i));
		cJSON_AddItemToArray(stand, s);
		memset(k.key[i], (int)i + 1, TMPL_KEY_BYTES);
	}
	add(set, "row", "<a href=\"{{root}}{{url}}\">{{name}}</a>{{title}};\n");
	add(set, "page", "{{#rows}}\n  {{>row}}\n{{/rows}}\n");

	STR_EQ(keyed_render(set, &k, stand, "../"), both, "rendered from the rows");
	OK(k.values == 2, "each row asked for once (%d)", k.values);
	OK(k.kept[0].len && k.kept[1].len, "and each pass kept");

	for (i = 0; i < 2; i++) {
		buf_put(&k.stored[i], k.kept[i].ptr, k.kept[i].len);
		buf_clear(&k.kept[i]);
	}
	k.values = 0;
	STR_EQ(keyed_render(set, &k, stand, "../"), both, "copied from the kept passes");
	OK(k.values == 0, "without asking for a row (%d)", k.values);
	OK(!k.kept[0].len && !k.kept[1].len, "nothing new to keep");

	STR_EQ(keyed_render(set, &k, stand, ""),
	       "  <a href=\"a/\">Acme</a>;\n  <a href=\"b/\">Borealis</a>;\n",
	       "another root is another pass");
	OK(k.values == 2, "rendered from the rows again (%d)", k.values);

	/* A kept pass cut short is not used; the other row's still is. */
	k.values = 0;
	k.stored[0].len /= 2;
	STR_EQ(keyed_render(set, &k, stand, "../"), both, "a bad kept pass is ignored");
	OK(k.values == 1, "and its row rendered (%d)", k.values);

	for (i = 0; i < 2; i++) {
		buf_dispose(&k.kept[i]);
		buf_dispose(&k.stored[i]);
		cJSON_Delete(k.real[i]);
	}
	cJSON_Delete(stand);
	tmpl_set_free(set);
}

typedef struct {
	const tmpl_set *set;
	const cJSON *data;
	buf out;
	int rc;
} job;

static void *render_job(void *arg)
{
	job *j = arg;
	char err[256];
	int i;

	for (i = 0; i < 200 && j->rc == 0; i++) {
		buf_clear(&j->out);
		j->rc = tmpl_render(j->set, "page", j->data, &j->out, err,
				    sizeof(err));
	}
	return NULL;
}

static void test_threads(void)
{
	tmpl_set *set = tmpl_set_new();
	cJSON *data = cJSON_Parse("{\"title\": \"T\", \"items\": [1, 2.5]}");
	job jobs[4];
	pthread_t th[4];
	int i;

	add(set, "base", "<h1>{{$title}}{{/title}}</h1>\n  {{$body}}\n"
	    "  {{/body}}\n");
	add(set, "page", "{{<base}}{{$title}}{{title}}{{/title}}{{$body}}\n"
	    "<p>{{#items}}{{.}};{{/items}}</p>\n{{/body}}{{/base}}\n");
	for (i = 0; i < 4; i++) {
		jobs[i] = (job){ set, data, BUF_INIT, 0 };
		OK(pthread_create(&th[i], NULL, render_job, &jobs[i]) == 0,
		   "thread %d starts", i);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		OK(jobs[i].rc == 0, "thread %d renders", i);
		STR_EQ(jobs[i].out.ptr, "<h1>T</h1>\n  <p>1;2.5;</p>\n",
		       "thread %d output", i);
		buf_dispose(&jobs[i].out);
	}
	cJSON_Delete(data);
	tmpl_set_free(set);
}

static void test_inheritance_extras(void)
{
	tmpl_set *set = tmpl_set_new();

	/* A block inside an argument, named like it, gets its own default
	 * instead of expanding the argument again without end. */
	add(set, "p", "[{{$a}}d{{/a}}]");
	STR_EQ(render_with(set, "{{<p}}{{$a}}x({{$a}}y{{/a}}){{/a}}{{/p}}",
			   NULL),
	       "[x(y)]", "self-named block in an argument");
	/* Blocks reach into partials of the parent. */
	add(set, "layout", "<h1>{{>head}}</h1>");
	add(set, "head", "{{$title}}default{{/title}}");
	STR_EQ(render_with(set, "{{<layout}}{{$title}}T{{/title}}{{/layout}}",
			   NULL),
	       "<h1>T</h1>", "argument reaches a partial of the parent");
	/* Standalone partials inside standalone partials indent twice. */
	add(set, "mid", "a\n  {{>leaf}}\n");
	add(set, "leaf", "b\nc\n");
	STR_EQ(render_with(set, "  {{>mid}}\nz\n", NULL),
	       "  a\n    b\n    c\nz\n", "indentation accumulates");
	tmpl_set_free(set);
}

static void test_set(void)
{
	tmpl_set *set = tmpl_set_new();
	buf out = BUF_INIT;
	char err[256], tiny[8];

	OK(!tmpl_set_has(set, "x"), "empty set has nothing");
	add(set, "x", "one");
	add(set, "x", "two");
	OK(tmpl_set_has(set, "x"), "set has x");
	OK(tmpl_set_add(set, "x", "{{#bad}}", 8, NULL, 0) == -1,
	   "syntax error without an error buffer");
	OK(tmpl_set_add(set, "x", "{{#bad}}", 8, tiny, sizeof(tiny)) == -1,
	   "syntax error with a tiny error buffer");
	STR_EQ(tiny, "x:1:1: ", "message is cut, and terminated");
	OK(tmpl_render(set, "x", NULL, &out, err, sizeof(err)) == 0,
	   "render x: %s", err);
	STR_EQ(out.ptr, "two", "a later add replaces; a failed one does not");
	OK(tmpl_render(set, "nope", NULL, &out, err, sizeof(err)) == -1,
	   "missing template fails");
	STR_EQ(err, "nope: no such template", "missing template message");
	STR_EQ(out.ptr, "two", "out unchanged after failure");
	STR_EQ(render_with(set, "[{{>missing}}]", NULL), "[]",
	       "missing partial renders nothing");
	buf_dispose(&out);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

int main(void)
{
	test_escaping();
	test_self_including_partial();
	test_recursion_within_limit();
	test_parse_errors();
	test_nesting_limit();
	test_numbers();
	test_truthiness();
	test_render_twice();
	test_memo();
	test_memo_keyed();
	test_threads();
	test_inheritance_extras();
	test_set();
	return harness_done("test_tmpl");
}
