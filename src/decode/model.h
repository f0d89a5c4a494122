/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report's model of the traced system: threads, processes, their
 * credentials, working directories and fd tables, the mount table and
 * user names.  It starts from the capture-time snapshots and is moved
 * forward by events; whatever it cannot know stays unknown (uid -1, path
 * NULL) and is never guessed.  What layers see of it (threads, processes,
 * fds, mounts and their queries) is in ftio/model.h; this adds the
 * tables themselves, their loading and the lifecycle updates.
 */
#ifndef FTIO_DECODE_MODEL_H
#define FTIO_DECODE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <ftio/intmap.h>
#include <ftio/model.h>

#include "format/recording.h"

struct fdtable {
	int refs;
	struct intmap fds;	/* fd -> struct fd_entry */
};

/* Slots of the thread cache: a direct-mapped table in front of the tasks' map */
#define MODEL_TASK_SLOTS 4096

struct model {
	struct intmap tasks;	/* tid -> struct task */
	/*
	 * tasks by tid % MODEL_TASK_SLOTS: each event asks for its thread,
	 * and a hash lookup per event was a tenth of a report
	 */
	struct task **task_slot;
	struct intmap procs;	/* tgid -> struct proc */
	struct intmap users;	/* uid -> name */
	struct intmap sockets;	/* socket inode -> detail, from the snapshot */
	struct mount *mounts;
	size_t nr_mounts;
	/*
	 * model_mount()'s last answer: calls on one fd ask about one path
	 * again and again (the mount walk was 16% of a report of a pread loop)
	 */
	struct mount_cache {
		char *path;
		size_t size;
		const struct mount *mounts;	/* the array the answer is in */
		size_t nr_mounts;
		const struct mount *mt;
	} *mount_cache;
	struct setuid_file {
		char *path;
		long uid;
		bool suid;
	} *setuid;
	size_t nr_setuid;
	void (*free_layer_state)(void *state);
};

void model_init(struct model *m);
void model_release(struct model *m);
/* Loads every "sideband/" snapshot of @r */
void model_load(struct model *m, struct recording *r);

void model_newtask(struct model *m, int parent_tid, int child_tid, unsigned long clone_flags,
		   const char *comm);
void model_exec(struct model *m, int tid, const char *filename);
void model_exit(struct model *m, int tid);
void model_set_comm(struct model *m, int tid, const char *comm);

#endif /* FTIO_DECODE_MODEL_H */
