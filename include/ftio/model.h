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
	PATH_METHODS,
};

extern const char *const path_method_names[PATH_METHODS];

#define UID_UNKNOWN (-1L)

struct fd_entry {
	char *path;		/* absolute, or a kernel name such as "pipe:[123]"; NULL unknown */
	uint8_t method;
	bool cloexec;
};

struct proc {
	int tgid;
	int refs;
	long ruid, euid, suid, fsuid;
	char *cwd;		/* NULL: unknown */
	struct fdtable *fdt;
	bool known;		/* seen in the snapshot or born during capture */
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
void model_fd_set(struct proc *p, int fd, const char *path, int method, bool cloexec);
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

/* The mount holding @path (longest prefix), or NULL */
const struct mount *model_mount(const struct model *m, const char *path);
const char *model_user(const struct model *m, long uid);

#endif /* FTIO_MODEL_H */
