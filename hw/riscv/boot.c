/*
 * RISC-V boot support (include/mimic/riscv_boot.h): finding the firmware,
 * recognising and loading kernels, placing the initrd and the device tree,
 * and the reset vector with OpenSBI's fw_dynamic info.  Every problem a
 * user can cause (a missing file, a kernel for another architecture, an
 * image that does not fit in RAM) becomes a message in *err.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/loader.h"
#include "mimic/riscv_boot.h"

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define MiB (1ull << 20)
#define GiB (1ull << 30)

bool riscv_firmware_path(const char *bios, char **path, char **err)
{
    const char *env = g_getenv(RISCV_FIRMWARE_ENV);
    g_autofree char *why = NULL, *found = NULL;
    int fd;

    *path = NULL;
    if (bios && !strcmp(bios, "none"))
        return true;
    if (!bios || !strcmp(bios, "default")) {
        const char *def = env && *env ? env : RISCV_DEFAULT_FIRMWARE;
        /* QEMU's name for it, in an -L folder, comes first, as there. */
        g_autofree char *found = loader_find_file(
            "opensbi-riscv64-generic-fw_dynamic.bin");

        if (found && strchr(found, '/')) {
            *path = g_steal_pointer(&found);
            return true;
        }

        if (access(def, R_OK) != 0) {
            *err = g_strdup_printf("default firmware %s not found: install "
                                   "the Debian package 'opensbi', or give "
                                   "-bios FILE (or -bios none)", def);
            return false;
        }
        *path = g_strdup(def);
        return true;
    }
    /* A name that is not a file here is looked for in the -L folders. */
    found = loader_find_file(bios);
    fd = loader_open(found ? found : bios, &why);
    if (fd < 0) {
        *err = g_strdup_printf("-bios %s", why);
        return false;
    }
    close(fd);
    *path = found ? g_steal_pointer(&found) : g_strdup(bios);
    return true;
}

bool riscv_name_option(bool ok, const char *option, const char *path,
                       char **err)
{
    if (!ok && *err && g_str_has_prefix(*err, path)) {
        char *e = g_strdup_printf("%s %s", option, *err);

        g_free(*err);
        *err = e;
    }
    return ok;
}

/* The first bytes of a file (fewer if it is shorter); -1 on error. */
static ssize_t read_head(const char *path, uint8_t *buf, size_t len)
{
    g_autofree char *err = NULL;
    int fd = loader_open(path, &err);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = read(fd, buf, len);
    close(fd);
    return n;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* NULL if a raw image may be this file, else why it is not a RISC-V kernel. */
static const char *foreign_kernel(const uint8_t *h, ssize_t n)
{
    if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
        return "is gzip-compressed: decompress it (Image.gz -> Image) first";
    if (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4))
        return "is zstd-compressed: decompress it first";
    if (n >= 3 && !memcmp(h, "BZh", 3))
        return "is bzip2-compressed: decompress it first";
    if (n >= 0x3c && !memcmp(h + 0x38, "ARM\x64", 4))
        return "is an arm64 Linux Image, not a RISC-V one";
    if (n >= 0x206 && !memcmp(h + 0x202, "HdrS", 4))
        return "is an x86 Linux kernel (bzImage), not a RISC-V one";
    if (n >= 2 && h[0] == 'M' && h[1] == 'Z')
        return "is a PE/EFI executable without a RISC-V Image header";
    return NULL;
}

bool riscv_load_kernel(const char *path, uint64_t addr, uint64_t ram_end,
                       uint64_t *entry, uint64_t *low, uint64_t *end,
                       char **err)
{
    uint8_t h[0x240];
    ssize_t n;
    uint64_t size, need;
    const char *why;

    if (file_is_elf(path))
        return riscv_name_option(load_elf_rom(ROM_SPACE_BOARD, path,
                                              &address_space_memory, EM_RISCV,
                                              entry, low, end, err),
                                 "-kernel", path, err);
    n = read_head(path, h, sizeof(h));
    if (n < 0) {
        /* Let the loader say what is wrong with the file. */
        return riscv_name_option(
            load_image_raw(path, &address_space_memory, addr, 0, NULL, err),
            "-kernel", path, err);
    }
    need = 0;
    if (n >= 0x40 && !memcmp(h + 0x38, "RSC\x05", 4)) {
        need = le64(h + 0x10);   /* image_size: text, data and bss */
    } else if ((why = foreign_kernel(h, n)) != NULL) {
        *err = g_strdup_printf("-kernel %s: %s", path, why);
        return false;
    }
    if (addr >= ram_end) {
        *err = g_strdup_printf("-kernel %s: no room in RAM at 0x%" PRIx64
                               " (RAM ends at 0x%" PRIx64 ")", path, addr, ram_end);
        return false;
    }
    if (!riscv_name_option(load_image_raw(path, &address_space_memory, addr,
                                          ram_end - addr, &size, err),
                           "-kernel", path, err))
        return false;
    if (need > ram_end - addr) {
        *err = g_strdup_printf("-kernel %s: the kernel needs %" PRIu64 " MiB "
                               "at 0x%" PRIx64 " but RAM ends at 0x%" PRIx64
                               ": give more memory with -m", path,
                               (uint64_t)((need + MiB - 1) / MiB), addr, ram_end);
        return false;
    }
    *entry = addr;
    *low = addr;
    *end = addr + MAX(size, need);
    return rom_add(ROM_SPACE_BOARD, path, &address_space_memory, addr, size,
                   err);
}

