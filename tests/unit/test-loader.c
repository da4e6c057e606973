/* needs: none */
/*
 * Tests of the image loaders (hw/core/loader.c): a good ELF lands at its
 * physical addresses with its bss zeroed, and truncated, garbage,
 * wrong-architecture, 32-bit, huge-offset and out-of-memory files are
 * refused with a message naming the problem.  The files are generated here.
 */
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/loader.h"
#include "unit.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x100000ull

static MemoryRegion root, ram;
static AddressSpace as;
static char *tmpdir;

static void setup(void)
{
    if (tmpdir)
        return;
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", RAM_SIZE);
    memory_region_add_subregion(&root, RAM_BASE, &ram);
    address_space_init(&as, &root, "as");
    tmpdir = g_dir_make_tmp("mimic-loader-XXXXXX", NULL);
}

/* A two-segment RISC-V executable: code (16 bytes) and data with bss. */
typedef struct TestElf {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[2];
    uint8_t code[16];
    uint8_t data[8];
} TestElf;

static void make_elf(TestElf *t)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->eh.e_ident, ELFMAG, SELFMAG);
    t->eh.e_ident[EI_CLASS] = ELFCLASS64;
    t->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    t->eh.e_ident[EI_VERSION] = EV_CURRENT;
    t->eh.e_type = ET_EXEC;
    t->eh.e_machine = EM_RISCV;
    t->eh.e_version = EV_CURRENT;
    t->eh.e_entry = RAM_BASE + 4;
    t->eh.e_phoff = offsetof(TestElf, ph);
    t->eh.e_ehsize = sizeof(Elf64_Ehdr);
    t->eh.e_phentsize = sizeof(Elf64_Phdr);
    t->eh.e_phnum = 2;
    t->ph[0].p_type = PT_LOAD;
    t->ph[0].p_offset = offsetof(TestElf, code);
    t->ph[0].p_vaddr = t->ph[0].p_paddr = RAM_BASE;
    t->ph[0].p_filesz = t->ph[0].p_memsz = sizeof(t->code);
    t->ph[1].p_type = PT_LOAD;
    t->ph[1].p_offset = offsetof(TestElf, data);
    t->ph[1].p_vaddr = t->ph[1].p_paddr = RAM_BASE + 0x1000;
    t->ph[1].p_filesz = sizeof(t->data);
    t->ph[1].p_memsz = 0x100;
    memset(t->code, 0x13, sizeof(t->code));
    memset(t->data, 0xdd, sizeof(t->data));
}

static char *write_file(const char *name, const void *buf, size_t len)
{
    char *path = g_build_filename(tmpdir, name, NULL);

    g_file_set_contents(path, buf, (gssize)len, NULL);
    return path;
}

/* Loads buf[0..len) as an ELF; returns the error (NULL if it loaded). */
static char *try_load(const void *buf, size_t len, uint64_t *entry)
{
    g_autofree char *path = write_file("t.elf", buf, len);
    char *err = NULL;
    uint64_t e = 0, lo = 0, hi = 0;

    if (load_elf(path, &as, EM_RISCV, &e, &lo, &hi, &err)) {
        if (entry)
            *entry = e;
        return NULL;
    }
    EXPECT(err != NULL);
    return err ? err : g_strdup("");
}

static bool contains(const char *s, const char *sub)
{
    bool ok = s && strstr(s, sub) != NULL;

    if (!ok)
        printf("#   \"%s\" does not contain \"%s\"\n", s ? s : "(null)", sub);
    return ok;
}

TEST(good_elf_loads_with_bss)
{
    TestElf t;
    g_autofree char *path = NULL;
    char *err = NULL;
    uint64_t entry = 0, lo = 0, hi = 0;

    setup();
    make_elf(&t);
    memset(ram.ram_ptr + 0x1000, 0xff, 0x200);
    path = write_file("good.elf", &t, sizeof(t));
    EXPECT(file_is_elf(path));
    EXPECT(load_elf(path, &as, EM_RISCV, &entry, &lo, &hi, &err));
    EXPECT(err == NULL);
    EXPECT_EQ(entry, RAM_BASE + 4);
    EXPECT_EQ(lo, RAM_BASE);
    EXPECT_EQ(hi, RAM_BASE + 0x1100);
    EXPECT_EQ(ram.ram_ptr[0], 0x13);
    EXPECT_EQ(ram.ram_ptr[0x1007], 0xdd);
    EXPECT_EQ(ram.ram_ptr[0x1008], 0);
    EXPECT_EQ(ram.ram_ptr[0x10ff], 0);
    EXPECT_EQ(ram.ram_ptr[0x1100], 0xff);
}

TEST(entry_moves_with_paddr)
{
    TestElf t;
    uint64_t entry = 0;
    char *err;

    setup();
    make_elf(&t);
    t.eh.e_entry = 0xffffffff80000008ull;
    t.ph[0].p_vaddr = 0xffffffff80000000ull;
    err = try_load(&t, sizeof(t), &entry);
    EXPECT(err == NULL);
    EXPECT_EQ(entry, RAM_BASE + 8);
    g_free(err);
}

