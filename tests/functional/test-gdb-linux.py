#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Debugs OpenSBI and Linux (the image recipe, tests/images) under Mimic
with Debian's gdb-multiarch, as a user would: -S -gdb tcp::PORT (probed
by a client that connects and closes first, as tools do), a
breakpoint at the OpenSBI entry (MMU off), stepi, CSRs and FP registers,
the kernel's symbols, a breakpoint at start_kernel (a virtual pc), a
hardware watchpoint on jiffies with its old and new values, variables,
detach; then the guest boots to its shell and answers a command; then
gdb attaches to the running guest (which stops it), runs a monitor
command and detaches, and the guest answers again.  gdb
runs a Python script (below) that prints one "RESULT ok|fail name" line
per check.  Prints TAP; skips when the images or gdb-multiarch are missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import connect, listen_port, log_path  # noqa: E402

BUILD = os.environ.get("BUILD_DIR", "build")
EMU = os.path.join(BUILD, "mimic-system-" + os.environ.get("MIMIC_TARGET", "riscv64"))
GDB = os.environ.get("GDB", "gdb-multiarch")
n = 0

# Runs inside gdb.  @PORT@ and @VMLINUX@ are filled in.
GDB_SCRIPT = r'''
import gdb

def result(ok, name, detail=""):
    print("RESULT %s %s%s" % ("ok" if ok else "fail", name,
          (" :: " + str(detail).replace("\n", " | ")) if not ok else ""))

def run(cmd):
    return gdb.execute(cmd, to_string=True)

def val(expr):
    return int(gdb.parse_and_eval(expr))

def pc():
    return val("$pc") & (2**64 - 1)

def check(name, fn):
    try:
        ok, detail = fn()
        result(ok, name, detail)
    except Exception as e:  # a gdb error fails this check only
        result(False, name, repr(e))

gdb.execute("set confirm off")
gdb.execute("set pagination off")
gdb.execute("set architecture riscv:rv64")
check("target remote connects, stopped at the reset ROM",
      lambda: (run("target remote 127.0.0.1:@PORT@") is not None and pc() == 0x1000,
               hex(pc())))

# gdb prints stops itself (not into to_string): record them as events.
stops = []
gdb.events.stop.connect(lambda ev: stops.append(ev))

def last_stop_hit(bp_type):
    ev = stops[-1] if stops else None
    return (isinstance(ev, gdb.BreakpointEvent) and
            any(b.type == bp_type for b in ev.breakpoints))

def opensbi_entry():
    run("break *0x80000000")
    run("continue")
    return pc() == 0x80000000 and last_stop_hit(gdb.BP_BREAKPOINT), hex(pc())
check("break at the OpenSBI entry (0x80000000) and continue to it", opensbi_entry)

def stepi():
    seen = []
    arch = gdb.selected_frame().architecture()
    for _ in range(4):
        before = pc()
        insn = arch.disassemble(before)[0]
        run("stepi")
        after = pc()
        seen.append("%x %s -> %x" % (before, insn["asm"], after))
        branch = re.match(r"\s*(j|jal|jr|b\w*|ret|mret|sret|tail|call)\b", insn["asm"])
        if not branch and after != before + insn["length"]:
            return False, seen
        if after == before:
            return False, seen
    return True, seen
import re
check("stepi steps one instruction at a time (pc follows x/i)", stepi)

check("$mhartid reads 0", lambda: (val("$mhartid") == 0, val("$mhartid")))

def misa():
    m = val("$misa") & (2**64 - 1)
    bits = all(m >> (ord(c) - 65) & 1 for c in "IMAFDCSU")
    return m >> 62 == 2 and bits, hex(m)
check("$misa is RV64 with I, M, A, F, D, C, S, U", misa)
check("p $ft0 works", lambda: ("double" in run("p $ft0"), run("p $ft0")))
check("info registers lists the CSRs", lambda: ("mstatus" in run("info registers mstatus"), ""))

def kernel():
    run("delete")
    run("file @VMLINUX@")
    run("break start_kernel")
    out = run("continue")
    fn = gdb.selected_frame().name()
    out = last_stop_hit(gdb.BP_BREAKPOINT)
    return (fn == "start_kernel" and pc() >= 0xffffffff80000000 and out,
            (fn, hex(pc()), out))
check("file vmlinux, break start_kernel, continue: stops in start_kernel", kernel)

def watch():
    run("delete")
    before = val("jiffies")
    out = run("watch jiffies")
    run("continue")
    after = val("jiffies")
    ok = ("Hardware watchpoint" in out and
          last_stop_hit(gdb.BP_HARDWARE_WATCHPOINT) and after == before + 1)
    return ok, (out, before, after)
check("watch jiffies: a hardware watchpoint hits with old and new values", watch)

def variables():
    j = val("jiffies")
    s = run("p system_state")
    return j > 0 and "SYSTEM_" in s, (j, s)
check("p jiffies and p system_state", variables)
check("info threads lists the hart",
      lambda: ("Thread 1" in run("info threads"), run("info threads")))

def detach():
    run("delete")
    out = run("detach")
    return "Detaching" in out or "detached" in out, out
check("delete and detach", detach)
'''

