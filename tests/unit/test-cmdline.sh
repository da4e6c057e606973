#!/bin/sh
# needs: riscv64-softmmu
# Command-line and start-up behaviour of mimic-system-riscv64 that a user
# sees: help and list options, errors with exit status 1, and tiny raw
# guests (hand-encoded below) that print through the UART, exit through the
# SiFive test finisher with a chosen status, or spin until Ctrl-A X or a
# signal.  Prints TAP.  Run from the source root after a build.
B=${BUILD_DIR:-build}
EMU=${MIMIC:-$B/mimic-system-riscv64}
TAP_SHOW='out err'
. tests/tap.sh

# run NAME EXPECTED_STATUS STDOUT_PATTERN STDERR_PATTERN ARGS...
# ("" skips a pattern check): the emulator with ARGS.
run() {
    rname=$1 rwant=$2 routpat=$3 rerrpat=$4
    shift 4
    check_cmd "$rname" "$rwant" "$routpat" "$rerrpat" timeout 30 "$EMU" "$@"
}

if [ ! -x "$EMU" ]; then
    echo "1..0 # SKIP $EMU not built"
    exit 0
fi

# Raw RV64 images, loaded at 0x80000000 with -bios none.
# hello: sb 'H' to the UART THR, then write 0x5555 to the finisher.
printf '\267\002\000\020\023\003\200\004\043\200\142\000\267\002\020\000\067\123\000\000\023\003\123\125\043\240\142\000\157\000\000\000' >"$T/hello.bin"
# exit42: write 0x2a3333 (fail with status 42) to the finisher.
printf '\267\002\020\000\067\063\052\000\023\003\063\063\043\240\142\000\157\000\000\000' >"$T/exit42.bin"
# reset: write 0x7777 to the finisher.
printf '\267\002\020\000\067\163\000\000\023\003\163\167\043\240\142\000\157\000\000\000' >"$T/reset.bin"
# echo: copy UART input to output until a 'q', then power off.
printf '\267\002\000\020\003\303\122\000\023\163\023\000\343\014\003\376\203\303\002\000\043\200\162\000\023\016\020\007\343\224\303\377\267\002\020\000\067\123\000\000\023\003\123\125\043\240\142\000\157\000\000\000' >"$T/echo.bin"
# spin: j .
printf '\157\000\000\000' >"$T/spin.bin"
BOOT="-M virt -bios none -nographic -kernel"

run "-h prints usage" 0 "-kernel" "" -h
run "--help prints usage" 0 "-nographic" "" --help
run "-version" 0 "version" "" -version
run "-M help lists virt" 0 "virt" "" -M help
run "-machine help" 0 "virt" "" -machine help
run "-d help lists items" 0 "guest_errors" "" -d help
run "-accel help" 0 "tcg" "" -accel help
run "unknown option" 1 "" "mimic-system-riscv64: -foo: invalid option" -foo
run "missing argument" 1 "" "-m: requires an argument" -m
run "unknown machine" 1 "" "unsupported machine type 'nosuch'" -M nosuch
run "unknown machine property" 1 "" "unknown machine property 'foo'" -M virt,foo=1
run "machine accel=kvm" 1 "" "accelerator 'kvm' is not available" -M virt,accel=kvm
run "-accel kvm" 1 "" "accelerator 'kvm' is not available" -accel kvm
run "unknown -d item" 1 "" "unknown log item 'bogus'" -d in_asm,bogus
run "-m garbage" 1 "" "-m lots: invalid RAM size" -m lots
# Sizes as QEMU reads them: fractions with a suffix; what QEMU refuses
# (a fraction without a unit, ".5G", exponents, signs, garbage) is an
# error.
for m in 1.5 .5G 1e3 -1 512x 2G,x=1 " 512" 0x100; do
    run "-m '$m' is refused" 1 "" "-m $m: " -m "$m"
