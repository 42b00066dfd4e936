#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* Longest piece of the text quoted in a message, in code points. */
#define JSON_EXCERPT 24
/* cJSON 1.7.15 copies a number into a 64-byte buffer before strtod and
 * fails on anything longer; say so rather than let it fail later. */
#define JSON_MAX_NUMBER 63
/* The message for a string still open at the end of the text. */
#define JSON_EOF_IN_STRING \
	"unterminated string: the file ends before its closing quote"
/* No offset: a json_offsets result for values without a key. */
#define JSON_NO_KEY SIZE_MAX

/* The state of the checking pass over the text. */
typedef struct {
	const unsigned char *s;
	size_t len, pos;
	json_error *err;
} json_scan;

static size_t json_bom(const unsigned char *s, size_t len)
{
	return len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
}

/* Line and column as the member's editor shows them: a byte order
 * mark is invisible there, so it does not count as a column. */
static void json_position(const unsigned char *s, size_t len, size_t off,
			  int *line, int *col)
{
	size_t bom = json_bom(s, len);

	if (off < bom)
		off = bom;
	utf8_position((const char *)s + bom, len - bom, off - bom, line, col);
}

static int json_fail(json_error *err, const unsigned char *s, size_t len,
		     size_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void json_vfail(json_error *err, const unsigned char *s, size_t len,
		       size_t off, const char *fmt, va_list ap)
{
	err->offset = off;
	json_position(s, len, off, &err->line, &err->col);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

static int json_fail(json_error *err, const unsigned char *s, size_t len,
		     size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_vfail(err, s, len, off, fmt, ap);
	va_end(ap);
	return JSON_EINVALID;
}

static int json_nomem(json_error *err)
{
	err->offset = 0;
	err->line = err->col = 0;
	snprintf(err->msg, sizeof(err->msg), "out of memory");
	return JSON_ENOMEM;
}

/*
 * Copies the bytes [from, to) of s into dst, at most JSON_EXCERPT code
 * points of them, with "…" when that cuts the text: messages quote
 * what the member wrote, but a 1 MiB string must not fill the screen.
 * The text is known to be valid UTF-8, so cutting before a lead byte
 * keeps it valid.
 */
static void json_excerpt(const unsigned char *s, size_t from, size_t to,
			 char *dst, size_t n)
{
	size_t i, cps = 0;

	for (i = from; i < to; i++) {
		if ((s[i] & 0xC0) != 0x80 && cps++ == JSON_EXCERPT)
			break;
	}
	snprintf(dst, n, "%.*s%s", (int)(i - from), (const char *)s + from,
		 i < to ? "…" : "");
}

static int json_scan_fail(json_scan *sc, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int json_scan_fail(json_scan *sc, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	json_vfail(sc->err, sc->s, sc->len, off, fmt, ap);
	va_end(ap);
	return JSON_EINVALID;
}

static int json_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int json_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int json_is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t json_skip_ws(const unsigned char *s, size_t len, size_t pos)
{
	while (pos < len && json_is_ws(s[pos]))
		pos++;
	return pos;
}

/* End of the run of characters that may make up a word (true, True,
 * NaN) or a number, for quoting it in a message. */
static size_t json_word_end(const json_scan *sc, size_t pos)
{
	while (pos < sc->len &&
	       (json_is_alpha(sc->s[pos]) || json_is_digit(sc->s[pos]) ||
		sc->s[pos] == '_'))
		pos++;
	return pos;
}

static size_t json_number_end(const json_scan *sc, size_t pos)
{
	while (pos < sc->len &&
	       (json_is_digit(sc->s[pos]) || sc->s[pos] == '.' ||
		sc->s[pos] == 'e' || sc->s[pos] == 'E' || sc->s[pos] == '+' ||
		sc->s[pos] == '-'))
		pos++;
	return pos;
}

/* Where the string opening at `pos` closes, or 0 when it does not close
 * on its own line. */
static size_t json_string_close(const json_scan *sc, size_t pos)
{
	for (pos++; pos < sc->len; pos++) {
		if (sc->s[pos] == '"')
			return pos;
		if (sc->s[pos] == '\n' || sc->s[pos] == '\r')
			return 0;
		if (sc->s[pos] == '\\')
			pos++;
	}
	return 0;
}

/* Names what the text holds at `pos`, as the object of "unexpected". */
static void json_scan_describe(const json_scan *sc, size_t pos, char *dst,
			       size_t n)
{
	char ex[JSON_EXCERPT * 4 + 8];
	unsigned char c;
	size_t end;

	if (pos >= sc->len) {
		snprintf(dst, n, "end of file");
		return;
	}
	c = sc->s[pos];
	if (c == '"' && (end = json_string_close(sc, pos)) != 0) {
		json_excerpt(sc->s, pos + 1, end, ex, sizeof(ex));
		snprintf(dst, n, "string \"%s\"", ex);
	} else if (c == '"') {
		snprintf(dst, n, "string");
	} else if (c == '-' || json_is_digit(c)) {
		json_excerpt(sc->s, pos, json_number_end(sc, pos), ex,
			     sizeof(ex));
		snprintf(dst, n, "number %s", ex);
	} else if (json_is_alpha(c)) {
		json_excerpt(sc->s, pos, json_word_end(sc, pos), ex,
			     sizeof(ex));
		snprintf(dst, n, "'%s'", ex);
	} else if (c < 0x20 || c == 0x7F) {
		snprintf(dst, n, "control character U+%04X", c);
	} else if (c == '\'') {
		snprintf(dst, n, "\"'\"");
	} else {
		/* One character, all of its bytes. */
		end = pos + 1;
		while (end < sc->len && (sc->s[end] & 0xC0) == 0x80)
			end++;
		snprintf(dst, n, "'%.*s'", (int)(end - pos),
			 (const char *)sc->s + pos);
	}
}

/* A word of advice for the usual mistakes of hand-written JSON. */
static const char *json_scan_hint(const json_scan *sc, size_t pos)
{
	static const char *const words[] = { "true", "false", "null" };
	const unsigned char *p = sc->s + pos;
	size_t i, n;

	if (pos >= sc->len)
		return "";
	if (p[0] == '\'')
		return " (JSON strings use double quotes)";
	if (p[0] == '/')
		return " (JSON has no comments)";
	if (sc->len - pos >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] == 0x9C || p[2] == 0x9D))
		return " (use straight double quotes \")";
	n = json_word_end(sc, pos) - pos;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (n == strlen(words[i]) &&
		    !strncasecmp((const char *)p, words[i], n))
			return " (true, false and null are written in "
			       "lowercase)";
	return "";
}

/* The error for anything but what the grammar wants at sc->pos. */
static int json_scan_unexpected(json_scan *sc, const char *expected)
{
	char what[JSON_EXCERPT * 4 + 32];

	json_scan_describe(sc, sc->pos, what, sizeof(what));
	return json_scan_fail(sc, sc->pos, "unexpected %s: expected %s%s",
			      what, expected, json_scan_hint(sc, sc->pos));
}

static int json_scan_hex4(const json_scan *sc, size_t at, unsigned *v)
{
	unsigned x = 0;
	unsigned char c;
	size_t i;

	if (at > sc->len || sc->len - at < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = sc->s[at + i];
		x <<= 4;
		if (json_is_digit(c))
			x |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/* A \uXXXX escape at `bs`, with the second half of a surrogate pair. */
static int json_scan_unicode_escape(json_scan *sc, size_t bs)
{
	unsigned hi, lo;

	if (json_scan_hex4(sc, bs + 2, &hi) < 0)
		return json_scan_fail(sc, bs, "invalid escape: \\u must be "
				      "followed by four hex digits");
	if (hi == 0)
		return json_scan_fail(sc, bs, "the escape \\u0000 (a NUL "
				      "character) is not allowed in a string");
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return json_scan_fail(sc, bs, "invalid escape \\u%04X: a low "
				      "surrogate must follow a high one "
				      "(\\uD800 to \\uDBFF)", hi);
	if (hi >= 0xD800 && hi <= 0xDBFF) {
		if (bs + 8 <= sc->len && sc->s[bs + 6] == '\\' &&
		    sc->s[bs + 7] == 'u' &&
		    json_scan_hex4(sc, bs + 8, &lo) == 0 && lo >= 0xDC00 &&
		    lo <= 0xDFFF) {
			sc->pos = bs + 12;
			return 0;
		}
		return json_scan_fail(sc, bs, "invalid escape \\u%04X: a high "
				      "surrogate must be followed by a low "
				      "one (\\uDC00 to \\uDFFF)", hi);
	}
	sc->pos = bs + 6;
	return 0;
}

static int json_scan_escape(json_scan *sc, size_t start)
{
	size_t bs = sc->pos;
	unsigned char e;

	if (bs + 1 >= sc->len)
		return json_scan_fail(sc, start, "%s", JSON_EOF_IN_STRING);
	e = sc->s[bs + 1];
	if (e && strchr("\"\\/bfnrt", e)) {
		sc->pos += 2;
		return 0;
	}
	if (e == 'u')
		return json_scan_unicode_escape(sc, bs);
	if (e >= 0x21 && e <= 0x7E)
		return json_scan_fail(sc, bs, "invalid escape '\\%c' in a "
				      "string (write a backslash as \\\\)", e);
	return json_scan_fail(sc, bs, "invalid escape in a string: a backslash "
			      "must be followed by one of \" \\ / b f n r t u");
}

static int json_scan_string(json_scan *sc)
{
	size_t start = sc->pos;
	unsigned char c;

	sc->pos++;
	for (;;) {
		if (sc->pos >= sc->len)
			return json_scan_fail(sc, start, "%s",
					      JSON_EOF_IN_STRING);
		c = sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			return 0;
		}
		if (c == '\\') {
			if (json_scan_escape(sc, start) < 0)
				return JSON_EINVALID;
			continue;
		}
		if (c == '\n' || c == '\r')
			return json_scan_fail(sc, start, "unterminated string: "
					      "the line ends before its "
					      "closing quote");
		if (c == '\t')
			return json_scan_fail(sc, sc->pos, "tab character in a "
					      "string: write it as \\t");
		if (c < 0x20)
			return json_scan_fail(sc, sc->pos, "control character "
					      "U+%04X in a string: write it "
					      "as \\u%04X", c, c);
		sc->pos++;
	}
}

static size_t json_scan_digits(json_scan *sc)
{
	size_t from = sc->pos;

	while (sc->pos < sc->len && json_is_digit(sc->s[sc->pos]))
		sc->pos++;
	return sc->pos - from;
}

/* RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_scan_number(json_scan *sc)
{
	char ex[JSON_EXCERPT * 4 + 8];
	const char *why = NULL;
	size_t start = sc->pos;

	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos < sc->len && sc->s[sc->pos] == '0') {
		sc->pos++;
		if (sc->pos < sc->len && json_is_digit(sc->s[sc->pos]))
			why = "leading zeros are not allowed";
	} else if (!json_scan_digits(sc)) {
		why = "'-' must be followed by a digit";
	}
	if (!why && sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (!json_scan_digits(sc))
			why = "a digit must follow the '.'";
	}
	if (!why && sc->pos < sc->len &&
	    (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len &&
		    (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
			sc->pos++;
		if (!json_scan_digits(sc))
			why = "a digit must follow the exponent's 'e'";
	}
	if (!why && sc->pos - start > JSON_MAX_NUMBER)
		why = "it is longer than 63 characters";
	if (!why)
		return 0;
	json_excerpt(sc->s, start, json_number_end(sc, start), ex, sizeof(ex));
	return json_scan_fail(sc, start, "invalid number '%s': %s", ex, why);
}

/* true, false or null, and nothing longer. */
static int json_scan_literal(json_scan *sc)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i, n = json_word_end(sc, sc->pos) - sc->pos;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (n == strlen(words[i]) &&
		    !memcmp(sc->s + sc->pos, words[i], n)) {
			sc->pos += n;
			return 0;
		}
	}
	return json_scan_unexpected(sc, "a value");
}

