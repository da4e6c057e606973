/* needs: riscv64-softmmu */
/*
 * Tests of the virtio-9p device and its 9P2000.L server (hw/9pfs/) by a
 * client that speaks the protocol through the device's virtqueue, as the
 * guest's kernel would, on a temporary folder.  Most cases are escape
 * attempts by a hostile guest: ".." walks, symlinks pointing out, names
 * with '/', hard links and renames out of the folder, device nodes and
 * FIFOs, a symlink swapped in while the client walks and opens, a file
 * renamed between walk and open, long names and walks; none may reach a
 * host file outside the folder, open a host device, or block.  The rest
 * checks the protocol itself (msize, framing, readdir offsets, xattrs,
 * the mapped-xattr credentials, readonly shares).
 *
 * Layout of each test's temporary directory:
 *   BASE/secret         "SECRET", outside the share
 *   BASE/outdir/f       "OUTSIDE"
 *   BASE/share/         the shared folder
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <glib.h>

#include "../../hw/9pfs/9p-internal.h"
#include "mimic/9p.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define MSIZE 65536
#define BUF (MSIZE + 4096)
#define F_V1 (1ull << VIRTIO_F_VERSION_1)
#define ROOT 1                     /* the attached fid */

enum {
    TLERROR = 6, TSTATFS = 8, TLOPEN = 12, TLCREATE = 14, TSYMLINK = 16,
    TMKNOD = 18, TRENAME = 20, TREADLINK = 22, TGETATTR = 24, TSETATTR = 26,
    TXATTRWALK = 30, TXATTRCREATE = 32, TREADDIR = 40, TFSYNC = 50,
    TLOCK = 52, TGETLOCK = 54, TLINK = 70, TMKDIR = 72, TRENAMEAT = 74,
    TUNLINKAT = 76, TVERSION = 100, TATTACH = 104, TFLUSH = 108,
    TWALK = 110, TREAD = 116, TWRITE = 118, TCLUNK = 120, TREMOVE = 122,
};

static char *base, *share;
static uint64_t req_addr, rep_addr;
static uint32_t rep_cap = BUF;
static int nshare;

/* ---- Messages ---- */

typedef struct Msg {
    uint8_t b[BUF];
    size_t n;
} Msg;

static Msg m;

typedef struct Reply {
    uint8_t b[BUF];
    size_t n, pos;
    uint8_t type;
} Reply;

static Reply r;

static void put(const void *p, size_t n)
{
    g_assert(m.n + n <= sizeof(m.b));
    memcpy(m.b + m.n, p, n);
    m.n += n;
}

static void p8(uint8_t v) { put(&v, 1); }
static void p16(uint16_t v) { v = GUINT16_TO_LE(v); put(&v, 2); }
static void p32(uint32_t v) { v = GUINT32_TO_LE(v); put(&v, 4); }
static void p64(uint64_t v) { v = GUINT64_TO_LE(v); put(&v, 8); }

static void pstr(const char *s)
{
    p16((uint16_t)strlen(s));
    put(s, strlen(s));
}

static void begin(uint8_t type)
{
    m.n = 0;
    p32(0);
    p8(type);
    p16(0x1234);
}

static uint64_t g(int bytes)
{
    uint64_t v = 0;

    g_assert(r.pos + (size_t)bytes <= r.n);
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r.b[r.pos + (size_t)i] << (8 * i);
    r.pos += (size_t)bytes;
    return v;
}

static void skip(size_t n)
{
    g_assert(r.pos + n <= r.n);
    r.pos += n;
}

static char *gstr(void)
{
    size_t n = g(2);
    char *s;

    g_assert(r.pos + n <= r.n);
    s = g_strndup((const char *)r.b + r.pos, n);
    r.pos += n;
    return s;
}

/* Sends raw bytes (len of them, the size field as written) and gets the
   reply; returns the used length the device reported. */
static uint32_t send_raw(size_t len, uint32_t cap)
{
    uint32_t id, used;

    memcpy(vt_ptr(req_addr, len ? len : 1), m.b, len);
    memset(vt_ptr(rep_addr, BUF), 0xee, BUF);
    vt_add(0, (VTBuf[]){ { req_addr, (uint32_t)len, false },
                         { rep_addr, cap, true } }, 2);
    vt_kick(0);
    g_assert(vt_used_count(0) == 1);
    vt_used_next(0, &id, &used);
    g_assert(used <= cap);
    memcpy(r.b, vt_ptr(rep_addr, BUF), used);
    r.n = used;
    r.pos = 7;
    r.type = used >= 7 ? r.b[4] : 0;
    return used;
}

/* Sends m; returns 0 for the expected R-message (the reply's body is then
   read with g and gstr), or -errno for Rlerror. */
static int rpc(void)
{
    uint8_t type = m.b[4];
    uint32_t size = GUINT32_TO_LE((uint32_t)m.n);

    memcpy(m.b, &size, 4);
    send_raw(m.n, rep_cap);
    g_assert(r.n >= 7);
    EXPECT_EQ(r.b[0] | r.b[1] << 8 | r.b[2] << 16 | (uint32_t)r.b[3] << 24,
              r.n);
    EXPECT_EQ(r.b[5] | r.b[6] << 8, 0x1234);
    if (r.type == TLERROR + 1)
        return -(int)g(4);
    EXPECT_EQ(r.type, type + 1);
    return 0;
}

/* ---- Requests ---- */

static int t_version(uint32_t msize, const char *version, uint32_t *got,
                     char **vgot)
{
    int e;

    begin(TVERSION);
    p32(msize);
    pstr(version);
    if ((e = rpc()))
        return e;
    *got = (uint32_t)g(4);
    *vgot = gstr();
    return 0;
}

