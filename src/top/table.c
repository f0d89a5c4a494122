// SPDX-License-Identifier: GPL-2.0
/*
 * ftio top's table (see top.h): the rows of one interval, kept by the key
 * it was opened with, and their layout.  The columns are described once
 * here, as the report's tables are (struct table_col): CALLS, ERRORS,
 * BYTES, TOTAL, P99, LAYER and the key last, so that it may take the rest
 * of a line.  A row's layer is the one its calls spent the most time in,
 * counted as the report's "time below the syscalls" counts it
 * (report_call_layers()), with its share of the row's total.
 */
#include <stdio.h>
#include <stdlib.h>

#include "top/top.h"
#include "lib/util.h"

const char *const top_key_names[TOP_KEYS] = {
	[TOP_FILE] = "file", [TOP_MOUNT] = "mount", [TOP_PROCESS] = "process",
	[TOP_UID] = "uid", [TOP_SYSCALL] = "syscall",
};

const char *const top_sort_names[TOP_SORTS] = {
	[SORT_CALLS] = "calls", [SORT_ERRORS] = "errors", [SORT_BYTES] = "bytes",
	[SORT_TOTAL] = "total", [SORT_P99] = "p99", [SORT_KEY] = "key",
};

static const char *const key_heads[TOP_KEYS] = {
	[TOP_FILE] = "FILE", [TOP_MOUNT] = "MOUNT", [TOP_PROCESS] = "PROCESS",
	[TOP_UID] = "UID", [TOP_SYSCALL] = "SYSCALL",
};

static struct top_row *row_new(const char *label)
{
	struct top_row *row = xcalloc(1, sizeof(*row));

	row->label = xstrdup(label);
	hist_init(&row->lat);
	return row;
}

static void row_free(void *p)
{
	struct top_row *row = p;

	if (!row)
		return;
	hist_release(&row->lat);
	free(row->label);
	free(row);
}

struct top_interval *top_interval_new(enum top_key key)
{
	struct top_interval *iv = xcalloc(1, sizeof(*iv));

	iv->key = key;
	return iv;
}

void top_interval_free(struct top_interval *iv)
{
	if (!iv)
		return;
	strmap_release(&iv->by_str, row_free);
	intmap_release_values(&iv->by_int, row_free);
	free(iv);
}

static struct top_row *str_row(struct top_interval *iv, const char *label)
{
	struct strmap_entry *e = strmap_insert(&iv->by_str, label, strlen(label), NULL, NULL);

	if (!e->val)
		e->val = row_new(label);
	return e->val;
}

/* The row of @c's key, made on its first call */
static struct top_row *row_of(struct top_interval *iv, const struct call *c, const struct model *m)
{
	struct top_row *row;
	uint64_t k;
	char buf[64];

	switch (iv->key) {
	case TOP_FILE:
		return str_row(iv, c->path ? c->path : "?");
	case TOP_MOUNT:
		return str_row(iv, c->mount ? c->mount->point : "?");
	case TOP_PROCESS:
		k = (uint32_t)c->pid;
		break;
	case TOP_UID:
		k = (uint64_t)(c->uid + 1);
		break;
	default:
		k = (uintptr_t)c->name;
		break;
	}
	row = intmap_get(&iv->by_int, k);
	if (row)
		return row;
	if (iv->key == TOP_UID)
		row = row_new(table_user_str(buf, sizeof(buf), m, c->uid));
	else if (iv->key == TOP_SYSCALL)
		row = row_new(c->name);
	else
		row = row_new("");
	row->id = iv->key == TOP_PROCESS ? c->pid : 0;
	intmap_put(&iv->by_int, k, row);
	return row;
}

