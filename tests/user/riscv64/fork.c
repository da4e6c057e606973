/*
 * fork, vfork and waitpid: children that exit with statuses, a child
 * killed by a signal, a child that sees a copy of its parent's memory (and
 * whose writes the parent does not see), vfork + _exit, and waitpid's
 * ECHILD at the end.  "threaded": a fork while another thread runs (the
 * child has only the forking thread, and goes on creating threads).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_value = 1;
static atomic_int stop_spinning;
static atomic_long spins;

static void report(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited with %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: killed by signal %d\n", what, WTERMSIG(status));
    else
        printf("%s: status %#x\n", what, status);
}

static void *spinner(void *arg)
{
    while (!atomic_load(&stop_spinning))
        atomic_fetch_add(&spins, 1);
    return NULL;
}

static void *child_thread(void *arg)
{
    return (void *)((long)arg + 1);
}

/* qemu-riscv64 8.2 aborts in such a child: test-user.sh checks this
   part's output by itself. */
static int threaded_fork(void)
{
    int status;
    pid_t pid;
    pthread_t t;

    pthread_create(&t, NULL, spinner, NULL);
    while (atomic_load(&spins) < 1000)
        ;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pthread_t t2;
        void *r;
        /* Only this thread was copied: the spinner is not here. */
        pthread_create(&t2, NULL, child_thread, (void *)41);
        pthread_join(t2, &r);
        printf("child of a threaded parent: its thread returned %ld\n",
               (long)r);
        fflush(stdout);
        _exit(3);
    }
    waitpid(pid, &status, 0);
    report("threaded parent's child", status);
    atomic_store(&stop_spinning, 1);
    pthread_join(t, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    int status;
    pid_t pid;

    if (argc > 1 && !strcmp(argv[1], "threaded"))
        return threaded_fork();

    for (int code = 0; code < 3; code++) {
        fflush(stdout);
        pid = fork();
        if (pid == 0)
            exit(code * 7);
        waitpid(pid, &status, 0);
        report("fork child", status);
    }

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        shared_value = 99;
        printf("child sees %d after its own write\n", shared_value);
        exit(shared_value == 99 ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    report("copy child", status);
    printf("parent still sees %d\n", shared_value);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        for (;;)
            usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    report("killed child", status);

    fflush(stdout);
    pid = vfork();
    if (pid == 0)
        _exit(42);
    waitpid(pid, &status, 0);
    report("vfork child", status);

    pid = waitpid(-1, &status, 0);
    printf("waitpid with no children: %d (%s)\n", (int)pid,
           pid < 0 && errno == ECHILD ? "ECHILD" : "?");
    return 0;
}
