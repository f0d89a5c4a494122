// SPDX-License-Identifier: GPL-2.0
/*
 * ftio info: what a recording is (machine, kernel, clock, layers, the
 * strategies used), how it is stored (chunks, raw and compressed sizes per
 * CPU), what it lost, and whether it ended cleanly or was cut.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "builtin.h"
#include "parse-options.h"
#include "decode/decoder.h"
#include "format/frontend.h"
#include "format/lastboot-desc.h"
#include "format/stats.h"
#include "lib/util.h"

static const char *const info_usage[] = {
	"ftio info [-i <file>]... [--json] [<file>...]",
	NULL,
};

struct cpu_info {
	uint64_t chunks, raw, stored, events, missed;
	uint64_t first_ts, last_ts;
};

/* The attribute escaped for a terminal (a ring of buffers: up to 8 in one printf) */
static const char *attr_or(const struct recording *r, const char *name, const char *def)
{
	static char ring[8][2048];	/* as long as the cmdline got before */
	static unsigned int next;
	const char *v = recording_attr(r, name);

	if (!v || !*v)
		return def;
	return esc(ring[next++ % 8], sizeof(ring[0]), v);
}

static void json_kv(struct strbuf *sb, const char *key, const char *val, int comma)
{
	strbuf_addf(sb, "%s\"%s\":", comma ? "," : "", key);
	if (!val) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addch(sb, '"');
	strbuf_add_json(sb, val);
	strbuf_addch(sb, '"');
}

/* What info finds in a set of files, filled by the steps of cmd_info() */
struct info {
	struct recset set;
	struct recording *r;		/* the first file: metadata */
	struct recording *lastrec;	/* the last file: the end marker, final counts */
	int ncpus;
	uint64_t total_size, damaged, truncated;
	size_t total_chunks;
	struct cpu_info *ci;		/* @ncpus of them */
	uint64_t nattr, nsub, nstats, raw, stored;
	struct decoder *d;
	struct decoder_stats ds;
	uint64_t lost, events;
	uint64_t first, last;
};

/* The inputs named by -i and the arguments, in order; the caller frees the array */
static const struct cmd_option info_options[] = {
	OPT_SHORT('i', "input", required_argument, "<file>",
		  "a recording: file, directory, glob or rotated name"),
	OPT_LONG("json", 'j', no_argument, NULL, "one JSON document instead of text"),
	OPT_END(),
};

static const struct cmd_desc info_cmd = { "info", info_usage, info_options, false };

static char **info_parse_args(int argc, char **argv, size_t *nr_inputs, int *json)
{
	char **inputs = NULL;
	int c;

	while ((c = cmd_getopt(argc, argv, &info_cmd)) != -1) {
		switch (c) {
		case 'i':
			inputs = xrealloc(inputs, (*nr_inputs + 1) * sizeof(char *));
			inputs[(*nr_inputs)++] = optarg;
			break;
		case 'j':
			*json = 1;
			break;
		}
	}
	for (; optind < argc; optind++) {
		inputs = xrealloc(inputs, (*nr_inputs + 1) * sizeof(char *));
		inputs[(*nr_inputs)++] = argv[optind];
	}
	return inputs;
}

/* The CPUs: those with event chunks, or more when the recording says so */
static void info_count_cpus(struct info *in)
{
	int meta_cpus;

	for (size_t f = 0; f < in->set.n; f++) {
		for (size_t i = 0; i < in->set.v[f]->nr_chunks; i++) {
			const struct chunk_info *k = &in->set.v[f]->chunks[i].info;

			if (FTIO_CHUNK_HAS_EVENTS(k->type) && k->cpu < 8192 && (int)k->cpu + 1 > in->ncpus)
				in->ncpus = k->cpu + 1;
		}
		in->total_size += in->set.v[f]->size;
		in->total_chunks += in->set.v[f]->nr_chunks;
		in->damaged += in->set.v[f]->damaged_bytes;
		in->truncated += in->set.v[f]->truncated_bytes;
	}
	meta_cpus = (int)recording_attr_u64(in->r, "meta/cpus", 0);
	in->ncpus = in->ncpus > meta_cpus ? in->ncpus : meta_cpus;
	if (in->ncpus > 8192)
		in->ncpus = 8192;
}

