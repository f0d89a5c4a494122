// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder (see recorder.h): set up our own tracefs instance (or perf
 * rings) from the layers' plan, start the readers and the chunk writer,
 * run or follow the workload, and on every way out drain the buffers and
 * remove everything we created in the kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/magic.h>

#include <ftio/format.h>

#include "builtin.h"
#include "layers.h"
#include "format/chunk.h"
#include "record/chunk-writer.h"
#include "record/counter-group.h"
#include "record/counters.h"
#include "record/events.h"
#include "record/flight.h"
#include "record/memcg.h"
#include "record/meta.h"
#include "record/perf-source.h"
#include "record/probes.h"
#include "record/recorder.h"
#include "record/salvage.h"
#include "record/session.h"
#include "record/sideband.h"
#include "lib/util.h"

#define STATS_EVERY_NS (10 * NSEC_PER_SEC)
#define FLIGHT_SNAPSHOT_NS (30 * NSEC_PER_SEC)

/*
 * Forks the workload, held on a pipe until tracing is on; returns its pid
 * and the pipe's write end in *@go.  It gets back the scheduling ftio had
 * before --nice and --cpu (@cpus, @nice).
 */
static pid_t spawn_held(char **argv, int *go, int *errpipe, const cpu_set_t *cpus, int nice)
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
		sched_setaffinity(0, sizeof(*cpus), cpus);
		setpriority(PRIO_PROCESS, 0, nice);
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

static void rotation_closed(const char *path, void *arg)
{
	rotate_hook_run(arg, path);
}

static void rotation_snapshot(struct strbuf *out, void *arg)
{
	sideband_snapshot(out);
	(void)arg;
}

void recorder_init(struct recorder *r)
{
	*r = (struct recorder){
		.o = {
			.output = "ftio.dat", .buffer_kb = 4096, .level = 1, .cpu = -1,
			.sync_ns = NSEC_PER_SEC, .before_ns = 5 * NSEC_PER_SEC,
			.after_ns = 2 * NSEC_PER_SEC,
		},
		.t.inst = { { .stats_prefix = "stats/" }, { .stats_prefix = "stats/async/" } },
		.fd = -1, .go = -1, .errpipe = -1,
		.stop_reason = "signal",
	};
	strbuf_init(&r->meta, 0);
	strbuf_init(&r->strategy, 0);
	strbuf_init(&r->unavail, 0);
	strbuf_init(&r->perf_meta, 0);
	r->o.layers = xstrdup(DEFAULT_LAYERS);
}

/* -p: stored absolute, with its device for the kernel filters */
static void plan_path(struct record_opts *o)
{
	struct stat st;
	struct statfs sfs;
	char *abs;

	if (stat(o->path, &st) < 0 || !(abs = realpath(o->path, NULL)))
		die("cannot use -p '%s': %s", o->path, strerror(errno));
	/* stored absolute: the report may run elsewhere */
	o->path = o->path_abs = abs;
	/* the kernel's dev_t: MKDEV() is major << 20 | minor */
	o->path_dev = (uint64_t)major(st.st_dev) << 20 | minor(st.st_dev);
	/* a path on NFS brings the nfs layer, unless -e chose the layers */
	if (!strcmp(o->layers, DEFAULT_LAYERS) && !statfs(o->path, &sfs) &&
	    sfs.f_type == NFS_SUPER_MAGIC) {
		free(o->layers);
		o->layers = xstrdup(DEFAULT_LAYERS ",nfs");
	}
}

