/* needs: none */
/*
 * Tests of the block layer API (include/mimic/block.h) on raw and qcow2
 * images: writes at odd offsets and lengths across cluster boundaries
 * checked against an in-memory copy, copy-on-write over a backing file
 * shorter than the overlay, discard and write-zeroes, scatter/gather,
 * bounds and read-only errors, -snapshot, growing, a refcount table that
 * must grow.  When qemu-img is installed, the images we wrote must pass
 * `qemu-img check` and `qemu-img compare` equal to what we expect.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>

#include "mimic/block.h"
#include "unit.h"

static char *tmpdir;

static void cleanup(void)
{
    if (tmpdir && !getenv("MIMIC_KEEP_TMP")) {
        char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) {
            printf("# could not remove %s\n", tmpdir);
        }
        g_free(cmd);
    }
}

static char *path(const char *name)
{
    if (!tmpdir) {
        tmpdir = g_dir_make_tmp("mimic-test-block-XXXXXX", NULL);
        atexit(cleanup);
    }
    return g_build_filename(tmpdir, name, NULL);
}

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fill_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(rnd() >> 32);
    }
}

static BlockBackend *open_ok(const char *file, const char *fmt, int flags)
{
    char *err = NULL;
    BlockBackend *blk = blk_open(file, fmt, flags, &err);
    if (!blk) {
        printf("#   open %s: %s\n", file, err);
        g_free(err);
    }
    return blk;
}

static void create_ok(const char *file, const char *fmt, uint64_t size,
                      const BlockCreateOptions *o)
{
    char *err = NULL;
    int ret = blk_create(file, fmt, size, o, &err);
    if (ret < 0) {
        printf("#   create %s: %s\n", file, err);
        g_free(err);
    }
    EXPECT_EQ(ret, 0);
}

/* The whole image equals want. */
static bool same(BlockBackend *blk, const uint8_t *want, size_t size)
{
    uint8_t *got = g_malloc(size);
    int ret = blk_pread(blk, 0, got, size);
    bool ok = ret == 0 && memcmp(got, want, size) == 0;
    if (!ok) {
        size_t i = 0;
        while (ret == 0 && i < size && got[i] == want[i]) {
            i++;
        }
        printf("#   read returned %d; first difference at %zu\n", ret, i);
    }
    g_free(got);
    return ok;
}

static bool have_qemu_img(void)
{
    return system("qemu-img --version >/dev/null 2>&1") == 0;
}

/* `qemu-img check` exits 0 and the image equals the raw file expect. */
static void qemu_agrees(const char *image, const char *expect)
{
    if (!have_qemu_img()) {
        printf("# qemu-img not installed: cross-check skipped\n");
        return;
    }
    char *cmd = g_strdup_printf("qemu-img check -q '%s'", image);
    int rc = system(cmd);
    EXPECT_EQ(rc, 0);
    g_free(cmd);
    if (expect) {
        cmd = g_strdup_printf("qemu-img compare -q '%s' '%s'", image,
                              expect);
        rc = system(cmd);
        EXPECT_EQ(rc, 0);
        g_free(cmd);
    }
}

/* Writes the same random requests to blk and to mirror (and to a raw
   file through the raw driver, when raw is not NULL). */
static void random_writes(BlockBackend *blk, BlockBackend *raw,
                          uint8_t *mirror, size_t size, int count,
                          size_t maxlen)
{
    uint8_t *buf = g_malloc(maxlen);
    for (int i = 0; i < count; i++) {
        uint64_t off = rnd() % size;
        size_t len = 1 + rnd() % maxlen;
        len = MIN(len, size - off);
        fill_random(buf, len);
        EXPECT_EQ(blk_pwrite(blk, off, buf, len), 0);
        if (raw) {
            EXPECT_EQ(blk_pwrite(raw, off, buf, len), 0);
        }
        memcpy(mirror + off, buf, len);
    }
    g_free(buf);
}

