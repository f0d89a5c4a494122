# SPDX-License-Identifier: GPL-2.0
# One suite or script at a time on this machine: the tests count tracefs
# instances, and two runs side by side fail for no reason in the code.
# Sourced by run-tests.sh and test-lib.sh before anything else: the caller
# re-executes itself under flock on FTIO_TEST_LOCK (default
# /tmp/ftio-tests.lock) unless the lock is already ours: FTIO_TEST_LOCKED is
# set (run-tests.sh running its scripts), or an ancestor process is a flock
# on that file ('flock /tmp/ftio-tests.lock bash tests/t3000-drilldown.sh').
# shellcheck shell=bash

test_lock=${FTIO_TEST_LOCK:-/tmp/ftio-tests.lock}

test_lock_held() {
	local pid=$PPID cmd

	test -n "$FTIO_TEST_LOCKED" && return 0
	while test "$pid" -gt 1 2>/dev/null; do
		cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
		case "$cmd" in
		flock*" $test_lock "*) return 0 ;;
		esac
		pid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	done
	return 1
}

if ! test_lock_held && command -v flock >/dev/null 2>&1; then
	FTIO_TEST_LOCKED=1 exec flock "$test_lock" bash "$0" "$@"
fi
export FTIO_TEST_LOCKED=1
