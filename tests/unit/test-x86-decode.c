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

#include "unit.h"
#include "target/x86/decode.h"

/* Counts of a comparison run, printed as TAP comments. */
typedef struct Counts {
    long compared, agreed, detail, both_invalid, mismatches, quirks;
    long deliberate[X86_UD_AMD + 1];
} Counts;

static const char *const ud_name[] = {
    [X86_UD_VEX] = "VEX/EVEX (AVX)", [X86_UD_XOP] = "XOP",
    [X86_UD_3DNOW] = "3DNow!", [X86_UD_AMD] = "SSE4a (AMD)",
};

static bool deliberate(const X86Insn *insn)
{
    return insn->ud == X86_UD_VEX || insn->ud == X86_UD_XOP ||
           insn->ud == X86_UD_3DNOW || insn->ud == X86_UD_AMD;
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
 * the Intel SDM (volume 2); answers why capstone is wrong or NULL.
 */
static const char *capstone_quirk(const uint8_t *p, size_t n,
                                  X86DecodeResult r, const X86Insn *insn,
                                  bool cs_ok, const cs_insn *ci)
{
    if (r == X86_DECODE_OK && !cs_ok && insn->map == X86_MAP_0F &&
        insn->opcode == 0x01 && (insn->modrm == 0xee || insn->modrm == 0xef))
        return "capstone 4 lacks RDPKRU and WRPKRU (0F 01 EE, 0F 01 EF)";
    return NULL;
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
    const char *what = NULL, *quirk;

    c->compared++;
    quirk = capstone_quirk(p, n, r, &insn, cs_ok, ci);
    if (quirk) {
        c->quirks++;
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
           "and memory operand checked), %ld invalid to both, %ld capstone "
           "quirks, %ld mismatches\n", what, c->compared, c->agreed,
           c->detail, c->both_invalid, c->quirks, c->mismatches);
    for (int i = X86_UD_VEX; i <= X86_UD_AMD; i++)
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
        printf("# %s: not an x86-64 ELF here\n", path);
        unit_case_failed = 1;
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
int main(void) { return unit_run(); }
