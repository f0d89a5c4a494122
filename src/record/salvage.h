/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Salvage: before the instance of an ftio that died (kill -9, OOM, crash)
 * is removed, what was still in its ring buffers is saved as a recording
 * of its own, with the formats of the events it had enabled.
 */
#ifndef FTIO_SALVAGE_H
#define FTIO_SALVAGE_H

#include <stdint.h>

/*
 * salvage_instance - save the unread ring-buffer data of tracefs instance
 * @name to a new recording @path.  Returns the number of sub-buffers saved
 * (0: nothing was left, and no file is kept) or -errno.
 */
long salvage_instance(const char *name, const char *path);

#endif /* FTIO_SALVAGE_H */
