// SPDX-License-Identifier: GPL-2.0
/*
 * The perf transport (see transport.h): where tracefs instances are
 * refused, the same tracepoints are opened with perf_event_open() and
 * read from mmap'd rings (perf-source.c).  Both sessions share one set
 * of rings; tracefs is still read for the event formats.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "record/perf-source.h"
#include "record/recorder.h"
#include "record/session.h"
#include "record/transport.h"
#include "lib/util.h"

static struct session *perf_open(struct transport *t, const char *suffix,
				 const struct record_opts *o, bool *forbidden)
{
	struct session *s;

	(void)forbidden;
	if (transport_ensure_rings(t, o))
		return NULL;
	/* the "_async" session is system-wide: its events are not the traced threads' */
	s = session_new_perf(suffix, t->ps, suffix != NULL);
	if (!s)
		error("cannot read the event formats in '%s/events': %s (the perf backend "
		      "still needs tracefs readable)", session_tracefs_dir(), strerror(errno));
	return s;
}

/* perf events are opened for the threads they follow */
static void perf_follow(struct transport *t, const pid_t *pids, size_t n)
{
	if (n)
		session_set_pids(t->inst[0].s, pids, n, true);
}

static int perf_start(struct transport *t, struct chunk_writer *w)
{
	return transport_start_rings(t, w);
}

static int perf_arm(struct transport *t)
{
	/* the unfiltered session first, so the filtered one's events find their partners */
	for (int i = t->nr_inst; i-- > 0;) {
		if (session_tracing_on(t->inst[i].s, true)) {
			error("cannot turn tracing on in '%s': %s", t->inst[i].s->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void perf_disarm(struct transport *t)
{
	/* turns every event of the shared rings off, the counters' too */
	for (int i = 0; i < t->nr_inst; i++)
		session_tracing_on(t->inst[i].s, false);
}

static int perf_drain(struct transport *t, int ret)
{
	return transport_stop_rings(t, ret);
}

static void perf_stats(struct transport *t, uint64_t *events, uint64_t *lost,
		       struct strbuf *attr)
{
	transport_ring_stats(t, events, lost, attr);
}

const struct transport_ops perf_transport = {
	.name = "perf",
	.open = perf_open,
	.follow = perf_follow,
	.start = perf_start,
	.arm = perf_arm,
	.disarm = perf_disarm,
	.drain = perf_drain,
	.stats = perf_stats,
};
