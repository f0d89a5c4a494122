/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracing session, over either transport: ftio's own tracefs instance
 * (or, for a perf_event session, the perf source its events are opened on,
 * tracefs then giving only formats and dynamic events) and its
 * dynamic-event group.  It also finds tracefs, reads its top-level files
 * and tracepoint ids, and removes what a dead ftio left behind.  Every
 * change a recording makes in tracefs goes through here, so that
 * session_destroy() can always undo all of it; only ftio probe's test
 * instance and eprobe, removed at once, and salvage stopping a dead
 * instance's tracing write tracefs themselves.
 */
#ifndef FTIO_SESSION_H
#define FTIO_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct tracefs_instance;
struct perf_source;

struct session_ops;

struct session {
	/* how this kind of session does things (tracefs or perf, session.c) */
	const struct session_ops *ops;
	struct tracefs_instance *inst;	/* tracefs sessions only */
	char *name;		/* instance name: "ftio_<pid>" or "ftio_<pid>_async" */
	char *group;		/* dynamic-event group: "ftio_<pid>" */
	char *dir;		/* absolute path of the instance directory */
	int ncpus;
	int long_size;		/* the kernel's, from header_page's commit field */
	int subbuf_size;
	char **events;		/* enabled "system/event" names */
	size_t nr_events;
	char **dynevents;	/* our dynamic events, "group/event" */
	size_t nr_dynevents;
	char *clock;
	/*
	 * perf_event sessions: events are opened on @ps instead of enabled in
	 * an instance, for @tids (NULL: every thread).  A @system_wide one
	 * (either transport's "_async": asynchronous events) ignores
	 * session_set_pids() and session_notrace_pid(): a completion runs in
	 * an interrupt on whichever thread is current, ftio's own too.
	 */
	struct perf_source *ps;
	pid_t *tids;
	size_t nr_tids;
	bool system_wide;
};

/* Mounts tracefs when needed; returns its path or NULL with errno */
const char *session_tracefs_dir(void);
/* A top-level tracefs file (read only: "saved_cmdlines", "events/...") or NULL */
char *session_tracefs_read(const char *file);
/* The id of tracepoint @system/@event, or -1 when this kernel lacks it */
long session_tracepoint_id(const char *system, const char *event);

/*
 * session_new - create the instance "ftio_<pid><suffix>" with tracing off
 * Dynamic events go in the group "ftio_<pid>" whatever the suffix.
 * Returns NULL with errno set; nothing is left behind on failure.
 */
struct session *session_new(const char *suffix);

/*
 * session_new_perf - a session without an instance: event formats and
 * dynamic events come from tracefs (read-only but for uprobe_events and
 * kprobe_events), events are opened on @ps.  @system_wide: never follow
 * the traced pids (asynchronous events).  Writes to instance files fail
 * with EPERM: the top-level buffer is never touched.
 */
struct session *session_new_perf(const char *suffix, struct perf_source *ps, bool system_wide);

/*
 * session_open_boot - a session on the kernel's boot-mapped instance
 * @name (trace_instance= on the command line, see record/boot.h), whose
 * dynamic events go in @group.  The instance is the kernel's: the session
 * never removes it, and session_detach() leaves it, its events and its
 * dynamic events as they are (armed).  NULL with errno (ENOENT: no such
 * instance).
 */
struct session *session_open_boot(const char *name, const char *group);

/*
 * session_detach - free @s and change nothing in the kernel: what it
 * enabled stays enabled, its dynamic events stay.  Only for a boot
 * session, which is left armed on purpose; @s may be NULL.
 */
void session_detach(struct session *s);

/* Sets the trace clock (first: it clears the buffer), falling back to "global" */
int session_set_clock(struct session *s, const char *clock);
int session_set_buffer_kb(struct session *s, unsigned long kb);
int session_write(struct session *s, const char *file, const char *val);
int session_append(struct session *s, const char *file, const char *val);
/* Returns the instance file's contents (malloc'd) or NULL */
char *session_read(struct session *s, const char *file);

/* Returns true when events/@system/@event exists in this kernel */
bool session_has_event(struct session *s, const char *system, const char *event);
/*
 * session_enable_event - enable one event, with an optional kernel filter
 * Returns 0, -ENOENT when the kernel lacks it, or -errno; *@why receives
 * the kernel's error_log line when it refused (malloc'd, may be NULL).
 */
int session_enable_event(struct session *s, const char *system, const char *event,
			 const char *filter, char **why);

/*
 * session_add_uprobe - create a uprobe in our group, e.g.
 * @event "open", @target "/usr/lib/.../libc.so.6:0x1234", @fetch "path=+0(%di):ustring"
 */
int session_add_uprobe(struct session *s, const char *event, const char *target,
		       const char *fetch, char **why);
/* A kprobe ("p") or kretprobe ("r") in our group on kernel function @symbol */
int session_add_kprobe(struct session *s, const char *event, const char *symbol,
		       const char *fetch, bool ret, char **why);

/* Stores the format of @system/@event in the recording without enabling it */
void session_add_format(struct session *s, const char *system, const char *event);

int session_set_pids(struct session *s, const pid_t *pids, size_t n, bool follow_fork);
/* Keeps @tid (one of ftio's threads) out of @s; nothing for a @system_wide one */
int session_notrace_pid(struct session *s, pid_t tid);
int session_tracing_on(struct session *s, bool on);

/*
 * session_destroy - turn tracing off, remove the instance and our dynamic
 * events, and free @s.  Safe on every exit path; @s may be NULL.
 * Returns 0 or the first -errno (the rest is still attempted).
 */
int session_destroy(struct session *s);

/*
 * session_reset_stale - remove instances and dynamic-event groups named
 * "ftio_<pid>" whose pid no longer runs (or all of ftio's with @all).
 * @cb is told of each removal.  Returns how many were removed or -errno.
 */
int session_reset_stale(bool all, void (*cb)(const char *what, const char *name, int err));
/*
 * session_remove_group - remove every dynamic event of @group (uprobes and
 * kprobes, "group/event"), telling @cb of each.  Returns how many were
 * removed or -errno.  For the boot instance's "ftio_boot" group, which
 * outlives the ftio that made it.
 */
int session_remove_group(const char *group, void (*cb)(const char *what, const char *name, int err));

/* Like session_reset_stale(), calling @save(instance name) before each removal */
int session_reset_stale_save(bool all, void (*cb)(const char *what, const char *name, int err),
			     void (*save)(const char *name, void *arg), void *arg);

#endif /* FTIO_SESSION_H */
