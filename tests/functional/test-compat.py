#!/usr/bin/env python3
# targets: riscv64-softmmu
"""The QEMU-compatibility suite: command lines as people publish them for
`qemu-system-riscv64 -M virt` (each entry names its source), run with the
binary renamed to Mimic and checked for what their user expects: the
guest boots to its shell, the disk is vda and readable, the NIC gets
10.0.2.15, lspci lists the PCI devices, a host folder is mounted over 9p,
and so on.  Where an entry says so, Debian's QEMU 7.2
runs the same line too and the answers must be the same.

The files a line names (a kernel, a root file system, a disk image with a
partition table, U-Boot, OpenSBI, a shared folder) are the
test images (tests/images) in the shape each line expects, made once in a
temporary folder: {kernel}, {initrd}, {rootfs_ext2}, {disk_img},
{disk_qcow2}, {fw_jump_elf}, {fw_jump_bin}, {fw_dynamic_bin}, {uboot_smode},
{uboot_mmode}, {share}, {flash0}, {flash1}.  Published fixed host ports
(hostfwd=tcp::2222-:22) become port 0, so that two runs never collide.
An entry with `error` is a line Mimic does not run yet: it must fail at
start-up with that message (never a crash or a silent misreading).
Prints TAP; skips when the images are not built (make images).
"""
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, log_path, BUILD, EMU  # noqa: E402

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
IMG = os.path.join(BUILD, "mimic-img")
OPENSBI = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
UBOOT = "/usr/lib/u-boot"
READY = "mimic-guest: ready"

# What a Linux user checks first, as (command, expected output regex,
# same on QEMU?).
ROOT_ON_VDA = ("grep ' / ' /proc/mounts", r"^/dev/(vda|root) / ", True)
DHCP = ("udhcpc -i eth0 -n -q -t 5 >/dev/null 2>&1; "
        "ip -4 addr show eth0 | grep -o 'inet [0-9./]*'",
        r"inet 10\.0\.2\.15/24", True)
VDA = ("dd if=/dev/vda bs=512 count=1 2>/dev/null | wc -c", r"^512$", True)
HWRNG = ("cat /sys/class/misc/hw_random/rng_current", r"virtio_rng", True)
LSPCI = ("lspci | sort", r"1af4:", True)

