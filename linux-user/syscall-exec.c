/*
 * execve without binfmt_misc: a process tree stays under emulation
 * because Mimic decides what runs the new program.  A guest ELF (the
 * machine of this mimic-<arch>) runs under Mimic again: the host execs
 * /proc/self/exe, this very binary, with the options this process had
 * (user_exec_options: -L, -d, -D, -s, -strace...), "-0 argv[0]" and the
 * program's path and arguments; the environment is the guest's.  A "#!"
 * script whose interpreter is a guest ELF (looked up under -L first, as
 * every absolute path is) runs that interpreter under Mimic with the
 * arguments the kernel would give it.  Anything else (a host ELF, a script
 * for a host interpreter such as /bin/sh) is the host's execve.
 *
 *   execve("/bin/sh", {"sh", "-c", "exit 3"}, envp)   -> the host's sh
 *   execve("./prog", {"prog", "2"}, envp)
 *       -> execve("/proc/self/exe", {"mimic-riscv64", "-L", "/sysroot",
 *                 "-0", "prog", "--", "./prog", "2"}, envp)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/syscall-internal.h"
#include "mimic/log.h"

char **user_exec_options;

/* At most this many arguments and variables, as a sanity bound (Linux's
   is the stack's size). */
#define EXEC_MAX_STRINGS (1 << 20)

/* The guest's NULL-terminated array of strings at addr (NULL: empty), as
   host pointers into guest memory, NULL-terminated; NULL and *err on a
   bad pointer. */
static GPtrArray *guest_string_array(uint64_t addr, int *err)
{
    GPtrArray *v = g_ptr_array_new();

    for (uint64_t i = 0; addr; i++) {
        uint64_t p;
        const char *s;

        *err = -E2BIG;
        if (i >= EXEC_MAX_STRINGS)
            goto fail;
        *err = -EFAULT;
        if (!copy_from_guest(&p, addr + i * 8, 8))
            goto fail;
        if (!p)
            break;
        s = guest_string(p, 128 * 1024, err);
        if (!s)
            goto fail;
        g_ptr_array_add(v, (char *)s);
    }
    g_ptr_array_add(v, NULL);
    return v;
fail:
    g_ptr_array_free(v, true);
    return NULL;
}

/* The first bytes of the file at path (NUL-terminated); 0 if unreadable. */
static size_t read_head(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return 0;
    n = read(fd, buf, size - 1);
    close(fd);
    n = n < 0 ? 0 : n;
    buf[n] = 0;
    return (size_t)n;
}

/* Is the file at path an ELF file for this mimic's guest? */
static bool is_guest_elf(const char *path)
{
    const TargetUserInfo *t = guest_target();
    unsigned char h[64];
    size_t n = read_head(path, (char *)h, sizeof(h));

    return n >= 20 && !memcmp(h, "\177ELF", 4) && h[4] == t->elf_class &&
           h[5] == t->elf_data &&
           (h[5] == 1 ? h[18] | h[19] << 8 : h[18] << 8 | h[19]) ==
               t->elf_machine;
}

/* An absolute path under -L if it exists there, as guest_path does. */
static char *sysroot_path(const char *p)
{
    struct stat st;

    if (user_sysroot && p[0] == '/' && strcmp(user_sysroot, "/")) {
        char *s = g_strconcat(user_sysroot, p, NULL);

        if (lstat(s, &st) == 0)
            return s;
        g_free(s);
    }
    return g_strdup(p);
}

int user_self_fd = -1;
bool user_binfmt;
static dev_t self_dev;
static ino_t self_ino;

void user_open_self(void)
{
    struct stat st;

    user_self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
    if (user_self_fd >= 0 && fstat(user_self_fd, &st) == 0) {
        self_dev = st.st_dev;
        self_ino = st.st_ino;
    }
}

/* Whether user_self_fd still names Mimic's binary: the descriptor is the
   guest's to close (close_range(3, ~0) before an exec is common, Python's
   subprocess does it) and to reuse for another file. */
static bool self_fd_intact(void)
{
    struct stat st;

    return user_self_fd >= 0 && fstat(user_self_fd, &st) == 0 &&
           st.st_dev == self_dev && st.st_ino == self_ino;
}

