#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz harnesses that need structured
inputs (tests/fuzz/corpus/{virtqueue,gdb,qmp,hmp,pci}/): valid requests that
a fuzzer then mutates.  The block and loader seeds are images made with
qemu-img, mimic-img and the cross compiler (docs/devel/fuzzing.md).
Run from the source root: python3 tests/fuzz/gen-seeds.py"""
import os
import struct

CORPUS = "tests/fuzz/corpus"


def put(harness, name, data):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- virtqueue: struct Header of fuzz-virtqueue.c, then guest memory ----
BLK, NET, RNG, GPU, KBD, TABLET, MOUSE = range(7)
DESC, AVAIL, USED = 0x100, 0x200, 0x300
DESC1, AVAIL1, USED1 = 0x400, 0x500, 0x600
BUF = 0x700
F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4


def header(dev, rounds=1, notify=0, features=0x30ffffff, num=16,
           rx_len=0, config=0):
    q0 = struct.pack("<HHIII", num, rx_len, DESC, AVAIL, USED)
    q1 = struct.pack("<HHIII", num, rx_len, DESC1, AVAIL1, USED1)
    return struct.pack("<BBHI", dev, rounds, notify, features) + q0 + q1 + \
        struct.pack("<I", config)


class Mem:
    def __init__(self, hdr):
        self.m = bytearray(BUF)
        self.m[0:len(hdr)] = hdr
        self.next_buf = BUF

    def write(self, off, data):
        if off + len(data) > len(self.m):
            self.m.extend(bytes(off + len(data) - len(self.m)))
        self.m[off:off + len(data)] = data

    def buf(self, data_or_len):
        data = data_or_len if isinstance(data_or_len, (bytes, bytearray)) \
            else bytes(data_or_len)
        off = self.next_buf
        self.write(off, data)
        self.next_buf += (len(data) + 15) & ~15
        return off

    def chain(self, table, bufs, first=0):
        """bufs: (offset in RAM or absolute if >= 1<<32, len, writable)"""
        for i, (off, ln, w) in enumerate(bufs):
            addr = off if off >= 1 << 32 else 0x80000000 + off
            flags = (F_WRITE if w else 0) | \
                (F_NEXT if i + 1 < len(bufs) else 0)
            self.write(table + 16 * (first + i),
                       struct.pack("<QIHH", addr, ln, flags, first + i + 1))

    def avail(self, ring, heads, flags=0, used_event=0, num=16):
        self.write(ring, struct.pack("<HH", flags, len(heads)) +
                   b"".join(struct.pack("<H", h) for h in heads))
        self.write(ring + 4 + 2 * num, struct.pack("<H", used_event))

    def bytes(self):
        return bytes(self.m).rstrip(b"\0") or b"\0"


def blk_req(kind, sector=0, data_len=512, data=None):
    m = Mem(header(BLK))
    h = m.buf(struct.pack("<IIQ", kind, 0, sector))
    bufs = [(h, 16, False)]
    if data_len:
        d = m.buf(data if data else bytes(data_len))
        bufs.append((d, data_len, kind == 0 or kind == 8))
    bufs.append((m.buf(1), 1, True))
    m.chain(DESC, bufs)
    m.avail(AVAIL, [0])
    return m


def virtqueue_seeds():
    put("virtqueue", "blk-read", blk_req(0, 1).bytes())
    put("virtqueue", "blk-write", blk_req(1, 2, 512, b"\xa5" * 512).bytes())
    put("virtqueue", "blk-flush", blk_req(4, 0, 0).bytes())
    put("virtqueue", "blk-get-id", blk_req(8, 0, 20).bytes())
    m = blk_req(11, 0, 16, struct.pack("<QII", 0, 8, 0))
    put("virtqueue", "blk-discard", m.bytes())
    m = blk_req(13, 0, 16, struct.pack("<QII", 8, 8, 1))
    put("virtqueue", "blk-write-zeroes", m.bytes())
    # The same read through an indirect table.
    m = Mem(header(BLK))
    h = m.buf(struct.pack("<IIQ", 0, 0, 3))
    d = m.buf(512)
    s = m.buf(1)
    table = m.buf(48)
    m.chain(table, [(h, 16, False), (d, 512, True), (s, 1, True)])
    m.write(DESC, struct.pack("<QIHH", 0x80000000 + table, 48, F_INDIRECT, 0))
    m.avail(AVAIL, [0])
    put("virtqueue", "blk-indirect", m.bytes())
    # A chain that loops, and one that points outside RAM.
    m = blk_req(0, 0)
    m.write(DESC + 16 * 2, struct.pack("<QIHH", 0x80000000 + BUF, 1,
                                       F_WRITE | F_NEXT, 2))
    put("virtqueue", "blk-loop", m.bytes())
    m = Mem(header(BLK))
    h = m.buf(struct.pack("<IIQ", 0, 0, 0))
    m.chain(DESC, [(h, 16, False), (0x7ff00000 << 4, 512, True),
                   (m.buf(1), 1, True)])
    m.avail(AVAIL, [0])
    put("virtqueue", "blk-outside-ram", m.bytes())
    # Two requests, event index on.
    m = blk_req(0, 5)
    h = m.buf(struct.pack("<IIQ", 1, 0, 6))
    m.chain(DESC, [(h, 16, False), (m.buf(b"x" * 1024), 1024, False),
                   (m.buf(1), 1, True)], first=3)
    m.avail(AVAIL, [0, 3], used_event=1)
    put("virtqueue", "blk-two-event-idx", m.bytes())

    # net: a frame sent (queue 1), and one received into queue 0.
    frame = bytes.fromhex("ffffffffffff525400123456" "0806") + bytes(46)
    m = Mem(header(NET, notify=1))
    m.chain(DESC1, [(m.buf(bytes(12) + frame), 12 + len(frame), False)])
    m.avail(AVAIL1, [0])
    put("virtqueue", "net-tx", m.bytes())
    m = Mem(header(NET, rounds=2, rx_len=60))
    m.write(44, frame)
    m.chain(DESC, [(m.buf(1526), 1526, True)])
    m.chain(DESC, [(m.buf(1526), 1526, True)], first=1)
    m.avail(AVAIL, [0, 1])
    put("virtqueue", "net-rx", m.bytes())
    m = Mem(header(NET, rx_len=60, features=0x30ffffff & ~(1 << 15)))
    m.write(44, frame)
    m.chain(DESC, [(m.buf(10), 10, True), (m.buf(100), 100, True)])
    m.avail(AVAIL, [0])
    put("virtqueue", "net-rx-split", m.bytes())

    m = Mem(header(RNG))
    m.chain(DESC, [(m.buf(64), 64, True)])
    m.avail(AVAIL, [0])
    put("virtqueue", "rng", m.bytes())

    # gpu: GET_DISPLAY_INFO, then RESOURCE_CREATE_2D + ATTACH_BACKING.
    m = Mem(header(GPU))
    m.chain(DESC, [(m.buf(struct.pack("<IIQII", 0x100, 0, 0, 0, 0)), 24,
                    False), (m.buf(408), 408, True)])
    m.avail(AVAIL, [0])
    put("virtqueue", "gpu-display-info", m.bytes())
    m = Mem(header(GPU))
    create = struct.pack("<IIQIIIIII", 0x101, 0, 0, 0, 0, 1, 1, 64, 64)
    m.chain(DESC, [(m.buf(create), len(create), False),
                   (m.buf(24), 24, True)])
    attach = struct.pack("<IIQIIII", 0x106, 0, 0, 0, 0, 1, 1) + \
        struct.pack("<QII", 0x80002000, 64 * 64 * 4, 0)
    m.chain(DESC, [(m.buf(attach), len(attach), False),
                   (m.buf(24), 24, True)], first=2)
    xfer = struct.pack("<IIQIIIIIIQII", 0x105, 0, 0, 0, 0, 0, 0, 64, 64, 0,
                       1, 0)
    m.chain(DESC, [(m.buf(xfer), len(xfer), False),
                   (m.buf(24), 24, True)], first=4)
    m.avail(AVAIL, [0, 2, 4])
    put("virtqueue", "gpu-resource", m.bytes())

    for dev, name in ((KBD, "keyboard"), (TABLET, "tablet"),
                      (MOUSE, "mouse")):
        m = Mem(header(dev, rounds=3))
        for i in range(8):
            m.chain(DESC, [(m.buf(8), 8, True)], first=i)
        m.avail(AVAIL, list(range(8)))
        put("virtqueue", name, m.bytes())


# ---- gdb: packets with their checksums ----
def pkt(s):
    if isinstance(s, str):
        s = s.encode()
    return b"$" + s + b"#%02x" % (sum(s) & 0xff)


def gdb_seeds():
    hexcmd = "info registers".encode().hex()
    sessions = {
        "handshake": ["qSupported:multiprocess+;swbreak+;hwbreak+",
                      "vMustReplyEmpty", "QStartNoAckMode", "Hg0",
                      "qXfer:features:read:target.xml:0,ffb", "qTStatus",
                      "?", "qfThreadInfo", "qsThreadInfo", "qAttached",
                      "Hc-1", "qC", "qOffsets", "g"],
        "regs": ["p20", "P20=0010008000000000", "p0", "pbad",
                 "G" + "00" * 8 * 33, "g"],
        "mem": ["m80000000,10", "M80000000,4:01020304", "m0,4",
                "Qqemu.PhyMemMode:1", "m80000000,4",
                "Qqemu.PhyMemMode:0", "mffffffffffffffff,10"],
        "points": ["Z0,80000000,4", "Z1,80000004,2", "Z2,80001000,8",
                   "Z3,80002000,4", "Z4,80003000,1", "z0,80000000,4",
                   "z2,80001000,8", "?"],
        "threads": ["Hg2", "T1", "T2", "T3", "qThreadExtraInfo,1",
                    "qThreadExtraInfo,p1.2", "Hcp1.1", "s", "?",
                    "vCont?", "vCont;s:1;c", "vCont;c:2", "c", "?"],
        "rcmd": ["qRcmd," + hexcmd, "qRcmd," + "x/4xw 0x80000000".encode()
                 .hex(), "qRcmd,", "D"],
    }
    for name, pkts in sessions.items():
        put("gdb", name, b"+".join(pkt(p) for p in pkts) + b"+")
    put("gdb", "binary-write", pkt(b"X80000100,4:}\x03}\x04ab") + b"+\x03-")
    put("gdb", "bad-checksum", b"$g#00-+$m0,1#ee" + pkt("?"))


def qmp_seeds():
    cap = '{"execute":"qmp_capabilities"}\n'
    put("qmp", "query", cap + '{"execute":"query-status","id":1}\n'
        '{"execute":"query-cpus-fast"}{"execute":"query-version"}'
        '{"execute":"query-commands","id":"x"}')
    put("qmp", "stop-cont", cap + '{"execute":"stop"}{"execute":"cont"}'
        '{"execute":"system_reset"}{"execute":"system_powerdown"}')
    put("qmp", "hmp", cap + '{"execute":"human-monitor-command",'
        '"arguments":{"command-line":"info registers","cpu-index":1}}'
        '{"execute":"human-monitor-command","arguments":'
        '{"command-line":"x/4i 0x80000000"}}')
    put("qmp", "keys", cap + '{"execute":"send-key","arguments":{"keys":'
        '[{"type":"qcode","data":"ctrl"},{"type":"number","data":30}],'
        '"hold-time":50}}'
        '{"execute":"input-send-event","arguments":{"events":['
        '{"type":"abs","data":{"axis":"x","value":100}},'
        '{"type":"btn","data":{"down":true,"button":"left"}},'
        '{"type":"rel","data":{"axis":"y","value":-5}},'
        '{"type":"key","data":{"down":false,"key":'
        '{"type":"qcode","data":"a"}}}]}}')
    put("qmp", "errors", '{"execute":"query-status"}' + cap + cap +
        '{"execute":"nope"}{"execute":"stop","arguments":{"x":1}}'
        '{"execute":1}[1,2]{"id":5}garbage\n{"execute":"cont",'
        '"arguments":[]}{"execute":"qmp_capabilities","arguments":'
        '{"enable":["oob"]}}"str" {"a":{"b":[[[{}]]]}}')
    put("qmp", "strings", cap + '{"execute":"human-monitor-command",'
        '"arguments":{"command-line":"p 1 + \\"\\\\ \\n\\t"},'
        '"id":{"nested":[1.5e10,-0,true,false,null]}}')


def hmp_seeds():
    put("hmp", "info", "info registers\ninfo registers -a\ninfo cpus\n"
        "info mtree\ninfo mem\ninfo status\ninfo version\ninfo jit\n"
        "info\ninfo nope\n")
    put("hmp", "help", "help\nhelp info\nhelp x\n?\nhelp nope\n")
    put("hmp", "memory", "x/8xw 0x80000000\nxp/4i 0x1000\nx/2c $sp\n"
        "xp/3ug 0x80000000 + 8\nx/10db $pc\nxp/o 0x100\nx 0x80000000\n"
        "xp/1000000xb 0\n")
    put("hmp", "expr", "p $pc + 4 * (2 | 1)\np 0x10 >> 2 ^ ~0\n"
        "print (1 << 63) / -1\np 7 % 0\np $a0\np $nope\np 1 +\n")
    put("hmp", "control", "cpu 1\ninfo registers\ncpu 5\nstop\ncont\n"
        "info status\nsystem_reset\nsystem_powerdown\nstop\n"
        "sendkey ctrl-alt-f1 50\nsendkey a\nsendkey 0x1e\nbogus\n")


# ---- pci: struct Op of fuzz-pci.c (kind, size, hi, addr, val) ----
CFG_W, CFG_R, MEM_W, MEM_R, IO_W, IO_R, RAM_W = range(7)


def op(kind, size, addr, val=0, hi=0):
    return struct.pack("<BBHII", kind, {1: 0, 2: 1, 4: 2, 8: 3}[size], hi,
                       addr, val)


def cfg(slot, off):
    return (slot << 15) | off


def program(slot, io, mem32, mem64):
    """BAR0 (I/O), BAR1, BAR4 (64-bit) and the command register."""
    return (op(CFG_W, 4, cfg(slot, 0x10), io) +
            op(CFG_W, 4, cfg(slot, 0x14), mem32) +
            op(CFG_W, 4, cfg(slot, 0x20), mem64 & 0xffffffff) +
            op(CFG_W, 4, cfg(slot, 0x24), mem64 >> 32) +
            op(CFG_W, 2, cfg(slot, 0x04), 7))


def modern_rng(bar):
    """A modern driver on virtio-rng-pci: features, queue 0, a request.
    bar is the offset of BAR4 in the 32-bit window."""
    c = bar                       # common config
    ring = 0x1000                 # desc at RAM + 0x1000, avail, used
    s = (op(MEM_W, 1, c + 0x14, 0) + op(MEM_W, 1, c + 0x14, 3) +
         op(MEM_W, 4, c + 0x08, 1) + op(MEM_W, 4, c + 0x0c, 1) +
         op(MEM_W, 1, c + 0x14, 11) + op(MEM_W, 2, c + 0x16, 0) +
         op(MEM_W, 2, c + 0x18, 8) +
         op(MEM_W, 4, c + 0x20, 0x80000000 + ring) + op(MEM_W, 4, c + 0x24, 0) +
         op(MEM_W, 4, c + 0x28, 0x80000000 + ring + 0x100) +
         op(MEM_W, 4, c + 0x30, 0x80000000 + ring + 0x200) +
         op(MEM_W, 2, c + 0x1c, 1) + op(MEM_W, 1, c + 0x14, 15))
    # One descriptor: 64 writable bytes at RAM + 0x3000; avail idx 1.
    s += (op(RAM_W, 4, ring, 0x80003000) + op(RAM_W, 4, ring + 4, 0) +
          op(RAM_W, 4, ring + 8, 64) + op(RAM_W, 4, ring + 12, 2) +
          op(RAM_W, 4, ring + 0x100, 1 << 16))
    return s + op(MEM_W, 2, bar + 0x3000, 0) + op(MEM_R, 1, bar + 0x1000)


def pci_seeds():
    put("pci", "enumerate", b"".join(
        op(CFG_R, 4, cfg(s, 0)) + op(CFG_R, 4, cfg(s, 8)) +
        op(CFG_R, 1, cfg(s, 0x34)) for s in range(8)))
    put("pci", "sizing", b"".join(
        op(CFG_W, 4, cfg(1, 0x10 + 4 * b), 0xffffffff) +
        op(CFG_R, 4, cfg(1, 0x10 + 4 * b)) for b in range(6)))
    put("pci", "modern-rng", program(1, 0x1000, 0x40000000, 0x40010000) +
        modern_rng(0x10000))
    # Moved into the 64-bit window while the device runs, then used there.
    put("pci", "move-bar", program(1, 0x1000, 0x40000000, 0x40010000) +
        modern_rng(0x10000) + op(CFG_W, 4, cfg(1, 0x24), 4) +
        op(MEM_W, 2, 0x3000, 0, hi=0x8000) + op(MEM_R, 4, 0x10000) +
        op(CFG_W, 2, cfg(1, 4), 0))
    # The legacy block of virtio-blk-pci: features, a queue page, status.
    put("pci", "legacy-blk", program(2, 0x2000, 0x40001000, 0x40020000) +
        op(IO_R, 4, 0x2000) + op(IO_W, 4, 0x2004, 0) +
        op(IO_W, 2, 0x200e, 0) + op(IO_W, 4, 0x2008, 0x80001) +
        op(IO_W, 1, 0x2012, 7) + op(IO_W, 2, 0x2010, 0) +
        op(IO_R, 1, 0x2013) + op(IO_W, 4, 0x2008, 0))
    # Two BARs at the same place, a BAR over the ECAM-less top, MSI-X.
    put("pci", "overlap", program(1, 0x1000, 0x40000000, 0x40010000) +
        program(3, 0x1000, 0x40000000, 0x40010000) +
        op(CFG_W, 2, cfg(1, 0x9a), 0xc001) +
        op(MEM_W, 8, 0x0, 0x12345678) + op(MEM_R, 8, 0x800) +
        op(CFG_W, 4, cfg(3, 0x20), 0xfffff00c) +
        op(CFG_W, 4, cfg(3, 0x24), 0xffffffff) + op(CFG_W, 2, cfg(3, 4), 7))


virtqueue_seeds()
gdb_seeds()
qmp_seeds()
hmp_seeds()
pci_seeds()


# ---- 9p: a share byte, then len[2] cap[2] message (fuzz-9p.c) ----
def p9_seeds():
    def msg(t, body=b""):
        return struct.pack("<IBH", 7 + len(body), t, 1) + body

    def s(x):
        x = x.encode() if isinstance(x, str) else x
        return struct.pack("<H", len(x)) + x

    def u32(*v):
        return struct.pack("<%dI" % len(v), *v)

    def u64(*v):
        return struct.pack("<%dQ" % len(v), *v)

    def frame(msgs, cap=0):
        return b"".join(struct.pack("<HH", len(m), cap) + m for m in msgs)

    def walk(fid, newfid, *names):
        return msg(110, u32(fid, newfid) + struct.pack("<H", len(names)) +
                   b"".join(s(n) for n in names))

    start = [msg(100, u32(65536) + s("9P2000.L")),
             msg(104, u32(0, 0xffffffff) + s("root") + s("") + u32(0))]
    read_file = [walk(0, 1, "file"), msg(12, u32(1, 0)),
                 msg(116, u32(1) + u64(0) + u32(4096)), msg(120, u32(1))]
    create = [walk(0, 2), msg(14, u32(2) + s("new") + u32(2, 0o644, 0)),
              msg(118, u32(2) + u64(0) + u32(5) + b"abcde"),
              msg(24, u32(2) + u64(0x7ff)), msg(50, u32(2, 0)),
              msg(120, u32(2))]
    dirs = [msg(72, u32(0) + s("d") + u32(0o755, 0)), walk(0, 3, "d"),
            msg(16, u32(3) + s("l") + s("/etc/passwd") + u32(0)),
            msg(18, u32(3) + s("n") + u32(0o20644, 1, 3, 0)),
            walk(3, 4, "l"), msg(22, u32(4)),
            msg(70, u32(3, 4) + s("hard")),
            msg(74, u32(0) + s("file") + u32(3) + s("moved")),
            msg(76, u32(3) + s("n") + u32(0)),
            walk(0, 5, "d"), msg(12, u32(5, 0)),
            msg(40, u32(5) + u64(0) + u32(200)),
            msg(40, u32(5) + u64(0) + u32(8192))]
    attrs = [walk(0, 6, "file"),
             msg(26, u32(6, 0x1ff, 0o600, 1, 2) + u64(3, 0, 0, 0, 0)),
             msg(30, u32(6, 7) + s("")), msg(116, u32(7) + u64(0) + u32(100)),
             msg(32, u32(6) + s("user.a") + u64(2) + u32(0)),
             msg(118, u32(6) + u64(0) + u32(2) + b"hi"), msg(120, u32(6)),
             walk(0, 8, "dir", "inner"),
             msg(30, u32(8, 9) + s("user.virtfs.uid")),
             msg(30, u32(8, 9) + s("system.posix_acl_access")),
             msg(8, u32(8)),
             msg(52, u32(8) + bytes([1]) + u32(0) + u64(0, 0) + u32(1) +
                 s("c")),
             msg(54, u32(8) + bytes([1]) + u64(0, 0) + u32(1) + s("c")),
             msg(108, struct.pack("<H", 1)),
             msg(20, u32(8, 0) + s("renamed")),
             msg(122, u32(8))]
    escapes = [walk(0, 10, "..", "..", "canary"),
               walk(0, 11, "abs", "f"), walk(0, 12, "up", "canary"),
               walk(0, 13, "abs"), msg(12, u32(13, 0)),
               walk(0, 14, "fifo"), msg(12, u32(14, 0)),
               msg(12, u32(14, 1)),
               msg(14, u32(0) + s("../canary") + u32(2, 0o644, 0)),
               msg(72, u32(0) + s("..") + u32(0o755, 0)),
               walk(0, 15, *["."] * 17),
               walk(0, 16, "x" * 300),
               msg(74, u32(0) + s("../canary") + u32(0) + s("stolen"))]
    bad = [struct.pack("<IBH", 0xffff, 24, 1) + u32(0),
           struct.pack("<IBH", 3, 24, 1),
           msg(110, u32(0, 1) + struct.pack("<HH", 1, 900) + b"ab"),
           msg(250), msg(121, u32(0))]
    for share in (0, 1, 2):
        put("9p", "basic-%d" % share, bytes([share]) + frame(
            start + read_file + create + attrs + dirs))
        put("9p", "escapes-%d" % share, bytes([share]) + frame(
            start + escapes))
    put("9p", "malformed", bytes([0]) + frame(start + bad))
    put("9p", "small-replies", bytes([0]) + frame(start) +
        frame(read_file + [msg(24, u32(0) + u64(0x7ff))], cap=20))


p9_seeds()
