/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flight recorder: the chunk writer keeps compressed chunks in a
 * bounded memory ring instead of writing them, and saves the window
 * around each trigger -- a syscall slower than a threshold, a chosen
 * errno, or SIGUSR1 -- as its own self-contained recording.
 *
 * Triggers need the little live decoding that pairs enter and exit per
 * thread.  It runs on the writer thread over pages already read, never
 * on the per-CPU readers.
 */
#ifndef FTIO_FLIGHT_H
#define FTIO_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "format/chunk.h"

struct flight;

struct flight_opts {
	const char *base;		/* saves are base.000001, base.000002, ... */
	uint64_t ring_bytes;		/* compressed bytes kept in memory */
	uint64_t trigger_latency;	/* 0: none */
	int *trigger_errnos;		/* 0-terminated, or NULL */
	uint64_t before_ns, after_ns;
	void (*snapshot)(struct strbuf *out, void *arg);
	void *arg;
};

/*
 * flight_new - set up from the recording's metadata ATTR payload (header
 * page and formats); NULL with errno when it cannot decode them.
 */
struct flight *flight_new(const struct flight_opts *o, const void *meta, size_t len);
void flight_free(struct flight *f);

/* Looks for triggers in raw sub-buffers of one CPU */
void flight_scan(struct flight *f, const void *pages, size_t len);
/* Keeps a chunk (header info and stored payload, copied) in the ring */
void flight_keep(struct flight *f, const struct chunk_info *ci, const void *payload);
void flight_trigger(struct flight *f, uint64_t ts, const char *why);
/*
 * flight_poll - save the windows whose "after" part has arrived by @now
 * (all of them with @flush).  Returns 0 or the -errno of a failed save.
 */
int flight_poll(struct flight *f, uint64_t now, int flush);

struct flight_stats {
	uint64_t triggers, saves, dropped_chunks, ring_bytes, scanned_events;
	uint64_t unpaired_exits;	/* exits the trigger scan found no enter for: not checked */
};
void flight_get_stats(struct flight *f, struct flight_stats *st);

struct chunk_sink;
/*
 * The ring as the chunk writer sees it (chunk_writer_set_sink()); freeing
 * the sink frees @f
 */
struct chunk_sink *flight_sink(struct flight *f);

#endif /* FTIO_FLIGHT_H */
