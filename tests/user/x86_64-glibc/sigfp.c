/*
 * The x87/MMX/SSE state in x86-64 signal frames: the code a signal
 * interrupts has set every XMM register, MXCSR, the x87 control word and
 * two x87 registers; the handler prints what the frame's fpstate holds
 * (uc_mcontext.fpregs, FXSAVE's layout), what it starts with itself
 * (an FXSAVE at its first instruction: Linux gives a handler the FPU as
 * FNINIT leaves it, XMM zero, MXCSR 0x1f80), changes some of the saved
 * state, and the interrupted code prints what it has after sigreturn.
 * Modes (argv[1]):
 *   basic     as above;
 *   null      the handler sets fpregs to NULL: sigreturn resets the FPU;
 *   badmxcsr  the handler sets a reserved MXCSR bit: sigreturn fails,
 *             SIGSEGV;
 *   altstack  on a sigaltstack: the fpstate is in it, 64-byte aligned,
 *             above the ucontext.
 * Not printed, as they differ from this AMD host by design (docs/devel/
 * x86.md): MXCSR_MASK, FIP/FDP/FOP, and bytes 416-511 (the host has
 * XSAVE and its magic there).  tests/functional/test-user-x86_64.sh
 * compares the output and exit status with a native run.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

/* What the handler's first instruction sees (filled by sig_entry). */
uint8_t entry_img[512] __attribute__((aligned(64)));

static uint8_t in_xmm[16][16], out_xmm[16][16];
static const char *mode;
static char *alt_base;
static size_t alt_size = 65536;

void c_handler(int sig, siginfo_t *si, void *ucv);

/* The handler proper: saves the state it starts with, then the C part. */
__asm__(".text\n"
        ".globl sig_entry\n"
        "sig_entry:\n"
        "  fxsave64 entry_img(%rip)\n"
        "  jmp c_handler\n");
void sig_entry(int sig, siginfo_t *si, void *ucv);

static void print_bytes(const char *what, const void *p, size_t n)
{
    const uint8_t *b = p;

    printf("%s", what);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
}

static void print_entry_state(void)
{
    uint16_t fcw, fsw;
    uint32_t mxcsr;
    int nonzero = 0;

    memcpy(&fcw, entry_img, 2);
    memcpy(&fsw, entry_img + 2, 2);
    memcpy(&mxcsr, entry_img + 24, 4);
    printf("entry: fcw %04x fsw %04x ftw %02x mxcsr %08x\n", fcw, fsw,
           entry_img[4], mxcsr);
    for (int i = 0; i < 8 * 16 + 16 * 16; i++)
        nonzero += entry_img[32 + i] != 0;
    printf("entry: %d nonzero bytes in ST0-7 and XMM0-15\n", nonzero);
}

