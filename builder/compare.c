#include "compare.h"

#include <cjson/cJSON.h>

/*
 * The view reuses the directory's rows (site_row in site.c): the same
 * marks as the members table, so the two pages cannot disagree.  Rows
 * are shared by reference; the page must not change them.
 */
int compare_render(site_ctx *c)
{
	const model *m = c->m;
	cJSON *view = cJSON_CreateObject(), *rows;
	size_t i;

	cJSON_AddStringToObject(view, "heading", "Compare members");
	cJSON_AddStringToObject(view, "lead",
				"Every member against every principle: what "
				"each attests itself and what an independent "
				"assessor found, never merged. Choose two to "
				"four members to see them side by side with "
				"their evidence.");
	cJSON_AddNumberToObject(view, "count", (double)m->n_vendors);
	cJSON_AddNumberToObject(view, "max", COMPARE_MAX);
	cJSON_AddBoolToObject(view, "enough", m->n_vendors >= 2);
	rows = cJSON_AddArrayToObject(view, "vendors");
	for (i = 0; i < m->n_vendors; i++)
		cJSON_AddItemReferenceToArray(rows, c->rows[i]);
	return site_page(c, COMPARE_URL "index.html", "compare", "compare",
			 "Compare members",
			 "Members side by side: the self-attested and the "
			 "independently assessed standing of each on every "
			 "principle.",
			 "compare", view);
}
