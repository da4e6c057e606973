#!/bin/sh
# README's test command on a fresh clone (no build/ yet): `make check`,
# like `make run`, installs what is missing (install-deps.sh --if-needed),
# configures, then builds and tests, instead of stopping at "Not
# configured".  Run in a copy of the tracked files whose install-deps.sh
# only notes how it was called, with MAKE pointing at a stub that notes
# the goal of the make that follows (so nothing is installed or built; the
# real ./configure runs).  Prints TAP.  Run from the source root.
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
# (Not `make run` so: it goes on to build the images and boot them.)
(cd "$T/clone" && timeout 120 make check MAKE="sh $T/fake-make") >"$T/out" 2>&1
printf 'install-deps --if-needed\nmake --no-print-directory -j2 check\n' >"$T/want"
if ! grep -q "Not configured" "$T/out" && [ -f "$T/clone/build/config.mak" ] &&
   cmp -s "$T/want" "$T/calls"; then
    ok "make check on a fresh clone installs, configures, then builds and tests"
else
    sed 's/^/#   called: /' "$T/calls" 2>/dev/null
    not_ok "make check on a fresh clone installs, configures, then builds and tests"
fi

tap_end
