/*
 * md: what content may and may not put on the site, exactly as it
 * comes out.
 */
#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "md.h"

/* Renders `text` with `opt` and compares the HTML; returns the title. */
static char *render_title(const char *text, const md_options *opt,
			  const char *want)
{
	buf out = BUF_INIT;
	char *title = NULL;

	OK(md_render(&out, text, strlen(text), opt, &title) == 0,
	   "%.60s: md_render failed", text);
	STR_EQ(out.ptr, want, "%.60s", text);
	buf_dispose(&out);
	return title;
}

static void render(const char *text, const char *want)
{
	free(render_title(text, NULL, want));
}

static void test_raw_html(void)
{
	render("<div onclick=\"x()\">\n*block*\n</div>\n\nafter\n",
	       "<p>after</p>\n");
	render("a <b onmouseover=\"x()\">bold</b> <!-- note --> b\n",
	       "<p>a bold  b</p>\n");
	render("<script>alert(1)</script>\n\ntext\n", "<p>text</p>\n");
	render("x <script>alert(1)</script> y\n", "<p>x alert(1) y</p>\n");
	/* Escaped text stays text. */
	render("\\<script> &lt;b&gt; `<i>`\n",
	       "<p>&lt;script&gt; &lt;b&gt; <code>&lt;i&gt;</code></p>\n");
}

static void test_links(void)
{
	render("[a](javascript:alert(1))", "<p>a</p>\n");
	render("[a](JAVASCRIPT:alert(1))", "<p>a</p>\n");
	render("[a](<  javascript:alert(1)>)", "<p>a</p>\n");
	render("[a](java&#x09;script:alert(1))", "<p>a</p>\n");
	render("[a](jav&#x61;script:alert(1))", "<p>a</p>\n");
	render("[a](vbscript:msgbox)", "<p>a</p>\n");
	render("[a](data:text/html;base64,PHNjcmlwdD4=)", "<p>a</p>\n");
	render("[a *b*](//evil.example/x)", "<p>a <em>b</em></p>\n");
	render("[a](/\\evil.example/x)", "<p>a</p>\n");
	render("<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n");
	render("[a][r]\n\n[r]: javascript:alert(1)\n", "<p>a</p>\n");
	render("[a](https://e.example/?q=1&r=\"2\" \"T 'x'\")",
	       "<p><a href=\"https://e.example/?q=1&amp;r=%222%22\" "
	       "title=\"T 'x'\">a</a></p>\n");
	render("[a](HTTP://e.example)", "<p><a href=\"HTTP://e.example\">a</a></p>\n");
	render("[a](mailto:x@e.example) <y@e.example>",
	       "<p><a href=\"mailto:x@e.example\">a</a> "
	       "<a href=\"mailto:y@e.example\">y@e.example</a></p>\n");
	render("[a](../principles/governance/) [b](#x) [c](a:b/c) [d](?a:b)",
	       "<p><a href=\"../principles/governance/\">a</a> "
	       "<a href=\"#x\">b</a> c <a href=\"?a:b\">d</a></p>\n");
}

static void test_url_allowed(void)
{
	OK(md_url_allowed("https://e.example"), "https");
	OK(md_url_allowed("HtTp://e.example"), "http, any case");
	OK(md_url_allowed("mailto:a@e.example"), "mailto");
	OK(md_url_allowed("/abs/path"), "absolute path");
	OK(md_url_allowed("rel/path:with-colon"), "colon after a slash");
	OK(md_url_allowed(""), "empty is relative");
	OK(!md_url_allowed(NULL), "NULL");
	OK(!md_url_allowed("javascript:x"), "javascript");
	OK(!md_url_allowed(" \x01javascript:x"), "leading controls");
	OK(!md_url_allowed("java\tscript:x"), "tab inside the scheme");
	OK(!md_url_allowed("//evil.example"), "protocol-relative");
	OK(!md_url_allowed("/\t/evil.example"), "slashes split by a tab");
	OK(!md_url_allowed("\\\\evil.example"), "backslashes");
	OK(!md_url_allowed("https\n:x"), "newline in the scheme");
	OK(!md_url_allowed("file:///etc/passwd"), "file");
	OK(!md_url_allowed("%6Aavascript:x"), "percent-encoded scheme");
}

static void test_images(void)
{
	render("![A *chart*](img/chart.png \"Fig. 1\")",
	       "<p><img src=\"img/chart.png\" alt=\"A chart\" "
	       "title=\"Fig. 1\" /></p>\n");
	render("![logo](https://cdn.example/logo.png)",
	       "<p><a href=\"https://cdn.example/logo.png\">logo</a></p>\n");
	render("![](https://cdn.example/logo.png)",
	       "<p><a href=\"https://cdn.example/logo.png\">"
	       "https://cdn.example/logo.png</a></p>\n");
	render("![pixel](data:image/png;base64,iVBORw0KGgo=)", "<p>pixel</p>\n");
	render("![x](//cdn.example/x.png)", "<p>x</p>\n");
	render("![x](javascript:alert(1))", "<p>x</p>\n");
	/* Links do not nest: inside one, the image is its alt text. */
	render("[![logo](https://cdn.example/l.png)](https://e.example)",
	       "<p><a href=\"https://e.example\">logo</a></p>\n");
	render("[![logo](l.png)](javascript:x)",
	       "<p><img src=\"l.png\" alt=\"logo\" /></p>\n");
}

