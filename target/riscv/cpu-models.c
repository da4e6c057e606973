/*
 * -cpu for RISC-V as QEMU 7.2 spells it: the CPU models of
 * qemu-system-riscv64 that Mimic can honestly provide, their extension
 * and configuration properties, and the device tree's riscv,isa string
 * that follows from them.  A model or property is one of: implemented
 * (applied), a QEMU extension Mimic does not implement (turning it off
 * is accepted, turning it on is an error that names it), or unknown (an
 * error as QEMU words it).  The generic models rv64 and any take the
 * properties; QEMU's vendor models take only mvendorid, marchid and
 * mimpid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mimic/log.h"
#include "mimic/options.h"
#include "internals.h"

#define EXT_IMAFDC (RV_EXT('I') | RV_EXT('M') | RV_EXT('A') | RV_EXT('F') | \
                    RV_EXT('D') | RV_EXT('C'))
#define Z_DEFAULT (RV_Z_ICSR | RV_Z_IFENCEI | RV_Z_IHINTPAUSE)

typedef struct RISCVCPUModel {
    const char *name;
    const char *desc;
    uint32_t ext;
    uint32_t zext;
    int priv_ver;
    bool mmu;
    bool generic;          /* takes the extension properties */
    const char *missing;   /* what Mimic lacks to provide it, or NULL */
} RISCVCPUModel;

static const RISCVCPUModel models[] = {
    { "rv64", "RV64GC with S and U modes, Sv39/48/57 MMU, PMP (default)",
      RV_EXT_DEFAULT, Z_DEFAULT, RV_PRIV_1_12, true, true, NULL },
    { "any", "RV64GC with U mode only (no S mode)",
      EXT_IMAFDC | RV_EXT('U'), Z_DEFAULT, RV_PRIV_1_12, true, true, NULL },
    { "sifive-u54", "SiFive U54: RV64GC, S and U modes, privileged spec 1.10",
      EXT_IMAFDC | RV_EXT('S') | RV_EXT('U'), RV_Z_ICSR | RV_Z_IFENCEI,
      RV_PRIV_1_10, true, false, NULL },
    { "sifive-e51", "SiFive E51: RV64IMAC, M and U modes, no MMU",
      RV_EXT('I') | RV_EXT('M') | RV_EXT('A') | RV_EXT('C') | RV_EXT('U'),
      RV_Z_ICSR | RV_Z_IFENCEI, RV_PRIV_1_10, false, false, NULL },
    { "shakti-c", "Shakti C-class: RV64GC, S and U modes",
      EXT_IMAFDC | RV_EXT('S') | RV_EXT('U'), RV_Z_ICSR | RV_Z_IFENCEI,
      RV_PRIV_1_10, true, false, NULL },
    { "x-rv128", NULL, 0, 0, 0, false, false,
      "128-bit registers (RV128)" },
};

typedef enum PropKind {
    PROP_LETTER,      /* a misa extension letter */
    PROP_Z,           /* a Z extension bit */
    PROP_G,           /* IMAFD_Zicsr_Zifencei */
    PROP_MMU,
    PROP_PMP,
    PROP_PRIV,
    PROP_ID,          /* mvendorid, marchid, mimpid */
    PROP_ZMMUL,       /* a subset of M */
    PROP_MISSING,     /* QEMU has it, Mimic does not: off only */
    PROP_NO_EFFECT,   /* vector parameters: meaningless without V */
} PropKind;

typedef struct RISCVCPUProp {
    const char *name;
    PropKind kind;
    uint32_t bit;     /* RV_EXT() or RV_Z_* */
    const char *what; /* PROP_MISSING: the extension, for the error */
} RISCVCPUProp;

