// SPDX-License-Identifier: GPL-2.0
/*
 * The paths layer: the third rung of the path ladder (ARCHITECTURE.md).
 * Before Linux 6.19 syscall tracepoints carry only the user pointer of a
 * path; on a kernel without kprobes the string can still be fetched by a
 * uprobe on the C library's wrapper, which sees the same pointer.  The
 * report pairs the two on (thread, pointer), so a wrong match needs the
 * same thread to pass the same address to a wrapper and a different call.
 *
 * Misses by design: static binaries, Go programs and raw syscalls; glibc's
 * internal calls that bypass exported symbols.  The report counts those
 * calls as "path unknown" instead of guessing.
 */
#include <ftio/layer.h>

static const struct {
	const char *func;
	int arg;
} wrappers[] = {
	{ "open", 0 }, { "open64", 0 }, { "__open_2", 0 }, { "__open64_2", 0 },
	{ "openat", 1 }, { "openat64", 1 }, { "__openat_2", 1 }, { "__openat64_2", 1 },
	{ "creat", 0 }, { "creat64", 0 },
	{ "fopen", 0 }, { "fopen64", 0 }, { "freopen", 0 }, { "freopen64", 0 },
	{ "opendir", 0 },
	{ "stat", 0 }, { "stat64", 0 }, { "lstat", 0 }, { "lstat64", 0 },
	{ "fstatat", 1 }, { "fstatat64", 1 }, { "statx", 1 },
	{ "access", 0 }, { "faccessat", 1 }, { "euidaccess", 0 }, { "eaccess", 0 },
	{ "unlink", 0 }, { "unlinkat", 1 }, { "mkdir", 0 }, { "mkdirat", 1 },
	{ "rmdir", 0 }, { "rename", 0 }, { "renameat", 1 }, { "renameat2", 1 },
	{ "truncate", 0 }, { "truncate64", 0 }, { "readlink", 0 }, { "readlinkat", 1 },
	{ "chdir", 0 },
};

static void paths_plan(struct record_plan *p)
{
	for (unsigned int i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		plan_add_libc_path_uprobe(p, wrappers[i].func, wrappers[i].arg);
}

const struct ftio_layer layer_paths = {
	.name = "paths",
	.summary = "file paths from uprobes on the C library's wrappers (open, stat, ...)",
	.plan = paths_plan,
};
