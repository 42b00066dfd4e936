/*
 * utf8: checking text from a repository before anything else reads it,
 * and turning byte offsets into the positions editors show.
 */
#ifndef TRUSTDIR_UTF8_H
#define TRUSTDIR_UTF8_H

#include <stddef.h>

/*
 * Returns 0 when the `len` bytes at `s` are well-formed UTF-8, else -1
 * and, when bad_offset is not NULL, the offset of the first byte of
 * the first bad sequence.  Overlong forms, UTF-16 surrogates, code
 * points above U+10FFFF and NUL bytes are all rejected: a NUL would
 * silently cut the text short in every C string it reaches.
 */
int utf8_validate(const char *s, size_t len, size_t *bad_offset);

/*
 * Sets the 1-based line and column of byte `offset` in `s` (an offset
 * past the end is taken as the end).  LF ends a line, so CRLF does
 * too; columns count code points, as editors and GitHub annotations
 * do, so a byte inside a multi-byte character shares its column.
 */
void utf8_position(const char *s, size_t len, size_t offset, int *line,
		   int *col);

#endif
