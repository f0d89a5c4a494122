#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot instance (ftio record --boot-instance): what it costs while
# armed, against the kernel-only floor and the normal recorder, on the
# 1-byte pread loop; and how many seconds of that loop and of the demo
# workload (contrib/workload.sh) a 32 MiB instance holds.
#
# A kernel booted without ftio boot-setup's words has no boot instance:
# a plain instance of this script's own (ftiobench_boot_<pid>), sized as
# the boot instance would be (BOOT_MIB split between the CPUs), stands in
# for it (FTIO_TEST_BOOT_INSTANCE, see src/record/boot.h).  The kernel
# writes the same ring buffer either way; only where its pages live
# differs.  Armed, it records the whole system, as the boot instance does;
# for the window sizes it is filtered to the workload (set_event_pid,
# following forks), so that other users of a shared machine do not count.
#
# Needs root.  Removes its instance and the ftio_boot probes at exit.
# Knobs: BENCH_RUNS (5), BENCH_ITERS (2000000), BOOT_MIB (32), DEMO_RUNS (10).
set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${FTIO_BUILD_DIR:-$SRC_DIR}
RUNS=${BENCH_RUNS:-5}
ITERS=${BENCH_ITERS:-2000000}
BOOT_MIB=${BOOT_MIB:-32}
DEMO_RUNS=${DEMO_RUNS:-10}
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

# its instance and the ftio_boot probes look like leftovers to a test suite
# running meanwhile: one at a time, as the suites are (tests/test-lock.sh)
FTIO_TEST_LOCKED=${FTIO_TEST_LOCKED:-}
. "$SRC_DIR/tests/test-lock.sh"

