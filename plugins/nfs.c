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
#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/strbuf.h>
#include <ftio/strmap.h>
#include <ftio/syscall-table.h>
#include <ftio/util.h>

/* The layer's state, shared with its report (nfs-report.c) */
#include "nfs.h"

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
_Static_assert(ARRAY_SIZE(pair_ops) == NR_PAIR_OPS, "nfs.h counts the pair operations");

/* I/O that starts with nfs_initiate_<x> and ends with <done> */
static const struct {
	const char *op, *initiate, *done;
} io_ops[] = {
	{ "read", "nfs_initiate_read", "nfs_readpage_done" },
	{ "write", "nfs_initiate_write", "nfs_writeback_done" },
	{ "commit", "nfs_initiate_commit", "nfs_commit_done" },
};
_Static_assert(ARRAY_SIZE(io_ops) == NR_IO_OPS, "nfs.h counts the I/O operations");

/* NFSv4 client events that carry an error, for the errors table */
static const char *const nfs4_error_events[] = {
	"nfs4_open_file", "nfs4_lookup", "nfs4_getattr", "nfs4_access", "nfs4_setattr",
	"nfs4_remove", "nfs4_readdir", "nfs4_read", "nfs4_write", "nfs4_commit", "nfs4_close",
	"nfs4_rename", "nfs4_mkdir",
};
_Static_assert(ARRAY_SIZE(nfs4_error_events) == NR_NFS4_ERROR_EVENTS, "nfs.h counts them");

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

const char *nfs_op_name(unsigned int op)
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
		count_errno(st, nfs_op_name(q->op), err);
	}
	hist_add(&o->lat, lat);
	file_add(st, q->dev, q->fileid, lat, bytes);

	/* only I/O is started by one call and waited for by another */
	c = waiting_call(r, q->tid, q->call_start, q->op >= NR_PAIR_OPS ? q->call_name : NULL,
			 q->ts, ts, &waited);
	if (c) {
		struct call_child ch = {
			.layer = "nfs", .what = nfs_op_name(q->op), .start_ns = ts - waited,
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
		     (!strcmp(nfs_op_name(q->op), "getattr") && c->name && strstr(c->name, "stat"))) &&
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
	.tables = nfs_tables,
	.report_free = nfs_report_free,
	.child_view = nfs_child_view,
};
