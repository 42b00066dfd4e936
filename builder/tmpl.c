/*
 * tmpl: a Mustache engine over cJSON values.
 *
 * Adding a template runs four passes over its source:
 *   1. lex:        split it into text and tags, following {{=...=}};
 *   2. match:      pair every opening tag with its closing tag;
 *   3. standalone: let tags alone on their line take the line's
 *                  indentation and line end, as the spec asks;
 *   4. build:      make the tree that rendering walks.
 * Pass 3 needs the pairs of pass 2 (whether a parent owns its line
 * depends on what follows its closing tag), which is why the tokens are
 * kept in an array rather than streamed into the tree.
 *
 * Rendering keeps everything it changes in a state on its own stack, so
 * a set can render from several threads at once.
 */
#include "tmpl.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "esc.h"

#define NPOS ((size_t)-1)

typedef struct {
	const char *s;
	size_t len;
} tmpl_span;

typedef enum {
	NODE_TEXT,     /* literal bytes, one line at most */
	NODE_VAR,      /* {{name}}: HTML-escaped */
	NODE_RAW,      /* {{{name}}} and {{&name}} */
	NODE_SECTION,  /* {{#name}} */
	NODE_INVERTED, /* {{^name}} */
	NODE_PARTIAL,  /* {{>name}} */
	NODE_PARENT,   /* {{<name}}: the children are the blocks it passes */
	NODE_BLOCK     /* {{$name}}: the children are its default content */
} tmpl_kind;

typedef struct tmpl_node tmpl_node;
struct tmpl_node {
	tmpl_kind kind;
	int line, col;    /* of the tag, for messages */
	tmpl_node *next;  /* the following sibling */
	tmpl_node *child; /* see tmpl_kind */
	const char *str;  /* TEXT: its bytes; PARTIAL, PARENT, BLOCK: name */
	size_t len;
	char **path;      /* VAR, RAW, SECTION, INVERTED: the name split at
			   * dots, NULL-terminated; NULL for "." */
	tmpl_span indent; /* PARTIAL, PARENT, BLOCK alone on their line:
			   * added before each line they render */
};

typedef struct {
	char *name;
	tmpl_node *root;
	arena mem; /* the name, the source copy and every node */
} tmpl;

struct tmpl_set {
	tmpl **items; /* sorted by name, for bsearch */
	size_t len, cap;
	size_t max_output, max_steps; /* see tmpl_set_limits */
};

/* A token is text or a tag; a tag's type is its sigil. */
#define TOK_TEXT '\0'
#define TOK_VAR 'v'

typedef struct {
	char type;         /* TOK_TEXT, TOK_VAR or one of # ^ / ! = > < $ & { */
	int line, col;     /* where the token starts */
	size_t start, end; /* its bytes, delimiters included */
	size_t keep, keep_end; /* text: what standalone tags left of it */
	tmpl_span name;    /* tag: its content without padding */
	long partner;      /* opening or closing tag: the other one */
	long parent;       /* the innermost opening tag around it, or -1 */
	int standalone;    /* tag: it took the blanks and end of its line */
	tmpl_span ws;      /* standalone opening tag: the blanks it took */
	size_t after;      /* tag that took a line end: where the next starts */
	int fresh;         /* block: its content starts on a line of its own */
} tmpl_tok;

typedef struct {
	const char *tname; /* for messages */
	const char *src;   /* the template's own copy of its source */
	size_t len;
	tmpl_tok *toks;
	size_t ntoks, cap;
	arena *mem;
	char *err;
	size_t errlen;
} tmpl_parser;

typedef struct {
	size_t pos;
	int line, col;
} tmpl_pos;

typedef struct {
	tmpl_span open, close;
} tmpl_delims;

static void tmpl_oom(void)
{
	fputs("trustdir: out of memory\n", stderr);
	abort();
}

__attribute__((format(printf, 3, 4)))
static void tmpl_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Writes "template:line:col: message" and returns -1. */
__attribute__((format(printf, 4, 5)))
static int parse_fail(tmpl_parser *p, int line, int col, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tmpl_seterr(p->err, p->errlen, "%s:%d:%d: %s", p->tname, line, col,
		    msg);
	return -1;
}

/* Spaces and tabs: what indentation and standalone lines may hold. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* What may pad a tag's content, which may span lines. */
static int is_space(char c)
{
	return is_blank(c) || c == '\n' || c == '\r';
}

static tmpl_span trim(const char *s, size_t len)
{
	while (len && is_space(s[0])) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	return (tmpl_span){ s, len };
}

static int span_eq(tmpl_span a, tmpl_span b)
{
	return a.len == b.len && !memcmp(a.s, b.s, a.len);
}

/* How many leading blanks of s it shares with dedent. */
static size_t common_blanks(const char *s, size_t len, tmpl_span dedent)
{
	size_t i = 0;

	while (i < len && i < dedent.len && is_blank(s[i]) &&
	       s[i] == dedent.s[i])
		i++;
	return i;
}

static tmpl_span strip_blanks(tmpl_span ws, tmpl_span dedent)
{
	size_t k = common_blanks(ws.s, ws.len, dedent);

	return (tmpl_span){ ws.s + k, ws.len - k };
}

static const char *find_str(const char *s, size_t len, tmpl_span needle)
{
	const char *end = s + len;

	while ((size_t)(end - s) >= needle.len) {
		s = memchr(s, needle.s[0], (size_t)(end - s) - needle.len + 1);
		if (!s)
			return NULL;
		if (!memcmp(s, needle.s, needle.len))
			return s;
		s++;
	}
	return NULL;
}

static void advance(const char *src, tmpl_pos *at, size_t to)
{
	for (; at->pos < to; at->pos++) {
		if (src[at->pos] == '\n') {
			at->line++;
			at->col = 1;
		} else {
			at->col++;
		}
	}
}

/* ---- pass 1: lex ------------------------------------------------------ */

static tmpl_tok *push_tok(tmpl_parser *p, char type, size_t end,
			  const tmpl_pos *at)
{
	tmpl_tok *t;

	if (p->ntoks == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;

		t = realloc(p->toks, cap * sizeof(*t));
		if (!t)
			tmpl_oom();
		p->toks = t;
		p->cap = cap;
	}
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->line = at->line;
	t->col = at->col;
	t->start = t->keep = at->pos;
	t->end = t->keep_end = end;
	t->partner = t->parent = -1;
	return t;
}

/* Where the content of a tag starting its content at `from` ends: at the
 * closing delimiter, or for {{{x}}} and {{=x=}} at the `lead` character
 * just before it.  NPOS when the tag is never closed. */
static size_t find_close(const tmpl_parser *p, size_t from, tmpl_span close,
			 char lead)
{
	size_t i = from + (lead != 0);
	const char *c;

	while (i <= p->len) {
		c = find_str(p->src + i, p->len - i, close);
		if (!c)
			return NPOS;
		i = (size_t)(c - p->src);
		if (!lead)
			return i;
		if (p->src[i - 1] == lead)
			return i - 1;
		i++;
	}
	return NPOS;
}

static int set_delims(tmpl_parser *p, const tmpl_tok *t, tmpl_delims *d)
{
	tmpl_span s = t->name, open, close;
	size_t i = 0;

	while (i < s.len && !is_space(s.s[i]))
		i++;
	open = (tmpl_span){ s.s, i };
	close = trim(s.s + i, s.len - i);
	for (i = 0; i < close.len && !is_space(close.s[i]); i++)
		;
	if (!open.len || !close.len || i < close.len ||
	    memchr(open.s, '=', open.len) || memchr(close.s, '=', close.len))
		return parse_fail(p, t->line, t->col,
				  "a set-delimiter tag takes two delimiters "
				  "without spaces or \"=\", "
				  "as in {{=<%% %%>=}}");
	d->open = open;
	d->close = close;
	return 0;
}

