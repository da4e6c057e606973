/*
 * "toy", the made-up guest of the accel/tcg unit tests (test-accel-*.c):
 * each insn is a 32-bit word, opcode in the top byte and a 24-bit
 * immediate below.  Its translate() emits IR by hand, so the tests need
 * only tcg/, hw/core/memory.c and accel/tcg/.  Included by one test
 * program each (everything here is static).
 *
 * Toy state: pc, acc (accumulator), x (scratch), cnt (loop counter).
 * Memory: 256 KiB of RAM at 0, a fake device at 0x100000, a ROM page at
 * 0x180000, nothing else.  machine_init() sets it up with CPU 0 (`cpu`,
 * `toy`), which the tests run with cpu_exec() on the test's own thread.
 */
#ifndef TESTS_UNIT_TOY_GUEST_H
#define TESTS_UNIT_TOY_GUEST_H

#include <glib.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimic/cpu.h"
#include "mimic/exec.h"
#include "mimic/log.h"
#include "mimic/memory.h"
#include "mimic/tcg-op.h"
#include "mimic/tcg.h"
#include "mimic/translator.h"


enum {
    OP_ADDI = 1,   /* acc += imm */
    OP_JMP,        /* pc = imm (chainable) */
    OP_ST,         /* mem64[imm] = acc */
    OP_LD,         /* acc = mem64[imm] */
    OP_HALT,       /* cpu_exec returns EXCP_HALTED */
    OP_LOOP,       /* if (--cnt) pc = imm */
    OP_JR,         /* pc = acc, through the jump cache */
    OP_FENCE,      /* ends the TB: back to the loop */
    OP_SET,        /* acc = imm */
    OP_SETCNT,     /* cnt = imm */
    OP_LDX,        /* x = mem64[imm] */
    OP_STX32,      /* mem32[imm] = x */
    OP_WFI,        /* halt until an interrupt (EXCP_HLT), pc = next */
    OP_LDA,        /* acc = mem64[imm], which must be 8-byte aligned */
    OP_BEQZ,       /* if (acc == 0) pc = imm */
    OP_WIDE,       /* acc += the byte after the word: a 5-byte insn (so
                      the translator's variable-length fetch and an insn
                      spanning two pages can be tested) */
};

#define INSN(op, imm) (((uint32_t)(op) << 24) | ((uint32_t)(imm) & 0xffffff))

#define RAM_SIZE (256u << 10)
#define DEV_BASE 0x100000u
#define HOLE_ADDR 0x200000u
#define EXCP_BUS 1
#define EXCP_ILLEGAL 2
#define EXCP_ALIGN 3
#define ROM_BASE 0x180000u

typedef struct ToyCPU {
    CPUState parent;
    uint64_t pc, acc, x, cnt;
    uint64_t handler;        /* do_interrupt jumps here */
    int nexcp;
    int last_excp;
    uint64_t excp_pc;        /* pc when the exception was delivered */
    volatile int irq_pending;     /* the toy's one interrupt line */
    uint64_t irq_handler;    /* exec_interrupt jumps here */
    uint64_t irq_pc;         /* pc when the interrupt was taken */
    int nirq;
    volatile int nsched_in;  /* sched_in calls (round-robin switches) */
} ToyCPU;

static MemoryRegion sysmem, ram, dev, rom;
static AddressSpace as;
static CPUState *cpu;
static ToyCPU *toy;
static TCGv_i64 g_pc, g_acc, g_x, g_cnt;

/* What the fake device and transaction_failed saw. */
static struct {
    uint64_t last_write_addr, last_write_val;
    unsigned last_write_size, nreads;
    uint64_t tf_vaddr, tf_paddr;
    int tf_type, ntf;
} seen;

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    seen.nreads++;
    return 0x1000 + addr;
}

/* Called by every device write (under the BQL, on the vCPU's thread). */
static void (*dev_write_hook)(uint64_t addr, uint64_t val);

static void dev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    if (dev_write_hook)
        dev_write_hook(addr, val);
    seen.last_write_addr = addr;
    seen.last_write_val = val;
    seen.last_write_size = size;
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
    .valid_min = 1,
    .valid_max = 8,
};

/* ---- The toy target's hooks ---- */

static void toy_reset(CPUState *c)
{
    ToyCPU *t = (ToyCPU *)c;

    t->pc = t->acc = t->x = t->cnt = 0;
}

