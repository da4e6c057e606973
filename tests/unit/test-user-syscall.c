/* needs: riscv64-linux-user */
/*
 * Tests of linux-user's syscall layer, calling do_syscall as the CPU loop
 * does: the translations a riscv64 program would notice (struct stat's
 * layout, open flags, /proc/self/exe, uname's machine, limits, signal
 * bookkeeping), that a bad guest pointer is -EFAULT and never a host
 * fault, that the address space calls go through mmap.c, and -strace's
 * line.  The riscv64 offsets below come from riscv64-linux-gnu-gcc's
 * offsetof on the kernel's <asm/stat.h> (asm-generic's struct stat) and
 * <asm/termbits.h>, run under qemu-riscv64.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "linux-user/riscv64/syscall-nr.h"
#include "linux-user/syscall.h"
#include "linux-user/user-signal.h"
#include "unit.h"
#include "user-test.h"

#define PG TARGET_PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* riscv64's numbers, written out: the test must not take the host's. */
#define G_AT_FDCWD ((uint64_t)-100)
#define G_AT_EMPTY_PATH 0x1000
#define G_O_RDONLY 0
#define G_O_RDWR 2
#define G_O_APPEND 02000
#define G_O_LARGEFILE 0100000
#define G_O_DIRECTORY 0200000
#define G_O_NOFOLLOW 0400000
#define G_O_CLOEXEC 02000000
#define G_F_GETFL 3
#define G_TCGETS 0x5401
#define G_FIONREAD 0x541b
#define G_RLIMIT_STACK 3
#define G_RLIMIT_NOFILE 7

const char *user_exe_path = "/opt/guest/bin/prog";

/* main.c's, here: the process ends as the guest asked. */
_Noreturn void user_exit_group(int status)
{
    _exit(status);
}

static int64_t sc(int nr, uint64_t a1, uint64_t a2, uint64_t a3,
                  uint64_t a4)
{
    return do_syscall(nr, a1, a2, a3, a4, 0, 0);
}

/* A fresh space with pages of guest memory: RW, then one read-only. */
static uint64_t mem_up(int pages)
{
    user_space_fresh();
    int64_t a = target_mmap(0, (pages + 1) * PG, RW, ANON, -1, 0);
    if (a <= 0) {
        printf("# no guest memory\n");
        exit(1);
    }
    target_mprotect(a + pages * PG, PG, PROT_READ);
    return a;
}

/* Puts a NUL-terminated string at guest address g; returns g. */
static uint64_t put_str(uint64_t g, const char *s)
{
    strcpy(g2h(g), s);
    return g;
}

static uint64_t get64(uint64_t g)
{
    uint64_t v;
    memcpy(&v, g2h(g), 8);
    return v;
}

static uint32_t get32(uint64_t g)
{
    uint32_t v;
    memcpy(&v, g2h(g), 4);
    return v;
}

/* A temporary file of 1234 bytes, mode 0640; its path in path. */
static int make_file(char *path)
{
    strcpy(path, "/tmp/mimic-sc-XXXXXX");
    int fd = mkstemp(path);
    char buf[1234] = { 0 };
    if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf))
        abort();
    fchmod(fd, 0640);
    return fd;
}

/* The riscv64 struct stat at g describes st, field by field. */
static void expect_riscv64_stat(uint64_t g, const struct stat *st)
{
    EXPECT_EQ(get64(g + 0), st->st_dev);
    EXPECT_EQ(get64(g + 8), st->st_ino);
    EXPECT_EQ(get32(g + 16), st->st_mode);
    EXPECT_EQ(get32(g + 20), st->st_nlink);
    EXPECT_EQ(get32(g + 24), st->st_uid);
    EXPECT_EQ(get32(g + 28), st->st_gid);
    EXPECT_EQ(get64(g + 32), st->st_rdev);
    EXPECT_EQ(get64(g + 40), 0);                /* __pad1 */
    EXPECT_EQ(get64(g + 48), 1234);             /* st_size */
    EXPECT_EQ(get32(g + 56), st->st_blksize);
    EXPECT_EQ(get32(g + 60), 0);                /* __pad2 */
    EXPECT_EQ(get64(g + 64), st->st_blocks);
    EXPECT_EQ(get64(g + 72), st->st_atim.tv_sec);
    EXPECT_EQ(get64(g + 80), st->st_atim.tv_nsec);
    EXPECT_EQ(get64(g + 88), st->st_mtim.tv_sec);
    EXPECT_EQ(get64(g + 96), st->st_mtim.tv_nsec);
    EXPECT_EQ(get64(g + 104), st->st_ctim.tv_sec);
    EXPECT_EQ(get64(g + 112), st->st_ctim.tv_nsec);
    EXPECT_EQ(get64(g + 120), 0);               /* __unused4, 5 */
    EXPECT_EQ(get32(g + 16) & 07777, 0640);
}

