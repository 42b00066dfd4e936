/*
 * fuzz_tmpl: the Mustache engine, parsing and rendering.
 *
 * The input is split at each line "--8<--" into a JSON context and up
 * to three templates, "main", "base" and "p" (main may include the
 * others, and they one another).  The context goes through json_parse,
 * as every value trustdir renders is bounded by it; an invalid context
 * renders main with no data.  The set's limits are lowered so that a
 * template that expands exponentially fails in a few milliseconds
 * rather than in the seconds the defaults allow.  Besides crashes and
 * hangs, the harness
 * aborts when a failed render changes its output or a failure leaves
 * no message.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "tmpl.h"

#define FUZZ_SEP "\n--8<--\n"

static void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_tmpl: %s: %.200s\n", what, detail);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { NULL, "main", "base", "p" };
	const char *p = (const char *)data, *end = p + size;
	tmpl_set *set = tmpl_set_new();
	cJSON *ctx = NULL;
	json_error jerr;
	buf out = BUF_INIT;
	char err[256];
	size_t i;
	int last = 0;

	tmpl_set_limits(set, 1 << 20, 1 << 18);
	for (i = 0; i < 4 && !last; i++) {
		const char *sep = memmem(p, (size_t)(end - p), FUZZ_SEP,
					 strlen(FUZZ_SEP));
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);

		if (i == 0) {
			if (json_parse(&ctx, p, len, &jerr) < 0)
				ctx = NULL;
		} else {
			err[0] = 'x';
			if (tmpl_set_add(set, names[i], p, len, err,
					 sizeof(err)) < 0 &&
			    (!memchr(err, '\0', sizeof(err)) || !err[0]))
				fuzz_fail("a parse error without a message",
					  names[i]);
		}
		if (sep)
			p = sep + strlen(FUZZ_SEP);
		else
			last = 1;
	}

	buf_puts(&out, "<prefix>");
	err[0] = 'x';
	if (tmpl_render(set, "main", ctx, &out, err, sizeof(err)) < 0) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			fuzz_fail("a render error without a message", "main");
		if (strcmp(out.ptr, "<prefix>"))
			fuzz_fail("a failed render changed its output", err);
	} else if (strncmp(out.ptr, "<prefix>", 8)) {
		fuzz_fail("a render overwrote what was before it", out.ptr);
	}
	buf_dispose(&out);
	cJSON_Delete(ctx);
	tmpl_set_free(set);
	return 0;
}
