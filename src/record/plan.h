/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a recording will ask of the kernel, gathered from the layers
 * before anything in tracefs is touched, so that an unknown layer or a
 * bad option fails before the kernel is changed.
 */
#ifndef FTIO_RECORD_PLAN_H
#define FTIO_RECORD_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <ftio/layer.h>

struct plan_event {
	char *system;
	char *event;
	bool async;	/* fires outside the traced threads: never pid-filtered */
	char *filter;	/* a kernel filter of its own (raw_syscalls' ids), or NULL */
};

struct plan_uprobe {
	char *func;
	int arg;
};

struct plan_kprobe {
	char *event;
	char **symbols;
	char *fetch;
	bool ret;
};

struct record_plan {
	struct plan_event *events;
	size_t nr_events;
	struct plan_uprobe *uprobes;
	size_t nr_uprobes;
	struct plan_kprobe *kprobes;
	size_t nr_kprobes;
	const char *tracefs_dir;	/* for plan_add_events() to list a system */
	bool raw_syscalls;	/* the syscall source is raw_syscalls: no strings */
};

void record_plan_init(struct record_plan *p, const char *tracefs_dir);
void record_plan_release(struct record_plan *p);

/* The register that holds argument @arg at a function's entry, for uprobe fetch args */
const char *arch_arg_register(int arg);

#endif /* FTIO_RECORD_PLAN_H */
