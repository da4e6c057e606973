#!/bin/sh
# targets: any
# mimic-img against qemu-img, the reference: raw -> qcow2 -> raw round
# trips (random data with holes, sizes that are not cluster multiples),
# info --output=json agreeing on the main keys for images made by each
# tool, images we write passing `qemu-img check` and `qemu-img compare`,
# compressed images on a backing chain made by qemu-img read right,
# overlays written by one tool read by the other, check exit codes and
# leak repair, resize, command-line errors, and crash safety: a writer
# killed with kill -9 at random moments never leaves an image that
# `qemu-img check` calls corrupt (exit 0 or 3).  Prints TAP.
B=${BUILD_DIR:-build}
M=$(pwd)/$B/mimic-img
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
# check NAME CMD...: ok when CMD succeeds.
check() {
    name=$1
    shift
    if "$@" >"$T/out" 2>&1; then ok "$name"; else
        not_ok "$name"; sed 's/^/#   /' "$T/out" | head -20
    fi
}

if ! command -v qemu-img >/dev/null 2>&1; then
    echo "not ok 1 - qemu-img not installed (scripts/install-deps.sh adds qemu-utils)"
    exit 1
fi
cd "$T" || exit 1

# Random data with holes: 7 MiB + 3 sectors, not a multiple of 64 KiB.
python3 - <<'EOF'
import random
r = random.Random(42)
size = 7 * 1024 * 1024 + 3 * 512
with open("src.raw", "wb") as f:
    f.truncate(size)
    for _ in range(40):
        off = r.randrange(size)
        f.seek(off)
        f.write(r.randbytes(min(r.randrange(1, 300000), size - off)))
EOF

check "convert raw -> qcow2" "$M" convert -O qcow2 src.raw a.qcow2
check "qemu-img check of the converted image" qemu-img check a.qcow2
check "qemu-img compare with the source" qemu-img compare src.raw a.qcow2
check "convert qcow2 -> raw" "$M" convert -O raw a.qcow2 back.raw
check "raw -> qcow2 -> raw is byte-identical" cmp src.raw back.raw
# Holes stay holes: the output is much smaller than the data it covers.
src_kb=$(du -k src.raw | cut -f1)
back_kb=$(du -k back.raw | cut -f1)
check "round trip stays sparse ($back_kb KiB vs $src_kb KiB)" \
    test "$back_kb" -le $((src_kb + 256))
check "convert with 4 KiB clusters" "$M" convert -O qcow2 -o cluster_size=4096 src.raw c4k.qcow2
check "qemu-img compare (4 KiB clusters)" qemu-img compare src.raw c4k.qcow2
check "qemu-img check (4 KiB clusters)" qemu-img check c4k.qcow2
"$M" convert -p -O raw c4k.qcow2 p.raw >progress.out 2>&1
check "convert -p shows qemu-img's progress" grep -q "(100.00/100%)" progress.out

# info --output=json: the keys that matter agree with qemu-img's.
cat > cmpinfo.py <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
for k in ("virtual-size", "format", "cluster-size", "backing-filename",
          "backing-filename-format", "dirty-flag"):
    if a.get(k) != b.get(k):
        sys.exit("%s: mimic-img %r, qemu-img %r" % (k, a.get(k), b.get(k)))
if a.get("format-specific") != b.get("format-specific"):
    sys.exit("format-specific: %r vs %r" % (a.get("format-specific"),
                                            b.get("format-specific")))
EOF
info_agrees() {
    "$M" info --output=json "$1" > m.json && qemu-img info --output=json "$1" > q.json &&
        python3 cmpinfo.py m.json q.json
}
qemu-img create -q -f qcow2 -o cluster_size=32768 q.qcow2 1G
qemu-img create -q -f qcow2 -b q.qcow2 -F qcow2 qov.qcow2
"$M" create -q -f qcow2 m.qcow2 3G
"$M" create -q -f qcow2 -b m.qcow2 mov.qcow2
check "info json agrees: qcow2 by qemu-img" info_agrees q.qcow2
check "info json agrees: overlay by qemu-img" info_agrees qov.qcow2
check "info json agrees: qcow2 by mimic-img" info_agrees m.qcow2
check "info json agrees: overlay by mimic-img (size from backing)" info_agrees mov.qcow2
check "info json agrees: raw" info_agrees src.raw
check "info human output" sh -c "'$M' info mov.qcow2 | grep -q 'backing file: m.qcow2'"
check "info --backing-chain lists both images" \
    sh -c "'$M' info --backing-chain --output=json mov.qcow2 | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 2'"
check "qemu-img check of a new mimic-img image" qemu-img check mov.qcow2

