/*
 * The RISC-V registers as gdb sees them: the target description
 * (target.xml, with gdb's standard feature names org.gnu.gdb.riscv.cpu,
 * .fpu, .csr and .virtual) and register access by gdb's numbering, which
 * is also the numbering the description gives: x0-x31 are 0-31, pc is 32,
 * f0-f31 are 33-64, CSR n is 65 + n (so fflags, frm and fcsr are 66-68),
 * and the virtual "priv" register is 65 + 4096.  The 'g' packet carries
 * 0-32; gdb reads the rest one by one.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "internals.h"
#include "mimic/rv-disas.h"

enum {
    GDB_REG_PC = 32,
    GDB_REG_F0 = 33,
    GDB_REG_CSR0 = 65,
    GDB_REG_PRIV = GDB_REG_CSR0 + 4096,
};

/* The CSRs that belong to the fpu feature, not the csr one. */
static bool csr_is_fp(unsigned csrno)
{
    return csrno >= 1 && csrno <= 3;
}

static void put64(uint8_t *buf, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *buf, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++)
        v |= (uint64_t)buf[i] << (8 * i);
    return v;
}

int riscv_gdb_read_register(CPUState *cs, uint8_t *buf, int reg)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;
    uint64_t v;

    if (reg < 32) {
        put64(buf, env->gpr[reg]);
        return 8;
    }
    if (reg == GDB_REG_PC) {
        put64(buf, env->pc);
        return 8;
    }
    if (reg < GDB_REG_CSR0) {
        if (!riscv_has_ext(cpu, 'F'))
            return 0;
        put64(buf, env->fpr[reg - GDB_REG_F0]);
        return 8;
    }
    if (reg == GDB_REG_PRIV) {
        put64(buf, env->priv);
        return 8;
    }
    if (reg >= GDB_REG_PRIV)
        return 0;
    unsigned csrno = (unsigned)(reg - GDB_REG_CSR0);
    char name[32];

    if (csr_is_fp(csrno)) {
        /* Readable whatever mstatus.FS says, unlike the CSR insns. */
        if (!riscv_has_ext(cpu, 'F'))
            return 0;
        v = csrno == 1 ? env->fcsr & 0x1f
          : csrno == 2 ? (env->fcsr >> 5) & 7 : env->fcsr & 0xff;
        for (int i = 0; i < 4; i++)
            buf[i] = (uint8_t)(v >> (8 * i));
        return 4;
    }
    if (!riscv_csr_name(csrno, name, sizeof(name)))
        return 0;
    /* A CSR this hart lacks (or cannot read now) reads as 0. */
    if (!riscv_csr_peek(cpu, csrno, &v))
        v = 0;
    put64(buf, v);
    return 8;
}

int riscv_gdb_write_register(CPUState *cs, const uint8_t *buf, int reg)
{
    RISCVCPU *cpu = RISCV_CPU(cs);
    CPURISCVState *env = &cpu->env;

    if (reg < 32) {
        if (reg)
            env->gpr[reg] = get64(buf, 8);
        return 8;
    }
    if (reg == GDB_REG_PC) {
        env->pc = get64(buf, 8);
        return 8;
    }
    if (reg < GDB_REG_CSR0) {
        if (!riscv_has_ext(cpu, 'F'))
            return 0;
        env->fpr[reg - GDB_REG_F0] = get64(buf, 8);
        return 8;
    }
    if (reg == GDB_REG_PRIV) {
        uint64_t p = get64(buf, 8);

        if (p == PRV_U || p == PRV_S || p == PRV_M) {
            env->priv = p;
            cpu_update_tb_flags(cs);
        }
        return 8;
    }
    if (reg >= GDB_REG_PRIV)
        return 0;
    unsigned csrno = (unsigned)(reg - GDB_REG_CSR0);
    char name[32];

    if (csr_is_fp(csrno)) {
        uint32_t v = (uint32_t)get64(buf, 4);

        if (!riscv_has_ext(cpu, 'F'))
            return 0;
        if (csrno == 1)
            env->fcsr = (env->fcsr & ~0x1fu) | (v & 0x1f);
        else if (csrno == 2)
            env->fcsr = (env->fcsr & ~0xe0u) | ((v & 7) << 5);
        else
            env->fcsr = v & 0xff;
        return 4;
    }
    if (!riscv_csr_name(csrno, name, sizeof(name)))
        return 0;
    riscv_csr_poke(cpu, csrno, get64(buf, 8));
    cpu_update_tb_flags(cs);
    return 8;
}

