/*
 * Options that test harnesses and distribution scripts pass
 * (system/harness.h), with QEMU's spellings and errors: the guest's name,
 * message prefixes, boot order (no effect on virt, as on QEMU's riscv
 * virt), what guest events do, the RTC's start and clock, the PID file and
 * daemonizing.  Kept out of main.c, which only calls these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "harness.h"
#include "mimic/log.h"
#include "mimic/options.h"
#include "mimic/runstate.h"

/* A leftover option: QEMU's "Invalid parameter 'X'". */
static bool no_leftover(GHashTable *opts, char **err)
{
    const char *k = opts_first_key(opts);

    if (!k)
        return true;
    *err = g_strdup_printf("Invalid parameter '%s'", k);
    return false;
}

/* An on/off option; absent leaves *out alone. */
static bool take_bool(GHashTable *opts, const char *key, bool *out, char **err)
{
    g_autofree char *v = opts_take(opts, key);

    if (v && !opts_parse_bool(v, out)) {
        *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

/* One of a list of words; absent: *out is NULL. */
static bool take_enum(GHashTable *opts, const char *key,
                      const char *const *words, char **out, char **err)
{
    *out = opts_take(opts, key);
    if (!*out)
        return true;
    for (const char *const *w = words; *w; w++) {
        if (!strcmp(*w, *out))
            return true;
    }
    *err = g_strdup_printf("Parameter '%s' does not accept value '%s'", key,
                           *out);
    g_free(*out);
    *out = NULL;
    return false;
}

bool harness_name(const char *spec, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, "guest", err);
    g_autofree char *name = NULL, *process = NULL;
    bool threads = false;

    if (!opts)
        return false;
    name = opts_take(opts, "guest");
    process = opts_take(opts, "process");
    /* Mimic's threads always have names (vcpu-rr, vcpu-N, ...). */
    if (!take_bool(opts, "debug-threads", &threads, err) ||
        !no_leftover(opts, err))
        return false;
    if (name && *name)
        runstate_set_guest_name(name);
    if (process && *process)
        prctl(PR_SET_NAME, process, 0, 0, 0);
    return true;
}

bool harness_msg(const char *spec, const char *guest_name, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, NULL, err);
    bool timestamp = false, with_name = false;

    if (!opts)
        return false;
    if (!take_bool(opts, "timestamp", &timestamp, err) ||
        !take_bool(opts, "guest-name", &with_name, err) ||
        !no_leftover(opts, err))
        return false;
    error_set_prefix(timestamp, with_name ? guest_name : NULL);
    return true;
}

/* QEMU's boot devices: a (floppy) to p (network). */
static bool boot_devices_valid(const char *s)
{
    return strspn(s, "abcdefghijklmnop") == strlen(s);
}

static bool take_number(GHashTable *opts, const char *key, const char *what,
                        char **err)
{
    g_autofree char *v = opts_take(opts, key);
    guint64 n;

    if (v && !g_ascii_string_to_unsigned(v, 10, 0, G_MAXINT64, &n, NULL)) {
        *err = g_strdup_printf("Parameter '%s' expects %s", key, what);
        return false;
    }
    return true;
}

bool harness_boot(const char *spec, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, "order", err);
    g_autofree char *order = NULL, *once = NULL, *splash = NULL;
    bool b;

    if (!opts)
        return false;
    order = opts_take(opts, "order");
    once = opts_take(opts, "once");
    splash = opts_take(opts, "splash");
    if ((order && !boot_devices_valid(order)) ||
        (once && !boot_devices_valid(once))) {
        *err = g_strdup_printf("Invalid boot device '%s'",
                               order && !boot_devices_valid(order) ? order
                                                                   : once);
        return false;
    }
    if (!take_bool(opts, "menu", &b, err) ||
        !take_bool(opts, "strict", &b, err) ||
        !take_number(opts, "splash-time", "an integer", err) ||
        !take_number(opts, "reboot-timeout", "an integer", err))
        return false;
    if (opts_first_key(opts)) {
        *err = g_strdup_printf("Parameter 'boot.%s' is unexpected",
                               opts_first_key(opts));
        return false;
    }
    return true;
}

