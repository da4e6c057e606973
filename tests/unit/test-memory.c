/* needs: none */
/*
 * Tests of the memory API (hw/core/memory.c): RAM, ROM and MMIO regions in
 * containers, priorities and holes in the flat view, byte-granular address
 * space accesses, the access-size rules of one dispatch (valid sizes,
 * splitting, widening, unaligned), the code-write hook and the BQL; aliases,
 * regions moved, removed, re-added and disabled at run time, transactions,
 * the map-change hook, and lookups racing with changes from another thread.
 */
#include <stdlib.h>

#include "mimic/memory.h"
#include "unit.h"

/* A fake device that records its last access and returns a pattern. */
typedef struct FakeDev {
    uint64_t last_addr, last_val;
    unsigned last_size;
    int nreads, nwrites;
    uint8_t regs[64];
} FakeDev;

static uint64_t fake_read(void *opaque, uint64_t addr, unsigned size)
{
    FakeDev *d = opaque;
    uint64_t v = 0;

    d->nreads++;
    d->last_addr = addr;
    d->last_size = size;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)d->regs[(addr + i) % sizeof(d->regs)] << (8 * i);
    return v;
}

static void fake_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FakeDev *d = opaque;

    d->nwrites++;
    d->last_addr = addr;
    d->last_val = val;
    d->last_size = size;
    for (unsigned i = 0; i < size; i++)
        d->regs[(addr + i) % sizeof(d->regs)] = (uint8_t)(val >> (8 * i));
}

static void fake_init(FakeDev *d)
{
    memset(d, 0, sizeof(*d));
    for (unsigned i = 0; i < sizeof(d->regs); i++)
        d->regs[i] = (uint8_t)(0x10 + i);
}

static const MemoryRegionOps ops_any = { .read = fake_read, .write = fake_write };
static const MemoryRegionOps ops_4only = {
    .read = fake_read, .write = fake_write, .valid_min = 4, .valid_max = 4,
};
static const MemoryRegionOps ops_impl4 = {
    .read = fake_read, .write = fake_write, .impl_min = 4, .impl_max = 4,
};
static const MemoryRegionOps ops_impl1_unaligned = {
    .read = fake_read, .write = fake_write, .impl_min = 1, .impl_max = 1,
    .valid_unaligned = true,
};

TEST(ram_read_write)
{
    MemoryRegion root, ram;
    AddressSpace as;
    uint8_t buf[16] = "0123456789abcde", out[16] = { 0 };

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 0x10000);
    memory_region_add_subregion(&root, 0x80000000, &ram);
    address_space_init(&as, &root, "as");
    EXPECT_EQ(address_space_write(&as, 0x80000ffa, buf, 16), MEMTX_OK);
    EXPECT_EQ(address_space_read(&as, 0x80000ffa, out, 16), MEMTX_OK);
    EXPECT(memcmp(buf, out, 16) == 0);
    EXPECT(memcmp(ram.ram_ptr + 0xffa, buf, 16) == 0);
    EXPECT(address_space_ram_ptr(&as, 0x80000000, 0x10000) == ram.ram_ptr);
    EXPECT(address_space_ram_ptr(&as, 0x80000000, 0x10001) == NULL);
    EXPECT(address_space_ram_ptr(&as, 0x7fffffff, 2) == NULL);
    address_space_destroy(&as);
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
}