TEST(raw_read_write_discard)
{
    g_autofree char *f = path("a.raw");
    const size_t size = 300000;
    uint8_t *mirror = g_malloc0(size);
    create_ok(f, "raw", size, NULL);
    BlockBackend *blk = open_ok(f, "raw", BLK_DISCARD_UNMAP);
    EXPECT(blk != NULL);
    EXPECT_EQ(blk_getlength(blk), size);
    random_writes(blk, NULL, mirror, size, 50, 20000);
    EXPECT(same(blk, mirror, size));
    EXPECT_EQ(blk_discard(blk, 8192, 65536), 0);
    memset(mirror + 8192, 0, 65536); /* a punched hole reads zeros */
    EXPECT_EQ(blk_write_zeroes(blk, 100001, 7777, false), 0);
    memset(mirror + 100001, 0, 7777);
    EXPECT(same(blk, mirror, size));
    uint8_t b[16];
    EXPECT_EQ(blk_pread(blk, size - 8, b, 16), -EINVAL);
    EXPECT_EQ(blk_pwrite(blk, size, b, 1), -EINVAL);
    EXPECT_EQ(blk_pread(blk, UINT64_MAX - 4, b, 8), -EINVAL);
    blk_close(blk);
    blk = open_ok(f, NULL, BLK_RDONLY);
    EXPECT_STREQ(blk_format_name(blk), "raw");
    EXPECT_EQ(blk_pwrite(blk, 0, b, 1), -EROFS);
    EXPECT(same(blk, mirror, size));
    blk_close(blk);
    g_free(mirror);
}

/* Odd offsets and lengths over 4 KiB clusters, checked after reopening
   and by qemu-img against a raw file written the same way. */
TEST(qcow2_odd_writes)
{
    g_autofree char *f = path("odd.qcow2");
    g_autofree char *r = path("odd.raw");
    const size_t size = 3 * 1024 * 1024 + 512 * 7;
    BlockCreateOptions o = { .cluster_size = 4096 };
    uint8_t *mirror = g_malloc0(size);
    create_ok(f, "qcow2", size, &o);
    create_ok(r, "raw", size, NULL);
    BlockBackend *blk = open_ok(f, NULL, 0);
    BlockBackend *raw = open_ok(r, "raw", 0);
    EXPECT_STREQ(blk_format_name(blk), "qcow2");
    EXPECT_EQ(blk_getlength(blk), size);
    random_writes(blk, raw, mirror, size, 300, 3 * 4096 + 5);
    EXPECT(same(blk, mirror, size));
    random_writes(blk, raw, mirror, size, 300, 100);
    EXPECT(same(blk, mirror, size));
    EXPECT_EQ(blk_flush(blk), 0);
    blk_close(blk);
    blk_close(raw);
    blk = open_ok(f, "qcow2", BLK_RDONLY);
    EXPECT(same(blk, mirror, size));
    blk_close(blk);
    qemu_agrees(f, r);
    g_free(mirror);
}

/* A write to part of an unallocated cluster copies the rest from the
   backing file, which is shorter than the overlay: past its end the
   overlay reads zeros. */
TEST(qcow2_backing_cow)
{
    g_autofree char *base = path("cow-base.raw");
    g_autofree char *top = path("cow-top.qcow2");
    g_autofree char *r = path("cow-expect.raw");
    const size_t bsize = 100000, size = 400 * 1024;
    uint8_t *mirror = g_malloc0(size);
    create_ok(base, "raw", bsize, NULL);
    BlockBackend *b = open_ok(base, "raw", 0);
    fill_random(mirror, bsize);
    EXPECT_EQ(blk_pwrite(b, 0, mirror, bsize), 0);
    blk_close(b);
    BlockCreateOptions o = { .cluster_size = 65536,
                             .backing_file = "cow-base.raw" };
    create_ok(top, "qcow2", size, &o);
    BlockBackend *blk = open_ok(top, NULL, BLK_DISCARD_UNMAP);
    EXPECT(blk_backing(blk) != NULL);
    EXPECT(same(blk, mirror, size));
    uint8_t *buf = g_malloc(300);
    fill_random(buf, 300);
    /* Into the first cluster, then across the backing file's end. */
    EXPECT_EQ(blk_pwrite(blk, 1000, buf, 300), 0);
    memcpy(mirror + 1000, buf, 300);
    EXPECT_EQ(blk_pwrite(blk, bsize - 100, buf, 300), 0);
    memcpy(mirror + bsize - 100, buf, 300);
    EXPECT(same(blk, mirror, size));
    /* Zeroing over the backing file hides it. */
    EXPECT_EQ(blk_write_zeroes(blk, 65536, 65536, true), 0);
    memset(mirror + 65536, 0, 65536);
    EXPECT_EQ(blk_discard(blk, 0, 4096), 0); /* part of a cluster: kept */
    EXPECT(same(blk, mirror, size));
    blk_close(blk);
    blk = open_ok(top, NULL, BLK_RDONLY);
    EXPECT(same(blk, mirror, size));
    uint8_t tail[512];
    EXPECT_EQ(blk_pread(blk, size - 512, tail, 512), 0);
    EXPECT(tail[0] == 0 && tail[511] == 0);
    blk_close(blk);
    create_ok(r, "raw", size, NULL);
    b = open_ok(r, "raw", 0);
    EXPECT_EQ(blk_pwrite(b, 0, mirror, size), 0);
    blk_close(b);
    qemu_agrees(top, r);
    g_free(buf);
    g_free(mirror);
}

