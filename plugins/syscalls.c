// SPDX-License-Identifier: GPL-2.0
/*
 * The syscalls layer.  At record time: the file-related syscall
 * tracepoints and the process lifecycle events.  Only file syscalls are
 * enabled, because every enabled syscall event puts each thread's
 * syscalls on the slow path: the list is the cost.
 *
 * At report time: enter and exit are paired per thread into calls; each
 * call gets its path (from the paths layer's user strings or the fd
 * table), its credentials and its mount, and moves the models on (fd
 * table, cwd, uids).  A call broken by lost events is counted, and its
 * latency is never used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/counters.h>
#include <ftio/event.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/syscall-nr.h>
#include <ftio/syscall-table.h>
#include <ftio/util.h>

#include "fdkinds.h"

#define CLOSE_RANGE_CLOEXEC (1U << 2)
#define MAX_ARGS 6

static void syscalls_plan(struct record_plan *p)
{
	static const char *const lifecycle[][2] = {
		{ "sched", "sched_process_fork" },
		{ "sched", "sched_process_exec" },
		{ "sched", "sched_process_exit" },
		{ "task", "task_newtask" },
		{ "task", "task_rename" },
	};
	char name[96];

	for (const struct syscall_desc *d = syscall_table; d->name; d++) {
		snprintf(name, sizeof(name), "sys_enter_%s", d->name);
		plan_add_event(p, "syscalls", name);
		snprintf(name, sizeof(name), "sys_exit_%s", d->name);
		plan_add_event(p, "syscalls", name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(lifecycle); i++)
		plan_add_event(p, lifecycle[i][0], lifecycle[i][1]);
}

/* one per recorded sys_enter_/sys_exit_ event, with its fields resolved */
struct sc_event {
	const struct syscall_desc *desc;
	struct field_ref args[MAX_ARGS];
	int nargs;
	/* Linux 6.19+: the path argument's string, "__<arg>_val" (__data_loc) */
	struct field_ref str, str_loc;
	struct field_ref ret;
	struct sc_state *st;
};

/*
 * --counters.  The recorder opened, per thread and CPU, a perf group whose
 * samplers are raw_syscalls:sys_enter/sys_exit and sched:sched_switch:
 * each of their samples carries the group's counts for that thread on that
 * CPU.  A thread's count over a call is the sum, over the samples from its
 * enter to its exit, of each sample's step from the last value seen on the
 * same CPU: a call that migrates still adds up, because the thread's
 * switch away from a CPU is sampled there.
 */
#define CTR_MAX 8

struct ctr_thread {
	uint64_t *last;		/* [ncpus][nr] */
	uint8_t *have;		/* [ncpus] */
	bool in_call;
	uint64_t acc[CTR_MAX];	/* since the last enter; whole once done */
	bool done;		/* a raw exit not yet matched to a call */
	uint64_t done_ts;
	struct call *pending;	/* ended, waiting for its raw exit */
};

struct ctr_state {
	int nr;
	int index[CTR_MAX];	/* in the sample's values */
	int key[CTR_MAX];	/* enum call_counter, or -1 */
	int ncpus;
	struct intmap threads;
};

/*
 * The raw_syscalls source: sys_enter/sys_exit carry the syscall id and
 * six arguments; the id is mapped to the table's name through the
 * recorded architecture's numbers (meta/arch), so an arm64 board's
 * recording decodes on x86_64, and the call goes through the same
 * on_sys_enter()/on_sys_exit() as a syscalls:* one.
 */
struct raw_state {
	const struct syscall_arch *arch;
	struct field_ref id_enter, id_exit;
	struct intmap by_nr;	/* syscall id -> struct sc_event */
};

struct sc_state {
	struct sc_event *events;
	size_t nr_events;
	struct raw_state *raw;
	unsigned int str_max;	/* the recording's syscall_user_buf_size */
	struct call *free_calls;	/* recycled: no allocation per call */
	struct ctr_state *ctr;
	unsigned int next_obj;	/* "pipe:[#N]": objects made during the capture */
	struct field_ref exec_pid, exec_old_pid;
	struct ctr_cookie {
		struct sc_state *st;
		enum counter_sampler kind;
	} ctr_cookie[COUNTER_SAMPLERS];
};

