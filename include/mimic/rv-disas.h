/*
 * RISC-V disassembler: turns one guest instruction into the text that
 * `-d in_asm` logs and the monitor's `x/i` shows.  It covers RV64GC (I, M,
 * A, F, D, C, Zicsr, Zifencei) and the privileged instructions, and prints
 * what `riscv64-linux-gnu-objdump -d` prints: ABI register names, CSR names,
 * the usual pseudo-instructions (li, mv, ret, csrr, fmv.s, ...) and branch
 * targets as absolute addresses (target/riscv/disas.c lists the few places
 * where it differs on purpose).  It keeps no state and needs only libc.
 *
 *   char text[RV_DISAS_BUFSIZE];
 *   int len = rv_disas(pc, insn_word, text, sizeof(text));
 *   printf("%016" PRIx64 ": %s\n", pc, text);
 *   pc += len;
 */
#ifndef MIMIC_RV_DISAS_H
#define MIMIC_RV_DISAS_H

#include <stddef.h>
#include <stdint.h>

/* A buffer this big always holds the whole text of any instruction. */
#define RV_DISAS_BUFSIZE 64

/*
 * Disassembles the instruction at guest address pc whose first bytes are
 * insn (little-endian; when its low two bits are not 11 it is a compressed
 * instruction and only the low 16 bits are used).  Writes text such as
 * "addi a0,a0,1" (mnemonic, one space, comma-separated operands) into buf,
 * NUL-terminated and truncated to buflen bytes (nothing is written when
 * buflen is 0), and returns the length in bytes: 2 or 4.  An encoding it does
 * not know prints as ".insn 0x%08x" (or ".insn 0x%04x" for 16 bits) and
 * still returns its length; longer (48-bit and up) encodings, which RV64GC
 * does not use, print their first 32 bits that way and return 4.
 */
int rv_disas(uint64_t pc, uint32_t insn, char *buf, size_t buflen);

/*
 * The same from bytes in memory, avail of them (the TargetOps.disas hook):
 * returns 0 and writes nothing when avail does not hold the instruction.
 */
int rv_disas_code(uint64_t pc, const uint8_t *code, unsigned avail,
                  char *buf, size_t buflen);

/*
 * Writes the name of CSR number csr (0..4095) into buf, as rv_disas() prints
 * it: "mstatus", "pmpaddr12", ... or "0x7c0" for one without a name.
 */
void rv_disas_csr_name(unsigned csr, char *buf, size_t buflen);

/* The ABI names of the registers: "zero", "ra", ... and "ft0", ... */
extern const char *const riscv_gpr_names[32];
extern const char *const riscv_fpr_names[32];

#endif
