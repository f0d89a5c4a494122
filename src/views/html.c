// SPDX-License-Identifier: GPL-2.0
/*
 * The heatmap collector behind the HTML and SVG views, and the HTML page.
 *
 * The collector observes every reported call: it counts the call in the
 * heatmap of all calls, of its syscall and of its mount, counts each
 * block request attributed to it in the heatmap of its device (device
 * time, D2C, at the time the device got it), and keeps the slowest
 * SLOW_PER_COL calls of each time column with their children, so that
 * the page can list the slowest calls of any window.  Its memory is
 * bounded by the number of maps (distinct syscalls, mounts and devices,
 * each group capped at MAX_KEYS) and never grows with the calls.
 *
 * The page is one file: the report's tables and the heatmaps as JSON in
 * a <script type="application/json">, drawn by a small inline script.
 * Its size depends on the maps and the tables' limits, not on the number
 * of calls, so that a capture of millions of calls opens as fast as a
 * small one.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "views/views.h"
#include "report/findings.h"
#include <ftio/syscall-table.h>
#include "lib/util.h"

#define SLOW_PER_COL	5	/* slowest calls kept per time column */
#define MAX_KEYS	128	/* maps per group; more go to "(other)" */

enum { G_ALL, G_SYSCALL, G_MOUNT, G_DEVICE, G_NR };
static const char *const group_names[G_NR] = { "all", "syscall", "mount", "device" };

struct view_key {
	int group;
	char *name;
	char *fstype;		/* mounts only */
	struct heatmap *map;
};

struct export_views {
	struct report *r;
	bool started;
	struct heatmap_set set;
	struct intmap keys[G_NR];	/* syscall name, mount or dev_t -> struct view_key */
	size_t nr_keys[G_NR];
	struct view_key *other[G_NR];
	struct view_key **list;
	size_t nr_list;
	struct call slow[HEATMAP_COLS][SLOW_PER_COL];
	unsigned int nr_slow[HEATMAP_COLS];
};

static struct view_key *key_new(struct export_views *v, int group, const char *name,
				const char *fstype)
{
	struct view_key *k = xcalloc(1, sizeof(*k));

	k->group = group;
	k->name = xstrdup(name);
	k->fstype = fstype ? xstrdup(fstype) : NULL;
	k->map = heatmap_set_new_map(&v->set);
	v->list = xrealloc(v->list, (v->nr_list + 1) * sizeof(*v->list));
	v->list[v->nr_list++] = k;
	return k;
}

static struct view_key *key_get(struct export_views *v, int group, uint64_t id, const char *name,
				const char *fstype)
{
	struct view_key *k = intmap_get(&v->keys[group], id);

	if (k)
		return k;
	if (v->nr_keys[group] >= MAX_KEYS) {
		if (!v->other[group])
			v->other[group] = key_new(v, group, "(other)", NULL);
		return v->other[group];
	}
	k = key_new(v, group, name, fstype);
	intmap_put(&v->keys[group], id, k);
	v->nr_keys[group]++;
	return k;
}

/* Keeps @c if it is among the SLOW_PER_COL slowest of column @col */
static void slow_add(struct export_views *v, unsigned int col, const struct call *c)
{
	struct call *s = v->slow[col];
	unsigned int n = v->nr_slow[col], min = 0;

	if (c->tainted)
		return;
	if (n < SLOW_PER_COL) {
		report_copy_call(&s[n], c);
		v->nr_slow[col]++;
		return;
	}
	for (unsigned int i = 1; i < n; i++)
		if (s[i].latency_ns < s[min].latency_ns)
			min = i;
	if (c->latency_ns <= s[min].latency_ns)
		return;
	report_free_call(&s[min]);
	report_copy_call(&s[min], c);
}

static int latency_desc(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	return x->latency_ns < y->latency_ns ? 1 : x->latency_ns > y->latency_ns ? -1 : 0;
}

