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
#include "record/boot.h"
#include "record/lastboot.h"
#include "parse-options.h"
#include "record/salvage.h"
#include "record/session.h"
#include "lib/util.h"

static const char *const reset_usage[] = {
	"ftio reset [-a|--all] [-q|--quiet] [--no-save]",
	"ftio reset --boot-instance [-q|--quiet] [--no-save]",
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

/*
 * --boot-instance: the armed boot instance disarmed (tracing off, its
 * events off, the "ftio_boot" probes removed, its buffer emptied), and
 * what the previous boot left in it saved first, as ftio salvage would
 */
static int reset_boot(bool save)
{
	struct boot_state bs;
	char *why;
	int n;

	boot_state_read(&bs);
	why = boot_missing(&bs);
	if (why)
		die("cannot reset the boot instance: %s", why);
	if (save && bs.last == LAST_PREVIOUS && bs.entries) {
		char *bid = boot_id(), *path = xasprintf("ftio-salvage-boot-%.8s.dat", bid);
		struct lastboot_opts lo = { .output = path, .sidecar = BOOT_SIDECAR, .quiet = quiet };
		int r = lastboot_salvage(&lo, &bs, NULL);

		if (r == LASTBOOT_ERROR)
			die("cannot reset the boot instance: its %llu events of the previous boot could "
			    "not be saved (--no-save discards them)", (unsigned long long)bs.entries);
		if (r == LASTBOOT_SAVED && !quiet)
			printf("saved the previous boot's events left in %s to %s\n", BOOT_INSTANCE, path);
		free(path);
		free(bid);
	}
	n = boot_disarm(true, report_removal);
	if (n < 0)
		die("cannot disarm the boot instance '%s': %s", BOOT_INSTANCE, strerror(-n));
	if (!quiet)
		printf("%s %s\n", bs.armed ? "disarmed" : "nothing armed in", BOOT_INSTANCE);
	boot_state_release(&bs);
	return failures ? 1 : 0;
}

static const struct cmd_option reset_options[] = {
	OPT_SHORT('a', "all", no_argument, NULL, "every ftio instance, even of a running ftio"),
	OPT_SHORT('q', "quiet", no_argument, NULL, "say nothing unless something fails"),
	OPT_LONG("no-save", 'n', no_argument, NULL, "remove stale instances without saving their events"),
	OPT_LONG("boot-instance", 'B', no_argument, NULL, "disarm the boot instance, saving what it holds first"),
	OPT_END(),
};

static const struct cmd_desc reset_cmd = { "reset", reset_usage, reset_options, false };

int cmd_reset(int argc, char **argv)
{
	bool all = false, save = true, boot = false;
	int c, n;

	while ((c = cmd_getopt(argc, argv, &reset_cmd)) != -1) {
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
		case 'B':
			boot = true;
			break;
		}
	}
	if (optind < argc)
		usage_error(reset_usage, "unexpected argument '%s'", argv[optind]);
	if (geteuid() != 0)
		die("cannot reset: changing tracefs needs root");
	if (boot && all)
		usage_error(reset_usage, "--boot-instance and --all do not go together");
	if (boot)
		return reset_boot(save);
	n = session_reset_stale_save(all, report_removal, save ? save_instance : NULL, NULL);
	if (n < 0)
		die("cannot reset '/sys/kernel/tracing': %s", strerror(-n));
	if (!quiet && !n && !failures)
		printf("nothing to remove\n");
	return failures ? 1 : 0;
}
