/*
 * mimic-img: create, inspect, convert, check and resize disk images (raw
 * and qcow2) through the block layer, with qemu-img's command shape and
 * output (info --output=json has qemu-img's keys; check has its exit
 * codes: 0 clean, 1 check failed, 2 corruptions, 3 leaks only).
 *
 *   mimic-img create -f qcow2 disk.qcow2 10G
 *   mimic-img create -f qcow2 -b base.raw -F raw overlay.qcow2
 *   mimic-img info --output=json overlay.qcow2
 *   mimic-img convert -p -O raw overlay.qcow2 flat.raw
 *   mimic-img check disk.qcow2; echo $?
 *   mimic-img resize disk.qcow2 +1G
 *
 * "bench" (random reads or writes, optionally forever) measures the block
 * layer and drives the crash-safety test.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glib.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mimic/block.h"

#define MIMIC_IMG_VERSION "0.1"

static bool quiet;

static void die(const char *fmt, ...) G_GNUC_PRINTF(1, 2) G_GNUC_NORETURN;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mimic-img: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage(FILE *f)
{
    fputs("Usage: mimic-img COMMAND [options] ...\n"
          "Disk image tool for Mimic (raw and qcow2), like qemu-img.\n\n"
          "Commands:\n"
          "  create [-f fmt] [-b backing [-F backing_fmt]] "
          "[-o cluster_size=N] [-q] FILE [SIZE]\n"
          "  info [-f fmt] [--output=human|json] [--backing-chain] [-U] "
          "FILE\n"
          "  convert [-f fmt] [-O fmt] [-o cluster_size=N] [-p] [-q] [-U] "
          "SRC DST\n"
          "  check [-f fmt] [--output=human|json] [-r leaks|all] [-U] "
          "FILE\n"
          "  resize [-f fmt] [--shrink] FILE [+|-]SIZE\n"
          "  bench [-f fmt] [-c count] [-s size] [-w] [-t cache] "
          "[--seed N] [--mix] [-U] FILE\n\n"
          "-U (--force-share) reads an image another process may be\n"
          "writing (images in use are locked, as QEMU locks them).\n"
          "SIZE takes the suffixes K, M, G, T, P, E (powers of 1024).\n"
          "check exits 0 when the image is clean, 2 on corruptions, 3 on\n"
          "leaked clusters only, 1 when the check could not run.\n"
          "Formats: raw, qcow2.  See docs/mimic-img.md.\n", f);
}

/* "1G", "512", "1.5M", "10k": bytes, or false. */
static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-' || *s == '+') {
        return false;
    }
    double v = strtod(s, &end);
    if (errno || end == s || v < 0) {
        return false;
    }
    int shift = 0;
    if (*end) {
        const char *units = "BKMGTPE";
        const char *u = strchr(units, g_ascii_toupper(*end));
        if (!u || end[1]) {
            return false;
        }
        shift = (int)(u - units) * 10;
    }
    double bytes = ldexp(v, shift);
    if (bytes >= 18446744073709551616.0 || bytes != floor(bytes)) {
        return false;
    }
    /* Integers keep every bit (a double has only 53). */
    if (!strpbrk(s, ".eE") || (strchr("eE", *end) && !strchr(s, '.'))) {
        uint64_t iv = strtoull(s, NULL, 10);
        if (shift && iv > (UINT64_MAX >> shift)) {
            return false;
        }
        *out = iv << shift;
        return true;
    }
    *out = (uint64_t)bytes;
    return true;
}

/* A decimal (or 0x hex) count up to max, or die naming what it is. */
static uint64_t count_arg(const char *s, uint64_t max, const char *what)
{
    char *end;
    errno = 0;
    uint64_t v = g_ascii_isdigit(*s) ? strtoull(s, &end, 0) : 0;
    if (!g_ascii_isdigit(*s) || errno || *end || v > max) {
        die("invalid %s '%s' (0 to %" PRIu64 ")", what, s, max);
    }
    return v;
}

static uint64_t size_arg(const char *s)
{
    uint64_t v;
    if (!parse_size(s, &v) || v > INT64_MAX) {
        die("invalid size '%s' (a number with an optional K, M, G, T, P "
            "or E suffix)", s);
    }
    return v;
}

