#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Builds a sysroot of Debian's armhf libraries ftio links against, for the
# 32-bit cross build (long is 4 bytes there).  The packages are downloaded
# and unpacked, never installed: on this image the armhf multiarch -dev
# packages conflict with installed amd64 versions.
#   contrib/armhf-sysroot.sh [DIR]   (default /var/cache/ftio-armhf)
set -e
dir=${1:-/var/cache/ftio-armhf}
[ -f "$dir/.done" ] && { echo "$dir"; exit 0; }
mkdir -p "$dir/debs" "$dir/root"
added=
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
	dpkg --add-architecture armhf
	added=1
fi
apt-get update -q >/dev/null 2>&1 || true
(cd "$dir/debs" && apt-get download -q libtracefs1:armhf libtracefs-dev:armhf \
	libtraceevent1:armhf libtraceevent-dev:armhf libzstd1:armhf libzstd-dev:armhf \
	zlib1g:armhf zlib1g-dev:armhf libpfm4:armhf libpfm4-dev:armhf >/dev/null 2>&1) || st=$?
if [ -n "$added" ]; then
	dpkg --remove-architecture armhf
	apt-get update -q >/dev/null 2>&1 || true
fi
[ -z "${st:-}" ] || exit 1
for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir/root"; done
touch "$dir/.done"
echo "$dir"