static struct call *call_get(struct sc_state *st)
{
	struct call *c = st->free_calls;

	if (c) {
		st->free_calls = *(struct call **)c;
		memset(c, 0, sizeof(*c));
		return c;
	}
	return xcalloc(1, sizeof(*c));
}

static void call_put(struct sc_state *st, struct call *c)
{
	free(c->path);
	free(c->detail);
	free(c->children);
	*(struct call **)c = st->free_calls;
	st->free_calls = c;
}

static void ctr_attach(struct ctr_state *cs, struct call *c, const uint64_t *v)
{
	for (int k = 0; k < cs->nr; k++) {
		if (cs->key[k] < 0)
			continue;
		c->ctr[cs->key[k]] = v[k];
		c->ctr_mask |= 1u << cs->key[k];
	}
}

/* Hands @c to the views, with its counts when its raw exit has been seen */
static void call_finish(struct report *r, struct sc_state *st, struct call *c)
{
	struct ctr_state *cs = st->ctr;
	struct ctr_thread *t = cs ? intmap_get(&cs->threads, c->tid) : NULL;

	if (t && t->done && t->done_ts >= c->start_ns) {
		ctr_attach(cs, c, t->acc);
		t->done = false;
	} else if (t && !c->tainted) {
		/* the perf sample of this exit comes next: wait for it */
		t->pending = c;
		return;
	}
	report_add_call(r, c);
	call_put(st, c);
}

static struct ctr_thread *ctr_thread(struct ctr_state *cs, int tid)
{
	struct ctr_thread *t = intmap_get(&cs->threads, tid);

	if (!t) {
		t = xcalloc(1, sizeof(*t));
		t->last = xcalloc((size_t)cs->ncpus * cs->nr, sizeof(*t->last));
		t->have = xcalloc(cs->ncpus, 1);
		intmap_put(&cs->threads, tid, t);
	}
	return t;
}

static void ctr_flush(struct report *r, struct sc_state *st, struct ctr_thread *t)
{
	if (t->pending) {
		report_add_call(r, t->pending);
		call_put(st, t->pending);
		t->pending = NULL;
	}
}

static void on_ctr_sample(struct report *r, const struct ftio_event *ev, void *priv)
{
	const struct ctr_cookie *ck = priv;
	struct sc_state *st = ck->st;
	enum counter_sampler kind = ck->kind;
	struct ctr_state *cs = st->ctr;
	struct ctr_thread *t;
	uint64_t *last;

	/* the same tracepoints may come through tracefs too, without counts */
	if (ev->nr_values < cs->index[cs->nr - 1] + 1 || ev->cpu < 0 || ev->cpu >= cs->ncpus)
		return;
	t = ctr_thread(cs, ev->pid);
	last = t->last + (size_t)ev->cpu * cs->nr;
	if (ev->missed)
		t->in_call = false;	/* a gap: this call's counts are not whole */
	for (int k = 0; k < cs->nr; k++) {
		uint64_t v = ev->values[cs->index[k]];
		uint64_t d = t->have[ev->cpu] && v >= last[k] ? v - last[k] : v;

		last[k] = v;
		if (!t->in_call || kind == COUNTER_ENTER)
			continue;
		/*
		 * The switch counter steps just after sched_switch is sampled,
		 * so a thread that resumes on another CPU takes that step with
		 * it unseen: its switches are its sched_switch samples instead
		 */
		if (cs->key[k] == CTR_CTX_SWITCHES)
			t->acc[k] += kind == COUNTER_SWITCH;
		else
			t->acc[k] += d;
	}
	t->have[ev->cpu] = 1;
	if (kind == COUNTER_ENTER) {
		/* a call still waiting missed its exit sample */
		ctr_flush(r, st, t);
		t->in_call = true;
		t->done = false;
		memset(t->acc, 0, sizeof(t->acc));
	} else if (kind == COUNTER_EXIT && t->in_call) {
		t->in_call = false;
		t->done = true;
		t->done_ts = ev->ts;
		if (t->pending) {
			ctr_attach(cs, t->pending, t->acc);
			t->done = false;
			ctr_flush(r, st, t);
		}
	}
}