TEST(fstat_and_newfstatat_fill_riscv64_stat)
{
    uint64_t m = mem_up(2);
    char path[32];
    int fd = make_file(path);
    struct stat st;

    fstat(fd, &st);
    memset(g2h(m), 0xaa, 2 * PG);
    EXPECT_EQ(sc(TARGET_NR_fstat, fd, m + 256, 0, 0), 0);
    expect_riscv64_stat(m + 256, &st);
    EXPECT_EQ(*(uint8_t *)g2h(m + 256 + 128), 0xaa);    /* 128 bytes only */

    memset(g2h(m + 256), 0xaa, 128);
    put_str(m, path);
    EXPECT_EQ(sc(TARGET_NR_newfstatat, G_AT_FDCWD, m, m + 256, 0), 0);
    expect_riscv64_stat(m + 256, &st);

    memset(g2h(m + 256), 0xaa, 128);
    put_str(m, "");
    EXPECT_EQ(sc(TARGET_NR_newfstatat, fd, m, m + 256, G_AT_EMPTY_PATH), 0);
    expect_riscv64_stat(m + 256, &st);
    EXPECT_EQ(sc(TARGET_NR_newfstatat, fd, 0, m + 256, G_AT_EMPTY_PATH), 0);
    EXPECT_EQ(sc(TARGET_NR_newfstatat, fd, m, m + 256, 0), -ENOENT);
    close(fd);
    unlink(path);
}

TEST(openat_flags_translated)
{
    uint64_t m = mem_up(1);
    char path[32], link[40];
    int fd = make_file(path);

    close(fd);
    snprintf(link, sizeof(link), "%s.ln", path);
    EXPECT_EQ(symlink(path, link), 0);

    EXPECT_EQ(sc(TARGET_NR_openat, G_AT_FDCWD, put_str(m, path),
                 G_O_RDONLY | G_O_DIRECTORY, 0), -ENOTDIR);
    EXPECT_EQ(sc(TARGET_NR_openat, G_AT_FDCWD, put_str(m, link),
                 G_O_RDONLY | G_O_NOFOLLOW, 0), -ELOOP);
    int64_t d = sc(TARGET_NR_openat, G_AT_FDCWD, put_str(m, "/tmp"),
                   G_O_RDONLY | G_O_DIRECTORY, 0);
    EXPECT(d >= 0);
    close(d);

    int64_t f = sc(TARGET_NR_openat, G_AT_FDCWD, put_str(m, link),
                   G_O_RDWR | G_O_APPEND | G_O_CLOEXEC, 0);
    EXPECT(f >= 0);
    EXPECT_EQ(fcntl(f, F_GETFD), FD_CLOEXEC);
    int64_t fl = sc(TARGET_NR_fcntl, f, G_F_GETFL, 0, 0);
    EXPECT_EQ(fl & 3, G_O_RDWR);
    EXPECT_EQ(fl & G_O_APPEND, G_O_APPEND);
    /* A 64-bit kernel forces O_LARGEFILE (its own bit: x86-64's 0100000,
       arm64's 0400000); the guest sees its bit when the host's F_GETFL
       shows the host's (qemu-user, running an ARM64 build, does not). */
#if defined(__aarch64__)
    int host_largefile = 0400000;
#else
    int host_largefile = 0100000;
#endif
    EXPECT_EQ(fl & G_O_LARGEFILE,
              (fcntl((int)f, F_GETFL) & host_largefile) ? G_O_LARGEFILE : 0);
    EXPECT((fl & G_O_NOFOLLOW) == 0);
    close(f);
    unlink(link);
    unlink(path);
}

