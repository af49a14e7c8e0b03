/*
 * The flow view: every host of the packets the list shows as a lane, one arrow per packet
 * (format/flow.h, the same model and text as --flow), the selected packet highlighted. It follows
 * the list: its display filter (a new filter builds the flow again), stepping (a step back
 * builds it again up to the packet shown) and packets as they arrive.
 *
 * The legend and the lane letters stay at the top; the arrows scroll under them. The text is
 * laid out for the view's width: at 60 columns the lanes narrow, and a label that does not fit
 * ends in "..." after a whole word, never inside an address. Moving onto an arrow selects its
 * packet in the other views; Enter goes to it; T, S, M and U save the flow as text, SVG,
 * Mermaid or PlantUML (the --flow --format renderers) through the save prompt (ui/save.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/flow.h"
#include "ui/internal.h"

struct flow_priv {
    struct flow *f;
    size_t pos;          /* the next position in lf.shown[] to add */
    char *filter;        /* owned: the list's filter text the flow was built for, NULL none */
    uint64_t base;       /* ui->idx.base it was built for (a live capture lets packets go) */
    struct lines out;    /* the text for `width` */
    size_t rendered_n;   /* arrows in `out` */
    int rendered_w;      /* the width `out` was laid out for */
    int64_t rendered_ms; /* when */
    size_t head;         /* lines of `out` before the first arrow: kept at the top */
    uint64_t sel_frame;  /* the selection the cursor was last put on */
    struct ui_diagram dg;
};

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void restart(struct ui *ui, struct flow_priv *p)
{
    flow_free(p->f);
    p->f = flow_new();
    p->pos = 0;
    free(p->filter);
    p->filter = ui->lf.active.text ? xstrdup(ui->lf.active.text) : NULL;
    p->base = ui->idx.base;
    p->rendered_n = SIZE_MAX;
}

static void render(struct flow_priv *p, int width)
{
    lines_reset(&p->out);
    flow_render_text(p->f, width > 1 ? (size_t)width : 1, &p->out);
    p->head = p->out.n;
    for (size_t i = 0; i < p->out.n; i++)
        if (p->out.v[i].ref > 0) {
            p->head = i;
            break;
        }
    p->rendered_n = p->f->n;
    p->rendered_w = width;
    p->rendered_ms = ui_now_ms();
}

/* Puts the cursor on the selected packet's arrow, when it has one. */
static void follow_selection(struct ui *ui, struct view *v, struct flow_priv *p)
{
    if (ui->cur_idx == SIZE_MAX)
        return;
    p->sel_frame = ui_frame(ui, ui->cur_idx);
    size_t a = ui_diagram_find(p->f->v, p->f->n, sizeof(*p->f->v), p->sel_frame);
    if (a != SIZE_MAX)
        v->cur = a;
}

/* The frame of arrow row `i`, or 0. */
static uint64_t row_frame(const void *ctx, size_t i)
{
    const struct flow_priv *p = ctx;
    size_t ln = p->head + i;
    if (ln >= p->out.n || p->out.v[ln].ref <= 0)
        return 0;
    return (uint64_t)p->out.v[ln].ref;
}

static int print(const void *ctx, enum ladder_format f, FILE *out)
{
    const struct flow_priv *p = ctx;
    return flow_print(p->f, f, out);
}

static void flow_open(struct ui *ui, struct view *v)
{
    struct flow_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->out);
    p->dg = (struct ui_diagram){
        .noun = "flow", .stem = "pktscope-flow", .ctx = p, .row_frame = row_frame, .print = print};
    v->priv = p;
    restart(ui, p);
}

static void flow_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct flow_priv *p = v->priv;
    if (p) {
        flow_free(p->f);
        free(p->filter);
        lines_release(&p->out);
        free(p);
    }
}

