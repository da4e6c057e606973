/*
 * Guest image loaders: ELF64 executables and raw binaries (the contract is
 * include/mimic/loader.h).  The file is mapped read-only and every field
 * read from it is checked against the file size before use, so a truncated,
 * corrupt or foreign file ends in a message naming the file and the
 * problem, never in a crash.  Segments go to their physical addresses
 * through address_space_write_rom(), which also fills ROM; a segment that
 * falls (partly) outside guest memory is an error.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/loader.h"
#include "mimic/log.h"

/* A read-only view of a whole file. */
typedef struct ImageFile {
    const uint8_t *data;
    size_t size;
} ImageFile;

int loader_open(const char *path, char **err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;

    if (fd < 0) {
        *err = g_strdup_printf("%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        *err = g_strdup_printf("%s: not a regular file (%s)", path,
                               S_ISFIFO(st.st_mode)   ? "a FIFO"
                               : S_ISCHR(st.st_mode)  ? "a character device"
                               : S_ISDIR(st.st_mode)  ? "a directory"
                               : S_ISSOCK(st.st_mode) ? "a socket"
                                                      : "a device");
        close(fd);
        return -1;
    }
    return fd;
}

static GPtrArray *search_dirs;

void loader_add_search_dir(const char *dir)
{
    if (!search_dirs)
        search_dirs = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(search_dirs, g_strdup(dir));
}

char *loader_find_file(const char *name)
{
    if (access(name, R_OK) == 0)
        return g_strdup(name);
    for (guint i = 0; search_dirs && i < search_dirs->len; i++) {
        char *p = g_build_filename(g_ptr_array_index(search_dirs, i), name,
                                   NULL);

        if (access(p, R_OK) == 0)
            return p;
        g_free(p);
    }
    return NULL;
}

void loader_print_search_dirs(FILE *f, const char *builtin)
{
    for (guint i = 0; search_dirs && i < search_dirs->len; i++)
        fprintf(f, "%s\n", (char *)g_ptr_array_index(search_dirs, i));
    if (builtin)
        fprintf(f, "%s\n", builtin);
}

static bool image_open(const char *path, ImageFile *img, char **err)
{
    struct stat st;
    int fd = loader_open(path, err);

    img->data = NULL;
    img->size = 0;
    if (fd < 0)
        return false;
    if (fstat(fd, &st) < 0) {
        *err = g_strdup_printf("%s: %s", path, strerror(errno));
        close(fd);
        return false;
    }
    img->size = (size_t)st.st_size;
    if (img->size > 0) {
        void *p = mmap(NULL, img->size, PROT_READ, MAP_PRIVATE, fd, 0);

        if (p == MAP_FAILED) {
            *err = g_strdup_printf("%s: cannot read: %s", path, strerror(errno));
            close(fd);
            return false;
        }
        img->data = p;
    }
    close(fd);
    return true;
}

bool load_file(const char *path, size_t max_size, char **data, size_t *len,
               char **err)
{
    int fd = loader_open(path, err);
    struct stat st;
    size_t done = 0;
    char *buf;

    if (fd < 0)
        return false;
    if (fstat(fd, &st) < 0 || (uint64_t)st.st_size > max_size) {
        *err = g_strdup_printf("%s: too large (%" PRIu64 " bytes; at most "
                               "%zu)",
                               path, (uint64_t)st.st_size, max_size);
        close(fd);
        return false;
    }
    /* Read no more than stat said, even if the file grows meanwhile. */
    buf = g_malloc((size_t)st.st_size + 1);
    while (done < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err =
                g_strdup_printf("%s: cannot read: %s", path, strerror(errno));
            g_free(buf);
            close(fd);
            return false;
        }
        if (n == 0)
            break;
        done += (size_t)n;
    }
    close(fd);
    buf[done] = '\0';
    *data = buf;
    *len = done;
    return true;
}

static void image_close(ImageFile *img)
{
    if (img->data)
        munmap((void *)img->data, img->size);
    img->data = NULL;
}

bool file_is_elf(const char *path)
{
    uint8_t magic[SELFMAG];
    g_autofree char *err = NULL;
    int fd = loader_open(path, &err);
    bool ok;

    if (fd < 0)
        return false;
    ok = read(fd, magic, SELFMAG) == SELFMAG && memcmp(magic, ELFMAG, SELFMAG) == 0;
    close(fd);
    return ok;
}

