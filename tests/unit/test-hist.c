// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the latency histogram: on generated data (uniform, log-normal,
 * bimodal, constant, values near UINT64_MAX and spread over the whole u64
 * range) every percentile must be within 1% of the exact nearest-rank
 * value found by sorting, values below 256 and the count, sum, min and max
 * must be exact, a merge must equal adding everything to one histogram,
 * both iterations must account for every value, and empty, released and
 * overflowing histograms must behave as documented.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftio/hist.h>
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define NVALS 100000
/* generators and callbacks share one signature but not every argument */
#define maybe_unused __attribute__((unused))

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* splitmix64: deterministic, so a failure reproduces */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rnd_unit(void)
{
	return ((rnd() >> 11) + 0.5) * 0x1p-53;
}

static double rnd_normal(void)
{
	return sqrt(-2 * log(rnd_unit())) * cos(2 * M_PI * rnd_unit());
}

static uint64_t rnd_lognormal(double median, double sigma)
{
	double v = median * exp(sigma * rnd_normal());

	return v >= 0x1p64 ? UINT64_MAX : (uint64_t)v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* nearest rank for pm thousandths, in integers so it cannot round */
static uint64_t exact_pm(const uint64_t *sorted, uint64_t n, unsigned int pm)
{
	uint64_t rank = (pm * n + 999) / 1000;

	return sorted[rank ? rank - 1 : 0];
}

static double rel_err(uint64_t got, uint64_t want)
{
	double d = got > want ? (double)(got - want) : (double)(want - got);

	return want ? d / (double)want : (got ? INFINITY : 0);
}

static double worst_err;

struct dataset {
	const char *name;
	uint64_t (*gen)(uint64_t i);
	uint64_t n;
	bool exact;	/* every percentile exact: values below 256, or one value */
};

static uint64_t gen_uniform(maybe_unused uint64_t i)
{
	return rnd() % 10000000;	/* 0..10 ms */
}

static uint64_t gen_lognormal(maybe_unused uint64_t i)
{
	return rnd_lognormal(20000, 1.5);
}

static uint64_t gen_bimodal(maybe_unused uint64_t i)
{
	/* page-cache hits around 3 us, disk reads around 8 ms */
	return rnd() % 10 ? rnd_lognormal(3000, 0.3) : rnd_lognormal(8000000, 0.5);
}

/* one above the middle of its bucket, one below: min and max clamp both ways */
static uint64_t gen_constant(maybe_unused uint64_t i)
{
	return 123456789;
}

static uint64_t gen_constant_high(maybe_unused uint64_t i)
{
	return 123470823;
}

static uint64_t gen_huge(uint64_t i)
{
	return i % 97 ? UINT64_MAX - rnd() % (1ULL << 50) : UINT64_MAX;
}

static uint64_t gen_full_range(maybe_unused uint64_t i)
{
	return rnd() >> (rnd() % 64);
}

static uint64_t gen_pow2_edges(maybe_unused uint64_t i)
{
	uint64_t p = 1ULL << (rnd() % 64);

	return p + (rnd() % 3) - 1;
}

static uint64_t gen_small(maybe_unused uint64_t i)
{
	return rnd() % 256;
}

static uint64_t gen_sequence(uint64_t i)
{
	return i;
}

static const struct dataset datasets[] = {
	{ "uniform", gen_uniform, NVALS, false },
	{ "log-normal", gen_lognormal, NVALS, false },
	{ "bimodal", gen_bimodal, NVALS, false },
	{ "constant", gen_constant, 1001, true },
	{ "constant above its bucket's middle", gen_constant_high, 999, true },
	{ "near UINT64_MAX", gen_huge, NVALS, false },
	{ "whole u64 range", gen_full_range, NVALS, false },
	{ "powers of two +-1", gen_pow2_edges, 10000, false },
	{ "small", gen_small, NVALS, true },
	/* distinct values: every rank differs, so the rank rule itself is checked */
	{ "0..199", gen_sequence, 200, true },
	{ "0..249", gen_sequence, 250, true },
	{ "0..6", gen_sequence, 7, true },
	{ "0", gen_sequence, 1, true },
};

static uint64_t *fill(struct hist *h, const struct dataset *d)
{
	uint64_t *v = malloc(d->n * sizeof(*v));
	int err = 0;

	for (uint64_t i = 0; i < d->n; i++) {
		v[i] = d->gen(i);
		err |= hist_add(h, v[i]);
	}
	ok(!err, "%s: every add succeeds", d->name);
	return v;
}

static void check_dataset(const struct dataset *d)
{
	static const unsigned int named[] = { 500, 900, 990, 999 };
	struct hist h;
	uint64_t *v, sum = 0;
	double err, max_err = 0;
	unsigned int bad_pm = 0;

	hist_init(&h);
	v = fill(&h, d);
	for (uint64_t i = 0; i < d->n; i++)
		sum = sat_add(sum, v[i]);
	qsort(v, d->n, sizeof(*v), cmp_u64);

	ok(hist_count(&h) == d->n, "%s: count is exact", d->name);
	ok(hist_sum(&h) == sum, "%s: sum is exact (%llu, want %llu)", d->name,
	   (unsigned long long)hist_sum(&h), (unsigned long long)sum);
	ok(hist_min(&h) == v[0], "%s: min is exact", d->name);
	ok(hist_max(&h) == v[d->n - 1], "%s: max is exact", d->name);
	ok(hist_percentile(&h, 0) == v[0], "%s: p0 is the min", d->name);
	ok(hist_percentile(&h, 100) == v[d->n - 1], "%s: p100 is the max", d->name);

	for (size_t i = 0; i < N_ELEMS(named); i++) {
		uint64_t want = exact_pm(v, d->n, named[i]);
		uint64_t got = hist_percentile(&h, named[i] / 10.0);

		err = rel_err(got, want);
		ok(d->exact ? got == want : err <= 0.01, "%s: p%g = %llu, exact %llu, error %.4f%%",
		   d->name, named[i] / 10.0, (unsigned long long)got, (unsigned long long)want,
		   err * 100);
	}

	/* every tenth of a percent */
	for (unsigned int pm = 0; pm <= 1000; pm++) {
		err = rel_err(hist_percentile(&h, pm / 10.0), exact_pm(v, d->n, pm));
		if (err > max_err) {
			max_err = err;
			bad_pm = pm;
		}
	}
	if (d->exact)
		ok(max_err == 0, "%s: all percentiles exact (worst at p%g)", d->name,
		   bad_pm / 10.0);
	else
		ok(max_err <= 1.0 / 256, "%s: all percentiles within 1/256 (worst %.4f%% at p%g)",
		   d->name, max_err * 100, bad_pm / 10.0);
	if (max_err > worst_err)
		worst_err = max_err;

	hist_release(&h);
	free(v);
}

static void count_calls_cb(maybe_unused uint64_t lo, maybe_unused uint64_t hi,
			   maybe_unused uint64_t count, void *arg)
{
	*(uint64_t *)arg += 1;
}

static void test_empty(void)
{
	struct hist h;
	struct hist s = HIST_INIT;
	uint64_t calls = 0;

	hist_init(&h);
	ok(hist_count(&h) == 0 && hist_sum(&h) == 0, "empty: count and sum are 0");
	ok(hist_min(&h) == 0 && hist_max(&h) == 0, "empty: min and max are 0");
	ok(hist_percentile(&h, 0) == 0 && hist_percentile(&h, 50) == 0 &&
	   hist_percentile(&h, 100) == 0, "empty: percentiles are 0");
	hist_for_each_log2(&h, count_calls_cb, &calls);
	hist_for_each_bucket(&h, count_calls_cb, &calls);
	ok(calls == 0, "empty: iterations call nothing");
	ok(hist_footprint(&h) == sizeof(h) && sizeof(h) < 600, "empty: %zu bytes, all inline",
	   hist_footprint(&h));
	ok(!memcmp(&h, &s, sizeof(h)), "HIST_INIT equals hist_init");
	is_int(hist_add_n(&h, 42, 0), 0, "adding a value 0 times succeeds");
	ok(hist_count(&h) == 0 && hist_min(&h) == 0 && hist_max(&h) == 0,
	   "adding a value 0 times changes nothing");
	hist_release(&h);
}

struct seq_check {
	uint64_t next;
	bool good;
};

static void unit_bucket_cb(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	struct seq_check *c = arg;

	if (lo != c->next || hi != lo + 1 || count != lo + 1)
		c->good = false;
	c->next = hi;
}

static void test_exact_small(void)
{
	struct seq_check c = { 0, true };
	struct hist h;

	hist_init(&h);
	for (uint64_t v = 0; v < 256; v++)
		hist_add_n(&h, v, v + 1);
	hist_for_each_bucket(&h, unit_bucket_cb, &c);
	ok(c.good && c.next == 256, "values below 256 each get their own bucket");
	ok(hist_sum(&h) == 255ULL * 256 * 511 / 6 + 255ULL * 256 / 2, "add_n sums v * n");
	hist_release(&h);
}

struct bucket {
	uint64_t lo, hi, count;
};

struct bucket_list {
	struct bucket *b;
	size_t n, cap;
};

static void collect_cb(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	struct bucket_list *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->b = realloc(l->b, l->cap * sizeof(*l->b));
	}
	l->b[l->n++] = (struct bucket){ lo, hi, count };
}

