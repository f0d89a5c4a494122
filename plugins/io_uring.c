// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring layer: asynchronous file I/O, one request per submission.
 * io_uring_submit_req (in the submitting task, or its SQPOLL thread)
 * opens a request keyed by (ring, request pointer); io_uring_file_get
 * names its fd, io_uring_queue_async_work and io_uring_poll_arm say it
 * left the inline path, io_uring_req_failed opens a request that failed
 * before it was submitted, and io_uring_complete closes it with its
 * result.  Requests never pass through a syscall of their own, so they
 * are reported apart ("Asynchronous I/O"), their denials go to the audit
 * with the engine named, and an OPENAT's fd enters the fd model.
 *
 * Linux AIO is counted here too, from the io_submit and io_getevents
 * syscalls: each returns how many iocbs it submitted or reaped.  The
 * iocbs themselves (opcode, fd, buffer) are in user memory that no
 * tracepoint copies, so AIO has counts and no per-request latency.
 *
 * Ring pointers are kernel addresses of the recorded machine: they are
 * keys, never shown.  Opcode names come from the event's op_str and are
 * escaped like any kernel string.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/strbuf.h>
#include <ftio/strmap.h>
#include <ftio/util.h>

#define NR_OPS 256
#define IOSQE_FIXED_FILE 1ULL
#define IORING_CQE_F_MORE 2U
#define ENGINE "io_uring"

static const char *const sync_events[] = {
	"io_uring_create", "io_uring_submit_req", "io_uring_queue_async_work",
	"io_uring_file_get", "io_uring_req_failed", "io_uring_poll_arm",
	"io_uring_cqring_wait", "io_uring_short_write", "io_uring_register", NULL,
};

static void uring_plan(struct record_plan *p)
{
	plan_add_events(p, "io_uring", sync_events);
	/*
	 * Most completions run as task work of the submitter, but a request
	 * can complete in an interrupt or another task's context
	 */
	plan_add_async_event(p, "io_uring", "io_uring_complete");
	/* Linux AIO: the calls say how many iocbs went in and came out */
	plan_add_event(p, "syscalls", "sys_enter_io_submit");
	/* its block requests are the iocbs' (block layer) */
	plan_add_event(p, "syscalls", "sys_exit_io_submit");
	plan_add_event(p, "syscalls", "sys_enter_io_getevents");
	plan_add_event(p, "syscalls", "sys_exit_io_getevents");
	plan_add_event(p, "syscalls", "sys_exit_io_pgetevents");
}

enum op_kind { OP_OTHER, OP_RW, OP_OPEN, OP_CLOSE };

enum req_mode { MODE_INLINE, MODE_IOWQ, MODE_POLL, MODES };

static const char *const mode_names[MODES] = { "inline", "io-wq", "poll" };

struct op_stats {
	char *name;		/* op_str as the kernel spelled it */
	enum op_kind kind;
	uint64_t count, errors, bytes, total_ns, max_ns;
	uint64_t modes[MODES];
	struct hist lat, depth;
};

struct ring {
	uint64_t inflight;
	int pid, fd;		/* who created it, its fd; 0/-1 when before the capture */
};

struct request {
	uint64_t ts, ctx;
	unsigned int op;
	uint64_t flags;
	int tid, pid, worker, fd;
	long uid, euid;
	char comm[16];
	enum req_mode mode;
	bool sq_thread, failed_init;
	int init_error;
	/* the children lower layers attribute to it (report_request_add) */
	struct call *owner;
	uint64_t id;
};

/* A process's requests punted to io-wq: its workers' I/O is theirs when one is */
struct punted {
	uint64_t n, id;
};

/* A finished request kept for "Slowest async requests" */
struct slow {
	struct call c;		/* name: the opcode; path owned */
	const char *mode;
	int worker, ring_pid, ring_fd, fd;
	bool sq_thread;
};

/* A process's or a file's requests, apart from its syscalls */
struct async_agg {
	uint64_t count, errors, bytes, total_ns;
	int pid;
	long uid;
	char comm[16];
};

struct uring_state {
	struct intmap by_proc;		/* tgid -> struct async_agg */
	struct strmap by_file;		/* path -> struct async_agg */
	struct intmap pending;		/* key(ctx, req) -> struct request */
	struct intmap rings;		/* ctx -> struct ring */
	struct intmap punted;		/* tgid -> struct punted */
	struct op_stats ops[NR_OPS];
	struct slow *slow;
	size_t nr_slow, max_slow;
	struct field_ref cr_ctx, cr_fd;
	struct field_ref s_ctx, s_req, s_op, s_flags, s_sqt, s_opstr;
	struct field_ref q_ctx, q_req;
	struct field_ref f_ctx, f_req, f_fd;
	struct field_ref p_ctx, p_req;
	struct field_ref x_ctx, x_req, x_op, x_err, x_opstr;
	struct field_ref c_ctx, c_req, c_res, c_cflags;
	struct field_ref aio_ret, aio_nr;
	uint64_t completions, unmatched, no_req, replaced, filtered;
	uint64_t waits, short_writes, registers, worker_done;
	uint64_t fixed_files, no_file, open_no_path, close_untracked;
	/* Linux AIO */
	uint64_t aio_calls, aio_iocbs, aio_failed, aio_reaped, aio_asked;
	struct hist aio_batch;
	/* the block requests io_submit issued: their queue-to-completion time */
	struct intmap aio_procs;	/* tgid -> struct aio_proc */
	uint64_t aio_rqs, aio_bytes, aio_rq_errors, aio_capped, aio_max_ns;
	struct hist aio_lat;
	bool recorded;
};

static uint64_t req_key(uint64_t ctx, uint64_t req)
{
	return req * 0x9e3779b97f4a7c15ULL ^ ctx;
}

