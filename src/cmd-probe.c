// SPDX-License-Identifier: GPL-2.0
/*
 * ftio probe: what this kernel offers ftio, and the strategy each layer
 * will use, with the reason when something is missing.  Every fact is
 * tested, not assumed from the version: files are looked for, an instance
 * and an eprobe are created and removed again, perf_event_open is tried
 * on a tracepoint and on libpfm4-encoded counters.  It never writes the
 * function tracer's files.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <perfmon/pfmlib.h>
#include <perfmon/pfmlib_perf_event.h>

#include "builtin.h"
#include "parse-options.h"
#include "record/session.h"
#include "lib/util.h"

static const char *const probe_usage[] = {
	"ftio probe [--json]",
	NULL,
};

struct fact {
	const char *key;
	char *value;
	bool ok;
	char *own_key;		/* a key made at run time (a PMU's name) */
};

struct facts {
	struct fact f[48];
	int n;
};

static void add(struct facts *fs, const char *key, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct facts *fs, const char *key, bool ok, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (fs->n >= (int)ARRAY_SIZE(fs->f))
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	fs->f[fs->n++] = (struct fact){ key, strbuf_detach(&sb, NULL), ok, NULL };
}

static bool exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool ret = access(p, F_OK) == 0;

	free(p);
	return ret;
}

static int count_events(const char *tdir, const char *system)
{
	char *p = xasprintf("%s/events/%s", tdir, system);
	char *cmd = xasprintf("ls -d %s/*/ 2>/dev/null | wc -l", p);
	FILE *f = popen(cmd, "r");
	int n = 0;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		pclose(f);
	}
	free(cmd);
	free(p);
	return n;
}

