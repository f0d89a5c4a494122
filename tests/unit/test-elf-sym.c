// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for elf-sym: uprobe offsets found in this system's libc must match
 * what the kernel itself would compute (the address of the function in this
 * process, turned into a file offset through the /proc/self/maps line that
 * maps it), hand-built ELF32/ELF64 images of both byte orders must resolve
 * as expected, and broken or hostile files must give errors, never crashes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/elf-sym.h"
#include "unit.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int write_tmp(char *path, size_t size, const void *buf, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/ftio-elf-sym.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

static void *read_whole(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !(buf = malloc(st.st_size))) {
		close(fd);
		return NULL;
	}
	if (read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	*len = st.st_size;
	close(fd);
	return buf;
}

/* File offset the kernel would use for @addr: found from the VMA mapping it. */
static uint64_t maps_file_offset(const void *addr, const char *want_path)
{
	uintptr_t a = (uintptr_t)addr;
	char line[4096 + 128];
	uint64_t res = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end, pgoff;
		char *path;
		int pos = 0;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%lx-%lx %*s %lx %*x:%*x %*u %n", &start, &end, &pgoff,
			   &pos) != 3 || !pos)
			continue;
		path = line + pos;
		if (a < start || a >= end || strcmp(path, want_path))
			continue;
		res = a - start + pgoff;
		break;
	}
	fclose(f);
	return res;
}

static void test_libc(const char *libc)
{
	static const char *const names[] = { "open", "openat", "fopen", "stat",
					     "ftio_no_such_symbol" };
	uint64_t off[N_ELEMS(names)];
	void *handle;
	size_t i;
	int ret;

	ret = elf_sym_offsets(libc, names, N_ELEMS(names), off);
	is_int(ret, 4, "libc: 4 of 5 names found");
	for (i = 0; i < 4; i++)
		ok(off[i] != 0, "libc: %s found at %#llx", names[i], (unsigned long long)off[i]);
	ok(off[4] == 0, "libc: missing name gives offset 0");

	/* dlsym on libc's own handle skips interposers such as ASan's open */
	handle = dlopen(libc, RTLD_NOW | RTLD_NOLOAD);
	ok(handle != NULL, "libc: dlopen(RTLD_NOLOAD) of '%s'", libc);
	if (!handle)
		return;
	for (i = 0; i < 4; i++) {
		void *addr = dlsym(handle, names[i]);
		uint64_t want = addr ? maps_file_offset(addr, libc) : 0;

		ok(want && off[i] == want, "libc: %s offset %#llx matches its mapping (%#llx)",
		   names[i], (unsigned long long)off[i], (unsigned long long)want);
	}
	dlclose(handle);
}

static void test_bad_files(const char *libc)
{
	static const char *const names[] = { "open" };
	static const char text[] = "#!/bin/sh\necho not an elf file\n";
	char path[4096];
	uint64_t off[1];
	uint8_t *img;
	size_t len, cut;
	int ret;

	is_int(elf_sym_offsets("/nonexistent/libc.so.6", names, 1, off), -ENOENT,
	       "missing file gives -ENOENT");
	is_int(elf_sym_offsets("/", names, 1, off), -EISDIR, "directory gives -EISDIR");
	is_int(elf_sym_offsets(libc, names, 1, NULL), -EINVAL, "NULL offsets gives -EINVAL");

	if (!write_tmp(path, sizeof(path), text, sizeof(text) - 1)) {
		is_int(elf_sym_offsets(path, names, 1, off), -ENOEXEC,
		       "shell script gives -ENOEXEC");
		unlink(path);
	}
	if (!write_tmp(path, sizeof(path), "", 0)) {
		is_int(elf_sym_offsets(path, names, 1, off), -ENOEXEC, "empty file gives -ENOEXEC");
		unlink(path);
	}

	img = read_whole(libc, &len);
	ok(img && len > 8192, "read a copy of libc (%zu bytes)", img ? len : 0);
	if (!img)
		return;
	for (cut = 16; cut <= len / 2; cut *= 16) {
		if (write_tmp(path, sizeof(path), img, cut))
			continue;
		ret = elf_sym_offsets(path, names, 1, off);
		ok(ret < 0 && off[0] == 0, "libc truncated to %zu bytes gives an error (%d)", cut,
		   ret);
		unlink(path);
	}
	if (!write_tmp(path, sizeof(path), img, 4096)) {
		is_int(elf_sym_offsets(path, names, 1, off), -ENOEXEC,
		       "libc truncated to 4096 bytes gives -ENOEXEC");
		unlink(path);
	}
	free(img);
}

