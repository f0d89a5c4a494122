/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The io_uring layer's state, shared by its two halves: plugins/io_uring.c
 * follows the events (io_uring requests, the AIO calls) and fills it,
 * plugins/uring-report.c describes it as the report's tables.  Nothing
 * outside the layer includes this.
 */
#ifndef FTIO_PLUGIN_URING_H
#define FTIO_PLUGIN_URING_H

#include <stdbool.h>
#include <stdint.h>

#include <ftio/call.h>
#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/strmap.h>

#define NR_OPS 256
#define ENGINE "io_uring"

enum op_kind { OP_OTHER, OP_RW, OP_OPEN, OP_CLOSE };

enum req_mode { MODE_INLINE, MODE_IOWQ, MODE_POLL, MODES };


struct op_stats {
	char *name;		/* op_str as the kernel spelled it */
	enum op_kind kind;
	uint64_t count, errors, bytes, total_ns, max_ns;
	uint64_t modes[MODES];
	struct hist lat, depth;
};

struct ring {
	uint64_t inflight;
	int pid, fd;		/* who created it, its fd; 0/-1 when before the capture */
};

struct request {
	uint64_t ts, ctx;
	unsigned int op;
	uint64_t flags;
	int tid, pid, worker, fd;
	long uid, euid;
	char comm[16];
	enum req_mode mode;
	bool sq_thread, failed_init;
	int init_error;
	/* the children lower layers attribute to it (report_request_add) */
	struct call *owner;
	uint64_t id;
};

/* A process's requests punted to io-wq: its workers' I/O is theirs when one is */
struct punted {
	uint64_t n, id;
};

/* A finished request kept for "Slowest async requests" */
struct slow {
	struct call c;		/* name: the opcode; path owned */
	const char *mode;
	int worker, ring_pid, ring_fd, fd;
	bool sq_thread;
};

/* A process's or a file's requests, apart from its syscalls */
struct async_agg {
	uint64_t count, errors, bytes, total_ns;
	int pid;
	long uid;
	char comm[16];
};

struct uring_state {
	struct intmap by_proc;		/* tgid -> struct async_agg */
	struct strmap by_file;		/* path -> struct async_agg */
	struct intmap pending;		/* key(ctx, req) -> struct request */
	struct intmap rings;		/* ctx -> struct ring */
	struct intmap punted;		/* tgid -> struct punted */
	struct op_stats ops[NR_OPS];
	struct slow *slow;
	size_t nr_slow, max_slow;
	struct field_ref cr_ctx, cr_fd;
	struct field_ref s_ctx, s_req, s_op, s_flags, s_sqt, s_opstr;
	struct field_ref q_ctx, q_req;
	struct field_ref f_ctx, f_req, f_fd;
	struct field_ref p_ctx, p_req;
	struct field_ref x_ctx, x_req, x_op, x_err, x_opstr;
	struct field_ref c_ctx, c_req, c_res, c_cflags;
	struct field_ref aio_ret, aio_nr;
	uint64_t completions, unmatched, no_req, replaced, filtered;
	uint64_t waits, short_writes, registers, worker_done;
	uint64_t fixed_files, no_file, open_no_path, close_untracked;
	/* Linux AIO */
	uint64_t aio_calls, aio_iocbs, aio_failed, aio_reaped, aio_asked;
	struct hist aio_batch;
	/* the block requests io_submit issued: their queue-to-completion time */
	struct intmap aio_procs;	/* tgid -> struct aio_proc */
	uint64_t aio_rqs, aio_bytes, aio_rq_errors, aio_capped, aio_max_ns;
	struct hist aio_lat;
	bool recorded;
};

/*
 * A process's io_submit calls as one owner of children: the block layer
 * attributes the requests queued inside io_submit to it, and they are
 * taken from it at the process's next io_submit or io_getevents
 */
struct aio_proc {
	struct call *owner;
	uint64_t id;
};

/* uring-report.c */
extern const struct table_desc *const uring_tables[];
void uring_report_free(void *state);

#endif /* FTIO_PLUGIN_URING_H */