static void toy_get_tb_key(CPUState *c, uint64_t *pc, uint64_t *flags)
{
    *pc = ((ToyCPU *)c)->pc;
    *flags = 0;
}

static void toy_restore_state(CPUState *c, uint64_t pc, uint64_t extra)
{
    ((ToyCPU *)c)->pc = pc;
}

static bool toy_tlb_fill(CPUState *c, uint64_t addr, int size,
                         MMUAccessType type, int mmu_idx, bool probe,
                         uintptr_t ra)
{
    tlb_set_page(c, addr, addr, PAGE_READ | PAGE_WRITE | PAGE_EXEC, mmu_idx,
                 TARGET_PAGE_SIZE);
    return true;
}

static void toy_transaction_failed(CPUState *c, uint64_t vaddr,
                                   uint64_t paddr, unsigned size,
                                   MMUAccessType type, int mmu_idx,
                                   uintptr_t ra)
{
    seen.tf_vaddr = vaddr;
    seen.tf_paddr = paddr;
    seen.tf_type = type;
    seen.ntf++;
    c->exception_index = EXCP_BUS;
    cpu_loop_exit_restore(c, ra);
}

static void toy_unaligned(CPUState *c, uint64_t vaddr, MMUAccessType type,
                          int mmu_idx, uintptr_t ra)
{
    seen.tf_vaddr = vaddr;
    c->exception_index = EXCP_ALIGN;
    cpu_loop_exit_restore(c, ra);
}

static void toy_do_interrupt(CPUState *c)
{
    ToyCPU *t = (ToyCPU *)c;

    t->nexcp++;
    t->last_excp = c->exception_index;
    t->excp_pc = t->pc;
    t->pc = t->handler;
}

static bool toy_exec_interrupt(CPUState *c)
{
    ToyCPU *t = (ToyCPU *)c;

    if (!t->irq_pending)
        return false;
    t->irq_pending = 0;
    cpu_reset_interrupt(c, CPU_INTERRUPT_HARD);
    t->nirq++;
    t->irq_pc = t->pc;
    t->pc = t->irq_handler;
    return true;
}

static void toy_sched_in(CPUState *c)
{
    ((ToyCPU *)c)->nsched_in++;
}

static bool toy_has_work(CPUState *c)
{
    return ((ToyCPU *)c)->irq_pending != 0;
}

static void toy_dump_state(CPUState *c, FILE *f)
{
    ToyCPU *t = (ToyCPU *)c;

    fprintf(f, "pc=%#" PRIx64 " acc=%#" PRIx64 "\n", t->pc, t->acc);
}

static void toy_tcg_init(void)
{
    g_pc = tcg_global_mem_new_i64(offsetof(ToyCPU, pc), "pc");
    g_acc = tcg_global_mem_new_i64(offsetof(ToyCPU, acc), "acc");
    g_x = tcg_global_mem_new_i64(offsetof(ToyCPU, x), "x");
    g_cnt = tcg_global_mem_new_i64(offsetof(ToyCPU, cnt), "cnt");
}

/* Helpers called from generated code. */
static void helper_halt(void *env)
{
    CPUState *c = env;

    c->exception_index = EXCP_HALTED;
    cpu_loop_exit(c);
}

static void helper_illegal(void *env)
{
    CPUState *c = env;

    c->exception_index = EXCP_ILLEGAL;
    cpu_loop_exit(c);
}

static void helper_wfi(void *env)
{
    CPUState *c = env;

    c->halted = true;
    c->exception_index = EXCP_HLT;
    cpu_loop_exit(c);
}

static const TCGHelperInfo info_wfi = {
    .func = helper_wfi, .name = "wfi", .flags = TCG_CALL_NO_RETURN,
    .nb_args = 1, .has_ret = false, .arg_types = { TCG_TYPE_PTR },
};
static const TCGHelperInfo info_halt = {
    .func = helper_halt, .name = "halt", .flags = TCG_CALL_NO_RETURN,
    .nb_args = 1, .has_ret = false, .arg_types = { TCG_TYPE_PTR },
};
static const TCGHelperInfo info_illegal = {
    .func = helper_illegal, .name = "illegal", .flags = TCG_CALL_NO_RETURN,
    .nb_args = 1, .has_ret = false, .arg_types = { TCG_TYPE_PTR },
};