/* --syscall-source: auto resolved, and with raw_syscalls the plan rewritten */
static void plan_syscall_source(struct recorder *r, const char *tdir)
{
	const struct record_opts *o = &r->o;
	struct utsname u;
	bool raw_exists;
	char *p;

	if (r->sc_source != SYSCALL_SOURCE_RAW)
		return;
	p = xasprintf("%s/events/raw_syscalls/sys_enter", tdir);
	raw_exists = !access(p, F_OK);
	free(p);
	if (!raw_exists)
		die("cannot use --syscall-source 'raw_syscalls': this kernel has no "
		    "raw_syscalls:sys_enter event");
	if (o->nr_counters)
		die("cannot use --counters with syscall source 'raw_syscalls': the counters "
		    "sample raw_syscalls themselves");
	if (o->flight)
		die("cannot use --flight with syscall source 'raw_syscalls': the flight "
		    "recorder's scan pairs syscalls:* events");
	uname(&u);
	r->sc_ids = syscall_source_apply(&r->plan, SYSCALL_SOURCE_RAW, u.machine);
	if (r->sc_ids < 0)
		die("cannot use syscall source 'raw_syscalls' on '%s': ftio has no syscall "
		    "table for this architecture (x86_64, aarch64, arm, riscv64)", u.machine);
}

void recorder_plan(struct recorder *r)
{
	struct record_opts *o = &r->o;
	struct stale_ctx ctx = { o->output, o->quiet };
	char *list, *save = NULL;
	const char *tdir;

	if (geteuid() != 0)
		die("cannot record: tracefs instances and events need root (run as root or with sudo)");
	if (o->path)
		plan_path(o);
	tdir = session_tracefs_dir();
	if (!tdir)
		die("cannot find tracefs '/sys/kernel/tracing': %s", strerror(errno));

	/* what a killed ftio left behind (only ftio_<pid> of dead pids) goes first */
	session_reset_stale_save(false, o->quiet ? NULL : stale_removed, stale_save, &ctx);
	record_plan_init(&r->plan, tdir);
	r->sc_source = syscall_source_choose(o->syscall_source, tdir, NULL);
	r->plan.raw_syscalls = r->sc_source == SYSCALL_SOURCE_RAW;
	list = xstrdup(o->layers);
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		layer_find(t)->plan(&r->plan);
	free(list);
	r->sc_dropped = syscall_source_keep(&r->plan, o->syscalls);
	plan_syscall_source(r, tdir);
	for (size_t i = 0; i < r->plan.nr_events; i++)
		r->want_async |= r->plan.events[i].async;
}

/* The flight ring must fit ftio's cgroup, and its saves the output directory */
static void prepare_flight(struct recorder *r)
{
	const struct record_opts *o = &r->o;
	char *cg, *dir, *slash;
	uint64_t limit = memcg_limit(&cg);

	/*
	 * The ring lives in ftio's memory: one the cgroup cannot hold
	 * would get ftio OOM-killed mid-capture, its instance left behind.
	 * 16 MiB for the rest of ftio (its RSS is 7-9 MiB).
	 */
	if (limit && o->flight + (16 << 20) > limit) {
		char b1[32], b2[32];

		die("cannot keep a %s flight ring in cgroup '%s': its memory limit is %s "
		    "(with 16M for the rest of ftio)", fmt_bytes(b1, sizeof(b1), o->flight), cg,
		    fmt_bytes(b2, sizeof(b2), limit));
	}
	free(cg);
	/* nothing is written until a trigger: check now that saving will work */
	dir = xstrdup(o->output);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (access(slash ? (*dir ? dir : "/") : ".", W_OK) < 0)
		die("cannot create '%s': %s", o->output, strerror(errno));
	free(dir);
	free(r->first_file);
	r->first_file = xstrdup("/dev/null");
}

void recorder_prepare_output(struct recorder *r)
{
	const struct record_opts *o = &r->o;

	/* before any file is touched: a refusal here must leave the files as they were */
	r->orig_nice = getpriority(PRIO_PROCESS, 0);
	sched_getaffinity(0, sizeof(r->orig_cpus), &r->orig_cpus);
	if (o->set_nice && setpriority(PRIO_PROCESS, 0, o->nice) < 0)
		die("cannot set --nice %d: %s", o->nice, strerror(errno));
	if (o->cpu >= 0) {
		cpu_set_t set;

		/* the recorder's threads inherit it; spawn_held() gives the command its own back */
		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			die("cannot pin to --cpu %d: %s", o->cpu, strerror(errno));
	}
	/* with rotation the files are OUTPUT.000001, OUTPUT.000002, ... */
	r->first_file = o->max_size || o->split_ns ? outfile_name(o->output, 1)
						   : xstrdup(o->output);
	if (o->flight)
		prepare_flight(r);
	if (o->tap_only) {
		free(r->first_file);
		r->first_file = xstrdup("/dev/null");
	}
	r->fd = o->flight || o->tap_only ? open("/dev/null", O_WRONLY | O_CLOEXEC)
			  : recording_create(r->first_file, &r->old);
	if (r->fd < 0)
		die("cannot create '%s': %s", r->first_file,
		    r->fd == -ELOOP ? "it is a symbolic link (refusing to follow it)" : strerror(-r->fd));
}

