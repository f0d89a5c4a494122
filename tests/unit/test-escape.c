// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the two escapers: strbuf_add_escaped() for people renders C0,
 * DEL, C1, bidi controls and bytes that are not well-formed UTF-8 visibly and
 * unescape_inplace() reverses it; strbuf_add_json() for machines is valid
 * UTF-8 and lossless (a stray byte 0xNN is \udcNN, never the character
 * U+00NN); u64_add_sat() holds at UINT64_MAX.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/util.h"
#include "unit.h"

static const char *people(const char *s, size_t len)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	strbuf_add_escaped(&sb, s, len);
	return sb.buf;
}

static const char *machine(const char *s)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	strbuf_add_json(&sb, s);
	return sb.buf;
}

static const struct {
	const char *in, *people, *json;
} cases[] = {
	{ "plain /a/b.txt", "plain /a/b.txt", "plain /a/b.txt" },
	{ "esc\x1b[31m", "esc\\x1b[31m", "esc\\u001b[31m" },
	{ "osc\x1b]0;t\x07", "osc\\x1b]0;t\\x07", "osc\\u001b]0;t\\u0007" },
	{ "del\x7f", "del\\x7f", "del\\u007f" },
	{ "csi\xc2\x9b" "31m", "csi\\u009b31m", "csi\\u009b31m" },
	{ "rlo\xe2\x80\xae", "rlo\\u202e", "rlo\\u202e" },
	{ "fsi\xe2\x81\xa8", "fsi\\u2068", "fsi\\u2068" },
	{ "bad\xff", "bad\\xff", "bad\\udcff" },
	{ "y\xc3\xbf", "y\xc3\xbf", "y\xc3\xbf" },
	{ "cut\xc3", "cut\\xc3", "cut\\udcc3" },
	{ "overlong\xc0\xaf", "overlong\\xc0\\xaf", "overlong\\udcc0\\udcaf" },
	{ "surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80", "surrogate\\udced\\udca0\\udc80" },
	{ "big\xf4\x90\x80\x80", "big\\xf4\\x90\\x80\\x80", "big\\udcf4\\udc90\\udc80\\udc80" },
	{ "emoji\xf0\x9f\x98\x80", "emoji\xf0\x9f\x98\x80", "emoji\xf0\x9f\x98\x80" },
	{ "new\nline\ttab\\", "new\\nline\\ttab\\\\", "new\\u000aline\\u0009tab\\\\" },
	{ "q\"uote", "q\"uote", "q\\\"uote" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256], name[64];

		snprintf(name, sizeof(name), "people: case %zu", i);
		is_str(people(cases[i].in, strlen(cases[i].in)), cases[i].people, name);
		snprintf(name, sizeof(name), "json: case %zu", i);
		is_str(machine(cases[i].in), cases[i].json, name);
		snprintf(buf, sizeof(buf), "%s", people(cases[i].in, strlen(cases[i].in)));
		unescape_inplace(buf);
		snprintf(name, sizeof(name), "unescape reverses case %zu", i);
		is_str(buf, cases[i].in, name);
	}
	{
		char a[32];

		snprintf(a, sizeof(a), "%s", machine("\xff"));
		ok(strcmp(a, machine("\xc3\xbf")) != 0, "json keeps 0xff and U+00FF apart");
	}
	is_str(people("a\0b", 3), "a\\x00b", "a NUL is visible");
	ok(u64_add_sat(1ULL << 63, 1ULL << 63) == UINT64_MAX, "2^63 + 2^63 saturates");
	ok(u64_add_sat(UINT64_MAX, 1) == UINT64_MAX, "UINT64_MAX + 1 saturates");
	ok(u64_add_sat(2, 3) == 5, "2 + 3");
	return done_testing();
}
