#!/usr/bin/env python3
# targets: riscv64-linux-user
"""Linux user mode's gdb stub (mimic-riscv64 -g PORT) with Debian's
gdb-multiarch, as a user would, on tests/user/riscv64/gdb-target.c
(static): the program waits at its entry for gdb; a breakpoint at add,
its arguments in a0/a1, the global counter, stepi, the target description
(no privileged CSRs), a write to the global message that the program then
prints, the exit status (W); threads: one gdb thread per guest thread,
each stopping at a breakpoint in worker; a SIGSEGV stops in gdb (T0b) and,
passed on, ends the program by that signal (X); Ctrl-C while the program
spins; kill.  Bad input: -g with a port in use (a clear error, status 1),
a client that sends garbage (error replies, the program unharmed), a
client that leaves (the program runs on).  Ports: port 0, the one the
kernel picked read from /proc.  Prints TAP.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import mimictest  # noqa: E402
from mimictest import connect, listen_port, tap  # noqa: E402

BUILD = os.environ.get("BUILD_DIR", "build")
TARGET = os.environ.get("MIMIC_TARGET", "riscv64")
EMU = os.path.abspath(os.path.join(BUILD, "mimic-" + TARGET))
PROG = os.path.abspath(os.path.join(BUILD, "tests", "user", "riscv64",
                                    "gdb-target-static"))
GDB = os.environ.get("GDB", "gdb-multiarch")


def start(*args, env=None):
    """mimic-riscv64 -g 0 PROG ARGS, and the port it listens on."""
    p = subprocess.Popen([EMU, "-g", "0", PROG] + list(args),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env)
    return p, listen_port(p, timeout=60)


def gdb(port, *cmds, timeout=120):
    """Runs gdb in batch mode with cmds after `target remote`; its output."""
    argv = [GDB, "-batch", "-nx", "-ex", "set confirm off",
            "-ex", "set pagination off", "-ex", "set arch riscv:rv64",
            "-ex", "target remote 127.0.0.1:%d" % port]
    for c in cmds:
        argv += ["-ex", c]
    r = subprocess.run(argv + [PROG], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=timeout)
    return r.stdout + r.stderr


def finish(p, timeout=60):
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, out, err + "\n(timed out: killed)"
    return p.returncode, out, err


def value(text, name):
    """The value gdb printed for `echo NAME=` followed by `p ...`."""
    m = re.search(r"%s=\s*\$\d+ = (.*)" % re.escape(name), text)
    return m.group(1).strip() if m else None


def session_main():
    p, port = start()
    text = gdb(port,
               "echo entry=\n", "p $pc",
               "break *add", "continue",
               "echo a0=\n", "p $a0", "echo a1=\n", "p $a1",
               "echo counter=\n", "p (long)counter",
               "echo pc0=\n", "p/x $pc", "stepi", "echo pc1=\n", "p/x $pc",
               "maint print xml-tdesc",
               "set var *(char *)&message = 'O'",
               "echo message=\n", "p *(char *)&message",
               "echo badmem=\n", "p *(long *)0x10",
               "delete", "continue")
    st, out, err = finish(p)
    entry = int(re.sub(r".*0x([0-9a-f]+).*", r"\1", value(text, "entry") or "0x0"), 16)
    elf = subprocess.run(["riscv64-linux-gnu-readelf", "-h", PROG],
                         capture_output=True, text=True).stdout
    m = re.search(r"Entry point address:\s+0x([0-9a-f]+)", elf)
    tap(m is not None and entry == int(m.group(1), 16),
        "the program waits for gdb at its entry point", text)
    tap("Breakpoint 1, " in text and "in add ()" in text,
        "a breakpoint at add is hit", text)
    tap(value(text, "a0") == "3" and value(text, "a1") == "4",
        "the arguments of add(3, 4) in a0 and a1", text)
    tap(value(text, "counter") == "41", "the global counter reads 41", text)
    pc0, pc1 = value(text, "pc0"), value(text, "pc1")
    tap(pc0 is not None and pc1 is not None and
        int(pc1, 16) in (int(pc0, 16) + 2, int(pc0, 16) + 4),
        "stepi runs one insn", text)
    tap("org.gnu.gdb.riscv.fpu" in text and "\"fcsr\"" in text and
        "\"instret\"" in text and "\"mstatus\"" not in text and
        "\"priv\"" not in text,
        "the target description: x, f, fcsr and the counters, no "
        "privileged CSRs", text)
    tap(value(text, "message") == "79 'O'", "memory is written", text)
    tap("Cannot access memory at address 0x10" in text,
        "unmapped memory gives an error", text)
    tap("exited with code 07" in text, "the exit status reaches gdb (W07)",
        text)
    tap(st == 7 and out == "add=48 message=Original\n",
        "the program printed what gdb wrote, and exited with 7",
        "status %s\n%s%s" % (st, out, err))


def session_threads():
    p, port = start("threads")
    text = gdb(port, "break *worker", "continue", "info threads",
               "continue", "info threads", "delete", "continue")
    st, out, err = finish(p)
    hits = re.findall(r"Thread (\d+) hit Breakpoint 1, .* in worker", text)
    tap(len(hits) == 2 and len(set(hits)) == 2,
        "each of the two worker threads stops at the breakpoint", text)
    ids = re.findall(r"^\*?\s+\d+\s+Thread (\d+) \(CPU#\d+\)", text, re.M)
    tap(str(p.pid) in ids and len(set(ids)) == 3,
        "info threads: the main thread (tid = pid) and a thread per worker",
        text)
    tap(st == 7 and "worker 0: 141\nworker 1: 142\n" in out,
        "the threaded program ends normally", "status %s\n%s%s" % (st, out, err))


def session_segv():
    p, port = start("segv")
    text = gdb(port, "continue", "echo pc=\n", "p $pc", "continue")
    st, out, err = finish(p)
    tap("Program received signal SIGSEGV" in text,
        "a store to address 16 stops in gdb with SIGSEGV", text)
    tap("Program terminated with signal SIGSEGV" in text,
        "continued, the signal ends the program (X0b)", text)
    tap(st == -11, "the program died of SIGSEGV", "status %s\n%s" % (st, err))


def raw_packet(s, data):
    pkt = b"$" + data + b"#%02x" % (sum(data) & 0xff)
    s.sendall(pkt)


def read_reply(s, buf=b""):
    """The data of the next packet from the stub (acks skipped)."""
    while True:
        m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", buf)
        if m:
            return m.group(1), buf[m.end():]
        data = s.recv(65536)
        if not data:
            raise EOFError("the stub closed the connection")
        buf += data


def session_ctrl_c_and_kill():
    """A raw client: the program patched into a loop at add, continued,
    interrupted with Ctrl-C (a T02 stop), then killed."""
    p, port = start()
    s = connect(("127.0.0.1", port), p)
    s.settimeout(20)
    buf = b""
    ok = True
    detail = []
    try:
        raw_packet(s, b"?")
        r, buf = read_reply(s, buf)
        detail.append(r)
        ok = ok and r.startswith(b"T05thread:")
        # add: `j add` (c.j 0) so that main spins there.
        raw_packet(s, b"m0,1")      # unmapped: an error, not a crash
        r, buf = read_reply(s, buf)
        detail.append(r)
        ok = ok and r.startswith(b"E")
        syms = subprocess.run(["riscv64-linux-gnu-nm", PROG],
                              capture_output=True, text=True).stdout
        add = int(re.search(r"^([0-9a-f]+) T add$", syms, re.M).group(1), 16)
        raw_packet(s, b"M%x,2:01a0" % add)
        r, buf = read_reply(s, buf)
        detail.append(r)
        ok = ok and r == b"OK"
        raw_packet(s, b"c")
        s.sendall(b"+")
        try:
            s.settimeout(1)
            r, buf = read_reply(s, buf)
            ok = False
            detail.append(b"a stop before Ctrl-C: " + r)
        except socket.timeout:
            pass
        s.settimeout(20)
        s.sendall(b"\x03")
        r, buf = read_reply(s, buf)
        detail.append(r)
        ok = ok and r.startswith(b"T02thread:")
        raw_packet(s, b"p20")
        r, buf = read_reply(s, buf)
        detail.append(r)
        pc = int.from_bytes(bytes.fromhex(r.decode()), "little")
        ok = ok and pc == add
        raw_packet(s, b"vKill;1")
        r, buf = read_reply(s, buf)
        detail.append(r)
        ok = ok and r == b"OK"
    except (OSError, EOFError, ValueError, AttributeError) as e:
        ok = False
        detail.append(repr(e).encode())
    st, out, err = finish(p, timeout=30)
    tap(ok, "Ctrl-C stops a spinning program (T02, pc in the loop)",
        b"\n".join(detail).decode(errors="replace"))
    tap(st == 0 and "add=" not in out,
        "vKill ends the program before it prints",
        "status %s\n%s%s" % (st, out, err))
    s.close()


def session_garbage():
    """Garbage, bad checksums and malformed packets get '-' or E replies;
    then the client leaves and the program runs to its end unharmed."""
    p, port = start()
    s = connect(("127.0.0.1", port), p)
    s.settimeout(20)
    buf = b""
    ok = True
    detail = []
    try:
        s.sendall(b"garbage$qC#00")     # bad checksum: '-'
        data = b""
        while b"-" not in data:
            data += s.recv(100)
        for req in (b"mzz", b"M10,4:zz", b"Z9,0,0", b"p99999", b"Hgdead",
                    b"X0,4:", b"vCont;x", b"G12"):
            raw_packet(s, req)
            r, buf = read_reply(s, buf)
            detail.append(req + b" -> " + r)
            ok = ok and (r.startswith(b"E") or r == b"")
        raw_packet(s, b"g")
        r, buf = read_reply(s, buf)
        ok = ok and len(r) == 33 * 16
    except (OSError, EOFError) as e:
        ok = False
        detail.append(repr(e).encode())
    tap(ok, "bad packets get '-' or error replies",
        b"\n".join(detail).decode(errors="replace"))
    s.close()
    st, out, err = finish(p)
    tap(st == 7 and out == "add=48 message=original\n",
        "after the client leaves the program runs to its end",
        "status %s\n%s%s" % (st, out, err))


def port_in_use():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 0))
    s.listen(1)
    port = s.getsockname()[1]
    r = subprocess.run([EMU, "-g", str(port), PROG], capture_output=True,
                       text=True, timeout=60)
    s.close()
    tap(r.returncode == 1 and "-g %d: cannot listen" % port in r.stderr and
        "in use" in r.stderr,
        "-g with a port in use: a clear error, status 1",
        "status %d\n%s" % (r.returncode, r.stderr))
    r = subprocess.run([EMU, "-g", "99999", PROG], capture_output=True,
                       text=True, timeout=60)
    tap(r.returncode == 1 and "not a port number" in r.stderr,
        "-g 99999: not a port number, status 1",
        "status %d\n%s" % (r.returncode, r.stderr))


def unix_socket():
    d = tempfile.mkdtemp(prefix="mimic-ugdb-")
    path = os.path.join(d, "gdb.sock")
    p = subprocess.Popen([EMU, PROG], env=dict(os.environ, QEMU_GDB=path),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    ok = False
    try:
        s = connect(path, p)
        s.settimeout(20)
        raw_packet(s, b"D")
        r, _ = read_reply(s)
        ok = r == b"OK"
        s.close()
    except (OSError, EOFError):
        pass
    st, out, err = finish(p)
    tap(ok and st == 7 and out == "add=48 message=original\n",
        "QEMU_GDB=PATH: a unix socket; detach lets the program run",
        "status %s\n%s%s" % (st, out, err))
    shutil.rmtree(d, ignore_errors=True)


def main():
    if not os.path.exists(EMU):
        print("1..0 # SKIP %s not built" % EMU)
        return 0
    if not os.path.exists(PROG):
        print("not ok 1 - %s not built (gcc-riscv64-linux-gnu)" % PROG)
        return 1
    if not shutil.which(GDB):
        print("not ok 1 - %s not installed" % GDB)
        return 1
    session_main()
    session_threads()
    session_segv()
    session_ctrl_c_and_kill()
    session_garbage()
    port_in_use()
    unix_socket()
    mimictest.done()
    return 0


if __name__ == "__main__":
    sys.exit(main())
