/*
 * The string instructions with and without REP, forwards and backwards
 * (DF), at every element size, and REPE/REPNE ending on a match, on a
 * count of zero and on a mismatch: the data, rsi/rdi/rcx left and the
 * flags are printed.
 */
#include "rt.h"

static u8 buf[512];

static void show(const char *what, u64 v)
{
    put(what);
    put(" ");
    put_hex(v);
    put("\n");
}

int main(int argc, char **argv, char **envp)
{
    for (int i = 0; i < 256; i++)
        buf[i] = (u8)(i * 7 + 3);

    /* rep movsb forwards, then rep movsq backwards. */
    u8 *s = buf, *d = buf + 256;
    u64 c = 100;
    __asm__ volatile("rep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    show("movsb rsi", (u64)(s - buf));
    show("movsb rdi", (u64)(d - buf));
    show("movsb rcx", c);
    show("copied", *(u64 *)(buf + 256 + 92));
    s = buf + 8 * 10;
    d = buf + 256 + 8 * 20;
    c = 5;
    __asm__ volatile("std\n\trep movsq\n\tcld" : "+S"(s), "+D"(d), "+c"(c)
                     : : "memory");
    show("movsq rsi", (u64)(s - buf));
    show("movsq rdi", (u64)(d - buf));
    show("movsq data", *(u64 *)(buf + 256 + 8 * 16));

    /* rep stosl, stosw with rcx 0 (nothing happens). */
    u32 *dl = (u32 *)(buf + 300);
    c = 7;
    __asm__ volatile("rep stosl" : "+D"(dl), "+c"(c) : "a"(0xdeadbeef)
                     : "memory");
    show("stosl", *(u64 *)(buf + 320));
    u16 *dw = (u16 *)(buf + 300);
    c = 0;
    __asm__ volatile("rep stosw" : "+D"(dw), "+c"(c) : "a"(0x1111)
                     : "memory");
    show("stosw rcx=0", (u64)((u8 *)dw - buf) ^ *(u64 *)(buf + 300));

    /* repne scasb: find a byte; repe cmpsb: first difference. */
    u8 *p = buf;
    u64 fl;
    c = 256;
    __asm__ volatile("repne scasb\n\tpushf\n\tpop %2"
                     : "+D"(p), "+c"(c), "=r"(fl) : "a"(buf[77]) : "cc");
    show("scasb rdi", (u64)(p - buf));
    show("scasb rcx", c);
    show("scasb flags", fl & 0x8d5);
    buf[256 + 40] ^= 1;
    s = buf;
    d = buf + 256;
    c = 64;
    __asm__ volatile("repe cmpsb\n\tpushf\n\tpop %3"
                     : "+S"(s), "+D"(d), "+c"(c), "=r"(fl) : : "cc");
    show("cmpsb rsi", (u64)(s - buf));
    show("cmpsb rcx", c);
    show("cmpsb flags", fl & 0x8d5);

    /* lodsq backwards. */
    u64 v;
    s = buf + 64;
    __asm__ volatile("std\n\tlodsq\n\tlodsq\n\tcld" : "+S"(s), "=a"(v));
    show("lodsq", v ^ (u64)(s - buf));
    return 0;
}