/* QEMU 7.2's names; QEMU 8's lower-case Z names are taken too. */
static const RISCVCPUProp props[] = {
    { "i", PROP_LETTER, RV_EXT('I'), NULL },
    { "m", PROP_LETTER, RV_EXT('M'), NULL },
    { "a", PROP_LETTER, RV_EXT('A'), NULL },
    { "f", PROP_LETTER, RV_EXT('F'), NULL },
    { "d", PROP_LETTER, RV_EXT('D'), NULL },
    { "c", PROP_LETTER, RV_EXT('C'), NULL },
    { "s", PROP_LETTER, RV_EXT('S'), NULL },
    { "u", PROP_LETTER, RV_EXT('U'), NULL },
    { "g", PROP_G, 0, NULL },
    { "Zicsr", PROP_Z, RV_Z_ICSR, NULL },
    { "zicsr", PROP_Z, RV_Z_ICSR, NULL },
    { "Zifencei", PROP_Z, RV_Z_IFENCEI, NULL },
    { "zifencei", PROP_Z, RV_Z_IFENCEI, NULL },
    { "Zihintpause", PROP_Z, RV_Z_IHINTPAUSE, NULL },
    { "zihintpause", PROP_Z, RV_Z_IHINTPAUSE, NULL },
    { "mmu", PROP_MMU, 0, NULL },
    { "pmp", PROP_PMP, 0, NULL },
    { "priv_spec", PROP_PRIV, 0, NULL },
    { "mvendorid", PROP_ID, 0, NULL },
    { "marchid", PROP_ID, 1, NULL },
    { "mimpid", PROP_ID, 2, NULL },
    { "zmmul", PROP_ZMMUL, 0, NULL },
    { "e", PROP_MISSING, 0, "the E base (RV64E)" },
    { "v", PROP_MISSING, 0, "the V extension (vectors)" },
    { "h", PROP_MISSING, 0, "the H extension (hypervisor)" },
    { "zba", PROP_MISSING, 0, "the Zba extension (address generation)" },
    { "zbb", PROP_MISSING, 0, "the Zbb extension (basic bit manipulation)" },
    { "zbc", PROP_MISSING, 0, "the Zbc extension (carry-less multiply)" },
    { "zbs", PROP_MISSING, 0, "the Zbs extension (single-bit instructions)" },
    { "zbkb", PROP_MISSING, 0, "the Zbkb extension (crypto bit manipulation)" },
    { "zbkc", PROP_MISSING, 0, "the Zbkc extension (crypto carry-less)" },
    { "zbkx", PROP_MISSING, 0, "the Zbkx extension (crossbar permutation)" },
    { "zk", PROP_MISSING, 0, "the Zk extension (scalar crypto)" },
    { "zkn", PROP_MISSING, 0, "the Zkn extension (NIST crypto)" },
    { "zknd", PROP_MISSING, 0, "the Zknd extension (AES decryption)" },
    { "zkne", PROP_MISSING, 0, "the Zkne extension (AES encryption)" },
    { "zknh", PROP_MISSING, 0, "the Zknh extension (SHA-2)" },
    { "zkr", PROP_MISSING, 0, "the Zkr extension (entropy source)" },
    { "zks", PROP_MISSING, 0, "the Zks extension (ShangMi crypto)" },
    { "zksed", PROP_MISSING, 0, "the Zksed extension (SM4)" },
    { "zksh", PROP_MISSING, 0, "the Zksh extension (SM3)" },
    { "zkt", PROP_MISSING, 0, "the Zkt extension (data-independent timing)" },
    { "Zfh", PROP_MISSING, 0, "the Zfh extension (half-precision FP)" },
    { "zfh", PROP_MISSING, 0, "the Zfh extension (half-precision FP)" },
    { "Zfhmin", PROP_MISSING, 0, "the Zfhmin extension (half-precision FP)" },
    { "zfhmin", PROP_MISSING, 0, "the Zfhmin extension (half-precision FP)" },
    { "Zve32f", PROP_MISSING, 0, "the Zve32f extension (vectors)" },
    { "zve32f", PROP_MISSING, 0, "the Zve32f extension (vectors)" },
    { "Zve64f", PROP_MISSING, 0, "the Zve64f extension (vectors)" },
    { "zve64f", PROP_MISSING, 0, "the Zve64f extension (vectors)" },
    { "zfinx", PROP_MISSING, 0, "the Zfinx extension (FP in integer registers)" },
    { "zdinx", PROP_MISSING, 0, "the Zdinx extension (FP in integer registers)" },
    { "zhinx", PROP_MISSING, 0, "the Zhinx extension (FP in integer registers)" },
    { "zhinxmin", PROP_MISSING, 0, "the Zhinxmin extension (FP in integer registers)" },
    { "sstc", PROP_MISSING, 0, "the Sstc extension (stimecmp)" },
    { "svinval", PROP_MISSING, 0, "the Svinval extension (fine-grained TLB invalidation)" },
    { "svnapot", PROP_MISSING, 0, "the Svnapot extension (NAPOT pages)" },
    { "svpbmt", PROP_MISSING, 0, "the Svpbmt extension (page-based memory types)" },
    { "debug", PROP_MISSING, 0, "the debug trigger module (Sdtrig: tselect, tdata1-3)" },
    { "x-epmp", PROP_MISSING, 0, "ePMP (Smepmp)" },
    { "x-aia", PROP_MISSING, 0, "the AIA (Smaia/Ssaia)" },
    { "x-j", PROP_MISSING, 0, "the J extension (dynamic languages)" },
    { "vext_spec", PROP_NO_EFFECT, 0, NULL },
    { "vlen", PROP_NO_EFFECT, 0, NULL },
    { "elen", PROP_NO_EFFECT, 0, NULL },
};

