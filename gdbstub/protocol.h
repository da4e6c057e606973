/*
 * The command layer of the GDB remote serial protocol (gdbstub/
 * protocol.c), shared by the system emulator's server (gdbstub/system.c:
 * a chardev, the main loop, vm_stop/vm_start) and Linux user mode's
 * (gdbstub/user.c: a blocking socket, guest threads stopped by hand).
 * It parses packets and answers them: registers, memory, breakpoints,
 * threads, target description, the resume commands.  It knows nothing of
 * how bytes travel or how CPUs are stopped and started: a mode gives a
 * GdbStubOps table, feeds received bytes to gdb_stub_byte(), and says
 * when the machine stopped with gdb_stub_stopped().
 *
 *   static const GdbStubOps ops = { .write = ..., .resume = ..., ... };
 *   gdb_stub_init(&stub, &ops);
 *   gdb_stub_reset(&stub);                 (a client connected)
 *   ... every byte from the client: gdb_stub_byte(&stub, ch) ...
 *   ... the machine stopped: gdb_stub_stopped(&stub, cpu, 5, &st, true) ...
 *
 * Everything here runs with the machine stopped (every CPU outside guest
 * code), on one thread at a time; the mode guarantees it.
 */
#ifndef MIMIC_GDBSTUB_PROTOCOL_H
#define MIMIC_GDBSTUB_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "gdbstub/internal.h"
#include "mimic/cpu.h"
#include "mimic/debug.h"

/* Signals in stop replies and C/S packets: gdb's own numbering (its
   signals.def), which differs from Linux's past 15 and for SIGBUS. */
enum {
    GDB_SIGNAL_INT = 2,
    GDB_SIGNAL_TRAP = 5,
};

/* Error numbers of E replies: the ones QEMU uses, which gdb only prints. */
enum {
    GDB_EINVAL = 0x16,      /* a malformed or unsupported request */
    GDB_EFAULT = 0x0e,      /* memory that cannot be reached */
    GDB_ENOSPC = 0x1c,      /* no room for another break/watchpoint */
};

typedef struct GdbStub GdbStub;

/* What a resume command asks of one thread. */
typedef struct GdbResume {
    CPUState *cpu;
    bool step;              /* run one insn (cpu_single_step is set) */
    int sig;                /* C/S: gdb's signal number to deliver; 0 none */
} GdbResume;

typedef struct GdbStubOps {
    /* Sends bytes to the client as they are. */
    void (*write)(GdbStub *s, const char *data, size_t len);
    /* The CPUs gdb sees as threads, in a stable order: at most max into
       cpus; returns how many there are. */
    int (*threads)(CPUState **cpus, int max);
    /* A thread's id for gdb (> 0, stable for the thread's life). */
    int64_t (*tid)(CPUState *cpu);
    /* The qThreadExtraInfo text (g_free it). */
    char *(*thread_extra)(CPUState *cpu);
    /* Runs the n threads of r (the others stay stopped); a stop reply is
       owed (gdb_stub_stopped) once the machine stops again. */
    void (*resume)(GdbStub *s, const GdbResume *r, int n);
    /* m/M/X: 0, or -1 if some byte cannot be reached. */
    int (*mem_rw)(GdbStub *s, CPUState *cpu, uint64_t addr, void *buf,
                  size_t len, bool write);
    /* The mode's own q and Q packets: true if it answered p. */
    bool (*query)(GdbStub *s, const char *p);
    /* D: the debug state is already dropped; run everything. */
    void (*detach)(GdbStub *s);
    /* k and vKill (vKill's OK already sent): end the guest. */
    void (*kill)(GdbStub *s);
    /* Z2-Z4 are served (else gdb gets "" and watches by stepping). */
    bool watchpoints;
    /* Added to qSupported's answer (";feature+" items), or NULL. */
    const char *features;
} GdbStubOps;

/* A breakpoint or watchpoint gdb inserted (gdb's Z type 0..4). */
typedef struct GdbPoint {
    int type;
    uint64_t addr, len;
} GdbPoint;

struct GdbStub {
    const GdbStubOps *ops;
    GdbRx rx;
    bool no_ack;            /* QStartNoAckMode */
    GString *unacked;       /* the last packet sent, until gdb acks it */
    bool waiting;           /* gdb resumed the machine: a stop reply is owed */
    GString *last_stop;     /* the last stop reply, for '?' */
    CPUState *g_cpu;        /* Hg: registers and memory */
    CPUState *c_cpu;        /* Hc: the thread 's' steps; NULL: any */
    GArray *points;         /* GdbPoint, applied to every CPU of cpu_list */
};

void gdb_stub_init(GdbStub *s, const GdbStubOps *ops);
/* A new client: no packet half-read, acks on, no owed reply, the first
   thread current.  The points stay: gdb_stub_drop_debug_state drops them. */
void gdb_stub_reset(GdbStub *s);
/* Takes one byte from the client; answers a packet it completes.  The
   event says what it was (GDB_RX_INTERRUPT: the mode stops the guest). */
GdbRxEvent gdb_stub_byte(GdbStub *s, uint8_t ch);

void gdb_stub_send(GdbStub *s, const char *str);
void gdb_stub_send_error(GdbStub *s, int err);

/* Answers a qXfer read of doc (size bytes) for range "OFFSET,LENGTH". */
void gdb_stub_send_xfer(GdbStub *s, const char *doc, size_t size,
                        const char *range);

/* The machine stopped with cpu (the thread reported) stopped for gdb
   signal sig; st says which debug event if any (NULL: none).  Makes the
   stop reply (kept for '?') and cpu the current thread; sends it if send
   (and the reply was owed). */
void gdb_stub_stopped(GdbStub *s, CPUState *cpu, int sig,
                      const DebugStop *st, bool send);
/* Removes every break/watchpoint gdb set and single-step from every CPU;
   no reply is owed any more. */
void gdb_stub_drop_debug_state(GdbStub *s);
/* Gives cpu (new: a guest thread's) the break/watchpoints gdb set. */
void gdb_stub_apply_points(GdbStub *s, CPUState *cpu);
/* cpu is no thread any more: it stops being the current one. */
void gdb_stub_forget_cpu(GdbStub *s, CPUState *cpu);
/* The first thread, for replies that name none. */
CPUState *gdb_stub_first_thread(GdbStub *s);

#endif
