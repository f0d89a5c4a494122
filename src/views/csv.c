// SPDX-License-Identifier: GPL-2.0
/*
 * The one-row-per-call CSV (report --csv, export --csv): the columns of
 * report/table.h's table_calls, written as each reported call exits, so
 * that nothing is kept.  Empty cells stand for what is unknown or was not
 * measured.
 */
#include <stdio.h>

#include "views/printers.h"
#include <ftio/table.h>
#include "lib/util.h"

static void csv_field(FILE *f, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s)
		return;
	/* escaped first, so no raw newline or control byte reaches the CSV */
	strbuf_add_escaped(&sb, s, strlen(s));
	fputc('"', f);
	/* a spreadsheet evaluates = + - @ (and tab, CR) at the start: make it text */
	if (sb.len && strchr("=+-@\t\r", sb.buf[0]))
		fputc('\'', f);
	for (size_t i = 0; i < sb.len; i++) {
		if (sb.buf[i] == '"')
			fputc('"', f);
		fputc(sb.buf[i], f);
	}
	fputc('"', f);
	strbuf_release(&sb);
}

static void csv_cell(FILE *f, const struct table_col *col, const struct cell *c)
{
	if (c->null)
		return;
	switch (col->type) {
	case COL_STR:
	case COL_PATH:
		if (col->flags & COL_QUOTE)
			csv_field(f, c->s);
		else if (c->s)
			fputs(c->s, f);
		break;
	case COL_UID:
		if (c->i >= 0)
			fprintf(f, "%lld", (long long)c->i);
		break;
	case COL_S64:
		fprintf(f, "%lld", (long long)c->i);
		break;
	case COL_RATIO:
	case COL_RATE:
		fprintf(f, "%.4f", c->d);
		break;
	default:
		fprintf(f, "%llu", (unsigned long long)c->u);
	}
}

static void csv_observe(struct report *r, const struct call *c, void *arg)
{
	const struct table_desc *t = &table_calls;
	struct report_row row = { NULL, (void *)c };
	FILE *f = arg;

	for (size_t i = 0; i < t->nr_cols; i++) {
		struct cell cell = { 0 };

		t->cols[i].get(r, &row, &cell);
		if (i)
			fputc(',', f);
		csv_cell(f, &t->cols[i], &cell);
	}
	fputc('\n', f);
}

void report_csv_start(struct report *r, FILE *f)
{
	const struct table_desc *t = &table_calls;

	for (size_t i = 0; i < t->nr_cols; i++)
		fprintf(f, "%s%s", i ? "," : "", t->cols[i].key);
	fputc('\n', f);
	report_observe(r, csv_observe, f);
}
