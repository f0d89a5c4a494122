/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record --on-rotate CMD: runs CMD on each file of a rotated recording
 * once the file is closed and complete (its END chunk written and synced),
 * as tcpdump's -z does.  CMD runs through /bin/sh with the file's path as
 * its last argument, with the privileges of --user when given (the file is
 * handed to that user first), without the recorder's pinning, niceness,
 * blocked signals and descriptors.  The recording does not wait for it;
 * a CMD that fails is reported when it is reaped and stops nothing.
 */
#ifndef FTIO_RECORD_HOOK_H
#define FTIO_RECORD_HOOK_H

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Hooks running at once; one more waits for the oldest to end */
#define ROTATE_HOOK_MAX 16

struct rotate_hook {
	const char *cmd;
	bool set_owner;
	uid_t uid;
	gid_t gid;
	cpu_set_t cpus;		/* the recorder's before --cpu */
	int nice;		/* and before --nice */
	pthread_mutex_t lock;
	struct {
		pid_t pid;
		char *path;
	} running[ROTATE_HOOK_MAX];
	unsigned int nr_running;
	uint64_t started, failed;
};

void rotate_hook_init(struct rotate_hook *h, const char *cmd);
/* Starts CMD on @path (copied); called by the writer thread and at close */
void rotate_hook_run(struct rotate_hook *h, const char *path);
/* Waits for every CMD still running, reporting those that failed */
void rotate_hook_finish(struct rotate_hook *h);
void rotate_hook_release(struct rotate_hook *h);

#endif /* FTIO_RECORD_HOOK_H */
