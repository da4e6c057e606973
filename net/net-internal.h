/*
 * What the network core (net/net.c) shares with its backends (net/slirp.c):
 * the NetBackend struct and the backend class.
 */
#ifndef NET_NET_INTERNAL_H
#define NET_NET_INTERNAL_H

#include <glib.h>

#include "mimic/net.h"

typedef struct NetBackendClass {
    const char *name;
    /* Sets up the backend from the options left in opts (taking each one
       it uses) and the repeated hostfwd values. */
    bool (*open)(NetBackend *nb, GHashTable *opts, GPtrArray *hostfwds,
                 char **err);
    /* A frame from the guest. */
    void (*send)(NetBackend *nb, const uint8_t *buf, size_t len);
    void (*cleanup)(NetBackend *nb);
} NetBackendClass;

struct NetBackend {
    char *id;
    const NetBackendClass *cls;
    void *be;                       /* the backend's state */
    const NetFrontendOps *fe;
    void *fe_opaque;
    GQueue queue;                   /* GBytes the NIC could not take yet */
};

extern const NetBackendClass net_user_class;

/* A frame from the network for the NIC (queued if it has no room). */
void net_deliver(NetBackend *nb, const uint8_t *buf, size_t len);

#endif
