// SPDX-License-Identifier: GPL-2.0
/*
 * report --json, for tools: a contract (Documentation/ftio-report.1.txt).
 * Every table comes from its description (report/table.h); this file
 * knows how a cell of each type looks in JSON, and the capture object.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "views/printers.h"
#include "report/findings.h"
#include <ftio/table.h>
#include "lib/util.h"

static void json_cell(struct strbuf *sb, const struct table_col *col, const struct cell *c)
{
	switch (col->type) {
	case COL_STR:
	case COL_PATH:
		strbuf_add_json_value(sb, c->null ? NULL : c->s);
		break;
	case COL_UID:
		if (c->i < 0)
			strbuf_addstr(sb, "null");
		else
			strbuf_addf(sb, "%lld", (long long)c->i);
		break;
	case COL_S64:
		strbuf_addf(sb, "%lld", (long long)c->i);
		break;
	case COL_RATIO:
	case COL_RATE:
		strbuf_addf(sb, "%.4f", c->d);
		break;
	default:
		if (c->null)
			strbuf_addstr(sb, "null");
		else
			strbuf_addf(sb, "%llu", (unsigned long long)c->u);
	}
}

/* Whether @col is in @view */
static bool col_shown(const struct table_col *col, enum json_view view)
{
	if (view == JSON_PAGE)
		return col->flags & (COL_PAGE | COL_PAGE_ONLY);
	return !(col->flags & COL_PAGE_ONLY) && (col->key || col->type == COL_JSON);
}

/**
 * json_row - append one row of a described table as a JSON object
 * @sb: where the JSON goes
 * @r: the report, after report_run()
 * @t: the table
 * @row: one of the rows @t->rows() returned
 * @view: report --json or the HTML page's data
 */
void json_row(struct strbuf *sb, struct report *r, const struct table_desc *t,
	      const struct report_row *row, enum json_view view)
{
	bool first = true;

	strbuf_addch(sb, '{');
	for (size_t i = 0; i < t->nr_cols; i++) {
		const struct table_col *col = &t->cols[i];
		struct cell c = { 0 };

		if (!col_shown(col, view))
			continue;
		if (col->type == COL_JSON) {
			col->json(r, row, sb);
			continue;
		}
		col->get(r, row, &c);
		strbuf_addf(sb, "%s\"%s\":", first ? "" : ",", col->key);
		first = false;
		json_cell(sb, col, &c);
	}
	strbuf_addch(sb, '}');
}

/**
 * json_table - append a described table as the member ,"key":[rows]
 * @sb: where the JSON goes
 * @r: the report, after report_run()
 * @t: the table
 * @state: the layer's, for a layer's table; else NULL
 * @view: report --json or the HTML page's data
 */
void json_table(struct strbuf *sb, struct report *r, const struct table_desc *t, void *state,
		enum json_view view)
{
	size_t n, shown;
	struct report_row *rows;

	if (t->recorded && !t->recorded(r, state)) {
		strbuf_addf(sb, ",\"%s\":null", t->json_absent);
		return;
	}
	rows = t->rows(r, state, &n);
	if (t->json_before)
		t->json_before(r, state, sb);
	if (view == JSON_PAGE && t->page_total)
		strbuf_addf(sb, ",\"%s_total\":%zu", t->key, n);
	if (t->json_open)
		strbuf_addf(sb, ",\"%s\":{\"%s\":[", t->json_open, t->key);
	else
		strbuf_addf(sb, ",\"%s\":[", t->key);
	if (view == JSON_PAGE)
		shown = t->page_limit && t->page_limit < n ? t->page_limit : n;
	else
		shown = table_limit(r, t->json_limit, n);
	for (size_t i = 0; i < shown; i++) {
		if (i)
			strbuf_addch(sb, ',');
		json_row(sb, r, t, &rows[i], view);
	}
	strbuf_addch(sb, ']');
	if (t->json_after)
		t->json_after(r, state, sb);
	if (t->json_close)
		strbuf_addch(sb, '}');
	free(rows);
}

