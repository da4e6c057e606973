#!/bin/sh
# needs: none
# README's test command on a fresh clone (no build/ yet): `make check`,
# like `make run`, installs what is missing (install-deps.sh --if-needed),
# configures, then builds and tests, instead of stopping at "Not
# configured".  Run in a copy of the tracked files whose install-deps.sh
# only notes how it was called, with MAKE pointing at a stub that notes
# the goal of the make that follows (so nothing is installed or built; the
# real ./configure runs).  The clone's make is started afresh, without
# the variables of a make this test may run under (make check
# BUILD_DIR=build-x86 passes BUILD_DIR in MAKEFLAGS); `make check
# BUILD_DIR=DIR` on a fresh clone configures DIR.  Prints TAP.  Run from
# the source root.
SRC=$(pwd)
. tests/tap.sh

if ! git -C "$SRC" ls-files >"$T/files" 2>/dev/null || [ ! -s "$T/files" ]; then
    echo "1..0 # SKIP not a git checkout"
    exit 0
fi
mkdir -p "$T/clone"
(cd "$SRC" && tar -cf - -T "$T/files" 2>/dev/null) | (cd "$T/clone" && tar -xf -)

printf '#!/bin/sh\necho "install-deps $*" >>"%s/calls"\n' "$T" \
    >"$T/clone/scripts/install-deps.sh"
printf '#!/bin/sh\necho "make $*" >>"%s/calls"\n' "$T" >"$T/fake-make"
# fresh_check NAME DIR MAKE-ARGS...: make check in the clone (not `make
# run`: it goes on to build the images and boot them) configures DIR.
fresh_check() {
    fname=$1 fdir=$2
    shift 2
    rm -rf "$T/clone/build" "$T/clone/$fdir" "$T/calls"
    (cd "$T/clone" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD_DIR \
        timeout 120 make check MAKE="sh $T/fake-make" "$@") >"$T/out" 2>&1
    printf 'install-deps --if-needed\nmake --no-print-directory -j2 check\n' >"$T/want"
    if ! grep -q "Not configured" "$T/out" && [ -f "$T/clone/$fdir/config.mak" ] &&
       cmp -s "$T/want" "$T/calls"; then
        ok "$fname"
    else
        sed 's/^/#   called: /' "$T/calls" 2>/dev/null
        not_ok "$fname"
    fi
}
fresh_check "make check on a fresh clone installs, configures, then builds and tests" build
fresh_check "make check BUILD_DIR=DIR on a fresh clone configures DIR" b2 BUILD_DIR=b2

tap_end
