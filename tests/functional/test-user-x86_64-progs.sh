#!/bin/sh
# targets: x86_64-linux-user
# Debian's own dynamically linked programs (this machine's /bin and
# /usr/bin, with its ld.so and glibc) under mimic-x86_64, against their
# native runs: each runs twice on the same input files, natively and
# under Mimic, and the standard output and exit status must be the same.
# Programs they start (bash's pipelines, find -exec) run under Mimic too
# (linux-user/syscall-exec.c).  A program that is not installed is
# skipped with the reason; scripts/install-deps.sh installs them all.
# Prints TAP.
. tests/tap.sh
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-x86_64
TAP_SHOW="out err"
LIMIT="timeout -k 5 ${USER_RUN_TIMEOUT:-120}"
# The same locale, time zone and messages in both runs.
LC_ALL=C
TZ=UTC
export LC_ALL TZ

if [ ! -x "$M" ]; then
    echo "1..0 # SKIP $M not built (configure's target list has no x86_64-linux-user)"
    exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
    echo "1..0 # SKIP the reference is the host's programs: this host is not x86-64"
    exit 0
fi

# The inputs: text of a few thousand lines, a directory tree with fixed
# times, sizes and names.
D=$T/d
mkdir -p "$D/tree/sub/deeper" "$D/tree/empty"
i=0
while [ $i -lt 3000 ]; do
    echo "line $i word$((i % 17)) $((i * 7919 % 10007)) the quick brown fox"
    i=$((i + 1))
done > "$D/text"
sed -n '1,40p' "$D/text" > "$D/tree/a.txt"
sed -e '5s/fox/dog/' -e '30d' -e '36a\
an added line' -e '40q' "$D/text" > "$D/tree/b.txt"
printf 'short\n' > "$D/tree/sub/c"
printf 'x%.0s' $(seq 1 5000) > "$D/tree/sub/deeper/long"
ln -s ../a.txt "$D/tree/sub/link"
chmod 640 "$D/tree/sub/c"
find "$D/tree" -exec touch -h -d '2021-02-03 04:05:06' {} +

# same NAME [-i FILE] PROG ARGS...: run in $D with stdin from FILE (or
# /dev/null), natively and under Mimic; same stdout and status.
same() {
    name=$1
    shift
    in=/dev/null
    if [ "$1" = -i ]; then
        in=$2
        shift 2
    fi
    prog=$1
    if [ ! -x "$prog" ]; then
        ok "$name # SKIP $prog is not installed"
        return
    fi
    (cd "$D" && $LIMIT "$M" "$@" <"$in" >"$T/mimic.out" 2>"$T/mimic.err")
    ms=$?
    (cd "$D" && $LIMIT "$@" <"$in" >"$T/native.out" 2>"$T/native.err")
    ns=$?
    if [ "$ms" = "$ns" ] && cmp -s "$T/mimic.out" "$T/native.out"; then
        ok "$name (status $ms)"
    else
        diff "$T/native.out" "$T/mimic.out" | head -n 40 >"$T/out"
        { echo "status: mimic $ms, native $ns"; head -n 20 "$T/mimic.err"; } \
            >"$T/err"
        not_ok "$name"
    fi
}

same "true" /bin/true
same "false: exit status 1" /bin/false
same "echo" /bin/echo hello "two words" -n
same "ls -la of a fixed tree" /bin/ls -laR --time-style=full-iso tree
same "ls: a missing file (status 2)" /bin/ls -l tree/missing
same "cat" /bin/cat text tree/a.txt
same "cat from stdin" -i text /bin/cat
same "sort -k3n -k1" /usr/bin/sort -k3,3n -k2,2 text
same "sort -r -u from stdin" -i text /usr/bin/sort -r -u -k2,2
same "sha256sum" /usr/bin/sha256sum text tree/a.txt tree/sub/deeper/long
same "md5sum" /usr/bin/md5sum text tree/b.txt
same "wc" /usr/bin/wc text tree/a.txt tree/sub/deeper/long
same "grep -n -E" /bin/grep -n -E 'word(3|11) [0-9]*7 ' text
same "grep -c -v -i" /bin/grep -c -v -i 'WORD1' text
same "grep: no match (status 1)" /bin/grep nothing-like-this text
same "sed substitutions and ranges" /bin/sed -n -e 's/\([0-9]*\) word\([0-9]*\)/<\2:\1>/' \
    -e '/^line 1[0-9]\{2\} /p' -e '$=' text
same "awk (mawk): fields, arrays, printf" /usr/bin/mawk \
    '{ n[$2]++; s += $3 } END { for (k in n) c++; printf "%d %d %.3f\n", c, s, s / NR }' \
    text
same "tar: create an archive on stdout" /bin/tar --sort=name --owner=0 \
    --group=0 --numeric-owner -cf - tree