static int try_perf(struct perf_event_attr *attr)
{
	int fd = syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Encodes @name with libpfm4 and opens it on this thread */
static int try_counter(const char *name, char **why)
{
	struct perf_event_attr attr = { 0 };
	pfm_perf_encode_arg_t arg = { 0 };
	int ret;

	arg.attr = &attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(name, PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
	if (ret != PFM_SUCCESS) {
		*why = xasprintf("libpfm4: %s", pfm_strerror(ret));
		return -ENOENT;
	}
	attr.size = sizeof(attr);
	attr.disabled = 1;
	ret = try_perf(&attr);
	if (ret)
		*why = xasprintf("perf_event_open: %s", strerror(-ret));
	return ret;
}

/* What the strategies depend on, found by the steps of gather() */
struct caps {
	bool inst_ok;		/* a tracefs instance can be created */
	bool strings;		/* syscall tracepoints carry user strings */
	bool sc, raw;		/* syscalls:* and raw_syscalls:* events exist */
	bool kprobes, uprobes;
	bool perf_ok;		/* perf_event_open on a tracepoint */
	bool group_inherit;	/* PERF_SAMPLE_READ of an inherited group */
};

/* A real instance, created and removed: the only honest test of "writable" */
static bool probe_instances(struct facts *fs, const char *tdir)
{
	char *name = xasprintf("%s/instances/ftio_%d_probe", tdir, (int)getpid());
	bool ok = false;

	if (getenv("FTIO_TEST_NO_INSTANCES")) {
		add(fs, "instances", false, "refused (FTIO_TEST_NO_INSTANCES)");
	} else if (mkdir(name, 0750) == 0) {
		rmdir(name);
		add(fs, "instances", true, "can be created");
		ok = true;
	} else {
		add(fs, "instances", false, "cannot be created: %s", strerror(errno));
	}
	free(name);
	return ok;
}

static void probe_lockdown(struct facts *fs)
{
	char *text = read_file("/sys/kernel/security/lockdown", NULL);

	if (text) {
		text[strcspn(text, "\n")] = '\0';
		add(fs, "lockdown", !strstr(text, "[confidentiality]"), "%s%s", text,
		    strstr(text, "[confidentiality]") ? " (tracefs reads are refused)" : "");
	} else {
		add(fs, "lockdown", true, "unknown (securityfs not mounted or no LSM)");
	}
	free(text);
}

/* The tracepoint systems the layers use; returns whether syscalls carry strings */
static bool probe_tracepoints(struct facts *fs, const char *tdir)
{
	static const char *const systems[] = { "block", "filemap", "fuse", "ext4", "iomap",
					       "nfs", "nfs4", "sunrpc", "sched", "task", "io_uring" };
	int n = count_events(tdir, "syscalls");
	char *p = xasprintf("%s/events/syscalls/sys_enter_openat/format", tdir);
	char *fmt = read_file(p, NULL);
	/*
	 * 6.19+ records the user string itself, after the arguments: a
	 * "__data_loc char[] __<arg>_val" field (kernel/trace/trace_syscalls.c)
	 */
	bool strings = fmt && strstr(fmt, "__data_loc char[] __") && strstr(fmt, "_val;");

	free(fmt);
	free(p);
	add(fs, "syscall tracepoints", n > 0, "%d events, %s", n,
	    strings ? "with user strings" : "pointers only (no path strings before Linux 6.19)");
	add(fs, "syscall_user_buf_size", exists(tdir, "syscall_user_buf_size"), "%s",
	    exists(tdir, "syscall_user_buf_size") ? "present" : "absent");
	add(fs, "buffer_subbuf_size_kb", exists(tdir, "buffer_subbuf_size_kb"), "%s",
	    exists(tdir, "buffer_subbuf_size_kb") ? "present" : "absent (kernel < 6.8)");
	for (size_t i = 0; i < ARRAY_SIZE(systems); i++) {
		n = count_events(tdir, systems[i]);
		add(fs, systems[i], n > 0, n ? "%d events" : "absent", n);
	}
	/* Linux AIO: only its calls; the iocbs they carry are user memory */
	n = exists(tdir, "events/syscalls/sys_exit_io_submit") +
	    exists(tdir, "events/syscalls/sys_exit_io_getevents");
	add(fs, "aio", n == 2, "%s", n == 2 ? "io_submit, io_getevents (iocb counts, no per-iocb latency)"
					  : "absent (no io_submit/io_getevents tracepoints)");
	return strings;
}

/* An eprobe, created and removed again */
static void probe_eprobes(struct facts *fs, const char *tdir)
{
	char *p = xasprintf("%s/dynamic_events", tdir);
	char *line = xasprintf("e:ftio_%d_probe/openat syscalls.sys_enter_openat\n", (int)getpid());
	int r = write_file(p, line, 1);
	bool eprobes = false;

	if (!r) {
		char *del = xasprintf("-:ftio_%d_probe/openat\n", (int)getpid());

		write_file(p, del, 1);
		free(del);
		eprobes = true;
	}
	add(fs, "eprobes", eprobes, "%s", eprobes ? "can be created" :
	    r == -EINVAL || r == -ENOENT ? "refused (not built in)" : strerror(-r));
	free(line);
	free(p);
}

static void probe_dynamic_events(struct facts *fs, const char *tdir, struct caps *caps)
{
	caps->kprobes = exists(tdir, "kprobe_events");
	caps->uprobes = exists(tdir, "uprobe_events");
	add(fs, "kprobe_events", caps->kprobes, "%s", caps->kprobes ? "present" : "absent");
	add(fs, "uprobe_events", caps->uprobes, "%s", caps->uprobes ? "present" : "absent");
	add(fs, "dynamic_events", exists(tdir, "dynamic_events"), "%s",
	    exists(tdir, "dynamic_events") ? "present" : "absent");
	if (exists(tdir, "dynamic_events"))
		probe_eprobes(fs, tdir);
	else
		add(fs, "eprobes", false, "absent (no dynamic_events)");
}

static void probe_function_tracer(struct facts *fs, const char *tdir)
{
	char *path = xasprintf("%s/available_tracers", tdir);
	char *t = read_file(path, NULL);
	char *fe = read_file("/proc/sys/kernel/ftrace_enabled", NULL);

	add(fs, "function tracer", t && strstr(t, "function"),
	    "%s; ftrace_enabled=%c (ftio never writes function-tracer files)",
	    t && strstr(t, "function") ? "listed" : "not listed", fe ? fe[0] : '?');
	free(t);
	free(fe);
	free(path);
}

static void probe_perf(struct facts *fs, struct caps *caps)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(attr),
					.disabled = 1 };
	long id = session_tracepoint_id("syscalls", "sys_enter_openat");
	int r = -ENOENT;

	if (id >= 0) {
		attr.config = id;
		r = try_perf(&attr);
	}
	add(fs, "perf_event tracepoints", !r, "%s", r ? strerror(-r) : "can be opened");
	caps->perf_ok = !r;
	/* --counters: a syscall sample reading an inherited group (Linux 6.12) */
	id = session_tracepoint_id("raw_syscalls", "sys_enter");
	if (id >= 0) {
		int fd;

		attr.config = id;
		attr.sample_period = 1;
		attr.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_READ;
		attr.read_format = PERF_FORMAT_GROUP;
		attr.inherit = 1;
		fd = syscall(SYS_perf_event_open, &attr, 0, 0, -1, 0);
		caps->group_inherit = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
}

/*
 * Every event of PMU @p, when libpfm4 finds it present, opened on this
 * thread: the perf:: generic names under their short aliases
 * (PERF_COUNT_* repeats them), a board's PMU under its own names
 */
static void probe_pmu(struct facts *fs, int p)
{
	pfm_pmu_info_t pinfo = { .size = sizeof(pinfo) };
	struct strbuf ok = STRBUF_INIT;
	char *first_why = NULL, *why = NULL;
	int tried = 0, opened = 0;

	if (pfm_get_pmu_info(p, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
		return;
	for (int i = pinfo.first_event; i != -1; i = pfm_get_event_next(i)) {
		pfm_event_info_t info = { .size = sizeof(info) };
		char *full;

		if (pfm_get_event_info(i, PFM_OS_PERF_EVENT, &info) != PFM_SUCCESS ||
		    !strncmp(info.name, "PERF_COUNT_", 11))
			continue;
		full = xasprintf("%s::%s", pinfo.name, info.name);
		tried++;
		if (!try_counter(full, &why)) {
			char *low = xstrdup(info.name);

			for (char *c = low; *c; c++)
				*c = tolower((unsigned char)*c);
			strbuf_addf(&ok, "%s%s", ok.len ? " " : "", low);
			free(low);
			opened++;
		} else if (!first_why) {
			first_why = why;
			why = NULL;
		} else {
			free(why);
			why = NULL;
		}
		free(full);
	}
	if (opened)
		add(fs, "", true, "%d of %d: %s", opened, tried, ok.buf);
	else
		add(fs, "", false, "none of %d opens (%s)", tried, first_why ? first_why : "no events");
	fs->f[fs->n - 1].own_key = xasprintf("counters %s", pinfo.name);
	fs->f[fs->n - 1].key = fs->f[fs->n - 1].own_key;
	free(first_why);
	strbuf_release(&ok);
}

/* What the report would miss: the hardware counters it knows */
static void probe_hw_counters(struct facts *fs)
{
	static const char *const hw[] = { "cycles", "instructions" };
	struct strbuf bad = STRBUF_INIT;
	char *why = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(hw); i++) {
		if (!try_counter(hw[i], &why))
			continue;
		strbuf_addf(&bad, "%s%s (%s)", bad.len ? ", " : "", hw[i], why);
		free(why);
		why = NULL;
	}
	if (bad.len)
		add(fs, "counters unavailable", false, "%s", bad.buf);
	strbuf_release(&bad);
}

static void probe_counters(struct facts *fs)
{
	if (pfm_initialize() != PFM_SUCCESS) {
		add(fs, "libpfm4", false, "cannot initialize");
		return;
	}
	for (int p = 0; p < PFM_PMU_MAX; p++)
		probe_pmu(fs, p);
	probe_hw_counters(fs);
	pfm_terminate();
}

static void probe_bpf_jit(struct facts *fs)
{
	char *text = read_file("/proc/sys/net/core/bpf_jit_enable", NULL);

	add(fs, "bpf jit (information only)", true, "%s", text ? (text[0] == '0' ? "off" : "on")
						      : "unknown");
	free(text);
}

/* The strategies record will use, from what the probes found */
static void add_strategies(struct facts *fs, const struct caps *caps)
{
	add(fs, "strategy syscalls", caps->sc || caps->raw, "%s",
	    caps->sc ? "syscalls:* tracepoints (--syscall-source auto picks them)" :
	    caps->raw ? "raw_syscalls:sys_enter/sys_exit filtered by id (--syscall-source auto "
			"picks them: no syscalls:* events, CONFIG_FTRACE_SYSCALLS off)" :
	    "unavailable: neither syscalls:* nor raw_syscalls:* events");
	add(fs, "strategy paths", true, "%s%s",
	    caps->strings && caps->sc ? "the syscall tracepoints' own strings (Linux 6.19+), then " : "",
	    caps->kprobes ? "uprobes on the C library's wrappers, kprobes on getname* for the rest" :
	    caps->uprobes ? (caps->strings && caps->sc ?
			     "uprobes only for the wrappers whose syscalls carry no string (stat, lstat)" :
			     "uprobes on the C library's wrappers (misses static binaries, raw syscalls)") :
	    "fd table only: unavailable for failed opens (no kprobes, no uprobes)");
	add(fs, "strategy vfs", caps->kprobes, "%s", caps->kprobes ? "kprobes on path lookup" :
	    "unavailable: no kprobe_events");
	add(fs, "strategy uids", true, "/proc snapshot, fork, setuid family, set-uid execs");
	add(fs, "strategy transport", caps->inst_ok || caps->perf_ok, "%s",
	    caps->inst_ok ? "tracefs instance (--backend perf also works)" :
	    caps->perf_ok ? "perf_event: tracefs instances are refused (record falls back by itself)" :
	    "none: no tracefs instance and no perf_event tracepoints");
	add(fs, "strategy counters", caps->perf_ok, "%s",
	    !caps->perf_ok ? "unavailable: perf_event_open refused" :
	    caps->group_inherit ? "per-thread groups read at each syscall, following forks" :
	    "per-thread groups read at each syscall, for the threads present at the start "
	    "(no PERF_SAMPLE_READ with inherit before Linux 6.12)");
}

/* The facts in the order probe prints them */
static void gather(struct facts *fs)
{
	const char *tdir = session_tracefs_dir();
	struct caps caps = { 0 };

	if (!tdir) {
		add(fs, "tracefs", false, "not available: %s", strerror(errno));
		return;
	}
	add(fs, "tracefs", true, "mounted at %s", tdir);
	caps.inst_ok = probe_instances(fs, tdir);
	probe_lockdown(fs);
	caps.strings = probe_tracepoints(fs, tdir);
	caps.sc = exists(tdir, "events/syscalls/sys_enter_openat") ||
		  exists(tdir, "events/syscalls/sys_enter_open");
	caps.raw = exists(tdir, "events/raw_syscalls/sys_enter");
	add(fs, "raw_syscalls", caps.raw, "%s", caps.raw ? "sys_enter, sys_exit" : "absent");
	probe_dynamic_events(fs, tdir, &caps);
	probe_function_tracer(fs, tdir);
	probe_perf(fs, &caps);
	probe_counters(fs);
	probe_bpf_jit(fs);
	add_strategies(fs, &caps);
}

static const struct cmd_option probe_options[] = {
	OPT_LONG("json", 'j', no_argument, NULL, "one JSON document instead of text"),
	OPT_END(),
};

static const struct cmd_desc probe_cmd = { "probe", probe_usage, probe_options, false };

int cmd_probe(int argc, char **argv)
{
	struct facts fs = { .n = 0 };
	int json = 0, c;

	while ((c = cmd_getopt(argc, argv, &probe_cmd)) != -1)
		if (c == 'j')
			json = 1;
	if (optind < argc)
		usage_error(probe_usage, "unexpected argument '%s'", argv[optind]);
	if (geteuid() != 0)
		die("cannot probe: tracefs needs root");
	gather(&fs);
	if (json) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addch(&sb, '{');
		for (int i = 0; i < fs.n; i++) {
			strbuf_addf(&sb, "%s\"", i ? "," : "");
			strbuf_add_json(&sb, fs.f[i].key);
			strbuf_addf(&sb, "\":{\"ok\":%s,\"detail\":\"", fs.f[i].ok ? "true" : "false");
			strbuf_add_json(&sb, fs.f[i].value);
			strbuf_addstr(&sb, "\"}");
		}
		strbuf_addstr(&sb, "}\n");
		fputs(sb.buf, stdout);
		strbuf_release(&sb);
	} else {
		for (int i = 0; i < fs.n; i++)
			printf("%-28s %s %s\n", fs.f[i].key, fs.f[i].ok ? "yes" : "no ", fs.f[i].value);
	}
	for (int i = 0; i < fs.n; i++) {
		free(fs.f[i].value);
		free(fs.f[i].own_key);
	}
	return 0;
}
