#!/usr/bin/env python3
# targets: riscv64-softmmu
"""The gdbstub with a raw GDB remote protocol client (no gdb): a bare-metal
machine (-bios none, two harts) started with -S -gdb tcp::PORT, a small
loop program written into RAM through the stub, then framing and acks
(bad checksums and malformed packets get '-', the stub keeps serving),
registers, memory (unmapped -> E, binary X writes, physical mode),
threads, single steps (s and vCont;s step exactly one insn, a compressed
one too), a breakpoint on a compressed insn, watchpoints, Ctrl-C while
running, clients that leave mid-packet and mid-continue (state dropped,
guest running, the next client works), qRcmd, kill, W on power-off;
-gdb unix:PATH and a port in use.  Prints TAP.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import connect, listen_port  # noqa: E402

BUILD = os.environ.get("BUILD_DIR", "build")
EMU = os.path.join(BUILD, "mimic-system-" + os.environ.get("MIMIC_TARGET", "riscv64"))
GUEST = os.path.join(BUILD, "tests", "functional", "idle.elf")
n = 0
failures = 0

# The loop program (at PROG):  L: addi a0,a0,1 / c.addi a1,1 / sd a0,0(t0) / c.j L
PROG = 0x80001000
PROG_BYTES = bytes.fromhex("13051500850523b0a200ddbf")
DATA = 0x80003000
REG_A0, REG_A1, REG_T0, REG_PC = 10, 11, 5, 32


def tap(ok, name, detail=""):
    global n, failures
    n += 1
    if not ok:
        failures += 1
    print("%sok %d - %s" % ("" if ok else "not ", n, name))
    if not ok and detail:
        for line in str(detail).splitlines()[-20:]:
            print("#   " + line)
    sys.stdout.flush()


def checksum(data):
    return sum(data) & 0xff


class Client:
    """A GDB remote protocol client in ack mode (acks are checked)."""

    def __init__(self, port, timeout=10, proc=None):
        # Retried until the emulator listens (generously: it may be slow
        # to start on a loaded machine).
        self.s = connect(("127.0.0.1", port), proc, timeout=60)
        self.s.settimeout(timeout)
        # As gdb: acks and packets are small writes, Nagle would hold them.
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        self.s.close()

    def _byte(self):
        while not self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("the stub closed the connection")
            self.buf += data
        c, self.buf = self.buf[:1], self.buf[1:]
        return c

    def raw(self, data):
        self.s.sendall(data)

    def ack(self):
        """The next ack byte: '+' or '-'."""
        return self._byte()

    def packet(self, ack=True):
        """Reads one packet, checks its checksum and acks it."""
        while self._byte() != b"$":
            pass
        data = b""
        while True:
            c = self._byte()
            if c == b"#":
                break
            data += c
        cs = self._byte() + self._byte()
        if int(cs, 16) != checksum(data):
            raise ValueError("bad checksum from the stub: %r" % data)
        if ack:
            self.raw(b"+")
        return data

    def send(self, text):
        data = text.encode() if isinstance(text, str) else text
        self.raw(b"$" + data + b"#%02x" % checksum(data))

    def cmd(self, text):
        """Sends a packet, expects '+', returns the reply as str."""
        self.send(text)
        a = self.ack()
        if a != b"+":
            raise ValueError("expected '+' for %r, got %r" % (text, a))
        return self.packet().decode("latin-1")


def le64(v):
    return (v & (2**64 - 1)).to_bytes(8, "little").hex()


def reg(c, r):
    return int.from_bytes(bytes.fromhex(c.cmd("p%x" % r)), "little")


def set_reg(c, r, v):
    return c.cmd("P%x=%s" % (r, le64(v)))


def start(extra=()):
    """The emulator, stopped, with its gdb stub on a port the kernel picks
    (tcp::0: no other test run can take it first); returns (proc, port)."""
    argv = [EMU, "-M", "virt", "-smp", "2", "-bios", "none", "-kernel", GUEST,
            "-display", "none", "-serial", "null", "-S",
            "-gdb", "tcp:127.0.0.1:0"] + list(extra)
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p, listen_port(p)


def load_program(c):
    c.cmd("Hg1")
    r1 = c.cmd("M%x,%x:%s" % (PROG, len(PROG_BYTES), PROG_BYTES.hex()))
    ok = r1 == "OK"
    for r, v in ((REG_PC, PROG), (REG_A0, 0), (REG_A1, 0), (REG_T0, DATA)):
        ok = set_reg(c, r, v) == "OK" and ok
    return ok


def test_framing(c):
    r = c.cmd("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+")
    tap(all(f in r for f in ("PacketSize=", "qXfer:features:read+", "swbreak+",
                             "hwbreak+", "QStartNoAckMode+", "vContSupported+")),
        "qSupported lists the features", r)
    tap(c.cmd("?") == "T05thread:1;", "attached: '?' is T05 on thread 1")
    c.raw(b"$g#00")
    a1 = c.ack()
    c.raw(b"$g#zz")
    a2 = c.ack()
    c.raw(b"$m0,4$qC#b4")    # a packet cut short by the next one
    a3, a4 = c.ack(), c.ack()
    r = c.packet().decode()
    tap((a1, a2, a3, a4) == (b"-", b"-", b"-", b"+") and r == "QC1",
        "bad checksum, bad checksum digits and a cut packet get '-'; the "
        "next good packet works", (a1, a2, a3, a4, r))
    # '-' for our reply: the stub sends it again.
    c.send("qC")
    c.ack()
    first = c.packet(ack=False)
    c.raw(b"-")
    again = c.packet()
    tap(first == again == b"QC1", "a '-' from the client gets the reply again")
    tap(c.cmd("qXyzzy") == "" and c.cmd("vMustReplyEmpty") == "",
        "unknown packets get the empty reply")


def test_target_xml(c):
    doc, off = "", 0
    while True:
        r = c.cmd("qXfer:features:read:target.xml:%x,200" % off)
        doc += r[1:]
        off += 0x200
        if r[0] == "l" or off > 1 << 20:
            break
    tap(r[0] == "l" and "<architecture>riscv:rv64</architecture>" in doc and
        doc.rstrip().endswith("</target>") and 'name="mhartid"' in doc,
        "qXfer:features:read target.xml in 0x200-byte chunks", doc[-200:])
    tap(c.cmd("qXfer:features:read:nope.xml:0,100").startswith("E"),
        "an unknown annex gets an error")


def test_threads(c):
    tap(c.cmd("qfThreadInfo") == "m1,2" and c.cmd("qsThreadInfo") == "l",
        "two harts are threads 1 and 2")
    info = bytes.fromhex(c.cmd("qThreadExtraInfo,2")).decode()
    tap(re.match(r"CPU#1 \[(running|halted)\]$", info) is not None,
        "qThreadExtraInfo says CPU#1", info)
    tap(c.cmd("T2") == "OK" and c.cmd("T9").startswith("E"),
        "T: thread 2 alive, thread 9 not")
    tap(c.cmd("qAttached") == "1", "qAttached is 1")
    tap(c.cmd("Hg2") == "OK" and c.cmd("qC") == "QC2" and
        c.cmd("Hg9").startswith("E") and c.cmd("Hg1") == "OK",
        "Hg selects a hart; an unknown one is an error")


def test_registers(c):
    g = c.cmd("g")
    tap(len(g) == 33 * 16 and re.fullmatch("[0-9a-f]+", g) is not None,
        "g: 33 registers of 64 bits", len(g))
    pc = int.from_bytes(bytes.fromhex(g[32 * 16:]), "little")
    tap(pc == 0x1000, "the hart starts at the reset ROM (pc 0x1000)", hex(pc))
    tap(set_reg(c, 7, 0x1122334455667788) == "OK" and
        reg(c, 7) == 0x1122334455667788, "P writes a register, p reads it")
    g2 = c.cmd("g")
    tap(c.cmd("G" + g2) == "OK" and c.cmd("g") == g2, "G writes them all")
    tap(c.cmd("p2000").startswith("E"), "p of a register that does not exist is an error")
    misa = reg(c, 65 + 0x301)
    tap(misa >> 62 == 2 and all(misa >> (ord(x) - 65) & 1 for x in "IMAFDCSU"),
        "misa (p 0x366) is RV64IMAFDCSU", hex(misa))


def test_memory(c):
    tap(load_program(c), "M writes a program, P sets pc, a0, a1, t0")
    tap(c.cmd("m%x,%x" % (PROG, len(PROG_BYTES))) == PROG_BYTES.hex(),
        "m reads it back")
    r1, r2 = c.cmd("m0,4"), c.cmd("m18000000,10")
    tap(r1.startswith("E") and r2.startswith("E"),
        "m of unmapped addresses gets an E reply", (r1, r2))
    tap(c.cmd("M18000000,1:00").startswith("E"), "M to an unmapped address: E")
    # The PCIe window (nothing assigned) reads all ones, as on QEMU.
    tap(c.cmd("m40000000,4") == "ffffffff", "m of the empty PCIe window: all ones")
    # A read that runs off the end of RAM returns the part before it.
    end = 0x80000000 + (128 << 20)
    r = c.cmd("m%x,20" % (end - 8))
    tap(len(r) == 16, "m across the end of RAM returns the mapped part", r)
    special = bytes([0x23, 0x24, 0x7d, 0x2a, 0x00, 0xff, 0x03, 0x41])
    esc = b"".join(b"}" + bytes([x ^ 0x20]) if x in b"#$}*" else bytes([x])
                   for x in special)
    c.send(b"X%x,%x:" % (DATA + 0x100, len(special)) + esc)
    c.ack()
    rx = c.packet()
    tap(rx == b"OK" and c.cmd("m%x,%x" % (DATA + 0x100, len(special))) == special.hex(),
        "X writes binary data with escaped #, $, } and *", rx)
    tap(c.cmd("X%x,0:" % DATA) == "OK", "X of length 0 (gdb's probe) is OK")
    big = c.cmd("m80000000,100000")
    tap(0 < len(big) <= 16384 and not big.startswith("E"),
        "a huge m is capped to the packet size", len(big))
    r = c.cmd("Qqemu.PhyMemMode:1")
    tap(r == "OK" and c.cmd("qqemu.PhyMemMode") == "1" and
        c.cmd("m%x,4" % PROG) == PROG_BYTES[:4].hex() and
        c.cmd("m0,4").startswith("E") and c.cmd("Qqemu.PhyMemMode:0") == "OK" and
        c.cmd("qqemu.PhyMemMode") == "0",
        "physical memory mode on and off (qqemu.PhyMemMode)", r)


def stop_reply(c, timeout=10):
    c.s.settimeout(timeout)
    try:
        return c.packet().decode()
    finally:
        c.s.settimeout(10)


def test_steps(c):
    r = c.cmd("s")
    pc, a0 = reg(c, REG_PC), reg(c, REG_A0)
    tap(r == "T05thread:1;" and pc == PROG + 4 and a0 == 1,
        "s steps exactly one insn (addi)", (r, hex(pc), a0))
    r = c.cmd("vCont;s:1")
    pc, a1 = reg(c, REG_PC), reg(c, REG_A1)
    tap(r == "T05thread:1;" and pc == PROG + 6 and a1 == 1,
        "vCont;s:1 steps one compressed insn", (r, hex(pc), a1))
    tap(c.cmd("vCont?") == "vCont;c;C;s;S", "vCont? lists c, C, s, S")
    r = c.cmd("vCont;s:1;c")
    pc = reg(c, REG_PC)
    tap(r == "T05thread:1;" and pc == PROG + 10 and
        c.cmd("m%x,8" % DATA) == le64(1),
        "vCont;s:1;c: thread 1 steps the store", (r, hex(pc)))
    tap(c.cmd("vCont;x").startswith("E"), "an unknown vCont action is an error")


def test_breakpoints(c):
    tap(c.cmd("Z0,%x,2" % (PROG + 4)) == "OK", "Z0 on a compressed insn")
    r = c.cmd("c")
    pc = reg(c, REG_PC)
    tap(r == "T05thread:1;swbreak:;" and pc == PROG + 4,
        "continue stops at it with swbreak", (r, hex(pc)))
    tap(c.cmd("z0,%x,2" % (PROG + 4)) == "OK", "z0 removes it")
    tap(c.cmd("z0,%x,2" % (PROG + 4)).startswith("E"), "z0 of no breakpoint: E")
    tap(c.cmd("Z1,%x,4" % PROG) == "OK", "Z1 (hardware breakpoint)")
    r = c.cmd("c")
    tap(r == "T05thread:1;hwbreak:;" and reg(c, REG_PC) == PROG,
        "continue stops at it with hwbreak", r)
    c.cmd("z1,%x,4" % PROG)
    tap(c.cmd("Z2,%x,8" % DATA) == "OK", "Z2 (write watchpoint)")
    before = reg(c, REG_A0)
    r = c.cmd("c")
    mem = c.cmd("m%x,8" % DATA)
    tap(r == "T05thread:1;watch:%x;" % DATA and mem == le64(before + 1) and
        reg(c, REG_PC) == PROG + 10,
        "the store hits it; reported after the write, at the next insn",
        (r, mem, before))
    c.cmd("z2,%x,8" % DATA)
    c.cmd("Z3,%x,8" % DATA)
    c.cmd("Z4,%x,4" % (DATA + 4))
    r = c.cmd("c")
    tap(r == "T05thread:1;awatch:%x;" % (DATA + 4),
        "Z4 (access) hits; Z3 (read) on a stored-to address does not", r)
    tap(c.cmd("z3,%x,8" % DATA) == "OK" and c.cmd("z4,%x,4" % (DATA + 4)) == "OK",
        "z3 and z4 remove them")
    tap(c.cmd("Z2,%x,0" % DATA).startswith("E"), "a watchpoint of length 0 is refused")


def test_many_points(c):
    """Thousands of breakpoints and hundreds of watchpoints (QEMU takes
    thousands of software breakpoints)."""
    bps = [0x80100000 + 4 * i for i in range(3000)]
    rs = set(c.cmd("Z0,%x,4" % a) for a in bps)
    tap(rs == {"OK"}, "3000 breakpoints inserted", rs)
    c.cmd("Z0,%x,2" % (PROG + 4))
    r = c.cmd("c")
    tap(r == "T05thread:1;swbreak:;" and reg(c, REG_PC) == PROG + 4,
        "among them, the one in the loop stops it", r)
    c.cmd("z0,%x,2" % (PROG + 4))
    wps = [0x80400000 + 0x1000 * i for i in range(400)]
    rs = set(c.cmd("Z2,%x,8" % a) for a in wps)
    tap(rs == {"OK"}, "400 watchpoints on 400 pages inserted", rs)
    c.cmd("Z2,%x,8" % DATA)
    r = c.cmd("c")
    tap(r == "T05thread:1;watch:%x;" % DATA,
        "among them, the one on the loop's store hits", r)
    rs = set(c.cmd("z0,%x,4" % a) for a in bps)
    rs |= set(c.cmd("z2,%x,8" % a) for a in wps + [DATA])
    tap(rs == {"OK"}, "all removed again", rs)
    a0 = reg(c, REG_A0)
    c.send("c")
    c.ack()
    time.sleep(0.05)
    c.raw(b"\x03")
    r = stop_reply(c)
    tap(r == "T02thread:1;" and reg(c, REG_A0) > a0,
        "the guest then runs until Ctrl-C", (r, a0))


def test_hostile_packets(c):
    """Untrusted lengths, offsets and numbers: each gets an error or a
    bounded answer, and the stub goes on."""
    top = 0xffffffffffffffff
    cases = [
        # Ranges past the top of the address space: malformed (EINVAL).
        ("M%x,2:aabb" % top, "E16"),
        ("Mfffffffffffffff0,20:" + "00" * 32, "E16"),
        ("X%x,2:ab" % top, "E16"),
        ("Z2,%x,8" % top, "E16"),
        ("Z3,fffffffffffffffc,8", "E16"),
        # Lengths that do not match the data.
        ("M%x,4:aabb" % DATA, "E16"),
        ("M%x,1:aabb" % DATA, "E16"),
        ("X%x,3:ab" % DATA, "E16"),
        ("M%x,ffffffffffffffff:00" % DATA, "E16"),
        # Numbers beyond 64 bits, registers that do not exist.
        ("m1%x,4" % top, "E16"),
        ("p%x" % top, "E16"),
        ("p80000000", "E16"),
        ("p1000000", "E0e"),
        ("P%x=00" % top, "E16"),
        ("P1=00", "E16"),
        ("G00", "E16"),
        ("Hg%x" % top, "E16"),
        ("T1%x" % top, "E16"),
        ("vCont;c:%x" % top, "E16"),
        ("qThreadExtraInfo,%x" % top, "E16"),
        # qXfer offsets past the document.
        ("qXfer:features:read:target.xml:%x,10" % top, "E16"),
        ("qXfer:features:read:target.xml:1%x,10" % top, "E16"),
        ("qRcmd,6", "E16"),
    ]
    for pkt, want in cases:
        r = c.cmd(pkt)
        tap(r == want, "%s gets %s" % (pkt[:40], want), r)
    r = c.cmd("m%x,%x" % (DATA, top))
    tap(len(r) == 16384, "m with a length of 2^64-1 is capped", len(r))
    r = c.cmd("qXfer:features:read:target.xml:0,%x" % top)
    tap(r[0] in "ml" and len(r) <= 16384, "qXfer with a huge length is "
        "capped", len(r))
    # A packet larger than the packet size: refused, the next one works.
    c.raw(b"$" + b"m" * 20000 + b"#00")
    a = c.ack()
    tap(a == b"-" and c.cmd("qC") == "QC1",
        "a packet over 16 KiB gets '-' and the stub goes on", a)


def test_interrupt(c):
    a0 = reg(c, REG_A0)
    c.send("c")
    ok_ack = c.ack() == b"+"
    time.sleep(0.2)
    c.raw(b"\x03")
    r = stop_reply(c)
    a0b = reg(c, REG_A0)
    tap(ok_ack and r == "T02thread:1;" and a0b > a0 + 1000,
        "Ctrl-C while running stops it with T02", (r, a0, a0b))


def test_rcmd(c):
    r = c.cmd("qRcmd," + b"info registers".hex())
    out = ""
    while r.startswith("O") and r != "OK":
        out += bytes.fromhex(r[1:]).decode("utf-8", "replace")
        r = c.packet().decode()
    tap(r == "OK" and "pc" in out.lower(), "qRcmd info registers prints them", out[:400])


def test_no_ack(c):
    r = c.cmd("QStartNoAckMode")
    time.sleep(0.05)
    c.raw(b"+")     # gdb acks the OK
    c.send("qC")
    r2 = c.packet()
    tap(r == "OK" and r2 == b"QC1" and c.buf == b"",
        "QStartNoAckMode: no acks after the OK", (r, r2, c.buf))


def run_a_while(port, a0_before):
    """Connects, and lets the guest run until a0 has grown by 1000 (a
    breakpoint left at PROG would stop it after one loop); a0 or -1."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        c = Client(port)
        c.cmd("Hg1")
        a0 = reg(c, REG_A0)
        if a0 > a0_before + 1000:
            return c, a0
        c.send("c")
        c.ack()
        time.sleep(0.05)
        c.raw(b"\x03")
        stop_reply(c)
        c.close()
    return c, -1


