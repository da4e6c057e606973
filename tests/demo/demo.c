/*
 * The default guest of `make run` until Linux boots: a bare-metal RISC-V
 * program that talks to the ns16550a UART, draws the Mandelbrot set in
 * text with integer arithmetic, counts primes, and powers off.
 */
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000)

static void putc_uart(char c)
{
    while (!(UART[5] & 0x20))
        ;
    UART[0] = (uint8_t)c;
}

static void puts_uart(const char *s)
{
    while (*s)
        putc_uart(*s++);
}

static void put_dec(uint64_t v)
{
    char buf[24];
    int i = 0;

    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        putc_uart(buf[--i]);
}

static void mandelbrot(void)
{
    const char *shade = " .:-=+*#%@";

    for (int y = -12; y <= 12; y++) {
        for (int x = -39; x <= 20; x++) {
            int64_t cr = x * 2048 / 20, ci = y * 2048 / 10;
            int64_t zr = 0, zi = 0;
            int it = 0;

            while (it < 64 && zr * zr + zi * zi < 4LL * 1024 * 1024 * 4) {
                int64_t t = (zr * zr - zi * zi) / 1024 + cr;
                zi = 2 * zr * zi / 1024 + ci;
                zr = t;
                it++;
            }
            putc_uart(shade[it >= 64 ? 0 : 1 + it % 9]);
        }
        putc_uart('\n');
    }
}

static uint64_t count_primes(uint64_t limit)
{
    uint64_t n = 0;

    for (uint64_t i = 2; i < limit; i++) {
        uint64_t d = 2;
        while (d * d <= i && i % d)
            d++;
        n += d * d > i;
    }
    return n;
}

int main(void)
{
    puts_uart("Hello from a RISC-V guest, translated by Mimic's JIT.\n\n");
    mandelbrot();
    puts_uart("\nprimes below 100000: ");
    put_dec(count_primes(100000));
    puts_uart("\nPowering off.\n");
    return 0;
}
