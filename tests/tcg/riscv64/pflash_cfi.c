/*
 * The CFI flash of the virt board (bank 0 at 0x20000000, -drive
 * if=pflash,unit=0 in pflash_cfi.args), driven as a bare-metal flash
 * driver does.  As on QEMU, the harts start in bank 0, whose image begins
 * with a jump to this program in RAM (the Makefile writes it); the test
 * leaves block 0 alone.  It checks: the CFI query (QRY, the Intel command set, the geometry:
 * 32 MiB of 256 KiB blocks on a 32-bit bus of two x16 chips), the ids,
 * read status, a block erase, word programs and a buffered program, read
 * back in read-array mode; code programmed into the flash runs from it.
 * tests/functional/test-pflash.py checks that the image file got the data
 * (the words at block 1) once this program has run.
 */
#include "lib.h"

#define FLASH 0x20000000UL
#define BLOCK 0x40000UL              /* the bank's erase block */
#define CMD(c) ((u32)(c) * 0x00010001u)   /* the command to both chips */

static volatile u32 *const fl = (volatile u32 *)FLASH;

static u32 rd(u64 off) { return fl[off / 4]; }
static void wr(u64 off, u32 v) { fl[off / 4] = v; }

/* The CFI query byte i (each chip answers in its 16-bit lane). */
static u32 qry(unsigned i) { return rd(i * 4); }

static u32 wait_ready(u64 off)
{
    u32 s;

    wr(off, CMD(0x70));
    for (int i = 0; i < 1000; i++) {
        s = rd(off);
        if ((s & CMD(0x80)) == CMD(0x80))
            break;
    }
    return s;
}

int main(void)
{
    const u64 blk = BLOCK;       /* block 1 of the bank */
    u32 s;

    wr(0x55 * 4, CMD(0x98));
    CHECK_EQ(qry(0x10), CMD('Q'));
    CHECK_EQ(qry(0x11), CMD('R'));
    CHECK_EQ(qry(0x12), CMD('Y'));
    CHECK_EQ(qry(0x13), CMD(0x01));         /* Intel/Sharp command set */
    CHECK_EQ(qry(0x27), CMD(24));           /* 16 MiB per chip */
    CHECK_EQ(qry(0x2c), CMD(1));            /* one erase region */
    CHECK_EQ(qry(0x2d) | qry(0x2e) << 8, CMD(127));     /* 128 blocks */
    CHECK_EQ(qry(0x2f) | qry(0x30) << 8, CMD(0x200));   /* of 128 KiB */
    CHECK_EQ(qry(0x31), CMD('P'));
    wr(0, CMD(0x90));                       /* ignored in query mode */
    CHECK_EQ(qry(0x10), CMD('Q'));
    wr(0, CMD(0xff));
    wr(0, CMD(0x90));
    CHECK_EQ(rd(0), CMD(0x89));
    CHECK_EQ(rd(4), CMD(0x18));
    wr(0, CMD(0xff));

    /* Erase block 1: it reads all ones. */
    wr(blk, CMD(0x50));
    wr(blk, CMD(0x20));
    wr(blk, CMD(0xd0));
    s = wait_ready(blk);
    CHECK_EQ(s & CMD(0x30), 0);
    wr(blk, CMD(0xff));
    CHECK_EQ(rd(blk), 0xffffffffu);
    CHECK_EQ(rd(blk + BLOCK - 4), 0xffffffffu);

    /* Word programs. */
    for (u32 i = 0; i < 4; i++) {
        wr(blk + 4 * i, CMD(0x40));
        wr(blk + 4 * i, 0x600dc0d0u + i);
        s = wait_ready(blk + 4 * i);
        CHECK_EQ(s & CMD(0x30), 0);
    }
    wr(blk, CMD(0xff));
    for (u32 i = 0; i < 4; i++)
        CHECK_EQ(rd(blk + 4 * i), 0x600dc0d0u + i);

    /* A buffered program of 16 words at blk + 0x100. */
    wr(blk + 0x100, CMD(0xe8));
    CHECK_EQ(rd(blk + 0x100) & CMD(0x80), CMD(0x80));
    wr(blk + 0x100, CMD(15));
    for (u32 i = 0; i < 16; i++)
        wr(blk + 0x100 + 4 * i, 0xb0f00000u | i);
    wr(blk + 0x100, CMD(0xd0));
    s = wait_ready(blk + 0x100);
    CHECK_EQ(s & CMD(0x30), 0);
    wr(blk, CMD(0xff));
    for (u32 i = 0; i < 16; i++)
        CHECK_EQ(rd(blk + 0x100 + 4 * i), 0xb0f00000u | i);

    /* Code in flash runs in place: li a0, 42; ret at blk + 0x200. */
    wr(blk + 0x200, CMD(0x40));
    wr(blk + 0x200, 0x02a00513);
    wait_ready(blk + 0x200);
    wr(blk + 0x204, CMD(0x40));
    wr(blk + 0x204, 0x00008067);
    wait_ready(blk + 0x204);
    wr(blk, CMD(0xff));
    __asm__ __volatile__("fence.i" ::: "memory");
    CHECK_EQ(((u64 (*)(void))(FLASH + blk + 0x200))(), 42);

    /* Clear status, then back to reading the array. */
    wr(blk, CMD(0x50));
    wr(blk, CMD(0xff));
    return test_end();
}
