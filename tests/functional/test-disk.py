#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Disks under Linux and U-Boot (virtio-blk on raw and qcow2 images):
- an ext4 image made on the host with mke2fs -d: the guest reads a file and
  checks its digest, writes a file, syncs and powers off; the host finds
  the new file with debugfs;
- the same on a qcow2 overlay over a raw backing file: qemu-img check is
  clean, the backing file is untouched, and what qemu-img reads matches;
- crash safety: the guest writes without pause while the host kills the
  emulator with SIGKILL at random moments; qemu-img check exits 0 or 3
  (leaks only) every time and e2fsck can recover the filesystem;
- SIGTERM flushes and closes the image (qemu-img check finds no leak);
- U-Boot (Debian's u-boot-qemu, S-mode, under OpenSBI) boots the kernel
  and initramfs of an extlinux.conf on the disk, to the shell;
- bad input: a truncated qcow2 image (an error at start-up), an L2 entry
  pointing past the end of the file (an I/O error in the guest, which goes
  on), and the -drive errors.
Prints TAP; the guest parts skip when the images are not built.
"""
import hashlib
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, linux_argv, BUILD, EMU, log_path  # noqa: E402

IMG = os.path.join(BUILD, "mimic-img")
UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
tmp = tempfile.mkdtemp(prefix="mimic-disk-")


def sh(*cmd, check=True):
    r = subprocess.run(list(cmd), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r


def make_ext4(path, size_mb, files):
    root = tempfile.mkdtemp(dir=tmp)
    for name, data in files.items():
        full = os.path.join(root, name)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    sh("mke2fs", "-q", "-F", "-t", "ext4", "-d", root, path, "%dM" % size_mb)


def boot(images, log, *extra):
    g = GuestConsole(linux_argv(images, *extra), log_path=log_path(log))
    g.expect("mimic-guest: ready", timeout=300)
    g.quiet_shell()
    return g


def guest_rw(images, drive, want, tag, log):
    """Mounts /dev/vda, checks data.bin's digest, writes new.txt, powers
    off; returns True if all went well."""
    try:
        with boot(images, log, "-drive", drive) as g:
            out, st = g.run("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt && "
                            "sha256sum /mnt/data.bin", timeout=120)
            tap(st == 0 and want in out,
                "%s: the guest reads the host's file intact" % tag, out)
            out, st = g.run("echo %s > /mnt/new.txt && sync && umount /mnt"
                            % tag, timeout=120)
            tap(st == 0, "%s: the guest writes a file and syncs" % tag, out)
            g.send("poweroff\n")
            rc = g.wait_exit(60)
            tap(rc == 0, "%s: poweroff exits 0" % tag, rc)
            return True
    except ConsoleTimeout as e:
        tap(False, "%s: guest session" % tag, e)
        return False


def test_raw(images):
    data = os.urandom(3 << 20)
    want = hashlib.sha256(data).hexdigest()
    disk = os.path.join(tmp, "raw.img")
    make_ext4(disk, 64, {"data.bin": data})
    if guest_rw(images, "file=%s,format=raw,if=virtio" % disk, want, "raw",
                "disk-raw.log"):
        r = sh("debugfs", "-R", "cat /new.txt", disk, check=False)
        tap(r.stdout.strip() == "raw", "raw: debugfs finds the guest's file "
            "in the image", r.stdout + r.stderr)


def test_qcow2(images):
    data = os.urandom(2 << 20)
    want = hashlib.sha256(data).hexdigest()
    base = os.path.join(tmp, "base.raw")
    make_ext4(base, 64, {"data.bin": data})
    base_sum = hashlib.sha256(open(base, "rb").read()).hexdigest()
    ov = os.path.join(tmp, "overlay.qcow2")
    sh(IMG, "create", "-f", "qcow2", "-b", base, "-F", "raw", ov)
    if not guest_rw(images, "file=%s,if=virtio" % ov, want, "qcow2",
                    "disk-qcow2.log"):
        return
    r = sh("qemu-img", "check", ov, check=False)
    tap(r.returncode == 0, "qcow2: qemu-img check of the overlay is clean",
        r.stdout + r.stderr)
    tap(hashlib.sha256(open(base, "rb").read()).hexdigest() == base_sum,
        "qcow2: the backing file is unchanged")
    flat = os.path.join(tmp, "flat.raw")
    sh("qemu-img", "convert", "-O", "raw", ov, flat)
    r = sh("qemu-img", "compare", ov, flat, check=False)
    tap(r.returncode == 0, "qcow2: qemu-img compare: overlay == its raw copy",
        r.stdout + r.stderr)
    r = sh("debugfs", "-R", "cat /new.txt", flat, check=False)
    tap(r.stdout.strip() == "qcow2", "qcow2: debugfs finds the guest's file "
        "through qemu-img's reading of the overlay", r.stdout + r.stderr)


def test_crash(images, rounds=4):
    disk = os.path.join(tmp, "crash.qcow2")
    raw = os.path.join(tmp, "crash-base.raw")
    make_ext4(raw, 128, {"seed": b"x"})
    sh("qemu-img", "convert", "-O", "qcow2", raw, disk)
    # Writes forever, syncing now and then, so a kill lands mid-write.
    writer = ("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt && i=0 && "
              "while true; do dd if=/dev/urandom of=/mnt/f$((i % 40)) bs=64k "
              "count=8 2>/dev/null; i=$((i+1)); [ $((i % 5)) = 0 ] && sync; done")
    rng = random.Random(1234)
    results = []
    for r in range(rounds):
        p = subprocess.Popen(linux_argv(images, "-drive", "file=%s,if=virtio" % disk),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        g = GuestConsole.__new__(GuestConsole)
        g.argv, g.buf, g.log, g.proc, g.seq = None, b"", None, p, 0
        try:
            g.expect("mimic-guest: ready", timeout=300)
            g.send(writer + "\n")
            time.sleep(1.0 + rng.random() * 3.0)
        except ConsoleTimeout as e:
            tap(False, "crash round %d: boot" % r, e)
        p.send_signal(signal.SIGKILL)
        p.wait()
        c = sh("qemu-img", "check", disk, check=False)
        results.append(c.returncode)
        tap(c.returncode in (0, 3), "kill -9 round %d: qemu-img check exits "
            "%d (0 clean, 3 leaks only)" % (r + 1, c.returncode), c.stdout + c.stderr)
    flat = os.path.join(tmp, "crash-flat.raw")
    sh("qemu-img", "convert", "-O", "raw", disk, flat)
    e = sh("e2fsck", "-fy", flat, check=False)
    tap(e.returncode < 4, "after the kills, e2fsck recovers the filesystem "
        "(exit %d)" % e.returncode, e.stdout + e.stderr)


def test_sigterm(images):
    disk = os.path.join(tmp, "term.qcow2")
    raw = os.path.join(tmp, "term-base.raw")
    make_ext4(raw, 64, {"seed": b"x"})
    sh("qemu-img", "convert", "-O", "qcow2", raw, disk)
    try:
        with boot(images, "disk-sigterm.log", "-drive", "file=%s,if=virtio" % disk) as g:
            out, st = g.run("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt && "
                            "dd if=/dev/urandom of=/mnt/big bs=1M count=8 "
                            "2>/dev/null && sync", timeout=120)
            g.proc.send_signal(signal.SIGTERM)
            rc = g.wait_exit(60)
            tap(rc == 0, "SIGTERM: the emulator exits 0", rc)
    except ConsoleTimeout as e:
        tap(False, "SIGTERM: guest session", e)
        return
    c = sh("qemu-img", "check", disk, check=False)
    tap(c.returncode == 0, "SIGTERM: the image was flushed and closed "
        "(qemu-img check: no leak, no corruption)", c.stdout + c.stderr)


def test_discard(images):
    """One guest, two qcow2 disks: vda with discard=unmap, vdb with the
    default (ignore).  The guest fills a file, deletes it and runs fstrim:
    vda's clusters are freed, vdb's stay; both images stay clean."""
    raw = os.path.join(tmp, "trim-base.raw")
    make_ext4(raw, 64, {"seed": b"x"})
    disks = [os.path.join(tmp, "trim-%s.qcow2" % m) for m in ("unmap", "ignore")]
    for d in disks:
        sh("qemu-img", "convert", "-O", "qcow2", raw, d)
    fill = ("mkdir -p /mnt/{d} && mount -t ext4 /dev/{d} /mnt/{d} && "
            "dd if=/dev/urandom of=/mnt/{d}/big bs=1M count=24 2>/dev/null && "
            "sync && rm /mnt/{d}/big && sync && fstrim /mnt/{d} && "
            "umount /mnt/{d}")
    try:
        with boot(images, "disk-discard.log",
                  "-drive", "file=%s,if=virtio,discard=unmap" % disks[0],
                  "-drive", "file=%s,if=virtio" % disks[1]) as g:
            for d in ("vda", "vdb"):
                out, st = g.run(fill.format(d=d), timeout=300)
                tap(st == 0, "discard: the guest fills, deletes and trims "
                    "on %s" % d, out)
            g.send("poweroff\n")
            g.wait_exit(60)
    except ConsoleTimeout as e:
        tap(False, "discard: guest session", e)
        return
    alloc = []
    for d in disks:
        c = sh("qemu-img", "check", "--output=json", d, check=False)
        tap(c.returncode == 0, "discard: qemu-img check of %s is clean"
            % os.path.basename(d), c.stdout + c.stderr)
        try:
            alloc.append(json.loads(c.stdout)["allocated-clusters"])
        except (ValueError, KeyError):
            alloc.append(None)
    # 24 MiB is 384 clusters of 64 KiB.
    tap(alloc[0] is not None and alloc[0] < 200,
        "discard=unmap: the trimmed clusters are freed (%s allocated)"
        % alloc[0])
    tap(alloc[1] is not None and alloc[1] >= 384,
        "discard=ignore (default): they stay allocated (%s)" % alloc[1])


def write_mbr(path, size):
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83,
                        b"\xfe\xff\xff", 2048, size // 512 - 2048)
    with open(path, "r+b") as f:
        f.seek(446)
        f.write(entry)
        f.seek(510)
        f.write(b"\x55\xaa")


def test_uboot(images):
    if not os.path.exists(UBOOT):
        tap(True, "# SKIP %s not installed (u-boot-qemu)" % UBOOT)
        return
    root = tempfile.mkdtemp(dir=tmp)
    os.makedirs(os.path.join(root, "boot", "extlinux"))
    shutil.copy(os.path.join(images, "Image"), os.path.join(root, "boot"))
    shutil.copy(os.path.join(images, "initramfs.cpio.gz"), os.path.join(root, "boot"))
    with open(os.path.join(root, "boot", "extlinux", "extlinux.conf"), "w") as f:
        f.write("default mimic\ntimeout 1\nlabel mimic\n"
                "    kernel /boot/Image\n    initrd /boot/initramfs.cpio.gz\n"
                "    append console=ttyS0\n")
    disk = os.path.join(tmp, "uboot.img")
    size = 64 << 20
    with open(disk, "wb") as f:
        f.truncate(size)
    write_mbr(disk, size)
    sh("mke2fs", "-q", "-F", "-t", "ext4", "-E", "offset=%d" % (2048 * 512),
       "-d", root, disk, "%dk" % ((size - 2048 * 512) // 1024))
    argv = [EMU, "-M", "virt", "-m", "256M", "-nographic", "-kernel", UBOOT,
            "-drive", "file=%s,format=raw,if=virtio" % disk]
    with GuestConsole(argv, log_path=log_path("disk-uboot.log")) as g:
        try:
            g.expect("U-Boot", timeout=120)
            g.expect("Found /boot/extlinux/extlinux.conf", timeout=120)
            tap(True, "U-Boot finds extlinux.conf on the virtio disk")
            g.expect("Starting kernel", timeout=120)
            g.expect("mimic-guest: ready", timeout=300)
            g.quiet_shell()
            out, st = g.run("uname -m")
            tap(st == 0 and out.strip() == "riscv64",
                "U-Boot boots the disk's kernel and initramfs to the shell", out)
        except ConsoleTimeout as e:
            tap(False, "U-Boot boots the disk's kernel", e)


def test_bad_images(images):
    trunc = os.path.join(tmp, "trunc.qcow2")
    sh("qemu-img", "create", "-q", "-f", "qcow2", trunc, "64M")
    with open(trunc, "r+b") as f:
        f.truncate(40)
    r = subprocess.run([EMU, "-M", "virt", "-nographic", "-bios", "none",
                        "-drive", "file=%s,format=qcow2,if=virtio" % trunc],
                       capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    tap(r.returncode == 1 and "mimic-system-riscv64: -drive" in r.stderr,
        "a truncated qcow2 image is an error at start-up", r.stderr)
    # An image whose first L2 entry points a terabyte past the end.
    bad = os.path.join(tmp, "l2-past-eof.qcow2")
    sh("qemu-img", "create", "-q", "-f", "qcow2", bad, "64M")
    sh("qemu-io", "-f", "qcow2", "-c", "write -P 0xab 0 64k", bad)
    with open(bad, "r+b") as f:
        hdr = f.read(48)
        l1_off = struct.unpack(">Q", hdr[40:48])[0]
        f.seek(l1_off)
        l2_off = struct.unpack(">Q", f.read(8))[0] & 0x00fffffffffffe00
        f.seek(l2_off)
        f.write(struct.pack(">Q", (1 << 63) | (1 << 40)))
    if not images:
        return
    try:
        with boot(images, "disk-badl2.log", "-drive", "file=%s,if=virtio" % bad) as g:
            out, st = g.run("dd if=/dev/vda of=/dev/null bs=4k count=1 "
                            "iflag=direct 2>&1; echo dd=$?", timeout=120)
            tap("dd=1" in out or "I/O error" in out,
                "an L2 entry past the end of the file: the guest's read "
                "gets an I/O error", out)
            out, st = g.run("dd if=/dev/vda of=/dev/null bs=4k count=1 "
                            "skip=100 2>&1; echo alive")
            tap(st == 0 and "alive" in out,
                "... and the guest and the emulator go on", out)
    except ConsoleTimeout as e:
        tap(False, "bad L2 entry: guest session", e)


def test_drive_errors():
    # QEMU 7.2's words (tests/functional/test-drive.py compares more).
    cases = [
        (["-drive", "file=/nonexistent.img"], "-drive file=/nonexistent.img:"),
        (["-drive", "file=%s,if=ide" % __file__],
         "machine type does not support if=ide,bus=0,unit=0"),
        (["-drive", "format=raw"],
         'A block device must be specified for "file"'),
        (["-drive", "file=%s,format=raw,bogus=1" % __file__],
         "Block format 'raw' does not support the option 'bogus'"),
        (["-device", "virtio-blk-device,drive=nope"],
         "Property 'virtio-blk-device.drive' can't find value 'nope'"),
        (["-drive", "file=%s,cache=weird" % __file__], "invalid cache option"),
        (["-drive", "file=%s,discard=maybe" % __file__],
         "Invalid discard option"),
        (["-drive", "file=%s,file.locking=maybe" % __file__],
         "invalid parameter value: maybe"),
        (["-drive", "file=%s,force-share=on" % __file__],
         "force-share=on can only be used with read-only images"),
    ]
    for args, msg in cases:
        r = subprocess.run([EMU, "-M", "virt", "-nographic", "-bios", "none"] + args,
                           capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        tap(r.returncode == 1 and msg in r.stderr,
            "error: %s -> %s" % (" ".join(args), msg), r.stderr)


def main():
    test_drive_errors()
    images = image_dir()
    test_bad_images(images)
    if not images:
        tap(True, "# SKIP guest images not built (make images)")
    else:
        test_raw(images)
        test_qcow2(images)
        test_sigterm(images)
        test_discard(images)
        test_crash(images)
        test_uboot(images)
    shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
