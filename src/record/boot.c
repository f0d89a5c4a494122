// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-mapped instance (see boot.h): what this kernel and this boot
 * have of it, arming it for ftio record --boot-instance, disarming it for
 * ftio reset --boot-instance.
 *
 * What the kernels tell, measured under QEMU (tests/t7500-vm-boot-instance.sh):
 * Linux 7.2's last_boot_info is "0\t[kernel]" after a cold boot, the
 * previous kernel's text address and module addresses when the buffer
 * came through a warm reset, and "# Current" once an event was enabled
 * (which empties the buffer); reading trace_pipe_raw consumes the pages
 * and leaves last_boot_info as it was.  Linux 6.12's is "text delta:\tN"
 * and "data delta:\tN", 0 and 0 on both kinds of boot when the kernel did
 * not move, so there only the events it holds (per_cpu/cpuN/stats) and
 * ftio's arming markers tell a previous boot's buffer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "format/chunk.h"
#include "record/boot.h"
#include "record/chunk-writer.h"
#include "record/events.h"
#include "record/meta.h"
#include "record/probes.h"
#include "record/recorder.h"
#include "record/session.h"
#include "record/sideband.h"
#include "lib/output.h"
#include "lib/util.h"

static char *read_in(const char *dir, const char *file)
{
	char *p = xasprintf("%s/%s", dir, file);
	char *t = read_file(p, NULL);

	free(p);
	return t;
}

const char *boot_instance_name(void)
{
	const char *n = getenv("FTIO_TEST_BOOT_INSTANCE");

	return n && *n ? n : BOOT_INSTANCE;
}

char *boot_id(void)
{
	char *t = read_file("/proc/sys/kernel/random/boot_id", NULL);

	if (!t)
		return xstrdup("");
	t[strcspn(t, "\n")] = '\0';
	return t;
}

uint64_t boot_kernel_text(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	uint64_t addr = 0;

	/* _text is among the first lines */
	for (int n = 0; f && n < 4096 && fgets(line, sizeof(line), f); n++) {
		unsigned long long a;
		char type, name[128];

		if (sscanf(line, "%llx %c %127s", &a, &type, name) == 3 && !strcmp(name, "_text")) {
			addr = a;
			break;
		}
	}
	if (f)
		fclose(f);
	return addr;
}

/* What /proc/kallsyms says of the two halves; 1 has it, 0 lacks it, -1 cannot tell */
static void kallsyms_check(int *reserve_mem, int *alloc_range)
{
	char *k = read_file("/proc/kallsyms", NULL);

	*reserve_mem = *alloc_range = -1;
	if (!k || !*k) {
		free(k);
		return;
	}
	/* reserve_mem= (6.11): memblock's named reservations */
	*reserve_mem = strstr(k, " reserve_mem_find_by_name\n") != NULL;
	/* 6.12: a ring buffer on a given physical range */
	*alloc_range = strstr(k, "ring_buffer_alloc_range") != NULL;
	free(k);
}

/* Our words on /proc/cmdline: reserve_mem=...:ftio_boot, trace_instance=ftio_boot...@ftio_boot */
static void read_cmdline(struct boot_state *bs)
{
	char *c = read_file("/proc/cmdline", NULL), *save = NULL;

	for (char *w = c ? strtok_r(c, " \t\n", &save) : NULL; w; w = strtok_r(NULL, " \t\n", &save)) {
		size_t rl = strlen(BOOT_RESERVE);

		if (!strncmp(w, "reserve_mem=", 12)) {
			size_t n = strlen(w);

			if (n > rl + 1 && w[n - rl - 1] == ':' && !strcmp(w + n - rl, BOOT_RESERVE)) {
				free(bs->cmd_reserve);
				bs->cmd_reserve = xstrdup(w);
			}
		} else if (!strncmp(w, "trace_instance=", 15)) {
			const char *v = w + 15;
			size_t il = strlen(BOOT_INSTANCE);

			if (!strncmp(v, BOOT_INSTANCE, il) && (v[il] == '^' || v[il] == '@' ||
							       v[il] == ',' || !v[il])) {
				free(bs->cmd_instance);
				bs->cmd_instance = xstrdup(w);
			}
		} else if (!strcmp(w, "nokaslr")) {
			bs->cmd_nokaslr = true;
		}
	}
	free(c);
}

