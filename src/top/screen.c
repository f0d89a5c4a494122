// SPDX-License-Identifier: GPL-2.0
/*
 * ftio top's screen (see screen.h).  The terminal is in raw mode, so ^C
 * and ^Z are keys and the terminal never signals the display thread: the
 * process's signals stay with the recorder, which waits for them.  The
 * size is read from the terminal on each frame instead of on SIGWINCH,
 * which stays blocked everywhere.  While the screen is up, stderr goes to
 * a memory file and is printed after it, so that a message is not lost
 * with the alternate screen.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "top/screen.h"
#include "lib/util.h"

#ifdef FTIO_HAVE_NCURSES
#include <curses.h>

struct screen {
	SCREEN *term;
	int in_fd;		/* -1 once the terminal is gone */
	int saved_err;		/* stderr while it goes to @err_mem, or -1 */
	int err_mem;
	int empty;		/* readable yet no key, in a row */
	bool gone;
};

static void stderr_hold(struct screen *s)
{
	s->saved_err = s->err_mem = -1;
	if (!isatty(2))
		return;
	s->err_mem = memfd_create("ftio-top-stderr", MFD_CLOEXEC);
	s->saved_err = s->err_mem >= 0 ? dup(2) : -1;
	if (s->saved_err < 0 || dup2(s->err_mem, 2) < 0) {
		if (s->saved_err >= 0)
			close(s->saved_err);
		if (s->err_mem >= 0)
			close(s->err_mem);
		s->saved_err = s->err_mem = -1;
	}
}

static void stderr_release(struct screen *s)
{
	char buf[4096];
	ssize_t n;

	if (s->saved_err < 0)
		return;
	dup2(s->saved_err, 2);
	close(s->saved_err);
	lseek(s->err_mem, 0, SEEK_SET);
	while ((n = read(s->err_mem, buf, sizeof(buf))) > 0)
		if (write(2, buf, n) != n)
			break;
	close(s->err_mem);
}

struct screen *screen_open(void)
{
	struct screen *s;

	if (!isatty(0) || !isatty(1)) {
		errno = ENOTTY;
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->term = newterm(NULL, stdout, stdin);
	if (!s->term) {
		free(s);
		errno = ENOENT;
		return NULL;
	}
	set_term(s->term);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	/* Esc ends a filter at once, not after ncurses' second of waiting for a sequence */
	set_escdelay(25);
	s->in_fd = 0;
	stderr_hold(s);
	return s;
}

void screen_close(struct screen *s)
{
	if (!s)
		return;
	/* on a terminal that went away this writes nothing, and returns */
	endwin();
	delscreen(s->term);
	stderr_release(s);
	free(s);
}

int screen_fd(struct screen *s)
{
	return s->in_fd;
}

int screen_key(struct screen *s, short revents)
{
	int c;

	if (s->gone)
		return SCREEN_NONE;
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		s->gone = true;
		s->in_fd = -1;
		return SCREEN_GONE;
	}
	c = getch();
	/*
	 * readable, yet nothing: the read found the end (a hung-up terminal),
	 * or a byte ncurses keeps for an escape sequence; only the end repeats
	 */
	if (c == ERR && (revents & POLLIN) && ++s->empty >= 5) {
		s->gone = true;
		s->in_fd = -1;
		return SCREEN_GONE;
	}
	if (c != ERR)
		s->empty = 0;
	if (c == KEY_ENTER)
		return '\n';
	if (c == KEY_BACKSPACE)
		return 127;
	return c == ERR ? SCREEN_NONE : c;
}

void screen_size(struct screen *s, size_t *rows, size_t *cols)
{
	struct winsize ws;

	if (!s->gone && !ioctl(1, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	*rows = LINES;
	*cols = COLS;
}

void screen_draw(struct screen *s, const struct screen_page *p)
{
	size_t rows, cols;

	if (s->gone)
		return;
	screen_size(s, &rows, &cols);
	erase();
	for (size_t i = 0; i < p->nr && i < rows - (p->prompt ? 1 : 0); i++) {
		if ((int)i == p->header) {
			attron(A_REVERSE);
			mvhline(i, 0, ' ', cols);
			mvaddnstr(i, 0, p->lines[i], cols);
			if (p->hl_start < cols) {
				attron(A_BOLD | A_UNDERLINE);
				mvaddnstr(i, p->hl_start, p->lines[i] + p->hl_start,
					  p->hl_width < cols - p->hl_start ? p->hl_width
									   : cols - p->hl_start);
				attroff(A_BOLD | A_UNDERLINE);
			}
			attroff(A_REVERSE);
			continue;
		}
		if ((int)i == p->alert)
			attron(A_BOLD);
		mvaddnstr(i, 0, p->lines[i], cols);
		if ((int)i == p->alert)
			attroff(A_BOLD);
	}
	if (p->prompt)
		mvaddnstr(rows - 1, 0, p->prompt, cols);
	refresh();
}

#else /* !FTIO_HAVE_NCURSES */

struct screen *screen_open(void)
{
	errno = ENOTSUP;
	return NULL;
}

void screen_close(struct screen *s)
{
}

int screen_fd(struct screen *s)
{
	return -1;
}

int screen_key(struct screen *s, short revents)
{
	return SCREEN_GONE;
}

void screen_size(struct screen *s, size_t *rows, size_t *cols)
{
	*rows = 24;
	*cols = 80;
}

void screen_draw(struct screen *s, const struct screen_page *p)
{
}

#endif
