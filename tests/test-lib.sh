# SPDX-License-Identifier: GPL-2.0
#
# The framework behind every tests/tNNNN-<area>-<detail>.sh, modelled on git's
# t/test-lib.sh. A script sets test_description, sources this file, declares
# tests with test_expect_success / test_expect_failure and ends with test_done;
# the result is TAP on stdout. Each test's code is eval'd in the script's own
# shell, so variables carry over from one test to the next, with the current
# directory a fresh per-script trash directory. Because ftio changes kernel
# state, every test is followed by a check that no ftio tracefs instance or
# dynamic event was left behind; leftovers fail that test and are removed so
# they cannot spoil the next one. Options: -v (show the commands' output on
# stderr), -i (stop at the first failure), -d (keep the trash directory),
# -x (trace the test code). Environment: FTIO_BUILD_DIR, FTIO_TEST_VERBOSE=1,
# FTIO_TEST_TMP (1: trash under $TMPDIR, or an absolute directory to use),
# FTIO_TEST_SETTLE (seconds an ftio of ours gets to tear down, default 5),
# FTIO_TEST_TRACEFS (a fake tracefs tree, for the framework's own tests).
# shellcheck shell=bash disable=SC1007,SC2016,SC2154

if test -z "$BASH_VERSION"; then
	echo "Bail out! test-lib.sh needs bash"
	exit 1
fi

# a script run by hand waits for a suite or script already running
if test -z "$FTIO_TEST_TRACEFS"; then
	. "$(dirname "${BASH_SOURCE[0]}")/test-lock.sh"
fi

TEST_DIRECTORY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P) || exit 1
: "${FTIO_BUILD_DIR:=$(dirname "$TEST_DIRECTORY")}"
if ! FTIO_BUILD_DIR=$(cd "$FTIO_BUILD_DIR" 2>/dev/null && pwd -P); then
	echo "Bail out! FTIO_BUILD_DIR is not a directory"
	exit 1
fi
FTIO=$FTIO_BUILD_DIR/ftio
FIXTURES=$TEST_DIRECTORY/fixtures
# a test's own make (the build tests) must not inherit 'make SANITIZE=1 check'
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
HELPERS=$FTIO_BUILD_DIR/tests/helpers
TEST_NAME=$(basename "$0" .sh)
TRACEFS_DIR=${FTIO_TEST_TRACEFS:-/sys/kernel/tracing}

if test -z "$test_description"; then
	echo "Bail out! $0 did not set test_description"
	exit 1
fi

_tl_verbose= _tl_immediate= _tl_debug= _tl_trace=
for _tl_arg in "$@"; do
	case $_tl_arg in
	-v | --verbose) _tl_verbose=t ;;
	-i | --immediate) _tl_immediate=t ;;
	-d | --debug) _tl_debug=t ;;
	-x | --trace) _tl_trace=t ;;
	-h | --help)
		printf '%s\n' "$test_description"
		exit 0
		;;
	*)
		echo "Bail out! unknown option '$_tl_arg' (try -v, -i, -d, -x)"
		exit 1
		;;
	esac
done
case $FTIO_TEST_VERBOSE in '' | 0) ;; *) _tl_verbose=t ;; esac

if test -z "$TEST_NO_FTIO" && ! test -x "$FTIO"; then
	echo "Bail out! '$FTIO' is not built (run make, or set FTIO_BUILD_DIR)"
	exit 1
fi

# Expected output is compared byte for byte, so pin what changes formatting
export LC_ALL=C TZ=UTC
unset LANG LANGUAGE
# Marks every process a test starts, so the tracefs check can tell an ftio of
# ours (reparented or not) from one someone else is running on this machine
FTIO_TEST_TOKEN="$$.$RANDOM.$(date +%s%N)"
export FTIO FTIO_BUILD_DIR TEST_DIRECTORY FIXTURES HELPERS TEST_NAME TRACEFS_DIR \
	FTIO_TEST_TOKEN

# fd 5 carries TAP and fd 6 the real stderr, whatever a test redirects
exec 5>&1 6>&2
_tl_tap_target=$(readlink "/proc/$$/fd/5")

