/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counter names for --counters, encoded by libpfm4 (the perf_event OS
 * layer), never by a table of our own: "task-clock", "major-faults",
 * "instructions", or a PMU's raw names on a board ("armv8_pmuv3::...").
 */
#ifndef FTIO_RECORD_COUNTERS_H
#define FTIO_RECORD_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/perf_event.h>

#include <ftio/counters.h>

struct counter_spec {
	char *name;		/* as asked for, lower case */
	char *full;		/* libpfm4's full name: "perf::PERF_COUNT_SW_TASK_CLOCK:u=1:k=1" */
	struct perf_event_attr attr;
};

/*
 * counters_parse - encode the comma-separated @list
 * Returns 0, or -ENOENT with *@err (malloc'd) naming the unknown counter
 * and libpfm4's closest names, or another -errno.
 */
int counters_parse(const char *list, struct counter_spec **out, size_t *n, char **err);
void counters_free(struct counter_spec *c, size_t n);

/*
 * counter_key - the report's name for what a counter measures, from its
 * perf type and config: "oncpu_ns" (task-clock), "ctx_switches",
 * "major_faults", "minor_faults", "instructions", "cycles"; NULL for others
 */
const char *counter_key(uint32_t type, uint64_t config);

#endif /* FTIO_RECORD_COUNTERS_H */
