/* needs: none */
/*
 * The random op sequences of test-tcg-random.c with six of the eight guest
 * globals (x1-x6) pinned to host registers, callee- and caller-saved (tcg_global_pin): in-place and
 * moved outputs, constants, calls that read and write them (helper_poke
 * writes x2), branches and the exit to C must all leave the same state as
 * the interpreter.
 */
#define RANDOM_PINNED 6
#include "test-tcg-random.c"