static int json_scan_scalar(json_scan *sc)
{
	unsigned char c = sc->s[sc->pos];

	if (c == '"')
		return json_scan_string(sc);
	if (c == '-' || json_is_digit(c))
		return json_scan_number(sc);
	if (json_is_alpha(c))
		return json_scan_literal(sc);
	return json_scan_unexpected(sc, "a value");
}

/* What the grammar wants next; see json_scan_document. */
enum json_want {
	WANT_VALUE,      /* at the top, or after ':' */
	WANT_FIRST_ITEM, /* after '[': a value or ']' */
	WANT_ITEM,       /* after ',' in an array: a value */
	WANT_FIRST_KEY,  /* after '{': a member name or '}' */
	WANT_KEY,        /* after ',' in an object: a member name */
	WANT_COLON,      /* after a member name */
	WANT_NEXT,       /* after a value in a container: ',' or its end */
	WANT_END         /* after the top-level value: nothing */
};

typedef struct {
	size_t open[JSON_MAX_DEPTH]; /* offsets of the open brackets */
	int depth;
	size_t comma;                /* offset of the last ',' */
} json_stack;

static int json_scan_eof(json_scan *sc, const json_stack *st)
{
	int line, col;

	if (!st->depth)
		return json_scan_fail(sc, sc->pos,
				      "the file holds no JSON value");
	json_position(sc->s, sc->len, st->open[st->depth - 1], &line, &col);
	return json_scan_fail(sc, sc->pos, "unexpected end of file: the '%c' "
			      "at line %d, column %d is never closed",
			      sc->s[st->open[st->depth - 1]], line, col);
}

