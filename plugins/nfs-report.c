// SPDX-License-Identifier: GPL-2.0
/*
 * The nfs layer's report: its operations, RPC procedures, files and
 * errors, described as tables (ftio/table.h) over the state that
 * plugins/nfs.c fills while the events go by; the views render them.
 * The four tables share one JSON object, "nfs".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftio/layer.h>

#include "nfs.h"
#include <ftio/model.h>
#include <ftio/strbuf.h>
#include <ftio/table.h>
#include <ftio/util.h>

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

static void *proc_values(struct nfs_state *st, size_t *n)
{
	return sorted_values(&st->procs, n, proc_cmp);
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

static void *file_values(struct nfs_state *st, size_t *n)
{
	return sorted_values(&st->files, n, file_cmp);
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

static void *err_values(struct nfs_state *st, size_t *n)
{
	return sorted_values(&st->errors, n, err_cmp);
}

/* Sums over every procedure: where the RPC time went */
struct rpc_totals {
	uint64_t count, execute_us, backlog_us, rtt_us, retrans, errors;
};

static void rpc_totals(struct nfs_state *st, struct rpc_totals *t)
{
	uint64_t k;
	void *v;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; intmap_next(&st->procs, &i, &k, &v);) {
		const struct proc_stats *p = v;

		t->count += p->count;
		t->execute_us += p->execute_us;
		t->backlog_us += p->backlog_us;
		t->rtt_us += p->rtt_us;
		t->retrans += p->retrans;
		t->errors += p->errors;
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

/* The values of a map, sorted by @sort, as rows */
static struct report_row *value_rows(struct nfs_state *st, size_t *n,
				     void *(*sort)(struct nfs_state *st, size_t *n))
{
	void **v = sort(st, n);
	struct report_row *rows = xcalloc(*n + 1, sizeof(*rows));

	for (size_t i = 0; i < *n; i++)
		rows[i].val = v[i];
	free(v);
	return rows;
}

/* "0:28": a kernel dev_t as the JSON names devices */
static void cell_dev(struct cell *c, uint32_t dev)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", dev >> 20, dev & ((1U << 20) - 1));
	c->s = c->buf;
}

/* The text's mount point: escaped, cut as the hand-written sections did, "?" when unknown */
static void cell_mount_text(struct cell *c, const struct mount *mt)
{
	c->s = mt ? mt->point : "?";
}

static void cell_mount(struct cell *c, const struct mount *mt)
{
	c->s = mt ? mt->point : NULL;
	c->null = !c->s;
}

static void cell_server(struct cell *c, const struct mount *mt, const char *absent)
{
	c->s = mount_server(mt, c->buf, sizeof(c->buf));
	if (!c->s && absent)
		c->s = absent;
	c->null = !c->s;
}

/* ---- NFS operations: one row per (mount, operation) ---- */

#define OP_ROW(row) ((const struct op_row *)(row)->key)
#define OP(row) ((const struct op_stats *)(row)->val)

/* The rows' keys are kept after the rows, in the same allocation */
static struct report_row *nfs_op_rows(struct report *r, void *state, size_t *n)
{
	struct op_row *v = op_rows(state, n);
	struct report_row *rows = xcalloc(1, (*n + 1) * sizeof(*rows) + *n * sizeof(*v));
	struct op_row *keys = (struct op_row *)(rows + *n + 1);

	for (size_t i = 0; i < *n; i++) {
		keys[i] = v[i];
		rows[i].key = &keys[i];
		rows[i].val = v[i].o;
	}
	free(v);
	return rows;
}

static void op_mount_text(struct report *r, const struct report_row *row, struct cell *c)
{
	cell_mount_text(c, report_dev_mount(r, OP_ROW(row)->dev));
}

static void op_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = nfs_op_name(OP_ROW(row)->op);
}

static void op_device(struct report *r, const struct report_row *row, struct cell *c)
{
	cell_dev(c, OP_ROW(row)->dev);
}

static void op_mount(struct report *r, const struct report_row *row, struct cell *c)
{
	cell_mount(c, report_dev_mount(r, OP_ROW(row)->dev));
}