ENTRIES = [
    dict(name="QEMU docs: Linux with an initramfs, -smp 4 -m 2G",
         source="qemu docs/system/riscv/virt.rst (Running Linux kernel)",
         args="-M virt -smp 4 -m 2G -display none -serial stdio "
              "-kernel {kernel} -initrd {initrd} -append 'root=/dev/ram'",
         cmds=[("nproc", r"^4$", True),
               ("grep MemTotal /proc/meminfo", r"MemTotal:\s+20\d\d\d\d\d kB",
                False)]),
    dict(name="Buildroot: fw_jump, rootfs.ext2 on virtio-blk-device, "
              "virtio-net-device",
         source="buildroot board/qemu/riscv64-virt/readme.txt",
         args="-M virt -bios {fw_jump_elf} -kernel {kernel} "
              "-append 'rootwait root=/dev/vda ro' "
              "-drive file={rootfs_ext2},format=raw,id=hd0 "
              "-device virtio-blk-device,drive=hd0 "
              "-netdev user,id=net0 -device virtio-net-device,netdev=net0 "
              "-nographic",
         cmds=[ROOT_ON_VDA, DHCP], qemu=True),
    dict(name="OpenSBI docs: fw_jump.bin, root=/dev/vda rw",
         source="opensbi docs/platform/qemu_virt.md",
         args="-M virt -m 256M -nographic -bios {fw_jump_bin} "
              "-kernel {kernel} -append 'root=/dev/vda rw console=ttyS0' "
              "-drive file={rootfs_ext2},format=raw,id=hd0 "
              "-device virtio-blk-device,drive=hd0",
         cmds=[ROOT_ON_VDA,
               ("echo written > /root/f && sync && cat /root/f",
                r"^written$", False)]),
    dict(name="Debian wiki: U-Boot (S-mode) boots Linux from a qcow2 disk "
              "through extlinux, rng-random",
         source="wiki.debian.org/RISC-V (qemu-system-riscv64 with u-boot)",
         args="-machine virt -cpu rv64 -m 1G "
              "-device virtio-blk-device,drive=hd "
              "-drive file={disk_qcow2},if=none,id=hd "
              "-device virtio-net-device,netdev=net "
              "-netdev user,id=net,hostfwd=tcp::0-:22 "
              "-bios {fw_jump_elf} -kernel {uboot_smode} "
              "-object rng-random,filename=/dev/urandom,id=rng "
              "-device virtio-rng-device,rng=rng -nographic "
              "-append 'root=LABEL=rootfs console=ttyS0'",
         timeout=600,
         cmds=[VDA, HWRNG, DHCP], qemu=True),
    dict(name="Ubuntu: U-Boot, -smp 4, virtio-rng-pci, if=virtio disk",
         source="ubuntu.com/download/risc-v (QEMU instructions)",
         args="-machine virt -nographic -m 2048 -smp 4 "
              "-bios {fw_jump_bin} -kernel {uboot_smode} "
              "-device virtio-net-device,netdev=eth0 -netdev user,id=eth0 "
              "-device virtio-rng-pci "
              "-drive file={disk_img},format=raw,if=virtio",
         timeout=600,
         cmds=[("nproc", r"^4$", True), VDA, HWRNG, LSPCI, DHCP],
         qemu=True),
    dict(name="Fedora: U-Boot with fw_dynamic, -smp 8 -m 8G, hostfwd",
         source="fedoraproject.org/wiki/Architectures/RISC-V/QEMU",
         args="-nographic -machine virt -smp 8 -m 8G "
              "-kernel {uboot_smode} -bios {fw_dynamic_bin} "
              "-object rng-random,filename=/dev/urandom,id=rng0 "
              "-device virtio-rng-device,rng=rng0 "
              "-device virtio-blk-device,drive=hd0 "
              "-drive file={disk_img},format=raw,id=hd0 "
              "-device virtio-net-device,netdev=usernet "
              "-netdev user,id=usernet,hostfwd=tcp::0-:22",
         timeout=600,
         cmds=[("nproc", r"^8$", True), VDA, HWRNG, DHCP]),
    dict(name="Yocto runqemu: virtio-serial with a null virtconsole, "
              "-serial mon:stdio -serial null, rng on PCI",
         source="poky scripts/runqemu + conf/machine/qemuriscv64.conf "
                "(without its USB tablet and keyboard)",
         args="-device virtio-net-device,netdev=net0,mac=52:54:00:12:35:02 "
              "-netdev user,id=net0,hostfwd=tcp::0-:22 "
              "-object rng-random,filename=/dev/urandom,id=rng0 "
              "-device virtio-rng-pci,rng=rng0 "
              "-drive id=disk0,file={rootfs_ext2},if=none,format=raw "
              "-device virtio-blk-device,drive=disk0 "
              "-machine virt -smp 4 -m 256 -serial mon:stdio -serial null "
              "-nographic -device virtio-serial-device "
              "-chardev null,id=virtcon -device virtconsole,chardev=virtcon "
              "-kernel {kernel} -append 'root=/dev/vda rw console=ttyS0'",
         cmds=[ROOT_ON_VDA, ("ls /sys/class/virtio-ports/", r"vport", True),
               DHCP]),
    dict(name="Yocto runqemu with its USB tablet and keyboard",
         source="poky scripts/runqemu, qemuriscv64 (QB_OPT_APPEND)",
         args="-machine virt -device qemu-xhci -device usb-tablet "
              "-device usb-kbd -nographic -kernel {kernel}",
         error=r"qemu-xhci"),
    dict(name="kunit.py: -nodefaults, -no-reboot, fw_dynamic, serial stdio",
         source="linux tools/testing/kunit/qemu_configs/riscv.py and "
                "kunit_kernel.py",
         args="-nodefaults -m 1024 -kernel {kernel} -initrd {initrd} "
              "-append 'kunit.enable=1 console=ttyS0 kunit_shutdown=reboot "
              "mimic.run=echo%20kunit-done;reboot%20-f' "
              "-no-reboot -nographic -serial stdio -machine virt -cpu rv64 "
              "-bios {fw_dynamic_bin}",
         marker="kunit-done", exits=0),
    dict(name="syzkaller: PCI NIC and rng, restrict=on, -name",
         source="syzkaller vm/qemu/qemu.go (riscv64)",
         args="-m 2048 -smp 2 -display none -serial stdio -no-reboot "
              "-name VM-0 -device virtio-rng-pci "
              "-netdev user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:0-:22 "
              "-device virtio-net-pci,netdev=net0 -machine virt "
              "-kernel {kernel} -initrd {initrd} "
              "-append 'earlyprintk=serial console=ttyS0 root=/dev/vda'",
         # Debian's QEMU wants efi-virtio.rom (package ipxe-qemu) for a
         # virtio-net-pci; Mimic runs no option ROMs.
         cmds=[LSPCI, HWRNG, DHCP]),
    dict(name="9p: a host folder shared with -virtfs",
         source="qemu wiki Documentation/9psetup",
         args="-M virt -m 512M -nographic -kernel {kernel} -initrd {initrd} "
              "-append console=ttyS0 "
              "-virtfs local,path={share},mount_tag=host0,"
              "security_model=passthrough,id=host0",
         cmds=[("mkdir -p /mnt/host && mount -t 9p -o trans=virtio,"
                "version=9p2000.L host0 /mnt/host && cat /mnt/host/hello.txt",
                r"^hello from the host$", True),
               ("echo hello from the guest > /mnt/host/from-guest.txt && "
                "sync && ls /mnt/host | sort", r"from-guest\.txt", False)],
         host_check=lambda a: open(os.path.join(a["share"],
                                                "from-guest.txt")).read()
         == "hello from the guest\n"),
    dict(name="libvirt-style: -blockdev nodes on virtio-blk-pci, "
              "-nodefaults, -no-user-config, -rtc, -no-shutdown",
         source="a libvirt 9 domain's generated command line (riscv64)",
         args="-name guest=rv,debug-threads=on -machine virt,usb=off "
              "-accel tcg -cpu rv64 -m 1024 -smp 2,sockets=2,cores=1,threads=1 "
              "-no-user-config -nodefaults -display none -rtc base=utc "
              "-no-shutdown -boot strict=on "
              "-kernel {kernel} -initrd {initrd} -append console=ttyS0 "
              "-blockdev '{{\"driver\":\"file\",\"filename\":\"{disk_qcow2}\","
              "\"node-name\":\"libvirt-1-storage\",\"auto-read-only\":true,"
              "\"discard\":\"unmap\"}}' "
              "-blockdev '{{\"node-name\":\"libvirt-1-format\","
              "\"read-only\":false,\"driver\":\"qcow2\","
              "\"file\":\"libvirt-1-storage\"}}' "
              "-device virtio-blk-pci,drive=libvirt-1-format,"
              "id=virtio-disk0,bootindex=1 "
              "-chardev stdio,id=charserial0 -serial chardev:charserial0",
         cmds=[VDA, LSPCI]),
]


