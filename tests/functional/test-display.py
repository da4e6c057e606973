#!/usr/bin/env python3
# targets: riscv64-softmmu
"""The screen and the keyboard with Linux from the image recipe
(virtio-gpu-device, virtio-keyboard-device, virtio-tablet-device, the
framebuffer console on tty1 and a shell there):

- headless (-display none): keys typed with QMP send-key reach the shell
  on the graphical console; `uname -m` is read back from a QMP screendump
  with tesseract; a typed command writes a marker to the serial port;
  PNG and PPM screendumps hold the same image; input-send-event moves the
  tablet (read from /dev/input in the guest); HMP screendump and sendkey;
  QMP errors for bad arguments;
- in a window (-display sdl on Xvfb): keys typed on the X server reach the
  guest, the window shows exactly the screendump's pixels once the screen
  is stable, the pointer moves the tablet, Ctrl-Alt-G grabs and releases
  (the title says which), and closing the window ends the emulator with
  status 0;
- -display sdl without an X display, an unknown display, sdl,gl=on:
  clear errors and exit status 1.

Prints TAP; skips what the host lacks (images, tesseract, Xvfb, SDL).
"""
import ctypes
import json
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import BUILD, EMU, done, image_dir, tap  # noqa: E402


def skip(name, why):
    tap(True, "%s # SKIP %s" % (name, why))


class QMP:
    def __init__(self, path, timeout=60):
        deadline = time.monotonic() + timeout
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
        self.sock.settimeout(30)
        self.f = self.sock.makefile("rwb")
        json.loads(self.f.readline())
        self.cmd("qmp_capabilities")

    def cmd(self, name, args=None):
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        self.f.write(json.dumps(req).encode() + b"\n")
        self.f.flush()
        while True:
            msg = json.loads(self.f.readline())
            if "event" not in msg:
                return msg

    def hmp(self, line):
        return self.cmd("human-monitor-command",
                        {"command-line": line}).get("return", "")


# Characters typed into the guest, as QMP qcodes (with shift if needed).
QCODES = {" ": "spc", "\n": "ret", "-": "minus", "/": "slash", ".": "dot",
          ">": "shift-dot", "_": "shift-minus"}


def type_qmp(q, text):
    for ch in text:
        if ch.isupper():
            keys = ["shift", ch.lower()]
        else:
            keys = QCODES.get(ch, ch).split("-") if ch != "-" else ["minus"]
        rsp = q.cmd("send-key", {"keys": [{"type": "qcode", "data": k}
                                          for k in keys], "hold-time": 10})
        if "return" not in rsp:
            raise RuntimeError("send-key %r: %s" % (ch, rsp))
        time.sleep(0.02)


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def screendump(q, path):
    rsp = q.cmd("screendump", {"filename": path, "format": "ppm"})
    if "return" not in rsp:
        raise RuntimeError("screendump: %s" % rsp)
    return read_ppm(path)


def stable_screen(q, path, timeout=20):
    """The screen once two screendumps 1 s apart are equal."""
    last = screendump(q, path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1)
        cur = screendump(q, path)
        if cur == last:
            return cur
        last = cur
    raise RuntimeError("the screen did not settle in %ss" % timeout)


