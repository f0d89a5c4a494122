// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the per_cpu/cpuN/stats text stored in STATS chunks.  The
 * instance is created fresh for each recording, so its counters start at
 * zero and the last sample is the whole recording's total.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <ftio/intmap.h>
#include "format/stats.h"

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

uint64_t ring_stats_lost(const struct recording *r)
{
	/*
	 * Walks the attributes once instead of asking for every CPU: a hostile
	 * meta/cpus of four billion must not become four billion lookups
	 * (a fuzzer timeout).  The last sample of each CPU counts.
	 */
	struct intmap last = INTMAP_INIT;
	uint64_t lost = 0, k;
	void *v;

	for (size_t i = 0; i < r->nr_attrs; i++) {
		const char *name = r->attrs[i].name;
		unsigned long cpu;
		uint64_t key;
		char *end;

		if (!strncmp(name, "stats/async/cpu", 15)) {
			cpu = strtoul(name + 15, &end, 10);
			key = 1ULL << 32 | cpu;
		} else if (!strncmp(name, "stats/cpu", 9)) {
			cpu = strtoul(name + 9, &end, 10);
			key = cpu;
		} else {
			continue;
		}
		if (*end || cpu >= 8192)
			continue;
		intmap_put(&last, key, r->attrs[i].value);
	}
	for (size_t i = 0; intmap_next(&last, &i, &k, &v);) {
		const char *text = v;
		unsigned long long n;

		for (const char *line = text; line && *line;
		     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
			if (sscanf(line, "overrun: %llu", &n) == 1 ||
			    sscanf(line, "commit overrun: %llu", &n) == 1 ||
			    sscanf(line, "dropped events: %llu", &n) == 1)
				lost = u64_add_sat(lost, n);
		}
	}
	intmap_release(&last);
	{
		/* the perf transport: "lost: <n>" in its own statistics */
		const char *perf = recording_attr(r, "stats/perf");
		const char *l = perf ? strstr(perf, "lost: ") : NULL;

		if (l)
			lost = u64_add_sat(lost, strtoull(l + 6, NULL, 10));
	}
	return lost;
}
