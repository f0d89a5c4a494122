#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The boot instance in the QEMU guest (a kernel booted with
# reserve_mem=32M:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot):
# the bytes one call of the 1-byte pread loop and one run of the demo
# workload put into it (its per_cpu/cpuN/stats), what 32 MiB then holds at
# the guest's speed, and the loop's ns/call untraced, armed and under
# ftio record.  TCG: the times are the emulator's; the bytes are the
# kernel's, as on hardware.  Run by hand, e.g.
#   cc -O2 -o /tmp/preadloop bench/preadloop.c
#   FTIO_VM_BZIMAGE=1 tests/vm/run-vm.sh --suite sid --tcg-thread single \
#       --append "reserve_mem=32M:4096:ftio_boot trace_instance=ftio_boot^traceoff@ftio_boot nokaslr" \
#       --add /tmp/preadloop:/preadloop --add contrib/workload.sh:/workload.sh bench/vm-boot.sh
set -u
FTIO=/usr/bin/ftio
I=/sys/kernel/tracing/instances/ftio_boot
N=${N:-200000}
RUNS=${RUNS:-3}
cd /tmp || exit 1
head -c 4096 /dev/urandom >data
/preadloop 1000 data >/dev/null
bytes() { # per CPU: "cpu bytes entries overrun"
	for d in $I/per_cpu/cpu*; do
		awk -v c="${d##*cpu}" '/^bytes:/ { b = $2 } /^entries:/ { e = $2 } /^overrun:/ { o = $2 }
			END { print c, b, e, o }' "$d/stats"
	done
}
arm() { $FTIO record --boot-instance -q -o /tmp/boot.dat || exit 1; }
cap=$(($(cat $I/buffer_size_kb) * 1024))
echo "kernel $(uname -r), $(cat $I/buffer_size_kb) KiB per CPU"

arm
: >$I/trace
taskset -c 0 /preadloop "$N" data >o
ns=$(awk '{ print $1 }' o)
bytes >b
$FTIO reset --boot-instance -q
awk -v n="$N" -v ns="$ns" -v cap="$cap" '$1 == 0 {
	printf "pread loop on cpu0: %d calls, %d bytes, %d events (%.1f bytes/call, %.1f bytes/event), %.0f ns/call armed: %.2f s in %d MiB\n",
		n, $2, $3, $2 / n, $2 / $3, ns, cap / ($2 / n) * ns / 1e9, cap / 1048576 }' b

arm
: >$I/trace
s=$(cut -d' ' -f1 /proc/uptime)
i=0
while [ $i -lt "$RUNS" ]; do sh /workload.sh; i=$((i + 1)); done
e=$(cut -d' ' -f1 /proc/uptime)
bytes >b
$FTIO reset --boot-instance -q
awk -v s="$s" -v e="$e" -v r="$RUNS" -v cap="$cap" '
	{ t += $2; ev += $3; if ($2 > m) m = $2; printf "  cpu%s: %d bytes, %d events, overrun %d\n", $1, $2, $3, $4 }
	END { printf "demo workload x%d: %.2f s, %d bytes, %d events (%d bytes and %d events a run); the busiest CPU fills its %d MiB in %.0f s\n",
		r, e - s, t, ev, t / r, ev / r, cap / 1048576, cap / (m / (e - s)) }' b

for round in 1 2 3; do
	/preadloop "$N" data >o; u=$(awk '{ print $1 }' o)
	arm; /preadloop "$N" data >o; a=$(awk '{ print $1 }' o); $FTIO reset --boot-instance -q
	$FTIO record -q -o /tmp/r.dat -- /preadloop "$N" data >o; rr=$(awk '{ print $1 }' o)
	echo "round $round: pread ns/call untraced $u armed $a record $rr"
done
