/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lastboot.c (the formats, the recording) shares with lastboot-scan.c
 * (the kernel's pages, read and walked once)
 */
#ifndef FTIO_LASTBOOT_INT_H
#define FTIO_LASTBOOT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/util.h"

struct boot_state;
struct lastboot_opts;
struct recording;

#define NR_TYPES 0x10000

struct cpu_pages {
	uint8_t *buf;
	size_t n, cap;		/* pages */
	uint64_t events, first_ts, last_ts;
	bool marker;		/* this CPU's arming marker was found */
};

struct type_hist {
	uint64_t count;
	uint32_t min_size;
};

/* One candidate set of formats: type id -> its fixed size (0: not described) */
struct format_set {
	const char *what;
	uint32_t *fixed;	/* [NR_TYPES], the format's size + 1 */
	/* what it makes of the events found */
	uint64_t decodable, unknown, misfit;
	struct strbuf misfits;	/* "system/event (id N: ...)" */
	bool *drop;		/* [NR_TYPES]: described, but its events do not fit */
};

struct salvage {
	const struct lastboot_opts *o;
	const struct boot_state *bs;
	int ncpus, psz, long_size;
	struct cpu_pages *cpus;
	struct type_hist *hist;
	uint64_t events, pages, bad_pages;
	int print_id, print_buf_off;
	/* from the markers */
	char token[64], boot_id[64], clock[32], kernel[128];
	uint64_t marker_ts;
	int nr_markers;
	char *header_page;
	struct recording *side;	/* the sidecar, or NULL */
	char *side_why;		/* why there is none */
	const char *side_token;	/* its boot/token */
	/* the formats: the sidecar's and this boot's, and the set used */
	struct format_set side_fs, boot_fs, *use;
	struct strbuf boot_formats;	/* this boot's, as ATTR entries */
	char **names;		/* [NR_TYPES] event names, for the messages */
	bool confirmed;		/* the buffer's markers carry the sidecar's token */
	int wrapped;		/* CPUs whose marker was overwritten */
	struct strbuf notes;
};

/* "field:TYPE NAME;\toffset:N;\tsize:M;" lines: where the last field ends; *@id its "ID:" */
uint32_t lastboot_fixed_size(const char *fmt, int *id);
/* The instance's sub-buffer layout and header page, into @sv */
void lastboot_read_layout(struct salvage *sv);
/* Every CPU's pages (the kernel hands each over once); 0 or -errno */
int lastboot_read_pages(struct salvage *sv);
/* The events of each type, each CPU's first and last, the arming markers */
void lastboot_scan(struct salvage *sv);

#endif /* FTIO_LASTBOOT_INT_H */
