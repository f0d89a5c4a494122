// SPDX-License-Identifier: GPL-2.0
/*
 * The nfs layer: what an NFS mount spends its time on, from the static
 * tracepoints of the NFS client and the RPC layer (no kprobes).  Three
 * levels, each linked as children of the syscall that waited for it:
 * client operations (nfs:*_enter/_exit pairs on the calling thread, and
 * the read/write/commit I/O from nfs_initiate_* to its *_done), RPC tasks
 * (sunrpc:rpc_task_begin, which runs in the thread that starts the task,
 * to rpc_stats_latency, which says how the task's time splits into
 * backlog, round trip and execute), and the errors the NFSv4 client and
 * the server reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <ftio/layer.h>

#include "decode/decoder.h"
#include "lib/hist.h"
#include "lib/intmap.h"
#include "decode/model.h"
#include "report/report.h"
#include "lib/strmap.h"
#include "lib/syscall-table.h"
#include "lib/util.h"

/*
 * Client operations that the kernel traces as an _enter/_exit pair on the
 * calling thread (fs/nfs/nfstrace.h, Linux 6.1).  The exit's error is a
 * positive errno.
 */
static const char *const pair_ops[] = {
	"getattr", "lookup", "lookup_revalidate", "atomic_open", "access", "create", "setattr",
	"fsync", "remove", "unlink", "rename", "mkdir", "rmdir", "revalidate_inode",
	"writeback_inode", "invalidate_mapping", "link", "symlink", "mknod",
};
#define NR_PAIR_OPS ARRAY_SIZE(pair_ops)

/* I/O that starts with nfs_initiate_<x> and ends with <done> */
static const struct {
	const char *op, *initiate, *done;
} io_ops[] = {
	{ "read", "nfs_initiate_read", "nfs_readpage_done" },
	{ "write", "nfs_initiate_write", "nfs_writeback_done" },
	{ "commit", "nfs_initiate_commit", "nfs_commit_done" },
};
#define NR_IO_OPS ARRAY_SIZE(io_ops)
#define NR_OPS (NR_PAIR_OPS + NR_IO_OPS)

/* NFSv4 client events that carry an error, for the errors table */
static const char *const nfs4_error_events[] = {
	"nfs4_open_file", "nfs4_lookup", "nfs4_getattr", "nfs4_access", "nfs4_setattr",
	"nfs4_remove", "nfs4_readdir", "nfs4_read", "nfs4_write", "nfs4_commit", "nfs4_close",
	"nfs4_rename", "nfs4_mkdir",
};

static void nfs_plan(struct record_plan *p)
{
	char name[64];

	/* the client operations run in the thread that asked */
	for (size_t i = 0; i < NR_PAIR_OPS; i++) {
		snprintf(name, sizeof(name), "nfs_%s_enter", pair_ops[i]);
		plan_add_event(p, "nfs", name);
		snprintf(name, sizeof(name), "nfs_%s_exit", pair_ops[i]);
		plan_add_event(p, "nfs", name);
	}
	/*
	 * Reads and writes may start in a flusher kworker and always complete
	 * in rpciod; RPC tasks complete there too (rpc_task_begin itself runs
	 * in the thread that starts the task, which links it to the syscall)
	 */
	for (size_t i = 0; i < NR_IO_OPS; i++) {
		plan_add_async_event(p, "nfs", io_ops[i].initiate);
		plan_add_async_event(p, "nfs", io_ops[i].done);
	}
	plan_add_async_event(p, "sunrpc", "rpc_task_begin");
	plan_add_async_event(p, "sunrpc", "rpc_task_end");
	plan_add_async_event(p, "sunrpc", "rpc_stats_latency");
	plan_add_async_event(p, "sunrpc", "xprt_retransmit");
	for (size_t i = 0; i < ARRAY_SIZE(nfs4_error_events); i++)
		plan_add_async_event(p, "nfs4", nfs4_error_events[i]);
	plan_add_async_event(p, "nfs4", "nfs4_xdr_status");
	plan_add_async_event(p, "nfs", "nfs_xdr_status");
}

struct op_stats {
	uint64_t count, errors, total_ns, max_ns, bytes;
	struct hist lat;
};

/* An operation or I/O in flight */
struct nfs_pending {
	uint64_t ts, call_start, fileid;
	const char *call_name;	/* the syscall table's static name */
	uint32_t dev;
	int tid;
	unsigned int op;
};

/* One RPC task, from rpc_task_begin to rpc_stats_latency */
struct rpc_pending {
	uint64_t ts, call_start;
	const char *call_name;
	uint32_t dev1;		/* dev + 1 of the mount it was started for, 0: unknown */
	int tid;
	int status;
	bool ended;
};

/*
 * Per (client, mount, procedure): mounts of one server share an RPC
 * client, so the mount is the one the task's thread last worked on
 */
struct proc_stats {
	const char *proc;	/* interned */
	const char *prog;	/* interned */
	uint32_t client, dev1;
	int version;
	uint64_t count, errors, retrans;
	uint64_t execute_us, backlog_us, rtt_us;
	struct hist rtt, execute;
};

struct file_stats {
	uint32_t dev;
	uint64_t fileid;
	uint64_t ops, total_ns, bytes;
};

struct err_stats {
	const char *what, *name;	/* interned */
	uint64_t count;
};

/* What a handler of one of several events of a kind needs: the state and which */
struct pair_ctx {
	struct nfs_state *st;
	unsigned int op;
};

struct nfs4_ctx {
	struct nfs_state *st;
	unsigned int i;
	const char *name;
};

struct nfs_state {
	struct pair_ctx enter_ctx[NR_PAIR_OPS], exit_ctx[NR_PAIR_OPS], io_ctx[NR_IO_OPS];
	struct nfs4_ctx nfs4_ctx[ARRAY_SIZE(nfs4_error_events)];
	struct intmap ops;		/* dev -> struct op_stats[NR_OPS] */
	struct intmap pending_ops;	/* op key -> struct nfs_pending */
	struct intmap tasks;		/* client << 32 | task -> struct rpc_pending */
	struct intmap procs;		/* hash(client, proc) -> struct proc_stats */
	struct intmap clients;		/* client -> dev + 1 of its mount, or AMBIGUOUS */
	struct intmap busy_dev;		/* tid -> dev + 1 of its operation in flight */
	struct intmap io_started;	/* tid -> dev + 1 of the I/O it just started */
	struct intmap files;		/* dev ^ fileid -> struct file_stats */
	struct intmap errors;		/* hash(what, name) -> struct err_stats */
	struct strmap names;		/* interned procedure and event names */

