/*
 * Tests of accel/tcg (execution loop, TB cache, chaining, jump cache,
 * invalidation, softmmu slow paths, tb_flush) through a tiny made-up
 * guest, "toy": each insn is a 32-bit word, opcode in the top byte and a
 * 24-bit immediate below.  Its translate() emits IR by hand, so these
 * tests need only tcg/, hw/core/memory.c and accel/tcg/.
 *
 * Toy state: pc, acc (accumulator), x (scratch), cnt (loop counter).
 * Memory: 256 KiB of RAM at 0, a fake device at 0x100000, nothing else.
 */
#include <glib.h>
#include <stddef.h>
#include <string.h>

#include "mimic/cpu.h"
#include "mimic/exec.h"
#include "mimic/log.h"
#include "mimic/memory.h"
#include "mimic/tcg-op.h"
#include "mimic/tcg.h"
#include "unit.h"

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

static void dev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
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

static void toy_get_tb_key(CPUState *c, uint64_t *pc, uint32_t *flags)
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
static bool toy_translate_insn(CPUState *c, TranslationBlock *tb, uint64_t pc)
{
    uint32_t insn = translator_ldl(c, tb, pc);
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
    case OP_FENCE:
        tcg_gen_movi_i64(g_pc, (int64_t)(pc + 4));
        tcg_gen_exit_tb(NULL, 0);
        return true;
    default:
        gen_call_env(&info_illegal, pc);
        return true;
    }
}

static void toy_translate(CPUState *c, TranslationBlock *tb, int max_insns)
{
    uint64_t pc = tb->pc;
    int n;

    gen_tb_start(tb);
    for (n = 0; n < max_insns; n++) {
        tcg_gen_insn_start(pc, 0);
        if (toy_translate_insn(c, tb, pc))
            break;
        pc += 4;
        if ((pc & ~TARGET_PAGE_MASK) == 0)
            break;   /* stop before a new page */
    }
    if (n == max_insns || (pc & ~TARGET_PAGE_MASK) == 0)
        gen_goto(tb, 0, pc);
    gen_tb_end(tb);
}

static int toy_disas(uint64_t pc, uint32_t insn, char *buf, size_t len)
{
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
    .dump_state = toy_dump_state,
    .disas = toy_disas,
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

TEST(translate_once_run_many)
{
    static const uint32_t prog[] = {
        INSN(OP_SETCNT, 1000),   /* 0 */
        INSN(OP_ADDI, 1),        /* 4: loop body */
        INSN(OP_LOOP, 4),        /* 8 */
        INSN(OP_HALT, 0),        /* 12 */
    };
    uint64_t tbs0, chained0;

    load(0, prog, N(prog));
    tbs0 = stat("TBs translated");
    chained0 = stat("chained jumps patched");
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 1000);
    EXPECT_EQ(toy->pc, 12);
    /* TBs at 0 (to the LOOP), 4 (the body) and 12 (HALT). */
    EXPECT_EQ(stat("TBs translated") - tbs0, 3);
    /* The loop runs chained: only a few trips through the C loop. */
    EXPECT(cpu->stat_exits < 10);
    EXPECT(stat("chained jumps patched") - chained0 >= 2);
}

TEST(nochain_returns_to_loop_every_tb)
{
    static const uint32_t prog[] = {
        INSN(OP_SETCNT, 100), INSN(OP_ADDI, 1), INSN(OP_LOOP, 4),
        INSN(OP_HALT, 0),
    };

    load(0, prog, N(prog));
    log_flags |= LOG_NOCHAIN;
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    log_flags &= ~LOG_NOCHAIN;
    EXPECT_EQ(toy->acc, 100);
    EXPECT(cpu->stat_tb_exec_loop >= 100);
}

TEST(indirect_jumps_use_the_jump_cache)
{
    static const uint32_t prog[] = {
        INSN(OP_SETCNT, 500),    /* 0 */
        INSN(OP_SET, 16),        /* 4 */
        INSN(OP_JR, 0),          /* 8: to 16 */
        INSN(OP_HALT, 0),        /* 12: never */
        INSN(OP_LOOP, 4),        /* 16 */
        INSN(OP_HALT, 0),        /* 20 */
    };

    load(0, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->pc, 20);
    EXPECT_EQ(toy->cnt, 0);
    /* After the C side filled the jump cache, the generated probe hits. */
    EXPECT(cpu->stat_exits < 10);
}

