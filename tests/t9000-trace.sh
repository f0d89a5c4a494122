#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='ftio trace: calls printed live, filtered, as the report sees them, never holding up the tracing'
. "$(dirname "$0")/test-lib.sh"

test_lazy_prereq SEEDUSER '
	test_have_prereq ROOT && command -v useradd >/dev/null && command -v setpriv >/dev/null
'

test_expect_success ROOT,TRACEFS 'dd count=777: exactly 777 write lines for its file' '
	"$FTIO" trace -- dd if=/dev/zero of="$PWD/f" bs=512 count=777 >out 2>err &&
	grep -F " write $PWD/f = 512 " out >writes &&
	test_line_count = 777 writes &&
	grep -E "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} dd [0-9]+/[0-9]+ uid 0\(root\) write " writes >fmt &&
	test_line_count = 777 fmt &&
	grep "^ftio: [0-9]* calls shown of [0-9]* ([0-9]* events), 0 lost by the kernel$" err
'

test_expect_success ROOT,TRACEFS 'filters: --comm, --syscall, -p and --min-latency choose the lines' '
	mkdir -p d &&
	"$FTIO" trace --comm dd --syscall write -p d -- \
		sh -c "dd if=/dev/zero of=d/g bs=4k count=33 2>/dev/null; cat /etc/hostname >/dev/null" >out 2>err &&
	test_line_count = 33 out &&
	! grep -v -F " dd " out &&
	! grep -v -F " write $PWD/d/g = 4096 " out &&
	"$FTIO" trace --min-latency 1s -- dd if=/dev/zero of=/dev/null count=100 2>err >out &&
	test_must_be_empty out
'

test_expect_success ROOT,TRACEFS 'kernel filters: --comm and --syscall keep other calls out of the ring buffer' '
	work="dd if=/dev/zero of=k bs=4k count=21 2>/dev/null; cat /etc/hostname >/dev/null" &&
	"$FTIO" trace --comm dd --syscall write -o kern.dat -- sh -c "$work" >out 2>err &&
	"$FTIO" info -i kern.dat >info &&
	grep -E "syscall_filter=kernel\([0-9]+ left out\)" info &&
	grep -E "comm_filter=kernel\([0-9]+ events\)" info &&
	"$FTIO" report -i kern.dat --json >kern.json &&
	# the recording holds what entered the ring buffer: dd only, no read
	python3 -c "import json, sys
