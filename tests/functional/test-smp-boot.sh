#!/bin/sh
# targets: riscv64-softmmu
# Linux brings up its second hart through OpenSBI's HSM hart_start, which
# (in Debian's OpenSBI 1.1) marks the hart START_PENDING before it stores
# the start address while the hart spins: if round-robin let it run in that
# window, it started the kernel at its cold entry and the boot hung (about
# 1 boot in 10, 2 at a time).  A slice that ends in M-mode is put off to
# the next kick (docs/devel/debugging.md).  Boots -smp 2 to poweroff 8
# times, 2 at a time, round-robin (thread=single) and with one thread per
# hart (the default), where the firmware gate keeps a hart still in
# OpenSBI from running while another is in an SBI call.  Then boots -smp
# 1, 2, 4 and 8 (one thread per hart) to a shell that checks it has every
# hart and runs eight busy shell loops at once, each of which must end
# with the exact sum.  MIMIC_IMAGES picks the image folder.  Prints TAP.
B=${BUILD_DIR:-build}
d=${MIMIC_IMAGES:-$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)}
if [ ! -f "$d/Image" ]; then
    echo "ok 1 - # SKIP guest images not built (make images)"
    echo "1..1"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for round in ${SMP_BOOT_ROUNDS:-1 2 3 4}; do
    for k in 1 2; do
        accel=tcg,thread=single
        [ $k = 2 ] && accel=tcg
        timeout 120 "$B/mimic-system-${MIMIC_TARGET:-riscv64}" -M virt -m 256M -smp 2 -nographic \
            -accel $accel \
            -kernel "$d/Image" -initrd "$d/initramfs.cpio.gz" \
            -append "console=ttyS0 mimic.poweroff=1" </dev/null \
            >"$tmp/boot-$round-$k.log" 2>&1 &
    done
    wait
    for k in 1 2; do
        n=$((n + 1))
        mode=round-robin
        [ $k = 2 ] && mode="a thread per hart"
        if grep -q "reboot: Power down" "$tmp/boot-$round-$k.log"; then
            echo "ok $n - -smp 2 boot $n ($mode) brings up both harts and powers off"
        else
            echo "not ok $n - -smp 2 boot $n ($mode) brings up both harts and powers off"
            tail -n 15 "$tmp/boot-$round-$k.log" | sed 's/^/#   /'
        fi
    done
done

# The SMP workload: every hart online, eight loops summing 1..3000 at once.
# The result goes to the kernel log: the tty may drop what a session
# leader wrote just before it exited (docs/devel/debugging.md).
work='n=$(grep -c ^processor /proc/cpuinfo); for i in 1 2 3 4 5 6 7 8; do
(k=0; s=0; while [ $k -lt 3000 ]; do k=$((k+1)); s=$((s+k)); done;
echo "sum $s") >/tmp/w$i & done; wait;
echo "harts=$n sums:$(cat /tmp/w* | sort | uniq -c | tr -s " ")" >/dev/kmsg'
run64=$(printf '%s' "$work" | base64 | tr -d '\n')
for smp in 1 2 4 8; do
    n=$((n + 1))
    timeout 300 "$B/mimic-system-${MIMIC_TARGET:-riscv64}" -M virt -m 256M -smp $smp -nographic \
        -kernel "$d/Image" -initrd "$d/initramfs.cpio.gz" \
        -append "console=ttyS0 mimic.run64=$run64" </dev/null \
        >"$tmp/work-$smp.log" 2>&1
    if tr -d '\r' <"$tmp/work-$smp.log" | grep -q "harts=$smp sums: 8 sum 4501500\$" &&
        grep -q "reboot: Power down" "$tmp/work-$smp.log"; then
        echo "ok $n - -smp $smp: Linux has $smp harts, 8 loops at once all sum right"
    else
        echo "not ok $n - -smp $smp: Linux has $smp harts, 8 loops at once all sum right"
        tail -n 15 "$tmp/work-$smp.log" | sed 's/^/#   /'
    fi
done
echo "1..$n"
