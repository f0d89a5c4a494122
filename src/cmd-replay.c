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
#include "parse-options.h"
#include "record/counters.h"
#include "decode/decoder.h"
#include "format/frontend.h"
#include "decode/lifecycle.h"
#include "decode/model.h"
#include "lib/util.h"

static const char *const replay_usage[] = {
	"ftio replay [-i <file>]... [--cpu <n>] [--pid <pid>] [--comm <name>] [-e <event>]... [--json]\n"
	"                   [-j <n>] [<file>...]",
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
	long jobs;		/* -j; 0: the online CPUs */
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
		strbuf_addch(sb, '"');
		strbuf_add_json_n(sb, s, strnlen(s, len));
		strbuf_addch(sb, '"');
		return;
	}
	strbuf_addch(sb, '"');
	strbuf_add_escaped(sb, s, len);
	strbuf_addch(sb, '"');
}

/* How one field is printed, worked out once per event type (plan_event()) */
enum field_kind { FK_STR, FK_BYTES, FK_BAD, FK_PTR, FK_NUM };

struct field_plan {
	enum field_kind kind;
	struct field_ref ref;
	bool sgn;
	bool mask32;		/* an int stored in a long: its declared 4 bytes */
	int bytes;		/* the width a signed value is extended from */
	char *text_name;	/* " name=" */
	char *json_name;	/* "\"name\":", with a comma but for the first */
};

struct event_plan {
	bool selected;		/* by -e */
	int nr;
	struct field_plan *f;
};

/* Appends @v in decimal: what "%llu" prints */
static void add_u64(struct strbuf *sb, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	strbuf_add(sb, tmp + sizeof(tmp) - n, n);
}

static void add_s64(struct strbuf *sb, int64_t v)
{
	if (v < 0) {
		strbuf_addch(sb, '-');
		add_u64(sb, -(uint64_t)v);
	} else {
		add_u64(sb, v);
	}
}

/* "%llx" */
static void add_hex(struct strbuf *sb, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	strbuf_add(sb, tmp + sizeof(tmp) - n, n);
}

/*
 * The plan of one field.  Syscall tracepoints store every argument as a
 * long whatever its C type, so an "int" of size 8 is narrowed to its
 * declared width before printing (dfd=-100, not 4294967196).
 */
static void plan_field(struct field_plan *p, struct tep_format_field *f, bool first)
{
	struct strbuf sb = STRBUF_INIT;
	int width;

	memset(p, 0, sizeof(*p));
	p->ref = (struct field_ref){
		.offset = f->offset, .size = f->size, .valid = true,
		.is_dynamic = f->flags & TEP_FIELD_IS_DYNAMIC,
		.is_relative = f->flags & TEP_FIELD_IS_RELATIVE,
	};
	strbuf_addf(&sb, " %s=", f->name);
	p->text_name = strbuf_detach(&sb, NULL);
	strbuf_addf(&sb, "%s\"%s\":", first ? "" : ",", f->name);
	p->json_name = strbuf_detach(&sb, NULL);
	if ((f->flags & TEP_FIELD_IS_STRING) || ((f->flags & TEP_FIELD_IS_ARRAY) &&
						 !strncmp(f->type, "char", 4))) {
		p->kind = FK_STR;
		return;
	}
	if (f->flags & (TEP_FIELD_IS_ARRAY | TEP_FIELD_IS_DYNAMIC)) {
		p->kind = FK_BYTES;
		return;
	}
	if (f->size > 8 || f->size <= 0) {
		p->kind = FK_BAD;
		return;
	}
	if (strchr(f->type, '*')) {
		p->kind = FK_PTR;
		return;
	}
	p->kind = FK_NUM;
	width = type_bytes(f->type);
	p->mask32 = width && width < f->size;
	p->sgn = (f->flags & TEP_FIELD_IS_SIGNED) || type_is_signed(f->type);
	p->bytes = p->mask32 ? width : f->size;
}

