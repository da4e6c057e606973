/*
 * The translator loop (accel/tcg/translator.c): what every guest's front
 * end shares.  The loop owns the rules of where a TB ends that are not
 * about the guest's instructions: the instruction limit, the end of the
 * page, the IR running out of temps or labels, breakpoints, and an
 * instruction that would span two pages.  The target fills a
 * TranslatorOps with its hooks and embeds a DisasContextBase first in its
 * own context:
 *
 *   static void rv_translate(CPUState *cpu, TranslationBlock *tb,
 *                            int max_insns)
 *   {
 *       DisasContext ctx = { ... target state from tb->flags ... };
 *       translator_loop(cpu, tb, max_insns, &riscv_translator_ops,
 *                       &ctx.base);
 *   }
 *
 * For each instruction the loop calls insn_start (the target emits
 * tcg_gen_insn_start(pc, extra): the per-instruction restore data), then
 * translate_insn, which fetches with translator_ld*() from
 * db->pc_next on, advances db->pc_next past the instruction and sets
 * db->is_jmp if the instruction ends the TB.  Instructions are 1 to
 * TRANSLATOR_MAX_INSN_LEN bytes long.  tb_stop then emits the TB's exit
 * for the is_jmp the loop ended with.
 *
 * Only the TB's first instruction may fetch from a second page: a later
 * instruction that would is dropped (its IR removed; translate_insn does
 * not return) and the TB ends before it, so that a fetch fault on the
 * second page is raised at that instruction's pc, with the instructions
 * before it not run twice.  The first instruction's fault needs no such
 * care: nothing has run yet.
 */
#ifndef MIMIC_TRANSLATOR_H
#define MIMIC_TRANSLATOR_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "mimic/cpu.h"
#include "mimic/exec.h"
#include "mimic/tcg.h"

/* x86's limit; no guest instruction is longer. */
#define TRANSLATOR_MAX_INSN_LEN 15

/* How the TB ends after the current instruction (db->is_jmp).  A target
   adds its own kinds from DISAS_TARGET_0 on and handles them in tb_stop. */
typedef enum DisasJumpType {
    DISAS_NEXT,      /* keep translating */
    DISAS_TOO_MANY,  /* stop; continue at pc_next (set by the loop at its
                        limits; a target may use it too) */
    DISAS_NORETURN,  /* the insn ended the TB itself (jump, trap) */
    DISAS_TARGET_0,
    DISAS_TARGET_1,
    DISAS_TARGET_2,
    DISAS_TARGET_3,
    DISAS_TARGET_4,
    DISAS_TARGET_5,
} DisasJumpType;

typedef struct DisasContextBase {
    TranslationBlock *tb;
    CPUState *cpu;
    uint64_t pc_first;      /* tb->pc */
    uint64_t pc_next;       /* the next insn to translate */
    DisasJumpType is_jmp;
    int num_insns;          /* translated so far, the current one included */
    int max_insns;
    /* Private to the loop: where translate_insn leaves for when an insn
       other than the first would fetch from a second page. */
    sigjmp_buf drop_insn;
    uint64_t insn_pc;       /* the current insn's pc */
    TCGOp *insn_start_prev; /* the last op before the insn's insn_start */
} DisasContextBase;

typedef struct TranslatorOps {
    /* Sets up the target's part of the context (optional). */
    void (*init_disas_context)(DisasContextBase *db, CPUState *cpu);
    /* Emits code at the TB's entry, after the exit-request check
       (optional). */
    void (*tb_start)(DisasContextBase *db, CPUState *cpu);
    /* Emits the insn's insn_start (pc = db->pc_next, and the target's
       extra restore word). */
    void (*insn_start)(DisasContextBase *db, CPUState *cpu);
    void (*translate_insn)(DisasContextBase *db, CPUState *cpu);
    /* Emits the TB's exit for db->is_jmp (DISAS_TOO_MANY: continue at
       db->pc_next; DISAS_NORETURN: nothing). */
    void (*tb_stop)(DisasContextBase *db, CPUState *cpu);
} TranslatorOps;

void translator_loop(CPUState *cpu, TranslationBlock *tb, int max_insns,
                     const TranslatorOps *ops, DisasContextBase *db);

/*
 * Guest code fetches during translation: through the TLB for
 * MMU_INST_FETCH (or the guest's mappings in user mode), raising the
 * guest's fetch fault if the page cannot be executed, and recording the
 * pages the TB covers.  Any alignment; a fetch may straddle two pages.
 */
uint8_t translator_ldub(DisasContextBase *db, uint64_t pc);
uint16_t translator_lduw(DisasContextBase *db, uint64_t pc);
uint32_t translator_ldl(DisasContextBase *db, uint64_t pc);
uint64_t translator_ldq(DisasContextBase *db, uint64_t pc);

/* Chaining: may a direct jump to dest be chained from tb? */
bool translator_use_goto_tb(TranslationBlock *tb, uint64_t dest);

#endif