TEST(qcow2_zeroes_and_discard)
{
    g_autofree char *f = path("zero.qcow2");
    const size_t size = 1 << 20;
    BlockCreateOptions o = { .cluster_size = 65536 };
    uint8_t *mirror = g_malloc(size);
    create_ok(f, "qcow2", size, &o);
    BlockBackend *blk = open_ok(f, NULL, BLK_DISCARD_UNMAP);
    fill_random(mirror, size);
    EXPECT_EQ(blk_pwrite(blk, 0, mirror, size), 0);
    EXPECT_EQ(blk_write_zeroes(blk, 30000, 200000, false), 0);
    memset(mirror + 30000, 0, 200000);
    EXPECT_EQ(blk_write_zeroes(blk, 300000, 12345, true), 0);
    memset(mirror + 300000, 0, 12345);
    EXPECT(same(blk, mirror, size));
    /* Discarding whole clusters frees them: they read as zeros. */
    EXPECT_EQ(blk_discard(blk, 524288, 262144), 0);
    memset(mirror + 524288, 0, 262144);
    EXPECT_EQ(blk_write_zeroes(blk, size - 100, 100, true), 0);
    memset(mirror + size - 100, 0, 100);
    EXPECT(same(blk, mirror, size));
    /* Freed clusters are reused. */
    EXPECT_EQ(blk_pwrite(blk, 524288, mirror, 65536), 0);
    memcpy(mirror + 524288, mirror, 65536);
    EXPECT(same(blk, mirror, size));
    blk_close(blk);
    qemu_agrees(f, NULL);
    g_free(mirror);
}

/* The size of a file on the host, in bytes. */
static uint64_t file_size(const char *file)
{
    struct stat st;
    return stat(file, &st) == 0 ? (uint64_t)st.st_size : UINT64_MAX;
}

/* A guest that writes, discards and zeroes over and over (discard=unmap):
   freed clusters are reused, so the file stays near the disk size (it
   grew without bound: a 256 MiB disk reached 1 GB), and qemu-img check
   finds neither leaks nor corruption. */
TEST(qcow2_reuses_freed_clusters)
{
    g_autofree char *f = path("reuse.qcow2");
    g_autofree char *r = path("reuse.raw");
    const size_t size = 16 << 20, cs = 65536;
    BlockCreateOptions o = { .cluster_size = cs };
    uint8_t *mirror = g_malloc0(size);
    create_ok(f, "qcow2", size, &o);
    BlockBackend *blk = open_ok(f, NULL,
                                BLK_DISCARD_UNMAP | BLK_CACHE_UNSAFE);
    uint64_t biggest = 0;
    for (int round = 0; round < 40; round++) {
        random_writes(blk, NULL, mirror, size, 150, 40000);
        for (int i = 0; i < 6; i++) {
            uint64_t off = (rnd() % (size / cs)) * cs;
            uint64_t len = (1 + rnd() % 48) * cs;
            len = MIN(len, size - off);
            EXPECT_EQ(blk_discard(blk, off, len), 0);
            memset(mirror + off, 0, len);
            off = rnd() % size;
            len = 1 + rnd() % (1 << 20);
            len = MIN(len, size - off);
            EXPECT_EQ(blk_write_zeroes(blk, off, len, true), 0);
            memset(mirror + off, 0, len);
        }
        biggest = MAX(biggest, file_size(f));
    }
    /* The data, the metadata (a few clusters) and the clusters allocated
       ahead (2 MiB at most). */
    printf("# largest file: %" PRIu64 " bytes for a %zu-byte disk\n",
           biggest, size);
    EXPECT(biggest <= size + (4 << 20));
    EXPECT(same(blk, mirror, size));
    blk_close(blk);
    create_ok(r, "raw", size, NULL);
    BlockBackend *b = open_ok(r, "raw", 0);
    EXPECT_EQ(blk_pwrite(b, 0, mirror, size), 0);
    blk_close(b);
    qemu_agrees(f, r);
    g_free(mirror);
}

