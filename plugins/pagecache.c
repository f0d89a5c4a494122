// SPDX-License-Identifier: GPL-2.0
/*
 * The pagecache layer: page-cache misses (a page added to the cache means
 * it had to be read or created) and file-mapping faults, from the filemap
 * tracepoints.  A miss in a thread with a syscall in flight is a child of
 * that call; every miss also counts for its file, known by device and
 * inode and named through the calls and the capture-time fd snapshot.
 */
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/strbuf.h>
#include <ftio/strmap.h>
#include <ftio/syscall-table.h>
#include <ftio/util.h>

static void pagecache_plan(struct record_plan *p)
{
	static const char *const events[] = {
		"mm_filemap_add_to_page_cache", "mm_filemap_fault", NULL,
	};

	plan_add_events(p, "filemap", events);
}

struct file_pc {
	uint32_t dev;
	uint64_t ino;
	uint64_t misses;	/* pages added */
	uint64_t faults;
	uint64_t in_calls;	/* misses inside a syscall */
};

struct pc_state {
	struct intmap files;	/* hash(dev, ino) -> struct file_pc */
	struct field_ref a_dev, a_ino, a_order, f_dev, f_ino;
	int id_add, id_fault;
	uint64_t misses, faults, in_calls;
};

static uint64_t file_key(uint32_t dev, uint64_t ino)
{
	return ino * 0x9e3779b97f4a7c15ULL ^ dev;
}

static struct file_pc *file_get(struct pc_state *st, uint32_t dev, uint64_t ino)
{
	struct file_pc *f = intmap_get(&st->files, file_key(dev, ino));

	if (!f) {
		f = xcalloc(1, sizeof(*f));
		f->dev = dev;
		f->ino = ino;
		intmap_put(&st->files, file_key(dev, ino), f);
	}
	return f;
}

static void on_filemap(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct pc_state *st = priv;
	struct decoder *d = report_decoder(r);
	struct call *c = report_current_call(r, ev->pid);
	bool add = ev->event->id == st->id_add;
	uint32_t dev = field_u64(d, ev, add ? &st->a_dev : &st->f_dev);
	uint64_t ino = field_u64(d, ev, add ? &st->a_ino : &st->f_ino);
	uint64_t pages = add && st->a_order.valid ? 1ULL << (field_u64(d, ev, &st->a_order) & 31) : 1;
	struct file_pc *f = file_get(st, dev, ino);

	if (add) {
		f->misses += pages;
		st->misses += pages;
	} else {
		f->faults++;
		st->faults++;
	}
	if (!c)
		return;
	/* the call's file names this inode from now on */
	if (c->path && c->path[0] == '/' && (c->kind == SC_READ || c->kind == SC_WRITE))
		report_inode_learn(r, dev, ino, c->path);
	{
		const char *what = add ? "miss" : "fault";
		struct call_child *ch = call_child_find(c, "pagecache", what, dev);

		if (!ch) {
			struct call_child n = {
				.layer = "pagecache", .what = what, .start_ns = ev->ts, .dev = dev,
			};

			call_add_child(c, &n);
			ch = call_child_find(c, "pagecache", what, dev);
		}
		if (ch) {
			ch->count++;
			ch->a += pages;
			ch->bytes += pages * 4096;
		}
	}
	if (add) {
		f->in_calls += pages;
		st->in_calls += pages;
	}
}

static void *pagecache_report_init(struct report *r)
{
	struct pc_state *st = xcalloc(1, sizeof(*st));
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	struct tep_event *add = tep_find_event_by_name(tep, "filemap", "mm_filemap_add_to_page_cache");
	struct tep_event *fault = tep_find_event_by_name(tep, "filemap", "mm_filemap_fault");

	st->id_add = add ? add->id : -1;
	st->id_fault = fault ? fault->id : -1;
	field_ref_init(&st->a_dev, add, "s_dev");
	field_ref_init(&st->a_ino, add, "i_ino");
	field_ref_init(&st->a_order, add, "order");
	field_ref_init(&st->f_dev, fault, "s_dev");
	field_ref_init(&st->f_ino, fault, "i_ino");
	report_on_event(r, "filemap", "mm_filemap_add_to_page_cache", on_filemap, st);
	report_on_event(r, "filemap", "mm_filemap_fault", on_filemap, st);
	return st;
}

