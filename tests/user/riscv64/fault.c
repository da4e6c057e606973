/* A store through a wild pointer: the program dies of SIGSEGV, as natively
   (the shell sees status 139). */
#include <stdio.h>

int main(void)
{
    volatile int *p = (int *)16;

    printf("before\n");
    fflush(stdout);
    *p = 1;
    printf("after\n");
    return 0;
}
