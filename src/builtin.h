/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands and what they share.  Each lives in src/cmd-<name>.c and
 * exports only its cmd_<name>() entry point, which src/ftio.c dispatches
 * to; src/ftio.c also gives them the usage helpers and the command line.
 */
#ifndef FTIO_BUILTIN_H
#define FTIO_BUILTIN_H

#define EXIT_USAGE 129

int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_salvage(int argc, char **argv);
int cmd_boot_setup(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_top(int argc, char **argv);

/* Prints "error: @msg" and the usage lines, then exits 129 */
void usage_error(const char *const *usage, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void usage_show(const char *const *usage, int to_stderr);

/* The full command line, for the recording's metadata */
extern char *ftio_cmdline;

#endif /* FTIO_BUILTIN_H */
