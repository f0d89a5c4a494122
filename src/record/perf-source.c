// SPDX-License-Identifier: GPL-2.0
/*
 * The perf_event transport; see perf-source.h.  One ring per CPU, read by
 * one thread per CPU: the first sampling event opened on a CPU owns the
 * ring and every other one is redirected into it, so a CPU's records come
 * out in the order they were written, which is time order.
 *
 * perf_event_open() has no library wrapper in libtracefs or libtraceevent,
 * and perf's own libperf is not packaged for Debian 12: the syscall and
 * the ring protocol (data_head/data_tail with acquire/release) are used
 * directly, as tools/perf does.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>
#include <ftio/format.h>

#include "record/chunk-writer.h"
#include "record/perf-source.h"
#include "lib/util.h"

#define BATCH_BYTES (256u << 10)
#define SAMPLE_TYPE (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
		     PERF_SAMPLE_CPU | PERF_SAMPLE_RAW)

struct pevent {
	int fd;
	int cpu;
	uint64_t id;
	uint64_t sample_type;
	uint64_t read_format;
	bool exclude_own;	/* system-wide, ftio's threads kept out by the filter */
	char *filter;		/* its own filter (-p's device), or NULL */
	int group;		/* -1: not in a counter group */
};

struct ring {
	struct perf_source *ps;
	int cpu;
	int fd;			/* the event that owns the mmap */
	void *base;
	struct perf_event_mmap_page *meta;
	uint8_t *data;
	uint64_t size;		/* data area, a power of two */
	pthread_t thread;
	bool started;
	atomic_int tid;
	uint8_t *batch;
	size_t len;
	uint64_t first_ts, last_ts;
	uint64_t samples, lost, bytes;
	int err;
};

struct perf_source {
	int ncpus;
	size_t ring_bytes;
	struct pevent *ev;
	size_t nr_ev;
	struct ring *rings;
	struct chunk_writer *w;
	unsigned int stream;
	unsigned int flush_ms;
	atomic_int stop;
	int nr_groups;
	pid_t *exclude;		/* ftio's own threads, for system-wide events */
	size_t nr_exclude;
	bool filtered;
	bool no_format_lost;	/* the kernel predates PERF_FORMAT_LOST (6.0) */
	uint64_t read_lost;	/* what read() said at the stop */
};

static int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd)
{
	int fd, tries = 0;

	/* a task being forked or exec'd can say ESRCH for a moment */
	do
		fd = syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
	while (fd < 0 && errno == ESRCH && pid > 0 && ++tries < 5 && !usleep(2000));
	return fd < 0 ? -errno : fd;
}

struct perf_source *perf_source_new(int ncpus, unsigned int ring_kb)
{
	struct perf_source *ps;
	size_t page = getpagesize(), want = (size_t)ring_kb << 10, size = page;

	if (ncpus <= 0) {
		errno = EINVAL;
		return NULL;
	}
	while (size < want && size < (256u << 20))
		size <<= 1;
	ps = xcalloc(1, sizeof(*ps));
	ps->ncpus = ncpus;
	ps->ring_bytes = size;
	ps->rings = xcalloc(ncpus, sizeof(*ps->rings));
	for (int c = 0; c < ncpus; c++) {
		ps->rings[c].ps = ps;
		ps->rings[c].cpu = c;
		ps->rings[c].fd = -1;
	}
	return ps;
}

static void attr_common(struct perf_source *ps, struct perf_event_attr *a)
{
	a->size = sizeof(*a);
	a->disabled = 1;
	/* the clock tracefs instances use ("mono"), so both transports merge */
	a->use_clockid = 1;
	a->clockid = CLOCK_MONOTONIC;
	/* wake the reader at a quarter full; it polls with a timeout anyway */
	a->watermark = 1;
	a->wakeup_watermark = ps->ring_bytes / 4;
}

/* Maps the ring of @cpu on @fd, or redirects @fd into the existing one */
static int ring_attach(struct perf_source *ps, int cpu, int fd)
{
	struct ring *r = &ps->rings[cpu];
	size_t page = getpagesize();

	if (r->fd >= 0)
		return ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, r->fd) < 0 ? -errno : 0;
	r->base = mmap(NULL, page + ps->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		return -errno;
	}
	r->fd = fd;
	r->meta = r->base;
	r->data = (uint8_t *)r->base + page;
	r->size = ps->ring_bytes;
	return 0;
}