	struct field_ref pe_dev[NR_PAIR_OPS], pe_fileid[NR_PAIR_OPS], px_err[NR_PAIR_OPS];
	struct field_ref io_dev[NR_IO_OPS], io_fileid[NR_IO_OPS], io_off[NR_IO_OPS],
		io_count[NR_IO_OPS];
	struct field_ref dn_dev[NR_IO_OPS], dn_fileid[NR_IO_OPS], dn_off[NR_IO_OPS],
		dn_err[NR_IO_OPS], dn_res[NR_IO_OPS];
	struct field_ref tb_task, tb_client, te_task, te_client, te_status;
	struct field_ref sl_task, sl_client, sl_version, sl_prog, sl_proc, sl_backlog, sl_rtt,
		sl_execute;
	struct field_ref rt_task, rt_client, rt_version, rt_prog, rt_proc;
	struct field_ref n4_err[ARRAY_SIZE(nfs4_error_events)];
	struct field_ref n4x_err, n4x_op, nx_err, nx_proc;
	struct field_ref of_dev, of_fileid, of_name;

	uint64_t attributed, unattributed, unmatched_ops, unmatched_tasks;
};

static uint64_t mix(uint64_t a, uint64_t b)
{
	return (a * 0x9e3779b97f4a7c15ULL) ^ (b + 0x632be59bd9b4e019ULL + (a << 6) + (a >> 2));
}

static const char *intern(struct nfs_state *st, const char *s, int len)
{
	if (!s)
		return "?";
	return strmap_insert(&st->names, s, len, NULL, NULL)->key;
}

static struct op_stats *dev_ops(struct nfs_state *st, uint32_t dev)
{
	struct op_stats *ops = intmap_get(&st->ops, dev);

	if (!ops) {
		ops = xcalloc(NR_OPS, sizeof(*ops));
		for (size_t i = 0; i < NR_OPS; i++)
			hist_init(&ops[i].lat);
		intmap_put(&st->ops, dev, ops);
	}
	return ops;
}

static const char *op_name(unsigned int op)
{
	return op < NR_PAIR_OPS ? pair_ops[op] : io_ops[op - NR_PAIR_OPS].op;
}

static void count_error(struct nfs_state *st, const char *what, const char *name)
{
	const char *n = intern(st, name, strlen(name));
	uint64_t k = mix((uintptr_t)what, (uintptr_t)n);
	struct err_stats *e = intmap_get(&st->errors, k);

	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->what = what;
		e->name = n;
		intmap_put(&st->errors, k, e);
	}
	e->count++;
}

static void count_errno(struct nfs_state *st, const char *what, int err)
{
	char buf[24];
	const char *n = err > 0 && err < 4096 ? errno_name(err) : NULL;

	if (!n) {
		snprintf(buf, sizeof(buf), "%d", err);
		n = buf;
	}
	count_error(st, what, n);
}

static void file_add(struct nfs_state *st, uint32_t dev, uint64_t fileid, uint64_t ns,
		     uint64_t bytes)
{
	uint64_t k = mix(dev, fileid);
	struct file_stats *f = intmap_get(&st->files, k);

	if (!fileid)
		return;
	if (!f) {
		f = xcalloc(1, sizeof(*f));
		f->dev = dev;
		f->fileid = fileid;
		intmap_put(&st->files, k, f);
	}
	f->ops++;
	f->total_ns += ns;
	f->bytes += bytes;
}

/*
 * The call on @tid that waited for work started at @start by the call
 * that began at @call_start, and how long it waited (*@lat).  Readahead
 * and write-behind are started by one read() or write() and waited for by
 * a later one of the same name on the same thread: that one gets the
 * part of the work that overlapped it.
 */
static struct call *waiting_call(struct report *r, int tid, uint64_t call_start,
				 const char *call_name, uint64_t start, uint64_t end,
				 uint64_t *lat)
{
	struct call *c = report_current_call(r, tid);

	*lat = end - start;
	if (!c || !call_start)
		return NULL;
	if (c->start_ns == call_start)
		return c;
	if (call_name && c->name && !strcmp(c->name, call_name) && c->start_ns > start &&
	    c->start_ns < end) {
		*lat = end - c->start_ns;
		return c;
	}
	return NULL;
}

/*
 * Ends an operation: statistics, and a child of the syscall that waited
 * when that syscall is still the one in flight on the thread
 */
static void op_done(struct report *r, struct nfs_state *st, struct nfs_pending *q, uint64_t ts,
		    int err, uint64_t bytes)
{
	struct op_stats *o = &dev_ops(st, q->dev)[q->op];
	uint64_t lat = ts - q->ts, waited;
	struct call *c;

	o->count++;
	o->total_ns += lat;
	o->bytes += bytes;
	if (lat > o->max_ns)
		o->max_ns = lat;
	if (err) {
		o->errors++;
		count_errno(st, op_name(q->op), err);
	}
	hist_add(&o->lat, lat);
	file_add(st, q->dev, q->fileid, lat, bytes);

	/* only I/O is started by one call and waited for by another */
	c = waiting_call(r, q->tid, q->call_start, q->op >= NR_PAIR_OPS ? q->call_name : NULL,
			 q->ts, ts, &waited);
	if (c) {
		struct call_child ch = {
			.layer = "nfs", .what = op_name(q->op), .start_ns = ts - waited,
			.latency_ns = waited, .dev = q->dev, .error = err, .count = 1,
			.bytes = bytes,
		};

		call_add_child(c, &ch);
		/*
		 * data I/O under a read/write/fsync is on the file the call
		 * names, and so is the getattr of a stat (the walk to it
		 * revalidates, it does not getattr)
		 */
		if ((q->op >= NR_PAIR_OPS ||
		     (!strcmp(op_name(q->op), "getattr") && c->name && strstr(c->name, "stat"))) &&
		    c->path && q->fileid && !report_inode_path(r, q->dev, q->fileid))
			report_inode_learn(r, q->dev, q->fileid, c->path);
		st->attributed++;
	} else {
		st->unattributed++;
	}
}

static uint64_t pair_key(int tid, unsigned int op)
{
	return mix((uint64_t)tid << 8 | op, 0x6e6673);
}

