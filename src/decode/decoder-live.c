// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder fed in memory while tracing (decoder_new_live(), see
 * decoder.h): each CPU's sub-buffers queue in memory instead of coming
 * from a file, and the readers' marks say how far each CPU was read, so
 * that the k-way merge hands out an event only when no CPU can still
 * bring an older one.
 */
#include <errno.h>
#include <stdlib.h>

#include "decode/decoder-int.h"
#include "format/tep.h"
#include "lib/util.h"

/*
 * Live: the merge may hand out an event only when no stream still to be
 * fed can bring an older one, that is, when it is not newer than the
 * lowest mark of the streams that are out of events.
 */
int decoder_live_next(struct decoder *d, struct ftio_event *ev)
{
	if (d->handed) {
		struct cpu_stream *s = d->heap[0];
		uint64_t last = s->ts;

		d->handed = false;
		if (decoder_stream_advance(d, s)) {
			decoder_heap_sift_down(d);
		} else {
			d->heap[0] = d->heap[--d->heap_len];
			decoder_heap_sift_down(d);
			s->hungry = true;
			/* its own events are in order: the next is no older */
			if (last > s->wm)
				s->wm = last;
			d->limit_dirty = true;
		}
	}
	for (int c = 0; c < d->nr; c++) {
		struct cpu_stream *s = &d->cpus[c];

		if (s->hungry && s->live_head && decoder_load_page(d, s)) {
			s->hungry = false;
			d->limit_dirty = true;
			decoder_heap_push(d, s);
		}
	}
	if (!d->heap_len)
		return 0;
	if (d->limit_dirty) {
		d->limit = UINT64_MAX;
		for (int c = 0; c < d->nr; c++)
			if (d->cpus[c].hungry && d->cpus[c].known && d->cpus[c].wm < d->limit)
				d->limit = d->cpus[c].wm;
		d->limit_dirty = false;
	}
	if (!d->live_end && d->heap[0]->ts > d->limit)
		return 0;
	d->handed = true;
	return decoder_emit(d, ev);
}

struct decoder *decoder_new_live(struct recording *r, int ncpus, int nstreams)
{
	struct decoder *d = xcalloc(1, sizeof(*d));
	const char *endian = recording_attr(r, "meta/endian");
	int ret;

	d->rec = r;
	d->recs = &d->rec;
	d->nr_recs = 1;
	d->only_cpu = -1;
	d->live = true;
	d->limit_dirty = true;
	d->long_size = recording_attr_u64(r, "meta/long_size", 8);
	d->page_size = recording_attr_u64(r, "meta/subbuf_size",
					  recording_attr_u64(r, "meta/page_size", 4096));
	d->big_endian = endian && !strcmp(endian, "big");
	if ((d->long_size != 4 && d->long_size != 8) || d->page_size < 64 ||
	    d->page_size > (1 << 20) || ncpus < 1 || ncpus > 8192 || nstreams < 1 || nstreams > 2) {
		errno = EINVAL;
		goto fail;
	}
	ret = decoder_parse_formats(d);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	d->ncpus = ncpus;
	d->nstreams = nstreams;
	d->nr = ncpus * nstreams;
	tep_set_cpus(d->tep, d->ncpus);
	d->cpus = xcalloc(d->nr, sizeof(*d->cpus));
	d->heap = xcalloc(d->nr, sizeof(*d->heap));
	if (decoder_init_streams(d) < 0)
		goto fail;
	for (int c = 0; c < d->nr; c++)
		d->cpus[c].hungry = true;
	return d;
fail:
	ret = errno;
	decoder_free(d);
	errno = ret;
	return NULL;
}

static struct cpu_stream *live_stream(struct decoder *d, unsigned int stream, uint32_t cpu)
{
	if (!d->live || stream >= (unsigned int)d->nstreams || cpu >= (uint32_t)d->ncpus)
		return NULL;
	return &d->cpus[stream * d->ncpus + cpu];
}

int decoder_live_feed(struct decoder *d, unsigned int stream, uint32_t cpu, void *buf, size_t len)
{
	struct cpu_stream *s = live_stream(d, stream, cpu);
	struct live_chunk *lc;

	if (!s || !len) {
		free(buf);
		return s ? 0 : -EINVAL;
	}
	lc = xcalloc(1, sizeof(*lc));
	lc->buf = buf;
	lc->len = len;
	if (s->live_tail)
		s->live_tail->next = lc;
	else
		s->live_head = lc;
	s->live_tail = lc;
	d->held += len;
	s->known = true;
	return 0;
}

void decoder_live_mark(struct decoder *d, unsigned int stream, uint32_t cpu, uint64_t ts)
{
	struct cpu_stream *s = live_stream(d, stream, cpu);

	if (!s)
		return;
	s->known = true;
	if (ts > s->wm) {
		s->wm = ts;
		d->limit_dirty = true;
	}
}

void decoder_live_end(struct decoder *d)
{
	d->live_end = true;
}

uint64_t decoder_live_held(struct decoder *d)
{
	return d->held;
}