/* Returns -1 with r->ret set: the steps' way of saying "unwind now" */
static int fail(struct recorder *r)
{
	r->ret = -1;
	return -1;
}

/*
 * set_event_pid (and perf) match thread ids: a running process is followed
 * through every thread it has now, and event-fork (inherit) adds new ones.
 */
static void add_threads(struct record_opts *o)
{
	for (size_t i = 0, n = o->nr_pids; i < n; i++) {
		char *dir = xasprintf("/proc/%d/task", (int)o->pids[i]);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			pid_t tid = atoi(de->d_name);

			if (tid <= 0 || tid == o->pids[i])
				continue;
			o->pids = xrealloc(o->pids, (o->nr_pids + 1) * sizeof(*o->pids));
			o->pids[o->nr_pids++] = tid;
		}
		if (d)
			closedir(d);
		free(dir);
	}
}

/* The first session, on tracefs unless it is refused (or --backend perf) */
static int open_first_session(struct recorder *r)
{
	struct record_opts *o = &r->o;
	struct transport *t = &r->t;
	bool forbidden = false;

	t->ops = o->backend == BACKEND_PERF ? &perf_transport : &tracefs_transport;
	t->inst[0].s = t->ops->open(t, NULL, o, o->backend == BACKEND_AUTO ? &forbidden : NULL);
	if (forbidden) {
		if (!o->quiet)
			fprintf(stderr, "ftio: tracefs instances are refused here (%s): "
				"recording through perf_event\n", strerror(errno));
		t->ops = &perf_transport;
		t->inst[0].s = t->ops->open(t, NULL, o, NULL);
	} else if (o->nr_counters && transport_ensure_rings(t, o)) {
		/* --counters beside tracefs need perf rings too */
		return fail(r);
	}
	if (!t->inst[0].s)
		return fail(r);
	t->nr_inst = 1;
	return 0;
}

int recorder_open_transport(struct recorder *r)
{
	struct record_opts *o = &r->o;
	struct transport *t = &r->t;

	/* from here on the kernel changes: no die(), unwind through drain and finish */
	sigemptyset(&r->sigs);
	sigaddset(&r->sigs, SIGINT);
	sigaddset(&r->sigs, SIGTERM);
	sigaddset(&r->sigs, SIGHUP);
	sigaddset(&r->sigs, SIGCHLD);
	sigaddset(&r->sigs, SIGQUIT);
	sigaddset(&r->sigs, SIGUSR1);
	sigprocmask(SIG_BLOCK, &r->sigs, NULL);
	/* keep 256 KiB batches on the heap free list instead of mmap/munmap each */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);

	r->w = chunk_writer_new(r->fd, o->level, 16);
	if (!r->w) {
		error("cannot write '%s': %s", o->output, strerror(errno));
		return fail(r);
	}
	chunk_writer_set_sync(r->w, o->sync_ns);
	if (open_first_session(r))
		return -1;
	if (o->command) {
		r->child = spawn_held(o->command, &r->go, &r->errpipe, &r->orig_cpus, r->orig_nice);
		if (r->child < 0) {
			error("cannot start '%s': %s", o->command[0], strerror(errno));
			r->child = 0;
			return fail(r);
		}
		o->pids = xrealloc(o->pids, (o->nr_pids + 1) * sizeof(*o->pids));
		o->pids[o->nr_pids++] = r->child;
	}
	add_threads(o);
	t->ops->follow(t, o->pids, o->nr_pids);
	/*
	 * Asynchronous events need a session of their own: unfiltered by
	 * pid, and without ftio's own threads kept out, for the kernel
	 * matches the current thread, and a completion in a softirq runs on
	 * whichever was current (5 of 86,436 of fio's were lost that way)
	 */
	if (r->want_async) {
		t->inst[1].s = t->ops->open(t, "_async", o, NULL);
		if (!t->inst[1].s)
			return fail(r);
		t->nr_inst = 2;
	}
	return 0;
}

