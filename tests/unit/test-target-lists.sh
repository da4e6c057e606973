#!/bin/sh
# needs: none
# Every --target-list plans a build that make can carry out: for each
# target alone, every target but one, and all of them (with three
# targets, every non-empty list), ./configure in a scratch directory and
# `make -n all` there must succeed, and the plan must link each unit test
# and fuzz replay whose needs (tests/needs.sh) the list has and no other,
# build the programs of the list's targets and no other, name no library
# of a guest outside the list, and run the riscv64 cross compiler only
# when the list has a riscv64 target.  That a test links with the
# libraries of its needs is checked by every real build (docs/devel/
# build.md, "Narrow builds").  A few seconds per list.  Prints TAP.  Run
# from the source root.
TAP_SHOW='why'
. tests/tap.sh
. tests/needs.sh

# configure's full list, from a default configuration.
if ! ./configure --builddir="$T/all" >/dev/null 2>"$T/err"; then
    echo "1..0 # SKIP ./configure fails here: $(head -n 1 "$T/err")"
    exit 0
fi
needs_config "$T/all"
ALL=$ALL_TARGETS

lists=
for t in $ALL; do
    rest=
    for u in $ALL; do [ "$u" = "$t" ] || rest="$rest,$u"; done
    lists="$lists $t ${rest#,}"
done
lists=$(echo $lists $(echo $ALL | tr ' ' ',') | tr ' ' '\n' | grep . | sort -u)

# has_arch ARCH: the list has a target of ARCH.
has_arch() { case " $TARGET_LIST " in *" $1-"*) return 0 ;; esac; return 1; }

for l in $lists; do
    b=$T/b-$(echo "$l" | tr ',' '+')
    : >"$T/why"
    if ! ./configure --builddir="$b" --target-list="$l" >/dev/null 2>"$T/why"; then
        not_ok "--target-list=$l: configure"
        continue
    fi
    if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -n BUILD_DIR="$b" all \
            >"$T/plan" 2>"$T/why"; then
        not_ok "--target-list=$l: make -n all"
        continue
    fi
    needs_config "$b"
    # What the plan links or compiles (-o FILE), relative to the build.
    sed -n "s|.* -o $b/\([^ ]*\).*|\1|p" "$T/plan" | sort -u >"$T/outs"
    for f in tests/unit/test-*.c tests/fuzz/fuzz-*.c; do
        [ "$f" = tests/fuzz/fuzz-common.c ] && continue
        name=$(basename "$f" .c)
        case $name in
        fuzz-*) out=tests/fuzz/replay-${name#fuzz-} ;;
        *) out=tests/unit/$name ;;
        esac
        why=$(needs_unmet "$f" 2>&1) || { echo "$why" >>"$T/why"; continue; }
        planned=
        grep -qx "$out" "$T/outs" && planned=yes
        if [ -z "$why" ] && [ -z "$planned" ]; then
            echo "$out: not built, though the list has its needs" >>"$T/why"
        elif [ -n "$why" ] && [ -n "$planned" ]; then
            echo "$out: built, though $why" >>"$T/why"
        fi
    done
    for t in $ALL; do
        a=${t%%-*}
        case $t in
        *-softmmu) prog=mimic-system-$a ;;
        *) prog=mimic-$a ;;
        esac
        case " $TARGET_LIST " in
        *" $t "*) grep -qx "$prog" "$T/outs" || echo "$prog: not built" >>"$T/why" ;;
        *) ! grep -qx "$prog" "$T/outs" || echo "$prog: built" >>"$T/why" ;;
        esac
        if ! has_arch "$a"; then
            grep -q "libmimic-$a\.a" "$T/plan" &&
                echo "the plan names libmimic-$a.a" >>"$T/why"
        fi
    done
    if ! has_arch riscv64 && grep -q riscv64-linux-gnu-gcc "$T/plan"; then
        echo "the plan runs riscv64-linux-gnu-gcc" >>"$T/why"
    fi
    if [ -s "$T/why" ]; then
        not_ok "--target-list=$l: the plan builds what the list asks"
    else
        ok "--target-list=$l: the plan builds what the list asks"
    fi
done

tap_end
