// SPDX-License-Identifier: GPL-2.0
/*
 * The report's aggregate tables, described once (see table.h): for each,
 * where its rows come from, in which order, and what each column shows.
 * The getters read the engine's structs; the views only see cells.  The
 * tables of single calls and errors are in table-calls.c.
 */
#include <stdlib.h>

#include "report/report.h"
#include <ftio/table.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"

const char *table_user_str(char *buf, size_t size, const struct model *m, long uid)
{
	const char *name = model_user(m, uid);

	if (uid < 0)
		snprintf(buf, size, "?");
	else if (name)
		snprintf(buf, size, "%ld(%s)", uid, name);
	else
		snprintf(buf, size, "%ld", uid);
	return buf;
}

const char *table_errno_str(int err)
{
	const char *n = errno_name(err);

	return n ? n : "?";
}

size_t table_limit(struct report *r, enum table_limit limit, size_t n)
{
	size_t max = limit == LIMIT_TOP ? r->top : limit == LIMIT_TOP10 ? (size_t)r->top * 10 : n;

	return n < max ? n : max;
}

/* ---- rows ---- */

static struct report_row *rows_sorted_int(struct intmap *m, size_t *n,
					  int (*cmp)(const void *, const void *))
{
	struct report_row *rows = report_rows_int(m, n);

	qsort(rows, *n, sizeof(*rows), cmp);
	return rows;
}

static struct report_row *syscall_rows(struct report *r, void *state, size_t *n)
{
	return rows_sorted_int(&r->by_syscall, n, report_row_total_desc);
}

/* The syscalls that --counters measured, in the order of the syscall table */
static struct report_row *oncpu_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = syscall_rows(r, state, n);
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++)
		if (((struct agg *)rows[i].val)->ctr_calls)
			rows[kept++] = rows[i];
	*n = kept;
	return rows;
}

static struct report_row *mount_rows(struct report *r, void *state, size_t *n)
{
	return rows_sorted_int(&r->by_mount, n, report_row_total_desc);
}

static struct report_row *file_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = report_rows_str(&r->by_file, n);

	qsort(rows, *n, sizeof(*rows), report_row_total_desc);
	return rows;
}

static struct report_row *proc_rows(struct report *r, void *state, size_t *n)
{
	return rows_sorted_int(&r->by_proc, n, report_row_proc_desc);
}

static struct report_row *uid_rows(struct report *r, void *state, size_t *n)
{
	return rows_sorted_int(&r->by_uid, n, report_row_total_desc);
}

/* Rows over an array the report owns, in its order */
struct report_row *table_array_rows(void *base, size_t size, size_t nr, size_t *n)
{
	struct report_row *rows = xcalloc(nr + 1, sizeof(*rows));

	for (size_t i = 0; i < nr; i++)
		rows[i].val = (char *)base + i * size;
	*n = nr;
	return rows;
}

static struct report_row *layer_time_rows(struct report *r, void *state, size_t *n)
{
	return table_array_rows(r->layer_time, sizeof(*r->layer_time), r->nr_layer_time, n);
}

/* ---- getters shared by the aggregate tables (struct agg values) ---- */

#define AGG(row) ((const struct agg *)(row)->val)

static bool agg_timed(const struct agg *a)
{
	return hist_count(&a->lat) != 0;
}

static void agg_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->count;
}

static void agg_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->errors;
}

static void agg_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->bytes;
}

static void agg_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->total_ns;
}

/* "-" in the text when no call of the row was timed */
static void agg_total_timed(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->total_ns;
	c->null = !agg_timed(AGG(row));
}

static void agg_avg(struct report *r, const struct report_row *row, struct cell *c)
{
	uint64_t timed = hist_count(&AGG(row)->lat);

	c->u = timed ? AGG(row)->total_ns / timed : 0;
	c->null = !timed;
}

static void agg_pct(const struct report_row *row, struct cell *c, int pct)
{
	c->u = hist_percentile(&AGG(row)->lat, pct);
	c->null = !agg_timed(AGG(row));
}

static void agg_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	agg_pct(row, c, 50);
}