# A compressed overlay (qemu-img convert -c) on a backing chain made by
# qemu-img: mimic-img reads what qemu-img reads.
python3 -c "
import random; r = random.Random(7)
open('base.raw','wb').write(r.randbytes(3000000) + bytes(1194304))"
qemu-img create -q -f qcow2 -b base.raw -F raw mid.qcow2
qemu-io -c "write -P 0x55 100000 300000" -c "write -z 1000000 200000" \
    -c "write -P 0x11 4000000 194304" mid.qcow2 >/dev/null
qemu-img create -q -f qcow2 -b mid.qcow2 -F qcow2 top.qcow2
qemu-io -c "write -P 0x66 70000 5000" top.qcow2 >/dev/null
qemu-img convert -O raw top.qcow2 expect.raw
check "read a qemu-img backing chain" sh -c "'$M' convert -O raw top.qcow2 got.raw && cmp got.raw expect.raw"
qemu-img convert -c -O qcow2 -B mid.qcow2 -F qcow2 top.qcow2 ctop.qcow2
check "read a compressed overlay on a chain" sh -c "'$M' convert -O raw ctop.qcow2 got2.raw && cmp got2.raw expect.raw"
yes "compressible text" | head -c 3000064 > text.raw
qemu-img convert -c -O qcow2 -o cluster_size=4096 text.raw ctext.qcow2
check "read a compressed image (4 KiB clusters)" sh -c "'$M' convert -O raw ctext.qcow2 got3.raw && cmp -n 3000064 got3.raw text.raw"
check "writes over compressed clusters" sh -c "'$M' bench -w -c 300 -s 3000 --mix ctext.qcow2 >/dev/null && qemu-img check ctext.qcow2"

# Overlays across tools: mimic-img writes, qemu-img reads, and back.
"$M" create -q -f qcow2 -b base.raw -F raw mov2.qcow2
check "mimic-img writes an overlay" "$M" bench -w -c 400 -s 5000 --mix mov2.qcow2
check "qemu-img check of that overlay" qemu-img check mov2.qcow2
qemu-img convert -O raw mov2.qcow2 qread.raw
"$M" convert -O raw mov2.qcow2 mread.raw
check "qemu-img and mimic-img read it the same" cmp qread.raw mread.raw
check "qemu-img compare overlay vs raw" qemu-img compare mov2.qcow2 mread.raw
qemu-io -c "write -P 0x42 123456 200000" -c "write -z 2000000 300000" mov2.qcow2 >/dev/null
qemu-img convert -O raw mov2.qcow2 qread2.raw
check "mimic-img reads what qemu-img wrote into it" sh -c "'$M' convert -O raw mov2.qcow2 mread2.raw && cmp qread2.raw mread2.raw"
check "mimic-img check agrees after qemu-img wrote" "$M" check mov2.qcow2

# check: leaks give exit 3, -r leaks repairs them.
"$M" create -q -f qcow2 leak.qcow2 16M
"$M" bench -q -w -c 100 -s 65536 leak.qcow2
python3 - <<'EOF'
# Leak cluster 20: raise its refcount in the first refcount block.
import struct
f = open("leak.qcow2", "r+b")
h = f.read(104)
rt = struct.unpack(">Q", h[48:56])[0]
f.seek(rt); rb = struct.unpack(">Q", f.read(8))[0]
end = f.seek(0, 2)
f.truncate(end + 4 * 65536)
cl = (end + 65535) // 65536 + 1
f.seek(rb + 2 * cl); f.write(struct.pack(">H", 1))
EOF
"$M" check leak.qcow2 >/dev/null 2>&1; rc=$?
check "check reports leaks with exit 3 (got $rc)" test "$rc" -eq 3
qemu-img check leak.qcow2 >/dev/null 2>&1; rc=$?
check "qemu-img agrees: exit 3 (got $rc)" test "$rc" -eq 3
check "check -r leaks repairs them" "$M" check -r leaks leak.qcow2
check "then qemu-img check is clean" qemu-img check leak.qcow2
"$M" check --output=json a.qcow2 > chk.json
check "check --output=json" python3 -c "import json; d = json.load(open('chk.json')); assert d['check-errors'] == 0 and d['format'] == 'qcow2'"
"$M" check src.raw >/dev/null 2>&1; rc=$?
check "check of a raw image: not supported (exit 63, got $rc)" test "$rc" -eq 63

