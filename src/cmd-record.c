// SPDX-License-Identifier: GPL-2.0
/*
 * ftio record: set up our own tracefs instance from the layers' plan,
 * start the per-CPU readers and the chunk writer, run or follow the
 * workload, and on every way out drain the buffers and remove everything
 * we created in the kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <pwd.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/magic.h>

#include <ftio/format.h>

#include "builtin.h"
#include "record/chunk-writer.h"
#include "format/chunk.h"
#include "record/counters.h"
#include "record/cpu-reader.h"
#include "lib/elf-sym.h"
#include "record/flight.h"
#include "record/perf-source.h"
#include "record/plan.h"
#include "record/session.h"
#include "record/salvage.h"
#include "record/sideband.h"
#include "lib/syscall-table.h"
#include "lib/util.h"

static const char *const record_usage[] = {
	"ftio record [-o <file>] [-e <layer>[,<layer>...]] [-p <path>] [--pid <pid>]...\n"
	"                   [-b <kb>] [-d|--duration <time>] [-z <level>] [-q]\n"
	"                   [--max-size <size>] [--max-files <n>] [--split-time <time>]\n"
	"                   [--sync-interval <time>] [--nice <n>] [--cpu <n>] [--user <user>]\n"
	"                   [--flight <size> [--trigger-latency <time>] [--trigger-errno <name>[,...]]\n"
	"                    [--before <time>] [--after <time>]]\n"
	"                   [--backend <tracefs|perf|auto>] [--counters <name>[,<name>...]]\n"
	"                   [-- <command> [<args>...]]",
	NULL,
};

#define DEFAULT_LAYERS "syscalls,paths,block,fuse,pagecache,fs,vfs"
#define PAGES_PER_CHUNK 64	/* 256 KiB of 4 KiB sub-buffers: zstd gains little past that */
#define FLUSH_MS 1000
#define STATS_EVERY_NS (10 * NSEC_PER_SEC)
#define FLIGHT_SNAPSHOT_NS (30 * NSEC_PER_SEC)
#define PERF_STREAM 2		/* FTIO_CHUNK_PERF chunks */

enum backend { BACKEND_AUTO, BACKEND_TRACEFS, BACKEND_PERF };


struct record_opts {
	const char *output;
	char *layers;
	const char *path;
	char *path_abs;		/* owns path once made absolute */
	uint64_t path_dev;	/* kernel dev_t of -p's filesystem, 0 without -p */
	pid_t *pids;
	size_t nr_pids;
	unsigned long buffer_kb;
	uint64_t duration_ns;
	int level;
	int quiet;
	char **command;
	uint64_t max_size;
	unsigned int max_files;
	uint64_t split_ns;
	uint64_t sync_ns;
	int nice;
	bool set_nice;
	int cpu;
	uint64_t flight;	/* ring size; 0: not a flight recorder */
	uint64_t trigger_latency;
	int *trigger_errnos;
	uint64_t before_ns, after_ns;
	bool set_owner;		/* --user, or the user behind sudo */
	uid_t owner_uid;
	gid_t owner_gid;
	enum backend backend;
	struct counter_spec *counters;
	size_t nr_counters;
};

/*
 * struct rec_instance - one tracefs instance and its readers.  The first
 * is filtered by the traced pids; the second (only with a pid filter and
 * asynchronous events) is not, so that block completions and FUSE replies,
 * which run in other contexts, are not filtered away.
 */
struct rec_instance {
	struct session *s;
	struct cpu_readers *readers;
	const char *stats_prefix;	/* "stats/" or "stats/async/" */
	int nr_events;
};

/* Sums per_cpu stats; instances are fresh, so their counters start at zero */
static void read_cpu_stats(struct rec_instance *ri, uint64_t *events, uint64_t *lost,
			   struct strbuf *attr)
{
	struct session *s = ri->s;

	/* a perf_event session: see perf_stats() */
	if (!s->inst)
		return;
	for (int cpu = 0; cpu < s->ncpus; cpu++) {
		char file[64], *text, *line, *save = NULL;
		char name[48];

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		text = session_read(s, file);
		if (!text)
			continue;
		if (attr) {
			snprintf(name, sizeof(name), "%scpu%d", ri->stats_prefix, cpu);
			attr_addstr(attr, name, text);
		}
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			unsigned long long v;

			if (sscanf(line, "overrun: %llu", &v) == 1 ||
			    sscanf(line, "dropped events: %llu", &v) == 1)
				*lost += v;
			else if (sscanf(line, "read events: %llu", &v) == 1)
				*events += v;
		}
		free(text);
	}
}

/* The perf rings' counts, added to @events and @lost; into @attr when given */
static void perf_stats(struct perf_source *ps, uint64_t *events, uint64_t *lost,
		       struct strbuf *attr)
{
	struct perf_source_stats st;

	if (!ps)
		return;
	perf_source_get_stats(ps, &st);
	*events += st.samples;
	*lost += st.lost;
	if (attr)
		attr_addf(attr, "stats/perf", "samples: %llu\nlost: %llu\nbytes: %llu\nevents opened: %u\n",
			  (unsigned long long)st.samples, (unsigned long long)st.lost,
			  (unsigned long long)st.bytes, st.fds);
}

/*
 * --counters: a group per traced thread and CPU, led by the syscall
 * tracepoints; counters the kernel refuses are left out and named in
 * @unavail, with the reason.  Describes the group in @meta ("perf/counters":
 * "<value index> <key> <name>" lines).  Returns -1 after an error.
 */
static int add_counters(struct perf_source *ps, struct session *s, const struct record_opts *o,
			struct strbuf *meta, struct strbuf *strategy, struct strbuf *unavail)
{
	struct perf_event_attr *attrs = xcalloc(o->nr_counters, sizeof(*attrs));
	uint64_t ids[COUNTER_SAMPLERS];
	struct strbuf desc = STRBUF_INIT, names = STRBUF_INIT;
	int nr = 0, r;
	bool inherit = true;

