/*
 * -drive, -hda..-hdd, -cdrom and bare image names, as QEMU 7.2's riscv
 * virt machine reads them (include/mimic/drive.h).  That machine's default
 * interface is none: a -drive without if= (and -hda, which is a -drive
 * with index=0) only opens the image, under the id none<N>, for a
 * -device ...,drive=ID to take; if=virtio also makes a virtio disk and
 * if=pflash fills a CFI flash bank; the interfaces virt lacks (ide, scsi,
 * floppy, sd, mtd, xen) are refused with QEMU's message.  Every option is
 * checked and its values given QEMU's meaning, or accepted with no effect
 * where that is safe (docs/usage.md says which).  The -blockdev side is
 * system/blockdev.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimic/drive.h"
#include "mimic/options.h"
#include "drive-int.h"

typedef enum DriveIf {
    IF_NONE, IF_VIRTIO, IF_PFLASH, IF_IDE, IF_SCSI, IF_FLOPPY, IF_SD,
    IF_MTD, IF_XEN, IF_COUNT,
} DriveIf;

static const char *const if_names[IF_COUNT] = {
    "none", "virtio", "pflash", "ide", "scsi", "floppy", "sd", "mtd", "xen",
};

/* One disk option as given, and the -drive string it stands for. */
typedef struct CmdDrive {
    char *what;          /* "-drive SPEC", "-hda FILE", "FILE": for messages */
    char *spec;          /* the -drive equivalent */
    char *file;          /* -hda/-cdrom/bare: the file name, verbatim */
    bool implicit_if;    /* no if= given */
} CmdDrive;

/* A drive once opened: where it sits, for index clashes and warnings. */
typedef struct DriveInfo {
    DriveIf type;
    int bus, unit;
    char *id;
    char *what;
    bool implicit_if;
} DriveInfo;

static GPtrArray *cmd_drives;     /* CmdDrive, in command-line order */
static GPtrArray *drive_infos;    /* DriveInfo */
static BlockBackend *pflash[DRIVE_PFLASH_UNITS];

static char *escape_commas(const char *s)
{
    GString *g = g_string_new(NULL);

    for (const char *p = s; *p; p++) {
        if (*p == ',')
            g_string_append_c(g, ',');
        g_string_append_c(g, *p);
    }
    return g_string_free(g, FALSE);
}

void drive_cmdline_add(const char *option, const char *arg)
{
    CmdDrive *d = g_new0(CmdDrive, 1);

    if (option && !strcmp(option, "blockdev")) {
        blockdev_cmdline_add(arg);
        g_free(d);
        return;
    }
    if (!cmd_drives)
        cmd_drives = g_ptr_array_new();
    if (option && !strcmp(option, "drive")) {
        d->what = g_strdup_printf("-drive %s", arg);
        d->spec = g_strdup(arg);
    } else {
        /* QEMU: -hdX is index X, -cdrom index 2 with media=cdrom, and a
           bare name is -hda; the file name is taken as it is. */
        int index = !option ? 0 : !strcmp(option, "cdrom") ? 2
                                                            : option[2] - 'a';

        d->what = option ? g_strdup_printf("-%s %s", option, arg)
                         : g_strdup(arg);
        d->spec = g_strdup_printf("index=%d,media=%s", index,
                                  option && !strcmp(option, "cdrom") ? "cdrom"
                                                                     : "disk");
        d->file = g_strdup(arg);
    }
    g_ptr_array_add(cmd_drives, d);
}

char *drive_virtio_device_spec(const char *id)
{
    g_autofree char *e = escape_commas(id);

    /* As QEMU's virt: a PCI disk. */
    return g_strdup_printf("virtio-blk-pci,drive=%s", e);
}

BlockBackend *drive_get_pflash(int unit)
{
    return unit >= 0 && unit < DRIVE_PFLASH_UNITS ? pflash[unit] : NULL;
}

static DriveInfo *drive_find(DriveIf type, int bus, int unit)
{
    for (guint i = 0; drive_infos && i < drive_infos->len; i++) {
        DriveInfo *d = g_ptr_array_index(drive_infos, i);

        if (d->type == type && d->bus == bus && d->unit == unit)
            return d;
    }
    return NULL;
}

