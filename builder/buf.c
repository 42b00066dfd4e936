#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char buf__empty[1];

static void buf_oom(void)
{
	fputs("trustdir: out of memory\n", stderr);
	abort();
}

void buf_init(buf *b)
{
	b->ptr = buf__empty;
	b->len = 0;
	b->cap = 0;
}

void buf_dispose(buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

void buf_clear(buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void buf_grow(buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra >= (size_t)-1 / 2 - b->len)
		buf_oom();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->cap ? b->ptr : NULL, cap);
	if (!p)
		buf_oom();
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
}

void buf_put(buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	size_t room;
	int n;

	/* Print straight into the room there is, and again only when the
	 * text did not fit: measuring first doubled the cost of every
	 * printf (a page's URLs and a change's words are mostly short). */
	buf_grow(b, 63);
	room = b->cap - b->len;
	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->ptr[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_catv(buf *b, const char *const *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_puts(b, s[i] ? s[i] : "(null)");
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

int buf_write_fd(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t n = write(fd, c, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

char *buf_detach(buf *b)
{
	char *p;

	if (!b->cap) {
		p = malloc(1);
		if (!p)
			buf_oom();
		p[0] = '\0';
	} else {
		p = b->ptr;
	}
	buf_init(b);
	return p;
}

void buf_truncate(buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}
