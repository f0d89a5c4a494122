/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftio top's table: the calls of one interval folded by one key (file,
 * mount, process, uid or syscall) into rows of calls, errors, bytes,
 * total and p99 latency and the layer under them, then sorted, filtered
 * and laid out as text lines, for the screen (screen.c) and for plain
 * text alike.  An interval is filled on the chunk writer's thread and read
 * on the display's, never both at once (display.c hands it over).
 */
#ifndef FTIO_TOP_H
#define FTIO_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ftio/call.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/strmap.h>

#include "report/report.h"

enum top_key { TOP_FILE, TOP_MOUNT, TOP_PROCESS, TOP_UID, TOP_SYSCALL, TOP_KEYS };
enum top_sort { SORT_CALLS, SORT_ERRORS, SORT_BYTES, SORT_TOTAL, SORT_P99, SORT_KEY, TOP_SORTS };

extern const char *const top_key_names[TOP_KEYS];	/* "file", ... as --by takes them */
extern const char *const top_sort_names[TOP_SORTS];	/* "calls", ... as --sort takes them */

#define TOP_LAYERS 8

struct top_row {
	char *label;		/* the key as shown (unescaped), owned */
	char comm[16];		/* TOP_PROCESS: the latest name of the process */
	long id;		/* TOP_PROCESS: the pid */
	uint64_t calls, errors, bytes;
	uint64_t timed, total_ns;	/* calls not broken by lost events, their latency */
	struct hist lat;
	struct layer_time layers[TOP_LAYERS];
	unsigned int nr_layers;
};

struct top_interval {
	enum top_key key;
	struct strmap by_str;	/* TOP_FILE, TOP_MOUNT: label -> row */
	struct intmap by_int;	/* the others: pid, uid + 1, syscall name pointer -> row */
	uint64_t calls, errors, bytes;
	uint64_t start_ns, end_ns;	/* CLOCK_MONOTONIC, set by the display */
};

/* What the display shows of an interval: its order and its filters */
struct top_view {
	enum top_sort sort;
	bool reverse;		/* ascending instead of descending (names: the other way) */
	bool errors_only;
	const char *filter;	/* rows whose key contains it, or NULL */
};

struct top_interval *top_interval_new(enum top_key key);
void top_interval_free(struct top_interval *iv);
/* One call that passed the filters; @m names its uid (on the writer's thread) */
void top_interval_add(struct top_interval *iv, const struct call *c, const struct model *m);

/* The rows @v shows, sorted, as an array the caller frees; *@n their number */
struct top_row **top_rows(const struct top_interval *iv, const struct top_view *v, size_t *n);

/*
 * top_header - the column heads, with @key's last; top_line - one row.
 * @key_width is the key column's room (clipped at the front, as the
 * report clips paths), 0 for all of it.  Both append to @out, no newline.
 * top_sort_col() is where the head of @s starts in the header and its width.
 */
void top_header(struct strbuf *out, enum top_key key);
void top_line(struct strbuf *out, const struct top_row *row, enum top_key key, size_t key_width);
void top_sort_col(enum top_sort s, enum top_key key, size_t *start, size_t *width);
/* Width of everything before the key column */
size_t top_fixed_width(void);

#endif /* FTIO_TOP_H */
