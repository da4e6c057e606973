/*
 * The signal frame saves the FP state: a handler that changes FP
 * registers and the rounding mode does not change them for the code it
 * interrupted; the handler reads the interrupted registers from its
 * ucontext (an integer register, fa0 and fcsr), and a change it makes
 * there to an integer register is what the interrupted code gets back
 * (rt_sigreturn restores from the frame).  Then a load faults right
 * after an inexact division: the SIGSEGV handler's fcsr in the frame has
 * NX (Mimic computes fdiv on the host FPU and keeps its flags pending
 * there; a fault had lost them).  Exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static volatile double seen_fa0;
static volatile unsigned seen_fcsr;
static volatile uint64_t seen_s1;
static volatile double in_handler;
static volatile unsigned fault_fcsr;

/* SIGSEGV: the frame's fcsr, then on past the faulting 4-byte load. */
static void fault_handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    (void)sig;
    (void)si;
    fault_fcsr = uc->uc_mcontext.__fpregs.__d.__fcsr;
    uc->uc_mcontext.__gregs[0] += 4;
}

static void fault_after_fdiv(void)
{
    struct sigaction sa;
    double one = 1.0, three = 3.0, q;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "fsflags zero\n\t"
                     "fdiv.d %[q], %[one], %[three]\n\t"
                     "ld t0, 0(zero)\n\t"
                     ".option pop"
                     : [q] "=f"(q) : [one] "f"(one), [three] "f"(three)
                     : "t0", "memory");
    printf("fault after an inexact fdiv: frame fflags %u (q %.17g)\n",
           fault_fcsr & 31, q);
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    double x = 3.0;

    memcpy((void *)&seen_fa0, &uc->uc_mcontext.__fpregs.__d.__f[10], 8);
    seen_fcsr = uc->uc_mcontext.__fpregs.__d.__fcsr;
    seen_s1 = uc->uc_mcontext.__gregs[9];
    /* Clobber FP state: registers, round towards zero, flags. */
    __asm__ volatile("fmv.d.x fa0, zero\n\t"
                     "fmv.d.x fs0, zero\n\t"
                     "fsrmi 1\n\t"
                     "fcvt.d.w ft0, zero\n\t"
                     ::: "fa0", "fs0", "ft0");
    in_handler = x / 7.0;
    /* The interrupted code's a3 becomes 42 on return. */
    uc->uc_mcontext.__gregs[13] = 42;
}

int main(void)
{
    struct sigaction sa;
    double a = 1.0 / 3.0, b, s;
    uint64_t s1_out, a3_out;
    unsigned frm_out;
    pid_t pid = getpid();

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    /* fa0 and fs0 hold values across a kill(2) made by hand, with the
       rounding mode set to round-down (2). */
    __asm__ volatile(
        "fmv.d fa0, %[a]\n\t"
        "fmv.d fs0, %[a]\n\t"
        "fsrmi 2\n\t"
        "li s1, 0x1234\n\t"
        "li a3, 7\n\t"
        "mv a0, %[pid]\n\t"
        "li a1, 10\n\t"
        "li a7, 129\n\t"
        "ecall\n\t"
        "fmv.d %[b], fa0\n\t"
        "fmv.d %[s], fs0\n\t"
        "frrm %[frm]\n\t"
        "fsrmi 0\n\t"
        "mv %[s1], s1\n\t"
        "mv %[a3], a3\n\t"
        : [b] "=f"(b), [s] "=f"(s), [frm] "=r"(frm_out), [s1] "=r"(s1_out),
          [a3] "=r"(a3_out)
        : [a] "f"(a), [pid] "r"((long)pid)
        : "fa0", "fs0", "s1", "a0", "a1", "a3", "a7", "memory");
    printf("handler saw fa0 %.17g fcsr.frm %u s1 %#llx\n", seen_fa0,
           seen_fcsr >> 5, (unsigned long long)seen_s1);
    printf("after: fa0 kept %d fs0 kept %d frm %u\n", b == a, s == a,
           frm_out);
    printf("a3 set by the handler: %llu, s1 %#llx\n",
           (unsigned long long)a3_out, (unsigned long long)s1_out);
    printf("handler computed %.17g\n", in_handler);
    fault_after_fdiv();
    return 0;
}
