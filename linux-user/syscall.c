/*
 * The entry of Linux user mode's syscall layer: do_syscall finds the
 * guest's syscall in one table indexed by number, built at first use from
 * the entries each file gives (syscall-file.c: files and descriptors,
 * syscall-proc.c: processes, identity, time, syscall-signal.c: signals
 * and ppoll, syscall-thread.c: clone, futex, syscall-exec.c: execve,
 * syscall-net.c: pselect6, epoll, special descriptors and sockets, this
 * file: the address space), runs it, and prints it under -strace.  What
 * no file implements answers -ENOSYS and is logged once per number under
 * -d unimp.  Here too is the checked access to guest memory
 * (syscall-internal.h) that every handler uses instead of g2h alone, so a
 * bad guest pointer gives -EFAULT and never a host fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/safe-syscall.h"
#include "linux-user/syscall-internal.h"
#include "linux-user/user-target.h"
#include "mimic/log.h"

bool user_strace;

static void *guest_ptr(uint64_t addr, uint64_t len, int flags)
{
    if (len != 0 && (!guest_range_valid(addr, len) ||
                     page_check_range(addr, len, flags) != 0))
        return NULL;
    return g2h(addr);
}

void *guest_read_ptr(uint64_t addr, uint64_t len)
{
    return guest_ptr(addr, len, PAGE_READ);
}

/* The JIT write-protects host pages holding translated code: the host
   kernel would fail with EFAULT there, so their code goes first. */
void *guest_write_ptr(uint64_t addr, uint64_t len)
{
    void *p = guest_ptr(addr, len, PAGE_WRITE);

    if (p && len)
        page_unprotect_range(addr, len);
    return p;
}

bool copy_from_guest(void *dst, uint64_t addr, size_t len)
{
    void *p = guest_read_ptr(addr, len);

    if (p)
        memcpy(dst, p, len);
    return p != NULL;
}

bool copy_to_guest(uint64_t addr, const void *src, size_t len)
{
    void *p = guest_write_ptr(addr, len);

    if (p)
        memcpy(p, src, len);
    return p != NULL;
}

/* Walks the string a page at a time: the bytes after the NUL may be
   unmapped, as they may be for the kernel. */
const char *guest_string(uint64_t addr, size_t max, int *err)
{
    uint64_t at = addr;

    *err = -EFAULT;
    while (at - addr < max) {
        uint64_t chunk = TARGET_PAGE_SIZE - (at & ~TARGET_PAGE_MASK);
        if (chunk > max - (at - addr))
            chunk = max - (at - addr);
        const char *p = guest_read_ptr(at, chunk);
        if (!p)
            return NULL;
        if (memchr(p, 0, chunk))
            return g2h(addr);
        at += chunk;
    }
    *err = -ENAMETOOLONG;
    return NULL;
}

void *guest_opt_ptr(uint64_t addr, uint64_t len, bool write, bool *bad)
{
    if (addr == 0)
        return NULL;
    void *p = write ? guest_write_ptr(addr, len) : guest_read_ptr(addr, len);
    if (!p)
        *bad = true;
    return p;
}

/*
 * -L: an absolute path that names something inside the sysroot means that
 * (the foreign libraries, /etc/ld.so.cache...), as qemu-user does; other
 * paths are the host's.  Two buffers per thread: a syscall takes at most
 * two paths (renameat, linkat).
 */
const char *user_sysroot;

const char *guest_path(uint64_t addr, int *err)
{
    static __thread char buf[2][PATH_MAX];
    static __thread unsigned next;
    const char *p = guest_string(addr, PATH_MAX, err);
    struct stat st;
    char *b;

    if (!p || !user_sysroot || p[0] != '/' || !strcmp(user_sysroot, "/"))
        return p;
    b = buf[next++ & 1];
    if ((size_t)snprintf(b, PATH_MAX, "%s%s", user_sysroot, p) >= PATH_MAX ||
        lstat(b, &st) != 0)
        return p;
    return b;
}

/* ---- The address space: mmap.c does the work ---- */

static int64_t sys_brk(const uint64_t *a)
{
    return target_brk(a[0]);
}

/* riscv64's mmap takes the offset in bytes (no mmap2); prot and flags
   have the host's numbers (both use the generic ones). */
static int64_t sys_mmap(const uint64_t *a)
{
    return target_mmap(a[0], a[1], (int)a[2], (int)a[3], (int)a[4],
                       (int64_t)a[5]);
}

static int64_t sys_munmap(const uint64_t *a)
{
    return target_munmap(a[0], a[1]);
}

