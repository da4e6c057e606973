#!/bin/sh
# needs: riscv64-softmmu
# -fsdev, -virtfs and -device virtio-9p-device as a user types them: each
# bad option is a clear error with exit status 1 (worded as QEMU 7.2's
# where it has one), and good ones make a machine that runs (a raw guest
# that exits through the SiFive test finisher).  Prints TAP.
B=${BUILD_DIR:-build}
EMU=${MIMIC:-$B/mimic-system-riscv64}
TAP_SHOW='err'
. tests/tap.sh

if [ ! -x "$EMU" ]; then
    echo "1..0 # SKIP $EMU not built"
    exit 0
fi

# exit0: write 0x5555 (pass) to the finisher.
printf '\267\002\020\000\067\123\000\000\023\003\123\125\043\240\142\000\157\000\000\000' >"$T/exit0.bin"
mkdir "$T/share"
S=$T/share
BOOT="-M virt -bios none -nographic -monitor none -kernel $T/exit0.bin"

# run NAME EXPECTED_STATUS STDERR_PATTERN ARGS...: the raw guest with ARGS.
run() {
    rname=$1 rwant=$2 rerrpat=$3
    shift 3
    # shellcheck disable=SC2086  # BOOT is a list of options
    check_cmd "$rname" "$rwant" "" "$rerrpat" timeout 30 "$EMU" $BOOT "$@"
}

run "-virtfs mapped-xattr runs" 0 "" \
    -virtfs local,path=$S,mount_tag=host0,security_model=mapped-xattr
run "-virtfs passthrough readonly with id runs" 0 "" \
    -virtfs local,path=$S,mount_tag=host0,security_model=passthrough,readonly=on,id=x
run "-fsdev and -device run" 0 "" \
    -fsdev local,id=f0,path=$S,security_model=none,writeout=immediate \
    -device virtio-9p-device,fsdev=f0,mount_tag=t
run "fmode and dmode with mapped-xattr" 0 "" \
    -fsdev local,id=f0,path=$S,security_model=mapped-xattr,fmode=0644,dmode=0755 \
    -device virtio-9p-device,fsdev=f0,mount_tag=t
run "no security_model" 1 "security_model property not set" \
    -fsdev local,id=f0,path=$S
run "a bad security_model" 1 "invalid security_model property 'bogus'" \
    -fsdev local,id=f0,path=$S,security_model=bogus
run "mapped-file is refused" 1 "mapped-file is not supported" \
    -virtfs local,path=$S,mount_tag=t,security_model=mapped-file
run "no id" 1 "fsdev: No id specified" \
    -fsdev local,path=$S,security_model=none
run "no path" 1 "path property not set" \
    -virtfs local,mount_tag=t,security_model=none
run "no mount_tag for -virtfs" 1 "Usage: -virtfs fsdriver,mount_tag=tag" \
    -virtfs local,path=$S,security_model=none
run "another fs driver" 1 "fsdriver proxy not found" \
    -fsdev proxy,id=f0,path=$S,security_model=none
run "an unknown parameter" 1 "Invalid parameter 'foo'" \
    -virtfs local,path=$S,mount_tag=t,security_model=none,foo=1
run "readonly=maybe" 1 "Parameter 'readonly' expects 'on' or 'off'" \
    -fsdev local,id=f0,path=$S,security_model=none,readonly=maybe
run "fmode without a mapped model" 1 "fmode is only valid for mapped" \
    -fsdev local,id=f0,path=$S,security_model=passthrough,fmode=0600
run "a duplicate id" 1 "Duplicate ID 'f0' for fsdev" \
    -fsdev local,id=f0,path=$S,security_model=none \
    -fsdev local,id=f0,path=$S,security_model=none
run "a missing folder" 1 "failed to open '$S/nope'" \
    -virtfs local,path=$S/nope,mount_tag=t,security_model=none
run "a file as the folder" 1 "Not a directory" \
    -virtfs local,path=$T/exit0.bin,mount_tag=t,security_model=none
run "a device without fsdev" 1 "couldn't find fsdev with the id = NULL" \
    -device virtio-9p-device,mount_tag=t
run "a device without mount_tag" 1 "needs mount_tag arguments" \
    -fsdev local,id=f0,path=$S,security_model=none \
    -device virtio-9p-device,fsdev=f0
run "multidevs=warn is the default" 0 "" \
    -virtfs local,path=$S,mount_tag=t,security_model=none,multidevs=warn
run "multidevs=remap is refused" 1 "multidevs=remap is not supported" \
    -virtfs local,path=$S,mount_tag=t,security_model=none,multidevs=remap
run "a bad multidevs" 1 "invalid multidevs property 'bogus'" \
    -virtfs local,path=$S,mount_tag=t,security_model=none,multidevs=bogus
run "fmode=0x1ff is a number" 0 "" \
    -virtfs local,path=$S,mount_tag=t,security_model=mapped-xattr,fmode=0x1ff
run "fmode=07z is not" 1 "Parameter 'fmode' expects a number" \
    -virtfs local,path=$S,mount_tag=t,security_model=mapped-xattr,fmode=07z
run "a mount_tag of 32 bytes" 1 "is longer than maximum (31 bytes)" \
    -virtfs local,path=$S,mount_tag=01234567890123456789012345678901,security_model=none
tap_end