/*
 * Flip bytes where the headers live (ELF and program headers at the start,
 * section headers at the end) of a libc copy. Only "no crash, sane return"
 * is checked; run under ASan this catches reads outside what was read.
 */
static void test_corrupt(const char *libc)
{
	static const char *const names[] = { "open", "openat", "fopen", "stat" };
	uint64_t off[N_ELEMS(names)];
	uint32_t seed = 0x2545f491;
	char path[4096];
	uint8_t *img;
	size_t len;
	int fd, i, j, bad = 0, errors = 0;

	img = read_whole(libc, &len);
	if (!img || write_tmp(path, sizeof(path), img, len)) {
		ok(0, "corrupt: could not copy libc");
		free(img);
		return;
	}
	fd = open(path, O_WRONLY);
	for (i = 0; fd >= 0 && i < 300; i++) {
		size_t pos[8];
		int nflip = 1 + i % 8, ret;

		for (j = 0; j < nflip; j++) {
			uint8_t v;

			seed = seed * 1103515245 + 12345;
			pos[j] = (seed >> 8) % 8192;
			pos[j] = pos[j] < 4096 ? pos[j] : len - (pos[j] - 4096) - 1;
			seed = seed * 1103515245 + 12345;
			v = j & 1 ? (uint8_t)(seed >> 16) : (uint8_t)0xff;
			if (pwrite(fd, &v, 1, pos[j]) != 1)
				bad++;
		}
		ret = elf_sym_offsets(path, names, N_ELEMS(names), off);
		if (ret < -4095 || ret > (int)N_ELEMS(names))
			bad++;
		errors += ret < 0;
		for (j = 0; j < nflip; j++)
			if (pwrite(fd, img + pos[j], 1, pos[j]) != 1)
				bad++;
	}
	ok(fd >= 0 && bad == 0, "corrupt: 300 damaged copies of libc handled (%d gave errors)",
	   errors);
	if (fd >= 0)
		close(fd);
	unlink(path);
	free(img);
}

/*
 * Hand-built images: one executable PT_LOAD at vaddr 0x400000 (file offset
 * 0), one writable PT_LOAD at 0x600200 (file offset 0x200), so a correct
 * answer is always st_value - 0x400000.
 */
#define IMG_SIZE 0x540
#define OFF_PHDR 0x40
#define OFF_DYNSTR 0x200
#define OFF_DYNSYM 0x280
#define OFF_VERSYM 0x3e0
#define OFF_SHDR 0x400
#define TEXT_VADDR 0x400000u
#define DATA_VADDR 0x600200u

struct img {
	uint8_t buf[IMG_SIZE];
	bool is64;
	bool big_endian;
};

static void img_put(struct img *im, size_t off, size_t len, uint64_t v)
{
	size_t i;

	for (i = 0; i < len; i++)
		im->buf[off + (im->big_endian ? len - 1 - i : i)] = (uint8_t)(v >> (8 * i));
}

