#include "md.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "utf8.h"

/* The kinds of destination md_url_kind tells apart. */
enum md_url {
	MD_URL_RELATIVE,
	MD_URL_WEB,    /* http: or https: */
	MD_URL_MAILTO,
	MD_URL_OTHER   /* anything else: never published */
};

/* Tab, LF and CR are removed by browsers wherever they occur in a URL,
 * so they must not hide a scheme or a second slash from us. */
static int md_url_ignored(char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

static int md_url_slash(char c)
{
	return c == '/' || c == '\\';
}

static int md_url_kind(const char *url)
{
	const char *p = url, *q, *second;

	if (!url)
		return MD_URL_OTHER;
	/* Browsers skip leading C0 controls and spaces. */
	while (*p && (unsigned char)*p <= 0x20)
		p++;
	if (md_url_slash(*p)) {
		second = p + 1;
		while (md_url_ignored(*second))
			second++;
		/* "//host", and "/\host", which browsers read alike. */
		if (md_url_slash(*second))
			return MD_URL_OTHER;
	}
	/* A colon before any '/', '?' or '#' ends a scheme. */
	q = p + strcspn(p, ":/?#");
	if (*q != ':')
		return MD_URL_RELATIVE;
	if ((q - p == 4 && !strncasecmp(p, "http", 4)) ||
	    (q - p == 5 && !strncasecmp(p, "https", 5)))
		return MD_URL_WEB;
	if (q - p == 6 && !strncasecmp(p, "mailto", 6))
		return MD_URL_MAILTO;
	return MD_URL_OTHER;
}

int md_url_allowed(const char *url)
{
	return md_url_kind(url) != MD_URL_OTHER;
}

/* Plain text */

/* Appends the text of the inlines under `root`: what a screen reader
 * would say, without raw HTML. */
static void md_plain(buf *out, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	cmark_node *n;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static int md_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Every run of whitespace one space, none at either end. */
static void md_collapse(buf *b)
{
	size_t i, o = 0;
	int space = 0;

	for (i = 0; i < b->len; i++) {
		if (md_space(b->ptr[i])) {
			space = 1;
			continue;
		}
		if (space && o)
			b->ptr[o++] = ' ';
		space = 0;
		b->ptr[o++] = b->ptr[i];
	}
	buf_truncate(b, o);
}

/* Filtering */

/* The nodes a pass over the tree picked out, in document order. */
typedef struct {
	cmark_node **node;
	unsigned char *in_link; /* for images: inside a link */
	size_t len, cap;
} md_list;

static void md_list_dispose(md_list *l)
{
	free(l->node);
	free(l->in_link);
	memset(l, 0, sizeof(*l));
}

static int md_list_add(md_list *l, cmark_node *n, int in_link)
{
	void *p;

	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		if (!(p = realloc(l->node, l->cap * sizeof(*l->node))))
			return -1;
		l->node = p;
		if (!(p = realloc(l->in_link, l->cap)))
			return -1;
		l->in_link = p;
	}
	l->node[l->len] = n;
	l->in_link[l->len++] = (unsigned char)(in_link > 0);
	return 0;
}

/*
 * Picks out what md_filter acts on and the headings.  The tree is only
 * read here: cmark's iterator does not survive changes to the nodes
 * around it, so changes wait for the list.
 */
static int md_collect(cmark_node *doc, md_list *unsafe, md_list *headings)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n;
	int links = 0, rc = 0;

	while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
			links += ev == CMARK_EVENT_ENTER ? 1 : -1;
			/* fall through */
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
		case CMARK_NODE_IMAGE:
			if (ev == CMARK_EVENT_ENTER)
				rc = md_list_add(unsafe, n, links);
			break;
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_ENTER)
				rc = md_list_add(headings, n, 0);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

/* Replaces `node` by its children. */
static void md_unwrap(cmark_node *node)
{
	cmark_node *c;

	while ((c = cmark_node_first_child(node)) != NULL)
		if (!cmark_node_insert_before(node, c))
			break;
	cmark_node_free(node);
}

