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
/*              name             kind        fd path dirfd flags fd2 args fdkind */
const struct syscall_desc syscall_table[] = {
	{ "open",		SC_OPEN,	N, 0, N, 1, N, 3, 0 },
	{ "openat",		SC_OPEN,	N, 1, 0, 2, N, 4, 0 },
	{ "openat2",		SC_OPEN,	N, 1, 0, N, N, 4, 0 },
	{ "creat",		SC_OPEN,	N, 0, N, N, N, 2, 0 },
	{ "open_by_handle_at",	SC_OPEN,	N, N, 0, 2, N, 3, 0 },
	{ "close",		SC_CLOSE,	0, N, N, N, N, 1, 0 },
	{ "close_range",	SC_CLOSE_RANGE,	0, N, N, N, 1, 3, 0 },
	{ "read",		SC_READ,	0, N, N, N, N, 3, 0 },
	{ "pread64",		SC_READ,	0, N, N, N, N, 4, 0 },
	{ "readv",		SC_READ,	0, N, N, N, N, 3, 0 },
	{ "preadv",		SC_READ,	0, N, N, N, N, 5, 0 },
	{ "preadv2",		SC_READ,	0, N, N, N, N, 6, 0 },
	{ "write",		SC_WRITE,	0, N, N, N, N, 3, 0 },
	{ "pwrite64",		SC_WRITE,	0, N, N, N, N, 4, 0 },
	{ "writev",		SC_WRITE,	0, N, N, N, N, 3, 0 },
	{ "pwritev",		SC_WRITE,	0, N, N, N, N, 5, 0 },
	{ "pwritev2",		SC_WRITE,	0, N, N, N, N, 6, 0 },
	{ "lseek",		SC_FDOP,	0, N, N, N, N, 3, 0 },
	{ "fsync",		SC_FDOP,	0, N, N, N, N, 1, 0 },
	{ "fdatasync",		SC_FDOP,	0, N, N, N, N, 1, 0 },
	{ "sync_file_range",	SC_FDOP,	0, N, N, N, N, 4, 0 },
	{ "newstat",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "newlstat",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "newfstat",		SC_FDOP,	0, N, N, N, N, 2, 0 },
	{ "newfstatat",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "statx",		SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "access",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "faccessat",		SC_PATHOP,	N, 1, 0, N, N, 3, 0 },
	{ "faccessat2",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "readlink",		SC_PATHOP,	N, 0, N, N, N, 3, 0 },
	{ "readlinkat",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "getdents64",		SC_FDOP,	0, N, N, N, N, 3, 0 },
	{ "unlink",		SC_PATHOP,	N, 0, N, N, N, 1, 0 },
	{ "unlinkat",		SC_PATHOP,	N, 1, 0, N, N, 3, 0 },
	{ "rename",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "renameat",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "renameat2",		SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "mkdir",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "mkdirat",		SC_PATHOP,	N, 1, 0, N, N, 3, 0 },
	{ "rmdir",		SC_PATHOP,	N, 0, N, N, N, 1, 0 },
	{ "truncate",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "ftruncate",		SC_FDOP,	0, N, N, N, N, 2, 0 },
	{ "fallocate",		SC_FDOP,	0, N, N, N, N, 4, 0 },
	{ "sendfile64",		SC_COPY,	1, N, N, N, 0, 4, 0 },
	{ "splice",		SC_COPY,	0, N, N, N, 2, 6, 0 },
	{ "copy_file_range",	SC_COPY,	0, N, N, N, 2, 6, 0 },
	{ "dup",		SC_DUP,		0, N, N, N, N, 1, 0 },
	{ "dup2",		SC_DUP2,	0, N, N, N, 1, 2, 0 },
	{ "dup3",		SC_DUP2,	0, N, N, 2, 1, 3, 0 },
	{ "fcntl",		SC_FCNTL,	0, N, N, N, N, 3, 0 },
	{ "chdir",		SC_CHDIR,	N, 0, N, N, N, 1, 0 },
	{ "fchdir",		SC_FCHDIR,	0, N, N, N, N, 1, 0 },
	{ "setuid",		SC_SETUID,	N, N, N, N, N, 1, 0 },
	{ "setreuid",		SC_SETREUID,	N, N, N, N, N, 2, 0 },
	{ "setresuid",		SC_SETRESUID,	N, N, N, N, N, 3, 0 },
	{ "setfsuid",		SC_SETFSUID,	N, N, N, N, N, 1, 0 },
	{ "io_setup",		SC_OTHER,	N, N, N, N, N, 2, 0 },
	{ "io_destroy",		SC_OTHER,	N, N, N, N, N, 1, 0 },
	{ "io_submit",		SC_OTHER,	N, N, N, N, N, 3, 0 },
	{ "io_cancel",		SC_OTHER,	N, N, N, N, N, 3, 0 },
	{ "io_getevents",	SC_OTHER,	N, N, N, N, N, 5, 0 },
	{ "io_pgetevents",	SC_OTHER,	N, N, N, N, N, 6, 0 },
	{ "io_uring_setup",	SC_NEWFD,	N, N, N, N, N, 2, FD_IO_URING },
	{ "io_uring_enter",	SC_OTHER,	N, N, N, N, N, 6, 0 },
	{ "io_uring_register",	SC_OTHER,	N, N, N, N, N, 4, 0 },
	/*
	 * The rest of the calls that check permission on a path or on an fd's
	 * file, for the audit: rare calls, so that enabling them costs nothing
	 * on the hot path (a syscall event costs only the calls of its own id)
	 */
	{ "execve",		SC_EXEC,	N, 0, N, N, N, 3, 0 },
	{ "execveat",		SC_EXEC,	N, 1, 0, N, N, 5, 0 },
	{ "chmod",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "fchmod",		SC_FDOP,	0, N, N, N, N, 2, 0 },
	{ "fchmodat",		SC_PATHOP,	N, 1, 0, N, N, 3, 0 },
	{ "fchmodat2",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "chown",		SC_PATHOP,	N, 0, N, N, N, 3, 0 },
	{ "lchown",		SC_PATHOP,	N, 0, N, N, N, 3, 0 },
	{ "fchown",		SC_FDOP,	0, N, N, N, N, 3, 0 },
	{ "fchownat",		SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "utime",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "utimes",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "futimesat",		SC_PATHOP,	N, 1, 0, N, N, 3, 0 },
	{ "utimensat",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "link",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "linkat",		SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "symlink",		SC_PATHOP,	N, 1, N, N, N, 2, 0 },
	{ "symlinkat",		SC_PATHOP,	N, 2, 1, N, N, 3, 0 },
	{ "mknod",		SC_PATHOP,	N, 0, N, N, N, 3, 0 },
	{ "mknodat",		SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "setxattr",		SC_PATHOP,	N, 0, N, N, N, 5, 0 },
	{ "lsetxattr",		SC_PATHOP,	N, 0, N, N, N, 5, 0 },
	{ "fsetxattr",		SC_FDOP,	0, N, N, N, N, 5, 0 },
	{ "setxattrat",		SC_PATHOP,	N, 1, 0, N, N, 6, 0 },
	{ "getxattr",		SC_PATHOP,	N, 0, N, N, N, 4, 0 },
	{ "lgetxattr",		SC_PATHOP,	N, 0, N, N, N, 4, 0 },
	{ "fgetxattr",		SC_FDOP,	0, N, N, N, N, 4, 0 },
	{ "getxattrat",		SC_PATHOP,	N, 1, 0, N, N, 6, 0 },
	{ "listxattr",		SC_PATHOP,	N, 0, N, N, N, 3, 0 },
	{ "llistxattr",		SC_PATHOP,	N, 0, N, N, N, 3, 0 },
	{ "flistxattr",		SC_FDOP,	0, N, N, N, N, 3, 0 },
	{ "listxattrat",	SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "removexattr",	SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "lremovexattr",	SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "fremovexattr",	SC_FDOP,	0, N, N, N, N, 2, 0 },
	{ "removexattrat",	SC_PATHOP,	N, 1, 0, N, N, 4, 0 },
	{ "file_getattr",	SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "file_setattr",	SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "chroot",		SC_CHROOT,	N, 0, N, N, N, 1, 0 },
	{ "statfs",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "inotify_add_watch",	SC_PATHOP,	N, 1, N, N, N, 3, 0 },
	{ "fanotify_mark",	SC_PATHOP,	N, 4, 3, N, N, 5, 0 },
	{ "mount",		SC_PATHOP,	N, 1, N, N, N, 5, 0 },
	{ "umount",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "pivot_root",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "open_tree",		SC_OPEN,	N, 1, 0, N, N, 3, 0 },
	{ "open_tree_attr",	SC_OPEN,	N, 1, 0, N, N, 5, 0 },
	{ "move_mount",		SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "mount_setattr",	SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "fsopen",		SC_NEWFD,	N, N, N, N, N, 2, FD_MOUNT },
	{ "fspick",		SC_NEWFD,	N, 1, 0, N, N, 3, FD_MOUNT },
	{ "fsconfig",		SC_FDOP,	0, N, N, N, N, 5, 0 },
	{ "fsmount",		SC_NEWFD,	0, N, N, N, N, 3, FD_MOUNT },
	{ "name_to_handle_at",	SC_PATHOP,	N, 1, 0, N, N, 5, 0 },
	{ "quotactl",		SC_PATHOP,	N, 1, N, N, N, 4, 0 },
	{ "quotactl_fd",	SC_FDOP,	0, N, N, N, N, 4, 0 },
	{ "acct",		SC_PATHOP,	N, 0, N, N, N, 1, 0 },
	{ "swapon",		SC_PATHOP,	N, 0, N, N, N, 2, 0 },
	{ "swapoff",		SC_PATHOP,	N, 0, N, N, N, 1, 0 },
	{ "uselib",		SC_PATHOP,	N, 0, N, N, N, 1, 0 },
	/*
	 * The calls that make fds which are not files, so that every fd has a
	 * kind: rare too (a pipe per command, a socket per connection)
	 */
	{ "pipe",		SC_NEWPAIR,	N, N, N, N, N, 1, FD_PIPE },
	{ "pipe2",		SC_NEWPAIR,	N, N, N, N, N, 2, FD_PIPE },
	{ "socketpair",		SC_NEWPAIR,	N, N, N, N, N, 4, FD_SOCKET },
	{ "socket",		SC_NEWFD,	N, N, N, N, N, 3, FD_SOCKET },
	{ "accept",		SC_NEWFD,	0, N, N, N, N, 3, FD_SOCKET },
	{ "accept4",		SC_NEWFD,	0, N, N, N, N, 4, FD_SOCKET },
	{ "eventfd",		SC_NEWFD,	N, N, N, N, N, 1, FD_EVENTFD },
	{ "eventfd2",		SC_NEWFD,	N, N, N, N, N, 2, FD_EVENTFD },
	{ "timerfd_create",	SC_NEWFD,	N, N, N, N, N, 2, FD_TIMERFD },
	{ "signalfd",		SC_NEWFD,	N, N, N, N, N, 3, FD_SIGNALFD },
	{ "signalfd4",		SC_NEWFD,	N, N, N, N, N, 4, FD_SIGNALFD },
	{ "epoll_create",	SC_NEWFD,	N, N, N, N, N, 1, FD_EPOLL },
	{ "epoll_create1",	SC_NEWFD,	N, N, N, N, N, 1, FD_EPOLL },
	{ "inotify_init",	SC_NEWFD,	N, N, N, N, N, 0, FD_INOTIFY },
	{ "inotify_init1",	SC_NEWFD,	N, N, N, N, N, 1, FD_INOTIFY },
	{ "fanotify_init",	SC_NEWFD,	N, N, N, N, N, 2, FD_FANOTIFY },
	{ "memfd_create",	SC_NEWFD,	N, 0, N, N, N, 2, FD_MEMFD },
	{ "memfd_secret",	SC_NEWFD,	N, N, N, N, N, 1, FD_ANON },
	{ "pidfd_open",		SC_NEWFD,	N, N, N, N, N, 2, FD_PIDFD },
	{ "pidfd_getfd",	SC_NEWFD,	N, N, N, N, N, 3, FD_UNKNOWN },
	{ "userfaultfd",	SC_NEWFD,	N, N, N, N, N, 1, FD_USERFAULTFD },
	{ "perf_event_open",	SC_NEWFD,	N, N, N, N, N, 5, FD_PERF },
	{ NULL, 0, 0, 0, 0, 0, 0, 0, 0 },
};
#undef N

