// SPDX-License-Identifier: GPL-2.0
/*
 * Log-linear latency histogram: a value's power of two picks a group of
 * 128 counters and the next 7 bits below its top bit pick the counter, so
 * finding a bucket is one count-leading-zeros and a shift, and the add
 * that every traced call pays is a few instructions with no allocation
 * once its group exists.  Everything that walks buckets (percentiles,
 * iteration, merge) runs at report time and may be slower.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ftio/hist.h>

#define SUB_MASK	(HIST_SUB - 1)

static inline bool group_is_wide(const struct hist *h, unsigned int g)
{
	return (h->wide >> g) & 1;
}

static inline void hist_index(uint64_t v, unsigned int *g, unsigned int *s)
{
	/* bit length, at least 7 so that values below 128 share group 0 */
	unsigned int bits = 64 - __builtin_clzll(v | SUB_MASK);
	unsigned int grp = bits - HIST_SUB_BITS;

	/* groups 0 and 1 are both 1 wide: 0..127 and 128..255 */
	*g = grp;
	*s = (v >> (grp - (grp != 0))) & SUB_MASK;
}

static uint64_t bucket_lo(unsigned int g, unsigned int s)
{
	return g ? (uint64_t)(HIST_SUB + s) << (g - 1) : s;
}

/* The last value in the bucket: the top bucket ends at UINT64_MAX itself */
static uint64_t bucket_last(unsigned int g, unsigned int s)
{
	return g ? bucket_lo(g, s) + ((1ULL << (g - 1)) - 1) : s;
}

/* Exclusive end for the callbacks, saturated at the top of the range */
static uint64_t end_of(uint64_t last)
{
	return last == UINT64_MAX ? UINT64_MAX : last + 1;
}

static uint64_t bucket_get(const struct hist *h, unsigned int g, unsigned int s)
{
	if (!h->group[g])
		return 0;
	if (group_is_wide(h, g))
		return ((const uint64_t *)h->group[g])[s];
	return ((const uint32_t *)h->group[g])[s];
}

static int group_alloc(struct hist *h, unsigned int g)
{
	if (!h->group[g]) {
		h->group[g] = calloc(HIST_SUB, sizeof(uint32_t));
		if (!h->group[g])
			return -ENOMEM;
	}
	return 0;
}

