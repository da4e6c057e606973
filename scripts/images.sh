#!/bin/sh
# Runs tests/images/build.sh (the guest images: a Linux kernel and a busybox
# initramfs) for `make run` and `make images`, and shows its progress: the
# first build on a machine compiles about a thousand kernel objects, 15 to
# 20 minutes on two cores, which build.sh itself reports only a line per
# stage.  Says at the start how long it will take and why, then, while a
# stage compiles, how many objects are built out of about how many, and
# the time left.  Prints build.sh's stdout (the image directory last).
#
#   sh scripts/images.sh                  # as tests/images/build.sh
#   sh scripts/images.sh --watch CACHE    # only the progress display
#
# The display lives here, not in tests/images/, whose every file is hashed
# into the images' cache key.  It watches build.sh's work trees
# (<cache>/parts/<stage>-<key>.work) and counts their .o files; the total
# is the count of the last build on this machine (<cache>/progress-<stage>)
# or, the first time, an estimate.  Environment: MIMIC_PROGRESS_INTERVAL,
# seconds between looks (default 5); MIMIC_PROGRESS_LINES, seconds between
# lines when stderr is not a terminal (default 30; on a terminal one line
# is redrawn); MIMIC_IMAGE_BUILD, the build script (tests).
here=$(cd "$(dirname "$0")/.." && pwd)
build=${MIMIC_IMAGE_BUILD:-$here/tests/images/build.sh}
cache=${MIMIC_IMAGE_CACHE:-${HOME:-/root}/.cache/mimic/images}
interval=${MIMIC_PROGRESS_INTERVAL:-5}
lines=${MIMIC_PROGRESS_LINES:-30}

# Objects a build of tests/images/*.config compiles (Linux 6.1 for riscv
# with its host tools; busybox), for the first build on a machine.
estimate() {
    case $1 in
    kernel) echo 1100 ;;
    busybox) echo 600 ;;
    *) echo 0 ;;
    esac
}

# The objects built so far in a stage's work tree (the kernel's are all in
# its build/ directory, O=, not in the 70k files of its source).
count_objects() {
    d=$1
    [ -d "$d/build" ] && d=$d/build
    find "$d" -name '*.o' -type f 2>/dev/null | wc -l
}

# Minutes as words: "about 7 min", "under a minute".
minutes() {
    if [ "$1" -lt 60 ]; then echo "under a minute"; else echo "about $(( ($1 + 30) / 60 )) min"; fi
}

# A stage that finished (its work tree is gone, its part is there) leaves
# its count as the total for the next build.
record_totals() {
    done_stage=""
    for last in "$cache"/progress-*.last; do
        [ -f "$last" ] || continue
        stage=$(basename "$last" .last)
        stage=${stage#progress-}
        if ! ls -d "$cache"/parts/"$stage"-*.work >/dev/null 2>&1 &&
           ls "$cache"/parts/"$stage"-*/info >/dev/null 2>&1; then
            mv "$last" "$cache/progress-$stage"
            done_stage=$stage
        fi
    done
}

# watch: every interval, a progress line for each stage that compiles.
watch() {
    tty=false
    [ -t 2 ] && tty=true
    last_line=0
    while :; do
        for work in "$cache"/parts/*.work; do
            [ -d "$work" ] || continue
            base=$(basename "$work" .work)
            stage=${base%%-*}
            n=$(count_objects "$work")
            total=$(cat "$cache/progress-$stage" 2>/dev/null || estimate "$stage")
            [ "$n" -gt 0 ] && [ "$total" -gt 0 ] || continue
            eval "seen=\${seen_$stage:-}"
            if [ -z "$seen" ]; then
                eval "seen_$stage=$(date +%s); first_$stage=$n"
                eval "seen=\${seen_$stage}"
            fi
            eval "first=\${first_$stage}; max=\${max_$stage:-0}"
            [ "$n" -gt "$max" ] && eval "max_$stage=$n"
            echo "$n" >"$cache/progress-$stage.last" 2>/dev/null
            [ "$n" -le "$total" ] || total=$n
            pct=$((n * 100 / total))
            now=$(date +%s)
            left=""
            if [ $((n - first)) -ge 20 ] && [ "$now" -gt "$seen" ]; then
                secs=$(( (total - n) * (now - seen) / (n - first) ))
                left=", $(minutes "$secs") left"
            fi
            line="images: $stage: $n of about $total objects built ($pct%)$left"
            if $tty; then
                printf '\r%s   ' "$line" >&2
            elif [ $((now - last_line)) -ge "$lines" ]; then
                echo "$line" >&2
                last_line=$now
            fi
        done
        record_totals
        $tty && [ -n "$done_stage" ] && printf '\n' >&2
        sleep "$interval"
    done
}

if [ "${1:-}" = --watch ]; then
    cache=$2
    watch
    exit 0
fi

dir=$(sh "$build" --dir) || exit 1
if [ -f "$dir/manifest" ]; then
    exec sh "$build"
fi
jobs=${MIMIC_IMAGE_JOBS:-2}
# About 30 CPU-minutes: the kernel's make, busybox's, unpacking the source.
echo "images: the guest images are not built yet on this machine: building a" \
     "Linux 6.1 kernel and busybox from Debian's sources (make -j$jobs), once;" \
     "$(minutes $((30 * 60 / jobs))) on an idle machine, more on a busy one." \
     "Then they are cached in $dir." >&2
mkdir -p "$cache"
sh "$0" --watch "$cache" &
watcher=$!
trap 'kill $watcher 2>/dev/null' EXIT INT TERM
sh "$build"
rc=$?
kill $watcher 2>/dev/null
wait $watcher 2>/dev/null
record_totals
exit $rc