def test_disconnects(port):
    c = Client(port)
    c.cmd("Hg1")
    pc, a0 = reg(c, REG_PC), reg(c, REG_A0)
    tap(c.cmd("Z0,%x,4" % PROG) == "OK", "a client inserts a breakpoint ...")
    c.raw(b"$m8000")
    c.close()
    c = Client(port)
    r = c.cmd("?")
    c.cmd("Hg1")
    tap(r.startswith("T05") and reg(c, REG_PC) == pc and reg(c, REG_A0) == a0,
        "... and leaves mid-packet: the guest stays stopped where it was "
        "(as QEMU; only D resumes)", (r, hex(pc), a0))
    c.send("c")
    c.ack()
    c.close()               # leaves while the guest runs
    c, a0b = run_a_while(port, a0)
    tap(a0b > a0 + 1000,
        "the breakpoint went with the client; after a client left "
        "mid-continue the guest ran on", (a0, a0b))
    return c


def test_interrupt_after_reconnect(port):
    """Ctrl-C in two successive connections (the second after the first
    left while the guest ran, then after one left it stopped)."""
    replies = []
    for leave_running in (True, False, False):
        c = Client(port)
        c.cmd("?")
        c.send("vCont;c")
        c.ack()
        c.raw(b"\x03")
        replies.append(stop_reply(c))
        if leave_running:
            c.send("c")
            c.ack()
        c.close()
    tap(replies == ["T02thread:1;"] * 3,
        "Ctrl-C gets T02 in each of three successive connections", replies)


