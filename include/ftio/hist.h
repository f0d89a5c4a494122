/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A log-linear (HDR-style) latency histogram over the whole u64 range, for
 * the per-syscall, per-file and per-process latency columns of the reports.
 * Each power of two is split into 128 linear sub-buckets, so a reported
 * percentile is within 1/256 of the true value (and values below 256 are
 * exact), while count, sum, min and max are kept exactly on the side.
 * Sub-bucket groups are allocated only when a value first lands in their
 * power of two; an empty histogram is just this struct.
 *
 * Invariants: count is the sum of all bucket counts; min and max are exact
 * (min is UINT64_MAX and max 0 while empty, but the getters return 0).
 * A struct hist owns its groups, so copying one by assignment would share
 * them: copy with hist_merge() into an empty one.  It is not thread-safe.
 */
#ifndef FTIO_HIST_H
#define FTIO_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS	7
#define HIST_SUB	(1u << HIST_SUB_BITS)	/* sub-buckets per power of two */
/* group 0 is [0, 128) at width 1, group g >= 1 is [2^(g+6), 2^(g+7)) */
#define HIST_GROUPS	(64 - HIST_SUB_BITS + 1)

struct hist {
	uint64_t count;
	uint64_t sum;		/* saturates at UINT64_MAX */
	uint64_t min;
	uint64_t max;
	/*
	 * A group's counters are uint32_t[HIST_SUB] until one would overflow,
	 * then uint64_t[HIST_SUB] and its bit in @wide is set: that halves
	 * the memory of real histograms at the cost of one test on the add.
	 */
	uint64_t wide;
	void *group[HIST_GROUPS];
};

#define HIST_INIT { .min = UINT64_MAX }

/**
 * hist_init - make @h an empty histogram
 * @h: histogram, usually embedded in another object
 *
 * Allocates nothing, so it cannot fail.  HIST_INIT does the same statically.
 */
void hist_init(struct hist *h);

/**
 * hist_release - free the buckets of @h
 * @h: histogram
 *
 * @h is left empty and may be used again; releasing it twice is harmless.
 */
void hist_release(struct hist *h);

/**
 * hist_add - record one value
 * @h: histogram
 * @v: value, usually nanoseconds
 *
 * Allocates only the first time a value lands in its power of two.
 *
 * Returns 0, -ENOMEM (then @h is unchanged) or, after 2^64 values,
 * -EOVERFLOW.
 */
int hist_add(struct hist *h, uint64_t v);

/**
 * hist_add_n - record @n occurrences of one value
 * @h: histogram
 * @v: value
 * @n: how many times; 0 changes nothing, not even min and max
 *
 * Returns 0, -ENOMEM, or -EOVERFLOW if the total count would pass
 * UINT64_MAX; on error @h is unchanged.
 */
int hist_add_n(struct hist *h, uint64_t v, uint64_t n);

/**
 * hist_merge - add every value recorded in @src to @dst
 * @dst: histogram that grows
 * @src: histogram left unchanged (it may be @dst itself)
 *
 * The result is the same as if every value had been added to @dst.
 *
 * Returns 0, -ENOMEM or -EOVERFLOW; on error @dst holds the same values
 * as before (it may have gained empty buckets).
 */
int hist_merge(struct hist *dst, const struct hist *src);

/* Exact statistics; all are 0 for an empty histogram */
uint64_t hist_count(const struct hist *h);
uint64_t hist_sum(const struct hist *h);
uint64_t hist_min(const struct hist *h);
uint64_t hist_max(const struct hist *h);

/**
 * hist_percentile - the value at a percentile, by nearest rank
 * @h: histogram
 * @pct: percentile in [0, 100]; values outside (and NaN) are clamped
 *
 * Takes the value of rank ceil(@pct / 100 * count) in sorted order, and
 * reports the middle of its bucket clamped into [min, max]: the relative
 * error is at most 1/256, values below 256 are exact, p0 is exactly the
 * minimum and p100 exactly the maximum.  Walks the buckets, so its cost
 * is a few microseconds, not a lookup.
 *
 * Returns the value, or 0 for an empty histogram.
 */
uint64_t hist_percentile(const struct hist *h, double pct);

/**
 * hist_for_each_log2 - visit the non-empty power-of-two ranges
 * @h: histogram
 * @cb: called in increasing order for each non-empty range
 * @arg: passed to @cb
 *
 * The ranges are bcc's biolatency slots: [0, 1), [1, 2), [2, 4), [4, 8)
 * ... [2^63, UINT64_MAX].  Empty ranges are skipped, so a caller that
 * prints every slot fills the gaps from lo and hi.  @cb must not change @h.
 */
void hist_for_each_log2(const struct hist *h,
			void (*cb)(uint64_t lo, uint64_t hi, uint64_t count, void *arg),
			void *arg);

/**
 * hist_for_each_bucket - visit the non-empty fine buckets
 * @h: histogram
 * @cb: called in increasing order for each non-empty bucket
 * @arg: passed to @cb
 *
 * Buckets are 1 wide below 256, then 1/128 of their power of two.  The
 * top bucket's hi is UINT64_MAX and it includes UINT64_MAX.  @cb must not
 * change @h.
 */
void hist_for_each_bucket(const struct hist *h,
			  void (*cb)(uint64_t lo, uint64_t hi, uint64_t count, void *arg),
			  void *arg);

/**
 * hist_footprint - bytes used by @h, itself and its buckets
 * @h: histogram
 *
 * Returns the size, not counting allocator overhead.
 */
size_t hist_footprint(const struct hist *h);

#endif /* FTIO_HIST_H */
