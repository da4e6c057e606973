#!/bin/sh
# Checks that every option of a kernel config fragment ended up in a final
# .config exactly as requested.  Kconfig silently drops an option whose
# dependencies are unmet, so without this a typo or a missing dependency in
# kernel.config would only show up as a guest that lacks a driver.
# Usage: check-config.sh FRAGMENT DOTCONFIG   (exit 1 and a list if not)
set -eu
frag=$1
conf=$2
bad=0
# Requested lines: "CONFIG_X=val" and "# CONFIG_X is not set".
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$frag" |
{
    while read -r sym want; do
        got=$(sed -n -e "s/^$sym=\(.*\)\$/\1/p" -e "s/^# $sym is not set\$/n/p" "$conf")
        [ -n "$got" ] || got=n   # absent from .config: unset (dependencies unmet)
        if [ "$got" != "$want" ]; then
            echo "check-config: $sym: requested $want, got $got" >&2
            bad=1
        fi
    done
    exit $bad
} || { echo "check-config: $conf does not match $frag" >&2; exit 1; }
n=$(grep -c -e '^CONFIG_' -e '^# CONFIG_.* is not set$' "$frag")
echo "check-config: all $n options of $(basename "$frag") as requested"
