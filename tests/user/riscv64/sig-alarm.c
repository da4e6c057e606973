/*
 * Signals that interrupt a loop and blocking syscalls: SIGALRM from
 * setitimer() in a loop without syscalls, from alarm() ending
 * pause(), from setitimer() ending nanosleep with EINTR, a blocking read
 * on a pipe with and without SA_RESTART (the handler writes a byte: with
 * SA_RESTART the read goes on and returns it, without it fails with
 * EINTR), sigsuspend returning EINTR after the handler with the old mask
 * back, and sigtimedwait taking a blocked signal or timing out.  Exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int alarms;
static int pipefd[2];

static void on_alarm(int sig)
{
    alarms++;
}

static void on_alarm_write(int sig)
{
    alarms++;
    write(pipefd[1], "x", 1);
}

static void set(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void timer_ms(int ms)
{
    struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    struct timespec req = { 5, 0 }, rem;
    char c = 0;
    ssize_t n;
    int r;
    sigset_t block, old, now;
    struct timespec ts = { 0, 20000000 };
    siginfo_t si;

    /* Line by line: a run that hangs shows the step it hung in. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* A loop that makes no syscall: the handler runs in between. */
    set(SIGALRM, on_alarm, 0);
    timer_ms(50);
    while (!alarms)
        ;
    printf("busy loop interrupted: alarms %d\n", alarms);
    alarms = 0;
    alarm(1);
    r = pause();
    printf("pause: %d EINTR %d alarms %d\n", r, errno == EINTR, alarms);

    timer_ms(50);
    r = nanosleep(&req, &rem);
    printf("nanosleep: %d EINTR %d alarms %d rem < 5 s %d\n", r,
           errno == EINTR, alarms, rem.tv_sec < 5);

    pipe(pipefd);
    set(SIGALRM, on_alarm_write, 0);
    timer_ms(50);
    n = read(pipefd[0], &c, 1);
    printf("read without SA_RESTART: %zd EINTR %d alarms %d\n", n,
           n < 0 && errno == EINTR, alarms);
    n = read(pipefd[0], &c, 1);
    printf("the byte was there: %zd '%c'\n", n, c);
    set(SIGALRM, on_alarm_write, SA_RESTART);
    c = 0;
    timer_ms(50);
    n = read(pipefd[0], &c, 1);
    printf("read with SA_RESTART: %zd '%c' alarms %d\n", n, c, alarms);

    /* sigsuspend: SIGALRM blocked outside, let in while suspended. */
    set(SIGALRM, on_alarm, 0);
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    timer_ms(50);
    sigemptyset(&now);
    r = sigsuspend(&now);
    printf("sigsuspend: %d EINTR %d alarms %d\n", r, errno == EINTR, alarms);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask back: SIGALRM blocked %d\n", sigismember(&now, SIGALRM));

    /* sigtimedwait: takes the blocked SIGALRM without the handler. */
    timer_ms(30);
    r = sigwaitinfo(&block, &si);
    printf("sigwaitinfo: %d (SIGALRM %d) si_signo %d alarms %d\n", r,
           SIGALRM, si.si_signo, alarms);
    r = sigtimedwait(&block, &si, &ts);
    printf("sigtimedwait, nothing: %d EAGAIN %d\n", r, errno == EAGAIN);
    raise(SIGALRM);
    r = sigtimedwait(&block, &si, &ts);
    printf("sigtimedwait, raised: %d code %d (SI_TKILL %d)\n", r,
           si.si_code, SI_TKILL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("alarms %d\n", alarms);
    return 0;
}
