/* Placeholder until the command line lands: keeps the tree building. */
#include <stdio.h>

int main(void)
{
    fputs("pktscope: not built yet\n", stderr);
    return 2;
}
