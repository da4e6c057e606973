/*
 * The translator loop (include/mimic/translator.h) and what it needs: the
 * exit-request checks (gen_tb_start), guest code fetch through
 * the TLB for MMU_INST_FETCH that records which physical pages a TB
 * covers, the rule for which jumps may be chained, and the -d in_asm dump
 * of a new TB.
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "mimic/log.h"
#include "mimic/tcg-op.h"
#include "mimic/debug.h"
#include "mimic/translator.h"

__thread TBPageInfo translator_pages;
/* The guest page the translator fetched from last and its host address:
   later fetches from it skip the TLB (nothing runs while a TB is being
   translated, so the mapping cannot change under it). */
static __thread uint64_t fetch_vpage;
static __thread uint8_t *fetch_host;

void translator_begin(TranslationBlock *tb)
{
    memset(&translator_pages, 0, sizeof(translator_pages));
    tb->page_addr[0] = tb->page_addr[1] = (uint64_t)-1;
    tb->size = 0;
    fetch_host = NULL;
}

/*
 * The exit-request check: generated code polls cpu->exit_request so that
 * a chained loop returns to the main loop when another thread, a timer or
 * a signal asks.  It is made where a jump may close a loop, not at every
 * TB's entry: before a chained jump backwards (dest at or before the
 * jumping insn; every loop of direct jumps has one) and before every
 * indirect jump (tcg-op.c).  Forward chains end, so the main loop is
 * never more than a bounded run of straight-line code away.  The exit
 * leaves with the pc of the jump's destination stored and the guest
 * state complete, as an unchained exit does.
 */
static void gen_tb_start(TranslationBlock *tb)
{
    tcg_ctx->exit_check_offset = offsetof(CPUState, exit_request);
}

/* The current insn's pc, for translator_use_goto_tb. */
static __thread uint64_t cur_insn_pc;

bool translator_use_goto_tb(TranslationBlock *tb, uint64_t dest)
{
    uint64_t page = dest & TARGET_PAGE_MASK;

    if (tb->cflags & CF_NO_GOTO_TB)
        return false;
    /* A jump back may close a loop: tcg_gen_goto_tb checks first. */
    tcg_ctx->goto_tb_check = dest <= cur_insn_pc;
    /* User mode: a TB's key is its guest address, and a page losing its
       code (munmap, mmap over it, mprotect without exec, a store into it)
       invalidates its TBs, which unchains every jump into them; so a
       direct jump may chain to any page.  In system mode the guest's
       mapping of another page can change under the jump. */
    if (tcg_runtime.direct)
        return true;
    if (page == (tb->pc & TARGET_PAGE_MASK))
        return true;
    /* The page of the last insn fetched so far (a TB spanning two). */
    return tb->size && page == ((tb->pc + tb->size - 1) & TARGET_PAGE_MASK);
}

/* Records that the TB covers the page of vaddr; returns its slot. */
static int translator_note_page(TranslationBlock *tb, uint64_t vaddr,
                                uint64_t paddr, uint8_t *host,
                                MemoryRegion *mr, uint64_t mr_offset)
{
    uint64_t ppage = paddr & TARGET_PAGE_MASK;
    int n;

    if (tb->page_addr[0] == (uint64_t)-1 || tb->page_addr[0] == ppage)
        n = 0;
    else
        n = 1;
    if (tb->page_addr[n] == (uint64_t)-1) {
        uint64_t in_page = vaddr & ~TARGET_PAGE_MASK;

        tb->page_addr[n] = ppage;
        if (n == 0)
            tb->phys_pc = paddr;
        translator_pages.mr[n] = mr;
        translator_pages.mr_offset[n] = mr_offset - in_page;
        translator_pages.host[n] = host - in_page;
        tb_page_mark_code(ppage, mr, mr_offset - in_page);
    }
    return n;
}

