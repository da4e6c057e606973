/*
 * The x86-64 vCPU as accel/tcg sees it: the hooks both modes' TargetOps
 * share (reset, TB key, restore, -d cpu, disassembly, gdb's core
 * registers) and the CPU models, which decide what CPUID answers.  A
 * model advertises only what the translator implements: today the
 * integer instructions of 64-bit mode, CMOV, CMPXCHG8B/16B, CLFLUSH,
 * MOVBE, POPCNT, LZCNT, the TSC, SYSCALL and LAHF/SAHF, x87, MMX, FXSAVE/
 * FXRSTOR, SSE and SSE2 (x86-64's baseline, which glibc checks), SSE3,
 * SSSE3, SSE4.1 and SSE4.2, and no AVX (docs/devel/x86.md); its vendor
 * is AMD's, its caches a K8's.
 */
#include <capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "mimic/host-fp.h"
#include "decode.h"
#include "translate.h"

typedef struct X86CPUModel {
    const char *name;
    const char *desc;
    char vendor[13];            /* CPUID 0: EBX, EDX, ECX */
    char brand[49];             /* CPUID 0x80000002-4 */
    uint32_t max_leaf, max_ext_leaf;
    uint32_t leaf1_eax;         /* family, model, stepping */
    uint32_t leaf1_ecx, leaf1_edx;
    uint32_t ext1_ecx, ext1_edx;
    /* 0x80000005 ECX/EDX: L1 data and instruction caches; 0x80000006
       ECX/EDX: L2 and L3 (AMD's layouts, APM vol. 3, appendix E.4). */
    uint32_t l1d, l1i, l2, l3;
    uint32_t addr_sizes;        /* 0x80000008 EAX */
} X86CPUModel;

static const X86CPUModel x86_models[] = {
    {
        .name = "mimic",
        .desc = "Mimic's own x86-64 CPU: what the translator implements",
        /*
         * AMD's vendor string, as QEMU's default qemu64 model: programs
         * read CPUID's feature bits only from vendors they know (glibc
         * 2.36 skips leaf 1 otherwise, and its ld.so then refuses to run
         * anything: "CPU ISA level is lower than required").  What a
         * K8-like AMD CPU has is exactly x86-64's baseline, so the
         * family is K8's, 0Fh, with model 0, which no real K8 has: no
         * program applies a real model's errata workarounds.
         */
        .vendor = "AuthenticAMD",
        .brand = "Mimic x86-64 virtual CPU",
        .max_leaf = 1,
        .max_ext_leaf = 0x80000008,
        .leaf1_eax = 0xf00,
        .leaf1_ecx = X86_CPUID1_ECX_SSE3 | X86_CPUID1_ECX_SSSE3 |
                     X86_CPUID1_ECX_CX16 | X86_CPUID1_ECX_SSE41 |
                     X86_CPUID1_ECX_SSE42 | X86_CPUID1_ECX_MOVBE |
                     X86_CPUID1_ECX_POPCNT,
        .leaf1_edx = X86_MIMIC_CPUID1_EDX,
        /* No BMI1 (leaf 7), so F3 0F BC stays BSF: BMI1 also promises
           ANDN, BEXTR, BLSI, BLSMSK and BLSR, which are VEX-encoded. */
        .ext1_ecx = X86_CPUID_EXT1_ECX_LAHF_LM | X86_CPUID_EXT1_ECX_ABM,
        /* MmxExt: the MMX forms SSE added (PSHUFW, PINSRW, PEXTRW,
           PMOVMSKB, PAVG, PMIN/PMAX, PSADBW, PMULHUW, MASKMOVQ, MOVNTQ)
           with PREFETCHh and SFENCE: AMD's name for what runs here. */
        .ext1_edx = X86_CPUID_EXT1_EDX_SYSCALL | X86_CPUID_EXT1_EDX_MMXEXT |
                    X86_CPUID_EXT1_EDX_LM,
        /*
         * Caches for programs that size buffers by them (glibc's memcpy
         * thresholds: its non-temporal stores start at 3/4 of the last
         * level's size): a K8's, 64 KiB 2-way L1s with 64-byte lines
         * (size in KiB << 24, ways << 16, line size), a 512 KiB 16-way
         * L2 (size << 16, way code 8 << 12, line size) and no L3.  No
         * TopologyExtensions, so no leaf 0x8000001D.
         */
        .l1d = 64u << 24 | 2u << 16 | 64,
        .l1i = 64u << 24 | 2u << 16 | 64,
        .l2 = 512u << 16 | 8u << 12 | 64,
        .l3 = 0,
        /* 48 bits virtual (x86-64's 4-level paging), 40 physical; ECX 0:
           one core. */
        .addr_sizes = 48u << 8 | 40,
    },
};

