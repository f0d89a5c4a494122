// SPDX-License-Identifier: GPL-2.0
/*
 * tracefs session management through libtracefs.  ftio works only in its
 * own instance: it never writes the top-level buffer's files, and never
 * the function-tracer files (trace-cmd 3.1.6 dies on a locked-down kernel
 * precisely because it writes ftrace_enabled and set_ftrace_filter).
 *
 * A session is a tracefs instance, or for the perf transport a set of
 * tracepoints opened on the perf rings; what differs is in struct
 * session_ops below, one table for each kind, so that no function here
 * asks which kind it holds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

#include "record/perf-source.h"
#include "record/session.h"
#include "record/session-int.h"
#include "lib/util.h"

/* our hold on the tracefs mount: see pinned_path() */
static int tracefs_fd = -1;
/* where ftio mounted tracefs itself, to unmount at exit; NULL if it found it */
static char *mounted_here;

/*
 * libtracefs mounts tracefs when it finds none, and leaves it mounted.
 * A mount ftio made is ftio's to remove: at exit, after the session's
 * instance and dynamic events are gone (session_destroy() runs first).
 */
static void unmount_tracefs(void)
{
	if (!mounted_here)
		return;
	if (tracefs_fd >= 0) {
		close(tracefs_fd);
		tracefs_fd = -1;
	}
	if (umount2(mounted_here, 0) < 0 && umount2(mounted_here, MNT_DETACH) < 0)
		warning("cannot unmount tracefs '%s' that ftio mounted: %s", mounted_here,
			strerror(errno));
	free(mounted_here);
	mounted_here = NULL;
}

/*
 * struct session_ops - what a session does in its transport's own way:
 * in a tracefs instance, or on the perf rings (see record/transport.h).
 * The public session_*() functions below call these and never ask which
 * kind of session they hold.
 */
struct session_ops {
	bool own_files;		/* the directory is our instance: ours to write */
	int (*enable_event)(struct session *s, const char *system, const char *event,
			    const char *filter, char **why);
	int (*set_pids)(struct session *s, const pid_t *pids, size_t n, bool follow_fork);
	int (*notrace_pid)(struct session *s, pid_t tid);
	int (*tracing_on)(struct session *s, bool on);
	/* removes what the transport made (the instance); 0 or -errno */
	int (*release)(struct session *s);
};

static const struct session_ops tracefs_session_ops, perf_session_ops, boot_session_ops;

const char *session_tracefs_dir(void)
{
	/* asked once: libtracefs 1.6.4 hands out a new copy each time, which leaks */
	static const char *dir;
	int r;

	if (dir)
		return dir;
	/*
	 * tracefs, never debugfs: lockdown=integrity blocks debugfs only.
	 * 1: it was mounted; 0: libtracefs mounted it just now.
	 */
	r = tracefs_tracing_dir_is_mounted(true, &dir);
	if (r < 0 || !dir) {
		dir = NULL;
		if (!errno)
			errno = ENODEV;
		return NULL;
	}
	if (r == 0) {
		mounted_here = xstrdup(dir);
		atexit(unmount_tracefs);
		fprintf(stderr, "ftio: tracefs was not mounted: mounted it on '%s' for this run\n",
			dir);
	}
	tracefs_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return dir;
}

/*
 * @path under the tracefs directory, reached through our O_PATH fd on it
 * instead, or NULL when it is not under it.  After "umount -l" the mount is
 * detached, not gone: the fd still reaches it through /proc/self/fd, so
 * that ftio can stop its instance, read its stats and remove what it made
 * rather than leave them recording with nobody to stop them.
 */
static char *pinned_path(const char *path)
{
	const char *tdir = session_tracefs_dir();
	size_t n = tdir ? strlen(tdir) : 0;

	if (!tdir || tracefs_fd < 0 || strncmp(path, tdir, n) || (path[n] && path[n] != '/'))
		return NULL;
	return xasprintf("/proc/self/fd/%d%s", tracefs_fd, path + n);
}

