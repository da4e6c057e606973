/*
 * aarch64 backend, part 4: entering and leaving generated code.  The
 * prologue (tcg_qemu_tb_exec(env, code)) saves the callee-saved
 * registers and the link register, loads env into x19 (and env's far
 * base into x29, guest_base into x28 in user mode), reserves the fixed
 * frame, loads the pinned globals and branches to the TB; the epilogue
 * stores those back, undoes the rest and returns x0.  Also here:
 * exit_tb, goto_tb (a B instruction rewritten whole, atomically, to
 * chain), lookup_and_goto_ptr (an inline probe of the CPU's jump cache)
 * and tcg_tb_set_jmp_target, the patcher used for TB chaining.
 *
 * Stack at TB entry (16-byte aligned throughout):
 *   [sp + 0, 256)           slow-path register save area (x0..x31 by number)
 *   [sp + 256, + 8192)      spill slots (tcg_target_frame_start/size)
 *   [sp + FRAME_SIZE, + 96) x19..x30 as the prologue saved them
 */
#include "emit.h"

#include <assert.h>
#include <stddef.h>

#include "mimic/cpu.h"

_Static_assert(sizeof(TBJumpCacheEntry) == 32,
               "the jump-cache probe scales by 32");

#define FRAME_SIZE (256 + 8192)
#define SAVE_SIZE 96

static uintptr_t tb_ret_addr; /* epilogue entry returning x0 (RX) */
/* Where lookup_and_goto_ptr's probe misses go (RX). */
static uintptr_t lookup_miss_addr;
intptr_t tcg_env_hi_bias;

/* stp/ldp of the pair (a, b) at sp + off (insn: a pair form). */
static void out_pair(TCGContext *s, uint32_t insn, int a, int b, int off)
{
    tcg_out_insn(s, insn | (uint32_t)((off / 8) & 0x7f) << 15 |
                        (uint32_t)b << 10 | (uint32_t)R_SP << 5 | (uint32_t)a);
}

/*
 * The second env base: the fields generated code reads most (the
 * guest's registers and pc, the exit flag, tb_flags, the TLB's fast
 * table) sit together at the end of the CPU's state, 2 MiB past its
 * start (after the jump cache), beyond a load's 32 KiB reach.  The
 * base goes 16 KiB below the guest pc, so that +-16 KiB around it takes
 * one instruction for 8-byte fields.
 */
static intptr_t env_hi_bias(void)
{
    intptr_t pc = tcg_runtime.pc_offset;

    if (pc < 0x8000)
        return 0;
    return (pc - 0x4000) & ~(intptr_t)0xfff;
}