static void read_instance(struct boot_state *bs)
{
	const char *tdir = session_tracefs_dir();
	char *t, *dirp;
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (!tdir) {
		bs->unreadable = errno == EACCES || errno == EPERM;
		return;
	}
	bs->tracefs = true;
	bs->dir = xasprintf("%s/instances/%s", tdir, boot_instance_name());
	if (stat(bs->dir, &st) || !S_ISDIR(st.st_mode)) {
		bs->unreadable = errno == EACCES || errno == EPERM;
		return;
	}
	bs->instance = true;
	bs->last_boot_info = read_in(bs->dir, "last_boot_info");
	bs->mapped = bs->last_boot_info != NULL;
	t = read_in(bs->dir, "set_event");
	bs->armed = t && t[strspn(t, " \n")];
	free(t);
	t = read_in(bs->dir, "tracing_on");
	bs->tracing_on = t && t[0] == '1';
	free(t);
	t = read_in(bs->dir, "buffer_size_kb");
	bs->buffer_kb = t ? strtoull(t, NULL, 10) : 0;
	free(t);
	dirp = xasprintf("%s/per_cpu", bs->dir);
	d = opendir(dirp);
	while (d && (de = readdir(d))) {
		char *rel, *stats, *line, *save = NULL;

		if (strncmp(de->d_name, "cpu", 3))
			continue;
		bs->ncpus++;
		rel = xasprintf("per_cpu/%s/stats", de->d_name);
		stats = read_in(bs->dir, rel);
		free(rel);
		for (line = stats ? strtok_r(stats, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			unsigned long long v;

			if (sscanf(line, "entries: %llu", &v) == 1)
				bs->entries += v;
		}
		free(stats);
	}
	if (d)
		closedir(d);
	free(dirp);
}

static void classify(struct boot_state *bs)
{
	const char *l = bs->last_boot_info;
	unsigned long long a;
	char kw[16];

	bs->last = LAST_NONE;
	if (!bs->mapped)
		return;
	if (!strncmp(l, "# Current", 9)) {
		bs->last = LAST_CURRENT;
	} else if (sscanf(l, "%llx\t[%15[^]]]", &a, kw) == 2 && !strcmp(kw, "kernel")) {
		/* 7.x: 0 when nothing was kept */
		bs->prev_text = a;
		bs->last = a ? LAST_PREVIOUS : LAST_NONE;
	} else if (sscanf(l, "text delta: %lld", &bs->text_delta) == 1) {
		/* 6.12: the deltas do not say; what it holds does */
		bs->delta_format = true;
		bs->last = bs->entries ? LAST_PREVIOUS : LAST_NONE;
	}
	/* an event enabled since boot: the buffer is this boot's */
	if (bs->armed)
		bs->last = LAST_CURRENT;
}

void boot_state_read(struct boot_state *bs)
{
	struct utsname u;
	int rm, ar;

	memset(bs, 0, sizeof(*bs));
	uname(&u);
	snprintf(bs->release, sizeof(bs->release), "%s", u.release);
	snprintf(bs->version, sizeof(bs->version), "%s", u.version);
	if (sscanf(bs->release, "%d.%d", &bs->major, &bs->minor) != 2)
		bs->major = bs->minor = 0;
	read_cmdline(bs);
	if (bs->major < 6 || (bs->major == 6 && bs->minor < 12)) {
		bs->support = BOOT_TOO_OLD;
		bs->support_why = xasprintf(
			"Linux %s is older than 6.12: it cannot keep a trace instance across a reboot "
			"(a boot-mapped instance needs reserve_mem=, Linux 6.11, and "
			"trace_instance=NAME@RESERVE, Linux 6.12)", bs->release);
		return;
	}
	kallsyms_check(&rm, &ar);
	if (!rm || !ar) {
		bs->support = BOOT_NO_OPTION;
		bs->support_why = xasprintf(
			"Linux %s was built without %s: it cannot keep a trace instance across a reboot",
			bs->release, !rm ? "reserve_mem= (no reserve_mem_find_by_name in /proc/kallsyms)"
					 : "ring buffers on reserved memory (no ring_buffer_alloc_range in /proc/kallsyms)");
	}
	read_instance(bs);
	if (bs->support == BOOT_SUPPORTED && !bs->tracefs && !bs->unreadable) {
		bs->support = BOOT_NO_OPTION;
		bs->support_why = xasprintf("Linux %s has no tracefs here (%s): no trace instance at all",
					    bs->release, strerror(errno));
	}
	classify(bs);
}

void boot_state_release(struct boot_state *bs)
{
	free(bs->support_why);
	free(bs->cmd_reserve);
	free(bs->cmd_instance);
	free(bs->dir);
	free(bs->last_boot_info);
	memset(bs, 0, sizeof(*bs));
}

char *boot_missing(const struct boot_state *bs)
{
	if (bs->support != BOOT_SUPPORTED)
		return xstrdup(bs->support_why);
	if (bs->unreadable)
		return xasprintf("tracefs cannot be read by uid %u: run as root to see whether this boot "
				 "has the instance '%s'", (unsigned)geteuid(), BOOT_INSTANCE);
	if (!bs->instance) {
		if (bs->cmd_reserve && bs->cmd_instance)
			return xasprintf(
				"this boot has no instance '%s', although the command line has '%s %s': "
				"the kernel could not reserve or map the memory (dmesg: 'Tracing: mapped boot "
				"instance', 'reserve_mem')", BOOT_INSTANCE, bs->cmd_reserve, bs->cmd_instance);
		return xasprintf(
			"this boot has no boot-mapped instance '%s' (tracefs instances/%s): the kernel "
			"was not booted with %s%s%s; 'ftio boot-setup' prints the words and how to add them, "
			"then reboot", BOOT_INSTANCE, BOOT_INSTANCE,
			!bs->cmd_reserve && !bs->cmd_instance ? "reserve_mem=SIZE:4096:" BOOT_RESERVE
							      " and trace_instance=" BOOT_INSTANCE "@" BOOT_RESERVE
							      : !bs->cmd_reserve ? "reserve_mem=SIZE:4096:" BOOT_RESERVE
							      : "trace_instance=" BOOT_INSTANCE "@" BOOT_RESERVE,
			bs->cmd_reserve || bs->cmd_instance ? " (it has only " : "",
			bs->cmd_reserve ? "its reserve_mem=)" : bs->cmd_instance ? "its trace_instance=)" : "");
	}
	if (!bs->mapped && !getenv("FTIO_TEST_BOOT_INSTANCE"))
		return xasprintf(
			"instances/%s exists but is not boot-mapped (it has no last_boot_info): it was made "
			"by hand or by a trace_instance= without '@%s', and loses everything at a reboot",
			BOOT_INSTANCE, BOOT_RESERVE);
	return NULL;
}

static int write_in(const char *dir, const char *file, const char *val, int append)
{
	char *p = xasprintf("%s/%s", dir, file);
	int ret = write_file(p, val, append);

	free(p);
	return ret;
}

int boot_disarm(bool clear, void (*cb)(const char *what, const char *name, int err))
{
	const char *tdir = session_tracefs_dir();
	char *dir, *set, *save = NULL;
	int n = 0, r;

	if (!tdir)
		return -errno;
	dir = xasprintf("%s/instances/%s", tdir, boot_instance_name());
	if (access(dir, F_OK)) {
		free(dir);
		return -ENOENT;
	}
	r = write_in(dir, "tracing_on", "0", 0);
	if (r) {
		free(dir);
		return r;
	}
	/* the filters -p set stay on disabled events: cleared for the next arming */
	set = read_in(dir, "set_event");
	for (char *l = set ? strtok_r(set, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(l, ':'), *rel;

		if (!colon)
			continue;
		*colon = '\0';
		rel = xasprintf("events/%s/%s/filter", l, colon + 1);
		write_in(dir, rel, "0", 0);
		free(rel);
		*colon = ':';
		n++;
	}
	if (n) {
		r = write_in(dir, "events/enable", "0", 0);
		if (cb)
			cb("the events enabled in", BOOT_INSTANCE, r);
	}
	free(set);
	write_in(dir, "set_event_notrace_pid", "", 0);
	write_in(dir, "set_event_pid", "", 0);
	r = session_remove_group(BOOT_GROUP, cb);
	if (r > 0)
		n += r;
	if (clear)
		write_in(dir, "trace", "", 0);
	free(dir);
	return n;
}

/*
 * The sidecar is written beside its target and renamed over it when
 * complete (lib/output.h); the chunk writer gets a descriptor of its own
 */
static int open_sidecar(const char *path, struct chunk_writer **wp, struct output *out)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd, ret;

	if (slash && slash != dir) {
		*slash = '\0';
		/* /var/lib/ftio on a fresh board */
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			ret = -errno;
			free(dir);
			return ret;
		}
	}
	free(dir);
	ret = output_open(out, path, 0600);
	if (ret)
		return ret;
	fd = fcntl(fileno(out->f), F_DUPFD_CLOEXEC, 3);
	*wp = fd >= 0 ? chunk_writer_new(fd, 1, 8) : NULL;
	if (!*wp) {
		ret = -(errno ? errno : EIO);
		if (fd >= 0)
			close(fd);
		output_abort(out);
		return ret;
	}
	return 0;
}

