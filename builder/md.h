/*
 * md: CommonMark from the repository rendered as HTML that is safe to
 * put on the site.
 *
 * cmark parses; before anything is rendered, the tree is filtered:
 * raw HTML is removed (not even left as a comment), link destinations
 * other than https:, http:, mailto: and relative ones are dropped
 * (the link's text stays), and images load only from the site itself
 * (Self-contained, in SPEC.md).  The filtered tree is then rendered by
 * cmark, which escapes text, URLs and titles.
 */
#ifndef TRUSTDIR_MD_H
#define TRUSTDIR_MD_H

#include <stddef.h>

#include "buf.h"

typedef struct {
	/* Added to every heading's level (the result is kept within 1 to
	 * 6), so that content headings sit under the page's own <h1>; a
	 * heading is also never more than one level below the one before
	 * it (the first: below heading_shift), so no level is skipped. */
	int heading_shift;
	/* When the document starts with a level-1 heading, remove it and
	 * hand its text back as the page's title. */
	int take_title;
} md_options;

/*
 * Appends the HTML of the `len` bytes of CommonMark at `text` to
 * `out`.  `opt` may be NULL (no shift, no title taken).  When `title`
 * is not NULL it receives the plain text of the heading taken by
 * take_title, malloc'd for the caller to free and to escape where it
 * lands, or NULL when there was none.
 *
 * Every heading gets an id, the slug of its plain text: ASCII letters
 * and digits lowercased, every run of other ASCII characters one '-',
 * none at either end; bytes outside ASCII are left out (so "Über"
 * gives "ber"); an empty slug is "section"; a slug already used in
 * the document gets "-2", "-3" ... appended.  Ids are unique within one
 * call only: a page rendering several documents must keep them apart.
 *
 * An image with a relative URL is kept; one with an http(s) URL
 * becomes a link to it, its alt text the link's text (or, inside a
 * link, where links cannot nest, just the alt text); any other image
 * becomes its alt text.
 *
 * Returns 0, or -1 when memory runs out (out is left as it was, and
 * *title is NULL).  The input is not size-limited here: callers cap
 * the size of files they read.
 */
int md_render(buf *out, const char *text, size_t len, const md_options *opt,
	      char **title);

/*
 * 1 when a link to `url` may be published: its scheme is https:,
 * http: or mailto: (any case), or it has none and is not
 * protocol-relative ("//host", and "/\host" which browsers read the
 * same way); else 0, and 0 for NULL.  Leading spaces and control
 * characters are skipped, as browsers skip them.  The empty string is
 * a relative URL: callers that need a real address check for it.
 */
int md_url_allowed(const char *url);

/*
 * The plain text of the first paragraph that has any, for a meta
 * description: whitespace collapsed, raw HTML left out, links and
 * images reduced to their text.  When longer than `max_chars` code
 * points it is cut at a word boundary and "…" appended, the whole at
 * most `max_chars` code points.  Returns a malloc'd string (empty when
 * there is no text) for the caller to free, or NULL when memory runs
 * out.
 */
char *md_excerpt(const char *text, size_t len, size_t max_chars);

#endif
