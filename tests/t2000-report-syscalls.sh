#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='syscall layer and latency report on the real kernel'
. "$(dirname "$0")/test-lib.sh"

# json KEYPATH... : evaluate a Python expression over the report in $1
json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps($2))" "$1"
}

test_lazy_prereq SEEDUSER '
	test_have_prereq ROOT && command -v useradd >/dev/null && command -v setpriv >/dev/null
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON,SEEDUSER 'seed: uid 60004 cat /etc/shadow is timed, EACCES, audited with its path' '
	if ! getent passwd 60004 >/dev/null; then
		useradd -u 60004 -M -N -s /bin/sh ftioseed &&
		test_when_finished "userdel ftioseed"
	fi &&
	user=$(getent passwd 60004 | cut -d: -f1) &&
	"$FTIO" record -q -o seed.dat -- setpriv --reuid=60004 --regid=60004 --clear-groups \
		cat /etc/shadow 2>/dev/null;
	test $? = 1 &&
	"$FTIO" report -i seed.dat --json >seed.json &&
	json seed.json "[a for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"][0]" >audit &&
	json seed.json "[(a[\"syscall\"], a[\"errno\"], a[\"uid\"], a[\"user\"], a[\"comm\"]) for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"]" >got &&
	echo "[[\"openat\", \"EACCES\", 60004, \"$user\", \"cat\"]]" >expect &&
	test_cmp expect got &&
	lat=$(json seed.json "[a[\"latency_ns\"] for a in r[\"audit\"] if a[\"path\"] == \"/etc/shadow\"][0]") &&
	test "$lat" -gt 0 && test "$lat" -lt 100000000 &&
	json seed.json "[e for e in r[\"errors\"] if e[\"errno\"] == \"EACCES\" and e[\"path\"] == \"/etc/shadow\" and e[\"uid\"] == 60004 and e[\"count\"] == 1]" | grep openat &&
	"$FTIO" report -i seed.dat >seed.txt &&
	grep -E "^ +[0-9.]+s +60004\($user\) +[0-9]+ +cat +openat +syscall +EACCES +[0-9.]+us +/etc/shadow$" seed.txt
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'the text report fits 100 columns and JSON keys follow the contract' '
	# a file has no width limit (paths are whole there): asked for 100
	"$FTIO" report -i seed.dat --width 100 >seed.txt &&
	test $(awk "{ if (length > m) m = length } END { print m }" seed.txt) -le 100 &&
	json seed.json "sorted(r.keys())" >keys &&
	for k in capture syscalls mounts files processes errors slowest audit; do
		grep -q "\"$k\"" keys || return 1
	done &&
	json seed.json "sorted(r[\"syscalls\"][0].keys())" | grep -q p99_ns &&
	json seed.json "[s[\"name\"] for s in r[\"syscalls\"] if s[\"name\"].startswith(\"sys_\")]" >prefixed &&
	echo "[]" >expect && test_cmp expect prefixed
'

