#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The transports and the counters, side by side: the 1-byte pread loop and a
# fio 4 KiB O_DIRECT random-read job on a loop-device ext4, each untraced,
# under ftio's tracefs transport, its perf transport, and each of those with
# --counters.  Rounds interleave the variants; each figure is the median of
# BENCH_RUNS runs.  Prints a table and writes it to bench/results-backends.txt.
#
# Needs root; fio is optional (its rows say why they are missing).  Leaves
# nothing behind: the loop device and mount are undone by the EXIT trap.
#
# Knobs: BENCH_RUNS (3), BENCH_ITERS (1000000), BENCH_FIO_SECONDS (5),
# BENCH_BACKENDS_RESULTS, FTIO_BUILD_DIR.

set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${FTIO_BUILD_DIR:-$SRC_DIR}
FTIO=$BUILD_DIR/ftio
RUNS=${BENCH_RUNS:-3}
ITERS=${BENCH_ITERS:-1000000}
FIO_SECONDS=${BENCH_FIO_SECONDS:-5}
RESULTS=${BENCH_BACKENDS_RESULTS:-$BENCH_DIR/results-backends.txt}
COUNTERS=task-clock,context-switches,major-faults

TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

say() { printf 'bench-backends: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	say "skipped: ftio needs root; nothing was measured, $RESULTS was left unchanged"
	exit 0
fi
if [ ! -x "$FTIO" ]; then
	say "cannot find '$FTIO': run 'make' first (or set FTIO_BUILD_DIR)"
	exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-backends.XXXXXX") || exit 1
LOOPDEV=
cleanup() {
	mountpoint -q "$WORK/mnt" 2>/dev/null && umount "$WORK/mnt"
	[ -n "$LOOPDEV" ] && losetup -d "$LOOPDEV" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! ${CC:-cc} -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" 2>"$WORK/cc.err"; then
	say "cannot build bench/preadloop.c: $(head -1 "$WORK/cc.err")"
	exit 1
fi
head -c 4096 /dev/urandom >"$WORK/data"

VARIANTS=(untraced tracefs perf tracefs+counters perf+counters)
opts_of() {
	case $1 in
	tracefs) echo "--backend tracefs" ;;
	perf) echo "--backend perf" ;;
	tracefs+counters) echo "--backend tracefs --counters $COUNTERS" ;;
	perf+counters) echo "--backend perf --counters $COUNTERS" ;;
	esac
}


# --- the pread loop ---------------------------------------------------------
declare -A LOOPNS
say "pread loop: $RUNS rounds of ${#VARIANTS[@]} variants, $ITERS calls each"
for ((run = 1; run <= RUNS; run++)); do
	for v in "${VARIANTS[@]}"; do
		if [ "$v" = untraced ]; then
			ns=$("$WORK/preadloop" "$ITERS" "$WORK/data" | awk '{ print $1 }')
		else
			# shellcheck disable=SC2046
			ns=$("$FTIO" record -q -e syscalls $(opts_of "$v") -o "$WORK/r.dat" -- \
				"$WORK/preadloop" "$ITERS" "$WORK/data" 2>"$WORK/err" | awk '{ print $1 }')
			[ -n "$ns" ] || say "$v: $(head -1 "$WORK/err")"
			rm -f "$WORK"/r.dat*
		fi
		LOOPNS[$v]+="${ns:-} "
	done
done

# --- fio --------------------------------------------------------------------
declare -A IOPS
FIO_NOTE=
if ! command -v fio >/dev/null; then
	FIO_NOTE="fio rows missing: fio is not installed (apt-get install fio)"
elif ! command -v mkfs.ext4 >/dev/null || ! LOOPDEV=$(truncate -s 512M "$WORK/disk.img" &&
	losetup -f --show "$WORK/disk.img" 2>/dev/null); then
	FIO_NOTE="fio rows missing: no loop device or mkfs.ext4"
	LOOPDEV=
else
	mkfs.ext4 -q "$LOOPDEV" && mkdir -p "$WORK/mnt" && mount "$LOOPDEV" "$WORK/mnt" &&
		dd if=/dev/urandom of="$WORK/mnt/file" bs=1M count=256 status=none && sync
	say "fio: $RUNS rounds of ${#VARIANTS[@]} variants, ${FIO_SECONDS}s of 4k O_DIRECT random reads"
	for ((run = 1; run <= RUNS; run++)); do
		for v in "${VARIANTS[@]}"; do
			fio_cmd=(fio --name=randread --filename="$WORK/mnt/file" --rw=randread --bs=4k
				 --direct=1 --ioengine=psync --iodepth=1 --runtime="$FIO_SECONDS"
				 --time_based --output-format=json --output="$WORK/fio.json")
			if [ "$v" = untraced ]; then
				"${fio_cmd[@]}" >/dev/null 2>"$WORK/err"
			else
				# shellcheck disable=SC2046
				"$FTIO" record -q -p "$WORK/mnt" $(opts_of "$v") -o "$WORK/f.dat" -- \
					"${fio_cmd[@]}" >/dev/null 2>"$WORK/err"
			fi
			iops=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["jobs"][0]["read"]["iops"]))' \
				"$WORK/fio.json" 2>/dev/null)
			[ -n "$iops" ] || say "fio $v: $(head -1 "$WORK/err")"
			IOPS[$v]+="${iops:-} "
			rm -f "$WORK"/f.dat* "$WORK/fio.json"
		done
	done
fi

# --- table ------------------------------------------------------------------
{
	echo "ftio transports and --counters ($(date -u +%Y-%m-%d), $(uname -r), $(nproc) CPUs;"
	echo "medians of $RUNS interleaved runs; command: make bench, or bash bench/backends.sh)"
	echo
	# shellcheck disable=SC2086
	{
		printf 'VARIANT\tPREAD NS\tRATIO\tFIO IOPS\tRATIO\n'
		base_ns=$(median ${LOOPNS[untraced]})
		base_io=$(median ${IOPS[untraced]:-})
		for v in "${VARIANTS[@]}"; do
			ns=$(median ${LOOPNS[$v]}) io=$(median ${IOPS[$v]:-})
			printf '%s\t%s\t%s\t%s\t%s\n' "$v" "${ns:--}" \
				"$(awk -v a="$ns" -v b="$base_ns" 'BEGIN { if (a != "" && b > 0) printf "x%.2f", a / b; else print "-" }')" \
				"${io:--}" \
				"$(awk -v a="$io" -v b="$base_io" 'BEGIN { if (a > 0 && b != "") printf "x%.2f", b / a; else print "-" }')"
		done
	} >"$WORK/table.tsv"
	format_table "$WORK/table.tsv"
	echo
	echo "PREAD NS: ns per 1-byte pread (-e syscalls: 2 events a call); RATIO: to untraced."
	echo "FIO IOPS: fio randread 4k O_DIRECT psync on a loop-device ext4 (-p on it, default"
	echo "layers); RATIO: untraced IOPS over traced IOPS (time per I/O)."
	echo "+counters: --counters $COUNTERS."
	[ -n "$FIO_NOTE" ] && echo "$FIO_NOTE"
} | tee "$RESULTS"
