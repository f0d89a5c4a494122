/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture-time facts that trace events do not carry: who each task is
 * (uids, comm, cwd), which files each process holds open, the mount
 * table, the block devices, user names and set-uid programs.  They are
 * stored as ATTR entries named "sideband/..." (see Documentation/ftio-format.5.txt
 * for each table's columns) and read back by the report's models.
 */
#ifndef FTIO_SIDEBAND_H
#define FTIO_SIDEBAND_H

#include <stdint.h>

#include "lib/util.h"

/*
 * The recording goes to @uid (record --user, or sudo): from now on the
 * snapshots hold only what that user could read: the working directories
 * and open files of its own processes (all of ruid, euid and suid @uid),
 * and the public facts (ids, comm, mounts, users, devices, set-uid files).
 */
void sideband_restrict_to(uint32_t uid);

/* Appends every snapshot as ATTR entries to @sb; never fails short of OOM */
void sideband_snapshot(struct strbuf *sb);

/*
 * Appends "sideband/fds" lines for the open fds of @pids only (the ones a
 * recording follows), stamped with the current CLOCK_MONOTONIC time.
 */
void sideband_fd_scan(struct strbuf *sb, const int *pids, int n);

#endif /* FTIO_SIDEBAND_H */
