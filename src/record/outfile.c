// SPDX-License-Identifier: GPL-2.0
/*
 * Creating and naming output files (see outfile.h), for the chunk writer's
 * rotation and the flight recorder's saves alike.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/outfile.h"
#include "lib/util.h"

int recording_create(const char *path, char **old)
{
	struct stat sb;
	int fd;

	*old = NULL;
	if (lstat(path, &sb) == 0) {
		char *dst = NULL;

		if (S_ISLNK(sb.st_mode))
			return -ELOOP;
		if (!S_ISREG(sb.st_mode))
			return -EEXIST;
		/* never destroy an earlier recording: find a free .old name */
		for (int i = 0; i < 1000; i++) {
			free(dst);
			dst = i ? xasprintf("%s.old.%d", path, i) : xasprintf("%s.old", path);
			if (renameat2(AT_FDCWD, path, AT_FDCWD, dst, RENAME_NOREPLACE) == 0) {
				*old = dst;
				break;
			}
			if (errno == EINVAL || errno == ENOSYS) {
				/* filesystems without RENAME_NOREPLACE: link() never replaces */
				if (link(path, dst) == 0) {
					unlink(path);
					*old = dst;
					break;
				}
			}
			if (errno != EEXIST) {
				int e = errno;

				free(dst);
				return -e;
			}
		}
		if (!*old) {
			free(dst);
			return -EEXIST;
		}
	} else if (errno != ENOENT) {
		return -errno;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	return fd;
}

char *outfile_name(const char *base, unsigned int n)
{
	return xasprintf("%s.%06u", base, n);
}

int outfile_series_next(struct outfile_series *os, char **name)
{
	char *path = outfile_name(os->base, ++os->last), *old = NULL;
	int fd = recording_create(path, &old);

	free(old);
	if (fd >= 0 && os->max_files && os->last > os->max_files) {
		char *gone = outfile_name(os->base, os->last - os->max_files);

		unlink(gone);
		free(gone);
	}
	if (name)
		*name = path;
	else
		free(path);
	return fd;
}