void top_interval_add(struct top_interval *iv, const struct call *c, const struct model *m)
{
	struct top_row *row = row_of(iv, c, m);
	struct layer_time lt[TOP_LAYERS];
	unsigned int n;

	iv->calls++;
	iv->errors += !!c->err;
	iv->bytes += c->bytes;
	row->calls++;
	row->errors += !!c->err;
	row->bytes += c->bytes;
	if (iv->key == TOP_PROCESS && strncmp(row->comm, c->comm, sizeof(row->comm)))
		memcpy(row->comm, c->comm, sizeof(row->comm));
	/* a call broken by lost events has no latency to count, as in the report */
	if (c->tainted)
		return;
	row->timed++;
	row->total_ns += c->latency_ns;
	hist_add(&row->lat, c->latency_ns);
	n = report_call_layers(c, lt, TOP_LAYERS);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int k;

		for (k = 0; k < row->nr_layers && row->layers[k].layer != lt[i].layer; k++)
			;
		if (k == row->nr_layers) {
			if (k == TOP_LAYERS)
				continue;
			row->layers[row->nr_layers++] = (struct layer_time){ lt[i].layer, 0, 0 };
		}
		row->layers[k].ns += lt[i].ns;
		row->layers[k].calls++;
	}
}

/* ---- the view ---- */

static uint64_t row_p99(const struct top_row *row)
{
	return hist_percentile(&row->lat, 99);
}

/* qsort has no argument: the display sorts on one thread */
static const struct top_view *sort_view;

static uint64_t sort_value(const struct top_row *row, enum top_sort s)
{
	switch (s) {
	case SORT_CALLS:
		return row->calls;
	case SORT_ERRORS:
		return row->errors;
	case SORT_BYTES:
		return row->bytes;
	case SORT_P99:
		return row_p99(row);
	default:
		return row->total_ns;
	}
}

static int row_cmp(const void *a, const void *b)
{
	const struct top_row *x = *(struct top_row *const *)a, *y = *(struct top_row *const *)b;
	int d = 0;

	if (sort_view->sort != SORT_KEY) {
		uint64_t vx = sort_value(x, sort_view->sort), vy = sort_value(y, sort_view->sort);

		d = vx < vy ? 1 : vx > vy ? -1 : 0;
	}
	if (!d && x->id != y->id)
		d = x->id < y->id ? -1 : 1;
	if (!d)
		d = strcmp(x->label, y->label);
	return sort_view->reverse ? -d : d;
}

static void label_of(const struct top_row *row, enum top_key key, struct strbuf *out)
{
	if (key == TOP_PROCESS) {
		strbuf_addf(out, "%ld ", row->id);
		strbuf_add_escaped(out, row->comm, strnlen(row->comm, sizeof(row->comm)));
	} else {
		strbuf_add_escaped(out, row->label, strlen(row->label));
	}
}

static bool shown(const struct top_row *row, const struct top_view *v, enum top_key key)
{
	struct strbuf sb = STRBUF_INIT;
	bool ok;

	if (v->errors_only && !row->errors)
		return false;
	if (!v->filter || !*v->filter)
		return true;
	label_of(row, key, &sb);
	ok = strstr(sb.buf, v->filter) != NULL;
	strbuf_release(&sb);
	return ok;
}

struct top_row **top_rows(const struct top_interval *iv, const struct top_view *v, size_t *n)
{
	size_t len = iv->key == TOP_FILE || iv->key == TOP_MOUNT ? iv->by_str.len : iv->by_int.len;
	struct top_row **rows = xcalloc(len + 1, sizeof(*rows));
	struct report_row *all;
	size_t nall;

	*n = 0;
	if (iv->key == TOP_FILE || iv->key == TOP_MOUNT)
		all = report_rows_str((struct strmap *)&iv->by_str, &nall);
	else
		all = report_rows_int((struct intmap *)&iv->by_int, &nall);
	for (size_t i = 0; i < nall && *n < len; i++)
		if (shown(all[i].val, v, iv->key))
			rows[(*n)++] = all[i].val;
	free(all);
	sort_view = v;
	qsort(rows, *n, sizeof(*rows), row_cmp);
	return rows;
}

