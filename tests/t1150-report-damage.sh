#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='a cut recording says so: the Capture section, capture.damage in the JSON, and report --strict'
. "$(dirname "$0")/test-lib.sh"

test_expect_success ROOT,TRACEFS,PYTHON 'an intact recording: no damage, "0 lost", --strict exits 0' '
	"$FTIO" record -q -o whole.dat -- sh -c "for i in \$(seq 300); do cat /etc/passwd; done >/dev/null" &&
	"$FTIO" report --strict -i whole.dat >whole.txt &&
	! grep DAMAGED whole.txt &&
	grep -E "^  [0-9.]+m?s, [0-9]+ events, 0 lost$" whole.txt &&
	"$FTIO" report --strict --json -i whole.dat >whole.json &&
	python3 - whole.json <<-\EOF
	import json, sys
	c = json.load(open(sys.argv[1]))["capture"]
	assert c["complete"] is True, c
	assert c["damage"] == {"truncated_bytes": 0, "damaged_bytes": 0, "bad_chunks": 0,
	                       "files": 1, "files_without_end": 0, "missing_after_ns": {}}, c["damage"]
	assert set(c["pairing"]) == {"exit_without_enter", "completion_without_issue",
	                             "in_flight_at_stop", "completion_lost",
	                             "fuse_reply_without_request"}, c["pairing"]
	print("ok")
	EOF
'

test_expect_success ROOT,TRACEFS,PYTHON 'cut to two thirds: DAMAGED first in Capture, no bare "0 lost", the JSON, --strict exits 1' '
	size=$(stat -c %s whole.dat) &&
	cp whole.dat cut.dat &&
	truncate -s $((size * 2 / 3)) cut.dat &&
	"$FTIO" report -i cut.dat >cut.txt 2>cut.err &&
	# the Findings say it, and it is the first line of Capture
	grep -E "^  not seen: the recording is damaged or cut short" cut.txt &&
	sed -n "/^Capture$/{n;p;q}" cut.txt | grep "^  DAMAGED: 1 of 1 files cut short" &&
	grep -E "^  missing: cpu[0-9]+ after [0-9.]+m?s" cut.txt &&
	grep -E "^  [0-9.]+m?s, [0-9]+ events, 0 lost by the kernel, but the capture is incomplete$" cut.txt &&
	! grep -E "events, 0 lost$" cut.txt &&
	"$FTIO" report --json -i cut.dat >cut.json 2>/dev/null &&
	python3 - cut.json <<-\EOF &&
	import json, sys
	c = json.load(open(sys.argv[1]))["capture"]
	d = c["damage"]
	assert c["complete"] is False, c
	assert d["files_without_end"] == 1 and d["files"] == 1, d
	assert d["truncated_bytes"] > 0, d
	assert d["missing_after_ns"] and all(0 < t <= c["duration_ns"] for t in d["missing_after_ns"].values()), d
	print("ok", d)
	EOF
	test_expect_code 1 "$FTIO" report --strict -i cut.dat >strict.txt 2>strict.err &&
	grep "^Capture" strict.txt &&
	grep "^ftio: damaged recording .cut.dat.: .* (--strict)$" strict.err &&
	test_expect_code 1 "$FTIO" report --strict --json -i cut.dat >/dev/null 2>&1
'

test_expect_success ROOT,TRACEFS 'a damaged chunk in the middle is counted too' '
	size=$(stat -c %s whole.dat) &&
	cp whole.dat mid.dat &&
	dd if=/dev/zero of=mid.dat bs=1 seek=$((size / 2)) count=4096 conv=notrunc status=none &&
	test_expect_code 1 "$FTIO" report --strict -i mid.dat >mid.txt 2>/dev/null &&
	sed -n "/^Capture$/{n;p;q}" mid.txt | grep "^  DAMAGED:"
'

test_done
