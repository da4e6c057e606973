/* Writes a line and its arguments, sets FS and GS with arch_prctl and
   reads through them, exits with a status of its own. */
#include "rt.h"

static u64 fs_block[2] = { 0, 0x1122334455667788ul };
static u64 gs_block[3] = { 0, 0, 0x0123456789abcdeful };

int main(int argc, char **argv, char **envp)
{
    put("hello from x86-64\n");
    put("argc ");
    put_dec(argc);
    put("\n");
    for (int i = 1; i < argc; i++) {
        put(argv[i]);
        put("\n");
    }
    u64 v, got = 0;

    put(sys3(158, 0x1002, (i64)fs_block, 0) == 0 ? "ARCH_SET_FS ok\n"
                                                  : "ARCH_SET_FS failed\n");
    __asm__ volatile("movq %%fs:8, %0" : "=r"(v));
    put_hex(v);
    put("\n");
    sys3(158, 0x1003, (i64)&got, 0);
    put(got == (u64)fs_block ? "ARCH_GET_FS ok\n" : "ARCH_GET_FS bad\n");
    sys3(158, 0x1001, (i64)gs_block, 0);
    __asm__ volatile("movq %%gs:16, %0" : "=r"(v));
    put_hex(v);
    put("\n");
    put(sys3(158, 0x9999, 0, 0) == -22 ? "bad code: EINVAL\n"
                                        : "bad code: other\n");
    return 42;
}