TEST(holes_are_decode_errors)
{
    MemoryRegion root, ram;
    AddressSpace as;
    uint8_t buf[8];
    MemoryRegionSection sec;

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 0x1000);
    memory_region_add_subregion(&root, 0x1000, &ram);
    address_space_init(&as, &root, "as");
    memset(buf, 0xaa, sizeof(buf));
    EXPECT_EQ(address_space_read(&as, 0x0, buf, 8), MEMTX_DECODE_ERROR);
    EXPECT_EQ(buf[0], 0);
    /* Straddling the end of RAM: the RAM part is still written. */
    EXPECT_EQ(address_space_write(&as, 0x1ffc, "abcdefgh", 8), MEMTX_DECODE_ERROR);
    EXPECT_EQ(ram.ram_ptr[0xfff], 'd');
    EXPECT_EQ(address_space_read(&as, UINT64_MAX - 3, buf, 8), MEMTX_DECODE_ERROR);
    sec = address_space_lookup(&as, 0x5000);
    EXPECT(sec.mr == NULL);
    EXPECT_EQ(sec.offset_within_as, 0x2000);
    sec = address_space_lookup(&as, 0x10);
    EXPECT(sec.mr == NULL);
    EXPECT_EQ(sec.offset_within_as, 0);
    EXPECT_EQ(sec.size, 0x1000);
    sec = address_space_lookup(&as, 0x1800);
    EXPECT(sec.mr == &ram);
    EXPECT_EQ(sec.offset_within_region, 0x800);
    address_space_destroy(&as);
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
}

TEST(priorities_and_nesting)
{
    MemoryRegion root, sub, ram, hi, lo, io;
    AddressSpace as;
    FakeDev d;
    MemoryRegionSection sec;

    fake_init(&d);
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init(&sub, "sub", 0x10000);
    memory_region_init_ram(&ram, "ram", 0x10000);
    memory_region_init_ram(&hi, "hi", 0x1000);
    memory_region_init_ram(&lo, "lo", 0x4000);
    memory_region_init_io(&io, &ops_any, &d, "io", 0x100);
    address_space_init(&as, &root, "as");
    memory_region_add_subregion(&root, 0x100000, &sub);
    memory_region_add_subregion_overlap(&sub, 0, &ram, 0);
    memory_region_add_subregion_overlap(&sub, 0x2000, &hi, 2);
    memory_region_add_subregion_overlap(&sub, 0x1000, &lo, 1);
    memory_region_add_subregion_overlap(&sub, 0x8000, &io, -1);

    EXPECT(address_space_lookup(&as, 0x100000).mr == &ram);
    EXPECT(address_space_lookup(&as, 0x101000).mr == &lo);
    sec = address_space_lookup(&as, 0x102800);
    EXPECT(sec.mr == &hi);
    EXPECT_EQ(sec.offset_within_region, 0x800);
    sec = address_space_lookup(&as, 0x103000);
    EXPECT(sec.mr == &lo);
    EXPECT_EQ(sec.offset_within_region, 0x2000);
    EXPECT(address_space_lookup(&as, 0x105000).mr == &ram);
    /* io has lower priority than ram: hidden. */
    EXPECT(address_space_lookup(&as, 0x108000).mr == &ram);
    memory_region_set_enabled(&ram, false);
    EXPECT(address_space_lookup(&as, 0x108000).mr == &io);
    EXPECT(address_space_lookup(&as, 0x100000).mr == NULL);
    /* A subregion sticking out of its container is clipped. */
    EXPECT(address_space_lookup(&as, 0x110000).mr == NULL);
    address_space_destroy(&as);
    memory_region_finalize(&io);
    memory_region_finalize(&lo);
    memory_region_finalize(&hi);
    memory_region_finalize(&ram);
    memory_region_finalize(&sub);
    memory_region_finalize(&root);
}

TEST(equal_priority_newest_wins)
{
    MemoryRegion root, a, b;
    AddressSpace as;

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&a, "a", 0x2000);
    memory_region_init_ram(&b, "b", 0x1000);
    address_space_init(&as, &root, "as");
    memory_region_add_subregion(&root, 0, &a);
    memory_region_add_subregion(&root, 0x1000, &b);
    EXPECT(address_space_lookup(&as, 0x0).mr == &a);
    EXPECT(address_space_lookup(&as, 0x1000).mr == &b);
    address_space_destroy(&as);
    memory_region_finalize(&b);
    memory_region_finalize(&a);
    memory_region_finalize(&root);
}

