/*
 * export: the directory as data, for people who take it elsewhere.
 *
 * One build stage, export_render(), writes beside the pages:
 *
 *   api/v1/site.json              the site, its principles, layers and
 *                                 the words of every status and kind
 *   api/v1/vendors.json           every vendor with its standing on
 *                                 every principle
 *   api/v1/vendors/<slug>.json    everything a profile shows
 *   api/v1/schema/<name>.json     a JSON Schema (2020-12) of each
 *   api/index.html                the page that documents all of it
 *   directory.csv                 one row per vendor and principle
 *   assets/search.json            the index the search box reads
 *
 * Field names are a contract: the schemas and the documentation page
 * are generated from the same tables as the files (export_schema.c),
 * so the three cannot drift apart.  Output is deterministic: fixed key
 * order, integers only, no time but the commit's.
 */
#ifndef TRUSTDIR_EXPORT_H
#define TRUSTDIR_EXPORT_H

#include "site_int.h"

/* Site paths of the data, for the links every page shows. */
#define EXPORT_API_DOCS "api/"
#define EXPORT_API_DIR "api/v1/"
#define EXPORT_API_VENDORS_DIR "api/v1/vendors/"
#define EXPORT_CSV "directory.csv"
#define EXPORT_SEARCH_INDEX "assets/search.json"

/* Writes every file above.  0, or -1 with the reason in c->err. */
int export_render(site_ctx *c);

#endif
