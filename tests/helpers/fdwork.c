// SPDX-License-Identifier: GPL-2.0
/*
 * A deterministic workload for the fd, cwd and dirfd models: it opens
 * DIR/data, duplicates the fd with dup2 and fcntl(F_DUPFD), forks a child
 * that reads through the inherited copies, and resolves relative paths
 * through chdir() and an openat() dirfd.
 *
 * usage: fdwork DIR   (DIR must hold data, rel.txt and sub/f)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char buf[64], path[4096];
	int fd, dirfd, sub, rel;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: fdwork DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/data", argv[1]);
	fd = open(path, O_RDWR);
	must(fd >= 0, "open data");
	must(dup2(fd, 10) == 10, "dup2");
	must(fcntl(fd, F_DUPFD, 20) >= 20, "fcntl F_DUPFD");
	must(pread(10, buf, 7, 0) == 7, "pread via dup2 copy");
	pid = fork();
	must(pid >= 0, "fork");
	if (pid == 0) {
		/* the child reads through the inherited copies */
		must(pread(20, buf, 5, 0) == 5, "child pread fd 20");
		must(pread(fd, buf, 3, 0) == 3, "child pread original");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	close(fd);
	/* fd 10 still names data after the original is closed */
	must(pwrite(10, "xyz", 3, 0) == 3, "pwrite via fd 10");

	must(chdir(argv[1]) == 0, "chdir");
	rel = open("rel.txt", O_RDONLY);
	must(rel >= 0, "open rel.txt");
	must(read(rel, buf, 4) == 4, "read rel.txt");
	dirfd = open(".", O_RDONLY | O_DIRECTORY);
	must(dirfd >= 0, "open .");
	sub = openat(dirfd, "sub/f", O_RDONLY);
	must(sub >= 0, "openat sub/f");
	must(read(sub, buf, 2) == 2, "read sub/f");
	return 0;
}