static enum json_want json_scan_after_value(const json_stack *st)
{
	return st->depth ? WANT_NEXT : WANT_END;
}

/* A value where one may begin: a container is pushed, a scalar read. */
static int json_scan_value(json_scan *sc, json_stack *st, enum json_want *want)
{
	unsigned char c = sc->s[sc->pos];

	if (c != '{' && c != '[') {
		if (json_scan_scalar(sc) < 0)
			return JSON_EINVALID;
		*want = json_scan_after_value(st);
		return 0;
	}
	if (st->depth == JSON_MAX_DEPTH)
		return json_scan_fail(sc, sc->pos,
				      "nesting deeper than %d levels",
				      JSON_MAX_DEPTH);
	st->open[st->depth++] = sc->pos++;
	*want = c == '{' ? WANT_FIRST_KEY : WANT_FIRST_ITEM;
	return 0;
}

static int json_scan_close(json_scan *sc, json_stack *st, enum json_want *want)
{
	sc->pos++;
	st->depth--;
	*want = json_scan_after_value(st);
	return 0;
}

/* A '}' or ']' where the other one would close the container. */
static int json_scan_mismatch(json_scan *sc, const json_stack *st)
{
	size_t open = st->open[st->depth - 1];
	int line, col;

	json_position(sc->s, sc->len, open, &line, &col);
	return json_scan_fail(sc, sc->pos, "unexpected '%c': the '%c' at line "
			      "%d, column %d must be closed with '%c'",
			      sc->s[sc->pos], sc->s[open], line, col,
			      sc->s[open] == '{' ? '}' : ']');
}

