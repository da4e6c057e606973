#!/bin/sh
# needs: riscv64-softmmu
# The options that test harnesses and distribution scripts pass, as a user
# sees them: -object (rng-random, rng-builtin, memory-backend-ram) with
# QEMU's errors, the virtio-serial devices' errors, and the start-up
# options of docs/usage.md checked on tiny raw guests.  Prints TAP.  Run
# from the source root after a build.
B=${BUILD_DIR:-build}
EMU=${MIMIC:-$B/mimic-system-riscv64}
TAP_SHOW='out err'
. tests/tap.sh

# run NAME EXPECTED_STATUS STDOUT_PATTERN STDERR_PATTERN ARGS...
# ("" skips a pattern check): the emulator with ARGS.
run() {
    rname=$1 rwant=$2 routpat=$3 rerrpat=$4
    shift 4
    check_cmd "$rname" "$rwant" "$routpat" "$rerrpat" timeout 60 "$EMU" "$@"
}

if [ ! -x "$EMU" ]; then
    echo "1..0 # SKIP $EMU not built"
    exit 0
fi

# hello: sb 'H' to the UART THR, then write 0x5555 (pass) to the finisher.
printf '\267\002\000\020\023\003\200\004\043\200\142\000\267\002\020\000\067\123\000\000\023\003\123\125\043\240\142\000\157\000\000\000' >"$T/hello.bin"
HELLO="-M virt -bios none -nographic -kernel $T/hello.bin"

# -object
run "-object help lists the types" 0 "rng-random" "" -object help
run "-object rng-random,help lists filename" 0 "filename=<string>" "" \
    -object rng-random,help
run "-object of an unknown type" 1 "" \
    "Parameter 'qom-type' does not accept value 'foo'" -object foo,id=x
run "-object without an id" 1 "" "Parameter 'id' is missing" \
    -object rng-random
run "-object with a malformed id" 1 "" "Parameter 'id' expects an identifier" \
    -object rng-builtin,id=0x
run "-object with a duplicate id" 1 "" "Duplicate ID 'r0' for object" \
    -object rng-builtin,id=r0 -object rng-builtin,id=r0
run "-object with an unknown property" 1 "" "Invalid parameter 'bogus'" \
    -object rng-random,id=r0,bogus=1
run "rng-random on a missing file fails at start-up" 1 "" \
    "Could not open '/nonexistent/rng': No such file or directory" \
    -object rng-random,id=r0,filename=/nonexistent/rng $HELLO
run "virtio-rng-device on rng-random and rng-builtin (shared) runs" 0 "H" "" \
    -object rng-random,id=r0,filename=/dev/urandom -object rng-builtin,id=r1 \
    -device virtio-rng-device,rng=r0 -device virtio-rng-device,rng=r0 \
    -device virtio-rng-device,rng=r1 $HELLO
run "virtio-rng-device,rng= naming nothing" 1 "" "Device 'nope' not found" \
    -device virtio-rng-device,rng=nope $HELLO
run "memory-backend-ram sizes the RAM" 0 "H" "" \
    -object memory-backend-ram,id=m0,size=64M,share=off,prealloc=off \
    $HELLO -M virt,memory-backend=m0
run "memory-backend-ram and a different -m" 1 "" \
    "Machine memory size does not match the size of the memory backend" \
    -object memory-backend-ram,id=m0,size=64M -m 128M \
    $HELLO -M virt,memory-backend=m0
run "memory-backend-ram without a size" 1 "" "Parameter 'size' is missing" \
    -object memory-backend-ram,id=m0
run "memory-backend= naming nothing" 1 "" "Memory backend 'm9' not found" \
    $HELLO -M virt,memory-backend=m9

# virtio-serial
run "virtconsole without a virtio-serial device" 1 "" \
    "No 'virtio-serial-bus' bus found for device 'virtconsole'" \
    -chardev null,id=c0 -device virtconsole,chardev=c0 $HELLO
run "virtserialport nr=0 is kept for a console" 1 "" \
    "Port number 0 on virtio-serial devices reserved for virtconsole" \
    -chardev null,id=c0 -device virtio-serial-device \
    -device virtserialport,chardev=c0,nr=0 $HELLO
run "a port number past max_ports" 1 "" \
    "Out-of-range port id specified, max. allowed: 1" \
    -chardev null,id=c0 -device virtio-serial-device,max_ports=2 \
    -device virtserialport,chardev=c0,nr=2 $HELLO
run "a chardev two ports use" 1 "" \
    "Property 'virtconsole.chardev' can't take value 'c0': Device 'c0' is in use" \
    -chardev null,id=c0 -device virtio-serial-device \
    -device virtserialport,chardev=c0 -device virtconsole,chardev=c0 $HELLO
run "bus= naming no virtio-serial device" 1 "" "Bus 'v1.0' not found" \
    -chardev null,id=c0 -device virtio-serial-device,id=v0 \
    -device virtserialport,chardev=c0,bus=v1.0 $HELLO
run "virtio-serial ports on bus=, a file chardev, a mux" 0 "H" "" \
    -chardev null,id=c0 -chardev file,id=c1,path="$T/port" \
    -chardev null,id=c2,mux=on -device virtio-serial-device,id=v0 \
    -device virtconsole,chardev=c0,bus=v0.0 \
    -device virtserialport,chardev=c1,name=org.example.port,bus=v0.0 \
    -device virtserialport,chardev=c2 -mon chardev=c2 $HELLO
run "max_ports=0" 1 "" "Maximum number of serial ports not specified" \
    -device virtio-serial-device,max_ports=0 $HELLO

# The options harnesses pass: accepted spellings run, QEMU's errors.
run "-action, -boot, -rtc, -name, -msg, -no-user-config accepted" 0 "H" "" \
    -action reboot=shutdown,shutdown=poweroff,panic=none,watchdog=none \
    -boot order=c,once=d,menu=on,splash-time=100,reboot-timeout=5,strict=off \
    -rtc base=localtime,clock=rt,driftfix=slew -name g,debug-threads=on \
    -msg timestamp=off -no-user-config -nodefconfig $HELLO
run "-action with a bad value" 1 "" \
    "Parameter 'reboot' does not accept value 'bogus'" -action reboot=bogus
run "-action with an unknown key" 1 "" "Invalid parameter 'bogus'" \
    -action bogus=x
run "-boot with an unknown key" 1 "" "Parameter 'boot.bogus' is unexpected" \
    -boot bogus=1
run "-rtc with a bad date" 1 "" "invalid datetime format" -rtc base=bogus
run "-rtc with a bad clock" 1 "" "invalid option value 'bogus'" \
    -rtc clock=bogus
run "-name with an unknown key" 1 "" "Invalid parameter 'foo'" -name g,foo=1
run "-msg timestamp=maybe" 1 "" \
    "Parameter 'timestamp' expects 'on' or 'off'" -msg timestamp=maybe
run "-L help lists the folders" 0 "/tmp/fwdir" "" -L /tmp/fwdir -L help

# -d cpu_reset
run "-d cpu_reset logs each CPU's reset and state" 0 "" "CPU Reset (CPU 1)" \
    -d cpu_reset -smp 2 $HELLO
check "-d cpu_reset shows the registers" 'grep -q "^ pc " "$T/err"'

tap_end
