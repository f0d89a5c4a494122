/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the commands that read recordings: opening one or a
 * rotated set of them with the standard error messages, and printing the
 * reader's warnings.
 */
#ifndef FTIO_FRONTEND_H
#define FTIO_FRONTEND_H

#include "format/recording.h"

/* struct recset - the files of one capture, in time order */
struct recset {
	struct recording **v;
	size_t n;
};

/* Opens @path or exits 1 with "ftio: cannot read '<path>': <reason>" */
struct recording *frontend_open(const char *path);
/*
 * frontend_open_set - open every recording named by @paths: files,
 * directories (every recording in them), globs, or a rotated FILE whose
 * parts are FILE.000001, FILE.000002...  Sorted by their first event.
 * Exits 1 with the standard message when one cannot be read.
 */
void frontend_open_set(struct recset *set, char **paths, size_t n);
void frontend_close_set(struct recset *set);
/* Prints the warnings gathered so far (once each) to stderr */
void frontend_warnings(struct recording *r);
void frontend_set_warnings(struct recset *set);

#endif /* FTIO_FRONTEND_H */
