// SPDX-License-Identifier: GPL-2.0
/*
 * ftio report: the latency report.  It starts at the syscall (latency per
 * syscall, mount, file, process and uid), then lists errors, the audit of
 * denied accesses and the slowest calls with everything known about them.
 * Text for people (fits 100 columns), --json for tools (a contract: see
 * Documentation/ftio-report.1.txt), --csv for one row per call.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "views/views.h"
#include "format/frontend.h"
#include "report/report.h"
#include <ftio/syscall-table.h>
#include "lib/util.h"

static const char *const report_usage[] = {
	"ftio report [-i <file>]... [--json | --csv] [--top <n>] [-p <path>] [--pid <pid>] [--tid <tid>]\n"
	"                   [--comm <name>] [--uid <uid>] [--syscall <name>[,<name>...]]\n"
	"                   [--min-latency <duration>] [--errors] [--since <s>] [--until <s>] [--drill]\n"
	"                   [--html <file>] [--svg <dir>] [--color[=<when>]] [--no-pager] [<file>...]",
	NULL,
};

enum { OUT_TEXT, OUT_JSON, OUT_CSV };

struct report_opts {
	char **inputs;
	size_t nr_inputs;
	int format;
	int drill;
	/* issue 8: views and terminal output */
	const char *html;	/* file, "-" for stdout */
	const char *svg;	/* directory */
	int color;		/* -1 auto, 0 never, 1 always */
	int no_pager;
};

static void parse_args(int argc, char **argv, struct report_opts *o, struct report *r)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'J' },
		{ "csv", no_argument, NULL, 'C' },
		{ "top", required_argument, NULL, 'n' },
		REPORT_FILTER_LONGOPTS,
		{ "drill", no_argument, NULL, 'D' },
		{ "html", required_argument, NULL, 'H' },
		{ "svg", required_argument, NULL, 'G' },
		{ "color", optional_argument, NULL, 'K' },
		{ "colour", optional_argument, NULL, 'K' },
		{ "no-pager", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:p:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
			o->inputs[o->nr_inputs++] = optarg;
			break;
		case 'J':
			o->format = OUT_JSON;
			break;
		case 'C':
			o->format = OUT_CSV;
			break;
		case 'n':
			if (parse_uint(optarg, 100000, &v) || !v)
				usage_error(report_usage, "invalid --top '%s' (1 to 100000)", optarg);
			r->top = v;
			break;
		case 'D':
			o->drill = 1;
			break;
		case 'H':
			o->html = optarg;
			break;
		case 'G':
			o->svg = optarg;
			break;
		case 'K':
			if (!optarg || !strcmp(optarg, "always"))
				o->color = 1;
			else if (!strcmp(optarg, "never"))
				o->color = 0;
			else if (!strcmp(optarg, "auto"))
				o->color = -1;
			else
				usage_error(report_usage, "invalid --color '%s' (auto, always or never)",
					    optarg);
			break;
		case 'N':
			o->no_pager = 1;
			break;
		case 'h':
			usage_show(report_usage, 0);
			exit(0);
		default:
			if (report_filter_arg(r, c, optarg, report_usage))
				break;
			usage_error(report_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
		o->inputs[o->nr_inputs++] = argv[optind];
	}
}

/* ---- sorting helpers ---- */

static int call_latency_desc(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	return x->latency_ns < y->latency_ns ? 1 : x->latency_ns > y->latency_ns ? -1 : 0;
}

/* ---- text helpers ---- */

static const char *ns_str(char *buf, size_t size, uint64_t ns, bool have)
{
	if (!have)
		return "-";
	return fmt_ns(buf, size, ns);
}

/* Keeps the end of a long path, which is the part people recognise */
static const char *clip(char *buf, size_t size, const char *s, size_t width)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_escaped(&sb, s, strlen(s));
	if (sb.len <= width)
		snprintf(buf, size, "%s", sb.buf);
	else
		snprintf(buf, size, "...%s", sb.buf + sb.len - (width - 3));
	strbuf_release(&sb);
	return buf;
}

#define TEXT_WIDTH 100

/* Prints @prefix then @path clipped so that the line fits TEXT_WIDTH */
static void print_with_path(const char *prefix, const char *path)
{
	char buf[256];
	size_t used = strlen(prefix);
	size_t room = used + 8 < TEXT_WIDTH ? TEXT_WIDTH - used : 8;

	printf("%s%s\n", prefix, path ? clip(buf, sizeof(buf), path, room) : "?");
}

/* Prints "  label: text", wrapping @text at spaces to fit TEXT_WIDTH */
static void print_wrapped(const char *label, const char *text)
{
	size_t indent = strlen(label) + 4, col = indent;

	printf("  %s:", label);
	while (text && *text) {
		size_t n;

		text += strspn(text, " ");
		n = strcspn(text, " ");
		if (!n)
			break;
		if (col > indent && col + 1 + n > TEXT_WIDTH) {
			printf("\n%*s", (int)indent, "");
			col = indent;
		} else {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)n, text);
		col += n;
		text += n;
	}
	putchar('\n');
}

static const char *user_str(char *buf, size_t size, const struct model *m, long uid)
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

static const char *errno_str(int err)
{
	const char *n = errno_name(err);

	return n ? n : "?";
}

