// SPDX-License-Identifier: GPL-2.0
/*
 * The report's tables of errors and of single calls, described once (see
 * table.h): the errors, the audit of denied accesses, the slowest calls
 * with what the layers attributed to them, and the one row per call of
 * the CSV.  The aggregate tables are in table.c.
 */
#include <stdlib.h>

#include "report/report.h"
#include <ftio/table.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"

/* The page's tables stop at these many rows */
#define PAGE_ERRORS	500
#define PAGE_AUDIT	1000

static uint64_t rel_ns(struct report *r, uint64_t ts)
{
	return ts > r->start_ns ? ts - r->start_ns : 0;
}

static struct report_row *error_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = report_rows_str(&r->errors, n);

	qsort(rows, *n, sizeof(*rows), report_row_error_desc);
	return rows;
}

static struct report_row *audit_rows(struct report *r, void *state, size_t *n)
{
	return table_array_rows(r->audit, sizeof(*r->audit), r->nr_audit, n);
}

static int call_latency_desc(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	return x->latency_ns < y->latency_ns ? 1 : x->latency_ns > y->latency_ns ? -1 : 0;
}

/* Sorts the report's heap of the slowest calls in place: the drill-down follows that order */
static struct report_row *slowest_rows(struct report *r, void *state, size_t *n)
{
	qsort(r->slowest, r->nr_slowest, sizeof(*r->slowest), call_latency_desc);
	return table_array_rows(r->slowest, sizeof(*r->slowest), r->nr_slowest, n);
}

/* ---- errors ---- */

#define ERR(row) ((const struct error_row *)(row)->val)

static void err_syscall(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ERR(row)->syscall;
}

static void err_errno(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = table_errno_str(ERR(row)->err);
}

static void err_origin(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ERR(row)->origin;
}

static void err_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ERR(row)->path;
}

static void err_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = ERR(row)->uid;
}

static void err_user(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = model_user(&r->m, ERR(row)->uid);
}

static void err_pid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = ERR(row)->pid;
}

static void err_comm(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = ERR(row)->comm;
}

static void err_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = ERR(row)->count;
}

static void err_first(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = ERR(row)->first_ns - r->start_ns;
}

static void err_last(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = ERR(row)->last_ns - r->start_ns;
}

/* The page has the name of an errno, or null, and times clamped at the start */
static void err_errno_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = errno_name(ERR(row)->err);
}

static void err_first_page(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = rel_ns(r, ERR(row)->first_ns);
}

static void err_last_page(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = rel_ns(r, ERR(row)->last_ns);
}

static void errors_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	if (nr_rows > r->top)
		strbuf_addf(out, "  (%zu more rows: see --top, --errors or --json)\n",
			    nr_rows - r->top);
}

/* The text and the JSON list the columns in different orders: count and path appear twice */
static const struct table_col error_cols[] = {
	{ "SYSCALL", "syscall", COL_STR, -12, COL_PAGE, err_syscall, NULL },
	{ "ERRNO", "errno", COL_STR, -8, 0, err_errno, NULL },
	{ NULL, "errno", COL_STR, 0, COL_PAGE_ONLY, err_errno_name, NULL },
	{ "COUNT", NULL, COL_U64, 6, 0, err_count, NULL },
	{ NULL, "origin", COL_STR, 0, COL_PAGE, err_origin, NULL },
	{ NULL, "path", COL_STR, 0, COL_PAGE, err_path, NULL },
	{ "UID", "uid", COL_UID, -14, COL_PAGE, err_uid, NULL },
	{ NULL, "user", COL_STR, 0, COL_PAGE, err_user, NULL },
	{ "PID", "pid", COL_S64, 7, COL_PAGE, err_pid, NULL },
	{ "COMM", "comm", COL_STR, -15, COL_ESC | COL_PAGE, err_comm, NULL },
	{ NULL, "count", COL_U64, 0, COL_PAGE, err_count, NULL },
	{ NULL, "first_ns", COL_U64, 0, 0, err_first, NULL },
	{ NULL, "first_ns", COL_U64, 0, COL_PAGE_ONLY, err_first_page, NULL },
	{ NULL, "last_ns", COL_U64, 0, 0, err_last, NULL },
	{ NULL, "last_ns", COL_U64, 0, COL_PAGE_ONLY, err_last_page, NULL },
	{ "PATH", NULL, COL_PATH, 0, 0, err_path, NULL },
};