static const RISCVCPUModel *find_model(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (!strcmp(models[i].name, name))
            return &models[i];
    }
    return NULL;
}

static const RISCVCPUProp *find_prop(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(props); i++) {
        if (!strcmp(props[i].name, name))
            return &props[i];
    }
    return NULL;
}

static void apply_model(RISCVCPU *cpu, const RISCVCPUModel *m)
{
    cpu->ext = m->ext;
    cpu->zext = m->zext;
    cpu->mmu = m->mmu;
    cpu->pmp = true;
    cpu->priv_ver = m->priv_ver;
    /* QEMU reports its own version in marchid/mimpid; Mimic reports 0
       (the spec's "not implemented") unless told otherwise. */
    cpu->mvendorid = cpu->marchid = cpu->mimpid = 0;
}

void riscv_cpu_set_defaults(RISCVCPU *cpu)
{
    apply_model(cpu, &models[0]);
    cpu->env.misa = (2ull << 62) | cpu->ext;
}

/* The checks QEMU makes once every property is set (its wording). */
static bool check_config(RISCVCPU *cpu, bool g, char **err)
{
    const uint32_t g_ext = RV_EXT('I') | RV_EXT('M') | RV_EXT('A') |
                           RV_EXT('F') | RV_EXT('D');
    const uint32_t g_z = RV_Z_ICSR | RV_Z_IFENCEI;

    if (!(cpu->ext & RV_EXT('I'))) {
        *err = g_strdup("Either I or E extension must be set");
        return false;
    }
    if (g && ((cpu->ext & g_ext) != g_ext || (cpu->zext & g_z) != g_z)) {
        warn_report("Setting G will also set IMAFD_Zicsr_Zifencei");
        cpu->ext |= g_ext;
        cpu->zext |= g_z;
    }
    if ((cpu->ext & RV_EXT('D')) && !(cpu->ext & RV_EXT('F'))) {
        *err = g_strdup("D extension requires F extension");
        return false;
    }
    if ((cpu->ext & RV_EXT('F')) && !(cpu->zext & RV_Z_ICSR)) {
        *err = g_strdup("F extension requires Zicsr");
        return false;
    }
    if ((cpu->ext & RV_EXT('S')) && !(cpu->ext & RV_EXT('U'))) {
        *err = g_strdup("Setting S extension without U extension is illegal");
        return false;
    }
    return true;
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;

    if (!*s || *s == '-')
        return false;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !*end && !errno;
}

/* One PROP=VALUE item of model m; false with *err set. */
static bool apply_prop(RISCVCPU *cpu, const RISCVCPUModel *m, const char *item,
                       bool *g, char **err)
{
    g_autofree char *name = g_strndup(item, strcspn(item, "="));
    const char *value = item[strlen(name)] ? item + strlen(name) + 1 : NULL;
    const RISCVCPUProp *p = find_prop(name);
    bool on = false;
    uint64_t v;

    if (!value) {       /* QEMU's words */
        *err = g_strdup_printf("Expected key=value format, found %s.", name);
        return false;
    }
    if (!p || (!m->generic && p->kind != PROP_ID)) {
        *err = g_strdup_printf("can't apply global %s-riscv-cpu.%s: Property "
                               "'%s-riscv-cpu.%s' not found", m->name, item,
                               m->name, name);
        return false;
    }
    switch (p->kind) {
    case PROP_PRIV:
        if (!strcmp(value, "v1.10.0")) {
            cpu->priv_ver = RV_PRIV_1_10;
        } else if (!strcmp(value, "v1.11.0")) {
            cpu->priv_ver = RV_PRIV_1_11;
        } else if (!strcmp(value, "v1.12.0")) {
            cpu->priv_ver = RV_PRIV_1_12;
        } else {
            *err = g_strdup_printf("Unsupported privilege spec version '%s'",
                                   value);
            return false;
        }
        return true;
    case PROP_ID:
        if (!parse_u64(value, &v)) {
            *err = g_strdup_printf("can't apply global %s-riscv-cpu.%s: "
                                   "Parameter '%s' expects uint64", m->name,
                                   item, name);
            return false;
        }
        *(p->bit == 0 ? &cpu->mvendorid : p->bit == 1 ? &cpu->marchid
                                                        : &cpu->mimpid) = v;
        return true;
    case PROP_NO_EFFECT:
        return true;
    default:
        break;
    }
    if (!opts_parse_bool(value, &on)) {
        *err = g_strdup_printf("can't apply global %s-riscv-cpu.%s: Parameter "
                               "'%s' expects 'on' or 'off'", m->name, item,
                               name);
        return false;
    }
    switch (p->kind) {
    case PROP_LETTER:
        cpu->ext = on ? cpu->ext | p->bit : cpu->ext & ~p->bit;
        break;
    case PROP_Z:
        cpu->zext = on ? cpu->zext | p->bit : cpu->zext & ~p->bit;
        break;
    case PROP_G:
        *g = on;
        break;
    case PROP_MMU:
        cpu->mmu = on;
        break;
    case PROP_PMP:
        cpu->pmp = on;
        break;
    case PROP_ZMMUL:
        /* Zmmul is M's multiplications: there with M, not without. */
        if (on && !(cpu->ext & RV_EXT('M'))) {
            *err = g_strdup("zmmul=on: Zmmul without M (multiply without "
                            "divide) is not implemented by Mimic; use m=on");
            return false;
        }
        break;
    default:   /* PROP_MISSING */
        if (on) {
            *err = g_strdup_printf("%s=%s: %s is not implemented by Mimic",
                                   name, value, p->what);
            return false;
        }
        break;
    }
    return true;
}

