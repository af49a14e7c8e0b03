/*
 * The key table: which key code makes which request (requests.def), in every view or in one
 * view only (tig's keymaps). The names the help shows are made from the codes bound here, so the
 * help, `pktscope --list-keys` and the man page's KEYS section (checked by the man_keys test)
 * cannot drift from what the keys do.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ui/internal.h"

#define CTRL(c) ((c)&0x1f)

struct req_info {
    const char *group;
    const char *help;
};

static const struct req_info req_info[REQ__COUNT] = {
    [REQ_NONE] = {"", ""},
#define REQ(id, group, help) [id] = {group, help},
#include "ui/requests.def"
#undef REQ
};

struct key_binding {
    int key;
    enum request req;
    const struct view_ops *view; /* NULL: every view */
};

static const struct key_binding bindings[] = {
    {'Q', REQ_QUIT, NULL},
    {'q', REQ_CLOSE, NULL},
    {27, REQ_BACK, NULL},
    {KEY_BACKSPACE, REQ_BACK, NULL},
    {127, REQ_BACK, NULL},
    {CTRL('h'), REQ_BACK, NULL},
    {'?', REQ_HELP, NULL},
    {KEY_F(1), REQ_HELP, NULL},
    {CTRL('l'), REQ_REDRAW, NULL},
    {'\t', REQ_NEXT_PANE, NULL},
    {KEY_BTAB, REQ_PREV_PANE, NULL},
    {'z', REQ_ZOOM, NULL},
    {'k', REQ_UP, NULL},
    {KEY_UP, REQ_UP, NULL},
    {'j', REQ_DOWN, NULL},
    {KEY_DOWN, REQ_DOWN, NULL},
    {'h', REQ_LEFT, NULL},
    {KEY_LEFT, REQ_LEFT, NULL},
    {'l', REQ_RIGHT, NULL},
    {KEY_RIGHT, REQ_RIGHT, NULL},
    {KEY_PPAGE, REQ_PAGE_UP, NULL},
    {'b', REQ_PAGE_UP, NULL},
    {KEY_NPAGE, REQ_PAGE_DOWN, NULL},
    {CTRL('u'), REQ_HALF_UP, NULL},
    {CTRL('d'), REQ_HALF_DOWN, NULL},
    {'g', REQ_HOME, NULL},
    {KEY_HOME, REQ_HOME, NULL},
    {'G', REQ_END, NULL},
    {KEY_END, REQ_END, NULL},
    {'\n', REQ_ENTER, NULL},
    {'\r', REQ_ENTER, NULL},
    {KEY_ENTER, REQ_ENTER, NULL},
    {' ', REQ_TOGGLE, NULL},
    {'e', REQ_EXPAND_ALL, NULL},
    {'E', REQ_COLLAPSE_ALL, NULL},
    {'/', REQ_SEARCH, NULL},
    {'n', REQ_SEARCH_NEXT, NULL},
    {'N', REQ_SEARCH_PREV, NULL},
    {'f', REQ_FILTER, NULL},
    {':', REQ_GOTO, NULL},
    {'m', REQ_MARK, NULL},
    {']', REQ_NEXT_MARK, NULL},
    {'[', REQ_PREV_MARK, NULL},
    {'w', REQ_WRITE_PACKETS, NULL},
    {'t', REQ_TIME, NULL},
    {'o', REQ_OSI, NULL},
    {'a', REQ_FOLLOW_NEW, NULL},
    {'p', REQ_PAUSE, NULL},
    {'.', REQ_STEP, NULL},
    {',', REQ_STEP_BACK, NULL},
    {'c', REQ_VIEW_CONNS, NULL},
    {'L', REQ_VIEW_LADDER, NULL},
    {'F', REQ_VIEW_FOLLOW, NULL},
    {'s', REQ_VIEW_STATS, NULL},
    {'H', REQ_VIEW_HOSTS, NULL}, /* hosts */
    {'D', REQ_VIEW_FLOW, NULL},  /* flow */
    {'P', REQ_VIEW_QUIZ, NULL},
    {'V', REQ_VIEW_COMPARE, NULL},
    {'C', REQ_VIEW_COLUMNS, NULL},
    {'>', REQ_SORT_NEXT, &view_conns_ops},
    {'<', REQ_SORT_PREV, &view_conns_ops},
    {'r', REQ_SORT_REVERSE, &view_conns_ops},
    {'S', REQ_SAVE_SVG, &view_ladder_ops},
    {'M', REQ_SAVE_MERMAID, &view_ladder_ops},
    {'U', REQ_SAVE_PLANTUML, &view_ladder_ops},
    {'T', REQ_SAVE_TEXT, &view_ladder_ops}, /* flow */
    {'S', REQ_SAVE_SVG, &view_flow_ops},
    {'M', REQ_SAVE_MERMAID, &view_flow_ops},
    {'U', REQ_SAVE_PLANTUML, &view_flow_ops},
    {'T', REQ_SAVE_TEXT, &view_flow_ops},
    {'x', REQ_HEX, &view_follow_ops},
    {'a', REQ_COLUMN_ADD, &view_columns_ops},
    {'d', REQ_COLUMN_REMOVE, &view_columns_ops},
    {'<', REQ_COLUMN_LEFT, &view_columns_ops},
    {'>', REQ_COLUMN_RIGHT, &view_columns_ops},
    {0, REQ_NONE, NULL},
};

