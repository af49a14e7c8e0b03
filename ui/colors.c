/*
 * The one colour table (tig's line_info): each semantic attribute of format/line.h gets a
 * foreground/background pair for colour terminals and a monochrome attribute for the others, for
 * NO_COLOR users (https://no-color.org) and for vt100. No other file picks a colour.
 */
#include <stdlib.h>

#include "ui/internal.h"

struct color_def {
    short fg, bg;       /* -1: the terminal's default */
    attr_t color_extra; /* added in colour mode (bold...) */
    attr_t mono;        /* used when there are no colours */
};

static const struct color_def table[ATTR__COUNT] = {
    [ATTR_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ATTR_HEADER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [ATTR_DIM] = {COLOR_BLUE, -1, A_NORMAL, A_DIM},
    [ATTR_LABEL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ATTR_VALUE] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [ATTR_ADDR] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ATTR_PORT] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ATTR_PROTO] = {-1, -1, A_BOLD, A_BOLD},
    [ATTR_HANDSHAKE] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ATTR_DATA] = {COLOR_BLUE, -1, A_BOLD, A_NORMAL},
    [ATTR_TEARDOWN] = {COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE},
    [ATTR_RESET] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ATTR_SYN] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ATTR_FIN] = {COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE},
    [ATTR_RST] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ATTR_WARN] = {COLOR_YELLOW, -1, A_NORMAL, A_BOLD},
    [ATTR_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [ATTR_MARK] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE},
    [ATTR_NOTE] = {COLOR_MAGENTA, -1, A_NORMAL, A_DIM},
    [ATTR_ORIG] = {COLOR_RED, -1, A_NORMAL, A_BOLD},
    [ATTR_RESP] = {COLOR_BLUE, -1, A_NORMAL, A_NORMAL},
};

enum { PAIR_TITLE = ATTR__COUNT + 1, PAIR_PANE, PAIR_FOCUS };

static bool use_color;

void colors_init(void)
{
    const char *nc = getenv("NO_COLOR");
    use_color = has_colors() && !(nc && nc[0]);
    if (!use_color)
        return;
    if (start_color() == ERR) {
        use_color = false;
        return;
    }
    use_default_colors();
    for (unsigned a = 0; a < ATTR__COUNT; a++)
        init_pair((short)(a + 1), table[a].fg, table[a].bg);
    init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(PAIR_PANE, COLOR_BLACK, COLOR_WHITE);
    init_pair(PAIR_FOCUS, COLOR_WHITE, COLOR_BLUE);
}

bool colors_enabled(void)
{
    return use_color;
}

attr_t colors_attr(unsigned attr)
{
    if (attr >= ATTR__COUNT)
        attr = ATTR_NORMAL;
    if (!use_color)
        return table[attr].mono;
    return COLOR_PAIR(attr + 1) | table[attr].color_extra;
}

attr_t colors_title(void)
{
    return use_color ? (COLOR_PAIR(PAIR_TITLE) | A_BOLD) : A_REVERSE;
}

attr_t colors_pane(bool focused)
{
    if (!use_color)
        return focused ? (A_REVERSE | A_BOLD) : A_UNDERLINE;
    return focused ? (COLOR_PAIR(PAIR_FOCUS) | A_BOLD) : COLOR_PAIR(PAIR_PANE);
}

attr_t colors_cursor(void)
{
    return A_REVERSE;
}