static int t_attach(uint32_t fid, uint32_t uid)
{
    begin(TATTACH);
    p32(fid);
    p32(~0u);
    pstr("user");
    pstr("");
    p32(uid);
    return rpc();
}

/* Walks names (NULL-terminated) from fid to newfid; returns the number of
   qids (the last one's type in *qtype) or -errno. */
static int t_walkv(uint32_t fid, uint32_t newfid, const char *const *names,
                   uint8_t *qtype, uint64_t *qpath)
{
    int n = 0, e;

    begin(TWALK);
    p32(fid);
    p32(newfid);
    while (names[n])
        n++;
    p16((uint16_t)n);
    for (int i = 0; i < n; i++)
        pstr(names[i]);
    if ((e = rpc()))
        return e;
    n = (int)g(2);
    for (int i = 0; i < n; i++) {
        uint8_t t = (uint8_t)g(1);
        uint64_t p;

        g(4);
        p = g(8);
        if (qtype)
            *qtype = t;
        if (qpath)
            *qpath = p;
    }
    return n;
}

#define WALK(fid, newfid, ...) \
    t_walkv(fid, newfid, (const char *const[]){ __VA_ARGS__, NULL }, NULL, NULL)

static int t_clunk(uint32_t fid)
{
    begin(TCLUNK);
    p32(fid);
    return rpc();
}

static int t_lopen(uint32_t fid, uint32_t flags)
{
    begin(TLOPEN);
    p32(fid);
    p32(flags);
    return rpc();
}

static int t_lcreate(uint32_t fid, const char *name, uint32_t flags,
                     uint32_t mode, uint32_t gid)
{
    begin(TLCREATE);
    p32(fid);
    pstr(name);
    p32(flags);
    p32(mode);
    p32(gid);
    return rpc();
}

/* Reads up to count bytes into buf (NUL-terminated); bytes or -errno. */
static int t_read(uint32_t fid, uint64_t off, uint32_t count, char *buf)
{
    int e;
    uint32_t n;

    begin(TREAD);
    p32(fid);
    p64(off);
    p32(count);
    if ((e = rpc()))
        return e;
    n = (uint32_t)g(4);
    g_assert(r.pos + n <= r.n);
    if (buf) {
        memcpy(buf, r.b + r.pos, n);
        buf[n] = '\0';
    }
    return (int)n;
}

static int t_write(uint32_t fid, uint64_t off, const char *data)
{
    int e;

    begin(TWRITE);
    p32(fid);
    p64(off);
    p32((uint32_t)strlen(data));
    put(data, strlen(data));
    if ((e = rpc()))
        return e;
    return (int)g(4);
}

typedef struct Attr {
    uint8_t qtype;
    uint64_t qpath;
    uint32_t mode, uid, gid;
    uint64_t rdev, size;
} Attr;

static int t_getattr(uint32_t fid, Attr *a)
{
    int e;

    begin(TGETATTR);
    p32(fid);
    p64(0x7ff);
    if ((e = rpc()))
        return e;
    EXPECT_EQ(g(8), 0x7ff);
    a->qtype = (uint8_t)g(1);
    g(4);
    a->qpath = g(8);
    a->mode = (uint32_t)g(4);
    a->uid = (uint32_t)g(4);
    a->gid = (uint32_t)g(4);
    g(8);
    a->rdev = g(8);
    a->size = g(8);
    return 0;
}

static int t_mkdir(uint32_t dfid, const char *name, uint32_t mode)
{
    begin(TMKDIR);
    p32(dfid);
    pstr(name);
    p32(mode);
    p32(0);
    return rpc();
}

static int t_symlink(uint32_t dfid, const char *name, const char *target)
{
    begin(TSYMLINK);
    p32(dfid);
    pstr(name);
    pstr(target);
    p32(0);
    return rpc();
}

static int t_mknod(uint32_t dfid, const char *name, uint32_t mode,
                   uint32_t major, uint32_t minor)
{
    begin(TMKNOD);
    p32(dfid);
    pstr(name);
    p32(mode);
    p32(major);
    p32(minor);
    p32(0);
    return rpc();
}

static int t_readlink(uint32_t fid, char **target)
{
    int e;

    begin(TREADLINK);
    p32(fid);
    if ((e = rpc()))
        return e;
    *target = gstr();
    return 0;
}

static int t_renameat(uint32_t ofid, const char *oname, uint32_t nfid,
                      const char *nname)
{
    begin(TRENAMEAT);
    p32(ofid);
    pstr(oname);
    p32(nfid);
    pstr(nname);
    return rpc();
}

static int t_unlinkat(uint32_t dfid, const char *name, uint32_t flags)
{
    begin(TUNLINKAT);
    p32(dfid);
    pstr(name);
    p32(flags);
    return rpc();
}

static int t_link(uint32_t dfid, uint32_t fid, const char *name)
{
    begin(TLINK);
    p32(dfid);
    p32(fid);
    pstr(name);
    return rpc();
}

static int t_setattr_mode(uint32_t fid, uint32_t mode)
{
    begin(TSETATTR);
    p32(fid);
    p32(1);
    p32(mode);
    p32(0);
    p32(0);
    p64(0);
    for (int i = 0; i < 4; i++)
        p64(0);
    return rpc();
}

static int t_xattrwalk(uint32_t fid, uint32_t newfid, const char *name,
                       uint64_t *size)
{
    int e;

    begin(TXATTRWALK);
    p32(fid);
    p32(newfid);
    pstr(name);
    if ((e = rpc()))
        return e;
    *size = g(8);
    return 0;
}

/* ---- Fixtures ---- */

static void write_file(const char *path, const char *data)
{
    g_assert(g_file_set_contents(path, data, -1, NULL));
}

static char *sp(const char *rel)
{
    return g_build_filename(share, rel, NULL);
}

