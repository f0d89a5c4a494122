/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorder: what `ftio record` does, as named steps over one struct
 * recorder.  The command parses its options into @o and then runs
 *
 *	recorder_plan()			root, -p, tracefs, stale leftovers, the layers' plan
 *	recorder_prepare_output()	--nice/--cpu, the output file, the flight ring's room
 *	recorder_open_transport()	the writer, the sessions, the workload (held)
 *	recorder_arm()			events, probes, filters, metadata, readers, tracing on
 *	recorder_run()			until the command exits, a signal, -d or an error
 *	recorder_drain()		tracing off, the readers drained
 *	recorder_finish()		END chunk, summary, sessions and dynamic events removed
 *	recorder_release()		the exit code
 *
 * The first two may die(): nothing in the kernel has changed yet.  From
 * recorder_open_transport() on a step prints what failed (the messages
 * are the command's, and they interleave with its progress lines) and
 * returns -1; recorder_drain() and recorder_finish() then run on every
 * way out, so ftio's instances and dynamic events are always removed.
 */
#ifndef FTIO_RECORDER_H
#define FTIO_RECORDER_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "record/plan.h"
#include "record/syscall-source.h"
#include "record/transport.h"
#include "lib/util.h"

#define DEFAULT_LAYERS "syscalls,paths,block,fuse,pagecache,fs,vfs,io_uring"
#define PAGES_PER_CHUNK 64	/* 256 KiB of 4 KiB sub-buffers: zstd gains little past that */
#define FLUSH_MS 1000
#define PERF_STREAM 2		/* FTIO_CHUNK_PERF chunks */

enum backend { BACKEND_AUTO, BACKEND_TRACEFS, BACKEND_PERF };

struct counter_spec;
struct chunk_sink;
struct session;

#include "record/hook.h"

struct record_opts {
	const char *output;
	char *layers;
	const char *path;
	char *path_abs;		/* owns path once made absolute */
	uint64_t path_dev;	/* kernel dev_t of -p's filesystem, 0 without -p */
	pid_t *pids;
	size_t nr_pids;
	unsigned long buffer_kb;
	uint64_t duration_ns;
	int level;
	int quiet;
	char **command;
	uint64_t max_size;
	unsigned int max_files;
	uint64_t split_ns;
	uint64_t sync_ns;
	int nice;
	bool set_nice;
	int cpu;
	uint64_t flight;	/* ring size; 0: not a flight recorder */
	uint64_t trigger_latency;
	int *trigger_errnos;
	uint64_t before_ns, after_ns;
	bool set_owner;		/* --user, or the user behind sudo */
	uid_t owner_uid;
	gid_t owner_gid;
	enum backend backend;
	const char *on_rotate;	/* --on-rotate CMD, or NULL */
	struct counter_spec *counters;
	size_t nr_counters;
	/* a live consumer (ftio trace): the writer's tap, the readers' flush */
	struct chunk_sink *tap;
	bool tap_only;		/* no recording: nothing compressed or written */
	unsigned int live_flush_ms;
	pid_t notrace_tid;	/* one more thread of ours kept out of the trace */
	/*
	 * kernel filters of the live commands, which filter the calls again
	 * themselves: the syscalls a --syscall names (NULL: all; see
	 * syscall_source_keep()) and a --comm for the syscall events
	 */
	char *const *syscalls;
	const char *comm;
	enum syscall_source syscall_source;	/* --syscall-source, before auto resolves */
	bool boot_instance;	/* --boot-instance: arm the boot-mapped instance (record/boot.h) */
	bool output_given;	/* -o was given */
};

struct recorder {
	struct record_opts o;
	struct record_plan plan;
	bool want_async;	/* the plan has events of other contexts */
	struct transport t;
	struct chunk_writer *w;
	int fd;			/* the first file, until the writer owns it */
	char *first_file;
	char *old;		/* where an earlier recording was kept */
	struct strbuf meta, strategy, unavail, perf_meta;
	enum syscall_source sc_source;	/* what --syscall-source resolved to */
	int sc_ids;		/* raw_syscalls: how many ids the filter lets through */
	int sc_dropped;		/* syscalls o.syscalls left out of the plan */
	unsigned int sc_strbuf;	/* the instance's syscall_user_buf_size, 0 without one */
	sigset_t sigs;
	pid_t child;		/* the workload, 0 when none or reaped */
	int go, errpipe;	/* its start pipe and exec-error pipe */
	int ret;		/* -1 once a step failed */
	int exit_code;		/* the workload's */
	bool started;		/* tracing was turned on */
	const char *stop_reason;
	uint64_t start;
	/* the recorder's own scheduling before --nice and --cpu, for the workload */
	cpu_set_t orig_cpus;
	int orig_nice;
	struct rotate_hook hook;	/* --on-rotate */
};

/* Fills @r with the defaults of every option */
void recorder_init(struct recorder *r);
void recorder_plan(struct recorder *r);
void recorder_prepare_output(struct recorder *r);
int recorder_open_transport(struct recorder *r);
int recorder_arm(struct recorder *r);
void recorder_run(struct recorder *r);
void recorder_drain(struct recorder *r);
void recorder_finish(struct recorder *r);
/*
 * Shared with the boot instance's arming (record/boot.c): the largest path
 * strings the instance's syscall events may carry (Linux 6.19+), and the
 * strategy's " syscalls=..." words
 */
void recorder_syscall_strings(struct recorder *r, struct session *s);
void recorder_describe_syscalls(struct recorder *r);
/* Frees what @r holds; returns the command's exit code */
int recorder_release(struct recorder *r);

#endif /* FTIO_RECORDER_H */
