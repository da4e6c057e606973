/* A store through a wild pointer (argv[1], default 16): the program dies
   of SIGSEGV, as natively (the shell sees status 139), whether the address
   is near 0 or far outside the address space. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    volatile unsigned long addr = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;

    printf("before\n");
    fflush(stdout);
    *(volatile int *)addr = 1;
    printf("after\n");
    return 0;
}