/* ---- layout: the columns, described once ---- */

struct top_col {
	const char *head;
	enum col_type type;	/* COL_U64, COL_BYTES, COL_NS, COL_STR */
	int width;		/* negative: left-aligned */
	enum top_sort sort;	/* the order it gives, TOP_SORTS: none */
	void (*get)(const struct top_row *row, struct cell *c);
};

static void get_calls(const struct top_row *row, struct cell *c)
{
	c->u = row->calls;
}

static void get_errors(const struct top_row *row, struct cell *c)
{
	c->u = row->errors;
}

static void get_bytes(const struct top_row *row, struct cell *c)
{
	c->u = row->bytes;
}

static void get_total(const struct top_row *row, struct cell *c)
{
	c->null = !row->timed;
	c->u = row->total_ns;
}

static void get_p99(const struct top_row *row, struct cell *c)
{
	c->null = !row->timed;
	c->u = row_p99(row);
}

/* "block 62%": the layer the calls spent the most time in, and its share */
static void get_layer(const struct top_row *row, struct cell *c)
{
	const struct layer_time *best = NULL;

	for (unsigned int i = 0; i < row->nr_layers; i++)
		if (!best || row->layers[i].ns > best->ns)
			best = &row->layers[i];
	if (!best || !best->ns || !row->total_ns) {
		c->null = true;
		return;
	}
	snprintf(c->buf, sizeof(c->buf), "%s %.0f%%", best->layer,
		 100.0 * best->ns / row->total_ns);
	c->s = c->buf;
}

static const struct top_col cols[] = {
	{ "CALLS", COL_U64, 8, SORT_CALLS, get_calls },
	{ "ERRORS", COL_U64, 6, SORT_ERRORS, get_errors },
	{ "BYTES", COL_BYTES, 8, SORT_BYTES, get_bytes },
	{ "TOTAL", COL_NS, 9, SORT_TOTAL, get_total },
	{ "P99", COL_NS, 9, SORT_P99, get_p99 },
	{ "LAYER", COL_STR, -14, TOP_SORTS, get_layer },
};

size_t top_fixed_width(void)
{
	size_t w = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		w += (cols[i].width < 0 ? -cols[i].width : cols[i].width) + 1;
	return w;
}

void top_header(struct strbuf *out, enum top_key key)
{
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		strbuf_addf(out, "%*s ", cols[i].width, cols[i].head);
	strbuf_addstr(out, key_heads[key]);
}

void top_sort_col(enum top_sort s, enum top_key key, size_t *start, size_t *width)
{
	size_t at = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
		size_t w = cols[i].width < 0 ? -cols[i].width : cols[i].width;

		if (cols[i].sort == s) {
			*start = at;
			*width = w;
			return;
		}
		at += w + 1;
	}
	*start = at;
	*width = strlen(key_heads[key]);
}

void top_line(struct strbuf *out, const struct top_row *row, enum top_key key, size_t key_width)
{
	struct strbuf label = STRBUF_INIT;
	char buf[48];

	for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
		struct cell c = { 0 };
		const char *s;

		cols[i].get(row, &c);
		if (c.null)
			s = "-";
		else if (cols[i].type == COL_U64)
			s = (snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c.u), buf);
		else if (cols[i].type == COL_BYTES)
			s = fmt_bytes(buf, sizeof(buf), c.u);
		else if (cols[i].type == COL_NS)
			s = fmt_ns(buf, sizeof(buf), c.u);
		else
			s = c.s;
		strbuf_addf(out, "%*s ", cols[i].width, s);
	}
	label_of(row, key, &label);
	if (key_width && label.len > key_width && key_width > 3)
		strbuf_addf(out, "...%s", label.buf + label.len - (key_width - 3));
	else
		strbuf_add(out, label.buf, key_width && label.len > key_width ? key_width : label.len);
	strbuf_release(&label);
}