TEST(bad_pointers_give_efault)
{
    uint64_t m = mem_up(1);
    uint64_t ro = m + PG, unmapped = m + 2 * PG;
    char path[32];
    int fd = make_file(path);

    EXPECT_EQ(sc(TARGET_NR_read, fd, unmapped, 16, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_read, fd, ro, 16, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_read, fd, unmapped, 0, 0), 0);
    EXPECT_EQ(sc(TARGET_NR_write, fd, unmapped, 16, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_write, fd, m + 2 * PG - 8, 16, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_write, fd, m + 2 * PG - 8, 8, 0), 8);
    EXPECT_EQ(sc(TARGET_NR_fstat, fd, ro, 0, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_fstat, fd, 1ull << 40, 0, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_openat, G_AT_FDCWD, unmapped, 0, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_openat, G_AT_FDCWD, UINT64_MAX - 4, 0, 0),
              -EFAULT);
    /* A path that runs off its mapping without a NUL. */
    uint64_t p = 0x10000000;
    EXPECT_EQ(target_mmap(p, PG, RW, ANON | MAP_FIXED, -1, 0), p);
    EXPECT_EQ(page_get_flags(p + PG), 0);
    memset(g2h(p), 'a', PG);
    EXPECT_EQ(sc(TARGET_NR_openat, G_AT_FDCWD, p + PG - 4, 0, 0), -EFAULT);
    /* One that ends right at the end of the mapping is read. */
    memcpy(g2h(p + PG - 5), "/nX", 4);
    *(char *)g2h(p + PG - 1) = 0;
    EXPECT_EQ(sc(TARGET_NR_faccessat, G_AT_FDCWD, p + PG - 4, 0, 0),
              -ENOENT);
    /* The iovec array and each of its buffers are checked. */
    uint64_t iov[4] = { m + 512, 4, unmapped, 4 };
    memcpy(g2h(m), iov, sizeof(iov));
    EXPECT_EQ(sc(TARGET_NR_writev, fd, m, 2, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_writev, fd, unmapped, 1, 0), -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_clock_gettime, CLOCK_MONOTONIC, ro, 0, 0),
              -EFAULT);
    EXPECT_EQ(sc(TARGET_NR_uname, 0, 0, 0, 0), -EFAULT);
    close(fd);
    unlink(path);
}

TEST(readv_writev_through_guest_iovecs)
{
    uint64_t m = mem_up(1);
    int64_t fds[1];

    EXPECT_EQ(sc(TARGET_NR_pipe2, m, 0, 0, 0), 0);
    memcpy(fds, g2h(m), 8);
    int rfd = (int)(fds[0] & 0xffffffff), wfd = (int)(fds[0] >> 32);
    put_str(m + 100, "hello ");
    put_str(m + 200, "world");
    uint64_t wv[4] = { m + 100, 6, m + 200, 5 };
    memcpy(g2h(m + 300), wv, sizeof(wv));
    EXPECT_EQ(sc(TARGET_NR_writev, wfd, m + 300, 2, 0), 11);
    uint64_t rv[4] = { m + 400, 3, m + 500, 20 };
    memcpy(g2h(m + 600), rv, sizeof(rv));
    EXPECT_EQ(sc(TARGET_NR_readv, rfd, m + 600, 2, 0), 11);
    EXPECT_EQ(memcmp(g2h(m + 400), "hel", 3), 0);
    EXPECT_EQ(memcmp(g2h(m + 500), "lo world", 8), 0);
    EXPECT_EQ(sc(TARGET_NR_close, rfd, 0, 0, 0), 0);
    EXPECT_EQ(sc(TARGET_NR_close, wfd, 0, 0, 0), 0);
    EXPECT_EQ(sc(TARGET_NR_close, wfd, 0, 0, 0), -EBADF);
}