/*
 * Linux 6.19+ copies path strings into the syscall events, up to the
 * instance's syscall_user_buf_size (default 63, at most 165; longer ones
 * end in "..."): ours takes the most, which the report needs to tell a
 * cut path.  perf's events use the kernel's built-in default.
 */
void recorder_syscall_strings(struct recorder *r, struct session *s)
{
	char *v;
	int err;

	if (r->sc_source == SYSCALL_SOURCE_RAW || !s->inst)
		return;
	v = session_read(s, "syscall_user_buf_size");
	if (!v)
		return;
	free(v);
	err = session_write(s, "syscall_user_buf_size", "165");
	if (err)
		warning("cannot raise '%s/syscall_user_buf_size' to 165: %s", s->name,
			strerror(-err));
	v = session_read(s, "syscall_user_buf_size");
	if (v) {
		r->sc_strbuf = strtoul(v, NULL, 10);
		free(v);
	}
}

void recorder_describe_syscalls(struct recorder *r)
{
	if (r->sc_source == SYSCALL_SOURCE_RAW)
		strbuf_addf(&r->strategy, " syscalls=raw_syscalls(%d ids)", r->sc_ids);
	else if (plan_syscall_has_string(&r->plan, "openat"))
		strbuf_addf(&r->strategy, " syscalls=syscalls(strings of %u bytes)",
			    r->sc_strbuf ? r->sc_strbuf : 63);
	else
		strbuf_addstr(&r->strategy, " syscalls=syscalls");
}

/* The plan's events, probes and counters; -1 when none of them exists */
static int arm_events(struct recorder *r)
{
	struct record_opts *o = &r->o;
	struct transport *t = &r->t;
	struct session *s;

	if (t->nr_inst == 2) {
		if (events_enable(&t->inst[0], &r->plan, 0, o, &r->unavail) ||
		    events_enable(&t->inst[1], &r->plan, 1, o, &r->unavail))
			return fail(r);
	} else if (events_enable(&t->inst[0], &r->plan, -1, o, &r->unavail)) {
		return fail(r);
	}
	s = t->inst[0].s;
	recorder_syscall_strings(r, s);
	strbuf_addf(&r->strategy, "transport=%s clock=%s events=%d", t->ops->name, s->clock,
		    t->inst[0].nr_events + t->inst[1].nr_events);
	recorder_describe_syscalls(r);
	probes_place_uprobes(s, &r->plan, &r->strategy, &r->unavail, o->quiet);
	probes_place_kprobes(s, &r->plan, &r->strategy, &r->unavail, o->quiet);
	/* dynamic events count too: -e paths alone is only uprobes */
	if (!s->nr_events && !(t->inst[1].s && t->inst[1].s->nr_events)) {
		error("cannot record: none of the %zu events the layers need exist in this kernel",
		      r->plan.nr_events);
		return fail(r);
	}
	if (o->nr_counters &&
	    counter_group_open(t->ps, s, o, &r->perf_meta, &r->strategy, &r->unavail))
		return fail(r);
	return 0;
}

