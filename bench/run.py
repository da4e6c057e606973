#!/usr/bin/env python3
"""Mimic against QEMU, side by side: `make bench` (bench/README.md).

Each row runs the same guest (the image recipe's Linux kernel and busybox
initramfs, with the workloads of bench/workloads appended as /bench/*) on
build/mimic-system-riscv64 and on qemu-system-riscv64, alternately (A B A B
...) after a warm-up, with the identical firmware, kernel, initramfs,
-append and -m.  Times are taken on the host: for a workload, from its
"BENCH-START" line on the serial console to its "BENCH-END" line (so boot
is excluded); for the boot rows, from launch to the shell's ready marker,
or to the emulator's exit with an init that powers off at once.  The
workloads also run natively (built for the host) for the "of native" column.

Prints, per row: median/min/max seconds of each emulator, the median of the
per-pair ratios QEMU time / Mimic time (> 1: Mimic is faster), and Mimic's
speed as a fraction of native.  Every workload prints a checksum; a
mismatch between Mimic, QEMU and native fails the run.

  python3 bench/run.py [--pairs N] [--rows int,fp,...] [--scale X]
                       [--results bench/RESULTS.md] [--smoke]
"""
import argparse
import base64
import datetime
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
MIMIC = os.path.join(BUILD, "mimic-system-riscv64")
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
# User mode: the same workloads as riscv64 Linux programs, run by
# mimic-riscv64 and qemu-riscv64 on the host's kernel.
MIMIC_USER = os.path.join(BUILD, "mimic-riscv64")
QEMU_USER = os.environ.get("QEMU_USER", "qemu-riscv64")
MIMIC_X86 = os.path.join(BUILD, "mimic-x86_64")
QEMU_X86 = os.environ.get("QEMU_X86", "qemu-x86_64")
SYSROOT = "/usr/riscv64-linux-gnu"
# How many times the start-up rows run their program (one timing).
STARTS = 100
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
WORKLOADS = ["int", "fp", "mem", "sys", "jit"]
OUT = os.path.join(BUILD, "bench")
MEM = "1G"

# Rows: name -> (kind, what).  kind "boot-shell": launch to the ready
# marker; "boot-off": launch to exit; "guest": a command whose output has
# BENCH-START/END markers.
CODE_LOOP = ("i=0; while [ $i -lt {n} ]; do echo $i | sed s/1/one/ | "
             "awk '{{print length($0)}}' >/dev/null; i=$((i+1)); done")


# Two CPU-bound processes at once (the int workload twice), timed as one
# piece of work: with -smp 2 and one host thread per hart they should take
# well under the -smp 1 time on a host with two free cores.  One checksum
# when both agree.  The shell then lingers: the tty may drop a line its
# session leader wrote just before exiting (the harness stops the clock
# at the marker and kills the emulator).
PAR = ("echo BENCH-START {name}; "
       "/bench/int {s} >/tmp/p1 & /bench/int {s} >/tmp/p2; wait; "
       "c=$(sed -n 's/^BENCH-END.*checksum=\\([0-9a-f]*\\).*/\\1/p' /tmp/p1 /tmp/p2 "
       "| sort -u); echo BENCH-END {name} checksum=$c; sleep 1")


