/* needs: none */
/*
 * Fuzzes the qcow2 driver (block/qcow2*.c) on images whose header, L1
 * and L2 tables, refcount table and blocks all come from the input: open,
 * then a script of reads, writes, discards, zero writes, resizes,
 * flushes, checks (with and without fixing leaks) and info.  The input is
 *
 *   script (FUZZ_BLOCK_OPS * 4 bytes) | top length (LE32) | top | base
 *
 * where base becomes the top image's backing file when the top image
 * names it "base" (any other backing name is not opened: it could be any
 * host file).  A corrupt image must fail with an error, never crash.
 */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/block.h"

#define SCRIPT_LEN (FUZZ_BLOCK_OPS * 4)

/* The backing file name the image header names, if it is "base". */
static bool names_base(const uint8_t *img, size_t len)
{
    uint64_t off = 0;
    uint32_t n = 0;

    if (len < 20)
        return false;
    for (int i = 0; i < 8; i++)
        off = off << 8 | img[8 + i];
    for (int i = 0; i < 4; i++)
        n = n << 8 | img[16 + i];
    return n == 4 && off < len && len - off >= 4 &&
           !memcmp(img + off, "base", 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t top_len;
    g_autofree char *top = NULL, *base = NULL;
    BlockBackend *blk;
    char *err = NULL;
    int flags = BLK_CACHE_UNSAFE;

    if (size < SCRIPT_LEN + 4)
        return 0;
    top_len = (size_t)fuzz_le(data, size, SCRIPT_LEN, 4);
    if (top_len > size - SCRIPT_LEN - 4)
        top_len = size - SCRIPT_LEN - 4;
    top = fuzz_write_file("top", data + SCRIPT_LEN + 4, top_len);
    base = fuzz_write_file("base", data + SCRIPT_LEN + 4 + top_len,
                           size - SCRIPT_LEN - 4 - top_len);
    if (!names_base(data + SCRIPT_LEN + 4, top_len))
        flags |= BLK_NO_BACKING;
    if (data[0] & 0x80)
        flags |= BLK_RDONLY;
    blk = blk_open(top, "qcow2", flags, &err);
    if (!blk) {
        g_free(err);
        return 0;
    }
    fuzz_block_ops(blk, data);
    blk_close(blk);
    fuzz_check_qcow2_magic(top);
    return 0;
}
