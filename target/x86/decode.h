/*
 * The x86-64 instruction decoder: turns 1 to 15 bytes of guest code into
 * an X86Insn (length, prefixes, REX, operand and address size, ModRM, SIB,
 * displacement, immediates) and the opcode table entry that names the
 * instruction and its operand forms, for the translator to dispatch on.
 * It only decodes: it emits nothing and reads no guest state, so the
 * translator's translate_insn hook fetches the bytes (translator_ld*) and
 * calls it, fetching more when it answers X86_DECODE_MORE:
 *
 *   uint8_t buf[15];
 *   size_t n = bytes_to_page_end_or_15(pc);
 *   fetch(buf, pc, n);
 *   X86Insn insn;
 *   X86DecodeResult r = x86_decode(X86_MODE_64, buf, n, &insn);
 *   while (r == X86_DECODE_MORE) {        insn.len: bytes needed so far
 *       fetch more (up to 15); r = x86_decode(...);
 *   }
 *   X86_DECODE_UD: raise #UD; X86_DECODE_GP: raise #GP(0) (over 15 bytes).
 *
 * The tables are in target/x86/insn-table.c; docs/devel/x86.md says what
 * is decoded and what gives #UD on purpose.
 */
#ifndef TARGET_X86_DECODE_H
#define TARGET_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_MAX_INSN_LEN 15

/* The processor mode the bytes are decoded in.  Only 64-bit mode is
   decoded so far; the others answer X86_DECODE_BAD_MODE. */
typedef enum X86Mode {
    X86_MODE_16,
    X86_MODE_32,
    X86_MODE_64,
} X86Mode;

typedef enum X86DecodeResult {
    X86_DECODE_OK,
    X86_DECODE_MORE,     /* the bytes end before the instruction does */
    X86_DECODE_UD,       /* invalid opcode: the CPU raises #UD */
    X86_DECODE_GP,       /* longer than 15 bytes: the CPU raises #GP(0) */
    X86_DECODE_BAD_MODE, /* a mode this decoder does not handle yet */
} X86DecodeResult;

/* Why an instruction is #UD (X86Insn.ud), for messages and the tests. */
typedef enum X86UdReason {
    X86_UD_NONE,
    X86_UD_OPCODE,    /* no instruction has this encoding (in the table) */
    X86_UD_NO64,      /* valid only outside 64-bit mode */
    X86_UD_LOCK,      /* LOCK on an instruction or register operand that
                         does not allow it */
    X86_UD_MOD,       /* a memory-only operand with a register, or the
                         reverse */
    X86_UD_VEX,       /* VEX (C4, C5) and EVEX (62): AVX, not implemented */
    X86_UD_XOP,       /* AMD XOP (8F with ModRM.reg != 0): not implemented */
    X86_UD_3DNOW,     /* AMD 3DNow! (0F 0F): gone from current CPUs */
    X86_UD_VENDOR,    /* one vendor's extensions not on current Intel and
                         AMD CPUs both: AMD's SSE4a, VIA's PadLock */
} X86UdReason;

typedef enum X86Map {
    X86_MAP_NONE,     /* not reached (prefixes only) */
    X86_MAP_ONE,      /* one-byte opcodes (x87 D8-DF included) */
    X86_MAP_0F,
    X86_MAP_0F38,
    X86_MAP_0F3A,
} X86Map;

/* X86Insn.prefixes */
#define X86_PFX_OPSIZE   (1u << 0)   /* 66 */
#define X86_PFX_ADDRSIZE (1u << 1)   /* 67 */
#define X86_PFX_REPZ     (1u << 2)   /* F3 */
#define X86_PFX_REPNZ    (1u << 3)   /* F2 */
#define X86_PFX_LOCK     (1u << 4)   /* F0 */
#define X86_PFX_SEG      (1u << 5)   /* any segment override */

/* Segment registers, in the encoding order of ModRM.reg for MOV Sw. */
typedef enum X86Seg {
    X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS,
    X86_SEG_NONE,
} X86Seg;

/* REX bits (X86Insn.rex) */
#define X86_REX_B 1
#define X86_REX_X 2
#define X86_REX_R 4
#define X86_REX_W 8

/* X86Insn.base and .index when there is no register; base is X86_RIP
   for RIP-relative addressing (EIP-relative with a 67 prefix). */