/*
 * "perf/counters": "<value index> <key> <name>" lines; keys the report
 * knows ("oncpu_ns", ...) are measured per call, other counters only
 * recorded.  Returns NULL when the recording has no counters.
 */
static struct ctr_state *ctr_init(struct report *r, struct sc_state *st)
{
	struct counter_desc desc[CTR_MAX];
	int nr = counters_desc_parse(report_attr(r, "perf/counters"), desc, CTR_MAX);
	struct ctr_state *cs;

	if (!nr)
		return NULL;
	cs = xcalloc(1, sizeof(*cs));
	cs->ncpus = report_attr_u64(r, "meta/cpus", 1);
	if (cs->ncpus < 1 || cs->ncpus > 8192)
		cs->ncpus = 8192;
	for (int i = 0; i < nr; i++) {
		cs->index[i] = desc[i].index;
		cs->key[i] = -1;
		for (int k = 0; k < CALL_COUNTERS; k++)
			if (!strcmp(call_counter_keys[k], desc[i].key))
				cs->key[i] = k;
		if (cs->key[i] >= 0)
			report_measures(r, cs->key[i]);
	}
	cs->nr = nr;
	for (int k = 0; k < COUNTER_SAMPLERS; k++) {
		st->ctr_cookie[k] = (struct ctr_cookie){ st, k };
		report_on_event(r, counter_samplers[k][0], counter_samplers[k][1], on_ctr_sample,
				&st->ctr_cookie[k]);
	}
	return cs;
}

/* The call works on @fd: its path (or kernel name) and kind from the fd table, or why unknown */
static void path_from_fd(struct call *c, struct proc *p, int fd)
{
	const struct fd_entry *e = model_fd(p, fd);

	c->fd_kind = e ? e->kind : FD_UNKNOWN;
	if (e && e->path) {
		c->path = xstrdup(e->path);
		c->path_method = e->method;
		c->detail = e->detail ? xstrdup(e->detail) : NULL;
	} else {
		c->path_why = model_fd_why(p, fd);
	}
}

/* Why a path argument came without its string, by what the recording could have brought */
static const char *no_string_why(struct report *r, const struct sc_event *se)
{
	if (report_attr(r, "meta/syscall_source") &&
	    !strcmp(report_attr(r, "meta/syscall_source"), "raw_syscalls") &&
	    !report_path_covered(r, se->desc->name))
		return "no path string: raw_syscalls carry none, and no probe covers this syscall";
	if (se->str.valid)
		return "no path string: the kernel could not copy it (empty syscall string)";
	if (!report_path_covered(r, se->desc->name))
		return "no path string: no probe in this recording covers this syscall";
	return "no path string: not through a probed libc wrapper (loader, static binary, syscall(2))";
}

/*
 * The path string the syscall event carries (Linux 6.19+), or NULL when it
 * has none (the copy faulted, or the buffer size is 0).  The kernel copies
 * at most syscall_user_buf_size bytes and then ends the string in "...":
 * such a path is cut, so a complete one from a uprobe on the same pointer
 * wins, and a cut one is shown with its "..." and counted (a kprobe's
 * whole string during the call still replaces it: report_path_offer()).
 * Non-printable bytes come as '.' (the kernel's isprint()).
 */
