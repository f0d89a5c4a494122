// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over everything that reads a recording: the chunk
 * index, chunk loading and inflation, the tep rebuilt from stored formats,
 * the per-CPU page walk, every field of every event read the way replay
 * reads them, the model and lifecycle, and then the reading commands
 * themselves (info, replay, report in text, drill, JSON, CSV and HTML,
 * export to Perfetto and CSV).  The
 * input is the recording file, written to a memfd that recording_open()
 * reaches as /proc/self/fd/N.
 *
 * Every chunk carries two CRCs, so a byte-level mutator mostly exercises
 * the resync path.  The custom mutator below edits chunks instead (one
 * payload, one header field, one ATTR value, a whole chunk duplicated,
 * dropped or moved) and re-seals the CRCs, so the decoder sees hostile
 * content behind valid framing; one mutation in eight is left raw.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

#include <event-parse.h>

#include <ftio/format.h>

#include "builtin.h"
#include "format/chunk.h"
#include "decode/decoder.h"
#include "decode/lifecycle.h"
#include "decode/model.h"
#include "format/recording.h"
#include "lib/util.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/*
 * libtraceevent 1.7.1 leaks what it allocated for a format it then fails
 * to parse; ftio cannot free that, so it is not ftio's leak
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:tep_parse_event\n";
}

static int memfd = -1;
static char path[64];
static volatile uint64_t sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	memfd = memfd_create("ftio-fuzz", MFD_CLOEXEC);
	if (memfd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	/* the commands print whole reports for each input */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	setenv("TZ", "UTC", 1);
	return 0;
}

static void put_input(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (ftruncate(memfd, 0) < 0)
		abort();
	while (done < size) {
		ssize_t n = pwrite(memfd, data + done, size - done, done);

		if (n <= 0)
			abort();
		done += n;
	}
}

static void touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0;

	for (size_t i = 0; i < n; i++)
		h = h * 31 + b[i];
	sink += h;
}

/* What cmd-replay.c's add_field() reads, field by field */
static void touch_field(struct decoder *d, const struct ftio_event *ev,
			struct tep_format_field *f)
{
	struct field_ref ref = {
		.offset = f->offset, .size = f->size, .valid = true,
		.is_dynamic = f->flags & TEP_FIELD_IS_DYNAMIC,
		.is_relative = f->flags & TEP_FIELD_IS_RELATIVE,
	};
	int len;

	touch(f->name, strlen(f->name));
	touch(f->type, strlen(f->type));
	if ((f->flags & TEP_FIELD_IS_STRING) ||
	    ((f->flags & TEP_FIELD_IS_ARRAY) && !strncmp(f->type, "char", 4))) {
		const char *s = field_str(d, ev, &ref, &len);

		if (s)
			touch(s, len);
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
		for (int i = 0; i < n && off + i < ev->size; i++)
			sink += ((uint8_t *)ev->data)[off + i];
		return;
	}
	sink += field_u64(d, ev, &ref) + field_s64(d, ev, &ref);
}

/* Decodes every event and touches every field; false when decoding cannot start */
static bool decode_all(struct recording *r)
{
	struct decoder *d = decoder_new(r);
	struct decoder_stats st;
	struct ftio_event ev;
	struct lifecycle lc;
	struct model m;

	if (!d)
		return false;
	model_init(&m);
	model_load(&m, r);
	lifecycle_init(&lc, &m, d);
	while (decoder_next(d, &ev) > 0) {
		struct task *t = model_task(&m, ev.pid);
		struct tep_format_field **fields;

		touch(t->comm, strnlen(t->comm, sizeof(t->comm)));
		sink += ev.ts + ev.cpu + ev.missed + t->proc->tgid;
		if (ev.size > 0)
			touch(ev.data, ev.size);
		fields = ev.event ? tep_event_fields(ev.event) : NULL;
		for (int i = 0; fields && fields[i]; i++)
			touch_field(d, &ev, fields[i]);
		free(fields);
		lifecycle_feed(&lc, &ev);
	}
	decoder_get_stats(d, &st);
	sink += st.events + st.bad_pages;
	model_release(&m);
	decoder_free(d);
	return true;
}