_tl_uid=$(id -u)
_tl_count=0 _tl_passed=0 _tl_failed=0 _tl_skipped=0 _tl_broken=0
_tl_in_test= _tl_cleanup= _tl_ret=0 _tl_title= _tl_exit_ok= _tl_bailed= _tl_signal=
declare -A _tl_prereq _tl_lazy

_tl_say() {
	printf '%s\n' "$*" >&5
}

_tl_diag() {
	sed 's/^/#	/' >&5
}

# A mistake in the test script itself, not in ftio
BUG() {
	_tl_reopen_tap
	_tl_say "Bail out! bug in the test script: $*"
	_tl_bailed=t
	exit 1
}

# --- trash directory ---------------------------------------------------------

if test -n "$FTIO_TEST_TMP"; then
	case $FTIO_TEST_TMP in
	/*) test -d "$FTIO_TEST_TMP" && _tl_base=$FTIO_TEST_TMP ;;
	esac
	: "${_tl_base:=${TMPDIR:-/tmp}}"
else
	_tl_base=$TEST_DIRECTORY
fi
# mountinfo lists physical paths, and the trash is matched against it
_tl_base=$(cd "$_tl_base" && pwd -P) || exit 1
TRASH_DIRECTORY=$_tl_base/trash.$TEST_NAME
export TRASH_DIRECTORY
_tl_meta=$TRASH_DIRECTORY/.testlib

# Mount points at or below $1, deepest first (\040 is how mountinfo spells a space)
_tl_mounts_under() {
	awk -v d="$1" '{ m = $5; gsub(/\\040/, " ", m);
		if (m == d || index(m, d "/") == 1) print m }' /proc/self/mountinfo | sort -r
}

# A FUSE or loop mount a test left inside the trash must not be rm -rf'ed into
_tl_remove_trash() {
	local m

	test -e "$TRASH_DIRECTORY" || return 0
	cd "$_tl_base" || return 1
	_tl_mounts_under "$TRASH_DIRECTORY" | while IFS= read -r m; do
		umount "$m" 2>/dev/null || fusermount3 -u "$m" 2>/dev/null ||
			umount -l "$m" 2>/dev/null
	done
	test -z "$(_tl_mounts_under "$TRASH_DIRECTORY")" || return 1
	chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
	rm -rf --one-file-system "$TRASH_DIRECTORY"
	! test -e "$TRASH_DIRECTORY"
}

if ! _tl_remove_trash; then
	echo "Bail out! cannot remove the old '$TRASH_DIRECTORY'"
	exit 1
fi
if ! mkdir -p "$_tl_meta" || ! cd "$TRASH_DIRECTORY"; then
	echo "Bail out! cannot create '$TRASH_DIRECTORY'"
	exit 1
fi
_tl_out=$_tl_meta/out
_tl_log=$_tl_meta/log

# --- kernel cleanliness ------------------------------------------------------

# Only root can see, and remove, what another process left in tracefs
_tl_kcheck_on() {
	{ test "$_tl_uid" = 0 || test -n "$FTIO_TEST_TRACEFS"; } &&
		test -d "$TRACEFS_DIR/instances"
}

# ftio's tracefs state, one "instance NAME" or "event GROUP/EVENT" a line
_tl_kstate() {
	local f tok rest

	for f in "$TRACEFS_DIR"/instances/ftio*; do
		test -d "$f" && printf 'instance %s\n' "${f##*/}"
	done
	# dynamic_events (4.17+) repeats the uprobe and kprobe lines; sort -u folds them
	for f in dynamic_events uprobe_events kprobe_events; do
		test -r "$TRACEFS_DIR/$f" || continue
		while read -r tok rest; do
			tok=${tok#*:}
			case $tok in *ftio*) printf 'event %s\n' "$tok" ;; esac
		done <"$TRACEFS_DIR/$f"
	done | sort -u
}

