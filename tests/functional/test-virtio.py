#!/usr/bin/env python3
"""Virtio devices under Linux (the image recipe's kernel and busybox):
virtio-rng feeds /dev/hwrng.  Prints TAP; skips when the images are not
built.  (Bare-metal checks of the transport and of bad descriptor chains
are in tests/tcg/riscv64/virtio_rng.c.)
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402

BUILD = os.environ.get("BUILD_DIR", "build")
EMU = os.path.join(BUILD, "mimic-system-riscv64")
n = 0


def tap(ok, name, detail=""):
    global n
    n += 1
    print("%sok %d - %s" % ("" if ok else "not ", n, name))
    if not ok and detail:
        for line in detail.splitlines()[-30:]:
            print("#   " + line)
    sys.stdout.flush()


def image_dir():
    r = subprocess.run(["sh", "tests/images/build.sh", "--dir"],
                       capture_output=True, text=True)
    d = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    return d if os.path.exists(os.path.join(d, "Image")) else None


def linux_argv(images, *extra):
    return [EMU, "-M", "virt", "-m", "256M", "-nographic",
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0"] + list(extra)


def test_rng(images):
    log = os.path.join(BUILD, "tests", "virtio-rng.log")
    with GuestConsole(linux_argv(images, "-device", "virtio-rng-device"),
                      log_path=log) as g:
        try:
            g.expect("mimic-guest: ready", timeout=300)
            g.quiet_shell()
        except ConsoleTimeout as e:
            tap(False, "virtio-rng: Linux boots", str(e))
            return
        out, st = g.run("cat /sys/class/misc/hw_random/rng_current")
        tap(st == 0 and out.strip().startswith("virtio_rng"),
            "virtio-rng: Linux uses it as its hardware RNG", out)
        out, st = g.run("dd if=/dev/hwrng bs=256 count=4 2>/dev/null | "
                        "hexdump -v -e '1/1 \"%02x\\n\"' | sort -u | wc -l")
        distinct = int(out.split()[-1]) if st == 0 and out.split() else 0
        tap(distinct > 200,
            "virtio-rng: 1 KiB from /dev/hwrng has %d distinct byte values"
            % distinct, out)


def main():
    images = image_dir()
    if not images:
        print("ok 1 - # SKIP guest images not built (make images)")
        print("1..1")
        return
    test_rng(images)
    print("1..%d" % n)


main()
