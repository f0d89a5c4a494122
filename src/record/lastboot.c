// SPDX-License-Identifier: GPL-2.0
/*
 * Salvaging the previous boot out of the boot-mapped instance.
 *
 * The pages are read with libtracefs from each CPU's trace_pipe_raw, as
 * the recorder and the dead-ftio salvage (salvage.c) read theirs, and are
 * kept whole.  Before anything is written they are walked once: the count
 * and the smallest size of the events of each type id, each CPU's first
 * and last timestamp, and the arming markers ("ftio-boot-arm token=...",
 * one written from each CPU by boot_arm()).
 *
 * The formats come from the sidecar when the buffer's markers carry its
 * token.  When they do not (another arming's sidecar, another kernel
 * build, no sidecar at all), the sidecar's formats and this boot's are
 * both checked against the ids and sizes found, and the set that
 * describes more events is used; a format whose events are shorter than
 * it is dropped, so that they stay undecoded instead of decoded wrong.
 * A CPU whose marker is gone wrapped: its oldest events were overwritten,
 * and how many is not kept across a reboot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "layers.h"
#include "format/chunk.h"
#include "format/recording.h"
#include "format/tep.h"
#include "record/boot.h"
#include "record/chunk-writer.h"
#include "record/lastboot.h"
#include "record/lastboot-int.h"
#include "record/outfile.h"
#include "record/plan.h"
#include "record/recorder.h"
#include "record/session.h"
#include "lib/util.h"

#define SUBBUFS_PER_CHUNK 64


static void note(struct salvage *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct salvage *sv, const char *fmt, ...)
{
	va_list ap;

	if (sv->notes.len)
		strbuf_addstr(&sv->notes, "; ");
	va_start(ap, fmt);
	strbuf_vaddf(&sv->notes, fmt, ap);
	va_end(ap);
}


static void set_init(struct format_set *fs, const char *what)
{
	memset(fs, 0, sizeof(*fs));
	fs->what = what;
	fs->fixed = xcalloc(NR_TYPES, sizeof(*fs->fixed));
	fs->drop = xcalloc(NR_TYPES, sizeof(*fs->drop));
	strbuf_init(&fs->misfits, 0);
}

static void set_release(struct format_set *fs)
{
	free(fs->fixed);
	free(fs->drop);
	strbuf_release(&fs->misfits);
}

static void set_add(struct format_set *fs, const char *fmt)
{
	int id;
	uint32_t sz = lastboot_fixed_size(fmt, &id);

	if (id >= 0 && id < NR_TYPES)
		fs->fixed[id] = sz + 1;
}

/* What @fs makes of the events found; drops the formats their events do not fit */
static void set_fit(struct format_set *fs, const struct salvage *sv, const char *const *names)
{
	for (int t = 0; t < NR_TYPES; t++) {
		const struct type_hist *h = &sv->hist[t];

		if (!h->count)
			continue;
		if (!fs->fixed[t]) {
			fs->unknown += h->count;
		} else if (h->min_size < fs->fixed[t] - 1) {
			fs->misfit += h->count;
			fs->drop[t] = true;
			if (fs->misfits.len < 400)
				strbuf_addf(&fs->misfits, "%s%s (id %d: %llu events of %u bytes, it needs %u)",
					    fs->misfits.len ? ", " : "", names && names[t] ? names[t] : "?", t,
					    (unsigned long long)h->count, h->min_size, fs->fixed[t] - 1);
		} else {
			fs->decodable += h->count;
		}
	}
}


/*
 * A CPU wrapped when it holds events but not its arming marker: one the
 * arming marked (the sidecar's boot/marked_cpus, when its formats are
 * used), or any CPU when other CPUs kept theirs
 */