static bool same_hist(const struct hist *a, const struct hist *b)
{
	struct bucket_list la = { 0 }, lb = { 0 };
	bool same;

	hist_for_each_bucket(a, collect_cb, &la);
	hist_for_each_bucket(b, collect_cb, &lb);
	same = la.n == lb.n && (!la.n || !memcmp(la.b, lb.b, la.n * sizeof(*la.b))) &&
	       hist_count(a) == hist_count(b) && hist_sum(a) == hist_sum(b) &&
	       hist_min(a) == hist_min(b) && hist_max(a) == hist_max(b);
	for (unsigned int pm = 0; pm <= 1000; pm++)
		same = same && hist_percentile(a, pm / 10.0) == hist_percentile(b, pm / 10.0);
	free(la.b);
	free(lb.b);
	return same;
}

static void test_merge(void)
{
	struct hist all, part[3], merged, copy;
	int err = 0;

	hist_init(&all);
	hist_init(&merged);
	hist_init(&copy);
	for (int i = 0; i < 3; i++)
		hist_init(&part[i]);
	for (int i = 0; i < NVALS; i++) {
		uint64_t v = i % 3 ? gen_lognormal(i) : gen_full_range(i);

		err |= hist_add(&all, v);
		err |= hist_add(&part[rnd() % 3], v);
	}
	for (int i = 0; i < 3; i++)
		err |= hist_merge(&merged, &part[i]);
	ok(!err, "merge: adds and merges succeed");
	ok(same_hist(&merged, &all), "merge: merging the parts equals adding everything to one");

	is_int(hist_merge(&copy, &all), 0, "merge into an empty histogram");
	ok(same_hist(&copy, &all), "merge: merging into empty copies");
	hist_release(&merged);
	is_int(hist_merge(&copy, &merged), 0, "merge an empty histogram");
	ok(same_hist(&copy, &all), "merge: merging empty changes nothing");

	is_int(hist_merge(&all, &all), 0, "merge a histogram into itself");
	for (int i = 0; i < 3; i++)
		hist_merge(&copy, &part[i]);
	ok(same_hist(&copy, &all), "merge: self-merge doubles every bucket");

	hist_release(&all);
	hist_release(&copy);
	for (int i = 0; i < 3; i++)
		hist_release(&part[i]);
}

