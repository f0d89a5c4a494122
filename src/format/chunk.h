/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure encoding and decoding of the recording's framing: the file header,
 * chunk headers and the named-blob (ATTR) payloads.  No I/O happens here,
 * which is what lets the unit tests and the fuzzer drive it directly.
 */
#ifndef FTIO_CHUNK_H
#define FTIO_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include <ftio/format.h>

#include "lib/util.h"

/* struct chunk_info - a chunk header in host terms */
struct chunk_info {
	uint16_t type;
	uint16_t flags;
	uint32_t cpu;
	uint32_t seq;
	uint64_t first_ts;
	uint64_t last_ts;
	uint32_t raw_size;
	uint32_t stored_size;
	uint32_t payload_crc;
};

uint32_t ftio_crc32(const void *data, size_t len);

void file_header_encode(uint8_t out[sizeof(struct ftio_file_header)]);
/* Returns 0, -EBADMSG (not a recording) or -EPROTONOSUPPORT (newer format) */
int file_header_decode(const uint8_t *in, size_t len);

void chunk_header_encode(const struct chunk_info *ci, uint8_t out[FTIO_CHUNK_HEADER_SIZE]);
/*
 * chunk_header_decode - parse and validate a chunk header
 * Returns 0, or -EBADMSG when the magic or checksum is wrong, or -E2BIG
 * when the sizes are beyond FTIO_CHUNK_MAX_RAW.
 */
int chunk_header_decode(const uint8_t in[FTIO_CHUNK_HEADER_SIZE], struct chunk_info *ci);

/* Appends one ATTR entry to @sb */
void attr_add(struct strbuf *sb, const char *name, const void *value, size_t len);
void attr_addstr(struct strbuf *sb, const char *name, const char *value);
void attr_addf(struct strbuf *sb, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * struct attr_iter - walks an ATTR payload.  name/value point into the
 * payload and are not NUL-terminated; they live as long as the payload.
 */
struct attr_iter {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

void attr_iter_init(struct attr_iter *it, const void *buf, size_t len);
/* Returns 1 with the next entry, 0 at the end, -EBADMSG on a malformed entry */
int attr_iter_next(struct attr_iter *it);

#endif /* FTIO_CHUNK_H */
