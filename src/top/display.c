// SPDX-License-Identifier: GPL-2.0
/*
 * ftio top's display thread (see display.h): the interval clock, the keys,
 * and the frames or tables.  It makes no file syscall in plain mode (the
 * line queue's thread writes), and in screen mode it is the thread kept
 * out of the trace, so that drawing the table never shows in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "report/live.h"
#include "top/display.h"
#include "top/screen.h"
#include "lib/line-queue.h"
#include "lib/util.h"

/* Plain text: room for a few tables a slow reader has not taken yet */
#define TOP_QUEUE_BYTES (4u << 20)
/* The screen looks at the terminal's size and keys at least this often */
#define TOP_POLL_MS 200
/* At the end, how long a slow reader gets for the last tables */
#define TOP_CLOSE_WAIT_MS 2000
/* Header lines above the column heads on the screen */
#define TOP_HEAD_LINES 3

struct top_display {
	struct top_display_opts o;
	pthread_t thread;
	pid_t tid;
	pthread_mutex_t lock;	/* @cur, and the start and stop flags */
	pthread_cond_t cond;
	struct top_interval *cur;	/* filled by the writer's thread */
	bool started, stopping, last;
	int wake[2];		/* top_display_stop() ends the thread's poll */
	/* the display thread's own */
	struct screen *scr;
	struct line_queue *q;
	enum top_key key, next_key;
	struct top_view view;
	struct top_interval *shown;	/* the screen's table: the last interval, or the paused one */
	bool paused, editing, help, gone, count_done;
	char filter[64];
	unsigned long intervals;
	struct live_stats prev;
	uint64_t lost_now, lost_delta, unpaired;
};

/* The process's signals are the recorder's: ask it to stop as on SIGTERM */
static void stop_tracing(int sig)
{
	kill(getpid(), sig);
}

static void output_gone(void)
{
	stop_tracing(SIGTERM);
}

/* Closes the interval being filled and opens the next, with the key asked for */
static struct top_interval *swap(struct top_display *d, uint64_t now)
{
	struct top_interval *nv = top_interval_new(d->next_key), *old;

	nv->start_ns = now;
	pthread_mutex_lock(&d->lock);
	old = d->cur;
	d->cur = nv;
	pthread_mutex_unlock(&d->lock);
	old->end_ns = now;
	d->key = old->key;
	return old;
}

static void take_stats(struct top_display *d)
{
	struct live_stats st;

	live_get_stats(d->o.live, &st);
	d->lost_delta = st.lost - d->prev.lost;
	d->lost_now = st.lost;
	d->unpaired = st.exit_no_enter;
	d->prev = st;
}

static void summary_line(struct strbuf *sb, struct top_display *d, const struct top_interval *iv)
{
	double secs = (iv->end_ns - iv->start_ns) / 1e9;
	char b[32];

	strbuf_addf(sb, "%.2fs: %llu calls (%.0f/s), %llu errors, %s", secs,
		    (unsigned long long)iv->calls, secs > 0 ? iv->calls / secs : 0.0,
		    (unsigned long long)iv->errors, fmt_bytes(b, sizeof(b), iv->bytes));
	strbuf_addf(sb, "; events lost: %llu (%llu in all)", (unsigned long long)d->lost_delta,
		    (unsigned long long)d->lost_now);
	if (d->unpaired)
		strbuf_addf(sb, ", %llu calls unpaired", (unsigned long long)d->unpaired);
}