TEST(missing_file)
{
    char *err = NULL;

    setup();
    EXPECT(!load_elf("/nonexistent/k.elf", &as, EM_RISCV, NULL, NULL, NULL, &err));
    EXPECT(contains(err, "/nonexistent/k.elf: No such file"));
    g_free(err);
    err = NULL;
    EXPECT(!load_elf(tmpdir, &as, EM_RISCV, NULL, NULL, NULL, &err));
    EXPECT(contains(err, "not a regular file"));
    g_free(err);
}

TEST(garbage_and_empty)
{
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;

    setup();
    e1 = try_load("hello world, this is not an ELF at all", 38, NULL);
    EXPECT(contains(e1, "not an ELF file"));
    e2 = try_load("", 0, NULL);
    EXPECT(contains(e2, "not an ELF file"));
    e3 = try_load("\177ELF\002\001\001\000garbagegarbagegarbagegarbage", 36, NULL);
    EXPECT(contains(e3, "truncated ELF"));
}

TEST(truncated)
{
    TestElf t;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;

    setup();
    make_elf(&t);
    e1 = try_load(&t, 40, NULL);
    EXPECT(contains(e1, "truncated ELF"));
    e2 = try_load(&t, sizeof(Elf64_Ehdr) + 10, NULL);
    EXPECT(contains(e2, "truncated ELF: program headers"));
    e3 = try_load(&t, offsetof(TestElf, code) + 4, NULL);
    EXPECT(contains(e3, "truncated ELF: segment 0"));
}

TEST(wrong_arch_class_endian_type)
{
    TestElf t;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL;

    setup();
    make_elf(&t);
    t.eh.e_machine = EM_X86_64;
    e1 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e1, "ELF is for machine x86-64 (62), expected RISC-V (243)"));
    make_elf(&t);
    t.eh.e_ident[EI_CLASS] = ELFCLASS32;
    e2 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e2, "32-bit"));
    make_elf(&t);
    t.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    e3 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e3, "little-endian"));
    make_elf(&t);
    t.eh.e_type = ET_REL;
    e4 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e4, "not an executable"));
}

TEST(bad_program_headers)
{
    TestElf t;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;

    setup();
    make_elf(&t);
    t.eh.e_phoff = 0xfffffffffffffff0ull;
    e1 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e1, "truncated ELF: program headers"));
    make_elf(&t);
    t.eh.e_phnum = 0xffff;
    e2 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e2, "truncated ELF"));
    make_elf(&t);
    t.ph[1].p_offset = 0xffffffffffffff00ull;
    e3 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e3, "segment 1"));
    make_elf(&t);
    t.ph[0].p_filesz = 0x20;
    t.ph[0].p_memsz = 0x10;
    e4 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e4, "larger than its memory size"));
    make_elf(&t);
    t.eh.e_phentsize = 12;
    e5 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e5, "program header size"));
}

TEST(segment_outside_memory)
{
    TestElf t;
    g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;

    setup();
    make_elf(&t);
    t.ph[1].p_paddr = 0x1000;
    e1 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e1, "segment 1 (0x1000-0x10ff) is not in guest memory"));
    make_elf(&t);
    t.ph[1].p_paddr = RAM_BASE + RAM_SIZE - 0x10;   /* bss runs off the end */
    e2 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e2, "is not in guest memory"));
    make_elf(&t);
    t.ph[1].p_paddr = 0xffffffffffffff80ull;
    e3 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e3, "wraps around"));
}

TEST(no_loadable_segment)
{
    TestElf t;
    g_autofree char *e1 = NULL;

    setup();
    make_elf(&t);
    t.ph[0].p_type = PT_NOTE;
    t.ph[1].p_type = PT_NULL;
    e1 = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(e1, "no loadable segment"));
}

TEST(raw_images)
{
    g_autofree char *path = NULL;
    char *err = NULL;
    uint64_t size = 0;

    setup();
    path = write_file("raw.bin", "\x73\x00\x10\x00raw!", 8);
    EXPECT(!file_is_elf(path));
    EXPECT(load_image_raw(path, &as, RAM_BASE + 0x2000, RAM_SIZE, &size, &err));
    EXPECT_EQ(size, 8);
    EXPECT(memcmp(ram.ram_ptr + 0x2000, "\x73\x00\x10\x00raw!", 8) == 0);
    EXPECT(!load_image_raw(path, &as, RAM_BASE, 4, NULL, &err));
    EXPECT(contains(err, "does not fit"));
    g_free(err);
    err = NULL;
    EXPECT(!load_image_raw(path, &as, RAM_BASE + RAM_SIZE - 4, 64, NULL, &err));
    EXPECT(contains(err, "is not in guest memory"));
    g_free(err);
}

/* Overlapping segments are refused (QEMU: "rom: requested regions
   overlap"), also when the second one only reaches into the first's bss,
   and nothing is written. */
