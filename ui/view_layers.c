/*
 * The layers pane: the selected packet's layers on the OSI model (or, toggled with o, the
 * TCP/IP model's five layers), each expanding to its fields with the teaching notes and the
 * tracker's why text. The text is format_layers()' (the same as -V prints); this pane only folds
 * it: every top-level line (the frame, each layer, the connection) is a node that expands to the
 * deeper lines below it. Which nodes are open is remembered by protocol, so walking down the list
 * keeps TCP open if the user opened it.
 */
#include <string.h>

#include "track/hosts.h"
#include "ui/internal.h"

enum { KEY_FRAME = PROTO__COUNT, KEY_TRACKER, KEY__COUNT };

struct layers_priv {
    struct lines all;
    size_t *vis; /* indices of visible lines */
    size_t nvis, vis_cap;
    bool expanded[KEY__COUNT];
};

static struct layers_priv *priv_of(struct ui *ui)
{
    return ui->panes[PANE_LAYERS].priv;
}

/* The node key of top-level line i. */
static unsigned node_key(const struct ui *ui, const struct layers_priv *p, size_t i)
{
    const struct line *l = &p->all.v[i];
    if (l->ref <= -2) {
        size_t li = (size_t)(-2 - l->ref);
        if (li < ui->d->nlayers && ui->d->layers[li].proto < PROTO__COUNT)
            return ui->d->layers[li].proto;
        return KEY_FRAME;
    }
    return i == 0 ? KEY_FRAME : KEY_TRACKER;
}

static size_t parent_of(const struct layers_priv *p, size_t i)
{
    while (i > 0 && p->all.v[i].depth > 0)
        i--;
    return i;
}

static void rebuild_vis(struct ui *ui, struct layers_priv *p)
{
    p->nvis = 0;
    bool open = false;
    for (size_t i = 0; i < p->all.n; i++) {
        const struct line *l = &p->all.v[i];
        if (l->depth == 0) {
            open = p->expanded[node_key(ui, p, i)];
        } else if (!open) {
            continue;
        }
        p->vis = xgrow(p->vis, &p->vis_cap, p->nvis + 1, sizeof(*p->vis));
        p->vis[p->nvis++] = i;
    }
}

/* The highlighted bytes follow the line under the cursor. */
static void update_mark(struct ui *ui, struct view *v)
{
    struct layers_priv *p = v->priv;
    if (!ui->pkt_ok || p->nvis == 0) {
        ui->mark_off = ui->mark_len = 0;
        ui->sel_field = -1;
        view_bytes_reload(ui);
        return;
    }
    const struct line *l = &p->all.v[p->vis[v->cur < p->nvis ? v->cur : p->nvis - 1]];
    ui->sel_field = l->ref >= 0 ? l->ref : -1;
    ui->mark_off = l->ref_off;
    ui->mark_len = l->ref_len;
    /* (The mark may lie in reassembled bytes, which the bytes pane shows after the frame's.) */
    size_t shown = ui->d->data_len > ui->d->caplen ? ui->d->data_len : ui->d->caplen;
    if (ui->mark_len && ui->mark_off < shown)
        ui->byte_cursor = ui->mark_off;
    view_bytes_reload(ui);
}

void view_layers_reload(struct ui *ui)
{
    struct view *v = &ui->panes[PANE_LAYERS];
    struct layers_priv *p = priv_of(ui);
    if (!p)
        return;
    /* Keep the cursor on the same kind of line (same field or layer) across packets. */
    int32_t old_ref = -1;
    if (p->nvis && v->cur < p->nvis)
        old_ref = p->all.v[p->vis[v->cur]].ref;
    lines_reset(&p->all);
    if (ui->pkt_ok && ui->cur_idx != SIZE_MAX && ui->cur_idx >= ui->idx.n) {
        /* Listed from the file's outline, ahead of the analysis (ingest.c). */
        lines_begin(&p->all, ATTR_WARN)->depth = 0;
        lines_addf(&p->all, ATTR_WARN,
                   "Not analysed yet: this packet alone, without its connection or reassembly");
        lines_end(&p->all);
    }
    if (ui->pkt_ok) {
        struct track_info ti_buf;
        format_layers(&p->all, &ui->pkt, ui->d,
                      ui->cur_idx != SIZE_MAX ? index_ti(&ui->idx, ui->cur_idx, &ti_buf) : NULL,
                      ui->tcpip ? FMT_LAYERS_TCPIP : 0);
        /* The subnet test, with what the packets before this one taught (-V's too). */
        struct subnet_test st;
        if (hosts_subnet_test(ui->network, ui->d, ui->pkt.number, &st))
            format_subnet_test(&p->all, ui->d, &st);
    }
    rebuild_vis(ui, p);
    v->cur = 0;
    for (size_t k = 0; k < p->nvis && old_ref != -1; k++)
        if (p->all.v[p->vis[k]].ref == old_ref) {
            v->cur = k;
            break;
        }
    ui->dirty = true;
}

static void set_cursor_line(struct ui *ui, struct view *v, size_t line)
{
    struct layers_priv *p = v->priv;
    for (size_t k = 0; k < p->nvis; k++)
        if (p->vis[k] == line) {
            v->cur = k;
            break;
        }
    (void)ui;
}

