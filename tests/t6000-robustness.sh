#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='hostile and damaged recordings, hostile file names and out-of-range options: clean errors, never a crash'
. "$(dirname "$0")/test-lib.sh"

# Every reading command on a damaged or hostile recording exits 0 (with a
# warning naming the file when it skipped something) or 1 (with an error
# naming it), never by a signal and never with a usage error.  The inputs
# are the fuzzer's seed corpus and regression inputs (tests/fuzz/), and
# variants of tests/fixtures/seed.dat crafted by tests/helpers/craft.py.

fx=$FIXTURES
fuzz=$TEST_DIRECTORY/fuzz
export TZ=UTC

# Regression inputs that still crash ftio, and those that only a build
# with SANITIZE=1 sees go wrong; each is described in tests/fuzz/README.
# Remove a name once its bug is fixed.
known_broken='
'
known_broken_asan='
'
# A sanitizer's report must never pass for a clean "exit 1": whatever else
# the caller asks of ASan and UBSan, they stop and exit 99 and 98
test_lazy_prereq SANITIZED 'ldd "$FTIO" | grep -q -e libasan -e libubsan'
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}:exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=98:print_stacktrace=1"

# A pyenv shim costs a shell script per call, and the checks call python a lot
if test_have_prereq PYTHON; then
	_py=$(python3 -c "import sys; print(sys.executable)")
	python3() { "$_py" "$@"; }
fi

craft() { python3 "$TEST_DIRECTORY/helpers/craft.py" "$@"; }

cat >events.py <<-\EOF
# events.py FULL PART...: each PART's events (replay --json, comm aside: it
# depends on lifecycle events that damage may take) must all be FULL's;
# prints how many events the last PART has
import json, sys

def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        e = json.loads(line)
        out.append(json.dumps([e["ts"], e["cpu"], e["tid"], e["event"], e["fields"]]))
    return out

full = set(load(sys.argv[1]))
for path in sys.argv[2:]:
    part = load(path)
    extra = [e for e in part if e not in full]
    if extra:
        sys.exit("%s: %d of %d events are not in the undamaged recording, e.g. %s" %
                 (path, len(extra), len(part), extra[0]))
print(len(part))
EOF

cat >json-check.py <<-\EOF
# json-check.py FILE...: each FILE is one JSON document, or (*.jsonl) one a line
import json, sys
for path in sys.argv[1:]:
    text = open(path, "rb").read().decode("utf-8")
    if path.endswith(".jsonl"):
        for n, line in enumerate(text.splitlines(), 1):
            try:
                json.loads(line)
            except ValueError as e:
                sys.exit("%s:%d: %s" % (path, n, e))
    elif text:
        json.loads(text)
EOF

all_cmds=("info" "info --json" "replay" "replay --json" "report" "report --json" "report --csv"
	"report --drill --errors")
# the crafted variants of one recording are many: the three commands, text and JSON
quick_cmds=("info" "replay --json" "report --json" "report --drill --errors")

# survives [-q] FILE: every reading command (-q: the quick set) exits 0 or 1,
# and an exit 1 names FILE; JSON output is kept in json/ for json_ok
survives() {
	local f cmd rc n=0 cmds=("${all_cmds[@]}")

	if test "$1" = -q; then
		cmds=("${quick_cmds[@]}")
		shift
	fi
	f=$1
	mkdir -p json
	_jn=$((${_jn:-0} + 1))
	for cmd in "${cmds[@]}"; do
		n=$((n + 1))
		"$FTIO" $cmd -i "$f" >out.$n 2>err.$n
		rc=$?
		case $rc in
		0)
			case $cmd in
			"replay --json") cp out.$n "json/$_jn.${f##*/}.$n.jsonl" ;;
			*--json) cp out.$n "json/$_jn.${f##*/}.$n.json" ;;
			esac
			;;
		1)
			grep -qF "'$f'" err.$n && continue
			echo >&2 "ftio $cmd -i '$f' failed without naming the file:"
			cat >&2 err.$n
			return 1
			;;
		*)
			echo >&2 "ftio $cmd -i '$f' exited $rc$(test $rc -gt 128 && echo " (signal $((rc - 128)))"):"
			tail -n 20 >&2 err.$n
			return 1
			;;
		esac
	done
}

