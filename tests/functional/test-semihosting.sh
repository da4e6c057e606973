#!/bin/sh
# targets: riscv64-softmmu
# RISC-V semihosting (-semihosting, -semihosting-config): one bare-metal
# guest (tests/functional/guest/semihost.c) whose command line picks what
# it calls.  Each case runs it under QEMU (the reference) and Mimic, each
# in a fresh folder of its own, and compares what a user sees: stdout,
# stderr, the exit status and the files the guest left behind.  Then the
# places where Mimic differs on purpose (docs/usage.md): bad pointers and
# unknown calls return -1, SYS_SYSTEM is refused, "a" appends, SYS_READC
# reads its chardev, and host files are confined beneath the current
# directory (or root=DIR).  Prints TAP.
B=${BUILD_DIR:-build}
EMU=$(cd "$(dirname "$B/mimic-system-riscv64")" && pwd)/mimic-system-riscv64
ELF=$(pwd)/$B/tests/functional/semihost.elf
QEMU=${QEMU:-qemu-system-riscv64}
. tests/tap.sh

# run EMU NAME [OPTIONS...]: runs the guest in $T/NAME/ (stdin from
# $T/NAME.in if it exists); leaves NAME.out, NAME.err, NAME.rc next to it.
DISPLAY_OPTS=-nographic
run() {
    r_emu=$1 r_name=$2
    shift 2
    mkdir -p "$T/$r_name"
    cp "$ELF" "$T/$r_name/semihost.elf"
    [ -f "$T/$r_name.in" ] || : > "$T/$r_name.in"
    # shellcheck disable=SC2086  # DISPLAY_OPTS is deliberately split
    (cd "$T/$r_name" && timeout 60 "$r_emu" -M virt -bios none $DISPLAY_OPTS \
        -kernel semihost.elf "$@" < "../$r_name.in" > "../$r_name.out" \
        2> "../$r_name.err"; echo $? > "../$r_name.rc")
}

# same NAME [OPTIONS...]: QEMU and Mimic give the same output, status and
# files.
same() {
    name=$1
    shift
    if [ -z "$have_qemu" ]; then
        ok "$name: same as QEMU # SKIP $QEMU not installed"
        return
    fi
    [ -f "$T/$name.in" ] && cp "$T/$name.in" "$T/q-$name.in"
    run "$QEMU" "q-$name" "$@"
    run "$EMU" "$name" "$@"
    sed -i 's/qemu-system-riscv64/mimic-system-riscv64/' "$T/q-$name.err"
    for f in out err rc; do
        if ! cmp -s "$T/q-$name.$f" "$T/$name.$f"; then
            diff "$T/q-$name.$f" "$T/$name.$f" > "$T/diff"
            TAP_SHOW=diff not_ok "$name: same $f as QEMU"
            return
        fi
    done
    if ! diff -r "$T/q-$name" "$T/$name" > "$T/diff"; then
        TAP_SHOW=diff not_ok "$name: same files as QEMU"
        return
    fi
    ok "$name: same output, exit status ($(cat "$T/$name.rc")) and files as QEMU"
}

# expect NAME DESCRIPTION TEXT: Mimic's stderr (the semihosting console)
# in run NAME is TEXT.
expect() {
    printf '%s\n' "$3" > "$T/$1.want"
    if cmp -s "$T/$1.want" "$T/$1.err"; then
        ok "$2"
    else
        diff "$T/$1.want" "$T/$1.err" > "$T/diff"
        TAP_SHOW=diff not_ok "$2"
    fi
}

have_qemu=
command -v "$QEMU" > /dev/null 2>&1 && have_qemu=1

# ---- The same as QEMU ----
same console -semihosting -append console
same files -semihosting -append files
same misc -semihosting -append misc
same misc-256M -semihosting -m 256M -append misc
same exit-3 -semihosting -append "exit 0x20026 3"
same exit-256 -semihosting -append "exit 0x20026 256"
same exit-minus1 -semihosting -append "exit 0x20026 -1"
same exit-error -semihosting -append "exit 0x20023 0"
same exit-extended -semihosting -append "exitx 0x20026 7"
same exit-extended-error -semihosting -append "exitx 0x20024 0"
same disabled -append console
same enable-off -semihosting-config enable=off -append console
same config-enables -semihosting-config target=native -append console
same user-refused -semihosting -append user
same user-allowed -semihosting-config enable=on,userspace=on -append user
same chardev-file -chardev file,id=sh,path=sh.txt \
    -semihosting-config enable=on,target=auto,chardev=sh -append console
same arg -semihosting-config enable=on,arg=prog,arg=files -append ignored
# Nothing else reads stdin here (no serial, no monitor on it).
printf 'abcdefghij' > "$T/read-tt.in"
DISPLAY_OPTS="-display none -serial null -monitor none"
same read-tt -semihosting -append readtt
DISPLAY_OPTS=-nographic
same bad-key -semihosting-config foo=bar
same bad-bool -semihosting-config enable=maybe
same bad-target -semihosting-config target=bogus
same no-chardev -semihosting-config enable=on,chardev=nope

# ---- Mimic's own choices ----
run "$EMU" deviations -semihosting -append deviations
expect deviations "bad pointers, unknown calls and SYS_SYSTEM return -1 with an errno; \"a\" appends" \
"cmdline: deviations
open app.txt a = 1
append left = 0
flen after append = 11
system = -1 errno 1
write0 bad ptr = -1 errno 14
writec bad ptr = -1 errno 14
read bad buf = 4
remove bad name = -1 errno 14
remove huge len = -1 errno 36
open huge len = -1 errno 36
unknown op 0x99 = -1 errno 38"
check "the guest's \"a\" file holds both writes" \
    '[ "$(cat "$T/deviations/app.txt")" = "$(printf "first\nmore")" ]'

