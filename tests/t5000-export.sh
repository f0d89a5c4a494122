#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='HTML, SVG, Perfetto and CSV views of a recording; colour, pager, completion'
. "$(dirname "$0")/test-lib.sh"

# The no-root tests use the checked-in seed fixture (216 calls, uid 60004
# denied /etc/shadow); the root ones record block I/O of their own.
fx=$FIXTURES/seed.dat
H=$TEST_DIRECTORY/helpers
test_lazy_prereq CHROMIUM 'test -x /usr/bin/chromium'
test_lazy_prereq SCRIPTED_TTY 'python3 -c "import pty"'
test_lazy_prereq SYSTEMD_ANALYZE 'command -v systemd-analyze'

# json FILE EXPR: EXPR of the parsed JSON as r
json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}

# Runs a command on a pseudo-terminal, prints what the terminal got (\r\n as \n)
run_tty() {
	python3 - "$@" <<-\EOF
	import os, pty, sys
	pid, fd = pty.fork()
	if pid == 0:
	    os.execvp(sys.argv[1], sys.argv[1:])
	out = b""
	while True:
	    try:
	        b = os.read(fd, 65536)
	    except OSError:
	        break
	    if not b:
	        break
	    out += b
	_, status = os.waitpid(pid, 0)
	sys.stdout.buffer.write(out.replace(b"\r\n", b"\n"))
	sys.exit(os.waitstatus_to_exitcode(status))
	EOF
}

# The JSON embedded in an HTML page
page_data() {
	python3 - "$1" <<-\EOF
	import json, re, sys
	html = open(sys.argv[1], encoding="utf-8").read()
	m = re.search(r'<script id="ftio-data" type="application/json">(.*?)</script>', html, re.S)
	print(json.dumps(json.loads(m.group(1))))
	EOF
}

# svg_sum DIR FILE [class]: the data-count of the cells (or bars) of an SVG, parsed as XML
svg_sum() {
	python3 - "$@" <<-\EOF
	import sys, xml.etree.ElementTree as ET
	cls = sys.argv[3] if len(sys.argv) > 3 else "cell"
	root = ET.parse(sys.argv[1] + "/" + sys.argv[2]).getroot()
	print(sum(int(e.get("data-count")) for e in root.iter("{http://www.w3.org/2000/svg}rect")
	          if e.get("class") == cls))
	EOF
}

test_expect_success 'report --html writes one self-contained page' '
	"$FTIO" report -i "$fx" --html seed.html 2>err &&
	test_grep "wrote .seed.html." err &&
	test_path_is_file seed.html &&
	test_path_is_missing seed.html.tmp.* &&
	head -c 15 seed.html | grep -q "<!DOCTYPE html>" &&
	# nothing fetched: no external script, style, font, image or frame
	! grep -Ei "<(script|img|iframe|link)[^>]+(src|href)=|@import|url\(|https?://" seed.html &&
	test $(wc -c <seed.html) -lt 300000
'