done
run "-smp 2b is refused" 1 "" "-smp 2b: cpus=2b is not a whole number" -smp 2b
run "-smp -1 is refused" 1 "" "-smp -1: cpus=-1 is not a whole number" -smp -1
run "-smp 3,cores=2: topology does not add up" 1 "" "sockets (1) \* cores (2) \* threads (1) is not maxcpus (3)" -smp 3,cores=2
run "-smp cpus=2,maxcpus=1" 1 "" "cpus (2) is more than maxcpus (1)" -smp cpus=2,maxcpus=1
run "-d with an empty item" 1 "" "-d in_asm,,int: empty log item" -d in_asm,,int
run "-d ''" 1 "" "-d : empty log item" -d ""
run "-M virt,dumpdtb= without a file" 1 "" "dumpdtb= needs a file name" -M virt,dumpdtb=
# dtb_value NAME ARGS...: the guest's RAM size and hart count, from the
# device tree the emulator would give it.
dtb_value() {
    name=$1
    shift
    rm -f "$T/dump.dtb"
    if timeout 30 "$EMU" -M "virt,dumpdtb=$T/dump.dtb" -bios none "$@" \
           </dev/null >"$T/out" 2>"$T/err" && [ -f "$T/dump.dtb" ]; then
        echo "$(fdtget -t x "$T/dump.dtb" /memory@80000000 reg) $(fdtget -l "$T/dump.dtb" /cpus | grep -c '^cpu@')"
    else
        echo "failed: $(head -c 200 "$T/err")"
    fi
}
expect_dtb() {
    name=$1 want=$2
    shift 2
    got=$(dtb_value "$name" "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else echo "#   got '$got', want '$want'"; not_ok "$name"; fi
}
if command -v fdtget >/dev/null 2>&1; then
    expect_dtb "-m 3.5G gives 3.5 GiB" "0 80000000 0 e0000000 1" -m 3.5G
    expect_dtb "-m size=1.25G" "0 80000000 0 50000000 1" -m size=1.25G
    expect_dtb "-m 0 is the default, as QEMU" "0 80000000 0 8000000 1" -m 0
    expect_dtb "-m 4097K is rounded up to 8 KiB, as QEMU" "0 80000000 0 402000 1" -m 4097K
    expect_dtb "-smp 4,sockets=1,cores=2: 4 harts" "0 80000000 0 8000000 4" -smp 4,sockets=1,cores=2
    expect_dtb "-smp sockets=2,cores=2: 4 harts" "0 80000000 0 8000000 4" -smp sockets=2,cores=2
    expect_dtb "-smp 2,maxcpus=4: 2 harts" "0 80000000 0 8000000 2" -smp 2,maxcpus=4
fi
run "-m huge" 1 "" "too large" -m 100000G
run "-display vnc" 1 "" "'vnc' is not available" -display vnc
run "bad -serial" 1 "" "not a valid serial backend" -serial bogus:1234 $BOOT "$T/spin.bin"
run "bad -serial tcp address" 1 "" "expected tcp:\[HOST\]:PORT" -serial tcp:1234 $BOOT "$T/spin.bin"
run "bad -chardev backend" 1 "" "not a valid chardev backend" -chardev spice,id=x $BOOT "$T/spin.bin"
run "-chardev socket without port or path" 1 "" "socket needs port=PORT" -chardev socket,id=x $BOOT "$T/spin.bin"
# A TCP port out of range or not a number, for every option that takes one.
run "-qmp tcp::99999" 1 "" "-qmp tcp::99999,server,wait=off: .*port '99999' is not a number from 0 to 65535" -qmp tcp::99999,server,wait=off $BOOT "$T/spin.bin"
run "-gdb tcp::65536" 1 "" "-gdb tcp::65536: .*port '65536' is not a number" -gdb tcp::65536 $BOOT "$T/spin.bin"
run "-gdb tcp::ssh" 1 "" "-gdb tcp::ssh: .*port 'ssh' is not a number" -gdb tcp::ssh $BOOT "$T/spin.bin"
run "-monitor tcp::12ab" 1 "" "-monitor tcp::12ab,server,wait=off: .*port '12ab' is not a number" -monitor tcp::12ab,server,wait=off $BOOT "$T/spin.bin"
run "-serial tcp::-1" 1 "" "-serial tcp::-1,server,wait=off: .*port '-1' is not a number" -serial tcp::-1,server,wait=off $BOOT "$T/spin.bin"
run "-chardev socket,port=123456" 1 "" "-chardev socket,id=s,port=123456,server=on,wait=off: .*port '123456' is not a number" -chardev socket,id=s,port=123456,server=on,wait=off $BOOT "$T/spin.bin"
run "-chardev socket,port=" 1 "" "port '' is not a number" -chardev socket,id=s,port=,server=on,wait=off $BOOT "$T/spin.bin"
run "-chardev without id" 1 "" "id=" -chardev null $BOOT "$T/spin.bin"
run "-serial chardev:missing" 1 "" "chardev 'nope' not found" -serial chardev:nope $BOOT "$T/spin.bin"
export MIMIC_DEFAULT_BIOS="$T/nofirmware"
run "missing default firmware" 1 "" "install the Debian package 'opensbi'" -M virt -nographic -kernel "$T/spin.bin"
unset MIMIC_DEFAULT_BIOS
run "missing -bios file" 1 "" "-bios $T/nofile: No such file or directory" -M virt -nographic -bios "$T/nofile" -kernel "$T/spin.bin"
run "missing kernel" 1 "" "no-such.elf: No such file" $BOOT "$T/no-such.elf"
run "-D to an unwritable place" 1 "" "cannot open the log file" -D /nonexistent/dir/log $BOOT "$T/spin.bin"
run "-smp 65" 1 "" "at most 64 CPUs" -smp 65 $BOOT "$T/spin.bin"
run "-smp 2 boots" 0 "^H" "" -smp 2 $BOOT "$T/hello.bin"

run "raw kernel prints and powers off" 0 "^H" "" $BOOT "$T/hello.bin"
run "-machine virt,accel=tcg and -accel tcg" 0 "^H" "" -machine virt,accel=tcg -accel tcg -display none -bios none -nographic -kernel "$T/hello.bin"
run "-accel tcg,tso=off (a RISC-V guest: no change)" 0 "^H" "" -machine virt,accel=tcg -accel tcg,tso=off -display none -bios none -nographic -kernel "$T/hello.bin"
run "finisher exit status 42" 42 "" "" $BOOT "$T/exit42.bin"
run "-no-reboot with reset" 0 "" "" -no-reboot $BOOT "$T/reset.bin"
run "-serial file:" 0 "" "" -M virt -bios none -display none -serial "file:$T/uart.txt" -kernel "$T/hello.bin"
if [ "$(cat "$T/uart.txt" 2>/dev/null)" = H ]; then ok "file backend got the output"; else not_ok "file backend got the output"; fi
run "-chardev file + -serial chardev:" 0 "" "" -chardev "file,id=c0,path=$T/uart2.txt" -serial chardev:c0 -M virt -bios none -kernel "$T/hello.bin"
if [ "$(cat "$T/uart2.txt" 2>/dev/null)" = H ]; then ok "chardev file got the output"; else not_ok "chardev file got the output"; fi
run "-serial null" 0 "" "" -serial null -M virt -bios none -kernel "$T/hello.bin"
run "-D file" 0 "" "" -d in_asm -D "$T/log.txt" $BOOT "$T/hello.bin"
if grep -q "0x0000000080000000" "$T/log.txt" 2>/dev/null; then ok "-D got the log"; else not_ok "-D got the log"; fi
run "-m 256M" 0 "^H" "" -m 256M $BOOT "$T/hello.bin"
run "-m 1G -smp 1 -cpu rv64" 0 "^H" "" -m 1G -smp 1 -cpu rv64 $BOOT "$T/hello.bin"

# Input from a pipe reaches the guest intact, beyond the UART's buffering.
i=0; : >"$T/in.txt"
while [ $i -lt 200 ]; do echo "line $i of the input" >>"$T/in.txt"; i=$((i + 1)); done
printf 'q' >>"$T/in.txt"
timeout 30 "$EMU" $BOOT "$T/echo.bin" <"$T/in.txt" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$T/in.txt" "$T/out"; then ok "piped input echoed intact"; else echo "#   exit $rc"; not_ok "piped input echoed intact"; fi
# Ctrl-A Ctrl-A sends one Ctrl-A; Ctrl-A H is not passed on.
printf 'a\001\001b\001hq' | timeout 30 "$EMU" $BOOT "$T/echo.bin" >"$T/out" 2>"$T/err"
printf 'a\001bq' >"$T/want"
# (the help is printed at once, before the guest echoes what it got)
if [ "$(tail -c 4 "$T/out" | od -An -c)" = "$(od -An -c <"$T/want")" ] && grep -q "C-a x" "$T/out"; then
    ok "Ctrl-A Ctrl-A sends one Ctrl-A"
else
    not_ok "Ctrl-A Ctrl-A sends one Ctrl-A"
fi

# Ctrl-A X on stdin (a pipe: no terminal) quits with status 0.
(sleep 1; printf '\001x') | timeout 30 "$EMU" $BOOT "$T/spin.bin" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q Terminated "$T/out"; then ok "Ctrl-A X quits"; else echo "#   exit $rc"; not_ok "Ctrl-A X quits"; fi
# Ctrl-A H prints the keys; the guest keeps running until SIGTERM.
(sleep 1; printf '\001h') | timeout --preserve-status -s TERM 3 "$EMU" $BOOT "$T/spin.bin" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "C-a x" "$T/out" && grep -q "terminating on signal 15" "$T/err"; then
    ok "Ctrl-A H prints help; SIGTERM exits 0"
else
    echo "#   exit $rc"; not_ok "Ctrl-A H prints help; SIGTERM exits 0"
fi
# stdin at EOF at once: the guest keeps running (until the timeout).
timeout --preserve-status -s INT 2 "$EMU" $BOOT "$T/spin.bin" </dev/null >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "terminating on signal 2" "$T/err"; then ok "EOF on stdin keeps running; SIGINT exits 0"; else echo "#   exit $rc"; not_ok "EOF on stdin keeps running; SIGINT exits 0"; fi

# The options cannot drift apart: the parser's table (system/main.c), -help
# and docs/usage.md's table name the same options, and the parser takes
# each documented one.  -cpu help and -help list what -cpu and -chardev
# accept (as their errors list it).
python3 - "$EMU" "$T/arg" <<'EOS' >"$T/opts.tap" 2>&1
import re, subprocess, sys
emu, arg = sys.argv[1], sys.argv[2]
src = open("system/main.c").read()
table = src[src.index("option_table[] = {"):]
table = table[:table.index("\n};")]
parser = set()
for m in re.finditer(r'\{ "([^"]+)", (?:"([^"]+)"|NULL),', table):
    parser.update(x for x in m.groups() if x)
helptext = subprocess.run([emu, "-help"], capture_output=True, text=True).stdout
shown = set()
for line in helptext.split("\n"):
    m = re.match(r"-([A-Za-z][A-Za-z-]*)(?:, -([A-Za-z][A-Za-z-]*))?", line)
    if m:
        shown.update(x for x in m.groups() if x)
doc = open("docs/usage.md").read()
doc = doc[doc.index("## Options"):doc.index("## The terminal")]
documented = set()
for line in doc.split("\n"):
    if line.startswith("| `-"):
        documented.update(re.findall(r"`-([A-Za-z][A-Za-z-]*)", line.split(" | ")[0]))
def diff(a, b):
    return " ".join("-" + x for x in sorted(a - b)) or "none"
print("# parser but not -help: %s; -help but not parser: %s" % (diff(parser, shown), diff(shown, parser)))
print("# parser but not usage.md: %s; usage.md but not parser: %s" % (diff(parser, documented), diff(documented, parser)))
print("%s - -help lists the parser's options, no more" % ("ok" if parser == shown and parser else "not ok"))
print("%s - usage.md lists the parser's options, no more" % ("ok" if parser == documented else "not ok"))
bad = []
for name in sorted(documented - {"perfmap", "h", "help", "version"}):
    r = subprocess.run([emu, "-M", "nosuch", "-" + name, arg], capture_output=True, text=True)
    if "invalid option" in r.stderr:
        bad.append(name)
print("%s - the parser takes every documented option%s" % ("not ok" if bad else "ok", bad and ": " + " ".join(bad) or ""))
cpuhelp = subprocess.run([emu, "-cpu", "help"], capture_output=True, text=True).stdout
err = subprocess.run([emu, "-cpu", "rv64,zz=on", "-bios", "none"], capture_output=True, text=True).stderr
# Every model and property -cpu help names is in usage.md's -cpu text.
cpudoc = doc[doc.index("| `-cpu "):]
cpudoc = cpudoc[:cpudoc.index("\n")]
words = set(re.findall(r"^  ([a-z0-9-]+) {2,}", cpuhelp, re.M))
props = cpuhelp[cpuhelp.index("Properties"):]
stop = {"Properties", "of", "and", "any", "PROP", "VALUE", "on", "off", "also",
        "as", "yes", "no", "true", "false", "extensions", "N", "every", "model",
        "takes", "these", "with", "not", "implemented", "only", "accepted",
        "effect", "V", "rv64", "cpu", "v1"}
words |= set(re.findall(r"[A-Za-z][A-Za-z0-9_-]*", props)) - stop
missing = sorted(w for w in words if not re.search(r"\b%s\b" % re.escape(w), cpudoc))
print("# -cpu help names: %s; not in usage.md: %s" % (" ".join(sorted(words)), " ".join(missing) or "none"))
print("%s - usage.md documents every -cpu model and property -cpu help lists" % ("ok" if words and not missing else "not ok"))
print("%s - an unknown -cpu property is refused as QEMU words it" % ("ok" if "Property 'rv64-riscv-cpu.zz' not found" in err else "not ok"))
err = subprocess.run([emu, "-chardev", "bogus,id=x", "-bios", "none"], capture_output=True, text=True).stderr
backends = re.search(r"valid chardev backend \(([a-z, ]+)\)", err)
chelp = helptext[helptext.index("-chardev"):helptext.index("-monitor")]
missing = [b for b in (backends.group(1).split(", ") if backends else ["?"]) if not re.search(r"\b%s\b" % b, chelp)]
print("%s - -help lists every -chardev backend%s" % ("not ok" if missing else "ok", missing and ": missing " + " ".join(missing) or ""))
EOS
while IFS= read -r line; do
    case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) not_ok "${line#not ok - }" ;;
    *) echo "$line" ;;
    esac
done <"$T/opts.tap"

# SIGTERM ends the process at every point of start-up, also before the
# main loop runs: here while a socket server with wait=on waits for its
# first client.
"$EMU" -chardev "socket,id=c,path=$T/wait.sock,server=on,wait=on" \
    -serial chardev:c $BOOT "$T/spin.bin" </dev/null >"$T/out" 2>"$T/err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q "waiting for connection" "$T/err"; do
    sleep 0.1; i=$((i + 1))
done
kill -TERM $pid
i=0
while [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    wait $pid
    echo "#   still running 60 s after SIGTERM"
    not_ok "SIGTERM while start-up waits for a client ends it"
else
    wait $pid
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "terminating on signal 15" "$T/err"; then
        ok "SIGTERM while start-up waits for a client ends it"
    else
        echo "#   exit status $rc"
        not_ok "SIGTERM while start-up waits for a client ends it"
    fi
fi

tap_end