say() { printf 'bench-boot: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "skipped: needs root (tracefs)"; exit 0; }
[ -d "$TRACEFS/instances" ] || { say "skipped: tracefs is not mounted at $TRACEFS"; exit 0; }
[ -x "$BUILD_DIR/ftio" ] || { say "cannot find '$BUILD_DIR/ftio': run 'make' first"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-boot.XXXXXX") || exit 1
NAME=ftiobench_boot_$$
INST=$TRACEFS/instances/$NAME
FLOOR=$TRACEFS/instances/ftiobench_$$
cp "$BUILD_DIR/ftio" "$WORK/ftio" || exit 1
FTIO=$WORK/ftio

remove() {
	[ -d "$1" ] || return 0
	echo 0 >"$1/tracing_on" 2>/dev/null
	echo 0 >"$1/events/enable" 2>/dev/null
	rmdir "$1" 2>/dev/null || say "cannot remove $1"
}
disarm() { FTIO_TEST_BOOT_INSTANCE=$NAME "$FTIO" reset --boot-instance -q --no-save >/dev/null 2>&1; }
cleanup() {
	[ -d "$INST" ] && disarm
	remove "$INST"
	remove "$FLOOR"
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cc -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" || exit 1
LOOP=$WORK/preadloop
DATA=$WORK/data
head -c 4096 /dev/urandom >"$DATA"
"$LOOP" 1000 "$DATA" >/dev/null
ns_of() { awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { v = $1 } END { print v }' "$1"; }

NCPU=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
mkdir "$INST" || exit 1
echo $((BOOT_MIB * 1024 / NCPU)) >"$INST/buffer_size_kb" || exit 1
arm() { # ftio record --boot-instance on the stand-in; its events
	FTIO_TEST_BOOT_INSTANCE=$NAME "$FTIO" record --boot-instance -q -o "$WORK/boot.dat" "$@" ||
		{ say "cannot arm the stand-in"; exit 1; }
}

# ---- cost: interleaved rounds ------------------------------------------------
declare -a U F A R S
for r in $(seq "$RUNS"); do
	"$LOOP" "$ITERS" "$DATA" >"$WORK/o" 2>&1 && U+=("$(ns_of "$WORK/o")")
	mkdir "$FLOOR" && for ev in sys_enter_pread64 sys_exit_pread64; do
		echo 1 >"$FLOOR/events/syscalls/$ev/enable"
	done && echo 1 >"$FLOOR/tracing_on" &&
		"$LOOP" "$ITERS" "$DATA" >"$WORK/o" 2>&1 && F+=("$(ns_of "$WORK/o")")
	remove "$FLOOR"
	arm && "$LOOP" "$ITERS" "$DATA" >"$WORK/o" 2>&1 && A+=("$(ns_of "$WORK/o")")
	disarm
	"$FTIO" record -q -o "$WORK/r.dat" -- "$LOOP" "$ITERS" "$DATA" >"$WORK/o" 2>&1 &&
		R+=("$(ns_of "$WORK/o")")
	"$FTIO" record -q -e syscalls -o "$WORK/s.dat" -- "$LOOP" "$ITERS" "$DATA" >"$WORK/o" 2>&1 &&
		S+=("$(ns_of "$WORK/o")")
	rm -f "$WORK"/*.dat
	say "round $r: untraced ${U[-1]:-?} floor ${F[-1]:-?} armed ${A[-1]:-?} record ${R[-1]:-?} record-e-syscalls ${S[-1]:-?} ns/call"
done
mu=$(median "${U[@]}") mf=$(median "${F[@]}") ma=$(median "${A[@]}") mr=$(median "${R[@]}") ms=$(median "${S[@]}")

# ---- windows: what BOOT_MIB holds ---------------------------------------------
# bytes the workload wrote on each CPU, from per_cpu/cpuN/stats, into "cpu bytes" lines
cpu_bytes() {
	for d in "$INST"/per_cpu/cpu*; do
		awk -v c="${d##*cpu}" '/^bytes:/ { b = $2 } /^overrun:/ { o = $2 } END { print c, b, o }' "$d/stats"
	done
}
# the workload alone: armed, then filtered to this subshell and what it forks
filtered() { # command...
	arm
	sh -c 'echo 1 >"$0/options/event-fork"; echo $$ >"$0/set_event_pid"; : >"$0/trace"; exec "$@"' \
		"$INST" "$@"
}
cap=$(($(cat "$INST/buffer_size_kb") * 1024))

# the pread loop on CPU 0: 200000 calls stay well inside 16 MiB
filtered taskset -c 0 "$LOOP" 200000 "$DATA" >"$WORK/o" 2>&1
p_ns=$(ns_of "$WORK/o")
read -r _ p_bytes p_over < <(cpu_bytes | awk '$1 == 0')
disarm
p_per_call=$(awk -v b="$p_bytes" 'BEGIN { printf "%.1f", b / 200000 }')
p_window=$(awk -v c="$cap" -v b="$p_bytes" -v ns="$p_ns" 'BEGIN { printf "%.2f", c / (b / 200000) * ns / 1e9 }')

# the demo workload, DEMO_RUNS times, wherever the scheduler puts it
t0=$EPOCHREALTIME
filtered sh -c 'for i in $(seq "$0"); do sh "$1" || exit 1; done' "$DEMO_RUNS" "$SRC_DIR/contrib/workload.sh"
t1=$EPOCHREALTIME
cpu_bytes >"$WORK/demo"
disarm
d_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
# the CPU that fills first decides how far back everything is complete
d_window=$(awk -v c="$cap" -v s="$d_secs" '$2 > m { m = $2 } END { printf "%.0f", c / (m / s) }' "$WORK/demo")
d_total=$(awk '{ t += $2 } END { print t }' "$WORK/demo")
d_over=$(awk '{ t += $3 } END { print t }' "$WORK/demo")

{
	echo "boot instance ($BOOT_MIB MiB, $NCPU CPUs: $((cap >> 20)) MiB per CPU; a plain instance as stand-in), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '  pread loop, median of %s interleaved runs of %s calls, ns/call:\n' "$RUNS" "$ITERS"
	printf '    untraced %s  floor (2 events, nobody reading) %s  armed (default layers, system-wide, nobody reading) %s\n' "$mu" "$mf" "$ma"
	printf '    ftio record (default layers) %s  ftio record -e syscalls %s\n' "$mr" "$ms"
	printf '    armed/floor x%s  armed/record x%s  armed/untraced x%s\n' \
		"$(awk -v a="$ma" -v b="$mf" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v a="$ma" -v b="$mr" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v a="$ma" -v b="$mu" 'BEGIN { printf "%.2f", a / b }')"
	printf '  pread loop on one CPU, armed: %s bytes/call, %s ns/call: %s s in one CPU'"'"'s %s MiB (overrun %s)\n' \
		"$p_per_call" "$p_ns" "$p_window" "$((cap >> 20))" "$p_over"
	printf '  demo workload x%s: %.2f s, %s bytes over all CPUs (%s per run; overrun %s); the busiest CPU fills its %s MiB in %s s\n' \
		"$DEMO_RUNS" "$d_secs" "$d_total" "$((d_total / DEMO_RUNS))" "$d_over" "$((cap >> 20))" "$d_window"
	awk '{ printf "    cpu%s: %s bytes\n", $1, $2 }' "$WORK/demo"
} | tee "$WORK/result"
