/*
 * diag: the errors found in content, collected rather than stopped at.
 *
 * Modules deep inside add to a diag_list; only main prints it.  Each
 * diagnostic names a file, a 1-based line and column (0 when the
 * position is the whole file) and a message that says what is wrong and
 * what is allowed.
 */
#ifndef TRUSTDIR_DIAG_H
#define TRUSTDIR_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* More than this many errors are counted but not kept: a hostile pull
 * request with a million bad entries must not take a million lines. */
#define DIAG_MAX_KEPT 1000

typedef struct {
	char *file;
	int line, col;
	char *msg;
} diag;

typedef struct {
	diag *items;
	size_t len, cap;
	size_t dropped; /* errors beyond DIAG_MAX_KEPT */
} diag_list;

typedef enum { DIAG_TEXT, DIAG_GITHUB, DIAG_JSON } diag_format;

void diag_list_init(diag_list *l);
void diag_list_dispose(diag_list *l);
size_t diag_count(const diag_list *l);
/* Moves src's errors after dst's, as if each had been added to dst in
 * turn (the kept ones still the first DIAG_MAX_KEPT); src is left
 * empty. */
void diag_list_append(diag_list *dst, diag_list *src);
void diag_add(diag_list *l, const char *file, int line, int col,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Orders by file, line, column, message: output does not depend on the
 * order in which files were checked. */
void diag_sort(diag_list *l);
/* Writes every diagnostic in the given format; returns 0 or -1 on a
 * write error. */
int diag_print(const diag_list *l, FILE *f, diag_format fmt);

#endif
