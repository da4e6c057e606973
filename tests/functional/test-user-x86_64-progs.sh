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

# coreutils with floats and times: date in fixed zones (a POSIX TZ rule,
# no tzdata needed) and many formats, seq with floats and -w (long double
# arithmetic: x87), printf with floats and long doubles, /usr/bin/printf
# and bash's builtin (both format through glibc's long double code).
same "date: a fixed date in many formats" /bin/date \
    -d '2021-02-03 04:05:06.123456789 +0530' \
    '+%c|%s|%N|%3N|%j|%U|%V|%G|%z|%:z|%Z|%A %B|%x %X|%D %T|%F %R|%y %C|%e %k %l %p|%u %w'
same "date: a POSIX TZ rule across DST, -R and --iso-8601" /bin/sh -c '
    for t in @1615705199 @1615705200 @1636264799 @1636264800 "2024-02-29 12:00"; do
        TZ=EST5EDT,M3.2.0,M11.1.0 date -d "$t" -R
        TZ=EST5EDT,M3.2.0,M11.1.0 date -d "$t" --iso-8601=seconds
    done
    date -u -d "1969-12-31 23:59:59" +%s; date -u -d "2038-01-19 03:14:08" +%s
    date -u -d "@-86400" "+%Y-%m-%d %a"; date -u -d "2021-02-03 +3 months -2 days" +%F'
same "seq: floats, -w, -f, -s" /bin/sh -c '
    seq -w 0.5 0.25 3; seq -f "%.3e" 1 0.1 2; seq 0.1 0.1 1.0
    seq -s, 1e3 7 1100; seq -w -5 3 10; seq 1 0.000001 1.000005; seq -f "%a" 0 0.1 0.5'
same "printf: floats and long doubles, /usr/bin/printf" /usr/bin/printf \
    '%g %e %.17g %a|%La %Lg %.30Lf %.25Le|%.0f %.0f %5.2f %-8.3g|%g %g\n' \
    0.1 1e-300 3.14159265358979 0.1 0.1 1e-4000 2.5 1.1 0.5 1.5 -0.005 123456 \
    inf -nan
same "printf: bash's builtin, long doubles" /bin/bash -c '
    printf "%g %e %.17g %a %La %.30Lf %.25Le %Lg\n" 0.1 1e-300 3.14159265358979 \
        0.1 0.1 2.5 1.1 1e4930
    for x in 1 2 3 7 10 1e-5 123.456 -0.0; do printf "%.20g %a %.3e\n" "$x" "$x" "$x"; done'

# xz and zstd round trips: LZMA2 at its heaviest preset, the container
# listing, multi-threaded compression (threads under Mimic).
same "xz -9e -T1" /usr/bin/xz -9e -T1 -c text
cp "$T/native.out" "$D/text.xz"
same "xz -d" /usr/bin/xz -d -c text.xz
same "xz -l -vv" /usr/bin/xz -l -vv text.xz
same "xz -T2 -6 (two threads, blocks)" /usr/bin/xz -T2 -6 --block-size=40000 -c text
same "zstd -19" /usr/bin/zstd -q -19 -c text
cp "$T/native.out" "$D/text.zst"
same "zstd -d" /usr/bin/zstd -q -d -c text.zst
same "zstd -T2 --long, -l" /bin/sh -c 'zstd -q -T2 --long -c text | wc -c; zstd -lv text.zst'

