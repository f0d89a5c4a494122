#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='hostile file names and comms: text outputs hold no raw control, the JSON parses strictly and stays lossless, CSV cells are inert'
. "$(dirname "$0")/test-lib.sh"

# tests/helpers/hostile-names.py renames itself "=c<ESC>]0;x<BEL><0xff><RLO>"
# and writes and reads files named with ESC, an OSC, a C1 CSI (U+009B), RLO
# (U+202E), a stray 0xff next to "ÿ", a newline, quotes, an <img onerror>,
# leading = and @ and a tab, on a tmpfs.

# nocontrol FILE: no C0 (but \n and \t), no DEL, no C1, no bidi control, no invalid UTF-8
nocontrol() {
	python3 - "$1" <<-\PY
	import re, sys
	b = open(sys.argv[1], "rb").read()
	t = b.decode("utf-8")		# raises on invalid UTF-8
	bad = re.findall("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]", t)
	if bad:
	    sys.exit("%s: raw controls %r" % (sys.argv[1], bad[:5]))
	PY
}

test_expect_success ROOT,TRACEFS,PYTHON 'setup: record the hostile names on a tmpfs' '
	mkdir mnt &&
	mount -t tmpfs -o size=4m ftio-t6510 mnt &&
	mkdir mnt/files &&
	"$FTIO" record -q -o h.dat -- python3 "$TEST_DIRECTORY/helpers/hostile-names.py" "$PWD/mnt/files" &&
	"$FTIO" report -i h.dat --json --top 100 -p "$PWD/mnt/files" >paths.json &&
	test_set_prereq REC
'

test_expect_success REC 'every text output is free of raw control bytes' '
	"$FTIO" report -i h.dat --no-pager >all.txt &&
	"$FTIO" report -i h.dat --no-pager --top 100 -p "$PWD/mnt/files" >report.txt &&
	"$FTIO" report -i h.dat --no-pager --drill -p "$PWD/mnt/files" >drill.txt &&
	"$FTIO" replay -i h.dat >replay.txt &&
	"$FTIO" info h.dat >info.txt &&
	for f in all.txt report.txt drill.txt replay.txt info.txt; do
		nocontrol $f || return 1
	done &&
	grep -F "files/esc\\x1b[31mred" report.txt &&
	grep -F "files/csi\\u009b31m" report.txt &&
	grep -F "files/rlo\\u202etxt.exe" report.txt &&
	grep -F "files/bad\\xff " report.txt &&
	grep -F "files/new\\nline" report.txt &&
	grep -F "=c\\x1b]0;x\\x07\\xff\\u202e" report.txt
'

test_expect_success REC 'the JSON parses strictly, is valid UTF-8 and keeps 0xff and ÿ apart' '
	"$FTIO" replay --json -i h.dat >replay.json &&
	"$FTIO" info --json h.dat >info.json &&
	"$FTIO" export -i h.dat --perfetto trace.json &&
	"$FTIO" report -i h.dat --html page.html 2>/dev/null &&
	python3 - "$PWD/mnt/files" <<-\PY
	import json, os, sys
	def strict(path, lines=False):
	    t = open(path, "rb").read().decode("utf-8")
	    for c in "\x1b\x07\x9b\u202e":
	        assert c not in t, (path, c)
	    return [json.loads(l) for l in t.splitlines()] if lines else json.loads(t)
	rep = strict("paths.json")
	strict("info.json")
	strict("trace.json")
	strict("replay.json", lines=True)
	names = set()
	def walk(v):
	    if isinstance(v, dict):
	        for x in v.values(): walk(x)
	    elif isinstance(v, list):
	        for x in v: walk(x)
	    elif isinstance(v, str) and v.startswith(sys.argv[1] + "/"):
	        names.add(v.encode("utf-8", "surrogateescape"))
	walk(rep)
	want = {os.path.join(os.fsencode(sys.argv[1]), n) for n in os.listdir(os.fsencode(sys.argv[1]))}
	missing = want - names
	assert not missing, missing
	assert os.fsencode(sys.argv[1]) + b"/bad\xff" in names
	assert os.fsencode(sys.argv[1]) + b"/y\xc3\xbf" in names
	PY
'

test_lazy_prereq JQ 'command -v jq >/dev/null'

test_expect_success REC,PYTHON,JQ 'jq accepts the JSON' '
	jq -e . paths.json >/dev/null && jq -e . trace.json >/dev/null &&
	jq -e . replay.json >/dev/null
'

test_expect_success REC 'CSV cells are RFC 4180 and inert in a spreadsheet' '
	"$FTIO" report -i h.dat --csv >report.csv &&
	"$FTIO" export -i h.dat --csv -o export.csv &&
	python3 - report.csv export.csv <<-\PY
	import csv, sys
	for path in sys.argv[1:]:
	    t = open(path, "rb").read().decode("utf-8")
	    rows = list(csv.reader(t.splitlines(True), strict=True))
	    width = len(rows[0])
	    for row in rows:
	        assert len(row) == width, (path, row)
	        for cell in row:
	            assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in cell), (path, cell)
	            assert cell[:1] not in ("=", "+", "@", "\t", "\r") and not cell.startswith("-") \
	                or cell.lstrip("-").replace(".", "").isdigit(), (path, cell)
	    assert any(c.startswith("\x27=c") for r in rows for c in r), path
	PY
'

test_expect_success ROOT 'cleanup: the tmpfs' '
	! mountpoint -q mnt || umount mnt
'

test_done
