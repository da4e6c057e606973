/*
 * The runner of the x86-64 differential test: a static program without
 * libc (tests/user/x86_64/rt.h) that runs generated cases (gen.h) and
 * prints one line per case: the final registers, the arithmetic flags
 * and DF (less those the SDM leaves undefined there), the signal that
 * stopped the sequence (number, si_code, si_addr), a hash of the data
 * area, of the XMM registers and of the MMX registers, and MXCSR.  tests/functional/test-x86-diff.sh runs the same binary natively
 * and under mimic-x86_64 and compares the lines.
 *
 * A case runs in this process: xd_enter loads all 16 registers and the
 * flags and jumps to the code at XD_CODE; every sequence ends in ud2, so
 * it always stops by a signal (SIGILL there, or SIGFPE, SIGSEGV... on
 * the way), whose SA_SIGINFO handler, on an alternate stack so that the
 * signal frame never lands in the data area, copies the state out of
 * the ucontext and returns to xd_resume instead of the sequence.
 *
 *   runner SEED FIRST COUNT   run cases FIRST..FIRST+COUNT-1 of SEED
 *   runner -show SEED INDEX   one case in full: code, states, memory
 *   runner -stats SEED COUNT  generate only; count the distinct forms
 *   runner -code HEX 0        hand-written bytes (a regression case) from
 *                             case 0 of seed 0's state, every flag compared
 */
#include "../user/x86_64/rt.h"
#include "gen.h"

/* gcc may call these for struct copies even when freestanding. */
void *memcpy(void *d, const void *s, unsigned long n)
{
    u8 *dp = d;
    const u8 *sp = s;

    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, unsigned long n)
{
    u8 *dp = d;

    while (n--)
        *dp++ = (u8)c;
    return d;
}

#define SYS_MMAP 9
#define SYS_RT_SIGACTION 13
#define SYS_SIGALTSTACK 131
#define PROT_RW 3
#define PROT_RWX 7
#define MAP_PRIVATE_ANON_FIXED 0x32
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTORER 0x04000000

/* The state a signal caught, in encoding order (rax rcx rdx rbx ...). */
static struct {
    u64 regs[16];
    u64 rip, rflags, addr;
    int sig, code;
    u64 xmm[16][2];
    u32 mxcsr;
    u64 mm[8];
} result;

/* Read by xd_enter and xd_resume. */
__attribute__((used)) u64 xd_runner_sp;
__attribute__((used)) u64 xd_code_entry = XD_CODE;

void xd_enter(const u64 *regs_and_flags);
extern char xd_resume[];
void xd_restorer(void);

/* regs[0..15] in encoding order, then rflags, XMM0-15, MXCSR and MM0-7
   (XdCase's layout). */
__asm__(".globl xd_enter\n"
        "xd_enter:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n"
        "  push %r13\n  push %r14\n  push %r15\n"
        "  mov %rsp, xd_runner_sp(%rip)\n"
        "  ldmxcsr 392(%rdi)\n"
        "  movdqu 136(%rdi), %xmm0\n  movdqu 152(%rdi), %xmm1\n"
        "  movdqu 168(%rdi), %xmm2\n  movdqu 184(%rdi), %xmm3\n"
        "  movdqu 200(%rdi), %xmm4\n  movdqu 216(%rdi), %xmm5\n"
        "  movdqu 232(%rdi), %xmm6\n  movdqu 248(%rdi), %xmm7\n"
        "  movdqu 264(%rdi), %xmm8\n  movdqu 280(%rdi), %xmm9\n"
        "  movdqu 296(%rdi), %xmm10\n  movdqu 312(%rdi), %xmm11\n"
        "  movdqu 328(%rdi), %xmm12\n  movdqu 344(%rdi), %xmm13\n"
        "  movdqu 360(%rdi), %xmm14\n  movdqu 376(%rdi), %xmm15\n"
        "  movq 400(%rdi), %mm0\n  movq 408(%rdi), %mm1\n"
        "  movq 416(%rdi), %mm2\n  movq 424(%rdi), %mm3\n"
        "  movq 432(%rdi), %mm4\n  movq 440(%rdi), %mm5\n"
        "  movq 448(%rdi), %mm6\n  movq 456(%rdi), %mm7\n"
        "  pushq 128(%rdi)\n"
        "  popfq\n"
        "  mov 0(%rdi), %rax\n  mov 8(%rdi), %rcx\n  mov 16(%rdi), %rdx\n"
        "  mov 24(%rdi), %rbx\n  mov 32(%rdi), %rsp\n  mov 40(%rdi), %rbp\n"
        "  mov 48(%rdi), %rsi\n  mov 64(%rdi), %r8\n  mov 72(%rdi), %r9\n"
        "  mov 80(%rdi), %r10\n  mov 88(%rdi), %r11\n  mov 96(%rdi), %r12\n"
        "  mov 104(%rdi), %r13\n  mov 112(%rdi), %r14\n"
        "  mov 120(%rdi), %r15\n  mov 56(%rdi), %rdi\n"
        "  jmp *xd_code_entry(%rip)\n"
        ".globl xd_resume\n"
        "xd_resume:\n"
        "  mov xd_runner_sp(%rip), %rsp\n"
        "  cld\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n"
        "  pop %r12\n  pop %rbp\n  pop %rbx\n"
        "  ret\n"
        ".globl xd_restorer\n"
        "xd_restorer:\n"
        "  mov $15, %eax\n"         /* rt_sigreturn */
        "  syscall\n");

