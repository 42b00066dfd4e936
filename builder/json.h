/*
 * json: reading untrusted JSON files safely, with positions.
 *
 * cJSON builds the tree, but only after json_parse has checked the
 * text itself in one linear pass with an explicit stack: size, UTF-8,
 * nesting depth and the strict RFC 8259 grammar.  cJSON recurses once
 * per nesting level and accepts things JSON does not (leading zeros,
 * raw control characters in strings), and its error pointer is too
 * rough to show to a member on a pull request; the pass here gives a
 * precise message at the exact line and column instead.
 *
 * Every error carries a byte offset and a 1-based line and column,
 * columns counted in code points; a UTF-8 byte order mark at the start
 * is skipped and does not count as a column.
 */
#ifndef TRUSTDIR_JSON_H
#define TRUSTDIR_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* A hostile pull request must not cost unbounded memory or time. */
#define JSON_MAX_BYTES (1024 * 1024)
/* Containers (objects and arrays) nested in one another, the
 * top-level value counting as the first. */
#define JSON_MAX_DEPTH 32

/* The text is not valid JSON, or breaks a limit: `err` says why. */
#define JSON_EINVALID -1
/* Memory ran out while cJSON built the tree. */
#define JSON_ENOMEM -2

typedef struct {
	size_t offset; /* byte offset of the problem in the text */
	int line, col; /* 1-based; col in code points */
	char msg[256]; /* what is wrong, and what was expected */
} json_error;

/*
 * Parses the `len` bytes at `text` (which need not be NUL-terminated)
 * into *out, which the caller frees with cJSON_Delete.  Returns 0, or
 * JSON_EINVALID / JSON_ENOMEM with *out NULL and `err` filled in.
 *
 * Checks in this order, reporting the first problem:
 *   1. size above JSON_MAX_BYTES, at 1:1;
 *   2. invalid UTF-8 or a NUL byte, at the bad byte;
 *   3. in one pass, in text order: syntax errors and nesting deeper
 *      than JSON_MAX_DEPTH (at the bracket that goes too deep);
 *   4. duplicate member names in an object (names compared after
 *      unescaping), at the second occurrence.
 * Strings may not contain the escape \u0000 (it would cut the C
 * string short) and numbers are at most 63 characters (cJSON's
 * limit).  Whether the top-level value is an object is the caller's
 * business.
 */
int json_parse(cJSON **out, const char *text, size_t len, json_error *err);

/*
 * Finds where the value `node` begins in `text`, given `root` as
 * json_parse returned it for that same text.  Returns 0 with the
 * 1-based line and column, or -1 when node is not inside root (or
 * the text does not match the tree).
 *
 * The tree is walked in step with the text, so a call costs time in
 * proportion to the node's offset in the text: callers reporting
 * thousands of errors in one file should stop locating them once
 * their error list is full.
 */
int json_locate(const char *text, size_t len, const cJSON *root,
		const cJSON *node, int *line, int *col);

/*
 * Like json_locate, but for the member name (its opening quote) when
 * `node` is a member of an object, as "unknown field" errors want.
 * Returns -1 for the root and for array items.
 */
int json_locate_key(const char *text, size_t len, const cJSON *root,
		    const cJSON *node, int *line, int *col);

#endif
