#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real I/O under the recorders: two fio jobs on an ext4 over a loop device
# (direct I/O to its backing file, so reads reach the disk), each run
# untraced, under 'ftio record' (default layers, and -e syscalls) and under
# 'perf record' of the tracepoints that fired in ftio's default-layers
# recording of the same job (its uprobes aside).  Prints one table, IOPS
# and bandwidth with the ratio to untraced, on stdout: bench/run.sh appends
# it to bench/results.txt.
#
# Jobs: 4 KiB random reads with O_DIRECT (psync: one pread64 per I/O), and
# 4 KiB buffered sequential writes (one write per I/O, fsync at the end).
# Rounds interleave the variants; each figure is the median of the rounds.
#
# Needs root and fio (best effort: skipped with the reason without them).
# Knobs: BENCH_FIO_RUNS (2), BENCH_FIO_SECONDS (4, per run), BENCH_FIO_SIZE
# (256, MiB per job file), FTIO (the ftio to run), TMPDIR.

set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
FTIO=${FTIO:-${FTIO_BUILD_DIR:-$BENCH_DIR/..}/ftio}
RUNS=${BENCH_FIO_RUNS:-2}
SECS=${BENCH_FIO_SECONDS:-4}
SIZE=${BENCH_FIO_SIZE:-256}
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"

say() { printf 'bench fio: %s\n' "$*" >&2; }
skip() {
	say "skipped: $*"
	printf '\nfio jobs: skipped: %s\n' "$*"
	exit 0
}

test "$(id -u)" = 0 || skip "needs root (loop device, tracefs)"
command -v fio >/dev/null || skip "fio is not installed (apt-get install fio; contrib/deps.sh tries)"
test -d "$TRACEFS/instances" || skip "tracefs is not mounted at $TRACEFS"
test -x "$FTIO" || skip "cannot find '$FTIO' (run make, or set FTIO)"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 is not installed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench-fio.XXXXXX") || exit 1
MNT=$WORK/mnt
LOOPDEV=
FTIO_PIDS=()
LEAKS=()

cleanup() {
	local p

	mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"
	test -n "$LOOPDEV" && losetup -d "$LOOPDEV" 2>/dev/null
	# an ftio that exited must have removed ftio_<pid>: report and clean, ours only
	for p in "${FTIO_PIDS[@]}"; do
		test -d "$TRACEFS/instances/ftio_$p" || continue
		LEAKS+=("ftio (pid $p) left instance ftio_$p")
		forget_ftio "$p"
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- the filesystem ----------------------------------------------------------
truncate -s $((SIZE * 2 + 128))M "$WORK/disk.img" || exit 1
# --direct-io: the loop device reads its file with O_DIRECT, past the page cache
LOOPDEV=$(losetup -f --show --direct-io=on "$WORK/disk.img" 2>/dev/null) ||
	LOOPDEV=$(losetup -f --show "$WORK/disk.img") || skip "cannot attach a loop device"
DIO=$(cat "/sys/block/${LOOPDEV#/dev/}/loop/dio" 2>/dev/null || echo '?')
mkfs.ext4 -q -F "$LOOPDEV" >/dev/null 2>&1 || skip "mkfs.ext4 on $LOOPDEV failed"
mkdir -p "$MNT" && mount -t ext4 "$LOOPDEV" "$MNT" || skip "cannot mount $LOOPDEV"
# lay the read file out once, so that every run reads the same blocks
fio --name=layout --filename="$MNT/rr" --size=${SIZE}M --rw=write --bs=1M \
	--end_fsync=1 --minimal >/dev/null 2>&1 || skip "fio cannot write '$MNT/rr'"

# job NAME: fio's arguments for that job
job() {
	case $1 in
	randread) echo "--name=randread --filename=$MNT/rr --size=${SIZE}M --rw=randread --bs=4k
		--direct=1 --ioengine=psync --time_based --runtime=$SECS --minimal" ;;
	seqwrite) echo "--name=seqwrite --filename=$MNT/sw --size=${SIZE}M --rw=write --bs=4k
		--ioengine=psync --end_fsync=1 --time_based --runtime=$SECS --minimal" ;;
	esac
}

