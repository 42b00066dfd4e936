#include "check.h"

#include <stdarg.h>
#include <string.h>

#include "json.h"

static void check_vadd(check_ctx *c, const cJSON *at, int key,
		       const char *fmt, va_list ap)
{
	buf msg = BUF_INIT;
	int line = 1, col = 1, rc = -1;

	c->errors++;
	if (diag_count(c->diags) >= DIAG_MAX_KEPT) {
		/* Only counted: locating it would cost a pass over the file
		 * for an error nobody will see. */
		diag_add(c->diags, c->path, 0, 0, "%s", "");
		return;
	}
	buf_vprintf(&msg, fmt, ap);
	if (at && at != c->root)
		rc = key ? json_locate_key(c->text, c->len, c->root, at,
					   &line, &col)
			 : json_locate(c->text, c->len, c->root, at, &line,
				       &col);
	else if (at)
		rc = json_locate(c->text, c->len, c->root, at, &line, &col);
	if (rc < 0) {
		line = 1;
		col = 1;
	}
	diag_add(c->diags, c->path, line, col, "%s", msg.ptr);
	buf_dispose(&msg);
}

void check_error(check_ctx *c, const cJSON *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vadd(c, at, 0, fmt, ap);
	va_end(ap);
}

void check_key_error(check_ctx *c, const cJSON *member, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vadd(c, member, 1, fmt, ap);
	va_end(ap);
}

const char *check_type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

static void check_repr_string(buf *b, const char *s)
{
	size_t chars = 0;

	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch & 0xC0) != 0x80 && ++chars > 60) {
			buf_puts(b, "…");
			break;
		}
		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch == '\n')
			buf_puts(b, "\\n");
		else if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_putc(b, (char)ch);
	}
	buf_putc(b, '"');
}

void check_repr(buf *b, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		check_repr_string(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		buf_printf(b, "%.17g", v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		buf_puts(b, "null");
	} else {
		buf_puts(b, cJSON_IsArray(v) ? "[…]" : "{…}");
	}
}

static int check_in(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (!strcmp(key, *allowed))
			return 1;
	return 0;
}

void check_fields(check_ctx *c, const cJSON *obj, const char *const *allowed)
{
	const cJSON *m;
	const char *const *a;

	cJSON_ArrayForEach(m, obj) {
		buf key = BUF_INIT, list = BUF_INIT;

		if (check_in(m->string, allowed))
			continue;
		/* The list is made only for an error: this runs for every
		 * object of every file. */
		for (a = allowed; *a; a++)
			buf_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
		check_repr_string(&key, m->string);
		check_key_error(c, m, "unknown field %s; the fields allowed "
			       "here are: %s", key.ptr, list.ptr);
		buf_dispose(&key);
		buf_dispose(&list);
	}
}

int check_is_object(check_ctx *c, const cJSON *v, const char *what)
{
	if (cJSON_IsObject(v))
		return 1;
	check_error(c, v, "%s must be an object {…}, not %s", what,
		    check_type_name(v));
	return 0;
}

/* Counts code points and rejects control characters: a name with a
 * newline or an escape sequence in it is a mistake or an attack. */
static int check_text_ok(const char *s, int markdown, size_t *chars)
{
	*chars = 0;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch & 0xC0) != 0x80)
			(*chars)++;
		if (ch == 0x7f || (ch < 0x20 &&
				   !(markdown && (ch == '\n' || ch == '\t' ||
						  ch == '\r'))))
			return 0;
	}
	return 1;
}

const char *check_string(check_ctx *c, const cJSON *obj, const char *key,
			 int flags, size_t max, const char *hint)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	size_t chars;

	if (!v) {
		if (flags & CHECK_REQUIRED)
			check_error(c, obj, "missing required field \"%s\": "
				    "%s", key, hint);
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		check_error(c, v, "\"%s\" must be a string (%s), not %s", key,
			    hint, check_type_name(v));
		return NULL;
	}
	if (!check_text_ok(v->valuestring, flags & CHECK_MARKDOWN, &chars)) {
		check_error(c, v, "\"%s\" holds a control character; only "
			    "printable text is allowed%s", key,
			    (flags & CHECK_MARKDOWN) ? " (and line breaks)"
						     : "");
		return NULL;
	}
	if (chars == 0 || strspn(v->valuestring, " \t\r\n") ==
				  strlen(v->valuestring)) {
		check_error(c, v, "\"%s\" is empty: %s", key, hint);
		return NULL;
	}
	if (chars > max) {
		check_error(c, v, "\"%s\" is %zu characters long; the limit is "
			    "%zu", key, chars, max);
		return NULL;
	}
	return v->valuestring;
}

int check_date_valid(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

const char *check_date(check_ctx *c, const cJSON *obj, const char *key,
		       int flags)
{
	const char *s = check_string(c, obj, key, flags, 10,
				     "a date as YYYY-MM-DD");
	buf repr = BUF_INIT;

	if (!s || check_date_valid(s))
		return s;
	check_repr(&repr, cJSON_GetObjectItemCaseSensitive(obj, key));
	check_error(c, cJSON_GetObjectItemCaseSensitive(obj, key),
		    "\"%s\": %s is not a valid date; use YYYY-MM-DD (e.g. "
		    "\"2026-02-13\")", key, repr.ptr);
	buf_dispose(&repr);
	return NULL;
}

static int check_url_ok(const char *s, int allow_mailto)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == '`')
			return 0;
	if (!strncmp(s, "https://", 8) && s[8] && s[8] != '/')
		return 1;
	if (!strncmp(s, "http://", 7) && s[7] && s[7] != '/')
		return 1;
	return allow_mailto && !strncmp(s, "mailto:", 7) && s[7];
}

const char *check_url(check_ctx *c, const cJSON *obj, const char *key,
		      int flags, int allow_mailto, const char *hint)
{
	const char *s = check_string(c, obj, key, flags, 2000, hint);
	buf repr = BUF_INIT;

	if (!s || check_url_ok(s, allow_mailto))
		return s;
	check_repr(&repr, cJSON_GetObjectItemCaseSensitive(obj, key));
	check_error(c, cJSON_GetObjectItemCaseSensitive(obj, key),
		    "\"%s\": %s is not an allowed URL; use an absolute "
		    "https:// or http:// address%s without spaces", key,
		    repr.ptr, allow_mailto ? " or a mailto: address" : "");
	buf_dispose(&repr);
	return NULL;
}
