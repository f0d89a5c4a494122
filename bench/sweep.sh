#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The long lost-event sweep: 'ftio record' (default layers, default buffer)
# of the 1-byte pread loop for about BENCH_SWEEP_SECONDS (60) at the loop's
# full speed, well above a million events a second on this machine.
# Reports events/s, lost events (the ring buffer's count and the sub-buffers
# flagged as missing events), bytes/event on disk and the recorder's CPU.
# Prints its section on stdout; bench/run.sh runs it with FTIO_BENCH_LONG=1
# and appends it to bench/results.txt.  Needs root.
#
# Knobs: BENCH_SWEEP_SECONDS (60), BENCH_SWEEP_ARGS (more 'ftio record'
# options, e.g. '-b 1024'), FTIO (the ftio to run), TMPDIR (where the
# recording goes: about 2 bytes per event, 250 MB for a minute here).

set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
FTIO=${FTIO:-${FTIO_BUILD_DIR:-$BENCH_DIR/..}/ftio}
SECS=${BENCH_SWEEP_SECONDS:-60}
TIME=/usr/bin/time
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

say() { printf 'bench sweep: %s\n' "$*" >&2; }
skip() {
	say "skipped: $*"
	printf '\nlong sweep: skipped: %s\n' "$*"
	exit 0
}

test "$(id -u)" = 0 || skip "needs root (tracefs)"
test -d "$TRACEFS/instances" || skip "tracefs is not mounted at $TRACEFS"
test -x "$FTIO" || skip "cannot find '$FTIO' (run make, or set FTIO)"
test -x "$TIME" || skip "cannot find '$TIME' (Debian package 'time')"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-sweep.XXXXXX") || exit 1
PID=
cleanup() {
	if test -n "$PID" && test -d "$TRACEFS/instances/ftio_$PID"; then
		say "ftio (pid $PID) left instance ftio_$PID behind: removing it"
		forget_ftio "$PID"
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

${CC:-cc} -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" || skip "cannot build bench/preadloop.c"
head -c 4096 /dev/urandom >"$WORK/data"

# the loop runs until --duration sends it SIGTERM, then prints its figures
# shellcheck disable=SC2086 # BENCH_SWEEP_ARGS: one word per option
$TIME -f '%e %U %S %M' -o "$WORK/time" sh -c 'echo $$ >"$0"; exec "$@"' "$WORK/pid" \
	"$FTIO" record ${BENCH_SWEEP_ARGS:-} --duration "${SECS}s" -o "$WORK/sweep.dat" \
	-- "$WORK/preadloop" 1000000000000 "$WORK/data" >"$WORK/out" 2>"$WORK/err"
rc=$?
PID=$(cat "$WORK/pid" 2>/dev/null)
# the loop's SIGTERM may come back as ftio's exit status (143)
case $rc in 0 | 143) ;; *) skip "ftio record exited $rc: $(grep -m1 . "$WORK/err")" ;; esac
json=$("$FTIO" info -i "$WORK/sweep.dat" --json 2>/dev/null)
num() { grep -o "\"$1\":[0-9.]*" <<<"$json" | head -n1 | cut -d: -f2; }
events=$(num events) lost=$(num lost_events) inband=$(num missed_in_band)
test -n "$events" && test "$events" -gt 0 || skip "no events in the recording ('ftio info --json')"
size=$(stat -c %s "$WORK/sweep.dat")
read -r wall u s rss <"$WORK/time"
read -r lns lu ls _ < <(awk 'NF == 4 { v = $0 } END { print v }' "$WORK/out")
# "ftio: 101819992 events in 51.81s to ...": the recording's own span
rec_s=$(sed -n 's/^ftio: [0-9]* events in \([0-9.]*\)s .*/\1/p' "$WORK/err" | head -n1)
test -n "$rec_s" || rec_s=$wall

echo
echo "long sweep: ftio record ${BENCH_SWEEP_ARGS:+$BENCH_SWEEP_ARGS }--duration ${SECS}s -- preadloop (default layers), one run (exit $rc)"
awk -v e="$events" -v l="${lost:-0}" -v ib="${inband:-0}" -v sz="$size" -v ls="$rec_s" \
	-v w="$wall" -v u="$u" -v s="$s" -v lu="$lu" -v lsy="$ls" -v rss="$rss" -v ns="$lns" 'BEGIN {
	printf "  loop:        pread at %.0f ns/call (%.2f M calls/s)\n", ns, 1e3 / ns
	printf "  events:      %d recorded in %.2f s, %.2f M/s (%.1f s wall for ftio from start to exit)\n", e, ls, e / ls / 1e6, w
	printf "  lost:        %d (%.4f%% of recorded + lost), %d sub-buffers flagged as missing events\n", l, 100 * l / (e + l), ib
	printf "  on disk:     %.1f MB, %.3f bytes/event\n", sz / 1e6, sz / e
	printf "  recorder:    %.2f s CPU (user+sys less the loop'"'"'s own), %.3f s per M events, peak RSS %.1f MiB\n",
		u + s - lu - lsy, (u + s - lu - lsy) / (e / 1e6), rss / 1024
}'
echo "  ftio said:   $(grep -m1 'events in' "$WORK/err")"
exit 0
