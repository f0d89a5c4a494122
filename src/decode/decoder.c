// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding: the tep is rebuilt from the recording's metadata by the one
 * builder in format/tep.c; each CPU is a stream
 * of its SUBBUF chunks in file order, one chunk inflated at a time; and a
 * k-way merge by timestamp yields events in time order.  Only the header
 * word of each page is checked by hand, because kbuffer_load_subbuffer()
 * trusts it.
 */
#include <byteswap.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <kbuffer.h>
#include <linux/perf_event.h>

#include "decode/decoder-int.h"
#include "format/tep.h"
#include <ftio/intmap.h>
#include "lib/util.h"

/* What the perf transport writes when "perf/ids" does not say otherwise */
#define PERF_DEFAULT_SAMPLE_TYPE (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
				  PERF_SAMPLE_CPU | PERF_SAMPLE_RAW)
#define PERF_KNOWN_SAMPLE_TYPE (PERF_DEFAULT_SAMPLE_TYPE | PERF_SAMPLE_READ | PERF_SAMPLE_ID | \
				PERF_SAMPLE_IP | PERF_SAMPLE_PERIOD | PERF_SAMPLE_STREAM_ID)


static void resolve_common(struct decoder *d);

struct format_ref {
	const struct attr *a;
	long id;
};

/* the "ID: N" line of a format, or -1 */
static long format_id(const struct attr *a)
{
	const char *p = a->value, *end = a->value + a->len;

	while (p && p < end) {
		if (end - p > 4 && !memcmp(p, "ID: ", 4))
			return strtol(p + 4, NULL, 10);
		p = memchr(p, '\n', end - p);
		if (p)
			p++;
	}
	return -1;
}

static int by_id_down(const void *a, const void *b)
{
	const struct format_ref *x = a, *y = b;

	return (x->id < y->id) - (x->id > y->id);
}

/*
 * The tep from the recording's layout, header page and formats (format/tep.c).
 * libtraceevent keeps its events sorted by id and finds each one's place by
 * scanning from the lowest: formats given lowest id first made loading
 * quadratic (60,000 crafted formats took 9 s).  Given highest first, each
 * one's place is found at once.  A kernel has a few thousand events, and
 * their ids fit the 16-bit common_type: at most DECODER_MAX_FORMATS load.
 */
int decoder_parse_formats(struct decoder *d)
{
	struct recording *r = d->rec;
	const char *hp = recording_attr(r, "header_page");
	struct tep_layout l = {
		.long_size = d->long_size, .page_size = d->page_size, .big_endian = d->big_endian,
	};
	struct format_ref *refs = NULL;
	size_t nr = 0, alloc = 0, skipped = 0;
	int nformats = 0;

	if (!hp)
		return -EBADMSG;
	d->tep = format_tep_new(&l, hp, strlen(hp));
	if (!d->tep)
		return -errno;
	for (size_t i = 0; i < r->nr_attrs; i++) {
		const struct attr *a = &r->attrs[i];

		if (strncmp(a->name, "format/", 7))
			continue;
		if (nr == DECODER_MAX_FORMATS) {
			skipped++;
			continue;
		}
		if (nr == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			refs = xrealloc(refs, alloc * sizeof(*refs));
		}
		refs[nr].a = a;
		refs[nr++].id = format_id(a);
	}
	if (skipped)
		recording_warn(r, "%zu event formats after the first %u skipped (a kernel has a few thousand)",
			       skipped, DECODER_MAX_FORMATS);
	if (nr)
		qsort(refs, nr, sizeof(*refs), by_id_down);
	for (size_t i = 0; i < nr; i++) {
		const struct attr *a = refs[i].a;
		char *sys = format_event_system(a->name, strlen(a->name));

		/* a format that fails to parse only loses that event */
		if (sys && !format_tep_add_event(d->tep, sys, a->value, a->len, NULL))
			nformats++;
		free(sys);
	}
	free(refs);
	if (nformats)
		resolve_common(d);
	return nformats ? 0 : -EBADMSG;
}

