/*
 * compare: compare/index.html, every member against every principle.
 *
 * The page is a matrix (members in the directory's order, principles in
 * site.json's order) whose every cell shows the self-attested and the
 * independent standing apart, each as a symbol and words.  It is
 * complete without JavaScript; the theme's compare.js sorts and filters
 * it and, for the members named in ?v=a,b (two to four), shows them
 * side by side with their evidence, read from api/v1/vendors/<slug>.json.
 */
#ifndef TRUSTDIR_COMPARE_H
#define TRUSTDIR_COMPARE_H

#include "site_int.h"

#define COMPARE_URL "compare/"
/* The most members shown side by side: more no longer fit an A4 page. */
#define COMPARE_MAX 4

/* Writes compare/index.html.  0, or -1 with the reason in c->err. */
int compare_render(site_ctx *c);

#endif
