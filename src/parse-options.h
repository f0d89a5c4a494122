/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands' options, described once (git's parse-options model): each
 * command lists its options with their argument and a one-line help, in
 * groups, and cmd_getopt() builds getopt_long()'s tables from that list.
 * So every option a command accepts is in its "-h" text, with its help.
 *
 * cmd_getopt() also answers what every command answers the same way:
 * "-h" prints the usage and the options (exit 0), "--help" shows the
 * manual page (help_show_man()), and an unknown option, a missing value or
 * a value given to an option that takes none is a usage error (exit 129)
 * with a "did you mean" when an option's name is close.
 */
#ifndef FTIO_PARSE_OPTIONS_H
#define FTIO_PARSE_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* struct cmd_option - one option, or a group's title (only @help set) */
struct cmd_option {
	const char *long_name;	/* "input"; NULL for a group's title (or a short option only) */
	int val;		/* what cmd_getopt() returns for it */
	bool short_opt;		/* @val is a character, also accepted as -<val> */
	int has_arg;		/* no_argument, required_argument, optional_argument */
	const char *argh;	/* "<file>", "[=<when>]": what follows the name in -h */
	const char *help;	/* one line, lower case, no full stop */
	bool hidden;		/* an alias (--colour): accepted, not in -h */
};

#define OPT_GROUP(title)	{ .help = (title) }
#define OPT_END()		{ .val = 0 }
/* an option with a short form -c (and a long one, or NULL) */
#define OPT_SHORT(c, name, arg, argh, help) \
	{ name, c, true, arg, argh, help, false }
#define OPT_LONG(name, v, arg, argh, help) \
	{ name, v, false, arg, argh, help, false }
#define OPT_ALIAS(name, v, arg) \
	{ name, v, false, arg, NULL, NULL, true }

struct cmd_desc {
	const char *name;		/* "report": ftio help report, ftio-report(1) */
	const char *const *usage;	/* the usage lines, NULL-terminated */
	const struct cmd_option *opts;	/* up to OPT_END() */
	bool stop_at_args;		/* the first non-option ends the options (a command follows) */
};

/*
 * cmd_getopt - the next option of @argv, as getopt_long() (optarg, optind)
 * Returns the option's @val, or -1 after the last.  Set optind = 1 before
 * the first call when another parser ran in this process.
 */
int cmd_getopt(int argc, char **argv, const struct cmd_desc *d);
/*
 * cmd_one_dash_long - the long option @arg ("-json") names with one dash,
 * or NULL: for a short option that takes a value and so swallowed the rest
 * of the word ("-j" "son"), to say "did you mean '--json'" instead
 */
const char *cmd_one_dash_long(const struct cmd_desc *d, const char *arg);

/*
 * cmd_jobs_arg - the value of -j (threads, 1 to @max) given as @arg in the
 * argument @word; a usage error (exit 129) otherwise, with "did you mean
 * '--json'" when @word was a long option written with one dash
 */
unsigned int cmd_jobs_arg(const struct cmd_desc *d, const char *word, const char *arg,
			  unsigned int max);

/* The usage, then every option with its help, grouped, to @f */
void usage_with_options(const struct cmd_desc *d, FILE *f);

/*
 * help_show_man - show the manual page @page ("ftio-record", "ftio-format")
 * The page rendered in the build tree this ftio was built in comes first
 * (its path is compiled in, as git does), then the installed one (man).
 * Returns only when neither could be shown: -1.
 */
int help_show_man(const char *page);

#endif
