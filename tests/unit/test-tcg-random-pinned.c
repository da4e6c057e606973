/*
 * The random op sequences of test-tcg-random.c with half the guest
 * globals (x1-x4) pinned to host registers (tcg_global_pin): in-place and
 * moved outputs, constants, calls that read and write them (helper_poke
 * writes x2), branches and the exit to C must all leave the same state as
 * the interpreter.
 */
#define RANDOM_PINNED 4
#include "test-tcg-random.c"