static gpointer stopper(gpointer opaque)
{
    g_usleep(50 * 1000);
    cpu->stop = true;
    cpu_exit(cpu);
    return NULL;
}

TEST(exit_request_stops_a_chained_loop)
{
    static const uint32_t prog[] = {
        INSN(OP_SET, 0),         /* 0 */
        INSN(OP_ADDI, 1),        /* 4 */
        INSN(OP_JMP, 4),         /* 8: forever */
    };
    GThread *th;

    load(0, prog, N(prog));
    th = g_thread_new("stopper", stopper, NULL);
    EXPECT_EQ(cpu_exec(cpu), EXCP_INTERRUPT);
    g_thread_join(th);
    cpu->stop = false;
    EXPECT(toy->acc > 1000);
    /* The entry check left before the body: pc restored to its TB. */
    EXPECT_EQ(toy->pc, 4);
    EXPECT(cpu->stat_exits < 10);
    EXPECT_EQ(cpu->exit_request, 0);
}

TEST(store_into_code_invalidates_it)
{
    static const uint32_t prog[] = {
        INSN(OP_SETCNT, 2),      /* 0 */
        INSN(OP_JMP, 20),        /* 4 */
        INSN(OP_LDX, 0x800),     /* 8: x = new insn */
        INSN(OP_STX32, 20),      /* 12: patch the insn at 20 */
        INSN(OP_FENCE, 0),       /* 16 */
        INSN(OP_ADDI, 1),        /* 20: becomes ADDI 100 */
        INSN(OP_LOOP, 8),        /* 24 */
        INSN(OP_HALT, 0),        /* 28 */
    };

    load(0, prog, N(prog));
    *(uint64_t *)(ram.ram_ptr + 0x800) = INSN(OP_ADDI, 100);
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 101);
    EXPECT(stat("TBs translated") > 0);
}

TEST(store_into_running_tb_takes_effect_after_it)
{
    /* The TB at 4 overwrites its own insn at 12: the rest of this run of
       the TB is stale, the next run sees the new code. */
    static const uint32_t prog[] = {
        INSN(OP_SETCNT, 2),      /* 0 */
        INSN(OP_LDX, 0x800),     /* 4 */
        INSN(OP_STX32, 12),      /* 8 */
        INSN(OP_ADDI, 1),        /* 12: becomes ADDI 100 */
        INSN(OP_LOOP, 4),        /* 16 */
        INSN(OP_HALT, 0),        /* 20 */
    };

    load(0, prog, N(prog));
    *(uint64_t *)(ram.ram_ptr + 0x800) = INSN(OP_ADDI, 100);
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 101);
}

TEST(dma_write_into_code_invalidates_it)
{
    static const uint32_t prog[] = { INSN(OP_ADDI, 1), INSN(OP_HALT, 0) };
    uint32_t patched = INSN(OP_ADDI, 7);

    load(0x2000, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 1);
    EXPECT_EQ(address_space_write(&as, 0x2000, &patched, 4), MEMTX_OK);
    toy->pc = 0x2000;
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 8);
}

TEST(mmio_goes_through_the_device)
{
    static const uint32_t prog[] = {
        INSN(OP_LD, DEV_BASE + 0x10),   /* 0 */
        INSN(OP_ADDI, 1),               /* 4 */
        INSN(OP_ST, DEV_BASE + 0x20),   /* 8 */
        INSN(OP_HALT, 0),
    };

    load(0, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 0x1011);
    EXPECT_EQ(seen.nreads, 1);
    EXPECT_EQ(seen.last_write_addr, 0x20);
    EXPECT_EQ(seen.last_write_val, 0x1011);
    EXPECT_EQ(seen.last_write_size, 8);
    EXPECT_EQ(toy->nexcp, 0);
}

TEST(load_from_hole_is_a_bus_error_at_the_right_pc)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 5),        /* 0 */
        INSN(OP_ADDI, 6),        /* 4 */
        INSN(OP_LD, HOLE_ADDR + 8),   /* 8 */
        INSN(OP_ADDI, 100),      /* 12: not reached */
        INSN(OP_HALT, 0),
    };

    load(0, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(seen.ntf, 1);
    EXPECT_EQ(seen.tf_vaddr, HOLE_ADDR + 8);
    EXPECT_EQ(seen.tf_paddr, HOLE_ADDR + 8);
    EXPECT_EQ(seen.tf_type, MMU_DATA_LOAD);
    EXPECT_EQ(toy->nexcp, 1);
    EXPECT_EQ(toy->last_excp, EXCP_BUS);
    EXPECT_EQ(toy->excp_pc, 8);
    EXPECT_EQ(toy->acc, 11);
}

