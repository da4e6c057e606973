/*
 * Mimic's version, for -version, the monitor's `info version` and QMP's
 * greeting and query-version.
 */
#ifndef MIMIC_VERSION_H
#define MIMIC_VERSION_H

#define MIMIC_VERSION_MAJOR 0
#define MIMIC_VERSION_MINOR 1
#define MIMIC_VERSION_MICRO 0
#define MIMIC_VERSION "0.1"
#define MIMIC_PACKAGE "mimic"

#endif