cp "$T/native.out" "$D/tree.tar"
same "tar: list an archive" /bin/tar -tvf tree.tar --numeric-owner
same "gzip -9" /bin/gzip -9 -c text
cp "$T/native.out" "$D/text.gz"
same "gzip -d" /bin/gzip -d -c text.gz
# gunzip is a script: sh runs it, the kernel would run its #! line.
same "gunzip (a #! script, through sh's execve)" /bin/sh -c 'gunzip -c text.gz | tail -n 2' 
same "bash: loops, functions, subshells, pipes" /bin/bash -c '
    sq() { local i s=0; for ((i = 1; i <= $1; i++)); do s=$((s + i * i)); done; echo "sum $s"; }
    sq 300
    (cd tree && pwd | sed "s|.*/||"; exit 3); echo "subshell $?"
    arr=(one two three); echo "${#arr[@]} ${arr[1]} ${arr[*]^^}"
    x=$(printf "b\na\nc\n" | sort | tr a-z A-Z | paste -sd,); echo "[$x]"
    while read -r w n r; do echo "$n"; done < text | sort -u | wc -l
    case "$BASH_VERSION" in [0-9]*) echo versioned;; esac
    f=0; until [ $f -ge 5 ]; do f=$((f + 1)); done; echo "f=$f"
    exit 7'
same "find" /usr/bin/find tree -name '*.txt' -o -type l -printf '%p %l\n' -o \
    -type f -size +1k -print
same "diff (status 1)" /usr/bin/diff -u tree/a.txt tree/b.txt
same "python3: integers, floats, dicts, hashlib, json, re" /usr/bin/python3 -c '
import hashlib, json, math, re, zlib
from fractions import Fraction
p = [n for n in range(2, 3000) if all(n % d for d in range(2, int(n ** 0.5) + 1))]
print(len(p), sum(p), p[-5:])
print(2 ** 200 % 1000000007, math.factorial(30), Fraction(355, 113) - Fraction(22, 7))
print("%.17g %.6e %r" % (math.pi * 1e10, math.exp(-20), 0.1 + 0.2))
print(math.sqrt(2), math.sin(1.0), math.log(10), math.atan2(1, 3))
d = {w: len(w) for w in "the quick brown fox jumps over the lazy dog".split()}
print(json.dumps(d, sort_keys=True))
print(hashlib.sha256(b"mimic" * 1000).hexdigest())
print(zlib.crc32(bytes(range(256)) * 100), len(zlib.compress(b"abc" * 10000, 9)))
print(re.sub(r"(\w+)@(\w+)", r"\2 at \1", "user@host and root@box"))
print(sorted(set("mississippi")), "-".join(reversed("abc")))'
same "python3: subprocess, fork and pipes, a signal handler, threads, a process pool" \
    /usr/bin/python3 -c '
import multiprocessing, os, signal, subprocess, threading
print(subprocess.run(["sh", "-c", "echo sub; exit 5"], capture_output=True))
r, w = os.pipe(); pid = os.fork()
if pid == 0:
    os.write(w, b"child"); os._exit(3)
print(os.read(r, 10), os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
signal.signal(signal.SIGUSR1, lambda s, f: print("handler", s))
os.kill(os.getpid(), signal.SIGUSR1)
out = []
ts = [threading.Thread(target=lambda i=i: out.append(sum(range(i * 9999)))) for i in range(6)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sorted(out))
with multiprocessing.Pool(2) as p:
    print(p.map(abs, range(-5, 5)))'
same "python3: extended attributes (set, get, list, remove)" /usr/bin/python3 -c '
import os
open("xattr-file", "w").close()
try:
    os.setxattr("xattr-file", "user.mimic", b"value")
    print(os.getxattr("xattr-file", "user.mimic"), os.listxattr("xattr-file"))
    os.removexattr("xattr-file", "user.mimic")
    print(os.listxattr("xattr-file"))
    os.getxattr("xattr-file", "user.gone")
except OSError as e:
    print("OSError", e.errno)
try:
    os.getxattr("xattr-file", "user." + "n" * 300)
except OSError as e:
    print("OSError", e.errno)
os.unlink("xattr-file")'
same "readlink /proc/self/exe: the program, not Mimic" /usr/bin/readlink \
    /proc/self/exe
same "perl: hashes, regexes, sprintf, sort" /usr/bin/perl -e '
my %h; $h{$_ % 7} += $_ for 1 .. 5000;
print join(",", map { "$_=$h{$_}" } sort { $a <=> $b } keys %h), "\n";
printf "%.10f %e %d\n", atan2(1, 1) * 4, exp(-10), 2 ** 40;
my $s = "The quick brown fox"; (my $t = $s) =~ s/(\w+)/\u\L$1/g;
print "$t ", scalar reverse($s), " ", length($s), "\n";
my @w = sort { length($a) <=> length($b) or $a cmp $b } split /\s+/, $s;
print "@w\n"; print join(" ", map { sprintf "%03x", $_ * 37 } 1 .. 8), "\n";
open(my $f, "<", "text") or die; my $n = 0; while (<$f>) { $n++ if /word5 /; }
print "$n\n"; exit 4'

# The auxiliary vector glibc sees (LD_SHOW_AUXV): Linux's entries, in its
# order, but for the vDSO's and rseq's, which Mimic does not give.
# (Set for the guest only: a dynamically linked Mimic, a sanitizer build,
# would print its own.)
if [ -x /bin/true ]; then
    $LIMIT "$M" -E LD_SHOW_AUXV=1 /bin/true | cut -d: -f1 >"$T/mimic.auxv"
    LD_SHOW_AUXV=1 /bin/true | cut -d: -f1 |
        grep -v -e AT_SYSINFO_EHDR -e 'AT_??? (0x1[bc])' >"$T/native.auxv"
    diff "$T/native.auxv" "$T/mimic.auxv" >"$T/out"
    check "auxv: Linux's entries but the vDSO and rseq ones" '[ ! -s "$T/out" ]'
fi
tap_end
