/*
 * The ladder view: one connection as a sequence diagram (format/ladder.h: lanes headed by
 * address:port and service, one arrow per packet with flags, relative seq/ack and length, the
 * endpoints' RFC 9293 states where they change, the phases bracketed). The model is built in the
 * background from the index (the connection's packets are re-read and re-dissected), and it
 * keeps growing while packets of the connection arrive.
 *
 * Folding: runs of ten or more plain data segments (no state change, no analysis label) fold
 * into one line ("37 data segments, 52 KB"); Space folds or unfolds the run under the cursor.
 * Moving onto an arrow selects its packet in the other views; Enter goes to it. T, S, M and U
 * save the diagram as text, SVG, Mermaid or PlantUML through the same renderers as --ladder
 * --format, with the runs folded as on the screen, to a file named at a prompt (ui/save.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/conns.h"
#include "format/ladder.h"
#include "ui/internal.h"

#define FOLD_MIN 10

struct run {
    size_t first, last; /* arrow indices */
    bool folded;
};

struct row {
    int32_t line; /* >= 0: a rendered line; < 0: -1 - run index (a folded run) */
};

struct ladder_priv {
    struct ladder *l;
    uint8_t proto;
    uint32_t stream;
    uint64_t scan_frame; /* the next frame to look at (frames, not indices: see ui_frame) */
    size_t rendered_n;
    int64_t rendered_ms;
    struct lines out;
    struct run *runs;
    size_t nruns, runs_cap;
    struct row *rows;
    size_t nrows, rows_cap;
    struct lines fold_line;
    bool fold_default;
    struct ui_diagram dg;
};

static bool plain_data(const struct ladder_arrow *a)
{
    return a->phase == PHASE_DATA && !(a->ti_flags & TI_STATE_CHANGE) && a->analysis == 0 &&
           !(a->tcp_flags & (TCP_SYN | TCP_FIN | TCP_RST));
}

static void find_runs(struct ladder_priv *p)
{
    /* Keep the folded state of runs that still start at the same arrow. */
    struct run *old = p->runs;
    size_t nold = p->nruns;
    p->runs = NULL;
    p->nruns = p->runs_cap = 0;
    const struct ladder *l = p->l;
    for (size_t i = 0; i < l->n;) {
        if (!plain_data(&l->v[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < l->n && plain_data(&l->v[j]))
            j++;
        if (j - i >= FOLD_MIN) {
            bool folded = p->fold_default;
            for (size_t k = 0; k < nold; k++)
                if (old[k].first == i)
                    folded = old[k].folded;
            p->runs = xgrow(p->runs, &p->runs_cap, p->nruns + 1, sizeof(*p->runs));
            p->runs[p->nruns++] = (struct run){i, j - 1, folded};
        }
        i = j;
    }
    free(old);
}

/* Index of the arrow drawn on line `ref` (a frame number), or SIZE_MAX. */
static size_t arrow_of_frame(const struct ladder *l, uint64_t frame)
{
    return ui_diagram_find(l->v, l->n, sizeof(*l->v), frame);
}

static void build_rows(struct ladder_priv *p)
{
    p->nrows = 0;
    size_t run = 0;
    for (size_t i = 0; i < p->out.n; i++) {
        const struct line *ln = &p->out.v[i];
        if (ln->ref > 0) {
            size_t a = arrow_of_frame(p->l, (uint64_t)ln->ref);
            while (run < p->nruns && a != SIZE_MAX && p->runs[run].last < a)
                run++;
            if (a != SIZE_MAX && run < p->nruns && p->runs[run].folded && a >= p->runs[run].first &&
                a <= p->runs[run].last) {
                if (a == p->runs[run].first) {
                    p->rows = xgrow(p->rows, &p->rows_cap, p->nrows + 1, sizeof(*p->rows));
                    p->rows[p->nrows++].line = -1 - (int32_t)run;
                }
                /* Skip the run's lines up to its last arrow. */
                continue;
            }
        } else if (run < p->nruns && p->runs[run].folded && p->nrows &&
                   p->rows[p->nrows - 1].line == -1 - (int32_t)run) {
            /* a non-arrow line inside a folded run (between its arrows) */
            size_t k = i + 1;
            while (k < p->out.n && p->out.v[k].ref <= 0)
                k++;
            if (k < p->out.n) {
                size_t a = arrow_of_frame(p->l, (uint64_t)p->out.v[k].ref);
                if (a != SIZE_MAX && a > p->runs[run].first && a <= p->runs[run].last)
                    continue;
            }
        }
        p->rows = xgrow(p->rows, &p->rows_cap, p->nrows + 1, sizeof(*p->rows));
        p->rows[p->nrows++].line = (int32_t)i;
    }
}

static void render(struct ladder_priv *p)
{
    lines_reset(&p->out);
    ladder_render(p->l, LADDER_TEXT, &p->out);
    find_runs(p);
    build_rows(p);
    p->rendered_n = p->l->n;
    p->rendered_ms = ui_now_ms();
}

static uint64_t row_frame(const void *ctx, size_t i);
static int print(const void *ctx, enum ladder_format f, FILE *out);

static void ladder_open(struct ui *ui, struct view *v)
{
    struct ladder_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->out);
    lines_init(&p->fold_line);
    p->proto = ui->target_proto;
    p->stream = ui->target_stream;
    p->fold_default = true;
    p->l = ladder_new(p->stream, p->proto);
    p->dg = (struct ui_diagram){.noun = "ladder", .ctx = p, .row_frame = row_frame, .print = print};
    snprintf(p->dg.stem, sizeof(p->dg.stem), "pktscope-%s-stream-%" PRIu32,
             p->proto == PS_IPPROTO_ICMPV6 ? "icmpv6" : conns_proto_name(p->proto), p->stream);
    struct conn buf;
    const struct conn *c = ui_conn(ui, p->proto, p->stream, &buf);
    p->scan_frame = c && c->first_packet ? c->first_packet : 1;
    v->priv = p;
    render(p);
}

static void ladder_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct ladder_priv *p = v->priv;
    if (p) {
        ladder_free(p->l);
        lines_release(&p->out);
        lines_release(&p->fold_line);
        free(p->runs);
        free(p->rows);
        free(p);
    }
}

