#!/usr/bin/env python3
# targets: riscv64-softmmu
"""Host folders shared with a Linux guest over virtio-9p (-virtfs), as a
user would use them: one boot with three shares (mapped-xattr,
passthrough, and a readonly one), mounted with
`mount -t 9p -o trans=virtio,version=9p2000.L TAG /mnt/...`.

A file written on the host is read in the guest and the other way round;
ls, cat, mkdir, rm, mv, ln -s and chmod work and show on the host as the
security model says (mapped-xattr: the guest's mode in user.virtfs.mode on
a 0600 host file; passthrough: the host file's own mode and owner); a
write on the readonly share fails with "Read-only file system".  Then the
same command line under Debian's qemu-system-riscv64, when it is
installed, on a copy of the same folders: the guest's listing of each
share (names, types, sizes, modes, owners, link targets) is the same.
Prints TAP; skips when the images are not built (make images).
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from guestconsole import GuestConsole, ConsoleTimeout  # noqa: E402
from mimictest import tap, done, image_dir, linux_argv, BUILD, log_path  # noqa: E402

QEMU = shutil.which("qemu-system-riscv64")
SHARES = (("host0", "mapped-xattr", ""), ("host1", "passthrough", ""),
          ("host2", "mapped-xattr", ",readonly=on"))

# What the guest does on each writable share, then the listing compared
# between the emulators (no times, no inode numbers).
# (Subshells: a failed step must not leave the shell inside the mount.)
WORK = ("(cd /mnt/%s && echo from-guest > guest.txt && mkdir -p d/e && "
        "echo inner > d/e/f && mv d/e/f d/moved && ln -s d/moved link && "
        "chmod 640 guest.txt && chmod 750 d && rm -f gone.txt && "
        "touch empty)")
LIST = ("(cd /mnt/%s && find . | sort | while read -r p; do "
        "stat -c '%%n %%F %%s %%a %%u %%g' \"$p\"; "
        "if [ -L \"$p\" ]; then echo \"  -> $(readlink \"$p\")\"; fi; "
        "done)")


def make_shares(tmp):
    dirs = {}
    for tag, _, _ in SHARES:
        d = os.path.join(tmp, tag)
        os.makedirs(os.path.join(d, "sub"))
        with open(os.path.join(d, "host.txt"), "w") as f:
            f.write("from-host %s\n" % tag)
        with open(os.path.join(d, "gone.txt"), "w") as f:
            f.write("remove me\n")
        with open(os.path.join(d, "sub", "deep.txt"), "w") as f:
            f.write("deep\n")
        os.chmod(d, 0o755)
        dirs[tag] = d
    return dirs


def argv_for(emu_argv, dirs):
    extra = []
    for tag, model, more in SHARES:
        extra += ["-virtfs", "local,path=%s,mount_tag=%s,security_model=%s%s"
                  % (dirs[tag], tag, model, more)]
    return emu_argv + extra


def boot(g, what):
    try:
        g.expect("mimic-guest: ready", timeout=600)
        g.quiet_shell()
        return True
    except ConsoleTimeout as e:
        tap(False, "%s boots Linux with three -virtfs shares" % what, e)
        return False


def mount_all(g):
    outs = []
    for tag, _, _ in SHARES:
        out, st = g.run("mkdir -p /mnt/%s && mount -t 9p -o "
                        "trans=virtio,version=9p2000.L %s /mnt/%s"
                        % (tag, tag, tag), timeout=120)
        outs.append(out)
        if st:
            return False, "\n".join(outs)
    return True, ""


def listings(g):
    res = {}
    for tag, _, _ in SHARES:
        out, st = g.run(LIST % tag, timeout=300)
        res[tag] = out if st == 0 else "failed (%d): %s" % (st, out)
    return res


def mimic_session(images, dirs):
    argv = argv_for(linux_argv(images), dirs)
    log = log_path("linux-9p.log")
    with GuestConsole(argv, log_path=log) as g:
        if not boot(g, "Mimic"):
            return None
        ok, out = mount_all(g)
        if not tap(ok, "the guest mounts the three shares (mount -t 9p)", out):
            return None
        out, st = g.run("cat /mnt/host0/host.txt /mnt/host1/sub/deep.txt "
                        "/mnt/host2/host.txt")
        tap(st == 0 and out.split() == ["from-host", "host0", "deep",
                                        "from-host", "host2"],
            "the guest reads files written on the host", out)
        for tag in ("host0", "host1"):
            out, st = g.run(WORK % tag, timeout=300)
            tap(st == 0, "%s: echo, mkdir, mv, ln -s, chmod, rm, touch "
                "work in the guest" % tag, out)
        out, st = g.run("ls -la /mnt/host0; cat /mnt/host0/link")
        tap(st == 0 and "link -> d/moved" in out and "inner" in out and
            "gone.txt" not in out,
            "ls -la shows the symlink, and cat follows it in the guest", out)
        out, st = g.run("echo x > /mnt/host2/new.txt; "
                        "rm /mnt/host2/host.txt; mkdir /mnt/host2/dir; "
                        "cat /mnt/host2/host.txt")
        tap("Read-only file system" in out and "from-host host2" in out,
            "the readonly share refuses writes (EROFS) and still reads", out)
        lists = listings(g)
        out, st = g.run("umount /mnt/host0 /mnt/host1 /mnt/host2")
        tap(st == 0, "the shares unmount", out)
        g.send("poweroff\n")
        rc = g.wait_exit(300)
        tap(rc == 0, "poweroff ends the emulator with status 0", rc)
        return lists


def check_host(dirs):
    d0, d1, d2 = dirs["host0"], dirs["host1"], dirs["host2"]
    try:
        with open(os.path.join(d0, "guest.txt")) as f:
            data = f.read()
    except OSError as e:
        data = str(e)
    tap(data == "from-guest\n", "the host reads the guest's file", data)
    st = os.lstat(os.path.join(d0, "guest.txt"))
    try:
        xmode = int.from_bytes(os.getxattr(os.path.join(d0, "guest.txt"),
                                           "user.virtfs.mode"), "little")
    except OSError as e:
        xmode = str(e)
    tap(stat.S_IMODE(st.st_mode) == 0o600 and
        xmode == stat.S_IFREG | 0o640,
        "mapped-xattr: a 0600 host file, the guest's 0640 in "
        "user.virtfs.mode", "host mode %o, xattr %s" % (st.st_mode, xmode))
    link = os.path.join(d0, "link")
    tap(os.path.isfile(link) and not os.path.islink(link) and
        open(link).read() == "d/moved",
        "mapped-xattr: the guest's symlink is a plain file on the host")
    st = os.lstat(os.path.join(d1, "guest.txt"))
    tap(stat.S_IMODE(st.st_mode) == 0o640 and
        os.readlink(os.path.join(d1, "link")) == "d/moved",
        "passthrough: the host file has the guest's mode, the symlink is "
        "real", "mode %o" % st.st_mode)
    tap(not os.path.exists(os.path.join(d0, "gone.txt")) and
        os.path.exists(os.path.join(d0, "d", "moved")) and
        sorted(os.listdir(d2)) == ["gone.txt", "host.txt", "sub"],
        "rm and mv show on the host; the readonly share is unchanged",
        str(os.listdir(d2)))


def qemu_session(images, dirs):
    argv = argv_for(linux_argv(images), dirs)
    argv[0] = QEMU
    log = log_path("linux-9p-qemu.log")
    with GuestConsole(argv, log_path=log) as g:
        if not boot(g, "qemu-system-riscv64"):
            return None
        ok, out = mount_all(g)
        if not ok:
            tap(False, "QEMU's guest mounts the shares", out)
            return None
        for tag in ("host0", "host1"):
            g.run(WORK % tag, timeout=300)
        g.run("echo x > /mnt/host2/new.txt")
        lists = listings(g)
        g.send("poweroff\n")
        g.wait_exit(300)
        return lists


def main():
    images = image_dir()
    if images is None:
        print("1..0 # SKIP no image cache (run 'make images')")
        return
    tmp = tempfile.mkdtemp(prefix="mimic-9p-")
    try:
        dirs = make_shares(os.path.join(tmp, "mimic"))
        ours = mimic_session(images, dirs)
        if ours is not None:
            check_host(dirs)
        if QEMU and ours is not None:
            qdirs = make_shares(os.path.join(tmp, "qemu"))
            theirs = qemu_session(images, qdirs)
            for tag, model, more in SHARES:
                a = ours.get(tag)
                b = theirs.get(tag) if theirs else None
                tap(a == b, "%s (%s%s): the guest's listing is QEMU's"
                    % (tag, model, more),
                    "mimic:\n%s\nqemu:\n%s" % (a, b))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    done()


main()
