/*
 * The monitors (monitor/): HMP, the human monitor (a command line with a
 * "(mimic) " prompt), and QMP, the JSON machine protocol.  Each runs on a
 * character backend, on the main loop with the BQL held.
 *
 *   -monitor stdio | unix:PATH,server,wait=off | tcp::PORT,server,wait=off
 *   -serial mon:stdio (and -nographic): the serial port and HMP share
 *                     stdio; Ctrl-A C switches between them
 *   -qmp unix:PATH,server,wait=off | tcp:HOST:PORT,server,wait=off
 *   -mon chardev=ID[,mode=readline|control]
 */
#ifndef MIMIC_MONITOR_H
#define MIMIC_MONITOR_H

#include <stdbool.h>

#include "mimic/chardev.h"

/* Starts an HMP monitor on chr (prints the banner and prompt). */
void monitor_init_hmp(Chardev *chr);
/* Starts a QMP monitor on chr (sends the greeting on each connection). */
void monitor_init_qmp(Chardev *chr, bool pretty);

/*
 * Runs one HMP command line and returns what it printed (g_free it).
 * For QMP's human-monitor-command and gdb's `monitor` (qRcmd).  Main
 * loop, BQL held.
 */
char *hmp_run_command(const char *cmdline);

#endif
