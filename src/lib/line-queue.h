/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded queue of output lines and the thread that writes them, so
 * that a slow or stuck reader of stdout never holds up the producer
 * (ftio trace's decoding, which runs where the chunks are written).  A
 * line that does not fit is dropped whole and counted; the fd is written
 * non-blocking, so the thread can always be stopped.
 */
#ifndef FTIO_LINE_QUEUE_H
#define FTIO_LINE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct line_queue;

struct line_queue_stats {
	uint64_t lines;		/* pushed */
	uint64_t dropped;	/* not shown: the queue was full, or the reader went away */
	uint64_t written_bytes;
	int err;		/* the write error that stopped the output, -errno */
};

/*
 * line_queue_new - start a writer thread for @fd (not owned: a FIFO or a
 * terminal is reopened non-blocking, so the caller's file description
 * keeps its flags) holding at most @max_bytes.  @on_gone is called once,
 * on the thread, when the reader went away (EPIPE).  NULL with errno.
 */
struct line_queue *line_queue_new(int fd, size_t max_bytes, void (*on_gone)(void));
/* The writer thread's id (for keeping it out of the trace) */
pid_t line_queue_tid(struct line_queue *q);
/* Queues one line (@len bytes, with its newline); false when it was dropped */
bool line_queue_push(struct line_queue *q, const char *line, size_t len);
/*
 * line_queue_full - true when a line of @len bytes would be dropped now;
 * it is then counted as pushed and dropped, and need not be formatted
 */
bool line_queue_full(struct line_queue *q, size_t len);
/*
 * line_queue_close - write what is queued, waiting at most @wait_ms for a
 * slow reader (what is still queued then counts as dropped), stop the
 * thread and free @q.  Fills @st when given.
 */
void line_queue_close(struct line_queue *q, unsigned int wait_ms, struct line_queue_stats *st);

#endif /* FTIO_LINE_QUEUE_H */
