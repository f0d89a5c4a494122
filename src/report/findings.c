// SPDX-License-Identifier: GPL-2.0
/*
 * Findings: a few lines at the top of the report that answer what people
 * come with (is file I/O slow here, where did the time go, who was
 * denied what, which errors are unusual, what ftio could not see), each
 * from the tables below and naming them.  The rules are ftio-report(1)'s
 * FINDINGS; a finding never names a cause the data does not show: time
 * no layer attributed is said to be unattributed, not guessed at.
 */
#include <errno.h>
#include <stdlib.h>

#include "report/findings.h"
#include <ftio/table.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"

/* A call this slow is slow (a disk seek, a network round trip; not a cache hit) */
#define SLOW_NS 10000000ULL
/* A layer explains the time when it holds at least this share of it */
#define EXPLAINS 0.5

struct slow_count {
	uint64_t calls, ns;
};

static void count_slow(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	struct slow_count *s = arg;

	if (lo >= SLOW_NS) {
		s->calls += count;
		s->ns += count * (lo / 2 + hi / 2);
	}
}

/* The slowest call of the report (r->slowest is a heap until its table sorts it) */
static const struct call *worst_call(struct report *r)
{
	const struct call *w = NULL;

	for (size_t i = 0; i < r->nr_slowest; i++)
		if (!w || r->slowest[i].latency_ns > w->latency_ns)
			w = &r->slowest[i];
	return w;
}

static void add_path(struct strbuf *sb, const char *path)
{
	if (path)
		strbuf_add_escaped(sb, path, strlen(path));
	else
		strbuf_addch(sb, '?');
}

static void finding_begin(struct strbuf *json, const char *kind)
{
	strbuf_addf(json, "%s{\"kind\":\"%s\"", json->len > 1 ? "," : "", kind);
}

/* ,"text":"...", then the figures object is opened by the caller */
static void finding_text(struct strbuf *json, struct strbuf *text, const char *line)
{
	strbuf_addf(text, "  %s\n", line);
	strbuf_addstr(json, ",\"text\":");
	strbuf_add_json_value(json, line);
}

/* ---- is it slow ---- */

static bool finding_latency(struct report *r, struct strbuf *text, struct strbuf *json)
{
	struct slow_count sc = { 0 };
	const struct call *w = worst_call(r);
	uint64_t timed = hist_count(&r->files.lat);
	struct strbuf line = STRBUF_INIT;
	char b[3][32];

	if (!timed)
		return false;
	hist_for_each_bucket(&r->files.lat, count_slow, &sc);
	finding_begin(json, sc.calls ? "slow" : "not_slow");
	if (sc.calls)
		strbuf_addf(&line, "slow: %llu of %llu file calls took 10ms or more; p99 %s, worst %s",
			    (unsigned long long)sc.calls, (unsigned long long)timed,
			    fmt_ns(b[0], 32, hist_percentile(&r->files.lat, 99)),
			    fmt_ns(b[1], 32, r->files.max_ns));
	else
		strbuf_addf(&line, "not slow: no file call took 10ms; p99 %s, worst %s",
			    fmt_ns(b[0], 32, hist_percentile(&r->files.lat, 99)),
			    fmt_ns(b[1], 32, r->files.max_ns));
	if (w) {
		strbuf_addf(&line, " (%s ", w->name);
		add_path(&line, w->path);
		strbuf_addstr(&line, "); see Slowest calls");
	}
	finding_text(json, text, line.buf);
	strbuf_addf(json, ",\"figures\":{\"calls\":%llu,\"slow_calls\":%llu,\"slow_ns\":%llu,"
		    "\"threshold_ns\":%llu,\"total_ns\":%llu,\"p99_ns\":%llu,\"max_ns\":%llu}",
		    (unsigned long long)timed, (unsigned long long)sc.calls,
		    (unsigned long long)sc.ns, (unsigned long long)SLOW_NS,
		    (unsigned long long)r->files.total_ns,
		    (unsigned long long)hist_percentile(&r->files.lat, 99),
		    (unsigned long long)r->files.max_ns);
	strbuf_addstr(json, ",\"rows\":[");
	if (w) {
		strbuf_addf(json, "{\"table\":\"slowest\",\"key\":{\"syscall\":\"%s\",\"path\":", w->name);
		strbuf_add_json_value(json, w->path);
		strbuf_addf(json, ",\"tid\":%d,\"start_ns\":%llu}}", w->tid,
			    (unsigned long long)(w->start_ns > r->start_ns ? w->start_ns - r->start_ns : 0));
	}
	strbuf_addstr(json, "]}");
	strbuf_release(&line);
	return sc.calls != 0;
}