static void agg_p90(struct report *r, const struct report_row *row, struct cell *c)
{
	agg_pct(row, c, 90);
}

static void agg_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	agg_pct(row, c, 99);
}

static void agg_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->max_ns;
	c->null = !agg_timed(AGG(row));
}

void table_json_counts(struct strbuf *sb, unsigned int rec_mask, unsigned int mask,
			uint64_t latency, const uint64_t *ctr)
{
	for (int k = 0; k < CALL_COUNTERS; k++) {
		if (k == CTR_CTX_SWITCHES) {
			/* offcpu_ns next to oncpu_ns */
			if (mask & (1u << CTR_ONCPU_NS))
				strbuf_addf(sb, ",\"offcpu_ns\":%llu", (unsigned long long)
					    offcpu_ns(latency, ctr[CTR_ONCPU_NS]));
			else
				strbuf_addstr(sb, ",\"offcpu_ns\":null");
		}
		if (mask & rec_mask & (1u << k))
			strbuf_addf(sb, ",\"%s\":%llu", call_counter_keys[k], (unsigned long long)ctr[k]);
		else
			strbuf_addf(sb, ",\"%s\":null", call_counter_keys[k]);
	}
}

static void agg_counts_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	const struct agg *a = AGG(row);

	table_json_counts(sb, r->ctr_mask, a->ctr_calls ? r->ctr_mask : 0, a->ctr_latency_ns, a->ctr);
	strbuf_addf(sb, ",\"counted_calls\":%llu", (unsigned long long)a->ctr_calls);
}

/* ---- syscalls ---- */

static void key_str(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = row->key;
}

/* The page's members of an aggregate: its percentiles only when some call was timed */
static void page_agg(const struct agg *a, struct strbuf *sb)
{
	uint64_t timed = hist_count(&a->lat);

	strbuf_addf(sb, ",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu,\"bytes\":%llu,\"timed\":%llu",
		    (unsigned long long)a->count, (unsigned long long)a->errors,
		    (unsigned long long)a->total_ns, (unsigned long long)a->bytes,
		    (unsigned long long)timed);
	if (timed)
		strbuf_addf(sb, ",\"p50_ns\":%llu,\"p90_ns\":%llu,\"p99_ns\":%llu,\"max_ns\":%llu",
			    (unsigned long long)hist_percentile(&a->lat, 50),
			    (unsigned long long)hist_percentile(&a->lat, 90),
			    (unsigned long long)hist_percentile(&a->lat, 99),
			    (unsigned long long)a->max_ns);
}

static void agg_page_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	page_agg(AGG(row), sb);
}

/* The page's tables stop at these many rows */
#define PAGE_FILES	100
#define PAGE_PROCS	100

static const struct table_col syscall_cols[] = {
	{ "SYSCALL", "name", COL_STR, -16, COL_PAGE, key_str, NULL },
	{ "COUNT", "count", COL_U64, 8, 0, agg_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, agg_errors, NULL },
	{ "TOTAL", NULL, COL_NS, 9, 0, agg_total_timed, NULL },
	{ NULL, "total_ns", COL_U64, 0, 0, agg_total, NULL },
	{ "AVG", "avg_ns", COL_NS, 9, 0, agg_avg, NULL },
	{ "P50", "p50_ns", COL_NS, 9, 0, agg_p50, NULL },
	{ "P90", "p90_ns", COL_NS, 9, 0, agg_p90, NULL },
	{ "P99", "p99_ns", COL_NS, 9, 0, agg_p99, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, agg_max, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, agg_counts_json },
	{ NULL, "bytes", COL_U64, 0, 0, agg_bytes, NULL },
	{ NULL, NULL, COL_JSON, 0, COL_PAGE_ONLY, NULL, agg_page_json },
};

const struct table_desc table_syscalls = {
	.title = "Syscall latency",
	.key = "syscalls",
	COLS(syscall_cols),
	.rows = syscall_rows,
};

/* ---- on CPU or waiting (--counters), text only ---- */

static bool oncpu_measured(struct report *r)
{
	return r->ctr_mask & (1u << CTR_ONCPU_NS);
}

