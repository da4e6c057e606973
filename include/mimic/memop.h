/*
 * MemOp: one bitfield that describes every guest memory access (size,
 * sign, endianness, alignment).  It travels unchanged from the front end
 * through the IR (qemu_ld/qemu_st carry a MemOpIdx: MemOp plus MMU index)
 * to the backend's inline TLB probe and the slow path in accel/tcg/cputlb.c.
 */
#ifndef MIMIC_MEMOP_H
#define MIMIC_MEMOP_H

#include <stdint.h>
#include <string.h>

typedef enum MemOp {
    MO_8 = 0,
    MO_16 = 1,
    MO_32 = 2,
    MO_64 = 3,
    MO_SIZE = 3,

    MO_SIGN = 4,

    MO_BSWAP = 8,           /* opposite of the host's byte order */
    MO_LE = 0,              /* hosts are little-endian for now */
    MO_BE = MO_BSWAP,

    /* Alignment required, as log2 of bytes; MO_ALIGN = natural alignment. */
    MO_ASHIFT = 4,
    MO_AMASK = 0x7 << MO_ASHIFT,
    MO_UNALN = 0,
    MO_ALIGN = 0x7 << MO_ASHIFT,  /* marker: align to the access size */

    MO_UB = MO_8,
    MO_UW = MO_16,
    MO_UL = MO_32,
    MO_UQ = MO_64,
    MO_SB = MO_8 | MO_SIGN,
    MO_SW = MO_16 | MO_SIGN,
    MO_SL = MO_32 | MO_SIGN,
    MO_SQ = MO_64 | MO_SIGN,
} MemOp;

static inline unsigned memop_size(MemOp op)
{
    return 1u << (op & MO_SIZE);
}

/* Bytes of alignment the access requires (1 when unaligned is allowed). */
static inline unsigned memop_align_bytes(MemOp op)
{
    unsigned a = (op & MO_AMASK) >> MO_ASHIFT;

    if (a == 7)
        return memop_size(op);
    return 1u << a;
}

/* MemOp and MMU index packed into one IR constant argument. */
typedef uint32_t MemOpIdx;

static inline MemOpIdx make_memop_idx(MemOp op, unsigned mmu_idx)
{
    return ((uint32_t)op << 4) | (mmu_idx & 15);
}

static inline MemOp get_memop(MemOpIdx oi)
{
    return (MemOp)(oi >> 4);
}

static inline unsigned get_mmuidx(MemOpIdx oi)
{
    return oi & 15;
}

/* qemu_ld/st's constant argument: the MemOpIdx in its low 32 bits and,
   in its high 32, a signed offset that the access adds to its address
   input (user mode with a guard only: TCGRuntime.guest_guard). */
static inline uint64_t make_memop_arg(MemOpIdx oi, int32_t offset)
{
    return oi | (uint64_t)(uint32_t)offset << 32;
}

static inline int32_t get_memop_offset(uint64_t arg)
{
    return (int32_t)(arg >> 32);
}

/* An access of MemOp mo at host address p, on this little-endian host:
   the byte swap it asks for, and for loads the sign extension. */
static inline uint64_t memop_host_load(const void *p, MemOp mo)
{
    unsigned size = memop_size(mo);
    uint64_t v = 0;

    memcpy(&v, p, size);
    if (mo & MO_BSWAP)
        v = size == 8 ? __builtin_bswap64(v)
          : size == 4 ? __builtin_bswap32((uint32_t)v)
          : size == 2 ? __builtin_bswap16((uint16_t)v) : v;
    if ((mo & MO_SIGN) && size < 8)
        v = (uint64_t)((int64_t)(v << (64 - 8 * size)) >> (64 - 8 * size));
    return v;
}

static inline void memop_host_store(void *p, uint64_t v, MemOp mo)
{
    unsigned size = memop_size(mo);

    if (mo & MO_BSWAP)
        v = size == 8 ? __builtin_bswap64(v)
          : size == 4 ? __builtin_bswap32((uint32_t)v)
          : size == 2 ? __builtin_bswap16((uint16_t)v) : v;
    memcpy(p, &v, size);
}

#endif
