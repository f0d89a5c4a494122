// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall source (see syscall-source.h): auto takes syscalls:* where
 * the kernel has them, else raw_syscalls.  The raw filter is an
 * "id == N || ..." list: the kernel's filter code tests it per event, but
 * the other syscalls never reach the ring buffer (t1300 measures it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <ftio/syscall-nr.h>
#include <ftio/syscall-table.h>

#include "record/syscall-source.h"

int syscall_source_parse(const char *arg, enum syscall_source *src)
{
	if (!strcmp(arg, "auto"))
		*src = SYSCALL_SOURCE_AUTO;
	else if (!strcmp(arg, "syscalls"))
		*src = SYSCALL_SOURCE_SYSCALLS;
	else if (!strcmp(arg, "raw_syscalls"))
		*src = SYSCALL_SOURCE_RAW;
	else
		return -1;
	return 0;
}

static bool has_dir(const char *tracefs_dir, const char *rel)
{
	char *p = xasprintf("%s/events/%s", tracefs_dir, rel);
	struct stat st;
	bool ret = !stat(p, &st) && S_ISDIR(st.st_mode);

	free(p);
	return ret;
}

enum syscall_source syscall_source_choose(enum syscall_source want, const char *tracefs_dir,
					  struct strbuf *why)
{
	bool sc = has_dir(tracefs_dir, "syscalls/sys_enter_openat") ||
		  has_dir(tracefs_dir, "syscalls/sys_enter_open");
	bool raw = has_dir(tracefs_dir, "raw_syscalls/sys_enter") &&
		   has_dir(tracefs_dir, "raw_syscalls/sys_exit");

	if (want != SYSCALL_SOURCE_AUTO) {
		if (why)
			strbuf_addstr(why, "chosen by --syscall-source");
		return want;
	}
	if (sc || !raw) {
		if (why)
			strbuf_addstr(why, sc ? "this kernel has syscalls:* events"
					      : "neither syscalls:* nor raw_syscalls:* events exist");
		return SYSCALL_SOURCE_SYSCALLS;
	}
	if (why)
		strbuf_addstr(why, "no syscalls:* events (CONFIG_FTRACE_SYSCALLS off), raw_syscalls present");
	return SYSCALL_SOURCE_RAW;
}

/* The table name of a plan event "sys_enter_<name>"/"sys_exit_<name>", or NULL */
static const char *syscall_event_name(const struct plan_event *e)
{
	if (strcmp(e->system, "syscalls"))
		return NULL;
	if (!strncmp(e->event, "sys_enter_", 10))
		return e->event + 10;
	if (!strncmp(e->event, "sys_exit_", 9))
		return e->event + 9;
	return NULL;
}

int syscall_source_apply(struct record_plan *p, enum syscall_source src, const char *arch)
{
	const struct syscall_arch *a;
	struct strbuf filter = STRBUF_INIT;
	size_t kept = 0;
	int ids = 0;

	if (src != SYSCALL_SOURCE_RAW)
		return 0;
	a = syscall_arch_find(arch);
	if (!a)
		return -1;
	for (size_t i = 0; i < p->nr_events; i++) {
		struct plan_event *e = &p->events[i];
		const char *name = syscall_event_name(e);
		int nr;

		if (!name) {
			p->events[kept++] = *e;
			continue;
		}
		/* each syscall once: from its enter event */
		nr = !strncmp(e->event, "sys_enter_", 10) ? syscall_nr(a, name) : -1;
		if (nr >= 0) {
			strbuf_addf(&filter, "%sid == %d", ids ? " || " : "", nr);
			ids++;
		}
		free(e->system);
		free(e->event);
		free(e->filter);
	}
	p->nr_events = kept;
	if (ids) {
		plan_add_event(p, "raw_syscalls", "sys_enter");
		plan_add_event(p, "raw_syscalls", "sys_exit");
		for (size_t i = 0; i < p->nr_events; i++)
			if (!strcmp(p->events[i].system, "raw_syscalls"))
				p->events[i].filter = xstrdup(filter.buf);
	}
	strbuf_release(&filter);
	return ids;
}

/* A syscall only a --syscall filter asks for: no model needs to see it */
static bool droppable(const char *name, char *const *names)
{
	const struct syscall_desc *d = syscall_find(name);

	if (!d)
		return false;
	switch (d->kind) {
	case SC_READ:
	case SC_WRITE:
	case SC_FDOP:
	case SC_PATHOP:
	case SC_COPY:
		break;
	default:
		return false;
	}
	for (; *names; names++)
		if (!strcmp(*names, d->name))
			return false;
	return true;
}

int syscall_source_keep(struct record_plan *p, char *const *names)
{
	size_t kept = 0;
	int dropped = 0;

	if (!names)
		return 0;
	for (size_t i = 0; i < p->nr_events; i++) {
		struct plan_event *e = &p->events[i];
		const char *name = syscall_event_name(e);

		if (!name || !droppable(name, names)) {
			p->events[kept++] = *e;
			continue;
		}
		dropped += !strncmp(e->event, "sys_enter_", 10);
		free(e->system);
		free(e->event);
		free(e->filter);
	}
	p->nr_events = kept;
	return dropped;
}