const char *elf_machine_name(uint16_t machine)
{
    static const struct {
        uint16_t num;
        const char *name;
    } names[] = {
        { EM_386, "i386" },        { EM_68K, "m68k" },
        { EM_MIPS, "MIPS" },       { EM_PPC, "PowerPC" },
        { EM_PPC64, "PowerPC64" }, { EM_S390, "S/390" },
        { EM_ARM, "ARM" },         { EM_SPARCV9, "SPARC V9" },
        { EM_X86_64, "x86-64" },   { EM_AARCH64, "AArch64" },
        { EM_RISCV, "RISC-V" },    { 258 /* EM_LOONGARCH */, "LoongArch" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (names[i].num == machine)
            return names[i].name;
    }
    return NULL;
}

static char *machine_desc(uint16_t machine)
{
    const char *name = elf_machine_name(machine);

    return name ? g_strdup_printf("%s (%u)", name, machine)
                : g_strdup_printf("%u", machine);
}

/* Checks the ELF header; on success *eh points into the file. */
static bool elf_check_header(const char *path, const ImageFile *img,
                             uint16_t expected_machine, const Elf64_Ehdr **eh,
                             char **err)
{
    const Elf64_Ehdr *h = (const Elf64_Ehdr *)img->data;

    if (img->size < SELFMAG || memcmp(img->data, ELFMAG, SELFMAG) != 0) {
        *err = g_strdup_printf("%s: not an ELF file", path);
        return false;
    }
    if (img->size < EI_NIDENT || img->data[EI_CLASS] != ELFCLASS64) {
        *err = g_strdup_printf("%s: ELF class %s; expected a 64-bit (ELFCLASS64) image",
                               path, img->size > EI_CLASS &&
                               img->data[EI_CLASS] == ELFCLASS32 ? "ELFCLASS32 (32-bit)" :
                               "unknown");
        return false;
    }
    if (img->data[EI_DATA] != ELFDATA2LSB) {
        *err = g_strdup_printf("%s: ELF is not little-endian (EI_DATA %u)",
                               path, img->data[EI_DATA]);
        return false;
    }
    if (img->size < sizeof(Elf64_Ehdr)) {
        *err = g_strdup_printf("%s: truncated ELF: %zu bytes, the ELF header needs %zu",
                               path, img->size, sizeof(Elf64_Ehdr));
        return false;
    }
    if (h->e_machine != expected_machine) {
        g_autofree char *got = machine_desc(h->e_machine);
        g_autofree char *want = machine_desc(expected_machine);

        *err = g_strdup_printf("%s: ELF is for machine %s, expected %s", path,
                               got, want);
        return false;
    }
    if (h->e_type != ET_EXEC && h->e_type != ET_DYN) {
        *err = g_strdup_printf("%s: ELF type %u is not an executable "
                               "(ET_EXEC or ET_DYN)", path, h->e_type);
        return false;
    }
    *eh = h;
    return true;
}

/* Checks the program header table; on success *ph points into the file. */
static bool elf_check_phdrs(const char *path, const ImageFile *img,
                            const Elf64_Ehdr *eh, const Elf64_Phdr **ph,
                            char **err)
{
    uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

    if (eh->e_phnum == 0) {
        *err = g_strdup_printf("%s: ELF has no program headers", path);
        return false;
    }
    if (eh->e_phentsize != sizeof(Elf64_Phdr)) {
        *err = g_strdup_printf("%s: bad ELF program header size %u (expected %zu)",
                               path, eh->e_phentsize, sizeof(Elf64_Phdr));
        return false;
    }
    if (eh->e_phoff > img->size || table > img->size - eh->e_phoff) {
        *err = g_strdup_printf("%s: truncated ELF: program headers at 0x%" PRIx64
                               " (%" PRIu64 " bytes) lie beyond the end of the "
                               "file (%zu bytes)", path, (uint64_t)eh->e_phoff,
                               table, img->size);
        return false;
    }
    if (eh->e_phoff % 8) {
        *err = g_strdup_printf("%s: misaligned ELF program headers", path);
        return false;
    }
    *ph = (const Elf64_Phdr *)(img->data + eh->e_phoff);
    return true;
}

static bool elf_check_segment(const char *path, const ImageFile *img, int i,
                              const Elf64_Phdr *p, char **err)
{
    if (p->p_filesz > p->p_memsz) {
        *err = g_strdup_printf("%s: bad ELF segment %d: file size 0x%" PRIx64
                               " is larger than its memory size 0x%" PRIx64,
                               path, i, (uint64_t)p->p_filesz, (uint64_t)p->p_memsz);
        return false;
    }
    if (p->p_offset > img->size || p->p_filesz > img->size - p->p_offset) {
        *err = g_strdup_printf("%s: truncated ELF: segment %d needs file bytes "
                               "0x%" PRIx64 "+0x%" PRIx64 " but the file has %zu bytes",
                               path, i, (uint64_t)p->p_offset,
                               (uint64_t)p->p_filesz, img->size);
        return false;
    }
    if (p->p_memsz && p->p_paddr + p->p_memsz - 1 < p->p_paddr) {
        *err = g_strdup_printf("%s: bad ELF segment %d: address 0x%" PRIx64
                               " + size 0x%" PRIx64 " wraps around", path, i,
                               (uint64_t)p->p_paddr, (uint64_t)p->p_memsz);
        return false;
    }
    return true;
}

typedef struct SegRange {
    uint64_t start, end; /* physical, end inclusive */
    int index;
} SegRange;

static int seg_range_cmp(const void *a, const void *b)
{
    const SegRange *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Two PT_LOAD segments over the same guest memory: the later one would
 * silently win (QEMU refuses: "rom: requested regions overlap").  Sorted
 * by address, so a file with many segments costs n log n.
 */
static bool elf_check_overlap(const char *path, const Elf64_Ehdr *eh,
                              const Elf64_Phdr *ph, char **err)
{
    g_autofree SegRange *r = g_new(SegRange, eh->e_phnum);
    int n = 0;

    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        r[n].start = ph[i].p_paddr;
        r[n].end = ph[i].p_paddr + ph[i].p_memsz - 1;
        r[n].index = i;
        n++;
    }
    qsort(r, (size_t)n, sizeof(*r), seg_range_cmp);
    for (int i = 1; i < n; i++) {
        if (r[i].start <= r[i - 1].end) {
            *err = g_strdup_printf(
                "%s: ELF segments %d (0x%" PRIx64 "-0x%" PRIx64
                ") and %d (0x%" PRIx64 "-0x%" PRIx64 ") overlap in memory",
                path, r[i - 1].index, r[i - 1].start, r[i - 1].end, r[i].index,
                r[i].start, r[i].end);
            return false;
        }
    }
    return true;
}

static const char *memtx_reason(MemTxResult r)
{
    return r == MEMTX_DECODE_ERROR ? "is not in guest memory"
                                   : "overlaps a device, not memory";
}

/* Copies one checked segment into guest memory and zeroes its bss. */
static bool elf_load_segment(const char *path, const ImageFile *img, int i,
                             const Elf64_Phdr *p, AddressSpace *as, char **err)
{
    static const uint8_t zeros[65536];
    uint64_t done = p->p_filesz;
    MemTxResult r = MEMTX_OK;

    if (p->p_filesz)
        r = address_space_write_rom(as, p->p_paddr, img->data + p->p_offset,
                                    p->p_filesz);
    while (r == MEMTX_OK && done < p->p_memsz) {
        uint64_t n = MIN(p->p_memsz - done, sizeof(zeros));

        r = address_space_write_rom(as, p->p_paddr + done, zeros, n);
        done += n;
    }
    if (r != MEMTX_OK) {
        *err = g_strdup_printf("%s: ELF segment %d (0x%" PRIx64 "-0x%" PRIx64
                               ") %s", path, i, (uint64_t)p->p_paddr,
                               (uint64_t)(p->p_paddr + p->p_memsz - 1),
                               memtx_reason(r));
        return false;
    }
    return true;
}

static bool elf_load_all(const char *path, const ImageFile *img,
                         AddressSpace *as, uint16_t machine, uint64_t *entry,
                         uint64_t *low, uint64_t *high, char **err)
{
    const Elf64_Ehdr *eh;
    const Elf64_Phdr *ph;
    uint64_t lo = UINT64_MAX, hi = 0, e;
    int loaded = 0;

    if (!elf_check_header(path, img, machine, &eh, err) ||
        !elf_check_phdrs(path, img, eh, &ph, err))
        return false;
    /* Check every segment before writing any of them. */
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !elf_check_segment(path, img, i, &ph[i], err))
            return false;
    }
    if (!elf_check_overlap(path, eh, ph, err))
        return false;
    e = eh->e_entry;
    for (int i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *p = &ph[i];

        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if (!elf_load_segment(path, img, i, p, as, err))
            return false;
        if (eh->e_entry >= p->p_vaddr && eh->e_entry - p->p_vaddr < p->p_memsz)
            e = eh->e_entry - p->p_vaddr + p->p_paddr;
        lo = MIN(lo, p->p_paddr);
        hi = MAX(hi, p->p_paddr + p->p_memsz);
        loaded++;
    }
    if (!loaded) {
        *err = g_strdup_printf("%s: ELF has no loadable segment", path);
        return false;
    }
    if (entry)
        *entry = e;
    if (low)
        *low = lo;
    if (high)
        *high = hi;
    return true;
}

