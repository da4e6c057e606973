/*
 * Support for a target's translate(): the TB-entry check (gen_tb_start /
 * gen_tb_end), guest code fetch through the TLB for MMU_INST_FETCH that
 * records which physical pages a TB covers, the rule for which jumps may
 * be chained, and the -d in_asm dump of a new TB.
 *
 * A target's translate() looks like:
 *   gen_tb_start(tb);
 *   for (n = 0; n < max_insns; n++) {
 *       tcg_gen_insn_start(pc, 0);
 *       insn = translator_ldl(cpu, tb, pc);
 *       ...emit IR; stop at a jump, or before an insn on a new page...
 *   }
 *   gen_tb_end(tb);
 * Only the TB's first insn may start a fetch that faults: a later insn
 * on a page that cannot be fetched must end the TB before it (the TB's
 * first insn then faults on the next lookup, at the right pc).
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "mimic/log.h"
#include "mimic/tcg-op.h"

__thread TBPageInfo translator_pages;
static __thread TCGLabel *tb_exit_label;
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
    tb_exit_label = NULL;
    fetch_host = NULL;
}

void gen_tb_start(TranslationBlock *tb)
{
    TCGv_i32 flag = tcg_temp_new_i32();

    tb_exit_label = gen_new_label();
    tcg_gen_ld_i32(flag, tcg_env(), offsetof(CPUState, exit_request));
    tcg_gen_brcondi_i32(TCG_COND_NE, flag, 0, tb_exit_label);
    tcg_temp_free_i32(flag);
}

void gen_tb_end(TranslationBlock *tb)
{
    if (!tb_exit_label)
        return;
    gen_set_label(tb_exit_label);
    tcg_gen_exit_tb(tb, TB_EXIT_REQUESTED);
    tb_exit_label = NULL;
}

bool translator_use_goto_tb(TranslationBlock *tb, uint64_t dest)
{
    uint64_t page = dest & TARGET_PAGE_MASK;

    if (tb->cflags & CF_NO_GOTO_TB)
        return false;
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

static uint64_t translator_ld(CPUState *cpu, TranslationBlock *tb,
                              uint64_t pc, unsigned len)
{
    unsigned first = (unsigned)(TARGET_PAGE_SIZE - (pc & ~TARGET_PAGE_MASK));
    uint64_t lo, hi;

    if (first >= len)
        return translator_fetch(cpu, tb, pc, len);
    /* The insn straddles two pages: fetch each part through the TLB. */
    lo = translator_fetch(cpu, tb, pc, first);
    hi = translator_fetch(cpu, tb, pc + first, len - first);
    return lo | (hi << (8 * first));
}

uint16_t translator_lduw(CPUState *cpu, TranslationBlock *tb, uint64_t pc)
{
    return (uint16_t)translator_ld(cpu, tb, pc, 2);
}

uint32_t translator_ldl(CPUState *cpu, TranslationBlock *tb, uint64_t pc)
{
    return (uint32_t)translator_ld(cpu, tb, pc, 4);
}

/* Reads up to 4 bytes of the TB's guest code at pc from the pages the
   translator saw (never faults: the bytes were fetched already). */
static uint32_t translator_peek(TranslationBlock *tb, uint64_t pc,
                                unsigned len)
{
    uint64_t page0 = tb->pc & TARGET_PAGE_MASK;
    uint32_t val = 0;

    for (unsigned i = 0; i < len; i++) {
        uint64_t a = pc + i;
        int n = (a & TARGET_PAGE_MASK) == page0 ? 0 : 1;
        uint8_t *host = translator_pages.host[n];

        if (!host || a - tb->pc >= tb->size)
            break;
        val |= (uint32_t)host[a & ~TARGET_PAGE_MASK] << (8 * i);
    }
    return val;
}

void translator_log_in_asm(TranslationBlock *tb)
{
    FILE *f = log_file();

    fprintf(f, "----------------\nIN: \n");
    for (int i = 0; i < tb->icount; i++) {
        uint64_t pc = tb_insn_pc(tb, i);
        uint64_t next =
            i + 1 < tb->icount ? tb_insn_pc(tb, i + 1) : tb->pc + tb->size;
        unsigned len = next > pc && next - pc < 4 ? (unsigned)(next - pc) : 4;
        uint32_t insn = translator_peek(tb, pc, len);
        char buf[128] = "";

        if (tcg_target_ops->disas)
            tcg_target_ops->disas(pc, insn, buf, sizeof(buf));
        if (len == 2)
            fprintf(f, "0x%016" PRIx64 ":  %04x          %s\n", pc, insn, buf);
        else
            fprintf(f, "0x%016" PRIx64 ":  %08x      %s\n", pc, insn, buf);
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

void gen_debug_exception(void)
{
    tcg_gen_call1(&helper_info_debug, NULL, tcgv_ptr_temp(tcg_env()));
}
