// SPDX-License-Identifier: GPL-2.0
/*
 * ftio top: where the file-call time goes right now, as a table refreshed
 * every interval.  The capture is ftio trace's (cmd-trace.c): the
 * recorder's steps with their own instance and cleanup on every way out,
 * and the chunk writer's tap feeding a live report (report/live.h), whose
 * decoder and layers pair and annotate the calls as a report would.  Each
 * call that passes the filters goes into the display's interval
 * (top/display.h), which shows it on the screen or as plain text.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "layers.h"
#include "record/recorder.h"
#include "report/live.h"
#include "top/display.h"
#include "lib/util.h"

/* How long the readers may sit on a partial page (as ftio trace's) */
#define TOP_FLUSH_MS 20
/* Per CPU, as ftio trace's: decoding live costs more than compressing */
#define TOP_BUFFER_KB 16384
/* Plain text: rows per table unless --rows says */
#define TOP_PLAIN_ROWS 20

static const char *const top_usage[] = {
	"ftio top [-p <path>] [-d <seconds>] [--by file|mount|process|uid|syscall]\n"
	"                [--sort calls|errors|bytes|total|p99|key] [-n <count>] [--rows <n>] [--batch]\n"
	"                [--pid <pid>]... [--comm <name>] [--uid <uid>] [--syscall <name>[,<name>...]]\n"
	"                [-e <layer>[,<layer>...]] [-b <kb>] [-- <command> [<args>...]]",
	NULL,
};

struct top {
	struct recorder rec;
	struct report filter;	/* only its filter, parsed by report_filter_arg() */
	struct top_display_opts d;
	struct top_display *disp;
	bool rows_set;
};

/* On the chunk writer's thread: into the interval being filled */
static void on_call(struct report *r, const struct call *c, void *arg)
{
	struct top *t = arg;

	top_display_add(t->disp, c, &r->m);
}

static int pick(const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	return -1;
}

static void parse_layers(struct record_opts *o, const char *arg)
{
	char *list = xstrdup(arg), *save = NULL;

	for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		struct strbuf hint = STRBUF_INIT;

		if (layer_find(s))
			continue;
		layer_suggest(s, &hint);
		usage_error(top_usage, "unknown layer '%s'%s", s, hint.buf);
	}
	free(list);
	free(o->layers);
	o->layers = xstrdup(arg);
}

static const struct cmd_option top_options[] = {
	OPT_GROUP("What to show"),
	OPT_SHORT('d', "delay", required_argument, "<time>", "an interval of <time> (default 2s, 0.1 to 3600)"),
	OPT_LONG("by", 'B', required_argument, "<key>", "a row per file, mount, process, uid or syscall"),
	OPT_LONG("sort", 'O', required_argument, "<column>", "calls, errors, bytes, total, p99 or key"),
	OPT_SHORT('n', "count", required_argument, "<n>", "stop after <n> intervals"),
	OPT_LONG("rows", 'R', required_argument, "<n>", "plain text: rows per table (default 20, 0 for all)"),
	OPT_LONG("batch", 'X', no_argument, NULL, "plain text even on a terminal"),
	OPT_GROUP("Which calls"),
	OPT_SHORT('p', "path", required_argument, "<path>", "only calls on files under <path> (and its device)"),
	OPT_LONG("pid", 'P', required_argument, "<pid>", "trace this process and what it starts (repeatable)"),
	OPT_LONG("comm", 'c', required_argument, "<name>", "only calls of threads named <name>"),
	OPT_LONG("uid", 'u', required_argument, "<uid>", "only calls whose real or effective uid is <uid>"),
	OPT_LONG("syscall", 's', required_argument, "<name>[,...]", "only these syscalls (openat, read, ...)"),
	OPT_GROUP("The capture"),
	OPT_SHORT('e', "events", required_argument, "<layer>[,...]", "the layers, as in ftio record"),
	OPT_SHORT('b', "buffer-size", required_argument, "<kb>", "per-CPU ring buffer in KiB (default 16384)"),
	OPT_END(),
};

static const struct cmd_desc top_cmd = { "top", top_usage, top_options, true };

