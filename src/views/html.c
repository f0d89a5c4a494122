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
#include "lib/syscall-table.h"
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

static void call_dup(struct call *dst, const struct call *src)
{
	*dst = *src;
	dst->path = src->path ? xstrdup(src->path) : NULL;
	dst->children = NULL;
	if (src->nr_children) {
		dst->children = xmalloc(src->nr_children * sizeof(*src->children));
		memcpy(dst->children, src->children, src->nr_children * sizeof(*src->children));
	}
}

/* Keeps @c if it is among the SLOW_PER_COL slowest of column @col */
static void slow_add(struct export_views *v, unsigned int col, const struct call *c)
{
	struct call *s = v->slow[col];
	unsigned int n = v->nr_slow[col], min = 0;

	if (c->tainted)
		return;
	if (n < SLOW_PER_COL) {
		call_dup(&s[n], c);
		v->nr_slow[col]++;
		return;
	}
	for (unsigned int i = 1; i < n; i++)
		if (s[i].latency_ns < s[min].latency_ns)
			min = i;
	if (c->latency_ns <= s[min].latency_ns)
		return;
	report_free_call(&s[min]);
	call_dup(&s[min], c);
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

static void views_start(struct export_views *v)
{
	struct report *r = v->r;
	uint64_t t0 = r->first_ts;

	/* the report's start is final only after the run: this is what it will be */
	if (r->start_ns && r->start_ns < t0)
		t0 = r->start_ns;
	heatmap_set_init(&v->set, t0 + r->f.since);
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
		views_start(v);
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

/* ---- the page: markup, style and script (hand-written, no external resources) ---- */

static const char page_head[] =
	"<!DOCTYPE html>\n"
	"<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<meta name=\"generator\" content=\"ftio\">\n"
	"<title>ftio report: ";

static const char page_style[] =
	"</title>\n"
	"<style>\n"
	":root{--fg:#1d2125;--mute:#5f6b76;--line:#d9dee3;--bg:#fff;--hl:#1f6feb;--err:#b42318;--band:#f5f7f9}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:13px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:var(--fg);background:var(--bg)}\n"
	"header{padding:14px 22px 8px;border-bottom:1px solid var(--line)}\n"
	"h1{font-size:18px;margin:0 0 4px}\n"
	"h2{font-size:15px;margin:26px 0 8px;padding-top:6px;border-top:1px solid var(--line)}\n"
	"h3{font-size:13px;margin:14px 0 6px;color:var(--mute)}\n"
	"main{padding:0 22px 40px;max-width:1400px}\n"
	".meta{color:var(--mute);margin:2px 0}\n"
	".meta b{color:var(--fg);font-weight:600}\n"
	"#bar{position:sticky;top:0;z-index:5;background:#fffbe6;border-bottom:1px solid #f0d98c;padding:6px 22px;display:flex;gap:14px;align-items:center;min-height:34px}\n"
	"#bar.off{background:var(--band);border-color:var(--line)}\n"
	"#bar button{font:inherit;padding:2px 10px;border:1px solid #c9ced4;border-radius:4px;background:#fff;cursor:pointer}\n"
	"table{border-collapse:collapse;margin:4px 0 6px;font-variant-numeric:tabular-nums}\n"
	"th,td{padding:2px 9px;text-align:right;white-space:nowrap;border-bottom:1px solid #eef0f2}\n"
	"th{font-weight:600;color:var(--mute);border-bottom:1px solid var(--line);position:relative}\n"
	"td.l,th.l{text-align:left}\n"
	"td.p{text-align:left;max-width:520px;overflow:hidden;text-overflow:ellipsis;direction:rtl}\n"
	"tr:hover td{background:#f3f7ff}\n"
	".err{color:var(--err);font-weight:600}\n"
	".note{color:var(--mute);font-size:12px;margin:2px 0 8px}\n"
	".maps{display:flex;flex-wrap:wrap;gap:10px 18px}\n"
	".map{border:1px solid var(--line);border-radius:6px;padding:6px 8px 4px;background:#fff}\n"
	".map .t{font-weight:600;margin-bottom:2px}\n"
	".map .t span{font-weight:400;color:var(--mute);margin-left:8px}\n"
	"canvas{display:block;cursor:crosshair}\n"
	"canvas.h{cursor:default}\n"
	"#tip{position:fixed;pointer-events:none;background:#1d2125;color:#fff;padding:4px 8px;border-radius:4px;font-size:12px;display:none;z-index:9;white-space:nowrap}\n"
	".legend{display:flex;align-items:center;gap:6px;color:var(--mute);font-size:12px;margin:4px 0}\n"
	".legend i{display:inline-block;width:160px;height:10px;border:1px solid var(--line)}\n"
	".call{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:6px 0;max-width:1100px}\n"
	".call .hd{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}\n"
	".lb{display:grid;grid-template-columns:80px 300px auto;gap:8px;align-items:center;font-size:12px;margin:2px 0}\n"
	".stack{height:10px;border-radius:2px;overflow:hidden;background:#e9edf1}\n"
	".stack div{height:100%}\n"
	".wf{position:relative;height:14px;margin:1px 0;background:var(--band)}\n"
	".wf div{position:absolute;top:1px;bottom:1px;min-width:2px;border-radius:2px}\n"
	".wf span{position:absolute;left:4px;top:-1px;font-size:11px;color:#000;white-space:nowrap}\n"
	".keys{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px;color:var(--mute);margin:2px 0}\n"
	".keys i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}\n"
	"button.more{font:inherit;border:0;background:none;color:var(--hl);cursor:pointer;padding:0}\n"
	".hists{display:flex;flex-wrap:wrap;gap:8px 18px}\n"
	"</style>\n"
	"</head><body>\n"
	"<noscript><p>This report draws its heatmaps and tables with JavaScript; enable it, or use ftio report for text.</p></noscript>\n"
	"<div id=\"tip\"></div>\n"
	"<header id=\"head\"></header>\n"
	"<div id=\"bar\" class=\"off\"></div>\n"
	"<main>\n"
	"<h2>Latency heatmaps</h2>\n"
	"<p class=\"note\">Time on x (seconds from the start of the capture), latency on y (log scale), calls per cell as colour. Hover a cell for its count and range; click it to narrow the tables below to its time column.</p>\n"
	"<div id=\"hm-all\"></div>\n"
	"<h3>By syscall (sorted by total time)</h3><div id=\"hm-syscalls\" class=\"maps\"></div>\n"
	"<h3>By block device (device time, D2C, of the requests attributed to the calls)</h3><div id=\"hm-devices\" class=\"maps\"></div>\n"
	"<h2>Syscall latency</h2><div id=\"syscalls\"></div>\n"
	"<h2>Latency histograms</h2>\n"
	"<h3>By syscall</h3><div id=\"hist-syscall\" class=\"hists\"></div>\n"
	"<h3>By mount</h3><div id=\"hist-mount\" class=\"hists\"></div>\n"
	"<h3>By block device (D2C)</h3><div id=\"hist-device\" class=\"hists\"></div>\n"
	"<h2>By mount</h2><div id=\"mounts\"></div>\n"
	"<h2>Devices</h2><div id=\"devices\"></div>\n"
	"<h2>Slowest calls</h2><div id=\"slowest\"></div>\n"
	"<h3>Drill-down: where each call spent its time</h3><div id=\"drill\"></div>\n"
	"<h2>Errors</h2><div id=\"errors\"></div>\n"
	"<h2>Audit: denied accesses (EACCES, EPERM)</h2><div id=\"audit\"></div>\n"
	"<h2>Time below the syscalls</h2><div id=\"below\"></div><div id=\"lower\"></div>\n"
	"<h2>Top files by total time (whole capture)</h2><div id=\"files\"></div>\n"
	"<h2>By process and uid (whole capture)</h2><div id=\"procs\"></div>\n"
	"</main>\n"
	"<script id=\"ftio-data\" type=\"application/json\">\n";

static const char page_script[] =
	"</script>\n"
	"<script>\n"
	"'use strict';\n"
	"(function () {\n"
	"const D = JSON.parse(document.getElementById('ftio-data').textContent);\n"
	"const A = D.axis, ROWS = A.rows.length, US = '\\u00b5s';\n"
	"const LAYER_COLORS = {block: '#4e79a7', fuse: '#f28e2b', fs: '#59a14f', lookup: '#b07aa1',\n"
	"\tpagecache: '#edc948', other: '#9aa5b1'};\n"
	"const PAL = [[255, 247, 188], [254, 227, 145], [254, 196, 79], [254, 153, 41], [236, 112, 20],\n"
	"\t[204, 76, 2], [140, 45, 4], [80, 20, 4]];\n"
	"let win = null;\t\t/* {c0, c1}: inclusive columns, or null for the whole capture */\n"
	"const maps = D.maps.map(function (m, i) { m.i = i; return m; });\n"
	"const byGroup = {};\n"
	"maps.forEach(function (m) { (byGroup[m.g] = byGroup[m.g] || []).push(m); });\n"
	"const redraws = [];\n"
	"\n"
	"/* ---- formatting ---- */\n"
	"function fmtNs(ns) {\n"
	"\tif (ns === null || ns === undefined) return '-';\n"
	"\tif (ns < 10000) return (ns / 1e3).toFixed(2) + US;\n"
	"\tif (ns < 1e6) return (ns / 1e3).toFixed(1) + US;\n"
	"\tif (ns < 1e9) return (ns / 1e6).toFixed(2) + 'ms';\n"
	"\treturn (ns / 1e9).toFixed(2) + 's';\n"
	"}\n"
	"function fmtShort(ns) {\n"
	"\tif (ns < 1e3) return ns + 'ns';\n"
	"\tif (ns < 1e6) return +(ns / 1e3).toPrecision(3) + US;\n"
	"\tif (ns < 1e9) return +(ns / 1e6).toPrecision(3) + 'ms';\n"
	"\treturn +(ns / 1e9).toPrecision(3) + 's';\n"
	"}\n"
	"function fmtSec(ns) { return (ns / 1e9).toFixed(ns < 1e10 ? 4 : 2) + 's'; }\n"
	"function fmtInt(n) { return String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','); }\n"
	"function fmtBytes(b) {\n"
	"\tif (b < 1024) return b + 'B';\n"
	"\tif (b < 1048576) return (b / 1024).toFixed(1) + 'K';\n"
	"\tif (b < 1073741824) return (b / 1048576).toFixed(1) + 'M';\n"
	"\treturn (b / 1073741824).toFixed(2) + 'G';\n"
	"}\n"
	"function user(uid, name) {\n"
	"\tif (uid === null || uid === undefined) return '?';\n"
	"\treturn name ? uid + '(' + name + ')' : String(uid);\n"
	"}\n"
	"function el(tag, attrs, kids) {\n"
	"\tconst e = document.createElement(tag);\n"
	"\tfor (const k in attrs || {}) {\n"
	"\t\tif (k === 'text') e.textContent = attrs[k];\n"
	"\t\telse if (k === 'cls') e.className = attrs[k];\n"
	"\t\telse e.setAttribute(k, attrs[k]);\n"
	"\t}\n"
	"\t(kids || []).forEach(function (c) {\n"
	"\t\tif (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);\n"
	"\t});\n"
	"\treturn e;\n"
	"}\n"
	"function $(id) { return document.getElementById(id); }\n"
	"\n"
	"/* ---- time windows ---- */\n"
	"function colStart(c) { return A.t0_ns + c * A.width_ns; }\n"
	"function winRange() { return win ? [colStart(win.c0), colStart(win.c1 + 1)] : null; }\n"
	"function inWin(ns) { const w = winRange(); return !w || (ns >= w[0] && ns < w[1]); }\n"
	"function sumCols(arr, fn) {\n"
	"\tlet s = 0;\n"
	"\tconst c0 = win ? win.c0 : 0, c1 = win ? win.c1 : A.cols - 1;\n"
	"\tfor (let c = c0; c <= c1 && c < arr.length; c++) s = fn(s, arr[c]);\n"
	"\treturn s;\n"
	"}\n"
	"/* The latency rows of map @m over the window */\n"
	"function rowsOf(m) {\n"
	"\tconst h = new Array(ROWS).fill(0);\n"
	"\tconst c0 = win ? win.c0 : 0, c1 = win ? win.c1 : A.cols - 1;\n"
	"\tfor (let c = c0; c <= c1 && c < m.c.length; c++) {\n"
	"\t\tconst col = m.c[c];\n"
	"\t\tif (!col) continue;\n"
	"\t\tfor (let j = 1; j < col.length; j++) h[col[0] + j - 1] += col[j];\n"
	"\t}\n"
	"\treturn h;\n"
	"}\n"
	"function rowHi(r) { return r + 1 < ROWS ? A.rows[r + 1] : Infinity; }\n"
	"/* A percentile from rows: the middle of its row, clamped to the exact maximum */\n"
	"function pct(h, total, p, max) {\n"
	"\tif (!total) return null;\n"
	"\tconst rank = Math.max(1, Math.ceil(p / 100 * total));\n"
	"\tlet seen = 0;\n"
	"\tfor (let r = 0; r < ROWS; r++) {\n"
	"\t\tseen += h[r];\n"
	"\t\tif (seen >= rank) {\n"
	"\t\t\tconst hi = rowHi(r), v = hi === Infinity ? A.rows[r] : (A.rows[r] + hi) / 2;\n"
	"\t\t\treturn Math.min(Math.round(v), max);\n"
	"\t\t}\n"
	"\t}\n"
	"\treturn max;\n"
	"}\n"
	"function winStats(m) {\n"
	"\tconst h = rowsOf(m), timed = h.reduce(function (a, b) { return a + b; }, 0);\n"
	"\tconst max = sumCols(m.m, Math.max);\n"
	"\treturn {\n"
	"\t\tcount: sumCols(m.n, function (a, b) { return a + b; }),\n"
	"\t\terrors: sumCols(m.e, function (a, b) { return a + b; }),\n"
	"\t\ttotal_ns: sumCols(m.s, function (a, b) { return a + b; }),\n"
	"\t\ttimed: timed, max_ns: max, hist: h,\n"
	"\t\tp50_ns: pct(h, timed, 50, max), p90_ns: pct(h, timed, 90, max), p99_ns: pct(h, timed, 99, max),\n"
	"\t};\n"
	"}\n"
	"\n"
	"/* ---- tables ---- */\n"
	"function table(id, cols, rows, opts) {\n"
	"\tconst t = el('table', {id: id});\n"
	"\tconst hr = el('tr', {}, cols.map(function (c) { return el('th', {cls: c.l ? 'l' : '', text: c.h}); }));\n"
	"\tt.appendChild(el('thead', {}, [hr]));\n"
	"\tconst tb = el('tbody');\n"
	"\trows.forEach(function (r) {\n"
	"\t\tconst tr = el('tr');\n"
	"\t\tif (opts && opts.attrs) {\n"
	"\t\t\tconst a = opts.attrs(r);\n"
	"\t\t\tfor (const k in a) tr.setAttribute(k, a[k]);\n"
	"\t\t}\n"
	"\t\tcols.forEach(function (c) {\n"
	"\t\t\tconst v = c.f(r);\n"
	"\t\t\tconst td = el('td', {cls: c.p ? 'p' : c.l ? 'l' : ''});\n"
	"\t\t\t/* paths are clipped on the left (rtl); the marks keep their slashes in place */\n"
	"\t\t\tif (v instanceof Node) td.appendChild(v); else td.textContent = c.p ? '\\u200e' + v + '\\u200e' : v;\n"
	"\t\t\tif (c.p && typeof v === 'string') td.title = v;\n"
	"\t\t\ttr.appendChild(td);\n"
	"\t\t});\n"
	"\t\ttb.appendChild(tr);\n"
	"\t});\n"
	"\tt.appendChild(tb);\n"
	"\treturn t;\n"
	"}\n"
	"function errName(e) { return e ? el('span', {cls: 'err', text: e}) : '-'; }\n"
	"function fill(id, nodes) {\n"
	"\tconst box = $(id);\n"
	"\tbox.textContent = '';\n"
	"\tnodes.forEach(function (n) { if (n) box.appendChild(typeof n === 'string' ? el('p', {cls: 'note', text: n}) : n); });\n"
	"}\n"
	"const approx = function () { return win ? '\\u2248' : ''; };\n"
	"function latCols(first) {\n"
	"\treturn [first,\n"
	"\t\t{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},\n"
	"\t\t{h: 'ERRORS', f: function (r) { return r.errors ? el('span', {cls: 'err', text: fmtInt(r.errors)}) : '0'; }},\n"
	"\t\t{h: 'TOTAL', f: function (r) { return r.timed ? fmtNs(r.total_ns) : '-'; }},\n"
	"\t\t{h: 'AVG', f: function (r) { return r.timed ? fmtNs(Math.round(r.total_ns / r.timed)) : '-'; }},\n"
	"\t\t{h: approx() + 'P50', f: function (r) { return r.timed ? fmtNs(r.p50_ns) : '-'; }},\n"
	"\t\t{h: approx() + 'P90', f: function (r) { return r.timed ? fmtNs(r.p90_ns) : '-'; }},\n"
	"\t\t{h: approx() + 'P99', f: function (r) { return r.timed ? fmtNs(r.p99_ns) : '-'; }},\n"
	"\t\t{h: 'MAX', f: function (r) { return r.timed ? fmtNs(r.max_ns) : '-'; }}];\n"
	"}\n"
	"function groupRows(g, whole, keyOf) {\n"
	"\tif (!win) return whole;\n"
	"\treturn (byGroup[g] || []).map(function (m) {\n"
	"\t\tconst s = winStats(m);\n"
	"\t\ts.name = m.k; s.mount = m.k; s.fstype = m.fstype;\n"
	"\t\treturn s;\n"
	"\t}).filter(function (s) { return s.count > 0; })\n"
	"\t\t.sort(function (a, b) { return b.total_ns - a.total_ns || b.count - a.count; });\n"
	"}\n"
	"function renderSyscalls() {\n"
	"\tconst rows = groupRows('syscall', D.syscalls);\n"
	"\tfill('syscalls', [table('t-syscalls', latCols({h: 'SYSCALL', l: 1, f: function (r) { return r.name; }}), rows,\n"
	"\t\t{attrs: function (r) { return {'data-n': r.count, 'data-key': r.name}; }}),\n"
	"\t\twin ? 'Percentiles in a window come from the heatmap rows (a quarter of a power of two wide): within 12%.' : null]);\n"
	"}\n"
	"function renderMounts() {\n"
	"\tconst rows = groupRows('mount', D.mounts);\n"
	"\tconst cols = latCols({h: 'MOUNT', l: 1, f: function (r) { return r.mount; }});\n"
	"\tcols.splice(1, 0, {h: 'FSTYPE', l: 1, f: function (r) { return r.fstype || ''; }});\n"
	"\tfill('mounts', [rows.length ? table('t-mounts', cols, rows, {attrs: function (r) { return {'data-n': r.count}; }}) : 'no call had a known mount']);\n"
	"}\n"
	"function renderDevices() {\n"
	"\tconst devs = (D.layer.devices || []);\n"
	"\tconst out = [];\n"
	"\tif (devs.length) {\n"
	"\t\tout.push(el('h3', {text: 'Block devices, whole capture (Q2D queue, D2C device, Q2C total)'}));\n"
	"\t\tout.push(table('t-devices', [\n"
	"\t\t\t{h: 'DEVICE', l: 1, f: function (d) { return d.name; }},\n"
	"\t\t\t{h: 'REQS', f: function (d) { return fmtInt(d.requests); }},\n"
	"\t\t\t{h: 'BYTES', f: function (d) { return fmtBytes(d.bytes); }},\n"
	"\t\t\t{h: 'ERRORS', f: function (d) { return d.errors ? el('span', {cls: 'err', text: d.errors}) : '0'; }},\n"
	"\t\t\t{h: 'Q2D P50', f: function (d) { return fmtNs(d.q2d_p50_ns); }},\n"
	"\t\t\t{h: 'D2C P50', f: function (d) { return fmtNs(d.d2c_p50_ns); }},\n"
	"\t\t\t{h: 'D2C P99', f: function (d) { return fmtNs(d.d2c_p99_ns); }},\n"
	"\t\t\t{h: 'D2C MAX', f: function (d) { return fmtNs(d.d2c_max_ns); }},\n"
	"\t\t\t{h: 'Q2C MAX', f: function (d) { return fmtNs(d.q2c_max_ns); }},\n"
	"\t\t\t{h: 'BY CALLS', f: function (d) { return fmtInt(d.by_syscall); }},\n"
	"\t\t\t{h: 'BACKGROUND', f: function (d) { return fmtInt(d.background); }}], devs));\n"
	"\t}\n"
	"\tconst rows = (byGroup.device || []).map(function (m) { const s = winStats(m); s.name = m.k; return s; })\n"
	"\t\t.filter(function (s) { return s.count > 0; });\n"
	"\tout.push(el('h3', {text: 'Block requests inside the reported calls, device time (D2C)' + (win ? ', in the window' : '')}));\n"
	"\tout.push(rows.length ? table('t-devreqs', latCols({h: 'DEVICE', l: 1, f: function (r) { return r.name; }}), rows,\n"
	"\t\t{attrs: function (r) { return {'data-n': r.count}; }}) : el('p', {cls: 'note', text: 'none'}));\n"
	"\tfill('devices', out);\n"
	"}\n"
	"function renderStatic() {\n"
	"\tfill('files', [table('t-files', [\n"
	"\t\t{h: 'PATH', p: 1, f: function (r) { return r.path; }},\n"
	"\t\t{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},\n"
	"\t\t{h: 'ERRORS', f: function (r) { return fmtInt(r.errors); }},\n"
	"\t\t{h: 'BYTES', f: function (r) { return fmtBytes(r.bytes); }},\n"
	"\t\t{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }},\n"
	"\t\t{h: 'MAX', f: function (r) { return r.timed ? fmtNs(r.max_ns) : '-'; }}], D.files),\n"
	"\t\tD.files_total > D.files.length ? 'The top ' + D.files.length + ' of ' + fmtInt(D.files_total) + ' files by total time.' : null]);\n"
	"\tfill('procs', [table('t-procs', [\n"
	"\t\t{h: 'PID', f: function (r) { return r.pid; }},\n"
	"\t\t{h: 'COMM', l: 1, f: function (r) { return r.comm; }},\n"
	"\t\t{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},\n"
	"\t\t{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},\n"
	"\t\t{h: 'ERRORS', f: function (r) { return fmtInt(r.errors); }},\n"
	"\t\t{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }}], D.processes),\n"
	"\t\ttable('t-uids', [\n"
	"\t\t{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},\n"
	"\t\t{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},\n"
	"\t\t{h: 'ERRORS', f: function (r) { return fmtInt(r.errors); }},\n"
	"\t\t{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }}], D.uids)]);\n"
	"\tconst lt = D.layers_time;\n"
	"\tfill('below', [lt.length ? table('t-below', [\n"
	"\t\t{h: 'LAYER', l: 1, f: function (r) { return r.layer; }},\n"
	"\t\t{h: 'TIME', f: function (r) { return fmtNs(r.time_ns); }},\n"
	"\t\t{h: 'CALLS', f: function (r) { return fmtInt(r.calls); }},\n"
	"\t\t{h: 'SHARE', f: function (r) { return D.total_ns ? (100 * r.time_ns / D.total_ns).toFixed(1) + '%' : '-'; }}], lt)\n"
	"\t\t: 'No work below the syscalls was attributed.']);\n"
	"\tconst L = D.layer, out = [];\n"
	"\tif (L.fuse && L.fuse.length) {\n"
	"\t\tout.push(el('h3', {text: 'FUSE requests'}));\n"
	"\t\tout.push(table('t-fuse', Object.keys(L.fuse[0]).map(function (k) {\n"
	"\t\t\treturn {h: k.toUpperCase(), l: typeof L.fuse[0][k] === 'string', f: function (r) {\n"
	"\t\t\t\tconst v = r[k]; return /_ns$/.test(k) ? fmtNs(v) : v === null ? '-' : String(v); }};\n"
	"\t\t}), L.fuse));\n"
	"\t}\n"
	"\tif (L.fs && L.fs.length) {\n"
	"\t\tout.push(el('h3', {text: 'Filesystem work inside calls'}));\n"
	"\t\tout.push(table('t-fs', [\n"
	"\t\t\t{h: 'OPERATION', l: 1, f: function (r) { return r.operation; }},\n"
	"\t\t\t{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},\n"
	"\t\t\t{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }},\n"
	"\t\t\t{h: 'MAX', f: function (r) { return fmtNs(r.max_ns); }}], L.fs));\n"
	"\t}\n"
	"\tif (L.pagecache) {\n"
	"\t\tout.push(el('h3', {text: 'Page cache'}));\n"
	"\t\tout.push(el('p', {cls: 'note', text: fmtInt(L.pagecache.misses) + ' misses (' + fmtInt(L.pagecache.misses_in_calls) +\n"
	"\t\t\t' inside syscalls), ' + fmtInt(L.pagecache.faults) + ' file-mapping faults'}));\n"
	"\t}\n"
	"\tfill('lower', out.length ? out : ['No FUSE, filesystem or page-cache data in this recording.']);\n"
	"}\n"
	"/* The kernel function that failed, when the vfs layer saw it */\n"
	"function origins(rows) {\n"
	"\treturn rows.some(function (r) { return r.origin; })\n"
	"\t\t? [{h: 'FAILED IN', l: 1, f: function (r) { return r.origin || '-'; }}] : [];\n"
	"}\n"
	"function renderErrors() {\n"
	"\tconst w = winRange();\n"
	"\tconst errs = D.errors.filter(function (e) { return !w || (e.last_ns >= w[0] && e.first_ns < w[1]); });\n"
	"\tfill('errors', [errs.length ? table('t-errors', [\n"
	"\t\t{h: 'SYSCALL', l: 1, f: function (r) { return r.syscall; }},\n"
	"\t\t{h: 'ERRNO', l: 1, f: function (r) { return errName(r.errno); }},\n"
	"\t\t{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},\n"
	"\t\t{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},\n"
	"\t\t{h: 'PID', f: function (r) { return r.pid; }},\n"
	"\t\t{h: 'COMM', l: 1, f: function (r) { return r.comm; }},\n"
	"\t\t{h: 'FIRST', f: function (r) { return fmtSec(r.first_ns); }},\n"
	"\t\t{h: 'LAST', f: function (r) { return fmtSec(r.last_ns); }}].concat(origins(errs)).concat([\n"
	"\t\t{h: 'PATH', p: 1, f: function (r) { return r.path || '?'; }}]), errs,\n"
	"\t\t{attrs: function (r) { return {'data-n': r.count}; }}) : 'none',\n"
	"\t\tw ? 'Rows whose first to last occurrence meets the window; COUNT is for the whole capture.' : null,\n"
	"\t\tD.errors_total > D.errors.length ? 'The ' + D.errors.length + ' most frequent of ' + fmtInt(D.errors_total) + ' rows: ftio report --json has them all.' : null]);\n"
	"\tconst aud = D.audit.filter(function (a) { return inWin(a.start_ns); });\n"
	"\tfill('audit', [aud.length ? table('t-audit', [\n"
	"\t\t{h: 'TIME', f: function (r) { return fmtSec(r.start_ns); }},\n"
	"\t\t{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},\n"
	"\t\t{h: 'EUID', l: 1, f: function (r) { return r.euid === null ? '?' : String(r.euid); }},\n"
	"\t\t{h: 'PID', f: function (r) { return r.pid; }},\n"
	"\t\t{h: 'COMM', l: 1, f: function (r) { return r.comm; }},\n"
	"\t\t{h: 'SYSCALL', l: 1, f: function (r) { return r.syscall; }},\n"
	"\t\t{h: 'ERRNO', l: 1, f: function (r) { return errName(r.errno); }},\n"
	"\t\t{h: 'LATENCY', f: function (r) { return fmtNs(r.latency_ns); }}].concat(origins(aud)).concat([\n"
	"\t\t{h: 'PATH', p: 1, f: function (r) { return r.path || '?'; }}]), aud) : 'none',\n"
	"\t\tD.audit_total > D.audit.length ? 'The first ' + D.audit.length + ' of ' + fmtInt(D.audit_total) + ' denied accesses.' : null]);\n"
	"}\n"
	"\n"
	"/* ---- slowest calls and their drill-down ---- */\n"
	"/* Each layer's time in the call, capped at the call: parallel requests can add up past it */\n"
	"function layerShares(c) {\n"
	"\tconst by = {};\n"
	"\tc.children.forEach(function (ch) {\n"
	"\t\tconst b = by[ch.layer] = by[ch.layer] || {ns: 0, n: 0, pages: 0};\n"
	"\t\tb.ns += ch.latency_ns; b.n += ch.count; b.pages += ch.layer === 'pagecache' ? ch.a : 0;\n"
	"\t});\n"
	"\treturn Object.keys(by).sort().map(function (l) { return [l, Math.min(by[l].ns, c.latency_ns), by[l]]; });\n"
	"}\n"
	"function summed(ch) { return ch.count > 1 && ch.layer !== 'block' && ch.layer !== 'fuse'; }\n"
	"function callBox(c) {\n"
	"\tconst hd = fmtNs(c.latency_ns) + ' ' + c.syscall + ' ' + (c.path || '?') + ' (tid ' + c.tid + ' ' + c.comm +\n"
	"\t\t', uid ' + user(c.uid, c.user) + ', ret ' + c.ret + ', at ' + fmtSec(c.start_ns) + ')';\n"
	"\tconst box = el('div', {cls: 'call', 'data-start': c.start_ns, 'data-latency': c.latency_ns},\n"
	"\t\t[el('div', {cls: 'hd', title: hd}, [hd, c.errno ? ' ' : '', c.errno ? errName(c.errno) : null,\n"
	"\t\t\tc.origin ? ' in ' + c.origin : ''])]);\n"
	"\tif (!c.children.length) {\n"
	"\t\tbox.appendChild(el('div', {cls: 'note', text: 'nothing attributed below the syscall'}));\n"
	"\t\treturn box;\n"
	"\t}\n"
	"\tconst lat = Math.max(c.latency_ns, 1);\n"
	"\tlayerShares(c).forEach(function (s) {\n"
	"\t\tconst col = LAYER_COLORS[s[0]] || '#888';\n"
	"\t\tconst what = s[0] === 'pagecache' ? fmtInt(s[2].n) + ' misses, ' + fmtInt(s[2].pages) + ' pages'\n"
	"\t\t\t: fmtNs(s[1]) + ' (' + (100 * s[1] / lat).toFixed(0) + '% of the call)';\n"
	"\t\tbox.appendChild(el('div', {cls: 'lb'}, [el('span', {text: s[0]}),\n"
	"\t\t\tel('div', {cls: 'stack'}, [el('div', {style: 'width:' + (100 * s[1] / lat) + '%;background:' + col})]),\n"
	"\t\t\tel('span', {text: what})]));\n"
	"\t});\n"
	"\tc.children.slice().sort(function (a, b) { return a.start_ns - b.start_ns; }).forEach(function (ch) {\n"
	"\t\tconst off = Math.max(0, ch.start_ns - c.start_ns);\n"
	"\t\tconst x = Math.min(100, 100 * off / lat), w = summed(ch) ? 0 : Math.min(100 - x, 100 * ch.latency_ns / lat);\n"
	"\t\tlet label = ch.layer + ' ' + (ch.dev ? ch.dev + ' ' : '') + ch.what;\n"
	"\t\tif (ch.count > 1) label += ' \\u00d7' + ch.count;\n"
	"\t\tif (ch.layer === 'block') label += ': ' + fmtBytes(ch.bytes) + ', queue ' + fmtNs(ch.a) + ', device ' + fmtNs(ch.b);\n"
	"\t\telse if (ch.layer === 'pagecache') label += ': ' + ch.a + ' pages';\n"
	"\t\telse label += ': ' + fmtNs(ch.latency_ns) + (summed(ch) ? ' in all, the first at this mark' : '');\n"
	"\t\tif (ch.error) label += ' error ' + ch.error;\n"
	"\t\tbox.appendChild(el('div', {cls: 'wf', title: label}, [\n"
	"\t\t\tel('div', {style: 'left:' + x + '%;width:' + w + '%;background:' + (LAYER_COLORS[ch.layer] || '#888') + '80'}),\n"
	"\t\t\tel('span', {text: label})]));\n"
	"\t});\n"
	"\treturn box;\n"
	"}\n"
	"function renderSlowest() {\n"
	"\tconst n = Math.max(D.top, 10);\n"
	"\tlet calls;\n"
	"\tif (!win) calls = D.calls.filter(function (c) { return c.top; });\n"
	"\telse calls = D.calls.filter(function (c) { return inWin(c.start_ns); });\n"
	"\tcalls = calls.sort(function (a, b) { return b.latency_ns - a.latency_ns; }).slice(0, n);\n"
	"\tfill('slowest', [calls.length ? table('t-slowest', [\n"
	"\t\t{h: 'LATENCY', f: function (c) { return fmtNs(c.latency_ns); }},\n"
	"\t\t{h: 'SYSCALL', l: 1, f: function (c) { return c.syscall; }},\n"
	"\t\t{h: 'RET', f: function (c) { return c.ret; }},\n"
	"\t\t{h: 'ERRNO', l: 1, f: function (c) { return errName(c.errno); }},\n"
	"\t\t{h: 'TIME', f: function (c) { return fmtSec(c.start_ns); }},\n"
	"\t\t{h: 'TID', f: function (c) { return c.tid; }},\n"
	"\t\t{h: 'COMM', l: 1, f: function (c) { return c.comm; }},\n"
	"\t\t{h: 'UID', l: 1, f: function (c) { return user(c.uid, c.user); }},\n"
	"\t\t{h: 'PATH', p: 1, f: function (c) { return c.path || '?'; }}], calls,\n"
	"\t\t{attrs: function (c) { return {'data-start': c.start_ns}; }}) : 'none',\n"
	"\t\twin ? 'The slowest kept for the window: the report\\'s top ' + D.top + ' and the ' + D.slow_per_col +\n"
	"\t\t\t' slowest of each heatmap column.' : null]);\n"
	"\tfill('drill', calls.map(callBox));\n"
	"}\n"
	"\n"
	"/* ---- heatmaps ---- */\n"
	"let rmin = ROWS, rmax = -1;\n"
	"maps.forEach(function (m) {\n"
	"\tm.max = 0;\n"
	"\tm.c.forEach(function (col) {\n"
	"\t\tif (!col) return;\n"
	"\t\trmin = Math.min(rmin, col[0]);\n"
	"\t\trmax = Math.max(rmax, col[0] + col.length - 2);\n"
	"\t\tfor (let j = 1; j < col.length; j++) m.max = Math.max(m.max, col[j]);\n"
	"\t});\n"
	"});\n"
	"if (rmax < 0) { rmin = 0; rmax = 0; }\n"
	"rmin = Math.max(0, rmin - 1); rmax = Math.min(ROWS - 1, rmax + 1);\n"
	"const NR = rmax - rmin + 1, ML = 56, MB = 18, MT = 4, MR = 6;\n"
	"function color(v, max) {\n"
	"\tconst t = max > 1 ? Math.log(v) / Math.log(max) : 1, x = t * (PAL.length - 1);\n"
	"\tconst i = Math.min(PAL.length - 2, Math.floor(x)), f = x - i, a = PAL[i], b = PAL[i + 1];\n"
	"\treturn [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];\n"
	"}\n"
	"function geom(cv) {\n"
	"\tconst w = cv.clientWidth, h = cv.clientHeight;\n"
	"\treturn {x: ML, y: MT, w: w - ML - MR, h: h - MT - MB};\n"
	"}\n"
	"function drawMap(cv, m) {\n"
	"\tconst dpr = window.devicePixelRatio || 1, g = geom(cv);\n"
	"\tcv.width = Math.round(cv.clientWidth * dpr);\n"
	"\tcv.height = Math.round(cv.clientHeight * dpr);\n"
	"\tconst ctx = cv.getContext('2d');\n"
	"\tctx.setTransform(dpr, 0, 0, dpr, 0, 0);\n"
	"\tctx.clearRect(0, 0, cv.clientWidth, cv.clientHeight);\n"
	"\tctx.fillStyle = '#f7f8fa';\n"
	"\tctx.fillRect(g.x, g.y, g.w, g.h);\n"
	"\tconst cols = Math.max(A.cols, 1);\n"
	"\tif (!m.img) {\n"
	"\t\tconst off = document.createElement('canvas');\n"
	"\t\toff.width = cols; off.height = NR;\n"
	"\t\tconst oc = off.getContext('2d'), im = oc.createImageData(cols, NR);\n"
	"\t\tm.c.forEach(function (col, c) {\n"
	"\t\t\tif (!col) return;\n"
	"\t\t\tfor (let j = 1; j < col.length; j++) {\n"
	"\t\t\t\tif (!col[j]) continue;\n"
	"\t\t\t\tconst y = rmax - (col[0] + j - 1), p = (y * cols + c) * 4, rgb = color(col[j], m.max);\n"
	"\t\t\t\tim.data[p] = rgb[0]; im.data[p + 1] = rgb[1]; im.data[p + 2] = rgb[2]; im.data[p + 3] = 255;\n"
	"\t\t\t}\n"
	"\t\t});\n"
	"\t\toc.putImageData(im, 0, 0);\n"
	"\t\tm.img = off;\n"
	"\t}\n"
	"\tctx.imageSmoothingEnabled = false;\n"
	"\tctx.drawImage(m.img, g.x, g.y, g.w, g.h);\n"
	"\tif (win) {\n"
	"\t\tconst x0 = g.x + win.c0 * g.w / cols, x1 = g.x + (win.c1 + 1) * g.w / cols;\n"
	"\t\tctx.fillStyle = 'rgba(31,111,235,0.10)';\n"
	"\t\tctx.fillRect(x0, g.y, x1 - x0, g.h);\n"
	"\t\tctx.strokeStyle = '#1f6feb';\n"
	"\t\tctx.lineWidth = 1.5;\n"
	"\t\tctx.strokeRect(x0, g.y, Math.max(x1 - x0, 1.5), g.h);\n"
	"\t}\n"
	"\tctx.fillStyle = '#5f6b76';\n"
	"\tctx.font = '10px system-ui,sans-serif';\n"
	"\tctx.textAlign = 'right';\n"
	"\tctx.textBaseline = 'middle';\n"
	"\tconst rh = g.h / NR;\n"
	"\tfor (let d = 100; d <= 1e12; d *= 10) {\n"
	"\t\tconst r = rowOf(d);\n"
	"\t\tif (r < rmin || r > rmax) continue;\n"
	"\t\tconst y = g.y + (rmax - r + 1) * rh;\n"
	"\t\tctx.fillRect(g.x - 4, y, 4, 1);\n"
	"\t\tctx.fillText(fmtShort(d), g.x - 6, y);\n"
	"\t}\n"
	"\tctx.textAlign = 'center';\n"
	"\tctx.textBaseline = 'top';\n"
	"\tconst span = cols * A.width_ns, step = niceStep(span / Math.max(2, Math.floor(g.w / 90)));\n"
	"\tfor (let t = Math.ceil(A.t0_ns / step) * step; t <= A.t0_ns + span; t += step) {\n"
	"\t\tconst x = g.x + (t - A.t0_ns) / span * g.w;\n"
	"\t\tctx.fillRect(x, g.y + g.h, 1, 3);\n"
	"\t\tctx.fillText(+(t / 1e9).toPrecision(6) + 's', x, g.y + g.h + 4);\n"
	"\t}\n"
	"}\n"
	"function niceStep(x) {\n"
	"\tconst p = Math.pow(10, Math.floor(Math.log10(Math.max(x, 1))));\n"
	"\tconst f = x / p;\n"
	"\treturn (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;\n"
	"}\n"
	"function rowOf(ns) {\n"
	"\tlet r = 0;\n"
	"\twhile (r + 1 < ROWS && A.rows[r + 1] <= ns) r++;\n"
	"\treturn r;\n"
	"}\n"
	"function cellAt(cv, ev) {\n"
	"\tconst g = geom(cv), b = cv.getBoundingClientRect();\n"
	"\tconst x = ev.clientX - b.left - g.x, y = ev.clientY - b.top - g.y;\n"
	"\tif (x < 0 || y < 0 || x >= g.w || y >= g.h || !A.cols) return null;\n"
	"\treturn {col: Math.floor(x * A.cols / g.w), row: rmax - Math.floor(y * NR / g.h)};\n"
	"}\n"
	"function cellCount(m, col, row) {\n"
	"\tconst c = m.c[col];\n"
	"\tif (!c || row < c[0] || row >= c[0] + c.length - 1) return 0;\n"
	"\treturn c[row - c[0] + 1];\n"
	"}\n"
	"function mapBox(m, w, h) {\n"
	"\tconst cv = el('canvas', {id: 'hm-' + m.i, 'data-map': m.i, style: 'width:' + w + 'px;height:' + h + 'px'});\n"
	"\tconst title = m.g === 'all' ? 'All calls' : m.g === 'device' ? m.k + ' (device time of block requests)' : m.k;\n"
	"\tconst sub = fmtInt(m.timed) + (m.g === 'device' ? ' requests' : ' calls') + (m.untimed ? ', ' + fmtInt(m.untimed) + ' untimed' : '');\n"
	"\tconst box = el('div', {cls: 'map'}, [el('div', {cls: 't'}, [title, el('span', {text: sub})]), cv]);\n"
	"\tcv.addEventListener('mousemove', function (ev) {\n"
	"\t\tconst cell = cellAt(cv, ev), tip = $('tip');\n"
	"\t\tif (!cell) { tip.style.display = 'none'; return; }\n"
	"\t\tconst lo = A.rows[cell.row], hi = rowHi(cell.row);\n"
	"\t\ttip.textContent = fmtSec(colStart(cell.col)) + ' \\u2013 ' + fmtSec(colStart(cell.col + 1)) + ', ' +\n"
	"\t\t\tfmtShort(lo) + ' \\u2013 ' + (hi === Infinity ? '\\u221e' : fmtShort(hi)) + ': ' +\n"
	"\t\t\tfmtInt(cellCount(m, cell.col, cell.row)) + (m.g === 'device' ? ' requests' : ' calls') +\n"
	"\t\t\t' (column: ' + fmtInt(m.n[cell.col] || 0) + ')';\n"
	"\t\ttip.style.display = 'block';\n"
	"\t\ttip.style.left = Math.min(ev.clientX + 12, window.innerWidth - tip.offsetWidth - 4) + 'px';\n"
	"\t\ttip.style.top = (ev.clientY + 14) + 'px';\n"
	"\t});\n"
	"\tcv.addEventListener('mouseleave', function () { $('tip').style.display = 'none'; });\n"
	"\tcv.addEventListener('click', function (ev) {\n"
	"\t\tconst cell = cellAt(cv, ev);\n"
	"\t\tif (!cell) return;\n"
	"\t\tif (ev.shiftKey && win) setWindow(Math.min(win.c0, cell.col), Math.max(win.c1, cell.col));\n"
	"\t\telse if (win && win.c0 === cell.col && win.c1 === cell.col) setWindow(null);\n"
	"\t\telse setWindow(cell.col, cell.col);\n"
	"\t});\n"
	"\tredraws.push(function () { drawMap(cv, m); });\n"
	"\treturn box;\n"
	"}\n"
	"function renderMaps() {\n"
	"\tconst all = byGroup.all[0];\n"
	"\tfill('hm-all', [mapBox(all, Math.min(1100, Math.max(600, window.innerWidth - 60)), 200),\n"
	"\t\tel('div', {cls: 'legend'}, ['fewer', el('i', {style: 'background:linear-gradient(90deg,' +\n"
	"\t\t\tPAL.map(function (c) { return 'rgb(' + c.join(',') + ')'; }).join(',') + ')'}), 'more calls (log scale, per map)'])]);\n"
	"\tconst sc = (byGroup.syscall || []).slice().sort(function (a, b) {\n"
	"\t\treturn sumCols(b.s, function (x, y) { return x + y; }) - sumCols(a.s, function (x, y) { return x + y; });\n"
	"\t});\n"
	"\tconst show = 12, box = $('hm-syscalls');\n"
	"\tsc.slice(0, show).forEach(function (m) { box.appendChild(mapBox(m, 430, 140)); });\n"
	"\tif (sc.length > show) {\n"
	"\t\tconst more = el('button', {cls: 'more', text: 'show the other ' + (sc.length - show) + ' syscalls'});\n"
	"\t\tmore.addEventListener('click', function () {\n"
	"\t\t\tmore.remove();\n"
	"\t\t\tsc.slice(show).forEach(function (m) { const b = mapBox(m, 430, 140); box.appendChild(b); redraws[redraws.length - 1](); });\n"
	"\t\t});\n"
	"\t\tbox.appendChild(more);\n"
	"\t}\n"
	"\tconst dev = byGroup.device || [];\n"
	"\tif (dev.length) dev.forEach(function (m) { $('hm-devices').appendChild(mapBox(m, 430, 140)); });\n"
	"\telse $('hm-devices').appendChild(el('p', {cls: 'note', text: 'No block request was attributed to a reported call.'}));\n"
	"}\n"
	"\n"
	"/* ---- histograms: one bar per power of two (four heatmap rows) ---- */\n"
	"function renderHists() {\n"
	"\t['syscall', 'mount', 'device'].forEach(function (g) {\n"
	"\t\tconst box = $('hist-' + g);\n"
	"\t\tbox.textContent = '';\n"
	"\t\tconst list = (byGroup[g] || []).map(function (m) { return {m: m, h: rowsOf(m)}; })\n"
	"\t\t\t.map(function (x) { x.n = x.h.reduce(function (a, b) { return a + b; }, 0); return x; })\n"
	"\t\t\t.filter(function (x) { return x.n; }).sort(function (a, b) { return b.n - a.n; });\n"
	"\t\tif (!list.length) { box.appendChild(el('p', {cls: 'note', text: 'none'})); return; }\n"
	"\t\tlist.slice(0, 16).forEach(function (x) { box.appendChild(histBox(x.m, x.h, x.n)); });\n"
	"\t\tif (list.length > 16) box.appendChild(el('p', {cls: 'note', text: (list.length - 16) + ' more not drawn'}));\n"
	"\t});\n"
	"}\n"
	"function histBox(m, h, n) {\n"
	"\tconst bins = [], top = ROWS - 1;\n"
	"\tlet lo = 0, hi = top;\n"
	"\twhile (lo < top && !h[lo]) lo++;\n"
	"\twhile (hi > 0 && !h[hi]) hi--;\n"
	"\tif (lo === 0) bins.push({lo: 0, hi: A.rows[1], n: h[0]});\n"
	"\tconst o0 = Math.floor((Math.max(lo, 1) - 1) / 4), o1 = Math.floor((Math.min(hi, top - 1) - 1) / 4);\n"
	"\tfor (let o = o0; o <= o1; o++) {\n"
	"\t\tlet s = 0;\n"
	"\t\tfor (let k = 1; k <= 4; k++) s += h[4 * o + k];\n"
	"\t\tbins.push({lo: A.rows[4 * o + 1], hi: A.rows[4 * o + 5], n: s});\n"
	"\t}\n"
	"\tif (hi === top) bins.push({lo: A.rows[top], hi: Infinity, n: h[top]});\n"
	"\tconst W = 300, H = 16 + bins.length * 13, cv = el('canvas', {cls: 'h', style: 'width:' + W + 'px;height:' + H + 'px'});\n"
	"\tconst box = el('div', {cls: 'map'}, [el('div', {cls: 't'}, [m.k, el('span', {text: fmtInt(n) + (m.g === 'device' ? ' requests' : ' calls')})]), cv]);\n"
	"\tredraws.push(function () {\n"
	"\t\tconst dpr = window.devicePixelRatio || 1;\n"
	"\t\tcv.width = W * dpr; cv.height = H * dpr;\n"
	"\t\tconst ctx = cv.getContext('2d');\n"
	"\t\tctx.setTransform(dpr, 0, 0, dpr, 0, 0);\n"
	"\t\tctx.font = '10px system-ui,sans-serif';\n"
	"\t\tctx.textBaseline = 'middle';\n"
	"\t\tconst max = Math.max.apply(null, bins.map(function (b) { return b.n; }).concat([1]));\n"
	"\t\tbins.forEach(function (b, i) {\n"
	"\t\t\tconst y = 4 + i * 13;\n"
	"\t\t\tctx.fillStyle = '#5f6b76';\n"
	"\t\t\tctx.textAlign = 'right';\n"
	"\t\t\tctx.fillText(fmtShort(b.lo) + ' \\u2013 ' + (b.hi === Infinity ? '\\u221e' : fmtShort(b.hi)), 112, y + 6);\n"
	"\t\t\tctx.fillStyle = '#4e79a7';\n"
	"\t\t\tctx.fillRect(118, y + 1, (W - 170) * b.n / max, 10);\n"
	"\t\t\tctx.fillStyle = '#1d2125';\n"
	"\t\t\tctx.textAlign = 'left';\n"
	"\t\t\tif (b.n) ctx.fillText(fmtInt(b.n), 122 + (W - 170) * b.n / max, y + 6);\n"
	"\t\t});\n"
	"\t});\n"
	"\treturn box;\n"
	"}\n"
	"\n"
	"/* ---- the window ---- */\n"
	"function setWindow(c0, c1) {\n"
	"\twin = c0 === null ? null : {c0: c0, c1: c1};\n"
	"\tconst bar = $('bar');\n"
	"\tbar.textContent = '';\n"
	"\tif (!win) {\n"
	"\t\tbar.className = 'off';\n"
	"\t\tbar.appendChild(el('span', {text: 'Whole capture. Click a heatmap cell to narrow the tables below to its time column; shift-click to extend.'}));\n"
	"\t} else {\n"
	"\t\tbar.className = '';\n"
	"\t\tconst n = byGroup.all[0] ? sumCols(byGroup.all[0].n, function (a, b) { return a + b; }) : 0;\n"
	"\t\tbar.appendChild(el('span', {id: 'win-label', text: 'Window ' + fmtSec(colStart(win.c0)) + ' \\u2013 ' + fmtSec(colStart(win.c1 + 1)) +\n"
	"\t\t\t': ' + fmtInt(n) + ' calls'}));\n"
	"\t\tconst b = el('button', {text: 'Show the whole capture'});\n"
	"\t\tb.addEventListener('click', function () { setWindow(null); });\n"
	"\t\tbar.appendChild(b);\n"
	"\t}\n"
	"\tredraws.length = 0;\n"
	"\trenderFiltered();\n"
	"}\n"
	"function renderFiltered() {\n"
	"\trenderSyscalls();\n"
	"\trenderMounts();\n"
	"\trenderDevices();\n"
	"\trenderHists();\n"
	"\trenderSlowest();\n"
	"\trenderErrors();\n"
	"\tdocument.querySelectorAll('canvas[data-map]').forEach(function (cv) {\n"
	"\t\tconst m = maps[+cv.getAttribute('data-map')];\n"
	"\t\tredraws.push(function () { drawMap(cv, m); });\n"
	"\t});\n"
	"\tredraws.forEach(function (f) { f(); });\n"
	"}\n"
	"\n"
	"/* ---- the page ---- */\n"
	"function header() {\n"
	"\tconst C = D.capture, h = $('head');\n"
	"\th.appendChild(el('h1', {text: 'ftio report: ' + C.file}));\n"
	"\tconst line = function (k, v) { if (v) h.appendChild(el('div', {cls: 'meta'}, [el('b', {text: k + ': '}), v])); };\n"
	"\tline('capture', fmtNs(C.duration_ns) + ', ' + fmtInt(C.events) + ' events, ' + fmtInt(C.lost_events) + ' lost');\n"
	"\tline('traced', C.command || 'the whole system');\n"
	"\tline('layers', C.layers);\n"
	"\tline('calls', fmtInt(C.calls) + ' recorded, ' + fmtInt(C.calls_reported) + ' reported' +\n"
	"\t\t(C.path_filter ? ' (under ' + C.path_filter + ')' : ''));\n"
	"\tline('kernel', C.kernel);\n"
	"\tconst pm = Object.keys(C.path_methods).filter(function (k) { return k !== 'unknown' && C.path_methods[k]; })\n"
	"\t\t.map(function (k) { return fmtInt(C.path_methods[k]) + ' by ' + k; });\n"
	"\tline('paths', pm.concat([fmtInt(C.path_methods.unknown || 0) + ' unknown']).join(', '));\n"
	"\tC.notes.forEach(function (n) { line('note', n[0] + ': ' + fmtInt(n[1])); });\n"
	"\tconst all = byGroup.all[0];\n"
	"\tif (all && all.untimed) line('untimed', fmtInt(all.untimed) + ' calls broken by lost events are in the tables but not in the heatmaps');\n"
	"\tline('heatmap columns', A.cols + ' of ' + fmtNs(A.width_ns) + (A.t0_ns ? ', from ' + fmtSec(A.t0_ns) : ''));\n"
	"\th.appendChild(el('div', {cls: 'meta', text: 'made by ftio ' + C.ftio}));\n"
	"}\n"
	"header();\n"
	"renderMaps();\n"
	"renderStatic();\n"
	"setWindow(null);\n"
	"window.addEventListener('resize', function () { redraws.forEach(function (f) { f(); }); });\n"
	"/* For scripted checks: where a cell of map @i is on the page, and the data */\n"
	"window.ftioPage = {\n"
	"\tdata: D, setWindow: setWindow, window: function () { return win; },\n"
	"\tcellCenter: function (i, col, row) {\n"
	"\t\tconst cv = $('hm-' + i), g = geom(cv), b = cv.getBoundingClientRect();\n"
	"\t\treturn {x: b.left + g.x + (col + 0.5) * g.w / A.cols, y: b.top + g.y + (rmax - row + 0.5) * g.h / NR};\n"
	"\t},\n"
	"};\n"
	"})();\n"
	"</script>\n"
	"</body></html>\n";

/* ---- end of the page ---- */

/* ---- for export-svg.c ---- */

bool export_views_map(struct export_views *v, size_t i, struct export_map *out)
{
	/* no call passed the filters: still the (empty) map of all calls */
	if (!v->started)
		views_start(v);
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
		views_start(v);
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
