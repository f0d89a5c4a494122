// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's workload: N one-byte pread()s of a page-cached file, timed
 * by the program itself so that a recorder's start-up and tear-down never
 * count.  Each call is two syscall events (sys_enter_pread64, sys_exit_pread64).
 * Prints "<ns per call> <user s> <sys s> <max rss KiB>" from its own
 * getrusage(), so that the harness can subtract the workload from the CPU time
 * of the recorder that waited for it.  SIGTERM ends the loop early, and the
 * figures are then those of the calls made (bench/sweep.sh stops it so).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double ts_sec(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	long n, i;
	int fd;
	char c;

	if (argc != 3) {
		fprintf(stderr, "usage: preadloop <iterations> <file>\n");
		return 129;
	}
	n = atol(argv[1]);
	fd = open(argv[2], O_RDONLY);
	if (n <= 0 || fd < 0) {
		perror("preadloop: cannot open the file");
		return 1;
	}
	/* first read outside the timed loop: page cache and TLB warm */
	if (pread(fd, &c, 1, 0) != 1) {
		perror("preadloop: pread");
		return 1;
	}
	signal(SIGTERM, on_term);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n && !stop; i++)
		if (pread(fd, &c, 1, 0) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	getrusage(RUSAGE_SELF, &ru);
	printf("%.1f %.3f %.3f %ld\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (i ? i : 1),
	       ts_sec(ru.ru_utime), ts_sec(ru.ru_stime), ru.ru_maxrss);
	return 0;
}