/*
 * Just before the host's execve: the log written out, and the calling
 * thread's robust mutexes left to their next lockers with EOWNERDEAD, as
 * the kernel's exec does (exec_mm_release; the host kernel cannot, the
 * guest's list is not the host thread's).  The kernel does it past the
 * point of no return, which Mimic cannot see: an execve failing after
 * the checks already made (access, a regular file) would leave them so.
 */
static void before_exec(void)
{
    log_flush();
    user_robust_list_release();
}

/* Runs program under Mimic with the guest arguments args (args[0] its
   argv[0]); returns only on failure. */
static int64_t exec_under_mimic(const char *program, char **args,
                                char *const *envp)
{
    GPtrArray *v = g_ptr_array_new();
    extern char *program_invocation_name;

    g_ptr_array_add(v, program_invocation_name);
    for (char **o = user_exec_options; o && *o; o++)
        g_ptr_array_add(v, *o);
    if (args[0]) {
        g_ptr_array_add(v, "-0");
        g_ptr_array_add(v, args[0]);
    }
    g_ptr_array_add(v, "--");
    g_ptr_array_add(v, (char *)program);
    for (char **a = args[0] ? args + 1 : args; *a; a++)
        g_ptr_array_add(v, *a);
    g_ptr_array_add(v, NULL);
    before_exec();
    /* Mimic's own binary through the descriptor opened at start (a chroot
       may have no /proc by now), else, if the guest closed it or the host
       has no execveat (kernels before 3.19, qemu-user), through /proc. */
    if (self_fd_intact())
        syscall(SYS_execveat, user_self_fd, "", (char **)v->pdata, envp,
                AT_EMPTY_PATH);
    if (!self_fd_intact() || errno == ENOSYS)
        execve("/proc/self/exe", (char **)v->pdata, envp);
    int err = errno;
    g_ptr_array_free(v, true);
    return -err;
}

/* "#!interp [arg]": the kernel's split (the rest of the line after the
   interpreter, trimmed, is one argument).  False if head is no script. */
static bool parse_shebang(char *head, char **interp, char **arg)
{
    char *p, *end;

    if (strncmp(head, "#!", 2))
        return false;
    end = strchr(head, '\n');
    if (end)
        *end = 0;
    p = head + 2;
    p += strspn(p, " \t");
    if (!*p)
        return false;
    *interp = p;
    p += strcspn(p, " \t");
    if (*p)
        *p++ = 0;
    p += strspn(p, " \t");
    for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\t');)
        *--end = 0;
    *arg = *p ? p : NULL;
    return true;
}

/* A script for a guest interpreter: argv becomes interp [arg] path
   argv[1...], as the kernel builds it.  Returns only on failure
   (-errno), or 1 if head is not a script for a guest interpreter. */
static int64_t exec_script(const char *path, const char *given, char **argv,
                           char *const *envp, char *head)
{
    char *interp, *arg;
    int64_t ret = 0;

    if (!parse_shebang(head, &interp, &arg))
        return 1;
    /* The guest's /proc/self/exe is its program, not Mimic. */
    g_autofree char *host_interp =
        is_proc_self_exe(interp) && user_exe_path ? g_strdup(user_exe_path)
                                                  : sysroot_path(interp);
    if (!is_guest_elf(host_interp))
        return 1;
    GPtrArray *v = g_ptr_array_new();
    g_ptr_array_add(v, interp);
    if (arg)
        g_ptr_array_add(v, arg);
    g_ptr_array_add(v, (char *)given);
    for (char **a = argv[0] ? argv + 1 : argv; *a; a++)
        g_ptr_array_add(v, *a);
    g_ptr_array_add(v, NULL);
    ret = exec_under_mimic(host_interp, (char **)v->pdata, envp);
    g_ptr_array_free(v, true);
    return ret;
}