static char *read_host(const char *rel)
{
    g_autofree char *p = sp(rel);
    char *data = NULL;

    if (!g_file_get_contents(p, &data, NULL, NULL))
        return NULL;
    return data;
}

static void rm_rf(const char *path)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", path);

    g_assert(system(cmd) == 0);
}

/* A fresh folder tree and a device sharing it with opts, started and
   attached as fid ROOT (uid 1000). */
static void setup(const char *opts)
{
    g_autofree char *secret = NULL, *outdir = NULL, *outf = NULL;
    g_autofree char *spec = NULL, *id = NULL, *err = NULL, *v = NULL;
    VirtIODevice *vdev;
    uint32_t msize = 0;

    if (base)
        rm_rf(base);
    g_free(base);
    g_free(share);
    base = g_dir_make_tmp("mimic-9p-XXXXXX", NULL);
    g_assert(base);
    secret = g_build_filename(base, "secret", NULL);
    outdir = g_build_filename(base, "outdir", NULL);
    outf = g_build_filename(outdir, "f", NULL);
    share = g_build_filename(base, "share", NULL);
    write_file(secret, "SECRET");
    g_assert(mkdir(outdir, 0755) == 0 && mkdir(share, 0755) == 0);
    write_file(outf, "OUTSIDE");
    id = g_strdup_printf("fs%d", nshare++);
    spec = g_strdup_printf("local,id=%s,path=%s,%s", id, share, opts);
    g_assert(fsdev_new(spec, &err));
    vdev = virtio_9p_create(id, "host0", &err);
    g_assert(vdev);
    vt_plug(vdev);
    vt_start(F_V1, 16);
    req_addr = vt_alloc(BUF, 0);
    rep_addr = vt_alloc(BUF, 0);
    rep_cap = BUF;
    g_assert(t_version(MSIZE, "9P2000.L", &msize, &v) == 0);
    g_assert(msize == MSIZE);
    g_assert(t_attach(ROOT, 1000) == 0);
}

#define MAPPED "security_model=mapped-xattr"
#define PASS "security_model=passthrough"

static uint32_t nfid = 100;

/* A new fid walked to names from the root, or 0 if the walk failed. */
static uint32_t walk_to(const char *const *names)
{
    uint32_t f = nfid++;
    int n = 0;

    while (names[n])
        n++;
    return t_walkv(ROOT, f, names, NULL, NULL) == n ? f : 0;
}

#define FID(...) walk_to((const char *const[]){ __VA_ARGS__, NULL })
/* A fid of the root to create with (Tlcreate turns it into the file). */
#define DIRFID() FID(".")

/* Opens names read-only and returns what it reads, or NULL. */
static char *cat(const char *const *names)
{
    char buf[256];
    uint32_t f = walk_to(names);

    if (!f)
        return NULL;
    if (t_lopen(f, O_RDONLY) || t_read(f, 0, 200, buf) < 0) {
        t_clunk(f);
        return NULL;
    }
    t_clunk(f);
    return g_strdup(buf);
}

#define CAT(...) cat((const char *const[]){ __VA_ARGS__, NULL })

/* ---- The device ---- */

TEST(config_space_holds_the_mount_tag)
{
    setup(MAPPED);
    EXPECT_EQ(vt_rd(VT_DEVICE_ID), 9);
    EXPECT_EQ(vt_rd(VT_DEVICE_FEATURES) & 1, 1);        /* MOUNT_TAG */
    EXPECT_EQ(vt_rd(VT_CONFIG) & 0xffff, 5);
    EXPECT(!memcmp(vt.vdev->config + 2, "host0", 5));
}

TEST(bad_device_options_are_errors)
{
    char *err = NULL;

    setup(MAPPED);
    EXPECT(!virtio_9p_create("nope", "t", &err));
    EXPECT(err && strstr(err, "couldn't find fsdev"));
    g_free(err);
    err = NULL;
    EXPECT(!virtio_9p_create("fs0", "0123456789012345678901234567890123",
                             &err));
    EXPECT(err && strstr(err, "longer than maximum (31 bytes)"));
    g_free(err);
    err = NULL;
    EXPECT(!fsdev_new("local,id=x,path=/tmp,security_model=mapped-file", &err));
    EXPECT(err && strstr(err, "not supported"));
    g_free(err);
}

/* ---- Protocol ---- */

TEST(version_negotiates_msize)
{
    uint32_t msize = 0;
    char *v = NULL;

    setup(MAPPED);
    EXPECT_EQ(t_version(1u << 30, "9P2000.L", &msize, &v), 0);
    EXPECT_EQ(msize, V9FS_MAX_MSIZE);
    EXPECT_STREQ(v, "9P2000.L");
    g_free(v);
    EXPECT_EQ(t_version(8192, "9P2000.u", &msize, &v), 0);
    EXPECT_STREQ(v, "unknown");
    g_free(v);
    EXPECT_EQ(t_version(100, "9P2000.L", &msize, &v), -EMSGSIZE);
    /* A new session drops the fids of the old one. */
    EXPECT_EQ(t_version(8192, "9P2000.L", &msize, &v), 0);
    g_free(v);
    EXPECT_EQ(msize, 8192);
    EXPECT_EQ(t_clunk(ROOT), -ENOENT);
}

