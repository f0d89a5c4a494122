#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='drill-down below the syscall: block requests on a loop device, a slow FUSE mount'
. "$(dirname "$0")/test-lib.sh"

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_expect_success ROOT,TRACEFS,LOOP,PYTHON 'set up ext4 on a loop device' '
	truncate -s 64M disk.img &&
	loopdev=$(losetup -f --show disk.img) &&
	echo "$loopdev" >loopdev &&
	mkfs.ext4 -q "$loopdev" &&
	mkdir -p disk &&
	mount "$loopdev" disk &&
	dd if=/dev/urandom of=disk/big bs=1M count=8 status=none &&
	dd if=/dev/urandom of=disk/cold bs=1M count=4 status=none &&
	sync
'

cleanup_loop() {
	umount disk 2>/dev/null
	test -s loopdev && losetup -d "$(cat loopdev)" 2>/dev/null
	rm -f loopdev
}

test_expect_success ROOT,TRACEFS,LOOP,PYTHON 'every O_DIRECT read has block children, and their D2C fits in the read' '
	test -s loopdev &&
	"$FTIO" record -q -o dio.dat -p disk -- dd if=disk/big of=/dev/null bs=64k iflag=direct status=none &&
	"$FTIO" report -i dio.dat --json --top 100000 --syscall read >dio.json &&
	json dio.json "[c for c in r[\"slowest\"] if c[\"path\"] and c[\"path\"].endswith(\"/disk/big\")]" >reads.json &&
	python3 - reads.json <<-\EOF
	import json, sys
	reads = [c for c in json.load(open(sys.argv[1])) if c["ret"] > 0]
	assert len(reads) == 128, f"{len(reads)} reads of disk/big, expected 128"
	for c in reads:
	    blocks = [ch for ch in c["children"] if ch["layer"] == "block"]
	    start = c["start_ns"]
	    assert blocks, f"read at {start} has no block child"
	    d2c = sum(ch["d2c_ns"] for ch in blocks)
	    lat = c["latency_ns"]
	    assert d2c <= lat, f"D2C {d2c} > read latency {lat}"
	    assert sum(ch["bytes"] for ch in blocks) == 65536, "block bytes != 64 KiB"
	print("ok")
	EOF
'

test_expect_success ROOT,TRACEFS,LOOP,PYTHON 'the device table and its JSON contract' '
	dev=$(basename "$(cat loopdev)") &&
	json dio.json "[(d[\"name\"], d[\"requests\"] >= 128, d[\"bytes\"] >= 8388608, d[\"d2c_p50_ns\"] > 0) for d in r[\"devices\"]]" >got &&
	echo "[[\"$dev\", true, true, true]]" >expect &&
	test_cmp expect got &&
	json dio.json "sorted(r[\"devices\"][0].keys())" >keys &&
	for k in device name requests bytes q2d_p50_ns d2c_p50_ns d2c_p99_ns q2c_max_ns; do
		grep -q "\"$k\"" keys || return 1
	done &&
	"$FTIO" report -i dio.dat >dio.txt &&
	grep -E "^  $dev +[0-9]+ " dio.txt &&
	grep "$dev D2C histogram" dio.txt
'

test_expect_success ROOT,TRACEFS,LOOP,PYTHON '-p on a block-backed mount filters block events to its device in the kernel' '
	grep -q "devices=7:" <("$FTIO" info -i dio.dat) &&
	json dio.json "sorted(set(d[\"name\"] for d in r[\"devices\"]))" >got &&
	echo "[\"$(basename "$(cat loopdev)")\"]" >expect &&
	test_cmp expect got
'