/* "perf/ids": "<id> <sample_type> <read_format> <group>" lines, in hex but the id */
static void parse_perf_ids(struct decoder *d)
{
	const char *text = recording_attr(d->rec, "perf/ids");

	while (text && *text) {
		unsigned long long id, st, rf;
		const char *nl = strchr(text, '\n');

		if (sscanf(text, "%llu %llx %llx", &id, &st, &rf) == 3 && !intmap_get(&d->perf_ids, id)) {
			struct perf_id *p = xmalloc(sizeof(*p));

			p->sample_type = st;
			p->read_format = rf;
			intmap_put(&d->perf_ids, id, p);
		}
		if (!nl)
			break;
		text = nl + 1;
	}
}
void decoder_set_threads(struct decoder *d, int n)
{
	d->threads = n < 1 ? 1 : n > DECODER_MAX_THREADS ? DECODER_MAX_THREADS : n;
}

/* The common fields every event starts with, as libtraceevent finds them (its first event's) */
static void resolve_common(struct decoder *d)
{
	struct tep_event **all = tep_list_events(d->tep, TEP_EVENT_SORT_ID);
	struct tep_format_field *t = NULL, *p = NULL;

	d->swap = tep_is_file_bigendian(d->tep) != tep_is_local_bigendian(d->tep);
	if (all && all[0]) {
		t = tep_find_common_field(all[0], "common_type");
		p = tep_find_common_field(all[0], "common_pid");
	}
	if (t && p && t->offset >= 0 && p->offset >= 0) {
		d->type_off = t->offset;
		d->type_size = t->size;
		d->pid_off = p->offset;
		d->pid_size = p->size;
	}
}

static bool heap_less(struct cpu_stream *a, struct cpu_stream *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->cpu < b->cpu);
}

