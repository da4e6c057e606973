#!/bin/sh
# targets: riscv64-linux-user
# busybox's own test suite (testsuite/ of Debian's busybox source package,
# which tests/images/build.sh keeps in the images' busybox-tests/) run with
# its own runner, testsuite/runtest, against the images' static riscv64
# busybox twice at once: under mimic-riscv64 and under Debian's
# qemu-riscv64.  Each test must give the same result (PASS, FAIL,
# SKIPPED, UNTESTED) under both, or be listed with its reason in
# tests/user/busybox/deviations.txt; and most tests must pass under Mimic,
# so that a run where busybox fails everywhere cannot pass.  The applets
# run are those of tests/user/busybox/applets.txt; every other applet the
# suite has a test for is in tests/user/busybox/excluded.txt with why.
# Needs the guest images (make images) and qemu-riscv64: skips without
# them (a failure on CI).  Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-${MIMIC_TARGET:-riscv64}
Q=${QEMU_USER:-qemu-riscv64}
L=tests/user/busybox
# The share of the tests run that must pass under Mimic (percent).  Under
# both emulators about 99% pass: the rest are busybox's own failures.
MIN_PASS=95
# The tests applets.txt gives at least (549 with busybox 1.35.0): a
# runner that stops early on both sides must not pass either.
MIN_TESTS=500
# MIMIC_BUSYBOX_APPLETS="sed awk" runs only those (when looking into one).
# Seconds a side may take before it is stopped (a hang is a failure).
LIMIT=${MIMIC_BUSYBOX_TIMEOUT:-900}
TAP_SHOW="out err"

skip() { echo "1..0 # SKIP $*"; exit 0; }
[ -x "$M" ] || skip "$M not built (configure's target list has no riscv64-linux-user)"
command -v "$Q" >/dev/null 2>&1 ||
    skip "$Q not installed (scripts/install-deps.sh adds qemu-user)"
images=${MIMIC_IMAGES:-$(sh tests/images/build.sh --dir 2>/dev/null | tail -n 1)}
[ -f "$images/busybox" ] && [ -f "$images/busybox-tests/testsuite/runtest" ] ||
    skip "no guest images with busybox's test suite ($images; run 'make images')"

# The applets to run, and the lists' lines without comments.
entries() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }
applets=${MIMIC_BUSYBOX_APPLETS:-$(entries "$L/applets.txt" | xargs)}

# The suite's harness echoes with -n and -e; dash's echo has neither, so
# testing.sh would compile busybox's scripts/echo.c in each copy: once here.
cc -O2 -o "$T/echo-ne" "$images/busybox-tests/scripts/echo.c" 2>"$T/err"
check "busybox's scripts/echo.c compiles for the harness" "[ -x '$T/echo-ne' ]"

# side NAME EMULATOR: a copy of the suite in $T/NAME laid out as in
# busybox's build tree, which runtest expects: testsuite/ and scripts/,
# and beside them (runtest's bindir) .config, the images' busybox.config,
# and busybox, a script that runs the riscv64 busybox under EMULATOR.
# runtest links every applet's name to it; busybox picks the applet from
# argv[0], so the script passes the name it was called by with -0.
side() {
    d=$T/$1
    mkdir -p "$d"
    cp -R "$images/busybox-tests/." "$d/"
    cp "$images/busybox.config" "$d/.config"
    cat >"$d/busybox" <<EOF
#!/bin/sh
name=\${0##*/}
[ "\$name" = busybox ] && exec "$2" "$images/busybox" "\$@"
exec "$2" -0 "\$name" "$images/busybox" "\$@"
EOF
    chmod +x "$d/busybox"
}

# run NAME: runs the suite's runner on the applets in $T/NAME/testsuite;
# its output in $T/NAME.out, the seconds it took in $T/NAME.time.
# SKIP_KNOWN_BUGS leaves out the tests busybox's authors mark as failing;
# SKIP_INTERNET_TESTS those that fetch from the internet.
run() {
    s=$(date +%s)
    (cd "$T/$1/testsuite" &&
        LC_ALL=C TZ=UTC ECHO=$T/echo-ne bindir=$T/$1 tsdir=$T/$1/testsuite \
        SKIP_KNOWN_BUGS=1 SKIP_INTERNET_TESTS=1 \
        timeout -k 10 "$LIMIT" sh ./runtest $applets) </dev/null >"$T/$1.out" 2>"$T/$1.err"
    echo $? >"$T/$1.status"
    echo $(($(date +%s) - s)) >"$T/$1.time"
}

side mimic "$M"
side qemu "$Q"
run mimic &
run qemu
wait

# Every test's result, one per line: "RESULT NAME" (a name may hold any
# character, tabs too).  A name the suite uses twice gets " #2" and so
# on, so that both sides' lines pair up.
results() {
    awk '/^(PASS|FAIL|SKIPPED|UNTESTED): / {
        r = $1; sub(/:$/, "", r)
        name = substr($0, length($1) + 2)
        if (++seen[name] > 1) name = name " #" seen[name]
        print r " " name
    }' "$T/$1.out"
}
results mimic >"$T/mimic.res"
results qemu >"$T/qemu.res"
for s in mimic qemu; do
    case $(cat "$T/$s.status") in
    124|137)
        tail -n 5 "$T/$s.out" >"$T/out"
        : >"$T/err"
        not_ok "the suite under $s finished within ${LIMIT}s" ;;
    esac
