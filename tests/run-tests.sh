#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs ftio's test suite: every tests/tNNNN-*.sh script, then every unit test
# binary $FTIO_BUILD_DIR/tests/unit/test-*, one at a time because the scripts
# change kernel state. Each one's TAP is counted, one summary line is printed
# per test program (with the failing lines under it), and the last line is
# always "N passed, N failed, N skipped"; the exit status is 0 only when
# nothing failed. Arguments select programs by name, prefix or glob
# ("t0001", "t01*", "unit/*"). A program that hangs is killed after
# --timeout seconds (FTIO_TEST_TIMEOUT, default 600). Known breakages
# (TAP "not ok # TODO") and whole-script skips count as skipped. Full output
# is kept in $FTIO_BUILD_DIR/tests/test-results/ (FTIO_TEST_RESULTS).
# shellcheck disable=SC1007

# a second run (another worktree, a helper) waits here for the first
. "$(dirname "$0")/test-lock.sh"

usage() {
	echo "usage: run-tests.sh [-v] [-i] [-d] [-x] [--timeout=SECS] [TEST...]" >&2
	exit 129
}

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd -P) || exit 1
: "${FTIO_BUILD_DIR:=$(dirname "$TEST_DIRECTORY")}"
FTIO_BUILD_DIR=$(cd "$FTIO_BUILD_DIR" && pwd -P) || exit 1
export FTIO_BUILD_DIR
export LC_ALL=C

verbose= pass_opts=() selectors=()
timeout_s=${FTIO_TEST_TIMEOUT:-600}
while test $# -gt 0; do
	case $1 in
	-v | --verbose) verbose=t && pass_opts+=(-v) ;;
	-i | --immediate | -d | --debug | -x | --trace) pass_opts+=("$1") ;;
	--timeout=*) timeout_s=${1#*=} ;;
	-t | --timeout) test $# -ge 2 || usage; timeout_s=$2 && shift ;;
	-h | --help) usage ;;
	--) shift && selectors+=("$@") && break ;;
	-*) echo "run-tests.sh: unknown option '$1'" >&2 && usage ;;
	*) selectors+=("$1") ;;
	esac
	shift
done
case $timeout_s in '' | *[!0-9]*) echo "run-tests.sh: bad timeout '$timeout_s'" >&2 && usage ;; esac

results=${FTIO_TEST_RESULTS:-$FTIO_BUILD_DIR/tests/test-results}
mkdir -p "$results" && : >"$results/times" || exit 1

# name<TAB>path; names are what selectors match: t0001-x.sh, unit/test-y
all=()
for f in "$TEST_DIRECTORY"/t[0-9][0-9][0-9][0-9]-*.sh; do
	test -f "$f" && all+=("${f##*/}	$f")
done
for f in "$FTIO_BUILD_DIR"/tests/unit/test-*; do
	case $f in *.c | *.h | *.d | *.o) continue ;; esac
	test -f "$f" && test -x "$f" && all+=("unit/${f##*/}	$f")
done

total_pass=0 total_fail=0 total_skip=0

