// SPDX-License-Identifier: GPL-2.0
/*
 * Flight recorder (see flight.h).  The ring is a FIFO of stored chunks
 * bounded by their compressed size.  Trigger detection decodes pages with
 * kbuffer and a tep built from the recording's own metadata by the
 * decoder's builder (format/tep.c), in the recording's byte order, exactly
 * as a report would, but only reads common_pid, the event id and the
 * exit's return value.  Each call of flight_scan() holds one CPU's pages, in
 * time order: there a thread's enter followed by its next syscall event, an
 * exit, is one call.  A call that slept and woke on another CPU leaves its
 * enter at the end of one CPU's run and its exit in another's, read in
 * either order, with the thread's earlier and later calls on both: those
 * two wait per thread (up to WAITING_PER_TID each), and an enter pairs with
 * the first waiting exit after it, an exit with the last waiting enter
 * before it, when no waiting event of the thread lies between the two.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <zstd.h>

#include "record/chunk-sink.h"
#include "record/flight.h"
#include "record/outfile.h"
#include "format/tep.h"
#include <ftio/intmap.h>
#include "lib/util.h"

struct kept {
	struct chunk_info ci;
	void *payload;
	struct kept *next;
};

#define WAITING_PER_TID 8
#define WAITING_MAX_TIDS 65536	/* threads with waiting events (see waiting_sweep) */
#define WAITING_MAX_AGE (600 * 1000000000ULL)

/* a thread's syscall events that could not be paired on their own CPU */
struct waiting {
	uint64_t last_ts;	/* the newest of the thread's events that waited */
	unsigned int nr_enters, nr_exits;
	uint64_t enters[WAITING_PER_TID];
	struct {
		uint64_t ts;
		int64_t ret;
	} exits[WAITING_PER_TID];
};

struct pending_save {
	uint64_t from, to;	/* event-time window */
	char *why;
};

struct flight {
	struct chunk_sink sink;	/* first: how the chunk writer sees us */
	struct flight_opts o;
	void *meta;
	size_t meta_len;
	struct tep_handle *tep;
	struct kbuffer *kbuf;
	int page_size, long_size;
	struct intmap is_enter, is_exit;	/* event id -> non-NULL */
	struct intmap waiting;	/* tid -> struct waiting */
	uint64_t newest_ts;	/* of the events scanned */
	size_t max_tids;	/* WAITING_MAX_TIDS, or FTIO_FLIGHT_MAX_TIDS */
	struct intmap run;	/* tid -> its last syscall event in this scan: ts << 1 | is_enter */
	struct kept *head, *tail;
	struct kept *stats;	/* the latest STATS chunk, copied into saves */
	struct pending_save *saves;
	size_t nr_saves;
	struct outfile_series saved;	/* base.000001, ... one per save */
	struct flight_stats st;
};

static const char *attr_in(const void *meta, size_t len, const char *name, size_t *vlen)
{
	struct attr_iter it;

	attr_iter_init(&it, meta, len);
	while (attr_iter_next(&it) > 0) {
		if (it.name_len == strlen(name) && !memcmp(it.name, name, it.name_len)) {
			*vlen = it.value_len;
			return it.value;
		}
	}
	return NULL;
}

static const struct chunk_sink_ops flight_sink_ops;

struct flight *flight_new(const struct flight_opts *o, const void *meta, size_t len)
{
	struct flight *f = xcalloc(1, sizeof(*f));
	const char *max = getenv("FTIO_FLIGHT_MAX_TIDS");	/* tests: a small bound */
	struct attr_iter it;
	size_t hl = 0;
	const char *hp, *v;
	struct tep_layout l;

