/*
 * The key table: every request of requests.def with the key codes bound to it. The help view
 * reads the same table (keys_names/keys_help), so what the help says is what the keys do.
 */
#include <stddef.h>

#include "ui/internal.h"

#define CTRL(c) ((c)&0x1f)

struct req_info {
    const char *group;
    const char *keys;
    const char *help;
};

static const struct req_info req_info[REQ__COUNT] = {
    [REQ_NONE] = {"", "", ""},
#define REQ(id, group, keys, help) [id] = {group, keys, help},
#include "ui/requests.def"
#undef REQ
};

struct key_binding {
    int key;
    enum request req;
};

/* Key codes for the requests; the `keys` text of requests.def names the same keys. */
static const struct key_binding bindings[] = {
    {'Q', REQ_QUIT},
    {'q', REQ_CLOSE},
    {27, REQ_BACK},
    {KEY_BACKSPACE, REQ_BACK},
    {127, REQ_BACK},
    {CTRL('h'), REQ_BACK},
    {'?', REQ_HELP},
    {KEY_F(1), REQ_HELP},
    {CTRL('l'), REQ_REDRAW},
    {'\t', REQ_NEXT_PANE},
    {KEY_BTAB, REQ_PREV_PANE},
    {'z', REQ_ZOOM},
    {'k', REQ_UP},
    {KEY_UP, REQ_UP},
    {'j', REQ_DOWN},
    {KEY_DOWN, REQ_DOWN},
    {'h', REQ_LEFT},
    {KEY_LEFT, REQ_LEFT},
    {'l', REQ_RIGHT},
    {KEY_RIGHT, REQ_RIGHT},
    {KEY_PPAGE, REQ_PAGE_UP},
    {'b', REQ_PAGE_UP},
    {KEY_NPAGE, REQ_PAGE_DOWN},
    {CTRL('u'), REQ_HALF_UP},
    {CTRL('d'), REQ_HALF_DOWN},
    {'g', REQ_HOME},
    {KEY_HOME, REQ_HOME},
    {'G', REQ_END},
    {KEY_END, REQ_END},
    {'\n', REQ_ENTER},
    {'\r', REQ_ENTER},
    {KEY_ENTER, REQ_ENTER},
    {' ', REQ_TOGGLE},
    {'e', REQ_EXPAND_ALL},
    {'E', REQ_COLLAPSE_ALL},
    {'/', REQ_SEARCH},
    {'n', REQ_SEARCH_NEXT},
    {'N', REQ_SEARCH_PREV},
    {'f', REQ_FILTER},
    {':', REQ_GOTO},
    {'m', REQ_MARK},
    {']', REQ_NEXT_MARK},
    {'[', REQ_PREV_MARK},
    {'t', REQ_TIME},
    {'o', REQ_OSI},
    {'a', REQ_FOLLOW_NEW},
    {'p', REQ_PAUSE},
    {'.', REQ_STEP},
    {'c', REQ_VIEW_CONNS},
    {'L', REQ_VIEW_LADDER},
    {'F', REQ_VIEW_FOLLOW},
    {'s', REQ_VIEW_STATS},
    {'>', REQ_SORT_NEXT},
    {'<', REQ_SORT_PREV},
    {'r', REQ_SORT_REVERSE},
    {'S', REQ_SAVE_SVG},
    {'M', REQ_SAVE_MERMAID},
    {'U', REQ_SAVE_PLANTUML},
    {'x', REQ_HEX},
    {0, REQ_NONE},
};

enum request keys_request(int ch)
{
    for (const struct key_binding *b = bindings; b->req != REQ_NONE; b++)
        if (b->key == ch)
            return b->req;
    return REQ_NONE;
}

const char *keys_help(enum request r)
{
    return r < REQ__COUNT ? req_info[r].help : "";
}

const char *keys_names(enum request r)
{
    return r < REQ__COUNT ? req_info[r].keys : "";
}

const char *keys_group(enum request r)
{
    return r < REQ__COUNT ? req_info[r].group : "";
}