TEST(malformed_messages_get_errors_not_overflows)
{
    setup(MAPPED);
    /* A size field larger than the buffer. */
    begin(TCLUNK);
    p32(ROOT);
    m.b[0] = 0xff; m.b[1] = 0xff; m.b[2] = 0; m.b[3] = 0;
    EXPECT_EQ(send_raw(m.n, BUF), 11);
    EXPECT_EQ(r.type, TLERROR + 1);
    EXPECT_EQ(g(4), EINVAL);
    /* A string that runs past the message. */
    begin(TWALK);
    p32(ROOT);
    p32(2);
    p16(1);
    p16(500);
    put("ab", 2);
    EXPECT_EQ(rpc(), -EINVAL);
    /* A message too short for its fields. */
    begin(TREAD);
    p32(ROOT);
    EXPECT_EQ(rpc(), -EINVAL);
    /* An unknown type, and an R-message sent as a request. */
    begin(250);
    EXPECT_EQ(rpc(), -EOPNOTSUPP);
    begin(TCLUNK + 1);
    EXPECT_EQ(rpc(), -EOPNOTSUPP);
    /* Less than a header: nothing to answer. */
    EXPECT_EQ(send_raw(3, BUF), 0);
    /* No room for even Rlerror: nothing written. */
    begin(TCLUNK);
    p32(999);
    m.b[0] = (uint8_t)m.n;
    EXPECT_EQ(send_raw(m.n, 8), 0);
    EXPECT_EQ(vt_ptr(rep_addr, 1)[0], 0xee);
    /* A reply that does not fit is ENOBUFS, written within the room. */
    Attr a;
    rep_cap = 40;
    EXPECT_EQ(t_getattr(ROOT, &a), -ENOBUFS);
    EXPECT_EQ(vt_ptr(rep_addr, 41)[40], 0xee);
    /* A walk whose reply does not fit makes no fid the guest never hears
       of; nor does an open open anything. */
    rep_cap = 20;
    EXPECT_EQ(WALK(ROOT, 300, "."), -ENOBUFS);
    rep_cap = BUF;
    EXPECT_EQ(t_clunk(300), -ENOENT);
    EXPECT_EQ(WALK(ROOT, 301, "."), 1);
    rep_cap = 20;
    EXPECT_EQ(t_lopen(301, O_RDONLY), -ENOBUFS);
    rep_cap = BUF;
    EXPECT_EQ(t_lopen(301, O_RDONLY), 0);
    EXPECT_EQ(t_getattr(ROOT, &a), 0);
    EXPECT(!vt_needs_reset());
}

TEST(messages_split_across_descriptors)
{
    uint32_t id, used, size;
    char buf[32];

    setup(MAPPED);
    begin(TWALK);
    p32(ROOT);
    p32(5);
    p16(1);
    pstr(".");
    size = GUINT32_TO_LE((uint32_t)m.n);
    memcpy(m.b, &size, 4);
    memcpy(vt_ptr(req_addr, m.n), m.b, m.n);
    /* The request in three pieces (3, 6, rest), the reply in two. */
    vt_add(0, (VTBuf[]){ { req_addr, 3, false },
                         { req_addr + 3, 6, false },
                         { req_addr + 9, (uint32_t)m.n - 9, false },
                         { rep_addr, 5, true },
                         { rep_addr + 5, 100, true } }, 5);
    vt_kick(0);
    EXPECT_EQ(vt_used_count(0), 1);
    vt_used_next(0, &id, &used);
    EXPECT_EQ(used, 7 + 2 + 13);
    EXPECT_EQ(vt_ptr(rep_addr, 5)[4], TWALK + 1);
    EXPECT_EQ(t_lopen(5, O_RDONLY), 0);
    EXPECT_EQ(t_read(5, 0, 10, buf), -EISDIR);
}

TEST(read_is_clamped_to_the_reply_buffer)
{
    char big[8192];
    g_autofree char *p = NULL;
    uint32_t f;

    setup(MAPPED);
    memset(big, 'x', sizeof(big));
    big[sizeof(big) - 1] = 0;
    p = sp("big");
    write_file(p, big);
    f = FID("big");
    EXPECT(f);
    EXPECT_EQ(t_lopen(f, O_RDONLY), 0);
    rep_cap = 1000;
    EXPECT_EQ(t_read(f, 0, 60000, NULL), 1000 - 11);
    rep_cap = BUF;
    EXPECT_EQ(t_read(f, 0, 60000, NULL), 8191);
    EXPECT_EQ(t_read(f, 1u << 20, 100, NULL), 0);
}

TEST(file_round_trip_and_attributes)
{
    char buf[256];
    g_autofree char *host = NULL;
    uint32_t f, d;
    Attr a;

    setup(MAPPED);
    d = FID("sub") ;
    EXPECT(!d);
    EXPECT_EQ(t_mkdir(ROOT, "sub", 0755), 0);
    d = FID("sub");
    EXPECT(d);
    EXPECT_EQ(t_lcreate(d, "hello", O_RDWR, 0644, 1000), 0);
    EXPECT_EQ(t_write(d, 0, "hi there"), 8);
    EXPECT_EQ(t_read(d, 3, 100, buf), 5);
    EXPECT_STREQ(buf, "there");
    host = read_host("sub/hello");
    EXPECT(host && !strcmp(host, "hi there"));
    f = FID("sub", "hello");
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.mode, S_IFREG | 0644);
    EXPECT_EQ(a.uid, 1000);
    EXPECT_EQ(a.size, 8);
    EXPECT_EQ(t_clunk(f), 0);
    EXPECT_EQ(t_clunk(d), 0);
    EXPECT_EQ(t_renameat(ROOT, "sub", ROOT, "moved"), 0);
    g_free(host);
    host = CAT("moved", "hello");
    EXPECT(host && !strcmp(host, "hi there"));
    EXPECT_EQ(t_unlinkat(ROOT, "moved", 0x200), -ENOTEMPTY);
    f = FID("moved");
    EXPECT_EQ(t_unlinkat(f, "hello", 0), 0);
    EXPECT_EQ(t_clunk(f), 0);
    EXPECT_EQ(t_unlinkat(ROOT, "moved", 0x200), 0);
    EXPECT(!FID("moved"));
}

