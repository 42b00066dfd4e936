/*
 * json and utf8: the messages members see on their pull requests, the
 * limits that keep a hostile file from crashing the build, and the
 * positions later checks point at.
 */
#include <stdlib.h>
#include <string.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "harness.h"
#include "json.h"
#include "jsonw.h"
#include "utf8.h"

/* Parses `text`, expecting failure at line:col with exactly `msg`. */
static void expect_error_len(const char *text, size_t len, int line, int col,
			     const char *msg)
{
	json_error err;
	cJSON *root = (cJSON *)1;
	int rc = json_parse(&root, text, len, &err);

	OK(rc == JSON_EINVALID, "%.60s: returned %d", text, rc);
	OK(root == NULL, "%.60s: *out not NULL on error", text);
	STR_EQ(err.msg, msg, "%.60s: message", text);
	OK(err.line == line && err.col == col,
	   "%.60s: at %d:%d, expected %d:%d", text, err.line, err.col, line,
	   col);
	cJSON_Delete(root);
}

static void expect_error(const char *text, int line, int col, const char *msg)
{
	expect_error_len(text, strlen(text), line, col, msg);
}

static cJSON *expect_ok(const char *text)
{
	json_error err;
	cJSON *root = NULL;

	OK(json_parse(&root, text, strlen(text), &err) == 0,
	   "%.60s: %d:%d %s", text, err.line, err.col, err.msg);
	return root;
}

static void test_utf8(void)
{
	size_t bad = 99;
	int line, col;

	OK(utf8_validate("h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 12, &bad) == 0,
	   "valid two-, three- and four-byte sequences");
	OK(utf8_validate("ab\xC0\x80", 4, &bad) < 0 && bad == 2, "overlong NUL");
	OK(utf8_validate("\xE0\x80\xAF", 3, &bad) < 0 && bad == 0,
	   "overlong three-byte '/'");
	OK(utf8_validate("x\xED\xA0\x80", 4, &bad) < 0 && bad == 1,
	   "surrogate U+D800");
	OK(utf8_validate("\xF4\x90\x80\x80", 4, &bad) < 0 && bad == 0,
	   "above U+10FFFF");
	OK(utf8_validate("\xF4\x8F\xBF\xBF", 4, &bad) == 0, "U+10FFFF itself");
	OK(utf8_validate("abc\xE2\x82", 5, &bad) < 0 && bad == 3,
	   "sequence cut by the end");
	OK(utf8_validate("\xE2\x82" "A", 3, &bad) < 0 && bad == 0,
	   "sequence cut by ASCII");
	OK(utf8_validate("a\x80", 2, &bad) < 0 && bad == 1, "lone continuation");
	OK(utf8_validate("a\0b", 3, &bad) < 0 && bad == 1, "NUL byte");
	OK(utf8_validate("\xFF", 1, NULL) < 0, "0xFF, no offset wanted");

	utf8_position("a\xC3\xA9" "b\ncd", 7, 3, &line, &col);
	OK(line == 1 && col == 3, "after 'é': %d:%d", line, col);
	utf8_position("ab\r\ncd", 6, 5, &line, &col);
	OK(line == 2 && col == 2, "CRLF: %d:%d", line, col);
	utf8_position("ab", 2, 50, &line, &col);
	OK(line == 1 && col == 3, "past the end: %d:%d", line, col);
}

static void test_syntax_errors(void)
{
	expect_error("{\n  \"a\": }", 2, 8, "unexpected '}': expected a value");
	expect_error("{\r\n  \"a\": }\r\n", 2, 8,
		     "unexpected '}': expected a value");
	expect_error("{\"a\": 1,\n}", 1, 8,
		     "trailing comma: remove the ',' before '}'");
	expect_error("[1, 2,]", 1, 6,
		     "trailing comma: remove the ',' before ']'");
	expect_error("{\n  \"name\": \"Acme,\n  \"country\": \"FI\"\n}", 2, 11,
		     "unterminated string: the line ends before its closing quote");
	expect_error("{\"name\": \"Acme", 1, 10,
		     "unterminated string: the file ends before its closing quote");
	expect_error("{\n  \"name\": \"Acme\"\n  \"country\": \"FI\"\n}", 3, 3,
		     "unexpected string \"country\": expected ',' or '}' after "
		     "an object member");
	expect_error("[1 2]", 1, 4,
		     "unexpected number 2: expected ',' or ']' after an array item");
	expect_error("{\"a\": 1}\n{\"b\": 2}", 2, 1,
		     "extra text after the JSON value");
	expect_error("{\"a\": 1} // note", 1, 10,
		     "extra text after the JSON value (JSON has no comments)");
	expect_error("{\"a\" 1}", 1, 6,
		     "unexpected number 1: expected ':' after the member name");
	expect_error("{name: 1}", 1, 2,
		     "unexpected 'name': expected a member name in double quotes");
	expect_error("{'name': 1}", 1, 2,
		     "unexpected \"'\": expected a member name in double quotes "
		     "(JSON strings use double quotes)");
	expect_error("{\"a\": True}", 1, 7,
		     "unexpected 'True': expected a value (true, false and null "
		     "are written in lowercase)");
	expect_error("{\"a\": \xE2\x80\x9Cx\xE2\x80\x9D}", 1, 7,
		     "unexpected '\xE2\x80\x9C': expected a value (use straight "
		     "double quotes \")");
	expect_error("{\"a\": [1}", 1, 9,
		     "unexpected '}': the '[' at line 1, column 7 must be closed "
		     "with ']'");
	expect_error("{\"a\": [1,\n", 2, 1,
		     "unexpected end of file: the '[' at line 1, column 7 is "
		     "never closed");
	expect_error(" \n ", 2, 2, "the file holds no JSON value");
	expect_error("{\"a\": 01}", 1, 7,
		     "invalid number '01': leading zeros are not allowed");
	expect_error("{\"a\": 1.}", 1, 7,
		     "invalid number '1.': a digit must follow the '.'");
	expect_error("{\"a\": \"C:\\Users\"}", 1, 10,
		     "invalid escape '\\U' in a string (write a backslash as \\\\)");
	expect_error("{\"a\": \"\\u12\"}", 1, 8,
		     "invalid escape: \\u must be followed by four hex digits");
	expect_error("{\"a\": \"x\\u0000\"}", 1, 9,
		     "the escape \\u0000 (a NUL character) is not allowed in a "
		     "string");
	expect_error("[\"\\uD83D\"]", 1, 3,
		     "invalid escape \\uD83D: a high surrogate must be followed by "
		     "a low one (\\uDC00 to \\uDFFF)");
	expect_error("[\"a\tb\"]", 1, 4,
		     "tab character in a string: write it as \\t");
	/* cJSON cannot parse numbers longer than this: say so first. */
	expect_error("[1234567890123456789012345678901234567890123456789012345678901234]",
		     1, 2, "invalid number '123456789012345678901234…': it is "
		     "longer than 63 characters");
}

static void test_valid(void)
{
	cJSON *root;

	root = expect_ok(" {\"a\": [true, false, null, -0.5e+10, \"\\uD83D\\uDE00\"],"
			 " \"b\": {}, \"c\": []}\n");
	OK(root && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "a")),
	   "tree built");
	cJSON_Delete(root);
	/* Not NUL-terminated: only len bytes are read. */
	root = NULL;
	OK(json_parse(&root, "[1]]]", 3, NULL) == 0 && root,
	   "length, not the terminator, ends the text");
	cJSON_Delete(root);
	/* A byte order mark is skipped and does not count as a column. */
	expect_error("\xEF\xBB\xBF{\"a\": x}", 1, 7,
		     "unexpected 'x': expected a value");
	root = expect_ok("\xEF\xBB\xBF{\"a\": 1}");
	cJSON_Delete(root);
}