static enum op_kind op_kind_of(const char *name)
{
	static const char *const rw[] = {
		"READV", "WRITEV", "READ_FIXED", "WRITE_FIXED", "READ", "WRITE", "SENDMSG",
		"RECVMSG", "SEND", "RECV", "SPLICE", "TEE", "SEND_ZC", "SENDMSG_ZC",
		"READ_MULTISHOT", "READV_FIXED", "WRITEV_FIXED", NULL,
	};

	for (int i = 0; rw[i]; i++)
		if (!strcmp(rw[i], name))
			return OP_RW;
	if (!strcmp(name, "OPENAT") || !strcmp(name, "OPENAT2"))
		return OP_OPEN;
	if (!strcmp(name, "CLOSE"))
		return OP_CLOSE;
	return OP_OTHER;
}

/* The opcode's stats, named the first time from the event's op_str */
static struct op_stats *op_get(struct uring_state *st, struct report *r,
			       const struct ftio_event *ev, unsigned int op,
			       const struct field_ref *opstr)
{
	struct op_stats *o = &st->ops[op % NR_OPS];
	const char *s;
	int len = 0;

	if (o->name)
		return o;
	s = field_str(report_decoder(r), ev, opstr, &len);
	if (s && len > 0 && len < 32)
		o->name = xstrndup(s, len);
	else
		o->name = xasprintf("OP_%u", op);
	o->kind = op_kind_of(o->name);
	hist_init(&o->lat);
	hist_init(&o->depth);
	return o;
}

static struct ring *ring_get(struct uring_state *st, uint64_t ctx)
{
	struct ring *g = intmap_get(&st->rings, ctx);

	if (!g) {
		g = xcalloc(1, sizeof(*g));
		g->fd = -1;
		intmap_put(&st->rings, ctx, g);
	}
	return g;
}

static void on_create(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct decoder *d = report_decoder(r);
	struct ring *g = ring_get(st, field_u64(d, ev, &st->cr_ctx));

	g->pid = model_task(report_model(r), ev->pid)->proc->tgid;
	g->fd = (int)field_s64(d, ev, &st->cr_fd);
}

static void punted_done(struct report *r, struct uring_state *st, struct request *q)
{
	struct punted *pu = intmap_get(&st->punted, q->pid);

	if (!pu || !pu->n)
		return;
	pu->n--;
	/* the one left is not known: its workers' I/O stays unattributed */
	pu->id = 0;
	report_request_issuing(r, -q->pid, 0);
}

/* Forgets @q, its children too (unless req_done took them) */
static void req_free(struct report *r, struct uring_state *st, struct request *q)
{
	if (report_request_issuing_on(r, q->tid) == q->id)
		report_request_issuing(r, q->tid, 0);
	if (q->mode == MODE_IOWQ)
		punted_done(r, st, q);
	report_request_del(r, q->id);
	if (q->owner)
		free(q->owner->children);
	free(q->owner);
	free(q);
}

static void req_put(struct report *r, struct uring_state *st, uint64_t ctx, uint64_t req,
		    struct request *q)
{
	struct request *old = intmap_put(&st->pending, req_key(ctx, req), q);

	if (old) {
		/* the pointer was reused: its completion was never seen */
		struct ring *g = ring_get(st, old->ctx);

		st->replaced++;
		if (g->inflight)
			g->inflight--;
		req_free(r, st, old);
	}
}

/* A request opened by @ev on its ring; its slot's old request lost its completion */
static struct request *req_open(struct report *r, struct uring_state *st,
				const struct ftio_event *ev, uint64_t ctx, uint64_t req)
{
	struct task *t = model_task(report_model(r), ev->pid);
	struct request *q = xcalloc(1, sizeof(*q));

	q->ts = ev->ts;
	q->ctx = ctx;
	q->tid = ev->pid;
	q->pid = t->proc->tgid;
	q->uid = t->proc->ruid;
	q->euid = t->proc->euid;
	q->fd = -1;
	memcpy(q->comm, t->comm, sizeof(q->comm));
	q->owner = xcalloc(1, sizeof(*q->owner));
	q->owner->start_ns = ev->ts;
	q->id = report_request_add(r, q->owner);
	req_put(r, st, ctx, req, q);
	ring_get(st, ctx)->inflight++;
	/* what the thread does until its next request or wait is this one's */
	report_request_issuing(r, ev->pid, q->id);
	return q;
}

static void on_submit(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint64_t ctx = field_u64(d, ev, &st->s_ctx), req = field_u64(d, ev, &st->s_req);
	struct request *q = intmap_get(&st->pending, req_key(ctx, req));
	struct op_stats *o;

	if (q && q->failed_init)
		return;		/* req_failed opened it: no submit follows, but be safe */
	q = req_open(r, st, ev, ctx, req);
	q->op = field_u64(d, ev, &st->s_op) % NR_OPS;
	q->flags = field_u64(d, ev, &st->s_flags);
	q->sq_thread = field_u64(d, ev, &st->s_sqt);
	o = op_get(st, r, ev, q->op, &st->s_opstr);
	hist_add(&o->depth, ring_get(st, ctx)->inflight);
}

static struct request *req_find(struct report *r, struct uring_state *st,
				const struct ftio_event *ev, const struct field_ref *ctx,
				const struct field_ref *req)
{
	struct decoder *d = report_decoder(r);

	return intmap_get(&st->pending, req_key(field_u64(d, ev, ctx), field_u64(d, ev, req)));
}

static void on_file_get(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct request *q = req_find(r, st, ev, &st->f_ctx, &st->f_req);

	if (q)
		q->fd = (int)field_s64(report_decoder(r), ev, &st->f_fd);
}

static void on_async(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct request *q = req_find(r, st, ev, &st->q_ctx, &st->q_req);
	struct punted *pu;

	if (!q || q->mode == MODE_IOWQ)
		return;
	q->mode = MODE_IOWQ;
	pu = intmap_get(&st->punted, q->pid);
	if (!pu) {
		pu = xcalloc(1, sizeof(*pu));
		intmap_put(&st->punted, q->pid, pu);
	}
	pu->id = pu->n++ ? 0 : q->id;
	report_request_issuing(r, -q->pid, pu->id);
}

