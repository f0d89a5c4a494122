#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='block completeness: ftio counts every block_rq_issue and block_rq_complete that an independent tracefs instance counts, with ftio on the CPU that fio uses'
. "$(dirname "$0")/test-lib.sh"

# Not "ftio*": test-lib counts those as ftio's own state.  Its buffer must
# hold the whole job: fio does a fixed 120,000 reads (--io_size) (about 240,000 events,
# 18 MB at ~73 bytes each), not a time, so a faster machine cannot overrun it
indep=$TRACEFS_DIR/instances/indep-t3100-$$

remove_indep() {
	test -d "$indep" || return 0
	echo 0 >"$indep/tracing_on"
	echo 0 >"$indep/events/block/enable"
	rmdir "$indep"
}

cleanup_loop() {
	remove_indep
	umount disk 2>/dev/null
	test -s loopdev && losetup -d "$(cat loopdev)" 2>/dev/null
	rm -f loopdev
}
trap 'cleanup_loop' EXIT

test_lazy_prereq FIO 'command -v fio'

test_expect_success ROOT,TRACEFS,LOOP,FIO,PYTHON 'set up ext4 on a loop device, every inode table written' '
	truncate -s 96M disk.img &&
	loopdev=$(losetup -f --show disk.img) &&
	echo "$loopdev" >loopdev &&
	mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "$loopdev" &&
	mkdir -p disk &&
	mount -o noatime "$loopdev" disk &&
	dd if=/dev/urandom of=disk/data bs=1M count=48 status=none &&
	sync
'

test_expect_success ROOT,TRACEFS,LOOP,FIO,PYTHON 'a busy fio job on the CPU ftio runs on, recorded by ftio and counted by an independent instance' '
	test -s loopdev &&
	st=$(stat -c "%t %T" "$(cat loopdev)") &&
	set -- $st &&
	devt=$(( (0x$1 << 20) | 0x$2 )) &&
	mkdir "$indep" &&
	echo 65536 >"$indep/buffer_size_kb" &&
	for e in block_rq_issue block_rq_complete; do
		echo "dev == $devt" >"$indep/events/block/$e/filter" &&
		echo 1 >"$indep/events/block/$e/enable" || return 1
	done &&
	echo 1 >"$indep/tracing_on" &&
	"$FTIO" record -q --cpu 0 -o fio.dat -p disk -- \
		fio --name=busy --filename=disk/data --rw=randread --bs=4k --direct=1 \
			--ioengine=libaio --iodepth=16 --numjobs=2 --cpus_allowed=0 \
			--io_size=240000k --norandommap --runtime=30 --group_reporting --output=fio.out &&
	echo 0 >"$indep/tracing_on" &&
	cat "$indep"/per_cpu/cpu*/stats >indep.stats &&
	{ grep -c " block_rq_issue: " "$indep/trace" >indep.issue || test $? = 1; } &&
	{ grep -c " block_rq_complete: " "$indep/trace" >indep.complete || test $? = 1; } &&
	remove_indep &&
	echo "$devt" >devt
'

# apart from the recording, so that a failure shows the counts it compared
test_expect_success ROOT,TRACEFS,LOOP,FIO,PYTHON 'ftio counted every issue and completion the independent instance saw' '
	cat indep.stats &&
	! grep -E "^(overrun|dropped events): [1-9]" indep.stats &&
	"$FTIO" report -i fio.dat --json >fio.json &&
	python3 - fio.json "$(cat indep.issue)" "$(cat indep.complete)" "$(cat devt)" <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	issue, complete, devt = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
	name = "%d:%d" % (devt >> 20, devt & 0xfffff)
	devs = {x["device"]: x for x in r["devices"]}
	assert name in devs, "no device %s in %s" % (name, sorted(devs))
	got_i, got_c = devs[name]["rq_issued"], devs[name]["rq_completed"]
	lost = r["capture"]["lost_events"]
	print("independent: %d issued, %d completed; ftio: %d issued, %d completed, %d lost"
	      % (issue, complete, got_i, got_c, lost))
	assert issue > 10000, "only %d requests: not a busy job" % issue
	assert lost == 0, "ftio lost events"
	assert got_i == issue, "ftio saw %d issues, the instance %d" % (got_i, issue)
	assert got_c == complete, "ftio saw %d completions, the instance %d" % (got_c, complete)
	EOF
'

test_expect_success ROOT,TRACEFS,LOOP 'tear down the loop device and the instance' '
	cleanup_loop &&
	! test -d "$indep"
'

test_done
