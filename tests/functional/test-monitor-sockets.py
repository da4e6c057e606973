#!/usr/bin/env python3
# targets: riscv64-softmmu
"""QMP, HMP and the gdb stub on sockets, against clients that misbehave,
on bare-metal guests (no images needed).  Clients that send requests and
never read the answers: another QMP client is still served, the guest
keeps running, SIGTERM still ends the emulator, and the flooding client,
once it reads, gets every answer (it was paused, not dropped).  A second
client waiting while one is connected: the emulator does not spin, and
the waiting client is served when the first leaves.  QMP ids echoed as sent (1e999 too), and
bad JSON of every kind answered with an error.  Prints TAP.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from mimictest import tap, done, connect, BUILD, EMU  # noqa: E402

COUNT = os.path.join(BUILD, "tests", "functional", "count.elf")
IDLE = os.path.join(BUILD, "tests", "functional", "idle.elf")
COUNTER = 0x80100000     # where count.elf keeps its count
TIMEOUT = 60             # generous: the machine may be loaded


def start(kernel, *extra):
    argv = [EMU, "-M", "virt", "-bios", "none", "-kernel", kernel,
            "-display", "none", "-serial", "null"] + list(extra)
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stop(p):
    if p.poll() is None:
        p.kill()
    return p.communicate()[0].decode("utf-8", "replace")


class Qmp:
    """A QMP client: greeting, then commands with their replies."""

    def __init__(self, path, proc):
        self.s = connect(path, proc, TIMEOUT)
        self.s.settimeout(TIMEOUT)
        self.buf = b""
        self.greeting = self.msg()

    def msg(self):
        while b"\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("QMP connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, args=None):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        self.s.sendall(json.dumps(req).encode())
        while True:
            m = self.msg()
            if "event" not in m:
                return m

    def hmp(self, line):
        return self.cmd("human-monitor-command", {"command-line": line})


def guest_count(q):
    out = q.hmp("xp/1gx 0x%x" % COUNTER).get("return", "")
    m = re.search(r":\s*0x([0-9a-f]+)", out)
    return int(m.group(1), 16) if m else -1


def guest_runs(q):
    """True once the guest's count grows (it is running)."""
    first = guest_count(q)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if guest_count(q) > first >= 0:
            return True
        time.sleep(0.05)
    return False


class Flooder(threading.Thread):
    """Sends one request over and over and reads nothing, until stopped;
    counts the requests sent whole."""

    def __init__(self, sock, request):
        super().__init__(daemon=True)
        self.s, self.req = sock, request
        self.sent = 0
        self.halt = threading.Event()

    def run(self):
        self.s.setblocking(False)
        data = self.req * 64
        while not self.halt.is_set():
            try:
                self.sent += self.s.send(data[self.sent % len(self.req):])
            except BlockingIOError:
                self.halt.wait(0.01)
            except OSError:
                break

    def finish(self):
        """Stops sending (after the request in progress); the number of
        whole requests sent."""
        self.halt.set()
        self.join()
        self.s.setblocking(True)
        self.s.settimeout(TIMEOUT)
        left = -self.sent % len(self.req)
        if left:
            self.s.sendall(self.req[len(self.req) - left:])
            self.sent += left
        return self.sent // len(self.req)


def read_until_count(s, pattern, want):
    """Reads until pattern has been seen want times; the count seen."""
    got, buf = 0, b""
    s.settimeout(TIMEOUT)
    try:
        while got < want:
            data = s.recv(1 << 20)
            if not data:
                break
            buf += data
            got += buf.count(pattern)
            buf = buf[-(len(pattern) - 1):] if len(pattern) > 1 else b""
    except OSError:
        pass
    return got


def recv_until(s, text):
    """What s sends up to and including text (or until it closes)."""
    got = b""
    s.settimeout(TIMEOUT)
    while text not in got:
        data = s.recv(4096)
        if not data:
            break
        got += data
    return got


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_flood_monitors(tmp):
    qa, qb = os.path.join(tmp, "qa.sock"), os.path.join(tmp, "qb.sock")
    hm = os.path.join(tmp, "hmp.sock")
    p = start(COUNT, "-qmp", "unix:%s,server,wait=off" % qa,
              "-qmp", "unix:%s,server,wait=off" % qb,
              "-monitor", "unix:%s,server,wait=off" % hm)
    try:
        a = Qmp(qa, p)
        a.cmd("qmp_capabilities")
        qreq = b'{"execute": "human-monitor-command", ' \
               b'"arguments": {"command-line": "info mtree"}}'
        fa = Flooder(a.s, qreq)
        h = connect(hm, p, TIMEOUT)
        fh = Flooder(h, b"info mtree\n")
        fa.start()
        fh.start()
        # Enough requests for many times the socket buffers in answers.
        deadline = time.monotonic() + TIMEOUT
        while (fa.sent < 64 << 10 or fh.sent < 16 << 10) and \
                time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.01)
        b = Qmp(qb, p)
        ok = b.cmd("qmp_capabilities") == {"return": {}}
        st = b.cmd("query-status").get("return", {})
        tap(ok and st.get("status") == "running",
            "QMP and HMP clients flood requests and read nothing: another "
            "QMP client is served", st)
        tap(guest_runs(b), "... and the guest keeps running")
        # Paused, not dropped: once they read, every answer comes.
        n = fa.finish()
        got = read_until_count(a.s, b'{"return"', n)
        tap(got == n, "the flooding QMP client reads: an answer to each of "
            "its %d requests" % n, got)
        n = fh.finish()
        got = read_until_count(h, b"(mimic) ", n + 1)
        tap(got == n + 1, "the flooding HMP client reads: a prompt after each "
            "of its %d commands" % n, got)
        fa2 = Flooder(a.s, qreq)
        fa2.start()
        deadline = time.monotonic() + TIMEOUT
        while fa2.sent < 64 << 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        p.terminate()
        try:
            p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        tap(p.poll() is not None, "SIGTERM ends the emulator while a client "
            "floods", p.poll())
        fa2.halt.set()
    except (OSError, EOFError, ValueError) as e:
        tap(False, "flooding monitor clients", repr(e))
    finally:
        out = stop(p)
        if "Traceback" in out:
            print("#   " + out[-500:])


