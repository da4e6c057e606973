# TAP for the shell tests, sourced (. tests/tap.sh) from the source root:
# makes a scratch folder $T (removed at exit), and
#   ok NAME; not_ok NAME     one result; a failure shows the first lines
#                            of the files in $TAP_SHOW (paths in $T)
#   check NAME SHELL-EXPR    ok if the expression holds
#   check_cmd NAME STATUS OUT_PATTERN ERR_PATTERN CMD...
#                            ok if CMD exits so and prints so
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
# check_cmd NAME EXPECTED_STATUS STDOUT_PATTERN STDERR_PATTERN CMD...:
# runs CMD (stdin from /dev/null, output in $T/out and $T/err); ok if it
# exits with EXPECTED_STATUS and its outputs match the grep patterns (""
# skips a pattern).
check_cmd() {
    cname=$1 cwant=$2 coutpat=$3 cerrpat=$4
    shift 4
    "$@" </dev/null >"$T/out" 2>"$T/err"
    crc=$?
    if [ "$crc" -ne "$cwant" ]; then
        echo "#   exit status $crc, expected $cwant"
        not_ok "$cname"
    elif [ -n "$coutpat" ] && ! grep -q -- "$coutpat" "$T/out"; then
        not_ok "$cname (stdout lacks '$coutpat')"
    elif [ -n "$cerrpat" ] && ! grep -q -- "$cerrpat" "$T/err"; then
        not_ok "$cname (stderr lacks '$cerrpat')"
    else
        ok "$cname"
    fi
}
tap_end() {
    echo "1..$n"
    [ "$failed" -eq 0 ]
}
