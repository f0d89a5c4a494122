#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""compare-sources.py A.json B.json: the parts of two reports of the same
workload that must not depend on the syscall source (syscalls:* against
raw_syscalls): per-syscall counts, errors and bytes, the files, the errors,
the audit rows and the path methods.  Times, pids and event counts may
differ.  Prints the first difference and exits 1."""
import json
import re
import sys


def norm(path):
    # /proc/<pid>/... names the run's own pid
    return re.sub(r"^/proc/[0-9]+/", "/proc/PID/", path or "")


def facts(path):
    r = json.load(open(path))
    return {
        "syscalls": sorted((s["name"], s["count"], s["errors"], s.get("bytes")) for s in r["syscalls"]),
        "files": sorted((norm(f["path"]), f["count"], f["errors"], f["bytes"]) for f in r["files"]),
        "errors": sorted((e["syscall"], e["errno"], norm(e["path"]), e["uid"], e["comm"], e["count"])
                         for e in r["errors"]),
        "audit": sorted((a["syscall"], a["errno"], norm(a["path"]), a["uid"], a["comm"]) for a in r["audit"]),
        "path_methods": r["capture"]["path_methods"],
        "calls": r["capture"]["calls"],
    }


a, b = facts(sys.argv[1]), facts(sys.argv[2])
bad = 0
for k in a:
    if a[k] != b[k]:
        print("%s differ:\n  %s: %s\n  %s: %s" % (k, sys.argv[1], a[k], sys.argv[2], b[k]))
        bad = 1
sys.exit(bad)
