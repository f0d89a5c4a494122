// SPDX-License-Identifier: GPL-2.0
/*
 * Compression and output for the recorder.  One thread drains a bounded
 * queue of payloads, compresses each into one zstd frame and appends it
 * as a framed chunk.  Keeping this off the per-CPU readers means a reader
 * only ever copies pages, so it returns to the ring buffer quickly.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zstd.h>
#include <stdbool.h>

#include "record/chunk-writer.h"
#include "format/chunk.h"
#include "record/chunk-sink.h"
#include "lib/util.h"

/* zstd's fast mode: about 2x level 1's speed for a third more bytes (measured on sub-buffers) */
#define FALLBACK_LEVEL -5

struct job {
	uint16_t type;
	uint16_t stream;
	uint32_t cpu;
	uint64_t first_ts, last_ts;
	void *buf;
	size_t len;
};

struct chunk_writer {
	int fd;
	int level;
	pthread_t thread;
	pid_t tid;
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full, started;
	struct job *queue;
	unsigned int cap, head, count;
	int closing;
	int err;
	uint32_t seq;
	ZSTD_CCtx *cctx;
	void *out;
	size_t out_cap;
	struct chunk_writer_stats st;
	/* rotation: all zero when writing one file */
	struct chunk_writer_rotation rot;
	void *preamble;		/* the ATTR payload every file starts with */
	size_t preamble_len;
	struct outfile_series series;	/* .last: number of the current file, from 1 */
	uint64_t file_size;
	uint64_t file_start_ns;
	bool file_has_data;
	uint64_t sync_ns, last_sync;
	struct chunk_sink *sink;	/* flight-recorder mode: chunks go to its ring */
	struct chunk_sink *tap;		/* a live consumer: sees every payload too */
	bool tap_only;			/* no file: the tap is all */
};

