#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='record --user: the recording given to a user holds only the working directories and open files that user could read'
. "$(dirname "$0")/test-lib.sh"

CRAFT="$TEST_DIRECTORY/helpers/craft.py"
test_lazy_prereq ZSTD 'command -v zstd'
test_lazy_prereq SETPRIV 'command -v setpriv'

# a root process and a uid 65534 process, each with a cwd and an open file
# of names that say whose they are
test_expect_success ROOT,TRACEFS,PYTHON,ZSTD,SETPRIV 'setup: a root and a nobody process hold files open' '
	mkdir -p rootsecret-dir nobody-dir &&
	chmod 755 . nobody-dir && chown 65534 nobody-dir &&
	: >rootsecret-dir/rootsecret-file && : >nobody-dir/nobody-file &&
	chown 65534 nobody-dir/nobody-file &&
	{ (cd rootsecret-dir && exec sleep 300 <rootsecret-file) & } &&
	echo $! >root.pid &&
	{ (cd nobody-dir && exec setpriv --reuid 65534 --regid 65534 --clear-groups sleep 300 <nobody-file) & } &&
	echo $! >nobody.pid &&
	sleep 0.3
'

test_expect_success ROOT,TRACEFS,PYTHON,ZSTD,SETPRIV 'without --user, the snapshot holds every process (root reads them all)' '
	"$FTIO" record -q -o all.dat -- true &&
	python3 "$CRAFT" all.dat - dump-attr sideband/fds >fds &&
	python3 "$CRAFT" all.dat - dump-attr sideband/procs >procs &&
	grep -q rootsecret-file fds && grep -q nobody-file fds &&
	grep -q rootsecret-dir procs && grep -q nobody-dir procs
'

test_expect_success ROOT,TRACEFS,PYTHON,ZSTD,SETPRIV '--user nobody: only nobody'"'"'s own cwd and fds, and every process'"'"'s public row' '
	"$FTIO" record -q --user nobody -o mine.dat -- true &&
	test "$(stat -c %u:%a mine.dat)" = "65534:600" &&
	python3 "$CRAFT" mine.dat - dump-attr sideband/fds >fds &&
	python3 "$CRAFT" mine.dat - dump-attr sideband/procs >procs &&
	grep -q nobody-file fds &&
	test_must_fail grep rootsecret fds &&
	grep -q nobody-dir procs &&
	test_must_fail grep rootsecret procs &&
	grep -q "^$(cat root.pid)	" procs &&
	"$FTIO" report -i mine.dat --no-pager >out &&
	grep -q "^Capture" out
'

test_expect_success ROOT,TRACEFS,SETPRIV 'cleanup' '
	kill $(cat root.pid) $(cat nobody.pid)
'

test_done
