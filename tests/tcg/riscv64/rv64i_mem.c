/*
 * RV64I loads and stores: sign extension (lb, lh, lw) and zero extension
 * (lbu, lhu, lwu) of every width, ld/sd, 12-bit signed offsets at both
 * extremes, stores that touch only their own bytes, little-endian byte order,
 * loads into x0, and misaligned accesses of every width at every offset
 * (QEMU and the spec allow them to complete in M-mode; they must behave
 * exactly like the byte-wise access), including ones that cross a 4 KiB page.
 */
#include "lib.h"
#include "insn.h"

static u8 buf[3 * 4096] __attribute__((aligned(4096)));

#define LOAD(insn, base, off) ({                                           \
        u64 _r;                                                            \
        __asm__ __volatile__(NORVC(#insn " %0, %2(%1)")                    \
                             : "=r"(_r) : "r"(base), "i"(off) : "memory"); \
        _r; })
#define STORE(insn, base, off, v)                                          \
        __asm__ __volatile__(NORVC(#insn " %1, %2(%0)")                    \
                             :: "r"(base), "r"((u64)(v)), "i"(off) : "memory")

static void fill(u8 *p, unsigned n, u8 seed)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (u8)(seed + i * 0x25);
}

/* little-endian value of n bytes at p, read byte by byte */
static u64 le(const volatile u8 *p, int n)
{
    u64 v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static u64 sext(u64 v, int bits)
{
    return bits == 64 ? v : (u64)(((i64)(v << (64 - bits))) >> (64 - bits));
}

static void test_extension(void)
{
    volatile u8 *p = buf + 64;
    /* 0x80 / 0x8000 / 0x80000000 patterns and 0x7f.. patterns */
    static const u64 pats[] = {
        0x8000000080008080ULL, 0x7fffffff7fff7f7fULL, 0xffffffffffffffffULL,
        0x0000000000000000ULL, 0xfedcba9876543210ULL, 0x0123456789abcdefULL,
    };
    for (unsigned i = 0; i < ARRAY_SIZE(pats); i++) {
        *(volatile u64 *)p = pats[i];
        u64 v = pats[i];
        CHECK_EQ(LOAD(lb, p, 0), sext(v & 0xff, 8));
        CHECK_EQ(LOAD(lbu, p, 0), v & 0xff);
        CHECK_EQ(LOAD(lh, p, 0), sext(v & 0xffff, 16));
        CHECK_EQ(LOAD(lhu, p, 0), v & 0xffff);
        CHECK_EQ(LOAD(lw, p, 0), sext(v & 0xffffffff, 32));
        CHECK_EQ(LOAD(lwu, p, 0), v & 0xffffffff);
        CHECK_EQ(LOAD(ld, p, 0), v);
        CHECK_EQ(LOAD(lb, p, 7), sext(v >> 56, 8));
        CHECK_EQ(LOAD(lbu, p, 7), v >> 56);
        CHECK_EQ(LOAD(lh, p, 6), sext(v >> 48, 16));
        CHECK_EQ(LOAD(lhu, p, 6), v >> 48);
        CHECK_EQ(LOAD(lw, p, 4), sext(v >> 32, 32));
        CHECK_EQ(LOAD(lwu, p, 4), v >> 32);
    }
    /* hand-written: */
    *(volatile u64 *)p = 0x0000000080008080ULL;
    CHECK_EQ(LOAD(lb, p, 0), 0xffffffffffffff80ULL);
    CHECK_EQ(LOAD(lbu, p, 0), 0x80);
    CHECK_EQ(LOAD(lh, p, 0), 0xffffffffffff8080ULL);
    CHECK_EQ(LOAD(lhu, p, 0), 0x8080);
    CHECK_EQ(LOAD(lw, p, 0), 0xffffffff80008080ULL);
    CHECK_EQ(LOAD(lwu, p, 0), 0x80008080ULL);
    CHECK_EQ(LOAD(lb, p, 1), 0xffffffffffffff80ULL);
    CHECK_EQ(LOAD(lb, p, 2), 0);
}

static void test_store_widths(void)
{
    volatile u8 *p = buf + 256;
    for (int i = 0; i < 16; i++)
        p[i] = 0xaa;
    STORE(sb, p, 1, 0x1122334455667788ULL);
    CHECK_EQ(le(p, 8), 0xaaaaaaaaaaaa88aaULL);
    STORE(sh, p, 2, 0x1122334455667788ULL);
    CHECK_EQ(le(p, 8), 0xaaaaaaaa778888aaULL);
    STORE(sw, p, 4, 0x1122334455667788ULL);
    CHECK_EQ(le(p, 8), 0x55667788778888aaULL);
    STORE(sd, p, 8, 0x1122334455667788ULL);
    CHECK_EQ(le(p + 8, 8), 0x1122334455667788ULL);
    CHECK_EQ(le(p, 8), 0x55667788778888aaULL);
    CHECK_EQ(p[15], 0x11);
    /* little-endian: byte 0 of the word is its least significant byte */
    STORE(sw, p, 0, 0x01020304);
    CHECK_EQ(p[0], 4);
    CHECK_EQ(p[3], 1);
    CHECK_EQ(LOAD(lbu, p, 0), 4);
    CHECK_EQ(LOAD(lhu, p, 2), 0x0102);
}

static void test_offsets(void)
{
    u8 *mid = buf + 4096 + 2048;
    fill(buf + 4096, 4096, 3);
    /* 12-bit signed offsets: +2047 and -2048 */
    CHECK_EQ(LOAD(lbu, mid, 2047), mid[2047]);
    CHECK_EQ(LOAD(lbu, mid, -2048), mid[-2048]);
    CHECK_EQ(LOAD(ld, mid, -2048), le(mid - 2048, 8));
    CHECK_EQ(LOAD(lw, mid + 1, 2043), sext(le(mid + 2044, 4), 32));
    STORE(sb, mid, -2048, 0x5a);
    CHECK_EQ(mid[-2048], 0x5a);
    STORE(sh, mid, 2046, 0xbeef);
    CHECK_EQ(le(mid + 2046, 2), 0xbeef);
    STORE(sd, mid, -8, 0xfeedfacecafebeefULL);
    CHECK_EQ(le(mid - 8, 8), 0xfeedfacecafebeefULL);
    /* loads into x0 are executed and discarded */
    u64 r;
    __asm__ __volatile__(NORVC("ld x0, 0(%1)\n\tmv %0, x0") : "=r"(r) : "r"(mid) : "memory");
    CHECK_EQ(r, 0);
    /* base register overwritten by the load (rd == rs1) */
    u64 *cell = (u64 *)(buf + 512);
    *cell = 0x1234;
    r = (u64)cell;
    __asm__ __volatile__(NORVC("ld %0, 0(%0)") : "+r"(r) :: "memory");
    CHECK_EQ(r, 0x1234);
    /* store of the base register itself */
    r = (u64)cell;
    __asm__ __volatile__(NORVC("sd %0, 0(%0)") :: "r"(r) : "memory");
    CHECK_EQ(*cell, (u64)cell);
}

static void test_misaligned(void)
{
    /* every width at every byte offset, within a page and across the
     * boundary between buf[4096*1] and buf[4096*2] */
    u8 *bases[2] = { buf + 1024, buf + 2 * 4096 - 8 };
    for (int b = 0; b < 2; b++) {
        for (int off = 0; off < 8; off++) {
            volatile u8 *p = bases[b] + off;
            fill((u8 *)bases[b] - 8, 32, (u8)(off * 17 + b));
            CHECK_OP("lh", (u64)p, 0, LOAD(lh, p, 0), sext(le(p, 2), 16));
            CHECK_OP("lhu", (u64)p, 0, LOAD(lhu, p, 0), le(p, 2));
            CHECK_OP("lw", (u64)p, 0, LOAD(lw, p, 0), sext(le(p, 4), 32));
            CHECK_OP("lwu", (u64)p, 0, LOAD(lwu, p, 0), le(p, 4));
            CHECK_OP("ld", (u64)p, 0, LOAD(ld, p, 0), le(p, 8));

            u64 before = le(p - 8, 8), after = le(p + 8, 8);
            STORE(sd, p, 0, 0x8877665544332211ULL);
            CHECK_OP("sd", (u64)p, 0, le(p, 8), 0x8877665544332211ULL);
            STORE(sw, p, 1, 0xccddeeffULL);
            /* bytes 1..4 become ff ee dd cc */
            CHECK_OP("sw", (u64)p, 1, le(p, 8), 0x887766ccddeeff11ULL);
            STORE(sh, p, 5, 0xabcdULL);
            /* bytes 5..6 become cd ab */
            CHECK_OP("sh", (u64)p, 5, le(p, 8), 0x88abcdccddeeff11ULL);
            CHECK_OP("guard", (u64)p, 0, le(p - 8, 8), before);
            CHECK_OP("guard", (u64)p, 8, le(p + 8, 8), after);
        }
    }
}

int main(void)
{
    test_extension();
    test_store_widths();
    test_offsets();
    test_misaligned();
    return test_end();
}