TEST(jump_to_hole_is_a_fetch_fault_not_a_crash)
{
    static const uint32_t prog[] = { INSN(OP_JMP, 0x300000) };

    load(0, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(seen.ntf, 1);
    EXPECT_EQ(seen.tf_vaddr, 0x300000);
    EXPECT_EQ(seen.tf_type, MMU_INST_FETCH);
    EXPECT_EQ(toy->excp_pc, 0x300000);
}

TEST(fetch_fault_inside_translation_leaves_the_cache_usable)
{
    /* An insn straddling the end of RAM: its second half is in a hole,
       so the fault is raised by the translator, holding tb_lock. */
    static const uint32_t prog[] = { INSN(OP_ADDI, 1), INSN(OP_HALT, 0) };

    load(0x1000, prog, N(prog));
    for (int i = 0; i < 2; i++) {
        toy->pc = RAM_SIZE - 2;
        EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
        EXPECT_EQ(seen.ntf, i + 1);
        EXPECT_EQ(seen.tf_vaddr, RAM_SIZE);
        EXPECT_EQ(seen.tf_type, MMU_INST_FETCH);
        EXPECT_EQ(toy->excp_pc, RAM_SIZE - 2);
    }
    /* Translation still works afterwards. */
    toy->pc = 0x1000;
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 1);
}

TEST(jump_into_device_is_a_fetch_fault)
{
    static const uint32_t prog[] = { INSN(OP_JMP, DEV_BASE) };

    load(0, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(seen.tf_type, MMU_INST_FETCH);
    EXPECT_EQ(seen.tf_vaddr, DEV_BASE);
    EXPECT_EQ(seen.nreads, 0);
}

TEST(illegal_insn_is_delivered)
{
    static const uint32_t prog[] = { INSN(OP_ADDI, 3), INSN(0x7f, 0) };

    load(0, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->last_excp, EXCP_ILLEGAL);
    EXPECT_EQ(toy->excp_pc, 4);
    EXPECT_EQ(toy->acc, 3);
}

TEST(code_buffer_full_flushes_and_goes_on)
{
    /* A straight line of 16K tiny TBs (ADDI 1; JMP next) does not fit in
       the 1 MiB buffer. */
    enum { NTB = 16000 };
    uint32_t *prog = g_new(uint32_t, 2 * NTB + 1);
    uint64_t flushes0;

    for (int i = 0; i < NTB; i++) {
        prog[2 * i] = INSN(OP_ADDI, 1);
        prog[2 * i + 1] = INSN(OP_JMP, (2 * i + 2) * 4);
    }
    prog[2 * NTB] = INSN(OP_HALT, 0);
    load(0, prog, 2 * NTB + 1);
    flushes0 = stat("TB flushes");
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, NTB);
    EXPECT(stat("TB flushes") > flushes0);
    g_free(prog);
}

TEST(tlb_flush_page_drops_the_mapping)
{
    static const uint32_t prog[] = { INSN(OP_LD, 0x3000), INSN(OP_HALT, 0) };

    load(0, prog, N(prog));
    *(uint64_t *)(ram.ram_ptr + 0x3000) = 42;
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 42);
    EXPECT_EQ(cpu->tlb[0][3].addr_read, 0x3000);
    tlb_flush_page(cpu, 0x3000);
    EXPECT_EQ(cpu->tlb[0][3].addr_read, (uint64_t)-1);
}

TEST(misaligned_access_calls_unaligned_access)
{
    static const uint32_t prog[] = {
        INSN(OP_LDA, 0x1000),    /* 0: fine */
        INSN(OP_LDA, 0x1004),    /* 4: misaligned */
        INSN(OP_HALT, 0),
    };

    load(0, prog, N(prog));
    *(uint64_t *)(ram.ram_ptr + 0x1000) = 77;
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 77);
    EXPECT_EQ(toy->last_excp, EXCP_ALIGN);
    EXPECT_EQ(toy->excp_pc, 4);
    EXPECT_EQ(seen.tf_vaddr, 0x1004);
}