bool load_elf(const char *path, AddressSpace *as, uint16_t expected_machine,
              uint64_t *entry, uint64_t *low, uint64_t *high, char **err)
{
    ImageFile img;
    bool ok;

    if (!image_open(path, &img, err))
        return false;
    ok = elf_load_all(path, &img, as, expected_machine, entry, low, high, err);
    image_close(&img);
    return ok;
}

bool load_image_raw(const char *path, AddressSpace *as, uint64_t addr,
                    uint64_t max_size, uint64_t *size, char **err)
{
    ImageFile img;
    MemTxResult r;

    if (!image_open(path, &img, err))
        return false;
    if (img.size == 0) {
        *err = g_strdup_printf("%s: empty image", path);
        return false;
    }
    if (img.size > max_size) {
        *err = g_strdup_printf("%s: image of %zu bytes does not fit in the "
                               "%" PRIu64 " bytes at 0x%" PRIx64, path,
                               img.size, max_size, addr);
        image_close(&img);
        return false;
    }
    r = address_space_write_rom(as, addr, img.data, img.size);
    if (r != MEMTX_OK) {
        *err = g_strdup_printf("%s: image at 0x%" PRIx64 "-0x%" PRIx64 " %s",
                               path, addr, addr + img.size - 1, memtx_reason(r));
        image_close(&img);
        return false;
    }
    if (size)
        *size = img.size;
    image_close(&img);
    return true;
}

