#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the perf_event transport, and --counters through libpfm4'
. "$(dirname "$0")/test-lib.sh"

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_lazy_prereq PERF '
	test_have_prereq ROOT && "$FTIO" probe | grep -qE "^perf_event tracepoints +yes"
'
test_lazy_prereq TASKCLOCK '
	test_have_prereq PERF && "$FTIO" probe | grep -qE "^counters perf +yes .* task-clock"
'

test_expect_success 'usage errors: a bad --backend, an unknown counter, counters without a target' '
	test_expect_code 129 "$FTIO" record --backend bogus -- true 2>err &&
	grep "invalid --backend '\''bogus'\'' (tracefs, perf or auto)" err &&
	grep "^usage: ftio record" err &&
	test_expect_code 129 "$FTIO" record --counters taskclock -- true 2>err &&
	grep "unknown counter '\''taskclock'\''.*did you mean: task-clock" err &&
	test_expect_code 129 "$FTIO" record --counters major-fault -- true 2>err &&
	grep "did you mean:.*major-faults" err &&
	test_expect_code 129 "$FTIO" record --counters task-clock -d 1 2>err &&
	grep "needs a command or --pid" err
'

test_expect_success ROOT,TRACEFS,UPROBES,PERF,PYTHON 'both backends see the same calls, paths and errors of one workload' '
	mkdir -p fd/sub &&
	echo 0123456789 >fd/data && echo abcdef >fd/rel.txt && echo hi >fd/sub/f &&
	"$FTIO" record -q --backend tracefs -o tfs.dat -- "$HELPERS/fdwork" "$PWD/fd" &&
	"$FTIO" record -q --backend perf -o prf.dat -- "$HELPERS/fdwork" "$PWD/fd" &&
	"$FTIO" info prf.dat | grep "transport=perf" &&
	"$FTIO" info tfs.dat | grep "transport=tracefs" &&
	for b in tfs prf; do
		"$FTIO" report -i $b.dat --json --top 1000 >$b.json &&
		json $b.json "sorted((s[\"name\"], s[\"count\"], s[\"errors\"]) for s in r[\"syscalls\"])" >$b.calls &&
		json $b.json "sorted((f[\"path\"], f[\"count\"], f[\"bytes\"]) for f in r[\"files\"])" >$b.files &&
		json $b.json "sorted((e[\"syscall\"], e[\"errno\"], e[\"path\"], e[\"count\"]) for e in r[\"errors\"])" >$b.errors &&
		json $b.json "r[\"capture\"][\"lost_events\"]" >$b.lost || return 1
	done &&
	test_cmp tfs.calls prf.calls &&
	test_cmp tfs.files prf.files &&
	test_cmp tfs.errors prf.errors &&
	echo 0 >zero && test_cmp zero prf.lost &&
	grep "$PWD/fd/data" prf.files
'

test_expect_success ROOT,TRACEFS,UPROBES,PERF,PYTHON 'where instances are refused, record falls back to perf: the seed scenario still holds' '
	if ! getent passwd 60004 >/dev/null; then
		useradd -u 60004 -M -N -s /bin/sh ftioseed &&
		test_when_finished "userdel ftioseed"
	fi &&
	FTIO_TEST_NO_INSTANCES=1 "$FTIO" record -o seed.dat -- setpriv --reuid=60004 --regid=60004 \
		--clear-groups cat /etc/shadow 2>err;
	test $? = 1 &&
	grep "tracefs instances are refused here (Operation not permitted): recording through perf_event" err &&
	grep "transport=perf" err &&
	"$FTIO" report -i seed.dat --json >seed.json &&
	json seed.json "[(a[\"syscall\"], a[\"errno\"], a[\"uid\"], a[\"comm\"]) for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"]" >got &&
	echo "[[\"openat\", \"EACCES\", 60004, \"cat\"]]" >expect &&
	test_cmp expect got &&
	lat=$(json seed.json "[a[\"latency_ns\"] for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"][0]") &&
	test "$lat" -gt 0 && test "$lat" -lt 100000000
'

test_expect_success ROOT,TRACEFS,PERF 'with instances refused, --backend tracefs fails cleanly and keeps the earlier file' '
	echo precious >keep.dat &&
	FTIO_TEST_NO_INSTANCES=1 test_expect_code 1 "$FTIO" record --backend tracefs -o keep.dat -- true 2>err &&
	grep "^ftio: cannot create tracefs instance '\''ftio_[0-9]*'\'': Operation not permitted" err &&
	echo precious >expect && test_cmp expect keep.dat
