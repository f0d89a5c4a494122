#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='flight recorder: a rolling window in memory, saved around triggers'
. "$(dirname "$0")/test-lib.sh"

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_expect_success ROOT,TRACEFS,FUSE,PYTHON 'a 200 ms FUSE stall triggers a save that contains it' '
	mkdir -p src mnt out && echo data >src/f || return 1
	"$HELPERS/slowfs" --delay read=200 src mnt &
	fspid=$! &&
	test_when_finished "umount mnt 2>/dev/null; wait $fspid" &&
	# a daemon slow to mount would make the read fail at once, and nothing trigger
	for i in $(seq 100); do mountpoint -q mnt && break; sleep 0.1; done &&
	mountpoint -q mnt &&
	"$FTIO" record -o out/w.dat --flight 16M --trigger-latency 100ms --before 1s --after 1s \
		-- sh -c "for i in 1 2 3 4 5; do cat /etc/hostname; done >/dev/null; sleep 0.3;
			  cat mnt/f >/dev/null || echo cat failed >&2; sleep 2.5" 2>rec.err &&
	ls out >files &&
	{ test_line_count = 1 files || { cat rec.err; false; }; } &&
	"$FTIO" info out/w.dat.000001 >info.txt &&
	grep "^end: *clean (flight recorder trigger)" info.txt &&
	"$FTIO" report --json --top 5 out/w.dat.000001 >w.json &&
	json w.json "[c[\"latency_ns\"] >= 200000000 for c in r[\"slowest\"] if c[\"path\"] and c[\"path\"].endswith(\"/mnt/f\") and c[\"syscall\"] == \"read\"][0]" >got &&
	echo true >expect && test_cmp expect got
'

test_lazy_prereq TWO_CPUS 'test "$(nproc)" -ge 2 && command -v taskset'

# The stalled read sleeps on one CPU and is moved to the other, where it
# returns and makes its next calls: the trigger scan reads one CPU's pages
# before the other's, and a thread's later calls must not push out the
# exit that waits for its enter (the first test failed so under load, 0
# triggers: the read had woken on the other CPU)
for move in "0 1" "1 0"; do
	set -- $move
	test_expect_success ROOT,TRACEFS,FUSE,PYTHON,TWO_CPUS "a FUSE stall that returns on another CPU (CPU $1 to $2) still triggers" '
		rm -rf src mnt out && mkdir -p src mnt out && echo data >src/f || return 1
		"$HELPERS/slowfs" --delay read=300 src mnt &
		fspid=$! &&
		test_when_finished "umount mnt 2>/dev/null; wait $fspid" &&
		for i in $(seq 100); do mountpoint -q mnt && break; sleep 0.1; done &&
		mountpoint -q mnt &&
		"$FTIO" record -o out/m.dat --flight 16M --trigger-latency 100ms --before 1s --after 0.5s \
			-- sh -c "taskset -c '$1' cat mnt/f src/f src/f src/f >/dev/null & p=\$!; sleep 0.15;
				  taskset -p -c '$2' \$p >/dev/null; wait \$p; sleep 1" 2>rec.err &&
		ls out >files &&
		{ test_line_count = 1 files || { cat rec.err; false; }; } &&
		"$FTIO" report --json --top 5 out/m.dat.000001 >m.json &&
		json m.json "[c[\"latency_ns\"] >= 300000000 for c in r[\"slowest\"] if c[\"path\"] and c[\"path\"].endswith(\"/mnt/f\") and c[\"syscall\"] == \"read\"][0]" >got &&
		echo true >expect && test_cmp expect got
	'
done

# The threads with waiting events are bounded (65536; FTIO_FLIGHT_MAX_TIDS
# here): with room for one, 300 processes coming and going on two CPUs make
# the scan sweep (seen with gdb: a breakpoint on waiting_sweep), and a stall
# after them still triggers
test_expect_success ROOT,TRACEFS,FUSE,PYTHON 'the waiting threads are bounded, and a stall after 300 processes still triggers' '
	rm -rf src mnt out && mkdir -p src mnt out && echo data >src/f || return 1
	"$HELPERS/slowfs" --delay read=200 src mnt &
	fspid=$! &&
	test_when_finished "umount mnt 2>/dev/null; wait $fspid" &&
	for i in $(seq 100); do mountpoint -q mnt && break; sleep 0.1; done &&
	mountpoint -q mnt &&
	FTIO_FLIGHT_MAX_TIDS=1 "$FTIO" record -o out/b.dat --flight 16M --trigger-latency 100ms --before 1s --after 0.5s \
		-- sh -c "for i in \$(seq 300); do /bin/true; done; cat mnt/f >/dev/null; sleep 1" 2>rec.err &&
	ls out >files &&
	{ test_line_count = 1 files || { cat rec.err; false; }; } &&
	"$FTIO" report --json --top 5 out/b.dat.000001 >b.json &&
	json b.json "[c[\"latency_ns\"] >= 200000000 for c in r[\"slowest\"] if c[\"path\"] and c[\"path\"].endswith(\"/mnt/f\") and c[\"syscall\"] == \"read\"][0]" >got &&
	echo true >expect && test_cmp expect got
'

test_expect_success ROOT,TRACEFS,PYTHON '--trigger-errno EACCES saves the window of a denied open' '
	mkdir -p acc &&
	"$FTIO" record -q -o acc/a.dat --flight 8M --trigger-errno EACCES --before 1s --after 0.5s \
		-- sh -c "sleep 0.2; setpriv --reuid=65534 --regid=65534 --clear-groups cat /etc/shadow 2>/dev/null; sleep 2" ;
	test -f acc/a.dat.000001 &&
	"$FTIO" report --json acc/a.dat.000001 >a.json &&
	json a.json "[(a[\"errno\"], a[\"path\"]) for a in r[\"audit\"]]" >got &&
	echo "[[\"EACCES\", \"/etc/shadow\"]]" >expect && test_cmp expect got
'

test_expect_success ROOT,TRACEFS 'SIGUSR1 saves the current window; no trigger saves nothing' '
	# alone in its list, so that $! is ftio itself
	mkdir -p usr || return 1
	"$FTIO" record -q -o usr/u.dat --flight 8M --before 2s --after 0.2s -- sleep 4 &
	job=$! &&
	sleep 2 &&
	# ftio itself, by its own pid: another suite may run an ftio just like it
	kill -USR1 $job &&
	wait $job &&
	test -f usr/u.dat.000001 &&
	"$FTIO" info usr/u.dat.000001 | grep "^end: *clean (flight recorder trigger)" &&
	mkdir -p none &&
	"$FTIO" record -q -o none/n.dat --flight 8M --trigger-latency 10s -- cat /etc/hostname >/dev/null &&
	test -z "$(ls none)"
'

test_expect_success ROOT,TRACEFS 'flight usage errors' '
	test_expect_code 129 "$FTIO" record --trigger-latency 1ms -- true 2>err &&
	grep "need --flight" err &&
	test_expect_code 129 "$FTIO" record --flight 8M --trigger-errno ENOSUCH -- true 2>err &&
	grep "unknown errno name" err &&
	test_expect_code 129 "$FTIO" record --flight 8M --max-size 1M -- true 2>err
'

test_done