static int json_scan_trailing_comma(json_scan *sc, const json_stack *st)
{
	return json_scan_fail(sc, st->comma, "trailing comma: remove the ',' "
			      "before '%c'", sc->s[sc->pos]);
}

/* ',' or the end of the innermost container. */
static int json_scan_next(json_scan *sc, json_stack *st, enum json_want *want)
{
	unsigned char open = sc->s[st->open[st->depth - 1]];
	unsigned char c = sc->s[sc->pos];

	if (c == ',') {
		st->comma = sc->pos++;
		*want = open == '{' ? WANT_KEY : WANT_ITEM;
		return 0;
	}
	if (c == (open == '{' ? '}' : ']'))
		return json_scan_close(sc, st, want);
	if (c == '}' || c == ']')
		return json_scan_mismatch(sc, st);
	return json_scan_unexpected(sc, open == '{' ?
				    "',' or '}' after an object member" :
				    "',' or ']' after an array item");
}

/* One step of the grammar at the non-blank character at sc->pos. */
static int json_scan_step(json_scan *sc, json_stack *st, enum json_want *want)
{
	unsigned char c = sc->s[sc->pos];

	switch (*want) {
	case WANT_FIRST_ITEM:
		if (c == ']')
			return json_scan_close(sc, st, want);
		if (c == '}')
			return json_scan_mismatch(sc, st);
		return json_scan_value(sc, st, want);
	case WANT_ITEM:
		if (c == ']')
			return json_scan_trailing_comma(sc, st);
		return json_scan_value(sc, st, want);
	case WANT_VALUE:
		return json_scan_value(sc, st, want);
	case WANT_FIRST_KEY:
		if (c == '}')
			return json_scan_close(sc, st, want);
		if (c == ']')
			return json_scan_mismatch(sc, st);
		/* fall through */
	case WANT_KEY:
		if (c == '}')
			return json_scan_trailing_comma(sc, st);
		if (c != '"')
			return json_scan_unexpected(sc, "a member name in "
						    "double quotes");
		*want = WANT_COLON;
		return json_scan_string(sc);
	case WANT_COLON:
		if (c != ':')
			return json_scan_unexpected(sc, "':' after the member "
						    "name");
		sc->pos++;
		*want = WANT_VALUE;
		return 0;
	case WANT_NEXT:
		return json_scan_next(sc, st, want);
	case WANT_END:
		break;
	}
	return json_scan_fail(sc, sc->pos, "extra text after the JSON value%s",
			      json_scan_hint(sc, sc->pos));
}