void tcg_target_qemu_prologue(TCGContext *s)
{
    uintptr_t start = tcg_rx(s, s->code_ptr);

    out_pair(s, I_STP_PRE, R_X29, R_X30, -SAVE_SIZE);
    out_pair(s, I_STP, R_X19, R_X20, 16);
    out_pair(s, I_STP, R_X21, R_X22, 32);
    out_pair(s, I_STP, R_X23, R_X24, 48);
    out_pair(s, I_STP, R_X25, R_X26, 64);
    out_pair(s, I_STP, R_X27, R_X28, 80);
    tcg_out_mov(s, TCG_TYPE_I64, TCG_AREG0, R_X0);
    tcg_env_hi_bias = env_hi_bias();
    if (tcg_env_hi_bias)
        tcg_out_addi(s, true, TCG_REG_ENVHI, TCG_AREG0, tcg_env_hi_bias);
    /* The TB's code, out of x1 (not a pinned home). */
    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, R_X1);
    /* Pinned globals live in their registers while generated code runs. */
    tcg_out_pinned_load(s, ~(TCGRegSet)0);
    /* User mode: guest memory is at guest_base, fixed for the run. */
    if (tcg_runtime.direct && tcg_runtime.guest_base) {
        s->reserved_regs |= tcg_regset_bit(TCG_GUEST_BASE_REG);
        tcg_target_available_regs &= ~tcg_regset_bit(TCG_GUEST_BASE_REG);
        tcg_out_movi(s, TCG_TYPE_I64, TCG_GUEST_BASE_REG,
                     (int64_t)tcg_runtime.guest_base);
        guest_base_in_reg = true;
    }
    tcg_out_addi(s, true, R_SP, R_SP, -FRAME_SIZE);
    tcg_out_insn(s, I_BR | (uint32_t)TCG_TMP0 << 5);

    /* exit_tb 0 and jump-cache misses land here. */
    tcg_code_gen_epilogue = (const void *)tcg_rx(s, s->code_ptr);
    tcg_out_movi(s, TCG_TYPE_I64, R_X0, 0);
    tb_ret_addr = tcg_rx(s, s->code_ptr);
    tcg_out_pinned_store(s, ~(TCGRegSet)0);
    tcg_out_addi(s, true, R_SP, R_SP, FRAME_SIZE);
    out_pair(s, I_LDP, R_X19, R_X20, 16);
    out_pair(s, I_LDP, R_X21, R_X22, 32);
    out_pair(s, I_LDP, R_X23, R_X24, 48);
    out_pair(s, I_LDP, R_X25, R_X26, 64);
    out_pair(s, I_LDP, R_X27, R_X28, 80);
    out_pair(s, I_LDP_POST, R_X29, R_X30, SAVE_SIZE);
    tcg_out_insn(s, I_RET | (uint32_t)R_X30 << 5);
    tcg_qemu_tb_exec = (TCGPrologueFn)start;

    /* A probe miss asks tcg_runtime.lookup_code for the TB's code and
       branches there, or to the epilogue if it says no.  The pinned
       homes are callee-saved: the call keeps them. */
    lookup_miss_addr = (uintptr_t)tcg_code_gen_epilogue;
    if (tcg_runtime.lookup_code) {
        lookup_miss_addr = tcg_rx(s, s->code_ptr);
        tcg_out_pinned_store(s, ~(TCGRegSet)0);
        tcg_out_mov(s, TCG_TYPE_I64, R_X0, TCG_AREG0);
        tcg_out_call(s, (const void *)tcg_runtime.lookup_code);
        tcg_out_pinned_load(s, tcg_target_call_clobber_regs);
        /* cbz x0, epilogue (x0 = 0 is the epilogue's return value) */
        tcg_out_insn(s, I_CBNZ | 0x80000000u | 2u << 5 | R_X0);
        tcg_out_jmp_abs(s, tb_ret_addr, false);
        tcg_out_insn(s, I_BR | (uint32_t)R_X0 << 5);
    }
}

/* exit_tb val */
void tcg_out_op_exit_tb(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    uintptr_t val = args[0];

    if (val == 0) {
        tcg_out_jmp_abs(s, (uintptr_t)tcg_code_gen_epilogue, false);
    } else {
        tcg_out_movi(s, TCG_TYPE_I64, R_X0, (int64_t)val);
        tcg_out_jmp_abs(s, tb_ret_addr, false);
    }
}

/* w16 = the exit-request flag at env + off. */
static void out_exit_flag(TCGContext *s, intptr_t off)
{
    tcg_out_ldst(s, I_LDRW, TCG_TMP0, TCG_AREG0, off);
}

/*
 * goto_tb which, check: a B instruction, rewritten whole when the jump
 * is chained, whose initial target is the next instruction (the exit
 * after it).  With the exit check, a set flag skips the B:
 *   ldr w16, [env + check] ; cbnz w16, 1f ; b <next TB> ; 1: (exit)
 */
void tcg_out_op_goto_tb(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    int which = (int)args[0];
    intptr_t check = (intptr_t)args[1];

    if (check >= 0) {
        out_exit_flag(s, check);
        tcg_out_insn(s, I_CBNZ | 2u << 5 | TCG_TMP0);
    }
    s->goto_tb_jmp_offset[which] = (uint16_t)tcg_current_code_size(s);
    tcg_out_insn(s, I_B | 1);
    s->goto_tb_reset_offset[which] = (uint16_t)tcg_current_code_size(s);
}

