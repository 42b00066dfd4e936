/*
 * jsonw: a cJSON tree written as JSON text, byte for byte what
 * cJSON_PrintUnformatted writes.
 *
 * cJSON prints every number with sprintf("%1.15g") and reads it back
 * with sscanf to see whether 17 digits are needed; the API files carry
 * thousands of small integers, and at 1,000 vendors that was a tenth of
 * the time spent rendering.  Here an integer is written by hand and any
 * other number as cJSON would; strings are escaped as cJSON escapes
 * them (quote, backslash and control characters only: the API files are
 * served as JSON, not put into HTML; see esc_json for that).
 */
#ifndef TRUSTDIR_JSONW_H
#define TRUSTDIR_JSONW_H

#include <cjson/cJSON.h>

#include "buf.h"

/* Appends v as cJSON_PrintUnformatted(v) would print it. */
void jsonw_print(buf *out, const cJSON *v);

#endif