# ftio names its state ftio_<pid> (and ftio_<pid>_async), and tools around
# it follow suit (bench/run.sh's ftiobench_tc_<pid>); prints the first
# all-digit _-separated part of the instance or event group name, into
# _tl_pid (no fork: a running ftio has dozens of events to look at)
_tl_owner_pid() {
	local part parts

	# the group, then the event: synthetic events have a fixed group
	IFS=_ read -ra parts <<<"${1%%/*}_${1#*/}"
	for part in "${parts[@]}"; do
		case $part in '' | *[!0-9]*) ;; *) _tl_pid=$part && return 0 ;; esac
	done
	return 1
}

# ours, foreign or dead; only ours carry this script's FTIO_TEST_TOKEN
_tl_pid_state() {
	local line

	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || { echo dead; return; }
	line=${line##*) }
	case ${line%% *} in Z | X | '') echo dead; return ;; esac
	if tr '\0' '\n' 2>/dev/null <"/proc/$1/environ" |
		grep -qxF "FTIO_TEST_TOKEN=$FTIO_TEST_TOKEN"; then
		echo ours
	else
		echo foreign
	fi
}

# State that appeared since the script started, less what a live ftio that is
# not ours owns: a developer's ftio running beside the tests is left alone
_tl_kstate_new() {
	local kind name cand
	local -A owner

	# A running ftio beside the tests has dozens of events: look its pid up once
	cand=$(
		if test -n "$_tl_kbase"; then
			_tl_kstate | grep -vxF -e "$_tl_kbase"
		else
			_tl_kstate
		fi | while read -r kind name; do
			if _tl_owner_pid "$name"; then
				test -n "${owner[$_tl_pid]}" ||
					owner[$_tl_pid]=$(_tl_pid_state "$_tl_pid")
				test "${owner[$_tl_pid]}" = foreign && continue
			fi
			echo "$kind $name"
		done
	)
	test -n "$cand" || return 0
	# An owner found dead may have cleaned up just before it exited: only
	# what is still there now, after its death, was left behind
	_tl_kstate | grep -xF -e "$cand"
}

_tl_running_owners() {
	local kind name

	while read -r kind name; do
		_tl_owner_pid "$name" && test "$(_tl_pid_state "$_tl_pid")" = ours &&
			echo "$_tl_pid"
	done <<<"$1" | sort -u | tr '\n' ' '
}

# One line for a TAP title: a uprobe group can hold dozens of events
_tl_join() {
	printf '%s\n' "$1" | awk '
		$1 == "instance" { out[++n] = $0; next }
		$1 == "event" {
			g = $2; sub(/\/.*/, "", g)
			if (!(g in cnt)) order[++m] = g
			ev[g, ++cnt[g]] = $0
		}
		END {
			for (i = 1; i <= m; i++) {
				g = order[i]
				if (cnt[g] > 3)
					out[++n] = cnt[g] " events in group " g
				else
					for (j = 1; j <= cnt[g]; j++) out[++n] = ev[g, j]
			}
			for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? ", " : ""), out[i]
		}'
}

_tl_kbase= _tl_kbase_done=
_tl_kbase_init() {
	_tl_kcheck_on || return 0
	_tl_kbase=$(_tl_kstate)
	_tl_kbase_done=t
	test -z "$_tl_kbase" ||
		_tl_say "# tracefs state from before this script, left alone: $(_tl_join "$_tl_kbase")"
}

