/* What the auxiliary vector says: AT_MINSIGSTKSZ is given by Linux 6.1
   on riscv64 and by Mimic, not by qemu-riscv64 7.2 (test-binfmt.sh uses
   it to tell which emulator ran a program); AT_PAGESZ, AT_HWCAP and the
   AT_EXECFN string are the same everywhere. */
#include <stdio.h>
#include <sys/auxv.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("minsigstksz %lu\n", getauxval(AT_MINSIGSTKSZ));
        return 0;
    }
    printf("pagesz %lu hwcap %#lx execfn-set %d\n", getauxval(AT_PAGESZ),
           getauxval(AT_HWCAP), getauxval(AT_EXECFN) != 0);
    return 0;
}
