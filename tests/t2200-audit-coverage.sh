#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the audit has every denial: uid 60004 denied once in each audited syscall, against strace and the program itself'
. "$(dirname "$0")/test-lib.sh"

test_lazy_prereq SETPRIV 'command -v setpriv'
test_lazy_prereq STRACE 'command -v strace'
test_lazy_prereq CHATTR 'command -v chattr'
test_lazy_prereq DENIALS 'test -x "$HELPERS/denials"'

# The layout tests/helpers/denials.c documents, root's, in a directory uid 60004 can reach
make_tree() {
	mkdir -p "$1" && chmod 755 "$1" &&
	(
		cd "$1" &&
		echo x >f && echo y >p && chmod 600 p && echo z >wo && chmod 602 wo &&
		touch app && chmod 666 app && chattr +a app &&
		mkdir ns sub w && echo q >ns/f && ln -s f ns/l && chmod 700 ns && chmod 777 w
	)
}

run_denials() {
	setpriv --reuid 60004 --regid 60004 --clear-groups "$HELPERS/denials" "$PWD/d"
}

test_expect_success ROOT,TRACEFS,UPROBES,SETPRIV,STRACE,CHATTR,DENIALS,PYTHON 'recorded: one audit row per denial, with its syscall, errno, path and uid' '
	make_tree "$PWD/d" &&
	chmod 755 . &&
	"$FTIO" record -q -o den.dat -- setpriv --reuid 60004 --regid 60004 --clear-groups \
		"$HELPERS/denials" "$PWD/d" >helper.txt &&
	chattr -a d/app &&
	test $(wc -l <helper.txt) -ge 80 &&
	"$FTIO" report --json -i den.dat >den.json &&
	python3 - helper.txt den.json <<-\EOF
	import json, sys
	helper = [l.split() for l in open(sys.argv[1])]
	r = json.load(open(sys.argv[2]))
	audit = r["audit"]
	assert r["audit_total"] == len(audit), (r["audit_total"], len(audit))
	# one row per denial, in the order the program made them
	got = [(a["syscall"], a["errno"], a["path"], a["uid"], a["comm"]) for a in audit]
	want = [(sc, err, None if how == "raw" or path == "-" else path, 60004, "denials")
	        for sc, err, how, path in helper]
	missing = [w for w in want if w not in got]
	extra = [g for g in got if g not in want]
	assert not missing and not extra, ("missing", missing, "extra", extra)
	assert len(got) == len(want), (len(got), len(want))
	# a raw syscall(2) has no path here, and the report says why
	raw = sum(1 for l in helper if l[2] == "raw")
	why = r["capture"]["notes"].get(
	    "no path string: not through a probed libc wrapper (loader, static binary, syscall(2))", 0)
	assert why >= raw, (why, raw)
	covered = set(r["capture"]["audited_syscalls"])
	assert {sc for sc, *_ in helper} <= covered, {sc for sc, *_ in helper} - covered
	print(len(got), "denials,", raw, "through syscall(2)")
	EOF
'

test_expect_success ROOT,SETPRIV,STRACE,CHATTR,DENIALS,PYTHON 'strace sees the same denials, call for call' '
	rm -rf d && make_tree "$PWD/d" &&
	strace -f -qq -o st.txt setpriv --reuid 60004 --regid 60004 --clear-groups \
		"$HELPERS/denials" "$PWD/d" >helper2.txt &&
	chattr -a d/app &&
	python3 - st.txt helper2.txt den.json "$TEST_DIRECTORY/../src/lib/syscall-nr.c" <<-\EOF
	import json, re, sys
	# strace names a few calls by their __NR_ name, ftio by the tracepoint
	alias = {"stat": "newstat", "lstat": "newlstat", "fstat": "newfstat", "umount2": "umount",
	         "sendfile": "sendfile64"}
	# an strace older than the kernel prints a new call by its number
	# (syscall_0x1c4 for fchmodat2 in Debian 12): named from the numbers
	# the raw_syscalls source uses (the x86_64 syscall table of the kernel)
	nr = {}
	block = open(sys.argv[4]).read().split("nr_x86_64[] = {")[1].split("};")[0]
	for name, n in re.findall(r"\{ \"([a-z0-9_]+)\", (\d+) \}", block):
	    nr["syscall_%#x" % int(n)] = name
	st = []
	for line in open(sys.argv[1]):
	    m = re.match(r"^\d+\s+([a-z0-9_]+)\(.*= -1 (EACCES|EPERM) ", line)
	    if m:
	        name = nr.get(m.group(1), m.group(1))
	        st.append((alias.get(name, name), m.group(2)))
	helper = [tuple(l.split()[:2]) for l in open(sys.argv[2])]
	audit = [(a["syscall"], a["errno"]) for a in json.load(open(sys.argv[3]))["audit"]]
	assert st == helper, ("strace", st, "helper", helper)
	assert sorted(st) == sorted(audit), (set(st) ^ set(audit))
	print(len(st), "denials in strace and in the audit")
	EOF
'

test_expect_success ROOT,TRACEFS,UPROBES,SETPRIV,CHATTR,DENIALS 'the text audit names the new syscalls with their paths and uid' '
	"$FTIO" report -i den.dat >den.txt &&
	grep -E "^ .* 60004 .* denials +execve +syscall +EACCES .* .*/d/f$" den.txt &&
	grep -E "^ .* 60004 .* denials +fchmodat +syscall +EPERM .* .*/d/f$" den.txt &&
	grep -E "^ .* 60004 .* denials +linkat +syscall +EPERM .* .*/d/f$" den.txt &&
	# the audited line, with the lines it wraps onto
	awk '\''/^  audited: / { on = 1; printf "%s", $0; next }
		on && /^           [^ ]/ { printf " %s", $0; next } { on = 0 }'\'' den.txt >audited.txt &&
	grep -E "^  audited: EACCES and EPERM of [0-9]+ syscalls: .* execve " audited.txt
'

test_done
