#!/usr/bin/env python3
"""A small RV64C encoder, written from the C-extension chapter of the RISC-V
unprivileged ISA manual, used to write the raw `.half` encodings in the
rvc_*.S tests (so the assembler cannot pick another encoding).

    python3 tests/tcg/riscv64/tools/rvc.py "c.addi16sp sp, -512" "c.lui a0, 0x20"

prints each encoding as `.half 0x....  /* text */`.  Registers by ABI name
or xN; immediates are the architectural values (byte offsets, not scaled;
c.lui takes the 6-bit nzimm[17:12] field).

    python3 tests/tcg/riscv64/tools/rvc.py --check tests/tcg/riscv64/rvc_*.S

re-encodes the comment of every `.half 0x....  /* c.... */` line and reports
any line whose value does not match.
"""
import re
import sys

ABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
       "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4",
       "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"]


def reg(name):
    name = name.strip()
    if name == "fp":
        return 8
    if name in ABI:
        return ABI.index(name)
    assert name[0] == "x", name
    return int(name[1:])


def creg(name):
    r = reg(name)
    assert 8 <= r <= 15, "not a compressed register: " + name
    return r - 8


def bit(v, hi, lo=None):
    lo = hi if lo is None else lo
    return (v >> lo) & ((1 << (hi - lo + 1)) - 1)


def signed_fits(v, bits):
    return -(1 << (bits - 1)) <= v < (1 << (bits - 1))


