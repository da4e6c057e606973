/*
 * The semihosting operations (Arm's numbering, which RISC-V reuses) run
 * on the host for a guest: console, files, clock, command line, heap
 * layout and exit.  A call gets its operation and one parameter, most
 * often the guest virtual address of a block of word-sized fields; every
 * guest address and length is read and written through
 * cpu_memory_rw_debug and checked, so a bad pointer is an error return
 * (-1, SYS_ERRNO EFAULT), never a host fault.  Results follow QEMU 7.2
 * (the reference) but where it crashes, hangs or returns garbage; those
 * choices are listed in docs/usage.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "mimic/debug.h"
#include "mimic/loader.h"
#include "mimic/memory.h"
#include "mimic/runstate.h"
#include "mimic/semihosting.h"
#include "semihosting-internal.h"

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08,
    SYS_ISTTY = 0x09, SYS_SEEK = 0x0a, SYS_FLEN = 0x0c, SYS_TMPNAM = 0x0d,
    SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f, SYS_CLOCK = 0x10, SYS_TIME = 0x11,
    SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20,
    SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31,
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026
/* Bytes moved per step of SYS_READ/SYS_WRITE and the longest string. */
#define SH_CHUNK 65536
#define SH_STRING_MAX (1u << 20)

static SemihostingConfig config;
static int64_t start_ns;
static uint64_t ram_base, ram_size;
static int sh_errno;

/* One call in progress. */
typedef struct ShCall {
    CPUState *cpu;
    uint64_t param;
    unsigned word;        /* 4 or 8 */
} ShCall;

bool semihosting_configure(const SemihostingConfig *cfg, char **err)
{
    if (!sh_files_set_root(cfg->root, err))
        return false;
    config = *cfg;
    config.cmdline = g_strdup(cfg->cmdline ? cfg->cmdline : "");
    config.root = g_strdup(cfg->root);
    sh_console_init(cfg->enabled ? cfg->chardev : NULL);
    start_ns = g_get_monotonic_time() * 1000;
    return true;
}

bool semihosting_enabled(bool is_user)
{
    return config.enabled && (!is_user || config.userspace);
}

void semihosting_set_ram(uint64_t base, uint64_t size)
{
    ram_base = base;
    ram_size = size;
}

/* ---- Guest memory ---- */

static bool guest_read(ShCall *c, uint64_t addr, void *buf, size_t len)
{
    if (len && cpu_memory_rw_debug(c->cpu, addr, buf, len, false) < 0) {
        log_mask(LOG_GUEST_ERROR, "semihosting: cannot read %zu bytes at "
                 "0x%" G_GINT64_MODIFIER "x\n", len, addr);
        return false;
    }
    return true;
}

static bool guest_write(ShCall *c, uint64_t addr, const void *buf, size_t len)
{
    if (len && cpu_memory_rw_debug(c->cpu, addr, (void *)buf, len, true) < 0) {
        log_mask(LOG_GUEST_ERROR, "semihosting: cannot write %zu bytes at "
                 "0x%" G_GINT64_MODIFIER "x\n", len, addr);
        return false;
    }
    return true;
}

/* Field i of the parameter block. */
static bool get_arg(ShCall *c, unsigned i, uint64_t *v)
{
    uint64_t a = c->param + (uint64_t)i * c->word;

    if (c->word == 4) {
        uint32_t v32;

        if (!guest_read(c, a, &v32, 4))
            return false;
        *v = v32;
        return true;
    }
    return guest_read(c, a, v, 8);
}

static bool put_word(ShCall *c, uint64_t addr, uint64_t v)
{
    if (c->word == 4) {
        uint32_t v32 = (uint32_t)v;

        return guest_write(c, addr, &v32, 4);
    }
    return guest_write(c, addr, &v, 8);
}

/* The NUL-terminated guest string at addr (g_free it), or NULL if it runs
   into unreadable memory or past max bytes. */
