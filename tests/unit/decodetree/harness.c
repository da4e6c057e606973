/*
 * Checks what the decoder generated from good.decode does with a few
 * encodings; built and run by tests/unit/test-decodetree.sh.  The trans_
 * functions are the generator's test stubs, which record their arguments.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct DisasContext {
    const char *reject;
} DisasContext;

static char seen[128];
static int failures, count;

static int twice(DisasContext *ctx, int x)
{
    (void)ctx;
    return x * 2;
}

static bool decodetree_test_record(DisasContext *ctx, const char *name,
                                   const char *fmt, ...)
{
    va_list ap;
    size_t n = (size_t)snprintf(seen, sizeof(seen), "%s%s", name,
                                *fmt ? " " : "");

    va_start(ap, fmt);
    vsnprintf(seen + n, sizeof(seen) - n, fmt, ap);
    va_end(ap);
    return !ctx->reject || strcmp(ctx->reject, name) != 0;
}

#define DECODETREE_TEST_STUBS
#include "decode-good.c.inc"

static void check(uint32_t insn, const char *reject, const char *expect)
{
    DisasContext ctx = { reject };
    bool ok;

    seen[0] = 0;
    ok = decode_good(&ctx, insn);
    count++;
    if (strcmp(seen, expect) != 0 || ok != (expect[0] != 0)) {
        printf("not ok %d - 0x%08x: got \"%s\" (%d), expected \"%s\"\n",
               count, insn, seen, ok, expect);
        failures++;
    } else {
        printf("ok %d - 0x%08x -> %s\n", count, insn, expect[0] ? expect : "none");
    }
}

int main(void)
{
    check(0xfff58513, NULL, "addi rd=10 rs=11 imm=-1");
    check(0xfff5f513, NULL, "andi rd=10 rs=11 imm=4095");
    check(0x80000063, NULL, "br rd=0 rs=7 imm=-4096");
    check(0x7e000fe3, NULL, "br rd=0 rs=7 imm=4094");
    check(0x00000fe3, NULL, "br rd=0 rs=7 imm=2078");
    check(0x80001093, NULL, "inl rd=1 rs=2 imm=-2048");
    check(0x12342513, NULL, "fmt a=10 b=74562");
    check(0x00003013, NULL, "special");
    check(0x00003013, "special", "lowrd rd=0 rs=3 imm=1");
    check(0x00503813, NULL, "highrd rd=5 rs=4 imm=2");
    check(0x00004013, NULL, "");
    check(0x0000007f, NULL, "");
    return failures != 0;
}
