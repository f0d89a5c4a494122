/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers of the core: messages and die(), little-endian accessors
 * for our own framing, parsers for the units people type (10us, 2ms,
 * 64M), clocks and whole-file reads.  It includes what the layers share
 * with the core (ftio/util.h, ftio/strbuf.h), so a stage includes this.
 */
#ifndef FTIO_LIB_UTIL_H
#define FTIO_LIB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ftio/strbuf.h>
#include <ftio/util.h>

extern const char *ftio_prog;

/* The CPUs online now, at least 1 and at most @max */
int online_cpus_max(int max);

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reverses strbuf_add_escaped() in place; returns the new length */
size_t unescape_inplace(char *s);

static inline void put_le16(void *p, uint16_t v)
{
	uint8_t *b = p;
	b[0] = v;
	b[1] = v >> 8;
}

static inline void put_le32(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static inline void put_le64(void *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t get_le16(const void *p)
{
	const uint8_t *b = p;
	return b[0] | (uint16_t)b[1] << 8;
}

static inline uint32_t get_le32(const void *p)
{
	const uint8_t *b = p;
	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t get_le64(const void *p)
{
	return get_le32(p) | (uint64_t)get_le32((const uint8_t *)p + 4) << 32;
}

/* a + b, held at UINT64_MAX instead of wrapping (loss counters a recording claims) */
static inline uint64_t u64_add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* Parsers return 0 or -EINVAL/-ERANGE and never print */
int parse_duration_ns(const char *s, uint64_t *ns);
int parse_size(const char *s, uint64_t *bytes);
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);

uint64_t now_mono_ns(void);
uint64_t now_real_ns(void);

/* Reads a whole small file (procfs, tracefs); returns malloc'd NUL-terminated text or NULL */
char *read_file(const char *path, size_t *len);
/* Writes @s to @path (O_WRONLY|O_TRUNC unless @append); 0 or -errno */
int write_file(const char *path, const char *s, int append);

#endif /* FTIO_LIB_UTIL_H */