TEST(overlapping_segments_refused)
{
    TestElf t;
    char *err;

    setup();
    make_elf(&t);
    memset(ram.ram_ptr, 0xee, 16);
    t.ph[1].p_paddr = RAM_BASE + 8;
    err = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(err, "t.elf: ELF segments 0 (0x80000000-0x8000000f) and 1 "
                         "(0x80000008-0x80000107) overlap"));
    EXPECT_EQ(ram.ram_ptr[0], 0xee);
    g_free(err);
    make_elf(&t);
    t.ph[0].p_paddr = RAM_BASE + 0x1080; /* in segment 1's bss */
    err = try_load(&t, sizeof(t), NULL);
    EXPECT(contains(err, "overlap in memory"));
    g_free(err);
    make_elf(&t);
    t.ph[1].p_paddr = RAM_BASE + 16; /* adjacent: fine */
    err = try_load(&t, sizeof(t), NULL);
    EXPECT(err == NULL);
    g_free(err);
}

/* A FIFO must be refused without waiting in open() for a writer, and a
   device such as /dev/zero without reading it. */
TEST(fifo_and_devices_refused)
{
    g_autofree char *fifo = NULL;
    char *err = NULL, *data = NULL;
    size_t len;

    setup();
    fifo = g_build_filename(tmpdir, "fifo", NULL);
    EXPECT(mkfifo(fifo, 0600) == 0);
    EXPECT(!file_is_elf(fifo));
    EXPECT(!load_elf(fifo, &as, EM_RISCV, NULL, NULL, NULL, &err));
    EXPECT(contains(err, "not a regular file (a FIFO)"));
    g_free(err);
    err = NULL;
    EXPECT(!load_image_raw(fifo, &as, RAM_BASE, RAM_SIZE, NULL, &err));
    EXPECT(contains(err, "not a regular file (a FIFO)"));
    g_free(err);
    err = NULL;
    EXPECT(!load_file(fifo, 1 << 20, &data, &len, &err));
    EXPECT(contains(err, "not a regular file (a FIFO)"));
    g_free(err);
    err = NULL;
    EXPECT(!load_file("/dev/zero", 1 << 20, &data, &len, &err));
    EXPECT(contains(err, "/dev/zero: not a regular file (a character device)"));
    g_free(err);
    unlink(fifo);
}

TEST(load_file_size_limit)
{
    g_autofree char *path = NULL;
    char *err = NULL, *data = NULL;
    size_t len = 0;

    setup();
    path = write_file("raw.bin", "12345678", 8);
    EXPECT(load_file(path, 8, &data, &len, &err));
    EXPECT_EQ(len, 8);
    EXPECT(data && memcmp(data, "12345678", 8) == 0);
    g_free(data);
    EXPECT(!load_file(path, 7, &data, &len, &err));
    EXPECT(contains(err, "too large (8 bytes; at most 7)"));
    g_free(err);
}

/* SYS_HEAPINFO's heap: the largest stretch of RAM no image covers. */
TEST(largest_gap_between_images)
{
    uint64_t lo, hi;

    setup();
    rom_forget_all();
    rom_largest_gap(RAM_BASE, RAM_SIZE, &lo, &hi);
    EXPECT_EQ(lo, RAM_BASE);
    EXPECT_EQ(hi, RAM_BASE + RAM_SIZE);
    /* A kernel at the bottom, a device tree near the top: the middle. */
    rom_snapshot(&as, RAM_BASE + 0xe0000, 0x1000);
    rom_snapshot(&as, RAM_BASE, 0x1234);
    rom_largest_gap(RAM_BASE, RAM_SIZE, &lo, &hi);
    EXPECT_EQ(lo, RAM_BASE + 0x1234);
    EXPECT_EQ(hi, RAM_BASE + 0xe0000);
    /* An image that covers the middle: the top part is larger now. */
    rom_snapshot(&as, RAM_BASE + 0x2000, 0x80000);
    rom_largest_gap(RAM_BASE, RAM_SIZE, &lo, &hi);
    EXPECT_EQ(lo, RAM_BASE + 0x82000);
    EXPECT_EQ(hi, RAM_BASE + 0xe0000);
    /* Images that overlap each other or the edges of RAM count once. */
    rom_snapshot(&as, RAM_BASE + 0x1000, 0x2000);
    rom_largest_gap(RAM_BASE, RAM_SIZE, &lo, &hi);
    EXPECT_EQ(lo, RAM_BASE + 0x82000);
    EXPECT_EQ(hi, RAM_BASE + 0xe0000);
    rom_forget_all();
}

int main(void)
{
    int rc = unit_run();

    const char *names[] = { "t.elf", "good.elf", "raw.bin" };

    for (size_t i = 0; tmpdir && i < G_N_ELEMENTS(names); i++) {
        g_autofree char *path = g_build_filename(tmpdir, names[i], NULL);

        unlink(path);
    }
    if (tmpdir)
        rmdir(tmpdir);
    return rc;
}