test_expect_success ROOT,TRACEFS,LOOP,PYTHON 'a cold buffered read shows page-cache misses and block requests under it' '
	echo 3 >/proc/sys/vm/drop_caches &&
	"$FTIO" record -q -o cold.dat -- cat disk/cold >/dev/null &&
	"$FTIO" report -i cold.dat --json --top 100000 --syscall read >cold.json &&
	json cold.json "[c for c in r[\"slowest\"] if c[\"path\"] and c[\"path\"].endswith(\"/disk/cold\")]" >reads.json &&
	python3 - reads.json <<-\EOF
	import json, sys
	reads = json.load(open(sys.argv[1]))
	pages = sum(ch["pages"] for c in reads for ch in c["children"] if ch["layer"] == "pagecache")
	blocks = [ch for c in reads for ch in c["children"] if ch["layer"] == "block"]
	assert pages >= 1024, f"only {pages} page-cache misses for a 4 MiB cold file"
	assert blocks, "no block request under the cold reads"
	print("ok", pages, len(blocks))
	EOF
	json cold.json "[f for f in r[\"pagecache\"][\"files\"] if f[\"path\"] and f[\"path\"].endswith(\"/disk/cold\")][0][\"misses\"]" >misses &&
	test $(cat misses) -ge 1024 &&
	json cold.json "[l[\"layer\"] for l in r[\"layers_time\"]]" | grep -q block &&
	"$FTIO" report -i cold.dat --drill --syscall read >cold.txt &&
	grep -E "^    (\|-|\`-) block [a-z0-9]+ read: [0-9]+ requests" cold.txt &&
	grep -E "^    (\|-|\`-) page cache [a-z0-9]+: [0-9]+ miss" cold.txt
'

test_expect_success ROOT,TRACEFS,LOOP 'tear down the loop device' '
	cleanup_loop
'

test_expect_success ROOT,TRACEFS,FUSE,PYTHON 'a slow FUSE "NAS": injected delays land under the right calls and mount' '
	mkdir -p nas-src nas &&
	echo "remote data" >nas-src/report.txt &&
	"$HELPERS/slowfs" --delay lookup=40,open=20,read=15 nas-src nas &
	fspid=$! &&
	test_when_finished "umount nas 2>/dev/null; wait $fspid" &&
	for i in $(seq 50); do mountpoint -q nas && break; sleep 0.1; done &&
	"$FTIO" record -q -o nas.dat -p nas -- cat nas/report.txt >/dev/null &&
	"$FTIO" report -i nas.dat --json --top 100000 >nas.json &&
	python3 - nas.json "$PWD/nas" <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1])); mnt = sys.argv[2]
	calls = [c for c in r["slowest"] if c["path"] == mnt + "/report.txt"]
	opens = [c for c in calls if c["syscall"] in ("openat", "open")]
	reads = [c for c in calls if c["syscall"] == "read" and c["ret"] > 0]
	assert opens and reads, f"opens {len(opens)} reads {len(reads)}"
	def fuse(c, op):
	    return sum(ch["latency_ns"] for ch in c["children"] if ch["layer"] == "fuse" and ch["opcode"] == op)
	o = opens[0]
	lookup, opn = fuse(o, "LOOKUP"), fuse(o, "OPEN")
	assert lookup >= 40e6, f"LOOKUP under open: {lookup}"
	assert opn >= 20e6, f"OPEN under open: {opn}"
	assert fuse(o, "LOOKUP") + fuse(o, "OPEN") <= o["latency_ns"], "children exceed the open"
	assert o["latency_ns"] < 60e6 + 200e6, "open much slower than the injected delays"
	rd = fuse(reads[0], "READ")
	assert rd >= 15e6, f"READ under read: {rd}"
	ops = {f["opcode"]: f for f in r["fuse"] if f["mount"] == mnt}
	assert ops["LOOKUP"]["max_ns"] >= 40e6 and ops["READ"]["max_ns"] >= 15e6, ops
	assert r["files"][0]["path"] == mnt + "/report.txt", r["files"][0]
	assert [m for m in r["mounts"] if m["mount"] == mnt and m["fstype"].startswith("fuse")]
	print("ok")
	EOF
	"$FTIO" report -i nas.dat >nas.txt &&
	grep -E "^  .*/nas +LOOKUP " nas.txt
'

test_done
