/*
 * 9P message encoding (hw/9pfs/9p-internal.h): every read of a request
 * is checked against its length, so a short or lying message sets a flag
 * instead of reading past it, and every write of a reply is checked
 * against the room the guest gave, so a reply that does not fit sets a
 * flag instead of overflowing.  Also the checks of names and paths.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "9p-internal.h"

static bool take(P9In *in, size_t n)
{
    if (in->err || in->len - in->pos < n) {
        in->err = true;
        return false;
    }
    return true;
}

static uint64_t get_le(P9In *in, int bytes)
{
    uint64_t v = 0;

    if (!take(in, (size_t)bytes))
        return 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)in->buf[in->pos + (size_t)i] << (8 * i);
    in->pos += (size_t)bytes;
    return v;
}

uint8_t p9_get8(P9In *in) { return (uint8_t)get_le(in, 1); }
uint16_t p9_get16(P9In *in) { return (uint16_t)get_le(in, 2); }
uint32_t p9_get32(P9In *in) { return (uint32_t)get_le(in, 4); }
uint64_t p9_get64(P9In *in) { return get_le(in, 8); }

char *p9_getstr(P9In *in)
{
    size_t n = p9_get16(in);
    char *s;

    if (!take(in, n))
        return NULL;
    if (memchr(in->buf + in->pos, '\0', n)) {
        in->err = true;
        return NULL;
    }
    s = g_strndup((const char *)in->buf + in->pos, n);
    in->pos += n;
    return s;
}

size_t p9_room(const P9Out *out)
{
    return out->overflow ? 0 : out->cap - out->pos;
}

void p9_putbytes(P9Out *out, const void *p, size_t len)
{
    if (p9_room(out) < len) {
        out->overflow = true;
        return;
    }
    if (len)
        memcpy(out->buf + out->pos, p, len);
    out->pos += len;
}

static void put_le(P9Out *out, uint64_t v, int bytes)
{
    uint8_t b[8];

    for (int i = 0; i < bytes; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    p9_putbytes(out, b, (size_t)bytes);
}

void p9_put8(P9Out *out, uint8_t v) { put_le(out, v, 1); }
void p9_put16(P9Out *out, uint16_t v) { put_le(out, v, 2); }
void p9_put32(P9Out *out, uint32_t v) { put_le(out, v, 4); }
void p9_put64(P9Out *out, uint64_t v) { put_le(out, v, 8); }

void p9_putstr(P9Out *out, const char *s)
{
    size_t n = strlen(s);

    if (n > UINT16_MAX) {
        out->overflow = true;
        return;
    }
    p9_put16(out, (uint16_t)n);
    p9_putbytes(out, s, n);
}

void p9_putqid(P9Out *out, const P9Qid *qid)
{
    p9_put8(out, qid->type);
    p9_put32(out, qid->version);
    p9_put64(out, qid->path);
}

void p9_poke32(P9Out *out, size_t offset, uint32_t v)
{
    if (offset + 4 > out->cap)
        return;
    for (int i = 0; i < 4; i++)
        out->buf[offset + (size_t)i] = (uint8_t)(v >> (8 * i));
}

int p9_name_check(const char *name)
{
    if (!*name || strchr(name, '/'))
        return -ENOENT;
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return -EINVAL;
    if (strlen(name) > P9_NAME_MAX)
        return -ENAMETOOLONG;
    return 0;
}

char *p9_path_join(const char *dir, const char *name)
{
    char *p = *dir ? g_strconcat(dir, "/", name, NULL) : g_strdup(name);

    if (strlen(p) > P9_PATH_MAX) {
        g_free(p);
        return NULL;
    }
    return p;
}

bool p9_path_split(const char *path, char **dir, char **name)
{
    const char *slash = strrchr(path, '/');

    if (!*path)
        return false;
    *dir = slash ? g_strndup(path, (gsize)(slash - path)) : g_strdup("");
    *name = g_strdup(slash ? slash + 1 : path);
    return true;
}
