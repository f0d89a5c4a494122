#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest: the same workloads recorded from
# syscalls:* and from raw_syscalls (a board kernel's only source), the
# recordings and their reports left in /out for the host to compare.
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
H=${FTIO_HELPERS:-/ftio/tests/helpers}
cd /tmp || exit 1

echo "kernel $(uname -r)"
mkdir -p fw/sub && echo 0123456789abcdef >fw/data && echo relative >fw/rel.txt && echo ff >fw/sub/f
for src in syscalls raw_syscalls; do
	$FTIO record -q --syscall-source $src -o "$out/dd-$src.dat" -- \
		dd if=/dev/zero of=/tmp/out bs=4k count=777 status=none
	echo "record dd $src: $?"
	$FTIO record -q --syscall-source $src -o "$out/fd-$src.dat" -- "$H/fdwork" /tmp/fw
	echo "record fd $src: $?"
	for w in dd fd; do
		$FTIO report -i "$out/$w-$src.dat" --json --top 100000 >"$out/$w-$src.json"
		$FTIO report -i "$out/$w-$src.dat" >"$out/$w-$src.txt"
	done
done
ls /sys/kernel/tracing/instances >"$out/instances"
echo "guest done"
