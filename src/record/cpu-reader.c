// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the ring buffer.  Each CPU gets a thread that splices full
 * sub-buffers out of trace_pipe_raw (tracefs_cpu_buffered_read), waits in
 * poll() with a timeout when there is nothing (some 6.1-era kernels never
 * wake a blocked reader), and reads partial pages on a deadline or at stop
 * (tracefs_cpu_flush).  Pages go out in batches of whole sub-buffers with
 * the bytes past their data zeroed, so that they compress to nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <tracefs.h>
#include <ftio/format.h>

#include "record/chunk-writer.h"
#include "record/cpu-reader.h"
#include "record/session.h"
#include "lib/util.h"

/*
 * commit word flags (kernel/trace/ring_buffer.c).  The kernel adds the int
 * (1 << 31) to a long, so on 64-bit the flag sign-extends into bits 32-63:
 * the size must be masked, not the flags cleared (kbuffer does the same).
 */
#define RB_MISSED_EVENTS (1ULL << 31)
#define RB_MISSED_STORED (1ULL << 30)
#define RB_COMMIT_MASK ((1ULL << 27) - 1)

struct reader {
	struct cpu_readers *parent;
	int cpu;
	int fd;
	struct tracefs_cpu *tcpu;
	pthread_t thread;
	int started;
	void *batch;		/* pages_per_chunk sub-buffers */
	unsigned int nr_pages;
	uint64_t first_ts, last_ts;
	uint64_t batch_start;	/* when the batch's first page was taken */
	struct cpu_reader_stats st;
	int err;
};

struct cpu_readers {
	struct session *s;
	struct session *notrace;	/* the session the readers keep themselves out of */
	struct chunk_writer *w;
	unsigned int stream;
	unsigned int pages_per_chunk;
	unsigned int flush_ms;
	bool live;		/* batches on a deadline too, and caught-up marks */
	int page_size;
	int long_size;
	int ncpus;
	atomic_int stop;
	pthread_mutex_t lock;
	pthread_cond_t registered;
	int nr_registered;
	struct reader *r;
};

/*
 * Trim a page read from the kernel: returns false when its commit word is
 * impossible (never hand that to kbuffer, which trusts it).
 */
static bool page_sanitize(struct reader *rd, uint8_t *page, int len)
{
	int psz = rd->parent->page_size;
	int lsz = rd->parent->long_size;
	size_t hdr = 8 + lsz;
	uint64_t commit;
	size_t data, keep;

	if (len < (int)hdr)
		return false;
	/* the kernel's byte order is ours; its long may not be */
	if (lsz == 8) {
		memcpy(&commit, page + 8, 8);
	} else {
		uint32_t c32;

		memcpy(&c32, page + 8, 4);
		commit = c32;
	}
	data = commit & RB_COMMIT_MASK;
	if (data > (size_t)psz - hdr)
		return false;
	keep = hdr + data;
	if (commit & RB_MISSED_STORED)
		keep += lsz;
	if (keep > (size_t)psz)
		keep = psz;
	if (len < psz)
		memset(page + len, 0, psz - len);
	memset(page + keep, 0, psz - keep);
	rd->st.bytes += data;
	return true;
}

static int batch_submit(struct reader *rd)
{
	struct cpu_readers *p = rd->parent;
	size_t len = (size_t)rd->nr_pages * p->page_size;
	void *buf;
	int ret;

	if (!rd->nr_pages)
		return 0;
	/* hand over the batch and start a new one: the writer frees it */
	buf = rd->batch;
	rd->batch = xmalloc((size_t)p->pages_per_chunk * p->page_size);
	ret = chunk_writer_submit(p->w, FTIO_CHUNK_SUBBUF, p->stream, rd->cpu, rd->first_ts,
				  rd->last_ts, buf, len);
	rd->nr_pages = 0;
	return ret;
}