static BlockBackend *open_or_die(const char *file, const char *fmt,
                                 int flags)
{
    char *err = NULL;
    BlockBackend *blk = blk_open(file, fmt, flags, &err);
    if (!blk && strstr(err, file)) {
        die("%s", err); /* the message names the file already */
    }
    if (!blk) {
        die("Could not open '%s': %s", file, err);
    }
    return blk;
}

/* Whether a and b name the same existing file (links included). */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Creating out would truncate an image of src's chain before it is read:
   refuse. */
static void refuse_output_in_chain(BlockBackend *src, const char *out)
{
    for (BlockBackend *b = src; b; b = blk_backing(b)) {
        if (same_file(blk_filename(b), out)) {
            die("output '%s' is the same file as input '%s': refusing to "
                "overwrite it", out, blk_filename(b));
        }
    }
}

/* -o cluster_size=N,backing_file=F,backing_fmt=F */
static void parse_create_opts(const char *s, BlockCreateOptions *o)
{
    char **kv = g_strsplit(s, ",", -1);
    for (int i = 0; kv[i]; i++) {
        char *eq = strchr(kv[i], '=');
        if (!eq) {
            die("invalid option '%s' (expected name=value)", kv[i]);
        }
        *eq = 0;
        const char *v = eq + 1;
        if (strcmp(kv[i], "cluster_size") == 0) {
            o->cluster_size = size_arg(v);
        } else if (strcmp(kv[i], "backing_file") == 0) {
            o->backing_file = g_strdup(v);
        } else if (strcmp(kv[i], "backing_fmt") == 0) {
            o->backing_format = g_strdup(v);
        } else {
            die("unknown option '%s' (known: cluster_size, backing_file, "
                "backing_fmt)", kv[i]);
        }
    }
    g_strfreev(kv);
}

enum { OPT_OUTPUT = 256, OPT_CHAIN, OPT_SHRINK, OPT_SEED, OPT_MIX };

static const struct option long_opts[] = {
    { "help", no_argument, NULL, 'h' },
    { "output", required_argument, NULL, OPT_OUTPUT },
    { "backing-chain", no_argument, NULL, OPT_CHAIN },
    { "shrink", no_argument, NULL, OPT_SHRINK },
    { "seed", required_argument, NULL, OPT_SEED },
    { "mix", no_argument, NULL, OPT_MIX },
    { "quiet", no_argument, NULL, 'q' },
    { "force-share", no_argument, NULL, 'U' },
    { NULL, 0, NULL, 0 },
};

typedef struct Args {
    const char *fmt, *out_fmt, *backing, *backing_fmt, *output, *repair;
    const char *cache;
    BlockCreateOptions copts;
    bool chain, progress, shrink, compress, write, mix, force_share;
    uint64_t count, bufsize, seed;
    int nfiles;
    char **files;
} Args;

static void parse_args(int argc, char **argv, const char *optstr, Args *a)
{
    int c;
    a->count = 1000;
    a->bufsize = 4096;
    a->seed = 1;
    while ((c = getopt_long(argc, argv, optstr, long_opts, NULL)) != -1) {
        switch (c) {
        case 'f': a->fmt = optarg; break;
        case 'O': a->out_fmt = optarg; break;
        case 'b': a->backing = optarg; break;
        case 'F': a->backing_fmt = optarg; break;
        case 'o': parse_create_opts(optarg, &a->copts); break;
        case 'p': a->progress = true; break;
        case 'q': quiet = true; break;
        case 'c':
            if (strchr(optstr, 'w')) {
                /* qemu-img's limit; 0 runs until killed */
                a->count = count_arg(optarg, INT_MAX, "request count");
            } else {
                a->compress = true;
            }
            break;
        case 'r': a->repair = optarg; break;
        case 's': a->bufsize = size_arg(optarg); break;
        case 't': a->cache = optarg; break;
        case 'w': a->write = true; break;
        case 'U': a->force_share = true; break;
        case OPT_OUTPUT: a->output = optarg; break;
        case OPT_CHAIN: a->chain = true; break;
        case OPT_SHRINK: a->shrink = true; break;
        case OPT_SEED:
            a->seed = count_arg(optarg, UINT64_MAX, "seed");
            break;
        case OPT_MIX: a->mix = true; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); exit(1);
        }
    }
    a->files = argv + optind;
    a->nfiles = argc - optind;
    if (a->output && strcmp(a->output, "human") != 0 &&
        strcmp(a->output, "json") != 0) {
        die("--output must be 'human' or 'json', not '%s'", a->output);
    }
    if (a->fmt && !blk_format_known(a->fmt)) {
        die("unknown format '%s' (known: raw, qcow2)", a->fmt);
    }
}

