#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest (Debian's 6.1 kernel), never on the host: takes
# tracefs away from under a running 'ftio record' and leaves, in OUT, what
# ftio did about it for the host-side test (t7300) to check.  Two ways:
#   lazy:   umount -l /sys/kernel/tracing (ftio's open per-CPU fds keep the
#           kernel's tracefs alive, but every path ftio knows is gone);
#   rmdir:  rmdir of ftio's instance while it records (the kernel refuses:
#           EBUSY while a reader holds trace_pipe_raw);
#   rotate, flight: the lazy unmount under --max-size rotation and under
#           the flight recorder, whose files are written after it.
# A watchdog sends SIGTERM, then SIGKILL, to an ftio that outlives its
# workload by far: "watchdog" in CASE.result means ftio hung.  What is in
# tracefs once it is mounted again is kept before and after 'ftio reset'.
set -u
out=${1:-/out}
FTIO=/usr/bin/ftio
T=/sys/kernel/tracing
cd /tmp || exit 1

# the workload: opens and reads for $1 seconds
# busy_until FILE SECONDS: busy until FILE exists, SECONDS at most (a fixed
# time made 256K files or not depending on the host's load under TCG)
busy_until() {
	echo "end=\$((\$(date +%s) + $2)); while [ \$(date +%s) -lt \$end ] && [ ! -e $1 ]; do cat /etc/hostname >/dev/null; done"
}

busy() {
	busy_until /nonexistent "$1"
}

# files MODE: how many files the rotating recording has
files() {
	n=0
	for f in /tmp/$1.dat.*; do test -e "$f" && n=$((n + 1)); done
	echo $n
}

