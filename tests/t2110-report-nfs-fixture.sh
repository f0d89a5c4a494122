#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the nfs layer report of a checked-in recording made against a real NFS server, without root'
. "$(dirname "$0")/test-lib.sh"

# nfs.dat was recorded by tests/vm/guest-nfs.sh in Debian's 6.1 kernel under
# QEMU (this machine's kernel has no NFS tracepoints): ftio record -e
# syscalls,paths,nfs -p /mnt/nas on a loopback NFSv4.2 mount with tc netem
# delaying each packet on lo by 20 ms; the workload also reads a file on a
# second NFS mount, which -p left out (its RPCs show with an unknown
# mount).  tests/fixtures/expect-nfs.sh rewrites the expected outputs.
fx=$FIXTURES
export TZ=UTC

test_expect_success 'the text report has the expected NFS sections' '
	"$FTIO" report -i "$fx/nfs.dat" >report.txt &&
	sh "$fx/nfs-sections.sh" <report.txt >actual &&
	test_cmp "$fx/nfs.report-nfs.txt" actual
'

test_expect_success PYTHON 'the JSON report has the expected "nfs" member' '
	"$FTIO" report -i "$fx/nfs.dat" --json >report.json &&
	python3 -c "import json, sys; print(json.dumps(json.load(sys.stdin)[\"nfs\"], indent=1, sort_keys=True))" \
		<report.json >actual &&
	test_cmp "$fx/nfs.report-nfs.json" actual
'

test_expect_success PYTHON 'the round trips carry the injected delay, the syscalls carry the RPCs' '
	python3 - report.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	n = r["nfs"]
	t = n["rpc_total"]
	assert t["count"] > 10 and t["rtt_share"] > 0.9, t
	assert {o["mount"] for o in n["operations"]} == {"/mnt/nas"}, n["operations"]
	assert [p["count"] for p in n["rpc"] if p["mount"] is None and p["procedure"] == "READ"] == [1], n["rpc"]
	read = [p for p in n["rpc"] if p["procedure"] == "READ"][0]
	assert read["rtt_p50_ns"] > 40000000 and read["server"] == "127.0.0.1", read
	big = [c for c in r["slowest"] if c["path"] == "/mnt/nas/fixture/big" and c["syscall"] == "read"]
	assert any(k["layer"] == "rpc" and k["what"] == "READ" for c in big for k in c["children"]), big
	lt = {l["layer"]: l for l in r["layers_time"]}
	assert lt["rpc"]["share"] > 0.5, lt
	EOF
'

test_expect_success 'the other layers sections are absent: only syscalls, paths and nfs were recorded' '
	grep "^  layers: syscalls,paths,nfs$" report.txt &&
	! grep -q "^FUSE requests" report.txt
'

test_expect_success 'the whole text report of the nfs fixture fits 100 columns' '
	"$FTIO" report -i "$FIXTURES/nfs.dat" --drill --width 100 >all.txt &&
	test $(awk "{ if (length > m) m = length } END { print m }" all.txt) -le 100
'

test_done