static int group_widen(struct hist *h, unsigned int g)
{
	uint32_t *narrow = h->group[g];
	uint64_t *w;

	if (group_is_wide(h, g))
		return 0;
	w = malloc(HIST_SUB * sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (unsigned int s = 0; s < HIST_SUB; s++)
		w[s] = narrow ? narrow[s] : 0;
	free(narrow);
	h->group[g] = w;
	h->wide |= 1ULL << g;
	return 0;
}

/* A group's first value, a 32-bit counter that would overflow, or a wide group */
static int __attribute__((noinline)) bucket_add_slow(struct hist *h, unsigned int g,
						     unsigned int s, uint64_t n)
{
	int err = group_alloc(h, g);

	if (err)
		return err;
	if (!group_is_wide(h, g)) {
		uint32_t *c = h->group[g];

		if (n <= UINT32_MAX - c[s]) {
			c[s] += n;
			return 0;
		}
		err = group_widen(h, g);
		if (err)
			return err;
	}
	/* cannot overflow: a bucket never holds more than the total count */
	((uint64_t *)h->group[g])[s] += n;
	return 0;
}

static inline uint64_t add_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static inline int add_n(struct hist *h, uint64_t v, uint64_t n)
{
	unsigned int g, s;
	uint32_t *c;
	uint64_t count, vn;

	if (__builtin_add_overflow(h->count, n, &count))
		return -EOVERFLOW;
	hist_index(v, &g, &s);
	c = h->group[g];
	if (__builtin_expect(c && !group_is_wide(h, g) && n <= UINT32_MAX - c[s], 1)) {
		c[s] += n;
	} else {
		int err = bucket_add_slow(h, g, s, n);

		if (err)
			return err;
	}
	h->count = count;
	if (__builtin_mul_overflow(v, n, &vn))
		vn = UINT64_MAX;
	h->sum = add_sat(h->sum, vn);
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	return 0;
}

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_release(struct hist *h)
{
	for (unsigned int g = 0; g < HIST_GROUPS; g++)
		free(h->group[g]);
	hist_init(h);
}

int hist_add(struct hist *h, uint64_t v)
{
	return add_n(h, v, 1);
}

int hist_add_n(struct hist *h, uint64_t v, uint64_t n)
{
	if (!n)
		return 0;
	return add_n(h, v, n);
}

int hist_merge(struct hist *dst, const struct hist *src)
{
	uint64_t count;
	int err;

	if (__builtin_add_overflow(dst->count, src->count, &count))
		return -EOVERFLOW;

	/*
	 * Allocate and widen everything first so that running out of memory
	 * leaves @dst's values as they were.  When @src is @dst, widening a
	 * group changes @src's too, which the reads below allow for.
	 */
	for (unsigned int g = 0; g < HIST_GROUPS; g++) {
		if (!src->group[g])
			continue;
		err = group_alloc(dst, g);
		if (err)
			return err;
		for (unsigned int s = 0; s < HIST_SUB && !group_is_wide(dst, g); s++) {
			if (bucket_get(dst, g, s) + bucket_get(src, g, s) > UINT32_MAX) {
				err = group_widen(dst, g);
				if (err)
					return err;
			}
		}
	}

	for (unsigned int g = 0; g < HIST_GROUPS; g++) {
		if (!src->group[g])
			continue;
		for (unsigned int s = 0; s < HIST_SUB; s++) {
			uint64_t n = bucket_get(src, g, s);

			if (group_is_wide(dst, g))
				((uint64_t *)dst->group[g])[s] += n;
			else
				((uint32_t *)dst->group[g])[s] += n;
		}
	}
	dst->count = count;
	dst->sum = add_sat(dst->sum, src->sum);
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	return 0;
}

uint64_t hist_count(const struct hist *h)
{
	return h->count;
}

uint64_t hist_sum(const struct hist *h)
{
	return h->sum;
}

uint64_t hist_min(const struct hist *h)
{
	return h->count ? h->min : 0;
}

uint64_t hist_max(const struct hist *h)
{
	return h->max;
}

uint64_t hist_percentile(const struct hist *h, double pct)
{
	uint64_t rank, cum = 0;
	double x;

	if (!h->count)
		return 0;
	if (!(pct > 0))
		return h->min;
	if (pct >= 100)
		return h->max;

	/*
	 * pct / 100 * count lands a few ulps past an integer when the exact
	 * product is one (99.9% of 1000), and ceil() would then take the next
	 * rank; pull it back by more than that rounding error.
	 */
	x = pct / 100 * (double)h->count;
	x -= x * 1e-14;
	if (x >= (double)h->count)
		return h->max;
	rank = (uint64_t)x;
	if ((double)rank < x)
		rank++;
	if (rank <= 1)
		return h->min;
	if (rank >= h->count)
		return h->max;

	for (unsigned int g = 0; g < HIST_GROUPS; g++) {
		if (!h->group[g])
			continue;
		for (unsigned int s = 0; s < HIST_SUB; s++) {
			uint64_t lo, last, mid;

			cum += bucket_get(h, g, s);
			if (cum < rank)
				continue;
			lo = bucket_lo(g, s);
			last = bucket_last(g, s);
			mid = lo + (last - lo) / 2;
			if (mid < h->min)
				return h->min;
			if (mid > h->max)
				return h->max;
			return mid;
		}
	}
	return h->max;	/* not reached while count is the sum of the buckets */
}

void hist_for_each_log2(const struct hist *h,
			void (*cb)(uint64_t lo, uint64_t hi, uint64_t count, void *arg),
			void *arg)
{
	/* group 0 holds the slots [0, 1), [1, 2) ... [64, 128) */
	if (h->group[0]) {
		uint64_t n = bucket_get(h, 0, 0);

		if (n)
			cb(0, 1, n, arg);
		for (unsigned int k = 0; k < HIST_SUB_BITS; k++) {
			n = 0;
			for (unsigned int s = 1u << k; s < 2u << k; s++)
				n += bucket_get(h, 0, s);
			if (n)
				cb(1ULL << k, 2ULL << k, n, arg);
		}
	}
	for (unsigned int g = 1; g < HIST_GROUPS; g++) {
		uint64_t n = 0;

		if (!h->group[g])
			continue;
		for (unsigned int s = 0; s < HIST_SUB; s++)
			n += bucket_get(h, g, s);
		if (n)
			cb(bucket_lo(g, 0), end_of(bucket_last(g, SUB_MASK)), n, arg);
	}
}

void hist_for_each_bucket(const struct hist *h,
			  void (*cb)(uint64_t lo, uint64_t hi, uint64_t count, void *arg),
			  void *arg)
{
	for (unsigned int g = 0; g < HIST_GROUPS; g++) {
		if (!h->group[g])
			continue;
		for (unsigned int s = 0; s < HIST_SUB; s++) {
			uint64_t n = bucket_get(h, g, s);

			if (n)
				cb(bucket_lo(g, s), end_of(bucket_last(g, s)), n, arg);
		}
	}
}

size_t hist_footprint(const struct hist *h)
{
	size_t bytes = sizeof(*h);

	for (unsigned int g = 0; g < HIST_GROUPS; g++) {
		if (!h->group[g])
			continue;
		bytes += HIST_SUB * (group_is_wide(h, g) ? sizeof(uint64_t) : sizeof(uint32_t));
	}
	return bytes;
}