static void gen_goto(TranslationBlock *tb, int n, uint64_t dest)
{
    if (translator_use_goto_tb(tb, dest)) {
        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(g_pc, (int64_t)dest);
        tcg_gen_exit_tb(tb, n);
    } else {
        tcg_gen_movi_i64(g_pc, (int64_t)dest);
        tcg_gen_lookup_and_goto_ptr();
    }
}

static void gen_call_env(const TCGHelperInfo *info, uint64_t pc)
{
    tcg_gen_movi_i64(g_pc, (int64_t)pc);
    tcg_gen_call1(info, NULL, tcgv_ptr_temp(tcg_env()));
}

/* Emits one insn; returns true if it ended the TB. */
static bool toy_translate_insn(DisasContextBase *db, uint64_t pc)
{
    TranslationBlock *tb = db->tb;
    uint32_t insn = translator_ldl(db, pc);
    uint32_t imm = insn & 0xffffff;
    TCGv_i64 addr, t;
    TCGLabel *l;

    switch (insn >> 24) {
    case OP_ADDI:
        tcg_gen_addi_i64(g_acc, g_acc, imm);
        return false;
    case OP_SET:
        tcg_gen_movi_i64(g_acc, imm);
        return false;
    case OP_SETCNT:
        tcg_gen_movi_i64(g_cnt, imm);
        return false;
    case OP_JMP:
        gen_goto(tb, 0, imm);
        return true;
    case OP_LDA:
        tcg_gen_qemu_ld_i64(g_acc, tcg_constant_i64(imm), 0, MO_UQ | MO_ALIGN);
        return false;
    case OP_ST:
    case OP_LD:
    case OP_LDX:
    case OP_STX32:
        addr = tcg_constant_i64(imm);
        if ((insn >> 24) == OP_ST)
            tcg_gen_qemu_st_i64(g_acc, addr, 0, MO_UQ);
        else if ((insn >> 24) == OP_LD)
            tcg_gen_qemu_ld_i64(g_acc, addr, 0, MO_UQ);
        else if ((insn >> 24) == OP_LDX)
            tcg_gen_qemu_ld_i64(g_x, addr, 0, MO_UQ);
        else
            tcg_gen_qemu_st_i64(g_x, addr, 0, MO_UL);
        return false;
    case OP_HALT:
        gen_call_env(&info_halt, pc);
        return true;
    case OP_WFI:
        gen_call_env(&info_wfi, pc + 4);
        return true;
    case OP_LOOP:
        tcg_gen_subi_i64(g_cnt, g_cnt, 1);
        l = gen_new_label();
        tcg_gen_brcondi_i64(TCG_COND_EQ, g_cnt, 0, l);
        gen_goto(tb, 0, imm);
        gen_set_label(l);
        gen_goto(tb, 1, pc + 4);
        return true;
    case OP_JR:
        t = tcg_temp_new_i64();
        tcg_gen_mov_i64(t, g_acc);
        tcg_gen_mov_i64(g_pc, t);
        tcg_temp_free_i64(t);
        tcg_gen_lookup_and_goto_ptr();
        return true;
    case OP_BEQZ:
        l = gen_new_label();
        tcg_gen_brcondi_i64(TCG_COND_NE, g_acc, 0, l);
        gen_goto(tb, 0, imm);
        gen_set_label(l);
        gen_goto(tb, 1, pc + 4);
        return true;
    case OP_WIDE:
        tcg_gen_addi_i64(g_acc, g_acc, translator_ldub(db, pc + 4));
        db->pc_next = pc + 5;
        return false;
    case OP_FENCE:
        tcg_gen_movi_i64(g_pc, (int64_t)(pc + 4));
        tcg_gen_exit_tb(NULL, 0);
        return true;
    default:
        gen_call_env(&info_illegal, pc);
        return true;
    }
}

static void toy_insn_start(DisasContextBase *db, CPUState *c)
{
    (void)c;
    tcg_gen_insn_start(db->pc_next, 0);
}

static void toy_tr_insn(DisasContextBase *db, CPUState *c)
{
    uint64_t pc = db->pc_next;

    (void)c;
    db->pc_next = pc + 4;
    if (toy_translate_insn(db, pc))
        db->is_jmp = DISAS_NORETURN;
}

