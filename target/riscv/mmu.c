/*
 * The RISC-V MMU: riscv_tlb_fill (the softmmu's refill hook) translates a
 * virtual address for one access in one MMU index through the Sv39, Sv48
 * or Sv57 page tables named by satp (privileged spec 1.12, section 4.3-4.6),
 * applies PMP (pmp.c) to the physical result, and enters the 4 KiB page in
 * that index's TLB with the permissions that hold for every later access of
 * the page, or raises the page fault (12/13/15) or access fault (1/5/7),
 * with tval = the virtual address.
 *
 * Choices: A and D are set by hardware, with a host compare-and-swap on the
 * PTE in guest RAM (a PTE that is not in writable RAM gives an access
 * fault), and a page is writable in the TLB only once D is set, so the
 * first store walks again.  A mapping with G set on its leaf or on a
 * pointer above it is entered PAGE_GLOBAL: a new satp keeps it in the TLB
 * (the spec's global mappings exist in every address space).  Svnapot and Svpbmt are not implemented: a leaf
 * with N or PBMT bits, or any of bits 60:54 set, is a page fault; so is a
 * misaligned superpage.  The A, D and U bits of non-leaf PTEs are ignored
 * (the spec reserves them; QEMU 7.2 ignores them too).
 */
#include "mimic/exec.h"
#include "mimic/memory.h"
#include "internals.h"

enum {
    PTE_V = 1 << 0,
    PTE_R = 1 << 1,
    PTE_W = 1 << 2,
    PTE_X = 1 << 3,
    PTE_U = 1 << 4,
    PTE_G = 1 << 5,
    PTE_A = 1 << 6,
    PTE_D = 1 << 7,
};
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1ull << 44) - 1) << PTE_PPN_SHIFT)
#define PTE_HIGH_BITS (~0ull << 54)     /* N, PBMT, reserved: must be 0 */

typedef enum {
    XLATE_OK,
    XLATE_PAGE_FAULT,
    XLATE_ACCESS_FAULT,
} XlateResult;

/* The translation of one access. */
typedef struct Xlate {
    uint64_t paddr;
    uint64_t page_size;
    int prot;                /* PAGE_* the TLB entry may grant */
} Xlate;

int riscv_mmu_priv(int mmu_idx)
{
    switch (mmu_idx & 3) {
    case RV_MMU_U:
        return PRV_U;
    case RV_MMU_M:
        return PRV_M;
    default:
        return PRV_S;
    }
}

static int satp_levels(uint64_t satp)
{
    switch (satp >> SATP_MODE_SHIFT) {
    case SATP_SV39:
        return 3;
    case SATP_SV48:
        return 4;
    case SATP_SV57:
        return 5;
    }
    return 0;
}

/* A host pointer to the PTE at paddr in RAM (NULL: not RAM, or PMP says
   no to an S-mode access of type). */
static uint64_t *pte_ptr(RISCVCPU *cpu, uint64_t paddr, int type,
                         MemoryRegion **mr, uint64_t *mr_offset)
{
    MemoryRegionSection sec = address_space_lookup(cpu->parent.as, paddr);

    if (!(riscv_pmp_check(&cpu->env, paddr, 8, PRV_S, NULL) & type))
        return NULL;
    if (!sec.mr || !sec.mr->ram ||
        paddr + 8 - sec.offset_within_as > sec.size)
        return NULL;
    *mr = sec.mr;
    *mr_offset = sec.offset_within_region;     /* of paddr itself */
    return (uint64_t *)(void *)(sec.mr->ram_ptr + *mr_offset);
}

/* Is the leaf pte usable for this access?  Fills x->prot if so. */
static bool leaf_allows(const CPURISCVState *env, uint64_t pte, int mmu_idx,
                        MMUAccessType type, Xlate *x)
{
    int priv = riscv_mmu_priv(mmu_idx);
    bool mxr = (mmu_idx & RV_MMU_MXR) != 0;
    int prot = 0;

    (void)env;
    if (pte & PTE_U) {
        /* S reaches U pages only with SUM, and never executes them. */
        if (priv == PRV_S && (mmu_idx & 3) != RV_MMU_S_SUM)
            return false;
        if (priv == PRV_S && type == MMU_INST_FETCH)
            return false;
    } else if (priv == PRV_U) {
        return false;
    }
    if ((pte & PTE_R) || (mxr && (pte & PTE_X)))
        prot |= PAGE_READ;
    if (pte & PTE_W)
        prot |= PAGE_WRITE;
    if ((pte & PTE_X) && !(priv == PRV_S && (pte & PTE_U)))
        prot |= PAGE_EXEC;
    if (!(prot & (1 << type)))
        return false;
    x->prot = prot;
    return true;
}

