/*
 * User networking through libslirp (Debian's libslirp 4.7): a TCP/IP stack
 * in user space that NATs the guest's connections onto host sockets, with
 * DHCP, DNS forwarding and host port forwarding.  Options as QEMU's
 * -netdev user: net=ADDR[/MASK] (10.0.2.0/24), host=ADDR (10.0.2.2),
 * dhcpstart=ADDR (10.0.2.15), dns=ADDR (10.0.2.3), restrict=on|off (the
 * guest cannot reach outside, only hostfwd gets in), hostname=NAME,
 * domainname=NAME, ipv4=on|off, ipv6=on|off, tftp=DIR, bootfile=FILE, and
 * any number of hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT.
 *
 * libslirp owns its sockets; we poll them from a GSource on the main loop
 * (prepare asks libslirp which descriptors and events it wants, dispatch
 * hands back what poll saw) and run its timers on our host-clock timers.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <slirp/libslirp.h>

#include "mimic/log.h"
#include "mimic/options.h"
#include "mimic/timer.h"
#include "net-internal.h"

typedef struct SlirpState SlirpState;

typedef struct SlirpPollSource {
    GSource source;
    SlirpState *s;
} SlirpPollSource;

struct SlirpState {
    NetBackend *nb;
    Slirp *slirp;
    GSource *source;
    GArray *fds;                /* GPollFD given to the source */
    bool polling;               /* fds are attached to the source */
};

typedef struct SlirpTimer {
    Timer *timer;
    SlirpState *s;
    SlirpTimerId id;
    void *cb_opaque;
} SlirpTimer;

/* ---- Callbacks from libslirp ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
    SlirpState *s = opaque;

    net_deliver(s->nb, buf, len);
    return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
    (void)opaque;
    log_mask(LOG_GUEST_ERROR, "slirp: %s\n", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
    (void)opaque;
    return clock_ns(TIMER_CLOCK_HOST);
}

static void slirp_timer_fire(void *opaque)
{
    SlirpTimer *t = opaque;

    slirp_handle_timer(t->s->slirp, t->id, t->cb_opaque);
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
                                 void *opaque)
{
    SlirpTimer *t = g_new0(SlirpTimer, 1);

    t->s = opaque;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->timer = timer_new(TIMER_CLOCK_HOST, slirp_timer_fire, t);
    return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
    SlirpTimer *t = timer;

    (void)opaque;
    timer_free(t->timer);
    g_free(t);
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    SlirpTimer *t = timer;

    (void)opaque;
    timer_mod(t->timer, expire_ms * 1000000);
}

static void cb_register_poll_fd(int fd, void *opaque)
{
    (void)fd;
    (void)opaque;
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
    (void)fd;
    (void)opaque;
}

static void cb_notify(void *opaque)
{
    (void)opaque;
    g_main_context_wakeup(NULL);
}

static const SlirpCb slirp_callbacks = {
    .send_packet = cb_send_packet,
    .guest_error = cb_guest_error,
    .clock_get_ns = cb_clock_get_ns,
    .timer_free = cb_timer_free,
    .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_register_poll_fd,
    .unregister_poll_fd = cb_unregister_poll_fd,
    .notify = cb_notify,
    .timer_new_opaque = cb_timer_new_opaque,
};

/* ---- Polling libslirp's sockets from the main loop ---- */

static int add_poll_cb(int fd, int events, void *opaque)
{
    SlirpState *s = opaque;
    GPollFD pfd = { .fd = fd, .events = 0 };

    if (events & SLIRP_POLL_IN)
        pfd.events |= G_IO_IN;
    if (events & SLIRP_POLL_OUT)
        pfd.events |= G_IO_OUT;
    if (events & SLIRP_POLL_PRI)
        pfd.events |= G_IO_PRI;
    if (events & SLIRP_POLL_ERR)
        pfd.events |= G_IO_ERR;
    if (events & SLIRP_POLL_HUP)
        pfd.events |= G_IO_HUP;
    g_array_append_val(s->fds, pfd);
    return (int)s->fds->len - 1;
}

static int get_revents_cb(int idx, void *opaque)
{
    SlirpState *s = opaque;
    GPollFD *pfd;
    int ev = 0;

    if (idx < 0 || (guint)idx >= s->fds->len)
        return 0;
    pfd = &g_array_index(s->fds, GPollFD, idx);
    if (pfd->revents & G_IO_IN)
        ev |= SLIRP_POLL_IN;
    if (pfd->revents & G_IO_OUT)
        ev |= SLIRP_POLL_OUT;
    if (pfd->revents & G_IO_PRI)
        ev |= SLIRP_POLL_PRI;
    if (pfd->revents & G_IO_ERR)
        ev |= SLIRP_POLL_ERR;
    if (pfd->revents & G_IO_HUP)
        ev |= SLIRP_POLL_HUP;
    return ev;
}

