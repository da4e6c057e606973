#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Socket chardev options of test harnesses: telnet (-serial
telnet:HOST:PORT,server and telnet=on) sends QEMU's option negotiation,
strips the client's IAC commands and doubles 0xff in the guest's output;
reconnect=N (a client) starts without its server, keeps the guest
running, connects once the server listens and again after it goes away.
The guest is a tiny raw program that echoes its UART input until a 'q',
then powers off.  Prints TAP.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, EMU  # noqa: E402

ECHO = bytes([0o267, 2, 0, 0o20, 3, 0o303, 0o122, 0, 0o23, 0o163, 0o23, 0,
              0o343, 0o14, 3, 0o376, 0o203, 0o303, 2, 0, 0o43, 0o200, 0o162,
              0, 0o23, 0o16, 0o20, 7, 0o343, 0o224, 0o303, 0o377, 0o267, 2,
              0o20, 0, 0o67, 0o123, 0, 0, 0o23, 3, 0o123, 0o125, 0o43, 0o240,
              0o142, 0, 0o157, 0, 0, 0])
NEGOTIATION = bytes.fromhex("fffb01fffb03fffb00fffd00")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def recv_until(sock, want, timeout=60):
    got = b""
    deadline = time.monotonic() + timeout
    sock.settimeout(1)
    while want not in got and time.monotonic() < deadline:
        try:
            d = sock.recv(4096)
        except socket.timeout:
            continue
        if not d:
            break
        got += d
    return got


def connect_retry(port, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.05)


def telnet(tmp, kernel):
    for how in ("-serial telnet", "-chardev socket,telnet=on"):
        port = free_port()
        if how.startswith("-serial"):
            extra = ["-serial", "telnet:127.0.0.1:%d,server,nowait" % port]
        else:
            extra = ["-chardev", "socket,id=c0,host=127.0.0.1,port=%d,"
                     "server=on,wait=off,telnet=on" % port,
                     "-serial", "chardev:c0"]
        p = subprocess.Popen([EMU, "-M", "virt", "-bios", "none", "-display",
                              "none", "-monitor", "none", "-kernel",
                              kernel] + extra, stderr=subprocess.PIPE)
        try:
            c = connect_retry(port, p)
            got = recv_until(c, NEGOTIATION)
            tap(got.startswith(NEGOTIATION), "%s: the server sends WILL ECHO, "
                "WILL SUPPRESS-GO-AHEAD, WILL and DO BINARY" % how, got.hex())
            # DO ECHO and a break are commands; IAC IAC is one 0xff byte.
            c.sendall(b"a\xff\xfd\x01b\xff\xf3c\xff\xffd")
            got = recv_until(c, b"d")
            tap(got == b"abc\xff\xffd", "%s: the client's commands are "
                "stripped, 0xff goes to the guest and comes back doubled"
                % how, got.hex())
            c.sendall(b"q")
            rc = p.wait(60)
            tap(rc == 0, "%s: the guest ends with status 0" % how, rc)
        finally:
            if p.poll() is None:
                p.kill()
            p.wait()


def reconnect(tmp, kernel):
    port = free_port()
    p = subprocess.Popen([EMU, "-M", "virt", "-bios", "none", "-display",
                          "none", "-monitor", "none", "-kernel", kernel,
                          "-chardev", "socket,id=c0,host=127.0.0.1,port=%d,"
                          "reconnect=1" % port, "-serial", "chardev:c0"],
                         stderr=subprocess.PIPE)
    srv = None
    try:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # The emulator is running (its first attempt failed) before the
        # server exists.
        deadline = time.monotonic() + 60
        err = b""
        os.set_blocking(p.stderr.fileno(), False)
        while b"Unable to connect" not in err and time.monotonic() < deadline:
            err += p.stderr.read() or b""
            time.sleep(0.05)
        tap(b"Unable to connect character device c0" in err and
            p.poll() is None, "reconnect=1: start-up goes on without the "
            "server (the failure is reported)", err)
        srv.bind(("127.0.0.1", port))
        srv.listen(1)
        srv.settimeout(60)
        t0 = time.monotonic()
        c, _ = srv.accept()
        c.sendall(b"hi")
        got = recv_until(c, b"hi")
        tap(got == b"hi", "it connects once the server listens (%.1f s) and "
            "the guest answers" % (time.monotonic() - t0), got)
        c.close()
        c, _ = srv.accept()
        c.sendall(b"again")
        got = recv_until(c, b"again")
        tap(got == b"again", "it connects again after the server closed "
            "the connection", got)
        c.sendall(b"q")
        rc = p.wait(60)
        tap(rc == 0, "the guest ends with status 0", rc)
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
        if srv:
            srv.close()
    r = subprocess.run([EMU, "-chardev", "socket,id=c0,port=4444,server=on,"
                        "reconnect=1"], capture_output=True, text=True)
    tap(r.returncode == 1 and "'reconnect' option is incompatible with "
        "socket in server listen mode" in r.stderr,
        "reconnect with server=on is QEMU's error", r.stderr)


def main():
    tmp = tempfile.mkdtemp(prefix="mimic-telnet-")
    kernel = os.path.join(tmp, "echo.bin")
    with open(kernel, "wb") as f:
        f.write(ECHO)
    try:
        telnet(tmp, kernel)
        reconnect(tmp, kernel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
