/*
 * report: a list of changes printed for people and programs, as
 * `trustdir diff` writes it.
 *
 *   text      one heading line per vendor, one indented line per change
 *   markdown  for a pull-request comment: a heading per vendor, status
 *             changes called out first, then every change
 *   json      {"base", "head", "changes": [{"kind", "vendor",
 *             "vendor_name", "assessment", "assessment_type",
 *             "principle", "principle_title", "field", "old", "new",
 *             "text"}]}; absent values are null
 */
#ifndef TRUSTDIR_REPORT_H
#define TRUSTDIR_REPORT_H

#include "buf.h"
#include "change.h"

typedef enum { REPORT_TEXT, REPORT_MARKDOWN, REPORT_JSON } report_format;

void report_changes(buf *out, const change_list *l, report_format fmt,
		    const char *base_id, const char *head_id);

#endif
