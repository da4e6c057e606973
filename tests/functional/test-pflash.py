#!/usr/bin/env python3
# targets: riscv64-softmmu
"""-drive if=pflash, the CFI flash of the virt board:
- the bare-metal driver of tests/tcg/riscv64/pflash_cfi.c erases a block
  and programs words; the host then finds them in the image file, and
  the block's other bytes erased; with readonly=on the same program gets
  error statuses and the file does not change;
- the image size rule and the placement errors are QEMU's;
- Linux (the test image's kernel has MTD_PHYSMAP_OF and CFI_INTELEXT)
  lists the flash in /proc/mtd, as under qemu-system-riscv64 with the same
  line, and flash_eraseall and flashcp (busybox) on /dev/mtd0 write data
  that the host reads from the image.
Bank 0 images begin with a jump to 0x80000000: on QEMU 7.2's virt (and
here) the harts start in bank 0 when it has an image.
Prints TAP; the Linux part skips when the images are not built or the
kernel has no MTD.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, linux_argv, log_path, BUILD, EMU  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
T = tempfile.mkdtemp(prefix="mimic-pflash-")


def strip_san(text):
    """stderr without a sanitizer build's leak report (an error exit leaves
    its message unfreed)."""
    return text.split("\n=================================================================")[0]
ELF = os.path.join(BUILD, "tests", "tcg", "riscv64", "pflash_cfi.elf")
BANK = 32 << 20
BLOCK = 256 << 10
# li t0, 1; slli t0, t0, 31; jr t0
STUB = bytes.fromhex("9302100093 92f201 67800200".replace(" ", ""))


def flash_image(name, size=BANK):
    path = os.path.join(T, name)
    with open(path, "wb") as f:
        f.truncate(size)
        f.write(STUB)
    return path


def bare_metal():
    if not os.path.exists(ELF):
        tap(True, "# SKIP %s not built (make tcg-tests)" % ELF)
        return
    img = flash_image("bm.img")
    with open(img, "r+b") as f:        # block 1 holds old data
        f.seek(BLOCK)
        f.write(b"\x5a" * BLOCK)
    r = subprocess.run([EMU, "-M", "virt", "-bios", "none", "-nographic",
                        "-drive", "file=%s,format=raw,if=pflash" % img,
                        "-kernel", ELF], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    tap(r.returncode == 0 and "OK pflash_cfi" in r.stdout,
        "the bare-metal CFI driver passes (query, ids, erase, program, "
        "buffered program, code run in place)", r.stdout + r.stderr)
    data = open(img, "rb").read()
    words = [int.from_bytes(data[BLOCK + 4 * i:BLOCK + 4 * i + 4], "little")
             for i in range(4)]
    tap(words == [0x600dc0d0 + i for i in range(4)],
        "the programmed words are in the image file", [hex(w) for w in words])
    buf = [int.from_bytes(data[BLOCK + 0x100 + 4 * i:BLOCK + 0x104 + 4 * i],
                          "little") for i in range(16)]
    tap(buf == [0xb0f00000 | i for i in range(16)],
        "the buffered program is in the image file")
    tap(data[BLOCK + 0x300:2 * BLOCK] == b"\xff" * (BLOCK - 0x300) and
        data[:len(STUB)] == STUB and data[2 * BLOCK:2 * BLOCK + 16] == bytes(16),
        "the erased block reads all ones in the file; the others are as "
        "they were")
    before = open(img, "rb").read()
    r = subprocess.run([EMU, "-M", "virt", "-bios", "none", "-nographic",
                        "-drive", "file=%s,format=raw,if=pflash,readonly=on"
                        % img, "-kernel", ELF], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    # The erase error (0x20), then the program error (0x10) added to it:
    # status bits stay until a clear status.
    tap(r.returncode != 0 and "s & CMD(0x30) == 0 got 0x0000000000200020"
        in r.stdout and "got 0x0000000000300030" in r.stdout,
        "readonly=on: erase and program end with error statuses", r.stdout)
    tap(open(img, "rb").read() == before, "readonly=on: the file is "
        "unchanged")


def same_errors():
    small = flash_image("small.img", 1 << 20)
    img = flash_image("ok.img")
    for args, what in ((["-drive", "file=%s,format=raw,if=pflash" % small],
                        "an image of the wrong size"),
                       (["-drive", "file=%s,format=raw,if=pflash,unit=2"
                         % img], "unit=2"),
                       (["-M", "virt,pflash0=p0", "-blockdev",
                         "driver=file,node-name=p0,filename=%s" % img],
                        "-machine pflash0= (not in QEMU 7.2)")):
        out = []
        for prog in (QEMU, EMU):
            r = subprocess.run([prog, "-M", "virt", "-nographic", "-bios",
                                "none", "-S", "-monitor", "none", "-serial",
                                "none"] + args, capture_output=True,
                               text=True, timeout=30, stdin=subprocess.DEVNULL)
            msg = strip_san(r.stderr).strip().split(": ")[-1]
            out.append((r.returncode, msg))
        ok = out[0][0] == out[1][0] == 1 and (out[0][1] == out[1][1] or
                                              "pflash0" in what)
        tap(ok, "as QEMU, refused: %s" % what, out)


def boot(prog, images, img, log):
    argv = linux_argv(images, "-drive", "file=%s,format=raw,if=pflash" % img)
    argv[0] = prog
    g = GuestConsole(argv, log_path=log_path(log))
    g.expect("mimic-guest: ready", timeout=600)
    g.quiet_shell()
    return g


def linux(images):
    img = flash_image("linux.img")
    try:
        with boot(EMU, images, img, "pflash-linux.log") as g:
            mtd, st = g.run("cat /proc/mtd", timeout=60)
            if st != 0 or "mtd0" not in mtd:
                tap(True, "# SKIP the guest kernel has no MTD (%s)" %
                    mtd.strip().replace("\n", " "))
                return
            tap("mtd0" in mtd, "Linux lists the flash in /proc/mtd", mtd)
            out, st = g.run("flash_eraseall /dev/mtd0 >/dev/null 2>&1; "
                            "echo erased=$?", timeout=600)
            tap("erased=0" in out, "flash_eraseall /dev/mtd0", out)
            out, st = g.run("printf 'written by Linux through flashcp' "
                            ">/tmp/d && flashcp /tmp/d /dev/mtd0 && "
                            "echo flashcp=ok", timeout=300)
            tap("flashcp=ok" in out, "flashcp /tmp/d /dev/mtd0", out)
            g.send("poweroff\n")
            g.wait_exit(120)
    except ConsoleTimeout as e:
        tap(False, "Linux with the flash", e)
        return
    data = open(img, "rb").read()
    tap(data.startswith(b"written by Linux through flashcp") and
        data[BLOCK:BLOCK + 64] == b"\xff" * 64,
        "the host reads flashcp's data from the image, the rest erased",
        data[:40])
    qimg = flash_image("qemu.img")
    try:
        with boot(QEMU, images, qimg, "pflash-linux-qemu.log") as g:
            qmtd, st = g.run("cat /proc/mtd", timeout=120)
            tap(qmtd == mtd, "/proc/mtd is the same under QEMU",
                "QEMU: %r\nMimic: %r" % (qmtd, mtd))
    except ConsoleTimeout as e:
        tap(False, "Linux with the flash under QEMU", e)


def main():
    bare_metal()
    same_errors()
    images = os.environ.get("MIMIC_TEST_IMAGES") or image_dir()
    if not images:
        tap(True, "# SKIP guest images not built (make images)")
    else:
        linux(images)
    shutil.rmtree(T, ignore_errors=True)
    done()


main()