# json_ok: every JSON document survives() kept parses
json_ok() {
	test_have_prereq PYTHON && test -d json || return 0
	python3 json-check.py json/* && rm -rf json
}

# warns FILE: the last command's warnings name FILE
warns() {
	grep -q "^ftio: warning: '$1': " err || {
		echo >&2 "no warning naming '$1':"
		cat >&2 err
		return 1
	}
}

test_expect_success 'the fuzzer seed corpus: every command exits 0 or 1, JSON parses' '
	test -d "$fuzz/corpus" &&
	for f in "$fuzz"/corpus/*; do
		survives -q "$f" || return 1
	done &&
	json_ok
'

for f in "$fuzz"/regressions/*; do
	test -f "$f" || continue
	name=${f##*/}
	expect=test_expect_success
	case " $(echo $known_broken) " in *" $name "*) expect=test_expect_failure ;; esac
	case " $(echo $known_broken_asan) " in
	*" $name "*) test_have_prereq SANITIZED && expect=test_expect_failure ;;
	esac
	$expect "fuzz regression $name: every command exits 0 or 1" "
		survives \"\$fuzz/regressions/$name\" && json_ok
	"
done

test_expect_success PYTHON 'the undamaged fixture, for comparison' '
	cp "$fx/seed.dat" seed.dat &&
	"$FTIO" replay --json -i seed.dat >full.jsonl &&
	test $(wc -l <full.jsonl) -gt 100 &&
	craft seed.dat - chunks >chunks &&
	test_line_count -ge 4 chunks &&
	sub=$(awk "\$3 == 2 { print NR - 1; exit }" chunks) &&
	last=$(($(wc -l <chunks) - 1)) &&
	test -n "$sub" && test "$(tail -n 1 chunks | cut -d" " -f3)" = 4
'

test_expect_success PYTHON 'a flipped byte in any chunk is caught and costs only that chunk' '
	offsets=$(awk "{ print \$1 + 2, \$1 + 20, \$1 + 44, \$1 + 48, \$1 + int(\$2 / 2) }" chunks) &&
	craft seed.dat flip flip-each $offsets &&
	for off in $offsets; do
		survives -q flip.$off.dat || return 1
		"$FTIO" replay --json -i flip.$off.dat >part.$off.jsonl 2>err
		case $? in
		0) warns flip.$off.dat ;;
		1) rm part.$off.jsonl && grep "cannot decode .flip.$off.dat.: its event formats" err ;;
		*) false ;;
		esac || return 1
	done &&
	python3 events.py full.jsonl part.*.jsonl &&
	json_ok
'

test_expect_success PYTHON 'flipped bytes in the file header: not a recording, or newer' '
	for at in 0 7 8 11; do
		craft seed.dat flip.dat flip $at &&
		survives -q flip.dat &&
		test_expect_code 1 "$FTIO" info -i flip.dat 2>err &&
		grep -E "^ftio: cannot read .flip.dat.: (not an ftio recording|made by a newer ftio)" err ||
		return 1
	done &&
	# unknown flag bits are ignored
	craft seed.dat flip.dat flip 12 &&
	"$FTIO" replay --json -i flip.dat >part.jsonl &&
	test_cmp full.jsonl part.jsonl
'

test_expect_success PYTHON 'a recording cut anywhere decodes up to the cut' '
	size=$(wc -c <seed.dat) &&
	for cut in 0 15 16 17 63 64 100 $(awk "{ print \$1 + 47, \$1 + 48, \$1 + \$2 - 1 }" chunks) \
		$((size - 1)); do
		craft seed.dat cut.dat cut $cut &&
		survives -q cut.dat || return 1
		"$FTIO" replay --json -i cut.dat >part.jsonl 2>err
		rc=$?
		case $rc in
		0) warns cut.dat && python3 events.py full.jsonl part.jsonl >/dev/null ;;
		*) grep -E "cannot (read|decode) .cut.dat." err ;;
		esac || return 1
	done
'

test_expect_success PYTHON 'duplicated metadata and end chunks change nothing' '
	for n in 0 1 $last; do
		craft seed.dat dup.dat dup $n &&
		survives -q dup.dat &&
		"$FTIO" replay --json -i dup.dat >part.jsonl &&
		test_cmp full.jsonl part.jsonl || return 1
	done
'

test_expect_success PYTHON 'a duplicated sub-buffer chunk is reported and not decoded twice' '
	craft seed.dat dup.dat dup $sub &&
	survives dup.dat &&
	"$FTIO" replay --json -i dup.dat >part.jsonl 2>err &&
	warns dup.dat &&
	test_cmp full.jsonl part.jsonl
'

