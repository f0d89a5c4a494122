// SPDX-License-Identifier: GPL-2.0
/*
 * Latency heatmaps (see heatmap.h).  Adding a value is a row computation
 * (a count-leading-zeros and a shift) and an increment; the only
 * allocation is a column's cells the first time a timed value lands in
 * it, so the cost does not depend on how many calls a capture holds.
 */
#include <stdlib.h>
#include <string.h>

#include "views/heatmap.h"
#include "lib/util.h"

#define SUB (1u << HEATMAP_SUB_BITS)

unsigned int heatmap_row(uint64_t ns)
{
	unsigned int k;

	if (ns < (1ULL << HEATMAP_MIN_SHIFT))
		return 0;
	k = 63 - __builtin_clzll(ns);
	if (k >= HEATMAP_MAX_SHIFT)
		return HEATMAP_ROWS - 1;
	return 1 + (k - HEATMAP_MIN_SHIFT) * SUB + ((ns >> (k - HEATMAP_SUB_BITS)) & (SUB - 1));
}

uint64_t heatmap_row_lo(unsigned int row)
{
	unsigned int k, sub;

	if (row == 0)
		return 0;
	if (row >= HEATMAP_ROWS - 1)
		return 1ULL << HEATMAP_MAX_SHIFT;
	k = HEATMAP_MIN_SHIFT + (row - 1) / SUB;
	sub = (row - 1) % SUB;
	return (uint64_t)(SUB + sub) << (k - HEATMAP_SUB_BITS);
}

uint64_t heatmap_row_hi(unsigned int row)
{
	if (row >= HEATMAP_ROWS - 1)
		return UINT64_MAX;
	return heatmap_row_lo(row + 1);
}

void heatmap_set_init(struct heatmap_set *s, uint64_t t0)
{
	memset(s, 0, sizeof(*s));
	s->t0 = t0;
	s->width = HEATMAP_MIN_WIDTH;
}

static void heatmap_free(struct heatmap *h)
{
	for (unsigned int c = 0; c < HEATMAP_COLS; c++)
		free(h->cells[c]);
	free(h);
}

void heatmap_set_release(struct heatmap_set *s)
{
	for (size_t i = 0; i < s->nr_maps; i++)
		heatmap_free(s->maps[i]);
	free(s->maps);
	s->maps = NULL;
	s->nr_maps = 0;
}

struct heatmap *heatmap_set_new_map(struct heatmap_set *s)
{
	struct heatmap *h = xcalloc(1, sizeof(*h));

	s->maps = xrealloc(s->maps, (s->nr_maps + 1) * sizeof(*s->maps));
	s->maps[s->nr_maps++] = h;
	return h;
}

static void col_merge(struct heatmap_col *dst, const struct heatmap_col *a,
		      const struct heatmap_col *b)
{
	struct heatmap_col m = {
		.n = a->n + b->n,
		.errors = a->errors + b->errors,
		.sum_ns = a->sum_ns + b->sum_ns,
		.max_ns = a->max_ns > b->max_ns ? a->max_ns : b->max_ns,
	};

	*dst = m;
}

/* Column 2i and 2i + 1 become column i; the upper half is left empty */
static void heatmap_fold(struct heatmap *h)
{
	for (unsigned int i = 0; i < HEATMAP_COLS / 2; i++) {
		uint32_t *a = h->cells[2 * i], *b = h->cells[2 * i + 1];

		if (a && b) {
			for (unsigned int r = 0; r < HEATMAP_ROWS; r++)
				a[r] += b[r];
			free(b);
		} else if (!a) {
			a = b;
		}
		h->cells[2 * i] = h->cells[2 * i + 1] = NULL;
		h->cells[i] = a;
		col_merge(&h->cols[i], &h->cols[2 * i], &h->cols[2 * i + 1]);
	}
	memset(&h->cols[HEATMAP_COLS / 2], 0, sizeof(h->cols) / 2);
}

unsigned int heatmap_set_column(struct heatmap_set *s, uint64_t t)
{
	uint64_t rel;
	unsigned int col;

	if (t < s->t0) {
		s->early++;
		t = s->t0;
	}
	rel = t - s->t0;
	while (rel / s->width >= HEATMAP_COLS) {
		for (size_t i = 0; i < s->nr_maps; i++)
			heatmap_fold(s->maps[i]);
		s->width *= 2;
		s->ncols = (s->ncols + 1) / 2;
		if (s->fold)
			s->fold(s->fold_arg);
	}
	col = rel / s->width;
	if (col + 1 > s->ncols)
		s->ncols = col + 1;
	return col;
}

void heatmap_add(struct heatmap *h, unsigned int col, uint64_t latency_ns, bool timed, bool error)
{
	struct heatmap_col *c = &h->cols[col];

	c->n++;
	if (error)
		c->errors++;
	if (!timed) {
		h->untimed++;
		return;
	}
	if (!h->cells[col])
		h->cells[col] = xcalloc(HEATMAP_ROWS, sizeof(uint32_t));
	h->cells[col][heatmap_row(latency_ns)]++;
	h->timed++;
	c->sum_ns += latency_ns;
	if (latency_ns > c->max_ns)
		c->max_ns = latency_ns;
}