/* ---- Images kept for system reset ---- */

typedef struct RomSnapshot {
    AddressSpace *as;
    uint64_t addr;
    uint64_t len;
    uint8_t *data;
} RomSnapshot;

static GPtrArray *rom_snapshots;

/* Kernel-sized copies are mapped in whole (MAP_POPULATE): faulting their
   pages in one by one was a visible part of boot time. */
#define SNAPSHOT_MMAP_MIN (64u << 10)

static uint8_t *snapshot_alloc(uint64_t len)
{
    if (len >= SNAPSHOT_MMAP_MIN) {
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

        if (p != MAP_FAILED)
            return p;
        error_report("cannot allocate %" PRIu64 " bytes to keep a boot image "
                     "for reset: %s", len, strerror(errno));
        exit(1);
    }
    return g_malloc(len);
}

static void snapshot_free(uint8_t *p, uint64_t len)
{
    if (len >= SNAPSHOT_MMAP_MIN)
        munmap(p, len);
    else
        g_free(p);
}

void rom_snapshot(AddressSpace *as, uint64_t addr, uint64_t len)
{
    RomSnapshot *r = g_new0(RomSnapshot, 1);

    r->as = as;
    r->addr = addr;
    r->len = len;
    r->data = snapshot_alloc(len);
    if (address_space_read(as, addr, r->data, len) != MEMTX_OK) {
        snapshot_free(r->data, len);
        g_free(r);
        return;
    }
    if (!rom_snapshots)
        rom_snapshots = g_ptr_array_new();
    g_ptr_array_add(rom_snapshots, r);
}

/* ---- Overlap checks ---- */

typedef struct RomClaim {
    RomSpace space;
    char *name;
    uint64_t start, end;    /* end exclusive */
} RomClaim;

static GPtrArray *rom_claims;

const char *rom_find_overlap(RomSpace space, uint64_t addr, uint64_t len,
                             uint64_t *start, uint64_t *end)
{
    for (guint i = 0; rom_claims && i < rom_claims->len; i++) {
        RomClaim *c = g_ptr_array_index(rom_claims, i);

        if (c->space == space && len && addr < c->end &&
            c->start < addr + len) {
            *start = c->start;
            *end = c->end;
            return c->name;
        }
    }
    return NULL;
}