# Sets _tl_leftover to what the code that just ran left behind, "" if nothing,
# and removes it
_tl_kernel_check() {
	local new first running notes= round ticks kind name f stuck

	_tl_leftover=
	_tl_kcheck_on || return 0
	test -n "$_tl_kbase_done" || {
		_tl_kbase_init
		return 0
	}
	new=$(_tl_kstate_new)
	test -z "$new" && return 0
	first=$new

	# An ftio of ours may still be unwinding (the test killed it and did not
	# wait); give it time, then ask it to stop so it removes its own state
	for round in wait term; do
		ticks=0
		while running=$(_tl_running_owners "$new") && test -n "$running" &&
			test $ticks -lt $((${FTIO_TEST_SETTLE:-5} * 10)); do
			sleep 0.1
			ticks=$((ticks + 1))
			new=$(_tl_kstate_new)
		done
		test -z "$running" && break
		test $round = term && break
		notes="; ftio pid ${running% } was still running, sent it SIGTERM"
		# shellcheck disable=SC2086 # one argument per pid
		kill -TERM $running 2>/dev/null
	done
	# The owner may have finished, and cleaned up, since the last look
	new=$(_tl_kstate_new)
	test -z "$new" && test -z "$notes" && return 0
	_tl_leftover="left tracefs state behind: $(_tl_join "$first")$notes"
	test -z "$new" && return 0

	# Instances first: an event they still enable cannot be deleted
	while read -r kind name; do
		test "$kind" = instance && rmdir "$TRACEFS_DIR/instances/$name" 2>/dev/null
	done <<<"$new"
	while read -r kind name; do
		test "$kind" = event || continue
		for f in dynamic_events uprobe_events kprobe_events; do
			test -e "$TRACEFS_DIR/$f" || continue
			# >> matters: truncating these files deletes every probe on the system
			{ echo "-:$name" >>"$TRACEFS_DIR/$f"; } 2>/dev/null && break
		done
	done <<<"$new"

	stuck=$(_tl_kstate_new)
	if test -n "$stuck"; then
		_tl_leftover="$_tl_leftover; could not remove $(_tl_join "$stuck")"
		# Blame it once, not on every later test too
		_tl_kbase=$(printf '%s\n%s\n' "$_tl_kbase" "$stuck")
	fi
}

# --- prerequisites -----------------------------------------------------------

test_set_prereq() {
	_tl_prereq[$1]=yes
}

# The code runs once, on first use, in a subshell inside a scratch directory
test_lazy_prereq() {
	test $# = 2 || BUG "test_lazy_prereq needs NAME and code"
	_tl_lazy[$1]=$2
	unset "_tl_prereq[$1]"
}

_tl_eval_prereq() {
	local dir=$_tl_meta/prereq-$1 res=no

	mkdir -p "$dir"
	if test -n "$_tl_verbose"; then
		# fd 6 stays open: a prerequisite may ask for another one, which prints there
		(cd "$dir" && eval "${_tl_lazy[$1]}") </dev/null >&6 2>&6 5>&- && res=yes
		printf 'prerequisite %s: %s\n' "$1" "$res" >&6
	else
		(cd "$dir" && eval "${_tl_lazy[$1]}") </dev/null >>"$_tl_log" 2>&1 5>&- 6>&- &&
			res=yes
	fi
	rm -rf "$dir"
	_tl_prereq[$1]=$res
	# TRACEFS may just have mounted tracefs: what was already there is not ours
	test -n "$_tl_kbase_done" || _tl_kbase_init
}

