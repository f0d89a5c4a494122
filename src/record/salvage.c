// SPDX-License-Identifier: GPL-2.0
/*
 * Salvaging a dead ftio's instance.  The recorder may have been killed with
 * seconds of events still in the kernel: they are read here with the same
 * libtracefs calls as the recorder's flush, and framed with the instance's
 * own header page and the formats of the events still enabled in it, so
 * that ftio replay and report decode the result like any recording.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <tracefs.h>

#include "record/boot.h"
#include "record/chunk-writer.h"
#include "format/chunk.h"
#include "record/salvage.h"
#include "record/session.h"
#include "lib/util.h"

#define SALVAGE_PAGES 64

static char *inst_read(const char *dir, const char *file)
{
	char *p = xasprintf("%s/%s", dir, file);
	char *t = read_file(p, NULL);

	free(p);
	return t;
}

/* Adds format/SYS/EV for every event enabled in the instance */
static int add_enabled_formats(struct strbuf *sb, const char *dir)
{
	char *edir = xasprintf("%s/events", dir);
	DIR *sys = opendir(edir);
	struct dirent *s, *e;
	int n = 0;

	while (sys && (s = readdir(sys))) {
		char *sdir;
		DIR *evs;

		if (s->d_name[0] == '.' || s->d_type != DT_DIR)
			continue;
		sdir = xasprintf("%s/%s", edir, s->d_name);
		evs = opendir(sdir);
		while (evs && (e = readdir(evs))) {
			char *rel, *en, *fmt;

			if (e->d_name[0] == '.' || e->d_type != DT_DIR)
				continue;
			rel = xasprintf("events/%s/%s/enable", s->d_name, e->d_name);
			en = inst_read(dir, rel);
			free(rel);
			if (en && en[0] == '1') {
				rel = xasprintf("events/%s/%s/format", s->d_name, e->d_name);
				fmt = inst_read(dir, rel);
				free(rel);
				if (fmt) {
					char *name = xasprintf("format/%s/%s", s->d_name, e->d_name);

					attr_addstr(sb, name, fmt);
					free(name);
					free(fmt);
					n++;
				}
			}
			free(en);
		}
		if (evs)
			closedir(evs);
		free(sdir);
	}
	if (sys)
		closedir(sys);
	free(edir);
	return n;
}