test_expect_success ROOT,TRACEFS,FUSE,PYTHON 'a slow FUSE mount shows the larger latency, by file and by mount' '
	mkdir -p src mnt fast &&
	echo data >src/slow.txt && echo data >fast/fast.txt &&
	"$HELPERS/slowfs" --delay lookup=30,open=10,read=15 src mnt &
	fspid=$! &&
	test_when_finished "umount mnt 2>/dev/null; wait $fspid" &&
	for i in 1 2 3 4 5 6 7 8 9 10; do mountpoint -q mnt && break; sleep 0.2; done &&
	"$FTIO" record -q -o fuse.dat -- sh -c "cat mnt/slow.txt fast/fast.txt >/dev/null" &&
	"$FTIO" report -i fuse.dat --json >fuse.json &&
	slow=$(json fuse.json "[f[\"max_ns\"] for f in r[\"files\"] if f[\"path\"].endswith(\"/mnt/slow.txt\")][0]") &&
	fast=$(json fuse.json "[f[\"max_ns\"] for f in r[\"files\"] if f[\"path\"].endswith(\"/fast/fast.txt\")][0]") &&
	test "$slow" -ge 30000000 && test "$fast" -lt 5000000 &&
	json fuse.json "[m[\"fstype\"] for m in r[\"mounts\"]]" | grep -q fuse &&
	mslow=$(json fuse.json "[m[\"max_ns\"] for m in r[\"mounts\"] if m[\"fstype\"].startswith(\"fuse\")][0]") &&
	test "$mslow" -ge 30000000
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'fds are followed through dup2, fcntl, fork and close' '
	mkdir -p fd/sub &&
	echo 0123456789 >fd/data && echo abcdef >fd/rel.txt && echo hi >fd/sub/f &&
	"$FTIO" record -q -o fd.dat -- "$HELPERS/fdwork" "$PWD/fd" &&
	"$FTIO" report -i fd.dat --json --top 50 >fd.json &&
	json fd.json "[(f[\"count\"], f[\"bytes\"]) for f in r[\"files\"] if f[\"path\"] == \"$PWD/fd/data\"]" >got &&
	echo "[[8, 18]]" >expect &&
	test_cmp expect got &&
	json fd.json "r[\"capture\"][\"path_methods\"][\"inherited\"]" >inh &&
	test $(cat inh) -ge 3
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'relative paths and dirfds resolve to absolute paths' '
	json fd.json "sorted(f[\"path\"] for f in r[\"files\"] if f[\"path\"].startswith(\"$PWD/fd/\"))" >got &&
	echo "[\"$PWD/fd/data\", \"$PWD/fd/rel.txt\", \"$PWD/fd/sub/f\"]" >expect &&
	test_cmp expect got
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON '-p limits the report to one directory' '
	mkdir -p pa pb && echo a >pa/one && echo b >pb/two &&
	"$FTIO" record -q -o p.dat -- sh -c "cat pa/one pb/two >/dev/null" &&
	"$FTIO" report -i p.dat -p pa --json >pa.json &&
	json pa.json "sorted(set(f[\"path\"] for f in r[\"files\"]))" >got &&
	echo "[\"$PWD/pa/one\"]" >expect &&
	test_cmp expect got &&
	"$FTIO" record -q -p "$PWD/pb" -o pb.dat -- sh -c "cat pa/one pb/two >/dev/null" &&
	"$FTIO" report -i pb.dat --json >pb.json &&
	json pb.json "sorted(set(f[\"path\"] for f in r[\"files\"]))" >got &&
	echo "[\"$PWD/pb/two\"]" >expect &&
	test_cmp expect got
'

test_lazy_prereq STATIC 'test -x "$HELPERS/static-open"'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON,STATIC 'a static binary gets unknown paths, never wrong ones' '
	echo secret >st.txt &&
	"$FTIO" record -q -o st.dat -- "$HELPERS/static-open" "$PWD/st.txt" &&
	"$FTIO" report -i st.dat --json --top 100 >st.json &&
	json st.json "[f[\"path\"] for f in r[\"files\"]]" >paths &&
	! grep -q st.txt paths &&
	json st.json "[s[\"count\"] for s in r[\"syscalls\"] if s[\"name\"] == \"openat\"][0]" >n &&
	test $(cat n) -ge 1 &&
	json st.json "r[\"capture\"][\"path_methods\"][\"unknown\"]" >unk &&
	test $(cat unk) -ge 3
'

test_expect_success ROOT,TRACEFS,PYTHON 'filters: --syscall, --errors, --comm, --min-latency' '
	"$FTIO" report -i seed.dat --json --syscall openat >o.json &&
	json o.json "sorted(set(s[\"name\"] for s in r[\"syscalls\"]))" >got &&
	echo "[\"openat\"]" >expect && test_cmp expect got &&
	"$FTIO" report -i seed.dat --json --errors >e.json &&
	json e.json "all(s[\"errors\"] == s[\"count\"] for s in r[\"syscalls\"])" >got &&
	echo true >expect && test_cmp expect got &&
	"$FTIO" report -i seed.dat --json --comm cat >c.json &&
	json c.json "sorted(set(p[\"comm\"] for p in r[\"processes\"]))" >got &&
	echo "[\"cat\"]" >expect && test_cmp expect got &&
	"$FTIO" report -i seed.dat --json --min-latency 1s >m.json &&
	json m.json "r[\"capture\"][\"calls_reported\"]" >got &&
	echo 0 >expect && test_cmp expect got &&
	test_expect_code 129 "$FTIO" report -i seed.dat --syscall nosuchcall
'

test_expect_success ROOT,TRACEFS 'the CSV has one row per reported call' '
	"$FTIO" report -i seed.dat --csv >calls.csv &&
	head -n1 calls.csv | grep "^start_ns,latency_ns,syscall," &&
	rows=$(($(wc -l <calls.csv) - 1)) &&
	"$FTIO" report -i seed.dat --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"capture\"][\"calls_reported\"])" >n &&
	test $rows = $(cat n)
'

test_done
