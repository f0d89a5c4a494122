/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable string buffer, as git's strbuf.h: every stage and every
 * layer builds its text and JSON with it, never with sprintf into a fixed
 * array.  Running out of memory dies (see ftio/util.h), so none of these
 * can fail.
 */
#ifndef FTIO_STRBUF_H
#define FTIO_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

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
/*
 * The escaper for people: appends @s with \t, \n, \\; C0 controls, DEL and
 * bytes that are not well-formed UTF-8 as \xNN; C1 controls and bidi
 * controls (U+202A-U+202E, U+2066-U+2069, LRM/RLM/ALM, U+2028/9) as \uNNNN.
 * unescape_inplace() reverses it.
 */
void strbuf_add_escaped(struct strbuf *sb, const char *s, size_t len);
/*
 * The escaper for machines: appends @s as the contents of a JSON string (no
 * quotes), always valid UTF-8; a byte that is not well-formed UTF-8 becomes
 * the lone surrogate \udcNN (Python's surrogateescape), see ftio-format(5).
 */
void strbuf_add_json(struct strbuf *sb, const char *s);
/* The same for @len bytes of @s (which hold no NUL) */
void strbuf_add_json_n(struct strbuf *sb, const char *s, size_t len);

/* Appends @s as a quoted JSON string, or null when @s is NULL */
void strbuf_add_json_value(struct strbuf *sb, const char *s);

#endif /* FTIO_STRBUF_H */