TEST(readlink_proc_self_exe_is_the_guest)
{
    uint64_t m = mem_up(1);
    size_t n = strlen(user_exe_path);

    put_str(m, "/proc/self/exe");
    EXPECT_EQ(sc(TARGET_NR_readlinkat, G_AT_FDCWD, m, m + 64, 256), n);
    EXPECT_EQ(memcmp(g2h(m + 64), user_exe_path, n), 0);
    EXPECT_EQ(sc(TARGET_NR_readlinkat, G_AT_FDCWD, m, m + 64, 4), 4);
    char pid_exe[32];
    snprintf(pid_exe, sizeof(pid_exe), "/proc/%d/exe", (int)getpid());
    put_str(m, pid_exe);
    EXPECT_EQ(sc(TARGET_NR_readlinkat, G_AT_FDCWD, m, m + 64, 256), n);
    EXPECT_EQ(sc(TARGET_NR_readlinkat, G_AT_FDCWD, m, m + 64, 0), -EINVAL);
    /* Other links are the host's. */
    put_str(m, "/proc/self/cwd");
    char cwd[256];
    EXPECT(getcwd(cwd, sizeof(cwd)) != NULL);
    EXPECT_EQ(sc(TARGET_NR_readlinkat, G_AT_FDCWD, m, m + 64, 256),
              strlen(cwd));
    EXPECT_EQ(sc(TARGET_NR_getcwd, m + 64, 256, 0, 0), strlen(cwd) + 1);
    EXPECT_STREQ((char *)g2h(m + 64), cwd);
}

TEST(uname_says_riscv64)
{
    uint64_t m = mem_up(1);

    EXPECT_EQ(sc(TARGET_NR_uname, m, 0, 0, 0), 0);
    EXPECT_STREQ((char *)g2h(m), "Linux");          /* sysname */
    EXPECT_STREQ((char *)g2h(m + 4 * 65), "riscv64");  /* machine */
}

TEST(unknown_syscalls_enosys)
{
    mem_up(1);
    EXPECT_EQ(sc(9999, 0, 0, 0, 0), -ENOSYS);
    EXPECT_EQ(sc(-1, 0, 0, 0, 0), -ENOSYS);
    EXPECT_EQ(sc(TARGET_NR_io_setup, 0, 0, 0, 0), -ENOSYS);
    EXPECT_EQ(sc(TARGET_NR_rseq, 0, 0, 0, 0), -ENOSYS);
}

TEST(brk_and_mmap_use_the_guest_space)
{
    user_space_fresh();
    target_set_brk(0x200000);
    EXPECT_EQ(sc(TARGET_NR_brk, 0, 0, 0, 0), 0x200000);
    EXPECT_EQ(sc(TARGET_NR_brk, 0x203000, 0, 0, 0), 0x203000);
    EXPECT_EQ(page_get_flags(0x202000) & (PAGE_VALID | PAGE_WRITE),
              PAGE_VALID | PAGE_WRITE);
    EXPECT_EQ(sc(TARGET_NR_brk, 0x100000, 0, 0, 0), 0x203000);

    int64_t a = do_syscall(TARGET_NR_mmap, 0, 2 * PG, RW, ANON, -1, 0);
    EXPECT(a > 0 && (a & (PG - 1)) == 0);
    EXPECT_EQ(page_get_flags(a) & PAGE_VALID, PAGE_VALID);
    EXPECT_EQ(sc(TARGET_NR_mprotect, a, PG, PROT_READ, 0), 0);
    EXPECT_EQ(page_get_flags(a) & PAGE_WRITE, 0);
    EXPECT_EQ(sc(TARGET_NR_munmap, a, 2 * PG, 0, 0), 0);
    EXPECT_EQ(page_get_flags(a), 0);
    EXPECT_EQ(do_syscall(TARGET_NR_mmap, 0, PG, RW, ANON, -1, 100), -EINVAL);
    /* A buffer the guest unmapped is a bad pointer again. */
    EXPECT_EQ(sc(TARGET_NR_getcwd, a, 64, 0, 0), -EFAULT);
}