enum request keys_request(int ch, const struct view_ops *v)
{
    enum request any = REQ_NONE;
    for (const struct key_binding *b = bindings; b->req != REQ_NONE; b++) {
        if (b->key != ch)
            continue;
        if (b->view && b->view == v)
            return b->req;
        if (!b->view && any == REQ_NONE)
            any = b->req;
    }
    return any;
}

/* A key's name as the help writes it: "q", "Esc", "Ctrl-L", "PgUp", "F1". */
static const char *key_label(int key, char *buf, size_t size)
{
    static const struct {
        int key;
        const char *name;
    } named[] = {
        {27, "Esc"},
        {KEY_BACKSPACE, "Backspace"},
        {127, "Backspace"},
        {'\t', "Tab"},
        {KEY_BTAB, "Shift-Tab"},
        {KEY_UP, "Up"},
        {KEY_DOWN, "Down"},
        {KEY_LEFT, "Left"},
        {KEY_RIGHT, "Right"},
        {KEY_PPAGE, "PgUp"},
        {KEY_NPAGE, "PgDn"},
        {KEY_HOME, "Home"},
        {KEY_END, "End"},
        {'\n', "Enter"},
        {'\r', "Enter"},
        {KEY_ENTER, "Enter"},
        {' ', "Space"},
    };
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (named[i].key == key)
            return named[i].name;
    if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, size, "F%d", key - KEY_F(0));
    else if (key >= 1 && key <= 26)
        snprintf(buf, size, "Ctrl-%c", 'A' + key - 1);
    else if (key > ' ' && key < 127)
        snprintf(buf, size, "%c", key);
    else
        snprintf(buf, size, "key %d", key);
    return buf;
}

const char *keys_help(enum request r)
{
    return r < REQ__COUNT ? req_info[r].help : "";
}

const char *keys_names(enum request r)
{
    /* Made once, from the bindings: each key's name once, in the table's order. */
    static char names[REQ__COUNT][48];
    static bool made;
    if (!made) {
        for (const struct key_binding *b = bindings; b->req != REQ_NONE; b++) {
            char buf[16];
            const char *label = key_label(b->key, buf, sizeof(buf));
            char *n = names[b->req];
            size_t len = strlen(n), k = strlen(label);
            bool seen = false;
            for (const char *at = n; (at = strstr(at, label)) != NULL; at += k)
                if ((at == n || at[-1] == ' ') && (at[k] == ' ' || at[k] == '\0'))
                    seen = true;
            if (!seen && len + k + 2 < sizeof(names[0]))
                snprintf(n + len, sizeof(names[0]) - len, "%s%s", len ? " " : "", label);
        }
        made = true;
    }
    return r < REQ__COUNT ? names[r] : "";
}

const char *keys_group(enum request r)
{
    return r < REQ__COUNT ? req_info[r].group : "";
}

void ui_list_keys(FILE *out)
{
    for (unsigned r = REQ_NONE + 1; r < REQ__COUNT; r++)
        fprintf(out, "%s\t%s\t%s\n", keys_group((enum request)r), keys_names((enum request)r),
                keys_help((enum request)r));
}
