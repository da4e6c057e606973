#!/bin/sh
# Builds Mimic's guest images (a riscv64 Linux kernel and a static busybox
# initramfs) from Debian packages only, or finds them in the cache, and
# prints the cache directory on the last line of stdout; progress goes to
# stderr.  The cache directory is named after a hash of this recipe (every
# file of tests/images/ but *.md), so a change to the recipe rebuilds, and
# each machine builds once.  See docs/images.md.
#
#   dir=$(sh tests/images/build.sh | tail -n 1)
#   sh tests/images/build.sh --dir     # only prints where they are or would be
#
# Environment: MIMIC_IMAGE_CACHE (default ~/.cache/mimic/images),
# MIMIC_IMAGE_JOBS (make -j, default 2), MIMIC_IMAGE_KEEP_WORK=1 keeps the
# build trees (<cache>/<hash>.work) after a successful build.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${MIMIC_IMAGE_CACHE:-${HOME:-/root}/.cache/mimic/images}
jobs=${MIMIC_IMAGE_JOBS:-2}
ksrc_tar=/usr/src/linux-source-6.1.tar.xz
cross=riscv64-linux-gnu-

log() { echo "images: $*" >&2; }
die() { echo "images: error: $*" >&2; exit 1; }

# The recipe: every file under tests/images/ but documentation.  Names are
# part of the hash, so renaming a file rebuilds too.
recipe_hash() {
    (cd "$here" && find . -type f ! -name '*.md' | LC_ALL=C sort |
        while read -r f; do
            # Modes matter too: the executable bit ends up in the initramfs.
            if [ -x "$f" ]; then echo "x $f"; else echo "- $f"; fi
            sha256sum <"$f"
        done) | sha256sum | cut -c1-16
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

for tool in ${cross}gcc ${cross}ld make bc flex bison cpio gzip xz \
            perl dpkg-source apt-get flock; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool is missing: run 'sh scripts/install-deps.sh'"
done
[ -f "$ksrc_tar" ] || die "$ksrc_tar is missing: run 'sh scripts/install-deps.sh'"

mkdir -p "$cache"
# One builder at a time per recipe; a second one waits, then finds the cache.
exec 9>"$cache/$hash.lock"
if ! flock -n 9; then
    log "another build of $hash is running; waiting for it"
    flock 9
fi
if [ -f "$out/manifest" ]; then
    echo "$out"
    exit 0
fi

tmp=$out.tmp
work=$out.work
rm -rf "$tmp" "$work"
mkdir -p "$tmp" "$work"
t_start=$(date +%s)

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

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
        [ -n "$lines" ] || die "no Debian archive found in /etc/apt/sources.list*: cannot add deb-src"
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

# --- Kernel ----------------------------------------------------------------
build_kernel() {
    t0=$(date +%s)
    log "kernel: unpacking $ksrc_tar"
    tar -C "$work" -xf "$ksrc_tar"
    ksrc=$work/linux-source-6.1
    kout=$work/linux-build
    mkdir -p "$kout"
    export ARCH=riscv CROSS_COMPILE=$cross
    log "kernel: allnoconfig + tests/images/kernel.config"
    (cd "$ksrc" && scripts/kconfig/merge_config.sh -n -O "$kout" "$here/kernel.config") \
        >"$work/kernel-config.log" 2>&1 || { cat "$work/kernel-config.log" >&2; die "kernel config failed"; }
    make -C "$ksrc" O="$kout" olddefconfig >>"$work/kernel-config.log" 2>&1
    sh "$here/check-config.sh" "$here/kernel.config" "$kout/.config" >&2 ||
        die "kernel.config: options above did not end up as requested (unmet dependencies or typos)"
    log "kernel: building (make -j$jobs, log in $work/kernel-build.log)"
    nice -n 10 make -C "$ksrc" O="$kout" -j"$jobs" Image >"$work/kernel-build.log" 2>&1 ||
        { tail -n 40 "$work/kernel-build.log" >&2; die "kernel build failed"; }
    cp "$kout/arch/riscv/boot/Image" "$kout/vmlinux" "$kout/System.map" "$tmp/"
    cp "$kout/.config" "$tmp/kernel.config"
    kversion=$(make -s -C "$ksrc" O="$kout" kernelrelease 2>/dev/null | tail -n 1)
    kdebver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
    # gen_init_cpio writes the initramfs: device nodes and root ownership
    # without needing root.
    cc -O2 -o "$work/gen_init_cpio" "$ksrc/usr/gen_init_cpio.c"
    t_kernel=$(( $(date +%s) - t0 ))
    log "kernel: $kversion built in ${t_kernel}s"
}

# --- busybox ---------------------------------------------------------------
build_busybox() {
    t0=$(date +%s)
    ensure_debsrc
    log "busybox: apt-get source busybox"
    mkdir -p "$work/bb"
    (cd "$work/bb" && apt-get source -q busybox) >"$work/busybox-source.log" 2>&1 ||
        { cat "$work/busybox-source.log" >&2; die "apt-get source busybox failed"; }
    bsrc=$(find "$work/bb" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)
    [ -n "$bsrc" ] || die "no busybox source tree after apt-get source"
    bbdebver=$(cd "$bsrc" && dpkg-parsechangelog -S Version)
    log "busybox: defconfig + tests/images/busybox.config"
    make -C "$bsrc" defconfig >"$work/busybox-config.log" 2>&1
    # Replace every symbol the fragment names, then let oldconfig settle
    # the dependencies.
    syms=$(sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' \
                  -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1/p' "$here/busybox.config")
    for s in $syms; do
        sed -i -e "/^$s=/d" -e "/^# $s is not set\$/d" "$bsrc/.config"
    done
    grep -e '^CONFIG_' -e '^# CONFIG_.* is not set$' "$here/busybox.config" >>"$bsrc/.config"
    yes "" | make -C "$bsrc" oldconfig >>"$work/busybox-config.log" 2>&1
    sh "$here/check-config.sh" "$here/busybox.config" "$bsrc/.config" >&2 ||
        die "busybox.config: options above did not end up as requested"
    log "busybox: building (log in $work/busybox-build.log)"
    nice -n 10 make -C "$bsrc" -j"$jobs" busybox >"$work/busybox-build.log" 2>&1 ||
        { tail -n 40 "$work/busybox-build.log" >&2; die "busybox build failed"; }
    rootfs=$work/rootfs
    make -C "$bsrc" CONFIG_PREFIX="$rootfs" install >>"$work/busybox-build.log" 2>&1
    file_out=$(file -b "$rootfs/bin/busybox")
    case $file_out in
    *RISC-V*statically\ linked*) ;;
    *) die "bin/busybox is not a static RISC-V binary: $file_out" ;;
    esac
    cp "$bsrc/.config" "$tmp/busybox.config"
    cp "$rootfs/bin/busybox" "$tmp/busybox"
    bbversion=$(sed -n 's/^#define BB_VER "\(.*\)"/\1/p' "$bsrc/include/autoconf.h" | head -n 1)
    [ -n "$bbversion" ] || bbversion=${bbdebver#*:}
    t_busybox=$(( $(date +%s) - t0 ))
    log "busybox: $bbversion built in ${t_busybox}s"
}