bool harness_action(const char *spec, char **err)
{
    static const char *const reboot_w[] = { "reset", "shutdown", NULL };
    static const char *const shutdown_w[] = { "poweroff", "pause", NULL };
    static const char *const panic_w[] = { "pause", "shutdown",
                                           "exit-failure", "none", NULL };
    static const char *const watchdog_w[] = { "reset", "shutdown", "poweroff",
                                              "pause", "debug", "none",
                                              "inject-nmi", NULL };
    g_autoptr(GHashTable) opts = opts_parse(spec, NULL, err);
    g_autofree char *reboot = NULL, *shutdown = NULL, *panic = NULL;
    g_autofree char *watchdog = NULL;

    if (!opts)
        return false;
    if (!take_enum(opts, "reboot", reboot_w, &reboot, err) ||
        !take_enum(opts, "shutdown", shutdown_w, &shutdown, err) ||
        !take_enum(opts, "panic", panic_w, &panic, err) ||
        !take_enum(opts, "watchdog", watchdog_w, &watchdog, err) ||
        !no_leftover(opts, err))
        return false;
    /* panic= and watchdog=: virt has no pvpanic device and no watchdog. */
    if (reboot)
        runstate_set_no_reboot(!strcmp(reboot, "shutdown"));
    if (shutdown)
        runstate_set_no_shutdown(!strcmp(shutdown, "pause"));
    return true;
}

/* "2006-06-17T16:01:21" or "2006-06-17", in UTC as QEMU takes it. */
static bool parse_datetime(const char *s, int64_t *ns)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    char end;
    struct tm tm = { 0 };
    time_t t;

    if (sscanf(s, "%d-%d-%dT%d:%d:%d%c", &y, &mo, &d, &h, &mi, &sec,
               &end) != 6 &&
        sscanf(s, "%d-%d-%d%c", &y, &mo, &d, &end) != 3)
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    t = timegm(&tm);
    *ns = (int64_t)t * 1000000000;
    return true;
}

bool harness_rtc(const char *spec, HarnessRtc *rtc, char **err)
{
    g_autoptr(GHashTable) opts = opts_parse(spec, NULL, err);
    g_autofree char *base = NULL, *clock = NULL, *drift = NULL;
    int64_t now_ns = g_get_real_time() * 1000;

    if (!opts)
        return false;
    base = opts_take(opts, "base");
    clock = opts_take(opts, "clock");
    drift = opts_take(opts, "driftfix");
    if (!no_leftover(opts, err))
        return false;
    rtc->set = true;
    rtc->start_ns = now_ns;
    rtc->follow_host = true;
    rtc->clock = TIMER_CLOCK_HOST;
    if (!base || !strcmp(base, "utc")) {
        ;
    } else if (!strcmp(base, "localtime")) {
        GDateTime *dt = g_date_time_new_now_local();

        rtc->start_ns += g_date_time_get_utc_offset(dt) * 1000;
        g_date_time_unref(dt);
    } else if (!parse_datetime(base, &rtc->start_ns)) {
        *err = g_strdup("invalid datetime format\nvalid formats: "
                        "'2006-06-17T16:01:21' or '2006-06-17'");
        return false;
    }
    if (!clock || !strcmp(clock, "host")) {
        ;
    } else if (!strcmp(clock, "rt")) {
        rtc->follow_host = false;
    } else if (!strcmp(clock, "vm")) {
        rtc->follow_host = false;
        rtc->clock = TIMER_CLOCK_VIRTUAL;
    } else {
        *err = g_strdup_printf("invalid option value '%s'", clock);
        return false;
    }
    /* driftfix only concerns x86's RTC interrupt; none here. */
    if (drift && strcmp(drift, "none") && strcmp(drift, "slew")) {
        *err = g_strdup_printf("invalid option value '%s'", drift);
        return false;
    }
    return true;
}

/* ---- -pidfile ---- */

static char *pidfile_path;
static pid_t pidfile_owner;