def gdb_packet(text):
    data = text.encode()
    return b"$" + data + b"#%02x" % (sum(data) & 0xff)


def test_flood_gdb(tmp):
    g, qb = os.path.join(tmp, "gdb.sock"), os.path.join(tmp, "qb2.sock")
    p = start(COUNT, "-gdb", "unix:" + g, "-qmp", "unix:%s,server,wait=off" % qb)
    try:
        s = connect(g, p, TIMEOUT)
        f = Flooder(s, gdb_packet("m80000000,2000"))
        f.start()
        deadline = time.monotonic() + TIMEOUT
        while f.sent < 32 << 10 and time.monotonic() < deadline and \
                p.poll() is None:
            time.sleep(0.01)
        b = Qmp(qb, p)
        ok = b.cmd("qmp_capabilities") == {"return": {}}
        # gdb stopped the guest when it attached: the guest stays stopped.
        st = b.cmd("query-status").get("return", {})
        tap(ok and st.get("status") == "paused", "a gdb client floods m "
            "requests and reads nothing: QMP is served", st)
        n = f.finish()
        got = read_until_count(s, b"$", n)
        tap(got == n, "the gdb client reads: a reply to each of its %d "
            "requests" % n, got)
        p.terminate()
        try:
            p.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        tap(p.poll() is not None, "SIGTERM ends the emulator", p.poll())
    except (OSError, EOFError, ValueError) as e:
        tap(False, "flooding gdb client", repr(e))
    finally:
        stop(p)


def test_waiting_client(tmp):
    q, g, h = (os.path.join(tmp, n) for n in ("q3.sock", "g3.sock", "h3.sock"))
    p = start(IDLE, "-qmp", "unix:%s,server,wait=off" % q, "-gdb", "unix:" + g,
              "-monitor", "unix:%s,server,wait=off" % h)
    try:
        q1 = Qmp(q, p)
        g1 = connect(g, p, TIMEOUT)
        g1.sendall(gdb_packet("?"))
        recv_until(g1, b"#")
        h1 = connect(h, p, TIMEOUT)
        recv_until(h1, b"(mimic) ")
        waiting = [connect(path, p, TIMEOUT) for path in (q, g, h)]
        # A rate needs an interval: a few seconds of an idle machine.
        c0, t0 = cpu_seconds(p.pid), time.monotonic()
        time.sleep(3)
        ratio = (cpu_seconds(p.pid) - c0) / (time.monotonic() - t0)
        tap(ratio < 0.2, "second clients waiting on busy QMP, gdb and HMP "
            "sockets: the idle emulator does not spin (%.0f%% of a core)"
            % (ratio * 100), ratio)
        q1.s.close()
        g1.close()
        h1.close()
        wq, wg, wh = waiting
        greet = recv_until(wq, b"\n")
        wg.sendall(gdb_packet("?"))
        stop_reply = recv_until(wg, b"#")
        banner = recv_until(wh, b"(mimic) ")
        tap(b'"QMP"' in greet and stop_reply.startswith(b"+$T05") and
            b"Mimic monitor" in banner,
            "when the first clients leave, the waiting ones are served",
            (greet, stop_reply, banner))
    except (OSError, EOFError, ValueError) as e:
        tap(False, "waiting clients", repr(e))
    finally:
        stop(p)


class RawQmp(Qmp):
    """Qmp that also keeps each reply's raw line."""

    def line(self):
        while b"\n" not in self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("QMP connection closed")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r")

    def send_line(self, data):
        self.s.sendall(data)
        return self.line()