static void toy_tb_stop(DisasContextBase *db, CPUState *c)
{
    (void)c;
    if (db->is_jmp == DISAS_TOO_MANY)
        gen_goto(db->tb, 0, db->pc_next);
}

static const TranslatorOps toy_translator_ops = {
    .insn_start = toy_insn_start,
    .translate_insn = toy_tr_insn,
    .tb_stop = toy_tb_stop,
};

static void toy_translate(CPUState *c, TranslationBlock *tb, int max_insns)
{
    DisasContextBase db;

    translator_loop(c, tb, max_insns, &toy_translator_ops, &db);
}

static int toy_disas(uint64_t pc, const uint8_t *code, unsigned avail,
                     char *buf, size_t len)
{
    uint32_t insn;

    (void)pc;
    if (avail < 4)
        return 0;
    insn = (uint32_t)code[0] | (uint32_t)code[1] << 8 |
           (uint32_t)code[2] << 16 | (uint32_t)code[3] << 24;
    if (insn >> 24 == OP_WIDE) {
        if (avail < 5)
            return 0;
        snprintf(buf, len, "wide %u", code[4]);
        return 5;
    }
    snprintf(buf, len, "op%u %#x", insn >> 24, insn & 0xffffff);
    return 4;
}

static const TargetOps toy_ops = {
    .name = "toy",
    .cpu_size = sizeof(ToyCPU),
    .tcg_init = toy_tcg_init,
    .reset = toy_reset,
    .get_tb_key = toy_get_tb_key,
    .translate = toy_translate,
    .restore_state = toy_restore_state,
    .tlb_fill = toy_tlb_fill,
    .transaction_failed = toy_transaction_failed,
    .unaligned_access = toy_unaligned,
    .do_interrupt = toy_do_interrupt,
    .exec_interrupt = toy_exec_interrupt,
    .has_work = toy_has_work,
    .sched_in = toy_sched_in,
    .dump_state = toy_dump_state,
    .disas = toy_disas,
    .insn_unit = 1,
    .pc_offset = offsetof(ToyCPU, pc),
};

/* ---- Test scaffolding ---- */

static void machine_init(void)
{
    static bool done;

    if (done)
        return;
    done = true;
    memory_region_init(&sysmem, "sys", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", RAM_SIZE);
    memory_region_init_io(&dev, &dev_ops, NULL, "dev", 0x1000);
    memory_region_add_subregion(&sysmem, 0, &ram);
    memory_region_add_subregion(&sysmem, DEV_BASE, &dev);
    memory_region_init_rom(&rom, "rom", 0x1000);
    memory_region_add_subregion(&sysmem, ROM_BASE, &rom);
    address_space_init(&as, &sysmem, "toy");
    /* Small buffer so that the flush test fills it. */
    tcg_exec_init(&toy_ops, 1u << 20);
    cpu = cpu_create(&toy_ops, 0, &as);
    toy = (ToyCPU *)cpu;
}

/* Loads a program at addr and resets the CPU and the caches. */
static void load(uint64_t addr, const uint32_t *prog, size_t n)
{
    machine_init();
    tb_flush(cpu);
    tlb_flush(cpu);
    memset(ram.ram_ptr, 0, RAM_SIZE);
    memcpy(ram.ram_ptr + addr, prog, n * sizeof(uint32_t));
    toy_reset(cpu);
    toy->pc = addr;
    toy->nexcp = 0;
    toy->nirq = 0;
    toy->irq_pending = 0;
    cpu->interrupt_request = 0;
    toy->handler = RAM_SIZE - 16;   /* a HALT placed there */
    toy->irq_handler = RAM_SIZE - 16;
    *(uint32_t *)(ram.ram_ptr + RAM_SIZE - 16) = INSN(OP_HALT, 0);
    cpu->stat_exits = 0;
    cpu->stat_tb_exec_loop = 0;
    memset(&seen, 0, sizeof(seen));
}

/* Reads one counter from tcg_dump_stats' output ("label  N"). */
static uint64_t stat(const char *label)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    uint64_t v = 0;
    char *p;

    tcg_dump_stats(f);
    fclose(f);
    p = strstr(buf, label);
    if (p)
        v = strtoull(p + strlen(label), NULL, 10);
    free(buf);
    return v;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

#endif
