#!/usr/bin/env python3
# targets: riscv64-softmmu
"""-drive, -blockdev, -hda and -cdrom as QEMU 7.2's riscv virt reads them:
- the same command lines under Mimic and under qemu-system-riscv64 end
  the same way: both start (the machine is built and its device tree
  dumped), or both refuse with the same message (after the program name);
- the published lines boot Linux with the disk as /dev/vda: Buildroot's
  board/qemu/riscv64-virt/readme.txt (-drive ...,id=hd0 -device
  virtio-blk-device,drive=hd0), libvirt's -blockdev (key=value and JSON),
  -drive if=virtio; the disks come in command-line order (if=virtio ones
  first), readonly=on is a read-only disk, snapshot=on leaves the image as
  it was, and what the guest writes through a -blockdev qcow2 node is in
  the image.
Prints TAP; the guest part skips when the images are not built
(MIMIC_TEST_IMAGES may name another image folder).
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
EMU_ABS = os.path.abspath(EMU)
T = tempfile.mkdtemp(prefix="mimic-drive-")


def strip_san(text):
    """stderr without a sanitizer build's leak report (an error exit leaves
    its message unfreed)."""
    return text.split("\n=================================================================")[0]


def run(prog, args):
    """Builds the machine, dumps its device tree and exits; (status,
    stderr with the program name taken off each line)."""
    argv = [prog, "-M", "virt,dumpdtb=%s" % os.path.join(T, "d.dtb"),
            "-nographic", "-bios", "none", "-serial", "none",
            "-monitor", "none"] + args
    r = subprocess.run(argv, cwd=T, capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    name = os.path.basename(prog) + ": "
    lines = [ln[len(name):] if ln.startswith(name) else ln
             for ln in strip_san(r.stderr).splitlines()]
    return r.returncode, "\n".join(lines)


def errors(text):
    return [ln for ln in text.splitlines() if not ln.startswith("info: dtb")
            and "dtb dumped" not in ln]


def mkimages():
    for name, size in (("r.img", 1 << 20), ("f32.img", 32 << 20),
                       ("cd.img", 1 << 20)):
        with open(os.path.join(T, name), "wb") as f:
            f.truncate(size)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                    os.path.join(T, "q.qcow2"), "1M"], check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "q.qcow2",
                    "-F", "qcow2", os.path.join(T, "top.qcow2")], check=True)


R = "file=r.img,format=raw"
# (args, what): the same outcome and message under both emulators.
SAME = [
    # Buildroot's line (board/qemu/riscv64-virt/readme.txt) and its kin.
    (["-drive", R + ",id=hd0", "-device", "virtio-blk-device,drive=hd0"],
     "Buildroot: -drive id=hd0 and -device drive=hd0"),
    (["-drive", R, "-device", "virtio-blk-device,drive=none0"],
     "no if= is if=none, id none0"),
    (["-drive", R + ",if=virtio"], "if=virtio makes the disk"),
    # (QEMU names the -drive, which it attaches after the -devices; Mimic
    # the -device: only the message is compared.)
    (["-drive", R + ",if=virtio,id=hd0", "-device",
      "virtio-blk-device,drive=hd0"], "if=virtio and a -device on it",
     "message"),
    (["-drive", R + ",id=hd0", "-device", "virtio-blk-device,drive=hd0",
      "-device", "virtio-blk-device,drive=hd0"], "two devices on one drive"),
    (["-device", "virtio-blk-device,drive=nope"], "a missing drive"),
    (["-drive", R + ",id=a", "-drive", "file=q.qcow2,id=a"], "duplicate id"),
    (["-drive", R, "-drive", "file=q.qcow2,index=0"], "two drives on index 0"),
    (["-drive", R + ",index=1,unit=1"], "index with unit"),
    (["-drive", R + ",index=abc"], "index not a number"),
    (["-drive", R + ",if=virtio,unit=1"], "if=virtio,unit=1"),
    (["-drive", R + ",media=cdrom", "-device",
      "virtio-blk-device,drive=none0"], "media=cdrom on a virtio disk"),
    (["-drive", R + ",media=foo"], "bad media"),
    (["-drive", R + ",bogus=1"], "unknown parameter"),
    (["-drive", R + ",serial=abc"], "serial= left -drive (QEMU 3.0)"),
    (["-drive", "format=raw"], "format without file"),
    (["-drive", "file=,format=raw"], "empty file="),
    (["-drive", "if=none,id=x"], "an empty drive"),
    (["-drive", "if=none,id=x", "-device", "virtio-blk-device,drive=x"],
     "a device on an empty drive"),
    (["-drive", "if=virtio"], "if=virtio without a file"),
    (["-drive", R + ",cache=foo"], "bad cache"),
    (["-drive", R + ",cache=none,aio=native,detect-zeroes=unmap,discard=unmap,"
      "werror=enospc,rerror=ignore,file.locking=off"], "the accepted values"),
    (["-drive", R + ",cache=unsafe,aio=io_uring,werror=stop,rerror=stop"],
     "cache=unsafe, io_uring, stop"),
    (["-drive", R + ",aio=foo"], "bad aio"),
    (["-drive", R + ",aio=native"], "aio=native without cache.direct"),
    (["-drive", R + ",werror=foo"], "bad werror"),
    (["-drive", R + ",rerror=enospc"], "rerror=enospc"),
    (["-drive", R + ",detect-zeroes=foo"], "bad detect-zeroes"),
    (["-drive", R + ",discard=foo"], "bad discard"),
    (["-drive", R + ",readonly=foo"], "bad readonly"),
    (["-drive", R + ",snapshot=foo"], "bad snapshot"),
    (["-drive", R + ",file.locking=foo"], "bad file.locking"),
    (["-drive", "file=r.img,format=foo"], "unknown format"),
    (["-drive", R + ",if=foo"], "unknown interface"),
    (["-drive", R + ",if=pflash,unit=2"], "pflash unit 2"),
    (["-drive", "file=f32.img,format=raw,if=pflash,bus=1"], "pflash bus 1"),
    (["-drive", R + ",readonly=on", "-device", "virtio-blk-device,drive=none0"],
     "a read-only disk"),
    (["-drive", R + ",snapshot=on", "-device", "virtio-blk-device,drive=none0"],
     "snapshot=on"),
    (["-hdc", "r.img", "-cdrom", "r.img"], "-hdc and -cdrom on index 2"),
    (["-drive", R + ",id=hd0", "-device", "virtio-blk-device,drive=hd0",
      "-hda", "r.img"], "-hda on a taken index"),
    (["-cdrom", "r.img", "-device", "virtio-blk-device,drive=none2"],
     "-cdrom is none2"),
    # libvirt's -blockdev lines.
    (["-blockdev", "driver=file,node-name=f0,filename=q.qcow2", "-blockdev",
      "driver=qcow2,node-name=d0,file=f0", "-device",
      "virtio-blk-device,drive=d0"], "-blockdev file and qcow2 nodes"),
    (["-blockdev", '{"driver":"qcow2","node-name":"d0","file":{"driver":'
      '"file","filename":"q.qcow2"}}', "-device", "virtio-blk-device,drive=d0"],
     "-blockdev JSON"),
    (["-blockdev", "driver=qcow2,node-name=d0,file.driver=file,"
      "file.filename=q.qcow2", "-device", "virtio-blk-device,drive=d0"],
     "-blockdev nested file.*"),
    (["-blockdev", '{"driver":"qcow2","node-name":"t0","backing":null,'
      '"file":{"driver":"file","filename":"top.qcow2"}}', "-device",
      "virtio-blk-device,drive=t0"], "-blockdev backing: null"),
    (["-blockdev", "driver=file,node-name=bf,filename=q.qcow2,read-only=on",
      "-blockdev", "driver=qcow2,node-name=b0,file=bf,read-only=on",
      "-blockdev", "driver=file,node-name=tf,filename=top.qcow2",
      "-blockdev", "driver=qcow2,node-name=t0,file=tf,backing=b0",
      "-device", "virtio-blk-device,drive=t0"], "-blockdev backing=NODE"),
    (["-blockdev", "driver=qcow2,node-name=d0,file=nope"], "unknown file node"),
    (["-blockdev", "driver=foo,node-name=d0"], "unknown driver"),
    (["-blockdev", "driver=file,node-name=f0,filename=r.img", "-blockdev",
      "driver=file,node-name=f0,filename=r.img"], "duplicate node-name"),
    (["-blockdev", "driver=file,filename=r.img"], "no node-name"),
    (["-blockdev", "driver=file,node-name=f0"], "no filename"),
    (["-blockdev", "driver=file,node-name=f0,filename=r.img,bogus=1"],
     "unknown -blockdev parameter"),
    (["-blockdev", "driver=file,node-name=1ab,filename=r.img"],
     "invalid node-name"),
    (["-blockdev", "driver=file,node-name=f0,filename=r.img,locking=foo"],
     "bad locking"),
    (["-blockdev", "driver=qcow2,node-name=d0,file.driver=file,"
      "file.filename=q.qcow2,backing=null"], "backing=null in key=value"),
    (["-blockdev", "driver=file,node-name=f0,filename=r.img,read-only=on",
      "-blockdev", "driver=raw,node-name=r0,file=f0", "-device",
      "virtio-blk-device,drive=r0"], "a writable node on a read-only file"),
    (["-blockdev", "driver=file,node-name=f0,filename=r.img,cache.direct=on,"
      "cache.no-flush=on,locking=off,discard=unmap,detect-zeroes=on,"
      "aio=threads,auto-read-only=on", "-device", "virtio-blk-device,drive=f0"],
     "-blockdev file options"),
    (["-drive", R + ",id=x", "-blockdev",
      "driver=file,node-name=x,filename=q.qcow2"], "a drive id that is a node"),
    (["-blockdev", "driver=file,node-name=f0,filename=r.img", "-device",
      "virtio-blk-device,drive=f0", "-device", "virtio-blk-device,drive=f0"],
     "two devices on one node (QEMU: a permission conflict)"),
]


def mimic_only():
    """What Mimic refuses where QEMU goes on (docs/usage.md)."""
    rc, err = run(EMU_ABS, ["-blockdev", "driver=file,node-name=f0,"
                            "filename=q.qcow2", "-blockdev",
                            "driver=qcow2,node-name=q0,file=f0", "-blockdev",
                            "driver=raw,node-name=r0,file=q0"])
    tap(rc == 1 and "node 'q0' is a qcow2 node" in err,
        "a format node over a format node is refused with a message", err)


def compare_with_qemu():
    for args, what, *how in SAME:
        q_rc, q_err = run(QEMU, args)
        m_rc, m_err = run(EMU_ABS, args)
        if q_rc != 0:
            # The first line is QEMU's message; "Permission conflict" goes
            # on with QEMU's device paths, which Mimic does not have.
            q_msg, m_msg = errors(q_err)[-1:], errors(m_err)[-1:]
            if "Permission conflict" in "".join(q_msg):
                q_msg = [q_msg[0].split(": permissions")[0]]
                m_msg = [m_msg[0].split(": it is")[0]] if m_msg else m_msg
            if how:
                q_msg = [x.split(": ", 1)[-1] for x in q_msg]
                m_msg = [x.split(": ", 1)[-1] for x in m_msg]
            tap(m_rc == 1 and q_msg == m_msg,
                "as QEMU, refused: %s" % what,
                "QEMU (%d): %s\nMimic (%d): %s" % (q_rc, q_err, m_rc, m_err))
        else:
            tap(m_rc == 0, "as QEMU, accepted: %s" % what,
                "QEMU: %s\nMimic (%d): %s" % (q_err, m_rc, m_err))


def probe_warning():
    """QEMU's warning for a raw image opened on a guess, and none when the
    format is given or the image is read-only."""
    for args, want in ((["-drive", "file=r.img,if=virtio"], True),
                       (["-drive", "file=r.img,if=virtio,format=raw"], False),
                       (["-drive", "file=r.img,readonly=on"], False),
                       (["r.img"], True)):
        q_rc, q_err = run(QEMU, args)
        m_rc, m_err = run(EMU_ABS, args)
        q_w = [ln for ln in q_err.splitlines() if "WARNING" in ln or
               ln.startswith("         ")]
        m_w = [ln for ln in m_err.splitlines() if "WARNING" in ln or
               ln.startswith("         ")]
        tap(m_rc == 0 and m_w == q_w and bool(m_w) == want,
            "format probing warning as QEMU's: %s" % " ".join(args),
            "QEMU: %s\nMimic: %s" % (q_err, m_err))
    rc, err = run(EMU_ABS, ["-hda", "r.img"])
    tap(rc == 0 and "drive 'none0' is not attached to a device" in err,
        "-hda: Mimic warns that the drive is not attached (virt has no IDE)",
        err)


def info_block():
    """The monitor's info block lists the drives as QEMU's does."""
    argv = [EMU_ABS, "-M", "virt", "-nographic", "-bios", "none", "-S",
            "-serial", "none", "-monitor", "stdio",
            "-drive", "file=r.img,format=raw,id=hd0",
            "-device", "virtio-blk-device,drive=hd0",
            "-drive", "file=q.qcow2,if=virtio,readonly=on,cache=unsafe",
            "-cdrom", "cd.img", "-drive", "if=none,id=empty"]
    r = subprocess.run(argv, cwd=T, capture_output=True, text=True,
                       timeout=60, input="info block\nquit\n")
    out = r.stdout
    tap("hd0: r.img (raw)\n    Attached to:" in out and
        "virtio0: q.qcow2 (qcow2, read-only)" in out and
        "writeback, ignore flushes" in out and
        "none2: cd.img (raw, read-only)\n    Removable device" in out and
        "empty: [not inserted]" in out, "info block lists the drives", out)


def sysfs(g, cmd):
    out, st = g.run(cmd, timeout=60)
    return out.strip() if st == 0 else None


def guest(images):
    """One Linux boot with four disks of four sizes (MiB): c (12,
    if=virtio, read-only), a (8, Buildroot's line), b (16, a -blockdev
    JSON qcow2 node) and s (6, snapshot=on)."""
    sizes = {"a": 8, "b": 16, "c": 12, "s": 6}
    for n in "acs":
        with open(os.path.join(T, n + ".img"), "wb") as f:
            f.truncate(sizes[n] << 20)
    b = os.path.join(T, "b.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", b, "16M"],
                   check=True)
    s_before = open(os.path.join(T, "s.img"), "rb").read()
    argv = linux_argv(
        images,
        "-drive", "file=%s/a.img,format=raw,id=hd0" % T,
        "-device", "virtio-blk-device,drive=hd0",
        "-blockdev", '{"driver":"qcow2","node-name":"d0","file":{"driver":'
        '"file","filename":"%s"}}' % b,
        "-device", "virtio-blk-device,drive=d0",
        "-drive", "file=%s/c.img,format=raw,if=virtio,readonly=on" % T,
        "-drive", "file=%s/s.img,format=raw,snapshot=on,id=s0" % T,
        "-device", "virtio-blk-device,drive=s0")
    try:
        with GuestConsole(argv, log_path=log_path("drive-linux.log")) as g:
            g.expect("mimic-guest: ready", timeout=300)
            g.quiet_shell()
            got = {}
            for dev in ("vda", "vdb", "vdc", "vdd"):
                n = sysfs(g, "cat /sys/block/%s/size" % dev)
                got[dev] = int(n) * 512 >> 20 if n and n.isdigit() else None
            # As under qemu-system-riscv64 7.2 with the same line: the
            # virtio-mmio disks in command-line order, then the if=virtio
            # disk, which is on PCI (virtio-blk-pci) as on QEMU's virt.
            want = {"vda": 8, "vdb": 16, "vdc": 6, "vdd": 12}
            tap(got == want, "disks as QEMU orders them (vda = Buildroot's "
                "hd0, vdb = the -blockdev node, vdc = the snapshot, vdd = the "
                "if=virtio one, on PCI)", got)
            tap(sysfs(g, "cat /sys/block/vdd/ro") == "1",
                "readonly=on: the guest sees a read-only disk")
            out, st = g.run("printf 'mimic-blockdev' | dd of=/dev/vdb bs=512 "
                            "seek=8 conv=fsync 2>/dev/null; printf "
                            "'changed' | dd of=/dev/vdc conv=fsync "
                            "2>/dev/null; echo ok", timeout=60)
            tap(st == 0 and "ok" in out, "the guest writes vdb and vdc", out)
            g.send("poweroff\n")
            rc = g.wait_exit(60)
            tap(rc == 0, "poweroff exits 0", rc)
    except ConsoleTimeout as e:
        tap(False, "guest session", e)
        return
    r = subprocess.run(["qemu-io", "-f", "qcow2", "-c", "read -v 4096 14", b],
                       capture_output=True, text=True)
    tap(" ".join("%02x" % c for c in b"mimic-blockdev") in r.stdout,
        "the write through the -blockdev "
        "qcow2 node is in the image (qemu-io reads it)", r.stdout + r.stderr)
    tap(open(os.path.join(T, "s.img"), "rb").read() == s_before,
        "snapshot=on: the image is unchanged after the guest wrote it")


def main():
    mkimages()
    compare_with_qemu()
    probe_warning()
    info_block()
    mimic_only()
    images = os.environ.get("MIMIC_TEST_IMAGES") or image_dir()
    if not images:
        tap(True, "# SKIP guest images not built (make images)")
    else:
        guest(images)
    shutil.rmtree(T, ignore_errors=True)
    done()


main()