/* Fetches len (1..8) bytes at pc that lie on one page. */
static uint64_t translator_fetch(CPUState *cpu, TranslationBlock *tb,
                                 uint64_t pc, unsigned len)
{
    uint64_t paddr, mr_offset, val = 0, end;
    MemoryRegion *mr;
    uint8_t *host;

    if (fetch_host && (pc & TARGET_PAGE_MASK) == fetch_vpage) {
        host = fetch_host + (pc & ~TARGET_PAGE_MASK);
    } else {
        host = tlb_get_code_ptr(cpu, pc, &paddr, &mr, &mr_offset, false);
        translator_note_page(tb, pc, paddr, host, mr, mr_offset);
        fetch_vpage = pc & TARGET_PAGE_MASK;
        fetch_host = host - (pc & ~TARGET_PAGE_MASK);
    }
    /* Little-endian hosts only.  Fixed-size copies for the usual widths:
       a variable-length memcpy is a library call. */
    if (len == 2) {
        uint16_t v16;
        memcpy(&v16, host, 2);
        val = v16;
    } else if (len == 4) {
        uint32_t v32;
        memcpy(&v32, host, 4);
        val = v32;
    } else {
        for (unsigned i = 0; i < len; i++)
            val |= (uint64_t)host[i] << (8 * i);
    }
    end = pc + len - tb->pc;
    if (end > tb->size)
        tb->size = (uint32_t)end;
    return val;
}

/* An insn other than the TB's first may not fetch from a page other
   than the first insn's: the loop drops it and ends the TB before it. */
static void translator_check_page(DisasContextBase *db, uint64_t pc)
{
    if (db->num_insns > 1 &&
        ((pc ^ db->pc_first) & TARGET_PAGE_MASK) != 0)
        siglongjmp(db->drop_insn, 1);
}

static uint64_t translator_ld(DisasContextBase *db, uint64_t pc, unsigned len)
{
    unsigned first = (unsigned)(TARGET_PAGE_SIZE - (pc & ~TARGET_PAGE_MASK));
    uint64_t lo, hi;

    translator_check_page(db, pc);
    if (first >= len)
        return translator_fetch(db->cpu, db->tb, pc, len);
    /* The insn straddles two pages: fetch each part through the TLB. */
    translator_check_page(db, pc + first);
    lo = translator_fetch(db->cpu, db->tb, pc, first);
    hi = translator_fetch(db->cpu, db->tb, pc + first, len - first);
    return lo | (hi << (8 * first));
}

uint8_t translator_ldub(DisasContextBase *db, uint64_t pc)
{
    return (uint8_t)translator_ld(db, pc, 1);
}

uint16_t translator_lduw(DisasContextBase *db, uint64_t pc)
{
    return (uint16_t)translator_ld(db, pc, 2);
}

uint32_t translator_ldl(DisasContextBase *db, uint64_t pc)
{
    return (uint32_t)translator_ld(db, pc, 4);
}

uint64_t translator_ldq(DisasContextBase *db, uint64_t pc)
{
    return translator_ld(db, pc, 8);
}

static void gen_debug_exception(void);

/* ---- The loop ---- */

/* Stops before tcg/ runs out of temps or labels for this TB. */
static bool ir_nearly_full(void)
{
    return tcg_ctx->nb_temps > TCG_MAX_TEMPS - 48 ||
           tcg_ctx->nb_labels > TCG_MAX_LABELS - 8;
}

void translator_loop(CPUState *cpu, TranslationBlock *tb, int max_insns,
                     const TranslatorOps *ops, DisasContextBase *db)
{
    db->tb = tb;
    db->cpu = cpu;
    db->pc_first = db->pc_next = tb->pc;
    db->is_jmp = DISAS_NEXT;
    db->num_insns = 0;
    db->max_insns = max_insns > 0 && max_insns < TCG_MAX_INSNS
                        ? max_insns : TCG_MAX_INSNS;
    if (ops->init_disas_context)
        ops->init_disas_context(db, cpu);
    gen_tb_start(tb);
    if (ops->tb_start)
        ops->tb_start(db, cpu);
    if (sigsetjmp(db->drop_insn, 0)) {
        /* translate_insn left through translator_check_page: everything
           of the insn goes, its insn_start included. */
        tcg_remove_ops_after(db->insn_start_prev);
        db->num_insns--;
        db->pc_next = db->insn_pc;
        db->is_jmp = DISAS_TOO_MANY;
    }
    while (db->is_jmp == DISAS_NEXT) {
        db->insn_pc = cur_insn_pc = db->pc_next;
        db->insn_start_prev = tcg_last_op();
        ops->insn_start(db, cpu);
        db->num_insns++;
        if (cpu->nb_breakpoints && cpu_breakpoint_test(cpu, db->insn_pc)) {
            /* Stop before the insn; the TB covers its first bytes so
               that invalidating the page drops it. */
            gen_debug_exception();
            db->pc_next = db->insn_pc + cpu->ops->insn_unit;
            db->is_jmp = DISAS_NORETURN;
            break;
        }
        ops->translate_insn(db, cpu);
        if (db->is_jmp != DISAS_NEXT)
            break;
        if (db->num_insns >= db->max_insns ||
            ((db->pc_next ^ db->pc_first) & TARGET_PAGE_MASK) ||
            ir_nearly_full())
            db->is_jmp = DISAS_TOO_MANY;
    }
    ops->tb_stop(db, cpu);
    tb->size = (uint32_t)(db->pc_next - db->pc_first);
    tb->icount = (uint16_t)db->num_insns;
}

