// SPDX-License-Identifier: GPL-2.0
/*
 * The nfs layer's report: its operations, RPC procedures, files and
 * errors, sorted and written as text and JSON sections from the state
 * that plugins/nfs.c fills while the events go by.
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

void nfs_report_text(struct report *r, void *state, struct strbuf *out)
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
			    mt ? esc(e, sizeof(e), mt->point) : "?", nfs_op_name(ops[i].op),
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

void nfs_report_json(struct report *r, void *state, struct strbuf *out)
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
			    nfs_op_name(ops[i].op), ops[i].dev >> 20, ops[i].dev & ((1U << 20) - 1));
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
