#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esc.h"

void diag_list_init(diag_list *l)
{
	memset(l, 0, sizeof(*l));
}

void diag_list_dispose(diag_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		free(l->items[i].file);
		free(l->items[i].msg);
	}
	free(l->items);
	diag_list_init(l);
}

/* A new item at the end of l, which has room for one more. */
static diag *diag_slot(diag_list *l)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		diag *items = realloc(l->items, cap * sizeof(*items));

		if (!items) {
			fputs("trustdir: out of memory\n", stderr);
			abort();
		}
		l->items = items;
		l->cap = cap;
	}
	return &l->items[l->len++];
}

void diag_list_append(diag_list *dst, diag_list *src)
{
	size_t i;

	for (i = 0; i < src->len; i++) {
		diag *d = &src->items[i];

		if (dst->len >= DIAG_MAX_KEPT) {
			dst->dropped++;
			free(d->file);
			free(d->msg);
			continue;
		}
		*diag_slot(dst) = *d;
	}
	dst->dropped += src->dropped;
	free(src->items);
	diag_list_init(src);
}

size_t diag_count(const diag_list *l)
{
	return l->len + l->dropped;
}

static char *diag_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (!p) {
		fputs("trustdir: out of memory\n", stderr);
		abort();
	}
	return memcpy(p, s, n);
}

void diag_add(diag_list *l, const char *file, int line, int col,
	      const char *fmt, ...)
{
	buf msg = BUF_INIT;
	va_list ap;
	diag *d;

	if (l->len >= DIAG_MAX_KEPT) {
		l->dropped++;
		return;
	}
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	d = diag_slot(l);
	d->file = diag_strdup(file);
	d->line = line;
	d->col = col;
	d->msg = buf_detach(&msg);
}

static int diag_cmp(const void *a, const void *b)
{
	const diag *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->msg, y->msg);
}

void diag_sort(diag_list *l)
{
	if (l->len > 1)
		qsort(l->items, l->len, sizeof(*l->items), diag_cmp);
}

/* GitHub workflow commands end a property at ',' or ':' and a message
 * at a newline, so those are percent-encoded as the runner expects. */
static void diag_gh_escape(buf *b, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			buf_puts(b, "%25");
		else if (*s == '\r')
			buf_puts(b, "%0D");
		else if (*s == '\n')
			buf_puts(b, "%0A");
		else if (property && *s == ':')
			buf_puts(b, "%3A");
		else if (property && *s == ',')
			buf_puts(b, "%2C");
		else
			buf_putc(b, *s);
	}
}

static void diag_format_one(buf *b, const diag *d, diag_format fmt)
{
	switch (fmt) {
	case DIAG_TEXT:
		buf_puts(b, d->file);
		if (d->line)
			buf_printf(b, ":%d:%d", d->line, d->col);
		buf_printf(b, ": %s\n", d->msg);
		break;
	case DIAG_GITHUB:
		buf_puts(b, "::error file=");
		diag_gh_escape(b, d->file, 1);
		if (d->line)
			buf_printf(b, ",line=%d,col=%d", d->line, d->col);
		buf_puts(b, "::");
		diag_gh_escape(b, d->msg, 0);
		buf_putc(b, '\n');
		break;
	case DIAG_JSON:
		buf_puts(b, "{\"file\":");
		esc_json(b, d->file, strlen(d->file));
		buf_printf(b, ",\"line\":%d,\"column\":%d,\"message\":",
			   d->line, d->col);
		esc_json(b, d->msg, strlen(d->msg));
		buf_putc(b, '}');
		break;
	}
}

int diag_print(const diag_list *l, FILE *f, diag_format fmt)
{
	buf b = BUF_INIT;
	size_t i;
	int rc;

	if (fmt == DIAG_JSON)
		buf_puts(&b, "{\"errors\":[");
	for (i = 0; i < l->len; i++) {
		if (fmt == DIAG_JSON && i)
			buf_puts(&b, ",\n");
		diag_format_one(&b, &l->items[i], fmt);
	}
	if (fmt == DIAG_JSON)
		buf_printf(&b, "],\"count\":%zu,\"omitted\":%zu}\n",
			   diag_count(l), l->dropped);
	else if (l->dropped)
		buf_printf(&b, "trustdir: %zu more errors not shown\n",
			   l->dropped);
	rc = fwrite(b.ptr, 1, b.len, f) == b.len ? 0 : -1;
	buf_dispose(&b);
	return rc;
}
