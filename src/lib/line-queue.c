// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded output queue (see line-queue.h): a byte ring of whole lines
 * under one lock, and a thread that writes it with non-blocking writes
 * and poll().  The producer copies a line in and never waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/line-queue.h"
#include "lib/util.h"

struct line_queue {
	int fd;
	bool own_fd;		/* reopened non-blocking */
	int restore_flags;	/* -1, or the flags to give back to a socket */
	char *buf;
	size_t cap, head, len;	/* the ring */
	size_t nr_lines;	/* whole lines in the ring */
	pthread_mutex_t lock;
	pthread_cond_t more, started;
	pthread_t thread;
	pid_t tid;
	bool stop;
	uint64_t deadline;	/* once stopping: when to give up on a slow reader */
	void (*on_gone)(void);
	struct line_queue_stats st;
};

/*
 * The lines that are left when the output stops: count them dropped.
 * Called with the lock held.
 */
static void drop_all(struct line_queue *q)
{
	q->st.dropped += q->nr_lines;
	q->nr_lines = 0;
	q->head = q->len = 0;
}

/* Counts the newlines in the @n bytes that just left the ring at @from */
static size_t lines_in(const struct line_queue *q, size_t from, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += q->buf[(from + i) % q->cap] == '\n';
	return k;
}

static void *writer(void *arg)
{
	struct line_queue *q = arg;

	pthread_mutex_lock(&q->lock);
	q->tid = syscall(SYS_gettid);
	pthread_cond_broadcast(&q->started);
	for (;;) {
		size_t from, n;
		ssize_t w;

		while (!q->len && !q->stop)
			pthread_cond_wait(&q->more, &q->lock);
		if (!q->len)
			break;
		if (q->stop && now_mono_ns() >= q->deadline) {
			drop_all(q);
			break;
		}
		from = q->head;
		n = q->cap - from < q->len ? q->cap - from : q->len;
		pthread_mutex_unlock(&q->lock);
		w = write(q->fd, q->buf + from, n);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd p = { .fd = q->fd, .events = POLLOUT };

			poll(&p, 1, 50);
			pthread_mutex_lock(&q->lock);
			continue;
		}
		pthread_mutex_lock(&q->lock);
		if (w < 0) {
			q->st.err = -errno;
			drop_all(q);
			if (q->st.err == -EPIPE && q->on_gone) {
				pthread_mutex_unlock(&q->lock);
				q->on_gone();
				pthread_mutex_lock(&q->lock);
			}
			/* nothing more can be shown: drop whatever comes, counted */
			while (!q->stop) {
				drop_all(q);
				pthread_cond_wait(&q->more, &q->lock);
			}
			drop_all(q);
			break;
		}
		q->nr_lines -= lines_in(q, from, w);
		q->head = (q->head + w) % q->cap;
		q->len -= w;
		q->st.written_bytes += w;
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* A FIFO or a terminal gets a file description of its own, non-blocking */
static int open_output(struct line_queue *q, int fd)
{
	struct stat st;
	int flags;

	q->fd = fd;
	q->restore_flags = -1;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		char path[64];
		int nfd;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		nfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (nfd >= 0) {
			q->fd = nfd;
			q->own_fd = true;
			return 0;
		}
	}
	if (S_ISREG(st.st_mode))
		return 0;	/* a write to a file does not wait on anyone */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0 && !(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0)
		q->restore_flags = flags;
	return 0;
}

struct line_queue *line_queue_new(int fd, size_t max_bytes, void (*on_gone)(void))
{
	struct line_queue *q = xcalloc(1, sizeof(*q));
	int e;

	e = open_output(q, fd);
	if (e) {
		free(q);
		errno = -e;
		return NULL;
	}
	q->cap = max_bytes < 4096 ? 4096 : max_bytes;
	q->buf = xmalloc(q->cap);
	q->on_gone = on_gone;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->started, NULL);
	{
		sigset_t all, old;

		/* the process's signals (SIGCHLD, SIGINT) are for the thread that waits for them */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		e = pthread_create(&q->thread, NULL, writer, q);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (e) {
		if (q->own_fd)
			close(q->fd);
		free(q->buf);
		free(q);
		errno = e;
		return NULL;
	}
	pthread_mutex_lock(&q->lock);
	while (!q->tid)
		pthread_cond_wait(&q->started, &q->lock);
	pthread_mutex_unlock(&q->lock);
	return q;
}

pid_t line_queue_tid(struct line_queue *q)
{
	return q->tid;
}

bool line_queue_push(struct line_queue *q, const char *line, size_t len)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	q->st.lines++;
	ok = !q->st.err && !q->stop && len <= q->cap - q->len;
	if (ok) {
		size_t tail = (q->head + q->len) % q->cap;
		size_t first = q->cap - tail < len ? q->cap - tail : len;

		memcpy(q->buf + tail, line, first);
		memcpy(q->buf, line + first, len - first);
		q->len += len;
		q->nr_lines++;
		pthread_cond_signal(&q->more);
	} else {
		q->st.dropped++;
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

bool line_queue_full(struct line_queue *q, size_t len)
{
	bool full;

	pthread_mutex_lock(&q->lock);
	full = q->st.err || q->stop || len > q->cap - q->len;
	if (full) {
		q->st.lines++;
		q->st.dropped++;
	}
	pthread_mutex_unlock(&q->lock);
	return full;
}

void line_queue_close(struct line_queue *q, unsigned int wait_ms, struct line_queue_stats *st)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	q->deadline = now_mono_ns() + (uint64_t)wait_ms * NSEC_PER_MSEC;
	pthread_cond_broadcast(&q->more);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	if (st)
		*st = q->st;
	if (q->own_fd)
		close(q->fd);
	if (q->restore_flags >= 0)
		fcntl(q->fd, F_SETFL, q->restore_flags);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->started);
	pthread_mutex_destroy(&q->lock);
	free(q->buf);
	free(q);
}
