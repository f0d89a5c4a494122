// SPDX-License-Identifier: GPL-2.0
/*
 * Built with -static: its open() never passes through the shared C
 * library, so no uprobe sees its path.  ftio must report the path as
 * unknown, never as some other file's.
 *
 * usage: static-open FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[16];
	int fd;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	if (read(fd, buf, sizeof(buf)) < 0)
		return 1;
	return close(fd);
}
