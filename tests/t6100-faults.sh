#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='faults around ftio record: signals and SIGKILL at random moments, a full disk, a crashing command, two recorders at once'
. "$(dirname "$0")/test-lib.sh"

# Each case proves behaviour, never timing: ftio stops, says why, leaves
# nothing in tracefs (the framework checks after every test, and the cases
# below check each run's own ftio_<pid> state), never loses an earlier
# recording, and what it wrote decodes up to where it stopped.  The random
# delays are printed to the log (-v) so that a failure can be replayed.

fx=$FIXTURES

# A workload that reads files for $1 seconds, then exits by itself
busy() {
	echo "end=\$((\$(date +%s) + $1)); while [ \$(date +%s) -lt \$end ]; do cat /etc/hostname >/dev/null; done"
}

# rand_ms LOW HIGH: a delay in seconds, for sleep
rand_ms() {
	local ms=$(($1 + RANDOM % ($2 - $1 + 1)))

	printf '%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

# no_state PID: ftio PID left no instance and no dynamic event
no_state() {
	local left

	left=$(ls "$TRACEFS_DIR/instances" | grep "^ftio_$1\(_\|\$\)";
		cat "$TRACEFS_DIR/dynamic_events" 2>/dev/null | grep "ftio_$1/")
	test -z "$left" && return 0
	echo >&2 "ftio $1 left tracefs state behind:"
	echo >&2 "$left"
	return 1
}

# gone PID...: none of these processes still runs (zombies aside)
gone() {
	local p st

	for p in "$@"; do
		st=$(ps -o stat= -p "$p" 2>/dev/null) || continue
		case $st in Z*) continue ;; esac
		echo >&2 "process $p ($(ps -o args= -p "$p")) outlived ftio"
		return 1
	done
}

# decodes FILE: info and replay exit 0 or 1, never by a signal
decodes() {
	local cmd rc

	for cmd in info replay; do
		"$FTIO" $cmd -i "$1" >decoded.$cmd 2>decoded.err
		rc=$?
		test $rc -le 1 && continue
		echo >&2 "ftio $cmd -i $1 exited $rc:"
		cat >&2 decoded.err
		return 1
	done
}

# kept OUT: the earlier recording (the fixture) is OUT or OUT.old, untouched
kept() {
	cmp -s "$fx/seed.dat" "$1.old" || cmp -s "$fx/seed.dat" "$1" || {
		echo >&2 "the earlier recording at '$1' is lost"
		ls -l "$1"* >&2
		return 1
	}
}

test_expect_success ROOT,TRACEFS 'SIGINT, SIGTERM and SIGHUP at random moments stop ftio record cleanly' '
	for sig in INT TERM HUP; do
		for delay in 0 $(rand_ms 1 300) $(rand_ms 300 1500) $(rand_ms 1500 3000); do
			echo "SIG$sig after ${delay}s" &&
			rm -f sig.dat* && cp "$fx/seed.dat" sig.dat &&
			# a background job ignores SIGINT: give ftio the default a terminal gives
			{ env --default-signal=INT "$FTIO" record -q -o sig.dat -- sh -c "$(busy 8)" 2>rec.err & } &&
			pid=$! &&
			sleep $delay &&
			kids=$(pgrep -P $pid | tr "\n" " ") &&
			kill -$sig $pid || return 1
			wait $pid
			rc=$?
			case $rc in
			0)
				# stopped through its own handler: a complete recording
				"$FTIO" info -i sig.dat >info &&
				grep "^end: *clean (signal)" info &&
				"$FTIO" replay -i sig.dat >/dev/null &&
				cmp "$fx/seed.dat" sig.dat.old
				;;
			$((128 + $(kill -l $sig))))
				# killed before it blocked the signal, so before it touched tracefs
				decodes sig.dat && kept sig.dat
				;;
			*)
				echo >&2 "ftio record exited $rc on SIG$sig:"; cat >&2 rec.err
				false
				;;
			esac &&
			no_state $pid &&
			gone $kids || return 1
		done
	done
'

