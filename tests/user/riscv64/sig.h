/* What the signal test programs share. */
#ifndef SIG_H
#define SIG_H

#include <signal.h>
#include <string.h>

/* sigaction(sig) with handler fn, flags, and one more signal (masked, 0:
   none) blocked while fn runs. */
static inline void set(int sig, void (*fn)(int), int flags, int masked)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (masked)
        sigaddset(&sa.sa_mask, masked);
    sigaction(sig, &sa, NULL);
}

#endif