void decoder_heap_push(struct decoder *d, struct cpu_stream *s)
{
	int i = d->heap_len++;

	d->heap[i] = s;
	while (i && heap_less(d->heap[i], d->heap[(i - 1) / 2])) {
		struct cpu_stream *t = d->heap[i];

		d->heap[i] = d->heap[(i - 1) / 2];
		d->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

void decoder_heap_sift_down(struct decoder *d)
{
	int i = 0;

	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		struct cpu_stream *t;

		if (l < d->heap_len && heap_less(d->heap[l], d->heap[m]))
			m = l;
		if (r < d->heap_len && heap_less(d->heap[r], d->heap[m]))
			m = r;
		if (m == i)
			return;
		t = d->heap[i];
		d->heap[i] = d->heap[m];
		d->heap[m] = t;
		i = m;
	}
}

struct decoder *decoder_new(struct recording *r)
{
	return decoder_new_multi(&r, 1);
}

/* Each stream's CPU and its kbuffer; -1 with errno ENOMEM */
int decoder_init_streams(struct decoder *d)
{
	const struct tep_layout l = {
		.long_size = d->long_size, .page_size = d->page_size, .big_endian = d->big_endian,
	};

	for (int c = 0; c < d->nr; c++) {
		d->cpus[c].cpu = c % d->ncpus;
		d->cpus[c].kbuf = format_kbuffer_new(&l);
		if (!d->cpus[c].kbuf) {
			errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}

struct decoder *decoder_new_multi(struct recording **recs, size_t nr_recs)
{
	struct decoder *d = xcalloc(1, sizeof(*d));
	struct recording *r = recs[0];
	const char *endian = recording_attr(r, "meta/endian");
	int ret, maxcpu = -1;

	d->rec = r;
	d->recs = recs;
	d->nr_recs = nr_recs;
	d->only_cpu = -1;
	d->long_size = recording_attr_u64(r, "meta/long_size", 8);
	d->page_size = recording_attr_u64(r, "meta/subbuf_size",
					  recording_attr_u64(r, "meta/page_size", 4096));
	d->big_endian = endian && !strcmp(endian, "big");
	if ((d->long_size != 4 && d->long_size != 8) || d->page_size < 64 ||
	    d->page_size > (1 << 20)) {
		errno = EBADMSG;
		goto fail;
	}
	ret = decoder_parse_formats(d);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	parse_perf_ids(d);

	for (size_t f = 0; f < nr_recs; f++) {
		for (size_t i = 0; i < recs[f]->nr_chunks; i++) {
			const struct chunk_info *ci = &recs[f]->chunks[i].info;

			if (!FTIO_CHUNK_HAS_EVENTS(ci->type))
				continue;
			if (ci->cpu >= 8192 || FTIO_CHUNK_STREAM(ci->flags) >= 4) {
				/* no machine has that CPU: damage, which must not sink the rest */
				recording_warn(recs[f], "chunk at offset %llu names CPU %u stream %u: skipped",
					       (unsigned long long)recs[f]->chunks[i].offset, ci->cpu,
					       FTIO_CHUNK_STREAM(ci->flags));
				recs[f]->chunks[i].bad = true;
				continue;
			}
			if ((int)ci->cpu > maxcpu)
				maxcpu = ci->cpu;
			if ((int)FTIO_CHUNK_STREAM(ci->flags) + 1 > d->nstreams)
				d->nstreams = FTIO_CHUNK_STREAM(ci->flags) + 1;
		}
	}
	d->ncpus = maxcpu + 1;
	d->nr = d->ncpus * d->nstreams;
	tep_set_cpus(d->tep, d->ncpus);
	d->cpus = xcalloc(d->nr ? d->nr : 1, sizeof(*d->cpus));
	d->heap = xcalloc(d->nr ? d->nr : 1, sizeof(*d->heap));
	/* files in time order, so each (stream, cpu) sequence continues across them */
	for (size_t f = 0; f < nr_recs; f++) {
		for (size_t i = 0; i < recs[f]->nr_chunks; i++) {
			const struct chunk_info *ci = &recs[f]->chunks[i].info;
			struct cpu_stream *s;

			if (!FTIO_CHUNK_HAS_EVENTS(ci->type) || recs[f]->chunks[i].bad)
				continue;
			s = &d->cpus[FTIO_CHUNK_STREAM(ci->flags) * d->ncpus + ci->cpu];
			if (!s->nr_chunks) {
				s->perf = ci->type == FTIO_CHUNK_PERF;
			} else if (s->perf != (ci->type == FTIO_CHUNK_PERF)) {
				recording_warn(recs[f], "chunk at offset %llu mixes perf and tracefs data in one stream: skipped",
					       (unsigned long long)recs[f]->chunks[i].offset);
				continue;
			}
			/* the same pages twice (a copied chunk) would be decoded twice */
			{
				bool dup = false;

				for (size_t k = s->nr_chunks > 8 ? s->nr_chunks - 8 : 0; k < s->nr_chunks && !dup; k++) {
					const struct chunk_info *o = &s->chunks[k].rec->chunks[s->chunks[k].idx].info;

					dup = o->payload_crc == ci->payload_crc && o->first_ts == ci->first_ts &&
					      o->stored_size == ci->stored_size;
				}
				if (dup) {
					recording_warn(recs[f], "chunk at offset %llu repeats an earlier one: skipped",
						       (unsigned long long)recs[f]->chunks[i].offset);
					continue;
				}
			}
			s->chunks = xrealloc(s->chunks, (s->nr_chunks + 1) * sizeof(*s->chunks));
			s->chunks[s->nr_chunks++] = (struct chunk_pos){ recs[f], i, 0 };
		}
	}
	if (decoder_init_streams(d) < 0)
		goto fail;
	return d;
fail:
	ret = errno;
	decoder_free(d);
	errno = ret;
	return NULL;
}

void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	prefetch_stop(d);
	for (int c = 0; c < d->nr && d->cpus; c++) {
		if (d->cpus[c].kbuf)
			kbuffer_free(d->cpus[c].kbuf);
		free(d->cpus[c].buf);
		free(d->cpus[c].pw);
		free(d->cpus[c].chunks);
		while (d->cpus[c].live_head) {
			struct live_chunk *lc = d->cpus[c].live_head;

			d->cpus[c].live_head = lc->next;
			free(lc->buf);
			free(lc);
		}
	}
	free(d->cpus);
	free(d->heap);
	free(d->by_type);
	free(d->type_known);
	intmap_release_values(&d->perf_ids, free);
	if (d->tep)
		tep_free(d->tep);
	free(d);
}

struct tep_handle *decoder_tep(struct decoder *d)
{
	return d->tep;
}

void decoder_set_cpu(struct decoder *d, int cpu)
{
	d->only_cpu = cpu;
}

/* The file a stream's current chunk came from, for its warnings */
static struct recording *stream_rec(struct decoder *d, struct cpu_stream *s)
{
	return d->live || !s->next_chunk ? d->rec : s->chunks[s->next_chunk - 1].rec;
}

static uint64_t read_long(struct decoder *d, const uint8_t *p)
{
	return tep_read_number(d->tep, p, d->long_size);
}

/*
 * Inflates the next chunk of @s; false at the end.  The chunks that all
 * streams hold at once stay under DECODER_MAX_HELD: one that would pass
 * it is skipped with a warning, as damage (a hostile file's 16 CPUs of
 * 64 MiB chunks took 1 GB).
 */
static bool load_chunk(struct decoder *d, struct cpu_stream *s)
{
	for (;;) {
		struct chunk_pos *pos;
		ssize_t n;
		void *buf;

		free(s->buf);
		free(s->pw);
		s->pw = NULL;
		s->pw_n = s->pw_i = 0;
		d->held -= s->len;
		s->buf = NULL;
		s->len = s->page_off = s->rec_off = 0;
		if (d->live) {
			struct live_chunk *lc = s->live_head;

			if (!lc)
				return false;
			s->live_head = lc->next;
			if (!s->live_head)
				s->live_tail = NULL;
			s->buf = lc->buf;
			s->len = lc->len;
			/* counted when fed */
			free(lc);
			return true;
		}
		if (s->next_chunk >= s->nr_chunks)
			return false;
		pos = &s->chunks[s->next_chunk++];
		if (d->held + pos->rec->chunks[pos->idx].info.raw_size > DECODER_MAX_HELD) {
			recording_warn(pos->rec, "chunk at offset %llu skipped: with the other CPUs' chunks it would hold more than %u MiB",
				       (unsigned long long)pos->rec->chunks[pos->idx].offset,
				       DECODER_MAX_HELD >> 20);
			pos->rec->chunks[pos->idx].bad = true;
			pos->rec->damaged_bytes += FTIO_CHUNK_HEADER_SIZE +
						   pos->rec->chunks[pos->idx].info.stored_size;
			prefetch_drop(d, pos);
			continue;
		}
		n = prefetch_take(d, pos, &buf, s);
		if (n < 0)
			continue;
		s->buf = buf;
		s->len = n;
		d->held += n;
		return true;
	}
}

static uint64_t rd(struct decoder *d, const uint8_t *p, int size)
{
	return tep_read_number(d->tep, p, size);
}

/*
 * Parses one PERF_RECORD_SAMPLE body [p, end) into s->cur/ts/values;
 * false when it is not one ftio can read.  The order of the fields is the
 * kernel's (perf_output_sample): identifier, ip, tid, time, addr, id,
 * stream_id, cpu, period, read, ..., raw.
 */
static bool perf_sample(struct decoder *d, struct cpu_stream *s, const uint8_t *p,
			const uint8_t *end)
{
	uint64_t st = PERF_DEFAULT_SAMPLE_TYPE, rf = PERF_FORMAT_GROUP;
	uint32_t raw_size;

#define NEED(n) do { if (end - p < (ptrdiff_t)(n)) return false; } while (0)
	NEED(8);
	{
		const struct perf_id *pid = intmap_get(&d->perf_ids, rd(d, p, 8));

		if (pid) {
			st = pid->sample_type;
			rf = pid->read_format;
		}
	}
	if ((st & ~PERF_KNOWN_SAMPLE_TYPE) || !(st & PERF_SAMPLE_RAW) || !(st & PERF_SAMPLE_TIME))
		return false;
	if (st & PERF_SAMPLE_IDENTIFIER)
		p += 8;
	if (st & PERF_SAMPLE_IP)
		p += 8;
	if (st & PERF_SAMPLE_TID)
		p += 8;
	NEED(8);
	s->ts = rd(d, p, 8);
	p += 8;
	if (st & PERF_SAMPLE_ID)
		p += 8;
	if (st & PERF_SAMPLE_STREAM_ID)
		p += 8;
	if (st & PERF_SAMPLE_CPU)
		p += 8;
	if (st & PERF_SAMPLE_PERIOD)
		p += 8;
	s->nr_values = 0;
	if (st & PERF_SAMPLE_READ) {
		uint64_t nr = 1;
		int per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST);

		if (rf & PERF_FORMAT_GROUP) {
			NEED(8);
			nr = rd(d, p, 8);
			p += 8;
		}
		if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED)
			p += 8;
		if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING)
			p += 8;
		if (nr > 64)
			return false;
		NEED(nr * per * 8);
		for (uint64_t i = 0; i < nr; i++, p += per * 8)
			if (s->nr_values < DECODER_MAX_VALUES)
				s->values[s->nr_values++] = rd(d, p, 8);
	}
	NEED(4);
	raw_size = rd(d, p, 4);
	p += 4;
	NEED(raw_size);
	if (raw_size < 8)
		return false;
	s->cur = (void *)p;
	s->cur_size = raw_size;
	return true;