/* Without BLK_DISCARD_UNMAP (QEMU's discard=ignore) a discard changes
   nothing and zeroing reads zeros but keeps the clusters allocated. */
TEST(discard_ignored_by_default)
{
    g_autofree char *f = path("ignore.qcow2");
    g_autofree char *r = path("ignore.raw");
    const size_t size = 1 << 20;
    uint8_t *data = g_malloc(size), *got = g_malloc(size);
    BlockCreateOptions o = { .cluster_size = 65536 };
    fill_random(data, size);
    create_ok(f, "qcow2", size, &o);
    create_ok(r, "raw", size, NULL);
    const char *files[2] = { f, r };
    for (int i = 0; i < 2; i++) {
        BlockBackend *blk = open_ok(files[i], NULL, 0);
        EXPECT_EQ(blk_pwrite(blk, 0, data, size), 0);
        EXPECT_EQ(blk_discard(blk, 0, size), 0);
        EXPECT(same(blk, data, size));
        EXPECT_EQ(blk_write_zeroes(blk, 65536, 3 * 65536, true), 0);
        memcpy(got, data, size);
        memset(got + 65536, 0, 3 * 65536);
        EXPECT(same(blk, got, size));
        uint64_t before = file_size(files[i]);
        blk_close(blk);
        /* The zeroed clusters kept their space and are rewritten in
           place: the file does not grow. */
        blk = open_ok(files[i], NULL, 0);
        EXPECT_EQ(blk_pwrite(blk, 65536 + 1000, data, 3 * 65536 - 2000), 0);
        memcpy(got + 65536 + 1000, data, 3 * 65536 - 2000);
        EXPECT(same(blk, got, size));
        blk_close(blk);
        EXPECT_EQ(file_size(files[i]), before);
    }
    qemu_agrees(f, NULL);
    g_free(data);
    g_free(got);
}

TEST(scatter_gather)
{
    g_autofree char *f = path("sg.qcow2");
    BlockCreateOptions o = { .cluster_size = 4096 };
    create_ok(f, "qcow2", 65536, &o);
    BlockBackend *blk = open_ok(f, NULL, 0);
    uint8_t a[1000], b[5000], c[3], all[6003], got[6003];
    fill_random(a, sizeof(a));
    fill_random(b, sizeof(b));
    fill_random(c, sizeof(c));
    struct iovec iov[3] = { { a, 1000 }, { b, 5000 }, { c, 3 } };
    EXPECT_EQ(blk_pwritev(blk, 3000, iov, 3), 0);
    memcpy(all, a, 1000);
    memcpy(all + 1000, b, 5000);
    memcpy(all + 6000, c, 3);
    EXPECT_EQ(blk_pread(blk, 3000, got, sizeof(got)), 0);
    EXPECT(memcmp(all, got, sizeof(got)) == 0);
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    memset(c, 0, sizeof(c));
    EXPECT_EQ(blk_preadv(blk, 3000, iov, 3), 0);
    EXPECT(memcmp(a, all, 1000) == 0 && memcmp(b, all + 1000, 5000) == 0 &&
           memcmp(c, all + 6000, 3) == 0);
    blk_close(blk);
}

/* -snapshot: writes land in a temporary overlay; the image is unchanged. */
TEST(snapshot_mode)
{
    g_autofree char *f = path("snap.qcow2");
    create_ok(f, "qcow2", 1 << 20, NULL);
    uint8_t buf[4096], got[4096];
    fill_random(buf, sizeof(buf));
    BlockBackend *blk = open_ok(f, NULL, BLK_SNAPSHOT);
    EXPECT_EQ(blk_pwrite(blk, 4096, buf, sizeof(buf)), 0);
    EXPECT_EQ(blk_pread(blk, 4096, got, sizeof(got)), 0);
    EXPECT(memcmp(buf, got, sizeof(buf)) == 0);
    EXPECT_STREQ(blk_filename(blk), f);
    blk_close(blk);
    blk = open_ok(f, NULL, BLK_RDONLY);
    EXPECT_EQ(blk_pread(blk, 4096, got, sizeof(got)), 0);
    EXPECT(got[0] == 0 && got[4095] == 0);
    blk_close(blk);
}

