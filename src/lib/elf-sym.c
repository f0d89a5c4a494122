// SPDX-License-Identifier: GPL-2.0
/*
 * A small ELF symbol reader for placing uprobes. It is not libelf on purpose:
 * that would add a dependency for the one lookup we need (name -> file offset
 * of an exported function). Files of either class and byte order are read
 * through field accessors, so an x86_64 ftio can resolve an arm64 or armhf
 * libc. The input may be hostile: every offset and size is checked against
 * the file size, and tables are read with pread() rather than mmap() so that
 * a file truncated under us gives a short read instead of SIGBUS.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/elf-sym.h"

/*
 * Far bigger than any real table we read (glibc's .dynsym is ~70 KiB; the
 * .symtab of a large unstripped C++ program tens of MiB), and a bound on
 * what one hostile header can make us allocate from a huge file.
 */
#define ELF_TABLE_MAX (256u << 20)

/* glibc's .gnu.version: this entry is not the default version of the name */
#define ELF_VERSYM_HIDDEN 0x8000
#define ELF_VERSYM_INDEX 0x7fff

struct elf_file {
	int fd;
	uint64_t size;
	bool is64;
	bool big_endian;
	uint16_t machine;
	uint32_t phnum;
	uint32_t shnum;
	uint8_t *phdrs;
	uint8_t *shdrs;
};

struct elf_symtab {
	uint8_t *syms;
	uint64_t nsyms;
	char *strs;
	uint64_t strsize;
	uint8_t *versym;	/* NULL, or one 16-bit entry per symbol */
};

static uint64_t elf_get(const struct elf_file *ef, const uint8_t *p, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = (v << 8) | p[ef->big_endian ? i : len - 1 - i];
	return v;
}

/* Field names are the same in Elf32_X and Elf64_X; only layout differs. */
#define ELF_GET(ef, p, type, field)                                          \
	elf_get(ef, (const uint8_t *)(p) + offsetof(type, field), sizeof(((type *)0)->field))
