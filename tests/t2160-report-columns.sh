#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the text report of every fixture: columns as wide as their values, paths shortened in the middle only when the terminal needs it, no value out of its column'
. "$(dirname "$0")/test-lib.sh"

fx=$FIXTURES
check=$TEST_DIRECTORY/helpers/check-columns.py

# report FIXTURE NAME ARGS...: the text report, to NAME
report() {
	f=$1 n=$2
	shift 2
	"$FTIO" report --no-pager -i "$fx/$f.dat" "$@" >"$n" 2>/dev/null
}

for width in 80 200 none; do
	test_expect_success PYTHON "every table of every fixture is aligned: $width columns" '
		for dat in "$fx"/*.dat; do
			f=$(basename "$dat" .dat)
			for args in "" "--drill" "--errors" "--top 3"; do
				if test $width = none; then
					report $f $f.$width.txt $args || return 1
					python3 "$check" $f.$width.txt >>checked || return 1
				else
					report $f $f.$width.txt --width $width $args || return 1
					python3 "$check" --width $width $f.$width.txt >>checked || return 1
				fi
			done
		done &&
		cat checked
	'
done

test_expect_success PYTHON 'the check can fail: a value out of its column is seen' '
	report seed seed.txt &&
	sed "/^Slowest calls/,\$s/ 24.0us /  24.0us /" seed.txt >moved.txt &&
	! cmp -s seed.txt moved.txt &&
	test_must_fail python3 "$check" moved.txt 2>err &&
	grep "out of line" err &&
	sed "/^Top files/,/^\$/s|^  /proc/[0-9]*/status  *|  /proc/sys/kernel/a/very/long/path/name/that/is/not/shortened |" seed.txt >wide.txt &&
	test_must_fail python3 "$check" --width 80 wide.txt 2>err &&
	cat err
'

test_expect_success 'not a terminal: no path is shortened' '
	report seed full.txt &&
	! grep -F "..." full.txt &&
	grep "^  /usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache  " full.txt
'

test_expect_success 'a narrow terminal: paths are cut in the middle, keeping the file name' '
	report seed narrow.txt --width 60 &&
	sed -n "/^Top files/,/^\$/p" narrow.txt >top &&
	grep "\.\.\./gconv-modules.cache \|\.\.\.onv-modules.cache " top &&
	grep "^  /proc/[0-9]*/status " top &&
	awk "length > 60" top >long && test_must_be_empty long
'

test_expect_success 'a terminal: COLUMNS is its width' '
	script -qec "COLUMNS=70 FTIO_PAGER=cat \"$FTIO\" report --color=never -i \"$fx/seed.dat\"" /dev/null |
		tr -d "\r" >tty.txt &&
	grep -q "^Slowest calls" tty.txt &&
	sed -n "/^Top files/,/^\$/p" tty.txt >top &&
	grep -F "..." top &&
	awk "length > 70" top >long && test_must_be_empty long
'

test_expect_success 'empty tables say so' '
	report seed empty.txt --syscall lseek &&
	sed -n "/^Errors/,/^\$/p" empty.txt >errors &&
	test "$(sed -n 2p errors)" = "  none" &&
	sed -n "/^Audit/,/^\$/p" empty.txt >audit &&
	test "$(sed -n 2p audit)" = "  none"
'

test_expect_success 'a bad --width is a usage error' '
	test_expect_code 129 "$FTIO" report --width 5 -i "$fx/seed.dat" 2>err &&
	grep "invalid --width" err
'

test_done
