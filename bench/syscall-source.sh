#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The two syscall sources side by side (ftio record --syscall-source): the
# 1-byte pread loop untraced, recorded from syscalls:* and recorded from
# raw_syscalls:* (filtered to the file syscalls' ids), -e syscalls, tracefs.
# Rounds interleave the variants; each figure is the median of BENCH_RUNS
# runs; events per call come from the last run's report.  Run it alone:
#
#	flock /tmp/ftio-tests.lock bash bench/syscall-source.sh
#
# Knobs: BENCH_RUNS (3), BENCH_ITERS (1000000), FTIO_BUILD_DIR.

set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${FTIO_BUILD_DIR:-$(cd "$BENCH_DIR/.." && pwd)}
FTIO=$BUILD_DIR/ftio
RUNS=${BENCH_RUNS:-3}
ITERS=${BENCH_ITERS:-1000000}
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

say() { printf 'bench-syscall-source: %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { say "skipped: ftio needs root"; exit 0; }
[ -x "$FTIO" ] || { say "cannot find '$FTIO': run 'make' first"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-sc.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
${CC:-cc} -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" || exit 1
head -c 4096 /dev/urandom >"$WORK/data"

VARIANTS=(untraced syscalls raw_syscalls)
declare -A NS EPC
for ((run = 1; run <= RUNS; run++)); do
	for v in "${VARIANTS[@]}"; do
		if [ "$v" = untraced ]; then
			ns=$("$WORK/preadloop" "$ITERS" "$WORK/data" | awk '{ print $1 }')
		else
			ns=$("$FTIO" record -q -e syscalls --syscall-source "$v" -o "$WORK/$v.dat" -- \
				"$WORK/preadloop" "$ITERS" "$WORK/data" 2>"$WORK/err" | awk '{ print $1 }')
			[ -n "$ns" ] || say "$v: $(head -1 "$WORK/err")"
			if [ "$run" = "$RUNS" ]; then
				EPC[$v]=$("$FTIO" report --json -i "$WORK/$v.dat" | python3 -c '
import json, sys
c = json.load(sys.stdin)["capture"]
print("%.2f" % (c["events"] / max(c["calls"], 1)))')
			fi
			rm -f "$WORK/$v.dat"
		fi
		NS[$v]+="${ns:-} "
	done
done
echo "syscall sources, 1-byte pread loop ($(uname -r), $(nproc) CPUs, medians of $RUNS runs of $ITERS calls)"
base=$(median ${NS[untraced]})
for v in "${VARIANTS[@]}"; do
	ns=$(median ${NS[$v]})
	printf '%-13s %8s ns/call  x%s  events/call %s\n' "$v" "$ns" \
		"$(awk -v a="$ns" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" "${EPC[$v]:--}"
done
