/*
 * Robust mutexes: a thread that exits holding one leaves it to the next
 * locker with EOWNERDEAD (whether that locker already waits or comes
 * later), pthread_mutex_consistent makes it usable again; a process that
 * exits or execs holding a process-shared one does the same to its
 * parent; a
 * thread whose robust list is corrupt (a loop, an unmapped entry) still
 * exits cleanly.  Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m;
static int fd[2];

static void *owner(void *arg)
{
    pthread_mutex_lock(&m);
    write(fd[1], "x", 1);
    /* Dies with the mutex held: its locker may be waiting already. */
    return NULL;
}

static void init_robust(pthread_mutex_t *mx, int pshared)
{
    pthread_mutexattr_t a;

    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setpshared(&a, pshared);
    pthread_mutex_init(mx, &a);
    pthread_mutexattr_destroy(&a);
}

/* A robust list head whose one entry points to itself (not back to the
   head), or into unmapped memory: the walk must end all the same. */
static struct robust_list_head bad_head;
static struct robust_list loop_entry;

static void *bad_list(void *arg)
{
    if (arg) {
        bad_head.list.next = &loop_entry;
        loop_entry.next = &loop_entry;
    } else {
        bad_head.list.next = (struct robust_list *)(uintptr_t)16;
    }
    bad_head.futex_offset = 8;
    bad_head.list_op_pending = NULL;
    return (void *)syscall(SYS_set_robust_list, &bad_head,
                           sizeof(bad_head));
}

int main(void)
{
    pthread_t t;
    char c;
    void *ret;

    init_robust(&m, PTHREAD_PROCESS_PRIVATE);
    pipe(fd);
    for (int round = 0; round < 3; round++) {
        pthread_create(&t, NULL, owner, NULL);
        read(fd[0], &c, 1);
        int r = pthread_mutex_lock(&m);
        printf("round %d: lock after the owner died: %s\n", round,
               r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
        if (round < 2) {
            printf("  consistent: %d\n", pthread_mutex_consistent(&m));
            pthread_mutex_unlock(&m);
            r = pthread_mutex_lock(&m);
            printf("  lock again: %d\n", r);
            pthread_mutex_unlock(&m);
        } else {
            /* Unlocked without consistent: unrecoverable. */
            pthread_mutex_unlock(&m);
            r = pthread_mutex_lock(&m);
            printf("  lock of an inconsistent one: %s\n",
                   r == ENOTRECOVERABLE ? "ENOTRECOVERABLE" : strerror(r));
        }
        pthread_join(t, NULL);
    }

    /* Process-shared, in shared memory: the child exits holding it. */
    pthread_mutex_t *sm = mmap(NULL, sizeof(*sm), PROT_READ | PROT_WRITE,
                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    init_robust(sm, PTHREAD_PROCESS_SHARED);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(sm);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    int r = pthread_mutex_lock(sm);
    printf("shared, the child exited holding it: %s\n",
           r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));

    /* The child execs holding it: exec releases the robust list as
       exit does (the kernel's exec_mm_release). */
    pthread_mutex_consistent(sm);
    pthread_mutex_unlock(sm);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(sm);
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    r = pthread_mutex_timedlock(sm, &deadline);
    printf("shared, the child exec'd holding it (status %d): %s\n",
           WEXITSTATUS(status), r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));

    pthread_create(&t, NULL, bad_list, (void *)1);
    pthread_join(t, &ret);
    printf("a looping robust list: set %ld, the thread ended\n", (long)ret);
    pthread_create(&t, NULL, bad_list, NULL);
    pthread_join(t, &ret);
    printf("an unmapped robust entry: set %ld, the thread ended\n",
           (long)ret);
    return 0;
}