static const X86CPUModel *model_of(const X86CPU *cpu)
{
    return cpu->model ? cpu->model : &x86_models[0];
}

void x86_cpu_print_list(FILE *f)
{
    fprintf(f, "Available CPUs:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(x86_models); i++)
        fprintf(f, "  %-12s %s\n", x86_models[i].name, x86_models[i].desc);
}

bool x86_cpu_set_model(X86CPU *cpu, const char *model, char **err)
{
    for (size_t i = 0; i < G_N_ELEMENTS(x86_models); i++) {
        if (strcmp(model, x86_models[i].name) == 0) {
            cpu->model = &x86_models[i];
            return true;
        }
    }
    *err = g_strdup_printf("unknown x86_64 CPU model '%s' (-cpu help "
                           "lists them)", model);
    return false;
}

/* Four characters of s as a CPUID register holds them. */
static uint32_t str4(const char *s)
{
    uint32_t v;

    memcpy(&v, s, 4);
    return v;
}

void x86_cpuid(const X86CPU *cpu, uint32_t leaf, uint32_t subleaf,
               uint32_t out[4])
{
    const X86CPUModel *m = model_of(cpu);
    char brand[48];

    (void)subleaf;
    memset(out, 0, 4 * sizeof(out[0]));
    /* Past the last leaf, Intel CPUs answer the highest basic leaf; zeros
       are AMD's answer and simpler for programs to read right. */
    if (leaf < 0x80000000u ? leaf > m->max_leaf : leaf > m->max_ext_leaf)
        return;
    switch (leaf) {
    case 0:
        out[0] = m->max_leaf;
        out[1] = str4(m->vendor);
        out[3] = str4(m->vendor + 4);
        out[2] = str4(m->vendor + 8);
        break;
    case 1:
        out[0] = m->leaf1_eax;
        /* CLFLUSH's line size in 8-byte units (bits 15:8), with CLFSH;
           APIC ID and logical CPU count 0. */
        if (m->leaf1_edx & X86_CPUID1_EDX_CLFSH)
            out[1] = (64 / 8) << 8;
        out[2] = m->leaf1_ecx;
        out[3] = m->leaf1_edx;
        break;
    case 0x80000000u:
        out[0] = m->max_ext_leaf;
        break;
    case 0x80000001u:
        out[2] = m->ext1_ecx;
        out[3] = m->ext1_edx;
        break;
    case 0x80000002u: case 0x80000003u: case 0x80000004u:
        memset(brand, 0, sizeof(brand));
        memcpy(brand, m->brand, strlen(m->brand));
        memcpy(out, brand + (leaf - 0x80000002u) * 16, 16);
        break;
    case 0x80000005u:
        out[2] = m->l1d;
        out[3] = m->l1i;
        break;
    case 0x80000006u:
        out[2] = m->l2;
        out[3] = m->l3;
        break;
    case 0x80000008u:
        out[0] = m->addr_sizes;
        break;
    }
}

bool x86_cpu_has_feature(const X86CPU *cpu, X86Feature f)
{
    static const struct {
        uint32_t leaf;
        int reg;            /* 0..3: eax..edx */
        uint32_t bit;
    } where[] = {
        [X86_FEAT_CX16] = { 1, 2, X86_CPUID1_ECX_CX16 },
        [X86_FEAT_CLFSH] = { 1, 3, X86_CPUID1_EDX_CLFSH },
        [X86_FEAT_MOVBE] = { 1, 2, X86_CPUID1_ECX_MOVBE },
        [X86_FEAT_POPCNT] = { 1, 2, X86_CPUID1_ECX_POPCNT },
        [X86_FEAT_LZCNT] = { 0x80000001u, 2, X86_CPUID_EXT1_ECX_ABM },
        [X86_FEAT_BMI1] = { 7, 1, X86_CPUID7_EBX_BMI1 },
        [X86_FEAT_SSE3] = { 1, 2, X86_CPUID1_ECX_SSE3 },
        [X86_FEAT_SSSE3] = { 1, 2, X86_CPUID1_ECX_SSSE3 },
        [X86_FEAT_SSE41] = { 1, 2, X86_CPUID1_ECX_SSE41 },
        [X86_FEAT_SSE42] = { 1, 2, X86_CPUID1_ECX_SSE42 },
    };
    uint32_t out[4];

    x86_cpuid(cpu, where[f].leaf, 0, out);
    return (out[where[f].reg] & where[f].bit) != 0;
}

void x86_reset(CPUState *cs)
{
    CPUX86State *env = &X86_CPU(cs)->env;

    memset(env, 0, sizeof(*env));
    /* IF and the reserved bit 1, as a Linux process starts; DF clear. */
    x86_set_eflags(env, X86_IF | 2);
    x87_reset(env);
    cs->exception_index = EXCP_NONE;
    cs->halted = false;
    x86_set_mxcsr(X86_CPU(cs), X86_MXCSR_RESET);
}

void x86_get_tb_key(CPUState *cs, uint64_t *pc, uint64_t *flags)
{
    const CPUX86State *env = &X86_CPU(cs)->env;

    *pc = env->rip;
    /* 64-bit code at CPL 3 is mode 0 (translate.h, X86_TB_*). */
    *flags = X86_TB_CODE64;
    if ((env->mxcsr & ~X86_MXCSR_FLAGS) == X86_MXCSR_RESET)
        *flags |= X86_TB_MXCSR_DEFAULT;
}

void x86_set_mxcsr(X86CPU *cpu, uint32_t mxcsr)
{
    cpu->env.mxcsr = mxcsr;
    cpu_update_tb_flags(&cpu->parent);
}

void x86_fold_fp_exc(CPUState *cs, unsigned exc)
{
    X86_CPU(cs)->env.mxcsr |=
        (exc & FP_EXC_INVALID ? X86_MXCSR_IE : 0) |
        (exc & FP_EXC_DENORMAL ? X86_MXCSR_DE : 0) |
        (exc & FP_EXC_DIVBYZERO ? X86_MXCSR_ZE : 0) |
        (exc & FP_EXC_OVERFLOW ? X86_MXCSR_OE : 0) |
        (exc & FP_EXC_UNDERFLOW ? X86_MXCSR_UE : 0) |
        (exc & FP_EXC_INEXACT ? X86_MXCSR_PE : 0);
}

void x86_fold_host_fp_exc(X86CPU *cpu)
{
    unsigned exc = host_fp_exc_take();

    if (exc)
        x86_fold_fp_exc(&cpu->parent, exc);
}

void x86_restore_state(CPUState *cs, uint64_t pc, uint64_t extra)
{
    X86_CPU(cs)->env.rip = pc;
    /* cc_op before the insn, if the translator knew it (the generated
       code does not store it before an access that may fault). */
    if (extra)
        X86_CPU(cs)->env.cc_op = (uint32_t)(extra - 1);
}

void x86_unaligned_access(CPUState *cs, uint64_t vaddr,
                          MMUAccessType access_type, int mmu_idx,
                          uintptr_t retaddr)
{
    (void)vaddr;
    (void)access_type;
    (void)mmu_idx;
    cs->exception_index = X86_EXCP_GP;
    X86_CPU(cs)->env.error_code = 0;
    cpu_loop_exit_restore(cs, retaddr);
}

void x86_dump_state(CPUState *cs, FILE *f)
{
    static const char *const names[16] = {
        "RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
        "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
    };
    static const char flag_chars[] = "ODITSZ-A-P-C";
    const CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t eflags = x86_get_eflags(env);
    char fl[13];

    /* The flags as QEMU's -d cpu shows them: O D I T S Z A P C or '-'. */
    for (int i = 0; i < 12; i++) {
        fl[i] = flag_chars[i] != '-' && (eflags >> (11 - i)) & 1
                ? flag_chars[i] : '-';
    }
    fl[12] = 0;
    for (int i = 0; i < 16; i++) {
        fprintf(f, "%-3s=%016" PRIx64 "%s", names[i], env->regs[i],
                (i & 3) == 3 ? "\n" : " ");
    }
    fprintf(f, "RIP=%016" PRIx64 " RFL=%08" PRIx64 " [%s]\n", env->rip,
            eflags, fl);
    fprintf(f, "FS_BASE=%016" PRIx64 " GS_BASE=%016" PRIx64 "\n",
            env->fs_base, env->gs_base);
    fprintf(f, "CCS=%016" PRIx64 " CCD=%016" PRIx64 " CC2=%016" PRIx64
            " CCO=%u\n", env->cc_src, env->cc_dst, env->cc_src2, env->cc_op);
}

/* -d in_asm and x/i: the length is our decoder's (what the translator
   takes), the text capstone's in AT&T syntax, as -d out_asm shows host
   code; without capstone, or if it reads the bytes otherwise, the
   decoder's own form ("add Ev,Gv"). */
int x86_disas(uint64_t pc, const uint8_t *code, unsigned avail, char *buf,
              size_t len)
{
    static __thread csh cs;
    static __thread int cs_state;   /* 0 not tried, 1 open, -1 failed */
    X86Insn insn;

    switch (x86_decode(X86_MODE_64, code, avail, &insn)) {
    case X86_DECODE_OK:
        break;
    case X86_DECODE_MORE:
        return 0;
    default:
        snprintf(buf, len, "(bad)");
        return 1;
    }
    if (cs_state == 0) {
        cs_state = cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK ? 1 : -1;
        if (cs_state == 1)
            cs_option(cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    }
    if (cs_state == 1) {
        cs_insn *ci;
        size_t n = cs_disasm(cs, code, insn.len, pc, 1, &ci);

        if (n == 1 && ci->size == insn.len) {
            snprintf(buf, len, "%s%s%s", ci->mnemonic,
                     ci->op_str[0] ? " " : "", ci->op_str);
            cs_free(ci, n);
            return insn.len;
        }
        if (n)
            cs_free(ci, n);
    }
    x86_format_insn(&insn, buf, len);
    return insn.len;
}

/* ---- gdb ---- */

/* gdb's amd64 order of the general registers. */
static const uint8_t gdb_gpr[16] = {
    R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
};

/* The selectors of a Linux x86-64 process: __USER_CS, __USER_DS. */
static const uint32_t gdb_seg[6] = { 0x33, 0x2b, 0, 0, 0, 0 };

int x86_gdb_read_register(CPUState *cs, uint8_t *buf, int reg)
{
    const CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t v;
    uint32_t v32;

    if (reg < 0 || reg >= X86_GDB_NUM_CORE_REGS)
        return 0;
    if (reg < 17) {
        v = reg < 16 ? env->regs[gdb_gpr[reg]] : env->rip;
        memcpy(buf, &v, 8);
        return 8;
    }
    v32 = reg == 17 ? (uint32_t)x86_get_eflags(env) : gdb_seg[reg - 18];
    memcpy(buf, &v32, 4);
    return 4;
}

int x86_gdb_write_register(CPUState *cs, const uint8_t *buf, int reg)
{
    CPUX86State *env = &X86_CPU(cs)->env;
    uint64_t v;
    uint32_t v32;

    if (reg < 0 || reg >= X86_GDB_NUM_CORE_REGS)
        return 0;
    if (reg < 17) {
        memcpy(&v, buf, 8);
        if (reg < 16)
            env->regs[gdb_gpr[reg]] = v;
        else
            env->rip = v;
        return 8;
    }
    memcpy(&v32, buf, 4);
    /* The segment registers cannot change in 64-bit user mode. */
    if (reg == 17)
        x86_set_eflags(env, v32);
    return 4;
}