/* write_file(), and when the path is gone, the same file through our fd */
static int write_pinned(const char *path, const char *val, int append)
{
	int ret = write_file(path, val, append);
	char *p;

	if (ret != -ENOENT || !(p = pinned_path(path)))
		return ret;
	ret = write_file(p, val, append);
	free(p);
	return ret;
}

/* read_file(), and when the path is gone, the same file through our fd */
static char *read_pinned(const char *path)
{
	char *ret = read_file(path, NULL), *p;

	if (!ret && errno == ENOENT && (p = pinned_path(path))) {
		ret = read_file(p, NULL);
		free(p);
	}
	return ret;
}

char *session_tracefs_read(const char *file)
{
	const char *tdir = session_tracefs_dir();
	char *path, *ret;

	if (!tdir)
		return NULL;
	path = xasprintf("%s/%s", tdir, file);
	ret = read_pinned(path);
	free(path);
	return ret;
}

long session_tracepoint_id(const char *system, const char *event)
{
	char *file = xasprintf("events/%s/%s/id", system, event);
	char *text = session_tracefs_read(file);
	long id = text ? atol(text) : -1;

	free(file);
	free(text);
	return id;
}

static char *last_error(struct session *s)
{
	char *e = tracefs_error_last(s->inst);

	if (e) {
		size_t n = strlen(e);

		while (n && (e[n - 1] == '\n' || e[n - 1] == ' '))
			e[--n] = '\0';
	}
	return e;
}

/*
 * The kernel's long from header_page's commit field, and the sub-buffer
 * size; -1 when header_page cannot be read
 */
static int read_layout(struct session *s)
{
	/*
	 * "field: local_t commit;\toffset:8;\tsize:8;": the kernel's long,
	 * which a 32-bit ftio on a 64-bit kernel must not guess from its own
	 */
	char *hp = session_read(s, "events/header_page");
	char *c = hp ? strstr(hp, "commit;") : NULL;
	char *sz = c ? strstr(c, "size:") : NULL;
	char *d = hp ? strstr(hp, "char data;") : NULL;
	char *dsz = d ? strstr(d, "size:") : NULL;

	s->long_size = sz ? atoi(sz + 5) : (int)sizeof(long);
	if (s->long_size != 4 && s->long_size != 8)
		s->long_size = sizeof(long);
	s->subbuf_size = dsz ? atoi(dsz + 5) + 8 + s->long_size : getpagesize();
	if (!hp)
		return -1;
	free(hp);
	return 0;
}

struct session *session_new(const char *suffix)
{
	struct session *s;
	int e;

	if (!session_tracefs_dir())
		return NULL;
	if (getenv("FTIO_TEST_NO_INSTANCES")) {
		/* the tests' stand-in for a site that forbids tracefs instances */
		errno = EPERM;
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->ops = &tracefs_session_ops;
	s->name = xasprintf("ftio_%d%s", (int)getpid(), suffix ? suffix : "");
	s->group = xasprintf("ftio_%d", (int)getpid());
	if (tracefs_instance_exists(s->name)) {
		/* a stale one from an earlier ftio that had our pid */
		struct tracefs_instance *old = tracefs_instance_alloc(NULL, s->name);

		if (old) {
			tracefs_instance_destroy(old);
			tracefs_instance_free(old);
		}
	}
	s->inst = tracefs_instance_create(s->name);
	if (!s->inst)
		goto fail;
	s->dir = tracefs_instance_get_dir(s->inst);
	if (!s->dir)
		goto fail;
	s->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	read_layout(s);
	if (session_tracing_on(s, false) < 0)
		goto fail;
	return s;
fail:
	e = errno ? errno : EIO;
	session_destroy(s);
	errno = e;
	return NULL;
}

struct session *session_open_boot(const char *name, const char *group)
{
	struct session *s;
	int e;

	if (!session_tracefs_dir())
		return NULL;
	if (!tracefs_instance_exists(name)) {
		errno = ENOENT;
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->ops = &boot_session_ops;
	s->name = xstrdup(name);
	s->group = xstrdup(group);
	s->inst = tracefs_instance_alloc(NULL, name);
	if (!s->inst)
		goto fail;
	s->dir = tracefs_instance_get_dir(s->inst);
	if (!s->dir)
		goto fail;
	s->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	if (read_layout(s) < 0)
		goto fail;
	return s;
fail:
	e = errno ? errno : EIO;
	session_detach(s);
	errno = e;
	return NULL;
}

struct session *session_new_perf(const char *suffix, struct perf_source *ps, bool system_wide)
{
	const char *tdir = session_tracefs_dir();
	struct session *s;

