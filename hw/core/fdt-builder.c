/*
 * The device-tree builder of include/mimic/fdt-builder.h: thin wrappers
 * over libfdt's read-write calls that grow the blob when it is full and
 * keep the first error, so that a board and its device models can add
 * nodes and properties without checking every call.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>
#include <libfdt.h>

#include "mimic/fdt-builder.h"

#define FDTB_INITIAL_SIZE (64 * 1024)

static void fdtb_grow(FdtBuilder *b)
{
    size_t bigger = b->size * 2;

    b->fdt = g_realloc(b->fdt, bigger);
    fdt_open_into(b->fdt, b->fdt, (int)bigger);
    b->size = bigger;
}

/* Runs a libfdt call, growing the blob and retrying when it is full; the
   call is an expression so that it can be made again. */
#define FDTB_DO(b, call)                                                \
    do {                                                                \
        int r_;                                                         \
        while ((r_ = (call)) == -FDT_ERR_NOSPACE)                       \
            fdtb_grow(b);                                               \
        if (r_ < 0 && !(b)->error)                                      \
            (b)->error = r_;                                            \
    } while (0)

void fdtb_init(FdtBuilder *b)
{
    b->size = FDTB_INITIAL_SIZE;
    b->error = 0;
    b->next_phandle = 1;
    b->fdt = g_malloc0(b->size);
    FDTB_DO(b, fdt_create_empty_tree(b->fdt, (int)b->size));
}

int fdtb_node(FdtBuilder *b, int parent, const char *name)
{
    int off;

    while ((off = fdt_add_subnode(b->fdt, parent, name)) == -FDT_ERR_NOSPACE)
        fdtb_grow(b);
    if (off < 0 && !b->error)
        b->error = off;
    return off;
}

int fdtb_device_node(FdtBuilder *b, int parent, const char *name,
                     uint64_t base, uint64_t size)
{
    g_autofree char *n = g_strdup_printf("%s@%" PRIx64, name, base);
    int node = fdtb_node(b, parent, n);

    fdtb_prop_reg(b, node, base, size);
    return node;
}

uint32_t fdtb_phandle(FdtBuilder *b, int node)
{
    uint32_t ph = b->next_phandle++;

    fdtb_prop_u32(b, node, "phandle", ph);
    return ph;
}

void fdtb_prop_u32(FdtBuilder *b, int node, const char *name, uint32_t v)
{
    FDTB_DO(b, fdt_setprop_u32(b->fdt, node, name, v));
}

void fdtb_prop_str(FdtBuilder *b, int node, const char *name, const char *v)
{
    FDTB_DO(b, fdt_setprop_string(b->fdt, node, name, v));
}

void fdtb_prop_empty(FdtBuilder *b, int node, const char *name)
{
    FDTB_DO(b, fdt_setprop(b->fdt, node, name, NULL, 0));
}

void fdtb_prop_strs(FdtBuilder *b, int node, const char *name, ...)
{
    GByteArray *buf = g_byte_array_new();
    va_list ap;
    const char *s;

    va_start(ap, name);
    while ((s = va_arg(ap, const char *)) != NULL)
        g_byte_array_append(buf, (const guint8 *)s, (guint)strlen(s) + 1);
    va_end(ap);
    FDTB_DO(b, fdt_setprop(b->fdt, node, name, buf->data, (int)buf->len));
    g_byte_array_free(buf, TRUE);
}

void fdtb_prop_cells(FdtBuilder *b, int node, const char *name,
                     const uint32_t *cells, int n)
{
    fdt32_t *be = g_new(fdt32_t, n);

    for (int i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    FDTB_DO(b, fdt_setprop(b->fdt, node, name, be, n * (int)sizeof(fdt32_t)));
    g_free(be);
}

void fdtb_prop_reg(FdtBuilder *b, int node, uint64_t base, uint64_t size)
{
    uint32_t reg[4] = { (uint32_t)(base >> 32), (uint32_t)base,
                        (uint32_t)(size >> 32), (uint32_t)size };

    fdtb_prop_cells(b, node, "reg", reg, 4);
}

void fdtb_prop_irq(FdtBuilder *b, int node, uint32_t intc, uint32_t irq)
{
    fdtb_prop_u32(b, node, "interrupt-parent", intc);
    fdtb_prop_u32(b, node, "interrupts", irq);
}

void fdtb_prop_irqs_ext_pairs(FdtBuilder *b, int node, const uint32_t *intc,
                              int n, uint32_t a, uint32_t c)
{
    uint32_t *cells = g_new(uint32_t, 4 * n);

    for (int i = 0; i < n; i++) {
        cells[4 * i] = intc[i];
        cells[4 * i + 1] = a;
        cells[4 * i + 2] = intc[i];
        cells[4 * i + 3] = c;
    }
    fdtb_prop_cells(b, node, "interrupts-extended", cells, 4 * n);
    g_free(cells);
}
