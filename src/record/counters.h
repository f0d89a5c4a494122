/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counter names for --counters, encoded by libpfm4 (the perf_event OS
 * layer), never by a table of our own: "task-clock", "major-faults",
 * "instructions", or a PMU's raw names on a board ("armv8_pmuv3::...").
 */
#ifndef FTIO_COUNTERS_H
#define FTIO_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/perf_event.h>

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
 * The samplers of a --counters group, in the order of their values in a
 * sample: a syscall's enter and exit read the group, and so does every
 * switch away from the thread, so that a call that migrates between CPUs
 * still adds up (the counters count per thread and CPU)
 */
enum counter_sampler { COUNTER_ENTER, COUNTER_EXIT, COUNTER_SWITCH, COUNTER_SAMPLERS };
extern const char *const counter_samplers[COUNTER_SAMPLERS][2];

/* One line of a recording's "perf/counters": "<value index> <key> <name>" */
struct counter_desc {
	int index;		/* in a group sample's values, increasing */
	char key[32];		/* the report's name ("oncpu_ns"), or the counter's */
	char name[64];		/* as given to --counters */
};
/* Parses @text (NULL: none) into at most @max; returns how many */
int counters_desc_parse(const char *text, struct counter_desc *out, int max);

/*
 * counter_key - the report's name for what a counter measures, from its
 * perf type and config: "oncpu_ns" (task-clock), "ctx_switches",
 * "major_faults", "minor_faults", "instructions", "cycles"; NULL for others
 */
const char *counter_key(uint32_t type, uint64_t config);

#endif /* FTIO_COUNTERS_H */