#define X86_NOREG (-1)
#define X86_RIP  16

/*
 * Operand forms of a table entry, after the Intel SDM's opcode-map
 * notation (volume 2, appendix A.2): a kind says where the operand comes
 * from and a size how large it is; "Ev" is { X86_OPK_E, X86_SZ_V }.
 */
typedef enum X86OpKind {
    X86_OPK_NONE,
    X86_OPK_E,      /* ModRM.rm: general register or memory */
    X86_OPK_G,      /* ModRM.reg: general register */
    X86_OPK_M,      /* ModRM.rm: memory only */
    X86_OPK_R,      /* ModRM.rm: general register only */
    X86_OPK_S,      /* ModRM.reg: segment register */
    X86_OPK_C,      /* ModRM.reg: control register */
    X86_OPK_D,      /* ModRM.reg: debug register */
    X86_OPK_V,      /* ModRM.reg: XMM register */
    X86_OPK_W,      /* ModRM.rm: XMM register or memory */
    X86_OPK_U,      /* ModRM.rm: XMM register only */
    X86_OPK_P,      /* ModRM.reg: MMX register */
    X86_OPK_Q,      /* ModRM.rm: MMX register or memory */
    X86_OPK_N,      /* ModRM.rm: MMX register only */
    X86_OPK_STI,    /* ModRM.rm: x87 register ST(i) */
    X86_OPK_I,      /* immediate */
    X86_OPK_J,      /* immediate offset from the next instruction */
    X86_OPK_O,      /* moffs: an absolute address of address size */
    X86_OPK_Z,      /* the register in the opcode's low 3 bits (+REX.B) */
    X86_OPK_REG,    /* a fixed general register (X86OpSpec.reg) */
    X86_OPK_SEGREG, /* a fixed segment register (X86OpSpec.reg) */
    X86_OPK_ST0,    /* x87 ST(0) */
    X86_OPK_XMM0,   /* implicit XMM0 (BLENDVPS and friends) */
    X86_OPK_ONE,    /* the constant 1 (shifts D0-D3) */
} X86OpKind;

typedef enum X86OpSize {
    X86_SZ_NONE,    /* no data size (LEA's M, descriptors, x87 state) */
    X86_SZ_B,       /* byte; for I: zero-extended */
    X86_SZ_BS,      /* byte, sign-extended to the operand size (Ib of 6B, 83) */
    X86_SZ_W,
    X86_SZ_D,
    X86_SZ_Q,
    X86_SZ_V,       /* operand size: 16, 32 or 64 */
    X86_SZ_Z,       /* 16 or 32 (64-bit operations sign-extend it) */
    X86_SZ_Y,       /* 32 or 64 (REX.W) */
    X86_SZ_X,       /* 128-bit XMM register or memory */
    X86_SZ_P,       /* far pointer: 16-bit selector and operand-size offset */
    X86_SZ_S,       /* 10-byte pseudo-descriptor (LGDT) */
    X86_SZ_F32,     /* x87 single */
    X86_SZ_F64,     /* x87 double */
    X86_SZ_F80,     /* x87 extended or packed BCD (ten bytes) */
} X86OpSize;

typedef struct X86OpSpec {
    uint8_t kind;   /* X86OpKind */
    uint8_t size;   /* X86OpSize */
    uint8_t reg;    /* X86_OPK_REG, X86_OPK_SEGREG: which one */
} X86OpSpec;

/* What a table entry is: an instruction, or a choice among sub-entries. */
typedef enum X86EntryKind {
    X86_E_INSN,     /* an instruction (name NULL: #UD) */
    X86_E_GROUP,    /* sub[ModRM.reg] */
    X86_E_MOD,      /* sub[0] with a memory operand, sub[1] with a register */
    X86_E_RM,       /* sub[ModRM.rm]: register forms told apart by the
                       whole ModRM byte (0F 01 D0, the x87 D9 E0-FF) */
    X86_E_PREFIX,   /* sub[none, 66, F3, F2]: mandatory prefixes */
} X86EntryKind;

/* X86InsnInfo.flags */
#define X86_F_LOCK     (1u << 0)  /* LOCK allowed (with a memory operand) */
#define X86_F_DEF64    (1u << 1)  /* operand size 64 without REX.W (66: 16) */
#define X86_F_F64      (1u << 2)  /* operand size always 64 (66 ignored, as
                                     Intel CPUs do for near branches) */
