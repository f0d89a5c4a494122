#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The built-in demo workload: writes and reads a few files, syncs one,
# lists and stats a directory, and ends with the case that started ftio:
# a non-root user (nobody) trying to read /etc/shadow.
set -e
d=$(mktemp -d "${TMPDIR:-/tmp}/ftio-demo.XXXXXX")
trap 'rm -rf "$d"' EXIT

for i in 1 2 3 4 5 6; do
	dd if=/dev/urandom of="$d/file$i" bs=64k count=4 status=none
done
dd if=/dev/zero of="$d/synced" bs=4k count=64 conv=fsync status=none
cat "$d"/file* >/dev/null
ls -l "$d" >/dev/null
stat "$d/file1" >/dev/null
cp "$d/file1" "$d/copy"
# the audit case: uid 65534 is refused /etc/shadow (EACCES)
setpriv --reuid=65534 --regid=65534 --clear-groups cat /etc/shadow 2>/dev/null || true