static void test_wide_counters(void)
{
	struct hist h, g;
	struct bucket_list l = { 0 };
	size_t narrow;

	hist_init(&h);
	hist_init(&g);
	is_int(hist_add_n(&h, 100, UINT32_MAX), 0, "add 2^32 - 1 of one value");
	hist_add(&h, 200);
	narrow = hist_footprint(&h);
	is_int(hist_add(&h, 100), 0, "one more overflows a 32-bit counter");
	hist_for_each_bucket(&h, collect_cb, &l);
	ok(l.n == 2 && l.b[0].count == (1ULL << 32) && l.b[1].count == 1,
	   "a counter past 2^32 keeps counting");
	ok(hist_footprint(&h) == narrow + HIST_SUB * 4, "only that group went to 64 bits");
	ok(hist_percentile(&h, 99.9999) == 100 && hist_percentile(&h, 100) == 200,
	   "percentiles over a wide counter");

	hist_add_n(&g, 100, UINT32_MAX);
	is_int(hist_merge(&g, &g), 0, "merging two full 32-bit counters");
	l.n = 0;
	hist_for_each_bucket(&g, collect_cb, &l);
	ok(l.n == 1 && l.b[0].count == 2ULL * UINT32_MAX,
	   "merge widens a counter that would overflow");
	is_int(hist_merge(&g, &h), 0, "merge a wide group into a wide group");
	ok(hist_count(&g) == 3ULL * UINT32_MAX + 2, "count after merging wide groups");
	hist_release(&g);
	hist_init(&g);
	is_int(hist_merge(&g, &h), 0, "merge a wide group into an empty histogram");
	ok(same_hist(&g, &h), "wide groups merge exactly");

	hist_release(&h);
	hist_release(&g);
	hist_add_n(&h, 5, UINT64_MAX);
	is_int(hist_add(&h, 5), -EOVERFLOW, "a count past UINT64_MAX is refused");
	ok(hist_count(&h) == UINT64_MAX && hist_max(&h) == 5, "the refused add changed nothing");
	hist_add(&g, 7);
	is_int(hist_merge(&h, &g), -EOVERFLOW, "merging past UINT64_MAX values is refused");
	ok(hist_count(&h) == UINT64_MAX && hist_max(&h) == 5, "the refused merge changed nothing");
	ok(hist_percentile(&h, 50) == 5, "p50 of 2^64 - 1 values");
	ok(hist_sum(&h) == UINT64_MAX, "sum saturates");
	hist_release(&h);
	hist_release(&g);
	free(l.b);
}