#define X86_F_NO64     (1u << 3)  /* #UD in 64-bit mode */
#define X86_F_MODREG   (1u << 4)  /* ModRM.mod ignored: rm is a register
                                     (MOV to and from CRn, DRn) */
#define X86_F_OSZ66    (1u << 5)  /* in a prefix table's 66 column: the 66
                                     is still the operand-size prefix */
#define X86_F_UD_VEX   (1u << 6)  /* #UD on purpose: X86_UD_VEX */
#define X86_F_UD_XOP   (1u << 7)  /* X86_UD_XOP */
#define X86_F_UD_3DNOW (1u << 8)  /* X86_UD_3DNOW */
#define X86_F_UD_VENDOR (1u << 9)  /* X86_UD_VENDOR */

typedef struct X86InsnInfo {
    const char *name;          /* mnemonic (X86_E_INSN); NULL: #UD */
    uint8_t kind;              /* X86EntryKind */
    uint16_t flags;            /* X86_F_* */
    X86OpSpec op[4];           /* operands, destination first */
    const struct X86InsnInfo *sub;
} X86InsnInfo;

typedef struct X86Insn {
    uint8_t len;               /* MORE: the bytes known to be needed */
    uint8_t map;               /* X86Map */
    uint8_t opcode;            /* the opcode byte within its map */
    uint8_t ud;                /* X86UdReason when the result is UD */
    uint16_t prefixes;         /* X86_PFX_* seen (an ignored REX aside) */
    uint8_t rep;               /* the last of F2 and F3: 0xf2, 0xf3 or 0 */
    uint8_t seg;               /* X86Seg of the last segment override
                                  (in 64-bit mode only FS and GS add a base) */
    bool has_rex;              /* a REX right before the opcode (SPL..DIL
                                  instead of AH..BH for byte registers) */
    uint8_t rex;               /* its WRXB bits */
    uint8_t mandatory;         /* the prefix that chose the entry in an
                                  X86_E_PREFIX table: 0, 0x66, 0xf3, 0xf2 */
    uint8_t opsize;            /* effective operand size in bits: 16, 32, 64 */
    uint8_t addrsize;          /* effective address size in bits: 32, 64 */
    bool has_modrm;
    uint8_t modrm;
    uint8_t mod;               /* ModRM.mod */
    uint8_t reg;               /* ModRM.reg + REX.R (0-15) */
    uint8_t rm;                /* ModRM.rm + REX.B when a register (0-15) */
    bool has_sib;
    uint8_t sib;
    bool is_mem;               /* the ModRM operand (or moffs) is memory */
    int8_t base;               /* 0-15, X86_RIP or X86_NOREG */
    int8_t index;              /* 0-15 or X86_NOREG */
    uint8_t scale;             /* log2 of the index's factor */
    uint8_t disp_size;         /* bytes of displacement in the encoding */
    int64_t disp;              /* sign-extended (moffs: the address) */
    uint8_t imm_size, imm2_size;  /* bytes of each immediate (0: none) */
    uint64_t imm;              /* the first immediate, sign-extended for
                                  X86_SZ_BS, Z and relative offsets,
                                  zero-extended otherwise */
    uint64_t imm2;             /* ENTER's second immediate (Ib) */
    const X86InsnInfo *info;   /* the instruction's entry (when OK) */
} X86Insn;

/*
 * Decodes the instruction at buf[0], reading at most avail bytes (and
 * never more than 15).  On OK, *insn describes it; on MORE, insn->len is
 * how many bytes are known to be needed so far; on UD, insn->ud says why.
 */
X86DecodeResult x86_decode(X86Mode mode, const uint8_t *buf, size_t avail,
                           X86Insn *insn);

/* The opcode tables (insn-table.c), 256 entries each. */
extern const X86InsnInfo x86_table_one[256];
extern const X86InsnInfo x86_table_0f[256];
extern const X86InsnInfo x86_table_0f38[256];
extern const X86InsnInfo x86_table_0f3a[256];

/* Writes "name op, op" for insn into buf (for messages and the tests). */
void x86_format_insn(const X86Insn *insn, char *buf, size_t size);

#endif