static int64_t sys_mprotect(const uint64_t *a)
{
    return target_mprotect(a[0], a[1], (int)a[2]);
}

static int64_t sys_mremap(const uint64_t *a)
{
    return target_mremap(a[0], a[1], a[2], (int)a[3], a[4]);
}

static int64_t sys_madvise(const uint64_t *a)
{
    return target_madvise(a[0], a[1], (int)a[2]);
}

static const SyscallEntry syscall_mem_table[] = {
    { SYSID_brk, sys_brk, "p", 'x' },
    { SYSID_mmap, sys_mmap, "puPxdl", 'x' },
    { SYSID_munmap, sys_munmap, "pu" },
    { SYSID_mprotect, sys_mprotect, "puP" },
    { SYSID_mremap, sys_mremap, "puuxp", 'x' },
    { SYSID_madvise, sys_madvise, "pud" },
    { SYSID_NONE },
};

/* ---- Dispatch ---- */

/* The handlers by identity: the guest's number goes through its map
   (TargetUserInfo.syscall_ids) first, so one table serves every guest. */
static const SyscallEntry *syscall_by_id[SYSID_COUNT];

static void add_entries(const SyscallEntry *t)
{
    for (; t && t->id != SYSID_NONE; t++) {
        g_assert(t->id > SYSID_NONE && t->id < SYSID_COUNT &&
                 !syscall_by_id[t->id]);
        syscall_by_id[t->id] = t;
    }
}

int user_syscall_id(int num)
{
    const TargetUserInfo *t = user_target.info;

    return num >= 0 && (unsigned)num < t->nr_syscalls ? t->syscall_ids[num]
                                                      : SYSID_NONE;
}

static gpointer build_table(gpointer unused)
{
    add_entries(syscall_mem_table);
    add_entries(syscall_file_table);
    add_entries(syscall_proc_table);
    add_entries(syscall_thread_table);
    add_entries(syscall_exec_table);
    add_entries(syscall_signal_table);
    add_entries(syscall_net_table);
    add_entries(syscall_legacy_table);
    add_entries(user_target.info->syscalls);
    return NULL;
}

/* An entry without a handler: the guest's paths become host pointers, the
   other arguments pass as they are. */
static int64_t pass_through(const SyscallEntry *e, const uint64_t *a)
{
    uint64_t h[6];

    memcpy(h, a, sizeof(h));
    for (int i = 0; e->args[i]; i++) {
        if (e->args[i] != 's')
            continue;
        int err;
        const char *path = guest_path(a[i], &err);
        if (!path)
            return err;
        h[i] = (uintptr_t)path;
    }
    /* flock, fsync, tee... may block: safe_syscall for every one (a
       signal pending before one is delivered first, as on Linux). */
    return safe_syscall(e->host_nr, h[0], h[1], h[2], h[3], h[4], h[5]);
}

/* -d unimp: each unknown number once. */
static void log_unimplemented(int num)
{
    static GMutex lock;
    static GHashTable *seen;

    if (!log_enabled(LOG_UNIMP))
        return;
    g_mutex_lock(&lock);
    if (!seen)
        seen = g_hash_table_new(NULL, NULL);
    bool first = g_hash_table_add(seen, GINT_TO_POINTER(num));
    g_mutex_unlock(&lock);
    if (first) {
        int id = user_syscall_id(num);
        log_printf("unimplemented syscall %d (%s)\n", num,
                   id ? syscall_names[id] : "unknown");
    }
}

int64_t syscall_call_id(int id, const uint64_t *a)
{
    const SyscallEntry *e = id > SYSID_NONE && id < SYSID_COUNT
                                ? syscall_by_id[id] : NULL;

    if (!e)
        return -ENOSYS;
    return e->fn ? e->fn(a) : pass_through(e, a);
}

int64_t do_syscall(int num, uint64_t a1, uint64_t a2, uint64_t a3,
                   uint64_t a4, uint64_t a5, uint64_t a6)
{
    static GOnce once = G_ONCE_INIT;
    const uint64_t a[6] = { a1, a2, a3, a4, a5, a6 };

    g_once(&once, build_table, NULL);
    int id = user_syscall_id(num);
    const SyscallEntry *e = syscall_by_id[id];
    if (user_strace)
        strace_print_call(e, num, a);
    int64_t ret;
    if (e) {
        ret = e->fn ? e->fn(a) : pass_through(e, a);
        if (ret == -EINTR)
            ret = syscall_interrupted(id);
    } else {
        log_unimplemented(num);
        ret = -ENOSYS;
    }
    if (user_strace)
        strace_print_result(e, ret);
    return ret;
}
