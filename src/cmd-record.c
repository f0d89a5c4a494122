// SPDX-License-Identifier: GPL-2.0
/*
 * ftio record: parses the options (one table row each) and runs the
 * recorder's named steps (record/recorder.h): plan, prepare the output,
 * open the transport, arm, run, drain, finish.  Drain and finish run on
 * every way out, so ftio's instances and dynamic events are always
 * removed.
 */
#include <getopt.h>
#include <pwd.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "builtin.h"
#include "layers.h"
#include "record/counters.h"
#include "record/plan.h"
#include "record/recorder.h"
#include <ftio/syscall-table.h>
#include "lib/util.h"

static const char *const record_usage[] = {
	"ftio record [-o <file>] [-e <layer>[,<layer>...]] [-p <path>] [--pid <pid>]...\n"
	"                   [-b <kb>] [-d|--duration <time>] [-z <level>] [-q]\n"
	"                   [--max-size <size>] [--max-files <n>] [--split-time <time>]\n"
	"                   [--on-rotate <command>]\n"
	"                   [--sync-interval <time>] [--nice <n>] [--cpu <n>] [--user <user>]\n"
	"                   [--flight <size> [--trigger-latency <time>] [--trigger-errno <name>[,...]]\n"
	"                    [--before <time>] [--after <time>]]\n"
	"                   [--backend <tracefs|perf|auto>] [--counters <name>[,<name>...]]\n"
	"                   [--syscall-source <auto|syscalls|raw_syscalls>]\n"
	"                   [-- <command> [<args>...]]",
	NULL,
};

/*
 * struct record_option - one row of the option table.  A row either
 * names a handler, or a field of struct record_opts that takes a
 * duration or a size of at least @min, refused with "invalid @what
 * '<arg>'@hint".
 */
struct record_option {
	const char *name;
	/* getopt's value: the short option, else a letter of its own ("-%c" when the argument is missing) */
	int val;
	bool is_short;
	int has_arg;
	void (*parse)(struct record_opts *o, const char *arg);
	enum { OPT_HANDLER, OPT_DURATION, OPT_SIZE } kind;
	size_t field;
	uint64_t min;
	const char *what, *hint;
};

static void opt_output(struct record_opts *o, const char *arg)
{
	o->output = arg;
}

static void opt_events(struct record_opts *o, const char *arg)
{
	char *list = xstrdup(arg), *save = NULL;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!layer_find(t))
			usage_error(record_usage, "unknown layer '%s'", t);
	free(list);
	free(o->layers);
	o->layers = xstrdup(arg);
}

static void opt_path(struct record_opts *o, const char *arg)
{
	o->path = arg;
}

static void opt_pid(struct record_opts *o, const char *arg)
{
	unsigned long long v;

	if (parse_uint(arg, 1 << 22, &v) || !v)
		usage_error(record_usage, "invalid pid '%s'", arg);
	o->pids = xrealloc(o->pids, (o->nr_pids + 1) * sizeof(*o->pids));
	o->pids[o->nr_pids++] = v;
}

static void opt_buffer(struct record_opts *o, const char *arg)
{
	unsigned long long v;

	if (parse_uint(arg, 1 << 22, &v) || v < 4)
		usage_error(record_usage, "invalid buffer size '%s' (KiB, 4 to 4194304)", arg);
	o->buffer_kb = v;
}

static void opt_level(struct record_opts *o, const char *arg)
{
	char *end;
	long l = strtol(arg, &end, 10);

	if (*end || !*arg || l < -7 || l > 19)
		usage_error(record_usage, "invalid compression level '%s' (-7 to 19)", arg);
	o->level = l;
}

static void opt_quiet(struct record_opts *o, const char *arg)
{
	o->quiet = 1;
}

static void opt_max_files(struct record_opts *o, const char *arg)
{
	unsigned long long v;

	if (parse_uint(arg, 1000000, &v) || v < 2)
		usage_error(record_usage, "invalid --max-files '%s' (2 to 1000000)", arg);
	o->max_files = v;
}

static void opt_user(struct record_opts *o, const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	unsigned long long v;

	if (!pw && !parse_uint(arg, 0xfffffffeULL, &v))
		pw = getpwuid(v);
	if (!pw)
		usage_error(record_usage, "unknown user '%s'", arg);
	o->owner_uid = pw->pw_uid;
	o->owner_gid = pw->pw_gid;
	o->set_owner = true;
}