def sh(*cmd):
    return subprocess.run(list(cmd), capture_output=True, text=True)


def make_assets(images, tmp):
    """The files the published lines name, made from the test images."""
    a = {"kernel": os.path.join(images, "Image"),
         "initrd": os.path.join(images, "initramfs.cpio.gz"),
         "fw_jump_elf": os.path.join(OPENSBI, "fw_jump.elf"),
         "fw_jump_bin": os.path.join(OPENSBI, "fw_jump.bin"),
         "fw_dynamic_bin": os.path.join(OPENSBI, "fw_dynamic.bin"),
         "uboot_smode": os.path.join(UBOOT, "qemu-riscv64_smode", "uboot.elf"),
         "uboot_mmode": os.path.join(UBOOT, "qemu-riscv64", "u-boot.bin")}
    # A root file system: the initramfs's files, with an /sbin/init that
    # does what the initramfs's /init does, and /boot for U-Boot's
    # extlinux (the kernel and initramfs it loads).
    root = os.path.join(tmp, "root")
    os.makedirs(root)
    with open(a["initrd"], "rb") as f:
        r = subprocess.run(["sh", "-c", "gzip -dc | cpio -idm --quiet "
                            "--no-absolute-filenames"], stdin=f, cwd=root,
                           capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("unpacking the initramfs: %s" % r.stderr)
    init = open(os.path.join(root, "init")).read()
    os.unlink(os.path.join(root, "sbin", "init"))
    with open(os.path.join(root, "sbin", "init"), "w") as f:
        f.write(init.replace("exec /sbin/init", "exec /bin/busybox init"))
    os.chmod(os.path.join(root, "sbin", "init"), 0o755)
    os.makedirs(os.path.join(root, "boot", "extlinux"))
    shutil.copy(a["kernel"], os.path.join(root, "boot", "Image"))
    shutil.copy(a["initrd"], os.path.join(root, "boot", "initramfs.cpio.gz"))
    with open(os.path.join(root, "boot", "extlinux", "extlinux.conf"), "w") as f:
        f.write("default linux\ntimeout 0\nlabel linux\n"
                "  kernel /boot/Image\n  initrd /boot/initramfs.cpio.gz\n"
                "  append console=ttyS0\n")
    a["rootfs_ext2"] = os.path.join(tmp, "rootfs.ext2")
    r = sh("mke2fs", "-q", "-F", "-t", "ext2", "-L", "rootfs", "-d", root,
           a["rootfs_ext2"], "64M")
    if r.returncode != 0:
        raise RuntimeError("mke2fs: %s" % r.stderr)
    # A whole disk: an MBR with one bootable Linux partition at 1 MiB.
    a["disk_img"] = os.path.join(tmp, "disk.img")
    with open(a["rootfs_ext2"], "rb") as f:
        fs = f.read()
    mbr = bytearray(512)
    mbr[446:462] = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83,
                               b"\xfe\xff\xff", 2048, len(fs) // 512)
    mbr[510:512] = b"\x55\xaa"
    with open(a["disk_img"], "wb") as f:
        f.write(mbr + bytes(512 * 2047) + fs)
    a["disk_qcow2"] = os.path.join(tmp, "disk.qcow2")
    a["share"] = os.path.join(tmp, "share")
    a["flash0"] = os.path.join(tmp, "flash0.img")
    a["flash1"] = os.path.join(tmp, "flash1.img")
    return a


def fresh_files(a, tmp):
    """The writable files a run may change, made anew for each run."""
    base = os.path.join(tmp, "disk-base.img")
    if not os.path.exists(base):
        shutil.copy(a["disk_img"], base)
    shutil.copy(base, a["disk_img"])
    if os.path.exists(a["disk_qcow2"]):
        os.unlink(a["disk_qcow2"])
    r = sh(IMG, "convert", "-f", "raw", "-O", "qcow2", base, a["disk_qcow2"])
    if r.returncode != 0:
        raise RuntimeError("mimic-img convert: %s" % r.stderr)
    shutil.rmtree(a["share"], ignore_errors=True)
    os.makedirs(a["share"])
    with open(os.path.join(a["share"], "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    for k in ("flash0", "flash1"):
        with open(a[k], "wb") as f:
            f.truncate(32 << 20)
    ext = os.path.join(tmp, "rootfs-base.ext2")
    if not os.path.exists(ext):
        shutil.copy(a["rootfs_ext2"], ext)
    shutil.copy(ext, a["rootfs_ext2"])


def argv_of(binary, e, a):
    return [binary] + shlex.split(e["args"].format(**a))


def run_line(binary, e, a, tmp, tag):
    """Runs entry e with binary; returns (ok, outputs by command, detail)."""
    fresh_files(a, tmp)
    argv = argv_of(binary, e, a)
    outs = {}
    log = log_path("compat-%s-%s.log" % (tag, re.sub(r"\W+", "-",
                                                    e["name"])[:40]))
    with GuestConsole(argv, log_path=log) as g:
        try:
            g.expect(re.escape(e.get("marker", READY)),
                     timeout=e.get("timeout", 300))
            if "exits" in e:
                rc = g.wait_exit(120)
                return rc == e["exits"], outs, "exit status %s" % rc
            g.quiet_shell()
            for cmd, want, _ in e.get("cmds", []):
                out, st = g.run(cmd, timeout=300)
                outs[cmd] = out.strip()
                if st != 0 or not re.search(want, out, re.M):
                    return False, outs, "%s: status %d, output:\n%s" % (
                        cmd, st, out)
            if "host_check" in e and not e["host_check"](a):
                return False, outs, "the host-side check failed"
        except (ConsoleTimeout, OSError) as ex:
            return False, outs, str(ex)
    return True, outs, ""


def main():
    images = image_dir()
    if not images:
        print("1..0 # SKIP images not built (make images)")
        return 0
    tmp = tempfile.mkdtemp(prefix="mimic-compat-")
    try:
        a = make_assets(images, tmp)
        have_qemu = shutil.which(QEMU) is not None
        for e in ENTRIES:
            if "error" in e:
                fresh_files(a, tmp)
                r = subprocess.run(argv_of(EMU, e, a), stdin=subprocess.DEVNULL,
                                   capture_output=True, text=True, timeout=60)
                tap(r.returncode == 1 and re.search(e["error"], r.stderr)
                    and "Sanitizer" not in r.stderr,
                    "%s [%s]: refused with a clear error" % (e["name"],
                                                             e["source"]),
                    r.stderr)
                continue
            ok, outs, detail = run_line(EMU, e, a, tmp, "mimic")
            tap(ok, "%s [%s]" % (e["name"], e["source"]), detail)
            if not (ok and e.get("qemu") and have_qemu):
                continue
            # The reference runs its vCPUs on one thread: with one host
            # thread per hart, on two loaded cores, a hart of Debian's
            # OpenSBI 1.1 can be descheduled between its HSM state store
            # and its start-address store, and the started hart then
            # jumps to a stale address (the race the soak found; seen
            # once as QEMU printing nothing after "Starting kernel").
            # The reference only supplies answers to compare against.
            qargs = e["args"].replace("-accel tcg ", "")
            qe = dict(e, timeout=900,
                      args=qargs + " -accel tcg,thread=single")
            qok, qouts, qdetail = run_line(QEMU, qe, a, tmp, "qemu")
            diff = ["%s:\n  mimic: %r\n  qemu:  %r" % (c, outs.get(c),
                                                       qouts.get(c))
                    for c, _, same in e.get("cmds", [])
                    if same and outs.get(c) != qouts.get(c)]
            tap(qok and not diff,
                "%s: Debian's QEMU gives the same answers" % e["name"],
                qdetail + "\n".join(diff))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()
    return 0


if __name__ == "__main__" and not getattr(sys, "_compat_import", False):
    sys.exit(main())