static int take_page(struct reader *rd, int len, bool partial)
{
	struct cpu_readers *p = rd->parent;
	uint8_t *page = (uint8_t *)rd->batch + (size_t)rd->nr_pages * p->page_size;
	uint64_t ts;

	if (!page_sanitize(rd, page, len))
		return 0;
	memcpy(&ts, page, sizeof(ts));
	if (!rd->nr_pages) {
		rd->first_ts = ts;
		rd->batch_start = now_mono_ns();
	}
	rd->last_ts = ts;
	rd->nr_pages++;
	rd->st.pages++;
	if (partial)
		rd->st.partial_pages++;
	if (rd->nr_pages == p->pages_per_chunk)
		return batch_submit(rd);
	return 0;
}

static int drain(struct reader *rd)
{
	struct cpu_readers *p = rd->parent;
	int ret;

	for (;;) {
		void *page = (uint8_t *)rd->batch + (size_t)rd->nr_pages * p->page_size;
		int n = tracefs_cpu_flush(rd->tcpu, page);

		if (n <= 0)
			return n < 0 && errno != EAGAIN ? -errno : 0;
		ret = take_page(rd, n, true);
		if (ret)
			return ret;
	}
}

static void *reader_thread(void *arg)
{
	struct reader *rd = arg;
	struct cpu_readers *p = rd->parent;
	uint64_t last_data = now_mono_ns();
	uint64_t flush_ns = (uint64_t)p->flush_ms * NSEC_PER_MSEC;
	int ret = 0;

	pthread_mutex_lock(&p->lock);
	ret = session_notrace_pid(p->notrace, syscall(SYS_gettid));
	/* cpu_readers_start() waits for this: tracing must not start before */
	p->nr_registered++;
	pthread_cond_broadcast(&p->registered);
	pthread_mutex_unlock(&p->lock);
	if (ret)
		goto out;
	/* a live reader says it exists before tracing starts: the merge waits for it */
	if (p->live)
		chunk_writer_mark(p->w, p->stream, rd->cpu, 0);

	while (!atomic_load(&p->stop)) {
		void *page = (uint8_t *)rd->batch + (size_t)rd->nr_pages * p->page_size;
		int n = tracefs_cpu_buffered_read(rd->tcpu, page, true);

		if (n > 0) {
			ret = take_page(rd, n, false);
			if (!ret && p->live && rd->nr_pages &&
			    now_mono_ns() - rd->batch_start >= flush_ns)
				ret = batch_submit(rd);
			if (ret)
				goto out;
			last_data = now_mono_ns();
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			ret = -errno;
			goto out;
		}
		if (flush_ns && now_mono_ns() - last_data >= flush_ns) {
			uint64_t t0 = now_mono_ns();

			/* a quiet CPU: push its partial page and the batch to disk */
			ret = drain(rd);
			if (!ret)
				ret = batch_submit(rd);
			/*
			 * Everything committed before t0 has been read.  2 ms of
			 * slack for an event reserved before t0 and committed after
			 * (the writer of a VM's vCPU can be descheduled in between).
			 */
			if (!ret && p->live)
				ret = chunk_writer_mark(p->w, p->stream, rd->cpu,
							t0 > 2 * NSEC_PER_MSEC ? t0 - 2 * NSEC_PER_MSEC : 0);
			if (ret)
				goto out;
			last_data = now_mono_ns();
		}
		struct pollfd pfd = { .fd = rd->fd, .events = POLLIN };

		/* always with a timeout: see the file comment */
		poll(&pfd, 1, p->live && p->flush_ms < 100 ? (int)p->flush_ms : 100);
	}
	/* the splice pipe may still hold whole pages */
	for (;;) {
		void *page = (uint8_t *)rd->batch + (size_t)rd->nr_pages * p->page_size;
		int n = tracefs_cpu_buffered_read(rd->tcpu, page, true);

		if (n <= 0)
			break;
		ret = take_page(rd, n, false);
		if (ret)
			goto out;
	}
	ret = drain(rd);
	if (!ret)
		ret = batch_submit(rd);
	/* tracing is off and all is read: nothing more comes from this CPU */
	if (!ret && p->live)
		ret = chunk_writer_mark(p->w, p->stream, rd->cpu, UINT64_MAX);
out:
	rd->err = ret;
	return NULL;
}