/* The directory of @path synced: the rename must survive the crash it is for */
static void sync_dir(const char *path)
{
	char *d = xstrdup(path), *sl = strrchr(d, '/');
	int dfd;

	if (sl)
		*(sl == d ? sl + 1 : sl) = '\0';
	dfd = open(sl ? d : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(d);
}

/* Writes the markers: one per CPU, each written from that CPU */
static int write_markers(struct session *s, const char *token, const char *bid, struct strbuf *cpus)
{
	cpu_set_t orig, one;
	struct utsname u;
	int n = 0;

	uname(&u);
	sched_getaffinity(0, sizeof(orig), &orig);
	for (int cpu = 0; cpu < s->ncpus && cpu < CPU_SETSIZE; cpu++) {
		char *line;

		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0)
			continue;	/* offline */
		line = xasprintf("%s token=%s cpu=%d boot_id=%s clock=%s kernel=%s\n", BOOT_MARKER,
				 token, cpu, bid, s->clock ? s->clock : "local", u.release);
		if (!session_write(s, "trace_marker", line)) {
			strbuf_addf(cpus, "%s%d", n ? "," : "", cpu);
			n++;
		}
		free(line);
	}
	sched_setaffinity(0, sizeof(orig), &orig);
	return n;
}

/* The instance's clock: the bracketed one of trace_clock */
static char *instance_clock(struct session *s)
{
	char *t = session_read(s, "trace_clock");
	char *b = t ? strchr(t, '[') : NULL, *e = b ? strchr(b, ']') : NULL;
	char *ret = b && e ? xstrndup(b + 1, e - b - 1) : xstrdup("local");

	free(t);
	return ret;
}

