// SPDX-License-Identifier: GPL-2.0
/*
 * The report engine fed live (see live.h): the chunk writer's tap.  It
 * keeps the recording's metadata and first snapshot in an in-memory
 * recording, hands the readers' sub-buffers and marks to a live decoder,
 * and runs the decoded events through report_feed() as they become
 * orderable, so that the layers pair and annotate calls exactly as a
 * report of the same capture would.  Everything runs on the writer's
 * thread, under the live report's lock, which live_get_stats() takes
 * too, so that a display thread (ftio top's) may ask for the counts.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <ftio/format.h>

#include "record/chunk-sink.h"
#include "report/live.h"
#include "format/stats.h"
#include "lib/util.h"

/* What came before the snapshot, in order: sub-buffers and marks */
struct held {
	uint16_t type;		/* FTIO_CHUNK_SUBBUF, or 0 for a mark */
	unsigned int stream;
	uint32_t cpu;
	uint64_t ts;
	void *buf;
	size_t len;
};

struct live {
	struct chunk_sink sink;	/* first: how the chunk writer sees us */
	struct live_opts o;
	/* held while decoding (so during @o.on_call) and by live_get_stats() */
	pthread_mutex_t lock;
	struct recording *rec;	/* metadata and the first snapshot */
	struct recording *stats;	/* the latest STATS payload */
	struct decoder *d;	/* owned by @r once ready */
	struct report r;
	bool have_meta, ready, ended;
	int err;		/* why it could not start, -errno */
	struct held *held;
	size_t nr_held;
	uint64_t held_bytes;
	uint64_t dropped_early;	/* sub-buffers past LIVE_MAX_EARLY before the snapshot */
};

/* Before the snapshot arrives (well under a second), at most this much waits */
#define LIVE_MAX_EARLY (64u << 20)

static void observe(struct report *r, const struct call *c, void *arg)
{
	struct live *l = arg;

	l->o.on_call(r, c, l->o.arg);
}

static void pump(struct live *l)
{
	struct ftio_event ev;

	while (decoder_next(l->d, &ev) > 0)
		report_feed(&l->r, &ev);
}

static void start(struct live *l)
{
	const char *streams = recording_attr(l->rec, "meta/streams");
	int ncpus = recording_attr_u64(l->rec, "meta/cpus", 0);

	l->d = decoder_new_live(l->rec, ncpus, streams ? atoi(streams) : 1);
	if (!l->d) {
		l->err = -errno;
		return;
	}
	l->r.f = l->o.f;
	l->r.top = 1;
	report_init_decoder(&l->r, &l->rec, 1, l->d);
	if (l->o.on_call)
		report_observe(&l->r, observe, l);
	l->ready = true;
	for (size_t i = 0; i < l->nr_held; i++) {
		struct held *h = &l->held[i];

		if (h->type)
			decoder_live_feed(l->d, h->stream, h->cpu, h->buf, h->len);
		else
			decoder_live_mark(l->d, h->stream, h->cpu, h->ts);
	}
	free(l->held);
	l->held = NULL;
	l->nr_held = 0;
	pump(l);
}

static void hold(struct live *l, uint16_t type, unsigned int stream, uint32_t cpu, uint64_t ts,
		 void *buf, size_t len)
{
	if (type && l->held_bytes + len > LIVE_MAX_EARLY) {
		l->dropped_early++;
		free(buf);
		return;
	}
	l->held = xrealloc(l->held, (l->nr_held + 1) * sizeof(*l->held));
	l->held[l->nr_held++] = (struct held){ type, stream, cpu, ts, buf, len };
	l->held_bytes += len;
}

static bool take_locked(struct live *l, uint16_t type, unsigned int stream, uint32_t cpu,
			uint64_t first_ts, void *buf, size_t len)
{
	if (l->err || l->ended)
		return false;
	switch (type) {
	case FTIO_CHUNK_ATTR:
		/* the metadata (unstamped), then the snapshot taken once tracing is on */
		if (!l->have_meta) {
			recording_add_attrs(l->rec, buf, len);
			l->have_meta = true;
		} else if (!l->ready && first_ts) {
			recording_add_attrs(l->rec, buf, len);
			start(l);
		}
		return false;
	case FTIO_CHUNK_STATS:
		recording_close(l->stats);
		l->stats = recording_new_mem("live stats");
		recording_add_attrs(l->stats, buf, len);
		return false;
	case FTIO_CHUNK_SUBBUF:
		if (!l->ready) {
			hold(l, type, stream, cpu, 0, buf, len);
			return true;
		}
		decoder_live_feed(l->d, stream, cpu, buf, len);
		pump(l);
		return true;
	}
	return false;
}