# --- initramfs ---------------------------------------------------------------
build_initramfs() {
    rootfs=$work/rootfs
    rm -f "$rootfs/linuxrc"    # busybox's old-style initrd entry; we have /init
    for d in dev proc sys tmp run root mnt etc usr/share/udhcpc var/log; do
        mkdir -p "$rootfs/$d"
    done
    cp -R "$here/rootfs/." "$rootfs/"
    install -m 0755 "$here/init" "$rootfs/init"
    install -m 0755 "$here/udhcpc.script" "$rootfs/usr/share/udhcpc/default.script"
    # Everything owned by root; /dev/console must exist before /init runs
    # (the kernel opens it for init's stdin/stdout/stderr).
    list=$work/initramfs.list
    {
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
        echo "nod /dev/console 0600 0 0 c 5 1"
        echo "nod /dev/null 0666 0 0 c 1 3"
    } >"$list"
    "$work/gen_init_cpio" -t "$(date -d @"$t_start" +%s)" "$list" >"$work/initramfs.cpio"
    gzip -9 -n <"$work/initramfs.cpio" >"$tmp/initramfs.cpio.gz"
    log "initramfs: $(wc -l <"$list") entries, $(stat -c %s "$tmp/initramfs.cpio.gz") bytes"
}

build_kernel
build_busybox
build_initramfs

t_total=$(( $(date +%s) - t_start ))
(
    cd "$tmp"
    cat <<EOF
recipe-hash: $hash
build-date: $(date -u +%Y-%m-%dT%H:%M:%SZ)
build-host: $(uname -srm)
build-seconds: $t_total (kernel $t_kernel, busybox $t_busybox)
kernel-version: $kversion
kernel-source: linux-source-6.1 $kdebver
kernel-config-sha256: $(sha256sum <kernel.config | cut -d' ' -f1)
busybox-version: $bbversion
busybox-source: busybox $bbdebver
busybox-config-sha256: $(sha256sum <busybox.config | cut -d' ' -f1)
compiler: $(${cross}gcc --version | head -n 1)
EOF
    echo "files:"
    sha256sum Image vmlinux System.map initramfs.cpio.gz busybox | sed 's/^/  /'
) >"$tmp/manifest.new"
mv "$tmp/manifest.new" "$tmp/manifest"

# Publish: the rename is atomic, so a reader sees all of it or nothing.
rm -rf "$out"
mv "$tmp" "$out"
if [ "${MIMIC_IMAGE_KEEP_WORK:-0}" != 1 ]; then
    rm -rf "$work"
fi
log "built $out in ${t_total}s"
echo "$out"
