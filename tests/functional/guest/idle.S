/*
 * Every hart waits for an interrupt forever (none is enabled), for
 * tests/functional/test-smp.sh: an emulator whose harts are all halted
 * must sleep, not spin.
 */
    .section .text.start
    .globl _start
_start:
    csrw mie, zero
1:  wfi
    j 1b
