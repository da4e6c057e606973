/* needs: none */
/*
 * Tests of the strict JSON check in front of QMP's parser
 * (monitor/qmp-json.c): RFC 8259 JSON passes, what json-glib would take
 * or mangle beyond it (hex, quotes, comments, huge integers, NUL, bad
 * UTF-8, lone surrogates, deep nesting) is refused with the byte where it
 * went wrong, and the raw text of a request's "id" is found.
 */
#include <glib.h>

#include "monitor/monitor-internal.h"
#include "unit.h"

static bool check(const char *text, size_t len, char **id, char **err)
{
    size_t off, n;
    bool ok = qmp_json_check(text, len, 64, &off, &n, err);

    *id = n ? qmp_json_compact(text + off, n) : NULL;
    return ok;
}

TEST(json_accepted)
{
    static const char *const good[] = {
        "{}",
        " [ ] ",
        "{\"a\": [1, -0, 0.5e-3, 1E+2, true, false, null]}",
        "\"\\u00e9\\ud83d\\ude00 caf\xc3\xa9 \\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "{\"id\": 1e999}",
        "-9223372036854775808",
        "9223372036854775807",
        "123456789012345678901234567890.5",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autofree char *id = NULL, *err = NULL;

        if (!check(good[i], strlen(good[i]), &id, &err))
            printf("#   %s: %s\n", good[i], err);
        EXPECT(err == NULL);
    }
}

TEST(json_refused)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        const char *msg;
    } bad[] = {
        {"{\"id\": 0x10}", 0, "expected ',' or '}' at byte 8"},
        {"{\"id\": 'x'}", 0, "invalid character at byte 7"},
        {"[.5]", 0, "invalid character at byte 1"},
        {"[1.]", 0, "invalid number at byte 3"},
        {"[01]", 0, "expected ',' or ']' at byte 2"},
        {"[+1]", 0, "invalid character"},
        {"[1,]", 0, "invalid character at byte 3"},
        {"{\"a\": 1,}", 0, "expected a member name"},
        {"[1 /* c */]", 0, "expected ',' or ']'"},
        {"[NaN]", 0, "invalid character at byte 1"},
        {"[Infinity]", 0, "invalid character"},
        {"[tru]", 0, "invalid literal"},
        {"{\"id\": 99999999999999999999}", 0, "integer out of range at byte 7"},
        {"[-9223372036854775809]", 0, "integer out of range"},
        {"[\"a\\u0000b\"]", 0, "\\u0000 (NUL) in a string"},
        {"[\"a\0b\"]", 7, "NUL byte in a string at byte 3"},
        {"[1]\0", 4, "unexpected text after the value at byte 3"},
        {"\0", 1, "NUL byte at byte 0"},
        {"[\"\xff\xfe\"]", 0, "invalid UTF-8 in a string at byte 2"},
        {"[\"\xc0\x80\"]", 0, "invalid UTF-8"},
        {"[\"a\nb\"]", 0, "control character in a string"},
        {"[\"\\ud800\"]", 0, "lone high surrogate"},
        {"[\"\\udc00\"]", 0, "lone low surrogate"},
        {"[\"\\ud800\\u0041\"]", 0, "lone high surrogate"},
        {"[\"\\x41\"]", 0, "invalid escape"},
        {"[\"\\u12G4\"]", 0, "invalid \\u escape"},
        {"{\"a\": \"unterminated", 0, "unterminated string"},
        {"{\"a\" 1}", 0, "expected ':'"},
        {"[1] [2]", 0, "unexpected text after the value at byte 4"},
        {"", 0, "unexpected end of input at byte 0"},
        {"{\"execute\": ", 0, "unexpected end of input"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *id = NULL, *err = NULL;
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
        bool ok = check(bad[i].text, len, &id, &err);

        if (ok || !strstr(err, bad[i].msg))
            printf("#   case %zu (%s): got %s\n", i, bad[i].text,
                   ok ? "(accepted)" : err);
        EXPECT(!ok && strstr(err, bad[i].msg));
        EXPECT(id == NULL);
    }
}

TEST(json_nesting_is_bounded)
{
    GString *deep = g_string_new(NULL);
    g_autofree char *id = NULL, *err = NULL;

    for (int i = 0; i < 64; i++)
        g_string_append_c(deep, '[');
    for (int i = 0; i < 64; i++)
        g_string_append_c(deep, ']');
    EXPECT(check(deep->str, deep->len, &id, &err));
    g_string_insert_c(deep, 0, '[');
    g_string_append_c(deep, ']');
    EXPECT(!check(deep->str, deep->len, &id, &err));
    EXPECT(err && strstr(err, "nested too deeply at byte 64"));
    g_string_free(deep, TRUE);
}

TEST(json_finds_the_id)
{
    static const struct {
        const char *text, *id;
    } cases[] = {
        {"{\"execute\": \"x\", \"id\" : {\"n\" : [1, \"} \\\" \"]} }",
         "{\"n\":[1,\"} \\\" \"]}"},
        {"{\"id\": 1e999}", "1e999"},
        {"{\"id\": -1E999, \"execute\": \"x\"}", "-1E999"},
        {"{\"id\": \"caf\\u00e9\"}", "\"caf\\u00e9\""},
        {"{\"\\u0069d\": 5}", "5"},
        {"{\"i\\u0064\": 6, \"idx\": 7}", "6"},
        {"{\"id\": 1, \"id\": 2}", "2"},
        {"{\"a\": {\"id\": 1}}", NULL},
        {"[{\"id\": 1}]", NULL},
        {"{\"ID\": 1}", NULL},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *id = NULL, *err = NULL;

        EXPECT(check(cases[i].text, strlen(cases[i].text), &id, &err));
        if (g_strcmp0(id, cases[i].id) != 0)
            printf("#   %s: id %s, want %s\n", cases[i].text, id, cases[i].id);
        EXPECT(g_strcmp0(id, cases[i].id) == 0);
    }
}

int main(void)
{
    return unit_run();
}