/*
 * The whole grammar in one pass with an explicit stack, so that depth
 * costs no C stack, and nesting beyond the limit stops the pass at the
 * bracket that goes too deep, before cJSON ever recurses into it.
 */
static int json_scan_document(json_scan *sc)
{
	enum json_want want = WANT_VALUE;
	json_stack st;

	st.depth = 0;
	st.comma = 0;
	sc->pos = json_bom(sc->s, sc->len);
	for (;;) {
		sc->pos = json_skip_ws(sc->s, sc->len, sc->pos);
		if (sc->pos == sc->len)
			return want == WANT_END ? 0 : json_scan_eof(sc, &st);
		if (json_scan_step(sc, &st, &want) < 0)
			return JSON_EINVALID;
	}
}

/* Locating: the text walked in step with the tree. */

/* Past the string opening at pos; the text is known to be valid. */
static size_t json_skip_string(const unsigned char *s, size_t len, size_t pos)
{
	for (pos++; pos < len; pos++) {
		if (s[pos] == '\\')
			pos++;
		else if (s[pos] == '"')
			return pos + 1;
	}
	return len;
}

static size_t json_skip_value(const unsigned char *s, size_t len, size_t pos)
{
	size_t depth = 0;

	if (pos < len && s[pos] == '"')
		return json_skip_string(s, len, pos);
	if (pos < len && s[pos] != '{' && s[pos] != '[') {
		while (pos < len && !json_is_ws(s[pos]) && s[pos] != ',' &&
		       s[pos] != ']' && s[pos] != '}')
			pos++;
		return pos;
	}
	while (pos < len) {
		if (s[pos] == '"') {
			pos = json_skip_string(s, len, pos);
			continue;
		}
		if (s[pos] == '{' || s[pos] == '[')
			depth++;
		else if ((s[pos] == '}' || s[pos] == ']') && --depth == 0)
			return pos + 1;
		pos++;
	}
	return len;
}

static int json_is_container(const cJSON *node)
{
	return cJSON_IsArray(node) || cJSON_IsObject(node);
}

/* Fills path[depth...] with the child indices that lead from `cur` to
 * `node`; returns the path's length or -1.  The depth is bounded by
 * the limit json_parse enforced, and checked again here. */
static int json_path(const cJSON *cur, const cJSON *node, int depth,
		     size_t *path)
{
	const cJSON *c;
	size_t i;
	int n;

	if (cur == node)
		return depth;
	if (!json_is_container(cur) || depth >= JSON_MAX_DEPTH)
		return -1;
	for (c = cur->child, i = 0; c; c = c->next, i++) {
		path[depth] = i;
		if ((n = json_path(c, node, depth + 1, path)) >= 0)
			return n;
	}
	return -1;
}

