/*
 * The runner behind tests/unit/unit.h: runs each registered case in order
 * and prints TAP ("ok N - name" / "not ok N - name") with a plan line.
 */
#include "unit.h"

UnitCase unit_cases[UNIT_MAX_CASES];
int unit_ncases;
int unit_case_failed;

int unit_run(void)
{
    int failed = 0;

    printf("1..%d\n", unit_ncases);
    for (int i = 0; i < unit_ncases; i++) {
        unit_case_failed = 0;
        unit_cases[i].fn();
        printf("%sok %d - %s\n", unit_case_failed ? "not " : "", i + 1,
               unit_cases[i].name);
        failed += unit_case_failed;
    }
    fflush(stdout);
    return failed ? 1 : 0;
}
