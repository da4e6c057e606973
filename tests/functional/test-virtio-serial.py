#!/usr/bin/env python3
# targets: riscv64-softmmu
"""virtio-serial with a Linux guest: a shell on a virtconsole through a
Unix socket chardev (the guest's console=hvc1: this kernel's hvc0 is the
SBI console), a named virtserialport on a second socket carrying data both
ways intact, a port client that reads nothing pausing only the writer (the
console shell still answers, and every byte arrives once the client reads),
and the /sys/class/virtio-ports listing the same as qemu-system-riscv64's
for the same command line.  Prints TAP; skips when the images are not
built (make images).
"""
import base64
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, image_dir, connect, EMU, BUILD, log_path  # noqa: E402

PORT_NAME = "org.example.port"
LISTING = ("for p in /sys/class/virtio-ports/*; do "
           "echo port $(basename $p) name=$(cat $p/name 2>/dev/null); done")


class Timeout(Exception):
    pass


class SocketShell:
    """A shell on a stream socket: expect() and run() as GuestConsole's."""

    def __init__(self, sock, log):
        self.s = sock
        self.s.settimeout(0.5)
        self.buf = b""
        self.log = log
        self.seq = 0

    def _read(self):
        try:
            data = self.s.recv(65536)
        except socket.timeout:
            return
        if not data:
            raise Timeout("the console socket closed; last output:\n%s"
                          % self.buf[-1500:].decode("utf-8", "replace"))
        self.log.write(data)
        self.log.flush()
        self.buf += data

    def expect(self, pattern, timeout, poke=None):
        """Waits for a regex; sends poke every few seconds meanwhile (the
        shell may not be there yet)."""
        rx = re.compile(pattern.encode())
        deadline = time.monotonic() + timeout
        next_poke = 0
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            if time.monotonic() > deadline:
                raise Timeout("timed out waiting for %r; last output:\n%s"
                              % (pattern, self.buf[-1500:].decode(
                                  "utf-8", "replace")))
            if poke and time.monotonic() > next_poke:
                self.s.sendall(poke.encode())
                next_poke = time.monotonic() + 5
            self._read()

    def run(self, command, timeout=120):
        self.seq += 1
        head, tail = "__MIMI", "C_%d__" % self.seq
        self.s.sendall(("%s; echo %s${?}%s\n" % (command, head, tail)).encode())
        m = self.expect(re.escape(head) + r"(\d+)" + re.escape(tail), timeout)
        out = m.string[:m.start()].decode("utf-8", "replace").replace("\r", "")
        return out.strip("\n"), int(m.group(1))


def recv_exactly(sock, n, timeout):
    got = bytearray()
    deadline = time.monotonic() + timeout
    sock.settimeout(1)
    while len(got) < n and time.monotonic() < deadline:
        try:
            d = sock.recv(min(1 << 20, n - len(got)))
        except socket.timeout:
            continue
        if not d:
            break
        got += d
    return bytes(got)


def serial_args(images, con, port, append):
    return ["-M", "virt", "-m", "256M", "-display", "none",
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", append,
            "-chardev", "socket,id=c0,path=%s,server=on,wait=off" % con,
            "-chardev", "socket,id=p1,path=%s,server=on,wait=off" % port,
            "-device", "virtio-serial-device",
            "-device", "virtconsole,chardev=c0",
            "-device", "virtserialport,chardev=p1,name=%s" % PORT_NAME]


