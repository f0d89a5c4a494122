/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A live report: the report engine, its layers and filters, fed while
 * tracing by the chunk writer's tap (record/chunk-sink.h), for ftio trace
 * and ftio top.  Each call that passes the filters reaches @on_call on
 * the writer's thread as soon as the decoder can put it in time order:
 * the readers' marks say how far each CPU was read.  @on_call must not
 * block (it runs where the chunks are written).
 */
#ifndef FTIO_LIVE_H
#define FTIO_LIVE_H

#include "report/report.h"

struct chunk_sink;
struct live;

struct live_opts {
	struct report_filter f;
	void (*on_call)(struct report *r, const struct call *c, void *arg);
	void *arg;
};

/* Freed by live_free(), after the chunk writer that had its sink closed */
struct live *live_new(const struct live_opts *o);
/* The tap to give chunk_writer_set_tap() (it stays @l's) */
struct chunk_sink *live_sink(struct live *l);

struct live_stats {
	int err;		/* -errno when the live decoder could not start */
	bool started;
	uint64_t events, calls, calls_kept;
	uint64_t lost;		/* events the kernel lost */
	uint64_t exit_no_enter;	/* calls that could not be paired */
	uint64_t dropped_early;	/* sub-buffers dropped before the snapshot came */
};
/* From any thread, @on_call included (it takes the lock the decoding holds) */
void live_get_stats(struct live *l, struct live_stats *st);
/* The report behind the calls, NULL before the snapshot came */
struct report *live_report(struct live *l);
void live_free(struct live *l);

#endif /* FTIO_LIVE_H */
