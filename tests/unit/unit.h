/*
 * A tiny test framework for tests/unit/: each test-*.c file is one program
 * that links against build/libmimic.a, declares its cases with TEST(), and
 * prints one TAP line per case.  Failing expectations print the file, line
 * and values, and the case continues so one run shows every failure.
 *
 *   TEST(add_folds) { EXPECT_EQ(fold(2, 3), 5); }
 *   int main(void) { return unit_run(); }
 */
#ifndef MIMIC_UNIT_H
#define MIMIC_UNIT_H

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct UnitCase {
    const char *name;
    void (*fn)(void);
} UnitCase;

#define UNIT_MAX_CASES 512
extern UnitCase unit_cases[UNIT_MAX_CASES];
extern int unit_ncases;
extern int unit_case_failed;

#define TEST(name)                                                         \
    static void test_##name(void);                                         \
    __attribute__((constructor)) static void register_##name(void)         \
    {                                                                      \
        if (unit_ncases < UNIT_MAX_CASES)                                  \
            unit_cases[unit_ncases++] = (UnitCase){ #name, test_##name };  \
    }                                                                      \
    static void test_##name(void)

#define EXPECT(cond)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("#   %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
            unit_case_failed = 1;                                          \
        }                                                                  \
    } while (0)

#define EXPECT_EQ(a, b)                                                    \
    do {                                                                   \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                   \
        if (a_ != b_) {                                                    \
            printf("#   %s:%d: %s == %s: 0x%" PRIx64 " != 0x%" PRIx64 "\n", \
                   __FILE__, __LINE__, #a, #b, a_, b_);                    \
            unit_case_failed = 1;                                          \
        }                                                                  \
    } while (0)

#define EXPECT_STREQ(a, b)                                                 \
    do {                                                                   \
        const char *a_ = (a), *b_ = (b);                                   \
        if (strcmp(a_, b_) != 0) {                                         \
            printf("#   %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,    \
                   a_, b_);                                                \
            unit_case_failed = 1;                                          \
        }                                                                  \
    } while (0)

/* Waits up to about ms milliseconds (longer on a loaded host) for cond to
   hold, polling each millisecond; the value is cond's at the end.  Tests
   of threads wait for what they expect, never for a fixed time. */
#define WAIT_FOR(cond, ms)                                                 \
    ({                                                                     \
        int waited_ = 0;                                                   \
        while (!(cond) && waited_++ < (ms))                                \
            g_usleep(1000);                                                \
        (cond);                                                            \
    })

/* Runs every registered case, prints TAP, returns the exit status. */
int unit_run(void);

#endif