/* Replaces `node` by `repl` (a new node, or NULL to remove it). */
static void md_replace(cmark_node *node, cmark_node *repl)
{
	if (repl && !cmark_node_insert_before(node, repl))
		cmark_node_free(repl);
	cmark_node_free(node);
}

static cmark_node *md_text(const char *s)
{
	cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);

	cmark_node_set_literal(t, s);
	return t;
}

/* An image that would load from another host (or not at all). */
static void md_image(cmark_node *img, int in_link)
{
	const char *url = cmark_node_get_url(img);
	buf alt = BUF_INIT;
	cmark_node *link;
	int kind = md_url_kind(url);

	if (kind == MD_URL_RELATIVE)
		return;
	md_plain(&alt, img);
	if (kind == MD_URL_WEB && !in_link) {
		link = cmark_node_new(CMARK_NODE_LINK);
		cmark_node_set_url(link, url);
		cmark_node_set_title(link, cmark_node_get_title(img));
		/* A link must have text to be seen and followed. */
		cmark_node_append_child(link, md_text(alt.len ? alt.ptr : url));
		md_replace(img, link);
	} else {
		md_replace(img, alt.len ? md_text(alt.ptr) : NULL);
	}
	buf_dispose(&alt);
}

/*
 * Works from the end of the list back, so that every node is handled
 * before the node that contains it: when a link is unwrapped or an
 * image replaced, what was inside it has been dealt with already, and
 * no node on the list is freed before its turn.
 */
static void md_filter(md_list *unsafe)
{
	cmark_node *n;
	size_t i;

	for (i = unsafe->len; i-- > 0;) {
		n = unsafe->node[i];
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
			if (!md_url_allowed(cmark_node_get_url(n)))
				md_unwrap(n);
			break;
		case CMARK_NODE_IMAGE:
			md_image(n, unsafe->in_link[i]);
			break;
		default:
			/* Raw HTML, and custom nodes, which render raw. */
			cmark_node_free(n);
			break;
		}
	}
}

/* Heading ids */

/* The slugs used in one document, each with the next suffix to try
 * when it comes again: open addressing, so that a hostile document
 * with 100,000 equal headings costs linear time. */
typedef struct {
	char **key;
	unsigned *next;
	size_t cap, len;
} md_slugs;

static size_t md_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot of `key`, or of the empty slot where it would go. */
static size_t md_slugs_slot(const md_slugs *set, const char *key)
{
	size_t i = md_hash(key) & (set->cap - 1);

	while (set->key[i] && strcmp(set->key[i], key) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static int md_slugs_grow(md_slugs *set)
{
	md_slugs bigger;
	size_t i, j;

	bigger.cap = set->cap ? set->cap * 2 : 64;
	bigger.len = set->len;
	bigger.key = calloc(bigger.cap, sizeof(*bigger.key));
	bigger.next = calloc(bigger.cap, sizeof(*bigger.next));
	if (!bigger.key || !bigger.next) {
		free(bigger.key);
		free(bigger.next);
		return -1;
	}
	for (i = 0; i < set->cap; i++) {
		if (!set->key[i])
			continue;
		j = md_slugs_slot(&bigger, set->key[i]);
		bigger.key[j] = set->key[i];
		bigger.next[j] = set->next[i];
	}
	free(set->key);
	free(set->next);
	*set = bigger;
	return 0;
}

static void md_slugs_dispose(md_slugs *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->key[i]);
	free(set->key);
	free(set->next);
	memset(set, 0, sizeof(*set));
}

/* Adds `key`, known to be absent; returns its slot or SIZE_MAX. */
static size_t md_slugs_add(md_slugs *set, const char *key)
{
	size_t i;

	if ((set->len + 1) * 2 > set->cap && md_slugs_grow(set) < 0)
		return SIZE_MAX;
	i = md_slugs_slot(set, key);
	if (!(set->key[i] = strdup(key)))
		return SIZE_MAX;
	set->next[i] = 2;
	set->len++;
	return i;
}

static int md_slugs_has(const md_slugs *set, const char *key)
{
	return set->cap && set->key[md_slugs_slot(set, key)] != NULL;
}

/* The slug of `text`, as md.h describes it. */
static void md_slug(buf *out, const char *text)
{
	const unsigned char *p;
	int dash = 0;

	for (p = (const unsigned char *)text; *p; p++) {
		if (*p >= 0x80)
			continue;
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z')) {
			if (dash && out->len)
				buf_putc(out, '-');
			dash = 0;
			buf_putc(out, (char)(*p | 0x20));
		} else {
			dash = 1;
		}
	}
	if (!out->len)
		buf_puts(out, "section");
}

