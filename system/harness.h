/*
 * The options that test harnesses and distribution scripts pass
 * (system/harness.c), each checked as QEMU checks it: -name, -msg,
 * -boot, -action, -rtc, -pidfile and -daemonize.  Each parser returns
 * false with a message in *err (g_free it) for main.c to print.
 */
#ifndef SYSTEM_HARNESS_H
#define SYSTEM_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "mimic/timer.h"

/* -name NAME[,process=P][,debug-threads=on|off] */
bool harness_name(const char *spec, char **err);
/* -msg timestamp=on|off[,guest-name=on|off] (after -name) */
bool harness_msg(const char *spec, const char *guest_name, char **err);
/* -boot [order=D][,once=D][,menu=on|off][,splash=F][,splash-time=MS]
   [,reboot-timeout=MS][,strict=on|off]: checked, no effect on virt. */
bool harness_boot(const char *spec, char **err);
/* -action reboot=reset|shutdown,shutdown=poweroff|pause,
   panic=pause|shutdown|exit-failure|none,watchdog=... */
bool harness_action(const char *spec, char **err);

/* -rtc base=utc|localtime|DATETIME,clock=host|rt|vm,driftfix=none|slew */
typedef struct HarnessRtc {
    bool set;
    int64_t start_ns;          /* the RTC's value (ns since 1970) at start */
    bool follow_host;          /* clock=host: wall time, not monotonic */
    TimerClock clock;          /* rt: TIMER_CLOCK_HOST; vm: VIRTUAL */
} HarnessRtc;
bool harness_rtc(const char *spec, HarnessRtc *rtc, char **err);

/* -pidfile FILE: written and locked now (another process holding it is an
   error, as QEMU's), removed at exit. */
bool harness_pidfile(const char *path, char **err);

/* -daemonize refuses -nographic and stdio backends, as QEMU: chardevs
   (-chardev specs), serials (-serial specs) and others ("-monitor stdio",
   "-gdb stdio", ...: option and spec). */

bool harness_daemonize_check(bool nographic, const GPtrArray *chardevs,
                             const GPtrArray *serials, const GPtrArray *others,
                             char **err);
/* -daemonize: forks; the parent waits until the child calls
   harness_daemonize_ready() (then exits 0) or dies in start-up (then
   exits with its status).  The child goes on, in a session of its own. */
void harness_daemonize_start(void);
/* The child is up: tell the parent, and let go of the terminal. */
void harness_daemonize_ready(void);

#endif