	if (!tdir)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->ops = &perf_session_ops;
	s->name = xasprintf("ftio_%d%s", (int)getpid(), suffix ? suffix : "");
	s->group = xasprintf("ftio_%d", (int)getpid());
	s->dir = xstrdup(tdir);
	s->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	s->ps = ps;
	s->clock = xstrdup("mono");
	s->system_wide = system_wide;
	if (read_layout(s) < 0) {
		int e = errno ? errno : EIO;

		session_destroy(s);
		errno = e;
		return NULL;
	}
	return s;
}

int session_write(struct session *s, const char *file, const char *val)
{
	char *path;
	int ret;

	/* a perf session has no instance, and the top level is not ours */
	if (!s->ops->own_files)
		return -EPERM;
	path = xasprintf("%s/%s", s->dir, file);
	ret = write_pinned(path, val, 0);

	free(path);
	return ret;
}

int session_append(struct session *s, const char *file, const char *val)
{
	char *path;
	int ret;

	if (!s->ops->own_files)
		return -EPERM;
	path = xasprintf("%s/%s", s->dir, file);
	ret = write_pinned(path, val, 1);

	free(path);
	return ret;
}

char *session_read(struct session *s, const char *file)
{
	char *path = xasprintf("%s/%s", s->dir, file);
	char *ret = read_pinned(path);

	free(path);
	return ret;
}

int session_set_clock(struct session *s, const char *clock)
{
	char *avail = session_read(s, "trace_clock");
	const char *use = clock;
	char *want = xasprintf(" %s ", clock), *bracket = xasprintf("[%s]", clock);
	char *padded = avail ? xasprintf(" %s ", avail) : NULL;
	int ret;

	for (char *p = padded; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (!padded || (!strstr(padded, want) && !strstr(padded, bracket)))
		use = "global";
	free(want);
	free(bracket);
	free(padded);
	free(avail);
	ret = session_write(s, "trace_clock", use);
	if (!ret) {
		free(s->clock);
		s->clock = xstrdup(use);
	}
	return ret;
}

int session_set_buffer_kb(struct session *s, unsigned long kb)
{
	char val[32];

	snprintf(val, sizeof(val), "%lu", kb);
	return session_write(s, "buffer_size_kb", val);
}

bool session_has_event(struct session *s, const char *system, const char *event)
{
	char *path = xasprintf("%s/events/%s/%s/format", s->dir, system, event);
	bool ret = access(path, R_OK) == 0;

	free(path);
	return ret;
}

int session_enable_event(struct session *s, const char *system, const char *event,
			 const char *filter, char **why)
{
	int ret;

	if (why)
		*why = NULL;
	if (!session_has_event(s, system, event))
		return -ENOENT;
	ret = s->ops->enable_event(s, system, event, filter, why);
	if (ret)
		return ret;
	session_add_format(s, system, event);
	return 0;
}

/* perf: the tracepoint opened on the rings for the session's threads */
static int perf_enable_event(struct session *s, const char *system, const char *event,
			     const char *filter, char **why)
{
	long id = session_tracepoint_id(system, event);

	if (id < 0)
		return -ENOENT;
	return perf_source_add_tracepoint(s->ps, id, s->tids, s->nr_tids, filter, !s->system_wide);
}

/* tracefs: the filter, then the enable file; the kernel's error_log says why not */
static int tracefs_enable_event(struct session *s, const char *system, const char *event,
				const char *filter, char **why)
{
	char *rel;
	int ret;

	if (filter && *filter) {
		rel = xasprintf("events/%s/%s/filter", system, event);
		tracefs_error_clear(s->inst);
		ret = session_write(s, rel, filter);
		free(rel);
		if (ret) {
			if (why)
				*why = last_error(s);
			return ret;
		}
	}
	rel = xasprintf("events/%s/%s/enable", system, event);
	ret = session_write(s, rel, "1");
	free(rel);
	if (ret && why)
		*why = last_error(s);
	return ret;
}

void session_add_format(struct session *s, const char *system, const char *event)
{
	char *name = xasprintf("%s/%s", system, event);

	for (size_t i = 0; i < s->nr_events; i++) {
		if (!strcmp(s->events[i], name)) {
			free(name);
			return;
		}
	}
	s->events = xrealloc(s->events, (s->nr_events + 1) * sizeof(*s->events));
	s->events[s->nr_events++] = name;
}

static int add_dynevent(struct session *s, const char *file, const char *type,
			const char *event, const char *target, const char *fetch, char **why)
{
	const char *tdir = session_tracefs_dir();
	char *path, *line, *before;
	int ret;

	if (why)
		*why = NULL;
	if (!tdir)
		return -errno;
	/*
	 * Written by hand rather than with tracefs_uprobe_alloc(): libtracefs
	 * 1.6.4's dynevent listing confuses kprobes and uprobes when
	 * dynamic_events exists, and a kretprobe with maxactive > 0 comes out
	 * as "r16:grp/ev"; we only ever need to add one line.
	 */
	path = xasprintf("%s/%s", tdir, file);
	line = xasprintf("%s:%s/%s %s %s\n", type, s->group, event, target, fetch ? fetch : "");
	/* the top-level error_log is not ours to clear: compare instead */
	before = tracefs_error_last(NULL);
	ret = write_file(path, line, 1);
	free(path);
	free(line);
	if (ret) {
		char *e = tracefs_error_last(NULL);

		if (e && (!before || strcmp(e, before))) {
			size_t n = strlen(e);

			while (n && e[n - 1] == '\n')
				e[--n] = '\0';
			if (why)
				*why = e;
			else
				free(e);
		} else {
			free(e);
		}
		free(before);
		return ret;
	}
	free(before);
	s->dynevents = xrealloc(s->dynevents, (s->nr_dynevents + 1) * sizeof(*s->dynevents));
	s->dynevents[s->nr_dynevents++] = xasprintf("%s:%s/%s", file, s->group, event);
	return 0;
}

int session_add_uprobe(struct session *s, const char *event, const char *target,
		       const char *fetch, char **why)
{
	return add_dynevent(s, "uprobe_events", "p", event, target, fetch, why);
}

int session_add_kprobe(struct session *s, const char *event, const char *symbol,
		       const char *fetch, bool ret, char **why)
{
	return add_dynevent(s, "kprobe_events", ret ? "r" : "p", event, symbol, fetch, why);
}

int session_set_pids(struct session *s, const pid_t *pids, size_t n, bool follow_fork)
{
	return s->ops->set_pids(s, pids, n, follow_fork);
}

/* perf: the events opened from now on follow these (inherit does the forks) */
static int perf_set_pids(struct session *s, const pid_t *pids, size_t n, bool follow_fork)
{
	if (!s->system_wide) {
		s->tids = xrealloc(s->tids, (n ? n : 1) * sizeof(*s->tids));
		memcpy(s->tids, pids, n * sizeof(*pids));
		s->nr_tids = n;
	}
	return 0;
}

static int tracefs_set_pids(struct session *s, const pid_t *pids, size_t n, bool follow_fork)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%d ", (int)pids[i]);
	ret = session_write(s, "options/event-fork", follow_fork ? "1" : "0");
	if (!ret)
		ret = session_write(s, "set_event_pid", sb.buf);
	strbuf_release(&sb);
	return ret;
}

int session_notrace_pid(struct session *s, pid_t tid)
{
	/*
	 * The kernel matches the current thread: a block completion in a
	 * softirq that interrupted one of ftio's threads was dropped here.
	 */
	if (s->system_wide)
		return 0;
	return s->ops->notrace_pid(s, tid);
}

/* kept out of the system-wide events by the filter set at the first enable */
static int perf_notrace_pid(struct session *s, pid_t tid)
{
	perf_source_exclude(s->ps, tid);
	return 0;
}

static int tracefs_notrace_pid(struct session *s, pid_t tid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)tid);
	return session_append(s, "set_event_notrace_pid", val);
}