const struct table_desc table_errors = {
	.title = "Errors",
	.key = "errors",
	COLS(error_cols),
	.rows = error_rows,
	.text_limit = LIMIT_TOP,
	.empty = "none",
	.text_footer = errors_footer,
	.page_limit = PAGE_ERRORS,
	.page_total = true,
};

/* ---- audit: denied accesses ---- */

#define AUD(row) ((const struct audit_row *)(row)->val)

static void aud_start(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AUD(row)->ts - r->start_ns;
}

static void aud_ts(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AUD(row)->ts;
}

static void aud_syscall(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = AUD(row)->syscall;
}

static void aud_engine(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = AUD(row)->engine;
}

static void aud_errno(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = table_errno_str(AUD(row)->err);
}

static void aud_origin(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = AUD(row)->origin;
}

static void aud_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = AUD(row)->uid;
}

static void aud_euid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = AUD(row)->euid;
}

static void aud_user(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = model_user(&r->m, AUD(row)->uid);
}

static void aud_pid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = AUD(row)->pid;
}

static void aud_tid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = AUD(row)->tid;
}

static void aud_comm(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = AUD(row)->comm;
}

static void aud_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = AUD(row)->path;
}

static void aud_fd_kind(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = fd_kind_names[AUD(row)->fd_kind < FD_KINDS ? AUD(row)->fd_kind : FD_UNKNOWN];
}

static void aud_latency(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = AUD(row)->latency_ns;
}

static void aud_start_page(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = rel_ns(r, AUD(row)->ts);
}

static void aud_errno_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = errno_name(AUD(row)->err);
}

static void audit_origin_line(struct report *r, const struct report_row *row, struct strbuf *out)
{
	if (AUD(row)->origin)
		strbuf_addf(out, "  %10s denied by %s()\n", "", AUD(row)->origin);
}

static void audit_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	if (r->audit_total > r->nr_audit)
		strbuf_addf(out, "  (%llu more not kept)\n",
			    (unsigned long long)(r->audit_total - r->nr_audit));
}

static const struct table_col audit_cols[] = {
	{ "TIME", "start_ns", COL_SECONDS, 10, 0, aud_start, NULL },
	{ NULL, "start_ns", COL_U64, 0, COL_PAGE_ONLY, aud_start_page, NULL },
	{ NULL, "ts_ns", COL_U64, 0, 0, aud_ts, NULL },
	{ NULL, "syscall", COL_STR, 0, COL_PAGE, aud_syscall, NULL },
	{ NULL, "errno", COL_STR, 0, 0, aud_errno, NULL },
	{ NULL, "errno", COL_STR, 0, COL_PAGE_ONLY, aud_errno_name, NULL },
	{ NULL, "origin", COL_STR, 0, COL_PAGE, aud_origin, NULL },
	{ "UID", "uid", COL_UID, -14, COL_PAGE, aud_uid, NULL },
	{ NULL, "euid", COL_UID, 0, COL_PAGE, aud_euid, NULL },
	{ NULL, "user", COL_STR, 0, COL_PAGE, aud_user, NULL },
	{ "PID", "pid", COL_S64, 7, COL_PAGE, aud_pid, NULL },
	{ NULL, "tid", COL_S64, 0, COL_PAGE, aud_tid, NULL },
	{ "COMM", "comm", COL_STR, -15, COL_ESC | COL_PAGE, aud_comm, NULL },
	{ "SYSCALL", NULL, COL_STR, -10, 0, aud_syscall, NULL },
	{ "ENGINE", "engine", COL_STR, -8, COL_PAGE, aud_engine, NULL },
	{ "ERRNO", NULL, COL_STR, -6, 0, aud_errno, NULL },
	{ NULL, "path", COL_STR, 0, COL_PAGE, aud_path, NULL },
	{ NULL, "fd_kind", COL_STR, 0, COL_PAGE, aud_fd_kind, NULL },
	{ "LATENCY", "latency_ns", COL_NS, 8, COL_PAGE, aud_latency, NULL },
	{ "PATH", NULL, COL_PATH, 0, 0, aud_path, NULL },
};

const struct table_desc table_audit = {
	.title = "Audit: denied accesses (EACCES, EPERM)",
	.key = "audit",
	COLS(audit_cols),
	.rows = audit_rows,
	.text_limit = LIMIT_TOP10,
	.empty = "none",
	.text_row_after = audit_origin_line,
	.text_footer = audit_footer,
	.page_limit = PAGE_AUDIT,
};

