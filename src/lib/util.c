// SPDX-License-Identifier: GPL-2.0
/*
 * Implementation of the helpers in util.h.  Nothing here knows about
 * tracing; it is the layer every other file may lean on.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"

const char *ftio_prog = "ftio";

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s: %s", ftio_prog, prefix);
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_addch(&sb, '\n');
	/* one write() so that lines from threads never interleave */
	(void)!write(2, sb.buf, sb.len);
	strbuf_release(&sb);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	exit(1);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

static void oom(size_t size)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "ftio: out of memory allocating %zu bytes\n", size);

	(void)!write(2, msg, n);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom(strlen(s));
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		oom(n);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

/*
 * The buffer of every strbuf that owns no memory: never written (the one
 * NUL it holds is what an empty strbuf reads), never freed
 */
char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->buf = strbuf_slopbuf;
	sb->len = sb->alloc = 0;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	strbuf_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	return p;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->alloc)
		return;
	if (need < sb->alloc * 2)
		need = sb->alloc * 2;
	if (need < 64)
		need = 64;
	/* a strbuf without memory points at strbuf_slopbuf (or is zeroed) */
	sb->buf = xrealloc(sb->alloc ? sb->buf : NULL, need);
	sb->alloc = need;
	sb->buf[sb->len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	strbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, n);
		va_copy(cp, ap);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
		va_end(cp);
	}
	sb->len += n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence at @s, with its code
 * point in *@cp, or 0: no overlong forms, no surrogates, nothing past
 * U+10FFFF, nothing cut short by @len.
 */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c < 0xe0)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c < 0xf0)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c < 0xf5)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return n;
}

/* C1 controls and the bidi embeddings, overrides and isolates */
static bool cp_unsafe(uint32_t cp)
{
	return (cp >= 0x80 && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c || cp == 0x2028 || cp == 0x2029;
}

/*
 * One character at @u (a byte >= 0x20 other than DEL) for either escaper:
 * well-formed UTF-8 as it is, C1 and bidi controls as \uNNNN, a byte that is
 * not UTF-8 as \xNN, or for JSON (@json) as the lone surrogate \udcNN.
 * Returns the bytes consumed.
 */
static size_t add_char_escaped(struct strbuf *sb, const unsigned char *u, size_t len, bool json)
{
	uint32_t cp;
	size_t n = utf8_next(u, len, &cp);

	if (!n) {
		strbuf_addf(sb, json ? "\\udc%02x" : "\\x%02x", u[0]);
		return 1;
	}
	if (cp_unsafe(cp))
		strbuf_addf(sb, "\\u%04x", (unsigned int)cp);
	else
		strbuf_add(sb, u, n);
	return n;
}

void strbuf_add_escaped(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		size_t run = i;

		/* printable ASCII is copied as it is: a run at a time */
		while (run < len && u[run] >= 0x20 && u[run] < 0x7f && u[run] != '\\')
			run++;
		if (run > i) {
			strbuf_add(sb, u + i, run - i);
			i = run;
			continue;
		}
		if (c == '\\') {
			strbuf_add(sb, "\\\\", 2);
		} else if (c == '\t') {
			strbuf_add(sb, "\\t", 2);
		} else if (c == '\n') {
			strbuf_add(sb, "\\n", 2);
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\x%02x", c);
		} else {
			i += add_char_escaped(sb, u + i, len - i, false);
			continue;
		}
		i++;
	}
}

void strbuf_add_json_value(struct strbuf *sb, const char *s)
{
	if (!s) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addch(sb, '"');
	strbuf_add_json(sb, s);
	strbuf_addch(sb, '"');
}

const char *esc(char *buf, size_t size, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_escaped(&sb, s ? s : "", s ? strlen(s) : 0);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t unescape_inplace(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r != '\\' || !r[1]) {
			*w++ = *r++;
			continue;
		}
		r++;
		switch (*r) {
		case 't': *w++ = '\t'; r++; break;
		case 'n': *w++ = '\n'; r++; break;
		case 'x':
			if (hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
				*w++ = hexval(r[1]) << 4 | hexval(r[2]);
				r += 3;
				break;
			}
			*w++ = *r++;
			break;
		case 'u':
			/* \u0080-\uffff (C1, bidi) back to UTF-8: never longer than the escape */
			if (hexval(r[1]) >= 0 && hexval(r[2]) >= 0 && hexval(r[3]) >= 0 &&
			    hexval(r[4]) >= 0) {
				unsigned int cp = hexval(r[1]) << 12 | hexval(r[2]) << 8 |
						  hexval(r[3]) << 4 | hexval(r[4]);

				if (cp >= 0x80 && cp < 0x800) {
					*w++ = 0xc0 | cp >> 6;
					*w++ = 0x80 | (cp & 0x3f);
				} else if (cp >= 0x800) {
					*w++ = 0xe0 | cp >> 12;
					*w++ = 0x80 | (cp >> 6 & 0x3f);
					*w++ = 0x80 | (cp & 0x3f);
				} else {
					*w++ = cp;
				}
				r += 5;
				break;
			}
			/* fall through */
		default: *w++ = *r++; break;
		}
	}
	*w = '\0';
	return w - s;
}

