"""Saves what a hung guest was doing, for tests/soak/soak.sh: every hart's
registers (the human monitor's `info cpus` and `info registers -a`) and
the run state (QMP's query-status), each into its own file.

    python3 tests/soak/monitor-dump.py HMP_SOCKET QMP_SOCKET OUT_DIR
"""
import json
import os
import socket
import sys


def connect(path):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(path)
    return s


def hmp_read(s, prompt=b"(mimic) "):
    """Reads until the prompt (or the socket goes quiet)."""
    buf = b""
    try:
        while not buf.endswith(prompt):
            data = s.recv(65536)
            if not data:
                break
            buf += data
    except socket.timeout:
        pass
    return buf.decode(errors="replace")


def hmp(path, out):
    s = connect(path)
    hmp_read(s)
    with open(out, "w") as f:
        for cmd in ("info status", "info cpus", "info registers -a"):
            s.sendall((cmd + "\n").encode())
            f.write(hmp_read(s))
    s.close()


def qmp_reply(f):
    """The next line that is a reply, not an event."""
    for line in f:
        msg = json.loads(line)
        if "return" in msg or "error" in msg:
            return msg
    return None


def qmp(path, out):
    s = connect(path)
    f = s.makefile("r")
    f.readline()                      # the greeting
    s.sendall(b'{"execute": "qmp_capabilities"}\n')
    qmp_reply(f)
    s.sendall(b'{"execute": "query-status"}\n')
    with open(out, "w") as o:
        json.dump(qmp_reply(f), o)
        o.write("\n")
    s.close()


def main():
    hmp_path, qmp_path, out = sys.argv[1:4]
    for fn, sock, name in ((hmp, hmp_path, "registers.txt"),
                           (qmp, qmp_path, "query-status.json")):
        try:
            fn(sock, os.path.join(out, name))
        except (OSError, ValueError) as e:
            with open(os.path.join(out, name), "a") as f:
                f.write("monitor-dump: %s\n" % e)


if __name__ == "__main__":
    main()