'

test_expect_success ROOT,TRACEFS,PERF,PYTHON 'perf system-wide: ftio leaves its own threads out' '
	( sleep 0.3; cat /etc/hostname >/dev/null ) &
	"$FTIO" record -q --backend perf -e syscalls -d 1 -o sw.dat &
	fpid=$! &&
	wait $fpid &&
	wait &&
	# another ftio may run beside the tests: this one, by its pid
	"$FTIO" report -i sw.dat --json --pid $fpid >sw.json &&
	json sw.json "r[\"capture\"][\"calls_reported\"]" >got &&
	echo 0 >expect && test_cmp expect got &&
	"$FTIO" report -i sw.dat --json --comm cat >cat.json &&
	test "$(json cat.json "r[\"capture\"][\"calls_reported\"]")" -gt 0
'

test_expect_success ROOT,TRACEFS,UPROBES,TASKCLOCK,PYTHON 'without --counters the contract keys are null' '
	json tfs.json "[(s[\"oncpu_ns\"], s[\"offcpu_ns\"], s[\"ctx_switches\"], s[\"major_faults\"]) for s in r[\"syscalls\"][:1] + r[\"slowest\"][:1]]" >got &&
	echo "[[null, null, null, null], [null, null, null, null]]" >expect &&
	test_cmp expect got
'

test_expect_success ROOT,TRACEFS,LOOP,TASKCLOCK,PYTHON 'a cold O_DIRECT read on a loop device is off the CPU (perf backend, -p)' '
	truncate -s 64M disk.img &&
	loopdev=$(losetup -f --show disk.img) &&
	test_when_finished "umount disk 2>/dev/null; losetup -d $loopdev" &&
	mkfs.ext4 -q "$loopdev" && mkdir -p disk && mount "$loopdev" disk &&
	dd if=/dev/urandom of=disk/big bs=1M count=8 status=none && sync &&
	echo 3 >/proc/sys/vm/drop_caches &&
	"$FTIO" record -q --backend perf -p disk --counters task-clock,context-switches,major-faults \
		-o cold.dat -- dd if=disk/big of=/dev/null bs=1M iflag=direct status=none &&
	"$FTIO" report -i cold.dat --json --syscall read --top 20 >cold.json &&
	python3 - cold.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	reads = [c for c in r["slowest"] if c["path"] and c["path"].endswith("/disk/big")]
	assert len(reads) >= 8, len(reads)
	for c in reads[:8]:
	    assert c["oncpu_ns"] is not None and c["offcpu_ns"] is not None, c
	    assert c["oncpu_ns"] + c["offcpu_ns"] == c["latency_ns"], c
	    assert any(k["layer"] == "block" for k in c["children"]), c
	# the slowest waited on the device: the thread slept for most of it (tracing and
	# interrupts are on its CPU time, more so on a loaded machine)
	for c in reads[:3]:
	    assert c["offcpu_ns"] >= 0.5 * c["latency_ns"], c
	    assert c["ctx_switches"] >= 1, c
	s = [x for x in r["syscalls"] if x["name"] == "read"][0]
	assert s["counted_calls"] == s["count"], s
	assert s["offcpu_ns"] > s["oncpu_ns"], s
	print("ok", [(c["latency_ns"], c["offcpu_ns"]) for c in reads[:3]])
	EOF
'

test_expect_success ROOT,TRACEFS,TASKCLOCK,PYTHON 'a big write to tmpfs is on the CPU (tracefs backend + counters)' '
	mkdir -p tm && mount -t tmpfs tmpfs tm &&
	test_when_finished "umount tm" &&
	# a path longer than a text line: the drill-down must cut it (test 9)
	long=tm/$(printf "a-directory-name-longer-than-a-line-%.0s" 1 2 3) &&
	mkdir "$long" &&
	head -c 64M /dev/zero >zero64 &&
	"$FTIO" record -q --counters task-clock,context-switches -o cpu.dat -- \
		dd if=zero64 of="$long/out" bs=64M count=1 status=none &&
	"$FTIO" report -i cpu.dat --json --syscall write >cpu.json &&
	python3 - cpu.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	c = [c for c in r["slowest"] if c["path"] and c["path"].endswith("-line-/out")][0]
	assert c["bytes"] == 64 << 20, c
	assert c["oncpu_ns"] >= 0.8 * c["latency_ns"], c
	assert c["major_faults"] is None, c
	print("ok", c["latency_ns"], c["oncpu_ns"])
	EOF