#undef NEED
}

/* Moves @s to its next sample; false at the end */
static bool perf_next(struct decoder *d, struct cpu_stream *s)
{
	s->cur = NULL;
	for (;;) {
		const uint8_t *p;
		uint32_t type, size;

		if (s->rec_off + 8 > s->len) {
			if (!load_chunk(d, s))
				return false;
			continue;
		}
		p = s->buf + s->rec_off;
		type = rd(d, p, 4);
		size = rd(d, p + 6, 2);
		if (size < 8 || s->rec_off + size > s->len) {
			/* a damaged length: the rest of this chunk cannot be framed */
			d->st.bad_pages++;
			s->rec_off = s->len;
			continue;
		}
		s->rec_off += size;
		if (type == PERF_RECORD_LOST && size >= 24) {
			uint64_t lost = rd(d, p + 16, 8);

			s->missed = u64_add_sat(s->missed, lost);
			d->st.missed = u64_add_sat(d->st.missed, lost);
		} else if (type == PERF_RECORD_SAMPLE) {
			if (perf_sample(d, s, p + 8, p + size))
				return true;
			d->st.bad_pages++;
		}
	}
}

/* The next event of a walked chunk, with what the walk met before it; false at its end */
static bool pw_next(struct decoder *d, struct cpu_stream *s)
{
	while (s->pw_i < s->pw_n) {
		const struct pw_entry *e = &s->pw[s->pw_i++];

		switch (e->kind) {
		case PW_EVENT:
			s->cur = s->buf + e->off;
			s->ts = e->ts;
			s->cur_size = e->size;
			return true;
		case PW_BAD_HEADER:
			if (!d->st.bad_pages++)
				recording_warn(stream_rec(d, s),
					       "sub-buffers with impossible headers (damage, or a byte order "
					       "or word size that does not match meta/endian and meta/long_size): skipped");
			break;
		case PW_EMPTY:
			d->empty_pages++;
			break;
		case PW_BAD_LOAD:
			d->st.bad_pages++;
			break;
		case PW_MISSED:
			s->missed = u64_add_sat(s->missed, e->size);
			d->st.missed = u64_add_sat(d->st.missed, e->size);
			break;
		case PW_MISSED_UNKNOWN:
			d->st.missed_unknown++;
			s->missed = u64_add_sat(s->missed, 1);
			break;
		case PW_NO_ADVANCE:
			if (!d->st.bad_pages++)
				recording_warn(stream_rec(d, s),
					       "a sub-buffer whose events do not advance: the rest of it skipped");
			break;
		}
	}
	s->cur = NULL;
	return false;
}