def rows_table(scale):
    n = max(2, int(150 * scale))
    return {
        "boot-shell": ("boot-shell", None),
        "boot-off": ("boot-off", None),
        "int": ("guest", "/bench/int %g" % scale),
        "fp": ("guest", "/bench/fp %g" % scale),
        "mem": ("guest", "/bench/mem %g" % scale),
        "sys": ("guest", "/bench/sys %g /bin/true" % scale),
        "code-shell": ("guest", "echo BENCH-START code-shell; %s; "
                       "echo BENCH-END code-shell checksum=0" % CODE_LOOP.format(n=n)),
        "code-jit": ("guest", "/bench/jit %g" % scale),
        "par-smp1": ("guest", PAR.format(name="par-smp1", s="%g" % scale), ["-smp", "1"]),
        "par-smp2": ("guest", PAR.format(name="par-smp2", s="%g" % scale), ["-smp", "2"]),
        # User mode: a workload's whole process (start-up included, a few
        # ms), and STARTS runs of an empty program, static and dynamic
        # (containers and builds start thousands of short processes).
        "user-int": ("user", ["int", "%g" % scale]),
        "user-fp": ("user", ["fp", "%g" % scale]),
        "user-start-static": ("user-start", ["true-static"]),
        "user-start-dynamic": ("user-start", ["true-dynamic"]),
        # A build-like shell script: many short programs (the image's
        # riscv64 busybox applets under each emulator; the host's own
        # natively), bench/workloads/shell.sh.
        "user-shell": ("user-shell", ["%d" % max(2, int(40 * scale))]),
        # The x86-64 guest in user mode: the same workloads built static
        # for this x86-64 host, under mimic-x86_64 and qemu-x86_64, and
        # run natively.
        "x86-user-int": ("user-x86", ["int", "%g" % scale]),
        "x86-user-fp": ("user-x86", ["fp", "%g" % scale]),
        # Real programs of the host under both: python3 running
        # workloads/pybench.py, and gcc -O2 -c of a generated C file
        # (its cc1 and as exec'd under the emulator too: QEMU through
        # gcc's -wrapper).
        "x86-user-python": ("user-x86-prog", ["python", "%g" % scale]),
        "x86-user-gcc": ("user-x86-prog", ["gcc", "%g" % scale]),
    }


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("bench: %s failed:\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r.stdout


def replace_file(path, write):
    """Makes path whole or not at all: write(tmp) fills a temporary file
    next to it, which then takes its place.  Two runs at once (make check
    twice in one tree) each see a complete file, never one being
    rewritten."""
    tmp = "%s.tmp%d" % (path, os.getpid())
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def compile_to(cmd, out):
    """Runs a compiler command that ends with "-o", onto out."""
    replace_file(out, lambda tmp: run(cmd + [tmp]))


def stale(out, src):
    return not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src)


def image_dir():
    # BENCH_IMAGES: an image folder to use instead of the recipe's.
    d = os.environ.get("BENCH_IMAGES")
    if not d:
        out = run(["sh", os.path.join(ROOT, "tests/images/build.sh")], cwd=ROOT)
        d = out.strip().splitlines()[-1]
    if not os.path.exists(os.path.join(d, "Image")):
        sys.exit("bench: no guest images in %s (make images)" % d)
    return d


def build(images):
    """Builds the workloads for the guest and the host, and the initramfs
    with /bench appended; returns the initramfs path."""
    src = os.path.join(ROOT, "bench", "workloads")
    rv, nat = os.path.join(OUT, "rv"), os.path.join(OUT, "native")
    for d in (rv, nat, os.path.join(OUT, "root", "bench")):
        os.makedirs(d, exist_ok=True)
    flags = ["-O2", "-ffp-contract=off", "-fno-math-errno", "-Wall"]
    for w in WORKLOADS + ["poweroff"]:
        c = os.path.join(src, w + ".c")
        out = os.path.join(rv, w)
        if stale(out, c):
            compile_to(["riscv64-linux-gnu-gcc"] + flags + ["-static", c, "-o"], out)
        dest = os.path.join(OUT, "root", "bench", w)
        if stale(dest, out):
            replace_file(dest, lambda tmp: shutil.copy(out, tmp))
        if w != "poweroff":
            nout = os.path.join(nat, w)
            if stale(nout, c):
                compile_to(["gcc"] + flags + [c, "-o"], nout)
    # The x86-64 guest's rows run the host's own static builds.
    x86 = os.path.join(OUT, "x86")
    os.makedirs(x86, exist_ok=True)
    for w in ("int", "fp"):
        c = os.path.join(src, w + ".c")
        out = os.path.join(x86, w)
        if stale(out, c):
            compile_to(["gcc"] + flags + ["-static", c, "-o"], out)
    # User mode: an empty program, static and dynamic (the workloads
    # above are static already).
    true_c = os.path.join(OUT, "true.c")
    if not os.path.exists(true_c):
        replace_file(true_c, lambda tmp: open(tmp, "w").write(
            "int main(void) { return 0; }\n"))
    for kind, extra in (("static", ["-static"]), ("dynamic", [])):
        out = os.path.join(rv, "true-" + kind)
        if not os.path.exists(out):
            compile_to(["riscv64-linux-gnu-gcc", "-O2"] + extra + [true_c, "-o"], out)
        nout = os.path.join(nat, "true-" + kind)
        if not os.path.exists(nout):
            compile_to(["gcc", "-O2"] + extra + [true_c, "-o"], nout)
    # The kernel unpacks concatenated cpio archives in turn.
    extra = os.path.join(OUT, "bench.cpio.gz")
    files = run(["sh", "-c", "cd %s && find bench" % os.path.join(OUT, "root")])
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"],
                          input=files.encode(), capture_output=True,
                          cwd=os.path.join(OUT, "root"), check=True).stdout
    gz = subprocess.run(["gzip", "-9n"], input=cpio, capture_output=True,
                        check=True).stdout
    replace_file(extra, lambda tmp: open(tmp, "wb").write(gz))
    initrd = os.path.join(OUT, "initramfs-bench.cpio.gz")
    base = open(os.path.join(images, "initramfs.cpio.gz"), "rb").read()
    replace_file(initrd, lambda tmp: open(tmp, "wb").write(base + gz))
    return initrd


