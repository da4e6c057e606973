/*
 * execve and what runs the new program.  Without arguments (compared with
 * qemu-riscv64, which runs host programs too): fork + exec of /bin/sh -c
 * 'exit 3' and its status, system() (glibc's posix_spawn: a CLONE_VFORK
 * clone), a "#!/bin/sh" script, and execve's errors.  "chain N": the
 * program execs itself (through argv[0] and /proc/self/exe in turn) to
 * count down, each level forking, exec'ing and waiting for the next, and
 * runs itself as the interpreter of a "#!" script; qemu-riscv64 needs
 * binfmt_misc for that, Mimic does not (test-user.sh checks the output).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void report(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited with %d\n", what, WEXITSTATUS(status));
    else
        printf("%s: status %#x\n", what, status);
    fflush(stdout);
}

static int run(char *const argv[])
{
    int status;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, environ);
        printf("exec %s failed: %s\n", argv[0], strerror(errno));
        fflush(stdout);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    return status;
}

static void write_script(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, 0755);
}

static int host_programs(void)
{
    char *sh[] = { "/bin/sh", "-c", "exit 3", NULL };
    char *echo[] = { "/bin/sh", "-c", "echo from the host shell: $0 $1",
                     "zero", "one", NULL };
    char *script[] = { "./exec-script.sh", "arg1", NULL };
    char *missing[] = { "./no-such-program", NULL };
    char *dir[] = { "/", NULL };

    report("/bin/sh -c 'exit 3'", run(sh));
    report("/bin/sh -c echo", run(echo));
    report("system(\"exit 5\")", system("exit 5"));
    report("system(\"echo hi\")", system("echo hi from system"));
    write_script("exec-script.sh", "#!/bin/sh\necho script says $0 $1\nexit 7\n");
    report("#!/bin/sh script", run(script));
    execve(missing[0], missing, environ);
    printf("execve of a missing file: %s\n", strerror(errno));
    execve(dir[0], dir, environ);
    printf("execve of a directory: %s\n", strerror(errno));
    return 0;
}

static int chain(const char *self, int n)
{
    char num[16];
    int status;

    printf("level %d\n", n);
    if (n == 0)
        return 0;
    snprintf(num, sizeof(num), "%d", n - 1);
    char *next[] = { n % 2 ? (char *)self : "/proc/self/exe", "chain", num,
                     NULL };
    status = run(next);
    printf("level %d: level %d %s exited with %d\n", n, n - 1,
           n % 2 ? "(argv[0])" : "(/proc/self/exe)", WEXITSTATUS(status));
    if (n == 2) {
        char text[4200];
        char *script[] = { "./exec-interp.sh", "from-argv", NULL };

        snprintf(text, sizeof(text), "#!%s script-arg\n", self);
        write_script("exec-interp.sh", text);
        report("a script run by this program", run(script));
    }
    return n;
}

static int script(int argc, char **argv)
{
    printf("run as an interpreter: argc %d:", argc);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 9;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "chain"))
        return chain(argv[0], atoi(argv[2]));
    if (argc >= 2 && !strcmp(argv[1], "script-arg"))
        return script(argc, argv);
    return host_programs();
}
