// SPDX-License-Identifier: GPL-2.0
/*
 * The options of the commands (see parse-options.h): getopt_long()'s
 * tables built from each command's described options, the "-h" text in
 * git's layout, the usage errors with their "did you mean", and the
 * manual pages of "ftio help" and "--help", found in the build tree
 * before the installed ones.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "lib/suggest.h"
#include "lib/util.h"

/* parse-options.c: the option column, then two spaces, then the help */
#define USAGE_OPTS_WIDTH 24
#define USAGE_GAP 2

/* what cmd_getopt() gives -h and --help, past every command's values */
enum { OPT_HELP_MAN = 0x10000 };

/* The rendered pages of the tree ftio was built in (Makefile: doc) */
#ifndef FTIO_MAN_BUILD_DIR
#define FTIO_MAN_BUILD_DIR ""
#endif

static size_t nr_opts(const struct cmd_option *opts)
{
	size_t n = 0;

	while (opts[n].long_name || opts[n].val || opts[n].help)
		n++;
	return n;
}

static bool is_group(const struct cmd_option *o)
{
	return !o->long_name && !o->val;
}

static int print_option(FILE *f, const struct cmd_option *o, const char *help)
{
	int pos = fprintf(f, "    ");

	if (o->short_opt)
		pos += fprintf(f, "-%c%s", o->val, o->long_name ? ", " : "");
	if (o->long_name)
		pos += fprintf(f, "--%s", o->long_name);
	if (o->argh)
		pos += fprintf(f, "%s%s", o->argh[0] == '[' ? "" : " ", o->argh);
	if (pos <= USAGE_OPTS_WIDTH) {
		pos = USAGE_OPTS_WIDTH - pos;
	} else {
		fputc('\n', f);
		pos = USAGE_OPTS_WIDTH;
	}
	return fprintf(f, "%*s%s\n", pos + USAGE_GAP, "", help);
}

void usage_with_options(const struct cmd_desc *d, FILE *f)
{
	static const struct cmd_option h = { NULL, 'h', true, no_argument, NULL, NULL, false };
	static const struct cmd_option man = { "help", 0, false, no_argument, NULL, NULL, false };
	const struct cmd_option *opts = d->opts;
	size_t n = nr_opts(opts);

	usage_show(d->usage, f == stderr);
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		const struct cmd_option *o = &opts[i];

		if (is_group(o)) {
			fprintf(f, "%s%s\n", i ? "\n" : "", o->help);
			continue;
		}
		if (!o->hidden)
			print_option(f, o, o->help);
	}
	fputc('\n', f);
	print_option(f, &h, "show this help");
	{
		char *s = xasprintf("show the manual page (ftio help %s)", d->name);

		print_option(f, &man, s);
		free(s);
	}
}

/* getopt_long()'s tables for @d, built once per command */
static const struct cmd_desc *built;
static struct option *longopts;
static char *shortopts;

static void build_tables(const struct cmd_desc *d)
{
	size_t n = nr_opts(d->opts), nl = 0, ns = 0;

	if (built == d)
		return;
	free(longopts);
	free(shortopts);
	longopts = xcalloc(n + 2, sizeof(*longopts));
	shortopts = xmalloc(3 * n + 8);
	/* "+": stop at the first argument; ":": a missing value returns ':' */
	if (d->stop_at_args)
		shortopts[ns++] = '+';
	shortopts[ns++] = ':';
	for (size_t i = 0; i < n; i++) {
		const struct cmd_option *o = &d->opts[i];

		if (is_group(o))
			continue;
		if (o->long_name)
			longopts[nl++] = (struct option){ o->long_name, o->has_arg, NULL, o->val };
		if (o->short_opt) {
			shortopts[ns++] = o->val;
			if (o->has_arg == required_argument)
				shortopts[ns++] = ':';
			else if (o->has_arg == optional_argument)
				shortopts[ns++] = ':', shortopts[ns++] = ':';
		}
	}
	longopts[nl++] = (struct option){ "help", no_argument, NULL, OPT_HELP_MAN };
	shortopts[ns++] = 'h';
	shortopts[ns] = '\0';
	built = d;
}

static const struct cmd_option *find_val(const struct cmd_desc *d, int val)
{
	for (const struct cmd_option *o = d->opts; o->long_name || o->val || o->help; o++)
		if (!is_group(o) && o->val == val)
			return o;
	return NULL;
}

static void __attribute__((noreturn)) bad_option(const struct cmd_desc *d, struct strbuf *msg)
{
	fprintf(stderr, "error: %s\n", msg->buf);
	usage_show(d->usage, 1);
	fprintf(stderr, "See 'ftio %s -h' for the options.\n", d->name);
	exit(EXIT_USAGE);
}

