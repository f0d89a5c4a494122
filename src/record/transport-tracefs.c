// SPDX-License-Identifier: GPL-2.0
/*
 * The tracefs transport (see transport.h): our own tracefs instances,
 * their ring buffers read page by page by the per-CPU readers.  With
 * --counters, perf_event rings run beside them for the counter groups.
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

static struct session *tracefs_open(struct transport *t, const char *suffix,
				    const struct record_opts *o, bool *forbidden)
{
	struct session *s = session_new(suffix);

	(void)t;
	if (!s && forbidden && (errno == EPERM || errno == EACCES || errno == EROFS)) {
		/* the caller falls back to perf_event */
		*forbidden = true;
		return NULL;
	}
	if (!s) {
		error("cannot create tracefs instance 'ftio_%d%s': %s", (int)getpid(),
		      suffix ? suffix : "", strerror(errno));
		return NULL;
	}
	if (session_set_clock(s, "mono") || session_set_buffer_kb(s, o->buffer_kb)) {
		error("cannot configure tracefs instance '%s': %s", s->name, strerror(errno));
		session_destroy(s);
		return NULL;
	}
	/* wake readers at a tenth full; they poll with a timeout anyway */
	session_write(s, "buffer_percent", "10");
	/* "_async": unfiltered, ftio's own threads included (see session_notrace_pid) */
	s->system_wide = suffix != NULL;
	return s;
}

/* set_event_pid is written with the filter, after the events */
static void tracefs_follow(struct transport *t, const pid_t *pids, size_t n)
{
	(void)t;
	(void)pids;
	(void)n;
}

static int tracefs_start(struct transport *t, struct chunk_writer *w)
{
	if (transport_start_rings(t, w))
		return -1;
	for (int i = 0; i < t->nr_inst; i++) {
		/* every reader keeps out of the syscall events: those are in the first */
		t->inst[i].readers = cpu_readers_start(t->inst[i].s, t->inst[0].s, w, i,
						       PAGES_PER_CHUNK,
						       t->live_flush_ms ? t->live_flush_ms : FLUSH_MS,
						       t->live_flush_ms != 0);
		if (!t->inst[i].readers) {
			error("cannot read the ring buffers of '%s': %s", t->inst[i].s->name,
			      strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int tracefs_arm(struct transport *t)
{
	int r;

	/* the counters first: their samples bracket the syscalls */
	if (t->ps && (r = perf_source_enable(t->ps, true))) {
		error("cannot enable the perf_event counters: %s", strerror(-r));
		return -1;
	}
	/* the unfiltered instance first, so the filtered one's events find their partners */
	for (int i = t->nr_inst; i-- > 0;) {
		if (session_tracing_on(t->inst[i].s, true)) {
			error("cannot turn tracing on in '%s': %s", t->inst[i].s->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void tracefs_disarm(struct transport *t)
{
	for (int i = 0; i < t->nr_inst; i++)
		session_tracing_on(t->inst[i].s, false);
	if (t->ps)
		perf_source_enable(t->ps, false);
}

static int tracefs_drain(struct transport *t, int ret)
{
	for (int i = 0; i < t->nr_inst; i++) {
		int r = cpu_readers_stop(t->inst[i].readers);

		if (r && !ret) {
			error("cannot read the ring buffer of '%s': %s", t->inst[i].s->name,
			      strerror(-r));
			ret = -1;
		}
	}
	return transport_stop_rings(t, ret);
}

/* Sums per_cpu stats; instances are fresh, so their counters start at zero */
static void read_cpu_stats(struct rec_instance *ri, uint64_t *events, uint64_t *lost,
			   struct strbuf *attr)
{
	struct session *s = ri->s;

	for (int cpu = 0; cpu < s->ncpus; cpu++) {
		char file[64], *text, *line, *save = NULL;
		char name[48];

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		text = session_read(s, file);
		if (!text)
			continue;
		if (attr) {
			snprintf(name, sizeof(name), "%scpu%d", ri->stats_prefix, cpu);
			attr_addstr(attr, name, text);
		}
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			unsigned long long v;

			if (sscanf(line, "overrun: %llu", &v) == 1 ||
			    sscanf(line, "dropped events: %llu", &v) == 1)
				*lost += v;
			else if (sscanf(line, "read events: %llu", &v) == 1)
				*events += v;
		}
		free(text);
	}
}

static void tracefs_stats(struct transport *t, uint64_t *events, uint64_t *lost,
			  struct strbuf *attr)
{
	for (int i = 0; i < t->nr_inst; i++)
		read_cpu_stats(&t->inst[i], events, lost, attr);
	transport_ring_stats(t, events, lost, attr);
}

const struct transport_ops tracefs_transport = {
	.name = "tracefs",
	.open = tracefs_open,
	.follow = tracefs_follow,
	.start = tracefs_start,
	.arm = tracefs_arm,
	.disarm = tracefs_disarm,
	.drain = tracefs_drain,
	.stats = tracefs_stats,
};