#define IMG_OFF(im, type, field)                                                  \
	((im)->is64 ? offsetof(Elf64_##type, field) : offsetof(Elf32_##type, field))
#define IMG_LEN(im, type, field)                                                  \
	((im)->is64 ? sizeof(((Elf64_##type *)0)->field) : sizeof(((Elf32_##type *)0)->field))
#define IMG_PUT(im, base, type, field, v)                                         \
	img_put(im, (base) + IMG_OFF(im, type, field), IMG_LEN(im, type, field), v)
#define IMG_SIZEOF(im, type) ((im)->is64 ? sizeof(Elf64_##type) : sizeof(Elf32_##type))

struct img_sym {
	const char *name;
	unsigned int type, bind, shndx;
	uint64_t value;
	uint16_t ver;
	int64_t want;		/* expected offset with versym, -1: same as value - TEXT_VADDR */
	int64_t want_nover;	/* expected offset without versym */
};

static const struct img_sym img_syms[] = {
	{ "open", STT_FUNC, STB_GLOBAL, 1, 0x400110, 2, -1, -1 },
	{ "open64", STT_FUNC, STB_GLOBAL, 1, 0x400110, 2, -1, -1 },
	/* a non-default version first: the default one wins, else the first */
	{ "old", STT_FUNC, STB_GLOBAL, 1, 0x400120, 0x8003, 0x130, 0x120 },
	{ "old", STT_FUNC, STB_GLOBAL, 1, 0x400130, 2, 0x130, 0x120 },
	{ "weakfn", STT_FUNC, STB_WEAK, 1, 0x400140, 2, -1, -1 },
	{ "ifn", STT_GNU_IFUNC, STB_GLOBAL, 1, 0x400150, 2, -1, -1 },
	{ "localfn", STT_FUNC, STB_LOCAL, 1, 0x400160, 1, 0, 0 },
	{ "obj", STT_OBJECT, STB_GLOBAL, 1, 0x400170, 2, 0, 0 },
	{ "undef", STT_FUNC, STB_GLOBAL, SHN_UNDEF, 0, 2, 0, 0 },
	{ "datafn", STT_FUNC, STB_GLOBAL, 1, DATA_VADDR + 0x10, 2, 0, 0 },
	{ "thumb", STT_FUNC, STB_GLOBAL, 1, 0x400181, 2, -1, -1 },
	{ "beyond", STT_FUNC, STB_GLOBAL, 1, 0x400300, 2, 0, 0 },
	{ NULL, STT_FUNC, STB_GLOBAL, 1, 0x400190, 2, 0, 0 },	/* st_name out of range */
};

#define IMG_NSYMS (N_ELEMS(img_syms) + 1)

static void img_build(struct img *im, bool is64, bool big_endian, bool dynsym)
{
	size_t str = 1, ph, sh, sym, i;

	memset(im, 0, sizeof(*im));
	im->is64 = is64;
	im->big_endian = big_endian;

	memcpy(im->buf, ELFMAG, SELFMAG);
	im->buf[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	im->buf[EI_DATA] = big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	im->buf[EI_VERSION] = EV_CURRENT;
	IMG_PUT(im, 0, Ehdr, e_type, ET_DYN);
	IMG_PUT(im, 0, Ehdr, e_machine, is64 ? EM_AARCH64 : EM_ARM);
	IMG_PUT(im, 0, Ehdr, e_version, EV_CURRENT);
	IMG_PUT(im, 0, Ehdr, e_phoff, OFF_PHDR);
	IMG_PUT(im, 0, Ehdr, e_shoff, OFF_SHDR);
	IMG_PUT(im, 0, Ehdr, e_ehsize, IMG_SIZEOF(im, Ehdr));
	IMG_PUT(im, 0, Ehdr, e_phentsize, IMG_SIZEOF(im, Phdr));
	IMG_PUT(im, 0, Ehdr, e_phnum, 2);
	IMG_PUT(im, 0, Ehdr, e_shentsize, IMG_SIZEOF(im, Shdr));
	IMG_PUT(im, 0, Ehdr, e_shnum, 5);

	ph = OFF_PHDR;
	IMG_PUT(im, ph, Phdr, p_type, PT_LOAD);
	IMG_PUT(im, ph, Phdr, p_flags, PF_R | PF_X);
	IMG_PUT(im, ph, Phdr, p_vaddr, TEXT_VADDR);
	IMG_PUT(im, ph, Phdr, p_filesz, 0x200);
	IMG_PUT(im, ph, Phdr, p_memsz, 0x200);
	ph += IMG_SIZEOF(im, Phdr);
	IMG_PUT(im, ph, Phdr, p_type, PT_LOAD);
	IMG_PUT(im, ph, Phdr, p_flags, PF_R | PF_W);
	IMG_PUT(im, ph, Phdr, p_offset, 0x200);
	IMG_PUT(im, ph, Phdr, p_vaddr, DATA_VADDR);
	IMG_PUT(im, ph, Phdr, p_filesz, IMG_SIZE - 0x200);
	IMG_PUT(im, ph, Phdr, p_memsz, IMG_SIZE - 0x200);

	for (i = 0; i < N_ELEMS(img_syms); i++) {
		const struct img_sym *s = &img_syms[i];

		sym = OFF_DYNSYM + (i + 1) * IMG_SIZEOF(im, Sym);
		if (s->name) {
			IMG_PUT(im, sym, Sym, st_name, str);
			strcpy((char *)im->buf + OFF_DYNSTR + str, s->name);
			str += strlen(s->name) + 1;
		} else {
			IMG_PUT(im, sym, Sym, st_name, 0xffff);
		}
		IMG_PUT(im, sym, Sym, st_info, ELF64_ST_INFO(s->bind, s->type));
		IMG_PUT(im, sym, Sym, st_shndx, s->shndx);
		IMG_PUT(im, sym, Sym, st_value, s->value);
		img_put(im, OFF_VERSYM + (i + 1) * 2, 2, s->ver);
	}

	sh = OFF_SHDR + IMG_SIZEOF(im, Shdr);
	IMG_PUT(im, sh, Shdr, sh_type, SHT_PROGBITS);
	IMG_PUT(im, sh, Shdr, sh_flags, SHF_ALLOC | SHF_EXECINSTR);
	IMG_PUT(im, sh, Shdr, sh_addr, TEXT_VADDR + 0x100);
	IMG_PUT(im, sh, Shdr, sh_offset, 0x100);
	IMG_PUT(im, sh, Shdr, sh_size, 0x100);
	sh += IMG_SIZEOF(im, Shdr);
	IMG_PUT(im, sh, Shdr, sh_type, SHT_STRTAB);
	IMG_PUT(im, sh, Shdr, sh_offset, OFF_DYNSTR);
	IMG_PUT(im, sh, Shdr, sh_size, str);
	sh += IMG_SIZEOF(im, Shdr);
	IMG_PUT(im, sh, Shdr, sh_type, dynsym ? SHT_DYNSYM : SHT_SYMTAB);
	IMG_PUT(im, sh, Shdr, sh_link, 2);
	IMG_PUT(im, sh, Shdr, sh_info, 1);
	IMG_PUT(im, sh, Shdr, sh_offset, OFF_DYNSYM);
	IMG_PUT(im, sh, Shdr, sh_size, IMG_NSYMS * IMG_SIZEOF(im, Sym));
	IMG_PUT(im, sh, Shdr, sh_entsize, IMG_SIZEOF(im, Sym));
	sh += IMG_SIZEOF(im, Shdr);
	if (dynsym) {
		IMG_PUT(im, sh, Shdr, sh_type, SHT_GNU_versym);
		IMG_PUT(im, sh, Shdr, sh_link, 3);
		IMG_PUT(im, sh, Shdr, sh_offset, OFF_VERSYM);
		IMG_PUT(im, sh, Shdr, sh_size, IMG_NSYMS * 2);
		IMG_PUT(im, sh, Shdr, sh_entsize, 2);
	}
}

static int img_lookup(const struct img *im, size_t len, const char *const *names, size_t n,
		      uint64_t *off)
{
	char path[4096];
	int ret;

	if (write_tmp(path, sizeof(path), im->buf, len))
		return -EIO;
	ret = elf_sym_offsets(path, names, n, off);
	unlink(path);
	return ret;
}

static void test_images(void)
{
	const char *names[N_ELEMS(img_syms)];
	uint64_t off[N_ELEMS(img_syms)];
	size_t i, n = 0;
	int variant;

	for (i = 0; i < N_ELEMS(img_syms); i++)
		if (img_syms[i].name && (i == 0 || !img_syms[i - 1].name ||
					 strcmp(img_syms[i].name, img_syms[i - 1].name)))
			names[n++] = img_syms[i].name;

	for (variant = 0; variant < 8; variant++) {
		bool is64 = variant & 1, be = variant & 2, dynsym = !(variant & 4);
		struct img im;
		char what[64];
		int ret, want_found = 0, good = 0, checked = 0;

		snprintf(what, sizeof(what), "ELF%d %s %s", is64 ? 64 : 32, be ? "MSB" : "LSB",
			 dynsym ? ".dynsym" : ".symtab");
		img_build(&im, is64, be, dynsym);
		ret = img_lookup(&im, IMG_SIZE, names, n, off);

		for (i = 0; i < n; i++) {
			const struct img_sym *s = img_syms;
			int64_t want;

			while (strcmp(s->name, names[i]))
				s++;
			want = dynsym ? s->want : s->want_nover;
			if (want < 0)
				want = (int64_t)(s->value - TEXT_VADDR);
			/* 32-bit images are EM_ARM, where uprobes cannot take Thumb code */
			if (!is64 && !strcmp(s->name, "thumb"))
				want = 0;
			want_found += want != 0;
			checked++;
			if (off[i] == (uint64_t)want)
				good++;
			else
				ok(0, "%s: %s at %#llx, want %#llx", what, names[i],
				   (unsigned long long)off[i], (unsigned long long)want);
		}
		is_int(ret, want_found, what);
		ok(good == checked, "%s: all %d offsets as expected", what, checked);
	}
}

static void test_image_errors(void)
{
	static const char *const names[] = { "open" };
	uint64_t off[1];
	struct img im;
	size_t sh2 = OFF_SHDR + 2 * sizeof(Elf64_Shdr);
	size_t sh3 = OFF_SHDR + 3 * sizeof(Elf64_Shdr);

	img_build(&im, true, false, true);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), 1, "image: sane copy resolves");
	is_int(img_lookup(&im, OFF_SHDR + 10, names, 1, off), -ENOEXEC,
	       "image: section headers cut off gives -ENOEXEC");

	IMG_PUT(&im, 0, Ehdr, e_type, ET_REL);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENOEXEC, "image: ET_REL gives -ENOEXEC");

	img_build(&im, true, false, true);
	IMG_PUT(&im, 0, Ehdr, e_shoff, (uint64_t)-64);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENOEXEC,
	       "image: e_shoff near 2^64 gives -ENOEXEC");

	img_build(&im, true, false, true);
	IMG_PUT(&im, 0, Ehdr, e_phnum, 0xfffe);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENOEXEC,
	       "image: e_phnum past the end gives -ENOEXEC");

	img_build(&im, true, false, true);
	IMG_PUT(&im, sh3, Shdr, sh_size, (uint64_t)1 << 62);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENOEXEC,
	       "image: huge .dynsym size gives -ENOEXEC");

	img_build(&im, true, false, true);
	IMG_PUT(&im, sh2, Shdr, sh_type, SHT_PROGBITS);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENOEXEC,
	       "image: .dynsym linked to a non-string table gives -ENOEXEC");

	img_build(&im, true, false, true);
	IMG_PUT(&im, sh3, Shdr, sh_link, 99);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENOEXEC,
	       "image: .dynsym sh_link out of range gives -ENOEXEC");

	img_build(&im, true, false, true);
	IMG_PUT(&im, sh3, Shdr, sh_type, SHT_PROGBITS);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), -ENODATA,
	       "image: no symbol table gives -ENODATA");

	img_build(&im, true, false, true);
	memset(im.buf + OFF_DYNSTR, 'x', OFF_DYNSYM - OFF_DYNSTR);
	is_int(img_lookup(&im, IMG_SIZE, names, 1, off), 0,
	       "image: unterminated .dynstr finds nothing");
}

int main(void)
{
	char *libc = elf_find_libc();

	ok(libc && libc[0] == '/', "elf_find_libc() gives an absolute path (%s)",
	   libc ? libc : strerror(errno));
	if (libc) {
		test_libc(libc);
		test_bad_files(libc);
		test_corrupt(libc);
	}
	test_images();
	test_image_errors();
	free(libc);
	return done_testing();
}