TEST(access_across_a_page_boundary_is_split)
{
    static const uint32_t prog[] = {
        INSN(OP_LD, 0x1ffc),     /* spans 0x1000 and 0x2000 pages */
        INSN(OP_ADDI, 1),
        INSN(OP_ST, 0x2ffd),     /* spans 0x2000 and 0x3000 pages */
        INSN(OP_HALT, 0),
    };
    uint64_t v = 0;

    load(0, prog, N(prog));
    memcpy(ram.ram_ptr + 0x1ffc, &(uint64_t){ 0x1122334455667787ull }, 8);
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 0x1122334455667788ull);
    memcpy(&v, ram.ram_ptr + 0x2ffd, 8);
    EXPECT_EQ(v, 0x1122334455667788ull);
    /* From a helper's point of view, big-endian. */
    EXPECT_EQ(cpu_ld_mmu(cpu, 0x1ffc, make_memop_idx(MO_UQ | MO_BE, 0), 0),
              0x8777665544332211ull);
}

TEST(writes_to_rom_are_ignored)
{
    static const uint32_t prog[] = {
        INSN(OP_SET, 5),
        INSN(OP_ST, ROM_BASE + 8),
        INSN(OP_LD, ROM_BASE + 8),
        INSN(OP_HALT, 0),
    };
    uint64_t orig = 1234;

    load(0, prog, N(prog));
    address_space_write_rom(&as, ROM_BASE + 8, &orig, 8);
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 1234);
    EXPECT_EQ(toy->nexcp, 0);
}

TEST(page_without_code_gets_fast_writes_back)
{
    static const uint32_t prog[] = {
        INSN(OP_ST, 0x6100),     /* 0x6000: data store to its own page */
        INSN(OP_HALT, 0),
    };
    uint32_t nop = INSN(OP_ADDI, 0);

    load(0x6000, prog, N(prog));
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT(memory_region_is_code_page(&ram, 0x6000));
    EXPECT(cpu->tlb[0][6].addr_write & TLB_NOTDIRTY);
    /* Overwrite both TBs on the page: nothing is left to protect. */
    address_space_write(&as, 0x6000, &nop, 4);
    address_space_write(&as, 0x6004, &nop, 4);
    EXPECT(!memory_region_is_code_page(&ram, 0x6000));
    EXPECT_EQ(cpu->tlb[0][6].addr_write, 0x6000);
}

TEST(single_step_runs_one_insn_per_cpu_exec)
{
    static const uint32_t prog[] = {
        INSN(OP_SET, 0x100),     /* 0 */
        INSN(OP_JR, 0),          /* 4: to 0x100 */
    };

    load(0, prog, N(prog));
    *(uint32_t *)(ram.ram_ptr + 0x100) = INSN(OP_ADDI, 2);
    *(uint32_t *)(ram.ram_ptr + 0x104) = INSN(OP_HALT, 0);
    /* Warm the jump cache with multi-insn TBs first. */
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->acc, 0x102);
    toy->pc = 0;
    toy->acc = 0;
    cpu->singlestep = true;
    EXPECT_EQ(cpu_exec(cpu), EXCP_DEBUG);
    EXPECT_EQ(toy->pc, 4);
    EXPECT_EQ(toy->acc, 0x100);
    EXPECT_EQ(cpu_exec(cpu), EXCP_DEBUG);
    EXPECT_EQ(toy->pc, 0x100);
    EXPECT_EQ(cpu_exec(cpu), EXCP_DEBUG);
    EXPECT_EQ(toy->pc, 0x104);
    EXPECT_EQ(toy->acc, 0x102);
    cpu->singlestep = false;
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);
    EXPECT_EQ(toy->pc, 0x104);
}

static gpointer interrupter(gpointer opaque)
{
    ToyCPU *t = opaque;

    g_usleep(30 * 1000);
    t->irq_pending = 1;
    cpu_interrupt(&t->parent, CPU_INTERRUPT_HARD);
    return NULL;
}

TEST(interrupt_is_taken_at_the_next_tb_entry)
{
    static const uint32_t prog[] = {
        INSN(OP_ADDI, 1),        /* 0 */
        INSN(OP_ADDI, 1),        /* 4 */
        INSN(OP_JMP, 0),         /* 8: forever */
    };
    GThread *th;

    load(0, prog, N(prog));
    th = g_thread_new("irq", interrupter, toy);
    EXPECT_EQ(cpu_exec(cpu), EXCP_HALTED);   /* the handler halts */
    g_thread_join(th);
    EXPECT_EQ(toy->nirq, 1);
    EXPECT_EQ(toy->irq_pc, 0);    /* between two runs of the loop TB */
    EXPECT_EQ(toy->acc % 2, 0);
    EXPECT(toy->acc > 0);
    EXPECT_EQ(cpu->interrupt_request, 0);
}

