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
#include "lib/util.h"

char *ftio_cmdline;

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "export", cmd_export, "Perfetto trace, per-call CSV or ClickHouse rows of a recording" },
	{ "info", cmd_info, "Show a recording's metadata, chunks and losses" },
	{ "probe", cmd_probe, "Show what this kernel offers and the strategy ftio will use" },
	{ "record", cmd_record, "Trace file I/O into a recording" },
	{ "replay", cmd_replay, "Print the recorded events in time order" },
	{ "report", cmd_report, "Latency, errors and audit report of a recording" },
	{ "reset", cmd_reset, "Remove what a crashed ftio left in tracefs" },
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
		fprintf(f, "   %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nSee 'ftio help <command>', 'ftio <command> --help' or 'man ftio-<command>'.\n");
}

/*
 * ftio help <command>: its page from Documentation/ next to a built ftio
 * (the tree it was built in), else the installed man page, else the
 * command's usage
 */
static int show_help(const char *name)
{
	char exe[4096], *slash, *page;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(name, commands[i].name))
			continue;
		if (n > 0) {
			exe[n] = '\0';
			slash = strrchr(exe, '/');
			if (slash)
				*slash = '\0';
			page = xasprintf("%s/Documentation/ftio-%s.1.txt", exe, name);
			f = fopen(page, "r");
			free(page);
			if (f) {
				char buf[4096];
				size_t k;

				while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
					fwrite(buf, 1, k, stdout);
				fclose(f);
				return 0;
			}
		}
		page = xasprintf("ftio-%s", name);
		fflush(stdout);
		execlp("man", "man", page, (char *)NULL);
		free(page);
		{
			char *argv[] = { (char *)name, "--help", NULL };

			return commands[i].fn(2, argv);
		}
	}
	fprintf(stderr, "error: unknown command '%s'\n", name);
	list_commands(stderr);
	return EXIT_USAGE;
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
	fprintf(stderr, "error: unknown command '%s'\n", argv[1]);
	list_commands(stderr);
	return EXIT_USAGE;
}
