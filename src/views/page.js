/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The script of the offline HTML page that "ftio export --html" writes: it
 * reads the JSON in <script id="ftio-data"> (written by html.c) and draws the
 * heatmaps, tables, histograms and drill-downs, with no external resource.
 * embed-page.sh copies it into the page's last <script> element at build
 * time; this comment stays out of the page, the rest goes in byte for byte.
 * tests/t5050-views-page-js.sh checks its syntax with node --check.
 */
'use strict';
(function () {
const D = JSON.parse(document.getElementById('ftio-data').textContent);
const A = D.axis, ROWS = A.rows.length, US = '\u00b5s';
const LAYER_COLORS = {block: '#4e79a7', fuse: '#f28e2b', fs: '#59a14f', lookup: '#b07aa1',
	pagecache: '#edc948', other: '#9aa5b1'};
const PAL = [[255, 247, 188], [254, 227, 145], [254, 196, 79], [254, 153, 41], [236, 112, 20],
	[204, 76, 2], [140, 45, 4], [80, 20, 4]];
let win = null;		/* {c0, c1}: inclusive columns, or null for the whole capture */
const maps = D.maps.map(function (m, i) { m.i = i; return m; });
const byGroup = {};
maps.forEach(function (m) { (byGroup[m.g] = byGroup[m.g] || []).push(m); });
const redraws = [];

/* ---- formatting ---- */
function fmtNs(ns) {
	if (ns === null || ns === undefined) return '-';
	if (ns < 10000) return (ns / 1e3).toFixed(2) + US;
	if (ns < 1e6) return (ns / 1e3).toFixed(1) + US;
	if (ns < 1e9) return (ns / 1e6).toFixed(2) + 'ms';
	return (ns / 1e9).toFixed(2) + 's';
}
function fmtShort(ns) {
	if (ns < 1e3) return ns + 'ns';
	if (ns < 1e6) return +(ns / 1e3).toPrecision(3) + US;
	if (ns < 1e9) return +(ns / 1e6).toPrecision(3) + 'ms';
	return +(ns / 1e9).toPrecision(3) + 's';
}
function fmtSec(ns) { return (ns / 1e9).toFixed(ns < 1e10 ? 4 : 2) + 's'; }
function fmtInt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
function fmtBytes(b) {
	if (b < 1024) return b + 'B';
	if (b < 1048576) return (b / 1024).toFixed(1) + 'K';
	if (b < 1073741824) return (b / 1048576).toFixed(1) + 'M';
	return (b / 1073741824).toFixed(2) + 'G';
}
function user(uid, name) {
	if (uid === null || uid === undefined) return '?';
	return name ? uid + '(' + name + ')' : String(uid);
}
function el(tag, attrs, kids) {
	const e = document.createElement(tag);
	for (const k in attrs || {}) {
		if (k === 'text') e.textContent = attrs[k];
		else if (k === 'cls') e.className = attrs[k];
		else e.setAttribute(k, attrs[k]);
	}
	(kids || []).forEach(function (c) {
		if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
	});
	return e;
}
function $(id) { return document.getElementById(id); }

/* ---- time windows ---- */
/* "1 call", "2 calls" (a device's map counts requests) */
function nOf(n, dev) { return fmtInt(n) + (dev ? ' request' : ' call') + (n === 1 ? '' : 's'); }
function colStart(c) { return A.t0_ns + c * A.width_ns; }
function winRange() { return win ? [colStart(win.c0), colStart(win.c1 + 1)] : null; }
function inWin(ns) { const w = winRange(); return !w || (ns >= w[0] && ns < w[1]); }
function sumCols(arr, fn) {
	let s = 0;
	const c0 = win ? win.c0 : 0, c1 = win ? win.c1 : A.cols - 1;
	for (let c = c0; c <= c1 && c < arr.length; c++) s = fn(s, arr[c]);
	return s;
}
/* The latency rows of map @m over the window */
function rowsOf(m) {
	const h = new Array(ROWS).fill(0);
	const c0 = win ? win.c0 : 0, c1 = win ? win.c1 : A.cols - 1;
	for (let c = c0; c <= c1 && c < m.c.length; c++) {
		const col = m.c[c];
		if (!col) continue;
		for (let j = 1; j < col.length; j++) h[col[0] + j - 1] += col[j];
	}
	return h;
}
function rowHi(r) { return r + 1 < ROWS ? A.rows[r + 1] : Infinity; }
/* A percentile from rows: the middle of its row, clamped to the exact maximum */
function pct(h, total, p, max) {
	if (!total) return null;
	const rank = Math.max(1, Math.ceil(p / 100 * total));
	let seen = 0;
	for (let r = 0; r < ROWS; r++) {
		seen += h[r];
		if (seen >= rank) {
			const hi = rowHi(r), v = hi === Infinity ? A.rows[r] : (A.rows[r] + hi) / 2;
			return Math.min(Math.round(v), max);
		}
	}
	return max;
}
function winStats(m) {
	const h = rowsOf(m), timed = h.reduce(function (a, b) { return a + b; }, 0);
	const max = sumCols(m.m, Math.max);
	return {
		count: sumCols(m.n, function (a, b) { return a + b; }),
		errors: sumCols(m.e, function (a, b) { return a + b; }),
		total_ns: sumCols(m.s, function (a, b) { return a + b; }),
		timed: timed, max_ns: max, hist: h,
		p50_ns: pct(h, timed, 50, max), p90_ns: pct(h, timed, 90, max), p99_ns: pct(h, timed, 99, max),
	};
}

/* ---- tables ---- */
function table(id, cols, rows, opts) {
	const t = el('table', {id: id});
	const hr = el('tr', {}, cols.map(function (c) { return el('th', {cls: c.l || c.p ? 'l' : '', text: c.h}); }));
	t.appendChild(el('thead', {}, [hr]));
	const tb = el('tbody');
	rows.forEach(function (r) {
		const tr = el('tr');
		if (opts && opts.attrs) {
			const a = opts.attrs(r);
			for (const k in a) tr.setAttribute(k, a[k]);
		}
		cols.forEach(function (c) {
			const v = c.f(r);
			const td = el('td', {cls: c.p ? 'p' : c.l ? 'l' : ''});
			/* paths are clipped on the left (rtl); the marks keep their slashes in place */
			if (v instanceof Node) td.appendChild(v); else td.textContent = c.p ? '\u200e' + v + '\u200e' : v;
			if (c.p && typeof v === 'string') td.title = v;
			tr.appendChild(td);
		});
		tb.appendChild(tr);
	});
	t.appendChild(tb);
	return t;
}
function errName(e) { return e ? el('span', {cls: 'err', text: e}) : '-'; }
function fill(id, nodes) {
	const box = $(id);
	box.textContent = '';
	nodes.forEach(function (n) { if (n) box.appendChild(typeof n === 'string' ? el('p', {cls: 'note', text: n}) : n); });
}
const approx = function () { return win ? '\u2248' : ''; };
function latCols(first) {
	return [first,
		{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},
		{h: 'ERRORS', f: function (r) { return r.errors ? el('span', {cls: 'err', text: fmtInt(r.errors)}) : '0'; }},
		{h: 'TOTAL', f: function (r) { return r.timed ? fmtNs(r.total_ns) : '-'; }},
		{h: 'AVG', f: function (r) { return r.timed ? fmtNs(Math.round(r.total_ns / r.timed)) : '-'; }},
		{h: approx() + 'P50', f: function (r) { return r.timed ? fmtNs(r.p50_ns) : '-'; }},
		{h: approx() + 'P90', f: function (r) { return r.timed ? fmtNs(r.p90_ns) : '-'; }},
		{h: approx() + 'P99', f: function (r) { return r.timed ? fmtNs(r.p99_ns) : '-'; }},
		{h: 'MAX', f: function (r) { return r.timed ? fmtNs(r.max_ns) : '-'; }}];
}
function groupRows(g, whole, keyOf) {
	if (!win) return whole;
	return (byGroup[g] || []).map(function (m) {
		const s = winStats(m);
		s.name = m.k; s.mount = m.k; s.fstype = m.fstype;
		return s;
	}).filter(function (s) { return s.count > 0; })
		.sort(function (a, b) { return b.total_ns - a.total_ns || b.count - a.count; });
}
function renderSyscalls() {
	const rows = groupRows('syscall', D.syscalls);
	fill('syscalls', [table('t-syscalls', latCols({h: 'SYSCALL', l: 1, f: function (r) { return r.name; }}), rows,
		{attrs: function (r) { return {'data-n': r.count, 'data-key': r.name}; }}),
		win ? 'Percentiles in a window come from the heatmap rows (a quarter of a power of two wide): within 12%.' : null]);
}
function renderMounts() {
	const rows = groupRows('mount', D.mounts);
	const cols = latCols({h: 'MOUNT', l: 1, f: function (r) { return r.mount; }});
	cols.splice(1, 0, {h: 'FSTYPE', l: 1, f: function (r) { return r.fstype || ''; }});
	fill('mounts', [rows.length ? table('t-mounts', cols, rows, {attrs: function (r) { return {'data-n': r.count}; }}) : 'no call had a known mount']);
}
function renderDevices() {
	const devs = (D.layer.devices || []);
	const out = [];
	if (devs.length) {
		out.push(el('h3', {text: 'Block devices, whole capture (Q2D queue, D2C device, Q2C total)'}));
		out.push(table('t-devices', [
			{h: 'DEVICE', l: 1, f: function (d) { return d.name; }},
			{h: 'REQS', f: function (d) { return fmtInt(d.requests); }},
			{h: 'BYTES', f: function (d) { return fmtBytes(d.bytes); }},
			{h: 'ERRORS', f: function (d) { return d.errors ? el('span', {cls: 'err', text: d.errors}) : '0'; }},
			{h: 'Q2D P50', f: function (d) { return fmtNs(d.q2d_p50_ns); }},
			{h: 'D2C P50', f: function (d) { return fmtNs(d.d2c_p50_ns); }},
			{h: 'D2C P99', f: function (d) { return fmtNs(d.d2c_p99_ns); }},
			{h: 'D2C MAX', f: function (d) { return fmtNs(d.d2c_max_ns); }},
			{h: 'Q2C MAX', f: function (d) { return fmtNs(d.q2c_max_ns); }},
			{h: 'BY CALLS', f: function (d) { return fmtInt(d.by_syscall); }},
			{h: 'BACKGROUND', f: function (d) { return fmtInt(d.background); }}], devs));
	}
	const rows = (byGroup.device || []).map(function (m) { const s = winStats(m); s.name = m.k; return s; })
		.filter(function (s) { return s.count > 0; });
	out.push(el('h3', {text: 'Block requests inside the reported calls, device time (D2C)' + (win ? ', in the window' : '')}));
	out.push(rows.length ? table('t-devreqs', latCols({h: 'DEVICE', l: 1, f: function (r) { return r.name; }}), rows,
		{attrs: function (r) { return {'data-n': r.count}; }}) : el('p', {cls: 'note', text: 'none'}));
	fill('devices', out);
}
function renderStatic() {
	fill('files', [table('t-files', [
		{h: 'PATH', p: 1, f: function (r) { return r.path; }},
		{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},
		{h: 'ERRORS', f: function (r) { return fmtInt(r.errors); }},
		{h: 'BYTES', f: function (r) { return fmtBytes(r.bytes); }},
		{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }},
		{h: 'MAX', f: function (r) { return r.timed ? fmtNs(r.max_ns) : '-'; }}], D.files),
		D.files_total > D.files.length ? 'The top ' + D.files.length + ' of ' + fmtInt(D.files_total) + ' files by total time.' : null]);
	fill('procs', [table('t-procs', [
		{h: 'PID', f: function (r) { return r.pid; }},
		{h: 'COMM', l: 1, f: function (r) { return r.comm; }},
		{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},
		{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},
		{h: 'ERRORS', f: function (r) { return fmtInt(r.errors); }},
		{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }}], D.processes),
		table('t-uids', [
		{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},
		{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},
		{h: 'ERRORS', f: function (r) { return fmtInt(r.errors); }},
		{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }}], D.uids)]);
	const lt = D.layers_time;
	fill('below', [lt.length ? table('t-below', [
		{h: 'LAYER', l: 1, f: function (r) { return r.layer; }},
		{h: 'TIME', f: function (r) { return fmtNs(r.time_ns); }},
		{h: 'CALLS', f: function (r) { return fmtInt(r.calls); }},
		{h: 'SHARE', f: function (r) { return D.total_ns ? (100 * r.time_ns / D.total_ns).toFixed(1) + '%' : '-'; }}], lt)
		: 'No work below the syscalls was attributed.']);
	const L = D.layer, out = [];
	if (L.fuse && L.fuse.length) {
		out.push(el('h3', {text: 'FUSE requests'}));
		out.push(table('t-fuse', Object.keys(L.fuse[0]).map(function (k) {
			return {h: k.toUpperCase(), l: typeof L.fuse[0][k] === 'string', f: function (r) {
				const v = r[k]; return /_ns$/.test(k) ? fmtNs(v) : v === null ? '-' : String(v); }};
		}), L.fuse));
	}
	if (L.fs && L.fs.length) {
		out.push(el('h3', {text: 'Filesystem work inside calls'}));
		out.push(table('t-fs', [
			{h: 'OPERATION', l: 1, f: function (r) { return r.operation; }},
			{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},
			{h: 'TOTAL', f: function (r) { return fmtNs(r.total_ns); }},
			{h: 'MAX', f: function (r) { return fmtNs(r.max_ns); }}], L.fs));
	}
	if (L.pagecache) {
		out.push(el('h3', {text: 'Page cache'}));
		out.push(el('p', {cls: 'note', text: fmtInt(L.pagecache.misses) + ' misses (' + fmtInt(L.pagecache.misses_in_calls) +
			' inside syscalls), ' + fmtInt(L.pagecache.faults) + ' file-mapping faults'}));
	}
	fill('lower', out.length ? out : ['No FUSE, filesystem or page-cache data in this recording.']);
}
/* The kernel function that failed, when the vfs layer saw it */
function origins(rows) {
	return rows.some(function (r) { return r.origin; })
		? [{h: 'FAILED IN', l: 1, f: function (r) { return r.origin || '-'; }}] : [];
}
function renderErrors() {
	const w = winRange();
	const errs = D.errors.filter(function (e) { return !w || (e.last_ns >= w[0] && e.first_ns < w[1]); });
	fill('errors', [errs.length ? table('t-errors', [
		{h: 'SYSCALL', l: 1, f: function (r) { return r.syscall; }},
		{h: 'ERRNO', l: 1, f: function (r) { return errName(r.errno); }},
		{h: 'COUNT', f: function (r) { return fmtInt(r.count); }},
		{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},
		{h: 'PID', f: function (r) { return r.pid; }},
		{h: 'COMM', l: 1, f: function (r) { return r.comm; }},
		{h: 'FIRST', f: function (r) { return fmtSec(r.first_ns); }},
		{h: 'LAST', f: function (r) { return fmtSec(r.last_ns); }}].concat(origins(errs)).concat([
		{h: 'PATH', p: 1, f: function (r) { return r.path || '?'; }}]), errs,
		{attrs: function (r) { return {'data-n': r.count}; }}) : 'none',
		w ? 'Rows whose first to last occurrence meets the window; COUNT is for the whole capture.' : null,
		D.errors_total > D.errors.length ? 'The ' + D.errors.length + ' most frequent of ' + fmtInt(D.errors_total) + ' rows: ftio report --json has them all.' : null]);
	const aud = D.audit.filter(function (a) { return inWin(a.start_ns); });
	fill('audit', [aud.length ? table('t-audit', [
		{h: 'TIME', f: function (r) { return fmtSec(r.start_ns); }},
		{h: 'UID', l: 1, f: function (r) { return user(r.uid, r.user); }},
		{h: 'EUID', l: 1, f: function (r) { return r.euid === null ? '?' : String(r.euid); }},
		{h: 'PID', f: function (r) { return r.pid; }},
		{h: 'COMM', l: 1, f: function (r) { return r.comm; }},
		{h: 'SYSCALL', l: 1, f: function (r) { return r.syscall; }},
		{h: 'ENGINE', l: 1, f: function (r) { return r.engine || 'syscall'; }},
		{h: 'ERRNO', l: 1, f: function (r) { return errName(r.errno); }},
		{h: 'LATENCY', f: function (r) { return fmtNs(r.latency_ns); }}].concat(origins(aud)).concat([
		{h: 'PATH', p: 1, f: function (r) { return r.path || '?'; }}]), aud) : 'none',
		D.audit_total > D.audit.length ? 'The first ' + D.audit.length + ' of ' + fmtInt(D.audit_total) + ' denied accesses.' : null]);
}

