/*
 * buf: a growable byte buffer, always NUL-terminated.
 *
 * A buf is owned by whoever declared it: initialise with BUF_INIT or
 * buf_init(), release with buf_dispose().  Appending never fails: an
 * allocation failure aborts the program (see util_oom), so callers
 * need not check every append on this hot path.
 */
#ifndef TRUSTDIR_BUF_H
#define TRUSTDIR_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *ptr;   /* NUL-terminated contents, or "" when empty */
	size_t len;  /* bytes used, excluding the terminator */
	size_t cap;  /* bytes allocated; 0 when ptr is the static "" */
} buf;

extern char buf__empty[1];
#define BUF_INIT { buf__empty, 0, 0 }

void buf_init(buf *b);
void buf_dispose(buf *b);
/* Empties the buffer but keeps its memory. */
void buf_clear(buf *b);
void buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Appends the n strings of s, a NULL one as "(null)" (what printf's %s
 * writes).  BUF_CAT(b, "added ", what, "...") is printf("%s%s%s") without
 * printf's cost for each call: the words of every change on every
 * history page are put together this way. */
void buf_catv(buf *b, const char *const *s, size_t n);
#define BUF_CAT(b, ...)                                                   \
	buf_catv((b), (const char *const[]){ __VA_ARGS__ },               \
		 sizeof((const char *const[]){ __VA_ARGS__ }) /           \
			 sizeof(const char *))
/* Writes the len bytes at p to the file descriptor fd, through short
 * writes and interrupted calls: 0, or -1 with errno set. */
int buf_write_fd(int fd, const void *p, size_t len);
/* Hands the contents to the caller (who frees them) and resets b. */
char *buf_detach(buf *b);
/* Removes the last n bytes (or all of them). */
void buf_truncate(buf *b, size_t len);

#endif