static void test_duplicates(void)
{
	expect_error("{\n  \"name\": \"A\",\n  \"country\": \"FI\",\n  \"name\": \"B\"\n}",
		     4, 3, "duplicate key \"name\" (first at line 2)");
	/* Names are compared unescaped, and quoted as written. */
	expect_error("{\"a\": 1, \"\\u0061\": 2}", 1, 10,
		     "duplicate key \"\\u0061\" (first at line 1)");
	/* The first repeat in the text wins, even in a nested object. */
	expect_error("{\"b\": 1,\n \"x\": {\"k\": 1, \"k\": 2},\n \"b\": 2}", 2, 16,
		     "duplicate key \"k\" (first at line 2)");
	/* Names differing only in case are distinct. */
	cJSON_Delete(expect_ok("{\"Name\": 1, \"name\": 2}"));
	/* Small objects are checked pair by pair, large ones by sorting:
	 * both report the first repeat in the text, with the first member
	 * of its name, whatever the order of the others. */
	expect_error("{\"z\": 1, \"y\": 2,\n \"z\": 3, \"y\": 4, \"z\": 5}", 2, 2,
		     "duplicate key \"z\" (first at line 1)");
	expect_error("{\"m0\": 0, \"m1\": 1, \"m2\": 2, \"m3\": 3, \"m4\": 4, "
		     "\"m5\": 5, \"m6\": 6, \"m7\": 7, \"m8\": 8, \"m9\": 9,\n"
		     "\"n0\": 0, \"n1\": 1, \"n2\": 2, \"n3\": 3, \"n4\": 4, "
		     "\"n5\": 5, \"n6\": 6,\n \"m8\": 8, \"n2\": 2, \"m8\": 9}",
		     3, 2, "duplicate key \"m8\" (first at line 1)");
	cJSON_Delete(expect_ok("{\"m0\": 0, \"m1\": 1, \"m2\": 2, \"m3\": 3, "
			       "\"m4\": 4, \"m5\": 5, \"m6\": 6, \"m7\": 7, "
			       "\"m8\": 8, \"m9\": 9, \"n0\": 0, \"n1\": 1, "
			       "\"n2\": 2, \"n3\": 3, \"n4\": 4, \"n5\": 5, "
			       "\"n6\": 6, \"n7\": 7}"));
}

