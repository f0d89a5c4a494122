#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the sid profile (Linux 6.19+): paths from the syscall tracepoints themselves, no uprobes'
. "$(dirname "$0")/test-lib.sh"

# this test needs a kernel with syscall strings: the sid suite
suite=${FTIO_VM_SUITE:-sid}
export FTIO_VM_SUITE=$suite

test_lazy_prereq VM '
	test_have_prereq ROOT && test_have_prereq QEMU && test_have_prereq PYTHON &&
	test -x "$TEST_DIRECTORY/vm/run-vm.sh"
'
test "$suite" = sid || test_skip_all "the syscall strings need Linux 6.19+ (suite sid, not $suite)"

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_expect_success VM "boot the $suite kernel and record a static binary, a long path and the demo" '
	mkdir -p out &&
	"$TEST_DIRECTORY/vm/run-vm.sh" -q --suite "$suite" --timeout 300 --tcg-thread single \
		--outdir "$PWD/out" --add "$TEST_DIRECTORY/vm/guest-sid-paths.sh:/guest-sid-paths.sh" \
		--add "$TEST_DIRECTORY/../contrib/workload.sh:/workload.sh" \
		-- sh /guest-sid-paths.sh /out >vm.log 2>&1;
	rc=$?
	cat vm.log
	test $rc = 0 && grep "guest done" vm.log && test -s out/seed.json
'

test_expect_success VM 'the openat event carries its string as __data_loc __filename_val, probe says so' '
	grep -E "field:__data_loc char\[\] __[a-z_]+_val;" out/openat.format &&
	grep -E "^syscall tracepoints +yes .*with user strings" out/probe.txt &&
	grep -E "^strategy paths +yes the syscall tracepoints. own strings" out/probe.txt
'

test_expect_success VM 'static busybox cat /etc/shadow as uid 60004, -e syscalls alone: EACCES on /etc/shadow by tracepoint' '
	json out/seed.json "[(a[\"syscall\"], a[\"errno\"], a[\"uid\"]) for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"]" >got &&
	echo "[[\"openat\", \"EACCES\", 60004]]" >expect &&
	test_cmp expect got &&
	json out/seed.json "[c[\"path_method\"] for c in r[\"slowest\"] if c[\"path\"] == \"/etc/shadow\"]" >got &&
	echo "[\"tracepoint\"]" >expect &&
	test_cmp expect got &&
	json out/seed.json "r[\"capture\"][\"strategy\"]" >strategy &&
	grep -q "syscalls=syscalls(strings of 165 bytes)" strategy &&
	! grep -q "uprobes" strategy &&
	test "$(json out/seed.json "r[\"capture\"][\"path_methods\"][\"uprobe\"]")" = 0
'

test_expect_success VM 'a path longer than the kernel copies is marked cut, never shown whole' '
	long=$(cat out/long.path) &&
	json out/long.json "[f[\"path\"] for f in r[\"files\"] if f[\"path\"] == \"$long\"]" >whole &&
	echo "[]" >expect && test_cmp expect whole &&
	json out/long.json "[f[\"path\"] for f in r[\"files\"] if f[\"path\"].endswith(\"...\") and \"$long\".startswith(f[\"path\"][:-3])]" >cut &&
	grep -q "\.\.\." cut &&
	grep -E "paths cut by the kernel.s syscall string limit \(shown ending in \.\.\.\): [1-9]" out/long.txt
'

test_expect_success VM 'default layers: the kprobe on getname gives the whole long path, replacing the cut one' '
	long=$(cat out/long.path) &&
	json out/longu.json "[f[\"count\"] for f in r[\"files\"] if f[\"path\"] == \"$long\"]" >got &&
	grep -q "[1-9]" got
'

test_expect_success VM 'the demo workload: paths by tracepoint alone' '
	json out/demo.json "r[\"capture\"][\"path_methods\"]" | tee methods &&
	test "$(json out/demo.json "r[\"capture\"][\"path_methods\"][\"tracepoint\"]")" -gt 0 &&
	test "$(json out/demo.json "r[\"capture\"][\"path_methods\"][\"uprobe\"]")" = 0
'

test_expect_success VM 'a recording of the sid kernel reports on the host as in the guest' '
	"$FTIO" report -i out/demo.dat >host.txt &&
	test_cmp out/demo.txt host.txt
'

test_expect_success VM 'nothing left behind in the guest' '
	! grep -q ftio out/instances && ! test -s out/dynevents
'

test_done