/* Makes `slug` unique in `set` and records it. */
static int md_slug_unique(md_slugs *set, buf *slug)
{
	buf cand = BUF_INIT;
	size_t base;
	int rc = -1;

	if (!md_slugs_has(set, slug->ptr)) {
		rc = md_slugs_add(set, slug->ptr) == SIZE_MAX ? -1 : 0;
		goto done;
	}
	base = md_slugs_slot(set, slug->ptr);
	do {
		buf_clear(&cand);
		buf_printf(&cand, "%s-%u", slug->ptr, set->next[base]++);
	} while (md_slugs_has(set, cand.ptr));
	if (md_slugs_add(set, cand.ptr) == SIZE_MAX)
		goto done;
	buf_clear(slug);
	buf_put(slug, cand.ptr, cand.len);
	rc = 0;
done:
	buf_dispose(&cand);
	return rc;
}

/*
 * Replaces a heading by an HTML block of the same heading with an id.
 * cmark renders the heading's inlines (escaped, URLs already
 * filtered); only the opening tag is rewritten.
 */
static int md_heading(cmark_node *h, const md_options *opt, md_slugs *set,
		      int *prev)
{
	buf text = BUF_INIT, slug = BUF_INIT;
	cmark_node *block;
	char *inner = NULL;
	size_t n;
	int level = cmark_node_get_heading_level(h), rc = -1;

	/* Shifted under the page's own headings, and never more than one
	 * level below the heading before it: a summary that starts with
	 * "###" must not leave the page's outline with a gap. */
	level += opt ? opt->heading_shift : 0;
	if (level > *prev + 1)
		level = *prev + 1;
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	*prev = level;
	md_plain(&text, h);
	md_collapse(&text);
	md_slug(&slug, text.ptr);
	if (md_slug_unique(set, &slug) < 0)
		goto done;
	cmark_node_set_heading_level(h, level);
	if (!(inner = cmark_render_html(h, CMARK_OPT_UNSAFE)))
		goto done;
	/* "<hN>" inlines "</hN>\n" */
	n = strlen(inner);
	if (n < 10 || strncmp(inner, "<h", 2) != 0 || inner[3] != '>' ||
	    strncmp(inner + n - 6, "</h", 3) != 0)
		goto done;
	buf_clear(&text);
	buf_printf(&text, "<h%d id=\"%s\">", level, slug.ptr);
	buf_put(&text, inner + 4, n - 10);
	buf_printf(&text, "</h%d>", level);
	block = cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(block, text.ptr);
	md_replace(h, block);
	rc = 0;
done:
	free(inner);
	buf_dispose(&text);
	buf_dispose(&slug);
	return rc;
}

/* Removes a leading level-1 heading, its plain text into *title. */
static void md_take_title(cmark_node *doc, md_list *headings, char **title)
{
	cmark_node *h = cmark_node_first_child(doc);
	buf text = BUF_INIT;

	if (!h || cmark_node_get_type(h) != CMARK_NODE_HEADING ||
	    cmark_node_get_heading_level(h) != 1 || !headings->len)
		return;
	md_plain(&text, h);
	md_collapse(&text);
	*title = buf_detach(&text);
	/* It is the first heading of the document, so the first listed. */
	headings->node[0] = NULL;
	cmark_node_free(h);
}

/* 1 when text is one line of plain prose, which CommonMark makes one
 * paragraph of, whatever the options: no character that could start
 * markup anywhere (emphasis, code, links, HTML, entities, escapes), no
 * line break, no leading or trailing space (indentation, hard breaks),
 * and nothing at the start that opens a block (lists, quotes,
 * headings, breaks).  Most findings are such one-line sentences, and
 * every page and API file that shows them renders them again. */