/* ---- slowest calls and their drill-down ---- */
/* Each layer's time in the call, capped at the call: parallel requests can add up past it */
function layerShares(c) {
	const by = {};
	c.children.forEach(function (ch) {
		const b = by[ch.layer] = by[ch.layer] || {ns: 0, n: 0, pages: 0};
		b.ns += ch.latency_ns; b.n += ch.count; b.pages += ch.layer === 'pagecache' ? ch.a : 0;
	});
	return Object.keys(by).sort().map(function (l) { return [l, Math.min(by[l].ns, c.latency_ns), by[l]]; });
}
function summed(ch) { return ch.count > 1 && ch.layer !== 'block' && ch.layer !== 'fuse'; }
function callBox(c) {
	const hd = fmtNs(c.latency_ns) + ' ' + c.syscall + ' ' + (c.path || '?') + ' (tid ' + c.tid + ' ' + c.comm +
		', uid ' + user(c.uid, c.user) + ', ret ' + c.ret + ', at ' + fmtSec(c.start_ns) + ')';
	const box = el('div', {cls: 'call', 'data-start': c.start_ns, 'data-latency': c.latency_ns},
		[el('div', {cls: 'hd', title: hd}, [hd, c.errno ? ' ' : '', c.errno ? errName(c.errno) : null,
			c.origin ? ' in ' + c.origin : ''])]);
	if (!c.children.length) {
		box.appendChild(el('div', {cls: 'note', text: 'nothing attributed below the syscall'}));
		return box;
	}
	const lat = Math.max(c.latency_ns, 1);
	layerShares(c).forEach(function (s) {
		const col = LAYER_COLORS[s[0]] || '#888';
		const what = s[0] === 'pagecache' ? fmtInt(s[2].n) + ' misses, ' + fmtInt(s[2].pages) + ' pages'
			: fmtNs(s[1]) + ' (' + (100 * s[1] / lat).toFixed(0) + '% of the call)';
		box.appendChild(el('div', {cls: 'lb'}, [el('span', {text: s[0]}),
			el('div', {cls: 'stack'}, [el('div', {style: 'width:' + (100 * s[1] / lat) + '%;background:' + col})]),
			el('span', {text: what})]));
	});
	c.children.slice().sort(function (a, b) { return a.start_ns - b.start_ns; }).forEach(function (ch) {
		const off = Math.max(0, ch.start_ns - c.start_ns);
		const x = Math.min(100, 100 * off / lat), w = summed(ch) ? 0 : Math.min(100 - x, 100 * ch.latency_ns / lat);
		let label = ch.layer + ' ' + (ch.dev ? ch.dev + ' ' : '') + ch.what;
		if (ch.count > 1) label += ' \u00d7' + ch.count;
		if (ch.layer === 'block') label += ': ' + fmtBytes(ch.bytes) + ', queue ' + fmtNs(ch.a) + ', device ' + fmtNs(ch.b);
		else if (ch.layer === 'pagecache') label += ': ' + ch.a + ' pages';
		else label += ': ' + fmtNs(ch.latency_ns) + (summed(ch) ? ' in all, the first at this mark' : '');
		if (ch.error) label += ' error ' + ch.error;
		box.appendChild(el('div', {cls: 'wf', title: label}, [
			el('div', {style: 'left:' + x + '%;width:' + w + '%;background:' + (LAYER_COLORS[ch.layer] || '#888') + '80'}),
			el('span', {text: label})]));
	});
	return box;
}
function renderSlowest() {
	const n = Math.max(D.top, 10);
	let calls;
	if (!win) calls = D.calls.filter(function (c) { return c.top; });
	else calls = D.calls.filter(function (c) { return inWin(c.start_ns); });
	calls = calls.sort(function (a, b) { return b.latency_ns - a.latency_ns; }).slice(0, n);
	fill('slowest', [calls.length ? table('t-slowest', [
		{h: 'LATENCY', f: function (c) { return fmtNs(c.latency_ns); }},
		{h: 'SYSCALL', l: 1, f: function (c) { return c.syscall; }},
		{h: 'RET', f: function (c) { return c.ret; }},
		{h: 'ERRNO', l: 1, f: function (c) { return errName(c.errno); }},
		{h: 'TIME', f: function (c) { return fmtSec(c.start_ns); }},
		{h: 'TID', f: function (c) { return c.tid; }},
		{h: 'COMM', l: 1, f: function (c) { return c.comm; }},
		{h: 'UID', l: 1, f: function (c) { return user(c.uid, c.user); }},
		{h: 'PATH', p: 1, f: function (c) { return c.path || '?'; }}], calls,
		{attrs: function (c) { return {'data-start': c.start_ns}; }}) : 'none',
		win ? 'The slowest kept for the window: the report\'s top ' + D.top + ' and the ' + D.slow_per_col +
			' slowest of each heatmap column.' : null]);
	fill('drill', calls.map(callBox));
}