static bool cpu_wrapped(const struct salvage *sv, int cpu)
{
	const struct cpu_pages *cp = &sv->cpus[cpu];
	const char *marked = sv->use == &sv->side_fs && sv->side ?
			     recording_attr(sv->side, "boot/marked_cpus") : NULL;

	if (!cp->events || cp->marker)
		return false;
	if (sv->nr_markers)
		return true;
	for (const char *p = marked; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (atoi(p) == cpu)
			return true;
	return false;
}

/* When the arming was, in the instance's clock: its first marker, else the first event */
static uint64_t start_ts(const struct salvage *sv)
{
	uint64_t first = UINT64_MAX;

	if (sv->marker_ts)
		return sv->marker_ts;
	for (int cpu = 0; cpu < sv->ncpus; cpu++)
		if (sv->cpus[cpu].events && sv->cpus[cpu].first_ts < first)
			first = sv->cpus[cpu].first_ts;
	return first == UINT64_MAX ? 0 : first;
}

/* --- the formats --------------------------------------------------------------- */

/* The event names of the candidates, for the messages */
static void name_types(char **names, const char *attr_name, const char *fmt)
{
	int id;

	lastboot_fixed_size(fmt, &id);
	if (id >= 0 && id < NR_TYPES && !names[id])
		names[id] = xstrdup(attr_name + 7);	/* "format/" */
}

static void sidecar_set(struct salvage *sv, struct format_set *fs, char **names)
{
	for (size_t i = 0; i < sv->side->nr_attrs; i++) {
		const struct attr *a = &sv->side->attrs[i];

		if (strncmp(a->name, "format/", 7))
			continue;
		set_add(fs, a->value);
		name_types(names, a->name, a->value);
	}
}

/* This boot's formats of the layers' events (those of the sidecar's layers, or all) */
static void this_boot_set(struct salvage *sv, struct format_set *fs, char **names, struct strbuf *attrs)
{
	const char *layers = sv->side ? recording_attr(sv->side, "meta/layers") : NULL;
	char *list = xstrdup(layers && *layers ? layers : DEFAULT_LAYERS ",nfs"), *save = NULL;
	struct record_plan plan;

	record_plan_init(&plan, session_tracefs_dir());
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const struct ftio_layer *ly = layer_find(t);

		if (ly)
			ly->plan(&plan);
	}
	free(list);
	plan_add_event(&plan, "ftrace", "print");
	for (size_t i = 0; i < plan.nr_events; i++) {
		char *rel = xasprintf("%s/events/%s/%s/format", sv->bs->dir, plan.events[i].system,
				      plan.events[i].event);
		char *fmt = read_file(rel, NULL);

		free(rel);
		if (!fmt)
			continue;
		set_add(fs, fmt);
		rel = xasprintf("format/%s/%s", plan.events[i].system, plan.events[i].event);
		name_types(names, rel, fmt);
		if (attrs)
			attr_addstr(attrs, rel, fmt);
		free(rel);
		free(fmt);
	}
	record_plan_release(&plan);
}

/* --- the recording ------------------------------------------------------------- */

/* The sidecar's first ATTR chunk, without the formats @drop names (or all of them) */
static void copy_sidecar_meta(struct salvage *sv, struct strbuf *out, const struct format_set *fs,
			      bool formats)
{
	for (size_t i = 0; i < sv->side->nr_chunks; i++) {
		const struct chunk_info *k = &sv->side->chunks[i].info;
		struct attr_iter it;
		void *buf = NULL;
		ssize_t n;

		if (k->type != FTIO_CHUNK_ATTR || k->first_ts)
			continue;
		n = recording_load(sv->side, i, &buf);
		if (n < 0)
			break;
		attr_iter_init(&it, buf, n);
		while (attr_iter_next(&it) > 0) {
			char name[256];
			bool is_format;

			snprintf(name, sizeof(name), "%.*s", (int)it.name_len, it.name);
			is_format = !strncmp(name, "format/", 7);
			if (is_format && !formats)
				continue;
			if (is_format) {
				char *v = xstrndup(it.value, it.value_len);
				int id;

				lastboot_fixed_size(v, &id);
				free(v);
				if (id >= 0 && id < NR_TYPES && fs->drop[id])
					continue;
			}
			attr_add(out, name, it.value, it.value_len);
		}
		free(buf);
		break;
	}
}

