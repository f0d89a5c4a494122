/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layer interface.  A layer is one `const struct ftio_layer` in
 * plugins/: at record time it says which events (and dynamic events) it
 * needs, at report time it registers handlers for decoded events and adds
 * what it found to the report.  Layers never touch tracefs or files.
 *
 * This header and the others of include/ftio/ are the whole of what a
 * layer sees (as libperf's include/perf): plugins/ are built without
 * -Isrc, struct report, struct record_plan and struct model stay opaque,
 * and the services below are how a layer reaches them.  src/layers.c
 * lists the layers.
 */
#ifndef FTIO_LAYER_H
#define FTIO_LAYER_H

#include <stdbool.h>
#include <stdint.h>

#include <ftio/call.h>
#include <ftio/table.h>

struct record_plan;
struct report;
struct ftio_event;
struct strbuf;
struct decoder;
struct model;
struct intmap;
struct table_desc;

/*
 * What a layer may ask the recorder for (src/record/plan.c).  An event
 * that fires in the context of the thread doing the I/O is "synchronous";
 * one that fires elsewhere (an interrupt completing a block request, a
 * FUSE daemon answering) is asynchronous, and must not be filtered by the
 * traced pids, so the recorder puts it in a second, unfiltered instance.
 */
void plan_add_event(struct record_plan *p, const char *system, const char *event);
void plan_add_async_event(struct record_plan *p, const char *system, const char *event);
/* Every event of @system named in @names (NULL: every event of the system) */
void plan_add_events(struct record_plan *p, const char *system, const char *const *names);
void plan_add_async_events(struct record_plan *p, const char *system, const char *const *names);
/*
 * A uprobe on exported C-library function @func; @arg is the 0-based
 * argument holding a user path.  The recorder resolves the file offset
 * and the architecture's argument register.
 */
void plan_add_libc_path_uprobe(struct record_plan *p, const char *func, int arg);
/*
 * A kprobe (or kretprobe with @ret) named @event on the first of
 * @symbols (NULL-terminated) that this kernel has.  In @fetch, ARG0..ARG5
 * stand for the architecture's argument registers.  Kernels without
 * kprobe_events skip it; a probe the kernel refuses only loses itself.
 */
void plan_add_kprobe(struct record_plan *p, const char *event, const char *const *symbols,
		     const char *fetch, bool ret);

/*
 * Whether the recording's syscall events for @syscall ("openat") carry
 * its path string (Linux 6.19+: a __data_loc "__<arg>_val" field), so
 * that no uprobe is needed for it.  False with the raw_syscalls source;
 * true for a syscall this kernel does not have (nothing can issue it).
 */
bool plan_syscall_has_string(struct record_plan *p, const char *syscall);

typedef void (*event_fn)(struct report *r, const struct ftio_event *ev, void *priv);

/* Report-time services for layers (src/report/) */
void report_on_event(struct report *r, const char *system, const char *event, event_fn fn,
		     void *priv);
/* Every event of @system (a NULL system: the recording's dynamic-event group) */
void report_on_system(struct report *r, const char *system, event_fn fn, void *priv);
struct decoder *report_decoder(struct report *r);
struct model *report_model(struct report *r);
/* A finished call, for the views; the report copies what it keeps */
void report_add_call(struct report *r, struct call *c);
/*
 * An asynchronous request (io_uring, aio) as a struct call: whether the
 * report's filters keep it (--syscall matches its @engine or its opcode,
 * @c->name), and its denial (EACCES, EPERM) for the audit, by @engine
 */
bool report_request_passes(struct report *r, const struct call *c, const char *engine);
void report_add_denial(struct report *r, const struct call *c, const char *engine);
/* A request the filters kept, once complete: for the exporters (they copy what they keep) */
void report_request_done(struct report *r, const struct call *c, const char *engine);
/*
 * Asynchronous requests as owners of children.  A layer that sees an
 * async request (io_uring) adds its struct call (which must stay put
 * until report_request_del) and gets an id; while the request is being
 * issued on a thread, report_request_issuing() says so (id 0: no longer).
 * A lower layer that finds no syscall in flight asks which request its
 * thread is issuing, keeps the id, and attaches its child later through
 * report_request_call(), which is NULL once the request is gone.  A
 * thread issuing nothing of its own whose name is an io-wq worker's
 * ("iou-wrk-") works for its process's request issued on -tgid.
 */
uint64_t report_request_add(struct report *r, struct call *c);
void report_request_del(struct report *r, uint64_t id);
void report_request_issuing(struct report *r, int tid, uint64_t id);
uint64_t report_request_issuing_on(struct report *r, int tid);
struct call *report_request_call(struct report *r, uint64_t id);
/* The call in flight on @tid, for lower layers to attach children to */
struct call *report_current_call(struct report *r, int tid);
void call_add_child(struct call *c, const struct call_child *child);
/* The paths layer offers user strings; the syscalls layer takes them */
void report_path_offer(struct report *r, int tid, uint64_t uptr, const char *path, int len,
		       int method);
/* Returns a malloc'd path for (@tid, @uptr) or NULL */
char *report_path_take(struct report *r, int tid, uint64_t uptr, int *method);
/*
 * A path layer's probes in this recording can bring the path of
 * @syscall (NULL: of every syscall, as a kprobe on getname does), so that
 * a call left without one is told apart from a call nothing could name
 */
void report_path_covers(struct report *r, const char *syscall);
bool report_path_covered(struct report *r, const char *syscall);
/* Counts a named condition shown in the report's Capture section */
void report_count(struct report *r, const char *what, uint64_t n);
/* Events that could not be paired, by cause (the Capture section's "pairing:") */
enum pairing_cause {
	PAIR_EXIT_NO_ENTER,		/* a syscall exit without its enter */
	PAIR_COMPLETE_NO_ISSUE,		/* a block completion without its issue */
	PAIR_IN_FLIGHT,			/* a block request issued, still in flight at the stop */
	PAIR_COMPLETION_LOST,		/* issued long before the end, its completion never seen */
	PAIR_FUSE_NO_REQUEST,		/* a FUSE reply without its request */
	PAIR_CAUSES
};
extern const char *const pairing_keys[PAIR_CAUSES];
/* Counts @n failures of @cause, also as a note of the Capture section */
void report_pairing(struct report *r, enum pairing_cause cause, uint64_t n);
/* The timestamp of the last event decoded */
uint64_t report_last_ts(struct report *r);
/* The recording's attribute @key ("meta/cpus"), or NULL when it has none */
const char *report_attr(struct report *r, const char *key);
uint64_t report_attr_u64(struct report *r, const char *key, uint64_t def);
/*
 * The calls in flight, by tid (struct call *): the syscalls layer adds,
 * removes and frees them; the report marks them tainted on a loss
 */
struct intmap *report_inflight(struct report *r);
/* The recording measured counter @k per call: the views show its columns */
void report_measures(struct report *r, enum call_counter k);

/* What a view asks a layer about a child it attributed (see ftio_layer.child_view) */
enum child_view_kind {
	CHILD_TEXT,	/* the drill-down's line after "|- ", with its newline */
	CHILD_JSON,	/* JSON members after the generic ones, each starting with a comma */
	CHILD_REQUEST,	/* whether it is a device request, and its queue and device times */
};

struct child_view {
	enum child_view_kind kind;
	/* CHILD_TEXT: the sum of a call's children of one (layer, what, device) */
	const struct call_child *ch;
	uint64_t n, failed;		/* CHILD_TEXT: how many were summed, how many failed */
	const char *error;		/* CHILD_TEXT: the errno name of the last that failed */
	struct strbuf *out;		/* CHILD_TEXT, CHILD_JSON */
	uint64_t queue_ns, device_ns;	/* CHILD_REQUEST */
};

/*
 * report_child_view - ask the layers what a call's child means
 * @r: the report
 * @v: the question, with @v->kind and @v->ch set
 *
 * Returns true when a layer answered (for CHILD_TEXT and CHILD_JSON: it
 * appended to @v->out), false when no layer claims the child.
 */
bool report_child_view(struct report *r, struct child_view *v);

struct ftio_layer {
	const char *name;
	const char *summary;
	void (*plan)(struct record_plan *p);
	/* report time: register handlers; returns the layer's state (or NULL) */
	void *(*report_init)(struct report *r);
	/* end of the recording: account for what is still open */
	void (*report_finish)(struct report *r, void *state);
	/*
	 * the layer's tables (NULL-terminated, may be NULL), described once
	 * (src/report/table.h) and rendered by the text and JSON views with
	 * the layer's state, before what report_text and report_json add
	 */
	const struct table_desc *const *tables;
	/* the layer's own report sections, appended to @out */
	void (*report_text)(struct report *r, void *state, struct strbuf *out);
	/* JSON members, each starting with a comma: ,"devices":[...] */
	void (*report_json)(struct report *r, void *state, struct strbuf *out);
	void (*report_free)(void *state);
	/*
	 * A view's question about @v->ch, so that no view needs to know what
	 * a layer's children mean (call_child.a and .b are the layer's own).
	 * Returns false for a child of another layer, or to leave the view
	 * its generic rendering (the layer, what, count and time).
	 */
	bool (*child_view)(struct report *r, struct child_view *v);
};

/* A layer's child of @c that sums events of one kind (e.g. page-cache misses) */
struct call_child *call_child_find(struct call *c, const char *layer, const char *what,
				   uint32_t dev);
/* "loop0" for a kernel dev_t of the recorded machine, else "7:0" */
const char *report_dev_name(struct report *r, uint32_t dev, char *buf, size_t size);
/* Path of a file known by its device and inode, or NULL */
const char *report_inode_path(struct report *r, uint32_t dev, uint64_t ino);
void report_inode_learn(struct report *r, uint32_t dev, uint64_t ino, const char *path);
/* The mount whose device is @dev (kernel dev_t), or NULL */
const struct mount *report_dev_mount(struct report *r, uint32_t dev);
/* Start of the capture in event time, for relative timestamps */
uint64_t report_start_ns(struct report *r);
unsigned int report_top(struct report *r);

#endif /* FTIO_LAYER_H */
