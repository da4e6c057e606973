#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Linux on the PCI bus of the virt board: a script written for
qemu-system-riscv64 that plugs virtio-blk-pci (on a -drive if=none),
virtio-net-pci (on a -netdev user) and virtio-rng-pci runs unchanged.  The
guest lists the bus (lspci when the image has it, and the IDs, class and
revision from /sys, which every image has) with QEMU's IDs; /dev/vda reads
back the host's data; DHCP gives the NIC 10.0.2.15; /dev/hwrng is the
virtio rng.  The same command line under qemu-system-riscv64, when
installed, must give the guest the same listing.  Prints TAP; skips when
the images are not built (make images).
"""
import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, linux_argv, BUILD, log_path  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")

# The IDs, class and revision of every function, from sysfs.
LIST_SYS = ("for d in /sys/bus/pci/devices/*; do echo ${d##*/} "
            "$(cat $d/vendor $d/device $d/subsystem_vendor "
            "$d/subsystem_device $d/class $d/revision); done")
LIST_LSPCI = "command -v lspci >/dev/null && lspci || echo no-lspci"

EXPECTED_SYS = [
    "0000:00:00.0 0x1b36 0x0008 0x1af4 0x1100 0x060000 0x00",
    "0000:00:01.0 0x1af4 0x1001 0x1af4 0x0002 0x010000 0x00",
    "0000:00:02.0 0x1af4 0x1000 0x1af4 0x0001 0x020000 0x00",
    "0000:00:03.0 0x1af4 0x1005 0x1af4 0x0004 0x00ff00 0x00",
]


def device_args(disk):
    # romfile= : QEMU looks for a PC option ROM for virtio-net-pci, which
    # Debian's riscv64 QEMU does not ship; the empty value is valid on both.
    return ["-drive", "if=none,id=d0,file=%s,format=raw" % disk,
            "-device", "virtio-blk-pci,drive=d0",
            "-netdev", "user,id=n0",
            "-device", "virtio-net-pci,netdev=n0,romfile=",
            "-device", "virtio-rng-pci"]


def boot(argv, log):
    g = GuestConsole(argv, log_path=log)
    g.expect("mimic-guest: ready", timeout=600)
    g.quiet_shell()
    return g


def monitor(g, cmd):
    """cmd's output on the monitor (C-a c switches the console to it)."""
    g.send("\x01c")
    g.expect(r"\((qemu|mimic)\) ", timeout=60)
    g.send(cmd + "\n")
    m = g.expect(r"(?s)(.*?)\((qemu|mimic)\) ", timeout=60)
    g.send("\x01c")
    # The first line is the echoed command (QEMU's with line-editing
    # escapes).
    out = m.group(1).decode("utf-8", "replace").replace("\r", "")
    return out.split("\n", 1)[-1].strip()


def listings(g):
    sysl, st1 = g.run(LIST_SYS, timeout=120)
    lsp, st2 = g.run(LIST_LSPCI, timeout=120)
    info = monitor(g, "info pci")
    g.run("true", timeout=60)
    return ([ln.strip() for ln in sysl.splitlines() if ln.strip()],
            lsp.strip(), st1 == 0 and st2 == 0, info)


def session(images, disk, data):
    argv = linux_argv(images, *device_args(disk))
    log = log_path("linux-pci.log")
    try:
        g = boot(argv, log)
    except ConsoleTimeout as e:
        tap(False, "Linux boots with virtio-blk-pci, virtio-net-pci and "
            "virtio-rng-pci", e)
        return None
    with g:
        sysl, lsp, ok, info = listings(g)
        tap(ok and sysl == EXPECTED_SYS,
            "the guest lists the host bridge and the three functions with "
            "QEMU's IDs, subsystems, classes and revisions", "\n".join(sysl))
        tap("BAR4: 64 bit prefetchable memory at 0x400000000 [0x400003fff]"
            in info, "info pci shows the BARs Linux assigned", info)
        mtree = monitor(g, "info mtree")
        g.run("true", timeout=60)
        tap(re.search(r"0000000400000000-0000000400000fff \(prio 0, i/o\): "
                      r"virtio-pci-common-virtio-blk", mtree) is not None,
            "info mtree shows virtio-blk-pci's common config in its BAR",
            mtree)
        if lsp != "no-lspci":
            tap("1af4:1001" in lsp and "1af4:1000" in lsp and "1af4:1005" in lsp,
                "lspci lists them", lsp)
        out, st = g.run("dd if=/dev/vda bs=65536 count=1 2>/dev/null | "
                        "sha256sum", timeout=120)
        tap(st == 0 and hashlib.sha256(data).hexdigest() in out,
            "/dev/vda (virtio-blk-pci) reads the host's data", out)
        out, st = g.run("udhcpc -i eth0 -n -q -t 5 >/dev/null 2>&1; "
                        "ip -4 addr show eth0", timeout=300)
        tap(st == 0 and "10.0.2.15/24" in out,
            "DHCP gives the virtio-net-pci NIC 10.0.2.15", out)
        out, st = g.run("cat /sys/class/misc/hw_random/rng_current; "
                        "head -c 32 /dev/hwrng | wc -c", timeout=120)
        tap(st == 0 and "virtio_rng" in out and out.split()[-1] == "32",
            "/dev/hwrng reads from virtio-rng-pci", out)
        out, st = g.run("grep -c virtio /proc/interrupts", timeout=60)
        tap(st == 0 and out.strip() == "3",
            "each function has its INTx line", out)
        g.send("poweroff\n")
        rc = g.wait_exit(300)
        tap(rc == 0, "poweroff ends the emulator with status 0", rc)
    return sysl, lsp, info


def qemu_session(images, disk, mine):
    if shutil.which(QEMU) is None:
        tap(True, "# SKIP %s not installed: no comparison" % QEMU)
        return
    argv = [QEMU] + linux_argv(images, *device_args(disk))[1:]
    log = log_path("linux-pci-qemu.log")
    try:
        with boot(argv, log) as g:
            theirs = listings(g)
    except ConsoleTimeout as e:
        tap(False, "the same command line boots under QEMU", e)
        return
    tap(theirs[0] == mine[0],
        "QEMU's guest lists the same functions (sysfs)",
        differ("\n".join(theirs[0]), "\n".join(mine[0])))
    tap(theirs[1] == mine[1], "QEMU's guest's lspci is the same",
        differ(theirs[1], mine[1]))
    tap(theirs[3] == mine[2], "info pci prints what QEMU's does",
        differ(theirs[3], mine[2]))


def differ(theirs, mine):
    """Where QEMU's text and Mimic's differ (a unified diff: the whole
    texts are longer than a failure shows)."""
    return "\n".join(difflib.unified_diff(
        theirs.splitlines(), mine.splitlines(), "QEMU", "Mimic", lineterm=""))


def main():
    images = image_dir()
    if images is None:
        print("1..0 # SKIP no image cache (run 'make images')")
        return
    tmp = tempfile.mkdtemp(prefix="mimic-pci-")
    try:
        data = os.urandom(65536)
        disk = os.path.join(tmp, "disk.raw")
        with open(disk, "wb") as f:
            f.write(data + bytes(4 << 20))
        mine = session(images, disk, data)
        if mine is not None:
            qemu_session(images, disk, mine)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