# sqlite3 on a file database in WAL mode (fcntl locks, a shared mmap of
# the -shm file): a few thousand rows in a transaction from a recursive
# CTE, an index, joins, float aggregates, printf(); every output ordered.
cat >"$D/q.sql" <<'EOF'
PRAGMA journal_mode=WAL;
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, price REAL);
CREATE TABLE grp(id INTEGER PRIMARY KEY, label TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO item SELECT i, printf('item-%05d', i), i % 13,
    (i * 7919 % 1000) / 7.0 + 0.01 FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO grp SELECT i, 'group ' || char(65 + i) FROM n;
COMMIT;
CREATE INDEX item_grp ON item(grp, price);
SELECT g.label, count(*), printf('%.6f', sum(i.price)), printf('%.10g', avg(i.price)),
    min(i.name), max(i.price)
    FROM item i JOIN grp g ON g.id = i.grp GROUP BY g.id ORDER BY g.id;
SELECT printf('%e %.3f %g %20.15f %!.20g', sum(price * price), total(sqrt(id)),
    1.0 / 3, exp(1), 0.1) FROM item;
SELECT name, price FROM item WHERE grp = 5 AND price > 140 ORDER BY price DESC, id LIMIT 5;
SELECT grp, group_concat(id, ',') FROM
    (SELECT grp, id FROM item WHERE id % 997 = 0 ORDER BY id) GROUP BY grp ORDER BY grp;
UPDATE item SET price = round(price * 1.1, 2)
    WHERE grp IN (SELECT id FROM grp WHERE label LIKE '%C');
DELETE FROM item WHERE id % 3 = 0;
SELECT count(*), printf('%.4f', sum(price)), hex(zeroblob(3)), 1e308 * 10, -1e308 * 10,
    CAST(9.9e18 AS INTEGER), 7 / 2, 7 % -3, 7.0 / 2 FROM item;
PRAGMA integrity_check;
EOF
same "sqlite3: WAL file, transaction, CTE, index, joins, aggregates" /bin/sh -c '
    rm -f t.db t.db-wal t.db-shm
    sqlite3 -batch t.db <q.sql && sqlite3 t.db "SELECT count(*), sum(grp) FROM item"'

# gcc: the driver runs cc1, as and collect2/ld, each exec'd under Mimic.
# The assembly must be the host's byte for byte; the binary linked under
# Mimic must be the host's, and run natively it must print the same.
cat >"$D/prog.c" <<'EOF'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; long key; double val; };

static int cmp(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long v[1000];
    struct node *head = NULL;
    double s = 0;
    unsigned h = 2166136261u;

    for (int i = 0; i < 1000; i++)
        v[i] = (i * 7919L) % 1009 - 500;
    qsort(v, 1000, sizeof(v[0]), cmp);
    for (int i = 0; i < 1000; i += 111)
        printf("%ld ", v[i]);
    for (int i = 0; i < 50; i++) {
        struct node *n = malloc(sizeof(*n));
        n->key = i * i;
        n->val = sqrt(i) * sin(i);
        n->next = head;
        head = n;
    }
    for (struct node *n = head; n; n = n->next)
        s += n->val / (1 + n->key);
    for (const char *p = "the quick brown fox"; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    printf("\n%.15g %08x %d\n", s, h, argc);
    return argc + 2;
}
EOF
same "gcc -O2 -S: the host's assembly" /usr/bin/gcc -O2 -S -o - prog.c
if [ -x /usr/bin/gcc ]; then
    (cd "$D" && $LIMIT "$M" /usr/bin/gcc -O2 -Wall -o prog-mimic prog.c -lm) \
        >"$T/out" 2>&1
    (cd "$D" && /usr/bin/gcc -O2 -Wall -o prog-native prog.c -lm) >>"$T/out" 2>&1
    check "gcc: cc1, as and ld under Mimic link the host's binary" \
        'cmp "$D/prog-mimic" "$D/prog-native" >>"$T/out" 2>&1'
    (cd "$D" && ./prog-mimic a b >"$T/prog.m"; echo "status $?" >>"$T/prog.m")
    (cd "$D" && ./prog-native a b >"$T/prog.n"; echo "status $?" >>"$T/prog.n")
    diff "$T/prog.n" "$T/prog.m" >"$T/out"
    check "gcc: the binary linked under Mimic runs natively as the host's" \
        '[ ! -s "$T/out" ] && grep -q "status 5" "$T/prog.m"'
else
    ok "gcc: link # SKIP /usr/bin/gcc is not installed"
    ok "gcc: run # SKIP /usr/bin/gcc is not installed"
fi

# git: a repository in a fresh HOME with fixed names and dates, so that
# every hash is fixed: commits on two branches, diff, a merge, log --stat,
# gc (pack-objects, threads), fsck.
head -n 100 "$D/text" >"$D/a.txt"
cat >"$D/git.sh" <<'EOF'
set -e
rm -rf repo home
mkdir home
export HOME=$PWD/home GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_DATE='2021-02-03T04:05:06 +0000' GIT_COMMITTER_DATE='2021-02-03T04:05:06 +0000'
git config --global user.name 'Mimic Test'
git config --global user.email 'mimic@example.org'
git config --global init.defaultBranch main
git init -q repo
cd repo
cp ../a.txt a.txt
printf 'one\ntwo\n' >b.txt
git add a.txt b.txt
git commit -q -m 'first: two files'
git checkout -q -b side
sed -i '5s/fox/dog/' a.txt
echo three >>b.txt
git commit -q -a -m 'side: a dog and a third line'
git checkout -q main
sed -i '50d' a.txt
mkdir sub
echo new >sub/c.txt
git add sub
git commit -q -a -m 'main: a line less, a new file'
git diff side main --stat
git diff HEAD~1 -- a.txt
git merge -q --no-edit side
git log --stat --format='%H %an <%ae> %ad%n%s' --date=iso
git cat-file -p HEAD
git ls-tree -r HEAD
git gc -q
git count-objects -v | grep -v size
git fsck --strict
git status --porcelain=v2 --branch
git show HEAD~1:b.txt
EOF
same "git: init, commit, branch, diff, merge, log --stat, gc, fsck" /bin/sh git.sh

same "python3: threads with a Lock, Queues, a Condition, a Barrier, a pool; a piped child" \
    /usr/bin/python3 -c '
import concurrent.futures, queue, subprocess, sys, threading
lock = threading.Lock(); total = [0]
q = queue.Queue(maxsize=8); results = queue.Queue()
def producer(base):
    for i in range(500):
        q.put(base + i)
def consumer():
    while True:
        x = q.get()
        if x is None:
            q.task_done(); return
        with lock:
            total[0] += x * x
        results.put(x % 7)
        q.task_done()
cs = [threading.Thread(target=consumer) for _ in range(4)]
ps = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(3)]
for t in cs + ps: t.start()
for t in ps: t.join()
for _ in cs: q.put(None)
q.join()
for t in cs: t.join()
counts = [0] * 7
while not results.empty(): counts[results.get()] += 1
print(total[0], counts)
cv = threading.Condition(); turn = [0]; out = []
def worker(k):
    for r in range(20):
        with cv:
            cv.wait_for(lambda: turn[0] % 3 == k)
            out.append(k); turn[0] += 1; cv.notify_all()