/* A dotted name has no empty part: "a.b" and "." but not "a." or "a..b". */
static int valid_path(tmpl_span n)
{
	size_t i;

	if (n.len == 1 && n.s[0] == '.')
		return 1;
	if (n.s[0] == '.' || n.s[n.len - 1] == '.')
		return 0;
	for (i = 1; i < n.len; i++)
		if (n.s[i] == '.' && n.s[i - 1] == '.')
			return 0;
	return 1;
}

static int check_name(tmpl_parser *p, const tmpl_tok *t)
{
	tmpl_span n = t->name;
	size_t i;

	if (!n.len)
		return parse_fail(p, t->line, t->col, "empty tag");
	for (i = 0; i < n.len; i++)
		if (is_space(n.s[i]))
			return parse_fail(p, t->line, t->col,
					  "tag name \"%.*s\" contains a space",
					  (int)n.len, n.s);
	if (strchr("v&{#^/", t->type) && !valid_path(n))
		return parse_fail(p, t->line, t->col,
				  "name \"%.*s\" has an empty part "
				  "between dots",
				  (int)n.len, n.s);
	return 0;
}

/* Reads the tag that starts at `at`; *pos becomes the byte after it. */
static int lex_tag(tmpl_parser *p, tmpl_delims *d, const tmpl_pos *at,
		   size_t *pos)
{
	size_t from = at->pos + d->open.len, end;
	char type = TOK_VAR, lead = 0;
	tmpl_tok *t;

	if (from < p->len && p->src[from] && strchr("#^/!=><$&{", p->src[from]))
		type = p->src[from++];
	if (type == '{' || type == '=')
		lead = type == '{' ? '}' : '=';
	end = find_close(p, from, d->close, lead);
	if (end == NPOS)
		return parse_fail(p, at->line, at->col,
				  "unclosed tag: no \"%s%.*s\" after \"%.*s\"",
				  lead == '}' ? "}" : lead == '=' ? "=" : "",
				  (int)d->close.len, d->close.s,
				  (int)d->open.len, d->open.s);
	t = push_tok(p, type, end + (lead != 0) + d->close.len, at);
	t->name = trim(p->src + from, end - from);
	*pos = t->end;
	if (type == '=')
		return set_delims(p, t, d);
	if (type == '!')
		return 0;
	return check_name(p, t);
}

static int lex(tmpl_parser *p)
{
	tmpl_delims d = { { "{{", 2 }, { "}}", 2 } };
	tmpl_pos at = { 0, 1, 1 };
	size_t pos = 0, tag;
	const char *o;

	while (pos < p->len) {
		o = find_str(p->src + pos, p->len - pos, d.open);
		tag = o ? (size_t)(o - p->src) : p->len;
		advance(p->src, &at, pos);
		if (tag > pos)
			push_tok(p, TOK_TEXT, tag, &at);
		if (!o)
			break;
		advance(p->src, &at, tag);
		if (lex_tag(p, &d, &at, &pos) < 0)
			return -1;
	}
	return 0;
}

/* ---- pass 2: match ---------------------------------------------------- */

static int is_opener(char type)
{
	return type == '#' || type == '^' || type == '<' || type == '$';
}

static const char *kind_word(char type)
{
	switch (type) {
	case '<': return "parent";
	case '$': return "block";
	default: return "section";
	}
}

static int close_tag(tmpl_parser *p, size_t i, long open)
{
	tmpl_tok *t = &p->toks[i], *o;

	if (open < 0)
		return parse_fail(p, t->line, t->col,
				  "closing tag \"%.*s\" has no opening tag",
				  (int)t->name.len, t->name.s);
	o = &p->toks[open];
	if (!span_eq(o->name, t->name))
		return parse_fail(p, t->line, t->col,
				  "closing tag \"%.*s\" does not match %s "
				  "\"%.*s\" opened at %d:%d",
				  (int)t->name.len, t->name.s,
				  kind_word(o->type),
				  (int)o->name.len, o->name.s, o->line, o->col);
	o->partner = (long)i;
	t->partner = open;
	t->parent = o->parent;
	return 0;
}

static int match(tmpl_parser *p)
{
	long stack[TMPL_MAX_NEST];
	size_t depth = 0, i;
	const tmpl_tok *o;

	for (i = 0; i < p->ntoks; i++) {
		tmpl_tok *t = &p->toks[i];

		t->parent = depth ? stack[depth - 1] : -1;
		if (is_opener(t->type)) {
			if (depth == TMPL_MAX_NEST)
				return parse_fail(p, t->line, t->col,
						  "more than %d sections, "
						  "parents and blocks inside "
						  "each other", TMPL_MAX_NEST);
			stack[depth++] = (long)i;
		} else if (t->type == '/') {
			if (close_tag(p, i, depth ? stack[depth - 1] : -1) < 0)
				return -1;
			depth--;
		}
	}
	if (!depth)
		return 0;
	o = &p->toks[stack[depth - 1]];
	return parse_fail(p, o->line, o->col, "unclosed %s \"%.*s\"",
			  kind_word(o->type), (int)o->name.len, o->name.s);
}

/* ---- pass 3: standalone lines ----------------------------------------- */

/* Whether only blanks stand between the start of its line and tag i. */
static int left_clear(const tmpl_parser *p, size_t i)
{
	const tmpl_tok *t;
	size_t k;

	if (i == 0)
		return 1;
	t = &p->toks[i - 1];
	if (t->type != TOK_TEXT)
		return 0;
	for (k = t->end; k > t->start && is_blank(p->src[k - 1]); k--)
		;
	if (k == t->start)
		return i == 1;
	return p->src[k - 1] == '\n';
}

/* Whether only blanks stand between tag i and the end of its line. */
static int right_clear(const tmpl_parser *p, size_t i)
{
	const tmpl_tok *t;
	size_t k;

	if (i + 1 == p->ntoks)
		return 1;
	t = &p->toks[i + 1];
	if (t->type != TOK_TEXT)
		return 0;
	for (k = t->start; k < t->end && is_blank(p->src[k]); k++)
		;
	if (k == t->end)
		return i + 2 == p->ntoks;
	if (p->src[k] == '\r' && k + 1 < t->end)
		k++;
	return p->src[k] == '\n';
}

/* Tag i takes the blanks before it on its line (left_clear holds). */
static void take_left(tmpl_parser *p, size_t i)
{
	tmpl_tok *t = &p->toks[i], *prev;
	size_t k;

	if (i == 0) {
		t->ws = (tmpl_span){ p->src + t->start, 0 };
		return;
	}
	prev = &p->toks[i - 1];
	for (k = prev->end; k > prev->start && is_blank(p->src[k - 1]); k--)
		;
	prev->keep_end = k;
	t->ws = (tmpl_span){ p->src + k, prev->end - k };
}

/* Tag i takes the rest of its line and its line end (right_clear holds). */
static void take_right(tmpl_parser *p, size_t i)
{
	tmpl_tok *t = &p->toks[i], *next;
	size_t k;

	if (i + 1 == p->ntoks) {
		t->after = p->len;
		return;
	}
	next = &p->toks[i + 1];
	for (k = next->start; k < next->end && p->src[k] != '\n'; k++)
		;
	next->keep = k < next->end ? k + 1 : k;
	t->after = next->keep;
}

static void take_line(tmpl_parser *p, size_t i)
{
	if (!left_clear(p, i) || !right_clear(p, i))
		return;
	take_left(p, i);
	take_right(p, i);
	p->toks[i].standalone = 1;
}

