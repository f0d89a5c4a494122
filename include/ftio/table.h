/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table descriptions: each of the report's tables (syscalls, mounts,
 * files, processes, uids, errors, audit, slowest, the time below the
 * syscalls) is described once here, as its rows and its columns with
 * their types, units and text widths.  The views (src/views/text.c,
 * json.c) render a description; none of them knows a table's struct.
 *
 * A column is in the text view when it has a @head, in the JSON view when
 * it has a @key (or a @json writer).  The two views do not always show a
 * value the same way (the text's TOTAL is "-" for a row whose calls were
 * all untimed, the JSON's total_ns is still a number), so such a value is
 * two columns, one for each view, rather than a flag per view.
 *
 * A layer describes its own tables the same way (struct ftio_layer's
 * @tables); their rows come from the layer's state.
 */
#ifndef FTIO_REPORT_TABLE_H
#define FTIO_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct model;
struct report;
struct intmap;
struct strmap;

/* struct report_row - one row of a map, for sorting: its key and value */
struct report_row {
	const void *key;
	void *val;
};
/* The rows of a map as an array the caller frees; sort it with a comparator */
struct report_row *report_rows_int(struct intmap *m, size_t *n);
struct report_row *report_rows_str(struct strmap *m, size_t *n);
struct strbuf;

enum col_type {
	COL_STR,	/* text: as is (see COL_ESC, COL_CLIP); JSON: a string */
	COL_U64,
	COL_S64,
	COL_NS,		/* nanoseconds; text: "12.1us" */
	COL_BYTES,	/* text: "4.0KiB"; JSON: a number */
	COL_UID,	/* text: "1000(alice)", "?" when unknown; JSON: a number or null */
	COL_RATIO,	/* 0..1; text: a percentage "12.5%"; JSON: "0.1250" */
	COL_RATE,	/* per second (in @d); text: no decimals; JSON: "12.5000" */
	COL_SECONDS,	/* nanoseconds; text: seconds "1.250000s"; JSON: a number */
	COL_PATH,	/* text: the rest of the line, clipped to fit; "?" when NULL */
	COL_JSON,	/* JSON only: @json appends members of its own */
};

/* Text flags of a COL_STR column */
#define COL_ESC		0x1	/* escaped for a terminal (names from the traced system) */
#define COL_CLIP	0x2	/* escaped and, when too wide, cut at the front */
/* CSV flag of a COL_STR column: escaped and quoted */
#define COL_QUOTE	0x4
/*
 * The HTML page's data (views/html.c) is JSON too, with fewer members:
 * a column with COL_PAGE is in it under its @key, one with COL_PAGE_ONLY
 * is only there (a COL_JSON column likewise)
 */
#define COL_PAGE	0x8
#define COL_PAGE_ONLY	0x10

/* struct cell - one value, filled by a column's getter */
struct cell {
	bool null;		/* text "-", JSON null (a COL_UID below 0 is null too) */
	const char *s;		/* COL_STR, COL_PATH */
	uint64_t u;		/* COL_U64, COL_NS, COL_BYTES, COL_SECONDS */
	int64_t i;		/* COL_S64, COL_UID */
	double d;		/* COL_RATIO, COL_RATE */
	char buf[256];		/* for a getter that formats @s */
};

struct table_col {
	const char *head;	/* text header, NULL: not in the text */
	const char *key;	/* JSON member, NULL: not in the JSON */
	enum col_type type;
	int width;		/* text width; negative: left-aligned */
	unsigned int flags;
	void (*get)(struct report *r, const struct report_row *row, struct cell *c);
	/* COL_JSON: appends ",\"k\":v" members */
	void (*json)(struct report *r, const struct report_row *row, struct strbuf *out);
};

/* How many rows a view shows */
enum table_limit {
	LIMIT_NONE,
	LIMIT_TOP,		/* --top */
	LIMIT_TOP10,		/* ten times --top */
};

struct table_desc {
	const char *title;	/* text: the section's title */
	const char *key;	/* JSON: the array's member */
	const struct table_col *cols;
	size_t nr_cols;
	/*
	 * the rows, sorted, as an array the caller frees; @state is the
	 * layer's, for a table a layer describes (NULL for the report's own)
	 */
	struct report_row *(*rows)(struct report *r, void *state, size_t *n);
	enum table_limit text_limit, json_limit;
	const char *empty;	/* text: the line instead of the header when no rows */
	unsigned int page_limit;	/* the page's rows, 0: all */
	bool page_total;	/* the page: ,"<key>_total":<rows> before the rows */
	bool header_with_rows;	/* text: no header (and no @empty line) without rows */
	/* text: without rows, not even the title (@text_footer is still called) */
	bool hidden_without_rows;
	/* text, all optional: whether it is shown, its title, a line after each row, after all */
	bool (*text_shown)(struct report *r);
	void (*text_title)(struct report *r, void *state, struct strbuf *out);
	void (*text_row_after)(struct report *r, const struct report_row *row, struct strbuf *out);
	void (*text_footer)(struct report *r, void *state, size_t nr_rows, struct strbuf *out);
	/* JSON, optional: what comes before ,"key":[ and after its ] (an object around it) */
	void (*json_before)(struct report *r, void *state, struct strbuf *out);
	void (*json_after)(struct report *r, void *state, struct strbuf *out);
	/*
	 * JSON, optional: the table is the first member of an object the view
	 * opens, ,"<json_open>":{"key":[...]; the table with @json_close
	 * closes it after its @json_after, so that several tables share it
	 */
	const char *json_open;
	bool json_close;
	/*
	 * optional: whether the layer recorded what the table shows; when it
	 * did not, the JSON is ,"<json_absent>":null in place of the table
	 * and of what @json_before and @json_after add
	 */
	bool (*recorded)(struct report *r, void *state);
	const char *json_absent;
};

extern const struct table_desc table_syscalls;
extern const struct table_desc table_oncpu;
extern const struct table_desc table_mounts;
extern const struct table_desc table_files;
extern const struct table_desc table_nonfiles;
extern const struct table_desc table_processes;
extern const struct table_desc table_uids;
extern const struct table_desc table_layer_time;
extern const struct table_desc table_errors;
extern const struct table_desc table_audit;
extern const struct table_desc table_slowest;
/* One row per reported call, for the CSV; it has no rows of its own */
extern const struct table_desc table_calls;

/* For the units that describe the tables (table.c, table-calls.c) */
#define COLS(t) .cols = t, .nr_cols = ARRAY_SIZE(t)
/* Rows over an array the report owns, in its order */
struct report_row *table_array_rows(void *base, size_t size, size_t nr, size_t *n);
/*
 * The --counters members: oncpu_ns, offcpu_ns, ctx_switches, major_faults,
 * minor_faults, instructions, cycles; null where not recorded
 */
void table_json_counts(struct strbuf *sb, unsigned int rec_mask, unsigned int mask,
		       uint64_t latency, const uint64_t *ctr);

/* How many of @n rows @limit lets a view show */
size_t table_limit(struct report *r, enum table_limit limit, size_t n);

/* "1000(alice)", "1000", or "?" when @uid is below 0 */
const char *table_user_str(char *buf, size_t size, const struct model *m, long uid);
/* The name of @err, "?" when it has none */
const char *table_errno_str(int err);

#endif /* FTIO_REPORT_TABLE_H */
