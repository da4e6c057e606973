/*
 * Smoke test: the start-up code, UART output, a passing check and the
 * finisher exit.  The first test to get running on a new emulator.
 */
#include "lib.h"

int main(void)
{
    uart_puts("hello from " TEST_NAME "\n");
    CHECK_EQ(1 + OPAQUE(1), 2);
    return test_end();
}