static char *read_string(ShCall *c, uint64_t addr, size_t max)
{
    GString *s = g_string_new(NULL);

    for (;;) {
        char buf[256];
        size_t n = TARGET_PAGE_SIZE - (addr & ~TARGET_PAGE_MASK);
        char *nul;

        if (n > sizeof(buf))
            n = sizeof(buf);
        if (!guest_read(c, addr, buf, n)) {
            g_string_free(s, TRUE);
            return NULL;
        }
        nul = memchr(buf, 0, n);
        g_string_append_len(s, buf, nul ? nul - buf : (gssize)n);
        if (nul)
            return g_string_free(s, FALSE);
        if (s->len > max) {
            g_string_free(s, TRUE);
            return NULL;
        }
        addr += n;
    }
}

/* A name given as (address, length without the NUL), as QEMU checks it:
   too long is ENAMETOOLONG, unreadable EFAULT, a NUL elsewhere EINVAL. */
static char *read_name(ShCall *c, uint64_t addr, uint64_t len, int *err)
{
    char *s;

    if (len >= PATH_MAX) {
        *err = ENAMETOOLONG;
        return NULL;
    }
    s = read_string(c, addr, PATH_MAX);
    if (!s) {
        *err = EFAULT;
        return NULL;
    }
    if (strlen(s) != len) {
        g_free(s);
        *err = EINVAL;
        return NULL;
    }
    return s;
}

/* ---- Results ---- */

static uint64_t fail(int err)
{
    sh_errno = err;
    return (uint64_t)-1;
}

/* 0, or -1 with SYS_ERRNO set from a negative errno value. */
static uint64_t status(int r)
{
    return r < 0 ? fail(-r) : 0;
}

/* ---- Operations ---- */

/* SYS_OPEN modes 0-11: r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b. */
static const int open_flags[3] = {
    0, O_CREAT | O_TRUNC, O_CREAT | O_APPEND,
};

static uint64_t sys_open(ShCall *c)
{
    uint64_t name_addr, mode, len;
    g_autofree char *name = NULL;
    int err, fd, guestfd, flags;

    if (!get_arg(c, 0, &name_addr) || !get_arg(c, 1, &mode) ||
        !get_arg(c, 2, &len))
        return fail(EFAULT);
    name = read_name(c, name_addr, len, &err);
    if (!name)
        return fail(err);
    if (mode >= 12)
        return fail(EINVAL);
    if (!strcmp(name, ":tt")) {
        /* Read: stdin, write: stdout, append: stderr (QEMU's rule). */
        fd = mode < 4 ? STDIN_FILENO : mode < 8 ? STDOUT_FILENO : STDERR_FILENO;
    } else {
        flags = open_flags[mode / 4] |
                ((mode & 2) ? O_RDWR : mode < 4 ? O_RDONLY : O_WRONLY);
        fd = sh_path_open(name, flags, 0644);
        if (fd < 0)
            return fail(-fd);
    }
    guestfd = sh_fd_alloc(fd);
    if (guestfd < 0) {
        if (fd > STDERR_FILENO)
            close(fd);
        return fail(EMFILE);
    }
    return (uint64_t)guestfd;
}

/* SYS_READ/SYS_WRITE return the number of bytes NOT transferred. */
static uint64_t sys_rw(ShCall *c, bool is_write)
{
    uint64_t gfd, buf, len, done = 0;
    g_autofree uint8_t *tmp = NULL;
    int fd;

    if (!get_arg(c, 0, &gfd) || !get_arg(c, 1, &buf) || !get_arg(c, 2, &len))
        return fail(EFAULT);
    fd = sh_fd_host((int64_t)gfd);
    if (fd < 0) {
        sh_errno = EBADF;
        return len;
    }
    tmp = g_malloc(SH_CHUNK);
    while (done < len) {
        size_t n = len - done < SH_CHUNK ? (size_t)(len - done) : SH_CHUNK;
        ssize_t r;

        if (is_write) {
            if (!guest_read(c, buf + done, tmp, n)) {
                sh_errno = EFAULT;
                break;
            }
            r = write(fd, tmp, n);
        } else {
            r = read(fd, tmp, n);
            if (r > 0 && !guest_write(c, buf + done, tmp, (size_t)r)) {
                sh_errno = EFAULT;
                break;
            }
        }
        if (r < 0)
            sh_errno = errno;
        if (r <= 0)
            break;
        done += (uint64_t)r;
        if ((size_t)r < n)
            break;
    }
    return len - done;
}