static bool flow_work(struct ui *ui, struct view *v)
{
    struct flow_priv *p = v->priv;
    size_t vis = ui_visible_count(ui);
    /* A new display filter, a step back, or packets let go: the flow is built again. */
    if (!same_text(p->filter, ui->lf.active.text) || p->base != ui->idx.base || p->pos > vis) {
        restart(ui, p);
        ui->dirty = true;
    }
    int64_t deadline = ui_now_ms() + 10;
    unsigned k = 0;
    for (; p->pos < vis; p->pos++) {
        size_t i = ui_shown_at(ui, p->pos);
        struct packet pkt;
        char err[PS_ERRBUF_SIZE];
        if (i < ui->idx.n && ui_read_packet(ui, i, &pkt, err) == SOURCE_PACKET) {
            ui_dissect(ui, i, &pkt, ui->scratch);
            struct track_info ti_buf;
            flow_add(p->f, ui->scratch, index_ti(&ui->idx, i, &ti_buf), pkt.ts_sec, pkt.ts_nsec,
                     ui_frame(ui, i));
        }
        if (++k % 128 == 0 && ui_now_ms() >= deadline) {
            p->pos++;
            break;
        }
    }
    bool more = p->pos < vis;
    if (p->f->n != p->rendered_n && (!more || ui_now_ms() - p->rendered_ms >= 250)) {
        render(p, v->w);
        follow_selection(ui, v, p);
        ui->dirty = true;
    }
    return more;
}

static void flow_draw(struct ui *ui, struct view *v)
{
    struct flow_priv *p = v->priv;
    if (p->rendered_w != v->w || p->rendered_n == SIZE_MAX)
        render(p, v->w);
    /* A step forward lets a new packet in: the list selects it only when no view is open
     * (draw.c), so the flow does it for the list while it is shown, and the highlight moves. */
    size_t vis = ui_visible_count(ui);
    if (ui->follow_new && ui_stepping(ui) && vis && ui->sel + 1 != vis) {
        ui->sel = vis - 1;
        ui_load_selection(ui);
    }
    if (ui->cur_idx != SIZE_MAX && ui_frame(ui, ui->cur_idx) != p->sel_frame)
        follow_selection(ui, v, p);
    char title[160];
    snprintf(title, sizeof(title),
             " Flow: %zu arrow%s, %zu lane%s%s%s  (Enter packet, T text, S svg, M mermaid, "
             "U plantuml)",
             p->f->n, p->f->n == 1 ? "" : "s", p->f->nlanes, p->f->nlanes == 1 ? "" : "s",
             p->pos < ui_visible_count(ui) ? ", building..." : "", p->filter ? ", filtered" : "");
    ui_draw_bar(ui, v, true, title);
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 0;
    size_t head = p->head < rows ? p->head : rows;
    size_t arrow_rows = rows - head;
    size_t n = p->out.n - p->head;
    for (size_t r = 0; r < head; r++)
        ui_draw_line(ui, v->y + 1 + (int)r, v->x, v->w, &p->out.v[r], v->hscroll, 0);
    if (v->cur >= n)
        v->cur = n ? n - 1 : 0;
    if (v->cur < v->top)
        v->top = v->cur;
    if (arrow_rows && v->cur >= v->top + arrow_rows)
        v->top = v->cur - arrow_rows + 1;
    for (size_t r = 0; r < arrow_rows; r++) {
        size_t i = v->top + r;
        int y = v->y + 1 + (int)(head + r);
        if (i >= n) {
            ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        attr_t extra = i == v->cur ? colors_cursor() : 0;
        ui_draw_line(ui, y, v->x, v->w, &p->out.v[p->head + i], v->hscroll, extra);
    }
}

static bool flow_request(struct ui *ui, struct view *v, enum request r)
{
    struct flow_priv *p = v->priv;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    return ui_diagram_request(ui, v, &p->dg, r, p->out.n - p->head,
                              rows > p->head ? rows - p->head : 1);
}

static void flow_select(struct ui *ui, struct view *v)
{
    follow_selection(ui, v, v->priv);
}

static void flow_click(struct ui *ui, struct view *v, int row, int col)
{
    struct flow_priv *p = v->priv;
    (void)col;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 0;
    size_t head = p->head < rows ? p->head : rows;
    if (row >= 0 && (size_t)row >= head)
        ui_diagram_click(ui, v, &p->dg, v->top + (size_t)row - head, p->out.n - p->head);
}

const struct view_ops view_flow_ops = {
    .name = "flow",
    .open = flow_open,
    .draw = flow_draw,
    .request = flow_request,
    .select = flow_select,
    .close = flow_close,
    .click = flow_click,
    .work = flow_work,
};
