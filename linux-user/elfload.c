/*
 * The ELF loader of Linux user mode: maps a guest program (static or
 * dynamic, ET_EXEC or PIE) and its interpreter into the guest space the
 * way Linux's binfmt_elf does, maps the stack and writes on it what a new
 * process finds there (strings, AT_RANDOM bytes, argc, argv, envp and the
 * auxiliary vector).  Every number in the file is untrusted: offsets and
 * sizes are checked against the file and the address space, overflow
 * included, before anything is mapped, and bad input is an error message
 * worded like qemu-user's, never a crash.  On failure some mappings may be
 * left in the guest space; the caller exits.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "linux-user/user-internal.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

/* Linux refuses program headers larger than this (ELF_MIN_ALIGN). */
#define MAX_PHDRS_SIZE 65536
/* And interpreter paths longer than this. */
#define MAX_INTERP_LEN 4096

typedef struct ElfFile {
    const char *path;       /* for messages */
    int fd;
    uint64_t size;
    Elf64_Ehdr eh;
    Elf64_Phdr *ph;
} ElfFile;

/* Where one image went and what Linux computes from it. */
typedef struct LoadedImage {
    uint64_t bias, lo, entry, phdr;
    uint64_t start_code, end_code, start_data, end_data, brk;
    bool exec_stack;
} LoadedImage;

static bool read_at(const ElfFile *f, void *buf, uint64_t len, uint64_t off)
{
    return pread(f->fd, buf, len, off) == (ssize_t)len;
}

static bool bad_image(const ElfFile *f, char **err, const char *why)
{
    *err = g_strdup_printf("%s: Invalid ELF image: %s", f->path, why);
    return false;
}

/* Whether the ELF header is one this target runs. */
static bool check_ehdr(const ElfFile *f, const TargetUserInfo *t, char **err)
{
    const Elf64_Ehdr *eh = &f->eh;

    if (f->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0) {
        *err = g_strdup_printf("Error while loading %s: Exec format error",
                               f->path);
        return false;
    }
    if (eh->e_ident[EI_CLASS] != t->elf_class ||
        eh->e_ident[EI_DATA] != t->elf_data ||
        eh->e_ident[EI_VERSION] != EV_CURRENT ||
        eh->e_machine != t->elf_machine ||
        (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)) {
        *err = g_strdup_printf("%s: Invalid ELF image for this architecture",
                               f->path);
        return false;
    }
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
        (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > MAX_PHDRS_SIZE)
        return bad_image(f, err, "bad program header table");
    uint64_t ph_size = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > f->size || ph_size > f->size - eh->e_phoff)
        return bad_image(f, err, "program headers past the end of the file");
    return true;
}

/* Whether the PT_LOAD segments fit the file and the address space, in
   ascending order without overlap, as the ELF spec requires. */
static bool check_segments(const ElfFile *f, char **err)
{
    uint64_t prev_end = 0;
    int nload = 0;

    for (int i = 0; i < f->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        if (p->p_filesz > p->p_memsz)
            return bad_image(f, err, "segment file size above memory size");
        if (p->p_offset > f->size || p->p_filesz > f->size - p->p_offset)
            return bad_image(f, err, "segment past the end of the file");
        if (p->p_memsz > guest_space_end() ||
            p->p_vaddr > guest_space_end() - p->p_memsz)
            return bad_image(f, err, "segment outside the address space");
        if ((p->p_vaddr - p->p_offset) & ~TARGET_PAGE_MASK)
            return bad_image(f, err, "segment offset and address disagree");
        if (nload++ && p->p_vaddr < prev_end)
            return bad_image(f, err, "overlapping or unsorted segments");
        prev_end = p->p_vaddr + p->p_memsz;
    }
    if (nload == 0)
        return bad_image(f, err, "no loadable segment");
    return true;
}

static void elf_close(ElfFile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    g_free(f->ph);
    f->ph = NULL;
    f->fd = -1;
}