static void print_capture(struct report *r)
{
	uint64_t dur = r->last_ts > r->start_ns ? r->last_ts - r->start_ns : 0;
	char b1[32];
	uint64_t unknown = 0, known = 0;

	printf("Capture\n");
	printf("  %s, %llu events, %llu lost\n", fmt_ns(b1, sizeof(b1), dur),
	       (unsigned long long)r->events, (unsigned long long)report_lost_events(r));
	{
		char cmd[1024];

		print_wrapped("traced", recording_attr(r->rec, "meta/command") ?
			      esc(cmd, sizeof(cmd), recording_attr(r->rec, "meta/command")) :
			      "the whole system");
	}
	print_wrapped("layers", recording_attr(r->rec, "meta/layers"));
	print_wrapped("strategy", recording_attr(r->rec, "meta/strategy"));
	printf("  calls: %llu recorded, %llu reported", (unsigned long long)r->calls,
	       (unsigned long long)r->calls_kept);
	if (r->f.path)
		printf(" (under %s)", r->f.path);
	printf("\n  paths:");
	for (int i = 1; i < PATH_METHODS; i++) {
		if (r->path_methods[i])
			printf(" %llu by %s,", (unsigned long long)r->path_methods[i],
			       path_method_names[i]);
		known += r->path_methods[i];
	}
	unknown = r->path_methods[PATH_NONE];
	printf(" %llu unknown%s\n", (unsigned long long)unknown,
	       unknown ? " (reasons below)" : "");
	if (r->uid_unknown)
		printf("  uid unknown for %llu calls (processes born before the capture and gone)\n",
		       (unsigned long long)r->uid_unknown);
	for (unsigned int i = 0; i < r->nr_counters; i++)
		printf("  %s: %llu\n", r->counters[i].what, (unsigned long long)r->counters[i].n);
	{
		/* "counter:cycles(No such file or directory: no such PMU event here)" */
		const char *u = recording_attr(r->rec, "meta/unavailable");

		for (const char *p = u; p && (p = strstr(p, "counter:")); p += 8) {
			const char *end = strchr(p, ')');

			if (end)
				printf("  counter unavailable: %.*s\n", (int)(end + 1 - p - 8), p + 8);
		}
	}
	(void)known;
}

/* "on CPU 12.1us, off CPU 3.10ms (99.6%), 1 switch, 0 major / 3 minor faults" */
static void print_counts(struct report *r, unsigned int mask, uint64_t latency,
			 const uint64_t *ctr, const char *indent)
{
	char b[2][48];

	printf("%s", indent);
	if (mask & (1u << CTR_ONCPU_NS)) {
		uint64_t on = ctr[CTR_ONCPU_NS], off = offcpu_ns(latency, on);

		printf("on CPU %s, off CPU %s (%.1f%%)", fmt_ns(b[0], 48, on), fmt_ns(b[1], 48, off),
		       latency ? 100.0 * off / latency : 0.0);
	}
	if (mask & (1u << CTR_CTX_SWITCHES))
		printf(", %llu switch%s", (unsigned long long)ctr[CTR_CTX_SWITCHES],
		       ctr[CTR_CTX_SWITCHES] == 1 ? "" : "es");
	if (mask & (1u << CTR_MAJOR_FAULTS))
		printf(", %llu major", (unsigned long long)ctr[CTR_MAJOR_FAULTS]);
	if (mask & (1u << CTR_MINOR_FAULTS))
		printf("%s %llu minor", mask & (1u << CTR_MAJOR_FAULTS) ? " /" : ",",
		       (unsigned long long)ctr[CTR_MINOR_FAULTS]);
	if (mask & ((1u << CTR_MAJOR_FAULTS) | (1u << CTR_MINOR_FAULTS)))
		printf(" faults");
	if (mask & (1u << CTR_INSTRUCTIONS))
		printf(", %llu instructions", (unsigned long long)ctr[CTR_INSTRUCTIONS]);
	if (mask & (1u << CTR_CYCLES))
		printf(", %llu cycles", (unsigned long long)ctr[CTR_CYCLES]);
	printf("\n");
	(void)r;
}

/* --counters: how much of each syscall's time was spent on the CPU; @rows sorted */
static void print_oncpu(struct report *r, const struct report_row *rows, size_t n)
{
	const char *scope = recording_attr(r->rec, "perf/counter_threads");
	char b[4][48];

	if (!r->ctr_mask)
		return;
	printf("\nOn CPU or waiting (--counters: %s)\n",
	       scope && !strcmp(scope, "existing") ? "threads present at the start" : "per thread");
	printf("  %-16s %8s %9s %9s %9s %6s %8s %8s %8s\n", "SYSCALL", "CALLS", "LATENCY", "ON-CPU",
	       "OFF-CPU", "OFF%", "SWITCHES", "MAJFLT", "MINFLT");
	for (size_t i = 0; i < n; i++) {
		struct agg *a = rows[i].val;
		uint64_t on = a->ctr[CTR_ONCPU_NS];
		uint64_t off = offcpu_ns(a->ctr_latency_ns, on);
		bool has_on = r->ctr_mask & (1u << CTR_ONCPU_NS);

		if (!a->ctr_calls)
			continue;
		printf("  %-16s %8llu %9s %9s %9s ", (const char *)rows[i].key,
		       (unsigned long long)a->ctr_calls, fmt_ns(b[0], 48, a->ctr_latency_ns),
		       has_on ? fmt_ns(b[1], 48, on) : "-", has_on ? fmt_ns(b[2], 48, off) : "-");
		if (has_on)
			printf("%5.1f%%", a->ctr_latency_ns ? 100.0 * off / a->ctr_latency_ns : 0.0);
		else
			printf("%6s", "-");
		for (int k = CTR_CTX_SWITCHES; k <= CTR_MINOR_FAULTS; k++) {
			if (r->ctr_mask & (1u << k))
				printf(" %8llu", (unsigned long long)a->ctr[k]);
			else
				printf(" %8s", "-");
		}
		printf("\n");
	}
}

static void print_layer_time(struct report *r)
{
	char b[32];

	printf("\nTime below the syscalls (each call's share, capped at its latency)\n");
	if (!r->nr_layer_time) {
		printf("  no work below the syscalls was attributed\n");
		return;
	}
	printf("  %-10s %9s %8s %7s\n", "LAYER", "TIME", "CALLS", "SHARE");
	for (unsigned int i = 0; i < r->nr_layer_time; i++) {
		struct layer_time *lt = &r->layer_time[i];

		printf("  %-10s %9s %8llu %6.1f%%\n", lt->layer, fmt_ns(b, sizeof(b), lt->ns),
		       (unsigned long long)lt->calls,
		       r->total.total_ns ? 100.0 * lt->ns / r->total.total_ns : 0.0);
	}
}