static bool ladder_work(struct ui *ui, struct view *v)
{
    struct ladder_priv *p = v->priv;
    int64_t deadline = ui_now_ms() + 10;
    unsigned k = 0;
    /* Stepping: the ladder as of the packet shown; after a step back it is built again up to
     * there (from the same packets in the same order, so it is what the step forward drew). */
    size_t limit = ui_asof_count(ui);
    uint64_t limit_frame = ui->idx.base + limit;
    if (p->l->n && p->l->v[p->l->n - 1].frame > limit_frame) {
        ladder_free(p->l);
        p->l = ladder_new(p->stream, p->proto);
        struct conn buf;
        const struct conn *c = ui_conn(ui, p->proto, p->stream, &buf);
        p->scan_frame = c && c->first_packet ? c->first_packet : 1;
        render(p);
        ui->dirty = true;
    }
    size_t i = ui_index_from_frame(ui, p->scan_frame);
    for (; i < limit; i++) {
        struct track_info ti_buf;
        const struct track_info *ti = index_ti(&ui->idx, i, &ti_buf);
        if ((ti->flags & TI_HAS_STREAM) && ti->proto == p->proto && ti->stream == p->stream) {
            struct packet pkt;
            char err[PS_ERRBUF_SIZE];
            if (ui_read_packet(ui, i, &pkt, err) == SOURCE_PACKET) {
                ui_dissect(ui, i, &pkt, ui->scratch);
                ladder_add(p->l, ui->scratch, ti, pkt.ts_sec, pkt.ts_nsec, ui_frame(ui, i));
            }
        }
        if (++k % 128 == 0 && ui_now_ms() >= deadline) {
            i++;
            break;
        }
    }
    p->scan_frame = ui_frame(ui, i);
    bool more = i < limit;
    if (p->l->n != p->rendered_n && (!more || ui_now_ms() - p->rendered_ms >= 250)) {
        render(p);
        ui->dirty = true;
    }
    return more;
}

static void draw_fold(struct ui *ui, struct ladder_priv *p, const struct run *r, int y, int x,
                      int w, attr_t extra)
{
    char text[160];
    struct strbuf sb;
    sb_init(&sb, text, sizeof(text));
    sb_puts(&sb, "      ... ");
    ladder_fold_text(&sb, p->l, &(struct ladder_fold){r->first, r->last});
    sb_puts(&sb, ", Space unfolds ...");
    lines_reset(&p->fold_line);
    lines_begin(&p->fold_line, ATTR_DATA);
    lines_add(&p->fold_line, ATTR_DATA, text, sb.len);
    lines_end(&p->fold_line);
    ui_draw_line(ui, y, x, w, &p->fold_line.v[0], 0, extra);
}