/* Opens path and checks its headers; open_fmt words a failed open. */
static bool elf_open(ElfFile *f, const char *path, const char *shown,
                     const char *open_fmt, char **err)
{
    const TargetUserInfo *t = guest_target();

    *f = (ElfFile){ .path = shown, .fd = open(path, O_RDONLY | O_CLOEXEC) };
    if (f->fd < 0) {
        *err = g_strdup_printf(open_fmt, shown, g_strerror(errno));
        return false;
    }
    off_t size = lseek(f->fd, 0, SEEK_END);
    f->size = size < 0 ? 0 : size;
    if (f->size >= sizeof(f->eh) && !read_at(f, &f->eh, sizeof(f->eh), 0))
        f->size = 0;
    if (!check_ehdr(f, t, err))
        goto fail;
    f->ph = g_new(Elf64_Phdr, f->eh.e_phnum);
    if (!read_at(f, f->ph, f->eh.e_phnum * sizeof(Elf64_Phdr), f->eh.e_phoff)) {
        bad_image(f, err, "cannot read the program headers");
        goto fail;
    }
    if (!check_segments(f, err))
        goto fail;
    return true;
fail:
    elf_close(f);
    return false;
}

static int seg_prot(uint32_t pf)
{
    return ((pf & PF_R) ? PROT_READ : 0) | ((pf & PF_W) ? PROT_WRITE : 0) |
           ((pf & PF_X) ? PROT_EXEC : 0);
}

/* Zeroes from addr to the end of its page, the part of the last file page
   that is bss, even in a segment the guest cannot write. */
static bool zero_page_tail(uint64_t addr)
{
    uint64_t page = addr & TARGET_PAGE_MASK;

    if (addr == page)
        return true;
    return page_write_force(addr, NULL, page + TARGET_PAGE_SIZE - addr) == 0;
}

/* Maps one PT_LOAD at its address plus bias: the file part, the zeroed
   tail of its last page, and anonymous pages for the rest of the bss. */
static bool map_segment(const ElfFile *f, const Elf64_Phdr *p, uint64_t bias,
                        char **err)
{
    int prot = seg_prot(p->p_flags);
    uint64_t vaddr = p->p_vaddr + bias;
    uint64_t page = vaddr & TARGET_PAGE_MASK;
    uint64_t file_end = vaddr + p->p_filesz, mem_end = vaddr + p->p_memsz;
    uint64_t anon_start = page;
    int64_t r = 0;

    if (p->p_filesz) {
        r = target_mmap(page, file_end - page, prot, MAP_PRIVATE | MAP_FIXED,
                        f->fd, p->p_offset - (vaddr - page));
        anon_start = TARGET_PAGE_ALIGN(file_end);
        if (r >= 0 && mem_end > file_end && !zero_page_tail(file_end))
            r = -EFAULT;
    }
    if (r >= 0 && TARGET_PAGE_ALIGN(mem_end) > anon_start)
        r = target_mmap(anon_start, TARGET_PAGE_ALIGN(mem_end) - anon_start,
                        prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
    if (r < 0) {
        *err = g_strdup_printf("%s: Error mapping file: %s", f->path,
                               g_strerror(-r));
        return false;
    }
    return true;
}

/* Linux's start/end of code and data, and the end of the bss. */
static void note_segment(LoadedImage *li, const Elf64_Phdr *p)
{
    uint64_t k = p->p_vaddr + li->bias;

    if ((p->p_flags & PF_X) && k < li->start_code)
        li->start_code = k;
    if (li->start_data < k)
        li->start_data = k;
    k += p->p_filesz;
    if ((p->p_flags & PF_X) && li->end_code < k)
        li->end_code = k;
    if (li->end_data < k)
        li->end_data = k;
    k = p->p_vaddr + li->bias + p->p_memsz;
    if (li->brk < k)
        li->brk = k;
}

/* Where the program headers are in memory: PT_PHDR, or the PT_LOAD whose
   file part holds them; 0 if neither. */
static uint64_t phdr_address(const ElfFile *f, uint64_t bias)
{
    for (int i = 0; i < f->eh.e_phnum; i++)
        if (f->ph[i].p_type == PT_PHDR)
            return f->ph[i].p_vaddr + bias;
    for (int i = 0; i < f->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type == PT_LOAD && f->eh.e_phoff >= p->p_offset &&
            f->eh.e_phoff - p->p_offset < p->p_filesz)
            return p->p_vaddr + (f->eh.e_phoff - p->p_offset) + bias;
    }
    return 0;
}

