/* The /proc files that must describe the riscv64 program, not the
   emulator: /proc/self/maps lists the program and a stack mapping that
   holds the current stack pointer (pthread_getattr_np reads it to find
   the main thread's stack), /proc/self/auxv is the auxiliary vector
   getauxval reads, /proc/self/exe is the program, and /proc/self/cmdline
   (also by the process's number, as pidof reads it) holds the arguments,
   each with its NUL. */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char line[PATH_MAX + 100], exe[PATH_MAX] = "";
    unsigned long lo, hi, here = (unsigned long)&line;
    int prog = 0, stack = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

    if (n > 0)
        exe[n] = 0;
    while (f && fgets(line, sizeof(line), f)) {
        if (strstr(line, base) && strstr(line, " r-xp "))
            prog = 1;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= here && here < hi)
            stack = 1;
    }
    printf("maps: program %d, stack mapping holds sp %d\n", prog, stack);

    pthread_attr_t a;
    void *addr;
    size_t size;
    pthread_getattr_np(pthread_self(), &a);
    pthread_attr_getstack(&a, &addr, &size);
    printf("pthread stack holds sp: %d\n",
           (unsigned long)addr <= here && here < (unsigned long)addr + size);

    unsigned long v[2], pagesz = 0, entry = 0;
    f = fopen("/proc/self/auxv", "r");
    while (f && fread(v, sizeof(v), 1, f) == 1 && v[0]) {
        if (v[0] == AT_PAGESZ)
            pagesz = v[1];
        if (v[0] == AT_ENTRY)
            entry = v[1];
    }
    printf("auxv: pagesz %lu, entry matches getauxval %d\n", pagesz,
           entry == getauxval(AT_ENTRY));
    printf("exe is the program: %d\n", strstr(exe, base) != NULL);

    char want[4096], got[4096], path[64];
    size_t wlen = 0;
    for (int i = 0; i < argc && wlen + strlen(argv[i]) + 1 <= sizeof(want); i++) {
        memcpy(want + wlen, argv[i], strlen(argv[i]) + 1);
        wlen += strlen(argv[i]) + 1;
    }
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)getpid());
    const char *paths[] = { "/proc/self/cmdline", path };
    for (int i = 0; i < 2; i++) {
        size_t glen = 0;
        f = fopen(paths[i], "r");
        if (f) {
            glen = fread(got, 1, sizeof(got), f);
            fclose(f);
        }
        printf("%s holds argv: %d\n", i ? "/proc/PID/cmdline" : "/proc/self/cmdline",
               glen == wlen && memcmp(got, want, wlen) == 0);
    }
    return 0;
}