static struct pevent *event_add(struct perf_source *ps, int fd, int cpu,
				const struct perf_event_attr *a, bool exclude_own, int group)
{
	struct pevent *e;

	ps->ev = xrealloc(ps->ev, (ps->nr_ev + 1) * sizeof(*ps->ev));
	e = &ps->ev[ps->nr_ev++];
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->cpu = cpu;
	e->sample_type = a->sample_type;
	e->read_format = a->read_format;
	e->exclude_own = exclude_own;
	e->group = group;
	if (ioctl(fd, PERF_EVENT_IOC_ID, &e->id) < 0)
		e->id = 0;
	return e;
}

int perf_source_add_tracepoint(struct perf_source *ps, uint64_t id, const pid_t *tids,
			       size_t nr_tids, const char *filter, bool exclude_own)
{
	size_t n = tids && nr_tids ? nr_tids : 1, opened = 0;

	for (int cpu = 0; cpu < ps->ncpus; cpu++) {
		for (size_t t = 0; t < n; t++) {
			struct perf_event_attr a = { 0 };
			struct pevent *e;
			pid_t pid = tids && nr_tids ? tids[t] : -1;
			int fd, ret;

			attr_common(ps, &a);
			a.type = PERF_TYPE_TRACEPOINT;
			a.config = id;
			a.sample_period = 1;
			a.sample_type = SAMPLE_TYPE;
			a.inherit = tids && nr_tids;
			/*
			 * The kernel writes a LOST record only once it has room
			 * again: what was lost at the very end is said by read()
			 */
			a.read_format = ps->no_format_lost ? 0 : PERF_FORMAT_LOST;
			fd = sys_perf_event_open(&a, pid, cpu, -1);
			if (fd == -EINVAL && a.read_format) {
				/* before Linux 6.0: the LOST records alone */
				ps->no_format_lost = true;
				a.read_format = 0;
				fd = sys_perf_event_open(&a, pid, cpu, -1);
			}
			/* a CPU that is offline has nothing to record; a thread gone, no more */
			if (fd == -ENODEV || (fd == -ESRCH && n > 1))
				continue;
			if (fd < 0)
				return fd;
			opened++;
			e = event_add(ps, fd, cpu, &a, !(tids && nr_tids) && exclude_own, -1);
			ret = ring_attach(ps, cpu, fd);
			if (ret)
				return ret;
			/* set at the first enable, with the exclusions: a filter is set once */
			if (filter && *filter)
				e->filter = xstrdup(filter);
		}
	}
	return opened ? 0 : -ESRCH;
}

int perf_source_add_group(struct perf_source *ps, const uint64_t *tp_ids, int nr_tp,
			  const struct perf_event_attr *ctrs, int nr_ctrs, const pid_t *tids,
			  size_t nr_tids, bool inherit)
{
	int group = ps->nr_groups++;
	for (int cpu = 0; cpu < ps->ncpus; cpu++) {
		for (size_t t = 0; t < nr_tids; t++) {
			int leader = -1;

			for (int m = 0; m < nr_tp + nr_ctrs; m++) {
				struct perf_event_attr a = { 0 };
				int fd, ret;

				if (m < nr_tp) {
					attr_common(ps, &a);
					a.type = PERF_TYPE_TRACEPOINT;
					a.config = tp_ids[m];
					a.sample_period = 1;
					a.sample_type = SAMPLE_TYPE | PERF_SAMPLE_READ;
				} else {
					a = ctrs[m - nr_tp];
					attr_common(ps, &a);
					a.sample_period = 0;
					a.sample_type = 0;
					a.watermark = 0;
					a.wakeup_watermark = 0;
				}
				a.read_format = PERF_FORMAT_GROUP;
				a.inherit = inherit;
				/* members follow the leader's state */
				a.disabled = leader < 0;
				fd = sys_perf_event_open(&a, tids[t], cpu, leader);
				if (fd == -ENODEV && leader < 0)
					break;
				if (fd < 0)
					return fd;
				event_add(ps, fd, cpu, &a, false, group);
				if (leader < 0)
					leader = fd;
				if (m < nr_tp) {
					ret = ring_attach(ps, cpu, fd);
					if (ret)
						return ret;
				}
			}
		}
	}
	return 0;
}