/* Plain text: one table, pushed whole or dropped whole */
static void print_table(struct top_display *d, struct top_interval *iv)
{
	struct strbuf sb = STRBUF_INIT;
	struct top_row **rows;
	size_t n, shown;
	time_t t = time(NULL);
	struct tm tm;
	char when[16];

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	strbuf_addf(&sb, "%s ftio top by %s, ", when, top_key_names[iv->key]);
	summary_line(&sb, d, iv);
	strbuf_addstr(&sb, "\n");
	rows = top_rows(iv, &d->view, &n);
	shown = d->o.rows && d->o.rows < n ? d->o.rows : n;
	if (n) {
		strbuf_addstr(&sb, "  ");
		top_header(&sb, iv->key);
		strbuf_addch(&sb, '\n');
	}
	for (size_t i = 0; i < shown; i++) {
		strbuf_addstr(&sb, "  ");
		top_line(&sb, rows[i], iv->key, 0);
		strbuf_addch(&sb, '\n');
	}
	if (shown < n)
		strbuf_addf(&sb, "  (%zu more rows: --rows 0 shows all)\n", n - shown);
	strbuf_addch(&sb, '\n');
	free(rows);
	line_queue_push(d->q, sb.buf, sb.len);
	strbuf_release(&sb);
}

static void draw(struct top_display *d)
{
	struct screen_page p = { .header = TOP_HEAD_LINES, .alert = -1 };
	struct strbuf head[TOP_HEAD_LINES], cols = STRBUF_INIT, prompt = STRBUF_INIT;
	const struct top_interval *iv = d->shown;
	/* the table's own key: a paused one may be older than the last interval */
	enum top_key key = iv ? iv->key : d->key;
	struct top_row **rows = NULL;
	size_t n = 0, nrows, ncols, kw;
	const char **lines;
	struct strbuf *body;

	screen_size(d->scr, &nrows, &ncols);
	for (int i = 0; i < TOP_HEAD_LINES; i++)
		strbuf_init(&head[i], 0);
	strbuf_addf(&head[0], "ftio top - by %s every %.1fs, sorted by %s%s%s%s%s",
		    top_key_names[key], d->o.interval_ns / 1e9, top_sort_names[d->view.sort],
		    d->view.reverse ? " (reversed)" : "", d->paused ? "  [PAUSED]" : "",
		    d->next_key != key ? "  (by " : "",
		    d->next_key != key ? top_key_names[d->next_key] : "");
	if (d->next_key != key)
		strbuf_addstr(&head[0], " at the next refresh)");
	if (iv)
		summary_line(&head[1], d, iv);
	else
		strbuf_addstr(&head[1], "collecting the first interval...");
	if (d->help)
		strbuf_addstr(&head[2], "q quit  space pause  s/S sort  r reverse  b by  / filter  e errors  ? help");
	else if (d->view.filter || d->view.errors_only)
		strbuf_addf(&head[2], "showing: %s%s%s", d->view.errors_only ? "rows with errors " : "",
			    d->view.filter ? "keys containing " : "", d->view.filter ? d->filter : "");
	else
		strbuf_addstr(&head[2], "press ? for the keys");
	if (d->lost_delta)
		p.alert = 1;
	top_header(&cols, key);
	top_sort_col(d->view.sort, key, &p.hl_start, &p.hl_width);
	if (iv)
		rows = top_rows(iv, &d->view, &n);
	if (n > nrows)
		n = nrows;
	kw = ncols > top_fixed_width() + 8 ? ncols - top_fixed_width() : 8;
	lines = xcalloc(TOP_HEAD_LINES + 1 + n, sizeof(*lines));
	body = xcalloc(n + 1, sizeof(*body));
	for (int i = 0; i < TOP_HEAD_LINES; i++)
		lines[i] = head[i].buf;
	lines[TOP_HEAD_LINES] = cols.buf;
	for (size_t i = 0; i < n; i++) {
		strbuf_init(&body[i], 0);
		top_line(&body[i], rows[i], key, kw);
		lines[TOP_HEAD_LINES + 1 + i] = body[i].buf;
	}
	p.lines = lines;
	p.nr = TOP_HEAD_LINES + 1 + n;
	if (d->editing) {
		strbuf_addf(&prompt, "filter: %s_", d->filter);
		p.prompt = prompt.buf;
	}
	screen_draw(d->scr, &p);
	for (size_t i = 0; i < n; i++)
		strbuf_release(&body[i]);
	for (int i = 0; i < TOP_HEAD_LINES; i++)
		strbuf_release(&head[i]);
	strbuf_release(&cols);
	strbuf_release(&prompt);
	free(body);
	free(lines);
	free(rows);
}

