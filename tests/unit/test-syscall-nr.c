// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the per-architecture syscall numbers of the raw_syscalls
 * source: the x86_64 table equals this host's <asm/unistd_64.h> (when
 * built on x86_64), every table maps each number to one name of
 * syscall_table and back, numbers are unique per architecture, names an
 * architecture lacks are absent (arm64 has no open, riscv64 no renameat,
 * arm's sync_file_range is sync_file_range2), and uname -m's spellings
 * find their table.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include <ftio/syscall-nr.h>
#include "unit.h"

static void check_arch(const struct syscall_arch *a)
{
	int n = 0, bad = 0;

	for (const struct syscall_nr *e = a->nrs; e->name; e++, n++) {
		const struct syscall_desc *d = syscall_by_nr(a, e->nr);

		if (!syscall_find(e->name) || !d || strcmp(d->name, e->name) ||
		    syscall_nr(a, e->name) != e->nr) {
			diag("%s: %s = %d does not map back", a->arch, e->name, e->nr);
			bad++;
		}
		for (const struct syscall_nr *f = e + 1; f->name; f++)
			if (f->nr == e->nr) {
				diag("%s: %s and %s share %d", a->arch, e->name, f->name, e->nr);
				bad++;
			}
	}
	ok(n >= 40 && !bad, "%s: %d numbers, each one name of the table and back", a->arch, n);
}

int main(void)
{
	const struct syscall_arch *x86 = syscall_arch_find("x86_64");
	const struct syscall_arch *arm64 = syscall_arch_find("aarch64");
	const struct syscall_arch *arm = syscall_arch_find("armv7l");
	const struct syscall_arch *rv = syscall_arch_find("riscv64");

	ok(x86 && arm64 && arm && rv, "x86_64, aarch64, armv7l and riscv64 have tables");
	ok(!syscall_arch_find("mips") && !syscall_arch_find(NULL), "mips and NULL have none");
	if (!x86 || !arm64 || !arm || !rv)
		return done_testing();
	is_str(syscall_arch_find("armv8l")->arch, "arm", "armv8l (32-bit on an arm64 core) is arm");
	for (const struct syscall_arch *a = syscall_arches; a->arch; a++)
		check_arch(a);

#ifdef __x86_64__
	{
		static const struct { const char *name; long nr; } host[] = {
			{ "open", __NR_open }, { "openat", __NR_openat }, { "close", __NR_close },
			{ "read", __NR_read }, { "write", __NR_write }, { "pread64", __NR_pread64 },
			{ "newstat", __NR_stat }, { "newlstat", __NR_lstat }, { "newfstat", __NR_fstat },
			{ "newfstatat", __NR_newfstatat }, { "sendfile64", __NR_sendfile },
			{ "dup2", __NR_dup2 }, { "fcntl", __NR_fcntl }, { "setresuid", __NR_setresuid },
			{ "copy_file_range", __NR_copy_file_range }, { "statx", __NR_statx },
			{ "close_range", __NR_close_range }, { "faccessat2", __NR_faccessat2 },
		};
		int bad = 0;

		for (size_t i = 0; i < sizeof(host) / sizeof(host[0]); i++)
			if (syscall_nr(x86, host[i].name) != host[i].nr) {
				diag("x86_64 %s: %d, host says %ld", host[i].name,
				     syscall_nr(x86, host[i].name), host[i].nr);
				bad++;
			}
		ok(!bad, "x86_64 numbers equal this host's <asm/unistd_64.h>");
	}
#else
	skip("not built on x86_64: no host numbers to compare");
#endif
	is_int(syscall_nr(arm64, "openat"), 56, "arm64 openat is 56 (asm-generic)");
	is_int(syscall_nr(arm64, "open"), -1, "arm64 has no open");
	is_int(syscall_nr(arm64, "newfstatat"), 79, "arm64 newfstatat is 79 (__NR3264_fstatat)");
	is_int(syscall_nr(rv, "renameat"), -1, "riscv64 has no renameat");
	is_int(syscall_nr(rv, "renameat2"), 276, "riscv64 renameat2 is 276");
	is_int(syscall_nr(arm, "openat"), 322, "arm (EABI) openat is 322");
	is_int(syscall_nr(arm, "setuid"), 213, "arm setuid is setuid32 (213), not the 16-bit 23");
	is_int(syscall_nr(arm, "sendfile64"), 239, "arm sendfile64 is 239, not sendfile's 187");
	is_int(syscall_nr(arm, "sync_file_range"), -1, "arm has sync_file_range2 instead");
	ok(!syscall_by_nr(x86, 39), "x86_64 getpid (39) is no file syscall");
	ok(!syscall_by_nr(x86, -1) && !syscall_by_nr(x86, 100000), "ids out of range have none");
	return done_testing();
}