/* ---- heatmaps ---- */
let rmin = ROWS, rmax = -1;
maps.forEach(function (m) {
	m.max = 0;
	m.c.forEach(function (col) {
		if (!col) return;
		rmin = Math.min(rmin, col[0]);
		rmax = Math.max(rmax, col[0] + col.length - 2);
		for (let j = 1; j < col.length; j++) m.max = Math.max(m.max, col[j]);
	});
});
if (rmax < 0) { rmin = 0; rmax = 0; }
rmin = Math.max(0, rmin - 1); rmax = Math.min(ROWS - 1, rmax + 1);
const NR = rmax - rmin + 1, ML = 56, MB = 18, MT = 4, MR = 6;
function color(v, max) {
	const t = max > 1 ? Math.log(v) / Math.log(max) : 1, x = t * (PAL.length - 1);
	const i = Math.min(PAL.length - 2, Math.floor(x)), f = x - i, a = PAL[i], b = PAL[i + 1];
	return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}
function geom(cv) {
	const w = cv.clientWidth, h = cv.clientHeight;
	return {x: ML, y: MT, w: w - ML - MR, h: h - MT - MB};
}
function drawMap(cv, m) {
	const dpr = window.devicePixelRatio || 1, g = geom(cv);
	cv.width = Math.round(cv.clientWidth * dpr);
	cv.height = Math.round(cv.clientHeight * dpr);
	const ctx = cv.getContext('2d');
	ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
	ctx.clearRect(0, 0, cv.clientWidth, cv.clientHeight);
	ctx.fillStyle = '#f7f8fa';
	ctx.fillRect(g.x, g.y, g.w, g.h);
	const cols = Math.max(A.cols, 1);
	if (!m.img) {
		const off = document.createElement('canvas');
		off.width = cols; off.height = NR;
		const oc = off.getContext('2d'), im = oc.createImageData(cols, NR);
		m.c.forEach(function (col, c) {
			if (!col) return;
			for (let j = 1; j < col.length; j++) {
				if (!col[j]) continue;
				const y = rmax - (col[0] + j - 1), p = (y * cols + c) * 4, rgb = color(col[j], m.max);
				im.data[p] = rgb[0]; im.data[p + 1] = rgb[1]; im.data[p + 2] = rgb[2]; im.data[p + 3] = 255;
			}
		});
		oc.putImageData(im, 0, 0);
		m.img = off;
	}
	ctx.imageSmoothingEnabled = false;
	ctx.drawImage(m.img, g.x, g.y, g.w, g.h);
	if (win) {
		const x0 = g.x + win.c0 * g.w / cols, x1 = g.x + (win.c1 + 1) * g.w / cols;
		ctx.fillStyle = 'rgba(31,111,235,0.10)';
		ctx.fillRect(x0, g.y, x1 - x0, g.h);
		ctx.strokeStyle = '#1f6feb';
		ctx.lineWidth = 1.5;
		ctx.strokeRect(x0, g.y, Math.max(x1 - x0, 1.5), g.h);
	}
	ctx.fillStyle = '#5f6b76';
	ctx.font = '10px system-ui,sans-serif';
	ctx.textAlign = 'right';
	ctx.textBaseline = 'middle';
	const rh = g.h / NR;
	for (let d = 100; d <= 1e12; d *= 10) {
		const r = rowOf(d);
		if (r < rmin || r > rmax) continue;
		const y = g.y + (rmax - r + 1) * rh;
		ctx.fillRect(g.x - 4, y, 4, 1);
		ctx.fillText(fmtShort(d), g.x - 6, y);
	}
	ctx.textAlign = 'center';
	ctx.textBaseline = 'top';
	const span = cols * A.width_ns, step = niceStep(span / Math.max(2, Math.floor(g.w / 90)));
	for (let t = Math.ceil(A.t0_ns / step) * step; t <= A.t0_ns + span; t += step) {
		const x = g.x + (t - A.t0_ns) / span * g.w;
		ctx.fillRect(x, g.y + g.h, 1, 3);
		ctx.fillText(+(t / 1e9).toPrecision(6) + 's', x, g.y + g.h + 4);
	}
}
function niceStep(x) {
	const p = Math.pow(10, Math.floor(Math.log10(Math.max(x, 1))));
	const f = x / p;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
function rowOf(ns) {
	let r = 0;
	while (r + 1 < ROWS && A.rows[r + 1] <= ns) r++;
	return r;
}
function cellAt(cv, ev) {
	const g = geom(cv), b = cv.getBoundingClientRect();
	const x = ev.clientX - b.left - g.x, y = ev.clientY - b.top - g.y;
	if (x < 0 || y < 0 || x >= g.w || y >= g.h || !A.cols) return null;
	return {col: Math.floor(x * A.cols / g.w), row: rmax - Math.floor(y * NR / g.h)};
}
function cellCount(m, col, row) {
	const c = m.c[col];
	if (!c || row < c[0] || row >= c[0] + c.length - 1) return 0;
	return c[row - c[0] + 1];
}
function mapBox(m, w, h) {
	const cv = el('canvas', {id: 'hm-' + m.i, 'data-map': m.i, style: 'width:' + w + 'px;height:' + h + 'px'});
	const title = m.g === 'all' ? 'All calls' : m.g === 'device' ? m.k + ' (device time of block requests)' : m.k;
	const sub = nOf(m.timed, m.g === 'device') + (m.untimed ? ', ' + fmtInt(m.untimed) + ' untimed' : '');
	const box = el('div', {cls: 'map'}, [el('div', {cls: 't'}, [title, el('span', {text: sub})]), cv]);
	cv.addEventListener('mousemove', function (ev) {
		const cell = cellAt(cv, ev), tip = $('tip');
		if (!cell) { tip.style.display = 'none'; return; }
		const lo = A.rows[cell.row], hi = rowHi(cell.row);
		tip.textContent = fmtSec(colStart(cell.col)) + ' \u2013 ' + fmtSec(colStart(cell.col + 1)) + ', ' +
			fmtShort(lo) + ' \u2013 ' + (hi === Infinity ? '\u221e' : fmtShort(hi)) + ': ' +
			nOf(cellCount(m, cell.col, cell.row), m.g === 'device') +
			' (column: ' + fmtInt(m.n[cell.col] || 0) + ')';
		tip.style.display = 'block';
		tip.style.left = Math.min(ev.clientX + 12, window.innerWidth - tip.offsetWidth - 4) + 'px';
		tip.style.top = (ev.clientY + 14) + 'px';
	});
	cv.addEventListener('mouseleave', function () { $('tip').style.display = 'none'; });
	cv.addEventListener('click', function (ev) {
		const cell = cellAt(cv, ev);
		if (!cell) return;
		if (ev.shiftKey && win) setWindow(Math.min(win.c0, cell.col), Math.max(win.c1, cell.col));
		else if (win && win.c0 === cell.col && win.c1 === cell.col) setWindow(null);
		else setWindow(cell.col, cell.col);
	});
	redraws.push(function () { drawMap(cv, m); });
	return box;
}
function renderMaps() {
	const all = byGroup.all[0];
	fill('hm-all', [mapBox(all, Math.min(1100, Math.max(600, window.innerWidth - 60)), 200),
		el('div', {cls: 'legend'}, ['fewer', el('i', {style: 'background:linear-gradient(90deg,' +
			PAL.map(function (c) { return 'rgb(' + c.join(',') + ')'; }).join(',') + ')'}), 'more calls (log scale, per map)'])]);
	const sc = (byGroup.syscall || []).slice().sort(function (a, b) {
		return sumCols(b.s, function (x, y) { return x + y; }) - sumCols(a.s, function (x, y) { return x + y; });
	});
	const show = 12, box = $('hm-syscalls');
	sc.slice(0, show).forEach(function (m) { box.appendChild(mapBox(m, 430, 140)); });
	if (sc.length > show) {
		const more = el('button', {cls: 'more', text: 'show the other ' + (sc.length - show) + (sc.length - show === 1 ? ' syscall' : ' syscalls')});
		more.addEventListener('click', function () {
			more.remove();
			sc.slice(show).forEach(function (m) { const b = mapBox(m, 430, 140); box.appendChild(b); redraws[redraws.length - 1](); });
		});
		box.appendChild(more);
	}
	const dev = byGroup.device || [];
	if (dev.length) dev.forEach(function (m) { $('hm-devices').appendChild(mapBox(m, 430, 140)); });
	else $('hm-devices').appendChild(el('p', {cls: 'note', text: 'No block request was attributed to a reported call.'}));
}

/* ---- histograms: one bar per power of two (four heatmap rows) ---- */
function renderHists() {
	['syscall', 'mount', 'device'].forEach(function (g) {
		const box = $('hist-' + g);
		box.textContent = '';
		const list = (byGroup[g] || []).map(function (m) { return {m: m, h: rowsOf(m)}; })
			.map(function (x) { x.n = x.h.reduce(function (a, b) { return a + b; }, 0); return x; })
			.filter(function (x) { return x.n; }).sort(function (a, b) { return b.n - a.n; });
		if (!list.length) { box.appendChild(el('p', {cls: 'note', text: 'none'})); return; }
		list.slice(0, 16).forEach(function (x) { box.appendChild(histBox(x.m, x.h, x.n)); });
		if (list.length > 16) box.appendChild(el('p', {cls: 'note', text: (list.length - 16) + ' more not drawn'}));
	});
}
function histBox(m, h, n) {
	const bins = [], top = ROWS - 1;
	let lo = 0, hi = top;
	while (lo < top && !h[lo]) lo++;
	while (hi > 0 && !h[hi]) hi--;
	if (lo === 0) bins.push({lo: 0, hi: A.rows[1], n: h[0]});
	const o0 = Math.floor((Math.max(lo, 1) - 1) / 4), o1 = Math.floor((Math.min(hi, top - 1) - 1) / 4);
	for (let o = o0; o <= o1; o++) {
		let s = 0;
		for (let k = 1; k <= 4; k++) s += h[4 * o + k];
		bins.push({lo: A.rows[4 * o + 1], hi: A.rows[4 * o + 5], n: s});
	}
	if (hi === top) bins.push({lo: A.rows[top], hi: Infinity, n: h[top]});
	const W = 300, H = 16 + bins.length * 13, cv = el('canvas', {cls: 'h', style: 'width:' + W + 'px;height:' + H + 'px'});
	const box = el('div', {cls: 'map'}, [el('div', {cls: 't'}, [m.k, el('span', {text: nOf(n, m.g === 'device')})]), cv]);
	redraws.push(function () {
		const dpr = window.devicePixelRatio || 1;
		cv.width = W * dpr; cv.height = H * dpr;
		const ctx = cv.getContext('2d');
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
		ctx.font = '10px system-ui,sans-serif';
		ctx.textBaseline = 'middle';
		const max = Math.max.apply(null, bins.map(function (b) { return b.n; }).concat([1]));
		bins.forEach(function (b, i) {
			const y = 4 + i * 13;
			ctx.fillStyle = '#5f6b76';
			ctx.textAlign = 'right';
			ctx.fillText(fmtShort(b.lo) + ' \u2013 ' + (b.hi === Infinity ? '\u221e' : fmtShort(b.hi)), 112, y + 6);
			ctx.fillStyle = '#4e79a7';
			ctx.fillRect(118, y + 1, (W - 170) * b.n / max, 10);
			ctx.fillStyle = '#1d2125';
			ctx.textAlign = 'left';
			if (b.n) ctx.fillText(fmtInt(b.n), 122 + (W - 170) * b.n / max, y + 6);
		});
	});
	return box;
}

/* ---- the window ---- */
function setWindow(c0, c1) {
	win = c0 === null ? null : {c0: c0, c1: c1};
	const bar = $('bar');
	bar.textContent = '';
	if (!win) {
		bar.className = 'off';
		bar.appendChild(el('span', {text: 'Whole capture. Click a heatmap cell to narrow the tables below to its time column; shift-click to extend.'}));
	} else {
		bar.className = '';
		const n = byGroup.all[0] ? sumCols(byGroup.all[0].n, function (a, b) { return a + b; }) : 0;
		bar.appendChild(el('span', {id: 'win-label', text: 'Window ' + fmtSec(colStart(win.c0)) + ' \u2013 ' + fmtSec(colStart(win.c1 + 1)) +
			': ' + nOf(n, false)}));
		const b = el('button', {text: 'Show the whole capture'});
		b.addEventListener('click', function () { setWindow(null); });
		bar.appendChild(b);
	}
	redraws.length = 0;
	renderFiltered();
}
function renderFiltered() {
	renderSyscalls();
	renderMounts();
	renderDevices();
	renderHists();
	renderSlowest();
	renderErrors();
	document.querySelectorAll('canvas[data-map]').forEach(function (cv) {
		const m = maps[+cv.getAttribute('data-map')];
		redraws.push(function () { drawMap(cv, m); });
	});
	redraws.forEach(function (f) { f(); });
}

/* ---- the page ---- */
function header() {
	const C = D.capture, h = $('head');
	h.appendChild(el('h1', {text: 'ftio report: ' + C.file}));
	const line = function (k, v) { if (v) h.appendChild(el('div', {cls: 'meta'}, [el('b', {text: k + ': '}), v])); };
	line('capture', fmtNs(C.duration_ns) + ', ' + fmtInt(C.events) + ' events, ' + fmtInt(C.lost_events) + ' lost');
	line('traced', C.command || 'the whole system');
	line('layers', C.layers);
	line('calls', fmtInt(C.calls) + ' recorded, ' + fmtInt(C.calls_reported) + ' reported' +
		(C.path_filter ? ' (under ' + C.path_filter + ')' : ''));
	line('kernel', C.kernel);
	const pm = Object.keys(C.path_methods).filter(function (k) { return k !== 'unknown' && C.path_methods[k]; })
		.map(function (k) { return fmtInt(C.path_methods[k]) + ' by ' + k; });
	line('paths', pm.concat([fmtInt(C.path_methods.unknown || 0) + ' unknown']).join(', '));
	C.notes.forEach(function (n) { line('note', n[0] + ': ' + fmtInt(n[1])); });
	const all = byGroup.all[0];
	if (all && all.untimed) line('untimed', fmtInt(all.untimed) + ' calls broken by lost events are in the tables but not in the heatmaps');
	line('heatmap columns', A.cols + ' of ' + fmtNs(A.width_ns) + (A.t0_ns ? ', from ' + fmtSec(A.t0_ns) : ''));
	if (A.t0_ns) line('idle lead-in', fmtNs(A.t0_ns) + ' from the start of the capture to the first traced call, not drawn');
	h.appendChild(el('div', {cls: 'meta', text: 'made by ftio ' + C.ftio}));
}
/* The report's findings, first: one line each, as the text report opens */
function findings() {
	const box = $('findings'), f = D.findings || [];
	if (!f.length) { box.appendChild(el('p', {cls: 'note', text: 'none'})); return; }
	box.appendChild(el('ul', {cls: 'findings'}, f.map(function (x) {
		const i = x.text.indexOf(': ');
		return el('li', {'data-kind': x.kind}, i > 0 ? [el('b', {text: x.text.slice(0, i + 1) + ' '}), x.text.slice(i + 2)] : [x.text]);
	})));
}
header();
findings();
renderMaps();
renderStatic();
setWindow(null);
window.addEventListener('resize', function () { redraws.forEach(function (f) { f(); }); });
/* For scripted checks: where a cell of map @i is on the page, and the data */
window.ftioPage = {
	data: D, setWindow: setWindow, window: function () { return win; },
	cellCenter: function (i, col, row) {
		const cv = $('hm-' + i), g = geom(cv), b = cv.getBoundingClientRect();
		return {x: b.left + g.x + (col + 0.5) * g.w / A.cols, y: b.top + g.y + (rmax - row + 0.5) * g.h / NR};
	},
};
})();