	for (size_t i = 0; i < COUNTER_SAMPLERS; i++) {
		long id = session_tracepoint_id(counter_samplers[i][0], counter_samplers[i][1]);

		if (id < 0) {
			error("cannot use --counters: this kernel has no '%s/%s' tracepoint",
			      counter_samplers[i][0], counter_samplers[i][1]);
			free(attrs);
			return -1;
		}
		ids[i] = id;
		session_add_format(s, counter_samplers[i][0], counter_samplers[i][1]);
	}
	for (size_t i = 0; i < o->nr_counters; i++) {
		struct perf_event_attr a = o->counters[i].attr;
		int fd;

		/* one alone first: a PMU that is not there must not sink the group */
		a.disabled = 1;
		fd = syscall(SYS_perf_event_open, &a, o->pids[0], -1, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			strbuf_addf(unavail, "%scounter:%s(%s%s)", unavail->len ? " " : "",
				    o->counters[i].name, strerror(errno),
				    errno == ENOENT || errno == EOPNOTSUPP ? ": no such PMU event here" : "");
			continue;
		}
		close(fd);
		attrs[nr] = o->counters[i].attr;
		{
			const char *key = counter_key(a.type, a.config);

			strbuf_addf(&desc, "%d %s %s\n", COUNTER_SAMPLERS + nr,
				    key ? key : o->counters[i].name, o->counters[i].name);
		}
		strbuf_addf(&names, "%s%s", names.len ? "," : "", o->counters[i].name);
		nr++;
	}
	if (!nr) {
		strbuf_addstr(strategy, " counters=none");
		goto done;
	}
	r = perf_source_add_group(ps, ids, COUNTER_SAMPLERS, attrs, nr, o->pids, o->nr_pids,
				  inherit);
	if (r == -EINVAL) {
		/* before Linux 6.12 a sample cannot read an inherited group */
		inherit = false;
		r = perf_source_add_group(ps, ids, COUNTER_SAMPLERS, attrs, nr, o->pids,
					  o->nr_pids, inherit);
	}
	if (r) {
		error("cannot open the counter group (%s) for pid %d: %s", names.buf, (int)o->pids[0],
		      strerror(-r));
		strbuf_release(&desc);
		strbuf_release(&names);
		free(attrs);
		return -1;
	}
	strbuf_addf(strategy, " counters=%s(%s)", names.buf,
		    inherit ? "per thread, following forks" : "per thread, existing threads only");
	attr_addstr(meta, "perf/counters", desc.buf);
	attr_addstr(meta, "perf/counter_threads", inherit ? "all" : "existing");
done:
	strbuf_release(&desc);
	strbuf_release(&names);
	free(attrs);
	return 0;
}

static void add_file_attr(struct strbuf *sb, struct session *s, const char *name,
			  const char *file)
{
	char *text = session_read(s, file);

	if (text) {
		attr_addstr(sb, name, text);
		free(text);
	}
}

static void add_formats(struct strbuf *sb, struct session *s)
{
	for (size_t i = 0; i < s->nr_events; i++) {
		char *file = xasprintf("events/%s/format", s->events[i]);
		char *name = xasprintf("format/%s", s->events[i]);

		add_file_attr(sb, s, name, file);
		free(file);
		free(name);
	}
}

static void add_meta(struct strbuf *sb, struct rec_instance *inst, int nr_inst,
		     const struct record_opts *o, const char *strategy, const char *unavailable)
{
	struct session *s = inst[0].s;
	struct utsname u;
	unsigned int one = 1;

	uname(&u);
	attr_addstr(sb, "meta/ftio_version", FTIO_VERSION);
	attr_addstr(sb, "meta/cmdline", ftio_cmdline);
	attr_addstr(sb, "meta/kernel_release", u.release);
	attr_addstr(sb, "meta/kernel_version", u.version);
	attr_addstr(sb, "meta/arch", u.machine);
	attr_addstr(sb, "meta/hostname", u.nodename);
	attr_addstr(sb, "meta/endian", *(unsigned char *)&one ? "little" : "big");
	attr_addf(sb, "meta/long_size", "%d", s->long_size);
	attr_addf(sb, "meta/page_size", "%d", getpagesize());
	attr_addf(sb, "meta/subbuf_size", "%d", s->subbuf_size);
	attr_addstr(sb, "meta/clock", s->clock ? s->clock : "local");
	attr_addf(sb, "meta/cpus", "%d", s->ncpus);
	attr_addf(sb, "meta/buffer_kb", "%lu", o->buffer_kb);
	attr_addf(sb, "meta/streams", "%d", nr_inst);
	attr_addstr(sb, "meta/layers", o->layers);
	attr_addstr(sb, "meta/dyn_group", s->group);
	attr_addstr(sb, "meta/strategy", strategy);
	attr_addstr(sb, "meta/unavailable", unavailable);
	if (o->path)
		attr_addstr(sb, "meta/path_filter", o->path);
	if (o->command) {
		struct strbuf c = STRBUF_INIT;

		for (int i = 0; o->command[i]; i++)
			strbuf_addf(&c, "%s%s", i ? " " : "", o->command[i]);
		attr_addstr(sb, "meta/command", c.buf);
		strbuf_release(&c);
	}
	add_file_attr(sb, s, "header_page", "events/header_page");
	add_file_attr(sb, s, "header_event", "events/header_event");
	for (int i = 0; i < nr_inst; i++)
		add_formats(sb, inst[i].s);
}

static volatile sig_atomic_t child_exec_failed;

/*
 * Forks the workload, held on a pipe until tracing is on; returns its pid
 * and the pipe's write end in *@go.
 */
/* the recorder's own scheduling before --nice and --cpu, for the workload */
static cpu_set_t orig_cpus;
static int orig_nice;

