// SPDX-License-Identifier: GPL-2.0
/*
 * The one tep builder (see tep.h): both halves of ftio that decode pages
 * -- the report's decoder and the recorder's flight trigger scan -- build
 * their libtraceevent handle and kbuffer here, from the recording's own
 * metadata and in its byte order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "format/tep.h"
#include "lib/util.h"

/* A field declaration libtraceevent can take: printable, brackets balanced */
static bool decl_ok(const char *s, size_t n)
{
	int depth = 0;

	if (!n || n > 200)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
		depth += s[i] == '[' ? 1 : s[i] == ']' ? -1 : 0;
		if (depth < 0 || depth > 1)
			return false;
	}
	return depth == 0;
}

/*
 * A copy of @fmt that libtraceevent 1.7.1 parses safely: the header lines
 * and the field lines that match the kernel's layout exactly, and an empty
 * print format.  Its parser crashes on some hostile formats (an array
 * declaration cut at the end, a print format naming unknown fields, found
 * by our fuzzer), and ftio never uses print formats: fields are read by
 * offset.  Returns NULL when nothing usable is left.
 */
static char *clean_format(const char *fmt, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = fmt, *end = fmt + len;
	int fields = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);
		unsigned int off, size;
		int sgn, used = 0;

		if (!strncmp(line, "name: ", 6) || !strncmp(line, "ID: ", 4) ||
		    !strcmp(line, "format:")) {
			strbuf_addf(&out, "%s\n", line);
		} else if (!strncmp(line, "\tfield:", 7)) {
			char *semi = strchr(line + 7, ';');

			if (semi && decl_ok(line + 7, semi - (line + 7)) &&
			    sscanf(semi, ";\toffset:%u;\tsize:%u;\tsigned:%d;%n", &off, &size, &sgn,
				   &used) == 3 && used && off < 65536 && size < 65536) {
				/* the common fields and the rest are separated by a blank line */
				strbuf_addf(&out, "%s\n", line);
				if (strstr(line, " common_pid;"))
					strbuf_addch(&out, '\n');
				fields++;
			}
		}
		free(line);
		p += n + 1;
	}
	if (!fields) {
		strbuf_release(&out);
		return NULL;
	}
	strbuf_addstr(&out, "\nprint fmt: \"\"\n");
	return strbuf_detach(&out, NULL);
}

struct tep_handle *format_tep_new(const struct tep_layout *l, const char *header_page,
				  size_t len)
{
	struct tep_handle *tep = tep_alloc();
	unsigned int one = 1;
	char *hp;
	int r;

	if (!tep) {
		errno = ENOMEM;
		return NULL;
	}
	tep_set_file_bigendian(tep, l->big_endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, *(unsigned char *)&one ? TEP_LITTLE_ENDIAN : TEP_BIG_ENDIAN);
	/* long size first: field offsets of every format depend on it */
	hp = xstrndup(header_page, len);
	r = tep_parse_header_page(tep, hp, len, l->long_size);
	free(hp);
	if (r < 0) {
		tep_free(tep);
		errno = EBADMSG;
		return NULL;
	}
	tep_set_long_size(tep, l->long_size);
	tep_set_page_size(tep, l->page_size);
	return tep;
}

int format_tep_add_event(struct tep_handle *tep, const char *system, const char *fmt,
			 size_t len, struct tep_event **ev)
{
	char *clean = clean_format(fmt, len);
	struct tep_event *e = NULL;
	int r = -EBADMSG;

	if (clean && tep_parse_format(tep, &e, clean, strlen(clean), system) == 0 && e)
		r = 0;
	free(clean);
	if (ev)
		*ev = r ? NULL : e;
	return r;
}

char *format_event_system(const char *name, size_t len)
{
	const char *slash;

	if (len < 8 || memcmp(name, "format/", 7))
		return NULL;
	slash = memchr(name + 7, '/', len - 7);
	return slash ? xstrndup(name + 7, slash - (name + 7)) : NULL;
}

struct kbuffer *format_kbuffer_new(const struct tep_layout *l)
{
	struct kbuffer *kb = kbuffer_alloc(l->long_size == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
					   l->big_endian ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);

	if (!kb)
		errno = ENOMEM;
	return kb;
}