/* ---- where the time went ---- */

/*
 * What a layer's children are, and the section that shows them, deepest
 * first: layers nest (an NFS operation waits on its RPCs, ext4's direct-io
 * or a lookup on block requests), so an outer layer's time holds the time
 * of the layers below it, and the deepest that explains the time says
 * where it went.
 */
static const struct {
	const char *layer, *words, *section, *table;
} layer_words[] = {
	{ "fuse", "waiting for the FUSE daemon", "FUSE requests", "fuse" },
	{ "rpc", "NFS RPCs (backlog and round trips)", "RPC procedures", "nfs" },
	{ "nfs", "NFS client operations", "NFS operations", "nfs" },
	{ "block", "block requests", "Devices", "devices" },
	{ "fs", "filesystem work", "Filesystem work inside calls", "fs" },
	{ "lookup", "path lookup", "Path lookup", "lookup" },
};

struct what_sum {
	const char *what;
	uint64_t ns;
};

/* The leading layer's children in the slowest calls, by kind, most time first */
static size_t slowest_whats(struct report *r, const char *layer, struct what_sum *w, size_t max,
			    uint64_t *queue, uint64_t *device)
{
	size_t n = 0;

	*queue = *device = 0;
	for (size_t i = 0; i < r->nr_slowest; i++) {
		const struct call *c = &r->slowest[i];

		for (unsigned int j = 0; j < c->nr_children; j++) {
			const struct call_child *ch = &c->children[j];
			struct child_view v = { .kind = CHILD_REQUEST, .ch = ch };
			size_t k;

			if (strcmp(ch->layer, layer))
				continue;
			if (report_child_view(r, &v)) {
				*queue += v.queue_ns;
				*device += v.device_ns;
			}
			for (k = 0; k < n && strcmp(w[k].what, ch->what); k++)
				;
			if (k == n) {
				if (n == max)
					continue;
				w[n++] = (struct what_sum){ ch->what, 0 };
			}
			w[k].ns += ch->latency_ns;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && (w[k].ns > w[k - 1].ns ||
					     (w[k].ns == w[k - 1].ns && strcmp(w[k].what, w[k - 1].what) < 0)); k--) {
			struct what_sum t = w[k];

			w[k] = w[k - 1];
			w[k - 1] = t;
		}
	return n;
}

/* A child's kind as the finding says it: the lookup layer's are terse */
static const char *what_words(const char *layer, const char *what)
{
	if (!strcmp(layer, "lookup"))
		return !strcmp(what, "slow") ? "dentry-cache misses" : !strcmp(what, "walk") ? "walks" : what;
	return what;
}

/* The mount with the most time */
static const struct mount *top_mount(struct report *r, uint64_t *ns)
{
	const struct mount *best = NULL;
	uint64_t k;
	void *v;

	*ns = 0;
	for (size_t i = 0; intmap_next(&r->by_mount, &i, &k, &v);) {
		const struct agg *a = v;
		const struct mount *mt = (const struct mount *)(uintptr_t)k;

		if (a->total_ns > *ns || (a->total_ns == *ns && best && strcmp(mt->point, best->point) < 0)) {
			*ns = a->total_ns;
			best = mt;
		}
	}
	return best;
}

static void finding_where(struct report *r, struct strbuf *text, struct strbuf *json, bool slow)
{
	const struct layer_time *lead = NULL;
	struct strbuf line = STRBUF_INIT;
	uint64_t total = r->files.total_ns, mount_ns;
	const struct mount *mt = top_mount(r, &mount_ns);
	double share = 0;
	size_t wi = ARRAY_SIZE(layer_words);
	char b[4][32];

	if (!total)
		return;
	/* the deepest layer that explains the time, else the one with the most */
	for (size_t k = 0; k < ARRAY_SIZE(layer_words); k++) {
		for (unsigned int i = 0; i < r->nr_layer_time; i++) {
			const struct layer_time *lt = &r->layer_time[i];

			if (strcmp(layer_words[k].layer, lt->layer))
				continue;
			if (!lead || ((double)lead->ns / total < EXPLAINS && lt->ns > lead->ns)) {
				lead = lt;
				wi = k;
			}
		}
	}
	share = lead ? (double)lead->ns / total : 0;
	/* calls that were not slow still say where their time went, if a layer holds it */
	if (!slow && share < EXPLAINS) {
		strbuf_release(&line);
		return;
	}
	finding_begin(json, share >= EXPLAINS ? "time_below" : "time_unattributed");
	strbuf_addf(&line, "where: ");
	if (share >= EXPLAINS) {
		struct what_sum w[64];
		uint64_t queue, device;
		size_t n = slowest_whats(r, lead->layer, w, ARRAY_SIZE(w), &queue, &device);

		if (n > 3)
			n = 3;

		strbuf_addf(&line, "%.0f%% of %s in file calls", 100 * share, fmt_ns(b[0], 32, total));
		if (mt && mount_ns * 2 > total)
			strbuf_addf(&line, " (%.0f%% under %s, %s)", 100.0 * mount_ns / total,
				    mt->point, mt->fstype ? mt->fstype : "?");
		strbuf_addf(&line, " is %s", layer_words[wi].words);
		if (queue + device)
			strbuf_addf(&line, ": device %s, queue %s", fmt_ns(b[1], 32, device),
				    fmt_ns(b[2], 32, queue));
		else
			for (size_t i = 0; i < n; i++)
				strbuf_addf(&line, "%s%s %s", i ? ", " : ": ", what_words(lead->layer, w[i].what),
					    fmt_ns(b[1 + i], 32, w[i].ns));
		if (n && !(queue + device))
			strbuf_addstr(&line, " in the slowest calls");
		strbuf_addf(&line, "; see %s", layer_words[wi].section);
	} else if (r->files.ctr_calls && (r->ctr_mask & (1u << CTR_ONCPU_NS))) {
		uint64_t off = offcpu_ns(r->files.ctr_latency_ns, r->files.ctr[CTR_ONCPU_NS]);

		strbuf_addf(&line, "%.0f%% of %s in file calls is below no recorded layer; the counted calls "
			    "were off CPU %.0f%% of their time; see On CPU or waiting",
			    100 * (1 - share), fmt_ns(b[0], 32, total),
			    r->files.ctr_latency_ns ? 100.0 * off / r->files.ctr_latency_ns : 0.0);
	} else {
		strbuf_addf(&line, "%.0f%% of %s in file calls is below no recorded layer (%s): "
			    "ftio cannot say where it went", 100 * (1 - share), fmt_ns(b[0], 32, total),
			    recording_attr(r->rec, "meta/layers") ? recording_attr(r->rec, "meta/layers") : "?");
	}
	finding_text(json, text, line.buf);
	strbuf_addf(json, ",\"figures\":{\"total_ns\":%llu,\"layer\":", (unsigned long long)total);
	if (lead && share >= EXPLAINS)
		strbuf_addf(json, "\"%s\",\"layer_ns\":%llu,\"share\":%.4f", lead->layer,
			    (unsigned long long)lead->ns, share);
	else
		strbuf_addf(json, "null,\"unattributed_share\":%.4f", 1 - share);
	strbuf_addstr(json, ",\"mount\":");
	strbuf_add_json_value(json, mt ? mt->point : NULL);
	strbuf_addf(json, ",\"mount_ns\":%llu},\"rows\":[", (unsigned long long)mount_ns);
	if (lead && share >= EXPLAINS)
		strbuf_addf(json, "{\"table\":\"layers_time\",\"key\":{\"layer\":\"%s\"}},"
			    "{\"table\":\"%s\",\"key\":null}", lead->layer, layer_words[wi].table);
	if (mt) {
		strbuf_addf(json, "%s{\"table\":\"mounts\",\"key\":{\"mount\":", lead && share >= EXPLAINS ? "," : "");
		strbuf_add_json_value(json, mt->point);
		strbuf_addstr(json, "}}");
	}
	strbuf_addstr(json, "]}");
	strbuf_release(&line);
}

/* ---- who was denied what ---- */

static void finding_denied(struct report *r, struct strbuf *text, struct strbuf *json)
{
	struct strbuf line = STRBUF_INIT;
	size_t groups = 0, shown = 0;
	char b[64];

	if (!r->nr_audit)
		return;
	finding_begin(json, "denied");
	strbuf_addf(&line, "denied: ");
	strbuf_addstr(json, ",\"rows\":[");
	for (size_t i = 0; i < r->nr_audit; i++) {
		const struct audit_row *a = &r->audit[i];
		uint64_t n = 0;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = r->audit[j].uid == a->uid && r->audit[j].err == a->err &&
			       r->audit[j].syscall == a->syscall &&
			       !strcmp(r->audit[j].path ? r->audit[j].path : "", a->path ? a->path : "");
		if (seen)
			continue;
		for (size_t j = i; j < r->nr_audit; j++)
			n += r->audit[j].uid == a->uid && r->audit[j].err == a->err &&
			     r->audit[j].syscall == a->syscall &&
			     !strcmp(r->audit[j].path ? r->audit[j].path : "", a->path ? a->path : "");
		groups++;
		if (shown == 2)
			continue;
		strbuf_addf(&line, "%suid %s %s ", shown ? "; " : "", table_user_str(b, sizeof(b), &r->m, a->uid),
			    a->syscall);
		add_path(&line, a->path);
		strbuf_addf(&line, " %s (", table_errno_str(a->err));
		strbuf_add_escaped(&line, a->comm, strnlen(a->comm, sizeof(a->comm)));
		strbuf_addf(&line, ", %llu call%s)", (unsigned long long)n, n == 1 ? "" : "s");
		strbuf_addf(json, "%s{\"table\":\"audit\",\"key\":{\"uid\":%ld,\"syscall\":\"%s\",\"errno\":\"%s\",\"path\":",
			    shown ? "," : "", a->uid, a->syscall, table_errno_str(a->err));
		strbuf_add_json_value(json, a->path);
		strbuf_addf(json, "},\"count\":%llu}", (unsigned long long)n);
		shown++;
	}
	if (groups > shown)
		strbuf_addf(&line, "; and %zu more", groups - shown);
	strbuf_addstr(&line, "; see Audit");
	strbuf_addstr(json, "]");
	finding_text(json, text, line.buf);
	strbuf_addf(json, ",\"figures\":{\"denied_calls\":%llu,\"groups\":%zu}}",
		    (unsigned long long)r->audit_total, groups);
	strbuf_release(&line);
}

/* ---- unusual errors ---- */

static void finding_errors(struct report *r, struct strbuf *text, struct strbuf *json)
{
	size_t n, shown = 0, unusual = 0;
	struct report_row *rows = error_group_rows(r, NULL, &n);
	struct strbuf line = STRBUF_INIT;
	uint64_t expected = 0, calls = 0;

	for (size_t i = 0; i < n; i++) {
		const struct error_group *g = rows[i].val;

		if (g->expected)
			expected += g->count;
		else if (g->class != ERR_DENIED)
			unusual++, calls += g->count;
	}
	if (!n || (!unusual && !expected)) {
		free(rows);
		return;
	}
	finding_begin(json, unusual ? "errors" : "errors_expected");
	strbuf_addstr(json, ",\"rows\":[");
	if (!unusual) {
		strbuf_addf(&line, "errors: none unusual; %llu expected lookups folded; see Errors",
			    (unsigned long long)expected);
	} else {
		strbuf_addf(&line, "errors: ");
		for (size_t i = 0; i < n && shown < 3; i++) {
			const struct error_group *g = rows[i].val;

			if (g->expected || g->class == ERR_DENIED)
				continue;
			strbuf_addf(&line, "%s%s %s %llu (", shown ? ", " : "", table_errno_str(g->err),
				    g->syscall, (unsigned long long)g->count);
			add_path(&line, g->nr_paths ? g->paths[0] : NULL);
			strbuf_addch(&line, ')');
			strbuf_addf(json, "%s{\"table\":\"error_groups\",\"key\":{\"syscall\":\"%s\",\"errno\":\"%s\"}}",
				    shown ? "," : "", g->syscall, table_errno_str(g->err));
			shown++;
		}
		if (unusual > shown)
			strbuf_addf(&line, " and %zu more", unusual - shown);
		if (expected)
			strbuf_addf(&line, "; %llu expected lookups folded", (unsigned long long)expected);
		strbuf_addstr(&line, "; see Errors");
	}
	strbuf_addstr(json, "]");
	finding_text(json, text, line.buf);
	strbuf_addf(json, ",\"figures\":{\"unusual_groups\":%zu,\"unusual_calls\":%llu,"
		    "\"expected_calls\":%llu}}", unusual, (unsigned long long)calls,
		    (unsigned long long)expected);
	strbuf_release(&line);
	free(rows);
}

/* ---- what ftio could not see, or lost ---- */

static void finding_unseen(struct report *r, struct strbuf *text, struct strbuf *json)
{
	const char *strategy = recording_attr(r->rec, "meta/strategy");
	const char *vfs = strategy ? strstr(strategy, "vfs=unavailable(") : NULL;
	uint64_t lost = report_lost_events(r), unknown = r->path_methods[PATH_NONE], files = 0;
	struct strbuf line = STRBUF_INIT;

	for (int i = 0; i < PATH_METHODS; i++)
		files += r->path_methods[i];
	if (lost)
		strbuf_addf(&line, "%s%llu events lost by the kernel (calls near them: latency not counted)",
			    line.len ? "; " : "", (unsigned long long)lost);
	if (report_damaged(r))
		strbuf_addf(&line, "%sthe recording is damaged or cut short", line.len ? "; " : "");
	if (unknown)
		strbuf_addf(&line, "%s%llu of %llu file calls without a path", line.len ? "; " : "",
			    (unsigned long long)unknown, (unsigned long long)files);
	if (vfs) {
		const char *end = strchr(vfs, ')');

		strbuf_addf(&line, "%spath lookups and error origins not traced (%.*s)", line.len ? "; " : "",
			    end ? (int)(end - vfs - 16) : 0, vfs + 16);
	}
	if (!line.len) {
		strbuf_release(&line);
		return;
	}
	{
		struct strbuf all = STRBUF_INIT;

		strbuf_addf(&all, "not seen: %s; see Capture", line.buf);
		finding_begin(json, "not_seen");
		finding_text(json, text, all.buf);
		strbuf_release(&all);
	}
	strbuf_addf(json, ",\"figures\":{\"lost_events\":%llu,\"damaged\":%s,\"calls_without_path\":%llu,"
		    "\"file_calls\":%llu,\"lookup_traced\":%s},\"rows\":[{\"table\":\"capture\",\"key\":null}]}",
		    (unsigned long long)lost, report_damaged(r) ? "true" : "false",
		    (unsigned long long)unknown, (unsigned long long)files, vfs ? "false" : "true");
	strbuf_release(&line);
}

void report_findings(struct report *r, struct strbuf *text, struct strbuf *json)
{
	struct strbuf arr = STRBUF_INIT;

	strbuf_addch(&arr, '[');
	finding_where(r, text, &arr, finding_latency(r, text, &arr));
	finding_denied(r, text, &arr);
	finding_errors(r, text, &arr);
	finding_unseen(r, text, &arr);
	strbuf_addch(&arr, ']');
	strbuf_add(json, arr.buf, arr.len);
	strbuf_release(&arr);
}
