#!/usr/bin/env python3
# targets: riscv64-softmmu
"""The options test harnesses pass, as a user notices them: -no-shutdown
(the guest's power-off stops the machine, QMP says SHUTDOWN and shutdown,
system_reset and cont run it again, quit ends it), -name (query-name, the
process name), -pidfile (written, locked against a second instance,
removed at exit), -daemonize (the parent returns once the machine is up,
the daemon runs on and answers QMP), -nodefaults (nothing on stdio),
-msg timestamp=on, -L DIR for -bios NAME, and, with a Linux guest, -rtc
(the guest's date) and -object rng-random (the guest's /dev/hwrng reads
the file).  Prints TAP.
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, image_dir, connect, EMU  # noqa: E402

# sb 'H' to the UART, then 0x5555 (power off) to the test finisher.
HELLO = bytes([0o267, 2, 0, 0o20, 0o23, 3, 0o200, 4, 0o43, 0o200, 0o142, 0,
               0o267, 2, 0o20, 0, 0o67, 0o123, 0, 0, 0o23, 3, 0o123, 0o125,
               0o43, 0o240, 0o142, 0, 0o157, 0, 0, 0])


class Qmp:
    def __init__(self, path, proc=None):
        self.s = connect(path, proc)
        self.f = self.s.makefile("rw")
        self.events = []
        json.loads(self.f.readline())
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "event" in r:
                self.events.append(r["event"])
                continue
            return r

    def wait_event(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        self.s.settimeout(timeout)
        while name not in self.events:
            if time.monotonic() > deadline:
                return False
            r = json.loads(self.f.readline())
            if "event" in r:
                self.events.append(r["event"])
        return True

    def wait_status(self, status, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.cmd("query-status")
            if r.get("return", {}).get("status") == status:
                return True
            time.sleep(0.05)
        return False


def raw_argv(tmp, *extra):
    return [EMU, "-M", "virt", "-bios", "none", "-display", "none",
            "-kernel", os.path.join(tmp, "hello.bin")] + list(extra)


def no_shutdown_and_name(tmp):
    sock = os.path.join(tmp, "qmp.sock")
    p = subprocess.Popen(raw_argv(tmp, "-serial", "none", "-no-shutdown", "-S",
                                  "-name", "guest1,process=mimic-guest1",
                                  "-qmp", "unix:%s,server=on,wait=off" % sock),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        q = Qmp(sock, p)
        r = q.cmd("query-name")
        tap(r.get("return") == {"name": "guest1"}, "-name: query-name "
            "returns the name", r)
        comm = open("/proc/%d/comm" % p.pid).read().strip()
        tap(comm == "mimic-guest1", "-name ...,process=P names the process",
            comm)
        q.cmd("cont")
        ok = q.wait_event("SHUTDOWN") and q.wait_status("shutdown")
        tap(ok and p.poll() is None, "-no-shutdown: the guest's power-off "
            "stops the machine (SHUTDOWN, status shutdown), the emulator "
            "stays", q.events)
        r = q.cmd("cont")
        tap("error" in r and "Resetting" in r["error"]["desc"],
            "cont before system_reset is refused", r)
        q.events.clear()
        q.cmd("system_reset")
        ok = q.wait_status("prelaunch")
        q.cmd("cont")
        ok = ok and q.wait_event("SHUTDOWN") and q.wait_status("shutdown")
        tap(ok, "system_reset and cont run the guest again (it powers off "
            "again)", q.events)
        q.cmd("quit")
        rc = p.wait(60)
        tap(rc == 0, "quit ends it with status 0", rc)
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()


def pidfile_and_daemonize(tmp):
    pid = os.path.join(tmp, "m.pid")
    sock = os.path.join(tmp, "d.sock")
    t0 = time.monotonic()
    r = subprocess.run(raw_argv(tmp, "-serial", "none", "-S", "-daemonize",
                                "-pidfile", pid, "-qmp",
                                "unix:%s,server=on,wait=off" % sock),
                       capture_output=True, timeout=60)
    ok = r.returncode == 0 and os.path.exists(pid) and os.path.exists(sock)
    tap(ok, "-daemonize: the parent exits 0 once the machine is up (PID "
        "file and QMP socket there)", r.stderr)
    if not ok:
        return
    dpid = int(open(pid).read())
    try:
        r2 = subprocess.run(raw_argv(tmp, "-serial", "none", "-S", "-pidfile",
                                     pid), capture_output=True, timeout=60)
        tap(r2.returncode == 1 and b"Cannot lock pid file" in r2.stderr,
            "-pidfile: a second instance on the same file is refused",
            r2.stderr)
        q = Qmp(sock)
        st = q.cmd("query-status")
        tap(st.get("return", {}).get("status") == "prelaunch" and
            os.getsid(dpid) == dpid, "the daemon runs in a session of its "
            "own and answers QMP", st)
        q.cmd("quit")
        deadline = time.monotonic() + 60
        while os.path.exists(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        tap(not os.path.exists(pid), "-pidfile: the file is removed at exit")
    finally:
        try:
            os.kill(dpid, 9)
        except OSError:
            pass
    r = subprocess.run([EMU, "-daemonize", "-nographic"], capture_output=True)
    tap(r.returncode == 1 and b"-nographic cannot be used with -daemonize"
        in r.stderr, "-daemonize refuses -nographic as QEMU", r.stderr)
    r = subprocess.run([EMU, "-daemonize", "-serial", "stdio"],
                       capture_output=True)
    tap(r.returncode == 1 and b"-serial stdio: cannot use stdio with "
        b"-daemonize" in r.stderr, "-daemonize refuses stdio as QEMU",
        r.stderr)
    r = subprocess.run(raw_argv(tmp, "-daemonize", "-serial", "none",
                                "-kernel", "/nonexistent"),
                       capture_output=True, timeout=60)
    tap(r.returncode == 1 and b"/nonexistent" in r.stderr,
        "-daemonize: a start-up error reaches the caller, status 1",
        r.stderr)


def small_options(tmp):
    r = subprocess.run(raw_argv(tmp, "-nographic", "-nodefaults"),
                       capture_output=True, timeout=60)
    tap(r.returncode == 0 and r.stdout == b"",
        "-nodefaults -nographic: no serial port or monitor on stdio", r)
    r = subprocess.run(raw_argv(tmp, "-nographic"), capture_output=True,
                       timeout=60)
    tap(r.returncode == 0 and r.stdout == b"H", "without -nodefaults the "
        "serial port is on stdio", r)
    r = subprocess.run([EMU, "-msg", "timestamp=on", "-M", "bogus"],
                       capture_output=True, text=True)
    tap(r.returncode == 1 and re.match(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z mimic-system-riscv64: ",
        r.stderr), "-msg timestamp=on: messages carry QEMU's time stamp",
        r.stderr)
    r = subprocess.run([EMU, "-name", "g7", "-msg",
                        "timestamp=off,guest-name=on", "-M", "bogus"],
                       capture_output=True, text=True)
    tap(r.stderr.startswith("g7 mimic-system-riscv64: "),
        "-msg guest-name=on: messages carry the -name", r.stderr)
    d = os.path.join(tmp, "fw")
    os.makedirs(d)
    shutil.copy(os.path.join(tmp, "hello.bin"), os.path.join(d, "fw.bin"))
    r = subprocess.run([EMU, "-M", "virt", "-display", "none", "-nographic",
                        "-L", d, "-bios", "fw.bin", "-boot",
                        "order=c,menu=off,strict=on", "-no-user-config",
                        "-nodefconfig"],
                       capture_output=True, timeout=60)
    tap(r.returncode == 0 and r.stdout == b"H",
        "-L DIR: -bios NAME is found there (with -boot, -no-user-config "
        "and -nodefconfig accepted)", r)


def linux_rtc_rng(images, tmp):
    rngfile = os.path.join(tmp, "entropy")
    with open(rngfile, "wb") as f:
        f.write(b"Z" * (1 << 20))
    cmd = ("date -u +%Y-%m-%dT%H; head -c 64 /dev/hwrng | "
           "tr -d Z | wc -c; cat /sys/class/misc/hw_random/rng_current")
    run64 = base64.b64encode(cmd.encode()).decode()
    argv = [EMU, "-M", "virt", "-m", "256M", "-nographic",
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0 mimic.run64=%s" % run64,
            "-rtc", "base=2021-03-04T05:06:07,clock=vm",
            "-object", "rng-random,id=rng0,filename=%s" % rngfile,
            "-device", "virtio-rng-device,rng=rng0"]
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=600)
    out = r.stdout.decode("utf-8", "replace").replace("\r", "")
    tap("\n2021-03-04T05\n" in out, "-rtc base=DATETIME: the guest's date "
        "starts there", out[-800:])
    tap(re.search(r"\n0\nvirtio_rng", out) is not None,
        "-object rng-random,filename=F: the guest's /dev/hwrng reads F",
        out[-800:])


def main():
    tmp = tempfile.mkdtemp(prefix="mimic-harness-")
    try:
        with open(os.path.join(tmp, "hello.bin"), "wb") as f:
            f.write(HELLO)
        no_shutdown_and_name(tmp)
        pidfile_and_daemonize(tmp)
        small_options(tmp)
        images = image_dir()
        if images:
            linux_rtc_rng(images, tmp)
        else:
            print("ok - Linux guest checks # SKIP no image cache")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