/* The width doubled: the slowest of columns 2i and 2i + 1 become those of column i */
static void slow_fold(void *arg)
{
	struct export_views *v = arg;
	struct call both[2 * SLOW_PER_COL];

	for (unsigned int i = 0; i < HEATMAP_COLS / 2; i++) {
		unsigned int n = 0;

		for (unsigned int j = 2 * i; j <= 2 * i + 1; j++) {
			memcpy(&both[n], v->slow[j], v->nr_slow[j] * sizeof(struct call));
			n += v->nr_slow[j];
			v->nr_slow[j] = 0;
		}
		qsort(both, n, sizeof(*both), latency_desc);
		for (unsigned int j = SLOW_PER_COL; j < n; j++)
			report_free_call(&both[j]);
		v->nr_slow[i] = n < SLOW_PER_COL ? n : SLOW_PER_COL;
		memcpy(v->slow[i], both, v->nr_slow[i] * sizeof(struct call));
	}
}

/*
 * The axis starts at the first reported call, not at the capture's start:
 * the time before it (the recorder starting the command) is idle, and the
 * page says how long it was instead of drawing it (no call: the start)
 */
static void views_start(struct export_views *v, const struct call *first)
{
	struct report *r = v->r;
	uint64_t t0 = r->first_ts;

	/* the report's start is final only after the run: this is what it will be */
	if (r->start_ns && r->start_ns < t0)
		t0 = r->start_ns;
	t0 += r->f.since;
	if (first && first->start_ns > t0)
		t0 = first->start_ns;
	heatmap_set_init(&v->set, t0);
	v->set.fold = slow_fold;
	v->set.fold_arg = v;
	key_new(v, G_ALL, "all calls", NULL);
	v->started = true;
}

static void views_observe(struct report *r, const struct call *c, void *arg)
{
	struct export_views *v = arg;
	uint64_t last = c->start_ns;
	bool timed = !c->tainted;
	unsigned int col;
	struct view_key *k;

	if (!v->started)
		views_start(v, c);
	/* widen the axis once for the latest time, so no column below moves */
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct child_view cv = { .kind = CHILD_REQUEST, .ch = ch };

		if (!report_child_view(r, &cv))
			continue;
		if (ch->start_ns + cv.queue_ns > last)
			last = ch->start_ns + cv.queue_ns;
	}
	heatmap_set_column(&v->set, last);
	col = heatmap_set_column(&v->set, c->start_ns);

	heatmap_add(v->list[0]->map, col, c->latency_ns, timed, c->err);
	k = key_get(v, G_SYSCALL, (uintptr_t)c->name, c->name, NULL);
	heatmap_add(k->map, col, c->latency_ns, timed, c->err);
	if (c->mount) {
		k = key_get(v, G_MOUNT, (uintptr_t)c->mount, c->mount->point, c->mount->fstype);
		heatmap_add(k->map, col, c->latency_ns, timed, c->err);
	}
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct child_view cv = { .kind = CHILD_REQUEST, .ch = ch };
		char name[64];

		/* a device request: on the device's map when it was dispatched, its device time */
		if (!report_child_view(r, &cv))
			continue;
		k = key_get(v, G_DEVICE, ch->dev, report_dev_name(r, ch->dev, name, sizeof(name)),
			    NULL);
		heatmap_add(k->map, heatmap_set_column(&v->set, ch->start_ns + cv.queue_ns),
			    cv.device_ns, true, ch->error != 0);
	}
	slow_add(v, col, c);
}

struct export_views *export_views_new(struct report *r)
{
	struct export_views *v = xcalloc(1, sizeof(*v));

	v->r = r;
	heatmap_set_init(&v->set, 0);
	report_observe(r, views_observe, v);
	return v;
}

void export_views_free(struct export_views *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nr_list; i++) {
		free(v->list[i]->name);
		free(v->list[i]->fstype);
		free(v->list[i]);
	}
	free(v->list);
	for (int g = 0; g < G_NR; g++)
		intmap_release(&v->keys[g]);
	for (unsigned int c = 0; c < HEATMAP_COLS; c++)
		for (unsigned int i = 0; i < v->nr_slow[c]; i++)
			report_free_call(&v->slow[c][i]);
	heatmap_set_release(&v->set);
	free(v);
}

/*
 * The page: page_head, page_style and page_script, generated from page.html,
 * page.css and page.js by embed-page.sh (no external resources)
 */
#include "views/page-data.h"

/* ---- for export-svg.c ---- */

bool export_views_map(struct export_views *v, size_t i, struct export_map *out)
{
	/* no call passed the filters: still the (empty) map of all calls */
	if (!v->started)
		views_start(v, NULL);
	if (i >= v->nr_list)
		return false;
	out->group = group_names[v->list[i]->group];
	out->name = v->list[i]->name;
	out->map = v->list[i]->map;
	return true;
}

