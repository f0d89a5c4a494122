#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='help: every option of every command explained by -h, the manual pages from a build tree, "did you mean" for typos'
. "$(dirname "$0")/test-lib.sh"

top=$(dirname "$TEST_DIRECTORY")
commands="boot-setup export info probe record replay report reset salvage top trace"

# check_options FILE: every option line of a -h text has its help, on the
# line (from column 27) or on the next one, and fits 80 columns
check_options() {
	awk '
	function bad(why) { printf "%s:%d: %s: %s\n", FILENAME, FNR, why, $0; err = 1 }
	pending { pending = 0; if ($0 !~ /^                          [^ ]/) bad("no help after the long option") }
	length($0) > 80 && seen_opts { bad("wider than 80 columns") }
	/^$/ { seen_opts = 1 }
	/^    -/ {
		n++
		rest = substr($0, 5)
		if (!match(rest, /  +[^ ]/)) pending = 1
		else if (RSTART + RLENGTH + 3 != 27) bad("help not at column 27")
	}
	END { if (pending) bad("no help after the last option"); if (!n) { print FILENAME ": no options"; err = 1 }; exit err }
	' "$1"
}

test_expect_success 'every option of every command has a line of help in its -h' '
	for c in $commands; do
		"$FTIO" $c -h >$c.h || return 1
		check_options $c.h || return 1
		grep -q "^usage: ftio $c" $c.h || return 1
	done
'

test_expect_success 'the check can fail: an option without its help is seen' '
	sed "s/\(--json\) .*/\1/" report.h >nohelp.h &&
	test_must_fail check_options nohelp.h
'

# every long option the man page lists is one -h explains (and -h lists
# no option the page does not)
test_expect_success 'each -h has the long options of its manual page' '
	for c in $commands; do
		sed -n "/^OPTIONS/,/^[A-Z][A-Z ]*\$/p" "$top/Documentation/ftio-$c.1.txt" |
			grep -o "^-*[a-z-]*--[a-z][a-z-]*\|^--[a-z][a-z-]*\|, --[a-z][a-z-]*" |
			grep -o -- "--[a-z][a-z-]*" | sort -u >$c.man
		grep -o -- "--[a-z][a-z-]*" $c.h | sort -u >$c.opts
		# --colour is an alias: accepted, shown as --color
		grep -v -- "--colour" $c.man >$c.man2
		comm -23 $c.man2 $c.opts >missing &&
		{ test ! -s missing || { echo "$c: $(cat missing)"; return 1; }; }
	done
'

test_expect_success 'a mistyped command, option, layer, syscall or errno gets a suggestion and exit 129' '
	test_expect_code 129 "$FTIO" reprot 2>err &&
	grep "^error: unknown command .reprot.; did you mean .report.?" err &&
	test_expect_code 129 "$FTIO" help reprot 2>err &&
	grep "did you mean .report.?" err &&
	test_expect_code 129 "$FTIO" report --jsn 2>err &&
	grep "^error: unknown option .--jsn.; did you mean .--json.?" err &&
	test_expect_code 129 "$FTIO" report -json 2>err &&
	grep "did you mean .--json. (with two dashes)?" err &&
	test_expect_code 129 "$FTIO" record -e syscalls,blok -- true 2>err &&
	grep "^error: unknown layer .blok.; did you mean .block.?" err &&
	test_expect_code 129 "$FTIO" report --syscall opnat -i "$FIXTURES/seed.dat" 2>err &&
	grep "^error: unknown syscall .opnat.; did you mean .openat.?" err &&
	test_expect_code 129 "$FTIO" record --flight 1M --trigger-errno EACES -- true 2>err &&
	grep "^error: unknown errno name .EACES.; did you mean .EACCES.?" err &&
	test_expect_code 129 "$FTIO" trace --min-latncy 1ms 2>err &&
	grep "did you mean .--min-latency.?" err &&
	test_expect_code 129 "$FTIO" report --top 2>err &&
	grep "^error: option .--top. needs a value" err &&
	test_expect_code 129 "$FTIO" info --json=1 2>err &&
	grep "^error: option .--json. takes no value" err
'

test_expect_success 'nothing close: no suggestion, but the list' '
	test_expect_code 129 "$FTIO" record -e zzzzzz -- true 2>err &&
	grep "^error: unknown layer .zzzzzz.; the layers are syscalls, paths" err &&
	test_expect_code 129 "$FTIO" xyzzy 2>err &&
	! grep "did you mean" err
'

test_expect_success '--help and ftio help show the manual page of the build tree' '
	MANPATH=/nonexistent "$FTIO" help record >page 2>/dev/null &&
	grep "ftio-record - Trace file I/O into a recording" page &&
	MANPATH=/nonexistent "$FTIO" report --help >page 2>/dev/null &&
	grep "ftio-report - Latency, errors and audit report" page &&
	MANPATH=/nonexistent "$FTIO" help format >page 2>/dev/null &&
	grep "ftio-format" page
'

test_expect_success 'ftio help record works from a clean build tree, and without asciidoctor' '
	make -s -C "$top" O="$PWD/clean" >build.log 2>&1 &&
	test -f clean/gen/man/ftio-record.1 &&
	MANPATH=/nonexistent clean/ftio help record >page 2>/dev/null &&
	grep "ftio-record - Trace file I/O into a recording" page &&
	rm clean/gen/man/ftio-record.1 &&
	MANPATH=/nonexistent clean/ftio help record >page 2>/dev/null &&
	head -1 page | grep "^ftio-record(1)" &&
	rm clean/gen/man/ftio-record.1.txt &&
	MANPATH=/nonexistent clean/ftio help record >page 2>err &&
	grep "no manual page ftio-record" err &&
	grep "^usage: ftio record" page
'

test_done
