/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The small helpers of the layer API: array sizes and time units,
 * allocation that dies only when memory runs out (so a layer has no
 * error path for it), and the formatting of durations, sizes and names
 * from the traced system for a terminal.  src/lib/util.h adds what only
 * the core uses.
 */
#ifndef FTIO_UTIL_H
#define FTIO_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/* Each returns the memory, which the caller frees; out of memory, they die() */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Formats @ns with a human unit ("12.3ms") into @buf of at least 16 bytes */
const char *fmt_ns(char *buf, size_t size, uint64_t ns);
const char *fmt_bytes(char *buf, size_t size, uint64_t bytes);

/*
 * esc - @s escaped for a terminal (strbuf_add_escaped) in @buf, cut to fit;
 * for names that come from the traced system: paths, comms, command lines
 */
const char *esc(char *buf, size_t size, const char *s);

#endif /* FTIO_UTIL_H */
