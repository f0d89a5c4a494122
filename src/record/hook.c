// SPDX-License-Identifier: GPL-2.0
/*
 * record --on-rotate: one process per closed file (see hook.h).  The
 * writer thread forks: the child only drops what the recorder holds
 * (signals, descriptors, pinning, privileges) and execs, all of it
 * async-signal-safe, with its argv built before the fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "record/hook.h"
#include "lib/util.h"

void rotate_hook_init(struct rotate_hook *h, const char *cmd)
{
	h->cmd = cmd;
	h->nr_running = 0;
	h->started = h->failed = 0;
	pthread_mutex_init(&h->lock, NULL);
}

/* Reports how running[i] ended and drops it; with the lock held */
static void reaped(struct rotate_hook *h, unsigned int i, int status)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		h->failed++;
		if (WIFEXITED(status))
			warning("--on-rotate '%s' failed for '%s': exit status %d", h->cmd,
				h->running[i].path, WEXITSTATUS(status));
		else
			warning("--on-rotate '%s' failed for '%s': killed by signal %d", h->cmd,
				h->running[i].path, WTERMSIG(status));
	}
	free(h->running[i].path);
	h->running[i] = h->running[--h->nr_running];
}

/* Reaps the hooks that ended; @block: wait for the oldest one too */
static void reap(struct rotate_hook *h, bool block)
{
	for (unsigned int i = 0; i < h->nr_running;) {
		int status;
		pid_t p = waitpid(h->running[i].pid, &status, block && i == 0 ? 0 : WNOHANG);

		if (p == h->running[i].pid || (p < 0 && errno == ECHILD)) {
			if (p < 0)
				status = 0;
			reaped(h, i, status);
			block = false;
			continue;
		}
		if (p < 0 && errno == EINTR)
			continue;
		i++;
	}
}

static void exec_child(struct rotate_hook *h, char **argv)
{
	sigset_t none;
	int null = open("/dev/null", O_RDONLY);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sched_setaffinity(0, sizeof(h->cpus), &h->cpus);
	setpriority(PRIO_PROCESS, 0, h->nice);
	if (null >= 0) {
		dup2(null, 0);
		if (null > 2)
			close(null);
	}
	/* tracefs, perf and the recording stay with the recorder */
	close_range(3, ~0u, 0);
	if (h->set_owner && (setgroups(0, NULL) < 0 || setgid(h->gid) < 0 || setuid(h->uid) < 0))
		_exit(126);
	execv("/bin/sh", argv);
	_exit(127);
}

void rotate_hook_run(struct rotate_hook *h, const char *path)
{
	char *script = xasprintf("%s \"$1\"", h->cmd);
	char *argv[] = { "sh", "-c", script, "sh", (char *)path, NULL };
	pid_t pid;

	pthread_mutex_lock(&h->lock);
	reap(h, false);
	if (h->nr_running == ROTATE_HOOK_MAX)
		reap(h, true);
	/* the file is root's until the end of the recording: the --user's now */
	if (h->set_owner && lchown(path, h->uid, h->gid) < 0)
		warning("cannot give '%s' to uid %u: %s", path, (unsigned)h->uid, strerror(errno));
	pid = fork();
	if (pid == 0)
		exec_child(h, argv);
	if (pid < 0) {
		h->failed++;
		warning("cannot run --on-rotate '%s' for '%s': %s", h->cmd, path, strerror(errno));
	} else {
		h->running[h->nr_running].pid = pid;
		h->running[h->nr_running++].path = xstrdup(path);
		h->started++;
	}
	pthread_mutex_unlock(&h->lock);
	free(script);
}

void rotate_hook_finish(struct rotate_hook *h)
{
	pthread_mutex_lock(&h->lock);
	while (h->nr_running)
		reap(h, true);
	pthread_mutex_unlock(&h->lock);
}

void rotate_hook_release(struct rotate_hook *h)
{
	rotate_hook_finish(h);
	pthread_mutex_destroy(&h->lock);
}