static void on_poll(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct request *q = req_find(r, st, ev, &st->p_ctx, &st->p_req);

	if (q)
		q->mode = MODE_POLL;
}

/* Failed before submission (a bad SQE, an unknown opcode): its CQE still comes */
static void on_failed(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint64_t ctx = field_u64(d, ev, &st->x_ctx), req = field_u64(d, ev, &st->x_req);
	struct request *q = intmap_get(&st->pending, req_key(ctx, req));

	if (q) {
		q->init_error = (int)field_s64(d, ev, &st->x_err);
		return;
	}
	q = req_open(r, st, ev, ctx, req);
	q->op = field_u64(d, ev, &st->x_op) % NR_OPS;
	q->failed_init = true;
	q->init_error = (int)field_s64(d, ev, &st->x_err);
	op_get(st, r, ev, q->op, &st->x_opstr);
	hist_add(&st->ops[q->op].depth, ring_get(st, ctx)->inflight);
}

/* The request's file, or why it has none */
static void req_path(struct report *r, struct uring_state *st, const struct request *q,
		     const struct op_stats *o, struct call *c)
{
	struct proc *p = model_task(report_model(r), q->tid)->proc;
	const struct fd_entry *e;

	if (o->kind == OP_OPEN) {
		st->open_no_path++;
		c->path_why = "io_uring OPENAT: its path is in user memory no tracepoint of this kernel copies";
		return;
	}
	if (q->fd < 0) {
		if (q->flags & IOSQE_FIXED_FILE) {
			st->fixed_files++;
			c->path_why = "registered (fixed) file: the events do not name the file behind the index";
		} else if (o->kind == OP_RW) {
			st->no_file++;
			c->path_why = "io_uring request without io_uring_file_get";
		}
		return;
	}
	e = model_fd(p, q->fd);
	if (e && e->path) {
		c->path = xstrdup(e->path);
		c->path_method = e->method;
	} else {
		c->path_why = e ? "fd opened without a known path"
				: "fd opened before the capture and not in the snapshot";
	}
}

static int slow_cmp_min(const struct uring_state *st)
{
	size_t m = 0;

	for (size_t i = 1; i < st->nr_slow; i++)
		if (st->slow[i].c.latency_ns < st->slow[m].c.latency_ns)
			m = i;
	return (int)m;
}

static void slow_add(struct uring_state *st, const struct call *c, const struct request *q,
		     int worker)
{
	struct slow *s;
	struct ring *g = intmap_get(&st->rings, q->ctx);

	if (st->nr_slow < st->max_slow) {
		s = &st->slow[st->nr_slow++];
	} else {
		int m = slow_cmp_min(st);

		if (!st->max_slow || st->slow[m].c.latency_ns >= c->latency_ns)
			return;
		s = &st->slow[m];
		free(s->c.path);
		free(s->c.children);
	}
	s->c = *c;
	s->c.path = c->path ? xstrdup(c->path) : NULL;
	if (c->nr_children) {
		s->c.children = xmalloc(c->nr_children * sizeof(*c->children));
		memcpy(s->c.children, c->children, c->nr_children * sizeof(*c->children));
	}
	s->mode = mode_names[q->mode];
	s->worker = worker;
	s->ring_pid = g ? g->pid : 0;
	s->ring_fd = g ? g->fd : -1;
	s->fd = q->fd;
	s->sq_thread = q->sq_thread;
}

static void agg_one(struct async_agg *a, const struct call *c)
{
	a->count++;
	a->errors += c->err != 0;
	a->bytes += c->bytes;
	a->total_ns += c->latency_ns;
	a->pid = c->pid;
	a->uid = c->uid;
	memcpy(a->comm, c->comm, sizeof(a->comm));
}

static void agg_add(struct uring_state *st, const struct call *c)
{
	struct async_agg *a = intmap_get(&st->by_proc, c->pid);

	if (!a) {
		a = xcalloc(1, sizeof(*a));
		intmap_put(&st->by_proc, c->pid, a);
	}
	agg_one(a, c);
	if (c->path) {
		struct strmap_entry *e = strmap_insert(&st->by_file, c->path, strlen(c->path),
						       NULL, NULL);

		if (!e->val)
			e->val = xcalloc(1, sizeof(struct async_agg));
		agg_one(e->val, c);
	}
}

static void req_done(struct report *r, struct uring_state *st, const struct ftio_event *ev,
		     struct request *q, int64_t res, bool more)
{
	struct op_stats *o = &st->ops[q->op];
	struct call c = { 0 };
	int worker = ev->pid != q->tid ? ev->pid : 0;

	if (!o->name) {
		o->name = xasprintf("OP_%u", q->op);
		hist_init(&o->lat);
		hist_init(&o->depth);
	}
	c.name = o->name;
	c.tid = q->tid;
	c.pid = q->pid;
	memcpy(c.comm, q->comm, sizeof(c.comm));
	c.uid = q->uid;
	c.euid = q->euid;
	c.start_ns = q->ts;
	c.latency_ns = ev->ts >= q->ts ? ev->ts - q->ts : 0;
	c.ret = res;
	c.err = res < 0 && res >= -4095 ? (int)-res : 0;
	c.args[0] = (uint64_t)(int64_t)q->fd;
	c.cpu = ev->cpu;
	if (q->owner && !more) {
		c.children = q->owner->children;
		c.nr_children = q->owner->nr_children;
		q->owner->children = NULL;
		q->owner->nr_children = 0;
	}
	req_path(r, st, q, o, &c);
	c.mount = model_mount(report_model(r), c.path);
	if (o->kind == OP_RW && res > 0)
		c.bytes = res;
	if (worker)
		st->worker_done++;

	/* the model moves whether or not the filters keep the request */
	if (o->kind == OP_OPEN && res >= 0)
		model_fd_set(model_task(report_model(r), q->tid)->proc, (int)res, NULL, PATH_NONE,
			     false);
	else if (o->kind == OP_CLOSE && !c.err)
		st->close_untracked++;

