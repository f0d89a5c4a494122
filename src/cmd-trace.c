// SPDX-License-Identifier: GPL-2.0
/*
 * ftio trace: file calls printed as they complete.  The recorder's steps
 * (record/recorder.h) run as for ftio record -- their own instance, the
 * same layers, cleanup on every way out -- with the chunk writer's tap
 * feeding a live report (report/live.h): the decoder and the layers pair
 * and annotate the calls exactly as a report would, and the report's
 * filters choose them.  Lines go to stdout through a bounded queue
 * (lib/line-queue.h): when the reader cannot keep up they are dropped and
 * counted, and the tracing never waits.
 */
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "layers.h"
#include "record/recorder.h"
#include "report/live.h"
#include "views/printers.h"
#include "lib/line-queue.h"
#include "lib/util.h"

/* How long the readers may sit on a partial page: the line's delay */
#define TRACE_FLUSH_MS 20
/* Lines waiting for a slow terminal or pipe, at most */
#define TRACE_QUEUE_BYTES (1u << 20)
/* A text line is rarely longer: a queue with less room drops it unformatted */
#define TRACE_LINE_GUESS 256
/* Per CPU: decoding live costs more than compressing, so more room than record's 4 MiB */
#define TRACE_BUFFER_KB 16384
/* At the end, how long a slow reader gets for what is still queued */
#define TRACE_CLOSE_WAIT_MS 2000

static const char *const trace_usage[] = {
	"ftio trace [-p <path>] [--pid <pid>]... [--comm <name>] [--uid <uid>]\n"
	"                  [--syscall <name>[,<name>...]] [--min-latency <time>] [--errors] [--audit]\n"
	"                  [--drill] [--json] [-o <file>] [-e <layer>[,<layer>...]] [-b <kb>]\n"
	"                  [-d <time>] [-- <command> [<args>...]]",
	NULL,
};

struct trace {
	struct recorder rec;
	struct report filter;	/* only its filter, parsed by report_filter_arg() */
	struct live *live;
	struct line_queue *q;
	bool json, drill, audit;
	uint64_t start_mono, start_real;	/* for the wall-clock time of a call */
	struct strbuf line;	/* reused: the writer's thread builds every line here */
};

/* The reader of our stdout went away (`ftio trace | head`): stop as on SIGTERM */
static void output_gone(void)
{
	kill(getpid(), SIGTERM);
}

static void text_line(struct trace *t, struct report *r, const struct call *c)
{
	struct strbuf *sb = &t->line;
	uint64_t real = t->start_real + (c->start_ns - t->start_mono);
	time_t secs = real / NSEC_PER_SEC;
	struct tm tm;
	char b[3][64];

	localtime_r(&secs, &tm);
	strftime(b[0], sizeof(b[0]), "%H:%M:%S", &tm);
	strbuf_addf(sb, "%s.%06llu ", b[0], (unsigned long long)(real % NSEC_PER_SEC / 1000));
	strbuf_add_escaped(sb, c->comm, strnlen(c->comm, sizeof(c->comm)));
	strbuf_addf(sb, " %d/%d uid %s %s ", c->pid, c->tid,
		    table_user_str(b[1], sizeof(b[1]), &r->m, c->uid), c->name);
	if (c->path)
		strbuf_add_escaped(sb, c->path, strlen(c->path));
	else
		strbuf_addch(sb, '?');
	strbuf_addf(sb, " = %lld", (long long)c->ret);
	if (c->err)
		strbuf_addf(sb, " %s", table_errno_str(c->err));
	strbuf_addf(sb, " %s%s\n", fmt_ns(b[2], sizeof(b[2]), c->latency_ns),
		    c->tainted ? " (events lost: latency not counted)" : "");
	if (t->drill)
		text_call_children(sb, r, c);
}

