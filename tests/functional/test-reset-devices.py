#!/usr/bin/env python3
# targets: riscv64-softmmu
"""A system reset puts every device of the virt board back to its power-on
state, whoever asks for it: the guest (the SiFive test device's 0x7777),
QMP's system_reset or HMP's (through human-monitor-command).  The guest,
tests/functional/guest/reset-devices.c, writes a register of each device
that keeps state (UART, CLINT, PLIC, RTC, virtio-mmio, CFI flash, a PCI
function) and of the hart, and after the reset reads them back: a device
that the machine's reset list misses keeps its value and fails here.
Prints TAP.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, connect, BUILD, EMU  # noqa: E402

GUEST = os.path.join(BUILD, "tests", "functional", "reset-devices.elf")
DEVICES = ["hart mscratch", "uart scratch", "clint mtimecmp", "plic priority",
           "plic enable", "plic threshold", "rtc irq enabled", "rtc alarm",
           "virtio-mmio status", "pflash read mode", "pci command"]


class Lines:
    """The emulator's stdout, line by line, read on a thread so that a
    wait can time out."""

    def __init__(self, f):
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(f,), daemon=True).start()

    def _read(self, f):
        for raw in f:
            with self.cond:
                self.lines.append(raw.decode(errors="replace").rstrip("\r\n"))
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)     # end of output
            self.cond.notify_all()

    def wait_for(self, text, timeout=60):
        with self.cond:
            return self.cond.wait_for(
                lambda: text in self.lines or None in self.lines, timeout) \
                and text in self.lines


def qmp(sock_path, proc, name, **args):
    s = connect(sock_path, proc)
    f = s.makefile("rw")
    json.loads(f.readline())
    for msg in ({"execute": "qmp_capabilities"},
                {"execute": name, "arguments": args} if args
                else {"execute": name}):
        f.write(json.dumps(msg) + "\n")
        f.flush()
        while True:
            r = json.loads(f.readline())
            if "event" not in r:
                break
    s.close()
    return r


def run(how, tmp):
    sock = os.path.join(tmp, "qmp-%s.sock" % how)
    p = subprocess.Popen([EMU, "-M", "virt", "-bios", "none", "-display",
                          "none", "-serial", "stdio", "-monitor", "none",
                          "-qmp", "unix:%s,server=on,wait=off" % sock,
                          "-device", "virtio-rng-device",
                          "-device", "virtio-rng-pci", "-kernel", GUEST],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = Lines(p.stdout)
    try:
        if not out.wait_for("dirty"):
            tap(False, "%s: the guest set up its devices" % how, out.lines)
            return
        if how == "guest":
            p.stdin.write(b"r")
            p.stdin.flush()
            r = {"return": {}}
        elif how == "qmp":
            r = qmp(sock, p, "system_reset")
        else:
            r = qmp(sock, p, "human-monitor-command",
                    **{"command-line": "system_reset"})
        finished = out.wait_for("done")
        rc = p.wait(60) if finished else None
        lines = [line for line in out.lines if line]
        tap("return" in r and finished and rc == 0,
            "%s: system_reset, the guest boots again and powers off" % how,
            "%s %s rc=%s" % (lines, r, rc))
        for dev in DEVICES:
            tap("ok " + dev in lines,
                "%s: %s is back to its reset value" % (how, dev),
                [line for line in lines if dev in line] or lines)
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stderr.close()
        p.stdin.close()


def main():
    if not os.path.exists(GUEST):
        print("1..0 # SKIP %s not built (riscv64-linux-gnu-gcc)" % GUEST)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for how in ("guest", "qmp", "hmp"):
            run(how, tmp)
    done()


main()