	if (!report_request_passes(r, &c, ENGINE)) {
		st->filtered++;
		free(c.path);
		free(c.children);
		return;
	}
	o->count++;
	o->modes[q->mode]++;
	o->bytes += c.bytes;
	o->total_ns += c.latency_ns;
	if (c.latency_ns > o->max_ns)
		o->max_ns = c.latency_ns;
	hist_add(&o->lat, c.latency_ns);
	if (c.err) {
		o->errors++;
		if (c.err == EACCES || c.err == EPERM)
			report_add_denial(r, &c, ENGINE);
	}
	agg_add(st, &c);
	slow_add(st, &c, q, worker);
	free(c.path);
	free(c.children);
}

static void on_complete(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint64_t ctx = field_u64(d, ev, &st->c_ctx), req = field_u64(d, ev, &st->c_req);
	unsigned int cflags = field_u64(d, ev, &st->c_cflags);
	struct request *q;
	struct ring *g;

	st->completions++;
	if (!req) {
		/* an auxiliary CQE (msg_ring, multishot extras) has no request */
		st->no_req++;
		return;
	}
	q = (cflags & IORING_CQE_F_MORE) ? intmap_get(&st->pending, req_key(ctx, req))
					 : intmap_del(&st->pending, req_key(ctx, req));
	if (!q) {
		/* another ring than the ones traced (this event is not filtered) */
		if (intmap_get(&st->rings, ctx))
			st->unmatched++;
		return;
	}
	req_done(r, st, ev, q, field_s64(d, ev, &st->c_res), cflags & IORING_CQE_F_MORE);
	if (cflags & IORING_CQE_F_MORE)
		return;
	g = ring_get(st, ctx);
	if (g->inflight)
		g->inflight--;
	req_free(r, st, q);
}

static void on_wait(struct report *r, const struct ftio_event *ev, void *priv)
{
	((struct uring_state *)priv)->waits++;
	/* waiting for completions: the thread issues nothing more */
	report_request_issuing(r, ev->pid, 0);
}

static void on_short_write(struct report *r, const struct ftio_event *ev, void *priv)
{
	((struct uring_state *)priv)->short_writes++;
}

static void on_register(struct report *r, const struct ftio_event *ev, void *priv)
{
	((struct uring_state *)priv)->registers++;
}

/*
 * A process's io_submit calls as one owner of children: the block layer
 * attributes the requests queued inside io_submit to it, and they are
 * taken from it at the process's next io_submit or io_getevents
 */
struct aio_proc {
	struct call *owner;
	uint64_t id;
};

static void aio_drain(struct uring_state *st, struct aio_proc *ap)
{
	struct call *o = ap->owner;

	/* call_add_child keeps 64: a full owner may have lost some */
	st->aio_capped += o->nr_children >= 64;
	for (unsigned int i = 0; i < o->nr_children; i++) {
		const struct call_child *ch = &o->children[i];

		if (strcmp(ch->layer, "block"))
			continue;
		st->aio_rqs++;
		st->aio_bytes += ch->bytes;
		st->aio_rq_errors += ch->error != 0;
		if (ch->latency_ns > st->aio_max_ns)
			st->aio_max_ns = ch->latency_ns;
		hist_add(&st->aio_lat, ch->latency_ns);
	}
	o->nr_children = 0;
}

static struct aio_proc *aio_proc_get(struct report *r, struct uring_state *st, int tid)
{
	int tgid = model_task(report_model(r), tid)->proc->tgid;
	struct aio_proc *ap = intmap_get(&st->aio_procs, tgid);

	if (!ap) {
		ap = xcalloc(1, sizeof(*ap));
		ap->owner = xcalloc(1, sizeof(*ap->owner));
		ap->id = report_request_add(r, ap->owner);
		intmap_put(&st->aio_procs, tgid, ap);
	}
	return ap;
}

static void on_aio_enter(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	struct aio_proc *ap = aio_proc_get(r, st, ev->pid);

	aio_drain(st, ap);
	ap->owner->start_ns = ev->ts;
	report_request_issuing(r, ev->pid, ap->id);
}

static void on_aio_submit(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	int64_t ret = field_s64(report_decoder(r), ev, &st->aio_ret);
	struct aio_proc *ap = intmap_get(&st->aio_procs,
					 model_task(report_model(r), ev->pid)->proc->tgid);

	if (ap && report_request_issuing_on(r, ev->pid) == ap->id)
		report_request_issuing(r, ev->pid, 0);
	st->aio_calls++;
	if (ret < 0) {
		st->aio_failed++;
		return;
	}
	st->aio_iocbs += ret;
	hist_add(&st->aio_batch, ret);
}

static void on_aio_reap(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct uring_state *st = priv;
	int64_t ret = field_s64(report_decoder(r), ev, &st->aio_ret);
	struct aio_proc *ap = intmap_get(&st->aio_procs,
					 model_task(report_model(r), ev->pid)->proc->tgid);

	if (ap)
		aio_drain(st, ap);
	if (ret > 0)
		st->aio_reaped += ret;
}

static void refs(struct tep_handle *tep, const char *event, struct field_ref *const *f,
		 const char *const *names)
{
	struct tep_event *e = tep_find_event_by_name(tep, "io_uring", event);

	for (int i = 0; names[i]; i++)
		field_ref_init(f[i], e, names[i]);
}