/* One key of the filter being typed */
static void edit_key(struct top_display *d, int c)
{
	size_t len = strlen(d->filter);

	if (c == '\r' || c == '\n') {
		d->editing = false;
		d->view.filter = len ? d->filter : NULL;
	} else if (c == 27) {
		d->editing = false;
		d->filter[0] = '\0';
		d->view.filter = NULL;
	} else if ((c == 127 || c == 8) && len) {
		d->filter[len - 1] = '\0';
	} else if (c >= 0x20 && c < 0x7f && len + 1 < sizeof(d->filter)) {
		d->filter[len] = c;
		d->filter[len + 1] = '\0';
	}
}

/* Returns false for the keys that quit */
static bool key(struct top_display *d, int c)
{
	if (d->editing) {
		edit_key(d, c);
		return true;
	}
	switch (c) {
	case 'q':
	case 'Q':
	case 3:		/* ^C: raw mode makes it a key */
		return false;
	case ' ':
	case 'p':
		d->paused = !d->paused;
		break;
	case 's':
	case '>':
		d->view.sort = (d->view.sort + 1) % TOP_SORTS;
		break;
	case 'S':
	case '<':
		d->view.sort = (d->view.sort + TOP_SORTS - 1) % TOP_SORTS;
		break;
	case 'r':
		d->view.reverse = !d->view.reverse;
		break;
	case 'b':
		d->next_key = (d->next_key + 1) % TOP_KEYS;
		break;
	case 'e':
		d->view.errors_only = !d->view.errors_only;
		break;
	case '/':
		d->editing = true;
		d->filter[0] = '\0';
		d->view.filter = NULL;
		break;
	case '?':
	case 'h':
		d->help = !d->help;
		break;
	}
	return true;
}

/* An interval is over: show it (or keep the paused one), and count it */
static void tick(struct top_display *d, uint64_t now)
{
	struct top_interval *iv = swap(d, now);

	/* -n's intervals are shown: the ones while the capture stops are not */
	if (d->count_done) {
		top_interval_free(iv);
		return;
	}
	take_stats(d);
	d->intervals++;
	if (!d->scr) {
		if (d->q)
			print_table(d, iv);
		top_interval_free(iv);
	} else if (d->paused) {
		top_interval_free(iv);
	} else {
		top_interval_free(d->shown);
		d->shown = iv;
	}
	if (d->o.count && d->intervals >= d->o.count && !d->count_done) {
		d->count_done = true;
		stop_tracing(SIGTERM);
	}
}

static void open_output(struct top_display *d)
{
	if (d->q)
		return;
	d->scr = screen_open();
	if (d->scr)
		return;
	warning("cannot take the terminal for the screen (%s): plain text", strerror(errno));
	/* this thread then writes nothing, and the queue's thread is not kept out */
	d->q = line_queue_new(1, TOP_QUEUE_BYTES, output_gone);
}

