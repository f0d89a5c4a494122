/* SPDX-License-Identifier: GPL-2.0 */
/* The plan's tracepoints enabled in a session; see events.c */
#ifndef FTIO_EVENTS_H
#define FTIO_EVENTS_H

struct rec_instance;
struct record_opts;
struct record_plan;
struct strbuf;

/**
 * events_enable() - enables the plan's events whose async flag is @async
 * @ri:		the session, whose nr_events counts them
 * @plan:	the layers' plan
 * @async:	0 or 1, or -1 for all of them
 * @o:		the options (-p's device)
 * @unavail:	gets each event this kernel lacks
 *
 * Returns 0, or -1 after printing why an existing event was refused.
 */
int events_enable(struct rec_instance *ri, const struct record_plan *plan, int async,
		  const struct record_opts *o, struct strbuf *unavail);

#endif /* FTIO_EVENTS_H */
