#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the Findings of fixtures with a known answer: slow or not, where the time went, who was denied, unusual errors, what was not seen'
. "$(dirname "$0")/test-lib.sh"

# seed, counters: uid 60004 runs cat /etc/shadow (fast, one EACCES, 34
# ENOENT probes); nfs: 20 ms of netem per packet on an NFS mount;
# slowfuse: a FUSE daemon that answers LOOKUP in 40 ms, OPEN in 20 ms,
# READ in 15 ms; quiet: a 256 KiB file written, copied, read in the page
# cache; slowdisk: dd reads with O_DIRECT from an ext4 on a loop device
# backed by a file on slowfs (READ in 20 ms), so each read waits on a block
# request; coldlookup: in the 6.1 VM (kprobes), stat of 200 files in 20
# directories of an ext4 remounted cold, so each first lookup in a
# directory misses the dentry cache.  tests/fixtures/regen.sh and
# regen-findings.sh record them (coldlookup: tests/vm/guest-kprobes.sh).
fx=$FIXTURES
test_lazy_prereq SLOWDISK_FIXTURE 'test -f "$FIXTURES/slowdisk.dat"'
test_lazy_prereq SLOWFUSE_FIXTURE 'test -f "$FIXTURES/slowfuse.dat"'
test_lazy_prereq QUIET_FIXTURE 'test -f "$FIXTURES/quiet.dat"'
test_lazy_prereq COLDLOOKUP_FIXTURE 'test -f "$FIXTURES/coldlookup.dat"'
test_lazy_prereq CHROMIUM 'test -x /usr/bin/chromium'

findings() {
	"$FTIO" report --no-pager -i "$fx/$1.dat" >$1.txt &&
	# one line per finding: a wrapped one is joined up again
	sed -n "1,/^\$/p" $1.txt |
		awk "/^    / { sub(/^ +/, \"\"); line = line \" \" \$0; next }
			{ if (NR > 1) print line; line = \$0 } END { print line }" >$1.findings &&
	"$FTIO" report -i "$fx/$1.dat" --json >$1.json
}

test_expect_success 'the report opens with its Findings, at most 8 lines (80 columns)' '
	for f in seed counters nfs slowfuse quiet slowdisk coldlookup; do
		test -f "$fx/$f.dat" || continue
		"$FTIO" report --no-pager --width 80 -i "$fx/$f.dat" >w.txt &&
		test "$(head -1 w.txt)" = Findings &&
		n=$(sed -n "2,/^\$/p" w.txt | grep -c .) &&
		test $n -ge 1 && test $n -le 8 || { cat w.txt; return 1; }
	done
'

test_expect_success 'seed: not slow, the EACCES on /etc/shadow by uid 60004, only expected errors' '
	findings seed &&
	grep "^  not slow: no file call took 10ms; p99 " seed.findings &&
	grep "^  denied: uid 60004(ftioseed) openat /etc/shadow EACCES (cat, 1 call); see Audit" seed.findings &&
	grep "^  errors: none unusual; 34 expected lookups folded" seed.findings &&
	! grep "^  where:" seed.findings &&
	sed -n "/^Errors/,/^\$/p" seed.txt >errors &&
	sed -n 3p errors | grep "^  openat  *EACCES  *1  *cat(3345)  */etc/shadow"
'

test_expect_success PYTHON 'seed: findings[] in the JSON, with their figures and rows' '
	python3 - seed.json <<-\EOF
	import json, sys
	f = json.load(open(sys.argv[1]))["findings"]
	k = {x["kind"]: x for x in f}
	assert set(k) == {"not_slow", "denied", "errors_expected", "not_seen"}, list(k)
	assert k["not_slow"]["figures"]["slow_calls"] == 0
	d = k["denied"]
	assert d["rows"] == [{"table": "audit", "key": {"uid": 60004, "syscall": "openat", "errno": "EACCES",
	                     "path": "/etc/shadow"}, "count": 1}], d["rows"]
	assert k["errors_expected"]["figures"]["expected_calls"] == 34
	for x in f:
	    assert x["text"] and isinstance(x["figures"], dict) and isinstance(x["rows"], list), x
	EOF
'

test_expect_success 'counters: not slow; path lookups not traced on this kernel' '
	findings counters &&
	grep "^  not slow:" counters.findings &&
	grep "^  denied: uid 60004(ftioseed) openat /etc/shadow EACCES" counters.findings &&
	grep "path lookups and error origins not traced (no kprobe_events)" counters.findings
'

test_expect_success 'nfs: slow, and the time is NFS RPCs under /mnt/nas; the missing file is an unusual error' '
	findings nfs &&
	grep "^  slow: 8 of 35 file calls took 10ms or more" nfs.findings &&
	tr -d "\n" <nfs.findings | tr -s " " >flat &&
	grep "where: 97% of 539.47ms in file calls (100% under /mnt/nas, nfs4) is NFS RPCs" flat &&
	grep "errors: ENOENT openat 1 (/mnt/nas/fixture/missing); see Errors" flat &&
	! grep "denied:" flat
'

test_expect_success SLOWFUSE_FIXTURE,PYTHON 'slowfuse: slow, and the time is the FUSE daemon: LOOKUP first' '
	findings slowfuse &&
	tr -d "\n" <slowfuse.findings | tr -s " " >flat &&
	grep "^Findings slow: " flat &&
	grep "is waiting for the FUSE daemon: LOOKUP" flat &&
	grep "see FUSE requests" flat &&
	python3 - slowfuse.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	k = {x["kind"]: x for x in r["findings"]}
	w = k["time_below"]["figures"]
	assert w["layer"] == "fuse" and w["share"] >= 0.5 and w["mount"].endswith("/nas"), w
	EOF
