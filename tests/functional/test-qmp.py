#!/usr/bin/env python3
# targets: riscv64-softmmu
"""QMP with a real client (Python's socket and json only) against Linux
from the image recipe: greeting and negotiation, stop (STOP event, paused,
the guest's console stops) and cont (RESUME, running), human-monitor-command,
bad input of every kind (each answered with an error of the right class,
the connection still working after it), requests split into chunks, a
client leaving mid-message and mid-command (the next client gets a fresh
greeting), system_powerdown (POWERDOWN) and quit (SHUTDOWN, reason
host-qmp-quit, exit status 0).  Prints TAP; skips without the images.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, EMU, log_path  # noqa: E402


class QMPClient:
    """One QMP connection: replies are matched to requests, events kept."""

    def __init__(self, path, timeout=10):
        # Waits (generously: a loaded machine) for the emulator to listen.
        deadline = time.monotonic() + 60
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.events = []
        self.greeting = self.recv_msg()

    def recv_msg(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("QMP connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def send_raw(self, data):
        self.sock.sendall(data)

    def reply(self):
        """The next reply (return or error); events on the way are kept."""
        while True:
            msg = self.recv_msg()
            if "event" in msg:
                self.events.append(msg)
            else:
                return msg

    def cmd(self, name, args=None, id=None):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        if id is not None:
            req["id"] = id
        self.send_raw(json.dumps(req).encode())
        return self.reply()

    def wait_event(self, name, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    return self.events.pop(i)
            if time.monotonic() > deadline:
                return None
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                self.events.append(self.recv_msg())
            except socket.timeout:
                return None

    def close(self):
        self.sock.close()


def error_class(rsp):
    return rsp.get("error", {}).get("class")


def check_still_works(q, what):
    rsp = q.cmd("query-status", id=what)
    return rsp.get("id") == what and "status" in rsp.get("return", {})


def bad_input(q):
    cases = [
        ("garbage bytes", b"\xff\xfe garbage }\n", "GenericError", "JSON parse error"),
        ("a JSON array", b"[1, 2, 3]", "GenericError", "must be a JSON object"),
        ("a JSON number", b"42\n", "GenericError", "must be a JSON object"),
        ("an unknown command", b'{"execute": "no-such-command"}',
         "CommandNotFound", "no-such-command"),
        ("an unknown key", b'{"execute": "query-status", "colour": 1}',
         "GenericError", "'colour' is unexpected"),
        ("an unknown argument",
         b'{"execute": "human-monitor-command", "arguments": '
         b'{"command-line": "info status", "colour": 1}}',
         "GenericError", "Parameter 'colour' is unexpected"),
        ("a wrong argument type",
         b'{"execute": "human-monitor-command", "arguments": {"command-line": 5}}',
         "GenericError", "Invalid parameter type for 'command-line'"),
        ("a missing argument", b'{"execute": "human-monitor-command"}',
         "GenericError", "'command-line' is missing"),
        ("no execute", b'{"arguments": {}}', "GenericError", "lacks member 'execute'"),
        ("arguments not an object", b'{"execute": "stop", "arguments": [1]}',
         "GenericError", "'arguments' must be an object"),
        ("qmp_capabilities again", b'{"execute": "qmp_capabilities"}',
         "CommandNotFound", "already complete"),
    ]
    for name, data, cls, text in cases:
        q.send_raw(data)
        rsp = q.reply()
        ok = error_class(rsp) == cls and text in rsp["error"].get("desc", "")
        ok = ok and check_still_works(q, "after " + name)
        tap(ok, "bad input: %s gives %s and the connection goes on" % (name, cls),
            rsp)
    # One request in pieces, with the id of another type echoed.
    for piece in (b'{"exe', b'cute": "query-st', b'atus", "id": {"n": [1, "}"]}}'):
        q.send_raw(piece)
        time.sleep(0.05)
    rsp = q.reply()
    tap(rsp.get("id") == {"n": [1, "}"]} and rsp["return"]["status"] == "running",
        "a request split in chunks (a '}' inside a string) is one request", rsp)


def stop_cont(q, g):
    rsp = q.cmd("stop", id="stop-1")
    ev = q.wait_event("STOP")
    st = q.cmd("query-status")["return"]
    tap(rsp == {"return": {}, "id": "stop-1"} and ev is not None and
        "seconds" in ev.get("timestamp", {}) and st["status"] == "paused" and
        st["running"] is False,
        "stop: STOP event, query-status says paused", (rsp, ev, st))
    # A command typed at the stopped guest is not run until cont.
    g.send("echo marker-$((6*7))\n")
    time.sleep(1.0)
    try:
        g.expect(r"marker-42", timeout=0.5)
        quiet = False
    except ConsoleTimeout:
        quiet = True
    tap(quiet, "stopped: the guest's console stays silent")
    rsp = q.cmd("cont")
    ev = q.wait_event("RESUME")
    st = q.cmd("query-status")["return"]
    tap(rsp == {"return": {}} and ev is not None and st["status"] == "running" and
        st["running"] is True, "cont: RESUME event, running again", (rsp, ev, st))
    try:
        g.expect(r"marker-42", timeout=30)
        tap(True, "after cont the guest runs the command")
    except ConsoleTimeout as e:
        tap(False, "after cont the guest runs the command", e)


def queries(q):
    rsp = q.cmd("human-monitor-command", {"command-line": "info registers"}, id=7)
    out = rsp.get("return", "")
    tap(rsp.get("id") == 7 and re.search(r"^ pc +[0-9a-f]{16}$", out, re.M) is not None,
        "human-monitor-command 'info registers' shows pc", rsp)
    cpus = q.cmd("query-cpus-fast").get("return")
    tap(isinstance(cpus, list) and len(cpus) == 1 and cpus[0]["cpu-index"] == 0 and
        cpus[0]["target"] == "riscv64" and cpus[0]["thread-id"] > 0,
        "query-cpus-fast lists the hart", cpus)
    ver = q.cmd("query-version").get("return", {})
    names = [c["name"] for c in q.cmd("query-commands").get("return", [])]
    tap(ver.get("qemu", {}).get("minor") == 1 and "human-monitor-command" in names and
        "quit" in names, "query-version and query-commands", (ver, names))


def reconnects(sock_path):
    # Leaves in the middle of a message ...
    q = QMPClient(sock_path)
    q.cmd("qmp_capabilities")
    q.send_raw(b'{"execute": "query-sta')
    q.close()
    # ... and right after a command whose reply it never reads.
    q = QMPClient(sock_path)
    ok = "QMP" in q.greeting
    q.cmd("qmp_capabilities")
    q.send_raw(b'{"execute": "human-monitor-command", '
               b'"arguments": {"command-line": "info mtree"}}')
    q.close()
    q = QMPClient(sock_path)
    ok = ok and "QMP" in q.greeting
    rsp = q.cmd("query-status")
    ok = ok and error_class(rsp) == "CommandNotFound"
    tap(ok, "clients that leave mid-message or mid-command; the next one "
        "gets a greeting and must negotiate again", rsp)
    q.cmd("qmp_capabilities")
    tap(check_still_works(q, "new"), "the new client works")
    return q


def main():
    images = image_dir()
    if not images:
        tap(True, "QMP # SKIP images not built (sh tests/images/build.sh)")
        done()
        return
    tmp = tempfile.mkdtemp()
    sock_path = os.path.join(tmp, "qmp.sock")
    argv = [EMU, "-M", "virt", "-m", "256M", "-nographic",
            "-qmp", "unix:%s,server,wait=off" % sock_path,
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0"]
    log = log_path("qmp-console.log")
    with GuestConsole(argv, log_path=log) as g:
        try:
            q = QMPClient(sock_path)
            gr = q.greeting.get("QMP", {})
            tap(gr.get("version", {}).get("qemu") == {"major": 0, "minor": 1, "micro": 0}
                and gr.get("capabilities") == [], "greeting", q.greeting)
            rsp = q.cmd("query-status")
            tap(error_class(rsp) == "CommandNotFound",
                "commands before qmp_capabilities are refused", rsp)
            tap(q.cmd("qmp_capabilities") == {"return": {}}, "qmp_capabilities")
            g.expect("mimic-guest: ready", timeout=120)
            stop_cont(q, g)
            queries(q)
            bad_input(q)
            q.close()
            q = reconnects(sock_path)
            rsp = q.cmd("system_powerdown")
            ev = q.wait_event("POWERDOWN")
            tap(rsp == {"return": {}} and ev is not None,
                "system_powerdown: POWERDOWN event (virt has no power button)",
                (rsp, ev))
            rsp = q.cmd("quit")
            ev = q.wait_event("SHUTDOWN")
            tap(rsp == {"return": {}} and ev is not None and
                ev.get("data") == {"guest": False, "reason": "host-qmp-quit"},
                "quit: SHUTDOWN event with reason host-qmp-quit", (rsp, ev))
            rc = g.wait_exit(timeout=30)
            tap(rc == 0, "the emulator exits with status 0", rc)
        except (ConsoleTimeout, OSError, EOFError, ValueError, KeyError) as e:
            tap(False, "QMP session", "%r\n%s" % (e, g.tail()))
    done()


main()