/* ---- -d in_asm and x/i ---- */

int disas_format_insn(const TargetOps *ops, uint64_t pc, const uint8_t *code,
                      unsigned avail, int hex_width, char *line, size_t size)
{
    char hex[3 * TRANSLATOR_MAX_INSN_LEN + 1] = "";
    char text[160] = "";
    int len = ops->disas ? ops->disas(pc, code, avail, text, sizeof(text))
                         : 0;
    unsigned shown = len > 0 && (unsigned)len <= avail ? (unsigned)len : avail;
    size_t at = 0;

    if (shown > TRANSLATOR_MAX_INSN_LEN)
        shown = TRANSLATOR_MAX_INSN_LEN;
    if (ops->insn_unit <= 1) {
        /* Byte-oriented encodings (x86): the bytes in memory order. */
        for (unsigned i = 0; i < shown; i++)
            at += (size_t)snprintf(hex + at, sizeof(hex) - at, "%s%02x",
                                   i ? " " : "", code[i]);
    } else {
        /* Fixed units (RISC-V): the insn as one little-endian number. */
        for (unsigned i = shown; i-- > 0;)
            at += (size_t)snprintf(hex + at, sizeof(hex) - at, "%02x",
                                   code[i]);
    }
    /* At least one space between the columns: x86's longest insns
       overflow the hex one. */
    snprintf(line, size, "%s%*s%s", hex,
             (int)at < hex_width ? hex_width - (int)at : 1, "", text);
    return len > 0 && (unsigned)len <= avail ? len : 0;
}

/* Copies up to len bytes of the TB's guest code at pc from the pages the
   translator saw (never faults: the bytes were fetched already); returns
   how many it had. */
static unsigned translator_peek(TranslationBlock *tb, uint64_t pc,
                                uint8_t *buf, unsigned len)
{
    uint64_t page0 = tb->pc & TARGET_PAGE_MASK;
    unsigned i;

    for (i = 0; i < len; i++) {
        uint64_t a = pc + i;
        int n = (a & TARGET_PAGE_MASK) == page0 ? 0 : 1;
        uint8_t *host = translator_pages.host[n];

        if (!host || a - tb->pc >= tb->size)
            break;
        buf[i] = host[a & ~TARGET_PAGE_MASK];
    }
    return i;
}

void translator_log_in_asm(TranslationBlock *tb, const TargetOps *ops)
{
    FILE *f = log_file();

    fprintf(f, "----------------\nIN: \n");
    for (int i = 0; i < tb->icount; i++) {
        uint64_t pc = tb_insn_pc(tb, i);
        uint64_t next =
            i + 1 < tb->icount ? tb_insn_pc(tb, i + 1) : tb->pc + tb->size;
        uint8_t code[TRANSLATOR_MAX_INSN_LEN];
        unsigned len = next > pc && next - pc <= sizeof(code)
                           ? (unsigned)(next - pc) : 0;
        char line[192];

        len = translator_peek(tb, pc, code, len);
        disas_format_insn(ops, pc, code, len, 14, line, sizeof(line));
        fprintf(f, "0x%016" PRIx64 ":  %s\n", pc, line);
    }
    fprintf(f, "\n");
}

/* Leaves for the debugger with the pc of the insn that has a breakpoint
   (restored from the insn_start record of the call site). */
static _Noreturn void helper_debug(CPUState *cpu)
{
    cpu->exception_index = EXCP_DEBUG;
    cpu_loop_exit_restore(cpu, GETPC());
}

static const TCGHelperInfo helper_info_debug = {
    .func = (void *)helper_debug,
    .name = "debug",
    .flags = TCG_CALL_NO_RETURN | TCG_CALL_NO_WRITE_GLOBALS,
    .nb_args = 1,
    .arg_types = { TCG_TYPE_PTR },
};

/* Emits a debug stop (EXCP_DEBUG) at the current insn, before it runs. */
static void gen_debug_exception(void)
{
    tcg_gen_call1(&helper_info_debug, NULL, tcgv_ptr_temp(tcg_env()));
}
