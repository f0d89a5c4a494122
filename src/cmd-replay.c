// SPDX-License-Identifier: GPL-2.0
/*
 * ftio replay: every recorded event in time order across CPUs, one line
 * each, for people (text) and for scripts (--json, one object a line).
 * Fields are read with cached offsets, never tep_print_event(), which
 * costs about 40 times more per event (RECORDER-NOTES.md).
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>

#include "builtin.h"
#include "record/counters.h"
#include "decode/decoder.h"
#include "format/frontend.h"
#include "decode/lifecycle.h"
#include "decode/model.h"
#include "lib/util.h"

static const char *const replay_usage[] = {
	"ftio replay [-i <file>]... [--cpu <n>] [--pid <pid>] [--comm <name>] [-e <event>]... [--json]\n"
	"                   [<file>...]",
	NULL,
};

struct replay_opts {
	char **inputs;
	size_t nr_inputs;
	long cpu;
	long pid;
	const char *comm;
	char **events;
	size_t nr_events;
	int json;
};

/* Is the field's C type signed, judging by its declaration? */
static bool type_is_signed(const char *type)
{
	static const char *const s[] = {
		"int", "long", "short", "s8", "s16", "s32", "s64", "pid_t", "off_t", "loff_t",
		"ssize_t", "long long", "signed char", "int32_t", "int64_t", "int16_t", "int8_t",
	};

	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		if (!strcmp(type, s[i]))
			return true;
	return false;
}

static int type_bytes(const char *type)
{
	if (!strcmp(type, "int") || !strcmp(type, "unsigned int") || !strcmp(type, "u32") ||
	    !strcmp(type, "s32") || !strcmp(type, "pid_t") || !strcmp(type, "uid_t") ||
	    !strcmp(type, "gid_t") || !strcmp(type, "umode_t"))
		return 4;
	return 0;
}

static void add_str(struct strbuf *sb, const char *s, int len, int json)
{
	if (json) {
		char *tmp = xstrndup(s, len);

		strbuf_addch(sb, '"');
		strbuf_add_json(sb, tmp);
		strbuf_addch(sb, '"');
		free(tmp);
		return;
	}
	strbuf_addch(sb, '"');
	strbuf_add_escaped(sb, s, len);
	strbuf_addch(sb, '"');
}

/*
 * Formats one field.  Syscall tracepoints store every argument as a long
 * whatever its C type, so an "int" of size 8 is narrowed to its declared
 * width before printing (dfd=-100, not 4294967196).
 */
static void add_field(struct strbuf *sb, struct decoder *d, const struct ftio_event *ev,
		      struct tep_format_field *f, int json)
{
	struct field_ref ref = {
		.offset = f->offset, .size = f->size, .valid = true,
		.is_dynamic = f->flags & TEP_FIELD_IS_DYNAMIC,
		.is_relative = f->flags & TEP_FIELD_IS_RELATIVE,
	};
	int len;

	if ((f->flags & TEP_FIELD_IS_STRING) || ((f->flags & TEP_FIELD_IS_ARRAY) &&
						 !strncmp(f->type, "char", 4))) {
		const char *s = field_str(d, ev, &ref, &len);

		if (s)
			add_str(sb, s, len, json);
		else
			strbuf_addstr(sb, json ? "null" : "?");
		return;
	}
	if (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) {
		int off = f->offset, n = f->size;

		if (f->flags & TEP_FIELD_IS_DYNAMIC) {
			uint32_t w = field_u64(d, ev, &(struct field_ref){ .offset = f->offset,
					.size = 4, .valid = true });

			off = (w & 0xffff) + ((f->flags & TEP_FIELD_IS_RELATIVE) ? f->offset + f->size : 0);
			n = w >> 16;
		}
		strbuf_addstr(sb, json ? "\"" : "");
		for (int i = 0; i < n && off + i < ev->size; i++)
			strbuf_addf(sb, "%02x", ((uint8_t *)ev->data)[off + i]);
		strbuf_addstr(sb, json ? "\"" : "");
		return;
	}
	if (f->size > 8 || f->size <= 0) {
		strbuf_addstr(sb, json ? "null" : "?");
		return;
	}
	{
		uint64_t v = field_u64(d, ev, &ref);
		int width = type_bytes(f->type);
		bool sgn = (f->flags & TEP_FIELD_IS_SIGNED) || type_is_signed(f->type);

		if (strchr(f->type, '*')) {
			strbuf_addf(sb, json ? "%llu" : "0x%llx", (unsigned long long)v);
			return;
		}
		if (width && width < f->size)
			v &= 0xffffffffULL;
		if (sgn) {
			int bytes = width && width < f->size ? width : f->size;
			int shift = 64 - 8 * bytes;
			int64_t s = bytes < 8 ? (int64_t)(v << shift) >> shift : (int64_t)v;

			strbuf_addf(sb, "%lld", (long long)s);
		} else {
			strbuf_addf(sb, "%llu", (unsigned long long)v);
		}
	}
}

