#include "utf8.h"

/*
 * Length of the well-formed sequence at `p` (at most `left` bytes),
 * or 0 when it is not one.  The ranges of the second byte are those
 * of Unicode's table of well-formed sequences (chapter 3, table 3-7):
 * they exclude overlongs, surrogates and values beyond U+10FFFF
 * without decoding the code point.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (p[0] >= 0x01 && p[0] <= 0x7F)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 0;

	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;

	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

int utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_seq_len(p + i, len - i);
		if (!n) {
			if (bad_offset)
				*bad_offset = i;
			return -1;
		}
		i += n;
	}
	return 0;
}

void utf8_position(const char *s, size_t len, size_t offset, int *line,
		   int *col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;
	int l = 1, c = 1;

	if (offset > len)
		offset = len;
	for (i = 0; i < offset; i++) {
		if (p[i] == '\n') {
			l++;
			c = 1;
		} else if ((p[i] & 0xC0) != 0x80) {
			/* Continuation bytes belong to the character
			 * already counted. */
			c++;
		}
	}
	*line = l;
	*col = c;
}
