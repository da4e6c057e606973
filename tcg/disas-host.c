/*
 * Host code disassembly for -d out_asm, through capstone: one instruction
 * per line with its address, bytes and text (AT&T syntax on x86-64), like
 *   0x7f12a4000040:  48 8b 5d 28              movq 0x28(%rbp), %rbx
 * If capstone cannot be opened, the bytes are dumped in hex instead.
 * Also the count of host instructions for -d jit_stats.
 */
#include "tcg-internal.h"

#include <capstone.h>

static void dump_hex(FILE *f, const uint8_t *p, size_t size)
{
    for (size_t i = 0; i < size; i += 16) {
        fprintf(f, "  0x%016" PRIxPTR ":", (uintptr_t)(p + i));
        for (size_t j = i; j < size && j < i + 16; j++)
            fprintf(f, " %02x", p[j]);
        fprintf(f, "\n");
    }
}

/* Called with tb_lock held (translation), so one handle serves. */
uint64_t tcg_host_insn_count(const void *code, size_t size)
{
    static csh h;
    static cs_insn *insn;
    const uint8_t *p = code;
    uint64_t addr = (uintptr_t)code, n = 0;

    if (!insn) {
        if (cs_open(TCG_HOST_CS_ARCH, TCG_HOST_CS_MODE, &h) != CS_ERR_OK)
            return 0;
        cs_option(h, CS_OPT_SKIPDATA, CS_OPT_ON);
        insn = cs_malloc(h);
    }
    while (size > 0 && cs_disasm_iter(h, &p, &size, &addr, insn))
        n++;
    return n;
}

void tcg_disas_host(FILE *f, const void *code, size_t size)
{
    csh h;
    cs_insn *insn;
    const uint8_t *p = code;
    uint64_t addr = (uintptr_t)code;

    if (cs_open(TCG_HOST_CS_ARCH, TCG_HOST_CS_MODE, &h) != CS_ERR_OK) {
        dump_hex(f, p, size);
        return;
    }
#if defined(__x86_64__)
    cs_option(h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
#endif
    cs_option(h, CS_OPT_SKIPDATA, CS_OPT_ON);
    insn = cs_malloc(h);
    while (size > 0 && cs_disasm_iter(h, &p, &size, &addr, insn)) {
        char bytes[64];
        int n = 0;
        for (int i = 0; i < insn->size && n < (int)sizeof(bytes) - 4; i++)
            n += snprintf(bytes + n, sizeof(bytes) - (size_t)n, "%02x ",
                          insn->bytes[i]);
        fprintf(f, "  0x%016" PRIx64 ":  %-24s %s %s\n", insn->address, bytes,
                insn->mnemonic, insn->op_str);
    }
    cs_free(insn, 1);
    cs_close(&h);
}