void c_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;

    (void)si;
    print_entry_state();
    printf("signal %d, fpstate %s\n", sig, fp ? "present" : "absent");
    if (!fp)
        exit(1);
    printf("saved: fcw %04x fsw %04x ftw %02x mxcsr %08x\n", fp->cwd,
           fp->swd, fp->ftw, fp->mxcsr);
    for (int i = 0; i < 2; i++)
        print_bytes(i ? "saved st1 " : "saved st0 ", &fp->_st[i], 10);
    for (int i = 0; i < 16; i++) {
        char name[32];

        snprintf(name, sizeof(name), "saved xmm%d ", i);
        print_bytes(name, &fp->_xmm[i], 16);
    }
    uc->uc_mcontext.gregs[REG_RIP] += 2;        /* past the ud2 */
    if (!strcmp(mode, "altstack")) {
        uintptr_t f = (uintptr_t)fp;

        printf("fpstate in the alternate stack: %s\n",
               f >= (uintptr_t)alt_base &&
               f + 512 <= (uintptr_t)alt_base + alt_size ? "yes" : "no");
        printf("fpstate 64-byte aligned: %s\n", f % 64 ? "no" : "yes");
        printf("fpstate above the ucontext: %s\n",
               f >= (uintptr_t)uc + sizeof(*uc) ? "yes" : "no");
    }
    if (!strcmp(mode, "null")) {
        uc->uc_mcontext.fpregs = NULL;
    } else if (!strcmp(mode, "badmxcsr")) {
        fp->mxcsr |= 1u << 16;
        fflush(stdout);
    } else {
        /* Round up, flags IE and PE set; single precision, ZM unmasked. */
        fp->mxcsr = 0x5f80 | 0x21;
        fp->cwd = 0x0073;
        memset(&fp->_xmm[3], 0xa5, 16);
        memcpy(&fp->_xmm[15], "sixteen bytes!!", 16);
        /* ST0's significand: 1.5 * 2^e instead of what it was. */
        fp->_st[0].significand[3] = 0xc000;
        fp->_st[0].significand[2] = 0;
        fp->_st[0].significand[1] = 0;
        fp->_st[0].significand[0] = 0;
    }
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    uint32_t mxcsr_in = 0x1f80 | 0x2000, mxcsr_out;   /* round down */
    uint16_t fcw_in = 0x027f, fcw_out, fsw_out;       /* double precision */
    uint32_t tmp;
    long double st_in[2] = { 3.25L, -1e300L }, st_out[2];

    setvbuf(stdout, NULL, _IOLBF, 0);
    mode = argc > 1 ? argv[1] : "basic";
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            in_xmm[i][j] = (uint8_t)(i * 16 + j + 1);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = sig_entry;
    sa.sa_flags = SA_SIGINFO;
    if (!strcmp(mode, "altstack")) {
        stack_t ss = { .ss_size = alt_size };

        alt_base = aligned_alloc(4096, alt_size);
        ss.ss_sp = alt_base;
        if (sigaltstack(&ss, NULL) != 0) {
            perror("sigaltstack");
            return 1;
        }
        sa.sa_flags |= SA_ONSTACK;
    }
    sigaction(SIGILL, &sa, NULL);
    __asm__ volatile(
        "fldcw %[fcw]\n\t"
        "ldmxcsr %[mx]\n\t"
        "fldt %[st1]\n\t"
        "fldt %[st0]\n\t"
        "movdqu 0(%[x]), %%xmm0\n\t"
        "movdqu 16(%[x]), %%xmm1\n\t"
        "movdqu 32(%[x]), %%xmm2\n\t"
        "movdqu 48(%[x]), %%xmm3\n\t"
        "movdqu 64(%[x]), %%xmm4\n\t"
        "movdqu 80(%[x]), %%xmm5\n\t"
        "movdqu 96(%[x]), %%xmm6\n\t"
        "movdqu 112(%[x]), %%xmm7\n\t"
        "movdqu 128(%[x]), %%xmm8\n\t"
        "movdqu 144(%[x]), %%xmm9\n\t"
        "movdqu 160(%[x]), %%xmm10\n\t"
        "movdqu 176(%[x]), %%xmm11\n\t"
        "movdqu 192(%[x]), %%xmm12\n\t"
        "movdqu 208(%[x]), %%xmm13\n\t"
        "movdqu 224(%[x]), %%xmm14\n\t"
        "movdqu 240(%[x]), %%xmm15\n\t"
        "ud2\n\t"
        "movdqu %%xmm0, 0(%[y])\n\t"
        "movdqu %%xmm1, 16(%[y])\n\t"
        "movdqu %%xmm2, 32(%[y])\n\t"
        "movdqu %%xmm3, 48(%[y])\n\t"
        "movdqu %%xmm4, 64(%[y])\n\t"
        "movdqu %%xmm5, 80(%[y])\n\t"
        "movdqu %%xmm6, 96(%[y])\n\t"
        "movdqu %%xmm7, 112(%[y])\n\t"
        "movdqu %%xmm8, 128(%[y])\n\t"
        "movdqu %%xmm9, 144(%[y])\n\t"
        "movdqu %%xmm10, 160(%[y])\n\t"
        "movdqu %%xmm11, 176(%[y])\n\t"
        "movdqu %%xmm12, 192(%[y])\n\t"
        "movdqu %%xmm13, 208(%[y])\n\t"
        "movdqu %%xmm14, 224(%[y])\n\t"
        "movdqu %%xmm15, 240(%[y])\n\t"
        "stmxcsr %[omx]\n\t"
        "fnstcw %[ofcw]\n\t"
        "fstpt %[ost0]\n\t"
        "fstpt %[ost1]\n\t"
        "fnstsw %[ofsw]\n\t"
        "fninit\n\t"
        "movl $0x1f80, %[tmp]\n\t"
        "ldmxcsr %[tmp]\n\t"
        : [omx] "=m"(mxcsr_out), [ofcw] "=m"(fcw_out), [ofsw] "=m"(fsw_out),
          [ost0] "=m"(st_out[0]), [ost1] "=m"(st_out[1]), [tmp] "=m"(tmp)
        : [fcw] "m"(fcw_in), [mx] "m"(mxcsr_in), [st0] "m"(st_in[0]),
          [st1] "m"(st_in[1]), [x] "r"(in_xmm), [y] "r"(out_xmm)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
          "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
          "xmm15", "st", "st(1)", "memory");
    printf("after: fcw %04x fsw %04x mxcsr %08x\n", fcw_out, fsw_out,
           mxcsr_out);
    print_bytes("after st0 ", &st_out[0], 10);
    print_bytes("after st1 ", &st_out[1], 10);
    for (int i = 0; i < 16; i++) {
        char name[32];

        snprintf(name, sizeof(name), "after xmm%d ", i);
        print_bytes(name, out_xmm[i], 16);
    }
    return 0;
}