/* The pid filter, and ftio kept out of its own trace */
static int arm_filters(struct recorder *r)
{
	struct record_opts *o = &r->o;
	struct transport *t = &r->t;

	if (o->nr_pids && session_set_pids(t->inst[0].s, o->pids, o->nr_pids, true)) {
		error("cannot set the pid filter of '%s': %s", t->inst[0].s->name, strerror(errno));
		return fail(r);
	}
	strbuf_addf(&r->strategy, " pids=%s", o->nr_pids ? "filtered(following forks)" : "all");
	if (o->syscalls)
		strbuf_addf(&r->strategy, " syscall_filter=kernel(%d left out)", r->sc_dropped);
	if (o->comm)
		strbuf_addf(&r->strategy, " comm_filter=%s(%d events)",
			    t->inst[0].nr_comm_filtered ? "kernel" : "ftio",
			    t->inst[0].nr_comm_filtered);
	if (o->path_dev)
		strbuf_addf(&r->strategy, " devices=%llu:%llu(-p)",
			    (unsigned long long)(o->path_dev >> 20),
			    (unsigned long long)(o->path_dev & 0xfffff));
	if (t->nr_inst == 2)
		strbuf_addf(&r->strategy, " async=unfiltered(%d events)", t->inst[1].nr_events);
	for (int i = 0; i < t->nr_inst; i++) {
		if (session_notrace_pid(t->inst[i].s, getpid()) ||
		    session_notrace_pid(t->inst[i].s, chunk_writer_tid(r->w)) ||
		    (o->notrace_tid && session_notrace_pid(t->inst[i].s, o->notrace_tid))) {
			error("cannot exclude ftio from its own trace in '%s': %s", t->inst[i].s->name,
			      strerror(errno));
			return fail(r);
		}
	}
	return 0;
}

/* Says what is recorded, and builds the metadata every file starts with */
static void arm_describe(struct recorder *r)
{
	const struct record_opts *o = &r->o;
	struct transport *t = &r->t;

	if (o->flight)
		strbuf_addf(&r->strategy, " flight=%s.NNNNNN", o->output);
	if (!o->quiet)
		fprintf(stderr, "ftio: recording to '%s': %s\n", o->output, r->strategy.buf);

	meta_describe(&r->meta, t->inst, t->nr_inst, o, r->strategy.buf,
		      r->unavail.buf);
	attr_addstr(&r->meta, "meta/backend", t->ops->name);
	attr_addstr(&r->meta, "meta/syscall_source",
		    r->sc_source == SYSCALL_SOURCE_RAW ? "raw_syscalls" : "syscalls");
	if (r->sc_strbuf)
		attr_addf(&r->meta, "meta/syscall_user_buf_size", "%u", r->sc_strbuf);
	if (t->ps) {
		struct strbuf ids = STRBUF_INIT;

		perf_source_describe(t->ps, &ids);
		attr_addstr(&r->meta, "perf/ids", ids.buf);
		strbuf_release(&ids);
		if (r->perf_meta.len)
			strbuf_add(&r->meta, r->perf_meta.buf, r->perf_meta.len);
	}
}

/* The flight ring or the rotation, then the metadata chunk (the writer owns it) */
static int arm_output(struct recorder *r)
{
	const struct record_opts *o = &r->o;
	struct strbuf *meta = &r->meta;

	if (o->flight) {
		struct flight_opts fo = {
			.base = o->output, .ring_bytes = o->flight, .trigger_latency = o->trigger_latency,
			.trigger_errnos = o->trigger_errnos, .before_ns = o->before_ns,
			.after_ns = o->after_ns, .snapshot = rotation_snapshot,
		};
		struct flight *f = flight_new(&fo, meta->buf, meta->len);

		if (!f) {
			error("cannot set up the flight recorder: %s", strerror(errno));
			return fail(r);
		}
		chunk_writer_set_sink(r->w, flight_sink(f));
	}
	if (o->max_size || o->split_ns) {
		struct chunk_writer_rotation rot = {
			.base = o->output, .max_size = o->max_size, .max_files = o->max_files,
			.split_ns = o->split_ns, .snapshot = rotation_snapshot,
		};

		if (o->on_rotate) {
			rotate_hook_init(&r->hook, o->on_rotate);
			r->hook.set_owner = o->set_owner;
			r->hook.uid = o->owner_uid;
			r->hook.gid = o->owner_gid;
			r->hook.cpus = r->orig_cpus;
			r->hook.nice = r->orig_nice;
			rot.closed = rotation_closed;
			rot.closed_arg = &r->hook;
		}
		chunk_writer_set_rotation(r->w, &rot, meta->buf, meta->len);
	}
	chunk_writer_submit(r->w, FTIO_CHUNK_ATTR, 0, 0, 0, 0, meta->buf, meta->len);
	meta->buf = NULL;
	strbuf_release(meta);
	return 0;
}

