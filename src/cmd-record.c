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
#include "parse-options.h"
#include "layers.h"
#include "record/boot.h"
#include "record/counters.h"
#include "record/plan.h"
#include "record/recorder.h"
#include <ftio/syscall-table.h>
#include "lib/suggest.h"
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
	"ftio record --boot-instance [-o <sidecar>] [-e <layer>[,<layer>...]] [-p <path>] [-q]\n"
	"                   [--syscall-source <auto|syscalls|raw_syscalls>]",
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
	o->output_given = true;
}

static void opt_boot_instance(struct record_opts *o, const char *arg)
{
	o->boot_instance = true;
}

static void opt_events(struct record_opts *o, const char *arg)
{
	char *list = xstrdup(arg), *save = NULL;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct strbuf hint = STRBUF_INIT;

		if (layer_find(t))
			continue;
		layer_suggest(t, &hint);
		usage_error(record_usage, "unknown layer '%s'%s", t, hint.buf);
	}
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
		if (!e) {
			struct strbuf hint = STRBUF_INIT;
			struct suggest s;

			suggest_init(&s, t);
			for (int k = 1; k < 200; k++)
				suggest_add(&s, errno_name(k));
			if (!suggest_hint(&s, "", &hint))
				strbuf_addstr(&hint, " (e.g. EACCES)");
			usage_error(record_usage, "unknown errno name '%s'%s", t, hint.buf);
		}
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
	HANDLER("boot-instance", 'G', false, no_argument, opt_boot_instance),
};

/* What -h says of each row above, and how getopt knows them (parse-options.h) */
static const struct cmd_option record_help[] = {
	OPT_GROUP("What to record"),
	OPT_SHORT('e', "events", required_argument, "<layer>[,...]", "the layers (default: all but io_uring, nfs, vfs)"),
	OPT_SHORT('p', "path", required_argument, "<path>", "the files that matter live under <path>"),
	OPT_LONG("pid", 'P', required_argument, "<pid>", "trace this process and what it starts (repeatable)"),
	OPT_SHORT('d', "duration", required_argument, "<time>", "stop after <time> (1.5, 500ms, 2m)"),
	OPT_LONG("counters", 'X', required_argument, "<name>[,...]", "count these per call (task-clock, ...)"),
	OPT_LONG("syscall-source", 'W', required_argument, "<source>", "auto, syscalls or raw_syscalls"),
	OPT_LONG("backend", 'K', required_argument, "<backend>", "the transport: tracefs, perf or auto"),
	OPT_LONG("boot-instance", 'G', no_argument, NULL, "arm the boot instance and exit (ftio-boot-setup(1))"),
	OPT_GROUP("Output"),
	OPT_SHORT('o', "output", required_argument, "<file>", "write the recording to <file> (ftio.dat)"),
	OPT_SHORT('z', "compress-level", required_argument, "<level>", "zstd level, -7 to 19 (default 1)"),
	OPT_SHORT('q', "quiet", no_argument, NULL, "print nothing but errors"),
	OPT_LONG("user", 'U', required_argument, "<user>", "give the files to <user> at the end"),
	OPT_LONG("sync-interval", 'Y', required_argument, "<time>", "flush to disk at most every <time>"),
	OPT_GROUP("Rotation"),
	OPT_LONG("max-size", 'S', required_argument, "<size>", "a new file past <size> (at least 256K)"),
	OPT_LONG("split-time", 'T', required_argument, "<time>", "a new file every <time> (at least 1s)"),
	OPT_LONG("max-files", 'F', required_argument, "<n>", "keep only the newest <n> files"),
	OPT_LONG("on-rotate", 'J', required_argument, "<command>", "run <command> on each file once complete"),
	OPT_GROUP("Flight recorder"),
	OPT_LONG("flight", 'L', required_argument, "<size>", "keep <size> of chunks in memory, save on a trigger"),
	OPT_LONG("trigger-latency", 'R', required_argument, "<time>", "trigger on a call that took <time> or more"),
	OPT_LONG("trigger-errno", 'E', required_argument, "<name>[,...]", "trigger on a call failing with these errnos"),
	OPT_LONG("before", 'B', required_argument, "<time>", "the past a window keeps (default 5s)"),
	OPT_LONG("after", 'A', required_argument, "<time>", "the future a window keeps (default 2s)"),
	OPT_GROUP("The recorder itself"),
	OPT_SHORT('b', "buffer-size", required_argument, "<kb>", "per-CPU ring buffer in KiB (default 4096)"),
	OPT_LONG("nice", 'N', required_argument, "<n>", "run the recorder at nice <n>, -20 to 19"),
	OPT_LONG("cpu", 'C', required_argument, "<n>", "pin the recorder's threads to CPU <n>"),
	OPT_END(),
};

