#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# craft.py IN OUT OP [ARGS...]: writes a hostile variant of the recording IN
# (t6000, t6520); OUT "-" with op chunks only lists the chunks
import struct, sys, zlib

def crc(b):
    return zlib.crc32(b) & 0xffffffff

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
        k, v = k.encode(), v.encode("utf-8", "surrogateescape")
        p += struct.pack("<II", len(k), len(v)) + k + v
    h = struct.pack("<4sHHIIQQIII", b"FTCK", 1, 0, 0, 0, 0, 0, len(p), len(p), crc(p) ^ bad)
    return h + struct.pack("<I", crc(h)) + p

FIELDS = {"type": (4, "<H"), "flags": (6, "<H"), "cpu": (8, "<I"), "seq": (12, "<I"),
          "raw": (32, "<I"), "stored": (36, "<I")}
src, dst, op, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
data = bytearray(open(src, "rb").read())
cs = chunks(data)
if op == "chunks":        # prints "offset length type" for each chunk
    for c in cs:
        print(*c)
    sys.exit(0)
elif op == "flip":        # flip OFFSET...: inverts those bytes
    for a in args:
        data[int(a)] ^= 0xff
elif op == "flip-each":   # flip-each OFFSET...: one file DST.OFFSET.dat per offset
    for a in args:
        d = bytearray(data)
        d[int(a)] ^= 0xff
        open("%s.%s.dat" % (dst, a), "wb").write(d)
    sys.exit(0)
elif op == "cut":         # cut SIZE
    del data[int(args[0]):]
elif op == "dup":         # dup N: chunk N twice in a row
    o, n, _ = cs[int(args[0])]
    data[o:o] = data[o:o + n]
elif op == "set":         # set N FIELD VALUE...: header fields, with a valid header CRC
    o = cs[int(args[0])][0]
    for name, value in zip(args[1::2], args[2::2]):
        off, fmt = FIELDS[name]
        struct.pack_into(fmt, data, o + off, int(value, 0))
    struct.pack_into("<I", data, o + 44, crc(bytes(data[o:o + 44])))
elif op == "attr":        # attr NAME VALUE...: one more ATTR chunk before the first sub-buffer
    o = [c for c in cs if c[2] == 2][0][0]
    data[o:o] = attr_chunk(list(zip(args[0::2], args[1::2])))
elif op == "attr-end":    # attr-end NAME VALUE...: one more ATTR chunk before the last chunk
    o = cs[-1][0]
    data[o:o] = attr_chunk(list(zip(args[0::2], args[1::2])))
elif op == "badattrs":    # badattrs N: N ATTR chunks whose payload fails its CRC
    o = [c for c in cs if c[2] == 2][0][0]
    data[o:o] = b"".join(attr_chunk([("x/%d" % i, "v")], True) for i in range(int(args[0])))
else:
    sys.exit("craft.py: unknown operation " + op)
open(dst, "wb").write(data)
