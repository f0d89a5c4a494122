#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that every table of an ftio text report is aligned.

usage: check-columns.py [--width N] REPORT.txt...

A table is a header line (two or more upper-case column names, indented)
and the rows under it, up to a blank line.  Every value of a column must
start where its header starts (a left-aligned column) or end where its
header ends (a right-aligned one), the same way in every row, with a
space before and after it: a value that overflows its column shifts or
touches its neighbour, and is reported.  With --width, a table that has
a column which can be shortened (a path, a file, a mount) must fit N
columns, unless those columns are down to 16 characters already.  Lines under a table that are not rows (footers, histograms,
"denied by") are recognised by their shape.  Exit 1 with one line per
problem; else print how many tables and rows were checked.
"""
import re
import sys

HEADER_TOKEN = re.compile(r"^[A-Z0-9%][A-Z0-9%/-]*$")
NOT_ROWS = [re.compile(p) for p in (
    r"^  \(", r"^  attributed:", r"^  of ", r"histogram:$", r" \.\. .*\|", r"^ +denied by ",
    r"^  unavailable", r"^  none", r"^  [a-z]")]
# header names of more than one word; a table whose columns are one space
# apart (a narrow terminal) keeps them together
MULTI = ["SLOW LOOKUPS IN DIRECTORY", "ASYNC TIME", "IN CALLS", "Q2D P50", "D2C P50", "D2C P99",
         "D2C MAX", "Q2C MAX", "RTT P99"]
SHRINKS = {"PATH", "FILE", "MOUNT", "SLOW LOOKUPS IN DIRECTORY"}


def header_columns(line):
    """[(name, start, end)] of a header line, or None when it is not one"""
    if not line.startswith("  ") or line.startswith("   " * 8):
        return None
    spans = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    if len(spans) < 2 or not all(HEADER_TOKEN.match(s[0]) for s in spans):
        return None
    cols = []
    i = 0
    while i < len(spans):
        for m in MULTI:
            words = m.split()
            if [s[0] for s in spans[i:i + len(words)]] == words:
                cols.append((m, spans[i][1], spans[i + len(words) - 1][2]))
                i += len(words)
                break
        else:
            cols.append(spans[i])
            i += 1
    return cols


def at(line, i):
    return line[i] if 0 <= i < len(line) else " "


def check_table(where, cols, rows, width, problems):
    left = {}
    for k, (name, s, e) in enumerate(cols):
        is_left = all(at(r, s) != " " and at(r, s - 1) == " " for _, r in rows)
        is_right = all(at(r, e - 1) != " " and at(r, e) == " " for _, r in rows)
        if not (is_left or is_right):
            for n, r in rows:
                if not ((at(r, s) != " " and at(r, s - 1) == " ") or
                        (at(r, e - 1) != " " and at(r, e) == " ")):
                    problems.append("%s:%d: column %s (%d-%d) out of line: %r" %
                                    (where, n, name, s, e, r))
                    break
        left[k] = is_left
    # a right-aligned value must not touch what is before it
    for k, (name, s, e) in enumerate(cols):
        if left[k] or k == 0:
            continue
        prev_end = cols[k - 1][2]
        for n, r in rows:
            j = e - 1
            while j >= 0 and at(r, j) != " ":
                j -= 1
            if j < prev_end - 1 and not left[k - 1]:
                problems.append("%s:%d: column %s runs into %s: %r" %
                                (where, n, name, cols[k - 1][0], r))
                break
    # too wide while a path could still give: its values are wider than 16
    if width and max(len(r) for _, r in rows) > width:
        for k, (name, s, e) in enumerate(cols):
            if name not in SHRINKS or not left[k]:
                continue
            if k + 1 == len(cols):
                used = max(len(r) for _, r in rows) - s
            elif left[k + 1]:
                used = cols[k + 1][1] - s - 1
            else:
                starts = []
                for _, r in rows:
                    j = cols[k + 1][2] - 1
                    while j >= 0 and at(r, j) != " ":
                        j -= 1
                    starts.append(j)
                used = min(starts) - s
            if used > max(16, len(name)):
                problems.append("%s:%d: wider than %d while %s is %d wide" %
                                (where, rows[0][0], width, name, used))


def check(path, width, problems):
    lines = open(path, encoding="utf-8").read().split("\n")
    tables = nrows = 0
    i = 0
    while i < len(lines):
        cols = header_columns(lines[i])
        if not cols:
            i += 1
            continue
        head = (i + 1, lines[i])
        rows = []
        i += 1
        while i < len(lines) and lines[i].strip() and not header_columns(lines[i]):
            if not any(p.search(lines[i]) for p in NOT_ROWS):
                rows.append((i + 1, lines[i]))
            i += 1
        if not rows:
            continue
        tables += 1
        nrows += len(rows)
        check_table(path, cols, [head] + rows, width, problems)
    return tables, nrows


def main(argv):
    width = 0
    if len(argv) > 2 and argv[1] == "--width":
        width = int(argv[2])
        argv = argv[2:]
    problems = []
    tables = rows = 0
    for p in argv[1:]:
        t, r = check(p, width, problems)
        tables += t
        rows += r
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print("%d tables, %d rows aligned" % (tables, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
