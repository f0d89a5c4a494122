#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# hostile-names.py DIR: name this process with control bytes (prctl
# PR_SET_NAME), then create, write and read files with hostile names in DIR.
import ctypes, os, sys
d = sys.argv[1].encode()
names = [b"esc\x1b[31mred", b"osc\x1b]0;pwned\x07", b"csi\xc2\x9b31m", b"rlo\xe2\x80\xaetxt.exe",
         b"bad\xff", b"y\xc3\xbf", b"new\nline", b'quo"te\'s', b"<img src=x onerror=alert(1)>",
         b"=2+5*cmd", b"@SUM(1,1)", b"\ttab"]
libc = ctypes.CDLL(None)
libc.prctl(15, b"=c\x1b]0;x\x07\xff\xe2\x80\xae", 0, 0, 0)
for n in names:
    p = os.path.join(d, n)
    with open(p, "wb") as f:
        f.write(b"x" * 100)
    with open(p, "rb") as f:
        f.read()
