/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output files: creating a recording without destroying an earlier one,
 * and naming the numbered files of a rotated set or of a flight
 * recorder's saves (OUTPUT.000001, OUTPUT.000002, ...).  The chunk writer
 * and the flight recorder both create files here, so neither calls into
 * the other to get one.
 */
#ifndef FTIO_OUTFILE_H
#define FTIO_OUTFILE_H

/**
 * recording_create() - creates @path for a new recording
 * @path:	the file to create (never through a symbolic link)
 * @old:	gets the name an existing file was moved to (malloc'd), or NULL
 *
 * An existing regular file is kept under a free "<path>.old[.N]" name.
 * Returns the open file descriptor (mode 0600), -ELOOP for a symbolic
 * link, -EEXIST for something that is not a regular file, or -errno.
 */
int recording_create(const char *path, char **old);

/* The name of numbered file @n of @base (malloc'd): "<base>.%06u" */
char *outfile_name(const char *base, unsigned int n);

/*
 * struct outfile_series - the numbered files of one recording.  @last
 * counts the files asked for, created or not; with @max_files, only the
 * newest @max_files are kept on disk.
 */
struct outfile_series {
	const char *base;
	unsigned int max_files;	/* 0: keep them all */
	unsigned int last;	/* number of the newest file */
};

/**
 * outfile_series_next() - creates the next file of @os
 * @os:		the series
 * @name:	gets the new file's name (malloc'd) when not NULL, even on failure
 *
 * Removes the file @max_files back once the new one exists, so disk use
 * stays bounded.  Returns the file descriptor or -errno.
 */
int outfile_series_next(struct outfile_series *os, char **name);

#endif /* FTIO_OUTFILE_H */
