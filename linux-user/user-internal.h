/*
 * Linux user mode's guest address space and ELF loader: what the CPU loop,
 * the syscalls and the JIT's direct memory path use from linux-user/.  A
 * guest address is a host address minus guest_base; the whole guest space
 * is one host reservation (PROT_NONE, MAP_NORESERVE) that guest mappings
 * replace with MAP_FIXED and that unmapping puts back, so Mimic's own heap,
 * code buffer and libraries never land inside it.  The numbers that differ
 * between guest architectures come from a TargetUserInfo
 * (linux-user/<arch>/target-info.c).
 *
 *   guest_space_init(&riscv64_user_info, 0, &err);
 *   load_elf_binary("prog", &opts, &info, &err);
 *   ... run from info.entry with sp = info.stack_pointer ...
 *   int64_t a = target_mmap(0, 8192, PROT_READ | PROT_WRITE,
 *                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
 */
#ifndef MIMIC_USER_INTERNAL_H
#define MIMIC_USER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "mimic/cpu.h"

/* What a guest architecture's Linux ABI says about processes. */
typedef struct TargetUserInfo {
    const char *name;
    unsigned space_bits;        /* user space is [0, 1 << space_bits) */
    unsigned reserve_bits;      /* host reservation: 1 << reserve_bits;
                                   0: no reservation, guest_base 0 (a guest
                                   whose space is the host's; not done yet) */
    uint16_t elf_machine;       /* e_machine, EM_* */
    uint8_t elf_class;          /* ELFCLASS32 / ELFCLASS64 */
    uint8_t elf_data;           /* ELFDATA2LSB / ELFDATA2MSB */
    uint64_t hwcap;             /* AT_HWCAP */
    bool has_hwcap2;            /* AT_HWCAP2 is given (Linux's ELF_HWCAP2) */
    uint64_t hwcap2;
    uint64_t minsigstksz;       /* AT_MINSIGSTKSZ; 0: not given */
    const char *platform;       /* AT_PLATFORM string, or NULL */
    uint64_t et_dyn_base;       /* where a PIE with an interpreter goes */
    unsigned stack_align;       /* of the initial sp */
    uint64_t default_stack_size;
    /* The guest's syscall numbers: syscall_ids[num] is num's identity
       (SYSID_*, linux-user/syscall-ids.h; SYSID_NONE: no such syscall)
       for num below nr_syscalls.  Generated, linux-user/ARCH/syscall-nr.c. */
    const uint16_t *syscall_ids;
    unsigned nr_syscalls;
    /* The guest's own syscalls (riscv_flush_icache...), ended by an
       entry with id SYSID_NONE; NULL if none. */
    const struct SyscallEntry *syscalls;
    /* What /proc/self/maps ends with after the guest's mappings (x86-64's
       vsyscall page, above the user space), or NULL. */
    const char *maps_tail;
    /* Appends /proc/cpuinfo's entry for processor i. */
    void (*cpuinfo_entry)(GString *out, long i);

    /* Where the architecture's Linux ABI departs from asm-generic's (what
       riscv64 and aarch64 use) in the structures common code copies. */
    bool stat_x86_64;           /* struct stat is x86-64's 144 bytes */
    bool epoll_packed;          /* struct epoll_event is packed: 12 bytes */
    bool sa_restorer;           /* struct sigaction has sa_restorer before
                                   sa_mask (SA_RESTORER is supported) */
    bool clone_tls_last;        /* clone(flags, sp, ptid, ctid, tls), not
                                   asm-generic's (flags, sp, ptid, tls, ctid) */
} TargetUserInfo;

extern const TargetUserInfo riscv64_user_info;
extern const TargetUserInfo x86_64_user_info;

/* A guest page has the JIT's page size and PAGE_READ/WRITE/EXEC
   (mimic/cpu.h: the same values as PROT_*).  A page without PAGE_VALID
   is free (still reserved on the host, PROT_NONE); PAGE_ANON marks
   anonymous memory. */
enum {
    PAGE_VALID = 0x10,
    PAGE_ANON = 0x20,
};
#define TARGET_PAGE_ALIGN(a) (((a) + TARGET_PAGE_SIZE - 1) & TARGET_PAGE_MASK)

extern uintptr_t guest_base;
/* Bytes of PROT_NONE guard just past the reservation, and twice that just
   below guest_base (GUEST_GUARD, or 0 where the host had no room): an
   access at a checked base plus a small offset that leaves the space
   faults there (TCGRuntime.guest_guard). */
extern uint32_t guest_guard;
#define GUEST_GUARD (64u << 10)

/* The host's page size, a power of two from the guest's 4 KiB to 64 KiB;
   the host maps and protects memory in these units (mmap.c says how guest
   pages share one). */
extern uint64_t host_page_size;
/* Makes the next guest_space_init act as if host pages were size bytes
   (MIMIC_HOST_PAGE_SIZE: tests of larger host pages on a 4 KiB host);
   false and *err if size is not a power of two from the host's real page
   size to 64 KiB. */
bool guest_set_host_page_size(uint64_t size, char **err);
/* Reserves the guest space for target t and sets guest_base; false and
   *err (g_free it) if the host cannot give it.  Call once.  space_bits
   other than 0 makes the space smaller than the target's own
   (-R, QEMU_RESERVED_VA). */
bool guest_space_init(const TargetUserInfo *t, unsigned space_bits,
                      char **err);
/* log2 of the host reservation (the space and its guard above). */
unsigned guest_reserve_bits(void);
/* Where a PIE with an interpreter goes: the target's place, or 2/3 up a
   smaller space. */