def gen_gcc_input(path, scale):
    """Writes the C file of the x86-user-gcc row: n functions of a few
    kinds (loops over arrays, a switch, struct and pointer code, floating
    point, string handling), different enough that GCC optimizes each."""
    n = max(4, int(120 * scale))
    out = ["#include <stddef.h>\n#include <string.h>\n\n"
           "struct rec { int id; double w; struct rec *next; char name[16]; };\n\n"]
    for i in range(n):
        k = i % 5
        if k == 0:
            out.append("long f%d(const int *a, size_t n)\n{\n    long s = %d;\n"
                       "    for (size_t i = 0; i < n; i++)\n"
                       "        s += (a[i] * %d) ^ (a[(i + %d) %% n] >> %d);\n"
                       "    return s;\n}\n\n" % (i, i, i + 3, i % 7 + 1, i % 5))
        elif k == 1:
            cases = "".join("    case %d: return x * %d + %d;\n" % (c, c + i, i * c)
                            for c in range(12))
            out.append("int f%d(int x)\n{\n    switch (x %% 16) {\n%s"
                       "    default: return -x;\n    }\n}\n\n" % (i, cases))
        elif k == 2:
            out.append("double f%d(struct rec *r)\n{\n    double t = 0;\n"
                       "    for (; r; r = r->next)\n"
                       "        if (r->id %% %d == 0 && strlen(r->name) > %d)\n"
                       "            t += r->w * %d.5;\n"
                       "    return t;\n}\n\n" % (i, i % 4 + 2, i % 6, i))
        elif k == 3:
            out.append("void f%d(double *m, const double *v, int n)\n{\n"
                       "    for (int i = 0; i < n; i++) {\n        double s = 0;\n"
                       "        for (int j = 0; j < n; j++)\n"
                       "            s += m[i * n + j] * v[j] + %d.25;\n"
                       "        m[i * n + i] = s / (1 + i %% %d);\n    }\n}\n\n"
                       % (i, i, i % 3 + 2))
        else:
            out.append("size_t f%d(char *d, const char *s)\n{\n    size_t n = 0;\n"
                       "    while (*s) {\n        char c = *s++;\n"
                       "        if (c >= 'a' && c <= 'z')\n            c -= %d;\n"
                       "        else if (c == ' ')\n            continue;\n"
                       "        d[n++] = c ^ %d;\n    }\n    d[n] = 0;\n"
                       "    return n;\n}\n\n" % (i, 32, i % 8))
    text = "".join(out)
    if not os.path.exists(path) or open(path).read() != text:
        with open(path, "w") as f:
            f.write(text)


def emu_argv(emu, images, initrd, append, extra=()):
    return [emu, "-M", "virt", "-m", MEM, "-nographic", "-bios", FIRMWARE,
            "-kernel", os.path.join(images, "Image"), "-initrd", initrd,
            "-append", append] + list(extra)


# Debian's OpenSBI 1.1 marks a hart START_PENDING before it stores the
# hart's start address, and a hart spinning on that state can enter Linux
# at its cold-boot address (docs/devel/debugging.md); Mimic holds such
# harts at its firmware gate, QEMU does not, and about one -smp 2 boot in
# fifty on a loaded host then stops after the firmware banner.  That is
# the reference's defect, not a result: a QEMU boot whose output stops
# in the firmware for FW_STALL seconds is run again, at most FW_RETRIES
# times, and the report says how often.  Mimic gets no second chance.
FW_STALL = 120
FW_RETRIES = 2