# A second session, on the running guest at its shell.
GDB_ATTACH = r'''
import gdb

def result(ok, name, detail=""):
    print("RESULT %s %s%s" % ("ok" if ok else "fail", name,
          (" :: " + str(detail).replace("\n", " | ")) if not ok else ""))

gdb.execute("set confirm off")
gdb.execute("set architecture riscv:rv64")
gdb.execute("file @VMLINUX@")
try:
    gdb.execute("target remote 127.0.0.1:@PORT@")
    threads = gdb.execute("info threads", to_string=True)
    pc = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
    result(pc >= 0xffffffff80000000 and "Thread 1" in threads,
           "attaching to the running guest stops it (in the kernel)",
           (hex(pc), threads))
except Exception as e:
    result(False, "attaching to the running guest stops it", repr(e))
try:
    out = gdb.execute("monitor info registers", to_string=True)
    result("pc" in out.lower(), "monitor info registers (qRcmd)", out)
except gdb.error as e:
    result(False, "monitor info registers (qRcmd)", repr(e))
gdb.execute("detach")
'''


def tap(ok, name, detail=""):
    global n
    n += 1
    print("%sok %d - %s" % ("" if ok else "not ", n, name))
    if not ok and detail:
        for line in str(detail).splitlines()[-30:]:
            print("#   " + line)
    sys.stdout.flush()


def image_dir():
    # MIMIC_IMAGES names another folder, as for test-linux.sh.
    d = os.environ.get("MIMIC_IMAGES", "")
    if d:
        return d if os.path.exists(os.path.join(d, "Image")) else None
    r = subprocess.run(["sh", "tests/images/build.sh", "--dir"],
                       capture_output=True, text=True)
    d = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    if r.returncode == 0 and os.path.exists(os.path.join(d, "Image")):
        return d
    return None


def attach_session(g, d, port, tmp):
    script = os.path.join(tmp, "attach.py")
    with open(script, "w") as f:
        f.write(GDB_ATTACH.replace("@PORT@", str(port))
                .replace("@VMLINUX@", os.path.join(d, "vmlinux")))
    r = subprocess.run([GDB, "-batch", "-nx", "-x", script],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=120)
    text = r.stdout + r.stderr
    results = re.findall(r"^RESULT (ok|fail) (.*)$", text, re.M)
    if not results:
        tap(False, "gdb attached to the running guest", text)
    for status, rest in results:
        name, _, detail = rest.partition(" :: ")
        tap(status == "ok", "gdb: " + name, detail)
    try:
        out, st = g.run("echo still-alive")
        tap(st == 0 and out.strip() == "still-alive",
            "after that detach the guest runs and answers again", out)
    except ConsoleTimeout as e:
        tap(False, "after that detach the guest answers again", str(e))


def main():
    d = image_dir()
    if not d:
        print("ok 1 - # SKIP images not built")
        return 0
    if not shutil.which(GDB):
        print("ok 1 - # SKIP %s not installed" % GDB)
        return 0
    tmp = tempfile.mkdtemp(prefix="mimic-gdb-")
    script = os.path.join(tmp, "session.py")
    # Port 0: the kernel picks a free port, read back once the stub listens.
    argv = [EMU, "-M", "virt", "-m", "256M", "-nographic", "-S",
            "-gdb", "tcp:127.0.0.1:0",
            "-kernel", os.path.join(d, "Image"),
            "-initrd", os.path.join(d, "initramfs.cpio.gz"),
            "-append", "console=ttyS0"]
    log = log_path("gdb-linux.log")
    gdb_out = {}

    def run_gdb():
        r = subprocess.run([GDB, "-batch", "-nx", "-x", script],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=240)
        gdb_out["text"] = r.stdout + r.stderr

    with GuestConsole(argv, log_path=log) as g:
        # gdb tries `target remote` once: start it when the stub listens.
        try:
            port = listen_port(g.proc, timeout=120)
        except OSError as e:
            tap(False, "the gdb stub listens", "%s\n%s" % (e, g.tail()))
            return 1
        with open(script, "w") as f:
            f.write(GDB_SCRIPT.replace("@PORT@", str(port))
                    .replace("@VMLINUX@", os.path.join(d, "vmlinux")))
        # A port probe first, as tools do (connect, close): the machine
        # must stay at the reset vector for gdb's first check.
        connect(("127.0.0.1", port)).close()
        t = threading.Thread(target=run_gdb)
        t.start()
        # The console is read (so the guest never blocks on it) while gdb
        # works; the guest gets to its shell only after gdb detached.
        booted, err = True, ""
        try:
            g.expect("mimic-guest: ready", timeout=240)
        except ConsoleTimeout as e:
            booted, err = False, str(e)
        t.join(250)
        text = gdb_out.get("text", "(gdb did not finish)")
        results = re.findall(r"^RESULT (ok|fail) (.*)$", text, re.M)
        if not results:
            tap(False, "gdb ran the session", text)
        for status, rest in results:
            name, _, detail = rest.partition(" :: ")
            tap(status == "ok", "gdb: " + name, detail or "")
        if results and len(results) != GDB_SCRIPT.count("\ncheck("):
            tap(False, "gdb ran every check", text)
        # What gdb printed for the watchpoint stop.
        m = re.search(r"Hardware watchpoint \d+: jiffies\s+Old value = (\d+)\s+"
                      r"New value = (\d+)", text)
        tap(m is not None and int(m.group(2)) == int(m.group(1)) + 1,
            "gdb printed the watchpoint's old and new values", text)
        tap(booted, "after detach the guest boots to its shell", err)
        if booted:
            try:
                g.quiet_shell()
                out, st = g.run("uname -m")
                tap(st == 0 and out.strip() == "riscv64",
                    "the guest answers a command (uname -m)", out)
            except ConsoleTimeout as e:
                tap(False, "the guest answers a command", str(e))
                booted = False
        if booted:
            attach_session(g, d, port, tmp)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
