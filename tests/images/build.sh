#!/bin/sh
# Builds Mimic's guest images (a riscv64 Linux kernel and a static busybox
# initramfs) from Debian packages only, or finds them in the cache, and
# prints the image directory on the last line of stdout; progress goes to
# stderr.  The directory is named after a hash of this recipe (every file of
# tests/images/ but *.md), so a change to the recipe gives new images, and
# each machine builds once.  See docs/images.md.
#
#   dir=$(sh tests/images/build.sh | tail -n 1)
#   sh tests/images/build.sh --dir     # only prints where they are or would be
#
# The kernel and busybox are also cached on their own (<cache>/parts/),
# keyed by their config fragment and the text of their stage below, so that
# a change to /init or the root file system rebuilds the initramfs in
# seconds, not the kernel.
#
# Environment: MIMIC_IMAGE_CACHE (default ~/.cache/mimic/images),
# MIMIC_IMAGE_JOBS (make -j, default 2), MIMIC_IMAGE_KEEP_WORK=1 keeps the
# build trees (<cache>/*.work) after a successful build.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
self=$here/build.sh
cache=${MIMIC_IMAGE_CACHE:-${HOME:-/root}/.cache/mimic/images}
jobs=${MIMIC_IMAGE_JOBS:-2}
ksrc_tar=/usr/src/linux-source-6.1.tar.xz
cross=riscv64-linux-gnu-

log() { echo "images: $*" >&2; }
die() { echo "images: error: $*" >&2; exit 1; }

# The whole recipe: every file under tests/images/ but documentation, with
# its name and executable bit (which ends up in the initramfs).
recipe_hash() {
    (cd "$here" && find . -type f ! -name '*.md' | LC_ALL=C sort |
        while read -r f; do
            if [ -x "$f" ]; then echo "x $f"; else echo "- $f"; fi
            sha256sum <"$f"
        done) | sha256sum | cut -c1-16
}

# A stage's key: its input files and the text of its section of this script
# (between "# >>> NAME" and "# <<< NAME").
stage_hash() {
    name=$1
    shift
    { sed -n "/^# >>> $name\$/,/^# <<< $name\$/p" "$self"
      for f in "$@"; do echo "$f"; sha256sum <"$here/$f"; done; } |
        sha256sum | cut -c1-16
}

hash=$(recipe_hash)
out=$cache/$hash
if [ "${1:-}" = --dir ]; then
    # Where the images are or would be; builds nothing.
    echo "$out"
    exit 0
fi
if [ -f "$out/manifest" ]; then
    log "cached: $out"
    echo "$out"
    exit 0
fi

for tool in ${cross}gcc ${cross}ld cc make bc flex bison cpio gzip xz \
            perl file dpkg-source dpkg-parsechangelog apt-get flock; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is missing: run 'sh scripts/install-deps.sh'"
done
for f in "$ksrc_tar" /usr/bin/time; do
    [ -e "$f" ] || die "$f is missing: run 'sh scripts/install-deps.sh'"
done

mkdir -p "$cache/parts"
# One build at a time on a machine; a second one waits, then usually finds
# everything cached.
exec 9>"$cache/build.lock"
if ! flock -n 9; then
    log "another build is running; waiting for it"
    flock 9
fi
if [ -f "$out/manifest" ]; then
    echo "$out"
    exit 0
fi

t_start=$(date +%s)
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# Runs stage NAME (function build_NAME) into <cache>/parts/NAME-<key>
# unless that is already there.  The stage writes into $part (a .tmp
# directory) and works in $work; both are started afresh, and the part is
# published by a rename only when complete.
run_stage() {
    name=$1
    key=$2
    part=$cache/parts/$name-$key
    if [ -f "$part/info" ]; then
        log "$name: cached ($part)"
        return 0
    fi
    final=$part
    part=$final.tmp
    work=$final.work
    rm -rf "$part" "$work"
    mkdir -p "$part" "$work"
    t0=$(date +%s)
    "build_$name"
    echo "seconds: $(( $(date +%s) - t0 ))" >>"$part/info"
    mv "$part" "$final"
    [ "${MIMIC_IMAGE_KEEP_WORK:-0}" = 1 ] || rm -rf "$work"
    part=$final
    log "$name: built in $(( $(date +%s) - t0 ))s"
}

