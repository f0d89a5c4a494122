/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a recording: verify the framing, index the chunks, collect the
 * metadata and snapshots, and inflate chunks on demand.  Damage is never
 * fatal past the file header: a bad or cut chunk is skipped (or ends the
 * scan) and described in ->warnings for the command to print.
 */
#ifndef FTIO_RECORDING_H
#define FTIO_RECORDING_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/chunk.h"

struct chunk_ref {
	uint64_t offset;	/* of the chunk header */
	struct chunk_info info;
	bool bad;		/* payload failed its checksum or inflation */
};

struct attr {
	char *name;
	char *value;		/* NUL-terminated copy */
	size_t len;
};

/* A reader's scratch for inflating chunks: one per thread */
struct chunk_inflater {
	void *zbuf;
	size_t zcap;
	void *dctx;		/* ZSTD_DCtx, made on first use */
};
void chunk_inflater_release(struct chunk_inflater *z);

struct recording {
	char *path;
	int fd;
	uint64_t size;
	struct chunk_ref *chunks;
	size_t nr_chunks;
	struct attr *attrs;	/* in file order; later ones win for plain names */
	size_t nr_attrs, attr_cap;
	uint64_t attr_bytes;	/* names and values loaded, for the bound */
	char **warnings;	/* the first RECORDING_MAX_WARNINGS */
	size_t nr_warnings;
	size_t shown_warnings;	/* for the commands: how many were printed */
	uint64_t dropped_warnings;	/* past the cap, counted only */
	uint64_t shown_dropped;	/* for the commands: how many "N more" said */
	uint64_t damaged_bytes;	/* skipped inside the file */
	uint64_t truncated_bytes;	/* an incomplete chunk at the end */
	bool clean_end;		/* an END chunk was found */
	uint64_t attrs_dropped;	/* past the bounds, or with no name */
	struct chunk_inflater z;	/* recording_load()'s scratch */
};

/*
 * recording_open - open and index @path
 * Returns NULL with errno set when @path cannot be read or is not a
 * recording (EBADMSG) or comes from a newer ftio (EPROTONOSUPPORT).
 */
struct recording *recording_open(const char *path);
/* recording_open()'s errno for an input that is not a regular file */
#define RECORDING_ENOTREG ENOSTR
void recording_close(struct recording *r);

/*
 * recording_new_mem - a recording with no file and no chunks, whose
 * metadata comes from recording_add_attrs() (ftio trace's live capture,
 * named @name in warnings)
 */
struct recording *recording_new_mem(const char *name);
/* Adds the entries of one ATTR (or STATS or END) payload */
void recording_add_attrs(struct recording *r, const void *buf, size_t len);

/* The last value of attribute @name, or NULL */
const char *recording_attr(const struct recording *r, const char *name);
/* Like recording_attr(), parsed as an unsigned number (@def when absent) */
uint64_t recording_attr_u64(const struct recording *r, const char *name, uint64_t def);

/*
 * recording_load - verify and inflate chunk @idx into *@buf (malloc'd,
 * caller frees; NULL on failure).  Returns the size or -errno; on failure
 * the chunk is marked bad and a warning is added.
 */
ssize_t recording_load(struct recording *r, size_t idx, void **buf);
/*
 * recording_inflate - recording_load()'s work without its side effects,
 * for any thread: @z is that thread's scratch, and a failure leaves its
 * warning in *@why (malloc'd) instead of on @r, and the chunk unmarked.
 * recording_load_failed() then does what recording_load() would have.
 */
ssize_t recording_inflate(const struct recording *r, size_t idx, struct chunk_inflater *z,
			  void **buf, char **why);
void recording_load_failed(struct recording *r, size_t idx, char *why);

/* Warnings kept per file; the rest are counted and shown as one "N more" line */
#define RECORDING_MAX_WARNINGS 100
/*
 * Bounds across a whole input (every file one command opens), whatever it
 * claims: a 39 KB file of compressed empty attributes once took 2.8 GB.
 * Past them the rest of the metadata is counted, not loaded
 * (ftio-format(5), BOUNDS).
 */
#define RECORDING_MAX_ATTRS	(1u << 18)
#define RECORDING_MAX_ATTR_BYTES (128u << 20)

void recording_warn(struct recording *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* FTIO_RECORDING_H */
