#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Image locking against QEMU 7.2's (Debian's qemu-system-riscv64 and
qemu-img): while one program has an image open for writing, the others
refuse it with their lock error, and -U / force-share=on still reads it.
- Mimic holds the same lock bytes as QEMU for the same -drive (read-write,
  read-only, force-share, and on the backing file of an overlay);
- qemu-img info and check refuse an image Mimic writes ("Failed to get
  shared "write" lock"), qemu-img info -U reads it; qemu-io cannot write
  the backing file of Mimic's overlay;
- mimic-img info/check/convert/create and a second Mimic refuse an image
  Mimic or qemu-system-riscv64 writes, naming it; -U lets info through;
  a force-share reader starts beside QEMU; file.locking=off takes no lock.
The emulators run stopped (-S, no firmware); a run is ready when its QMP
monitor answers a command (its drives are open and locked by then).  Prints TAP.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, BUILD, EMU  # noqa: E402

IMG = os.path.abspath(os.path.join(BUILD, "mimic-img"))
EMU = os.path.abspath(EMU)
QEMU = shutil.which("qemu-system-riscv64")
T = tempfile.mkdtemp(prefix="mimic-lock-")
TIMEOUT = 120


def path(name):
    return os.path.join(T, name)


def run(*args):
    r = subprocess.run(list(args), cwd=T, capture_output=True, text=True,
                       timeout=TIMEOUT)
    return r.returncode, r.stdout + r.stderr


class Emulator:
    """An emulator stopped at reset with the given -drive options."""

    def __init__(self, prog, *drives):
        self.sock = path("qmp-%d-%d.sock" % (os.getpid(), time.monotonic_ns()))
        argv = [prog, "-M", "virt", "-nographic", "-bios", "none", "-S",
                "-serial", "none", "-monitor", "none",
                "-qmp", "unix:%s,server=on,wait=off" % self.sock]
        for d in drives:
            argv += ["-drive", d]
        self.p = subprocess.Popen(argv, cwd=T, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        self.output = ""

    def ready(self):
        """Waits for the QMP greeting; False if the emulator exited."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.p.poll() is not None:
                self.output = self.p.stdout.read()
                return False
            try:
                s = socket.socket(socket.AF_UNIX)
                s.settimeout(TIMEOUT)
                s.connect(self.sock)
            except OSError:
                time.sleep(0.05)
                continue
            # QEMU applies a device's permissions to its drive just after
            # the greeting: a command's answer comes after that.
            with s, s.makefile("rw") as f:
                ok = "QMP" in f.readline()
                for cmd in ("qmp_capabilities", "query-status"):
                    f.write(json.dumps({"execute": cmd}) + "\n")
                    f.flush()
                    line = f.readline()
                    while line and "return" not in line and \
                            "error" not in line:
                        line = f.readline()
                    ok = ok and "return" in line
                return ok
        return False

    def exited(self):
        """Waits for the emulator to exit; its status and output."""
        try:
            rc = self.p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            rc = None
        self.output += self.p.stdout.read()
        return rc, self.output

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
        try:
            self.p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.p.stdout.close()


def locks(name):
    """The locked bytes of a file, from /proc/locks: a sorted list of
    (start, end) with one entry per lock."""
    st = os.stat(path(name))
    # The whole MAJ:MIN:INODE: an inode number alone also matched a lock
    # on another file system (seen with two make checks at once).
    ident = "%02x:%02x:%d" % (os.major(st.st_dev), os.minor(st.st_dev),
                              st.st_ino)
    out = []
    with open("/proc/locks") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 8 or fields[1] != "OFDLCK":
                continue
            if fields[5] == ident:
                out.append((int(fields[6]), int(fields[7])))
    return sorted(out)


def mkimages():
    run(IMG, "create", "-q", "-f", "qcow2", path("a.qcow2"), "16M")
    run(IMG, "create", "-q", "-f", "qcow2", path("base.qcow2"), "16M")
    run(IMG, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
        "qcow2", path("top.qcow2"))
    run(IMG, "create", "-q", "-f", "raw", path("r.raw"), "4M")


def same_locks_as_qemu():
    """The lock bytes of Mimic and QEMU for the same -drive."""
    cases = [
        ("read-write", "file=a.qcow2,if=virtio", ["a.qcow2"]),
        ("read-only", "file=a.qcow2,if=virtio,readonly=on", ["a.qcow2"]),
        ("force-share", "file=a.qcow2,if=virtio,readonly=on,force-share=on",
         ["a.qcow2"]),
        ("overlay and backing file", "file=top.qcow2,if=virtio",
         ["top.qcow2", "base.qcow2"]),
        ("raw read-write", "file=r.raw,format=raw,if=virtio", ["r.raw"]),
        ("raw read-only", "file=r.raw,format=raw,if=virtio,readonly=on",
         ["r.raw"]),
    ]
    for name, drive, files in cases:
        got = {}
        for prog in (QEMU, EMU):
            e = Emulator(prog, drive)
            ok = e.ready()
            got[prog] = [locks(f) for f in files] if ok else e.output
            e.stop()
        tap(got[QEMU] == got[EMU] and got[EMU] != [[]] * len(files),
            "Mimic locks the bytes QEMU locks: %s" % name,
            "QEMU %s, Mimic %s" % (got[QEMU], got[EMU]))


def while_mimic_writes():
    with open(path("a.qcow2"), "rb") as f:
        before = f.read()
    e = Emulator(EMU, "file=a.qcow2,if=virtio")
    if not tap(e.ready(), "Mimic starts with the image", e.output):
        e.stop()
        return
    rc, out = run("qemu-img", "info", "a.qcow2")
    tap(rc == 1 and 'Failed to get shared "write" lock' in out,
        "qemu-img info refuses the image Mimic writes", out)
    rc, out = run("qemu-img", "check", "a.qcow2")
    tap(rc != 0 and 'Failed to get shared "write" lock' in out,
        "qemu-img check refuses it", out)
    rc, out = run("qemu-img", "info", "-U", "a.qcow2")
    tap(rc == 0 and "virtual size: 16 MiB" in out,
        "qemu-img info -U reads it", out)
    rc, out = run(IMG, "info", "a.qcow2")
    tap(rc == 1 and "a.qcow2" in out and
        'failed to get shared "write" lock' in out,
        "mimic-img info refuses it, naming it", out)
    rc, out = run(IMG, "info", "-U", "a.qcow2")
    tap(rc == 0 and "virtual size: 16 MiB" in out,
        "mimic-img info -U reads it", out)
    rc, out = run(IMG, "info", "--force-share", "--output=json", "a.qcow2")
    tap(rc == 0 and json.loads(out)["virtual-size"] == 16 << 20,
        "mimic-img info --force-share reads it", out)
    rc, out = run(IMG, "check", "a.qcow2")
    tap(rc == 1 and "lock" in out, "mimic-img check refuses it", out)
    rc, out = run(IMG, "check", "-U", "-r", "leaks", "a.qcow2")
    tap(rc == 1 and "read-only" in out,
        "mimic-img check -U -r is refused (force-share is read-only)", out)
    run(IMG, "create", "-q", "-f", "raw", path("other.raw"), "1M")
    rc, out = run(IMG, "convert", "-O", "qcow2", "other.raw", "a.qcow2")
    tap(rc == 1 and "a.qcow2" in out and "lock" in out,
        "mimic-img convert onto it is refused", out)
    rc, out = run(IMG, "create", "-f", "qcow2", "a.qcow2", "1M")
    tap(rc == 1 and "lock" in out, "mimic-img create over it is refused",
        out)
    rc, out = run(IMG, "bench", "-w", "-c", "1", "a.qcow2")
    tap(rc == 1 and "lock" in out, "mimic-img bench -w refuses it", out)
    with open(path("a.qcow2"), "rb") as f:
        tap(f.read() == before, "the image is untouched")
    second = Emulator(EMU, "file=a.qcow2,if=virtio")
    rc, out = second.exited()
    tap(rc == 1 and "a.qcow2" in out and "lock" in out,
        "a second Mimic refuses it, naming it", out)
    second.stop()
    reader = Emulator(EMU, "file=a.qcow2,if=virtio,readonly=on")
    rc, out = reader.exited()
    tap(rc == 1 and 'failed to get shared "write" lock' in out,
        "a read-only Mimic without force-share refuses it too", out)
    reader.stop()
    e.stop()
    rc, out = run("qemu-img", "check", "a.qcow2")
    tap(rc == 0, "after Mimic exits, qemu-img check opens it", out)


def overlay_backing():
    e = Emulator(EMU, "file=top.qcow2,if=virtio")
    if not tap(e.ready(), "Mimic starts with an overlay", e.output):
        e.stop()
        return
    rc, out = run("qemu-io", "-c", "write 0 512", "base.qcow2")
    tap(rc != 0 and 'Failed to get "write" lock' in out,
        "qemu-io cannot write the backing file of Mimic's overlay", out)
    rc, out = run("qemu-img", "info", "base.qcow2")
    tap(rc == 0, "qemu-img info reads the backing file (shared read)", out)
    rc, out = run(IMG, "bench", "-w", "-c", "1", "base.qcow2")
    tap(rc == 1 and "base.qcow2" in out and "lock" in out,
        "mimic-img bench -w cannot write it", out)
    e.stop()


def raw_in_use():
    """qemu-img info looks at a raw image in use (it reads no data), and
    so does mimic-img info; reading its data is refused."""
    e = Emulator(EMU, "file=r.raw,format=raw,if=virtio")
    if not tap(e.ready(), "Mimic starts with a raw image", e.output):
        e.stop()
        return
    rc, out = run("qemu-img", "info", "r.raw")
    tap(rc == 0, "qemu-img info of a raw image Mimic writes works", out)
    rc, out = run(IMG, "info", "r.raw")
    tap(rc == 0 and "virtual size: 4 MiB" in out,
        "so does mimic-img info", out)
    rc, out = run(IMG, "convert", "-O", "raw", "r.raw", "copy.raw")
    tap(rc == 1 and 'failed to get shared "write" lock' in out,
        "mimic-img convert of it is refused", out)
    rc, out = run(IMG, "resize", "r.raw", "8M")
    tap(rc == 1 and "lock" in out and os.path.getsize(path("r.raw")) == 4 << 20,
        "mimic-img resize of it is refused", out)
    e.stop()
    rc, out = run(IMG, "resize", "r.raw", "8M")
    tap(rc == 0 and os.path.getsize(path("r.raw")) == 8 << 20,
        "once Mimic exits, resize works", out)


def while_qemu_writes():
    q = Emulator(QEMU, "file=a.qcow2,if=virtio")
    if not tap(q.ready(), "QEMU starts with the image", q.output):
        q.stop()
        return
    rc, out = run(IMG, "info", "a.qcow2")
    tap(rc == 1 and 'failed to get shared "write" lock' in out,
        "mimic-img info refuses the image QEMU writes", out)
    rc, out = run(IMG, "info", "-U", "a.qcow2")
    tap(rc == 0, "mimic-img info -U reads it", out)
    m = Emulator(EMU, "file=a.qcow2,if=virtio")
    rc, out = m.exited()
    tap(rc == 1 and "-drive file=a.qcow2" in out and "a.qcow2" in out and
        "lock" in out, "Mimic refuses it", out)
    m.stop()
    m = Emulator(EMU, "file=a.qcow2,if=virtio,readonly=on,force-share=on")
    tap(m.ready(), "Mimic with readonly=on,force-share=on starts beside it",
        m.output)
    m.stop()
    q.stop()


def options():
    m = Emulator(EMU, "file=a.qcow2,if=virtio,force-share=on")
    rc, out = m.exited()
    tap(rc == 1 and "force-share=on can only be used with read-only" in out,
        "force-share=on without readonly=on is refused, as QEMU does", out)
    m.stop()
    m = Emulator(EMU, "file=a.qcow2,if=virtio,locking=off")
    rc, out = m.exited()
    tap(rc == 1 and "locking" in out,
        "locking=off is refused, as QEMU does (file.locking=off is not)",
        out)
    m.stop()
    m = Emulator(EMU, "file=a.qcow2,if=virtio,file.locking=off")
    if tap(m.ready(), "file.locking=off starts", m.output):
        rc, out = run("qemu-img", "info", "a.qcow2")
        tap(rc == 0 and locks("a.qcow2") == [],
            "file.locking=off takes no lock", out)
    m.stop()


def main():
    if not QEMU or not shutil.which("qemu-img"):
        tap(False, "qemu-system-riscv64 and qemu-img are needed "
                   "(scripts/install-deps.sh)")
        return
    mkimages()
    same_locks_as_qemu()
    while_mimic_writes()
    overlay_backing()
    raw_in_use()
    while_qemu_writes()
    options()


try:
    main()
finally:
    shutil.rmtree(T, ignore_errors=True)
done()
