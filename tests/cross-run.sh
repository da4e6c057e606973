#!/bin/sh
# Runs a command with this machine able to run ARM64 programs: a
# binfmt_misc handler that hands aarch64 ELF files to Debian's
# qemu-aarch64 (qemu-user), under a name of its own, removed again when
# the command ends, fails or is interrupted.  make check-cross-aarch64
# runs tests/check.sh this way on the ARM64 build (docs/devel/build.md),
# so that every test, and every program a test starts, runs the ARM64
# Mimic without knowing it.
#   sh tests/cross-run.sh aarch64 CMD ARGS...
# Also set for the ARM64 Mimic:
#   MIMIC_SPLIT_WX=off       one view of its JIT code: qemu-aarch64 does
#                            not see writes made through a second view of
#                            code it has translated (util/jitmem.c)
#   MIMIC_CROSS=qemu-aarch64 tests skip what qemu-aarch64 itself lacks
#                            (a "Known gap" skip, which CI accepts)
#   MIMIC_RESERVED_VA=64G    a guest space qemu-aarch64 can map: it keeps
#                            flags for every page of a mapping, and the
#                            32 TiB of mimic-x86_64's default would take
#                            more memory than the machine has
# Needs root (or an existing handler for aarch64).
arch=$1
shift
[ "$arch" = aarch64 ] || { echo "cross-run: only aarch64" >&2; exit 2; }
QEMU_AARCH64=$(command -v qemu-aarch64) ||
    { echo "cross-run: qemu-aarch64 not installed (qemu-user)" >&2; exit 1; }
B=/proc/sys/fs/binfmt_misc
NAME=mimic-cross-aarch64-$$

if [ ! -w "$B/register" ]; then
    mount -t binfmt_misc none "$B" 2>/dev/null
fi
if [ ! -w "$B/register" ]; then
    echo "cross-run: cannot register a binfmt_misc handler (root, binfmt_misc)" >&2
    exit 1
fi
cleanup() {
    [ -e "$B/$NAME" ] && echo -1 > "$B/$NAME"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# e_ident of a 64-bit little-endian ELF, e_type EXEC or DYN, e_machine
# EM_AARCH64 (183); F: the interpreter is opened now.
printf ':%s:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:%s:F\n' \
    "$NAME" "$QEMU_AARCH64" > "$B/register" ||
    { echo "cross-run: the kernel refused the handler" >&2; exit 1; }
export MIMIC_SPLIT_WX=off MIMIC_RESERVED_VA=64G MIMIC_CROSS=qemu-aarch64
"$@"
