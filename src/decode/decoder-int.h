/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decoder's insides, shared by decoder.c (recordings) and
 * decoder-live.c (fed in memory while tracing): nothing else includes it.
 */
#ifndef FTIO_DECODER_INT_H
#define FTIO_DECODER_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <byteswap.h>
#include <sys/types.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "decode/decoder.h"
#include <ftio/intmap.h>

struct chunk_pos {
	struct recording *rec;
	size_t idx;
	size_t job;		/* its place in the prefetch's jobs */
};

struct prefetch;

/* A chunk's sub-buffers walked ahead by a prefetch worker: its events and what the walk met */
enum pw_kind { PW_EVENT, PW_BAD_HEADER, PW_EMPTY, PW_BAD_LOAD, PW_MISSED, PW_MISSED_UNKNOWN,
	       PW_NO_ADVANCE };

struct pw_entry {
	uint64_t ts;
	uint32_t off;		/* PW_EVENT: in the chunk */
	int32_t size;		/* PW_EVENT: bounded by its sub-buffer; PW_MISSED: the count */
	uint8_t kind;
};

struct cpu_stream {
	int cpu;
	struct chunk_pos *chunks;	/* in time order, across files */
	size_t nr_chunks;
	size_t next_chunk;
	uint8_t *buf;		/* inflated chunk */
	size_t len;
	size_t page_off;	/* next page to load */
	struct kbuffer *kbuf;
	void *cur;		/* current record in kbuf, or NULL */
	struct pw_entry *pw;	/* the chunk walked ahead, or NULL: kbuf walks it */
	size_t pw_n, pw_i;
	unsigned long long ts;
	unsigned int missed;	/* to report with the next event */
	/* FTIO_CHUNK_PERF streams: records instead of pages */
	bool perf;
	size_t rec_off;
	int cur_size;
	uint64_t values[DECODER_MAX_VALUES];
	int nr_values;
	/* live (decoder_new_live()): chunks fed in memory, and how far the CPU was read */
	struct live_chunk *live_head, *live_tail;
	uint64_t wm;		/* nothing older than this is still to come */
	bool known;		/* its reader has said it exists */
	bool hungry;		/* out of events, not in the heap */
};

struct live_chunk {
	void *buf;
	size_t len;
	struct live_chunk *next;
};

/* One perf event id's sample layout, from "perf/ids" */
struct perf_id {
	uint64_t sample_type;
	uint64_t read_format;
};

struct decoder {
	struct recording *rec;		/* the first file: formats and layout */
	struct recording **recs;
	size_t nr_recs;
	struct tep_handle *tep;
	int long_size;
	bool big_endian;
	int page_size;
	struct cpu_stream *cpus;	/* nstreams * ncpus, stream-major */
	int ncpus;
	int nstreams;
	int nr;				/* nstreams * ncpus */
	int only_cpu;
	/* min-heap of streams with a current record, keyed by ts */
	struct cpu_stream **heap;
	int heap_len;
	bool primed;
	bool warned_empty;
	uint64_t empty_pages;
	struct intmap perf_ids;		/* id -> struct perf_id */
	struct decoder_stats st;
	/*
	 * tep_find_event()'s answers by event id (common_type is 16 bits):
	 * its own one-entry cache misses on every enter/exit alternation
	 */
	struct tep_event **by_type;
	uint8_t *type_known;
	uint64_t held;			/* inflated bytes the streams hold */
	int threads;			/* decoder_set_threads() */
	bool swap;			/* the file's byte order is not the host's */
	/* common_type and common_pid, resolved once (0 size: ask libtraceevent) */
	int type_off, type_size, pid_off, pid_size;
	struct prefetch *pf;		/* chunks inflated ahead by other threads */
	/* live mode */
	bool live, live_end;
	bool handed;			/* the heap's top event was handed out */
	bool limit_dirty;
	uint64_t limit;			/* the lowest mark of the streams out of events */
};

/* decoder.c's machinery, for the live half */
int decoder_parse_formats(struct decoder *d);
int decoder_init_streams(struct decoder *d);
void decoder_heap_push(struct decoder *d, struct cpu_stream *s);
void decoder_heap_sift_down(struct decoder *d);
bool decoder_load_page(struct decoder *d, struct cpu_stream *s);
bool decoder_stream_advance(struct decoder *d, struct cpu_stream *s);
/* tep_read_number() without the call: the same answers, 0 for a size it cannot read */
static inline uint64_t read_num(const struct decoder *d, const void *p, int size)
{
	uint16_t v2;
	uint32_t v4;
	uint64_t v8;

	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		memcpy(&v2, p, 2);
		return d->swap ? bswap_16(v2) : v2;
	case 4:
		memcpy(&v4, p, 4);
		return d->swap ? bswap_32(v4) : v4;
	case 8:
		memcpy(&v8, p, 8);
		return d->swap ? bswap_64(v8) : v8;
	default:
		return 0;
	}
}

int decoder_emit(struct decoder *d, struct ftio_event *ev);

/* prefetch.c: chunks inflated ahead by worker threads (decoder_set_threads) */
void prefetch_start(struct decoder *d);
void prefetch_stop(struct decoder *d);
ssize_t prefetch_take(struct decoder *d, struct chunk_pos *pos, void **out, struct cpu_stream *s);
void prefetch_drop(struct decoder *d, struct chunk_pos *pos);
/* decoder-live.c: decoder_next() of a live decoder */
int decoder_live_next(struct decoder *d, struct ftio_event *ev);

#endif /* FTIO_DECODER_INT_H */
