#!/bin/sh
# Installs every package Mimic needs to build and test, from Debian's
# archive.  Idempotent: packages already present are left alone.
# The display tests need tesseract (OCR), Xvfb, xwd and xwininfo, netpbm
# and libXtst (keys and pointer sent to the X server); the disk tests
# e2fsprogs (mke2fs, debugfs, e2fsck) and u-boot-qemu (U-Boot as -kernel).
# sqlite3 and zstd are programs test-user-x86_64-progs.sh runs under
# mimic-x86_64.
# tests/unit/test-packages.sh checks that this list has the package of
# every program, module and file the tests, scripts and Makefile use.
# clang and libfuzzer-14-dev (the last line) build the fuzz harnesses
# (make fuzz); the three lines before it are for the guest images
# (tests/images/build.sh,
# which adds deb-src lines itself to fetch busybox's source).
# --if-needed: only call apt-get when something is missing.
# --cross aarch64: also what an ARM64 build needs (./configure
# --cross-prefix=aarch64-linux-gnu-, docs/devel/build.md): Debian's cross
# compiler and the arm64 multiarch libraries (the arm64 architecture is
# added to dpkg first).  libfdt-dev cannot be installed for two
# architectures, so the arm64 side takes libfdt1 (configure links it by
# file name).
set -e

if_needed= cross=
while [ $# -gt 0 ]; do
    case "$1" in
    --if-needed) if_needed=1 ;;
    --cross) shift; cross=$1 ;;
    --cross=*) cross=${1#*=} ;;
    *) echo "install-deps: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done
case "$cross" in
''|aarch64) ;;
*) echo "install-deps: --cross: only aarch64 is supported" >&2; exit 2 ;;
esac

PKGS="build-essential pkg-config python3 git
libglib2.0-dev libpixman-1-dev libsdl2-dev libslirp-dev libcapstone-dev
libfdt-dev libjson-glib-dev zlib1g-dev libpng-dev
gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
qemu-system-misc qemu-user device-tree-compiler gdb-multiarch
tesseract-ocr xvfb x11-apps x11-utils netpbm libxtst6
libc6-dev-riscv64-cross opensbi
linux-source-6.1 bc bison flex libssl-dev libelf-dev cpio kmod xz-utils
dpkg-dev perl file time qemu-utils e2fsprogs u-boot-qemu
sqlite3 zstd
clang libfuzzer-14-dev"

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ "$cross" = aarch64 ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        $SUDO dpkg --add-architecture arm64
    fi
    PKGS="$PKGS gcc-aarch64-linux-gnu libc6-dev-arm64-cross
libglib2.0-dev:arm64 libpixman-1-dev:arm64 libslirp-dev:arm64
libcapstone-dev:arm64 libjson-glib-dev:arm64 zlib1g-dev:arm64
libpng-dev:arm64 libfdt1:arm64"
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    [ -n "$if_needed" ] || echo "install-deps: all packages present"
    exit 0
fi

echo "install-deps: installing:$missing"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