static void *uring_report_init(struct report *r)
{
	struct uring_state *st = xcalloc(1, sizeof(*st));
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	struct tep_event *e;

	refs(tep, "io_uring_create", (struct field_ref *[]){ &st->cr_ctx, &st->cr_fd },
	     (const char *[]){ "ctx", "fd", NULL });
	refs(tep, "io_uring_submit_req",
	     (struct field_ref *[]){ &st->s_ctx, &st->s_req, &st->s_op, &st->s_flags, &st->s_sqt,
				     &st->s_opstr },
	     (const char *[]){ "ctx", "req", "opcode", "flags", "sq_thread", "op_str", NULL });
	refs(tep, "io_uring_queue_async_work", (struct field_ref *[]){ &st->q_ctx, &st->q_req },
	     (const char *[]){ "ctx", "req", NULL });
	refs(tep, "io_uring_file_get", (struct field_ref *[]){ &st->f_ctx, &st->f_req, &st->f_fd },
	     (const char *[]){ "ctx", "req", "fd", NULL });
	refs(tep, "io_uring_poll_arm", (struct field_ref *[]){ &st->p_ctx, &st->p_req },
	     (const char *[]){ "ctx", "req", NULL });
	refs(tep, "io_uring_req_failed",
	     (struct field_ref *[]){ &st->x_ctx, &st->x_req, &st->x_op, &st->x_err, &st->x_opstr },
	     (const char *[]){ "ctx", "req", "opcode", "error", "op_str", NULL });
	refs(tep, "io_uring_complete",
	     (struct field_ref *[]){ &st->c_ctx, &st->c_req, &st->c_res, &st->c_cflags },
	     (const char *[]){ "ctx", "req", "res", "cflags", NULL });
	st->recorded = tep_find_event_by_name(tep, "io_uring", "io_uring_submit_req") != NULL;
	hist_init(&st->aio_batch);
	hist_init(&st->aio_lat);
	st->max_slow = report_top(r);
	st->slow = xcalloc(st->max_slow ? st->max_slow : 1, sizeof(*st->slow));

	report_on_event(r, "io_uring", "io_uring_create", on_create, st);
	report_on_event(r, "io_uring", "io_uring_submit_req", on_submit, st);
	report_on_event(r, "io_uring", "io_uring_file_get", on_file_get, st);
	report_on_event(r, "io_uring", "io_uring_queue_async_work", on_async, st);
	report_on_event(r, "io_uring", "io_uring_poll_arm", on_poll, st);
	report_on_event(r, "io_uring", "io_uring_req_failed", on_failed, st);
	report_on_event(r, "io_uring", "io_uring_complete", on_complete, st);
	report_on_event(r, "io_uring", "io_uring_cqring_wait", on_wait, st);
	report_on_event(r, "io_uring", "io_uring_short_write", on_short_write, st);
	report_on_event(r, "io_uring", "io_uring_register", on_register, st);

	e = tep_find_event_by_name(tep, "syscalls", "sys_exit_io_submit");
	if (e) {
		/* every sys_exit_ event has its "ret" at one place */
		field_ref_init(&st->aio_ret, e, "ret");
		report_on_event(r, "syscalls", "sys_enter_io_submit", on_aio_enter, st);
		report_on_event(r, "syscalls", "sys_exit_io_submit", on_aio_submit, st);
		report_on_event(r, "syscalls", "sys_exit_io_getevents", on_aio_reap, st);
		report_on_event(r, "syscalls", "sys_exit_io_pgetevents", on_aio_reap, st);
	}
	return st;
}

static void uring_report_finish(struct report *r, void *state)
{
	struct uring_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->aio_procs, &i, &k, &v);)
		aio_drain(st, v);
	if (st->aio_capped)
		report_count(r, "aio: io_submit batches with 64 block requests or more (the rest not timed)",
			     st->aio_capped);

	if (st->pending.len)
		report_count(r, "io_uring requests in flight at the end (not counted)",
			     st->pending.len);
	if (st->unmatched)
		report_count(r, "io_uring completions without their submission", st->unmatched);
	if (st->replaced)
		report_count(r, "io_uring requests whose completion was lost", st->replaced);
	if (st->open_no_path)
		report_count(r, "io_uring opens with an unknown path (no tracepoint copies it)",
			     st->open_no_path);
	if (st->fixed_files)
		report_count(r, "io_uring requests on registered files (file unknown)",
			     st->fixed_files);
	if (st->close_untracked)
		report_count(r, "io_uring closes (their fd is not traced; fd table may be stale)",
			     st->close_untracked);
}

/* ---- the tables ---- */

/* A row: an io_uring opcode's stats, or (NULL) the AIO row */
static struct report_row *req_rows(struct report *r, void *state, size_t *n)
{
	struct uring_state *st = state;
	struct report_row *rows = xcalloc(NR_OPS + 2, sizeof(*rows));

	*n = 0;
	for (unsigned int op = 0; op < NR_OPS; op++)
		if (st->ops[op].count)
			rows[(*n)++].val = &st->ops[op];
	if (st->aio_calls) {
		rows[*n].key = "aio";
		rows[(*n)++].val = st;
	}
	return rows;
}

#define IS_AIO(row) ((row)->key != NULL)
#define OPS(row) ((const struct op_stats *)(row)->val)
#define UST(row) ((const struct uring_state *)(row)->val)

static void rq_engine(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = IS_AIO(row) ? "aio" : ENGINE;
}

static void rq_op(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = IS_AIO(row) ? "IOCB" : OPS(row)->name;
}

static void rq_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = IS_AIO(row) ? UST(row)->aio_iocbs : OPS(row)->count;
}

static void rq_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	/* a failed io_submit submitted nothing: it is an error of the call */
	c->u = IS_AIO(row) ? UST(row)->aio_failed : OPS(row)->errors;
}

/* AIO: bytes and times are those of the block requests io_submit issued */
static void rq_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->null = IS_AIO(row) && !UST(row)->aio_rqs;
	c->u = IS_AIO(row) ? UST(row)->aio_bytes : OPS(row)->bytes;
}

static void rq_pct(const struct report_row *row, struct cell *c, double pct)
{
	c->null = IS_AIO(row) && !UST(row)->aio_rqs;
	c->u = hist_percentile(IS_AIO(row) ? &UST(row)->aio_lat : &OPS(row)->lat, pct);
}

static void rq_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	rq_pct(row, c, 50);
}

