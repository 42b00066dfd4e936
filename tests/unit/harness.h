/*
 * A tiny test harness in the manner of cmark's api_test: each check
 * prints what failed and where, and the test's exit status is the
 * number of failures (capped), so ctest reports the test as failed.
 */
#ifndef TRUSTDIR_HARNESS_H
#define TRUSTDIR_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_failures;
static int harness_checks;

#define OK(cond, ...)                                                       \
	do {                                                                \
		harness_checks++;                                           \
		if (!(cond)) {                                              \
			harness_failures++;                                 \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__,          \
				__LINE__);                                  \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
		}                                                           \
	} while (0)

#define STR_EQ(got, want, ...)                                              \
	do {                                                                \
		const char *got_ = (got), *want_ = (want);                  \
		harness_checks++;                                           \
		if (!got_ || !want_ || strcmp(got_, want_) != 0) {          \
			harness_failures++;                                 \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__,          \
				__LINE__);                                  \
			fprintf(stderr, __VA_ARGS__);                       \
			fprintf(stderr, "\n  expected: %s\n  got:      %s\n", \
				want_ ? want_ : "(null)",                   \
				got_ ? got_ : "(null)");                    \
		}                                                           \
	} while (0)

static inline int harness_done(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, harness_checks,
		harness_failures);
	return harness_failures > 100 ? 100 : harness_failures;
}

#endif