/* A block passed to a parent, rather than one a template defines. */
static int is_arg(const tmpl_parser *p, size_t i)
{
	long up = p->toks[i].parent;

	return up >= 0 && p->toks[up].type == '<';
}

/* A parent and its closing tag own their lines together, even on one
 * line ("{{<p}}{{/p}}"): everything between them is ignored anyway. */
static void parent_standalone(tmpl_parser *p, size_t i)
{
	size_t close = (size_t)p->toks[i].partner;

	if (!left_clear(p, i) || !right_clear(p, close))
		return;
	take_left(p, i);
	take_right(p, close);
	p->toks[i].standalone = 1;
}

static void block_standalone(tmpl_parser *p, size_t i)
{
	tmpl_tok *t = &p->toks[i];

	if (is_arg(p, i)) {
		/* Text before an argument is ignored, so only the line end
		 * after it matters: it is the tag's, not the content's. */
		if (right_clear(p, i)) {
			take_right(p, i);
			t->fresh = 1;
		}
		return;
	}
	if (!left_clear(p, i))
		return;
	if (right_clear(p, i)) {
		take_left(p, i);
		take_right(p, i);
		t->standalone = t->fresh = 1;
	} else if (t->partner == (long)i + 1 && right_clear(p, i + 1)) {
		/* "  {{$b}}{{/b}}\n" indents what replaces it, like a
		 * standalone partial, but keeps its line end (the spec's
		 * "Standalone block" test). */
		take_left(p, i);
		t->standalone = 1;
	}
}

static void close_standalone(tmpl_parser *p, size_t i)
{
	size_t open = (size_t)p->toks[i].partner;

	if (p->toks[open].type == '<')
		return; /* decided with its opening tag */
	if (p->toks[open].type == '$' && is_arg(p, open)) {
		/* What follows is ignored text of the parent; the blanks
		 * before it would end the argument with stray indentation. */
		if (left_clear(p, i))
			take_left(p, i);
		return;
	}
	take_line(p, i);
}

static void mark_standalone(tmpl_parser *p)
{
	size_t i;

	for (i = 0; i < p->ntoks; i++) {
		switch (p->toks[i].type) {
		case '#': case '^': case '!': case '=': case '>':
			take_line(p, i);
			break;
		case '/':
			close_standalone(p, i);
			break;
		case '<':
			parent_standalone(p, i);
			break;
		case '$':
			block_standalone(p, i);
			break;
		}
	}
}

/* ---- pass 4: build ---------------------------------------------------- */

static tmpl_node *new_node(tmpl_parser *p, tmpl_kind kind, const tmpl_tok *t)
{
	tmpl_node *n = arena_alloc(p->mem, sizeof(*n));

	n->kind = kind;
	n->line = t->line;
	n->col = t->col;
	return n;
}

static void set_name(tmpl_parser *p, tmpl_node *n, const tmpl_tok *t)
{
	n->str = arena_strndup(p->mem, t->name.s, t->name.len);
	n->len = t->name.len;
}

/* Splits a dotted name once, so rendering never has to. */
static char **build_path(tmpl_parser *p, tmpl_span name)
{
	size_t parts = 1, i, k = 0, start = 0;
	char **path;

	if (name.len == 1 && name.s[0] == '.')
		return NULL;
	for (i = 0; i < name.len; i++)
		parts += name.s[i] == '.';
	path = arena_alloc(p->mem, (parts + 1) * sizeof(*path));
	for (i = 0; i <= name.len; i++) {
		if (i < name.len && name.s[i] != '.')
			continue;
		path[k++] = arena_strndup(p->mem, name.s + start, i - start);
		start = i + 1;
	}
	return path;
}

/* Appends what standalone tags left of text token t, one node per line,
 * taking the indentation `dedent` off the start of each line. */
static tmpl_node **build_text(tmpl_parser *p, tmpl_node **tail,
			      const tmpl_tok *t, tmpl_span dedent)
{
	size_t a = t->keep, b;
	const char *nl;
	tmpl_node *n;

	while (a < t->keep_end) {
		nl = memchr(p->src + a, '\n', t->keep_end - a);
		b = nl ? (size_t)(nl - p->src) + 1 : t->keep_end;
		if (a == 0 || p->src[a - 1] == '\n')
			a += common_blanks(p->src + a, b - a, dedent);
		if (b > a) {
			n = new_node(p, NODE_TEXT, t);
			n->str = p->src + a;
			n->len = b - a;
			*tail = n;
			tail = &n->next;
		}
		a = b;
	}
	return tail;
}

static tmpl_node *build(tmpl_parser *p, size_t i, size_t end,
			tmpl_span dedent);

static tmpl_span leading_blanks(const tmpl_parser *p, size_t pos)
{
	size_t k = pos;

	while (k < p->len && is_blank(p->src[k]))
		k++;
	return (tmpl_span){ p->src + pos, k - pos };
}

/*
 * Block indentation is taken off where a block is written and added where
 * it is expanded (the spec's "Block reindentation").  When a block's
 * content starts on a line of its own, the indentation of that first line
 * comes off every line inside.  A block standing alone adds back that
 * same indentation, so its own default renders as written; an argument
 * passed in its place gets it too, whatever indentation it was written
 * with.  A standalone block without content adds the indentation of its
 * tag instead.
 */
static tmpl_node *build_block(tmpl_parser *p, size_t i, tmpl_span dedent)
{
	const tmpl_tok *t = &p->toks[i];
	tmpl_node *n = new_node(p, NODE_BLOCK, t);
	tmpl_span inner = dedent;

	set_name(p, n, t);
	if (t->fresh)
		inner = leading_blanks(p, t->after);
	n->child = build(p, i + 1, (size_t)t->partner, inner);
	if (t->standalone)
		n->indent = strip_blanks(n->child && t->fresh ? inner : t->ws,
					 dedent);
	return n;
}

/* The arguments of a parent are the blocks directly inside it; the spec
 * has any other text and tag there ignored. */
static tmpl_node *build_args(tmpl_parser *p, size_t open, tmpl_span dedent)
{
	tmpl_node *head = NULL, **tail = &head;
	size_t i, end = (size_t)p->toks[open].partner;

	for (i = open + 1; i < end; i++) {
		if (p->toks[i].type != '$' || p->toks[i].parent != (long)open)
			continue;
		*tail = build_block(p, i, dedent);
		tail = &(*tail)->next;
	}
	return head;
}

/* The node for tag i, or NULL for a tag that leaves nothing behind. */
static tmpl_node *build_tag(tmpl_parser *p, size_t i, tmpl_span dedent)
{
	const tmpl_tok *t = &p->toks[i];
	tmpl_node *n;

	switch (t->type) {
	case TOK_VAR: case '&': case '{':
		n = new_node(p, t->type == TOK_VAR ? NODE_VAR : NODE_RAW, t);
		n->path = build_path(p, t->name);
		return n;
	case '#': case '^':
		n = new_node(p, t->type == '#' ? NODE_SECTION : NODE_INVERTED,
			     t);
		n->path = build_path(p, t->name);
		n->child = build(p, i + 1, (size_t)t->partner, dedent);
		return n;
	case '>': case '<':
		n = new_node(p, t->type == '>' ? NODE_PARTIAL : NODE_PARENT, t);
		set_name(p, n, t);
		if (t->standalone)
			n->indent = strip_blanks(t->ws, dedent);
		if (t->type == '<')
			n->child = build_args(p, i, dedent);
		return n;
	case '$':
		return build_block(p, i, dedent);
	}
	return NULL; /* comments and set-delimiter tags */
}

