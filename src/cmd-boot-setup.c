// SPDX-License-Identifier: GPL-2.0
/*
 * ftio boot-setup: the kernel command-line words that make the boot-mapped
 * instance ftio record --boot-instance arms (record/boot.h), how to add
 * them with the usual bootloaders, and what keeps the reserved memory in
 * place across a reboot.  It never edits a bootloader.  Exit 0 when this
 * boot has the instance, 1 when it has not (the words are printed) or
 * cannot have one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "layers.h"
#include "record/boot.h"
#include "lib/util.h"

static const char *const boot_setup_usage[] = {
	"ftio boot-setup [--size <size>] [-e <layer>[,<layer>...]] [-p <path>]",
	NULL,
};

/* reserve_mem='s size: memparse() takes K, M and G */
static void size_word(char *buf, size_t n, uint64_t b)
{
	if (!(b % (1ULL << 30)))
		snprintf(buf, n, "%lluG", (unsigned long long)(b >> 30));
	else if (!(b % (1ULL << 20)))
		snprintf(buf, n, "%lluM", (unsigned long long)(b >> 20));
	else
		snprintf(buf, n, "%lluK", (unsigned long long)(b >> 10));
}

/* The kernel splits the range between the possible CPUs, not the online ones */
static int possible_cpus(void)
{
	char *t = read_file("/sys/devices/system/cpu/possible", NULL), *save = NULL;
	int n = 0;

	for (char *r = t ? strtok_r(t, ",\n", &save) : NULL; r; r = strtok_r(NULL, ",\n", &save)) {
		int a, b;

		if (sscanf(r, "%d-%d", &a, &b) == 2)
			n += b - a + 1;
		else if (sscanf(r, "%d", &a) == 1)
			n++;
	}
	free(t);
	return n ? n : (int)sysconf(_SC_NPROCESSORS_CONF);
}

static bool needs_nokaslr(const char *machine)
{
	/* x86's decompressor, and arm64's EFI stub, place the kernel at random */
	return !strcmp(machine, "x86_64") || !strncmp(machine, "i686", 4) ||
	       !strcmp(machine, "aarch64");
}

static void print_words(const char *words, uint64_t size, const char *sz, int cpus, bool nokaslr,
			const char *arm_args)
{
	char b[32], b2[32];

	printf("Kernel command line for ftio's boot instance (%s):\n\n    %s\n\n", sz, words);
	printf("  reserve_mem=%s:%d:%s\n"
	       "      keeps %s of RAM out of the kernel's hands at boot, named %s: the kernel\n"
	       "      splits it between its %d possible CPUs (%s each here)\n",
	       sz, BOOT_ALIGN, BOOT_RESERVE, fmt_bytes(b, sizeof(b), size), BOOT_RESERVE, cpus,
	       fmt_bytes(b2, sizeof(b2), size / (cpus ? cpus : 1)));
	printf("  trace_instance=%s^traceoff@%s\n"
	       "      makes the tracefs instance %s on that memory, tracing off: nothing is\n"
	       "      recorded until ftio record --boot-instance arms it\n",
	       BOOT_INSTANCE, BOOT_RESERVE, BOOT_INSTANCE);
	if (nokaslr)
		printf("  nokaslr\n"
		       "      keeps the kernel, and with it the reserved range, at the same physical\n"
		       "      address at every boot (see \"What keeps the range in place\")\n");
	printf("\nAdd them yourself (ftio never edits a bootloader), then reboot:\n"
	       "  GRUB          in /etc/default/grub, inside GRUB_CMDLINE_LINUX=\"...\"; then\n"
	       "                update-grub (Debian, Ubuntu) or grub2-mkconfig -o /boot/grub2/grub.cfg\n"
	       "                (Fedora, RHEL; or grubby --update-kernel=ALL --args=\"...\")\n"
	       "  U-Boot        appended to bootargs, from its prompt:\n"
	       "                  setenv bootargs \"${bootargs} %s\"; saveenv\n"
	       "                or on the APPEND line of extlinux/extlinux.conf, or in boot.scr\n"
	       "  Raspberry Pi  at the end of the one line of /boot/firmware/cmdline.txt\n"
	       "                (/boot/cmdline.txt before Raspberry Pi OS bookworm): a space\n"
	       "                before them, no new line\n", words);
	printf("\nThen at every boot, in this order (contrib/systemd/ftio-boot.service does it):\n"
	       "  ftio salvage --last-boot -o /var/lib/ftio/     what the previous boot left\n"
	       "  ftio record --boot-instance%s%-*s arm it again\n",
	       *arm_args ? " " : "", (int)(*arm_args ? 18 - 1 : 18), arm_args);
	printf("\nWhat keeps the range in place (ftio-boot-setup(1) has the measurements):\n"
	       "  - a warm reset: a watchdog, a panic with panic=N, a reboot; a power cut or a\n"
	       "    brown-out loses RAM, and with it the trace\n"
	       "  - the same physical place: the same kernel, RAM size and command line;%s\n"
	       "  - firmware that leaves RAM alone: memory tests, ECC scrubbing and\n"
	       "    CONFIG_RESET_ATTACK_MITIGATION clear it\n"
	       "  ftio salvage checks what it reads: a range that moved or was cleared gives\n"
	       "  \"no last-boot data\", never another boot's garbage\n",
	       nokaslr ? "\n    nokaslr on x86 (its decompressor places the kernel at random) and on\n"
			 "    arm64 booted through UEFI (the EFI stub does); a Raspberry Pi's firmware\n"
			 "    and U-Boot's booti load the kernel at a fixed address"
		       : " this architecture's\n    kernel does not move by itself");
}

