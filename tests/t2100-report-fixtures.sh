#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='report, replay and info of a checked-in recording, without root'
. "$(dirname "$0")/test-lib.sh"

# The fixture is the seed scenario recorded on Linux 6.18 (x86_64): uid 60004
# runs cat /etc/shadow.  tests/fixtures/regen.sh re-records it.
fx=$FIXTURES
export TZ=UTC

for out in report.txt report.json report-drill.txt replay.txt info.txt; do
	case $out in
	report.txt) cmd="report" ;;
	report.json) cmd="report --json" ;;
	report-drill.txt) cmd="report --drill --errors" ;;
	replay.txt) cmd="replay --comm cat" ;;
	info.txt) cmd="info" ;;
	esac
	test_expect_success "ftio $cmd matches its expected output" "
		(cd \"\$fx\" && \"\$FTIO\" $cmd -i seed.dat) >actual &&
		test_cmp \"\$fx/seed.$out\" actual
	"
done

test_expect_success PYTHON 'the seed scenario is in the fixture: EACCES, uid 60004, /etc/shadow, cat' '
	python3 - "$fx/seed.report.json" <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	a = [x for x in r["audit"] if x["path"] == "/etc/shadow"]
	assert len(a) == 1, a
	a = a[0]
	assert (a["syscall"], a["errno"], a["uid"], a["comm"]) == ("openat", "EACCES", 60004, "cat"), a
	assert 0 < a["latency_ns"] < 1000000, a
	print("ok", a["latency_ns"])
	EOF
'

# counters.dat: the same through the perf transport, with --counters
for out in report-drill.txt report.json; do
	case $out in
	report-drill.txt) cmd="report --drill" ;;
	report.json) cmd="report --json" ;;
	esac
	test_expect_success "perf transport + counters: ftio $cmd matches its expected output" "
		(cd \"\$fx\" && \"\$FTIO\" $cmd -i counters.dat) >actual &&
		test_cmp \"\$fx/counters.$out\" actual
	"
done

test_expect_success PYTHON 'the perf fixture: the denied open, and what the thread did during it' '
	python3 - "$fx/counters.report.json" <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	assert "transport=perf" in r["capture"]["strategy"], r["capture"]["strategy"]
	a = [x for x in r["audit"] if x["path"] == "/etc/shadow"]
	assert len(a) == 1 and (a[0]["errno"], a[0]["uid"]) == ("EACCES", 60004), a
	counted = [c for c in r["slowest"] if c["oncpu_ns"] is not None]
	assert counted, "no counted call"
	for c in counted:
	    assert c["oncpu_ns"] + c["offcpu_ns"] == c["latency_ns"] or c["offcpu_ns"] == 0, c
	    assert c["cycles"] is None and c["ctx_switches"] is not None, c
	s = {x["name"]: x for x in r["syscalls"]}
	assert s["openat"]["counted_calls"] == s["openat"]["count"], s["openat"]
	print("ok", len(counted))
	EOF
'

test_expect_success 'a damaged copy of the fixture decodes up to the damage, never crashes' '
	size=$(wc -c <"$fx/seed.dat") &&
	for cut in 100 5000 $((size / 2)) $((size - 100)); do
		head -c $cut "$fx/seed.dat" >cut.dat &&
		"$FTIO" report -i cut.dat >/dev/null 2>err
		rc=$?
		test $rc = 0 || test $rc = 1 || return 1
		grep -q "warning: .cut.dat.:" err || return 1
	done &&
	cp "$fx/seed.dat" flip.dat &&
	printf "\377\377\377\377" | dd of=flip.dat bs=1 seek=$((size / 2)) conv=notrunc status=none &&
	"$FTIO" report -i flip.dat >/dev/null 2>err &&
	grep -q "warning: .flip.dat.:" err
'

test_expect_success 'a damaged copy of the perf fixture decodes up to the damage, never crashes' '
	size=$(wc -c <"$fx/counters.dat") &&
	for cut in 5000 $((size / 2)) $((size - 100)); do
		head -c $cut "$fx/counters.dat" >cut.dat &&
		"$FTIO" report -i cut.dat --json >/dev/null 2>err
		rc=$?
		test $rc = 0 || test $rc = 1 || return 1
		grep -q "warning: .cut.dat.:" err || return 1
	done
'

test_done