uint64_t guest_et_dyn_base(void);
/* Gives the reservation back (tests); the space is empty afterwards. */
void guest_space_fini(void);
/* The end of the guest's user space (1 << space_bits). */
uint64_t guest_space_end(void);
/* The target guest_space_init was given. */
const TargetUserInfo *guest_target(void);

static inline void *g2h(uint64_t addr)
{
    return (void *)(uintptr_t)(addr + guest_base);
}

static inline uint64_t h2g(const void *p)
{
    return (uint64_t)((uintptr_t)p - guest_base);
}

/* Whether [addr, addr + len) lies inside the guest's user space. */
bool guest_range_valid(uint64_t addr, uint64_t len);

/* The lock around every change of the map; guest threads share the map.
   It is recursive: the loader calls target_mmap with it held. */
void mmap_lock(void);
void mmap_unlock(void);
/* In the child of a fork() taken with mmap_lock held: the lock is free
   again (the parent calls mmap_unlock instead). */
void mmap_fork_child(void);

/* Calls fn for each run of pages with the same flags, in address order
   (mmap_lock held: fn must not change the map). */
void page_for_each_run(void (*fn)(uint64_t start, uint64_t end, int flags,
                                  void *opaque),
                       void *opaque);
/* The program break's pages: [start, end). */
void target_brk_range(uint64_t *start, uint64_t *end);

/* The PAGE_* flags of the page holding addr (0 if unmapped). */
int page_get_flags(uint64_t addr);
/* 0 if every page of [addr, addr + len) is mapped with all of flags
   (PAGE_READ...), -1 otherwise (or if the range wraps). */
int page_check_range(uint64_t addr, uint64_t len, int flags);

/* The guest's mmap family with Linux's semantics: each returns the guest
   address (or 0) on success, -errno on failure. */
int64_t target_mmap(uint64_t addr, uint64_t len, int prot, int flags,
                    int fd, int64_t offset);
int target_munmap(uint64_t addr, uint64_t len);
int target_mprotect(uint64_t addr, uint64_t len, int prot);
int64_t target_mremap(uint64_t old_addr, uint64_t old_len,
                      uint64_t new_len, int flags, uint64_t new_addr);
int target_madvise(uint64_t addr, uint64_t len, int advice);

/* The program break: target_set_brk sets where it starts (the loader
   does, after the bss); target_brk(new) moves it and returns the new
   break, or the old one if it cannot (brk(0) asks for the current one). */
void target_set_brk(uint64_t start);
uint64_t target_brk(uint64_t new_brk);

/* Called (with mmap_lock held) when pages of [start, end) that were
   executable are unmapped, replaced, moved, discarded or change
   protection: old_flags_union is the union of their flags before the
   change.  The JIT defines it to drop the translations of those pages;
   the default does nothing. */
void user_pages_changed(uint64_t start, uint64_t end, int old_flags_union);

/* Translated code on guest page page starts (on) or ends: the host page
   holding it is write-protected while a guest page of it holds code, so
   that a store to code traps (user_handle_host_fault).  False if there
   is no guest space. */
bool page_set_code(uint64_t page, bool on);
/* A write fault at guest addr on a page the guest may write: the code of
   its host page is dropped and the host page made writable.  True if the
   write can be redone. */
bool page_unprotect(uint64_t addr);
/* Before the host kernel writes guest [addr, addr + len) (a read()
   buffer): the code of its host pages goes, so that the write does not
   fail with EFAULT. */
void page_unprotect_range(uint64_t addr, uint64_t len);
/* Writes len bytes of buf (zeros if buf is NULL) at guest addr whatever
   the guest's and the JIT's protection (the loader's bss, gdb's writes);
   the translations of the pages go first.  -1 if a page is unmapped. */
int page_write_force(uint64_t addr, const void *buf, uint64_t len);

/* What to load: sysroot (-L) is searched first for the interpreter. */
typedef struct UserLoadOptions {
    const char *sysroot;        /* NULL: none */
    char *const *argv;          /* NULL-terminated; argv[0] as given */
    char *const *envp;          /* NULL-terminated */
    uint64_t stack_size;        /* 0: the target's default */
} UserLoadOptions;

/* What load_elf_binary built: guest addresses. */
typedef struct ImageInfo {
    uint64_t entry;             /* first guest pc: the interpreter's entry,
                                   or the program's without one */
    uint64_t stack_pointer;     /* points at argc */
    uint64_t load_bias;         /* added to the program's vaddrs */
    uint64_t load_addr;         /* lowest address of the program */
    uint64_t exe_entry;         /* AT_ENTRY */
    uint64_t phdr, phnum;       /* AT_PHDR, AT_PHNUM */
    uint64_t brk;               /* start of the program break */
    uint64_t interp_base;       /* AT_BASE; 0 without an interpreter */
    uint64_t interp_entry;
    uint64_t start_code, end_code, start_data, end_data;
    uint64_t stack_base, stack_top;   /* the stack mapping */
    uint64_t arg_start, arg_end, env_start, env_end;  /* the strings */
    uint64_t auxv, auxv_len;    /* the auxv array, bytes with AT_NULL */
    bool exec_stack;            /* PT_GNU_STACK asked for PF_X */
} ImageInfo;

/* Loads the ELF program at path (and its interpreter) into the guest
   space, maps its stack and writes the initial stack Linux builds;
   false with *err (g_free it) on any bad input. */
bool load_elf_binary(const char *path, const UserLoadOptions *opts,
                     ImageInfo *info, char **err);

#endif