static void on_pair_enter(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct pair_ctx *pc = priv;
	struct nfs_state *st = pc->st;
	struct decoder *d = report_decoder(r);
	struct nfs_pending *q = xcalloc(1, sizeof(*q));
	struct call *c = report_current_call(r, ev->pid);

	q->ts = ev->ts;
	q->tid = ev->pid;
	q->op = pc->op;
	q->dev = field_u64(d, ev, &st->pe_dev[pc->op]);
	if (st->pe_fileid[pc->op].valid)
		q->fileid = field_u64(d, ev, &st->pe_fileid[pc->op]);
	q->call_start = c ? c->start_ns : 0;
	intmap_put(&st->busy_dev, ev->pid, (void *)(uintptr_t)(q->dev + 1));
	free(intmap_put(&st->pending_ops, pair_key(ev->pid, pc->op), q));
}

static void on_pair_exit(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct pair_ctx *pc = priv;
	struct nfs_state *st = pc->st;
	struct nfs_pending *q = intmap_del(&st->pending_ops, pair_key(ev->pid, pc->op));
	int64_t err;

	intmap_del(&st->busy_dev, ev->pid);
	if (!q) {
		/* Linux 6.1 traces lookup_revalidate's exit, not its enter, on cached paths */
		if (strcmp(pair_ops[pc->op], "lookup_revalidate"))
			st->unmatched_ops++;
		return;
	}
	err = field_s64(report_decoder(r), ev, &st->px_err[pc->op]);
	if (err < 0)
		err = -err;
	/* an RCU-mode walk's "retry with references" (access, revalidate): no error */
	if (err == ECHILD)
		err = 0;
	op_done(r, st, q, ev->ts, (int)err, 0);
	free(q);
}

static uint64_t io_key(unsigned int op, uint32_t dev, uint64_t fileid, uint64_t off)
{
	return mix(mix(dev, fileid), off << 2 | op);
}

static void on_io_start(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct pair_ctx *pc = priv;
	struct nfs_state *st = pc->st;
	struct decoder *d = report_decoder(r);
	struct nfs_pending *q = xcalloc(1, sizeof(*q));
	struct call *c = report_current_call(r, ev->pid);
	uint64_t off = field_u64(d, ev, &st->io_off[pc->op]);

	q->ts = ev->ts;
	q->tid = ev->pid;
	q->op = NR_PAIR_OPS + pc->op;
	q->dev = field_u64(d, ev, &st->io_dev[pc->op]);
	q->fileid = field_u64(d, ev, &st->io_fileid[pc->op]);
	q->call_start = c ? c->start_ns : 0;
	q->call_name = c ? c->name : NULL;
	intmap_put(&st->io_started, ev->pid, (void *)(uintptr_t)(q->dev + 1));
	free(intmap_put(&st->pending_ops, io_key(pc->op, q->dev, q->fileid, off), q));
}

static void on_io_done(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct pair_ctx *pc = priv;
	struct nfs_state *st = pc->st;
	struct decoder *d = report_decoder(r);
	uint32_t dev = field_u64(d, ev, &st->dn_dev[pc->op]);
	uint64_t fileid = field_u64(d, ev, &st->dn_fileid[pc->op]);
	uint64_t off = field_u64(d, ev, &st->dn_off[pc->op]);
	struct nfs_pending *q = intmap_del(&st->pending_ops, io_key(pc->op, dev, fileid, off));
	int64_t err = field_s64(d, ev, &st->dn_err[pc->op]);
	uint64_t bytes = 0;

	if (!q) {
		st->unmatched_ops++;
		return;
	}
	if (st->dn_res[pc->op].valid && err >= 0)
		bytes = field_u64(d, ev, &st->dn_res[pc->op]);
	op_done(r, st, q, ev->ts, err < 0 ? (int)-err : 0, bytes);
	free(q);
}

/* st->clients: a client seen serving more than one mount */
#define AMBIGUOUS UINT32_MAX

static uint64_t task_key(uint32_t client, uint32_t task)
{
	return (uint64_t)client << 32 | task;
}

static void on_task_begin(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint32_t client = field_u64(d, ev, &st->tb_client);
	struct rpc_pending *t = xcalloc(1, sizeof(*t));
	struct call *c = report_current_call(r, ev->pid);
	/* an I/O's RPC follows its nfs_initiate_* at once (nfs_initiate_pgio()) */
	uint32_t dev1 = (uint32_t)(uintptr_t)intmap_del(&st->io_started, ev->pid);
	uint32_t known = (uint32_t)(uintptr_t)intmap_get(&st->clients, client);

	if (!dev1)
		dev1 = (uint32_t)(uintptr_t)intmap_get(&st->busy_dev, ev->pid);

	t->ts = ev->ts;
	t->tid = ev->pid;
	t->call_start = c ? c->start_ns : 0;
	t->call_name = c ? c->name : NULL;
	/*
	 * An RPC started inside an NFS operation or right after an I/O's
	 * nfs_initiate_* on the same thread is for that mount.  NFSv4 clones
	 * an RPC client per superblock, so the client says the mount of the
	 * others (a close, lease renewal) unless it served several.  Events
	 * filtered out by -p never set a mount: their RPCs stay unknown
	 * rather than be put on the wrong mount.
	 */
	if (dev1) {
		if (!known)
			intmap_put(&st->clients, client, (void *)(uintptr_t)dev1);
		else if (known != dev1)
			intmap_put(&st->clients, client, (void *)(uintptr_t)AMBIGUOUS);
	} else if (known != AMBIGUOUS) {
		dev1 = known;
	}
	t->dev1 = dev1;
	free(intmap_put(&st->tasks, task_key(client, field_u64(d, ev, &st->tb_task)), t));
}

static void on_task_end(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	struct rpc_pending *t = intmap_get(&st->tasks, task_key(field_u64(d, ev, &st->te_client),
								field_u64(d, ev, &st->te_task)));

	/* Linux 6.1 rpc_exit_task(): rpc_task_end, then rpc_stats_latency */
	if (t) {
		t->ended = true;
		t->status = field_s64(d, ev, &st->te_status);
	}
}

static uint64_t proc_key(uint32_t client, uint32_t dev1, const char *prog, const char *proc)
{
	return mix(mix((uint64_t)client << 32 | dev1, (uintptr_t)proc), (uintptr_t)prog);
}

static struct proc_stats *proc_get(struct nfs_state *st, uint32_t client, uint32_t dev1,
				   const char *prog, const char *proc, int version)
{
	uint64_t k = proc_key(client, dev1, prog, proc);
	struct proc_stats *p = intmap_get(&st->procs, k);

	if (!p) {
		p = xcalloc(1, sizeof(*p));
		p->client = client;
		p->dev1 = dev1;
		p->prog = prog;
		p->proc = proc;
		p->version = version;
		hist_init(&p->rtt);
		hist_init(&p->execute);
		intmap_put(&st->procs, k, p);
	}
	return p;
}

