#!/bin/sh
# targets: riscv64-softmmu
# Serial output on stdio is written a line at a time (chardev/char-stdio.c):
# output without a line end must still come out while the guest waits at a
# prompt, and at exit.  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$B/mimic-system-${MIMIC_TARGET:-riscv64}
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/#   /' "$T/out" 2>/dev/null | head -5; }

# A prompt with no line end, then the guest idles: the text must show up
# while the emulator still runs.
$EMU -M virt -nographic -bios none -kernel $B/tests/functional/prompt.elf \
    </dev/null >"$T/out" 2>&1 &
pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q "login: " "$T/out"; do
    sleep 0.1
    i=$((i + 1))
done
if grep -q "login: " "$T/out" && kill -0 $pid 2>/dev/null; then
    ok "a prompt without a line end reaches stdout while the guest waits"
else
    not_ok "a prompt without a line end reaches stdout while the guest waits"
fi
kill $pid 2>/dev/null
wait $pid 2>/dev/null

# Output without a line end right before poweroff is not lost.
if timeout 20 $EMU -M virt -nographic -bios none \
        -kernel $B/tests/functional/bye.elf </dev/null >"$T/out" 2>&1 &&
        [ "$(cat "$T/out")" = "bye" ]; then
    ok "output without a line end is written at exit"
else
    not_ok "output without a line end is written at exit"
fi
echo "1..$n"
