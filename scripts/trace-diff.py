#!/usr/bin/env python3
"""Compare a Mimic -d cpu trace with a QEMU one and report the first divergence.

Both emulators, run with one instruction per TB and no chaining, log the
CPU state before every instruction (`-d cpu,nochain` with `-singlestep` or
`-accel tcg,one-insn-per-tb=on`); Mimic's RISC-V dump has the layout of
QEMU 7.2's.  This script parses each record (pc, the CSR lines, the x and
f register tables), drops consecutive duplicates on each side (a TB
entered again after an exit request logs the same state twice), skips a
few extra records on either side when that realigns the traces, and
stops at the first record whose fields differ.  A record is the state
*before* the instruction at its pc, so the instruction that went wrong is
the one of the previous record.

    scripts/trace-diff.py [--ignore mip,mcause] [--mask mstatus=~0xc00000000]
        [--hart 0] [--objdump vmlinux] /tmp/mimic.log /tmp/qemu.log

Exit status: 0 when the traces agree up to the end of the shorter one,
1 at a divergence, 2 on a usage error or a file without records.
docs/devel/debugging.md shows the whole workflow.
"""

import argparse
import collections
import re
import subprocess
import sys

DEFAULT_IGNORE = "mip"

ABI = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 s4 s5 "
       "s6 s7 s8 s9 s10 s11 t3 t4 t5 t6").split()
FABI = ("ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 "
        "fa7 fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11").split()
ABI_TO_X = dict([(n, "x%d" % i) for i, n in enumerate(ABI)] +
                [(n, "f%d" % i) for i, n in enumerate(FABI)] + [("fp", "x8")])


# Display names of registers: x10 -> x10/a0.
ALIAS = {}


class Record:
    """One TB-entry dump: its fields in file order."""

    __slots__ = ("index", "fields", "key")

    def __init__(self, index):
        self.index = index          # 1-based position in its file
        self.fields = {}
        self.key = None

    @property
    def pc(self):
        return self.fields.get("pc", 0)


def read_records(path):
    """Yields the Records of a trace file, in order."""
    try:
        f = open(path, "r", errors="replace")
    except OSError as e:
        sys.exit("trace-diff: %s" % e)
    rec = None
    pending_v = None
    n = 0
    with f:
        for line in f:
            if not line.startswith(" "):
                continue        # another log item's line
            parts = line.split()
            np = len(parts)
            if np == 2:
                name, val = parts
                if len(val) < 8 or not name[0].isalpha():
                    continue
                try:
                    v = int(val, 16)
                except ValueError:
                    continue
                if name == "pc":
                    if rec is not None:
                        yield rec
                    n += 1
                    rec = Record(n)
                    if pending_v is not None:
                        rec.fields["V"] = pending_v
                        pending_v = None
                if rec is not None:
                    rec.fields[name] = v
            elif np == 3 and parts[0] == "V" and parts[1] == "=":
                pending_v = int(parts[2])
            elif rec is not None and np % 2 == 0 and "/" in parts[0]:
                for i in range(0, np, 2):
                    reg, _, abi = parts[i].partition("/")
                    if reg != "x0" and len(parts[i + 1]) == 16:
                        rec.fields[reg] = int(parts[i + 1], 16)
                        if reg not in ALIAS:
                            ALIAS[reg] = parts[i]
    if rec is not None:
        yield rec


# Bits compared per field (--mask); the other fields compare whole.
MASKS = {}
ALL = (1 << 64) - 1
# --initial-ignore: fields not compared while both traces still hold the
# value of their first compared record, and those first records.
LOOSE = set()
FIRST = [None, None]


# The fields compared whole or masked (present in both traces' first
# records, not ignored, not --initial-ignore), as (name, mask).
COMMON = []


def key(rec):
    """The compared part of a record, as a tuple (cached)."""
    if rec.key is None:
        f = rec.fields
        rec.key = tuple(f.get(k, 0) & m for k, m in COMMON)
    return rec.key


def unchanged(name, a, b):
    fa, fb = FIRST
    return (fa is not None and fb is not None and
            a.fields.get(name) == fa.fields.get(name) and
            b.fields.get(name) == fb.fields.get(name))


