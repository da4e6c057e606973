#!/bin/sh
# needs: none
# scripts/images.sh, the progress display of the first image build (`make
# run`, `make images`), driven by a stand-in for tests/images/build.sh that
# compiles 100 empty "objects": it says at the start how long and why,
# shows objects built out of the expected total with the time left, keeps
# the count as the next total, passes the image directory through on
# stdout, and says nothing more once the images are cached.  Prints TAP.
# Run from the source root.
SRC=$(pwd)
TAP_SHOW='err'
. tests/tap.sh

cat >"$T/build.sh" <<'EOS'
c=$MIMIC_IMAGE_CACHE
[ "${1:-}" = --dir ] && { echo "$c/img"; exit 0; }
[ -f "$c/img/manifest" ] && { echo "$c/img"; exit 0; }
w=$c/parts/kernel-k$$.work
mkdir -p "$w/build"
i=0
while [ $i -lt 100 ]; do : >"$w/build/f$i.o"; i=$((i + 1)); sleep 0.02; done
# Wait until the display has shown the last count, as a real build's
# final link gives it time to.
j=0
while [ $j -lt 600 ] && ! grep -q "100 of about" "$ERR" 2>/dev/null; do sleep 0.1; j=$((j + 1)); done
mkdir -p "$c/parts/kernel-k$$"
echo "seconds: 1" >"$c/parts/kernel-k$$/info"
rm -rf "$w"
[ -z "$KEEP_UNBUILT" ] && mkdir -p "$c/img" && : >"$c/img/manifest"
echo "$c/img"
EOS
export MIMIC_IMAGE_BUILD="$T/build.sh" MIMIC_IMAGE_CACHE="$T/cache"
export MIMIC_PROGRESS_INTERVAL=0.1 MIMIC_PROGRESS_LINES=0 ERR="$T/err"

KEEP_UNBUILT=1 timeout 120 sh "$SRC/scripts/images.sh" >"$T/out" 2>"$T/err"
rc=$?
check "the first build succeeds" '[ "$rc" -eq 0 ]'
check "stdout is the image directory" '[ "$(cat "$T/out")" = "$T/cache/img" ]'
check "it says how long it will take, and why" \
    'grep -q "not built yet.*Linux.*busybox.*about [0-9]* min" "$T/err"'
check "objects built out of the expected total" \
    'grep -q "images: kernel: [0-9]* of about 1100 objects built" "$T/err"'
check "an estimate of the time left" 'grep -q "objects built.*left" "$T/err"'
check "the count is kept as the next total" \
    '[ "$(cat "$T/cache/progress-kernel" 2>/dev/null)" = 100 ]'

timeout 120 sh "$SRC/scripts/images.sh" >"$T/out" 2>"$T/err"
check "the next build counts against the last one's total" \
    'grep -q "images: kernel: [0-9]* of about 100 objects built" "$T/err"'

timeout 120 sh "$SRC/scripts/images.sh" >"$T/out" 2>"$T/err"
check "cached images: no display, the directory" \
    '[ ! -s "$T/err" ] && [ "$(cat "$T/out")" = "$T/cache/img" ]'

tap_end
