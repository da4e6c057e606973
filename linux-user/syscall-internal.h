/*
 * What the files of the syscall layer share: the entry each of them gives
 * for a syscall it implements (its identity, handler, how -strace shows
 * it; guests' numbers differ, their maps to the identities are in
 * linux-user/ARCH/syscall-nr.c), and
 * the checked access to guest memory every handler goes through.  A guest
 * pointer is usable only after its whole range was found mapped with the
 * protection the access needs; the host kernel then reads or writes the
 * guest's memory directly at g2h(addr).
 */
#ifndef MIMIC_USER_SYSCALL_INTERNAL_H
#define MIMIC_USER_SYSCALL_INTERNAL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "linux-user/syscall-ids.h"
#include "linux-user/syscall.h"
#include "linux-user/user-internal.h"

/* A handler: a[0..5] are the guest's argument registers. */
typedef int64_t SyscallFn(const uint64_t *a);

/* One syscall.  args has one letter per argument, saying how -strace
   shows it:
     d int   l int64   u unsigned   x hex   p pointer   s string (path)
     f dirfd   o mode (octal)   O open flags   P mmap prot
     m mode shown only when the open flags before it create a file
     A socket domain (PF_INET...)   T socket type and its flags
   ret is 'x' for a result that is an address (brk, mmap), else 0.
   Without a handler, the call passes through to host syscall host_nr:
   each 's' argument becomes the host pointer of the guest's path, the
   other arguments stay as they are. */
typedef struct SyscallEntry {
    int id;                     /* SYSID_*, linux-user/syscall-ids.h */
    SyscallFn *fn;
    const char *args;
    char ret;
    long host_nr;
} SyscallEntry;

/* Each file's syscalls, ended by an entry with id SYSID_NONE. */
extern const SyscallEntry syscall_file_table[];
extern const SyscallEntry syscall_proc_table[];
extern const SyscallEntry syscall_thread_table[];
extern const SyscallEntry syscall_exec_table[];
extern const SyscallEntry syscall_signal_table[];
extern const SyscallEntry syscall_net_table[];
extern const SyscallEntry syscall_legacy_table[];

/* Runs the handler of syscall id (SYSID_*) on a[0..5] as if the guest had
   made that call (a legacy call rewritten as its successor, syscall-
   legacy.c); -ENOSYS if Mimic has none. */
int64_t syscall_call_id(int id, const uint64_t *a);

/* Syscall id returned -EINTR: what the guest gets instead
   (syscall-signal.c): -EINTR, or -TARGET_ERESTARTSYS to run it again. */
int64_t syscall_interrupted(int id);

/* A host pointer to the len guest bytes at addr if the guest may read
   (write) all of them, else NULL.  len 0 is always accepted. */
void *guest_read_ptr(uint64_t addr, uint64_t len);
void *guest_write_ptr(uint64_t addr, uint64_t len);
/* Copies between the guest and the host; false (nothing or part copied)
   if the guest range is not readable / writable. */
bool copy_from_guest(void *dst, uint64_t addr, size_t len);
bool copy_to_guest(uint64_t addr, const void *src, size_t len);
/* The NUL-terminated guest string at addr if readable and at most max
   bytes long with its NUL; else NULL and *err = -EFAULT or -ENAMETOOLONG. */
const char *guest_string(uint64_t addr, size_t max, int *err);

/* The guest's array of count iovecs at addr with their bases made host
   pointers, each checked for writing (the kernel fills it) or reading;
   NULL with *err (-EFAULT, or -EINVAL for more than IOV_MAX).  g_free the
   result. */
struct iovec;
struct iovec *iov_to_host(uint64_t addr, uint64_t count, bool write,
                          int *err);

/* A host syscall's result as the guest's: -errno for -1. */
static inline int64_t host_ret(int64_t r)
{
    return r == -1 ? -errno : r;
}

/* One of open(2)'s flags (file status flags too): the guest's and the
   host's number, and its name for -strace.  open_flags ends with guest 0. */
typedef struct OpenFlag {
    uint64_t guest;
    int host;
    const char *name;
} OpenFlag;

extern const OpenFlag open_flags[];

/* Translations of open(2)'s flags (file status flags too) between the
   guest's numbers and the host's. */
int open_flags_to_host(uint64_t guest_flags);
uint64_t open_flags_to_guest(int host_flags);

/* The same for an optional argument: NULL for a NULL guest pointer, and
   *bad set (left alone otherwise) if a non-NULL one is not accessible. */
void *guest_opt_ptr(uint64_t addr, uint64_t len, bool write, bool *bad);
/* The guest path at addr (at most PATH_MAX bytes), or NULL with *err. */
const char *guest_path(uint64_t addr, int *err);
/* Whether path names this process's executable through /proc (which
   the guest sees as its program, user_exe_path). */
bool is_proc_self_exe(const char *path);

/* -strace: the call before it runs, its result after.  strace_print_result
   is skipped for calls that do not return (exit_group). */
void strace_print_call(const SyscallEntry *e, int num, const uint64_t *a);
void strace_print_result(const SyscallEntry *e, int64_t ret);

#endif
