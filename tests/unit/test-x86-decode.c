/* needs: x86_64 */
/*
 * Tests of the x86-64 decoder (target/x86/decode.c) against capstone: every
 * instruction of the .text of real binaries on this machine (bash, libc,
 * libm, python3), decoded linearly, must have capstone's length, and where
 * capstone says so its displacement, immediate and memory operand; the
 * encodings we do not implement on purpose (AVX and the like) must be #UD.
 * Then hand-written edge cases (the 15-byte limit, REX placement, RIP and
 * SIB addressing, LOCK, truncated input) and random bytes in buffers of
 * their exact size, so that ASan would see any read past the end.
 */
#include <capstone/capstone.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "target/x86/decode.h"

static const char *const ud_name[] = {
    [X86_UD_VEX] = "VEX/EVEX (AVX)", [X86_UD_XOP] = "XOP",
    [X86_UD_3DNOW] = "3DNow!", [X86_UD_VENDOR] = "SSE4a (AMD), PadLock (VIA)",
};

static bool deliberate(const X86Insn *insn)
{
    return insn->ud == X86_UD_VEX || insn->ud == X86_UD_XOP ||
           insn->ud == X86_UD_3DNOW || insn->ud == X86_UD_VENDOR;
}

static csh cs_handle(void)
{
    static csh h;
    static bool opened;

    if (!opened) {
        if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
            abort();
        cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
        opened = true;
    }
    return h;
}

static uint64_t low_bytes(uint64_t v, int n)
{
    return n >= 8 ? v : v & ((1ull << (8 * n)) - 1);
}

/*
 * Known differences between capstone 4 and the CPU, each checked against
 * the Intel SDM (volume 2).  capstone_quirk() answers which one bytes
 * show, or QUIRK_NONE.
 */
enum {
    QUIRK_NONE,
    /* SDM, RDPKRU and WRPKRU: NP 0F 01 EE and NP 0F 01 EF; capstone 4
       does not know them. */
    QUIRK_PKRU,
    /* SDM, LOCK: #UD "if the LOCK prefix is used with an instruction not
       listed" (ADD, ADC, AND, BTC, BTR, BTS, CMPXCHG, CMPXCH8B,
       CMPXCHG16B, DEC, INC, NEG, NOT, OR, SBB, SUB, XOR, XADD, XCHG) or
       whose destination is not memory; capstone 4 accepts LOCK anywhere. */
    QUIRK_LOCK,
    /* SDM, UD: UD1 is 0F B9 /r and UD0 0F FF /r, with a ModRM (and SIB
       and displacement); capstone 4 decodes both without one.  (The SDM
       notes that some older CPUs decode UD0 without ModRM.) */
    QUIRK_UD01,
    /* A 66 on a near branch (Jcc, JMP, CALL rel): the SDM says the
       operand size is fixed at 64 bits in 64-bit mode, so the offset
       stays 32-bit, and we follow it; AMD CPUs (the APM) and capstone 4
       take a 16-bit offset instead.  Compilers never emit this. */
    QUIRK_BRANCH66,
    /* SDM, MOV: "The MOV instruction cannot be used to load the CS
       register.  Attempting to do so results in an invalid opcode
       exception (#UD)"; capstone 4 decodes 8E /1. */
    QUIRK_MOVCS,
    /* A mandatory prefix whose instruction takes only memory (66 0F 12
       MOVLPD, 66 0F 16 MOVHPD) or only a register (F2 0F D6 MOVDQ2Q)
       with the other kind of operand: the SDM defines no such encoding,
       and we say #UD; capstone 4 drops the prefix and decodes another
       instruction (MOVHLPS). */
    QUIRK_PREFIX_MOD,
    /* 67 and REX.W before an instruction whose 66 form exists: capstone 4
       decodes the 66 form (BLENDVPS for 67 48 0F 38 14) though there is
       no 66 (SDM 2.1: 67 is the address-size prefix only).  Checked by
       decoding the bytes again with a 66 in front. */
    QUIRK_67_AS_66,
    QUIRK_COUNT,
};
static const char *const quirk_name[QUIRK_COUNT] = {
    [QUIRK_PKRU] = "RDPKRU/WRPKRU unknown to capstone",
    [QUIRK_LOCK] = "LOCK accepted by capstone where the SDM says #UD",
    [QUIRK_UD01] = "UD0/UD1 without ModRM in capstone",
    [QUIRK_BRANCH66] = "66 near branch (rel16 in capstone and on AMD)",
    [QUIRK_MOVCS] = "MOV CS, Ew decoded by capstone",
    [QUIRK_PREFIX_MOD] = "mandatory prefix dropped by capstone",
    [QUIRK_67_AS_66] = "67 taken for 66 by capstone",
};