r = json.load(open(sys.argv[1]))
comms = sorted({p[\"comm\"] for p in r[\"processes\"]})
calls = {s[\"name\"]: s[\"count\"] for s in r[\"syscalls\"]}
print(\",\".join(comms), calls.get(\"write\"), calls.get(\"read\"), \"openat\" in calls)" kern.json >got &&
	echo "dd 24 None True" >expect &&
	test_cmp expect got &&
	# the user-space filter alone (--uid) lets cat and the reads in: the check can fail
	"$FTIO" trace --uid 0 -o user.dat -- sh -c "$work" >out2 2>err2 &&
	"$FTIO" report -i user.dat --comm cat --syscall read --json >user.json &&
	python3 -c "import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))[\"syscalls\"] else 1)" user.json
'

test_expect_success ROOT,TRACEFS,UPROBES,SEEDUSER 'seed: --audit shows uid 60004 cat /etc/shadow, EACCES, latency in us' '
	if ! getent passwd 60004 >/dev/null; then
		useradd -u 60004 -M -N -s /bin/sh ftioseed &&
		test_when_finished "userdel ftioseed"
	fi &&
	user=$(getent passwd 60004 | cut -d: -f1) &&
	"$FTIO" trace --audit -- setpriv --reuid 60004 --regid 60004 --clear-groups \
		cat /etc/shadow >out 2>err;
	test_line_count = 1 out &&
	grep -E "^[0-9:.]+ cat [0-9]+/[0-9]+ uid 60004\($user\) openat /etc/shadow = -13 EACCES [0-9.]+us$" out
'

test_expect_success ROOT,TRACEFS,PYTHON '--json lines parse and equal the report of the same calls (-o)' '
	"$FTIO" trace --json --comm dd -o rec.dat -- dd if=/dev/zero of="$PWD/j" bs=1k count=300 >live.json 2>err &&
	test_path_is_file rec.dat &&
	"$FTIO" report -i rec.dat --json --comm dd --top 100000 >rep.json &&
	python3 - live.json rep.json >cmp <<-\PY &&
	import json, sys
	live = [json.loads(l) for l in open(sys.argv[1])]
	rep = json.load(open(sys.argv[2]))["slowest"]
	key = lambda c: (c["tid"], c["ts_ns"], c["syscall"])
	want = {key(c): c for c in rep}
	bad = [c for c in live if want.get(key(c)) != c]
	print(len(live), len(rep), len(bad))
	for c in bad[:3]:
	    print(c, want.get(key(c)), file=sys.stderr)
	PY
	n=$(grep -c . live.json) &&
	test "$n" -gt 300 &&
	echo "$n $n 0" >expect &&
	test_cmp expect cmp
'

test_expect_success ROOT,TRACEFS,FUSE '--min-latency 10ms --drill on a slow FUSE mount: the open and read lines carry their FUSE children' '
	mkdir -p nas-src nas &&
	echo "remote data" >nas-src/report.txt &&
	"$HELPERS/slowfs" --delay lookup=40,open=20,read=15 nas-src nas &
	fspid=$! &&
	test_when_finished "umount nas 2>/dev/null; wait $fspid" &&
	for i in $(seq 50); do mountpoint -q nas && break; sleep 0.1; done &&
	"$FTIO" trace -p nas --min-latency 10ms --drill -- cat nas/report.txt >out 2>err &&
	grep -A4 -E " openat $PWD/nas/report.txt = [0-9]+ [0-9.]+ms$" out >open.txt &&
	grep -E "^    (\|-|\`-) fuse .*LOOKUP" open.txt &&
	grep -E "^    (\|-|\`-) fuse .*OPEN" open.txt &&
	grep -A4 -E " read $PWD/nas/report.txt = 12 [0-9.]+ms$" out >read.txt &&
	grep -E "^    (\|-|\`-) fuse .*READ" read.txt
'

test_expect_success ROOT,TRACEFS,PYTHON 'event to screen: a slow call at a known time is on stdout within 200 ms' '
	"$FTIO" trace --comm python3 --syscall read --min-latency 20ms -- \
		python3 "$TEST_DIRECTORY/helpers/live-latency.py" call 20 50 40 times 2>err |
		python3 "$TEST_DIRECTORY/helpers/live-latency.py" watch times " read " 20 >lat &&
	cat lat &&
	max=$(sed -n "s/.* max_ms \([0-9]*\).*/\1/p" lat) &&
	test -n "$max" && test "$max" -lt 200
'

test_expect_success ROOT,TRACEFS 'a stdout nobody reads: the workload is not held up, lines dropped and counted' '
	mkfifo stuck &&
	# holds the read end open and never reads
	sleep 60 <stuck &
	holder=$! &&
	test_when_finished "kill $holder 2>/dev/null; wait $holder 2>/dev/null; :" &&
	"$FTIO" record -q -o base.dat -- dd if=/dev/zero of=/dev/null bs=1 count=200000 2>base.err &&
	"$FTIO" trace -- dd if=/dev/zero of=/dev/null bs=1 count=200000 >stuck 2>err.stuck &&
	base=$(sed -n "s/.*copied, \([0-9.e-]*\) s.*/\1/p" base.err) &&
	live=$(sed -n "s/.*copied, \([0-9.e-]*\) s.*/\1/p" err.stuck) &&
	echo "dd under record ${base}s, under trace into a stuck pipe ${live}s" &&
	python3 -c "import sys; b, l = map(float, sys.argv[1:]); sys.exit(0 if l < 2 * b + 0.2 else 1)" "$base" "$live" &&
	n=$(sed -n "s/^ftio: \([0-9]*\) lines not shown: the output could not keep up$/\1/p" err.stuck) &&
	test "$n" -gt 100000 &&
	shown=$(sed -n "s/^ftio: \([0-9]*\) calls shown of \([0-9]*\) .*/\1 \2/p" err.stuck) &&
	set -- $shown &&
	test $(($1 + n)) = "$2"
'

test_expect_success ROOT,TRACEFS 'SIGINT, SIGTERM and SIGHUP end it cleanly' '
	for sig in INT TERM HUP; do
		"$FTIO" trace --comm nosuchcomm >/dev/null 2>err.$sig &
		pid=$! &&
		sleep 2 &&
		kill -$sig $pid &&
		wait $pid &&
		grep "calls shown" err.$sig || return 1
	done
'

test_expect_success ROOT,TRACEFS 'a reader that goes away (| head) ends the trace cleanly' '
	"$FTIO" trace -- dd if=/dev/zero of=/dev/null bs=1 count=100000 2>err | head -3 >out &&
	test_line_count = 3 out &&
	grep "lines not shown" err
'

test_expect_success 'usage errors exit 129' '
	test_expect_code 129 "$FTIO" trace --tid 3 2>err &&
	grep "^usage: ftio trace" err &&
	test_expect_code 129 "$FTIO" trace --min-latency soon 2>err &&
	test_expect_code 129 "$FTIO" trace --json --drill 2>err
'

test_done
