#!/usr/bin/env python3
# targets: riscv64-softmmu
"""-device loader (QEMU's generic loader) and overlapping boot images:
- tiny bare-metal programs (hand-assembled below) loaded raw or as ELF,
  started through cpu-num=, reading a value that data= wrote, and loaded
  again at a system reset (the program resets once and then reports what
  it finds);
- the published lines: OpenSBI's docs/platform/qemu_virt.md runs U-Boot
  under fw_jump, both as -kernel and as -device loader at 0x80200000
  (FW_JUMP_ADDR);
- the loader's errors, and overlapping images, give the same messages as
  qemu-system-riscv64 (QEMU 7.2 checks board images among themselves and
  loader files among themselves: the same pairs are refused here).
Prints TAP.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, BUILD, EMU  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
EMU_ABS = os.path.abspath(EMU)
T = tempfile.mkdtemp(prefix="mimic-loader-")


def strip_san(text):
    """stderr without a sanitizer build's leak report (an error exit leaves
    its message unfreed)."""
    return text.split("\n=================================================================")[0]
FW_JUMP = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"

# hello: sb 'H' to the UART, then power off (0x5555 to the finisher).
HELLO = bytes([0o267, 2, 0, 0o20, 0o23, 3, 0o200, 4, 0o43, 0o200, 0o142, 0,
               0o267, 2, 0o20, 0, 0o67, 0o123, 0, 0, 0o23, 3, 0o123, 0o125,
               0o43, 0o240, 0o142, 0, 0o157, 0, 0, 0])
# data: the word at 0x80001000 to the finisher (0x2a3333: exit 42).
DATA = bytes.fromhex("b7021000370308001b0313001313c3008363030023a072006f000000")
# reset: counts its runs at 0x80002000 (RAM a reset keeps); the first run
# writes 7 over the word at 0x80001000 and resets the machine, the second
# exits with status 40 + that word: 42 if the loader wrote its 2 again.
RESET = bytes.fromhex(
    "b7021000370304001b0313001313d300b70308009b8313009393c300032503009305"
    "15002320b300631e05001306700023a0c300b77600009b86767723a0d2006f000000"
    "03a703001307870213170701b73700009b8737333367f70023a0e2006f000000")


def elf(code, addr, entry):
    """A minimal RV64 ELF executable: one PT_LOAD of code at addr."""
    ehdr = struct.pack("<4sBBBBB7xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0,
                       2, 243, 1, entry, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 7, 120, addr, addr, len(code),
                       len(code), 4)
    return ehdr + phdr + code


def write(name, data):
    p = os.path.join(T, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


def emu(args, timeout=60):
    r = subprocess.run([EMU_ABS, "-M", "virt", "-nographic", "-serial",
                        "stdio", "-monitor", "none"] + args, cwd=T,
                       capture_output=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    return r.returncode, r.stdout.decode(errors="replace"), \
        r.stderr.decode(errors="replace")


def bare_metal():
    write("hello.bin", HELLO)
    write("data.bin", DATA)
    write("reset.bin", RESET)
    write("hello.elf", elf(HELLO, 0x80300000, 0x80300000))
    rc, out, err = emu(["-bios", "none", "-device",
                        "loader,file=hello.bin,addr=0x80100000,cpu-num=0"])
    tap(rc == 0 and out.startswith("H"), "file= raw at addr, cpu-num=0 "
        "starts there (nothing at the start of RAM)", out + err)
    rc, out, err = emu(["-bios", "none", "-device",
                        "loader,file=hello.elf,cpu-num=0"])
    tap(rc == 0 and out.startswith("H"), "an ELF file at its own address, "
        "cpu-num=0 starts at its entry", out + err)
    rc, out, err = emu(["-bios", "none", "-device",
                        "loader,file=hello.bin,addr=0x80200000",
                        "-device", "loader,addr=0x80200000,cpu-num=0"])
    tap(rc == 0 and out.startswith("H"), "addr=,cpu-num= alone sets the "
        "start address", out + err)
    rc, out, err = emu(["-bios", "none", "-device",
                        "loader,file=data.bin,addr=0x80000000", "-device",
                        "loader,data=0x2a3333,data-len=4,addr=0x80001000"])
    tap(rc == 42, "data=,data-len=4 writes the value (the program exits "
        "with it: 42)", "%d %s" % (rc, err))
    rc, out, err = emu(["-bios", "none", "-device",
                        "loader,file=data.bin,addr=0x80000000", "-device",
                        "loader,data=0x33332a00,data-len=4,addr=0x80001000,"
                        "data-be=on"])
    tap(rc == 42, "data-be=on writes it big-endian", "%d %s" % (rc, err))
    rc, out, err = emu(["-bios", "none", "-device",
                        "loader,file=reset.bin,addr=0x80000000", "-device",
                        "loader,data=2,data-len=4,addr=0x80001000"])
    tap(rc == 42, "a system reset loads the loader's images again (47: the "
        "guest's write survived)", "%d %s" % (rc, err))


def opensbi_lines():
    if not (os.path.exists(FW_JUMP) and os.path.exists(UBOOT)):
        tap(True, "# SKIP fw_jump.bin or U-Boot not installed")
        return
    # OpenSBI docs/platform/qemu_virt.md: U-Boot as the fw_jump payload.
    for what, extra in (("-kernel u-boot.bin", ["-kernel", UBOOT]),
                        ("-device loader,file=u-boot.bin,addr=0x80200000",
                         ["-device", "loader,file=%s,addr=0x80200000" % UBOOT])):
        argv = [EMU, "-M", "virt", "-m", "256M", "-nographic", "-bios",
                FW_JUMP] + extra
        try:
            with GuestConsole(argv, log_path=os.path.join(
                    BUILD, "tests", "loader-uboot.log")) as g:
                g.expect("U-Boot", timeout=120)
                g.expect("=>", timeout=120)
                tap(True, "OpenSBI fw_jump runs U-Boot to its prompt: %s"
                    % what)
        except ConsoleTimeout as e:
            tap(False, "OpenSBI fw_jump runs U-Boot: %s" % what, e)


def run_both(args):
    """Both emulators, stopped (-S), told to quit by their monitor once
    they are up (QEMU checks for overlaps only after -dumpdtb would have
    exited); (status, stderr lines without the program name) of each."""
    out = []
    for prog in (QEMU, EMU_ABS):
        r = subprocess.run([prog, "-M", "virt", "-nographic", "-S",
                            "-serial", "none", "-monitor", "stdio"] + args,
                           cwd=T, capture_output=True, text=True, timeout=60,
                           input="quit\n")
        name = os.path.basename(prog) + ": "
        err = [ln[len(name):] if ln.startswith(name) else ln
               for ln in strip_san(r.stderr).splitlines()]
        out.append((r.returncode, err))
    return out


def same_as_qemu():
    write("a.bin", os.urandom(4096))
    write("b.bin", os.urandom(4096))
    write("k.elf", elf(b"\x6f\x00\x00\x00" + bytes(8190), 0x80000000,
                       0x80000000))
    cases = [
        (["-bios", "none", "-device", "loader,file=a.bin,addr=0x80000000",
          "-device", "loader,file=b.bin,addr=0x80000800"],
         "two loader files overlap"),
        (["-bios", "none", "-device", "loader,file=k.elf", "-device",
          "loader,file=a.bin,addr=0x80001000"], "a loader ELF and file"),
        (["-bios", "a.bin", "-kernel", "k.elf"], "-bios and an ELF -kernel"),
        (["-bios", "a.bin", "-device", "loader,file=b.bin,addr=0x80000000"],
         "a loader file over -bios (allowed, as QEMU)"),
        (["-bios", "none", "-device",
          "loader,file=a.bin,addr=0x80000000", "-device",
          "loader,data=0x12345678,data-len=4,addr=0x80000010"],
         "data= over a file (allowed)"),
        (["-bios", "none", "-device", "loader,file=nope.bin,addr=0x80000000"],
         "a missing file"),
        (["-bios", "none", "-device", "loader,data=1,addr=0x80000000"],
         "data without data-len"),
        (["-bios", "none", "-device", "loader,addr=0x80000000,cpu-num=5"],
         "a missing CPU"),
        (["-bios", "none", "-device", "loader,addr=0x80000000"],
         "addr without cpu-num"),
        (["-bios", "none", "-device", "loader,file=a.bin,addr=0x80000000,"
          "data=5"], "file and data"),
        (["-bios", "none", "-device", "loader,bogus=1"], "unknown property"),
        (["-bios", "none", "-device", "loader,file=a.bin,addr=xyz"],
         "addr not a number"),
        (["-bios", "none", "-device", "loader,data=1,data-len=9,"
          "addr=0x80000000"], "data-len 9"),
        (["-bios", "none", "-device", "loader"], "no properties"),
        (["-bios", "none", "-device", "loader,data=1,data-len=4,"
          "addr=0x80000000,force-raw=on"], "data and force-raw"),
    ]
    for args, what in cases:
        (q_rc, q_err), (m_rc, m_err) = run_both(args)
        # Mimic's warnings (a loader file over a board image) aside.
        m_err = [ln for ln in m_err if not ln.startswith("warning:")]
        tap(q_rc == m_rc and q_err == m_err, "as QEMU: %s" % what,
            "QEMU %d:\n%s\nMimic %d:\n%s" % (q_rc, "\n".join(q_err), m_rc,
                                             "\n".join(m_err)))
    (q_rc, _), (m_rc, m_err) = run_both(cases[3][0])
    tap(m_rc == 0 and any("is loaded over a.bin" in ln for ln in m_err),
        "a loader file over a board image gets a warning", m_err)


def main():
    bare_metal()
    same_as_qemu()
    opensbi_lines()
    shutil.rmtree(T, ignore_errors=True)
    done()


main()
