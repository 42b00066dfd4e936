#include "jsonw.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void jsonw_string(buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *run = p;

	buf_putc(out, '"');
	for (; *p; p++) {
		const char *rep = NULL;
		char u[7];

		if (*p >= 32 && *p != '"' && *p != '\\')
			continue;
		buf_put(out, run, (size_t)(p - run));
		switch (*p) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\b': rep = "\\b"; break;
		case '\f': rep = "\\f"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[*p >> 4];
			u[5] = hex[*p & 15];
			u[6] = '\0';
			rep = u;
		}
		buf_puts(out, rep);
		run = p + 1;
	}
	buf_put(out, run, (size_t)(p - run));
	buf_putc(out, '"');
}

static void jsonw_int(buf *out, long long n)
{
	char digits[24], *d = digits + sizeof(digits);
	/* in unsigned arithmetic, so that the most negative has a magnitude */
	unsigned long long u = n < 0 ? 0ull - (unsigned long long)n
				     : (unsigned long long)n;

	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--d = '-';
	buf_put(out, d, (size_t)(digits + sizeof(digits) - d));
}

/* cJSON's print_number: 15 significant digits when they read back as
 * the same double, else 17.  An integer below 10^15 (not -0) prints
 * as its digits either way, and is written without sprintf. */
static void jsonw_number(buf *out, const cJSON *v)
{
	double d = v->valuedouble, back = 0;
	char text[32];

	if (isnan(d) || isinf(d)) {
		buf_puts(out, "null");
		return;
	}
	if (fabs(d) < 1e15 && d == floor(d) && !(d == 0 && signbit(d))) {
		jsonw_int(out, (long long)d);
		return;
	}
	snprintf(text, sizeof(text), "%1.15g", d);
	if (sscanf(text, "%lg", &back) != 1 ||
	    !(fabs(back - d) <=
	      (fabs(back) > fabs(d) ? fabs(back) : fabs(d)) * DBL_EPSILON))
		snprintf(text, sizeof(text), "%1.17g", d);
	buf_puts(out, text); /* the C locale's: trustdir never sets one */
}

void jsonw_print(buf *out, const cJSON *v)
{
	const cJSON *c;

	switch (v->type & 0xFF) {
	case cJSON_NULL:
		buf_puts(out, "null");
		break;
	case cJSON_False:
		buf_puts(out, "false");
		break;
	case cJSON_True:
		buf_puts(out, "true");
		break;
	case cJSON_Number:
		jsonw_number(out, v);
		break;
	case cJSON_String:
		jsonw_string(out, v->valuestring);
		break;
	case cJSON_Raw:
		if (v->valuestring)
			buf_puts(out, v->valuestring);
		break;
	case cJSON_Array:
		buf_putc(out, '[');
		for (c = v->child; c; c = c->next) {
			jsonw_print(out, c);
			if (c->next)
				buf_putc(out, ',');
		}
		buf_putc(out, ']');
		break;
	case cJSON_Object:
		buf_putc(out, '{');
		for (c = v->child; c; c = c->next) {
			jsonw_string(out, c->string);
			buf_putc(out, ':');
			jsonw_print(out, c);
			if (c->next)
				buf_putc(out, ',');
		}
		buf_putc(out, '}');
		break;
	}
}
