/*
 * check: typed access to the members of a parsed JSON file, where every
 * problem becomes a diagnostic pointing at the offending value.
 *
 * A check_ctx describes one file.  Errors are positioned with
 * json_locate(), so "vendors/acme/profile.json:4:15" names the value
 * itself, not the top of the file.
 */
#ifndef TRUSTDIR_CHECK_H
#define TRUSTDIR_CHECK_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "diag.h"

typedef struct {
	diag_list *diags;
	const char *path;
	const char *text;
	size_t len;
	const cJSON *root;
	int errors; /* diagnostics added through this context */
} check_ctx;

/* An error at the start of the value `at` (or at 1:1 when NULL). */
void check_error(check_ctx *c, const cJSON *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error at the key of the object member `member`. */
void check_key_error(check_ctx *c, const cJSON *member, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends a short JSON rendering of v (strings quoted, cut at 60
 * characters) for use in messages. */
void check_repr(buf *b, const cJSON *v);
/* "a string", "a number", ... */
const char *check_type_name(const cJSON *v);

/* Reports every member of obj whose key is not in allowed (a NULL
 * terminated list). */
void check_fields(check_ctx *c, const cJSON *obj, const char *const *allowed);
/* Returns 1 if v is an object, else reports "what must be an object". */
int check_is_object(check_ctx *c, const cJSON *v, const char *what);

/* The string member key of obj, or NULL when it is absent (an error
 * when required), not a string, empty, longer than max characters, or
 * holds control characters (markdown allows newlines and tabs).
 * hint says what is allowed, e.g. "the vendor's name". */
#define CHECK_REQUIRED 1
#define CHECK_MARKDOWN 2
const char *check_string(check_ctx *c, const cJSON *obj, const char *key,
			 int flags, size_t max, const char *hint);
/* A date member: YYYY-MM-DD and a real calendar day. */
const char *check_date(check_ctx *c, const cJSON *obj, const char *key,
		       int flags);
/* A URL member: absolute http(s) (or mailto: when allow_mailto). */
const char *check_url(check_ctx *c, const cJSON *obj, const char *key,
		      int flags, int allow_mailto, const char *hint);
/* 1 if s is YYYY-MM-DD naming a real day. */
int check_date_valid(const char *s);

#endif