/* One line per (layer, what, device) of a call: "block loop0: 2 requests, queue 0.1ms, device 11.9ms" */
static void print_tree(struct report *r, const struct call *c)
{
	char b[6][48];
	unsigned int shown = 0;
	bool *done = xcalloc(c->nr_children + 1, sizeof(bool));

	char path[512];

	printf("  %s %s %s (tid %d %s, uid %s)%s%s%s%s\n", fmt_ns(b[0], 48, c->latency_ns), c->name,
	       c->path ? esc(path, sizeof(path), c->path) : "?", c->tid, esc(b[3], 48, c->comm),
	       user_str(b[1], 48, &r->m, c->uid),
	       c->err ? " " : "", c->err ? errno_str(c->err) : "",
	       c->err && c->err_origin ? " from " : "", c->err && c->err_origin ? c->err_origin : "");
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		uint64_t n = 0, lat = 0, a = 0, bb = 0, bytes = 0, failed = 0;
		int err = 0;
		bool last;

		if (done[i])
			continue;
		for (unsigned int j = i; j < c->nr_children; j++) {
			const struct call_child *o = &c->children[j];

			if (o->layer != ch->layer || o->what != ch->what || o->dev != ch->dev)
				continue;
			done[j] = true;
			n += o->count ? o->count : 1;
			lat += o->latency_ns;
			a += o->a;
			bb += o->b;
			bytes += o->bytes;
			if (o->error) {
				failed++;
				err = o->error;
			}
		}
		last = true;
		for (unsigned int j = i + 1; j < c->nr_children; j++)
			last &= done[j];
		printf("    %s ", last ? "`-" : "|-");
		if (!strcmp(ch->layer, "block") && failed)
			printf("block %s %s: %llu requests, %s, queue %s, device %s, %llu failed (%s)\n",
			       report_dev_name(r, ch->dev, b[2], 48), ch->what, (unsigned long long)n,
			       fmt_bytes(b[3], 48, bytes), fmt_ns(b[4], 48, a), fmt_ns(b[5], 48, bb),
			       (unsigned long long)failed, err < 0 ? errno_str(-err) : "?");
		else if (!strcmp(ch->layer, "block"))
			printf("block %s %s: %llu requests, %s, queue %s, device %s\n",
			       report_dev_name(r, ch->dev, b[2], 48), ch->what, (unsigned long long)n,
			       fmt_bytes(b[3], 48, bytes), fmt_ns(b[4], 48, a), fmt_ns(b[5], 48, bb));
		else if (!strcmp(ch->layer, "pagecache"))
			printf("page cache %s: %llu %s%s (%llu pages)\n",
			       report_dev_name(r, ch->dev, b[2], 48), (unsigned long long)n, ch->what,
			       n == 1 ? "" : ch->what[0] == 'm' ? "es" : "s", (unsigned long long)a);
		else
			printf("%s %s: %llu, %s\n", ch->layer, ch->what, (unsigned long long)n,
			       fmt_ns(b[2], 48, lat));
		shown++;
	}
	if (!shown)
		printf("    `- nothing attributed below the syscall\n");
	if (c->ctr_mask)
		print_counts(r, c->ctr_mask, c->latency_ns, c->ctr, "    counters: ");
	free(done);
}

