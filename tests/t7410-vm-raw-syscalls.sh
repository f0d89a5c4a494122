#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='--syscall-source raw_syscalls in a Debian kernel under QEMU reports what syscalls:* does'
. "$(dirname "$0")/test-lib.sh"

suite=${FTIO_VM_SUITE:-trixie}
export FTIO_VM_SUITE=$suite

test_lazy_prereq VM '
	test_have_prereq ROOT && test_have_prereq QEMU && test_have_prereq PYTHON &&
	test -x "$TEST_DIRECTORY/vm/run-vm.sh"
'

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_expect_success VM "boot the $suite kernel and record dd and fdwork from both sources" '
	mkdir -p out &&
	"$TEST_DIRECTORY/vm/run-vm.sh" -q --suite "$suite" --timeout 300 --tcg-thread single \
		--outdir "$PWD/out" --add "$TEST_DIRECTORY/vm/guest-raw.sh:/guest-raw.sh" \
		-- sh /guest-raw.sh /out >vm.log 2>&1;
	rc=$?
	cat vm.log
	test $rc = 0 && grep "guest done" vm.log && test -s out/fd-raw_syscalls.json
'

test_expect_success VM 'dd count=777: 777 writes from raw_syscalls, the same report as syscalls:*' '
	json out/dd-raw_syscalls.json "[s[\"count\"] for s in r[\"syscalls\"] if s[\"name\"] == \"write\"]" >got &&
	echo "[777]" >expect && test_cmp expect got &&
	json out/dd-raw_syscalls.json "r[\"capture\"][\"strategy\"]" | grep -q "syscalls=raw_syscalls(" &&
	python3 "$HELPERS/compare-sources.py" out/dd-syscalls.json out/dd-raw_syscalls.json
'

test_expect_success VM 'fdwork: the same fds, dups and relative paths from both sources' '
	python3 "$HELPERS/compare-sources.py" out/fd-syscalls.json out/fd-raw_syscalls.json
'

test_expect_success VM 'the guest'"'"'s raw recordings report on the host exactly as in the guest' '
	for w in dd fd; do
		"$FTIO" report -i out/$w-raw_syscalls.dat >host-$w.txt &&
		test_cmp out/$w-raw_syscalls.txt host-$w.txt || return 1
	done
'

test_expect_success VM 'nothing left behind in the guest' '
	! grep -q ftio out/instances
'

test_done