void perf_source_exclude(struct perf_source *ps, pid_t tid)
{
	for (size_t i = 0; i < ps->nr_exclude; i++)
		if (ps->exclude[i] == tid)
			return;
	ps->exclude = xrealloc(ps->exclude, (ps->nr_exclude + 1) * sizeof(*ps->exclude));
	ps->exclude[ps->nr_exclude++] = tid;
}

/*
 * The kernel takes one filter per perf event (a second is EEXIST): each
 * event gets its own filter and, when system-wide, the exclusions, once
 */
static int set_filters(struct perf_source *ps)
{
	struct strbuf ex = STRBUF_INIT;
	int ret = 0;

	for (int c = 0; c < ps->ncpus; c++)
		if (ps->rings[c].started)
			perf_source_exclude(ps, atomic_load(&ps->rings[c].tid));
	for (size_t i = 0; i < ps->nr_exclude; i++)
		strbuf_addf(&ex, "%scommon_pid != %d", ex.len ? " && " : "", (int)ps->exclude[i]);
	for (size_t i = 0; i < ps->nr_ev && !ret; i++) {
		struct pevent *e = &ps->ev[i];
		char *f;

		if (e->exclude_own && ex.len)
			f = e->filter ? xasprintf("(%s) && %s", e->filter, ex.buf) : xstrdup(ex.buf);
		else if (e->filter)
			f = xstrdup(e->filter);
		else
			continue;
		if (ioctl(e->fd, PERF_EVENT_IOC_SET_FILTER, f) < 0)
			ret = -errno;
		free(f);
	}
	strbuf_release(&ex);
	return ret;
}

int perf_source_enable(struct perf_source *ps, bool on)
{
	int ret = 0;

	if (on && !ps->filtered) {
		ps->filtered = true;
		ret = set_filters(ps);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < ps->nr_ev; i++)
		if (ioctl(ps->ev[i].fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0) < 0 &&
		    !ret)
			ret = -errno;
	return ret;
}

static int batch_submit(struct ring *r)
{
	struct perf_source *ps = r->ps;
	int ret;

	if (!r->len)
		return 0;
	ret = chunk_writer_submit(ps->w, FTIO_CHUNK_PERF, ps->stream, r->cpu, r->first_ts,
				  r->last_ts, r->batch, r->len);
	r->batch = NULL;
	r->len = 0;
	return ret;
}

/* Copies @n bytes at ring offset @off, across the end of the ring */
static void ring_copy(struct ring *r, uint64_t off, void *dst, size_t n)
{
	uint64_t o = off & (r->size - 1);
	size_t first = n < r->size - o ? n : r->size - o;

	memcpy(dst, r->data + o, first);
	if (first < n)
		memcpy((uint8_t *)dst + first, r->data, n - first);
}

/* Moves every complete record out of the ring; returns 0 or -errno */
static int ring_drain(struct ring *r)
{
	uint64_t head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->meta->data_tail;
	int ret = 0;

	while (tail < head) {
		struct perf_event_header h;

		ring_copy(r, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail)
			break;
		if (h.type == PERF_RECORD_SAMPLE || h.type == PERF_RECORD_LOST) {
			uint8_t *rec;

			if (r->len + h.size > BATCH_BYTES && (ret = batch_submit(r)))
				break;
			if (!r->batch)
				r->batch = xmalloc(BATCH_BYTES);
			rec = r->batch + r->len;
			ring_copy(r, tail, rec, h.size);
			r->len += h.size;
			r->bytes += h.size;
			if (h.type == PERF_RECORD_SAMPLE) {
				uint64_t ts = 0;

				/* identifier, pid/tid, then the time */
				if (h.size >= sizeof(h) + 24)
					memcpy(&ts, rec + sizeof(h) + 16, 8);
				if (!r->first_ts || r->len == h.size)
					r->first_ts = ts;
				r->last_ts = ts;
				r->samples++;
			} else if (h.size >= sizeof(h) + 16) {
				uint64_t lost;

				memcpy(&lost, rec + sizeof(h) + 8, 8);
				r->lost += lost;
			}
		}
		tail += h.size;
	}
	__atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
	return ret;
}

