/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The --counters of a recording as the report reads them: which events
 * sample a thread's counter group, and the recording's "perf/counters"
 * attribute that says which value of a sample is which counter.  The
 * recorder writes both (src/record/counters.h encodes the counters).
 */
#ifndef FTIO_COUNTERS_H
#define FTIO_COUNTERS_H

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

#endif /* FTIO_COUNTERS_H */