static char *tracepoint_path(struct report *r, struct sc_event *se, const struct ftio_event *ev,
			     uint64_t uptr, int *method, bool *cut)
{
	struct decoder *dec = report_decoder(r);
	uint64_t loc = field_u64(dec, ev, &se->str_loc);
	unsigned int n = loc >> 16;
	const char *s;
	char *up;
	int len, m;

	s = n ? field_str(dec, ev, &se->str, &len) : NULL;
	if (!s)
		return NULL;
	if ((unsigned int)len + 1 != n || len < 3 || strncmp(s + len - 3, "...", 3) ||
	    (unsigned int)len < se->st->str_max + 3) {
		*method = PATH_TRACEPOINT;
		return xstrndup(s, len);
	}
	up = report_path_take(r, ev->pid, uptr, &m);
	if (up) {
		*method = m;
		return up;
	}
	report_count(r, "paths cut by the kernel's syscall string limit (shown ending in ...)", 1);
	*method = PATH_TRACEPOINT;
	*cut = true;
	return xstrndup(s, len);
}

static void on_sys_enter(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct sc_event *se = priv;
	const struct syscall_desc *d = se->desc;
	struct model *m = report_model(r);
	struct decoder *dec = report_decoder(r);
	struct task *t = model_task(m, ev->pid);
	struct proc *p = t->proc;
	struct call *c = report_current_call(r, ev->pid);

	if (c) {
		/* its exit was lost or never recorded */
		report_count(r, "calls without an exit (unpaired, not counted)", 1);
		intmap_del(report_inflight(r), ev->pid);
		call_put(se->st, c);
	}
	c = call_get(se->st);
	c->name = d->name;
	c->kind = d->kind;
	c->tid = ev->pid;
	c->pid = p->tgid;
	memcpy(c->comm, t->comm, sizeof(c->comm));
	c->uid = p->ruid;
	c->euid = p->euid;
	c->start_ns = ev->ts;
	c->cpu = ev->cpu;
	for (int i = 0; i < se->nargs; i++)
		c->args[i] = field_u64(dec, ev, &se->args[i]);

	if (d->path >= 0) {
		int method = PATH_NONE;
		bool cut = false;
		char *s = se->str.valid ? tracepoint_path(r, se, ev, c->args[d->path], &method, &cut)
					: NULL;

		if (!s)
			s = report_path_take(r, ev->pid, c->args[d->path], &method);

		c->path_uptr = c->args[d->path];
		c->dirfd = d->dirfd >= 0 ? (int)c->args[d->dirfd] : AT_FDCWD;
		if (s && !*s && d->dirfd >= 0) {
			/* "" with AT_EMPTY_PATH: the call works on the dirfd itself */
			free(s);
			s = NULL;
			path_from_fd(c, p, c->dirfd);
		} else if (s) {
			char *abs = model_resolve(p, c->dirfd, s);

			if (abs) {
				free(s);
				s = abs;
			}
			c->path = s;
			c->path_method = method;
			c->path_cut = cut;
		} else if (!c->path && !c->path_uptr && d->dirfd >= 0 && !strcmp(d->name, "utimensat")) {
			/* utimensat(fd, NULL, ...) is futimens(fd) */
			path_from_fd(c, p, c->dirfd);
		} else if (!c->path) {
			c->path_why = no_string_why(r, se);
		}
		if (!c->fd_kind)
			c->fd_kind = FD_FILE;
	} else if (d->fd >= 0) {
		path_from_fd(c, p, (int)c->args[d->fd]);
	}
	switch (d->kind) {
	case SC_NEWFD:
	case SC_NEWPAIR:
		/* what it makes; accept's listening socket lent it its name until the exit */
		c->fd_kind = d->fdkind;
		break;
	case SC_SETUID:
	case SC_SETREUID:
	case SC_SETRESUID:
	case SC_SETFSUID:
	case SC_OTHER:
		c->fd_kind = FD_NONE;
		break;
	}
	intmap_put(report_inflight(r), ev->pid, c);
}