/* Growing a 512-byte-cluster image needs a larger L1 table; writing 6 MiB
   to it needs a larger refcount table (one block covers 128 KiB). */
TEST(qcow2_grow_tables)
{
    g_autofree char *f = path("grow.qcow2");
    g_autofree char *r = path("grow.raw");
    BlockCreateOptions o = { .cluster_size = 512 };
    size_t size = 64 * 1024, big = 6 * 1024 * 1024;
    uint8_t *mirror = g_malloc0(big);
    create_ok(f, "qcow2", size, &o);
    BlockBackend *blk = open_ok(f, NULL, 0);
    fill_random(mirror, size);
    EXPECT_EQ(blk_pwrite(blk, 0, mirror, size), 0);
    char *err = NULL;
    EXPECT_EQ(blk_truncate(blk, big, &err), 0);
    EXPECT_EQ(blk_getlength(blk), big);
    fill_random(mirror + size, big - size);
    EXPECT_EQ(blk_pwrite(blk, size, mirror + size, big - size), 0);
    EXPECT(same(blk, mirror, big));
    EXPECT(blk_truncate(blk, size, &err) < 0); /* qcow2 shrink: refused */
    EXPECT(err != NULL);
    g_free(err);
    blk_close(blk);
    blk = open_ok(f, NULL, BLK_RDONLY);
    EXPECT(same(blk, mirror, big));
    BlockCheckResult res;
    err = NULL;
    EXPECT_EQ(blk_check(blk, false, &res, &err), 0);
    EXPECT_EQ(res.corruptions, 0);
    EXPECT_EQ(res.leaks, 0);
    blk_check_result_free(&res);
    blk_close(blk);
    create_ok(r, "raw", big, NULL);
    blk = open_ok(r, "raw", 0);
    EXPECT_EQ(blk_pwrite(blk, 0, mirror, big), 0);
    blk_close(blk);
    qemu_agrees(f, r);
    g_free(mirror);
}

/* Big-endian words of an image file, read and written in place. */
static uint64_t file_be64(const char *file, uint64_t off)
{
    uint8_t b[8] = { 0 };
    FILE *f = fopen(file, "rb");
    uint64_t v = 0;
    if (f && fseek(f, (long)off, SEEK_SET) == 0 && fread(b, 1, 8, f) == 8) {
        for (int i = 0; i < 8; i++) {
            v = v << 8 | b[i];
        }
    }
    if (f) {
        fclose(f);
    }
    return v;
}

static void file_put(const char *file, uint64_t off, const void *p, size_t n)
{
    FILE *f = fopen(file, "r+b");
    EXPECT(f != NULL);
    if (f) {
        EXPECT_EQ(fseek(f, (long)off, SEEK_SET), 0);
        EXPECT_EQ(fwrite(p, 1, n, f), n);
        fclose(f);
    }
}

static void file_put_be64(const char *file, uint64_t off, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    }
    file_put(file, off, b, 8);
}

static char *file_bytes(const char *file, gsize *len)
{
    char *data = NULL;
    EXPECT(g_file_get_contents(file, &data, len, NULL));
    return data;
}

/* A qcow2 image (64 KiB clusters) with guest cluster 0 written; returns
   the host offsets of the L1 table, refcount table, its first refcount
   block and guest cluster 0's L2 table. */
static void metadata_image(const char *f, uint64_t *l1, uint64_t *rct,
                           uint64_t *rb, uint64_t *l2)
{
    BlockCreateOptions o = { .cluster_size = 65536 };
    uint8_t buf[4096];
    create_ok(f, "qcow2", 16 << 20, &o);
    BlockBackend *blk = open_ok(f, NULL, 0);
    memset(buf, 0x5a, sizeof(buf));
    EXPECT_EQ(blk_pwrite(blk, 0, buf, sizeof(buf)), 0);
    blk_close(blk);
    *l1 = file_be64(f, 40);
    *rct = file_be64(f, 48);
    *rb = file_be64(f, *rct) & ~0xffffull;
    *l2 = file_be64(f, *l1) & 0x00fffffffffffe00ull;
}

