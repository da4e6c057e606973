/* needs: riscv64-linux-user */
/*
 * Tests of linux-user/elfload.c: loads the riscv64 programs the build
 * compiles from tests/unit/user/hello.c (static, and dynamic against the
 * cross sysroot) and checks the entry, the segments' flags, the zeroed
 * bss, the interpreter, and the initial stack read back (argc, argv, envp,
 * auxv); then feeds it broken files, each of which must give an error.
 * Skips as a whole when the programs were not built (no cross compiler).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "user-test.h"

#define SYSROOT "/usr/riscv64-linux-gnu"

static char *prog_dir;
static char *const test_argv[] = { "hello", "arg1", NULL };
static char *const test_envp[] = { "A=1", "B=two", NULL };

static char *prog(const char *name)
{
    return g_build_filename(prog_dir, name, NULL);
}

static bool load(const char *path, ImageInfo *info, char **err)
{
    UserLoadOptions o = { .sysroot = SYSROOT, .argv = test_argv,
                          .envp = test_envp };
    user_space_fresh();
    *err = NULL;
    return load_elf_binary(path, &o, info, err);
}

static uint64_t auxv_get(const ImageInfo *info, uint64_t type)
{
    for (uint64_t *a = g2h(info->auxv); a[0] != AT_NULL; a += 2)
        if (a[0] == type)
            return a[1];
    return UINT64_MAX;
}

/* The stack as a program reads it: argc, argv, envp, then auxv. */
static void check_stack(const ImageInfo *info, const char *path)
{
    uint64_t *sp = g2h(info->stack_pointer);
    EXPECT_EQ(info->stack_pointer % 16, 0);
    EXPECT_EQ(sp[0], 2);
    EXPECT_STREQ((char *)g2h(sp[1]), "hello");
    EXPECT_STREQ((char *)g2h(sp[2]), "arg1");
    EXPECT_EQ(sp[3], 0);
    EXPECT_STREQ((char *)g2h(sp[4]), "A=1");
    EXPECT_STREQ((char *)g2h(sp[5]), "B=two");
    EXPECT_EQ(sp[6], 0);
    EXPECT_EQ(info->auxv, info->stack_pointer + 7 * 8);
    EXPECT_EQ(auxv_get(info, AT_PAGESZ), 4096);
    EXPECT_EQ(auxv_get(info, AT_HWCAP), 0x112d);
    EXPECT_EQ(auxv_get(info, AT_CLKTCK), 100);
    EXPECT_EQ(auxv_get(info, AT_PHENT), sizeof(Elf64_Phdr));
    EXPECT_EQ(auxv_get(info, AT_PHDR), info->phdr);
    EXPECT_EQ(auxv_get(info, AT_ENTRY), info->exe_entry);
    EXPECT_EQ(auxv_get(info, AT_BASE), info->interp_base);
    EXPECT_EQ(auxv_get(info, AT_UID), getuid());
    EXPECT_EQ(auxv_get(info, AT_SECURE), 0);
    EXPECT_EQ(auxv_get(info, AT_SYSINFO_EHDR), UINT64_MAX);
    EXPECT_STREQ((char *)g2h(auxv_get(info, AT_EXECFN)), path);
    uint64_t rnd = auxv_get(info, AT_RANDOM);
    EXPECT(rnd > info->stack_pointer && rnd + 16 <= info->arg_start);
    EXPECT_EQ(info->arg_start, sp[1]);
    EXPECT_EQ(info->env_start, sp[4]);
    EXPECT_EQ(info->env_end, auxv_get(info, AT_EXECFN));
    EXPECT_EQ(info->env_end + strlen(path) + 1 + 8, info->stack_top);
    /* The program headers are where AT_PHDR says. */
    Elf64_Phdr *ph = g2h(info->phdr);
    EXPECT(ph[0].p_type == PT_PHDR || ph[0].p_type == PT_LOAD ||
           ph[0].p_type == PT_INTERP || ph[0].p_type == 0x70000003);
}

/* The flags of the text and data, and that the bss reads as zeroes. */
static void check_image(const ImageInfo *info)
{
    EXPECT_EQ(page_get_flags(info->exe_entry) & (PAGE_READ | PAGE_WRITE | PAGE_EXEC),
              PAGE_READ | PAGE_EXEC);
    EXPECT_EQ(page_get_flags(info->end_data - 1) & (PAGE_WRITE | PAGE_EXEC),
              PAGE_WRITE);
    EXPECT(info->brk >= info->end_data + 70000);
    EXPECT_EQ(page_check_range(info->end_data, info->brk - info->end_data,
                               PAGE_READ | PAGE_WRITE), 0);
    const uint8_t *p = g2h(info->end_data);
    uint64_t nonzero = 0;
    for (uint64_t i = 0; i < info->brk - info->end_data; i++)
        nonzero += p[i] != 0;
    EXPECT_EQ(nonzero, 0);
    EXPECT_EQ(target_brk(0), info->brk);
    EXPECT_EQ(page_get_flags(info->stack_top - 8) & PAGE_EXEC, 0);
}

TEST(static_program)
{
    char *path = prog("hello-static"), *err;
    ImageInfo info;

    EXPECT(load(path, &info, &err));
    if (err)
        printf("# %s\n", err);
    Elf64_Ehdr eh;
    int fd = open(path, O_RDONLY);
    EXPECT_EQ(read(fd, &eh, sizeof(eh)), sizeof(eh));
    close(fd);
    EXPECT_EQ(info.entry, eh.e_entry);
    EXPECT_EQ(info.exe_entry, eh.e_entry);
    EXPECT_EQ(info.load_bias, 0);
    EXPECT_EQ(info.interp_base, 0);
    EXPECT_EQ(info.phnum, eh.e_phnum);
    check_image(&info);
    check_stack(&info, path);
    g_free(path);
}

