// SPDX-License-Identifier: GPL-2.0
/*
 * The recording's metadata ATTR chunk: who recorded, on what kernel and
 * machine, with which layers and strategy, and the kernel's own header
 * and event formats, which the decoder (format/tep.c) needs to read the
 * pages.  Every file of a rotated set and every flight save repeats it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "builtin.h"
#include "format/chunk.h"
#include "record/boot.h"
#include "record/meta.h"
#include "record/recorder.h"
#include "record/session.h"
#include "lib/util.h"

static void add_file_attr(struct strbuf *sb, struct session *s, const char *name,
			  const char *file)
{
	char *text = session_read(s, file);

	if (text) {
		attr_addstr(sb, name, text);
		free(text);
	}
}

static void add_formats(struct strbuf *sb, struct session *s)
{
	for (size_t i = 0; i < s->nr_events; i++) {
		char *file = xasprintf("events/%s/format", s->events[i]);
		char *name = xasprintf("format/%s", s->events[i]);

		add_file_attr(sb, s, name, file);
		free(file);
		free(name);
	}
}

void meta_describe(struct strbuf *sb, const struct rec_instance *inst, int nr_inst,
		   const struct record_opts *o, const char *strategy, const char *unavailable)
{
	struct session *s = inst[0].s;
	struct utsname u;
	unsigned int one = 1;

	uname(&u);
	attr_addstr(sb, "meta/ftio_version", FTIO_VERSION);
	attr_addstr(sb, "meta/cmdline", ftio_cmdline);
	attr_addstr(sb, "meta/kernel_release", u.release);
	attr_addstr(sb, "meta/kernel_version", u.version);
	attr_addstr(sb, "meta/arch", u.machine);
	attr_addstr(sb, "meta/hostname", u.nodename);
	{
		char *bid = boot_id();

		if (*bid)
			attr_addstr(sb, "meta/boot_id", bid);
		free(bid);
	}
	attr_addstr(sb, "meta/endian", *(unsigned char *)&one ? "little" : "big");
	attr_addf(sb, "meta/long_size", "%d", s->long_size);
	attr_addf(sb, "meta/page_size", "%d", getpagesize());
	attr_addf(sb, "meta/subbuf_size", "%d", s->subbuf_size);
	attr_addstr(sb, "meta/clock", s->clock ? s->clock : "local");
	attr_addf(sb, "meta/cpus", "%d", s->ncpus);
	attr_addf(sb, "meta/buffer_kb", "%lu", o->buffer_kb);
	attr_addf(sb, "meta/streams", "%d", nr_inst);
	attr_addstr(sb, "meta/layers", o->layers);
	attr_addstr(sb, "meta/dyn_group", s->group);
	attr_addstr(sb, "meta/strategy", strategy);
	attr_addstr(sb, "meta/unavailable", unavailable);
	if (o->path)
		attr_addstr(sb, "meta/path_filter", o->path);
	if (o->command) {
		struct strbuf c = STRBUF_INIT;

		for (int i = 0; o->command[i]; i++)
			strbuf_addf(&c, "%s%s", i ? " " : "", o->command[i]);
		attr_addstr(sb, "meta/command", c.buf);
		strbuf_release(&c);
	}
	add_file_attr(sb, s, "header_page", "events/header_page");
	add_file_attr(sb, s, "header_event", "events/header_event");
	for (int i = 0; i < nr_inst; i++)
		add_formats(sb, inst[i].s);
}