/* Counts of a comparison run, printed as TAP comments. */
typedef struct Counts {
    long compared, agreed, detail, both_invalid, mismatches;
    long quirks[QUIRK_COUNT];
    long deliberate[X86_UD_VENDOR + 1];
} Counts;

static int capstone_quirk(const uint8_t *p, size_t n, X86DecodeResult r,
                          const X86Insn *insn, bool cs_ok, const cs_insn *ci)
{
    bool shorter = cs_ok && (r == X86_DECODE_MORE ||
                             (r == X86_DECODE_OK && ci->size < insn->len));

    if (r == X86_DECODE_OK && !cs_ok && insn->map == X86_MAP_0F &&
        insn->opcode == 0x01 && (insn->modrm == 0xee || insn->modrm == 0xef))
        return QUIRK_PKRU;
    if (shorter && insn->map == X86_MAP_0F &&
        (insn->opcode == 0xb9 || insn->opcode == 0xff))
        return QUIRK_UD01;
    if (shorter && (insn->prefixes & X86_PFX_OPSIZE) &&
        ((insn->map == X86_MAP_0F && (insn->opcode & 0xf0) == 0x80) ||
         (insn->map == X86_MAP_ONE &&
          (insn->opcode == 0xe8 || insn->opcode == 0xe9))))
        return QUIRK_BRANCH66;
    if (r != X86_DECODE_UD || !cs_ok)
        return QUIRK_NONE;
    if (insn->ud == X86_UD_LOCK)
        return QUIRK_LOCK;
    if (insn->map == X86_MAP_ONE && insn->opcode == 0x8e &&
        ((insn->modrm >> 3) & 7) == 1)
        return QUIRK_MOVCS;
    if (insn->ud == X86_UD_MOD && insn->mandatory)
        return QUIRK_PREFIX_MOD;
    if (insn->ud == X86_UD_OPCODE && (insn->prefixes & X86_PFX_ADDRSIZE) &&
        (insn->rex & X86_REX_W) && n <= 16) {
        uint8_t with66[17] = { 0x66 };
        X86Insn again;
        memcpy(with66 + 1, p, n);
        if (x86_decode(X86_MODE_64, with66, n + 1, &again) == X86_DECODE_OK &&
            again.len == ci->size + 1)
            return QUIRK_67_AS_66;
    }
    return QUIRK_NONE;
}

/* Compares the fields capstone's detail reports: the memory operand, its
   displacement, base, index and scale, and the immediate's bytes. */