/* Tracing on, the first process snapshot, and the workload let go */
static int arm_start(struct recorder *r)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t now;

	if (r->t.ops->arm(&r->t))
		return fail(r);
	r->started = true;
	/* a recording given to a user holds only what that user could read */
	if (r->o.set_owner)
		sideband_restrict_to(r->o.owner_uid);
	/* snapshot after tracing is on, so nothing falls between the two */
	now = now_mono_ns();
	sideband_snapshot(&sb);
	/* stamped, so that a flight recorder can pick the one before a window */
	chunk_writer_submit(r->w, FTIO_CHUNK_ATTR, 0, 0, now, now, sb.buf, sb.len);
	if (r->child > 0) {
		int err = 0;

		(void)!write(r->go, "g", 1);
		close(r->go);
		r->go = -1;
		if (read(r->errpipe, &err, sizeof(err)) == sizeof(err)) {
			error("cannot run '%s': %s", r->o.command[0], strerror(err));
			r->exit_code = 127;
		}
		close(r->errpipe);
		r->errpipe = -1;
	}
	return 0;
}

int recorder_arm(struct recorder *r)
{
	if (arm_events(r) || arm_filters(r))
		return -1;
	arm_describe(r);
	/* before the readers start: their first marks go to the tap */
	if (r->o.tap) {
		chunk_writer_set_tap(r->w, r->o.tap, !r->o.tap_only);
		r->t.live_flush_ms = r->o.live_flush_ms;
	}
	if (r->t.ops->start(&r->t, r->w))
		return fail(r);
	r->start = now_mono_ns();
	attr_addf(&r->meta, "meta/start_mono_ns", "%llu", (unsigned long long)r->start);
	attr_addf(&r->meta, "meta/start_real_ns", "%llu", (unsigned long long)now_real_ns());
	if (arm_output(r))
		return -1;
	return arm_start(r);
}

/* A STATS chunk: the kernel's per-CPU counts at @now */
static void submit_stats(struct recorder *r, uint64_t now, uint64_t *events, uint64_t *lost)
{
	struct strbuf sb = STRBUF_INIT;

	r->t.ops->stats(&r->t, events, lost, &sb);
	attr_addf(&sb, "stats/mono_ns", "%llu", (unsigned long long)now);
	chunk_writer_submit(r->w, FTIO_CHUNK_STATS, 0, 0, 0, 0, sb.buf, sb.len);
}

/*
 * The status line on a terminal, every field labelled and the whole in
 * 80 columns: time, events so far, their rate, the file's size, its
 * compression ratio and the events lost
 */
static void show_status(struct recorder *r, uint64_t now, uint64_t *last, uint64_t *prev)
{
	struct chunk_writer_stats ws;
	uint64_t events = 0, lost = 0;
	char b[32];

	r->t.ops->stats(&r->t, &events, &lost, NULL);
	chunk_writer_get_stats(r->w, &ws);
	/* " 12.3s   1234567 events   45678 events/s  12.3M written ratio x8.1 0 lost": 80 columns */
	fprintf(stderr, "\r%5.1fs %9llu events %7llu events/s %6s written ratio x%.1f %llu lost\033[K",
		(now - r->start) / 1e9, (unsigned long long)events,
		(unsigned long long)((events - *prev) * NSEC_PER_SEC / (now - *last)),
		fmt_bytes(b, sizeof(b), ws.file_bytes),
		ws.file_bytes ? (double)ws.raw_bytes / ws.file_bytes : 0.0,
		(unsigned long long)lost);
	*prev = events;
	*last = now;
}