/*
 * JSON for a byte string: always valid UTF-8.  A byte that is not part of
 * well-formed UTF-8 is written as the lone low surrogate \udc<byte> (0x80 to
 * 0xff), Python's "surrogateescape": lossless, and distinct from any
 * character (0xff is "\udcff", ÿ is "ÿ").  Controls, C1 and bidi controls are
 * \u escapes too.  See ftio-format(5), "Strings in JSON".
 */
void strbuf_add_json(struct strbuf *sb, const char *s)
{
	strbuf_add_json_n(sb, s, strlen(s));
}

void strbuf_add_json_n(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		size_t run = i;

		/* printable ASCII but the quote and backslash is copied as it is */
		while (run < len && u[run] >= 0x20 && u[run] < 0x7f && u[run] != '"' && u[run] != '\\')
			run++;
		if (run > i) {
			strbuf_add(sb, u + i, run - i);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, c);
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(sb, "\\u%04x", c);
		} else {
			i += add_char_escaped(sb, u + i, len - i, true);
			continue;
		}
		i++;
	}
}

int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

struct unit {
	const char *name;
	double mult;
};

/* A non-negative number with one of @units after it, scaled and rounded */
static int parse_scaled(const char *s, const struct unit *units, size_t n, double max,
			double round, uint64_t *out)
{
	char *end;
	double v;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(end, units[i].name))
			continue;
		v *= units[i].mult;
		if (v > max)
			return -ERANGE;
		*out = (uint64_t)(v + round);
		return 0;
	}
	return -EINVAL;
}

int parse_duration_ns(const char *s, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "h", 3600e9 }, { "", 1e9 },
	};

	return parse_scaled(s, units, ARRAY_SIZE(units), 1.8e19, 0.5, ns);
}

int parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "", 1 }, { "k", 1024.0 }, { "K", 1024.0 }, { "M", 1048576.0 },
		{ "G", 1073741824.0 }, { "KiB", 1024.0 }, { "MiB", 1048576.0 },
		{ "GiB", 1073741824.0 }, { "KB", 1024.0 }, { "MB", 1048576.0 },
		{ "GB", 1073741824.0 },
	};

	return parse_scaled(s, units, ARRAY_SIZE(units), 9.2e18, 0, bytes);
}

const char *fmt_ns(char *buf, size_t size, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, size, "%.2fus", ns / 1e3);
	else if (ns < 1000000)
		snprintf(buf, size, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.2fms", ns / 1e6);
	else
		snprintf(buf, size, "%.2fs", ns / 1e9);
	return buf;
}

const char *fmt_bytes(char *buf, size_t size, uint64_t bytes)
{
	if (bytes < 1024)
		snprintf(buf, size, "%lluB", (unsigned long long)bytes);
	else if (bytes < 1048576)
		snprintf(buf, size, "%.1fK", bytes / 1024.0);
	else if (bytes < 1073741824ULL)
		snprintf(buf, size, "%.1fM", bytes / 1048576.0);
	else
		snprintf(buf, size, "%.2fG", bytes / 1073741824.0);
	return buf;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

uint64_t now_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t now_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

char *read_file(const char *path, size_t *lenp)
{
	struct strbuf sb = STRBUF_INIT;
	char tmp[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		strbuf_add(&sb, tmp, n);
	if (n < 0) {
		int e = errno;

		close(fd);
		strbuf_release(&sb);
		errno = e;
		return NULL;
	}
	close(fd);
	return strbuf_detach(&sb, lenp);
}

int write_file(const char *path, const char *s, int append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	size_t len = strlen(s);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

int online_cpus_max(int max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > max ? max : (int)n;
}