test_expect_success ROOT,TRACEFS 'a second signal while ftio stops changes nothing' '
	rm -f sig.dat* &&
	{ env --default-signal=INT "$FTIO" record -q -o sig.dat -- sh -c "$(busy 8)" & } &&
	pid=$! &&
	sleep $(rand_ms 500 1500) &&
	kill -INT $pid && sleep 0.0$((RANDOM % 10)) &&
	{ kill -TERM $pid; kill -HUP $pid; true; } &&
	wait $pid &&
	"$FTIO" info -i sig.dat >info &&
	grep "^end: *clean (signal)" info &&
	no_state $pid
'

test_expect_success ROOT,TRACEFS 'SIGKILL at random moments: ftio reset cleans up, the earlier recording is kept' '
	for delay in 0 $(rand_ms 1 200) $(rand_ms 200 800) $(rand_ms 800 2000); do
		echo "SIGKILL after ${delay}s" &&
		rm -f kill.dat* && cp "$fx/seed.dat" kill.dat &&
		{ "$FTIO" record -q -o kill.dat -- sh -c "$(busy 4)" & } &&
		pid=$! &&
		sleep $delay &&
		kids=$(pgrep -P $pid | tr "\n" " ") &&
		kill -KILL $pid || return 1
		wait $pid
		test $? = 137 &&
		{ test -z "$kids" || kill $kids 2>/dev/null; true; } &&
		# a live ftio elsewhere or a concurrent teardown may make reset
		# report other names: only ours matter here
		{ "$FTIO" reset >reset.out 2>&1; true; } &&
		no_state $pid &&
		decodes kill.dat &&
		kept kill.dat || return 1
	done
'

test_expect_success ROOT,TRACEFS 'SIGKILL once events are on disk: the recording decodes up to the kill' '
	rm -f kill.dat* &&
	{ "$FTIO" record -q -o kill.dat -- sh -c "$(busy 20)" & } &&
	pid=$! &&
	for i in $(seq 150); do
		"$FTIO" info -i kill.dat 2>/dev/null | grep -q "^events: *[1-9]" && break
		sleep 0.1
	done &&
	kids=$(pgrep -P $pid | tr "\n" " ") &&
	kill -KILL $pid &&
	{ wait $pid; test $? = 137; } &&
	kill $kids &&
	{ "$FTIO" reset >reset.out; true; } &&
	grep "^removed instance ftio_$pid\$" reset.out &&
	no_state $pid &&
	"$FTIO" info -i kill.dat >info &&
	grep "^end: *no end marker" info &&
	"$FTIO" replay -i kill.dat -e sys_enter_openat >opens &&
	grep -q " cat-[0-9]* sys_enter_openat:" opens
'

test_expect_success ROOT,TRACEFS 'a full disk stops ftio with "No space left on device", exit 1, earlier recording kept' '
	mkdir full &&
	mount -t tmpfs -o size=200k ftiotest full &&
	test_when_finished "umount full" &&
	cp "$fx/seed.dat" full/out.dat &&
	# timeout: a recorder that ignored the error would run as long as the workload
	{ timeout -s INT 60 "$FTIO" record -q -o full/out.dat -- sh -c "$(busy 30)" 2>err & } &&
	pid=$! &&
	sleep 0.5 &&
	kids=$(pgrep -P "$(pgrep -P $pid)" | tr "\n" " ") &&
	{ wait $pid; test $? = 1; } &&
	cat err &&
	grep -x "ftio: cannot write .full/out.dat.: No space left on device" err &&
	test_line_count = 1 err &&
	gone $kids &&
	cmp "$fx/seed.dat" full/out.dat.old &&
	"$FTIO" info -i full/out.dat >info 2>warn &&
	grep "^ftio: warning: .full/out.dat.: recording is cut at offset" warn &&
	grep "^events: *[1-9]" info
'

test_expect_success ROOT,TRACEFS 'after a full disk, the summary does not claim the events it could not write' '
	mkdir full2 &&
	mount -t tmpfs -o size=200k ftiotest full2 &&
	test_when_finished "umount full2" &&
	test_expect_code 1 timeout -s INT 60 "$FTIO" record -o full2/out.dat -- sh -c "$(busy 30)" 2>err &&
	cat err &&
	test_must_fail grep "events in .* to .full2/out.dat." err &&
	grep "^ftio: [0-9]* events read in .*, but only those before the write error are in .full2/out.dat." err &&
	read=$(sed -n "s/^ftio: \([0-9]*\) events read in .*/\1/p" err) &&
	"$FTIO" info -i full2/out.dat >info 2>/dev/null &&
	held=$(sed -n "s/^events: *\([0-9]*\).*/\1/p" info) &&
	echo "read $read, in the file $held" &&
	test "$held" -lt "$read"