/* An L2 entry of a corrupt image that points guest data at the image's
   own metadata: the write is refused (EIO) and the metadata stays as it
   was; the image is marked corrupt (QEMU's incompatible bit 1), so that
   Mimic and QEMU refuse to open it for writing until it is repaired. */
TEST(qcow2_refuses_writes_onto_metadata)
{
    const char *names[] = { "L1 table", "refcount table", "refcount block",
                            "L2 table" };
    for (int k = 0; k < 4; k++) {
        g_autofree char *f = path("meta.qcow2");
        uint64_t l1, rct, rb, l2;
        metadata_image(f, &l1, &rct, &rb, &l2);
        uint64_t target[4] = { l1, rct, rb, l2 };
        /* Guest cluster 1 (no data yet) now "owns" that cluster. */
        file_put_be64(f, l2 + 8, target[k] | 1ull << 63);
        gsize n0, n1;
        g_autofree char *before = file_bytes(f, &n0);
        BlockBackend *blk = open_ok(f, NULL, 0);
        uint8_t buf[512];
        memset(buf, 0xee, sizeof(buf));
        int ret = blk ? blk_pwrite(blk, 65536 + 512, buf, sizeof(buf)) : 0;
        if (ret != -EIO) {
            printf("#   write onto the %s: %d\n", names[k], ret);
        }
        EXPECT_EQ(ret, -EIO);
        /* Later writes fail too, even harmless ones. */
        EXPECT_EQ(blk ? blk_pwrite(blk, 8 << 20, buf, sizeof(buf)) : 0, -EIO);
        if (blk) {
            blk_close(blk);
        }
        g_autofree char *after = file_bytes(f, &n1);
        /* Only the header's incompatible-features word changed (at 72). */
        EXPECT(n0 <= n1);
        EXPECT(memcmp(before, after, 72) == 0);
        for (gsize i = 80; i < n0; i++) {
            if (before[i] != after[i]) {
                printf("#   %s: byte 0x%zx changed\n", names[k], (size_t)i);
                EXPECT(0);
                break;
            }
        }
        EXPECT(file_be64(f, 72) & 2);
        char *err = NULL;
        BlockBackend *again = blk_open(f, NULL, 0, &err);
        EXPECT(again == NULL && err && strstr(err, "corrupt"));
        g_free(err);
        if (again) {
            blk_close(again);
        }
        g_unlink(f);
    }
}

/* A refcount block that says the L1 table's cluster is free: the next
   allocation must not hand it out for data. */
TEST(qcow2_refuses_allocating_metadata)
{
    g_autofree char *f = path("meta-rc.qcow2");
    uint64_t l1, rct, rb, l2;
    metadata_image(f, &l1, &rct, &rb, &l2);
    uint8_t zero[2] = { 0, 0 };   /* 16-bit refcounts */
    file_put(f, rb + (l1 >> 16) * 2, zero, 2);
    file_put(f, rb + (l2 >> 16) * 2, zero, 2);
    gsize n0, n1;
    g_autofree char *before = file_bytes(f, &n0);
    BlockBackend *blk = open_ok(f, NULL, 0);
    uint8_t buf[4096];
    memset(buf, 0xee, sizeof(buf));
    EXPECT_EQ(blk ? blk_pwrite(blk, 4 << 20, buf, sizeof(buf)) : 0, -EIO);
    if (blk) {
        blk_close(blk);
    }
    g_autofree char *after = file_bytes(f, &n1);
    EXPECT(memcmp(before + l1, after + l1, 65536) == 0);
    EXPECT(memcmp(before + l2, after + l2, 65536) == 0);
}

TEST(open_errors)
{
    g_autofree char *f = path("missing.qcow2");
    g_autofree char *g = path("garbage.img");
    char *err = NULL;
    EXPECT(blk_open(f, NULL, 0, &err) == NULL);
    EXPECT(err && strstr(err, "missing.qcow2"));
    g_free(err);
    err = NULL;
    EXPECT(blk_open(f, "vmdk", 0, &err) == NULL);
    EXPECT(err && strstr(err, "unknown format"));
    g_free(err);
    err = NULL;
    EXPECT(g_file_set_contents(g, "QFI\xfbgarbage", 11, NULL));
    EXPECT(blk_open(g, NULL, 0, &err) == NULL);
    EXPECT(err && strstr(err, "truncated"));
    g_free(err);
}