static void add_field(struct strbuf *sb, struct decoder *d, const struct ftio_event *ev,
		      const struct field_plan *p, int json)
{
	static const char hex[] = "0123456789abcdef";
	struct field_ref ref = p->ref;
	int len;

	switch (p->kind) {
	case FK_STR: {
		const char *s;

		/* "char buf[]" of size 0 (ftrace's print, trace_marker): the rest of the event */
		if (!ref.is_dynamic && !ref.size && ev->size > ref.offset)
			ref.size = ev->size - ref.offset;
		s = field_str(d, ev, &ref, &len);
		if (s)
			add_str(sb, s, len, json);
		else
			strbuf_addstr(sb, json ? "null" : "?");
		return;
	}
	case FK_BYTES: {
		int off = ref.offset, n = ref.size;

		if (ref.is_dynamic) {
			uint32_t w = field_u64(d, ev, &(struct field_ref){ .offset = ref.offset,
					.size = 4, .valid = true });

			off = (w & 0xffff) + (ref.is_relative ? ref.offset + ref.size : 0);
			n = w >> 16;
		}
		if (json)
			strbuf_addch(sb, '"');
		for (int i = 0; i < n && off + i < ev->size; i++) {
			uint8_t b = ((uint8_t *)ev->data)[off + i];
			char two[2] = { hex[b >> 4], hex[b & 15] };

			strbuf_add(sb, two, 2);
		}
		if (json)
			strbuf_addch(sb, '"');
		return;
	}
	case FK_BAD:
		strbuf_addstr(sb, json ? "null" : "?");
		return;
	case FK_PTR: {
		uint64_t v = field_u64(d, ev, &ref);

		if (json) {
			add_u64(sb, v);
		} else {
			strbuf_add(sb, "0x", 2);
			add_hex(sb, v);
		}
		return;
	}
	case FK_NUM: {
		uint64_t v = field_u64(d, ev, &ref);

		if (p->mask32)
			v &= 0xffffffffULL;
		if (p->sgn) {
			int shift = 64 - 8 * p->bytes;

			add_s64(sb, p->bytes < 8 ? (int64_t)(v << shift) >> shift : (int64_t)v);
		} else {
			add_u64(sb, v);
		}
		return;
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

/* How much text is gathered before it is written */
#define REPLAY_FLUSH (256u << 10)

/* The plans by event id (common_type is 16 bits); one more for an event without a format */
struct plans {
	struct event_plan **by_id;
	struct event_plan *none;
	struct event_plan *other;	/* an id past 16 bits: planned for each event */
};

static void plan_free(struct event_plan *ep)
{
	if (!ep)
		return;
	for (int i = 0; i < ep->nr; i++) {
		free(ep->f[i].text_name);
		free(ep->f[i].json_name);
	}
	free(ep->f);
	free(ep);
}

static struct event_plan *plan_new(const struct replay_opts *o, struct tep_event *e)
{
	struct event_plan *ep = xcalloc(1, sizeof(*ep));
	struct tep_format_field **fields = e ? tep_event_fields(e) : NULL;

	ep->selected = event_selected(o, e);
	for (int i = 0; fields && fields[i]; i++)
		ep->nr++;
	ep->f = xcalloc(ep->nr ? ep->nr : 1, sizeof(*ep->f));
	for (int i = 0; i < ep->nr; i++)
		plan_field(&ep->f[i], fields[i], !i);
	free(fields);
	return ep;
}

/* The plan of @e's type, made the first time it is seen */
static const struct event_plan *event_plan(struct plans *p, const struct replay_opts *o,
					   struct tep_event *e)
{
	if (!e) {
		if (!p->none)
			p->none = plan_new(o, NULL);
		return p->none;
	}
	if (e->id < 0 || e->id > 0xffff) {
		plan_free(p->other);
		p->other = plan_new(o, e);
		return p->other;
	}
	if (!p->by_id)
		p->by_id = xcalloc(0x10000, sizeof(*p->by_id));
	if (!p->by_id[e->id])
		p->by_id[e->id] = plan_new(o, e);
	return p->by_id[e->id];
}

static void plans_release(struct plans *p)
{
	for (int i = 0; p->by_id && i <= 0xffff; i++)
		plan_free(p->by_id[i]);
	free(p->by_id);
	plan_free(p->none);
	plan_free(p->other);
}

/* "%6llu.%09llu [%03d] " of the event's time and CPU */
static void add_ts(struct strbuf *sb, uint64_t ts, int cpu)
{
	uint64_t sec = ts / NSEC_PER_SEC, ns = ts % NSEC_PER_SEC;
	char frac[10];

	if (sec < 100000) {
		char w[6];

		for (int i = 5; i >= 0; i--) {
			w[i] = sec || i == 5 ? '0' + sec % 10 : ' ';
			sec /= 10;
		}
		strbuf_add(sb, w, 6);
	} else {
		add_u64(sb, sec);
	}
	frac[0] = '.';
	for (int i = 9; i >= 1; i--) {
		frac[i] = '0' + ns % 10;
		ns /= 10;
	}
	strbuf_add(sb, frac, 10);
	if (cpu >= 0 && cpu < 1000) {
		char c[6] = { ' ', '[', '0' + cpu / 100, '0' + cpu / 10 % 10, '0' + cpu % 10, ']' };

		strbuf_add(sb, c, 6);
		strbuf_addch(sb, ' ');
	} else {
		strbuf_addf(sb, " [%03d] ", cpu);
	}
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

static const struct cmd_option replay_options[] = {
	OPT_SHORT('i', "input", required_argument, "<file>",
		  "a recording: file, directory, glob or rotated name"),
	OPT_GROUP("Which events"),
	OPT_LONG("cpu", 'c', required_argument, "<n>", "only the events of CPU <n>"),
	OPT_LONG("pid", 'P', required_argument, "<pid>", "only the events of thread or process <pid>"),
	OPT_LONG("comm", 'C', required_argument, "<name>", "only the events of threads named <name>"),
	OPT_SHORT('e', "event", required_argument, "<event>[,...]", "only these events (wildcards allowed)"),
	OPT_GROUP("Output"),
	OPT_LONG("json", 'J', no_argument, NULL, "one JSON object per event, one a line"),
	OPT_SHORT('j', "jobs", required_argument, "<n>", "decode with <n> threads (default: the online CPUs)"),
	OPT_END(),
};

static const struct cmd_desc replay_cmd = { "replay", replay_usage, replay_options, false };

static void parse_args(int argc, char **argv, struct replay_opts *o)
{
	unsigned long long v;
	int c;

	while ((c = cmd_getopt(argc, argv, &replay_cmd)) != -1) {
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
		case 'J':
			o->json = 1;
			break;
		case 'j':
			o->jobs = cmd_jobs_arg(&replay_cmd, argv[optind - 1], optarg, DECODER_MAX_THREADS);
			break;
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
	struct plans plans = { 0 };
	char comm_raw[sizeof(((struct task *)0)->comm) + 1] = "";
	struct strbuf comm_json = STRBUF_INIT, comm_text = STRBUF_INIT;

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
	decoder_set_threads(d, o.jobs ? o.jobs : online_cpus_max(DECODER_MAX_THREADS));
	nr_ctr = counters_desc_parse(recording_attr(r, "perf/counters"), ctr, ARRAY_SIZE(ctr));
	/* every CPU is decoded: lifecycle events elsewhere keep comms right */
	model_init(&m);
	model_load(&m, r);
	lifecycle_init(&lc, &m, d);

	while (decoder_next(d, &ev) > 0) {
		struct task *t = model_task(&m, ev.pid);
		const struct event_plan *ep;

		if ((o.cpu >= 0 && o.cpu != ev.cpu) ||
		    (o.pid >= 0 && o.pid != ev.pid && o.pid != t->proc->tgid) ||
		    (o.comm && strcmp(o.comm, t->comm)))
			goto next;
		ep = event_plan(&plans, &o, ev.event);
		if (!ep->selected)
			goto next;
		if (strcmp(comm_raw, t->comm)) {
			char text[80];

			snprintf(comm_raw, sizeof(comm_raw), "%s", t->comm);
			strbuf_reset(&comm_json);
			strbuf_add_json(&comm_json, t->comm);
			strbuf_reset(&comm_text);
			strbuf_addstr(&comm_text, esc(text, sizeof(text), t->comm));
		}
		if (o.json) {
			strbuf_add(&sb, "{\"ts\":", 6);
			add_u64(&sb, ev.ts);
			strbuf_add(&sb, ",\"cpu\":", 7);
			add_s64(&sb, ev.cpu);
			strbuf_add(&sb, ",\"comm\":\"", 9);
			strbuf_add(&sb, comm_json.buf, comm_json.len);
			strbuf_add(&sb, "\",\"tid\":", 8);
			add_s64(&sb, ev.pid);
			strbuf_add(&sb, ",\"pid\":", 7);
			add_s64(&sb, t->proc->tgid);
			if (ev.missed) {
				strbuf_addstr(&sb, ",\"lost_before\":");
				add_u64(&sb, ev.missed);
			}
			if (ev.event) {
				strbuf_addstr(&sb, ",\"system\":\"");
				strbuf_addstr(&sb, ev.event->system);
				strbuf_addstr(&sb, "\",\"event\":\"");
				strbuf_addstr(&sb, ev.event->name);
				strbuf_addstr(&sb, "\",\"fields\":{");
			} else {
				strbuf_addstr(&sb, ",\"system\":null,\"event\":null,\"fields\":{");
			}
		} else {
			if (ev.missed)
				strbuf_addf(&sb, "CPU %d: %u events lost\n", ev.cpu, ev.missed);
			add_ts(&sb, ev.ts, ev.cpu);
			strbuf_add(&sb, comm_text.buf, comm_text.len);
			strbuf_addch(&sb, '-');
			add_s64(&sb, ev.pid);
			strbuf_addch(&sb, ' ');
			strbuf_addstr(&sb, ev.event ? ev.event->name : "<unknown event>");
			strbuf_addch(&sb, ':');
		}
		for (int i = 0; i < ep->nr; i++) {
			strbuf_addstr(&sb, o.json ? ep->f[i].json_name : ep->f[i].text_name);
			add_field(&sb, d, &ev, &ep->f[i], o.json);
		}
		if (o.json)
			strbuf_addch(&sb, '}');
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
		/* written in large blocks, not a line at a time */
		if (sb.len >= REPLAY_FLUSH) {
			fwrite(sb.buf, 1, sb.len, stdout);
			strbuf_reset(&sb);
		}
next:
		lifecycle_feed(&lc, &ev);
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	plans_release(&plans);
	strbuf_release(&comm_json);
	strbuf_release(&comm_text);
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
