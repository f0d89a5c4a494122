#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='EIO from a device-mapper error target: the failed read(), its path and device, and the block error under it'
. "$(dirname "$0")/test-lib.sh"

# The stack, bottom up: a file; loop device "lower" over it; a dm table
# over lower that maps every sector through (linear) except those of one
# file, which fail (error); loop device "top" over the dm device; ext4 on
# top.  dm is bio-based: its error target fails bios without a request, so
# no block_rq_complete ever says so.  The loop device on top is
# request-based: its request for the file's blocks completes with
# error=-5, which is the block layer's error ftio can show under the call.
#
# This machine's kernel may have no device-mapper (this project's host has
# none): the whole script then runs again in the QEMU guest (Debian 6.1,
# tests/vm/run-vm.sh with dm_mod and dmsetup), which has it.

dmname=ftio_t6300_$$

# (test_have_prereq inside a lazy prereq fails under -v: fd 6 is closed there)
test_lazy_prereq DM '
	test "$(id -u)" = 0 && losetup -f && command -v mkfs.ext4 &&
	command -v dmsetup && command -v filefrag && command -v blockdev &&
	{ modprobe -q dm_mod 2>/dev/null; true; } &&
	dmsetup targets >targets && grep -qw error targets && grep -qw linear targets
'
test_lazy_prereq VM '
	test "$(id -u)" = 0 && command -v qemu-system-x86_64 && python3 -c "import sys" &&
	test -x "$TEST_DIRECTORY/vm/run-vm.sh" && test -z "$FTIO_VM"
'
# no udev in the guest, maybe none here: libdevmapper makes its own nodes
export DM_DISABLE_UDEV=1

# majmin DEV: "major:minor" of a block device node
majmin() {
	printf '%d:%d\n' "0x$(stat -L -c %t "$1")" "0x$(stat -L -c %T "$1")"
}