static void op_server(struct report *r, const struct report_row *row, struct cell *c)
{
	cell_server(c, report_dev_mount(r, OP_ROW(row)->dev), NULL);
}

static void op_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OP(row)->count;
}

static void op_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OP(row)->errors;
}

static void op_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OP(row)->total_ns;
}

static void op_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&OP(row)->lat, 50);
}

static void op_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&OP(row)->lat, 99);
}

static void op_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OP(row)->max_ns;
}

static void op_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OP(row)->bytes;
}

static const struct table_col op_cols[] = {
	{ "MOUNT", NULL, COL_STR, -20, COL_CLIP, op_mount_text, NULL },
	{ "OPERATION", "operation", COL_STR, -18, 0, op_name, NULL },
	{ NULL, "device", COL_STR, 0, 0, op_device, NULL },
	{ NULL, "mount", COL_STR, 0, 0, op_mount, NULL },
	{ NULL, "server", COL_STR, 0, 0, op_server, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, op_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, op_errors, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, op_total, NULL },
	{ "P50", "p50_ns", COL_NS, 9, 0, op_p50, NULL },
	{ "P99", "p99_ns", COL_NS, 9, 0, op_p99, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, op_max, NULL },
	{ NULL, "bytes", COL_U64, 0, 0, op_bytes, NULL },
};

static const struct table_desc nfs_ops_table = {
	.title = "NFS operations",
	.key = "operations",
	COLS(op_cols),
	.rows = nfs_op_rows,
	.empty = "none recorded",
	.json_open = "nfs",
};

/* ---- RPC procedures: one row per (client, mount, procedure) ---- */

#define PROC(row) ((const struct proc_stats *)(row)->val)

/* A row's key is the layer's state: its mount is found through the RPC clients */
static struct report_row *nfs_proc_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = value_rows(state, n, proc_values);

	for (size_t i = 0; i < *n; i++)
		rows[i].key = state;
	return rows;
}

/* The row's mount, and the one its server is named from */
static const struct mount *row_mounts(struct report *r, const struct report_row *row,
				      const struct mount **smt)
{
	return proc_mount(r, (struct nfs_state *)row->key, PROC(row), smt);
}

static void proc_mount_text(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *smt;

	cell_mount_text(c, row_mounts(r, row, &smt));
}

static void proc_server_text(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *smt;

	row_mounts(r, row, &smt);
	cell_server(c, smt, "?");
}

/* "READ", or "mountd:MNT" for a program other than nfs */
static void proc_name_text(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct proc_stats *p = PROC(row);
	bool other = strcmp(p->prog, "nfs");

	/* 40 bytes, as the hand-written section cut it */
	snprintf(c->buf, 40, "%s%s%s", other ? p->prog : "", other ? ":" : "", p->proc);
	c->s = c->buf;
}

static void proc_program(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = PROC(row)->prog;
}

static void proc_version(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = PROC(row)->version;
}

static void proc_procedure(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = PROC(row)->proc;
}

static void proc_client(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->client;
}

static void proc_mount_json(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *smt;

	cell_mount(c, row_mounts(r, row, &smt));
}

static void proc_server(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *smt;

	row_mounts(r, row, &smt);
	cell_server(c, smt, NULL);
}

static void proc_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->count;
}

static void proc_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->errors;
}

static void proc_retrans(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->retrans;
}

static void proc_execute(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->execute_us * 1000;
}

static void proc_backlog(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->backlog_us * 1000;
}

static void proc_rtt(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->rtt_us * 1000;
}

static void proc_after_reply(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct proc_stats *p = PROC(row);

	c->u = after_reply_us(p->execute_us, p->backlog_us, p->rtt_us) * 1000;
}

static void proc_rtt_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&PROC(row)->rtt, 50);
}

static void proc_rtt_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&PROC(row)->rtt, 99);
}

static void proc_execute_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&PROC(row)->execute, 99);
}