void tcg_tb_set_jmp_target(uintptr_t jmp_rx, uintptr_t jmp_rw, uintptr_t target)
{
    intptr_t d = (intptr_t)target - (intptr_t)jmp_rx;
    uint32_t insn = I_B | 1; /* out of reach: stay unchained */

    if (d >= -(1 << 27) && d < (1 << 27))
        insn = I_B | (uint32_t)((d >> 2) & 0x3ffffff);
    __atomic_store_n((uint32_t *)jmp_rw, insn, __ATOMIC_RELEASE);
    jitmem_flush_icache((void *)jmp_rx, 4);
}

void tcg_out_op_lookup_and_goto_ptr(TCGContext *s, const TCGOp *op,
                                    const TCGArg *args,
                                    const bool *const_args)
{
    unsigned bits = tcg_runtime.jmp_cache_bits ? tcg_runtime.jmp_cache_bits
                                               : TB_JMP_CACHE_BITS;
    intptr_t base = tcg_runtime.jmp_cache_offset;
    uintptr_t leave = (uintptr_t)tcg_code_gen_epilogue;
    int pc = (int)args[0];
    intptr_t check = (intptr_t)args[1];

    /* Block end and exit: pc (in env too) is the only value still
       needed; x16, x17 and x30 are free. */
    if (check >= 0) {
        out_exit_flag(s, check);
        /* cbz w16, over ; b epilogue */
        tcg_out_insn(s, I_CBZ | 2u << 5 | TCG_TMP0);
        tcg_out_jmp_abs(s, leave, false);
    }
    /* x17 = env's tb_flags, first: a far offset may need x30. */
    tcg_out_ldst(s, I_LDRX, TCG_TMP1, TCG_AREG0, tcg_runtime.tb_flags_offset);
    /* tb_jmp_cache_hash: ((pc >> 1) ^ (pc >> (1 + bits))) & mask, times
       the entry's 32 bytes: (((pc >> bits) ^ pc) & (mask << 1)) << 4. */
    tcg_out_shifti(s, SH_LSR, true, TCG_TMP0, pc, bits);
    tcg_out_insn_rrr(s, I_EOR, true, TCG_TMP0, TCG_TMP0, pc);
    tcg_out_logici(s, I_AND, true, TCG_TMP0, TCG_TMP0,
                   (uint64_t)((1u << bits) - 1) << 1);
    /* add x16, env, x16, lsl #4 */
    tcg_out_insn(s, I_ADD | sf(true) | (uint32_t)TCG_TMP0 << 16 | 4u << 10 |
                        (uint32_t)TCG_AREG0 << 5 | TCG_TMP0);
    if (base)
        tcg_out_addi(s, true, TCG_TMP0, TCG_TMP0, base);
    tcg_out_ldst(s, I_LDRX, TCG_TMP2, TCG_TMP0, offsetof(TBJumpCacheEntry, pc));
    tcg_out_insn_rrr(s, I_SUBS, true, R_ZR, TCG_TMP2, pc);
    tcg_out_b_rx(s, COND_NE, lookup_miss_addr);
    tcg_out_ldst(s, I_LDRX, TCG_TMP2, TCG_TMP0,
                 offsetof(TBJumpCacheEntry, flags));
    tcg_out_insn_rrr(s, I_SUBS, true, R_ZR, TCG_TMP2, TCG_TMP1);
    tcg_out_b_rx(s, COND_NE, lookup_miss_addr);
    /* A slot whose pc matches has code (tb_jmp_cache_init, _fill). */
    tcg_out_ldst(s, I_LDRX, TCG_TMP0, TCG_TMP0,
                 offsetof(TBJumpCacheEntry, code));
    tcg_out_insn(s, I_BR | (uint32_t)TCG_TMP0 << 5);
}
