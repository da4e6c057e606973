/*
 * Safe syscalls: the host syscalls that may block on the guest's behalf
 * (read of a pipe, futex waits, sockets, wait4...) go through a small
 * per-host assembly stub (linux-user/host/<host>/safe-syscall.S) so that a
 * guest signal that comes just before the host kernel starts to sleep
 * still ends the sleep.  The stub enters the kernel only if no guest
 * signal is pending on the thread (user_signal_pending, set by the host
 * handler); the host handler, if it interrupts the thread between that
 * check and the syscall instruction, sends it to the stub's exit instead
 * (signal.c).  Either way the guest sees what Linux would give it: a
 * signal pending before the syscall runs is delivered first and the
 * syscall then runs (-TARGET_ERESTARTSYS, which do_syscall passes to the
 * CPU loop), and one that interrupts a sleeping syscall gives -EINTR,
 * which syscall_interrupted turns into EINTR or a restart by SA_RESTART.
 *
 *   int64_t r = safe_syscall(SYS_read, fd, buf, len);   (r is -errno)
 *   if (r < 0) return r;     (-TARGET_ERESTARTSYS too: pass it on)
 */
#ifndef MIMIC_USER_SAFE_SYSCALL_H
#define MIMIC_USER_SAFE_SYSCALL_H

#include <stdint.h>

#include "linux-user/user-signal.h"

/* The stub, and the labels of its window (the host handler's test). */
int64_t safe_syscall_base(int *pending, long nr, long a1, long a2, long a3,
                          long a4, long a5, long a6);
extern char safe_syscall_start[], safe_syscall_end[];
extern char safe_syscall_interrupted[];

/* Host syscall nr with up to six arguments (each widened to a long, as
   the kernel takes them); the result is the kernel's: -errno on failure,
   or -TARGET_ERESTARTSYS when a guest signal was pending. */
#define SAFE_ARGS6(a, b, c, d, e, f, ...) \
    (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)
#define safe_syscall(nr, ...) \
    safe_syscall_base(&user_signal_pending, (nr), \
                      SAFE_ARGS6(__VA_ARGS__, 0, 0, 0, 0, 0, 0))

#endif
