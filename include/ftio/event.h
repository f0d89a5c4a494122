/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a layer reads from a decoded event: the event itself, its fields
 * found once by name (struct field_ref) and read by offset on every
 * event, and the libtraceevent tep of the recording's stored formats,
 * where a layer looks its events up.  The decoder (src/decode/) produces
 * these; a layer never sees how.
 */
#ifndef FTIO_EVENT_H
#define FTIO_EVENT_H

#include <stdbool.h>
#include <stdint.h>

struct decoder;
struct tep_handle;
struct tep_event;

/*
 * struct ftio_event - one decoded event.  @data borrows the current
 * sub-buffer of its CPU: it is valid until the next decoder_next().
 */
struct ftio_event {
	uint64_t ts;
	int cpu;
	int pid;		/* common_pid: the thread id */
	struct tep_event *event;	/* NULL when the recording has no format for it */
	void *data;
	int size;
	unsigned int missed;	/* events the kernel lost on this CPU just before this one */
	/* a perf counter group's values read with this sample, in group order */
	const uint64_t *values;
	int nr_values;
};

/* struct field_ref - a field's place in its event, resolved once */
struct field_ref {
	int offset;
	int size;
	bool is_signed;
	bool is_dynamic;	/* __data_loc: offset/length word */
	bool is_relative;	/* __rel_loc */
	bool valid;
};

/* Resolves @name in @event; returns 0 or -ENOENT (ref->valid false) */
int field_ref_init(struct field_ref *ref, struct tep_event *event, const char *name);
uint64_t field_u64(struct decoder *d, const struct ftio_event *ev, const struct field_ref *f);
int64_t field_s64(struct decoder *d, const struct ftio_event *ev, const struct field_ref *f);
/*
 * field_str - a string field's bytes (not NUL-terminated when it fills the
 * record); *@len gets the length up to the first NUL.  NULL when invalid.
 */
const char *field_str(struct decoder *d, const struct ftio_event *ev, const struct field_ref *f,
		      int *len);

/* The tep built from the recording's formats, owned by the decoder */
struct tep_handle *decoder_tep(struct decoder *d);

#endif /* FTIO_EVENT_H */
