// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the per_cpu/cpuN/stats text stored in STATS chunks.  The
 * instance is created fresh for each recording, so its counters start at
 * zero and the last sample is the whole recording's total.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

int ring_stats_last(const struct recording *r, const char *prefix, int cpu,
		    struct cpu_ring_stats *st)
{
	char name[64];
	const char *text;

	snprintf(name, sizeof(name), "%scpu%d", prefix, cpu);
	text = recording_attr(r, name);
	memset(st, 0, sizeof(*st));
	if (!text)
		return -ENOENT;
	for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		unsigned long long v;

		if (sscanf(line, "overrun: %llu", &v) == 1)
			st->overrun = v;
		else if (sscanf(line, "commit overrun: %llu", &v) == 1)
			st->commit_overrun = v;
		else if (sscanf(line, "dropped events: %llu", &v) == 1)
			st->dropped = v;
		else if (sscanf(line, "read events: %llu", &v) == 1)
			st->read = v;
		else if (sscanf(line, "entries: %llu", &v) == 1)
			st->entries = v;
	}
	return 0;
}

uint64_t ring_stats_lost(const struct recording *r, int ncpus)
{
	uint64_t lost = 0;

	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct cpu_ring_stats st;

		if (!ring_stats_last(r, "stats/", cpu, &st))
			lost += st.overrun + st.dropped + st.commit_overrun;
		if (!ring_stats_last(r, "stats/async/", cpu, &st))
			lost += st.overrun + st.dropped + st.commit_overrun;
	}
	return lost;
}
