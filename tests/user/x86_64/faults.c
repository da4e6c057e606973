/*
 * Dies the way argv[1] says, as the CPU makes a program die: ud2 (SIGILL),
 * a division by zero and an idiv overflow (SIGFPE), int3 (SIGTRAP), hlt
 * at user level (SIGSEGV), a store to an unmapped page (SIGSEGV), a
 * CMPXCHG16B on a misaligned operand (#GP: SIGSEGV), an ENTER whose
 * final rsp lands on a page it cannot write (SIGSEGV, though its pushes
 * fit: the CPU checks the final rsp too), a MOVAPS load, a PADDB
 * memory operand and a MOVDQA store on misaligned memory and an LDMXCSR with a
 * reserved bit set (#GP: SIGSEGV), a DIVSS by zero with the divide-by-
 * zero exception unmasked (#XM: SIGFPE), FXSAVE misaligned, FXRSTOR of
 * an MXCSR with a reserved bit (#GP: SIGSEGV), an FXSAVE whose unwritten
 * tail is unmapped and a MASKMOVQ whose selected bytes reach an unmapped
 * page (SIGSEGV; with none selected too, as this host does), an MMX insn
 * with an x87 exception pending (#MF: SIGFPE; a CVTPI2PS from memory
 * does not raise it).  The
 * exit status (the signal) must be the same natively and under Mimic.
 */
