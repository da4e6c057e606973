/* needs: none */
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

static GString *got2;
static GString *events;

static int fe2_can_read(void *opaque)
{
    return 100;
}

static void fe2_read(void *opaque, const uint8_t *buf, int len)
{
    g_string_append_len(got2, (const char *)buf, len);
}

static void fe_event(void *opaque, ChardevEvent event)
{
    static const char *const names[] = { "open", "close", "in", "out" };

    g_string_append_printf(events, "%s:%s ", (const char *)opaque, names[event]);
}

/* C-a c moves the input between the backend's own frontend (the serial
   port) and an added one (the monitor); output from both goes through. */
TEST(mux_two_frontends)
{
    char *err = NULL;
    Chardev *chr = chardev_new("null,id=m1,mux=on", &err);
    Chardev *mon;

    EXPECT(chardev_is_mux(chr));
    EXPECT(chardev_mux_add_frontend(chardev_new("null,id=plain", &err), &err) == NULL);
    EXPECT(err && strstr(err, "not a mux"));
    g_clear_pointer(&err, g_free);
    mon = chardev_mux_add_frontend(chr, &err);
    EXPECT(mon != NULL && chardev_is_mux(mon));
    got = g_string_new(NULL);
    got2 = g_string_new(NULL);
    events = g_string_new(NULL);
    room = 100;
    chardev_set_handlers(chr, fe_can_read, fe_read, "serial");
    chardev_set_event_handler(chr, fe_event);
    chardev_set_handlers(mon, fe2_can_read, fe2_read, "mon");
    chardev_set_event_handler(mon, fe_event);
    EXPECT_STREQ(events->str, "serial:open mon:open ");
    EXPECT(chardev_has_focus(chr) && !chardev_has_focus(mon));
    feed(chr, "abcinfocz");
    EXPECT_STREQ(got->str, "abz");
    EXPECT_STREQ(got2->str, "info");
    EXPECT_STREQ(events->str, "serial:open mon:open serial:out mon:in "
                 "mon:out serial:in ");
    EXPECT(chardev_has_focus(chr));
    EXPECT(chardev_is_open(mon));
    EXPECT_EQ(chardev_write(mon, (const uint8_t *)"x", 1), 1);
    g_string_free(got, TRUE);
    g_string_free(got2, TRUE);
    g_string_free(events, TRUE);
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
