# TAP for the shell tests, sourced (. tests/tap.sh) from the source root:
# makes a scratch folder $T (removed at exit), and
#   ok NAME; not_ok NAME     one result; a failure shows the first lines
#                            of the files in $TAP_SHOW (paths in $T)
#   check NAME SHELL-EXPR    ok if the expression holds
#   tap_end                  the plan line; exit status 1 if any failed
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
TAP_SHOW=${TAP_SHOW:-out}

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n + 1)); failed=$((failed + 1))
    echo "not ok $n - $1"
    for f in $TAP_SHOW; do
        [ -f "$T/$f" ] && sed 's/^/#   /' "$T/$f" | head -n 20
    done
    return 0
}
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
tap_end() {
    echo "1..$n"
    [ "$failed" -eq 0 ]
}
