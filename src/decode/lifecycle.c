// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle events.  task_newtask is preferred to sched_process_fork
 * because it carries clone_flags, which say whether the child is a thread
 * (shares the process) and whether it shares the fd table.
 */
#include <event-parse.h>
#include <sched.h>

#include "decode/lifecycle.h"

static int event_id(struct decoder *d, const char *sys, const char *name)
{
	struct tep_event *e = tep_find_event_by_name(decoder_tep(d), sys, name);

	return e ? e->id : -1;
}

static struct tep_event *by_id(struct decoder *d, int id)
{
	return id < 0 ? NULL : tep_find_event(decoder_tep(d), id);
}

void lifecycle_init(struct lifecycle *lc, struct model *m, struct decoder *d)
{
	memset(lc, 0, sizeof(*lc));
	lc->m = m;
	lc->d = d;
	lc->id_newtask = event_id(d, "task", "task_newtask");
	lc->id_fork = lc->id_newtask >= 0 ? -1 : event_id(d, "sched", "sched_process_fork");
	lc->id_exec = event_id(d, "sched", "sched_process_exec");
	lc->id_exit = event_id(d, "sched", "sched_process_exit");
	lc->id_rename = event_id(d, "task", "task_rename");
	field_ref_init(&lc->nt_pid, by_id(d, lc->id_newtask), "pid");
	field_ref_init(&lc->nt_comm, by_id(d, lc->id_newtask), "comm");
	field_ref_init(&lc->nt_flags, by_id(d, lc->id_newtask), "clone_flags");
	field_ref_init(&lc->fk_child, by_id(d, lc->id_fork), "child_pid");
	field_ref_init(&lc->ex_filename, by_id(d, lc->id_exec), "filename");
	field_ref_init(&lc->rn_newcomm, by_id(d, lc->id_rename), "newcomm");
}

static char *str_copy(struct lifecycle *lc, const struct ftio_event *ev, const struct field_ref *f,
		      char *buf, size_t size)
{
	int len = 0;
	const char *s = field_str(lc->d, ev, f, &len);

	if (!s)
		return NULL;
	if ((size_t)len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

bool lifecycle_feed(struct lifecycle *lc, const struct ftio_event *ev)
{
	int id;
	char buf[4096];

	if (!ev->event)
		return false;
	id = ev->event->id;
	if (id == lc->id_newtask) {
		char comm[16];

		model_newtask(lc->m, ev->pid, field_s64(lc->d, ev, &lc->nt_pid),
			      field_u64(lc->d, ev, &lc->nt_flags),
			      str_copy(lc, ev, &lc->nt_comm, comm, sizeof(comm)));
	} else if (id == lc->id_fork) {
		/* no clone_flags: assume a process, the common case */
		model_newtask(lc->m, ev->pid, field_s64(lc->d, ev, &lc->fk_child), 0, NULL);
	} else if (id == lc->id_exec) {
		model_exec(lc->m, ev->pid, str_copy(lc, ev, &lc->ex_filename, buf, sizeof(buf)));
	} else if (id == lc->id_rename) {
		char comm[16];

		if (str_copy(lc, ev, &lc->rn_newcomm, comm, sizeof(comm)))
			model_set_comm(lc->m, ev->pid, comm);
	} else if (id == lc->id_exit) {
		/* sched_process_exit fires per thread, with current as the thread */
		model_exit(lc->m, ev->pid);
	} else {
		return false;
	}
	return true;
}