/* The nodes of tokens i..end-1; recursion is bounded by TMPL_MAX_NEST. */
static tmpl_node *build(tmpl_parser *p, size_t i, size_t end,
			tmpl_span dedent)
{
	tmpl_node *head = NULL, **tail = &head, *n;
	const tmpl_tok *t;

	while (i < end) {
		t = &p->toks[i];
		if (t->type == TOK_TEXT) {
			tail = build_text(p, tail, t, dedent);
			i++;
			continue;
		}
		n = build_tag(p, i, dedent);
		if (n) {
			*tail = n;
			tail = &n->next;
		}
		i = is_opener(t->type) ? (size_t)t->partner + 1 : i + 1;
	}
	return head;
}

/* ---- the set ---------------------------------------------------------- */

static void tmpl_free(tmpl *t)
{
	if (!t)
		return;
	arena_dispose(&t->mem);
	free(t);
}

tmpl_set *tmpl_set_new(void)
{
	tmpl_set *set = calloc(1, sizeof(*set));

	if (!set)
		tmpl_oom();
	set->max_output = TMPL_MAX_OUTPUT;
	set->max_steps = TMPL_MAX_STEPS;
	return set;
}

void tmpl_set_limits(tmpl_set *set, size_t max_output, size_t max_steps)
{
	set->max_output = max_output ? max_output : TMPL_MAX_OUTPUT;
	set->max_steps = max_steps ? max_steps : TMPL_MAX_STEPS;
}

void tmpl_set_free(tmpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->len; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	free(set);
}

/* The index of `name` in the set, or where it would go. */
static size_t set_index(const tmpl_set *set, const char *name, int *found)
{
	size_t lo = 0, hi = set->len, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, set->items[mid]->name);
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const tmpl *set_find(const tmpl_set *set, const char *name)
{
	int found;
	size_t i = set_index(set, name, &found);

	return found ? set->items[i] : NULL;
}

static void set_put(tmpl_set *set, tmpl *t)
{
	int found;
	size_t i = set_index(set, t->name, &found);
	tmpl **items;

	if (found) {
		tmpl_free(set->items[i]);
		set->items[i] = t;
		return;
	}
	if (set->len == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		items = realloc(set->items, set->cap * sizeof(*items));
		if (!items)
			tmpl_oom();
		set->items = items;
	}
	memmove(set->items + i + 1, set->items + i,
		(set->len - i) * sizeof(*set->items));
	set->items[i] = t;
	set->len++;
}

int tmpl_set_add(tmpl_set *set, const char *name, const char *src,
		 size_t len, char *err, size_t errlen)
{
	tmpl_parser p = { 0 };
	tmpl *t = calloc(1, sizeof(*t));
	int rc = -1;

	if (!t)
		tmpl_oom();
	t->name = arena_strdup(&t->mem, name ? name : "");
	p.tname = t->name;
	p.src = arena_strndup(&t->mem, src ? src : "", src ? len : 0);
	p.len = src ? len : 0;
	p.mem = &t->mem;
	p.err = err;
	p.errlen = errlen;
	if (lex(&p) < 0 || match(&p) < 0)
		goto done;
	mark_standalone(&p);
	t->root = build(&p, 0, p.ntoks, (tmpl_span){ "", 0 });
	set_put(set, t);
	t = NULL;
	rc = 0;
done:
	free(p.toks);
	tmpl_free(t);
	return rc;
}

int tmpl_set_has(const tmpl_set *set, const char *name)
{
	return set && name && set_find(set, name) != NULL;
}

/* ---- rendering -------------------------------------------------------- */

typedef struct tmpl_ctx tmpl_ctx;
struct tmpl_ctx { /* the context stack, top first */
	const cJSON *value;
	const tmpl_ctx *up;
};

typedef struct tmpl_args tmpl_args;
struct tmpl_args { /* blocks passed by the parents being expanded */
	const tmpl_node *blocks;
	const char *tname;   /* the template they were written in */
	const tmpl_args *up; /* the parent expanded before, further out */
};

typedef struct {
	const char *tname; /* the template the nodes come from */
	const tmpl_ctx *ctx;
	const tmpl_args *args;
} tmpl_scope;

/* What a name looked up outside a remembered item resolved to.  A pass
 * of this build holds the name as its node does and a copy of the value;
 * a stored pass (tmpl_keyed) the dotted name and the value as memo_enc
 * writes it, both in the caller's bytes. */
typedef struct {
	char *const *path;
	cJSON *value;
	const char *name, *enc;
	size_t name_len, enc_len;
} memo_dep;

/* A parent being expanded, as what decides what its blocks render: the
 * template they are written in and where the first of them is (0:0 for
 * none): no two lists of blocks start at the same place. */
typedef struct {
	const char *tname;
	size_t tname_len;
	int line, col;
} memo_arg;

/* A pass being remembered: lookups that reach boundary, the context
 * under the item, are its dependencies. */
typedef struct {
	const tmpl_ctx *boundary;
	memo_dep *deps;
	size_t len, cap;
	int overflow; /* too many to be worth remembering */
} memo_rec;

/* An item, as the memo knows it: by its members' address, or by the
 * caller's key (tmpl_keyed). */
typedef struct {
	const cJSON *members;
	const unsigned char *key; /* or NULL */
	size_t index;
	int ours;                 /* a keyed item: render value(index) */
} memo_id;

typedef struct memo_entry memo_entry;
struct memo_entry {
	const tmpl_node *node; /* the section; NULL for a stored pass not met yet */
	const char *tname;     /* the template the section is in, and where */
	size_t tname_len;
	int line, col;
	const cJSON *members;  /* the item's identity, unless keyed */
	unsigned char key[TMPL_KEY_BYTES];
	int keyed;
	int stored;            /* indent, out and the names in the caller's bytes */
	size_t hash;
	int depth, at_bol, at_bol_end;
	const char *indent;
	size_t indent_len;
	memo_arg *args;
	size_t n_args;
	memo_dep *deps;
	size_t n_deps;
	const char *out;
	size_t len, steps;
	memo_entry *next; /* in the bucket */
};

struct tmpl_memo {
	memo_entry **buckets;
	size_t cap, len, bytes;
	tmpl_keyed keyed;
	int has_keyed;
	unsigned char *loaded; /* per keyed index: its stored passes are in */
	size_t loaded_cap;
};

typedef struct {
	const tmpl_set *set;
	buf *out;
	buf indent; /* written before each line the templates write */
	int at_bol; /* out is at the start of a line a template wrote */
	int depth;  /* partials and parents being expanded */
	size_t start; /* out->len before the render */
	size_t steps; /* nodes rendered so far */
	char *err;
	size_t errlen;
	tmpl_memo *memo; /* or NULL */
	memo_rec *rec;   /* the pass being remembered, or NULL */
} tmpl_state;

static int render_nodes(tmpl_state *st, const tmpl_node *n,
			const tmpl_scope *sc);

__attribute__((format(printf, 4, 5)))
static int render_fail(tmpl_state *st, const char *tname, const tmpl_node *n,
		       const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tmpl_seterr(st->err, st->errlen, "%s:%d:%d: %s", tname, n->line,
		    n->col, msg);
	return -1;
}

/*
 * Indentation goes before the first thing written on each line that
 * template text starts, never after a line end inside a value: the
 * spec's "Standalone Indentation" keeps a value's second line flush.
 */
static void put_indent(tmpl_state *st)
{
	if (!st->at_bol)
		return;
	buf_put(st->out, st->indent.ptr, st->indent.len);
	st->at_bol = 0;
}

static void put_text(tmpl_state *st, const char *s, size_t len)
{
	put_indent(st);
	buf_put(st->out, s, len);
	st->at_bol = len && s[len - 1] == '\n';
}