/* ---- the slowest calls ---- */

#define CALL(row) ((const struct call *)(row)->val)

static void call_syscall(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->name;
}

static void call_path(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->path;
}

static void call_path_method(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->path ? path_method_names[CALL(row)->path_method] : NULL;
}

static void call_fd_kind(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = fd_kind_names[CALL(row)->fd_kind < FD_KINDS ? CALL(row)->fd_kind : FD_UNKNOWN];
}

static void call_path_why(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->path ? NULL : CALL(row)->path_why;
}

static void call_mount(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->mount ? CALL(row)->mount->point : NULL;
}

static void call_pid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = CALL(row)->pid;
}

static void call_tid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = CALL(row)->tid;
}

static void call_comm(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->comm;
}

static void call_uid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = CALL(row)->uid;
}

static void call_euid(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = CALL(row)->euid;
}

static void call_user(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = model_user(&r->m, CALL(row)->uid);
}

static void call_start(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = CALL(row)->start_ns - r->start_ns;
}

static void call_ts(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = CALL(row)->start_ns;
}

static void call_latency(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = CALL(row)->latency_ns;
}

static void call_ret(struct report *r, const struct report_row *row, struct cell *c)
{
	c->i = CALL(row)->ret;
}

static void call_errno(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->err ? table_errno_str(CALL(row)->err) : NULL;
	c->null = !CALL(row)->err;
}

static void call_origin(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->err ? CALL(row)->err_origin : NULL;
}

static void call_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = CALL(row)->bytes;
}

/* The open flags, decoded for the recorded architecture */
static void call_flags(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct syscall_desc *d = syscall_find(CALL(row)->name);

	c->s = NULL;
	if (d && d->flags >= 0)
		c->s = open_flags_str(c->buf, sizeof(c->buf), CALL(row)->args[d->flags],
				      recording_attr(r->rec, "meta/arch"));
}

static void call_counts_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	const struct call *c = CALL(row);

	table_json_counts(sb, r->ctr_mask, c->ctr_mask, c->latency_ns, c->ctr);
}

static void call_args_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	strbuf_addstr(sb, ",\"args\":[");
	for (int i = 0; i < 6; i++)
		strbuf_addf(sb, "%s%llu", i ? "," : "", (unsigned long long)CALL(row)->args[i]);
	strbuf_addch(sb, ']');
}

/* What the lower layers attributed to the call: the generic members, then the layer's own */
static void call_children_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	const struct call *c = CALL(row);

	strbuf_addstr(sb, ",\"children\":[");
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct child_view v = { .kind = CHILD_JSON, .ch = ch, .out = sb };

		strbuf_addf(sb, "%s{\"layer\":", i ? "," : "");
		strbuf_add_json_value(sb, ch->layer);
		strbuf_addstr(sb, ",\"what\":");
		strbuf_add_json_value(sb, ch->what);
		strbuf_addf(sb, ",\"start_ns\":%llu,\"latency_ns\":%llu,\"count\":%u",
			    (unsigned long long)rel_ns(r, ch->start_ns),
			    (unsigned long long)ch->latency_ns, ch->count ? ch->count : 1);
		report_child_view(r, &v);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static const struct table_col slowest_cols[] = {
	{ "LATENCY", NULL, COL_NS, 9, 0, call_latency, NULL },
	{ NULL, "syscall", COL_STR, 0, 0, call_syscall, NULL },
	{ NULL, "path", COL_STR, 0, 0, call_path, NULL },
	{ NULL, "path_method", COL_STR, 0, 0, call_path_method, NULL },
	{ NULL, "path_unknown", COL_STR, 0, 0, call_path_why, NULL },
	{ NULL, "fd_kind", COL_STR, 0, 0, call_fd_kind, NULL },
	{ NULL, "mount", COL_STR, 0, 0, call_mount, NULL },
	{ NULL, "pid", COL_S64, 0, 0, call_pid, NULL },
	{ NULL, "tid", COL_S64, 0, 0, call_tid, NULL },
	{ NULL, "comm", COL_STR, 0, 0, call_comm, NULL },
	{ NULL, "uid", COL_UID, 0, 0, call_uid, NULL },
	{ NULL, "euid", COL_UID, 0, 0, call_euid, NULL },
	{ NULL, "user", COL_STR, 0, 0, call_user, NULL },
	{ NULL, "start_ns", COL_U64, 0, 0, call_start, NULL },
	{ NULL, "ts_ns", COL_U64, 0, 0, call_ts, NULL },
	{ NULL, "latency_ns", COL_U64, 0, 0, call_latency, NULL },
	{ "SYSCALL", NULL, COL_STR, -11, 0, call_syscall, NULL },
	{ "RET", "ret", COL_S64, 8, 0, call_ret, NULL },
	{ "ERRNO", "errno", COL_STR, -7, 0, call_errno, NULL },
	{ NULL, "origin", COL_STR, 0, 0, call_origin, NULL },
	{ NULL, "flags", COL_STR, 0, 0, call_flags, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, call_counts_json },
	{ NULL, "bytes", COL_U64, 0, 0, call_bytes, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, call_args_json },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, call_children_json },
	{ "TID", NULL, COL_S64, 7, 0, call_tid, NULL },
	{ "COMM", NULL, COL_STR, -15, COL_ESC, call_comm, NULL },
	{ "UID", NULL, COL_UID, -14, 0, call_uid, NULL },
	{ "PATH", NULL, COL_PATH, 0, 0, call_path, NULL },
};

