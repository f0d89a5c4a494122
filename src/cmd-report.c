// SPDX-License-Identifier: GPL-2.0
/*
 * ftio report: the latency report.  It starts at the syscall (latency per
 * syscall, mount, file, process and uid), then lists errors, the audit of
 * denied accesses and the slowest calls with everything known about them.
 * Text for people (columns fit the terminal), --json for tools (a contract: see
 * Documentation/ftio-report.1.txt), --csv for one row per call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "views/printers.h"
#include "views/views.h"
#include "format/frontend.h"
#include "report/report.h"
#include <ftio/syscall-table.h>
#include "lib/output.h"
#include "lib/util.h"

static const char *const report_usage[] = {
	"ftio report [-i <file>]... [--json | --csv] [--top <n>] [-p <path>] [--pid <pid>] [--tid <tid>]\n"
	"                   [--comm <name>] [--uid <uid>] [--syscall <name>[,<name>...]]\n"
	"                   [--min-latency <duration>] [--errors] [--since <s>] [--until <s>] [--drill]\n"
	"                   [--html <file>] [--svg <dir>] [--mode <octal>] [--color[=<when>]] [--no-pager]\n"
	"                   [--width <n>] [--strict] [-j <n>] [<file>...]",
	NULL,
};

enum { OUT_TEXT, OUT_JSON, OUT_CSV };

/* long options only: past every character code */
enum { OPT_STRICT = 256, OPT_WIDTH };

struct report_opts {
	char **inputs;
	size_t nr_inputs;
	int format;
	int drill;
	/* issue 8: views and terminal output */
	const char *html;	/* file, "-" for stdout */
	const char *svg;	/* directory */
	mode_t mode;		/* of the files --html and --svg write */
	int color;		/* -1 auto, 0 never, 1 always */
	int no_pager;
	int strict;		/* damage exits 1 */
	long width;		/* --width; -1: the terminal's */
	long jobs;		/* -j; 0: the online CPUs */
};

static const struct cmd_option report_options[] = {
	OPT_GROUP("Input"),
	OPT_SHORT('i', "input", required_argument, "<file>",
		  "a recording: file, directory, glob or rotated name"),
	OPT_GROUP("Output"),
	OPT_LONG("json", 'J', no_argument, NULL, "one JSON document instead of text"),
	OPT_LONG("csv", 'C', no_argument, NULL, "one CSV row per reported call instead of text"),
	OPT_SHORT('n', "top", required_argument, "<n>", "rows of the top-n tables (default 10)"),
	OPT_LONG("drill", 'D', no_argument, NULL, "the work below each of the slowest calls"),
	OPT_LONG("html", 'H', required_argument, "<file>", "write an interactive HTML page instead"),
	OPT_LONG("svg", 'G', required_argument, "<dir>", "write SVG heatmaps and histograms instead"),
	OPT_LONG("mode", 'M', required_argument, "<octal>", "permissions of those files (default 0600)"),
	OPT_LONG("color", 'K', optional_argument, "[=<when>]", "colour the text: auto, always or never"),
	OPT_ALIAS("colour", 'K', optional_argument),
	OPT_LONG("no-pager", 'N', no_argument, NULL, "do not page the text on a terminal"),
	OPT_LONG("width", OPT_WIDTH, required_argument, "<n>", "the text's columns (default: the terminal's)"),
	OPT_LONG("strict", OPT_STRICT, no_argument, NULL, "exit 1 when the recording is damaged"),
	OPT_SHORT('j', "jobs", required_argument, "<n>", "decode with <n> threads (default: the online CPUs)"),
	OPT_GROUP("Filters (the calls: AND of all)"),
	REPORT_FILTER_OPTIONS,
	OPT_END(),
};

static const struct cmd_desc report_cmd = { "report", report_usage, report_options, false };

static void parse_args(int argc, char **argv, struct report_opts *o, struct report *r)
{
	unsigned long long v;
	int c;

	while ((c = cmd_getopt(argc, argv, &report_cmd)) != -1) {
		switch (c) {
		case 'i':
			o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
			o->inputs[o->nr_inputs++] = optarg;
			break;
		case 'J':
			o->format = OUT_JSON;
			break;
		case 'C':
			o->format = OUT_CSV;
			break;
		case 'n':
			if (parse_uint(optarg, 100000, &v) || !v)
				usage_error(report_usage, "invalid --top '%s' (1 to 100000)", optarg);
			r->top = v;
			break;
		case 'D':
			o->drill = 1;
			break;
		case 'H':
			o->html = optarg;
			break;
		case 'G':
			o->svg = optarg;
			break;
		case 'M':
			if (output_parse_mode(optarg, &o->mode))
				usage_error(report_usage, "invalid --mode '%s' (octal, 0 to 0777)", optarg);
			break;
		case 'K':
			if (!optarg || !strcmp(optarg, "always"))
				o->color = 1;
			else if (!strcmp(optarg, "never"))
				o->color = 0;
			else if (!strcmp(optarg, "auto"))
				o->color = -1;
			else
				usage_error(report_usage, "invalid --color '%s' (auto, always or never)",
					    optarg);
			break;
		case 'N':
			o->no_pager = 1;
			break;
		case OPT_STRICT:
			o->strict = 1;
			break;
		case 'j':
			o->jobs = cmd_jobs_arg(&report_cmd, argv[optind - 1], optarg, DECODER_MAX_THREADS);
			break;
		case OPT_WIDTH:
			if (parse_uint(optarg, 100000, &v) || (v && v < 20))
				usage_error(report_usage, "invalid --width '%s' (0 for none, or 20 and more)",
					    optarg);
			o->width = v;
			break;
		default:
			report_filter_arg(r, c, optarg, report_usage);
		}
	}
	for (; optind < argc; optind++) {
		o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
		o->inputs[o->nr_inputs++] = argv[optind];
	}
}

