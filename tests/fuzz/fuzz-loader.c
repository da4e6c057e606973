/* needs: riscv64-softmmu */
/*
 * Fuzzes the boot-image loaders against the RAM of a -M virt machine: the
 * ELF loader (hw/core/loader.c), raw images, -kernel's recognition of
 * ELF, Linux Image and raw kernels, -initrd placement (hw/riscv/boot.c)
 * and the -dtb reader with its /chosen edits (hw/riscv/virt-fdt.c, on
 * libfdt).  The first byte picks the loader; the rest is the file.  A bad
 * file must give a message, never a crash.
 */
#include <glib.h>

#include "../../hw/riscv/virt.h"
#include "fuzz.h"
#include "mimic/loader.h"
#include "mimic/riscv_boot.h"

#define RAM_BASE 0x80000000ull

static void load_dtb(const char *path, uint8_t flags)
{
    VirtFdtBoot boot = {
        .bootargs = (flags & 1) ? "console=ttyS0 root=/dev/vda" : NULL,
        .has_initrd = flags & 2,
    };
    char *err = NULL;
    size_t size;
    void *fdt = virt_fdt_load(path, &size, &err);

    if (fdt && virt_fdt_set_chosen(&fdt, &size, &boot, false, &err)) {
        boot.initrd_start = RAM_BASE + 0x1000000;
        boot.initrd_end = boot.initrd_start + 0x123456;
        virt_fdt_set_chosen(&fdt, &size, &boot, true, &err);
    }
    g_free(err);
    g_free(fdt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MachineState *ms = fuzz_machine();
    uint64_t ram_end = RAM_BASE + ms->ram_size;
    uint64_t entry, low, high, start, end;
    char *err = NULL;
    char *path;

    if (size < 1)
        return 0;
    path = fuzz_write_file("image", data + 1, size - 1);
    switch (data[0] & 7) {
    case 0:
    case 1:
        load_elf(path, &address_space_memory, EM_RISCV, &entry, &low, &high,
                 &err);
        break;
    case 2:
        load_image_raw(path, &address_space_memory, RAM_BASE + 0x200000,
                       0x100000, NULL, &err);
        break;
    case 3:
        riscv_load_kernel(path, RAM_BASE + 0x200000, ram_end, &entry, &low,
                          &high, &err);
        break;
    case 4:
        riscv_load_initrd(path, RAM_BASE + 0x200000, RAM_BASE + 0x400000,
                          ms->ram_size, ram_end - 0x200000, &start, &end, &err);
        break;
    default:
        load_dtb(path, data[0] >> 3);
        break;
    }
    g_free(err);
    g_free(path);
    return 0;
}
