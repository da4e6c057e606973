#!/bin/sh
# needs: none
# Every program, Python module and /usr file that the build, the tests and
# the scripts use comes from a package that scripts/install-deps.sh
# installs (or an essential one), so that a fresh Debian 12 machine has it:
# scripts/check-deps.py, one TAP line per program.  Run from the source
# root.
if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-cache >/dev/null 2>&1; then
    echo "1..0 # SKIP not a Debian system (no dpkg)"
    exit 0
fi
exec python3 scripts/check-deps.py