bool riscv_cpu_parse_props(RISCVCPU *cpu, const char *cpu_string, char **err)
{
    g_auto(GStrv) items = g_strsplit(cpu_string ? cpu_string : "", ",", -1);
    const RISCVCPUModel *m = items[0] ? find_model(items[0]) : NULL;
    RISCVCPU cfg = *cpu;
    bool g = false;

    if (!m) {
        *err = g_strdup_printf("unable to find CPU model '%s'",
                               items[0] ? items[0] : "");
        return false;
    }
    if (m->missing) {
        *err = g_strdup_printf("CPU model '%s' needs %s, which Mimic does "
                               "not implement", m->name, m->missing);
        return false;
    }
    apply_model(&cfg, m);
    for (int i = 1; items[i]; i++) {
        if (!apply_prop(&cfg, m, items[i], &g, err))
            return false;
    }
    if (!check_config(&cfg, g, err))
        return false;
    cpu->ext = cfg.ext;
    cpu->zext = cfg.zext;
    cpu->mmu = cfg.mmu;
    cpu->pmp = cfg.pmp;
    cpu->priv_ver = cfg.priv_ver;
    cpu->mvendorid = cfg.mvendorid;
    cpu->marchid = cfg.marchid;
    cpu->mimpid = cfg.mimpid;
    cpu->env.misa = (2ull << 62) | cpu->ext;
    cpu->env.no_pmp = !cpu->pmp;
    return true;
}

void riscv_cpu_print_list(FILE *f)
{
    fprintf(f, "Available CPUs:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (models[i].desc)
            fprintf(f, "  %-12s %s\n", models[i].name, models[i].desc);
    }
    fprintf(f,
            "\nProperties of rv64 and any (-cpu rv64,PROP=VALUE,...; on|off\n"
            "also as yes|no, true|false):\n"
            "  extensions: i m a f d c s u g Zicsr Zifencei Zihintpause\n"
            "  mmu=on|off pmp=on|off priv_spec=v1.10.0|v1.11.0|v1.12.0\n"
            "  mvendorid=N marchid=N mimpid=N (every model takes these)\n"
            "  zmmul=on (with m=on)\n"
            "  not implemented (=off only):");
    for (size_t i = 0, col = 30; i < G_N_ELEMENTS(props); i++) {
        size_t len = strlen(props[i].name) + 1;

        if (props[i].kind != PROP_MISSING ||
            (i && props[i - 1].kind == PROP_MISSING &&
             !g_ascii_strcasecmp(props[i - 1].name, props[i].name)))
            continue;
        if (col + len > 78) {
            fprintf(f, "\n   ");
            col = 3;
        }
        fprintf(f, " %s", props[i].name);
        col += len;
    }
    fprintf(f, "\n  vext_spec, vlen, elen: accepted, no effect (no V)\n");
}

char *riscv_isa_string(RISCVCPU *cpu)
{
    /* Single-letter extensions in canonical order; S and U are privilege
       modes, not listed (as in QEMU's and Linux's device trees). */
    static const char order[] = "IEMAFDQLCBKJTPVH";
    uint32_t ext = cpu->ext ? cpu->ext : RV_EXT_DEFAULT;
    uint32_t zext = cpu->ext ? cpu->zext : Z_DEFAULT;
    GString *s = g_string_new("rv64");

    for (const char *p = order; *p; p++) {
        if (ext & RV_EXT(*p))
            g_string_append_c(s, (char)g_ascii_tolower(*p));
    }
    if (zext & RV_Z_ICSR)
        g_string_append(s, "_zicsr");
    if (zext & RV_Z_IFENCEI)
        g_string_append(s, "_zifencei");
    if (zext & RV_Z_IHINTPAUSE)
        g_string_append(s, "_zihintpause");
    return g_string_free(s, FALSE);
}