static void apply_creds(struct proc *p, const struct call *c)
{
	/* -1 (as any width) leaves an id unchanged in setreuid/setresuid */
	long a0 = (int)c->args[0], a1 = (int)c->args[1], a2 = (int)c->args[2];

	switch (c->kind) {
	case SC_SETUID:
		if (p->euid == 0)
			p->ruid = p->suid = a0;
		p->euid = p->fsuid = a0;
		break;
	case SC_SETREUID:
		if (a0 != -1)
			p->ruid = a0;
		if (a1 != -1)
			p->euid = a1;
		if (a0 != -1 || a1 != -1)
			p->suid = p->euid;
		p->fsuid = p->euid;
		break;
	case SC_SETRESUID:
		if (a0 != -1)
			p->ruid = a0;
		if (a1 != -1)
			p->euid = a1;
		if (a2 != -1)
			p->suid = a2;
		p->fsuid = p->euid;
		break;
	case SC_SETFSUID:
		/* returns the old fsuid whether or not it changed: best effort */
		p->fsuid = a0;
		break;
	}
}

static void apply_effects(struct report *r, struct sc_state *st, struct proc *p, struct call *c)
{
	int fd = (int)c->args[0];

	switch (c->kind) {
	case SC_OPEN: {
		const struct syscall_desc *d = syscall_find(c->name);
		bool cloexec = d && d->flags >= 0 && (c->args[d->flags] & O_CLOEXEC);

		if (!c->err)
			model_fd_set(p, (int)c->ret, c->path, c->path_method, cloexec);
		break;
	}
	case SC_CLOSE:
		if (c->err != EBADF)
			model_fd_close(p, fd);
		break;
	case SC_CLOSE_RANGE:
		if (!c->err && !(c->args[2] & CLOSE_RANGE_CLOEXEC))
			model_fd_close_range(p, c->args[0], c->args[1]);
		break;
	case SC_DUP:
		if (!c->err)
			model_fd_dup(p, fd, (int)c->ret, false);
		break;
	case SC_DUP2:
		if (!c->err)
			model_fd_dup(p, fd, (int)c->args[1],
				     !strcmp(c->name, "dup3") && (c->args[2] & O_CLOEXEC));
		break;
	case SC_FCNTL:
		if (c->err)
			break;
		if (c->args[1] == F_DUPFD || c->args[1] == F_DUPFD_CLOEXEC)
			model_fd_dup(p, fd, (int)c->ret, c->args[1] == F_DUPFD_CLOEXEC);
		else if (c->args[1] == F_SETFD)
			model_fd_set_cloexec(p, fd, c->args[2] & FD_CLOEXEC);
		break;
	case SC_CHDIR:
		if (!c->err)
			model_chdir(p, c->path && c->path[0] == '/' ? c->path : NULL);
		break;
	case SC_FCHDIR:
		if (!c->err)
			model_chdir(p, c->path && c->path[0] == '/' ? c->path : NULL);
		break;
	case SC_READ:
	case SC_WRITE:
	case SC_COPY:
		if (!c->err)
			c->bytes = c->ret;
		break;
	case SC_SETUID:
	case SC_SETREUID:
	case SC_SETRESUID:
	case SC_SETFSUID:
		if (!c->err)
			apply_creds(p, c);
		break;
	case SC_CHROOT:
		if (!c->err)
			model_chroot(p, c->path && c->path[0] == '/' ? c->path : NULL);
		break;
	case SC_NEWFD:
		if (!c->err)
			fd_newfd_effect(r, &st->next_obj, p, c);
		break;
	case SC_NEWPAIR:
		if (!c->err)
			fd_newpair_effect(r, &st->next_obj, p, c);
		break;
	}
	if (c->err == EBADF && !c->path && c->path_why && c->path_uptr == 0)
		c->path_why = "fd not open (EBADF)";
}

static void on_sys_exit(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct sc_event *se = priv;
	struct model *m = report_model(r);
	struct call *c = intmap_del(report_inflight(r), ev->pid);
	int64_t ret;

	if (!c) {
		report_pairing(r, PAIR_EXIT_NO_ENTER, 1);
		return;
	}
	if (c->name != se->desc->name) {
		report_count(r, "calls without an exit (unpaired, not counted)", 1);
		call_put(se->st, c);
		return;
	}
	ret = field_s64(report_decoder(r), ev, &se->ret);
	c->ret = ret;
	c->err = ret < 0 && ret >= -4095 ? (int)-ret : 0;
	c->latency_ns = ev->ts >= c->start_ns ? ev->ts - c->start_ns : 0;
	apply_effects(r, se->st, model_task(m, ev->pid)->proc, c);
	c->mount = fd_kind_is_nonfile(c->fd_kind) ? NULL : model_mount(m, c->path);
	call_finish(r, se->st, c);
}

