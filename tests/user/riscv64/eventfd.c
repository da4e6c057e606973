/* eventfd (counter and semaphore), timerfd (one shot, interval, absolute,
   gettime), inotify, memfd_create, sendfile, splice, tee, vmsplice and
   copy_file_range. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    uint64_t v;
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    eventfd_write(e, 4);
    read(e, &v, 8);
    printf("eventfd: %llu, then %zd\n", (unsigned long long)v, read(e, &v, 8));
    int s = eventfd(2, EFD_SEMAPHORE);
    read(s, &v, 8);
    printf("semaphore: %llu", (unsigned long long)v);
    read(s, &v, 8);
    printf(" %llu, flags O_NONBLOCK %d\n", (unsigned long long)v,
           !!(fcntl(e, F_GETFL) & O_NONBLOCK));

    int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000 * 1000 } }, cur, old;
    timerfd_settime(t, 0, &its, NULL);
    timerfd_gettime(t, &cur);
    printf("timerfd armed: %d\n", cur.it_value.tv_nsec > 0 &&
           cur.it_value.tv_nsec <= 20 * 1000 * 1000);
    read(t, &v, 8);
    printf("timerfd expired %llu time\n", (unsigned long long)v);
    timerfd_gettime(t, &cur);
    printf("then disarmed: %ld %ld\n", (long)cur.it_value.tv_sec,
           (long)cur.it_value.tv_nsec);
    its.it_interval.tv_sec = 100;
    its.it_value.tv_sec = 50;
    timerfd_settime(t, 0, &its, NULL);
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 0;
    timerfd_settime(t, 0, &its, &old);
    printf("old setting: interval %lds, value ~%lds\n",
           (long)old.it_interval.tv_sec, (long)old.it_value.tv_sec);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    its = (struct itimerspec){ { 0, 0 }, now };
    timerfd_settime(t, TFD_TIMER_ABSTIME, &its, NULL);
    read(t, &v, 8);
    printf("absolute timer in the past: %llu\n", (unsigned long long)v);

    char dir[] = "/tmp/mimic-inotify-XXXXXX", path[64], buf[4096];
    mkdtemp(dir);
    int in = inotify_init1(IN_NONBLOCK);
    int wd = inotify_add_watch(in, dir, IN_CREATE | IN_DELETE);
    snprintf(path, sizeof(path), "%s/file", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    unlink(path);
    ssize_t n = read(in, buf, sizeof(buf));
    for (char *p = buf; p < buf + n;) {
        struct inotify_event *ie = (struct inotify_event *)p;
        printf("inotify: wd ok %d mask %#x name %s\n", ie->wd == wd,
               ie->mask, ie->len ? ie->name : "");
        p += sizeof(*ie) + ie->len;
    }
    printf("rm_watch %d, again %d\n", inotify_rm_watch(in, wd),
           inotify_rm_watch(in, wd));
    rmdir(dir);

    int m = memfd_create("mimic-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    write(m, "hello, memfd and sendfile\n", 26);
    fcntl(m, F_ADD_SEALS, F_SEAL_GROW);
    printf("sealed write: %zd\n", pwrite(m, "x", 1, 100));
    off_t off = 7;
    fflush(stdout);
    n = sendfile(1, m, &off, 19);
    printf("sendfile: %zd, offset now %ld\n", n, (long)off);

    int p[2], q[2];
    pipe(p);
    pipe(q);
    loff_t lo = 0;
    n = splice(m, &lo, p[1], NULL, 5, 0);
    printf("splice to a pipe: %zd, offset %lld\n", n, (long long)lo);
    n = tee(p[0], q[1], 5, 0);
    printf("tee: %zd\n", n);
    n = read(q[0], buf, sizeof(buf));
    printf("the copy: %.*s\n", (int)n, buf);
    n = read(p[0], buf, sizeof(buf));
    printf("the original: %.*s\n", (int)n, buf);
    struct iovec iov[2] = { { "vm", 2 }, { "splice", 6 } };
    n = vmsplice(p[1], iov, 2, 0);
    char x[4] = "", y[8] = "";
    struct iovec rio[2] = { { x, 3 }, { y, 5 } };
    ssize_t r = vmsplice(p[0], rio, 2, 0);
    printf("vmsplice in %zd, out %zd: %.3s|%.5s\n", n, r, x, y);

    int m2 = memfd_create("copy", 0);
    loff_t in_off = 0, out_off = 2;
    write(m2, "--", 2);
    n = copy_file_range(m, &in_off, m2, &out_off, 5, 0);
    n = pread(m2, buf, 16, 0);
    printf("copy_file_range: %.*s, offsets %lld %lld\n", (int)n, buf,
           (long long)in_off, (long long)out_off);
    char name[64];
    snprintf(name, sizeof(name), "/proc/self/fd/%d", m2);
    n = readlink(name, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("memfd name: %s\n", buf);
    return 0;
}
