// SPDX-License-Identifier: GPL-2.0
/*
 * The previous boot's pages, out of the boot instance (see lastboot.c):
 * read from each CPU's trace_pipe_raw with libtracefs, as the recorder
 * and the dead-ftio salvage read theirs, kept whole, then walked once
 * with kbuffer for what the salvage decides on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <kbuffer.h>
#include <tracefs.h>

#include "format/tep.h"
#include "record/boot.h"
#include "record/lastboot-int.h"
#include "record/session.h"
#include "lib/util.h"

uint32_t lastboot_fixed_size(const char *fmt, int *id)
{
	uint32_t end = 0;

	*id = -1;
	for (const char *p = fmt; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		if (!strncmp(line, "ID: ", 4)) {
			*id = atoi(line + 4);
		} else if (strstr(line, "field:")) {
			const char *o = strstr(line, "offset:"), *sz = strstr(line, "size:");
			int off = o ? atoi(o + 7) : -1, size = sz ? atoi(sz + 5) : -1;

			if (off >= 0 && size >= 0 && (uint32_t)(off + size) > end)
				end = off + size;
		}
		p = nl ? nl + 1 : NULL;
	}
	return end;
}

void lastboot_read_layout(struct salvage *sv)
{
	char *p = xasprintf("%s/events/header_page", sv->bs->dir);
	char *hp = read_file(p, NULL);
	char *c = hp ? strstr(hp, "commit;") : NULL, *sz = c ? strstr(c, "size:") : NULL;
	char *d = hp ? strstr(hp, "char data;") : NULL, *dsz = d ? strstr(d, "size:") : NULL;

	free(p);
	sv->long_size = sz && (atoi(sz + 5) == 4 || atoi(sz + 5) == 8) ? atoi(sz + 5) : (int)sizeof(long);
	sv->psz = dsz ? atoi(dsz + 5) + 8 + sv->long_size : getpagesize();
	sv->header_page = hp;
}

/* As the recorder's page_sanitize(): false for a commit word no page can have */
static bool page_ok(const struct salvage *sv, uint8_t *page, int len)
{
	size_t hdr = 8 + sv->long_size, data, keep;
	uint64_t commit = 0;

	if (len < (int)hdr)
		return false;
	memcpy(&commit, page + 8, sv->long_size);
	data = commit & ((1ULL << 27) - 1);
	if (data > (size_t)sv->psz - hdr)
		return false;
	keep = hdr + data;
	if (commit & (1ULL << 30))
		keep += sv->long_size;
	if (keep > (size_t)sv->psz)
		keep = sv->psz;
	if (len < sv->psz)
		memset(page + len, 0, sv->psz - len);
	memset(page + keep, 0, sv->psz - keep);
	return data > 0;
}

int lastboot_read_pages(struct salvage *sv)
{
	for (int cpu = 0; cpu < sv->ncpus; cpu++) {
		struct cpu_pages *cp = &sv->cpus[cpu];
		char *p = xasprintf("%s/per_cpu/cpu%d/trace_pipe_raw", sv->bs->dir, cpu);
		int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		struct tracefs_cpu *tcpu;

		free(p);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			return -errno;
		}
		tcpu = tracefs_cpu_alloc_fd(fd, sv->psz, true);
		if (!tcpu) {
			int e = errno;

			close(fd);
			return -e;
		}
		for (;;) {
			int len;

			if (cp->n == cp->cap) {
				cp->cap = cp->cap ? 2 * cp->cap : 64;
				cp->buf = xrealloc(cp->buf, cp->cap * sv->psz);
			}
			len = tracefs_cpu_flush(tcpu, cp->buf + cp->n * sv->psz);
			if (len <= 0)
				break;
			if (page_ok(sv, cp->buf + cp->n * sv->psz, len)) {
				cp->n++;
				sv->pages++;
			} else {
				sv->bad_pages++;
			}
		}
		tracefs_cpu_free_fd(tcpu);
		close(fd);
	}
	return 0;
}

/* "ftio-boot-arm token=T cpu=N boot_id=B clock=C kernel=K" */
static void parse_marker(struct salvage *sv, int cpu, const char *buf, size_t len, uint64_t ts)
{
	char line[512], *save = NULL;
	size_t n = len < sizeof(line) - 1 ? len : sizeof(line) - 1;

	memcpy(line, buf, n);
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, BOOT_MARKER " ", strlen(BOOT_MARKER) + 1))
		return;
	for (char *w = strtok_r(line + strlen(BOOT_MARKER), " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '=');
		char *dst = NULL;
		size_t cap = 0;

		if (!eq)
			continue;
		*eq = '\0';
		if (!strcmp(w, "token"))
			dst = sv->token, cap = sizeof(sv->token);
		else if (!strcmp(w, "boot_id"))
			dst = sv->boot_id, cap = sizeof(sv->boot_id);
		else if (!strcmp(w, "clock"))
			dst = sv->clock, cap = sizeof(sv->clock);
		else if (!strcmp(w, "kernel"))
			dst = sv->kernel, cap = sizeof(sv->kernel);
		if (dst)
			snprintf(dst, cap, "%s", eq + 1);
	}
	sv->cpus[cpu].marker = true;
	sv->nr_markers++;
	if (!sv->marker_ts || ts < sv->marker_ts)
		sv->marker_ts = ts;
}

/* The print event's id and where its text starts, from this kernel (both stable) */
static void print_format(struct salvage *sv)
{
	char *fmt = session_tracefs_read("events/ftrace/print/format");
	const char *b = fmt ? strstr(fmt, "char buf[];") : NULL;
	const char *o = b ? strstr(b, "offset:") : NULL;
	const char *id = fmt ? strstr(fmt, "ID: ") : NULL;

	sv->print_id = id ? atoi(id + 4) : 5;
	sv->print_buf_off = o ? atoi(o + 7) : 8 + sv->long_size;
	free(fmt);
}

void lastboot_scan(struct salvage *sv)
{
	struct tep_layout l = { .long_size = sv->long_size, .page_size = sv->psz };
	unsigned int one = 1;
	struct kbuffer *kb;

	l.big_endian = !*(unsigned char *)&one;
	print_format(sv);
	kb = format_kbuffer_new(&l);
	if (!kb)
		return;
	for (int cpu = 0; cpu < sv->ncpus; cpu++) {
		struct cpu_pages *cp = &sv->cpus[cpu];

		for (size_t i = 0; i < cp->n; i++) {
			unsigned long long ts;
			void *data;

			if (kbuffer_load_subbuffer(kb, cp->buf + i * sv->psz) < 0)
				continue;
			for (data = kbuffer_read_event(kb, &ts); data;) {
				int before = kbuffer_curr_offset(kb);
				int size = kbuffer_event_size(kb);
				uint16_t type;

				if (size >= 2) {
					memcpy(&type, data, 2);
					if (!sv->hist[type].count || (uint32_t)size < sv->hist[type].min_size)
						sv->hist[type].min_size = size;
					sv->hist[type].count++;
					if (type == sv->print_id && size > sv->print_buf_off)
						parse_marker(sv, cpu, (char *)data + sv->print_buf_off,
							     size - sv->print_buf_off, ts);
				}
				if (!cp->events++)
					cp->first_ts = ts;
				cp->last_ts = ts;
				sv->events++;
				data = kbuffer_next_event(kb, &ts);
				if (data && kbuffer_curr_offset(kb) <= before)
					break;
			}
		}
	}
	kbuffer_free(kb);
}