/* -U / --force-share: read an image others may be writing. */
static int share_flag(const Args *a)
{
    return a->force_share ? BLK_FORCE_SHARE : 0;
}

static int cmd_create(int argc, char **argv)
{
    Args a = { 0 };
    parse_args(argc, argv, "f:b:F:o:qhu", &a);
    if (a.nfiles < 1 || a.nfiles > 2) {
        die("create: expected FILE [SIZE]");
    }
    const char *fmt = a.fmt ? a.fmt : "raw";
    const char *file = a.files[0];
    if (a.backing) {
        a.copts.backing_file = a.backing;
    }
    if (a.backing_fmt) {
        a.copts.backing_format = a.backing_fmt;
    }
    if (a.copts.backing_file) {
        char *dir = g_path_get_dirname(file);
        char *path = g_path_is_absolute(a.copts.backing_file)
                         ? g_strdup(a.copts.backing_file)
                         : g_build_filename(dir, a.copts.backing_file, NULL);
        if (same_file(path, file)) {
            die("'%s' is the same file as its backing file '%s': refusing "
                "to overwrite it", file, a.copts.backing_file);
        }
        g_free(dir);
        g_free(path);
    }
    uint64_t size = 0;
    if (a.nfiles == 2) {
        size = size_arg(a.files[1]);
    } else if (a.copts.backing_file) {
        char *dir = g_path_get_dirname(file);
        char *path = g_path_is_absolute(a.copts.backing_file)
                         ? g_strdup(a.copts.backing_file)
                         : g_build_filename(dir, a.copts.backing_file, NULL);
        g_free(dir);
        BlockBackend *b = open_or_die(path, a.copts.backing_format,
                                      BLK_RDONLY);
        size = blk_getlength(b);
        blk_close(b);
        g_free(path);
    } else {
        die("create: a SIZE is needed when there is no backing file");
    }
    if (!quiet) {
        printf("Formatting '%s', fmt=%s", file, fmt);
        if (strcmp(fmt, "qcow2") == 0) {
            printf(" cluster_size=%" PRIu64,
                   a.copts.cluster_size ? a.copts.cluster_size : 65536);
        }
        if (a.copts.backing_file) {
            printf(" backing_file=%s", a.copts.backing_file);
        }
        if (a.copts.backing_format) {
            printf(" backing_fmt=%s", a.copts.backing_format);
        }
        printf(" size=%" PRIu64 "\n", size);
    }
    char *err = NULL;
    if (blk_create(file, fmt, size, &a.copts, &err) < 0) {
        die("%s: %s", file, err);
    }
    return 0;
}

/* qemu-img's sizes: three significant digits and a binary unit. */
static char *human_size(uint64_t v)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB",
                                         "TiB", "PiB", "EiB" };
    int i = 0;
    double d = v;
    while (d >= 1024 && i < 6) {
        d /= 1024;
        i++;
    }
    return g_strdup_printf("%0.3g %s", d, units[i]);
}

static void json_str(GString *g, const char *key, const char *v)
{
    g_string_append_printf(g, "%s    \"%s\": \"", g->len > 2 ? ",\n" : "",
                           key);
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\') {
            g_string_append_printf(g, "\\%c", *p);
        } else if ((unsigned char)*p < 0x20) {
            g_string_append_printf(g, "\\u%04x", *p);
        } else {
            g_string_append_c(g, *p);
        }
    }
    g_string_append_c(g, '"');
}