/* struct sigcontext's order of the general registers (asm/sigcontext.h)
   for each register in encoding order. */
static const u8 sc_index[16] = { 13, 14, 12, 11, 15, 10, 9, 8,
                                 0, 1, 2, 3, 4, 5, 6, 7 };

_Static_assert(__builtin_offsetof(XdCase, xmm) == 136 &&
               __builtin_offsetof(XdCase, mxcsr) == 392 &&
               __builtin_offsetof(XdCase, mm) == 400,
               "xd_enter's offsets");

/* XMM0-15, MXCSR and MM0-7 as the sequence left them: from the signal
   frame's fxsave area (uc_mcontext.fpstate: MXCSR at 24, the XMM
   registers at 160, ST0-7 at 32 in 16-byte slots, MMn being physical x87
   register n's low 64 bits, ST((n - TOP) & 7)), where Linux saves them
   before it gives the handler a clean FPU; or, when the frame has none
   (Mimic's, so far), from the registers themselves, which nothing has
   touched since (this C code has no SSE, MMX or x87). */
static void save_fp(const u64 *gregs)
{
    const u8 *fp = (const u8 *)gregs[23];

    if (fp) {
        unsigned top = (unsigned)(fp[3] >> 3) & 7;     /* FSW bits 13:11 */

        memcpy(result.xmm, fp + 160, sizeof(result.xmm));
        memcpy(&result.mxcsr, fp + 24, 4);
        for (unsigned n = 0; n < 8; n++)
            memcpy(&result.mm[n], fp + 32 + 16 * ((n - top) & 7), 8);
        return;
    }
    __asm__ volatile("movq %%mm0, 0(%0)\n\tmovq %%mm1, 8(%0)\n\t"
                     "movq %%mm2, 16(%0)\n\tmovq %%mm3, 24(%0)\n\t"
                     "movq %%mm4, 32(%0)\n\tmovq %%mm5, 40(%0)\n\t"
                     "movq %%mm6, 48(%0)\n\tmovq %%mm7, 56(%0)"
                     : : "r"(result.mm) : "memory");
    __asm__ volatile("movdqu %%xmm0, 0(%0)\n\tmovdqu %%xmm1, 16(%0)\n\t"
                     "movdqu %%xmm2, 32(%0)\n\tmovdqu %%xmm3, 48(%0)\n\t"
                     "movdqu %%xmm4, 64(%0)\n\tmovdqu %%xmm5, 80(%0)\n\t"
                     "movdqu %%xmm6, 96(%0)\n\tmovdqu %%xmm7, 112(%0)\n\t"
                     "movdqu %%xmm8, 128(%0)\n\tmovdqu %%xmm9, 144(%0)\n\t"
                     "movdqu %%xmm10, 160(%0)\n\tmovdqu %%xmm11, 176(%0)\n\t"
                     "movdqu %%xmm12, 192(%0)\n\tmovdqu %%xmm13, 208(%0)\n\t"
                     "movdqu %%xmm14, 224(%0)\n\tmovdqu %%xmm15, 240(%0)\n\t"
                     "stmxcsr %1"
                     : : "r"(result.xmm), "m"(result.mxcsr) : "memory");
}

static void on_signal(int sig, void *info, void *uc)
{
    u64 *gregs = (u64 *)((u8 *)uc + 40);    /* uc_mcontext */

    save_fp(gregs);

    for (int i = 0; i < 16; i++)
        result.regs[i] = gregs[sc_index[i]];
    result.rip = gregs[16];
    result.rflags = gregs[17];
    result.sig = sig;
    result.code = ((i32 *)info)[2];
    result.addr = *(u64 *)((u8 *)info + 16);
    /* Back to the runner, with the flags the C code expects. */
    gregs[16] = (u64)xd_resume;
    gregs[15] = xd_runner_sp;
    gregs[17] = 0x202;
}

static u8 altstack[65536] __attribute__((aligned(16)));