bool rom_add(RomSpace space, const char *name, AddressSpace *as,
             uint64_t addr, uint64_t len, char **err)
{
    uint64_t s, e;
    const char *other = rom_find_overlap(space, addr, len, &s, &e);
    RomClaim *c;

    if (other) {
        /* QEMU 7.2's words, the earlier image first. */
        *err = g_strdup_printf(
            "Some ROM regions are overlapping\n"
            "These ROM regions might have been loaded by direct user request "
            "or by default.\n"
            "They could be BIOS/firmware images, a guest kernel, initrd or "
            "some other file loaded into guest memory.\n"
            "Check whether you intended to load all this guest code, and "
            "whether it has been built to load to the correct addresses.\n"
            "\n"
            "The following two regions overlap (in the %s address space):\n"
            "  %s (addresses 0x%016" PRIx64 " - 0x%016" PRIx64 ")\n"
            "  %s (addresses 0x%016" PRIx64 " - 0x%016" PRIx64 ")",
            space == ROM_SPACE_LOADER ? "cpu-memory-0" : "memory", other, s,
            e, name, addr, addr + len);
        return false;
    }
    if (!rom_claims)
        rom_claims = g_ptr_array_new();
    c = g_new0(RomClaim, 1);
    c->space = space;
    c->name = g_strdup(name);
    c->start = addr;
    c->end = addr + len;
    g_ptr_array_add(rom_claims, c);
    rom_snapshot(as, addr, len);
    return true;
}

bool load_elf_rom(RomSpace space, const char *path, AddressSpace *as,
                  uint16_t expected_machine, uint64_t *entry, uint64_t *low,
                  uint64_t *high, char **err)
{
    ImageFile img;
    const Elf64_Ehdr *eh;
    const Elf64_Phdr *ph;
    bool ok;

    if (!image_open(path, &img, err))
        return false;
    ok = elf_load_all(path, &img, as, expected_machine, entry, low, high, err);
    /* elf_load_all checked the headers: the segments are safe to read. */
    if (ok) {
        eh = (const Elf64_Ehdr *)img.data;
        ph = (const Elf64_Phdr *)(img.data + eh->e_phoff);
        for (int i = 0; ok && i < eh->e_phnum; i++) {
            g_autofree char *name = NULL;

            if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
                continue;
            name = g_strdup_printf("%s ELF program header segment %d", path, i);
            ok = rom_add(space, name, as, ph[i].p_paddr, ph[i].p_memsz, err);
        }
    }
    image_close(&img);
    return ok;
}

void rom_reset_all(void)
{
    for (guint i = 0; rom_snapshots && i < rom_snapshots->len; i++) {
        RomSnapshot *r = g_ptr_array_index(rom_snapshots, i);

        address_space_write_rom(r->as, r->addr, r->data, r->len);
    }
}

void rom_forget_all(void)
{
    for (guint i = 0; rom_snapshots && i < rom_snapshots->len; i++) {
        RomSnapshot *r = g_ptr_array_index(rom_snapshots, i);

        snapshot_free(r->data, r->len);
        g_free(r);
    }
    if (rom_snapshots)
        g_ptr_array_set_size(rom_snapshots, 0);
    for (guint i = 0; rom_claims && i < rom_claims->len; i++) {
        RomClaim *c = g_ptr_array_index(rom_claims, i);

        g_free(c->name);
        g_free(c);
    }
    if (rom_claims)
        g_ptr_array_set_size(rom_claims, 0);
}

static gint snapshot_cmp(gconstpointer a, gconstpointer b)
{
    const RomSnapshot *x = *(RomSnapshot *const *)a;
    const RomSnapshot *y = *(RomSnapshot *const *)b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void rom_largest_gap(uint64_t base, uint64_t size, uint64_t *gap_lo,
                     uint64_t *gap_hi)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();
    uint64_t cur = base, end = base + size;

    *gap_lo = *gap_hi = base;
    for (guint i = 0; rom_snapshots && i < rom_snapshots->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(rom_snapshots, i));
    g_ptr_array_sort(sorted, snapshot_cmp);
    for (guint i = 0; i <= sorted->len; i++) {
        uint64_t lo = end, hi = end;

        if (i < sorted->len) {
            const RomSnapshot *r = g_ptr_array_index(sorted, i);

            if (r->addr + r->len <= base || r->addr >= end)
                continue;
            lo = MAX(r->addr, base);
            hi = MIN(r->addr + r->len, end);
        }
        if (lo > cur && lo - cur > *gap_hi - *gap_lo) {
            *gap_lo = cur;
            *gap_hi = lo;
        }
        cur = MAX(cur, hi);
    }
}
