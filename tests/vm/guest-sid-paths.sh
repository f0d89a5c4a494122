#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest on a kernel whose syscall events carry path
# strings (Linux 6.19+, the sid profile): records a static busybox, a path
# longer than the kernel copies, and the demo workload with -e syscalls
# alone (no uprobes, no kprobes), and leaves recordings and reports in /out.
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
H=${FTIO_HELPERS:-/ftio/tests/helpers}
BB=$(command -v busybox)
cd /tmp || exit 1

echo "kernel $(uname -r)"
$FTIO probe >"$out/probe.txt" 2>&1
cat /sys/kernel/tracing/events/syscalls/sys_enter_openat/format >"$out/openat.format"
cat /sys/kernel/tracing/syscall_user_buf_size >"$out/user_buf_size" 2>&1

# the seed scenario through a static binary: only the tracepoint has its path
chmod 600 /etc/shadow 2>/dev/null || { echo secret >/etc/shadow; chmod 600 /etc/shadow; }
$FTIO record -q -e syscalls -o "$out/seed.dat" -- "$H/runas" 60004 "$BB" cat /etc/shadow
echo "record seed: $?"
$FTIO report -i "$out/seed.dat" --json --top 1000 >"$out/seed.json"

# a path of 230 bytes: longer than the kernel copies (at most 165)
long=/tmp/$(printf '%050d' 0)/$(printf '%050d' 1)/$(printf '%050d' 2)/$(printf '%050d' 3)
mkdir -p "$long" && echo long >"$long/file"
echo "$long/file" >"$out/long.path"
$FTIO record -q -e syscalls -o "$out/long.dat" -- "$BB" cat "$long/file"
$FTIO report -i "$out/long.dat" --json --top 1000 >"$out/long.json"
$FTIO report -i "$out/long.dat" >"$out/long.txt"
# the same through the C library's cat: the uprobe's whole string wins
$FTIO record -q -o "$out/longu.dat" -- cat "$long/file"
$FTIO report -i "$out/longu.dat" --json --top 1000 >"$out/longu.json"

# the demo workload's path coverage with the tracepoint rung alone
$FTIO record -q -e syscalls -o "$out/demo.dat" -- sh /workload.sh
$FTIO report -i "$out/demo.dat" --json --top 1000 >"$out/demo.json"
$FTIO report -i "$out/demo.dat" >"$out/demo.txt"

ls /sys/kernel/tracing/instances >"$out/instances"
grep ftio /sys/kernel/tracing/uprobe_events /sys/kernel/tracing/kprobe_events >"$out/dynevents" 2>/dev/null
echo "guest done"