static const char *compare_detail(uint64_t addr, const X86Insn *insn,
                                  const cs_insn *ci)
{
    const cs_x86 *x = &ci->detail->x86;
    const cs_x86_op *mem = NULL;

    for (int i = 0; i < x->op_count; i++)
        if (x->operands[i].type == X86_OP_MEM)
            mem = &x->operands[i];
    if (insn->has_modrm && !(insn->info->flags & X86_F_MODREG) &&
        insn->is_mem != (mem != NULL))
        return "memory operand";
    /* The displacement's value, not capstone 4's encoding.disp_size: that
       says 2 for a disp32 after a 66 prefix (the SDM, 2.1.5: the
       displacement's size follows the address size, not the operand size). */
    if (mem && insn->is_mem) {
        int n = insn->disp_size ? insn->disp_size : 8;
        if (low_bytes((uint64_t)insn->disp, n) !=
            low_bytes((uint64_t)mem->mem.disp, n))
            return "displacement";
    }
    if (insn->is_mem && mem && insn->has_modrm) {
        bool base_rip = mem->mem.base == X86_REG_RIP ||
                        mem->mem.base == X86_REG_EIP;
        if (base_rip != (insn->base == X86_RIP))
            return "RIP-relative";
        if ((mem->mem.base == X86_REG_INVALID) !=
            (insn->base == X86_NOREG))
            return "base register";
        if ((mem->mem.index == X86_REG_INVALID) !=
            (insn->index == X86_NOREG))
            return "index register";
        if (insn->index != X86_NOREG &&
            mem->mem.scale != 1 << insn->scale)
            return "scale";
    }
    /* Immediates by capstone's operand values, in order (its
       encoding.imm_size is wrong for some: 4 for IN eAX, Ib, whose SDM
       encoding is E5 ib; only ENTER's second immediate for ENTER). */
    int64_t imms[2];
    int nimm = 0;
    for (int i = 0; i < x->op_count && nimm < 2; i++)
        if (x->operands[i].type == X86_OP_IMM)
            imms[nimm++] = x->operands[i].imm;
    /* CMPPS and friends: capstone folds the predicate into the name. */
    if (nimm == 0 && x->sse_cc != X86_SSE_CC_INVALID)
        imms[nimm++] = x->sse_cc - X86_SSE_CC_EQ;
    if (insn->imm_size) {
        uint64_t v = (uint64_t)imms[0];
        if (nimm < 1)
            return "immediate (capstone has none)";
        if (insn->info->op[0].kind == X86_OPK_J)
            v -= addr + insn->len;    /* capstone gives the target */
        if (low_bytes(insn->imm, insn->imm_size) !=
            low_bytes(v, insn->imm_size))
            return "immediate";
    }
    if (insn->imm2_size &&
        (nimm < 2 || low_bytes(insn->imm2, insn->imm2_size) !=
                     low_bytes((uint64_t)imms[1], insn->imm2_size)))
        return "second immediate";
    return NULL;
}

static void print_mismatch(const char *what, const uint8_t *p, size_t n,
                           uint64_t addr, X86DecodeResult r,
                           const X86Insn *insn, bool cs_ok,
                           const cs_insn *ci)
{
    char ours[96], hex[64] = "";

    for (size_t i = 0; i < n && i < 15; i++)
        snprintf(hex + 3 * i, 4, "%02x ", p[i]);
    x86_format_insn(insn, ours, sizeof(ours));
    printf("#   0x%" PRIx64 ": %s: %s| capstone: %s %s (%u bytes) | ours: "
           "result %d ud %d len %u %s\n", addr, what, hex,
           cs_ok ? ci->mnemonic : "(invalid)", cs_ok ? ci->op_str : "",
           cs_ok ? ci->size : 0, r, insn->ud, insn->len, ours);
}

/* Decodes p[0..n) with both; answers how many bytes to step over. */
static size_t compare_one(const uint8_t *p, size_t n, uint64_t addr,
                          cs_insn *ci, Counts *c, bool check_detail)
{
    X86Insn insn;
    X86DecodeResult r = x86_decode(X86_MODE_64, p, n, &insn);
    const uint8_t *code = p;
    size_t size = n;
    uint64_t a = addr;
    bool cs_ok = cs_disasm_iter(cs_handle(), &code, &size, &a, ci);
    const char *what = NULL;
    int quirk = capstone_quirk(p, n, r, &insn, cs_ok, ci);

    c->compared++;
    if (quirk) {
        c->quirks[quirk]++;
        return cs_ok ? ci->size : r == X86_DECODE_OK ? insn.len : 1;
    }
    if (r == X86_DECODE_UD && deliberate(&insn)) {
        c->deliberate[insn.ud]++;
        return cs_ok ? ci->size : 1;
    }
    if (r == X86_DECODE_OK && cs_ok) {
        if (insn.len != ci->size)
            what = "length";
        else if (check_detail) {
            what = compare_detail(addr, &insn, ci);
            c->detail += !what;
        }
    } else if (r == X86_DECODE_OK || cs_ok) {
        what = cs_ok ? "capstone decodes it, we do not"
                     : "we decode it, capstone does not";
    } else {
        c->both_invalid++;
    }
    if (what) {
        if (c->mismatches++ < 40)
            print_mismatch(what, p, n, addr, r, &insn, cs_ok, ci);
        return cs_ok ? ci->size : 1;
    }
    c->agreed++;
    return r == X86_DECODE_OK ? insn.len : 1;
}

