#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# test-commands.py TESTDIR: prints "SCRIPT COMMAND" for every external
# command the test scripts run: a word at a command position, a
# "command -v X" prerequisite, or a host program handed to the VM with
# "--tool X".  Heredocs (Python, guest scripts) are skipped: their words
# are another interpreter's.  Used by t0020 to check contrib/deps.sh.
import glob
import os
import re
import sys

top = sys.argv[1]
# words at a command position that are shell words, or that are no
# command of ours (prose in a test description that a regex catches)
IGNORE = set("""if then else elif fi for in do done while until case esac function
return exit local export set unset shift test true false echo printf read cd eval exec
trap wait break continue source type command builtin declare let kill pwd umask ulimit
getopts hash shopt mapfile print import assert def open view zip last size strings
script top sum fmt link as x86_64 ftio perf""".split())
# (perf: "--backend perf" in prose; the tests run no perf binary, bench does)
CMDPOS = re.compile(r"(?:^|[|;&(`!]|\$\(|\b(?:then|do|else|if|while|until|xargs)\s|"
                    r"\btimeout \d+\s)\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*([a-z][a-z0-9_.+-]*)(?![=\w.+-])")
EXPLICIT = re.compile(r"(?:command -v|--tool)\s+\"?([a-z][a-z0-9_.+-]*)")
HEREDOC = re.compile(r"<<-?\s*\\?['\"]?([A-Za-z_]+)")

files = sorted(glob.glob(top + "/t[0-9]*.sh"))
files += [top + "/test-lib.sh", top + "/run-tests.sh", top + "/vm/run-vm.sh"]
for f in files:
    src = open(f).read()
    funcs = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\)", src, re.M))
    end = None
    for line in src.split("\n"):
        if end is not None:
            if line.strip() == end:
                end = None
            continue
        code = line.split("#", 1)[0]
        words = set(EXPLICIT.findall(code))
        words |= {w for w in CMDPOS.findall(code)
                  if w not in funcs and not w.startswith(("test_", "_tl"))}
        for w in sorted(words - IGNORE):
            print(os.path.basename(f), w)
        m = HEREDOC.search(code)
        if m:
            end = m.group(1)
