#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian packages ftio needs to build and test, and nothing
# that is already there.  Run as root (CI and the README's commands do).
#
# The base set is required.  The extras -- the arm64 cross toolchain and
# multiarch -dev packages (embedded-board profile), Chromium (HTML report
# tests), clang and llvm-symbolizer (fuzzing), QEMU (kernel profiles), fio
# (make bench's real-I/O jobs), dmsetup (the EIO test, t6300), ClickHouse's
# server and client (export --clickhouse, t5300) -- are installed when
# apt can; the tests that need one skip with the reason when it is missing.
# FTIO_DEPS_CROSS=0 skips the cross packages; FTIO_DEPS_EXTRA adds packages;
# FTIO_DEPS_QUIET=1 hides apt's output.  `deps.sh --list` prints every
# package it would install, one a line, and installs nothing: the test
# t0020 checks each external command the tests run against that list.
#
# Every tool a test runs is here: on a fresh Debian 12 no test may skip for
# a tool this script could have installed.  The extras are installed one by
# one, so a package that cannot be had costs only its own tests.
set -e

base="build-essential pkg-config libtracefs-dev libtraceevent-dev libzstd-dev zlib1g-dev
libpfm4-dev libfuse3-dev libcurl4-openssl-dev liburing-dev libncurses-dev fuse3 e2fsprogs util-linux mount python3 procps kmod
file iproute2 $FTIO_DEPS_EXTRA"
extras="git clang libclang-rt-14-dev llvm jq asciidoctor chromium qemu-system-x86 qemu-system-arm qemu-user busybox-static cpio strace tmux
gcc-arm-linux-gnueabihf libc6-dev-armhf-cross fio dmsetup systemd nodejs zstd
clickhouse-server clickhouse-client"
cross="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libtracefs-dev:arm64 libtraceevent-dev:arm64
libzstd-dev:arm64 zlib1g-dev:arm64 libpfm4-dev:arm64 libncurses-dev:arm64"

if [ "${1:-}" = --list ]; then
	for p in $base $extras $cross; do echo "$p"; done
	exit 0
fi

missing_of() {
	m=
	for p in $*; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			m="$m $p"
	done
	echo "$m"
}

apt() {
	if [ "${FTIO_DEPS_QUIET:-0}" = 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get "$@" >/dev/null
	else
		DEBIAN_FRONTEND=noninteractive apt-get "$@"
	fi
}

need_base=$(missing_of $base)
need_extras=$(missing_of $extras)
need_cross=
if [ "${FTIO_DEPS_CROSS:-1}" = 1 ] && [ "$(dpkg --print-architecture)" = amd64 ]; then
	need_cross=$(missing_of $cross)
fi
[ -z "$need_base$need_extras$need_cross" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "contrib/deps.sh: need root to install:$need_base$need_extras$need_cross" >&2
	[ -z "$need_base" ] && exit 0
	exit 1
fi
if [ -n "$need_cross" ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
fi
apt update -q
if [ -n "$need_base" ]; then
	echo "contrib/deps.sh: installing:$need_base" >&2
	apt install -y -q --no-install-recommends $need_base
fi
# best effort: one that cannot be had only makes its own tests skip, so a
# set is tried whole first (one apt run) and one by one if that fails
for set in "$need_extras" "$need_cross"; do
	[ -n "$set" ] || continue
	echo "contrib/deps.sh: installing:$set" >&2
	apt install -y -q --no-install-recommends $set && continue
	for p in $set; do
		apt install -y -q --no-install-recommends "$p" ||
			echo "contrib/deps.sh: warning: could not install: $p (its tests will skip)" >&2
	done
done
exit 0