static void info_count_chunks(struct info *in)
{
	in->ci = xcalloc(in->ncpus ? in->ncpus : 1, sizeof(*in->ci));
	for (size_t f = 0; f < in->set.n; f++)
	for (size_t i = 0; i < in->set.v[f]->nr_chunks; i++) {
		const struct chunk_info *k = &in->set.v[f]->chunks[i].info;

		in->raw += k->raw_size;
		in->stored += k->stored_size + FTIO_CHUNK_HEADER_SIZE;
		if (FTIO_CHUNK_HAS_EVENTS(k->type) && k->cpu < (unsigned int)in->ncpus) {
			struct cpu_info *ci = &in->ci[k->cpu];

			in->nsub++;
			ci->chunks++;
			ci->raw += k->raw_size;
			ci->stored += k->stored_size + FTIO_CHUNK_HEADER_SIZE;
		} else if (k->type == FTIO_CHUNK_STATS) {
			in->nstats++;
		} else {
			in->nattr++;
		}
	}
}

/* Every event, for the counts per CPU and the time span */
static void info_decode(struct info *in)
{
	struct ftio_event ev;

	in->first = UINT64_MAX;
	in->d = decoder_new_multi(in->set.v, in->set.n);
	if (!in->d) {
		recording_warn(in->r, "cannot decode events: %s",
			       errno == EBADMSG ? "event formats missing or unusable" : strerror(errno));
		memset(&in->ds, 0, sizeof(in->ds));
		return;
	}
	while (decoder_next(in->d, &ev) > 0) {
		struct cpu_info *p = &in->ci[ev.cpu < in->ncpus ? ev.cpu : 0];

		p->events++;
		p->missed = u64_add_sat(p->missed, ev.missed);
		if (!p->first_ts)
			p->first_ts = ev.ts;
		p->last_ts = ev.ts;
		if (ev.ts < in->first)
			in->first = ev.ts;
		if (ev.ts > in->last)
			in->last = ev.ts;
		in->events++;
	}
	decoder_get_stats(in->d, &in->ds);
}