TEST(stack_limit_is_the_guests)
{
    uint64_t m = mem_up(1);
    struct rlimit host;

    getrlimit(RLIMIT_STACK, &host);
    syscall_set_stack_limit(16 << 20);
    EXPECT_EQ(sc(TARGET_NR_getrlimit, G_RLIMIT_STACK, m, 0, 0), 0);
    EXPECT_EQ(get64(m), 16 << 20);
    uint64_t lim[2] = { 1 << 20, get64(m + 8) };
    memcpy(g2h(m + 64), lim, sizeof(lim));
    EXPECT_EQ(sc(TARGET_NR_prlimit64, 0, G_RLIMIT_STACK, m + 64, m), 0);
    EXPECT_EQ(get64(m), 16 << 20);
    EXPECT_EQ(sc(TARGET_NR_getrlimit, G_RLIMIT_STACK, m, 0, 0), 0);
    EXPECT_EQ(get64(m), 1 << 20);
    struct rlimit now;
    getrlimit(RLIMIT_STACK, &now);
    EXPECT_EQ(now.rlim_cur, host.rlim_cur);        /* Mimic's stays */
    /* Others are the host's. */
    getrlimit(RLIMIT_NOFILE, &host);
    EXPECT_EQ(sc(TARGET_NR_getrlimit, G_RLIMIT_NOFILE, m, 0, 0), 0);
    EXPECT_EQ(get64(m), host.rlim_cur);
}

TEST(sigaction_bookkeeping)
{
    uint64_t m = mem_up(1);
    uint64_t act[3] = { 0x12340, 0x4 /* SA_SIGINFO */, ~0ull };

    memcpy(g2h(m), act, sizeof(act));
    EXPECT_EQ(sc(TARGET_NR_rt_sigaction, 10, m, 0, 8), 0);
    EXPECT_EQ(user_sigaction(10)->handler, 0x12340);
    /* SIGKILL and SIGSTOP cannot be blocked by a handler's mask. */
    EXPECT_EQ(user_sigaction(10)->mask, ~((1ull << 8) | (1ull << 18)));
    EXPECT_EQ(sc(TARGET_NR_rt_sigaction, 10, 0, m + 64, 8), 0);
    EXPECT_EQ(get64(m + 64), 0x12340);
    EXPECT_EQ(get64(m + 72), 4);
    EXPECT_EQ(sc(TARGET_NR_rt_sigaction, 10, m, 0, 16), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_rt_sigaction, 9, m, 0, 8), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_rt_sigaction, 65, 0, m + 64, 8), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_rt_sigaction, 10, m + 2 * PG, 0, 8), -EFAULT);
    EXPECT(user_sigaction(0) == NULL);

    uint64_t set = (1ull << 9) | (1ull << 8);       /* SIGUSR1, SIGKILL */
    memcpy(g2h(m + 128), &set, 8);
    EXPECT_EQ(sc(TARGET_NR_rt_sigprocmask, 0, m + 128, m + 136, 8), 0);
    EXPECT_EQ(get64(m + 136), 0);
    EXPECT_EQ(user_sigmask(), 1ull << 9);
    EXPECT_EQ(sc(TARGET_NR_rt_sigprocmask, 1, m + 128, m + 136, 8), 0);
    EXPECT_EQ(get64(m + 136), 1ull << 9);
    EXPECT_EQ(user_sigmask(), 0);
    EXPECT_EQ(sc(TARGET_NR_rt_sigprocmask, 7, m + 128, 0, 8), -EINVAL);
}

/* The argument checks of the other signal syscalls, and sigaltstack's
   state (no guest CPU here: the guest sp is 0, off every stack). */
