"""Drive a guest's serial console from a test: start an emulator with the
console on its stdin/stdout, wait for output, run shell commands and read
their output and exit status.  Used by the tests in tests/functional/.

    with GuestConsole(["build/mimic-system-riscv64", "-nographic", ...]) as g:
        g.expect("mimic-guest: ready", timeout=300)
        out, status = g.run("uname -m")
"""
import os
import re
import select
import subprocess
import time


class ConsoleTimeout(Exception):
    pass


class GuestConsole:
    def __init__(self, argv, log_path=None):
        self.argv = argv
        self.buf = b""
        self.log = open(log_path, "wb") if log_path else None
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.seq = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout)
        if self.log:
            self.log.close()

    def _read_some(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([self.proc.stdout], [], [], min(left, 1.0))
        if not r:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            raise ConsoleTimeout("emulator exited (status %s) while waiting; "
                                 "last output:\n%s" % (self.proc.wait(),
                                                       self.tail()))
        if self.log:
            self.log.write(data)
            self.log.flush()
        self.buf += data
        return True

    def tail(self, n=1500):
        return self.buf[-n:].decode("utf-8", "replace")

    def expect(self, pattern, timeout=60):
        """Waits for a regex (bytes or str) in the output; returns the match
        and drops the output up to its end."""
        if isinstance(pattern, str):
            pattern = pattern.encode()
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            if not self._read_some(deadline):
                raise ConsoleTimeout("timed out after %ss waiting for %r; "
                                     "last output:\n%s"
                                     % (timeout, pattern, self.tail()))

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def quiet_shell(self, timeout=60):
        """Turns off the terminal echo and the prompt, so that run() sees
        only what commands print (the line editor wraps long echoed
        lines with control characters), and the kernel's messages on the
        console (a loaded host made "hrtimer: interrupt took 32061700 ns"
        land in the middle of a command's output)."""
        self.send("stty -echo; PS1=''; PS2=''; dmesg -n 1 2>/dev/null\n")
        self.run("true", timeout)

    def run(self, command, timeout=120):
        """Runs a shell command in the guest; returns (output, status).
        Call quiet_shell() first."""
        self.seq += 1
        head, tail = "__MIMI", "C_%d__" % self.seq
        # The marker is split by ${?} so an echoed command line never
        # matches the pattern for the command's status.
        self.send("%s; echo %s${?}%s\n" % (command, head, tail))
        m = self.expect(re.escape(head) + r"(\d+)" + re.escape(tail), timeout)
        before = m.string[:m.start()].decode("utf-8", "replace")
        before = before.replace("\r", "")
        return before.strip("\n"), int(m.group(1))

    def wait_exit(self, timeout=60):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            try:
                if not self._read_some(deadline):
                    raise ConsoleTimeout("emulator did not exit within %ss" % timeout)
            except ConsoleTimeout:
                if self.proc.poll() is not None:
                    break
                raise
        return self.proc.wait()
