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
#include "record/salvage.h"
#include "record/session.h"
#include "lib/util.h"

static const char *const reset_usage[] = {
	"ftio reset [-a|--all] [-q|--quiet] [--no-save]",
	NULL,
};

static int quiet, failures;

/* What the dead ftio had not read yet is saved before its instance goes */
static void save_instance(const char *name, void *arg)
{
	char *path = xasprintf("ftio-salvage-%s.dat", name + 5);
	long n = salvage_instance(name, path);

	if (n < 0 && n != -ENOENT)
		warning("cannot save what was left in '%s' to '%s': %s", name, path, strerror(-n));
	else if (n > 0 && !quiet)
		printf("saved %ld sub-buffers left in %s to %s\n", n, name, path);
	free(path);
	(void)arg;
}

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
		{ "no-save", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, save = true;
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
		case 'n':
			save = false;
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
	n = session_reset_stale_save(all, report_removal, save ? save_instance : NULL, NULL);
	if (n < 0)
		die("cannot reset '/sys/kernel/tracing': %s", strerror(-n));
	if (!quiet && !n && !failures)
		printf("nothing to remove\n");
	return failures ? 1 : 0;
}