/* Whether a Linux process has register reg (for writing, if write): the
   counters cycle, time and instret are CSRs 0xc00-0xc02. */
static bool user_has_reg(int reg, bool write)
{
    unsigned csrno = (unsigned)(reg - GDB_REG_CSR0);

    if (reg < GDB_REG_CSR0)
        return true;
    if (reg >= GDB_REG_PRIV)
        return false;
    return csr_is_fp(csrno) ||
           (!write && csrno >= 0xc00 && csrno <= 0xc02);
}

int riscv_gdb_user_read_register(CPUState *cs, uint8_t *buf, int reg)
{
    return user_has_reg(reg, false) ? riscv_gdb_read_register(cs, buf, reg) : 0;
}

int riscv_gdb_user_write_register(CPUState *cs, const uint8_t *buf, int reg)
{
    return user_has_reg(reg, true) ? riscv_gdb_write_register(cs, buf, reg) : 0;
}

/* user: a Linux process's registers (user_has_reg). */
static char *build_target_xml(RISCVCPU *cpu, bool user)
{
    GString *x = g_string_new("<?xml version=\"1.0\"?>\n"
                              "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                              "<target version=\"1.0\">\n"
                              "<architecture>riscv:rv64</architecture>\n");
    char name[32];

    g_string_append(x, "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++) {
        const char *type = i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr"
                                                                  : "int";
        g_string_append_printf(x, "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" "
                               "regnum=\"%d\"/>\n",
                               i == 8 ? "fp" : riscv_gpr_names[i], type, i);
    }
    g_string_append_printf(x, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" "
                           "regnum=\"%d\"/>\n</feature>\n", GDB_REG_PC);

    if (riscv_has_ext(cpu, 'F')) {
        bool d = riscv_has_ext(cpu, 'D');

        g_string_append(x, "<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
        if (d)
            g_string_append(x, "<union id=\"riscv_double\">"
                            "<field name=\"float\" type=\"ieee_single\"/>"
                            "<field name=\"double\" type=\"ieee_double\"/>"
                            "</union>\n");
        for (int i = 0; i < 32; i++)
            g_string_append_printf(x, "<reg name=\"%s\" bitsize=\"64\" "
                                   "type=\"%s\" regnum=\"%d\"/>\n",
                                   riscv_fpr_names[i],
                                   d ? "riscv_double" : "ieee_single",
                                   GDB_REG_F0 + i);
        g_string_append_printf(x,
            "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
            "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
            "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
            "</feature>\n", GDB_REG_CSR0 + 1, GDB_REG_CSR0 + 2,
            GDB_REG_CSR0 + 3);
    }

    g_string_append(x, "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (unsigned csrno = 0; csrno < 4096; csrno++) {
        uint64_t v;

        if (csr_is_fp(csrno) || !riscv_csr_name(csrno, name, sizeof(name)) ||
            (user && !user_has_reg(GDB_REG_CSR0 + (int)csrno, false)))
            continue;
        /* Leave out what this hart does not have (S-mode CSRs on an
           M/U hart); counters gated by privilege stay. */
        if (!riscv_csr_peek(cpu, csrno, &v) && (csrno & 0xc00) != 0xc00)
            continue;
        g_string_append_printf(x, "<reg name=\"%s\" bitsize=\"64\" type=\"int\" "
                               "regnum=\"%u\"/>\n", name, GDB_REG_CSR0 + csrno);
    }
    g_string_append(x, "</feature>\n");
    if (user)
        return g_string_free(g_string_append(x, "</target>\n"), FALSE);

    g_string_append_printf(x, "<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
                           "<reg name=\"priv\" bitsize=\"64\" type=\"int\" "
                           "regnum=\"%d\"/>\n</feature>\n</target>\n",
                           GDB_REG_PRIV);
    return g_string_free(x, FALSE);
}

const char *riscv_gdb_get_xml(CPUState *cs, const char *annex)
{
    RISCVCPU *cpu = RISCV_CPU(cs);

    if (strcmp(annex, "target.xml"))
        return NULL;
    if (!cpu->gdb_xml)
        cpu->gdb_xml = build_target_xml(cpu, false);
    return cpu->gdb_xml;
}

const char *riscv_gdb_user_get_xml(CPUState *cs, const char *annex)
{
    RISCVCPU *cpu = RISCV_CPU(cs);

    if (strcmp(annex, "target.xml"))
        return NULL;
    if (!cpu->gdb_xml)
        cpu->gdb_xml = build_target_xml(cpu, true);
    return cpu->gdb_xml;
}
