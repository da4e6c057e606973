/*
 * The GDB remote serial protocol servers (gdbstub/): the commands are
 * gdbstub/protocol.c's, each mode has its own glue.
 *
 * System mode (gdbstub/system.c): one gdb client at a time, over a
 * character backend (a TCP or unix socket); every hart is a gdb thread
 * (thread id = cpu_index + 1).  All-stop mode: when one hart stops, the
 * machine stops (vm_stop(RUN_STATE_DEBUG)).  The server runs on the main
 * loop with the BQL held.
 *
 *   -s             same as -gdb tcp::1234
 *   -gdb tcp::PORT | tcp:HOST:PORT | unix:PATH | chardev:ID | none
 *
 * Linux user mode (gdbstub/user.c, mimic-<arch> -g PORT): one client on a
 * plain socket, served by a thread of its own; every guest thread is a
 * gdb thread (id = its host thread id, which the guest sees as its tid).
 * All-stop: when one thread stops, the others stop at their next TB
 * boundary; a thread inside a host syscall counts as stopped and stops
 * when it comes back.  The CPU loop calls the gdbserver_user_* hooks.
 */
#ifndef MIMIC_GDBSTUB_H
#define MIMIC_GDBSTUB_H

#include <stdbool.h>

/* Starts (or restarts, on another device) the server; "none" stops it.
   As QEMU, a tcp: or unix: device gets server=on,wait=off unless given.
   false with a message in *err (g_free it). */
bool gdbserver_start(const char *device, char **err);

/* ---- Linux user mode ---- */

struct CPUState;

/* True once gdbserver_user_start succeeded (the hooks below do nothing
   otherwise). */
extern bool gdbserver_user_active;

/* -g PORT (a TCP port on every IPv4 address, as qemu-user) or -g PATH (a
   unix socket): listens, waits for gdb, and serves it on a new thread.
   cpu is the first guest thread's, stopped before its first insn until
   gdb resumes it.  false with a message in *err (g_free it). */
bool gdbserver_user_start(const char *port, struct CPUState *cpu, char **err);
/* A guest thread starts (on its host thread) / is about to end. */
void gdbserver_user_thread_start(struct CPUState *cpu);
void gdbserver_user_thread_exit(struct CPUState *cpu);
/* Top of the CPU loop: waits while gdb keeps cpu stopped. */
void gdbserver_user_park(struct CPUState *cpu);
/* A host signal number sig is about to be delivered to the guest thread
   of cpu (debug: a breakpoint or a finished step, reported as SIGTRAP):
   stops everything, reports it, and waits for gdb to resume this thread.
   Returns the signal to deliver instead (0: none), as gdb said. */
int gdbserver_user_signal(struct CPUState *cpu, int sig, bool debug);
/* In the child of a fork (mmap and TB locks held): the child runs without
   gdb, which debugs the parent; gdb's breakpoints go from every CPU.
   cpu is the calling thread's. */
void gdbserver_user_fork_child(struct CPUState *cpu);
/* The process ends with status / by signal sig: tells gdb (W / X). */
void gdbserver_user_exit(int status);
void gdbserver_user_signalled(int sig);

#endif