static pid_t spawn_held(char **argv, int *go, int *errpipe)
{
	int p[2], e[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		sigset_t none;
		char c;
		int err;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* the workload runs as it would without us: not pinned, not re-niced */
		sched_setaffinity(0, sizeof(orig_cpus), &orig_cpus);
		setpriority(PRIO_PROCESS, 0, orig_nice);
		close(p[1]);
		close(e[0]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		err = errno;
		(void)!write(e[1], &err, sizeof(err));
		_exit(127);
	}
	close(p[0]);
	close(e[1]);
	*go = p[1];
	*errpipe = e[0];
	return pid;
}

static void print_status(uint64_t elapsed, uint64_t events, uint64_t rate, uint64_t bytes,
			 uint64_t raw, uint64_t lost)
{
	char b[32];

	fprintf(stderr, "\r  %5.1fs  %8llu events  %7llu ev/s  %9s  x%-5.1f  lost %llu   ",
		elapsed / 1e9, (unsigned long long)events, (unsigned long long)rate,
		fmt_bytes(b, sizeof(b), bytes), bytes ? (double)raw / bytes : 0.0,
		(unsigned long long)lost);
}

/* Builds uprobes for the plan; returns a description of what was placed */
static void place_uprobes(struct session *s, const struct record_plan *plan,
			  struct strbuf *strategy, struct strbuf *unavail, int quiet)
{
	const char **names;
	uint64_t *offs;
	char *libc;
	int placed = 0, n;

	if (!plan->nr_uprobes)
		return;
	if (access("/sys/kernel/tracing/uprobe_events", F_OK) && errno == ENOENT) {
		char *p = xasprintf("%s/uprobe_events", session_tracefs_dir());
		int missing = access(p, F_OK) < 0;

		free(p);
		if (missing) {
			strbuf_addstr(strategy, " paths=unavailable(no uprobe_events)");
			return;
		}
	}
	libc = elf_find_libc();
	if (!libc) {
		strbuf_addstr(strategy, " paths=unavailable(C library not found)");
		return;
	}
	names = xcalloc(plan->nr_uprobes, sizeof(*names));
	offs = xcalloc(plan->nr_uprobes, sizeof(*offs));
	for (size_t i = 0; i < plan->nr_uprobes; i++)
		names[i] = plan->uprobes[i].func;
	n = elf_sym_offsets(libc, names, plan->nr_uprobes, offs);
	for (size_t i = 0; n > 0 && i < plan->nr_uprobes; i++) {
		const char *reg = arch_arg_register(plan->uprobes[i].arg);
		char *target, *fetch, *why = NULL;
		bool dup = false;
		int ret;

		if (!offs[i] || !reg) {
			strbuf_addf(unavail, "%suprobe:%s", unavail->len ? " " : "", names[i]);
			continue;
		}
		/* aliases (open/open64) share an address: one probe serves both */
		for (size_t j = 0; j < i; j++)
			dup |= offs[j] == offs[i];
		if (dup)
			continue;
		target = xasprintf("%s:0x%llx", libc, (unsigned long long)offs[i]);
		fetch = xasprintf("ptr=%s path=+0(%s):ustring", reg, reg);
		ret = session_add_uprobe(s, names[i], target, fetch, &why);
		if (!ret) {
			char *sys_ev = xstrdup(names[i]);

			ret = session_enable_event(s, s->group, sys_ev, NULL, NULL);
			free(sys_ev);
		}
		if (ret) {
			if (!quiet)
				warning("cannot place uprobe '%s': %s%s%s", names[i], strerror(-ret),
					why ? ": " : "", why ? why : "");
			strbuf_addf(unavail, "%suprobe:%s", unavail->len ? " " : "", names[i]);
		} else {
			placed++;
		}
		free(why);
		free(target);
		free(fetch);
	}
	if (n < 0)
		strbuf_addf(strategy, " paths=unavailable(%s: %s)", libc, strerror(-n));
	else
		strbuf_addf(strategy, " paths=uprobes(%d on %s)", placed, libc);
	free(names);
	free(offs);
	free(libc);
}

/*
 * The text symbol of /proc/kallsyms named @sym, or failing that a compiler
 * clone of it ("link_path_walk.part.0.constprop.0" on Debian's 6.1) --
 * malloc'd, or NULL.  Names only: addresses may be hidden.
 */
static char *kallsyms_find(const char *text, const char *sym)
{
	size_t n = strlen(sym);
	char *clone = NULL;

	for (const char *p = text; (p = strstr(p, sym)); p += n) {
		/* "ffffffff81234567 t sym\n" or "... T sym [module]" */
		if (p < text + 3 || p[-1] != ' ' || (p[-2] != 't' && p[-2] != 'T') || p[-3] != ' ')
			continue;
		if (p[n] == '\n' || p[n] == ' ' || p[n] == '\t' || p[n] == '\0') {
			free(clone);
			return xstrdup(sym);
		}
		if (p[n] == '.' && !clone)
			clone = xstrndup(p, strcspn(p, " \t\n"));
	}
	return clone;
}

/* Substitutes ARG0..ARG5 in @fetch with this architecture's registers */
static char *fetch_args(const char *fetch)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = fetch; *p;) {
		if (!strncmp(p, "ARG", 3) && p[3] >= '0' && p[3] <= '5') {
			const char *reg = arch_arg_register(p[3] - '0');

			if (!reg) {
				strbuf_release(&sb);
				return NULL;
			}
			strbuf_addstr(&sb, reg);
			p += 4;
		} else {
			strbuf_addch(&sb, *p++);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/* Places the plan's kprobes on the functions this kernel has; never fatal */
static void place_kprobes(struct session *s, const struct record_plan *plan,
			  struct strbuf *strategy, struct strbuf *unavail, int quiet)
{
	char *kallsyms, *path;
	int placed = 0, refused = 0;

	if (!plan->nr_kprobes)
		return;
	path = xasprintf("%s/kprobe_events", session_tracefs_dir());
	if (access(path, F_OK) < 0) {
		free(path);
		strbuf_addstr(strategy, " vfs=unavailable(no kprobe_events)");
		return;
	}
	free(path);
	kallsyms = read_file("/proc/kallsyms", NULL);
	for (size_t i = 0; i < plan->nr_kprobes; i++) {
		const struct plan_kprobe *k = &plan->kprobes[i];
		char *sym = NULL;
		char *fetch, *why = NULL;
		int ret;

		for (size_t j = 0; k->symbols[j] && !sym; j++)
			sym = kallsyms ? kallsyms_find(kallsyms, k->symbols[j]) : xstrdup(k->symbols[j]);
		fetch = fetch_args(k->fetch);
		if (!sym || !fetch) {
			strbuf_addf(unavail, "%skprobe:%s", unavail->len ? " " : "", k->event);
			free(fetch);
			free(sym);
			continue;
		}
		ret = session_add_kprobe(s, k->event, sym, fetch, k->ret, &why);
		if (!ret)
			ret = session_enable_event(s, s->group, k->event, NULL, NULL);
		if (ret) {
			/* a blacklisted or inlined symbol loses only this probe */
			if (!quiet)
				warning("cannot place kprobe '%s' on '%s': %s%s%s", k->event, sym,
					strerror(-ret), why ? ": " : "", why ? why : "");
			strbuf_addf(unavail, "%skprobe:%s", unavail->len ? " " : "", k->event);
			refused++;
		} else {
			placed++;
		}
		free(why);
		free(fetch);
		free(sym);
	}
	free(kallsyms);
	strbuf_addf(strategy, " vfs=kprobes(%d placed, %d refused)", placed, refused);
}

struct stale_ctx {
	const char *output;
	int quiet;
};

/* Saves a dead ftio's unread events next to our output before its instance goes */
static void stale_save(const char *name, void *arg)
{
	const struct stale_ctx *ctx = arg;
	const char *slash = strrchr(ctx->output, '/');
	char *path = xasprintf("%.*sftio-salvage-%s.dat", slash ? (int)(slash - ctx->output + 1) : 0,
			       ctx->output, name + 5);
	long n = salvage_instance(name, path);

	if (n > 0 && !ctx->quiet)
		fprintf(stderr, "ftio: saved %ld sub-buffers left in stale '%s' to '%s'\n", n, name,
			path);
	free(path);
}

static void stale_removed(const char *what, const char *name, int err)
{
	if (err)
		warning("cannot remove stale %s '%s' left by a crashed ftio: %s", what, name,
			strerror(-err));
	else
		fprintf(stderr, "ftio: removed stale %s '%s' left by a crashed ftio\n", what, name);
}

/*
 * Hands the recording (every file of a rotated or flight set) to the
 * --user, so that reports need no root.  Still 0600: it holds paths and uids.
 */
/* One cgroup directory's memory limit; 0 when none */
static uint64_t memcg_limit_at(const char *file)
{
	char *text = read_file(file, NULL);
	unsigned long long v = 0;

	if (text && strncmp(text, "max", 3) && sscanf(text, "%llu", &v) != 1)
		v = 0;
	free(text);
	/* cgroup v1 says "no limit" with a page-rounded LONG_MAX */
	return v >= (1ULL << 60) ? 0 : v;
}

/*
 * The tightest memory limit of ftio's cgroup and its ancestors (v2
 * memory.max, v1 memory.limit_in_bytes); 0 when none.  *@where gets the
 * cgroup that sets it (malloc'd).
 */
static uint64_t memcg_limit(char **where)
{
	char *text = read_file("/proc/self/cgroup", NULL), *save = NULL;
	uint64_t best = 0;

	*where = NULL;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* "0::/path" (v2) or "4:memory:/path" (v1) */
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		bool v2;
		char *path;

		if (!c2)
			continue;
		*c2 = '\0';
		v2 = !strcmp(c1 + 1, "");
		if (!v2 && !strstr(c1 + 1, "memory"))
			continue;
		path = xstrdup(c2 + 1);
		for (;;) {
			const char *p = strcmp(path, "/") ? path : "";
			char *file = v2 ? xasprintf("/sys/fs/cgroup%s/memory.max", p)
					: xasprintf("/sys/fs/cgroup/memory%s/memory.limit_in_bytes", p);
			uint64_t v = memcg_limit_at(file);
			char *slash = strrchr(path, '/');

			free(file);
			if (v && (!best || v < best)) {
				best = v;
				free(*where);
				*where = xstrdup(path);
			}
			if (!slash || slash == path)
				break;
			*slash = '\0';
		}
		free(path);
	}
	free(text);
	return best;
}

static void give_recordings(const struct record_opts *o)
{
	char *pattern = xasprintf("%s.[0-9][0-9][0-9][0-9][0-9][0-9]", o->output);
	glob_t g;

	if (lchown(o->output, o->owner_uid, o->owner_gid) < 0 && errno != ENOENT)
		warning("cannot give '%s' to uid %u: %s", o->output, (unsigned)o->owner_uid,
			strerror(errno));
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			if (lchown(g.gl_pathv[i], o->owner_uid, o->owner_gid) < 0)
				warning("cannot give '%s' to uid %u: %s", g.gl_pathv[i],
					(unsigned)o->owner_uid, strerror(errno));
		globfree(&g);
	}
	free(pattern);
}