/* The shortest text that reads back as d: 85, 1.21, 0.1, 1e+21. */
static const char *format_number(double d, char *num, size_t size)
{
	char *c;
	int prec;

	if (!isfinite(d))
		return "";
	if (d == 0)
		return "0"; /* and not "-0" */
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		snprintf(num, size, "%lld", (long long)d);
		return num;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(num, size, "%.*g", prec, d);
		if (strtod(num, NULL) == d)
			break;
	}
	/* A locale with a decimal comma must not reach the page. */
	for (c = num; *c; c++)
		if (*c == ',')
			*c = '.';
	return num;
}

static void put_value(tmpl_state *st, const cJSON *v, int escape)
{
	char num[32];
	const char *s = NULL;

	put_indent(st);
	if (cJSON_IsString(v))
		s = v->valuestring;
	else if (cJSON_IsNumber(v))
		s = format_number(v->valuedouble, num, sizeof(num));
	else if (cJSON_IsTrue(v))
		s = "true";
	else if (cJSON_IsFalse(v))
		s = "false";
	if (!s)
		return;
	if (escape)
		esc_html(st->out, s, strlen(s));
	else
		buf_puts(st->out, s);
}

static int truthy(const cJSON *v)
{
	if (!v || cJSON_IsInvalid(v) || cJSON_IsFalse(v) || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsArray(v))
		return v->child != NULL;
	if (cJSON_IsString(v))
		return v->valuestring && v->valuestring[0];
	return 1;
}

/* A member of an object by name.  Views are objects of a few dozen
 * members looked up down a stack of contexts for every tag, so the
 * first byte is compared before the whole name. */
static const cJSON *member(const cJSON *obj, const char *name)
{
	const cJSON *c;

	for (c = obj->child; c; c = c->next) {
		const char *a = c->string, *b = name;

		if (!a || *a != *b)
			continue;
		/* names are short: a loop here, not a call to strcmp */
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return c;
	}
	return NULL;
}

/* cJSON_IsObject, without a call into the library for every tag. */
static int is_object(const cJSON *v)
{
	return v && (v->type & 0xFF) == cJSON_Object;
}

/* The spec's name resolution: the first part of a dotted name is looked
 * for down the context stack, the rest only inside what it found. */
static const cJSON *resolve(const tmpl_ctx *ctx, char *const *path)
{
	const cJSON *v = NULL;

	if (!path)
		return ctx->value;
	for (; ctx && !v; ctx = ctx->up)
		if (is_object(ctx->value))
			v = member(ctx->value, path[0]);
	for (path++; v && *path; path++)
		v = is_object(v) ? member(v, *path) : NULL;
	return v;
}

static void memo_note(memo_rec *rec, char *const *path, const cJSON *v);

/* resolve(), and while a pass is remembered, a lookup that reaches past
 * the item is noted as what the pass depends on. */
static const cJSON *lookup(tmpl_state *st, const tmpl_ctx *ctx,
			   char *const *path)
{
	const tmpl_ctx *c;
	const cJSON *v;

	if (!st->rec || !path)
		return resolve(ctx, path);
	for (c = ctx; c && c != st->rec->boundary; c = c->up)
		if (is_object(c->value) && member(c->value, path[0]))
			return resolve(c, path);
	if (!c)
		return NULL;
	v = resolve(c, path);
	memo_note(st->rec, path, v);
	return v;
}

/* Counts one step (a node, or one pass of a section) against the
 * set's limits: 0, or -1 once the render has gone past them. */
static int render_budget(tmpl_state *st, const tmpl_node *n,
			 const tmpl_scope *sc)
{
	if (++st->steps > st->set->max_steps)
		return render_fail(st, sc->tname, n,
				   "the template expands too much: more than "
				   "%zu steps (sections or partials nested "
				   "over and over?)", st->set->max_steps);
	if (st->out->len - st->start > st->set->max_output)
		return render_fail(st, sc->tname, n,
				   "the output is larger than %zu bytes",
				   st->set->max_output);
	return 0;
}

/* ---- the memo ---------------------------------------------------------- */

enum { MEMO_MAX_DEPS = 32, MEMO_MAX_VARIANTS = 8 };

static void *memo_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		tmpl_oom();
	return p;
}

/* Equal values print the same and test the same: exactly equal, not
 * merely close (cJSON_Compare's numbers are). */
static int same_value(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (!a || !b)
		return !a && !b;
	if ((a->type & 0xFF) != (b->type & 0xFF))
		return 0;
	switch (a->type & 0xFF) {
	case cJSON_String: case cJSON_Raw:
		if (!a->valuestring || !b->valuestring)
			return !a->valuestring && !b->valuestring;
		return !strcmp(a->valuestring, b->valuestring);
	case cJSON_Number:
		return a->valuedouble == b->valuedouble;
	case cJSON_Array: case cJSON_Object:
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next) {
			if ((!x->string) != (!y->string) ||
			    (x->string && strcmp(x->string, y->string)) ||
			    !same_value(x, y))
				return 0;
		}
		return !x && !y;
	default:
		return 1;
	}
}

/* A value a stored pass depended on, in a form compared without
 * parsing it: "-" not found, "z" null, "t" true, "f" false, "n" and the
 * number in 17 digits (which read back as the same double), "s" and the
 * string.  Arrays and objects are not written: -1. */
static int memo_enc(buf *b, const cJSON *v)
{
	if (!v) {
		buf_putc(b, '-');
		return 0;
	}
	switch (v->type & 0xFF) {
	case cJSON_NULL:
		buf_putc(b, 'z');
		return 0;
	case cJSON_True:
		buf_putc(b, 't');
		return 0;
	case cJSON_False:
		buf_putc(b, 'f');
		return 0;
	case cJSON_Number:
		buf_printf(b, "n%.17g", v->valuedouble);
		return 0;
	case cJSON_String:
		if (!v->valuestring)
			return -1;
		buf_putc(b, 's');
		buf_puts(b, v->valuestring);
		return 0;
	default:
		return -1;
	}
}

static int memo_enc_same(const char *enc, size_t len, const cJSON *v)
{
	char num[32];
	int n;

	if (!len)
		return 0;
	if (!v)
		return len == 1 && *enc == '-';
	switch (v->type & 0xFF) {
	case cJSON_NULL:
		return len == 1 && *enc == 'z';
	case cJSON_True:
		return len == 1 && *enc == 't';
	case cJSON_False:
		return len == 1 && *enc == 'f';
	case cJSON_Number:
		n = snprintf(num, sizeof(num), "n%.17g", v->valuedouble);
		return n > 0 && (size_t)n == len && !memcmp(num, enc, len);
	case cJSON_String:
		return v->valuestring && *enc == 's' &&
		       strlen(v->valuestring) == len - 1 &&
		       !memcmp(v->valuestring, enc + 1, len - 1);
	default:
		return 0;
	}
}

/* member() of the name s[0, len), which need not end in a NUL. */
static const cJSON *member_n(const cJSON *obj, const char *s, size_t len)
{
	const cJSON *c;

	for (c = obj->child; c; c = c->next)
		if (c->string && !strncmp(c->string, s, len) &&
		    !c->string[len])
			return c;
	return NULL;
}

/* resolve() of a dotted name, as a stored pass holds it. */
static const cJSON *resolve_name(const tmpl_ctx *ctx, const char *name,
				 size_t len)
{
	const char *dot = memchr(name, '.', len);
	size_t seg = dot ? (size_t)(dot - name) : len;
	const cJSON *v = NULL;

	for (; ctx && !v; ctx = ctx->up)
		if (is_object(ctx->value))
			v = member_n(ctx->value, name, seg);
	while (v && dot) {
		len -= seg + 1;
		name = dot + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		v = is_object(v) ? member_n(v, name, seg) : NULL;
	}
	return v;
}

