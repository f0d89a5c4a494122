#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh - run a command inside Debian's stock kernel under qemu (TCG), the
# "full" kernel profile of the test matrix (kprobes, function_graph), and with
# --arch aarch64 the "embedded board" profile (Debian's arm64 kernel on qemu's
# virt board, a busybox userland and a cross-built ftio).
#
#   tests/vm/run-vm.sh [OPTIONS] -- COMMAND [ARG...]   run COMMAND in the guest
#   tests/vm/run-vm.sh [OPTIONS] SCRIPT [ARG...]       copy SCRIPT in and run it
#
# The command's stdout+stderr come out on our stdout; our own messages go to
# stderr. Exit status: the command's; 124 on timeout; 125 when the VM or its
# setup failed; 2 on a usage error. See tests/vm/README.

# shellcheck disable=SC1007,SC2317
set -euo pipefail
shopt -s lastpipe nullglob

ME=ftio-vm
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

usage() {
	cat <<'EOF'
usage: tests/vm/run-vm.sh [OPTIONS] -- COMMAND [ARG...]
       tests/vm/run-vm.sh [OPTIONS] SCRIPT [ARG...]
Options:
  --arch ARCH        guest architecture: x86_64 (default) or aarch64 (arm64:
                     busybox userland, FTIO_BUILD_DIR holds a cross-built ftio)
  --suite SUITE      the Debian suite whose kernel boots: bookworm (default,
                     6.1, the host's apt lists), trixie (6.12) or sid (the
                     newest); other suites' indexes go to a private apt
                     directory in the cache, the host's apt is never changed
  --keep             keep the work directory (initrd, console.log, output.log)
  --timeout SEC      kill the VM after SEC seconds (default 300; exit 124)
  --mem MB           guest memory (default 1024)
  --smp N            guest CPUs (default 2)
  --tcg-thread MODE  single: one host thread runs every vCPU (slower, and
                     free of the cross-vCPU code-patching hang; see below);
                     multi: a thread per vCPU (QEMU's default)
  --outdir DIR       share host DIR read-write with the guest at /out (virtio 9p)
  --reboots N        let the guest reboot N times in the same QEMU process
                     (a warm reset: RAM is kept; each boot runs the command
                     again with FTIO_VM_BOOT=1, 2, ...; needs --outdir);
                     a reboot more ends the run (exit 125)
  --append WORDS     more kernel command line (after FTIO_VM_APPEND)
  --add SRC[:DEST]   copy a host file or directory into the image (DEST
                     defaults to SRC's absolute path)
  --module NAME      load one more kernel module (with its dependencies)
  --tool PROG        copy one more host program (with its libraries) to
                     /usr/local/bin
  --deb PKG          unpack Debian package PKG into the image (apt-get
                     download, cached, never installed on the host); its
                     programs' libraries come from the host or other --deb
  --env NAME=VALUE   set a variable for the command (FTIO_TEST_* pass through)
  --python           add the host's python3 and its standard library (+~6 MB
                     initrd, ~1 s boot): the tests with the PYTHON prereq
  --console          also show the kernel console (stderr) after the run
  -q, --quiet        no progress messages
  -h, --help         this text
Environment: FTIO_VM_SUITE, FTIO_VM_CACHE, FTIO_BUILD_DIR, FTIO_VM_TIMEOUT, FTIO_VM_MEM,
FTIO_VM_SMP, FTIO_VM_KERNEL_PKG, FTIO_VM_APPEND, FTIO_VM_MODULES, FTIO_VM_TOOLS,
FTIO_VM_PYTHON, FTIO_VM_DEBS, FTIO_VM_HOST_PKGS, FTIO_VM_QEMU_ARGS, FTIO_VM_BZIMAGE.
EOF
}

quiet=
say() { test -n "$quiet" || printf '%s: %s\n' "$ME" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$ME" "$*" >&2; }
die() { printf '%s: %s\n' "$ME" "$*" >&2; exit 125; }
usage_err() { printf '%s: %s\n' "$ME" "$*" >&2; usage >&2; exit 2; }

# apt_download <dir> <package[=version]> [apt options]: download it into
# <dir>, never install it; prints the path of the .deb
apt_download() {
	local dl=$1/dl.$$ f deb=

	say "downloading $2"
	rm -rf "$dl" && mkdir -p "$dl"
	(cd "$dl" && apt-get "${@:3}" download -q -o APT::Sandbox::User=root "$2" >&2) ||
		{ rm -rf "$dl"; die "apt-get download $2 failed"; }
	for f in "$dl"/*.deb; do mv "$f" "$1/" && deb=$1/$(basename "$f"); done
	rmdir "$dl"
	test -n "$deb" || die "apt-get download $2 gave no .deb"
	echo "$deb"
}

now() { echo "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

T0=$(now)

# --- options --------------------------------------------------------------
arch=x86_64 suite=${FTIO_VM_SUITE:-bookworm} keep= outdir= show_console= dashdash= python_opt=
reboots=0 append_opt=
python=${FTIO_VM_PYTHON:-}
test "$python" != 0 || python=
timeout_s=${FTIO_VM_TIMEOUT:-300}
mem=${FTIO_VM_MEM:-1024}
smp=${FTIO_VM_SMP:-2}
tcg_thread=${FTIO_VM_TCG_THREAD:-}
adds=() extra_mods=() extra_tools=() envs=() extra_debs=()
read -r -a extra_mods <<<"${FTIO_VM_MODULES:-}" || true
read -r -a extra_tools <<<"${FTIO_VM_TOOLS:-}" || true
read -r -a extra_debs <<<"${FTIO_VM_DEBS:-}" || true

need_arg() { test $# -ge 2 || usage_err "$1 needs an argument"; }
while test $# -gt 0; do
	case $1 in
	--arch) need_arg "$@"; arch=$2; shift 2 ;;
	--arch=*) arch=${1#*=}; shift ;;
	--suite) need_arg "$@"; suite=$2; shift 2 ;;
	--suite=*) suite=${1#*=}; shift ;;
	--keep) keep=t; shift ;;
	--timeout) need_arg "$@"; timeout_s=$2; shift 2 ;;
	--mem) need_arg "$@"; mem=$2; shift 2 ;;
	--smp) need_arg "$@"; smp=$2; shift 2 ;;
	--tcg-thread) need_arg "$@"; tcg_thread=$2; shift 2 ;;
	--outdir) need_arg "$@"; outdir=$2; shift 2 ;;
	--reboots) need_arg "$@"; reboots=$2; shift 2 ;;
	--append) need_arg "$@"; append_opt+=${append_opt:+ }$2; shift 2 ;;
	--add) need_arg "$@"; adds+=("$2"); shift 2 ;;
	--module) need_arg "$@"; extra_mods+=("$2"); shift 2 ;;
	--tool) need_arg "$@"; extra_tools+=("$2"); shift 2 ;;
	--deb) need_arg "$@"; extra_debs+=("$2"); shift 2 ;;
	--env) need_arg "$@"; envs+=("$2"); shift 2 ;;
	--console) show_console=t; shift ;;
	--python) python=t python_opt=t; shift ;;
	-q | --quiet) quiet=t; shift ;;
	-h | --help) usage; exit 0 ;;
	--) dashdash=t; shift; break ;;
	-*) usage_err "unknown option '$1'" ;;
	*) break ;;
	esac
done
test $# -gt 0 || usage_err "no command given"
# without "--" the first argument is a host script to copy in
script_mode=
if test -z "$dashdash"; then
	test -f "$1" || usage_err "'$1' is not a script file (use -- to run a guest command)"
	script_mode=t
fi

case $suite in bookworm | trixie | sid) ;; *) usage_err "unknown --suite '$suite' (bookworm, trixie or sid)" ;; esac
case $timeout_s in '' | *[!0-9]*) usage_err "bad --timeout '$timeout_s'" ;; esac
case $mem in '' | *[!0-9]*) usage_err "bad --mem '$mem'" ;; esac
case $smp in '' | *[!0-9]*) usage_err "bad --smp '$smp'" ;; esac
case $reboots in '' | *[!0-9]*) usage_err "bad --reboots '$reboots'" ;; esac
test "$reboots" = 0 || test -n "$outdir" ||
	usage_err "--reboots needs --outdir (the only storage a warm reboot keeps besides RAM)"
case $tcg_thread in '' | single | multi) ;; *) usage_err "bad --tcg-thread '$tcg_thread' (single or multi)" ;; esac
for e in "${envs[@]}"; do
	case $e in [A-Za-z_]*=*) ;; *) usage_err "bad --env '$e' (NAME=VALUE)" ;; esac
done

case $arch in
x86_64 | amd64)
	arch=x86_64 deb_arch=amd64 meta_pkg=linux-image-amd64
	qemu=qemu-system-x86_64 qemu_pkg=qemu-system-x86
	loader=/lib64/ld-linux-x86-64.so.2
	cross= triplet=x86_64-linux-gnu elf_machine=62 asuf=
	console=ttyS0 outdev=/dev/ttyS1 guest_sh=/bin/bash
	;;
aarch64 | arm64)
	# Profile 3 (embedded board): Debian's arm64 kernel on qemu's virt board.
	# The host's programs cannot run there: the userland is an arm64
	# busybox-static, ftio is cross-built (make CROSS_COMPILE=aarch64-linux-gnu-)
	# and its libraries come from the arm64 multiarch packages.
	arch=aarch64 deb_arch=arm64 meta_pkg=linux-image-arm64
	qemu=qemu-system-aarch64 qemu_pkg=qemu-system-arm
	loader=/lib/ld-linux-aarch64.so.1
	cross=t triplet=aarch64-linux-gnu elf_machine=183 asuf=:$deb_arch
	console=ttyAMA0 outdev=/dev/hvc0 guest_sh=/bin/sh
	test -z "$python_opt" || usage_err "--python is x86_64 only (the host's python3 cannot run in an arm64 guest)"
	test -z "$python" || warn "FTIO_VM_PYTHON ignored: no python3 in an arm64 guest"
	python=
	test ${#extra_tools[@]} = 0 || usage_err "--tool is x86_64 only (host programs cannot run in an arm64 guest; --add an arm64 binary instead)"
	test ${#extra_debs[@]} = 0 || usage_err "--deb is x86_64 only (its libraries are found with the host's ldd)"
	;;
*) usage_err "unknown --arch '$arch'" ;;
esac

# --- host packages ----------------------------------------------------------
have_pkg() {
	test "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed
}
apt_updated=
apt_update() {
	test -z "$apt_updated" || return 0
	say "apt-get update"
	apt-get update -qq >&2 || warn "apt-get update failed"
	apt_updated=t
}
ensure_pkgs() {
	local missing=() p
	for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
	test ${#missing[@]} -gt 0 || return 0
	test "$(id -u)" = 0 || die "missing packages: ${missing[*]} (run as root or apt-get install them)"
	say "installing ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >&2; then
		apt_update
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >&2 || die "cannot install ${missing[*]}"
	fi
}
# kmod: depmod, because the kernel .deb ships no modules.dep (its postinst
# makes one); e2fsprogs: mke2fs for the guest
if test -z "$cross"; then
	ensure_pkgs "$qemu_pkg" busybox-static cpio kmod e2fsprogs gzip procps
else
	# the guest gets busybox-static:arm64, downloaded like the kernel; readelf
	# (binutils) lists the libraries of the cross-built programs
	ensure_pkgs "$qemu_pkg" cpio kmod gzip
	command -v readelf >/dev/null || ensure_pkgs binutils
	if ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
		test "$(id -u)" = 0 ||
			die "dpkg has no $deb_arch architecture: dpkg --add-architecture $deb_arch && apt-get update (as root; contrib/deps.sh does it)"
		say "dpkg --add-architecture $deb_arch"
		dpkg --add-architecture "$deb_arch" || die "dpkg --add-architecture $deb_arch failed"
		apt_update
	fi
fi

# --- kernel -----------------------------------------------------------------
CACHE=${FTIO_VM_CACHE:-/var/cache/ftio-vm}
if ! mkdir -p "$CACHE" 2>/dev/null || ! test -w "$CACHE"; then
	CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ftio-vm
	mkdir -p "$CACHE" || die "cannot create a cache directory"
fi
kcache=$CACHE/$arch
test "$suite" = bookworm || kcache=$CACHE/$arch-$suite
mkdir -p "$kcache"

# Another suite's kernel: that suite's package index in a private apt
# directory (its own lists, cache, sources.list and an empty dpkg status),
# from the mirror the host's sources name, checked with the host's
# keyring.  Only the kernel comes from it: the guest's userland (busybox,
# host programs, --deb packages) is the host's, glibc included.
kapt=()
lists_dir=/var/lib/apt/lists
if test "$suite" != bookworm; then
	adir=$CACHE/apt-$suite-$deb_arch
	lists_dir=$adir/lists
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/\{0,1\}$/\1/p; s/^deb  *\(\[[^]]*\] *\)\{0,1\}\(http[^ ]*\/debian\)\/\{0,1\} .*/\2/p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 || true)
	test -n "$mirror" || mirror=http://deb.debian.org/debian
	mkdir -p "$adir/lists/partial" "$adir/cache/archives/partial" "$adir/etc/parts" "$adir/etc/prefs"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
		>"$adir/etc/sources.list"
	: >"$adir/status"
	# The signature is checked (signed-by); Valid-Until is not: a mirror that
	# serves a suite as of some day has a Release file that "expired" since
	# (sid's is valid for a week), and apt then refuses the whole index.
	kapt=(-o Dir::State="$adir" -o Dir::State::Lists="$adir/lists" -o Dir::State::status="$adir/status"
		-o Dir::Cache="$adir/cache" -o Dir::Etc::SourceList="$adir/etc/sources.list"
		-o Dir::Etc::SourceParts="$adir/etc/parts" -o Dir::Etc::Preferences="$adir/etc/prefs/none"
		-o Dir::Etc::PreferencesParts="$adir/etc/prefs" -o APT::Architecture="$deb_arch"
		-o APT::Architectures="$deb_arch" -o Acquire::Languages=none
		-o Acquire::Check-Valid-Until=false)
	# refreshed once a day: sid's kernel moves, and an old index names .debs gone from the mirror
	if test -z "$(find "$adir/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)"; then
		say "apt-get update ($suite, private lists in $adir)"
		apt-get "${kapt[@]}" update -qq >&2 || warn "apt-get update for $suite failed"
	fi
fi

# The concrete package the metapackage depends on, and its candidate version.
# apt-cache reads the local lists only: no network unless we must download.
kpkg=${FTIO_VM_KERNEL_PKG:-}
kver=
apt_kernel() {
	local line
	kpkg=${FTIO_VM_KERNEL_PKG:-} kver=
	if test -z "$kpkg"; then
		# e.g. "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)": one
		# apt-cache call gives the package and its version (what
		# "apt-cache depends $meta_pkg" names, plus the version)
		line=$(apt-cache "${kapt[@]}" show --no-all-versions "$meta_pkg$asuf" 2>/dev/null |
			sed -n 's/^Depends:.*[ ,]\(linux-image-[0-9][^ ,]*\)\( *(= *\([^)]*\))\)\?.*/\1 \3/p' |
			head -n1)
		kpkg=${line%% *}
		kver=${line#* }
		test "$kver" != "$line" || kver=
	fi
	test -n "$kpkg" || return 1
	test -n "$kver" ||
		kver=$(apt-cache "${kapt[@]}" policy "$kpkg$asuf" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
	test -n "$kver" && test "$kver" != "(none)"
}
# apt-cache is slow here (no pkgcache.bin): reuse the last answer while the
# apt lists are unchanged
lists_stamp=$( (echo "$meta_pkg ${FTIO_VM_KERNEL_PKG:-}"
	ls -l --time-style=+%s "$lists_dir/" 2>/dev/null) | md5sum | cut -c1-32)
if test -r "$kcache/.resolved" && read -r s kpkg kver <"$kcache/.resolved" &&
	test "$s" = "$lists_stamp" && test -n "$kver"; then
	:
elif apt_kernel || { test "$(id -u)" = 0 && test ${#kapt[@]} = 0 && apt_update && apt_kernel; }; then
	lists_stamp=$( (echo "$meta_pkg ${FTIO_VM_KERNEL_PKG:-}"
		ls -l --time-style=+%s "$lists_dir/" 2>/dev/null) | md5sum | cut -c1-32)
	echo "$lists_stamp $kpkg $kver" >"$kcache/.resolved"
else
	kver=
fi

exec 9>"$kcache/.lock"
flock 9
kdir=
if test -n "$kver"; then
	kdir=$kcache/${kpkg}_${kver//:/%3a}
else
	# no usable apt lists: fall back to the newest kernel already unpacked
	for d in "$kcache"/linux-image-*; do
		if test -e "$d/.unpacked"; then kdir=$d; fi
	done
	test -n "$kdir" || die "cannot find the package $meta_pkg depends on (apt-cache depends $meta_pkg) and nothing is cached in $kcache"
	warn "apt lists unusable, using cached $(basename "$kdir")"
fi
if ! test -e "$kdir/.unpacked"; then
	deb=$(ls -t "$kcache/${kpkg}_${kver//:/%3a}_${deb_arch}.deb" 2>/dev/null | head -n1 || true)
	if test -z "$deb"; then
		deb=$(apt_download "$kcache" "$kpkg$asuf=$kver" "${kapt[@]}") || exit 125
	fi
	say "unpacking $(basename "$deb")"
	rm -rf "$kdir.tmp"
	dpkg-deb -x "$deb" "$kdir.tmp" || die "dpkg-deb -x $deb failed"
	# Debian 14's kernels (sid's 7.x) are split: linux-image-V depends on
	# linux-binary-V (vmlinuz), linux-modules-V and linux-base-V
	# (modules.builtin, modules.order), of the same version
	if ! test -e "$kdir.tmp/boot" || test -z "$(ls "$kdir.tmp/boot")"; then
		for part in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
			sed -n 's/^ *\(linux-\(binary-\|modules-\|base-[0-9]\)[^ ]*\).*/\1/p'); do
			pdeb=$(ls -t "$kcache/${part}_${kver//:/%3a}_${deb_arch}.deb" 2>/dev/null | head -n1 || true)
			test -n "$pdeb" || pdeb=$(apt_download "$kcache" "$part$asuf=$kver" "${kapt[@]}") || exit 125
			dpkg-deb -x "$pdeb" "$kdir.tmp" || die "dpkg-deb -x $pdeb failed"
		done
	fi
	# merged /usr (trixie, sid): the modules, and sid's vmlinuz, under usr/lib/modules
	if test -d "$kdir.tmp/usr/lib/modules" && ! test -d "$kdir.tmp/lib/modules"; then
		mkdir -p "$kdir.tmp/lib" && mv "$kdir.tmp/usr/lib/modules" "$kdir.tmp/lib/modules"
	fi
	for f in "$kdir.tmp"/lib/modules/*/vmlinuz; do
		kr=$(basename "$(dirname "$f")")
		test -e "$kdir.tmp/boot/vmlinuz-$kr" ||
			{ mkdir -p "$kdir.tmp/boot" && mv "$f" "$kdir.tmp/boot/vmlinuz-$kr"; }
	done
	for kr in "$kdir.tmp"/lib/modules/*/; do
		kr=$(basename "$kr")
		test -e "$kdir.tmp/lib/modules/$kr/modules.dep" ||
			depmod -b "$kdir.tmp" "$kr" || die "depmod for $kr failed"
	done
	rm -rf "$kdir"
	mv "$kdir.tmp" "$kdir"
	touch "$kdir/.unpacked"
fi

# The arm64 guest's busybox: busybox-static:arm64, downloaded and unpacked
# into the cache like the kernel (never installed); its version is looked up
# again only when the apt lists change
bbdir=
if test -n "$cross"; then
	bbver=
	if test -r "$kcache/.resolved-busybox" && read -r s bbver <"$kcache/.resolved-busybox" &&
		test "$s" = "$lists_stamp" && test -n "$bbver"; then
		:
	else
		bbver=$(apt-cache policy "busybox-static$asuf" 2>/dev/null |
			awk '$1 == "Candidate:" { print $2 }')
		if test -n "$bbver" && test "$bbver" != "(none)"; then
			echo "$lists_stamp $bbver" >"$kcache/.resolved-busybox"
		else
			bbver=
		fi
	fi
	if test -n "$bbver"; then
		bbdir=$kcache/busybox-static_${bbver//:/%3a}
	else
		for d in "$kcache"/busybox-static_*; do
			if test -e "$d/.unpacked"; then bbdir=$d; fi
		done
		test -n "$bbdir" || die "no busybox-static$asuf in the apt lists and none cached in $kcache"
		warn "apt lists unusable, using cached $(basename "$bbdir")"
	fi
	if ! test -e "$bbdir/.unpacked"; then
		deb=$(ls -t "$kcache/busybox-static_${bbver//:/%3a}_${deb_arch}.deb" 2>/dev/null | head -n1 || true)
		if test -z "$deb"; then
			deb=$(apt_download "$kcache" "busybox-static$asuf=$bbver") || exit 125
		fi
		rm -rf "$bbdir.tmp"
		dpkg-deb -x "$deb" "$bbdir.tmp" || die "dpkg-deb -x $deb failed"
		test -x "$bbdir.tmp/bin/busybox" || die "no bin/busybox in $deb"
		rm -rf "$bbdir"
		mv "$bbdir.tmp" "$bbdir"
		touch "$bbdir/.unpacked"
	fi
fi
flock -u 9

vmlinuz=
for f in "$kdir"/boot/vmlinuz-*; do vmlinuz=$f; done
test -n "$vmlinuz" || die "no vmlinuz in $kdir/boot"
krel=${vmlinuz##*/vmlinuz-}
moddir=$kdir/lib/modules/$krel
test -d "$moddir" || die "no $moddir"

# Under TCG the bzImage's own decompressor takes ~3 s of every boot. The same
# kernel, decompressed once into the cache, boots through its PVH entry point
# (CONFIG_PVH, an ELF note qemu -kernel understands) with no decompressor.
has_pvh_note() {
	LC_ALL=C readelf -n "$1" 2>/dev/null | grep -qE 'Xen.*(\(0x00000012\)|PHYS32)'
}
extract_vmlinux() { # bzImage output
	local magic cmd off
	for magic in '\xfd7zXZ\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -qdc' \
		'\x1f\x8b\x08:gzip -dc' '\x02\x21\x4c\x18:lz4 -dc'; do
		cmd=${magic#*:}
		command -v "${cmd%% *}" >/dev/null || continue
		LC_ALL=C grep -obUaP "${magic%%:*}" "$1" 2>/dev/null | cut -d: -f1 |
			while read -r off; do
				tail -c +$((off + 1)) "$1" | $cmd >"$2" 2>/dev/null
				has_pvh_note "$2" && return 0
			done
	done
	rm -f "$2"
	return 1
}
kimage=$vmlinuz
if test -n "$cross"; then
	# arm64's vmlinuz is an Image with an EFI stub, which qemu -kernel boots
	# as it is; should a kernel package gzip it, it is decompressed once
	if test "$(head -c2 "$vmlinuz" | od -An -tx1 | tr -d ' \n')" = 1f8b; then
		if ! test -e "$kdir/Image"; then
			gzip -dc "$vmlinuz" >"$kdir/Image.tmp.$$" && mv "$kdir/Image.tmp.$$" "$kdir/Image" ||
				die "cannot gunzip $vmlinuz"
		fi
		kimage=$kdir/Image
	fi
elif test "${FTIO_VM_BZIMAGE:-0}" = 0 && command -v readelf >/dev/null; then
	if ! test -e "$kdir/vmlinux.pvh" && ! test -e "$kdir/.no-pvh"; then
		flock 9
		if test -e "$kdir/vmlinux.pvh" || test -e "$kdir/.no-pvh"; then
			: # another run did it meanwhile
		elif extract_vmlinux "$vmlinuz" "$kdir/vmlinux.tmp"; then
			mv "$kdir/vmlinux.tmp" "$kdir/vmlinux.pvh"
		else
			touch "$kdir/.no-pvh"
			warn "no PVH vmlinux in $vmlinuz: booting the bzImage (slower)"
		fi
		flock -u 9
	fi
	test -e "$kdir/vmlinux.pvh" && kimage=$kdir/vmlinux.pvh
fi

# --- image ------------------------------------------------------------------
# Two gzip'd cpio archives, concatenated (the kernel unpacks one after the
# other): a base cached per kernel and host (busybox, host programs, their
# libraries, modules) and a small one per run (ftio, tests, the command).
BUILD=${FTIO_BUILD_DIR:-$REPO}
BUILD=$(cd "$BUILD" && pwd -P) || die "FTIO_BUILD_DIR '$BUILD' is not a directory"
test -x "$BUILD/ftio" || die "$BUILD/ftio is not built (run make, or set FTIO_BUILD_DIR)"
# ELF e_machine: 62 x86_64, 183 aarch64
elf_machine_of() { od -An -tu2 -j18 -N2 "$1" 2>/dev/null | tr -d ' '; }
if test "$(elf_machine_of "$BUILD/ftio")" != "$elf_machine"; then
	if test -n "$cross"; then
		die "$BUILD/ftio is not an $arch program: build one with make O=DIR CROSS_COMPILE=$triplet- and set FTIO_BUILD_DIR=DIR"
	else
		die "$BUILD/ftio is not an $arch program (FTIO_BUILD_DIR holds a cross build? use --arch)"
	fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-vm.XXXXXX")
cleanup() {
	if test -n "$keep"; then
		say "kept $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Host programs the tests expect to behave as on the host (busybox has no
# pgrep, getent, mountpoint, flock, ...; its stat/dd/date differ in corners):
# every program these packages put in a bin directory, over busybox's applet.
# FTIO_VM_HOST_PKGS= (empty) leaves busybox alone (plus bash and mke2fs).
host_pkgs=${FTIO_VM_HOST_PKGS-coreutils dash procps util-linux mount findutils grep sed diffutils mawk gzip libc-bin e2fsprogs fuse3 passwd}
read -r -a host_pkgs <<<"$host_pkgs" || true
# an arm64 guest cannot run them: busybox only
test -z "$cross" || host_pkgs=()

R= SKIP=
# copy_file HOSTPATH [DEST]: into $R dereferenced, once, unless the base has it
copy_file() {
	local dst=${2:-$1}
	if test -e "$R$dst" || { test -n "$SKIP" && test -e "$SKIP$dst"; }; then
		return 0
	fi
	mkdir -p "$R${dst%/*}"
	cp -L "$1" "$R$dst" || die "cannot copy $1"
}
# copy_libs FILE...: the shared libraries ldd finds, at the paths it prints
copy_libs() {
	local a b c rest
	test $# -gt 0 || return 0
	{ LC_ALL=C ldd "$@" 2>/dev/null || true; } | while read -r a b c rest; do
		if test "$b" = "=>" && test "$c" = "not"; then
			die "a program needs $a, which ldd cannot find (ldd $*)"
		elif test "$b" = "=>" && test -n "${debroot:-}" && test "${c#"$debroot"/}" != "$c"; then
			: # from a --deb package, which the image has at its own path
		elif test "$b" = "=>" && test "${c:0:1}" = /; then
			copy_file "$c"
		elif test "${a:0:1}" = / && test "${a: -1}" != :; then
			copy_file "$a"
		fi
	done
}
# copy_libs_cross FILE...: the same for programs of another architecture,
# which ldd cannot look at: their DT_NEEDED, recursively, from the multiarch
# directories (libc6:arm64) or else the cross toolchain's; all go to
# /lib/<triplet>, where the guest's ld.so looks without an ld.so.cache
cross_libdirs=(/usr/lib/"$triplet" /lib/"$triplet" /usr/"$triplet"/lib)
copy_libs_cross() {
	local f n d q
	local -a todo=("$@")
	local -A seen=()
	while test ${#todo[@]} -gt 0; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for n in $(LC_ALL=C readelf -d "$f" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			test -z "${seen[$n]:-}" || continue
			seen[$n]=t
			q=
			for d in "${cross_libdirs[@]}"; do
				if test -e "$d/$n"; then q=$d/$n && break; fi
			done
			test -n "$q" || die "${f##*/} needs $n, which is in none of ${cross_libdirs[*]} (install its :$deb_arch package)"
			copy_file "$q" "/lib/$triplet/$n"
			todo+=("$q")
		done
	done
}
# the guest's ld.so, from the directory its libc comes from (they must match)
loader_src=$loader
if test -n "$cross"; then
	loader_src=
	for d in "${cross_libdirs[@]}"; do
		if test -e "$d/libc.so.6" && test -e "$d/${loader##*/}"; then
			loader_src=$d/${loader##*/} && break
		fi
	done
	test -n "$loader_src" || die "no ${loader##*/} with a libc.so.6 in ${cross_libdirs[*]} (libc6:$deb_arch)"
	copy_libs() { copy_libs_cross "$@"; }
fi
# put_prog HOSTPATH DEST: a program over any busybox applet of that name;
# its libraries come with the next copy_libs "${progs[@]}"
progs=()
put_prog() {
	local n=${2##*/} d
	for d in /bin /sbin /usr/bin /usr/sbin; do
		if test -L "$R$d/$n"; then rm -f "$R$d/$n"; fi
	done
	rm -f "$R$2"
	mkdir -p "$R${2%/*}"
	cp -L "$1" "$R$2" || die "cannot copy $1"
	progs+=("$1")
}

# --- the base image, cached -------------------------------------------------
# loop; ext4 with its dependencies (jbd2, mbcache, crc16) and crc32c, which
# ext4 and jbd2 get through the crypto API (a softdep, not in modules.dep);
# fuse. virtio-pci and 9p load only with --outdir.
std_mods=(loop crc32c_generic ext4 fuse "${extra_mods[@]}")
p9_mods=(virtio_pci 9pnet_virtio 9p)
# arm64: the virt board has one UART (the kernel console): the command's
# output goes over a virtio console (hvc0) instead of a second serial port
test -z "$cross" || std_mods=(virtio_pci virtio_console "${std_mods[@]}")


build_base() {
	local out=$1 line p n m d deps app f
	R=$out/root SKIP=
	rm -rf "$out"
	mkdir -p "$R"/{proc,sys,dev,tmp,root,out,run,etc,bin,sbin,usr/bin,usr/sbin,usr/local/bin,ftio-vm,lib/modules/"$krel"}
	chmod 1777 "$R/tmp"

	# busybox and its applets (links first: real programs replace them)
	if test -n "$cross"; then
		# a foreign busybox cannot list its applets here: /init runs
		# busybox --install -s in the guest
		cp "$bbdir/bin/busybox" "$R/bin/busybox" || die "no busybox in $bbdir"
		ln -s busybox "$R/bin/sh"
		touch "$R/ftio-vm/busybox-install"
	else
		cp /bin/busybox "$R/bin/busybox" || die "no /bin/busybox (busybox-static)"
		/bin/busybox --list-full | while read -r app; do
			test -e "$R/$app" || ln -s /bin/busybox "$R/$app"
		done
	fi
	copy_file "$loader_src" "$loader"
	progs=()
	for p in "${host_pkgs[@]}"; do
		if ! have_pkg "$p"; then
			warn "host package $p is not installed: the guest has busybox's programs instead"
			continue
		fi
		{ dpkg -L "$p" | grep -E '^(/usr)?/s?bin/[^/]+$' || true; } | while read -r f; do
			if test -f "$f" && test -x "$f"; then put_prog "$f" "$f"; fi
		done
	done
	# bash runs the command and the test scripts; mke2fs for loop/ext4 tests
	# (arm64: busybox sh and busybox mke2fs, which makes ext2)
	if test -z "$cross"; then
		put_prog "$(command -v bash)" /bin/bash
		test -e "$R/usr/bin/bash" || ln -s /bin/bash "$R/usr/bin/bash"
	fi
	if test -z "$cross" && ! test -e "$R/sbin/mke2fs"; then
		f=$(PATH=/usr/sbin:/sbin:$PATH command -v mke2fs) || die "no mke2fs on the host"
		put_prog "$f" /sbin/mke2fs
		for n in mkfs.ext2 mkfs.ext3 mkfs.ext4; do
			rm -f "$R/sbin/$n" "$R/usr/sbin/$n"
			ln -s mke2fs "$R/sbin/$n"
		done
	fi
	copy_libs "${progs[@]}"
	test -e /etc/mke2fs.conf && copy_file /etc/mke2fs.conf

	# users and host identity the tests may look at
	printf '%s\n' "root:x:0:0:root:/root:$guest_sh" \
		'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$R/etc/passwd"
	printf '%s\n' 'root:x:0:' 'shadow:x:42:' 'nogroup:x:65534:' >"$R/etc/group"
	# for useradd/userdel (passwd) and for tests that expect /etc/shadow unreadable
	printf '%s\n' 'root:*:19000:0:99999:7:::' 'nobody:*:19000:0:99999:7:::' >"$R/etc/shadow"
	printf '%s\n' 'root:*::' 'shadow:*::' 'nogroup:*::' >"$R/etc/gshadow"
	chmod 640 "$R/etc/shadow" "$R/etc/gshadow"
	for f in /etc/login.defs /etc/default/useradd; do
		if test -e "$f"; then copy_file "$f"; fi
	done
	echo ftio-vm >"$R/etc/hostname"
	ln -s /proc/self/mounts "$R/etc/mtab"
	echo user_allow_other >"$R/etc/fuse.conf"
	printf 'passwd: files\ngroup: files\nhosts: files\n' >"$R/etc/nsswitch.conf"
	printf '127.0.0.1 localhost ftio-vm\n' >"$R/etc/hosts"

	# modules: the closure over modules.dep, copied uncompressed (busybox
	# insmod/modprobe may not read .xz/.zst), in load order
	declare -A mod_path=() mod_deps=() mod_done=()
	while IFS= read -r line; do
		p=${line%%:*}
		n=${p##*/}
		n=${n%%.ko*}
		mod_path[${n//-/_}]=$p
		mod_deps[$p]=${line#*:}
	done <"$moddir/modules.dep"
	local builtin
	builtin=$(sed 's,.*/,,; s,\.ko.*,,; s,-,_,g' "$moddir/modules.builtin" 2>/dev/null || true)
	strip_z() { local s=$1; s=${s%.xz}; s=${s%.zst}; s=${s%.gz}; echo "$s"; }
	add_mod() { # path list-file
		local q=$1 e
		test -z "${mod_done[$q]:-}" || return 0
		mod_done[$q]=t
		for e in ${mod_deps[$q]:-}; do add_mod "$e" "$2"; done
		local dst
		dst=$R/lib/modules/$krel/$(strip_z "$q")
		mkdir -p "${dst%/*}"
		case $q in
		*.ko.xz) xz -dc "$moddir/$q" >"$dst" ;;
		*.ko.zst) zstd -qdc "$moddir/$q" >"$dst" ;;
		*.ko.gz) gzip -dc "$moddir/$q" >"$dst" ;;
		*) cp "$moddir/$q" "$dst" ;;
		esac || die "cannot copy module $q"
		deps=
		for e in ${mod_deps[$q]:-}; do deps+=" $(strip_z "$e")"; done
		printf '%s:%s\n' "$(strip_z "$q")" "$deps" >>"$R/lib/modules/$krel/modules.dep"
		strip_z "$q" >>"$2"
	}
	: >"$R/lib/modules/$krel/modules.dep"
	for list in std p9; do
		: >"$R/ftio-vm/modules.$list"
		if test $list = std; then
			set -- "${std_mods[@]}"
		else
			set -- "${p9_mods[@]}"
		fi
		for m in "$@"; do
			n=${m//-/_}
			if test -n "${mod_path[$n]:-}"; then
				add_mod "${mod_path[$n]}" "$R/ftio-vm/modules.$list"
			elif ! grep -qx "$n" <<<"$builtin"; then
				warn "kernel $krel has no module $m (not in modules.dep, not built in)"
			fi
		done
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		if test -e "$moddir/$f"; then cp "$moddir/$f" "$R/lib/modules/$krel/"; fi
	done

	(cd "$R" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc --quiet -R 0:0 | gzip -1 >"$out/base.cpio.gz") ||
		die "cannot build the base initramfs"
	touch "$out/.done"
}

base_key=$({
	declare -f build_base copy_file copy_libs put_prog
	echo "$loader"
	test -z "$cross" || declare -f copy_libs_cross
	test -z "$cross" || echo "$bbdir $loader_src"
	echo "$kdir $krel ${std_mods[*]} ${host_pkgs[*]}"
	dpkg-query -W -f='${Package}=${Version}\n' busybox-static bash e2fsprogs \
		"${host_pkgs[@]}" 2>/dev/null || true
} | md5sum | cut -c1-16)
base=$kcache/base-$base_key

if ! test -e "$base/.done"; then
	flock 9
	if ! test -e "$base/.done"; then
		# a kernel .deb with compressed modules needs the decompressor
		find "$moddir" -name '*.ko.xz' -print -quit | grep -q . && ensure_pkgs xz-utils
		find "$moddir" -name '*.ko.zst' -print -quit | grep -q . && ensure_pkgs zstd
		say "building the base image"
		build_base "$base.tmp"
		rm -rf "$base" && mv "$base.tmp" "$base"
		# keep the three newest bases
		{ ls -1dt "$kcache"/base-* 2>/dev/null | grep -v '\.tmp$' || true; } | tail -n +4 |
			while read -r d; do rm -rf "$d"; done
	fi
	flock -u 9
fi
touch "$base"

# --- python3, cached, only with --python ------------------------------------
# The host's python3 binary and standard library, without its tests, tkinter,
# idle, ensurepip, lib2to3, pydoc data and site/dist-packages
build_python() {
	local out=$1 stdlib
	R=$out/root SKIP=$base/root
	rm -rf "$out"
	mkdir -p "$R/usr/bin"
	progs=()
	put_prog "$py_bin" "/usr/bin/${py_bin##*/}"
	ln -s "${py_bin##*/}" "$R/usr/bin/python3"
	stdlib=/usr/lib/${py_bin##*/}
	test -d "$stdlib" || die "no $stdlib for $py_bin"
	# no .pyc either: python compiles what it imports (the core is frozen)
	(cd / && find "${stdlib#/}" \( -name test -o -name tests -o -name idlelib -o \
		-name tkinter -o -name turtledemo -o -name ensurepip -o -name lib2to3 -o \
		-name pydoc_data -o -name site-packages -o -name dist-packages -o \
		-name distutils -o -name venv -o -name sqlite3 -o -name curses -o \
		-name 'config-*' -o -name __pycache__ -o -name '_sqlite3*' -o \
		-name '_curses*' -o -name '_tkinter*' -o -name '_dbm*' -o -name '_gdbm*' -o \
		-name '_ssl.*' -o -name '_hashlib.*' -o -name 'nis.*' -o -name '_test*' -o \
		-name '_xx*' -o -name 'xx*' -o -name '_ctypes_test*' -o -name '_codecs_[a-z]*' -o \
		-name 'ossaudiodev*' -o -name 'audioop*' \) -prune -o -print |
		cpio -pdm --quiet "$R") || die "cannot copy $stdlib"
	# (hashlib has its hashes built in without _hashlib; no ssl in the guest)
	copy_libs "${progs[@]}" "$R$stdlib"/lib-dynload/*.so
	(cd "$R" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc --quiet -R 0:0 | gzip -1 >"$out/layer.cpio.gz") ||
		die "cannot build the python layer"
	touch "$out/.done"
}
pylayer=
if test -n "$python"; then
	py_bin=$(readlink -f /usr/bin/python3 2>/dev/null) || py_bin=
	if test -z "$py_bin" || ! test -x "$py_bin"; then
		ensure_pkgs python3
		py_bin=$(readlink -f /usr/bin/python3)
	fi
	py_key=$({
		declare -f build_python
		echo "$base_key $py_bin"
		dpkg -S "$py_bin" 2>/dev/null | cut -d: -f1 | xargs -r dpkg-query -W -f='${Package}=${Version}\n' || true
	} | md5sum | cut -c1-16)
	pylayer=$kcache/python-$py_key
	if ! test -e "$pylayer/.done"; then
		flock 9
		if ! test -e "$pylayer/.done"; then
			say "building the python layer"
			build_python "$pylayer.tmp"
			rm -rf "$pylayer" && mv "$pylayer.tmp" "$pylayer"
			{ ls -1dt "$kcache"/python-* 2>/dev/null | grep -v '\.tmp$' || true; } |
				tail -n +3 | while read -r d; do rm -rf "$d"; done
		fi
		flock -u 9
	fi
	touch "$pylayer"
fi

# --- the per-run image ------------------------------------------------------
R=$WORK/root SKIP=$base/root
mkdir -p "$R"/{ftio/tests/helpers,ftio-vm,usr/bin,usr/local/bin}
progs=()
# ftio at /usr/bin/ftio; /ftio stands for FTIO_BUILD_DIR (tests/test-lib.sh)
put_prog "$BUILD/ftio" /usr/bin/ftio
ln -s /usr/bin/ftio "$R/ftio/ftio"
# the test scripts, framework and fixtures: not vm/, unit/, sources, built
# programs (ELF files) nor what test runs on the host leave behind
(cd "$REPO/tests" && find . \( -path ./vm -o -path ./unit -o -name 'trash.*' -o \
	-name 'test-results*' -o -name '*.[cod]' \) -prune -o -print |
	while IFS= read -r f; do
		if test -f "$f" && test "$(head -c4 "$f")" = $'\x7fELF'; then continue; fi
		printf '%s\n' "$f"
	done | cpio -pdm --quiet "$R/ftio/tests") || die "cannot copy tests/"
# the built helpers (slowfs brings libfuse3 along)
for f in "$BUILD"/tests/helpers/*; do
	test -f "$f" && test -x "$f" || continue
	case $f in *.py | *.sh) continue ;; esac
	if test "$(head -c4 "$f")" = $'\x7fELF' && test "$(elf_machine_of "$f")" != "$elf_machine"; then
		warn "${f#"$BUILD"/} is not an $arch program: left out"
		continue
	fi
	put_prog "$f" "/ftio/tests/helpers/${f##*/}"
done
for t in "${extra_tools[@]}"; do
	f=$(PATH=/usr/sbin:/sbin:$PATH command -v "$t") || die "--tool $t: not found on the host"
	put_prog "$f" "/usr/local/bin/${t##*/}"
done
copy_libs "${progs[@]}"

# --deb packages: downloaded once into the cache (the newest cached .deb of a
# package is used without asking apt again) and unpacked there; the image
# gets their trees without docs, and the host's ldd, told where the
# unpacked libraries are, names the libraries their programs need
debroot=$kcache/debs
deb_libdirs= deb_elfs=()
for p in "${extra_debs[@]}"; do
	mkdir -p "$debroot"
	# (nullglob: no match leaves the list empty, and ls must not list the cwd)
	cached=("$debroot/${p}_"*"_$deb_arch.deb" "$debroot/${p}_"*"_all.deb")
	deb=
	test ${#cached[@]} = 0 || deb=$(ls -t "${cached[@]}" | head -n1)
	if test -z "$deb"; then
		deb=$(apt_download "$debroot" "$p") || exit 125
	fi
	u=${deb%.deb}
	if ! test -e "$u/.unpacked"; then
		rm -rf "$u"
		dpkg-deb -x "$deb" "$u" || die "--deb $p: dpkg-deb -x $deb failed"
		touch "$u/.unpacked"
	fi
	tar -C "$u" --exclude=./.unpacked --exclude=./usr/share/doc --exclude=./usr/share/man \
		--exclude=./lib/systemd --exclude=./usr/lib/systemd -cf - . |
		tar -C "$R" --keep-directory-symlink -xf - || die "--deb $p: cannot copy its files"
	for d in "$u"/lib/"$triplet" "$u"/usr/lib/"$triplet"; do
		if test -d "$d"; then deb_libdirs+=${deb_libdirs:+:}$d; fi
	done
	while IFS= read -r f; do
		if test "$(head -c4 "$f")" = $'\x7fELF'; then deb_elfs+=("$f"); fi
	done < <(find "$u" \( -path "$u/usr/share" -o -path "$u/lib/systemd" -o -path "$u/usr/lib/systemd" \) -prune -o -type f -perm -u+x -print)
done
if test ${#deb_elfs[@]} -gt 0; then
	LD_LIBRARY_PATH=$deb_libdirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} copy_libs "${deb_elfs[@]}"
fi

for a in "${adds[@]}"; do
	src=${a%%:*} dst=
	case $a in *:*) dst=${a#*:} ;; esac
	src=$(realpath -e "$src") || die "--add $a: no such file"
	test -n "$dst" || dst=$src
	case $dst in /*) ;; *) dst=/$dst ;; esac
	mkdir -p "$R${dst%/*}"
	cp -a "$src" "$R$dst" || die "--add $a: cannot copy"
done

# the command
{
	echo "#!$guest_sh"
	echo 'export FTIO_BUILD_DIR=/ftio FTIO_VM=1'
	test -z "$outdir" || echo 'export FTIO_VM_OUT=/out'
	while IFS='=' read -r n _; do
		case $n in FTIO_TEST_*) printf 'export %s=%q\n' "$n" "${!n}" ;; esac
	done < <(env)
	for e in "${envs[@]}"; do printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"; done
	if test -n "$script_mode"; then
		printf '%q ' /ftio-vm/script "${@:2}"
	else
		printf '%q ' "$@"
	fi
	echo
} >"$R/ftio-vm/cmd"
if test -n "$script_mode"; then
	cp "$1" "$R/ftio-vm/script" && chmod 755 "$R/ftio-vm/script"
	# no shebang: run it with sh
	test "$(head -c2 "$1")" = '#!' || sed -i '1i #!/bin/sh' "$R/ftio-vm/script"
fi
test -z "$outdir" || touch "$R/ftio-vm/want-out"
test "$reboots" = 0 || touch "$R/ftio-vm/reboots"
# markers with a per-run token, so no output of the command can fake them
token=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
echo "$token" >"$R/ftio-vm/token"
echo "$outdev" >"$R/ftio-vm/outdev"

cat >"$R/init" <<'INIT'
#!/bin/sh
bb=/bin/busybox
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
$bb mount -t proc proc /proc
# a foreign busybox could not list its applets when the image was built
[ -e /ftio-vm/busybox-install ] && $bb --install -s
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
$bb mkdir -p /dev/pts /dev/shm
$bb mount -t devpts devpts /dev/pts
$bb mount -t tmpfs tmpfs /dev/shm
$bb mount -t tmpfs -o mode=755 tmpfs /run
$bb mount -t tracefs tracefs /sys/kernel/tracing
$bb mount -t tmpfs -o mode=1777 tmpfs /tmp
$bb ln -s /proc/self/fd /dev/fd 2>/dev/null
$bb hostname ftio-vm
krel=$($bb uname -r)
load() {
	while read -r m; do
		$bb insmod "/lib/modules/$krel/$m" || echo "ftio-vm: insmod $m failed"
	done <"$1"
}
load /ftio-vm/modules.std
if [ -e /ftio-vm/want-out ]; then
	load /ftio-vm/modules.p9
	$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none ftioout /out ||
		echo "ftio-vm: cannot mount /out"
fi
read -r out </ftio-vm/outdev
# a virtio console appears once its driver has probed the device
i=0
while [ ! -e $out ] && [ $i -lt 50 ]; do $bb sleep 0.1; i=$((i + 1)); done
[ -e $out ] || echo "ftio-vm: no $out for the command's output"
read -r token </ftio-vm/token
# --reboots: RAM survives a warm reset, the initramfs does not; which boot
# this is is kept in /out, the only storage that lasts
boot=1
if [ -e /ftio-vm/reboots ] && [ -e /ftio-vm/want-out ]; then
	[ -e /out/.ftio-vm-boot-$token ] && read -r boot </out/.ftio-vm-boot-$token &&
		boot=$((boot + 1))
	echo $boot >/out/.ftio-vm-boot-$token
fi
export FTIO_VM_BOOT=$boot
$bb stty -F $out raw -echo 2>/dev/null
read -r up _ </proc/uptime
echo "FTIO-VM-START-$token uptime=$up boot=$boot" >$out
cd /tmp
run=/bin/bash
[ -x $run ] || run="$bb sh"
$bb setsid $run /ftio-vm/cmd </dev/null >$out 2>&1
rc=$?
read -r up _ </proc/uptime
$bb sync
$bb rm -f /out/.ftio-vm-boot-$token
[ -e /ftio-vm/want-out ] && $bb umount /out
# on a line of its own even when the output did not end with a newline
echo "FTIO-VM-EXIT-$token=$rc uptime=$up" >$out
$bb poweroff -f
INIT
chmod 755 "$R/init" "$R/ftio-vm/cmd"

initrd=$WORK/initrd.gz
cp "$base/base.cpio.gz" "$initrd"
test -z "$pylayer" || cat "$pylayer/layer.cpio.gz" >>"$initrd"
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 >>"$initrd" || die "cannot build the initramfs"
T_BUILT=$(now)
say "kernel $krel ($(basename "$kdir")), initrd $(du -k "$initrd" | cut -f1) KiB, ready in $(elapsed "$T0" "$T_BUILT")s"

# --- boot -------------------------------------------------------------------
# x86_64: one TCG thread for all vCPUs.  With a thread per vCPU (QEMU 7.2's
# default), a text_poke() of a tracepoint's static key by one vCPU while the
# other executes it left Debian 6.1 guests stuck on the stale int3 in
# delayed_put_task_struct (soft lockup, RCU stall, tracefs rmdir waiting for
# the grace period) in about one run of 20 of ftio record's arm/disarm.
# --tcg-thread single (FTIO_VM_TCG_THREAD) avoids it; every VM test uses
# it (t7200 too, since its guest soft-locked so).  The default stays QEMU's.
tcg=tcg
test -z "$tcg_thread" || tcg=tcg,thread=$tcg_thread
qargs=(-accel "$tcg" -m "$mem" -smp "$smp" -nographic -nodefaults -no-user-config
	-nic none -monitor none -pidfile "$WORK/qemu.pid"
	-serial "file:$WORK/console.log")
# a reboot ends qemu, unless --reboots lets the guest come up again: a
# system reset reloads the kernel and initrd and keeps the rest of RAM
test "$reboots" != 0 || qargs+=(-no-reboot)
if test -n "$cross"; then
	# the virt board's one UART is the console; the command's output goes
	# over a virtio console. pauth-impdef: -cpu max's architected pointer
	# authentication (QARMA) costs much of TCG's time
	# shellcheck disable=SC2054 # one -cpu argument with its properties
	qargs=(-M virt -cpu max,pauth-impdef=on "${qargs[@]}"
		-chardev stdio,id=vmout -device virtio-serial-pci
		-device virtconsole,chardev=vmout)
else
	qargs+=(-serial stdio)
fi
qargs+=(-kernel "$kimage" -initrd "$initrd"
	-append "console=$console quiet panic=-1 oops=panic ${FTIO_VM_APPEND:-}${append_opt:+ $append_opt}")
read -r -a more <<<"${FTIO_VM_QEMU_ARGS:-}" || true
qargs+=("${more[@]}")
if test -n "$outdir"; then
	mkdir -p "$outdir" && outdir=$(cd "$outdir" && pwd -P) || die "bad --outdir"
	qargs+=(-virtfs "local,path=$outdir,mount_tag=ftioout,security_model=none,id=ftioout")
fi

rc= t_start= guest_up0= guest_up1= boots=0
T_BOOT=$(now)
set +e
timeout -k 10 "$timeout_s" "$qemu" "${qargs[@]}" </dev/null 2>"$WORK/qemu.err" |
	tee "$WORK/output.log" |
	while IFS= read -r line || test -n "$line"; do
		line=${line%$'\r'}
		case $line in
		"FTIO-VM-START-$token "*)
			boots=$((boots + 1))
			if test "$boots" -gt $((reboots + 1)); then
				# one reboot more than asked for: a panic loop, or a test gone wrong
				echo "reboots-exceeded" >"$WORK/reboots-exceeded"
				kill "$(cat "$WORK/qemu.pid" 2>/dev/null)" 2>/dev/null
				continue
			fi
			test "$boots" = 1 || say "boot $boots (warm reset), $(elapsed "$T_BOOT" "$(now)")s in"
			test -n "$t_start" || t_start=$(now)
			guest_up0=${line#*uptime=}
			guest_up0=${guest_up0%% *}
			continue
			;;
		*"FTIO-VM-EXIT-$token="*)
			# what the command printed last, without a newline
			pre=${line%%"FTIO-VM-EXIT-$token="*}
			test -z "$pre" || printf '%s\n' "$pre"
			rc=${line#*"FTIO-VM-EXIT-$token="}
			guest_up1=${rc#*uptime=}
			rc=${rc%% *}
			continue
			;;
		esac
		test -z "$t_start" || printf '%s\n' "$line"
	done
qrc=${PIPESTATUS[0]}
set -e
T_END=$(now)

# the firmware's terminal escapes out, for reading
clean_console() { sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/\r//g'; }
if test -n "$show_console"; then
	echo "--- kernel console ---" >&2
	clean_console <"$WORK/console.log" >&2
	echo "--- end of console ---" >&2
fi
if grep -qE 'BUG:|WARNING:|Oops|Call Trace:' "$WORK/console.log" 2>/dev/null; then
	warn "the kernel logged a warning or oops (see --console / --keep)"
fi

if test "$qrc" = 124 || test "$qrc" = 137; then
	printf '%s: timeout after %ss\n' "$ME" "$timeout_s" >&2
	tail -n 20 "$WORK/console.log" | clean_console >&2
	exit 124
fi
if test -e "$WORK/reboots-exceeded"; then
	printf '%s: the guest booted more than %s times (--reboots %s): stopped it\n' "$ME" \
		$((reboots + 1)) "$reboots" >&2
	tail -n 30 "$WORK/console.log" | clean_console >&2
	exit 125
fi
if test -z "$rc"; then
	printf '%s: the VM ended without the command finishing (qemu exit %s)\n' "$ME" "$qrc" >&2
	cat "$WORK/qemu.err" >&2
	tail -n 30 "$WORK/console.log" | clean_console >&2
	exit 125
fi
if test -n "$t_start"; then
	say "boot $(elapsed "$T_BOOT" "$t_start")s (guest uptime ${guest_up0}s), command $(elapsed "$t_start" "$T_END")s (guest ${guest_up1}s at exit), total $(elapsed "$T0" "$T_END")s, exit $rc"
fi
exit "$rc"
