#!/bin/sh
# needs: none
# Tests scripts/decodetree.py and prints TAP: the generator's own parser
# checks (--selftest), a generated decoder compiled with its test stubs
# and run over sample encodings (tests/unit/decodetree/harness.c), and the
# error each malformed table in tests/unit/decodetree/errors/ must produce
# (named on its first line, "# error: TEXT").
#
#   sh tests/unit/test-decodetree.sh        (from the source tree root)

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
data=$srcdir/tests/unit/decodetree
gen=$srcdir/scripts/decodetree.py
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }

# The harness prints its own TAP lines; renumber them into ours.
run_harness() {
    if ! python3 "$gen" "$data/good.decode" -o "$tmp/decode-good.c.inc"; then
        not_ok "generate good.decode"
        return
    fi
    ok "generate good.decode"
    if ! $cc -std=gnu11 -Wall -Wextra -Werror -I"$tmp" "$data/harness.c" \
            -o "$tmp/harness" 2>"$tmp/cc.log"; then
        sed 's/^/# /' "$tmp/cc.log"
        not_ok "compile the generated decoder"
        return
    fi
    ok "compile the generated decoder"
    "$tmp/harness" >"$tmp/harness.out"
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok "${line#ok * - }" ;;
        "not ok "*) echo "# $line"; not_ok "${line#not ok * - }" ;;
        esac
    done <"$tmp/harness.out"
}

if python3 "$gen" --selftest >"$tmp/self.out" 2>&1; then
    ok "decodetree --selftest"
else
    sed 's/^/# /' "$tmp/self.out"
    not_ok "decodetree --selftest"
fi
run_harness
for f in "$data"/errors/*.decode; do
    want=$(sed -n '1s/^# error: //p' "$f")
    name=$(basename "$f")
    if python3 "$gen" "$f" -o "$tmp/out.c.inc" 2>"$tmp/err.out"; then
        not_ok "$name is rejected"
    elif grep -q -- "$want" "$tmp/err.out"; then
        ok "$name is rejected: $want"
    else
        sed 's/^/# /' "$tmp/err.out"
        not_ok "$name is rejected with '$want'"
    fi
done
echo "1..$n"
exit $failed
