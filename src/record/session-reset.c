// SPDX-License-Identifier: GPL-2.0
/*
 * Removing what is not this process's: the instances and dynamic events
 * of ftio processes that died ("ftio_<pid>" names, ftio reset and the
 * recorder's start), and the "ftio_boot" group that the boot instance's
 * arming leaves on purpose (ftio reset --boot-instance).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#include "record/session.h"
#include "record/session-int.h"
#include "lib/util.h"

/* Returns the pid of an "ftio_<pid>" name, or 0 when it is not one of ours */
static pid_t ftio_name_pid(const char *name)
{
	unsigned long long pid;
	char buf[32];
	const char *p;

	if (strncmp(name, "ftio_", 5))
		return 0;
	p = name + 5;
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(p, "_/ \n"), p);
	if (parse_uint(buf, 1 << 22, &pid) || !pid)
		return 0;
	return pid;
}

static bool stale(const char *name, bool all)
{
	pid_t pid = ftio_name_pid(name);

	if (!pid)
		return false;
	if (all)
		return pid != getpid();
	return kill(pid, 0) < 0 && errno == ESRCH;
}

/*
 * Removes the dynamic events "group/event" of uprobe_events and
 * kprobe_events for which @match says so, telling @cb; how many went
 */
static int remove_dynevents(const char *tdir, bool (*match)(const char *name, const void *arg),
			    const void *arg, void (*cb)(const char *what, const char *name, int err))
{
	static const char *const files[] = { "uprobe_events", "kprobe_events" };
	int removed = 0;

	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		char *path = xasprintf("%s/%s", tdir, files[f]);
		char *text = read_file(path, NULL);
		char *save = NULL;

		free(path);
		if (!text)
			continue;
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			/* "p:GROUP/EVENT target args" or "r16:GROUP/EVENT ..." */
			char *colon = strchr(line, ':'), *sp;
			int err;

			if (!colon)
				continue;
			sp = strchr(colon, ' ');
			if (sp)
				*sp = '\0';
			if (!match(colon + 1, arg))
				continue;
			err = session_remove_dynevent_line(tdir, files[f], colon + 1);
			if (cb)
				cb("dynamic event", colon + 1, err);
			if (!err)
				removed++;
		}
		free(text);
	}
	return removed;
}

static bool match_stale(const char *name, const void *arg)
{
	return stale(name, *(const bool *)arg);
}

int session_reset_stale(bool all, void (*cb)(const char *what, const char *name, int err))
{
	return session_reset_stale_save(all, cb, NULL, NULL);
}

int session_reset_stale_save(bool all, void (*cb)(const char *what, const char *name, int err),
			     void (*save_fn)(const char *name, void *arg), void *arg)
{
	const char *tdir = session_tracefs_dir();
	char *idir;
	DIR *d;
	struct dirent *de;
	int removed = 0;

	if (!tdir)
		return -errno;
	idir = xasprintf("%s/instances", tdir);
	d = opendir(idir);
	while (d && (de = readdir(d))) {
		struct tracefs_instance *inst;
		int err = 0;

		if (!stale(de->d_name, all))
			continue;
		if (save_fn)
			save_fn(de->d_name, arg);
		inst = tracefs_instance_alloc(NULL, de->d_name);
		if (!inst || tracefs_instance_destroy(inst) < 0)
			err = -(errno ? errno : EIO);
		/* another reset got there first: it is gone, which is what we wanted */
		if (err == -ENOENT) {
			tracefs_instance_free(inst);
			continue;
		}
		tracefs_instance_free(inst);
		if (cb)
			cb("instance", de->d_name, err);
		if (!err)
			removed++;
	}
	if (d)
		closedir(d);
	free(idir);

	return removed + remove_dynevents(tdir, match_stale, &all, cb);
}

static bool match_group(const char *name, const void *arg)
{
	size_t n = strlen(arg);

	return !strncmp(name, arg, n) && name[n] == '/';
}

int session_remove_group(const char *group, void (*cb)(const char *what, const char *name, int err))
{
	const char *tdir = session_tracefs_dir();

	return tdir ? remove_dynevents(tdir, match_group, group, cb) : -errno;
}
