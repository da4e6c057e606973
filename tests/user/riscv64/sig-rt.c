/*
 * Real-time signals: sigqueue carries a value to an SA_SIGINFO handler
 * (SIGRTMIN+3, si_code SI_QUEUE); real-time signals queue while blocked
 * (five of one number are five calls, in order) where standard ones
 * merge; several numbers come lowest first, standard ones before them;
 * a thread gets one by pthread_sigqueue; sigtimedwait takes one with its
 * value; a child's default action for one ends it by that signal (its
 * parent sees the guest's number).  Exits 0.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOG_MAX 64
static int log_sig[LOG_MAX], log_val[LOG_MAX], log_code[LOG_MAX];
static volatile int logged, total;

static void handler(int sig, siginfo_t *si, void *ctx)
{
    total++;
    if (logged < LOG_MAX) {
        log_sig[logged] = sig;
        log_val[logged] = si->si_value.sival_int;
        log_code[logged] = si->si_code;
        logged++;
    }
}

static void on(int sig)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    /* Nothing more blocked: Linux sets up a frame for every pending
       signal it may deliver, lowest number first, before the program
       runs again, so the handlers run highest first (the last frame is
       on top), and a second one of a number waits until its first
       handler returned. */
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Prints what the handler saw since the last call, as signal numbers
   relative to SIGRTMIN (r+n) or plain ones. */
static void show(const char *what)
{
    printf("%s:", what);
    for (int i = 0; i < logged; i++) {
        if (log_sig[i] >= SIGRTMIN)
            printf(" r+%d", log_sig[i] - SIGRTMIN);
        else
            printf(" %d", log_sig[i]);
        if (log_code[i] == SI_QUEUE)
            printf("=%d", log_val[i]);
    }
    printf("\n");
    logged = 0;
}

static void block(int sig, int how)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(how, &set, NULL);
}

static volatile int thread_got;

static void thread_handler(int sig, siginfo_t *si, void *ctx)
{
    thread_got = si->si_value.sival_int;
}

static void *thread_fn(void *arg)
{
    int *fd = arg;
    char c;

    /* The main thread blocks SIGRTMIN+1; this one takes it (its read
       may end by it or by the byte the main thread writes after). */
    block(SIGRTMIN + 1, SIG_UNBLOCK);
    read(fd[0], &c, 1);
    while (!thread_got)
        ;
    return NULL;
}

int main(void)
{
    union sigval v;
    sigset_t set;
    siginfo_t si;
    pthread_t t;
    int fd[2];

    printf("SIGRTMAX - SIGRTMIN: %d\n", SIGRTMAX - SIGRTMIN);

    on(SIGRTMIN + 3);
    v.sival_int = 42;
    sigqueue(getpid(), SIGRTMIN + 3, v);
    show("sigqueue");

    /* Five of one real-time number queue; five SIGUSR1 merge into one. */
    on(SIGUSR1);
    block(SIGRTMIN + 3, SIG_BLOCK);
    block(SIGUSR1, SIG_BLOCK);
    for (int i = 1; i <= 5; i++) {
        v.sival_int = i;
        sigqueue(getpid(), SIGRTMIN + 3, v);
        sigqueue(getpid(), SIGUSR1, v);
    }
    block(SIGUSR1, SIG_UNBLOCK);
    show("SIGUSR1 x5");
    block(SIGRTMIN + 3, SIG_UNBLOCK);
    show("SIGRTMIN+3 x5");

    /* Lowest number first, standard ones before real-time ones. */
    on(SIGRTMIN);
    on(SIGRTMIN + 7);
    on(SIGRTMIN + 20);
    on(SIGUSR2);
    sigfillset(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
    v.sival_int = 7;
    sigqueue(getpid(), SIGRTMIN + 20, v);
    sigqueue(getpid(), SIGRTMIN + 7, v);
    v.sival_int = 8;
    sigqueue(getpid(), SIGRTMIN + 7, v);
    raise(SIGUSR2);
    kill(getpid(), SIGRTMIN);
    sigqueue(getpid(), SIGRTMIN + 3, v);
    sigpending(&set);
    printf("pending: %d %d %d %d\n", sigismember(&set, SIGRTMIN),
           sigismember(&set, SIGRTMIN + 7), sigismember(&set, SIGRTMIN + 20),
           sigismember(&set, SIGRTMIN + 1));
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    show("order");

    /* Many queued at once (more than a small queue holds), none lost. */
    total = 0;
    block(SIGRTMIN + 3, SIG_BLOCK);
    for (int i = 0; i < 200; i++) {
        v.sival_int = i;
        if (sigqueue(getpid(), SIGRTMIN + 3, v) != 0)
            perror("sigqueue");
    }
    block(SIGRTMIN + 3, SIG_UNBLOCK);
    {
        int in_order = 1;

        for (int i = 0; i < logged; i++)
            in_order &= log_val[i] == i;
        printf("200 queued: %d delivered, the first %d in order: %d\n",
               total, logged, in_order);
        logged = 0;
    }

    /* sigtimedwait takes a queued one with its value. */
    block(SIGRTMIN + 2, SIG_BLOCK);
    v.sival_int = 99;
    sigqueue(getpid(), SIGRTMIN + 2, v);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 2);
    printf("sigwaitinfo: r+%d value %d code %s\n",
           sigwaitinfo(&set, &si) - SIGRTMIN, si.si_value.sival_int,
           si.si_code == SI_QUEUE ? "SI_QUEUE" : "other");

    /* A thread's own: pthread_sigqueue while the main thread blocks it. */
    {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = thread_handler;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGRTMIN + 1, &sa, NULL);
    }
    block(SIGRTMIN + 1, SIG_BLOCK);
    pipe(fd);
    pthread_create(&t, NULL, thread_fn, fd);
    v.sival_int = 5;
    pthread_sigqueue(t, SIGRTMIN + 1, v);
    write(fd[1], "x", 1);
    pthread_join(t, NULL);
    printf("thread: value %d\n", thread_got);

    /* The default action of a real-time signal ends the process by it. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGRTMIN + 5, SIG_DFL);
        kill(getpid(), SIGRTMIN + 5);
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child: signalled %d by r+%d\n", WIFSIGNALED(status),
           WTERMSIG(status) - SIGRTMIN);
    return 0;
}