void view_layers_select_byte(struct ui *ui, uint32_t off)
{
    struct view *v = &ui->panes[PANE_LAYERS];
    struct layers_priv *p = v->priv;
    if (!p || !ui->pkt_ok)
        return;
    const struct dissection *d = ui->d;
    int best = -1;
    for (unsigned fi = 0; fi < d->nfields; fi++) {
        const struct field *f = &d->fields[fi];
        if (f->len == 0 || off < f->offset || off - f->offset >= f->len)
            continue;
        if (best < 0 || f->len <= d->fields[best].len)
            best = (int)fi;
    }
    size_t target = SIZE_MAX;
    for (size_t i = 0; i < p->all.n; i++) {
        const struct line *l = &p->all.v[i];
        if (best >= 0 ? l->ref == best
                      : (l->ref <= -2 && l->ref_len && off >= l->ref_off &&
                         off - l->ref_off < l->ref_len))
            target = i; /* the last (innermost) layer wins when no field owns the byte */
        if (best >= 0 && target != SIZE_MAX)
            break;
    }
    if (target == SIZE_MAX)
        return;
    size_t parent = parent_of(p, target);
    p->expanded[node_key(ui, p, parent)] = true;
    rebuild_vis(ui, p);
    set_cursor_line(ui, v, target);
    const struct line *l = &p->all.v[target];
    ui->sel_field = l->ref >= 0 ? l->ref : -1;
    ui->mark_off = l->ref_off;
    ui->mark_len = l->ref_len;
    view_bytes_reload(ui);
    ui->dirty = true;
}

static void layers_open(struct ui *ui, struct view *v)
{
    (void)ui;
    struct layers_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->all);
    v->priv = p;
}

static void layers_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct layers_priv *p = v->priv;
    if (p) {
        lines_release(&p->all);
        free(p->vis);
        free(p);
    }
    v->priv = NULL;
}

static void layers_draw(struct ui *ui, struct view *v)
{
    struct layers_priv *p = v->priv;
    bool focused = ui->focus == PANE_LAYERS && ui->depth == 0;
    char title[160];
    snprintf(title, sizeof(title), " Layers (%s)%s", ui->tcpip ? "TCP/IP model" : "OSI model",
             focused ? "  Space/l/h open+close  e/E all  o OSI<->TCP/IP  Tab next pane" : "");
    ui_draw_bar(ui, v, focused, title);
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 0;
    ui_nav(v, p->nvis, rows, REQ_NONE);
    if (v->cur >= p->nvis)
        v->cur = p->nvis ? p->nvis - 1 : 0;
    if (v->cur < v->top)
        v->top = v->cur;
    if (rows && v->cur >= v->top + rows)
        v->top = v->cur - rows + 1;
    for (size_t r = 0; r < rows; r++) {
        size_t k = v->top + r;
        int y = v->y + 1 + (int)r;
        if (k >= p->nvis) {
            if (k == 0 && r == 0)
                ui_draw_text(ui, y, v->x, v->w, colors_attr(ATTR_DIM),
                             ui->pkt_ok ? "" : "  (no packet selected)");
            else
                ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        size_t i = p->vis[k];
        const struct line *l = &p->all.v[i];
        attr_t extra = (k == v->cur && focused) ? colors_cursor() : (k == v->cur) ? A_BOLD : 0;
        const char *mark = "  ";
        if (l->depth == 0)
            mark = p->expanded[node_key(ui, p, i)] ? "- " : "+ ";
        ui_draw_text(ui, y, v->x, 2, extra | colors_attr(ATTR_DIM), mark);
        ui_draw_line(ui, y, v->x + 2, v->w - 2, l, v->hscroll, extra);
    }
}

static bool layers_request(struct ui *ui, struct view *v, enum request r)
{
    struct layers_priv *p = v->priv;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    if (p->nvis == 0)
        return r == REQ_UP || r == REQ_DOWN;
    size_t line = p->vis[v->cur < p->nvis ? v->cur : p->nvis - 1];
    size_t parent = parent_of(p, line);
    unsigned key = node_key(ui, p, parent);
    switch (r) {
    case REQ_TOGGLE:
    case REQ_ENTER:
        p->expanded[key] = !p->expanded[key];
        rebuild_vis(ui, p);
        set_cursor_line(ui, v, parent);
        break;
    case REQ_RIGHT:
        if (!p->expanded[key]) {
            p->expanded[key] = true;
            rebuild_vis(ui, p);
        } else if (v->cur + 1 < p->nvis) {
            v->cur++;
        }
        break;
    case REQ_LEFT:
        if (line != parent) {
            set_cursor_line(ui, v, parent);
        } else if (p->expanded[key]) {
            p->expanded[key] = false;
            rebuild_vis(ui, p);
            set_cursor_line(ui, v, parent);
        }
        break;
    case REQ_EXPAND_ALL:
    case REQ_COLLAPSE_ALL:
        for (unsigned k = 0; k < KEY__COUNT; k++)
            p->expanded[k] = r == REQ_EXPAND_ALL;
        rebuild_vis(ui, p);
        set_cursor_line(ui, v, parent);
        break;
    default:
        if (!ui_nav(v, p->nvis, rows, r))
            return false;
        if (r == REQ_LEFT || r == REQ_RIGHT)
            return true;
        break;
    }
    update_mark(ui, v);
    ui->dirty = true;
    return true;
}

static void layers_click(struct ui *ui, struct view *v, int row, int col)
{
    struct layers_priv *p = v->priv;
    size_t k = v->top + (size_t)row;
    if (k >= p->nvis)
        return;
    v->cur = k;
    if (col < 2 && p->all.v[p->vis[k]].depth == 0)
        layers_request(ui, v, REQ_TOGGLE);
    else
        update_mark(ui, v);
}

const struct view_ops view_layers_ops = {
    .name = "layers",
    .open = layers_open,
    .draw = layers_draw,
    .request = layers_request,
    .close = layers_close,
    .click = layers_click,
};