static void oncpu_calls(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->ctr_calls;
}

static void oncpu_latency(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->ctr_latency_ns;
}

static void oncpu_on(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AGG(row)->ctr[CTR_ONCPU_NS];
	c->null = !oncpu_measured(r);
}

static void oncpu_off(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = offcpu_ns(AGG(row)->ctr_latency_ns, AGG(row)->ctr[CTR_ONCPU_NS]);
	c->null = !oncpu_measured(r);
}

static void oncpu_off_share(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct agg *a = AGG(row);

	c->d = a->ctr_latency_ns ? (double)offcpu_ns(a->ctr_latency_ns, a->ctr[CTR_ONCPU_NS]) /
				   a->ctr_latency_ns : 0.0;
	c->null = !oncpu_measured(r);
}

static void oncpu_ctr(struct report *r, const struct report_row *row, struct cell *c, int k)
{
	c->u = AGG(row)->ctr[k];
	c->null = !(r->ctr_mask & (1u << k));
}

static void oncpu_switches(struct report *r, const struct report_row *row, struct cell *c)
{
	oncpu_ctr(r, row, c, CTR_CTX_SWITCHES);
}

static void oncpu_majflt(struct report *r, const struct report_row *row, struct cell *c)
{
	oncpu_ctr(r, row, c, CTR_MAJOR_FAULTS);
}

static void oncpu_minflt(struct report *r, const struct report_row *row, struct cell *c)
{
	oncpu_ctr(r, row, c, CTR_MINOR_FAULTS);
}

static bool oncpu_shown(struct report *r)
{
	return r->ctr_mask != 0;
}

static void oncpu_title(struct report *r, void *state, struct strbuf *out)
{
	const char *scope = recording_attr(r->rec, "perf/counter_threads");

	strbuf_addf(out, "On CPU or waiting (--counters: %s)",
		    scope && !strcmp(scope, "existing") ? "threads present at the start" :
		    "per thread");
}

static const struct table_col oncpu_cols[] = {
	{ "SYSCALL", NULL, COL_STR, -16, 0, key_str, NULL },
	{ "CALLS", NULL, COL_U64, 8, 0, oncpu_calls, NULL },
	{ "LATENCY", NULL, COL_NS, 9, 0, oncpu_latency, NULL },
	{ "ON-CPU", NULL, COL_NS, 9, 0, oncpu_on, NULL },
	{ "OFF-CPU", NULL, COL_NS, 9, 0, oncpu_off, NULL },
	{ "OFF%", NULL, COL_RATIO, 6, 0, oncpu_off_share, NULL },
	{ "SWITCHES", NULL, COL_U64, 8, 0, oncpu_switches, NULL },
	{ "MAJFLT", NULL, COL_U64, 8, 0, oncpu_majflt, NULL },
	{ "MINFLT", NULL, COL_U64, 8, 0, oncpu_minflt, NULL },
};

const struct table_desc table_oncpu = {
	COLS(oncpu_cols),
	.rows = oncpu_rows,
	.text_shown = oncpu_shown,
	.text_title = oncpu_title,
};

/* ---- mounts ---- */

#define MOUNT(row) ((const struct mount *)(row)->key)

static void mount_point(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = MOUNT(row)->point;
}

static void mount_fstype(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = MOUNT(row)->fstype;
}

static void mount_source(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = MOUNT(row)->source;
}

static void mount_device(struct report *r, const struct report_row *row, struct cell *c)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", MOUNT(row)->major, MOUNT(row)->minor);
	c->s = c->buf;
}

static const struct table_col mount_cols[] = {
	{ "MOUNT", "mount", COL_STR, -28, COL_CLIP | COL_PAGE, mount_point, NULL },
	{ "FSTYPE", "fstype", COL_STR, -8, COL_PAGE, mount_fstype, NULL },
	{ NULL, "source", COL_STR, 0, COL_PAGE, mount_source, NULL },
	{ NULL, "device", COL_STR, 0, 0, mount_device, NULL },
	{ "COUNT", "count", COL_U64, 8, 0, agg_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, agg_errors, NULL },
	{ "TOTAL", NULL, COL_NS, 9, 0, agg_total_timed, NULL },
	{ NULL, "total_ns", COL_U64, 0, 0, agg_total, NULL },
	{ "P99", "p99_ns", COL_NS, 9, 0, agg_p99, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, agg_max, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, agg_counts_json },
	{ NULL, NULL, COL_JSON, 0, COL_PAGE_ONLY, NULL, agg_page_json },
};