/* A signal: true when the recording stops (the command exited, or a stop signal) */
static bool run_signal(struct recorder *r, int sig)
{
	if (sig == SIGCHLD && r->child > 0) {
		int status;

		if (waitpid(r->child, &status, WNOHANG) == r->child) {
			if (r->exit_code != 127)
				r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
								 : 128 + WTERMSIG(status);
			r->child = 0;
			r->stop_reason = "command exited";
			return true;
		}
	} else if (sig > 0 && sig != SIGCHLD) {
		r->stop_reason = "signal";
		return true;
	}
	return false;
}

void recorder_run(struct recorder *r)
{
	const struct record_opts *o = &r->o;
	uint64_t last_stats, last_status, last_snapshot, prev_events = 0;

	last_stats = last_status = last_snapshot = r->start;
	for (;;) {
		struct timespec tick = { 0, 250 * 1000 * 1000 };
		siginfo_t si;
		int sig = sigtimedwait(&r->sigs, &si, &tick);
		uint64_t now = now_mono_ns();
		int werr;

		if (sig == SIGUSR1) {
			if (o->flight)
				chunk_writer_trigger(r->w, now_mono_ns(), "SIGUSR1");
			continue;
		}
		if (run_signal(r, sig))
			break;
		werr = chunk_writer_error(r->w);
		if (werr) {
			error("cannot write '%s': %s", o->output, strerror(-werr));
			r->stop_reason = "write error";
			r->ret = -1;
			break;
		}
		if (o->duration_ns && now - r->start >= o->duration_ns) {
			r->stop_reason = "duration";
			break;
		}
		if (o->flight && now - last_snapshot >= FLIGHT_SNAPSHOT_NS) {
			/* a window saved hours later needs a recent picture of the processes */
			struct strbuf sb = STRBUF_INIT;

			sideband_snapshot(&sb);
			chunk_writer_submit(r->w, FTIO_CHUNK_ATTR, 0, 0, now, now, sb.buf, sb.len);
			last_snapshot = now;
		}
		if (now - last_stats >= STATS_EVERY_NS) {
			uint64_t ev = 0, lost = 0;

			submit_stats(r, now, &ev, &lost);
			last_stats = now;
		}
		if (!o->quiet && isatty(2) && now - last_status >= NSEC_PER_SEC)
			show_status(r, now, &last_status, &prev_events);
	}
}

void recorder_drain(struct recorder *r)
{
	if (!r->t.ops)
		return;
	r->t.ops->disarm(&r->t);
	r->ret = r->t.ops->drain(&r->t, r->ret);
}

/* The last STATS and the END chunk, and the summary line */
static void finish_recording(struct recorder *r)
{
	const struct record_opts *o = &r->o;
	struct strbuf sb = STRBUF_INIT;
	struct chunk_writer_stats ws;
	uint64_t events = 0, lost = 0, end = now_mono_ns();
	/* top-level only (instances have none), wherever tracefs is, even unmounted */
	char *cmdlines = session_tracefs_read("saved_cmdlines");

	submit_stats(r, end, &events, &lost);
	if (cmdlines)
		attr_addstr(&sb, "sideband/cmdlines", cmdlines);
	free(cmdlines);
	attr_addstr(&sb, "end/reason", r->stop_reason);
	attr_addf(&sb, "end/mono_ns", "%llu", (unsigned long long)end);
	attr_addf(&sb, "end/events", "%llu", (unsigned long long)events);
	attr_addf(&sb, "end/lost", "%llu", (unsigned long long)lost);
	chunk_writer_get_stats(r->w, &ws);
	/* the recording says when compression fell back to keep up */
	attr_addf(&sb, "end/fast_chunks", "%llu", (unsigned long long)ws.fast_chunks);
	chunk_writer_submit(r->w, FTIO_CHUNK_END, 0, 0, 0, 0, sb.buf, sb.len);
	chunk_writer_get_stats(r->w, &ws);
	if (!o->quiet && o->flight) {
		if (isatty(2))
			fputc('\n', stderr);
		fprintf(stderr, "ftio: %llu events in %.2fs kept in the flight ring, %llu lost\n",
			(unsigned long long)events, (end - r->start) / 1e9, (unsigned long long)lost);
	} else if (!o->quiet && chunk_writer_error(r->w)) {
		char b1[32];

		/*
		 * the events read after the error never reached the file: the
		 * count read is not what it holds (ftio info counts that)
		 */
		if (isatty(2))
			fputc('\n', stderr);
		fprintf(stderr,
			"ftio: %llu events read in %.2fs, but only those before the write error are in '%s' (%s; 'ftio info' counts them), %llu lost in the kernel\n",
			(unsigned long long)events, (end - r->start) / 1e9, o->output,
			fmt_bytes(b1, sizeof(b1), ws.file_bytes), (unsigned long long)lost);
	} else if (!o->quiet) {
		char b1[32], b2[32];

		if (isatty(2))
			fputc('\n', stderr);
		fprintf(stderr,
			"ftio: %llu events in %.2fs to '%s': %s (%s raw, x%.1f), %llu lost%s\n",
			(unsigned long long)events, (end - r->start) / 1e9, o->output,
			fmt_bytes(b1, sizeof(b1), ws.file_bytes),
			fmt_bytes(b2, sizeof(b2), ws.raw_bytes),
			ws.file_bytes ? (double)ws.raw_bytes / ws.file_bytes : 0.0,
			(unsigned long long)lost, lost ? " (ring buffer overrun: try a larger -b)" : "");
	}
}