/* Last ones: leave other CPUs' threads parked. */
TEST(two_vcpus_share_tbs_and_survive_flushes)
{
    /* Both run 3 times through a chain of NTB tiny TBs that does not fit
       in the buffer, so flushes happen while the other vCPU runs. */
    enum { NTB = 14000, BASE = 0x8000 };
    uint32_t *prog = g_new(uint32_t, 2 * NTB + 3);
    CPUState *c[2];
    uint64_t flushes0;
    int i, waited = 0;

    prog[0] = INSN(OP_SETCNT, 3);
    for (i = 0; i < NTB; i++) {
        prog[1 + 2 * i] = INSN(OP_ADDI, 1);
        prog[2 + 2 * i] = INSN(OP_JMP, BASE + (2 * i + 3) * 4);
    }
    prog[1 + 2 * NTB] = INSN(OP_LOOP, BASE + 4);
    prog[2 + 2 * NTB] = INSN(OP_WFI, 0);
    load(BASE, prog, 2 * NTB + 3);
    flushes0 = stat("TB flushes");
    for (i = 0; i < 2; i++) {
        c[i] = cpu_create(&toy_ops, 3 + i, &as);
        ((ToyCPU *)c[i])->pc = BASE;
    }
    for (i = 0; i < 2; i++)
        cpu_thread_start(c[i]);
    while (!(c[0]->halted && c[1]->halted) && waited++ < 2000)
        g_usleep(10 * 1000);
    for (i = 0; i < 2; i++) {
        cpu_pause(c[i]);
        EXPECT(c[i]->halted);
        EXPECT_EQ(((ToyCPU *)c[i])->acc, 3 * NTB);
        EXPECT_EQ(((ToyCPU *)c[i])->pc, BASE + (2 * NTB + 3) * 4);
    }
    EXPECT(stat("TB flushes") > flushes0 + 1);
    g_free(prog);
}

TEST(halted_vcpu_sleeps_until_interrupted)
{
    static const uint32_t prog[] = {
        INSN(OP_WFI, 0),         /* 0x5000 */
        INSN(OP_HALT, 0),        /* 0x5004: not reached */
    };
    static const uint32_t handler[] = {
        INSN(OP_ADDI, 1),        /* 0x5100 */
        INSN(OP_JMP, 0x5100),
    };
    CPUState *c3;
    ToyCPU *t3;

    load(0x5000, prog, N(prog));
    memcpy(ram.ram_ptr + 0x5100, handler, sizeof(handler));
    c3 = cpu_create(&toy_ops, 2, &as);
    t3 = (ToyCPU *)c3;
    t3->pc = 0x5000;
    t3->irq_handler = 0x5100;
    cpu_thread_start(c3);
    g_usleep(30 * 1000);
    EXPECT(c3->halted);
    EXPECT_EQ(t3->pc, 0x5004);
    EXPECT_EQ(t3->acc, 0);
    t3->irq_pending = 1;
    cpu_interrupt(c3, CPU_INTERRUPT_HARD);
    g_usleep(30 * 1000);
    cpu_pause(c3);
    EXPECT_EQ(t3->nirq, 1);
    EXPECT_EQ(t3->irq_pc, 0x5004);
    EXPECT(!c3->halted);
    EXPECT(t3->acc > 0);
}

TEST(vcpu_thread_pause_and_resume)
{
    static const uint32_t prog[] = {
        INSN(OP_SET, 0), INSN(OP_ADDI, 1), INSN(OP_JMP, 0x4004),
    };
    CPUState *cpu2;
    ToyCPU *t2;
    uint64_t a1;

    load(0x4000, prog, N(prog));
    cpu2 = cpu_create(&toy_ops, 1, &as);
    t2 = (ToyCPU *)cpu2;
    t2->pc = 0x4000;
    cpu_thread_start(cpu2);
    g_usleep(20 * 1000);
    cpu_pause(cpu2);
    a1 = t2->acc;
    EXPECT(a1 > 0);
    EXPECT(cpu2->stopped);
    g_usleep(20 * 1000);
    EXPECT_EQ(t2->acc, a1);
    cpu_resume(cpu2);
    g_usleep(20 * 1000);
    cpu_pause(cpu2);
    EXPECT(t2->acc > a1);
}

int main(void)
{
    return unit_run();
}
