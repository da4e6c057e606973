/*
 * x86-64 backend, part 4: entering and leaving generated code.  The
 * prologue (tcg_qemu_tb_exec(env, code)) saves the callee-saved
 * registers, loads env into rbp, reserves the fixed frame and jumps to the
 * TB (with the pinned globals loaded from env into their registers); the
 * epilogue stores those back, undoes the rest and returns rax.  Also here: exit_tb,
 * goto_tb (a patchable, atomically rewritable jmp rel32), goto_ptr's
 * friend lookup_and_goto_ptr (an inline probe of the CPU's jump cache)
 * and tcg_tb_set_jmp_target, the patcher used for TB chaining.
 *
 * Stack at TB entry: return address, 6 saved registers, then the frame
 * (FRAME_SIZE bytes, keeping rsp 16-byte aligned for helper calls):
 *   [rsp + 0, 128)          slow-path register save area
 *   [rsp + 128, + 8192)     spill slots (tcg_target_frame_start/size)
 */
#include "emit.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "mimic/cpu.h"

_Static_assert(sizeof(TBJumpCacheEntry) == 32,
               "the jump-cache probe scales by 32");

static const int saved_regs[] = {R_RBP, R_RBX, R_R12, R_R13, R_R14, R_R15};
#define NB_SAVED ((int)(sizeof(saved_regs) / sizeof(saved_regs[0])))
/* Entry rsp is 8 mod 16; the pushes add 48; the frame makes it 0 mod 16. */
#define FRAME_SIZE (128 + 8192 + 8)

static uintptr_t tb_ret_addr; /* epilogue entry returning rax (RX) */
/* Where lookup_and_goto_ptr's probe misses go (RX). */
static uintptr_t lookup_miss_addr;

void tcg_target_qemu_prologue(TCGContext *s)
{
    uintptr_t start = tcg_rx(s, s->code_ptr);

    for (int i = 0; i < NB_SAVED; i++)
        tcg_out_opc(s, OPC_PUSH_r32 + (saved_regs[i] & 7), 0, saved_regs[i], 0);
    tcg_out_mov(s, TCG_TYPE_I64, TCG_AREG0, R_RDI);
    /* The TB's code, out of rsi, which may be a pinned global's home. */
    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, R_RSI);
    /* Pinned globals live in their registers while generated code runs. */
    tcg_out_pinned_load(s, ~(TCGRegSet)0);
    /* User mode: guest memory is at guest_base, fixed for the run; a
       register holding it saves a 10-byte movabs per access (ldst.c). */
    if (tcg_runtime.direct && tcg_runtime.guest_base) {
        s->reserved_regs |= tcg_regset_bit(TCG_GUEST_BASE_REG);
        tcg_target_available_regs &= ~tcg_regset_bit(TCG_GUEST_BASE_REG);
        tcg_out_movi(s, TCG_TYPE_I64, TCG_GUEST_BASE_REG,
                     (int64_t)tcg_runtime.guest_base);
        guest_base_in_reg = true;
    }
    tcg_out_arithi(s, ARITH_SUB, R_RSP, FRAME_SIZE, true);
    tcg_out_modrm(s, OPC_GRP5, EXT5_JMPN_Ev, TCG_TMP0);

    /* exit_tb 0 and jump-cache misses land here. */
    tcg_code_gen_epilogue = (const void *)tcg_rx(s, s->code_ptr);
    tcg_out_movi(s, TCG_TYPE_I32, R_RAX, 0);
    tb_ret_addr = tcg_rx(s, s->code_ptr);
    tcg_out_pinned_store(s, ~(TCGRegSet)0);
    tcg_out_arithi(s, ARITH_ADD, R_RSP, FRAME_SIZE, true);
    for (int i = NB_SAVED - 1; i >= 0; i--)
        tcg_out_opc(s, OPC_POP_r32 + (saved_regs[i] & 7), 0, saved_regs[i], 0);
    tcg_out8(s, OPC_RET);
    tcg_qemu_tb_exec = (TCGPrologueFn)start;

    /* A probe miss asks tcg_runtime.lookup_code for the TB's code and
       jumps there, or to the epilogue if it says no.  Only the pinned
       homes that the call clobbers need reloading; env gets them all,
       as at any exit. */
    lookup_miss_addr = (uintptr_t)tcg_code_gen_epilogue;
    if (tcg_runtime.lookup_code) {
        lookup_miss_addr = tcg_rx(s, s->code_ptr);
        tcg_out_pinned_store(s, ~(TCGRegSet)0);
        tcg_out_mov(s, TCG_TYPE_I64, R_RDI, TCG_AREG0);
        tcg_out_call(s, (const void *)tcg_runtime.lookup_code);
        tcg_out_pinned_load(s, tcg_target_call_clobber_regs);
        tcg_out_modrm(s, OPC_TESTL + P_REXW, R_RAX, R_RAX);
        tcg_out_opc(s, OPC_JCC_long + JCC_JE, 0, 0, 0);
        tcg_out32(s, (uint32_t)((uintptr_t)tcg_code_gen_epilogue -
                                (tcg_rx(s, s->code_ptr) + 4)));
        tcg_out_modrm(s, OPC_GRP5, EXT5_JMPN_Ev, R_RAX);
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
        tcg_out_movi(s, TCG_TYPE_I64, R_RAX, (int64_t)val);
        tcg_out_jmp_abs(s, tb_ret_addr, false);
    }
}

