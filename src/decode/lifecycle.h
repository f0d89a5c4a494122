/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Feeds process-lifecycle events (task_newtask, or sched_process_fork
 * without it, task_rename, sched_process_exec/exit) into the model, for every command that needs
 * to know which process and comm a thread belongs to.
 */
#ifndef FTIO_LIFECYCLE_H
#define FTIO_LIFECYCLE_H

#include "decode/decoder.h"
#include "decode/model.h"

struct lifecycle {
	struct model *m;
	struct decoder *d;
	int id_newtask, id_fork, id_exec, id_exit, id_rename;
	struct field_ref nt_pid, nt_comm, nt_flags;
	struct field_ref fk_child;
	struct field_ref ex_filename;
	struct field_ref rn_newcomm;
};

void lifecycle_init(struct lifecycle *lc, struct model *m, struct decoder *d);
/*
 * Applies @ev when it is a lifecycle event; returns true if it was one.
 * Call it after using the event's task: an exit forgets the thread.
 */
bool lifecycle_feed(struct lifecycle *lc, const struct ftio_event *ev);

#endif /* FTIO_LIFECYCLE_H */