static const struct cmd_desc record_cmd = { "record", record_usage, record_help, true };

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

/*
 * --boot-instance arms an instance of the kernel's and exits: what follows
 * a workload, sizes a buffer or writes a recording of its own has no sense
 */
static void check_boot_args(const struct record_opts *o)
{
	const char *bad = o->command ? "a command" : o->nr_pids ? "--pid"
		: o->buffer_kb != 4096 ? "-b (the size is set by reserve_mem=, see ftio boot-setup)"
		: o->duration_ns ? "--duration" : o->max_size ? "--max-size" : o->max_files ? "--max-files"
		: o->split_ns ? "--split-time" : o->on_rotate ? "--on-rotate"
		: o->flight ? "--flight (the boot instance is a flight recorder of its own)"
		: o->trigger_latency || o->trigger_errnos ? "--trigger-latency or --trigger-errno"
		: o->backend == BACKEND_PERF ? "--backend perf" : o->nr_counters ? "--counters"
		: o->set_owner && !getenv("SUDO_UID") ? "--user" : o->set_nice ? "--nice"
		: o->cpu >= 0 ? "--cpu" : NULL;

	if (bad)
		usage_error(record_usage, "--boot-instance cannot be used with %s", bad);
}

/* Checks that need every option: usage errors (exit 129) */
static void check_args(struct record_opts *o)
{
	if (o->boot_instance) {
		check_boot_args(o);
		return;
	}
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
	int c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, &record_cmd)) != -1) {
		const struct record_option *opt = NULL;

		for (size_t i = 0; i < ARRAY_SIZE(record_options) && !opt; i++)
			if (record_options[i].val == c)
				opt = &record_options[i];
		if (opt)
			option_apply(opt, o, optarg);
	}
	if (optind < argc)
		o->command = argv + optind;
	check_args(o);
}

/*
 * --boot-instance: the layers' plan armed in the boot-mapped instance,
 * which stays armed when ftio exits (record/boot.h); -o names the sidecar
 */
static int record_boot(struct recorder *r)
{
	struct boot_state bs;
	char *why;
	int ret;

	if (geteuid() != 0)
		die("cannot arm the boot instance: tracefs instances and events need root "
		    "(run as root or with sudo)");
	if (!r->o.output_given)
		r->o.output = BOOT_SIDECAR;
	boot_state_read(&bs);
	why = boot_missing(&bs);
	if (why)
		die("cannot arm the boot instance: %s", why);
	if (bs.last == LAST_PREVIOUS && bs.entries)
		die("cannot arm the boot instance: '%s' holds %llu events of the previous boot, not "
		    "salvaged yet: run 'ftio salvage --last-boot' first, or 'ftio reset --boot-instance' "
		    "(which saves them, then disarms)", BOOT_INSTANCE, (unsigned long long)bs.entries);
	recorder_plan(r);
	ret = boot_arm(r, &bs);
	boot_state_release(&bs);
	recorder_release(r);
	return ret ? 1 : 0;
}

int cmd_record(int argc, char **argv)
{
	struct recorder r;

	recorder_init(&r);
	parse_args(argc, argv, &r.o);
	if (r.o.boot_instance)
		return record_boot(&r);
	recorder_plan(&r);
	recorder_prepare_output(&r);
	/* from here on the kernel changes: drain and finish on every way out */
	if (!recorder_open_transport(&r) && !recorder_arm(&r))
		recorder_run(&r);
	recorder_drain(&r);
	recorder_finish(&r);
	return recorder_release(&r);
}
