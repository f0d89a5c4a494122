#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ftio's benchmark: a 1-byte pread() loop on a page-cached file, run side by
# side untraced, on the kernel-only floor (two events enabled in an instance
# nobody reads), under ftio, perf, strace and trace-cmd.  Rounds interleave
# the variants so that drift on a shared VM hits them all alike; every figure
# is the median of BENCH_RUNS runs of this one invocation.  Prints one table
# and writes it, with a description of the machine, to bench/results.txt.
#
# Needs root.  Leaves nothing behind: its own tracefs instances are removed
# by the EXIT trap, and every file lives in one temporary directory.
#
# Then bench/fio.sh (real I/O: fio jobs on a loop-device ext4, untraced,
# under ftio and under perf; about 1.5 min, skipped without fio) and, with
# FTIO_BENCH_LONG=1, bench/sweep.sh (a minute of the pread loop at full
# speed: events/s, lost events, bytes/event) add their sections.
#
# Knobs: BENCH_RUNS (5), BENCH_ITERS (2000000), BENCH_STRACE_ITERS (20000),
# BENCH_RESULTS (bench/results.txt), FTIO_BUILD_DIR (where ftio was built),
# BENCH_FIO=0 (no fio section), FTIO_BENCH_LONG=1 (the long sweep); fio.sh
# and sweep.sh list their own.

set -u
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${FTIO_BUILD_DIR:-$SRC_DIR}
FTIO=$BUILD_DIR/ftio
RUNS=${BENCH_RUNS:-5}
ITERS=${BENCH_ITERS:-2000000}
STRACE_ITERS=${BENCH_STRACE_ITERS:-20000}
RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results.txt}
TRACEFS=/sys/kernel/tracing
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
TIME=/usr/bin/time

