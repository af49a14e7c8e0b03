/*
 * ui: the ncurses terminal interface, the only code that includes curses.
 */
#ifndef PKTSCOPE_UI_UI_H
#define PKTSCOPE_UI_UI_H

#include "capture/source.h"

struct ui_args {
    struct source *src;      /* owned by the UI from here on (closed on exit); NULL: picker */
    const char *filter;      /* initial BPF display filter, or NULL */
    bool step;               /* start paused */
    double replay_speed;     /* 0: as fast as possible */
    uint32_t max_flows;
};

/* Runs until the user quits; returns the process exit status. */
int ui_run(const struct ui_args *args);

#endif
