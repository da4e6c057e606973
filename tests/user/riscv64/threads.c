/*
 * pthreads under stress: 8 threads add to shared counters under a mutex,
 * with atomics and with nothing but a condition variable hand-off, then
 * are joined; the totals must be exact.  A barrier of condition variables
 * (every thread waits for all) runs a few rounds.  Prints the totals.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define NTHREADS 8
#define ITERS 20000
#define ROUNDS 50

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long locked_sum;
static atomic_long atomic_sum;
static _Atomic int atomic_max;
static long round_arrived, round_no;
static long token, token_passes;

/* A barrier from a mutex and a condition variable. */
static void barrier(void)
{
    pthread_mutex_lock(&lock);
    long my_round = round_no;
    if (++round_arrived == NTHREADS) {
        round_arrived = 0;
        round_no++;
        pthread_cond_broadcast(&cond);
    } else {
        while (round_no == my_round)
            pthread_cond_wait(&cond, &lock);
    }
    pthread_mutex_unlock(&lock);
}

/* Each thread waits for the token to be its number, then passes it on. */
static void pass_token(long me)
{
    pthread_mutex_lock(&lock);
    while (token % NTHREADS != me)
        pthread_cond_wait(&cond, &lock);
    token++;
    token_passes++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

static void *worker(void *arg)
{
    long me = (long)arg;

    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&lock);
        locked_sum += me + 1;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&atomic_sum, 2 * (me + 1));
        int m = atomic_load(&atomic_max);
        while (m < i * NTHREADS + (int)me &&
               !atomic_compare_exchange_weak(&atomic_max, &m,
                                             i * NTHREADS + (int)me))
            ;
    }
    for (int r = 0; r < ROUNDS; r++) {
        barrier();
        pass_token(me);
    }
    return (void *)(me * 10);
}

int main(void)
{
    pthread_t t[NTHREADS];
    long results = 0;

    for (long i = 0; i < NTHREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        results += (long)r;
    }
    long expect = (long)ITERS * NTHREADS * (NTHREADS + 1) / 2;
    printf("mutex sum: %ld (%s)\n", locked_sum,
           locked_sum == expect ? "exact" : "WRONG");
    printf("atomic sum: %ld (%s)\n", (long)atomic_sum,
           atomic_sum == 2 * expect ? "exact" : "WRONG");
    printf("atomic max: %d\n", (int)atomic_max);
    printf("barrier rounds: %ld, token passes: %ld\n", round_no,
           token_passes);
    printf("join results: %ld\n", results);
    return locked_sum == expect && atomic_sum == 2 * expect ? 0 : 1;
}
