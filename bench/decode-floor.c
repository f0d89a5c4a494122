// SPDX-License-Identifier: GPL-2.0
/*
 * decode-floor FILE: the least work any reader of an ftio recording must do,
 * the floor that 'make bench' measures report and replay against.  It
 * inflates every sub-buffer chunk and walks every event of every page with
 * kbuffer, reading each event's timestamp and nothing else: no field
 * lookups, no merge of the CPUs, no layers.  It prints the counts, so that
 * a run can be checked against 'ftio info'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kbuffer.h>

#include <ftio/format.h>

#include "format/recording.h"
#include "format/tep.h"

int main(int argc, char **argv)
{
	struct recording *r;
	struct tep_layout l;
	struct kbuffer *kb;
	const char *endian;
	unsigned long long events = 0, pages = 0, chunks = 0, sink = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: decode-floor FILE\n");
		return 129;
	}
	r = recording_open(argv[1]);
	if (!r) {
		perror(argv[1]);
		return 1;
	}
	endian = recording_attr(r, "meta/endian");
	l.long_size = recording_attr_u64(r, "meta/long_size", 8);
	l.page_size = recording_attr_u64(r, "meta/subbuf_size",
					 recording_attr_u64(r, "meta/page_size", 4096));
	l.big_endian = endian && !strcmp(endian, "big");
	kb = format_kbuffer_new(&l);
	if (!kb || l.page_size < 64) {
		fprintf(stderr, "%s: no usable layout\n", argv[1]);
		return 1;
	}
	for (size_t i = 0; i < r->nr_chunks; i++) {
		void *buf;
		ssize_t n;

		if (r->chunks[i].info.type != FTIO_CHUNK_SUBBUF)
			continue;
		n = recording_load(r, i, &buf);
		if (n <= 0)
			continue;
		chunks++;
		for (ssize_t off = 0; off + l.page_size <= n; off += l.page_size) {
			unsigned long long ts;

			pages++;
			if (kbuffer_load_subbuffer(kb, (char *)buf + off) < 0)
				continue;
			while (kbuffer_read_event(kb, &ts)) {
				sink += ts;
				events++;
				kbuffer_next_event(kb, NULL);
			}
		}
		free(buf);
	}
	printf("%llu events in %llu pages of %llu chunks\n", events, pages, chunks);
	kbuffer_free(kb);
	recording_close(r);
	return sink == 1;	/* keeps the timestamp reads */
}
