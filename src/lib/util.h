/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers every stage uses: allocation that dies only on OOM, a
 * growable string buffer, little-endian accessors for our own framing and
 * parsers for the units people type (10us, 2ms, 64M).
 */
#ifndef FTIO_UTIL_H
#define FTIO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

extern const char *ftio_prog;

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * struct strbuf - growable, always NUL-terminated byte buffer.
 *
 * Invariants (git's): @buf is never NULL, and @buf[@len] is always '\0',
 * so sb.buf can be passed as a C string at once, even before anything was
 * added.  A strbuf that owns no memory (@alloc 0) points at the shared
 * strbuf_slopbuf, which must be neither written nor freed: only the
 * strbuf_*() functions may touch @buf's memory.  @buf is owned by the
 * strbuf until strbuf_detach() hands it, always malloc'd, to the caller.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
/* Appends @s with \t, \n, \\ and non-printing bytes escaped as \xNN */
void strbuf_add_escaped(struct strbuf *sb, const char *s, size_t len);
/* Appends @s as the contents of a JSON string (no quotes) */
void strbuf_add_json(struct strbuf *sb, const char *s);

/*
 * esc - @s escaped for a terminal (strbuf_add_escaped) in @buf, cut to fit;
 * for names that come from the traced system: paths, comms, command lines
 */
const char *esc(char *buf, size_t size, const char *s);

/* Appends @s as a quoted JSON string, or null when @s is NULL */
void strbuf_add_json_value(struct strbuf *sb, const char *s);

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

/* Parsers return 0 or -EINVAL/-ERANGE and never print */
int parse_duration_ns(const char *s, uint64_t *ns);
int parse_size(const char *s, uint64_t *bytes);
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* Formats @ns with a human unit ("12.3ms") into @buf of at least 16 bytes */
const char *fmt_ns(char *buf, size_t size, uint64_t ns);
const char *fmt_bytes(char *buf, size_t size, uint64_t bytes);

uint64_t now_mono_ns(void);
uint64_t now_real_ns(void);

/* Reads a whole small file (procfs, tracefs); returns malloc'd NUL-terminated text or NULL */
char *read_file(const char *path, size_t *len);
/* Writes @s to @path (O_WRONLY|O_TRUNC unless @append); 0 or -errno */
int write_file(const char *path, const char *s, int append);

#endif /* FTIO_UTIL_H */
