// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring layer's tables (its events are plugins/io_uring.c's):
 * "Asynchronous I/O" per engine and opcode, the requests by process and
 * by file apart from the syscalls', and the slowest requests with their
 * children.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftio/model.h>
#include <ftio/strbuf.h>
#include <ftio/table.h>
#include <ftio/util.h>

#include "uring.h"

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

const struct table_desc *const uring_tables[] = {
	&req_table, &proc_table, &file_table, &slow_table, NULL,
};

void uring_report_free(void *state)
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
