/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct call: one syscall from enter to exit on one thread, with what
 * the models knew at the time (who, which file, which mount) and the work
 * the lower layers attributed to it.  Layers and views share this type.
 */
#ifndef FTIO_CALL_H
#define FTIO_CALL_H

#include <stdbool.h>
#include <stdint.h>

struct mount;

/* struct call_child - work below a call, attributed by a lower layer */
struct call_child {
	const char *layer;	/* "block", "fuse", "pagecache", "fs", "lookup", "nfs", "rpc" */
	const char *what;	/* opcode or operation, static string */
	uint64_t start_ns;
	uint64_t latency_ns;	/* time the call spent on it (block: queue + device) */
	/* the layer's own (block: q2d/d2c, rpc: rtt/backlog, pagecache: pages); views ask it */
	uint64_t a, b;		/* through ftio_layer.child_view, never by the layer's name */
	uint64_t bytes;
	uint32_t dev;		/* kernel dev_t as the event gives it, 0 when none */
	int32_t error;
	uint32_t count;		/* how many events this child sums */
};

/* What --counters measured across a call, by the report's name for it */
enum call_counter {
	CTR_ONCPU_NS,		/* task-clock */
	CTR_CTX_SWITCHES,
	CTR_MAJOR_FAULTS,
	CTR_MINOR_FAULTS,
	CTR_INSTRUCTIONS,
	CTR_CYCLES,
	CALL_COUNTERS
};

/* The report's names of enum call_counter: "oncpu_ns", "ctx_switches", ... */
extern const char *const call_counter_keys[CALL_COUNTERS];

struct call {
	const char *name;	/* syscall name without sys_ prefix */
	int kind;		/* enum sc_kind (ftio/syscall-table.h) */
	int tid, pid;
	char comm[16];
	long uid, euid;		/* -1: unknown */
	uint64_t start_ns;
	uint64_t latency_ns;
	int64_t ret;
	int err;		/* errno, 0 on success */
	uint64_t args[6];
	char *path;		/* absolute path, or a kernel name ("pipe:[12]"); NULL unknown */
	uint64_t path_uptr;	/* the user pointer of the path argument, 0 when none */
	int dirfd;		/* what a relative path is resolved against */
	const char *err_origin;	/* first kernel function seen returning the error */
	uint8_t path_method;	/* enum path_method (ftio/model.h) */
	bool path_cut;		/* @path is the kernel's cut copy, ending in "..." */
	const char *path_why;	/* why the path is unknown (static string) */
	uint8_t fd_kind;	/* enum fd_kind (ftio/syscall-table.h): what @path names */
	char *detail;		/* a socket's family and peer, who made a pipe ...; NULL */
	const struct mount *mount;
	uint64_t bytes;		/* transferred by read/write families */
	bool tainted;		/* lost events while in flight: latency not trusted */
	int cpu;
	unsigned int ctr_mask;	/* 1 << enum call_counter for each measured */
	uint64_t ctr[CALL_COUNTERS];
	struct call_child *children;
	unsigned int nr_children;
};

#endif /* FTIO_CALL_H */
