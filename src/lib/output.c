// SPDX-License-Identifier: GPL-2.0
/*
 * Writing output files without following anyone's symlink (see output.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/output.h"
#include "lib/util.h"

/* "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: N, else -1 */
static int fd_name(const char *path)
{
	const char *n = NULL;
	char *end;
	long fd;

	if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
		return 1;
	if (!strcmp(path, "/dev/stderr"))
		return 2;
	if (!strncmp(path, "/dev/fd/", 8))
		n = path + 8;
	else if (!strncmp(path, "/proc/self/fd/", 14))
		n = path + 14;
	if (!n || *n < '0' || *n > '9')
		return -1;
	fd = strtol(n, &end, 10);
	return *end || fd > 65535 ? -1 : (int)fd;
}

static bool special_file(mode_t m)
{
	return S_ISCHR(m) || S_ISFIFO(m) || S_ISSOCK(m);
}

static int open_direct(struct output *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;

		close(fd);
		return -e;
	}
	return 0;
}

/* <dir>/.<base>.<16 hex>.tmp, created exclusively, never through a link */
static int open_temp(struct output *o, const char *path, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash ? (int)(slash - path + 1) : 0;

	for (int tries = 0; tries < 100; tries++) {
		unsigned long long r;
		char *tmp;
		int fd;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			return -(errno ? errno : EIO);
		tmp = xasprintf("%.*s.%s.%016llx.tmp", dlen, path, path + dlen, r);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			int e = errno;

			free(tmp);
			if (e == EEXIST)
				continue;
			return -e;
		}
		/* the exact mode, whatever the umask */
		if (fchmod(fd, mode) || !(o->f = fdopen(fd, "w"))) {
			int e = errno;

			close(fd);
			unlink(tmp);
			free(tmp);
			return -e;
		}
		o->tmp = tmp;
		return 0;
	}
	return -EEXIST;
}

int output_open(struct output *o, const char *path, mode_t mode)
{
	struct stat sb;
	int fd = fd_name(path), ret;

	memset(o, 0, sizeof(*o));
	if (fd == 1 || fd == 2) {
		o->f = fd == 1 ? stdout : stderr;
		o->is_std = true;
		o->path = xstrdup(path);
		return 0;
	}
	if (fd >= 0) {
		/* an inherited descriptor: written as it is, whatever it is */
		int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);

		if (dup_fd < 0)
			return -errno;
		o->f = fdopen(dup_fd, "w");
		if (!o->f) {
			ret = -errno;
			close(dup_fd);
			return ret;
		}
		o->path = xstrdup(path);
		return 0;
	}
	if (lstat(path, &sb) == 0) {
		if (S_ISLNK(sb.st_mode)) {
			/* /dev/fd/1, a link to a tty or a FIFO: written, never replaced */
			if (stat(path, &sb) || !special_file(sb.st_mode))
				return -ELOOP;
			ret = open_direct(o, path);
		} else if (special_file(sb.st_mode)) {
			ret = open_direct(o, path);
		} else if (S_ISDIR(sb.st_mode)) {
			return -EISDIR;
		} else if (S_ISREG(sb.st_mode)) {
			ret = open_temp(o, path, mode);
		} else {
			return -EEXIST;
		}
	} else if (errno == ENOENT) {
		ret = open_temp(o, path, mode);
	} else {
		return -errno;
	}
	if (ret)
		return ret;
	o->path = xstrdup(path);
	return 0;
}

int output_commit(struct output *o)
{
	int ret = 0;

	if (fflush(o->f) || ferror(o->f))
		ret = -(errno ? errno : EIO);
	if (o->is_std) {
		free(o->path);
		o->path = NULL;
		return ret;
	}
	if (fclose(o->f) && !ret)
		ret = -(errno ? errno : EIO);
	o->f = NULL;
	/* the target may have become a symlink since: rename replaces the link itself */
	if (!ret && o->tmp && rename(o->tmp, o->path))
		ret = -errno;
	if (ret && o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return ret;
}

void output_abort(struct output *o)
{
	if (o->f && !o->is_std)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

const char *output_strerror(int err)
{
	if (err == -ELOOP || err == ELOOP)
		return "is a symbolic link (refusing to follow it)";
	return strerror(err < 0 ? -err : err);
}

int output_parse_mode(const char *s, mode_t *mode)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno || *end || v > 0777)
		return -EINVAL;
	*mode = v;
	return 0;
}