static void on_stats_latency(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint32_t client = field_u64(d, ev, &st->sl_client);
	uint32_t task = field_u64(d, ev, &st->sl_task);
	struct rpc_pending *t = intmap_del(&st->tasks, task_key(client, task));
	const char *s;
	int len;
	const char *prog, *proc;
	struct proc_stats *p;
	/* microseconds: ktime_to_us() in the tracepoint */
	uint64_t backlog = field_u64(d, ev, &st->sl_backlog);
	uint64_t rtt = field_u64(d, ev, &st->sl_rtt);
	uint64_t execute = field_u64(d, ev, &st->sl_execute);
	uint64_t waited;
	struct call *c;

	s = field_str(d, ev, &st->sl_prog, &len);
	prog = intern(st, s, len);
	s = field_str(d, ev, &st->sl_proc, &len);
	proc = intern(st, s, len);
	p = proc_get(st, client, t ? t->dev1 : 0, prog, proc, field_s64(d, ev, &st->sl_version));
	p->count++;
	p->execute_us += execute;
	p->backlog_us += backlog;
	p->rtt_us += rtt;
	hist_add(&p->rtt, rtt * 1000);
	hist_add(&p->execute, execute * 1000);
	if (!t) {
		st->unmatched_tasks++;
		return;
	}
	if (t->ended && t->status < 0) {
		p->errors++;
		count_errno(st, proc, -t->status);
	}
	c = waiting_call(r, t->tid, t->call_start, t->call_name, t->ts, ev->ts, &waited);
	if (c) {
		struct call_child ch = {
			.layer = "rpc", .what = proc, .start_ns = ev->ts - waited,
			.latency_ns = waited,
			.a = rtt * 1000, .b = backlog * 1000,
			.dev = t->dev1 ? t->dev1 - 1 : 0,
			.error = t->ended && t->status < 0 ? -t->status : 0, .count = 1,
		};

		call_add_child(c, &ch);
	}
	free(t);
}

static void on_retransmit(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint32_t client = field_u64(d, ev, &st->rt_client);
	struct rpc_pending *t = intmap_get(&st->tasks,
					   task_key(client, field_u64(d, ev, &st->rt_task)));
	const char *prog, *proc, *s;
	int len;

	s = field_str(d, ev, &st->rt_prog, &len);
	prog = intern(st, s, len);
	s = field_str(d, ev, &st->rt_proc, &len);
	proc = intern(st, s, len);
	proc_get(st, client, t ? t->dev1 : 0, prog, proc,
		 field_s64(d, ev, &st->rt_version))->retrans++;
}

/*
 * nfs4_open_file names the file an open() got (fileid, and the name in its
 * directory): when the open in flight on that thread ends in that name, it
 * is the file's path, for the files table
 */
static void learn_open_path(struct report *r, struct nfs_state *st, const struct ftio_event *ev)
{
	struct decoder *d = report_decoder(r);
	struct call *c = report_current_call(r, ev->pid);
	uint32_t dev = field_u64(d, ev, &st->of_dev);
	uint64_t fileid = field_u64(d, ev, &st->of_fileid);
	const char *name, *base;
	int len;

	if (!c || !c->path || !fileid || report_inode_path(r, dev, fileid))
		return;
	name = field_str(d, ev, &st->of_name, &len);
	base = strrchr(c->path, '/');
	base = base ? base + 1 : c->path;
	if (name && (int)strlen(base) == len && !memcmp(base, name, len))
		report_inode_learn(r, dev, fileid, c->path);
}

static void on_nfs4_error(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs4_ctx *nc = priv;
	int64_t err = field_s64(report_decoder(r), ev, &nc->st->n4_err[nc->i]);

	if (err < 0)
		err = -err;
	if (err)
		count_errno(nc->st, nc->name, (int)err);
	else if (nc->i == 0)
		learn_open_path(r, nc->st, ev);
}

/* NFSv4 operation numbers (RFC 8881 section 16) that nfs4_xdr_status names */
static const char *nfs4_op_name(unsigned int op)
{
	static const char *const names[] = {
		[3] = "ACCESS", [4] = "CLOSE", [5] = "COMMIT", [6] = "CREATE", [9] = "GETATTR",
		[10] = "GETFH", [15] = "LOOKUP", [18] = "OPEN", [22] = "PUTFH", [24] = "PUTROOTFH",
		[25] = "READ", [26] = "READDIR", [28] = "REMOVE", [29] = "RENAME", [34] = "SETATTR",
		[38] = "WRITE", [53] = "SEQUENCE",
	};

	return op < ARRAY_SIZE(names) && names[op] ? names[op] : "OTHER";
}

static void on_nfs4_xdr_status(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	int64_t err = field_s64(d, ev, &st->n4x_err);
	char what[40];

	if (err < 0)
		err = -err;
	if (!err)
		return;
	snprintf(what, sizeof(what), "server %s",
		 nfs4_op_name(field_u64(d, ev, &st->n4x_op)));
	count_errno(st, intern(st, what, strlen(what)), (int)err);
}

static void on_nfs_xdr_status(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct nfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	int64_t err = field_s64(d, ev, &st->nx_err);
	char what[64];
	const char *s;
	int len;

	if (err < 0)
		err = -err;
	if (!err)
		return;
	s = field_str(d, ev, &st->nx_proc, &len);
	snprintf(what, sizeof(what), "server %.*s", s ? len : 1, s ? s : "?");
	count_errno(st, intern(st, what, strlen(what)), (int)err);
}

