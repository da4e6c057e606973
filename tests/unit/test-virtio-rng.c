/* needs: riscv64-softmmu */
/*
 * Tests of virtio-rng's backends and rate limit (hw/virtio/virtio-rng.c):
 * an -object rng-random on a file fills requests with the file's bytes
 * and, at the file's end, leaves them waiting; max-bytes=N caps what one
 * period gives.
 */
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mimic/rng.h"
#include "mimic/virtio-devices.h"
#include "unit.h"
#include "virtio-test.h"

#define F_V1 (1ull << VIRTIO_F_VERSION_1)

static uint32_t request(unsigned len, uint64_t *addr)
{
    uint32_t head, got = 0;

    *addr = vt_alloc(len, 0);
    vt_add(0, (VTBuf[]){ { *addr, len, true } }, 1);
    vt_kick(0);
    if (vt_used_count(0) == 0)
        return UINT32_MAX;           /* still waiting */
    vt_used_next(0, &head, &got);
    return got;
}

TEST(rng_random_reads_the_file_then_waits_at_its_end)
{
    g_autofree char *dir = g_dir_make_tmp("mimic-rng-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "src", NULL);
    char *err = NULL;
    RngBackend *rng;
    uint64_t a;

    g_file_set_contents(path, "0123456789", 10, NULL);
    EXPECT(rng_backend_new_random("bad", "/nonexistent/x", &err) == NULL);
    EXPECT_STREQ(err, "Could not open '/nonexistent/x': No such file or "
                      "directory");
    g_free(err);
    rng = rng_backend_new_random("file", path, &err);
    g_assert(rng);
    vt_plug(virtio_rng_create_backend(rng, &err));
    vt_start(F_V1, 16);
    EXPECT_EQ(request(4, &a), 4);
    EXPECT(!memcmp(vt_ptr(a, 4), "0123", 4));
    EXPECT_EQ(request(64, &a), 6);
    EXPECT(!memcmp(vt_ptr(a, 6), "456789", 6));
    EXPECT_EQ(request(8, &a), UINT32_MAX);   /* nothing more: it waits */
    EXPECT(!vt_needs_reset());
    unlink(path);
    g_rmdir(dir);
}

TEST(rng_max_bytes_per_period)
{
    char *err = NULL;
    VirtIODevice *vdev = virtio_rng_create(&err);
    uint64_t a;

    EXPECT(!virtio_rng_set_limit(vdev, "10", "0", &err));
    EXPECT_STREQ(err, "'period' parameter expects a positive integer");
    g_free(err);
    err = NULL;
    EXPECT(virtio_rng_set_limit(vdev, "100", "100000", &err));
    vt_plug(vdev);
    vt_start(F_V1, 16);
    EXPECT_EQ(request(64, &a), 64);
    EXPECT_EQ(request(64, &a), 36);
    EXPECT_EQ(request(64, &a), UINT32_MAX);  /* the quota is spent */
}

int main(void)
{
    return unit_run();
}
