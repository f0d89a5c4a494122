#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='every fd has a kind: pipes and sockets in their own section, files only in the file tables, each unknown-path reason true'
. "$(dirname "$0")/test-lib.sh"

test_lazy_prereq GIT 'command -v git'
test_lazy_prereq STATIC 'test -x "$HELPERS/static-open"'

# Top files and Slowest calls hold files only; the pipes are in their own section
files_only() {
	python3 - "$1" <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	for c in r["slowest"]:
	    assert c["fd_kind"] in ("file", "unknown"), c
	    assert not (c["path"] or "").startswith(("pipe:", "socket:", "anon_inode:")), c
	for f in r["files"]:
	    assert f["path"].startswith("/") and not f["path"].startswith("/memfd:"), f
	pipes = [n for n in r["non_files"] if n["kind"] == "pipe"]
	assert pipes and all(n["name"].startswith("pipe:[") for n in pipes), r["non_files"]
	assert r["capture"]["non_file_calls"]["pipe"] == sum(n["count"] for n in pipes) or \
	    len(r["non_files"]) >= 10, (r["capture"]["non_file_calls"], pipes)
	print(sum(n["count"] for n in pipes), "calls on", len(pipes), "pipes")
	EOF
}

test_expect_success ROOT,TRACEFS,PYTHON 'a tar pipeline: the pipe is one row of kind pipe, the files are files' '
	mkdir -p dir out && for i in $(seq 50); do head -c 20000 /dev/urandom >dir/f$i; done &&
	"$FTIO" record -q -o tar.dat -- sh -c "tar cf - dir | tar xf - -C out" &&
	cmp dir/f50 out/dir/f50 &&
	"$FTIO" report --json -i tar.dat >tar.json &&
	files_only tar.json &&
	"$FTIO" report -i tar.dat >tar.txt &&
	sed -n "/^Waiting on pipes and sockets/,/^\$/p" tar.txt >pipes.txt &&
	# the pipe by its kernel name, what made it in the DETAIL column
	grep -E "^  pipe +[0-9]+ +[0-9]+ .* pipe:\[#[0-9]+\] +made by pipe2? in [0-9]+ sh$" pipes.txt &&
	grep -E "^  non-files: [0-9]+ calls: pipe [0-9]+" tar.txt &&
	! sed -n "/^Slowest calls/,/^\$/p" tar.txt | grep -E "pipe:|socket:"
'

test_expect_success ROOT,TRACEFS,PYTHON,GIT 'git clone of a local repository: its pipes are not in Slowest calls or Top files' '
	git init -q src &&
	for i in $(seq 20); do echo "$i" >src/f$i; done &&
	git -C src add . && git -C src -c user.name=t -c user.email=t@t commit -qm one &&
	"$FTIO" record -q -o git.dat -- git clone -q "file://$PWD/src" dst &&
	test -f dst/f20 &&
	"$FTIO" report --json -i git.dat >git.json &&
	files_only git.json
'

test_expect_success ROOT,TRACEFS,PYTHON 'a socketpair, an eventfd and an fd passed over a socket: their kinds and their reasons' '
	cat >fds.py <<-\EOF &&
	import os, socket
	a, b = socket.socketpair()
	a.send(b"x"); b.recv(1)
	e = os.eventfd(0); os.eventfd_write(e, 1); os.eventfd_read(e)
	r, w = os.pipe()
	socket.send_fds(a, [b"f"], [r])
	_, fds, _, _ = socket.recv_fds(b, 1, 1)
	os.write(w, b"y"); os.read(fds[0], 1)
	try:
	    os.read(99, 1)
	except OSError:
	    pass
	EOF
	# the interpreter itself: a python3 on PATH may be a shell shim (pyenv),
	# whose pipes would crowd the ten rows of non_files
	py=$(python3 -c "import sys; print(sys.executable)") &&
	"$FTIO" record -q -o fds.dat -- "$py" fds.py &&
	"$FTIO" report --json -i fds.dat >fds.json &&
	python3 - fds.json <<-\EOF
	import json, sys
	r = json.load(open(sys.argv[1]))
	kinds = {n["kind"]: n for n in r["non_files"]}
	assert "socket" in kinds and "eventfd" in kinds and "pipe" in kinds, kinds
	pair = [n for n in r["non_files"] if n["kind"] == "socket" and "pair of socket:[#" in (n["detail"] or "")]
	assert pair and pair[0]["detail"].startswith("AF_UNIX SOCK_STREAM"), r["non_files"]
	assert [n for n in r["non_files"] if n["name"] == "anon_inode:[eventfd]"], r["non_files"]
	notes = r["capture"]["notes"]
	# the fd received over the socket: no traced call made it in this process
	assert notes.get("fd neither in the snapshot nor made by a traced call (SCM_RIGHTS, lost events)", 0) >= 1, notes
	assert notes.get("fd not open (EBADF)", 0) >= 1, notes
	print(sorted(kinds), notes)
	EOF
'

test_expect_success ROOT,TRACEFS,PYTHON,STATIC 'a static binary: its paths are unknown because no wrapper was called' '
	"$FTIO" record -q -o static.dat -- "$HELPERS/static-open" /etc/hostname &&
	"$FTIO" report --json -i static.dat >static.json &&
	grep -q "no path string: not through a probed libc wrapper (loader, static binary, syscall(2))" static.json
'

test_expect_success ROOT,TRACEFS,PYTHON 'without the paths layer: no probe covers the syscall' '
	"$FTIO" record -q -e syscalls -o nopaths.dat -- cat /etc/hostname >/dev/null &&
	"$FTIO" report --json -i nopaths.dat >nopaths.json &&
	grep -q "no path string: no probe in this recording covers this syscall" nopaths.json &&
	! grep -q "not through a probed libc wrapper" nopaths.json
'

test_done