TEST(rom_ignores_guest_writes)
{
    MemoryRegion root, rom;
    AddressSpace as;
    uint8_t v = 0x5a, out = 0;

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_rom(&rom, "rom", 0x1000);
    memory_region_add_subregion(&root, 0x1000, &rom);
    address_space_init(&as, &root, "as");
    EXPECT_EQ(address_space_write(&as, 0x1000, &v, 1), MEMTX_OK);
    EXPECT_EQ(rom.ram_ptr[0], 0);
    EXPECT_EQ(address_space_write_rom(&as, 0x1000, &v, 1), MEMTX_OK);
    EXPECT_EQ(address_space_read(&as, 0x1000, &out, 1), MEMTX_OK);
    EXPECT_EQ(out, 0x5a);
    address_space_destroy(&as);
    memory_region_finalize(&rom);
    memory_region_finalize(&root);
}

/* A ROM device (the CFI flash): CPU-style dispatches go to the device,
   the loaders' writes and address-space reads to its memory. */
TEST(rom_device_dispatches_to_its_ops)
{
    MemoryRegion root, rd;
    AddressSpace as;
    FakeDev d;
    uint64_t val = 0;
    uint8_t v = 0x5a, out = 0;

    fake_init(&d);
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_rom_device(&rd, &ops_any, &d, "flash", 0x1000);
    memory_region_add_subregion(&root, 0x2000, &rd);
    address_space_init(&as, &root, "as");
    EXPECT(rd.ram && rd.ram_ptr);
    EXPECT_EQ(memory_region_dispatch_write(&rd, 8, 0x98, MO_32), MEMTX_OK);
    EXPECT_EQ(d.nwrites, 1);
    EXPECT_EQ(d.last_val, 0x98);
    EXPECT_EQ(rd.ram_ptr[8], 0);
    EXPECT_EQ(memory_region_dispatch_read(&rd, 4, &val, MO_32), MEMTX_OK);
    EXPECT_EQ(d.nreads, 1);
    EXPECT_EQ(address_space_write(&as, 0x2010, &v, 1), MEMTX_OK);
    EXPECT_EQ(d.nwrites, 2);
    EXPECT_EQ(address_space_write_rom(&as, 0x2010, &v, 1), MEMTX_OK);
    EXPECT_EQ(rd.ram_ptr[0x10], 0x5a);
    EXPECT_EQ(address_space_read(&as, 0x2010, &out, 1), MEMTX_OK);
    EXPECT_EQ(out, 0x5a);
    EXPECT_EQ(d.nreads, 1);
    address_space_destroy(&as);
    memory_region_finalize(&rd);
    memory_region_finalize(&root);
}

TEST(mmio_split_by_valid_max)
{
    MemoryRegion root, io;
    AddressSpace as;
    FakeDev d;
    uint8_t buf[8];

    fake_init(&d);
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_io(&io, &ops_any, &d, "io", 0x40);
    memory_region_add_subregion(&root, 0x1000, &io);
    address_space_init(&as, &root, "as");
    /* 7 bytes at offset 1: split into aligned 1 + 2 + 4. */
    EXPECT_EQ(address_space_read(&as, 0x1001, buf, 7), MEMTX_OK);
    EXPECT_EQ(d.nreads, 3);
    EXPECT_EQ(buf[0], 0x11);
    EXPECT_EQ(buf[6], 0x17);
    EXPECT_EQ(d.last_size, 4);
    EXPECT_EQ(d.last_addr, 4);
    EXPECT_EQ(address_space_write(&as, 0x1008, "\x01\x02\x03\x04\x05\x06\x07\x08", 8),
              MEMTX_OK);
    EXPECT_EQ(d.nwrites, 1);
    EXPECT_EQ(d.last_val, 0x0807060504030201ull);
    address_space_destroy(&as);
    memory_region_finalize(&io);
    memory_region_finalize(&root);
}