const struct heatmap_set *export_views_axis(struct export_views *v)
{
	return &v->set;
}

struct report *export_views_report(struct export_views *v)
{
	return v->r;
}

/* ---- the page's data ---- */

static void jkey(struct strbuf *sb, const char *key, const char *s)
{
	strbuf_addf(sb, ",\"%s\":", key);
	strbuf_add_json_value(sb, s);
}

static void juid(struct strbuf *sb, const char *key, long uid)
{
	if (uid < 0)
		strbuf_addf(sb, ",\"%s\":null", key);
	else
		strbuf_addf(sb, ",\"%s\":%ld", key, uid);
}

static uint64_t rel_ns(struct report *r, uint64_t ts)
{
	return ts > r->start_ns ? ts - r->start_ns : 0;
}

static void json_call(struct strbuf *sb, struct report *r, const struct call *c, int top)
{
	strbuf_addstr(sb, "{\"syscall\":");
	strbuf_add_json_value(sb, c->name);
	jkey(sb, "path", c->path);
	jkey(sb, "mount", c->mount ? c->mount->point : NULL);
	strbuf_addf(sb, ",\"pid\":%d,\"tid\":%d", c->pid, c->tid);
	jkey(sb, "comm", c->comm);
	juid(sb, "uid", c->uid);
	jkey(sb, "user", model_user(&r->m, c->uid));
	strbuf_addf(sb, ",\"start_ns\":%llu,\"latency_ns\":%llu,\"ret\":%lld,\"bytes\":%llu,\"top\":%d",
		    (unsigned long long)rel_ns(r, c->start_ns), (unsigned long long)c->latency_ns,
		    (long long)c->ret, (unsigned long long)c->bytes, top);
	jkey(sb, "errno", c->err ? errno_name(c->err) : NULL);
	jkey(sb, "origin", c->err_origin);
	strbuf_addstr(sb, ",\"children\":[");
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		char dev[64];

		strbuf_addstr(sb, i ? ",{\"layer\":" : "{\"layer\":");
		strbuf_add_json_value(sb, ch->layer);
		jkey(sb, "what", ch->what);
		jkey(sb, "dev", ch->dev ? report_dev_name(r, ch->dev, dev, sizeof(dev)) : NULL);
		strbuf_addf(sb, ",\"start_ns\":%llu,\"latency_ns\":%llu,\"count\":%u,\"bytes\":%llu,"
			    "\"a\":%llu,\"b\":%llu,\"error\":%d}",
			    (unsigned long long)rel_ns(r, ch->start_ns),
			    (unsigned long long)ch->latency_ns, ch->count ? ch->count : 1,
			    (unsigned long long)ch->bytes, (unsigned long long)ch->a,
			    (unsigned long long)ch->b, ch->error);
	}
	strbuf_addstr(sb, "]}");
}

static void json_u64_array(struct strbuf *sb, const struct heatmap *h, unsigned int ncols,
			   size_t offset)
{
	strbuf_addch(sb, '[');
	for (unsigned int c = 0; c < ncols; c++)
		strbuf_addf(sb, "%s%llu", c ? "," : "",
			    (unsigned long long)*(const uint64_t *)((const char *)&h->cols[c] + offset));
	strbuf_addch(sb, ']');
}

/* Cells column by column: 0 for an empty column, else [first row, counts up to the last] */
static void json_cells(struct strbuf *sb, const struct heatmap *h, unsigned int ncols)
{
	strbuf_addch(sb, '[');
	for (unsigned int c = 0; c < ncols; c++) {
		int lo = -1, hi = -1;

		if (c)
			strbuf_addch(sb, ',');
		for (unsigned int row = 0; row < HEATMAP_ROWS; row++) {
			if (!heatmap_cell(h, c, row))
				continue;
			if (lo < 0)
				lo = row;
			hi = row;
		}
		if (lo < 0) {
			strbuf_addch(sb, '0');
			continue;
		}
		strbuf_addf(sb, "[%d", lo);
		for (int row = lo; row <= hi; row++)
			strbuf_addf(sb, ",%u", heatmap_cell(h, c, row));
		strbuf_addch(sb, ']');
	}
	strbuf_addch(sb, ']');
}