#include "rt.h"

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int main(int argc, char **argv, char **envp)
{
    const char *m = argc > 1 ? argv[1] : "";
    volatile u64 zero = 0, big = 0x8000000000000000ul, minus1 = -1ul;

    put("before\n");
    if (same(m, "ud2"))
        __asm__ volatile("ud2");
    if (same(m, "div0")) {
        u64 q = 5, r = 0;
        __asm__ volatile("divq %2" : "+a"(q), "+d"(r) : "r"(zero));
    }
    if (same(m, "idivov")) {
        u64 q = big, r = minus1;
        __asm__ volatile("idivq %2" : "+a"(q), "+d"(r) : "r"(minus1));
    }
    if (same(m, "int3"))
        __asm__ volatile("int3");
    if (same(m, "hlt"))
        __asm__ volatile("hlt");
    if (same(m, "segv")) {
        int *volatile unmapped = (int *)16;
        *unmapped = 1;
    }
    if (same(m, "cx16gp")) {
        static _Alignas(16) u64 pair[3];
        u64 a = 0, d = 0;
        __asm__ volatile("cmpxchg16b %2" : "+a"(a), "+d"(d),
                         "+m"(*(u64 *)((char *)pair + 8))
                         : "b"(1ul), "c"(2ul) : "cc", "memory");
    }
    if (same(m, "enter")) {
        /* Two pages, the lower one inaccessible; rsp 64 bytes into the
           upper one and 128 bytes allocated. */
        i64 p = sys6(9, 0, 8192, 3, 0x22, -1, 0);  /* mmap RW, anon */
        sys3(10, p, 4096, 0);                      /* mprotect NONE */
        __asm__ volatile("mov %%rsp, %%r12\n\tmov %0, %%rsp\n\t"
                         "enter $128, $0\n\tmov %%r12, %%rsp"
                         : : "r"(p + 4096 + 64) : "r12", "memory");
    }
    if (same(m, "movapsgp")) {
        static _Alignas(16) u8 buf[32];
        __asm__ volatile("movaps %0, %%xmm0" : : "m"(buf[8]));
    }
    if (same(m, "paddbgp")) {
        static _Alignas(16) u8 buf[32];
        __asm__ volatile("paddb %0, %%xmm0" : : "m"(buf[4]));
    }
    if (same(m, "movdqagp")) {
        static _Alignas(16) u8 buf[32];
        __asm__ volatile("movdqa %%xmm0, %0" : "=m"(buf[1]) : : "memory");
    }
    if (same(m, "movupsok")) {
        static _Alignas(16) u8 buf[32];
        __asm__ volatile("movups %%xmm0, %0\n\tmovdqu %0, %%xmm1"
                         : "+m"(buf[3]) : : "memory");
    }
    if (same(m, "ldmxcsrgp")) {
        u32 v = 0x11f80;
        __asm__ volatile("ldmxcsr %0" : : "m"(v));
    }
    if (same(m, "xm")) {
        /* ZM (bit 9) clear: 1 / 0 raises #XM. */
        u32 csr = 0x1f80 & ~0x200u;
        static u32 one = 0x3f800000, zero32;
        __asm__ volatile("ldmxcsr %0\n\tmovd %1, %%xmm0\n\t"
                         "divss %2, %%xmm0"
                         : : "m"(csr), "m"(one), "m"(zero32));
    }
    if (same(m, "xmmasked")) {
        static u32 one = 0x3f800000, zero32;
        __asm__ volatile("movd %0, %%xmm0\n\tdivss %1, %%xmm0"
                         : : "m"(one), "m"(zero32));
    }
    if (same(m, "fxsavegp")) {
        static _Alignas(16) u8 buf[528];
        __asm__ volatile("fxsave %0" : "=m"(buf[8]) : : "memory");
    }
    if (same(m, "fxrstorgp")) {
        /* MXCSR bit 16: reserved, #GP. */
        static _Alignas(16) u8 img[512];
        img[0] = 0x7f;
        img[1] = 0x03;
        *(u32 *)(img + 24) = 0x11f80;
        __asm__ volatile("fxrstor %0" : : "m"(img));
    }
    if (same(m, "fxsavepf")) {
        /* Only bytes 416-511, which FXSAVE does not write, unmapped: the
           CPU checks the whole 512 bytes and writes none. */
        i64 p = sys6(9, 0, 8192, 3, 0x22, -1, 0);
        u8 *a = (u8 *)p + 4096 - 416;
        sys3(10, p + 4096, 4096, 0);
        a[0] = 0x5a;
        __asm__ volatile("fxsave64 %0" : "=m"(*a) : : "memory");
    }
    if (same(m, "mmxmf")) {
        /* An unmasked x87 divide by zero pending: an MMX insn raises #MF. */
        static const u16 cw = 0x037b;
        static const double one = 1, zero = 0;
        __asm__ volatile("fldcw %0\n\tfldl %1\n\tfdivl %2\n\tpaddb %%mm0, %%mm1"
                         : : "m"(cw), "m"(one), "m"(zero));
    }
    if (same(m, "cvtpi2psmem")) {
        /* The same, but CVTPI2PS from memory is not an MMX insn there:
           no #MF, and the exception stays pending for FNCLEX. */
        static const u16 cw = 0x037b;
        static const double one = 1, zero = 0;
        static const u64 v = 5;
        __asm__ volatile("fldcw %0\n\tfldl %1\n\tfdivl %2\n\t"
                         "cvtpi2ps %3, %%xmm0\n\tfnclex\n\tfninit"
                         : : "m"(cw), "m"(one), "m"(zero), "m"(v));
    }
    if (same(m, "maskmovqpf")) {
        /* The last byte selected lies on an unmapped page. */
        i64 p = sys6(9, 0, 8192, 3, 0x22, -1, 0);
        static const u64 mask = 0x8000000000000080ul;
        sys3(10, p + 4096, 4096, 0);
        __asm__ volatile("movq %0, %%mm1\n\tmaskmovq %%mm1, %%mm2"
                         : : "m"(mask), "D"(p + 4096 - 4) : "memory");
    }
    if (same(m, "maskmovq0")) {
        /* The same with no byte selected: this host checks all 8. */
        i64 p = sys6(9, 0, 8192, 3, 0x22, -1, 0);
        static const u64 mask = 0;
        sys3(10, p + 4096, 4096, 0);
        __asm__ volatile("movq %0, %%mm1\n\tmaskmovq %%mm1, %%mm2\n\temms"
                         : : "m"(mask), "D"(p + 4096 - 4) : "memory");
    }
    put("after\n");
    return 0;
}