static void test_invalid_utf8(void)
{
	expect_error("{\n \"name\": \"Caf\xC3\xA9 \xC3\x28\"}", 2, 16,
		     "invalid UTF-8 at byte 18");
	expect_error("[\"\xED\xA0\x80\"]", 1, 3, "invalid UTF-8 at byte 2");
	expect_error_len("{\"a\": \"x\0\"}", 11, 1, 9,
			 "NUL byte at byte 8 (text files cannot hold one)");
}

/* A text of `n` copies of `unit`, then `tail`. */
static char *repeat(const char *unit, size_t n, const char *tail, size_t *len)
{
	size_t u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(u * n + t + 1);

	if (!s)
		abort();
	for (i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * n, tail, t + 1);
	*len = u * n + t;
	return s;
}

static void test_limits(void)
{
	size_t len;
	char *s;

	/* 200,000 levels would overflow cJSON's recursion (its own limit
	 * is 1000); the scan stops at the 33rd bracket. */
	s = repeat("[", 200000, "", &len);
	expect_error_len(s, len, 1, 33, "nesting deeper than 32 levels");
	free(s);
	s = repeat("{\"a\":", 200000, "1", &len);
	expect_error_len(s, len, 1, 5 * 32 + 1, "nesting deeper than 32 levels");
	free(s);
	/* Exactly at the limit is fine. */
	{
		char deep[65];

		memset(deep, '[', 32);
		memset(deep + 32, ']', 32);
		deep[64] = '\0';
		cJSON_Delete(expect_ok(deep));
	}
	/* Size is checked before anything reads the text. */
	len = 2 * 1024 * 1024;
	s = malloc(len);
	if (!s)
		abort();
	memset(s, ' ', len);
	s[0] = '[';
	expect_error_len(s, len, 1, 1, "file is 2097152 bytes; the limit is 1 MiB");
	free(s);
}

static const char assessment[] =
	"{\r\n"
	"  \"type\": \"independent\",\r\n"
	"  \"assessor\": \"\xC3\x89valuations \xE2\x80\x94 \xF0\x9F\x94\x8D \\\"QA\\\"\",\r\n"
	"  \"principles\": {\r\n"
	"    \"governance\": {\r\n"
	"      \"status\": \"meets\",\r\n"
	"      \"evidence\": [\r\n"
	"        {\"title\": \"Charter [v1], {draft}\", \"url\": \"https://a.example/1\"},\r\n"
	"        {\"title\": \"\xC3\x9C\xC3\x9C\", \"kind\": \"policy\", \"url\": \"https://a.example/2\"}\r\n"
	"      ]\r\n"
	"    }\r\n"
	"  }\r\n"
	"}\r\n";

static void test_locate(void)
{
	size_t len = strlen(assessment);
	cJSON *root = expect_ok(assessment), *gov, *ev, *item, *url, *other;
	int line = 0, col = 0;

	if (!root)
		return;
	gov = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "principles"), "governance");
	ev = cJSON_GetObjectItemCaseSensitive(gov, "evidence");
	item = cJSON_GetArrayItem(ev, 1);
	url = cJSON_GetObjectItemCaseSensitive(item, "url");

	OK(json_locate(assessment, len, root, root, &line, &col) == 0 &&
	   line == 1 && col == 1, "root at %d:%d", line, col);
	/* Brackets and quotes inside the strings before it are skipped,
	 * and 'ÜÜ' counts two columns, not four. */
	OK(json_locate(assessment, len, root, url, &line, &col) == 0 &&
	   line == 9 && col == 50, "evidence[1].url at %d:%d", line, col);
	OK(json_locate_key(assessment, len, root, url, &line, &col) == 0 &&
	   line == 9 && col == 43, "key of evidence[1].url at %d:%d", line, col);
	OK(json_locate(assessment, len, root, item, &line, &col) == 0 &&
	   line == 9 && col == 9, "evidence[1] at %d:%d", line, col);
	OK(json_locate_key(assessment, len, root, item, &line, &col) == -1,
	   "an array item has no key");
	OK(json_locate_key(assessment, len, root, root, &line, &col) == -1,
	   "the root has no key");
	OK(json_locate(assessment, len, root, ev, &line, &col) == 0 &&
	   line == 7 && col == 19, "evidence at %d:%d", line, col);
	/* "Évaluations — 🔍": one column per code point. */
	other = cJSON_GetObjectItemCaseSensitive(root, "principles");
	OK(json_locate_key(assessment, len, root, other, &line, &col) == 0 &&
	   line == 4 && col == 3, "key principles at %d:%d", line, col);

	/* A node from another tree is not found. */
	other = cJSON_CreateString("x");
	OK(json_locate(assessment, len, root, other, &line, &col) == -1,
	   "foreign node");
	cJSON_Delete(other);
	cJSON_Delete(root);
}

