#!/usr/bin/env python3
# targets: riscv64-softmmu
"""U-Boot on the PCI bus: Debian's u-boot-qemu (S-mode, under OpenSBI)
enumerates the bus (`pci`), reads the functions' headers and BARs it
assigned, drives virtio-blk-pci and virtio-net-pci through their legacy
I/O interface (U-Boot's driver for transitional devices) to read a disk
block and get a DHCP lease.  Each command's output must be QEMU's for the
same command line, when qemu-system-riscv64 is installed.  Prints TAP.
"""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, EMU, BUILD, log_path  # noqa: E402

UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
PATTERN = bytes(range(16))

COMMANDS = [
    "pci",
    "pci header 00.00.00",
    "pci header 00.01.00",
    "pci header 00.02.00",
    "pci header 00.03.00",
    "pci bar 00.01.00",
    "pci bar 00.02.00",
    "virtio scan; virtio info",
    "virtio read 0x84000000 0 1; md.b 0x84000000 0x10",
    "dhcp 0x84000000 nothing",
]


def argv_for(emu, disk):
    return [emu, "-M", "virt", "-m", "256M", "-nographic", "-kernel", UBOOT,
            "-device", "virtio-rng-pci",
            "-drive", "if=none,id=d0,file=%s,format=raw" % disk,
            "-device", "virtio-blk-pci,drive=d0",
            "-netdev", "user,id=n0",
            "-device", "virtio-net-pci,netdev=n0,romfile="]


def normalise(text):
    # Line ends, and the DHCP time, which is the host's.
    text = text.replace("\r", "")
    return re.sub(r"\(\d+ ms\)", "(N ms)", text).strip()


def session(emu, disk, name):
    """The output of each command (a dict), or an error string."""
    log = log_path("uboot-pci-%s.log" % name)
    outs = {}
    try:
        with GuestConsole(argv_for(emu, disk), log_path=log) as g:
            g.expect("Hit any key to stop autoboot", timeout=120)
            g.send("x")
            g.expect("=> ", timeout=60)
            for cmd in COMMANDS:
                g.send(cmd + "\r")
                g.expect(re.escape(cmd) + "\r?\n", timeout=60)
                m = g.expect(r"(?s)(.*?)\r?\n=> ", timeout=120)
                outs[cmd] = normalise(m.group(1).decode("utf-8", "replace"))
    except ConsoleTimeout as e:
        return str(e)
    return outs


def main():
    if not os.path.exists(UBOOT):
        print("1..0 # SKIP %s not installed (u-boot-qemu)" % UBOOT)
        return
    tmp = tempfile.mkdtemp(prefix="mimic-uboot-pci-")
    try:
        disk = os.path.join(tmp, "disk.raw")
        with open(disk, "wb") as f:
            f.write(PATTERN + bytes((4 << 20) - len(PATTERN)))
        mine = session(EMU, disk, "mimic")
        if not tap(isinstance(mine, dict), "U-Boot runs every command", mine):
            done()
            return
        pci = mine["pci"]
        tap(all(s in pci for s in ("00.00.00   0x1b36     0x0008",
                                   "00.01.00   0x1af4     0x1005",
                                   "00.02.00   0x1af4     0x1001",
                                   "00.03.00   0x1af4     0x1000")),
            "pci lists the host bridge, rng, blk and net", pci)
        tap("64     MEM   Prefetchable" in mine["pci bar 00.01.00"] and
            "I/O" in mine["pci bar 00.01.00"],
            "U-Boot assigned the I/O, 32-bit and 64-bit BARs",
            mine["pci bar 00.01.00"])
        tap("VirtIO Block Device" in mine["virtio scan; virtio info"] and
            "8192 x 512" in mine["virtio scan; virtio info"],
            "virtio scan finds the virtio-blk-pci disk",
            mine["virtio scan; virtio info"])
        rd = mine["virtio read 0x84000000 0 1; md.b 0x84000000 0x10"]
        tap("1 blocks read: OK" in rd and
            "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f" in rd,
            "virtio read gets the disk's first block", rd)
        tap("DHCP client bound to address 10.0.2.15" in mine[COMMANDS[-1]],
            "dhcp over virtio-net-pci gets 10.0.2.15", mine[COMMANDS[-1]])
        if shutil.which(QEMU) is None:
            tap(True, "# SKIP %s not installed: no comparison" % QEMU)
        else:
            theirs = session(QEMU, disk, "qemu")
            if tap(isinstance(theirs, dict), "the same line runs under QEMU",
                   theirs):
                for cmd in COMMANDS:
                    tap(mine[cmd] == theirs[cmd],
                        "'%s' prints what it prints under QEMU" % cmd,
                        "QEMU:\n%s\nMimic:\n%s" % (theirs[cmd], mine[cmd]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