# SYS_READC reads the chardev (QEMU 7.2 returns 0 for every byte).
printf 'ab' > "$T/readc.in"
mkdir -p "$T/readc"
(cd "$T/readc" && timeout 60 "$EMU" -M virt -bios none -display none \
    -serial null -monitor none -chardev stdio,id=c0 \
    -semihosting-config enable=on,chardev=c0 -kernel "$ELF" \
    -append "readc 2" < ../readc.in > ../readc.out 2> ../readc.err)
check "SYS_READC reads the chardev's bytes" \
    '[ "$(cat "$T/readc.out")" = "$(printf "cmdline: readc 2\nreadc 97\nreadc 98")" ]'

# A hart waiting in SYS_READC (no input ever comes from a null chardev)
# can still be stopped, resumed and shut down from the monitor.
printf 'stop\ninfo status\ncont\ninfo status\nquit\n' > "$T/wait.in"
(cd "$T" && timeout 60 "$EMU" -M virt -bios none -display none -serial null \
    -monitor stdio -chardev null,id=c0 -semihosting-config enable=on,chardev=c0 \
    -kernel "$ELF" -append "readc 1" < wait.in > wait.out 2>&1; echo $? > wait.rc)
TAP_SHOW=wait.out check "a hart waiting in SYS_READC stops, resumes and quits" \
    'grep -q "VM status: paused" "$T/wait.out" &&
     grep -q "VM status: running" "$T/wait.out" && [ "$(cat "$T/wait.rc")" = 0 ]'

# Host files stay beneath the current directory.
mkdir -p "$T/conf/sub"
echo secret > "$T/outside.txt"
echo inside > "$T/conf/sub/ok.txt"
ln -s ../outside.txt "$T/conf/link-out"
ln -s sub/ok.txt "$T/conf/link-in"
ln -s "$T" "$T/conf/dir-out"
run "$EMU" conf -semihosting -append "open sub/ok.txt link-in ./sub/../sub/ok.txt ../outside.txt sub/../../outside.txt $T/outside.txt link-out dir-out/outside.txt"
TAP_SHOW=conf.err check "names beneath the directory open" \
    'grep -q "^open sub/ok.txt = 1" "$T/conf.err" &&
     grep -q "^open link-in = 1" "$T/conf.err" &&
     grep -q "^open ./sub/../sub/ok.txt = 1" "$T/conf.err"'
TAP_SHOW=conf.err check "'..', absolute names and symlinks out fail with EACCES" \
    '[ "$(grep -c "= -1 errno 13" "$T/conf.err")" -eq 5 ]'
run "$EMU" conf -semihosting -append "create ../escape.txt dir-out/escape2.txt link-out sub/new.txt"
TAP_SHOW=conf.err check "files cannot be created or overwritten outside" \
    '[ ! -e "$T/escape.txt" ] && [ ! -e "$T/escape2.txt" ] &&
     [ "$(cat "$T/outside.txt")" = secret ] && [ -f "$T/conf/sub/new.txt" ] &&
     [ "$(grep -c "= -1 errno 13" "$T/conf.err")" -eq 3 ]'
run "$EMU" conf -semihosting -append "rm ../outside.txt dir-out/outside.txt .. link-out"
TAP_SHOW=conf.err check "remove: nothing outside goes, a link inside is only a link" \
    '[ -f "$T/outside.txt" ] && [ ! -L "$T/conf/link-out" ] &&
     [ "$(grep -c "= -1 errno 13" "$T/conf.err")" -eq 3 ]'
run "$EMU" conf -semihosting -append "mv sub/ok.txt ../stolen.txt"
TAP_SHOW=conf.err check "rename: no file moves out" \
    '[ ! -e "$T/stolen.txt" ] && [ -f "$T/conf/sub/ok.txt" ] &&
     grep -q "= -1 errno 13" "$T/conf.err"'

# root=DIR moves the confinement; root=/ lifts it (QEMU's behaviour).
mkdir -p "$T/elsewhere"
run "$EMU" elsewhere -semihosting-config "enable=on,root=$T/conf" \
    -append "open sub/ok.txt ../outside.txt"
TAP_SHOW=elsewhere.err check "root=DIR: names resolve beneath DIR" \
    'grep -q "^open sub/ok.txt = 1" "$T/elsewhere.err" &&
     grep -q "^open ../outside.txt = -1 errno 13" "$T/elsewhere.err"'
run "$EMU" elsewhere -semihosting-config enable=on,root=/ \
    -append "open $T/outside.txt ../outside.txt"
TAP_SHOW=elsewhere.err check "root=/: the whole host file system, as QEMU" \
    'grep -q "^open $T/outside.txt = 1" "$T/elsewhere.err" &&
     grep -q "^open ../outside.txt = 1" "$T/elsewhere.err"'

# Options QEMU has that Mimic refuses, or Mimic's own with bad values.
run "$EMU" gdb -semihosting-config target=gdb
TAP_SHOW=gdb.err check "target=gdb is refused with a clear error" \
    '[ "$(cat "$T/gdb.rc")" = 1 ] && grep -q "target=gdb is not supported" "$T/gdb.err"'
run "$EMU" badroot -semihosting-config "enable=on,root=$T/nonexistent"
TAP_SHOW=badroot.err check "a root that does not exist is refused" \
    '[ "$(cat "$T/badroot.rc")" = 1 ] && grep -q "cannot open the semihosting root" "$T/badroot.err"'
tap_end