# test_have_prereq 'A,B,!C': true when A and B hold and C does not; the ones
# that fail are left comma-separated in $_tl_missing for the skip message
test_have_prereq() {
	local p name have ret=0 list

	# Split here only: the lazy prereq code must see the normal IFS
	IFS=, read -ra list <<<"$1"
	_tl_missing=
	for p in "${list[@]}"; do
		name=${p#!}
		if test -z "${_tl_prereq[$name]}" && test -n "${_tl_lazy[$name]+set}"; then
			_tl_eval_prereq "$name"
		fi
		have=${_tl_prereq[$name]:-no}
		if { test "$p" = "$name" && test "$have" = yes; } ||
			{ test "$p" != "$name" && test "$have" = no; }; then
			continue
		fi
		_tl_missing=${_tl_missing:+$_tl_missing,}$p
		ret=1
	done
	return $ret
}

_tl_tracefs_mount() {
	test -d "$TRACEFS_DIR/instances" && return 0
	test -z "$FTIO_TEST_TRACEFS" && test "$(id -u)" = 0 &&
		mount -t tracefs nodev "$TRACEFS_DIR" && test -d "$TRACEFS_DIR/instances"
}

test_lazy_prereq ROOT 'test "$(id -u)" = 0'
# Creating an instance is the only proof it can be done (lockdown, permissions)
test_lazy_prereq TRACEFS '
	_tl_tracefs_mount &&
	mkdir "$TRACEFS_DIR/instances/testlib_probe_$$" &&
	rmdir "$TRACEFS_DIR/instances/testlib_probe_$$"
'
test_lazy_prereq FUSE '
	test_have_prereq ROOT && test -c /dev/fuse && (: <>/dev/fuse) &&
	grep -qw fuse /proc/filesystems &&
	{ command -v fusermount3 || command -v mount; }
'
# Attaching a loop device needs root whatever losetup -f says
test_lazy_prereq LOOP '
	test_have_prereq ROOT && losetup -f && command -v mkfs.ext4
'
test_lazy_prereq QEMU 'command -v qemu-system-x86_64'
# A pyenv shim exists even when no python is selected, so run it
test_lazy_prereq PYTHON 'python3 -c "import sys"'
test_lazy_prereq UPROBES '_tl_tracefs_mount; test -e "$TRACEFS_DIR/uprobe_events"'
test_lazy_prereq KPROBES '_tl_tracefs_mount; test -e "$TRACEFS_DIR/kprobe_events"'

# --- running tests -----------------------------------------------------------

# Every name in the call chain down to the eval is visible to the test code,
# so only _tl_ names are used here
_tl_eval() {
	if test -n "$_tl_trace"; then
		set -x
		eval "$1"
		{
			_tl_eval_ret=$?
			set +x
		} 2>/dev/null
		return $_tl_eval_ret
	fi
	eval "$1"
}

# Test code does not get fds 5 and 6: an ftio left running in the background
# would hold the TAP pipe open, and "t1234.sh | less" would never end
_tl_eval_redirected() {
	if test -n "$_tl_verbose"; then
		_tl_eval "$1" </dev/null >&6 2>&6 5>&- 6>&-
	else
		_tl_eval "$1" </dev/null >>"$_tl_out" 2>&1 5>&- 6>&-
	fi
}

# After "exit" in test code fd 5 is still closed; bash keeps the original,
# close-on-exec, at 10 or above until the test's redirections are undone
_tl_reopen_tap() {
	local f

	{ : >&5; } 2>/dev/null && return 0
	for f in "/proc/$$/fd/"*; do
		test "${f##*/}" -ge 10 && test "$(readlink "$f")" = "$_tl_tap_target" &&
			exec 5>&"${f##*/}" && return 0
	done
	exec 5>&2
}

# Prints the code and, unless it was already shown (-v), its output
_tl_diag_failure() {
	local n

	if test "$_tl_ret" = 0; then
		echo 'the code (it exited 0):'
	else
		printf 'failed with exit status %s:\n' "$_tl_ret"
	fi | _tl_diag
	printf '%s\n' "$_tl_code" | sed 's/^/	/' | _tl_diag
	test -n "$_tl_verbose" && return
	n=$(wc -l <"$_tl_out")
	test "$n" -gt 0 || return
	if test "$n" -gt 200; then
		printf 'output (last 200 of %d lines; all in %s):\n' "$n" "$_tl_log"
	else
		echo 'output:'
	fi | _tl_diag
	tail -n 200 "$_tl_out" | sed 's/^/	/' | _tl_diag
}

_tl_run() {
	_tl_expect=$1
	shift
	case $# in
	2) _tl_prereqs= ;;
	3) _tl_prereqs=$1 && shift ;;
	*) BUG "test_expect_$_tl_expect needs [PREREQ] 'title' 'code', got $# arguments" ;;
	esac
	test -z "$_tl_in_test" || BUG "test_expect_$_tl_expect inside a test"
	_tl_count=$((_tl_count + 1))
	_tl_title=${1//$'\n'/ }
	_tl_code=$2

	if test -n "$_tl_prereqs" && ! test_have_prereq "$_tl_prereqs"; then
		_tl_skipped=$((_tl_skipped + 1))
		_tl_say "ok $_tl_count # skip $_tl_title (missing $_tl_missing)"
		return 0
	fi

	: >"$_tl_out"
	test -z "$_tl_verbose" ||
		printf '\nexpecting %s of %d - %s:\n%s\n' "$_tl_expect" "$_tl_count" \
			"$_tl_title" "$_tl_code" >&6
	_tl_in_test=t
	_tl_cleanup=
	_tl_eval_redirected "$_tl_code"
	_tl_ret=$?
	# The cleanup string folds each command's status into _tl_ret
	test -z "$_tl_cleanup" || _tl_eval_redirected "$_tl_cleanup"
	_tl_in_test=
	cd "$TRASH_DIRECTORY" || BUG "the trash directory is gone"
	{
		printf '=== %d - %s (exit %s)\n' "$_tl_count" "$_tl_title" "$_tl_ret"
		cat "$_tl_out"
	} >>"$_tl_log"
	_tl_kernel_check

	if test -z "$_tl_leftover" && test "$_tl_expect" = failure; then
		if test $_tl_ret = 0; then
			_tl_passed=$((_tl_passed + 1))
			_tl_say "ok $_tl_count - $_tl_title # TODO known breakage vanished"
		else
			_tl_broken=$((_tl_broken + 1))
			_tl_say "not ok $_tl_count - $_tl_title # TODO known breakage"
		fi
		return 0
	fi
	if test -z "$_tl_leftover" && test $_tl_ret = 0; then
		_tl_passed=$((_tl_passed + 1))
		_tl_say "ok $_tl_count - $_tl_title"
		return 0
	fi
	_tl_failed=$((_tl_failed + 1))
	_tl_say "not ok $_tl_count - $_tl_title${_tl_leftover:+ ($_tl_leftover)}"
	_tl_diag_failure
	if test -n "$_tl_immediate"; then
		_tl_say "# stopping at the first failure (-i)"
		test_done
	fi
}