/* cmpl $0, off(env): the exit-request flag. */
static void out_exit_check(TCGContext *s, intptr_t off)
{
    tcg_out_modrm_offset(s, OPC_ARITH_EvIb, ARITH_CMP, TCG_AREG0, off);
    tcg_out8(s, 0);
}

/*
 * goto_tb which, check: a patchable rel32, 4-byte aligned so that one
 * store patches it, whose initial 0 falls through to the exit after it.
 * With the exit check it is a "je" after the cmp of the exit-request
 * flag (a set flag falls through to the exit too): two instructions on
 * every chained jump of a loop, where cmp, jne over and jmp took three.
 * The alignment is DS prefixes in front of the cmp (no effect in 64-bit
 * mode), which cost nothing when they run, or one multi-byte NOP.
 */
void tcg_out_op_goto_tb(TCGContext *s, const TCGOp *op, const TCGArg *args,
                        const bool *const_args)
{
    int which = (int)args[0];
    intptr_t check = (intptr_t)args[1];
    int pad;

    if (check >= 0) {
        uint8_t *start = s->code_ptr;

        out_exit_check(s, check);
        pad = (int)((4 - (((uintptr_t)s->code_ptr + 2) & 3)) & 3);
        memmove(start + pad, start, (size_t)(s->code_ptr - start));
        memset(start, 0x3e, (size_t)pad);
        s->code_ptr += pad;
        tcg_out_opc(s, OPC_JCC_long + JCC_JE, 0, 0, 0);
    } else {
        pad = (int)((4 - (((uintptr_t)s->code_ptr + 1) & 3)) & 3);
        tcg_out_nopn(s, pad);
        tcg_out8(s, OPC_JMP_long);
    }
    assert(((uintptr_t)s->code_ptr & 3) == 0);
    s->goto_tb_jmp_offset[which] = (uint16_t)tcg_current_code_size(s);
    tcg_out32(s, 0);
    s->goto_tb_reset_offset[which] = (uint16_t)tcg_current_code_size(s);
}

void tcg_tb_set_jmp_target(uintptr_t jmp_rx, uintptr_t jmp_rw, uintptr_t target)
{
    int32_t disp = (int32_t)(target - (jmp_rx + 4));

    __atomic_store_n((int32_t *)jmp_rw, disp, __ATOMIC_RELEASE);
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
    uintptr_t miss = lookup_miss_addr;

    int pc = (int)args[0];
    intptr_t check = (intptr_t)args[1];

    /* Block end and exit: pc (in env too) is the only value still
       needed; r10, r11 and rax are free. */
    if (check >= 0) {
        out_exit_check(s, check);
        tcg_out_opc(s, OPC_JCC_long + JCC_JNE, 0, 0, 0);
        tcg_out32(s, (uint32_t)(leave - (tcg_rx(s, s->code_ptr) + 4)));
    }
    /* tb_jmp_cache_hash: ((pc >> 1) ^ (pc >> (1 + bits))) & mask, times
       the entry's 32 bytes: (((pc >> bits) ^ pc) & (mask << 1)) << 4. */
    tcg_out_mov(s, TCG_TYPE_I64, TCG_TMP0, pc);
    tcg_out_shifti(s, SHIFT_SHR, TCG_TMP0, bits, true);
    tcg_out_modrm(s, OPC_ARITH_GvEv + (ARITH_XOR << 3) + P_REXW, TCG_TMP0, pc);
    tcg_out_arithi(s, ARITH_AND, TCG_TMP0, (int64_t)((1u << bits) - 1) << 1,
                   false);
    tcg_out_shifti(s, SHIFT_SHL, TCG_TMP0, 4, false);
    tcg_out_modrm_sib_offset(s, OPC_ARITH_GvEv + (ARITH_CMP << 3) + P_REXW,
                             pc, TCG_AREG0, TCG_TMP0, 0,
                             base + offsetof(TBJumpCacheEntry, pc));
    tcg_out_opc(s, OPC_JCC_long + JCC_JNE, 0, 0, 0);
    tcg_out32(s, (uint32_t)(miss - (tcg_rx(s, s->code_ptr) + 4)));
    tcg_out_ld(s, TCG_TYPE_I64, TCG_TMP1, TCG_AREG0,
               tcg_runtime.tb_flags_offset);
    tcg_out_modrm_sib_offset(s, OPC_ARITH_GvEv + (ARITH_CMP << 3) + P_REXW,
                             TCG_TMP1,
                             TCG_AREG0, TCG_TMP0, 0,
                             base + offsetof(TBJumpCacheEntry, flags));
    tcg_out_opc(s, OPC_JCC_long + JCC_JNE, 0, 0, 0);
    tcg_out32(s, (uint32_t)(miss - (tcg_rx(s, s->code_ptr) + 4)));
    /* A slot whose pc matches has code (tb_jmp_cache_init, _fill). */
    tcg_out_modrm_sib_offset(s, OPC_GRP5, EXT5_JMPN_Ev, TCG_AREG0,
                             TCG_TMP0, 0,
                             base + offsetof(TBJumpCacheEntry, code));
}
