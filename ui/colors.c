/*
 * The one colour table (tig's line_info): each semantic attribute of format/line.h gets a
 * foreground/background pair for colour terminals and a monochrome attribute for the others, for
 * NO_COLOR users (https://no-color.org) and for vt100. No other file picks a colour.
 */
#include <stdlib.h>

#include "format/colorrules.h"
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
    /* colorrules: packet rows by Wireshark's colouring rules; the same colours as --print
     * --color (main/batch.c ansi_attr), the reasons in format/colorrules.c. */
    [ATTR_CR_BAD] = {COLOR_RED, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_ICMPERR] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_ARP] = {COLOR_YELLOW, -1, A_NORMAL, A_NORMAL},
    [ATTR_CR_ICMP] = {COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL},
    [ATTR_CR_RST] = {COLOR_YELLOW, COLOR_RED, A_BOLD, A_NORMAL},
    [ATTR_CR_TTL] = {COLOR_WHITE, COLOR_RED, A_NORMAL, A_NORMAL},
    [ATTR_CR_HTTP] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ATTR_CR_SYNFIN] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_NORMAL},
    [ATTR_CR_UDP] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [ATTR_CR_BCAST] = {-1, -1, A_DIM, A_NORMAL},
    /* end colorrules */
};

/* High contrast, for a projector: every text bold and light on black (a washed-out projector
 * loses dark blue, dim text and thin strokes first), the phases and flags kept apart by hue,
 * the errors and resets white on red. */
static const struct color_def high_contrast[ATTR__COUNT] = {
    [ATTR_NORMAL] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_HEADER] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD},
    [ATTR_DIM] = {COLOR_WHITE, COLOR_BLACK, A_NORMAL, A_NORMAL},
    [ATTR_LABEL] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_VALUE] = {COLOR_CYAN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_ADDR] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_PORT] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_PROTO] = {COLOR_WHITE, COLOR_BLACK, A_BOLD, A_BOLD},
    [ATTR_HANDSHAKE] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_BOLD},
    [ATTR_DATA] = {COLOR_CYAN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_TEARDOWN] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_UNDERLINE},
    [ATTR_RESET] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE},
    [ATTR_SYN] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_BOLD},
    [ATTR_FIN] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_UNDERLINE},
    [ATTR_RST] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE},
    [ATTR_WARN] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD},
    [ATTR_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE},
    [ATTR_MARK] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE},
    [ATTR_NOTE] = {COLOR_MAGENTA, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_ORIG] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_BOLD},
    [ATTR_RESP] = {COLOR_CYAN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_BAD] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_NORMAL},
    [ATTR_CR_ICMPERR] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_NORMAL},
    [ATTR_CR_ARP] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_ICMP] = {COLOR_MAGENTA, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_RST] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_NORMAL},
    [ATTR_CR_TTL] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_NORMAL},
    [ATTR_CR_HTTP] = {COLOR_GREEN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_SYNFIN] = {COLOR_BLACK, COLOR_WHITE, A_BOLD, A_NORMAL},
    [ATTR_CR_UDP] = {COLOR_CYAN, COLOR_BLACK, A_BOLD, A_NORMAL},
    [ATTR_CR_BCAST] = {COLOR_WHITE, COLOR_BLACK, A_NORMAL, A_NORMAL},
};

enum { PAIR_TITLE = ATTR__COUNT + 1, PAIR_PANE, PAIR_FOCUS };

static bool use_color;
static const struct color_def *scheme = table;

void colors_set_high_contrast(bool on)
{
    scheme = on ? high_contrast : table;
}

void colors_init(bool never)
{
    const char *nc = getenv("NO_COLOR");
    use_color = !never && has_colors() && !(nc && nc[0]);
    if (!use_color)
        return;
    if (start_color() == ERR) {
        use_color = false;
        return;
    }
    use_default_colors();
    for (unsigned a = 0; a < ATTR__COUNT; a++)
        init_pair((short)(a + 1), scheme[a].fg, scheme[a].bg);
    if (scheme == high_contrast) {
        /* Black behind everything, the blanks too, and bars in black on white or yellow. */
        init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_WHITE);
        init_pair(PAIR_PANE, COLOR_BLACK, COLOR_WHITE);
        init_pair(PAIR_FOCUS, COLOR_BLACK, COLOR_YELLOW);
        bkgd(' ' | COLOR_PAIR(ATTR_NORMAL + 1));
        return;
    }
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
        return scheme[attr].mono;
    return COLOR_PAIR(attr + 1) | scheme[attr].color_extra;
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
    return scheme == high_contrast && use_color ? (A_REVERSE | A_BOLD) : A_REVERSE;
}

/* ---- colorrules: the packet list's row colours ------------------------------------------ */

#define MAX_COLOR_RULES 32
static struct dfilter *rule_df[MAX_COLOR_RULES];
static bool rules_ready;

uint8_t color_rule_attr(const struct filter_packet *fp)
{
    if (!rules_ready) {
        char err[1024];
        rules_ready = true;
        for (size_t i = 0; i < color_rules_count && i < MAX_COLOR_RULES; i++)
            if (dfilter_compile(color_rules[i].filter, &rule_df[i], err, sizeof(err)) < 0)
                rule_df[i] = NULL; /* tests/unit checks that every rule compiles */
    }
    for (size_t i = 0; i < color_rules_count && i < MAX_COLOR_RULES; i++)
        if (rule_df[i] && dfilter_match(rule_df[i], fp))
            return color_rules[i].attr;
    return ATTR_NORMAL;
}

/* Compiled at the first coloured row; each shown row costs one dissection and up to one filter
 * evaluation per rule (only the rows on screen are drawn). */
void colors_row(struct ui *ui, size_t idx, bool cursor, struct line *l)
{
    if (!use_color || cursor || !l)
        return;
    struct packet pkt;
    struct filter_packet fp;
    struct track_info ti;
    if (!ui_read_view(ui, idx, &pkt, &fp, &ti))
        return;
    uint8_t attr = color_rule_attr(&fp);
    if (attr != ATTR_NORMAL) {
        l->attr = attr;
        l->nspans = 0;
    }
}