static void *nfs_report_init(struct report *r)
{
	struct nfs_state *st = xcalloc(1, sizeof(*st));
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	struct tep_event *e;
	char name[64];

	for (unsigned int i = 0; i < NR_PAIR_OPS; i++) {
		st->enter_ctx[i] = (struct pair_ctx){ st, i };
		st->exit_ctx[i] = (struct pair_ctx){ st, i };
		snprintf(name, sizeof(name), "nfs_%s_enter", pair_ops[i]);
		e = tep_find_event_by_name(tep, "nfs", name);
		field_ref_init(&st->pe_dev[i], e, "dev");
		/* lookups and opens name a directory and a name, not a file */
		field_ref_init(&st->pe_fileid[i], e, "fileid");
		report_on_event(r, "nfs", name, on_pair_enter, &st->enter_ctx[i]);
		snprintf(name, sizeof(name), "nfs_%s_exit", pair_ops[i]);
		e = tep_find_event_by_name(tep, "nfs", name);
		field_ref_init(&st->px_err[i], e, "error");
		report_on_event(r, "nfs", name, on_pair_exit, &st->exit_ctx[i]);
	}
	for (unsigned int i = 0; i < NR_IO_OPS; i++) {
		st->io_ctx[i] = (struct pair_ctx){ st, i };
		e = tep_find_event_by_name(tep, "nfs", io_ops[i].initiate);
		field_ref_init(&st->io_dev[i], e, "dev");
		field_ref_init(&st->io_fileid[i], e, "fileid");
		field_ref_init(&st->io_off[i], e, "offset");
		field_ref_init(&st->io_count[i], e, "count");
		report_on_event(r, "nfs", io_ops[i].initiate, on_io_start, &st->io_ctx[i]);
		e = tep_find_event_by_name(tep, "nfs", io_ops[i].done);
		field_ref_init(&st->dn_dev[i], e, "dev");
		field_ref_init(&st->dn_fileid[i], e, "fileid");
		field_ref_init(&st->dn_off[i], e, "offset");
		field_ref_init(&st->dn_err[i], e, "error");
		field_ref_init(&st->dn_res[i], e, "res_count");
		report_on_event(r, "nfs", io_ops[i].done, on_io_done, &st->io_ctx[i]);
	}
	e = tep_find_event_by_name(tep, "sunrpc", "rpc_task_begin");
	field_ref_init(&st->tb_task, e, "task_id");
	field_ref_init(&st->tb_client, e, "client_id");
	e = tep_find_event_by_name(tep, "sunrpc", "rpc_task_end");
	field_ref_init(&st->te_task, e, "task_id");
	field_ref_init(&st->te_client, e, "client_id");
	field_ref_init(&st->te_status, e, "status");
	e = tep_find_event_by_name(tep, "sunrpc", "rpc_stats_latency");
	field_ref_init(&st->sl_task, e, "task_id");
	field_ref_init(&st->sl_client, e, "client_id");
	field_ref_init(&st->sl_version, e, "version");
	field_ref_init(&st->sl_prog, e, "progname");
	field_ref_init(&st->sl_proc, e, "procname");
	field_ref_init(&st->sl_backlog, e, "backlog");
	field_ref_init(&st->sl_rtt, e, "rtt");
	field_ref_init(&st->sl_execute, e, "execute");
	e = tep_find_event_by_name(tep, "sunrpc", "xprt_retransmit");
	field_ref_init(&st->rt_task, e, "task_id");
	field_ref_init(&st->rt_client, e, "client_id");
	field_ref_init(&st->rt_version, e, "version");
	field_ref_init(&st->rt_prog, e, "progname");
	field_ref_init(&st->rt_proc, e, "procname");
	report_on_event(r, "sunrpc", "rpc_task_begin", on_task_begin, st);
	report_on_event(r, "sunrpc", "rpc_task_end", on_task_end, st);
	report_on_event(r, "sunrpc", "rpc_stats_latency", on_stats_latency, st);
	report_on_event(r, "sunrpc", "xprt_retransmit", on_retransmit, st);
	for (unsigned int i = 0; i < ARRAY_SIZE(nfs4_error_events); i++) {
		/* "nfs4_open_file" -> "open_file" in the errors table */
		st->nfs4_ctx[i] = (struct nfs4_ctx){ st, i, nfs4_error_events[i] + 5 };
		e = tep_find_event_by_name(tep, "nfs4", nfs4_error_events[i]);
		field_ref_init(&st->n4_err[i], e, "error");
		report_on_event(r, "nfs4", nfs4_error_events[i], on_nfs4_error,
				&st->nfs4_ctx[i]);
	}
	e = tep_find_event_by_name(tep, "nfs4", "nfs4_open_file");
	field_ref_init(&st->of_dev, e, "dev");
	field_ref_init(&st->of_fileid, e, "fileid");
	field_ref_init(&st->of_name, e, "name");
	e = tep_find_event_by_name(tep, "nfs4", "nfs4_xdr_status");
	field_ref_init(&st->n4x_err, e, "error");
	field_ref_init(&st->n4x_op, e, "op");
	report_on_event(r, "nfs4", "nfs4_xdr_status", on_nfs4_xdr_status, st);
	e = tep_find_event_by_name(tep, "nfs", "nfs_xdr_status");
	field_ref_init(&st->nx_err, e, "error");
	field_ref_init(&st->nx_proc, e, "procedure");
	report_on_event(r, "nfs", "nfs_xdr_status", on_nfs_xdr_status, st);
	return st;
}

/*
 * RPCs begun with no operation of a known mount in flight (an open of a
 * cached file, a close) go, at the end, to the mount of their client when
 * it served only one; the others (those -p filtered out, lease renewal)
 * keep an unknown mount
 */
static void place_unknown_rpcs(struct nfs_state *st)
{
	struct proc_stats **move = NULL;
	size_t n = 0;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->procs, &i, &k, &v);) {
		struct proc_stats *p = v;
		uint32_t dev1 = (uint32_t)(uintptr_t)intmap_get(&st->clients, p->client);

		if (!p->dev1 && dev1 && dev1 != AMBIGUOUS) {
			move = xrealloc(move, (n + 1) * sizeof(*move));
			move[n++] = p;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct proc_stats *p = move[i];
		uint32_t dev1 = (uint32_t)(uintptr_t)intmap_get(&st->clients, p->client);
		struct proc_stats *to = proc_get(st, p->client, dev1, p->prog, p->proc, p->version);

		to->count += p->count;
		to->errors += p->errors;
		to->retrans += p->retrans;
		to->execute_us += p->execute_us;
		to->backlog_us += p->backlog_us;
		to->rtt_us += p->rtt_us;
		hist_merge(&to->rtt, &p->rtt);
		hist_merge(&to->execute, &p->execute);
		intmap_del(&st->procs, proc_key(p->client, 0, p->prog, p->proc));
		hist_release(&p->rtt);
		hist_release(&p->execute);
		free(p);
	}
	free(move);
}

