/* needs: none */
/*
 * Tests of the human monitor's pieces that need no machine: the address
 * expression evaluator (precedence, bases, errors) and the command
 * interpreter's answers to help, info, unknown commands, commands that
 * need a CPU when there is none and arguments to commands that take none.
 */
#include <glib.h>

#include "mimic/runstate.h"
#include "monitor/monitor-internal.h"
#include "unit.h"

static uint64_t eval(const char *expr)
{
    g_autofree char *err = NULL;
    uint64_t v = 0xdeadbeef;

    if (!hmp_eval_expr(NULL, expr, &v, &err))
        printf("#   %s: %s\n", expr, err);
    return v;
}

static char *eval_error(const char *expr)
{
    char *err = NULL;
    uint64_t v;

    return hmp_eval_expr(NULL, expr, &v, &err) ? g_strdup("(no error)") : err;
}

TEST(expressions)
{
    EXPECT_EQ(eval("1 + 2 * 3"), 7);
    EXPECT_EQ(eval("(1 + 2) * 3"), 9);
    EXPECT_EQ(eval("0x80000000 + 0x10"), 0x80000010);
    EXPECT_EQ(eval("010"), 8);
    EXPECT_EQ(eval("0x10 | 1 << 4"), 0x10);
    EXPECT_EQ(eval("~0 >> 60"), 0xf);
    EXPECT_EQ(eval("-1"), UINT64_MAX);
    EXPECT_EQ(eval("0xffffffff80000000 & ~0xfff"), 0xffffffff80000000);
    EXPECT_EQ(eval("  7 % 4 ^ 1 "), 2);
    EXPECT_EQ(eval("100 / 7 - 4"), 10);
}

TEST(expression_errors)
{
    static const struct { const char *expr, *msg; } cases[] = {
        { "1 / 0", "division by zero" },
        { "1 +", "missing value" },
        { "0x", "invalid number" },
        { "12abc", "invalid number" },
        { "(1 + 2", "')' expected" },
        { "1 2", "junk at the end" },
        { "$pc", "no CPU" },
        { "$", "missing register name" },
        { "@", "invalid character" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *err = eval_error(cases[i].expr);

        if (!strstr(err, cases[i].msg))
            printf("#   '%s': got '%s'\n", cases[i].expr, err);
        EXPECT(strstr(err, cases[i].msg) != NULL);
    }
}

static char *run(const char *line)
{
    HmpContext c;

    hmp_context_init(&c);
    hmp_execute(&c, line);
    return g_string_free(c.out, FALSE);
}

TEST(commands_without_a_machine)
{
    g_autofree char *help = run("help");
    g_autofree char *help_info = run("help info");
    g_autofree char *version = run("  info   version ");
    g_autofree char *unknown = run("frobnicate now");
    g_autofree char *bad_info = run("info nothing");
    g_autofree char *x = run("x/4i $pc");
    g_autofree char *badfmt = run("cpu 3");
    g_autofree char *empty = run("   ");
    g_autofree char *slash = run("stop/2");
    g_autofree char *logbad = run("log cpu,nonsense");

    EXPECT(strstr(help, "x /fmt addr -- ") != NULL);
    EXPECT(strstr(help, "cont|c -- ") != NULL);
    EXPECT(strstr(help_info, "info registers [-a] -- ") != NULL);
    EXPECT_STREQ(version, "0.1.0 (mimic)\n");
    EXPECT_STREQ(unknown, "unknown command: 'frobnicate' (try 'help')\n");
    EXPECT(strstr(bad_info, "unknown item 'nothing'") != NULL);
    EXPECT_STREQ(x, "No CPU available\n");
    EXPECT(strstr(badfmt, "invalid CPU index") != NULL);
    EXPECT_STREQ(empty, "");
    EXPECT(strstr(slash, "unexpected") != NULL);
    EXPECT(strstr(logbad, "unknown log item 'nonsense'") != NULL);
}

/* QEMU refuses arguments to a command that takes none; `q x y z` must not
   quit and `stop x` must not stop. */
TEST(extra_arguments_are_refused)
{
    static const char *const lines[] = {
        "q x y z",
        "quit now",
        "stop x",
        "cont 1",
        "c x",
        "system_reset 1",
        "system_powerdown please",
        "info status x",
        "info version 2",
        "info cpus all",
        "info mtree -f",
        "info jit x",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        g_autofree char *out = run(lines[i]);

        if (!strstr(out, "extraneous characters at the end of line"))
            printf("#   '%s': got '%s'\n", lines[i], out);
        EXPECT(strstr(out, "extraneous characters at the end of line"));
    }
    EXPECT(!runstate_shutdown_requested());
    EXPECT(runstate_is_running());
}

int main(void)
{
    return unit_run();
}