static void print_counts(const char *what, const Counts *c)
{
    printf("# %s: %ld compared, %ld agree (%ld with displacement, immediate "
           "and memory operand checked), %ld invalid to both, %ld mismatches\n",
           what, c->compared, c->agreed, c->detail, c->both_invalid,
           c->mismatches);
    for (int i = 1; i < QUIRK_COUNT; i++)
        if (c->quirks[i])
            printf("#   capstone quirk, %s: %ld\n", quirk_name[i], c->quirks[i]);
    for (int i = X86_UD_VEX; i <= X86_UD_VENDOR; i++)
        if (c->deliberate[i])
            printf("#   #UD on purpose, %s: %ld\n", ud_name[i],
                   c->deliberate[i]);
}

/* Finds .text in an ELF64 file's section headers; false if the file is
   missing or not such an ELF. */
static bool elf_text(const uint8_t *f, size_t size, size_t *off,
                     size_t *len, uint64_t *addr)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
    const Elf64_Shdr *sh, *strtab;

    if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
        eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
        (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum ||
        eh->e_shstrndx >= eh->e_shnum)
        return false;
    sh = (const Elf64_Shdr *)(f + eh->e_shoff);
    strtab = &sh[eh->e_shstrndx];
    for (int i = 0; i < eh->e_shnum; i++) {
        uint64_t name = strtab->sh_offset + sh[i].sh_name;
        if (name + sizeof(".text") > size ||
            memcmp(f + name, ".text", sizeof(".text")) ||
            sh[i].sh_type != SHT_PROGBITS || sh[i].sh_offset > size ||
            sh[i].sh_size > size - sh[i].sh_offset)
            continue;
        *off = sh[i].sh_offset;
        *len = sh[i].sh_size;
        *addr = sh[i].sh_addr;
        return true;
    }
    return false;
}

/*
 * Decodes a binary's .text linearly with both decoders.  stride > 1
 * samples: after each compared instruction, it skips (by our length, or
 * capstone's) to the next, comparing one in stride (the skipped ones are
 * still decoded by us, so we stay in step).
 */
static void check_binary(const char *path, int stride)
{
    g_autofree gchar *data = NULL;
    gsize size;
    size_t off, len;
    uint64_t addr;
    Counts c = { 0 };
    cs_insn *ci = cs_malloc(cs_handle());
    long k = 0;

    if (!g_file_get_contents(path, &data, &size, NULL) ||
        !elf_text((const uint8_t *)data, size, &off, &len, &addr)) {
        /* Another distribution or host: the libc of an x86-64 host is
           the one that must be there. */
        printf("# %s: not an x86-64 ELF here, not compared\n", path);
#if defined(__x86_64__)
        if (strstr(path, "libc.so"))
            unit_case_failed = 1;
#endif
        cs_free(ci, 1);
        return;
    }
    const uint8_t *text = (const uint8_t *)data + off;
    for (size_t pos = 0; pos < len;) {
        size_t n = len - pos < 15 ? len - pos : 15;
        if (k++ % stride == 0) {
            pos += compare_one(text + pos, n, addr + pos, ci, &c, true);
            continue;
        }
        X86Insn insn;
        if (x86_decode(X86_MODE_64, text + pos, n, &insn) == X86_DECODE_OK) {
            pos += insn.len;
            continue;
        }
        pos += compare_one(text + pos, n, addr + pos, ci, &c, true);
    }
    cs_free(ci, 1);
    print_counts(path, &c);
    if (c.mismatches)
        unit_case_failed = 1;
    EXPECT(c.agreed > 10000);
}

TEST(bash_text) { check_binary("/bin/bash", 1); }
TEST(libc_text) { check_binary("/usr/lib/x86_64-linux-gnu/libc.so.6", 1); }
TEST(libm_text) { check_binary("/usr/lib/x86_64-linux-gnu/libm.so.6", 1); }
TEST(python_text) { check_binary("/usr/bin/python3.11", 1); }

