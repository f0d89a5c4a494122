/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report engine: it drives the decoder, dispatches events to the
 * layers' handlers, keeps the system model current, and folds finished
 * calls into bounded aggregates (histograms per syscall, mount, file,
 * process and uid; error and audit tables; the slowest calls).  Memory is
 * bounded by distinct keys and open calls, never by the number of events.
 */
#ifndef FTIO_REPORT_H
#define FTIO_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <ftio/call.h>
#include <ftio/layer.h>

#include "decode/decoder.h"
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include "decode/lifecycle.h"
#include "decode/model.h"
#include "format/recording.h"
#include <ftio/strmap.h>

struct report_filter {
	long pid, tid, uid;	/* -1: any */
	const char *comm;
	const char *path;	/* prefix, at a component boundary */
	size_t path_len;
	char **syscalls;	/* NULL-terminated, or NULL: any */
	uint64_t min_latency;
	bool errors_only;
	uint64_t since, until;	/* ns from the capture start; until 0: none */
};

/* struct agg - the aggregate every table row carries */
struct agg {
	uint64_t count;
	uint64_t errors;
	uint64_t total_ns;
	uint64_t max_ns;
	uint64_t bytes;
	struct hist lat;
	/* calls measured by --counters, and their sums */
	uint64_t ctr_calls;
	uint64_t ctr_latency_ns;
	uint64_t ctr[CALL_COUNTERS];
};

struct proc_row {
	int pid;
	char comm[16];
	long uid;
	struct agg agg;
};

struct error_row {
	const char *syscall;
	int err;
	const char *origin;	/* first kernel function seen failing (vfs layer) */
	char *path;
	long uid;
	int pid;
	char comm[16];
	uint64_t count;
	uint64_t first_ns, last_ns;
};

struct audit_row {
	uint64_t ts;
	const char *syscall;	/* or the request's opcode */
	const char *engine;	/* "syscall", "io_uring" */
	int err;
	const char *origin;
	long uid, euid;
	int pid, tid;
	char comm[16];
	char *path;
	uint64_t latency_ns;
};

struct report_layer {
	const struct ftio_layer *layer;
	void *state;
};

#define REPORT_MAX_CPUS 1024

/* What a cut or damaged recording is missing, over all its files */
struct report_damage {
	uint64_t damaged_bytes;		/* skipped inside the files */
	uint64_t truncated_bytes;	/* an incomplete chunk at the end */
	uint64_t bad_chunks;		/* chunks that failed their checksum or inflation */
	size_t no_end;			/* files without their END chunk (cut short) */
};

struct report {
	struct recording *rec;		/* the first file: metadata and snapshots */
	struct recording *last;		/* the last file: final ring-buffer statistics */
	struct recording **recs;	/* every file, for the damage */
	size_t nr_recs;
	struct decoder *d;
	struct model m;
	struct lifecycle lc;
	struct report_filter f;
	char *path_arg;		/* owns f.path when given on the command line */
	unsigned int top;
	uint64_t start_ns;	/* capture start, in event time */
	uint64_t first_ts, last_ts;
	/* dispatch: event id -> struct handler chain */
	struct intmap handlers;
	const char *dyn_group;
	/* exporters see every reported call (after filters), in time of exit */
	struct call_observer {
		void (*fn)(struct report *r, const struct call *c, void *arg);
		void *arg;
	} observers[4];
	unsigned int nr_observers;
	/* in-flight calls by tid, owned by the syscalls layer */
	struct intmap inflight;
	/* async requests: id -> struct call (the layer's), tid -> id being issued */
	struct intmap requests, issuing;
	uint64_t next_request;
	/* pending path strings by tid */
	struct intmap paths;
	struct report_layer layers[16];
	unsigned int nr_layers;