/* An on/off value; QEMU's message names the parameter. */
static bool take_bool(GHashTable *o, const char *key, const char *name,
                      bool *val, char **err)
{
    g_autofree char *v = opts_take(o, key);

    if (v && !opts_parse_bool(v, val)) {
        *err = g_strdup_printf("Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

/* A number for index=, bus=, unit= (-1: not given). */
static bool take_number(GHashTable *o, const char *key, int *val, char **err)
{
    g_autofree char *v = opts_take(o, key);
    gint64 n;
    char *end;

    *val = -1;
    if (!v)
        return true;
    n = g_ascii_strtoll(v, &end, 0);
    if (!*v || *end || n > INT32_MAX || n < INT32_MIN) {
        *err = g_strdup_printf("Parameter '%s' expects a number", key);
        return false;
    }
    *val = n < 0 ? -1 : (int)n;
    return true;
}

/* Whether value is one of the NULL-terminated list. */
static bool one_of(const char *value, const char *const *list)
{
    for (; *list; list++) {
        if (!strcmp(value, *list))
            return true;
    }
    return false;
}

/* The values both -drive and -blockdev share: cache, aio, discard,
   detect-zeroes, locking.  They become blk_open flags. */
bool drive_common_flags(GHashTable *o, bool blockdev, int *flags, char **err)
{
    static const char *const aios[] = { "threads", "native", "io_uring", NULL };
    g_autofree char *cache = blockdev ? NULL : opts_take(o, "cache");
    g_autofree char *aio = opts_take(o, "aio");
    g_autofree char *discard = opts_take(o, "discard");
    g_autofree char *dz = opts_take(o, "detect-zeroes");
    bool direct = false, no_flush = false, fs = false;

    if (cache) {
        if (!strcmp(cache, "none") || !strcmp(cache, "directsync"))
            direct = true;
        if (!strcmp(cache, "writethrough") || !strcmp(cache, "directsync"))
            *flags |= BLK_CACHE_WRITETHROUGH;
        else if (!strcmp(cache, "unsafe"))
            no_flush = true;
        else if (strcmp(cache, "writeback") && strcmp(cache, "none")) {
            *err = g_strdup("invalid cache option");
            return false;
        }
    }
    if (!take_bool(o, "cache.direct", "cache.direct", &direct, err) ||
        !take_bool(o, "cache.no-flush", "cache.no-flush", &no_flush, err) ||
        !take_bool(o, "force-share", "force-share", &fs, err))
        return false;
    if (no_flush)
        *flags |= BLK_CACHE_UNSAFE;
    if (fs)
        *flags |= BLK_FORCE_SHARE;
    if (aio && !one_of(aio, aios)) {
        *err = blockdev ? g_strdup_printf("Parameter 'aio' does not accept "
                                          "value '%s'", aio)
                        : g_strdup("invalid aio option");
        return false;
    }
    /* All I/O is synchronous here; native needs O_DIRECT in QEMU. */
    if (aio && !strcmp(aio, "native") && !direct) {
        *err = g_strdup("aio=native was specified, but it requires "
                        "cache.direct=on, which was not specified.");
        return false;
    }
    if (discard && (!strcmp(discard, "unmap") || !strcmp(discard, "on")))
        *flags |= BLK_DISCARD_UNMAP;
    else if (discard && strcmp(discard, "ignore") && strcmp(discard, "off")) {
        *err = g_strdup("Invalid discard option");
        return false;
    }
    if (dz && !strcmp(dz, "on"))
        *flags |= BLK_DETECT_ZEROES;
    else if (dz && !strcmp(dz, "unmap"))
        *flags |= BLK_DETECT_ZEROES | BLK_DETECT_ZEROES_UNMAP;
    else if (dz && strcmp(dz, "off")) {
        *err = g_strdup_printf("invalid parameter value: %s", dz);
        return false;
    }
    return true;
}

/* file.locking=on|off|auto (-drive) or locking= (-blockdev). */
bool drive_locking_flag(GHashTable *o, const char *key, bool blockdev,
                        int *flags, char **err)
{
    g_autofree char *v = opts_take(o, key);

    if (v && !strcmp(v, "off"))
        *flags |= BLK_NO_LOCK;
    else if (v && strcmp(v, "on") && strcmp(v, "auto")) {
        *err = blockdev ? g_strdup_printf("Parameter '%s' does not accept "
                                          "value '%s'", key, v)
                        : g_strdup_printf("invalid parameter value: %s", v);
        return false;
    }
    return true;
}

/* werror= and rerror=: checked; errors are always reported to the guest. */
static bool check_error_actions(GHashTable *o, char **err)
{
    static const char *const wact[] = { "ignore", "stop", "report", "enospc",
                                        NULL };
    static const char *const ract[] = { "ignore", "stop", "report", NULL };
    g_autofree char *w = opts_take(o, "werror");
    g_autofree char *r = opts_take(o, "rerror");

    if (w && !one_of(w, wact)) {
        *err = g_strdup_printf("'%s' invalid write error action", w);
        return false;
    }
    if (r && !one_of(r, ract)) {
        *err = g_strdup_printf("'%s' invalid read error action", r);
        return false;
    }
    return true;
}

/* Where the drive goes: QEMU's if=, index=, bus=, unit= rules. */
static bool drive_place(GHashTable *o, DriveInfo *di, char **err)
{
    g_autofree char *iface = opts_take(o, "if");
    int index, bus, unit;

    di->type = IF_NONE;
    if (iface) {
        int t;

        for (t = 0; t < IF_COUNT && strcmp(iface, if_names[t]); t++)
            ;
        if (t == IF_COUNT) {
            *err = g_strdup_printf("unsupported bus type '%s'", iface);
            return false;
        }
        di->type = t;
    }
    if (!take_number(o, "index", &index, err) ||
        !take_number(o, "bus", &bus, err) || !take_number(o, "unit", &unit, err))
        return false;
    if (index >= 0 && (bus >= 0 || unit >= 0)) {
        *err = g_strdup("index cannot be used with bus and unit");
        return false;
    }
    /* Every interface here has no fixed units per bus: index is unit. */
    di->bus = bus >= 0 ? bus : 0;
    di->unit = index >= 0 ? index : unit;
    if (di->unit < 0) {
        di->unit = 0;
        while (drive_find(di->type, di->bus, di->unit))
            di->unit++;
    }
    if (drive_find(di->type, di->bus, di->unit)) {
        *err = g_strdup_printf("drive with bus=%d, unit=%d (index=%d) exists",
                               di->bus, di->unit, di->unit);
        return false;
    }
    return true;
}

static bool machine_supports(const DriveInfo *di, char **err)
{
    bool ok = di->type == IF_NONE || di->type == IF_VIRTIO ||
              (di->type == IF_PFLASH && di->bus == 0 &&
               di->unit < DRIVE_PFLASH_UNITS);

    if (!ok)
        *err = g_strdup_printf("machine type does not support if=%s,bus=%d,"
                               "unit=%d", if_names[di->type], di->bus,
                               di->unit);
    return ok;
}

/* QEMU's warning (its words) when a raw image is opened read-write on a
   guess. */
static void warn_probed_raw(const char *file)
{
    fprintf(stderr,
            "WARNING: Image format was not specified for '%s' and probing "
            "guessed raw.\n"
            "         Automatically detecting the format is dangerous for raw "
            "images, write operations on block 0 will be restricted.\n"
            "         Specify the 'raw' format explicitly to remove the "
            "restrictions.\n", file);
}

/* The image's format: given, or probed (with QEMU's warning for raw). */
static bool drive_format(const char *file, const char *format, int *flags,
                         const char **fmt, char **err)
{
    if (format) {
        if (!blk_format_known(format)) {
            *err = g_strdup_printf("Unknown driver '%s'", format);
            return false;
        }
        *fmt = format;
        return true;
    }
    *fmt = blk_probe_format(file, err);
    if (!*fmt)
        return false;
    if (!strcmp(*fmt, "raw") && !(*flags & (BLK_RDONLY | BLK_SNAPSHOT))) {
        warn_probed_raw(file);
        *flags |= BLK_PROBED_RAW;
    }
    return true;
}

/* The options of one -drive that concern the image; *flags for blk_open. */
static bool drive_image_opts(GHashTable *o, bool snapshot, int *flags,
                             char **err)
{
    static const char *const medias[] = { "disk", "cdrom", NULL };
    g_autofree char *media = opts_take(o, "media");
    g_autofree char *ro_alias = opts_take(o, "read-only");
    bool ro = false, snap = false;

    if (ro_alias)
        g_hash_table_insert(o, g_strdup("readonly"), g_steal_pointer(&ro_alias));
    if (!take_bool(o, "readonly", "read-only", &ro, err) ||
        !take_bool(o, "snapshot", "snapshot", &snap, err))
        return false;
    if (media && !one_of(media, medias)) {
        *err = g_strdup_printf("'%s' invalid media", media);
        return false;
    }
    if (ro || (media && !strcmp(media, "cdrom")))
        *flags |= BLK_RDONLY;
    if (snap || snapshot)
        *flags |= BLK_SNAPSHOT;
    if (!drive_common_flags(o, false, flags, err) ||
        !drive_locking_flag(o, "file.locking", false, flags, err) ||
        !check_error_actions(o, err))
        return false;
    /* With -snapshot a read-only drive stays as it is, as QEMU's. */
    if ((*flags & BLK_RDONLY) && !snap)
        *flags &= ~BLK_SNAPSHOT;
    return true;
}

/* The id: given (unique among drives and nodes) or if_name + unit. */
static bool drive_id(GHashTable *o, DriveInfo *di, char **err)
{
    di->id = opts_take(o, "id");
    if (!di->id) {
        di->id = g_strdup_printf("%s%d", if_names[di->type], di->unit);
        return true;
    }
    for (guint i = 0; drive_infos && i < drive_infos->len; i++) {
        DriveInfo *d = g_ptr_array_index(drive_infos, i);

        if (!strcmp(d->id, di->id)) {
            *err = g_strdup_printf("Duplicate ID '%s' for drive", di->id);
            return false;
        }
    }
    if (blk_name_exists(di->id)) {
        *err = g_strdup_printf("Device name '%s' conflicts with an existing "
                               "node name", di->id);
        return false;
    }
    return true;
}

/* Attaches an opened drive: a virtio disk, a flash bank, or nothing. */
static bool drive_attach(DriveInfo *di, BlockBackend *blk, GPtrArray *disks,
                         char **err)
{
    unsigned nflags = 0;

    if (di->type == IF_VIRTIO && !blk) {
        *err = g_strdup("Device needs media, but drive is empty");
        return false;
    }
    if (di->type == IF_VIRTIO) {
        g_ptr_array_add(disks, drive_virtio_device_spec(di->id));
        nflags = BLK_NAME_AUTO;
    } else if (di->type == IF_PFLASH) {
        pflash[di->unit] = blk;
        nflags = BLK_NAME_AUTO;
    }
    if (!blk_register_full(di->id, blk, nflags, err))
        return false;
    /* The board's flash takes its image now; -device cannot have it. */
    if (di->type == IF_PFLASH && blk)
        return blk_claim(di->id, err);
    return true;
}

/* Parses and opens one -drive (or -hda, -cdrom, image name). */
static bool drive_new(CmdDrive *cd, bool snapshot, GPtrArray *disks,
                      char **err)
{
    g_autoptr(GHashTable) o = opts_parse(cd->spec, NULL, err);
    g_autofree char *file = NULL, *format = NULL, *serial = NULL;
    DriveInfo *di = g_new0(DriveInfo, 1);
    BlockBackend *blk = NULL;
    const char *fmt = NULL;
    int flags = 0;

    if (!o)
        goto fail;
    cd->implicit_if = !opts_get(o, "if");
    file = cd->file ? g_strdup(cd->file) : opts_take(o, "file");
    format = opts_take(o, "format");
    serial = opts_take(o, "serial");
    if (!drive_place(o, di, err) || !drive_id(o, di, err) ||
        !drive_image_opts(o, snapshot, &flags, err))
        goto fail;
    if ((file && !*file) || (!file && format)) {
        *err = g_strdup("A block device must be specified for \"file\"");
        goto fail;
    }
    if (file && !drive_format(file, format, &flags, &fmt, err))
        goto fail;
    /* serial= left -drive in QEMU 3.0: it is a -device property now. */
    if (serial)
        g_hash_table_insert(o, g_strdup("serial"), g_steal_pointer(&serial));
    if (opts_first_key(o)) {
        *err = g_strdup_printf("Block format '%s' does not support the option "
                               "'%s'", fmt ? fmt : "raw", opts_first_key(o));
        goto fail;
    }
    if (!machine_supports(di, err))
        goto fail;
    if (file) {
        blk = blk_open(file, fmt, flags, err);
        if (!blk)
            goto fail;
    }
    if (!drive_attach(di, blk, disks, err)) {
        if (blk)
            blk_close(blk);
        goto fail;
    }
    di->what = g_strdup(cd->what);
    di->implicit_if = cd->implicit_if;
    g_ptr_array_add(drive_infos, di);
    return true;
fail:
    g_free(di->id);
    g_free(di);
    return false;
}

bool drive_parse_only(const char *spec, char **err)
{
    g_autoptr(GHashTable) o = opts_parse(spec, NULL, err);
    DriveInfo di = { 0 };
    int flags = 0;
    bool ok;

    if (!o)
        return false;
    ok = drive_place(o, &di, err) && drive_id(o, &di, err) &&
         drive_image_opts(o, false, &flags, err) &&
         machine_supports(&di, err);
    g_free(di.id);
    return ok;
}

bool drive_setup_all(bool snapshot, GPtrArray *devices, char **err)
{
    g_autoptr(GPtrArray) disks = g_ptr_array_new();

    if (!blockdev_setup_all(err))
        return false;
    if (!drive_infos)
        drive_infos = g_ptr_array_new();
    for (guint i = 0; cmd_drives && i < cmd_drives->len; i++) {
        CmdDrive *cd = g_ptr_array_index(cmd_drives, i);
        g_autofree char *sub = NULL;

        if (!drive_new(cd, snapshot, disks, &sub)) {
            *err = g_strdup_printf("%s: %s", cd->what, sub);
            return false;
        }
    }
    /* After the -device ones, as QEMU creates them: with -device
       virtio-rng-pci and an if=virtio disk, the rng takes slot 1 and the
       disk slot 2, on both (the Ubuntu line of test-compat). */
    for (guint i = 0; i < disks->len; i++)
        g_ptr_array_add(devices, g_ptr_array_index(disks, i));
    return true;
}

void drive_warn_unclaimed(void)
{
    for (guint i = 0; drive_infos && i < drive_infos->len; i++) {
        DriveInfo *d = g_ptr_array_index(drive_infos, i);

        if (!d->implicit_if || d->type != IF_NONE || blk_is_claimed(d->id) ||
            !blk_by_name(d->id))
            continue;
        fprintf(stderr, "warning: %s: drive '%s' is not attached to a device "
                "(without if=, a drive is if=none on virt, as in QEMU): add "
                "-device virtio-blk-device,drive=%s\n", d->what, d->id, d->id);
    }
}

void drive_reset_all(void)
{
    for (guint i = 0; cmd_drives && i < cmd_drives->len; i++) {
        CmdDrive *cd = g_ptr_array_index(cmd_drives, i);

        g_free(cd->what);
        g_free(cd->spec);
        g_free(cd->file);
        g_free(cd);
    }
    g_clear_pointer(&cmd_drives, g_ptr_array_unref);
    for (guint i = 0; drive_infos && i < drive_infos->len; i++) {
        DriveInfo *d = g_ptr_array_index(drive_infos, i);

        g_free(d->id);
        g_free(d->what);
        g_free(d);
    }
    g_clear_pointer(&drive_infos, g_ptr_array_unref);
    for (int i = 0; i < DRIVE_PFLASH_UNITS; i++)
        pflash[i] = NULL;
    blockdev_reset_all();
}
