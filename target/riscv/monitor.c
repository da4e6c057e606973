/*
 * What the monitor asks of a RISC-V hart: `info mem` (the page-table
 * mappings that satp names, as QEMU's riscv `info mem` prints them) and the
 * registers that $name stands for in an address expression (`x/4i $pc`).
 * Both only read: the page walk uses address_space_read and sets no A or D
 * bit, and registers are read as -d cpu reads them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "mimic/memory.h"
#include "internals.h"
#include "mimic/rv-disas.h"

enum {
    PTE_V = 1 << 0, PTE_R = 1 << 1, PTE_W = 1 << 2, PTE_X = 1 << 3,
    PTE_U = 1 << 4, PTE_G = 1 << 5, PTE_A = 1 << 6, PTE_D = 1 << 7,
};
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((1ull << 44) - 1) << PTE_PPN_SHIFT)
#define PTE_ATTR_MASK (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D)

/* A run of mappings contiguous in both address spaces, same attributes. */
typedef struct MapRun {
    FILE *f;
    AddressSpace *as;
    int va_bits;
    uint64_t vaddr, paddr, size;
    unsigned attr;
} MapRun;

static void run_print(MapRun *r)
{
    static const struct { unsigned bit; char c; } attrs[] = {
        { PTE_R, 'r' }, { PTE_W, 'w' }, { PTE_X, 'x' }, { PTE_U, 'u' },
        { PTE_G, 'g' }, { PTE_A, 'a' }, { PTE_D, 'd' },
    };
    char a[8];

    if (!r->size)
        return;
    for (int i = 0; i < 7; i++)
        a[i] = (r->attr & attrs[i].bit) ? attrs[i].c : '-';
    a[7] = '\0';
    fprintf(r->f, "%016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %s\n",
            r->vaddr, r->paddr, r->size, a);
}

static void run_add(MapRun *r, uint64_t va, uint64_t pa, uint64_t size,
                    unsigned attr)
{
    if (r->size && r->vaddr + r->size == va && r->paddr + r->size == pa &&
        r->attr == attr) {
        r->size += size;
        return;
    }
    run_print(r);
    r->vaddr = va;
    r->paddr = pa;
    r->size = size;
    r->attr = attr;
}

/* Visits the table at base (level: levels-1 is the root). */
static void walk_table(MapRun *r, uint64_t base, int level, uint64_t va_prefix)
{
    int shift = TARGET_PAGE_BITS + 9 * level;

    for (uint64_t i = 0; i < 512; i++) {
        uint64_t pte, va = va_prefix | (i << shift);

        if (address_space_read(r->as, base + i * 8, &pte, 8) != MEMTX_OK)
            return;
        pte = GUINT64_FROM_LE(pte);
        if (!(pte & PTE_V))
            continue;
        uint64_t pa = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << TARGET_PAGE_BITS;

        if (pte & (PTE_R | PTE_X)) {
            /* Canonical form: the bits above the VA width copy its top bit. */
            uint64_t sva = (uint64_t)((int64_t)(va << (64 - r->va_bits)) >>
                                      (64 - r->va_bits));

            run_add(r, sva, pa, 1ull << shift, (unsigned)(pte & PTE_ATTR_MASK));
        } else if (level > 0) {
            walk_table(r, pa, level - 1, va);
        }
    }
}

void riscv_dump_mappings(CPUState *cs, FILE *f)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    uint64_t satp = cpu->env.satp;
    int levels;
    MapRun r = { .f = f, .as = cs->as };

    switch (satp >> SATP_MODE_SHIFT) {
    case SATP_SV39: levels = 3; break;
    case SATP_SV48: levels = 4; break;
    case SATP_SV57: levels = 5; break;
    default:
        fprintf(f, "No translation or protection\n");
        return;
    }
    r.va_bits = TARGET_PAGE_BITS + 9 * levels;
    fprintf(f, "vaddr            paddr            size             attr\n"
               "---------------- ---------------- ---------------- -------\n");
    walk_table(&r, (satp & SATP_PPN_MASK) << TARGET_PAGE_BITS, levels - 1, 0);
    run_print(&r);
}

/* "x12" / "f3": the number, or -1. */
static int numbered_reg(const char *name, char prefix)
{
    char *end;
    long n;

    if (name[0] != prefix || !g_ascii_isdigit(name[1]))
        return -1;
    n = strtol(name + 1, &end, 10);
    return *end || n > 31 ? -1 : (int)n;
}

bool riscv_monitor_get_register(CPUState *cs, const char *name, uint64_t *val)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;
    int n;
    char buf[32];

    if (!strcmp(name, "pc")) {
        *val = env->pc;
        return true;
    }
    if (!strcmp(name, "priv")) {
        *val = env->priv;
        return true;
    }
    n = numbered_reg(name, 'x');
    for (int i = 0; n < 0 && i < 32; i++) {
        if (!strcmp(name, riscv_gpr_names[i]))
            n = i;
    }
    if (n < 0 && !strcmp(name, "fp"))
        n = 8;
    if (n >= 0) {
        *val = env->gpr[n];
        return true;
    }
    if (riscv_has_ext(cpu, 'F')) {
        n = numbered_reg(name, 'f');
        for (int i = 0; n < 0 && i < 32; i++) {
            if (!strcmp(name, riscv_fpr_names[i]))
                n = i;
        }
        if (n >= 0) {
            *val = env->fpr[n];
            return true;
        }
    }
    for (unsigned csrno = 0; csrno < 4096; csrno++) {
        if (riscv_csr_name(csrno, buf, sizeof(buf)) && !strcmp(buf, name))
            return riscv_csr_peek(cpu, csrno, val);
    }
    return false;
}
