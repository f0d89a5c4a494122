#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the embedded board profile: a cross-built arm64 ftio on Debian 6.1 arm64 under QEMU (TCG); its recording decodes the same on x86_64'
. "$(dirname "$0")/test-lib.sh"

top=$(dirname "$TEST_DIRECTORY")
triplet=aarch64-linux-gnu
# the cross build's pkg-config must see the arm64 .pc files: make 4.3's
# $(shell) does not get the PKG_CONFIG_LIBDIR the Makefile exports
cross_pc=/usr/lib/$triplet/pkgconfig:/usr/share/pkgconfig

# qemu-system-aarch64 there or installable by run-vm.sh (root), and a cross
# toolchain with the arm64 -dev packages (contrib/deps.sh installs them)
test_lazy_prereq QEMU_ARM64 '
	{ command -v qemu-system-aarch64 ||
		apt-cache policy qemu-system-arm 2>/dev/null | grep -q "Candidate: [0-9]"; } &&
	command -v ${triplet}-gcc &&
	PKG_CONFIG_LIBDIR=$cross_pc pkg-config --exists libtracefs libtraceevent libzstd zlib &&
	test -x "$TEST_DIRECTORY/vm/run-vm.sh"
'

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

# test_cmp for one-line JSON: byte for byte, and when that fails a diff
# of both pretty-printed, which a human can read
json_cmp() {
	cmp -s "$1" "$2" && return 0
	for f in "$1" "$2"; do
		python3 -m json.tool --sort-keys "$f" >"$f.pretty" || cp "$f" "$f.pretty"
	done
	test_cmp "$1.pretty" "$2.pretty"
	echo "$1 and $2 differ (diff of the pretty-printed JSON above)" >&2
	return 1
}

test_expect_success ROOT,QEMU_ARM64,PYTHON 'cross-build ftio and its helpers for arm64' '
	# slowfs needs libfuse3-dev:arm64 and static-open a static arm64 libc:
	# -k leaves out what cannot be built, ftio itself must be there
	PKG_CONFIG_LIBDIR=$cross_pc make -k -s -j"$(nproc)" -C "$top" O="$PWD/arm64" \
		CROSS_COMPILE=${triplet}- all test-progs >build.log 2>&1
	cat build.log &&
	file arm64/ftio | grep "ARM aarch64" &&
	test -x arm64/tests/helpers/runas &&
	test_set_prereq ARM64_BUILT
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_BUILT 'boot the arm64 kernel and record a workload in it' '
	mkdir -p out &&
	FTIO_BUILD_DIR="$PWD/arm64" "$TEST_DIRECTORY/vm/run-vm.sh" --arch aarch64 \
		--timeout 300 --outdir "$PWD/out" \
		--add "$TEST_DIRECTORY/vm/guest-arm64.sh:/guest-arm64.sh" \
		-- sh /guest-arm64.sh /out >vm.log 2>&1
	rc=$?
	cat vm.log
	test $rc = 0 && test_grep "guest done" vm.log &&
	test_set_prereq ARM64_VM
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'the guest ran an arm64 kernel and ftio recorded there' '
	test_grep "^uname -m: aarch64$" vm.log &&
	test_grep "^record: 0$" vm.log &&
	test_grep "^report: 0$" vm.log &&
	test -s out/arm.dat &&
	test -s out/arm.json
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'ftio probe on the arm64 kernel: uprobes, kprobes, syscall tracepoints' '
	test_grep -E "^uprobe_events +yes" out/probe.txt &&
	test_grep -E "^kprobe_events +yes" out/probe.txt &&
	test_grep -E "^syscall tracepoints +yes" out/probe.txt
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'ftio info on x86_64 reads the arm64 recording: arch aarch64, nothing lost' '
	(cd out && "$FTIO" info -i arm.dat --json) >host-info.json &&
	json host-info.json "[r[\"arch\"], r[\"endian\"], r[\"kernel_release\"].endswith(\"-arm64\"), r[\"lost_events\"], r[\"damaged_bytes\"], r[\"clean_end\"]]" >got &&
	echo "[\"aarch64\", \"little\", true, 0, 0, true]" >expect &&
	test_cmp expect got &&
	json_cmp out/arm-info.json host-info.json
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'a recording made on arm64 gives the same JSON report on x86_64' '
	(cd out && "$FTIO" report -i arm.dat --json --top 1000) >host.json &&
	json_cmp out/arm.json host.json
'

# O_DIRECTORY is 040000 on arm64 (asm-generic), O_DIRECT on x86_64; likewise
# O_NOFOLLOW/O_LARGEFILE and O_DIRECT/O_DIRECTORY swap. The decoder must use
# the recording's architecture, not its own <fcntl.h>
test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'open flags are decoded with the O_* values of aarch64 (ls opened its directory with O_DIRECTORY)' '
	python3 - host.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	opens = [c for c in r["slowest"] if c["syscall"] == "openat" and c["comm"] == "ls" and c["path"] == "/mnt/e"]
	assert opens, "no openat of /mnt/e by ls"
	flags = opens[0]["flags"].split("|")
	assert "O_DIRECTORY" in flags and "O_DIRECT" not in flags, (opens[0]["flags"], oct(opens[0]["args"][2]))
	print("ok", opens[0]["flags"])
	EOF
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'and the same text report and the same events (replay)' '
	(cd out && "$FTIO" report -i arm.dat) >host.txt &&
	test_cmp out/arm.txt host.txt &&
	(cd out && "$FTIO" replay -i arm.dat --json) >host-replay.json &&
	test_cmp out/arm-replay.json host-replay.json
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'the arm64 report has the workload: ext4 over loop, block requests, EACCES' '
	python3 - host.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	calls = r["slowest"]
	paths = {c["path"] for c in calls if c["path"]}
	assert "/etc/hostname" in paths, sorted(paths)
	assert "/mnt/e/big" in paths, sorted(paths)
	fs = [c for c in calls if c["syscall"] == "fsync" and c["path"] == "/mnt/e/big"]
	assert fs and any(k["layer"] == "block" for k in fs[0]["children"]), fs
	# the aarch64 syscall table has no open(): openat only
	assert "open" not in {c["syscall"] for c in calls}
	a = [x for x in r["audit"] if x["path"] == "/etc/shadow"]
	assert a and (a[0]["errno"], a[0]["uid"], a[0]["comm"]) == ("EACCES", 65534, "cat"), r["audit"]
	print("ok", len(calls), "calls")
	EOF
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'a raw_syscalls recording of the board reports on x86_64 as in the guest, as syscalls:* does' '
	(cd out && "$FTIO" report -i raw.dat) >host-raw.txt &&
	test_cmp out/raw.txt host-raw.txt &&
	grep -q "syscalls=raw_syscalls(" host-raw.txt &&
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print([s[\"count\"] for s in r[\"syscalls\"] if s[\"name\"] == \"write\"])" out/raw.json >writes &&
	grep -q "^\[77[7-9]\]$" writes &&
	python3 "$HELPERS/compare-sources.py" out/sc.json out/raw.json
'

test_expect_success ROOT,QEMU_ARM64,PYTHON,ARM64_VM 'the guest left nothing in tracefs' '
	test_must_be_empty out/instances &&
	test_must_be_empty out/dynevents
'

test_done
