/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftio top's full screen, with ncurses: the display thread (display.c)
 * lays out lines and the screen draws them, reads keys without waiting,
 * and notices a terminal that went away.  Only that thread calls these.
 * Built without ncurses (NO_NCURSES=1), screen_open() fails with ENOTSUP
 * and top prints plain text.
 */
#ifndef FTIO_TOP_SCREEN_H
#define FTIO_TOP_SCREEN_H

#include <stddef.h>

struct screen;

/* One frame: @lines[@nr], of which @header is the column heads (-1: none) */
struct screen_page {
	const char *const *lines;
	size_t nr;
	int header;
	size_t hl_start, hl_width;	/* the sorted column's head, highlighted */
	int alert;		/* a line shown as a warning (lost events), -1: none */
	const char *prompt;	/* the bottom line, or NULL */
};

/* Takes the terminal on stdin and stdout; NULL with errno (no terminal, no terminfo) */
struct screen *screen_open(void);
/* Gives the terminal back (what went to stderr meanwhile is printed then) */
void screen_close(struct screen *s);
/* The fd to poll for keys, -1 once the terminal is gone */
int screen_fd(struct screen *s);
/* The next key, SCREEN_NONE, or SCREEN_GONE when the terminal went away */
#define SCREEN_NONE (-1)
#define SCREEN_GONE (-2)
int screen_key(struct screen *s, short revents);
/* The size now (it follows the terminal's) */
void screen_size(struct screen *s, size_t *rows, size_t *cols);
void screen_draw(struct screen *s, const struct screen_page *p);

#endif /* FTIO_TOP_SCREEN_H */
