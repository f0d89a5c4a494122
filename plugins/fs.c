// SPDX-License-Identifier: GPL-2.0
/*
 * The fs layer, kept modest on purpose: filesystem work inside a call
 * that the tracepoints bracket on one thread -- direct I/O through iomap
 * (iomap_dio_rw_begin .. iomap_dio_complete), ext4's fsync
 * (ext4_sync_file_enter/exit) and ext4 block mapping
 * (ext4_ext_map_blocks_enter/exit).  Each becomes an "fs" child of the
 * syscall in flight, summed per kind; the value is in the link, not in
 * listing every filesystem event.
 */
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/strbuf.h>
#include <ftio/util.h>

static const struct fs_pair {
	const char *system, *begin, *end, *what;
} pairs[] = {
	{ "iomap", "iomap_dio_rw_begin", "iomap_dio_complete", "direct-io" },
	{ "ext4", "ext4_sync_file_enter", "ext4_sync_file_exit", "ext4-fsync" },
	{ "ext4", "ext4_ext_map_blocks_enter", "ext4_ext_map_blocks_exit", "ext4-map-blocks" },
};

static void fs_plan(struct record_plan *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
		plan_add_event(p, pairs[i].system, pairs[i].begin);
		plan_add_event(p, pairs[i].system, pairs[i].end);
	}
}

struct fs_kind_stats {
	uint64_t count, total_ns, max_ns;
};

struct fs_handler {
	struct fs_state *st;
	unsigned int kind;
	bool end;
};

struct fs_state {
	struct intmap open;	/* tid * kinds + kind -> start ts + 1 */
	struct fs_kind_stats kinds[ARRAY_SIZE(pairs)];
	struct fs_handler handlers[2 * ARRAY_SIZE(pairs)];
	uint64_t in_calls;
};

static void on_fs(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct fs_handler *h = priv;
	struct fs_state *st = h->st;
	uint64_t key = (uint64_t)ev->pid * ARRAY_SIZE(pairs) + h->kind;
	struct fs_kind_stats *ks = &st->kinds[h->kind];
	uint64_t start, lat;
	struct call *c;
	struct call_child *ch;

	if (!h->end) {
		/* nested begins on one thread (map_blocks inside DIO) keep the first */
		if (!intmap_get(&st->open, key))
			intmap_put_u64(&st->open, key, ev->ts);
		return;
	}
	if (!intmap_del_u64(&st->open, key, &start))
		return;
	lat = ev->ts - start;
	ks->count++;
	ks->total_ns += lat;
	if (lat > ks->max_ns)
		ks->max_ns = lat;
	c = report_current_call(r, ev->pid);
	if (!c || c->start_ns > start)
		return;
	st->in_calls++;
	ch = call_child_find(c, "fs", pairs[h->kind].what, 0);
	if (!ch) {
		struct call_child n = { .layer = "fs", .what = pairs[h->kind].what, .start_ns = start };

		call_add_child(c, &n);
		ch = call_child_find(c, "fs", pairs[h->kind].what, 0);
	}
	if (ch) {
		ch->count++;
		ch->latency_ns += lat;
	}
}

static void *fs_report_init(struct report *r)
{
	struct fs_state *st = xcalloc(1, sizeof(*st));

	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++) {
		st->handlers[2 * i] = (struct fs_handler){ st, i, false };
		st->handlers[2 * i + 1] = (struct fs_handler){ st, i, true };
		report_on_event(r, pairs[i].system, pairs[i].begin, on_fs, &st->handlers[2 * i]);
		report_on_event(r, pairs[i].system, pairs[i].end, on_fs, &st->handlers[2 * i + 1]);
	}
	return st;
}

/* The kinds of work seen, in the order of pairs[]: the row's key names it */
static struct report_row *fs_rows(struct report *r, void *state, size_t *n)
{
	struct fs_state *st = state;
	struct report_row *rows = xcalloc(ARRAY_SIZE(pairs) + 1, sizeof(*rows));

	*n = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++) {
		if (!st->kinds[i].count)
			continue;
		rows[*n].key = pairs[i].what;
		rows[(*n)++].val = &st->kinds[i];
	}
	return rows;
}

#define KIND(row) ((const struct fs_kind_stats *)(row)->val)

static void fs_what(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = row->key;
}

static void fs_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = KIND(row)->count;
}

static void fs_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = KIND(row)->total_ns;
}

static void fs_avg(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = KIND(row)->total_ns / KIND(row)->count;
}

static void fs_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = KIND(row)->max_ns;
}

static const struct table_col fs_cols[] = {
	{ "OPERATION", "operation", COL_STR, -18, 0, fs_what, NULL },
	{ "COUNT", "count", COL_U64, 8, 0, fs_count, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, fs_total, NULL },
	{ "AVG", NULL, COL_NS, 9, 0, fs_avg, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, fs_max, NULL },
};

static const struct table_desc fs_table = {
	.title = "Filesystem work inside calls",
	.key = "fs",
	COLS(fs_cols),
	.rows = fs_rows,
	.empty = "none recorded",
};

static const struct table_desc *const fs_tables[] = { &fs_table, NULL };

static void fs_report_free(void *state)
{
	struct fs_state *st = state;

	intmap_release_u64(&st->open);
	free(st);
}

/* The text is the generic one; the JSON names the operation */
static bool fs_child_view(struct report *r, struct child_view *v)
{
	if (v->kind != CHILD_JSON || strcmp(v->ch->layer, "fs"))
		return false;
	strbuf_addstr(v->out, ",\"operation\":");
	strbuf_add_json_value(v->out, v->ch->what);
	return true;
}

const struct ftio_layer layer_fs = {
	.name = "fs",
	.summary = "filesystem work inside calls: direct I/O (iomap), ext4 fsync and block mapping",
	.plan = fs_plan,
	.report_init = fs_report_init,
	.tables = fs_tables,
	.report_free = fs_report_free,
	.child_view = fs_child_view,
};