def shell_session(images, tmp):
    con = os.path.join(tmp, "con.sock")
    port = os.path.join(tmp, "port.sock")
    argv = [EMU] + serial_args(images, con, port, "console=hvc1") + \
        ["-serial", "none", "-monitor", "none"]
    log = open(log_path("virtio-serial.log"), "wb")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        sh = SocketShell(connect(con, proc), log)
        p = connect(port, proc)
        try:
            sh.expect(r"BOOTED-42", 600, poke="echo BOOTED-$((6*7))\n")
            sh.s.sendall(b"stty -echo; PS1=''; PS2=''\n")
            sh.run("true")
        except Timeout as e:
            tap(False, "a shell on the virtconsole (hvc1) through a socket", e)
            return
        out, st = sh.run("tty; uname -m")
        tap(st == 0 and "/dev/hvc1" in out and "riscv64" in out,
            "a shell on the virtconsole (hvc1) through a socket runs a "
            "command", out)
        out, st = sh.run(LISTING)
        tap("port vport0p0 name=" in out and
            "port vport0p1 name=%s" % PORT_NAME in out,
            "the guest lists the console and the named port in "
            "/sys/class/virtio-ports", out)
        listing = out

        data = os.urandom(300000)
        sh.s.sendall(b"head -c %d /dev/vport0p1 > /tmp/in &\n" % len(data))
        # Sent at once: it waits until the reader has the port open.
        p.settimeout(300)
        p.sendall(data)
        out, st = sh.run("wait; sha256sum /tmp/in", timeout=300)
        tap(hashlib.sha256(data).hexdigest() in out,
            "300000 bytes from the host reach the guest's port intact", out)

        out, st = sh.run("head -c 500000 /dev/urandom > /tmp/out; "
                         "sha256sum /tmp/out")
        m = re.search(r"([0-9a-f]{64})  /tmp/out", out)
        want = m.group(1) if m else "?"
        sh.s.sendall(b"cat /tmp/out > /dev/vport0p1\n")
        got = recv_exactly(p, 500000, 300)
        tap(len(got) == 500000 and hashlib.sha256(got).hexdigest() == want,
            "500000 bytes from the guest's port reach the host intact",
            "got %d bytes" % len(got))
        sh.run("true")

        # 8 MiB to a client that reads nothing yet: the writer waits, the
        # console does not.  The writer has a session of its own: as a job
        # of the console shell, its 8 MiB end that shell in this guest (on
        # qemu-system-riscv64 7.2 as well).  It is started by a shell
        # without job control: run as a job (a process group leader),
        # busybox's setsid forks and calls setsid() in the child only
        # after the job has ended, and with two make checks at once the
        # console shell died once, as if the writer had still been its
        # job (not pinned down further; never seen since).
        total = 8 << 20
        sh.s.sendall(b"sh -c \"setsid sh -c 'dd if=/dev/zero of=/dev/vport0p1 "
                     b"bs=65536 count=128; echo \\$? > /tmp/dd.rc' "
                     b"</dev/null >/dev/null 2>&1 &\"\n")
        out, st = sh.run("sleep 2; test -e /tmp/dd.rc || echo writer-blocked; "
                         "echo console-alive", timeout=120)
        tap("writer-blocked" in out and "console-alive" in out,
            "a port client that reads nothing blocks only the writer: the "
            "console shell still answers", out)
        got = recv_exactly(p, total, 300)
        out, st = sh.run("while ! test -s /tmp/dd.rc; do sleep 1; done; "
                         "echo dd=$(cat /tmp/dd.rc)", timeout=120)
        tap(len(got) == total and got.count(0) == total and "dd=0" in out,
            "once the client reads, all 8 MiB arrive and the writer ends",
            "got %d bytes; %s" % (len(got), out))

        sh.s.sendall(b"poweroff\n")
        try:
            rc = proc.wait(300)
        except subprocess.TimeoutExpired:
            rc = None
        tap(rc == 0, "poweroff from the virtconsole shell ends the emulator "
            "with status 0", rc)
        return listing
    except (Timeout, OSError) as e:
        tap(False, "the virtio-serial session", e)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        log.close()


def listing_of(argv, timeout=600):
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout)
    out = r.stdout.decode("utf-8", "replace").replace("\r", "")
    return sorted(line for line in out.splitlines()
                  if line.startswith("port "))


def compare_with_qemu(images, tmp):
    qemu = shutil.which("qemu-system-riscv64")
    if not qemu:
        print("ok - the listing as QEMU's # SKIP no qemu-system-riscv64")
        return
    run64 = base64.b64encode(LISTING.encode()).decode()
    append = "console=ttyS0 mimic.run64=%s" % run64
    lists = []
    for prog in (EMU, qemu):
        sub = os.path.join(tmp, os.path.basename(prog))
        os.makedirs(sub)
        argv = [prog] + serial_args(images, os.path.join(sub, "c"),
                                    os.path.join(sub, "p"), append) + \
            ["-serial", "stdio", "-monitor", "none"]
        try:
            lists.append(listing_of(argv))
        except subprocess.TimeoutExpired:
            lists.append(["timed out"])
    tap(lists[0] == lists[1] and len(lists[0]) == 2,
        "/sys/class/virtio-ports lists the same ports and names as "
        "qemu-system-riscv64 on the same line",
        "mimic: %s\nqemu:  %s" % tuple(lists))


def yocto_line(images):
    """Yocto runqemu's line for qemuriscv64: a console on a null chardev."""
    run64 = base64.b64encode(LISTING.encode()).decode()
    argv = [EMU, "-M", "virt", "-m", "256M", "-display", "none",
            "-serial", "stdio", "-monitor", "none",
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0 mimic.run64=%s" % run64,
            "-device", "virtio-serial-device", "-chardev", "null,id=virtcon",
            "-device", "virtconsole,chardev=virtcon"]
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=600)
        out = r.stdout.decode("utf-8", "replace")
        ok = r.returncode == 0 and "port vport0p0 name=" in out and \
            "mimic-guest: exit 0" in out
    except subprocess.TimeoutExpired as e:
        ok, out = False, str(e)
    tap(ok, "Yocto's line (-chardev null,id=virtcon -device "
        "virtconsole,chardev=virtcon) boots with the console port", out)


def main():
    images = image_dir()
    if images is None:
        print("1..0 # SKIP no image cache (run 'make images')")
        return
    tmp = tempfile.mkdtemp(prefix="mimic-vserial-")
    try:
        shell_session(images, tmp)
        compare_with_qemu(images, tmp)
        yocto_line(images)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