struct cpu_readers *cpu_readers_start(struct session *s, struct session *notrace,
				      struct chunk_writer *w, unsigned int stream, unsigned int pages_per_chunk,
				      unsigned int flush_ms, bool live)
{
	struct cpu_readers *p = xcalloc(1, sizeof(*p));
	int e, started = 0;

	p->s = s;
	p->notrace = notrace;
	p->w = w;
	p->stream = stream;
	p->pages_per_chunk = pages_per_chunk ? pages_per_chunk : 1;
	p->flush_ms = flush_ms;
	p->live = live;
	p->page_size = s->subbuf_size;
	p->long_size = s->long_size;
	p->ncpus = s->ncpus;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->registered, NULL);
	p->r = xcalloc(p->ncpus, sizeof(*p->r));
	for (int i = 0; i < p->ncpus; i++)
		p->r[i].fd = -1;
	for (int i = 0; i < p->ncpus; i++) {
		struct reader *rd = &p->r[i];
		char *path = xasprintf("%s/per_cpu/cpu%d/trace_pipe_raw", s->dir, i);

		rd->parent = p;
		rd->cpu = i;
		rd->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		free(path);
		if (rd->fd < 0) {
			/* offline CPUs have no buffer to read */
			if (errno == ENOENT || errno == ENODEV)
				continue;
			goto fail;
		}
		/*
		 * Our own fd so that we control poll(); libtracefs 1.6.4's
		 * tracefs_cpu_open() also sizes pages from the top-level
		 * header_page, which is wrong for a per-instance sub-buffer size.
		 */
		rd->tcpu = tracefs_cpu_alloc_fd(rd->fd, p->page_size, true);
		if (!rd->tcpu)
			goto fail;
		rd->batch = xmalloc((size_t)p->pages_per_chunk * p->page_size);
	}
	for (int i = 0; i < p->ncpus; i++) {
		struct reader *rd = &p->r[i];

		if (!rd->tcpu)
			continue;
		e = pthread_create(&rd->thread, NULL, reader_thread, rd);
		if (e) {
			errno = e;
			goto fail;
		}
		rd->started = 1;
		started++;
	}
	/*
	 * Each append to set_event_notrace_pid took 40-73 ms here: without this
	 * wait a busy workload overran the buffer before its reader existed.
	 */
	pthread_mutex_lock(&p->lock);
	while (p->nr_registered < started)
		pthread_cond_wait(&p->registered, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return p;
fail:
	e = errno;
	cpu_readers_stop(p);
	cpu_readers_free(p);
	errno = e;
	return NULL;
}

int cpu_readers_stop(struct cpu_readers *p)
{
	int ret = 0;

	if (!p)
		return 0;
	atomic_store(&p->stop, 1);
	for (int i = 0; i < p->ncpus; i++) {
		struct reader *rd = &p->r[i];

		if (!rd->started)
			continue;
		pthread_join(rd->thread, NULL);
		rd->started = 0;
		if (rd->err && !ret)
			ret = rd->err;
	}
	return ret;
}

void cpu_readers_get_stats(struct cpu_readers *p, struct cpu_reader_stats *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < p->ncpus; i++) {
		t->pages += p->r[i].st.pages;
		t->partial_pages += p->r[i].st.partial_pages;
		t->bytes += p->r[i].st.bytes;
	}
}

void cpu_readers_free(struct cpu_readers *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->ncpus; i++) {
		struct reader *rd = &p->r[i];

		if (rd->tcpu)
			tracefs_cpu_free_fd(rd->tcpu);
		if (rd->fd >= 0)
			close(rd->fd);
		free(rd->batch);
	}
	free(p->r);
	pthread_cond_destroy(&p->registered);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
