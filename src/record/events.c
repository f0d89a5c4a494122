// SPDX-License-Identifier: GPL-2.0
/*
 * Enabling the plan's tracepoints in a session (tracefs or perf alike),
 * with -p's device filter set in the kernel where the event names a
 * device.  An event this kernel lacks is only named as unavailable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "format/chunk.h"
#include "record/events.h"
#include "record/plan.h"
#include "record/recorder.h"
#include "record/session.h"
#include "lib/util.h"

/*
 * With -p, events that name a device (block requests, page-cache pages,
 * FUSE connections, filesystem work) are filtered in the kernel to the
 * device holding the path, so other disks cost nothing.  Returns a
 * filter for @system/@event (malloc'd) or NULL.
 */
static char *device_filter(struct session *s, const char *system, const char *event,
			   const struct record_opts *o)
{
	static const char *const fields[] = { "dev", "s_dev", "connection" };
	char *file, *fmt;
	char *ret = NULL;

	if (!o->path_dev)
		return NULL;
	file = xasprintf("events/%s/%s/format", system, event);
	fmt = session_read(s, file);
	free(file);
	for (size_t i = 0; fmt && !ret && i < ARRAY_SIZE(fields); i++) {
		char *decl = xasprintf("dev_t %s;", fields[i]);

		if (strstr(fmt, decl))
			ret = xasprintf("%s == %llu", fields[i], (unsigned long long)o->path_dev);
		free(decl);
	}
	free(fmt);
	return ret;
}

/*
 * --comm in the kernel: ftrace's generic "comm" field is the current
 * task's, which is the caller's only for the syscall events (they run in
 * its context); the lifecycle and lower layers' events stay unfiltered, so
 * that the models still see every process.  NULL for the other events, and
 * for a name the filter grammar cannot quote (it has no escapes): ftio's
 * own filter still judges every call.
 */
static char *comm_filter(const struct plan_event *e, const struct record_opts *o,
			 const char *filter)
{
	if (!o->comm || strpbrk(o->comm, "\\\"") ||
	    (strcmp(e->system, "syscalls") && strcmp(e->system, "raw_syscalls")))
		return NULL;
	if (filter)
		return xasprintf("(%s) && comm == \"%s\"", filter, o->comm);
	return xasprintf("comm == \"%s\"", o->comm);
}

/* Enables the plan's events whose async flag is @async; returns -1 after an error */
int events_enable(struct rec_instance *ri, const struct record_plan *plan, int async,
		  const struct record_opts *o, struct strbuf *unavail)
{
	for (size_t i = 0; i < plan->nr_events; i++) {
		const struct plan_event *e = &plan->events[i];
		char *why = NULL, *filter, *comm;
		int r = -EINVAL;

		if (async >= 0 && e->async != async)
			continue;
		filter = e->filter ? xstrdup(e->filter) : device_filter(ri->s, e->system, e->event, o);
		comm = comm_filter(e, o, filter);
		if (comm) {
			r = session_enable_event(ri->s, e->system, e->event, comm, NULL);
			/* a kernel without the generic field: the filter in ftio only */
			if (!r)
				ri->nr_comm_filtered++;
			free(comm);
		}
		if (r == -EINVAL)
			r = session_enable_event(ri->s, e->system, e->event, filter, &why);
		free(filter);
		if (r == -ENOENT) {
			if (unavail)
				strbuf_addf(unavail, "%s%s/%s", unavail->len ? " " : "", e->system,
					    e->event);
		} else if (r) {
			error("cannot enable event '%s/%s' in '%s': %s%s%s", e->system, e->event,
			      ri->s->name, strerror(-r), why ? ": " : "", why ? why : "");
			free(why);
			return -1;
		} else {
			ri->nr_events++;
		}
	}
	return 0;
}