static int md_is_plain(const char *text, size_t len)
{
	static const char markup[] = "\\`*_[]<>&!#~|";
	size_t i;

	if (!len || text[0] == ' ' || text[len - 1] == ' ' ||
	    strchr("-+=>", text[0]) || (text[0] >= '0' && text[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == 0x7F || memchr(markup, c, sizeof(markup) - 1))
			return 0;
	}
	return utf8_validate(text, len, NULL) == 0;
}

int md_render(buf *out, const char *text, size_t len, const md_options *opt,
	      char **title)
{
	md_list unsafe = { 0 }, headings = { 0 };
	md_slugs slugs = { 0 };
	int prev = opt ? opt->heading_shift : 0;
	cmark_node *doc = NULL;
	char *html = NULL, *got_title = NULL;
	size_t i;
	int rc = -1;

	if (title)
		*title = NULL;
	if (md_is_plain(text, len)) {
		/* What cmark makes of it: escaped as cmark escapes text. */
		buf_puts(out, "<p>");
		for (i = 0; i < len; i++) {
			if (text[i] == '"')
				buf_puts(out, "&quot;");
			else
				buf_putc(out, text[i]);
		}
		buf_puts(out, "</p>\n");
		return 0;
	}
	if (!(doc = cmark_parse_document(text, len, CMARK_OPT_VALIDATE_UTF8)))
		goto done;
	if (md_collect(doc, &unsafe, &headings) < 0)
		goto done;
	md_filter(&unsafe);
	if (opt && opt->take_title)
		md_take_title(doc, &headings, &got_title);
	for (i = 0; i < headings.len; i++) {
		if (headings.node[i] &&
		    md_heading(headings.node[i], opt, &slugs, &prev) < 0)
			goto done;
	}
	/* Safe: every node of the document's own HTML was removed above;
	 * the only raw HTML left is the headings built here. */
	if (!(html = cmark_render_html(doc, CMARK_OPT_UNSAFE)))
		goto done;
	buf_puts(out, html);
	if (title) {
		*title = got_title;
		got_title = NULL;
	}
	rc = 0;
done:
	free(html);
	free(got_title);
	md_slugs_dispose(&slugs);
	md_list_dispose(&unsafe);
	md_list_dispose(&headings);
	cmark_node_free(doc);
	return rc;
}

/* Excerpts */

/* Byte length of the first `n` code points of s (or all of it). */
static size_t md_cp_bytes(const char *s, size_t len, size_t n)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n-- == 0)
			break;
	return i;
}

static size_t md_cp_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Cuts b to at most max code points, "…" included, at a space. */
static void md_cut(buf *b, size_t max)
{
	size_t cut;

	if (md_cp_count(b->ptr, b->len) <= max)
		return;
	if (max == 0) {
		buf_clear(b);
		return;
	}
	cut = md_cp_bytes(b->ptr, b->len, max - 1);
	/* Unless the cut falls just before a space, go back to one. */
	if (b->ptr[cut] != ' ') {
		size_t at = cut;

		while (at > 0 && b->ptr[at - 1] != ' ')
			at--;
		if (at > 0)
			cut = at;
	}
	while (cut > 0 && strchr(" ,;:", b->ptr[cut - 1]))
		cut--;
	buf_truncate(b, cut);
	buf_puts(b, "…");
}

char *md_excerpt(const char *text, size_t len, size_t max_chars)
{
	buf out = BUF_INIT;
	cmark_node *doc, *n;
	cmark_iter *it;
	cmark_event_type ev;

	if (!(doc = cmark_parse_document(text, len, CMARK_OPT_VALIDATE_UTF8)))
		return NULL;
	it = cmark_iter_new(doc);
	while (!out.len && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
			continue;
		md_plain(&out, n);
		md_collapse(&out);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	md_cut(&out, max_chars);
	return buf_detach(&out);
}