TEST(dynamic_program)
{
    char *path = prog("hello-dynamic"), *err;
    ImageInfo info;

    EXPECT(load(path, &info, &err));
    if (err)
        printf("# %s\n", err);
    /* A PIE with an interpreter goes at ELF_ET_DYN_BASE, 2/3 of 2^38. */
    EXPECT_EQ(info.load_addr, 0x2aaaaaa000ull);
    EXPECT_EQ(info.load_bias, 0x2aaaaaa000ull);
    EXPECT(info.interp_base != 0);
    EXPECT_EQ(info.entry, info.interp_entry);
    EXPECT(info.entry != info.exe_entry);
    EXPECT(page_get_flags(info.interp_entry) & PAGE_EXEC);
    EXPECT_EQ(memcmp(g2h(info.interp_base), ELFMAG, SELFMAG), 0);
    check_image(&info);
    check_stack(&info, path);
    g_free(path);
}

/* Writes a copy of src with n bytes changed at off (or cut to off if n
   is 0) to a temporary file; returns its name. */
static char *broken_copy(const char *src, size_t off, const void *bytes,
                         size_t n)
{
    gchar *data;
    gsize len;
    char *path = g_strdup("/tmp/mimic-elf-XXXXXX");
    int fd = mkstemp(path);

    g_file_get_contents(src, &data, &len, NULL);
    if (n)
        memcpy(data + off, bytes, n);
    else
        len = MIN(len, off);
    EXPECT_EQ(write(fd, data, len), len);
    close(fd);
    g_free(data);
    return path;
}

/* Loading path fails with an error that contains want. */
static void expect_error(const char *path, const char *want)
{
    ImageInfo info;
    char *err;

    EXPECT(!load(path, &info, &err));
    EXPECT(err && strstr(err, want));
    if (err && !strstr(err, want))
        printf("#   got: %s\n", err);
    g_free(err);
}

/* The offset of the first PT_LOAD's program header in the file. */
static size_t first_load_phdr(const char *path)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    int fd = open(path, O_RDONLY);
    size_t off = 0;

    if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh)) {
        for (int i = 0; i < eh.e_phnum && !off; i++) {
            size_t o = eh.e_phoff + i * sizeof(ph);
            if (pread(fd, &ph, sizeof(ph), o) == sizeof(ph) &&
                ph.p_type == PT_LOAD)
                off = o;
        }
    }
    close(fd);
    return off;
}

TEST(bad_inputs)
{
    char *st = prog("hello-static"), *dy = prog("hello-dynamic");
    size_t ph = first_load_phdr(st);
    uint8_t class32 = ELFCLASS32;
    uint16_t phnum = 60000, x86 = EM_X86_64;
    uint64_t huge = 0xffffffffffffff00ull;
    struct { char *path; const char *want; } cases[] = {
        { g_strdup("/nonexistent/prog"), "No such file or directory" },
        { broken_copy(st, 1, "XYZ", 3), "Exec format error" },
        { broken_copy(st, 10, NULL, 0), "Exec format error" },
        { broken_copy(st, EI_CLASS, &class32, 1), "Invalid ELF image for this architecture" },
        { broken_copy(st, offsetof(Elf64_Ehdr, e_machine), &x86, 2),
          "Invalid ELF image for this architecture" },
        { broken_copy(st, offsetof(Elf64_Ehdr, e_phnum), &phnum, 2),
          "bad program header table" },
        { broken_copy(st, 100, NULL, 0), "program headers past the end" },
        { broken_copy(st, 2000, NULL, 0), "past the end of the file" },
        { broken_copy(st, ph + offsetof(Elf64_Phdr, p_offset), &huge, 8),
          "past the end of the file" },
        { broken_copy(st, ph + offsetof(Elf64_Phdr, p_vaddr), &huge, 8),
          "outside the address space" },
        { broken_copy(st, ph + offsetof(Elf64_Phdr, p_memsz), &huge, 8),
          "outside the address space" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        expect_error(cases[i].path, cases[i].want);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (i)
            unlink(cases[i].path);
        g_free(cases[i].path);
    }

    /* Two PT_LOADs at one address. */
    Elf64_Phdr load0;
    int fd = open(st, O_RDONLY);
    EXPECT_EQ(pread(fd, &load0, sizeof(load0), ph), sizeof(load0));
    close(fd);
    size_t second = first_load_phdr(st) + sizeof(Elf64_Phdr);
    char *overlap = broken_copy(st, second, &load0, sizeof(load0));
    expect_error(overlap, "overlapping");
    unlink(overlap);
    g_free(overlap);

    /* An interpreter that is not there. */
    gchar *data;
    gsize len;
    g_file_get_contents(dy, &data, &len, NULL);
    char *ld = memmem(data, len, "/lib/ld-linux", 13);
    EXPECT(ld != NULL);
    char *nointerp = ld ? broken_copy(dy, ld - data, "/nope/", 6) : NULL;
    if (nointerp) {
        expect_error(nointerp, "Could not open '/nope/");
        unlink(nointerp);
    }
    g_free(nointerp);
    g_free(data);
    g_free(st);
    g_free(dy);
}

int main(void)
{
    char *self = g_file_read_link("/proc/self/exe", NULL);
    char *dir = g_path_get_dirname(self);

    prog_dir = g_build_filename(dir, "..", "user", NULL);
    char *st = prog("hello-static");
    if (!g_file_test(st, G_FILE_TEST_EXISTS)) {
        printf("1..0 # SKIP riscv64 test programs not built "
               "(no riscv64-linux-gnu-gcc)\n");
        return 0;
    }
    g_free(st);
    g_free(self);
    g_free(dir);
    return unit_run();
}