/* ---- issue 8: HTML and SVG views, colour and pager for the text ---- */

/* Writes the page through output_open(), so a failure leaves no half page */
static void write_html(struct export_views *v, const char *path, mode_t mode)
{
	struct output out;
	uint64_t t = now_mono_ns();
	char size[32], took[32];
	bool is_std;
	long len;
	int ret;

	ret = output_open(&out, path, mode);
	if (ret)
		die("cannot write '%s': %s", path, output_strerror(ret));
	is_std = out.is_std;
	ret = export_html(v, out.f);
	len = is_std ? -1 : ftell(out.f);
	if (ret)
		output_abort(&out);
	else
		ret = output_commit(&out);
	if (ret)
		die("cannot write '%s': %s", path, output_strerror(ret));
	if (!is_std && len >= 0)
		fprintf(stderr, "ftio: wrote '%s' (%s in %s)\n", path,
			fmt_bytes(size, sizeof(size), len), fmt_ns(took, sizeof(took), now_mono_ns() - t));
}

static void write_svg(struct export_views *v, const char *dir, mode_t mode)
{
	char *failed = NULL;
	int ret = export_svg(v, dir, mode, &failed);

	if (ret)
		die("cannot write '%s': %s", failed ? failed : dir, output_strerror(ret));
}

/*
 * The text's width: COLUMNS, else the terminal's, when stdout is a
 * terminal; no limit when it is not (a file, a pipe: nothing wraps there)
 */
static unsigned int terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	unsigned long long v;
	struct winsize ws;

	if (!isatty(1))
		return 0;
	if (env && !parse_uint(env, 100000, &v) && v >= 20)
		return v;
	if (!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* auto: stdout is a terminal that is not "dumb" */
static bool color_wanted(int color)
{
	const char *term = getenv("TERM");

	if (color >= 0)
		return color;
	return isatty(1) && term && strcmp(term, "dumb");
}

static pid_t pager_pid;

static void pager_wait(void)
{
	int status;

	fflush(stdout);
	close(1);
	while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* git's rules: FTIO_PAGER, then PAGER, else less -FRX; "" and "cat" mean none */
static void pager_start(void)
{
	const char *pager = getenv("FTIO_PAGER");
	int fds[2];

	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less -FRX";
	if (!*pager || !strcmp(pager, "cat") || pipe(fds))
		return;
	fflush(stdout);
	pager_pid = fork();
	if (pager_pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (!pager_pid) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		/* what git sets when LESS is unset: quit if one screen, keep colours */
		setenv("LESS", "FRX", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	dup2(fds[1], 1);
	close(fds[0]);
	close(fds[1]);
	atexit(pager_wait);
}

/* ---- end of issue 8 ---- */

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { .mode = OUTPUT_MODE_DEFAULT, .width = -1 };
	struct report r = { 0 };
	static char *default_input[] = { "ftio.dat" };
	struct recset set;
	struct recording *rec;
	struct export_views *views = NULL;
	bool color, pager, damaged;
	unsigned int width;
	int ret;

	r.f.pid = r.f.tid = r.f.uid = -1;
	o.color = -1;
	parse_args(argc, argv, &o, &r);
	/* decided before a pager takes over stdout, as git does */
	color = color_wanted(o.color);
	width = o.width >= 0 ? (unsigned int)o.width : terminal_width();
	pager = !o.no_pager && o.format == OUT_TEXT && !o.html && !o.svg && isatty(1);
	frontend_open_set(&set, o.nr_inputs ? o.inputs : default_input, o.nr_inputs ? o.nr_inputs : 1);
	rec = set.v[0];
	/* without -p, the recording's own -p */
	report_filter_path(&r, r.path_arg ? NULL : recording_attr(rec, "meta/path_filter"));
	ret = report_init(&r, set.v, set.n);
	if (ret) {
		frontend_set_warnings(&set);
		die("cannot decode '%s': %s", rec->path,
		    ret == -EBADMSG ? "its event formats are missing or unusable" : strerror(-ret));
	}
	decoder_set_threads(report_decoder(&r), o.jobs ? o.jobs : online_cpus_max(DECODER_MAX_THREADS));
	if (o.format == OUT_CSV)
		report_csv_start(&r, stdout);
	if (o.html || o.svg)
		views = export_views_new(&r);
	report_run(&r);
	if (o.html)
		write_html(views, o.html, o.mode);
	if (o.svg)
		write_svg(views, o.svg, o.mode);
	if (pager)
		pager_start();
	/* as before the printers took a FILE: a failed write to stdout is not reported */
	if (o.format == OUT_JSON)
		report_print_json(&r, stdout);
	else if (o.format == OUT_TEXT && !o.html && !o.svg)
		report_print_text(&r, stdout, &(struct text_opts){ color, o.drill, width });
	fflush(stdout);
	frontend_set_warnings(&set);
	damaged = report_damaged(&r);
	if (o.strict && damaged)
		error("damaged recording '%s': %llu bytes cut, %llu bytes and %llu chunks damaged, "
		      "%zu files without their end (--strict)", rec->path,
		      (unsigned long long)r.damage.truncated_bytes,
		      (unsigned long long)r.damage.damaged_bytes,
		      (unsigned long long)r.damage.bad_chunks, r.damage.no_end);
	export_views_free(views);
	report_release(&r);
	frontend_close_set(&set);
	free(o.inputs);
	free(r.f.syscalls);
	free(r.path_arg);
	return o.strict && damaged ? 1 : 0;
}