/* Sets A (and D for a store) in the PTE; false if it changed under us. */
static bool update_ad(uint64_t *host, uint64_t pte, MMUAccessType type,
                      MemoryRegion *mr, uint64_t mr_offset, uint64_t paddr)
{
    uint64_t want = pte | PTE_A | (type == MMU_DATA_STORE ? PTE_D : 0);

    if (want == pte)
        return true;
    if (memory_region_is_code_page(mr, mr_offset & TARGET_PAGE_MASK))
        tb_invalidate_phys_range(paddr, paddr + 8);
    return __atomic_compare_exchange_n(host, &pte, want, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* debug: for the debugger, no permission check and no A/D update. */
static XlateResult walk(RISCVCPU *cpu, uint64_t va, MMUAccessType type,
                        int mmu_idx, Xlate *x, bool debug)
{
    CPURISCVState *env = &cpu->env;
    int levels = satp_levels(env->satp);
    int va_bits = 12 + 9 * levels;
    uint64_t base, pte, pte_addr, *host;
    MemoryRegion *mr;
    uint64_t mr_offset;
    bool global = false;

    /* Bits above the VA width must all equal its top bit. */
    if ((uint64_t)((int64_t)(va << (64 - va_bits)) >> (64 - va_bits)) != va)
        return XLATE_PAGE_FAULT;
restart:
    base = (env->satp & SATP_PPN_MASK) << TARGET_PAGE_BITS;
    global = false;
    for (int level = levels - 1; level >= 0; level--) {
        int shift = TARGET_PAGE_BITS + 9 * level;

        pte_addr = base + ((va >> shift) & 511) * 8;
        host = pte_ptr(cpu, pte_addr, PAGE_READ, &mr, &mr_offset);
        if (!host)
            return XLATE_ACCESS_FAULT;
        pte = __atomic_load_n(host, __ATOMIC_ACQUIRE);
        if (!(pte & PTE_V) || (pte & PTE_HIGH_BITS) ||
            (!(pte & PTE_R) && (pte & PTE_W)))
            return XLATE_PAGE_FAULT;
        /* G on a pointer makes everything below it global. */
        global |= (pte & PTE_G) != 0;
        if (!(pte & (PTE_R | PTE_X))) {
            base = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << TARGET_PAGE_BITS;
            continue;
        }
        uint64_t ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;

        if (ppn & ((1ull << (9 * level)) - 1))
            return XLATE_PAGE_FAULT;          /* misaligned superpage */
        if (debug) {
            x->page_size = 1ull << shift;
            x->paddr = (ppn << TARGET_PAGE_BITS) | (va & (x->page_size - 1));
            return XLATE_OK;
        }
        if (!leaf_allows(env, pte, mmu_idx, type, x))
            return XLATE_PAGE_FAULT;
        if ((pte | PTE_A | (type == MMU_DATA_STORE ? PTE_D : 0)) != pte) {
            /* The A/D update is a store to the PTE: it needs RAM that PMP
               lets S-mode write. */
            if (mr->readonly ||
                !pte_ptr(cpu, pte_addr, PAGE_WRITE, &mr, &mr_offset))
                return XLATE_ACCESS_FAULT;
            if (!update_ad(host, pte, type, mr, mr_offset, pte_addr))
                goto restart;
            pte |= PTE_A | (type == MMU_DATA_STORE ? PTE_D : 0);
        }
        /* Later stores must walk again to set D. */
        if (!(pte & PTE_D))
            x->prot &= ~PAGE_WRITE;
        if (global)
            x->prot |= PAGE_GLOBAL;
        x->page_size = 1ull << shift;
        x->paddr = (ppn << TARGET_PAGE_BITS) | (va & (x->page_size - 1));
        return XLATE_OK;
    }
    return XLATE_PAGE_FAULT;                  /* no leaf at level 0 */
}

bool riscv_tlb_fill(CPUState *cs, uint64_t addr, int size,
                    MMUAccessType type, int mmu_idx, bool probe,
                    uintptr_t retaddr)
{
    static const int page_fault[] = {
        [MMU_DATA_LOAD] = RV_EXCP_LOAD_PAGE_FAULT,
        [MMU_DATA_STORE] = RV_EXCP_STORE_PAGE_FAULT,
        [MMU_INST_FETCH] = RV_EXCP_INST_PAGE_FAULT,
    };
    static const int access_fault[] = {
        [MMU_DATA_LOAD] = RV_EXCP_LOAD_ACCESS_FAULT,
        [MMU_DATA_STORE] = RV_EXCP_STORE_AMO_ACCESS_FAULT,
        [MMU_INST_FETCH] = RV_EXCP_INST_ACCESS_FAULT,
    };
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;
    int priv = riscv_mmu_priv(mmu_idx);
    Xlate x = {
        .paddr = addr,
        .page_size = TARGET_PAGE_SIZE,
        /* Untranslated M-mode accesses do not depend on satp. */
        .prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC |
                (priv == PRV_M ? PAGE_GLOBAL : 0),
    };
    XlateResult r = XLATE_OK;
    bool uniform;
    int pmp_prot;

    if (priv != PRV_M && satp_levels(env->satp))
        r = walk(cpu, addr, type, mmu_idx, &x, false);
    if (r == XLATE_OK) {
        pmp_prot = riscv_pmp_check(env, x.paddr, (unsigned)size, priv,
                                   &uniform);
        if (!(pmp_prot & (1 << type)))
            r = XLATE_ACCESS_FAULT;
        x.prot &= pmp_prot | PAGE_GLOBAL;
    }
    if (r != XLATE_OK) {
        if (probe)
            return false;
        /* The load half of an SC/AMO faults as the store/AMO it is. */
        if (env->amo_in_progress) {
            env->amo_in_progress = false;
            type = MMU_DATA_STORE;
        }
        riscv_raise_exception(cpu, r == XLATE_PAGE_FAULT ? page_fault[type]
                                                         : access_fault[type],
                              addr, retaddr);
    }
    /* A page PMP does not treat uniformly is re-checked on every access. */
    tlb_set_page(cs, addr, x.paddr, x.prot, mmu_idx,
                 uniform ? x.page_size : 1);
    return true;
}

bool riscv_get_phys_page_debug(CPUState *cs, uint64_t vaddr, uint64_t *paddr)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    int mmu_idx = (int)riscv_mmu_index(&cpu->env);
    Xlate x = { .paddr = vaddr, .page_size = TARGET_PAGE_SIZE };

    if (riscv_mmu_priv(mmu_idx) != PRV_M && satp_levels(cpu->env.satp) &&
        walk(cpu, vaddr, MMU_DATA_LOAD, mmu_idx, &x, true) != XLATE_OK)
        return false;
    *paddr = x.paddr;
    return true;
}