'

test_expect_success ROOT,TRACEFS 'a disk too full for the metadata: exit 1, one clear line, nothing crashes' '
	mkdir tiny &&
	mount -t tmpfs -o size=8k ftiotest tiny &&
	test_when_finished "umount tiny" &&
	test_expect_code 1 timeout -s INT 60 "$FTIO" record -q -o tiny/out.dat -- sh -c "$(busy 5)" 2>err &&
	grep -x "ftio: cannot write .tiny/out.dat.: No space left on device" err &&
	test_line_count = 1 err &&
	decodes tiny/out.dat
'

test_expect_success ROOT,TRACEFS 'a traced command that crashes: ftio exits 128+signal, the recording decodes' '
	test_expect_code 139 "$FTIO" record -q -o segv.dat -- sh -c "cat /etc/hostname >/dev/null; kill -SEGV \$\$" &&
	"$FTIO" info -i segv.dat >info &&
	grep "^end: *clean (command exited)" info &&
	"$FTIO" replay -i segv.dat -e sys_enter_openat >opens &&
	grep -q " cat-[0-9]* sys_enter_openat:" opens &&
	test_expect_code 134 "$FTIO" record -q -o abrt.dat -- sh -c "kill -ABRT \$\$" &&
	"$FTIO" replay -i abrt.dat >/dev/null &&
	test_expect_code 3 "$FTIO" record -q -o three.dat -- sh -c "exit 3" &&
	"$FTIO" replay -i three.dat >/dev/null
'

test_expect_success ROOT,TRACEFS 'two ftio record at once: both decode, each with its own command only' '
	cp /bin/cat cata && cp /bin/cat catb && echo a >fa && echo b >fb &&
	{ "$FTIO" record -q -o a.dat -- sh -c "for i in \$(seq 100); do ./cata fa >/dev/null; done" & } &&
	pa=$! &&
	{ "$FTIO" record -q -o b.dat -- sh -c "for i in \$(seq 100); do ./catb fb >/dev/null; done" & } &&
	pb=$! &&
	wait $pa && wait $pb &&
	for x in a b; do
		test $x = a && y=b || y=a
		"$FTIO" replay -i $x.dat -e "sys_*" >$x.txt &&
		grep -q " cat$x-[0-9]* sys_enter_openat:" $x.txt &&
		! grep " cat$y-" $x.txt &&
		"$FTIO" report --json -i $x.dat >$x.json &&
		grep -q "/f$x\"" $x.json &&
		! grep "/f$y\"" $x.json || return 1
	done &&
	no_state $pa && no_state $pb
'

test_expect_success ROOT,TRACEFS 'the instance of a recording ftio cannot be removed; the recording ends cleanly' '
	{ "$FTIO" record -q -o busy.dat -- sleep 4 & } &&
	pid=$! &&
	# the metadata is written once the readers hold the buffers open
	for i in $(seq 100); do
		test "$(stat -c %s busy.dat 2>/dev/null || echo 0)" -gt 16 && break
		sleep 0.1
	done &&
	test_must_fail rmdir "$TRACEFS_DIR/instances/ftio_$pid" 2>err &&
	grep "Device or resource busy" err &&
	wait $pid &&
	"$FTIO" info -i busy.dat >info &&
	grep "^end: *clean (command exited)" info &&
	no_state $pid
'

test_expect_success ROOT,TRACEFS 'an instance removed under ftio while it sets up: exit 0 or 1 with one line, nothing left' '
	for round in 1 2 3; do
		rm -f gone.dat* &&
		{ "$FTIO" record -q -o gone.dat -- sh -c "$(busy 2)" 2>err & } &&
		pid=$! &&
		for i in $(seq 2000); do
			rmdir "$TRACEFS_DIR/instances/ftio_$pid" 2>/dev/null && break
			kill -0 $pid 2>/dev/null || break
		done
		wait $pid
		rc=$?
		echo "round $round: exit $rc" &&
		cat err &&
		case $rc in
		0) test_must_be_empty err ;;
		1) test_line_count = 1 err && grep "^ftio: cannot .*ftio_$pid" err ;;
		*) false ;;
		esac &&
		no_state $pid || return 1
	done
'

test_done