static void memo_note(memo_rec *rec, char *const *path, const cJSON *v)
{
	size_t i;

	for (i = 0; i < rec->len; i++)
		if (rec->deps[i].path == path)
			return; /* a pass does not change what a name finds */
	if (rec->len == MEMO_MAX_DEPS) {
		rec->overflow = 1;
		return;
	}
	if (rec->len == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 4;
		rec->deps = realloc(rec->deps, rec->cap * sizeof(*rec->deps));
		if (!rec->deps)
			tmpl_oom();
	}
	memset(&rec->deps[rec->len], 0, sizeof(rec->deps[rec->len]));
	rec->deps[rec->len].path = path;
	rec->deps[rec->len].value = v ? cJSON_Duplicate(v, 1) : NULL;
	if (v && !rec->deps[rec->len].value)
		tmpl_oom();
	rec->len++;
}

static void memo_deps_free(memo_dep *deps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_Delete(deps[i].value);
	free(deps);
}

tmpl_memo *tmpl_memo_new(void)
{
	tmpl_memo *m = memo_alloc(sizeof(*m));

	m->cap = 1024;
	m->buckets = memo_alloc(m->cap * sizeof(*m->buckets));
	return m;
}

void tmpl_memo_keyed(tmpl_memo *memo, const tmpl_keyed *keyed)
{
	memo->keyed = *keyed;
	memo->has_keyed = 1;
}

static void memo_entry_free(memo_entry *e)
{
	memo_deps_free(e->deps, e->n_deps);
	free(e->args);
	if (!e->stored) {
		free((char *)e->indent);
		free((char *)e->out);
	}
	free(e);
}

void tmpl_memo_free(tmpl_memo *memo)
{
	size_t i;
	memo_entry *e, *next;

	if (!memo)
		return;
	for (i = 0; i < memo->cap; i++) {
		for (e = memo->buckets[i]; e; e = next) {
			next = e->next;
			memo_entry_free(e);
		}
	}
	free(memo->buckets);
	free(memo->loaded);
	free(memo);
}

static size_t memo_mix(uint64_t h)
{
	h *= 0xBF58476D1CE4E5B9u;
	return (size_t)(h ^ (h >> 31));
}

/* A keyed pass is found by its key and the section's place, which a
 * stored pass knows; any other by the section's and the item's address. */
static size_t memo_hash(const tmpl_node *n, const memo_id *id)
{
	uint64_t h;
	size_t i;

	if (id->key) {
		h = 1469598103934665603u;
		for (i = 0; i < TMPL_KEY_BYTES; i++)
			h = (h ^ id->key[i]) * 1099511628211u;
		h ^= ((uint64_t)(unsigned)n->line << 20) ^ (unsigned)n->col;
		return memo_mix(h);
	}
	h = (uint64_t)(uintptr_t)n * 0x9E3779B97F4A7C15u;
	h ^= (uint64_t)(uintptr_t)id->members + (h << 6) + (h >> 2);
	return memo_mix(h);
}

static void memo_insert(tmpl_memo *m, memo_entry *e)
{
	size_t k = e->hash & (m->cap - 1);

	e->next = m->buckets[k];
	m->buckets[k] = e;
	if (++m->len > 2 * m->cap) {
		size_t cap = m->cap * 2, i;
		memo_entry **b = memo_alloc(cap * sizeof(*b)), *x, *next;

		for (i = 0; i < m->cap; i++) {
			for (x = m->buckets[i]; x; x = next) {
				next = x->next;
				x->next = b[x->hash & (cap - 1)];
				b[x->hash & (cap - 1)] = x;
			}
		}
		free(m->buckets);
		m->buckets = b;
		m->cap = cap;
	}
}

static int same_str(const char *a, size_t alen, const char *b)
{
	return a == b || (strlen(b) == alen && !memcmp(a, b, alen));
}

/* The parents being expanded, outermost last: n, in *out (malloc'd). */
static size_t memo_args(const tmpl_args *a, memo_arg **out)
{
	size_t n = 0, i = 0;
	const tmpl_args *x;

	for (x = a; x; x = x->up)
		n++;
	*out = n ? memo_alloc(n * sizeof(**out)) : NULL;
	for (x = a; x; x = x->up, i++) {
		(*out)[i].tname = x->tname;
		(*out)[i].tname_len = strlen(x->tname);
		(*out)[i].line = x->blocks ? x->blocks->line : 0;
		(*out)[i].col = x->blocks ? x->blocks->col : 0;
	}
	return n;
}

static int memo_same_args(const memo_entry *e, const tmpl_args *a)
{
	size_t i = 0;

	for (; a; a = a->up, i++) {
		const memo_arg *x = &e->args[i];

		if (i == e->n_args ||
		    x->line != (a->blocks ? a->blocks->line : 0) ||
		    x->col != (a->blocks ? a->blocks->col : 0) ||
		    !same_str(x->tname, x->tname_len, a->tname))
			return 0;
	}
	return i == e->n_args;
}

static int memo_same_id(const memo_entry *e, const memo_id *id)
{
	return id->key ? e->keyed && !memcmp(e->key, id->key, TMPL_KEY_BYTES)
		       : !e->keyed && e->members == id->members;
}

static int memo_same_node(const memo_entry *e, const tmpl_node *n,
			  const tmpl_scope *sc)
{
	if (e->node)
		return e->node == n;
	return e->line == n->line && e->col == n->col &&
	       same_str(e->tname, e->tname_len, sc->tname);
}

static int memo_deps_hold(const memo_entry *e, const tmpl_ctx *ctx)
{
	size_t i;

	for (i = 0; i < e->n_deps; i++) {
		const memo_dep *d = &e->deps[i];

		if (d->path ? !same_value(d->value, resolve(ctx, d->path))
			    : !memo_enc_same(d->enc, d->enc_len,
					     resolve_name(ctx, d->name,
							  d->name_len)))
			return 0;
	}
	return 1;
}

/* The remembered pass of section n over the item, valid in this context. */
static memo_entry *memo_find(const tmpl_state *st, const tmpl_node *n,
			     const memo_id *id, size_t hash,
			     const tmpl_scope *sc)
{
	memo_entry *e;

	for (e = st->memo->buckets[hash & (st->memo->cap - 1)]; e;
	     e = e->next) {
		if (e->hash != hash || !memo_same_id(e, id) ||
		    !memo_same_node(e, n, sc) || e->depth != st->depth ||
		    e->at_bol != st->at_bol ||
		    e->indent_len != st->indent.len ||
		    memcmp(e->indent, st->indent.ptr, e->indent_len) ||
		    !memo_same_args(e, sc->args) ||
		    !memo_deps_hold(e, sc->ctx))
			continue;
		e->node = n; /* a stored pass, met: found faster next time */
		return e;
	}
	return NULL;
}

/* ---- passes kept between builds ---------------------------------------- */

/* A stored pass is a run of netstrings ("5:bytes"): the template, line,
 * column, depth, at_bol, at_bol_end, indent; the number of parents and
 * per parent its template, line and column; the number of names and per
 * name the name and memo_enc of its value; steps; the output. */
static void ns_put(buf *b, const char *s, size_t len)
{
	buf_printf(b, "%zu:", len);
	buf_put(b, s, len);
}

static void ns_num(buf *b, size_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%zu", v);

	ns_put(b, num, (size_t)n);
}

typedef struct {
	const char *p, *end;
	int bad;
} ns_reader;

static const char *ns_get(ns_reader *r, size_t *len)
{
	size_t n = 0;
	int digits = 0;
	const char *s;

	while (!r->bad && r->p < r->end && *r->p >= '0' && *r->p <= '9' &&
	       digits < 10) {
		n = n * 10 + (size_t)(*r->p++ - '0');
		digits++;
	}
	if (r->bad || !digits || r->p >= r->end || *r->p != ':' ||
	    (size_t)(r->end - r->p - 1) < n) {
		r->bad = 1;
		*len = 0;
		return NULL;
	}
	s = ++r->p;
	r->p += n;
	*len = n;
	return s;
}