int session_tracing_on(struct session *s, bool on)
{
	return s->ops->tracing_on(s, on);
}

static int perf_tracing_on(struct session *s, bool on)
{
	return s->ps ? perf_source_enable(s->ps, on) : 0;
}

static int tracefs_tracing_on(struct session *s, bool on)
{
	return session_write(s, "tracing_on", on ? "1" : "0");
}

int session_remove_dynevent_line(const char *tdir, const char *file, const char *name)
{
	char *path = xasprintf("%s/%s", tdir, file);
	char *line = xasprintf("-:%s\n", name);
	int ret = write_pinned(path, line, 1);

	free(path);
	free(line);
	return ret;
}

/* perf: the rings are closed by their owner, the recorder */
static int perf_release(struct session *s)
{
	return 0;
}

/* tracefs: the instance stopped and removed, even after "umount -l" */
static int tracefs_release(struct session *s)
{
	int ret = 0;

	/* NULL when session_new() failed to create it */
	if (!s->inst)
		return 0;
	if (s->dir)
		session_tracing_on(s, false);
	/*
	 * EBUSY: a file of the instance is open.  A process the recorder
	 * forks (an --on-rotate hook, between its fork and its close_range)
	 * holds our descriptors for a moment: wait up to 2 s for it
	 */
	for (int i = 0; i < 100; i++) {
		errno = 0;
		ret = tracefs_instance_destroy(s->inst) < 0 ? -(errno ? errno : EBUSY) : 0;
		if (ret != -EBUSY)
			break;
		usleep(20000);
	}
	if (ret) {
		char *p;

		p = ret == -ENOENT && s->dir ? pinned_path(s->dir) : NULL;
		if (p && !rmdir(p))
			ret = 0;
		free(p);
	}
	tracefs_instance_free(s->inst);
	return ret;
}