static void nfs_report_finish(struct report *r, void *state)
{
	struct nfs_state *st = state;

	place_unknown_rpcs(st);

	if (st->unmatched_ops)
		report_count(r, "NFS operation ends without a start (not timed)",
			     st->unmatched_ops);
	if (st->pending_ops.len)
		report_count(r, "NFS operations unfinished at the end", st->pending_ops.len);
	if (st->unmatched_tasks)
		report_count(r, "RPC latencies of tasks begun before the capture",
			     st->unmatched_tasks);
	if (st->tasks.len) {
		uint64_t k, ended = 0;
		void *v;

		/* rpc_count_iostats() skips a task that never got a request slot */
		for (size_t i = 0; intmap_next(&st->tasks, &i, &k, &v);)
			ended += ((struct rpc_pending *)v)->ended;
		if (ended)
			report_count(r, "RPC tasks ended without latency statistics", ended);
		if (st->tasks.len > ended)
			report_count(r, "RPC tasks unfinished at the end", st->tasks.len - ended);
	}
}

/* ---- output ---- */

/* The row's mount, and a mount of its client for the server when it has none */
static const struct mount *proc_mount(struct report *r, struct nfs_state *st,
				      const struct proc_stats *p, const struct mount **server_mt)
{
	uint32_t dev1 = (uint32_t)(uintptr_t)intmap_get(&st->clients, p->client);
	const struct mount *mt = p->dev1 ? report_dev_mount(r, p->dev1 - 1) : NULL;

	*server_mt = mt;
	if (!mt && dev1 && dev1 != AMBIGUOUS)
		*server_mt = report_dev_mount(r, dev1 - 1);
	return mt;
}

/* "127.0.0.1" of "127.0.0.1:/export"; "[::1]" stays bracketed */
static const char *mount_server(const struct mount *mt, char *buf, size_t size)
{
	const char *src = mt ? mt->source : NULL;
	const char *colon;

	if (!src || !(colon = strstr(src, ":/")))
		return NULL;
	snprintf(buf, size, "%.*s", (int)(colon - src), src);
	return buf;
}

struct op_row {
	uint32_t dev;
	unsigned int op;
	struct op_stats *o;
};

static int op_row_cmp(const void *a, const void *b)
{
	const struct op_row *x = a, *y = b;

	if (x->o->total_ns != y->o->total_ns)
		return x->o->total_ns < y->o->total_ns ? 1 : -1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return (int)x->op - (int)y->op;
}

static struct op_row *op_rows(struct nfs_state *st, size_t *n)
{
	struct op_row *rows = NULL;
	uint64_t k;
	void *v;

	*n = 0;
	for (size_t i = 0; intmap_next(&st->ops, &i, &k, &v);) {
		struct op_stats *ops = v;

		for (unsigned int op = 0; op < NR_OPS; op++) {
			if (!ops[op].count)
				continue;
			rows = xrealloc(rows, (*n + 1) * sizeof(*rows));
			rows[(*n)++] = (struct op_row){ (uint32_t)k, op, &ops[op] };
		}
	}
	if (*n)
		qsort(rows, *n, sizeof(*rows), op_row_cmp);
	return rows;
}

/* The values of @m as an array (the caller frees it), sorted by @cmp */
static void **sorted_values(struct intmap *m, size_t *n, int (*cmp)(const void *, const void *))
{
	void **rows = NULL;
	uint64_t k;
	void *v;

	*n = 0;
	for (size_t i = 0; intmap_next(m, &i, &k, &v);) {
		rows = xrealloc(rows, (*n + 1) * sizeof(*rows));
		rows[(*n)++] = v;
	}
	if (*n)
		qsort(rows, *n, sizeof(*rows), cmp);
	return rows;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct proc_stats *x = *(struct proc_stats *const *)a;
	const struct proc_stats *y = *(struct proc_stats *const *)b;
	int c;

	if (x->execute_us != y->execute_us)
		return x->execute_us < y->execute_us ? 1 : -1;
	if (x->client != y->client)
		return x->client < y->client ? -1 : 1;
	if (x->dev1 != y->dev1)
		return x->dev1 < y->dev1 ? -1 : 1;
	c = strcmp(x->prog, y->prog);
	return c ? c : strcmp(x->proc, y->proc);
}

static struct proc_stats **proc_rows(struct nfs_state *st, size_t *n)
{
	return (struct proc_stats **)sorted_values(&st->procs, n, proc_cmp);
}

static int file_cmp(const void *a, const void *b)
{
	const struct file_stats *x = *(struct file_stats *const *)a;
	const struct file_stats *y = *(struct file_stats *const *)b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->fileid < y->fileid ? -1 : x->fileid > y->fileid;
}

static struct file_stats **file_rows(struct nfs_state *st, size_t *n)
{
	return (struct file_stats **)sorted_values(&st->files, n, file_cmp);
}

static int err_cmp(const void *a, const void *b)
{
	const struct err_stats *x = *(struct err_stats *const *)a;
	const struct err_stats *y = *(struct err_stats *const *)b;
	int c;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = strcmp(x->what, y->what);
	return c ? c : strcmp(x->name, y->name);
}

static struct err_stats **err_rows(struct nfs_state *st, size_t *n)
{
	return (struct err_stats **)sorted_values(&st->errors, n, err_cmp);
}

/* Sums over every procedure: where the RPC time went */
struct rpc_totals {
	uint64_t count, execute_us, backlog_us, rtt_us, retrans, errors;
};

static void rpc_totals(struct proc_stats **rows, size_t n, struct rpc_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		t->count += rows[i]->count;
		t->execute_us += rows[i]->execute_us;
		t->backlog_us += rows[i]->backlog_us;
		t->rtt_us += rows[i]->rtt_us;
		t->retrans += rows[i]->retrans;
		t->errors += rows[i]->errors;
	}
}

/* execute - backlog - rtt: decoding and waking the caller after the reply */
static uint64_t after_reply_us(uint64_t execute, uint64_t backlog, uint64_t rtt)
{
	return execute > backlog + rtt ? execute - backlog - rtt : 0;
}

static double share(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / whole : 0.0;
}

