/*
 * IRQ lines (hw/core/irq.c): a device holds an IRQLine pointer and raises
 * or lowers it; the board creates the line from the interrupt controller's
 * input handler and hands it to the device, so a device never knows whom it
 * interrupts.  A NULL line is valid and ignored (a device not wired yet).
 *
 *   IRQLine *irq = irq_new(plic_set_irq, plic, 10);   (board)
 *   irq_set(s->irq, level);                          (device)
 */
#ifndef MIMIC_IRQ_H
#define MIMIC_IRQ_H

#include <stdbool.h>

/* Called with the input number n given at creation and the new level. */
typedef void (*IRQHandler)(void *opaque, int n, int level);

typedef struct IRQLine IRQLine;

IRQLine *irq_new(IRQHandler handler, void *opaque, int n);
void irq_free(IRQLine *irq);
/* Sets the level (0 or 1; any nonzero value counts as 1). */
void irq_set(IRQLine *irq, int level);
/* The last level set (0 for a NULL line). */
int irq_level(const IRQLine *irq);

static inline void irq_raise(IRQLine *irq)
{
    irq_set(irq, 1);
}

static inline void irq_lower(IRQLine *irq)
{
    irq_set(irq, 0);
}

/* An edge: raise then lower. */
static inline void irq_pulse(IRQLine *irq)
{
    irq_set(irq, 1);
    irq_set(irq, 0);
}

#endif