/* Maps an image: the whole span is taken first (at want, or where mmap
   places it if want is 0) so the segments cannot collide with anything,
   then each segment goes in and the gaps between them are given back. */
static bool load_image(const ElfFile *f, uint64_t want, LoadedImage *li,
                       char **err)
{
    uint64_t lo = UINT64_MAX, hi = 0, align = TARGET_PAGE_SIZE;

    for (int i = 0; i < f->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type == PT_LOAD) {
            lo = MIN(lo, p->p_vaddr & TARGET_PAGE_MASK);
            hi = MAX(hi, TARGET_PAGE_ALIGN(p->p_vaddr + p->p_memsz));
            /* Linux skips alignments that are not powers of two. */
            if (p->p_align && !(p->p_align & (p->p_align - 1)))
                align = MAX(align, p->p_align);
        }
    }
    int flags = MAP_PRIVATE | MAP_ANONYMOUS;
    if (f->eh.e_type == ET_EXEC)
        want = lo;
    else if (want)
        /* As Linux places a PIE at ELF_ET_DYN_BASE: its bias a multiple
           of the largest PT_LOAD alignment, which keeps sections aligned
           past the page size (.balign 0x40000) where the program put them. */
        want = ((want - lo) & ~(align - 1)) + lo;
    if (want || f->eh.e_type == ET_EXEC)
        flags |= MAP_FIXED_NOREPLACE;
    int64_t base = target_mmap(want, hi - lo, PROT_NONE, flags, -1, 0);
    if (base < 0) {
        *err = g_strdup_printf("%s: Error mapping file: %s", f->path,
                               g_strerror(-base));
        return false;
    }
    *li = (LoadedImage){ .bias = base - lo, .lo = base,
                         .start_code = UINT64_MAX };
    uint64_t mapped_to = base;
    for (int i = 0; i < f->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type == PT_GNU_STACK)
            li->exec_stack = (p->p_flags & PF_X) != 0;
        if (p->p_type != PT_LOAD)
            continue;
        uint64_t page = (p->p_vaddr + li->bias) & TARGET_PAGE_MASK;
        if (page > mapped_to)
            target_munmap(mapped_to, page - mapped_to);
        if (!map_segment(f, p, li->bias, err))
            return false;
        mapped_to = MAX(mapped_to,
                        TARGET_PAGE_ALIGN(p->p_vaddr + li->bias + p->p_memsz));
        note_segment(li, p);
    }
    if (li->start_code == UINT64_MAX)
        li->start_code = 0;
    li->entry = f->eh.e_entry + li->bias;
    li->phdr = phdr_address(f, li->bias);
    return true;
}

/* The PT_INTERP path of f, NULL if none; false on a bad one. */
static bool read_interp(const ElfFile *f, char **interp, char **err)
{
    *interp = NULL;
    for (int i = 0; i < f->eh.e_phnum; i++) {
        const Elf64_Phdr *p = &f->ph[i];
        if (p->p_type != PT_INTERP)
            continue;
        if (p->p_filesz < 2 || p->p_filesz > MAX_INTERP_LEN ||
            p->p_offset > f->size || p->p_filesz > f->size - p->p_offset)
            return bad_image(f, err, "bad interpreter path");
        char *s = g_malloc(p->p_filesz);
        if (!read_at(f, s, p->p_filesz, p->p_offset) ||
            s[p->p_filesz - 1] != '\0' || strlen(s) != p->p_filesz - 1) {
            g_free(s);
            return bad_image(f, err, "bad interpreter path");
        }
        *interp = s;
        return true;
    }
    return true;
}

/* Loads the interpreter named by the program, from the sysroot if it is
   there, else as named; it goes where mmap places it. */