const char *const fd_kind_names[FD_KINDS] = {
	[FD_UNKNOWN] = "unknown", [FD_FILE] = "file", [FD_PIPE] = "pipe",
	[FD_SOCKET] = "socket", [FD_EVENTFD] = "eventfd", [FD_TIMERFD] = "timerfd",
	[FD_SIGNALFD] = "signalfd", [FD_EPOLL] = "epoll", [FD_INOTIFY] = "inotify",
	[FD_FANOTIFY] = "fanotify", [FD_MEMFD] = "memfd", [FD_PIDFD] = "pidfd",
	[FD_USERFAULTFD] = "userfaultfd", [FD_IO_URING] = "io_uring", [FD_PERF] = "perf_event",
	[FD_MOUNT] = "mount", [FD_ANON] = "anon_inode", [FD_NONE] = "none",
};

enum fd_kind fd_kind_of_name(const char *name)
{
	static const struct {
		const char *prefix;
		enum fd_kind kind;
	} names[] = {
		{ "pipe:[", FD_PIPE }, { "socket:[", FD_SOCKET },
		{ "anon_inode:[eventfd]", FD_EVENTFD }, { "anon_inode:[timerfd]", FD_TIMERFD },
		{ "anon_inode:[signalfd]", FD_SIGNALFD }, { "anon_inode:[eventpoll]", FD_EPOLL },
		{ "anon_inode:inotify", FD_INOTIFY }, { "anon_inode:[fanotify]", FD_FANOTIFY },
		{ "/memfd:", FD_MEMFD }, { "anon_inode:[pidfd]", FD_PIDFD }, { "pidfd:[", FD_PIDFD },
		{ "anon_inode:[userfaultfd]", FD_USERFAULTFD }, { "anon_inode:[io_uring]", FD_IO_URING },
		{ "anon_inode:[perf_event]", FD_PERF }, { "anon_inode:[fscontext]", FD_MOUNT },
		{ "anon_inode:", FD_ANON }, { "/secretmem", FD_ANON },
	};

	if (!name)
		return FD_UNKNOWN;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(name, names[i].prefix, strlen(names[i].prefix)))
			return names[i].kind;
	/* a namespace (mnt:[4026531841]), a bpf object (bpf-map): "word:[" without a '/' */
	if (name[0] != '/' && strchr(name, ':'))
		return FD_ANON;
	return FD_FILE;
}

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
