// SPDX-License-Identifier: GPL-2.0
/*
 * The syscalls layer: the file-related syscall tracepoints and the
 * process lifecycle events that the report's thread, fd and uid models
 * follow.  Only file syscalls are enabled: every enabled syscall event
 * puts each thread's syscalls on the slow path, so the list is the cost.
 */
#include <stdio.h>

#include <ftio/layer.h>

#include "syscall-table.h"

static void syscalls_plan(struct record_plan *p)
{
	static const char *const lifecycle[][2] = {
		{ "sched", "sched_process_fork" },
		{ "sched", "sched_process_exec" },
		{ "sched", "sched_process_exit" },
		{ "task", "task_newtask" },
		{ "task", "task_rename" },
	};
	char name[96];

	for (const struct syscall_desc *d = syscall_table; d->name; d++) {
		snprintf(name, sizeof(name), "sys_enter_%s", d->name);
		plan_add_event(p, "syscalls", name);
		snprintf(name, sizeof(name), "sys_exit_%s", d->name);
		plan_add_event(p, "syscalls", name);
	}
	for (size_t i = 0; i < sizeof(lifecycle) / sizeof(lifecycle[0]); i++)
		plan_add_event(p, lifecycle[i][0], lifecycle[i][1]);
}

const struct ftio_layer layer_syscalls = {
	.name = "syscalls",
	.summary = "file-related syscalls (open/read/write/stat/...), process lifecycle",
	.plan = syscalls_plan,
};