static bool load_interp(const char *interp, const char *sysroot,
                        LoadedImage *li, char **err)
{
    char *path = NULL;
    ElfFile f;

    if (sysroot) {
        path = g_build_filename(sysroot, interp, NULL);
        if (access(path, F_OK) != 0)
            g_clear_pointer(&path, g_free);
    }
    bool ok = elf_open(&f, path ? path : interp, interp,
                       "Could not open '%s': %s", err);
    if (ok) {
        ok = load_image(&f, 0, li, err);
        elf_close(&f);
    }
    g_free(path);
    return ok;
}

/* Copies s below *p on the guest stack; returns its guest address. */
static uint64_t push_string(uint64_t *p, const char *s)
{
    size_t len = strlen(s) + 1;

    *p -= len;
    memcpy(g2h(*p), s, len);
    return *p;
}

static void aux(GArray *a, uint64_t type, uint64_t val)
{
    g_array_append_val(a, type);
    g_array_append_val(a, val);
}

static size_t count_strings(char *const *v, uint64_t *bytes)
{
    size_t n = 0;

    for (; v && v[n]; n++)
        *bytes += strlen(v[n]) + 1;
    return n;
}

/* The auxiliary vector, in the order Linux's create_elf_tables writes it
   (no vDSO yet, so no AT_SYSINFO_EHDR). */
static GArray *build_auxv(const TargetUserInfo *t, const ImageInfo *info,
                          uint64_t random, uint64_t execfn, uint64_t platform)
{
    GArray *a = g_array_new(false, false, sizeof(uint64_t));

    if (t->minsigstksz)
        aux(a, AT_MINSIGSTKSZ, t->minsigstksz);
    aux(a, AT_HWCAP, t->hwcap);
    aux(a, AT_PAGESZ, TARGET_PAGE_SIZE);
    aux(a, AT_CLKTCK, 100);
    aux(a, AT_PHDR, info->phdr);
    aux(a, AT_PHENT, sizeof(Elf64_Phdr));
    aux(a, AT_PHNUM, info->phnum);
    aux(a, AT_BASE, info->interp_base);
    aux(a, AT_FLAGS, 0);
    aux(a, AT_ENTRY, info->exe_entry);
    aux(a, AT_UID, getuid());
    aux(a, AT_EUID, geteuid());
    aux(a, AT_GID, getgid());
    aux(a, AT_EGID, getegid());
    aux(a, AT_SECURE, 0);
    aux(a, AT_RANDOM, random);
    if (t->has_hwcap2)
        aux(a, AT_HWCAP2, t->hwcap2);
    aux(a, AT_EXECFN, execfn);
    if (platform)
        aux(a, AT_PLATFORM, platform);
    aux(a, AT_NULL, 0);
    return a;
}

/* Writes the initial stack below info->stack_top as Linux lays it out:
   from the top, a NULL word, the file name, the environment and argument
   strings, [platform string], 16 random bytes, then (aligned) argc,
   argv[], NULL, envp[], NULL and the auxv pairs. */