static void test_locate_multibyte(void)
{
	static const char text[] =
		"{\"n\": \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", \"v\": 1}";
	size_t len = strlen(text);
	cJSON *root = expect_ok(text);
	int line = 0, col = 0;

	if (!root)
		return;
	/* {"n": "é€😀", "v": 1}: the 1 is the 19th character. */
	OK(json_locate(text, len, root,
		       cJSON_GetObjectItemCaseSensitive(root, "v"), &line,
		       &col) == 0 && line == 1 && col == 19,
	   "after multi-byte characters at %d:%d", line, col);
	cJSON_Delete(root);
}

/* jsonw_print writes exactly what cJSON_PrintUnformatted writes. */
static void expect_printed_as_cjson(const cJSON *v, const char *what)
{
	char *want = cJSON_PrintUnformatted(v);
	buf got = BUF_INIT;

	jsonw_print(&got, v);
	STR_EQ(got.ptr, want, "jsonw_print of %s", what);
	free(want);
	buf_dispose(&got);
}

static uint32_t jsonw_seed = 7;

static uint32_t jsonw_rnd(uint32_t n)
{
	jsonw_seed = jsonw_seed * 1103515245u + 12345u;
	return (jsonw_seed >> 8) % n;
}

static cJSON *random_value(int depth)
{
	static const double numbers[] = {
		0, -0.0, 1, -1, 42, 0.5, -2.25, 1e300, -1e-300, 3.141592653589793,
		0.1, 1.0 / 3, 2147483647.0, -2147483648.0, 2147483648.0,
		-2147483649.0, 9007199254740993.0, 1e21, 123456789012345678.0,
		DBL_MAX, DBL_MIN, 5e-324, 999999999999999.0, 1e15, -1e15,
		-999999999999999.0, 1e14 + 0.5, 4294967296.0,
	};
	static const char *const strings[] = {
		"", "plain", "quote \" and backslash \\", "tab\tnew\nline\r",
		"\b\f\x01\x1f control", "slash / and <html> & 'apos'",
		"é€😀 non-ASCII", "\xe2\x80\xa8 line separator", "\x7f del",
	};
	cJSON *v;
	int i, n;

	switch (depth > 3 ? jsonw_rnd(5) : jsonw_rnd(7)) {
	case 0:
		return cJSON_CreateNull();
	case 1:
		return cJSON_CreateBool(jsonw_rnd(2));
	case 2:
		return cJSON_CreateNumber(
			numbers[jsonw_rnd(sizeof(numbers) / sizeof(*numbers))]);
	case 3:
		return cJSON_CreateNumber((double)(int)jsonw_rnd(2000000) -
					  1000000.0 + (jsonw_rnd(3) ? 0 : 0.125));
	case 4:
		return cJSON_CreateString(
			strings[jsonw_rnd(sizeof(strings) / sizeof(*strings))]);
	case 5:
		v = cJSON_CreateArray();
		for (i = 0, n = (int)jsonw_rnd(4); i < n; i++)
			cJSON_AddItemToArray(v, random_value(depth + 1));
		return v;
	default:
		v = cJSON_CreateObject();
		for (i = 0, n = (int)jsonw_rnd(4); i < n; i++)
			cJSON_AddItemToObject(
				v, strings[jsonw_rnd(sizeof(strings) / sizeof(*strings))],
				random_value(depth + 1));
		return v;
	}
}

static void test_print(void)
{
	cJSON *v;
	int i;

	v = cJSON_CreateNumber(NAN);
	expect_printed_as_cjson(v, "NaN");
	cJSON_Delete(v);
	v = cJSON_CreateNumber(-INFINITY);
	expect_printed_as_cjson(v, "-infinity");
	cJSON_Delete(v);
	for (i = 0; i < 2000; i++) {
		char what[32];

		snprintf(what, sizeof(what), "random tree %d", i);
		v = random_value(0);
		expect_printed_as_cjson(v, what);
		cJSON_Delete(v);
	}
}

int main(void)
{
	test_print();
	test_utf8();
	test_syntax_errors();
	test_valid();
	test_duplicates();
	test_invalid_utf8();
	test_limits();
	test_locate();
	test_locate_multibyte();
	return harness_done("test_json");
}