TEST(signal_syscalls)
{
    uint64_t m = mem_up(1);
    uint64_t ss[3] = { 0x10000, 0, 1024 };     /* ss_sp, ss_flags, ss_size */
    int64_t ts[2] = { 0, 2000000000 };

    memcpy(g2h(m), ss, sizeof(ss));
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, m, 0, 0, 0), -ENOMEM);
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, 0, m + 64, 0, 0), 0);
    EXPECT_EQ(get32(m + 72), 2);               /* SS_DISABLE */
    ss[1] = 77;
    ss[2] = 65536;
    memcpy(g2h(m), ss, sizeof(ss));
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, m, 0, 0, 0), -EINVAL);
    ss[1] = 0;
    memcpy(g2h(m), ss, sizeof(ss));
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, m, 0, 0, 0), 0);
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, 0, m + 64, 0, 0), 0);
    EXPECT_EQ(get64(m + 64), 0x10000);
    EXPECT_EQ(get32(m + 72), 0);
    EXPECT_EQ(get64(m + 80), 65536);
    ss[1] = 2;                                  /* SS_DISABLE */
    memcpy(g2h(m), ss, sizeof(ss));
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, m, 0, 0, 0), 0);
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, 0, m + 64, 0, 0), 0);
    EXPECT_EQ(get64(m + 80), 0);
    EXPECT_EQ(sc(TARGET_NR_sigaltstack, m + 2 * PG, 0, 0, 0), -EFAULT);

    EXPECT_EQ(sc(TARGET_NR_rt_sigpending, m + 128, 16, 0, 0), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_rt_sigpending, m + 128, 8, 0, 0), 0);
    EXPECT_EQ(get64(m + 128), 0);
    EXPECT_EQ(sc(TARGET_NR_rt_sigsuspend, m + 128, 16, 0, 0), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_rt_sigsuspend, m + 2 * PG, 8, 0, 0), -EFAULT);
    /* sigtimedwait: a bad timeout, then nothing pending within 0 s. */
    memcpy(g2h(m + 192), ts, sizeof(ts));
    EXPECT_EQ(sc(TARGET_NR_rt_sigtimedwait, m + 128, 0, m + 192, 8), -EINVAL);
    ts[1] = 0;
    memcpy(g2h(m + 192), ts, sizeof(ts));
    EXPECT_EQ(sc(TARGET_NR_rt_sigtimedwait, m + 128, 0, m + 192, 8), -EAGAIN);
    EXPECT_EQ(sc(TARGET_NR_rt_sigtimedwait, m + 128, 0, m + 192, 4), -EINVAL);
}

/* Guest real-time signals ride on the host's free ones (SIGRTMIN up);
   the standard ones keep their numbers; those without a host signal
   cannot be sent. */
TEST(realtime_signal_numbers)
{
    uint64_t m = mem_up(1);
    TargetSiginfo info = { .si_code = -1 /* SI_QUEUE */ };

    EXPECT_EQ(user_host_signal(10), 10);
    EXPECT_EQ(user_host_signal(32), SIGRTMIN);
    EXPECT_EQ(user_host_signal(35), SIGRTMIN + 3);
    EXPECT_EQ(user_guest_signal(SIGRTMIN + 3), 35);
    EXPECT_EQ(user_guest_signal(32), SIGRTMIN > 32 ? 0 : 32);
    EXPECT_EQ(user_host_signal(32 + SIGRTMAX - SIGRTMIN + 1), 0);
    EXPECT_EQ(user_host_signal(65), 0);
    EXPECT_EQ(user_host_sigmask((1ull << 9) | (1ull << 34)),
              (1ull << 9) | (1ull << (SIGRTMIN + 3 - 1)));   /* guest 35 */
    EXPECT_EQ(sc(TARGET_NR_kill, getpid(), 64, 0, 0), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_kill, getpid(), 65, 0, 0), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_kill, getpid(), 0, 0, 0), 0);
    memcpy(g2h(m), &info, sizeof(info));
    EXPECT_EQ(sc(TARGET_NR_rt_sigqueueinfo, getpid(), 64, m, 0), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_rt_sigqueueinfo, getpid(), 40, m + 2 * PG, 0),
              -EFAULT);
}

/* CLONE_VM without CLONE_THREAD (and without CLONE_VFORK, which is a
   fork here) is refused before anything is created; so are thread flags
   that lack CLONE_SIGHAND. */