test_expect_success PYTHON 'a chunk claiming 4 GiB with a valid header CRC is skipped, the rest decodes' '
	craft seed.dat claim.dat set $sub stored 0xffffffff raw 0xffffffff &&
	survives claim.dat &&
	"$FTIO" replay --json -i claim.dat >part.jsonl 2>err &&
	warns claim.dat &&
	grep "damaged chunk at offset" err &&
	n=$(python3 events.py full.jsonl part.jsonl) &&
	test "$n" -gt 0 && test "$n" -lt $(wc -l <full.jsonl)
'

test_expect_success PYTHON 'a chunk claiming more than the file holds ends the index with a warning' '
	craft seed.dat claim.dat set $sub stored 0x4000000 raw 0x4000000 &&
	survives claim.dat &&
	"$FTIO" replay --json -i claim.dat >part.jsonl 2>err &&
	warns claim.dat &&
	grep "is cut at offset" err &&
	python3 events.py full.jsonl part.jsonl
'

test_expect_success PYTHON 'impossible chunk types, streams and inflated sizes are survived' '
	for change in "type 77" "type 0" "flags 0xff01" "flags 0x0301" "flags 0" "raw 1" \
		"raw 0x4000000" "cpu 8191" "cpu 8192" "seq 0xffffffff"; do
		craft seed.dat odd.dat set $sub $change &&
		survives -q odd.dat || { echo >&2 "with $change"; return 1; }
	done
'

test_expect_success PYTHON 'a sub-buffer chunk for CPU 4294967295 is survived' '
	craft seed.dat odd.dat set $sub cpu 0xffffffff &&
	survives odd.dat
'

test_expect_success PYTHON 'garbage format text and header page lose only what they describe' '
	craft seed.dat fmt.dat attr \
		format/syscalls/sys_enter_openat "$(printf "garbage\001\377\nID: 1\nformat:\n\tfield:")" \
		format/bogus/ev "$(printf "name: ev\nID: 65535\nformat:\n\tfield:int x;\toffset:0;\tsize:99999;\tsigned:1;\n")" \
		format/bogus/empty "" format/ "x" format//x "y" &&
	survives fmt.dat &&
	"$FTIO" replay --json -i fmt.dat >part.jsonl &&
	test_cmp full.jsonl part.jsonl &&
	craft seed.dat hp.dat attr header_page "$(printf "\tfield: u64 timestamp;\toffset:0;\tsize:99999;\tsigned:0;\n")" &&
	survives hp.dat
'

# openat_format OFFSET: sys_enter_openat's format with dfd at OFFSET
openat_format() {
	python3 -c "
import sys
f = '\tfield:%s;\toffset:%s;\tsize:%d;\tsigned:%d;\n'
print('name: sys_enter_openat\nID: 782\nformat:')
for decl, off, size, sgn in (('unsigned short common_type', 0, 2, 0), ('unsigned char common_flags', 2, 1, 0),
        ('unsigned char common_preempt_count', 3, 1, 0), ('int common_pid', 4, 4, 1),
        ('int __syscall_nr', 8, 4, 1), ('int dfd', sys.argv[1], 8, 0),
        ('const char * filename', 24, 8, 0), ('int flags', 32, 8, 0), ('umode_t mode', 40, 8, 0)):
    sys.stdout.write(f % (decl, off, size, sgn) + ('\\n' if decl == 'int common_pid' else ''))
print('\nprint fmt: \"dfd: 0x%08lx\", ((unsigned long)(REC->dfd))')
" "$1"
}

test_expect_success PYTHON 'a format that moves a field is used in place of the recorded one' '
	craft seed.dat fmt.dat attr format/syscalls/sys_enter_openat "$(openat_format 24)" &&
	survives fmt.dat &&
	"$FTIO" replay -i fmt.dat -e sys_enter_openat >moved.txt &&
	"$FTIO" replay -i seed.dat -e sys_enter_openat >orig.txt &&
	test_line_count = $(wc -l <orig.txt) moved.txt &&
	! test_cmp orig.txt moved.txt >/dev/null
'

# offset + size must not overflow an int
test_expect_success PYTHON 'a format with a field offset near 2 GiB is survived' '
	craft seed.dat fmt.dat attr format/syscalls/sys_enter_openat "$(openat_format 2147483640)" &&
	survives fmt.dat
'

# 4293967296 is -1000000 as an int
test_expect_success PYTHON 'a format with a negative field offset is survived' '
	craft seed.dat fmt.dat attr format/syscalls/sys_enter_openat "$(openat_format 4293967296)" &&
	survives fmt.dat