/*
 * An exec by a thread other than the leader takes the leader's tid
 * (de_thread): its execve, in flight on the old tid, exits on the new one
 */
static void on_exec(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct sc_state *st = priv;
	struct decoder *dec = report_decoder(r);
	int pid = (int)field_s64(dec, ev, &st->exec_pid);
	int old = (int)field_s64(dec, ev, &st->exec_old_pid);
	struct call *c, *gone;

	if (!st->exec_old_pid.valid || old == pid || !(c = intmap_del(report_inflight(r), old)))
		return;
	c->tid = pid;
	gone = intmap_put(report_inflight(r), pid, c);
	if (gone) {
		report_count(r, "calls of a thread an exec replaced (unpaired, not counted)", 1);
		call_put(st, gone);
	}
}

static void on_raw_enter(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct sc_state *st = priv;
	struct sc_event *se = intmap_get(&st->raw->by_nr,
					 field_u64(report_decoder(r), ev, &st->raw->id_enter));

	/* the kernel's filter lets only the table's ids through; a counter sample has no id check */
	if (se && !ev->nr_values)
		on_sys_enter(r, ev, se);
}

static void on_raw_exit(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct sc_state *st = priv;
	struct sc_event *se = intmap_get(&st->raw->by_nr,
					 field_u64(report_decoder(r), ev, &st->raw->id_exit));

	if (se && !ev->nr_values)
		on_sys_exit(r, ev, se);
}

/*
 * A recording of the raw_syscalls source: one sc_event per table name the
 * recorded architecture has, its arguments the first nargs of args[],
 * each sizeof(long) of the recorded kernel.  Returns false when the
 * recording is not one.
 */
static bool raw_init(struct report *r, struct sc_state *st)
{
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	struct tep_event *enter = tep_find_event_by_name(tep, "raw_syscalls", "sys_enter");
	struct tep_event *exit = tep_find_event_by_name(tep, "raw_syscalls", "sys_exit");
	const char *src = report_attr(r, "meta/syscall_source");
	struct raw_state *raw;
	struct field_ref args, ret;
	int el;

	if (!src || strcmp(src, "raw_syscalls") || !enter || !exit)
		return false;
	raw = xcalloc(1, sizeof(*raw));
	raw->arch = syscall_arch_find(report_attr(r, "meta/arch"));
	field_ref_init(&raw->id_enter, enter, "id");
	field_ref_init(&raw->id_exit, exit, "id");
	field_ref_init(&args, enter, "args");
	field_ref_init(&ret, exit, "ret");
	el = args.size / MAX_ARGS;
	st->raw = raw;
	if (!raw->arch) {
		report_count(r, "raw syscalls of an architecture ftio has no table for (not decoded)", 1);
		return true;
	}
	for (const struct syscall_nr *n = raw->arch->nrs; n->name; n++) {
		const struct syscall_desc *d = syscall_find(n->name);
		struct sc_event *se;

		if (!d)
			continue;
		se = &st->events[st->nr_events++];
		se->desc = d;
		se->st = st;
		se->ret = ret;
		se->nargs = d->nargs;
		for (int i = 0; i < d->nargs && args.valid && el > 0; i++) {
			se->args[i] = args;
			se->args[i].offset = args.offset + i * el;
			se->args[i].size = el;
		}
		intmap_put(&raw->by_nr, n->nr, se);
	}
	report_on_event(r, "raw_syscalls", "sys_enter", on_raw_enter, st);
	report_on_event(r, "raw_syscalls", "sys_exit", on_raw_exit, st);
	return true;
}

