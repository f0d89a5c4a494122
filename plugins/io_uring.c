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
#include <ftio/syscall-table.h>
#include <ftio/strbuf.h>
#include <ftio/strmap.h>
#include <ftio/util.h>

#include "uring.h"

#define IOSQE_FIXED_FILE 1ULL
#define IORING_CQE_F_MORE 2U

static const char *const mode_names[MODES] = { "inline", "io-wq", "poll" };

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
	c->fd_kind = e ? e->kind : FD_UNKNOWN;
	if (e && e->path) {
		c->path = xstrdup(e->path);
		c->path_method = e->method;
	} else {
		c->path_why = model_fd_why(p, q->fd);
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
	if (o->kind == OP_OPEN && res >= 0) {
		struct proc *p = model_task(report_model(r), q->tid)->proc;

		model_fd_set(p, (int)res, NULL, PATH_NONE, false);
		((struct fd_entry *)model_fd(p, (int)res))->why =
			"opened by io_uring OPENAT (its path is in user memory)";
	}
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
	report_request_done(r, &c, ENGINE);
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

const struct ftio_layer layer_io_uring = {
	.name = "io_uring",
	.summary = "asynchronous I/O: io_uring requests per opcode (and Linux AIO counts)",
	.plan = uring_plan,
	.report_init = uring_report_init,
	.report_finish = uring_report_finish,
	.tables = uring_tables,
	.report_free = uring_report_free,
};
