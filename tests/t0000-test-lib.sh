#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of the test framework (tests/test-lib.sh, tests/run-tests.sh),
# after git's t0000. The outer tests show passing, skipped and cleanup
# behaviour directly; behaviour that must make a script fail is checked by
# writing a small inner script, running it in a subshell and reading its TAP.
# The tracefs cleanliness check is exercised on a fake tracefs tree, so none
# of this needs root; one test repeats it on the real tracefs when it can.

test_description='the test framework itself'
TEST_NO_FTIO=1
. "$(dirname "$0")/test-lib.sh"

# run_sub_test NAME 'description' [option...] <script-body
# Writes NAME/NAME.sh, runs it with its trash inside NAME/, and leaves its
# stdout, stderr and exit status in NAME/out, NAME/err and NAME/rc.
run_sub_test() {
	local name=$1 descr=$2

	shift 2
	mkdir -p "$name" &&
		{
			printf '#!/bin/bash\ntest_description=%q\nTEST_NO_FTIO=1\n' "$descr"
			printf '. "$TEST_DIRECTORY/test-lib.sh"\n'
			cat
		} >"$name/$name.sh" &&
		(
			cd "$name" &&
				unset FTIO_TEST_VERBOSE &&
				FTIO_TEST_TMP=$PWD bash "./$name.sh" "$@" >out 2>err
			echo $? >rc
		)
}

# A tracefs check that found state from outside this script says so first
strip_note() {
	grep -v '^# tracefs state from before this script' "$1"
}

test_expect_success 'success is reported like this' '
	:
'

test_expect_success 'a variable set in one test' '
	carried=yes
'

test_expect_success 'is visible in the next' '
	test "$carried" = yes
'

test_lazy_prereq FAKE_MISSING_PREREQ 'false'

test_expect_success FAKE_MISSING_PREREQ 'a test whose prerequisite is missing is skipped' '
	false
'

test_set_prereq HAVE_IT
test_lazy_prereq COUNTED 'echo once >>"$TRASH_DIRECTORY/counted"'

test_expect_success 'prerequisites combine, negate and are evaluated once' '
	test_have_prereq HAVE_IT &&
	test_have_prereq COUNTED &&
	test_have_prereq COUNTED,HAVE_IT &&
	test_have_prereq !FAKE_MISSING_PREREQ &&
	! test_have_prereq HAVE_IT,FAKE_MISSING_PREREQ &&
	! test_have_prereq NEVER_DECLARED &&
	test_line_count = 1 counted
'

test_expect_success 'test_when_finished runs after the test, last registered first' '
	test_when_finished "echo registered-first >>order" &&
	test_when_finished "echo registered-second >>order" &&
	echo body >order
'

test_expect_success 'so the previous test left this order' '
	printf "%s\n" body registered-second registered-first >expect &&
	test_cmp expect order
'

test_expect_success 'a test that changes directory' '
	mkdir -p sub &&
	cd sub
'

test_expect_success 'does not move the next one' '
	test "$PWD" = "$TRASH_DIRECTORY"
'

test_expect_success 'test_cmp passes on equal files and shows a diff otherwise' '
	printf "a\nb\n" >one &&
	printf "a\nb\n" >two &&
	printf "a\nc\n" >three &&
	test_cmp one two &&
	! test_cmp one three >diff &&
	test_grep "^-b$" diff &&
	test_grep "^+c$" diff
'

test_expect_success 'test_must_fail wants a failure, not success, a crash or a typo' '
	test_must_fail false &&
	test_must_fail sh -c "exit 1" &&
	test_must_fail sh -c "exit 129" &&
	! test_must_fail true 2>err &&
	test_grep "command succeeded" err &&
	! test_must_fail sh -c "kill -TERM \$\$" 2>err &&
	test_grep "died by signal 15" err &&
	! test_must_fail no-such-command-for-ftio-tests 2>err &&
	test_grep "command not found" err
'

test_expect_success 'test_expect_code wants the exact status' '
	test_expect_code 3 sh -c "exit 3" &&
	test_expect_code 0 true &&
	! test_expect_code 2 sh -c "exit 3" 2>err &&
	test_grep "exited with 3, wanted 2" err
'

