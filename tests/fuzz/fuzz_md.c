/*
 * fuzz_md: the markdown renderer with its link filter, and excerpts.
 *
 * The first two bytes choose the options (heading shift, taking the
 * title, the excerpt's length); the rest is the document.  Besides
 * crashes, the harness aborts when the HTML md_render returns holds
 * anything content may not put on the site: a tag or attribute that
 * cmark's own renderer does not write, a link md_url_allowed would
 * refuse, an image from another host; or when md_url_allowed lets
 * through a URL whose scheme a browser would run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "md.h"
#include "utf8.h"

static void fuzz_fail(const char *what, const char *near)
{
	fprintf(stderr, "fuzz_md: %s: %.200s\n", what, near ? near : "");
	abort();
}

/* The scheme a browser sees (WHATWG URL: leading and trailing C0
 * controls and spaces trimmed, tab and newlines removed anywhere),
 * lowercased into scheme; "" when the URL is relative.  Returns 1 when
 * the URL is protocol-relative ("//host", "/\host"). */
static int fuzz_browser_scheme(const char *url, char *scheme, size_t size)
{
	buf u = BUF_INIT;
	const char *p = url;
	size_t i = 0, n;
	int rel2;

	while (*p && (unsigned char)*p <= 0x20)
		p++;
	for (; *p; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			buf_putc(&u, *p);
	scheme[0] = '\0';
	rel2 = (u.ptr[0] == '/' || u.ptr[0] == '\\') &&
	       (u.ptr[1] == '/' || u.ptr[1] == '\\');
	n = strspn(u.ptr, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789+-.");
	if (n && u.ptr[n] == ':' &&
	    strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
		   u.ptr[0]) && n < size) {
		for (i = 0; i < n; i++)
			scheme[i] = (char)(u.ptr[i] | 0x20);
		scheme[n] = '\0';
	}
	buf_dispose(&u);
	return rel2;
}

/* What md_url_allowed promises: nothing a browser would run. */
static void fuzz_url_safe(const char *url, int image)
{
	char scheme[64];
	int rel2 = fuzz_browser_scheme(url, scheme, sizeof(scheme));

	if (rel2)
		fuzz_fail("a protocol-relative URL got through", url);
	if (image && scheme[0])
		fuzz_fail("an image loads from another host", url);
	if (scheme[0] && strcmp(scheme, "http") && strcmp(scheme, "https") &&
	    strcmp(scheme, "mailto"))
		fuzz_fail("a URL with a dangerous scheme got through", url);
}

/* The attribute value as a browser reads it: entities decoded (cmark
 * writes only these). */
static void fuzz_unescape(buf *out, const char *s, size_t len)
{
	static const struct { const char *ent, *ch; } ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#x27;", "'" }, { "&#39;", "'" },
	};
	size_t i, k;

	for (i = 0; i < len; i++) {
		if (s[i] == '&') {
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
				size_t n = strlen(ents[k].ent);

				if (len - i >= n && !memcmp(s + i, ents[k].ent, n)) {
					buf_puts(out, ents[k].ch);
					i += n - 1;
					break;
				}
			}
			if (k == sizeof(ents) / sizeof(ents[0]))
				fuzz_fail("a bare & in an attribute", s + i);
			continue;
		}
		buf_putc(out, s[i]);
	}
}

static int fuzz_in(const char *s, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && !memcmp(*list, s, len))
			return 1;
	return 0;
}

/* Checks every tag of the HTML; returns nothing, aborts on a finding. */
static void fuzz_check_html(const char *html)
{
	static const char *const tags[] = {
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em",
		"strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
		"br", NULL
	};
	static const char *const attrs[] = {
		"href", "title", "src", "alt", "id", "start", "class", NULL
	};
	const char *p = html;

	while ((p = strchr(p, '<')) != NULL) {
		const char *name = ++p, *end;
		int is_img;

		if (*p == '/')
			name = ++p;
		p += strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!fuzz_in(name, (size_t)(p - name), tags))
			fuzz_fail("a tag cmark does not write", name - 1);
		is_img = p - name == 3 && !memcmp(name, "img", 3);
		for (;;) {
			const char *an, *val;
			size_t alen;

			if (*p == '>') {
				p++;
				break;
			}
			if (!strncmp(p, " />", 3)) {
				p += 3;
				break;
			}
			if (*p != ' ')
				fuzz_fail("a malformed tag", name - 1);
			an = ++p;
			p += strspn(p, "abcdefghijklmnopqrstuvwxyz");
			alen = (size_t)(p - an);
			if (!fuzz_in(an, alen, attrs))
				fuzz_fail("an attribute cmark does not write",
					  an);
			if (strncmp(p, "=\"", 2))
				fuzz_fail("an unquoted attribute", an);
			val = p + 2;
			if (!(end = strchr(val, '"')))
				fuzz_fail("an unterminated attribute", an);
			if (memchr(val, '<', (size_t)(end - val)) ||
			    memchr(val, '>', (size_t)(end - val)))
				fuzz_fail("< or > in an attribute", an);
			if ((alen == 4 && !memcmp(an, "href", 4)) ||
			    (alen == 3 && !memcmp(an, "src", 3))) {
				buf u = BUF_INIT;

				fuzz_unescape(&u, val, (size_t)(end - val));
				/* Not md_url_allowed again: cmark writes
				 * a leading control character as %1B and
				 * the like, which turns a web link into a
				 * (harmless) relative one. */
				fuzz_url_safe(u.ptr, is_img);
				buf_dispose(&u);
			}
			p = end + 1;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	md_options opt;
	buf out = BUF_INIT;
	char *title = NULL, *excerpt, *text;
	size_t max_chars, len;

	if (size < 2)
		return 0;
	opt.heading_shift = (int)(data[0] % 9) - 2;
	opt.take_title = data[0] >> 7;
	max_chars = data[1];
	len = size - 2;
	/* A copy of its own, so that ASan sees every read past the end. */
	if (!(text = malloc(len + 1)))
		abort();
	memcpy(text, data + 2, len);
	text[len] = '\0';

	if (md_render(&out, text, len, data[0] & 0x40 ? NULL : &opt,
		      data[0] & 0x20 ? NULL : &title) < 0)
		fuzz_fail("md_render failed", NULL);
	if (utf8_validate(out.ptr, out.len, NULL) < 0)
		fuzz_fail("the HTML is not UTF-8", out.ptr);
	fuzz_check_html(out.ptr);
	if (title && utf8_validate(title, strlen(title), NULL) < 0)
		fuzz_fail("the title is not UTF-8", title);

	if (!(excerpt = md_excerpt(text, len, max_chars)))
		fuzz_fail("md_excerpt failed", NULL);
	if (utf8_validate(excerpt, strlen(excerpt), NULL) < 0)
		fuzz_fail("the excerpt is not UTF-8", excerpt);
	{
		size_t cps = 0;
		const char *e;

		for (e = excerpt; *e; e++)
			cps += ((unsigned char)*e & 0xC0) != 0x80;
		if (cps > max_chars)
			fuzz_fail("the excerpt is too long", excerpt);
	}

	/* The whole input as one URL (up to a NUL, as C strings end). */
	if (md_url_allowed(text)) {
		char scheme[64];

		if (fuzz_browser_scheme(text, scheme, sizeof(scheme)) ||
		    (scheme[0] && strcmp(scheme, "http") &&
		     strcmp(scheme, "https") && strcmp(scheme, "mailto")))
			fuzz_fail("md_url_allowed lets through", text);
	}

	free(excerpt);
	free(title);
	free(text);
	buf_dispose(&out);
	return 0;
}
