// SPDX-License-Identifier: GPL-2.0
/*
 * ftio salvage --last-boot: after a crash and a warm reboot, what the
 * previous boot left in the boot-mapped instance, with the sidecar that
 * ftio record --boot-instance wrote when it armed it, as a normal
 * recording (record/lastboot.h).  Exit 0 when one was written, 2 when
 * there was no last-boot data, 1 on an error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "record/boot.h"
#include "record/lastboot.h"
#include "lib/util.h"

static const char *const salvage_usage[] = {
	"ftio salvage --last-boot [-o <file>|<dir>/] [--sidecar <file>] [-q]",
	NULL,
};

/* -o DIR/: a name of its own in DIR, by the time of the salvage */
static char *output_name(const char *o)
{
	struct stat st;
	size_t n = strlen(o);
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;

	if (!(n && o[n - 1] == '/') && (stat(o, &st) || !S_ISDIR(st.st_mode)))
		return xstrdup(o);
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	return xasprintf("%s%slast-boot-%s.dat", o, n && o[n - 1] == '/' ? "" : "/", stamp);
}

static const struct cmd_option salvage_options[] = {
	OPT_LONG("last-boot", 'L', no_argument, NULL, "save what the previous boot left in the boot instance"),
	OPT_SHORT('o', "output", required_argument, "<file>", "write it to <file> or into <dir>/ (last-boot.dat)"),
	OPT_LONG("sidecar", 'S', required_argument, "<file>", "the formats and metadata record --boot-instance saved"),
	OPT_SHORT('q', "quiet", no_argument, NULL, "print nothing but errors"),
	OPT_END(),
};

static const struct cmd_desc salvage_cmd = { "salvage", salvage_usage, salvage_options, false };

int cmd_salvage(int argc, char **argv)
{
	struct lastboot_opts o = { .output = "last-boot.dat", .sidecar = BOOT_SIDECAR };
	struct boot_state bs;
	bool last_boot = false;
	char *why, *out;
	int c, ret;

	while ((c = cmd_getopt(argc, argv, &salvage_cmd)) != -1) {
		switch (c) {
		case 'L':
			last_boot = true;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'S':
			o.sidecar = optarg;
			o.sidecar_given = true;
			break;
		case 'q':
			o.quiet = 1;
			break;
		}
	}
	if (optind < argc)
		usage_error(salvage_usage, "unexpected argument '%s'", argv[optind]);
	if (!last_boot)
		usage_error(salvage_usage, "salvage needs --last-boot (what a killed ftio left in "
			    "its own instance is saved by 'ftio reset')");
	if (geteuid() != 0)
		die("cannot salvage the last boot: reading tracefs needs root");
	boot_state_read(&bs);
	why = boot_missing(&bs);
	if (why)
		die("cannot salvage the last boot: %s", why);
	out = output_name(o.output);
	o.output = out;
	ret = lastboot_salvage(&o, &bs, NULL);
	free(out);
	boot_state_release(&bs);
	return ret;
}