/* The sidecar's snapshot chunks (stamped ATTR), as they are */
static void copy_snapshots(struct salvage *sv, struct chunk_writer *w)
{
	for (size_t i = 0; sv->side && i < sv->side->nr_chunks; i++) {
		const struct chunk_info *k = &sv->side->chunks[i].info;
		void *buf = NULL;
		ssize_t n;

		if (k->type != FTIO_CHUNK_ATTR || !k->first_ts)
			continue;
		n = recording_load(sv->side, i, &buf);
		if (n >= 0)
			chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, k->first_ts, k->last_ts, buf, n);
		else
			free(buf);
	}
}

/* Metadata of our own when there is no sidecar to take it from */
static void fresh_meta(struct salvage *sv, struct strbuf *m)
{
	struct utsname u;
	unsigned int one = 1;
	char *he = session_tracefs_read("events/header_event");

	uname(&u);
	attr_addstr(m, "meta/ftio_version", FTIO_VERSION);
	attr_addstr(m, "meta/cmdline", ftio_cmdline);
	attr_addstr(m, "meta/kernel_release", sv->kernel[0] ? sv->kernel : u.release);
	attr_addstr(m, "meta/arch", u.machine);
	attr_addstr(m, "meta/hostname", u.nodename);
	/* the salvaged boot's, as its markers say (a sidecar's metadata has its own) */
	if (sv->boot_id[0])
		attr_addstr(m, "meta/boot_id", sv->boot_id);
	attr_addstr(m, "meta/endian", *(unsigned char *)&one ? "little" : "big");
	attr_addf(m, "meta/long_size", "%d", sv->long_size);
	attr_addf(m, "meta/page_size", "%d", getpagesize());
	attr_addf(m, "meta/subbuf_size", "%d", sv->psz);
	attr_addstr(m, "meta/clock", sv->clock[0] ? sv->clock : "mono");
	attr_addf(m, "meta/cpus", "%d", sv->ncpus);
	attr_addf(m, "meta/streams", "%d", 1);
	attr_addstr(m, "meta/layers", DEFAULT_LAYERS);
	attr_addstr(m, "meta/strategy", "salvaged from the boot instance " BOOT_INSTANCE
		    " without a sidecar that fits: this boot's formats, no snapshot");
	attr_addstr(m, "meta/dyn_group", BOOT_GROUP);
	attr_addstr(m, "header_page", sv->header_page ? sv->header_page : "");
	if (he)
		attr_addstr(m, "header_event", he);
	free(he);
}

static char *when(uint64_t real_ns, char *buf, size_t size)
{
	time_t t = real_ns / 1000000000ULL;
	struct tm tm;

	if (!real_ns || !localtime_r(&t, &tm))
		snprintf(buf, size, "at an unknown time");
	else
		strftime(buf, size, "%Y-%m-%d %H:%M:%S %z", &tm);
	return buf;
}

static int write_recording(struct salvage *sv, const struct format_set *use, bool sidecar_formats,
			   struct strbuf *boot_formats, const char *path)
{
	struct strbuf meta = STRBUF_INIT, end = STRBUF_INIT, wrapped = STRBUF_INIT;
	struct chunk_writer *w;
	struct utsname u;
	char *old = NULL, *bid = boot_id();
	uint64_t last = 0;
	int fd, ret;

