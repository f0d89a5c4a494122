/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the commands that read recordings: opening one with
 * the standard error messages, and printing the reader's warnings.
 */
#ifndef FTIO_FRONTEND_H
#define FTIO_FRONTEND_H

#include "recording.h"

/* Opens @path or exits 1 with "ftio: cannot read '<path>': <reason>" */
struct recording *frontend_open(const char *path);
/* Prints the warnings gathered so far (once each) to stderr */
void frontend_warnings(struct recording *r);

#endif /* FTIO_FRONTEND_H */
