/*
 * Support for the S-mode, paging and PMP tests (priv_*, mmu_*, pmp_*):
 * running a function in S- or U-mode from M-mode (run_mode), an S-mode
 * trap vector that records delegated traps (s_vec, s_rec), and a small
 * page-table builder for Sv39/Sv48/Sv57 (pt_*).  Include it from exactly
 * one file of a test: it defines the assembly routines.
 *
 * U-mode code must sit in a page that U may execute once paging is on:
 * the routines between upage_start and upage_end share one 4 KiB page
 * (u_load, u_store, u_jump and the U-mode exit stub), which mmu_identity()
 * maps with the U bit.
 */
#ifndef TCG_RISCV64_SMODE_H
#define TCG_RISCV64_SMODE_H

#include "lib.h"
#include "insn.h"

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE  (1UL << 1)
#define MSTATUS_SPIE (1UL << 5)
#define MSTATUS_SPP  (1UL << 8)
#define MSTATUS_SUM  (1UL << 18)
#define MSTATUS_MXR  (1UL << 19)
#define MSTATUS_TVM  (1UL << 20)
#define MSTATUS_TW   (1UL << 21)
#define MSTATUS_TSR  (1UL << 22)

#define IRQ_SSI 1
#define IRQ_STI 5
#define IRQ_SEI 9
#define MIP_SSIP (1UL << IRQ_SSI)
#define MIP_STIP (1UL << IRQ_STI)
#define MIP_SEIP (1UL << IRQ_SEI)
#define INTR (1UL << 63)

#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE  13
#define CAUSE_STORE_PAGE 15

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_AD (PTE_A | PTE_D)

#define SATP_SV39 8UL
#define SATP_SV48 9UL
#define SATP_SV57 10UL

/* Runs fn(arg) in mode (PRV_S or PRV_U) and returns its result in M-mode
   (fn returns into an ecall that the M-mode trap hook turns back). */
long run_mode(long (*fn)(long), long arg, long mode);
extern char rm_exit_s[], rm_exit_u[], rm_return_m[];
extern char upage_start[], upage_end[];
/* U-page routines: load 8 bytes at a0; store 0x5a at a0 (returns 0);
   jump to a0. */
long u_load(long addr);
long u_store(long addr);
long u_jump(long addr);

/* What s_vec saw last; count counts every trap it took. */
struct s_record {
    u64 cause, epc, tval, status, count, t1;
};
extern volatile struct s_record s_rec;
extern char s_vec[];

__asm__(
    ".pushsection .text.smode, \"ax\", @progbits\n"
    ".option push\n"
    ".option norvc\n"
    ".balign 4\n"
    ".globl run_mode\n"
    "run_mode:\n"
    "  la t0, rm_save\n"
    "  sd ra, 0(t0)\n  sd sp, 8(t0)\n  sd gp, 16(t0)\n  sd tp, 24(t0)\n"
    "  sd s0, 32(t0)\n  sd s1, 40(t0)\n  sd s2, 48(t0)\n  sd s3, 56(t0)\n"
    "  sd s4, 64(t0)\n  sd s5, 72(t0)\n  sd s6, 80(t0)\n  sd s7, 88(t0)\n"
    "  sd s8, 96(t0)\n  sd s9, 104(t0)\n  sd s10, 112(t0)\n  sd s11, 120(t0)\n"
    "  csrw mepc, a0\n"
    "  li t1, 0x1800\n"
    "  csrc mstatus, t1\n"
    "  slli t1, a2, 11\n"
    "  csrs mstatus, t1\n"
    "  la ra, rm_exit_s\n"
    "  bnez a2, 1f\n"
    "  la ra, rm_exit_u\n"
    "1: mv a0, a1\n"
    "  mret\n"
    ".globl rm_exit_s\n"
    "rm_exit_s:\n"
    "  ecall\n"
    "  j rm_exit_s\n"
    ".globl rm_return_m\n"
    "rm_return_m:\n"
    "  la t0, rm_save\n"
    "  ld ra, 0(t0)\n  ld sp, 8(t0)\n  ld gp, 16(t0)\n  ld tp, 24(t0)\n"
    "  ld s0, 32(t0)\n  ld s1, 40(t0)\n  ld s2, 48(t0)\n  ld s3, 56(t0)\n"
    "  ld s4, 64(t0)\n  ld s5, 72(t0)\n  ld s6, 80(t0)\n  ld s7, 88(t0)\n"
    "  ld s8, 96(t0)\n  ld s9, 104(t0)\n  ld s10, 112(t0)\n  ld s11, 120(t0)\n"
    "  ret\n"
    /* S-mode trap vector: record, then skip the (4-byte) insn, or for an
       interrupt disable its source in sie (and clear SSIP).  The U-mode
       exit ecall is passed on to M-mode. */
    ".balign 4\n"
    ".globl s_vec\n"
    "s_vec:\n"
    "  csrw sscratch, t0\n"
    "  la t0, s_rec\n"
    "  sd t1, 40(t0)\n"
    "  csrr t1, scause\n"
    "  bltz t1, 2f\n"
    "  csrr t1, sepc\n"
    "  la t0, rm_exit_u\n"
    "  beq t1, t0, 4f\n"
    "  la t0, s_rec\n"
    "2: csrr t1, scause\n  sd t1, 0(t0)\n"
    "  csrr t1, sepc\n  sd t1, 8(t0)\n"
    "  csrr t1, stval\n  sd t1, 16(t0)\n"
    "  csrr t1, sstatus\n  sd t1, 24(t0)\n"
    "  ld t1, 32(t0)\n  addi t1, t1, 1\n  sd t1, 32(t0)\n"
    "  csrr t1, scause\n"
    "  bltz t1, 3f\n"
    "  csrr t1, sepc\n  addi t1, t1, 4\n  csrw sepc, t1\n"
    "  j 5f\n"
    "3: slli t1, t1, 1\n  srli t1, t1, 1\n"
    "  li t0, 1\n  sll t1, t0, t1\n  csrc sie, t1\n  csrci sip, 2\n"
    "  la t0, s_rec\n"
    "5: ld t1, 40(t0)\n"
    "  csrr t0, sscratch\n"
    "  sret\n"
    "4: la t0, s_rec\n  ld t1, 40(t0)\n  csrr t0, sscratch\n"
    "  j rm_exit_s\n"
    ".popsection\n"
    /* The page of U-mode code. */
    ".pushsection .text.upage, \"ax\", @progbits\n"
    ".balign 4096\n"
    ".globl upage_start\n"
    "upage_start:\n"
    ".globl rm_exit_u\n"
    "rm_exit_u:\n"
    "  ecall\n"
    "  j rm_exit_u\n"
    ".globl u_load\n"
    "u_load:\n"
    "  ld a0, 0(a0)\n"
    "  ret\n"
    ".globl u_store\n"
    "u_store:\n"
    "  li t0, 0x5a\n"
    "  sd t0, 0(a0)\n"
    "  li a0, 0\n"
    "  ret\n"
    ".globl u_jump\n"
    "u_jump:\n"
    "  jr a0\n"
    ".balign 4096\n"
    ".globl upage_end\n"
    "upage_end:\n"
    ".option pop\n"
    ".popsection\n"
    ".pushsection .bss\n"
    ".balign 8\n"
    "rm_save: .space 128\n"
    ".popsection\n");