# part_info DIR KEY: a value from a part's info file.
part_info() { sed -n "s/^$2: //p" "$1/info"; }

# --- Debian source packages: apt-get source needs deb-src lines.  We add
# them for the Debian archive that is already configured (same URIs, suites,
# components and key), once, in a file of our own.
debsrc_list=/etc/apt/sources.list.d/mimic-deb-src.list

debsrc_lines() {
    srcs=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    lists=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            grep -v "^$debsrc_list\$" || true)
    {
        # deb822 stanzas (Types/URIs/Suites/Components/Signed-By).
        [ -z "$srcs" ] || awk '
        function flush() {
            if (types ~ /(^| )deb( |$)/ && enabled != "no")
                for (i = 1; i <= nu; i++) if (u[i] ~ /\/debian\/?$/)
                    for (j = 1; j <= ns; j++)
                        printf "deb-src %s%s %s %s\n",
                            (sb != "" ? "[signed-by=" sb "] " : ""), u[i], s[j], comps
            types = ""; nu = 0; ns = 0; comps = ""; sb = ""; enabled = ""
        }
        FNR == 1 { flush() }
        /^[ \t]*$/ { flush(); next }
        /^[ \t]*#/ { next }
        { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "") }
        key == "types" { types = $0 }
        key == "uris" { nu = split($0, u, " ") }
        key == "suites" { ns = split($0, s, " ") }
        key == "components" { comps = $0 }
        key == "signed-by" { sb = $0 }
        key == "enabled" { enabled = tolower($0) }
        END { flush() }' $srcs
        # One-line "deb [options] URI suite components" entries.
        [ -z "$lists" ] || awk '$1 == "deb" {
            line = $0; sub(/^deb[ \t]+/, "", line)
            n = split(line, f, " "); uri = ""
            for (i = 1; i <= n; i++)
                if (f[i] !~ /^\[/ && f[i] !~ /\]$/ && f[i] !~ /=/) { uri = f[i]; break }
            if (uri ~ /\/debian\/?$/) print "deb-src " line
        }' $lists
    } | sort -u
}

ensure_debsrc() {
    if apt-cache showsrc busybox 2>/dev/null | grep -q '^Package: busybox'; then
        return 0
    fi
    if [ ! -f "$debsrc_list" ]; then
        lines=$(debsrc_lines)
        [ -n "$lines" ] || die "no Debian archive in /etc/apt/sources.list*: cannot add deb-src"
        log "adding deb-src lines to $debsrc_list:"
        echo "$lines" | sed 's/^/images:   /' >&2
        { echo "# Added by Mimic's tests/images/build.sh: sources for apt-get source."
          echo "$lines"; } | $SUDO tee "$debsrc_list.new" >/dev/null
        $SUDO mv "$debsrc_list.new" "$debsrc_list"
    fi
    log "apt-get update"
    $SUDO apt-get update -q >&2
    apt-cache showsrc busybox 2>/dev/null | grep -q '^Package: busybox' ||
        die "apt-get cannot find the busybox source package"
}

