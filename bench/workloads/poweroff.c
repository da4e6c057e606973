/* An init that powers the machine off at once: the "boot to poweroff"
   row measures firmware + kernel start-up and shutdown alone. */
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