test_expect_success 'test_line_count and the path checks' '
	printf "1\n2\n3\n" >three-lines &&
	test_line_count = 3 three-lines &&
	test_line_count -gt 2 three-lines &&
	! test_line_count = 2 three-lines 2>/dev/null &&
	test_path_is_file three-lines &&
	! test_path_is_file . 2>/dev/null &&
	test_path_is_dir . &&
	test_path_is_missing no-such-file &&
	! test_path_is_missing three-lines 2>/dev/null &&
	: >empty &&
	test_must_be_empty empty &&
	! test_must_be_empty three-lines 2>/dev/null &&
	test_grep ! "^4$" three-lines
'

test_expect_success 'the variables point where they should' '
	test -f "$TEST_DIRECTORY/test-lib.sh" &&
	test "$FIXTURES" = "$TEST_DIRECTORY/fixtures" &&
	case $FTIO in /*) ;; *) false ;; esac &&
	test "$FTIO" = "$FTIO_BUILD_DIR/ftio" &&
	test "$HELPERS" = "$FTIO_BUILD_DIR/tests/helpers" &&
	test "$PWD" = "$TRASH_DIRECTORY" &&
	test "${TRASH_DIRECTORY##*/}" = trash.t0000-test-lib &&
	test "$LC_ALL" = C
'

test_expect_success 'a passing script prints its plan, exits 0 and removes its trash' '
	run_sub_test passing "all pass" <<-\EOF &&
	test_expect_success "one" "true"
	test_expect_success MISSING_IN_SUB "two" "false"
	test_expect_failure "three" "false"
	test_expect_failure "four" "true"
	test_done
	EOF
	cat >expect <<-\EOF &&
	ok 1 - one
	ok 2 # skip two (missing MISSING_IN_SUB)
	not ok 3 - three # TODO known breakage
	ok 4 - four # TODO known breakage vanished
	1..4
	# passed 2 failed 0 skipped 1
	# still have 1 known breakage(s)
	EOF
	strip_note passing/out >actual &&
	test_cmp expect actual &&
	test "$(cat passing/rc)" = 0 &&
	test_path_is_missing passing/trash.passing
'

test_expect_success 'a failing test is "not ok", with its code and output' '
	run_sub_test failing "one fails" <<-\EOF &&
	test_expect_success "passes" "true"
	test_expect_success "fails" "echo to-stdout; echo to-stderr >&2; false"
	test_done
	EOF
	test_grep "^ok 1 - passes$" failing/out &&
	test_grep "^not ok 2 - fails$" failing/out &&
	test_grep "^#	failed with exit status 1:$" failing/out &&
	test_grep "^#		echo to-stdout; echo to-stderr >&2; false$" failing/out &&
	test_grep "^#		to-stdout$" failing/out &&
	test_grep "^#		to-stderr$" failing/out &&
	test_grep "^1\.\.2$" failing/out &&
	test_grep "^# passed 1 failed 1 skipped 0$" failing/out &&
	test "$(cat failing/rc)" = 1 &&
	test_path_is_dir failing/trash.failing &&
	test_grep "to-stdout" failing/trash.failing/.testlib/log
'

test_expect_success 'cleanups run after a failure, and a failing cleanup fails the test' '
	run_sub_test cleanup "cleanups" <<-\EOF &&
	test_expect_success "fails but still cleans up" "
		test_when_finished \"echo cleaned >../cleaned\" &&
		false
	"
	test_expect_success "a failing cleanup" "
		test_when_finished false &&
		test_when_finished \"echo ran-anyway >>../cleaned\" &&
		true
	"
	test_expect_success "a passing cleanup" "test_when_finished true"
	test_done
	EOF
	test_grep "^not ok 1 - fails but still cleans up$" cleanup/out &&
	test_grep "^not ok 2 - a failing cleanup$" cleanup/out &&
	test_grep "^ok 3 - a passing cleanup$" cleanup/out &&
	printf "%s\n" cleaned ran-anyway >expect &&
	test_cmp expect cleanup/cleaned
'

test_expect_success 'test_skip_all skips the whole script' '
	run_sub_test skipall "skip all" <<-\EOF &&
	test_skip_all "nothing to do here"
	test_expect_success "never" "false"
	test_done
	EOF
	echo "1..0 # SKIP nothing to do here" >expect &&
	strip_note skipall/out >actual &&
	test_cmp expect actual &&
	test "$(cat skipall/rc)" = 0 &&
	test_path_is_missing skipall/trash.skipall
