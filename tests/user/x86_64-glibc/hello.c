/*
 * A glibc program, linked statically: its start-up (TLS, IRELATIVE
 * relocations picking the string functions by CPUID) and printf run
 * the SSE2 code x86-64's baseline lets glibc use.  It prints its
 * arguments, their lengths through strlen, and a string compare, so the
 * SSE2 strlen/strchr/strcmp/memcpy glibc chose are exercised.
 * tests/functional/test-user-x86_64.sh compares it with a native run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char buf[256];

    printf("hello, world: %d arguments\n", argc);
    for (int i = 1; i < argc; i++) {
        snprintf(buf, sizeof(buf), "[%s]", argv[i]);
        printf("%s %zu %d %s\n", buf, strlen(argv[i]),
               strcmp(argv[i], "two words"),
               strchr(argv[i], 'w') ? "has w" : "no w");
    }
    /* Lengths around the 16- and 64-byte steps of the vector code. */
    for (int n = 0; n < 200; n += 7) {
        char *p = malloc((size_t)n + 1);

        memset(p, 'a' + n % 26, (size_t)n);
        p[n] = 0;
        memcpy(buf, p, (size_t)n + 1);
        printf("%d:%zu%c", n, strlen(buf), n % 70 == 63 ? '\n' : ' ');
        free(p);
    }
    printf("\n");
    return 3;
}
