#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the arm64 QEMU guest (busybox sh, Debian's arm64 6.1 kernel on
# the virt board, a cross-built ftio): records a small file workload and
# leaves the recording, ftio's own decoding of it (report, replay, info) and
# the probe in /out, for tests/t7100-vm-arm64.sh to decode again on the host
# and compare byte for byte. The decoding commands run in /out on the
# relative name arm.dat, so the file name they print is the same on both
# sides.
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
H=${FTIO_HELPERS:-/ftio/tests/helpers}
cd /tmp || exit 1

echo "uname -m: $(uname -m)"
echo "kernel $(uname -r) $(uname -v)"
$FTIO probe >"$out/probe.txt" 2>&1
echo "probe: $?"
$FTIO probe --json >"$out/probe.json" 2>/dev/null

# A small ext4 filesystem on a loop device, so that the recording also has
# block requests, page cache and ext4 events. busybox's mke2fs makes ext2,
# which the ext4 driver mounts (CONFIG_EXT4_USE_FOR_EXT2).
mnt=/tmp
dd if=/dev/zero of=/tmp/disk.img bs=1M count=16 2>/dev/null
loopdev=$(losetup -f 2>/dev/null) && losetup "$loopdev" /tmp/disk.img &&
	mke2fs -q "$loopdev" >/dev/null 2>&1 && mkdir -p /mnt/e &&
	mount -t ext4 "$loopdev" /mnt/e && mnt=/mnt/e
echo "workload on $mnt ($(awk -v m="$mnt" '$2 == m { print $3 }' /proc/mounts))"

# runas (cross-built with ftio) makes the seed scenario: a uid without
# access to /etc/shadow
chmod 600 /etc/shadow
# shellcheck disable=SC2016 # expanded by the traced sh
W=$mnt $FTIO record -q -o "$out/arm.dat" -- sh -c '
	cat /etc/hostname
	echo hello >"$W/a.txt"
	cat "$W/a.txt" >/dev/null
	dd if=/dev/zero of="$W/big" bs=64k count=16 conv=fsync 2>/dev/null
	cp "$W/big" "$W/copy" && sync
	ls -l "$W" >/dev/null
	stat "$W/copy" >/dev/null
	mv "$W/copy" "$W/moved" && rm "$W/moved"
	cat /nonexistent 2>/dev/null
	if [ -x "$0" ]; then "$0" 65534 cat /etc/shadow 2>/dev/null; fi
	true' "$H/runas"
echo "record: $?"
cd "$out" || exit 1
$FTIO report -i arm.dat --json --top 1000 >arm.json
echo "report: $?"
$FTIO report -i arm.dat >arm.txt
$FTIO replay -i arm.dat --json >arm-replay.json
echo "replay: $?"
$FTIO info -i arm.dat --json >arm-info.json
echo "info: $?"
cd /tmp || exit 1

# a board kernel's only source: raw_syscalls, ids through the aarch64 table
$FTIO record -q --syscall-source raw_syscalls -o "$out/raw.dat" -- \
	dd if=/dev/zero of="$mnt/raw" bs=4k count=777
echo "record raw: $?"
(cd "$out" && $FTIO report -i raw.dat >raw.txt && $FTIO report -i raw.dat --json --top 1000 >raw.json)
$FTIO record -q --syscall-source syscalls -o "$out/sc.dat" -- \
	dd if=/dev/zero of="$mnt/raw" bs=4k count=777
(cd "$out" && $FTIO report -i sc.dat --json --top 1000 >sc.json)

if [ "$mnt" != /tmp ]; then
	umount /mnt/e
	losetup -d "$loopdev"
fi
ls /sys/kernel/tracing/instances >"$out/instances"
grep ftio /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/uprobe_events \
	/sys/kernel/tracing/dynamic_events >"$out/dynevents" 2>/dev/null
echo "guest done"
