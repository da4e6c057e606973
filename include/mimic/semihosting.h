/*
 * Semihosting: a guest program's calls to the host (console, files, clock,
 * exit), with the Arm semihosting operations that RISC-V reuses.  The
 * host side here is target-neutral: a target recognises its trap sequence
 * (target/riscv: slli/ebreak/srai), passes the operation number and the
 * parameter register, and puts the result back in its result register.
 * system/ parses -semihosting and -semihosting-config and hands the
 * parsed configuration over once, before the vCPUs start:
 *
 *   SemihostingConfig c = { .enabled = true, .root = "." };
 *   semihosting_configure(&c, &err);
 *   ...on a vCPU thread, at the trap sequence...
 *   if (semihosting_enabled(priv == PRV_U) &&
 *       !semihosting_call(cpu, a0, a1, 8, &a0))
 *       ...leave the CPU loop, run the sequence again later...
 *
 * Host files are confined to a directory (docs/usage.md, "Semihosting").
 */
#ifndef MIMIC_SEMIHOSTING_H
#define MIMIC_SEMIHOSTING_H

#include <stdbool.h>
#include <stdint.h>

#include "mimic/chardev.h"
#include "mimic/cpu.h"

typedef struct SemihostingConfig {
    bool enabled;
    bool userspace;          /* calls from user mode too (userspace=on) */
    Chardev *chardev;        /* console (chardev=ID); NULL: stderr */
    /* What SYS_GET_CMDLINE returns: the arg= strings joined by spaces,
       or, without any, the kernel path and the -append words. */
    char *cmdline;
    /* Host files resolve beneath this directory; NULL: the unconfined
       host file system, as QEMU (root=/). */
    char *root;
} SemihostingConfig;

/* Takes the configuration (its strings are copied); false with a message
   in *err (g_free it) if the root directory cannot be opened. */
bool semihosting_configure(const SemihostingConfig *cfg, char **err);

/* Whether a trap sequence from this mode is a semihosting call. */
bool semihosting_enabled(bool is_user);

/* Tells SYS_HEAPINFO where guest RAM is (the board, once). */
void semihosting_set_ram(uint64_t base, uint64_t size);

/*
 * Runs operation op with parameter param (a guest virtual address or a
 * value) for cpu; word_size is the guest's register width in bytes (4 or
 * 8), the size of each field of a parameter block.  Sets *result, the
 * value for the guest's result register, and returns true; or returns
 * false when the call cannot complete yet (SYS_READC with no input): the
 * caller leaves the CPU loop and runs the trap sequence again later, so
 * that the vCPU stays stoppable.  vCPU thread, BQL not held.  SYS_EXIT
 * asks the machine to power off: the caller must end the TB.
 */
bool semihosting_call(CPUState *cpu, uint64_t op, uint64_t param,
                      unsigned word_size, uint64_t *result);

#endif
