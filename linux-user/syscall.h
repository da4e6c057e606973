/*
 * Linux user mode's syscall layer: the CPU loop hands every guest `ecall`
 * to do_syscall, which runs it on the host, passing arguments through
 * where riscv64's ABI and the host's agree and translating where they
 * differ (struct stat, pointers into guest memory, /proc/self/exe).
 * Errno numbers need no translation: riscv64 uses asm-generic's
 * <asm-generic/errno.h>, and x86-64 uses the same numbers.
 *
 *   user_exe_path = "/abs/path/prog";         (main.c, before the guest runs)
 *   cpu->x[10] = do_syscall(cpu->x[17], cpu->x[10], cpu->x[11], cpu->x[12],
 *                           cpu->x[13], cpu->x[14], cpu->x[15]);
 */
#ifndef MIMIC_USER_SYSCALL_H
#define MIMIC_USER_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

/* Runs guest syscall num with its 6 arguments (already zero/sign as the
   guest registers hold them) and returns the guest's return value: the
   result, or -errno with the guest's errno numbers (the host's: see above).
   A bad guest pointer gives -EFAULT, an unknown number -ENOSYS. */
int64_t do_syscall(int num, uint64_t a1, uint64_t a2, uint64_t a3,
                   uint64_t a4, uint64_t a5, uint64_t a6);

/* The identity (SYSID_*, linux-user/syscall-ids.h) of the guest's
   syscall number num; SYSID_NONE (0) if the guest has no such number. */
int user_syscall_id(int num);

/* -strace: print each syscall and its result to stderr, like qemu-user. */
extern bool user_strace;

/* The guest program's path, absolute: what readlink("/proc/self/exe")
   answers and open("/proc/self/exe") opens.  Defined and set by main.c. */
extern const char *user_exe_path;
/* Mimic's own binary, opened at start (-1 if it could not be): execve of
   a guest program runs it again.  user_binfmt: started by binfmt_misc,
   which then runs foreign programs through Mimic by itself. */
extern int user_self_fd;
/* Opens it (main.c, at start), noting which file it is. */
void user_open_self(void);

/* What /proc/self/{maps,auxv,cmdline} say about the process (main.c
   sets it). */
typedef struct UserProcInfo {
    uint64_t stack_base, stack_top;
    uint64_t auxv, auxv_len;
    uint64_t arg_start, arg_end;    /* the argument strings on the stack */
} UserProcInfo;
extern UserProcInfo user_proc;
/* openat of a /proc file that must describe the guest (procfs.c): true
   with *ret the new descriptor or -errno; false if path is not one. */
bool user_procfs_open(const char *path, int host_flags, int64_t *ret);
extern bool user_binfmt;
/* -L: where absolute guest paths are looked up first (NULL: nowhere). */
extern const char *user_sysroot;
/* The options a guest program exec'd by this one runs with under Mimic
   again (-L, -d, -D, -s, -strace, -one-insn-per-tb: syscall-exec.c),
   NULL-terminated; main.c sets them. */
extern char **user_exec_options;

/* Called by exit_group (and by exit of the last thread): flushes what must
   be flushed and ends the process with the status; provided by main.c. */
_Noreturn void user_exit_group(int status);

/* The guest's RLIMIT_STACK soft limit (main.c: the stack size it gave the
   guest); getrlimit answers it without touching the host's limit. */
void syscall_set_stack_limit(uint64_t bytes);

/* A guest's signal action.  In guest memory it is asm-generic's struct
   sigaction (handler, flags, mask: 24 bytes) or, where the guest has
   SA_RESTORER (TargetUserInfo.sa_restorer), the same with restorer before
   mask (32 bytes); rt_sigaction converts. */
typedef struct TargetSigaction {
    uint64_t handler;           /* guest address, or SIG_DFL 0 / SIG_IGN 1 */
    uint64_t flags;             /* SA_* (the host's numbers) */
    uint64_t mask;              /* bit sig - 1 blocks sig */
    uint64_t restorer;          /* SA_RESTORER's return address, or 0 */
} TargetSigaction;

#define TARGET_SA_RESTORER 0x04000000

#define TARGET_NSIG 64

/* What the guest last gave rt_sigaction for sig (1..TARGET_NSIG), or NULL
   for a bad sig (signal.c delivers signals to the guest from it). */
const TargetSigaction *user_sigaction(int sig);
/* The calling guest thread's blocked signals, as rt_sigprocmask set them. */
uint64_t user_sigmask(void);

/* The guest addresses set_tid_address and set_robust_list gave (0: none):
   the thread code clears and wakes clear_child_tid when the thread ends. */
uint64_t user_clear_child_tid(void);
uint64_t user_robust_list(void);
/* The calling thread ends (exit, exit_group, execve): its robust mutexes
   (set_robust_list's list in guest memory) are marked FUTEX_OWNER_DIED
   and a waiter of each woken, as the kernel does (syscall-thread.c). */
void user_robust_list_release(void);
/* clone's CLONE_CHILD_CLEARTID: the new thread's clear_child_tid. */
void user_set_clear_child_tid(uint64_t addr);

/* exit (nr 93), syscall-thread.c: ends the calling guest thread
   (clearing and waking its clear_child_tid), or the process with status
   if it is the last one. */
_Noreturn void user_thread_exit(int status);

#endif