static void detach_fds(SlirpState *s)
{
    if (!s->polling)
        return;
    for (guint i = 0; i < s->fds->len; i++)
        g_source_remove_poll(s->source, &g_array_index(s->fds, GPollFD, i));
    s->polling = false;
}

static gboolean source_prepare(GSource *source, gint *timeout)
{
    SlirpState *s = ((SlirpPollSource *)source)->s;
    uint32_t t = UINT32_MAX;

    detach_fds(s);
    g_array_set_size(s->fds, 0);
    slirp_pollfds_fill(s->slirp, &t, add_poll_cb, s);
    /* The array is complete: its elements no longer move. */
    for (guint i = 0; i < s->fds->len; i++)
        g_source_add_poll(source, &g_array_index(s->fds, GPollFD, i));
    s->polling = true;
    *timeout = t == UINT32_MAX ? -1 : (gint)MIN(t, (uint32_t)G_MAXINT);
    return FALSE;
}

static gboolean source_check(GSource *source)
{
    SlirpState *s = ((SlirpPollSource *)source)->s;

    for (guint i = 0; i < s->fds->len; i++) {
        if (g_array_index(s->fds, GPollFD, i).revents)
            return TRUE;
    }
    return FALSE;
}

static gboolean source_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    SlirpState *s = ((SlirpPollSource *)source)->s;

    (void)cb;
    (void)data;
    slirp_pollfds_poll(s->slirp, 0, get_revents_cb, s);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = source_prepare,
    .check = source_check,
    .dispatch = source_dispatch,
};

/* ---- Options ---- */

static bool parse_addr(const char *what, const char *str, struct in_addr *a,
                       char **err)
{
    if (inet_pton(AF_INET, str, a) != 1) {
        *err = g_strdup_printf("%s='%s' is not an IPv4 address", what, str);
        return false;
    }
    return true;
}

/* net=ADDR[/BITS|/MASK] */
static bool parse_net(const char *str, struct in_addr *net,
                      struct in_addr *mask, char **err)
{
    g_autofree char *addr = g_strdup(str);
    char *slash = strchr(addr, '/');
    unsigned long bits = 24;

    if (slash) {
        char *end;

        *slash++ = 0;
        bits = strtoul(slash, &end, 10);
        if (*end || end == slash) {
            if (!parse_addr("net", slash, mask, err))
                return false;
            bits = 33;
        } else if (bits < 1 || bits > 30) {
            *err = g_strdup_printf("net=%s: prefix length must be 1 to 30", str);
            return false;
        }
    }
    if (!parse_addr("net", addr, net, err))
        return false;
    if (bits <= 32)
        mask->s_addr = htonl(~0u << (32 - bits));
    net->s_addr &= mask->s_addr;
    return true;
}

