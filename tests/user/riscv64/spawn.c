/*
 * posix_spawn (glibc's clone with CLONE_VM|CLONE_VFORK) of a program,
 * with its status and a file action; fexecve (execveat with an empty
 * path and AT_EMPTY_PATH) of a host program through a close-on-exec
 * descriptor; execveat relative to a directory descriptor, and its
 * errors: AT_SYMLINK_NOFOLLOW on a symlink, an empty path without
 * AT_EMPTY_PATH, unknown flags.  Exits 0.  With "self", fexecve's this
 * very program (a guest program: under Mimic again) and prints what the
 * new one got.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs fn in a child and prints how the child ended. */
static void in_child(const char *what, void (*fn)(void))
{
    int status;

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        printf("  %s: %s\n", what, strerror(errno));
        fflush(stdout);
        _exit(100);
    }
    waitpid(pid, &status, 0);
    printf("%s: exited with %d\n", what, WEXITSTATUS(status));
}

static void do_fexecve(void)
{
    char *argv[] = { "sh", "-c", "echo \"  from sh: $0 $1\"; exit 4", "x",
                     "arg", NULL };
    int fd = open("/bin/sh", O_RDONLY | O_CLOEXEC);

    fexecve(fd, argv, environ);
}

static void do_execveat_dir(void)
{
    char *argv[] = { "sh", "-c", "exit 5", NULL };
    /* Not /bin: under -L that is the riscv64 root's. */
    int dir = open("/usr/bin", O_RDONLY | O_DIRECTORY);

    syscall(SYS_execveat, dir, "sh", argv, environ, 0);
}

static long try_execveat(int dirfd, const char *path, int flags)
{
    char *argv[] = { "true", NULL };

    if (syscall(SYS_execveat, dirfd, path, argv, environ, flags) == 0)
        return 0;
    return -errno;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "fexecved")) {
        printf("the fexecve'd program: argc %d, argv[2] %s\n", argc,
               argv[2]);
        return 6;
    }
    if (argc > 1 && !strcmp(argv[1], "self")) {
        char *args[] = { "spawn", "fexecved", "arg", NULL };
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

        fexecve(fd, args, environ);
        perror("fexecve");
        return 1;
    }

    char *sh_argv[] = { "sh", "-c", "echo \"  spawned: $1\"; exit 3", "sh",
                        "hello", NULL };
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status, err;

    fflush(stdout);
    err = posix_spawn(&pid, "/bin/sh", NULL, NULL, sh_argv, environ);
    waitpid(pid, &status, 0);
    printf("posix_spawn: %d, exited with %d\n", err, WEXITSTATUS(status));

    /* A file action: the child's stdout is a file. */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "spawn.out",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    err = posix_spawnp(&pid, "sh", &fa, NULL, sh_argv, environ);
    waitpid(pid, &status, 0);
    posix_spawn_file_actions_destroy(&fa);
    char buf[64] = "";
    FILE *f = fopen("spawn.out", "r");
    if (f) {
        fgets(buf, sizeof(buf), f);
        fclose(f);
    }
    unlink("spawn.out");
    printf("posix_spawnp with a file action: %d, exited with %d, wrote%s",
           err, WEXITSTATUS(status), buf);

    in_child("fexecve of /bin/sh", do_fexecve);
    in_child("execveat(/usr/bin, sh)", do_execveat_dir);

    symlink("/bin/true", "spawn.link");
    printf("execveat AT_SYMLINK_NOFOLLOW of a symlink: %s\n",
           strerror(-try_execveat(AT_FDCWD, "spawn.link",
                                  AT_SYMLINK_NOFOLLOW)));
    unlink("spawn.link");
    printf("execveat of an empty path without AT_EMPTY_PATH: %s\n",
           strerror(-try_execveat(AT_FDCWD, "", 0)));
    printf("execveat with unknown flags: %s\n",
           strerror(-try_execveat(AT_FDCWD, "/bin/true", 0x4)));
    printf("execveat of a bad descriptor: %s\n",
           strerror(-try_execveat(99, "", AT_EMPTY_PATH)));
    return 0;
}
