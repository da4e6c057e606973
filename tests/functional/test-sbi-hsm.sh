#!/bin/sh
# targets: riscv64-softmmu
# Hart start through OpenSBI's HSM, many times: an S-mode payload
# (sbi/hsm.S) starts every other hart, waits until each has arrived, and
# reboots, HSM_BOOTS times (default 150) with -smp 2 and with -smp 4, with
# round-robin slices of random length (-accel tcg,slice=random), so that
# slices end at every kind of point, and with one thread per hart
# (thread=multi).  Each run must finish, every hart arriving in every
# boot: a lost IPI or wake-up hangs it (a test waits for the condition:
# the timeout is only a backstop).  No start may come at the cold-boot
# address (OpenSBI 1.1/1.2's own race, see sbi/hsm.S): round-robin lets a
# slice that ends in firmware run until the hart leaves it, and the
# firmware gate (accel/tcg/cpus.c) keeps a hart in its boot firmware from
# running while another is in an SBI call; without them 3 in 100 -smp 2
# boots with a thread per hart, about 1 in 150 with random slices
# (docs/devel/debugging.md, "Races between harts").  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
CROSS_CC=${CROSS_CC:-riscv64-linux-gnu-gcc}
FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
BOOTS=${HSM_BOOTS:-150}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ ! -f "$FW" ] || ! command -v "$CROSS_CC" >/dev/null 2>&1; then
    echo "1..0 # SKIP needs the opensbi package and $CROSS_CC"
    exit 0
fi
"$CROSS_CC" -DBOOTS="$BOOTS" -march=rv64imac_zicsr_zifencei -mabi=lp64 \
    -mcmodel=medany -nostdlib -static -no-pie -Wl,--build-id=none \
    -Wl,-Ttext=0x80200000 -o "$T/hsm.elf" tests/functional/sbi/hsm.S &&
    "${CROSS_CC%gcc}objcopy" -O binary "$T/hsm.elf" "$T/hsm.bin"
n=0
for run in "2 single" "4 single" "2 multi" "4 multi"; do
    smp=${run% *}
    thread=${run#* }
    accel=tcg,thread=single,slice=random
    [ "$thread" = multi ] && accel=tcg,thread=multi
    timeout 600 "$EMU" -M virt -nographic -smp $smp \
        -accel $accel -kernel "$T/hsm.bin" \
        </dev/null 2>&1 | tr -d '\r' >"$T/out"
    n=$((n + 1))
    done_line=$(grep -a "^boots: $BOOTS, harts started in the last: $((smp - 1))," "$T/out")
    if [ -n "$done_line" ]; then
        echo "ok $n - -smp $smp, $thread: $BOOTS boots, every hart started in each"
    else
        echo "not ok $n - -smp $smp, $thread: $BOOTS boots, every hart started in each"
        echo "#   boots begun: $(grep -c '^OpenSBI v' "$T/out")"
        tail -n 5 "$T/out" | sed 's/^/#   /'
    fi
    n=$((n + 1))
    cold=$(echo "$done_line" | sed -n 's/.*starts at the cold-boot address: \([0-9]*\).*/\1/p')
    if [ "$cold" = 0 ]; then
        echo "ok $n - -smp $smp, $thread: no hart started at the cold-boot address"
    else
        echo "not ok $n - -smp $smp, $thread: no hart started at the cold-boot address (${cold:-?} did)"
    fi
done
echo "1..$n"