/* splitmix64: a fixed sequence on every host and glib version. */
static uint64_t rnd(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Random bytes, often shaped like an instruction: a few prefixes, an
   escape to the 0F maps or an x87 opcode, then anything. */
static size_t random_insn(uint64_t *st, uint8_t *b)
{
    static const uint8_t pfx[] = {
        0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65,
        0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f,
    };
    size_t n = 0;
    int shape = rnd(st) % 10;

    for (size_t i = 0; i < 16; i++)
        b[i] = (uint8_t)rnd(st);
    if (shape >= 4) {
        int np = rnd(st) % 4;
        for (int i = 0; i < np; i++)
            b[n++] = pfx[rnd(st) % sizeof(pfx)];
    }
    if (shape >= 4 && shape <= 6)
        b[n++] = 0x0f;
    else if (shape == 7 || shape == 8) {
        b[n++] = 0x0f;
        b[n++] = shape == 7 ? 0x38 : 0x3a;
    } else if (shape == 9) {
        b[n++] = 0xd8 + rnd(st) % 8;
    }
    /* Mostly 16 bytes; sometimes fewer, to end in the middle. */
    return rnd(st) % 4 ? 16 : 1 + rnd(st) % 15;
}

/*
 * Random buffers, each in a heap block of exactly its size (ASan sees a
 * read past the end): whenever capstone decodes an instruction we do not
 * leave to #UD on purpose, our length must be capstone's.
 */
TEST(random_bytes)
{
    uint64_t st = 20261207;
    Counts c = { 0 };
    long we_only = 0;
    cs_insn *ci = cs_malloc(cs_handle());
    uint8_t tmp[16];

    for (int i = 0; i < 300000; i++) {
        size_t n = random_insn(&st, tmp);
        uint8_t *buf = g_malloc(n);
        X86Insn insn;
        memcpy(buf, tmp, n);
        X86DecodeResult r = x86_decode(X86_MODE_64, buf, n, &insn);
        const uint8_t *code = buf;
        size_t size = n;
        uint64_t a = 0x1000;
        bool cs_ok = cs_disasm_iter(cs_handle(), &code, &size, &a, ci);
        const char *what = NULL;

        c.compared++;
        if (r == X86_DECODE_OK)
            EXPECT(insn.len >= 1 && insn.len <= n && insn.len <= 15);
        int quirk = capstone_quirk(buf, n, r, &insn, cs_ok, ci);
        if (quirk) {
            c.quirks[quirk]++;
        } else if (r == X86_DECODE_UD && deliberate(&insn)) {
            c.deliberate[insn.ud]++;
        } else if (cs_ok) {
            if (r != X86_DECODE_OK)
                what = "capstone decodes it, we do not";
            else if (insn.len != ci->size)
                what = "length";
            else
                c.agreed++;
        } else if (r == X86_DECODE_OK) {
            we_only++;
            if (we_only <= 10)
                print_mismatch("(note) we decode it, capstone does not",
                               buf, n, 0x1000, r, &insn, cs_ok, ci);
        } else {
            c.both_invalid++;
        }
        if (what && c.mismatches++ < 40)
            print_mismatch(what, buf, n, 0x1000, r, &insn, cs_ok, ci);
        g_free(buf);
    }
    cs_free(ci, 1);
    print_counts("random bytes", &c);
    printf("# random bytes: %ld that only we decode\n", we_only);
    if (c.mismatches)
        unit_case_failed = 1;
}


/* Decodes the bytes from an exact-size heap copy (ASan sees overreads). */
static X86DecodeResult dec(const char *hex, X86Insn *insn)
{
    uint8_t tmp[32];
    size_t n = 0;

    for (const char *h = hex; *h;) {
        if (*h == ' ') {
            h++;
            continue;
        }
        tmp[n++] = (uint8_t)strtoul((char[3]){ h[0], h[1], 0 }, NULL, 16);
        h += 2;
    }
    uint8_t *buf = g_malloc(n ? n : 1);
    memcpy(buf, tmp, n);
    X86DecodeResult r = x86_decode(X86_MODE_64, buf, n, insn);
    g_free(buf);
    return r;
}

static const char *name_of(const X86Insn *insn)
{
    return insn->info ? insn->info->name : "(none)";
}

TEST(length_limit)
{
    X86Insn insn;

    /* 11 prefixes + 05 imm32 = 16 bytes: #GP; 10 prefixes = 15: fine. */
    EXPECT_EQ(dec("66 66 66 66 66 66 66 66 66 66 05 11 22", &insn),
              X86_DECODE_OK);
    EXPECT_EQ(insn.len, 13);
    EXPECT_EQ(insn.opsize, 16);
    EXPECT_EQ(dec("2e 2e 2e 2e 2e 2e 2e 2e 2e 2e 48 05 11 22 33 44", &insn),
              X86_DECODE_GP);
    EXPECT_EQ(dec("2e 2e 2e 2e 2e 2e 2e 2e 2e 48 05 11 22 33 44", &insn),
              X86_DECODE_OK);
    EXPECT_EQ(insn.len, 15);
    /* 15 prefixes and nothing else: #GP, not a request for more bytes. */
    EXPECT_EQ(dec("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66", &insn),
              X86_DECODE_GP);
    /* A 10-byte MOV r64, imm64 with 5 prefixes is 15; 6 is too many. */
    EXPECT_EQ(dec("64 64 64 64 64 48 b8 01 02 03 04 05 06 07 08", &insn),
              X86_DECODE_OK);
    EXPECT_EQ(dec("64 64 64 64 64 64 48 b8 01 02 03 04 05 06 07 08", &insn),
              X86_DECODE_GP);
}

TEST(rex_placement)
{
    X86Insn insn;

    /* 48 66 01 c0: the REX is followed by 66, so it is ignored: add ax,ax */
    EXPECT_EQ(dec("48 66 01 c0", &insn), X86_DECODE_OK);
    EXPECT(!insn.has_rex);
    EXPECT_EQ(insn.opsize, 16);
    EXPECT_EQ(insn.len, 4);
    /* 66 48 01 c0: REX.W wins over 66 */
    EXPECT_EQ(dec("66 48 01 c0", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.opsize, 64);
    /* 41 48 01 c0: only the last REX counts (W, not B) */
    EXPECT_EQ(dec("41 48 01 c0", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.rex, X86_REX_W);
    EXPECT_EQ(insn.rm, 0);
    /* 4d 01 c8: add r8, r9 (REX.R and REX.B extend reg and rm) */
    EXPECT_EQ(dec("4d 01 c8", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.reg, 9);
    EXPECT_EQ(insn.rm, 8);
    /* push/pop default to 64 bits; 66 makes them 16 */
    EXPECT_EQ(dec("50", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.opsize, 64);
    EXPECT_EQ(dec("66 50", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.opsize, 16);
    /* the last of F2 and F3 counts; segment overrides are kept */
    EXPECT_EQ(dec("f2 f3 64 a4", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.rep, 0xf3);
    EXPECT_EQ(insn.seg, X86_SEG_FS);
}

TEST(addressing)
{
    X86Insn insn;

    /* mov rax, [rip + 0x11223344] */
    EXPECT_EQ(dec("48 8b 05 44 33 22 11", &insn), X86_DECODE_OK);
    EXPECT(insn.is_mem);
    EXPECT_EQ(insn.base, X86_RIP);
    EXPECT_EQ(insn.disp, 0x11223344);
    EXPECT_EQ(insn.len, 7);
    /* mov eax, [rbx*4 - 8]: SIB with no base (mod 00, base 101) */
    EXPECT_EQ(dec("8b 04 9d f8 ff ff ff", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.base, X86_NOREG);
    EXPECT_EQ(insn.index, 3);
    EXPECT_EQ(insn.scale, 2);
    EXPECT_EQ(insn.disp, -8);
    /* mov eax, [r13 + 0] (mod 01: base 101 with REX.B is r13, disp8) */
    EXPECT_EQ(dec("41 8b 45 00", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.base, 13);
    EXPECT_EQ(insn.disp_size, 1);
    /* mov eax, [rsp]: SIB index 100 is none; with REX.X it is r12 */
    EXPECT_EQ(dec("8b 04 24", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.index, X86_NOREG);
    EXPECT_EQ(dec("42 8b 04 24", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.index, 12);
    /* 67: 32-bit addressing */
    EXPECT_EQ(dec("67 8b 00", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.addrsize, 32);
    /* mov al, [moffs64] and mov [moffs32], eax with 67 */
    EXPECT_EQ(dec("a0 88 77 66 55 44 33 22 11", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.len, 9);
    EXPECT_EQ((uint64_t)insn.disp, 0x1122334455667788ull);
    EXPECT(insn.is_mem);
    EXPECT_EQ(dec("67 a3 44 33 22 11", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.len, 6);
    /* MOV to CR: mod is ignored, no displacement */
    EXPECT_EQ(dec("0f 22 18", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.len, 3);
}

TEST(immediates)
{
    X86Insn insn;

    EXPECT_EQ(dec("48 b8 88 77 66 55 44 33 22 11", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.len, 10);
    EXPECT_EQ(insn.imm, 0x1122334455667788ull);
    EXPECT_EQ(dec("b8 44 33 22 11", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.len, 5);
    /* 66 05 iw; 48 05 id sign-extended; 83 /0 ib sign-extended */
    EXPECT_EQ(dec("66 05 34 12", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm_size, 2);
    EXPECT_EQ(dec("48 05 00 00 00 80", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm, 0xffffffff80000000ull);
    EXPECT_EQ(dec("83 c0 ff", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm, UINT64_MAX);
    /* int 0x80: zero-extended */
    EXPECT_EQ(dec("cd 80", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm, 0x80);
    /* enter 0x1234, 5 */
    EXPECT_EQ(dec("c8 34 12 05", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm, 0x1234);
    EXPECT_EQ(insn.imm2, 5);
    /* jmp rel8 back, call rel32 */
    EXPECT_EQ(dec("eb fe", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm, (uint64_t)-2);
    EXPECT_EQ(insn.opsize, 64);
    EXPECT_EQ(dec("e8 00 00 00 00", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.len, 5);
    /* imul eax, [rip+0], 0x12345678: displacement then immediate */
    EXPECT_EQ(dec("69 05 00 00 00 00 78 56 34 12", &insn), X86_DECODE_OK);
    EXPECT_EQ(insn.imm, 0x12345678);
    EXPECT_EQ(insn.len, 10);
}

TEST(lock)
{
    X86Insn insn;

    EXPECT_EQ(dec("f0 01 03", &insn), X86_DECODE_OK);        /* add [rbx] */
    EXPECT_STREQ(name_of(&insn), "add");
    EXPECT_EQ(dec("f0 01 c3", &insn), X86_DECODE_UD);        /* add ebx */
    EXPECT_EQ(insn.ud, X86_UD_LOCK);
    EXPECT_EQ(dec("f0 89 03", &insn), X86_DECODE_UD);        /* mov */
    EXPECT_EQ(insn.ud, X86_UD_LOCK);
    EXPECT_EQ(dec("f0 48 0f c7 0f", &insn), X86_DECODE_OK);  /* cmpxchg16b */
    EXPECT_EQ(insn.opsize, 64);
    EXPECT_EQ(dec("f0 0f c1 07", &insn), X86_DECODE_OK);     /* xadd */
    EXPECT_EQ(dec("f0 39 07", &insn), X86_DECODE_UD);        /* cmp */
}

TEST(invalid_in_64bit)
{
    static const char *const ops[] = {
        "06", "07", "0e", "16", "17", "1e", "1f", "27", "2f", "37", "3f",
        "60", "61", "82 c0 01", "9a 00 00 00 00 00 00", "ce", "d4 0a",
        "d5 0a", "d6", "ea 00 00 00 00 00 00",
    };
    X86Insn insn;

    for (size_t i = 0; i < G_N_ELEMENTS(ops); i++) {
        EXPECT_EQ(dec(ops[i], &insn), X86_DECODE_UD);
        EXPECT_EQ(insn.ud, X86_UD_NO64);
    }
    /* AVX prefixes: #UD on purpose */
    EXPECT_EQ(dec("c5 f9 6f c1", &insn), X86_DECODE_UD);
    EXPECT_EQ(insn.ud, X86_UD_VEX);
    EXPECT_EQ(dec("62 f1 7c 48 10 01", &insn), X86_DECODE_UD);
    EXPECT_EQ(insn.ud, X86_UD_VEX);
    /* lea with a register operand, lfs with one: memory only */
    EXPECT_EQ(dec("8d c0", &insn), X86_DECODE_UD);
    EXPECT_EQ(insn.ud, X86_UD_MOD);
    /* an empty slot of a group: FE /2 */
    EXPECT_EQ(dec("fe d0", &insn), X86_DECODE_UD);
    EXPECT_EQ(insn.ud, X86_UD_OPCODE);
    EXPECT_EQ(dec("0f 04", &insn), X86_DECODE_UD);
}

TEST(mandatory_prefixes)
{
    X86Insn insn;

    EXPECT_EQ(dec("f3 0f b8 c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "popcnt");
    EXPECT_EQ(dec("0f b8 c1", &insn), X86_DECODE_UD);        /* JMPE */
    EXPECT_EQ(dec("66 f3 0f b8 c1", &insn), X86_DECODE_OK);  /* popcnt ax */
    EXPECT_EQ(insn.opsize, 16);
    EXPECT_EQ(dec("f2 0f 38 f0 c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "crc32");
    EXPECT_EQ(dec("66 f2 0f 38 f1 c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "crc32");
    EXPECT_EQ(insn.opsize, 16);
    EXPECT_EQ(dec("0f 38 f0 07", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "movbe");
    EXPECT_EQ(dec("0f 38 f0 c7", &insn), X86_DECODE_UD);     /* memory only */
    EXPECT_EQ(dec("f3 0f bc c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "tzcnt");
    EXPECT_EQ(dec("66 0f bc c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "bsf");
    EXPECT_EQ(insn.opsize, 16);
    EXPECT_EQ(dec("0f 58 c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "addps");
    EXPECT_EQ(dec("66 0f 58 c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "addpd");
    EXPECT_EQ(insn.mandatory, 0x66);
    EXPECT_EQ(dec("66 f2 0f 58 c1", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "addsd");
    EXPECT_EQ(dec("66 48 0f 6e c0", &insn), X86_DECODE_OK);  /* movq xmm0,rax */
    EXPECT_EQ(insn.opsize, 64);
    EXPECT_EQ(dec("66 0f 3a 63 c1 0c", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "pcmpistri");
    EXPECT_EQ(insn.imm, 0x0c);
    EXPECT_EQ(dec("0f ae e8", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "lfence");
    EXPECT_EQ(dec("0f 1f 84 00 00 00 00 00", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "nop");
    EXPECT_EQ(insn.len, 8);
    EXPECT_EQ(dec("d9 ee", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "fldz");
    EXPECT_EQ(dec("dd 1c 24", &insn), X86_DECODE_OK);
    EXPECT_STREQ(name_of(&insn), "fstp");
}

/* Every prefix of a long instruction asks for more bytes; with the bytes
   cut in heap blocks of the exact size. */
TEST(truncated)
{
    static const uint8_t full[] = {
        0x64, 0x66, 0x48, 0x81, 0x84, 0x88, 0x44, 0x33, 0x22, 0x11,
        0x78, 0x56, 0x34, 0x12,
    };
    X86Insn insn;

    for (size_t n = 0; n < sizeof(full); n++) {
        uint8_t *buf = g_malloc(n ? n : 1);
        memcpy(buf, full, n);
        EXPECT_EQ(x86_decode(X86_MODE_64, buf, n, &insn), X86_DECODE_MORE);
        EXPECT_EQ(insn.len, n + 1);
        g_free(buf);
    }
    EXPECT_EQ(x86_decode(X86_MODE_64, full, sizeof(full), &insn),
              X86_DECODE_OK);
    EXPECT_EQ(insn.len, sizeof(full));
    EXPECT_EQ(insn.disp, 0x11223344);
    EXPECT_EQ(insn.imm, 0x12345678);
    EXPECT_EQ(insn.index, 1);
    EXPECT_EQ(insn.scale, 2);
    /* other modes are not decoded yet */
    EXPECT_EQ(x86_decode(X86_MODE_32, full, sizeof(full), &insn),
              X86_DECODE_BAD_MODE);
}

int main(void) { return unit_run(); }
