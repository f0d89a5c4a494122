#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='tracefs taken away from a running ftio record (lazy unmount, rmdir of its instance), in the QEMU guest'
. "$(dirname "$0")/test-lib.sh"

# Never on the host: unmounting tracefs under other users' tracers is not a
# test's to do.  The guest (Debian 6.1 under TCG) runs guest-tracefs-gone.sh
# once; the tests below check what it left in out/.  After "umount -l" the
# mount is detached, not gone: ftio keeps reading through its per-CPU fds,
# and reaches its instance's files through an fd it holds on the tracefs
# root (src/session.c), so it stops, counts and removes what it made as
# usual.  What it recorded must decode, and nothing may be left behind.
# One host thread runs both vCPUs (--tcg-thread single), as for t7000: with
# a thread per vCPU, a trixie guest oopsed on a stale int3 in
# syscall_trace_enter (a static key being patched on one vCPU while the other
# ran it: QEMU's cross-vCPU code patching, not the guest kernel) in 1 of 7
# runs; single-threaded, 20 runs on trixie and 20 on bookworm had no oops.
test_lazy_prereq VM '
	test_have_prereq ROOT && test_have_prereq QEMU &&
	test -x "$TEST_DIRECTORY/vm/run-vm.sh"
'

# decoded CASE: info, report and replay exited 0, with warnings at most
decoded() {
	printf 'info 0\nreport 0\nreplay 0\n' >expect.decode &&
	test_cmp expect.decode "out/$1.decode" &&
	for cmd in info report replay; do
		test_grep ! -v "^ftio: warning: " "out/$1.$cmd.err" || return 1
	done &&
	grep -E "^events: +[1-9]" "out/$1.info.out"
}

test_expect_success VM 'boot the stock kernel and take tracefs away from ftio record' '
	mkdir -p out &&
	"$TEST_DIRECTORY/vm/run-vm.sh" -q --timeout 400 --tcg-thread single --outdir "$PWD/out" \
		--add "$TEST_DIRECTORY/vm/guest-tracefs-gone.sh:/guest-tracefs-gone.sh" \
		-- sh /guest-tracefs-gone.sh /out >vm.log 2>&1;
	rc=$?
	cat vm.log
	test $rc = 0 && grep "guest done" vm.log && test -s out/lazy.result
'

test_expect_success VM 'umount -l: tracefs went while ftio recorded' '
	test "$(cat out/lazy.umount)" = umounted
'

test_expect_success VM 'umount -l: ftio neither hung nor failed: exit 0, no error' '
	cat out/lazy.result out/lazy.stderr &&
	test_grep ! watchdog out/lazy.result &&
	test "$(cat out/lazy.result)" = "exit 0" &&
	# every line is ftio speaking, none is a library or a sanitizer
	test_grep ! -v "^ftio: " out/lazy.stderr &&
	test_grep ! "^ftio: cannot" out/lazy.stderr
'

test_expect_success VM 'umount -l: the recording up to then decodes, in the guest and here' '
	decoded lazy &&
	"$FTIO" report -i out/lazy.dat >host-report 2>host-err &&
	test_grep ! -v "^ftio: warning: " host-err &&
	grep "cat" host-report
'

test_expect_success VM 'umount -l: ftio removed its instances and probes itself, nothing for ftio reset' '
	test_must_be_empty out/lazy.instances.before-reset &&
	test_must_be_empty out/lazy.dynevents.before-reset &&
	test_must_be_empty out/lazy.instances.after-reset &&
	test_must_be_empty out/lazy.dynevents.after-reset &&
	grep -x "reset 0" out/lazy.reset.out
'

# the per_cpu stats are read after the unmount: without the fd on the
# tracefs root ftio said "0 events ..., 0 lost" of 100k events
test_expect_success VM 'umount -l: the summary counts what the recording holds' '
	events=$(sed -n "s/^events: *\([0-9]*\).*/\1/p" out/lazy.info.out) &&
	test "$events" -gt 0 &&
	grep "^ftio: $events events in .*, 0 lost\$" out/lazy.stderr
'

test_expect_success VM 'rmdir of the instance while ftio records: the kernel refuses, the recording ends cleanly' '
	grep "Device or resource busy" out/rmdir.rmdir &&
	test "$(cat out/rmdir.result)" = "exit 0" &&
	decoded rmdir &&
	grep "^end: *clean (command exited)" out/rmdir.info.out &&
	test_must_be_empty out/rmdir.instances &&
	test_must_be_empty out/rmdir.dynevents
'

for mode in rotate flight; do
	test_expect_success VM "umount -l under --${mode/rotate/max-size}: no hang, exit 0, files written after it decode" '
		cat out/$mode.result out/$mode.stderr out/$mode.decode &&
		test "$(cat out/$mode.umount)" = umounted &&
		test_grep ! watchdog out/$mode.result &&
		test "$(cat out/$mode.result)" = "exit 0" &&
		test_grep ! -v "^ftio: " out/$mode.stderr &&
		test_grep ! "^ftio: cannot" out/$mode.stderr &&
		test_grep ! " [1-9][0-9]*\$" out/$mode.decode &&
		for f in out/$mode.dat.*.err; do
			test_grep ! -v "^ftio: warning: " "$f" || return 1
		done
	'
done

test_expect_success VM 'umount -l under rotation: the files made after the unmount are there' '
	# 256K files; the guest keeps ftio busy until one is made after the unmount
	test "$(grep -c "^info " out/rotate.decode)" -ge 2 &&
	read before after <out/rotate.files &&
	test "$after" -gt "$before"
'

test_expect_success VM 'umount -l under the flight recorder: the window saved after it has the failed open' '
	grep -x "info flight.dat.000001 0" out/flight.decode &&
	grep -E "^events: +[1-9]" out/flight.dat.000001.info.out &&
	grep -E "^ *openat +ENOTDIR .* cat .*/etc/hostname/x" out/flight.dat.000001.report.out &&
	! test -e out/flight.dat.000002.info.out
'

test_expect_success VM 'rotation and flight cases: nothing left behind, before ftio reset or after' '
	for mode in rotate flight; do
		test_must_be_empty out/$mode.instances.before-reset &&
		test_must_be_empty out/$mode.dynevents.before-reset &&
		grep -x "reset 0" out/$mode.reset.out &&
		test_must_be_empty out/$mode.instances &&
		test_must_be_empty out/$mode.dynevents || return 1
	done
'

test_done
