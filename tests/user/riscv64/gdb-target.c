/*
 * The program tests/functional/test-user-gdb.py debugs under
 * mimic-riscv64 -g: a function to break at (add, kept a real call by
 * noipa), globals to read and write (counter, message: the program prints
 * message, so a write by gdb shows in its output), threads that call add
 * too ("threads"), and a store to address 16 ("segv").  Exits with 7.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

long counter = 41;
char message[16] = "original";

__attribute__((noipa)) long add(long a, long b)
{
    return a + b + counter;
}

static void *worker(void *arg)
{
    return (void *)add((long)arg, 100);
}

int main(int argc, char **argv)
{
    long r;

    if (argc > 1 && !strcmp(argv[1], "segv")) {
        /* Through a variable: a constant address draws a warning. */
        volatile uintptr_t addr = 16;

        *(volatile int *)addr = 1;
    }
    if (argc > 1 && !strcmp(argv[1], "threads")) {
        pthread_t t[2];
        void *ret;

        for (long i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, worker, (void *)i);
        for (int i = 0; i < 2; i++) {
            pthread_join(t[i], &ret);
            printf("worker %d: %ld\n", i, (long)ret);
        }
    }
    r = add(3, 4);
    printf("add=%ld message=%s\n", r, message);
    return 7;
}