static size_t ns_get_num(ns_reader *r, size_t max)
{
	size_t len, i, v = 0;
	const char *s = ns_get(r, &len);

	if (!s || !len || len > 12) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			r->bad = 1;
			return 0;
		}
		v = v * 10 + (size_t)(s[i] - '0');
	}
	if (v > max)
		r->bad = 1;
	return r->bad ? 0 : v;
}

/* The pass e as a stored pass, or -1 when it cannot be one. */
static int memo_serialize(const memo_entry *e, buf *b)
{
	size_t i, k;

	if (memchr(e->out, 0, e->len) || memchr(e->indent, 0, e->indent_len))
		return -1;
	ns_put(b, e->tname, e->tname_len);
	ns_num(b, (size_t)e->line);
	ns_num(b, (size_t)e->col);
	ns_num(b, (size_t)e->depth);
	ns_num(b, (size_t)e->at_bol);
	ns_num(b, (size_t)e->at_bol_end);
	ns_put(b, e->indent, e->indent_len);
	ns_num(b, e->n_args);
	for (i = 0; i < e->n_args; i++) {
		ns_put(b, e->args[i].tname, e->args[i].tname_len);
		ns_num(b, (size_t)e->args[i].line);
		ns_num(b, (size_t)e->args[i].col);
	}
	ns_num(b, e->n_deps);
	for (i = 0; i < e->n_deps; i++) {
		buf name = BUF_INIT, enc = BUF_INIT;
		int bad;

		for (k = 0; e->deps[i].path[k]; k++) {
			if (k)
				buf_putc(&name, '.');
			buf_puts(&name, e->deps[i].path[k]);
		}
		bad = memo_enc(&enc, e->deps[i].value) < 0 ||
		      memchr(enc.ptr, 0, enc.len);
		if (!bad) {
			ns_put(b, name.ptr, name.len);
			ns_put(b, enc.ptr, enc.len);
		}
		buf_dispose(&name);
		buf_dispose(&enc);
		if (bad)
			return -1;
	}
	ns_num(b, e->steps);
	ns_put(b, e->out, e->len);
	return 0;
}

/* One stored pass of the item keyed key, from r; NULL at a bad one. */
static memo_entry *memo_read(ns_reader *r, const unsigned char *key)
{
	memo_entry *e = memo_alloc(sizeof(*e));
	size_t i;

	e->stored = 1;
	e->keyed = 1;
	memcpy(e->key, key, TMPL_KEY_BYTES);
	e->tname = ns_get(r, &e->tname_len);
	e->line = (int)ns_get_num(r, INT32_MAX);
	e->col = (int)ns_get_num(r, INT32_MAX);
	e->depth = (int)ns_get_num(r, TMPL_MAX_DEPTH);
	e->at_bol = (int)ns_get_num(r, 1);
	e->at_bol_end = (int)ns_get_num(r, 1);
	e->indent = ns_get(r, &e->indent_len);
	e->n_args = ns_get_num(r, TMPL_MAX_DEPTH);
	if (!r->bad && e->n_args) {
		e->args = memo_alloc(e->n_args * sizeof(*e->args));
		for (i = 0; i < e->n_args && !r->bad; i++) {
			e->args[i].tname = ns_get(r, &e->args[i].tname_len);
			e->args[i].line = (int)ns_get_num(r, INT32_MAX);
			e->args[i].col = (int)ns_get_num(r, INT32_MAX);
		}
	}
	e->n_deps = ns_get_num(r, MEMO_MAX_DEPS);
	if (!r->bad && e->n_deps) {
		e->deps = memo_alloc(e->n_deps * sizeof(*e->deps));
		for (i = 0; i < e->n_deps && !r->bad; i++) {
			e->deps[i].name = ns_get(r, &e->deps[i].name_len);
			e->deps[i].enc = ns_get(r, &e->deps[i].enc_len);
			if (!r->bad && !e->deps[i].name_len)
				r->bad = 1;
		}
	}
	e->steps = ns_get_num(r, TMPL_MAX_STEPS);
	e->out = ns_get(r, &e->len);
	if (r->bad) {
		memo_entry_free(e);
		return NULL;
	}
	e->hash = 0;
	return e;
}

/* Takes in the stored passes of keyed item id, once per memo.  A bad
 * pass ends them: those before it stand on their own. */
static void memo_load(tmpl_memo *m, const memo_id *id)
{
	const char *bytes = NULL;
	size_t len = 0;
	ns_reader r;
	memo_entry *e;

	if (id->index >= m->loaded_cap) {
		size_t cap = m->loaded_cap ? m->loaded_cap : 1024;

		while (cap <= id->index)
			cap *= 2;
		m->loaded = realloc(m->loaded, cap);
		if (!m->loaded)
			tmpl_oom();
		memset(m->loaded + m->loaded_cap, 0, cap - m->loaded_cap);
		m->loaded_cap = cap;
	}
	if (m->loaded[id->index])
		return;
	m->loaded[id->index] = 1;
	m->keyed.stored(m->keyed.arg, id->index, &bytes, &len);
	r.p = bytes;
	r.end = bytes + len;
	r.bad = 0;
	while (bytes && r.p < r.end && (e = memo_read(&r, id->key))) {
		tmpl_node at = { 0 };

		at.line = e->line;
		at.col = e->col;
		e->hash = memo_hash(&at, id);
		memo_insert(m, e);
	}
}

static void memo_add(tmpl_state *st, const tmpl_node *n, const memo_id *id,
		     size_t hash, const tmpl_scope *sc, int at_bol,
		     memo_rec *rec, size_t from, size_t steps)
{
	tmpl_memo *m = st->memo;
	size_t len = st->out->len - from, variants = 0;
	memo_entry *e;
	char *copy;

	for (e = m->buckets[hash & (m->cap - 1)]; e; e = e->next)
		variants += e->hash == hash && memo_same_id(e, id) &&
			    memo_same_node(e, n, sc);
	if (rec->overflow || variants >= MEMO_MAX_VARIANTS ||
	    m->bytes + len > TMPL_MEMO_BYTES) {
		memo_deps_free(rec->deps, rec->len);
		return;
	}
	e = memo_alloc(sizeof(*e));
	e->node = n;
	e->tname = sc->tname;
	e->tname_len = strlen(sc->tname);
	e->line = n->line;
	e->col = n->col;
	e->members = id->key ? NULL : id->members;
	if (id->key) {
		memcpy(e->key, id->key, TMPL_KEY_BYTES);
		e->keyed = 1;
	}
	e->hash = hash;
	e->depth = st->depth;
	e->at_bol = at_bol;
	e->at_bol_end = st->at_bol;
	e->indent_len = st->indent.len;
	copy = memo_alloc(e->indent_len);
	memcpy(copy, st->indent.ptr, e->indent_len);
	e->indent = copy;
	e->n_args = memo_args(sc->args, &e->args);
	e->deps = rec->deps;
	e->n_deps = rec->len;
	copy = memo_alloc(len);
	memcpy(copy, st->out->ptr + from, len);
	e->out = copy;
	e->len = len;
	e->steps = steps;
	m->bytes += len;
	memo_insert(m, e);
	if (e->keyed && m->keyed.keep) {
		buf b = BUF_INIT;

		if (memo_serialize(e, &b) == 0)
			m->keyed.keep(m->keyed.arg, id->index, b.ptr, b.len);
		buf_dispose(&b);
	}
}