'

test_expect_success 'a test that exits, or a script without test_done, bails out' '
	run_sub_test exiting "exit in a test" <<-\EOF &&
	test_expect_success "exits" "echo last words; exit 0"
	test_done
	EOF
	test_grep "^Bail out! exit 0 in test 1 - exits: tests must not exit the script$" exiting/out &&
	test_grep "^#	last words$" exiting/out &&
	test "$(cat exiting/rc)" = 1 &&
	run_sub_test nodone "no test_done" <<-\EOF &&
	test_expect_success "fine" "true"
	EOF
	test_grep "^Bail out! the script exited with status 0 before test_done$" nodone/out &&
	test "$(cat nodone/rc)" = 1 &&
	run_sub_test misuse "misuse" <<-\EOF &&
	test_expect_success "misuses a helper" "test_line_count 3 file"
	test_done
	EOF
	test_grep "^Bail out! bug in the test script: test_line_count needs 3 arguments" misuse/out
'

test_expect_success 'a process a test leaves behind does not hold the TAP pipe open' '
	test_when_finished "kill \$(cat sleepers) 2>/dev/null; true" &&
	run_sub_test bgpipe "background" <<-\EOF &&
	test_expect_success "leaves a sleep behind" "
		sleep 10 >/dev/null 2>&1 &
		echo \$! >>../../sleepers
	"
	test_done
	EOF
	start=$SECONDS &&
	(cd bgpipe && FTIO_TEST_TMP=$PWD bash ./bgpipe.sh | cat >piped) &&
	test $((SECONDS - start)) -lt 5 &&
	test_grep "^1\.\.1$" bgpipe/piped
'

test_expect_success '-v shows the output on stderr; otherwise it goes to the log (-d keeps it)' '
	run_sub_test verbose "verbose" -v <<-\EOF &&
	test_expect_success "talks" "echo chatter"
	test_done
	EOF
	test_grep "^chatter$" verbose/err &&
	test_grep ! chatter verbose/out &&
	run_sub_test quiet "quiet" -d <<-\EOF &&
	test_expect_success "talks" "echo chatter"
	test_done
	EOF
	test_grep ! chatter quiet/out &&
	test_must_be_empty quiet/err &&
	test_grep "^chatter$" quiet/trash.quiet/.testlib/log
'

test_expect_success '-i stops at the first failure' '
	run_sub_test immediate "immediate" -i <<-\EOF &&
	test_expect_success "fails" "false"
	test_expect_success "never runs" "true"
	test_done
	EOF
	test_grep "^not ok 1 - fails$" immediate/out &&
	test_grep ! "never runs" immediate/out &&
	test_grep "^1\.\.1$" immediate/out
'

# Stands in for an ftio: owns instances/ftio_<pid> of the (fake) tracefs, and
# removes it after a moment ("unwind") or when told to stop
test_expect_success 'set up a fake tracefs and a fake ftio' '
	mkdir -p fakefs/instances/other_tool fakefs/instances/ftio_2147483646 &&
	: >fakefs/dynamic_events &&
	cat >fake-ftio.sh <<-\EOF
	inst="$TRACEFS_DIR/instances/ftio_$$"
	mkdir "$inst" "${inst}_async" || exit 1
	if test "$1" = unwind; then
		sleep 0.5
	else
		trap "rmdir \"$inst\" \"${inst}_async\"; exit 0" TERM
		while :; do sleep 0.1; done
	fi
	rmdir "$inst" "${inst}_async"
	EOF
'