const struct table_desc table_slowest = {
	.title = "Slowest calls",
	.key = "slowest",
	COLS(slowest_cols),
	.rows = slowest_rows,
	.empty = "none",
};

/* ---- one row per reported call (report --csv, export --csv) ---- */

static void call_errno_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = CALL(row)->err ? errno_name(CALL(row)->err) : NULL;
}

static void call_tainted(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = CALL(row)->tainted;
}

static void call_ctr(const struct report_row *row, struct cell *c, int k)
{
	c->u = CALL(row)->ctr[k];
	c->null = !(CALL(row)->ctr_mask & (1u << k));
}

static void call_oncpu(struct report *r, const struct report_row *row, struct cell *c)
{
	call_ctr(row, c, CTR_ONCPU_NS);
}

static void call_offcpu(struct report *r, const struct report_row *row, struct cell *c)
{
	call_ctr(row, c, CTR_ONCPU_NS);
	c->u = offcpu_ns(CALL(row)->latency_ns, c->u);
}

static void call_switches(struct report *r, const struct report_row *row, struct cell *c)
{
	call_ctr(row, c, CTR_CTX_SWITCHES);
}

static void call_majflt(struct report *r, const struct report_row *row, struct cell *c)
{
	call_ctr(row, c, CTR_MAJOR_FAULTS);
}

/* Names from the traced system are quoted (COL_QUOTE); the rest cannot hold a comma */
static const struct table_col call_csv_cols[] = {
	{ NULL, "start_ns", COL_U64, 0, 0, call_ts, NULL },
	{ NULL, "latency_ns", COL_U64, 0, 0, call_latency, NULL },
	{ NULL, "syscall", COL_STR, 0, 0, call_syscall, NULL },
	{ NULL, "pid", COL_S64, 0, 0, call_pid, NULL },
	{ NULL, "tid", COL_S64, 0, 0, call_tid, NULL },
	{ NULL, "comm", COL_STR, 0, COL_QUOTE, call_comm, NULL },
	{ NULL, "uid", COL_UID, 0, 0, call_uid, NULL },
	{ NULL, "user", COL_STR, 0, COL_QUOTE, call_user, NULL },
	{ NULL, "ret", COL_S64, 0, 0, call_ret, NULL },
	{ NULL, "errno", COL_STR, 0, 0, call_errno_name, NULL },
	{ NULL, "path", COL_STR, 0, COL_QUOTE, call_path, NULL },
	{ NULL, "path_method", COL_STR, 0, 0, call_path_method, NULL },
	{ NULL, "mount", COL_STR, 0, COL_QUOTE, call_mount, NULL },
	{ NULL, "bytes", COL_U64, 0, 0, call_bytes, NULL },
	{ NULL, "lost_events_nearby", COL_U64, 0, 0, call_tainted, NULL },
	{ NULL, "oncpu_ns", COL_U64, 0, 0, call_oncpu, NULL },
	{ NULL, "offcpu_ns", COL_U64, 0, 0, call_offcpu, NULL },
	{ NULL, "ctx_switches", COL_U64, 0, 0, call_switches, NULL },
	{ NULL, "major_faults", COL_U64, 0, 0, call_majflt, NULL },
	{ NULL, "fd_kind", COL_STR, 0, 0, call_fd_kind, NULL },
};

const struct table_desc table_calls = {
	.key = "calls",
	COLS(call_csv_cols),
};
