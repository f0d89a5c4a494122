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

#include <ftio/syscall-nr.h>
#include <ftio/syscall-table.h>

#define N -1
/*              name             kind        fd path dirfd flags fd2 args */
const struct syscall_desc syscall_table[] = {
	{ "open",		SC_OPEN,	N, 0, N, 1, N, 3 },
	{ "openat",		SC_OPEN,	N, 1, 0, 2, N, 4 },
	{ "openat2",		SC_OPEN,	N, 1, 0, N, N, 4 },
	{ "creat",		SC_OPEN,	N, 0, N, N, N, 2 },
	{ "open_by_handle_at",	SC_OPEN,	N, N, 0, 2, N, 3 },
	{ "close",		SC_CLOSE,	0, N, N, N, N, 1 },
	{ "close_range",	SC_CLOSE_RANGE,	0, N, N, N, 1, 3 },
	{ "read",		SC_READ,	0, N, N, N, N, 3 },
	{ "pread64",		SC_READ,	0, N, N, N, N, 4 },
	{ "readv",		SC_READ,	0, N, N, N, N, 3 },
	{ "preadv",		SC_READ,	0, N, N, N, N, 5 },
	{ "preadv2",		SC_READ,	0, N, N, N, N, 6 },
	{ "write",		SC_WRITE,	0, N, N, N, N, 3 },
	{ "pwrite64",		SC_WRITE,	0, N, N, N, N, 4 },
	{ "writev",		SC_WRITE,	0, N, N, N, N, 3 },
	{ "pwritev",		SC_WRITE,	0, N, N, N, N, 5 },
	{ "pwritev2",		SC_WRITE,	0, N, N, N, N, 6 },
	{ "lseek",		SC_FDOP,	0, N, N, N, N, 3 },
	{ "fsync",		SC_FDOP,	0, N, N, N, N, 1 },
	{ "fdatasync",		SC_FDOP,	0, N, N, N, N, 1 },
	{ "sync_file_range",	SC_FDOP,	0, N, N, N, N, 4 },
	{ "newstat",		SC_PATHOP,	N, 0, N, N, N, 2 },
	{ "newlstat",		SC_PATHOP,	N, 0, N, N, N, 2 },
	{ "newfstat",		SC_FDOP,	0, N, N, N, N, 2 },
	{ "newfstatat",		SC_PATHOP,	N, 1, 0, N, N, 4 },
	{ "statx",		SC_PATHOP,	N, 1, 0, N, N, 5 },
	{ "access",		SC_PATHOP,	N, 0, N, N, N, 2 },
	{ "faccessat",		SC_PATHOP,	N, 1, 0, N, N, 3 },
	{ "faccessat2",		SC_PATHOP,	N, 1, 0, N, N, 4 },
	{ "readlink",		SC_PATHOP,	N, 0, N, N, N, 3 },
	{ "readlinkat",		SC_PATHOP,	N, 1, 0, N, N, 4 },
	{ "getdents64",		SC_FDOP,	0, N, N, N, N, 3 },
	{ "unlink",		SC_PATHOP,	N, 0, N, N, N, 1 },
	{ "unlinkat",		SC_PATHOP,	N, 1, 0, N, N, 3 },
	{ "rename",		SC_PATHOP,	N, 0, N, N, N, 2 },
	{ "renameat",		SC_PATHOP,	N, 1, 0, N, N, 4 },
	{ "renameat2",		SC_PATHOP,	N, 1, 0, N, N, 5 },
	{ "mkdir",		SC_PATHOP,	N, 0, N, N, N, 2 },
	{ "mkdirat",		SC_PATHOP,	N, 1, 0, N, N, 3 },
	{ "rmdir",		SC_PATHOP,	N, 0, N, N, N, 1 },
	{ "truncate",		SC_PATHOP,	N, 0, N, N, N, 2 },
	{ "ftruncate",		SC_FDOP,	0, N, N, N, N, 2 },
	{ "fallocate",		SC_FDOP,	0, N, N, N, N, 4 },
	{ "sendfile64",		SC_COPY,	1, N, N, N, 0, 4 },
	{ "splice",		SC_COPY,	0, N, N, N, 2, 6 },
	{ "copy_file_range",	SC_COPY,	0, N, N, N, 2, 6 },
	{ "dup",		SC_DUP,		0, N, N, N, N, 1 },
	{ "dup2",		SC_DUP2,	0, N, N, N, 1, 2 },
	{ "dup3",		SC_DUP2,	0, N, N, 2, 1, 3 },
	{ "fcntl",		SC_FCNTL,	0, N, N, N, N, 3 },
	{ "chdir",		SC_CHDIR,	N, 0, N, N, N, 1 },
	{ "fchdir",		SC_FCHDIR,	0, N, N, N, N, 1 },
	{ "setuid",		SC_SETUID,	N, N, N, N, N, 1 },
	{ "setreuid",		SC_SETREUID,	N, N, N, N, N, 2 },
	{ "setresuid",		SC_SETRESUID,	N, N, N, N, N, 3 },
	{ "setfsuid",		SC_SETFSUID,	N, N, N, N, N, 1 },
	{ "io_setup",		SC_OTHER,	N, N, N, N, N, 2 },
	{ "io_destroy",		SC_OTHER,	N, N, N, N, N, 1 },
	{ "io_submit",		SC_OTHER,	N, N, N, N, N, 3 },
	{ "io_cancel",		SC_OTHER,	N, N, N, N, N, 3 },
	{ "io_getevents",	SC_OTHER,	N, N, N, N, N, 5 },
	{ "io_pgetevents",	SC_OTHER,	N, N, N, N, N, 6 },
	{ "io_uring_setup",	SC_OTHER,	N, N, N, N, N, 2 },
	{ "io_uring_enter",	SC_OTHER,	N, N, N, N, N, 6 },
	{ "io_uring_register",	SC_OTHER,	N, N, N, N, N, 4 },
	{ NULL, 0, 0, 0, 0, 0, 0, 0 },
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

const struct syscall_arch *syscall_arch_find(const char *arch)
{
	if (!arch)
		return NULL;
	/* uname -m says armv6l, armv7l, armv8l (a 32-bit kernel on an arm64 core) */
	if (!strncmp(arch, "arm", 3))
		arch = "arm";
	for (const struct syscall_arch *a = syscall_arches; a->arch; a++)
		if (!strcmp(a->arch, arch))
			return a;
	return NULL;
}

int syscall_nr(const struct syscall_arch *a, const char *name)
{
	for (const struct syscall_nr *n = a->nrs; n->name; n++)
		if (!strcmp(n->name, name))
			return n->nr;
	return -1;
}

const struct syscall_desc *syscall_by_nr(const struct syscall_arch *a, long nr)
{
	for (const struct syscall_nr *n = a->nrs; n->name; n++)
		if (n->nr == nr)
			return syscall_find(n->name);
	return NULL;
}
