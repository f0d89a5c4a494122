/* SPDX-License-Identifier: GPL-2.0 */
/* What session.c shares with session-reset.c only */
#ifndef FTIO_SESSION_INT_H
#define FTIO_SESSION_INT_H

/*
 * Removes the dynamic event @name ("group/event") from tracefs file @file
 * (uprobe_events, kprobe_events) with a "-:" line, through the pinned
 * tracefs when its path is gone; 0 or -errno
 */
int session_remove_dynevent_line(const char *tdir, const char *file, const char *name);

#endif /* FTIO_SESSION_INT_H */