static void setup(void)
{
    static const int sigs[] = { 4, 5, 7, 8, 11 };   /* ILL TRAP BUS FPE SEGV */
    struct {
        void *handler;
        u64 flags;
        void *restorer;
        u64 mask;
    } sa = { (void *)on_signal, SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
             (void *)xd_restorer, 0 };
    struct {
        void *sp;
        i32 flags;
        u64 size;
    } ss = { altstack, 0, sizeof(altstack) };

    if (sys3(SYS_SIGALTSTACK, (i64)&ss, 0, 0) != 0) {
        put("runner: sigaltstack failed\n");
        rt_exit(2);
    }
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        if (sys6(SYS_RT_SIGACTION, sigs[i], (i64)&sa, 0, 8, 0, 0) != 0) {
            put("runner: rt_sigaction failed\n");
            rt_exit(2);
        }
    }
    if (sys6(SYS_MMAP, (i64)XD_DATA, XD_DATA_SIZE, PROT_RW,
             MAP_PRIVATE_ANON_FIXED, -1, 0) != (i64)XD_DATA ||
        sys6(SYS_MMAP, (i64)XD_GUARD, 4096, 0, MAP_PRIVATE_ANON_FIXED, -1,
             0) != (i64)XD_GUARD ||
        sys6(SYS_MMAP, (i64)XD_CODE, XD_CODE_SIZE, PROT_RWX,
             MAP_PRIVATE_ANON_FIXED, -1, 0) != (i64)XD_CODE) {
        put("runner: mmap failed\n");
        rt_exit(2);
    }
    memset((void *)XD_CODE, 0xcc, XD_CODE_SIZE);
}

/* ---- Output: one buffer per line ---- */

static char line[1024];
static unsigned line_len;

static void out(const char *s)
{
    while (*s && line_len < sizeof(line) - 1)
        line[line_len++] = *s++;
}