static void test_headings(void)
{
	md_options shift = { 1, 0 };
	char *title;

	render("# Intro\n\n## Intro\n\n### Intro!\n\n#### Intro-2\n\n# \n\n## ***\n\n"
	       "## Über *uns* & `code`\n",
	       "<h1 id=\"intro\">Intro</h1>\n"
	       "<h2 id=\"intro-2\">Intro</h2>\n"
	       "<h3 id=\"intro-3\">Intro!</h3>\n"
	       "<h4 id=\"intro-2-2\">Intro-2</h4>\n"
	       "<h1 id=\"section\"></h1>\n"
	       "<h2 id=\"section-2\">***</h2>\n"
	       "<h2 id=\"ber-uns-code\">Über <em>uns</em> &amp; "
	       "<code>code</code></h2>\n");
	free(render_title("# A\n\nSetext\n------\n\n###### Six\n", &shift,
			  "<h2 id=\"a\">A</h2>\n<h3 id=\"setext\">Setext</h3>\n"
			  "<h4 id=\"six\">Six</h4>\n"));
	/* No level is skipped: a document that starts at "##" starts at
	 * the top level it is given. */
	render("## <span>x</span> [y](javascript:z)\n",
	       "<h1 id=\"x-y\">x y</h1>\n");

	{
		md_options both = { 1, 1 };

		title = render_title("# The *Alliance* <b>x</b>\n\nText.\n\n# Again\n",
				     &both,
				     "<p>Text.</p>\n<h2 id=\"again\">Again</h2>\n");
		STR_EQ(title, "The Alliance x", "take_title");
		free(title);
		title = render_title("Text first.\n\n# Not a title\n", &both,
				     "<p>Text first.</p>\n"
				     "<h2 id=\"not-a-title\">Not a title</h2>\n");
		OK(title == NULL, "no title when the heading is not first");
		free(title);
		title = render_title("## Level two\n", &both,
				     "<h2 id=\"level-two\">Level two</h2>\n");
		OK(title == NULL, "no title from a level-2 heading");
		free(title);
	}
}

static void excerpt(const char *text, size_t max, const char *want)
{
	char *got = md_excerpt(text, strlen(text), max);

	STR_EQ(got, want, "excerpt of %.40s, %zu", text, max);
	free(got);
}

static void test_excerpt(void)
{
	excerpt("# Title\n\n<div>raw</div>\n\nThe  *vendor*\nsells [routers](https://e.example)"
		" <b>now</b>.\n\nSecond.\n", 200,
		"The vendor sells routers now.");
	excerpt("One two three four five", 13, "One two…");
	excerpt("One two three four five", 14, "One two three…");
	excerpt("One two three four five", 23, "One two three four five");
	excerpt("Äöü äöü äöü", 8, "Äöü äöü…");
	excerpt("Onetwothreefour", 6, "Onetw…");
	excerpt("One, two", 6, "One…");
	excerpt("# Only a heading\n", 10, "");
	excerpt("<b></b>\n\nReal text.", 50, "Real text.");
}

/* One-line prose skips cmark (md.c, md_is_plain): whatever the text,
 * the HTML must be what cmark itself makes of it.  Random texts mix
 * prose with the characters that stop the shortcut (markup, breaks,
 * leading digits and spaces, bad UTF-8), so both paths are compared. */
static void test_plain_shortcut(void)
{
	static const char *const pieces[] = {
		"a", "Word", " ", "  ", ".", ",", ";", ":", "'", "\"", "(", ")",
		"/", "?", "-", "+", "=", "%", "$", "@", "1", "2.", "3)", "\xc3\xa9",
		"\xf0\x9f\x98\x80", "*", "_", "`", "[", "]", "<", ">", "&",
		"&amp;", "!", "#", "~", "|", "\\", "\n", "\t", "\xff", "\x7f",
		"http://example.org", "www.example.org", "a@b.example", "{", "}",
	};
	uint32_t seed = 11;
	int round, plain = 0;

	for (round = 0; round < 20000; round++) {
		char text[128];
		size_t len = 0, n;
		buf got = BUF_INIT;
		char *want;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 8) % 9;
		while (n--) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			/* mostly letters and spaces, like prose */
			p = (seed >> 8) % 3 ? pieces[(seed >> 12) % 3]
					    : pieces[(seed >> 12) %
						     (sizeof(pieces) /
						      sizeof(*pieces))];
			if (len + strlen(p) >= sizeof(text))
				break;
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		text[len] = '\0';
		OK(md_render(&got, text, len, NULL, NULL) == 0,
		   "md_render of %s", text);
		/* Headings get ids, raw HTML and links are filtered: where
		 * those can appear, md_render is not cmark's plain output. */
		if (strpbrk(text, "#<[!\n")) {
			buf_dispose(&got);
			continue;
		}
		want = cmark_markdown_to_html(text, len,
					      CMARK_OPT_VALIDATE_UTF8);
		STR_EQ(got.ptr, want, "plain or not, %s", text);
		if (!strpbrk(text, "\\`*_]>&~|\t\x7f"))
			plain++;
		free(want);
		buf_dispose(&got);
	}
	OK(plain > 3000, "many of the texts are prose (%d)", plain);
}

int main(void)
{
	test_plain_shortcut();
	test_raw_html();
	test_links();
	test_url_allowed();
	test_images();
	test_headings();
	test_excerpt();
	return harness_done("test_md");
}