test_expect_success 'tracefs state left behind fails the test that left it, once' '
	FTIO_TEST_TRACEFS=$PWD/fakefs FTIO_TEST_SETTLE=1 FAKE_FTIO=$PWD/fake-ftio.sh \
	run_sub_test fakeleak "leaks" <<-\EOF &&
	test_expect_success "leaks an instance" "
		mkdir \"\$TRACEFS_DIR/instances/ftio_2147483647\"
	"
	test_expect_success "which was removed" "
		test_path_is_missing \"\$TRACEFS_DIR/instances/ftio_2147483647\"
	"
	test_expect_success "leaks an event" "
		echo \"p:ftio_2147483647/ev /bin/true:0x0\" >>\"\$TRACEFS_DIR/dynamic_events\"
	"
	test_expect_success "is not blamed for what could not be removed" "true"
	test_expect_success "a live ftio that is not ours is left alone" "
		mkdir \"\$TRACEFS_DIR/instances/ftio_1\" \"\$TRACEFS_DIR/instances/ftiobench_tc_1\"
	"
	test_expect_success "an ftio of ours still unwinding gets time" "
		sh \"\$FAKE_FTIO\" unwind &
		pid=\$! &&
		while ! test -d \"\$TRACEFS_DIR/instances/ftio_\$pid\"; do sleep 0.05; done
	"
	test_expect_success "one that keeps running is stopped" "
		sh \"\$FAKE_FTIO\" &
		pid=\$! &&
		while ! test -d \"\$TRACEFS_DIR/instances/ftio_\$pid\"; do sleep 0.05; done
	"
	test_done
	EOF
	strip_note fakeleak/out >actual &&
	test_grep "^# tracefs state from before this script, left alone: instance ftio_2147483646$" \
		fakeleak/out &&
	test_grep "^not ok 1 - leaks an instance (left tracefs state behind: instance ftio_2147483647)$" \
		actual &&
	test_grep "^ok 2 - which was removed$" actual &&
	test_grep "^not ok 3 - leaks an event (left tracefs state behind: event ftio_2147483647/ev; could not remove event ftio_2147483647/ev)$" \
		actual &&
	test_grep "^-:ftio_2147483647/ev$" fakefs/dynamic_events &&
	test_grep "^ok 4 - is not blamed" actual &&
	test_grep "^ok 5 - a live ftio that is not ours is left alone$" actual &&
	test_grep "^ok 6 - an ftio of ours still unwinding gets time$" actual &&
	test_grep "^not ok 7 - one that keeps running is stopped (left tracefs state behind: instance ftio_[0-9]*, instance ftio_[0-9]*_async; ftio pid [0-9]* was still running, sent it SIGTERM)$" \
		actual &&
	test_grep "^# passed 4 failed 3 skipped 0$" actual &&
	printf "%s\n" ftio_1 ftio_2147483646 ftiobench_tc_1 other_tool >expect &&
	ls fakefs/instances >instances &&
	test_cmp expect instances
'

# The owner stays alive until the inner check stops it, so a test run beside
# this one sees a live ftio that is not its own, and leaves it alone
test_expect_success ROOT,TRACEFS,UPROBES 'the same on the real tracefs, with a uprobe' '
	test_when_finished "
		if test -s realleak/owner; then
			o=\$(cat realleak/owner)
			kill \$o 2>/dev/null
			rmdir \"\$TRACEFS_DIR/instances/ftio_\$o\" 2>/dev/null
			echo -:ftio_\$o/testlib >>\"\$TRACEFS_DIR/uprobe_events\" 2>/dev/null
		fi
		true
	" &&
	TRUE_BIN=$(readlink -f /bin/true) FTIO_TEST_SETTLE=1 \
	run_sub_test realleak "real leak" <<-\EOF &&
	test_expect_success "leaks" "
		sleep 30 &
		owner=\$! &&
		echo \$owner >../owner &&
		mkdir \"\$TRACEFS_DIR/instances/ftio_\$owner\" &&
		echo \"p:ftio_\$owner/testlib \$TRUE_BIN:0x0\" >>\"\$TRACEFS_DIR/uprobe_events\"
	"
	test_done
	EOF
	o=$(cat realleak/owner) &&
	test_grep "^not ok 1 - leaks (left tracefs state behind: instance ftio_$o, event ftio_$o/testlib; ftio pid $o was still running, sent it SIGTERM)$" \
		realleak/out &&
	test_path_is_missing "$TRACEFS_DIR/instances/ftio_$o" &&
	test_grep ! "ftio_$o/" "$TRACEFS_DIR/uprobe_events" &&
	! kill -0 $o 2>/dev/null
'