static int file_cmp(const void *a, const void *b)
{
	const struct file_pc *x = *(struct file_pc *const *)a, *y = *(struct file_pc *const *)b;
	uint64_t xs = x->misses + x->faults, ys = y->misses + y->faults;

	if (xs != ys)
		return xs < ys ? 1 : -1;
	/* ties in device and inode order, not the hash map's (its seed is per run) */
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static struct file_pc **sorted_files(struct pc_state *st, size_t *n)
{
	struct file_pc **v = xcalloc(st->files.len + 1, sizeof(*v));
	uint64_t k;
	void *val;

	*n = 0;
	for (size_t i = 0; intmap_next(&st->files, &i, &k, &val);)
		v[(*n)++] = val;
	qsort(v, *n, sizeof(*v), file_cmp);
	return v;
}

static struct report_row *pagecache_rows(struct report *r, void *state, size_t *n)
{
	struct file_pc **v = sorted_files(state, n);
	struct report_row *rows = xcalloc(*n + 1, sizeof(*rows));

	for (size_t i = 0; i < *n; i++)
		rows[i].val = v[i];
	free(v);
	return rows;
}

#define FILE_PC(row) ((const struct file_pc *)(row)->val)

/* The file's path, or "inode 12 on sda1" when no path is known */
static void pc_file_text(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct file_pc *f = FILE_PC(row);
	const char *path = report_inode_path(r, f->dev, f->ino);
	char dev[32];

	if (!path) {
		snprintf(c->buf, sizeof(c->buf), "inode %llu on %s", (unsigned long long)f->ino,
			 report_dev_name(r, f->dev, dev, sizeof(dev)));
		path = c->buf;
	}
	c->s = path;
}

static void pc_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = report_inode_path(r, FILE_PC(row)->dev, FILE_PC(row)->ino);
}

static void pc_device(struct report *r, const struct report_row *row, struct cell *c)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", FILE_PC(row)->dev >> 20,
		 FILE_PC(row)->dev & ((1U << 20) - 1));
	c->s = c->buf;
}

static void pc_inode(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_PC(row)->ino;
}

static void pc_misses(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_PC(row)->misses;
}

static void pc_in_calls(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_PC(row)->in_calls;
}

static void pc_faults(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = FILE_PC(row)->faults;
}

static void pagecache_title(struct report *r, void *state, struct strbuf *out)
{
	struct pc_state *st = state;

	strbuf_addf(out, "Page cache (misses are pages added to the cache: read from storage or new)\n"
		    "  %llu misses (%llu inside syscalls), %llu file-mapping faults",
		    (unsigned long long)st->misses, (unsigned long long)st->in_calls,
		    (unsigned long long)st->faults);
}

/* The files are inside an object with the totals */
static void pagecache_json_before(struct report *r, void *state, struct strbuf *out)
{
	struct pc_state *st = state;

	strbuf_addf(out, ",\"pagecache\":{\"misses\":%llu,\"misses_in_calls\":%llu,\"faults\":%llu",
		    (unsigned long long)st->misses, (unsigned long long)st->in_calls,
		    (unsigned long long)st->faults);
}

static void pagecache_json_after(struct report *r, void *state, struct strbuf *out)
{
	strbuf_addch(out, '}');
}

static const struct table_col pagecache_cols[] = {
	{ "FILE", NULL, COL_STR, -52, COL_CLIP, pc_file_text, NULL },
	{ NULL, "device", COL_STR, 0, 0, pc_device, NULL },
	{ NULL, "inode", COL_U64, 0, 0, pc_inode, NULL },
	{ NULL, "path", COL_STR, 0, 0, pc_path, NULL },
	{ "MISSES", "misses", COL_U64, 9, 0, pc_misses, NULL },
	{ "IN CALLS", "misses_in_calls", COL_U64, 9, 0, pc_in_calls, NULL },
	{ "FAULTS", "faults", COL_U64, 8, 0, pc_faults, NULL },
};

static const struct table_desc pagecache_table = {
	.key = "files",
	COLS(pagecache_cols),
	.rows = pagecache_rows,
	.text_limit = LIMIT_TOP,
	.json_limit = LIMIT_TOP,
	.header_with_rows = true,
	.text_title = pagecache_title,
	.json_before = pagecache_json_before,
	.json_after = pagecache_json_after,
};

static const struct table_desc *const pagecache_tables[] = { &pagecache_table, NULL };

static void pagecache_report_free(void *state)
{
	struct pc_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->files, &i, &k, &v);)
		free(v);
	intmap_release(&st->files);
	free(st);
}

/* a = pages; "miss" or "fault" in what */
static bool pagecache_child_view(struct report *r, struct child_view *v)
{
	const struct call_child *ch = v->ch;
	char dev[48];

	if (strcmp(ch->layer, "pagecache"))
		return false;
	switch (v->kind) {
	case CHILD_TEXT:
		strbuf_addf(v->out, "page cache %s: %llu %s%s (%llu pages)\n",
			    report_dev_name(r, ch->dev, dev, sizeof(dev)), (unsigned long long)v->n,
			    ch->what, v->n == 1 ? "" : ch->what[0] == 'm' ? "es" : "s",
			    (unsigned long long)ch->a);
		return true;
	case CHILD_JSON:
		strbuf_addf(v->out, ",\"pages\":%llu", (unsigned long long)ch->a);
		return true;
	default:
		return false;
	}
}

const struct ftio_layer layer_pagecache = {
	.name = "pagecache",
	.summary = "page-cache misses and file-mapping faults, per file and per call",
	.plan = pagecache_plan,
	.report_init = pagecache_report_init,
	.tables = pagecache_tables,
	.report_free = pagecache_report_free,
	.child_view = pagecache_child_view,
};
