/* Arguments, environment, stdio, a file written and read back, and an exit
   status: what every program does first. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char path[] = "/tmp/mimic-user-hello-XXXXXX", buf[64] = { 0 };
    int fd;

    for (int i = 1; i < argc; i++)
        printf("arg %d: %s\n", i, argv[i]);
    printf("MIMIC_TEST_VAR=%s\n", getenv("MIMIC_TEST_VAR") ? getenv("MIMIC_TEST_VAR") : "(unset)");
    fd = mkstemp(path);
    if (fd < 0 || write(fd, "written and read back", 21) != 21)
        return 10;
    lseek(fd, 0, SEEK_SET);
    if (read(fd, buf, sizeof(buf) - 1) != 21)
        return 11;
    close(fd);
    unlink(path);
    printf("file: %s\n", buf);
    printf("%.6f %lld %s\n", 3.0 / 7.0, 1234567890123ll * 3, "done");
    return argc == 1 ? 0 : 3;
}
