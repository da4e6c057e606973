#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Bad and unusual qcow2 images: each must give a clear error at open (or
-EIO at the read that meets the damage), never a crash, a hang or a huge
allocation; images with unusual but valid features must work.  The
images are made by mimic-img or qemu-img and then patched.  Prints TAP.
Run from the source root after a build (sanitizer builds included: any
sanitizer report fails the case)."""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

B = os.environ.get("BUILD_DIR", "build")
M = os.path.abspath(os.path.join(B, "mimic-img"))
T = tempfile.mkdtemp(prefix="mimic-badinput-")
n = 0
failed = False
HAVE_QEMU = shutil.which("qemu-img") is not None


def tap(ok, name, why=""):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if ok else "not ", n, name))
    if not ok:
        failed = True
        for line in why.splitlines()[:12]:
            print("#   " + line)


def run(*args, timeout=20):
    try:
        p = subprocess.run(list(args), cwd=T, capture_output=True,
                           text=True, timeout=timeout, errors="replace")
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -999, "", "timed out (hang?)"


def sane(err):
    return "Sanitizer" not in err and "runtime error" not in err


def expect(name, args, rc_want, pattern):
    rc, out, err = run(M, *args)
    ok = rc == rc_want and pattern.lower() in err.lower() and sane(err)
    tap(ok, name, "exit %d (want %d), stderr: %s" % (rc, rc_want, err))


def expect_once(name, args, pattern):
    """Exit 1 with one short message that has pattern once."""
    rc, out, err = run(M, *args)
    ok = (rc == 1 and err.lower().count(pattern.lower()) == 1 and
          len(err.strip().splitlines()) == 1 and len(err) < 400 and sane(err))
    tap(ok, name, "exit %d, stderr: %s" % (rc, err[:600]))


def expect_ok(name, args):
    rc, out, err = run(M, *args)
    tap(rc == 0 and sane(err), name, "exit %d, stderr: %s" % (rc, err))


def path(name):
    return os.path.join(T, name)


def make(name, size="1M", opts=None):
    """A qcow2 image with some data (so it has an L2 table)."""
    args = [M, "create", "-q", "-f", "qcow2"]
    if opts:
        args += ["-o", opts]
    subprocess.run(args + [path(name), size], check=True)
    subprocess.run([M, "bench", "-q", "-w", "-c", "20", "-s", "4096",
                    path(name)], check=True)
    return path(name)


def patch(name, offset, fmt, value, src="good.qcow2"):
    shutil.copy(path(src), path(name))
    with open(path(name), "r+b") as f:
        f.seek(offset)
        f.write(struct.pack(fmt, value))
    return name


def header(name):
    with open(path(name), "rb") as f:
        return f.read(112)


def random_damage(rounds=40):
    """Header fields and 64-bit table entries (L1, L2, refcount table and
    blocks) overwritten with edge values and random ones, seeded: every
    command ends with a status (a message or a result), never a crash, a
    hang or a sanitizer report."""
    r = random.Random(2026)
    edges32 = [0, 1, 8, 9, 21, 22, 31, 32, 63, 64, 65, 255, 0x7fffffff,
               0x80000000, 0xffffffff]
    for cs in (512, 65536):
        make("rd%d.qcow2" % cs, "4M", "cluster_size=%d" % cs)
    bad = []
    for i in range(rounds):
        cs = r.choice((512, 65536))
        data = bytearray(open(path("rd%d.qcow2" % cs), "rb").read())
        what = []
        for _ in range(r.randint(1, 3)):
            if r.random() < 0.5:
                off = r.randrange(0, 104, 4)
                v = r.choice(edges32 + [r.getrandbits(32)])
                struct.pack_into(">I", data, off, v)
            else:
                off = r.randrange(0, min(len(data), 12 * cs) - 8, 8)
                v = r.choice([r.getrandbits(64), r.getrandbits(56) & ~511,
                              1 << 63 | r.getrandbits(40) << 9,
                              1 << 62 | r.getrandbits(62), (1 << 64) - 1])
                struct.pack_into(">Q", data, off, v)
            what.append("%d=%#x" % (off, v))
        open(path("rd.qcow2"), "wb").write(data)
        for cmd in (["info", "rd.qcow2"], ["check", "rd.qcow2"],
                    ["convert", "-O", "raw", "rd.qcow2", "rd.raw"],
                    ["bench", "-w", "-t", "unsafe", "-c", "30", "-s",
                     "5000", "--mix", "rd.qcow2"]):
            rc, out, err = run(M, *cmd)
            if rc < 0 or not sane(err):
                bad.append("round %d %s %s: exit %d: %s" %
                           (i, cmd[0], what, rc, err[-300:]))
                break
    tap(not bad, "%d randomly damaged images: no crash, hang or sanitizer "
        "report" % rounds, "\n".join(bad))


def main():
    make("good.qcow2")
    h = header("good.qcow2")
    l1_off = struct.unpack(">Q", h[40:48])[0]
    rct_off = struct.unpack(">Q", h[48:56])[0]
    fsize = os.path.getsize(path("good.qcow2"))

    with open(path("good.qcow2"), "rb") as f:
        data = f.read(50)
    open(path("trunc.qcow2"), "wb").write(data)
    expect("truncated header", ["info", "trunc.qcow2"], 1, "truncated")
    expect("bad magic (as qcow2)",
           ["info", "-f", "qcow2", patch("magic.qcow2", 0, ">I", 0x12345678)],
           1, "bad magic")
    expect("version 1", ["info", patch("v1.qcow2", 4, ">I", 1)], 1,
           "unsupported qcow2 version 1")
    expect("version 4", ["info", patch("v4.qcow2", 4, ">I", 4)], 1,
           "unsupported qcow2 version 4")
    expect("cluster_bits 30", ["info", patch("cb30.qcow2", 20, ">I", 30)], 1,
           "cluster_bits 30 out of range")
    expect("cluster_bits 8", ["info", patch("cb8.qcow2", 20, ">I", 8)], 1,
           "cluster_bits 8 out of range")
    # Past the width of a shift: refused before any shift by it (UBSan).
    for cb in (64, 200, 0xffffffff):
        img = patch("cbx%d.qcow2" % cb, 20, ">I", cb)
        for cmd in (["info", img], ["bench", "-w", "-c", "1", img],
                    ["check", img]):
            expect("cluster_bits %d: %s" % (cb, cmd[0]), cmd, 1,
                   "cluster_bits %d out of range" % cb)
    expect("header_length not a multiple of 8",
           ["info", patch("hl.qcow2", 100, ">I", 105)], 1, "header_length")
    expect("encrypted", ["info", patch("crypt.qcow2", 32, ">I", 1)], 1,
           "encrypted")
    expect("L1 table past the end of the file",
           ["info", patch("l1eof.qcow2", 40, ">Q", fsize * 4)], 1,
           "L1 table offset")
    expect("L1 table in the header",
           ["info", patch("l1hdr.qcow2", 40, ">Q", 0)], 1, "L1 table offset")
    expect("L1 table too small for the size",
           ["info", patch("l1small.qcow2", 36, ">I", 0)], 1, "too small")
    expect("huge l1_size", ["info", patch("l1huge.qcow2", 36, ">I",
                                          0x7fffffff)], 1, "L1 table larger")
    expect("refcount table past the end of the file",
           ["info", patch("rteof.qcow2", 48, ">Q", fsize * 4)], 1,
           "refcount table offset")
    expect("refcount table in the header",
           ["info", patch("rthdr.qcow2", 48, ">Q", 0)], 1,
           "refcount table offset")
    expect("huge refcount table",
           ["info", patch("rthuge.qcow2", 56, ">I", 0x40000000)], 1,
           "refcount table of")
    expect("L1 and refcount tables overlap",
           ["info", patch("overlap.qcow2", 40, ">Q", rct_off)], 1, "overlap")
    expect("multi-exabyte size",
           ["info", patch("huge.qcow2", 24, ">Q", 1 << 62)], 1,
           "L1 table larger")
    expect("size beyond 2^63",
           ["info", patch("huge2.qcow2", 24, ">Q", (1 << 64) - 512)], 1,
           "too large")
    expect("refcount_order 7",
           ["info", patch("ro7.qcow2", 96, ">I", 7)], 1, "refcount_order")
    expect("bad backing file name offset",
           ["info", patch("bfo.qcow2", 8, ">Q", 65530)], 1,
           "backing file name")
    for bit, name in ((2, "external data file"), (3, "compression type"),
                      (4, "extended L2"), (10, "unknown feature bit 10")):
        expect("incompatible feature bit %d refused" % bit,
               ["info", patch("inc%d.qcow2" % bit, 72, ">Q", 1 << bit)], 1,
               name)

    # Damage met during I/O: -EIO to the caller, a clear message.
    with open(path("good.qcow2"), "rb") as f:
        f.seek(l1_off)
        l2_off = struct.unpack(">Q", f.read(8))[0] & 0x00fffffffffffe00
    patch("l2eof.qcow2", l2_off, ">Q", (1 << 63) | (fsize * 16))
    expect("L2 entry past the end of the file: read fails",
           ["convert", "-O", "raw", "l2eof.qcow2", "out.raw"], 1,
           "Input/output error")
    rc, out, err = run(M, "check", "l2eof.qcow2")
    tap(rc == 2 and "past the end" in err and sane(err),
        "check reports it as a corruption (exit 2)",
        "exit %d: %s" % (rc, err))
    patch("l1entry.qcow2", l1_off, ">Q", (1 << 63) | (fsize * 16))
    expect("L1 entry past the end of the file: read fails",
           ["convert", "-O", "raw", "l1entry.qcow2", "out.raw"], 1,
           "Input/output error")
    rb_off = struct.unpack(">Q", open(path("good.qcow2"), "rb").read()
                           [rct_off:rct_off + 8])[0]
    patch("rbeof.qcow2", rct_off, ">Q", fsize * 16)
    expect("refcount block past the end of the file: write fails",
           ["bench", "-w", "-c", "50", "-s", "65536", "rbeof.qcow2"], 1,
           "Input/output error")
    patch("l2unal.qcow2", l2_off, ">Q", (1 << 63) | (rb_off + 512))
    expect("unaligned L2 entry: read fails",
           ["convert", "-O", "raw", "l2unal.qcow2", "out.raw"], 1,
           "Input/output error")

    # Header extensions: unknown ones skipped, an overflowing one refused.
    ext = patch("ext.qcow2", 104, ">I", 0)
    with open(path(ext), "r+b") as f:
        f.seek(104)
        f.write(struct.pack(">II", 0x12345678, 8) + b"whatever")
    expect_ok("unknown header extension skipped", ["info", "ext.qcow2"])
    with open(path(patch("extbad.qcow2", 104, ">I", 0)), "r+b") as f:
        f.seek(104)
        f.write(struct.pack(">II", 0x12345678, 0x7ffffff0))
    expect("header extension longer than the cluster",
           ["info", "extbad.qcow2"], 1, "header extension")

    # Flags: dirty and corrupt images open read-only only.
    patch("dirty.qcow2", 72, ">Q", 1)
    expect_ok("dirty image opens read-only", ["info", "dirty.qcow2"])
    rc, out, err = run(M, "info", "--output=json", "dirty.qcow2")
    tap('"dirty-flag": true' in out, "info shows the dirty flag", out)
    expect("dirty image refuses writes",
           ["bench", "-w", "-c", "1", "dirty.qcow2"], 1, "dirty")
    patch("corrupt.qcow2", 72, ">Q", 2)
    expect_ok("corrupt image opens read-only",
              ["convert", "-O", "raw", "corrupt.qcow2", "c.raw"])
    expect("corrupt image refuses writes",
           ["bench", "-w", "-c", "1", "corrupt.qcow2"], 1, "corrupt")
    patch("lazy.qcow2", 80, ">Q", 1)
    expect_ok("lazy_refcounts image: writes work (refcounts kept eager)",
              ["bench", "-w", "-c", "50", "-s", "5000", "lazy.qcow2"])

    # A backing chain that loops.
    subprocess.run([M, "create", "-q", "-f", "qcow2", path("loop.qcow2"),
                    "1M"], check=True)
    subprocess.run([M, "create", "-q", "-f", "qcow2", "-b", "loop.qcow2",
                    "-F", "qcow2", path("loop2.qcow2")], check=True)
    os.replace(path("loop2.qcow2"), path("loop.qcow2"))
    expect_once("backing chain that loops", ["info", "--backing-chain",
                                             "loop.qcow2"], "loops back to")
    expect_once("opening a looping chain", ["convert", "-O", "raw",
                                            "loop.qcow2", "x.raw"],
                "loops back to")
    # a -> b -> a, and a chain of 70 distinct images.
    subprocess.run([M, "create", "-q", "-f", "qcow2", "-b", "lb.qcow2",
                    "-F", "qcow2", path("la.qcow2"), "1M"], check=True)
    subprocess.run([M, "create", "-q", "-f", "qcow2", "-b", "la.qcow2",
                    "-F", "qcow2", path("lb.qcow2"), "1M"], check=True)
    expect_once("a two-image loop", ["convert", "-O", "raw", "la.qcow2",
                                     "x.raw"], "loops back to")
    subprocess.run([M, "create", "-q", "-f", "raw", path("deep0"), "1M"],
                   check=True)
    for i in range(1, 71):
        subprocess.run([M, "create", "-q", "-f", "qcow2", "-b",
                        "deep%d" % (i - 1), "-F",
                        "raw" if i == 1 else "qcow2", path("deep%d" % i),
                        "1M"],
                       check=True)
    expect_once("a chain of 70 images", ["convert", "-O", "raw", "deep70",
                                         "x.raw"], "deeper than")

    # What is not a regular file: refused at open, never a hang (a FIFO
    # blocks open() until a writer comes).
    os.mkdir(path("adir"))
    subprocess.run([M, "create", "-q", "-f", "qcow2", "-b", "adir", "-F",
                    "raw", path("dirtop.qcow2"), "1M"], check=True)
    expect("a directory as backing file", ["convert", "-O", "raw",
                                           "dirtop.qcow2", "x.raw"], 1,
           "is a directory, not")
    expect("a directory as image", ["info", "adir"], 1,
           "is a directory, not")
    os.mkfifo(path("fifo"))
    expect("a FIFO as image", ["info", "fifo"], 1, "is a FIFO, not")
    expect("a FIFO as raw image", ["convert", "-f", "raw", "-O", "raw",
                                   "fifo", "x.raw"], 1, "is a FIFO, not")
    subprocess.run([M, "create", "-q", "-f", "qcow2", "-b", "fifo", "-F",
                    "raw", path("fifotop.qcow2"), "1M"], check=True)
    expect("a FIFO as backing file", ["convert", "-O", "raw",
                                      "fifotop.qcow2", "x.raw"], 1,
           "is a FIFO, not")
    expect("a FIFO as backing file (format probed)",
           ["create", "-f", "qcow2", "-b", "fifo", "fifotop2.qcow2", "1M"], 1,
           "is a FIFO, not")

    random_damage()

    if not HAVE_QEMU:
        tap(False, "qemu-img not installed: images made by qemu-img skipped")
        return
    # Valid images qemu-img makes: other refcount widths, version 2,
    # internal snapshots.
    for bits in (1, 8, 64):
        img = "rc%d.qcow2" % bits
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-o",
                        "refcount_bits=%d,cluster_size=512" % bits, path(img),
                        "4M"],
                       check=True)
        rc, out, err = run(M, "bench", "-q", "-w", "-c", "100", "-s",
                           "70000", "--mix", img)
        rc2, out2, err2 = run("qemu-img", "check", img)
        tap(rc == 0 and rc2 == 0 and sane(err),
            "refcount_bits=%d, 512-byte clusters: writes pass qemu-img check" % bits,
            err + out2 + err2)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-o",
                    "compat=0.10", path("v2.qcow2"), "4M"], check=True)
    rc, out, err = run(M, "bench", "-q", "-w", "-c", "200", "-s", "3000",
                       "--mix", "v2.qcow2")
    rc2, out2, err2 = run("qemu-img", "check", "v2.qcow2")
    run("qemu-img", "convert", "-O", "raw", "v2.qcow2", "v2q.raw")
    run(M, "convert", "-O", "raw", "v2.qcow2", "v2m.raw")
    same = open(path("v2q.raw"), "rb").read() == \
        open(path("v2m.raw"), "rb").read()
    tap(rc == 0 and rc2 == 0 and same and sane(err),
        "version 2 (compat 0.10) image: read and written", err + out2)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                    path("snap.qcow2"), "4M"], check=True)
    subprocess.run(["qemu-io", "-c", "write -P 1 0 100000",
                    path("snap.qcow2")], check=True, capture_output=True)
    subprocess.run(["qemu-img", "snapshot", "-c", "s1", path("snap.qcow2")],
                   check=True)
    subprocess.run(["qemu-io", "-c", "write -P 2 0 50000",
                    path("snap.qcow2")], check=True, capture_output=True)
    expect_ok("image with an internal snapshot: check is clean",
              ["check", "snap.qcow2"])
    expect("image with an internal snapshot: writes refused",
           ["bench", "-w", "-c", "1", "snap.qcow2"], 1, "snapshots")
    run("qemu-img", "convert", "-O", "raw", "snap.qcow2", "sq.raw")
    run(M, "convert", "-O", "raw", "snap.qcow2", "sm.raw")
    tap(open(path("sq.raw"), "rb").read() == open(path("sm.raw"), "rb").read(),
        "image with an internal snapshot: read right")


try:
    main()
finally:
    shutil.rmtree(T, ignore_errors=True)
sys.exit(1 if failed else 0)