def differences(a, b, ignore):
    """Fields present in both records whose values differ, in a's order."""
    out = []
    for name, va in a.fields.items():
        if name in ignore or name not in b.fields:
            continue
        if name in LOOSE and unchanged(name, a, b):
            continue
        m = MASKS.get(name, ALL)
        if (b.fields[name] ^ va) & m:
            out.append((name, va, b.fields[name]))
    return out


def parse_mask(spec):
    """FIELD=MASK or FIELD=~MASK (hex or decimal) -> (field, mask)."""
    name, sep, val = spec.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError("expected FIELD=MASK: %r" % spec)
    inv = val.startswith("~")
    try:
        m = int(val[1:] if inv else val, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("bad mask in %r" % spec)
    return name, (~m & ALL) if inv else m & ALL


class Stream:
    """A record iterator with look-ahead, duplicate removal and a hart filter."""

    def __init__(self, path, ignore, hart, start_pc):
        self.it = read_records(path)
        self.ignore = ignore
        self.hart = hart
        self.start_pc = start_pc
        self.buf = collections.deque()
        self.last_key = None
        self.dups = 0

    def _next_raw(self):
        for rec in self.it:
            if self.hart is not None and rec.fields.get("mhartid") != self.hart:
                continue
            if self.start_pc is not None:
                if rec.pc != self.start_pc:
                    continue
                self.start_pc = None
            if self.last_key is None:
                # The first record: COMMON is not known yet.
                self.last_key = ()
                return rec
            k = key(rec)
            if k == self.last_key:
                self.dups += 1
                continue
            self.last_key = k
            return rec
        return None

    def peek(self, i=0):
        while len(self.buf) <= i:
            rec = self._next_raw()
            if rec is None:
                return None
            self.buf.append(rec)
        return self.buf[i]

    def pop(self):
        rec = self.peek()
        if rec is not None:
            self.buf.popleft()
        return rec


def same(a, b, ignore):
    if a is None or b is None or key(a) != key(b):
        return False
    for name in LOOSE:
        if (name in a.fields and name in b.fields and
                a.fields[name] != b.fields[name] and not unchanged(name, a, b)):
            return False
    return True


def resync(sa, sb, ignore, window):
    """Skips up to window extra records on one side if the next two records
    then agree; returns (skipped_a, skipped_b) or None."""
    for d in range(1, window + 1):
        for skip_a, skip_b in ((0, d), (d, 0)):
            if (same(sa.peek(skip_a), sb.peek(skip_b), ignore) and
                    same(sa.peek(skip_a + 1), sb.peek(skip_b + 1), ignore)):
                return skip_a, skip_b
    return None


def load_objdump(path, objdump):
    """pc -> disassembly line, from objdump -d of an ELF (best effort)."""
    insns = {}
    try:
        out = subprocess.run([objdump, "-d", path], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print("trace-diff: objdump failed: %s" % e, file=sys.stderr)
        return insns
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(?:[0-9a-f]{4,8}\s+)+(.*)$", line)
        if m:
            insns[int(m.group(1), 16)] = m.group(2).strip()
    return insns


def describe(rec, insns):
    s = "pc %016x" % rec.pc
    if insns and rec.pc in insns:
        s += "  " + insns[rec.pc]
    return s


def report(a, b, names, context, insns, ignore):
    na, nb = names
    diffs = differences(a, b, ignore)
    print("first divergence: %s record %d vs %s record %d"
          % (na, a.index, nb, b.index))
    if context:
        prev = context[-1][0]
        print("  after the insn at %s" % describe(prev, insns))
    print("  %-10s %-18s %-18s" % ("field", na, nb))
    for name, va, vb in diffs:
        label = ALIAS.get(name, name)
        print("  %-10s %016x   %016x" % (label, va, vb))
    if not diffs:
        print("  (no common field differs: the records have different fields)")
    if context:
        print("context (last agreeing records, %s numbering):" % na)
        for ra, _ in context:
            print("  #%-8d %s" % (ra.index, describe(ra, insns)))
    print("  #%-8d %s   <- differs" % (a.index, describe(a, insns)))


def main(argv):
    ap = argparse.ArgumentParser(
        description="Find where a Mimic -d cpu trace and a QEMU trace diverge.")
    ap.add_argument("trace_a", help="first trace (usually Mimic's)")
    ap.add_argument("trace_b", help="second trace (usually QEMU's)")
    ap.add_argument("--ignore", default=DEFAULT_IGNORE,
                    help="comma-separated fields not compared (CSR names, "
                         "pc, x5, f10, ...; default: %(default)s; "
                         "'' compares all)")
    ap.add_argument("--mask", type=parse_mask, action="append", default=[],
                    metavar="FIELD=MASK",
                    help="compare only these bits of FIELD (~MASK: all but "
                         "these); repeatable")
    ap.add_argument("--start-pc", type=lambda s: int(s, 0), default=None,
                    help="skip each trace's records before the first one "
                         "at this pc (e.g. the kernel entry)")
    ap.add_argument("--initial-ignore", default="", metavar="FIELDS",
                    help="fields compared only once either trace changes "
                         "them from its first compared record (boot "
                         "arguments such as a1, the device tree address)")
    ap.add_argument("--hart", type=lambda s: int(s, 0), default=None,
                    help="compare only the records with this mhartid")
    ap.add_argument("--context", type=int, default=5,
                    help="agreeing records shown before the divergence")
    ap.add_argument("--window", type=int, default=4,
                    help="extra records skipped at most to realign (0: none)")
    ap.add_argument("--names", default="mimic,qemu",
                    help="labels of the two traces (default: %(default)s)")
    ap.add_argument("--objdump", metavar="ELF",
                    help="show the guest insn at each pc (objdump -d ELF)")
    ap.add_argument("--objdump-tool", default="riscv64-linux-gnu-objdump")
    args = ap.parse_args(argv)

    ignore = {f.strip() for f in args.ignore.split(",") if f.strip()}
    MASKS.update(dict(args.mask))
    for f in args.initial_ignore.split(","):
        f = f.strip()
        if f:
            # Accept ABI names too: a1 -> x11.
            LOOSE.add(ABI_TO_X.get(f, f))
    ignore = {ABI_TO_X.get(f, f) for f in ignore}
    names = (args.names.split(",") + ["b"])[:2]
    insns = load_objdump(args.objdump, args.objdump_tool) if args.objdump else {}
    sa = Stream(args.trace_a, ignore, args.hart, args.start_pc)
    sb = Stream(args.trace_b, ignore, args.hart, args.start_pc)
    context = collections.deque(maxlen=max(args.context, 0) or 1)
    compared = 0
    skipped = [0, 0]

    if sa.peek() is None or sb.peek() is None:
        empty = args.trace_a if sa.peek() is None else args.trace_b
        print("trace-diff: no records in %s (run with -d cpu%s)"
              % (empty, "; or --start-pc never reached"
                 if args.start_pc is not None else ""), file=sys.stderr)
        return 2
    FIRST[0], FIRST[1] = sa.peek(), sb.peek()
    COMMON.extend((k, MASKS.get(k, ALL)) for k in FIRST[0].fields
                  if k in FIRST[1].fields and k not in ignore and
                  k not in LOOSE)
    sa.last_key, sb.last_key = key(FIRST[0]), key(FIRST[1])
    while True:
        a, b = sa.peek(), sb.peek()
        if a is None or b is None:
            break
        if not same(a, b, ignore):
            sk = resync(sa, sb, ignore, args.window) if args.window else None
            if sk is None:
                if args.context == 0:
                    context.clear()
                report(a, b, names, list(context), insns, ignore)
                print("%d records compared before the divergence "
                      "(%d and %d duplicates dropped, %d and %d extra skipped)"
                      % (compared, sa.dups, sb.dups, skipped[0], skipped[1]))
                return 1
            for _ in range(sk[0]):
                sa.pop()
            for _ in range(sk[1]):
                sb.pop()
            skipped[0] += sk[0]
            skipped[1] += sk[1]
            continue
        context.append((sa.pop(), sb.pop()))
        compared += 1
    left = "%s ended first" % names[0] if a is None and b is not None else (
        "%s ended first" % names[1] if b is None and a is not None
        else "both ended")
    print("no divergence: %d records compared (%s; %d and %d duplicates "
          "dropped, %d and %d extra skipped)"
          % (compared, left, sa.dups, sb.dups, skipped[0], skipped[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
