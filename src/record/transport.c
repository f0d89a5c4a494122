// SPDX-License-Identifier: GPL-2.0
/*
 * What the tracefs and perf transports share (see transport.h): the perf
 * rings, which are the perf transport itself and tracefs's --counters,
 * and closing the sessions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "format/chunk.h"
#include "record/cpu-reader.h"
#include "record/perf-source.h"
#include "record/recorder.h"
#include "record/session.h"
#include "record/transport.h"
#include "lib/util.h"

int transport_ensure_rings(struct transport *t, const struct record_opts *o)
{
	if (t->ps)
		return 0;
	t->ps = perf_source_new(sysconf(_SC_NPROCESSORS_CONF), o->buffer_kb);
	if (!t->ps) {
		error("cannot set up perf_event rings: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int transport_start_rings(struct transport *t, struct chunk_writer *w)
{
	int r;

	if (!t->ps)
		return 0;
	r = perf_source_start(t->ps, w, PERF_STREAM, FLUSH_MS);
	if (r) {
		error("cannot read the perf_event rings: %s", strerror(-r));
		return -1;
	}
	return 0;
}

int transport_stop_rings(struct transport *t, int ret)
{
	if (t->ps) {
		int r = perf_source_stop(t->ps);

		if (r && !ret) {
			error("cannot read the perf_event rings: %s", strerror(-r));
			ret = -1;
		}
	}
	return ret;
}

/* The perf rings' counts, added to @events and @lost; into @attr when given */
void transport_ring_stats(struct transport *t, uint64_t *events, uint64_t *lost,
			  struct strbuf *attr)
{
	struct perf_source_stats st;

	if (!t->ps)
		return;
	perf_source_get_stats(t->ps, &st);
	*events += st.samples;
	*lost += st.lost;
	if (attr)
		attr_addf(attr, "stats/perf", "samples: %llu\nlost: %llu\nbytes: %llu\nevents opened: %u\n",
			  (unsigned long long)st.samples, (unsigned long long)st.lost,
			  (unsigned long long)st.bytes, st.fds);
}

int transport_close(struct transport *t, int ret)
{
	/* perf events hold our uprobes: close them before the probes go */
	perf_source_free(t->ps);
	t->ps = NULL;
	for (int i = 0; i < 2; i++) {
		cpu_readers_free(t->inst[i].readers);
		t->inst[i].readers = NULL;
		if (t->inst[i].s) {
			char *name = xstrdup(t->inst[i].s->name);
			int r = session_destroy(t->inst[i].s);

			if (r && !ret) {
				error("cannot remove tracefs instance '%s': %s (run 'ftio reset')", name,
				      strerror(-r));
				ret = -1;
			}
			free(name);
			t->inst[i].s = NULL;
		}
	}
	return ret;
}
