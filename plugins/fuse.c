// SPDX-License-Identifier: GPL-2.0
/*
 * The fuse layer: every request to a FUSE daemon, from fuse_request_send
 * (in the thread that needs the answer) to fuse_request_end (when the
 * daemon's reply arrives), paired on (connection, unique).  This is how a
 * slow userspace "NAS" shows up under the syscalls that waited for it.
 */
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/strbuf.h>
#include <ftio/util.h>

static void fuse_plan(struct record_plan *p)
{
	plan_add_event(p, "fuse", "fuse_request_send");
	/* the reply arrives in the daemon's thread, which is not one we follow */
	plan_add_async_event(p, "fuse", "fuse_request_end");
}

/* include/uapi/linux/fuse.h opcodes; a name for each the report prints */
static const char *const opcode_names[] = {
	[1] = "LOOKUP", [2] = "FORGET", [3] = "GETATTR", [4] = "SETATTR", [5] = "READLINK",
	[6] = "SYMLINK", [8] = "MKNOD", [9] = "MKDIR", [10] = "UNLINK", [11] = "RMDIR",
	[12] = "RENAME", [13] = "LINK", [14] = "OPEN", [15] = "READ", [16] = "WRITE",
	[17] = "STATFS", [18] = "RELEASE", [20] = "FSYNC", [21] = "SETXATTR", [22] = "GETXATTR",
	[23] = "LISTXATTR", [24] = "REMOVEXATTR", [25] = "FLUSH", [26] = "INIT", [27] = "OPENDIR",
	[28] = "READDIR", [29] = "RELEASEDIR", [30] = "FSYNCDIR", [31] = "GETLK", [32] = "SETLK",
	[33] = "SETLKW", [34] = "ACCESS", [35] = "CREATE", [36] = "INTERRUPT", [37] = "BMAP",
	[38] = "DESTROY", [39] = "IOCTL", [40] = "POLL", [41] = "NOTIFY_REPLY",
	[42] = "BATCH_FORGET", [43] = "FALLOCATE", [44] = "READDIRPLUS", [45] = "RENAME2",
	[46] = "LSEEK", [47] = "COPY_FILE_RANGE", [48] = "SETUPMAPPING", [49] = "REMOVEMAPPING",
	[50] = "SYNCFS", [51] = "TMPFILE", [52] = "STATX",
};

#define NR_OPCODES 64

static const char *opcode_name(unsigned int op)
{
	if (op < ARRAY_SIZE(opcode_names) && opcode_names[op])
		return opcode_names[op];
	return "OTHER";
}

struct fuse_req {
	uint64_t ts;
	uint32_t conn;
	unsigned int opcode;
	int tid;
	uint64_t call_start;
};

struct fuse_op_stats {
	uint64_t count, errors, total_ns, max_ns;
	struct hist lat;
};

struct fuse_state {
	struct intmap pending;		/* conn ^ unique -> struct fuse_req */
	struct intmap conns;		/* conn -> struct fuse_op_stats[NR_OPCODES] */
	struct field_ref s_conn, s_unique, s_opcode, e_conn, e_unique, e_error;
	uint64_t unmatched, attributed, unattributed;
};

static uint64_t req_key(uint32_t conn, uint64_t unique)
{
	return unique * 0x9e3779b97f4a7c15ULL ^ conn;
}

static void on_send(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct fuse_state *st = priv;
	struct decoder *d = report_decoder(r);
	struct fuse_req *q = xcalloc(1, sizeof(*q));
	struct call *c = report_current_call(r, ev->pid);

	q->ts = ev->ts;
	q->conn = field_u64(d, ev, &st->s_conn);
	q->opcode = field_u64(d, ev, &st->s_opcode);
	q->tid = ev->pid;
	q->call_start = c ? c->start_ns : 0;
	free(intmap_put(&st->pending, req_key(q->conn, field_u64(d, ev, &st->s_unique)), q));
}

