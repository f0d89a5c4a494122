/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a layer sees of the report's model of the traced system: a thread
 * (struct task) and its process (struct proc) with credentials, working
 * directory and fd table, the mounts, and the queries and updates a layer
 * makes as the syscalls it decodes change them.  The model behind them
 * (struct model, src/decode/model.h) stays opaque: whatever it cannot know
 * stays unknown (uid UID_UNKNOWN, path NULL) and is never guessed.
 */
#ifndef FTIO_MODEL_H
#define FTIO_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct model;
struct fdtable;

/* How a path became known; the report counts each */
enum path_method {
	PATH_NONE,
	PATH_TRACEPOINT,	/* syscall tracepoint string (Linux >= 6.19) */
	PATH_KPROBE,
	PATH_UPROBE,		/* uprobe on the C library's wrapper */
	PATH_SNAPSHOT,		/* /proc/PID/fd at capture start */
	PATH_INHERITED,		/* dup, fork: from another fd's path */
	PATH_CREATED,		/* a pipe, socket ... named after the traced call that made it */
	PATH_METHODS,
};

extern const char *const path_method_names[PATH_METHODS];

#define UID_UNKNOWN (-1L)

struct fd_entry {
	char *path;		/* absolute, or a kernel name such as "pipe:[123]"; NULL unknown */
	uint8_t method;
	bool cloexec;
	uint8_t kind;		/* enum fd_kind (ftio/syscall-table.h) */
	char *detail;		/* a socket's family, type and peer ...; NULL when none */
	long aux;		/* a pidfd's pid, -1 when unknown */
	const char *why;	/* with no path: why it is unknown (static string) */
};

struct proc {
	int tgid;
	int refs;
	long ruid, euid, suid, fsuid;
	char *cwd;		/* NULL: unknown */
	char *root;		/* after a chroot: its directory; NULL: "/" */
	bool root_unknown;	/* chrooted to a directory ftio could not name */
	struct fdtable *fdt;
	bool known;		/* seen in the snapshot or born during capture */
	/*
	 * every fd of the table is known: the snapshot listed the process's
	 * fds, or it was born of a process whose table was complete
	 */
	bool fds_known;
	/* fd pairs (pipe, socketpair) made while the table was not complete: not placed */
	unsigned int pairs_lost;
};

struct task {
	int tid;
	char comm[16];		/* as the kernel keeps it: 15 bytes and a NUL */
	struct proc *proc;
	void *layer_state;	/* the syscall layer's per-thread state */
};

struct mount {
	char *point;
	char *fstype;
	char *source;
	unsigned int major, minor;
	size_t point_len;
};

/* The thread @tid, created as unknown (its own process) when never seen */
struct task *model_task(struct model *m, int tid);
struct task *model_find_task(struct model *m, int tid);

const struct fd_entry *model_fd(struct proc *p, int fd);
/* Why the path of @fd in @p is unknown, by what the model knows (a static string) */
const char *model_fd_why(struct proc *p, int fd);
/* @fd is a file (FD_FILE) at @path, NULL when unknown */
void model_fd_set(struct proc *p, int fd, const char *path, int method, bool cloexec);
/* @fd is open, but what it is is unknown, for the reason @why (a static string) */
void model_fd_set_unknown(struct proc *p, int fd, const char *why, bool cloexec);
/* @fd is a @kind (enum fd_kind) that /proc would name @name, with @detail (may be NULL) */
void model_fd_set_obj(struct proc *p, int fd, int kind, const char *name, int method,
		      const char *detail, bool cloexec);
/* The @n lowest fds free in @p's table, in @fds; false when the table is not complete */
bool model_fd_lowest_free(struct proc *p, int *fds, int n);
void model_fd_close(struct proc *p, int fd);
void model_fd_close_range(struct proc *p, unsigned int first, unsigned int last);
void model_fd_dup(struct proc *p, int oldfd, int newfd, bool cloexec);
void model_fd_set_cloexec(struct proc *p, int fd, bool cloexec);

/*
 * model_resolve - make @path absolute against @dirfd (AT_FDCWD: the cwd).
 * Returns a malloc'd normalised path, or NULL when the base is unknown.
 */
char *model_resolve(struct proc *p, int dirfd, const char *path);
void model_chdir(struct proc *p, const char *abs_path);
/* chroot to @abs_path (resolved already); NULL: the new root is unknown */
void model_chroot(struct proc *p, const char *abs_path);

/* The mount holding @path (longest prefix), or NULL */
const struct mount *model_mount(const struct model *m, const char *path);
const char *model_user(const struct model *m, long uid);

#endif /* FTIO_MODEL_H */
