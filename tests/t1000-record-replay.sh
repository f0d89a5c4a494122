#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='record and replay on the real kernel: counts, signals, crashes, cut files'
. "$(dirname "$0")/test-lib.sh"

# ftio instances whose ftio is gone (leaked); a running ftio elsewhere is not ours to judge
instances() {
	local i pid
	for i in $(ls /sys/kernel/tracing/instances 2>/dev/null | grep '^ftio_'); do
		pid=${i#ftio_}; pid=${pid%%_*}
		kill -0 "$pid" 2>/dev/null || echo "$i"
	done
}

# has_data FILE: until FILE holds more than metadata (startup can be slow under load)
has_data() {
	for _ in $(seq 100); do
		test "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt 65536 && return 0
		sleep 0.1
	done
	return 1
}

# ftio_started OUTPUT: prints the pid of the ftio recording to OUTPUT once its
# instance exists ($! may name a shell in between, and setup takes a moment)
ftio_started() {
	local p
	for _ in $(seq 100); do
		p=$(pgrep -n -f -- "record -q -o $1") &&
		test -d /sys/kernel/tracing/instances/ftio_$p && echo "$p" && return 0
		sleep 0.1
	done
	return 1
}

test_expect_success ROOT,TRACEFS 'dd under ftio record replays exactly 777 writes for its tid' '
	"$FTIO" record -q -o dd.dat -- dd if=/dev/zero of=dd.out bs=512 count=777 status=none &&
	test_path_is_file dd.dat &&
	"$FTIO" replay -i dd.dat -e sys_enter_write >writes &&
	tid=$(grep " dd-" writes | head -n1 | sed "s/.* dd-\([0-9]*\) .*/\1/") &&
	grep -c " dd-$tid sys_enter_write:" writes >count &&
	echo 777 >expect &&
	test_cmp expect count
'

test_expect_success ROOT,TRACEFS 'the recording is 0600 and an earlier one is kept as .old' '
	test "$(stat -c %a dd.dat)" = 600 &&
	cp dd.dat before.dat &&
	"$FTIO" record -q -o dd.dat -- true &&
	test_path_is_file dd.dat.old &&
	cmp before.dat dd.dat.old &&
	"$FTIO" record -q -o dd.dat -- true &&
	test_path_is_file dd.dat.old.1 &&
	cmp before.dat dd.dat.old
'

test_expect_success ROOT,TRACEFS '--user, or the user behind sudo, owns the recording (still 0600)' '
	"$FTIO" record -q --user nobody -o mine.dat -- true &&
	test "$(stat -c %U:%a mine.dat)" = nobody:600 &&
	SUDO_UID=65534 SUDO_GID=65534 "$FTIO" record -q -o sudo.dat -- true &&
	test "$(stat -c %u:%a sudo.dat)" = 65534:600 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$FTIO" info -i sudo.dat >/dev/null &&
	test_expect_code 129 "$FTIO" record --user no-such-user-here -- true 2>err
'

test_expect_success ROOT,TRACEFS 'a symlink at the output path is refused and left alone' '
	ln -s /etc/hostname link.dat &&
	test_expect_code 1 "$FTIO" record -q -o link.dat -- true 2>err &&
	grep "^ftio: cannot create .link.dat.: it is a symbolic link" err &&
	test -L link.dat &&
	test -z "$(instances)"
'

test_expect_success ROOT,TRACEFS 'the command exit status is ftio record exit status' '
	test_expect_code 3 "$FTIO" record -q -o st.dat -- sh -c "exit 3" &&
	test_expect_code 127 "$FTIO" record -q -o st.dat -- /nonexistent/cmd 2>err &&
	grep "cannot run ./nonexistent/cmd." err
'

test_expect_success 'usage errors exit 129 with the usage' '
	test_expect_code 129 "$FTIO" record --bogus 2>err &&
	grep "^error: unknown option" err && grep "^usage: ftio record" err &&
	test_expect_code 129 "$FTIO" record -e nosuchlayer -- true 2>err &&
	grep "unknown layer .nosuchlayer." err &&
	test_expect_code 129 "$FTIO" record -b 1 -- true 2>err &&
	test_expect_code 129 "$FTIO" nosuchcommand 2>err &&
	test_expect_code 129 "$FTIO" replay --cpu x 2>err &&
	test_expect_code 129 "$FTIO" report --min-latency fast 2>err
'

test_expect_success ROOT,TRACEFS 'replay of an event the recording lacks is a usage error' '
	test_expect_code 129 "$FTIO" replay -i dd.dat -e sys_enter_nosuch 2>err &&
	grep "event .sys_enter_nosuch. is not in the recording" err
'

test_expect_success ROOT,TRACEFS 'a non-root user gets one clear line and exit 1, before tracing' '
	chmod 755 . &&
	test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$FTIO" record -o /tmp/never.dat -- true 2>err &&
	grep "^ftio: cannot record: tracefs instances and events need root" err &&
	test_line_count = 1 err &&
	test_path_is_missing /tmp/never.dat
'

test_expect_success ROOT,TRACEFS 'an unwritable output fails before tracing starts' '
	test_expect_code 1 "$FTIO" record -o /nonexistent/dir/x.dat -- true 2>err &&
	grep "^ftio: cannot create ./nonexistent/dir/x.dat.: No such file or directory" err &&
	test -z "$(instances)"
'

test_expect_success 'a file that is not a recording is named in the error' '
	echo "hello" >notrec.dat &&
	test_expect_code 1 "$FTIO" replay -i notrec.dat 2>err &&
	grep "^ftio: cannot read .notrec.dat.: not an ftio recording" err &&
	test_expect_code 1 "$FTIO" info -i missing.dat 2>err &&
	grep "^ftio: cannot read .missing.dat.: No such file or directory" err
'

test_expect_success ROOT,TRACEFS 'a system-wide recording stops on SIGINT and keeps what happened' '
	"$FTIO" record -q -o sys.dat 2>rec.err &
	job=$! &&
	pid=$(ftio_started sys.dat) &&
	sleep 0.5 &&
	for i in 1 2 3; do cat /etc/hostname >/dev/null; done &&
	kill -INT $pid &&
	wait $job &&
	"$FTIO" info -i sys.dat >info &&
	grep "^end: *clean (signal)" info &&
	"$FTIO" replay -i sys.dat --comm cat -e sys_enter_openat >cat.txt &&
	test $(wc -l <cat.txt) -ge 3 &&
	test -z "$(instances)"
'

test_expect_success ROOT,TRACEFS 'SIGTERM stops a recording cleanly too' '
	"$FTIO" record -q -o term.dat -- sleep 30 &
	job=$! &&
	pid=$(ftio_started term.dat) &&
	kill -TERM $pid &&
	wait $job &&
	"$FTIO" info -i term.dat | grep "^end: *clean (signal)" &&
	test -z "$(instances)"
'

test_expect_success ROOT,TRACEFS '--duration stops the recording' '
	"$FTIO" record -q -o dur.dat --duration 0.5 &&
	"$FTIO" info -i dur.dat | grep "^end: *clean (duration)"
'

test_expect_success ROOT,TRACEFS 'a recording killed with SIGKILL decodes, and ftio reset cleans up' '
	"$FTIO" record -q -o killed.dat -- sh -c "while :; do cat /etc/hostname >/dev/null; done" &
	job=$! &&
	pid=$(ftio_started killed.dat) &&
	has_data killed.dat &&
	kill -KILL $pid &&
	wait $job; pkill -f "while :; do cat /etc/hostname" ;
	test -n "$(instances)" &&
	"$FTIO" reset >reset.out &&
	grep "^removed instance ftio_$pid" reset.out &&
	grep "^removed dynamic event ftio_$pid/" reset.out &&
	test -z "$(instances)" &&
	! grep -q "ftio_$pid" /sys/kernel/tracing/uprobe_events &&
	"$FTIO" info -i killed.dat >info 2>err &&
	grep "^end: *no end marker" info &&
	"$FTIO" replay -i killed.dat -e sys_enter_openat >opens &&
	test $(grep -c " cat-" opens) -gt 10
'

test_expect_success ROOT,TRACEFS 'reset first saves what a killed ftio left in its ring buffer' '
	"$FTIO" record -q -o stopped.dat -e syscalls -b 8192 -- sh -c "while :; do cat /etc/hostname >/dev/null; done" &
	job=$! &&
	pid=$(ftio_started stopped.dat) &&
	sleep 1 &&
	kill -STOP $pid &&
	sleep 1 &&
	kill -KILL $pid &&
	wait $job; pkill -f "while :; do cat /etc/hostname" ;
	"$FTIO" reset >reset.out &&
	grep "^saved [0-9]* sub-buffers left in ftio_$pid to ftio-salvage-$pid.dat" reset.out &&
	"$FTIO" info -i ftio-salvage-$pid.dat >salv.txt &&
	grep "^end: *clean (salvaged)" salv.txt &&
	"$FTIO" replay -i ftio-salvage-$pid.dat -e sys_enter_openat | grep -q " cat-"
'

test_expect_success ROOT,TRACEFS 'ftio reset leaves a running ftio and other instances alone' '
	mkdir /sys/kernel/tracing/instances/othertool_$$ &&
	test_when_finished "rmdir /sys/kernel/tracing/instances/othertool_$$" || return 1
	"$FTIO" record -q -o live.dat -- sleep 2 &
	job=$! &&
	pid=$(ftio_started live.dat) &&
	"$FTIO" reset >reset.out &&
	! grep -e "ftio_$pid" -e othertool reset.out &&
	test -d /sys/kernel/tracing/instances/ftio_$pid &&
	wait $job &&
	test -d /sys/kernel/tracing/instances/othertool_$$
'

test_expect_success ROOT,TRACEFS 'a recording cut at random offsets decodes up to the damage' '
	size=$(stat -c %s dd.dat) &&
	full=$("$FTIO" replay -i dd.dat | wc -l) &&
	for cut in 17 100 1000 $((size / 3)) $((size / 2)) $((size - 1)) $(shuf -i 20-$size -n 6); do
		head -c $cut dd.dat >cut.dat &&
		"$FTIO" replay -i cut.dat >cut.txt 2>cut.err
		rc=$?
		# cut inside the metadata: nothing to decode, and it says why
		test $rc = 0 || { test $rc = 1 && grep -q "formats are missing" cut.err; } || return 1
		test $(wc -l <cut.txt) -le $full || return 1
		grep -q "warning: .cut.dat.: .*cut at offset" cut.err || return 1
	done
'

test_expect_success ROOT,TRACEFS,PYTHON 'a zeroed tail decodes with a warning' '
	size=$(stat -c %s dd.dat) &&
	cp dd.dat zero.dat &&
	# from the last sub-buffer chunk (type 2) on: a fixed share of the file
	# could reach into the metadata chunks, which were 77% of one file
	off=$(python3 "$TEST_DIRECTORY/helpers/craft.py" dd.dat - chunks | awk "\$3 == 2 { o = \$1 } END { print o }") &&
	test -n "$off" && test "$off" -lt "$size" &&
	dd if=/dev/zero of=zero.dat bs=1 seek=$off count=$((size - off)) conv=notrunc status=none &&
	"$FTIO" replay -i zero.dat >z.txt 2>z.err &&
	grep "warning: .zero.dat.: " z.err
'

test_expect_success ROOT,TRACEFS 'ftio never writes function-tracer files' '
	before=$(cat /sys/kernel/tracing/set_ftrace_filter 2>/dev/null | md5sum) &&
	"$FTIO" record -q -o ft.dat -- true &&
	test "$(cat /sys/kernel/tracing/current_tracer)" = nop &&
	test "$(cat /sys/kernel/tracing/set_ftrace_filter 2>/dev/null | md5sum)" = "$before"
'

test_expect_success ROOT,TRACEFS,PYTHON 'replay matches the kernel trace file field for field' '
	inst=/sys/kernel/tracing/instances/ftiotest_$$ &&
	mkdir $inst &&
	test_when_finished "rmdir $inst" &&
	echo mono >$inst/trace_clock &&
	echo 0 >$inst/tracing_on &&
	for e in sys_enter_read sys_exit_read sys_enter_openat sys_exit_openat; do
		echo 1 >$inst/events/syscalls/$e/enable || return 1
	done &&
	"$FTIO" record -q -o rt.dat -e syscalls -- sh -c "
		echo \$\$ >$inst/set_event_pid &&
		echo 1 >$inst/tracing_on &&
		exec dd if=/etc/passwd of=/dev/null bs=1 count=200 status=none" &&
	echo 0 >$inst/tracing_on &&
	cat $inst/trace >kernel.txt &&
	for e in sys_enter_read sys_exit_read sys_enter_openat sys_exit_openat; do
		echo 0 >$inst/events/syscalls/$e/enable
	done &&
	"$FTIO" replay -i rt.dat --json -e "sys_*_openat,sys_*_read" >ftio.json &&
	python3 "$TEST_DIRECTORY/helpers/compare-trace.py" kernel.txt ftio.json
'

test_done
