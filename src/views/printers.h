/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report's printers: text for people, JSON for tools, CSV with one
 * row per call.  Each renders the table descriptions of report/table.h
 * to any FILE; none of them prints anywhere else.  They return 0 or
 * -errno (a failed write) and leave the message to the command.
 */
#ifndef FTIO_VIEWS_PRINTERS_H
#define FTIO_VIEWS_PRINTERS_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

struct strbuf;
struct table_desc;
struct report_row;

/* struct text_opts - how the text report looks */
struct text_opts {
	bool color;		/* section titles in bold, column headers in cyan, errno names in red */
	bool drill;		/* add the drill-down of the slowest calls */
	unsigned int width;	/* the terminal's columns; 0: no limit (not a terminal) */
};

/**
 * report_print_text - write the text report
 * @r: the report, after report_run()
 * @f: where it goes
 * @o: colour, drill-down, width
 */
int report_print_text(struct report *r, FILE *f, const struct text_opts *o);

/**
 * report_print_json - write the report as one JSON object and a newline
 * @r: the report, after report_run()
 * @f: where it goes
 */
int report_print_json(struct report *r, FILE *f);

/**
 * report_csv_start - write the CSV header, then a row per reported call
 * @r: a report after report_init() and before report_run()
 * @f: where the rows go while report_run() runs
 */
void report_csv_start(struct report *r, FILE *f);

/*
 * text_call_children - the drill-down's lines under one call: its
 * children, summed per (layer, what, device), and its counters
 */
void text_call_children(struct strbuf *out, struct report *r, const struct call *c);

/* Which JSON: report --json, or the HTML page's data (see COL_PAGE) */
enum json_view {
	JSON_REPORT,
	JSON_PAGE,
};

/* One described table, appended to @out, for a view that composes its own page */
void text_table(struct strbuf *out, struct report *r, const struct table_desc *t, void *state);
void json_table(struct strbuf *sb, struct report *r, const struct table_desc *t, void *state,
		enum json_view view);
void json_row(struct strbuf *sb, struct report *r, const struct table_desc *t,
	      const struct report_row *row, enum json_view view);

#endif /* FTIO_VIEWS_PRINTERS_H */