# started CASE PID: wait until the recording has events on disk
started() {
	i=0
	while [ $i -lt 300 ]; do
		$FTIO info -i "/tmp/$1.dat" 2>/dev/null | grep -q "^events: *[1-9]" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# finish CASE PID: wait for ftio under a watchdog, write CASE.result
finish() {
	( sleep 90; kill -TERM "$2" 2>/dev/null && echo term >"/tmp/$1.watchdog";
	  sleep 20; kill -KILL "$2" 2>/dev/null && echo kill >>"/tmp/$1.watchdog" ) &
	wd=$!
	wait "$2"
	rc=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	{
		echo "exit $rc"
		test -e "/tmp/$1.watchdog" && echo "watchdog $(tr '\n' ' ' <"/tmp/$1.watchdog")"
	} >"$out/$1.result"
	cat "$out/$1.result"
}

# decode CASE: info, report and replay of what was recorded, with exit codes
decode() {
	cp "/tmp/$1.dat" "$out/$1.dat" 2>/dev/null
	for cmd in info report replay; do
		$FTIO $cmd -i "/tmp/$1.dat" >"$out/$1.$cmd.out" 2>"$out/$1.$cmd.err"
		echo "$cmd $?" >>"$out/$1.decode"
	done
	$FTIO report --json -i "/tmp/$1.dat" >"$out/$1.report.json" 2>/dev/null
}

echo "kernel $(uname -r)"

# --- lazy unmount -------------------------------------------------------------
$FTIO record -o /tmp/lazy.dat -- sh -c "$(busy 8)" >"$out/lazy.stdout" 2>"$out/lazy.stderr" &
pid=$!
echo "$pid" >"$out/lazy.pid"
if started lazy $pid; then
	umount -l $T && echo "umounted" >"$out/lazy.umount" || echo "umount failed: $?" >"$out/lazy.umount"
else
	echo "ftio never got events on disk" >"$out/lazy.umount"
fi
finish lazy $pid
decode lazy
# what it left: mount tracefs again and look
mount -t tracefs tracefs $T || echo "cannot mount tracefs again" >"$out/remount"
ls $T/instances >"$out/lazy.instances.before-reset"
grep -h ftio $T/uprobe_events $T/kprobe_events >"$out/lazy.dynevents.before-reset" 2>/dev/null
$FTIO reset >"$out/lazy.reset.out" 2>&1
echo "reset $?" >>"$out/lazy.reset.out"
ls $T/instances >"$out/lazy.instances.after-reset"
grep -h ftio $T/uprobe_events $T/kprobe_events >"$out/lazy.dynevents.after-reset" 2>/dev/null

# --- rmdir of the instance ------------------------------------------------------
$FTIO record -o /tmp/rmdir.dat -- sh -c "$(busy 6)" >"$out/rmdir.stdout" 2>"$out/rmdir.stderr" &
pid=$!
echo "$pid" >"$out/rmdir.pid"
if started rmdir $pid; then
	rmdir "$T/instances/ftio_$pid" >"$out/rmdir.rmdir" 2>&1
	echo "rmdir $?" >>"$out/rmdir.rmdir"
else
	echo "ftio never got events on disk" >"$out/rmdir.rmdir"
fi
finish rmdir $pid
decode rmdir
ls $T/instances >"$out/rmdir.instances"
grep -h ftio $T/uprobe_events $T/kprobe_events >"$out/rmdir.dynevents" 2>/dev/null
# --- lazy unmount under rotation and under the flight recorder ----------------
for mode in rotate flight; do
	case $mode in
	rotate) set -- --max-size 256k; work=$(busy_until /tmp/rotate.stop 60) ;;
	# the open at the end fails with ENOTDIR (nothing else does here) and
	# triggers the one save, well after the unmount
	flight) set -- --flight 4M --trigger-errno ENOTDIR --before 1s --after 0.1s; work=$(busy 8) ;;
	esac
	$FTIO record "$@" -o "/tmp/$mode.dat" -- sh -c "$work; sleep 1; cat /etc/hostname/x 2>/dev/null; true" \
		>"$out/$mode.stdout" 2>"$out/$mode.stderr" &
	pid=$!
	echo "$pid" >"$out/$mode.pid"
	# once it records: its strategy line comes after the set-up, which is
	# slow under TCG (and slower with SANITIZE=1)
	i=0
	while [ $i -lt 300 ] && ! grep -q "^ftio: recording to" "$out/$mode.stderr"; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 2
	before=$(files $mode)
	umount -l $T && echo "umounted" >"$out/$mode.umount" || echo "umount failed: $?" >"$out/$mode.umount"
	if [ $mode = rotate ]; then
		# until ftio has made a file after the unmount (and two in all)
		i=0 now=$before
		while [ $i -lt 500 ] && { [ $now -le "$before" ] || [ $now -lt 2 ]; }; do
			sleep 0.1
			i=$((i + 1)) now=$(files rotate)
		done
		echo "$before $now" >"$out/rotate.files"
		touch /tmp/rotate.stop
	fi
	finish $mode $pid
	: >"$out/$mode.decode"
	for f in /tmp/$mode.dat.*; do
		test -e "$f" || continue
		$FTIO info -i "$f" >"$out/${f##*/}.info.out" 2>"$out/${f##*/}.info.err"
		echo "info ${f##*/} $?" >>"$out/$mode.decode"
		$FTIO replay -i "$f" >/dev/null 2>"$out/${f##*/}.replay.err"
		echo "replay ${f##*/} $?" >>"$out/$mode.decode"
		$FTIO report --errors --top 1000 -i "$f" >"$out/${f##*/}.report.out" 2>"$out/${f##*/}.report.err"
		echo "report ${f##*/} $?" >>"$out/$mode.decode"
	done
	mount -t tracefs tracefs $T || echo "cannot mount tracefs again" >>"$out/remount"
	ls $T/instances >"$out/$mode.instances.before-reset"
	grep -h ftio $T/uprobe_events $T/kprobe_events >"$out/$mode.dynevents.before-reset" 2>/dev/null
	$FTIO reset -q >"$out/$mode.reset.out" 2>&1
	echo "reset $?" >>"$out/$mode.reset.out"
	ls $T/instances >"$out/$mode.instances"
	grep -h ftio $T/uprobe_events $T/kprobe_events >"$out/$mode.dynevents" 2>/dev/null
done
echo "guest done"
