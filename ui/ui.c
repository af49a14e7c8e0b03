/* Placeholder until the terminal UI lands. */
#include <stdio.h>

#include "ui/ui.h"

int ui_run(const struct ui_args *args)
{
    (void)args;
    fputs("pktscope: the terminal UI is not built yet; use --print\n", stderr);
    return 2;
}
