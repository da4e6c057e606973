/*
 * /proc/cpuinfo against CPUID: reads the first entry of /proc/cpuinfo and
 * runs CPUID itself, and checks that the file says what CPUID says:
 * vendor_id, cpu family and model (Linux's rule for the extended fields),
 * stepping, model name (the brand string), cpuid level, clflush size,
 * address sizes, and for every bit of CPUID 1 EDX/ECX and 0x80000001
 * EDX/ECX that Linux names (arch/x86/include/asm/cpufeatures.h), that the
 * name is among the flags.  Under mimic-x86_64 (with argument "exact")
 * it checks that Mimic's file is right, and also that it lists no flag
 * without its CPUID bit (Linux adds flags of its own, Mimic none).
 * Natively it shows what the host's kernel does with the host's CPUID
 * (it hides some bits, and a hypervisor may give it another brand
 * string): tests/functional/test-user-x86_64.sh takes the flags it hides
 * from that run.  Prints each mismatch; exit status 1 if any.
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[4][32] = {
    /* 1 EDX */
    { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
      0, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn",
      "clflush", 0, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht",
      "tm", "ia64", "pbe" },
    /* 0x80000001 EDX */
    { [11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext",
      [25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm",
      [30] = "3dnowext", [31] = "3dnow" },
    /* 1 ECX */
    { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
      "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid",
      "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
      "tsc_deadline_timer", "aes", "xsave", 0, "avx", "f16c", "rdrand",
      "hypervisor" },
    /* 0x80000001 ECX */
    { "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm",
      "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
      "skinit", "wdt", 0, "lwp", "fma4", "tce", 0, "nodeid_msr", 0, "tbm",
      "topoext", "perfctr_core", "perfctr_nb", 0, "bpext", "ptsc",
      "perfctr_llc", "mwaitx" },
};

static char entry[64][4200];    /* "key\0value" of the first processor */
static int nkeys, bad;

static const char *field(const char *key)
{
    for (int i = 0; i < nkeys; i++)
        if (!strcmp(entry[i], key))
            return entry[i] + strlen(key) + 1;
    return NULL;
}

static void want(const char *key, const char *val)
{
    const char *v = field(key);

    if (!v || strcmp(v, val)) {
        printf("MISMATCH %s: cpuinfo '%s', CPUID '%s'\n", key, v ? v : "(none)",
               val);
        bad = 1;
    }
}

static void wantu(const char *key, unsigned v)
{
    char b[32];

    snprintf(b, sizeof(b), "%u", v);
    want(key, b);
}

/* Is the whole word w among the space-separated words of list? */
static int has_word(const char *list, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = list; (p = strstr(p, w)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    int exact = argc > 1 && !strcmp(argv[1], "exact");
    unsigned a, b, c, d, max, maxext, fam, model, regs[4];
    char line[4096], vendor[13], brand[49], *name = brand, buf[64];
    FILE *f = fopen("/proc/cpuinfo", "r");

    if (!f)
        return 2;
    while (fgets(line, sizeof(line), f) && line[0] != '\n' && nkeys < 64) {
        char *colon = strchr(line, ':'), *k = line, *e;

        if (!colon)
            continue;
        *colon = 0;
        for (e = colon; e > k && (e[-1] == '\t' || e[-1] == ' '); e--)
            e[-1] = 0;
        e = colon + 1 + (colon[1] == ' ');
        e[strcspn(e, "\n")] = 0;
        if (strlen(k) + strlen(e) + 2 > sizeof(entry[0]))
            continue;
        memcpy(entry[nkeys], k, strlen(k) + 1);
        memcpy(entry[nkeys] + strlen(k) + 1, e, strlen(e) + 1);
        nkeys++;
    }
    fclose(f);

    __cpuid(0, max, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    want("vendor_id", vendor);
    wantu("cpuid level", max);
    __cpuid(0x80000000u, maxext, b, c, d);
    if (maxext >= 0x80000004u) {
        for (unsigned l = 0; l < 3; l++) {
            __cpuid(0x80000002u + l, regs[0], regs[1], regs[2], regs[3]);
            memcpy(brand + 16 * l, regs, 16);
        }
        brand[48] = 0;
        while (*name == ' ')
            name++;
        for (size_t n = strlen(name); n && name[n - 1] == ' '; n--)
            name[n - 1] = 0;
        want("model name", name);
    }
    __cpuid(1, a, b, c, d);
    fam = (a >> 8) & 0xf;
    model = (a >> 4) & 0xf;
    if (fam == 0xf)
        fam += (a >> 20) & 0xff;
    if (fam >= 6)
        model += ((a >> 16) & 0xf) << 4;
    wantu("cpu family", fam);
    wantu("model", model);
    wantu("stepping", a & 0xf);
    want("fpu", d & 1 ? "yes" : "no");
    if (d & (1u << 19))
        wantu("clflush size", ((b >> 8) & 0xff) * 8);
    regs[0] = d;
    regs[2] = c;
    regs[1] = regs[3] = 0;
    if (maxext >= 0x80000001u)
        __cpuid(0x80000001u, a, b, regs[3], regs[1]);
    if (maxext >= 0x80000008u) {
        __cpuid(0x80000008u, a, b, c, d);
        snprintf(buf, sizeof(buf), "%u bits physical, %u bits virtual",
                 a & 0xff, (a >> 8) & 0xff);
        want("address sizes", buf);
    }

    const char *flags = field("flags");
    int named = 0, listed = 0;

    if (!flags) {
        printf("MISMATCH no flags line\n");
        return 1;
    }
    for (int w = 0; w < 4; w++)
        for (int i = 0; i < 32; i++) {
            if (!(regs[w] >> i & 1) || !words[w][i])
                continue;
            named++;
            if (!has_word(flags, words[w][i])) {
                printf("MISMATCH flag %s: CPUID has it, cpuinfo not\n",
                       words[w][i]);
                bad = 1;
            }
        }
    for (const char *p = flags; *p; p++)
        if (*p != ' ' && (p == flags || p[-1] == ' '))
            listed++;
    if (exact && listed != named) {
        printf("MISMATCH %d flags listed, %d CPUID bits with names\n", listed,
               named);
        bad = 1;
    }
    printf("%s: %s family %u model %u, %d flags from CPUID\n",
           bad ? "bad" : "ok", vendor, fam, model, named);
    return bad;
}
