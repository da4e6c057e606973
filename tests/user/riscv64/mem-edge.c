/*
 * Loads and stores whose base register and 12-bit offset together leave
 * the address space, or come back into it: below address 0 (the sum
 * wraps), past the top of the user space and of any host reservation an
 * emulator might keep (2^38 ... 2^63), across the end of a mapping, and
 * from an unmapped base back into a mapped page.  Each access that
 * faults must die of SIGSEGV with si_addr = base + offset (modulo 2^64)
 * and SEGV_MAPERR (as Linux on an Sv39 or Sv48 hart: an address no page
 * maps, or one outside the virtual address space, is a page fault whose
 * stval the kernel passes on); each that is valid must load or store its
 * value.  Each case checks itself; the output is one line per wrong case
 * and a count.  Exits 0.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code;

static int cases, wrong;
static volatile int skipping;           /* step over faults, count them */
static volatile uintptr_t skipped[4];

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    if (skipping) {
        if (skipping <= 4)
            skipped[skipping - 1] = (uintptr_t)si->si_addr;
        skipping++;
        uc->uc_mcontext.__gregs[REG_PC] += 4;   /* the faulting ld */
        return;
    }
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    siglongjmp(jb, 1);
}

/* Two loads at one base in one block, the first stepped over by the
   handler: the second must fault on its own (an emulator that checks a
   base once per block must not trust it after a fault). */
static void twice(uintptr_t base)
{
    uint64_t a = 1, b = 2;

    skipping = 1;
    __asm__ volatile(".option push\n.option norvc\n"
                     "ld %0, 0(%2)\n"
                     "ld %1, 2040(%2)\n"
                     ".option pop"
                     : "+r"(a), "+r"(b) : "r"(base) : "memory");
    cases++;
    if (skipping != 3 || skipped[0] != base || skipped[1] != base + 2040 ||
        a != 1 || b != 2) {
        printf("two loads at %#lx: %d faults at %#lx %#lx\n",
               (unsigned long)base, skipping - 1, (unsigned long)skipped[0],
               (unsigned long)skipped[1]);
        wrong++;
    }
    skipping = 0;
}

/* One access at base + OFF (a constant in the instruction itself). */
#define ACCESS(name, insn, off)                                               \
    static uint64_t name(uintptr_t base, uint64_t v)                          \
    {                                                                         \
        __asm__ volatile(insn " %0, " #off "(%1)"                             \
                         : "+r"(v) : "r"(base) : "memory");                   \
        return v;                                                             \
    }
ACCESS(ld_m8, "ld", -8)
ACCESS(ld_m2048, "ld", -2048)
ACCESS(sd_m2048, "sd", -2048)
ACCESS(lb_p2047, "lbu", 2047)
ACCESS(sw_p2040, "sw", 2040)
ACCESS(ld_p16, "ld", 16)
ACCESS(ld_m24, "ld", -24)
ACCESS(sd_m24, "sd", -24)

typedef uint64_t (*AccessFn)(uintptr_t, uint64_t);


/* fn(base, v) must fault at want (value 0: must not fault and give
   value instead). */
static void try(const char *what, AccessFn fn, uintptr_t base, uint64_t v,
                uintptr_t want, uint64_t value)
{
    uint64_t r;

    cases++;
    fault_addr = 0;
    fault_code = 0;
    if (sigsetjmp(jb, 1)) {
        if (!want || fault_addr != want || fault_code != SEGV_MAPERR) {
            printf("%s: SIGSEGV at %#lx code %d, want %#lx\n", what,
                   (unsigned long)fault_addr, fault_code,
                   (unsigned long)want);
            wrong++;
        }
        return;
    }
    r = fn(base, v);
    if (want || r != value) {
        printf("%s: gave %#lx, want %s %#lx\n", what, (unsigned long)r,
               want ? "a fault at" : "the value",
               (unsigned long)(want ? want : value));
        wrong++;
    }
}

int main(void)
{
    struct sigaction sa;
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *p;
    char what[64];

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* Below 0: the sum wraps to the top of the 64-bit space. */
    try("ld -8(0)", ld_m8, 0, 0, -8ul, 0);
    try("ld -2048(0)", ld_m2048, 0, 0, -2048ul, 0);
    try("sd -2048(8)", sd_m2048, 8, 1, -2040ul, 0);
    try("lbu 2047(0): page 0", lb_p2047, 0, 0, 2047, 0);
    try("ld -8(2^64 - 8)", ld_m8, -8ul, 0, -16ul, 0);

    /* Around each power of two an emulator may use as its limit (from
       2^39: the top of an Sv39 space holds the stack). */
    for (int bits = 39; bits <= 63; bits++) {
        uintptr_t top = (uintptr_t)1 << bits;

        snprintf(what, sizeof(what), "lbu 2047(2^%d - 8)", bits);
        try(what, lb_p2047, top - 8, 0, top + 2039, 0);
        snprintf(what, sizeof(what), "sw 2040(2^%d - 4)", bits);
        try(what, sw_p2040, top - 4, 2, top + 2036, 0);
        snprintf(what, sizeof(what), "ld -8(2^%d + 8)", bits);
        try(what, ld_m8, top + 8, 0, top, 0);
        snprintf(what, sizeof(what), "ld -2048(2^%d)", bits);
        try(what, ld_m2048, top, 0, top - 2048, 0);
    }

    /* Two pages, the second unmapped: across the end, and back in from
       the unmapped one. */
    p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    munmap(p + page, page);
    memcpy(p + page - 8, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
    try("ld 16(end - 8): past the mapping", ld_p16, (uintptr_t)p + page - 8,
        0, (uintptr_t)p + page + 8, 0);
    try("ld -24(end + 16): back inside", ld_m24, (uintptr_t)p + page + 16, 0,
        0, 0x8877665544332211ull);
    try("sd -24(end + 16): back inside", sd_m24, (uintptr_t)p + page + 16,
        0x0102030405060708ull, 0, 0x0102030405060708ull);
    if (*(uint64_t *)(p + page - 8) != 0x0102030405060708ull) {
        printf("the store back inside stored %#lx\n",
               (unsigned long)*(uint64_t *)(p + page - 8));
        wrong++;
    }
    try("lbu 2047(end - 1024)", lb_p2047, (uintptr_t)p + page - 1024, 0,
        (uintptr_t)p + page + 1023, 0);
    twice(1ul << 39);
    twice(1ul << 63);
    twice(-16ul);
    twice((uintptr_t)p + page);
    printf("%d accesses, %d wrong\n", cases, wrong);
    return 0;
}
