// SPDX-License-Identifier: GPL-2.0
/*
 * uring-open FILE N DENIED [FIXED]: through one io_uring, N 4 KiB writes
 * to FILE then N 4 KiB reads of it (IORING_OP_WRITE, IORING_OP_READ), then
 * an IORING_OP_OPENAT of DENIED (which the caller cannot open); with a
 * 4th argument, one more read through FILE registered as fixed file 0.
 * It prints what the kernel answered, one "op count errors" line each
 * and "openat res", so that a test compares ftio with the workload's own
 * numbers.  Exit 1 on a setup failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run_one(struct io_uring *ring, struct io_uring_sqe *sqe, int *res)
{
	struct io_uring_cqe *cqe;
	int ret;

	(void)sqe;
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	*res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[4096];
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int fd, n, res, ret, werr = 0, rerr = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: uring-open FILE N DENIED [FIXED]\n");
		return 1;
	}
	n = atoi(argv[2]);
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret) {
		fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}
	memset(buf, 'u', sizeof(buf));
	for (int i = 0; i < n; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_write(sqe, fd, buf, sizeof(buf), (unsigned long long)i * sizeof(buf));
		if (run_one(&ring, sqe, &res))
			return 1;
		werr += res != (int)sizeof(buf);
	}
	for (int i = 0; i < n; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, fd, buf, sizeof(buf), (unsigned long long)i * sizeof(buf));
		if (run_one(&ring, sqe, &res))
			return 1;
		rerr += res != (int)sizeof(buf);
	}
	printf("WRITE %d %d\nREAD %d %d\n", n, werr, n, rerr);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, argv[3], O_RDONLY, 0);
	if (run_one(&ring, sqe, &res))
		return 1;
	printf("openat %d\n", res);
	if (res >= 0)
		close(res);

	if (argc > 4) {
		ret = io_uring_register_files(&ring, &fd, 1);
		if (ret) {
			fprintf(stderr, "io_uring_register_files: %s\n", strerror(-ret));
			return 1;
		}
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		if (run_one(&ring, sqe, &res))
			return 1;
		printf("fixed %d\n", res);
	}
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}