static bool live_take(struct chunk_sink *s, uint16_t type, unsigned int stream, uint32_t cpu,
		      uint64_t first_ts, uint64_t last_ts, void *buf, size_t len)
{
	struct live *l = (struct live *)s;
	bool taken;

	pthread_mutex_lock(&l->lock);
	taken = take_locked(l, type, stream, cpu, first_ts, buf, len);
	pthread_mutex_unlock(&l->lock);
	return taken;
}

static void live_mark(struct chunk_sink *s, unsigned int stream, uint32_t cpu, uint64_t ts)
{
	struct live *l = (struct live *)s;

	pthread_mutex_lock(&l->lock);
	if (l->err || l->ended) {
		/* nothing */
	} else if (!l->ready) {
		hold(l, 0, stream, cpu, ts, NULL, 0);
	} else {
		decoder_live_mark(l->d, stream, cpu, ts);
		pump(l);
	}
	pthread_mutex_unlock(&l->lock);
}

static int live_tick(struct chunk_sink *s, uint64_t now, bool flush)
{
	struct live *l = (struct live *)s;

	if (!flush)
		return 0;
	pthread_mutex_lock(&l->lock);
	if (!l->ended) {
		l->ended = true;
		if (l->ready) {
			decoder_live_end(l->d);
			pump(l);
			report_end(&l->r);
		}
	}
	pthread_mutex_unlock(&l->lock);
	return 0;
}

static void live_get_sink_stats(struct chunk_sink *s, struct chunk_sink_stats *st)
{
	memset(st, 0, sizeof(*st));
}

/* The writer lets go of us at close; the command frees us after */
static void live_sink_free(struct chunk_sink *s)
{
}

static const struct chunk_sink_ops live_sink_ops = {
	.tick = live_tick,
	.get_stats = live_get_sink_stats,
	.free = live_sink_free,
	.take = live_take,
	.mark = live_mark,
};

struct live *live_new(const struct live_opts *o)
{
	struct live *l = xcalloc(1, sizeof(*l));

	l->sink.ops = &live_sink_ops;
	l->o = *o;
	{
		pthread_mutexattr_t a;

		/* recursive: @on_call, which runs under it, may ask for the counts */
		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&l->lock, &a);
		pthread_mutexattr_destroy(&a);
	}
	l->rec = recording_new_mem("live capture");
	return l;
}

struct chunk_sink *live_sink(struct live *l)
{
	return &l->sink;
}

/* Called with @l's lock held */
static void get_stats_locked(struct live *l, struct live_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->err = l->err;
	st->started = l->ready;
	st->dropped_early = l->dropped_early;
	if (!l->ready)
		return;
	st->events = l->r.events;
	st->calls = l->r.calls;
	st->calls_kept = l->r.calls_kept;
	{
		struct decoder_stats ds;
		uint64_t ring = l->stats ? ring_stats_lost(l->stats) : 0;

		decoder_get_stats(l->d, &ds);
		st->lost = ring > ds.missed ? ring : ds.missed;
	}
	st->exit_no_enter = l->r.pairing[PAIR_EXIT_NO_ENTER];
}

void live_get_stats(struct live *l, struct live_stats *st)
{
	pthread_mutex_lock(&l->lock);
	get_stats_locked(l, st);
	pthread_mutex_unlock(&l->lock);
}

struct report *live_report(struct live *l)
{
	return l->ready ? &l->r : NULL;
}

void live_free(struct live *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nr_held; i++)
		free(l->held[i].buf);
	free(l->held);
	if (l->ready)
		report_release(&l->r);
	recording_close(l->stats);
	recording_close(l->rec);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
