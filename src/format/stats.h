/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU ring-buffer statistics as recorded in STATS chunks: the kernel's
 * own count of lost events (overrun in overwrite mode, dropped otherwise),
 * which the reports add to the losses the decoder sees in-band.
 */
#ifndef FTIO_STATS_H
#define FTIO_STATS_H

#include <stdint.h>

#include "format/recording.h"

struct cpu_ring_stats {
	uint64_t overrun;
	uint64_t dropped;
	uint64_t read;
	uint64_t entries;
	uint64_t commit_overrun;
};

/*
 * ring_stats_last - the last recorded statistics of @cpu in the instance
 * whose attributes start with @prefix ("stats/" or "stats/async/")
 * Returns 0, or -ENOENT when the recording holds none for that CPU.
 */
int ring_stats_last(const struct recording *r, const char *prefix, int cpu,
		    struct cpu_ring_stats *st);

/* Events the kernel reports lost over the whole recording, all CPUs */
uint64_t ring_stats_lost(const struct recording *r);

#endif /* FTIO_STATS_H */
