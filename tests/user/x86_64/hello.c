/* Writes a line and its arguments, exits with a status of its own. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    put("hello from x86-64\n");
    put("argc ");
    put_dec(argc);
    put("\n");
    for (int i = 1; i < argc; i++) {
        put(argv[i]);
        put("\n");
    }
    return 42;
}