static bool build_stack(const TargetUserInfo *t, const char *execfn,
                        const UserLoadOptions *opts, ImageInfo *info,
                        char **err)
{
    uint64_t bytes = strlen(execfn) + 1;
    size_t argc = count_strings(opts->argv, &bytes);
    size_t envc = count_strings(opts->envp, &bytes);
    uint64_t size = info->stack_top - info->stack_base;

    /* Linux's limit: the strings take at most a quarter of the stack. */
    if (bytes > size / 4 || (argc + envc) * 8 > size / 4) {
        *err = g_strdup_printf("%s: %s", execfn, g_strerror(E2BIG));
        return false;
    }
    uint64_t p = info->stack_top - 8;
    memset(g2h(p), 0, 8);
    uint64_t execfn_addr = push_string(&p, execfn);
    info->env_end = execfn_addr;
    uint64_t *ptrs = g_new(uint64_t, argc + envc);
    for (size_t i = envc; i-- > 0;)
        ptrs[argc + i] = push_string(&p, opts->envp[i]);
    info->env_start = info->arg_end = p;
    for (size_t i = argc; i-- > 0;)
        ptrs[i] = push_string(&p, opts->argv[i]);
    info->arg_start = p;
    p &= ~(uint64_t)15;
    uint64_t platform = t->platform ? push_string(&p, t->platform) : 0;
    p -= 16;
    if (getrandom(g2h(p), 16, 0) != 16) {
        for (int i = 0; i < 4; i++)
            ((uint32_t *)g2h(p))[i] = g_random_int();
    }
    uint64_t random = p;

    GArray *auxv = build_auxv(t, info, random, execfn_addr, platform);
    uint64_t words = 1 + argc + 1 + envc + 1 + auxv->len;
    uint64_t sp = (p - words * 8) & ~(uint64_t)(t->stack_align - 1);
    uint64_t *w = g2h(sp);
    *w++ = argc;
    for (size_t i = 0; i < argc; i++)
        *w++ = ptrs[i];
    *w++ = 0;
    for (size_t i = 0; i < envc; i++)
        *w++ = ptrs[argc + i];
    *w++ = 0;
    info->auxv = h2g(w);
    info->auxv_len = auxv->len * 8;
    memcpy(w, auxv->data, auxv->len * 8);
    info->stack_pointer = sp;
    g_array_free(auxv, true);
    g_free(ptrs);
    return true;
}

/* Maps the stack at the top of the user space, executable if the program
   asked with PT_GNU_STACK. */
static bool map_stack(const TargetUserInfo *t, const UserLoadOptions *opts,
                      ImageInfo *info, char **err)
{
    uint64_t size = opts->stack_size ? opts->stack_size : t->default_stack_size;

    size = TARGET_PAGE_ALIGN(size);
    if (size < TARGET_PAGE_SIZE * 4 || size > guest_space_end() / 4) {
        *err = g_strdup_printf("stack size %" G_GUINT64_FORMAT
                               " is out of range", opts->stack_size);
        return false;
    }
    uint64_t top = guest_space_end();
    int prot = PROT_READ | PROT_WRITE | (info->exec_stack ? PROT_EXEC : 0);
    int64_t r = target_mmap(top - size, size, prot,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                            -1, 0);
    if (r < 0) {
        *err = g_strdup_printf("cannot map the stack: %s", g_strerror(-r));
        return false;
    }
    info->stack_base = r;
    info->stack_top = top;
    return true;
}

bool load_elf_binary(const char *path, const UserLoadOptions *opts,
                     ImageInfo *info, char **err)
{
    const TargetUserInfo *t = guest_target();
    ElfFile f;
    char *interp = NULL;
    LoadedImage exe, in = { 0 };
    bool ok = false;

    *info = (ImageInfo){ 0 };
    if (!elf_open(&f, path, path, "Error while loading %s: %s", err))
        return false;
    mmap_lock();
    if (!read_interp(&f, &interp, err))
        goto out;
    /* A PIE with an interpreter goes at ELF_ET_DYN_BASE; one without
       (static-pie, or ld.so run directly) where mmap places it. */
    uint64_t want = (f.eh.e_type == ET_DYN && interp) ? guest_et_dyn_base() : 0;
    if (!load_image(&f, want, &exe, err))
        goto out;
    if (interp && !load_interp(interp, opts->sysroot, &in, err))
        goto out;
    info->load_bias = exe.bias;
    info->load_addr = exe.lo;
    info->exe_entry = exe.entry;
    info->phdr = exe.phdr;
    info->phnum = f.eh.e_phnum;
    info->interp_base = interp ? in.lo : 0;
    info->interp_entry = interp ? in.entry : 0;
    info->entry = interp ? in.entry : exe.entry;
    info->start_code = exe.start_code;
    info->end_code = exe.end_code;
    info->start_data = exe.start_data;
    info->end_data = exe.end_data;
    info->brk = TARGET_PAGE_ALIGN(exe.brk);
    info->exec_stack = exe.exec_stack;
    if (!map_stack(t, opts, info, err) ||
        !build_stack(t, path, opts, info, err))
        goto out;
    target_set_brk(info->brk);
    ok = true;
out:
    mmap_unlock();
    g_free(interp);
    elf_close(&f);
    return ok;
}