/* A raw image opened on a guess (-drive without format=): the guest may
   write anything to sector 0 except a header of another format, which
   would make the next start open a host file named by it (QEMU's rule). */
TEST(probed_raw_guards_sector0)
{
    g_autofree char *f = path("probed.raw");
    uint8_t buf[512] = { 0 };
    create_ok(f, "raw", 1 << 20, NULL);
    BlockBackend *blk = open_ok(f, "raw", BLK_PROBED_RAW);
    EXPECT_EQ(blk_pwrite(blk, 0, "QFI\xfb\0\0\0\3", 8), -EPERM);
    EXPECT_EQ(blk_pwrite(blk, 0, buf, sizeof(buf)), 0);
    /* A write that only finishes a header begun earlier is refused too. */
    EXPECT_EQ(blk_pwrite(blk, 0, "QF", 2), 0);
    EXPECT_EQ(blk_pwrite(blk, 2, "I\xfb\0\0\0\3", 6), -EPERM);
    EXPECT_EQ(blk_pwrite(blk, 512, "QFI\xfb\0\0\0\3", 8), 0);
    EXPECT_EQ(blk_pwrite(blk, 4, "anything", 8), 0);
    blk_close(blk);
    blk = open_ok(f, "raw", 0);
    EXPECT_EQ(blk_pwrite(blk, 0, "QFI\xfb\0\0\0\3", 8), 0);
    blk_close(blk);
}

/* detect-zeroes=unmap with discard=unmap: a write of zeros frees the
   clusters of a qcow2 image; the data reads back as zeros either way. */
TEST(detect_zeroes)
{
    g_autofree char *f = path("dz.qcow2");
    size_t len = 4 << 20;
    uint8_t *buf = g_malloc(len);
    uint8_t *zero = g_malloc0(len);
    BlockInfo a, b;
    create_ok(f, "qcow2", len, NULL);
    BlockBackend *blk = open_ok(f, "qcow2", BLK_DETECT_ZEROES |
                                BLK_DETECT_ZEROES_UNMAP | BLK_DISCARD_UNMAP);
    fill_random(buf, len);
    EXPECT_EQ(blk_pwrite(blk, 0, buf, len), 0);
    EXPECT_EQ(blk_flush(blk), 0);
    EXPECT_EQ(blk_info(blk, &a), 0);
    EXPECT_EQ(blk_pwrite(blk, 0, zero, len), 0);
    EXPECT(same(blk, zero, len));
    blk_close(blk);
    blk = open_ok(f, "qcow2", 0);
    EXPECT(same(blk, zero, len));
    EXPECT_EQ(blk_info(blk, &b), 0);
    blk_close(blk);
    qemu_agrees(f, NULL);
    if (have_qemu_img()) {
        g_autofree char *cmd = g_strdup_printf(
            "qemu-img map --output=json '%s' | grep -q '\"data\": true'", f);
        EXPECT(system(cmd) != 0);    /* no cluster holds data any more */
    }
    blk_info_free(&a);
    blk_info_free(&b);
    g_free(buf);
    g_free(zero);
}

/* -blockdev backing=NODE: an overlay opened without its backing file
   reads unallocated data from the image it is given. */
TEST(set_backing)
{
    g_autofree char *base = path("sb-base.raw");
    g_autofree char *other = path("sb-other.raw");
    g_autofree char *top = path("sb-top.qcow2");
    uint8_t got[4];
    BlockCreateOptions o = { .backing_file = base, .backing_format = "raw" };
    create_ok(base, "raw", 65536, NULL);
    create_ok(other, "raw", 65536, NULL);
    BlockBackend *b = open_ok(other, "raw", 0);
    EXPECT_EQ(blk_pwrite(b, 100, "node", 4), 0);
    blk_close(b);
    create_ok(top, "qcow2", 65536, &o);
    BlockBackend *blk = open_ok(top, "qcow2", BLK_NO_BACKING);
    EXPECT_EQ(blk_pread(blk, 100, got, 4), 0);
    EXPECT(memcmp(got, "\0\0\0\0", 4) == 0);
    blk_set_backing(blk, open_ok(other, "raw", BLK_RDONLY));
    EXPECT_EQ(blk_pread(blk, 100, got, 4), 0);
    EXPECT(memcmp(got, "node", 4) == 0);
    blk_close(blk);
}

int main(void)
{
    return unit_run();
}
