/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The chunk writer owns the output file.  Producers (the per-CPU readers
 * and the main thread) hand it whole payloads through a bounded queue; its
 * own thread compresses them with zstd, frames them and writes them, so
 * that no compression or file I/O ever happens on a reading thread.
 */
#ifndef FTIO_CHUNK_WRITER_H
#define FTIO_CHUNK_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/util.h"
/* recording_create(), for the writer's callers */
#include "record/outfile.h"

struct chunk_writer;

struct chunk_writer_stats {
	uint64_t files;
	uint64_t chunks;
	uint64_t raw_bytes;
	uint64_t file_bytes;
	uint64_t fast_chunks;	/* chunks compressed at the fallback level */
	unsigned int queue_max;	/* deepest the queue has been */
	uint64_t triggers;	/* flight recorder */
	uint64_t saves;
	uint64_t flight_dropped;
	uint64_t flight_unpaired;	/* exits the trigger scan could not pair */
};

/*
 * chunk_writer_new - start a writer thread on @fd, which it then owns
 * @level: zstd level for normal chunks; under backpressure (queue more than
 * half full) it drops to a fast negative level rather than stall readers.
 * @queue_len: chunks that may wait; submitters block beyond it.
 * Writes the file header first.  Returns NULL with errno on failure, and
 * then @fd is still the caller's to close.
 */
struct chunk_writer *chunk_writer_new(int fd, int level, unsigned int queue_len);

/*
 * chunk_writer_submit - queue a payload; the writer takes ownership of
 * @buf (malloc'd) whatever the result.  Returns 0, or the -errno of an
 * earlier write failure (the writer then drops everything).
 */
int chunk_writer_submit(struct chunk_writer *w, uint16_t type, unsigned int stream, uint32_t cpu,
			uint64_t first_ts, uint64_t last_ts, void *buf, size_t len);

/*
 * struct chunk_writer_rotation - when and how to start a new file
 * @base: files are named "@base.000001", "@base.000002"...
 * @max_size: start a new file before one would pass this size (0: never)
 * @max_files: keep only the newest this many (0: all)
 * @split_ns: start a new file after this long (0: never)
 * @snapshot: fills a fresh sideband ATTR payload for each new file
 * @closed: optional, called with a file's name once it is closed and
 *	    complete (END chunk written and synced): by the writer thread as
 *	    it rotates, and by chunk_writer_close() for the last file
 */
struct chunk_writer_rotation {
	const char *base;
	uint64_t max_size;
	unsigned int max_files;
	uint64_t split_ns;
	void (*snapshot)(struct strbuf *out, void *arg);
	void *arg;
	void (*closed)(const char *path, void *arg);
	void *closed_arg;
};

struct strbuf;
/* Enables rotation; @preamble (copied) is the metadata every file repeats */
void chunk_writer_set_rotation(struct chunk_writer *w, const struct chunk_writer_rotation *rot,
			       const void *preamble, size_t len);
struct chunk_sink;
/*
 * Hands every chunk to @sink instead of the file (the flight recorder);
 * the writer owns @sink from now on and frees it at close
 */
void chunk_writer_set_sink(struct chunk_writer *w, struct chunk_sink *sink);
/*
 * chunk_writer_set_tap - also hand every payload, uncompressed, and every
 * reader's mark to @tap (a live consumer: its take and mark ops); the
 * writer owns @tap from now on, and flushes (tick) and frees it at close.
 * Without @file_too nothing is compressed or written: the tap is all.
 */
void chunk_writer_set_tap(struct chunk_writer *w, struct chunk_sink *tap, bool file_too);
/*
 * chunk_writer_mark - CPU @cpu of @stream has been read up to event time
 * @ts (in order with its chunks); only a tap sees it.  0 or -errno.
 */
int chunk_writer_mark(struct chunk_writer *w, unsigned int stream, uint32_t cpu, uint64_t ts);
/* Asks for the window around event time @ts to be saved (SIGUSR1) */
int chunk_writer_trigger(struct chunk_writer *w, uint64_t ts, const char *why);

/* fdatasync the output at most every @interval_ns (0: only at close) */
void chunk_writer_set_sync(struct chunk_writer *w, uint64_t interval_ns);

/* Non-zero once a write failed; the value is that -errno */
int chunk_writer_error(struct chunk_writer *w);
pid_t chunk_writer_tid(struct chunk_writer *w);
void chunk_writer_get_stats(struct chunk_writer *w, struct chunk_writer_stats *st);

/*
 * chunk_writer_close - write everything queued, fdatasync, close the file
 * and free @w.  Returns 0 or the first -errno met.
 */
int chunk_writer_close(struct chunk_writer *w);
/* Like chunk_writer_close(), and fills @st with the final statistics */
int chunk_writer_close_stats(struct chunk_writer *w, struct chunk_writer_stats *st);

#endif /* FTIO_CHUNK_WRITER_H */