long salvage_instance(const char *name, const char *path)
{
	const char *tdir = session_tracefs_dir();
	char *dir, *hp, *clock, *old = NULL, *group;
	struct strbuf meta = STRBUF_INIT;
	struct chunk_writer *w;
	struct utsname u;
	int fd, ncpus = sysconf(_SC_NPROCESSORS_CONF), long_size = sizeof(long), psz;
	long pages = 0;
	int ret = 0;

	if (!tdir)
		return -errno;
	dir = xasprintf("%s/instances/%s", tdir, name);
	/* stop it first: it may still be recording with nobody reading */
	{
		char *on = xasprintf("%s/tracing_on", dir);

		write_file(on, "0", 0);
		free(on);
	}
	hp = inst_read(dir, "events/header_page");
	if (!hp) {
		free(dir);
		return -ENOENT;
	}
	{
		char *c = strstr(hp, "commit;"), *sz = c ? strstr(c, "size:") : NULL;
		char *d = strstr(hp, "char data;"), *dsz = d ? strstr(d, "size:") : NULL;

		if (sz && (atoi(sz + 5) == 4 || atoi(sz + 5) == 8))
			long_size = atoi(sz + 5);
		psz = dsz ? atoi(dsz + 5) + 8 + long_size : getpagesize();
	}
	clock = inst_read(dir, "trace_clock");
	uname(&u);
	group = xstrndup(name, strcspn(name + 5, "_") + 5);
	attr_addstr(&meta, "meta/ftio_version", FTIO_VERSION);
	attr_addf(&meta, "meta/cmdline", "salvaged from the tracefs instance %s", name);
	attr_addstr(&meta, "meta/kernel_release", u.release);
	attr_addstr(&meta, "meta/arch", u.machine);
	attr_addstr(&meta, "meta/hostname", u.nodename);
	{
		/* the dead recorder's instance is of this boot: instances do not survive one */
		char *bid = boot_id();

		if (*bid)
			attr_addstr(&meta, "meta/boot_id", bid);
		free(bid);
	}
	{
		unsigned int one = 1;

		attr_addstr(&meta, "meta/endian", *(unsigned char *)&one ? "little" : "big");
	}
	attr_addf(&meta, "meta/long_size", "%d", long_size);
	attr_addf(&meta, "meta/page_size", "%d", getpagesize());
	attr_addf(&meta, "meta/subbuf_size", "%d", psz);
	if (clock) {
		char *b = strchr(clock, '['), *e = b ? strchr(b, ']') : NULL;

		if (b && e)
			attr_addf(&meta, "meta/clock", "%.*s", (int)(e - b - 1), b + 1);
	}
	attr_addf(&meta, "meta/cpus", "%d", ncpus);
	attr_addstr(&meta, "meta/layers", "syscalls,paths,block,fuse,pagecache,fs,vfs,io_uring");
	attr_addstr(&meta, "meta/dyn_group", group);
	attr_addf(&meta, "meta/strategy", "salvaged from %s after its ftio died", name);
	attr_addstr(&meta, "meta/salvaged_from", name);
	attr_addstr(&meta, "header_page", hp);
	{
		char *he = inst_read(dir, "events/header_event");

		if (he)
			attr_addstr(&meta, "header_event", he);
		free(he);
	}
	if (!add_enabled_formats(&meta, dir)) {
		ret = -ENOENT;
		goto out;
	}
	fd = recording_create(path, &old);
	free(old);
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
	for (int cpu = 0; cpu < ncpus; cpu++) {
		char *p = xasprintf("%s/per_cpu/cpu%d/trace_pipe_raw", dir, cpu);
		int cfd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		struct tracefs_cpu *tcpu;
		uint8_t *batch = xmalloc((size_t)SALVAGE_PAGES * psz);
		int n = 0;

		free(p);
		tcpu = cfd >= 0 ? tracefs_cpu_alloc_fd(cfd, psz, true) : NULL;
		for (;;) {
			uint8_t *page = batch + (size_t)n * psz;
			int len = tcpu ? tracefs_cpu_flush(tcpu, page) : 0;
			uint64_t commit = 0, data;

			if (len > 0) {
				memcpy(&commit, page + 8, long_size);
				/* the size only: bit 31 (missed events) sign-extends */
				data = commit & ((1ULL << 27) - 1);
				if (data > (uint64_t)psz - 8 - long_size)
					continue;
				if (len < psz)
					memset(page + len, 0, psz - len);
				memset(page + 8 + long_size + data, 0, psz - 8 - long_size - data);
				n++;
				pages++;
			}
			if ((len <= 0 && n) || n == SALVAGE_PAGES) {
				uint64_t first, last;

				memcpy(&first, batch, 8);
				memcpy(&last, batch + (size_t)(n - 1) * psz, 8);
				chunk_writer_submit(w, FTIO_CHUNK_SUBBUF, 0, cpu, first, last, batch,
						    (size_t)n * psz);
				batch = xmalloc((size_t)SALVAGE_PAGES * psz);
				n = 0;
			}
			if (len <= 0)
				break;
		}
		free(batch);
		if (tcpu)
			tracefs_cpu_free_fd(tcpu);
		if (cfd >= 0)
			close(cfd);
	}
	{
		struct strbuf end = STRBUF_INIT;

		attr_addstr(&end, "end/reason", "salvaged");
		chunk_writer_submit(w, FTIO_CHUNK_END, 0, 0, 0, 0, end.buf, end.len);
	}
	ret = chunk_writer_close(w);
	if (!ret && !pages)
		unlink(path);
out:
	strbuf_release(&meta);
	free(clock);
	free(hp);
	free(group);
	free(dir);
	return ret ? ret : pages;
}
