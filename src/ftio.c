// SPDX-License-Identifier: GPL-2.0
/*
 * ftio's entry point: a sorted table of commands, the git-style usage
 * helpers they share (usage errors exit 129), and the command line kept
 * for the recording's metadata.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "lib/suggest.h"
#include "lib/util.h"

char *ftio_cmdline;

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "boot-setup", cmd_boot_setup, "Print the kernel command line that keeps a trace across a crash" },
	{ "export", cmd_export, "Perfetto trace, per-call CSV or ClickHouse rows of a recording" },
	{ "info", cmd_info, "Show a recording's metadata, chunks and losses" },
	{ "probe", cmd_probe, "Show what this kernel offers and the strategy ftio will use" },
	{ "record", cmd_record, "Trace file I/O into a recording" },
	{ "replay", cmd_replay, "Print the recorded events in time order" },
	{ "report", cmd_report, "Latency, errors and audit report of a recording" },
	{ "reset", cmd_reset, "Remove what a crashed ftio left in tracefs" },
	{ "salvage", cmd_salvage, "Save what the previous boot left in the boot instance" },
	{ "top", cmd_top, "Show live which files, mounts or processes the file-call time goes to" },
	{ "trace", cmd_trace, "Print file calls live as they complete, with their paths" },
};

static const char *const main_usage[] = {
	"ftio [--version] [--help] <command> [<args>]",
	NULL,
};

void usage_show(const char *const *usage, int to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;

	for (int i = 0; usage[i]; i++)
		fprintf(f, "%s%s\n", i ? "   or: " : "usage: ", usage[i]);
}

void usage_error(const char *const *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_show(usage, 1);
	exit(EXIT_USAGE);
}

static void list_commands(FILE *f)
{
	usage_show(main_usage, f == stderr);
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "   %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nSee 'ftio <command> -h' for its options, 'ftio help <command>' for its manual page.\n");
}

/* "error: unknown command 'reprot'; did you mean 'report'?", then the commands */
static int unknown_command(const char *name)
{
	struct strbuf msg = STRBUF_INIT;
	struct suggest s;

	suggest_init(&s, name);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		suggest_add(&s, commands[i].name);
	suggest_add(&s, "help");
	suggest_add(&s, "version");
	strbuf_addf(&msg, "unknown command '%s'", name);
	suggest_hint(&s, "", &msg);
	fprintf(stderr, "error: %s\n", msg.buf);
	strbuf_release(&msg);
	list_commands(stderr);
	return EXIT_USAGE;
}

/*
 * ftio help <command>: its manual page, rendered in the build tree ftio
 * was built in, else the installed one, else the command's options
 */
static int show_help(const char *name)
{
	char *page;

	/* the file format's page, as git help names its guides */
	if (!strcmp(name, "format") || !strcmp(name, "ftio")) {
		page = !strcmp(name, "ftio") ? xstrdup("ftio") : xstrdup("ftio-format");
		help_show_man(page);
		free(page);
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(name, commands[i].name))
			continue;
		page = xasprintf("ftio-%s", name);
		help_show_man(page);
		free(page);
		{
			char *argv[] = { (char *)name, "-h", NULL };

			optind = 1;
			return commands[i].fn(2, argv);
		}
	}
	return unknown_command(name);
}

int main(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < argc; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", argv[i]);
	ftio_cmdline = strbuf_detach(&sb, NULL);

	if (argc < 2) {
		list_commands(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("ftio version %s\n", FTIO_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2)
		return show_help(argv[2]);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		list_commands(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return unknown_command(argv[1]);
}
