#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# craft.py IN OUT OP [ARGS...]: writes a hostile variant of the recording IN
# (t6000, t6520); OUT "-" with op chunks only lists the chunks
import struct, subprocess, sys, zlib

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
    parts = []
    for k, v in kv:
        k, v = k.encode(), v.encode("utf-8", "surrogateescape")
        parts.append(struct.pack("<II", len(k), len(v)) + k + v)
    p = b"".join(parts)
    h = struct.pack("<4sHHIIQQIII", b"FTCK", 1, 0, 0, 0, 0, 0, len(p), len(p), crc(p) ^ bad)
    return h + struct.pack("<I", crc(h)) + p

def zchunk(ctype, payload, cpu=0, flags=0):
    """a chunk of @ctype whose @payload is stored zstd-compressed (the zstd command)"""
    z = subprocess.run(["zstd", "-q", "-c", "-19"], input=payload, stdout=subprocess.PIPE,
                       check=True).stdout
    h = struct.pack("<4sHHIIQQIII", b"FTCK", ctype, flags | 1, cpu, 0, 1, 1, len(payload), len(z),
                    crc(z))
    return h + struct.pack("<I", crc(h)) + z

FIELDS = {"type": (4, "<H"), "flags": (6, "<H"), "cpu": (8, "<I"), "seq": (12, "<I"),
          "raw": (32, "<I"), "stored": (36, "<I")}
src, dst, op, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
data = bytearray(open(src, "rb").read())
cs = chunks(data)
if op == "dump-attr":     # dump-attr NAME: prints every value of the ATTR entries NAME
    for off, length, ctype in cs:
        if ctype != 1:
            continue
        flags = struct.unpack_from("<H", data, off + 6)[0]
        p = bytes(data[off + 48:off + length])
        if flags & 1:
            p = subprocess.run(["zstd", "-q", "-d", "-c"], input=p, stdout=subprocess.PIPE,
                               check=True).stdout
        o = 0
        while o + 8 <= len(p):
            kl, vl = struct.unpack_from("<II", p, o)
            k, v = p[o + 8:o + 8 + kl], p[o + 8 + kl:o + 8 + kl + vl]
            o += 8 + kl + vl
            if k.decode(errors="replace") == args[0]:
                sys.stdout.buffer.write(v)
    sys.exit(0)
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
elif op == "attrbomb":    # attrbomb N M: N ATTR chunks of M empty attributes each, compressed
    o = [c for c in cs if c[2] == 2][0][0]
    one = zchunk(1, b"\0" * 8 * int(args[1]))
    data[o:o] = one * int(args[0])
elif op == "namedbomb":   # namedbomb N M: N ATTR chunks of M one-letter attributes each
    o = [c for c in cs if c[2] == 2][0][0]
    one = zchunk(1, struct.pack("<II", 1, 0) * 0 + (struct.pack("<II", 1, 0) + b"x") * int(args[1]))
    data[o:o] = one * int(args[0])
elif op == "valuebomb":   # valuebomb N: N ATTR chunks of one 60 MiB attribute each
    o = [c for c in cs if c[2] == 2][0][0]
    v = 60 << 20
    one = zchunk(1, struct.pack("<II", 5, v) + b"bomb/" + b"\0" * v)
    data[o:o] = one * int(args[0])
elif op == "twoframes":   # twoframes: one more ATTR chunk whose payload is two zstd frames
    o = [c for c in cs if c[2] == 2][0][0]
    p = struct.pack("<II", 9, 6) + b"x/twozstd" + b"frames"
    z = b"".join(subprocess.run(["zstd", "-q", "-c"], input=part, stdout=subprocess.PIPE,
                                check=True).stdout for part in (p[:8], p[8:]))
    h = struct.pack("<4sHHIIQQIII", b"FTCK", 1, 1, 0, 0, 0, 0, len(p), len(z), crc(z))
    data[o:o] = h + struct.pack("<I", crc(h)) + z
elif op == "cpubomb":     # cpubomb N: N SUBBUF chunks of 64 MiB of zeros, on CPUs 1000 to 1000+N-1
    o = [c for c in cs if c[2] == 2][0][0]
    z = zchunk(2, b"\0" * (64 << 20))
    for i in range(int(args[0])):
        c = bytearray(z)
        struct.pack_into("<I", c, 8, 1000 + i)
        struct.pack_into("<I", c, 44, crc(bytes(c[:44])))
        data[o:o] = c
elif op == "hole":        # hole SIZE: SIZE bytes of a sparse hole after the last chunk
    open(dst, "wb").write(data)
    with open(dst, "r+b") as f:
        f.truncate(len(data) + int(args[0]))
    sys.exit(0)
elif op == "formats":     # formats N: N event formats, lowest id first, before the last chunk
    fmt = ("name: ev%d\nID: %d\nformat:\n\tfield:unsigned short common_type;\toffset:0;"
           "\tsize:2;\tsigned:0;\n\tfield:int x;\toffset:8;\tsize:4;\tsigned:1;\n\n"
           "print fmt: \"x=%%d\", REC->x\n")
    o = cs[-1][0]
    data[o:o] = attr_chunk([("format/flood/ev%d" % i, fmt % (i, i))
                            for i in range(1000, 1000 + int(args[0]))])
elif op == "pages":       # pages: every third sub-buffer chunk's pages: impossible, empty, lossy, cut
    out, k = bytearray(data[:16]), 0
    for o, n, t in cs:
        magic, ctype, flags, cpu, seq, t0, t1, raw, stored, pcrc = \
            struct.unpack_from("<4sHHIIQQIII", data, o)
        if t != 2 or k % 3 != 1:
            out += data[o:o + n]
            k += t == 2
            continue
        p = data[o + 48:o + n]
        if flags & 1:
            p = subprocess.run(["zstd", "-q", "-d", "-c"], input=bytes(p), stdout=subprocess.PIPE,
                               check=True).stdout
        p = bytearray(p)
        for i in range(0, len(p) // 4096, 3):
            po, kind = i * 4096, (i // 3 + k) % 4
            commit = struct.unpack_from("<Q", p, po + 8)[0]
            if kind == 0:
                struct.pack_into("<Q", p, po + 8, 0x7ffffff)
            elif kind == 1:
                struct.pack_into("<Q", p, po + 8, 0)
            elif kind == 2:
                struct.pack_into("<Q", p, po + 8, commit | (1 << 31))
            else:
                p[po + 16:po + 24] = b"\xff" * 8
        z = subprocess.run(["zstd", "-q", "-c"], input=bytes(p), stdout=subprocess.PIPE,
                           check=True).stdout
        h = struct.pack("<4sHHIIQQIII", magic, ctype, flags | 1, cpu, seq, t0, t1, len(p), len(z),
                        crc(z))
        out += h + struct.pack("<I", crc(h)) + z
        k += 1
    out += data[cs[-1][0] + cs[-1][1]:] if cs else b""
    data = out
else:
    sys.exit("craft.py: unknown operation " + op)
open(dst, "wb").write(data)
