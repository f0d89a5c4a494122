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
#include <ftio/layer.h>

#include "decode/decoder.h"
#include "lib/intmap.h"
#include "report/report.h"
#include "lib/util.h"

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

static void fs_report_text(struct report *r, void *state, struct strbuf *out)
{
	struct fs_state *st = state;
	bool any = false;
	char b[3][32];

	strbuf_addstr(out, "\nFilesystem work inside calls\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++) {
		struct fs_kind_stats *k = &st->kinds[i];

		if (!k->count)
			continue;
		if (!any)
			strbuf_addf(out, "  %-18s %8s %9s %9s %9s\n", "OPERATION", "COUNT", "TOTAL",
				    "AVG", "MAX");
		any = true;
		strbuf_addf(out, "  %-18s %8llu %9s %9s %9s\n", pairs[i].what,
			    (unsigned long long)k->count, fmt_ns(b[0], 32, k->total_ns),
			    fmt_ns(b[1], 32, k->total_ns / k->count), fmt_ns(b[2], 32, k->max_ns));
	}
	if (!any)
		strbuf_addstr(out, "  none recorded\n");
	(void)r;
}

static void fs_report_json(struct report *r, void *state, struct strbuf *out)
{
	struct fs_state *st = state;
	int n = 0;

	strbuf_addstr(out, ",\"fs\":[");
	for (unsigned int i = 0; i < ARRAY_SIZE(pairs); i++) {
		struct fs_kind_stats *k = &st->kinds[i];

		if (!k->count)
			continue;
		strbuf_addf(out, "%s{\"operation\":\"%s\",\"count\":%llu,\"total_ns\":%llu,\"max_ns\":%llu}",
			    n++ ? "," : "", pairs[i].what, (unsigned long long)k->count,
			    (unsigned long long)k->total_ns, (unsigned long long)k->max_ns);
	}
	strbuf_addch(out, ']');
	(void)r;
}

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
	.report_text = fs_report_text,
	.report_json = fs_report_json,
	.report_free = fs_report_free,
	.child_view = fs_child_view,
};
