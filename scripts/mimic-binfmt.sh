#!/bin/sh
# Registers Mimic's user-mode emulators with the kernel's binfmt_misc, so
# that foreign Linux programs (riscv64 ELF files) run through
# mimic-riscv64 when executed: in a chroot, a container, a foreign root.
#
#   scripts/mimic-binfmt.sh --install [--persistent] [--credential]
#                           [--open-binary] [--name NAME] [--emulator PATH]
#   scripts/mimic-binfmt.sh --uninstall [--name NAME]
#   scripts/mimic-binfmt.sh --systemd [--credential] [--open-binary] [--emulator PATH]
#   scripts/mimic-binfmt.sh --show
#
# The entry always has flag F (the kernel opens the emulator when it is
# registered, so it need not exist inside the foreign root: the emulator
# must be statically linked, which configure does when it can) and P (the
# program's own argv[0] is passed; the kernel says so to Mimic through
# AT_FLAGS).  --credential adds C (set-uid programs run with their
# credentials; implies O), --open-binary adds O (the kernel passes an open
# descriptor: programs that are executable but not readable).
# --persistent, a no-op kept for qemu-binfmt-conf.sh's habits: F already
# keeps the emulator open.  --systemd writes /etc/binfmt.d/NAME.conf for
# systemd-binfmt instead of registering now.  Needs root and binfmt_misc
# (mounted on /proc/sys/fs/binfmt_misc; this script mounts it if needed).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BINFMT=/proc/sys/fs/binfmt_misc
action= name=mimic-riscv64 emulator=$ROOT/build/mimic-riscv64 flags=FP

die() { echo "mimic-binfmt: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
    --install) action=install ;;
    --uninstall) action=uninstall ;;
    --systemd) action=systemd ;;
    --show) action=show ;;
    --persistent) ;;
    --credential) flags="${flags}CO" ;;
    --open-binary) case $flags in *O*) ;; *) flags="${flags}O" ;; esac ;;
    --name) shift; name=$1 ;;
    --name=*) name=${1#*=} ;;
    --emulator) shift; emulator=$1 ;;
    --emulator=*) emulator=${1#*=} ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (--help lists them)" ;;
    esac
    shift
done
[ -n "$action" ] || die "say --install, --uninstall, --systemd or --show (--help)"
case "$name" in
''|*/*|*:*|.|..) die "bad name '$name'" ;;
esac

# riscv64 ELF executables and shared objects (a PIE is ET_DYN): the ELF
# identification (64-bit, little-endian, version 1, any OS ABI), e_type 2
# or 3, e_machine 243 (EM_RISCV).
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

entry() {
    echo ":$name:M::$magic:$mask:$1:$flags"
}

need_binfmt() {
    [ "$(id -u)" = 0 ] || die "needs root"
    if [ ! -e "$BINFMT/register" ]; then
        mount -t binfmt_misc none "$BINFMT" 2>/dev/null ||
            die "binfmt_misc is not mounted and cannot be mounted on $BINFMT"
    fi
}

check_emulator() {
    [ -x "$emulator" ] || die "$emulator: not an executable (build it: make)"
    case "$emulator" in /*) ;; *) emulator=$(cd "$(dirname "$emulator")" && pwd)/$(basename "$emulator") ;; esac
    if command -v file >/dev/null 2>&1 &&
        ! file -L "$emulator" | grep -q 'statically linked'; then
        echo "mimic-binfmt: warning: $emulator is not statically linked: foreign roots without its host libraries will not run it (./configure --static)" >&2
    fi
}

case "$action" in
install)
    check_emulator
    need_binfmt
    [ -e "$BINFMT/$name" ] && echo -1 > "$BINFMT/$name"
    entry "$emulator" > "$BINFMT/register" ||
        die "the kernel refused the entry for $name"
    echo "registered $name: riscv64 ELF programs run through $emulator (flags $flags)"
    ;;
uninstall)
    need_binfmt
    [ -e "$BINFMT/$name" ] || die "$name is not registered"
    echo -1 > "$BINFMT/$name"
    echo "unregistered $name"
    ;;
systemd)
    check_emulator
    mkdir -p /etc/binfmt.d
    entry "$emulator" > "/etc/binfmt.d/$name.conf"
    echo "wrote /etc/binfmt.d/$name.conf (systemctl restart systemd-binfmt applies it)"
    ;;
show)
    need_binfmt
    [ -e "$BINFMT/$name" ] || die "$name is not registered"
    cat "$BINFMT/$name"
    ;;
esac