/* An argument getopt refused: which option, and what was wrong with it */
static void __attribute__((noreturn)) option_error(int c, char **argv, const struct cmd_desc *d)
{
	struct strbuf msg = STRBUF_INIT;
	const char *arg = argv[optind - 1];
	const struct cmd_option *o = optopt ? find_val(d, optopt) : NULL;
	struct suggest s;
	char *name;

	if (arg && !strncmp(arg, "--", 2)) {
		/* a long option: its name without the dashes and the value */
		name = xstrndup(arg + 2, strcspn(arg + 2, "="));
		if (c == ':' && o) {
			strbuf_addf(&msg, "option '--%s' needs a value", o->long_name);
		} else if (o && o->long_name && strchr(arg, '=')) {
			strbuf_addf(&msg, "option '--%s' takes no value", o->long_name);
		} else {
			strbuf_addf(&msg, "unknown option '--%s'", name);
			suggest_init(&s, name);
			for (const struct cmd_option *p = d->opts; p->long_name || p->val || p->help; p++)
				if (p->long_name)
					suggest_add(&s, p->long_name);
			suggest_add(&s, "help");
			suggest_hint(&s, "--", &msg);
		}
		free(name);
		bad_option(d, &msg);
	}
	if (c == ':') {
		strbuf_addf(&msg, "option '-%c' needs a value", optopt);
		bad_option(d, &msg);
	}
	strbuf_addf(&msg, "unknown option '-%c'", optopt ? optopt : '?');
	/* "-json": one dash for a long option */
	for (int i = 1; argv[i] && i < optind + 1; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] != optopt || a[1] == '-' || strlen(a) < 3)
			continue;
		for (const struct cmd_option *p = d->opts; p->long_name || p->val || p->help; p++)
			if (p->long_name && !strncmp(p->long_name, a + 1, strcspn(a + 1, "="))) {
				strbuf_addf(&msg, "; did you mean '--%s' (with two dashes)?", p->long_name);
				bad_option(d, &msg);
			}
	}
	bad_option(d, &msg);
}

int cmd_getopt(int argc, char **argv, const struct cmd_desc *d)
{
	int c;

	build_tables(d);
	opterr = 0;
	optopt = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h' && !find_val(d, 'h')) {
		usage_with_options(d, stdout);
		exit(0);
	}
	if (c == OPT_HELP_MAN) {
		char *page = xasprintf("ftio-%s", d->name);

		help_show_man(page);
		free(page);
		/* no page anywhere: the options are the next best thing */
		usage_with_options(d, stdout);
		exit(0);
	}
	if (c == '?' || c == ':')
		option_error(c, argv, d);
	return c;
}

static bool readable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, R_OK);
}

static void show_text(const char *path)
{
	FILE *f;
	char buf[4096];
	size_t k;

	if (isatty(1)) {
		const char *pager = getenv("FTIO_PAGER") ? getenv("FTIO_PAGER") : getenv("PAGER");

		if (!pager)
			pager = "less -FRX";
		if (*pager && strcmp(pager, "cat")) {
			char *cmd = xasprintf("%s \"$0\"", pager);

			execl("/bin/sh", "sh", "-c", cmd, path, (char *)NULL);
			free(cmd);
		}
	}
	f = fopen(path, "r");
	if (!f)
		return;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, k, stdout);
	fclose(f);
	fflush(stdout);
	exit(0);
}

int help_show_man(const char *page)
{
	static const char *const sections[] = { "1", "5" };
	const char *dir = getenv("FTIO_MAN_DIR") ? getenv("FTIO_MAN_DIR") : FTIO_MAN_BUILD_DIR;
	char *cmd;

	fflush(stdout);
	for (size_t i = 0; *dir && i < ARRAY_SIZE(sections); i++) {
		char *roff = xasprintf("%s/%s.%s", dir, page, sections[i]);
		char *txt = xasprintf("%s/%s.%s.txt", dir, page, sections[i]);

		/* rendered by asciidoctor: man formats it; else the page's text */
		if (readable(roff) && !system("command -v man >/dev/null 2>&1"))
			execlp("man", "man", "-l", roff, (char *)NULL);
		if (readable(txt))
			show_text(txt);
		free(roff);
		free(txt);
	}
	/* installed: man knows where */
	cmd = xasprintf("man -w '%s' >/dev/null 2>&1", page);
	if (!system(cmd))
		execlp("man", "man", page, (char *)NULL);
	free(cmd);
	fprintf(stderr, "ftio: no manual page %s (not built here, not installed)\n", page);
	return -1;
}

const char *cmd_one_dash_long(const struct cmd_desc *d, const char *arg)
{
	size_t n;

	if (!arg || arg[0] != '-' || arg[1] == '-' || strlen(arg) < 3)
		return NULL;
	n = strcspn(arg + 1, "=");
	for (const struct cmd_option *p = d->opts; p->long_name || p->val || p->help; p++)
		if (p->long_name && strlen(p->long_name) == n && !strncmp(p->long_name, arg + 1, n))
			return p->long_name;
	return NULL;
}

unsigned int cmd_jobs_arg(const struct cmd_desc *d, const char *word, const char *arg,
			  unsigned int max)
{
	unsigned long long v;
	const char *lng;

	if (!parse_uint(arg, max, &v) && v)
		return v;
	/* "-json": -j took "son" */
	lng = cmd_one_dash_long(d, word);
	if (lng)
		usage_error(d->usage, "unknown option '-j'; did you mean '--%s' (with two dashes)?", lng);
	usage_error(d->usage, "invalid -j '%s' (1 to %u)", arg, max);
}