# resize
"$M" create -q -f qcow2 -o cluster_size=512 rs.qcow2 100K
"$M" bench -q -w -c 50 -s 1000 rs.qcow2
qemu-img convert -O raw rs.qcow2 rs-before.raw
check "resize qcow2 +20M (grows the L1 table)" "$M" resize rs.qcow2 +20M
check "resized size" sh -c "qemu-img info --output=json rs.qcow2 | grep -q '\"virtual-size\": 21073920'"
check "qemu-img check after resize" qemu-img check rs.qcow2
check "data kept after resize" sh -c "'$M' convert -O raw rs.qcow2 rs-after.raw && cmp -n 102400 rs-before.raw rs-after.raw"
"$M" resize rs.qcow2 -- -1M >/dev/null 2>err.txt; rc=$?
check "shrinking qcow2 needs --shrink" sh -c "test $rc -eq 1 && grep -q shrink err.txt"
"$M" resize --shrink rs.qcow2 -- -1M >/dev/null 2>err.txt; rc=$?
check "shrinking qcow2 is refused clearly" sh -c "test $rc -eq 1 && grep -q 'not supported' err.txt"
cp src.raw rr.raw
check "resize raw --shrink" "$M" resize --shrink rr.raw 1M
check "raw shrunk to 1 MiB" test "$(stat -c %s rr.raw)" -eq 1048576

# Command-line errors: exit 1 and a "mimic-img:" message.
cli_error() {
    name=$1
    shift
    timeout 120 "$M" "$@" >/dev/null 2>err.txt; rc=$?
    if [ "$rc" -eq 1 ] && grep -q "^mimic-img: " err.txt; then ok "$name"; else
        not_ok "$name (exit $rc: $(head -c 200 err.txt))"; fi
}
cli_error "unknown command" frobnicate x
cli_error "bad size" create -f qcow2 x.qcow2 12Q
cli_error "unknown format" create -f vmdk x.img 1M
cli_error "bad cluster size" create -f qcow2 -o cluster_size=1000 x.qcow2 1M
cli_error "missing backing file" create -f qcow2 -b nosuch.raw x.qcow2
cli_error "missing image" info nosuch.qcow2
cli_error "size too large" create -f qcow2 x.qcow2 9E
# convert onto one of its own inputs would truncate it before reading it:
# refused, with exit 1, and the file is untouched (also through a link or
# a backing chain).
refuse_self() {
    name=$1
    victim=$2
    shift 2
    cp "$victim" victim.copy
    "$M" "$@" >/dev/null 2>err.txt; rc=$?
    if [ "$rc" -eq 1 ] && grep -q "same file" err.txt &&
        cmp -s "$victim" victim.copy; then ok "$name"; else
        not_ok "$name (exit $rc: $(head -c 200 err.txt))"; fi
}
cp src.raw self.raw
refuse_self "convert onto its own source is refused" self.raw \
    convert -O raw self.raw self.raw
ln -f self.raw self-link.raw
refuse_self "convert onto a hard link of its source is refused" self.raw \
    convert -O qcow2 self.raw self-link.raw
"$M" create -q -f qcow2 -b self.raw -F raw self-top.qcow2
refuse_self "convert onto the backing file of its source is refused" \
    self.raw convert -O raw self-top.qcow2 self.raw
refuse_self "create over its own backing file is refused" self.raw \
    create -f qcow2 -b self.raw -F raw self.raw
"$M" create -q -f qcow2 b.qcow2 1M
cli_error "bench -c -1 (ran forever)" bench -c -1 b.qcow2
cli_error "bench -c with garbage" bench -c 12abc b.qcow2
cli_error "bench -c beyond qemu-img's limit" bench -c 99999999999 b.qcow2
cli_error "bench --seed with garbage" bench --seed x1 b.qcow2
check "bench -c 5 works" "$M" bench -c 5 b.qcow2
check "--help" sh -c "'$M' --help | grep -q convert"
check "--version" sh -c "'$M' --version | grep -q 'mimic-img version'"

# Crash safety: kill -9 a writer at random moments, 8 times.
"$M" create -q -f qcow2 -o cluster_size=4096 crash.qcow2 64M
good=0
i=0
while [ $i -lt 8 ]; do
    i=$((i + 1))
    "$M" bench -q -w -c 0 -s 6000 --mix --seed $i crash.qcow2 &
    pid=$!
    sleep "0.$(awk "BEGIN{srand($i); printf \"%02d\", 5 + int(rand()*40)}")"
    kill -9 $pid
    wait $pid 2>/dev/null
    qemu-img check crash.qcow2 >check.out 2>&1; rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then
        good=$((good + 1))
    else
        echo "# kill $i: qemu-img check exit $rc"; sed 's/^/#   /' check.out | head
    fi
done
check "8 kill -9 of a writer: qemu-img check exits 0 or 3 each time" test $good -eq 8
check "the image is still writable and clean after repair" sh -c \
    "'$M' check -r leaks crash.qcow2 >/dev/null; '$M' bench -q -w -c 50 -s 6000 crash.qcow2 && qemu-img check crash.qcow2"
