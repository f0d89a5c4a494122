/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a last-boot salvage (ftio salvage --last-boot) describes itself in
 * its "salvage/..." attributes (ftio-format(5)), in one line for ftio info
 * and the report's Capture section.
 */
#ifndef FTIO_LASTBOOT_DESC_H
#define FTIO_LASTBOOT_DESC_H

#include <stdbool.h>

#include "format/recording.h"

/* Whether @r is a last-boot salvage */
bool lastboot_is_salvage(const struct recording *r);

/*
 * "last boot 550b21a7 (Linux 7.2.13), armed 2026-12-03 14:17:02 +0000,
 * salvaged 2026-12-03 14:17:30 +0000; cpu1 wrapped; 12 events undecoded",
 * malloc'd, or NULL when @r is not a salvage.  @long_form adds the boot
 * ids in full, the format source and the notes.
 */
char *lastboot_describe(const struct recording *r, bool long_form);

#endif /* FTIO_LASTBOOT_DESC_H */