/* The text's share line: of the whole RPC time, how much was where */
static void rpc_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	struct rpc_totals t;
	char b[32];

	rpc_totals(state, &t);
	if (t.count)
		strbuf_addf(out,
			    "  of %s in %llu RPCs: %.1f%% round trips, %.1f%% backlog, "
			    "%.1f%% after the reply; %llu retransmissions\n",
			    fmt_ns(b, sizeof(b), t.execute_us * 1000), (unsigned long long)t.count,
			    100 * share(t.rtt_us, t.execute_us),
			    100 * share(t.backlog_us, t.execute_us),
			    100 * share(after_reply_us(t.execute_us, t.backlog_us, t.rtt_us),
					t.execute_us),
			    (unsigned long long)t.retrans);
}

/* The JSON's sums over every procedure, after the procedures */
static void rpc_json_after(struct report *r, void *state, struct strbuf *out)
{
	struct rpc_totals t;

	rpc_totals(state, &t);
	strbuf_addf(out, ",\"rpc_total\":{\"count\":%llu,\"errors\":%llu,\"retransmits\":%llu,"
		    "\"execute_ns\":%llu,\"backlog_ns\":%llu,\"rtt_ns\":%llu,"
		    "\"after_reply_ns\":%llu,\"rtt_share\":%.4f,\"backlog_share\":%.4f}",
		    (unsigned long long)t.count, (unsigned long long)t.errors,
		    (unsigned long long)t.retrans, (unsigned long long)t.execute_us * 1000,
		    (unsigned long long)t.backlog_us * 1000, (unsigned long long)t.rtt_us * 1000,
		    (unsigned long long)after_reply_us(t.execute_us, t.backlog_us, t.rtt_us) * 1000,
		    share(t.rtt_us, t.execute_us), share(t.backlog_us, t.execute_us));
}

/* After the reply: the text's total line has its share, the JSON has it per row */
static const struct table_col proc_cols[] = {
	{ "MOUNT", NULL, COL_STR, -14, COL_CLIP, proc_mount_text, NULL },
	{ "SERVER", NULL, COL_STR, -15, 0, proc_server_text, NULL },
	{ "PROCEDURE", NULL, COL_STR, -10, 0, proc_name_text, NULL },
	{ NULL, "program", COL_STR, 0, 0, proc_program, NULL },
	{ NULL, "version", COL_S64, 0, 0, proc_version, NULL },
	{ NULL, "procedure", COL_STR, 0, 0, proc_procedure, NULL },
	{ NULL, "client", COL_U64, 0, 0, proc_client, NULL },
	{ NULL, "mount", COL_STR, 0, 0, proc_mount_json, NULL },
	{ NULL, "server", COL_STR, 0, 0, proc_server, NULL },
	{ "COUNT", "count", COL_U64, 5, 0, proc_count, NULL },
	{ "ERR", "errors", COL_U64, 3, 0, proc_errors, NULL },
	{ "RETX", "retransmits", COL_U64, 4, 0, proc_retrans, NULL },
	{ "EXECUTE", "execute_ns", COL_NS, 9, 0, proc_execute, NULL },
	{ "BACKLOG", "backlog_ns", COL_NS, 9, 0, proc_backlog, NULL },
	{ "RTT", "rtt_ns", COL_NS, 9, 0, proc_rtt, NULL },
	{ NULL, "after_reply_ns", COL_U64, 0, 0, proc_after_reply, NULL },
	{ NULL, "rtt_p50_ns", COL_U64, 0, 0, proc_rtt_p50, NULL },
	{ "RTT P99", "rtt_p99_ns", COL_NS, 9, 0, proc_rtt_p99, NULL },
	{ NULL, "execute_p99_ns", COL_U64, 0, 0, proc_execute_p99, NULL },
};

static const struct table_desc nfs_rpc_table = {
	.title = "RPC procedures (backlog: waiting to be sent; rtt: on the wire and at the server)",
	.key = "rpc",
	COLS(proc_cols),
	.rows = nfs_proc_rows,
	.empty = "none recorded",
	.text_footer = rpc_footer,
	.json_after = rpc_json_after,
};

/* ---- NFS files: the --top files by time ---- */