	uname(&u);
	/* a sidecar whose formats lost to this boot's is another machine's or boot's: none of it */
	if (sidecar_formats)
		copy_sidecar_meta(sv, &meta, use, true);
	else
		fresh_meta(sv, &meta);
	if (!sidecar_formats) {
		struct attr_iter it;

		/* this boot's formats, but those whose events do not fit */
		attr_iter_init(&it, boot_formats->buf, boot_formats->len);
		while (attr_iter_next(&it) > 0) {
			char name[256], *v = xstrndup(it.value, it.value_len);
			int id;

			lastboot_fixed_size(v, &id);
			free(v);
			if (id >= 0 && id < NR_TYPES && use->drop[id])
				continue;
			snprintf(name, sizeof(name), "%.*s", (int)it.name_len, it.name);
			attr_add(&meta, name, it.value, it.value_len);
		}
	}
	for (int cpu = 0; cpu < sv->ncpus; cpu++) {
		const struct cpu_pages *cp = &sv->cpus[cpu];

		if (cp->last_ts > last)
			last = cp->last_ts;
		if (cpu_wrapped(sv, cpu))
			strbuf_addf(&wrapped, "%s%d", wrapped.len ? "," : "", cpu);
	}
	/* the markers carry the instance clock's time of the arming */
	if (start_ts(sv))
		attr_addf(&meta, "meta/start_mono_ns", "%llu", (unsigned long long)start_ts(sv));
	attr_addstr(&meta, "salvage/kind", "last-boot");
	attr_addstr(&meta, "salvage/instance", BOOT_INSTANCE);
	attr_addstr(&meta, "salvage/boot_id", sv->boot_id[0] ? sv->boot_id
			     : sidecar_formats && recording_attr(sv->side, "boot/boot_id") ?
			       recording_attr(sv->side, "boot/boot_id") : "unknown");
	attr_addstr(&meta, "salvage/kernel", sv->kernel[0] ? sv->kernel
			     : sidecar_formats && recording_attr(sv->side, "meta/kernel_release") ?
			       recording_attr(sv->side, "meta/kernel_release") : "unknown");
	if (sidecar_formats && recording_attr(sv->side, "meta/start_real_ns"))
		attr_addstr(&meta, "salvage/armed_real_ns", recording_attr(sv->side, "meta/start_real_ns"));
	attr_addf(&meta, "salvage/real_ns", "%llu", (unsigned long long)now_real_ns());
	attr_addstr(&meta, "salvage/this_boot_id", bid);
	attr_addstr(&meta, "salvage/this_kernel", u.release);
	attr_addstr(&meta, "salvage/cmdline", ftio_cmdline);
	attr_addstr(&meta, "salvage/formats", use->what);
	attr_addstr(&meta, "salvage/last_boot_info", sv->bs->last_boot_info ? sv->bs->last_boot_info : "");
	if (sv->bs->prev_text) {
		uint64_t now_text = boot_kernel_text();

		attr_addf(&meta, "salvage/kernel_text", "%llx", (unsigned long long)sv->bs->prev_text);
		if (now_text)
			attr_addf(&meta, "salvage/text_delta", "%lld",
				  (long long)(sv->bs->prev_text - now_text));
	} else if (sv->bs->delta_format) {
		attr_addf(&meta, "salvage/text_delta", "%lld", sv->bs->text_delta);
	}
	attr_addstr(&meta, "salvage/wrapped_cpus", wrapped.buf);
	attr_addf(&meta, "salvage/events", "%llu", (unsigned long long)sv->events);
	attr_addf(&meta, "salvage/undecoded", "%llu", (unsigned long long)(use->unknown + use->misfit));
	attr_addstr(&meta, "salvage/notes", sv->notes.buf);

