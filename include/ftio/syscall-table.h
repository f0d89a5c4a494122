/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file-related syscalls ftio records, with what each argument means.
 * One table serves the recorder (which events to enable) and the report
 * (how to pair, decode and attribute them); the names of open(2) flags
 * and of errnos are here too, for the views.
 */
#ifndef FTIO_SYSCALL_TABLE_H
#define FTIO_SYSCALL_TABLE_H

#include <stdint.h>

enum sc_kind {
	SC_OTHER,
	SC_OPEN,	/* returns a new fd for path */
	SC_CLOSE,
	SC_CLOSE_RANGE,
	SC_READ,	/* returns bytes read from fd */
	SC_WRITE,	/* returns bytes written to fd */
	SC_FDOP,	/* other operation on fd (lseek, fsync, fstat, getdents...) */
	SC_PATHOP,	/* operation on a path (stat, access, unlink, mkdir...) */
	SC_DUP,		/* dup(fd) */
	SC_DUP2,	/* dup2/dup3(fd, newfd) */
	SC_FCNTL,
	SC_CHDIR,
	SC_FCHDIR,
	SC_SETUID,	/* setuid(uid) */
	SC_SETREUID,	/* setreuid(ruid, euid) */
	SC_SETRESUID,	/* setresuid(ruid, euid, suid) */
	SC_SETFSUID,	/* setfsuid(fsuid) */
	SC_COPY,	/* sendfile/splice/copy_file_range: fd_in -> fd_out */
	SC_EXEC,	/* execve/execveat: the program's path (the exec itself is sched_process_exec) */
	SC_CHROOT,	/* chroot(path): later absolute paths resolve under it */
	SC_NEWFD,	/* returns a new fd that is not a file (socket, eventfd, ...): @fdkind */
	SC_NEWPAIR,	/* pipe/pipe2/socketpair: two new fds, written to user memory */
};

/*
 * What an fd refers to.  FD_FILE is a file or directory (by path, or an fd
 * opened from one); the others are the kernel objects /proc/PID/fd names
 * pipe:[ino], socket:[ino] and anon_inode:[...].  FD_UNKNOWN: the fd table
 * has no entry; FD_NONE: the call works on no fd or path (setuid).
 */
enum fd_kind {
	FD_UNKNOWN,
	FD_FILE,
	FD_PIPE,
	FD_SOCKET,
	FD_EVENTFD,
	FD_TIMERFD,
	FD_SIGNALFD,
	FD_EPOLL,
	FD_INOTIFY,
	FD_FANOTIFY,
	FD_MEMFD,
	FD_PIDFD,
	FD_USERFAULTFD,
	FD_IO_URING,
	FD_PERF,
	FD_MOUNT,	/* fsopen/fspick's fs context, fsmount's detached mount */
	FD_ANON,	/* another anon_inode, a namespace or secretmem */
	FD_NONE,
	FD_KINDS
};

/* "pipe", "socket", ... as the JSON's fd_kind says it */
extern const char *const fd_kind_names[FD_KINDS];
/* The kind of an fd /proc/PID/fd names @name ("pipe:[12]", "/etc/passwd", ...) */
enum fd_kind fd_kind_of_name(const char *name);
/* Pipes, sockets and the other kernel objects: not ranked with the files */
static inline int fd_kind_is_nonfile(int kind)
{
	return kind > FD_FILE && kind < FD_NONE;
}

/* arg numbers are 0-based syscall arguments; -1 when the call has none */
struct syscall_desc {
	const char *name;	/* tracepoint suffix: sys_enter_<name> */
	uint8_t kind;
	int8_t fd;		/* fd operated on (for SC_COPY: the input fd) */
	int8_t path;		/* user pointer to a path */
	int8_t dirfd;		/* dirfd that a relative path is resolved against */
	int8_t flags;		/* open(2) flags */
	int8_t fd2;		/* second fd (SC_COPY output, dup2 newfd) */
	int8_t nargs;		/* arguments the syscall takes (raw_syscalls carries six) */
	uint8_t fdkind;		/* SC_NEWFD, SC_NEWPAIR: enum fd_kind of what it creates */
};

extern const struct syscall_desc syscall_table[];

/* Looks a syscall up by tracepoint suffix; NULL when not in the table */
const struct syscall_desc *syscall_find(const char *name);

/*
 * "O_RDONLY|O_CREAT|..." for open(2) @flags in @buf (size >= 128), with the
 * bit values of the recorded machine's @arch (uname -m; NULL: generic)
 */
const char *open_flags_str(char *buf, unsigned long size, unsigned long flags, const char *arch);
/* "EACCES" for 13; NULL when unknown */
const char *errno_name(int err);

#endif /* FTIO_SYSCALL_TABLE_H */
