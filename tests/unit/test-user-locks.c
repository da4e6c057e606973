/* needs: riscv64-linux-user */
/*
 * User mode's lock order: mmap_lock before tb_lock.  A thread translating
 * holds tb_lock and reads the guest's mappings (page_get_flags takes
 * mmap_lock); a thread in munmap or mprotect holds mmap_lock and drops
 * TBs (tb_invalidate_phys_range takes tb_lock).  With the two taken in
 * either order they deadlocked (seen as a hung thread-life test under
 * load); tb_lock now takes mmap_lock first.  A watchdog turns a deadlock
 * into a failure instead of a hung test.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>

#include "unit.h"
#include "user-test.h"
#include "accel/tcg/internal.h"

static volatile int b_has_mmap_lock;

/* Thread B: what target_mmap does over an executable page. */
static gpointer mapper(gpointer unused)
{
    mmap_lock();
    b_has_mmap_lock = 1;
    g_usleep(100 * 1000);        /* A tries tb_lock meanwhile */
    tb_invalidate_phys_range(0x10000, 0x12000);
    mmap_unlock();
    return NULL;
}

static void on_alarm(int sig)
{
    static const char msg[] = "#   deadlock: tb_lock and mmap_lock\nnot ok\n";

    (void)sig;
    (void)!write(1, msg, sizeof(msg) - 1);
    _exit(1);
}

TEST(translation_and_munmap_do_not_deadlock)
{
    user_space_fresh();
    signal(SIGALRM, on_alarm);
    alarm(20);
    for (int round = 0; round < 5; round++) {
        b_has_mmap_lock = 0;
        GThread *b = g_thread_new("mapper", mapper, NULL);

        while (!b_has_mmap_lock)
            g_usleep(1000);
        /* Thread A: what translation does. */
        tb_lock();
        (void)page_get_flags(0x10000);
        tb_unlock();
        g_thread_join(b);
    }
    alarm(0);
    EXPECT(!tb_lock_held());
}

int main(void)
{
    return unit_run();
}
