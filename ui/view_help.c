/*
 * The help view, generated from the request table (requests.def via keys.c): every key the UI
 * knows, grouped, with its help text. A key cannot exist without a line here.
 */
#include <string.h>

#include "format/colorrules.h"
#include "ui/internal.h"

struct help_priv {
    struct lines ls;
};

static void help_open(struct ui *ui, struct view *v)
{
    (void)ui;
    struct help_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    struct line *l = lines_begin(&p->ls, ATTR_HEADER);
    (void)l;
    lines_addf(&p->ls, ATTR_HEADER, "pktscope %s: keys (q or Esc closes this help)",
               PKTSCOPE_VERSION);
    lines_end(&p->ls);
    /* The key column is as wide as its longest entry, so a help text never runs into it. */
    int keys_width = 0;
    for (unsigned r = REQ_NONE + 1; r < REQ__COUNT; r++) {
        int n = (int)strlen(keys_names((enum request)r));
        if (n > keys_width)
            keys_width = n;
    }
    const char *group = NULL;
    for (unsigned r = REQ_NONE + 1; r < REQ__COUNT; r++) {
        const char *g = keys_group((enum request)r);
        if (!group || strcmp(g, group) != 0) {
            lines_begin(&p->ls, ATTR_NORMAL);
            lines_end(&p->ls);
            lines_begin(&p->ls, ATTR_HEADER);
            lines_add(&p->ls, ATTR_HEADER, g, strlen(g));
            lines_end(&p->ls);
            group = g;
        }
        lines_begin(&p->ls, ATTR_NORMAL);
        lines_addf(&p->ls, ATTR_VALUE, "  %-*s  ", keys_width, keys_names((enum request)r));
        const char *h = keys_help((enum request)r);
        lines_add(&p->ls, ATTR_NORMAL, h, strlen(h));
        lines_end(&p->ls);
    }
    static const char *const notes[] = {
        "",
        "Mouse: click selects a row, a byte or opens a layer; the wheel scrolls.",
        "Phase colours (TCP rows, the selected row): handshake green, data blue, teardown "
        "yellow, reset red; NO_COLOR=1 for none.",
        "Phases and states follow RFC 9293; connection outcomes use Zeek's conn_state codes.",
        "pending (pend): a file is listed whole first; that packet is not analysed yet (the "
        "title shows how far) and is shown on its own until it is.",
        NULL,
    };
    for (unsigned i = 0; notes[i]; i++) {
        lines_begin(&p->ls, ATTR_NOTE);
        lines_add(&p->ls, ATTR_NOTE, notes[i], strlen(notes[i]));
        lines_end(&p->ls);
    }
    /* colorrules: the legend, each rule's name in its own colour */
    lines_begin(&p->ls, ATTR_NORMAL);
    lines_end(&p->ls);
    lines_begin(&p->ls, ATTR_HEADER);
    lines_addf(&p->ls, ATTR_HEADER,
               "Packet list rows: Wireshark's colouring rules, the first that matches");
    lines_end(&p->ls);
    for (size_t i = 0; i < color_rules_count; i++) {
        lines_begin(&p->ls, ATTR_NORMAL);
        lines_add(&p->ls, ATTR_NORMAL, "  ", 2);
        lines_addf(&p->ls, color_rules[i].attr, "%-22s", color_rules[i].name);
        lines_addf(&p->ls, ATTR_NORMAL, " %-19s %s", color_rules[i].color, color_rules[i].filter);
        lines_end(&p->ls);
    }
    lines_begin(&p->ls, ATTR_NOTE);
    lines_addf(&p->ls, ATTR_NOTE,
               "Not decided (pktscope does not dissect them): HSRP, STP, OSPF state changes, "
               "SCTP ABORT, SMB, DCERPC, Routing, System Event.");
    lines_end(&p->ls);
    /* end colorrules */
}

static void help_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct help_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
}

static void help_draw(struct ui *ui, struct view *v)
{
    struct help_priv *p = v->priv;
    ui_draw_bar(ui, v, true, " Help");
    ui_draw_lines(ui, v, &p->ls, false);
}

static bool help_request(struct ui *ui, struct view *v, enum request r)
{
    struct help_priv *p = v->priv;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    size_t max_top = p->ls.n > rows ? p->ls.n - rows : 0;
    size_t half = rows / 2 ? rows / 2 : 1;
    (void)ui;
    /* No cursor here: every movement scrolls the page. */
    switch (r) {
    case REQ_UP:
        v->top -= v->top > 0;
        break;
    case REQ_DOWN:
        v->top += v->top < max_top;
        break;
    case REQ_PAGE_UP:
        v->top -= v->top < rows ? v->top : rows;
        break;
    case REQ_PAGE_DOWN:
        v->top = v->top + rows < max_top ? v->top + rows : max_top;
        break;
    case REQ_HALF_UP:
        v->top -= v->top < half ? v->top : half;
        break;
    case REQ_HALF_DOWN:
        v->top = v->top + half < max_top ? v->top + half : max_top;
        break;
    case REQ_HOME:
        v->top = 0;
        break;
    case REQ_END:
        v->top = max_top;
        break;
    default:
        return false;
    }
    v->cur = v->top;
    return true;
}

const struct view_ops view_help_ops = {
    .name = "help",
    .open = help_open,
    .draw = help_draw,
    .request = help_request,
    .close = help_close,
};