# test_expect_success [PREREQ[,PREREQ...]] 'title' 'code'
test_expect_success() {
	_tl_run success "$@"
}

# A known breakage: failing is reported as TAP "# TODO", not as a failure
test_expect_failure() {
	_tl_run failure "$@"
}

# Runs after the current test's code, pass or fail, most recent first; a
# failing cleanup fails the test
test_when_finished() {
	test -n "$_tl_in_test" || BUG "test_when_finished outside a test"
	test "${BASH_SUBSHELL:-0}" = 0 || BUG "test_when_finished does nothing in a subshell"
	_tl_cleanup="{ $*
} && (exit \"\$_tl_ret\"); _tl_ret=\$?; $_tl_cleanup"
}

test_skip_all() {
	test "$_tl_count" = 0 || BUG "test_skip_all after tests ran"
	_tl_say "1..0 # SKIP $*"
	_tl_remove_trash
	_tl_exit_ok=t
	exit 0
}

test_done() {
	test -z "$_tl_in_test" || BUG "test_done inside a test"
	_tl_kernel_check
	if test -n "$_tl_leftover"; then
		_tl_count=$((_tl_count + 1))
		_tl_failed=$((_tl_failed + 1))
		_tl_say "not ok $_tl_count - clean tracefs at the end of the script ($_tl_leftover)"
	fi
	if test $_tl_failed = 0 && test -z "$_tl_debug" && ! _tl_remove_trash; then
		_tl_count=$((_tl_count + 1))
		_tl_failed=$((_tl_failed + 1))
		_tl_say "not ok $_tl_count - remove the trash directory $TRASH_DIRECTORY"
	fi
	_tl_say "1..$_tl_count"
	# a VM test names the Debian suite whose kernel it booted (make check-vm VM_SUITES=...)
	case $TEST_NAME in
	t7*) _tl_say "# passed $_tl_passed failed $_tl_failed skipped $_tl_skipped (suite ${FTIO_VM_SUITE:-bookworm})" ;;
	*) _tl_say "# passed $_tl_passed failed $_tl_failed skipped $_tl_skipped" ;;
	esac
	test $_tl_broken = 0 || _tl_say "# still have $_tl_broken known breakage(s)"
	test $_tl_failed = 0 || _tl_say "# kept $TRASH_DIRECTORY (output in .testlib/log)"
	_tl_exit_ok=t
	test $_tl_failed = 0
	exit
}

# --- helpers for test code ---------------------------------------------------

test_cmp() {
	diff -u "$@"
}

# test_line_count = 3 file (any operator test(1) knows)
test_line_count() {
	local n

	test $# = 3 || BUG "test_line_count needs 3 arguments, got $#"
	if ! test -f "$3"; then
		echo >&2 "test_line_count: no file '$3'"
		return 1
	fi
	n=$(($(wc -l <"$3")))
	test "$n" "$1" "$2" && return 0
	echo >&2 "test_line_count: '$3' has $n lines, want $1 $2:"
	cat >&2 "$3"
	return 1
}

