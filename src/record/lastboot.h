/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftio salvage --last-boot: the previous boot's events read out of the
 * boot-mapped instance (record/boot.h), joined with the sidecar that
 * ftio record --boot-instance wrote when it armed it, into a normal
 * recording.  See lastboot.c.
 */
#ifndef FTIO_LASTBOOT_H
#define FTIO_LASTBOOT_H

#include <stdbool.h>

struct boot_state;

/* What lastboot_salvage() returns: the command's exit codes */
enum {
	LASTBOOT_SAVED = 0,	/* a recording was written */
	LASTBOOT_ERROR = 1,	/* it could not be: said why */
	LASTBOOT_NONE = 2,	/* no last-boot data: nothing written */
};

struct lastboot_opts {
	const char *output;	/* the recording to write */
	const char *sidecar;	/* the arming's sidecar (BOOT_SIDECAR by default) */
	bool sidecar_given;	/* --sidecar: its absence is worth a warning */
	int quiet;
};

/*
 * lastboot_salvage - read the previous boot's pages of the boot instance
 * (consuming them: the kernel hands each page over once), check them
 * against the sidecar's formats and the arming markers, and write the
 * recording.  Prints what it found and what it could not decode.
 * @saved: gets the path written (malloc'd) on LASTBOOT_SAVED, may be NULL.
 */
int lastboot_salvage(const struct lastboot_opts *o, const struct boot_state *bs, char **saved);

#endif /* FTIO_LASTBOOT_H */