def test_probe_then_connect():
    """-S: a client that connects and closes without a word (a port
    probe) leaves the machine at the reset vector for the next one; a QMP
    client sees no RESUME event."""
    qmp_path = os.path.join(tempfile.mkdtemp(prefix="mimic-gdb-"), "qmp.sock")
    p, port = start(["-qmp", "unix:%s,server,wait=off" % qmp_path])
    try:
        q = connect(qmp_path, p)
        q.sendall(b'{"execute": "qmp_capabilities"}')
        qbuf = b""
        while qbuf.count(b"\n") < 2:
            qbuf += q.recv(4096)
        probe = Client(port)
        probe.close()
        # Accepted only once the probe's end was handled.
        c = Client(port)
        c.cmd("Hg1")
        pc = reg(c, REG_PC)
        c.cmd("Hg2")
        pc2 = reg(c, REG_PC)
        q.sendall(b'{"execute": "query-status"}')
        while b'"status"' not in qbuf:
            qbuf += q.recv(4096)
        tap(pc == pc2 == 0x1000 and b"RESUME" not in qbuf and
            b'"status":"paused"' in qbuf,
            "-S: after a port probe the machine stays stopped (no RESUME), "
            "the next client finds both harts at the reset vector",
            (hex(pc), hex(pc2), qbuf))
        c.close()
        q.close()
    finally:
        p.kill()
        p.wait()


