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
#include "decode/decoder.h"
#include "format/frontend.h"
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

static const char *attr_or(const struct recording *r, const char *name, const char *def)
{
	const char *v = recording_attr(r, name);

	return v && *v ? v : def;
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

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **inputs = NULL;
	size_t nr_inputs = 0;
	static char *default_input[] = { "ftio.dat" };
	struct recset set;
	int json = 0, c, ncpus = 0;
	struct recording *r, *lastrec;
	uint64_t total_size = 0, damaged = 0, truncated = 0;
	size_t total_chunks = 0;
	struct decoder *d;
	struct cpu_info *ci;
	struct ftio_event ev;
	struct decoder_stats ds;
	uint64_t nattr = 0, nsub = 0, nstats = 0, raw = 0, stored = 0, lost, events = 0;
	uint64_t first = UINT64_MAX, last = 0;
	char b1[32], b2[32];

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			inputs = xrealloc(inputs, (nr_inputs + 1) * sizeof(char *));
			inputs[nr_inputs++] = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage_show(info_usage, 0);
			return 0;
		default:
			usage_error(info_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		inputs = xrealloc(inputs, (nr_inputs + 1) * sizeof(char *));
		inputs[nr_inputs++] = argv[optind];
	}

	frontend_open_set(&set, nr_inputs ? inputs : default_input, nr_inputs ? nr_inputs : 1);
	r = set.v[0];
	lastrec = set.v[set.n - 1];
	for (size_t f = 0; f < set.n; f++) {
		for (size_t i = 0; i < set.v[f]->nr_chunks; i++) {
			const struct chunk_info *k = &set.v[f]->chunks[i].info;

			if (FTIO_CHUNK_HAS_EVENTS(k->type) && k->cpu < 8192 && (int)k->cpu + 1 > ncpus)
				ncpus = k->cpu + 1;
		}
		total_size += set.v[f]->size;
		total_chunks += set.v[f]->nr_chunks;
		damaged += set.v[f]->damaged_bytes;
		truncated += set.v[f]->truncated_bytes;
	}
	ncpus = ncpus > (int)recording_attr_u64(r, "meta/cpus", 0) ? ncpus
		: (int)recording_attr_u64(r, "meta/cpus", 0);
	if (ncpus > 8192)
		ncpus = 8192;
	ci = xcalloc(ncpus ? ncpus : 1, sizeof(*ci));
	for (size_t f = 0; f < set.n; f++)
	for (size_t i = 0; i < set.v[f]->nr_chunks; i++) {
		const struct chunk_info *k = &set.v[f]->chunks[i].info;

		raw += k->raw_size;
		stored += k->stored_size + FTIO_CHUNK_HEADER_SIZE;
		if (FTIO_CHUNK_HAS_EVENTS(k->type) && k->cpu < (unsigned int)ncpus) {
			nsub++;
			ci[k->cpu].chunks++;
			ci[k->cpu].raw += k->raw_size;
			ci[k->cpu].stored += k->stored_size + FTIO_CHUNK_HEADER_SIZE;
		} else if (k->type == FTIO_CHUNK_STATS) {
			nstats++;
		} else {
			nattr++;
		}
	}
	d = decoder_new_multi(set.v, set.n);
	if (d) {
		while (decoder_next(d, &ev) > 0) {
			struct cpu_info *p = &ci[ev.cpu < ncpus ? ev.cpu : 0];

			p->events++;
			p->missed += ev.missed;
			if (!p->first_ts)
				p->first_ts = ev.ts;
			p->last_ts = ev.ts;
			if (ev.ts < first)
				first = ev.ts;
			if (ev.ts > last)
				last = ev.ts;
			events++;
		}
		decoder_get_stats(d, &ds);
	} else {
		recording_warn(r, "cannot decode events: %s",
			       errno == EBADMSG ? "event formats missing or unusable" : strerror(errno));
		memset(&ds, 0, sizeof(ds));
	}
	/* cumulative counters: the last file of a rotated capture has the total */
	lost = ring_stats_lost(lastrec);

	if (json) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addch(&sb, '{');
		json_kv(&sb, "file", r->path, 0);
		strbuf_addf(&sb, ",\"files\":%zu,\"size\":%llu", set.n, (unsigned long long)total_size);
		json_kv(&sb, "ftio_version", recording_attr(r, "meta/ftio_version"), 1);
		json_kv(&sb, "cmdline", recording_attr(r, "meta/cmdline"), 1);
		json_kv(&sb, "kernel_release", recording_attr(r, "meta/kernel_release"), 1);
		json_kv(&sb, "arch", recording_attr(r, "meta/arch"), 1);
		json_kv(&sb, "endian", recording_attr(r, "meta/endian"), 1);
		json_kv(&sb, "clock", recording_attr(r, "meta/clock"), 1);
		json_kv(&sb, "layers", recording_attr(r, "meta/layers"), 1);
		json_kv(&sb, "strategy", recording_attr(r, "meta/strategy"), 1);
		json_kv(&sb, "end_reason", recording_attr(lastrec, "end/reason"), 1);
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
			    lastrec->clean_end ? "true" : "false", ncpus, total_chunks,
			    (unsigned long long)raw, (unsigned long long)stored,
			    (unsigned long long)events, (unsigned long long)lost,
			    (unsigned long long)ds.missed, (unsigned long long)damaged,
			    (unsigned long long)truncated);
		for (int i = 0; i < ncpus; i++)
			strbuf_addf(&sb, "%s{\"cpu\":%d,\"chunks\":%llu,\"events\":%llu,\"raw_bytes\":%llu,"
				    "\"stored_bytes\":%llu}", i ? "," : "", i,
				    (unsigned long long)ci[i].chunks, (unsigned long long)ci[i].events,
				    (unsigned long long)ci[i].raw, (unsigned long long)ci[i].stored);
		strbuf_addstr(&sb, "],\"warnings\":[");
		for (size_t f = 0, n = 0; f < set.n; f++) {
			for (size_t i = 0; i < set.v[f]->nr_warnings; i++, n++) {
				strbuf_addstr(&sb, n ? ",\"" : "\"");
				strbuf_add_json(&sb, set.v[f]->warnings[i]);
				strbuf_addch(&sb, '"');
			}
		}
		strbuf_addstr(&sb, "]}\n");
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&sb);
	} else {
		uint64_t start_real = recording_attr_u64(r, "meta/start_real_ns", 0);
		time_t t = start_real / NSEC_PER_SEC;
		char when[64] = "unknown";
		struct tm tm;

		if (start_real && localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
		if (set.n == 1) {
			printf("file:         %s (%s)\n", r->path, fmt_bytes(b1, sizeof(b1), r->size));
		} else {
			printf("files:        %zu, %s in all\n", set.n, fmt_bytes(b1, sizeof(b1), total_size));
			for (size_t f = 0; f < set.n; f++)
				printf("              %s (%s%s)\n", set.v[f]->path,
				       fmt_bytes(b1, sizeof(b1), set.v[f]->size),
				       set.v[f]->clean_end ? "" : ", no end marker");
		}
		char e1[2048];

		printf("recorded by:  ftio %s: %s\n", attr_or(r, "meta/ftio_version", "?"),
		       esc(e1, sizeof(e1), attr_or(r, "meta/cmdline", "?")));
		printf("machine:      %s, Linux %s %s, %s-endian, long %s bytes, sub-buffer %s bytes\n",
		       attr_or(r, "meta/hostname", "?"), attr_or(r, "meta/kernel_release", "?"),
		       attr_or(r, "meta/arch", "?"), attr_or(r, "meta/endian", "?"),
		       attr_or(r, "meta/long_size", "?"), attr_or(r, "meta/subbuf_size", "?"));
		printf("started:      %s\n", when);
		printf("duration:     %s\n", last > first ? fmt_ns(b1, sizeof(b1), last - first) : "0");
		printf("clock:        %s, %d CPUs\n", attr_or(r, "meta/clock", "?"), ncpus);
		printf("layers:       %s\n", attr_or(r, "meta/layers", "?"));
		printf("strategy:     %s\n", attr_or(r, "meta/strategy", "?"));
		if (recording_attr(r, "meta/path_filter"))
			printf("path filter:  %s\n", esc(e1, sizeof(e1), recording_attr(r, "meta/path_filter")));
		if (recording_attr(r, "meta/command"))
			printf("command:      %s\n", esc(e1, sizeof(e1), recording_attr(r, "meta/command")));
		printf("unavailable:  %s\n", attr_or(r, "meta/unavailable", "none"));
		if (lastrec->clean_end)
			printf("end:          clean (%s)\n", attr_or(lastrec, "end/reason", "?"));
		else
			printf("end:          no end marker: the recorder did not stop cleanly (killed, crash, full disk?)\n");
		if (truncated || damaged)
			printf("damage:       %llu bytes cut at the end, %llu bytes damaged inside\n",
			       (unsigned long long)truncated, (unsigned long long)damaged);
		printf("chunks:       %zu (%llu sub-buffer, %llu metadata, %llu stats)\n", total_chunks,
		       (unsigned long long)nsub, (unsigned long long)nattr, (unsigned long long)nstats);
		printf("size:         %s stored, %s raw (x%.1f)\n", fmt_bytes(b1, sizeof(b1), stored),
		       fmt_bytes(b2, sizeof(b2), raw), stored ? (double)raw / stored : 0.0);
		printf("events:       %llu (%.1f bytes each on disk)\n", (unsigned long long)events,
		       events ? (double)stored / events : 0.0);
		printf("lost:         %llu (ring buffer), %llu flagged in sub-buffers%s\n",
		       (unsigned long long)lost, (unsigned long long)(ds.missed + ds.missed_unknown),
		       lost ? " -- latencies near losses are excluded from reports" : "");
		printf("\n  cpu  chunks    events         raw      stored\n");
		for (int i = 0; i < ncpus; i++)
			printf("  %3d  %6llu  %8llu  %10s  %10s\n", i, (unsigned long long)ci[i].chunks,
			       (unsigned long long)ci[i].events, fmt_bytes(b1, sizeof(b1), ci[i].raw),
			       fmt_bytes(b2, sizeof(b2), ci[i].stored));
	}
	fflush(stdout);
	frontend_set_warnings(&set);
	decoder_free(d);
	frontend_close_set(&set);
	free(ci);
	free(inputs);
	return 0;
}
