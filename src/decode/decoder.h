/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decoder turns a recording's SUBBUF chunks back into events, in
 * timestamp order across CPUs, with libtraceevent: a tep rebuilt from the
 * stored formats, and one kbuffer per CPU configured from the recording's
 * long size and byte order (never the host's).
 */
#ifndef FTIO_DECODER_H
#define FTIO_DECODER_H

#include <stdbool.h>
#include <stdint.h>

#include "format/recording.h"

struct tep_handle;
struct tep_event;
struct tep_format_field;

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

#define DECODER_MAX_VALUES 16

struct decoder;

/*
 * decoder_new - build the tep and per-CPU streams of @r (which stays
 * owned by the caller and must outlive the decoder).  Returns NULL with
 * errno set (EBADMSG when the stored header page or formats are unusable).
 */
struct decoder *decoder_new(struct recording *r);
/*
 * decoder_new_multi - one capture split over @n files (rotation), given in
 * time order; formats come from the first.  The array must outlive @d.
 */
struct decoder *decoder_new_multi(struct recording **recs, size_t n);
void decoder_free(struct decoder *d);
struct tep_handle *decoder_tep(struct decoder *d);

/* Restricts decoding to one CPU (-1: all) */
void decoder_set_cpu(struct decoder *d, int cpu);

/* Returns 1 with the next event, 0 at the end */
int decoder_next(struct decoder *d, struct ftio_event *ev);

/* Counters the decoder gathered so far */
struct decoder_stats {
	uint64_t events;
	uint64_t missed;		/* in-band lost-event counts */
	uint64_t missed_unknown;	/* pages flagged lossy without a count */
	uint64_t bad_pages;		/* pages with an impossible header */
	uint64_t unknown_events;	/* records whose type has no stored format */
};
void decoder_get_stats(struct decoder *d, struct decoder_stats *st);

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

#endif /* FTIO_DECODER_H */