'

# the pages are little-endian: read as big-endian every commit word is 0
test_expect_success PYTHON 'a byte order that does not match the pages is reported' '
	craft seed.dat be.dat attr meta/endian big &&
	survives be.dat &&
	"$FTIO" replay -i be.dat >/dev/null 2>err &&
	warns be.dat
'

test_expect_success PYTHON 'impossible word and sub-buffer sizes are refused or survived' '
	for kv in "meta/long_size 3" "meta/long_size 0" "meta/subbuf_size 0" "meta/subbuf_size 63" \
		"meta/subbuf_size 2097152" "meta/subbuf_size 99999999999999999999" "meta/subbuf_size -1" \
		"meta/cpus 4294967295" "meta/cpus -5" "meta/start_mono_ns 18446744073709551615" \
		"meta/clock mono" "meta/layers ,,,syscalls,,nosuch," "meta/streams 200"; do
		craft seed.dat meta.dat attr $kv &&
		survives -q meta.dat || { echo >&2 "with $kv"; return 1; }
	done
'

test_expect_success PYTHON 'hostile snapshots (procs, fds, mounts, passwd) are survived' '
	long=$(head -c 70000 /dev/zero | tr "\0" "a") &&
	craft seed.dat sb.dat attr \
		sideband/procs "$(printf "1 -1 -1 -1 -1\n%s\n99999999999999999999 0 0 0 0 /\n\n\t\n" "$long")" \
		sideband/fds "$(printf "1 2147483647 /x\n1 -1 /y\n-5 3 \n1 3 %s\n" "$long")" \
		sideband/mountinfo "$(printf "garbage\n1 2 3:4 / / rw - ext4 /dev/x rw\n\n%s\n" "$long")" \
		sideband/passwd "$(printf "root:x:0:0::/:\n:::::::\nu:x:-1:-1\n%s:x:99999999999:0::/:\n" "$long")" \
		sideband/setuid "$(printf "/x 0 1\n\n%s\n" "$long")" \
		sideband/cmdlines "$(printf "1 \n-1 x\n%s\n" "$long")" &&
	survives sb.dat
'

test_expect_success PYTHON 'the JSON output of every damaged recording above parses' '
	json_ok
'

# --- hostile file names, for real -------------------------------------------

