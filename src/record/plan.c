// SPDX-License-Identifier: GPL-2.0
/*
 * The record plan.  Layers call plan_add_*() from
 * their ->plan(); duplicates are folded so that two layers may ask for
 * the same event.
 */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "record/plan.h"
#include "lib/util.h"

void record_plan_init(struct record_plan *p, const char *tracefs_dir)
{
	memset(p, 0, sizeof(*p));
	p->tracefs_dir = tracefs_dir;
}

void record_plan_release(struct record_plan *p)
{
	for (size_t i = 0; i < p->nr_events; i++) {
		free(p->events[i].system);
		free(p->events[i].event);
		free(p->events[i].filter);
	}
	for (size_t i = 0; i < p->nr_uprobes; i++)
		free(p->uprobes[i].func);
	for (size_t i = 0; i < p->nr_kprobes; i++) {
		struct plan_kprobe *k = &p->kprobes[i];

		for (size_t j = 0; k->symbols[j]; j++)
			free(k->symbols[j]);
		free(k->symbols);
		free(k->event);
		free(k->fetch);
	}
	free(p->kprobes);
	free(p->events);
	free(p->uprobes);
	memset(p, 0, sizeof(*p));
}

static void add_event(struct record_plan *p, const char *system, const char *event, bool async)
{
	for (size_t i = 0; i < p->nr_events; i++) {
		if (!strcmp(p->events[i].system, system) && !strcmp(p->events[i].event, event)) {
			/* asked for both ways: unfiltered wins, or the async half is lost */
			p->events[i].async |= async;
			return;
		}
	}
	p->events = xrealloc(p->events, (p->nr_events + 1) * sizeof(*p->events));
	p->events[p->nr_events].system = xstrdup(system);
	p->events[p->nr_events].event = xstrdup(event);
	p->events[p->nr_events].async = async;
	p->events[p->nr_events].filter = NULL;
	p->nr_events++;
}

void plan_add_event(struct record_plan *p, const char *system, const char *event)
{
	add_event(p, system, event, false);
}

void plan_add_async_event(struct record_plan *p, const char *system, const char *event)
{
	add_event(p, system, event, true);
}

static void add_events(struct record_plan *p, const char *system, const char *const *names,
		       bool async)
{
	char *dir;
	DIR *d;
	struct dirent *de;

	if (names) {
		for (size_t i = 0; names[i]; i++)
			add_event(p, system, names[i], async);
		return;
	}
	if (!p->tracefs_dir)
		return;
	dir = xasprintf("%s/events/%s", p->tracefs_dir, system);
	d = opendir(dir);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && strcmp(de->d_name, "enable") && strcmp(de->d_name, "filter"))
			add_event(p, system, de->d_name, async);
	if (d)
		closedir(d);
	free(dir);
}

void plan_add_events(struct record_plan *p, const char *system, const char *const *names)
{
	add_events(p, system, names, false);
}

void plan_add_async_events(struct record_plan *p, const char *system, const char *const *names)
{
	add_events(p, system, names, true);
}

void plan_add_libc_path_uprobe(struct record_plan *p, const char *func, int arg)
{
	for (size_t i = 0; i < p->nr_uprobes; i++)
		if (!strcmp(p->uprobes[i].func, func))
			return;
	p->uprobes = xrealloc(p->uprobes, (p->nr_uprobes + 1) * sizeof(*p->uprobes));
	p->uprobes[p->nr_uprobes].func = xstrdup(func);
	p->uprobes[p->nr_uprobes].arg = arg;
	p->nr_uprobes++;
}

void plan_add_kprobe(struct record_plan *p, const char *event, const char *const *symbols,
		     const char *fetch, bool ret)
{
	struct plan_kprobe *k;
	size_t n = 0;

	while (symbols[n])
		n++;
	p->kprobes = xrealloc(p->kprobes, (p->nr_kprobes + 1) * sizeof(*p->kprobes));
	k = &p->kprobes[p->nr_kprobes++];
	k->event = xstrdup(event);
	k->symbols = xcalloc(n + 1, sizeof(*k->symbols));
	for (size_t i = 0; i < n; i++)
		k->symbols[i] = xstrdup(symbols[i]);
	k->fetch = xstrdup(fetch ? fetch : "");
	k->ret = ret;
}

bool plan_syscall_has_string(struct record_plan *p, const char *syscall)
{
	char *path, *fmt;
	bool ret;

	if (p->raw_syscalls || !p->tracefs_dir)
		return false;
	path = xasprintf("%s/events/syscalls/sys_enter_%s/format", p->tracefs_dir, syscall);
	fmt = read_file(path, NULL);
	free(path);
	if (!fmt) {
		/* the kernel has syscall events, not this one: nothing issues it */
		path = xasprintf("%s/events/syscalls", p->tracefs_dir);
		ret = !access(path, F_OK);
		free(path);
		return ret;
	}
	/* kernel/trace/trace_syscalls.c: "__data_loc char[] __<arg>_val" after the arguments */
	ret = strstr(fmt, "field:__data_loc char[] __") != NULL;
	free(fmt);
	return ret;
}

const char *arch_arg_register(int arg)
{
#if defined(__x86_64__)
	static const char *const regs[] = { "%di", "%si", "%dx", "%cx", "%r8", "%r9" };
#elif defined(__aarch64__)
	static const char *const regs[] = { "%x0", "%x1", "%x2", "%x3", "%x4", "%x5" };
#elif defined(__arm__)
	static const char *const regs[] = { "%r0", "%r1", "%r2", "%r3" };
#elif defined(__riscv)
	static const char *const regs[] = { "%a0", "%a1", "%a2", "%a3", "%a4", "%a5" };
#else
	static const char *const regs[] = { NULL };
#endif
	if (arg < 0 || (size_t)arg >= ARRAY_SIZE(regs))
		return NULL;
	return regs[arg];
}
