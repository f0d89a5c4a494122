#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='wrong numbers from hostile recordings: loss totals saturate, warnings are capped with an "N more" line'
. "$(dirname "$0")/test-lib.sh"

# variants of tests/fixtures/seed.dat crafted here
cat >craft.py <<-\PY
	import struct, sys, zlib
	def crc(b): return zlib.crc32(b) & 0xffffffff
	def chunks(data):
	    off, out = 16, []
	    while off + 48 <= len(data):
	        stored = struct.unpack_from("<I", data, off + 36)[0]
	        out.append((off, 48 + stored, struct.unpack_from("<H", data, off + 4)[0]))
	        off += 48 + stored
	    return out
	def attr_chunk(kv, bad=False):
	    p = b""
	    for k, v in kv:
	        k, v = k.encode(), v.encode()
	        p += struct.pack("<II", len(k), len(v)) + k + v
	    h = struct.pack("<4sHHIIQQIII", b"FTCK", 1, 0, 0, 0, 0, 0, len(p), len(p), crc(p) ^ bad)
	    return h + struct.pack("<I", crc(h)) + p
	src, dst, op = sys.argv[1:4]
	data = bytearray(open(src, "rb").read())
	o = [c for c in chunks(data) if c[2] == 2][0][0]
	if op == "badattrs":
	    data[o:o] = b"".join(attr_chunk([("x/%d" % i, "v")], True) for i in range(int(sys.argv[4])))
	elif op == "lost":
	    v = "overrun: %d\n" % (1 << 63)
	    o = chunks(data)[-1][0]
	    data[o:o] = attr_chunk([("stats/cpu0", v), ("stats/cpu1", v)])
	open(dst, "wb").write(data)
	PY

test_expect_success PYTHON 'two CPUs each claiming 2^63 lost events: the total saturates, not "0 lost"' '
	python3 craft.py "$FIXTURES/seed.dat" lost.dat lost &&
	"$FTIO" info lost.dat >info.txt &&
	grep "^lost:  *18446744073709551615 (ring buffer)" info.txt &&
	"$FTIO" report -i lost.dat --no-pager >report.txt &&
	grep "events, 18446744073709551615 lost" report.txt
'

test_expect_success PYTHON '500 damaged chunks: 100 warnings and one "400 more" line' '
	python3 craft.py "$FIXTURES/seed.dat" bad.dat badattrs 500 &&
	"$FTIO" info bad.dat >/dev/null 2>err &&
	test $(grep -c "fails its checksum" err) = 100 &&
	grep "^ftio: warning: .bad.dat.: 400 more warnings not shown (the first 100 are)$" err &&
	test $(wc -l <err) = 101 &&
	"$FTIO" report -i bad.dat --no-pager >/dev/null 2>err &&
	test $(wc -l <err) -le 102 &&
	grep "400 more warnings" err
'

test_done