/* [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
static bool add_hostfwd(SlirpState *s, const char *spec,
                        struct in_addr guest_default, char **err)
{
    g_auto(GStrv) halves = g_strsplit(spec, "-", 2);
    g_auto(GStrv) host = NULL, guest = NULL;
    struct in_addr haddr = { .s_addr = INADDR_ANY }, gaddr = guest_default;
    unsigned long hport, gport;
    int is_udp = 0;
    char *end;

    if (g_strv_length(halves) != 2)
        goto bad;
    host = g_strsplit(halves[0], ":", 3);
    guest = g_strsplit(halves[1], ":", 2);
    if (g_strv_length(host) != 3 || g_strv_length(guest) != 2)
        goto bad;
    if (!strcmp(host[0], "udp"))
        is_udp = 1;
    else if (host[0][0] && strcmp(host[0], "tcp"))
        goto bad;
    if (host[1][0] && inet_pton(AF_INET, host[1], &haddr) != 1)
        goto bad;
    if (guest[0][0] && inet_pton(AF_INET, guest[0], &gaddr) != 1)
        goto bad;
    hport = strtoul(host[2], &end, 10);
    if (!host[2][0] || *end || hport > 65535)
        goto bad;
    gport = strtoul(guest[1], &end, 10);
    if (!guest[1][0] || *end || gport == 0 || gport > 65535)
        goto bad;
    if (slirp_add_hostfwd(s->slirp, is_udp, haddr, (int)hport, gaddr,
                          (int)gport) < 0) {
        *err = g_strdup_printf("could not set up host forwarding rule '%s': "
                               "%s", spec, g_strerror(errno));
        return false;
    }
    return true;
bad:
    *err = g_strdup_printf("invalid host forwarding rule '%s' (format: "
                           "[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT)",
                           spec);
    return false;
}

static bool take_bool(GHashTable *opts, const char *key, bool def, bool *out,
                      char **err)
{
    g_autofree char *v = opts_take(opts, key);

    *out = def;
    if (v && !opts_parse_bool(v, out)) {
        *err = g_strdup_printf("%s=%s is not on or off", key, v);
        return false;
    }
    return true;
}

static bool user_open(NetBackend *nb, GHashTable *opts, GPtrArray *hostfwds,
                      char **err)
{
    g_autofree char *net = opts_take(opts, "net");
    g_autofree char *host = opts_take(opts, "host");
    g_autofree char *dhcp = opts_take(opts, "dhcpstart");
    g_autofree char *dns = opts_take(opts, "dns");
    g_autofree char *hostname = opts_take(opts, "hostname");
    g_autofree char *domain = opts_take(opts, "domainname");
    g_autofree char *tftp = opts_take(opts, "tftp");
    g_autofree char *bootfile = opts_take(opts, "bootfile");
    SlirpConfig cfg = { .version = 4 };
    bool restrict_, ipv4, ipv6;
    SlirpState *s;

    if (!take_bool(opts, "restrict", false, &restrict_, err) ||
        !take_bool(opts, "ipv4", true, &ipv4, err) ||
        !take_bool(opts, "ipv6", true, &ipv6, err))
        return false;
    if (!ipv4 && !ipv6) {
        *err = g_strdup("ipv4=off and ipv6=off: nothing left");
        return false;
    }
    inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
    if (net && !parse_net(net, &cfg.vnetwork, &cfg.vnetmask, err))
        return false;
    /* Defaults inside the network: .2 host, .3 DNS, .15 first lease. */
    cfg.vhost.s_addr = cfg.vnetwork.s_addr | htonl(2);
    cfg.vnameserver.s_addr = cfg.vnetwork.s_addr | htonl(3);
    cfg.vdhcp_start.s_addr = cfg.vnetwork.s_addr | htonl(15);
    if ((host && !parse_addr("host", host, &cfg.vhost, err)) ||
        (dns && !parse_addr("dns", dns, &cfg.vnameserver, err)) ||
        (dhcp && !parse_addr("dhcpstart", dhcp, &cfg.vdhcp_start, err)))
        return false;
    if ((cfg.vhost.s_addr & cfg.vnetmask.s_addr) != cfg.vnetwork.s_addr ||
        (cfg.vnameserver.s_addr & cfg.vnetmask.s_addr) != cfg.vnetwork.s_addr ||
        (cfg.vdhcp_start.s_addr & cfg.vnetmask.s_addr) != cfg.vnetwork.s_addr) {
        *err = g_strdup("host, dns and dhcpstart must be inside net");
        return false;
    }
    cfg.restricted = restrict_;
    cfg.in_enabled = ipv4;
    cfg.in6_enabled = ipv6;
    inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
    cfg.vprefix_len = 64;
    inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
    inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
    cfg.vhostname = hostname;
    cfg.vdomainname = domain;
    cfg.tftp_path = tftp;
    cfg.bootfile = bootfile;

    s = g_new0(SlirpState, 1);
    s->nb = nb;
    s->fds = g_array_new(FALSE, FALSE, sizeof(GPollFD));
    s->slirp = slirp_new(&cfg, &slirp_callbacks, s);
    if (!s->slirp) {
        *err = g_strdup("libslirp could not start");
        g_array_free(s->fds, TRUE);
        g_free(s);
        return false;
    }
    nb->be = s;
    for (guint i = 0; i < hostfwds->len; i++) {
        if (!add_hostfwd(s, g_ptr_array_index(hostfwds, i), cfg.vdhcp_start,
                         err)) {
            nb->cls->cleanup(nb);
            return false;
        }
    }
    s->source = g_source_new(&slirp_source_funcs, sizeof(SlirpPollSource));
    ((SlirpPollSource *)s->source)->s = s;
    g_source_attach(s->source, NULL);
    return true;
}

static void user_send(NetBackend *nb, const uint8_t *buf, size_t len)
{
    SlirpState *s = nb->be;

    slirp_input(s->slirp, buf, (int)len);
    /* Often on a vCPU thread: the main loop may sleep on an old set of
       sockets (a new connection adds one). */
    g_main_context_wakeup(NULL);
}

static void user_cleanup(NetBackend *nb)
{
    SlirpState *s = nb->be;

    if (!s)
        return;
    if (s->source) {
        detach_fds(s);
        g_source_destroy(s->source);
        g_source_unref(s->source);
    }
    slirp_cleanup(s->slirp);
    g_array_free(s->fds, TRUE);
    g_free(s);
    nb->be = NULL;
}

const NetBackendClass net_user_class = {
    .name = "user",
    .open = user_open,
    .send = user_send,
    .cleanup = user_cleanup,
};