static uint64_t sys_fd_op(ShCall *c, int op)
{
    uint64_t gfd, pos;
    struct stat st;
    int fd;

    if (!get_arg(c, 0, &gfd))
        return fail(EFAULT);
    if (op == SYS_CLOSE)
        return status(sh_fd_close((int64_t)gfd));
    fd = sh_fd_host((int64_t)gfd);
    if (fd < 0)
        return fail(EBADF);
    switch (op) {
    case SYS_ISTTY:
        return isatty(fd) ? 1 : 0;
    case SYS_FLEN:
        if (fstat(fd, &st) < 0)
            return fail(errno);
        return (uint64_t)st.st_size;
    default:   /* SYS_SEEK */
        if (!get_arg(c, 1, &pos))
            return fail(EFAULT);
        return lseek(fd, (off_t)pos, SEEK_SET) < 0 ? fail(errno) : 0;
    }
}

static uint64_t sys_remove_rename(ShCall *c, bool rename)
{
    uint64_t a0, l0, a1 = 0, l1 = 0;
    g_autofree char *from = NULL, *to = NULL;
    int err;

    if (!get_arg(c, 0, &a0) || !get_arg(c, 1, &l0) ||
        (rename && (!get_arg(c, 2, &a1) || !get_arg(c, 3, &l1))))
        return fail(EFAULT);
    from = read_name(c, a0, l0, &err);
    if (!from)
        return fail(err);
    if (!rename)
        return status(sh_path_remove(from));
    to = read_name(c, a1, l1, &err);
    if (!to)
        return fail(err);
    return status(sh_path_rename(from, to));
}

/* A name for a scratch file, in the semihosting root (a relative name,
   unlike QEMU's in /tmp, which a confined guest could not open). */
static uint64_t sys_tmpnam(ShCall *c)
{
    uint64_t buf, id, len;
    g_autofree char *name = NULL;

    if (!get_arg(c, 0, &buf) || !get_arg(c, 1, &id) || !get_arg(c, 2, &len))
        return fail(EFAULT);
    if (id > 255)
        return (uint64_t)-1;
    name = g_strdup_printf("mimic-tmp-%x%02x", (unsigned)getpid(),
                           (unsigned)id);
    if (strlen(name) + 1 > len)
        return (uint64_t)-1;
    return guest_write(c, buf, name, strlen(name) + 1) ? 0 : fail(EFAULT);
}

static uint64_t sys_get_cmdline(ShCall *c)
{
    uint64_t buf, len;
    size_t n = strlen(config.cmdline);

    if (!get_arg(c, 0, &buf) || !get_arg(c, 1, &len))
        return fail(EFAULT);
    if (n + 1 > len)
        return fail(E2BIG);
    if (!guest_write(c, buf, config.cmdline, n + 1) ||
        !put_word(c, c->param + c->word, n))
        return fail(EFAULT);
    return 0;
}

/*
 * The heap is the largest stretch of RAM the boot images (kernel, device
 * tree, initrd) leave free; the stack grows down from its top.
 */
static uint64_t sys_heapinfo(ShCall *c)
{
    uint64_t block, lo = ram_base, hi = ram_base + ram_size;
    uint64_t v[4];

    if (!get_arg(c, 0, &block))
        return fail(EFAULT);
    rom_largest_gap(ram_base, ram_size, &lo, &hi);
    v[0] = lo;
    v[1] = hi;
    v[2] = hi;
    v[3] = lo;
    for (int i = 0; i < 4; i++) {
        if (!put_word(c, block + (uint64_t)i * c->word, v[i]))
            return fail(EFAULT);
    }
    return 0;
}

