#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Virtio devices under Linux (the image recipe's kernel and busybox):
virtio-rng feeds /dev/hwrng; virtio-net on user networking (libslirp) gets
an address by DHCP, downloads a file from a web server on the host's
127.0.0.1 (as 10.0.2.2) and serves a page to the host through hostfwd.
Also the command-line errors of networking.  Prints TAP; the guest parts
skip when the images are not built.  (Bare-metal checks of the transport
and of bad descriptor chains are in tests/tcg/riscv64/virtio_rng.c.)
"""
import functools
import hashlib
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import (tap, done, image_dir, linux_argv,  # noqa: E402
                       listen_port, log_path, EMU)


def test_rng(images):
    log = log_path("virtio-rng.log")
    with GuestConsole(linux_argv(images, "-device", "virtio-rng-device"),
                      log_path=log) as g:
        try:
            g.expect("mimic-guest: ready", timeout=300)
            g.quiet_shell()
        except ConsoleTimeout as e:
            tap(False, "virtio-rng: Linux boots", str(e))
            return
        out, st = g.run("cat /sys/class/misc/hw_random/rng_current")
        tap(st == 0 and out.strip().startswith("virtio_rng"),
            "virtio-rng: Linux uses it as its hardware RNG", out)
        out, st = g.run("dd if=/dev/hwrng bs=256 count=4 2>/dev/null | "
                        "hexdump -v -e '1/1 \"%02x\\n\"' | sort -u | wc -l")
        distinct = int(out.split()[-1]) if st == 0 and out.split() else 0
        tap(distinct > 200,
            "virtio-rng: 1 KiB from /dev/hwrng has %d distinct byte values"
            % distinct, out)


def start_web_server(root):
    handler = functools.partial(QuietHandler, directory=root)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_net(images):
    root = tempfile.mkdtemp(prefix="mimic-www-")
    blob = os.urandom(6 << 20)
    with open(os.path.join(root, "blob.bin"), "wb") as f:
        f.write(blob)
    want = hashlib.sha256(blob).hexdigest()
    srv = start_web_server(root)
    port = srv.server_address[1]
    log = log_path("virtio-net.log")
    # Host port 0: the kernel picks a free one, read back below.
    argv = linux_argv(images, "-netdev",
                      "user,id=n0,hostfwd=tcp:127.0.0.1:0-:80",
                      "-device", "virtio-net-device,netdev=n0,mac=52:54:00:aa:bb:cc")
    try:
        with GuestConsole(argv, log_path=log) as g:
            try:
                fwd = listen_port(g.proc)
                g.expect("mimic-guest: ready", timeout=300)
                g.quiet_shell()
            except (ConsoleTimeout, OSError) as e:
                tap(False, "virtio-net: Linux boots", str(e))
                return
            out, st = g.run("cat /sys/class/net/eth0/address")
            tap(st == 0 and out.strip() == "52:54:00:aa:bb:cc",
                "virtio-net: eth0 has the mac= address", out)
            out, st = g.run("udhcpc -i eth0 -n -q -t 5 2>&1; "
                            "ip -4 addr show eth0", timeout=120)
            tap(st == 0 and "10.0.2.15/24" in out,
                "virtio-net: DHCP gives 10.0.2.15", out)
            out, st = g.run("wget -q -O /tmp/blob http://10.0.2.2:%d/blob.bin && "
                            "sha256sum /tmp/blob" % port, timeout=300)
            tap(st == 0 and want in out,
                "virtio-net: 6 MiB from the host's web server arrive intact", out)
            out, st = g.run("mkdir -p /www && echo hello-from-the-guest > "
                            "/www/index.html && httpd -p 80 -h /www")
            body = b""
            for _ in range(20):
                try:
                    body = urllib.request.urlopen(
                        "http://127.0.0.1:%d/index.html" % fwd, timeout=20).read()
                    break
                except OSError:
                    time.sleep(0.5)
            tap(body == b"hello-from-the-guest\n",
                "virtio-net: hostfwd reaches busybox httpd in the guest", repr(body))
    finally:
        srv.shutdown()


def test_restrict(images):
    """restrict=on: the guest reaches nothing outside, yet a forwarded port
    still reaches the guest."""
    root = tempfile.mkdtemp(prefix="mimic-www-")
    with open(os.path.join(root, "x.txt"), "w") as f:
        f.write("outside")
    srv = start_web_server(root)
    port = srv.server_address[1]
    argv = linux_argv(images, "-nic",
                      "user,restrict=on,hostfwd=tcp:127.0.0.1:0-:80")
    try:
        with GuestConsole(argv, log_path=log_path("virtio-net-restrict.log")) as g:
            try:
                fwd = listen_port(g.proc)
                g.expect("mimic-guest: ready", timeout=300)
                g.quiet_shell()
            except (ConsoleTimeout, OSError) as e:
                tap(False, "restrict=on: Linux boots", str(e))
                return
            g.run("udhcpc -i eth0 -n -q -t 5 >/dev/null 2>&1", timeout=120)
            out, st = g.run("wget -q -T 3 -O - http://10.0.2.2:%d/x.txt 2>&1; "
                            "echo rc=$?" % port, timeout=120)
            tap("outside" not in out and "rc=0" not in out,
                "restrict=on: the guest cannot reach the host's web server", out)
            g.run("mkdir -p /www && echo inside > /www/index.html && "
                  "httpd -p 80 -h /www")
            body = b""
            for _ in range(20):
                try:
                    body = urllib.request.urlopen(
                        "http://127.0.0.1:%d/index.html" % fwd, timeout=20).read()
                    break
                except OSError:
                    time.sleep(0.5)
            tap(body == b"inside\n", "restrict=on: hostfwd still reaches the "
                "guest", repr(body))
    finally:
        srv.shutdown()


def run_emu(*args, timeout=30):
    return subprocess.run([EMU, "-M", "virt", "-nographic", "-bios", "none"] +
                          list(args), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def test_net_errors():
    sk = socket.socket()
    sk.bind(("127.0.0.1", 0))
    sk.listen(1)
    busy = sk.getsockname()[1]
    r = run_emu("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:22" % busy)
    sk.close()
    tap(r.returncode == 1 and "could not set up host forwarding rule" in r.stderr,
        "a hostfwd port already in use is a clear error", r.stderr)
    cases = [
        (["-netdev", "user,id=n0,hostfwd=tcp:nonsense"], "invalid host forwarding rule"),
        (["-netdev", "tap,id=n0"], "not available here"),
        (["-netdev", "user"], "needs id="),
        (["-netdev", "user,id=n0,bogus=1"], "'bogus' is not a parameter"),
        (["-device", "virtio-net-device,netdev=nope"], "no network backend with id 'nope'"),
        (["-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0,mac=01:02:03:04:05:06"],
         "multicast"),
        (["-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
          "-device", "virtio-net-device,netdev=n0"], "already has a NIC"),
        (["-nic", "user,model=e1000"], "model=e1000 is not available"),
    ]
    for args, msg in cases:
        r = run_emu(*args)
        tap(r.returncode == 1 and msg in r.stderr,
            "error: %s -> %s" % (" ".join(args), msg), r.stderr)


def main():
    test_net_errors()
    images = image_dir()
    if not images:
        tap(True, "# SKIP guest images not built (make images)")
        done()
        return
    test_rng(images)
    test_net(images)
    test_restrict(images)
    done()


main()