static void run_cmd3(int (*fn)(int, char **), const char *a1, const char *a2, const char *a3)
{
	char *argv[8];
	int argc = 0;

	argv[argc++] = "cmd";
	argv[argc++] = "-i";
	argv[argc++] = path;
	if (a1)
		argv[argc++] = (char *)a1;
	if (a2)
		argv[argc++] = (char *)a2;
	if (a3)
		argv[argc++] = (char *)a3;
	argv[argc] = NULL;
	optind = 0;	/* glibc: start getopt afresh */
	fn(argc, argv);
	fflush(stdout);
}

static void run_cmd(int (*fn)(int, char **), const char *a1, const char *a2)
{
	run_cmd3(fn, a1, a2, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recording *r;
	bool decodable;

	put_input(data, size);
	r = recording_open(path);
	if (!r)
		return 0;
	for (size_t i = 0; i < r->nr_chunks; i++) {
		void *buf;
		ssize_t n = recording_load(r, i, &buf);

		if (n > 0)
			touch(buf, n);
		free(buf);
	}
	for (size_t i = 0; i < r->nr_attrs; i++)
		touch(r->attrs[i].value, r->attrs[i].len);
	recording_close(r);

	/* a fresh open: recording_load() above marked failed chunks bad */
	r = recording_open(path);
	if (!r)
		abort();	/* the same bytes opened a moment ago */
	decodable = decode_all(r);
	recording_close(r);

	/* the commands die() when there is nothing to decode: only info copes */
	run_cmd(cmd_info, size & 1 ? "--json" : NULL, NULL);
	if (!decodable)
		return 0;
	run_cmd(cmd_replay, size & 2 ? "--json" : NULL, NULL);
	switch ((size >> 2) & 3) {
	case 0:
		run_cmd(cmd_report, NULL, NULL);
		break;
	case 1:
		run_cmd(cmd_report, "--drill", "--errors");
		break;
	case 2:
		run_cmd(cmd_report, "--json", NULL);
		break;
	case 3:
		run_cmd(cmd_report, "--csv", NULL);
		break;
	}
	/* the exports and the HTML page, into /dev/null (a device: written directly) */
	switch ((size >> 4) & 3) {
	case 0:
		run_cmd(cmd_export, "--perfetto", "/dev/null");
		break;
	case 1:
		run_cmd3(cmd_export, "--csv", "-o", "/dev/null");
		break;
	case 2:
		run_cmd(cmd_report, "--html", "/dev/null");
		break;
	case 3:
		break;
	}
	return 0;
}

/* ---- the structure-aware mutator ---- */

struct span {
	size_t off;	/* of the chunk header */
	size_t len;	/* header and payload */
};

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

/* Chunks as the framing says, CRCs ignored; returns how many */
static size_t split(const uint8_t *data, size_t size, struct span *sp, size_t max)
{
	size_t off = sizeof(struct ftio_file_header), n = 0;

	while (n < max && off + FTIO_CHUNK_HEADER_SIZE <= size) {
		size_t len = (size_t)FTIO_CHUNK_HEADER_SIZE + get_le32(data + off + 36);

		if (len > size - off)
			break;
		sp[n].off = off;
		sp[n++].len = len;
		off += len;
	}
	return n;
}

static void seal(uint8_t *hdr)
{
	put_le32(hdr + 44, ftio_crc32(hdr, 44));
}

/*
 * Replaces the payload of the chunk at @hdr with @raw (@len bytes),
 * compressed when @zstd; returns the new chunk length or 0 when it does
 * not fit in @room bytes.
 */
static size_t store_payload(uint8_t *hdr, size_t room, const void *raw, size_t len, bool zstd)
{
	uint16_t flags = get_le16(hdr + 6);
	size_t stored = len;

	if (room < FTIO_CHUNK_HEADER_SIZE)
		return 0;
	if (zstd) {
		size_t z = ZSTD_compress(hdr + FTIO_CHUNK_HEADER_SIZE, room - FTIO_CHUNK_HEADER_SIZE,
					 raw, len, 1);

		if (ZSTD_isError(z))
			return 0;
		stored = z;
		flags |= FTIO_CHUNK_ZSTD;
	} else {
		if (len > room - FTIO_CHUNK_HEADER_SIZE)
			return 0;
		memmove(hdr + FTIO_CHUNK_HEADER_SIZE, raw, len);
		flags &= ~FTIO_CHUNK_ZSTD;
	}
	put_le16(hdr + 6, flags);
	put_le32(hdr + 32, len);
	put_le32(hdr + 36, stored);
	put_le32(hdr + 40, ftio_crc32(hdr + FTIO_CHUNK_HEADER_SIZE, stored));
	seal(hdr);
	return FTIO_CHUNK_HEADER_SIZE + stored;
}

/* The chunk's payload inflated into a malloc'd buffer with @extra spare bytes */
static uint8_t *payload_of(const uint8_t *hdr, size_t len, size_t extra, size_t *raw_len)
{
	size_t stored = len - FTIO_CHUNK_HEADER_SIZE;
	uint32_t raw_size = get_le32(hdr + 32);
	uint8_t *buf;

	/* a split shorter than a header has no payload (the mutator's own bug, found by ASan) */
	if (len < FTIO_CHUNK_HEADER_SIZE)
		return NULL;

	if (get_le16(hdr + 6) & FTIO_CHUNK_ZSTD) {
		size_t z;

		if (raw_size > (4u << 20))
			return NULL;
		buf = malloc(raw_size + extra + 1);
		z = ZSTD_decompress(buf, raw_size, hdr + FTIO_CHUNK_HEADER_SIZE, stored);
		if (ZSTD_isError(z)) {
			free(buf);
			return NULL;
		}
		*raw_len = z;
		return buf;
	}
	buf = malloc(stored + extra + 1);
	memcpy(buf, hdr + FTIO_CHUNK_HEADER_SIZE, stored);
	*raw_len = stored;
	return buf;
}

/* LLVMFuzzerMutate() wants at least one byte: an empty value or payload gets one */
static size_t mutate_bytes(uint8_t *buf, size_t len, size_t cap, uint64_t *s)
{
	if (!cap)
		return 0;
	if (!len) {
		buf[0] = rnd(s);
		len = 1;
	}
	return LLVMFuzzerMutate(buf, len, cap);
}

/* Mutates one ATTR entry's value (formats, metadata, snapshots), keeping the list valid */
static size_t mutate_attr(uint8_t *raw, size_t len, size_t cap, uint64_t *s)
{
	struct attr_iter it;
	size_t nr = 0, pick, i = 0, voff, vlen, nlen;
	uint8_t *tmp;

	attr_iter_init(&it, raw, len);
	while (attr_iter_next(&it) > 0)
		nr++;
	if (!nr)
		return mutate_bytes(raw, len, cap, s);
	pick = rnd(s) % nr;
	attr_iter_init(&it, raw, len);
	while (attr_iter_next(&it) > 0 && i++ < pick)
		;
	voff = (const uint8_t *)it.value - raw;
	vlen = it.value_len;
	nlen = it.name_len;
	tmp = malloc(cap + 1);
	memcpy(tmp, it.value, vlen);
	vlen = mutate_bytes(tmp, vlen, cap - (len - it.value_len), s);
	/* shift the rest, then drop the new value in */
	memmove(raw + voff + vlen, raw + voff + it.value_len, len - voff - it.value_len);
	memcpy(raw + voff, tmp, vlen);
	put_le32(raw + voff - nlen - 4, vlen);
	free(tmp);
	return len - it.value_len + vlen;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static const uint32_t odd[] = {
		0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001, 0xffff,
		0x10000, FTIO_CHUNK_MAX_RAW, FTIO_CHUNK_MAX_RAW + 1, 0x7fffffff, 0x80000000,
		0xc0000000, 0xfffffffe, 0xffffffff,
	};
	struct span sp[512];
	uint64_t s = seed | 1ULL << 40;
	size_t n, k;
	uint8_t *hdr;

	n = split(data, size, sp, 512);
	if (!size)
		return mutate_bytes(data, size, max_size, &s);
	if (!n || rnd(&s) % 8 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	k = rnd(&s) % n;
	hdr = data + sp[k].off;
	switch (rnd(&s) % 8) {
	case 0:
	case 1:
	case 2: {	/* the payload, bytes anywhere (ATTR lengths, page headers, records) */
		size_t raw_len, cap = max_size > size ? max_size - size : 0;
		bool z = get_le16(hdr + 6) & FTIO_CHUNK_ZSTD;
		uint16_t type = get_le16(hdr + 4);
		uint8_t *raw = payload_of(hdr, sp[k].len, cap + 4096, &raw_len);
		uint8_t *out;
		size_t tail_len = size - sp[k].off - sp[k].len, len, room, new_len;

		if (!raw)
			return LLVMFuzzerMutate(data, size, max_size);
		if (type == FTIO_CHUNK_SUBBUF && raw_len >= 4096 && rnd(&s) % 2) {
			/* one page's commit word: flags, sizes, off-by-ones */
			size_t page = (rnd(&s) % (raw_len / 4096)) * 4096;

			put_le64(raw + page + 8, (uint64_t)odd[rnd(&s) % ARRAY_SIZE(odd)] |
				 (rnd(&s) % 4 == 0 ? 3ULL << 30 : 0));
			len = raw_len;
		} else if (type != FTIO_CHUNK_SUBBUF && rnd(&s) % 4) {
			len = mutate_attr(raw, raw_len, raw_len + cap + 4096 / 2, &s);
		} else {
			len = mutate_bytes(raw, raw_len, raw_len + cap, &s);
		}
		/* the new chunk is built aside: a failed attempt leaves @data as it was */
		room = max_size - sp[k].off - tail_len;
		out = malloc(room + 1);
		memcpy(out, hdr, FTIO_CHUNK_HEADER_SIZE);
		/* keep the compression the chunk had, unless only raw fits */
		new_len = store_payload(out, room, raw, len, z);
		if (!new_len)
			new_len = store_payload(out, room, raw, len, !z);
		free(raw);
		if (!new_len) {
			free(out);
			return LLVMFuzzerMutate(data, size, max_size);
		}
		memmove(hdr + new_len, hdr + sp[k].len, tail_len);
		memcpy(hdr, out, new_len);
		free(out);
		return sp[k].off + new_len + tail_len;
	}
	case 3: {	/* one header field to an odd value, with a valid header CRC */
		static const uint8_t fields[] = { 4, 6, 8, 12, 16, 24, 32, 36 };
		uint8_t f = fields[rnd(&s) % ARRAY_SIZE(fields)];
		uint32_t v = rnd(&s) % 2 ? odd[rnd(&s) % ARRAY_SIZE(odd)] : rnd(&s);

		if (f == 4 || f == 6)
			put_le16(hdr + f, f == 4 ? 1 + v % 5 : v);
		else if (f == 16 || f == 24)
			put_le64(hdr + f, (uint64_t)v << (rnd(&s) % 33));
		else
			put_le32(hdr + f, v);
		seal(hdr);
		return size;
	}
	case 4:		/* duplicate a chunk in place */
		if (size + sp[k].len > max_size)
			return LLVMFuzzerMutate(data, size, max_size);
		memmove(hdr + sp[k].len, hdr, size - sp[k].off);
		return size + sp[k].len;
	case 5:		/* drop a chunk */
		memmove(hdr, hdr + sp[k].len, size - sp[k].off - sp[k].len);
		return size - sp[k].len;
	case 6: {	/* move a chunk to the end */
		uint8_t *c = malloc(sp[k].len);

		memcpy(c, hdr, sp[k].len);
		memmove(hdr, hdr + sp[k].len, size - sp[k].off - sp[k].len);
		memcpy(data + size - sp[k].len, c, sp[k].len);
		free(c);
		return size;
	}
	default:	/* cut the file inside this chunk */
		return sp[k].off + rnd(&s) % sp[k].len;
	}
}
