/*
 * The generic loader (-device loader), with the behaviour of QEMU 7.2's
 * (docs/system/generic-loader.rst there): three uses, told apart by the
 * properties given.
 *   file=F[,addr=A][,cpu-num=N][,force-raw=on]: an ELF goes to its own
 *     physical addresses (unless force-raw=on), anything else to addr;
 *     with cpu-num, that CPU starts at the ELF's entry (or at addr).
 *   data=V,data-len=L[,addr=A][,data-be=on]: the L low bytes of V
 *     (little-endian unless data-be=on) are written at addr.
 *   addr=A,cpu-num=N: CPU N starts at A.
 * Files are boot images like -kernel's: recorded (rom_add) to be loaded
 * again at system reset, and two loader files over the same memory are an
 * error; a loader file over a board image wins, as on QEMU, where the two
 * are checked apart, but not silently: it gets a warning.  A CPU's start
 * address is set through the board (MachineClass.set_start_pc).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mimic/generic-loader.h"
#include "mimic/loader.h"
#include "mimic/log.h"
#include "mimic/options.h"

typedef struct LoaderProps {
    char *file;
    uint64_t addr, data;
    int data_len;          /* 0: not given */
    int cpu;               /* -1: not given */
    bool has_addr, has_data, data_be, force_raw;
} LoaderProps;

/* QEMU's integer syntax: decimal, 0x hex or 0 octal, the whole value. */
static bool take_u64(GHashTable *o, const char *key, uint64_t max,
                     uint64_t *val, bool *given, char **err)
{
    g_autofree char *v = opts_take(o, key);
    char *end;

    if (given)
        *given = v != NULL;
    if (!v)
        return true;
    errno = 0;
    *val = g_ascii_strtoull(v, &end, 0);
    if (!*v || *end || errno || *val > max || v[0] == '-') {
        *err = g_strdup_printf("Parameter '%s' expects integer", key);
        return false;
    }
    return true;
}