static void nfs_report_text(struct report *r, void *state, struct strbuf *out)
{
	struct nfs_state *st = state;
	size_t nops, nprocs, nfiles, nerrs;
	struct op_row *ops = op_rows(st, &nops);
	struct proc_stats **procs = proc_rows(st, &nprocs);
	struct file_stats **files = file_rows(st, &nfiles);
	struct err_stats **errs = err_rows(st, &nerrs);
	struct rpc_totals t;
	char b[5][32], e[64], srv[64];

	strbuf_addstr(out, "\nNFS operations\n");
	if (!nops)
		strbuf_addstr(out, "  none recorded\n");
	else
		strbuf_addf(out, "  %-20s %-18s %7s %6s %9s %9s %9s %9s\n", "MOUNT", "OPERATION",
			    "COUNT", "ERRORS", "TOTAL", "P50", "P99", "MAX");
	for (size_t i = 0; i < nops; i++) {
		const struct mount *mt = report_dev_mount(r, ops[i].dev);
		struct op_stats *o = ops[i].o;

		strbuf_addf(out, "  %-20s %-18s %7llu %6llu %9s %9s %9s %9s\n",
			    mt ? esc(e, sizeof(e), mt->point) : "?", op_name(ops[i].op),
			    (unsigned long long)o->count, (unsigned long long)o->errors,
			    fmt_ns(b[0], 32, o->total_ns),
			    fmt_ns(b[1], 32, hist_percentile(&o->lat, 50)),
			    fmt_ns(b[2], 32, hist_percentile(&o->lat, 99)),
			    fmt_ns(b[3], 32, o->max_ns));
	}

	strbuf_addstr(out, "\nRPC procedures (backlog: waiting to be sent; "
			   "rtt: on the wire and at the server)\n");
	if (!nprocs)
		strbuf_addstr(out, "  none recorded\n");
	else
		/* after the reply: the total line has its share; JSON has it per row */
		strbuf_addf(out, "  %-14s %-15s %-10s %5s %3s %4s %9s %9s %9s %9s\n", "MOUNT",
			    "SERVER", "PROCEDURE", "COUNT", "ERR", "RETX", "EXECUTE", "BACKLOG",
			    "RTT", "RTT P99");
	for (size_t i = 0; i < nprocs; i++) {
		struct proc_stats *p = procs[i];
		const struct mount *smt, *mt = proc_mount(r, st, p, &smt);
		const char *s = mount_server(smt, srv, sizeof(srv));
		char pn[40];

		snprintf(pn, sizeof(pn), "%s%s%s", strcmp(p->prog, "nfs") ? p->prog : "",
			 strcmp(p->prog, "nfs") ? ":" : "", p->proc);
		strbuf_addf(out, "  %-14s %-15s %-10s %5llu %3llu %4llu %9s %9s %9s %9s\n",
			    mt ? esc(e, sizeof(e), mt->point) : "?", s ? s : "?", pn,
			    (unsigned long long)p->count, (unsigned long long)p->errors,
			    (unsigned long long)p->retrans, fmt_ns(b[0], 32, p->execute_us * 1000),
			    fmt_ns(b[1], 32, p->backlog_us * 1000),
			    fmt_ns(b[2], 32, p->rtt_us * 1000),
			    fmt_ns(b[4], 32, hist_percentile(&p->rtt, 99)));
	}
	rpc_totals(procs, nprocs, &t);
	if (t.count)
		strbuf_addf(out,
			    "  of %s in %llu RPCs: %.1f%% round trips, %.1f%% backlog, "
			    "%.1f%% after the reply; %llu retransmissions\n",
			    fmt_ns(b[0], 32, t.execute_us * 1000), (unsigned long long)t.count,
			    100 * share(t.rtt_us, t.execute_us),
			    100 * share(t.backlog_us, t.execute_us),
			    100 * share(after_reply_us(t.execute_us, t.backlog_us, t.rtt_us),
					t.execute_us),
			    (unsigned long long)t.retrans);

	if (nfiles) {
		strbuf_addf(out, "\nNFS files\n  %-40s %7s %9s %9s\n", "FILE", "OPS", "TOTAL",
			    "BYTES");
		for (size_t i = 0; i < nfiles && i < report_top(r); i++) {
			const char *path = report_inode_path(r, files[i]->dev, files[i]->fileid);
			char id[48];

			if (!path) {
				snprintf(id, sizeof(id), "%u:%u:%llu", files[i]->dev >> 20,
					 files[i]->dev & ((1U << 20) - 1),
					 (unsigned long long)files[i]->fileid);
				path = id;
			}
			strbuf_addf(out, "  %-40s %7llu %9s %9llu\n", esc(e, sizeof(e), path),
				    (unsigned long long)files[i]->ops,
				    fmt_ns(b[0], 32, files[i]->total_ns),
				    (unsigned long long)files[i]->bytes);
		}
	}
	if (nerrs) {
		strbuf_addf(out, "\nNFS errors\n  %-28s %-16s %7s\n", "WHERE", "ERROR", "COUNT");
		for (size_t i = 0; i < nerrs; i++)
			strbuf_addf(out, "  %-28s %-16s %7llu\n", errs[i]->what, errs[i]->name,
				    (unsigned long long)errs[i]->count);
	}
	if (nops || nprocs)
		strbuf_addf(out,
			    "  attributed: %llu operations to the syscall that waited, %llu not\n",
			    (unsigned long long)st->attributed,
			    (unsigned long long)st->unattributed);
	free(ops);
	free(procs);
	free(files);
	free(errs);
}

static void json_mount(struct strbuf *out, const struct mount *mt, const struct mount *smt)
{
	char srv[64];
	const char *s = mount_server(smt, srv, sizeof(srv));

	strbuf_addstr(out, "\"mount\":");
	if (mt) {
		strbuf_addch(out, '"');
		strbuf_add_json(out, mt->point);
		strbuf_addch(out, '"');
	} else {
		strbuf_addstr(out, "null");
	}
	strbuf_addstr(out, ",\"server\":");
	if (s) {
		strbuf_addch(out, '"');
		strbuf_add_json(out, s);
		strbuf_addch(out, '"');
	} else {
		strbuf_addstr(out, "null");
	}
}

