#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='--syscall-source: raw_syscalls (board kernels without CONFIG_FTRACE_SYSCALLS) reports what syscalls:* does'
. "$(dirname "$0")/test-lib.sh"

json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_lazy_prereq RAWSC '
	test_have_prereq TRACEFS && test -d "$TRACEFS_DIR/events/raw_syscalls/sys_enter" &&
	test -d "$TRACEFS_DIR/events/syscalls/sys_enter_openat"
'

# both NAME -- COMMAND: records COMMAND once per source, reports both as JSON
both() {
	local name=$1
	shift 2
	"$FTIO" record -q -o "$name-sc.dat" --syscall-source syscalls -- "$@" &&
	"$FTIO" record -q -o "$name-raw.dat" --syscall-source raw_syscalls -- "$@" &&
	"$FTIO" report --json --top 100000 -i "$name-sc.dat" >"$name-sc.json" &&
	"$FTIO" report --json --top 100000 -i "$name-raw.dat" >"$name-raw.json"
}

test_expect_success 'an unknown --syscall-source is a usage error' '
	test_expect_code 129 "$FTIO" record --syscall-source strace -- true 2>err &&
	grep "invalid --syscall-source .strace. (auto, syscalls or raw_syscalls)" err &&
	grep -q "^usage: ftio record" err
'

test_expect_success RAWSC,PYTHON 'dd count=777: 777 writes to the file from both sources, the same report' '
	both dd -- dd if=/dev/zero of="$PWD/out" bs=4k count=777 status=none &&
	for s in sc raw; do
		json dd-$s.json "[f[\"bytes\"] for f in r[\"files\"] if f[\"path\"] == \"$PWD/out\"]" >got-$s &&
		echo "[3182592]" >expect &&
		test_cmp expect got-$s || return 1
	done &&
	json dd-raw.json "[s[\"count\"] for s in r[\"syscalls\"] if s[\"name\"] == \"write\"]" >writes &&
	echo "[777]" >expect && test_cmp expect writes &&
	python3 "$HELPERS/compare-sources.py" dd-sc.json dd-raw.json
'

test_expect_success RAWSC,PYTHON 'the capture says which source was used' '
	json dd-raw.json "r[\"capture\"][\"strategy\"]" | grep -q "syscalls=raw_syscalls([0-9]* ids)" &&
	json dd-sc.json "r[\"capture\"][\"strategy\"]" | grep -q "syscalls=syscalls" &&
	"$FTIO" info -i dd-raw.dat >info &&
	grep -q "raw_syscalls" info
'

test_expect_success RAWSC,PYTHON 'dup2, fcntl(F_DUPFD), fork, chdir and dirfd-relative paths: the same fds and paths' '
	mkdir -p fw/sub && echo 0123456789abcdef >fw/data && echo relative >fw/rel.txt && echo ff >fw/sub/f &&
	both fd -- "$HELPERS/fdwork" "$PWD/fw" &&
	python3 "$HELPERS/compare-sources.py" fd-sc.json fd-raw.json &&
	json fd-raw.json "sorted(set(f[\"path\"] for f in r[\"files\"] if \"/fw/\" in f[\"path\"]))" >paths &&
	grep -q "fw/data" paths && grep -q "fw/rel.txt" paths && grep -q "fw/sub/f" paths
'

test_expect_success RAWSC,PYTHON 'a failing command: the same errors, with their paths' '
	both fail -- sh -c "cat /nonexistent/x; mkdir /proc/x; exit 0" 2>/dev/null &&
	python3 "$HELPERS/compare-sources.py" fail-sc.json fail-raw.json &&
	json fail-raw.json "[(e[\"syscall\"], e[\"errno\"]) for e in r[\"errors\"] if e[\"path\"] == \"/nonexistent/x\"]" >got &&
	echo "[[\"openat\", \"ENOENT\"]]" >expect && test_cmp expect got
'

test_lazy_prereq SEEDUSER '
	test_have_prereq ROOT && command -v useradd >/dev/null && command -v setpriv >/dev/null
'

test_expect_success RAWSC,PYTHON,SEEDUSER 'the seed: uid 60004 cat /etc/shadow audited the same from raw_syscalls' '
	if ! getent passwd 60004 >/dev/null; then
		useradd -u 60004 -M -N -s /bin/sh ftioseed &&
		test_when_finished "userdel ftioseed"
	fi &&
	both seed -- sh -c "setpriv --reuid=60004 --regid=60004 --clear-groups cat /etc/shadow 2>/dev/null; exit 0" &&
	python3 "$HELPERS/compare-sources.py" seed-sc.json seed-raw.json &&
	json seed-raw.json "[(a[\"syscall\"], a[\"errno\"], a[\"uid\"]) for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"]" >got &&
	echo "[[\"openat\", \"EACCES\", 60004]]" >expect && test_cmp expect got
'

test_expect_success RAWSC,PYTHON 'the raw filter keeps 200,000 getpid calls out in the kernel: about 2 events per call' '
	"$FTIO" record -q -o pid.dat -e syscalls --syscall-source raw_syscalls -- \
		python3 -c "import os
for _ in range(200000): os.getpid()" &&
	"$FTIO" report --json -i pid.dat >pid.json &&
	ev=$(json pid.json "r[\"capture\"][\"events\"]") &&
	calls=$(json pid.json "r[\"capture\"][\"calls\"]") &&
	echo "events $ev calls $calls" &&
	test "$calls" -gt 100 && test "$ev" -lt $((calls * 3)) &&
	json pid.json "[s[\"name\"] for s in r[\"syscalls\"] if s[\"name\"] == \"getpid\"]" >got &&
	echo "[]" >expect && test_cmp expect got
'

test_expect_success RAWSC 'auto takes syscalls:* on this kernel' '
	"$FTIO" record -o auto.dat -e syscalls -- true 2>err &&
	grep -q "syscalls=syscalls" err
'

test_done
