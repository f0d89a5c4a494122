#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest (busybox sh, Debian's 6.1 kernel with
# kprobes): records workloads that exercise the vfs layer and leaves the
# recordings and reports in /out for the host-side test to check.
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
H=${FTIO_HELPERS:-/ftio/tests/helpers}
cd /tmp || exit 1

echo "kernel $(uname -r)"
$FTIO probe >"$out/probe.txt" 2>&1

# a deep tree on ext4 over a loop device, remounted so every dentry is cold
dd if=/dev/zero of=/tmp/disk.img bs=1M count=32 2>/dev/null
loopdev=$(losetup -f)
losetup "$loopdev" /tmp/disk.img
mke2fs -q -t ext4 "$loopdev" || mkfs.ext4 -q "$loopdev"
mkdir -p /mnt/e
mount -t ext4 "$loopdev" /mnt/e
mkdir -p /mnt/e/deep/a/b/c/d/e/f/g/h && echo data >/mnt/e/deep/a/b/c/d/e/f/g/h/file
i=0
while [ $i -lt 40 ]; do
	echo $i >"/mnt/e/deep/a/b/c/d/e/f/g/h/n$i"
	i=$((i + 1))
done
umount /mnt/e
mount -t ext4 "$loopdev" /mnt/e
cd /mnt/e
$FTIO record -q -o "$out/deep.dat" -- sh -c '
	cat deep/a/b/c/d/e/f/g/h/file >/dev/null
	for f in deep/a/b/c/d/e/f/g/h/n*; do stat "$f" >/dev/null; done'
echo "record deep: $?"
$FTIO report -i "$out/deep.dat" --json --top 1000 >"$out/deep.json"
echo "report deep: $?"

# cold lookups (the fixture tests/fixtures/coldlookup.dat): 20 directories
# of 10 files each, remounted so no dentry is cached, then one process
# stats every file by its full path; each first lookup in a directory reads
# it from the disk
mkdir -p /mnt/e/tree
d=0
while [ $d -lt 20 ]; do
	mkdir /mnt/e/tree/d$d
	f=0
	while [ $f -lt 10 ]; do
		: >"/mnt/e/tree/d$d/f$f"
		f=$((f + 1))
	done
	d=$((d + 1))
done
# the names are built here, not globbed: a glob would read the directories
names=
d=0
while [ $d -lt 20 ]; do
	f=0
	while [ $f -lt 10 ]; do
		names="$names /mnt/e/tree/d$d/f$f"
		f=$((f + 1))
	done
	d=$((d + 1))
done
cd /tmp
umount /mnt/e
mount -t ext4 "$loopdev" /mnt/e
# shellcheck disable=SC2086
$FTIO record -q -o "$out/cold.dat" -p /mnt/e -- stat $names >/dev/null
echo "record cold: $?"
$FTIO report -i "$out/cold.dat" --no-pager >"$out/cold.txt"
echo "report cold: $?"
umount /mnt/e
losetup -d "$loopdev"

# the seed scenario on this kernel: the error's origin and the path via kprobe
chmod 600 /etc/shadow 2>/dev/null || { echo secret >/etc/shadow; chmod 600 /etc/shadow; }
$FTIO record -q -o "$out/seed.dat" -- "$H/runas" 60004 cat /etc/shadow
echo "record seed: $?"
$FTIO report -i "$out/seed.dat" --json --top 1000 >"$out/seed.json"

# a static binary: only the kprobe rung sees its path
if [ -x "$H/static-open" ]; then
	echo static >static.txt
	$FTIO record -q -o "$out/static.dat" -- "$H/static-open" /tmp/static.txt
	$FTIO report -i "$out/static.dat" --json --top 1000 >"$out/static.json"
fi

# the perf backend on a kernel with kprobes: the seed scenario, with counters
# (Linux 6.1: no PERF_SAMPLE_READ with inherit, so only the first thread's)
$FTIO record -q --backend perf --counters task-clock,context-switches -o "$out/perf.dat" -- \
	"$H/runas" 60004 cat /etc/shadow
echo "record perf: $?"
$FTIO report -i "$out/perf.dat" --json --top 1000 >"$out/perf.json"

cat /sys/kernel/tracing/current_tracer >"$out/current_tracer"
ls /sys/kernel/tracing/instances >"$out/instances"
grep ftio /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/uprobe_events >"$out/dynevents" 2>/dev/null
echo "guest done"