/* Only a normal application exit passes its status on (QEMU's rule). */
static uint64_t sys_exit(ShCall *c, uint64_t op)
{
    uint64_t reason, code = 0;
    int status;

    if (op == SYS_EXIT && c->word == 4) {
        reason = c->param;
    } else if (!get_arg(c, 0, &reason) || !get_arg(c, 1, &code)) {
        return fail(EFAULT);
    }
    status = reason == ADP_STOPPED_APPLICATION_EXIT ? (int)(code & 0xff) : 1;
    runstate_request_shutdown(SHUTDOWN_CAUSE_GUEST, status);
    return 0;
}

static uint64_t sys_console(ShCall *c, uint64_t op)
{
    g_autofree char *s = NULL;
    char ch;

    if (op == SYS_WRITEC) {
        if (!guest_read(c, c->param, &ch, 1))
            return fail(EFAULT);
        sh_console_write(&ch, 1);
        return 0;
    }
    s = read_string(c, c->param, SH_STRING_MAX);
    if (!s)
        return fail(EFAULT);
    sh_console_write(s, strlen(s));
    return 0;
}

static uint64_t sys_time(ShCall *c, uint64_t op)
{
    uint64_t ns = (uint64_t)(g_get_monotonic_time() * 1000 - start_ns);

    switch (op) {
    case SYS_CLOCK:    /* centiseconds of host CPU time, as QEMU */
        return (uint64_t)(clock() / (CLOCKS_PER_SEC / 100));
    case SYS_TIME:
        return (uint64_t)time(NULL);
    case SYS_TICKFREQ:
        return 1000000000;
    default:           /* SYS_ELAPSED: ticks since start, in one word */
        if (c->word == 8)
            return put_word(c, c->param, ns) ? 0 : fail(EFAULT);
        return put_word(c, c->param, ns) &&
               put_word(c, c->param + 4, ns >> 32) ? 0 : fail(EFAULT);
    }
}

/* Operations that need the BQL (guest memory, chardevs, the runstate). */
static uint64_t dispatch(ShCall *c, uint64_t op)
{
    uint64_t v;

    switch (op) {
    case SYS_OPEN: return sys_open(c);
    case SYS_CLOSE: case SYS_ISTTY: case SYS_FLEN: case SYS_SEEK:
        return sys_fd_op(c, (int)op);
    case SYS_WRITEC: case SYS_WRITE0: return sys_console(c, op);
    case SYS_WRITE: return sys_rw(c, true);
    case SYS_READ: return sys_rw(c, false);
    case SYS_ISERROR:
        return get_arg(c, 0, &v) ? (int64_t)v < 0 : fail(EFAULT);
    case SYS_TMPNAM: return sys_tmpnam(c);
    case SYS_REMOVE: return sys_remove_rename(c, false);
    case SYS_RENAME: return sys_remove_rename(c, true);
    case SYS_CLOCK: case SYS_TIME: case SYS_ELAPSED: case SYS_TICKFREQ:
        return sys_time(c, op);
    case SYS_SYSTEM:
        /* A guest may not run host commands. */
        log_mask(LOG_GUEST_ERROR, "semihosting: SYS_SYSTEM refused\n");
        return fail(EPERM);
    case SYS_ERRNO: return (uint64_t)sh_errno;
    case SYS_GET_CMDLINE: return sys_get_cmdline(c);
    case SYS_HEAPINFO: return sys_heapinfo(c);
    default:
        log_mask(LOG_UNIMP, "semihosting: unsupported operation 0x%"
                 G_GINT64_MODIFIER "x\n", op);
        return fail(ENOSYS);
    }
}

bool semihosting_call(CPUState *cpu, uint64_t op, uint64_t param,
                      unsigned word_size, uint64_t *result)
{
    ShCall c = { .cpu = cpu, .param = param, .word = word_size };

    if (op == SYS_READC) {  /* waits a little, without the BQL */
        int ch = sh_console_readc();

        if (ch == SH_READC_AGAIN)
            return false;
        *result = (uint64_t)(int64_t)ch;
        return true;
    }
    bql_lock();
    if (op == SYS_EXIT || op == SYS_EXIT_EXTENDED)
        *result = sys_exit(&c, op);
    else
        *result = dispatch(&c, op);
    bql_unlock();
    return true;
}
