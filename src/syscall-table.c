// SPDX-License-Identifier: GPL-2.0
/*
 * The syscall table.  Names are the kernel's tracepoint suffixes; a name
 * this kernel (or architecture) lacks is simply not enabled, and the
 * recording lists it as unavailable: arm64, for one, has no open or stat.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "syscall-table.h"

#define N -1
/*              name             kind        fd path dirfd flags fd2 */
const struct syscall_desc syscall_table[] = {
	{ "open",		SC_OPEN,	N, 0, N, 1, N },
	{ "openat",		SC_OPEN,	N, 1, 0, 2, N },
	{ "openat2",		SC_OPEN,	N, 1, 0, N, N },
	{ "creat",		SC_OPEN,	N, 0, N, N, N },
	{ "open_by_handle_at",	SC_OPEN,	N, N, 0, 2, N },
	{ "close",		SC_CLOSE,	0, N, N, N, N },
	{ "close_range",	SC_CLOSE_RANGE,	0, N, N, N, 1 },
	{ "read",		SC_READ,	0, N, N, N, N },
	{ "pread64",		SC_READ,	0, N, N, N, N },
	{ "readv",		SC_READ,	0, N, N, N, N },
	{ "preadv",		SC_READ,	0, N, N, N, N },
	{ "preadv2",		SC_READ,	0, N, N, N, N },
	{ "write",		SC_WRITE,	0, N, N, N, N },
	{ "pwrite64",		SC_WRITE,	0, N, N, N, N },
	{ "writev",		SC_WRITE,	0, N, N, N, N },
	{ "pwritev",		SC_WRITE,	0, N, N, N, N },
	{ "pwritev2",		SC_WRITE,	0, N, N, N, N },
	{ "lseek",		SC_FDOP,	0, N, N, N, N },
	{ "fsync",		SC_FDOP,	0, N, N, N, N },
	{ "fdatasync",		SC_FDOP,	0, N, N, N, N },
	{ "sync_file_range",	SC_FDOP,	0, N, N, N, N },
	{ "newstat",		SC_PATHOP,	N, 0, N, N, N },
	{ "newlstat",		SC_PATHOP,	N, 0, N, N, N },
	{ "newfstat",		SC_FDOP,	0, N, N, N, N },
	{ "newfstatat",		SC_PATHOP,	N, 1, 0, N, N },
	{ "statx",		SC_PATHOP,	N, 1, 0, N, N },
	{ "access",		SC_PATHOP,	N, 0, N, N, N },
	{ "faccessat",		SC_PATHOP,	N, 1, 0, N, N },
	{ "faccessat2",		SC_PATHOP,	N, 1, 0, N, N },
	{ "readlink",		SC_PATHOP,	N, 0, N, N, N },
	{ "readlinkat",		SC_PATHOP,	N, 1, 0, N, N },
	{ "getdents64",		SC_FDOP,	0, N, N, N, N },
	{ "unlink",		SC_PATHOP,	N, 0, N, N, N },
	{ "unlinkat",		SC_PATHOP,	N, 1, 0, N, N },
	{ "rename",		SC_PATHOP,	N, 0, N, N, N },
	{ "renameat",		SC_PATHOP,	N, 1, 0, N, N },
	{ "renameat2",		SC_PATHOP,	N, 1, 0, N, N },
	{ "mkdir",		SC_PATHOP,	N, 0, N, N, N },
	{ "mkdirat",		SC_PATHOP,	N, 1, 0, N, N },
	{ "rmdir",		SC_PATHOP,	N, 0, N, N, N },
	{ "truncate",		SC_PATHOP,	N, 0, N, N, N },
	{ "ftruncate",		SC_FDOP,	0, N, N, N, N },
	{ "fallocate",		SC_FDOP,	0, N, N, N, N },
	{ "sendfile64",		SC_COPY,	1, N, N, N, 0 },
	{ "splice",		SC_COPY,	0, N, N, N, 2 },
	{ "copy_file_range",	SC_COPY,	0, N, N, N, 2 },
	{ "dup",		SC_DUP,		0, N, N, N, N },
	{ "dup2",		SC_DUP2,	0, N, N, N, 1 },
	{ "dup3",		SC_DUP2,	0, N, N, 2, 1 },
	{ "fcntl",		SC_FCNTL,	0, N, N, N, N },
	{ "chdir",		SC_CHDIR,	N, 0, N, N, N },
	{ "fchdir",		SC_FCHDIR,	0, N, N, N, N },
	{ "setuid",		SC_SETUID,	N, N, N, N, N },
	{ "setreuid",		SC_SETREUID,	N, N, N, N, N },
	{ "setresuid",		SC_SETRESUID,	N, N, N, N, N },
	{ "setfsuid",		SC_SETFSUID,	N, N, N, N, N },
	{ NULL, 0, 0, 0, 0, 0, 0 },
};
#undef N

const struct syscall_desc *syscall_find(const char *name)
{
	for (const struct syscall_desc *d = syscall_table; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

const char *open_flags_str(char *buf, unsigned long size, unsigned long flags)
{
	static const struct { unsigned long bit; const char *name; } bits[] = {
		{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
		{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
		{ O_DSYNC, "O_DSYNC" }, { O_DIRECT, "O_DIRECT" }, { O_LARGEFILE, "O_LARGEFILE" },
		{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
		{ O_NOATIME, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" },
		{ O_TMPFILE & ~O_DIRECTORY, "O_TMPFILE" },
	};
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	size_t len;

	snprintf(buf, size, "%s", acc[flags & 3]);
	flags &= ~3UL;
	/* __O_SYNC carries O_DSYNC with it; show O_SYNC once */
	if ((flags & O_SYNC) == O_SYNC) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "|O_SYNC");
		flags &= ~(unsigned long)O_SYNC;
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(flags & bits[i].bit))
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "|%s", bits[i].name);
		flags &= ~bits[i].bit;
	}
	if (flags) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "|0x%lx", flags);
	}
	return buf;
}

const char *errno_name(int err)
{
	/* glibc 2.32+ has strerrorname_np(); Debian 12 ships 2.36 */
	return err > 0 ? strerrorname_np(err) : NULL;
}
