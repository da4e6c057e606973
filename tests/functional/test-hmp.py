#!/usr/bin/env python3
# targets: riscv64-softmmu
"""The human monitor driven by a script, against Linux from the image
recipe.  With -monitor stdio (the console in a file): info registers,
x/4i $pc, info cpus, info mtree, info mem once Linux is up, xp of OpenSBI's
first words, print, stop/cont, an unknown command, quit.  With -nographic
(serial and monitor share stdio): C-a c switches to the monitor, info
status, C-a c back, and the guest shell still answers.  Prints TAP; skips
without the images.
"""
import os
import re
import select
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, EMU, log_path  # noqa: E402

FIRMWARE = os.environ.get("MIMIC_DEFAULT_BIOS") or \
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
PROMPT = "(mimic) "


def boot_args(images):
    return ["-M", "virt", "-m", "256M", "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0"]


class Hmp:
    """The monitor on the emulator's stdin/stdout."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.buf = b""

    def read_until(self, text, timeout=20):
        deadline = time.monotonic() + timeout
        while text.encode() not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ConsoleTimeout("no %r; got %r" % (text, self.buf[-500:]))
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if r:
                data = os.read(self.proc.stdout.fileno(), 65536)
                if not data:
                    raise ConsoleTimeout("emulator exited; got %r" % self.buf[-500:])
                self.buf += data
        i = self.buf.index(text.encode()) + len(text)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out.decode("utf-8", "replace").replace("\r", "")

    def cmd(self, line, timeout=20):
        """Runs a command; returns its output (the echoed line removed)."""
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        out = self.read_until("\n" + PROMPT, timeout)
        out = out[:-len(PROMPT)]
        return out.split("\n", 1)[1] if "\n" in out else ""


def wait_for_file(path, text, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, "rb") as f:
                if text.encode() in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def monitor_on_stdio(images, tmp):
    console = os.path.join(tmp, "console.txt")
    m = Hmp([EMU] + boot_args(images) + ["-serial", "file:" + console,
                                         "-monitor", "stdio"])
    try:
        banner = m.read_until(PROMPT)
        tap("Mimic monitor - type 'help' for more information" in banner,
            "banner and prompt", banner)
        tap(wait_for_file(console, "mimic-guest: ready", 120),
            "Linux boots with the console in a file")
        out = m.cmd("stop") + m.cmd("info status")
        tap(out.strip() == "VM status: paused", "stop, then info status", out)
        out = m.cmd("info registers")
        pc = re.search(r"^ pc +([0-9a-f]{16})$", out, re.M)
        zero = re.search(r"x0/zero +([0-9a-f]{16})", out)
        pcv = int(pc.group(1), 16) if pc else 0
        # The guest may be stopped in OpenSBI, the kernel (Sv39 upper half)
        # or a user process (the lower half) under a loaded host.
        plausible = 0x1000 <= pcv < (1 << 38) or pcv >= 0xffffffc000000000
        tap(pc is not None and plausible and zero and int(zero.group(1), 16) == 0,
            "info registers (stopped): pc in OpenSBI, the kernel or user "
            "space, x0 is 0", out)
        out = m.cmd("x/4i $pc")
        lines = out.strip().split("\n")
        tap(len(lines) == 4 and lines[0].startswith("0x%016x:" % pcv) and
            all(re.match(r"0x[0-9a-f]{16}:  [0-9a-f]{4,8} +\S", l) for l in lines),
            "x/4i $pc disassembles four instructions from pc", out)
        out = m.cmd("cont") + m.cmd("info status")
        tap(out.strip() == "VM status: running", "cont, then info status", out)
        out = m.cmd("info cpus")
        tap(re.search(r"^\* CPU #0: thread_id=\d+", out, re.M) is not None,
            "info cpus", out)
        out = m.cmd("info mtree")
        tap("(prio 0, ram): riscv_virt.ram" in out and "serial" in out,
            "info mtree lists the RAM and the UART", out)
        out = m.cmd("info mem")
        good = (out.startswith("vaddr            paddr            size             attr") and
                re.search(r"^ffffffff8[0-9a-f]{7} 00000000802[0-9a-f]{5} [0-9a-f]{16} r.x.gad$",
                          out, re.M) is not None)
        if not good:
            # Failed once in ten runs with two make checks at once; the
            # whole table goes to the run's folder for a look.
            with open(log_path("hmp-info-mem.txt"), "w") as f:
                f.write(out)
        tap(good, "info mem: Linux's kernel mapping at 0xffffffff80000000",
            out[:3000])
        with open(FIRMWARE, "rb") as f:
            words = f.read(16)
        want = "0000000080000000: " + " ".join(
            "0x%08x" % int.from_bytes(words[i:i + 4], "little") for i in range(0, 16, 4))
        out = m.cmd("xp/4x 0x80000000")
        tap(out.strip() == want, "xp/4x 0x80000000 reads OpenSBI's first words",
            "%s\nwant %s" % (out, want))
        out = m.cmd("xp/2i 0x80000000 + 4 - 4")
        tap(out.startswith("0x0000000080000000:  ") and out.count("\n") == 2,
            "xp/2i with an expression", out)
        out = m.cmd("print $sp + 0x10")
        tap(re.fullmatch(r"0x[0-9a-f]+\n", out) is not None, "print $sp + 0x10", out)
        out = m.cmd("x/2x $nosuchreg")
        tap("unknown register" in out, "an unknown register is an error", out)
        out = m.cmd("xp/2g 0x0") + m.cmd("x/2g 0x10")
        tap(out.count("Cannot access memory at 0x0000000000000") == 2,
            "x and xp where nothing is mapped are errors", out)
        out = m.cmd("frobnicate the widget")
        out2 = m.cmd("info version")
        tap("unknown command: 'frobnicate'" in out and "0.1.0" in out2,
            "an unknown command is an error and the monitor goes on", out + out2)
        m.proc.stdin.write(b"quit\n")
        m.proc.stdin.flush()
        rc = m.proc.wait(timeout=30)
        tap(rc == 0, "quit exits with status 0", rc)
    except (ConsoleTimeout, OSError, subprocess.TimeoutExpired) as e:
        tap(False, "monitor on stdio", e)
    finally:
        if m.proc.poll() is None:
            m.proc.kill()
            m.proc.wait()


def monitor_on_mux(images):
    argv = [EMU] + boot_args(images) + ["-nographic"]
    log = log_path("hmp-mux-console.log")
    with GuestConsole(argv, log_path=log) as g:
        try:
            g.expect("mimic-guest: ready", timeout=120)
            g.send("\x01c")
            g.expect(re.escape("Mimic monitor - type 'help' for more information")
                     + r"\r?\n" + re.escape(PROMPT), timeout=10)
            g.send("info status\n")
            g.expect(r"VM status: running\r?\n" + re.escape(PROMPT), timeout=10)
            tap(True, "C-a c: the monitor on the shared console, info status")
            g.send("\x01c")
            g.send("echo mux-$((40 + 2))\n")
            g.expect(r"mux-42", timeout=30)
            tap(True, "C-a c again: the guest shell answers")
            g.send("\x01c")
            g.expect(re.escape(PROMPT), timeout=10)
            g.send("quit\n")
            rc = g.wait_exit(timeout=30)
            tap(rc == 0, "quit from the shared console exits with status 0", rc)
        except ConsoleTimeout as e:
            tap(False, "monitor on the serial mux", e)


def main():
    images = image_dir()
    if not images:
        tap(True, "HMP # SKIP images not built (sh tests/images/build.sh)")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            monitor_on_stdio(images, tmp)
        monitor_on_mux(images)
    done()


main()