static void out_hex(u64 v, int digits)
{
    for (int i = digits - 1; i >= 0; i--)
        line[line_len++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
}

static void out_dec(u64 v)
{
    char b[24];
    int i = 23;

    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out(b + i);
}

static void flush(void)
{
    sys3(1, 1, (i64)line, line_len);
    line_len = 0;
}

static const char *const names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static void out_regs(const u64 *regs)
{
    for (int i = 0; i < 16; i++) {
        out(i ? " " : "");
        out(names[i]);
        out("=");
        out_hex(regs[i], 16);
    }
}

/* ---- Cases ---- */

static XdCase cur;
static unsigned prev_len;

static u64 data_hash(void)
{
    const u8 *d = (const u8 *)XD_DATA;
    u64 h = 0xcbf29ce484222325ull;

    for (unsigned i = 0; i < XD_DATA_SIZE; i++)
        h = (h ^ d[i]) * 0x100000001b3ull;
    return h;
}

static u64 xmm_hash(void)
{
    u64 h = 0xcbf29ce484222325ull;

    for (int i = 0; i < 16; i++)
        h = (((h ^ result.xmm[i][0]) * 0x100000001b3ull) ^
             result.xmm[i][1]) * 0x100000001b3ull;
    return h;
}

static u64 mm_hash(void)
{
    u64 h = 0xcbf29ce484222325ull;

    for (int i = 0; i < 8; i++)
        h = (h ^ result.mm[i]) * 0x100000001b3ull;
    return h;
}

/* The MMX registers: all of them (before) or those the case changed. */
static void out_mm(const char *what, const u64 *m, int changed_only)
{
    for (int i = 0; i < 8; i++) {
        if (changed_only && m[i] == cur.mm[i])
            continue;
        out(what);
        out("mm");
        out_dec((u64)i);
        out("=");
        out_hex(m[i], 16);
        out("\n");
        flush();
    }
}

/* The XMM registers: all of them (before) or those the case changed. */
static void out_xmm(const char *what, const u64 (*x)[2], int changed_only)
{
    for (int i = 0; i < 16; i++) {
        if (changed_only && x[i][0] == cur.xmm[i][0] &&
            x[i][1] == cur.xmm[i][1])
            continue;
        out(what);
        out("xmm");
        out_dec((u64)i);
        out("=");
        out_hex(x[i][1], 16);
        out_hex(x[i][0], 16);
        out("\n");
        flush();
    }
}

static void run_case(void)
{
    u8 *code = (u8 *)XD_CODE;
    unsigned end = cur.code_len > prev_len ? cur.code_len : prev_len;

    memcpy((void *)XD_DATA, cur.data, XD_DATA_SIZE);
    /* The code, and 0xcc after it (what RIP-relative loads read). */
    for (unsigned i = 0; i < end + 128 && i < XD_CODE_SIZE; i++)
        code[i] = i < cur.code_len ? cur.code[i] : 0xcc;
    prev_len = cur.code_len;
    result.sig = 0;
    cur.rflags |= 2;
    xd_enter(cur.regs);
}

/* The result line: registers, rip as an offset, flags less the
   undefined ones, signal, data hash. */
static void out_result(u64 index)
{
    unsigned undef = xd_undef_at(&cur, result.rip);

    out_dec(index);
    out(": ");
    out_regs(result.regs);
    out(" rip=+");
    out_hex(result.rip - XD_CODE, 4);
    out(" fl=");
    out_hex(result.rflags & (XD_ARITH | XD_DF) & ~undef, 3);
    out(" sig=");
    out_dec((u64)result.sig);
    out("/");
    out_dec((u64)result.code);
    out(" addr=");
    out_hex(result.addr, 16);
    out(" mem=");
    out_hex(data_hash(), 16);
    out(" xmm=");
    out_hex(xmm_hash(), 16);
    out(" mxcsr=");
    out_hex(result.mxcsr, 4);
    out(" mm=");
    out_hex(mm_hash(), 16);
    out("\n");
    flush();
}

static void show(u64 seed, u64 index)
{
    out("code:");
    for (unsigned i = 0; i < cur.code_len; i++) {
        out(" ");
        out_hex(cur.code[i], 2);
    }
    out("\nbefore: ");
    out_regs(cur.regs);
    out(" fl=");
    out_hex(cur.rflags & (XD_ARITH | XD_DF), 3);
    out(" mxcsr=");
    out_hex(cur.mxcsr, 4);
    out("\nundefined flags at the end: ");
    out_hex(cur.final_undef, 3);
    out("\n");
    flush();
    out_xmm("before: ", (const u64 (*)[2])cur.xmm, 0);
    out_mm("before: ", cur.mm, 0);
    run_case();
    out_result(index);
    out_xmm("changed: ", (const u64 (*)[2])result.xmm, 1);
    out_mm("changed: ", result.mm, 1);
    /* The 16-byte lines of the data area that the sequence changed. */
    for (unsigned i = 0; i < XD_DATA_SIZE; i += 16) {
        const u8 *now = (const u8 *)XD_DATA + i;
        int changed = 0;

        for (int b = 0; b < 16; b++)
            changed |= now[b] != cur.data[i + b];
        if (!changed)
            continue;
        out("mem +");
        out_hex(i, 4);
        out(":");
        for (int b = 0; b < 16; b++) {
            out(" ");
            out_hex(cur.data[i + b], 2);
        }
        out(" ->");
        for (int b = 0; b < 16; b++) {
            out(" ");
            out_hex(now[b], 2);
        }
        out("\n");
        flush();
    }
    (void)seed;
}

static u64 parse(const char *s)
{
    u64 v = 0;

    if (!s)
        return 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (u64)(*s++ - '0');
    return v;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                                  : -1;
}

/* A hand-written case: the bytes, then ud2; no flag is masked. */
static void load_hex(const char *s)
{
    xd_generate(&cur, 0, 0);
    cur.code_len = 0;
    cur.ninsns = 0;
    cur.final_undef = 0;
    while (s[0] && s[1] && cur.code_len < XD_MAX_CODE - 2) {
        if (hex_digit(s[0]) < 0 || hex_digit(s[1]) < 0) {
            s++;
            continue;
        }
        cur.code[cur.code_len++] = (u8)(hex_digit(s[0]) << 4 | hex_digit(s[1]));
        s += 2;
    }
    cur.code[cur.code_len++] = 0x0f;
    cur.code[cur.code_len++] = 0x0b;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int main(int argc, char **argv, char **envp)
{
    u64 seed, first, count;

    (void)envp;
    if (argc != 4) {
        put("usage: runner SEED FIRST COUNT | -show SEED INDEX | "
            "-stats SEED COUNT\n");
        return 2;
    }
    if (streq(argv[1], "-stats")) {
        seed = parse(argv[2]);
        count = parse(argv[3]);
        for (u64 i = 0; i < count; i++)
            xd_generate(&cur, seed, i);
        out("forms: ");
        out_dec(xd_forms_seen());
        out("\n");
        flush();
        return 0;
    }
    setup();
    if (streq(argv[1], "-code")) {
        load_hex(argv[2]);
        show(0, 0);
        return 0;
    }
    if (streq(argv[1], "-show")) {
        seed = parse(argv[2]);
        first = parse(argv[3]);
        xd_generate(&cur, seed, first);
        show(seed, first);
        return 0;
    }
    seed = parse(argv[1]);
    first = parse(argv[2]);
    count = parse(argv[3]);
    for (u64 i = first; i < first + count; i++) {
        xd_generate(&cur, seed, i);
        run_case();
        out_result(i);
    }
    return 0;
}