static bool take_flag(GHashTable *o, const char *key, bool *val, char **err)
{
    g_autofree char *v = opts_take(o, key);

    *val = false;
    if (v && !opts_parse_bool(v, val)) {
        *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

static bool loader_props(GHashTable *o, LoaderProps *p, char **err)
{
    uint64_t len = 0, cpu = 0;
    bool has_len, has_cpu;

    p->file = opts_take(o, "file");
    if (!take_u64(o, "addr", UINT64_MAX, &p->addr, &p->has_addr, err) ||
        !take_u64(o, "data", UINT64_MAX, &p->data, &p->has_data, err) ||
        !take_u64(o, "data-len", 255, &len, &has_len, err) ||
        !take_u64(o, "cpu-num", UINT32_MAX, &cpu, &has_cpu, err) ||
        !take_flag(o, "data-be", &p->data_be, err) ||
        !take_flag(o, "force-raw", &p->force_raw, err))
        return false;
    p->data_len = (int)len;
    p->cpu = has_cpu ? (int)MIN(cpu, (uint64_t)INT32_MAX) : -1;
    return true;
}

/* QEMU's checks, in its order. */
static bool loader_check(const LoaderProps *p, char **err)
{
    if (!p->has_addr && !p->has_data && !p->data_len && !p->file &&
        p->cpu < 0) {
        *err = g_strdup("please include valid arguments");
        return false;
    }
    if (p->has_data || p->data_len || p->data_be) {
        const char *bad = p->file ? "a file" : p->force_raw ? "force-raw"
                                                            : NULL;
        if (bad) {
            *err = g_strdup_printf("Specifying %s is not supported when "
                                   "loading memory values", bad);
            return false;
        }
        if (!p->has_data || !p->data_len) {
            *err = g_strdup("Both data and data-len must be specified");
            return false;
        }
        if (p->data_len > 8) {
            *err = g_strdup("data-len cannot be greater then 8 bytes");
            return false;
        }
    } else if (!p->file && !p->force_raw && p->cpu < 0) {
        *err = g_strdup("cpu_num must be specified when setting a program "
                        "counter");
        return false;
    } else if (!p->file && p->force_raw) {
        *err = g_strdup("Specifying force-raw is not supported when setting "
                        "a program counter");
        return false;
    }
    return true;
}

/* A loader image over a board image is allowed, as on QEMU: said once. */
static void warn_over_board(const char *name, uint64_t addr, uint64_t len)
{
    uint64_t s, e;
    const char *board = rom_find_overlap(ROM_SPACE_BOARD, addr, len, &s, &e);

    if (board)
        error_report("warning: -device loader: %s (0x%" PRIx64 "-0x%" PRIx64
                     ") is loaded over %s (0x%" PRIx64 "-0x%" PRIx64 ")",
                     name, addr, addr + len, board, s, e);
}

/* file=: an ELF at its addresses (entry: *pc), else raw at addr. */
static bool loader_file(MachineState *ms, const LoaderProps *p, uint64_t *pc,
                        char **err)
{
    uint64_t size = 0, low = 0, high = 0;
    g_autofree char *why = NULL;

    *pc = p->addr;
    if (!p->force_raw && file_is_elf(p->file)) {
        if (!load_elf_rom(ROM_SPACE_LOADER, p->file, &address_space_memory,
                          EM_RISCV, pc, &low, &high, err))
            return false;
        warn_over_board(p->file, low, high - low);
        return true;
    }
    if (!load_image_raw(p->file, &address_space_memory, p->addr,
                        UINT64_MAX - p->addr, &size, &why)) {
        if (loader_open(p->file, err) < 0) {
            fprintf(stderr, "%s\n", *err);    /* QEMU says why, first */
            g_free(*err);
            *err = g_strdup_printf("Cannot load specified image %s", p->file);
        } else {
            *err = g_steal_pointer(&why);
        }
        return false;
    }
    if (!rom_add(ROM_SPACE_LOADER, p->file, &address_space_memory, p->addr,
                 size, err))
        return false;
    warn_over_board(p->file, p->addr, size);
    return true;
}

/* data=: the value's data_len bytes at addr, now and at every reset. */
static bool loader_data(const LoaderProps *p, char **err)
{
    uint8_t buf[8];

    for (int i = 0; i < p->data_len; i++) {
        int shift = p->data_be ? 8 * (p->data_len - 1 - i) : 8 * i;

        buf[i] = (uint8_t)(p->data >> shift);
    }
    if (address_space_write_rom(&address_space_memory, p->addr, buf,
                                (uint64_t)p->data_len) != MEMTX_OK) {
        *err = g_strdup_printf("data at 0x%" PRIx64 " is not in guest memory",
                               p->addr);
        return false;
    }
    rom_snapshot(&address_space_memory, p->addr, (uint64_t)p->data_len);
    return true;
}

bool generic_loader_create(MachineState *ms, GHashTable *opts, char **err)
{
    LoaderProps p = { 0 };
    uint64_t pc = 0;
    bool ok;

    ok = loader_props(opts, &p, err);
    if (ok && opts_first_key(opts)) {
        *err = g_strdup_printf("Property 'loader.%s' not found",
                               opts_first_key(opts));
        ok = false;
    }
    ok = ok && loader_check(&p, err);
    if (ok && p.cpu >= 0 && p.cpu >= ms->nr_cpus) {
        *err = g_strdup_printf("Specified boot CPU#%d is nonexistent", p.cpu);
        ok = false;
    }
    if (ok && p.has_data)
        ok = loader_data(&p, err);
    else if (ok && p.file)
        ok = loader_file(ms, &p, &pc, err);
    else
        pc = p.addr;
    if (ok && p.cpu >= 0 && !p.has_data) {
        if (!ms->mc->set_start_pc) {
            *err = g_strdup_printf("machine %s cannot set a CPU's start "
                                   "address", ms->mc->name);
            ok = false;
        } else {
            ok = ms->mc->set_start_pc(ms, p.cpu, pc, err);
        }
    }
    g_free(p.file);
    return ok;
}
