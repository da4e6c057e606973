/*
 * IRQ lines (include/mimic/irq.h): a line is a handler, its opaque pointer
 * and an input number.  Setting a line calls the handler every time, even
 * with an unchanged level, so that level-triggered controllers can re-check
 * their state; a NULL line ignores everything.  Callers hold the BQL.
 */
#include <glib.h>

#include "mimic/irq.h"

struct IRQLine {
    IRQHandler handler;
    void *opaque;
    int n;
    int level;
};

IRQLine *irq_new(IRQHandler handler, void *opaque, int n)
{
    IRQLine *irq = g_new0(IRQLine, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

void irq_free(IRQLine *irq)
{
    g_free(irq);
}

void irq_set(IRQLine *irq, int level)
{
    if (!irq)
        return;
    irq->level = level != 0;
    if (irq->handler)
        irq->handler(irq->opaque, irq->n, irq->level);
}

int irq_level(const IRQLine *irq)
{
    return irq ? irq->level : 0;
}