test_expect_success PYTHON 'the page carries the report: heatmaps sum to the calls, tables, audit' '
	"$FTIO" report -i "$fx" --json >seed.json &&
	page_data seed.html >page.json &&
	calls=$(json seed.json "r[\"capture\"][\"calls_reported\"]") &&
	test "$(json page.json "r[\"maps\"][0][\"timed\"] + r[\"maps\"][0][\"untimed\"]")" = "$calls" &&
	test "$(json page.json "sum(sum(c[1:]) for c in r[\"maps\"][0][\"c\"] if c)")" = \
		"$(json page.json "r[\"maps\"][0][\"timed\"]")" &&
	test "$(json page.json "sum(m[\"timed\"] + m[\"untimed\"] for m in r[\"maps\"] if m[\"g\"] == \"syscall\")")" = "$calls" &&
	test "$(json page.json "[(a[\"path\"], a[\"errno\"], a[\"uid\"]) for a in r[\"audit\"]]")" = \
		"[('"'"'/etc/shadow'"'"', '"'"'EACCES'"'"', 60004)]" &&
	test "$(json page.json "sorted(s[\"name\"] for s in r[\"syscalls\"])")" = \
		"$(json seed.json "sorted(s[\"name\"] for s in r[\"syscalls\"])")"
'

test_expect_success PYTHON 'report --svg: heatmaps and histograms parse as XML, cells sum to the calls' '
	"$FTIO" report -i "$fx" --svg svg 2>err &&
	test_must_be_empty err &&
	calls=$(json seed.json "r[\"capture\"][\"calls_reported\"]") &&
	test "$(svg_sum svg heatmap-all.svg)" = "$calls" &&
	test "$(svg_sum svg histogram-all.svg bar)" = "$calls" &&
	json seed.json "\"\\n\".join(\"%s %d\" % (s[\"name\"], s[\"count\"]) for s in r[\"syscalls\"])" >expect &&
	while read -r name count; do
		test "$(svg_sum svg heatmap-syscall-$name.svg)" = "$count" &&
		test "$(svg_sum svg histogram-syscall-$name.svg bar)" = "$count" || return 1
	done <expect &&
	test "$(json seed.json "sum(m[\"count\"] for m in r[\"mounts\"])")" = \
		"$(for f in svg/heatmap-mount-*.svg; do svg_sum svg "${f#svg/}"; done | awk "{ s += \$1 } END { print s }")" &&
	test_line_count = 9 expect
'

test_expect_success PYTHON 'export --perfetto: valid trace events, one syscall slice per reported call' '
	"$FTIO" export -i "$fx" --perfetto seed.trace.json 2>err &&
	test_grep "wrote .seed.trace.json.: 216 calls" err &&
	python3 "$H/check-perfetto.py" --calls "$(json seed.json "r[\"capture\"][\"calls_reported\"]")" \
		seed.trace.json >summary &&
	test "$(json summary "r[\"tracks\"]")" = 1 &&
	# the thread took the name of each program it ran
	grep -q "\"thread_name\",\"pid\":3345,\"tid\":3345,\"args\":{\"name\":\"cat\"}" seed.trace.json &&
	grep -q "\"name\":\"openat\".*\"errno\":\"EACCES\"" seed.trace.json
'

test_expect_success PYTHON 'export --perfetto follows the report filters' '
	"$FTIO" export -i "$fx" --perfetto - --syscall openat --errors >f.json &&
	"$FTIO" report -i "$fx" --json --syscall openat --errors >f.report &&
	python3 "$H/check-perfetto.py" --calls "$(json f.report "r[\"capture\"][\"calls_reported\"]")" f.json
'

test_expect_success 'export --csv is report --csv' '
	"$FTIO" report -i "$fx" --csv >report.csv &&
	"$FTIO" export -i "$fx" --csv >export.csv &&
	test_cmp report.csv export.csv &&
	"$FTIO" export -q -i "$fx" --csv -o out.csv &&
	test_cmp report.csv out.csv
'

test_expect_success 'usage errors exit 129' '
	test_expect_code 129 "$FTIO" export -i "$fx" 2>err &&
	test_grep "perfetto" err &&
	test_expect_code 129 "$FTIO" export -i "$fx" --perfetto x.json --csv &&
	test_expect_code 129 "$FTIO" export -i "$fx" --csv --bogus &&
	test_expect_code 129 "$FTIO" report -i "$fx" --color=sometimes 2>err &&
	test_grep "invalid --color .sometimes." err &&
	test_path_is_missing x.json
'

test_expect_success 'a file that cannot be written is one error, and nothing is left behind' '
	test_expect_code 1 "$FTIO" report -i "$fx" --html nodir/x.html 2>err &&
	test_grep "^ftio: cannot write .nodir/x.html.: No such file or directory$" err &&
	test_expect_code 1 "$FTIO" export -i "$fx" --perfetto nodir/x.json 2>err &&
	test_grep "^ftio: cannot write .nodir/x.json.: No such file or directory$" err &&
	: >notadir &&
	test_expect_code 1 "$FTIO" report -i "$fx" --svg notadir/svg 2>err &&
	test_grep "^ftio: cannot write .notadir/svg.: Not a directory$" err &&
	test_path_is_missing nodir
'

test_expect_success '--color: headers and error names only, never when not asked or piped' '
	"$FTIO" report -i "$fx" --color=always >always.txt &&
	"$FTIO" report -i "$fx" >plain.txt &&
	"$FTIO" report -i "$fx" --color=auto >auto.txt &&
	! grep -q "$(printf "\033")" plain.txt &&
	test_cmp plain.txt auto.txt &&
	grep -q "$(printf "\033\\[1mSyscall latency\033\\[m")" always.txt &&
	grep -q "$(printf "\033\\[31mEACCES\033\\[m")" always.txt &&
	# without the escapes it is the same report
	sed "s/$(printf "\033")\\[[0-9;]*m//g" always.txt >stripped.txt &&
	test_cmp plain.txt stripped.txt &&
	# data rows stay uncoloured
	grep "^  openat " always.txt | grep -qv "$(printf "\033")"
'

test_expect_success SCRIPTED_TTY '--color=auto colours a terminal unless TERM=dumb' '
	TERM=xterm run_tty "$FTIO" report -i "$fx" --no-pager >tty.txt &&
	grep -q "$(printf "\033\\[1mCapture")" tty.txt &&
	TERM=dumb run_tty "$FTIO" report -i "$fx" --no-pager >dumb.txt &&
	! grep -q "$(printf "\033")" dumb.txt
'

test_expect_success SCRIPTED_TTY 'the pager: FTIO_PAGER, then PAGER, only on a terminal' '
	FTIO_PAGER="sed s/^/paged:/" PAGER="sed s/^/wrong:/" TERM=dumb \
		run_tty "$FTIO" report -i "$fx" >paged.txt &&
	grep -q "^paged:Syscall latency" paged.txt &&
	! grep -q "^wrong:" paged.txt &&
	PAGER="sed s/^/pager:/" TERM=dumb run_tty "$FTIO" report -i "$fx" >pager.txt &&
	grep -q "^pager:Capture" pager.txt &&
	PAGER="sed s/^/pager:/" TERM=dumb run_tty "$FTIO" report -i "$fx" --no-pager >nopager.txt &&
	! grep -q "^pager:" nopager.txt &&
	FTIO_PAGER="sed s/^/paged:/" "$FTIO" report -i "$fx" >piped.txt &&
	! grep -q "^paged:" piped.txt &&
	FTIO_PAGER="sed s/^/paged:/" TERM=dumb run_tty "$FTIO" report -i "$fx" --json >json.txt &&
	! grep -q "^paged:" json.txt
'

test_expect_success CHROMIUM,PYTHON 'the page in Chromium: drawn, no console error, a click narrows the tables' '
	python3 "$H/html-check.py" --screenshot seed.png seed.html >check.json &&
	test_path_is_file seed.png &&
	test "$(json check.json "r[\"after\"][\"sum\"] == r[\"cell\"][\"n\"]")" = True
'

test_expect_success CHROMIUM,PYTHON 'a selection without calls still makes a page and maps' '
	"$FTIO" report -i "$fx" --pid 1 --html empty.html --svg empty-svg &&
	python3 "$H/html-check.py" --no-click empty.html &&
	test "$(svg_sum empty-svg heatmap-all.svg)" = 0
'

test_expect_success 'bash completion: commands, options, layers' '
	cat >complete.sh <<-\EOF &&
	. "$TEST_DIRECTORY/../contrib/bash-completion/ftio"
	c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _ftio; printf "%s\n" "${COMPREPLY[@]}" | sort; }
	c ftio ""
	echo --
	c ftio exp
	echo --
	c ftio record -e "sys"
	echo --
	c ftio record -e "syscalls,pa"
	echo --
	c ftio report --co
	echo --
	c ftio report --color = ""
	echo --
	c ftio export --per
	EOF
	bash complete.sh >got &&
	sed -n "1,/^--$/p" got >cmds &&
	for cmd in export info probe record replay report reset; do grep -qx "$cmd" cmds || return 1; done &&
	grep -qx export got &&
	grep -qx syscalls got &&
	grep -qx syscalls,paths got &&
	grep -qx -- --color got && grep -qx -- --comm got &&
	grep -qx always got && grep -qx never got &&
	grep -qx -- --perfetto got
'

test_expect_success SYSTEMD_ANALYZE 'the systemd template unit is valid' '
	mkdir -p units &&
	sed "s|/usr/local/bin/ftio|$FTIO|" "$TEST_DIRECTORY/../contrib/systemd/ftio-record@.service" \
		>"units/ftio-record@.service" &&
	systemd-analyze verify --man=no "units/ftio-record@.service" 2>err &&
	cat err &&
	! grep -Ei "unknown|invalid|failed|not executable|ignoring" err
'

# ---- real recordings (root): block I/O, flows, and the page weight at scale ----

test_expect_success ROOT,TRACEFS,PYTHON 'record block I/O: O_DIRECT reads and writes, an fsync' '
	"$FTIO" record -q -o io.dat -- sh -c "
		dd if=/dev/zero of=data bs=64k count=32 oflag=direct status=none &&
		dd if=data of=/dev/null bs=64k iflag=direct status=none &&
		dd if=/dev/zero of=synced bs=256k count=8 conv=fsync status=none" &&
	"$FTIO" report -i io.dat --json --top 100000 >io.json &&
	json io.json "sum(1 for c in r[\"slowest\"] for ch in c[\"children\"] if ch[\"layer\"] == \"block\")" >requests &&
	test "$(cat requests)" -gt 0
'

test_expect_success ROOT,TRACEFS,PYTHON 'Perfetto: nested children, a track per device, a flow per request' '
	"$FTIO" export -i io.dat --perfetto io.trace.json 2>err &&
	python3 "$H/check-perfetto.py" --calls "$(json io.json "r[\"capture\"][\"calls_reported\"]")" \
		--requests "$(cat requests)" io.trace.json >summary &&
	test "$(json summary "r[\"flows\"]")" = "$(cat requests)" &&
	test "$(json summary "r[\"slices_by_cat\"].get(\"block\", 0) > 0")" = True &&
	grep -q "\"name\":\"process_name\",\"pid\":1073741825,.*\"block device " io.trace.json
'

test_expect_success ROOT,TRACEFS,PYTHON 'SVG: the device heatmap counts every request of the calls' '
	"$FTIO" report -i io.dat --svg io-svg &&
	ls io-svg/heatmap-device-*.svg >devs &&
	test "$(for f in $(cat devs); do svg_sum io-svg "${f#io-svg/}"; done | awk "{ s += \$1 } END { print s }")" = \
		"$(cat requests)"
'

test_expect_success ROOT,TRACEFS,CHROMIUM,PYTHON 'the page of a recording with block I/O in Chromium' '
	"$FTIO" report -i io.dat --html io.html &&
	python3 "$H/html-check.py" io.html >check.json &&
	page_data io.html >page.json &&
	test "$(json page.json "any(c[\"children\"] for c in r[\"calls\"])")" = True
'

# The page holds heatmaps of at most 200 columns and the few slowest calls
# of each column: its size has a bound that does not depend on the calls
test_expect_success ROOT,TRACEFS,PYTHON 'the page weight is bounded, whatever the number of calls' '
	"$FTIO" record -e syscalls -b 16384 -q -o many.dat -- \
		dd if=/dev/zero of=/dev/null bs=1 count=200000 status=none &&
	"$FTIO" report -i many.dat --html many.html &&
	"$FTIO" report -i many.dat --json >many.json &&
	test "$(json many.json "r[\"capture\"][\"calls_reported\"] >= 400000")" = True &&
	page_data many.html >many.page &&
	test "$(json many.page "r[\"axis\"][\"cols\"] <= 200")" = True &&
	test "$(json many.page "len(r[\"calls\"]) <= r[\"axis\"][\"cols\"] * r[\"slow_per_col\"] + r[\"top\"]")" = True &&
	test "$(json many.page "r[\"maps\"][0][\"timed\"] + r[\"maps\"][0][\"untimed\"]")" = \
		"$(json many.json "r[\"capture\"][\"calls_reported\"]")" &&
	wc -c <many.html &&
	test $(wc -c <many.html) -lt 400000
'

test_expect_success ROOT,TRACEFS,CHROMIUM,PYTHON 'the page of 400k calls stays responsive' '
	python3 "$H/html-check.py" many.html >check.json &&
	cat check.json &&
	test "$(json check.json "r[\"load_event_ms\"] < 5000 and r[\"click_s\"] < 1")" = True
'

test_done