static void run(struct top_display *d)
{
	uint64_t next = now_mono_ns() + d->o.interval_ns;
	bool redraw = true;

	pthread_mutex_lock(&d->lock);
	d->cur->start_ns = now_mono_ns();
	pthread_mutex_unlock(&d->lock);
	for (;;) {
		struct pollfd fds[2] = { { d->wake[0], POLLIN, 0 }, { -1, POLLIN, 0 } };
		uint64_t now = now_mono_ns();
		int ms = next > now ? (int)((next - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC) : 0;

		if (d->scr) {
			if (redraw)
				draw(d);
			redraw = false;
			fds[1].fd = screen_fd(d->scr);
			if (ms > TOP_POLL_MS)
				ms = TOP_POLL_MS;
		}
		if (poll(fds, 2, ms) < 0 && errno != EINTR)
			break;
		if (fds[0].revents)
			break;
		if (d->scr && fds[1].fd >= 0 && fds[1].revents) {
			int c;

			while ((c = screen_key(d->scr, fds[1].revents)) != SCREEN_NONE) {
				if (c == SCREEN_GONE) {
					/* a closed terminal: SIGHUP may not have come to us */
					d->gone = true;
					stop_tracing(SIGHUP);
					break;
				}
				if (!key(d, c)) {
					stop_tracing(SIGTERM);
					break;
				}
				fds[1].revents = 0;
			}
			redraw = true;
		}
		now = now_mono_ns();
		if (now >= next) {
			tick(d, now);
			next += d->o.interval_ns;
			if (next <= now)
				next = now + d->o.interval_ns;
			redraw = true;
		} else if (d->scr) {
			/* the size may have changed */
			redraw = true;
		}
	}
}

static void *display_main(void *arg)
{
	struct top_display *d = arg;

	pthread_mutex_lock(&d->lock);
	d->tid = syscall(SYS_gettid);
	pthread_cond_broadcast(&d->cond);
	while (!d->started && !d->stopping)
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	if (d->started) {
		open_output(d);
		run(d);
	}
	/* the writer is closed: what it put in the last interval is all there is */
	if (d->last && d->started && !d->count_done && !d->scr)
		tick(d, now_mono_ns());
	screen_close(d->scr);
	d->scr = NULL;
	return NULL;
}

/* Screen or plain text is chosen before the tracing, for the thread to keep out */
static bool wants_screen(const struct top_display_opts *o)
{
#ifdef FTIO_HAVE_NCURSES
	return !o->batch && isatty(0) && isatty(1);
#else
	return false;
#endif
}

struct top_display *top_display_new(const struct top_display_opts *o)
{
	struct top_display *d = xcalloc(1, sizeof(*d));
	sigset_t all, old;
	int e;

	d->o = *o;
	d->view = o->view;
	d->key = d->next_key = o->key;
	d->cur = top_interval_new(o->key);
	if (pipe2(d->wake, O_CLOEXEC) < 0)
		goto fail;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (!wants_screen(o)) {
		d->o.batch = true;
		d->q = line_queue_new(1, TOP_QUEUE_BYTES, output_gone);
		if (!d->q)
			goto fail;
	}
	/* the process's signals (SIGCHLD, SIGINT, SIGHUP) are for the recorder's thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&d->thread, NULL, display_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		errno = e;
		goto fail;
	}
	pthread_mutex_lock(&d->lock);
	while (!d->tid)
		pthread_cond_wait(&d->cond, &d->lock);
	pthread_mutex_unlock(&d->lock);
	return d;
fail:
	e = errno;
	line_queue_close(d->q, 0, NULL);
	top_interval_free(d->cur);
	free(d);
	errno = e;
	return NULL;
}

pid_t top_display_tid(struct top_display *d)
{
	return d->q ? line_queue_tid(d->q) : d->tid;
}

void top_display_start(struct top_display *d)
{
	pthread_mutex_lock(&d->lock);
	d->started = true;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void top_display_add(struct top_display *d, const struct call *c, const struct model *m)
{
	pthread_mutex_lock(&d->lock);
	top_interval_add(d->cur, c, m);
	pthread_mutex_unlock(&d->lock);
}

void top_display_stop(struct top_display *d, bool last, unsigned long *intervals)
{
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	d->last = last;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	(void)!write(d->wake[1], "x", 1);
	pthread_join(d->thread, NULL);
	if (intervals)
		*intervals = d->intervals;
	line_queue_close(d->q, TOP_CLOSE_WAIT_MS, NULL);
	close(d->wake[0]);
	close(d->wake[1]);
	top_interval_free(d->cur);
	top_interval_free(d->shown);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
