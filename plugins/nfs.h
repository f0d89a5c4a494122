/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nfs layer's state, shared by its two halves: plugins/nfs.c follows
 * the events (client operations, RPC tasks, errors) and fills it,
 * plugins/nfs-report.c describes it as the report's tables.  Nothing
 * outside the layer includes this.
 */
#ifndef FTIO_PLUGIN_NFS_H
#define FTIO_PLUGIN_NFS_H

#include <stdbool.h>
#include <stdint.h>

#include <ftio/layer.h>

#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/strmap.h>

/* The sizes of nfs.c's tables (it checks them): client operations, I/O, NFSv4 error events */
#define NR_PAIR_OPS 19
#define NR_IO_OPS 3
#define NR_OPS (NR_PAIR_OPS + NR_IO_OPS)
#define NR_NFS4_ERROR_EVENTS 13

/* An RPC client whose tasks were seen for more than one mount */
#define AMBIGUOUS UINT32_MAX

struct op_stats {
	uint64_t count, errors, total_ns, max_ns, bytes;
	struct hist lat;
};

/* An operation or I/O in flight */
struct nfs_pending {
	uint64_t ts, call_start, fileid;
	const char *call_name;	/* the syscall table's static name */
	uint32_t dev;
	int tid;
	unsigned int op;
};

/* One RPC task, from rpc_task_begin to rpc_stats_latency */
struct rpc_pending {
	uint64_t ts, call_start;
	const char *call_name;
	uint32_t dev1;		/* dev + 1 of the mount it was started for, 0: unknown */
	int tid;
	int status;
	bool ended;
};

/*
 * Per (client, mount, procedure): mounts of one server share an RPC
 * client, so the mount is the one the task's thread last worked on
 */
struct proc_stats {
	const char *proc;	/* interned */
	const char *prog;	/* interned */
	uint32_t client, dev1;
	int version;
	uint64_t count, errors, retrans;
	uint64_t execute_us, backlog_us, rtt_us;
	struct hist rtt, execute;
};

struct file_stats {
	uint32_t dev;
	uint64_t fileid;
	uint64_t ops, total_ns, bytes;
};

struct err_stats {
	const char *what, *name;	/* interned */
	uint64_t count;
};

/* What a handler of one of several events of a kind needs: the state and which */
struct pair_ctx {
	struct nfs_state *st;
	unsigned int op;
};

struct nfs4_ctx {
	struct nfs_state *st;
	unsigned int i;
	const char *name;
};

struct nfs_state {
	struct pair_ctx enter_ctx[NR_PAIR_OPS], exit_ctx[NR_PAIR_OPS], io_ctx[NR_IO_OPS];
	struct nfs4_ctx nfs4_ctx[NR_NFS4_ERROR_EVENTS];
	struct intmap ops;		/* dev -> struct op_stats[NR_OPS] */
	struct intmap pending_ops;	/* op key -> struct nfs_pending */
	struct intmap tasks;		/* client << 32 | task -> struct rpc_pending */
	struct intmap procs;		/* hash(client, proc) -> struct proc_stats */
	struct intmap clients;		/* client -> dev + 1 of its mount, or AMBIGUOUS */
	struct intmap busy_dev;		/* tid -> dev + 1 of its operation in flight */
	struct intmap io_started;	/* tid -> dev + 1 of the I/O it just started */
	struct intmap files;		/* dev ^ fileid -> struct file_stats */
	struct intmap errors;		/* hash(what, name) -> struct err_stats */
	struct strmap names;		/* interned procedure and event names */

	struct field_ref pe_dev[NR_PAIR_OPS], pe_fileid[NR_PAIR_OPS], px_err[NR_PAIR_OPS];
	struct field_ref io_dev[NR_IO_OPS], io_fileid[NR_IO_OPS], io_off[NR_IO_OPS],
		io_count[NR_IO_OPS];
	struct field_ref dn_dev[NR_IO_OPS], dn_fileid[NR_IO_OPS], dn_off[NR_IO_OPS],
		dn_err[NR_IO_OPS], dn_res[NR_IO_OPS];
	struct field_ref tb_task, tb_client, te_task, te_client, te_status;
	struct field_ref sl_task, sl_client, sl_version, sl_prog, sl_proc, sl_backlog, sl_rtt,
		sl_execute;
	struct field_ref rt_task, rt_client, rt_version, rt_prog, rt_proc;
	struct field_ref n4_err[NR_NFS4_ERROR_EVENTS];
	struct field_ref n4x_err, n4x_op, nx_err, nx_proc;
	struct field_ref of_dev, of_fileid, of_name;

	uint64_t attributed, unattributed, unmatched_ops, unmatched_tasks;
};

/* "getattr", "read", ...: the name of operation @op (below NR_OPS) */
const char *nfs_op_name(unsigned int op);

/*
 * The report's tables (operations, RPC procedures, files, errors) and the
 * state's release, in nfs-report.c
 */
extern const struct table_desc *const nfs_tables[];
void nfs_report_free(void *state);

#endif /* FTIO_PLUGIN_NFS_H */