static void print_text(struct report *r, int drill)
{
	char b[8][48];
	size_t n;
	struct report_row *rows;

	print_capture(r);

	printf("\nSyscall latency\n");
	printf("  %-16s %8s %6s %9s %9s %9s %9s %9s %9s\n", "SYSCALL", "COUNT", "ERRORS", "TOTAL",
	       "AVG", "P50", "P90", "P99", "MAX");
	rows = report_rows_int(&r->by_syscall, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n; i++) {
		struct agg *a = rows[i].val;
		uint64_t timed = hist_count(&a->lat);

		printf("  %-16s %8llu %6llu %9s %9s %9s %9s %9s %9s\n", (const char *)rows[i].key,
		       (unsigned long long)a->count, (unsigned long long)a->errors,
		       ns_str(b[0], 48, a->total_ns, timed), ns_str(b[1], 48, timed ? a->total_ns / timed : 0, timed),
		       ns_str(b[2], 48, hist_percentile(&a->lat, 50), timed),
		       ns_str(b[3], 48, hist_percentile(&a->lat, 90), timed),
		       ns_str(b[4], 48, hist_percentile(&a->lat, 99), timed),
		       ns_str(b[5], 48, a->max_ns, timed));
	}
	print_oncpu(r, rows, n);
	free(rows);

	printf("\nBy mount\n");
	printf("  %-28s %-8s %8s %6s %9s %9s %9s\n", "MOUNT", "FSTYPE", "COUNT", "ERRORS", "TOTAL",
	       "P99", "MAX");
	rows = report_rows_int(&r->by_mount, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n; i++) {
		const struct mount *mt = rows[i].key;
		struct agg *a = rows[i].val;
		uint64_t timed = hist_count(&a->lat);

		printf("  %-28s %-8s %8llu %6llu %9s %9s %9s\n", clip(b[6], 48, mt->point, 28),
		       mt->fstype, (unsigned long long)a->count, (unsigned long long)a->errors,
		       ns_str(b[0], 48, a->total_ns, timed),
		       ns_str(b[1], 48, hist_percentile(&a->lat, 99), timed),
		       ns_str(b[2], 48, a->max_ns, timed));
	}
	free(rows);

	printf("\nTop files by total time\n");
	printf("  %-46s %7s %6s %8s %9s %9s\n", "PATH", "COUNT", "ERRORS", "BYTES", "TOTAL", "MAX");
	rows = report_rows_str(&r->by_file, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n && i < r->top; i++) {
		struct agg *a = rows[i].val;
		uint64_t timed = hist_count(&a->lat);

		printf("  %-46s %7llu %6llu %8s %9s %9s\n", clip(b[6], 48, rows[i].key, 46),
		       (unsigned long long)a->count, (unsigned long long)a->errors,
		       fmt_bytes(b[0], 48, a->bytes), ns_str(b[1], 48, a->total_ns, timed),
		       ns_str(b[2], 48, a->max_ns, timed));
	}
	if (r->path_methods[PATH_NONE])
		printf("  (%llu calls with an unknown path are not listed)\n",
		       (unsigned long long)r->path_methods[PATH_NONE]);
	free(rows);

	printf("\nBy process\n");
	printf("  %7s %-16s %-24s %8s %6s %9s\n", "PID", "COMM", "UID", "COUNT", "ERRORS", "TOTAL");
	rows = report_rows_int(&r->by_proc, &n);
	qsort(rows, n, sizeof(*rows), report_row_proc_desc);
	for (size_t i = 0; i < n && i < r->top; i++) {
		struct proc_row *p = rows[i].val;

		printf("  %7d %-16s %-24s %8llu %6llu %9s\n", p->pid, esc(b[5], 48, p->comm),
		       user_str(b[6], 48, &r->m, p->uid), (unsigned long long)p->agg.count,
		       (unsigned long long)p->agg.errors, fmt_ns(b[0], 48, p->agg.total_ns));
	}
	free(rows);

	printf("\nBy uid\n");
	printf("  %-24s %8s %6s %9s\n", "UID", "COUNT", "ERRORS", "TOTAL");
	rows = report_rows_int(&r->by_uid, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n; i++) {
		struct agg *a = rows[i].val;

		printf("  %-24s %8llu %6llu %9s\n",
		       user_str(b[6], 48, &r->m, (long)(uintptr_t)rows[i].key - 1),
		       (unsigned long long)a->count, (unsigned long long)a->errors,
		       fmt_ns(b[0], 48, a->total_ns));
	}
	free(rows);

	for (unsigned int i = 0; i < r->nr_layers; i++) {
		struct strbuf sb = STRBUF_INIT;

		if (!r->layers[i].layer->report_text)
			continue;
		r->layers[i].layer->report_text(r, r->layers[i].state, &sb);
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&sb);
	}
	print_layer_time(r);

	printf("\nErrors\n");
	rows = report_rows_str(&r->errors, &n);
	qsort(rows, n, sizeof(*rows), report_row_error_desc);
	if (!n)
		printf("  none\n");
	else
		printf("  %-12s %-8s %6s %-14s %7s %-15s %s\n", "SYSCALL", "ERRNO", "COUNT", "UID",
		       "PID", "COMM", "PATH");
	for (size_t i = 0; i < n && i < r->top; i++) {
		struct error_row *e = rows[i].val;

		char line[160];

		snprintf(line, sizeof(line), "  %-12s %-8s %6llu %-14s %7d %-15s ", e->syscall,
			 errno_str(e->err), (unsigned long long)e->count,
			 user_str(b[6], 48, &r->m, e->uid), e->pid, esc(b[5], 48, e->comm));
		print_with_path(line, e->path);
	}
	if (n > r->top)
		printf("  (%zu more rows: see --top, --errors or --json)\n", n - r->top);
	free(rows);

	printf("\nAudit: denied accesses (EACCES, EPERM)\n");
	if (!r->nr_audit)
		printf("  none\n");
	else
		printf("  %10s %-14s %7s %-15s %-10s %-7s %9s %s\n", "TIME", "UID", "PID", "COMM",
		       "SYSCALL", "ERRNO", "LATENCY", "PATH");
	for (size_t i = 0; i < r->nr_audit && i < (size_t)r->top * 10; i++) {
		struct audit_row *a = &r->audit[i];

		char line[160];

		snprintf(line, sizeof(line), "  %9.6fs %-14s %7d %-15s %-10s %-7s %9s ",
			 (a->ts - r->start_ns) / 1e9, user_str(b[6], 48, &r->m, a->uid), a->pid,
			 esc(b[5], 48, a->comm), a->syscall, errno_str(a->err),
			 fmt_ns(b[0], 48, a->latency_ns));
		print_with_path(line, a->path);
		if (a->origin)
			printf("  %10s denied by %s()\n", "", a->origin);
	}
	if (r->audit_total > r->nr_audit)
		printf("  (%llu more not kept)\n", (unsigned long long)(r->audit_total - r->nr_audit));

	printf("\nSlowest calls\n");
	qsort(r->slowest, r->nr_slowest, sizeof(*r->slowest), call_latency_desc);
	if (!r->nr_slowest)
		printf("  none\n");
	else
		printf("  %9s %-11s %8s %-7s %7s %-15s %-14s %s\n", "LATENCY", "SYSCALL", "RET",
		       "ERRNO", "TID", "COMM", "UID", "PATH");
	for (size_t i = 0; i < r->nr_slowest; i++) {
		struct call *c = &r->slowest[i];

		char line[160];

		snprintf(line, sizeof(line), "  %9s %-11s %8lld %-7s %7d %-15s %-14s ",
			 fmt_ns(b[0], 48, c->latency_ns), c->name, (long long)c->ret,
			 c->err ? errno_str(c->err) : "-", c->tid, esc(b[5], 48, c->comm),
			 user_str(b[6], 48, &r->m, c->uid));
		print_with_path(line, c->path);
	}
	if (drill) {
		printf("\nDrill-down of the slowest calls\n");
		for (size_t i = 0; i < r->nr_slowest; i++)
			print_tree(r, &r->slowest[i]);
	}
}

/* ---- JSON ---- */

static void juid(struct strbuf *sb, long uid)
{
	if (uid < 0)
		strbuf_addstr(sb, "null");
	else
		strbuf_addf(sb, "%ld", uid);
}

