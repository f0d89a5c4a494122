#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The live commands (ftio trace, ftio top) against the recorder, on the
# 1-byte pread loop (bench/preadloop.c): ns per call untraced, under
# 'ftio record', under 'ftio trace --min-latency 1ms' (which prints almost
# nothing: its cost is the capture and the live pairing, not the terminal)
# and under 'ftio top --batch' (a table a second to /dev/null), all with the
# default layers; then the event-to-screen latency of ftio trace, p50 and
# p99 over LIVE_CALLS slow reads made at known times
# (tests/helpers/live-latency.py).  The loop times itself, so a recorder's
# start-up and tear-down never count; the figure of each is the median of
# BENCH_RUNS runs.  Output: a Markdown table on stdout.
#
# Needs root.  Knobs: BENCH_RUNS (5), BENCH_ITERS (2000000), LIVE_CALLS (200).
set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${FTIO_BUILD_DIR:-$SRC_DIR}
RUNS=${BENCH_RUNS:-5}
ITERS=${BENCH_ITERS:-2000000}
CALLS=${LIVE_CALLS:-200}
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

# ftio's instances look like leftovers to a test suite running meanwhile:
# one at a time, as the suites are (tests/test-lock.sh)
FTIO_TEST_LOCKED=${FTIO_TEST_LOCKED:-}
. "$SRC_DIR/tests/test-lock.sh"

say() { printf 'bench-live: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "skipped: needs root (tracefs)"; exit 0; }
[ -d "$TRACEFS/instances" ] || { say "skipped: tracefs is not mounted at $TRACEFS"; exit 0; }
[ -x "$BUILD_DIR/ftio" ] || { say "cannot find '$BUILD_DIR/ftio': run 'make' first"; exit 1; }
command -v python3 >/dev/null || { say "skipped: no python3 for the latency half"; exit 0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-live.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
FTIO=$BUILD_DIR/ftio
${CC:-cc} -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" || exit 1
head -c 4096 /dev/urandom >"$WORK/data"
cat "$WORK/data" >/dev/null

# one <variant>: the loop's ns per call, or nothing when the run failed
one() {
	local out=$WORK/loop.out rc

	case $1 in
	untraced) "$WORK/preadloop" "$ITERS" "$WORK/data" >"$out" 2>"$WORK/err" ;;
	record) "$FTIO" record -q -o "$WORK/r.dat" -- "$WORK/preadloop" "$ITERS" "$WORK/data" \
			>"$out" 2>"$WORK/err" ;;
	trace) "$FTIO" trace --min-latency 1ms -- "$WORK/preadloop" "$ITERS" "$WORK/data" \
			>"$out" 2>"$WORK/err" ;;
	top) "$FTIO" top --batch -d 1 -- "$WORK/preadloop" "$ITERS" "$WORK/data" \
			>"$out" 2>"$WORK/err" ;;
	esac
	rc=$?
	rm -f "$WORK/r.dat"
	if [ $rc != 0 ]; then
		say "$1: exit $rc: $(head -1 "$WORK/err")"
		return
	fi
	# the loop's own line: trace and top print theirs around it
	awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { v = $1 } END { if (v != "") print v }' "$out"
}

declare -A NS
VARIANTS="untraced record trace top"
for r in $(seq "$RUNS"); do
	for v in $VARIANTS; do
		x=$(one $v)
		[ -n "$x" ] && NS[$v]="${NS[$v]:-} $x"
	done
	say "round $r: $(for v in $VARIANTS; do printf '%s %s ' $v "$(echo ${NS[$v]:-?} | awk '{ print $NF }')"; done)"
done

# the latency half: CALLS reads of a pipe that a thread fills 20 ms later,
# 30 ms apart; each line stamped as it reaches the reader of trace's stdout
lat=$("$FTIO" trace --comm python3 --syscall read --min-latency 10ms -- \
	python3 "$SRC_DIR/tests/helpers/live-latency.py" call "$CALLS" 30 20 "$WORK/times" 2>"$WORK/lat.err" |
	python3 "$SRC_DIR/tests/helpers/live-latency.py" watch "$WORK/times" " read " "$CALLS")
[ -n "$lat" ] || say "latency: $(head -1 "$WORK/lat.err")"

{
	printf 'variant\tns per call (median of %s)\tto untraced\n' "$RUNS"
	base=$(median ${NS[untraced]:-})
	for v in $VARIANTS; do
		m=$(median ${NS[$v]:-})
		case $v in
		untraced) name="untraced" ;;
		record) name="ftio record (default layers)" ;;
		trace) name="ftio trace --min-latency 1ms" ;;
		top) name="ftio top --batch -d 1" ;;
		esac
		ratio=
		[ -n "$m" ] && [ -n "$base" ] && ratio=$(awk -v a="$m" -v b="$base" 'BEGIN { printf "x%.2f", a / b }')
		printf '%s\t%s\t%s\n' "$name" "${m:-failed}" "$ratio"
	done
} >"$WORK/table.tsv"
echo "Live commands on the pread loop ($ITERS 1-byte preads of a cached file), $(uname -r):"
echo
format_table "$WORK/table.tsv"
echo
echo "Event to screen (ftio trace, $CALLS slow reads 30 ms apart): ${lat:-failed}"