static bool event_selected(const struct replay_opts *o, struct tep_event *e)
{
	char full[256];

	if (!o->nr_events)
		return true;
	if (!e)
		return false;
	snprintf(full, sizeof(full), "%s:%s", e->system, e->name);
	for (size_t i = 0; i < o->nr_events; i++) {
		if (!fnmatch(o->events[i], e->name, 0) || !fnmatch(o->events[i], full, 0))
			return true;
	}
	return false;
}

static void check_events_exist(const struct replay_opts *o, struct decoder *d)
{
	struct tep_event **all = tep_list_events(decoder_tep(d), TEP_EVENT_SORT_ID);

	for (size_t i = 0; i < o->nr_events; i++) {
		bool found = false;
		char full[256];

		for (int j = 0; all && all[j] && !found; j++) {
			snprintf(full, sizeof(full), "%s:%s", all[j]->system, all[j]->name);
			found = !fnmatch(o->events[i], all[j]->name, 0) ||
				!fnmatch(o->events[i], full, 0);
		}
		if (!found)
			usage_error(replay_usage, "event '%s' is not in the recording", o->events[i]);
	}
}

static void parse_args(int argc, char **argv, struct replay_opts *o)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'P' },
		{ "comm", required_argument, NULL, 'C' },
		{ "event", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:e:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
			o->inputs[o->nr_inputs++] = optarg;
			break;
		case 'c':
			if (parse_uint(optarg, 65535, &v))
				usage_error(replay_usage, "invalid cpu '%s'", optarg);
			o->cpu = v;
			break;
		case 'P':
			if (parse_uint(optarg, 1 << 22, &v))
				usage_error(replay_usage, "invalid pid '%s'", optarg);
			o->pid = v;
			break;
		case 'C':
			o->comm = optarg;
			break;
		case 'e': {
			char *list = xstrdup(optarg), *save = NULL;

			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				char *slash = strchr(t, '/');

				if (slash)
					*slash = ':';
				o->events = xrealloc(o->events, (o->nr_events + 1) * sizeof(*o->events));
				o->events[o->nr_events++] = xstrdup(t);
			}
			free(list);
			break;
		}
		case 'j':
			o->json = 1;
			break;
		case 'h':
			usage_show(replay_usage, 0);
			exit(0);
		default:
			usage_error(replay_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	/* FILE arguments: several files (rotation), a directory or a glob */
	for (; optind < argc; optind++) {
		o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
		o->inputs[o->nr_inputs++] = argv[optind];
	}
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o = { .cpu = -1, .pid = -1 };
	static char *default_input[] = { "ftio.dat" };
	struct recset set;
	struct recording *r;
	struct decoder *d;
	struct model m;
	struct lifecycle lc;
	struct ftio_event ev;
	struct strbuf sb = STRBUF_INIT;
	struct decoder_stats ds;
	struct counter_desc ctr[8];
	int nr_ctr;

	parse_args(argc, argv, &o);
	frontend_open_set(&set, o.nr_inputs ? o.inputs : default_input, o.nr_inputs ? o.nr_inputs : 1);
	r = set.v[0];
	d = decoder_new_multi(set.v, set.n);
	if (!d) {
		frontend_set_warnings(&set);
		die("cannot decode '%s': %s", r->path,
		    errno == EBADMSG ? "its event formats are missing or unusable" : strerror(errno));
	}
	check_events_exist(&o, d);
	nr_ctr = counters_desc_parse(recording_attr(r, "perf/counters"), ctr, ARRAY_SIZE(ctr));
	/* every CPU is decoded: lifecycle events elsewhere keep comms right */
	model_init(&m);
	model_load(&m, r);
	lifecycle_init(&lc, &m, d);

	while (decoder_next(d, &ev) > 0) {
		struct task *t = model_task(&m, ev.pid);
		struct tep_format_field **fields;

		if ((o.cpu < 0 || o.cpu == ev.cpu) &&
		    (o.pid < 0 || o.pid == ev.pid || o.pid == t->proc->tgid) &&
		    (!o.comm || !strcmp(o.comm, t->comm)) && event_selected(&o, ev.event)) {
			strbuf_reset(&sb);
			if (o.json) {
				strbuf_addf(&sb, "{\"ts\":%llu,\"cpu\":%d,\"comm\":\"",
					    (unsigned long long)ev.ts, ev.cpu);
				strbuf_add_json(&sb, t->comm);
				strbuf_addf(&sb, "\",\"tid\":%d,\"pid\":%d", ev.pid, t->proc->tgid);
				if (ev.missed)
					strbuf_addf(&sb, ",\"lost_before\":%u", ev.missed);
				if (ev.event) {
					strbuf_addf(&sb, ",\"system\":\"%s\",\"event\":\"%s\",\"fields\":{",
						    ev.event->system, ev.event->name);
				} else {
					strbuf_addstr(&sb, ",\"system\":null,\"event\":null,\"fields\":{");
				}
			} else {
				if (ev.missed)
					strbuf_addf(&sb, "CPU %d: %u events lost\n", ev.cpu, ev.missed);
				char comm[80];

				strbuf_addf(&sb, "%6llu.%09llu [%03d] %s-%d %s:",
					    (unsigned long long)(ev.ts / NSEC_PER_SEC),
					    (unsigned long long)(ev.ts % NSEC_PER_SEC), ev.cpu,
					    esc(comm, sizeof(comm), t->comm), ev.pid,
					    ev.event ? ev.event->name : "<unknown event>");
			}
			fields = ev.event ? tep_event_fields(ev.event) : NULL;
			for (int i = 0; fields && fields[i]; i++) {
				if (o.json)
					strbuf_addf(&sb, "%s\"%s\":", i ? "," : "", fields[i]->name);
				else
					strbuf_addf(&sb, " %s=", fields[i]->name);
				add_field(&sb, d, &ev, fields[i], o.json);
			}
			free(fields);
			strbuf_addstr(&sb, o.json ? "}" : "");
			/* a counter group's sample: the thread's counts on this CPU */
			if (nr_ctr && ev.nr_values > ctr[nr_ctr - 1].index) {
				strbuf_addstr(&sb, o.json ? ",\"counters\":{" : " |");
				for (int i = 0; i < nr_ctr; i++)
					strbuf_addf(&sb, o.json ? "%s\"%s\":%llu" : "%s%s=%llu",
						    o.json && i ? "," : o.json ? "" : " ", ctr[i].name,
						    (unsigned long long)ev.values[ctr[i].index]);
				strbuf_addstr(&sb, o.json ? "}" : "");
			}
			strbuf_addstr(&sb, o.json ? "}\n" : "\n");
			fwrite(sb.buf, 1, sb.len, stdout);
		}
		lifecycle_feed(&lc, &ev);
	}
	fflush(stdout);
	decoder_get_stats(d, &ds);
	if (ds.bad_pages)
		recording_warn(r, "%llu sub-buffers with impossible headers skipped",
			       (unsigned long long)ds.bad_pages);
	frontend_set_warnings(&set);
	strbuf_release(&sb);
	model_release(&m);
	decoder_free(d);
	frontend_close_set(&set);
	free(o.inputs);
	for (size_t i = 0; i < o.nr_events; i++)
		free(o.events[i]);
	free(o.events);
	return 0;
}