static const struct session_ops tracefs_session_ops = {
	.own_files = true,
	.enable_event = tracefs_enable_event,
	.set_pids = tracefs_set_pids,
	.notrace_pid = tracefs_notrace_pid,
	.tracing_on = tracefs_tracing_on,
	.release = tracefs_release,
};

/* the boot instance is the kernel's: never removed (see session_open_boot) */
static int boot_release(struct session *s)
{
	if (s->inst)
		tracefs_instance_free(s->inst);
	s->inst = NULL;
	return 0;
}

static const struct session_ops boot_session_ops = {
	.own_files = true,
	.enable_event = tracefs_enable_event,
	.set_pids = tracefs_set_pids,
	.notrace_pid = tracefs_notrace_pid,
	.tracing_on = tracefs_tracing_on,
	.release = boot_release,
};

static const struct session_ops perf_session_ops = {
	.enable_event = perf_enable_event,
	.set_pids = perf_set_pids,
	.notrace_pid = perf_notrace_pid,
	.tracing_on = perf_tracing_on,
	.release = perf_release,
};

static void session_free(struct session *s)
{
	for (size_t i = 0; i < s->nr_dynevents; i++)
		free(s->dynevents[i]);
	for (size_t i = 0; i < s->nr_events; i++)
		free(s->events[i]);
	free(s->events);
	free(s->dynevents);
	free(s->dir);
	free(s->name);
	free(s->group);
	free(s->clock);
	free(s->tids);
	free(s);
}

void session_detach(struct session *s)
{
	if (!s)
		return;
	if (s->inst)
		tracefs_instance_free(s->inst);
	session_free(s);
}

int session_destroy(struct session *s)
{
	const char *tdir;
	int ret, r;

	if (!s)
		return 0;
	ret = s->ops->release(s);
	tdir = session_tracefs_dir();
	for (size_t i = 0; i < s->nr_dynevents; i++) {
		/* "uprobe_events:group/event" */
		char *colon = strchr(s->dynevents[i], ':');

		*colon = '\0';
		r = tdir ? session_remove_dynevent_line(tdir, s->dynevents[i], colon + 1) : -ENODEV;
		if (r && !ret)
			ret = r;
		*colon = ':';
	}
	session_free(s);
	return ret;
}
