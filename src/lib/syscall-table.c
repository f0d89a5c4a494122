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

#include <ftio/syscall-table.h>

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
	/* asynchronous I/O: the calls; their requests are the io_uring layer's */
	{ "io_setup",		SC_OTHER,	N, N, N, N, N },
	{ "io_destroy",		SC_OTHER,	N, N, N, N, N },
	{ "io_submit",		SC_OTHER,	N, N, N, N, N },
	{ "io_cancel",		SC_OTHER,	N, N, N, N, N },
	{ "io_getevents",	SC_OTHER,	N, N, N, N, N },
	{ "io_pgetevents",	SC_OTHER,	N, N, N, N, N },
	{ "io_uring_setup",	SC_OTHER,	N, N, N, N, N },
	{ "io_uring_enter",	SC_OTHER,	N, N, N, N, N },
	{ "io_uring_register",	SC_OTHER,	N, N, N, N, N },
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

/*
 * open(2) flag bits as the recorded machine's kernel defines them, not as
 * ours does: arm and arm64 swap O_DIRECTORY/O_NOFOLLOW with O_DIRECT/
 * O_LARGEFILE (found decoding an arm64 recording on x86_64).
 */
struct flag_bit {
	unsigned long bit;
	const char *name;
};

static const struct flag_bit generic_bits[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 010000, "O_DSYNC" },
	{ 020000, "FASYNC" }, { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
	{ 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 020000000, "O_TMPFILE" },
	{ 0, NULL },
};

static const struct flag_bit arm_bits[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 010000, "O_DSYNC" },
	{ 020000, "FASYNC" }, { 040000, "O_DIRECTORY" }, { 0100000, "O_NOFOLLOW" },
	{ 0200000, "O_DIRECT" }, { 0400000, "O_LARGEFILE" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 020000000, "O_TMPFILE" },
	{ 0, NULL },
};

#define SYNC_BIT 04000000	/* __O_SYNC: O_SYNC is __O_SYNC | O_DSYNC */

const char *open_flags_str(char *buf, unsigned long size, unsigned long flags, const char *arch)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	const struct flag_bit *bits = arch && (!strncmp(arch, "aarch64", 7) ||
					       !strncmp(arch, "arm", 3)) ? arm_bits : generic_bits;
	size_t len;

	snprintf(buf, size, "%s", acc[flags & 3]);
	flags &= ~3UL;
	if ((flags & (SYNC_BIT | 010000)) == (SYNC_BIT | 010000)) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "|O_SYNC");
		flags &= ~(unsigned long)(SYNC_BIT | 010000);
	}
	for (const struct flag_bit *b = bits; b->name; b++) {
		if (!(flags & b->bit))
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "|%s", b->name);
		flags &= ~b->bit;
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
