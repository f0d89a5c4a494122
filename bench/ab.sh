#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two builds of ftio side by side: bench/ab.sh OLD_FTIO NEW_FTIO.  What an
# issue changed in the recorder, as the issue asks it to be stated: the
# events, syscalls and uprobes each build enables on this kernel (from its
# own 'ftio: recording to' line and 'ftio info --json'), and the 1-byte
# pread loop (bench/preadloop.c) untraced and under 'ftio record' with the
# default layers of each, in interleaved rounds, the median of BENCH_RUNS.
# With BENCH_FIO=1 it also runs bench/fio.sh once per build (about 1.5 min
# each) and prints both tables.  Output: Markdown on stdout.
#
# Needs root.  Knobs: BENCH_RUNS (5), BENCH_ITERS (2000000), BENCH_FIO (0).
set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)
RUNS=${BENCH_RUNS:-5}
ITERS=${BENCH_ITERS:-2000000}
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

FTIO_TEST_LOCKED=${FTIO_TEST_LOCKED:-}
. "$SRC_DIR/tests/test-lock.sh"

say() { printf 'bench-ab: %s\n' "$*" >&2; }
usage() {
	echo "usage: bench/ab.sh OLD_FTIO NEW_FTIO" >&2
	exit 129
}
[ $# = 2 ] || usage
OLD=$(readlink -f "$1") NEW=$(readlink -f "$2")
for f in "$OLD" "$NEW"; do
	[ -x "$f" ] || { say "cannot run '$f': not an executable"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "skipped: needs root (tracefs)"; exit 0; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-ab.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
${CC:-cc} -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" || exit 1
head -c 4096 /dev/urandom >"$WORK/data"
cat "$WORK/data" >/dev/null

# what a build enables: "events syscalls uprobes" from a short recording
enables() {	# enables FTIO
	local line ev up sc pid i

	"$1" record -o "$WORK/e.dat" -- sleep 1.5 2>"$WORK/e.err" >/dev/null &
	pid=$!
	# the syscalls whose enter event is enabled in its instance, counted live
	sc=
	for i in $(seq 50); do
		sleep 0.1
		set -- "$TRACEFS"/instances/ftio_$pid/events/syscalls/sys_enter_*/enable
		[ -e "$1" ] || continue
		sc=$(cat "$@" 2>/dev/null | grep -c '^1')
		[ "$sc" -gt 0 ] && break
	done
	wait $pid
	line=$(grep -m1 "recording to" "$WORK/e.err")
	ev=$(sed -n 's/.* events=\([0-9]*\).*/\1/p' <<<"$line")
	up=$(sed -n 's/.*uprobes(\([0-9]*\) .*/\1/p' <<<"$line")
	rm -f "$WORK/e.dat"
	echo "${ev:-?} ${sc:-?} ${up:-?}"
}

one() {	# one FTIO|untraced: ns per call
	if [ "$1" = untraced ]; then
		"$WORK/preadloop" "$ITERS" "$WORK/data" >"$WORK/out" 2>"$WORK/err"
	else
		"$1" record -q -o "$WORK/r.dat" -- "$WORK/preadloop" "$ITERS" "$WORK/data" \
			>"$WORK/out" 2>"$WORK/err"
	fi || { say "$1: $(head -1 "$WORK/err")"; return; }
	rm -f "$WORK/r.dat"
	awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { v = $1 } END { if (v != "") print v }' "$WORK/out"
}

read -r EV_OLD SC_OLD UP_OLD <<<"$(enables "$OLD")"
read -r EV_NEW SC_NEW UP_NEW <<<"$(enables "$NEW")"

declare -A NS
for r in $(seq "$RUNS"); do
	for v in untraced old new; do
		case $v in old) b=$OLD ;; new) b=$NEW ;; *) b=untraced ;; esac
		x=$(one "$b")
		[ -n "$x" ] && NS[$v]="${NS[$v]:-} $x"
	done
	say "round $r: untraced $(echo ${NS[untraced]:-?} | awk '{ print $NF }') old $(echo ${NS[old]:-?} | awk '{ print $NF }') new $(echo ${NS[new]:-?} | awk '{ print $NF }')"
done

base=$(median ${NS[untraced]:-})
{
	printf 'build\tevents\tsyscall enter events\tuprobes\tns per call (median of %s)\tto untraced\n' "$RUNS"
	printf 'untraced\t-\t-\t-\t%s\tx1.00\n' "${base:-failed}"
	for v in old new; do
		m=$(median ${NS[$v]:-})
		if [ $v = old ]; then f=$OLD e=$EV_OLD s=$SC_OLD u=$UP_OLD; else f=$NEW e=$EV_NEW s=$SC_NEW u=$UP_NEW; fi
		ratio=
		[ -n "$m" ] && [ -n "$base" ] && ratio=$(awk -v a="$m" -v b="$base" 'BEGIN { printf "x%.2f", a / b }')
		printf '%s (%s)\t%s\t%s\t%s\t%s\t%s\n' "$v" "$f" "$e" "$s" "$u" "${m:-failed}" "$ratio"
	done
} >"$WORK/table.tsv"
echo "Pread loop ($ITERS 1-byte preads of a cached file) under two builds, $(uname -r):"
echo
format_table "$WORK/table.tsv"

if [ "${BENCH_FIO:-0}" = 1 ]; then
	for v in old new; do
		[ $v = old ] && f=$OLD || f=$NEW
		echo
		echo "fio under the $v build ($f):"
		FTIO=$f FTIO_TEST_LOCKED=1 bash "$BENCH_DIR/fio.sh"
	done
fi
