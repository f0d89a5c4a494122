#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='report and replay -j: the same output with one thread, two or four'
. "$(dirname "$0")/test-lib.sh"

fx=$FIXTURES
export TZ=UTC

# every output of report and replay of $1, with -j $2, in $3.*
outputs() {
	"$FTIO" report -j "$2" --no-pager --width 120 -i "$1" >"$3.txt" 2>"$3.err" &&
	"$FTIO" report -j "$2" --json -i "$1" >"$3.json" 2>>"$3.err" &&
	"$FTIO" report -j "$2" --csv -i "$1" >"$3.csv" 2>>"$3.err" &&
	"$FTIO" report -j "$2" --drill --no-pager --width 120 -i "$1" >"$3.drill" 2>>"$3.err" &&
	"$FTIO" replay -j "$2" -i "$1" >"$3.replay" 2>>"$3.err" &&
	"$FTIO" replay -j "$2" --json -i "$1" >"$3.rjson" 2>>"$3.err"
}

same_outputs() {
	for x in txt json csv drill replay rjson err; do
		test_cmp "$1.$x" "$2.$x" || return 1
	done
}

for f in "$fx"/*.dat; do
	b=$(basename "$f" .dat)
	test_expect_success "$b.dat: -j2 and -j4 print what -j1 prints" "
		outputs \"$f\" 1 $b.j1 &&
		outputs \"$f\" 2 $b.j2 &&
		outputs \"$f\" 4 $b.j4 &&
		test -s $b.j1.json && test -s $b.j1.replay &&
		same_outputs $b.j1 $b.j2 &&
		same_outputs $b.j1 $b.j4
	"
done

test_expect_success 'the comparison can fail: another report is seen' '
	"$FTIO" report -j 2 --json --top 1 -i "$fx/seed.dat" >top1.json &&
	test_must_fail test_cmp seed.j1.json top1.json
'

# damage: the warnings come in the same order, with the same text
test_expect_success 'a damaged recording: the same warnings and report with -j1 and -j2' '
	cp "$fx/quiet.dat" bad.dat &&
	size=$(stat -c %s bad.dat) &&
	# three event chunks (the formats at the start stay whole)
	for off in $((size * 4 / 10)) $((size * 6 / 10)) $((size * 9 / 10)); do
		printf "\377\377\377\377\377\377\377\377" |
			dd of=bad.dat bs=1 seek=$off conv=notrunc status=none || return 1
	done &&
	outputs bad.dat 1 bad.j1 &&
	outputs bad.dat 2 bad.j2 &&
	grep -c "fails its checksum" bad.j1.err >n &&
	test "$(cat n)" -ge 2 &&
	same_outputs bad.j1 bad.j2
'

test_expect_success 'an invalid -j is a usage error' '
	test_expect_code 129 "$FTIO" report -j 0 -i "$fx/seed.dat" 2>err &&
	grep "invalid -j" err &&
	test_expect_code 129 "$FTIO" report -j 65 -i "$fx/seed.dat" 2>err &&
	test_expect_code 129 "$FTIO" replay -j x -i "$fx/seed.dat" 2>err &&
	grep "invalid -j" err
'

# a fresh recording with many chunks on both CPUs (small buffers)
test_expect_success ROOT,TRACEFS 'a fresh recording on every CPU: -j2 prints what -j1 prints' '
	ncpu=$(nproc) &&
	"$FTIO" record -q -b 64 -o fresh.dat -- sh -c "
		for c in \$(seq 0 $((ncpu - 1))); do
			taskset -c \$c dd if=/dev/zero of=/dev/null bs=512 count=20000 status=none &
		done
		wait" &&
	# several sub-buffer chunks on at least two CPUs (one on a 1-CPU machine)
	"$FTIO" info -i fresh.dat >info.txt &&
	awk "/^ +[0-9]+ +[0-9]+ +[0-9]+ /{ if (\$2 >= 3) n++ } END { print n + 0 }" info.txt >cpus &&
	test "$(cat cpus)" -ge $((ncpu > 1 ? 2 : 1)) &&
	outputs fresh.dat 1 fresh.j1 &&
	outputs fresh.dat 2 fresh.j2 &&
	grep -c "sys_enter_read:" fresh.j1.replay >n &&
	test "$(cat n)" -ge 20000 &&
	same_outputs fresh.j1 fresh.j2
'

test_expect_success ROOT,TRACEFS,PYTHON 'damaged sub-buffers: the same counts and warnings with -j1 and -j2' '
	python3 "$TEST_DIRECTORY/helpers/craft.py" fresh.dat pages.dat pages &&
	outputs pages.dat 1 pages.j1 &&
	outputs pages.dat 2 pages.j2 &&
	grep "impossible headers" pages.j1.err &&
	! test_cmp fresh.j1.json pages.j1.json >/dev/null &&
	same_outputs pages.j1 pages.j2
'

test_done