static void rotation_snapshot(struct strbuf *out, void *arg)
{
	sideband_snapshot(out);
	(void)arg;
}

static int parse_args(int argc, char **argv, struct record_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "events", required_argument, NULL, 'e' },
		{ "path", required_argument, NULL, 'p' },
		{ "pid", required_argument, NULL, 'P' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "compress-level", required_argument, NULL, 'z' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-size", required_argument, NULL, 'S' },
		{ "max-files", required_argument, NULL, 'F' },
		{ "split-time", required_argument, NULL, 'T' },
		{ "sync-interval", required_argument, NULL, 'Y' },
		{ "nice", required_argument, NULL, 'N' },
		{ "user", required_argument, NULL, 'U' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "flight", required_argument, NULL, 'L' },
		{ "trigger-latency", required_argument, NULL, 'R' },
		{ "trigger-errno", required_argument, NULL, 'E' },
		{ "before", required_argument, NULL, 'B' },
		{ "after", required_argument, NULL, 'A' },
		{ "backend", required_argument, NULL, 'K' },
		{ "counters", required_argument, NULL, 'X' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:e:p:b:d:z:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'e': {
			char *list = xstrdup(optarg), *save = NULL;

			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
				if (!layer_find(t))
					usage_error(record_usage, "unknown layer '%s'", t);
			free(list);
			free(o->layers);
			o->layers = xstrdup(optarg);
			break;
		}
		case 'p':
			o->path = optarg;
			break;
		case 'P':
			if (parse_uint(optarg, 1 << 22, &v) || !v)
				usage_error(record_usage, "invalid pid '%s'", optarg);
			o->pids = xrealloc(o->pids, (o->nr_pids + 1) * sizeof(*o->pids));
			o->pids[o->nr_pids++] = v;
			break;
		case 'b':
			if (parse_uint(optarg, 1 << 22, &v) || v < 4)
				usage_error(record_usage, "invalid buffer size '%s' (KiB, 4 to 4194304)", optarg);
			o->buffer_kb = v;
			break;
		case 'd':
			if (parse_duration_ns(optarg, &o->duration_ns) || !o->duration_ns)
				usage_error(record_usage, "invalid duration '%s'", optarg);
			break;
		case 'z': {
			char *end;
			long l = strtol(optarg, &end, 10);

			if (*end || !*optarg || l < -7 || l > 19)
				usage_error(record_usage, "invalid compression level '%s' (-7 to 19)", optarg);
			o->level = l;
			break;
		}
		case 'q':
			o->quiet = 1;
			break;
		case 'S':
			/* smaller files would be mostly repeated metadata */
			if (parse_size(optarg, &o->max_size) || o->max_size < 256 * 1024)
				usage_error(record_usage, "invalid --max-size '%s' (at least 256K)", optarg);
			break;
		case 'F':
			if (parse_uint(optarg, 1000000, &v) || v < 2)
				usage_error(record_usage, "invalid --max-files '%s' (2 to 1000000)", optarg);
			o->max_files = v;
			break;
		case 'T':
			if (parse_duration_ns(optarg, &o->split_ns) || o->split_ns < NSEC_PER_SEC)
				usage_error(record_usage, "invalid --split-time '%s' (at least 1s)", optarg);
			break;
		case 'Y':
			if (parse_duration_ns(optarg, &o->sync_ns))
				usage_error(record_usage, "invalid --sync-interval '%s'", optarg);
			break;
		case 'U': {
			struct passwd *pw = getpwnam(optarg);

			if (!pw && !parse_uint(optarg, 0xfffffffeULL, &v))
				pw = getpwuid(v);
			if (!pw)
				usage_error(record_usage, "unknown user '%s'", optarg);
			o->owner_uid = pw->pw_uid;
			o->owner_gid = pw->pw_gid;
			o->set_owner = true;
			break;
		}
		case 'N': {
			char *end;
			long l = strtol(optarg, &end, 10);

			if (*end || !*optarg || l < -20 || l > 19)
				usage_error(record_usage, "invalid --nice '%s' (-20 to 19)", optarg);
			o->nice = l;
			o->set_nice = true;
			break;
		}
		case 'L':
			if (parse_size(optarg, &o->flight) || o->flight < 1024 * 1024)
				usage_error(record_usage, "invalid --flight '%s' (at least 1M)", optarg);
			break;
		case 'R':
			if (parse_duration_ns(optarg, &o->trigger_latency) || !o->trigger_latency)
				usage_error(record_usage, "invalid --trigger-latency '%s'", optarg);
			break;
		case 'E': {
			char *list = xstrdup(optarg), *save = NULL;
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
			break;
		}
		case 'B':
		case 'A':
			if (parse_duration_ns(optarg, c == 'B' ? &o->before_ns : &o->after_ns))
				usage_error(record_usage, "invalid --%s '%s'", c == 'B' ? "before" : "after",
					    optarg);
			break;
		case 'K':
			if (!strcmp(optarg, "tracefs"))
				o->backend = BACKEND_TRACEFS;
			else if (!strcmp(optarg, "perf"))
				o->backend = BACKEND_PERF;
			else if (!strcmp(optarg, "auto"))
				o->backend = BACKEND_AUTO;
			else
				usage_error(record_usage, "invalid --backend '%s' (tracefs, perf or auto)", optarg);
			break;
		case 'X': {
			char *err = NULL;

			counters_free(o->counters, o->nr_counters);
			if (counters_parse(optarg, &o->counters, &o->nr_counters, &err))
				usage_error(record_usage, "%s", err);
			break;
		}
		case 'C':
			if (parse_uint(optarg, CPU_SETSIZE - 1, &v))
				usage_error(record_usage, "invalid --cpu '%s'", optarg);
			o->cpu = v;
			break;
		case 'h':
			usage_show(record_usage, 0);
			exit(0);
		default:
			if (optopt)
				usage_error(record_usage, "unknown or incomplete option '-%c'", optopt);
			usage_error(record_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->command = argv + optind;
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
	if (!o->flight && (o->trigger_latency || o->trigger_errnos))
		usage_error(record_usage, "--trigger-latency and --trigger-errno need --flight");
	if (o->flight && (o->max_size || o->split_ns))
		usage_error(record_usage, "--flight saves its own files: no --max-size or --split-time");
	if (o->nr_counters && !o->command && !o->nr_pids)
		usage_error(record_usage, "--counters needs a command or --pid (counters are per thread)");
	return 0;
}

/*
 * Creates and configures one instance, or with @ps a perf_event session;
 * returns NULL after printing why
 */
static struct session *instance_new(const char *suffix, const struct record_opts *o,
				    struct perf_source *ps, bool *forbidden)
{
	struct session *s;

	if (ps) {
		s = session_new_perf(suffix, ps, suffix != NULL);
		if (!s)
			error("cannot read the event formats in '%s/events': %s (the perf backend "
			      "still needs tracefs readable)", session_tracefs_dir(), strerror(errno));
		return s;
	}
	s = session_new(suffix);
	if (!s && forbidden && (errno == EPERM || errno == EACCES || errno == EROFS)) {
		/* the caller falls back to perf_event */
		*forbidden = true;
		return NULL;
	}
	if (!s) {
		error("cannot create tracefs instance 'ftio_%d%s': %s", (int)getpid(),
		      suffix ? suffix : "", strerror(errno));
		return NULL;
	}
	if (session_set_clock(s, "mono") || session_set_buffer_kb(s, o->buffer_kb)) {
		error("cannot configure tracefs instance '%s': %s", s->name, strerror(errno));
		session_destroy(s);
		return NULL;
	}
	/* wake readers at a tenth full; they poll with a timeout anyway */
	session_write(s, "buffer_percent", "10");
	return s;
}

/*
 * With -p, events that name a device (block requests, page-cache pages,
 * FUSE connections, filesystem work) are filtered in the kernel to the
 * device holding the path, so other disks cost nothing.  Returns a
 * filter for @system/@event (malloc'd) or NULL.
 */
static char *device_filter(struct session *s, const char *system, const char *event,
			   const struct record_opts *o)
{
	static const char *const fields[] = { "dev", "s_dev", "connection" };
	char *file, *fmt;
	char *ret = NULL;

	if (!o->path_dev)
		return NULL;
	file = xasprintf("events/%s/%s/format", system, event);
	fmt = session_read(s, file);
	free(file);
	for (size_t i = 0; fmt && !ret && i < ARRAY_SIZE(fields); i++) {
		char *decl = xasprintf("dev_t %s;", fields[i]);

		if (strstr(fmt, decl))
			ret = xasprintf("%s == %llu", fields[i], (unsigned long long)o->path_dev);
		free(decl);
	}
	free(fmt);
	return ret;
}

/* Enables the plan's events whose async flag is @async; returns -1 after an error */
static int enable_events(struct rec_instance *ri, const struct record_plan *plan, int async,
			 const struct record_opts *o, struct strbuf *unavail)
{
	for (size_t i = 0; i < plan->nr_events; i++) {
		const struct plan_event *e = &plan->events[i];
		char *why = NULL, *filter;
		int r;

		if (async >= 0 && e->async != async)
			continue;
		filter = device_filter(ri->s, e->system, e->event, o);
		r = session_enable_event(ri->s, e->system, e->event, filter, &why);
		free(filter);
		if (r == -ENOENT) {
			if (unavail)
				strbuf_addf(unavail, "%s%s/%s", unavail->len ? " " : "", e->system,
					    e->event);
		} else if (r) {
			error("cannot enable event '%s/%s' in '%s': %s%s%s", e->system, e->event,
			      ri->s->name, strerror(-r), why ? ": " : "", why ? why : "");
			free(why);
			return -1;
		} else {
			ri->nr_events++;
		}
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	struct record_opts o = {
		.output = "ftio.dat", .buffer_kb = 4096, .level = 1, .cpu = -1,
		.sync_ns = NSEC_PER_SEC, .before_ns = 5 * NSEC_PER_SEC, .after_ns = 2 * NSEC_PER_SEC,
	};
	char *first_file = NULL;
	struct record_plan plan;
	struct rec_instance inst[2] = {
		{ .stats_prefix = "stats/" }, { .stats_prefix = "stats/async/" },
	};
	int nr_inst = 0;
	struct chunk_writer *w = NULL;
	struct strbuf meta = STRBUF_INIT, strategy = STRBUF_INIT, unavail = STRBUF_INIT;
	const char *tdir;
	char *old = NULL;
	sigset_t sigs;
	pid_t child = 0;
	int go = -1, errpipe = -1, fd, ret = 0, exit_code = 0, started = 0, r_ps;
	const char *stop_reason = "signal";
	uint64_t start = 0, last_stats, last_status, last_snapshot, prev_events = 0;
	bool want_async = false;
	struct perf_source *ps = NULL;
	struct strbuf perf_meta = STRBUF_INIT;
	bool use_perf;

	o.layers = xstrdup(DEFAULT_LAYERS);
	parse_args(argc, argv, &o);
	use_perf = o.backend == BACKEND_PERF;

	if (geteuid() != 0)
		die("cannot record: tracefs instances and events need root (run as root or with sudo)");
	if (o.path) {
		struct stat st;
		struct statfs sfs;
		char *abs;

		if (stat(o.path, &st) < 0 || !(abs = realpath(o.path, NULL)))
			die("cannot use -p '%s': %s", o.path, strerror(errno));
		/* stored absolute: the report may run elsewhere */
		o.path = o.path_abs = abs;
		/* the kernel's dev_t: MKDEV() is major << 20 | minor */
		o.path_dev = (uint64_t)major(st.st_dev) << 20 | minor(st.st_dev);
		/* a path on NFS brings the nfs layer, unless -e chose the layers */
		if (!strcmp(o.layers, DEFAULT_LAYERS) && !statfs(o.path, &sfs) &&
		    sfs.f_type == NFS_SUPER_MAGIC) {
			free(o.layers);
			o.layers = xstrdup(DEFAULT_LAYERS ",nfs");
		}
	}
	tdir = session_tracefs_dir();
	if (!tdir)
		die("cannot find tracefs '/sys/kernel/tracing': %s", strerror(errno));

	/* what a killed ftio left behind (only ftio_<pid> of dead pids) goes first */
	{
		struct stale_ctx ctx = { o.output, o.quiet };

		session_reset_stale_save(false, o.quiet ? NULL : stale_removed, stale_save, &ctx);
	}
	record_plan_init(&plan, tdir);
	{
		char *list = xstrdup(o.layers), *save = NULL;

		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			layer_find(t)->plan(&plan);
		free(list);
	}
	for (size_t i = 0; i < plan.nr_events; i++)
		want_async |= plan.events[i].async;

	/* before any file is touched: a refusal here must leave the files as they were */
	orig_nice = getpriority(PRIO_PROCESS, 0);
	sched_getaffinity(0, sizeof(orig_cpus), &orig_cpus);
	if (o.set_nice && setpriority(PRIO_PROCESS, 0, o.nice) < 0)
		die("cannot set --nice %d: %s", o.nice, strerror(errno));
	if (o.cpu >= 0) {
		cpu_set_t set;

		/* the recorder's threads inherit it; spawn_held() gives the command its own back */
		CPU_ZERO(&set);
		CPU_SET(o.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			die("cannot pin to --cpu %d: %s", o.cpu, strerror(errno));
	}
	/* with rotation the files are OUTPUT.000001, OUTPUT.000002, ... */
	first_file = o.max_size || o.split_ns ? outfile_name(o.output, 1) : xstrdup(o.output);
	if (o.flight) {
		char *cg;
		uint64_t limit = memcg_limit(&cg);

		/*
		 * The ring lives in ftio's memory: one the cgroup cannot hold
		 * would get ftio OOM-killed mid-capture, its instance left behind.
		 * 16 MiB for the rest of ftio (its RSS is 7-9 MiB).
		 */
		if (limit && o.flight + (16 << 20) > limit) {
			char b1[32], b2[32];

			die("cannot keep a %s flight ring in cgroup '%s': its memory limit is %s "
			    "(with 16M for the rest of ftio)", fmt_bytes(b1, sizeof(b1), o.flight), cg,
			    fmt_bytes(b2, sizeof(b2), limit));
		}
		free(cg);
	}
	if (o.flight) {
		/* nothing is written until a trigger: check now that saving will work */
		char *dir = xstrdup(o.output), *slash = strrchr(dir, '/');

		if (slash)
			*slash = '\0';
		if (access(slash ? (*dir ? dir : "/") : ".", W_OK) < 0)
			die("cannot create '%s': %s", o.output, strerror(errno));
		free(dir);
		free(first_file);
		first_file = xstrdup("/dev/null");
	}
	fd = o.flight ? open("/dev/null", O_WRONLY | O_CLOEXEC) : recording_create(first_file, &old);
	if (fd < 0)
		die("cannot create '%s': %s", first_file,
		    fd == -ELOOP ? "it is a symbolic link (refusing to follow it)" : strerror(-fd));

	/* from here on the kernel changes: no die(), unwind through 'out' */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGQUIT);
	sigaddset(&sigs, SIGUSR1);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	/* keep 256 KiB batches on the heap free list instead of mmap/munmap each */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);

	w = chunk_writer_new(fd, o.level, 16);
	if (w)
		chunk_writer_set_sync(w, o.sync_ns);
	if (!w) {
		error("cannot write '%s': %s", o.output, strerror(errno));
		ret = -1;
		goto out;
	}
	if (!use_perf) {
		bool forbidden = false;

		inst[0].s = instance_new(NULL, &o, NULL, o.backend == BACKEND_AUTO ? &forbidden : NULL);
		if (forbidden) {
			if (!o.quiet)
				fprintf(stderr, "ftio: tracefs instances are refused here (%s): "
					"recording through perf_event\n", strerror(errno));
			use_perf = true;
		}
	}
	if (use_perf || o.nr_counters) {
		ps = perf_source_new(sysconf(_SC_NPROCESSORS_CONF), o.buffer_kb);
		if (!ps) {
			error("cannot set up perf_event rings: %s", strerror(errno));
			ret = -1;
			goto out;
		}
	}
	if (use_perf)
		inst[0].s = instance_new(NULL, &o, ps, NULL);
	if (!inst[0].s) {
		ret = -1;
		goto out;
	}
	nr_inst = 1;
	if (o.command) {
		child = spawn_held(o.command, &go, &errpipe);
		if (child < 0) {
			error("cannot start '%s': %s", o.command[0], strerror(errno));
			child = 0;
			ret = -1;
			goto out;
		}
		o.pids = xrealloc(o.pids, (o.nr_pids + 1) * sizeof(*o.pids));
		o.pids[o.nr_pids++] = child;
	}
	/*
	 * set_event_pid (and perf) match thread ids: a running process is followed
	 * through every thread it has now, and event-fork (inherit) adds new ones.
	 */
	for (size_t i = 0, n = o.nr_pids; i < n; i++) {
		char *dir = xasprintf("/proc/%d/task", (int)o.pids[i]);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			pid_t tid = atoi(de->d_name);

			if (tid <= 0 || tid == o.pids[i])
				continue;
			o.pids = xrealloc(o.pids, (o.nr_pids + 1) * sizeof(*o.pids));
			o.pids[o.nr_pids++] = tid;
		}
		if (d)
			closedir(d);
		free(dir);
	}
	/* perf events are opened for the threads they follow */
	if (use_perf && o.nr_pids)
		session_set_pids(inst[0].s, o.pids, o.nr_pids, true);
	/* with a pid filter, asynchronous events need an unfiltered instance */
	if (o.nr_pids && want_async) {
		inst[1].s = instance_new("_async", &o, use_perf ? ps : NULL, NULL);
		if (!inst[1].s) {
			ret = -1;
			goto out;
		}
		nr_inst = 2;
		if (enable_events(&inst[0], &plan, 0, &o, &unavail) ||
		    enable_events(&inst[1], &plan, 1, &o, &unavail)) {
			ret = -1;
			goto out;
		}
	} else if (enable_events(&inst[0], &plan, -1, &o, &unavail)) {
		ret = -1;
		goto out;
	}
	strbuf_addf(&strategy, "transport=%s clock=%s events=%d", use_perf ? "perf" : "tracefs",
		    inst[0].s->clock, inst[0].nr_events + inst[1].nr_events);
	place_uprobes(inst[0].s, &plan, &strategy, &unavail, o.quiet);
	place_kprobes(inst[0].s, &plan, &strategy, &unavail, o.quiet);
	/* dynamic events count too: -e paths alone is only uprobes */
	if (!inst[0].s->nr_events && !(inst[1].s && inst[1].s->nr_events)) {
		error("cannot record: none of the %zu events the layers need exist in this kernel",
		      plan.nr_events);
		ret = -1;
		goto out;
	}
	if (o.nr_counters && add_counters(ps, inst[0].s, &o, &perf_meta, &strategy, &unavail)) {
		ret = -1;
		goto out;
	}
	if (o.nr_pids && session_set_pids(inst[0].s, o.pids, o.nr_pids, true)) {
		error("cannot set the pid filter of '%s': %s", inst[0].s->name, strerror(errno));
		ret = -1;
		goto out;
	}
	strbuf_addf(&strategy, " pids=%s", o.nr_pids ? "filtered(following forks)" : "all");
	if (o.path_dev)
		strbuf_addf(&strategy, " devices=%llu:%llu(-p)", (unsigned long long)(o.path_dev >> 20),
			    (unsigned long long)(o.path_dev & 0xfffff));
	if (nr_inst == 2)
		strbuf_addf(&strategy, " async=unfiltered(%d events)", inst[1].nr_events);
	for (int i = 0; i < nr_inst; i++) {
		if (session_notrace_pid(inst[i].s, getpid()) ||
		    session_notrace_pid(inst[i].s, chunk_writer_tid(w))) {
			error("cannot exclude ftio from its own trace in '%s': %s", inst[i].s->name,
			      strerror(errno));
			ret = -1;
			goto out;
		}
	}
	if (o.flight)
		strbuf_addf(&strategy, " flight=%s.NNNNNN", o.output);
	if (!o.quiet)
		fprintf(stderr, "ftio: recording to '%s': %s\n", o.output, strategy.buf);

	add_meta(&meta, inst, nr_inst, &o, strategy.buf, unavail.buf ? unavail.buf : "");
	attr_addstr(&meta, "meta/backend", use_perf ? "perf" : "tracefs");
	if (ps) {
		struct strbuf ids = STRBUF_INIT;

		perf_source_describe(ps, &ids);
		attr_addstr(&meta, "perf/ids", ids.buf ? ids.buf : "");
		strbuf_release(&ids);
		if (perf_meta.len)
			strbuf_add(&meta, perf_meta.buf, perf_meta.len);
		r_ps = perf_source_start(ps, w, PERF_STREAM, FLUSH_MS);
		if (r_ps) {
			error("cannot read the perf_event rings: %s", strerror(-r_ps));
			ret = -1;
			goto out;
		}
	}
	for (int i = 0; i < nr_inst && !use_perf; i++) {
		inst[i].readers = cpu_readers_start(inst[i].s, w, i, PAGES_PER_CHUNK, FLUSH_MS);
		if (!inst[i].readers) {
			error("cannot read the ring buffers of '%s': %s", inst[i].s->name,
			      strerror(errno));
			ret = -1;
			goto out;
		}
	}
	start = now_mono_ns();
	attr_addf(&meta, "meta/start_mono_ns", "%llu", (unsigned long long)start);
	attr_addf(&meta, "meta/start_real_ns", "%llu", (unsigned long long)now_real_ns());
	if (o.flight) {
		struct flight_opts fo = {
			.base = o.output, .ring_bytes = o.flight, .trigger_latency = o.trigger_latency,
			.trigger_errnos = o.trigger_errnos, .before_ns = o.before_ns,
			.after_ns = o.after_ns, .snapshot = rotation_snapshot,
		};
		struct flight *f = flight_new(&fo, meta.buf, meta.len);

		if (!f) {
			error("cannot set up the flight recorder: %s", strerror(errno));
			ret = -1;
			goto out;
		}
		chunk_writer_set_sink(w, flight_sink(f));
	}
	if (o.max_size || o.split_ns) {
		struct chunk_writer_rotation rot = {
			.base = o.output, .max_size = o.max_size, .max_files = o.max_files,
			.split_ns = o.split_ns, .snapshot = rotation_snapshot,
		};

		chunk_writer_set_rotation(w, &rot, meta.buf, meta.len);
	}
	chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, 0, 0, meta.buf, meta.len);
	meta.buf = NULL;
	strbuf_release(&meta);

	/* the counters first: their samples bracket the syscalls */
	if (ps && !use_perf && (r_ps = perf_source_enable(ps, true))) {
		error("cannot enable the perf_event counters: %s", strerror(-r_ps));
		ret = -1;
		goto out;
	}
	/* the unfiltered instance first, so the filtered one's events find their partners */
	for (int i = nr_inst; i-- > 0;) {
		if (session_tracing_on(inst[i].s, true)) {
			error("cannot turn tracing on in '%s': %s", inst[i].s->name, strerror(errno));
			ret = -1;
			goto out;
		}
	}
	started = 1;
	/* snapshot after tracing is on, so nothing falls between the two */
	{
		struct strbuf sb = STRBUF_INIT;

		uint64_t now = now_mono_ns();

		sideband_snapshot(&sb);
		/* stamped, so that a flight recorder can pick the one before a window */
		chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, now, now, sb.buf, sb.len);
	}
	if (child > 0) {
		int err = 0;

		(void)!write(go, "g", 1);
		close(go);
		go = -1;
		if (read(errpipe, &err, sizeof(err)) == sizeof(err)) {
			error("cannot run '%s': %s", o.command[0], strerror(err));
			exit_code = 127;
		}
		close(errpipe);
		errpipe = -1;
	}

	last_stats = last_status = last_snapshot = start;
	for (;;) {
		struct timespec tick = { 0, 250 * 1000 * 1000 };
		siginfo_t si;
		int sig = sigtimedwait(&sigs, &si, &tick);
		uint64_t now = now_mono_ns();
		int werr;

		if (sig == SIGCHLD && child > 0) {
			int status;

			if (waitpid(child, &status, WNOHANG) == child) {
				if (exit_code != 127)
					exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
								      : 128 + WTERMSIG(status);
				child = 0;
				stop_reason = "command exited";
				break;
			}
		} else if (sig == SIGUSR1) {
			if (o.flight)
				chunk_writer_trigger(w, now_mono_ns(), "SIGUSR1");
			continue;
		} else if (sig > 0 && sig != SIGCHLD) {
			stop_reason = "signal";
			break;
		}
		werr = chunk_writer_error(w);
		if (werr) {
			error("cannot write '%s': %s", o.output, strerror(-werr));
			stop_reason = "write error";
			ret = -1;
			break;
		}
		if (o.duration_ns && now - start >= o.duration_ns) {
			stop_reason = "duration";
			break;
		}
		if (o.flight && now - last_snapshot >= FLIGHT_SNAPSHOT_NS) {
			/* a window saved hours later needs a recent picture of the processes */
			struct strbuf sb = STRBUF_INIT;

			sideband_snapshot(&sb);
			chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, now, now, sb.buf, sb.len);
			last_snapshot = now;
		}
		if (now - last_stats >= STATS_EVERY_NS) {
			struct strbuf sb = STRBUF_INIT;
			uint64_t ev = 0, lost = 0;

			for (int i = 0; i < nr_inst; i++)
				read_cpu_stats(&inst[i], &ev, &lost, &sb);
			perf_stats(ps, &ev, &lost, &sb);
			attr_addf(&sb, "stats/mono_ns", "%llu", (unsigned long long)now);
			chunk_writer_submit(w, FTIO_CHUNK_STATS, 0, 0, 0, 0, sb.buf, sb.len);
			last_stats = now;
		}
		if (!o.quiet && isatty(2) && now - last_status >= NSEC_PER_SEC) {
			struct chunk_writer_stats ws;
			uint64_t events = 0, lost = 0;

			for (int i = 0; i < nr_inst; i++)
				read_cpu_stats(&inst[i], &events, &lost, NULL);
			perf_stats(ps, &events, &lost, NULL);
			chunk_writer_get_stats(w, &ws);
			print_status(now - start, events,
				     (events - prev_events) * NSEC_PER_SEC / (now - last_status),
				     ws.file_bytes, ws.raw_bytes, lost);
			prev_events = events;
			last_status = now;
		}
	}

