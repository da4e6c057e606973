/*
 * The shared set-up of the fuzz harnesses (fuzz.h): their scratch
 * directory, chardevs and block scripts (the machine that some drive is
 * machine.c's).  Everything here is made once per process and kept, so
 * that one input costs only what it exercises.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "../../chardev/char-internal.h"
#include "fuzz.h"
#include "mimic/block.h"
#include "mimic/exec.h"
#include "mimic/log.h"
#include "mimic/main-loop.h"
#include "mimic/memory.h"

static char *scratch;

/* FUZZ_LOG=guest_errors,unimp (the -d items) shows what the code under
   test logs, to check what a seed does. */
__attribute__((constructor)) static void log_from_env(void)
{
    const char *items = getenv("FUZZ_LOG"), *bad;

    if (items && !log_parse_items(items, &log_flags, &bad))
        fprintf(stderr, "fuzz: FUZZ_LOG: unknown item '%s'\n", bad);
}

static void remove_scratch(void)
{
    GDir *d = g_dir_open(scratch, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(scratch, name, NULL);

        g_unlink(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(scratch);
}

char *fuzz_path(const char *name)
{
    if (!scratch) {
        /* In memory if we can: the harnesses rewrite files all the time. */
        const char *dir =
            access("/dev/shm", W_OK) == 0 ? "/dev/shm" : g_get_tmp_dir();
        g_autofree char *tmpl =
            g_build_filename(dir, "mimic-fuzz-XXXXXX", NULL);

        scratch = g_mkdtemp(g_steal_pointer(&tmpl));
        if (!scratch) {
            perror("fuzz: scratch directory");
            abort();
        }
        atexit(remove_scratch);
    }
    return g_build_filename(scratch, name, NULL);
}

char *fuzz_write_file(const char *name, const void *data, size_t len)
{
    char *path = fuzz_path(name);
    /* Not g_file_set_contents: it fsyncs, which costs far more than a run. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) != 0) {
        perror(path);
        abort();
    }
    return path;
}

uint64_t fuzz_le(const uint8_t *data, size_t size, size_t off, int bytes)
{
    uint64_t v = 0;

    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | (off + i < size ? data[off + i] : 0);
    return v;
}

Chardev *fuzz_chardev(const char *id)
{
    g_autofree char *spec = g_strdup_printf("null,id=%s", id);
    char *err = NULL;
    Chardev *chr = chardev_new(spec, &err);

    if (!chr) {
        fprintf(stderr, "fuzz: chardev: %s\n", err);
        abort();
    }
    return chr;
}

void fuzz_chardev_reconnect(Chardev *chr)
{
    chardev_event(chr, CHARDEV_EVENT_CLOSED);
    chardev_event(chr, CHARDEV_EVENT_OPENED);
}

void fuzz_chardev_feed(Chardev *chr, const uint8_t *data, size_t size)
{
    /* The chardev buffers at most CHARDEV_INBUF_SIZE bytes at a time. */
    for (size_t i = 0; i < size; i += CHARDEV_INBUF_SIZE) {
        size_t n =
            size - i < CHARDEV_INBUF_SIZE ? size - i : CHARDEV_INBUF_SIZE;

        chardev_receive(chr, data + i, (int)n);
    }
}

/* Where in [0, size) an op goes: sel/65536 of the way, sector-aligned
   half of the time. */
static uint64_t block_offset(uint64_t size, unsigned sel)
{
    uint64_t off = (uint64_t)((unsigned __int128)size * (sel & 0x7fff) >> 15);

    return sel & 0x8000 ? off : off & ~511ull;
}

static void block_check(BlockBackend *blk, bool fix)
{
    BlockCheckResult res = {0};
    char *err = NULL;

    blk_check(blk, fix, &res, &err);
    blk_check_result_free(&res);
    g_free(err);
}

static void block_op(BlockBackend *blk, const uint8_t *op, uint8_t *buf)
{
    uint64_t size = blk_getlength(blk);
    uint64_t off = block_offset(size, op[1] | op[2] << 8);
    size_t len = ((size_t)op[3] + 1) * 512;
    char *err = NULL;
    BlockInfo info;

    if (len > size - MIN(off, size))
        len = (size_t)(size - MIN(off, size));
    switch (op[0] & 15) {
    case 0:
    case 1:
    case 2:
        blk_pread(blk, off, buf, len);
        break;
    case 3:
    case 4:
        memset(buf, op[0], len);
        blk_pwrite(blk, off, buf, len);
        break;
    case 5:
        blk_discard(blk, off, len);
        break;
    case 6:
        blk_write_zeroes(blk, off, len, op[0] & 0x10);
        break;
    case 7:
        /* Grow or shrink by up to 8 MiB, in 64 KiB steps or odd sizes. */
        off = (uint64_t)(op[1] & 0x7f) << (op[0] & 0x10 ? 16 : 9);
        blk_truncate(blk, op[1] & 0x80 ? size - MIN(off, size) : size + off,
                     &err);
        g_free(err);
        break;
    case 8:
        blk_flush(blk);
        break;
    case 9:
        block_check(blk, op[0] & 0x10);
        break;
    case 10:
        if (blk_info(blk, &info) == 0)
            blk_info_free(&info);
        break;
    default:
        /* Reads crossing the end fail; the last bytes must still read. */
        blk_pread(blk, size - MIN(size, 512), buf, MIN(size, 512));
        blk_pread(blk, size, buf, 512);
        break;
    }
}

void fuzz_block_ops(BlockBackend *blk, const uint8_t *script)
{
    static uint8_t buf[256 * 512];

    for (int i = 0; i < FUZZ_BLOCK_OPS; i++)
        block_op(blk, script + 4 * i, buf);
}

void fuzz_check_qcow2_magic(const char *path)
{
    uint8_t magic[4] = {0};
    int fd = open(path, O_RDONLY);

    if (fd < 0 || read(fd, magic, 4) != 4 || memcmp(magic, "QFI\xfb", 4)) {
        fprintf(stderr, "fuzz: %s lost its qcow2 header\n", path);
        abort();
    }
    close(fd);
}