say() { printf 'bench: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	cat >&2 <<-EOF
	bench: skipped: ftio, perf's tracepoints and the kernel-only floor need root
	bench: (tracefs instances and syscall tracepoints).  Nothing was measured:
	bench: not the untraced loop, floor, ftio, perf, strace or trace-cmd rows,
	bench: nor recording size, recorder CPU, lost events or report speed.
	bench: run 'sudo make bench' to measure; $RESULTS was left unchanged.
	EOF
	exit 0
fi
if [ ! -d "$TRACEFS/instances" ]; then
	say "skipped: tracefs is not mounted at $TRACEFS"
	exit 0
fi
if [ ! -x "$FTIO" ]; then
	say "cannot find '$FTIO': run 'make' first (or set FTIO_BUILD_DIR)"
	exit 1
fi
if [ ! -x "$TIME" ]; then
	say "cannot find '$TIME' (Debian package 'time'): needed for CPU and peak RSS"
	exit 1
fi
have() { command -v "$1" >/dev/null 2>&1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftio-bench.XXXXXX") || exit 1
FLOOR_INST=$TRACEFS/instances/ftiobench_$$
TC_INST_NAME=ftiobench_tc_$$
TC_INST=$TRACEFS/instances/$TC_INST_NAME
TC_CREATED=0
FTIO_PIDS=()
LEAKS=()

instance_remove() {
	local d=$1

	[ -d "$d" ] || return 0
	echo 0 >"$d/tracing_on" 2>/dev/null
	echo 0 >"$d/events/enable" 2>/dev/null
	rmdir "$d" 2>/dev/null || say "cannot remove tracefs instance '$d'"
}

# An ftio that exited should have removed ftio_<pid> and its uprobe group.
# What it left is a failure to report, and ours to clean: by pid, never
# anybody else's.
ftio_check_leak() {
	local pid=$1 ev

	if [ -d "$TRACEFS/instances/ftio_$pid" ]; then
		LEAKS+=("ftio (pid $pid) left tracefs instance ftio_$pid behind")
		instance_remove "$TRACEFS/instances/ftio_$pid"
	fi
	for f in uprobe_events kprobe_events; do
		[ -r "$TRACEFS/$f" ] || continue
		grep -q "^[pr][0-9]*:ftio_$pid/" "$TRACEFS/$f" || continue
		LEAKS+=("ftio (pid $pid) left $f of group ftio_$pid behind")
		for ev in $(sed -n "s,^[pr][0-9]*:\(ftio_$pid/[^ ]*\) .*,\1,p" "$TRACEFS/$f"); do
			echo "-:$ev" >>"$TRACEFS/$f" 2>/dev/null
		done
	done
}

cleanup() {
	instance_remove "$FLOOR_INST"
	[ "$TC_CREATED" = 1 ] && instance_remove "$TC_INST"
	for p in "${FTIO_PIDS[@]}"; do
		ftio_check_leak "$p"
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# min-max of the numbers given (empty when none)
range() {
	[ $# -gt 0 ] || return 0
	printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f-%.0f", lo, hi }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# first value of "key":number in a JSON text (ftio info's top level comes first)
json_num() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -n1 | cut -d: -f2; }
# the first line of a failed command's stderr, for the table
first_err() {
	awk 'NF { sub(/^[ \t]+/, ""); s = s (n++ ? " / " : "") $0 } n == 2 { exit }
	     END { print substr(s, 1, 140) }' "$1" 2>/dev/null
}
now() { echo "$EPOCHREALTIME"; }

# A private copy: others may rebuild or 'make clean' the tree meanwhile
if ! cp "$FTIO" "$WORK/ftio"; then
	say "cannot copy '$FTIO' to '$WORK'"
	exit 1
fi
FTIO_BUILT=$FTIO
FTIO=$WORK/ftio
GIT_REV=$(git -C "$SRC_DIR" rev-parse --short HEAD 2>/dev/null)
[ -n "$(git -C "$SRC_DIR" status --porcelain -- src plugins include 2>/dev/null)" ] && GIT_REV="$GIT_REV+dirty"

# ---- build the workload ----------------------------------------------------
CC=${CC:-cc}
if ! $CC -O2 -Wall -o "$WORK/preadloop" "$BENCH_DIR/preadloop.c" 2>"$WORK/cc.err"; then
	say "cannot build bench/preadloop.c:"
	cat "$WORK/cc.err" >&2
	exit 1
fi
LOOP=$WORK/preadloop
DATA=$WORK/data
head -c 4096 /dev/urandom >"$DATA"
"$LOOP" 1000 "$DATA" >/dev/null	# page cache and binary warm

# ---- the machine -----------------------------------------------------------
OTHER_INSTANCES=$(ls "$TRACEFS/instances" 2>/dev/null | tr '\n' ' ')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
DATE_START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
describe_machine() {
	echo "date:     $DATE_START"
	echo "kernel:   $(uname -r) ($(uname -m))"
	echo "cpu:      $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), nproc $(nproc)"
	echo "load:     $LOAD_START at start (1, 5, 15 min)"
	echo "memory:   $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "ftio:     $("$FTIO" --version 2>&1 | head -n1) (git $GIT_REV; $FTIO_BUILT copied at start)"
	echo "perf:     $(have perf && perf --version 2>&1 | head -n1 || echo 'not installed')"
	echo "strace:   $(have strace && strace -V 2>&1 | head -n1 || echo 'not installed')"
	echo "trace-cmd: $(have trace-cmd && trace-cmd --version 2>&1 | grep -m1 version || echo 'not installed')"
	echo "workload: 1-byte pread of a page-cached 4 KiB file, $ITERS calls (strace: $STRACE_ITERS)," \
	     "2 events per call; median of $RUNS interleaved runs"
	[ -n "$OTHER_INSTANCES" ] &&
		echo "note:     tracefs instances present at start (other users'): $OTHER_INSTANCES"
}

# ---- the variants ----------------------------------------------------------
declare -a NS_UNTRACED NS_FLOOR NS_FTIO NS_FTIOD NS_PERF NS_STRACE NS_TC
for P in FTIO FTIOD; do
	for a in BPE BPE_STORED CPU RSS LOST LOSTPCT INBAND EVENTS; do
		declare -a "${P}_$a=()"
	done
done
declare -a PERF_BPE PERF_CPU PERF_RSS PERF_LOST PERF_LOSTPCT PERF_EVENTS
declare -a REP_FTIO_S REP_FTIO_RSS REP_PERF_S REP_PERF_RSS REP_FLOOR_S REP_REPLAY_S REP_REPLAY_RSS
FAIL_FLOOR="" FAIL_FTIO="" FAIL_FTIOD="" FAIL_PERF="" FAIL_STRACE="" FAIL_TC="" FAIL_REP_FTIO="" FAIL_REP_PERF=""
FAIL_REP_FLOOR="" FAIL_REP_REPLAY=""
NFAIL_FTIO=0 NFAIL_FTIOD=0 NFAIL_PERF=0
FTIO_KEEP="" FTIOD_KEEP="" PERF_KEEP=""
FAILURES=()

fail() {	# fail <variable> <message>: remember the first, list them all
	local var=$1 msg=$2

	[ -z "${!var}" ] && printf -v "$var" '%s' "$msg"
	FAILURES+=("$msg")
}

# the ns/call a run printed: the first number of its last "N N N N" line
loop_ns() { awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { v = $1 } END { if (v != "") print v }' "$1"; }
loop_cpu() { awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { v = $2 + $3 } END { if (v != "") print v }' "$1"; }

run_untraced() {
	local r=$1 ns

	"$LOOP" "$ITERS" "$DATA" >"$WORK/u.out" 2>&1
	ns=$(loop_ns "$WORK/u.out")
	[ -n "$ns" ] && NS_UNTRACED+=("$ns")
}

run_floor() {
	local ns ev

	if ! mkdir "$FLOOR_INST" 2>"$WORK/floor.err"; then
		fail FAIL_FLOOR "floor: mkdir $FLOOR_INST: $(first_err "$WORK/floor.err")"
		return
	fi
	for ev in sys_enter_pread64 sys_exit_pread64; do
		if ! echo 1 >"$FLOOR_INST/events/syscalls/$ev/enable" 2>"$WORK/floor.err"; then
			fail FAIL_FLOOR "floor: enable syscalls/$ev: $(first_err "$WORK/floor.err")"
			instance_remove "$FLOOR_INST"
			return
		fi
	done
	echo 1 >"$FLOOR_INST/tracing_on"
	"$LOOP" "$ITERS" "$DATA" >"$WORK/f.out" 2>&1
	instance_remove "$FLOOR_INST"
	ns=$(loop_ns "$WORK/f.out")
	[ -n "$ns" ] && NS_FLOOR+=("$ns")
}

# run_ftio <P> <run> [<ftio record options>...]: results go to the arrays
# NS_<P> and <P>_*; FTIO is -e syscalls, FTIOD the default layers (uprobes too)
run_ftio() {
	local P=$1 r=$2 dat rc pid ns json ev sb lost inband u s m cpu size
	local -n ns_a=NS_$P ev_a=${P}_EVENTS bpe_a=${P}_BPE bpes_a=${P}_BPE_STORED \
		lost_a=${P}_LOST lostp_a=${P}_LOSTPCT inband_a=${P}_INBAND cpu_a=${P}_CPU \
		rss_a=${P}_RSS nfail=NFAIL_$P keep=${P}_KEEP

	shift 2
	dat=$WORK/$P.$r.dat
	# sh execs ftio under time: the pid written is ftio's, to check for leaks
	$TIME -f '%U %S %M' -o "$WORK/ftio.time" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$WORK/ftio.pid" \
		"$FTIO" record "$@" -q -o "$dat" -- "$LOOP" "$ITERS" "$DATA" \
		>"$WORK/ftio.out" 2>"$WORK/ftio.err"
	rc=$?
	pid=$(cat "$WORK/ftio.pid" 2>/dev/null)
	[ -n "$pid" ] && FTIO_PIDS+=("$pid") && ftio_check_leak "$pid"
	ns=$(loop_ns "$WORK/ftio.out")
	if [ $rc -ne 0 ] || [ -z "$ns" ]; then
		nfail=$((nfail + 1))
		fail "FAIL_$P" "ftio record ${*:+$* }-q -o FILE -- preadloop $ITERS FILE: exit $rc: $(first_err "$WORK/ftio.err")"
		rm -f "$dat"
		return
	fi
	ns_a+=("$ns")
	if ! json=$("$FTIO" info -i "$dat" --json 2>"$WORK/info.err"); then
		fail "FAIL_$P" "ftio info -i FILE --json: $(first_err "$WORK/info.err")"
		rm -f "$dat"
		return
	fi
	ev=$(json_num events "$json")
	sb=$(json_num stored_bytes "$json")
	lost=$(json_num lost_events "$json")
	inband=$(json_num missed_in_band "$json")
	size=$(stat -c %s "$dat")
	if [ -z "$ev" ] || [ "$ev" -eq 0 ]; then
		fail "FAIL_$P" "ftio info -i FILE --json: no events in a recording of $ITERS calls"
		rm -f "$dat"
		return
	fi
	ev_a+=("$ev")
	bpe_a+=("$(calc '%.3f' "$size / $ev")")
	bpes_a+=("$(calc '%.3f' "${sb:-0} / $ev")")
	lost_a+=("${lost:-0}")
	lostp_a+=("$(calc '%.4f' "100 * ${lost:-0} / ($ev + ${lost:-0})")")
	inband_a+=("${inband:-0}")
	read -r u s m <"$WORK/ftio.time"
	cpu=$(loop_cpu "$WORK/ftio.out")
	cpu_a+=("$(calc '%.4f' "($u + $s - $cpu) / ($ev / 1e6)")")
	rss_a+=("$m")
	if [ -z "$keep" ]; then
		keep=$dat
	else
		rm -f "$dat"
	fi
}

run_perf() {
	local r=$1 dat=$WORK/perf.$1.data rc ns ev lost u s m cpu size

	$TIME -f '%U %S %M' -o "$WORK/perf.time" \
		perf record -e syscalls:sys_enter_pread64 -e syscalls:sys_exit_pread64 \
		-o "$dat" -- "$LOOP" "$ITERS" "$DATA" >"$WORK/perf.out" 2>"$WORK/perf.err"
	rc=$?
	ns=$(loop_ns "$WORK/perf.out")
	if [ $rc -ne 0 ] || [ -z "$ns" ]; then
		NFAIL_PERF=$((NFAIL_PERF + 1))
		fail FAIL_PERF "perf record: exit $rc: $(first_err "$WORK/perf.err")"
		rm -f "$dat"
		return
	fi
	NS_PERF+=("$ns")
	# "[ perf record: Captured and wrote 383.786 MB p.data (3991426 samples) ]"
	ev=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$WORK/perf.err" | tail -n1)
	# PERF_RECORD_LOST records carry how many records the kernel dropped
	lost=$(perf script -i "$dat" --show-lost-events -F event 2>/dev/null |
		awk '/PERF_RECORD_LOST/ { s += $NF } END { print s + 0 }')
	size=$(stat -c %s "$dat")
	if [ -n "$ev" ] && [ "$ev" -gt 0 ]; then
		PERF_EVENTS+=("$ev")
		PERF_BPE+=("$(calc '%.3f' "$size / $ev")")
		PERF_LOST+=("$lost")
		PERF_LOSTPCT+=("$(calc '%.4f' "100 * $lost / ($ev + $lost)")")
		read -r u s m <"$WORK/perf.time"
		cpu=$(loop_cpu "$WORK/perf.out")
		PERF_CPU+=("$(calc '%.4f' "($u + $s - $cpu) / ($ev / 1e6)")")
		PERF_RSS+=("$m")
	else
		fail FAIL_PERF "perf record: no sample count in its output"
	fi
	if [ -z "$PERF_KEEP" ] && [ -n "$ev" ]; then
		PERF_KEEP=$dat
	else
		rm -f "$dat"
	fi
}

run_strace() {
	local ns

	strace -f -o /dev/null "$LOOP" "$STRACE_ITERS" "$DATA" >"$WORK/s.out" 2>"$WORK/s.err"
	ns=$(loop_ns "$WORK/s.out")
	if [ -n "$ns" ]; then
		NS_STRACE+=("$ns")
	else
		fail FAIL_STRACE "strace -f: $(first_err "$WORK/s.err")"
	fi
}

# trace-cmd 3.1.6 fails on some kernels (EPERM on ftrace_enabled) and may
# leave its instance behind.  It runs in its own instance (-B) so the top
# level is never touched, and that instance is removed only if this run made it.
run_trace_cmd() {
	local rc ns

	if [ -e "$TC_INST" ]; then
		fail FAIL_TC "trace-cmd: instance $TC_INST_NAME already exists, not run"
		return
	fi
	(cd "$WORK" && timeout 120 trace-cmd record -B "$TC_INST_NAME" \
		-e syscalls:sys_enter_pread64 -e syscalls:sys_exit_pread64 \
		-o "$WORK/tc.dat" "$LOOP" "$ITERS" "$DATA") >"$WORK/tc.out" 2>"$WORK/tc.err"
	rc=$?
	if [ -e "$TC_INST" ]; then
		TC_CREATED=1
		TC_LEFT=1
		instance_remove "$TC_INST"
	fi
	ns=$(loop_ns "$WORK/tc.out")
	rm -f "$WORK"/tc.dat*
	if [ $rc -ne 0 ] || [ -z "$ns" ]; then
		fail FAIL_TC "trace-cmd record: exit $rc: $(first_err "$WORK/tc.err")"
		return
	fi
	NS_TC+=("$ns")
}

have perf || fail FAIL_PERF "perf: not installed (apt-get install linux-perf)"
have strace || fail FAIL_STRACE "strace: not installed"
have trace-cmd || fail FAIL_TC "trace-cmd: not installed"
TC_LEFT=0

# Other users' tracefs instances (a test suite running ftio, say) enable
# syscall tracepoints that put every task, ours too, on the slow path.  Wait
# a little for them to go, within a budget, and count the runs they overlap.
foreign_instances() {	# those with an event enabled: an idle one costs nothing
	local d

	for d in "$TRACEFS"/instances/*; do
		[ -d "$d" ] || continue
		case ${d##*/} in ftiobench_$$ | "$TC_INST_NAME") continue ;; esac
		grep -q . "$d/set_event" && echo "${d##*/}"
	done 2>/dev/null
}
WAIT_BUDGET=${BENCH_WAIT_BUDGET:-60}	# seconds, for the whole run
WAITED=0 OVERLAPS=0 NRUNS=0
quietly() {	# quietly <run_function> <args...>
	local before after i=0

	while [ -n "$(foreign_instances)" ] && [ "$WAITED" -lt $((WAIT_BUDGET * 2)) ] && [ $i -lt 10 ]; do
		sleep 0.5
		i=$((i + 1))
		WAITED=$((WAITED + 1))
	done
	before=$(foreign_instances)
	"$@"
	after=$(foreign_instances)
	NRUNS=$((NRUNS + 1))
	[ -n "$before$after" ] && OVERLAPS=$((OVERLAPS + 1))
}

T0=$(now)
for r in $(seq 1 "$RUNS"); do
	say "round $r/$RUNS"
	quietly run_untraced "$r"
	quietly run_floor "$r"
	quietly run_ftio FTIO "$r" -e syscalls
	quietly run_ftio FTIOD "$r"
	have perf && quietly run_perf "$r"
	have strace && quietly run_strace "$r"
	# once it failed, trace-cmd would only fail the same way again
	have trace-cmd && [ -z "$FAIL_TC" ] && quietly run_trace_cmd "$r"
done

# ---- report speed, on the first recording of each --------------------------
if [ -n "$FTIO_KEEP" ] || [ -n "$PERF_KEEP" ]; then
	say "report speed"
	for r in $(seq 1 "$RUNS"); do
		if [ -n "$FTIO_KEEP" ]; then
			t=$(now)
			if $TIME -f '%M' -o "$WORK/rep.time" "$FTIO" report -i "$FTIO_KEEP" \
				>/dev/null 2>"$WORK/rep.err"; then
				REP_FTIO_S+=("$(calc '%.4f' "$(now) - $t")")
				REP_FTIO_RSS+=("$(tail -n1 "$WORK/rep.time")")
			else
				fail FAIL_REP_FTIO "ftio report -i FILE: $(first_err "$WORK/rep.err")"
			fi
		fi
		# the decode floor (inflate, walk every event with kbuffer, nothing
		# else) and replay, on the same file as the report
		if [ -n "$FTIO_KEEP" ] && [ -x "$BUILD_DIR/bench/decode-floor" ]; then
			t=$(now)
			if "$BUILD_DIR/bench/decode-floor" "$FTIO_KEEP" >/dev/null 2>"$WORK/rep.err"; then
				REP_FLOOR_S+=("$(calc '%.4f' "$(now) - $t")")
			else
				fail FAIL_REP_FLOOR "decode-floor FILE: $(first_err "$WORK/rep.err")"
			fi
			t=$(now)
			if $TIME -f '%M' -o "$WORK/rep.time" "$FTIO" replay -i "$FTIO_KEEP" \
				>/dev/null 2>"$WORK/rep.err"; then
				REP_REPLAY_S+=("$(calc '%.4f' "$(now) - $t")")
				REP_REPLAY_RSS+=("$(tail -n1 "$WORK/rep.time")")
			else
				fail FAIL_REP_REPLAY "ftio replay -i FILE: $(first_err "$WORK/rep.err")"
			fi
		fi
		if [ -n "$PERF_KEEP" ]; then
			t=$(now)
			if $TIME -f '%M' -o "$WORK/rep.time" perf script -i "$PERF_KEEP" \
				>/dev/null 2>"$WORK/rep.err"; then
				REP_PERF_S+=("$(calc '%.4f' "$(now) - $t")")
				REP_PERF_RSS+=("$(tail -n1 "$WORK/rep.time")")
			else
				fail FAIL_REP_PERF "perf script -i FILE: $(first_err "$WORK/rep.err")"
			fi
		fi
	done
fi
ELAPSED=$(calc '%.0f' "$(now) - $T0")

# ---- the table -------------------------------------------------------------
U=$(median "${NS_UNTRACED[@]}")
F=$(median "${NS_FLOOR[@]}")

# ns/call cell and its two ratios, or the failure
ns_cells() {	# ns_cells <failure> <values...>
	local f=$1 m

	shift
	if [ $# -eq 0 ]; then
		printf 'fails: %s\t-\t-' "${f:-no result}"
		return
	fi
	m=$(median "$@")
	printf '%.0f (%s)\t' "$m" "$(range "$@")"
	[ -n "$U" ] && calc 'x%.2f' "$m / $U" || printf -- '-'
	printf '\t'
	[ -n "$F" ] && calc 'x%.2f' "$m / $F" || printf -- '-'
}
# median with a format, or "-"
cell() {	# cell <format> <values...>
	local fmt=$1

	shift
	[ $# -gt 0 ] && calc "$fmt" "$(median "$@")" || printf -- '-'
}
lost_cell() {	# lost_cell <counts> -- <percents>
	local c=() p=() in=0

	for a in "$@"; do
		[ "$a" = -- ] && in=1 && continue
		[ $in = 0 ] && c+=("$a") || p+=("$a")
	done
	[ ${#c[@]} -gt 0 ] || { printf -- '-'; return; }
	printf '%.0f (%.2f%%, max %s)' "$(median "${c[@]}")" "$(median "${p[@]}")" \
		"$(printf '%s\n' "${c[@]}" | sort -n | tail -n1)"
}
rep_cell() {	# rep_cell <events> <failure> <seconds...>
	local ev=$1 f=$2

	shift 2
	if [ $# -eq 0 ]; then
		[ -n "$f" ] && printf 'fails' || printf -- '-'
		return
	fi
	calc '%.2f' "$ev / $(median "$@") / 1e6"
}

FTIO_EV1=${FTIO_EVENTS[0]:-}
PERF_EV1=${PERF_EVENTS[0]:-}
HDR="variant	ns/call (min-max)	vs untraced	vs floor	bytes/event	rec CPU s/Mev	rec peak RSS MiB	lost events (median %, max)	report Mev/s	report peak RSS MiB"
{
	echo "$HDR"
	printf 'untraced\t%s\n' "$(ns_cells "" "${NS_UNTRACED[@]}")	-	-	-	-	-	-"
	printf 'floor: 2 events, nobody reading\t%s\n' "$(ns_cells "$FAIL_FLOOR" "${NS_FLOOR[@]}")	-	-	-	-	-	-"
	printf 'ftio record -e syscalls\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$(ns_cells "$FAIL_FTIO" "${NS_FTIO[@]}")" \
		"$(cell '%.2f' "${FTIO_BPE[@]}")" \
		"$(cell '%.3f' "${FTIO_CPU[@]}")" \
		"$(cell '%.1f' $(for m in "${FTIO_RSS[@]}"; do echo "$m" | awk '{ print $1 / 1024 }'; done))" \
		"$(lost_cell "${FTIO_LOST[@]}" -- "${FTIO_LOSTPCT[@]}")" \
		"$(rep_cell "${FTIO_EV1:-0}" "$FAIL_REP_FTIO" "${REP_FTIO_S[@]}")" \
		"$(cell '%.1f' $(for m in "${REP_FTIO_RSS[@]}"; do echo "$m" | awk '{ print $1 / 1024 }'; done))"
	printf 'ftio record (default: syscalls,paths)\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$(ns_cells "$FAIL_FTIOD" "${NS_FTIOD[@]}")" \
		"$(cell '%.2f' "${FTIOD_BPE[@]}")" \
		"$(cell '%.3f' "${FTIOD_CPU[@]}")" \
		"$(cell '%.1f' $(for m in "${FTIOD_RSS[@]}"; do echo "$m" | awk '{ print $1 / 1024 }'; done))" \
		"$(lost_cell "${FTIOD_LOST[@]}" -- "${FTIOD_LOSTPCT[@]}")" \
		- -
	printf 'perf record\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$(ns_cells "$FAIL_PERF" "${NS_PERF[@]}")" \
		"$(cell '%.2f' "${PERF_BPE[@]}")" \
		"$(cell '%.3f' "${PERF_CPU[@]}")" \
		"$(cell '%.1f' $(for m in "${PERF_RSS[@]}"; do echo "$m" | awk '{ print $1 / 1024 }'; done))" \
		"$(lost_cell "${PERF_LOST[@]}" -- "${PERF_LOSTPCT[@]}")" \
		"$(rep_cell "${PERF_EV1:-0}" "$FAIL_REP_PERF" "${REP_PERF_S[@]}")" \
		"$(cell '%.1f' $(for m in "${REP_PERF_RSS[@]}"; do echo "$m" | awk '{ print $1 / 1024 }'; done))"
	printf 'decode floor of the ftio file (inflate + kbuffer walk)\t-\t-\t-\t-\t-\t-\t-\t%s\t-\n' \
		"$(rep_cell "${FTIO_EV1:-0}" "$FAIL_REP_FLOOR" "${REP_FLOOR_S[@]}")"
	printf 'ftio replay of it\t-\t-\t-\t-\t-\t-\t-\t%s\t%s\n' \
		"$(rep_cell "${FTIO_EV1:-0}" "$FAIL_REP_REPLAY" "${REP_REPLAY_S[@]}")" \
		"$(cell '%.1f' $(for m in "${REP_REPLAY_RSS[@]}"; do echo "$m" | awk '{ print $1 / 1024 }'; done))"
	printf 'strace -f\t%s\n' "$(ns_cells "$FAIL_STRACE" "${NS_STRACE[@]}")	-	-	-	-	-	-"
	printf 'trace-cmd record\t%s\n' "$(ns_cells "$FAIL_TC" "${NS_TC[@]}")	-	-	-	-	-	-"
} >"$WORK/table.tsv"

# "min-max" of <events>[i] + <lost>[i] over the runs
sums() {
	local -n e_a=$1 l_a=$2
	local i v=()

	for i in "${!e_a[@]}"; do
		v+=($((e_a[i] + ${l_a[i]:-0})))
	done
	[ ${#v[@]} -gt 0 ] && range "${v[@]}" || printf -- '-'
}

{
	echo "ftio benchmark ($RUNS interleaved runs per figure, $ELAPSED s)"
	describe_machine
	echo
	format_table "$WORK/table.tsv"
	echo
	echo "ns/call: the loop's own clock (recorder start and stop excluded); median, min-max of the runs."
	echo "  floor: own instance, only syscalls/sys_{enter,exit}_pread64, tracing_on=1, default clock and"
	echo "  buffer, nobody reading.  ftio: -e syscalls (no uprobes), defaults otherwise.  perf: the two"
	echo "  tracepoints, default mmap size.  strace: $STRACE_ITERS calls.  trace-cmd: own instance (-B)."
	echo "bytes/event: the whole file / events recorded.  ftio's stored_bytes/event:" \
	     "$(cell '%.2f' "${FTIO_BPE_STORED[@]}")."
	echo "rec CPU: user+sys of the recorder and its child (/usr/bin/time), minus the child's own getrusage,"
	echo "  per million events recorded.  Kernel time spent writing events is the child's, so not in it."
	echo "  Peak RSS is time's %M: the larger of the recorder and the workload (about 1.5 MiB)."
	echo "lost: ftio = 'lost_events' of 'ftio info --json' (in-band missed flags:" \
	     "$(cell '%.0f' "${FTIO_INBAND[@]}")); perf = sum of 'lost N'"
	echo "  in the PERF_RECORD_LOST records ('perf script --show-lost-events').  % of recorded + lost."
	echo "accounting: events + lost per run, against 2 x calls = $((2 * ITERS)) (start-up adds a few dozen):"
	echo "  ftio -e syscalls $(sums FTIO_EVENTS FTIO_LOST); ftio default $(sums FTIOD_EVENTS FTIOD_LOST);" \
	     "perf $(sums PERF_EVENTS PERF_LOST)."
	echo "report: 'ftio report -i FILE >/dev/null' and 'perf script -i perf.data >/dev/null' on the first"
	echo "  recording of each (ftio ${FTIO_EV1:-?} events, perf ${PERF_EV1:-?}); events / median wall time."
	echo "  The decode floor (bench/decode-floor.c) inflates every chunk of the same ftio file and walks"
	echo "  every event with kbuffer, reading its timestamp only: no reader of the format can do less."
	echo "noise: $OVERLAPS of $NRUNS timed runs overlapped another user's tracefs instance with events on" \
	     "(waited $((WAITED / 2)) s of a ${WAIT_BUDGET} s budget for them to go); load at end: $(cut -d' ' -f1-3 /proc/loadavg)."
	[ "$NFAIL_FTIO" -gt 0 ] && echo "ftio record -e syscalls failed in $NFAIL_FTIO of $RUNS runs."
	[ "$NFAIL_FTIOD" -gt 0 ] && echo "ftio record (default layers) failed in $NFAIL_FTIOD of $RUNS runs."
	[ "$NFAIL_PERF" -gt 0 ] && echo "perf record failed in $NFAIL_PERF of $RUNS runs."
	[ "$TC_LEFT" = 1 ] && echo "trace-cmd left its instance $TC_INST_NAME behind; this run created it and removed it."
	if [ ${#FAILURES[@]} -gt 0 ]; then
		echo "failures:"
		printf '  %s\n' "${FAILURES[@]}" | sort -u
	fi
	if [ ${#LEAKS[@]} -gt 0 ]; then
		echo "leaks (removed):"
		printf '  %s\n' "${LEAKS[@]}"
	fi
} >"$WORK/results.txt"

# real I/O, and the long sweep on request: each prints its own section
if [ "${BENCH_FIO:-1}" != 0 ]; then
	say "fio jobs"
	FTIO=$FTIO bash "$BENCH_DIR/fio.sh" >>"$WORK/results.txt"
fi
if [ "${FTIO_BENCH_LONG:-0}" = 1 ]; then
	say "long sweep"
	FTIO=$FTIO bash "$BENCH_DIR/sweep.sh" >>"$WORK/results.txt"
fi

cp "$WORK/results.txt" "$RESULTS"
cat "$WORK/results.txt"

# ---- nothing left behind ---------------------------------------------------
cleanup
trap - EXIT
left=$(ls "$TRACEFS/instances" 2>/dev/null | grep -E "^ftiobench_(tc_)?$$\$")
ours=$(for p in "${FTIO_PIDS[@]}"; do
	[ -d "$TRACEFS/instances/ftio_$p" ] && echo "ftio_$p"
	grep -h "ftio_$p/" "$TRACEFS/uprobe_events" "$TRACEFS/kprobe_events" 2>/dev/null
done)
if [ -n "$left$ours" ]; then
	say "left behind (could not remove): $left $ours"
	exit 1
fi
say "clean: no instance or probe of this run is left" \
    "(instances now: '$(ls "$TRACEFS/instances" | tr '\n' ' ')'," \
    "ftio probes now: $(grep -c ftio "$TRACEFS/uprobe_events" 2>/dev/null))"
exit 0