/* a job of this type carries a trigger time instead of a payload */
#define JOB_TRIGGER 0xffff
/* and this one a reader's mark (chunk_writer_mark()) */
#define JOB_MARK 0xfffe

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_framed(struct chunk_writer *w, struct chunk_info *ci, const void *payload)
{
	uint8_t hdr[FTIO_CHUNK_HEADER_SIZE];
	int ret;

	ci->seq = w->seq;
	chunk_header_encode(ci, hdr);
	ret = write_all(w->fd, hdr, sizeof(hdr));
	if (!ret)
		ret = write_all(w->fd, payload, ci->stored_size);
	if (ret)
		return ret;
	w->seq++;
	w->file_size += sizeof(hdr) + ci->stored_size;
	pthread_mutex_lock(&w->lock);
	w->st.file_bytes += sizeof(hdr) + ci->stored_size;
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* Writes a small ATTR-like payload uncompressed or compressed, outside the stats */
static int write_small(struct chunk_writer *w, uint16_t type, const void *buf, size_t len)
{
	struct chunk_info ci = { .type = type, .raw_size = len };
	size_t bound = ZSTD_compressBound(len);
	void *z = xmalloc(bound);
	size_t n = ZSTD_compressCCtx(w->cctx, z, bound, buf, len, w->level);
	int ret;

	if (!ZSTD_isError(n) && n < len) {
		ci.flags = FTIO_CHUNK_ZSTD;
		ci.stored_size = n;
		ci.payload_crc = ftio_crc32(z, n);
		ret = write_framed(w, &ci, z);
	} else {
		ci.stored_size = len;
		ci.payload_crc = ftio_crc32(buf, len);
		ret = write_framed(w, &ci, buf);
	}
	free(z);
	return ret;
}

/*
 * Closes the current file with an END chunk and starts the next one, which
 * repeats the metadata and gets a fresh snapshot, so that it decodes alone.
 * With max_files, the file max_files back is removed: disk use stays under
 * max_files * max_size (plus the chunk being written).
 */
static int rotate(struct chunk_writer *w)
{
	struct strbuf sb = STRBUF_INIT;
	char *next = outfile_name(w->rot.base, w->series.last + 1);
	uint8_t fh[sizeof(struct ftio_file_header)];
	int fd, ret;

	attr_addstr(&sb, "end/reason", "rotated");
	attr_addstr(&sb, "end/next", next);
	attr_addf(&sb, "end/mono_ns", "%llu", (unsigned long long)now_mono_ns());
	ret = write_small(w, FTIO_CHUNK_END, sb.buf, sb.len);
	strbuf_release(&sb);
	if (!ret && fdatasync(w->fd) < 0 && errno != EINVAL)
		ret = -errno;
	close(w->fd);
	w->fd = -1;
	if (ret)
		goto out;
	if (w->rot.closed) {
		char *done = outfile_name(w->rot.base, w->series.last);

		w->rot.closed(done, w->rot.closed_arg);
		free(done);
	}
	/* creates the next file and removes the one max_files back */
	fd = outfile_series_next(&w->series, NULL);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	w->fd = fd;
	w->file_size = 0;
	w->file_has_data = false;
	w->file_start_ns = now_mono_ns();
	w->st.files++;
	file_header_encode(fh);
	ret = write_all(fd, fh, sizeof(fh));
	w->file_size += sizeof(fh);
	if (!ret && w->preamble)
		ret = write_small(w, FTIO_CHUNK_ATTR, w->preamble, w->preamble_len);
	if (!ret && w->rot.snapshot) {
		struct strbuf snap = STRBUF_INIT;

		w->rot.snapshot(&snap, w->rot.arg);
		ret = write_small(w, FTIO_CHUNK_ATTR, snap.buf, snap.len);
		strbuf_release(&snap);
	}
out:
	free(next);
	return ret;
}

static void count_chunk(struct chunk_writer *w, const struct job *j, int fast)
{
	pthread_mutex_lock(&w->lock);
	w->st.chunks++;
	w->st.raw_bytes += j->len;
	if (fast)
		w->st.fast_chunks++;
	pthread_mutex_unlock(&w->lock);
}

static int write_chunk(struct chunk_writer *w, struct job *j, int fast)
{
	struct chunk_info ci = {
		.type = j->type, .cpu = j->cpu, .seq = w->seq,
		.flags = (uint16_t)(j->stream << FTIO_CHUNK_STREAM_SHIFT),
		.first_ts = j->first_ts, .last_ts = j->last_ts,
		.raw_size = j->len,
	};
	uint8_t hdr[FTIO_CHUNK_HEADER_SIZE];
	const void *payload = j->buf;
	size_t stored = j->len;
	size_t bound = ZSTD_compressBound(j->len);
	int ret;

	if (bound > w->out_cap) {
		free(w->out);
		w->out = xmalloc(bound);
		w->out_cap = bound;
	}
	if (w->sink && FTIO_CHUNK_HAS_EVENTS(j->type))
		w->sink->ops->scan(w->sink, j->buf, j->len);
	if (w->tap_only) {
		count_chunk(w, j, 0);
		goto tap;
	}
	if (j->len) {
		size_t n = ZSTD_compressCCtx(w->cctx, w->out, w->out_cap, j->buf, j->len,
					     fast ? FALLBACK_LEVEL : w->level);

		/* store raw when zstd does not help: decoding stays trivial */
		if (!ZSTD_isError(n) && n < j->len) {
			payload = w->out;
			stored = n;
			ci.flags |= FTIO_CHUNK_ZSTD;
		}
	}
	ci.stored_size = stored;
	ci.payload_crc = ftio_crc32(payload, stored);
	if (w->sink) {
		/* the metadata is rewritten into each save; snapshots stay in the ring */
		if (j->type != FTIO_CHUNK_END && !(j->type == FTIO_CHUNK_ATTR && !j->first_ts))
			w->sink->ops->put(w->sink, &ci, payload);
		count_chunk(w, j, fast);
		return 0;
	}
	if (FTIO_CHUNK_HAS_EVENTS(j->type) && w->rot.base && w->file_has_data &&
	    ((w->rot.max_size && w->file_size + sizeof(hdr) + stored > w->rot.max_size) ||
	     (w->rot.split_ns && now_mono_ns() - w->file_start_ns >= w->rot.split_ns))) {
		ret = rotate(w);
		if (ret)
			return ret;
	}
	(void)hdr;
	ret = write_framed(w, &ci, payload);
	if (ret)
		return ret;
	if (FTIO_CHUNK_HAS_EVENTS(j->type))
		w->file_has_data = true;
	if (w->sync_ns && now_mono_ns() - w->last_sync >= w->sync_ns) {
		/* the cadence a board can afford: what is on disk survives power loss */
		fdatasync(w->fd);
		w->last_sync = now_mono_ns();
	}
	count_chunk(w, j, fast);
tap:
	/* after the file: the tap may keep the buffer */
	if (w->tap && w->tap->ops->take(w->tap, j->type, j->stream, j->cpu, j->first_ts,
					 j->last_ts, j->buf, j->len))
		j->buf = NULL;
	return 0;
}

static void *writer_thread(void *arg)
{
	struct chunk_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	w->tid = syscall(SYS_gettid);
	pthread_cond_broadcast(&w->started);
	for (;;) {
		struct job j;
		int fast, ret;

		while (!w->count && !w->closing) {
			if (!w->sink) {
				pthread_cond_wait(&w->not_empty, &w->lock);
				continue;
			}
			/* a flight recorder saves on time, not only when data comes */
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 250 * 1000 * 1000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&w->not_empty, &w->lock, &until);
			if (!w->count && !w->err) {
				int r = w->sink->ops->tick(w->sink, now_mono_ns(), false);

				if (r && !w->err)
					w->err = r;
			}
		}
		if (!w->count) {
			if (w->tap)
				w->tap->ops->tick(w->tap, now_mono_ns(), true);
			if (w->sink && !w->err) {
				int r = w->sink->ops->tick(w->sink, now_mono_ns(), true);

				if (r)
					w->err = r;
			}
			break;
		}
		j = w->queue[w->head];
		w->head = (w->head + 1) % w->cap;
		fast = w->count > w->cap / 2;
		w->count--;
		pthread_cond_signal(&w->not_full);
		if (w->err) {
			free(j.buf);
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		if (j.type == JOB_TRIGGER) {
			w->sink->ops->trigger(w->sink, j.first_ts, j.buf);
			ret = 0;
		} else if (j.type == JOB_MARK) {
			if (w->tap)
				w->tap->ops->mark(w->tap, j.stream, j.cpu, j.first_ts);
			ret = 0;
		} else {
			ret = write_chunk(w, &j, fast);
			if (!ret && w->sink)
				ret = w->sink->ops->tick(w->sink, now_mono_ns(), false);
		}
		free(j.buf);
		pthread_mutex_lock(&w->lock);
		if (ret && !w->err)
			w->err = ret;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct chunk_writer *chunk_writer_new(int fd, int level, unsigned int queue_len)
{
	struct chunk_writer *w = xcalloc(1, sizeof(*w));
	uint8_t hdr[sizeof(struct ftio_file_header)];
	int ret;

	w->fd = fd;
	w->level = level;
	w->cap = queue_len < 2 ? 2 : queue_len;
	w->queue = xcalloc(w->cap, sizeof(*w->queue));
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx) {
		ret = -ENOMEM;
		goto fail;
	}
	file_header_encode(hdr);
	ret = write_all(fd, hdr, sizeof(hdr));
	if (ret)
		goto fail;
	w->series.last = 1;
	w->file_size = sizeof(hdr);
	w->file_start_ns = now_mono_ns();
	w->last_sync = w->file_start_ns;
	w->st.files = 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->not_empty, NULL);
	pthread_cond_init(&w->not_full, NULL);
	pthread_cond_init(&w->started, NULL);
	ret = -pthread_create(&w->thread, NULL, writer_thread, w);
	if (ret)
		goto fail;
	pthread_mutex_lock(&w->lock);
	while (!w->tid)
		pthread_cond_wait(&w->started, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return w;
fail:
	/* @fd stays the caller's when we fail */
	ZSTD_freeCCtx(w->cctx);
	free(w->queue);
	free(w);
	errno = -ret;
	return NULL;
}

int chunk_writer_submit(struct chunk_writer *w, uint16_t type, unsigned int stream, uint32_t cpu,
			uint64_t first_ts, uint64_t last_ts, void *buf, size_t len)
{
	int ret;

	pthread_mutex_lock(&w->lock);
	while (w->count == w->cap && !w->err)
		pthread_cond_wait(&w->not_full, &w->lock);
	ret = w->err;
	if (ret) {
		pthread_mutex_unlock(&w->lock);
		free(buf);
		return ret;
	}
	w->queue[(w->head + w->count) % w->cap] = (struct job){
		.type = type, .stream = stream & 0xff, .cpu = cpu, .first_ts = first_ts,
		.last_ts = last_ts,
		.buf = buf, .len = len,
	};
	w->count++;
	if (w->count > w->st.queue_max)
		w->st.queue_max = w->count;
	pthread_cond_signal(&w->not_empty);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void chunk_writer_set_rotation(struct chunk_writer *w, const struct chunk_writer_rotation *rot,
			       const void *preamble, size_t len)
{
	pthread_mutex_lock(&w->lock);
	w->rot = *rot;
	w->series.base = rot->base;
	w->series.max_files = rot->max_files;
	free(w->preamble);
	w->preamble = xmalloc(len ? len : 1);
	memcpy(w->preamble, preamble, len);
	w->preamble_len = len;
	pthread_mutex_unlock(&w->lock);
}

void chunk_writer_set_sink(struct chunk_writer *w, struct chunk_sink *sink)
{
	pthread_mutex_lock(&w->lock);
	w->sink = sink;
	pthread_mutex_unlock(&w->lock);
}

void chunk_writer_set_tap(struct chunk_writer *w, struct chunk_sink *tap, bool file_too)
{
	pthread_mutex_lock(&w->lock);
	w->tap = tap;
	w->tap_only = !file_too;
	pthread_mutex_unlock(&w->lock);
}

int chunk_writer_mark(struct chunk_writer *w, unsigned int stream, uint32_t cpu, uint64_t ts)
{
	/* nobody to tell: not worth a queue slot */
	if (!w->tap)
		return 0;
	return chunk_writer_submit(w, JOB_MARK, stream, cpu, ts, ts, NULL, 0);
}

int chunk_writer_trigger(struct chunk_writer *w, uint64_t ts, const char *why)
{
	if (!w->sink)
		return -EINVAL;
	return chunk_writer_submit(w, JOB_TRIGGER, 0, 0, ts, ts, xstrdup(why), 0);
}

void chunk_writer_set_sync(struct chunk_writer *w, uint64_t interval_ns)
{
	pthread_mutex_lock(&w->lock);
	w->sync_ns = interval_ns;
	pthread_mutex_unlock(&w->lock);
}

int chunk_writer_error(struct chunk_writer *w)
{
	int ret;

	pthread_mutex_lock(&w->lock);
	ret = w->err;
	pthread_mutex_unlock(&w->lock);
	return ret;
}

pid_t chunk_writer_tid(struct chunk_writer *w)
{
	return w->tid;
}

void chunk_writer_get_stats(struct chunk_writer *w, struct chunk_writer_stats *st)
{
	pthread_mutex_lock(&w->lock);
	*st = w->st;
	pthread_mutex_unlock(&w->lock);
}

int chunk_writer_close(struct chunk_writer *w)
{
	return chunk_writer_close_stats(w, NULL);
}

int chunk_writer_close_stats(struct chunk_writer *w, struct chunk_writer_stats *st)
{
	int ret;

	if (!w)
		return 0;
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_broadcast(&w->not_empty);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	ret = w->err;
	if (w->sink) {
		struct chunk_sink_stats fs;

		w->sink->ops->get_stats(w->sink, &fs);
		w->st.triggers = fs.triggers;
		w->st.saves = fs.saves;
		w->st.flight_dropped = fs.dropped_chunks;
		w->st.flight_unpaired = fs.unpaired_exits;
	}
	if (st)
		*st = w->st;
	if (w->fd >= 0) {
		if (!ret && fdatasync(w->fd) < 0 && errno != EINVAL)
			ret = -errno;
		if (close(w->fd) < 0 && !ret)
			ret = -errno;
		/* the last file is complete too, unless its writes failed */
		if (!ret && w->rot.closed && !w->sink) {
			char *done = outfile_name(w->rot.base, w->series.last);

			w->rot.closed(done, w->rot.closed_arg);
			free(done);
		}
	}
	free(w->preamble);
	ZSTD_freeCCtx(w->cctx);
	if (w->sink)
		w->sink->ops->free(w->sink);
	if (w->tap)
		w->tap->ops->free(w->tap);
	free(w->out);
	free(w->queue);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return ret;
}
