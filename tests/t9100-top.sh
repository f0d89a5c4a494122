#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='ftio top: the live table, on a terminal (tmux) and as plain text, and a clean kernel on every way out'
. "$(dirname "$0")/test-lib.sh"

test_lazy_prereq TMUX 'command -v tmux >/dev/null'

# The CALLS of the rows of key $2 in the plain tables of $1, summed (the key
# starts after the fixed columns, at column 63 with the indent)
calls_of() {
	awk -v k="$2" 'substr($0, 63) == k { n += $1 } END { print n + 0 }' "$1"
}

# Waits up to 10 s for process $1 to end
wait_gone() {
	for i in $(seq 100); do
		test -d "/proc/$1" || return 0
		sleep 0.1
	done
	echo "process $1 still runs" >&2
	return 1
}

# Waits up to 10 s for the tmux pane of session $1 to show the fixed string $2
wait_screen() {
	for i in $(seq 100); do
		tmux -L "$sock" capture-pane -p -t "$1" >screen 2>/dev/null &&
			grep -qF -- "$2" screen && return 0
		sleep 0.1
	done
	cat screen >&2
	return 1
}

# Nothing of ftio process $1 in tracefs
clean_after() {
	! ls "$TRACEFS_DIR/instances" | grep -x "ftio_$1\(_async\)\?"
}

sock=ftio-t9100-$$

test_expect_success ROOT,TRACEFS 'plain text: dd count=777 gives 777 writes on its file' '
	"$FTIO" top --syscall write -- dd if=/dev/zero of="$PWD/f" bs=512 count=777 >out 2>err &&
	cat out &&
	grep -E "^[0-9:]{8} ftio top by file, [0-9.]+s: [0-9]+ calls" out &&
	grep -E "^ +CALLS ERRORS +BYTES +TOTAL +P99 LAYER +FILE$" out &&
	test "$(calls_of out "$PWD/f")" = 777 &&
	grep -E "^ftio: [0-9]+ intervals, [0-9]+ calls of [0-9]+ \([0-9]+ events\), 0 lost by the kernel$" err
'

test_expect_success ROOT,TRACEFS 'plain text: --by syscall and --by process count the same calls' '
	"$FTIO" top --by syscall --rows 0 -- dd if=/dev/zero of="$PWD/g" bs=1k count=300 >sc 2>err &&
	awk "substr(\$0, 63) == \"read\" { n += \$1 } END { exit !(n >= 300) }" sc &&
	"$FTIO" top --by process --comm dd --syscall write -- dd if=/dev/zero of="$PWD/g" bs=1k count=300 >pr 2>err &&
	grep -E "^ +[0-9]+ +0 .* [0-9]+ dd$" pr >rows &&
	test "$(awk "{ n += \$1 } END { print n }" rows)" -ge 300
'

test_expect_success ROOT,TRACEFS,TMUX 'under tmux: the screen shows the busy file, q quits, tracefs is clean' '
	mkdir -p b &&
	# braced: "mkdir && sh &" would put the whole list in a subshell, and
	# $! would be that subshell, not the loop the cleanup has to kill
	{ sh -c "while :; do echo x >>b/busy; : >b/busy.trunc; done" & } &&
	busy=$! &&
	test_when_finished "kill $busy 2>/dev/null; wait $busy 2>/dev/null; tmux -L $sock kill-server 2>/dev/null; :" &&
	tmux -L "$sock" -f /dev/null new-session -d -s top -x 160 -y 40 \
		"echo \$\$ >top.pid; exec \"$FTIO\" top -d 0.5 -p \"$PWD/b\" 2>top.err" &&
	wait_screen top "ftio top - by file" &&
	wait_screen top "$PWD/b/busy" &&
	grep -E "^ +CALLS ERRORS +BYTES +TOTAL +P99 LAYER +FILE" screen &&
	grep -E "^ +[0-9]+ +0 .*$PWD/b/busy$" screen &&
	pid=$(cat top.pid) &&
	tmux -L "$sock" send-keys -t top s &&
	wait_screen top "sorted by p99" &&
	tmux -L "$sock" send-keys -t top q &&
	wait_gone "$pid" &&
	cat top.err &&
	grep -E "^ftio: [0-9]+ intervals, [0-9]+ calls" top.err &&
	clean_after "$pid"
'

test_expect_success ROOT,TRACEFS,TMUX 'under tmux: a closed terminal (the session killed) ends it cleanly' '
	tmux -L "$sock" -f /dev/null new-session -d -s hup -x 120 -y 30 \
		"echo \$\$ >hup.pid; exec \"$FTIO\" top -d 0.5 --comm nosuchcomm 2>hup.err" &&
	test_when_finished "tmux -L $sock kill-server 2>/dev/null; :" &&
	wait_screen hup "ftio top - by file" &&
	pid=$(cat hup.pid) &&
	tmux -L "$sock" kill-session -t hup &&
	wait_gone "$pid" &&
	cat hup.err &&
	grep -E "^ftio: [0-9]+ intervals" hup.err &&
	clean_after "$pid"
'

test_expect_success ROOT,TRACEFS 'SIGINT, SIGTERM and SIGHUP end it cleanly; -n stops after its intervals' '
	for sig in INT TERM HUP; do
		"$FTIO" top --batch -d 0.2 --comm nosuchcomm >/dev/null 2>err.$sig &
		pid=$! &&
		sleep 1 &&
		kill -$sig $pid &&
		wait $pid &&
		grep "intervals" err.$sig &&
		clean_after "$pid" || return 1
	done &&
	"$FTIO" top -d 0.2 -n 3 --comm nosuchcomm >n.out 2>n.err &&
	test "$(grep -c " ftio top by file, " n.out)" = 3 &&
	grep "^ftio: 3 intervals" n.err
'

test_expect_success 'usage errors exit 129' '
	test_expect_code 129 "$FTIO" top --by inode 2>err &&
	grep "^usage: ftio top" err &&
	test_expect_code 129 "$FTIO" top -d 0 2>err &&
	test_expect_code 129 "$FTIO" top --sort speed 2>err &&
	test_expect_code 129 "$FTIO" top --tid 3 2>err
'

test_done