/* Steps from the open bracket at *pos to the value of child `index`,
 * noting where its member name starts. */
static int json_step(const unsigned char *s, size_t len, size_t *pos,
		     size_t index, size_t *key)
{
	unsigned char open = s[*pos];
	size_t p = *pos + 1, i;

	for (i = 0;; i++) {
		p = json_skip_ws(s, len, p);
		if (open == '{') {
			if (p >= len || s[p] != '"')
				return -1;
			*key = p;
			p = json_skip_ws(s, len, json_skip_string(s, len, p));
			if (p >= len || s[p] != ':')
				return -1;
			p = json_skip_ws(s, len, p + 1);
		}
		if (i == index)
			break;
		p = json_skip_ws(s, len, json_skip_value(s, len, p));
		if (p >= len || s[p] != ',')
			return -1;
		p++;
	}
	if (open == '[')
		*key = JSON_NO_KEY;
	*pos = p;
	return 0;
}

/* Offsets of node's value and of its member name (or JSON_NO_KEY). */
static int json_offsets(const unsigned char *s, size_t len, const cJSON *root,
			const cJSON *node, size_t *value, size_t *key)
{
	size_t path[JSON_MAX_DEPTH];
	size_t pos;
	int n, d;

	if (!s || !root || !node || (n = json_path(root, node, 0, path)) < 0)
		return -1;
	*key = JSON_NO_KEY;
	pos = json_skip_ws(s, len, json_bom(s, len));
	for (d = 0; d < n; d++) {
		if (pos >= len || (s[pos] != '{' && s[pos] != '['))
			return -1;
		if (json_step(s, len, &pos, path[d], key) < 0)
			return -1;
	}
	if (pos >= len)
		return -1;
	*value = pos;
	return 0;
}

int json_locate(const char *text, size_t len, const cJSON *root,
		const cJSON *node, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t value, key;

	if (json_offsets(s, len, root, node, &value, &key) < 0)
		return -1;
	json_position(s, len, value, line, col);
	return 0;
}

int json_locate_key(const char *text, size_t len, const cJSON *root,
		    const cJSON *node, int *line, int *col)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t value, key;

	if (json_offsets(s, len, root, node, &value, &key) < 0 ||
	    key == JSON_NO_KEY)
		return -1;
	json_position(s, len, key, line, col);
	return 0;
}

/* Duplicate member names. */

typedef struct {
	const char *name;
	size_t index;
	const cJSON *node;
} json_member;

/* Up to this many members, an object is checked for repeated names
 * pair by pair (at most 120 comparisons); beyond, by sorting. */
#define JSON_DUP_PAIRWISE 16

static int json_member_cmp(const void *a, const void *b)
{
	const json_member *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The member of `obj` that repeats an earlier member's name and comes
 * first in the text, with that earlier member; *dup is NULL when every
 * name is distinct.  Sorting keeps this O(n log n): a hostile object
 * with 100,000 members must not take 10^10 comparisons.
 */
static int json_object_dup(const cJSON *obj, const cJSON **dup,
			   const cJSON **first)
{
	json_member *m;
	const cJSON *c;
	size_t n = 0, i, head = 0, best = SIZE_MAX;

	*dup = *first = NULL;
	for (c = obj->child; c; c = c->next)
		n++;
	if (n < 2)
		return 0;
	if (n <= JSON_DUP_PAIRWISE) {
		const cJSON *a, *b;

		/* Few members (most objects): each against those before it,
		 * without an allocation; the first repeat in the text wins,
		 * with the first member of its name. */
		for (a = obj->child->next; a; a = a->next)
			for (b = obj->child; b != a; b = b->next)
				if (!strcmp(a->string, b->string)) {
					*dup = a;
					*first = b;
					return 0;
				}
		return 0;
	}
	if (!(m = malloc(n * sizeof(*m))))
		return JSON_ENOMEM;
	for (c = obj->child, i = 0; c; c = c->next, i++) {
		m[i].name = c->string;
		m[i].index = i;
		m[i].node = c;
	}
	qsort(m, n, sizeof(*m), json_member_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(m[i].name, m[head].name) != 0) {
			head = i;
			continue;
		}
		/* Within a run of equal names, sorted by position, only
		 * the second can be the earliest repeat. */
		if (i == head + 1 && m[i].index < best) {
			best = m[i].index;
			*dup = m[i].node;
			*first = m[head].node;
		}
	}
	free(m);
	return 0;
}