#define FILE_ST(row) ((const struct file_stats *)(row)->val)

static struct report_row *nfs_file_rows(struct report *r, void *state, size_t *n)
{
	return value_rows(state, n, file_values);
}

/* The file's path, or "0:28:795" (device and file id) when no path is known */
static void file_text(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct file_stats *f = FILE_ST(row);
	const char *path = report_inode_path(r, f->dev, f->fileid);

	if (!path) {
		snprintf(c->buf, sizeof(c->buf), "%u:%u:%llu", f->dev >> 20,
			 f->dev & ((1U << 20) - 1), (unsigned long long)f->fileid);
		path = c->buf;
	}
	c->s = path;
}

static void file_device(struct report *r, const struct report_row *row, struct cell *c)
{
	cell_dev(c, FILE_ST(row)->dev);
}

static void file_id(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_ST(row)->fileid;
}

static void file_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = report_inode_path(r, FILE_ST(row)->dev, FILE_ST(row)->fileid);
}

static void file_ops(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_ST(row)->ops;
}

static void file_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_ST(row)->total_ns;
}

static void file_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_ST(row)->bytes;
}

static const struct table_col file_cols[] = {
	{ "FILE", NULL, COL_STR, -40, COL_CLIP, file_text, NULL },
	{ NULL, "device", COL_STR, 0, 0, file_device, NULL },
	{ NULL, "fileid", COL_U64, 0, 0, file_id, NULL },
	{ NULL, "path", COL_STR, 0, 0, file_path, NULL },
	{ "OPS", "operations", COL_U64, 7, 0, file_ops, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, file_total, NULL },
	{ "BYTES", "bytes", COL_U64, 9, 0, file_bytes, NULL },
};

static const struct table_desc nfs_files_table = {
	.title = "NFS files",
	.key = "files",
	COLS(file_cols),
	.rows = nfs_file_rows,
	.text_limit = LIMIT_TOP,
	.json_limit = LIMIT_TOP,
	.hidden_without_rows = true,
};

/* ---- NFS errors, and the attribution of the whole layer ---- */

#define ERR(row) ((const struct err_stats *)(row)->val)

static struct report_row *nfs_err_rows(struct report *r, void *state, size_t *n)
{
	return value_rows(state, n, err_values);
}

static void err_where(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ERR(row)->what;
}

static void err_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ERR(row)->name;
}

static void err_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = ERR(row)->count;
}

/* Whether any operation was counted (a mount's array may hold none) */
static bool any_op(struct nfs_state *st)
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->ops, &i, &k, &v);)
		for (unsigned int op = 0; op < NR_OPS; op++)
			if (((struct op_stats *)v)[op].count)
				return true;
	return false;
}

/* The attribution closes the layer's sections, with or without errors */
static void err_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	struct nfs_state *st = state;

	if (st->procs.len || any_op(st))
		strbuf_addf(out,
			    "  attributed: %llu operations to the syscall that waited, %llu not\n",
			    (unsigned long long)st->attributed,
			    (unsigned long long)st->unattributed);
}

static void err_json_after(struct report *r, void *state, struct strbuf *out)
{
	struct nfs_state *st = state;

	strbuf_addf(out, ",\"attributed\":%llu,\"unattributed\":%llu",
		    (unsigned long long)st->attributed, (unsigned long long)st->unattributed);
}

static const struct table_col err_cols[] = {
	{ "WHERE", "where", COL_STR, -28, 0, err_where, NULL },
	{ "ERROR", "error", COL_STR, -16, 0, err_name, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, err_count, NULL },
};

static const struct table_desc nfs_errors_table = {
	.title = "NFS errors",
	.key = "errors",
	COLS(err_cols),
	.rows = nfs_err_rows,
	.hidden_without_rows = true,
	.text_footer = err_footer,
	.json_after = err_json_after,
	.json_close = true,
};

const struct table_desc *const nfs_tables[] = {
	&nfs_ops_table, &nfs_rpc_table, &nfs_files_table, &nfs_errors_table, NULL,
};

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

void nfs_report_free(void *state)
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