static void *syscalls_report_init(struct report *r)
{
	struct sc_state *st = xcalloc(1, sizeof(*st));
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	size_t n = 0;

	for (const struct syscall_desc *d = syscall_table; d->name; d++)
		n += 2;
	st->events = xcalloc(n, sizeof(*st->events));
	st->ctr = ctr_init(r, st);
	/* without the attribute: the kernel's default, 63 */
	st->str_max = report_attr_u64(r, "meta/syscall_user_buf_size", 63);
	{
		struct tep_event *e = tep_find_event_by_name(tep, "sched", "sched_process_exec");

		field_ref_init(&st->exec_pid, e, "pid");
		field_ref_init(&st->exec_old_pid, e, "old_pid");
		if (e)
			report_on_event(r, "sched", "sched_process_exec", on_exec, st);
	}
	if (raw_init(r, st))
		return st;
	for (const struct syscall_desc *d = syscall_table; d->name; d++) {
		for (int exit = 0; exit < 2; exit++) {
			char name[96];
			struct tep_event *e;
			struct sc_event *se;

			snprintf(name, sizeof(name), "sys_%s_%s", exit ? "exit" : "enter", d->name);
			e = tep_find_event_by_name(tep, "syscalls", name);
			if (!e)
				continue;
			se = &st->events[st->nr_events++];
			se->desc = d;
			se->st = st;
			if (exit) {
				field_ref_init(&se->ret, e, "ret");
				report_on_event(r, "syscalls", name, on_sys_exit, se);
			} else {
				struct tep_format_field **f = tep_event_fields(e);
				const char *path_arg = NULL;

				for (int i = 0; f && f[i] && se->nargs < MAX_ARGS; i++) {
					if (!strcmp(f[i]->name, "__syscall_nr") ||
					    (f[i]->flags & TEP_FIELD_IS_DYNAMIC))
						continue;
					if (se->nargs == d->path)
						path_arg = f[i]->name;
					field_ref_init(&se->args[se->nargs++], e, f[i]->name);
				}
				for (int i = 0; f && f[i] && path_arg; i++) {
					const char *fn = f[i]->name;
					size_t al = strlen(path_arg);

					/* "__<arg>_val", the string of that argument */
					if ((f[i]->flags & TEP_FIELD_IS_DYNAMIC) && !strncmp(fn, "__", 2) &&
					    !strncmp(fn + 2, path_arg, al) && !strcmp(fn + 2 + al, "_val")) {
						field_ref_init(&se->str, e, fn);
						se->str_loc = se->str;
						se->str_loc.is_dynamic = false;
						se->str_loc.size = 4;
					}
				}
				free(f);
				report_on_event(r, "syscalls", name, on_sys_enter, se);
			}
		}
	}
	return st;
}

static void syscalls_report_finish(struct report *r, void *state)
{
	struct sc_state *st = state;
	uint64_t k;
	void *v;

	if (st->ctr) {
		for (size_t i = 0; intmap_next(&st->ctr->threads, &i, &k, &v);) {
			struct ctr_thread *t = v;

			ctr_flush(r, st, t);
			free(t->last);
			free(t->have);
			free(t);
		}
		intmap_release(&st->ctr->threads);
		free(st->ctr);
	}
	for (size_t i = 0; intmap_next(report_inflight(r), &i, &k, &v);) {
		report_count(r, "calls still open at the end of the recording", 1);
		call_put(st, v);
	}
	intmap_release(report_inflight(r));
	while (st->free_calls) {
		struct call *c = st->free_calls;

		st->free_calls = *(struct call **)c;
		free(c);
	}
	if (st->raw) {
		intmap_release(&st->raw->by_nr);
		free(st->raw);
	}
	free(st->events);
	free(st);
}

const struct ftio_layer layer_syscalls = {
	.name = "syscalls",
	.summary = "file-related syscalls (open/read/write/stat/...), process lifecycle",
	.plan = syscalls_plan,
	.report_init = syscalls_report_init,
	.report_finish = syscalls_report_finish,
};