static void rq_p90(struct report *r, const struct report_row *row, struct cell *c)
{
	rq_pct(row, c, 90);
}

static void rq_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	rq_pct(row, c, 99);
}

static void rq_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->null = IS_AIO(row) && !UST(row)->aio_rqs;
	c->u = IS_AIO(row) ? UST(row)->aio_max_ns : OPS(row)->max_ns;
}

static void rq_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->null = IS_AIO(row) && !UST(row)->aio_rqs;
	c->u = IS_AIO(row) ? hist_sum(&UST(row)->aio_lat) : OPS(row)->total_ns;
}

/* AIO: the iocbs per io_submit instead of requests in flight */
static void rq_qd50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(IS_AIO(row) ? &UST(row)->aio_batch : &OPS(row)->depth, 50);
}

static void rq_qdmax(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_max(IS_AIO(row) ? &UST(row)->aio_batch : &OPS(row)->depth);
}

static void rq_mode(const struct report_row *row, struct cell *c, enum req_mode m)
{
	c->null = IS_AIO(row);
	c->u = IS_AIO(row) ? 0 : OPS(row)->modes[m];
}

static void rq_inline(struct report *r, const struct report_row *row, struct cell *c)
{
	rq_mode(row, c, MODE_INLINE);
}

static void rq_iowq(struct report *r, const struct report_row *row, struct cell *c)
{
	rq_mode(row, c, MODE_IOWQ);
}

static void rq_polled(struct report *r, const struct report_row *row, struct cell *c)
{
	rq_mode(row, c, MODE_POLL);
}

static void rq_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	struct uring_state *st = state;

	if (!nr_rows)
		return;
	strbuf_addstr(out, "  async: requests are not syscalls; their time is not in the tables above\n");
	if (st->completions)
		strbuf_addf(out, "  io_uring: %llu completions, %llu done by an io-wq worker, %llu CQ waits\n",
			    (unsigned long long)st->completions,
			    (unsigned long long)st->worker_done, (unsigned long long)st->waits);
	if (st->aio_calls)
		strbuf_addf(out, "  aio: %llu io_submit calls, %llu iocbs reaped by io_getevents; "
			    "QD is iocbs per io_submit;\n"
			    "       BYTES and times are of the %llu block requests queued inside io_submit\n"
			    "       (queue to completion); opcode and file are in user memory, unknown\n",
			    (unsigned long long)st->aio_calls, (unsigned long long)st->aio_reaped,
			    (unsigned long long)st->aio_rqs);
}

static void rq_json_after(struct report *r, void *state, struct strbuf *out)
{
	struct uring_state *st = state;

	strbuf_addf(out, ",\"requests_capture\":{\"io_uring_completions\":%llu,"
		    "\"io_uring_unmatched\":%llu,\"io_uring_in_flight\":%llu,"
		    "\"io_uring_worker_completions\":%llu,\"io_uring_filtered\":%llu,"
		    "\"aio_submit_calls\":%llu,\"aio_iocbs\":%llu,\"aio_reaped\":%llu,"
		    "\"aio_block_requests\":%llu}",
		    (unsigned long long)st->completions, (unsigned long long)st->unmatched,
		    (unsigned long long)st->pending.len, (unsigned long long)st->worker_done,
		    (unsigned long long)st->filtered, (unsigned long long)st->aio_calls,
		    (unsigned long long)st->aio_iocbs, (unsigned long long)st->aio_reaped,
		    (unsigned long long)st->aio_rqs);
}

/* 100 columns: INLINE is COUNT less IO-WQ and POLL in the text, a member in the JSON */
static const struct table_col req_cols[] = {
	{ "ENGINE", "engine", COL_STR, -8, 0, rq_engine, NULL },
	{ "OP", "op", COL_STR, -10, COL_ESC, rq_op, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, rq_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, rq_errors, NULL },
	{ "BYTES", "bytes", COL_BYTES, 7, 0, rq_bytes, NULL },
	{ NULL, "total_ns", COL_NS, 0, 0, rq_total, NULL },
	{ "P50", "p50_ns", COL_NS, 7, 0, rq_p50, NULL },
	{ "P90", "p90_ns", COL_NS, 7, 0, rq_p90, NULL },
	{ "P99", "p99_ns", COL_NS, 7, 0, rq_p99, NULL },
	{ "MAX", "max_ns", COL_NS, 7, 0, rq_max, NULL },
	{ "QD50", "qd_p50", COL_U64, 4, 0, rq_qd50, NULL },
	{ "QDMAX", "qd_max", COL_U64, 5, 0, rq_qdmax, NULL },
	{ NULL, "inline", COL_U64, 0, 0, rq_inline, NULL },
	{ "IO-WQ", "io_wq", COL_U64, 6, 0, rq_iowq, NULL },
	{ "POLL", "poll", COL_U64, 5, 0, rq_polled, NULL },
};

static bool uring_recorded(struct report *r, void *state)
{
	return ((struct uring_state *)state)->recorded;
}

static const struct table_desc req_table = {
	.title = "Asynchronous I/O",
	.key = "requests",
	COLS(req_cols),
	.rows = req_rows,
	.empty = "none recorded",
	.text_footer = rq_footer,
	.json_after = rq_json_after,
	.recorded = uring_recorded,
	.json_absent = "requests",
};

/* ---- the slowest requests ---- */

#define SLOW(row) ((const struct slow *)(row)->val)

static int slow_desc(const void *a, const void *b)
{
	const struct slow *x = ((const struct report_row *)a)->val;
	const struct slow *y = ((const struct report_row *)b)->val;

	return x->c.latency_ns < y->c.latency_ns ? 1 : x->c.latency_ns > y->c.latency_ns ? -1 : 0;
}

static struct report_row *slow_rows(struct report *r, void *state, size_t *n)
{
	struct uring_state *st = state;
	struct report_row *rows = xcalloc(st->nr_slow + 1, sizeof(*rows));

