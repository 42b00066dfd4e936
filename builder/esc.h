/*
 * esc: one escaping function per output context.
 *
 * Every string that comes from a repository is written through one of
 * these, at the point where it is output, for the context it lands in.
 * Each appends to `out` and never fails.
 */
#ifndef TRUSTDIR_ESC_H
#define TRUSTDIR_ESC_H

#include "buf.h"

/* HTML text and quoted attribute values: & < > " ' become entities. */
void esc_html(buf *out, const char *s, size_t len);
/* XML 1.0 text and attributes (feeds, sitemap): like esc_html, and
 * characters XML forbids (C0 controls but tab, CR, LF) are dropped. */
void esc_xml(buf *out, const char *s, size_t len);
/* A JSON string literal, quotes included, safe inside an HTML <script>
 * element or attribute: < > & ' U+2028 U+2029 are written as \uXXXX. */
void esc_json(buf *out, const char *s, size_t len);
/* One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or
 * LF; a cell that starts with = + - @ tab or CR gets a leading
 * apostrophe, as OWASP advises against formula injection. */
void esc_csv(buf *out, const char *s, size_t len);
/* A path segment or query value in a URL: everything but unreserved
 * characters (RFC 3986) is percent-encoded. */
void esc_url_component(buf *out, const char *s, size_t len);

#endif