# devt MAJ:MIN: the kernel dev_t as block events print it (major << 20 | minor)
devt() {
	echo $((${1%%:*} << 20 | ${1#*:}))
}

test_expect_success DM 'set up ext4 on a loop device over dm (linear + error under one file)' '
	dd if=/dev/zero of=disk.img bs=1M count=32 status=none &&
	lower=$(losetup -f --show disk.img) &&
	echo "$lower" >lower.dev &&
	mkfs.ext4 -q -F -b 4096 "$lower" &&
	mkdir m && mount "$lower" m &&
	echo fine >m/fine &&
	head -c 65536 /dev/urandom >m/victim &&
	sync &&
	filefrag -v m/victim >frag &&
	cat frag &&
	# "   0:        0..      15:       1549..      1564:     16:   last,eof"
	blk=$(awk "\$1 == \"0:\" { sub(/\\.\\..*/, \"\", \$4); print \$4 }" frag) &&
	len=$(awk "\$1 == \"0:\" { sub(/:/, \"\", \$6); print \$6 }" frag) &&
	test -n "$blk" && test -n "$len" &&
	umount m &&
	size=$(blockdev --getsz "$lower") &&
	s1=$((blk * 8)) n=$((len * 8)) &&
	printf "0 %d linear %s 0\n%d %d error\n%d %d linear %s %d\n" \
		$s1 "$lower" $s1 $n $((s1 + n)) $((size - s1 - n)) "$lower" $((s1 + n)) >table &&
	cat table &&
	dmsetup create "$dmname" <table &&
	echo "$dmname" >dm.name &&
	test -b "/dev/mapper/$dmname" &&
	top=$(losetup -f --show "/dev/mapper/$dmname") &&
	echo "$top" >top.dev &&
	mount -o ro "$top" m &&
	cat m/fine
'

test_expect_success DM 'reading the file fails with EIO under ftio record' '
	"$FTIO" record -q -o eio.dat -- sh -c "
		cat m/fine >/dev/null
		dd if=m/victim of=/dev/null bs=4k count=1 iflag=direct 2>dd.err
		echo \$? >dd.rc" &&
	cat dd.err &&
	test "$(cat dd.rc)" != 0 &&
	grep "Input/output error" dd.err
'

test_expect_success DM 'the kernel said so: block_rq_complete error=-5 on the top loop device, the bio on dm' '
	topdev=$(devt "$(majmin "$top")") &&
	dmdev=$(devt "$(majmin "/dev/mapper/$dmname")") &&
	"$FTIO" replay -i eio.dat -e "block_*" >block.txt &&
	grep "block_rq_complete: dev=$topdev .* error=-5 " block.txt &&
	grep "block_bio_queue: dev=$dmdev " block.txt &&
	grep " dd-[0-9]* sys_exit_read: .* ret=-5\$" <("$FTIO" replay -i eio.dat -e sys_exit_read)
'

test_expect_success DM,PYTHON 'the report: read() failed with EIO on m/victim, on the ext4 of the top loop device' '
	"$FTIO" report --json --top 1000 -i eio.dat >eio.json &&
	top_mm=$(majmin "$top") &&
	python3 - eio.json "$PWD/m" "$top_mm" <<-\EOF
	import json, sys
	r, mnt, mm = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
	reads = [c for c in r["slowest"] if c["syscall"] == "read" and c["errno"] == "EIO"]
	assert reads, "no read failing with EIO among the slowest calls"
	c = reads[0]
	assert c["path"] == mnt + "/victim", c
	assert c["comm"] == "dd" and c["ret"] == -5, c
	assert c["mount"] == mnt, c
	m = [x for x in r["mounts"] if x["mount"] == mnt]
	assert m and m[0]["device"] == mm and m[0]["fstype"] == "ext4" and m[0]["errors"] >= 1, m
	e = [x for x in r["errors"] if x["syscall"] == "read" and x["errno"] == "EIO"]
	assert e and e[0]["path"] == mnt + "/victim" and e[0]["comm"] == "dd", r["errors"]
	print("ok", c["latency_ns"], c["children"])
	EOF
'

test_expect_success DM,PYTHON 'the device table counts the failed request on the top loop device' '
	python3 - eio.json "$top_mm" <<-\EOF
	import json, sys
	r, mm = json.load(open(sys.argv[1])), sys.argv[2]
	d = [x for x in r["devices"] if x["device"] == mm]
	assert d and d[0]["errors"] >= 1, r["devices"]
	EOF
'

test_expect_success DM 'the drill-down shows the block request under the failed read' '
	"$FTIO" report --drill --errors -i eio.dat >drill.txt &&
	name=${top#/dev/} &&
	awk -v p="$PWD/m/victim" -v n="$name" "
		/^ *[0-9.]+[mun]?s read / && index(\$0, p) { inside = 1; next }
		inside && /^ *[|\`]-/ { if (index(\$0, \"block \" n \" read\")) found = 1; next }
		{ inside = 0 }
		END { exit !found }" drill.txt || { cat drill.txt; false; }
'

test_expect_success DM,PYTHON 'the failed read carries the request error (-5) in its block child' '
	python3 - eio.json "$top_mm" <<-\EOF
	import json, sys
	r, mm = json.load(open(sys.argv[1])), sys.argv[2]
	c = [c for c in r["slowest"] if c["syscall"] == "read" and c["errno"] == "EIO"][0]
	kids = [k for k in c["children"] if k["layer"] == "block" and k["device"] == mm]
	assert kids, c["children"]
	assert any(k.get("error") == -5 for k in kids), kids
	EOF
'

# dm ends the bios it fails with bio_endio(): block_bio_complete, which the
# block layer records for the bios a device never issued as requests
test_expect_success DM 'the bios dm failed are not counted as still in flight at the end' '
	"$FTIO" report -i eio.dat >report.txt &&
	test_grep ! "block requests still in flight at the end" report.txt
'

test_expect_success DM 'tear down: unmount, detach, remove the dm device' '
	ok=t
	mountpoint -q m && { umount m || ok=; }
	test -s top.dev && { losetup -d "$(cat top.dev)" || ok=; }
	test -s dm.name && { dmsetup remove "$(cat dm.name)" || ok=; }
	test -s lower.dev && { losetup -d "$(cat lower.dev)" || ok=; }
	test -n "$ok" && ! dmsetup info "$dmname" >/dev/null 2>&1
'

test_expect_success !DM,VM 'no device-mapper here: the same tests in the Debian 6.1 guest' '
	"$TEST_DIRECTORY/vm/run-vm.sh" -q --python --timeout 300 --module dm_mod \
		--tool dmsetup --tool filefrag --tool blockdev \
		-- bash /ftio/tests/t6300-io-errors.sh >vm.log 2>&1
	rc=$?
	cat vm.log
	test $rc = 0 &&
	grep "^# passed [0-9]* failed 0 skipped 1\$" vm.log &&
	! grep "^ok .* # skip .*missing DM" vm.log
'

test_done