	for (size_t i = 0; i < st->nr_slow; i++)
		rows[i].val = &st->slow[i];
	*n = st->nr_slow;
	qsort(rows, *n, sizeof(*rows), slow_desc);
	return rows;
}

static void sl_latency(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = SLOW(row)->c.latency_ns;
}

static void sl_start(struct report *r, const struct report_row *row, struct cell *c)
{
	uint64_t s = report_start_ns(r);

	c->u = SLOW(row)->c.start_ns > s ? SLOW(row)->c.start_ns - s : 0;
}

static void sl_op(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->c.name;
}

static void sl_engine(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ENGINE;
}

static void sl_mode(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->mode;
}

static void sl_pid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = SLOW(row)->c.pid;
}

static void sl_tid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = SLOW(row)->c.tid;
}

static void sl_worker(struct report *r, const struct report_row *row, struct cell *c)
{
	c->null = !SLOW(row)->worker;
	c->i = SLOW(row)->worker;
}

static void sl_comm(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->c.comm;
}

static void sl_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = SLOW(row)->c.uid;
}

static void sl_fd(struct report *r, const struct report_row *row, struct cell *c)
{
	c->null = SLOW(row)->fd < 0;
	c->i = SLOW(row)->fd;
}

static void sl_res(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = SLOW(row)->c.ret;
}

static void sl_errno(struct report *r, const struct report_row *row, struct cell *c)
{
	c->null = !SLOW(row)->c.err;
	c->s = SLOW(row)->c.err ? table_errno_str(SLOW(row)->c.err) : NULL;
}

static void sl_errno_num(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = SLOW(row)->c.err;
}

static void sl_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = SLOW(row)->c.bytes;
}

static void sl_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->c.path;
}

static void sl_path_why(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->c.path ? NULL : SLOW(row)->c.path_why;
}

static void sl_mount(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->c.mount ? SLOW(row)->c.mount->point : NULL;
}

static void sl_fstype(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = SLOW(row)->c.mount ? SLOW(row)->c.mount->fstype : NULL;
}

static void sl_ring(struct report *r, const struct report_row *row, struct cell *c)
{
	if (SLOW(row)->ring_fd < 0) {
		c->s = "?";
		return;
	}
	snprintf(c->buf, sizeof(c->buf), "%d:%d", SLOW(row)->ring_pid, SLOW(row)->ring_fd);
	c->s = c->buf;
}

/* As the slowest calls' children: the generic members, then the layer's own */
static void sl_children(struct report *r, const struct report_row *row, struct strbuf *out)
{
	const struct call *c = &SLOW(row)->c;
	uint64_t start = report_start_ns(r);

	strbuf_addstr(out, ",\"children\":[");
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct child_view v = { .kind = CHILD_JSON, .ch = ch, .out = out };

		strbuf_addf(out, "%s{\"layer\":", i ? "," : "");
		strbuf_add_json_value(out, ch->layer);
		strbuf_addstr(out, ",\"what\":");
		strbuf_add_json_value(out, ch->what);
		strbuf_addf(out, ",\"start_ns\":%llu,\"latency_ns\":%llu,\"count\":%u",
			    (unsigned long long)(ch->start_ns > start ? ch->start_ns - start : 0),
			    (unsigned long long)ch->latency_ns, ch->count ? ch->count : 1);
		report_child_view(r, &v);
		strbuf_addch(out, '}');
	}
	strbuf_addch(out, ']');
}

/* Under each request, its children summed by (layer, what, device), as the drill-down */
static void sl_children_text(struct report *r, const struct report_row *row, struct strbuf *out)
{
	const struct call *c = &SLOW(row)->c;
	bool *done = xcalloc(c->nr_children + 1, sizeof(bool));
	char b[48];

	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct call_child sum = *ch;
		struct child_view v = { .kind = CHILD_TEXT, .ch = &sum, .out = out };
		int err = 0;
		bool last = true;

		if (done[i])
			continue;
		sum.latency_ns = sum.a = sum.b = sum.bytes = 0;
		for (unsigned int j = i; j < c->nr_children; j++) {
			const struct call_child *o = &c->children[j];

			if (o->layer != ch->layer || o->what != ch->what || o->dev != ch->dev)
				continue;
			done[j] = true;
			v.n += o->count ? o->count : 1;
			sum.latency_ns += o->latency_ns;
			sum.a += o->a;
			sum.b += o->b;
			sum.bytes += o->bytes;
			if (o->error) {
				v.failed++;
				err = o->error;
			}
		}
		sum.error = err;
		sum.count = v.n;
		v.error = err < 0 ? table_errno_str(-err) : "?";
		for (unsigned int j = i + 1; j < c->nr_children; j++)
			last &= done[j];
		strbuf_addf(out, "%12s%s ", "", last ? "`-" : "|-");
		if (!report_child_view(r, &v))
			strbuf_addf(out, "%s %s: %llu, %s\n", sum.layer, sum.what,
				    (unsigned long long)v.n, fmt_ns(b, sizeof(b), sum.latency_ns));
	}
	free(done);
}

static const struct table_col slow_cols[] = {
	{ "LATENCY", "latency_ns", COL_NS, 9, 0, sl_latency, NULL },
	{ NULL, "start_ns", COL_U64, 0, 0, sl_start, NULL },
	{ NULL, "engine", COL_STR, 0, 0, sl_engine, NULL },
	{ "OP", "op", COL_STR, -10, COL_ESC, sl_op, NULL },
	{ "MODE", "mode", COL_STR, -6, 0, sl_mode, NULL },
	{ "PID", "pid", COL_S64, 7, 0, sl_pid, NULL },
	{ NULL, "tid", COL_S64, 0, 0, sl_tid, NULL },
	{ NULL, "worker_tid", COL_S64, 0, 0, sl_worker, NULL },
	{ "COMM", "comm", COL_STR, -15, COL_ESC, sl_comm, NULL },
	{ NULL, "uid", COL_UID, 0, 0, sl_uid, NULL },
	{ NULL, "ring", COL_STR, 0, 0, sl_ring, NULL },
	{ NULL, "fd", COL_S64, 0, 0, sl_fd, NULL },
	{ NULL, "res", COL_S64, 0, 0, sl_res, NULL },
	{ NULL, "errno", COL_S64, 0, 0, sl_errno_num, NULL },
	{ "ERRNO", "error", COL_STR, -7, 0, sl_errno, NULL },
	{ NULL, "bytes", COL_U64, 0, 0, sl_bytes, NULL },
	{ NULL, "mount", COL_STR, 0, 0, sl_mount, NULL },
	{ NULL, "fstype", COL_STR, 0, 0, sl_fstype, NULL },
	{ NULL, "path_unknown", COL_STR, 0, 0, sl_path_why, NULL },
	{ NULL, "children", COL_JSON, 0, 0, NULL, sl_children },
	{ "PATH", "path", COL_PATH, 0, 0, sl_path, NULL },
};