def test_qmp_json(tmp):
    path = os.path.join(tmp, "json.sock")
    p = start(IDLE, "-qmp", "unix:%s,server,wait=off" % path)
    try:
        q = RawQmp(path, p)
        q.cmd("qmp_capabilities")
        for id_text in (b"1e999", b"-1E999", b'"caf\\u00e9 \\" }"',
                        b'{"n" : [1, 2.50]}'):
            line = q.send_line(b'{"execute": "query-status", "id": ' +
                               id_text + b"}")
            try:
                json.loads(line)
                valid = True
            except ValueError:
                valid = False
            want = id_text.replace(b" : ", b":").replace(b", ", b",")
            tap(valid and line.endswith(b'"id":' + want + b"}"),
                "the id %s is echoed as sent, in valid JSON" % id_text.decode(),
                line)
        cases = [
            ("a huge integer id", b'{"execute": "query-status", "id": '
             b'99999999999999999999}', "integer out of range"),
            ("a hex number", b'{"execute": "query-status", "id": 0x10}',
             "JSON parse error"),
            ("a comment", b'{"execute": /* x */ "query-status"}',
             "JSON parse error"),
            ("single quotes", b"{'execute': 'query-status'}", "JSON parse error"),
            ("\\u0000 in a string", b'{"execute": "query-status\\u0000x"}',
             "NUL"),
            ("a NUL byte", b'{"execute": "query-\0status"}', "NUL byte"),
            ("invalid UTF-8", b'{"execute": "\xc3\x28"}', "invalid UTF-8"),
            ("a lone surrogate", b'{"execute": "\\udead"}', "surrogate"),
            ("deep nesting", b"[" * 100000 + b"]" * 100000,
             "too deeply nested"),
            ("an unterminated string", b'{"execute": "query-status\n',
             "unterminated string"),
            ("a 2 MiB line", b'{"execute": "' + b"x" * (2 << 20) + b'"}',
             "too large"),
            ("stray text", b"hello\n", "invalid character"),
        ]
        for name, data, text in cases:
            line = q.send_line(data)
            rsp = json.loads(line)
            desc = rsp.get("error", {}).get("desc", "")
            ok = text in desc and "id" not in rsp
            st = q.cmd("query-status")
            tap(ok and st.get("return", {}).get("status") == "running",
                "bad JSON: %s gets an error and the connection goes on" % name,
                (line[:300], st))
        tap(p.poll() is None, "the emulator is still there")
    except (OSError, EOFError, ValueError) as e:
        tap(False, "QMP JSON", repr(e))
    finally:
        stop(p)


def test_unix_socket_appears_listening(tmp):
    """A Unix socket's file appears only once the emulator listens on it:
    a client that connects as soon as it sees the file is never refused
    (the race behind ConnectionRefusedError in socket tests)."""
    refused = []
    for i in range(5):
        path = os.path.join(tmp, "race%d.sock" % i)
        p = start(IDLE, "-qmp", "unix:%s,server,wait=off" % path)
        try:
            deadline = time.monotonic() + TIMEOUT
            while not os.path.exists(path) and time.monotonic() < deadline \
                    and p.poll() is None:
                time.sleep(0)
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(path)
            except OSError as e:
                refused.append(repr(e))
            s.close()
        finally:
            stop(p)
    tap(not refused, "a Unix socket server's file exists only once it "
        "listens (5 starts, connecting the moment it appears)", refused)


def test_mon_as_libvirt_writes_it(tmp):
    """-mon as libvirt generates it (with id=) gives a QMP monitor on a
    -chardev socket; id= is taken, an unknown parameter is not."""
    path = os.path.join(tmp, "libvirt.sock")
    p = start(IDLE, "-chardev", "socket,id=charmonitor,path=%s,server=on,"
              "wait=off" % path, "-mon",
              "chardev=charmonitor,id=monitor,mode=control")
    try:
        q = Qmp(path, p)
        q.cmd("qmp_capabilities")
        r = q.cmd("query-status")
        tap("return" in r and "QMP" in q.greeting,
            "-mon chardev=ID,id=monitor,mode=control: QMP on the chardev", r)
    except (OSError, EOFError, ValueError) as e:
        tap(False, "-mon chardev=ID,id=monitor,mode=control", "%r\n%s"
            % (e, stop(p)))
    finally:
        stop(p)
    r = subprocess.run([EMU, "-M", "virt", "-display", "none", "-chardev",
                        "null,id=c0", "-mon", "chardev=c0,bogus=1"],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=TIMEOUT)
    tap(r.returncode == 1 and "unknown parameter 'bogus'" in r.stderr,
        "-mon with an unknown parameter is an error", r.stderr)


def main():
    for elf in (COUNT, IDLE):
        if not os.path.exists(elf):
            tap(True, "# SKIP %s not built" % elf)
            done()
            return
    with tempfile.TemporaryDirectory(prefix="mimic-monsock-") as tmp:
        test_flood_monitors(tmp)
        test_flood_gdb(tmp)
        test_waiting_client(tmp)
        test_qmp_json(tmp)
        test_unix_socket_appears_listening(tmp)
        test_mon_as_libvirt_writes_it(tmp)
    done()


main()