# The workload reads files named with a newline, an escape sequence and a
# byte that is not UTF-8, writes and fsyncs one (page cache, block, drill
# trees), and names them on its command line (the recording keeps that too)
test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'record a workload on files with hostile names' '
	mkdir names &&
	python3 - <<-\EOF &&
	for n in (b"new\nline", b"\x1b[31mred", b"bad\xffbyte", b"tab\there", b"q\"uote\\back,comma"):
	    open(b"names/" + n, "wb").write(b"data\n")
	EOF
	"$FTIO" record -q -o names.dat -- sh -c "
		for f in names/*; do cat \"\$f\" >/dev/null; done
		dd if=/dev/zero of=\"\$1\" bs=64k count=4 conv=fsync status=none
		cat \"\$1\" \"\$2\" >/dev/null 2>&1
		cat names/nosuch\"\$1\" 2>/dev/null
		true" sh "names/$(printf "\033[31mred\nx\377")" "names/$(printf "\033[1mbold")" &&
	"$FTIO" replay -i names.dat -e "*open*" >opens &&
	grep -F "31mred" opens
'

# no_raw FILE...: no escape byte, no 0xff and no line cut by a file name's newline
no_raw() {
	python3 - "$@" <<-\EOF
	import sys
	bad = 0
	for path in sys.argv[1:]:
	    for n, line in enumerate(open(path, "rb").read().split(b"\n"), 1):
	        why = [w for w, b in (("ESC", b"\x1b"), ("0xff", b"\xff")) if b in line]
	        if line.startswith((b"line", b"x\xff", b"x\\xff")):
	            why.append("a line cut by a raw newline")
	        if why:
	            print("%s:%d: %s: %r" % (path, n, ", ".join(why), line[:120]))
	            bad += 1
	sys.exit(1 if bad else 0)
	EOF
}

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: JSON parses and keeps them exactly' '
	"$FTIO" report --json --top 1000 -i names.dat >names.json &&
	"$FTIO" info --json -i names.dat >info.json &&
	"$FTIO" replay --json -i names.dat >names.jsonl &&
	python3 json-check.py names.json info.json names.jsonl &&
	python3 - <<-\EOF
	import json
	def strings(o):
	    if isinstance(o, dict):
	        for k, v in o.items():
	            yield k
	            yield from strings(v)
	    elif isinstance(o, list):
	        for v in o:
	            yield from strings(v)
	    elif isinstance(o, str):
	        yield o
	s = list(strings(json.load(open("names.json"))))
	assert any(x.endswith("/names/\x1b[31mred\nx\udcff") for x in s), "escape-and-newline name (0xff as the lone surrogate U+DCFF) not in the JSON report"
	assert any(x.endswith("/names/new\nline") for x in s), "newline name not in the JSON report"
	assert "\x1b[31mred\nx" in json.load(open("info.json"))["cmdline"]
	EOF
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: CSV rows stay rows, fields escaped' '
	"$FTIO" report --csv -i names.dat >names.csv &&
	python3 - <<-\EOF
	import csv
	rows = list(csv.reader(open("names.csv", encoding="latin-1", newline="")))
	assert all(len(r) == len(rows[0]) for r in rows), "a row with a different number of fields"
	for r in rows:
	    for f in r:
	        assert "\x1b" not in f and "\n" not in f and "\r" not in f, r
	assert any(r[10].endswith("/names/\\x1b[31mred\\nx" + "\xff") or
	           r[10].endswith("/names/\\x1b[31mred\\nx\\xff") for r in rows[1:]), "escaped name not found"
	EOF
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: replay text escapes them' '
	"$FTIO" replay -i names.dat >replay.txt &&
	grep -F "\\x1b[31mred\\nx" replay.txt &&
	python3 - <<-\EOF
	import sys
	for line in open("replay.txt", "rb").read().split(b"\n"):
	    assert b"\x1b" not in line and not line.startswith(b"x"), line
	EOF
'

# the page cache table's paths and the "traced:" line too
test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: report text escapes them' '
	"$FTIO" report -i names.dat >report.txt &&
	"$FTIO" report --errors -i names.dat >errors.txt &&
	grep -F "\\x1b[31mred" report.txt &&
	no_raw report.txt errors.txt
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: drill-down trees escape them' '
	"$FTIO" report --drill -i names.dat >drill.txt &&
	grep -F "31mred" drill.txt &&
	no_raw drill.txt
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: info escapes the command line' '
	"$FTIO" info -i names.dat >info.txt &&
	grep "^command:.*31mred" info.txt &&
	no_raw info.txt
'

test_expect_success ROOT,TRACEFS,UPROBES,PYTHON 'hostile names: bytes that are not UTF-8 are escaped in text and CSV' '
	"$FTIO" replay -i names.dat >replay.txt &&
	"$FTIO" report --csv -i names.dat >names.csv &&
	python3 - <<-\EOF
	for f in ("replay.txt", "names.csv"):
	    open(f, "rb").read().decode("utf-8")
	EOF
'

# --- options out of range -----------------------------------------------------

# usage_129 CMD...: exit 129, nothing on stdout, one "error: " line, then the usage
usage_129() {
	test_expect_code 129 "$FTIO" "$@" >out 2>err || return 1
	test_must_be_empty out &&
	test "$(grep -c "^error: " err)" = 1 &&
	head -n 1 err | grep -q "^error: " &&
	sed -n 2p err | grep -q "^usage: ftio $1 " || {
		echo >&2 "ftio $*: not one error line and the usage:"
		cat >&2 err
		return 1
	}
}

test_expect_success 'option values out of range are usage errors (129) with one line and the usage' '
	usage_129 record -b 0 -- true &&
	usage_129 record -b 3 -- true &&
	usage_129 record -b 99999999999999999999 -- true &&
	usage_129 record --duration 0 -- true &&
	usage_129 record --duration -1s -- true &&
	usage_129 record -z 20 -- true &&
	usage_129 record -z -8 -- true &&
	usage_129 record --pid 0 &&
	usage_129 record --pid -1 &&
	usage_129 record --pid 99999999 &&
	usage_129 report --top 0 &&
	usage_129 report --top 100001 &&
	usage_129 report --top -1 &&
	usage_129 report --min-latency -1ms &&
	usage_129 report --min-latency 5parsecs &&
	usage_129 report --since -1s &&
	usage_129 report --until "" &&
	usage_129 report --pid 4194305 &&
	usage_129 report --uid -2 &&
	usage_129 report --syscall nosuchcall &&
	usage_129 replay --cpu 99999999 &&
	usage_129 replay --cpu -1 &&
	usage_129 replay --pid 99999999999 &&
	usage_129 info --json=yes
'

test_done