TEST(mmio_valid_sizes_refused)
{
    MemoryRegion io;
    FakeDev d;
    uint64_t v = 0;

    fake_init(&d);
    memory_region_init_io(&io, &ops_4only, &d, "io4", 0x40);
    EXPECT_EQ(memory_region_dispatch_read(&io, 0, &v, MO_8), MEMTX_ERROR);
    EXPECT_EQ(memory_region_dispatch_read(&io, 2, &v, MO_32), MEMTX_ERROR);
    EXPECT_EQ(memory_region_dispatch_write(&io, 0, 1, MO_64), MEMTX_ERROR);
    EXPECT_EQ(memory_region_dispatch_read(&io, 0x40, &v, MO_32), MEMTX_ERROR);
    EXPECT_EQ(d.nreads + d.nwrites, 0);
    EXPECT_EQ(memory_region_dispatch_read(&io, 4, &v, MO_32), MEMTX_OK);
    EXPECT_EQ(v, 0x17161514);
    memory_region_finalize(&io);
}

TEST(mmio_impl_widen_and_split)
{
    MemoryRegion io;
    FakeDev d;
    uint64_t v = 0;

    fake_init(&d);
    memory_region_init_io(&io, &ops_impl4, &d, "impl4", 0x40);
    /* 1-byte read at 5: widened to the 4-byte register at 4. */
    EXPECT_EQ(memory_region_dispatch_read(&io, 5, &v, MO_8), MEMTX_OK);
    EXPECT_EQ(v, 0x15);
    EXPECT_EQ(d.last_addr, 4);
    EXPECT_EQ(d.last_size, 4);
    /* 8-byte read: two 4-byte reads. */
    d.nreads = 0;
    EXPECT_EQ(memory_region_dispatch_read(&io, 8, &v, MO_64), MEMTX_OK);
    EXPECT_EQ(d.nreads, 2);
    EXPECT_EQ(v, 0x1f1e1d1c1b1a1918ull);
    /* Widened write: zeros in the other bytes. */
    EXPECT_EQ(memory_region_dispatch_write(&io, 6, 0xab, MO_8), MEMTX_OK);
    EXPECT_EQ(d.last_addr, 4);
    EXPECT_EQ(d.last_val, 0x00ab0000);
    memory_region_finalize(&io);
}

TEST(mmio_unaligned_split_into_bytes)
{
    MemoryRegion io;
    FakeDev d;
    uint64_t v = 0;

    fake_init(&d);
    memory_region_init_io(&io, &ops_impl1_unaligned, &d, "u", 0x40);
    EXPECT_EQ(memory_region_dispatch_read(&io, 3, &v, MO_32), MEMTX_OK);
    EXPECT_EQ(d.nreads, 4);
    EXPECT_EQ(v, 0x16151413);
    EXPECT_EQ(memory_region_dispatch_read(&io, 3, &v, MO_SW), MEMTX_OK);
    EXPECT_EQ(v, 0x1413);
    EXPECT_EQ(memory_region_dispatch_read(&io, 3, &v, MO_UW | MO_BE), MEMTX_OK);
    EXPECT_EQ(v, 0x1314);
    memory_region_finalize(&io);
}

TEST(dispatch_sign_extends)
{
    MemoryRegion ram;
    uint64_t v;

    memory_region_init_ram(&ram, "ram", 0x1000);
    ram.ram_ptr[0] = 0x80;
    EXPECT_EQ(memory_region_dispatch_read(&ram, 0, &v, MO_SB), MEMTX_OK);
    EXPECT_EQ(v, 0xffffffffffffff80ull);
    EXPECT_EQ(memory_region_dispatch_read(&ram, 0xffc, &v, MO_64),
              MEMTX_DECODE_ERROR);
    memory_region_finalize(&ram);
}

static uint64_t hook_start, hook_end;
static int hook_calls;

static void code_hook(uint64_t start, uint64_t end)
{
    hook_start = start;
    hook_end = end;
    hook_calls++;
}

