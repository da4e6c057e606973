/*
 * Every integer register through a synchronous signal: with x1 and x5-x30
 * set to known values, a load from an unmapped page faults; the SIGSEGV
 * handler prints the registers the ucontext shows, changes some of them
 * and skips the load; back from the handler, the registers hold the
 * handler's values.  A second round does the same with the fault in a
 * store and an ebreak (SIGTRAP) instead of the load.  Mimic keeps some
 * guest registers in host registers across translated code, so this is
 * where their values must be recovered from the host's signal context
 * and reloaded after sigreturn.  Exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static uint64_t seen[32], after[32];
static uintptr_t sp_before, sp_seen;

static void handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    for (int i = 0; i < 32; i++)
        seen[i] = uc->uc_mcontext.__gregs[i];
    sp_seen = uc->uc_mcontext.__gregs[2];
    /* Registers the handler changes: sigreturn must bring these back. */
    for (int i = 5; i <= 30; i += 3)
        uc->uc_mcontext.__gregs[i] ^= 0xa5a5000000000000ull;
    uc->uc_mcontext.__gregs[1] += 0x10;
    uc->uc_mcontext.__gregs[REG_PC] += 4; /* past the faulting insn */
}

/*
 * probe(kind, out, sp_out): sets x1 and x5-x30 to 0x1000 + 0x11 * i (t6,
 * x31, holds out), faults (kind 0: ld from address 8; 1: sd to address 8;
 * 2: ebreak), then stores x1..x30 to out[] and sp to *sp_out.  It keeps
 * gp and tp (the handler's C code needs them) and restores the
 * callee-saved registers, ra and s0 from the stack.
 */
void probe(long kind, uint64_t *out, uintptr_t *sp_out);
__asm__(
    ".text\n"
    ".option push\n"
    ".option norvc\n" /* the handler skips 4 bytes */
    ".globl probe\n"
    "probe:\n"
    "  addi sp, sp, -128\n"
    "  sd ra, 0(sp)\n"
    "  sd s0, 8(sp)\n"
    "  sd s1, 16(sp)\n"
    "  sd s2, 24(sp)\n"
    "  sd s3, 32(sp)\n"
    "  sd s4, 40(sp)\n"
    "  sd s5, 48(sp)\n"
    "  sd s6, 56(sp)\n"
    "  sd s7, 64(sp)\n"
    "  sd s8, 72(sp)\n"
    "  sd s9, 80(sp)\n"
    "  sd s10, 88(sp)\n"
    "  sd s11, 96(sp)\n"
    "  sd a2, 104(sp)\n"
    "  sd sp, 0(a2)\n"
    "  mv t6, a1\n"
    "  mv t5, a0\n"
    "  li x1, 0x1011\n"
    "  li x5, 0x1055\n"
    "  li x6, 0x1066\n"
    "  li x7, 0x1077\n"
    "  li x8, 0x1088\n"
    "  li x9, 0x1099\n"
    "  li x10, 0x10aa\n"
    "  li x11, 0x10bb\n"
    "  li x12, 0x10cc\n"
    "  li x13, 0x10dd\n"
    "  li x14, 0x10ee\n"
    "  li x15, 0x10ff\n"
    "  li x16, 0x1110\n"
    "  li x17, 0x1121\n"
    "  li x18, 0x1132\n"
    "  li x19, 0x1143\n"
    "  li x20, 0x1154\n"
    "  li x21, 0x1165\n"
    "  li x22, 0x1176\n"
    "  li x23, 0x1187\n"
    "  li x24, 0x1198\n"
    "  li x25, 0x11a9\n"
    "  li x26, 0x11ba\n"
    "  li x27, 0x11cb\n"
    "  li x28, 0x11dc\n"
    "  li x29, 0x11ed\n"
    "  beqz t5, 1f\n"
    "  addi t5, t5, -1\n"
    "  beqz t5, 2f\n"
    "  li x30, 0x11fe\n"
    "  ebreak\n"
    "  j 3f\n"
    "1:li x30, 0x11fe\n"
    "  ld x15, 8(zero)\n"
    "  j 3f\n"
    "2:li x30, 0x11fe\n"
    "  sd x14, 8(zero)\n"
    "3:sd x1, 8(t6)\n"
    "  sd x5, 40(t6)\n"
    "  sd x6, 48(t6)\n"
    "  sd x7, 56(t6)\n"
    "  sd x8, 64(t6)\n"
    "  sd x9, 72(t6)\n"
    "  sd x10, 80(t6)\n"
    "  sd x11, 88(t6)\n"
    "  sd x12, 96(t6)\n"
    "  sd x13, 104(t6)\n"
    "  sd x14, 112(t6)\n"
    "  sd x15, 120(t6)\n"
    "  sd x16, 128(t6)\n"
    "  sd x17, 136(t6)\n"
    "  sd x18, 144(t6)\n"
    "  sd x19, 152(t6)\n"
    "  sd x20, 160(t6)\n"
    "  sd x21, 168(t6)\n"
    "  sd x22, 176(t6)\n"
    "  sd x23, 184(t6)\n"
    "  sd x24, 192(t6)\n"
    "  sd x25, 200(t6)\n"
    "  sd x26, 208(t6)\n"
    "  sd x27, 216(t6)\n"
    "  sd x28, 224(t6)\n"
    "  sd x29, 232(t6)\n"
    "  sd x30, 240(t6)\n"
    "  sd sp, 16(t6)\n"
    "  ld ra, 0(sp)\n"
    "  ld s0, 8(sp)\n"
    "  ld s1, 16(sp)\n"
    "  ld s2, 24(sp)\n"
    "  ld s3, 32(sp)\n"
    "  ld s4, 40(sp)\n"
    "  ld s5, 48(sp)\n"
    "  ld s6, 56(sp)\n"
    "  ld s7, 64(sp)\n"
    "  ld s8, 72(sp)\n"
    "  ld s9, 80(sp)\n"
    "  ld s10, 88(sp)\n"
    "  ld s11, 96(sp)\n"
    "  addi sp, sp, 128\n"
    "  ret\n"
    ".option pop\n");

static void round_of(long kind, const char *what)
{
    printf("%s:\n", what);
    memset(seen, 0, sizeof(seen));
    memset(after, 0, sizeof(after));
    probe(kind, after, &sp_before);
    for (int i = 1; i < 31; i++) {
        if (i >= 2 && i <= 4)
            continue; /* sp, gp, tp: not set by probe */
        printf("  x%-2d in handler %#llx, after %#llx\n", i,
               (unsigned long long)seen[i], (unsigned long long)after[i]);
    }
    printf("  sp in handler is the interrupted sp: %s; sp after: %s\n",
           sp_seen == sp_before ? "yes" : "no",
           after[2] == sp_before ? "same" : "changed");
}

int main(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    round_of(0, "a load faults (SIGSEGV)");
    round_of(1, "a store faults (SIGSEGV)");
    round_of(2, "ebreak (SIGTRAP)");
    /* Many times, so the code is hot and chained. */
    for (int n = 0; n < 2000; n++) {
        probe(n % 3, after, &sp_before);
        if (after[15] != 0x10ff || after[14] != (0x10ee ^ 0xa5a5000000000000ull) ||
            after[2] != sp_before) {
            printf("round %d: x15 %#llx x14 %#llx\n", n,
                   (unsigned long long)after[15],
                   (unsigned long long)after[14]);
            return 1;
        }
    }
    printf("2000 more rounds agree\n");
    return 0;
}
