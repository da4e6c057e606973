/*
 * The x86-64 vCPU of Linux user mode: 64-bit code at CPL 3, as Linux
 * starts a process.  Its TargetOps table has no softmmu and no exception
 * entry: cpu_exec returns each exception (SYSCALL, a fault, #UD) to the
 * CPU loop of linux-user/x86_64/, which turns it into a syscall or a
 * signal.
 */
#include "translate.h"

const TargetOps x86_user_target_ops = {
    X86_TARGET_OPS_COMMON,
    .reset = x86_reset,
};