# --minimal (terse v3): field 7 read KiB/s, 8 read IOPS; 48 write KiB/s, 49 write IOPS
terse() {	# terse FILE: "IOPS KiB/s" of the last job line
	awk -F';' 'NF > 50 { if ($8 > 0) r = $8 " " $7; else r = $49 " " $48 } END { print r }' "$1"
}

declare -A IOPS BW EVENTS LOST BPE FAIL
add() {	# add KEY ARRAY VALUE
	local -n a=$2

	a[$1]="${a[$1]:+${a[$1]} }$3"
}

json_num() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -n1 | cut -d: -f2; }

# tracepoints that fired in a recording, as perf names them (system:event)
PERF_EVENTS_OF=()
events_of() {	# events_of FILE
	local name d

	PERF_EVENTS_OF=()
	for name in $("$FTIO" replay -i "$1" 2>/dev/null |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /:$/) { sub(/:$/, "", $i); print $i; break } }' |
		sort -u); do
		for d in "$TRACEFS"/events/*/"$name"; do
			test -d "$d" || continue
			d=${d%/*}
			case ${d##*/} in ftio_*) continue ;; esac
			PERF_EVENTS_OF+=(-e "${d##*/}:$name")
		done
	done
}
declare -A PERF_ARGS

run() {	# run JOB VARIANT
	local j=$1 v=$2 out=$WORK/$1.$2.out err=$WORK/$1.$2.err dat=$WORK/$1.$2.dat rc r json ev lost
	local -a args

	read -ra args <<<"$(job "$j" | tr -s "\n\t" "  ")"
	sync
	case $v in
	untraced) fio "${args[@]}" >"$out" 2>"$err" ;;
	ftio-syscalls | ftio-default)
		sh -c 'echo $$ >"$0"; exec "$@"' "$WORK/pid" "$FTIO" record -q -o "$dat" \
			$(test "$v" = ftio-syscalls && echo "-e syscalls") -- fio "${args[@]}" >"$out" 2>"$err"
		;;
	perf)
		if test -z "${PERF_ARGS[$j]:-}"; then
			FAIL[$j.$v]="no ftio default-layers recording to take the tracepoints from"
			return
		fi
		# shellcheck disable=SC2086 # one word per argument
		perf record -o "$dat" ${PERF_ARGS[$j]} -- fio "${args[@]}" >"$out" 2>"$err"
		;;
	esac
	rc=$?
	case $v in ftio-*) FTIO_PIDS+=("$(cat "$WORK/pid")") ;; esac
	r=$(terse "$out")
	if test $rc != 0 || test -z "$r"; then
		FAIL[$j.$v]="exit $rc: $(grep -m1 . "$err" | cut -c1-120)"
		return
	fi
	add "$j.$v" IOPS "${r% *}"
	add "$j.$v" BW "${r#* }"
	case $v in
	ftio-*)
		json=$("$FTIO" info -i "$dat" --json 2>/dev/null)
		ev=$(json_num events "$json") lost=$(json_num lost_events "$json")
		if test -n "$ev" && test "$ev" -gt 0; then
			add "$j.$v" EVENTS "$ev"
			add "$j.$v" LOST "${lost:-0}"
			add "$j.$v" BPE "$(awk -v s="$(stat -c %s "$dat")" -v e="$ev" 'BEGIN { printf "%.2f", s / e }')"
		fi
		if test "$v" = ftio-default && test -z "${PERF_ARGS[$j]:-}"; then
			events_of "$dat"
			PERF_ARGS[$j]="${PERF_EVENTS_OF[*]}"
		fi
		;;
	perf)
		# "[ perf record: Captured and wrote 383.786 MB p.data (3991426 samples) ]"
		ev=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$err" | tail -n1)
		test -n "$ev" || ev=0
		lost=$(perf script -i "$dat" --show-lost-events -F event 2>/dev/null |
			awk '/PERF_RECORD_LOST/ { s += $NF } END { print s + 0 }')
		add "$j.$v" EVENTS "$ev"
		add "$j.$v" LOST "$lost"
		test "$ev" -gt 0 && add "$j.$v" BPE "$(awk -v s="$(stat -c %s "$dat")" -v e="$ev" 'BEGIN { printf "%.2f", s / e }')"
		;;
	esac
	rm -f "$dat" "$MNT/sw"
}

