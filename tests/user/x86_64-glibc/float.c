/*
 * glibc's floating point, linked statically: printf of doubles in every
 * conversion (its printf_fp works in long double, so the x87 runs too),
 * long double arithmetic, strtod round trips, and the libm functions
 * whose results are exact (sqrt, floor, ceil, trunc, rint, fmod, ldexp,
 * frexp, modf).  The transcendental functions are left out: glibc picks
 * FMA variants by CPUID, so the host and Mimic's CPU may differ in the
 * last bit of correct results.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    static const double vals[] = {
        0.0, -0.0, 1.0, -2.5, 3.141592653589793, 1e-310, 2.2250738585072014e-308,
        1.7976931348623157e308, 123456789.125, 0.1, 1.0 / 3.0, 6.02214076e23,
    };
    double sum = 0;

    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        double x = vals[i], ip;
        long double l = (long double)x / 3.0L + 1.0L;
        int e;
        char buf[64];

        printf("%f %e %g %.17g %a\n", x, x, x, x, x);
        printf("  %Lf %.21Lg %La\n", l, l, l);
        printf("  sqrt %.17g floor %g ceil %g trunc %g rint %g\n",
               sqrt(fabs(x)), floor(x), ceil(x), trunc(x), rint(x));
        double m = frexp(x, &e), f = modf(x, &ip);

        printf("  fmod %.17g ldexp %.17g frexp %.17g %d modf %.17g %g\n",
               fmod(x, 0.75), ldexp(x, -3), m, e, f, ip);
        snprintf(buf, sizeof(buf), "%.17g", x);
        printf("  strtod round trip %s\n", strtod(buf, NULL) == x ? "same" : "differs");
        sum += x / (i + 1);
    }
    printf("sum %.17g\n", sum);
    for (int i = 1; i < argc; i++)
        printf("%s -> %.17g\n", argv[i], strtod(argv[i], NULL));
    return 0;
}