static void jlat(struct strbuf *sb, const char *key, const struct agg *a, uint64_t v)
{
	if (hist_count(&a->lat))
		strbuf_addf(sb, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		strbuf_addf(sb, ",\"%s\":null", key);
}

/*
 * The --counters members: oncpu_ns, offcpu_ns, ctx_switches, major_faults,
 * minor_faults, instructions, cycles; null where not recorded
 */
static void json_counts(struct strbuf *sb, unsigned int rec_mask, unsigned int mask,
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

static void json_agg_counts(struct strbuf *sb, struct report *r, const struct agg *a)
{
	json_counts(sb, r->ctr_mask, a->ctr_calls ? r->ctr_mask : 0, a->ctr_latency_ns, a->ctr);
	strbuf_addf(sb, ",\"counted_calls\":%llu", (unsigned long long)a->ctr_calls);
}

static void json_call(struct strbuf *sb, struct report *r, const struct call *c)
{
	char flags[256];
	const struct syscall_desc *d = syscall_find(c->name);

	strbuf_addstr(sb, "{\"syscall\":");
	strbuf_add_json_value(sb, c->name);
	strbuf_addstr(sb, ",\"path\":");
	strbuf_add_json_value(sb, c->path);
	strbuf_addstr(sb, ",\"path_method\":");
	strbuf_add_json_value(sb, c->path ? path_method_names[c->path_method] : NULL);
	strbuf_addstr(sb, ",\"mount\":");
	strbuf_add_json_value(sb, c->mount ? c->mount->point : NULL);
	strbuf_addf(sb, ",\"pid\":%d,\"tid\":%d,\"comm\":", c->pid, c->tid);
	strbuf_add_json_value(sb, c->comm);
	strbuf_addstr(sb, ",\"uid\":");
	juid(sb, c->uid);
	strbuf_addstr(sb, ",\"euid\":");
	juid(sb, c->euid);
	strbuf_addstr(sb, ",\"user\":");
	strbuf_add_json_value(sb, model_user(&r->m, c->uid));
	strbuf_addf(sb, ",\"start_ns\":%llu,\"ts_ns\":%llu,\"latency_ns\":%llu,\"ret\":%lld,\"errno\":",
		    (unsigned long long)(c->start_ns - r->start_ns), (unsigned long long)c->start_ns,
		    (unsigned long long)c->latency_ns, (long long)c->ret);
	strbuf_add_json_value(sb, c->err ? errno_str(c->err) : NULL);
	strbuf_addstr(sb, ",\"origin\":");
	strbuf_add_json_value(sb, c->err ? c->err_origin : NULL);
	strbuf_addstr(sb, ",\"flags\":");
	if (d && d->flags >= 0)
		strbuf_add_json_value(sb, open_flags_str(flags, sizeof(flags), c->args[d->flags],
					recording_attr(r->rec, "meta/arch")));
	else
		strbuf_addstr(sb, "null");
	json_counts(sb, r->ctr_mask, c->ctr_mask, c->latency_ns, c->ctr);
	strbuf_addf(sb, ",\"bytes\":%llu,\"args\":[", (unsigned long long)c->bytes);
	for (int i = 0; i < 6; i++)
		strbuf_addf(sb, "%s%llu", i ? "," : "", (unsigned long long)c->args[i]);
	strbuf_addstr(sb, "],\"children\":[");
	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];

		strbuf_addf(sb, "%s{\"layer\":", i ? "," : "");
		strbuf_add_json_value(sb, ch->layer);
		strbuf_addstr(sb, ",\"what\":");
		strbuf_add_json_value(sb, ch->what);
		strbuf_addf(sb, ",\"start_ns\":%llu,\"latency_ns\":%llu,\"count\":%u",
			    (unsigned long long)(ch->start_ns > r->start_ns ? ch->start_ns - r->start_ns : 0),
			    (unsigned long long)ch->latency_ns, ch->count ? ch->count : 1);
		if (!strcmp(ch->layer, "block")) {
			char name[32];

			strbuf_addf(sb, ",\"device\":\"%u:%u\",\"name\":", ch->dev >> 20,
				    ch->dev & ((1U << 20) - 1));
			strbuf_add_json_value(sb, report_dev_name(r, ch->dev, name, sizeof(name)));
			strbuf_addf(sb, ",\"q2d_ns\":%llu,\"d2c_ns\":%llu,\"bytes\":%llu,\"error\":%d",
				    (unsigned long long)ch->a, (unsigned long long)ch->b,
				    (unsigned long long)ch->bytes, ch->error);
		} else if (!strcmp(ch->layer, "fuse")) {
			strbuf_addstr(sb, ",\"opcode\":");
			strbuf_add_json_value(sb, ch->what);
			strbuf_addf(sb, ",\"error\":%d", ch->error);
		} else if (!strcmp(ch->layer, "rpc")) {
			/* the kernel's rpc_stats_latency split of the RPC */
			strbuf_addf(sb, ",\"procedure\":");
			strbuf_add_json_value(sb, ch->what);
			strbuf_addf(sb, ",\"rtt_ns\":%llu,\"backlog_ns\":%llu,\"error\":%d",
				    (unsigned long long)ch->a, (unsigned long long)ch->b, ch->error);
		} else if (!strcmp(ch->layer, "pagecache")) {
			strbuf_addf(sb, ",\"pages\":%llu", (unsigned long long)ch->a);
		} else if (!strcmp(ch->layer, "fs")) {
			strbuf_addstr(sb, ",\"operation\":");
			strbuf_add_json_value(sb, ch->what);
		}
		strbuf_addch(sb, '}');
	}
	strbuf_addstr(sb, "]}");
}

