/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A header-only TAP harness for ftio's C unit tests in tests/unit/. A test
 * program includes this once, calls ok(), is_int(), is_str(), skip() and
 * diag() as it goes, and ends main() with "return done_testing();". Each
 * check prints "ok N - name" or "not ok N - name" followed by "#" lines with
 * the file, line and values; done_testing() prints the plan "1..N" and
 * returns the exit status (0 only when every check passed). Output is flushed
 * after every line so a crash still shows how far the program got.
 */
#ifndef FTIO_TESTS_UNIT_H
#define FTIO_TESTS_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One harness per test program, so plain statics are enough */
static int unit_run_, unit_failed_;

/* A newline in a name would end the TAP line early */
__attribute__((format(printf, 2, 0))) static inline void
unit_line_(const char *verdict, const char *fmt, va_list ap)
{
	char name[512];
	char *p;

	vsnprintf(name, sizeof(name), fmt, ap);
	for (p = name; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	printf("%s %d - %s\n", verdict, ++unit_run_, name);
}

__attribute__((format(printf, 4, 5))) static inline int
unit_ok_(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	unit_line_(pass ? "ok" : "not ok", fmt, ap);
	va_end(ap);
	if (!pass) {
		unit_failed_++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

/* The name is printed with %s: callers pass computed names */
static inline int unit_is_int_(long long got, long long want, const char *got_expr,
			       const char *file, int line, const char *name)
{
	if (!unit_ok_(got == want, file, line, "%s", name))
		printf("#     checking: %s\n#          got: %lld\n#     expected: %lld\n",
		       got_expr, got, want);
	fflush(stdout);
	return got == want;
}

static inline int unit_is_str_(const char *got, const char *want, const char *got_expr,
			       const char *file, int line, const char *name)
{
	int same = got && want ? !strcmp(got, want) : got == want;

	if (!unit_ok_(same, file, line, "%s", name)) {
		printf("#     checking: %s\n", got_expr);
		printf(got ? "#          got: '%s'\n" : "#          got: %s\n", got ? got : "NULL");
		printf(want ? "#     expected: '%s'\n" : "#     expected: %s\n", want ? want : "NULL");
	}
	fflush(stdout);
	return same;
}

__attribute__((format(printf, 1, 2))) static inline void unit_diag_(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ok(cond, "name %d", ...): passes when cond is true */
#define ok(cond, ...) unit_ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* is_int(got, want, name): compared as long long */
#define is_int(got, want, name) \
	unit_is_int_((long long)(got), (long long)(want), #got, __FILE__, __LINE__, (name))
/* is_str(got, want, name): NULL equals only NULL */
#define is_str(got, want, name) unit_is_str_((got), (want), #got, __FILE__, __LINE__, (name))
/* diag("fmt", ...): a "# " comment line, for context */
#define diag(...) unit_diag_(__VA_ARGS__)

/* skip("why"): one check that was not run; it counts as neither pass nor fail */
static inline void skip(const char *why)
{
	printf("ok %d # skip %s\n", ++unit_run_, why);
	fflush(stdout);
}

/* Prints the plan; returns main()'s exit status */
static inline int done_testing(void)
{
	printf("1..%d\n", unit_run_);
	if (unit_failed_)
		printf("# failed %d of %d\n", unit_failed_, unit_run_);
	fflush(stdout);
	return unit_failed_ ? 1 : 0;
}

#endif /* FTIO_TESTS_UNIT_H */
