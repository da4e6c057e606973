#!/bin/sh
# targets: riscv64-softmmu
# The pty and socket character backends with a real client (Python): the
# guest echoes what it receives until a 'q' and powers off.  TCP server
# (wait=on and wait=off, QEMU's -serial tcp: spelling), Unix socket server
# (-chardev socket,path=), TCP client mode, and -serial pty (the printed
# /dev/pts name works both ways).  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/#   /' "$T/err" 2>/dev/null | head -5; }
# echo: copy UART input to output until a 'q', then power off.
printf '\267\002\000\020\003\303\122\000\023\163\023\000\343\014\003\376\203\303\002\000\043\200\162\000\023\016\020\007\343\224\303\377\267\002\020\000\067\123\000\000\023\003\123\125\043\240\142\000\157\000\000\000' >"$T/echo.bin"
BOOT="-M virt -display none -bios none -kernel $T/echo.bin"
# Servers listen on port 0: the kernel picks a free port, which
# listen_port reads back from the emulator's sockets (no other test run can
# take it in between).
listen_port() { python3 tests/functional/mimictest.py listen-port "$1"; }

# client ADDR: connects (retrying while the emulator starts), sends
# "hello q", prints what comes back until the peer closes.
client() {
    python3 - "$1" <<'PY'
import socket, sys, time
addr = sys.argv[1]
# Until the emulator listens, generously (a loaded machine starts slowly).
deadline = time.monotonic() + 60
while True:
    try:
        if addr.startswith("/"):
            s = socket.socket(socket.AF_UNIX); s.connect(addr)
        else:
            s = socket.create_connection(("127.0.0.1", int(addr)))
        break
    except OSError:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.1)
s.settimeout(10)
s.sendall(b"hello q")
data = b""
try:
    while True:
        d = s.recv(100)
        if not d:
            break
        data += d
except OSError:
    pass
sys.stdout.write(data.decode())
PY
}

timeout 20 "$EMU" $BOOT -serial "tcp::0,server" </dev/null >"$T/out" 2>"$T/err" & pid=$!
got=$(client "$(listen_port $pid)"); wait $pid; rc=$?
if [ $rc -eq 0 ] && [ "$got" = "hello q" ] && grep -q "waiting for connection" "$T/err"; then
    ok "-serial tcp::PORT,server waits for a client, then echoes"
else not_ok "-serial tcp::PORT,server (exit $rc, got '$got')"; fi

timeout 20 "$EMU" $BOOT -serial "tcp:127.0.0.1:0,server=on,wait=off" </dev/null >"$T/out" 2>"$T/err" & pid=$!
got=$(client "$(listen_port $pid)"); wait $pid; rc=$?
if [ $rc -eq 0 ] && [ "$got" = "hello q" ] && ! grep -q "waiting" "$T/err"; then
    ok "-serial tcp:HOST:PORT,server=on,wait=off"
else not_ok "-serial tcp:...,wait=off (exit $rc, got '$got')"; fi

timeout 20 "$EMU" $BOOT -chardev "socket,id=s0,path=$T/sock,server=on,wait=off" \
    -serial chardev:s0 </dev/null >"$T/out" 2>"$T/err" & pid=$!
got=$(client "$T/sock"); wait $pid; rc=$?
if [ $rc -eq 0 ] && [ "$got" = "hello q" ] && [ ! -e "$T/sock" ]; then
    ok "-chardev socket,path=,server=on (unix socket, removed at exit)"
else not_ok "-chardev socket,path= (exit $rc, got '$got')"; fi

# Client mode: we listen (on a port the kernel picks), the emulator connects.
python3 - "$T/ready" >"$T/got" <<'PY' &
import os, socket, sys
l = socket.socket()
l.bind(("127.0.0.1", 0)); l.listen(1); l.settimeout(15)
with open(sys.argv[1] + ".tmp", "w") as f:   # listening: tell the port
    f.write(str(l.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = l.accept(); c.settimeout(10)
c.sendall(b"cli q")
data = b""
try:
    while True:
        d = c.recv(100)
        if not d:
            break
        data += d
except OSError:
    pass
sys.stdout.write(data.decode())
PY
lpid=$!
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
timeout 20 "$EMU" $BOOT -chardev "socket,id=c0,host=127.0.0.1,port=$(cat "$T/ready")" \
    -serial chardev:c0 </dev/null >"$T/out" 2>"$T/err"
rc=$?
wait $lpid
if [ $rc -eq 0 ] && [ "$(cat "$T/got")" = "cli q" ]; then
    ok "-chardev socket client mode connects and echoes"
else not_ok "-chardev socket client mode (exit $rc, got '$(cat "$T/got")')"; fi

timeout 20 "$EMU" -M virt -display none -bios none -serial "tcp:127.0.0.1:1" \
    -kernel "$T/echo.bin" </dev/null >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "cannot connect to tcp:127.0.0.1:1" "$T/err"; then
    ok "a client socket that cannot connect is an error"
else not_ok "client connect error (exit $rc)"; fi

# pty: the name is printed on stdout; talk through the slave side.
timeout 20 "$EMU" $BOOT -serial pty </dev/null >"$T/out" 2>"$T/err" & pid=$!
i=0
while ! grep -q "char device redirected to" "$T/out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pts=$(sed -n 's/^char device redirected to \(\/dev\/pts\/[0-9]*\) (label serial0)$/\1/p' "$T/out")
got=$(python3 - "$pts" <<'PY'
import os, sys, termios, tty, select, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
# Read the echo before the 'q': the emulator exits at once on it, and a
# pty's pending output is flushed when the other side closes.
os.write(fd, b"pty ")
data = b""
end = time.time() + 10
while len(data) < 4 and time.time() < end and select.select([fd], [], [], 1)[0]:
    try:
        d = os.read(fd, 100)
    except OSError:
        break
    if not d:
        break
    data += d
os.write(fd, b"q")
sys.stdout.write(data.decode(errors="replace"))
PY
)
wait $pid; rc=$?
if [ -n "$pts" ] && [ $rc -eq 0 ] && [ "$got" = "pty " ]; then
    ok "-serial pty prints its /dev/pts name (label serial0) and echoes through it"
else not_ok "-serial pty (exit $rc, pts '$pts', got '$got')"; fi

echo "1..$n"
