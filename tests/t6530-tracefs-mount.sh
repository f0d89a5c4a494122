#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='a tracefs mount ftio had to make is said and removed at exit; one it found stays'
. "$(dirname "$0")/test-lib.sh"

test_lazy_prereq UNSHARE 'unshare -m --propagation private true'

# In a mount namespace of its own, so the machine's tracefs stays mounted.
# Every tracefs mount goes there, not only $TRACEFS_DIR: a machine may have
# another (the CI machine has one on a directory in /tmp), and libtracefs
# would find it; so does a mounted debugfs, whose tracing directory
# mounts tracefs again when it is looked at.
unmount_tracefs='
	umount -l /sys/kernel/debug 2>/dev/null
	awk '\''$(NF-2) == "tracefs" { print $5 }'\'' /proc/self/mountinfo | sort -r |
	while read -r m; do umount -l "$m" || exit 1; done'
export unmount_tracefs
test_expect_success ROOT,TRACEFS,UNSHARE 'with tracefs unmounted, record mounts it, says so, and unmounts it at exit' '
	unshare -m --propagation private sh -c "
		eval \"\$unmount_tracefs\" &&
		! grep -q \" - tracefs \" /proc/self/mountinfo &&
		\"$FTIO\" record -q -o r.dat -- true 2>err;
		echo rc=\$? >rc;
		grep \" - tracefs \" /proc/self/mountinfo >left;
		true" &&
	cat rc err left &&
	grep -x rc=0 rc &&
	grep "^ftio: tracefs was not mounted: mounted it on .$TRACEFS_DIR. for this run" err &&
	test_must_fail test -s left &&
	"$FTIO" report -i r.dat --no-pager >out &&
	grep -q "^Capture" out
'

test_expect_success ROOT,TRACEFS,UNSHARE 'with tracefs unmounted, a record ended by SIGTERM unmounts it too' '
	unshare -m --propagation private sh -c "
		eval \"\$unmount_tracefs\" &&
		{ \"$FTIO\" record -q -o r2.dat -- sleep 30 2>err2 & } &&
		sleep 1.5 && kill -TERM \$! && wait \$!;
		echo rc=\$? >rc2;
		grep \" - tracefs \" /proc/self/mountinfo >left2;
		true" &&
	cat rc2 err2 left2 &&
	grep "^ftio: tracefs was not mounted" err2 &&
	test_must_fail test -s left2 &&
	"$FTIO" report -i r2.dat --no-pager >out2 &&
	grep -q "^Capture" out2
'

test_expect_success ROOT,TRACEFS 'with tracefs mounted, record says nothing of it and leaves it mounted' '
	"$FTIO" record -q -o r3.dat -- true 2>err3 &&
	test_must_fail grep "tracefs was not mounted" err3 &&
	grep -q " - tracefs " /proc/self/mountinfo
'

test_expect_success ROOT,TRACEFS,UNSHARE 'with tracefs mounted only elsewhere, record finds it there, says nothing and leaves it' '
	mkdir -p elsewhere &&
	unshare -m --propagation private sh -c "
		eval \"\$unmount_tracefs\" &&
		mount -t tracefs nodev \"$PWD/elsewhere\" &&
		\"$FTIO\" record -q -o r4.dat -- cat /etc/hostname >/dev/null 2>err4;
		echo rc=\$? >rc4;
		grep \" - tracefs \" /proc/self/mountinfo >left4;
		ls \"$PWD/elsewhere/instances\" >inst4;
		true" &&
	cat rc4 err4 left4 &&
	grep -x rc=0 rc4 &&
	test_must_fail grep "tracefs was not mounted" err4 &&
	test $(wc -l <left4) = 1 && grep -q " $PWD/elsewhere " left4 &&
	test_must_fail grep ftio inst4 &&
	"$FTIO" report -i r4.dat --no-pager >out4 &&
	grep -q "/etc/hostname" out4
'

test_done
