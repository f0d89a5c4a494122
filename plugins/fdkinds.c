// SPDX-License-Identifier: GPL-2.0
/*
 * Every fd has a kind: the syscalls layer's half that names the fds which
 * are not files.  A call that makes a pipe, a socket, an eventfd, ... is
 * traced like any other; at its exit the fd table gets the new fd(s),
 * named as /proc/PID/fd names them ("anon_inode:[eventfd]"), or, for a
 * pipe or socket whose inode no event carries, "pipe:[#N]" with N the
 * order it was made in during the capture.  A socket's detail says its
 * family and type, a pair's its peer; an accepted one, the socket it came
 * from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftio/call.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/syscall-table.h>
#include <ftio/util.h>

#include "fdkinds.h"

/* O_CLOEXEC and its aliases (SOCK_CLOEXEC, EFD_CLOEXEC, ...) have one value but on alpha, sparc */
#define CLOEXEC_BIT 02000000

/* Whether the fd(s) a SC_NEWFD or SC_NEWPAIR call made are close-on-exec */
static bool newfd_cloexec(const struct call *c)
{
	static const struct {
		const char *name;
		int arg;
		unsigned long bit;
	} flags[] = {
		{ "pipe2", 1, CLOEXEC_BIT }, { "socket", 1, CLOEXEC_BIT },
		{ "socketpair", 1, CLOEXEC_BIT }, { "accept4", 3, CLOEXEC_BIT },
		{ "eventfd2", 1, CLOEXEC_BIT }, { "timerfd_create", 1, CLOEXEC_BIT },
		{ "signalfd4", 3, CLOEXEC_BIT }, { "epoll_create1", 0, CLOEXEC_BIT },
		{ "inotify_init1", 0, CLOEXEC_BIT }, { "fanotify_init", 0, 1 /* FAN_CLOEXEC */ },
		{ "memfd_create", 1, 1 /* MFD_CLOEXEC */ }, { "memfd_secret", 0, CLOEXEC_BIT },
		{ "userfaultfd", 0, CLOEXEC_BIT }, { "perf_event_open", 4, 8 /* PERF_FLAG_FD_CLOEXEC */ },
		{ "fsopen", 1, 1 /* FSOPEN_CLOEXEC */ }, { "fspick", 2, 1 /* FSPICK_CLOEXEC */ },
		{ "fsmount", 1, 1 /* FSMOUNT_CLOEXEC */ },
		/* always close-on-exec */
		{ "pidfd_open", -1, 0 }, { "pidfd_getfd", -1, 0 }, { "io_uring_setup", -1, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (!strcmp(flags[i].name, c->name))
			return flags[i].arg < 0 || (c->args[flags[i].arg] & flags[i].bit);
	return false;
}

static const char *family_name(unsigned long family)
{
	static const char *const families[] = {
		[1] = "AF_UNIX", [2] = "AF_INET", [10] = "AF_INET6", [16] = "AF_NETLINK",
		[17] = "AF_PACKET", [40] = "AF_VSOCK", [38] = "AF_ALG", [31] = "AF_BLUETOOTH",
	};

	return family < ARRAY_SIZE(families) && families[family] ? families[family] : NULL;
}

static const char *socktype_name(unsigned long type)
{
	static const char *const types[] = {
		[1] = "SOCK_STREAM", [2] = "SOCK_DGRAM", [3] = "SOCK_RAW", [4] = "SOCK_RDM",
		[5] = "SOCK_SEQPACKET", [10] = "SOCK_PACKET",
	};

	type &= 0xf;
	return type < ARRAY_SIZE(types) && types[type] ? types[type] : "SOCK_?";
}

static void socket_detail(char *buf, size_t size, unsigned long family, unsigned long type)
{
	const char *f = family_name(family);

	if (f)
		snprintf(buf, size, "%s %s", f, socktype_name(type));
	else
		snprintf(buf, size, "family %lu %s", family, socktype_name(type));
}

/* The fd a SC_NEWFD call returned, named as /proc/PID/fd would name it */
void fd_newfd_effect(struct report *r, unsigned int *next_obj, struct proc *p, struct call *c)
{
	const struct syscall_desc *d = syscall_find(c->name);
	int fd = (int)c->ret, kind = d ? d->fdkind : FD_UNKNOWN;
	bool cloexec = newfd_cloexec(c);
	char name[96], detail[256];
	const char *nm = name, *dt = NULL;

	switch (kind) {
	case FD_SOCKET:
		snprintf(name, sizeof(name), "socket:[#%u]", ++*next_obj);
		if (!strcmp(c->name, "socket")) {
			socket_detail(detail, sizeof(detail), c->args[0], c->args[1]);
		} else if (c->detail) {
			/* accept: the listening socket's family and type, and its name */
			int n = (int)strcspn(c->detail, " ");

			n += c->detail[n] ? 1 + (int)strcspn(c->detail + n + 1, " ") : 0;
			snprintf(detail, sizeof(detail), "%.*s accepted on %s", n, c->detail,
				 c->path ? c->path : "?");
		} else {
			snprintf(detail, sizeof(detail), "accepted on %s", c->path ? c->path : "?");
		}
		dt = detail;
		break;
	case FD_MEMFD: {
		/* the name came as a path argument: what is after the cwd it was resolved against */
		const char *base = c->path ? strrchr(c->path, '/') : NULL;

		snprintf(name, sizeof(name), "/memfd:%s (deleted)",
			 base ? base + 1 : c->path ? c->path : "?");
		break;
	}
	case FD_PIDFD:
		nm = "anon_inode:[pidfd]";
		snprintf(detail, sizeof(detail), "pid %lld", (long long)(int)c->args[0]);
		dt = detail;
		break;
	case FD_MOUNT:
		nm = strcmp(c->name, "fsmount") ? "anon_inode:[fscontext]" : "anon_inode:[fsmount]";
		break;
	case FD_ANON:
		nm = "/secretmem (deleted)";
		break;
	case FD_UNKNOWN: {
		/* pidfd_getfd(pidfd, targetfd): a copy of another process's fd */
		const struct fd_entry *pe = model_fd(p, (int)c->args[0]);
		struct task *t = pe && pe->kind == FD_PIDFD && pe->aux > 0 ?
				 model_find_task(report_model(r), (int)pe->aux) : NULL;
		const struct fd_entry *e = t ? model_fd(t->proc, (int)c->args[1]) : NULL;

		if (e)
			model_fd_set_obj(p, fd, e->kind, e->path, PATH_INHERITED, e->detail, cloexec);
		else
			model_fd_set_unknown(p, fd, "taken from a process whose fd was not known "
					     "(pidfd_getfd)", cloexec);
		return;
	}
	default:
		nm = fd_kind_names[kind];
		snprintf(name, sizeof(name), "anon_inode:[%s]",
			 kind == FD_EPOLL ? "eventpoll" : kind == FD_PERF ? "perf_event" : nm);
		/* /proc writes inotify without brackets */
		nm = kind == FD_INOTIFY ? "anon_inode:inotify" : name;
		break;
	}
	/* signalfd on an existing signalfd changes its mask and returns it */
	if (kind == FD_SIGNALFD && (int)c->args[0] != -1 && (int)c->args[0] == fd)
		return;
	model_fd_set_obj(p, fd, kind, nm, PATH_CREATED, dt, cloexec);
	if (kind == FD_PIDFD)
		((struct fd_entry *)model_fd(p, fd))->aux = (int)c->args[0];
	/* the call's own object is what it made */
	free(c->path);
	free(c->detail);
	c->path = xstrdup(nm);
	c->path_method = PATH_CREATED;
	c->detail = dt ? xstrdup(dt) : NULL;
}

/*
 * pipe, pipe2, socketpair write their two fds to user memory, which no
 * event carries; the kernel takes the lowest free fds, fd[0] first, so a
 * process whose fd table is complete gets them placed
 */
void fd_newpair_effect(struct report *r, unsigned int *next_obj, struct proc *p, struct call *c)
{
	const struct syscall_desc *d = syscall_find(c->name);
	bool cloexec = newfd_cloexec(c);
	char name[2][64], detail[2][160], fam[96];
	int fds[2];

	if (!d || !model_fd_lowest_free(p, fds, 2)) {
		report_count(r, "pipe and socketpair fds not placed (the fd table was not complete)", 2);
		return;
	}
	if (d->fdkind == FD_PIPE) {
		unsigned int n = ++*next_obj;

		for (int i = 0; i < 2; i++) {
			snprintf(name[i], sizeof(name[i]), "pipe:[#%u]", n);
			snprintf(detail[i], sizeof(detail[i]), "made by %s in %d %s", c->name, c->pid,
				 c->comm);
		}
	} else {
		unsigned int n = *next_obj + 1;

		*next_obj += 2;
		socket_detail(fam, sizeof(fam), c->args[0], c->args[1]);
		for (int i = 0; i < 2; i++) {
			snprintf(name[i], sizeof(name[i]), "socket:[#%u]", n + i);
			snprintf(detail[i], sizeof(detail[i]), "%s pair of socket:[#%u]", fam, n + !i);
		}
	}
	for (int i = 0; i < 2; i++)
		model_fd_set_obj(p, fds[i], d->fdkind, name[i], PATH_CREATED, detail[i], cloexec);
	free(c->path);
	free(c->detail);
	c->path = xstrdup(name[0]);
	c->path_method = PATH_CREATED;
	c->detail = xstrdup(detail[0]);
}