TEST(open_unlinked_file_still_has_attributes)
{
    g_autofree char *p = NULL;
    uint32_t f;
    Attr a;

    setup(MAPPED);
    f = DIRFID();
    EXPECT_EQ(t_lcreate(f, "tmp", O_RDWR, 0600, 0), 0);
    EXPECT_EQ(t_write(f, 0, "abc"), 3);
    EXPECT_EQ(t_unlinkat(ROOT, "tmp", 0), 0);
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.size, 3);
    EXPECT_EQ(a.uid, 1000);        /* still the guest's, from the xattr */
    EXPECT_EQ(a.mode, S_IFREG | 0600);
    p = sp("tmp");
    EXPECT(access(p, F_OK) != 0);
}

TEST(readdir_offsets_are_stable_across_calls)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
                                             g_free, NULL);
    uint64_t off = 0;
    uint32_t d;
    int calls = 0;

    setup(MAPPED);
    for (int i = 0; i < 150; i++) {
        g_autofree char *p = g_strdup_printf("%s/file-with-a-long-name-%03d",
                                             share, i);
        write_file(p, "");
    }
    d = FID(".");
    EXPECT(d);
    EXPECT_EQ(t_lopen(d, O_RDONLY), 0);
    for (;;) {
        uint32_t n;
        size_t end;

        begin(TREADDIR);
        p32(d);
        p64(off);
        p32(300);                 /* a few entries per call */
        g_assert(rpc() == 0);
        n = (uint32_t)g(4);
        if (!n)
            break;
        calls++;
        end = r.pos + n;
        while (r.pos < end) {
            char *name;

            skip(13);
            off = g(8);
            g(1);
            name = gstr();
            EXPECT(!g_hash_table_contains(seen, name));
            g_hash_table_add(seen, name);
        }
        g_assert(calls < 1000);
    }
    EXPECT_EQ(g_hash_table_size(seen), 152);
    EXPECT(g_hash_table_contains(seen, ".."));
    EXPECT(calls > 10);
    g_hash_table_unref(seen);
}

TEST(readonly_share_refuses_every_change)
{
    char buf[64];
    g_autofree char *p = NULL;
    uint32_t f;

    setup(MAPPED ",readonly=on");
    p = sp("file");
    write_file(p, "data");
    f = FID("file");
    EXPECT_EQ(t_lopen(f, O_WRONLY), -EROFS);
    EXPECT_EQ(t_lopen(f, O_RDONLY | O_TRUNC), -EROFS);
    EXPECT_EQ(t_lcreate(ROOT, "new", O_RDWR, 0644, 0), -EROFS);
    EXPECT_EQ(t_mkdir(ROOT, "d", 0755), -EROFS);
    EXPECT_EQ(t_symlink(ROOT, "l", "file"), -EROFS);
    EXPECT_EQ(t_mknod(ROOT, "n", S_IFIFO | 0644, 0, 0), -EROFS);
    EXPECT_EQ(t_renameat(ROOT, "file", ROOT, "other"), -EROFS);
    EXPECT_EQ(t_unlinkat(ROOT, "file", 0), -EROFS);
    EXPECT_EQ(t_link(ROOT, f, "hard"), -EROFS);
    EXPECT_EQ(t_setattr_mode(f, 0777), -EROFS);
    EXPECT_EQ(t_lopen(f, O_RDONLY), 0);
    EXPECT_EQ(t_read(f, 0, 64, buf), 4);
    EXPECT_EQ(t_write(f, 0, "x"), -EROFS);
    g_free(p);
    p = read_host("file");
    EXPECT_STREQ(p, "data");
}

TEST(open_files_stop_short_of_the_fd_limit)
{
    struct rlimit old, rl = { 400, 400 };
    int opened = 0, r = 0, fd;

    getrlimit(RLIMIT_NOFILE, &old);
    g_assert(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    setup(MAPPED);
    for (int i = 0; i < 400; i++) {
        uint32_t f = FID(".");

        r = t_lopen(f, O_RDONLY);
        if (r)
            break;
        opened++;
    }
    EXPECT_EQ(r, -EMFILE);
    EXPECT_EQ(opened, 200);
    /* The emulator still has fds of its own. */
    fd = open("/dev/null", O_RDONLY);
    EXPECT(fd >= 0);
    close(fd);
    vt_reset();                   /* the device closes them all */
    setrlimit(RLIMIT_NOFILE, &old);
}

/* ---- Escapes ---- */

TEST(dotdot_at_the_root_stays_at_the_root)
{
    uint64_t root_path, p;
    uint8_t t;
    uint32_t f;
    Attr a;

    setup(MAPPED);
    EXPECT_EQ(t_getattr(ROOT, &a), 0);
    root_path = a.qpath;
    EXPECT_EQ(t_walkv(ROOT, 50, (const char *const[]){ "..", NULL }, &t, &p),
              1);
    EXPECT_EQ(p, root_path);
    /* ../secret: ".." stays in the share, where there is no secret. */
    EXPECT_EQ(WALK(ROOT, 51, "..", "..", "secret"), 2);
    EXPECT_EQ(t_clunk(51), -ENOENT);       /* a partial walk makes no fid */
    EXPECT(!CAT("..", "secret"));
    EXPECT(!CAT("..", "outdir", "f"));
    EXPECT_EQ(t_mkdir(ROOT, "sub", 0755), 0);
    f = FID("sub", "..", "..");
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.qpath, root_path);
}

