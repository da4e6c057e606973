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
 *   runner SEED FIRST COUNT REF   the same, and where a fuzzy slot (an
 *                             x87 transcendental's result) is one ulp
 *                             from REF's (the native run's output),
 *                             print REF's
 *   runner -show SEED INDEX   one case in full: code, states, memory
 *   runner -step SEED INDEX   the case stopped after each insn in turn
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
    u16 fcw, fsw, fop;
    u8 ftw;
    u64 fip, fdp;
    u8 fpr[8][10];      /* physical registers R0-R7 */
} result;

/* Read by xd_enter and xd_resume. */
__attribute__((used)) u64 xd_runner_sp;
__attribute__((used)) u64 xd_code_entry = XD_CODE;

void xd_enter(const u64 *regs_and_flags);
extern char xd_resume[];
void xd_restorer(void);

/* The x87, MMX and SSE state a case starts with, in FXSAVE's layout
   (run_case builds it from the XdCase; xd_enter loads it with FXRSTOR64). */
__attribute__((used, aligned(16))) u8 xd_fximage[512];

/* regs[0..15] in encoding order, then rflags (XdCase's layout); the
   rest of the state comes from xd_fximage. */
__asm__(".globl xd_enter\n"
        "xd_enter:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n"
        "  push %r13\n  push %r14\n  push %r15\n"
        "  mov %rsp, xd_runner_sp(%rip)\n"
        "  fxrstor64 xd_fximage(%rip)\n"
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

_Static_assert(__builtin_offsetof(XdCase, rflags) == 128,
               "xd_enter's offsets");

/* The x87, MMX and SSE state as the sequence left it: from the signal
   frame's fxsave area (uc_mcontext.fpstate: FCW, FSW, the abridged tag,
   FOP, FIP, FDP, MXCSR, ST0-7 in 16-byte slots from 32, the XMM
   registers from 160), where Linux and Mimic save it before they give
   the handler a clean FPU.  The registers are kept by their physical
   number: ST(i) is R((TOP + i) & 7), and MMn is Rn's low 64 bits. */
static void save_fp(const u64 *gregs)
{
    const u8 *fp = (const u8 *)gregs[23];
    unsigned top;

    if (!fp) {
        memset(&result.xmm, 0, sizeof(result.xmm));
        result.mxcsr = 0xdead;
        return;
    }
    memcpy(&result.fcw, fp, 2);
    memcpy(&result.fsw, fp + 2, 2);
    result.ftw = fp[4];
    memcpy(&result.fop, fp + 6, 2);
    memcpy(&result.fip, fp + 8, 8);
    memcpy(&result.fdp, fp + 16, 8);
    memcpy(&result.mxcsr, fp + 24, 4);
    memcpy(result.xmm, fp + 160, sizeof(result.xmm));
    top = (unsigned)(result.fsw >> 11) & 7;
    for (unsigned n = 0; n < 8; n++)
        memcpy(result.fpr[n], fp + 32 + 16 * ((n - top) & 7), 10);
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
        sys6(SYS_MMAP, (i64)XD_FUZZ, 4096, PROT_RW, MAP_PRIVATE_ANON_FIXED,
             -1, 0) != (i64)XD_FUZZ ||
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

/* The eight x87 registers, 80 bits each (MM0-7 are their low halves). */
static u64 fpr_hash(void)
{
    u64 h = 0xcbf29ce484222325ull;

    for (int i = 0; i < 8; i++)
        for (int b = 0; b < 10; b++)
            h = (h ^ result.fpr[i][b]) * 0x100000001b3ull;
    return h;
}

static void out_x80(const u8 *v)
{
    for (int b = 9; b >= 0; b--)
        out_hex(v[b], 2);
}

/* The x87 registers R0-R7: all of them (before) or those the case
   changed. */
static void out_fpr(const char *what, const u8 (*r)[10], int changed_only)
{
    for (int i = 0; i < 8; i++) {
        int same = 1;

        for (int b = 0; b < 10; b++)
            same &= r[i][b] == cur.fpr[i][b];
        if (changed_only && same)
            continue;
        out(what);
        out("r");
        out_dec((u64)i);
        out("=");
        out_x80(r[i]);
        out("\n");
        flush();
    }
}

/* ---- Fuzzy slots ---- */

/* The native run's output (runner SEED FIRST COUNT REF), read by the
   run under Mimic to compare the fuzzy slots within one ulp. */
static const char *ref, *ref_end;

/* An 80-bit value as a 128-bit ordinal: consecutive finite values of
   one sign are consecutive integers (exponent, then the fraction; the
   explicit integer bit only tells denormals from normals). */
static unsigned __int128 x80_ord(const u8 *v)
{
    u64 sig;
    unsigned e = (unsigned)(v[9] & 0x7f) << 8 | v[8];

    memcpy(&sig, v, 8);
    if (!e)
        return sig;
    return (unsigned __int128)e << 63 | (sig & ~(1ull << 63));
}

/* Whether a and b are one ulp apart: finite, normal or denormal (J set
   exactly when the exponent is not 0), same sign. */
static int one_ulp(const u8 *a, const u8 *b)
{
    unsigned __int128 x, y;

    if ((a[9] ^ b[9]) & 0x80)
        return 0;
    for (int k = 0; k < 2; k++) {
        const u8 *v = k ? b : a;
        unsigned e = (unsigned)(v[9] & 0x7f) << 8 | v[8];

        if (e == 0x7fff || !(v[7] >> 7) != !e)
            return 0;
    }
    x = x80_ord(a);
    y = x80_ord(b);
    return x - y == 1 || y - x == 1;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                                  : -1;
}

/* The reference's fuzzy slot n of case index into v; 0 if none. */
static int ref_slot(u64 index, unsigned n, u8 v[10])
{
    char key[24];
    int k = 23;
    u64 i = index;

    key[k] = 0;
    key[--k] = ':';
    do {
        key[--k] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    while (ref < ref_end) {
        const char *p = ref, *q = key + k, *eol = ref;

        while (eol < ref_end && *eol != '\n')
            eol++;
        while (*q && p < eol && *p == *q)
            p++, q++;
        if (*q) {
            ref = eol + 1;          /* an earlier case's line */
            continue;
        }
        for (; p + 4 < eol; p++) {
            if (p[0] == ' ' && p[1] == 'f' && p[2] == 'z' && p[3] == '=')
                break;
        }
        p += 4 + 21 * n;
        if (p + 20 > eol)
            return 0;
        for (int b = 9; b >= 0; b--, p += 2) {
            if (hexval(p[0]) < 0 || hexval(p[1]) < 0)
                return 0;
            v[b] = (u8)(hexval(p[0]) << 4 | hexval(p[1]));
        }
        return 1;
    }
    return 0;
}

/* The fuzzy slots: the 80-bit results of transcendentals, printed as
   the native run's where this run's is one ulp away from it (the
   tolerance docs/devel/x86.md states for them). */
static void out_fuzzy(u64 index)
{
    out(" fz=");
    for (unsigned n = 0; n < cur.nfuzz; n++) {
        u8 v[10], r[10];

        memcpy(v, (const u8 *)XD_FUZZ + 16 * n, 10);
        if (ref && ref_slot(index, n, r) && one_ulp(v, r))
            memcpy(v, r, 10);
        out(n ? "," : "");
        out_x80(v);
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
    memset((void *)XD_FUZZ, 0, 16 * XD_MAX_FUZZ);
    /* The FXRSTOR64 image: FCW, FSW, abridged tag, MXCSR, ST0-7 (R(TOP),
       R(TOP + 1), ...), XMM0-15; FOP, FIP and FDP zero. */
    memset(xd_fximage, 0, sizeof(xd_fximage));
    memcpy(xd_fximage, &cur.fcw, 2);
    memcpy(xd_fximage + 2, &cur.fsw, 2);
    xd_fximage[4] = cur.ftw;
    memcpy(xd_fximage + 24, &cur.mxcsr, 4);
    for (unsigned i = 0; i < 8; i++)
        memcpy(xd_fximage + 32 + 16 * i, cur.fpr[((cur.fsw >> 11) + i) & 7], 10);
    memcpy(xd_fximage + 160, cur.xmm, sizeof(cur.xmm));
    result.sig = 0;
    cur.rflags |= 2;
    xd_enter(cur.regs);
}

/* The result line: registers, rip as an offset, flags less the
   undefined ones, signal, data hash, XMM hash and MXCSR; the x87
   state: FCW, FSW less the condition codes undefined there, the
   abridged tags, a hash of R0-R7, and FOP:FIP:FDP when an exception is
   pending (ES): AMD CPUs, this one too, store them only then (FXSAVE,
   and XSAVE for the signal frame), where Mimic keeps the last x87
   insn's (docs/devel/x86.md); then the fuzzy slots. */
/* X86_DIFF_NO_FDP=1 (test-x86-diff.sh sets it on AMD hosts): FDP is
   not printed.  Such a host stores it only while an exception is pending
   (ES), so a context switch after the last memory-operand x87 insn and
   before ES is set zeroes it for good (XSAVE stores zero, XRSTOR loads
   it), where FOP and FIP come back with the next x87 insn: seen once in
   a make check pair, seed 5 case 7874 (docs/devel/x86.md). */
static int no_fdp;

static void out_result(u64 index)
{
    unsigned undef = xd_undef_at(&cur, result.rip);
    unsigned fundef = xd_fundef_at(&cur, result.rip);
    int es = result.fsw & 0x80;

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
    out(" fcw=");
    out_hex(result.fcw, 4);
    out(" fsw=");
    out_hex(result.fsw & ~fundef, 4);
    out(" ftw=");
    out_hex(result.ftw, 2);
    out(" st=");
    out_hex(fpr_hash(), 16);
    out(" ptr=");
    out_hex(es ? result.fop : 0, 3);
    out(":");
    out_hex(es ? result.fip : 0, 16);
    out(":");
    out_hex(es && !no_fdp ? result.fdp : 0, 16);
    out_fuzzy(index);
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
    out(" fcw=");
    out_hex(cur.fcw, 4);
    out(" fsw=");
    out_hex(cur.fsw, 4);
    out(" ftw=");
    out_hex(cur.ftw, 2);
    out("\nundefined flags at the end: ");
    out_hex(cur.final_undef, 3);
    out(", fsw bits: ");
    out_hex(cur.final_fundef, 4);
    out("\n");
    flush();
    out_xmm("before: ", (const u64 (*)[2])cur.xmm, 0);
    out_fpr("before: ", (const u8 (*)[10])cur.fpr, 0);
    run_case();
    out_result(index);
    out_xmm("changed: ", (const u64 (*)[2])result.xmm, 1);
    out_fpr("changed: ", (const u8 (*)[10])result.fpr, 1);
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
    cur.final_fundef = 0;
    cur.nfuzz = 0;
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

/* Maps the native run's output, for out_fuzzy. */
static int map_ref(const char *path)
{
    i64 fd = sys3(2, (i64)path, 0, 0), size, p;     /* open O_RDONLY */

    if (fd < 0) {
        put("runner: cannot open the reference output\n");
        return 0;
    }
    size = sys3(8, fd, 0, 2);                       /* lseek SEEK_END */
    p = size > 0 ? sys6(SYS_MMAP, 0, size, 1, 2, fd, 0) : 0;
    sys3(3, fd, 0, 0);
    if (size > 0 && (p < 0 && p > -4096)) {
        put("runner: cannot map the reference output\n");
        return 0;
    }
    ref = size > 0 ? (const char *)p : 0;
    ref_end = ref ? ref + size : 0;
    return 1;
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

    for (char **e = envp; *e; e++) {
        xd_x87 &= !streq(*e, "X86_DIFF_X87=0");
        no_fdp |= streq(*e, "X86_DIFF_NO_FDP=1");
    }
    if (argc != 4 && argc != 5) {
        put("usage: runner SEED FIRST COUNT [REF] | -show SEED INDEX | "
            "-stats SEED COUNT | -code HEX 0\n");
        return 2;
    }
    if (argc == 5 && !map_ref(argv[4]))
        return 2;
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
    if (streq(argv[1], "-step")) {
        /* The case cut after each of its insns in turn (a ud2 put there
           instead), one line each: where native and Mimic part. */
        seed = parse(argv[2]);
        first = parse(argv[3]);
        xd_generate(&cur, seed, first);
        for (unsigned k = 1; k < cur.ninsns; k++) {
            XdCase whole = cur;

            cur.code_len = cur.insn_off[k] + 2u;
            cur.code[cur.insn_off[k]] = 0x0f;
            cur.code[cur.insn_off[k] + 1] = 0x0b;
            run_case();
            out_result(k);
            cur = whole;
        }
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
