/*
 * System workload: fork + exec + exit + wait loops, and a pipe ping-pong
 * between two processes (every round trip is two context switches).
 */
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
    double s = bench_scale(argc, argv);
    long forks = (long)(300 * s) + 1, pings = (long)(20000 * s) + 1;
    const char *truebin = argc > 2 ? argv[2] : "/bin/true";
    int to_child[2], to_parent[2];
    uint64_t h = 0;
    pid_t pid;

    bench_start("sys");
    for (long i = 0; i < forks; i++) {
        int st;

        pid = fork();
        if (pid == 0) {
            execl(truebin, "true", (char *)NULL);
            _exit(127);
        }
        if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
            WEXITSTATUS(st)) {
            fprintf(stderr, "fork/exec of %s failed\n", truebin);
            return 1;
        }
        h++;
    }
    if (pipe(to_child) || pipe(to_parent))
        return 1;
    pid = fork();
    if (pid == 0) {
        uint32_t v;

        close(to_child[1]);         /* so that the parent's close is EOF */
        close(to_parent[0]);
        while (read(to_child[0], &v, 4) == 4) {
            v = v * 3 + 1;
            if (write(to_parent[1], &v, 4) != 4)
                break;
        }
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    for (long i = 0; i < pings; i++) {
        uint32_t v = (uint32_t)i;

        if (write(to_child[1], &v, 4) != 4 || read(to_parent[0], &v, 4) != 4)
            return 1;
        h += v;
    }
    close(to_child[1]);
    waitpid(pid, NULL, 0);
    bench_end("sys", h);
    return 0;
}