TEST(names_with_slashes_or_dots_are_refused)
{
    g_autofree char *p = NULL;

    setup(MAPPED);
    EXPECT_EQ(WALK(ROOT, 60, "../secret"), -ENOENT);
    EXPECT_EQ(WALK(ROOT, 60, "/etc"), -ENOENT);
    EXPECT_EQ(WALK(ROOT, 60, ""), -ENOENT);
    EXPECT(t_lcreate(ROOT, "../escaped", O_RDWR, 0644, 0) < 0);
    EXPECT(t_lcreate(ROOT, "..", O_RDWR, 0644, 0) < 0);
    EXPECT(t_mkdir(ROOT, "../escdir", 0755) < 0);
    EXPECT(t_mkdir(ROOT, ".", 0755) < 0);
    EXPECT(t_symlink(ROOT, "../esclink", "x") < 0);
    EXPECT(t_mknod(ROOT, "../escnod", S_IFREG | 0644, 0, 0) < 0);
    EXPECT(t_unlinkat(ROOT, "../secret", 0) < 0);
    EXPECT(t_unlinkat(ROOT, "..", 0x200) < 0);
    EXPECT(t_renameat(ROOT, "../secret", ROOT, "stolen") < 0);
    p = g_build_filename(base, "escaped", NULL);
    EXPECT(access(p, F_OK) != 0);
    g_free(p);
    p = g_build_filename(base, "secret", NULL);
    EXPECT(access(p, F_OK) == 0);
    EXPECT(!FID("stolen"));
}

static void symlink_escapes(const char *model)
{
    g_autofree char *abs = NULL, *rel = NULL, *up = NULL, *t = NULL;
    uint8_t qt = 0;
    uint32_t f;

    setup(model);
    abs = sp("abs");
    rel = sp("rel");
    up = sp("up");
    EXPECT(symlink("/", abs) == 0);
    EXPECT(symlink("../secret", rel) == 0);
    EXPECT(symlink("..", up) == 0);
    /* The guest sees symlinks as symlinks and reads their targets... */
    EXPECT_EQ(t_walkv(ROOT, 70, (const char *const[]){ "abs", NULL }, &qt,
                      NULL), 1);
    EXPECT_EQ(qt, 0x02);
    EXPECT_EQ(t_readlink(70, &t), 0);
    EXPECT(t && !strcmp(t, "/"));
    /* ...but the host never follows them. */
    EXPECT_EQ(t_lopen(70, O_RDONLY), -ELOOP);
    EXPECT(WALK(ROOT, 71, "abs", "etc") < 1 + 1);
    EXPECT(!CAT("abs", "etc", "passwd"));
    EXPECT(!CAT("rel"));
    EXPECT(!CAT("up", "secret"));
    EXPECT(!CAT("up", "outdir", "f"));
    f = FID("rel");
    EXPECT(f);
    EXPECT_EQ(t_lopen(f, O_RDONLY), -ELOOP);
    /* Creating through a symlinked directory fails too. */
    f = FID("up");
    EXPECT(f && t_lcreate(f, "planted", O_RDWR, 0644, 0) < 0);
    EXPECT(f && t_mkdir(f, "planted", 0755) < 0);
    g_free(t);
    t = g_build_filename(base, "planted", NULL);
    EXPECT(access(t, F_OK) != 0);
}

TEST(symlinks_pointing_out_are_never_followed_mapped)
{
    symlink_escapes(MAPPED);
}

TEST(symlinks_pointing_out_are_never_followed_passthrough)
{
    symlink_escapes(PASS);
}

static void device_nodes(const char *model);

/* Kernels before 5.6 have no openat2: the walk by names must hold the
   same line. */
TEST(symlinks_pointing_out_are_never_followed_without_openat2)
{
    p9l_use_openat2(false);
    symlink_escapes(MAPPED);
    symlink_escapes(PASS);
    device_nodes(PASS);
    p9l_use_openat2(true);
}

TEST(guest_symlinks_are_files_in_mapped_mode)
{
    g_autofree char *p = NULL, *t = NULL, *data = NULL;
    struct stat st;
    uint32_t f;
    Attr a;

    setup(MAPPED);
    EXPECT_EQ(t_symlink(ROOT, "evil", "/etc/passwd"), 0);
    p = sp("evil");
    EXPECT(lstat(p, &st) == 0 && S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600);
    f = FID("evil");
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.mode & S_IFMT, S_IFLNK);
    EXPECT_EQ(t_readlink(f, &t), 0);
    EXPECT(t && !strcmp(t, "/etc/passwd"));
    data = CAT("evil");
    EXPECT(data && !strcmp(data, "/etc/passwd"));    /* not its content */
}

TEST(guest_symlinks_are_symlinks_in_passthrough_mode)
{
    g_autofree char *p = NULL;
    struct stat st;

    setup(PASS);
    EXPECT_EQ(t_symlink(ROOT, "evil", "/etc/passwd"), 0);
    p = sp("evil");
    EXPECT(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
    EXPECT(!CAT("evil"));
}

static void device_nodes(const char *model)
{
    g_autofree char *null = NULL, *fifo = NULL;
    uint32_t f;

    setup(model);
    null = sp("null");
    fifo = sp("fifo");
    EXPECT(mknod(null, S_IFCHR | 0666, makedev(1, 3)) == 0);
    EXPECT(mkfifo(fifo, 0666) == 0);
    f = FID("null");
    EXPECT(f);
    EXPECT_EQ(t_lopen(f, O_RDONLY), -EACCES);
    EXPECT_EQ(t_lopen(f, O_WRONLY), -EACCES);
    /* A FIFO with no writer would block a plain open forever. */
    f = FID("fifo");
    EXPECT(f);
    EXPECT_EQ(t_lopen(f, O_RDONLY), -EACCES);
    EXPECT_EQ(t_lopen(f, O_WRONLY), -EACCES);
    EXPECT(t_lcreate(ROOT, "fifo", O_RDONLY, 0644, 0) < 0);
}

TEST(device_nodes_and_fifos_are_never_opened_mapped)
{
    device_nodes(MAPPED);
}

TEST(device_nodes_and_fifos_are_never_opened_passthrough)
{
    device_nodes(PASS);
}

TEST(guest_device_nodes_are_files_in_mapped_mode)
{
    g_autofree char *p = NULL;
    struct stat st;
    uint32_t f;
    Attr a;

    setup(MAPPED);
    EXPECT_EQ(t_mknod(ROOT, "sda", S_IFBLK | 0660, 8, 0), 0);
    p = sp("sda");
    EXPECT(lstat(p, &st) == 0 && S_ISREG(st.st_mode));
    f = FID("sda");
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.mode, S_IFBLK | 0660);
    EXPECT_EQ(a.rdev, makedev(8, 0));
}

