/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one seam between the chunk writer and whatever keeps its chunks
 * instead of a file (the flight recorder's ring).  The writer knows only
 * these operations; the sink knows nothing of the writer.  Every
 * operation runs on the writer's thread.
 */
#ifndef FTIO_CHUNK_SINK_H
#define FTIO_CHUNK_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct chunk_info;
struct chunk_sink;

struct chunk_sink_stats {
	uint64_t triggers, saves, dropped_chunks;
};

struct chunk_sink_ops {
	/* sees the raw event pages of a chunk before it is compressed */
	void (*scan)(struct chunk_sink *s, const void *pages, size_t len);
	/* takes a compressed chunk (header info and stored payload, to copy) */
	void (*put)(struct chunk_sink *s, const struct chunk_info *ci, const void *payload);
	/* asks for the window around event time @ts to be kept (SIGUSR1) */
	void (*trigger)(struct chunk_sink *s, uint64_t ts, const char *why);
	/* does its timed work at @now, all of it with @flush; 0 or -errno */
	int (*tick)(struct chunk_sink *s, uint64_t now, bool flush);
	void (*get_stats)(struct chunk_sink *s, struct chunk_sink_stats *st);
	void (*free)(struct chunk_sink *s);
};

/* Embedded in the sink's own struct; the writer passes it back to @ops */
struct chunk_sink {
	const struct chunk_sink_ops *ops;
};

#endif /* FTIO_CHUNK_SINK_H */