/* This boot: 0 when it has the instance */
static int print_state(const struct boot_state *bs, const char *want_reserve, bool nokaslr)
{
	char *why = boot_missing(bs);
	char b[32];

	printf("\nThis boot (Linux %s): ", bs->release);
	if (why) {
		if (bs->support == BOOT_SUPPORTED && !bs->instance && !bs->unreadable &&
		    !bs->cmd_reserve && !bs->cmd_instance)
			printf("not set up: it was not booted with these words (tracefs has no "
			       "instances/%s).\n", BOOT_INSTANCE);
		else
			printf("%s.\n  %s\n", bs->unreadable ? "unknown" : "not set up", why);
		free(why);
		return 1;
	}
	printf("'%s' is there, %s per CPU on %d CPUs (%s %s)", BOOT_INSTANCE,
	       fmt_bytes(b, sizeof(b), bs->buffer_kb << 10), bs->ncpus,
	       bs->cmd_reserve ? bs->cmd_reserve : "", bs->cmd_instance ? bs->cmd_instance : "");
	if (bs->armed)
		printf("; armed");
	else
		printf("; not armed");
	if (bs->last == LAST_PREVIOUS && bs->entries)
		printf("; it holds %llu events of the previous boot: ftio salvage --last-boot",
		       (unsigned long long)bs->entries);
	printf(".\n");
	if (bs->cmd_reserve && strcmp(bs->cmd_reserve, want_reserve))
		printf("  (booted with %s, not %s: the words above take effect at the next boot)\n",
		       bs->cmd_reserve, want_reserve);
	if (!bs->cmd_nokaslr && nokaslr)
		printf("  no nokaslr on this boot's command line: the range may move at the next boot\n");
	return 0;
}

static const struct cmd_option boot_setup_options[] = {
	OPT_SHORT('s', "size", required_argument, "<size>", "the memory kept for the instance (default 32M)"),
	OPT_SHORT('e', "events", required_argument, "<layer>[,...]", "the layers record --boot-instance arms"),
	OPT_SHORT('p', "path", required_argument, "<path>", "the files that matter live under <path>"),
	OPT_END(),
};

static const struct cmd_desc boot_setup_cmd = { "boot-setup", boot_setup_usage, boot_setup_options, false };

int cmd_boot_setup(int argc, char **argv)
{
	uint64_t size = BOOT_DEFAULT_SIZE;
	const char *layers = NULL, *path = NULL;
	struct strbuf words = STRBUF_INIT, arm = STRBUF_INIT;
	struct boot_state bs;
	struct utsname u;
	char sz[32], *reserve;
	bool nokaslr;
	int c, cpus, ret;

	while ((c = cmd_getopt(argc, argv, &boot_setup_cmd)) != -1) {
		switch (c) {
		case 's':
			if (parse_size(optarg, &size) || size < (1ULL << 20) || size > (1ULL << 40))
				usage_error(boot_setup_usage, "invalid --size '%s' (1M to 1T)", optarg);
			break;
		case 'e': {
			char *list = xstrdup(optarg), *save = NULL;

			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				struct strbuf hint = STRBUF_INIT;

				if (layer_find(t))
					continue;
				layer_suggest(t, &hint);
				usage_error(boot_setup_usage, "unknown layer '%s'%s", t, hint.buf);
			}
			free(list);
			layers = optarg;
			break;
		}
		case 'p':
			path = optarg;
			break;
		}
	}
	if (optind < argc)
		usage_error(boot_setup_usage, "unexpected argument '%s'", argv[optind]);
	if (path) {
		struct stat st;

		if (stat(path, &st))
			die("cannot use -p '%s': %s", path, strerror(errno));
	}
	/* the kernel keeps whole pages */
	size = (size + BOOT_ALIGN - 1) / BOOT_ALIGN * BOOT_ALIGN;
	size_word(sz, sizeof(sz), size);
	uname(&u);
	nokaslr = needs_nokaslr(u.machine);
	cpus = possible_cpus();
	if (size / cpus < 64 * 1024)
		die("cannot split %s between %d CPUs: each would get less than 64K (use --size %dM or more)",
		    sz, cpus, (cpus * 64 + 1023) / 1024 > 0 ? (cpus * 64 + 1023) / 1024 : 1);

	boot_state_read(&bs);
	if (bs.support != BOOT_SUPPORTED) {
		fprintf(stderr, "ftio: no boot instance on this kernel: %s\n", bs.support_why);
		boot_state_release(&bs);
		return 1;
	}
	reserve = xasprintf("reserve_mem=%s:%d:%s", sz, BOOT_ALIGN, BOOT_RESERVE);
	strbuf_addf(&words, "%s trace_instance=%s^traceoff@%s%s", reserve, BOOT_INSTANCE,
		    BOOT_RESERVE, nokaslr ? " nokaslr" : "");
	if (layers)
		strbuf_addf(&arm, "-e %s", layers);
	if (path)
		strbuf_addf(&arm, "%s-p %s", arm.len ? " " : "", path);
	print_words(words.buf, size, sz, cpus, nokaslr, arm.buf);
	ret = print_state(&bs, reserve, nokaslr);
	free(reserve);
	strbuf_release(&words);
	strbuf_release(&arm);
	boot_state_release(&bs);
	return ret;
}