/*
 * The first repeated member name in the text under `node`.  Visiting
 * in document order, the repeat found in an object is reported only
 * when the walk reaches it, so a repeat inside an earlier member's
 * value wins, as it comes first in the text.  Recursion is bounded by
 * JSON_MAX_DEPTH, which the scan enforced.
 */
static int json_find_dup(const cJSON *node, const cJSON **dup,
			 const cJSON **first)
{
	const cJSON *here = NULL, *here_first = NULL, *c;
	int rc;

	if (cJSON_IsObject(node) &&
	    (rc = json_object_dup(node, &here, &here_first)) < 0)
		return rc;
	if (!json_is_container(node))
		return 0;
	for (c = node->child; c; c = c->next) {
		if (c == here) {
			*dup = here;
			*first = here_first;
			return 0;
		}
		if ((rc = json_find_dup(c, dup, first)) < 0 || *dup)
			return rc;
	}
	return 0;
}

static int json_dup_error(const unsigned char *s, size_t len,
			  const cJSON *root, const cJSON *dup,
			  const cJSON *first, json_error *err)
{
	char name[JSON_EXCERPT * 4 + 8];
	size_t value, key, first_key;
	int line, col;

	/* Both are members of the tree parsed from s: they are found. */
	if (json_offsets(s, len, root, first, &value, &first_key) < 0 ||
	    json_offsets(s, len, root, dup, &value, &key) < 0)
		return json_fail(err, s, len, 0, "duplicate key \"%s\"",
				 dup->string);
	/* Quote the name as written, escapes and all. */
	json_excerpt(s, key + 1, json_skip_string(s, len, key) - 1, name,
		     sizeof(name));
	json_position(s, len, first_key, &line, &col);
	return json_fail(err, s, len, key, "duplicate key \"%s\" (first at "
			 "line %d)", name, line);
}

int json_parse(cJSON **out, const char *text, size_t len, json_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	const cJSON *dup = NULL, *first = NULL;
	cJSON *root = NULL;
	char *copy = NULL;
	json_error ignored;
	json_scan sc;
	size_t bad;
	int rc;

	*out = NULL;
	if (!err)
		err = &ignored;
	memset(err, 0, sizeof(*err));
	if (len > JSON_MAX_BYTES)
		return json_fail(err, s, 0, 0, "file is %zu bytes; the limit "
				 "is 1 MiB", len);
	if (utf8_validate(text, len, &bad) < 0) {
		if (!s[bad])
			return json_fail(err, s, len, bad, "NUL byte at byte "
					 "%zu (text files cannot hold one)",
					 bad);
		return json_fail(err, s, len, bad, "invalid UTF-8 at byte %zu",
				 bad);
	}
	sc.s = s;
	sc.len = len;
	sc.err = err;
	if ((rc = json_scan_document(&sc)) < 0)
		return rc;

	/* cJSON wants the NUL inside the length it is given to check
	 * that nothing follows the value. */
	if (!(copy = malloc(len + 1))) {
		rc = json_nomem(err);
		goto done;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* The scan accepted the text, and cJSON accepts a superset of
	 * strict JSON: failing here means memory ran out. */
	if (!(root = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1))) {
		rc = json_nomem(err);
		goto done;
	}
	if ((rc = json_find_dup(root, &dup, &first)) < 0) {
		json_nomem(err);
		goto done;
	}
	if (dup) {
		rc = json_dup_error(s, len, root, dup, first, err);
		goto done;
	}
	*out = root;
	root = NULL;
done:
	cJSON_Delete(root);
	free(copy);
	return rc;
}