TEST(clone_vm_without_thread_refused)
{
    EXPECT_EQ(sc(TARGET_NR_clone, 0x100 | 17 /* CLONE_VM | SIGCHLD */, 0, 0,
                 0), -EINVAL);
    EXPECT_EQ(sc(TARGET_NR_clone, 0x100 | 0x200 | 0x400 | 0x10000, 0, 0, 0),
              -EINVAL);     /* VM|FS|FILES|THREAD, no SIGHAND */
}

TEST(terminal_ioctls)
{
    uint64_t m = mem_up(1);
    int fds[2];

    EXPECT_EQ(pipe(fds), 0);
    EXPECT_EQ(sc(TARGET_NR_ioctl, fds[0], G_TCGETS, m, 0), -ENOTTY);
    EXPECT_EQ(sc(TARGET_NR_ioctl, fds[0], 0x12345678, m, 0), -ENOTTY);
    uint32_t avail = 0;
    EXPECT_EQ(write(fds[1], "abc", 3), 3);
    EXPECT_EQ(sc(TARGET_NR_ioctl, fds[0], G_FIONREAD, m, 0), 0);
    memcpy(&avail, g2h(m), 4);
    EXPECT_EQ(avail, 3);
    close(fds[0]);
    close(fds[1]);

    int pty = posix_openpt(O_RDWR | O_NOCTTY);
    if (pty < 0) {
        printf("# no pty: TCGETS on a terminal not tested\n");
        return;
    }
    struct termios t;
    EXPECT_EQ(tcgetattr(pty, &t), 0);
    memset(g2h(m), 0xaa, 64);
    EXPECT_EQ(sc(TARGET_NR_ioctl, pty, G_TCGETS, m, 0), 0);
    /* The kernel's termios: four flag words, c_line, 19 c_cc. */
    EXPECT_EQ(get32(m + 0), t.c_iflag);
    EXPECT_EQ(get32(m + 8), t.c_cflag);
    EXPECT_EQ(memcmp(g2h(m + 17), t.c_cc, 19), 0);
    EXPECT_EQ(*(uint8_t *)g2h(m + 36), 0xaa);
    EXPECT_EQ(sc(TARGET_NR_ioctl, pty, G_TCGETS, m + PG, 0), -EFAULT);
    close(pty);
}

TEST(exit_group_ends_the_process)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        sc(TARGET_NR_exit_group, 7, 0, 0, 0);
        _exit(99);
    }
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 7);
}

/* What -strace printed for one call, with stderr sent to a file. */
static char *strace_of(int nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    static char out[512];
    FILE *tmp = tmpfile();
    int saved = dup(2);

    fflush(stderr);
    dup2(fileno(tmp), 2);
    user_strace = true;
    sc(nr, a1, a2, a3, 0);
    user_strace = false;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(out, 1, sizeof(out) - 1, tmp);
    out[n] = 0;
    fclose(tmp);
    return out;
}

TEST(strace_lines)
{
    uint64_t m = mem_up(1);
    char want[256];

    put_str(m, "/nonexistent-mimic");
    snprintf(want, sizeof(want), "%d openat(AT_FDCWD,\"/nonexistent-mimic\","
             "O_RDONLY|O_CLOEXEC) = -1 errno=2 (No such file or directory)\n",
             (int)getpid());
    EXPECT_STREQ(strace_of(TARGET_NR_openat, G_AT_FDCWD, m,
                           G_O_RDONLY | G_O_CLOEXEC), want);
    snprintf(want, sizeof(want), "%d mprotect(0x%" PRIx64 ",4096,PROT_READ)"
             " = 0\n", (int)getpid(), m);
    EXPECT_STREQ(strace_of(TARGET_NR_mprotect, m, PG, PROT_READ), want);
    snprintf(want, sizeof(want), "%d io_setup(0x1,0x2,0x3,0x0,0x0,0x0)"
             " = -1 errno=38 (Function not implemented)\n", (int)getpid());
    EXPECT_STREQ(strace_of(TARGET_NR_io_setup, 1, 2, 3), want);
}

int main(void)
{
    return unit_run();
}
