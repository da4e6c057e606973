/*
 * Threads that come and go: threads ending by pthread_exit and by return
 * while others still run, joined in an order other than the one they
 * ended in; 300 short threads created and joined one after another (the
 * emulator reuses what ended threads left); detached threads; thread-local
 * storage; gettid unlike getpid in a thread; and at the end the first
 * thread leaves by pthread_exit while a last one runs, so that the
 * process ends (status 0) when that last one does.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread long tls_value = 42;
static atomic_int detached_done;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int release_stage;

static void wait_stage(int stage)
{
    pthread_mutex_lock(&lock);
    while (release_stage < stage)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
}

static void set_stage(int stage)
{
    pthread_mutex_lock(&lock);
    release_stage = stage;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

/* Ends at its stage, by pthread_exit or by return. */
static void *staged(void *arg)
{
    long n = (long)arg;

    tls_value = n;
    wait_stage((int)n);
    if (n % 2)
        pthread_exit((void *)(tls_value * 100));
    return (void *)(tls_value * 100);
}

static void *short_one(void *arg)
{
    return (void *)((long)arg * 2 + tls_value);
}

static void *detached(void *arg)
{
    atomic_fetch_add(&detached_done, 1);
    return NULL;
}

static void *tid_check(void *arg)
{
    *(int *)arg = syscall(SYS_gettid) != getpid();
    return NULL;
}

static void *last_thread(void *arg)
{
    usleep(50000);
    printf("last thread: done, the process ends with it\n");
    fflush(stdout);
    return NULL;
}

int main(void)
{
    pthread_t t[6], th;
    long sum = 0;
    int differs = 0;

    for (long i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, staged, (void *)(i + 1));
    /* Let them end in the order 1..6, join them 6..1. */
    for (int s = 1; s <= 6; s++)
        set_stage(s);
    for (int i = 5; i >= 0; i--) {
        void *r;
        pthread_join(t[i], &r);
        printf("joined thread %d: %ld\n", i + 1, (long)r);
    }
    printf("main's tls still %ld\n", tls_value);

    for (long i = 0; i < 300; i++) {
        void *r;
        if (pthread_create(&th, NULL, short_one, (void *)i) != 0) {
            printf("create %ld failed\n", i);
            return 1;
        }
        pthread_join(th, &r);
        sum += (long)r;
    }
    printf("300 short threads: sum %ld\n", sum);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 20; i++)
        pthread_create(&th, &attr, detached, NULL);
    while (atomic_load(&detached_done) < 20)
        usleep(1000);
    printf("20 detached threads ran\n");

    pthread_create(&th, NULL, tid_check, &differs);
    pthread_join(th, NULL);
    printf("a thread's tid differs from the pid: %s\n", differs ? "yes" : "no");

    pthread_create(&th, NULL, last_thread, NULL);
    printf("main thread: pthread_exit\n");
    fflush(stdout);
    pthread_exit(NULL);
}