ws = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
for w in ws: w.start()
for w in ws: w.join()
print("".join(map(str, out)))
ev = threading.Event(); b = threading.Barrier(3); seen = []
def waiter(k):
    b.wait(); ev.wait(); seen.append(k)
ws = [threading.Thread(target=waiter, args=(k,)) for k in range(2)]
for w in ws: w.start()
b.wait(); ev.set()
for w in ws: w.join()
print(sorted(seen), threading.active_count())
with concurrent.futures.ThreadPoolExecutor(4) as ex:
    print(list(ex.map(lambda n: sum(i * i for i in range(n)), range(0, 20000, 2500))))
p = subprocess.Popen([sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
print(p.communicate(b"piped through a child")[0], p.returncode)'

# The auxiliary vector glibc sees (LD_SHOW_AUXV): Linux's entries, in its
# order, but for the vDSO's and rseq's, which Mimic does not give.
# (Set for the guest only: a dynamically linked Mimic, a sanitizer build,
# would print its own.)
if [ -x /bin/true ]; then
    $LIMIT "$M" -E LD_SHOW_AUXV=1 /bin/true >"$T/mimic.auxv.full"
    LD_SHOW_AUXV=1 /bin/true >"$T/native.auxv.full"
    cut -d: -f1 "$T/mimic.auxv.full" >"$T/mimic.auxv"
    cut -d: -f1 "$T/native.auxv.full" |
        grep -v -e AT_SYSINFO_EHDR -e 'AT_??? (0x1[bc])' >"$T/native.auxv"
    diff "$T/native.auxv" "$T/mimic.auxv" >"$T/out"
    check "auxv: Linux's entries but the vDSO and rseq ones" '[ ! -s "$T/out" ]'
    grep AT_PLATFORM "$T/native.auxv.full" >"$T/native.plat"
    grep AT_PLATFORM "$T/mimic.auxv.full" >"$T/mimic.plat"
    diff "$T/native.plat" "$T/mimic.plat" >"$T/out"
    check "auxv: AT_PLATFORM is the host's (x86_64)" \
        '[ ! -s "$T/out" ] && grep -q "x86_64$" "$T/mimic.plat"'
fi
tap_end
