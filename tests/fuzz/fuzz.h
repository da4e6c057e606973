/*
 * What the libFuzzer harnesses of tests/fuzz/ share (fuzz-common.c and
 * machine.c): a -M virt machine built once per process (for the
 * harnesses that need harts and guest memory, and so say "needs:
 * riscv64-softmmu" on their first line), and a private scratch directory
 * for the files that the loaders and the block layer want a path to.
 * Each harness defines LLVMFuzzerTestOneInput(); it is linked either
 * with libFuzzer (make fuzz) or with replay.c, which feeds it stored
 * inputs (make check).  docs/devel/fuzzing.md says how to build and run
 * them.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "mimic/board.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The -M virt machine (2 harts, 64 MiB, no firmware), built on the first
   call, its harts created but never run; the BQL is held from then on. */
MachineState *fuzz_machine(void);

/* The path of NAME in the process's scratch directory (removed at exit);
   g_free it. */
char *fuzz_path(const char *name);
/* Writes data to NAME in the scratch directory; returns its path (g_free
   it).  Aborts if the file cannot be written: the harness is broken. */
char *fuzz_write_file(const char *name, const void *data, size_t len);

/* A "null" chardev with this id, whose input comes from the harness. */
Chardev *fuzz_chardev(const char *id);
/* A client leaves and another connects (each input starts afresh). */
void fuzz_chardev_reconnect(Chardev *chr);
/* Input as if it arrived on the chardev, all of it delivered. */
void fuzz_chardev_feed(Chardev *chr, const uint8_t *data, size_t size);

/* Runs a script of FUZZ_BLOCK_OPS block operations (4 bytes each: op,
   offset, length) on an open image: reads, writes, discards, zero
   writes, resizes, flushes, checks and info. */
#define FUZZ_BLOCK_OPS 8
typedef struct BlockBackend BlockBackend;
void fuzz_block_ops(BlockBackend *blk, const uint8_t *script);

/* Aborts unless the file at path still starts with the qcow2 magic: what
   the driver writes must never clobber the header of an image it opened. */
void fuzz_check_qcow2_magic(const char *path);

/* Little-endian reads of an input that may be too short (missing bytes
   read as zero). */
uint64_t fuzz_le(const uint8_t *data, size_t size, size_t off, int bytes);

#endif