# >>> kernel
# Linux 6.1 from Debian's linux-source-6.1: allnoconfig + kernel.config,
# checked, built in.  Also gen_init_cpio, which writes the initramfs
# (device nodes and root ownership without being root).
build_kernel() {
    log "kernel: unpacking $ksrc_tar"
    tar -C "$work" -xf "$ksrc_tar"
    ksrc=$work/linux-source-6.1
    kout=$work/build
    mkdir -p "$kout"
    kmake="make -C $ksrc O=$kout ARCH=riscv CROSS_COMPILE=$cross"
    log "kernel: allnoconfig + tests/images/kernel.config"
    (cd "$ksrc" && ARCH=riscv CROSS_COMPILE=$cross \
        scripts/kconfig/merge_config.sh -n -O "$kout" "$here/kernel.config") \
        >"$work/config.log" 2>&1 || { cat "$work/config.log" >&2; die "kernel config failed"; }
    $kmake olddefconfig >>"$work/config.log" 2>&1
    sh "$here/check-config.sh" "$here/kernel.config" "$kout/.config" >&2 ||
        die "kernel.config: the options above did not end up as requested (unmet dependencies or typos)"
    log "kernel: building (make -j$jobs; log in $work/build.log)"
    /usr/bin/time -f "%e %U %S" -o "$work/time" \
        nice -n 10 $kmake -j"$jobs" Image >"$work/build.log" 2>&1 ||
        { tail -n 40 "$work/build.log" >&2; die "kernel build failed"; }
    cp "$kout/arch/riscv/boot/Image" "$kout/vmlinux" "$kout/System.map" "$part/"
    cp "$kout/.config" "$part/kernel.config"
    cc -O2 -o "$part/gen_init_cpio" "$ksrc/usr/gen_init_cpio.c"
    {
        echo "version: $($kmake -s kernelrelease | tail -n 1)"
        echo "source: linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1)"
        read -r e u s <"$work/time"
        echo "make: ${e}s elapsed, ${u}s user, ${s}s system"
    } >"$part/info"
}
# <<< kernel

# >>> busybox
# busybox from Debian's source package: defconfig + busybox.config, checked,
# static, cross-compiled; installed with its applet symlinks into rootfs/,
# and its test suite kept in busybox-tests/.
build_busybox() {
    ensure_debsrc
    log "busybox: apt-get source busybox"
    (cd "$work" && apt-get source -q busybox) >"$work/source.log" 2>&1 ||
        { cat "$work/source.log" >&2; die "apt-get source busybox failed"; }
    bsrc=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)
    [ -n "$bsrc" ] || die "no busybox source tree after apt-get source"
    log "busybox: defconfig + tests/images/busybox.config"
    make -C "$bsrc" defconfig >"$work/config.log" 2>&1
    # Drop every symbol the fragment names, append the fragment, and let
    # oldconfig settle the dependencies.
    syms=$(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' \
                  -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p' "$here/busybox.config")
    for s in $syms; do
        sed -i -e "/^$s=/d" -e "/^# $s is not set\$/d" "$bsrc/.config"
    done
    grep -e '^CONFIG_' -e '^# CONFIG_.* is not set$' "$here/busybox.config" >>"$bsrc/.config"
    yes "" | make -C "$bsrc" oldconfig >>"$work/config.log" 2>&1
    sh "$here/check-config.sh" "$here/busybox.config" "$bsrc/.config" >&2 ||
        die "busybox.config: the options above did not end up as requested"
    log "busybox: building (log in $work/build.log)"
    /usr/bin/time -f "%e %U %S" -o "$work/time" \
        nice -n 10 make -C "$bsrc" -j"$jobs" busybox >"$work/build.log" 2>&1 ||
        { tail -n 40 "$work/build.log" >&2; die "busybox build failed"; }
    make -C "$bsrc" CONFIG_PREFIX="$part/rootfs" install >>"$work/build.log" 2>&1
    rm -f "$part/rootfs/linuxrc"    # the old-style initrd entry; we have /init
    case $(file -b "$part/rootfs/bin/busybox") in
    *RISC-V*statically\ linked*) ;;
    *) die "bin/busybox is not a static RISC-V binary: $(file -b "$part/rootfs/bin/busybox")" ;;
    esac
    cp "$bsrc/.config" "$part/busybox.config"
    # busybox's own test suite, for tests/functional/test-user-busybox.sh:
    # testsuite/, and scripts/echo.c beside it, which the harness compiles
    # (../scripts/echo.c) when the shell's echo lacks -n and -e.
    mkdir -p "$part/busybox-tests/scripts"
    cp -R "$bsrc/testsuite" "$part/busybox-tests/"
    cp "$bsrc/scripts/echo.c" "$part/busybox-tests/scripts/"
    {
        echo "version: $(awk '/^(VERSION|PATCHLEVEL|SUBLEVEL) *=/ { v = v (v == "" ? "" : ".") $3 } END { print v }' "$bsrc/Makefile")"
        echo "source: busybox $(cd "$bsrc" && dpkg-parsechangelog -S Version)"
        read -r e u s <"$work/time"
        echo "make: ${e}s elapsed, ${u}s user, ${s}s system"
    } >"$part/info"
}
# <<< busybox

