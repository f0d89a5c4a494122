/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency heatmaps with bounded memory: time on one axis (fixed columns
 * whose width doubles as the capture grows, so any duration fits in
 * HEATMAP_COLS columns), log-linear latency on the other (four rows per
 * power of two from 128ns to 137s), a count per cell.  Every map of a
 * set shares the time axis, so a column means the same window in each
 * map, and folding (merging column pairs when the width doubles) keeps
 * every count: the sum of a map's cells is always the number of timed
 * values added to it.  Beside the cells each column keeps exact totals
 * (values, errors, sum and maximum latency) so that views can rebuild a
 * table for any window.  The views (HTML, SVG) read the cells; nothing
 * here allocates per value, and a map costs at most
 * HEATMAP_COLS * HEATMAP_ROWS * 4 bytes plus its column totals.
 */
#ifndef FTIO_HEATMAP_H
#define FTIO_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEATMAP_COLS		200	/* columns kept; after folding, 100 to 200 are in use */
#define HEATMAP_MIN_WIDTH	1000ULL	/* ns: the first column width, 1us */
#define HEATMAP_SUB_BITS	2	/* 4 rows per power of two */
#define HEATMAP_MIN_SHIFT	7	/* row 0 is [0, 128ns) */
#define HEATMAP_MAX_SHIFT	37	/* the last row is [2^37ns = 137s, inf) */
#define HEATMAP_ROWS	(2 + (HEATMAP_MAX_SHIFT - HEATMAP_MIN_SHIFT) * (1 << HEATMAP_SUB_BITS))

/* struct heatmap_col - exact totals of one column, timed or not */
struct heatmap_col {
	uint64_t n;		/* values, including untimed ones */
	uint64_t errors;
	uint64_t sum_ns;	/* timed values only */
	uint64_t max_ns;
};

/*
 * struct heatmap - one map of a set (a syscall, a mount, a device).
 * @cells[c] is NULL until a timed value lands in column c.
 */
struct heatmap {
	uint32_t *cells[HEATMAP_COLS];
	struct heatmap_col cols[HEATMAP_COLS];
	uint64_t timed, untimed;
	/* a timed value under 2^HEATMAP_MIN_SHIFT or over the last row's floor is in row 0 or the last */
};

/*
 * struct heatmap_set - the maps sharing one time axis.  @t0 is in the
 * caller's clock (event time); values before it land in column 0 and are
 * counted in @early.  @fold, when set, is called after the width doubled
 * so that the caller can merge its own per-column data the same way
 * (column 2i and 2i + 1 into i).
 */
struct heatmap_set {
	uint64_t t0;
	uint64_t width;		/* ns per column: HEATMAP_MIN_WIDTH times a power of two */
	unsigned int ncols;	/* columns up to the last one used */
	uint64_t early;
	struct heatmap **maps;
	size_t nr_maps;
	void (*fold)(void *arg);
	void *fold_arg;
};

/**
 * heatmap_set_init - an empty set whose column 0 starts at @t0
 * @s: the set, usually embedded
 * @t0: start of the time axis, in the clock of the times given later
 */
void heatmap_set_init(struct heatmap_set *s, uint64_t t0);

/**
 * heatmap_set_release - free every map of @s (and their cells)
 * @s: the set; it may be initialized again
 */
void heatmap_set_release(struct heatmap_set *s);

/**
 * heatmap_set_new_map - add an empty map to @s
 * @s: the set
 *
 * Returns the map, owned by @s and freed by heatmap_set_release().
 */
struct heatmap *heatmap_set_new_map(struct heatmap_set *s);

/**
 * heatmap_set_column - the column of time @t, widening the axis if needed
 * @s: the set
 * @t: a time in the clock of @s->t0
 *
 * Doubles the width (folding every map, then calling @s->fold) as many
 * times as needed for @t to fit.  Returns the column, in [0, HEATMAP_COLS).
 */
unsigned int heatmap_set_column(struct heatmap_set *s, uint64_t t);

/**
 * heatmap_add - count one value in column @col
 * @h: the map
 * @col: a column that heatmap_set_column() returned since the last fold
 * @latency_ns: the value
 * @timed: false when the latency is not trusted: only the column totals count it
 * @error: whether the call failed
 */
void heatmap_add(struct heatmap *h, unsigned int col, uint64_t latency_ns, bool timed, bool error);

/* The row of @ns, and the bounds [lo, hi) of a row (hi is UINT64_MAX for the last) */
unsigned int heatmap_row(uint64_t ns);
uint64_t heatmap_row_lo(unsigned int row);
uint64_t heatmap_row_hi(unsigned int row);

/* The count of a cell; 0 for columns never used */
static inline uint32_t heatmap_cell(const struct heatmap *h, unsigned int col, unsigned int row)
{
	return h->cells[col] ? h->cells[col][row] : 0;
}

#endif /* FTIO_HEATMAP_H */
