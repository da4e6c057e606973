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
#include <unistd.h>

#include "linux-user/syscall-internal.h"
#include "linux-user/user-signal.h"

/* mmap's prot: PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 (asm-generic). */
static void print_prot(FILE *f, uint64_t v)
{
    static const char *const names[] = { "PROT_READ", "PROT_WRITE",
                                         "PROT_EXEC" };
    const char *sep = "";

    if (v == 0) {
        fputs("PROT_NONE", f);
        return;
    }
    for (int i = 0; i < 3; i++) {
        if (v & (1u << i)) {
            fprintf(f, "%s%s", sep, names[i]);
            sep = "|";
        }
    }
    if (v & ~7ull)
        fprintf(f, "%s0x%" PRIx64, sep, v & ~(uint64_t)7);
}

/* The guest's open flags after the access mode, by name. */
static void print_open_flags(FILE *f, uint64_t v, const char *accmode)
{
    fputs(accmode, f);
    v &= ~3ull;
    for (size_t i = 0; open_flags[i].guest; i++) {
        if (v & open_flags[i].guest) {
            fprintf(f, "|%s", open_flags[i].name);
            v &= ~open_flags[i].guest;
        }
    }
    if (v)
        fprintf(f, "|0x%" PRIx64, v);
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

/* socket's domain and type (asm-generic's numbers, as qemu shows them). */
static void print_domain(FILE *f, uint64_t v)
{
    static const char *const names[] = {
        [1] = "PF_LOCAL", [2] = "PF_INET", [10] = "PF_INET6",
        [16] = "PF_NETLINK", [17] = "PF_PACKET",
    };
    if (v < G_N_ELEMENTS(names) && names[v])
        fputs(names[v], f);
    else
        fprintf(f, "%d", (int)v);
}

static void print_socket_type(FILE *f, uint64_t v)
{
    static const char *const names[] = {
        [1] = "SOCK_STREAM", [2] = "SOCK_DGRAM", [3] = "SOCK_RAW",
        [5] = "SOCK_SEQPACKET", [10] = "SOCK_PACKET",
    };
    uint64_t t = v & 0xf;

    if (t < G_N_ELEMENTS(names) && names[t])
        fputs(names[t], f);
    else
        fprintf(f, "%d", (int)t);
    if (v & 04000)
        fputs("|SOCK_NONBLOCK", f);
    if (v & 02000000)
        fputs("|SOCK_CLOEXEC", f);
    if (v & ~(uint64_t)(0xf | 04000 | 02000000))
        fprintf(f, "|0x%" PRIx64, v & ~(uint64_t)(0xf | 04000 | 02000000));
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
        print_open_flags(f, v, accmode[v & 3]);
        break;
    case 'P':
        print_prot(f, v);
        break;
    case 'A':
        print_domain(f, v);
        break;
    case 'T':
        print_socket_type(f, v);
        break;
    default: fprintf(f, "0x%" PRIx64, v); break;
    }
}

void strace_print_call(const SyscallEntry *e, int num, const uint64_t *a)
{
    FILE *f = stderr;
    int id = user_syscall_id(num);
    const char *name = id ? syscall_names[id] : NULL;

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
    if (id == SYSID_exit || id == SYSID_exit_group)
        fputc('\n', f);    /* they do not come back for a result */
    fflush(f);
}

void strace_print_result(const SyscallEntry *e, int64_t ret)
{
    FILE *f = stderr;

    if (ret == -TARGET_ESIGRETURN)
        fprintf(f, " (registers from the signal frame)\n");
    else if (ret == -TARGET_ERESTARTSYS)
        fprintf(f, " (interrupted: restarted)\n");
    else if (ret < 0 && ret >= -4095)
        fprintf(f, " = -1 errno=%d (%s)\n", (int)-ret, strerror((int)-ret));
    else if (e && e->ret == 'x')
        fprintf(f, " = 0x%016" PRIx64 "\n", (uint64_t)ret);
    else
        fprintf(f, " = %" PRId64 "\n", ret);
}
