/*
 * -semihosting and -semihosting-config, parsed here (system/ owns the
 * command line) and handed to semihosting/ as a SemihostingConfig.
 */
#ifndef SYSTEM_SEMIHOSTING_OPTS_H
#define SYSTEM_SEMIHOSTING_OPTS_H

#include <glib.h>

/*
 * Applies the options once the chardevs exist: enabled is -semihosting,
 * configs the -semihosting-config strings in order (their keys merge, arg=
 * accumulates), kernel and append the boot options (SYS_GET_CMDLINE's
 * fallback).  Exits with a message on a bad option.
 */
void semihosting_setup(bool enabled, GPtrArray *configs, const char *kernel,
                       const char *append);

#endif
