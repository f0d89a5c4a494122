#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian packages ftio needs to build and test, and nothing
# that is already there.  Run as root (CI and the README's commands do).
# FTIO_DEPS_EXTRA adds packages; FTIO_DEPS_QUIET=1 hides apt's output.
set -e

pkgs="build-essential pkg-config libtracefs-dev libtraceevent-dev libzstd-dev zlib1g-dev
libpfm4-dev libfuse3-dev fuse3 e2fsprogs util-linux mount python3 procps clang asciidoctor chromium
$FTIO_DEPS_EXTRA"

# The embedded-board profile: an arm64 cross toolchain and Debian's arm64
# multiarch -dev packages, so that `make CROSS_COMPILE=aarch64-linux-gnu-`
# builds.  FTIO_DEPS_CROSS=0 skips them.
if [ "${FTIO_DEPS_CROSS:-1}" = 1 ] && [ "$(dpkg --print-architecture)" = amd64 ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" = 0 ] && dpkg --add-architecture arm64 && need_update=1
	fi
	pkgs="$pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross libtracefs-dev:arm64
libtraceevent-dev:arm64 libzstd-dev:arm64 zlib1g-dev:arm64 libpfm4-dev:arm64"
fi

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && [ -z "${need_update:-}" ] && exit 0
[ -z "$missing" ] && { apt-get update -q >/dev/null; exit 0; }

if [ "$(id -u)" != 0 ]; then
	echo "contrib/deps.sh: need root to install:$missing" >&2
	exit 1
fi
echo "contrib/deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if [ "${FTIO_DEPS_QUIET:-0}" = 1 ]; then
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
else
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