static void ladder_draw(struct ui *ui, struct view *v)
{
    struct ladder_priv *p = v->priv;
    char title[256];
    const char *pn = p->proto == PS_IPPROTO_TCP    ? "TCP"
                     : p->proto == PS_IPPROTO_UDP  ? "UDP"
                     : p->proto == PS_IPPROTO_ICMP ? "ICMP"
                                                   : "ICMPv6";
    snprintf(title, sizeof(title),
             " Ladder: %s stream %" PRIu32 ", %zu arrow%s%s  (Space fold, Enter packet, S svg, "
             "M mermaid, U plantuml)",
             pn, p->stream, p->l->n, p->l->n == 1 ? "" : "s",
             ui_index_from_frame(ui, p->scan_frame) < ui_asof_count(ui) ? ", building..." : "");
    ui_draw_bar(ui, v, true, title);
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 0;
    if (v->cur >= p->nrows)
        v->cur = p->nrows ? p->nrows - 1 : 0;
    if (v->cur < v->top)
        v->top = v->cur;
    if (rows && v->cur >= v->top + rows)
        v->top = v->cur - rows + 1;
    for (size_t r = 0; r < rows; r++) {
        size_t i = v->top + r;
        int y = v->y + 1 + (int)r;
        if (i >= p->nrows) {
            ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        attr_t extra = i == v->cur ? colors_cursor() : 0;
        int32_t ln = p->rows[i].line;
        if (ln >= 0)
            ui_draw_line(ui, y, v->x, v->w, &p->out.v[ln], v->hscroll, extra);
        else
            draw_fold(ui, p, &p->runs[-1 - ln], y, v->x, v->w, extra);
    }
}

/* The arrow (frame number) on display row `i`, or 0. */
static uint64_t row_frame(const void *ctx, size_t i)
{
    const struct ladder_priv *p = ctx;
    if (i >= p->nrows)
        return 0;
    int32_t ln = p->rows[i].line;
    if (ln < 0)
        return p->l->v[p->runs[-1 - ln].first].frame;
    return p->out.v[ln].ref > 0 ? (uint64_t)p->out.v[ln].ref : 0;
}

/* The diagram in a format, the runs folded on the screen folded in the file too. */
static int print(const void *ctx, enum ladder_format f, FILE *out)
{
    const struct ladder_priv *p = ctx;
    struct ladder_fold *folds = p->nruns ? xcalloc(p->nruns, sizeof(*folds)) : NULL;
    size_t nfolds = 0;
    for (size_t k = 0; k < p->nruns; k++)
        if (p->runs[k].folded)
            folds[nfolds++] = (struct ladder_fold){p->runs[k].first, p->runs[k].last};
    int r = ladder_print_folded(p->l, f, folds, nfolds, out);
    free(folds);
    return r;
}

static bool ladder_request(struct ui *ui, struct view *v, enum request r)
{
    struct ladder_priv *p = v->priv;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    switch (r) {
    case REQ_TOGGLE: {
        uint64_t frame = row_frame(p, v->cur);
        size_t a = frame ? arrow_of_frame(p->l, frame) : SIZE_MAX;
        for (size_t k = 0; k < p->nruns && a != SIZE_MAX; k++)
            if (a >= p->runs[k].first && a <= p->runs[k].last) {
                p->runs[k].folded = !p->runs[k].folded;
                build_rows(p);
                /* Keep the cursor on the run's first row. */
                for (size_t i = 0; i < p->nrows; i++)
                    if (row_frame(p, i) == p->l->v[p->runs[k].first].frame) {
                        v->cur = i;
                        break;
                    }
                ui->dirty = true;
                return true;
            }
        ui_message(ui, false, "not in a run of %d or more data segments", FOLD_MIN);
        return true;
    }
    case REQ_EXPAND_ALL:
    case REQ_COLLAPSE_ALL:
        p->fold_default = r == REQ_COLLAPSE_ALL;
        for (size_t k = 0; k < p->nruns; k++)
            p->runs[k].folded = p->fold_default;
        build_rows(p);
        return true;
    default:
        return ui_diagram_request(ui, v, &p->dg, r, p->nrows, rows);
    }
}

static void ladder_click(struct ui *ui, struct view *v, int row, int col)
{
    struct ladder_priv *p = v->priv;
    (void)col;
    ui_diagram_click(ui, v, &p->dg, v->top + (size_t)row, p->nrows);
}

const struct view_ops view_ladder_ops = {
    .name = "ladder",
    .open = ladder_open,
    .draw = ladder_draw,
    .request = ladder_request,
    .close = ladder_close,
    .click = ladder_click,
    .work = ladder_work,
};