	fd = recording_create(path, &old);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	w = chunk_writer_new(fd, 1, 8);
	if (!w) {
		ret = -errno;
		close(fd);
		goto out;
	}
	chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, 0, 0, meta.buf, meta.len);
	meta.buf = NULL;
	if (sidecar_formats)
		copy_snapshots(sv, w);
	for (int cpu = 0; cpu < sv->ncpus; cpu++) {
		struct cpu_pages *cp = &sv->cpus[cpu];

		for (size_t i = 0; i < cp->n; i += SUBBUFS_PER_CHUNK) {
			size_t k = cp->n - i < SUBBUFS_PER_CHUNK ? cp->n - i : SUBBUFS_PER_CHUNK;
			uint8_t *batch = xmalloc(k * sv->psz);
			uint64_t first, lastp;

			memcpy(batch, cp->buf + i * sv->psz, k * sv->psz);
			memcpy(&first, batch, 8);
			memcpy(&lastp, batch + (k - 1) * sv->psz, 8);
			chunk_writer_submit(w, FTIO_CHUNK_SUBBUF, 0, cpu, first, lastp, batch, k * sv->psz);
		}
	}
	attr_addstr(&end, "end/reason", "last-boot salvage (the previous boot ended here)");
	attr_addf(&end, "end/mono_ns", "%llu", (unsigned long long)last);
	attr_addf(&end, "end/events", "%llu", (unsigned long long)sv->events);
	attr_addf(&end, "end/lost", "%d", 0);
	chunk_writer_submit(w, FTIO_CHUNK_END, 0, 0, 0, 0, end.buf, end.len);
	end.buf = NULL;
	ret = chunk_writer_close(w);
	if (!ret && old && !sv->o->quiet)
		fprintf(stderr, "ftio: kept the earlier recording as '%s'\n", old);
out:
	free(old);
	free(bid);
	strbuf_release(&meta);
	strbuf_release(&end);
	strbuf_release(&wrapped);
	return ret;
}

static void release(struct salvage *sv)
{
	if (sv->names) {
		for (int t = 0; t < NR_TYPES; t++)
			free(sv->names[t]);
		free(sv->names);
		set_release(&sv->side_fs);
		set_release(&sv->boot_fs);
		strbuf_release(&sv->boot_formats);
	}
	for (int cpu = 0; sv->cpus && cpu < sv->ncpus; cpu++)
		free(sv->cpus[cpu].buf);
	free(sv->cpus);
	free(sv->hist);
	free(sv->header_page);
	free(sv->side_why);
	if (sv->side)
		recording_close(sv->side);
	strbuf_release(&sv->notes);
}

/* Says there is nothing to salvage, and why */
static int none(const struct boot_state *bs)
{
	if (bs->last == LAST_CURRENT && bs->armed)
		fprintf(stderr, "ftio: no last-boot data in '%s': it holds this boot's events (it was "
			"armed since this boot began; salvage before arming)\n", BOOT_INSTANCE);
	else if (bs->last == LAST_CURRENT)
		fprintf(stderr, "ftio: no last-boot data in '%s': it was emptied in this boot "
			"(already salvaged, or disarmed)\n", BOOT_INSTANCE);
	else if (bs->last == LAST_PREVIOUS)
		fprintf(stderr, "ftio: no last-boot data in '%s': the previous boot left it empty "
			"(already salvaged, or it was not armed)\n", BOOT_INSTANCE);
	else
		fprintf(stderr, "ftio: no last-boot data in '%s': a cold boot, or the reserved "
			"memory was not kept (a power cut, firmware that clears RAM, or a kernel that "
			"moved: see ftio boot-setup)%s\n", BOOT_INSTANCE,
			bs->delta_format ? ", or it was already salvaged" : "");
	return LASTBOOT_NONE;
}

/* The sidecar: a bad one is no reason to leave the pages in the kernel */
static void open_sidecar(struct salvage *sv)
{
	const struct lastboot_opts *o = sv->o;

	sv->side = recording_open(o->sidecar);
	if (!sv->side)
		sv->side_why = xasprintf("%s", errno == ENOENT ? "it does not exist" :
					 errno == EBADMSG ? "it is not an ftio recording" : strerror(errno));
	else if (!recording_attr(sv->side, "boot/token") && !o->quiet)
		warning("'%s' is a recording, not the sidecar of a boot-instance arming", o->sidecar);
	sv->side_token = sv->side ? recording_attr(sv->side, "boot/token") : NULL;
}