TEST(code_write_hook)
{
    MemoryRegion root, ram;
    AddressSpace as;
    uint32_t insn = 0x13;

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 0x4000);
    memory_region_add_subregion(&root, 0x80000000, &ram);
    address_space_init(&as, &root, "as");
    memory_set_code_write_hook(code_hook);
    hook_calls = 0;
    address_space_write(&as, 0x80001000, &insn, 4);
    EXPECT_EQ(hook_calls, 0);
    memory_region_set_code_page(&ram, 0x1234, true);
    EXPECT(memory_region_is_code_page(&ram, 0x1000));
    EXPECT(!memory_region_is_code_page(&ram, 0x2000));
    address_space_write(&as, 0x80001ffe, &insn, 4);
    EXPECT_EQ(hook_calls, 1);
    EXPECT_EQ(hook_start, 0x80001ffe);
    EXPECT_EQ(hook_end, 0x80002002);
    /* Writes through a dispatch find the physical address themselves. */
    memory_region_dispatch_write(&ram, 0x1010, 1, MO_32);
    EXPECT_EQ(hook_calls, 2);
    EXPECT_EQ(hook_start, 0x80001010);
    memory_region_set_code_page(&ram, 0x1000, false);
    address_space_write(&as, 0x80001000, &insn, 4);
    EXPECT_EQ(hook_calls, 2);
    memory_set_code_write_hook(NULL);
    address_space_destroy(&as);
    memory_region_finalize(&ram);
    memory_region_finalize(&root);
}

TEST(system_memory_and_dump)
{
    /* Static: it stays in the global system memory for the program's life. */
    static MemoryRegion ram;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    memory_region_init_ram(&ram, "sysram", 0x1000);
    memory_region_add_subregion(get_system_memory(), 0x2000, &ram);
    EXPECT(address_space_lookup(&address_space_memory, 0x2000).mr == &ram);
    memory_region_dump(get_system_memory(), f);
    fclose(f);
    EXPECT(strstr(text, "0000000000002000-0000000000002fff (prio 0, ram): sysram") != NULL);
    free(text);
}

/* ---- Aliases and run-time changes ----
 * The regions of these tests are static: their names stay reachable (the
 * leak checker) without a finalize for each. */

static MemoryRegion *lookup_mr(AddressSpace *as, uint64_t addr, uint64_t *off)
{
    MemoryRegionSection sec = address_space_lookup(as, addr);

    if (off)
        *off = sec.offset_within_region;
    return sec.mr;
}

TEST(alias_shows_part_of_a_region)
{
    static MemoryRegion root, bus, bar, win_lo, win_hi;
    AddressSpace as;
    FakeDev d;
    uint64_t off;
    uint32_t v = 0;

    fake_init(&d);
    memory_region_init(&root, "root", UINT64_MAX);
    /* A bus address space of its own, shown through two windows. */
    memory_region_init(&bus, "bus", UINT64_MAX);
    memory_region_init_io(&bar, &ops_any, &d, "bar", 0x1000);
    memory_region_add_subregion(&bus, 0x40001000, &bar);
    memory_region_init_alias(&win_lo, "win-lo", &bus, 0x40000000, 0x40000000);
    memory_region_init_alias(&win_hi, "win-hi", &bus, 0x400000000ull,
                             0x400000000ull);
    memory_region_add_subregion(&root, 0x40000000, &win_lo);
    memory_region_add_subregion(&root, 0x400000000ull, &win_hi);
    address_space_init(&as, &root, "test");

    EXPECT(lookup_mr(&as, 0x40001010, &off) == &bar);
    EXPECT_EQ(off, 0x10);
    EXPECT(lookup_mr(&as, 0x40000ff8, NULL) == NULL);
    EXPECT_EQ(address_space_read(&as, 0x40001004, &v, 4), MEMTX_OK);
    EXPECT_EQ(v, 0x17161514);

    /* The BAR moves into the high window; the old address is a hole. */
    memory_region_set_address(&bar, 0x400002000ull);
    EXPECT(lookup_mr(&as, 0x40001010, NULL) == NULL);
    EXPECT(lookup_mr(&as, 0x400002010ull, &off) == &bar);
    EXPECT_EQ(off, 0x10);

    /* An alias offset that moves the window. */
    memory_region_set_alias_offset(&win_lo, 0x400000000ull);
    EXPECT(lookup_mr(&as, 0x40002010, &off) == &bar);
    EXPECT_EQ(off, 0x10);

    address_space_destroy(&as);
    memory_region_finalize(&root);
}

