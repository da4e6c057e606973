/* needs: none */
/*
 * Fuzzes raw images and the format probe (block/raw.c, block/block.c):
 * the image is the input after a script of block operations (reads,
 * writes, discards, zero writes, resizes, flushes, checks, info; see
 * fuzz_block_ops); the first byte's top bit says whether the format is
 * named or probed (a probed image that looks like qcow2 opens as qcow2,
 * without its backing file).
 */
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "mimic/block.h"

#define SCRIPT_LEN (FUZZ_BLOCK_OPS * 4)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *path = NULL;
    BlockBackend *blk;
    char *err = NULL;
    bool probe, qcow2;

    if (size < SCRIPT_LEN)
        return 0;
    probe = data[0] & 0x80;
    path = fuzz_write_file("image", data + SCRIPT_LEN, size - SCRIPT_LEN);
    blk = blk_open(path, probe ? NULL : "raw",
                   BLK_CACHE_UNSAFE | BLK_NO_BACKING, &err);
    if (!blk) {
        g_free(err);
        return 0;
    }
    qcow2 = !strcmp(blk_format_name(blk), "qcow2");
    fuzz_block_ops(blk, data);
    blk_close(blk);
    if (qcow2)
        fuzz_check_qcow2_magic(path);
    return 0;
}