def enc(text):
    op, _, rest = text.strip().partition(" ")
    a = [x.strip() for x in rest.split(",")] if rest.strip() else []
    imm = lambda s: int(s, 0)
    if op == "c.addi4spn":            # rd', sp, nzuimm
        rd, u = creg(a[0]), imm(a[2])
        assert a[1] == "sp" and u % 4 == 0 and 0 < u < 1024
        return (0 << 13) | (bit(u, 5, 4) << 11) | (bit(u, 9, 6) << 7) | \
            (bit(u, 2) << 6) | (bit(u, 3) << 5) | (rd << 2) | 0
    if op in ("c.lw", "c.sw", "c.ld", "c.sd"):   # r', off(rs1')
        r = creg(a[0])
        off, base = a[1].rstrip(")").split("(")
        off, rs1 = imm(off), creg(base)
        f3 = {"c.lw": 2, "c.ld": 3, "c.sw": 6, "c.sd": 7}[op]
        if op in ("c.lw", "c.sw"):
            assert off % 4 == 0 and 0 <= off < 128
            return (f3 << 13) | (bit(off, 5, 3) << 10) | (rs1 << 7) | \
                (bit(off, 2) << 6) | (bit(off, 6) << 5) | (r << 2) | 0
        assert off % 8 == 0 and 0 <= off < 256
        return (f3 << 13) | (bit(off, 5, 3) << 10) | (rs1 << 7) | \
            (bit(off, 7, 6) << 5) | (r << 2) | 0
    if op == "c.nop":
        i = imm(a[0]) if a else 0
        return (0 << 13) | (bit(i, 5) << 12) | (bit(i, 4, 0) << 2) | 1
    if op in ("c.addi", "c.addiw", "c.li"):
        rd, i = reg(a[0]), imm(a[1])
        assert signed_fits(i, 6)
        f3 = {"c.addi": 0, "c.addiw": 1, "c.li": 2}[op]
        return (f3 << 13) | (bit(i, 5) << 12) | (rd << 7) | (bit(i, 4, 0) << 2) | 1
    if op == "c.addi16sp":            # sp, nzimm
        i = imm(a[-1])
        assert i % 16 == 0 and signed_fits(i, 10) and i != 0
        return (3 << 13) | (bit(i, 9) << 12) | (2 << 7) | (bit(i, 4) << 6) | \
            (bit(i, 6) << 5) | (bit(i, 8, 7) << 3) | (bit(i, 5) << 2) | 1
    if op == "c.lui":                 # rd, 6-bit field value (nzimm[17:12])
        rd, i = reg(a[0]), imm(a[1])
        assert 0 < i < 64 and rd != 2
        return (3 << 13) | (bit(i, 5) << 12) | (rd << 7) | (bit(i, 4, 0) << 2) | 1
    if op in ("c.srli", "c.srai", "c.andi"):
        rd, i = creg(a[0]), imm(a[1])
        f2 = {"c.srli": 0, "c.srai": 1, "c.andi": 2}[op]
        if op == "c.andi":
            assert signed_fits(i, 6)
        else:
            assert 0 <= i < 64
        return (4 << 13) | (bit(i, 5) << 12) | (f2 << 10) | (rd << 7) | \
            (bit(i, 4, 0) << 2) | 1
    if op in ("c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"):
        rd, rs2 = creg(a[0]), creg(a[1])
        w, f2 = {"c.sub": (0, 0), "c.xor": (0, 1), "c.or": (0, 2), "c.and": (0, 3),
                 "c.subw": (1, 0), "c.addw": (1, 1)}[op]
        return (4 << 13) | (w << 12) | (3 << 10) | (rd << 7) | (f2 << 5) | (rs2 << 2) | 1
    if op == "c.j":                   # byte offset
        i = imm(a[0])
        assert i % 2 == 0 and signed_fits(i, 12)
        return (5 << 13) | (bit(i, 11) << 12) | (bit(i, 4) << 11) | \
            (bit(i, 9, 8) << 9) | (bit(i, 10) << 8) | (bit(i, 6) << 7) | \
            (bit(i, 7) << 6) | (bit(i, 3, 1) << 3) | (bit(i, 5) << 2) | 1
    if op in ("c.beqz", "c.bnez"):    # rs1', byte offset
        rs1, i = creg(a[0]), imm(a[1])
        assert i % 2 == 0 and signed_fits(i, 9)
        f3 = 6 if op == "c.beqz" else 7
        return (f3 << 13) | (bit(i, 8) << 12) | (bit(i, 4, 3) << 10) | (rs1 << 7) | \
            (bit(i, 7, 6) << 5) | (bit(i, 2, 1) << 3) | (bit(i, 5) << 2) | 1
    if op == "c.slli":
        rd, i = reg(a[0]), imm(a[1])
        assert 0 <= i < 64
        return (0 << 13) | (bit(i, 5) << 12) | (rd << 7) | (bit(i, 4, 0) << 2) | 2
    if op in ("c.lwsp", "c.ldsp"):    # rd, off(sp)
        rd = reg(a[0])
        off = imm(a[1].split("(")[0])
        if op == "c.lwsp":
            assert off % 4 == 0 and 0 <= off < 256
            return (2 << 13) | (bit(off, 5) << 12) | (rd << 7) | \
                (bit(off, 4, 2) << 4) | (bit(off, 7, 6) << 2) | 2
        assert off % 8 == 0 and 0 <= off < 512
        return (3 << 13) | (bit(off, 5) << 12) | (rd << 7) | \
            (bit(off, 4, 3) << 5) | (bit(off, 8, 6) << 2) | 2
    if op in ("c.swsp", "c.sdsp"):    # rs2, off(sp)
        rs2 = reg(a[0])
        off = imm(a[1].split("(")[0])
        if op == "c.swsp":
            assert off % 4 == 0 and 0 <= off < 256
            return (6 << 13) | (bit(off, 5, 2) << 9) | (bit(off, 7, 6) << 7) | (rs2 << 2) | 2
        assert off % 8 == 0 and 0 <= off < 512
        return (7 << 13) | (bit(off, 5, 3) << 10) | (bit(off, 8, 6) << 7) | (rs2 << 2) | 2
    if op == "c.jr":
        return (4 << 13) | (0 << 12) | (reg(a[0]) << 7) | 2
    if op == "c.jalr":
        return (4 << 13) | (1 << 12) | (reg(a[0]) << 7) | 2
    if op == "c.mv":
        return (4 << 13) | (0 << 12) | (reg(a[0]) << 7) | (reg(a[1]) << 2) | 2
    if op == "c.add":
        return (4 << 13) | (1 << 12) | (reg(a[0]) << 7) | (reg(a[1]) << 2) | 2
    if op == "c.ebreak":
        return (4 << 13) | (1 << 12) | 2
    raise ValueError("unknown: " + text)


def check(paths):
    bad = 0
    for path in paths:
        for n, line in enumerate(open(path), 1):
            m = re.match(r"\s*\.half\s+0x([0-9a-fA-F]+)\s*/\*\s*(c\.[^*]*?)\s*\*/", line)
            if not m:
                continue
            want = enc(m.group(2))
            if int(m.group(1), 16) != want:
                print("%s:%d: %s encodes as 0x%04x" % (path, n, m.group(2), want))
                bad += 1
    return bad


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(1 if check(sys.argv[2:]) else 0)
    for t in sys.argv[1:]:
        print("    .half   0x%04x                 /* %s */" % (enc(t), t))
