/* SPDX-License-Identifier: GPL-2.0 */
/* The --counters group on the perf rings; see counter-group.c */
#ifndef FTIO_COUNTER_GROUP_H
#define FTIO_COUNTER_GROUP_H

struct perf_source;
struct record_opts;
struct session;
struct strbuf;

/**
 * counter_group_open() - a counter group per traced thread and CPU
 * @ps:		the perf rings
 * @s:		the session that stores the samplers' formats
 * @o:		the options (counters and pids)
 * @meta:	gets "perf/counters" and "perf/counter_threads"
 * @strategy:	gets " counters=..."
 * @unavail:	gets each counter the kernel refused, with the reason
 *
 * The group is led by the syscall tracepoints; counters the kernel
 * refuses are left out.  Returns 0, or -1 after printing the error.
 */
int counter_group_open(struct perf_source *ps, struct session *s, const struct record_opts *o,
		       struct strbuf *meta, struct strbuf *strategy, struct strbuf *unavail);

#endif /* FTIO_COUNTER_GROUP_H */