static const struct table_desc slow_table = {
	.title = "Slowest async requests",
	.key = "slowest_requests",
	COLS(slow_cols),
	.rows = slow_rows,
	.text_row_after = sl_children_text,
	.hidden_without_rows = true,
	.header_with_rows = true,
};

/* ---- by process and by file, async only ---- */

#define AGG(row) ((const struct async_agg *)(row)->val)

static int agg_desc(const void *a, const void *b)
{
	const struct async_agg *x = ((const struct report_row *)a)->val;
	const struct async_agg *y = ((const struct report_row *)b)->val;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

static struct report_row *proc_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = report_rows_int(&((struct uring_state *)state)->by_proc, n);

	qsort(rows, *n, sizeof(*rows), agg_desc);
	return rows;
}

static struct report_row *file_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = report_rows_str(&((struct uring_state *)state)->by_file, n);

	qsort(rows, *n, sizeof(*rows), agg_desc);
	return rows;
}

static void ag_pid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = AGG(row)->pid;
}

static void ag_comm(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = AGG(row)->comm;
}

static void ag_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = AGG(row)->uid;
}

static void ag_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->count;
}

static void ag_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->errors;
}

static void ag_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->bytes;
}

static void ag_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->total_ns;
}

static void ag_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = row->key;
}

static void ag_async(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ENGINE;
}

static const struct table_col proc_cols[] = {
	{ "PID", "pid", COL_S64, 7, 0, ag_pid, NULL },
	{ "COMM", "comm", COL_STR, -15, COL_ESC, ag_comm, NULL },
	{ "UID", "uid", COL_UID, -14, 0, ag_uid, NULL },
	{ NULL, "engine", COL_STR, 0, 0, ag_async, NULL },
	{ "REQUESTS", "requests", COL_U64, 9, 0, ag_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, ag_errors, NULL },
	{ "BYTES", "bytes", COL_BYTES, 9, 0, ag_bytes, NULL },
	{ "ASYNC TIME", "total_ns", COL_NS, 10, 0, ag_total, NULL },
};

static const struct table_col file_cols[] = {
	{ "REQUESTS", "requests", COL_U64, 9, 0, ag_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, ag_errors, NULL },
	{ "BYTES", "bytes", COL_BYTES, 9, 0, ag_bytes, NULL },
	{ "ASYNC TIME", "total_ns", COL_NS, 10, 0, ag_total, NULL },
	{ NULL, "engine", COL_STR, 0, 0, ag_async, NULL },
	{ "PATH", "path", COL_PATH, 0, 0, ag_path, NULL },
};

/*
 * The time of requests in flight together adds up past the wall clock, and
 * a syscall that waited for them (io_uring_enter) has it already: "ASYNC
 * TIME" is kept apart from the syscall tables so that no one adds the two
 */
static const struct table_desc proc_table = {
	.title = "Async I/O by process (not in By process)",
	.key = "requests_by_process",
	COLS(proc_cols),
	.rows = proc_rows,
	.text_limit = LIMIT_TOP,
	.hidden_without_rows = true,
	.header_with_rows = true,
};

static const struct table_desc file_table = {
	.title = "Async I/O top files (not in Top files)",
	.key = "requests_by_file",
	COLS(file_cols),
	.rows = file_rows,
	.text_limit = LIMIT_TOP,
	.hidden_without_rows = true,
	.header_with_rows = true,
};

static const struct table_desc *const uring_tables[] = {
	&req_table, &proc_table, &file_table, &slow_table, NULL,
};

static void uring_report_free(void *state)
{
	struct uring_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->pending, &i, &k, &v);) {
		struct request *q = v;

		if (q->owner)
			free(q->owner->children);
		free(q->owner);
		free(q);
	}
	intmap_release(&st->pending);
	intmap_release_values(&st->rings, free);
	intmap_release_values(&st->punted, free);
	intmap_release_values(&st->by_proc, free);
	strmap_release(&st->by_file, free);
	for (int i = 0; i < NR_OPS; i++) {
		if (!st->ops[i].name)
			continue;
		free(st->ops[i].name);
		hist_release(&st->ops[i].lat);
		hist_release(&st->ops[i].depth);
	}
	for (size_t i = 0; i < st->nr_slow; i++) {
		free(st->slow[i].c.path);
		free(st->slow[i].c.children);
	}
	free(st->slow);
	hist_release(&st->aio_batch);
	hist_release(&st->aio_lat);
	for (size_t i = 0; intmap_next(&st->aio_procs, &i, &k, &v);) {
		struct aio_proc *ap = v;

		free(ap->owner->children);
		free(ap->owner);
		free(ap);
	}
	intmap_release(&st->aio_procs);
	free(st);
}

const struct ftio_layer layer_io_uring = {
	.name = "io_uring",
	.summary = "asynchronous I/O: io_uring requests per opcode (and Linux AIO counts)",
	.plan = uring_plan,
	.report_init = uring_report_init,
	.report_finish = uring_report_finish,
	.tables = uring_tables,
	.report_free = uring_report_free,
};