const struct table_desc table_mounts = {
	.title = "By mount",
	.key = "mounts",
	COLS(mount_cols),
	.rows = mount_rows,
};

/* ---- files ---- */

static void file_mount(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct mount *mt = model_mount(&r->m, row->key);

	c->s = mt ? mt->point : NULL;
}

static void files_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	if (r->path_methods[PATH_NONE])
		strbuf_addf(out, "  (%llu calls with an unknown path are not listed)\n",
			    (unsigned long long)r->path_methods[PATH_NONE]);
}

static const struct table_col file_cols[] = {
	{ "PATH", "path", COL_STR, -46, COL_CLIP | COL_PAGE, key_str, NULL },
	{ NULL, "mount", COL_STR, 0, 0, file_mount, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, agg_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, agg_errors, NULL },
	{ "BYTES", NULL, COL_BYTES, 8, 0, agg_bytes, NULL },
	{ "TOTAL", NULL, COL_NS, 9, 0, agg_total_timed, NULL },
	{ NULL, "total_ns", COL_U64, 0, 0, agg_total, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, agg_max, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, agg_counts_json },
	{ NULL, "bytes", COL_U64, 0, 0, agg_bytes, NULL },
	{ NULL, NULL, COL_JSON, 0, COL_PAGE_ONLY, NULL, agg_page_json },
};

const struct table_desc table_files = {
	.title = "Top files by total time",
	.key = "files",
	COLS(file_cols),
	.rows = file_rows,
	.text_limit = LIMIT_TOP,
	.json_limit = LIMIT_TOP,
	.text_footer = files_footer,
	.page_limit = PAGE_FILES,
	.page_total = true,
};

/* ---- pipes, sockets and the other fds that are not files ---- */

#define NONFILE(row) ((const struct nonfile_row *)(row)->val)

static struct report_row *nonfile_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = report_rows_str(&r->by_nonfile, n);

	qsort(rows, *n, sizeof(*rows), report_row_total_desc);
	return rows;
}

static void nonfile_kind(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = fd_kind_names[NONFILE(row)->kind];
}

static void nonfile_detail(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = NONFILE(row)->detail;
}

static const struct table_col nonfile_cols[] = {
	{ "KIND", "kind", COL_STR, -11, COL_PAGE, nonfile_kind, NULL },
	{ NULL, "name", COL_STR, 0, COL_PAGE, key_str, NULL },
	{ NULL, "detail", COL_STR, 0, COL_PAGE, nonfile_detail, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, agg_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, agg_errors, NULL },
	{ "BYTES", NULL, COL_BYTES, 8, 0, agg_bytes, NULL },
	{ "TOTAL", NULL, COL_NS, 9, 0, agg_total_timed, NULL },
	{ NULL, "total_ns", COL_U64, 0, 0, agg_total, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, agg_max, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, agg_counts_json },
	{ NULL, "bytes", COL_U64, 0, 0, agg_bytes, NULL },
	{ NULL, NULL, COL_JSON, 0, COL_PAGE_ONLY, NULL, agg_page_json },
	{ "NAME", NULL, COL_PATH, 0, 0, key_str, NULL },
	/* a socket's family, type and peer, where known: its own column, in line */
	{ "DETAIL", NULL, COL_STR, -1, COL_ESC | COL_CLIP, nonfile_detail, NULL },
};

/* Not files: ranked apart, so that a wait on a pipe never pushes a file out of the tables */
const struct table_desc table_nonfiles = {
	.title = "Waiting on pipes and sockets",
	.key = "non_files",
	COLS(nonfile_cols),
	.rows = nonfile_rows,
	.text_limit = LIMIT_TOP,
	.json_limit = LIMIT_TOP,
	.hidden_without_rows = true,
	.page_limit = PAGE_FILES,
	.page_total = true,
};

