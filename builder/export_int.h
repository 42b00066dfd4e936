/*
 * export_int: what export.c and export_schema.c share.  Not for other
 * callers.
 *
 * Every object of the API is described once, as a table of fields
 * (export_schema.c).  The table gives the JSON Schema that is
 * published, the field list of the documentation page and the order
 * in which export.c writes the keys; the tests validate every file
 * against the published schema, so a field added to a file but not to
 * its table fails them.
 */
#ifndef TRUSTDIR_EXPORT_INT_H
#define TRUSTDIR_EXPORT_INT_H

#include <cjson/cJSON.h>

#include "buf.h"

typedef enum {
	EXPORT_STRING,
	EXPORT_INTEGER, /* never negative */
	EXPORT_BOOLEAN,
	EXPORT_OBJECT,  /* `of` names the object */
	EXPORT_ARRAY    /* of the object `of` names, or of strings */
} export_type;

typedef struct {
	const char *name;
	export_type type;
	const char *of;     /* EXPORT_OBJECT, EXPORT_ARRAY: an object's name */
	const char *format; /* strings and arrays of strings: see below */
	int nullable;       /* null stands for "none": the key is always there */
	const char *desc;
} export_field;

/* Formats of strings: "date" (YYYY-MM-DD), "url", "name" (a slug or
 * id: ^[a-z0-9][a-z0-9-]{0,62}$), "country" (ISO 3166-1 alpha-2),
 * "commit" (hex object id), "sha256", "status", "kind", "type"
 * (assessment type) and "version" (an integer: always 1). */

typedef struct {
	const char *name; /* the schema's $defs key, or the root's file name */
	const char *desc;
	const export_field *fields; /* ended by a field without a name */
} export_object;

/* The three kinds of file under api/v1/, by the name of their schema:
 * "site", "vendors" and "vendor". */
const export_object *export_object_find(const char *name);

/* The JSON Schema of the file whose root object is `name`, with $id
 * under base_url.  The caller deletes it. */
cJSON *export_schema(const char *name, const char *base_url);

/* The documentation of a file's fields, one row per field, depth
 * first: [{path ("vendors[].standings[].principle"), type (in words),
 * description}].  The caller deletes it. */
cJSON *export_schema_fields(const char *name);

/* The columns of directory.csv, in order; ended by {NULL, NULL}. */
typedef struct {
	const char *name, *desc;
} export_column;
extern const export_column export_csv_columns[];

/* The evidence kinds of the spec, in its order, ended by NULL. */
extern const char *const export_kinds[];

#endif
