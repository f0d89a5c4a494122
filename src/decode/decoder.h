/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decoder turns a recording's SUBBUF (and perf_event PERF) chunks
 * back into events, in timestamp order across CPUs, with libtraceevent: a
 * tep rebuilt from the stored formats, and one kbuffer per CPU configured
 * from the recording's long size and byte order (never the host's).  What
 * a layer reads of an event is in ftio/event.h.
 */
#ifndef FTIO_DECODER_H
#define FTIO_DECODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ftio/event.h>

#include "format/recording.h"

/* The most values of one perf counter group sample (struct ftio_event @values) */
#define DECODER_MAX_VALUES 16
/* The inflated chunks all CPU streams may hold at once (ftio-format(5), BOUNDS) */
/* event formats loaded from one recording; the rest are skipped with a warning */
#define DECODER_MAX_FORMATS 16384u
#define DECODER_MAX_HELD (256u << 20)

/*
 * decoder_new - build the tep and per-CPU streams of @r (which stays
 * owned by the caller and must outlive the decoder).  Returns NULL with
 * errno set (EBADMSG when the stored header page or formats are unusable).
 */
struct decoder *decoder_new(struct recording *r);
/*
 * decoder_new_multi - one capture split over @n files (rotation), given in
 * time order; formats come from the first.  The array must outlive @d.
 */
struct decoder *decoder_new_multi(struct recording **recs, size_t n);
void decoder_free(struct decoder *d);

/*
 * decoder_new_live - a decoder fed in memory while tracing (ftio trace):
 * @r holds only the metadata (the formats); @ncpus CPUs of @nstreams
 * streams get their sub-buffers from decoder_live_feed() and their reader's
 * marks from decoder_live_mark().  decoder_next() then returns 0 when
 * nothing more can be handed out in time order yet, and, after
 * decoder_live_end(), at the end of what was fed.
 */
struct decoder *decoder_new_live(struct recording *r, int ncpus, int nstreams);
/* Queues @len bytes of sub-buffers (malloc'd; the decoder frees them) of one CPU */
int decoder_live_feed(struct decoder *d, unsigned int stream, uint32_t cpu, void *buf, size_t len);
/* That CPU was read up to event time @ts */
void decoder_live_mark(struct decoder *d, unsigned int stream, uint32_t cpu, uint64_t ts);
/* Nothing more comes: hand out everything fed */
void decoder_live_end(struct decoder *d);
/* The bytes fed and not yet decoded */
uint64_t decoder_live_held(struct decoder *d);

/*
 * decoder_set_threads - decode with @n threads in all (before the first
 * decoder_next()): @n - 1 of them inflate the chunks and walk their
 * sub-buffers ahead of the merge,
 * in the order it will need them.  The events, and every warning, are the
 * same as with one.  1 (the default) starts none.
 */
void decoder_set_threads(struct decoder *d, int n);
/* The most threads decoder_set_threads() starts */
#define DECODER_MAX_THREADS 64

/* Restricts decoding to one CPU (-1: all) */
void decoder_set_cpu(struct decoder *d, int cpu);

/* Returns 1 with the next event, 0 at the end */
int decoder_next(struct decoder *d, struct ftio_event *ev);

/* Counters the decoder gathered so far */
struct decoder_stats {
	uint64_t events;
	uint64_t missed;		/* in-band lost-event counts */
	uint64_t missed_unknown;	/* pages flagged lossy without a count */
	uint64_t bad_pages;		/* pages with an impossible header */
	uint64_t unknown_events;	/* records whose type has no stored format */
};
void decoder_get_stats(struct decoder *d, struct decoder_stats *st);

#endif /* FTIO_DECODER_H */
