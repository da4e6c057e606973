/*
 * RV64C loads and stores, as raw .half encodings (see tools/rvc.py):
 * c.lw / c.ld / c.sw / c.sd (x8-x15, scaled unsigned offsets up to 124 and
 * 248) and the sp-relative c.lwsp / c.ldsp / c.swsp / c.sdsp (offsets up to
 * 252 and 504).  c.lw and c.lwsp sign-extend; stores write only their bytes.
 */
#include "asm.h"

    .bss
    .balign 8
cbuf:
    .space  512
    .text

TEST_BEGIN
    la      s0, cbuf
    /* fill cbuf[i] = 0x80 | i (bytes) for a recognisable pattern */
    li      a0, 0
    li      a1, 512
1:  add     a2, s0, a0
    ori     a3, a0, 0x80
    sb      a3, 0(a2)
    addi    a0, a0, 1
    blt     a0, a1, 1b

    /* c.lw sign-extends the word */
    .half   0x4008                 /* c.lw a0, 0(s0) */
    CHECK_IMM(a0, 0xffffffff83828180)
    .half   0x5c6c                 /* c.lw a1, 124(s0) */
    CHECK_IMM(a1, 0xfffffffffffefdfc)
    .half   0x6010                 /* c.ld a2, 0(s0) */
    CHECK_IMM(a2, 0x8786858483828180)
    .half   0x7c74                 /* c.ld a3, 248(s0) */
    CHECK_IMM(a3, 0xfffefdfcfbfaf9f8)
    /* a positive word: store then c.lw */
    li      a4, 0x123456787fffffff
    sd      a4, 8(s0)
    .half   0x441c                 /* c.lw a5, 8(s0) */
    CHECK_IMM(a5, 0x7fffffff)
    .half   0x445c                 /* c.lw a5, 12(s0) */
    CHECK_IMM(a5, 0x12345678)

    /* c.sw writes 4 bytes only; c.sd 8 */
    li      a4, -1
    sd      a4, 16(s0)
    li      s1, 0x1122334455667788
    .half   0xc804                 /* c.sw s1, 16(s0) */
    ld      a0, 16(s0)
    CHECK_IMM(a0, 0xffffffff55667788)
    .half   0xdc64                 /* c.sw s1, 124(s0) */
    lwu     a0, 124(s0)
    CHECK_IMM(a0, 0x55667788)
    lbu     a0, 128(s0)
    CHECK_IMM(a0, 0x80)
    lbu     a0, 123(s0)
    CHECK_IMM(a0, 0xfb)
    .half   0xfc64                 /* c.sd s1, 248(s0) */
    ld      a0, 248(s0)
    CHECK_IMM(a0, 0x1122334455667788)
    lbu     a0, 247(s0)
    CHECK_IMM(a0, 0xf7)
    lbu     a0, 256(s0)
    CHECK_IMM(a0, 0x80)
    /* base register x15, data register x8 */
    addi    a5, s0, 256
    li      s0, 0x0badc0ffee
    .half   0xe780                 /* c.sd s0, 8(a5) */
    .half   0x6798                 /* c.ld a4, 8(a5) */
    CHECK_IMM(a4, 0x0badc0ffee)
    la      s0, cbuf

    /* sp-relative forms on a 512-byte frame */
    addi    sp, sp, -512
    li      t0, 0x8000000080000001
    sd      t0, 252(sp)
    sd      zero, 504(sp)
    .half   0x557e                 /* c.lwsp a0, 252(sp) */
    CHECK_IMM(a0, 0xffffffff80000001)
    sd      t0, 0(sp)
    .half   0x4302                 /* c.lwsp t1, 0(sp) */
    CHECK_IMM(t1, 0xffffffff80000001)
    .half   0x4312                 /* c.lwsp t1, 4(sp) */
    CHECK_IMM(t1, 0xffffffff80000000)
    li      t2, 0x0102030405060708
    .half   0xff9e                 /* c.sdsp t2, 504(sp) */
    ld      a0, 504(sp)
    CHECK_IMM(a0, 0x0102030405060708)
    .half   0x797e                 /* c.ldsp s2, 504(sp) */
    CHECK_IMM(s2, 0x0102030405060708)
    .half   0x6082                 /* c.ldsp ra, 0(sp) */
    CHECK_IMM(ra, 0x8000000080000001)
    li      t2, -1
    sd      t2, 128(sp)
    li      t3, 0xaabbccdd11223344
    .half   0xc172                 /* c.swsp t3, 128(sp) */
    .half   0xdff2                 /* c.swsp t3, 252(sp) */
    ld      a0, 128(sp)
    CHECK_IMM(a0, 0xffffffff11223344)
    .half   0x55fe                 /* c.lwsp a1, 252(sp) */
    CHECK_IMM(a1, 0x11223344)
    .half   0x660a                 /* c.ldsp a2, 128(sp) */
    CHECK_IMM(a2, 0xffffffff11223344)
    .half   0xe102                 /* c.sdsp zero, 128(sp) */
    ld      a0, 128(sp)
    CHECK_IMM(a0, 0)
    addi    sp, sp, 512
TEST_END
