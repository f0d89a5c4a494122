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
	uint64_t triggers, saves, dropped_chunks, unpaired_exits;
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
	/*
	 * A tap (chunk_writer_set_tap(), a live consumer) has these two
	 * instead of scan and put.  take sees every payload uncompressed,
	 * after the file got it, and returns true when it keeps @buf
	 * (malloc'd: then it frees it).  mark says that CPU @cpu of @stream
	 * has been read up to event time @ts: nothing older comes after.
	 */
	bool (*take)(struct chunk_sink *s, uint16_t type, unsigned int stream, uint32_t cpu,
		     uint64_t first_ts, uint64_t last_ts, void *buf, size_t len);
	void (*mark)(struct chunk_sink *s, unsigned int stream, uint32_t cpu, uint64_t ts);
};

/* Embedded in the sink's own struct; the writer passes it back to @ops */
struct chunk_sink {
	const struct chunk_sink_ops *ops;
};

#endif /* FTIO_CHUNK_SINK_H */
