#!/usr/bin/env python3
# targets: riscv64-softmmu
"""-machine virt,dumpdtb=FILE against qemu-system-riscv64's for the same
line (decoded with dtc): every node Mimic's device tree has is in QEMU's,
with the same properties and values, but for the known, deliberate
differences listed below.  The default machine, and one with -smp 2, more
RAM, a kernel command line and virtio-mmio devices.  Prints TAP; skips
without dtc or QEMU.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, EMU  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")

# (node, property): why the value differs.
KNOWN = {
    ("/chosen", "rng-seed"): "random on every run, in both",
    ("/cpus/cpu@0", "riscv,isa"): "Mimic's rv64 has no H, Zihintpause, "
    "Zba/Zbb/Zbc/Zbs or Sstc",
    ("/cpus/cpu@1", "riscv,isa"): "as cpu@0",
    ("/soc/plic@c000000", "riscv,ndev"): "95, the sources after 0 (QEMU 7.2 "
    "says 96, one past its last source)",
}
# Nodes only Mimic has.
EXTRA = {"/aliases": "serial0, for earlycon"}


def parse(dts):
    """{node path: {property: value}} from dtc's output."""
    nodes, stack = {}, []
    for line in dts.splitlines():
        line = line.strip()
        if line.endswith("{"):
            name = line[:-1].strip().split(":")[-1].strip()
            stack = [""] if name == "/" else stack + [name]
            nodes["/".join(stack) or "/"] = {}
        elif line.startswith("};"):
            stack.pop()
        elif line.endswith(";") and stack:
            m = re.match(r"([^=]+?)(?: = (.*))?;$", line)
            if m:
                nodes["/".join(stack) or "/"][m.group(1).strip()] = m.group(2)
    return nodes


def dump(prog, tmp, extra):
    path = os.path.join(tmp, os.path.basename(prog) + ".dtb")
    r = subprocess.run([prog, "-M", "virt,dumpdtb=" + path] + extra,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return None, r.stderr
    d = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", path],
                       capture_output=True, text=True)
    return parse(d.stdout), r.stderr


def differences(mine, qemu):
    out = []
    for node in sorted(mine):
        if node in EXTRA:
            continue
        if node not in qemu:
            out.append("node %s is not in QEMU's tree" % node)
            continue
        for prop in sorted(set(mine[node]) | set(qemu[node])):
            if (node, prop) in KNOWN:
                continue
            if prop not in qemu[node]:
                out.append("%s: %s is not in QEMU's" % (node, prop))
            elif prop not in mine[node]:
                out.append("%s: QEMU's %s is missing" % (node, prop))
            elif mine[node][prop] != qemu[node][prop]:
                out.append("%s: %s = %s, QEMU's %s" % (
                    node, prop, mine[node][prop], qemu[node][prop]))
    return out


def main():
    if not shutil.which("dtc") or not shutil.which(QEMU):
        print("1..0 # SKIP needs dtc and %s" % QEMU)
        return
    tmp = tempfile.mkdtemp(prefix="mimic-dtbq-")
    kernel = os.path.join(tmp, "spin.bin")
    with open(kernel, "wb") as f:
        f.write(b"\x6f\x00\x00\x00")          # j .
    lines = [
        ("the default machine", []),
        ("-smp 2 -m 512M, a kernel and -append, virtio devices",
         ["-smp", "2", "-m", "512M", "-kernel", kernel, "-append",
          "console=ttyS0", "-device", "virtio-rng-device",
          "-device", "virtio-serial-device", "-display", "none"]),
    ]
    try:
        for name, extra in lines:
            mine, e1 = dump(EMU, tmp, extra)
            qemu, e2 = dump(QEMU, tmp, extra)
            if mine is None or qemu is None:
                tap(False, "dumpdtb of %s by both" % name, e1 + e2)
                continue
            diff = differences(mine, qemu)
            tap(not diff, "%s: every node of Mimic's tree is QEMU's, with "
                "QEMU's properties" % name, "\n".join(diff))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