static void disarm_quiet(void)
{
	boot_disarm(true, NULL);
}

/* The instance configured, ftio kept out, the layers' events and probes in it */
static int arm_enable(struct recorder *r, struct session *s, struct rec_instance *ri)
{
	struct record_opts *o = &r->o;

	/*
	 * The clock stays the one the kernel gave the instance ("local"):
	 * Linux 7.2 kept CPU 0's pages across a reboot only then (with "mono"
	 * the boot CPU's buffer came back empty, the others' whole; measured
	 * under QEMU).  The salvage takes the start from the markers, which
	 * carry that clock's time.
	 */
	s->clock = instance_clock(s);
	if (session_write(s, "trace", "") || session_write(s, "options/overwrite", "1") ||
	    session_write(s, "options/event-fork", "0")) {
		error("cannot configure the boot instance '%s': %s", s->name, strerror(errno));
		return -1;
	}
	/* ftio's own calls while it arms are kept out; the list is emptied before it exits */
	session_write(s, "set_event_notrace_pid", "");
	if (session_notrace_pid(s, getpid())) {
		error("cannot keep ftio out of '%s': %s", s->name, strerror(errno));
		return -1;
	}
	if (events_enable(ri, &r->plan, -1, o, &r->unavail))
		return -1;
	recorder_syscall_strings(r, s);
	strbuf_addf(&r->strategy, "transport=tracefs(boot instance %s, flight: nothing read) clock=%s "
		    "events=%d", s->name, s->clock, ri->nr_events);
	recorder_describe_syscalls(r);
	probes_place_uprobes(s, &r->plan, &r->strategy, &r->unavail, o->quiet);
	probes_place_kprobes(s, &r->plan, &r->strategy, &r->unavail, o->quiet);
	if (!s->nr_events) {
		error("cannot arm '%s': none of the %zu events the layers need exist in this kernel",
		      s->name, r->plan.nr_events);
		return -1;
	}
	strbuf_addstr(&r->strategy, " pids=all");
	if (o->path_dev)
		strbuf_addf(&r->strategy, " devices=%llu:%llu(-p)",
			    (unsigned long long)(o->path_dev >> 20),
			    (unsigned long long)(o->path_dev & 0xfffff));
	/* the markers' format, for replay */
	session_add_format(s, "ftrace", "print");
	return 0;
}