static void parse_args(int argc, char **argv, struct top *t)
{
	struct record_opts *o = &t->rec.o;
	unsigned long long v;
	int c, k;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, &top_cmd)) != -1) {
		switch (c) {
		case 'P':
			/* the kernel's pid filter, which follows forks and threads */
			if (parse_uint(optarg, 1 << 22, &v) || !v)
				usage_error(top_usage, "invalid --pid '%s'", optarg);
			o->pids = xrealloc(o->pids, (o->nr_pids + 1) * sizeof(*o->pids));
			o->pids[o->nr_pids++] = v;
			break;
		case 'p':
			o->path = optarg;
			report_filter_arg(&t->filter, c, optarg, top_usage);
			break;
		case 'd':
			if (parse_duration_ns(optarg, &t->d.interval_ns) ||
			    t->d.interval_ns < 100 * NSEC_PER_MSEC || t->d.interval_ns > 3600 * NSEC_PER_SEC)
				usage_error(top_usage, "invalid interval '%s' (seconds, 0.1 to 3600: 2, 0.5, 500ms)",
					    optarg);
			break;
		case 'B':
			k = pick(optarg, top_key_names, TOP_KEYS);
			if (k < 0)
				usage_error(top_usage, "invalid --by '%s' (file, mount, process, uid or syscall)",
					    optarg);
			t->d.key = k;
			break;
		case 'O':
			k = pick(optarg, top_sort_names, TOP_SORTS);
			if (k < 0)
				usage_error(top_usage, "invalid --sort '%s' (calls, errors, bytes, total, p99 or key)",
					    optarg);
			t->d.view.sort = k;
			break;
		case 'n':
			if (parse_uint(optarg, 1u << 31, &v) || !v)
				usage_error(top_usage, "invalid count '%s' (intervals, 1 or more)", optarg);
			t->d.count = v;
			break;
		case 'R':
			if (parse_uint(optarg, 1u << 31, &v))
				usage_error(top_usage, "invalid --rows '%s' (0 for all)", optarg);
			t->d.rows = v;
			t->rows_set = true;
			break;
		case 'X':
			t->d.batch = true;
			break;
		case 'e':
			parse_layers(o, optarg);
			break;
		case 'b':
			if (parse_uint(optarg, 1 << 22, &v) || v < 4)
				usage_error(top_usage, "invalid buffer size '%s' (KiB, 4 to 4194304)", optarg);
			o->buffer_kb = v;
			break;
		default:
			report_filter_arg(&t->filter, c, optarg, top_usage);
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	if (!t->rows_set)
		t->d.rows = TOP_PLAIN_ROWS;
}

/* The filter the live report applies, -p as the recorder resolved it */
static void set_filter(struct top *t, struct live_opts *lo)
{
	/* the recorder resolved -p (symbolic links included): match what the kernel sees */
	report_filter_path(&t->filter, t->filter.path_arg ? t->rec.o.path_abs : NULL);
	lo->f = t->filter.f;
	lo->on_call = on_call;
	lo->arg = t;
}

static void summary(struct top *t, struct live *live, unsigned long intervals)
{
	struct live_stats ls;

	live_get_stats(live, &ls);
	if (ls.err)
		error("cannot decode the live capture: %s", strerror(-ls.err));
	fprintf(stderr, "ftio: %lu intervals, %llu calls of %llu (%llu events), %llu lost by the kernel%s\n",
		intervals, (unsigned long long)ls.calls_kept, (unsigned long long)ls.calls,
		(unsigned long long)ls.events, (unsigned long long)ls.lost,
		ls.lost ? " (try a larger -b)" : "");
	if (ls.exit_no_enter)
		fprintf(stderr, "ftio: %llu calls not counted: their exit came without their enter\n",
			(unsigned long long)ls.exit_no_enter);
}

int cmd_top(int argc, char **argv)
{
	struct top t = { 0 };
	struct live_opts lo = { 0 };
	struct record_opts *o = &t.rec.o;
	struct live *live;
	unsigned long intervals = 0;
	sigset_t winch;

	recorder_init(&t.rec);
	o->tap_only = true;
	o->quiet = 1;
	o->backend = BACKEND_TRACEFS;
	o->live_flush_ms = TOP_FLUSH_MS;
	o->buffer_kb = TOP_BUFFER_KB;
	t.filter.f.pid = t.filter.f.tid = t.filter.f.uid = -1;
	t.d.interval_ns = NSEC_PER_SEC;
	t.d.view.sort = SORT_TOTAL;
	parse_args(argc, argv, &t);
	o->syscalls = t.filter.f.syscalls;
	o->comm = t.filter.f.comm;
	recorder_plan(&t.rec);
	recorder_prepare_output(&t.rec);
	set_filter(&t, &lo);
	signal(SIGPIPE, SIG_IGN);
	/* the screen reads the terminal's size itself: no thread takes SIGWINCH */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &winch, NULL);
	live = live_new(&lo);
	t.d.live = live;
	t.disp = top_display_new(&t.d);
	if (!t.disp)
		die("cannot start the display: %s", strerror(errno));
	o->notrace_tid = top_display_tid(t.disp);
	o->tap = live_sink(live);
	/* from here on the kernel changes: drain and finish on every way out */
	if (!recorder_open_transport(&t.rec) && !recorder_arm(&t.rec)) {
		top_display_start(t.disp);
		recorder_run(&t.rec);
	}
	recorder_drain(&t.rec);
	recorder_finish(&t.rec);
	/* the writer is closed: every call is in an interval */
	top_display_stop(t.disp, true, &intervals);
	summary(&t, live, intervals);
	live_free(live);
	free(t.filter.f.syscalls);
	free(t.filter.path_arg);
	return recorder_release(&t.rec);
}