static void pidfile_remove(void)
{
    /* Only the process that wrote it (not a daemon's parent). */
    if (pidfile_path && getpid() == pidfile_owner)
        unlink(pidfile_path);
}

bool harness_pidfile(const char *path, char **err)
{
    struct stat a, b;
    char buf[32];
    int fd, n;

    /* Lock, then check that the file locked is still the one at path:
       another instance may have removed it meanwhile (as QEMU does). */
    for (;;) {
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            *err = g_strdup_printf("cannot create PID file: Could not create "
                                   "'%s': %s", path, strerror(errno));
            return false;
        }
        if (lockf(fd, F_TLOCK, 0) < 0) {
            *err = g_strdup_printf("cannot create PID file: Cannot lock pid "
                                   "file: %s", strerror(errno));
            close(fd);
            return false;
        }
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
            a.st_ino == b.st_ino && a.st_dev == b.st_dev)
            break;
        close(fd);
    }
    if (ftruncate(fd, 0) < 0) {
        *err = g_strdup_printf("cannot create PID file: Failed to truncate "
                               "pid file: %s", strerror(errno));
        close(fd);
        return false;
    }
    n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (write(fd, buf, (size_t)n) != n) {
        *err = g_strdup_printf("cannot create PID file: Failed to write pid "
                               "file: %s", strerror(errno));
        close(fd);
        return false;
    }
    /* fd stays open: the lock lasts as long as the process. */
    pidfile_path = g_strdup(path);
    pidfile_owner = getpid();
    atexit(pidfile_remove);
    return true;
}

/* ---- -daemonize ---- */

/* A spec that takes stdio: "stdio" or "mon:stdio", or a -chardev stdio. */
static bool uses_stdio(const char *spec, bool chardev)
{
    if (chardev)
        return strcspn(spec, ",") == 5 && !strncmp(spec, "stdio", 5);
    return !strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio");
}

bool harness_daemonize_check(bool nographic, const GPtrArray *chardevs,
                             const GPtrArray *serials, const GPtrArray *others,
                             char **err)
{
    if (nographic) {
        *err = g_strdup("-nographic cannot be used with -daemonize");
        return false;
    }
    for (guint i = 0; i < chardevs->len; i++) {
        if (uses_stdio(g_ptr_array_index(chardevs, i), true)) {
            *err = g_strdup_printf("-chardev %s: cannot use stdio with "
                                   "-daemonize",
                                   (char *)g_ptr_array_index(chardevs, i));
            return false;
        }
    }
    for (guint i = 0; i < serials->len; i++) {
        if (uses_stdio(g_ptr_array_index(serials, i), false)) {
            *err = g_strdup_printf("-serial %s: cannot use stdio with "
                                   "-daemonize",
                                   (char *)g_ptr_array_index(serials, i));
            return false;
        }
    }
    for (guint i = 0; i < others->len; i++) {
        const char *o = g_ptr_array_index(others, i);
        const char *spec = strchr(o, ' ');

        if (spec && uses_stdio(spec + 1, false)) {
            *err = g_strdup_printf("%s: cannot use stdio with -daemonize", o);
            return false;
        }
    }
    return true;
}

static int ready_fd = -1;

void harness_daemonize_start(void)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        error_report("-daemonize: cannot create a pipe: %s", strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("-daemonize: cannot fork: %s", strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        char c;
        ssize_t n;
        int status;

        close(fds[1]);
        do {
            n = read(fds[0], &c, 1);
        } while (n < 0 && errno == EINTR);
        if (n == 1)
            _exit(0);
        /* The child failed in start-up (its message is on stderr). */
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
            _exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
        _exit(1);
    }
    close(fds[0]);
    ready_fd = fds[1];
    setsid();
}

void harness_daemonize_ready(void)
{
    int null;

    if (ready_fd < 0)
        return;
    null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        fflush(stdout);
        fflush(stderr);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2)
            close(null);
    }
    if (write(ready_fd, "", 1) < 0) {
        /* The parent is gone: nobody to tell. */
    }
    close(ready_fd);
    ready_fd = -1;
}
