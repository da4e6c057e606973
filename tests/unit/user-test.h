/*
 * Shared by the linux-user unit tests: a fresh guest space for each case.
 */
#ifndef MIMIC_USER_TEST_H
#define MIMIC_USER_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "linux-user/user-internal.h"

/* Drops the guest space of the case before and reserves a new one. */
static inline void user_space_fresh(void)
{
    char *err = NULL;

    guest_space_fini();
    if (!guest_space_init(&riscv64_user_info, 0, &err)) {
        printf("# %s\n", err);
        exit(1);
    }
}

#endif
