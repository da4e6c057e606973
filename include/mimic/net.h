/*
 * Network backends (net/): what a NIC model sends its frames to and gets
 * frames from, independent of the NIC.  The one backend today is "user"
 * networking through libslirp (net/slirp.c): the guest sits on 10.0.2.0/24
 * behind a NAT, gets 10.0.2.15 by DHCP, reaches the host at 10.0.2.2 and
 * DNS at 10.0.2.3, and host ports can be forwarded in (hostfwd).
 *
 *   -netdev user,id=n0[,hostfwd=tcp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT]...
 *   -device virtio-net-device,netdev=n0[,mac=52:54:00:12:34:56]
 *   -nic user[,model=virtio-net-device][,mac=...][,hostfwd=...]
 *
 * Frames travel whole (Ethernet, no FCS).  Everything runs on the main
 * loop or with the BQL held.  A frame for a NIC that has no receive
 * buffers now is queued (a few dozen at most; later ones are dropped, as
 * a wire would) until the NIC calls net_flush_queued().
 */
#ifndef MIMIC_NET_H
#define MIMIC_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct NetBackend NetBackend;

typedef struct NetFrontendOps {
    /* True if the NIC can take a frame now. */
    bool (*can_receive)(void *opaque);
    /* Takes one frame; returns len, or 0 if it could not after all (the
       frame is then queued). */
    ssize_t (*receive)(void *opaque, const uint8_t *buf, size_t len);
} NetFrontendOps;

/* Creates a backend from a -netdev string ("user,id=ID,..."). */
NetBackend *net_backend_new(const char *spec, char **err);
NetBackend *net_backend_find(const char *id);
const char *net_backend_id(const NetBackend *nb);

/* Connects a NIC (one per backend); false with *err if taken. */
bool net_backend_attach(NetBackend *nb, const NetFrontendOps *ops,
                        void *opaque, char **err);
/* The NIC sends a frame to the network. */
void net_send(NetBackend *nb, const uint8_t *buf, size_t len);
/* The NIC has receive buffers again: delivers what was queued. */
void net_flush_queued(NetBackend *nb);

/*
 * A backend wired to the caller instead of a network, for unit tests and
 * fuzzing harnesses (not reachable from -netdev): it is registered under
 * id like a -netdev, frames the NIC sends go to send(opaque, ...), and
 * net_backend_inject() hands the NIC a frame as if from the network
 * (queued, like any frame, if the NIC has no buffers now).
 */
typedef void (*NetSendFunc)(void *opaque, const uint8_t *buf, size_t len);
NetBackend *net_backend_new_callback(const char *id, NetSendFunc send,
                                     void *opaque, char **err);
void net_backend_inject(NetBackend *nb, const uint8_t *buf, size_t len);

/* Closes every backend (exit). */
void net_cleanup_all(void);

#endif