static int64_t do_execve(const char *path, const char *given, char **argv,
                         char *const *envp)
{
    char head[256];
    struct stat st;
    int64_t ret;

    if (access(path, X_OK) != 0)
        return -errno;
    if (stat(path, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return -EACCES;
    /* Started by binfmt_misc, the kernel runs a foreign program through
       Mimic again itself (and in a foreign root only it can). */
    if (is_guest_elf(path) && !user_binfmt)
        return exec_under_mimic(path, argv, envp);
    if (read_head(path, head, sizeof(head)) > 2) {
        ret = exec_script(path, given, argv, envp, head);
        if (ret <= 0)
            return ret;
    }
    before_exec();
    execve(path, argv, envp);
    return -errno;
}

/* execve of path (given: what the guest named it) with the guest's argv
   and envp arrays at argv_addr and envp_addr. */
static int64_t exec_with_args(const char *path, const char *given,
                              uint64_t argv_addr, uint64_t envp_addr)
{
    GPtrArray *argv, *envp;
    int64_t ret;
    int err;

    argv = guest_string_array(argv_addr, &err);
    if (!argv)
        return err;
    envp = guest_string_array(envp_addr, &err);
    if (!envp) {
        g_ptr_array_free(argv, true);
        return err;
    }
    ret = do_execve(path, given, (char **)argv->pdata,
                    (char *const *)envp->pdata);
    g_ptr_array_free(argv, true);
    g_ptr_array_free(envp, true);
    return ret;
}

static int64_t sys_execve(const uint64_t *a)
{
    int err;
    const char *given = guest_string(a[0], PATH_MAX, &err);
    const char *path = guest_path(a[0], &err);

    if (!path || !given)
        return err;
    if (is_proc_self_exe(given) && user_exe_path)
        path = user_exe_path;
    return exec_with_args(path, given, a[1], a[2]);
}

/*
 * execveat(dirfd, path, argv, envp, flags), which glibc's fexecve uses
 * (path "" and AT_EMPTY_PATH): the file is named through /proc/self/fd,
 * which is how the kernel names it too ("/dev/fd/N" to a script).  A
 * guest program runs under Mimic again, which opens it by that name after
 * the host's exec: a close-on-exec descriptor is duplicated first without
 * the flag (the new program inherits that copy).
 */
static int64_t sys_execveat(const uint64_t *a)
{
    int dirfd = (int)a[0], flags = (int)a[4], err;
    const char *name = guest_string(a[1], PATH_MAX, &err);
    g_autofree char *path = NULL, *given = NULL;
    struct stat st;

    if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
        return -EINVAL;
    if (!name)
        return err;
    if (!*name) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        if (fcntl(dirfd, F_GETFD) < 0)
            return -EBADF;
        path = g_strdup_printf("/proc/self/fd/%d", dirfd);
        given = g_strdup_printf("/dev/fd/%d", dirfd);
    } else if (name[0] == '/' || dirfd == AT_FDCWD) {
        const char *p = guest_path(a[1], &err);

        if (!p)
            return err;
        path = g_strdup(is_proc_self_exe(name) && user_exe_path
                            ? user_exe_path : p);
        given = g_strdup(name);
    } else {
        if (fcntl(dirfd, F_GETFD) < 0)
            return -EBADF;
        path = g_strdup_printf("/proc/self/fd/%d/%s", dirfd, name);
        given = g_strdup_printf("/dev/fd/%d/%s", dirfd, name);
    }
    if ((flags & AT_SYMLINK_NOFOLLOW) && *name &&
        lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        return -ELOOP;
    if (!*name && (fcntl(dirfd, F_GETFD) & FD_CLOEXEC) &&
        is_guest_elf(path) && !user_binfmt) {
        int copy = fcntl(dirfd, F_DUPFD, 0);

        if (copy < 0)
            return -errno;
        g_free(path);
        path = g_strdup_printf("/proc/self/fd/%d", copy);
        int64_t ret = exec_with_args(path, given, a[2], a[3]);
        close(copy);
        return ret;
    }
    return exec_with_args(path, given, a[2], a[3]);
}

const SyscallEntry syscall_exec_table[] = {
    { SYSID_execve, sys_execve, "spp" },
    { SYSID_execveat, sys_execveat, "fsppx" },
    { SYSID_NONE },
};
