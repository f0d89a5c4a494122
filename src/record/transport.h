/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A transport carries the kernel's events to the chunk writer.  ftio has
 * two: tracefs instances read page by page (transport-tracefs.c), and
 * perf_event rings on the same tracepoints where instances are refused
 * (transport-perf.c).  The recorder holds a struct transport and calls
 * its ops; it never asks which one it holds.
 *
 * Either way there are one or two sessions (record/session.h): the first
 * is filtered by the traced pids; the second, only with a pid filter and
 * asynchronous events, is not, so that block completions and FUSE
 * replies, which run in other contexts, are not filtered away.
 *
 * The ops print what failed (the record command's messages) and return
 * -1, because they are the record command's steps; see recorder.h.
 */
#ifndef FTIO_TRANSPORT_H
#define FTIO_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct chunk_writer;
struct cpu_readers;
struct perf_source;
struct record_opts;
struct session;
struct strbuf;

/* One session and its readers */
struct rec_instance {
	struct session *s;
	struct cpu_readers *readers;	/* tracefs only */
	const char *stats_prefix;	/* "stats/" or "stats/async/" */
	int nr_events;
	int nr_comm_filtered;	/* of them, filtered by --comm in the kernel */
};

struct transport {
	const struct transport_ops *ops;
	struct rec_instance inst[2];
	int nr_inst;
	/* the perf transport's rings; beside tracefs, only for --counters */
	struct perf_source *ps;
	/* 0: FLUSH_MS; set lower for a live consumer (ftio trace), with its marks */
	unsigned int live_flush_ms;
};

struct transport_ops {
	const char *name;	/* "tracefs" or "perf": meta/backend, strategy */
	/*
	 * Creates a session (@suffix NULL: the filtered one, "_async": the
	 * other); NULL after printing why.  With @forbidden, a transport
	 * the system refuses sets it and prints nothing: the caller falls
	 * back to another.
	 */
	struct session *(*open)(struct transport *t, const char *suffix,
				const struct record_opts *o, bool *forbidden);
	/* The threads events are opened for, before any event (perf) */
	void (*follow)(struct transport *t, const pid_t *pids, size_t n);
	/* Starts the readers into @w; -1 after printing why */
	int (*start)(struct transport *t, struct chunk_writer *w);
	/* Turns the events on; -1 after printing why */
	int (*arm)(struct transport *t);
	/* Turns them off; never fails */
	void (*disarm)(struct transport *t);
	/* Drains and stops the readers; -1 after printing why, when @ret was 0 */
	int (*drain)(struct transport *t, int ret);
	/* Adds the event and lost counts to @events and @lost, into @attr when given */
	void (*stats)(struct transport *t, uint64_t *events, uint64_t *lost, struct strbuf *attr);
};

extern const struct transport_ops tracefs_transport;
extern const struct transport_ops perf_transport;

/*
 * Helpers both transports use (transport.c): the perf rings (the perf
 * transport's, or tracefs's --counters), opened once for both sessions
 */
int transport_ensure_rings(struct transport *t, const struct record_opts *o);
int transport_start_rings(struct transport *t, struct chunk_writer *w);
int transport_stop_rings(struct transport *t, int ret);
void transport_ring_stats(struct transport *t, uint64_t *events, uint64_t *lost,
			  struct strbuf *attr);
/*
 * Closes the rings (perf events hold our uprobes, so first) and removes
 * the sessions; -1 after printing why, when @ret was 0
 */
int transport_close(struct transport *t, int ret);

#endif /* FTIO_TRANSPORT_H */
