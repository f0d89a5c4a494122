/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftio top's display: a thread that closes an interval every @interval_ns
 * and shows it, on the full screen (screen.h) when stdout is a terminal,
 * else as plain text, one table per interval, through a line queue that
 * drops a table rather than wait for a slow reader.  Calls come in from
 * the chunk writer's thread (top_display_add()); the two meet only at the
 * swap of the interval being filled, under one lock.  The display never
 * stops the tracing itself: `q`, the last of -n intervals and a terminal
 * that went away send the process the signal the recorder waits for.
 */
#ifndef FTIO_TOP_DISPLAY_H
#define FTIO_TOP_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "top/top.h"

struct live;
struct top_display;

struct top_display_opts {
	enum top_key key;
	struct top_view view;
	uint64_t interval_ns;
	unsigned long count;	/* intervals, then stop; 0: until stopped */
	size_t rows;		/* plain text: rows per table, 0: all */
	bool batch;		/* plain text even on a terminal */
	struct live *live;	/* for the counts: lost events, unpaired calls */
};

/*
 * top_display_new - start the display thread with every signal blocked;
 * it waits for top_display_start().  NULL with errno.
 */
struct top_display *top_display_new(const struct top_display_opts *o);
/* The thread that makes file syscalls (the screen's, or the line queue's): keep it out */
pid_t top_display_tid(struct top_display *d);
/* Tracing is on: take the screen, start the intervals */
void top_display_start(struct top_display *d);
/* On the writer's thread, from the live report's on_call */
void top_display_add(struct top_display *d, const struct call *c, const struct model *m);
/*
 * top_display_stop - show the interval under way when @last (the command
 * exited: its last calls count), give the terminal back, and free @d.
 * @intervals gets how many were shown.
 */
void top_display_stop(struct top_display *d, bool last, unsigned long *intervals);

#endif /* FTIO_TOP_DISPLAY_H */