bool riscv_load_initrd(const char *path, uint64_t kernel_entry,
                       uint64_t kernel_end, uint64_t ram_size, uint64_t limit,
                       uint64_t *start, uint64_t *end, char **err)
{
    struct stat st;
    uint64_t at = kernel_entry + MIN(ram_size / 2, 128 * MiB);
    g_autofree char *why = NULL;
    int fd = loader_open(path, &why);

    if (fd < 0) {
        *err = g_strdup_printf("-initrd %s", why);
        return false;
    }
    if (fstat(fd, &st) != 0) {
        *err = g_strdup_printf("-initrd %s: %s", path, g_strerror(errno));
        close(fd);
        return false;
    }
    close(fd);
    if (at < kernel_end)
        at = ALIGN_UP(kernel_end, 4096);
    if (at >= limit || (uint64_t)st.st_size > limit - at) {
        *err = g_strdup_printf("-initrd %s: the initrd (%" PRIu64 " bytes) does "
                               "not fit in RAM: it would span 0x%" PRIx64
                               "-0x%" PRIx64 " but the space for it ends at "
                               "0x%" PRIx64 "; give more memory with -m", path,
                               (uint64_t)st.st_size, at,
                               at + (uint64_t)st.st_size, limit);
        return false;
    }
    if (!riscv_name_option(load_image_raw(path, &address_space_memory, at,
                                          limit - at, NULL, err),
                           "-initrd", path, err))
        return false;
    *start = at;
    *end = at + (uint64_t)st.st_size;
    return rom_add(ROM_SPACE_BOARD, path, &address_space_memory, at,
                   (uint64_t)st.st_size, err);
}

uint64_t riscv_fdt_addr(uint64_t ram_base, uint64_t ram_size, uint64_t fdt_size)
{
    uint64_t top = ram_base + ram_size;

    if (ram_base < 3 * GiB)
        top = MIN(top, 3 * GiB);
    if (top - ram_base < fdt_size)
        return ram_base;    /* the caller reports that it does not fit */
    return MAX(ALIGN_DOWN(top - fdt_size, 2 * MiB), ram_base);
}

bool riscv_write_reset_vec(AddressSpace *as, uint64_t rom_base, uint64_t start,
                           uint64_t fdt_addr, uint64_t kernel_entry, char **err)
{
    /* Offsets 0x18 and 0x20 hold the start and device-tree addresses, and
       0x28 the fw_dynamic info (struct fw_dynamic_info, version 2). */
    static const uint32_t code[6] = {
        0x00000297,   /* auipc t0, 0         t0 = this ROM          */
        0x02828613,   /* addi  a2, t0, 0x28  a2 = fw_dynamic info   */
        0xf1402573,   /* csrr  a0, mhartid                          */
        0x0202b583,   /* ld    a1, 0x20(t0)  device tree            */
        0x0182b283,   /* ld    t0, 0x18(t0)  start address          */
        0x00028067,   /* jr    t0                                   */
    };
    uint64_t data[8] = {
        start, fdt_addr,
        FW_DYNAMIC_INFO_MAGIC, FW_DYNAMIC_INFO_VERSION,
        kernel_entry,                  /* next_addr */
        FW_DYNAMIC_INFO_NEXT_MODE_S,   /* next_mode */
        0,                             /* options */
        0,                             /* boot_hart: hart 0, as QEMU */
    };
    uint8_t rom[RISCV_RESET_VEC_SIZE];

    G_STATIC_ASSERT(sizeof(code) + sizeof(data) == RISCV_RESET_VEC_SIZE);
    /* The guest is little-endian, and so is every supported host. */
    memcpy(rom, code, sizeof(code));
    memcpy(rom + sizeof(code), data, sizeof(data));
    if (address_space_write_rom(as, rom_base, rom, sizeof(rom)) != MEMTX_OK) {
        *err = g_strdup("cannot write the reset vector");
        return false;
    }
    return rom_add(ROM_SPACE_BOARD, "mrom.reset", as, rom_base, sizeof(rom),
                   err);
}
