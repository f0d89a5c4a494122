/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The on-disk layout of an ftio recording, shared by the writer, the
 * reader, the unit tests and the fuzzer.  Documentation/ftio-format.5.txt
 * is the prose version of this file; keep the two in step.
 *
 * Everything that ftio frames itself is little-endian whatever the host.
 * The ring-buffer pages inside SUBBUF chunks keep the byte order of the
 * machine that recorded them, which the META chunk names, so that a
 * recording made on one architecture decodes on any other.
 */
#ifndef FTIO_FORMAT_H
#define FTIO_FORMAT_H

#include <stdint.h>

/* PNG-style magic: catches text-mode transfers and truncation to 7 bits */
#define FTIO_FILE_MAGIC		"\x89" "FTIO\r\n\x1a"
#define FTIO_FILE_MAGIC_LEN	8
#define FTIO_FORMAT_VERSION	1

struct ftio_file_header {
	char		magic[FTIO_FILE_MAGIC_LEN];
	uint32_t	version;
	uint32_t	flags;		/* none defined yet; readers ignore unknown bits */
};

#define FTIO_CHUNK_MAGIC	"FTCK"

/*
 * Every chunk starts with this header.  hdr_crc covers the 44 bytes before
 * it, payload_crc the stored (possibly compressed) payload.  A reader that
 * finds a bad header scans forward for the next FTIO_CHUNK_MAGIC whose
 * header checksum holds, so one damaged chunk loses only itself.
 */
struct ftio_chunk_header {
	char		magic[4];
	uint16_t	type;		/* enum ftio_chunk_type */
	uint16_t	flags;		/* FTIO_CHUNK_* */
	uint32_t	cpu;		/* CPU for SUBBUF chunks, else 0 */
	uint32_t	seq;		/* chunk number in this file, from 0 */
	uint64_t	first_ts;	/* SUBBUF: timestamp of the first sub-buffer */
	uint64_t	last_ts;	/* SUBBUF: timestamp of the last sub-buffer */
	uint32_t	raw_size;	/* payload size once inflated */
	uint32_t	stored_size;	/* payload size in the file */
	uint32_t	payload_crc;	/* zlib crc32 of the stored payload */
	uint32_t	hdr_crc;	/* zlib crc32 of the header up to here */
};

#define FTIO_CHUNK_HEADER_SIZE	48
#define FTIO_CHUNK_ZSTD		(1u << 0)
/*
 * Bits 8-15 of flags number the ring buffer a SUBBUF chunk came from: 0 is
 * the pid-filtered instance, 1 the unfiltered one that holds asynchronous
 * events (block completions, FUSE replies), 2 the perf_event rings
 * (FTIO_CHUNK_PERF).  Each (stream, cpu) pair is its own time-ordered
 * sequence of chunks of one type.
 */
#define FTIO_CHUNK_STREAM_SHIFT	8
#define FTIO_CHUNK_STREAM(flags) (((flags) >> FTIO_CHUNK_STREAM_SHIFT) & 0xff)

/* A chunk may not claim more than this once inflated: bounds a hostile file */
#define FTIO_CHUNK_MAX_RAW	(64u << 20)

enum ftio_chunk_type {
	/* A list of named blobs: metadata, formats, snapshots (see ATTR below) */
	FTIO_CHUNK_ATTR		= 1,
	/* Whole ring-buffer sub-buffers of one CPU, each subbuf_size bytes */
	FTIO_CHUNK_SUBBUF	= 2,
	/* Per-CPU ring-buffer statistics sampled during capture: ATTR layout */
	FTIO_CHUNK_STATS	= 3,
	/* Written at a clean stop; never required */
	FTIO_CHUNK_END		= 4,
	/*
	 * perf_event ring records of one CPU, as the kernel wrote them
	 * (struct perf_event_header first, host byte order): SAMPLE and LOST
	 * only.  The "perf/ids" ATTR says how each event id's samples are
	 * laid out; a sample's raw payload is a tracefs event record.
	 */
	FTIO_CHUNK_PERF		= 5,
};

/* Chunks that carry events, one (stream, cpu) sequence each */
#define FTIO_CHUNK_HAS_EVENTS(type) ((type) == FTIO_CHUNK_SUBBUF || (type) == FTIO_CHUNK_PERF)

/*
 * ATTR and STATS payloads are a sequence of entries:
 *	u32 name_len, u32 value_len, name bytes, value bytes
 * Names are ASCII paths such as "meta/kernel_release",
 * "format/syscalls/sys_enter_openat" or "sideband/procs".  Later entries of
 * the same name replace earlier ones, except "sideband/" entries, which
 * accumulate in file order.
 */
struct ftio_attr_entry_header {
	uint32_t	name_len;
	uint32_t	value_len;
};

#endif /* FTIO_FORMAT_H */