/* On the chunk writer's thread: must never wait */
static void on_call(struct report *r, const struct call *c, void *arg)
{
	struct trace *t = arg;

	if (t->audit && c->err != EACCES && c->err != EPERM)
		return;
	/* a reader that cannot keep up costs a count, not the formatting of its lines */
	if (line_queue_full(t->q, TRACE_LINE_GUESS))
		return;
	if (!t->start_real) {
		t->start_mono = recording_attr_u64(r->rec, "meta/start_mono_ns", 0);
		t->start_real = recording_attr_u64(r->rec, "meta/start_real_ns", 0);
	}
	strbuf_reset(&t->line);
	if (t->json) {
		struct report_row row = { .val = (void *)c };

		json_row(&t->line, r, &table_slowest, &row, JSON_REPORT);
		strbuf_addch(&t->line, '\n');
	} else {
		text_line(t, r, c);
	}
	line_queue_push(t->q, t->line.buf, t->line.len);
}

static const struct cmd_option trace_options[] = {
	OPT_GROUP("What to trace"),
	OPT_SHORT('p', "path", required_argument, "<path>", "only calls on files under <path> (and its device)"),
	OPT_LONG("pid", 'P', required_argument, "<pid>", "trace this process and what it starts (repeatable)"),
	OPT_SHORT('e', "events", required_argument, "<layer>[,...]", "the layers, as in ftio record"),
	OPT_SHORT('b', "buffer-size", required_argument, "<kb>", "per-CPU ring buffer in KiB (default 16384)"),
	OPT_SHORT('d', "duration", required_argument, "<time>", "stop after <time>"),
	OPT_GROUP("Which calls to show"),
	OPT_LONG("comm", 'c', required_argument, "<name>", "only calls of threads named <name>"),
	OPT_LONG("uid", 'u', required_argument, "<uid>", "only calls whose real or effective uid is <uid>"),
	OPT_LONG("syscall", 's', required_argument, "<name>[,...]", "only these syscalls (openat, read, ...)"),
	OPT_LONG("min-latency", 'm', required_argument, "<time>", "only calls that took at least <time>"),
	OPT_LONG("errors", 'E', no_argument, NULL, "only failed calls"),
	OPT_LONG("audit", 'A', no_argument, NULL, "only calls denied with EACCES or EPERM"),
	OPT_GROUP("Output"),
	OPT_LONG("drill", 'D', no_argument, NULL, "the work below each call, under its line"),
	OPT_LONG("json", 'j', no_argument, NULL, "one JSON object per call"),
	OPT_SHORT('o', "output", required_argument, "<file>", "also write the recording to <file>"),
	OPT_END(),
};

static const struct cmd_desc trace_cmd = { "trace", trace_usage, trace_options, true };

static void parse_args(int argc, char **argv, struct trace *t)
{
	struct record_opts *o = &t->rec.o;
	unsigned long long v;
	int c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, &trace_cmd)) != -1) {
		switch (c) {
		case 'P':
			/* the kernel's pid filter, which follows forks and threads */
			if (parse_uint(optarg, 1 << 22, &v) || !v)
				usage_error(trace_usage, "invalid --pid '%s'", optarg);
			o->pids = xrealloc(o->pids, (o->nr_pids + 1) * sizeof(*o->pids));
			o->pids[o->nr_pids++] = v;
			break;
		case 'p':
			/* the recorder's device filter in the kernel, and the path prefix here */
			o->path = optarg;
			report_filter_arg(&t->filter, c, optarg, trace_usage);
			break;
		case 'A':
			t->audit = true;
			break;
		case 'j':
			t->json = true;
			break;
		case 'D':
			t->drill = true;
			break;
		case 'o':
			o->output = optarg;
			o->tap_only = false;
			break;
		case 'e': {
			char *list = xstrdup(optarg), *save = NULL;

			for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
				struct strbuf hint = STRBUF_INIT;

				if (layer_find(s))
					continue;
				layer_suggest(s, &hint);
				usage_error(trace_usage, "unknown layer '%s'%s", s, hint.buf);
			}
			free(list);
			free(o->layers);
			o->layers = xstrdup(optarg);
			break;
		}
		case 'b':
			if (parse_uint(optarg, 1 << 22, &v) || v < 4)
				usage_error(trace_usage, "invalid buffer size '%s' (KiB, 4 to 4194304)",
					    optarg);
			o->buffer_kb = v;
			break;
		case 'd':
			if (parse_duration_ns(optarg, &o->duration_ns) || !o->duration_ns)
				usage_error(trace_usage, "invalid duration '%s' (e.g. 10s)", optarg);
			break;
		default:
			report_filter_arg(&t->filter, c, optarg, trace_usage);
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	if (t->json && t->drill)
		usage_error(trace_usage, "--json has the children already: no --drill");
}