static void test_extremes(void)
{
	struct hist h;

	hist_init(&h);
	hist_add(&h, UINT64_MAX);
	ok(hist_percentile(&h, 50) == UINT64_MAX, "a lone UINT64_MAX is every percentile");
	hist_add(&h, 1);
	ok(hist_sum(&h) == UINT64_MAX, "sum saturates instead of wrapping");
	ok(hist_percentile(&h, 50) == 1 && hist_percentile(&h, 50.0001) == UINT64_MAX,
	   "two values split at p50");
	ok(hist_percentile(&h, -1) == 1 && hist_percentile(&h, NAN) == 1,
	   "negative and NaN percentiles clamp to the min");
	ok(hist_percentile(&h, 1e9) == UINT64_MAX && hist_percentile(&h, INFINITY) == UINT64_MAX,
	   "percentiles over 100 clamp to the max");
	hist_release(&h);
}

static void test_log2(void)
{
	struct bucket_list l = { 0 };
	uint64_t slot[65] = { 0 }, total = 0;
	struct hist h;
	bool good = true;

	hist_init(&h);
	for (int i = 0; i < NVALS; i++) {
		uint64_t v = gen_full_range(i);

		hist_add(&h, v);
		slot[v ? 64 - __builtin_clzll(v) : 0]++;
	}
	hist_for_each_log2(&h, collect_cb, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct bucket *b = &l.b[i];
		unsigned int k = b->lo ? 64 - __builtin_clzll(b->lo) : 0;

		total += b->count;
		if (b->lo & (b->lo - 1))
			good = false;			/* lo is 0 or a power of two */
		if (b->hi != (k == 64 ? UINT64_MAX : b->lo ? 2 * b->lo : 1))
			good = false;
		if (i && b->lo <= l.b[i - 1].lo)
			good = false;
		if (b->count != slot[k])
			good = false;
		slot[k] = 0;
	}
	for (int k = 0; k < 65; k++)
		good = good && !slot[k];
	ok(good, "log2: %zu ranges are [0,1), [1,2) ... [2^63, UINT64_MAX] with the right counts",
	   l.n);
	ok(total == hist_count(&h), "log2: counts sum to the count");
	ok(l.n == 65, "log2: every slot of the whole range is used");
	hist_release(&h);
	free(l.b);
}

