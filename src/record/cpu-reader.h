/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU raw readers.  One thread per CPU pulls whole sub-buffers out of
 * the instance's trace_pipe_raw with libtracefs, batches them, and hands
 * each batch to the chunk writer.  Events are never decoded here.
 */
#ifndef FTIO_CPU_READER_H
#define FTIO_CPU_READER_H

#include <stdbool.h>
#include <stdint.h>

struct session;
struct chunk_writer;
struct cpu_readers;

struct cpu_reader_stats {
	uint64_t pages;
	uint64_t partial_pages;	/* read before they were full (flushes) */
	uint64_t bytes;		/* event data, without page headers and padding */
};

/*
 * cpu_readers_start - start one reader per CPU of @s
 * @pages_per_chunk: sub-buffers batched into one chunk
 * @flush_ms: a CPU with no full page for this long has its partial page
 * read, so that a quiet CPU still reaches the disk (crash safety).
 * @live: for a live consumer (ftio trace): a batch also goes out once its
 * first page is @flush_ms old, and each flush that found the CPU caught up
 * is followed by a mark (chunk_writer_mark()) saying so.
 * Each reader excludes itself from the tracing of @notrace (the first
 * instance: the syscall events) before it reads.
 */
struct cpu_readers *cpu_readers_start(struct session *s, struct session *notrace,
				      struct chunk_writer *w, unsigned int stream, unsigned int pages_per_chunk,
				      unsigned int flush_ms, bool live);

/* Asks the readers to drain everything and stop; returns once they have */
int cpu_readers_stop(struct cpu_readers *r);
void cpu_readers_get_stats(struct cpu_readers *r, struct cpu_reader_stats *total);
void cpu_readers_free(struct cpu_readers *r);

#endif /* FTIO_CPU_READER_H */
