"""The x86-user-python row of bench/run.py: a small pure-Python benchmark
(loops and integer arithmetic, dicts, string building and splitting,
sorting with keys, a class with methods, list comprehensions), about 1.5 s
natively at scale 1.  Prints BENCH-START and BENCH-END with a checksum of
the results, which must be the same natively, under Mimic and under QEMU.

    python3 bench/workloads/pybench.py [SCALE]
"""
import sys
import zlib


def loops(n):
    s = 0
    for i in range(n):
        s = (s * 31 + i * i) % 1000000007
        if i % 7 == 3:
            s ^= i
    return s


def dicts(n):
    d = {}
    for i in range(n):
        k = "k%d" % (i * 7919 % (n // 3 + 1))
        d[k] = d.get(k, 0) + i
    inv = {}
    for k, v in d.items():
        inv.setdefault(v % 97, []).append(k)
    return len(d), sum(len(v) for v in inv.values()), max(d.values())


def strings(n):
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
    parts = []
    for i in range(n):
        w = words[i % 7]
        parts.append("%s-%04d:%s" % (w.upper() if i % 3 else w, i % 9973, w[::-1]))
    text = ",".join(parts)
    fields = text.split(",")
    counts = {}
    for f in fields:
        head = f.split(":")[0].lower()
        counts[head[:3]] = counts.get(head[:3], 0) + 1
    return len(text), zlib.crc32(text.encode()), sorted(counts.items())[:3]


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def add(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def scale(self, k):
        return Vec(self.x * k, self.y * k)


def objects(n):
    v = Vec(0, 0)
    for i in range(n):
        v = v.add(Vec(i % 13, -(i % 7))).scale(1)
    pts = sorted(((i * 37 % 101, i) for i in range(n // 10)), key=lambda p: (p[0], -p[1]))
    return v.x, v.y, pts[:2], sum(x * y for x, y in pts) % 1000003


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    n = max(1000, int(800000 * scale))
    print("BENCH-START x86-user-python")
    results = [loops(n), dicts(n // 2), strings(n // 4), objects(n // 2),
               sum(x * x for x in range(n) if x % 3 == 0) % 1000003]
    print(results)
    print("BENCH-END x86-user-python checksum=%08x" % zlib.crc32(repr(results).encode()))


main()