'

test_expect_success COLDLOOKUP_FIXTURE,PYTHON 'coldlookup: not slow, and the time is path lookup, not the disk under it' '
	findings coldlookup &&
	tr -d "\n" <coldlookup.findings | tr -s " " >flat &&
	grep "^Findings not slow: no file call took 10ms" flat &&
	grep "where: [0-9]*% of [0-9.]*ms in file calls (100% under /mnt/e, ext4) is path lookup: dentry-cache misses " flat &&
	grep "see Path lookup" flat &&
	! grep "slow: [0-9]" flat &&
	python3 - coldlookup.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	k = {x["kind"]: x for x in r["findings"]}
	assert "slow" not in k and "not_slow" in k, sorted(k)
	w = k["time_below"]["figures"]
	assert w["layer"] == "lookup" and w["share"] >= 0.5 and w["mount"] == "/mnt/e", w
	assert "lookup" in [x["table"] for x in k["time_below"]["rows"]], k["time_below"]["rows"]
	# 200 stats, one slow lookup per file and one per directory at least
	lk = r["lookup"]
	assert lk["slow"] >= 200, lk
	# the directory blocks were read from the disk, but below half the time:
	# block is deeper and named first only when it explains the time
	lt = {x["layer"]: x for x in r["layers_time"]}
	assert 0 < lt["block"]["time_ns"] < lt["lookup"]["time_ns"] / 2, lt
	EOF
'

test_expect_success SLOWDISK_FIXTURE,PYTHON 'slowdisk: slow, and the time is the block device' '
	findings slowdisk &&
	tr -d "\n" <slowdisk.findings | tr -s " " >flat &&
	grep "^Findings slow: [0-9]* of [0-9]* file calls took 10ms or more" flat &&
	grep "where: [0-9]*% of [0-9.]*ms in file calls ([0-9]*% under [^ ]*/mnt, ext4) is block requests: device " flat &&
	grep "see Devices" flat &&
	! grep "FUSE" flat &&
	sed -n "/^Devices/,/^\$/p" slowdisk.txt >devices &&
	grep "^  loop[0-9]*  *8  *256.0K " devices &&
	python3 - slowdisk.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	k = {x["kind"]: x for x in r["findings"]}
	s = k["slow"]["figures"]
	# dd read 256 KiB in 8 calls of 32 KiB, each a 20 ms daemon READ below the loop device
	assert s["slow_calls"] >= 8, s
	w = k["time_below"]["figures"]
	assert w["layer"] == "block" and w["share"] >= 0.5 and w["mount"].endswith("/mnt"), w
	tables = [x["table"] for x in k["time_below"]["rows"]]
	assert "devices" in tables, tables
	d = [x for x in r["devices"] if x["name"].startswith("loop")]
	assert d and d[0]["requests"] >= 8 and d[0]["d2c_p50_ns"] >= 10000000, d
	# ext4 direct-io holds the block requests (its time is no less):
	# the deeper layer is the answer, not the one with the most time
	lt = {x["layer"]: x for x in r["layers_time"]}
	assert "fs" in lt and lt["fs"]["time_ns"] >= lt["block"]["time_ns"], lt
	EOF
'

test_expect_success QUIET_FIXTURE 'quiet: no finding of slowness, nor of where the time went' '
	findings quiet &&
	grep "^  not slow: no file call took 10ms" quiet.findings &&
	! grep "^  slow:\|^  where:" quiet.findings &&
	grep -q "copy_file_range" quiet.txt &&
	grep -q "262144" quiet.txt
'

# the shell looked up head, cp, cat and ls along a $PATH whose first
# directories lack them (36 newfstatat ENOENT) and ftio execve'd sh the
# same way (9): a search, not an error; so are ls's getxattr ENODATA (no
# ACL, no label) and libselinux's probes; cp's open of its new target is one
test_expect_success QUIET_FIXTURE 'quiet: a search along $PATH is folded, a real ENOENT stays' '
	findings quiet &&
	"$FTIO" report --no-pager --errors -i "$fx/quiet.dat" >all.txt &&
	grep -E "^  newfstatat +ENOENT " all.txt &&
	grep -E "^  execve +ENOENT " all.txt &&
	sed -n "/^Errors/,/^\$/p" quiet.txt >errors &&
	! grep -E "^  (newfstatat|execve) +ENOENT" errors &&
	grep -E "^  openat +ENOENT +1 +cp\(" errors &&
	grep "expected lookups folded, by the rule in ftio-report(1); see --errors" errors &&
	! grep "ENOENT newfstatat\|ENOENT execve\|ENODATA\|selinux" quiet.findings &&
	grep "^  errors: ENOENT openat 1 (/tmp/ftio-fx/q/g); [0-9]* expected lookups folded" quiet.findings
'

test_expect_success 'a finding never names a cause: a filter that keeps only calls with nothing below' '
	"$FTIO" report --no-pager -i "$fx/nfs.dat" --syscall statx >statx.txt &&
	sed -n "1,/^\$/p" statx.txt >statx.findings &&
	grep "^  not slow:" statx.findings &&
	! grep "where:" statx.findings
'

test_expect_success CHROMIUM,PYTHON 'the page in Chromium: no console error, the Findings in the first screen' '
	"$FTIO" report --no-pager -i "$fx/nfs.dat" --html nfs.html 2>/dev/null &&
	python3 "$TEST_DIRECTORY/helpers/html-check.py" --no-click nfs.html >check.json &&
	grep "\"findings\": {" check.json
'

test_done
