/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot-mapped instance: a tracefs instance whose ring buffer lives in
 * memory the kernel reserved at boot (Linux 6.12+: reserve_mem= and
 * trace_instance=NAME@RESERVE on the command line), so that a warm reboot
 * (watchdog, panic, reset) keeps what it held.  ftio boot-setup prints the
 * words, ftio record --boot-instance arms it (boot_arm()), ftio salvage
 * --last-boot reads the previous boot's events out of it (lastboot.c) and
 * ftio reset --boot-instance disarms it (boot_disarm()).
 *
 * It is the one instance ftio leaves armed when it exits: the kernel
 * writes into it with nobody reading (flight mode) until the board
 * crashes.  Its dynamic events go in the group "ftio_boot", which no other
 * ftio command removes (not an "ftio_<pid>" name).
 */
#ifndef FTIO_BOOT_H
#define FTIO_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_INSTANCE	"ftio_boot"	/* trace_instance=ftio_boot...@ftio_boot */
#define BOOT_RESERVE	"ftio_boot"	/* reserve_mem=SIZE:ALIGN:ftio_boot */
#define BOOT_GROUP	"ftio_boot"	/* its uprobes and kprobes */
#define BOOT_SIDECAR	"/var/lib/ftio/boot.dat"
#define BOOT_ALIGN	4096
#define BOOT_DEFAULT_SIZE (32ULL << 20)
/* the trace_marker line an arming writes on every CPU (see boot_arm()) */
#define BOOT_MARKER	"ftio-boot-arm"

struct recorder;

enum boot_support {
	BOOT_SUPPORTED,
	BOOT_TOO_OLD,		/* older than 6.12 */
	BOOT_NO_OPTION,		/* 6.12+, but built without what it takes */
};

/* What the instance holds, as far as the kernel tells */
enum boot_last {
	LAST_NONE,		/* nothing kept: a cold boot, or the memory moved or was cleared */
	LAST_PREVIOUS,		/* the previous boot's events (maybe already read) */
	LAST_CURRENT,		/* this boot's: it was armed (or written) since it booted */
};

struct boot_state {
	char release[65];	/* uname -r */
	char version[257];	/* uname -v */
	int major, minor;
	enum boot_support support;
	char *support_why;	/* for BOOT_TOO_OLD and BOOT_NO_OPTION */
	/* /proc/cmdline */
	char *cmd_reserve;	/* our reserve_mem= word, or NULL */
	char *cmd_instance;	/* our trace_instance= word, or NULL */
	bool cmd_nokaslr;
	/* tracefs */
	bool tracefs;
	bool unreadable;	/* tracefs is there, but not for this user */
	bool instance;		/* instances/ftio_boot exists */
	bool mapped;		/* ... and is boot-mapped (has last_boot_info) */
	char *dir;		/* the instance's directory */
	char *last_boot_info;
	enum boot_last last;
	uint64_t prev_text;	/* the previous boot's kernel text address (7.x), 0 unknown */
	long long text_delta;	/* 6.12's "text delta:" */
	bool delta_format;	/* last_boot_info is 6.12's "text delta:/data delta:" */
	bool armed;		/* some event is enabled in it */
	bool tracing_on;
	uint64_t entries;	/* events it holds, all CPUs (per_cpu/cpuN/stats) */
	uint64_t buffer_kb;	/* per CPU */
	int ncpus;		/* per_cpu/cpuN directories */
};

/* Fills @bs with what this kernel and this boot have; never fails */
void boot_state_read(struct boot_state *bs);
void boot_state_release(struct boot_state *bs);

/*
 * What this boot lacks to arm ftio's boot instance, as sentences for the
 * user (malloc'd), or NULL when it has all of it
 */
char *boot_missing(const struct boot_state *bs);

/*
 * The instance's name: BOOT_INSTANCE, or for the benchmark (bench/boot.sh)
 * a plain instance named by FTIO_TEST_BOOT_INSTANCE that stands in for it
 * on a kernel booted without one (it needs no last_boot_info then, and
 * loses everything at a reboot)
 */
const char *boot_instance_name(void);

/* This boot's id (/proc/sys/kernel/random/boot_id), malloc'd, "" if unknown */
char *boot_id(void);

/*
 * boot_arm - ftio record --boot-instance: the layers' events enabled in the
 * boot instance, in flight mode, its markers written and the sidecar
 * recording (formats, metadata, snapshot) written to @r->o.output.
 * Returns 0, or -1 after printing why (the instance is then disarmed).
 */
int boot_arm(struct recorder *r, const struct boot_state *bs);

/*
 * boot_disarm - tracing off, every event of the instance off, its pid
 * filters cleared and the "ftio_boot" dynamic events removed; with @clear
 * the buffer is emptied too.  @cb (may be NULL) is told of each removal.
 * Returns how many things it turned off or removed, or -errno.
 */
int boot_disarm(bool clear, void (*cb)(const char *what, const char *name, int err));

/* The kernel's text address (_text in /proc/kallsyms), 0 when hidden */
uint64_t boot_kernel_text(void);

#endif /* FTIO_BOOT_H */
