/*
 * The global lock that guards device state; vCPUs take it around MMIO, the
 * main loop holds it except while it waits for events.  A thread that
 * already holds it may take it again (each lock needs its unlock).  It
 * lives with the vCPU threads (accel/tcg/cpus.c), so that user mode,
 * which has no devices, has it too for what it shares with system mode.
 */
#ifndef MIMIC_BQL_H
#define MIMIC_BQL_H

#include <stdbool.h>

void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);

#endif