static void on_end(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct fuse_state *st = priv;
	struct decoder *d = report_decoder(r);
	uint32_t conn = field_u64(d, ev, &st->e_conn);
	struct fuse_req *q = intmap_del(&st->pending, req_key(conn, field_u64(d, ev, &st->e_unique)));
	struct fuse_op_stats *ops, *o;
	struct call *c;
	uint64_t lat;
	int err;

	if (!q) {
		st->unmatched++;
		return;
	}
	lat = ev->ts - q->ts;
	err = field_s64(d, ev, &st->e_error);
	ops = intmap_get(&st->conns, conn);
	if (!ops) {
		ops = xcalloc(NR_OPCODES, sizeof(*ops));
		for (int i = 0; i < NR_OPCODES; i++)
			hist_init(&ops[i].lat);
		intmap_put(&st->conns, conn, ops);
	}
	o = &ops[q->opcode < NR_OPCODES ? q->opcode : 0];
	o->count++;
	o->total_ns += lat;
	if (lat > o->max_ns)
		o->max_ns = lat;
	if (err)
		o->errors++;
	hist_add(&o->lat, lat);

	c = report_current_call(r, q->tid);
	if (c && q->call_start && c->start_ns == q->call_start) {
		struct call_child ch = {
			.layer = "fuse", .what = opcode_name(q->opcode), .start_ns = q->ts,
			.latency_ns = lat, .dev = conn, .error = err, .count = 1,
		};

		call_add_child(c, &ch);
		st->attributed++;
	} else {
		st->unattributed++;
	}
	free(q);
}

static void *fuse_report_init(struct report *r)
{
	struct fuse_state *st = xcalloc(1, sizeof(*st));
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	struct tep_event *send = tep_find_event_by_name(tep, "fuse", "fuse_request_send");
	struct tep_event *end = tep_find_event_by_name(tep, "fuse", "fuse_request_end");

	field_ref_init(&st->s_conn, send, "connection");
	field_ref_init(&st->s_unique, send, "unique");
	field_ref_init(&st->s_opcode, send, "opcode");
	field_ref_init(&st->e_conn, end, "connection");
	field_ref_init(&st->e_unique, end, "unique");
	field_ref_init(&st->e_error, end, "error");
	report_on_event(r, "fuse", "fuse_request_send", on_send, st);
	report_on_event(r, "fuse", "fuse_request_end", on_end, st);
	return st;
}

static void fuse_report_finish(struct report *r, void *state)
{
	struct fuse_state *st = state;

	report_pairing(r, PAIR_FUSE_NO_REQUEST, st->unmatched);
	if (st->pending.len)
		report_count(r, "FUSE requests unanswered at the end", st->pending.len);
}

/* One row per (connection, opcode) with requests, in a stable order */
/* What a row's key points to: the rows' array holds them after its rows */
struct fuse_row_key {
	uint32_t conn;
	unsigned int op;
};

/* Most time first, as the other tables; ties in connection and opcode order */
static int fuse_row_cmp(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	const struct fuse_op_stats *sx = x->val, *sy = y->val;
	const struct fuse_row_key *kx = x->key, *ky = y->key;

	if (sx->total_ns != sy->total_ns)
		return sx->total_ns < sy->total_ns ? 1 : -1;
	if (kx->conn != ky->conn)
		return kx->conn < ky->conn ? -1 : 1;
	return (kx->op > ky->op) - (kx->op < ky->op);
}

/* A row per (connection, opcode) that saw requests */
static struct report_row *fuse_rows(struct report *r, void *state, size_t *n)
{
	struct fuse_state *st = state;
	size_t cap = st->conns.len * NR_OPCODES;
	struct report_row *rows = xcalloc(1, (cap + 1) * sizeof(*rows) +
					  cap * sizeof(struct fuse_row_key));
	struct fuse_row_key *keys = (struct fuse_row_key *)(rows + cap + 1);
	uint64_t k;
	void *v;

