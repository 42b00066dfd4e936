#include "esc.h"

#include <string.h>

/* The bytes HTML escapes, by value: most text has none, and a table
 * lets the loop skip them without a switch per byte. */
static const char *const esc_html_rep[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

void esc_html(buf *out, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *rep;

	buf_grow(out, len);
	for (i = 0; i < len; i++) {
		if (!(rep = esc_html_rep[(unsigned char)s[i]]))
			continue;
		buf_put(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_put(out, s + start, len - start);
}

void esc_xml(buf *out, const char *s, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
			continue;
		esc_html(out, s + start, i - start);
		start = i + 1;
	}
	esc_html(out, s + start, len - start);
}

void esc_json(buf *out, const char *s, size_t len)
{
	size_t i;

	buf_putc(out, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': buf_puts(out, "\\\""); continue;
		case '\\': buf_puts(out, "\\\\"); continue;
		case '\n': buf_puts(out, "\\n"); continue;
		case '\r': buf_puts(out, "\\r"); continue;
		case '\t': buf_puts(out, "\\t"); continue;
		case '<': case '>': case '&': case '\'':
			buf_printf(out, "\\u%04x", c);
			continue;
		}
		if (c < 0x20) {
			buf_printf(out, "\\u%04x", c);
		} else if (c == 0xE2 && i + 2 < len &&
			   (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xA8 ||
			    (unsigned char)s[i + 2] == 0xA9)) {
			/* U+2028 and U+2029 end a line in JavaScript. */
			buf_printf(out, "\\u%04x",
				   (unsigned char)s[i + 2] == 0xA8 ? 0x2028 : 0x2029);
			i += 2;
		} else {
			buf_putc(out, (char)c);
		}
	}
	buf_putc(out, '"');
}

void esc_csv(buf *out, const char *s, size_t len)
{
	int quote = 0, neutralise = 0;
	size_t i;

	if (len && strchr("=+-@\t\r", s[0]))
		neutralise = 1;
	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote && !neutralise) {
		buf_put(out, s, len);
		return;
	}
	buf_putc(out, '"');
	if (neutralise)
		buf_putc(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

void esc_url_component(buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
}