static void test_buckets(void)
{
	struct bucket_list l = { 0 };
	uint64_t *v = malloc((NVALS + 1) * sizeof(*v)), total = 0;
	struct hist h;
	bool good = true;
	size_t j = 0;

	hist_init(&h);
	for (int i = 0; i < NVALS; i++)
		v[i] = i % 2 ? gen_full_range(i) : gen_bimodal(i);
	v[NVALS] = UINT64_MAX;
	for (int i = 0; i <= NVALS; i++)
		hist_add(&h, v[i]);
	qsort(v, NVALS + 1, sizeof(*v), cmp_u64);
	hist_for_each_bucket(&h, collect_cb, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct bucket *b = &l.b[i];
		bool top = b->hi == UINT64_MAX;	/* the top bucket holds UINT64_MAX too */
		uint64_t width = b->hi - b->lo + top, n = 0;

		total += b->count;
		if (b->hi <= b->lo || (i && b->lo < l.b[i - 1].hi))
			good = false;
		if (b->lo < 256 ? width != 1 : width > b->lo / 128)
			good = false;
		for (; j <= NVALS && v[j] >= b->lo && (v[j] < b->hi || top); j++)
			n++;
		if (n != b->count)
			good = false;
	}
	ok(good && j == NVALS + 1, "buckets: %zu buckets, at most 1/128 of their value wide, hold "
	   "exactly the values added", l.n);
	ok(total == hist_count(&h), "buckets: counts sum to the count");
	ok(l.n && l.b[l.n - 1].hi == UINT64_MAX, "buckets: the top bucket ends at UINT64_MAX");
	hist_release(&h);
	free(l.b);
	free(v);
}

static void test_memory(void)
{
	struct hist h;
	size_t bytes;

	hist_init(&h);
	for (int i = 0; i < NVALS; i++)
		hist_add(&h, rnd_lognormal(30000, 1.0));	/* ~1 us .. 1 ms */
	bytes = hist_footprint(&h);
	ok(bytes <= 8192, "memory: 1 us .. 1 ms latencies take %zu bytes", bytes);
	diag("footprint: empty %zu bytes, 1 us..1 ms log-normal %zu bytes", sizeof(struct hist),
	     bytes);
	hist_release(&h);
}

static void test_release(void)
{
	struct hist h;

	hist_init(&h);
	hist_add(&h, 10);
	hist_add(&h, 1000000);
	hist_release(&h);
	ok(hist_count(&h) == 0 && hist_max(&h) == 0 && hist_footprint(&h) == sizeof(h),
	   "release leaves an empty histogram");
	hist_release(&h);
	ok(1, "releasing twice is harmless");
	hist_init(&h);
	is_int(hist_add(&h, 77777), 0, "add after release and init");
	ok(hist_count(&h) == 1 && hist_min(&h) == 77777 && hist_percentile(&h, 50) == 77777,
	   "a re-used histogram starts from scratch");
	hist_release(&h);
}

int main(void)
{
	test_empty();
	test_exact_small();
	for (size_t i = 0; i < N_ELEMS(datasets); i++)
		check_dataset(&datasets[i]);
	diag("worst relative error over all data sets: %.4f%%", worst_err * 100);
	test_merge();
	test_wide_counters();
	test_extremes();
	test_log2();
	test_buckets();
	test_memory();
	test_release();
	return done_testing();
}