	/* aggregates */
	uint64_t events;
	uint64_t calls;		/* all calls seen, before filters */
	uint64_t calls_kept;
	struct agg total;
	struct intmap by_syscall;	/* name pointer -> struct agg + name */
	struct intmap by_mount;		/* mount pointer -> struct agg */
	struct strmap by_file;		/* path -> struct agg */
	struct intmap by_proc;		/* tgid -> struct proc_row */
	struct intmap by_uid;		/* uid + 1 -> struct agg */
	struct strmap errors;		/* key -> struct error_row */
	struct audit_row *audit;
	size_t nr_audit;
	uint64_t audit_total;
	struct call *slowest;		/* min-heap by latency, @top entries */
	size_t nr_slowest;
	uint64_t path_methods[PATH_METHODS];
	struct strmap inodes;		/* (dev, ino) -> path */
	struct intmap blockdevs;	/* kernel dev_t -> name, from the snapshot */
	struct layer_time {
		const char *layer;
		uint64_t ns;		/* clipped to each call's latency */
		uint64_t calls;
	} layer_time[8];
	unsigned int nr_layer_time;
	uint64_t uid_unknown;
	unsigned int ctr_mask;		/* 1 << enum call_counter the recording measured */
	struct counter {
		const char *what;
		uint64_t n;
	} counters[32];
	unsigned int nr_counters;
	uint64_t pairing[PAIR_CAUSES];
	uint64_t cpu_last[REPORT_MAX_CPUS];	/* each CPU's last event, for the damage */
	struct report_damage damage;	/* summed by report_run() */
};


/* After report_run(): true when a file was cut or damaged (r->damage says how) */
bool report_damaged(const struct report *r);
/* Nothing lost by the kernel, dropped in pairing, or damaged */
bool report_complete(struct report *r);

/*
 * report_init - set @r up to decode @recs, the @nr_recs files of one
 * capture in time order (they must outlive @r): the decoder, the model
 * from the first file's snapshots, and each layer the recording names in
 * meta/layers.  Set @r's filter and top before.
 * Returns 0 or -errno (decoder setup failure).
 */
int report_init(struct report *r, struct recording **recs, size_t nr_recs);
/*
 * report_init_decoder - report_init() with the decoder given (a live one,
 * decoder_new_live()); @r owns @d from now on
 */
void report_init_decoder(struct report *r, struct recording **recs, size_t nr_recs,
			 struct decoder *d);
/* One decoded event through the layers' handlers and the model */
void report_feed(struct report *r, const struct ftio_event *ev);
/* After the last report_feed(): the layers account for what is still open */
void report_end(struct report *r);
/*
 * report_run - decode every event through the layers' handlers, then let
 * each layer account for what is still open.  Returns 0.
 */
int report_run(struct report *r);
/* Frees what report_init() and report_run() built; the recordings stay the caller's */
void report_release(struct report *r);

void report_free_call(struct call *c);

/*
 * Latency not spent on the CPU; the counts span the raw syscall, a little
 * wider than the latency, so on-CPU time may exceed it: clamped at zero
 */
static inline uint64_t offcpu_ns(uint64_t latency_ns, uint64_t oncpu_ns)
{
	return latency_ns > oncpu_ns ? latency_ns - oncpu_ns : 0;
}

/* Table rows for the views: a key (map key, or a string) and its value */
int report_row_total_desc(const void *a, const void *b);	/* struct agg values */
int report_row_proc_desc(const void *a, const void *b);		/* struct proc_row values */
int report_row_error_desc(const void *a, const void *b);	/* struct error_row values */

/*
 * report_filter_arg - apply one of the filter options every reading command
 * shares (-p/--path 'p', --pid 'P', --tid 'T', --uid 'u', --comm 'c',
 * --syscall 's', --min-latency 'm', --errors 'E', --since 'S', --until 'U');
 * a bad value is a usage error (exit 129).  Returns false for other options.
 */
bool report_filter_arg(struct report *r, int opt, const char *arg, const char *const *usage);

/* The getopt_long entries of those options, for a command's option table */
#define REPORT_FILTER_LONGOPTS \
	{ "path", required_argument, NULL, 'p' }, \
	{ "pid", required_argument, NULL, 'P' }, \
	{ "tid", required_argument, NULL, 'T' }, \
	{ "comm", required_argument, NULL, 'c' }, \
	{ "uid", required_argument, NULL, 'u' }, \
	{ "syscall", required_argument, NULL, 's' }, \
	{ "min-latency", required_argument, NULL, 'm' }, \
	{ "errors", no_argument, NULL, 'E' }, \
	{ "since", required_argument, NULL, 'S' }, \
	{ "until", required_argument, NULL, 'U' }


/* Registers @fn to see each reported call; call before report_run() */
void report_observe(struct report *r, void (*fn)(struct report *r, const struct call *c, void *arg),
		    void *arg);
uint64_t report_lost_events(struct report *r);

/* The table descriptions, for the layers that describe their tables */
#include <ftio/table.h>

#endif /* FTIO_REPORT_H */
