/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one tep builder.  A recording carries its kernel's event formats
 * ("format/<system>/<event>" attributes), header page, long size, page
 * size and byte order; the decoder and the flight recorder's trigger scan
 * both turn those into a libtraceevent handle and a kbuffer here, so the
 * two read pages the same way.
 */
#ifndef FTIO_FORMAT_TEP_H
#define FTIO_FORMAT_TEP_H

#include <stdbool.h>
#include <stddef.h>

struct tep_handle;
struct tep_event;
struct kbuffer;

/* How the recorded kernel laid out its pages */
struct tep_layout {
	int long_size;		/* 4 or 8 */
	int page_size;		/* sub-buffer size */
	bool big_endian;	/* the recording's byte order ("meta/endian") */
};

/**
 * format_tep_new() - a tep for pages laid out as @l
 * @l:		the recording's layout
 * @header_page: the recording's "header_page" attribute
 * @len:	its length
 *
 * Sets the byte order first, then the header page, long size and page
 * size: the order libtraceevent 1.7.1 needs.  Returns NULL with errno
 * ENOMEM, or EBADMSG when the header page does not parse.
 */
struct tep_handle *format_tep_new(const struct tep_layout *l, const char *header_page,
				  size_t len);

/**
 * format_tep_add_event() - parses one event format into @tep
 * @tep:	from format_tep_new()
 * @system:	the event's system ("syscalls")
 * @fmt:	the format text as the kernel printed it (need not end in NUL)
 * @len:	its length
 * @ev:		the parsed event, or NULL when not wanted
 *
 * The format is cleaned first (see clean_format() in tep.c): only the
 * header and the well-formed field lines are kept, with an empty print
 * format, because libtraceevent's parser crashes on some hostile input.
 * Returns 0, or -EBADMSG: a format that fails loses only that event.
 */
int format_tep_add_event(struct tep_handle *tep, const char *system, const char *fmt,
			 size_t len, struct tep_event **ev);

/*
 * The system of a "format/<system>/<event>" attribute name of @len bytes
 * (malloc'd), or NULL when @name is not one
 */
char *format_event_system(const char *name, size_t len);

/* A kbuffer for pages laid out as @l; NULL with errno */
struct kbuffer *format_kbuffer_new(const struct tep_layout *l);

#endif /* FTIO_FORMAT_TEP_H */