def test_unix_and_busy_port(port):
    path = os.path.join(tempfile.mkdtemp(prefix="mimic-gdb-"), "gdb.sock")
    hotloop = os.path.join(BUILD, "tests", "functional", "hotloop.elf")
    p = subprocess.Popen([EMU, "-M", "virt", "-bios", "none", "-kernel", hotloop,
                          "-display", "none", "-serial", "null", "-S",
                          "-gdb", "unix:" + path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    try:
        s = connect(path, p)

        def reply():
            got = b""
            while not re.search(rb"\$[^#]*#..", got):
                data = s.recv(100)
                if not data:
                    break
                got += data
            return got
        s.sendall(b"$?#3f")
        got = reply()
        tap(got.startswith(b"+$T05thread:1;"), "-gdb unix:PATH works", got)
        # hotloop.elf powers off after its loop: gdb gets W00.
        s.sendall(b"+$c#63")
        got = reply()
        rc = p.wait(10)
        tap(got == b"+$W00#b7" and rc == 0,
            "the guest powers off during a continue: W00, exit status 0",
            (got, rc))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    # The port of the first emulator is taken.
    r = subprocess.run([EMU, "-M", "virt", "-bios", "none", "-kernel", GUEST,
                        "-display", "none", "-serial", "null", "-S",
                        "-gdb", "tcp:127.0.0.1:%d" % port],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=20)
    tap(r.returncode == 1 and "-gdb" in r.stderr and "listen" in r.stderr,
        "a port in use is an error at start-up", r.stderr)


def main():
    if not os.path.exists(GUEST):
        print("ok 1 - # SKIP %s not built" % GUEST)
        return 0
    p, port = start()
    try:
        c = Client(port, proc=p)
        for t in (test_framing, test_target_xml, test_threads, test_registers,
                  test_memory, test_hostile_packets, test_steps,
                  test_breakpoints, test_many_points,
                  test_interrupt,
                  test_rcmd):
            try:
                t(c)
            except (OSError, ValueError, EOFError) as e:
                tap(False, t.__name__, repr(e))
                c.close()
                c = Client(port)
        c.close()
        c = test_disconnects(port)
        c.close()
        test_interrupt_after_reconnect(port)
        c = Client(port)
        test_no_ack(c)
        test_unix_and_busy_port(port)
        test_probe_then_connect()
        c.send("k")
        rc = p.wait(10)
        tap(rc == 0, "k quits the emulator (status 0)", rc)
    except Exception as e:  # noqa: BLE001 - report and fail the suite
        tap(False, "the protocol session", repr(e))
    finally:
        if p.poll() is None:
            p.kill()
        out = p.communicate()[0].decode("utf-8", "replace")
        if failures and out:
            print("# emulator output:\n#   " + "\n#   ".join(out.splitlines()[-20:]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
