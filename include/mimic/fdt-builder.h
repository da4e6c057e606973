/*
 * Building a flattened device tree with libfdt (hw/core/fdt-builder.c):
 * the blob grows as nodes and properties are added, the first libfdt
 * error is kept for the end, and phandles are handed out in creation
 * order.  A board builds the tree's frame (/, /cpus, /memory, /chosen,
 * the bus container) and calls each device model's *_fdt_add function,
 * which adds the device's own node from its configuration.
 *
 *   FdtBuilder b;
 *   fdtb_init(&b);
 *   int soc = fdtb_node(&b, 0, "soc");
 *   int n = fdtb_device_node(&b, soc, "serial", 0x10000000, 0x100);
 *   fdtb_prop_irq(&b, n, plic_phandle, 10);
 *   fdtb_prop_str(&b, n, "compatible", "ns16550a");
 *   if (b.error) ... fdt_strerror(b.error) ...; else use b.fdt (g_free it)
 *
 * libfdt puts a new node before its older siblings: the last node added
 * under a parent comes first in the tree.
 */
#ifndef MIMIC_FDT_BUILDER_H
#define MIMIC_FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct FdtBuilder {
    void *fdt;               /* the blob (g_malloc'd) */
    size_t size;             /* its allocation */
    int error;               /* the first libfdt error, or 0 */
    uint32_t next_phandle;
} FdtBuilder;

/* An empty tree with a root node; phandles start at 1. */
void fdtb_init(FdtBuilder *b);
/* Adds node name under parent (0: the root); its offset. */
int fdtb_node(FdtBuilder *b, int parent, const char *name);
/* name@base (base in hex) under parent, with reg = <base size> in two
   address and two size cells. */
int fdtb_device_node(FdtBuilder *b, int parent, const char *name,
                     uint64_t base, uint64_t size);
/* Gives node the next phandle; returns it. */
uint32_t fdtb_phandle(FdtBuilder *b, int node);

void fdtb_prop_u32(FdtBuilder *b, int node, const char *name, uint32_t v);
void fdtb_prop_str(FdtBuilder *b, int node, const char *name, const char *v);
void fdtb_prop_empty(FdtBuilder *b, int node, const char *name);
/* A string list (e.g. compatible), NULL-terminated. */
void fdtb_prop_strs(FdtBuilder *b, int node, const char *name, ...);
/* An array of n cells, written big-endian. */
void fdtb_prop_cells(FdtBuilder *b, int node, const char *name,
                     const uint32_t *cells, int n);
/* reg = <base size> with two address and two size cells. */
void fdtb_prop_reg(FdtBuilder *b, int node, uint64_t base, uint64_t size);
/* interrupt-parent = <intc>, interrupts = <irq>: one line of a controller
   with one interrupt cell. */
void fdtb_prop_irq(FdtBuilder *b, int node, uint32_t intc, uint32_t irq);
/* interrupts-extended = <intc[0] a intc[0] c intc[1] a ...>: two lines
   into each of n per-CPU controllers of one interrupt cell. */
void fdtb_prop_irqs_ext_pairs(FdtBuilder *b, int node, const uint32_t *intc,
                              int n, uint32_t a, uint32_t c);

#endif