TEST(hard_links_and_renames_cannot_name_the_outside)
{
    g_autofree char *p = NULL, *t = NULL;
    uint32_t f;

    setup(MAPPED);
    p = sp("file");
    write_file(p, "in");
    f = FID("file");
    EXPECT(t_link(ROOT, f, "../linked") < 0);
    EXPECT(t_renameat(ROOT, "file", ROOT, "../moved") < 0);
    EXPECT(t_renameat(ROOT, "file", ROOT, "/tmp/moved") < 0);
    /* A hard link to a symlink links the symlink, not its target. */
    g_free(p);
    p = sp("abs");
    EXPECT(symlink("/etc/passwd", p) == 0);
    f = FID("abs");
    EXPECT_EQ(t_link(ROOT, f, "hard"), 0);
    f = FID("hard");
    EXPECT_EQ(t_readlink(f, &t), 0);
    EXPECT(t && !strcmp(t, "/etc/passwd"));
    EXPECT(!CAT("hard"));
    g_free(p);
    p = g_build_filename(base, "linked", NULL);
    EXPECT(access(p, F_OK) != 0);
    g_free(p);
    p = g_build_filename(base, "moved", NULL);
    EXPECT(access(p, F_OK) != 0);
}

TEST(file_renamed_between_walk_and_open)
{
    g_autofree char *p = NULL, *q = NULL, *out = NULL;
    uint32_t f;

    setup(MAPPED);
    p = sp("victim");
    write_file(p, "in");
    f = FID("victim");
    EXPECT(f);
    /* The host moves it out and puts a symlink to the outside there. */
    out = g_build_filename(base, "victim-out", NULL);
    EXPECT(rename(p, out) == 0);
    q = g_build_filename(base, "secret", NULL);
    EXPECT(symlink(q, p) == 0);
    EXPECT_EQ(t_lopen(f, O_RDONLY), -ELOOP);
    /* Or just away: the name is gone. */
    EXPECT(unlink(p) == 0);
    EXPECT_EQ(t_lopen(f, O_RDONLY), -ENOENT);
}

TEST(long_names_and_long_walks_are_refused)
{
    char name[400];
    const char *names[18];
    uint32_t f;

    setup(MAPPED);
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    EXPECT_EQ(WALK(ROOT, 80, name), -ENAMETOOLONG);
    EXPECT_EQ(t_lcreate(ROOT, name, O_RDWR, 0644, 0), -ENAMETOOLONG);
    EXPECT_EQ(t_mkdir(ROOT, name, 0755), -ENAMETOOLONG);
    for (int i = 0; i < 17; i++)
        names[i] = ".";
    names[17] = NULL;
    EXPECT_EQ(t_walkv(ROOT, 81, names, NULL, NULL), -EINVAL);
    EXPECT_EQ(t_clunk(81), -ENOENT);
    names[16] = NULL;
    EXPECT_EQ(t_walkv(ROOT, 81, names, NULL, NULL), 16);
    /* Nested directories up to the path limit, then ENAMETOOLONG. */
    memset(name, 'd', 200);
    name[200] = 0;
    f = ROOT;
    int r = 0, depth = 0;
    while (depth < 40) {
        uint32_t nf = 200 + (uint32_t)depth;

        r = t_mkdir(f, name, 0755);
        if (r)
            break;
        EXPECT_EQ(t_walkv(f, nf, (const char *const[]){ name, NULL }, NULL,
                          NULL), 1);
        f = nf;
        depth++;
    }
    EXPECT_EQ(r, -ENAMETOOLONG);
    EXPECT(depth >= 19 && depth <= 21);
}

/* ---- The symlink race ---- */

static volatile bool racing;
static char *race_dir, *race_link;

/* Swaps share/racedir (a directory) with a symlink to BASE/outdir, over
   and over, atomically. */
static void *swapper(void *arg)
{
    (void)arg;
    while (racing)
        renameat2(AT_FDCWD, race_dir, AT_FDCWD, race_link, RENAME_EXCHANGE);
    return NULL;
}

static void symlink_race(void);

TEST(symlink_race_cannot_redirect_a_walk_or_open)
{
    symlink_race();
}

TEST(symlink_race_cannot_redirect_without_openat2)
{
    p9l_use_openat2(false);
    symlink_race();
    p9l_use_openat2(true);
}

static void symlink_race(void)
{
    g_autofree char *f = NULL, *target = NULL;
    pthread_t th;
    int inside = 0;

    setup(MAPPED);
    race_dir = sp("racedir");
    race_link = sp("racelink");
    target = g_build_filename(base, "outdir", NULL);
    EXPECT(mkdir(race_dir, 0755) == 0);
    f = g_build_filename(race_dir, "f", NULL);
    write_file(f, "INSIDE");
    EXPECT(symlink(target, race_link) == 0);
    racing = true;
    pthread_create(&th, NULL, swapper, NULL);
    for (int i = 0; i < 3000; i++) {
        const char *name = i & 1 ? "racelink" : "racedir";
        g_autofree char *data = CAT(name, "f");

        if (data) {
            EXPECT_STREQ(data, "INSIDE");
            inside++;
        }
        /* A fid walked to the directory, then opened later. */
        uint32_t fid = FID(name, "f");
        if (fid) {
            char buf[64] = "";

            if (t_lopen(fid, O_RDONLY) == 0 && t_read(fid, 0, 63, buf) > 0)
                EXPECT_STREQ(buf, "INSIDE");
            t_clunk(fid);
        }
    }
    racing = false;
    pthread_join(th, NULL);
    EXPECT(inside > 0);
    g_free(race_dir);
    g_free(race_link);
}

