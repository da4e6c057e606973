/*
 * /proc/cpuinfo for x86-64 guests, as Linux's show_cpuinfo
 * (arch/x86/kernel/cpu/proc.c) would print it on a machine with Mimic's
 * CPU: everything comes from the CPUID answers of the guest thread's CPU
 * model (target/x86/cpu.c), so the file says what a program finds when it
 * runs CPUID itself.  The flags are Linux's names (its cpufeatures.h)
 * of the bits set in leaf 1 EDX and ECX and leaf 0x80000001 EDX and ECX,
 * in Linux's order (capability words 0, 1, 4, 6); the flags Linux
 * synthesises itself (constant_tsc, rep_good, ...) and what depends on
 * the host's clock (cpu MHz, bogomips) are left out.
 */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "../user-internal.h"
#include "../user-target.h"
#include "target/x86/cpu.h"
#include "target-signal.h"

/* Linux's names of one CPUID register's bits, by bit; NULL: unnamed
   (reserved, or a bit Linux does not show). */
typedef struct FlagWord {
    uint32_t leaf;
    int reg;                    /* 0..3: eax..edx */
    const char *names[32];
} FlagWord;

static const FlagWord flag_words[] = {
    /* Word 0: leaf 1 EDX. */
    { 1, 3, { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8",
              "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov", "pat",
              "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx", "fxsr",
              "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
    /* Word 1: leaf 0x80000001 EDX, AMD's bits (those that repeat leaf 1
       EDX are not shown twice). */
    { 0x80000001u, 3, { [11] = "syscall", [19] = "mp", [20] = "nx",
                        [22] = "mmxext", [25] = "fxsr_opt",
                        [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm",
                        [30] = "3dnowext", [31] = "3dnow" } },
    /* Word 4: leaf 1 ECX (SSE3 is "pni"; OSXSAVE is not shown). */
    { 1, 2, { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx",
              "smx", "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16",
              "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2",
              "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes",
              "xsave", NULL, "avx", "f16c", "rdrand", "hypervisor" } },
    /* Word 6: leaf 0x80000001 ECX. */
    { 0x80000001u, 2, { "lahf_lm", "cmp_legacy", "svm", "extapic",
                        "cr8_legacy", "abm", "sse4a", "misalignsse",
                        "3dnowprefetch", "osvw", "ibs", "xop", "skinit",
                        "wdt", NULL, "lwp", "fma4", "tce", NULL,
                        "nodeid_msr", NULL, "tbm", "topoext",
                        "perfctr_core", "perfctr_nb", NULL, "bpext",
                        "ptsc", "perfctr_llc", "mwaitx" } },
};

static void cpuid(const X86CPU *cpu, uint32_t leaf, uint32_t out[4])
{
    x86_cpuid(cpu, leaf, 0, out);
}

void x86_64_cpuinfo_entry(GString *out, long i)
{
    static X86CPU default_cpu;  /* the default model, outside a thread */
    CPUState *cs = user_thread_cpu();
    const X86CPU *cpu = cs ? X86_CPU(cs) : &default_cpu;
    uint32_t r[4], max_leaf, max_ext, family, model;
    char vendor[13], brand[49] = "";
    const char *name = brand;

    cpuid(cpu, 0, r);
    max_leaf = r[0];
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    cpuid(cpu, 0x80000000u, r);
    max_ext = r[0];
    if (max_ext >= 0x80000004u) {
        for (uint32_t l = 0; l < 3; l++) {
            cpuid(cpu, 0x80000002u + l, r);
            memcpy(brand + 16 * l, r, 16);
        }
        brand[48] = 0;
        g_strstrip(brand);
    }
    cpuid(cpu, 1, r);
    /* Linux's family and model: the extended fields count from 0Fh
       and from family 6. */
    family = (r[0] >> 8) & 0xf;
    model = (r[0] >> 4) & 0xf;
    if (family == 0xf)
        family += (r[0] >> 20) & 0xff;
    if (family >= 6)
        model += ((r[0] >> 16) & 0xf) << 4;
    g_string_append_printf(out, "processor\t: %ld\nvendor_id\t: %s\n"
                           "cpu family\t: %u\nmodel\t\t: %u\n"
                           "model name\t: %s\nstepping\t: %u\n",
                           i, vendor, family, model, *name ? name : "unknown",
                           r[0] & 0xf);
    if (max_ext >= 0x80000006u) {
        uint32_t c[4];

        cpuid(cpu, 0x80000006u, c);
        if (c[2] >> 16)
            g_string_append_printf(out, "cache size\t: %u KB\n", c[2] >> 16);
    }
    g_string_append_printf(out, "fpu\t\t: %s\nfpu_exception\t: %s\n"
                           "cpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
                           r[3] & X86_CPUID1_EDX_FPU ? "yes" : "no",
                           r[3] & X86_CPUID1_EDX_FPU ? "yes" : "no", max_leaf);
    for (size_t w = 0; w < G_N_ELEMENTS(flag_words); w++) {
        const FlagWord *fw = &flag_words[w];
        uint32_t f[4] = { 0 };

        if (fw->leaf >= 0x80000000u ? fw->leaf <= max_ext
                                    : fw->leaf <= max_leaf)
            cpuid(cpu, fw->leaf, f);
        for (int b = 0; b < 32; b++)
            if ((f[fw->reg] >> b & 1) && fw->names[b])
                g_string_append_printf(out, " %s", fw->names[b]);
    }
    g_string_append_c(out, '\n');
    /* CLFLUSH's line size: leaf 1 EBX bits 15:8, in 8-byte units. */
    if (r[3] & X86_CPUID1_EDX_CLFSH)
        g_string_append_printf(out, "clflush size\t: %u\n"
                               "cache_alignment\t: %u\n",
                               ((r[1] >> 8) & 0xff) * 8,
                               ((r[1] >> 8) & 0xff) * 8);
    if (max_ext >= 0x80000008u) {
        cpuid(cpu, 0x80000008u, r);
        g_string_append_printf(out, "address sizes\t: %u bits physical, "
                               "%u bits virtual\n", r[0] & 0xff,
                               (r[0] >> 8) & 0xff);
    }
    g_string_append(out, "power management:\n\n");
}