static void info_print_json(const struct info *in)
{
	const struct recording *r = in->r, *lastrec = in->lastrec;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addch(&sb, '{');
	json_kv(&sb, "file", r->path, 0);
	strbuf_addf(&sb, ",\"files\":%zu,\"size\":%llu", in->set.n,
		    (unsigned long long)in->total_size);
	json_kv(&sb, "ftio_version", recording_attr(r, "meta/ftio_version"), 1);
	json_kv(&sb, "cmdline", recording_attr(r, "meta/cmdline"), 1);
	json_kv(&sb, "kernel_release", recording_attr(r, "meta/kernel_release"), 1);
	json_kv(&sb, "arch", recording_attr(r, "meta/arch"), 1);
	json_kv(&sb, "endian", recording_attr(r, "meta/endian"), 1);
	json_kv(&sb, "clock", recording_attr(r, "meta/clock"), 1);
	json_kv(&sb, "layers", recording_attr(r, "meta/layers"), 1);
	json_kv(&sb, "strategy", recording_attr(r, "meta/strategy"), 1);
	json_kv(&sb, "end_reason", recording_attr(lastrec, "end/reason"), 1);
	/* only in a salvage's: every other recording's JSON stays as it was */
	if (lastboot_is_salvage(r)) {
		static const char *const keys[] = { "boot_id", "kernel", "armed_real_ns", "real_ns",
						     "this_boot_id", "this_kernel", "formats",
						     "kernel_text", "text_delta", "wrapped_cpus",
						     "events", "undecoded", "notes" };

		strbuf_addstr(&sb, ",\"salvage\":{\"kind\":\"last-boot\"");
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
			char name[64];

			snprintf(name, sizeof(name), "salvage/%s", keys[i]);
			json_kv(&sb, keys[i], recording_attr(r, name), 1);
		}
		strbuf_addch(&sb, '}');
	}
	/* what the kernel says the readers took, for checking nothing fell between files */
	if (recording_attr(lastrec, "end/events"))
		strbuf_addf(&sb, ",\"kernel_events\":%llu",
			    (unsigned long long)recording_attr_u64(lastrec, "end/events", 0));
	else
		strbuf_addstr(&sb, ",\"kernel_events\":null");
	strbuf_addf(&sb, ",\"clean_end\":%s,\"cpus\":%d,\"chunks\":%zu,\"raw_bytes\":%llu,"
		    "\"stored_bytes\":%llu,\"events\":%llu,\"lost_events\":%llu,"
		    "\"missed_in_band\":%llu,\"damaged_bytes\":%llu,\"truncated_bytes\":%llu,"
		    "\"per_cpu\":[",
		    lastrec->clean_end ? "true" : "false", in->ncpus, in->total_chunks,
		    (unsigned long long)in->raw, (unsigned long long)in->stored,
		    (unsigned long long)in->events, (unsigned long long)in->lost,
		    (unsigned long long)in->ds.missed, (unsigned long long)in->damaged,
		    (unsigned long long)in->truncated);
	for (int i = 0; i < in->ncpus; i++)
		strbuf_addf(&sb, "%s{\"cpu\":%d,\"chunks\":%llu,\"events\":%llu,\"raw_bytes\":%llu,"
			    "\"stored_bytes\":%llu}", i ? "," : "", i,
			    (unsigned long long)in->ci[i].chunks, (unsigned long long)in->ci[i].events,
			    (unsigned long long)in->ci[i].raw, (unsigned long long)in->ci[i].stored);
	strbuf_addstr(&sb, "],\"warnings\":[");
	for (size_t f = 0, n = 0; f < in->set.n; f++) {
		for (size_t i = 0; i < in->set.v[f]->nr_warnings; i++, n++) {
			strbuf_addstr(&sb, n ? ",\"" : "\"");
			strbuf_add_json(&sb, in->set.v[f]->warnings[i]);
			strbuf_addch(&sb, '"');
		}
	}
	strbuf_addstr(&sb, "]}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* The files of the set, with their sizes */
static void info_print_files(const struct info *in)
{
	const struct recording *r = in->r;
	char b1[32];

	if (in->set.n == 1) {
		printf("file:         %s (%s)\n", r->path, fmt_bytes(b1, sizeof(b1), r->size));
		return;
	}
	printf("files:        %zu, %s in all\n", in->set.n,
	       fmt_bytes(b1, sizeof(b1), in->total_size));
	for (size_t f = 0; f < in->set.n; f++)
		printf("              %s (%s%s)\n", in->set.v[f]->path,
		       fmt_bytes(b1, sizeof(b1), in->set.v[f]->size),
		       in->set.v[f]->clean_end ? "" : ", no end marker");
}

/* How the capture was made: by whom, on what, when, with which layers */
static void info_print_capture(const struct info *in)
{
	const struct recording *r = in->r, *lastrec = in->lastrec;
	uint64_t start_real = recording_attr_u64(r, "meta/start_real_ns", 0);
	time_t t = start_real / NSEC_PER_SEC;
	char when[64] = "unknown";
	char e1[2048], b1[32];
	struct tm tm;

	if (start_real && localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	printf("recorded by:  ftio %s: %s\n", attr_or(r, "meta/ftio_version", "?"),
	       attr_or(r, "meta/cmdline", "?"));
	printf("machine:      %s, Linux %s %s, %s-endian, long %s bytes, sub-buffer %s bytes\n",
	       attr_or(r, "meta/hostname", "?"), attr_or(r, "meta/kernel_release", "?"),
	       attr_or(r, "meta/arch", "?"), attr_or(r, "meta/endian", "?"),
	       attr_or(r, "meta/long_size", "?"), attr_or(r, "meta/subbuf_size", "?"));
	printf("started:      %s\n", when);
	printf("duration:     %s\n",
	       in->last > in->first ? fmt_ns(b1, sizeof(b1), in->last - in->first) : "0");
	printf("clock:        %s, %d CPUs\n", attr_or(r, "meta/clock", "?"), in->ncpus);
	printf("layers:       %s\n", attr_or(r, "meta/layers", "?"));
	printf("strategy:     %s\n", attr_or(r, "meta/strategy", "?"));
	if (recording_attr(r, "meta/path_filter"))
		printf("path filter:  %s\n", esc(e1, sizeof(e1), recording_attr(r, "meta/path_filter")));
	if (recording_attr(r, "meta/command"))
		printf("command:      %s\n", esc(e1, sizeof(e1), recording_attr(r, "meta/command")));
	printf("unavailable:  %s\n", attr_or(r, "meta/unavailable", "none"));
	if (lastboot_is_salvage(r)) {
		char *d = lastboot_describe(r, true);
		const char *notes = recording_attr(r, "salvage/notes");

		printf("salvage:      %s\n", esc(e1, sizeof(e1), d));
		if (notes && *notes)
			printf("salvage notes: %s\n", esc(e1, sizeof(e1), notes));
		free(d);
	}
	if (lastrec->clean_end)
		printf("end:          clean (%s)\n", attr_or(lastrec, "end/reason", "?"));
	else
		printf("end:          no end marker: the recorder did not stop cleanly (killed, crash, full disk?)\n");
}

/* How it is stored and what it lost, in all and per CPU */
static void info_print_storage(const struct info *in)
{
	char b1[32], b2[32];

	if (in->truncated || in->damaged)
		printf("damage:       %llu bytes cut at the end, %llu bytes damaged inside\n",
		       (unsigned long long)in->truncated, (unsigned long long)in->damaged);
	printf("chunks:       %zu (%llu sub-buffer, %llu metadata, %llu stats)\n", in->total_chunks,
	       (unsigned long long)in->nsub, (unsigned long long)in->nattr,
	       (unsigned long long)in->nstats);
	printf("size:         %s stored, %s raw (x%.1f)\n", fmt_bytes(b1, sizeof(b1), in->stored),
	       fmt_bytes(b2, sizeof(b2), in->raw), in->stored ? (double)in->raw / in->stored : 0.0);
	printf("events:       %llu (%.1f bytes each on disk)\n", (unsigned long long)in->events,
	       in->events ? (double)in->stored / in->events : 0.0);
	printf("lost:         %llu (ring buffer), %llu flagged in sub-buffers%s\n",
	       (unsigned long long)in->lost, (unsigned long long)(in->ds.missed + in->ds.missed_unknown),
	       in->lost ? " -- latencies near losses are excluded from reports" : "");
	printf("\n  cpu  chunks    events         raw      stored\n");
	for (int i = 0; i < in->ncpus; i++)
		printf("  %3d  %6llu  %8llu  %10s  %10s\n", i, (unsigned long long)in->ci[i].chunks,
		       (unsigned long long)in->ci[i].events, fmt_bytes(b1, sizeof(b1), in->ci[i].raw),
		       fmt_bytes(b2, sizeof(b2), in->ci[i].stored));
}

int cmd_info(int argc, char **argv)
{
	static char *default_input[] = { "ftio.dat" };
	struct info in = { .ncpus = 0 };
	size_t nr_inputs = 0;
	int json = 0;
	char **inputs = info_parse_args(argc, argv, &nr_inputs, &json);

	frontend_open_set(&in.set, nr_inputs ? inputs : default_input, nr_inputs ? nr_inputs : 1);
	in.r = in.set.v[0];
	in.lastrec = in.set.v[in.set.n - 1];
	info_count_cpus(&in);
	info_count_chunks(&in);
	info_decode(&in);
	/* cumulative counters: the last file of a rotated capture has the total */
	in.lost = ring_stats_lost(in.lastrec);
	if (json) {
		info_print_json(&in);
	} else {
		info_print_files(&in);
		info_print_capture(&in);
		info_print_storage(&in);
	}
	fflush(stdout);
	frontend_set_warnings(&in.set);
	decoder_free(in.d);
	frontend_close_set(&in.set);
	free(in.ci);
	free(inputs);
	return 0;
}
