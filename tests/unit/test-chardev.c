/*
 * Tests of the chardev core (chardev/) and of clocks and timers
 * (util/timer.c): the Ctrl-A escapes of a mux backend, input held back
 * until the frontend has room, -chardev/-serial string errors, timers
 * firing on a glib main context, and the virtual clock standing still
 * while stopped.
 */
#include <glib.h>

#include "mimic/chardev.h"
#include "mimic/runstate.h"
#include "mimic/timer.h"
#include "unit.h"

static GString *got;
static int room;

static int fe_can_read(void *opaque)
{
    return room;
}

static void fe_read(void *opaque, const uint8_t *buf, int len)
{
    g_string_append_len(got, (const char *)buf, len);
    room -= len;
}

static void feed(Chardev *chr, const char *s)
{
    chardev_receive(chr, (const uint8_t *)s, (int)strlen(s));
}

TEST(mux_escapes)
{
    char *err = NULL;
    Chardev *chr = chardev_new("null,id=m0,mux=on", &err);

    EXPECT(chr != NULL);
    got = g_string_new(NULL);
    room = 100;
    chardev_set_handlers(chr, fe_can_read, fe_read, NULL);
    feed(chr, "a\001\001b\001hc\001qd");
    EXPECT_STREQ(got->str, "a\001bcd");
    EXPECT(!runstate_shutdown_requested());
    feed(chr, "\001");
    feed(chr, "x");
    EXPECT(runstate_shutdown_requested());
    EXPECT_EQ(runstate_shutdown_cause(), SHUTDOWN_CAUSE_HOST_UI);
    EXPECT_EQ(runstate_exit_status(), 0);
    EXPECT_STREQ(got->str, "a\001bcd");
    g_string_free(got, TRUE);
}

TEST(input_waits_for_room)
{
    char *err = NULL;
    Chardev *chr = chardev_new("null,id=n0", &err);

    got = g_string_new(NULL);
    room = 2;
    chardev_set_handlers(chr, fe_can_read, fe_read, NULL);
    feed(chr, "hello");
    EXPECT_STREQ(got->str, "he");
    room = 10;
    chardev_accept_input(chr);    /* delivery resumes on the main loop */
    while (g_main_context_iteration(NULL, FALSE))
        ;
    EXPECT_STREQ(got->str, "hello");
    /* Ctrl-A is plain data without mux. */
    feed(chr, "\001x");
    EXPECT_STREQ(got->str, "hello\001x");
    g_string_free(got, TRUE);
}

TEST(bad_specs)
{
    char *err = NULL;

    EXPECT(chardev_new("tcp,id=t", &err) == NULL);
    EXPECT(err && strstr(err, "not a valid chardev backend"));
    g_clear_pointer(&err, g_free);
    EXPECT(chardev_new("null", &err) == NULL);
    EXPECT(err && strstr(err, "id="));
    g_clear_pointer(&err, g_free);
    EXPECT(chardev_new("null,id=n0", &err) == NULL);   /* taken above */
    EXPECT(err && strstr(err, "duplicate"));
    g_clear_pointer(&err, g_free);
    EXPECT(chardev_new("null,id=z,colour=red", &err) == NULL);
    EXPECT(err && strstr(err, "unknown parameter 'colour'"));
    g_clear_pointer(&err, g_free);
    EXPECT(chardev_new("file,id=f", &err) == NULL);
    EXPECT(err && strstr(err, "path="));
    g_clear_pointer(&err, g_free);
    EXPECT(chardev_new("file,id=f2,path=/nonexistent/dir/x", &err) == NULL);
    EXPECT(err && strstr(err, "cannot open"));
    g_clear_pointer(&err, g_free);
    EXPECT(chardev_new_serial("none", &err) == NULL);
    EXPECT(err == NULL);
    EXPECT(chardev_new_serial("chardev:n0", &err) == chardev_find("n0"));
    EXPECT(chardev_new_serial("vc", &err) == NULL);
    EXPECT(err && strstr(err, "not a valid serial backend"));
    g_clear_pointer(&err, g_free);
}

static int fired;

static void on_timer(void *opaque)
{
    fired++;
}

TEST(timers_fire_on_the_main_loop)
{
    Timer *t = timer_new(TIMER_CLOCK_VIRTUAL, on_timer, NULL);
    Timer *h = timer_new(TIMER_CLOCK_HOST, on_timer, NULL);
    int64_t start = clock_ns(TIMER_CLOCK_HOST);

    timers_attach(g_main_context_default());
    fired = 0;
    timer_mod(t, clock_ns(TIMER_CLOCK_VIRTUAL) + 3000000);
    timer_mod(h, clock_ns(TIMER_CLOCK_HOST) + 1000000);
    EXPECT(timer_pending(t));
    while (fired < 2 && clock_ns(TIMER_CLOCK_HOST) - start < 2000000000)
        g_main_context_iteration(NULL, TRUE);
    EXPECT_EQ(fired, 2);
    EXPECT(clock_ns(TIMER_CLOCK_HOST) - start >= 3000000);
    EXPECT(!timer_pending(t));
    timer_mod(t, clock_ns(TIMER_CLOCK_VIRTUAL) + 1000000000);
    timer_del(t);
    EXPECT(!timer_pending(t));
    timer_free(t);
    timer_free(h);
}

TEST(virtual_clock_stops)
{
    int64_t a, b;

    clock_virtual_stop();
    EXPECT(!clock_virtual_running());
    a = clock_ns(TIMER_CLOCK_VIRTUAL);
    g_usleep(2000);
    b = clock_ns(TIMER_CLOCK_VIRTUAL);
    EXPECT_EQ(a, b);
    clock_virtual_start();
    g_usleep(2000);
    EXPECT(clock_ns(TIMER_CLOCK_VIRTUAL) > b);
    EXPECT(clock_ns(TIMER_CLOCK_VIRTUAL) - b < 1000000000);
}

int main(void)
{
    return unit_run();
}
