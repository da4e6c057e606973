/*
 * Address expressions of the human monitor (`x/4i $pc + 8`, `xp 0x80000000`,
 * `p $sp & ~0xfff`): a recursive-descent evaluator over 64-bit unsigned
 * values with C's precedence for the operators it knows, numbers in C's
 * bases, and $name for a register of the current CPU (through the
 * target's monitor_get_register hook).
 */
#include <string.h>

#include "monitor-internal.h"

typedef struct Parser {
    const char *p;
    CPUState *cpu;
    char *err;
    int depth;
} Parser;

static bool parse_or(Parser *ps, uint64_t *v);

static void skip_space(Parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static bool fail(Parser *ps, const char *msg)
{
    if (!ps->err)
        ps->err = g_strdup(msg);
    return false;
}

static bool parse_register(Parser *ps, uint64_t *v)
{
    const char *start = ++ps->p;
    g_autofree char *name = NULL;

    while (g_ascii_isalnum(*ps->p) || *ps->p == '_')
        ps->p++;
    if (ps->p == start)
        return fail(ps, "missing register name after '$'");
    name = g_strndup(start, (gsize)(ps->p - start));
    if (!ps->cpu)
        return fail(ps, "no CPU");
    if (!ps->cpu->ops->monitor_get_register ||
        !ps->cpu->ops->monitor_get_register(ps->cpu, name, v)) {
        ps->err = g_strdup_printf("unknown register '$%s'", name);
        return false;
    }
    return true;
}

static bool parse_primary(Parser *ps, uint64_t *v)
{
    char *end;

    skip_space(ps);
    if (++ps->depth > 64)
        return fail(ps, "expression too deeply nested");
    switch (*ps->p) {
    case '(':
        ps->p++;
        if (!parse_or(ps, v))
            return false;
        skip_space(ps);
        if (*ps->p != ')')
            return fail(ps, "')' expected");
        ps->p++;
        break;
    case '-':
        ps->p++;
        if (!parse_primary(ps, v))
            return false;
        *v = -*v;
        break;
    case '+':
        ps->p++;
        if (!parse_primary(ps, v))
            return false;
        break;
    case '~':
        ps->p++;
        if (!parse_primary(ps, v))
            return false;
        *v = ~*v;
        break;
    case '$':
        if (!parse_register(ps, v))
            return false;
        break;
    default:
        if (!g_ascii_isdigit(*ps->p))
            return fail(ps, *ps->p ? "invalid character in expression"
                                   : "missing value");
        *v = g_ascii_strtoull(ps->p, &end, 0);
        if (end == ps->p || g_ascii_isalnum(*end) || *end == '_')
            return fail(ps, "invalid number");
        ps->p = end;
        break;
    }
    ps->depth--;
    return true;
}

/* One precedence level: operands by next, operators listed in ops. */
typedef bool (*LevelFn)(Parser *ps, uint64_t *v);

static bool apply(Parser *ps, const char *op, uint64_t *v, uint64_t r)
{
    if (!strcmp(op, "*")) *v *= r;
    else if (!strcmp(op, "/") || !strcmp(op, "%")) {
        if (!r)
            return fail(ps, "division by zero");
        *v = op[0] == '/' ? *v / r : *v % r;
    }
    else if (!strcmp(op, "+")) *v += r;
    else if (!strcmp(op, "-")) *v -= r;
    else if (!strcmp(op, "<<")) *v = r >= 64 ? 0 : *v << r;
    else if (!strcmp(op, ">>")) *v = r >= 64 ? 0 : *v >> r;
    else if (!strcmp(op, "&")) *v &= r;
    else if (!strcmp(op, "^")) *v ^= r;
    else if (!strcmp(op, "|")) *v |= r;
    return true;
}

static bool parse_level(Parser *ps, uint64_t *v, LevelFn next,
                        const char *const *ops)
{
    if (!next(ps, v))
        return false;
    for (;;) {
        const char *op = NULL;
        uint64_t r;

        skip_space(ps);
        for (int i = 0; ops[i]; i++) {
            size_t n = strlen(ops[i]);

            /* "<<" is not "<" twice; a lone '<' is no operator here. */
            if (!strncmp(ps->p, ops[i], n)) {
                op = ops[i];
                break;
            }
        }
        if (!op)
            return true;
        ps->p += strlen(op);
        if (!next(ps, &r) || !apply(ps, op, v, r))
            return false;
    }
}

static bool parse_mul(Parser *ps, uint64_t *v)
{
    static const char *const ops[] = { "*", "/", "%", NULL };

    return parse_level(ps, v, parse_primary, ops);
}

static bool parse_add(Parser *ps, uint64_t *v)
{
    static const char *const ops[] = { "+", "-", NULL };

    return parse_level(ps, v, parse_mul, ops);
}

static bool parse_shift(Parser *ps, uint64_t *v)
{
    static const char *const ops[] = { "<<", ">>", NULL };

    return parse_level(ps, v, parse_add, ops);
}

static bool parse_and(Parser *ps, uint64_t *v)
{
    static const char *const ops[] = { "&", NULL };

    return parse_level(ps, v, parse_shift, ops);
}

static bool parse_xor(Parser *ps, uint64_t *v)
{
    static const char *const ops[] = { "^", NULL };

    return parse_level(ps, v, parse_and, ops);
}

static bool parse_or(Parser *ps, uint64_t *v)
{
    static const char *const ops[] = { "|", NULL };

    return parse_level(ps, v, parse_xor, ops);
}

bool hmp_eval_expr(CPUState *cpu, const char *expr, uint64_t *val, char **err)
{
    Parser ps = { .p = expr, .cpu = cpu };

    if (parse_or(&ps, val)) {
        skip_space(&ps);
        if (!*ps.p)
            return true;
        fail(&ps, "junk at the end of the expression");
    }
    *err = g_strdup_printf("%s: %s", ps.err, expr);
    g_free(ps.err);
    return false;
}