static void opt_on_rotate(struct record_opts *o, const char *arg)
{
	if (!*arg)
		usage_error(record_usage, "--on-rotate needs a command");
	o->on_rotate = arg;
}

static void opt_nice(struct record_opts *o, const char *arg)
{
	char *end;
	long l = strtol(arg, &end, 10);

	if (*end || !*arg || l < -20 || l > 19)
		usage_error(record_usage, "invalid --nice '%s' (-20 to 19)", arg);
	o->nice = l;
	o->set_nice = true;
}

static void opt_trigger_errno(struct record_opts *o, const char *arg)
{
	char *list = xstrdup(arg), *save = NULL;
	size_t n = 0;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int e = 0;

		for (int k = 1; k < 200 && !e; k++)
			if (errno_name(k) && !strcmp(errno_name(k), t))
				e = k;
		if (!e)
			usage_error(record_usage, "unknown errno name '%s' (e.g. EACCES)", t);
		o->trigger_errnos = xrealloc(o->trigger_errnos, (n + 2) * sizeof(int));
		o->trigger_errnos[n++] = e;
		o->trigger_errnos[n] = 0;
	}
	free(list);
}

static void opt_backend(struct record_opts *o, const char *arg)
{
	if (!strcmp(arg, "tracefs"))
		o->backend = BACKEND_TRACEFS;
	else if (!strcmp(arg, "perf"))
		o->backend = BACKEND_PERF;
	else if (!strcmp(arg, "auto"))
		o->backend = BACKEND_AUTO;
	else
		usage_error(record_usage, "invalid --backend '%s' (tracefs, perf or auto)", arg);
}

static void opt_syscall_source(struct record_opts *o, const char *arg)
{
	if (syscall_source_parse(arg, &o->syscall_source))
		usage_error(record_usage,
			    "invalid --syscall-source '%s' (auto, syscalls or raw_syscalls)", arg);
}

static void opt_counters(struct record_opts *o, const char *arg)
{
	char *err = NULL;

	counters_free(o->counters, o->nr_counters);
	if (counters_parse(arg, &o->counters, &o->nr_counters, &err))
		usage_error(record_usage, "%s", err);
}

static void opt_cpu(struct record_opts *o, const char *arg)
{
	unsigned long long v;

	if (parse_uint(arg, CPU_SETSIZE - 1, &v))
		usage_error(record_usage, "invalid --cpu '%s'", arg);
	o->cpu = v;
}

static void opt_help(struct record_opts *o, const char *arg)
{
	usage_show(record_usage, 0);
	exit(0);
}

#define HANDLER(n, v, s, a, fn) { .name = n, .val = v, .is_short = s, .has_arg = a, .parse = fn }
#define TIME(n, v, s, f, m, w, h) { .name = n, .val = v, .is_short = s, .has_arg = required_argument, \
	.kind = OPT_DURATION, .field = offsetof(struct record_opts, f), .min = m, .what = w, .hint = h }
#define SIZE(n, v, f, m, w, h) { .name = n, .val = v, .has_arg = required_argument, \
	.kind = OPT_SIZE, .field = offsetof(struct record_opts, f), .min = m, .what = w, .hint = h }

static const struct record_option record_options[] = {
	HANDLER("output", 'o', true, required_argument, opt_output),
	HANDLER("events", 'e', true, required_argument, opt_events),
	HANDLER("path", 'p', true, required_argument, opt_path),
	HANDLER("pid", 'P', false, required_argument, opt_pid),
	HANDLER("buffer-size", 'b', true, required_argument, opt_buffer),
	TIME("duration", 'd', true, duration_ns, 1, "duration", ""),
	HANDLER("compress-level", 'z', true, required_argument, opt_level),
	HANDLER("quiet", 'q', true, no_argument, opt_quiet),
	/* smaller files would be mostly repeated metadata */
	SIZE("max-size", 'S', max_size, 256 * 1024, "--max-size", " (at least 256K)"),
	HANDLER("max-files", 'F', false, required_argument, opt_max_files),
	HANDLER("on-rotate", 'J', false, required_argument, opt_on_rotate),
	TIME("split-time", 'T', false, split_ns, NSEC_PER_SEC, "--split-time", " (at least 1s)"),
	TIME("sync-interval", 'Y', false, sync_ns, 0, "--sync-interval", ""),
	HANDLER("nice", 'N', false, required_argument, opt_nice),
	HANDLER("user", 'U', false, required_argument, opt_user),
	HANDLER("cpu", 'C', false, required_argument, opt_cpu),
	SIZE("flight", 'L', flight, 1024 * 1024, "--flight", " (at least 1M)"),
	TIME("trigger-latency", 'R', false, trigger_latency, 1, "--trigger-latency", ""),
	HANDLER("trigger-errno", 'E', false, required_argument, opt_trigger_errno),
	TIME("before", 'B', false, before_ns, 0, "--before", ""),
	TIME("after", 'A', false, after_ns, 0, "--after", ""),
	HANDLER("backend", 'K', false, required_argument, opt_backend),
	HANDLER("counters", 'X', false, required_argument, opt_counters),
	HANDLER("syscall-source", 'W', false, required_argument, opt_syscall_source),
	HANDLER("help", 'h', true, no_argument, opt_help),
};

