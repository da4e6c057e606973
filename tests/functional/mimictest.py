"""What the Python functional tests share: TAP output, where the build and
the guest images are, and the usual Linux command line.

    from mimictest import tap, done, image_dir, linux_argv, BUILD, EMU
    tap(ok, "name", detail)     # "ok N - name"; on failure the detail's tail
    done()                      # the plan line, "1..N"
    s = connect("/tmp/x/qmp.sock", proc)   # once the emulator listens
    wait_listening(1234, proc)  # the TCP port listens (no connection made)
    port = listen_port(proc)    # the port of "-gdb tcp::0" (kernel-chosen)
    log_path("x.log")           # where a test keeps a console log

Run as a script, `python3 mimictest.py listen-port PID` prints the TCP port
that PID (or a process under it, such as the emulator under timeout(1))
listens on, for the shell tests.
"""
import os
import socket
import subprocess
import sys
import time

BUILD = os.environ.get("BUILD_DIR", "build")
# The guest architecture under test (tests/check.sh sets it from the
# test's "# targets:" line).
TARGET = os.environ.get("MIMIC_TARGET", "riscv64")
EMU = os.path.join(BUILD, "mimic-system-" + TARGET)
# tests/check.sh gives each run its own folder, so that two runs of
# `make check` in one build tree do not write the same logs.
LOGS = os.environ.get("MIMIC_TEST_LOGS", os.path.join(BUILD, "tests"))
_count = 0


def tap(ok, name, detail=""):
    """Prints one TAP result; returns ok."""
    global _count
    _count += 1
    print("%sok %d - %s" % ("" if ok else "not ", _count, name))
    if not ok and detail:
        for line in str(detail).splitlines()[-30:]:
            print("#   " + line)
    sys.stdout.flush()
    return ok


def done():
    print("1..%d" % _count)


def image_dir():
    """The image recipe's cache folder (tests/images), or None if the
    images are not built (make images)."""
    # MIMIC_IMAGES names another folder, as for test-linux.sh.
    d = os.environ.get("MIMIC_IMAGES", "")
    if not d:
        r = subprocess.run(["sh", "tests/images/build.sh", "--dir"],
                           capture_output=True, text=True)
        d = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    return d if os.path.exists(os.path.join(d, "Image")) else None


def linux_argv(images, *extra):
    """Mimic booting the recipe's kernel and initramfs on the serial
    console, plus extra options."""
    return [EMU, "-M", "virt", "-m", "256M", "-nographic",
            "-kernel", os.path.join(images, "Image"),
            "-initrd", os.path.join(images, "initramfs.cpio.gz"),
            "-append", "console=ttyS0"] + list(extra)


def connect(addr, proc=None, timeout=60):
    """A stream socket connected to addr, a Unix socket path or a (host,
    port) pair, as soon as the emulator listens there: connection errors
    are retried (the emulator is still starting) until timeout seconds
    pass or proc, the emulator, exits.  The socket is blocking, with a
    10 s timeout."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX if isinstance(addr, str)
                          else socket.AF_INET)
        try:
            s.connect(addr)
            s.settimeout(10)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline or \
                    (proc is not None and proc.poll() is not None):
                raise
        time.sleep(0.05)


def _tcp_listening(port):
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    # local_address is ADDR:PORT in hex; state 0A is LISTEN.
                    if fields[3] == "0A" and \
                            int(fields[1].rsplit(":", 1)[1], 16) == port:
                        return True
        except OSError:
            pass
    return False


def wait_listening(port, proc=None, timeout=60):
    """Waits until something listens on TCP port (read from /proc/net, so
    no connection is made: a gdb stub would take one as a client); False
    if timeout seconds pass or proc exits first."""
    deadline = time.monotonic() + timeout
    while not _tcp_listening(port):
        if time.monotonic() > deadline or \
                (proc is not None and proc.poll() is not None):
            return False
        time.sleep(0.05)
    return True


def log_path(name):
    """Where a test keeps its log called name (in this run's folder)."""
    os.makedirs(LOGS, exist_ok=True)
    return os.path.join(LOGS, name)


def _socket_inodes(pid):
    """The inodes of the sockets that pid and its descendants hold."""
    inodes = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for fd in os.listdir("/proc/%d/fd" % p):
                try:
                    link = os.readlink("/proc/%d/fd/%s" % (p, fd))
                except OSError:
                    continue
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return inodes


def listen_ports(pid):
    """The TCP ports that pid (or a descendant) listens on, sorted."""
    inodes = _socket_inodes(pid)
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    # state 0A is LISTEN; field 9 is the socket's inode.
                    if fields[3] == "0A" and fields[9] in inodes:
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return sorted(ports)


def listen_port(proc, timeout=60):
    """The TCP port the emulator proc (a Popen, or a pid) listens on once
    it listens: a test gives it port 0 ("-gdb tcp:127.0.0.1:0") and the
    kernel picks a free one, so two test runs never race for a port.
    Raises if timeout seconds pass or proc exits first."""
    pid = proc if isinstance(proc, int) else proc.pid
    deadline = time.monotonic() + timeout
    while True:
        ports = listen_ports(pid)
        if ports:
            return ports[0]
        if time.monotonic() > deadline or \
                (not isinstance(proc, int) and proc.poll() is not None):
            raise OSError("process %d listens on no TCP port" % pid)
        time.sleep(0.05)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "listen-port":
        try:
            print(listen_port(int(sys.argv[2])))
        except OSError as e:
            print("mimictest: %s" % e, file=sys.stderr)
            sys.exit(1)
    else:
        print("usage: mimictest.py listen-port PID", file=sys.stderr)
        sys.exit(2)