/* Loads the next valid page of @s into its kbuffer; false at the end */
bool decoder_load_page(struct decoder *d, struct cpu_stream *s)
{
	size_t hdr = 8 + d->long_size;

	if (s->perf)
		return perf_next(d, s);
	for (;;) {
		uint8_t *page;
		uint64_t commit, data;

		if (s->pw) {
			if (pw_next(d, s))
				return true;
			/* the walked chunk is over */
			s->page_off = s->len;
		}
		if (s->page_off + d->page_size > s->len) {
			if (!load_chunk(d, s))
				return false;
			continue;
		}
		page = s->buf + s->page_off;
		s->page_off += d->page_size;
		commit = read_long(d, page + 8);
		/*
		 * bits 31 and 30 flag missed events (RB_MISSED_EVENTS/STORED);
		 * on 64-bit kernels bit 31 sign-extends, so mask the size
		 */
		data = commit & ((1ULL << 27) - 1);
		if (data > d->page_size - hdr) {
			if (!d->st.bad_pages++)
				recording_warn(stream_rec(d, s),
					       "sub-buffers with impossible headers (damage, or a byte order "
					       "or word size that does not match meta/endian and meta/long_size): skipped");
			continue;
		}
		if (!data) {
			d->empty_pages++;
			continue;
		}
		if (kbuffer_load_subbuffer(s->kbuf, page) < 0) {
			d->st.bad_pages++;
			continue;
		}
		if (commit & (1ULL << 31)) {
			int m = kbuffer_missed_events(s->kbuf);

			if (m > 0) {
				s->missed = u64_add_sat(s->missed, m);
				d->st.missed = u64_add_sat(d->st.missed, m);
			} else {
				d->st.missed_unknown++;
				s->missed = u64_add_sat(s->missed, 1);
			}
		}
		s->cur = kbuffer_read_event(s->kbuf, &s->ts);
		if (s->cur)
			return true;
	}
}