VARIANTS="untraced ftio-default ftio-syscalls perf"
command -v perf >/dev/null || { VARIANTS="untraced ftio-default ftio-syscalls"; NOPERF=1; }
T0=$EPOCHREALTIME
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$RUNS"); do
	for j in randread seqwrite; do
		say "round $r/$RUNS: $j"
		for v in $VARIANTS; do
			run "$j" "$v"
		done
	done
done
ELAPSED=$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

label() {
	case $1 in
	untraced) echo "untraced" ;;
	ftio-default) echo "ftio record (default layers)" ;;
	ftio-syscalls) echo "ftio record -e syscalls" ;;
	perf) echo "perf record (same tracepoints)" ;;
	esac
}

{
	printf 'job\tvariant\tIOPS\tMiB/s\tvs untraced\tevents\tlost\tbytes/event\n'
	for j in randread seqwrite; do
		# shellcheck disable=SC2086
		u=$(median ${IOPS[$j.untraced]:-})
		for v in untraced ftio-default ftio-syscalls perf; do
			test "$v" = perf && test -n "${NOPERF:-}" &&
				{ printf '%s\t%s\tnot installed\t-\t-\t-\t-\t-\n' "$j" "$(label $v)"; continue; }
			if test -z "${IOPS[$j.$v]:-}"; then
				printf '%s\t%s\tfails: %s\t-\t-\t-\t-\t-\n' "$j" "$(label $v)" "${FAIL[$j.$v]:-no result}"
				continue
			fi
			# shellcheck disable=SC2086
			i=$(median ${IOPS[$j.$v]}) b=$(median ${BW[$j.$v]})
			printf '%s\t%s\t%.0f\t%.1f\t%s\t%s\t%s\t%s\n' "$j" "$(label $v)" "$i" \
				"$(awk -v b="$b" 'BEGIN { print b / 1024 }')" \
				"$(test -n "$u" && awk -v i="$i" -v u="$u" 'BEGIN { printf "x%.2f", i / u }' || echo -)" \
				"$(test -n "${EVENTS[$j.$v]:-}" && median ${EVENTS[$j.$v]} | awk '{ printf "%.0f", $1 }' || echo -)" \
				"$(test -n "${LOST[$j.$v]:-}" && median ${LOST[$j.$v]} | awk '{ printf "%.0f", $1 }' || echo -)" \
				"$(test -n "${BPE[$j.$v]:-}" && median ${BPE[$j.$v]} | awk '{ printf "%.2f", $1 }' || echo -)"
		done
	done
} >"$WORK/table.tsv"

echo
echo "fio jobs ($RUNS interleaved runs per figure, ${SECS}s each, $ELAPSED s in all; $(fio --version))"
format_table "$WORK/table.tsv" 2
echo "randread: fio --rw=randread --bs=4k --direct=1 --ioengine=psync on a ${SIZE} MiB file; seqwrite:"
echo "  --rw=write --bs=4k --ioengine=psync (buffered), --end_fsync=1; both --time_based --runtime=$SECS."
echo "  ext4 on $LOOPDEV (loop dio=$DIO) over a file in ${TMPDIR:-/tmp}; the write file is removed after each run."
echo "perf: the tracepoints that fired in ftio's first default-layers recording of the job:"
for j in randread seqwrite; do
	test -n "${PERF_ARGS[$j]:-}" || { echo "  $j: none"; continue; }
	echo "  $j: $(echo "${PERF_ARGS[$j]}" | sed 's/-e //g' | wc -w) tracepoints" \
		"($(echo "${PERF_ARGS[$j]:-}" | sed 's/-e //g' | tr ' ' '\n' | cut -d: -f1 | sort | uniq -c |
			awk '{ printf "%s%s %s", (n++ ? ", " : ""), $1, $2 }'))"
done
echo "  ftio's events include its unfiltered async instance (block requests of every device, the"
echo "  loop's backing disk too); perf's follow fio's tasks, so more of ftio's events are not fio's."
echo "events/lost: ftio info --json (events, lost_events); perf record's sample count and the sum of its
  PERF_RECORD_LOST records.  bytes/event: the file's size / events."
echo "load: $LOAD0 at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1, 5, 15 min)."
if test ${#LEAKS[@]} -gt 0; then
	echo "leaks (removed):"
	printf '  %s\n' "${LEAKS[@]}"
fi
exit 0