static void json_raw(GString *g, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void json_raw(GString *g, const char *key, const char *fmt, ...)
{
    va_list ap;
    g_string_append_printf(g, "%s    \"%s\": ", g->len > 2 ? ",\n" : "",
                           key);
    va_start(ap, fmt);
    g_string_append_vprintf(g, fmt, ap);
    va_end(ap);
}

static char *info_json(const BlockInfo *in)
{
    GString *g = g_string_new("{\n");
    json_raw(g, "virtual-size", "%" PRIu64, in->virtual_size);
    json_str(g, "filename", in->filename);
    if (in->cluster_size) {
        json_raw(g, "cluster-size", "%" PRIu64, in->cluster_size);
    }
    json_str(g, "format", in->format);
    json_raw(g, "actual-size", "%" PRIu64, in->actual_size);
    if (in->is_qcow2) {
        json_raw(g, "format-specific",
                 "{\n        \"type\": \"qcow2\",\n"
                 "        \"data\": {\n"
                 "            \"compat\": \"%s\",\n"
                 "            \"compression-type\": \"zlib\",\n"
                 "            \"lazy-refcounts\": %s,\n"
                 "            \"refcount-bits\": %d,\n"
                 "            \"corrupt\": %s,\n"
                 "            \"extended-l2\": false\n"
                 "        }\n    }",
                 in->qcow2_version >= 3 ? "1.1" : "0.10",
                 in->lazy_refcounts ? "true" : "false", in->refcount_bits,
                 in->corrupt ? "true" : "false");
    }
    if (in->backing_filename) {
        json_str(g, "full-backing-filename", in->full_backing_filename);
        json_str(g, "backing-filename", in->backing_filename);
        if (in->backing_format) {
            json_str(g, "backing-filename-format", in->backing_format);
        }
    }
    json_raw(g, "dirty-flag", "%s", in->dirty ? "true" : "false");
    g_string_append(g, "\n}");
    return g_string_free(g, false);
}

static void info_human(const BlockInfo *in)
{
    char *vs = human_size(in->virtual_size), *ds = human_size(in->actual_size);
    printf("image: %s\nfile format: %s\nvirtual size: %s (%" PRIu64
           " bytes)\ndisk size: %s\n", in->filename, in->format, vs,
           in->virtual_size, ds);
    if (in->cluster_size) {
        printf("cluster_size: %" PRIu64 "\n", in->cluster_size);
    }
    if (in->backing_filename) {
        printf("backing file: %s", in->backing_filename);
        if (strcmp(in->backing_filename, in->full_backing_filename) != 0) {
            printf(" (actual path: %s)", in->full_backing_filename);
        }
        printf("\n");
        if (in->backing_format) {
            printf("backing file format: %s\n", in->backing_format);
        }
    }
    if (in->is_qcow2) {
        printf("Format specific information:\n    compat: %s\n"
               "    compression type: zlib\n    lazy refcounts: %s\n"
               "    refcount bits: %d\n    corrupt: %s\n"
               "    extended l2: false\n",
               in->qcow2_version >= 3 ? "1.1" : "0.10",
               in->lazy_refcounts ? "true" : "false", in->refcount_bits,
               in->corrupt ? "true" : "false");
    }
    if (in->dirty) {
        printf("dirty flag: true\n");
    }
    g_free(vs);
    g_free(ds);
}

static int cmd_info(int argc, char **argv)
{
    Args a = { 0 };
    parse_args(argc, argv, "f:hU", &a);
    if (a.nfiles != 1) {
        die("info: expected one FILE");
    }
    bool json = a.output && strcmp(a.output, "json") == 0;
    char *file = g_strdup(a.files[0]);
    char *fmt = g_strdup(a.fmt);
    GString *out = g_string_new(NULL);
    GArray *seen = g_array_new(false, false, sizeof(struct stat));
    for (int depth = 0; file; depth++) {
        struct stat st;
        for (guint i = 0; stat(file, &st) == 0 && i <= seen->len; i++) {
            struct stat *o = &g_array_index(seen, struct stat, i);
            if (i == seen->len) {
                g_array_append_val(seen, st);
                break;
            }
            if (o->st_dev == st.st_dev && o->st_ino == st.st_ino) {
                die("backing chain of '%s' loops back to '%s'", a.files[0],
                    file);
            }
        }
        if (depth > 64) {
            die("backing chain of '%s' is deeper than 64 images",
                a.files[0]);
        }
        BlockBackend *blk = open_or_die(file, fmt,
                                        BLK_RDONLY | BLK_NO_BACKING |
                                            BLK_NO_IO | share_flag(&a));
        BlockInfo in;
        blk_info(blk, &in);
        blk_close(blk);
        if (json) {
            char *j = info_json(&in);
            g_string_append_printf(out, "%s%s", depth ? ",\n" : "", j);
            g_free(j);
        } else {
            if (depth) {
                printf("\n");
            }
            info_human(&in);
        }
        g_free(file);
        g_free(fmt);
        file = a.chain ? g_strdup(in.full_backing_filename) : NULL;
        fmt = g_strdup(in.backing_format);
        blk_info_free(&in);
    }
    g_free(fmt);
    g_array_free(seen, true);
    if (json) {
        printf(a.chain ? "[\n%s\n]\n" : "%s\n", out->str);
    }
    g_string_free(out, true);
    return 0;
}

static bool is_zero(const uint8_t *p, size_t len)
{
    return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

static void progress(double pct, bool done)
{
    printf("    (%.2f/100%%)%s", pct, done ? "\n" : "\r");
    fflush(stdout);
}

static int cmd_convert(int argc, char **argv)
{
    Args a = { 0 };
    parse_args(argc, argv, "f:O:o:pqcU", &a);
    if (a.nfiles != 2) {
        die("convert: expected SRC DST");
    }
    if (a.compress) {
        die("convert: compressed output (-c) is not supported yet");
    }
    const char *ofmt = a.out_fmt ? a.out_fmt : "raw";
    if (!blk_format_known(ofmt)) {
        die("unknown output format '%s' (known: raw, qcow2)", ofmt);
    }
    BlockBackend *src = open_or_die(a.files[0], a.fmt,
                                    BLK_RDONLY | share_flag(&a));
    refuse_output_in_chain(src, a.files[1]);
    uint64_t size = blk_getlength(src);
    char *err = NULL;
    if (blk_create(a.files[1], ofmt, size, &a.copts, &err) < 0) {
        die("%s: %s", a.files[1], err);
    }
    BlockBackend *dst = open_or_die(a.files[1], ofmt, BLK_CACHE_UNSAFE);
    const size_t chunk = 2 << 20;
    /* Zero detection per cluster (qcow2) or per 4 KiB (raw holes). */
    size_t grain = a.copts.cluster_size ? a.copts.cluster_size : 65536;
    if (strcmp(ofmt, "raw") == 0) {
        grain = 4096;
    }
    uint8_t *buf = g_malloc(chunk);
    double last_pct = -1;
    for (uint64_t off = 0; off < size; off += chunk) {
        size_t n = MIN(chunk, size - off);
        int ret = blk_pread(src, off, buf, n);
        if (ret < 0) {
            die("error reading '%s' at offset %" PRIu64 ": %s", a.files[0],
                off, g_strerror(-ret));
        }
        /* Zeros are not written: the new image reads them already. */
        for (size_t p = 0; p < n;) {
            size_t g = MIN(grain, n - p), run = 0;
            if (is_zero(buf + p, g)) {
                p += g;
                continue;
            }
            while (p + run < n && !is_zero(buf + p + run, MIN(grain, n - p - run))) {
                run += MIN(grain, n - p - run);
            }
            ret = blk_pwrite(dst, off + p, buf + p, run);
            if (ret < 0) {
                die("error writing '%s' at offset %" PRIu64 ": %s",
                    a.files[1], off + p, g_strerror(-ret));
            }
            p += run;
        }
        double pct = 100.0 * (off + n) / size;
        if (a.progress && !quiet && pct - last_pct >= 1.0 && pct < 100) {
            progress(pct, false);
            last_pct = pct;
        }
    }
    if (a.progress && !quiet) {
        progress(100.0, true); /* the line ends here */
    }
    g_free(buf);
    blk_close(dst);
    blk_close(src);
    int fd = open(a.files[1], O_RDONLY);
    if (fd < 0 || fsync(fd) < 0) {
        die("could not sync '%s': %s", a.files[1], g_strerror(errno));
    }
    close(fd);
    return 0;
}

static void check_json(const char *file, const char *fmt,
                       const BlockCheckResult *r)
{
    GString *g = g_string_new("{\n");
    json_raw(g, "image-end-offset", "%" PRIu64, r->image_end_offset);
    json_raw(g, "total-clusters", "%" PRIu64, r->total_clusters);
    json_raw(g, "check-errors", "%" PRId64, r->check_errors);
    if (r->leaks) {
        json_raw(g, "leaks", "%" PRId64, r->leaks);
    }
    if (r->corruptions) {
        json_raw(g, "corruptions", "%" PRId64, r->corruptions);
    }
    if (r->leaks_fixed) {
        json_raw(g, "leaks-fixed", "%" PRId64, r->leaks_fixed);
    }
    json_raw(g, "allocated-clusters", "%" PRIu64, r->allocated_clusters);
    json_str(g, "filename", file);
    json_str(g, "format", fmt);
    json_raw(g, "fragmented-clusters", "%" PRIu64, r->fragmented_clusters);
    json_raw(g, "compressed-clusters", "%" PRIu64, r->compressed_clusters);
    printf("%s\n}\n", g->str);
    g_string_free(g, true);
}

static void check_human(const BlockCheckResult *r)
{
    if (!r->corruptions && !r->leaks && !r->check_errors) {
        printf("No errors were found on the image.\n");
    }
    if (r->corruptions) {
        printf("\n%" PRId64 " errors were found on the image.\nData may be "
               "corrupted, or further writes to the image may corrupt "
               "it.\n", r->corruptions);
    }
    if (r->leaks) {
        printf("\n%" PRId64 " leaked clusters were found on the image.\n"
               "This means waste of disk space, but no harm to data.\n",
               r->leaks);
    }
    if (r->leaks_fixed) {
        printf("The following inconsistencies were found and repaired:\n\n"
               "    %" PRId64 " leaked clusters\n    0 corruptions\n\n",
               r->leaks_fixed);
    }
    if (r->check_errors) {
        printf("\n%" PRId64 " internal errors have occurred during the "
               "check.\n", r->check_errors);
    }
    if (r->total_clusters) {
        double t = r->total_clusters;
        printf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, %0.2f%% "
               "fragmented, %0.2f%% compressed clusters\n",
               r->allocated_clusters, r->total_clusters,
               100 * r->allocated_clusters / t,
               100 * r->fragmented_clusters / t,
               100 * r->compressed_clusters / t);
    }
    if (r->image_end_offset) {
        printf("Image end offset: %" PRIu64 "\n", r->image_end_offset);
    }
}

static int cmd_check(int argc, char **argv)
{
    Args a = { 0 };
    parse_args(argc, argv, "f:r:qhU", &a);
    if (a.nfiles != 1) {
        die("check: expected one FILE");
    }
    if (a.repair && strcmp(a.repair, "leaks") != 0 &&
        strcmp(a.repair, "all") != 0) {
        die("-r must be 'leaks' or 'all', not '%s'", a.repair);
    }
    int flags = BLK_NO_BACKING | (a.repair ? 0 : BLK_RDONLY) |
                share_flag(&a);
    BlockBackend *blk = open_or_die(a.files[0], a.fmt, flags);
    BlockCheckResult r;
    char *err = NULL;
    int ret = blk_check(blk, a.repair != NULL, &r, &err);
    if (ret < 0) {
        fprintf(stderr, "mimic-img: %s: %s\n", a.files[0], err);
        g_free(err);
        blk_close(blk);
        return ret == -ENOTSUP ? 63 : 1;
    }
    if (r.messages && *r.messages && !quiet) {
        fputs(r.messages, stderr);
    }
    if (a.output && strcmp(a.output, "json") == 0) {
        check_json(a.files[0], blk_format_name(blk), &r);
    } else if (!quiet) {
        check_human(&r);
    }
    blk_close(blk);
    int rc = r.check_errors ? 1 : r.corruptions ? 2 : r.leaks ? 3 : 0;
    blk_check_result_free(&r);
    return rc;
}

static int cmd_resize(int argc, char **argv)
{
    Args a = { 0 };
    /* "-1G" must not be taken for an option: stop at the first file. */
    parse_args(argc, argv, "+f:qh", &a);
    if (a.nfiles == 3 && strcmp(a.files[1], "--") == 0) {
        a.files[1] = a.files[2];
        a.nfiles = 2;
    }
    if (a.nfiles != 2) {
        die("resize: expected FILE [+|-]SIZE");
    }
    BlockBackend *blk = open_or_die(a.files[0], a.fmt, 0);
    const char *s = a.files[1];
    uint64_t cur = blk_getlength(blk), size;
    if (*s == '+' || *s == '-') {
        uint64_t d = size_arg(s + 1);
        if (*s == '-' && d > cur) {
            die("cannot shrink '%s' below zero", a.files[0]);
        }
        size = *s == '+' ? cur + d : cur - d;
        if (size > INT64_MAX || size < cur - (*s == '-' ? d : 0)) {
            die("size too large");
        }
    } else {
        size = size_arg(s);
    }
    if (size < cur && !a.shrink) {
        die("Use the --shrink option to perform a shrink operation.");
    }
    char *err = NULL;
    if (blk_truncate(blk, size, &err) < 0) {
        die("%s: %s", a.files[0], err);
    }
    blk_close(blk);
    if (!quiet) {
        printf("Image resized.\n");
    }
    return 0;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int bench_cache_flags(const char *cache)
{
    if (!cache || strcmp(cache, "writeback") == 0) {
        return 0;
    }
    if (strcmp(cache, "unsafe") == 0) {
        return BLK_CACHE_UNSAFE;
    }
    if (strcmp(cache, "writethrough") == 0) {
        return BLK_CACHE_WRITETHROUGH;
    }
    die("unknown cache mode '%s' (writeback, writethrough, unsafe)", cache);
}

/* Random requests of bufsize bytes at bufsize-aligned offsets; count 0
   runs until killed.  --mix also discards and zeroes now and then. */
static int cmd_bench(int argc, char **argv)
{
    Args a = { 0 };
    parse_args(argc, argv, "f:c:s:t:wqhU", &a);
    if (a.nfiles != 1) {
        die("bench: expected one FILE");
    }
    BlockBackend *blk = open_or_die(a.files[0], a.fmt,
                                    bench_cache_flags(a.cache) |
                                        (a.write ? BLK_DISCARD_UNMAP
                                                 : BLK_RDONLY) |
                                        share_flag(&a));
    uint64_t size = blk_getlength(blk), slots = size / MAX(a.bufsize, 1);
    if (a.bufsize == 0 || slots == 0) {
        die("bench: buffer size must be between 1 and the image size");
    }
    uint64_t rng = a.seed * 0x9e3779b97f4a7c15ull + 1;
    uint8_t *buf = g_malloc(a.bufsize);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = 0; a.count == 0 || i < a.count; i++) {
        uint64_t r = xorshift(&rng);
        uint64_t off = (r % slots) * a.bufsize;
        /* Odd offsets and lengths too, across cluster boundaries. */
        uint64_t len = a.bufsize;
        if (a.mix && (r >> 40) % 4 == 0) {
            off += (r >> 20) % 777;
            len = MIN(len, size - off);
        }
        int ret;
        if (!a.write) {
            ret = blk_pread(blk, off, buf, len);
        } else if (a.mix && (r >> 32) % 16 == 0) {
            ret = blk_discard(blk, off, len);
        } else if (a.mix && (r >> 32) % 16 == 1) {
            ret = blk_write_zeroes(blk, off, len, (r >> 36) & 1);
        } else {
            for (uint64_t j = 0; j < len; j++) {
                buf[j] = (uint8_t)(xorshift(&rng) >> 24);
            }
            ret = blk_pwrite(blk, off, buf, len);
        }
        if (ret < 0) {
            die("bench: request %" PRIu64 " at %" PRIu64 " failed: %s", i,
                off, g_strerror(-ret));
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    blk_close(blk);
    g_free(buf);
    if (!quiet) {
        double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("Run completed in %.3f seconds.\n", secs);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        { "create", cmd_create }, { "info", cmd_info },
        { "convert", cmd_convert }, { "check", cmd_check },
        { "resize", cmd_resize }, { "bench", cmd_bench },
    };
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("mimic-img version " MIMIC_IMG_VERSION "\n");
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        if (strcmp(argv[1], cmds[i].name) == 0) {
            return cmds[i].fn(argc - 1, argv + 1);
        }
    }
    die("unknown command '%s' (try --help)", argv[1]);
}