# Fails on success, and also on a death by signal (exit 130..192), a missing
# command (127) or one that cannot run (126). 129 is ftio's usage error, so it
# counts as an ordinary failure, as in git.
test_must_fail() {
	"$@"
	_tl_mf=$?
	if test $_tl_mf = 0; then
		echo >&2 "test_must_fail: command succeeded: $*"
	elif test $_tl_mf -gt 129 && test $_tl_mf -le 192; then
		echo >&2 "test_must_fail: died by signal $((_tl_mf - 128)): $*"
	elif test $_tl_mf = 127; then
		echo >&2 "test_must_fail: command not found: $*"
	elif test $_tl_mf = 126; then
		echo >&2 "test_must_fail: cannot execute: $*"
	else
		return 0
	fi
	return 1
}

# test_expect_code N cmd...: passes only when cmd exits with exactly N
test_expect_code() {
	_tl_want=$1
	shift
	"$@"
	_tl_got=$?
	test "$_tl_got" = "$_tl_want" && return 0
	echo >&2 "test_expect_code: command exited with $_tl_got, wanted $_tl_want: $*"
	return 1
}

# test_grep [!] [grep options] PATTERN FILE: shows the file when it fails
test_grep() {
	local neg=

	if test "$1" = "!"; then
		neg=t
		shift
	fi
	test $# -ge 2 || BUG "test_grep needs a pattern and a file"
	if test -z "$neg"; then
		grep "$@" >/dev/null && return 0
		echo >&2 "test_grep: no match for '${*:$#-1:1}' in '${!#}':"
	else
		! grep "$@" >/dev/null && return 0
		echo >&2 "test_grep: unexpected match for '${*:$#-1:1}' in '${!#}':"
	fi
	cat >&2 "${!#}"
	return 1
}

test_path_is_file() {
	test -f "$1" && return 0
	echo >&2 "test_path_is_file: '$1' is not a file"
	return 1
}

test_path_is_dir() {
	test -d "$1" && return 0
	echo >&2 "test_path_is_dir: '$1' is not a directory"
	return 1
}

test_path_is_missing() {
	test -e "$1" || test -L "$1" || return 0
	echo >&2 "test_path_is_missing: '$1' exists"
	ls -ld "$1" >&2
	return 1
}

test_must_be_empty() {
	test -f "$1" && ! test -s "$1" && return 0
	echo >&2 "test_must_be_empty: '$1' is missing or not empty:"
	cat >&2 "$1" 2>/dev/null
	return 1
}

# --- exits that skip test_done -----------------------------------------------

# A test that calls exit, a signal (run-tests.sh's timeout) or a script that
# never reaches test_done: still sweep tracefs, and say why in TAP
_tl_on_exit() {
	_tl_code=$?
	test -n "$_tl_exit_ok" && exit $_tl_code
	_tl_exit_ok=t
	_tl_reopen_tap
	_tl_kernel_check
	test -z "$_tl_leftover" || _tl_say "# $_tl_leftover"
	_tl_where=${_tl_in_test:+" in test $_tl_count - $_tl_title"}
	if test -n "$_tl_bailed"; then
		:
	elif test -n "$_tl_signal"; then
		_tl_say "Bail out! killed by SIG$_tl_signal$_tl_where"
	elif test -n "$_tl_in_test"; then
		_tl_say "Bail out! exit $_tl_code$_tl_where: tests must not exit the script"
	else
		_tl_say "Bail out! the script exited with status $_tl_code before test_done"
	fi
	test -z "$_tl_in_test" || test -n "$_tl_verbose" || sed 's/^/#	/' "$_tl_out" >&5
	test $_tl_code = 0 && _tl_code=1
	exit $_tl_code
}
trap _tl_on_exit EXIT
trap '_tl_signal=TERM; exit 143' TERM
trap '_tl_signal=INT; exit 130' INT
trap '_tl_signal=HUP; exit 129' HUP

_tl_kbase_init
