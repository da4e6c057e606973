/*
 * The GDB remote serial protocol server (gdbstub/).  One gdb client at a
 * time, over a character backend (a TCP or unix socket); every hart is a
 * gdb thread (thread id = cpu_index + 1).  All-stop mode: when one hart
 * stops, the machine stops (vm_stop(RUN_STATE_DEBUG)).  The server runs
 * on the main loop with the BQL held.
 *
 *   -s             same as -gdb tcp::1234
 *   -gdb tcp::PORT | tcp:HOST:PORT | unix:PATH | chardev:ID | none
 */
#ifndef MIMIC_GDBSTUB_H
#define MIMIC_GDBSTUB_H

#include <stdbool.h>

/* Starts (or restarts, on another device) the server; "none" stops it.
   As QEMU, a tcp: or unix: device gets server=on,wait=off unless given.
   false with a message in *err (g_free it). */
bool gdbserver_start(const char *device, char **err);

#endif