def wait_screen(q, path, pred, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        img = screendump(q, path)
        if pred(img):
            return img
        time.sleep(0.2)
    return None


def lit_pixels(img, rows=None):
    w, h, px = img
    end = min(h, rows) * w * 3 if rows else len(px)
    return sum(1 for i in range(0, end, 3) if px[i] | px[i + 1] | px[i + 2])


def ocr(img, tmp, rows=48, cols=240):
    """Text of the top-left corner (three 8x16 lines after `clear`).  The
    crop is inverted, padded and doubled for tesseract, which is told the
    words it may see: it reads the VGA font's v as u otherwise."""
    w, h, px = img
    out = bytearray()
    pad, scale = 16, 2
    ow = (cols + 2 * pad) * scale
    for y in range(-pad, rows + pad):
        line = bytearray()
        for x in range(-pad, cols + pad):
            if 0 <= y < rows and 0 <= x < cols:
                i = (y * w + x) * 3
                v = 255 - max(px[i], px[i + 1], px[i + 2])
            else:
                v = 255
            line += bytes([v]) * scale
        out += bytes(line) * scale
    pgm = os.path.join(tmp, "ocr.pgm")
    with open(pgm, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (ow, (rows + 2 * pad) * scale) + out)
    words = os.path.join(tmp, "words")
    with open(words, "w") as f:
        f.write("uname\nriscv64\n")
    r = subprocess.run(["tesseract", pgm, "stdout", "--psm", "6",
                        "--user-words", words], capture_output=True,
                       text=True, timeout=60)
    return r.stdout


def boot_argv(d, display, qmp_path):
    return [EMU, "-M", "virt", "-m", "256M", "-kernel", d + "/Image",
            "-initrd", d + "/initramfs.cpio.gz",
            "-append", "console=tty0 console=ttyS0",
            "-device", "virtio-gpu-device", "-device", "virtio-keyboard-device",
            "-device", "virtio-tablet-device", "-display", display,
            "-serial", "stdio", "-qmp", "unix:%s,server,wait=off" % qmp_path]


def guest_setup(g):
    """Serial shell: quiet, fbcon cursor steady (a blinking one never lets
    the screen settle); returns the tablet's event device."""
    g.quiet_shell()
    g.run("echo 0 > /sys/class/graphics/fbcon/cursor_blink")
    out, _ = g.run("for e in /sys/class/input/event*; do grep -q Tablet "
                   "$e/device/name && echo ${e##*/}; done")
    return "/dev/input/" + out.strip()


def start_event_reader(g, dev):
    """Reads the next 3 events (ABS_X, ABS_Y, SYN) of dev in the guest."""
    g.run("rm -f /tmp/ev; (dd if=%s bs=24 count=3 2>/dev/null | "
          "od -An -tu2 -w24 > /tmp/ev) & sleep 0.3" % dev)


def read_events(g):
    out, _ = g.run("wait; cat /tmp/ev", timeout=20)
    evs = []
    for line in out.splitlines():
        v = [int(x) for x in line.split()]
        if len(v) == 12:
            evs.append((v[8], v[9], v[10] | v[11] << 16))
    return evs


def headless(d, tmp):
    sock = os.path.join(tmp, "qmp.sock")
    dump = os.path.join(tmp, "s.ppm")
    with GuestConsole(boot_argv(d, "none", sock),
                      log_path=os.path.join(tmp, "headless.log")) as g:
        g.expect("mimic-guest: ready", timeout=120)
        q = QMP(sock)
        tablet = guest_setup(g)
        tap(re.match(r"/dev/input/event\d+$", tablet) is not None,
            "the guest has the virtio tablet", tablet)
        before = screendump(q, dump)
        tap(before[:2] == (1280, 800) and lit_pixels(before) > 1000,
            "screendump: the framebuffer console at 1280x800 (EDID mode)",
            before[:2])

        # Typed on the screen's shell (tty1), not the serial one.
        type_qmp(q, "clear\n")
        cleared = wait_screen(q, dump, lambda im: lit_pixels(im) < 400)
        tap(cleared is not None, "send-key: 'clear' typed on tty1 clears "
            "the screen")
        type_qmp(q, "uname -m\n")
        img = stable_screen(q, dump)
        text = ocr(img, tmp) if shutil.which("tesseract") else None
        if text is None:
            skip("OCR of the screendump reads riscv64", "no tesseract")
        else:
            tap("uname" in text and "riscv64" in text,
                "OCR of the screendump reads 'uname' and riscv64", text)

        type_qmp(q, "echo kbd_mark_42 > /dev/ttyS0\n")
        try:
            g.expect("kbd_mark_42", timeout=15)
            ok = True
        except ConsoleTimeout:
            ok = False
        tap(ok, "a command typed on the screen writes to the serial port")

        png = os.path.join(tmp, "s.png")
        rsp = q.cmd("screendump", {"filename": png, "format": "png"})
        same = False
        if "return" in rsp and shutil.which("pngtopnm"):
            conv = subprocess.run(["pngtopnm", png], capture_output=True)
            with open(os.path.join(tmp, "png.ppm"), "wb") as f:
                f.write(conv.stdout)
            same = read_ppm(os.path.join(tmp, "png.ppm")) == \
                screendump(q, dump)
        tap(same, "PNG and PPM screendumps hold the same pixels", rsp)

        start_event_reader(g, tablet)
        rsp = q.cmd("input-send-event", {"events": [
            {"type": "abs", "data": {"axis": "x", "value": 1000}},
            {"type": "abs", "data": {"axis": "y", "value": 30000}}]})
        evs = read_events(g)
        tap(evs == [(3, 0, 1000), (3, 1, 30000), (0, 0, 0)],
            "input-send-event: the tablet reports ABS_X, ABS_Y, SYN",
            "%s %s" % (rsp, evs))

        hmp_png = os.path.join(tmp, "hmp.png")
        out = q.hmp("screendump %s -f png" % hmp_png)
        with open(hmp_png, "rb") as f:
            magic = f.read(8)
        tap(out == "" and magic == b"\x89PNG\r\n\x1a\n",
            "HMP screendump -f png", out)
        out = q.hmp("sendkey ctrl-alt-f2")
        bad = q.hmp("sendkey ctrl-nosuchkey")
        tap(out == "" and "nosuchkey" in bad, "HMP sendkey (and a bad key)",
            out + bad)

        errs = [
            q.cmd("screendump", {"filename": "/nonexistent/dir/x.png"}),
            q.cmd("screendump", {"filename": dump, "format": "gif"}),
            q.cmd("send-key", {"keys": [{"type": "qcode", "data": "nope"}]}),
            q.cmd("send-key", {"keys": []}),
            q.cmd("input-send-event", {"events": [{"type": "abs", "data":
                                                   {"axis": "z"}}]}),
            q.cmd("input-send-event", {"events": [{"type": "key"}]}),
        ]
        tap(all(e.get("error", {}).get("class") == "GenericError"
                for e in errs), "QMP errors for bad screendump, send-key and "
            "input-send-event arguments", errs)
        tap(q.cmd("query-status").get("return", {}).get("status") ==
            "running", "the machine still runs")
        q.cmd("quit")
        tap(g.wait_exit(30) == 0, "quit: exit status 0")


# ---- X11 through ctypes (Xlib and XTest) ----

class XClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("l", ctypes.c_long * 5)]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessage), ("pad", ctypes.c_long * 24)]