TEST(alias_clipped_to_its_size)
{
    static MemoryRegion root, ram, al;
    AddressSpace as;
    uint64_t off;

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 0x10000);
    /* Shows 0x2000 bytes from offset 0x8000, at 0x1000 (below the
       offset: no negative base). */
    memory_region_init_alias(&al, "al", &ram, 0x8000, 0x2000);
    memory_region_add_subregion(&root, 0x1000, &al);
    address_space_init(&as, &root, "test");
    EXPECT(lookup_mr(&as, 0x1000, &off) == &ram);
    EXPECT_EQ(off, 0x8000);
    EXPECT(lookup_mr(&as, 0x2fff, &off) == &ram);
    EXPECT_EQ(off, 0x9fff);
    EXPECT(lookup_mr(&as, 0x3000, NULL) == NULL);
    EXPECT(lookup_mr(&as, 0xfff, NULL) == NULL);
    memory_region_set_size(&al, 0x1000);
    EXPECT(lookup_mr(&as, 0x2000, NULL) == NULL);
    address_space_destroy(&as);
    memory_region_finalize(&ram);
}

TEST(remove_and_readd_with_priorities)
{
    static MemoryRegion root, low, high;
    AddressSpace as;
    FakeDev a, b;

    fake_init(&a);
    fake_init(&b);
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_io(&low, &ops_any, &a, "low", 0x2000);
    memory_region_init_io(&high, &ops_any, &b, "high", 0x1000);
    memory_region_add_subregion_overlap(&root, 0x10000, &low, 0);
    memory_region_add_subregion_overlap(&root, 0x10800, &high, 1);
    address_space_init(&as, &root, "test");
    EXPECT(lookup_mr(&as, 0x10900, NULL) == &high);
    EXPECT(lookup_mr(&as, 0x10100, NULL) == &low);

    memory_region_del_subregion(&root, &high);
    EXPECT(high.container == NULL);
    EXPECT(lookup_mr(&as, 0x10900, NULL) == &low);
    /* Re-added elsewhere, at a lower priority than what it overlaps. */
    memory_region_add_subregion_overlap(&root, 0x11800, &high, -1);
    EXPECT(lookup_mr(&as, 0x11900, NULL) == &low);
    EXPECT(lookup_mr(&as, 0x12400, NULL) == &high);
    memory_region_del_subregion(&root, &high);
    memory_region_add_subregion_overlap(&root, 0x11000, &high, 2);
    EXPECT(lookup_mr(&as, 0x11800, NULL) == &high);

    /* Disabled: what is below shows through; enabled again: back. */
    memory_region_set_enabled(&high, false);
    EXPECT(lookup_mr(&as, 0x11800, NULL) == &low);
    memory_region_set_enabled(&high, true);
    EXPECT(lookup_mr(&as, 0x11800, NULL) == &high);
    address_space_destroy(&as);
}

static int map_changes;

static void count_map_change(void)
{
    map_changes++;
}

TEST(transaction_and_map_change_hook)
{
    static MemoryRegion root, ram, dev;
    AddressSpace as;
    FakeDev d;
    int before;

    fake_init(&d);
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 0x4000);
    memory_region_init_io(&dev, &ops_any, &d, "dev", 0x1000);
    memory_region_add_subregion(&root, 0x80000000, &ram);
    memory_region_add_subregion(&root, 0x10000000, &dev);
    address_space_init(&as, &root, "test");
    memory_set_map_change_hook(count_map_change);
    map_changes = 0;

    /* Moving MMIO leaves the RAM mapping alone: no TLB flush. */
    memory_region_set_address(&dev, 0x20000000);
    EXPECT_EQ(map_changes, 0);
    /* Moving RAM is a change. */
    memory_region_set_address(&ram, 0x90000000);
    EXPECT_EQ(map_changes, 1);

    /* Within a transaction nothing is seen until the commit, which
       publishes one view. */
    before = map_changes;
    memory_region_transaction_begin();
    memory_region_set_enabled(&ram, false);
    memory_region_set_address(&ram, 0x80000000);
    memory_region_set_enabled(&ram, true);
    EXPECT(lookup_mr(&as, 0x90000000, NULL) == &ram);
    EXPECT(lookup_mr(&as, 0x80000000, NULL) == NULL);
    memory_region_transaction_commit();
    EXPECT(lookup_mr(&as, 0x80000000, NULL) == &ram);
    EXPECT(lookup_mr(&as, 0x90000000, NULL) == NULL);
    EXPECT_EQ(map_changes, before + 1);

    memory_set_map_change_hook(NULL);
    address_space_destroy(&as);
    memory_region_finalize(&ram);
}

