#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Boots OpenSBI + Linux + busybox from the image recipe (tests/images) on
Mimic with -smp 1 and -smp 2, runs commands at the shell, and powers off.
Prints TAP.  Skips (ok # SKIP) when the image cache has not been built.
"""
import hashlib
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, EMU, log_path  # noqa: E402


def boot_and_check(images, smp):
    log = log_path("linux-boot-smp%d.log" % smp)
    argv = [EMU, "-M", "virt", "-m", "256M", "-smp", str(smp), "-nographic",
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0"]
    start = time.monotonic()
    with GuestConsole(argv, log_path=log) as g:
        try:
            g.expect("OpenSBI", timeout=120)
            tap(True, "smp %d: OpenSBI starts" % smp)
            g.expect("Linux version", timeout=120)
            tap(True, "smp %d: Linux starts" % smp)
            g.expect("mimic-guest: ready", timeout=600)
            boot_s = time.monotonic() - start
            tap(True, "smp %d: boots to the shell (%.1f s)" % (smp, boot_s))
        except ConsoleTimeout as e:
            tap(False, "smp %d: boots to the shell" % smp, str(e))
            return
        try:
            g.quiet_shell()
            out, st = g.run("uname -m")
            tap(st == 0 and out.strip() == "riscv64",
                "smp %d: uname -m says riscv64" % smp, out)
            out, st = g.run("grep -c ^processor /proc/cpuinfo; grep -m1 ^isa /proc/cpuinfo")
            lines = out.split()
            tap(st == 0 and lines[:1] == [str(smp)] and "rv64" in out,
                "smp %d: /proc/cpuinfo lists %d harts and the isa" % (smp, smp), out)
            want = hashlib.sha256(bytes(32 << 20)).hexdigest()
            out, st = g.run("dd if=/dev/zero bs=1M count=32 2>/dev/null | sha256sum",
                            timeout=600)
            tap(st == 0 and want in out,
                "smp %d: sha256sum of 32 MiB is right" % smp, out)
            prog = ('BEGIN { s = 0; for (i = 1; i <= 20000; i++) s += 1 / (i * i); '
                    'printf "%.12f %.6e\\n", s, sqrt(2) * exp(1) / 3 }')
            s = sum(1.0 / (i * i) for i in range(1, 20001))
            import math
            want = "%.12f %.6e" % (s, math.sqrt(2) * math.exp(1) / 3)
            out, st = g.run("awk '%s'" % prog, timeout=300)
            tap(st == 0 and out.strip() == want,
                "smp %d: a floating-point workload gives %s" % (smp, want), out)
            out, st = g.run("date +%s")
            try:
                skew = abs(int(out.strip()) - time.time())
            except ValueError:
                skew = 1e9
            tap(st == 0 and skew < 120,
                "smp %d: date is close to the host's (%s s off)" % (smp, int(skew)), out)
            g.send("poweroff\n")
            rc = g.wait_exit(timeout=120)
            tap(rc == 0, "smp %d: poweroff exits the emulator with status 0" % smp,
                "exit status %d\n%s" % (rc, g.tail()))
        except ConsoleTimeout as e:
            tap(False, "smp %d: shell session" % smp, str(e))


def main():
    images = image_dir()
    if not images:
        tap(True, "Linux boot # SKIP no image cache (run tests/images/build.sh)")
    else:
        for smp in (1, 2):
            boot_and_check(images, smp)
    done()


main()