class X:
    def __init__(self, name):
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XInternAtom.restype = ctypes.c_ulong
        for fn in ("XFlush", "XSync", "XKeysymToKeycode", "XInternAtom",
                   "XSendEvent", "XSetInputFocus", "XCloseDisplay"):
            getattr(self.x11, fn).argtypes = None
        self.dpy = ctypes.c_void_p(self.x11.XOpenDisplay(name.encode()))
        if not self.dpy:
            raise RuntimeError("cannot open X display " + name)

    def flush(self):
        self.x11.XSync(self.dpy, 0)

    def key(self, name, down):
        ks = self.x11.XStringToKeysym(name.encode())
        kc = self.x11.XKeysymToKeycode(self.dpy, ctypes.c_ulong(ks))
        self.xtst.XTestFakeKeyEvent(self.dpy, kc, int(down), 0)
        self.flush()

    def type(self, text):
        names = {" ": "space", "\n": "Return", "-": "minus"}
        for ch in text:
            k = names.get(ch, ch)
            self.key(k, True)
            self.key(k, False)
            time.sleep(0.03)

    def move(self, x, y):
        self.xtst.XTestFakeMotionEvent(self.dpy, -1, x, y, 0)
        self.flush()

    def focus(self, win):
        self.x11.XSetInputFocus(self.dpy, ctypes.c_ulong(win), 2, 0)
        self.flush()

    def close_window(self, win):
        """What a window manager sends when the close button is pressed."""
        ev = XEvent()
        ev.xclient.type = 33                          # ClientMessage
        ev.xclient.window = win
        ev.xclient.message_type = self.x11.XInternAtom(
            self.dpy, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.l[0] = self.x11.XInternAtom(self.dpy, b"WM_DELETE_WINDOW",
                                               0)
        self.x11.XSendEvent(self.dpy, ctypes.c_ulong(win), 0, 0,
                            ctypes.byref(ev))
        self.flush()


def find_window(display, timeout=15):
    """(id, title, w, h, x, y) of the emulator's window."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                           capture_output=True, text=True)
        for line in r.stdout.splitlines():
            m = re.match(r'\s*(0x[0-9a-f]+) "([^"]*Ctrl-Alt-G[^"]*)".*?'
                         r'(\d+)x(\d+)\+(-?\d+)\+(-?\d+)\s+\+(-?\d+)\+(-?\d+)',
                         line)
            if m:
                return (int(m.group(1), 16), m.group(2), int(m.group(3)),
                        int(m.group(4)), int(m.group(7)), int(m.group(8)))
        time.sleep(0.2)
    return None


def parse_xwd(data):
    """(width, height, RGB bytes) of an XWD dump (ZPixmap, 32 bits per
    pixel, TrueColor), read with its own masks: no conversion program."""
    hdr = struct.unpack(">25I", data[:100])
    size, fmt, depth, w, h = hdr[0], hdr[2], hdr[3], hdr[4], hdr[5]
    order, bpp, bpl = hdr[7], hdr[11], hdr[12]
    masks, ncolors = hdr[14:17], hdr[19]
    if fmt != 2 or bpp != 32:
        raise RuntimeError("xwd: format %d, %d bits per pixel" % (fmt, bpp))
    shifts = [(m & -m).bit_length() - 1 for m in masks]
    off = size + 12 * ncolors
    endian = "<" if order == 0 else ">"
    out = bytearray()
    for y in range(h):
        row = struct.unpack_from("%s%dI" % (endian, w), data, off + y * bpl)
        for v in row:
            out += bytes(((v & masks[i]) >> shifts[i]) & 0xff
                         for i in range(3))
    return w, h, bytes(out)


def window_pixels(display, win, tmp):
    """What the X server holds in the emulator's window (xwd -id)."""
    xwd = subprocess.run(["xwd", "-display", display, "-id", hex(win[0]),
                          "-silent"], capture_output=True)
    if xwd.returncode != 0:
        raise RuntimeError("xwd: %s" % xwd.stderr)
    return parse_xwd(xwd.stdout)


def start_xvfb():
    """An Xvfb on a display number it picks itself (-displayfd: two test
    runs at once never race for one); returns (process, ":N") or
    (process, None) if it did not come up within 30 s."""
    r, w = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0",
                             "1600x1200x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(w)
    got = b""
    deadline = time.monotonic() + 30
    while not got.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([r], [], [], 1)
        if ready:
            data = os.read(r, 64)
            if not data:
                break
            got += data
    os.close(r)
    num = got.strip()
    return xvfb, (":" + num.decode()) if num.isdigit() else None


def with_window(d, tmp):
    xvfb, display = start_xvfb()
    try:
        if display is None:
            tap(False, "Xvfb starts")
            return
        with_window_on(d, tmp, display)
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def with_window_on(d, tmp, display):
    sock = os.path.join(tmp, "qmp-sdl.sock")
    dump = os.path.join(tmp, "sdl.ppm")
    saved = dict(os.environ)
    os.environ["DISPLAY"] = display
    # In a sanitizer build, the libraries under SDL (dbus, the X11 and GL
    # drivers it loads) leak at exit: leak checks stay on for the
    # headless run only.
    os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") +
                                  ":detect_leaks=0").lstrip(":")
    try:
        g = GuestConsole(boot_argv(d, "sdl", sock),
                         log_path=os.path.join(tmp, "sdl.log"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    with g:
        g.expect("mimic-guest: ready", timeout=120)
        q = QMP(sock)
        tablet = guest_setup(g)
        win = find_window(display)
        if not tap(win is not None and win[2:4] == (1280, 800),
                   "-display sdl: a 1280x800 window on %s" % display, win):
            return
        wid, title, w, h, wx, wy = win
        tap("grab input" in title, "the title offers Ctrl-Alt-G", title)

        x = X(display)
        x.move(wx + 100, wy + 100)
        x.focus(wid)
        x.type("clear\n")
        cleared = wait_screen(q, dump, lambda im: lit_pixels(im) < 400)
        tap(cleared is not None, "keys typed on the X server reach tty1")
        x.type("uname -m\n")
        img = stable_screen(q, dump)
        time.sleep(0.2)            # a refresh (16 ms) after the last change
        win_img = window_pixels(display, win, tmp)
        diff = -1
        if win_img[:2] == img[:2]:
            diff = sum(1 for a, b in zip(win_img[2], img[2]) if a != b)
        tap(diff == 0, "the window shows the screendump's pixels exactly",
            "window %s, screendump %s, %d bytes differ"
            % (win_img[:2], img[:2], diff))
        if shutil.which("tesseract"):
            text = ocr(win_img, tmp)
            tap("riscv64" in text, "OCR of the window reads riscv64", text)

        start_event_reader(g, tablet)
        x.move(wx + 640, wy + 400)
        evs = read_events(g)
        want = [(3, 0, 640 * 32767 // (w - 1)), (3, 1, 400 * 32767 // (h - 1)),
                (0, 0, 0)]
        tap(evs == want, "the X pointer moves the tablet (absolute)",
            "got %s, want %s" % (evs, want))

        for k in ("Control_L", "Alt_L", "g"):
            x.key(k, True)
        for k in ("g", "Alt_L", "Control_L"):
            x.key(k, False)
        time.sleep(0.3)
        grabbed = find_window(display)
        for k in ("Control_L", "Alt_L", "g"):
            x.key(k, True)
        for k in ("g", "Alt_L", "Control_L"):
            x.key(k, False)
        time.sleep(0.3)
        released = find_window(display)
        tap(grabbed and "release input" in grabbed[1] and released and
            "grab input" in released[1], "Ctrl-Alt-G grabs and releases "
            "(window title)", "%s / %s" % (grabbed, released))

        x.close_window(wid)
        try:
            status = g.wait_exit(20)
        except ConsoleTimeout:
            status = None
        tap(status == 0, "closing the window: the emulator exits with 0",
            status)


def have_sdl():
    with open(os.path.join(BUILD, "config.mak")) as f:
        return "CONFIG_SDL=yes" in f.read()


def command_line_errors():
    r = subprocess.run(["env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", EMU,
                        "-M", "virt", "-bios", "none", "-display", "sdl",
                        "-device", "virtio-gpu-device"],
                       capture_output=True, text=True, timeout=30)
    want = "no X11 or Wayland display" if have_sdl() else "has no SDL"
    tap(r.returncode == 1 and want in r.stderr,
        "-display sdl without a display (or SDL): clear error, status 1",
        r.stderr)
    r = subprocess.run([EMU, "-M", "virt", "-display", "vnc"],
                       capture_output=True, text=True, timeout=30)
    tap(r.returncode == 1 and "'vnc' is not available" in r.stderr,
        "-display vnc: error", r.stderr)
    r = subprocess.run([EMU, "-M", "virt", "-display", "sdl,gl=on"],
                       capture_output=True, text=True, timeout=30)
    tap(r.returncode == 1 and ("gl=on" in r.stderr or "no SDL" in r.stderr),
        "-display sdl,gl=on: error", r.stderr)
    r = subprocess.run([EMU, "-device", "virtio-gpu-device,xres=5"],
                       capture_output=True, text=True, timeout=30)
    tap(r.returncode == 1 and "xres=5" in r.stderr,
        "virtio-gpu-device,xres=5: error", r.stderr)


def main():
    command_line_errors()
    d = image_dir()
    if not d:
        skip("headless display tests", "no guest images (make images)")
        skip("window tests", "no guest images (make images)")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            headless(d, tmp)
            have = [t for t in ("Xvfb", "xwd", "xwininfo")
                    if shutil.which(t)]
            if not have_sdl():
                skip("window tests", "built without SDL")
            elif len(have) < 3:
                skip("window tests", "Xvfb, xwd or xwininfo missing")
            else:
                with_window(d, tmp)
    done()


if __name__ == "__main__":
    main()