out:
	for (int i = 0; i < nr_inst; i++)
		session_tracing_on(inst[i].s, false);
	/* perf sessions turned it off above; the counters beside tracefs are left */
	if (ps && !use_perf)
		perf_source_enable(ps, false);
	for (int i = 0; i < nr_inst; i++) {
		int r = cpu_readers_stop(inst[i].readers);

		if (r && !ret) {
			error("cannot read the ring buffer of '%s': %s", inst[i].s->name, strerror(-r));
			ret = -1;
		}
	}
	if (ps) {
		int r = perf_source_stop(ps);

		if (r && !ret) {
			error("cannot read the perf_event rings: %s", strerror(-r));
			ret = -1;
		}
	}
	if (started) {
		struct strbuf sb = STRBUF_INIT;
		struct chunk_writer_stats ws;
		uint64_t events = 0, lost = 0, end = now_mono_ns();
		/* top-level only (instances have none), wherever tracefs is, even unmounted */
		char *cmdlines = session_tracefs_read("saved_cmdlines");

		for (int i = 0; i < nr_inst; i++)
			read_cpu_stats(&inst[i], &events, &lost, &sb);
		perf_stats(ps, &events, &lost, &sb);
		attr_addf(&sb, "stats/mono_ns", "%llu", (unsigned long long)end);
		chunk_writer_submit(w, FTIO_CHUNK_STATS, 0, 0, 0, 0, sb.buf, sb.len);
		strbuf_init(&sb, 0);
		if (cmdlines)
			attr_addstr(&sb, "sideband/cmdlines", cmdlines);
		free(cmdlines);
		attr_addstr(&sb, "end/reason", stop_reason);
		attr_addf(&sb, "end/mono_ns", "%llu", (unsigned long long)end);
		attr_addf(&sb, "end/events", "%llu", (unsigned long long)events);
		attr_addf(&sb, "end/lost", "%llu", (unsigned long long)lost);
		chunk_writer_get_stats(w, &ws);
		/* the recording says when compression fell back to keep up */
		attr_addf(&sb, "end/fast_chunks", "%llu", (unsigned long long)ws.fast_chunks);
		chunk_writer_submit(w, FTIO_CHUNK_END, 0, 0, 0, 0, sb.buf, sb.len);
		chunk_writer_get_stats(w, &ws);
		if (!o.quiet && o.flight) {
			if (isatty(2))
				fputc('\n', stderr);
			fprintf(stderr, "ftio: %llu events in %.2fs kept in the flight ring, %llu lost\n",
				(unsigned long long)events, (end - start) / 1e9, (unsigned long long)lost);
		} else if (!o.quiet) {
			char b1[32], b2[32];

			if (isatty(2))
				fputc('\n', stderr);
			fprintf(stderr,
				"ftio: %llu events in %.2fs to '%s': %s (%s raw, x%.1f), %llu lost%s\n",
				(unsigned long long)events, (end - start) / 1e9, o.output,
				fmt_bytes(b1, sizeof(b1), ws.file_bytes),
				fmt_bytes(b2, sizeof(b2), ws.raw_bytes),
				ws.file_bytes ? (double)ws.raw_bytes / ws.file_bytes : 0.0,
				(unsigned long long)lost, lost ? " (ring buffer overrun: try a larger -b)" : "");
		}
	}
	/* perf events hold our uprobes: close them before the probes go */
	perf_source_free(ps);
	ps = NULL;
	for (int i = 0; i < 2; i++) {
		cpu_readers_free(inst[i].readers);
		if (inst[i].s) {
			char *name = xstrdup(inst[i].s->name);
			int r = session_destroy(inst[i].s);

			if (r && !ret) {
				error("cannot remove tracefs instance '%s': %s (run 'ftio reset')", name,
				      strerror(-r));
				ret = -1;
			}
			free(name);
		}
	}
	if (w) {
		struct chunk_writer_stats ws;
		int r = chunk_writer_close_stats(w, &ws);

		if (r && !ret) {
			error("cannot write '%s': %s", o.output, strerror(-r));
			ret = -1;
		}
		if (o.flight && !o.quiet)
			fprintf(stderr, "ftio: flight recorder: %llu triggers, %llu windows saved as '%s.NNNNNN'\n",
				(unsigned long long)ws.triggers, (unsigned long long)ws.saves, o.output);
	} else {
		close(fd);
	}
	if (!started && !o.flight) {
		/* nothing was recorded: leave the files as they were */
		unlink(first_file);
		if (old && rename(old, first_file) < 0)
			error("cannot restore '%s' from '%s': %s", first_file, old, strerror(errno));
	} else if (old && !o.quiet) {
		fprintf(stderr, "ftio: kept the earlier recording as '%s'\n", old);
	}
	if (started && o.set_owner)
		give_recordings(&o);
	free(old);
	free(first_file);
	if (child > 0) {
		int status;

		if (go >= 0)
			close(go);
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	record_plan_release(&plan);
	strbuf_release(&strategy);
	strbuf_release(&unavail);
	free(o.pids);
	free(o.layers);
	counters_free(o.counters, o.nr_counters);
	free(o.path_abs);
	strbuf_release(&perf_meta);
	free(o.trigger_errnos);
	if (ret)
		return 1;
	return exit_code;
}
