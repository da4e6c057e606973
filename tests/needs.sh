# What a unit test or a fuzz harness needs of the build, read from its
# "needs:" line, so that a build with a narrow --target-list builds and
# runs only what it can link (docs/devel/build.md, "Narrow builds").  A C
# file states it on its first line, "/* needs: WORD... */"; a shell test
# on its second, "# needs: WORD...".  Every word must hold:
#   none              target-neutral: links libmimic-system.a and -common.a
#   ARCH-softmmu      that target (libmimic-ARCH.a)
#   ARCH-linux-user   that target (libmimic-ARCH.a and libmimic-user.a)
#   ARCH              either mode of ARCH (libmimic-ARCH.a alone)
#   host-HOST         the build's host is HOST (x86_64, aarch64): a test
#                     that compares with that host CPU's own instructions;
#                     alone, it also means none
# The Makefile links each test with exactly those libraries, so that a
# word too few fails every build, the full one of CI included.
# Sourced (. tests/needs.sh) with ALL_TARGETS (configure's supported
# targets) and TARGET_LIST (this build's) set, space-separated, and
# HOST_ARCH (default x86_64):
#   needs_words FILE     prints FILE's words; status 1 if its line is
#                        missing or names something unknown (on stderr)
#   needs_unmet FILE     prints why FILE cannot run in this build, in
#                        words that end "not in this build's
#                        --target-list", or nothing if it can
#   needs_config B       sets both from build directory B's config.mak
# Run as `sh tests/needs.sh --met FILE...` (ALL_TARGETS and TARGET_LIST
# in the environment), it prints NAME=WORD,WORD for each FILE that this
# build can run (NAME: the file's name without its folder and suffix),
# and fails on a bad needs line: the Makefile's list of what to build;
# `--unmet FILE...` prints "NAME: not built: WHY" for the others.

needs_words() {
    case $1 in
    *.c) nw_line=$(sed -n '1s|^/\* needs: \(.*\) \*/$|\1|p' "$1") ;;
    *) nw_line=$(sed -n '2s/^# needs: //p' "$1") ;;
    esac
    if [ -z "$nw_line" ]; then
        case $1 in
        *.c) echo "$1: no '/* needs: WORD... */' first line (tests/needs.sh)" >&2 ;;
        *) echo "$1: no '# needs: WORD...' second line (tests/needs.sh)" >&2 ;;
        esac
        return 1
    fi
    for nw_w in $nw_line; do
        case $nw_w in
        host-x86_64 | host-aarch64) continue ;;
        host-*)
            echo "$1: needs '$nw_w': not a host with a backend (x86_64, aarch64)" >&2
            return 1 ;;
        esac
        if [ "$nw_w" = none ]; then
            [ "$nw_line" = none ] && continue
            echo "$1: 'none' with other needs" >&2
            return 1
        fi
        for nw_t in $ALL_TARGETS; do
            case $nw_w in "$nw_t" | "${nw_t%%-*}") continue 2 ;; esac
        done
        echo "$1: needs '$nw_w': not a target or guest of configure ($ALL_TARGETS)" >&2
        return 1
    done
    echo "$nw_line"
}

needs_unmet() {
    nu_words=$(needs_words "$1") || return 1
    for nu_w in $nu_words; do
        [ "$nu_w" = none ] && continue
        case $nu_w in
        host-*)
            [ "${nu_w#host-}" = "${HOST_ARCH:-x86_64}" ] && continue
            echo "the host is not ${nu_w#host-} (this build's is ${HOST_ARCH:-x86_64})"
            return 0 ;;
        esac
        case " $TARGET_LIST " in *" $nu_w "*) continue ;; esac
        case $nu_w in
        *-*) echo "$nu_w is not in this build's --target-list" ;;
        *)
            case " $TARGET_LIST " in
            *" $nu_w-"*) continue ;;
            esac
            echo "$nu_w (either mode) is not in this build's --target-list" ;;
        esac
        return 0
    done
}

needs_config() {
    TARGET_LIST=$(sed -n 's/^TARGET_LIST=//p' "$1/config.mak" 2>/dev/null)
    ALL_TARGETS=$(sed -n 's/^ALL_TARGETS=//p' "$1/config.mak" 2>/dev/null)
    HOST_ARCH=$(sed -n 's/^HOST_ARCH=//p' "$1/config.mak" 2>/dev/null)
    # A config.mak of an older configure: every target it had.
    [ -n "$TARGET_LIST" ] || TARGET_LIST="riscv64-softmmu riscv64-linux-user"
    [ -n "$ALL_TARGETS" ] || ALL_TARGETS=$TARGET_LIST
}

case $1 in
--met | --unmet)
    mode=$1
    shift
    for f in "$@"; do
        why=$(needs_unmet "$f") || exit 1
        n=${f##*/}
        n=${n%.*}
        if [ "$mode" = --unmet ]; then
            [ -z "$why" ] || echo "$n: not built: $why"
        elif [ -z "$why" ]; then
            echo "$n=$(needs_words "$f" | tr ' ' ',')"
        fi
    done
    ;;
esac