done

# Deviations: lines "NAME: mimic RESULT, qemu RESULT: why".
entries "$L/deviations.txt" >"$T/dev.txt"
sed -n 's/^\(.*\): mimic \([A-Z]*\), qemu \([A-Z]*\): ..*/\2 \3 \1/p' \
    "$T/dev.txt" >"$T/dev"
check "every line of deviations.txt reads 'NAME: mimic RESULT, qemu RESULT: why'" \
    "[ $(grep -c . "$T/dev.txt") = $(grep -c . "$T/dev") ]"

# One line per test, in the suite's order: "ok WHAT" when both sides
# agree or disagree as deviations.txt says, "not ok WHAT" otherwise;
# then a line for each deviation that no longer happens.
awk '
    FILENAME == ARGV[1] { dev[substr($0, length($1 $2) + 3)] = $1 " " $2; next }
    { t = substr($0, length($1) + 2) }
    FILENAME == ARGV[2] { m[t] = $1; order[++n] = t; next }
    { q[t] = $1; if (!(t in m)) order[++n] = t }
    END {
        for (i = 1; i <= n; i++) {
            t = order[i]
            mr = (t in m) ? m[t] : "MISSING"
            qr = (t in q) ? q[t] : "MISSING"
            if (mr == qr)
                print "ok " t ": " mr " under both"
            else if ((t in dev) && dev[t] == mr " " qr) {
                print "ok " t ": " mr " under Mimic, " qr " under qemu-riscv64 (deviations.txt)"
                used[t] = 1
            } else
                print "not ok " t ": " mr " under Mimic, " qr " under qemu-riscv64"
        }
        for (t in dev)
            if (!(t in used))
                print "not ok deviations.txt: " t " no longer gives its listed results"
    }' "$T/dev" "$T/mimic.res" "$T/qemu.res" >"$T/verdicts"
while IFS= read -r line; do
    what=${line#ok }
    what=${what#not ok }
    case $line in
    "ok "*) ok "$what" ;;
    *)
        # Where the test reported under each emulator.
        for s in mimic qemu; do
            echo "$s:"
            NAME=${what%: *} awk 'index($0, ": " ENVIRON["NAME"]) { print NR ": " $0 }' \
                "$T/$s.out"
        done >"$T/out"
        : >"$T/err"
        not_ok "$what" ;;
    esac
done <"$T/verdicts"

# Enough tests ran, and most passed under Mimic.
total=$(grep -c . "$T/mimic.res")
pass=$(grep -c '^PASS ' "$T/mimic.res")
fail=$(grep -c '^FAIL ' "$T/mimic.res")
qpass=$(grep -c '^PASS ' "$T/qemu.res")
echo "# mimic: $pass passed, $fail failed of $total in $(cat "$T/mimic.time")s;" \
     "qemu-riscv64: $qpass passed in $(cat "$T/qemu.time")s"
cp "$T/mimic.out" "$T/out"
cp "$T/mimic.err" "$T/err"
check "at least $MIN_PASS% of the $total tests pass under Mimic ($pass)" \
    "[ $total -gt 0 ] && [ $((pass * 100)) -ge $((total * MIN_PASS)) ]"
if [ -z "${MIMIC_BUSYBOX_APPLETS:-}" ]; then
    check "the applets of applets.txt have at least $MIN_TESTS tests ($total)" \
        "[ $total -ge $MIN_TESTS ]"
fi
# "SKIPPED: applet (not built)" means the subset names an applet the
# images' busybox lacks: applets.txt and busybox.config disagree.
grep ' (not built)$' "$T/mimic.out" >"$T/out"
check "every applet of applets.txt is in the images' busybox" "[ ! -s '$T/out' ]"

# The lists cover the suite: each applet with a test (a NAME.tests file
# or a NAME/ directory) is run or excluded, and each listed name exists.
ts=$images/busybox-tests/testsuite
{ ls "$ts" | sed -n 's/\.tests$//p'; ls -F "$ts" | sed -n 's|/$||p'; } |
    LC_ALL=C sort -u >"$T/suite"
{ entries "$L/applets.txt"; entries "$L/excluded.txt" | sed 's/:.*//'; } |
    LC_ALL=C sort >"$T/listed"
LC_ALL=C comm -3 "$T/suite" "$T/listed" >"$T/out"
uniq -d "$T/listed" >>"$T/out"
check "applets.txt and excluded.txt list each applet of the suite once" \
    "[ ! -s '$T/out' ]"
tap_end