volatile struct s_record s_rec;

/* Hook for traps the tests expect in M-mode (after the run_mode exits). */
static int (*volatile m_hook)(struct trap_frame *f, u64 mcause, u64 mtval);

static int rm_hook(struct trap_frame *f, u64 mcause, u64 mtval)
{
    if ((mcause == CAUSE_ECALL_S || mcause == CAUSE_ECALL_U) &&
        (f->mepc == (u64)rm_exit_s || f->mepc == (u64)rm_exit_u)) {
        f->mepc = (u64)rm_return_m;
        csr_set(mstatus, MSTATUS_MPP);
        return 1;
    }
    return m_hook ? m_hook(f, mcause, mtval) : 0;
}

/* PMP entry 0 opens all memory to S and U (R, W, X). */
static inline void pmp_allow_all(void)
{
    csr_write(pmpaddr0, -1UL);
    csr_write(pmpcfg0, 0x1f);
}

static inline void smode_init(void)
{
    trap_hook = rm_hook;
    csr_write(stvec, (u64)s_vec);
}

static inline void s_expect(void)
{
    s_rec.count = 0;
    s_rec.cause = s_rec.epc = s_rec.tval = ~0UL;
    barrier();
}

#define CHECK_S_TRAP(c) do {                                               \
        CHECK_EQ(s_rec.count, 1);                                          \
        CHECK_EQ(s_rec.cause, (c));                                        \
    } while (0)

/* ---- Page tables ---- */

#ifndef PT_POOL_PAGES
#define PT_POOL_PAGES 24
#endif
static u64 pt_pool[PT_POOL_PAGES][512] __attribute__((aligned(4096)));
static int pt_used;

static inline u64 *pt_new(void)
{
    u64 *p = pt_pool[pt_used++];
    memset(p, 0, 4096);
    return p;
}

static inline u64 pte_make(u64 pa, u64 flags)
{
    return ((pa >> 12) << 10) | flags;
}

static inline int satp_levels(u64 mode)
{
    return (int)(mode - 5);
}

/* Maps va to pa with a leaf at level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB...)
   and returns the leaf PTE; flags should include PTE_V. */
static volatile u64 *pt_map(u64 *root, u64 mode, u64 va, u64 pa, u64 flags,
                            int level)
{
    u64 *t = root;

    for (int l = satp_levels(mode) - 1; l > level; l--) {
        u64 i = (va >> (12 + 9 * l)) & 511;
        if (!(t[i] & PTE_V))
            t[i] = pte_make((u64)pt_new(), PTE_V);
        t = (u64 *)((t[i] >> 10) << 12);
    }
    t += (va >> (12 + 9 * level)) & 511;
    *t = pte_make(pa, flags);
    return t;
}

/* The identity map every paging test uses: the devices (UART, test
   finisher) in 2 MiB pages, the first 2 MiB of RAM (the whole test) in
   4 KiB S pages but for the U-code page.  Returns the satp value. */
static __attribute__((unused)) u64 mmu_identity(u64 *root, u64 mode)
{
    extern char _end[];

    pt_map(root, mode, 0x0, 0x0, PTE_V | PTE_R | PTE_W | PTE_AD, 1);
    pt_map(root, mode, 0x10000000, 0x10000000,
           PTE_V | PTE_R | PTE_W | PTE_AD, 1);
    for (u64 a = 0x80000000UL; a < (u64)_end; a += 4096) {
        u64 u = (a >= (u64)upage_start && a < (u64)upage_end) ? PTE_U : 0;
        pt_map(root, mode, a, a, PTE_V | PTE_RWX | PTE_AD | u, 0);
    }
    return (mode << 60) | ((u64)root >> 12);
}

static inline void sfence_vma_all(void)
{
    __asm__ __volatile__("sfence.vma" ::: "memory");
}

static inline void sfence_vma_addr(u64 va)
{
    __asm__ __volatile__("sfence.vma %0" :: "r"(va) : "memory");
}

#endif
