/* A riscv64 program that tests/unit/test-user-elfload.c loads (static and
   dynamic): initialised data and a bss larger than a page. */
int data_word = 42;
char bss_buf[70000];

int main(int argc, char **argv)
{
    return bss_buf[argc] + data_word;
}
