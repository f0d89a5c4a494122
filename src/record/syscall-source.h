/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the syscalls come from (--syscall-source).  The syscalls layer
 * asks for syscalls:sys_enter_<name>/sys_exit_<name>; a kernel built
 * without CONFIG_FTRACE_SYSCALLS (many board kernels) has none of them,
 * only raw_syscalls:sys_enter/sys_exit with an id and six arguments.  With
 * the raw source the plan's syscalls events are replaced by the two raw
 * ones, filtered in the kernel to the ids of the file syscalls of this
 * architecture, so that the event rate stays that of the file syscalls.
 */
#ifndef FTIO_SYSCALL_SOURCE_H
#define FTIO_SYSCALL_SOURCE_H

#include "record/plan.h"
#include "lib/util.h"

enum syscall_source { SYSCALL_SOURCE_AUTO, SYSCALL_SOURCE_SYSCALLS, SYSCALL_SOURCE_RAW };

/* "auto", "syscalls", "raw_syscalls" -> 0 with *@src set, else -1 */
int syscall_source_parse(const char *arg, enum syscall_source *src);

/*
 * syscall_source_choose - what @want resolves to on the kernel at
 * @tracefs_dir, with why in @why (may be NULL)
 */
enum syscall_source syscall_source_choose(enum syscall_source want, const char *tracefs_dir,
					  struct strbuf *why);

/*
 * syscall_source_apply - rewrite @p for @src: with SYSCALL_SOURCE_RAW the
 * syscalls:* events become raw_syscalls:sys_enter/sys_exit filtered to the
 * ids of @arch.  Returns the number of ids (0 for the syscalls source, or
 * when the plan has no syscalls), -1 when ftio has no table for @arch.
 */
int syscall_source_apply(struct record_plan *p, enum syscall_source src, const char *arch);

/*
 * syscall_source_keep - the kernel's half of a --syscall filter: drop from
 * @p the syscalls:* events of the data syscalls (reads, writes, other fd
 * and path operations, copies) that @names (NULL-terminated table names)
 * does not list.  The syscalls the models live on (opens, closes, dups,
 * fcntl, chdir, the setuid family) and the asynchronous engines' stay
 * whatever @names says, or the kept calls would lose their paths and
 * uids.  Before syscall_source_apply(), which then filters the raw ids
 * the same way.  Returns how many syscalls were dropped.
 */
int syscall_source_keep(struct record_plan *p, char *const *names);

#endif /* FTIO_SYSCALL_SOURCE_H */