static void print_json(struct report *r)
{
	struct strbuf sb = STRBUF_INIT;
	const char *layers = recording_attr(r->rec, "meta/layers");
	size_t n;
	struct report_row *rows;

	strbuf_addf(&sb, "{\"capture\":{\"duration_ns\":%llu,\"events\":%llu,\"lost_events\":%llu,"
		    "\"calls\":%llu,\"calls_reported\":%llu,\"layers\":[",
		    (unsigned long long)(r->last_ts > r->start_ns ? r->last_ts - r->start_ns : 0),
		    (unsigned long long)r->events, (unsigned long long)report_lost_events(r),
		    (unsigned long long)r->calls, (unsigned long long)r->calls_kept);
	for (const char *p = layers; p && *p;) {
		const char *e = strchr(p, ',');
		char *name = xstrndup(p, e ? (size_t)(e - p) : strlen(p));

		if (p != layers)
			strbuf_addch(&sb, ',');
		strbuf_add_json_value(&sb, name);
		free(name);
		p = e ? e + 1 : NULL;
	}
	strbuf_addstr(&sb, "],\"strategy\":");
	strbuf_add_json_value(&sb, recording_attr(r->rec, "meta/strategy"));
	strbuf_addstr(&sb, ",\"command\":");
	strbuf_add_json_value(&sb, recording_attr(r->rec, "meta/command"));
	strbuf_addstr(&sb, ",\"path_filter\":");
	strbuf_add_json_value(&sb, r->f.path);
	strbuf_addstr(&sb, ",\"path_methods\":{");
	for (int i = 0; i < PATH_METHODS; i++)
		strbuf_addf(&sb, "%s\"%s\":%llu", i ? "," : "", path_method_names[i],
			    (unsigned long long)r->path_methods[i]);
	strbuf_addf(&sb, "},\"uid_unknown_calls\":%llu,\"notes\":{", (unsigned long long)r->uid_unknown);
	for (unsigned int i = 0; i < r->nr_counters; i++) {
		strbuf_addstr(&sb, i ? "," : "");
		strbuf_add_json_value(&sb, r->counters[i].what);
		strbuf_addf(&sb, ":%llu", (unsigned long long)r->counters[i].n);
	}
	strbuf_addstr(&sb, "}},\"syscalls\":[");
	rows = report_rows_int(&r->by_syscall, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n; i++) {
		struct agg *a = rows[i].val;
		uint64_t timed = hist_count(&a->lat);

		strbuf_addf(&sb, "%s{\"name\":", i ? "," : "");
		strbuf_add_json_value(&sb, rows[i].key);
		strbuf_addf(&sb, ",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu",
			    (unsigned long long)a->count, (unsigned long long)a->errors,
			    (unsigned long long)a->total_ns);
		jlat(&sb, "avg_ns", a, timed ? a->total_ns / timed : 0);
		jlat(&sb, "p50_ns", a, hist_percentile(&a->lat, 50));
		jlat(&sb, "p90_ns", a, hist_percentile(&a->lat, 90));
		jlat(&sb, "p99_ns", a, hist_percentile(&a->lat, 99));
		jlat(&sb, "max_ns", a, a->max_ns);
		json_agg_counts(&sb, r, a);
		strbuf_addf(&sb, ",\"bytes\":%llu}", (unsigned long long)a->bytes);
	}
	free(rows);
	strbuf_addstr(&sb, "],\"mounts\":[");
	rows = report_rows_int(&r->by_mount, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n; i++) {
		const struct mount *mt = rows[i].key;
		struct agg *a = rows[i].val;

		strbuf_addf(&sb, "%s{\"mount\":", i ? "," : "");
		strbuf_add_json_value(&sb, mt->point);
		strbuf_addstr(&sb, ",\"fstype\":");
		strbuf_add_json_value(&sb, mt->fstype);
		strbuf_addstr(&sb, ",\"source\":");
		strbuf_add_json_value(&sb, mt->source);
		strbuf_addf(&sb, ",\"device\":\"%u:%u\",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu",
			    mt->major, mt->minor, (unsigned long long)a->count,
			    (unsigned long long)a->errors, (unsigned long long)a->total_ns);
		jlat(&sb, "p99_ns", a, hist_percentile(&a->lat, 99));
		jlat(&sb, "max_ns", a, a->max_ns);
		json_agg_counts(&sb, r, a);
		strbuf_addch(&sb, '}');
	}
	free(rows);
	strbuf_addstr(&sb, "],\"files\":[");
	rows = report_rows_str(&r->by_file, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n && i < r->top; i++) {
		struct agg *a = rows[i].val;
		const struct mount *mt = model_mount(&r->m, rows[i].key);

		strbuf_addf(&sb, "%s{\"path\":", i ? "," : "");
		strbuf_add_json_value(&sb, rows[i].key);
		strbuf_addstr(&sb, ",\"mount\":");
		strbuf_add_json_value(&sb, mt ? mt->point : NULL);
		strbuf_addf(&sb, ",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu",
			    (unsigned long long)a->count, (unsigned long long)a->errors,
			    (unsigned long long)a->total_ns);
		jlat(&sb, "max_ns", a, a->max_ns);
		json_agg_counts(&sb, r, a);
		strbuf_addf(&sb, ",\"bytes\":%llu}", (unsigned long long)a->bytes);
	}
	free(rows);
	strbuf_addstr(&sb, "],\"processes\":[");
	rows = report_rows_int(&r->by_proc, &n);
	qsort(rows, n, sizeof(*rows), report_row_proc_desc);
	for (size_t i = 0; i < n && i < r->top; i++) {
		struct proc_row *p = rows[i].val;

		strbuf_addf(&sb, "%s{\"pid\":%d,\"comm\":", i ? "," : "", p->pid);
		strbuf_add_json_value(&sb, p->comm);
		strbuf_addstr(&sb, ",\"uid\":");
		juid(&sb, p->uid);
		strbuf_addstr(&sb, ",\"user\":");
		strbuf_add_json_value(&sb, model_user(&r->m, p->uid));
		strbuf_addf(&sb, ",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu}",
			    (unsigned long long)p->agg.count, (unsigned long long)p->agg.errors,
			    (unsigned long long)p->agg.total_ns);
	}
	free(rows);
	strbuf_addstr(&sb, "],\"uids\":[");
	rows = report_rows_int(&r->by_uid, &n);
	qsort(rows, n, sizeof(*rows), report_row_total_desc);
	for (size_t i = 0; i < n; i++) {
		struct agg *a = rows[i].val;
		long uid = (long)(uintptr_t)rows[i].key - 1;

		strbuf_addf(&sb, "%s{\"uid\":", i ? "," : "");
		juid(&sb, uid);
		strbuf_addstr(&sb, ",\"user\":");
		strbuf_add_json_value(&sb, model_user(&r->m, uid));
		strbuf_addf(&sb, ",\"count\":%llu,\"errors\":%llu,\"total_ns\":%llu}",
			    (unsigned long long)a->count, (unsigned long long)a->errors,
			    (unsigned long long)a->total_ns);
	}
	free(rows);
	strbuf_addstr(&sb, "],\"errors\":[");
	rows = report_rows_str(&r->errors, &n);
	qsort(rows, n, sizeof(*rows), report_row_error_desc);
	for (size_t i = 0; i < n; i++) {
		struct error_row *e = rows[i].val;

		strbuf_addf(&sb, "%s{\"syscall\":", i ? "," : "");
		strbuf_add_json_value(&sb, e->syscall);
		strbuf_addstr(&sb, ",\"errno\":");
		strbuf_add_json_value(&sb, errno_str(e->err));
		strbuf_addstr(&sb, ",\"origin\":");
		strbuf_add_json_value(&sb, e->origin);
		strbuf_addstr(&sb, ",\"path\":");
		strbuf_add_json_value(&sb, e->path);
		strbuf_addstr(&sb, ",\"uid\":");
		juid(&sb, e->uid);
		strbuf_addstr(&sb, ",\"user\":");
		strbuf_add_json_value(&sb, model_user(&r->m, e->uid));
		strbuf_addf(&sb, ",\"pid\":%d,\"comm\":", e->pid);
		strbuf_add_json_value(&sb, e->comm);
		strbuf_addf(&sb, ",\"count\":%llu,\"first_ns\":%llu,\"last_ns\":%llu}",
			    (unsigned long long)e->count,
			    (unsigned long long)(e->first_ns - r->start_ns),
			    (unsigned long long)(e->last_ns - r->start_ns));
	}
	free(rows);
	strbuf_addstr(&sb, "],\"audit\":[");
	for (size_t i = 0; i < r->nr_audit; i++) {
		struct audit_row *a = &r->audit[i];

		strbuf_addf(&sb, "%s{\"start_ns\":%llu,\"ts_ns\":%llu,\"syscall\":", i ? "," : "",
			    (unsigned long long)(a->ts - r->start_ns), (unsigned long long)a->ts);
		strbuf_add_json_value(&sb, a->syscall);
		strbuf_addstr(&sb, ",\"errno\":");
		strbuf_add_json_value(&sb, errno_str(a->err));
		strbuf_addstr(&sb, ",\"origin\":");
		strbuf_add_json_value(&sb, a->origin);
		strbuf_addstr(&sb, ",\"uid\":");
		juid(&sb, a->uid);
		strbuf_addstr(&sb, ",\"euid\":");
		juid(&sb, a->euid);
		strbuf_addstr(&sb, ",\"user\":");
		strbuf_add_json_value(&sb, model_user(&r->m, a->uid));
		strbuf_addf(&sb, ",\"pid\":%d,\"tid\":%d,\"comm\":", a->pid, a->tid);
		strbuf_add_json_value(&sb, a->comm);
		strbuf_addstr(&sb, ",\"path\":");
		strbuf_add_json_value(&sb, a->path);
		strbuf_addf(&sb, ",\"latency_ns\":%llu}", (unsigned long long)a->latency_ns);
	}
	strbuf_addf(&sb, "],\"audit_total\":%llu", (unsigned long long)r->audit_total);
	for (unsigned int i = 0; i < r->nr_layers; i++)
		if (r->layers[i].layer->report_json)
			r->layers[i].layer->report_json(r, r->layers[i].state, &sb);
	strbuf_addstr(&sb, ",\"layers_time\":[");
	for (unsigned int i = 0; i < r->nr_layer_time; i++) {
		strbuf_addf(&sb, "%s{\"layer\":\"%s\",\"time_ns\":%llu,\"calls\":%llu,\"share\":%.4f}",
			    i ? "," : "", r->layer_time[i].layer,
			    (unsigned long long)r->layer_time[i].ns,
			    (unsigned long long)r->layer_time[i].calls,
			    r->total.total_ns ? (double)r->layer_time[i].ns / r->total.total_ns : 0.0);
	}
	strbuf_addstr(&sb, "],\"slowest\":[");
	qsort(r->slowest, r->nr_slowest, sizeof(*r->slowest), call_latency_desc);
	for (size_t i = 0; i < r->nr_slowest; i++) {
		if (i)
			strbuf_addch(&sb, ',');
		json_call(&sb, r, &r->slowest[i]);
	}
	strbuf_addstr(&sb, "]}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* ---- issue 8: HTML and SVG views, colour and pager for the text ---- */

/* Writes the page to a temporary file renamed over @path, so a failure leaves no half page */
static void write_html(struct export_views *v, const char *path)
{
	char *tmp = strcmp(path, "-") ? xasprintf("%s.tmp.%d", path, (int)getpid()) : NULL;
	FILE *f = tmp ? fopen(tmp, "w") : stdout;
	uint64_t t = now_mono_ns();
	char size[32], took[32];
	long len;
	int ret;

	if (!f)
		die("cannot write '%s': %s", path, strerror(errno));
	ret = export_html(v, f);
	len = tmp ? ftell(f) : -1;
	if (tmp && fclose(f) && !ret)
		ret = -errno;
	if (!ret && tmp && rename(tmp, path))
		ret = -errno;
	if (ret) {
		if (tmp)
			unlink(tmp);
		die("cannot write '%s': %s", path, strerror(-ret));
	}
	if (tmp)
		fprintf(stderr, "ftio: wrote '%s' (%s in %s)\n", path,
			fmt_bytes(size, sizeof(size), len), fmt_ns(took, sizeof(took), now_mono_ns() - t));
	free(tmp);
}

static void write_svg(struct export_views *v, const char *dir)
{
	char *failed = NULL;
	int ret = export_svg(v, dir, &failed);

	if (ret)
		die("cannot write '%s': %s", failed ? failed : dir, strerror(-ret));
}

/* auto: stdout is a terminal that is not "dumb" */
static bool color_wanted(int color)
{
	const char *term = getenv("TERM");

	if (color >= 0)
		return color;
	return isatty(1) && term && strcmp(term, "dumb");
}

static pid_t pager_pid;

static void pager_wait(void)
{
	int status;

	fflush(stdout);
	close(1);
	while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* git's rules: FTIO_PAGER, then PAGER, else less -FRX; "" and "cat" mean none */
static void pager_start(void)
{
	const char *pager = getenv("FTIO_PAGER");
	int fds[2];

	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less -FRX";
	if (!*pager || !strcmp(pager, "cat") || pipe(fds))
		return;
	fflush(stdout);
	pager_pid = fork();
	if (pager_pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (!pager_pid) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		/* what git sets when LESS is unset: quit if one screen, keep colours */
		setenv("LESS", "FRX", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	dup2(fds[1], 1);
	close(fds[0]);
	close(fds[1]);
	atexit(pager_wait);
}

static bool is_errno_token(const char *s, size_t n)
{
	if (n < 2 || s[0] != 'E')
		return false;
	for (int e = 1; e < 200; e++) {
		const char *en = errno_name(e);

		if (en && strlen(en) == n && !memcmp(en, s, n))
			return true;
	}
	return false;
}

/* Section titles (unindented) in bold, column headers in cyan, errno names in red */
static void color_line(const char *line, size_t len)
{
	size_t text = len - (line[len - 1] == '\n'), upper = 0;
	bool lower = false;

	if (text && line[0] != ' ') {
		printf("\033[1m%.*s\033[m\n", (int)text, line);
		return;
	}
	for (size_t i = 0; i < text; i++) {
		lower |= line[i] >= 'a' && line[i] <= 'z';
		upper += line[i] >= 'A' && line[i] <= 'Z';
	}
	if (text && !lower && upper >= 6) {
		printf("\033[36m%.*s\033[m\n", (int)text, line);
		return;
	}
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(line + i, " \n");

		if (n && is_errno_token(line + i, n))
			printf("\033[31m%.*s\033[m", (int)n, line + i);
		else
			fwrite(line + i, 1, n, stdout);
		i += n;
		for (; i < len && (line[i] == ' ' || line[i] == '\n'); i++)
			putchar(line[i]);
	}
}

/* The text report through color_line(), by way of a temporary file */
static void print_text_color(struct report *r, int drill)
{
	FILE *tmp = tmpfile();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int saved;

	fflush(stdout);
	saved = tmp ? dup(1) : -1;
	if (saved < 0 || dup2(fileno(tmp), 1) < 0) {
		if (saved >= 0)
			close(saved);
		if (tmp)
			fclose(tmp);
		print_text(r, drill);
		return;
	}
	print_text(r, drill);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	while ((n = getline(&line, &cap, tmp)) > 0)
		color_line(line, n);
	free(line);
	fclose(tmp);
}

/* ---- end of issue 8 ---- */

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { 0 };
	struct report r = { 0 };
	static char *default_input[] = { "ftio.dat" };
	struct recset set;
	struct recording *rec;
	struct export_views *views = NULL;
	bool color, pager;
	int ret;

	r.f.pid = r.f.tid = r.f.uid = -1;
	o.color = -1;
	parse_args(argc, argv, &o, &r);
	/* decided before a pager takes over stdout, as git does */
	color = color_wanted(o.color);
	pager = !o.no_pager && o.format == OUT_TEXT && !o.html && !o.svg && isatty(1);
	frontend_open_set(&set, o.nr_inputs ? o.inputs : default_input, o.nr_inputs ? o.nr_inputs : 1);
	rec = set.v[0];
	if (!r.path_arg && recording_attr(rec, "meta/path_filter"))
		r.path_arg = xstrdup(recording_attr(rec, "meta/path_filter"));
	if (r.path_arg) {
		/* "/mnt/nas/" and "/mnt/nas" mean the same directory */
		size_t len = strlen(r.path_arg);

		while (len > 1 && r.path_arg[len - 1] == '/')
			r.path_arg[--len] = '\0';
		r.f.path = r.path_arg;
		r.f.path_len = len;
	}
	if (o.format == OUT_CSV)
		r.csv = stdout;
	ret = report_init(&r, set.v, set.n);
	if (ret) {
		frontend_set_warnings(&set);
		die("cannot decode '%s': %s", rec->path,
		    ret == -EBADMSG ? "its event formats are missing or unusable" : strerror(-ret));
	}
	if (o.html || o.svg)
		views = export_views_new(&r);
	if (r.csv)
		fputs(REPORT_CSV_HEADER, r.csv);
	report_run(&r);
	if (o.html)
		write_html(views, o.html);
	if (o.svg)
		write_svg(views, o.svg);
	if (pager)
		pager_start();
	if (o.format == OUT_JSON)
		print_json(&r);
	else if (o.format == OUT_TEXT && !o.html && !o.svg)
		(color ? print_text_color : print_text)(&r, o.drill);
	fflush(stdout);
	frontend_set_warnings(&set);
	export_views_free(views);
	report_release(&r);
	frontend_close_set(&set);
	free(o.inputs);
	free(r.f.syscalls);
	free(r.path_arg);
	return 0;
}