bool decoder_stream_advance(struct decoder *d, struct cpu_stream *s)
{
	if (s->perf)
		return perf_next(d, s);
	if (s->pw)
		return decoder_load_page(d, s);
	if (s->cur) {
		int before = kbuffer_curr_offset(s->kbuf);

		s->cur = kbuffer_next_event(s->kbuf, &s->ts);
		/*
		 * A damaged length word can leave kbuffer on the same record
		 * for ever (found by fuzzing: a spin with rising timestamps):
		 * a page that does not move on loses the rest of itself
		 */
		if (s->cur && kbuffer_curr_offset(s->kbuf) <= before) {
			if (!d->st.bad_pages++)
				recording_warn(stream_rec(d, s),
					       "a sub-buffer whose events do not advance: the rest of it skipped");
			s->cur = NULL;
		}
	}
	if (s->cur)
		return true;
	return decoder_load_page(d, s);
}

/* Hands out the top of the heap as @ev; it borrows the stream's buffer until the next call */
int decoder_emit(struct decoder *d, struct ftio_event *ev)
{
	struct cpu_stream *s = d->heap[0];
	struct tep_record rec;
	int type;

	memset(&rec, 0, sizeof(rec));
	rec.ts = s->ts;
	rec.cpu = s->cpu;
	rec.data = s->cur;
	rec.size = s->perf || s->pw ? s->cur_size : kbuffer_event_size(s->kbuf);
	if (!s->perf && !s->pw) {
		/* a damaged length word must not reach past the sub-buffer (found by fuzzing) */
		uint8_t *end = s->buf + s->page_off, *p = s->cur;
		ptrdiff_t left = end - p;

		if (p < s->buf || left <= 0)
			rec.size = 0;
		else if (rec.size < 0 || rec.size > left)
			rec.size = left;
	}
	ev->ts = s->ts;
	ev->cpu = s->cpu;
	ev->data = s->cur;
	ev->size = rec.size;
	ev->missed = s->missed;
	s->missed = 0;
	ev->values = s->perf ? s->values : NULL;
	ev->nr_values = s->perf ? s->nr_values : 0;
	type = d->type_size ? (int)read_num(d, rec.data + d->type_off, d->type_size)
			    : tep_data_type(d->tep, &rec);
	if (type >= 0 && type <= 0xffff) {
		if (!d->by_type) {
			d->by_type = xcalloc(0x10000, sizeof(*d->by_type));
			d->type_known = xcalloc(0x10000, 1);
		}
		if (!d->type_known[type]) {
			d->by_type[type] = tep_find_event(d->tep, type);
			d->type_known[type] = 1;
		}
		ev->event = d->by_type[type];
	} else {
		ev->event = tep_find_event(d->tep, type);
	}
	ev->pid = d->pid_size ? (int)read_num(d, rec.data + d->pid_off, d->pid_size)
			      : tep_data_pid(d->tep, &rec);
	if (!ev->event)
		d->st.unknown_events++;
	d->st.events++;
	return 1;
}

