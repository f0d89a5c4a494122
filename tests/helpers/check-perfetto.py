#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate a Chrome trace-event JSON file the way Perfetto's importer reads it.

usage: check-perfetto.py [--calls N] [--requests N] TRACE.json

Checks, and exits 1 with one line per problem when one fails:
  - the file is JSON with a traceEvents array; each event has a phase ph,
    a name, integer pid and tid, and (but metadata) a timestamp;
  - times are microseconds with at most three decimals (whole nanoseconds);
  - every process and thread with slices is named by a metadata event;
  - the slices of each track nest or follow each other and never cross
    (Perfetto drops a crossing slice as a misplaced_end_event): intervals
    are closed on the left and open on the right, as Perfetto takes them;
  - B/E pairs, if any, match on their track with non-decreasing times;
  - every flow id has one "s" and one "f" of the same cat and name, the
    "f" binds to its enclosing slice ("bp":"e"), comes later than the "s",
    and each end lies inside a slice of its track: the "s" inside a syscall,
    the "f" inside a block request;
  - with --calls N, there are N syscall slices; with --requests N, N block
    requests.
Prints a JSON summary (slice counts by category, tracks, flows) on success.
"""
import collections
import decimal
import json
import sys

PHASES = set("XBEMsfi")


def ns(v, what, problems):
    if not isinstance(v, (int, decimal.Decimal)) or isinstance(v, bool):
        problems.append(f"{what}: not a number: {v!r}")
        return None
    n = decimal.Decimal(v) * 1000
    if n != n.to_integral_value():
        problems.append(f"{what}: {v} us is not a whole number of nanoseconds")
    return int(n)


def main():
    args = sys.argv[1:]
    want_calls = want_reqs = None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--calls":
            want_calls = int(args.pop(0))
        elif opt == "--requests":
            want_reqs = int(args.pop(0))
        else:
            sys.exit(f"check-perfetto.py: unknown option '{opt}'")
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0]) as f:
        doc = json.load(f, parse_float=decimal.Decimal)
    problems = []
    events = doc.get("traceEvents") if isinstance(doc, dict) else doc
    if not isinstance(events, list):
        sys.exit("check-perfetto.py: no traceEvents array")

    tracks = collections.defaultdict(list)  # (pid, tid) -> [(start, dur, index, cat)]
    be = collections.defaultdict(list)
    flows = collections.defaultdict(list)
    pnames, tnames = set(), set()
    cats = collections.Counter()
    for i, e in enumerate(events):
        where = f"event {i}"
        if not isinstance(e, dict) or e.get("ph") not in PHASES:
            problems.append(f"{where}: unknown phase in {str(e)[:120]}")
            continue
        ph = e["ph"]
        if not isinstance(e.get("name"), str):
            problems.append(f"{where}: no name")
        if not all(isinstance(e.get(k), int) and e[k] >= 0 for k in ("pid", "tid")):
            problems.append(f"{where}: pid and tid must be integers: {str(e)[:120]}")
            continue
        key = (e["pid"], e["tid"])
        if ph == "M":
            name = e.get("args", {}).get("name")
            if not isinstance(name, str) or not name:
                problems.append(f"{where}: metadata without args.name")
            elif e["name"] == "process_name":
                pnames.add(e["pid"])
            elif e["name"] == "thread_name":
                tnames.add(key)
            continue
        ts = ns(e.get("ts"), f"{where} ts", problems)
        if ts is None:
            continue
        if ph == "X":
            dur = ns(e.get("dur"), f"{where} dur", problems)
            if dur is None or dur < 0:
                problems.append(f"{where}: bad dur {e.get('dur')!r}")
                continue
            tracks[key].append((ts, dur, i, e.get("cat", "")))
            cats[e.get("cat", "")] += 1
        elif ph in "BE":
            be[key].append((ts, ph, i))
        elif ph in "sf":
            flows[(e.get("cat"), e["name"], str(e.get("id")))].append((ph, ts, key, e.get("bp")))

    for key in tracks:
        if key[0] not in pnames:
            problems.append(f"process {key[0]} has slices but no process_name")
        if key not in tnames:
            problems.append(f"thread {key} has slices but no thread_name")

    # the enclosing slices of a time on a track, outermost first
    laminar = {}
    for key, sl in tracks.items():
        sl.sort(key=lambda s: (s[0], -s[1], s[2]))
        stack, placed = [], []
        for ts, dur, i, cat in sl:
            while stack:
                t0, d0 = stack[-1][0], stack[-1][1]
                end0 = t0 + d0
                if end0 < ts or (end0 == ts and not (d0 == 0 and dur == 0)):
                    stack.pop()
                else:
                    break
            if stack and ts + dur > stack[-1][0] + stack[-1][1]:
                p = stack[-1]
                problems.append(f"track {key}: slice at event {i} [{ts}, {ts + dur}) crosses "
                                f"its parent at event {p[2]} [{p[0]}, {p[0] + p[1]})")
                continue
            stack.append((ts, dur, i, cat))
            placed.append((ts, dur, cat))
        laminar[key] = placed

    def enclosing(key, t):
        return [s for s in laminar.get(key, []) if s[0] <= t < s[0] + s[1]]

    for key, lst in be.items():
        depth, last = [], None
        for ts, ph, i in lst:  # file order
            if last is not None and ts < last:
                problems.append(f"track {key}: B/E event {i} goes back in time")
            last = ts
            if ph == "B":
                depth.append(i)
            elif not depth:
                problems.append(f"track {key}: E event {i} without a B")
            else:
                depth.pop()
        if depth:
            problems.append(f"track {key}: {len(depth)} B events without an E")

    nflows = 0
    for fid, ends in flows.items():
        kinds = sorted(x[0] for x in ends)
        if kinds != ["f", "s"]:
            problems.append(f"flow {fid}: ends {kinds}, want one s and one f")
            continue
        s = next(x for x in ends if x[0] == "s")
        f = next(x for x in ends if x[0] == "f")
        if f[3] != "e":
            problems.append(f"flow {fid}: the f does not bind to its enclosing slice (bp)")
        if not s[1] < f[1]:
            problems.append(f"flow {fid}: f at {f[1]} is not after s at {s[1]}")
        if not any(c == "syscall" for _, _, c in enclosing(s[2], s[1])):
            problems.append(f"flow {fid}: s at {s[1]} is not inside a syscall of {s[2]}")
        if not any(c == "blockdev" for _, _, c in enclosing(f[2], f[1])):
            problems.append(f"flow {fid}: f at {f[1]} is not inside a block request of {f[2]}")
        nflows += 1

    summary = {"events": len(events), "tracks": len(tracks), "flows": nflows,
               "syscall_slices": cats.get("syscall", 0), "block_requests": cats.get("blockdev", 0),
               "slices_by_cat": dict(sorted(cats.items()))}
    if want_calls is not None and summary["syscall_slices"] != want_calls:
        problems.append(f"{summary['syscall_slices']} syscall slices, want {want_calls}")
    if want_reqs is not None and summary["block_requests"] != want_reqs:
        problems.append(f"{summary['block_requests']} block request slices, want {want_reqs}")
    for p in problems[:50]:
        print("check-perfetto: " + p, file=sys.stderr)
    if len(problems) > 50:
        print(f"check-perfetto: ... and {len(problems) - 50} more", file=sys.stderr)
    print(json.dumps(summary))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