class FirmwareHang(Exception):
    pass


def timed_run(argv, kind, timeout, fw_stall=None):
    """Runs one emulator; returns (seconds, checksum or None, output).
    With fw_stall, output that stops for that many seconds after the
    OpenSBI banner and before Linux's init speaks raises FirmwareHang."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    buf, start, result, checksum = b"", None, None, None
    deadline = t0 + timeout
    last_output = t0
    try:
        while True:
            now = time.monotonic()
            if (fw_stall and now - last_output > fw_stall and b"OpenSBI" in buf
                    and b"mimic-guest" not in buf):
                raise FirmwareHang()
            left = deadline - now
            if left <= 0:
                raise TimeoutError("%s timed out after %ss; output ends:\n%s"
                                   % (os.path.basename(argv[0]), timeout,
                                      buf[-2000:].decode("utf-8", "replace")))
            r, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if not r:
                continue
            data = os.read(p.stdout.fileno(), 65536)
            now = last_output = time.monotonic()
            if not data:
                break
            buf += data
            if kind == "boot-shell" and b"mimic-guest: ready" in buf:
                result = now - t0
                break
            if kind == "guest":
                # At a line start: init echoes the command line first.
                if start is None and re.search(rb"(?m)^BENCH-START", buf):
                    start = now
                m = re.search(rb"(?m)^BENCH-END \S+ checksum=(\w+)\s", buf)
                if m and start is not None:
                    result = now - start
                    checksum = m.group(1).decode()
                    break
        if kind == "boot-off":
            p.wait(timeout=max(1, deadline - time.monotonic()))
            result = time.monotonic() - t0
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
    if result is None:
        raise RuntimeError("%s gave no result; output:\n%s"
                           % (os.path.basename(argv[0]), buf[-2000:].decode("utf-8", "replace")))
    # Both markers in one read (a smoke-scale row) measure as 0 s: count
    # it as 1 us so that ratios stay defined (test-bench-smoke divided by 0).
    result = max(result, 1e-6)
    return result, checksum, buf.decode("utf-8", "replace")


def timed_user(argv, kind, timeout):
    """Runs a user-mode program (or STARTS of them); returns (seconds,
    checksum or None)."""
    n = STARTS if kind == "user-start" else 1
    t0 = time.monotonic()
    for _ in range(n):
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("%s exited with %d:\n%s" % (" ".join(argv), r.returncode,
                                                           r.stderr[-2000:]))
    t = time.monotonic() - t0
    m = re.search(r"(?m)^BENCH-END \S+ checksum=(\w+)\s", r.stdout)
    return t, m.group(1) if m else None


def native_run(cmd, timeout):
    t0 = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout
    m = re.search(r"(?m)^BENCH-END \S+ checksum=(\w+)\s", out)
    # Time from start to end markers is not separable natively; the whole
    # process is within a few ms of it for these programs.
    return time.monotonic() - t0, m.group(1) if m else None


def parse_jit_stats(path):
    try:
        text = open(path).read()
    except OSError:
        return ""
    i = text.rfind("JIT statistics:")
    return text[i:].strip() if i >= 0 else ""


def fmt_row(name, a, b, ratios, native):
    def s(v):
        return "%.2f" % v
    return "| %s | %s (%s-%s) | %s (%s-%s) | **%.2fx** | %s |" % (
        name, s(statistics.median(a)), s(min(a)), s(max(a)),
        s(statistics.median(b)), s(min(b)), s(max(b)),
        statistics.median(ratios),
        ("%.1f%%" % (100 * native / statistics.median(a))) if native else "-")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--rows", default=",".join(rows_table(1)))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--results", help="write the table to this Markdown file")
    ap.add_argument("--smoke", action="store_true",
                    help="1 pair, tiny scale, no warm-up: checks that it works")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--backends", metavar="DIR",
                    help="compare the JIT code of this build with that of "
                    "the ARM64 build in DIR (no timings)")
    args = ap.parse_args()
    if args.smoke:
        args.pairs, args.scale, args.no_warmup = 1, 0.02, True
    if not shutil.which(QEMU):
        run(["sh", os.path.join(ROOT, "scripts/install-deps.sh"), "--if-needed"])
    images = args.images = image_dir()
    initrd = args.initrd = build(images)
    if args.backends:
        args.tmp = tempfile.mkdtemp(prefix="mimic-bench-")
        try:
            backends(args, os.path.abspath(args.backends))
        finally:
            shutil.rmtree(args.tmp, ignore_errors=True)
        return
    table = rows_table(args.scale)
    names = [r for r in args.rows.split(",") if r]
    for r in names:
        if r not in table:
            sys.exit("bench: unknown row %s (rows: %s)" % (r, ", ".join(table)))
    lines, stats_text, failures, redone = [], "", [], []
    tmp = args.tmp = tempfile.mkdtemp(prefix="mimic-bench-")
    print("| row | Mimic s: median (min-max) | QEMU s: median (min-max) | "
          "QEMU/Mimic | Mimic of native |")
    print("|---|---|---|---|---|")
    for name in names:
        kind, cmd = table[name][:2]
        if kind.startswith("user"):
            line = user_row(name, kind, cmd, args)
            if line.startswith("FAILED"):
                failures.append(line)
                print("| %s | failed | | | |" % name)
            else:
                lines.append(line)
                print(line)
            sys.stdout.flush()
            continue
        smp = list(table[name][2]) if len(table[name]) > 2 else []
        if kind == "boot-shell":
            append = "console=ttyS0"
        elif kind == "boot-off":
            append = "console=ttyS0 quiet rdinit=/bench/poweroff"
        else:
            append = "console=ttyS0 quiet mimic.run64=" + \
                base64.b64encode(cmd.encode()).decode()
        statfile = os.path.join(tmp, "jit-%s.log" % name)
        mimic_argv = emu_argv(MIMIC, images, initrd, append,
                              smp + ["-d", "jit_stats", "-D", statfile])
        qemu_argv = emu_argv(QEMU, images, initrd, append, smp)
        def qemu_run():
            for attempt in range(FW_RETRIES + 1):
                try:
                    return timed_run(qemu_argv, kind, args.timeout,
                                     FW_STALL if smp and smp[1] != "1" and
                                     attempt < FW_RETRIES else None)[:2]
                except FirmwareHang:
                    redone.append(name)

        try:
            a, b, ratios, sums = run_pairs(
                lambda: timed_run(mimic_argv, kind, args.timeout)[:2],
                qemu_run, args)
        except (RuntimeError, TimeoutError, subprocess.TimeoutExpired) as e:
            failures.append("%s: %s" % (name, e))
            print("| %s | failed | | | |" % name)
            continue
        native = None
        if kind == "guest" and not cmd.startswith("echo"):
            prog = cmd.split()
            nat = [os.path.join(OUT, "native", os.path.basename(prog[0]))] + prog[1:]
            times = []
            for _ in range(max(1, args.pairs)):
                t, c = native_run(nat, args.timeout)
                times.append(t)
                if c:
                    sums.add(c)
            native = statistics.median(times)
        if len(sums) > 1:
            failures.append("%s: checksums differ: %s" % (name, sorted(sums)))
        line = fmt_row(name, a, b, ratios, native)
        lines.append(line)
        print(line)
        sys.stdout.flush()
        st = parse_jit_stats(statfile)
        if st:
            stats_text += "\n%s (last Mimic run):\n%s\n" % (name, st)
    shutil.rmtree(tmp, ignore_errors=True)
    if redone:
        print("\nQEMU boots run again after stopping in OpenSBI's hart start "
              "(FW_STALL in bench/run.py): %s" % ", ".join(redone))
    if stats_text:
        print("\nJIT statistics of Mimic:" + stats_text)
    if args.results and not args.smoke:
        write_results(args, lines, stats_text)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


# --backends: the rows whose code is compared between the two host
# backends (compute rows; the user rows of both guests).
BACKEND_ROWS = ["boot-off", "int", "fp", "mem", "sys", "code-jit",
                "user-int", "user-fp", "x86-user-int", "x86-user-fp"]


def stat_numbers(text):
    """guest insns, host code bytes, fast-path host insns and helper calls
    emitted from a -d jit_stats block (None for a missing one)."""
    def num(pat):
        m = re.search(pat, text)
        return int(m.group(1)) if m else None
    return (num(r"guest insns +(\d+)"), num(r"host code bytes +(\d+)"),
            num(r"host insns +(\d+) in fast paths"),
            num(r"helper calls emitted +(\d+)"))


def backend_stats(args, build_dir, prefix, name, env):
    """One run of row name by the Mimic of build_dir (prefix: how to run
    its binaries here, e.g. qemu-aarch64); its -d jit_stats block."""
    kind, cmd = rows_table(args.scale)[name][:2]
    statfile = os.path.join(args.tmp, "jit-%s-%s.log"
                            % (os.path.basename(build_dir), name))
    stats = ["-d", "jit_stats", "-D", statfile]
    if kind.startswith("user"):
        if kind == "user-x86":
            argv = [os.path.join(build_dir, "mimic-x86_64")] + stats + \
                [os.path.join(OUT, "x86", cmd[0])] + cmd[1:]
        else:
            argv = [os.path.join(build_dir, "mimic-riscv64")] + stats + \
                ["-L", SYSROOT, os.path.join(OUT, "rv", cmd[0])] + cmd[1:]
        subprocess.run(prefix + argv, capture_output=True, timeout=args.timeout,
                       env=env, check=True)
    else:
        append = ("console=ttyS0 quiet rdinit=/bench/poweroff"
                  if kind == "boot-off" else
                  "console=ttyS0 quiet mimic.run64=" +
                  base64.b64encode(cmd.encode()).decode())
        argv = emu_argv(os.path.join(build_dir, "mimic-system-riscv64"),
                        args.images, args.initrd, append, stats)
        saved = os.environ.copy()
        os.environ.update(env)
        try:
            timed_run(prefix + argv, kind, args.timeout)
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return parse_jit_stats(statfile)


def backends(args, other):
    """--backends DIR: the code of this build's backend (x86-64) and of
    the ARM64 build in DIR (run under qemu-aarch64 on an x86-64 machine)
    for the same rows, from -d jit_stats: host insns per guest insn in
    the fast paths (slow paths left out: they run on TLB misses), code
    bytes per guest insn, helper calls per 1000 guest insns.  Counts of
    translated code, not of executed insns; one run of each."""
    prefix, env = [], dict(os.environ)
    if platform.machine() != "aarch64":
        prefix = [shutil.which("qemu-aarch64") or "qemu-aarch64"]
        # As tests/cross-run.sh: one view of JIT code, a space qemu-aarch64
        # can map.
        env.update(MIMIC_SPLIT_WX="off", MIMIC_RESERVED_VA="64G")
    print("| row | x86-64: host insns/guest insn | bytes/insn | helpers/1000 | "
          "ARM64: host insns/guest insn | bytes/insn | helpers/1000 | ARM64/x86-64 |")
    print("|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for name in [r for r in args.rows.split(",") if r in BACKEND_ROWS]:
        cols, per = [], []
        for build_dir, pre, e in ((BUILD, [], dict(os.environ)),
                                  (other, prefix, env)):
            g, b, h, c = stat_numbers(backend_stats(args, build_dir, pre, name, e))
            if not g or h is None:
                sys.exit("bench: no JIT statistics for %s from %s" % (name, build_dir))
            per.append(h / g)
            cols += ["%.2f" % (h / g), "%.1f" % (b / g), "%.1f" % (1000.0 * c / g)]
        worst = max(worst, per[1] / per[0])
        print("| %s | %s | **%.2f** |" % (name, " | ".join(cols), per[1] / per[0]))
        sys.stdout.flush()
    print("\nworst ARM64/x86-64 ratio of host insns per guest insn: %.2f" % worst)


def run_pairs(mimic, qemu, args):
    """Runs the two (each returns (seconds, checksum or None)) in turn,
    after a warm-up of each; returns Mimic's times, QEMU's, the per-pair
    ratios and the set of checksums seen."""
    a, b, ratios, sums = [], [], [], set()
    if not args.no_warmup:
        mimic()
        qemu()
    for _ in range(args.pairs):
        ta, ca = mimic()
        tb, cb = qemu()
        a.append(ta)
        b.append(tb)
        ratios.append(tb / ta)
        sums.update(c for c in (ca, cb) if c)
    return a, b, ratios, sums


def x86_prog_argvs(what, scale, d):
    """The x86-user-prog rows: (Mimic, QEMU, native) argument vectors and
    the files whose contents must agree afterwards (in d, this run's own
    folder)."""
    if what == "python":
        argv = ["/usr/bin/python3", os.path.join(ROOT, "bench", "workloads", "pybench.py"),
                scale]
        return [MIMIC_X86] + argv, [QEMU_X86] + argv, argv, []
    src = os.path.join(d, "gcc-input.c")
    gen_gcc_input(src, float(scale))
    objs = [os.path.join(d, "gcc-%s.o" % who) for who in ("mimic", "qemu", "native")]
    # -B: the driver finds as by a full path, which -wrapper needs.
    gcc = ["/usr/bin/gcc", "-B/usr/bin/", "-O2", "-c", src, "-o"]
    # qemu-x86_64 does not follow execve: gcc's -wrapper runs cc1 and as
    # under it as well.
    return ([MIMIC_X86] + gcc + [objs[0]],
            [QEMU_X86] + gcc[:1] + ["-wrapper", shutil.which(QEMU_X86) or QEMU_X86]
            + gcc[1:] + [objs[1]],
            gcc + [objs[2]], objs)


def user_row(name, kind, cmd, args):
    """One user-mode row: mimic-riscv64 against qemu-riscv64, or for
    kind user-x86 mimic-x86_64 against qemu-x86_64 (and the program built
    for the host), or for user-x86-prog a host program under both;
    returns the table line or FAILED..."""
    same_files = []
    if kind == "user-x86-prog":
        mimic, qemu, nat, same_files = x86_prog_argvs(cmd[0], cmd[1], args.tmp)
    elif kind == "user-shell":
        script = os.path.join(ROOT, "bench", "workloads", "shell.sh")
        busybox = os.path.join(args.images, "busybox")
        mimic = ["sh", script, cmd[0], MIMIC_USER, busybox]
        qemu = ["sh", script, cmd[0], QEMU_USER, busybox]
        nat = ["sh", script, cmd[0]]
    elif kind == "user-x86":
        prog = os.path.join(OUT, "x86", cmd[0])
        mimic = [MIMIC_X86, prog] + cmd[1:]
        qemu = [QEMU_X86, prog] + cmd[1:]
    else:
        prog = os.path.join(OUT, "rv", cmd[0])
        mimic = [MIMIC_USER, "-L", SYSROOT, prog] + cmd[1:]
        qemu = [QEMU_USER, "-L", SYSROOT, prog] + cmd[1:]
    try:
        a, b, ratios, sums = run_pairs(lambda: timed_user(mimic, kind, args.timeout),
                                       lambda: timed_user(qemu, kind, args.timeout),
                                       args)
        if kind not in ("user-x86-prog", "user-shell"):
            nat = [os.path.join(OUT, "native", cmd[0])] + cmd[1:]
        times = []
        for _ in range(max(1, args.pairs)):
            t, c = timed_user(nat, kind, args.timeout)
            times.append(t)
            if c:
                sums.add(c)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        return "FAILED %s: %s" % (name, e)
    if len(sums) > 1:
        return "FAILED %s: checksums differ: %s" % (name, sorted(sums))
    if len(set(open(f, "rb").read() for f in same_files)) > 1:
        return "FAILED %s: the outputs differ: %s" % (name, " ".join(same_files))
    return fmt_row(name, a, b, ratios, statistics.median(times))


def write_results(args, lines, stats_text):
    qv = subprocess.run([QEMU, "-version"], capture_output=True, text=True).stdout.split("\n")[0]
    cpu = ""
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with open(args.results, "w") as f:
        f.write("# Benchmark results\n\n")
        f.write("Written by `make bench` (bench/run.py) on %s.\n\n"
                % datetime.date.today().isoformat())
        f.write("- Machine: %s, %d CPUs, %s\n" % (cpu, os.cpu_count(), platform.platform()))
        f.write("- QEMU: %s\n- Pairs: %d after one warm-up run each; scale %g; -m %s, "
                "-smp 1, firmware %s\n\n" % (qv, args.pairs, args.scale, MEM, FIRMWARE))
        f.write("QEMU/Mimic is the median of the per-pair ratios of QEMU's time "
                "to Mimic's: above 1, Mimic is faster.\n\n")
        f.write("| row | Mimic s: median (min-max) | QEMU s: median (min-max) | "
                "QEMU/Mimic | Mimic of native |\n|---|---|---|---|---|\n")
        f.write("\n".join(lines) + "\n")
        if stats_text:
            f.write("\n## JIT statistics (Mimic)\n\n```" + stats_text + "```\n")


if __name__ == "__main__":
    main()
