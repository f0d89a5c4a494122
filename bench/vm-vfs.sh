#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Overhead of the vfs (kprobe) layer on a find/stat-heavy workload, in the
# QEMU guest running Debian's 6.1 kernel (run by bench/run-vm-vfs.sh):
# the same workload untraced, under ftio without vfs, and with it.
set -u
FTIO=/usr/bin/ftio
dd if=/dev/zero of=/tmp/disk.img bs=1M count=64 2>/dev/null
loopdev=$(losetup -f)
losetup "$loopdev" /tmp/disk.img
mke2fs -q -t ext4 "$loopdev"
mkdir -p /mnt/e && mount -t ext4 "$loopdev" /mnt/e
i=0
while [ $i -lt 20 ]; do
	mkdir -p /mnt/e/t/d$i/x/y
	j=0
	while [ $j -lt 50 ]; do : >/mnt/e/t/d$i/x/y/f$j; j=$((j + 1)); done
	i=$((i + 1))
done
work='find /mnt/e/t -type f | while read f; do stat "$f"; done >/dev/null'
run() {
	# cold dentries each time: remount
	umount /mnt/e && mount -t ext4 "$loopdev" /mnt/e
	s=$(cut -d" " -f1 /proc/uptime)
	"$@"
	e=$(cut -d" " -f1 /proc/uptime)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f\n", e - s }'
}
for round in 1 2 3; do
	echo "untraced $(run sh -c "$work")"
	echo "ftio-novfs $(run $FTIO record -q -o /tmp/a.dat -e syscalls,paths -- sh -c "$work")"
	echo "ftio-vfs $(run $FTIO record -q -o /tmp/b.dat -e syscalls,paths,vfs -- sh -c "$work")"
done
umount /mnt/e
losetup -d "$loopdev"
