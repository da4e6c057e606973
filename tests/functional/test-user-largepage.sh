#!/bin/sh
# targets: riscv64-linux-user
# User mode on a host whose pages are larger than the guest's 4 KiB (ARM64
# kernels with 16 KiB or 64 KiB pages), acted out on this host with
# MIMIC_HOST_PAGE_SIZE=65536 (linux-user/mmap.c maps and protects in those
# units): the user-mode suites again (test-user; test-user-x86_64 and
# test-user-x86_64-progs where mimic-x86_64 is built), their results
# renumbered here under the suite's name.  What such a host cannot give
# is skipped by the suites themselves (large_page_gap).  Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
export MIMIC_HOST_PAGE_SIZE=65536
TAP_SHOW=err

for s in test-user test-user-x86_64 test-user-x86_64-progs; do
    case $s in
    *x86_64*) [ -x "$B/mimic-x86_64" ] || continue ;;
    esac
    sh "tests/functional/$s.sh" >"$T/$s.tap" 2>"$T/err"
    rc=$?
    bad=0
    while IFS= read -r line; do
        case $line in
        "ok "*) ok "$s: ${line#ok * - }" ;;
        "not ok "*) not_ok "$s: ${line#not ok * - }"; bad=1 ;;
        "1..0"*) ok "$s # SKIP ${line#*[Ss][Kk][Ii][Pp] }" ;;
        "#"*) echo "$line" ;;
        esac
    done <"$T/$s.tap"
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        not_ok "$s: exited with status $rc"
    fi
done
tap_end
