#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Event-to-screen latency of ftio trace (t9000, and the figure the issue asks
# for).  Two halves, joined by a file of CLOCK_MONOTONIC times:
#
#   live-latency.py call N GAP_MS DELAY_MS TIMES
#       N times: wait GAP_MS, then one read() of a pipe that a thread fills
#       DELAY_MS later -- a slow file call at a known time; the time each
#       read returned goes to TIMES, one a line
#   live-latency.py watch TIMES PATTERN [N]
#       reads ftio trace's stdout, stamps each line that contains PATTERN as
#       it arrives; at EOF prints "lines L p50_ms X p99_ms Y max_ms Z", the
#       delays from each call's return to its line, matched in order
import os
import sys
import threading
import time


def now():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def call(n, gap_ms, delay_ms, times):
    out = []
    for _ in range(n):
        time.sleep(gap_ms / 1000)
        r, w = os.pipe()
        t = threading.Timer(delay_ms / 1000, os.write, (w, b"x"))
        t.start()
        os.read(r, 1)
        out.append(now())
        t.join()
        os.close(r)
        os.close(w)
    with open(times, "w") as f:
        f.write("".join("%d\n" % t for t in out))


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


def watch(times, pattern, n):
    seen = []
    for line in sys.stdin.buffer:
        if pattern.encode() in line:
            seen.append(now())
    sent = [int(x) for x in open(times)]
    if n is not None and (len(seen) != n or len(sent) != n):
        print("lines %d calls %d (want %d)" % (len(seen), len(sent), n))
        sys.exit(1)
    d = [(s - c) / 1e6 for s, c in zip(seen, sent)]
    if os.environ.get("LIVE_LATENCY_ALL"):
        print(" ".join("%.0f" % x for x in d), file=sys.stderr)
    print("lines %d p50_ms %.1f p99_ms %.1f max_ms %.1f" %
          (len(d), pct(d, 50), pct(d, 99), max(d)))


if sys.argv[1] == "call":
    call(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
else:
    watch(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else None)