/* Applies one row to @o */
static void option_apply(const struct record_option *opt, struct record_opts *o, const char *arg)
{
	uint64_t *field = (uint64_t *)((char *)o + opt->field);
	int bad;

	switch (opt->kind) {
	case OPT_HANDLER:
		opt->parse(o, arg);
		return;
	case OPT_DURATION:
		bad = parse_duration_ns(arg, field) || *field < opt->min;
		break;
	case OPT_SIZE:
		bad = parse_size(arg, field) || *field < opt->min;
		break;
	default:
		return;
	}
	if (bad)
		usage_error(record_usage, "invalid %s '%s'%s", opt->what, arg, opt->hint);
}

/* Checks that need every option: usage errors (exit 129) */
static void check_args(struct record_opts *o)
{
	if (!o->set_owner && getenv("SUDO_UID") && getenv("SUDO_GID")) {
		unsigned long long u, g;

		/* run through sudo: the recording belongs to who asked for it */
		if (!parse_uint(getenv("SUDO_UID"), 0xfffffffeULL, &u) &&
		    !parse_uint(getenv("SUDO_GID"), 0xfffffffeULL, &g) && u) {
			o->owner_uid = u;
			o->owner_gid = g;
			o->set_owner = true;
		}
	}
	if (o->max_files && !o->max_size && !o->split_ns)
		usage_error(record_usage, "--max-files needs --max-size or --split-time");
	if (o->on_rotate && !o->max_size && !o->split_ns)
		usage_error(record_usage, "--on-rotate needs --max-size or --split-time");
	if (!o->flight && (o->trigger_latency || o->trigger_errnos))
		usage_error(record_usage, "--trigger-latency and --trigger-errno need --flight");
	if (o->flight && (o->max_size || o->split_ns))
		usage_error(record_usage, "--flight saves its own files: no --max-size or --split-time");
	if (o->nr_counters && !o->command && !o->nr_pids)
		usage_error(record_usage, "--counters needs a command or --pid (counters are per thread)");
}

static void parse_args(int argc, char **argv, struct record_opts *o)
{
	struct option longopts[ARRAY_SIZE(record_options) + 1] = { { NULL, 0, NULL, 0 } };
	char shortopts[2 * ARRAY_SIZE(record_options) + 2] = "+";
	size_t ns = 1;
	int c;

	for (size_t i = 0; i < ARRAY_SIZE(record_options); i++) {
		const struct record_option *opt = &record_options[i];

		longopts[i] = (struct option){ opt->name, opt->has_arg, NULL, opt->val };
		if (opt->is_short) {
			shortopts[ns++] = opt->val;
			if (opt->has_arg == required_argument)
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct record_option *opt = NULL;

		for (size_t i = 0; i < ARRAY_SIZE(record_options) && !opt; i++)
			if (c != '?' && record_options[i].val == c)
				opt = &record_options[i];
		if (!opt) {
			if (optopt)
				usage_error(record_usage, "unknown or incomplete option '-%c'", optopt);
			usage_error(record_usage, "unknown option '%s'", argv[optind - 1]);
		}
		option_apply(opt, o, optarg);
	}
	if (optind < argc)
		o->command = argv + optind;
	check_args(o);
}

int cmd_record(int argc, char **argv)
{
	struct recorder r;

	recorder_init(&r);
	parse_args(argc, argv, &r.o);
	recorder_plan(&r);
	recorder_prepare_output(&r);
	/* from here on the kernel changes: drain and finish on every way out */
	if (!recorder_open_transport(&r) && !recorder_arm(&r))
		recorder_run(&r);
	recorder_drain(&r);
	recorder_finish(&r);
	return recorder_release(&r);
}
