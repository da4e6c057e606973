/*
 * Run-time helpers that translated RISC-V code calls: their C prototypes
 * and typed gen_helper_*() generators, both expanded from the one list in
 * helper.def (include/mimic/helper-gen.h says how), and the constants
 * that the translator packs into their arguments.
 */
#ifndef TARGET_RISCV_HELPER_H
#define TARGET_RISCV_HELPER_H

#include <stdint.h>

#include "mimic/helper-gen.h"
#include "cpu.h"

#define HELPER_ENV_TYPE RISCVCPU
#include "helper.def"
#undef HELPER_ENV_TYPE

/* helper_csr's op: the CSR number (bits 11:0), RV_CSR_OP_* (13:12) and
   the RV_CSR_READ/RV_CSR_WRITE flags. */
enum {
    RV_CSR_OP_RW = 0 << 12,
    RV_CSR_OP_RS = 1 << 12,
    RV_CSR_OP_RC = 2 << 12,
    RV_CSR_OP_MASK = 3 << 12,
    RV_CSR_READ = 1 << 14,
    RV_CSR_WRITE = 1 << 15,
};

/* helper_amo's op: RV_AMO_* | size (4 or 8). */
enum {
    RV_AMO_SWAP = 0 << 4,
    RV_AMO_ADD = 1 << 4,
    RV_AMO_XOR = 2 << 4,
    RV_AMO_AND = 3 << 4,
    RV_AMO_OR = 4 << 4,
    RV_AMO_MIN = 5 << 4,
    RV_AMO_MAX = 6 << 4,
    RV_AMO_MINU = 7 << 4,
    RV_AMO_MAXU = 8 << 4,
    RV_AMO_OP_MASK = 0xf << 4,
};

#endif
