/*
 * -strace: one line on stderr per guest syscall, in qemu-user's shape,
 *   1234 openat(AT_FDCWD,"/etc/passwd",O_RDONLY|O_CLOEXEC) = 3
 *   1234 openat(AT_FDCWD,"/nope",O_RDONLY) = -1 errno=2 (No such file or directory)
 * The call is printed before it runs (a blocking read shows what waits)
 * and the result after; each argument as its entry's letter says
 * (syscall-internal.h), a path as its string when the guest can read it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/syscall-internal.h"

typedef struct FlagName {
    uint64_t bit;
    const char *name;
} FlagName;

/* The guest's (asm-generic) open flags, by name. */
static const FlagName open_flag_names[] = {
    { 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
    { 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
    { 010000, "O_DSYNC" }, { 020000, "O_ASYNC" }, { 040000, "O_DIRECT" },
    { 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
    { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
    { 02000000, "O_CLOEXEC" }, { 04000000, "__O_SYNC" },
    { 010000000, "O_PATH" }, { 020000000, "__O_TMPFILE" },
};

static const FlagName prot_names[] = {
    { PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" },
    { PROT_EXEC, "PROT_EXEC" }, { PROT_GROWSDOWN, "PROT_GROWSDOWN" },
};

/* Prints the named bits of v joined by '|', then what is left in hex. */
static void print_flags(FILE *f, uint64_t v, const FlagName *names, size_t n,
                        const char *first)
{
    bool any = first != NULL;

    if (first)
        fputs(first, f);
    for (size_t i = 0; i < n; i++) {
        if (v & names[i].bit) {
            fprintf(f, "%s%s", any ? "|" : "", names[i].name);
            v &= ~names[i].bit;
            any = true;
        }
    }
    if (v || !any)
        fprintf(f, "%s0x%" PRIx64, any ? "|" : "", v);
}

static void print_string(FILE *f, uint64_t addr)
{
    int err;
    const char *s = guest_path(addr, &err);

    if (!s) {
        fprintf(f, "0x%" PRIx64, addr);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            fprintf(f, "\\%03o", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void print_arg(FILE *f, char kind, uint64_t v)
{
    static const char *const accmode[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
                                           "O_ACCMODE" };
    switch (kind) {
    case 'd': fprintf(f, "%d", (int)v); break;
    case 'l': fprintf(f, "%" PRId64, (int64_t)v); break;
    case 'u': fprintf(f, "%" PRIu64, v); break;
    case 'o': case 'm': fprintf(f, "0%" PRIo64, v); break;
    case 's': print_string(f, v); break;
    case 'f':
        if ((int)v == -100)
            fputs("AT_FDCWD", f);
        else
            fprintf(f, "%d", (int)v);
        break;
    case 'p':
        if (v == 0)
            fputs("NULL", f);
        else
            fprintf(f, "0x%" PRIx64, v);
        break;
    case 'O':
        print_flags(f, v & ~3ull, open_flag_names,
                    G_N_ELEMENTS(open_flag_names), accmode[v & 3]);
        break;
    case 'P':
        print_flags(f, v, prot_names, G_N_ELEMENTS(prot_names),
                    v ? NULL : "PROT_NONE");
        break;
    default: fprintf(f, "0x%" PRIx64, v); break;
    }
}

void strace_print_call(const SyscallEntry *e, int num, const uint64_t *a)
{
    FILE *f = stderr;
    const char *name = num >= 0 && num < TARGET_NR_SYSCALLS
                           ? target_syscall_names[num] : NULL;

    fprintf(f, "%d ", (int)getpid());
    if (name)
        fprintf(f, "%s(", name);
    else
        fprintf(f, "syscall_%d(", num);
    const char *args = e ? e->args : "xxxxxx";
    for (int i = 0; args[i]; i++) {
        /* O_CREAT or __O_TMPFILE: only then does open read its mode. */
        if (args[i] == 'm' && !(i > 0 && (a[i - 1] & 020000100)))
            break;
        if (i)
            fputc(',', f);
        print_arg(f, args[i], a[i]);
    }
    fputc(')', f);
    if (num == TARGET_NR_exit || num == TARGET_NR_exit_group)
        fputc('\n', f);    /* they do not come back for a result */
    fflush(f);
}

void strace_print_result(const SyscallEntry *e, int64_t ret)
{
    FILE *f = stderr;

    if (ret < 0 && ret >= -4095)
        fprintf(f, " = -1 errno=%d (%s)\n", (int)-ret, strerror((int)-ret));
    else if (e && e->ret == 'x')
        fprintf(f, " = 0x%016" PRIx64 "\n", (uint64_t)ret);
    else
        fprintf(f, " = %" PRId64 "\n", ret);
}