/* What the memo knows item by; id->ours when it is the caller's. */
static void memo_ident(const tmpl_state *st, const cJSON *item, memo_id *id)
{
	id->members = item->child;
	id->key = NULL;
	id->index = 0;
	id->ours = st->memo && st->memo->has_keyed &&
		   (item->type & cJSON_IsReference) && is_object(item) &&
		   st->memo->keyed.item(st->memo->keyed.arg, item, &id->index,
					&id->key);
}

/* Whether a pass over item may come from the memo: a shared object,
 * and not inside a pass being remembered (its output is part of that
 * one's). */
static int memo_wanted(const tmpl_state *st, const cJSON *item)
{
	return st->memo && !st->rec && (item->type & cJSON_IsReference) &&
	       is_object(item) && item->child;
}

/* One pass of section n over item (the top of inner's stack, top), from
 * the memo or rendered and remembered.  A remembered pass that would go
 * past the limits is rendered instead, to fail where it fails. */
static int render_pass_memo(tmpl_state *st, const tmpl_node *n,
			    const cJSON *item, const tmpl_scope *sc,
			    const tmpl_scope *inner, tmpl_ctx *top)
{
	memo_rec rec = { sc->ctx, NULL, 0, 0, 0 };
	memo_id id;
	size_t hash, from = st->out->len, steps = st->steps;
	const memo_entry *e;
	int at_bol = st->at_bol, rc;

	memo_ident(st, item, &id);
	if (id.key && st->memo->keyed.stored)
		memo_load(st->memo, &id);
	hash = memo_hash(n, &id);
	e = memo_find(st, n, &id, hash, sc);
	if (e && st->steps + e->steps <= st->set->max_steps &&
	    st->out->len + e->len - st->start <= st->set->max_output) {
		buf_put(st->out, e->out, e->len);
		st->at_bol = e->at_bol_end;
		st->steps += e->steps;
		return 0;
	}
	if (id.ours)
		top->value = st->memo->keyed.value(st->memo->keyed.arg,
						   id.index);
	st->rec = &rec;
	rc = render_nodes(st, n->child, inner);
	st->rec = NULL;
	if (rc < 0 || e) {
		memo_deps_free(rec.deps, rec.len);
		return rc;
	}
	memo_add(st, n, &id, hash, sc, at_bol, &rec, from, st->steps - steps);
	return 0;
}

static int render_section(tmpl_state *st, const tmpl_node *n,
			  const tmpl_scope *sc)
{
	const cJSON *v = lookup(st, sc->ctx, n->path), *item;
	tmpl_ctx top = { v, sc->ctx };
	tmpl_scope inner = { sc->tname, &top, sc->args };

	if (!truthy(v))
		return 0;
	if (!cJSON_IsArray(v))
		return render_nodes(st, n->child, &inner);
	cJSON_ArrayForEach(item, v) {
		top.value = item;
		if (render_budget(st, n, sc) < 0)
			return -1;
		if (memo_wanted(st, item)) {
			if (render_pass_memo(st, n, item, sc, &inner, &top) < 0)
				return -1;
			continue;
		}
		if (st->memo && st->memo->has_keyed) {
			memo_id id;

			memo_ident(st, item, &id);
			if (id.ours)
				top.value = st->memo->keyed.value(
					st->memo->keyed.arg, id.index);
		}
		if (render_nodes(st, n->child, &inner) < 0)
			return -1;
	}
	return 0;
}

/* Partials and parents: another template, rendered in this context.  A
 * partial passes no blocks, but the blocks of parents around it still
 * reach into it, as the spec makes a partial a parent without arguments. */
static int render_include(tmpl_state *st, const tmpl_node *n,
			  const tmpl_scope *sc)
{
	const tmpl *t = set_find(st->set, n->str);
	tmpl_args args = { n->child, sc->tname, sc->args };
	tmpl_scope inner = { NULL, sc->ctx, sc->args };
	size_t mark = st->indent.len;
	int rc;

	if (!t)
		return 0; /* the spec renders a missing partial as nothing */
	if (st->depth >= TMPL_MAX_DEPTH)
		return render_fail(st, sc->tname, n,
				   "%s \"%s\" nested more than %d deep "
				   "(does it include itself?)",
				   n->kind == NODE_PARENT ? "parent"
							  : "partial",
				   n->str, TMPL_MAX_DEPTH);
	inner.tname = t->name;
	if (n->kind == NODE_PARENT)
		inner.args = &args;
	st->depth++;
	buf_put(&st->indent, n->indent.s, n->indent.len);
	rc = render_nodes(st, t->root, &inner);
	buf_truncate(&st->indent, mark);
	st->depth--;
	return rc;
}

/*
 * A block renders the argument of that name passed by the outermost
 * parent being expanded (the spec's "Multi-level inheritance"), else its
 * own content.  An argument is rendered with only the parents outside
 * the one that passed it: a block inside it of the same name then gets
 * its own default rather than the argument again, forever.
 */
static int render_block(tmpl_state *st, const tmpl_node *n,
			const tmpl_scope *sc)
{
	const tmpl_args *a, *from = NULL;
	const tmpl_node *b, *body = n->child;
	tmpl_scope inner = *sc;
	size_t mark = st->indent.len;
	int rc;

	for (a = sc->args; a; a = a->up) {
		for (b = a->blocks; b; b = b->next) {
			if (!strcmp(b->str, n->str)) {
				from = a;
				body = b->child;
				break;
			}
		}
	}
	if (from) {
		inner.tname = from->tname;
		inner.args = from->up;
	}
	buf_put(&st->indent, n->indent.s, n->indent.len);
	rc = render_nodes(st, body, &inner);
	buf_truncate(&st->indent, mark);
	return rc;
}

static int render_node(tmpl_state *st, const tmpl_node *n,
		       const tmpl_scope *sc)
{
	if (render_budget(st, n, sc) < 0)
		return -1;
	switch (n->kind) {
	case NODE_TEXT:
		put_text(st, n->str, n->len);
		return 0;
	case NODE_VAR: case NODE_RAW:
		put_value(st, lookup(st, sc->ctx, n->path), n->kind == NODE_VAR);
		return 0;
	case NODE_SECTION:
		return render_section(st, n, sc);
	case NODE_INVERTED:
		if (truthy(lookup(st, sc->ctx, n->path)))
			return 0;
		return render_nodes(st, n->child, sc);
	case NODE_PARTIAL: case NODE_PARENT:
		return render_include(st, n, sc);
	case NODE_BLOCK:
		return render_block(st, n, sc);
	}
	return 0;
}

static int render_nodes(tmpl_state *st, const tmpl_node *n,
			const tmpl_scope *sc)
{
	for (; n; n = n->next)
		if (render_node(st, n, sc) < 0)
			return -1;
	return 0;
}

int tmpl_render(const tmpl_set *set, const char *name, const cJSON *data,
		buf *out, char *err, size_t errlen)
{
	return tmpl_render_memo(set, name, data, NULL, out, err, errlen);
}

int tmpl_render_memo(const tmpl_set *set, const char *name,
		     const cJSON *data, tmpl_memo *memo, buf *out, char *err,
		     size_t errlen)
{
	tmpl_state st = { set, out, BUF_INIT, 1, 0, out->len, 0, err, errlen,
			  memo, NULL };
	tmpl_ctx root = { data, NULL };
	tmpl_scope sc = { name, &root, NULL };
	size_t start = out->len;
	const tmpl *t = set && name ? set_find(set, name) : NULL;
	int rc = -1;

	if (!t) {
		tmpl_seterr(err, errlen, "%s: no such template",
			    name ? name : "(null)");
		goto done;
	}
	sc.tname = t->name;
	rc = render_nodes(&st, t->root, &sc);
done:
	if (rc < 0)
		buf_truncate(out, start);
	buf_dispose(&st.indent);
	return rc;
}