	f->sink.ops = &flight_sink_ops;
	f->o = *o;
	f->max_tids = max && atoi(max) > 0 ? (size_t)atoi(max) : WAITING_MAX_TIDS;
	f->saved.base = o->base;
	f->meta = xmalloc(len);
	memcpy(f->meta, meta, len);
	f->meta_len = len;
	v = attr_in(meta, len, "meta/long_size", &hl);
	f->long_size = v ? atoi(v) : (int)sizeof(long);
	v = attr_in(meta, len, "meta/subbuf_size", &hl);
	f->page_size = v ? atoi(v) : getpagesize();
	v = attr_in(meta, len, "meta/endian", &hl);
	l.big_endian = v && hl == 3 && !memcmp(v, "big", 3);
	l.long_size = f->long_size;
	l.page_size = f->page_size;
	hp = attr_in(meta, len, "header_page", &hl);
	f->tep = hp ? format_tep_new(&l, hp, hl) : NULL;
	if (!f->tep) {
		flight_free(f);
		errno = EINVAL;
		return NULL;
	}
	attr_iter_init(&it, meta, len);
	while (attr_iter_next(&it) > 0) {
		char *sys = format_event_system(it.name, it.name_len);
		struct tep_event *e = NULL;

		/* only the syscalls: the trigger scan pairs their enters and exits */
		if (sys && !strcmp(sys, "syscalls") &&
		    !format_tep_add_event(f->tep, sys, it.value, it.value_len, &e)) {
			if (!strncmp(e->name, "sys_enter_", 10))
				intmap_put(&f->is_enter, e->id, (void *)1);
			else if (!strncmp(e->name, "sys_exit_", 9))
				intmap_put(&f->is_exit, e->id, (void *)1);
		}
		free(sys);
	}
	f->kbuf = format_kbuffer_new(&l);
	if (!f->kbuf || !f->is_exit.len) {
		flight_free(f);
		errno = ENOENT;
		return NULL;
	}
	return f;
}

static void drop_oldest(struct flight *f)
{
	struct kept *k = f->head;

	f->head = k->next;
	if (!f->head)
		f->tail = NULL;
	f->st.ring_bytes -= k->ci.stored_size;
	f->st.dropped_chunks++;
	free(k->payload);
	free(k);
}

void flight_free(struct flight *f)
{
	uint64_t key;
	void *v;

	if (!f)
		return;
	while (f->head)
		drop_oldest(f);
	if (f->stats) {
		free(f->stats->payload);
		free(f->stats);
	}
	for (size_t i = 0; intmap_next(&f->waiting, &i, &key, &v);)
		free(v);
	intmap_release(&f->waiting);
	intmap_release_u64(&f->run);
	intmap_release(&f->is_enter);
	intmap_release(&f->is_exit);
	for (size_t i = 0; i < f->nr_saves; i++)
		free(f->saves[i].why);
	free(f->saves);
	if (f->kbuf)
		kbuffer_free(f->kbuf);
	if (f->tep)
		tep_free(f->tep);
	free(f->meta);
	free(f);
}

void flight_trigger(struct flight *f, uint64_t ts, const char *why)
{
	uint64_t from = ts > f->o.before_ns ? ts - f->o.before_ns : 0, to = ts + f->o.after_ns;

	f->st.triggers++;
	/* a trigger inside a window not yet saved widens it instead of saving twice */
	for (size_t i = 0; i < f->nr_saves; i++) {
		if (from <= f->saves[i].to) {
			if (to > f->saves[i].to)
				f->saves[i].to = to;
			return;
		}
	}
	f->saves = xrealloc(f->saves, (f->nr_saves + 1) * sizeof(*f->saves));
	f->saves[f->nr_saves++] = (struct pending_save){ from, to, xstrdup(why) };
}

static bool errno_wanted(struct flight *f, int err)
{
	for (int *e = f->o.trigger_errnos; e && *e; e++)
		if (*e == err)
			return true;
	return false;
}

