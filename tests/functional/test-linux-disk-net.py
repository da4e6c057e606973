#!/usr/bin/env python3
# targets: riscv64-softmmu
"""One Linux session that uses a disk and the network together, ended by
the guest's poweroff: the run CI repeats under ASan and UBSan (make
check-sanitizers, .ci/run), where the emulator must exit by itself so that
the leak check at exit runs too.

Two harts; a qcow2 overlay over an ext4 image made on the host; user
networking.  The guest reads a file from the disk, gets an address by
DHCP, downloads a file from a web server on the host, stores it on the
disk, syncs and powers off.  On the host: qemu-img check of the overlay is
clean and debugfs finds the downloaded file, intact, in the image.
Prints TAP; skips when the images are not built (make images).
"""
import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, linux_argv, BUILD, log_path  # noqa: E402

IMG = os.path.join(BUILD, "mimic-img")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def sh(*cmd):
    return subprocess.run(list(cmd), capture_output=True, text=True)


def session(images, tmp):
    local = os.urandom(1 << 20)
    fetched = os.urandom(3 << 20)
    root = os.path.join(tmp, "root")
    www = os.path.join(tmp, "www")
    os.makedirs(root)
    os.makedirs(www)
    with open(os.path.join(root, "local.bin"), "wb") as f:
        f.write(local)
    with open(os.path.join(www, "fetched.bin"), "wb") as f:
        f.write(fetched)
    base = os.path.join(tmp, "base.raw")
    r = sh("mke2fs", "-q", "-F", "-t", "ext4", "-d", root, base, "64M")
    ov = os.path.join(tmp, "disk.qcow2")
    r2 = sh(IMG, "create", "-f", "qcow2", "-b", base, "-F", "raw", ov)
    if not tap(r.returncode == 0 and r2.returncode == 0,
               "an ext4 image and a qcow2 overlay on it",
               r.stdout + r.stderr + r2.stdout + r2.stderr):
        return
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=www))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    argv = linux_argv(images, "-smp", "2", "-drive", "file=%s,if=virtio" % ov,
                      "-nic", "user")
    log = log_path("linux-disk-net.log")
    try:
        with GuestConsole(argv, log_path=log) as g:
            try:
                g.expect("mimic-guest: ready", timeout=600)
                g.quiet_shell()
            except ConsoleTimeout as e:
                tap(False, "Linux boots with a disk and a NIC", e)
                return
            out, st = g.run("mkdir -p /mnt && mount -t ext4 /dev/vda /mnt && "
                            "sha256sum /mnt/local.bin", timeout=300)
            tap(st == 0 and hashlib.sha256(local).hexdigest() in out,
                "the guest reads the host's file from the disk", out)
            out, st = g.run("udhcpc -i eth0 -n -q -t 5 >/dev/null 2>&1; "
                            "ip -4 addr show eth0", timeout=300)
            tap(st == 0 and "10.0.2.15/24" in out, "DHCP gives 10.0.2.15", out)
            out, st = g.run("wget -q -O /mnt/fetched.bin "
                            "http://10.0.2.2:%d/fetched.bin && sync && "
                            "sha256sum /mnt/fetched.bin && umount /mnt" % port,
                            timeout=600)
            tap(st == 0 and hashlib.sha256(fetched).hexdigest() in out,
                "a download from the host lands on the disk intact", out)
            g.send("poweroff\n")
            rc = g.wait_exit(300)
            tap(rc == 0, "poweroff ends the emulator with status 0", rc)
    finally:
        srv.shutdown()
    r = sh("qemu-img", "check", ov)
    tap(r.returncode == 0, "qemu-img check of the overlay is clean",
        r.stdout + r.stderr)
    flat = os.path.join(tmp, "flat.raw")
    r = sh("qemu-img", "convert", "-O", "raw", ov, flat)
    out = os.path.join(tmp, "out.bin")
    r2 = sh("debugfs", "-R", "dump /fetched.bin %s" % out, flat)
    ok = os.path.exists(out) and hashlib.sha256(
        open(out, "rb").read()).hexdigest() == hashlib.sha256(fetched).hexdigest()
    tap(ok, "debugfs finds the downloaded file in the image",
        r.stderr + r2.stdout + r2.stderr)


def main():
    images = image_dir()
    if images is None:
        print("1..0 # SKIP no image cache (run 'make images')")
        return
    tmp = tempfile.mkdtemp(prefix="mimic-disknet-")
    try:
        session(images, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