int decoder_next(struct decoder *d, struct ftio_event *ev)
{
	struct cpu_stream *s;

	if (d->live)
		return decoder_live_next(d, ev);
	if (!d->primed) {
		d->primed = true;
		prefetch_start(d);
		for (int c = 0; c < d->nr; c++) {
			if (d->only_cpu >= 0 && d->cpus[c].cpu != d->only_cpu)
				continue;
			if (decoder_load_page(d, &d->cpus[c]))
				decoder_heap_push(d, &d->cpus[c]);
		}
	} else if (d->heap_len) {
		/* the top stream's record was handed out last time: move it on */
		s = d->heap[0];
		if (decoder_stream_advance(d, s)) {
			decoder_heap_sift_down(d);
		} else {
			d->heap[0] = d->heap[--d->heap_len];
			decoder_heap_sift_down(d);
		}
	}
	if (!d->heap_len) {
		/* only empty pages: the pages were not read the way they were written */
		if (!d->st.events && d->empty_pages && !d->warned_empty) {
			d->warned_empty = true;
			recording_warn(d->rec, "%llu sub-buffers hold no event: a byte order or word size "
				       "that does not match meta/endian and meta/long_size, or damage",
				       (unsigned long long)d->empty_pages);
		}
		return 0;
	}
	return decoder_emit(d, ev);
}

void decoder_get_stats(struct decoder *d, struct decoder_stats *st)
{
	*st = d->st;
}

int field_ref_init(struct field_ref *ref, struct tep_event *event, const char *name)
{
	struct tep_format_field *f = event ? tep_find_field(event, name) : NULL;

	memset(ref, 0, sizeof(*ref));
	if (!f)
		return -ENOENT;
	ref->offset = f->offset;
	ref->size = f->size;
	ref->is_signed = f->flags & TEP_FIELD_IS_SIGNED;
	ref->is_dynamic = f->flags & TEP_FIELD_IS_DYNAMIC;
	ref->is_relative = f->flags & TEP_FIELD_IS_RELATIVE;
	ref->valid = true;
	return 0;
}

/* Is [off, off + size) inside the record?  In 64 bits: a hostile format's offset may be near 2^31 */
static bool in_record(const struct ftio_event *ev, int64_t off, int64_t size)
{
	return off >= 0 && size >= 0 && off + size <= ev->size;
}

uint64_t field_u64(struct decoder *d, const struct ftio_event *ev, const struct field_ref *f)
{
	if (!f->valid || !in_record(ev, f->offset, f->size) || f->size > 8 || f->size <= 0)
		return 0;
	return read_num(d, (uint8_t *)ev->data + f->offset, f->size);
}

int64_t field_s64(struct decoder *d, const struct ftio_event *ev, const struct field_ref *f)
{
	uint64_t v = field_u64(d, ev, f);

	if (f->size > 0 && f->size < 8) {
		int shift = 64 - 8 * f->size;

		return (int64_t)(v << shift) >> shift;
	}
	return (int64_t)v;
}

const char *field_str(struct decoder *d, const struct ftio_event *ev, const struct field_ref *f,
		      int *len)
{
	const char *p;
	int off, n;

	if (!f->valid || !in_record(ev, f->offset, f->is_dynamic ? 4 : f->size))
		return NULL;
	if (f->is_dynamic) {
		uint32_t word = tep_read_number(d->tep, (uint8_t *)ev->data + f->offset, 4);

		off = word & 0xffff;
		n = word >> 16;
		if (f->is_relative)
			off += f->offset + f->size;
	} else {
		off = f->offset;
		n = f->size;
	}
	if (!in_record(ev, off, n))
		return NULL;
	p = (const char *)ev->data + off;
	*len = strnlen(p, n);
	return p;
}