	*n = 0;
	for (size_t i = 0; intmap_next(&st->conns, &i, &k, &v);) {
		struct fuse_op_stats *ops = v;

		for (unsigned int op = 0; op < NR_OPCODES; op++) {
			if (!ops[op].count)
				continue;
			keys[*n] = (struct fuse_row_key){ k, op };
			rows[*n].key = &keys[*n];
			rows[(*n)++].val = &ops[op];
		}
	}
	qsort(rows, *n, sizeof(*rows), fuse_row_cmp);
	return rows;
}

#define OPS(row) ((const struct fuse_op_stats *)(row)->val)

static uint32_t row_conn(const struct report_row *row)
{
	return ((const struct fuse_row_key *)row->key)->conn;
}

static void fuse_mount_text(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *mt = report_dev_mount(r, row_conn(row));

	c->s = mt ? mt->point : "?";
}

static void fuse_mount(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *mt = report_dev_mount(r, row_conn(row));

	c->s = mt ? mt->point : NULL;
}

static void fuse_opcode(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = opcode_name(((const struct fuse_row_key *)row->key)->op);
}

static void fuse_conn(struct report *r, const struct report_row *row, struct cell *c)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", row_conn(row) >> 20,
		 row_conn(row) & ((1U << 20) - 1));
	c->s = c->buf;
}

static void fuse_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OPS(row)->count;
}

static void fuse_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OPS(row)->errors;
}

static void fuse_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OPS(row)->total_ns;
}

static void fuse_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&OPS(row)->lat, 50);
}

static void fuse_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&OPS(row)->lat, 99);
}

static void fuse_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = OPS(row)->max_ns;
}

static void fuse_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	struct fuse_state *st = state;

	if (nr_rows)
		strbuf_addf(out, "  attributed: %llu to the syscall that waited, %llu not\n",
			    (unsigned long long)st->attributed, (unsigned long long)st->unattributed);
}

static const struct table_col fuse_cols[] = {
	{ "MOUNT", NULL, COL_STR, -24, COL_CLIP, fuse_mount_text, NULL },
	{ "OPCODE", "opcode", COL_STR, -14, 0, fuse_opcode, NULL },
	{ NULL, "mount", COL_STR, 0, 0, fuse_mount, NULL },
	{ NULL, "connection", COL_STR, 0, 0, fuse_conn, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, fuse_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, fuse_errors, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, fuse_total, NULL },
	{ "P50", "p50_ns", COL_NS, 9, 0, fuse_p50, NULL },
	{ "P99", "p99_ns", COL_NS, 9, 0, fuse_p99, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, fuse_max, NULL },
};

static const struct table_desc fuse_table = {
	.title = "FUSE requests",
	.key = "fuse",
	COLS(fuse_cols),
	.rows = fuse_rows,
	.empty = "none recorded",
	.text_footer = fuse_footer,
};

static const struct table_desc *const fuse_tables[] = { &fuse_table, NULL };

static void fuse_report_free(void *state)
{
	struct fuse_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->pending, &i, &k, &v);)
		free(v);
	intmap_release(&st->pending);
	for (size_t i = 0; intmap_next(&st->conns, &i, &k, &v);) {
		struct fuse_op_stats *ops = v;

		for (int j = 0; j < NR_OPCODES; j++)
			hist_release(&ops[j].lat);
		free(ops);
	}
	intmap_release(&st->conns);
	free(st);
}

/* The text is the generic one; the JSON names the opcode */
static bool fuse_child_view(struct report *r, struct child_view *v)
{
	if (v->kind != CHILD_JSON || strcmp(v->ch->layer, "fuse"))
		return false;
	strbuf_addstr(v->out, ",\"opcode\":");
	strbuf_add_json_value(v->out, v->ch->what);
	strbuf_addf(v->out, ",\"error\":%d", v->ch->error);
	return true;
}

const struct ftio_layer layer_fuse = {
	.name = "fuse",
	.summary = "FUSE requests per opcode and mount, linked to the syscalls that waited",
	.plan = fuse_plan,
	.report_init = fuse_report_init,
	.report_finish = fuse_report_finish,
	.tables = fuse_tables,
	.report_free = fuse_report_free,
	.child_view = fuse_child_view,
};
