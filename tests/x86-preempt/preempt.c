/*
 * preempt SITES K PROG ARGS...: runs PROG natively under ptrace with a
 * breakpoint at each address listed in the file SITES (hex, one a line:
 * the instructions of PROG's code), each armed for its first K
 * executions.  A hit stops PROG before the instruction and a single step
 * stops it after: at each stop the tracee is scheduled out, so Linux
 * saves its FPU state (XSAVE*) and loads it back (XRSTOR*) on both sides
 * of the instruction, as a preemption there would.  A program whose
 * output then differs from a plain run depends on state a context switch
 * changes (FCS and FDS, see docs/devel/x86.md), which no test compared
 * with a native run may print as it is.  PROG's output, exit status and
 * death by signal pass through; the number of stops goes to stderr.
 * tests/x86-preempt/run.sh runs the x86 test programs this way.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

typedef struct {
    unsigned long addr;
    unsigned char orig;         /* the byte the int3 replaced */
    int left;                   /* executions still to stop at */
} Site;

static Site *sites;
static int nsites;

static int by_addr(const void *a, const void *b)
{
    unsigned long x = ((const Site *)a)->addr, y = ((const Site *)b)->addr;

    return x < y ? -1 : x > y;
}

static Site *find(unsigned long a)
{
    int lo = 0, hi = nsites - 1;

    while (lo <= hi) {
        int m = lo + (hi - lo) / 2;

        if (sites[m].addr == a)
            return &sites[m];
        if (sites[m].addr < a)
            lo = m + 1;
        else
            hi = m - 1;
    }
    return NULL;
}

static void put_byte(pid_t p, unsigned long addr, unsigned char b)
{
    long w = ptrace(PTRACE_PEEKTEXT, p, addr, 0);

    ptrace(PTRACE_POKETEXT, p, addr, (w & ~0xffL) | b);
}

static void arm(pid_t p, Site *s)
{
    s->orig = (unsigned char)ptrace(PTRACE_PEEKTEXT, p, s->addr, 0);
    put_byte(p, s->addr, 0xcc);
}

/* Stops counted, then PROG's exit status or its death by the same signal. */
static int finish(int st, unsigned long stops)
{
    fprintf(stderr, "preempt: %lu stops\n", stops);
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    signal(WTERMSIG(st), SIG_DFL);
    kill(getpid(), WTERMSIG(st));
    return 128 + WTERMSIG(st);
}

static void read_sites(const char *path, int k)
{
    FILE *f = fopen(path, "r");
    unsigned long a;
    int cap = 1024;

    if (!f) {
        perror(path);
        exit(2);
    }
    sites = malloc(cap * sizeof(*sites));
    while (fscanf(f, "%lx", &a) == 1) {
        if (nsites == cap)
            sites = realloc(sites, (cap *= 2) * sizeof(*sites));
        sites[nsites++] = (Site){ a, 0, k };
    }
    fclose(f);
    qsort(sites, nsites, sizeof(*sites), by_addr);
}

int main(int argc, char **argv)
{
    unsigned long stops = 0;
    int st, sig = 0;
    pid_t p;

    if (argc < 4) {
        fprintf(stderr, "usage: preempt SITES K PROG ARGS...\n");
        return 2;
    }
    read_sites(argv[1], atoi(argv[2]));
    p = fork();
    if (p == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[3], argv + 3);
        _exit(127);
    }
    waitpid(p, &st, 0);                 /* stopped at the exec */
    for (int i = 0; i < nsites; i++)
        arm(p, &sites[i]);
    for (;;) {
        struct user_regs_struct r;
        Site *s;

        ptrace(PTRACE_CONT, p, 0, sig);
        sig = 0;
        if (waitpid(p, &st, 0) < 0 || !WIFSTOPPED(st))
            return finish(st, stops);
        stops++;
        if (WSTOPSIG(st) != SIGTRAP) {
            sig = WSTOPSIG(st);         /* the program's own signal */
            continue;
        }
        ptrace(PTRACE_GETREGS, p, 0, &r);
        s = find(r.rip - 1);
        if (!s || s->left <= 0 || s->orig == 0xcc) {
            sig = SIGTRAP;              /* the program's own int3 */
            continue;
        }
        put_byte(p, s->addr, s->orig);
        r.rip--;
        ptrace(PTRACE_SETREGS, p, 0, &r);
        ptrace(PTRACE_SINGLESTEP, p, 0, 0);
        if (waitpid(p, &st, 0) < 0 || !WIFSTOPPED(st))
            return finish(st, stops);
        stops++;
        if (--s->left > 0)
            arm(p, s);
        if (WSTOPSIG(st) != SIGTRAP)
            sig = WSTOPSIG(st);         /* the instruction faulted */
    }
}