/* The sidecar's formats when its token is in the buffer, else the set that fits more */
static void choose_formats(struct salvage *sv)
{
	sv->names = xcalloc(NR_TYPES, sizeof(*sv->names));
	set_init(&sv->side_fs, "");
	set_init(&sv->boot_fs, "");
	strbuf_init(&sv->boot_formats, 0);
	if (sv->side)
		sidecar_set(sv, &sv->side_fs, sv->names);
	this_boot_set(sv, &sv->boot_fs, sv->names, &sv->boot_formats);
	set_fit(&sv->side_fs, sv, (const char *const *)sv->names);
	set_fit(&sv->boot_fs, sv, (const char *const *)sv->names);
	sv->confirmed = sv->side && sv->side_token && sv->token[0] && !strcmp(sv->side_token, sv->token);
	if (sv->confirmed) {
		sv->use = &sv->side_fs;
		sv->side_fs.what = "the sidecar's (its arming marker is in the buffer)";
	} else if (sv->side && sv->side_fs.decodable >= sv->boot_fs.decodable) {
		sv->use = &sv->side_fs;
		sv->side_fs.what = "the sidecar's (not confirmed: no marker of its arming in the buffer)";
	} else {
		sv->use = &sv->boot_fs;
		sv->boot_fs.what = sv->side ? "this boot's kernel (they fit more events than the sidecar's)"
					    : "this boot's kernel (no sidecar)";
	}
}

/* What the buffer and the sidecar say of each other, what wrapped, what is undecoded */
static void add_notes(struct salvage *sv)
{
	const struct lastboot_opts *o = sv->o;
	const struct format_set *use = sv->use;
	bool sidecar_formats = use == &sv->side_fs;
	char b1[64];

	if (!sv->side) {
		note(sv, "no sidecar ('%s': %s): decoded with this boot's event formats, right only "
		     "for the same kernel build; the snapshot (processes, files, users) is missing",
		     o->sidecar, sv->side_why);
	} else if (!sv->confirmed) {
		const char *sk = recording_attr(sv->side, "meta/kernel_release");

		if (sv->token[0] && !sv->side_token)
			note(sv, "the sidecar '%s' is not this buffer's: it is a recording of Linux %s, "
			     "not the sidecar of an arming; the buffer was armed by %s on Linux %s",
			     o->sidecar, sk ? sk : "?", sv->token, sv->kernel[0] ? sv->kernel : "?");
		else if (sv->token[0])
			note(sv, "the sidecar '%s' is not this buffer's: it was written by arming %s on "
			     "Linux %s, the buffer was armed by %s on Linux %s (another arming, or another "
			     "kernel build)", o->sidecar, sv->side_token, sk ? sk : "?", sv->token,
			     sv->kernel[0] ? sv->kernel : "?");
		else
			note(sv, "the buffer has no arming marker (overwritten, or not armed by ftio "
			     "record --boot-instance): the sidecar '%s' (Linux %s) cannot be confirmed",
			     o->sidecar, sk ? sk : "?");
	}
	if (sv->side && !sidecar_formats)
		note(sv, "its metadata and snapshot are left out (processes, files and users unknown)");
	if (use->unknown || use->misfit)
		note(sv, "%llu of %llu events could not be decoded with %s formats: %llu have ids "
		     "they do not describe%s%s%s", (unsigned long long)(use->unknown + use->misfit),
		     (unsigned long long)sv->events, sidecar_formats ? "the sidecar's" : "this boot's",
		     (unsigned long long)use->unknown, use->misfit ? ", and these do not fit: " : "",
		     use->misfits.buf, use->misfit ? " (a different kernel build?)" : "");
	for (int cpu = 0; cpu < sv->ncpus; cpu++) {
		const struct cpu_pages *cp = &sv->cpus[cpu];

		if (!cpu_wrapped(sv, cpu))
			continue;
		if (sv->marker_ts)
			note(sv, "cpu%d wrapped: its events older than %s after the arming were "
			     "overwritten (how many is not kept across a reboot)", cpu,
			     fmt_ns(b1, sizeof(b1), cp->first_ts > sv->marker_ts ? cp->first_ts - sv->marker_ts : 0));
		else
			note(sv, "cpu%d wrapped: its arming marker and the events after it were "
			     "overwritten, up to its first event left (how many is not kept across a "
			     "reboot)", cpu);
		sv->wrapped++;
	}
	if (sv->bad_pages)
		note(sv, "%llu sub-buffers with impossible headers skipped",
		     (unsigned long long)sv->bad_pages);
}