/* ---- processes ---- */

#define PROC(row) ((const struct proc_row *)(row)->val)

static void proc_pid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = PROC(row)->pid;
}

static void proc_comm(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = PROC(row)->comm;
}

static void proc_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = PROC(row)->uid;
}

static void proc_user(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = model_user(&r->m, PROC(row)->uid);
}

static void proc_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->agg.count;
}

static void proc_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->agg.errors;
}

static void proc_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = PROC(row)->agg.total_ns;
}

static void proc_page_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	page_agg(&PROC(row)->agg, sb);
}

static const struct table_col proc_cols[] = {
	{ "PID", "pid", COL_S64, 7, COL_PAGE, proc_pid, NULL },
	{ "COMM", "comm", COL_STR, -16, COL_ESC | COL_PAGE, proc_comm, NULL },
	{ "UID", "uid", COL_UID, -24, COL_PAGE, proc_uid, NULL },
	{ NULL, "user", COL_STR, 0, COL_PAGE, proc_user, NULL },
	{ "COUNT", "count", COL_U64, 8, 0, proc_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, proc_errors, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, proc_total, NULL },
	{ NULL, NULL, COL_JSON, 0, COL_PAGE_ONLY, NULL, proc_page_json },
};

const struct table_desc table_processes = {
	.title = "By process",
	.key = "processes",
	COLS(proc_cols),
	.rows = proc_rows,
	.text_limit = LIMIT_TOP,
	.json_limit = LIMIT_TOP,
	.page_limit = PAGE_PROCS,
	.page_total = true,
};

/* ---- uids ---- */

static long row_uid(const struct report_row *row)
{
	return (long)(uintptr_t)row->key - 1;
}

static void uid_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = row_uid(row);
}

static void uid_user(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = model_user(&r->m, row_uid(row));
}

static void zero(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = 0;
}

/* The page's rows start with "x":0, which its script ignores */
static const struct table_col uid_cols[] = {
	{ NULL, "x", COL_U64, 0, COL_PAGE_ONLY, zero, NULL },
	{ "UID", "uid", COL_UID, -24, COL_PAGE, uid_uid, NULL },
	{ NULL, "user", COL_STR, 0, COL_PAGE, uid_user, NULL },
	{ "COUNT", "count", COL_U64, 8, 0, agg_count, NULL },
	{ "ERRORS", "errors", COL_U64, 6, 0, agg_errors, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, agg_total, NULL },
	{ NULL, NULL, COL_JSON, 0, COL_PAGE_ONLY, NULL, agg_page_json },
};

const struct table_desc table_uids = {
	.title = "By uid",
	.key = "uids",
	COLS(uid_cols),
	.rows = uid_rows,
};

/* ---- time below the syscalls ---- */

#define LT(row) ((const struct layer_time *)(row)->val)

static void lt_layer(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = LT(row)->layer;
}

static void lt_time(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = LT(row)->ns;
}

static void lt_calls(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = LT(row)->calls;
}

static void lt_share(struct report *r, const struct report_row *row, struct cell *c)
{
	c->d = r->total.total_ns ? (double)LT(row)->ns / r->total.total_ns : 0.0;
}

static const struct table_col layer_time_cols[] = {
	{ "LAYER", "layer", COL_STR, -10, COL_PAGE, lt_layer, NULL },
	{ "TIME", "time_ns", COL_NS, 9, COL_PAGE, lt_time, NULL },
	{ "CALLS", "calls", COL_U64, 8, COL_PAGE, lt_calls, NULL },
	{ "SHARE", "share", COL_RATIO, 7, 0, lt_share, NULL },
};

const struct table_desc table_layer_time = {
	.title = "Time below the syscalls (each call's share, capped at its latency)",
	.key = "layers_time",
	COLS(layer_time_cols),
	.rows = layer_time_rows,
	.empty = "no work below the syscalls was attributed",
};