#define ELF_FIELD(ef, p, type, field)                                        \
	((ef)->is64 ? ELF_GET(ef, p, Elf64_##type, field) : ELF_GET(ef, p, Elf32_##type, field))
#define ELF_SIZEOF(ef, type) ((ef)->is64 ? sizeof(Elf64_##type) : sizeof(Elf32_##type))

/* Read [@off, @off + @len) of the file into a new buffer, which the caller frees. */
static int elf_read(const struct elf_file *ef, uint64_t off, uint64_t len, void **out)
{
	uint8_t *buf;
	uint64_t done = 0;

	*out = NULL;
	if (off > ef->size || len > ef->size - off || len > ELF_TABLE_MAX)
		return -ENOEXEC;
	buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	while (done < len) {
		ssize_t r = pread(ef->fd, buf + done, len - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int err = r < 0 ? -errno : -ENOEXEC;	/* 0: file shrank */

			free(buf);
			return err;
		}
		done += (uint64_t)r;
	}
	*out = buf;
	return 0;
}

static void elf_close(struct elf_file *ef)
{
	free(ef->phdrs);
	free(ef->shdrs);
	if (ef->fd >= 0)
		close(ef->fd);
	ef->fd = -1;
}

static int elf_open(struct elf_file *ef, const char *path)
{
	uint8_t ehdr[sizeof(Elf64_Ehdr)];
	uint64_t phoff, shoff, entsize;
	struct stat st;
	void *tmp;
	int ret;

	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0)
		return -errno;
	if (fstat(ef->fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || st.st_size < EI_NIDENT)
		return -ENOEXEC;
	ef->size = (uint64_t)st.st_size;

	ret = elf_read(ef, 0, EI_NIDENT, &tmp);
	if (ret)
		return ret;
	memcpy(ehdr, tmp, EI_NIDENT);
	free(tmp);
	if (memcmp(ehdr, ELFMAG, SELFMAG) || ehdr[EI_VERSION] != EV_CURRENT ||
	    (ehdr[EI_CLASS] != ELFCLASS32 && ehdr[EI_CLASS] != ELFCLASS64) ||
	    (ehdr[EI_DATA] != ELFDATA2LSB && ehdr[EI_DATA] != ELFDATA2MSB))
		return -ENOEXEC;
	ef->is64 = ehdr[EI_CLASS] == ELFCLASS64;
	ef->big_endian = ehdr[EI_DATA] == ELFDATA2MSB;

	ret = elf_read(ef, 0, ELF_SIZEOF(ef, Ehdr), &tmp);
	if (ret)
		return ret;
	memcpy(ehdr, tmp, ELF_SIZEOF(ef, Ehdr));
	free(tmp);

	switch (ELF_FIELD(ef, ehdr, Ehdr, e_type)) {
	case ET_EXEC:
	case ET_DYN:
		break;
	default:
		return -ENOEXEC;	/* objects and cores have no runtime layout */
	}
	ef->machine = (uint16_t)ELF_FIELD(ef, ehdr, Ehdr, e_machine);
	phoff = ELF_FIELD(ef, ehdr, Ehdr, e_phoff);
	shoff = ELF_FIELD(ef, ehdr, Ehdr, e_shoff);
	ef->phnum = (uint32_t)ELF_FIELD(ef, ehdr, Ehdr, e_phnum);
	ef->shnum = (uint32_t)ELF_FIELD(ef, ehdr, Ehdr, e_shnum);

	if (shoff) {
		entsize = ELF_FIELD(ef, ehdr, Ehdr, e_shentsize);
		if (entsize != ELF_SIZEOF(ef, Shdr))
			return -ENOEXEC;
		/* more than 0xff00 sections: the real count is in section 0 */
		if (!ef->shnum) {
			ret = elf_read(ef, shoff, entsize, &tmp);
			if (ret)
				return ret;
			ef->shnum = (uint32_t)ELF_FIELD(ef, tmp, Shdr, sh_size);
			if (ELF_FIELD(ef, tmp, Shdr, sh_size) > UINT32_MAX)
				ef->shnum = UINT32_MAX;	/* elf_read() refuses it below */
			free(tmp);
		}
		ret = elf_read(ef, shoff, (uint64_t)ef->shnum * entsize, &tmp);
		if (ret)
			return ret;
		ef->shdrs = tmp;
	} else {
		ef->shnum = 0;
	}

	if (ef->phnum == PN_XNUM) {
		if (!ef->shnum)
			return -ENOEXEC;
		ef->phnum = (uint32_t)ELF_FIELD(ef, ef->shdrs, Shdr, sh_info);
	}
	if (ef->phnum) {
		entsize = ELF_FIELD(ef, ehdr, Ehdr, e_phentsize);
		if (entsize != ELF_SIZEOF(ef, Phdr))
			return -ENOEXEC;
		ret = elf_read(ef, phoff, (uint64_t)ef->phnum * entsize, &tmp);
		if (ret)
			return ret;
		ef->phdrs = tmp;
	}
	return 0;
}

/*
 * The kernel maps a uprobe's file offset to an address through the VMA that
 * maps it, so the offset must come from the executable PT_LOAD segment that
 * holds @vaddr in its file-backed part. 0 means "not in such a segment";
 * it is never a valid answer since the ELF header lives there.
 */
static uint64_t elf_vaddr_to_offset(const struct elf_file *ef, uint64_t vaddr)
{
	uint32_t i;

	for (i = 0; i < ef->phnum; i++) {
		const uint8_t *ph = ef->phdrs + (size_t)i * ELF_SIZEOF(ef, Phdr);
		uint64_t p_vaddr = ELF_FIELD(ef, ph, Phdr, p_vaddr);
		uint64_t p_offset = ELF_FIELD(ef, ph, Phdr, p_offset);
		uint64_t p_filesz = ELF_FIELD(ef, ph, Phdr, p_filesz);
		uint64_t off;

		if (ELF_FIELD(ef, ph, Phdr, p_type) != PT_LOAD ||
		    !(ELF_FIELD(ef, ph, Phdr, p_flags) & PF_X))
			continue;
		if (vaddr < p_vaddr || vaddr - p_vaddr >= p_filesz)
			continue;
		off = vaddr - p_vaddr + p_offset;
		if (off < p_offset || off >= ef->size)
			continue;
		return off;
	}
	return 0;
}

static void elf_symtab_release(struct elf_symtab *tab)
{
	free(tab->syms);
	free(tab->strs);
	free(tab->versym);
	memset(tab, 0, sizeof(*tab));
}

static const uint8_t *elf_shdr(const struct elf_file *ef, uint32_t idx)
{
	return ef->shdrs + (size_t)idx * ELF_SIZEOF(ef, Shdr);
}

/* Load the first section of @type with its string table; -ENODATA if none. */
static int elf_symtab_load(const struct elf_file *ef, uint32_t type, struct elf_symtab *tab)
{
	const uint8_t *sh = NULL, *strsh;
	uint64_t entsize, link;
	uint32_t i, idx = 0;
	void *tmp;
	int ret;

	for (i = 1; i < ef->shnum; i++) {
		if (ELF_FIELD(ef, elf_shdr(ef, i), Shdr, sh_type) == type) {
			sh = elf_shdr(ef, i);
			idx = i;
			break;
		}
	}
	if (!sh)
		return -ENODATA;

	entsize = ELF_FIELD(ef, sh, Shdr, sh_entsize);
	if (entsize != ELF_SIZEOF(ef, Sym))
		return -ENOEXEC;
	link = ELF_FIELD(ef, sh, Shdr, sh_link);
	if (!link || link >= ef->shnum)
		return -ENOEXEC;
	strsh = elf_shdr(ef, (uint32_t)link);
	if (ELF_FIELD(ef, strsh, Shdr, sh_type) != SHT_STRTAB)
		return -ENOEXEC;

	tab->nsyms = ELF_FIELD(ef, sh, Shdr, sh_size) / entsize;
	ret = elf_read(ef, ELF_FIELD(ef, sh, Shdr, sh_offset), tab->nsyms * entsize, &tmp);
	if (ret)
		return ret;
	tab->syms = tmp;
	tab->strsize = ELF_FIELD(ef, strsh, Shdr, sh_size);
	ret = elf_read(ef, ELF_FIELD(ef, strsh, Shdr, sh_offset), tab->strsize, &tmp);
	if (ret)
		return ret;
	tab->strs = tmp;

	/* Version info is optional: without it every symbol counts as default. */
	for (i = 1; i < ef->shnum; i++) {
		sh = elf_shdr(ef, i);
		if (ELF_FIELD(ef, sh, Shdr, sh_type) != SHT_GNU_versym ||
		    ELF_FIELD(ef, sh, Shdr, sh_link) != idx ||
		    ELF_FIELD(ef, sh, Shdr, sh_size) != tab->nsyms * 2)
			continue;
		if (!elf_read(ef, ELF_FIELD(ef, sh, Shdr, sh_offset), tab->nsyms * 2, &tmp))
			tab->versym = tmp;
		break;
	}
	return 0;
}

/*
 * The name of symbol @i if it is an exported function whose version is
 * hidden (non-default) exactly when @want_hidden, else NULL.
 */
static const char *elf_sym_exported(const struct elf_file *ef, const struct elf_symtab *tab,
				    uint64_t i, bool want_hidden, uint64_t *vaddr)
{
	const uint8_t *sym = tab->syms + i * ELF_SIZEOF(ef, Sym);
	unsigned int info = (unsigned int)ELF_FIELD(ef, sym, Sym, st_info);
	uint64_t name = ELF_FIELD(ef, sym, Sym, st_name);
	const char *s;

	if (ELF64_ST_TYPE(info) != STT_FUNC && ELF64_ST_TYPE(info) != STT_GNU_IFUNC)
		return NULL;
	if (ELF64_ST_BIND(info) != STB_GLOBAL && ELF64_ST_BIND(info) != STB_WEAK)
		return NULL;
	if (ELF_FIELD(ef, sym, Sym, st_shndx) == SHN_UNDEF)
		return NULL;
	if (tab->versym) {
		unsigned int ver = (unsigned int)elf_get(ef, tab->versym + i * 2, 2);

		if ((ver & ELF_VERSYM_INDEX) == VER_NDX_LOCAL)
			return NULL;
		if (!!(ver & ELF_VERSYM_HIDDEN) != want_hidden)
			return NULL;
	} else if (want_hidden) {
		return NULL;
	}
	if (name >= tab->strsize)
		return NULL;
	s = tab->strs + name;
	if (!memchr(s, '\0', tab->strsize - name))
		return NULL;

	*vaddr = ELF_FIELD(ef, sym, Sym, st_value);
	/*
	 * Bit 0 marks Thumb code. ARM uprobes (since 3.15, "Thumb not yet
	 * supported") decode the probed word as an ARM instruction and only
	 * refuse addresses that are not 4-aligned: a probe on a 4-aligned
	 * Thumb function would plant an ARM breakpoint in Thumb code.
	 */
	if (ef->machine == EM_ARM && (*vaddr & 1))
		return NULL;
	return s;
}

/* Fill names still at 0; the default-version pass runs before the hidden one. */
static void elf_symtab_match(const struct elf_file *ef, const struct elf_symtab *tab,
			     bool want_hidden, const char *const *names, size_t n,
			     uint64_t *offsets)
{
	uint64_t i, vaddr, off;
	const char *s;
	size_t j;

	for (i = 1; i < tab->nsyms; i++) {
		s = elf_sym_exported(ef, tab, i, want_hidden, &vaddr);
		if (!s)
			continue;
		off = 0;
		for (j = 0; j < n; j++) {
			if (offsets[j] || !names[j] || strcmp(names[j], s))
				continue;
			if (!off)
				off = elf_vaddr_to_offset(ef, vaddr);
			if (!off)
				break;
			offsets[j] = off;
		}
	}
}

int elf_sym_offsets(const char *path, const char *const *names, size_t n, uint64_t *offsets)
{
	struct elf_file ef = { .fd = -1 };
	struct elf_symtab tab = { 0 };
	size_t j;
	int ret;

	if (!path || (n && (!names || !offsets)))
		return -EINVAL;
	for (j = 0; j < n; j++)
		offsets[j] = 0;

	ret = elf_open(&ef, path);
	if (ret)
		goto out;
	ret = elf_symtab_load(&ef, SHT_DYNSYM, &tab);
	if (ret == -ENODATA) {
		elf_symtab_release(&tab);
		ret = elf_symtab_load(&ef, SHT_SYMTAB, &tab);
	}
	if (ret)
		goto out;

	elf_symtab_match(&ef, &tab, false, names, n, offsets);
	elf_symtab_match(&ef, &tab, true, names, n, offsets);
	for (j = 0; j < n; j++)
		ret += offsets[j] != 0;
out:
	elf_symtab_release(&tab);
	elf_close(&ef);
	return ret;
}

/*
 * glibc >= 2.34 installs libc.so.6 itself, older ones libc-X.Y.so with a
 * libc.so.6 symlink, and musl's C library is its dynamic loader.
 */
static bool is_libc_name(const char *base)
{
	size_t len = strlen(base);

	if (!strncmp(base, "libc.so.", 8))
		return true;
	if (!strncmp(base, "libc-", 5) && isdigit((unsigned char)base[5]) && len > 8 &&
	    !strcmp(base + len - 3, ".so"))
		return true;
	return !strncmp(base, "ld-musl-", 8);
}

char *elf_find_libc(void)
{
	char *line = NULL, *found = NULL, *res = NULL;
	size_t cap = 0;
	ssize_t len;
	int err = ENOENT;
	FILE *f;

	f = fopen("/proc/self/maps", "re");
	if (!f)
		return NULL;
	while ((len = getline(&line, &cap, f)) > 0) {
		const char *base;
		char *p;
		int pos = 0;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		/* start-end perms offset dev inode   path (the path may contain spaces) */
		if (sscanf(line, "%*x-%*x %*s %*x %*x:%*x %*u %n", &pos) < 0 || !pos ||
		    line[pos] != '/')
			continue;
		p = line + pos;
		base = strrchr(p, '/') + 1;
		if (!is_libc_name(base))
			continue;
		found = p;
		break;
	}
	if (found) {
		/* a deleted (upgraded) libc shows as "path (deleted)": realpath fails */
		res = realpath(found, NULL);
		err = res ? 0 : errno;
	} else if (ferror(f)) {
		err = EIO;
	}
	free(line);
	fclose(f);
	if (!res)
		errno = err;
	return res;
}