test_expect_success 'set up a tree of scripts and unit tests for run-tests.sh' '
	mkdir -p runner/tests runner/build/tests/unit &&
	cp "$TEST_DIRECTORY/run-tests.sh" "$TEST_DIRECTORY/test-lib.sh" \
		"$TEST_DIRECTORY/test-lock.sh" runner/tests/ &&
	cat >runner/tests/t0001-pass.sh <<-\EOF &&
	test_description="passes"
	TEST_NO_FTIO=1
	. "$(dirname "$0")/test-lib.sh"
	test_expect_success "one" "true"
	test_expect_success "two" "true"
	test_expect_success NOT_HERE "three" "false"
	test_expect_failure "four" "false"
	test_done
	EOF
	cat >runner/tests/t0002-fail.sh <<-\EOF &&
	test_description="fails"
	TEST_NO_FTIO=1
	. "$(dirname "$0")/test-lib.sh"
	test_expect_success "fine" "true"
	test_expect_success "broken" "echo why it broke; false"
	test_done
	EOF
	cat >runner/tests/t0003-skipall.sh <<-\EOF &&
	test_description="skips"
	TEST_NO_FTIO=1
	. "$(dirname "$0")/test-lib.sh"
	test_skip_all "no widgets here"
	EOF
	printf "echo \"ok 1 - fine\"\n" >runner/tests/t0004-noplan.sh &&
	printf "echo \"ok 1 - fine\"; echo 1..1; exit 3\n" >runner/tests/t0005-exit.sh &&
	printf "echo \"ok 1 - started\"; sleep 30; echo 1..1\n" >runner/tests/t0006-hang.sh &&
	printf "#!/bin/sh\necho \"ok 1 - unit\"; echo 1..1\n" >runner/build/tests/unit/test-fake &&
	chmod +x runner/build/tests/unit/test-fake &&
	cp runner/build/tests/unit/test-fake runner/build/tests/unit/test-fake.c &&
	cp runner/build/tests/unit/test-fake runner/build/tests/unit/test-fake.d
'

test_expect_success 'run-tests.sh counts passes, failures and skips, and says so last' '
	(
		cd runner &&
		FTIO_TEST_TMP=$PWD FTIO_TEST_RESULTS= FTIO_BUILD_DIR=$PWD/build \
		bash tests/run-tests.sh --timeout=2 >../runner.out 2>&1
		echo $? >../runner.rc
	) &&
	test "$(cat runner.rc)" = 1 &&
	echo "7 passed, 4 failed, 3 skipped" >expect &&
	tail -n 1 runner.out >actual &&
	test_cmp expect actual &&
	test_grep "^t0001-pass\.sh \.\.\.* ok (2 passed, 1 skipped, 1 known breakage)$" runner.out &&
	test_grep "^t0002-fail\.sh \.\.\.* FAILED (1 passed, 1 failed)$" runner.out &&
	test_grep "^    not ok 2 - broken$" runner.out &&
	test_grep "^      #		why it broke$" runner.out &&
	test_grep "^t0003-skipall\.sh \.\.\.* skip (no widgets here)$" runner.out &&
	test_grep "^    printed no plan (1\.\.N)$" runner.out &&
	test_grep "^    exited with status 3 but reported no failing test$" runner.out &&
	test_grep "^    timed out after 2s$" runner.out &&
	test_grep "^unit/test-fake \.\.\.* ok (1 passed)$" runner.out &&
	test "$(grep -c "^unit/" runner.out)" = 1
'

test_expect_success 'run-tests.sh runs only what its arguments select' '
	(
		cd runner &&
		FTIO_TEST_TMP=$PWD FTIO_TEST_RESULTS= FTIO_BUILD_DIR=$PWD/build \
		bash tests/run-tests.sh t0001 "unit/*" >../selected.out 2>&1
		echo $? >../selected.rc
	) &&
	test "$(cat selected.rc)" = 0 &&
	test_line_count = 4 selected.out &&
	test_grep "^took [0-9]*m[0-9][0-9]s " selected.out &&
	test_grep "^t0001-pass\.sh " selected.out &&
	test_grep "^unit/test-fake " selected.out &&
	echo "3 passed, 0 failed, 2 skipped" >expect &&
	tail -n 1 selected.out >actual &&
	test_cmp expect actual &&
	(
		cd runner &&
		FTIO_TEST_TMP=$PWD FTIO_TEST_RESULTS= FTIO_BUILD_DIR=$PWD/build \
		bash tests/run-tests.sh t9999 >../none.out 2>&1
		echo $? >../none.rc
	) &&
	test "$(cat none.rc)" = 1 &&
	test_grep "^t9999 \.\.\.* FAILED (no such test)$" none.out &&
	test "$(tail -n 1 none.out)" = "0 passed, 1 failed, 0 skipped"
'

test_done
