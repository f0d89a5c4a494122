/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The perf_event transport.  Tracepoints (and counter groups) are opened
 * with perf_event_open(), every event of a CPU writes into one mmap'd ring
 * (PERF_EVENT_IOC_SET_OUTPUT), and one thread per CPU copies the ring's
 * records, unchanged, into FTIO_CHUNK_PERF chunks.  Nothing is decoded
 * here: a sample's raw payload is the same event record that tracefs
 * would have put in a sub-buffer.
 *
 * Every sample is laid out as PERF_SAMPLE_IDENTIFIER | TID | TIME | CPU
 * | RAW, plus READ (PERF_FORMAT_GROUP) for the samplers of a counter group;
 * perf_source_describe() writes the id table that says which is which.
 */
#ifndef FTIO_PERF_SOURCE_H
#define FTIO_PERF_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct chunk_writer;
struct strbuf;
struct perf_event_attr;
struct perf_source;

/*
 * perf_source_new - rings of @ring_kb KiB on each of @ncpus CPUs
 * Returns NULL with errno set.
 */
struct perf_source *perf_source_new(int ncpus, unsigned int ring_kb);

/*
 * perf_source_add_tracepoint - open tracepoint @id on every CPU, disabled
 * @tids: the threads to follow, with their future children (inherit); NULL
 * (or @nr_tids 0): system-wide.  @filter: a kernel filter or NULL.
 * @exclude_own: a system-wide event gets the exclusions of ftio's threads
 * (false for asynchronous events, which run on whatever thread is current).
 * Returns 0 or -errno.
 */
int perf_source_add_tracepoint(struct perf_source *ps, uint64_t id, const pid_t *tids,
			       size_t nr_tids, const char *filter, bool exclude_own);

/*
 * perf_source_add_group - a counter group on every CPU for each of @tids:
 * the tracepoints @tp_ids sample, each sample reading the group, whose
 * other members are the counters @ctrs (pure counts, never sampled).
 * Returns 0 or -errno.  @inherit: follow the
 * threads' future children too (PERF_SAMPLE_READ with inherit needs
 * Linux 6.12; older kernels say EINVAL).
 */
int perf_source_add_group(struct perf_source *ps, const uint64_t *tp_ids, int nr_tp,
			  const struct perf_event_attr *ctrs, int nr_ctrs, const pid_t *tids,
			  size_t nr_tids, bool inherit);

/* Keeps @tid's events out of the system-wide events (ftio's own threads) */
void perf_source_exclude(struct perf_source *ps, pid_t tid);

/* Starts the readers; chunks go to @w as stream @stream.  Returns 0 or -errno */
int perf_source_start(struct perf_source *ps, struct chunk_writer *w, unsigned int stream,
		      unsigned int flush_ms);
/* Turns every event on or off; the first time on also sets the filters */
int perf_source_enable(struct perf_source *ps, bool on);
/* Drains the rings and stops the readers; returns 0 or the first -errno */
int perf_source_stop(struct perf_source *ps);

struct perf_source_stats {
	uint64_t samples;
	uint64_t lost;		/* PERF_RECORD_LOST counts */
	uint64_t bytes;
	unsigned int fds;
};
void perf_source_get_stats(struct perf_source *ps, struct perf_source_stats *st);

/*
 * perf_source_describe - the "perf/ids" text of the recording: one line
 * per event id, "<id> <sample_type> <read_format> <group members>"
 */
void perf_source_describe(struct perf_source *ps, struct strbuf *out);
void perf_source_free(struct perf_source *ps);

#endif /* FTIO_PERF_SOURCE_H */
