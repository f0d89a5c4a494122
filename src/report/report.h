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
#include <ftio/syscall-table.h>

#include "decode/decoder.h"
#include "parse-options.h"
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

/* One pipe, socket or other non-file object the calls waited on (first member: its agg) */
struct nonfile_row {
	struct agg agg;
	uint8_t kind;		/* enum fd_kind */
	char *detail;		/* the last one a call knew */
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
	uint8_t fd_kind;	/* enum fd_kind */
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
	struct intmap handlers;		/* event id -> struct handler chain */
	struct handler **handler_by_id;	/* the same for ids of 16 bits: no hash per event */
	const char *dyn_group;
	/* exporters see every reported call (after filters), in time of exit */
	struct call_observer {
		void (*fn)(struct report *r, const struct call *c, void *arg);
		void *arg;
	} observers[4];
	unsigned int nr_observers;
	/* and every reported async request (io_uring), with its engine */
	struct request_observer {
		void (*fn)(struct report *r, const struct call *c, const char *engine, void *arg);
		void *arg;
	} req_observers[4];
	unsigned int nr_req_observers;
	/* in-flight calls by tid, owned by the syscalls layer */
	struct intmap inflight;
	/* async requests: id -> struct call (the layer's), tid -> id being issued */
	struct intmap requests, issuing;
	uint64_t next_request;
	/* pending path strings by tid */
	struct intmap paths;
	/* the syscalls whose paths a probe of the recording can bring (report_path_covers) */
	struct strmap path_covered;
	bool path_covers_all;
	struct report_layer layers[16];
	unsigned int nr_layers;

	/* aggregates */
	uint64_t events;
	uint64_t calls;		/* all calls seen, before filters */
	uint64_t calls_kept;
	struct agg total;
	struct agg files;	/* the calls on files: not pipes, sockets, ... (Findings) */
	struct intmap by_syscall;	/* name pointer -> struct agg + name */
	struct intmap by_mount;		/* mount pointer -> struct agg */
	struct strmap by_file;		/* path -> struct agg */
	struct strmap by_nonfile;	/* kernel name -> struct nonfile_row */
	uint64_t nonfile_calls[FD_KINDS];	/* calls on each kind that is not a file */
	struct intmap by_proc;		/* tgid -> struct proc_row */
	struct intmap by_uid;		/* uid + 1 -> struct agg */
	/*
	 * Each table's last row: calls come in runs on one syscall, file,
	 * process and uid, and a hit costs a compare instead of a hash
	 */
	struct {
		const void *name;	/* a syscall's name pointer */
		struct agg *sc;
		const void *mount;	/* a struct mount pointer */
		struct agg *mt;
		struct strmap_entry *file;
		struct proc_row *proc;
		long uid;
		struct agg *ua;
	} hot;
	struct strmap errors;		/* key -> struct error_row */
	struct strmap found_names;	/* file names some call used successfully (built on use) */
	bool found_names_built;
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


/*
 * The syscalls the audit covers in this recording: every one of the table
 * it traced (its events are in the recording), in the table's order, in
 * @names (room for @max); returns how many
 */
size_t report_audited(struct report *r, const char **names, size_t max);

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

/* A call kept past its callback: its strings and children copied, freed by report_free_call() */
void report_copy_call(struct call *dst, const struct call *src);
void report_free_call(struct call *c);

/*
 * report_call_layers - the time @c spent in each layer under it, as the
 * report's "time below the syscalls" counts it: its children summed per
 * layer and capped at the call's latency.  @out gets at most @max entries
 * (@calls 1 each), in the order the layers first appear among the children.
 * Returns how many.
 */
unsigned int report_call_layers(const struct call *c, struct layer_time *out, unsigned int max);

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
/*
 * report_filter_path - the -p filter in force: @path, when not NULL,
 * replaces the one given (the recorder's resolved path, the recording's
 * own); "/mnt/nas/" and "/mnt/nas" mean the same directory.
 */
void report_filter_path(struct report *r, const char *path);

/* Those options, for a command's option table (parse-options.h) */
#define REPORT_FILTER_OPTIONS \
	OPT_SHORT('p', "path", required_argument, "<path>", "only calls on files at or under <path>"), \
	OPT_LONG("pid", 'P', required_argument, "<pid>", "only calls of the process <pid>"), \
	OPT_LONG("tid", 'T', required_argument, "<tid>", "only calls of the thread <tid>"), \
	OPT_LONG("comm", 'c', required_argument, "<name>", "only calls of threads named <name>"), \
	OPT_LONG("uid", 'u', required_argument, "<uid>", "only calls whose real or effective uid is <uid>"), \
	OPT_LONG("syscall", 's', required_argument, "<name>[,...]", "only these syscalls (openat, read, ...)"), \
	OPT_LONG("min-latency", 'm', required_argument, "<duration>", "only calls that took at least <duration> (2ms)"), \
	OPT_LONG("errors", 'E', no_argument, NULL, "only failed calls; Errors shows every row"), \
	OPT_LONG("since", 'S', required_argument, "<s>", "only calls started <s> or more after the start"), \
	OPT_LONG("until", 'U', required_argument, "<s>", "only calls started at most <s> after the start")


/* Registers @fn to see each reported call; call before report_run() */
void report_observe(struct report *r, void (*fn)(struct report *r, const struct call *c, void *arg),
		    void *arg);
/*
 * report_observe_requests - call @fn with every async request the filters
 * keep (an io_uring opcode in @c->name, its @engine), when it completes
 */
void report_observe_requests(struct report *r,
			     void (*fn)(struct report *r, const struct call *c, const char *engine,
					void *arg),
			     void *arg);
uint64_t report_lost_events(struct report *r);

/* The table descriptions, for the layers that describe their tables */
#include <ftio/table.h>

/* devices.c and counts.c, for report.c: once, before and after the decoding */
void report_load_blockdevs(struct report *r);
void report_load_snapshot_inodes(struct report *r);
void report_sum_damage(struct report *r);

#endif /* FTIO_REPORT_H */
