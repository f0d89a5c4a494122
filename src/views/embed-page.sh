#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Turns the HTML page's template (page.html, with page.css and page.js) into
# the C strings html.c writes, so that the page stays one offline file that
# needs nothing at run time, while its markup, style and script are edited,
# diffed and checked as the files they are.  Only sh and POSIX awk: no xxd,
# no .incbin, so that it runs on any build host and for any CROSS_COMPILE.
#
#   embed-page.sh TEMPLATE >page-data.h
#
# In the template, and in each file it includes:
#   - the leading comments (the SPDX line and what the file is for: lines from
#     one starting "/*" or "<!--" to the one holding its "*/" or "-->") stay
#     out of the page;
#   - a line "@include FILE@" is replaced by FILE, read from the template's
#     directory;
#   - @TITLE@ and @DATA@, in that order, are the holes html.c fills at run
#     time.  The text before @TITLE@ becomes page_head, the text between the
#     holes page_style, the text after @DATA@ page_script.
# Everything else goes into the page byte for byte.

set -e

if [ $# -ne 1 ]; then
	echo "usage: $0 TEMPLATE" >&2
	exit 2
fi
tmpl=$1
case $tmpl in
*/*) dir=${tmpl%/*} ;;
*) dir=. ;;
esac

# The C locale makes awk see bytes, not characters, whatever the user's locale
LC_ALL=C exec ${AWK:-awk} -v tmpl="$tmpl" -v dir="$dir" '
function fail(msg) {
	printf "%s: %s\n", tmpl, msg | "cat 1>&2"
	failed = 1
	exit 1
}

# A C string literal for s: escapes only what C needs, and "?" after "?",
# since "??x" is a trigraph in ISO C
function cstr(s,   out, i, c, prev) {
	out = ""
	prev = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\")
			out = out "\\\\"
		else if (c == "\"")
			out = out "\\\""
		else if (c == "?" && prev == "?")
			out = out "\\?"
		else if (c == "\t")
			out = out "\\t"
		else if (c < " " || c > "~")
			out = out sprintf("\\%03o", ord[c])
		else
			out = out c
		prev = c
	}
	return out
}

# Text of the current part; a line ends each literal, so the header reads
# like the page
function emit(s, nl) {
	printf "\t\"%s%s\"\n", cstr(s), nl ? "\\n" : ""
	emitted = 1
}

function part_begin(name) {
	printf "\nstatic const char %s[] =\n", name
	emitted = 0
}

function part_end() {
	if (!emitted)
		printf "\t\"\"\n"
	printf "\t;\n"
}

# One line of the template: a hole ends the current part
function hole_line(line, nl,   at) {
	if (nhole < 2 && (at = index(line, "@" holes[nhole + 1] "@")) > 0) {
		if (at > 1)
			emit(substr(line, 1, at - 1), 0)
		part_end()
		nhole++
		part_begin(parts[nhole + 1])
		hole_line(substr(line, at + length(holes[nhole]) + 2), nl)
		return
	}
	if (line != "" || nl)
		emit(line, nl)
}

# Reads file f, leading comments dropped; includes only from the template
function read_file(f, top,   line, in_hdr, hdr_end, n, inc, i) {
	in_hdr = 1
	hdr_end = ""
	n = 0
	while ((getline line < f) > 0) {
		n++
		if (in_hdr) {
			if (hdr_end == "") {
				if (substr(line, 1, 2) == "/*")
					hdr_end = "*/"
				else if (substr(line, 1, 4) == "<!--")
					hdr_end = "-->"
				else
					in_hdr = 0
			}
			if (in_hdr) {
				if (index(line, hdr_end))
					hdr_end = ""
				continue
			}
		}
		if (top && line ~ /^@include [^@]+@$/) {
			inc = dir "/" substr(line, 10, length(line) - 10)
			read_file(inc, 0)
			continue
		}
		if (!top && (index(line, "</script") || index(line, "</style")))
			fail(f ":" n ": \"</script\" or \"</style\" would end the element early")
		if (!top && index(line, "@"))
			for (i = 1; i <= 2; i++)
				if (index(line, "@" holes[i] "@"))
					fail(f ":" n ": a hole belongs in the template, not in " f)
		hole_line(line, 1)
	}
	if (n == 0)
		fail("cannot read " f)
	close(f)
}

BEGIN {
	for (i = 1; i < 256; i++)
		ord[sprintf("%c", i)] = i
	holes[1] = "TITLE"
	holes[2] = "DATA"
	parts[1] = "page_head"
	parts[2] = "page_style"
	parts[3] = "page_script"

	printf "/* Generated from %s by embed-page.sh: edit the template, not this */\n", tmpl
	part_begin(parts[1])
	read_file(tmpl, 1)
	if (nhole != 2)
		fail("@" holes[nhole + 1] "@ is missing")
	part_end()
}

END {
	if (failed)
		exit 1
}
'