static void json_capture(struct strbuf *sb, struct report *r)
{
	const char *layers = recording_attr(r->rec, "meta/layers");
	const struct report_damage *dmg = &r->damage;

	strbuf_addf(sb, "{\"capture\":{\"duration_ns\":%llu,\"events\":%llu,\"lost_events\":%llu,"
		    "\"calls\":%llu,\"calls_reported\":%llu,\"layers\":[",
		    (unsigned long long)(r->last_ts > r->start_ns ? r->last_ts - r->start_ns : 0),
		    (unsigned long long)r->events, (unsigned long long)report_lost_events(r),
		    (unsigned long long)r->calls, (unsigned long long)r->calls_kept);
	for (const char *p = layers; p && *p;) {
		const char *e = strchr(p, ',');
		char *name = xstrndup(p, e ? (size_t)(e - p) : strlen(p));

		if (p != layers)
			strbuf_addch(sb, ',');
		strbuf_add_json_value(sb, name);
		free(name);
		p = e ? e + 1 : NULL;
	}
	strbuf_addstr(sb, "],\"strategy\":");
	strbuf_add_json_value(sb, recording_attr(r->rec, "meta/strategy"));
	strbuf_addstr(sb, ",\"command\":");
	strbuf_add_json_value(sb, recording_attr(r->rec, "meta/command"));
	strbuf_addstr(sb, ",\"path_filter\":");
	strbuf_add_json_value(sb, r->f.path);
	strbuf_addstr(sb, ",\"path_methods\":{");
	for (int i = 0; i < PATH_METHODS; i++)
		strbuf_addf(sb, "%s\"%s\":%llu", i ? "," : "", path_method_names[i],
			    (unsigned long long)r->path_methods[i]);
	strbuf_addf(sb, "},\"uid_unknown_calls\":%llu,\"notes\":{",
		    (unsigned long long)r->uid_unknown);
	for (unsigned int i = 0; i < r->nr_counters; i++) {
		strbuf_addstr(sb, i ? "," : "");
		strbuf_add_json_value(sb, r->counters[i].what);
		strbuf_addf(sb, ":%llu", (unsigned long long)r->counters[i].n);
	}
	strbuf_addstr(sb, "},\"non_file_calls\":{");
	for (int k = 0, n = 0; k < FD_KINDS; k++)
		if (fd_kind_is_nonfile(k))
			strbuf_addf(sb, "%s\"%s\":%llu", n++ ? "," : "", fd_kind_names[k],
				    (unsigned long long)r->nonfile_calls[k]);
	strbuf_addstr(sb, "},\"audited_syscalls\":[");
	{
		const char *names[512];
		size_t n = report_audited(r, names, ARRAY_SIZE(names));

		for (size_t i = 0; i < n; i++) {
			strbuf_addstr(sb, i ? "," : "");
			strbuf_add_json_value(sb, names[i]);
		}
	}
	strbuf_addstr(sb, "],\"pairing\":{");
	for (int i = 0; i < PAIR_CAUSES; i++)
		strbuf_addf(sb, "%s\"%s\":%llu", i ? "," : "", pairing_keys[i],
			    (unsigned long long)r->pairing[i]);
	strbuf_addf(sb, "},\"complete\":%s,\"damage\":{\"truncated_bytes\":%llu,"
		    "\"damaged_bytes\":%llu,\"bad_chunks\":%llu,\"files\":%zu,"
		    "\"files_without_end\":%zu,\"missing_after_ns\":{", report_complete(r) ? "true" : "false",
		    (unsigned long long)dmg->truncated_bytes, (unsigned long long)dmg->damaged_bytes,
		    (unsigned long long)dmg->bad_chunks, r->nr_recs, dmg->no_end);
	/* a cut file: each CPU's events stop at its last one; what came after is missing */
	for (int cpu = 0, n = 0; dmg->no_end && cpu < REPORT_MAX_CPUS; cpu++) {
		uint64_t t = r->cpu_last[cpu];

		if (t)
			strbuf_addf(sb, "%s\"%d\":%llu", n++ ? "," : "", cpu,
				    (unsigned long long)(t > r->start_ns ? t - r->start_ns : 0));
	}
	strbuf_addstr(sb, "}}}");
}

int report_print_json(struct report *r, FILE *f)
{
	static const struct table_desc *const before_audit_total[] = {
		&table_syscalls, &table_mounts, &table_files, &table_nonfiles, &table_processes,
		&table_uids, &table_errors, &table_audit,
	};
	struct strbuf sb = STRBUF_INIT;
	int ret;

	json_capture(&sb, r);
	for (size_t i = 0; i < ARRAY_SIZE(before_audit_total); i++)
		json_table(&sb, r, before_audit_total[i], NULL, JSON_REPORT);
	strbuf_addf(&sb, ",\"audit_total\":%llu", (unsigned long long)r->audit_total);
	for (unsigned int i = 0; i < r->nr_layers; i++) {
		const struct ftio_layer *l = r->layers[i].layer;

		for (size_t k = 0; l->tables && l->tables[k]; k++)
			json_table(&sb, r, l->tables[k], r->layers[i].state, JSON_REPORT);
		if (l->report_json)
			l->report_json(r, r->layers[i].state, &sb);
	}
	json_table(&sb, r, &table_layer_time, NULL, JSON_REPORT);
	json_table(&sb, r, &table_slowest, NULL, JSON_REPORT);
	json_table(&sb, r, &table_error_groups, NULL, JSON_REPORT);
	{
		struct strbuf text = STRBUF_INIT;

		strbuf_addstr(&sb, ",\"findings\":");
		report_findings(r, &text, &sb);
		strbuf_release(&text);
	}
	strbuf_addstr(&sb, "}\n");
	errno = 0;
	fwrite(sb.buf, 1, sb.len, f);
	ret = ferror(f) ? -(errno ? errno : EIO) : 0;
	strbuf_release(&sb);
	return ret;
}