static void summary(const struct salvage *sv)
{
	uint64_t first = UINT64_MAX, last = 0;
	char b1[64], b2[64];

	for (int cpu = 0; cpu < sv->ncpus; cpu++) {
		if (sv->cpus[cpu].events && sv->cpus[cpu].first_ts < first)
			first = sv->cpus[cpu].first_ts;
		if (sv->cpus[cpu].last_ts > last)
			last = sv->cpus[cpu].last_ts;
	}
	fprintf(stderr, "ftio: salvaged the previous boot (boot %s, Linux %s, armed %s) to '%s': "
		"%llu events, %llu sub-buffers, the last %s of it; formats: %s%s\n",
		sv->boot_id[0] ? sv->boot_id : "unknown", sv->kernel[0] ? sv->kernel : "unknown",
		when(sv->side && sv->confirmed ? recording_attr_u64(sv->side, "meta/start_real_ns", 0) : 0,
		     b2, sizeof(b2)),
		sv->o->output, (unsigned long long)sv->events, (unsigned long long)sv->pages,
		fmt_ns(b1, sizeof(b1), last > first ? last - first : 0), sv->use->what,
		sv->wrapped ? "" : "; no CPU wrapped");
	if (sv->notes.len)
		fprintf(stderr, "ftio: %s\n", sv->notes.buf);
}

int lastboot_salvage(const struct lastboot_opts *o, const struct boot_state *bs, char **saved)
{
	struct salvage sv = { .o = o, .bs = bs };
	int ret;

	if (saved)
		*saved = NULL;
	if (bs->last != LAST_PREVIOUS || !bs->entries)
		return none(bs);
	strbuf_init(&sv.notes, 0);
	sv.ncpus = bs->ncpus;
	sv.cpus = xcalloc(sv.ncpus ? sv.ncpus : 1, sizeof(*sv.cpus));
	sv.hist = xcalloc(NR_TYPES, sizeof(*sv.hist));
	lastboot_read_layout(&sv);
	open_sidecar(&sv);
	ret = lastboot_read_pages(&sv);
	if (ret) {
		error("cannot read the ring buffers of '%s': %s", BOOT_INSTANCE, strerror(-ret));
		release(&sv);
		return LASTBOOT_ERROR;
	}
	lastboot_scan(&sv);
	if (!sv.events) {
		fprintf(stderr, "ftio: no last-boot data in '%s': its %llu events were gone when read "
			"(another reader took them)\n", BOOT_INSTANCE, (unsigned long long)bs->entries);
		release(&sv);
		return LASTBOOT_NONE;
	}
	choose_formats(&sv);
	add_notes(&sv);
	ret = write_recording(&sv, sv.use, sv.use == &sv.side_fs, &sv.boot_formats, o->output);
	if (ret) {
		error("cannot write '%s': %s (the %llu events read from '%s' are lost: the kernel "
		      "hands each page over once)", o->output,
		      ret == -ELOOP ? "it is a symbolic link (refusing to follow it)" : strerror(-ret),
		      (unsigned long long)sv.events, BOOT_INSTANCE);
	} else {
		/*
		 * Read pages come back at the next boot on kernels that rewind
		 * the buffer (Linux 6.16+): emptied, they are not salvaged twice
		 */
		char *p = xasprintf("%s/trace", bs->dir);

		write_file(p, "", 0);
		free(p);
		if (!o->quiet)
			summary(&sv);
		if (saved)
			*saved = xstrdup(o->output);
	}
	release(&sv);
	return ret ? LASTBOOT_ERROR : LASTBOOT_SAVED;
}