# One line per program, dots up to a fixed column so the results line up
summary() {
	local dots=..........................................

	if test ${#1} -lt 40; then
		dots=${dots:0:$((43 - ${#1}))}
	else
		dots=...
	fi
	printf '%s %s %s\n' "$1" "$dots" "$2"
}

# Runs one program, counts its TAP, prints its summary; sets
# pass/fail/skip/broken for it
run_one() {
	local name=$1 path=$2 safe=${1//\//-} out err rc line lc problems=() failing=()
	local planned= seen=0 skip_reason= diag_left=0

	out=$results/$safe.out
	err=$results/$safe.err
	pass=0 fail=0 skip=0 broken=0

	# timeout kills the whole process group, so a hung ftio goes too; the
	# grace period lets test-lib sweep tracefs after its SIGTERM
	if test "${name#unit/}" != "$name"; then
		set -- "$path"
	else
		set -- bash "$path" "${pass_opts[@]}"
	fi
	if test -n "$verbose"; then
		(cd "$TEST_DIRECTORY" && exec timeout -k 30 "$timeout_s" "$@") \
			</dev/null >"$out" &
	else
		(cd "$TEST_DIRECTORY" && exec timeout -k 30 "$timeout_s" "$@") \
			</dev/null >"$out" 2>"$err" &
	fi
	child=$!
	# 2>/dev/null: bash would announce a crashed child ("Segmentation fault")
	{ wait $child; } 2>/dev/null
	rc=$?
	# A trapped signal interrupts wait; the child still has to finish
	while kill -0 $child 2>/dev/null; do
		{ wait $child; } 2>/dev/null
		rc=$?
	done
	child=
	test -n "$verbose" && : >"$err" && sed 's/^/    /' "$out"

	while IFS= read -r line; do
		lc=${line,,}
		if test $diag_left -gt 0; then
			case $line in
			'#'*)
				failing+=("      $line")
				diag_left=$((diag_left - 1))
				test $diag_left = 0 && failing+=("      ... (the rest is in $out)")
				continue
				;;
			*) diag_left=0 ;;
			esac
		fi
		case $line in
		'ok '[0-9]* | 'not ok '[0-9]*)
			seen=$((seen + 1))
			if [[ $lc =~ \#[[:space:]]*skip ]]; then
				skip=$((skip + 1))
			elif [[ $lc =~ ^not\ ok.*\#[[:space:]]*todo ]]; then
				broken=$((broken + 1))
			elif test "${line#not }" != "$line"; then
				fail=$((fail + 1))
				failing+=("    $line")
				diag_left=20
			else
				pass=$((pass + 1))
			fi
			;;
		1..[0-9]*)
			planned=${line#1..}
			planned=${planned%%[!0-9]*}
			if test "$planned" = 0; then
				skip_reason=${line#*# }
				test "$skip_reason" = "$line" && skip_reason=
				skip_reason=${skip_reason#[Ss][Kk][Ii][Pp]}
				skip_reason=${skip_reason# }
			fi
			;;
		'Bail out!'*)
			problems+=("$line")
			;;
		esac
	done <"$out"

	if test $rc = 124 || test $rc = 137; then
		problems+=("timed out after ${timeout_s}s")
	elif test $rc -gt 128 && test $rc -le 192; then
		problems+=("killed by signal $((rc - 128))")
	elif test $rc != 0 && test $fail = 0 && test ${#problems[@]} = 0; then
		problems+=("exited with status $rc but reported no failing test")
	fi
	if test -z "$planned"; then
		# after a bail out, a missing plan is no news
		test ${#problems[@]} -gt 0 || problems+=("printed no plan (1..N)")
	elif test "$planned" != 0 && test "$planned" != $seen; then
		problems+=("planned $planned tests but ran $seen")
	fi
	# However a program breaks down, it is one failure, not one per symptom
	test ${#problems[@]} -gt 0 && fail=$((fail + 1))

	if test $fail = 0 && test "$planned" = 0 && test $seen = 0; then
		skip=$((skip + 1))
		summary "$name" "skip${skip_reason:+ ($skip_reason)}"
	else
		local counts="$pass passed"

		test $fail = 0 || counts="$counts, $fail failed"
		test $skip = 0 || counts="$counts, $skip skipped"
		test $broken = 0 || counts="$counts, $broken known breakage"
		if test $fail = 0; then
			summary "$name" "ok ($counts)"
		else
			summary "$name" "FAILED ($counts)"
		fi
	fi
	for line in "${failing[@]}"; do
		printf '%s\n' "$line"
	done
	for line in "${problems[@]}"; do
		printf '    %s\n' "$line"
	done
	if test $fail != 0 && test -s "$err"; then
		echo "    stderr (last lines; all in $err):"
		tail -n 10 "$err" | sed 's/^/      /'
	fi
}

# A selector is a glob over the names; without glob characters, a prefix
selected=()
if test ${#selectors[@]} = 0; then
	selected=("${all[@]}")
else
	for sel in "${selectors[@]}"; do
		pat=${sel#"$TEST_DIRECTORY"/}
		pat=${pat#"$FTIO_BUILD_DIR"/tests/}
		pat=${pat#./}
		pat=${pat#tests/}
		case $pat in *[*?[]*) ;; *) pat="$pat*" ;; esac
		matched=
		for entry in "${all[@]}"; do
			# shellcheck disable=SC2254 # the selector is a pattern on purpose
			case ${entry%%	*} in
			$pat)
				matched=t
				case " ${selected[*]} " in
				*" $entry "*) ;;
				*) selected+=("$entry") ;;
				esac
				;;
			esac
		done
		if test -z "$matched"; then
			summary "$sel" "FAILED (no such test)"
			total_fail=$((total_fail + 1))
		fi
	done
fi

# Ctrl-C or a kill ends the current program (via timeout, which passes the
# signal on to the program's process group) and still prints the totals
interrupted= child=
trap 'interrupted=t; test -n "$child" && kill -TERM $child 2>/dev/null' INT TERM HUP

for entry in "${selected[@]}"; do
	started=$SECONDS
	run_one "${entry%%	*}" "${entry#*	}"
	printf '%s\t%d\n' "${entry%%	*}" $((SECONDS - started)) >>"$results/times"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip + broken))
	if test -n "$interrupted"; then
		echo "interrupted; the remaining tests were not run"
		test $fail != 0 || total_fail=$((total_fail + 1))
		break
	fi
done

# seconds per program, slowest first: what to look at when CI nears its budget
sort -t "$(printf '\t')" -k2,2nr -o "$results/times" "$results/times" 2>/dev/null
printf 'took %dm%02ds (seconds per program, slowest first: %s)\n' \
	$((SECONDS / 60)) $((SECONDS % 60)) "$results/times"
printf '%d passed, %d failed, %d skipped\n' $total_pass $total_fail $total_skip
test $total_fail = 0