run_stage busybox "$(stage_hash busybox busybox.config check-config.sh)"
bpart=$part
run_stage kernel "$(stage_hash kernel kernel.config check-config.sh)"
kpart=$part

# --- The image directory: the kernel files, and the initramfs made from
# busybox's tree and tests/images/ (cheap, so not cached on its own).
tmp=$out.tmp
rm -rf "$tmp" "$out.work"
mkdir -p "$tmp" "$out.work"
rootfs=$out.work/rootfs
for f in Image vmlinux System.map kernel.config; do
    ln "$kpart/$f" "$tmp/$f" 2>/dev/null || cp "$kpart/$f" "$tmp/$f"
done
cp "$bpart/busybox.config" "$tmp/"
cp "$bpart/rootfs/bin/busybox" "$tmp/"
cp -R "$bpart/busybox-tests" "$tmp/"

cp -R "$bpart/rootfs" "$rootfs"
for d in dev proc sys tmp run root mnt etc usr/share/udhcpc var/log; do
    mkdir -p "$rootfs/$d"
done
cp -R "$here/rootfs/." "$rootfs/"
install -m 0755 "$here/init" "$rootfs/init"
install -m 0755 "$here/udhcpc.script" "$rootfs/usr/share/udhcpc/default.script"
list=$out.work/initramfs.list
{
    # Parents before children; everything owned by root.
    (cd "$rootfs" && find . -mindepth 1 | LC_ALL=C sort) | while read -r p; do
        p=${p#.}
        f=$rootfs$p
        mode=$(stat -c %a "$f")
        if [ -L "$f" ]; then
            echo "slink $p $(readlink "$f") 0777 0 0"
        elif [ -d "$f" ]; then
            case $p in /tmp) mode=1777 ;; /root) mode=700 ;; esac
            echo "dir $p $mode 0 0"
        else
            echo "file $p $f $mode 0 0"
        fi
    done
    # The kernel opens /dev/console for /init's stdin/stdout/stderr before
    # /init can mount devtmpfs.
    echo "nod /dev/console 0600 0 0 c 5 1"
    echo "nod /dev/null 0666 0 0 c 1 3"
} >"$list"
"$kpart/gen_init_cpio" -t "$t_start" "$list" >"$out.work/initramfs.cpio"
gzip -9 -n <"$out.work/initramfs.cpio" >"$tmp/initramfs.cpio.gz"
log "initramfs: $(wc -l <"$list") entries, $(stat -c %s "$tmp/initramfs.cpio.gz") bytes"

(
    cd "$tmp"
    cat <<EOF
recipe-hash: $hash
build-date: $(date -u +%Y-%m-%dT%H:%M:%SZ)
build-host: $(uname -srm), $(nproc) cpus
kernel-version: $(part_info "$kpart" version)
kernel-source: $(part_info "$kpart" source)
kernel-build: $(part_info "$kpart" seconds)s ($(part_info "$kpart" make)), parts/$(basename "$kpart")
kernel-config-sha256: $(sha256sum <kernel.config | cut -d' ' -f1)
busybox-version: $(part_info "$bpart" version)
busybox-source: $(part_info "$bpart" source)
busybox-build: $(part_info "$bpart" seconds)s ($(part_info "$bpart" make)), parts/$(basename "$bpart")
busybox-config-sha256: $(sha256sum <busybox.config | cut -d' ' -f1)
compiler: $(${cross}gcc --version | head -n 1)
EOF
    echo "files:"
    sha256sum Image vmlinux System.map initramfs.cpio.gz busybox | sed 's/^/  /'
) >"$tmp/manifest"

# Publish: the rename is atomic, so a reader sees all of it or nothing.
rm -rf "$out"
mv "$tmp" "$out"
[ "${MIMIC_IMAGE_KEEP_WORK:-0}" = 1 ] || rm -rf "$out.work"
log "images ready in $(( $(date +%s) - t_start ))s: $out"
echo "$out"
