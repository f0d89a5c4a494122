/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every file ftio writes, except the recording itself (record/outfile.h),
 * goes through output_open() and output_commit().
 *
 * A regular or missing target is written under a temporary name beside it,
 * created with O_CREAT|O_EXCL|O_NOFOLLOW and a random suffix, given @mode
 * (0600 by default, never the umask's idea), and renamed over the target by
 * output_commit(): a failure leaves no half file, and nobody else's symlink
 * is ever followed.  "-", /dev/stdout and /dev/stderr are the standard
 * streams, /dev/fd/N and /proc/self/fd/N the inherited descriptor N.  A character device, FIFO or socket is opened and written
 * directly (a symlink to one, like /dev/fd/N, too).  Any other symlink is
 * refused with -ELOOP, a directory with -EISDIR, anything else with -EEXIST.
 */
#ifndef FTIO_LIB_OUTPUT_H
#define FTIO_LIB_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define OUTPUT_MODE_DEFAULT 0600

struct output {
	FILE *f;		/* write here */
	char *path;		/* the target */
	char *tmp;		/* the temporary name, NULL when written directly */
	bool is_std;		/* f is stdout or stderr: not closed */
};

/* 0 or -errno; on error @o holds nothing to release */
int output_open(struct output *o, const char *path, mode_t mode);
/* Flushes, closes and renames into place; 0 or -errno (then as output_abort()) */
int output_commit(struct output *o);
/* Closes and removes the temporary file; the target is untouched */
void output_abort(struct output *o);
/* "it is a symbolic link" for -ELOOP, strerror() otherwise */
const char *output_strerror(int err);
/* Parses an octal --mode (0 to 0777); 0 or -EINVAL */
int output_parse_mode(const char *s, mode_t *mode);

#endif
