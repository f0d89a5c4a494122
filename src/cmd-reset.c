// SPDX-License-Identifier: GPL-2.0
/*
 * ftio reset: remove the tracefs instances and dynamic events that an
 * ftio which died without cleaning up (kill -9, power loss) left behind.
 * Only names of the form ftio_<pid> whose pid is gone are touched, so a
 * running ftio and every other tool's state are left alone.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "session.h"
#include "util.h"

static const char *const reset_usage[] = {
	"ftio reset [--all] [-q]",
	NULL,
};

static int quiet, failures;

static void report_removal(const char *what, const char *name, int err)
{
	if (err) {
		error("cannot remove %s '%s': %s", what, name, strerror(-err));
		failures++;
	}
	else if (!quiet)
		printf("removed %s %s\n", what, name);
}

int cmd_reset(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false;
	int c, n;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "aqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage_show(reset_usage, 0);
			return 0;
		default:
			usage_error(reset_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error(reset_usage, "unexpected argument '%s'", argv[optind]);
	if (geteuid() != 0)
		die("cannot reset: changing tracefs needs root");
	n = session_reset_stale(all, report_removal);
	if (n < 0)
		die("cannot reset '/sys/kernel/tracing': %s", strerror(-n));
	if (!quiet && !n && !failures)
		printf("nothing to remove\n");
	return failures ? 1 : 0;
}
