#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='outputs: no planted symlink is followed, devices and FIFOs are written, files are 0600 or --mode'
. "$(dirname "$0")/test-lib.sh"

# The attacker is an unprivileged uid with no account; the directory is a
# sticky world-writable one like /tmp; fs.protected_symlinks=0 so the kernel
# would let root follow the attacker's links there (restored after each test).
attacker=60004
rec="$FIXTURES/counters.dat"

test_lazy_prereq SYSCTL '
	test "$(id -u)" = 0 && test -w /proc/sys/fs/protected_symlinks
'

test_expect_success ROOT 'setup: a root-owned victim and a sticky world-writable directory' '
	printf "precious\n" >victim &&
	chmod 0644 victim &&
	cp victim victim.orig &&
	pub=$(mktemp -d /tmp/ftio-t6500.XXXXXX) &&
	echo "$pub" >pubdir &&
	chmod 1777 "$pub" &&
	"$HELPERS/runas" $attacker sh -c "echo ok >\"$pub/probe\"" &&
	test "$(stat -c %u "$pub/probe")" = $attacker
'

# plant DIR NAME: the attacker links DIR/NAME.tmp.<pid> to the victim for the
# next 2000 pids, the names the exports used before issue 18
plant() {
	"$HELPERS/runas" $attacker python3 - "$1" "$2" "$PWD/victim" <<-\PY
	import os, sys
	d, name, victim = sys.argv[1:]
	last = int(open("/proc/sys/kernel/ns_last_pid").read())
	for pid in range(last + 1, last + 2001):
	    os.symlink(victim, "%s/%s.tmp.%d" % (d, name, pid))
	PY
}

protect_off() {
	cat /proc/sys/fs/protected_symlinks >saved_protected &&
	echo 0 >/proc/sys/fs/protected_symlinks
}
protect_restore() {
	cat saved_protected >/proc/sys/fs/protected_symlinks
}

for cmd in "report --html" "export --perfetto" "export --csv -o"; do
	name=out-${cmd%% *}-${cmd##* -}
	test_expect_success ROOT,SYSCTL "$cmd: planted links over the old temporary names are not followed" '
		pub=$(cat pubdir) &&
		protect_off &&
		test_when_finished protect_restore &&
		plant "$pub" $name &&
		"$FTIO" $cmd "$pub/$name" -i "$rec" 2>err &&
		test_cmp victim.orig victim &&
		test -f "$pub/$name" && ! test -L "$pub/$name" &&
		test "$(stat -c "%a %u" "$pub/$name")" = "600 0" &&
		! ls -a "$pub" | grep -v "\.tmp\.[0-9]*$" | grep "\.tmp$"
	'
done

test_expect_success ROOT,SYSCTL 'report --svg: links planted in an attacker'"'"'s directory are refused' '
	pub=$(cat pubdir) &&
	protect_off &&
	test_when_finished protect_restore &&
	"$HELPERS/runas" $attacker sh -c "mkdir \"$pub/svg\" &&
		ln -s \"$PWD/victim\" \"$pub/svg/heatmap-all.svg\" &&
		ln -s \"$PWD/victim\" \"$pub/svg/histogram-all.svg\"" &&
	test_expect_code 1 "$FTIO" report -i "$rec" --svg "$pub/svg" 2>err &&
	grep "^ftio: cannot write .*heatmap-all.svg.: is a symbolic link" err &&
	test_cmp victim.orig victim
'

test_expect_success ROOT,SYSCTL 'a symlink as the target is refused with the reason' '
	pub=$(cat pubdir) &&
	protect_off &&
	test_when_finished protect_restore &&
	"$HELPERS/runas" $attacker ln -s "$PWD/victim" "$pub/t.html" &&
	test_expect_code 1 "$FTIO" report -i "$rec" --html "$pub/t.html" 2>err &&
	echo "ftio: cannot write '"'"'$pub/t.html'"'"': is a symbolic link (refusing to follow it)" >expect &&
	test_cmp expect err &&
	test_expect_code 1 "$FTIO" export -i "$rec" --csv -o "$pub/t.html" 2>err &&
	test_cmp expect err &&
	test_cmp victim.orig victim &&
	test -L "$pub/t.html"
'

test_expect_success ROOT '/dev/stdout is written through, not replaced' '
	before=$(readlink /dev/stdout) &&
	"$FTIO" report -i "$rec" --html /dev/stdout >page.html 2>err &&
	grep -q "<!DOCTYPE html>" page.html &&
	test -L /dev/stdout && test "$(readlink /dev/stdout)" = "$before" &&
	"$FTIO" export -i "$rec" --perfetto /dev/stdout | python3 -c "import json,sys; json.load(sys.stdin)" &&
	"$FTIO" export -i "$rec" --csv -o /dev/fd/1 >fd1.csv &&
	test -s fd1.csv
'

test_expect_success 'a FIFO receives the data' '
	mkfifo fifo &&
	{ cat fifo >got.json & } &&
	"$FTIO" export -i "$rec" --perfetto fifo 2>err &&
	wait &&
	test -p fifo &&
	python3 -c "import json,sys; json.load(open(\"got.json\"))" &&
	mkfifo fifo2 &&
	{ cat fifo2 >got.html & } &&
	"$FTIO" report -i "$rec" --html fifo2 &&
	wait &&
	grep -q "<!DOCTYPE html>" got.html
'

test_expect_success 'files are 0600 by default and --mode sets them exactly' '
	umask 022 &&
	"$FTIO" report -i "$rec" --html a.html --svg sv 2>err &&
	test "$(stat -c %a a.html)" = 600 &&
	test "$(stat -c %a sv/heatmap-all.svg)" = 600 &&
	test "$(stat -c %a sv)" = 700 &&
	"$FTIO" report -i "$rec" --html a.html --svg sv2 --mode 0644 2>err &&
	test "$(stat -c %a a.html)" = 644 &&
	test "$(stat -c %a sv2/histogram-all.svg)" = 644 &&
	test "$(stat -c %a sv2)" = 755 &&
	"$FTIO" export -i "$rec" --csv -o c.csv --mode 0640 &&
	test "$(stat -c %a c.csv)" = 640 &&
	umask 077 &&
	"$FTIO" export -i "$rec" --perfetto p.json --mode 644 &&
	test "$(stat -c %a p.json)" = 644 &&
	! ls -a | grep "\.tmp$"
'

test_expect_success 'a bad --mode is a usage error' '
	test_expect_code 129 "$FTIO" export -i "$rec" --csv --mode 8 2>err &&
	grep "invalid --mode" err &&
	test_expect_code 129 "$FTIO" report -i "$rec" --html x.html --mode 01777 2>err &&
	grep "invalid --mode" err && ! test -e x.html
'

test_expect_success 'a directory as the target is an error' '
	mkdir d.html &&
	test_expect_code 1 "$FTIO" report -i "$rec" --html d.html 2>err &&
	grep "^ftio: cannot write .d.html.: Is a directory" err
'

test_expect_success ROOT 'cleanup' '
	rm -rf "$(cat pubdir)"
'

test_done