static void check_call(struct flight *f, int tid, uint64_t enter, uint64_t exit, int64_t ret)
{
	char why[96];
	uint64_t lat = exit - enter;

	if (f->o.trigger_latency && lat >= f->o.trigger_latency) {
		snprintf(why, sizeof(why), "syscall of %.3fms by tid %d", lat / 1e6, tid);
		flight_trigger(f, exit, why);
	} else if (ret < 0 && ret >= -4095 && errno_wanted(f, -ret)) {
		snprintf(why, sizeof(why), "syscall failed with errno %d by tid %d", (int)-ret, tid);
		flight_trigger(f, exit, why);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Threads that are gone leave their last enter (exit_group) waiting for
 * ever, so the threads with waiting events are bounded: when there are
 * f->max_tids (WAITING_MAX_TIDS), those whose newest waiting event is
 * WAITING_MAX_AGE older than the newest event scanned go, their exits
 * counted as unpaired; when that frees less than a quarter, the oldest half
 * goes, so that a sweep comes at most every max_tids / 4 new threads.
 */
static void waiting_sweep(struct flight *f)
{
	uint64_t *keys = xmalloc(f->waiting.len * sizeof(*keys));
	uint64_t *ages = xmalloc(f->waiting.len * sizeof(*ages));
	uint64_t key, cut = f->newest_ts > WAITING_MAX_AGE ? f->newest_ts - WAITING_MAX_AGE : 0;
	size_t n = 0, gone = 0;
	void *v;

	for (size_t i = 0; intmap_next(&f->waiting, &i, &key, &v);) {
		keys[n] = key;
		ages[n++] = ((struct waiting *)v)->last_ts;
	}
	for (int pass = 0; pass < 2 && gone < n / 4 + 1; pass++) {
		if (pass) {
			/* all recent: the oldest half goes (a median by sorting a copy) */
			uint64_t *c = xmalloc(n * sizeof(*c));

			memcpy(c, ages, n * sizeof(*c));
			qsort(c, n, sizeof(*c), cmp_u64);
			cut = c[n / 2];
			free(c);
		}
		for (size_t i = 0; i < n; i++) {
			struct waiting *w;

			if (ages[i] > cut || !(w = intmap_del(&f->waiting, keys[i])))
				continue;
			f->st.unpaired_exits += w->nr_exits;
			free(w);
			gone++;
		}
	}
	free(keys);
	free(ages);
}

static struct waiting *waiting_of(struct flight *f, int tid, uint64_t ts)
{
	struct waiting *w = intmap_get(&f->waiting, tid);

	if (!w) {
		if (f->waiting.len >= f->max_tids)
			waiting_sweep(f);
		w = xcalloc(1, sizeof(*w));
		intmap_put(&f->waiting, tid, w);
	}
	if (ts > w->last_ts)
		w->last_ts = ts;
	return w;
}

/* A thread with nothing waiting any more leaves the map */
static void waiting_done(struct flight *f, int tid, struct waiting *w)
{
	if (!w->nr_enters && !w->nr_exits)
		free(intmap_del(&f->waiting, tid));
}

/* An exit waits, or pairs with the last waiting enter before it */
static void wait_exit(struct flight *f, int tid, uint64_t ts, int64_t ret)
{
	struct waiting *w = waiting_of(f, tid, ts);
	unsigned int best = UINT_MAX;

	for (unsigned int i = 0; i < w->nr_enters; i++)
		if (w->enters[i] <= ts && (best == UINT_MAX || w->enters[i] > w->enters[best]))
			best = i;
	for (unsigned int i = 0; best != UINT_MAX && i < w->nr_exits; i++)
		if (w->exits[i].ts >= w->enters[best] && w->exits[i].ts < ts)
			best = UINT_MAX;	/* that exit is the enter's */
	if (best != UINT_MAX) {
		check_call(f, tid, w->enters[best], ts, ret);
		w->enters[best] = w->enters[--w->nr_enters];
		waiting_done(f, tid, w);
		return;
	}
	if (w->nr_exits == WAITING_PER_TID) {
		/* the oldest arrival's enter is the least likely still to come */
		memmove(&w->exits[0], &w->exits[1], sizeof(w->exits[0]) * (WAITING_PER_TID - 1));
		w->nr_exits--;
		f->st.unpaired_exits++;
	}
	w->exits[w->nr_exits].ts = ts;
	w->exits[w->nr_exits].ret = ret;
	w->nr_exits++;
}

/* An enter waits, or pairs with the first waiting exit after it */
static void wait_enter(struct flight *f, int tid, uint64_t ts)
{
	struct waiting *w = waiting_of(f, tid, ts);
	unsigned int best = UINT_MAX;

	for (unsigned int i = 0; i < w->nr_exits; i++)
		if (w->exits[i].ts >= ts && (best == UINT_MAX || w->exits[i].ts < w->exits[best].ts))
			best = i;
	for (unsigned int i = 0; best != UINT_MAX && i < w->nr_enters; i++)
		if (w->enters[i] > ts && w->enters[i] <= w->exits[best].ts)
			best = UINT_MAX;	/* that enter is the exit's */
	if (best != UINT_MAX) {
		check_call(f, tid, ts, w->exits[best].ts, w->exits[best].ret);
		memmove(&w->exits[best], &w->exits[best + 1], sizeof(w->exits[0]) * (w->nr_exits - best - 1));
		w->nr_exits--;
		waiting_done(f, tid, w);
		return;
	}
	if (w->nr_enters == WAITING_PER_TID) {
		unsigned int old = 0;

		/* an enter whose exit never comes (exit_group, a lost event) */
		for (unsigned int i = 1; i < w->nr_enters; i++)
			if (w->enters[i] < w->enters[old])
				old = i;
		w->enters[old] = w->enters[--w->nr_enters];
	}
	w->enters[w->nr_enters++] = ts;
}

static int64_t exit_ret(struct flight *f, const void *data, unsigned int size)
{
	/* every sys_exit_* has "long ret" at the same place: after the nr */
	if (size < 16 + (unsigned int)f->long_size)
		return 0;
	/* records are 4-byte aligned: copy, never load in place */
	if (f->long_size == 8) {
		int64_t v;

		memcpy(&v, (const char *)data + 16, sizeof(v));
		return v;
	} else {
		int32_t v;

		memcpy(&v, (const char *)data + 16, sizeof(v));
		return v;
	}
}

void flight_scan(struct flight *f, const void *pages, size_t len)
{
	uint64_t key;
	void *v;

	for (size_t off = 0; off + f->page_size <= len; off += f->page_size) {
		unsigned long long ts;
		void *data;

		if (kbuffer_load_subbuffer(f->kbuf, (char *)pages + off) < 0)
			continue;
		for (data = kbuffer_read_event(f->kbuf, &ts); data;
		     data = kbuffer_next_event(f->kbuf, &ts)) {
			struct tep_record rec = { .ts = ts, .data = data,
						  .size = kbuffer_event_size(f->kbuf) };
			int id = tep_data_type(f->tep, &rec), tid = tep_data_pid(f->tep, &rec);
			bool enter = intmap_get(&f->is_enter, id) != NULL;
			uint64_t *last;

			f->st.scanned_events++;
			if (ts > f->newest_ts)
				f->newest_ts = ts;
			if (!enter && !intmap_get(&f->is_exit, id))
				continue;
			last = intmap_get(&f->run, tid);
			if (!last) {
				intmap_put_u64(&f->run, tid, 0);
				last = intmap_get(&f->run, tid);
			}
			if (enter) {
				/* two enters in a row here: the first one's exit is elsewhere */
				if (*last & 1)
					wait_enter(f, tid, *last >> 1);
				*last = (uint64_t)ts << 1 | 1;
			} else {
				if (*last & 1)
					check_call(f, tid, *last >> 1, ts, exit_ret(f, data, rec.size));
				else
					wait_exit(f, tid, ts, exit_ret(f, data, rec.size));
				*last = (uint64_t)ts << 1;
			}
		}
	}
	/* the enters still open at the end of this CPU's run wait for their exit */
	for (size_t i = 0; intmap_next(&f->run, &i, &key, &v);)
		if (*(uint64_t *)v & 1)
			wait_enter(f, (int)key, *(uint64_t *)v >> 1);
	intmap_release_u64(&f->run);
}

void flight_keep(struct flight *f, const struct chunk_info *ci, const void *payload)
{
	struct kept *k = xcalloc(1, sizeof(*k));

	k->ci = *ci;
	k->payload = xmalloc(ci->stored_size ? ci->stored_size : 1);
	memcpy(k->payload, payload, ci->stored_size);
	if (ci->type == FTIO_CHUNK_STATS) {
		if (f->stats) {
			free(f->stats->payload);
			free(f->stats);
		}
		f->stats = k;
		return;
	}
	if (f->tail)
		f->tail->next = k;
	else
		f->head = k;
	f->tail = k;
	f->st.ring_bytes += ci->stored_size;
	while (f->st.ring_bytes > f->o.ring_bytes && f->head != f->tail)
		drop_oldest(f);
}

static int write_kept(int fd, struct chunk_info ci, const void *payload, uint32_t seq)
{
	uint8_t hdr[FTIO_CHUNK_HEADER_SIZE];

	ci.seq = seq;
	chunk_header_encode(&ci, hdr);
	if (write(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) ||
	    write(fd, payload, ci.stored_size) != (ssize_t)ci.stored_size)
		return errno ? -errno : -EIO;
	return 0;
}

static int write_attr(int fd, const void *buf, size_t len, uint16_t type, uint32_t seq)
{
	struct chunk_info ci = { .type = type, .raw_size = len, .stored_size = len,
				 .payload_crc = ftio_crc32(buf, len) };

	return write_kept(fd, ci, buf, seq);
}

/* Writes the window @s as one recording: metadata, snapshot, its chunks, stats, end */
static int save(struct flight *f, const struct pending_save *s)
{
	uint8_t fh[sizeof(struct ftio_file_header)];
	char *name;
	struct strbuf sb = STRBUF_INIT;
	uint32_t seq = 0;
	int fd = outfile_series_next(&f->saved, &name), ret;

	if (fd < 0) {
		free(name);
		return fd;
	}
	file_header_encode(fh);
	ret = write(fd, fh, sizeof(fh)) == (ssize_t)sizeof(fh) ? 0 : -EIO;
	if (!ret)
		ret = write_attr(fd, f->meta, f->meta_len, FTIO_CHUNK_ATTR, seq++);
	{
		/*
		 * The snapshot the window's events build on: the latest taken
		 * before it, else the oldest still in the ring.  The model reads
		 * the first table of each kind, so it goes before the fresh one.
		 */
		struct kept *snap = NULL;

		for (struct kept *k = f->head; k; k = k->next)
			if (k->ci.type == FTIO_CHUNK_ATTR && (!snap || k->ci.first_ts <= s->from))
				snap = k;
		if (!ret && snap)
			ret = write_kept(fd, snap->ci, snap->payload, seq++);
	}
	for (struct kept *k = f->head; !ret && k; k = k->next) {
		/* last_ts is the start of the chunk's last page: allow a page's worth after it */
		if (!FTIO_CHUNK_HAS_EVENTS(k->ci.type) ||
		    k->ci.last_ts + NSEC_PER_SEC < s->from || k->ci.first_ts > s->to)
			continue;
		ret = write_kept(fd, k->ci, k->payload, seq++);
	}
	if (!ret && f->o.snapshot) {
		f->o.snapshot(&sb, f->o.arg);
		ret = write_attr(fd, sb.buf, sb.len, FTIO_CHUNK_ATTR, seq++);
		strbuf_release(&sb);
	}
	if (!ret && f->stats)
		ret = write_kept(fd, f->stats->ci, f->stats->payload, seq++);
	if (!ret) {
		strbuf_init(&sb, 0);
		attr_addstr(&sb, "end/reason", "flight recorder trigger");
		attr_addstr(&sb, "end/trigger", s->why);
		attr_addf(&sb, "end/window_from_ns", "%llu", (unsigned long long)s->from);
		attr_addf(&sb, "end/window_to_ns", "%llu", (unsigned long long)s->to);
		ret = write_attr(fd, sb.buf, sb.len, FTIO_CHUNK_END, seq++);
		strbuf_release(&sb);
	}
	if (!ret && fdatasync(fd) < 0 && errno != EINVAL)
		ret = -errno;
	close(fd);
	free(name);
	if (!ret)
		f->st.saves++;
	return ret;
}

int flight_poll(struct flight *f, uint64_t now, int flush)
{
	int ret = 0;

	/* readers push partial pages every second: wait that long past the window */
	for (size_t i = 0; i < f->nr_saves;) {
		if (!flush && now < f->saves[i].to + 1500 * NSEC_PER_MSEC) {
			i++;
			continue;
		}
		if (!ret)
			ret = save(f, &f->saves[i]);
		free(f->saves[i].why);
		f->saves[i] = f->saves[--f->nr_saves];
	}
	return ret;
}

void flight_get_stats(struct flight *f, struct flight_stats *st)
{
	uint64_t key;
	void *v;

	*st = f->st;
	/* and the exits still waiting for an enter that never came */
	for (size_t i = 0; intmap_next(&f->waiting, &i, &key, &v);)
		st->unpaired_exits += ((const struct waiting *)v)->nr_exits;
}

/* The chunk writer's view of the ring (chunk-sink.h) */
#define sink_flight(s) ((struct flight *)(s))

static void sink_scan(struct chunk_sink *s, const void *pages, size_t len)
{
	flight_scan(sink_flight(s), pages, len);
}

static void sink_put(struct chunk_sink *s, const struct chunk_info *ci, const void *payload)
{
	flight_keep(sink_flight(s), ci, payload);
}

static void sink_trigger(struct chunk_sink *s, uint64_t ts, const char *why)
{
	flight_trigger(sink_flight(s), ts, why);
}

static int sink_tick(struct chunk_sink *s, uint64_t now, bool flush)
{
	return flight_poll(sink_flight(s), now, flush);
}

static void sink_get_stats(struct chunk_sink *s, struct chunk_sink_stats *st)
{
	struct flight_stats fs;

	flight_get_stats(sink_flight(s), &fs);
	st->triggers = fs.triggers;
	st->saves = fs.saves;
	st->dropped_chunks = fs.dropped_chunks;
	st->unpaired_exits = fs.unpaired_exits;
}

static void sink_free(struct chunk_sink *s)
{
	flight_free(sink_flight(s));
}

static const struct chunk_sink_ops flight_sink_ops = {
	.scan = sink_scan,
	.put = sink_put,
	.trigger = sink_trigger,
	.tick = sink_tick,
	.get_stats = sink_get_stats,
	.free = sink_free,
};

struct chunk_sink *flight_sink(struct flight *f)
{
	return &f->sink;
}