static void *ring_thread(void *arg)
{
	struct ring *r = arg;
	struct perf_source *ps = r->ps;
	uint64_t last = now_mono_ns(), flush_ns = (uint64_t)ps->flush_ms * NSEC_PER_MSEC;

	atomic_store(&r->tid, (int)syscall(SYS_gettid));
	while (!atomic_load(&ps->stop) && !r->err) {
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };

		poll(&pfd, 1, 100);
		r->err = ring_drain(r);
		if (!r->err && r->len && now_mono_ns() - last >= flush_ns) {
			r->err = batch_submit(r);
			last = now_mono_ns();
		} else if (!r->len) {
			last = now_mono_ns();
		}
	}
	if (!r->err)
		r->err = ring_drain(r);
	if (!r->err)
		r->err = batch_submit(r);
	return NULL;
}

int perf_source_start(struct perf_source *ps, struct chunk_writer *w, unsigned int stream,
		      unsigned int flush_ms)
{
	ps->w = w;
	ps->stream = stream;
	ps->flush_ms = flush_ms;
	for (int c = 0; c < ps->ncpus; c++) {
		struct ring *r = &ps->rings[c];

		if (r->fd < 0)
			continue;
		if (pthread_create(&r->thread, NULL, ring_thread, r))
			return -EAGAIN;
		r->started = true;
	}
	/* the readers' tids, for the system-wide filter */
	for (int c = 0; c < ps->ncpus; c++)
		while (ps->rings[c].started && !atomic_load(&ps->rings[c].tid))
			usleep(100);
	return 0;
}

int perf_source_stop(struct perf_source *ps)
{
	int ret = 0;

	if (!ps)
		return 0;
	atomic_store(&ps->stop, 1);
	for (int c = 0; c < ps->ncpus; c++) {
		struct ring *r = &ps->rings[c];

		if (!r->started)
			continue;
		pthread_join(r->thread, NULL);
		r->started = false;
		if (r->err && !ret)
			ret = r->err;
	}
	for (size_t i = 0; i < ps->nr_ev; i++) {
		uint64_t v[2];

		if ((ps->ev[i].read_format & PERF_FORMAT_LOST) &&
		    read(ps->ev[i].fd, v, sizeof(v)) == sizeof(v))
			ps->read_lost += v[1];
	}
	return ret;
}

void perf_source_get_stats(struct perf_source *ps, struct perf_source_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!ps)
		return;
	for (int c = 0; c < ps->ncpus; c++) {
		st->samples += ps->rings[c].samples;
		st->lost += ps->rings[c].lost;
		st->bytes += ps->rings[c].bytes;
	}
	if (ps->read_lost > st->lost)
		st->lost = ps->read_lost;
	st->fds = ps->nr_ev;
}

void perf_source_describe(struct perf_source *ps, struct strbuf *out)
{
	for (size_t i = 0; i < ps->nr_ev; i++) {
		const struct pevent *e = &ps->ev[i];

		if (!e->sample_type)
			continue;
		strbuf_addf(out, "%llu %llx %llx %d\n", (unsigned long long)e->id,
			    (unsigned long long)e->sample_type, (unsigned long long)e->read_format,
			    e->group);
	}
}

void perf_source_free(struct perf_source *ps)
{
	if (!ps)
		return;
	perf_source_stop(ps);
	for (int c = 0; c < ps->ncpus; c++) {
		struct ring *r = &ps->rings[c];

		if (r->base)
			munmap(r->base, getpagesize() + ps->ring_bytes);
		free(r->batch);
	}
	for (size_t i = 0; i < ps->nr_ev; i++) {
		close(ps->ev[i].fd);
		free(ps->ev[i].filter);
	}
	free(ps->ev);
	free(ps->exclude);
	free(ps->rings);
	free(ps);
}
