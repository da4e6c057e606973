/*
 * The strict JSON check of a QMP message (monitor-internal.h), before
 * json-glib builds its tree.  json-glib takes more than JSON (hex numbers,
 * single quotes, comments, leading zeros) and silently mangles some of
 * what it takes (an integer past 64 bits becomes -1, a string is cut at
 * \u0000), so a message must first be RFC 8259 JSON here, with integers
 * that fit 64 bits, strings of valid UTF-8 without NUL and bounded
 * nesting; anything else gets a clear error naming the byte where it
 * went wrong.  The check also finds the raw text of the request's "id",
 * which the reply echoes as given (a number such as 1e999 has no exact
 * double, and printed back from one it would not be JSON).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "monitor-internal.h"

typedef struct JsonCheck {
    const char *s;
    size_t len, pos;
    int depth, max_depth;
    char *err;
    size_t id_off, id_len; /* the top-level "id" value; len 0: none */
} JsonCheck;

static bool fail(JsonCheck *c, const char *what)
{
    if (!c->err)
        c->err = g_strdup_printf("%s at byte %zu", what, c->pos);
    return false;
}

static int peek(const JsonCheck *c)
{
    return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static void skip_ws(JsonCheck *c)
{
    while (c->pos < c->len && strchr(" \t\r\n", c->s[c->pos]) && c->s[c->pos])
        c->pos++;
}

static bool literal(JsonCheck *c, const char *word)
{
    size_t n = strlen(word);

    if (c->len - c->pos < n || memcmp(c->s + c->pos, word, n) != 0)
        return fail(c, "invalid literal");
    c->pos += n;
    return true;
}

static size_t digits(JsonCheck *c)
{
    size_t start = c->pos;

    while (c->pos < c->len && g_ascii_isdigit(c->s[c->pos]))
        c->pos++;
    return c->pos - start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; an integer must fit
   64 bits (json-glib's integers are gint64). */
static bool number(JsonCheck *c)
{
    size_t start = c->pos;
    bool integer = true;

    if (peek(c) == '-')
        c->pos++;
    if (peek(c) == '0')
        c->pos++;
    else if (!digits(c))
        return fail(c, "invalid number");
    if (peek(c) == '.') {
        c->pos++;
        integer = false;
        if (!digits(c))
            return fail(c, "invalid number");
    }
    if (peek(c) == 'e' || peek(c) == 'E') {
        c->pos++;
        integer = false;
        if (peek(c) == '+' || peek(c) == '-')
            c->pos++;
        if (!digits(c))
            return fail(c, "invalid number");
    }
    if (integer) {
        g_autofree char *text = g_strndup(c->s + start, c->pos - start);

        errno = 0;
        strtoll(text, NULL, 10);
        if (errno == ERANGE) {
            c->pos = start;
            return fail(c, "integer out of range");
        }
    }
    return true;
}

static int hex4(const JsonCheck *c, size_t at)
{
    int v = 0;

    if (c->len - at < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(c->s[at + i]);

        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* \uXXXX, or a surrogate pair of two; c->pos is at the 'u'. */
static bool unicode_escape(JsonCheck *c)
{
    int u = hex4(c, c->pos + 1);

    if (u < 0)
        return fail(c, "invalid \\u escape");
    if (u == 0)
        return fail(c, "\\u0000 (NUL) in a string");
    c->pos += 5;
    if (u >= 0xdc00 && u <= 0xdfff)
        return fail(c, "lone low surrogate in a \\u escape");
    if (u >= 0xd800 && u <= 0xdbff) {
        int lo = c->len - c->pos >= 2 && c->s[c->pos] == '\\' &&
                         c->s[c->pos + 1] == 'u'
                     ? hex4(c, c->pos + 2)
                     : -1;

        if (lo < 0xdc00 || lo > 0xdfff)
            return fail(c, "lone high surrogate in a \\u escape");
        c->pos += 6;
    }
    return true;
}

/* Whether a member name, raw between its quotes, decodes to "id" (also
   spelt with escapes, as json-glib decodes it). */
static bool says_id(const char *raw, size_t len, bool escaped)
{
    char name[3];
    size_t n = 0;

    if (!escaped)
        return len == 2 && !memcmp(raw, "id", 2);
    /* The escapes were checked: \uXXXX or \ and one character. */
    for (size_t i = 0; i < len; i++) {
        char ch = raw[i];

        if (n == sizeof(name))
            return false;
        if (ch == '\\' && raw[i + 1] == 'u') {
            char hex[5] = {raw[i + 2], raw[i + 3], raw[i + 4], raw[i + 5]};
            unsigned long v = strtoul(hex, NULL, 16);

            ch = v < 0x80 ? (char)v : '?';
            i += 5;
        } else if (ch == '\\') {
            ch = raw[++i];
        }
        name[n++] = ch;
    }
    return n == 2 && name[0] == 'i' && name[1] == 'd';
}

/* A string; if is_id is given, whether it says "id". */
static bool string(JsonCheck *c, bool *is_id)
{
    size_t start = ++c->pos; /* after the quote */
    bool escaped = false;

    for (;;) {
        int ch = peek(c);

        if (ch < 0)
            return fail(c, "unterminated string");
        if (ch == '"')
            break;
        if (ch < 0x20)
            return fail(c, ch ? "control character in a string"
                              : "NUL byte in a string");
        if (ch != '\\') {
            c->pos++;
            continue;
        }
        escaped = true;
        c->pos++;
        ch = peek(c);
        if (ch == 'u') {
            if (!unicode_escape(c))
                return false;
        } else if (ch >= 0 && strchr("\"\\/bfnrt", ch) && ch) {
            c->pos++;
        } else {
            return fail(c, "invalid escape in a string");
        }
    }
    if (!g_utf8_validate(c->s + start, (gssize)(c->pos - start), NULL)) {
        c->pos = start;
        return fail(c, "invalid UTF-8 in a string");
    }
    if (is_id)
        *is_id = says_id(c->s + start, c->pos - start, escaped);
    c->pos++; /* the closing quote */
    return true;
}

static bool value(JsonCheck *c);

static bool object(JsonCheck *c)
{
    bool top = c->depth == 1;

    c->pos++;
    skip_ws(c);
    if (peek(c) == '}') {
        c->pos++;
        return true;
    }
    for (;;) {
        bool is_id = false;
        size_t val_start;

        skip_ws(c);
        if (peek(c) != '"')
            return fail(c, "expected a member name");
        if (!string(c, &is_id))
            return false;
        skip_ws(c);
        if (peek(c) != ':')
            return fail(c, "expected ':'");
        c->pos++;
        skip_ws(c);
        val_start = c->pos;
        if (!value(c))
            return false;
        if (top && is_id) {
            /* The last one counts, as in json-glib's tree. */
            c->id_off = val_start;
            c->id_len = c->pos - val_start;
        }
        skip_ws(c);
        if (peek(c) == '}') {
            c->pos++;
            return true;
        }
        if (peek(c) != ',')
            return fail(c, "expected ',' or '}'");
        c->pos++;
    }
}

static bool array(JsonCheck *c)
{
    c->pos++;
    skip_ws(c);
    if (peek(c) == ']') {
        c->pos++;
        return true;
    }
    for (;;) {
        skip_ws(c);
        if (!value(c))
            return false;
        skip_ws(c);
        if (peek(c) == ']') {
            c->pos++;
            return true;
        }
        if (peek(c) != ',')
            return fail(c, "expected ',' or ']'");
        c->pos++;
    }
}

static bool value(JsonCheck *c)
{
    int ch = peek(c);
    bool ok;

    switch (ch) {
    case '{':
    case '[':
        if (++c->depth > c->max_depth)
            return fail(c, "nested too deeply");
        ok = ch == '{' ? object(c) : array(c);
        c->depth--;
        return ok;
    case '"':
        return string(c, NULL);
    case 't':
        return literal(c, "true");
    case 'f':
        return literal(c, "false");
    case 'n':
        return literal(c, "null");
    case -1:
        return fail(c, "unexpected end of input");
    default:
        if (ch == '-' || g_ascii_isdigit(ch))
            return number(c);
        return fail(c, ch ? "invalid character" : "NUL byte");
    }
}

bool qmp_json_check(const char *text, size_t len, int max_depth, size_t *id_off,
                    size_t *id_len, char **err)
{
    JsonCheck c = {.s = text, .len = len, .max_depth = max_depth};

    skip_ws(&c);
    if (value(&c)) {
        skip_ws(&c);
        if (c.pos < c.len)
            fail(&c, "unexpected text after the value");
    }
    *id_off = c.id_off;
    *id_len = c.err ? 0 : c.id_len;
    *err = c.err;
    return !c.err;
}

char *qmp_json_compact(const char *text, size_t len)
{
    GString *out = g_string_sized_new(len);
    bool in_string = false, escaped = false;

    for (size_t i = 0; i < len; i++) {
        char ch = text[i];

        if (in_string) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (strchr(" \t\r\n", ch)) {
            continue;
        }
        g_string_append_c(out, ch);
    }
    return g_string_free(out, FALSE);
}