static void nfs_report_json(struct report *r, void *state, struct strbuf *out)
{
	struct nfs_state *st = state;
	size_t nops, nprocs, nfiles, nerrs;
	struct op_row *ops = op_rows(st, &nops);
	struct proc_stats **procs = proc_rows(st, &nprocs);
	struct file_stats **files = file_rows(st, &nfiles);
	struct err_stats **errs = err_rows(st, &nerrs);
	struct rpc_totals t;

	strbuf_addstr(out, ",\"nfs\":{\"operations\":[");
	for (size_t i = 0; i < nops; i++) {
		struct op_stats *o = ops[i].o;

		strbuf_addf(out, "%s{\"operation\":\"%s\",\"device\":\"%u:%u\",", i ? "," : "",
			    op_name(ops[i].op), ops[i].dev >> 20, ops[i].dev & ((1U << 20) - 1));
		json_mount(out, report_dev_mount(r, ops[i].dev), report_dev_mount(r, ops[i].dev));
		strbuf_addf(out,
			    ",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu,"
			    "\"p50_ns\":%llu,\"p99_ns\":%llu,\"max_ns\":%llu,\"bytes\":%llu}",
			    (unsigned long long)o->count, (unsigned long long)o->errors,
			    (unsigned long long)o->total_ns,
			    (unsigned long long)hist_percentile(&o->lat, 50),
			    (unsigned long long)hist_percentile(&o->lat, 99),
			    (unsigned long long)o->max_ns, (unsigned long long)o->bytes);
	}
	strbuf_addstr(out, "],\"rpc\":[");
	for (size_t i = 0; i < nprocs; i++) {
		struct proc_stats *p = procs[i];
		const struct mount *mt, *smt;

		strbuf_addf(out, "%s{\"program\":", i ? "," : "");
		strbuf_add_json_value(out, p->prog);
		strbuf_addf(out, ",\"version\":%d,\"procedure\":", p->version);
		strbuf_add_json_value(out, p->proc);
		strbuf_addf(out, ",\"client\":%u,", p->client);
		mt = proc_mount(r, st, p, &smt);
		json_mount(out, mt, smt);
		strbuf_addf(out, ",\"count\":%llu,\"errors\":%llu,\"retransmits\":%llu,"
			    "\"execute_ns\":%llu,\"backlog_ns\":%llu,\"rtt_ns\":%llu,"
			    "\"after_reply_ns\":%llu,\"rtt_p50_ns\":%llu,\"rtt_p99_ns\":%llu,"
			    "\"execute_p99_ns\":%llu}",
			    (unsigned long long)p->count, (unsigned long long)p->errors,
			    (unsigned long long)p->retrans,
			    (unsigned long long)p->execute_us * 1000,
			    (unsigned long long)p->backlog_us * 1000,
			    (unsigned long long)p->rtt_us * 1000,
			    (unsigned long long)after_reply_us(p->execute_us, p->backlog_us,
								p->rtt_us) * 1000,
			    (unsigned long long)hist_percentile(&p->rtt, 50),
			    (unsigned long long)hist_percentile(&p->rtt, 99),
			    (unsigned long long)hist_percentile(&p->execute, 99));
	}
	rpc_totals(procs, nprocs, &t);
	strbuf_addf(out, "],\"rpc_total\":{\"count\":%llu,\"errors\":%llu,\"retransmits\":%llu,"
		    "\"execute_ns\":%llu,\"backlog_ns\":%llu,\"rtt_ns\":%llu,"
		    "\"after_reply_ns\":%llu,\"rtt_share\":%.4f,\"backlog_share\":%.4f},"
		    "\"files\":[",
		    (unsigned long long)t.count, (unsigned long long)t.errors,
		    (unsigned long long)t.retrans, (unsigned long long)t.execute_us * 1000,
		    (unsigned long long)t.backlog_us * 1000, (unsigned long long)t.rtt_us * 1000,
		    (unsigned long long)after_reply_us(t.execute_us, t.backlog_us, t.rtt_us) * 1000,
		    share(t.rtt_us, t.execute_us), share(t.backlog_us, t.execute_us));
	for (size_t i = 0; i < nfiles && i < report_top(r); i++) {
		strbuf_addf(out, "%s{\"device\":\"%u:%u\",\"fileid\":%llu,\"path\":", i ? "," : "",
			    files[i]->dev >> 20, files[i]->dev & ((1U << 20) - 1),
			    (unsigned long long)files[i]->fileid);
		strbuf_add_json_value(out, report_inode_path(r, files[i]->dev, files[i]->fileid));
		strbuf_addf(out, ",\"operations\":%llu,\"total_ns\":%llu,\"bytes\":%llu}",
			    (unsigned long long)files[i]->ops,
			    (unsigned long long)files[i]->total_ns,
			    (unsigned long long)files[i]->bytes);
	}
	strbuf_addstr(out, "],\"errors\":[");
	for (size_t i = 0; i < nerrs; i++) {
		strbuf_addf(out, "%s{\"where\":", i ? "," : "");
		strbuf_add_json_value(out, errs[i]->what);
		strbuf_addstr(out, ",\"error\":");
		strbuf_add_json_value(out, errs[i]->name);
		strbuf_addf(out, ",\"count\":%llu}", (unsigned long long)errs[i]->count);
	}
	strbuf_addf(out, "],\"attributed\":%llu,\"unattributed\":%llu}",
		    (unsigned long long)st->attributed, (unsigned long long)st->unattributed);
	free(ops);
	free(procs);
	free(files);
	free(errs);
}

static void free_all(struct intmap *m, void (*fn)(void *))
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(m, &i, &k, &v);) {
		if (fn)
			fn(v);
		free(v);
	}
	intmap_release(m);
}

static void proc_release(void *v)
{
	struct proc_stats *p = v;

	hist_release(&p->rtt);
	hist_release(&p->execute);
}

static void nfs_report_free(void *state)
{
	struct nfs_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->ops, &i, &k, &v);) {
		struct op_stats *ops = v;

		for (size_t j = 0; j < NR_OPS; j++)
			hist_release(&ops[j].lat);
	}
	free_all(&st->ops, NULL);
	free_all(&st->pending_ops, NULL);
	free_all(&st->tasks, NULL);
	free_all(&st->procs, proc_release);
	free_all(&st->files, NULL);
	free_all(&st->errors, NULL);
	/* values are dev + 1 cast to pointers, not allocations */
	intmap_release(&st->clients);
	intmap_release(&st->busy_dev);
	intmap_release(&st->io_started);
	strmap_release(&st->names, NULL);
	free(st);
}

/* An "rpc" child: the kernel's rpc_stats_latency split, a = round trip, b = backlog */
static bool nfs_child_view(struct report *r, struct child_view *v)
{
	if (v->kind != CHILD_JSON || strcmp(v->ch->layer, "rpc"))
		return false;
	strbuf_addf(v->out, ",\"procedure\":");
	strbuf_add_json_value(v->out, v->ch->what);
	strbuf_addf(v->out, ",\"rtt_ns\":%llu,\"backlog_ns\":%llu,\"error\":%d",
		    (unsigned long long)v->ch->a, (unsigned long long)v->ch->b, v->ch->error);
	return true;
}

const struct ftio_layer layer_nfs = {
	.name = "nfs",
	.summary = "NFS operations and RPCs (backlog, round trip) under the syscalls that waited",
	.plan = nfs_plan,
	.report_init = nfs_report_init,
	.report_finish = nfs_report_finish,
	.report_text = nfs_report_text,
	.report_json = nfs_report_json,
	.report_free = nfs_report_free,
	.child_view = nfs_child_view,
};