/* The filter the live report applies, as report does it */
static void set_filter(struct trace *t, struct live_opts *lo)
{
	/* the recorder resolved -p (symbolic links included): match what the kernel sees */
	report_filter_path(&t->filter, t->filter.path_arg ? t->rec.o.path_abs : NULL);
	lo->f = t->filter.f;
	lo->on_call = on_call;
	lo->arg = t;
}

static void summary(struct trace *t, const struct line_queue_stats *qs)
{
	struct live_stats ls;

	live_get_stats(t->live, &ls);
	if (ls.err)
		error("cannot decode the live capture: %s", strerror(-ls.err));
	fprintf(stderr, "ftio: %llu calls shown of %llu (%llu events), %llu lost by the kernel%s\n",
		(unsigned long long)(qs->lines - qs->dropped), (unsigned long long)ls.calls,
		(unsigned long long)ls.events, (unsigned long long)ls.lost,
		ls.lost ? " (try a larger -b)" : "");
	if (qs->dropped)
		fprintf(stderr, "ftio: %llu lines not shown: the output could not keep up%s%s\n",
			(unsigned long long)qs->dropped, qs->err ? ": " : "",
			qs->err ? strerror(-qs->err) : "");
	if (ls.exit_no_enter)
		fprintf(stderr, "ftio: %llu calls not shown: their exit came without their enter\n",
			(unsigned long long)ls.exit_no_enter);
	if (ls.dropped_early)
		fprintf(stderr, "ftio: %llu sub-buffers not decoded: they came before the process snapshot\n",
			(unsigned long long)ls.dropped_early);
	if (!t->rec.o.tap_only && !t->rec.ret)
		fprintf(stderr, "ftio: the recording is in '%s' (ftio report -i %s)\n", t->rec.o.output,
			t->rec.o.output);
}

int cmd_trace(int argc, char **argv)
{
	struct trace t = { 0 };
	struct live_opts lo = { 0 };
	struct line_queue_stats qs = { 0 };
	struct record_opts *o = &t.rec.o;

	recorder_init(&t.rec);
	o->tap_only = true;
	o->quiet = 1;
	o->backend = BACKEND_TRACEFS;
	o->live_flush_ms = TRACE_FLUSH_MS;
	o->buffer_kb = TRACE_BUFFER_KB;
	t.filter.f.pid = t.filter.f.tid = t.filter.f.uid = -1;
	strbuf_init(&t.line, 0);
	parse_args(argc, argv, &t);
	/* the kernel drops what it can; the live report's filter still judges each call */
	o->syscalls = t.filter.f.syscalls;
	o->comm = t.filter.f.comm;
	recorder_plan(&t.rec);
	recorder_prepare_output(&t.rec);
	set_filter(&t, &lo);
	/* a reader that went away must end the trace cleanly, not kill it */
	signal(SIGPIPE, SIG_IGN);
	t.q = line_queue_new(1, TRACE_QUEUE_BYTES, output_gone);
	if (!t.q)
		die("cannot write to stdout: %s", strerror(errno));
	o->notrace_tid = line_queue_tid(t.q);
	t.live = live_new(&lo);
	o->tap = live_sink(t.live);
	/* from here on the kernel changes: drain and finish on every way out */
	if (!recorder_open_transport(&t.rec) && !recorder_arm(&t.rec))
		recorder_run(&t.rec);
	recorder_drain(&t.rec);
	recorder_finish(&t.rec);
	/* the writer is closed: every call has been pushed */
	line_queue_close(t.q, TRACE_CLOSE_WAIT_MS, &qs);
	summary(&t, &qs);
	live_free(t.live);
	strbuf_release(&t.line);
	free(t.filter.f.syscalls);
	free(t.filter.path_arg);
	return recorder_release(&t.rec);
}
