/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fds that are not files, made by SC_NEWFD and SC_NEWPAIR calls
 * (plugins/fdkinds.c), for the syscalls layer.
 */
#ifndef FTIO_PLUGINS_FDKINDS_H
#define FTIO_PLUGINS_FDKINDS_H

struct report;
struct proc;
struct call;

/*
 * The fd a successful SC_NEWFD call @c returned goes into @p's table with
 * its kind and name, and @c is renamed after it; @next_obj numbers the
 * objects whose inode is unknown
 */
void fd_newfd_effect(struct report *r, unsigned int *next_obj, struct proc *p, struct call *c);
/* Likewise for pipe, pipe2, socketpair: their two fds, when the table is complete */
void fd_newpair_effect(struct report *r, unsigned int *next_obj, struct proc *p, struct call *c);

#endif /* FTIO_PLUGINS_FDKINDS_H */