static void json_maps(struct strbuf *sb, struct export_views *v)
{
	unsigned int ncols = v->set.ncols;

	strbuf_addf(sb, ",\"axis\":{\"t0_ns\":%llu,\"width_ns\":%llu,\"cols\":%u,\"early\":%llu,"
		    "\"rows\":[",
		    (unsigned long long)(v->started ? rel_ns(v->r, v->set.t0) : 0),
		    (unsigned long long)v->set.width, ncols, (unsigned long long)v->set.early);
	for (unsigned int row = 0; row < HEATMAP_ROWS; row++)
		strbuf_addf(sb, "%s%llu", row ? "," : "", (unsigned long long)heatmap_row_lo(row));
	strbuf_addstr(sb, "]},\"maps\":[");
	for (size_t i = 0; i < v->nr_list; i++) {
		const struct view_key *k = v->list[i];
		const struct heatmap *h = k->map;

		strbuf_addf(sb, "%s{\"g\":\"%s\",\"k\":", i ? "," : "", group_names[k->group]);
		strbuf_add_json_value(sb, k->name);
		jkey(sb, "fstype", k->fstype);
		strbuf_addf(sb, ",\"timed\":%llu,\"untimed\":%llu,\"n\":",
			    (unsigned long long)h->timed, (unsigned long long)h->untimed);
		json_u64_array(sb, h, ncols, offsetof(struct heatmap_col, n));
		strbuf_addstr(sb, ",\"e\":");
		json_u64_array(sb, h, ncols, offsetof(struct heatmap_col, errors));
		strbuf_addstr(sb, ",\"s\":");
		json_u64_array(sb, h, ncols, offsetof(struct heatmap_col, sum_ns));
		strbuf_addstr(sb, ",\"m\":");
		json_u64_array(sb, h, ncols, offsetof(struct heatmap_col, max_ns));
		strbuf_addstr(sb, ",\"c\":");
		json_cells(sb, h, ncols);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static void json_capture(struct strbuf *sb, struct report *r)
{
	strbuf_addstr(sb, "{\"file\":");
	strbuf_add_json_value(sb, r->rec->path);
	strbuf_addf(sb, ",\"duration_ns\":%llu,\"events\":%llu,\"lost_events\":%llu,\"calls\":%llu,"
		    "\"calls_reported\":%llu,\"uid_unknown_calls\":%llu",
		    (unsigned long long)(r->last_ts > r->start_ns ? r->last_ts - r->start_ns : 0),
		    (unsigned long long)r->events, (unsigned long long)report_lost_events(r),
		    (unsigned long long)r->calls, (unsigned long long)r->calls_kept,
		    (unsigned long long)r->uid_unknown);
	jkey(sb, "command", recording_attr(r->rec, "meta/command"));
	jkey(sb, "layers", recording_attr(r->rec, "meta/layers"));
	jkey(sb, "strategy", recording_attr(r->rec, "meta/strategy"));
	jkey(sb, "kernel", recording_attr(r->rec, "meta/kernel_release"));
	jkey(sb, "path_filter", r->f.path);
	jkey(sb, "ftio", FTIO_VERSION);
	strbuf_addstr(sb, ",\"path_methods\":{");
	for (int i = 0; i < PATH_METHODS; i++)
		strbuf_addf(sb, "%s\"%s\":%llu", i ? "," : "", path_method_names[i],
			    (unsigned long long)r->path_methods[i]);
	strbuf_addstr(sb, "},\"notes\":[");
	for (unsigned int i = 0; i < r->nr_counters; i++) {
		strbuf_addstr(sb, i ? ",[" : "[");
		strbuf_add_json_value(sb, r->counters[i].what);
		strbuf_addf(sb, ",%llu]", (unsigned long long)r->counters[i].n);
	}
	strbuf_addstr(sb, "]}");
}

/* The report's tables as the page's script reads them (COL_PAGE in report/table.h) */
static void json_tables(struct strbuf *sb, struct report *r)
{
	static const struct table_desc *const before_audit[] = {
		&table_syscalls, &table_mounts, &table_files, &table_processes, &table_uids,
		&table_errors,
	};

	for (size_t i = 0; i < ARRAY_SIZE(before_audit); i++)
		json_table(sb, r, before_audit[i], NULL, JSON_PAGE);
	strbuf_addf(sb, ",\"audit_total\":%llu", (unsigned long long)r->audit_total);
	json_table(sb, r, &table_audit, NULL, JSON_PAGE);
	json_table(sb, r, &table_layer_time, NULL, JSON_PAGE);
	{
		struct strbuf text = STRBUF_INIT;

		strbuf_addstr(sb, ",\"findings\":");
		report_findings(r, &text, sb);
		strbuf_release(&text);
	}
	/* the layers' own JSON members (devices, fuse, pagecache, fs), as in report --json */
	strbuf_addf(sb, ",\"total_ns\":%llu,\"layer\":{\"_\":0", (unsigned long long)r->total.total_ns);
	for (unsigned int i = 0; i < r->nr_layers; i++) {
		const struct ftio_layer *l = r->layers[i].layer;

		for (size_t k = 0; l->tables && l->tables[k]; k++)
			json_table(sb, r, l->tables[k], r->layers[i].state, JSON_REPORT);
		if (l->report_json)
			l->report_json(r, r->layers[i].state, sb);
	}
	strbuf_addch(sb, '}');
}

static void json_calls(struct strbuf *sb, struct export_views *v)
{
	struct report *r = v->r;
	bool first = true;

	strbuf_addstr(sb, ",\"calls\":[");
	/* the report's slowest, then each column's that are not among them */
	for (size_t i = 0; i < r->nr_slowest; i++) {
		strbuf_addstr(sb, first ? "" : ",");
		json_call(sb, r, &r->slowest[i], 1);
		first = false;
	}
	for (unsigned int c = 0; c < HEATMAP_COLS; c++) {
		for (unsigned int i = 0; i < v->nr_slow[c]; i++) {
			const struct call *s = &v->slow[c][i];
			bool dup = false;

			for (size_t j = 0; j < r->nr_slowest && !dup; j++)
				dup = r->slowest[j].tid == s->tid && r->slowest[j].start_ns == s->start_ns;
			if (dup)
				continue;
			strbuf_addstr(sb, first ? "" : ",");
			json_call(sb, r, s, 0);
			first = false;
		}
	}
	strbuf_addf(sb, "],\"slow_per_col\":%d,\"top\":%u", SLOW_PER_COL, r->top);
}

/* The recording's name as HTML text */
static void html_text(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<')
			strbuf_addstr(sb, "&lt;");
		else if (*s == '>')
			strbuf_addstr(sb, "&gt;");
		else if (*s == '&')
			strbuf_addstr(sb, "&amp;");
		else if ((unsigned char)*s < 0x20)
			strbuf_addch(sb, '?');
		else
			strbuf_addch(sb, *s);
	}
}

static int write_all(FILE *out, const char *s, size_t len)
{
	if (fwrite(s, 1, len, out) != len)
		return -(errno ? errno : EIO);
	return 0;
}

int export_html(struct export_views *v, FILE *out)
{
	struct report *r = v->r;
	struct strbuf sb = STRBUF_INIT, title = STRBUF_INIT;
	int ret;

	if (!v->started)
		views_start(v, NULL);
	strbuf_addstr(&sb, "{\"capture\":");
	json_capture(&sb, r);
	json_maps(&sb, v);
	json_tables(&sb, r);
	json_calls(&sb, v);
	strbuf_addstr(&sb, "}");

	/* '<' only ever appears inside JSON strings: escaped, "</script>" cannot end the data */
	html_text(&title, r->rec->path);
	errno = 0;
	ret = write_all(out, page_head, strlen(page_head));
	if (!ret)
		ret = write_all(out, title.buf, title.len);
	if (!ret)
		ret = write_all(out, page_style, strlen(page_style));
	for (size_t i = 0; !ret && i < sb.len;) {
		size_t n = strcspn(sb.buf + i, "<");

		ret = write_all(out, sb.buf + i, n);
		i += n;
		if (!ret && i < sb.len) {
			ret = write_all(out, "\\u003c", 6);
			i++;
		}
	}
	if (!ret)
		ret = write_all(out, page_script, strlen(page_script));
	if (!ret && fflush(out))
		ret = -(errno ? errno : EIO);
	strbuf_release(&sb);
	strbuf_release(&title);
	return ret;
}
