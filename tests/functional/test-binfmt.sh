#!/bin/sh
# targets: riscv64-linux-user
# binfmt_misc and a foreign root, as a container runtime uses them:
# scripts/mimic-binfmt.sh registers the (statically linked) mimic-riscv64
# with flags F and P under a unique name, and `chroot ROOT /bin/sh -c ...`
# runs a riscv64 root made of the image recipe's busybox, the cross
# compiler's C library and the test programs: a script that starts many
# programs, writes files and checks them, runs a dynamic program and a
# static one.  A program reads AT_MINSIGSTKSZ from its auxiliary vector:
# Mimic gives it, qemu-riscv64 7.2 does not, so a handler registered
# before (Debian's qemu-user-binfmt) cannot pass for Mimic.  The entry is
# removed at the end, also when the test fails.  Needs root, binfmt_misc
# and the guest images: skips without them (a failure on CI).
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-${MIMIC_TARGET:-riscv64}
P=$(pwd)/$B/tests/user/riscv64
NAME=mimic-test-$$
BINFMT=/proc/sys/fs/binfmt_misc
TAP_SHOW="out err"

skip() { echo "1..0 # SKIP $*"; exit 0; }
[ -x "$M" ] || skip "$M not built"
[ "$(id -u)" = 0 ] || skip "needs root (chroot and binfmt_misc)"
file -L "$M" | grep -q 'statically linked' ||
    skip "$M is not statically linked (a sanitizer build, or no static glib: binfmt_misc F needs a static emulator)"
# Mounted and left mounted: another test run at once may use it.
if [ ! -e "$BINFMT/register" ]; then
    mount -t binfmt_misc none "$BINFMT" 2>/dev/null || skip "binfmt_misc cannot be mounted"
fi
images=${MIMIC_IMAGES:-$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)}
[ -f "$images/initramfs.cpio.gz" ] || skip "no guest images (make images)"

cleanup() {
    [ -e "$BINFMT/$NAME" ] && echo -1 > "$BINFMT/$NAME"
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

R=$T/root
mkdir -p "$R" && (cd "$R" && gzip -dc "$images/initramfs.cpio.gz" | cpio -idm --quiet 2>/dev/null)
check "the root has the image's riscv64 busybox" "[ -x '$R/bin/busybox' ]"
mkdir -p "$R/lib" "$R/opt"
for f in /usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1 \
         /usr/riscv64-linux-gnu/lib/libc.so.6 /usr/riscv64-linux-gnu/lib/libm.so.6; do
    cp "$f" "$R/lib/"
done
cp "$P/hello-dynamic" "$P/hello-static" "$P/auxv-dynamic" "$P/auxv-static" "$R/opt/"

sh scripts/mimic-binfmt.sh --install --name "$NAME" --emulator "$M" >"$T/out" 2>"$T/err"
check "mimic-binfmt.sh --install registers $NAME" "[ -e '$BINFMT/$NAME' ]"
check "the entry has flags F and P" "grep -q '^flags: PF' '$BINFMT/$NAME'"

chroot "$R" /bin/sh -c '/opt/auxv-static probe; /opt/auxv-dynamic probe' \
    >"$T/out" 2>"$T/err"
check "programs in the root ran under Mimic (AT_MINSIGSTKSZ given), static and dynamic" \
    "[ \$(grep -c '^minsigstksz [1-9]' '$T/out') = 2 ]"

# Many programs, files written and read back, pipes, a dynamic program.
cat > "$R/opt/work.sh" <<'SCRIPT'
set -e
export LD_LIBRARY_PATH=/lib
mkdir -p /tmp/w
i=0
while [ $i -lt 40 ]; do
    echo "line $i" | tr a-z A-Z > /tmp/w/f$i
    i=$((i + 1))
done
cat /tmp/w/f* | sort | uniq | wc -l
grep -l "LINE 3" /tmp/w/f* | wc -l
ls /tmp/w | head -n 3 | tr '\n' ' '; echo
/opt/hello-dynamic a b || echo "hello-dynamic status $?"
/opt/hello-static > /tmp/w/h && grep -c written /tmp/w/h
uname -m
SCRIPT
chroot "$R" /bin/sh /opt/work.sh >"$T/out" 2>"$T/err"
check "a script in the root starts many programs and they all work" \
    "[ \"\$(sed -n 1,2p '$T/out' | tr '\n' ' ')\" = '40 11 ' ]"
check "a dynamic program in the root finds its libraries" \
    "grep -q '^arg 2: b' '$T/out' && grep -q 'hello-dynamic status 3' '$T/out'"
check "uname -m in the root says riscv64" "grep -q '^riscv64$' '$T/out'"

sh scripts/mimic-binfmt.sh --uninstall --name "$NAME" >"$T/out" 2>"$T/err"
check "mimic-binfmt.sh --uninstall removes it" "[ ! -e '$BINFMT/$NAME' ]"
tap_end