/* The writer closed, and the files kept, restored or handed to --user */
static void finish_files(struct recorder *r)
{
	const struct record_opts *o = &r->o;

	if (r->w) {
		struct chunk_writer_stats ws;
		int e = chunk_writer_close_stats(r->w, &ws);

		r->w = NULL;
		if (e && !r->ret) {
			error("cannot write '%s': %s", o->output, strerror(-e));
			r->ret = -1;
		}
		if (r->hook.cmd) {
			/* the last file's CMD too: the recording is shipped when ftio ends */
			rotate_hook_release(&r->hook);
			if (!o->quiet)
				fprintf(stderr, "ftio: --on-rotate ran %llu times, %llu failed\n",
					(unsigned long long)r->hook.started,
					(unsigned long long)r->hook.failed);
		}
		if (o->flight && !o->quiet) {
			fprintf(stderr, "ftio: flight recorder: %llu triggers, %llu windows saved as '%s.NNNNNN'\n",
				(unsigned long long)ws.triggers, (unsigned long long)ws.saves, o->output);
			if (ws.flight_unpaired)
				fprintf(stderr, "ftio: flight recorder: %llu syscall exits had no enter in the ring: "
					"not checked against the triggers\n", (unsigned long long)ws.flight_unpaired);
		}
	} else if (r->fd >= 0) {
		close(r->fd);
	}
	r->fd = -1;
	if (!r->started && !o->flight && !o->tap_only) {
		/* nothing was recorded: leave the files as they were */
		unlink(r->first_file);
		if (r->old && rename(r->old, r->first_file) < 0)
			error("cannot restore '%s' from '%s': %s", r->first_file, r->old,
			      strerror(errno));
	} else if (r->old && !o->quiet) {
		fprintf(stderr, "ftio: kept the earlier recording as '%s'\n", r->old);
	}
	if (r->started && o->set_owner)
		give_recordings(o);
}

void recorder_finish(struct recorder *r)
{
	if (r->started)
		finish_recording(r);
	r->ret = transport_close(&r->t, r->ret);
	finish_files(r);
	if (r->child > 0) {
		int status;

		if (r->go >= 0)
			close(r->go);
		kill(r->child, SIGTERM);
		waitpid(r->child, &status, 0);
	}
}

int recorder_release(struct recorder *r)
{
	struct record_opts *o = &r->o;

	free(r->old);
	free(r->first_file);
	record_plan_release(&r->plan);
	strbuf_release(&r->strategy);
	strbuf_release(&r->unavail);
	strbuf_release(&r->meta);
	free(o->pids);
	free(o->layers);
	counters_free(o->counters, o->nr_counters);
	free(o->path_abs);
	strbuf_release(&r->perf_meta);
	free(o->trigger_errnos);
	return r->ret ? 1 : r->exit_code;
}
