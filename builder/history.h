/*
 * history: the pages and feeds made from the history walk (hist.h):
 * vendors/<slug>/history/, vendors/<slug>/history.atom, changes/ (100
 * changes a page) and changes.atom; and the dates other pages show:
 * "listed since", "last changed" and each standing's "status since".
 */
#ifndef TRUSTDIR_HISTORY_H
#define TRUSTDIR_HISTORY_H

#include "site_int.h"

#define HISTORY_PAGE_SIZE 100
#define HISTORY_FEED_SIZE 100

/* Adds listed_since, last_changed and history_url to a vendor's view
 * (profile or directory row); null when there is no history. */
void history_vendor_keys(site_ctx *c, const model_vendor *v, cJSON *obj);
/* Adds status_since to the view of one side of a standing. */
void history_side_keys(site_ctx *c, const model_vendor *v, size_t p,
		       int independent, cJSON *side);
/* "2026-02-13": the UTC date of t, seconds since the epoch. */
void history_date(char out[11], int64_t t);
/* Writes the history pages and feeds. */
int history_render(site_ctx *c);

#endif
