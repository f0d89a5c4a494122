/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where to put a uprobe: resolve the exported functions of an ELF file
 * (normally the C library) to the file offsets that uprobe_events wants in
 * "p:GROUP/EVENT /path/to/libc.so.6:0xOFFSET", and find which C library the
 * dynamically linked programs on this system load.
 */
#ifndef FTIO_ELF_SYM_H
#define FTIO_ELF_SYM_H

#include <stddef.h>
#include <stdint.h>

/**
 * elf_sym_offsets - resolve exported functions to uprobe file offsets
 * @path: ELF file (shared object or executable) to look in
 * @names: symbol names, without version suffix ("open", not "open@@GLIBC_2.2.5")
 * @n: number of entries in @names and @offsets
 * @offsets: filled with the file offset of each name, 0 when not found
 *
 * A name matches a defined, global or weak symbol of type STT_FUNC or
 * STT_GNU_IFUNC in .dynsym (.symtab if the file has no .dynsym) whose address
 * lies in an executable PT_LOAD segment. Several names may resolve to one
 * offset (glibc's open and open64). When a name exists in several symbol
 * versions, the default version (the one new programs link against) wins.
 *
 * An STT_GNU_IFUNC symbol's offset is that of its resolver, which runs once
 * at relocation time, not at each call: a uprobe there sees no calls. On
 * 32-bit ARM, Thumb functions (bit 0 of st_value set, as in Debian armhf's
 * glibc) count as not found, because the kernel's ARM uprobes only handle
 * ARM-mode code and would corrupt a Thumb function.
 *
 * ELF32 and ELF64 of either byte order are read, whatever the host. Every
 * offset and size in the file is checked against the file size.
 *
 * Returns the number of names found (0 to @n), -ENOEXEC if @path is not a
 * well-formed ELF executable or shared object, -ENODATA if it has no symbol
 * table, -EINVAL on bad arguments, or -errno from open() or read().
 */
int elf_sym_offsets(const char *path, const char *const *names, size_t n, uint64_t *offsets);

/**
 * elf_find_libc - path of the C library this process runs with
 *
 * Looks for the C library (glibc's libc.so.6 or libc-X.Y.so, musl's
 * ld-musl-ARCH.so.1) in /proc/self/maps and canonicalises it with realpath(),
 * so the result is the file uprobes must name. Dynamically linked programs
 * of ftio's own ABI load the same file.
 *
 * Returns a malloc'd path that the caller frees, or NULL with errno set:
 * ENOENT when no C library is mapped (a static ftio) or the mapped file was
 * deleted (upgraded) since this process started.
 */
char *elf_find_libc(void);

#endif /* FTIO_ELF_SYM_H */