'

test_expect_success ROOT,TRACEFS,TASKCLOCK 'the text report: the on-CPU table, counts under the slowest calls' '
	# a file has no width limit: 100 columns asked, the long path shortened in its middle
	"$FTIO" report -i cpu.dat --drill --width 100 >cpu.txt &&
	grep "^On CPU or waiting (--counters: per thread)" cpu.txt &&
	grep -E "^  write +1 +[0-9.]+ms +[0-9.]+ms" cpu.txt &&
	grep -E "^    counters: on CPU [0-9.]+ms, off CPU .*switch" cpu.txt &&
	grep -E "^  [0-9.]+ms write /.*\.\.\./out \(tid" cpu.txt &&
	awk "length > 100 { print \"too wide: \" \$0; bad = 1 } END { exit bad }" cpu.txt
'

test_expect_success ROOT,TRACEFS,TASKCLOCK,PYTHON 'a counter this machine lacks is named in the report, and null in JSON' '
	if "$FTIO" probe | grep -qE "^counters unavailable .*cycles"; then
		"$FTIO" record -q --counters task-clock,cycles -o hw.dat -- cat /etc/hostname >/dev/null &&
		"$FTIO" report -i hw.dat >hw.txt &&
		grep -E "^  counter unavailable: cycles\(.+\)" hw.txt &&
		"$FTIO" report -i hw.dat --json >hw.json &&
		json hw.json "sorted(set(c[\"cycles\"] is None and c[\"oncpu_ns\"] is not None for c in r[\"slowest\"]))" >got &&
		echo "[true]" >expect && test_cmp expect got
	else
		"$FTIO" record -q --counters task-clock,cycles -o hw.dat -- cat /etc/hostname >/dev/null &&
		"$FTIO" report -i hw.dat --json >hw.json &&
		test "$(json hw.json "max(c[\"cycles\"] or 0 for c in r[\"slowest\"])")" -gt 0
	fi
'

test_expect_success ROOT,TRACEFS,TASKCLOCK,PYTHON 'replay shows the counts a group sample read' '
	"$FTIO" replay --json -i cpu.dat -e raw_syscalls:sys_exit >rs.json &&
	python3 - rs.json <<-\EOF
	import json, sys
	rows = [json.loads(l) for l in open(sys.argv[1])]
	assert rows, "no raw_syscalls:sys_exit samples"
	assert all(set(r["counters"]) == {"task-clock", "context-switches"} for r in rows), rows[0]
	# the task-clock of a thread on one CPU never goes back
	last = {}
	for r in rows:
	    k = (r["tid"], r["cpu"])
	    assert r["counters"]["task-clock"] >= last.get(k, 0), r
	    last[k] = r["counters"]["task-clock"]
	print("ok", len(rows))
	EOF
'

test_expect_success ROOT,TRACEFS,PERF,PYTHON 'a ring too small loses samples, and every one is counted' '
	"$FTIO" record -q --backend perf -b 4 -e syscalls -o lost.dat -- \
		dd if=/dev/zero of=/dev/null bs=1 count=300000 status=none &&
	"$FTIO" report -i lost.dat --json >lost.json &&
	python3 - lost.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	c = r["capture"]
	# each byte: a read and a write, an enter and an exit each
	assert c["lost_events"] > 0, c
	assert c["events"] + c["lost_events"] >= 4 * 300000, c
	assert c["events"] + c["lost_events"] < 4 * 300000 * 1.01, c
	print("ok", c["events"], c["lost_events"])
	EOF
'

test_expect_success ROOT,TRACEFS,PERF 'a perf recording decodes elsewhere without root, and info counts its chunks' '
	"$FTIO" info prf.dat >info.txt &&
	grep -E "^strategy: +transport=perf" info.txt &&
	"$FTIO" replay -i prf.dat >replay.txt &&
	grep -q "sys_enter_openat:" replay.txt
'

test_done