/* The sidecar's metadata: a recording's, and the arming's token and boot */
static int arm_meta(struct recorder *r, const struct boot_state *bs, struct rec_instance *ri,
		    char token[17], const char *bid)
{
	unsigned char rnd[8];

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		error("cannot make the arming token: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 8; i++)
		snprintf(token + 2 * i, 3, "%02x", rnd[i]);
	meta_describe(&r->meta, ri, 1, &r->o, r->strategy.buf, r->unavail.buf);
	attr_addstr(&r->meta, "meta/backend", "tracefs");
	attr_addstr(&r->meta, "meta/syscall_source",
		    r->sc_source == SYSCALL_SOURCE_RAW ? "raw_syscalls" : "syscalls");
	if (r->sc_strbuf)
		attr_addf(&r->meta, "meta/syscall_user_buf_size", "%u", r->sc_strbuf);
	attr_addstr(&r->meta, "boot/instance", ri->s->name);
	attr_addstr(&r->meta, "boot/token", token);
	attr_addstr(&r->meta, "boot/boot_id", bid);
	attr_addf(&r->meta, "boot/kernel_text", "%llx", (unsigned long long)boot_kernel_text());
	attr_addf(&r->meta, "boot/buffer_kb", "%llu", (unsigned long long)bs->buffer_kb);
	attr_addf(&r->meta, "boot/cpus", "%d", bs->ncpus);
	if (bs->cmd_reserve)
		attr_addstr(&r->meta, "boot/reserve_mem", bs->cmd_reserve);
	if (bs->cmd_instance)
		attr_addstr(&r->meta, "boot/trace_instance", bs->cmd_instance);
	attr_addstr(&r->meta, "boot/nokaslr", bs->cmd_nokaslr ? "1" : "0");
	return 0;
}

/*
 * Tracing on, the markers, and the sidecar (metadata, snapshot, END) on
 * disk; the writer's thread exists before tracing starts, kept out too
 */
static int arm_start(struct recorder *r, struct session *s, const char *token, const char *bid,
		     struct strbuf *cpus)
{
	struct record_opts *o = &r->o;
	struct strbuf snap = STRBUF_INIT, end = STRBUF_INIT;
	struct chunk_writer *w = NULL;
	struct output out;
	uint64_t now;
	int ret;

	ret = open_sidecar(o->output, &w, &out);
	if (ret) {
		error("cannot write the sidecar '%s': %s", o->output, output_strerror(ret));
		return -1;
	}
	session_notrace_pid(s, chunk_writer_tid(w));
	r->start = now_mono_ns();
	attr_addf(&r->meta, "meta/start_mono_ns", "%llu", (unsigned long long)r->start);
	attr_addf(&r->meta, "meta/start_real_ns", "%llu", (unsigned long long)now_real_ns());
	if (session_tracing_on(s, true)) {
		error("cannot turn tracing on in '%s': %s", s->name, strerror(errno));
		chunk_writer_close(w);
		output_abort(&out);
		return -1;
	}
	if (!write_markers(s, token, bid, cpus) && !o->quiet)
		warning("cannot write the arming markers into '%s': a salvage will not be able to "
			"tell a wrapped CPU", s->name);
	attr_addstr(&r->meta, "boot/marked_cpus", cpus->buf);
	now = now_mono_ns();
	sideband_snapshot(&snap);
	chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, 0, 0, r->meta.buf, r->meta.len);
	r->meta.buf = NULL;
	strbuf_release(&r->meta);
	chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, now, now, snap.buf, snap.len);
	attr_addstr(&end, "end/reason", "armed (a sidecar: the events stay in the kernel)");
	attr_addf(&end, "end/mono_ns", "%llu", (unsigned long long)now);
	chunk_writer_submit(w, FTIO_CHUNK_END, 0, 0, 0, 0, end.buf, end.len);
	ret = chunk_writer_close(w);
	if (!ret)
		ret = output_commit(&out);
	else
		output_abort(&out);
	if (ret) {
		error("cannot write the sidecar '%s': %s", o->output, output_strerror(ret));
		return -1;
	}
	sync_dir(o->output);
	return 0;
}