/* One thread keeps looking up while another keeps moving a region: every
   lookup sees the region at its old or its new address, whole, and no
   view is freed under a reader (which ASan/valgrind would catch).  The
   mover goes on until the reader has done enough lookups: on a loaded
   host the reader may not run at all during the first 20,000 moves. */
typedef struct RaceCtx {
    AddressSpace *as;
    MemoryRegion *dev;
    volatile bool stop;
    int bad;
    long lookups;
} RaceCtx;

static gpointer race_reader(gpointer opaque)
{
    RaceCtx *c = opaque;

    while (!c->stop) {
        MemoryRegion *a = lookup_mr(c->as, 0x10000010, NULL);
        MemoryRegion *b = lookup_mr(c->as, 0x20000010, NULL);
        MemoryRegion *r = lookup_mr(c->as, 0x80000010, NULL);

        if ((a != NULL && a != c->dev) || (b != NULL && b != c->dev) ||
            r == NULL)
            c->bad++;
        __atomic_add_fetch(&c->lookups, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

TEST(lookups_race_with_changes)
{
    static MemoryRegion root, ram, dev;
    AddressSpace as;
    FakeDev d;
    RaceCtx c = { .as = &as, .dev = &dev };
    GThread *t;

    fake_init(&d);
    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init_ram(&ram, "ram", 0x1000);
    memory_region_init_io(&dev, &ops_any, &d, "dev", 0x1000);
    memory_region_add_subregion(&root, 0x80000000, &ram);
    memory_region_add_subregion(&root, 0x10000000, &dev);
    address_space_init(&as, &root, "test");
    t = g_thread_new("reader", race_reader, &c);
    for (int i = 0; i < 20000 ||
                    __atomic_load_n(&c.lookups, __ATOMIC_RELAXED) < 1000; i++)
        memory_region_set_address(&dev, (i & 1) ? 0x10000000 : 0x20000000);
    c.stop = true;
    g_thread_join(t);
    EXPECT_EQ(c.bad, 0);
    EXPECT(c.lookups > 0);
    address_space_destroy(&as);
    memory_region_finalize(&ram);
}

TEST(mtree_dump_shows_aliases)
{
    static MemoryRegion root, bus, al;
    AddressSpace as;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    memory_region_init(&root, "root", UINT64_MAX);
    memory_region_init(&bus, "busmem", UINT64_MAX);
    memory_region_init_alias(&al, "window", &bus, 0x40000000, 0x40000000);
    memory_region_add_subregion(&root, 0x40000000, &al);
    address_space_init(&as, &root, "dumped");
    f = open_memstream(&text, &len);
    memory_dump_all(f);
    fclose(f);
    EXPECT(strstr(text, "address-space: dumped\n") != NULL);
    EXPECT(strstr(text, "0000000040000000-000000007fffffff (prio 0, i/o): "
                        "alias window @busmem 0000000040000000-000000007fffffff")
           != NULL);
    EXPECT(strstr(text, "memory-region: busmem\n") != NULL);
    free(text);
    address_space_destroy(&as);
}

TEST(bql_recursive)
{
    EXPECT(!bql_locked());
    bql_lock();
    bql_lock();
    EXPECT(bql_locked());
    bql_unlock();
    EXPECT(bql_locked());
    bql_unlock();
    EXPECT(!bql_locked());
}

int main(void)
{
    return unit_run();
}