/* ---- Credentials and xattrs ---- */

TEST(mapped_xattr_keeps_the_guests_credentials_in_xattrs)
{
    g_autofree char *p = NULL;
    struct stat st;
    uint64_t size = 0;
    uint32_t f;
    Attr a;

    setup(MAPPED ",fmode=0640,dmode=0750");
    EXPECT_EQ(t_lcreate(DIRFID(), "f", O_RDWR, 0755, 1234), 0);
    p = sp("f");
    EXPECT(stat(p, &st) == 0);
    EXPECT_EQ(st.st_mode & 07777, 0640);
    EXPECT_EQ(st.st_uid, getuid());
    f = FID("f");
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.mode, S_IFREG | 0755);
    EXPECT_EQ(a.uid, 1000);
    EXPECT_EQ(a.gid, 1234);
    EXPECT_EQ(t_setattr_mode(f, 04711), 0);
    EXPECT_EQ(t_getattr(f, &a), 0);
    EXPECT_EQ(a.mode, S_IFREG | 04711);
    EXPECT(stat(p, &st) == 0);
    EXPECT_EQ(st.st_mode & 07777, 0640);            /* the host's stays */
    EXPECT_EQ(t_mkdir(ROOT, "d", 0777), 0);
    g_free(p);
    p = sp("d");
    EXPECT(stat(p, &st) == 0 && (st.st_mode & 07777) == 0750);
    /* The mapping's own xattrs are hidden from the guest... */
    EXPECT_EQ(t_xattrwalk(f, 90, "user.virtfs.uid", &size), -ENODATA);
    EXPECT_EQ(t_xattrwalk(f, 90, "security.selinux", &size), -ENODATA);
    EXPECT_EQ(t_xattrwalk(f, 90, "system.posix_acl_access", &size),
              -ENODATA);
    EXPECT_EQ(t_xattrwalk(f, 90, "", &size), 0);
    EXPECT_EQ(size, 0);
    EXPECT_EQ(t_read(90, 0, 100, NULL), 0);
    EXPECT_EQ(t_clunk(90), 0);
    /* ...and cannot be set by it. */
    begin(TXATTRCREATE);
    p32(f);
    pstr("user.virtfs.uid");
    p64(4);
    p32(0);
    EXPECT_EQ(rpc(), 0);
    EXPECT_EQ(t_write(f, 0, "abcd"), 4);
    EXPECT_EQ(t_clunk(f), -EACCES);
}

TEST(user_xattrs_round_trip)
{
    char buf[64];
    uint64_t size = 0;
    uint32_t f;

    setup(MAPPED);
    EXPECT_EQ(t_lcreate(DIRFID(), "f", O_RDWR, 0644, 0), 0);
    f = FID("f");
    begin(TXATTRCREATE);
    p32(f);
    pstr("user.color");
    p64(4);
    p32(0);
    EXPECT_EQ(rpc(), 0);
    EXPECT_EQ(t_write(f, 0, "blue"), 4);
    EXPECT_EQ(t_clunk(f), 0);
    f = FID("f");
    EXPECT_EQ(t_xattrwalk(f, 91, "user.color", &size), 0);
    EXPECT_EQ(size, 4);
    EXPECT_EQ(t_read(91, 0, 64, buf), 4);
    EXPECT_STREQ(buf, "blue");
    EXPECT_EQ(t_clunk(91), 0);
    EXPECT_EQ(t_xattrwalk(f, 92, "", &size), 0);
    EXPECT_EQ(size, strlen("user.color") + 1);
    EXPECT_EQ(t_clunk(92), 0);
}

TEST(passthrough_gives_host_files_the_guests_owner_and_mode)
{
    g_autofree char *p = NULL;
    struct stat st;

    setup(PASS);
    EXPECT_EQ(t_lcreate(ROOT, "f", O_RDWR, 0604, 4321), 0);
    p = sp("f");
    EXPECT(stat(p, &st) == 0);
    EXPECT_EQ(st.st_mode & 07777, 0604);
    EXPECT_EQ(st.st_uid, 1000);
    EXPECT_EQ(st.st_gid, 4321);
}

TEST(statfs_lock_flush_fsync)
{
    uint32_t f;

    setup(MAPPED);
    begin(TSTATFS);
    p32(ROOT);
    EXPECT_EQ(rpc(), 0);
    EXPECT_EQ(r.n, 7 + 4 + 4 + 8 * 6 + 4);
    f = DIRFID();
    EXPECT_EQ(t_lcreate(f, "f", O_RDWR, 0644, 0), 0);
    begin(TFSYNC);
    p32(f);
    p32(0);
    EXPECT_EQ(rpc(), 0);
    begin(TLOCK);
    p32(ROOT);
    p8(1);
    p32(0);
    p64(0);
    p64(0);
    p32(42);
    pstr("client");
    EXPECT_EQ(rpc(), 0);
    EXPECT_EQ(g(1), 0);
    begin(TGETLOCK);
    p32(ROOT);
    p8(1);
    p64(0);
    p64(10);
    p32(42);
    pstr("client");
    EXPECT_EQ(rpc(), 0);
    EXPECT_EQ(g(1), 2);
    begin(TFLUSH);
    p16(7);
    EXPECT_EQ(rpc(), 0);
    f = FID("f");
    begin(TREMOVE);
    p32(f);
    EXPECT_EQ(rpc(), 0);
    EXPECT_EQ(t_clunk(f), -ENOENT);
    EXPECT(!FID("f"));
}

int main(void)
{
    int rc = unit_run();

    if (base)
        rm_rf(base);
    return rc;
}