int boot_arm(struct recorder *r, const struct boot_state *bs)
{
	struct record_opts *o = &r->o;
	struct rec_instance ri = { .stats_prefix = "stats/" };
	struct strbuf cpus = STRBUF_INIT;
	char token[17], *bid = boot_id();
	int ret;

	/* what an earlier arming left (events, filters, probes), and its events */
	ret = boot_disarm(true, NULL);
	if (ret < 0) {
		error("cannot disarm '%s' before arming it: %s", boot_instance_name(), strerror(-ret));
		free(bid);
		return -1;
	}
	ri.s = session_open_boot(boot_instance_name(), BOOT_GROUP);
	if (!ri.s) {
		error("cannot open the boot instance '%s': %s", boot_instance_name(), strerror(errno));
		free(bid);
		return -1;
	}
	ret = arm_enable(r, ri.s, &ri) || arm_meta(r, bs, &ri, token, bid) ||
	      arm_start(r, ri.s, token, bid, &cpus) ? -1 : 0;
	free(bid);
	if (ret) {
		strbuf_release(&cpus);
		session_detach(ri.s);
		disarm_quiet();
		return -1;
	}
	/* from here on everything is traced, ftio's last calls included */
	session_write(ri.s, "set_event_notrace_pid", "");
	if (!o->quiet) {
		char b[32];

		fprintf(stderr,
			"ftio: armed the boot instance '%s' (%s per CPU, %d CPUs, marked %s): %s\n"
			"ftio: it stays armed after ftio exits; sidecar '%s'. After a crash and a warm "
			"reboot: ftio salvage --last-boot; to stop: ftio reset --boot-instance\n",
			ri.s->name, fmt_bytes(b, sizeof(b), bs->buffer_kb << 10), bs->ncpus,
			cpus.len ? cpus.buf : "none", r->strategy.buf, o->output);
	}
	r->started = true;
	strbuf_release(&cpus);
	session_detach(ri.s);
	return 0;
}
