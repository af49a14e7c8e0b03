/*
 * The packet list pane: number, time (relative / absolute / delta), source, destination,
 * protocol, length, phase and info, one row per packet that passes the display filter. Only the
 * rows on screen are dissected (through the summary cache), so a million-packet capture scrolls
 * as fast as a ten-packet one. Columns shrink to fit 80 columns; the phase and info columns take
 * the tracker's colours.
 *
 * Columns other than the default (--columns, the chooser, the settings file: ui/columns.h) are
 * drawn by the configured path below: each column as wide as its widest cell seen, the last
 * one taking the rest of the line and scrolling with h/l. A registry field's cell needs the
 * packet as the display filter sees it, made only for the rows on screen and only when a field
 * column is configured.
 */
#include <inttypes.h>
#include <string.h>

#include "ui/internal.h"
#include "ui/settings.h"

struct list_layout {
    int num, time, src, dst, proto, len, phase, info;
    int fixed; /* the columns before the info one, with their blanks */
    bool short_phase;
};

/* The widest cell each data-sized column has shown, kept so that the columns do not jump
 * while scrolling. The time's is forgotten when its mode changes. */
struct widths {
    int num, time, src, dst, proto;
    enum fmt_time tmode;
};

/* Info keeps at least a third of an 80-column screen, whatever the addresses want. */
#define LIST_INFO_MIN 27
/* Below this an address column is not narrowed further (narrow terminals cut the info). */
#define LIST_ADDR_MIN 7

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* Columns of UTF-8 text (the info may hold arrows; the others are ASCII). */
static int text_cols(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static const char *time_header(enum fmt_time tmode)
{
    return tmode == FMT_TIME_ABSOLUTE ? "Time (UTC)" : tmode == FMT_TIME_DELTA ? "Delta" : "Time";
}

/* Gives the addresses `budget` columns between them: each what it wants when both fit, else
 * the narrower its whole width if it fits in half, and the other the rest. */
static void share_addresses(int budget, int want_src, int want_dst, struct list_layout *c)
{
    if (budget < 2 * LIST_ADDR_MIN)
        budget = 2 * LIST_ADDR_MIN;
    if (want_src + want_dst <= budget) {
        c->src = want_src;
        c->dst = want_dst;
    } else if (want_src <= budget / 2) {
        c->src = want_src;
        c->dst = budget - want_src;
    } else if (want_dst <= budget - budget / 2) {
        c->dst = want_dst;
        c->src = budget - want_dst;
    } else {
        c->src = budget / 2;
        c->dst = budget - budget / 2;
    }
}

/* Fits the columns to the width and the data: No. as wide as the largest frame number, the
 * time as its mode needs, the addresses as the widest seen (capped so that the info keeps
 * LIST_INFO_MIN columns), the length column only from 100 columns (the layers pane's frame
 * line has it), and the rest for the info. */
static void layout_columns(int w, const struct widths *ws, struct list_layout *c)
{
    c->num = max_int(3, ws->num);
    c->time = max_int(text_cols(time_header(ws->tmode)), ws->time);
    /* As wide as the widest protocol name shown ("TLSv1.2", "ICMPv6"), within reason. */
    c->proto = max_int(6, ws->proto < 12 ? ws->proto : 12);
    c->len = w >= 100 ? 5 : 0;
    c->short_phase = w < 120;
    c->phase = c->short_phase ? 5 : 9;
    /* Below 80 columns (a projector at 60x20) the info keeps a third, and the headers of the
     * address columns may be cut: the addresses matter more than their titles. */
    int info_min = w >= 80 ? LIST_INFO_MIN : w * LIST_INFO_MIN / 80;
    int want_src = max_int(w >= 80 ? (int)strlen("Source") : 4, ws->src);
    int want_dst = max_int(w >= 80 ? (int)strlen("Destination") : 4, ws->dst);
    int fixed = c->num + c->time + c->proto + c->len + c->phase + 4 + (c->len ? 1 : 0);
    int rest = w - fixed - 2; /* the blanks after the two addresses */
    /* Columns give way by priority: the length first (above), then the time, before an
     * address would have to be cut (an address is never shown in part: see cell()). */
    if (want_src + want_dst > rest - info_min) {
        fixed -= c->time + 1;
        rest += c->time + 1;
        c->time = 0;
    }
    share_addresses(rest - info_min, want_src, want_dst, c);
    c->fixed = fixed + c->src + c->dst + 2;
    c->info = w - c->fixed;
    if (c->info < 1)
        c->info = 1;
}

static const char *short_phase(const char *p)
{
    if (strcmp(p, "handshake") == 0)
        return "hshk";
    if (strcmp(p, "teardown") == 0)
        return "tear";
    if (strcmp(p, "reset") == 0)
        return "reset";
    if (strcmp(p, "pending") == 0)
        return "pend";
    return p;
}

/* Appends `s` cut or padded to exactly `w` columns, with attribute `attr`, then a blank. Text
 * cut to fit ends in an ellipsis ("~" without UTF-8). An address (`whole`) is never cut: one
 * that does not fit is the ellipsis alone, since "00:1b:21:0a" would pass for a part of it
 * that is not there (the layers pane has it whole). */
static void cell(struct lines *ls, bool utf8, uint8_t attr, const char *s, int w, bool right,
                 bool whole)
{
    char buf[600];
    size_t n = strlen(s);
    int cols = text_cols(s);
    bool cut = cols > w;
    if (cut && whole)
        n = 0, cols = 0;
    /* Count columns, not bytes: the info text may hold UTF-8 arrows. */
    size_t keep = 0;
    int kept = 0;
    if (cut && w > 0) {
        for (; keep < n; keep++) {
            if (((unsigned char)s[keep] & 0xc0) != 0x80) {
                if (kept == w - 1)
                    break;
                kept++;
            }
        }
    } else if (!cut) {
        keep = n;
        kept = cols;
    }
    size_t k = 0;
    if (right)
        for (; kept + (int)k < w && k < sizeof(buf) - 1; k++)
            buf[k] = ' ';
    if (keep > sizeof(buf) - k - 4)
        keep = sizeof(buf) - k - 4;
    memcpy(buf + k, s, keep);
    k += keep;
    if (cut && w > 0) {
        const char *e = utf8 ? "\xe2\x80\xa6" : "~";
        memcpy(buf + k, e, strlen(e));
        k += strlen(e);
        kept++;
    }
    if (!right)
        for (int c = kept; c < w && k < sizeof(buf) - 1; c++)
            buf[k++] = ' ';
    lines_add(ls, attr, buf, k);
    lines_add(ls, ATTR_NORMAL, " ", 1);
}

static void header_line(struct ui *ui, struct lines *ls, const struct list_layout *c)
{
    bool u = ui->utf8;
    lines_begin(ls, ATTR_HEADER);
    cell(ls, u, ATTR_HEADER, "No.", c->num, true, false);
    if (c->time)
        cell(ls, u, ATTR_HEADER, time_header(ui->tmode), c->time, false, false);
    cell(ls, u, ATTR_HEADER, "Source", c->src, false, false);
    cell(ls, u, ATTR_HEADER, "Destination", c->dst, false, false);
    cell(ls, u, ATTR_HEADER, "Proto", c->proto, false, false);
    if (c->len)
        cell(ls, u, ATTR_HEADER, "Len", c->len, true, false);
    cell(ls, u, ATTR_HEADER, "Phase", c->phase, false, false);
    cell(ls, u, ATTR_HEADER, "Info", c->info, false, false);
    lines_end(ls);
}

/* The No. cell of the row at `pos`: the frame number, "*" before it when marked. */
static void row_number(struct ui *ui, size_t pos, char *buf, size_t size)
{
    size_t idx = ui_shown_at(ui, pos);
    snprintf(buf, size, "%s%" PRIu64, ui_is_marked(ui, idx) ? "*" : "", ui_frame(ui, idx));
}

/* The time cell of the row at `pos` in the current mode. */
static void row_time(struct ui *ui, size_t pos, char *buf, size_t size)
{
    struct pkt_entry ebuf, prev;
    const struct pkt_entry *e = index_entry(&ui->idx, ui_shown_at(ui, pos), &ebuf);
    struct strbuf sb;
    sb_init(&sb, buf, size);
    int64_t rs = ui->idx.first_ts_sec;
    uint32_t rn = ui->idx.first_ts_nsec;
    if (ui->tmode == FMT_TIME_DELTA && pos > 0) {
        /* delta to the previous packet shown, as Wireshark's "delta displayed" */
        rs = index_entry(&ui->idx, ui_shown_at(ui, pos - 1), &prev)->ts_sec;
        rn = prev.ts_nsec;
    } else if (ui->tmode == FMT_TIME_DELTA) {
        rs = e->ts_sec;
        rn = e->ts_nsec;
    }
    format_time(&sb, ui->tmode, e->ts_sec, e->ts_nsec, rs, rn);
}

static void row_line(struct ui *ui, struct lines *ls, const struct list_layout *c, size_t pos)
{
    size_t idx = ui_shown_at(ui, pos);
    struct pkt_entry ebuf;
    const struct pkt_entry *e = index_entry(&ui->idx, idx, &ebuf);
    char num[24], tbuf[48], len[16];
    bool marked = ui_is_marked(ui, idx);
    bool u = ui->utf8;
    row_number(ui, pos, num, sizeof(num));
    row_time(ui, pos, tbuf, sizeof(tbuf));
    snprintf(len, sizeof(len), "%" PRIu32, e->len);

    struct line *l = lines_begin(ls, ATTR_NORMAL);
    l->ref = (int32_t)(idx > INT32_MAX ? INT32_MAX : idx);
    const struct summary *s = ui_summary(ui, idx);
    cell(ls, u, marked ? ATTR_WARN : ATTR_DIM, num, c->num, true, false);
    if (c->time)
        cell(ls, u, ATTR_NORMAL, tbuf, c->time, false, false);
    if (!s) {
        cell(ls, u, ATTR_ERROR, "(cannot re-read this packet)", c->src + c->dst + 1, false, false);
        lines_end(ls);
        return;
    }
    cell(ls, u, ATTR_ADDR, s->src, c->src, false, true);
    cell(ls, u, ATTR_ADDR, s->dst, c->dst, false, true);
    cell(ls, u, ATTR_PROTO, s->proto, c->proto, false, false);
    if (c->len)
        cell(ls, u, ATTR_NORMAL, len, c->len, true, false);
    cell(ls, u, s->phase_attr, c->short_phase ? short_phase(s->phase) : s->phase, c->phase, false,
         false);
    /* The info column is not cut: it scrolls horizontally with h/l. */
    lines_add(ls, s->info_attr, s->info, strlen(s->info));
    lines_end(ls);
}

/* ---- configured columns ---------------------------------------------------------------- */

/* A column other than the last is never wider than this (the last scrolls instead). */
#define LIST_COLUMN_MAX 40

struct conf_widths {
    int w[COLUMNS_MAX];
    unsigned generation; /* the settings' when measured: other columns start afresh */
    enum fmt_time tmode;
};

/* Calls fn for each cell of the row at pos (the summary is taken before the field view, which
 * reuses the scratch dissection). */
struct conf_cells {
    char num[24], tbuf[48], len[16];
    struct column_row row;
    struct filter_packet fp;
    struct track_info ti; /* fp's */
    struct packet pkt;
};

static void conf_row(struct ui *ui, size_t pos, struct conf_cells *c)
{
    size_t idx = ui_shown_at(ui, pos);
    row_number(ui, pos, c->num, sizeof(c->num));
    row_time(ui, pos, c->tbuf, sizeof(c->tbuf));
    struct pkt_entry e;
    snprintf(c->len, sizeof(c->len), "%" PRIu32, index_entry(&ui->idx, idx, &e)->len);
    c->row = (struct column_row){c->num, c->tbuf, c->len, ui_summary(ui, idx), NULL};
    if (c->row.s && columns_need_fields(&ui->settings->columns) &&
        ui_read_view(ui, idx, &c->pkt, &c->fp, &c->ti))
        c->row.fp = &c->fp;
}

static void conf_measure(struct ui *ui, struct conf_widths *ws, size_t n, size_t rows)
{
    struct columns *cs = &ui->settings->columns;
    if (ws->generation != ui->settings->generation || ws->tmode != ui->tmode) {
        memset(ws->w, 0, sizeof(ws->w));
        ws->generation = ui->settings->generation;
        ws->tmode = ui->tmode;
    }
    for (size_t i = 0; i < cs->n; i++)
        ws->w[i] = max_int(ws->w[i], text_cols(column_title(&cs->v[i], ui->tmode)));
    struct conf_cells c;
    for (size_t r = 0; r < rows && ui->list_top + r < n; r++) {
        conf_row(ui, ui->list_top + r, &c);
        for (size_t i = 0; i < cs->n; i++) {
            uint8_t attr;
            int w = text_cols(columns_cell(cs, i, &c.row, &attr));
            ws->w[i] = max_int(ws->w[i], w < LIST_COLUMN_MAX ? w : LIST_COLUMN_MAX);
        }
    }
}

/* The columns before the last, with their blanks: where the scrolling part starts. */
static int conf_fixed(const struct columns *cs, const struct conf_widths *ws)
{
    int fixed = 0;
    for (size_t i = 0; i + 1 < cs->n; i++)
        fixed += ws->w[i] + 1;
    return fixed;
}

static void conf_header(struct ui *ui, struct lines *ls, const struct conf_widths *ws)
{
    const struct columns *cs = &ui->settings->columns;
    lines_begin(ls, ATTR_HEADER);
    for (size_t i = 0; i < cs->n; i++) {
        const char *t = column_title(&cs->v[i], ui->tmode);
        if (i + 1 < cs->n)
            cell(ls, ui->utf8, ATTR_HEADER, t, ws->w[i], column_numeric(&cs->v[i]), false);
        else
            lines_add(ls, ATTR_HEADER, t, strlen(t));
    }
    lines_end(ls);
}

static void conf_line(struct ui *ui, struct lines *ls, const struct conf_widths *ws, size_t pos)
{
    struct columns *cs = &ui->settings->columns;
    size_t idx = ui_shown_at(ui, pos);
    struct conf_cells c;
    conf_row(ui, pos, &c);
    struct line *l = lines_begin(ls, ATTR_NORMAL);
    l->ref = (int32_t)(idx > INT32_MAX ? INT32_MAX : idx);
    if (!c.row.s) {
        lines_add(ls, ATTR_ERROR, "(cannot re-read this packet)", 28);
        lines_end(ls);
        return;
    }
    for (size_t i = 0; i < cs->n; i++) {
        uint8_t attr;
        const char *text = columns_cell(cs, i, &c.row, &attr);
        if (cs->v[i].kind == COLUMN_NO && ui_is_marked(ui, idx))
            attr = ATTR_WARN;
        if (i + 1 < cs->n)
            cell(ls, ui->utf8, attr, text, ws->w[i], column_numeric(&cs->v[i]),
                 cs->v[i].kind == COLUMN_SOURCE || cs->v[i].kind == COLUMN_DESTINATION);
        else
            lines_add(ls, attr, text, strlen(text)); /* not cut: it scrolls with h/l */
    }
    lines_end(ls);
}

/* ---- the view ---------------------------------------------------------------------------- */

struct list_priv {
    struct lines ls;
    struct widths ws;
    struct conf_widths cws;
    unsigned step_back_count; /* ui's when the widths were last kept */
};

static void list_open(struct ui *ui, struct view *v)
{
    (void)ui;
    struct list_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
}

static void list_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct list_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
    v->priv = NULL;
}

static size_t body_rows(const struct view *v)
{
    return v->h > 1 ? (size_t)v->h - 1 : 0;
}

static void fix_scroll(struct ui *ui, struct view *v, size_t n)
{
    size_t rows = body_rows(v);
    if (rows == 0)
        return;
    if (ui->sel < ui->list_top)
        ui->list_top = ui->sel;
    if (ui->sel >= ui->list_top + rows)
        ui->list_top = ui->sel - rows + 1;
    if (ui->list_top + rows > n)
        ui->list_top = n > rows ? n - rows : 0;
}

/* Widens the kept widths to the data: the largest frame number indexed (any row may scroll
 * into view), the last packet's relative time, and the cells of the rows on screen. */
static void measure(struct ui *ui, struct widths *ws, size_t n, size_t rows)
{
    char buf[64];
    if (ws->tmode != ui->tmode) {
        ws->tmode = ui->tmode;
        ws->time = 0;
    }
    size_t asof = ui_asof_count(ui);
    if (asof) {
        snprintf(buf, sizeof(buf), "%" PRIu64, ui_frame(ui, asof - 1));
        ws->num = max_int(ws->num, (int)strlen(buf));
    }
    if (ui->tmode == FMT_TIME_RELATIVE && n) {
        row_time(ui, n - 1, buf, sizeof(buf));
        ws->time = max_int(ws->time, text_cols(buf));
    }
    for (size_t r = 0; r < rows && ui->list_top + r < n; r++) {
        size_t pos = ui->list_top + r;
        row_number(ui, pos, buf, sizeof(buf));
        ws->num = max_int(ws->num, (int)strlen(buf));
        row_time(ui, pos, buf, sizeof(buf));
        ws->time = max_int(ws->time, text_cols(buf));
        const struct summary *s = ui_summary(ui, ui_shown_at(ui, pos));
        if (s) {
            ws->src = max_int(ws->src, text_cols(s->src));
            ws->dst = max_int(ws->dst, text_cols(s->dst));
            ws->proto = max_int(ws->proto, text_cols(s->proto));
        }
    }
}

static void list_draw(struct ui *ui, struct view *v)
{
    struct list_priv *p = v->priv;
    struct list_layout c;
    memset(&c, 0, sizeof(c)); /* with configured columns only c.fixed is laid out */
    size_t n = ui_visible_count(ui);
    fix_scroll(ui, v, n);
    size_t rows = body_rows(v);
    bool conf = ui->settings && !columns_is_default(&ui->settings->columns);
    if (p->step_back_count != ui->step_back_count) {
        /* A step back: the widths the later packets made go, so that the screen is the one
         * the step forward showed. */
        p->step_back_count = ui->step_back_count;
        memset(&p->ws, 0, sizeof(p->ws));
        p->ws.tmode = ui->tmode;
        memset(p->cws.w, 0, sizeof(p->cws.w));
    }
    if (conf) {
        conf_measure(ui, &p->cws, n, rows);
        c.fixed = conf_fixed(&ui->settings->columns, &p->cws);
    } else {
        measure(ui, &p->ws, n, rows);
        layout_columns(v->w, &p->ws, &c);
        ui->list_time_hidden = c.time == 0;
    }
    lines_reset(&p->ls);
    if (conf)
        conf_header(ui, &p->ls, &p->cws);
    else
        header_line(ui, &p->ls, &c);
    ui_draw_line(ui, v->y, v->x, v->w, &p->ls.v[0], 0,
                 colors_pane(ui->focus == PANE_LIST && ui->depth == 0));
    for (size_t r = 0; r < rows; r++) {
        size_t pos = ui->list_top + r;
        int y = v->y + 1 + (int)r;
        if (pos >= n) {
            if (n == 0 && r == 0)
                ui_draw_text(ui, y, v->x, v->w, colors_attr(ATTR_DIM),
                             ui->lf.active.text ? "  (no packet matches the filter)"
                                                : "  (no packets yet)");
            else
                ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        lines_reset(&p->ls);
        if (conf)
            conf_line(ui, &p->ls, &p->cws, pos);
        else
            row_line(ui, &p->ls, &c, pos);
        colors_row(ui, ui_shown_at(ui, pos), pos == ui->sel, &p->ls.v[0]);
        /* The info column scrolls; the fixed columns stay. */
        attr_t extra = pos == ui->sel ? colors_cursor() : 0;
        ui_draw_line(ui, y, v->x, v->w, &p->ls.v[0], 0, extra);
        if (v->hscroll && c.fixed < v->w)
            /* Re-draw the info column shifted; the fixed columns stay in place. */
            ui_draw_line(ui, y, v->x + c.fixed, v->w - c.fixed, &p->ls.v[0],
                         (size_t)c.fixed + v->hscroll, extra);
    }
}

static void list_moved(struct ui *ui, size_t old_sel)
{
    if (ui->sel != old_sel) {
        size_t n = ui_visible_count(ui);
        ui->follow_new = ui->in.live && ui->sel + 1 == n && ui->follow_new;
        ui_load_selection(ui);
    }
}

static bool list_request(struct ui *ui, struct view *v, enum request r)
{
    size_t n = ui_visible_count(ui);
    size_t rows = body_rows(v) ? body_rows(v) : 1;
    size_t half = rows / 2 ? rows / 2 : 1;
    size_t old = ui->sel;
    switch (r) {
    case REQ_UP:
        if (ui->sel > 0)
            ui->sel--;
        break;
    case REQ_DOWN:
        if (ui->sel + 1 < n)
            ui->sel++;
        break;
    case REQ_PAGE_UP:
        ui->sel -= ui->sel < rows ? ui->sel : rows;
        break;
    case REQ_PAGE_DOWN:
        ui->sel = n ? (ui->sel + rows < n ? ui->sel + rows : n - 1) : 0;
        break;
    case REQ_HALF_UP:
        ui->sel -= ui->sel < half ? ui->sel : half;
        break;
    case REQ_HALF_DOWN:
        ui->sel = n ? (ui->sel + half < n ? ui->sel + half : n - 1) : 0;
        break;
    case REQ_HOME:
        ui->sel = 0;
        break;
    case REQ_END:
        ui->sel = n ? n - 1 : 0;
        if (ui->in.live)
            ui->follow_new = true;
        break;
    case REQ_LEFT:
        v->hscroll = v->hscroll > 8 ? v->hscroll - 8 : 0;
        return true;
    case REQ_RIGHT:
        if (v->hscroll < 1024)
            v->hscroll += 8;
        return true;
    case REQ_ENTER:
        ui->focus = PANE_LAYERS;
        return true;
    default:
        return false;
    }
    if (r != REQ_END)
        ui->follow_new = false;
    /* Scrolled here, not only when drawn: keys read in one go (G then k) must leave the list
     * where the same keys typed slowly, with a redraw between them, would. */
    fix_scroll(ui, v, n);
    list_moved(ui, old);
    return true;
}

static void list_click(struct ui *ui, struct view *v, int row, int col)
{
    (void)col;
    size_t n = ui_visible_count(ui);
    size_t pos = ui->list_top + (size_t)row;
    (void)v;
    if (pos < n) {
        size_t old = ui->sel;
        ui->sel = pos;
        ui->follow_new = false;
        list_moved(ui, old);
    }
}

const struct view_ops view_list_ops = {
    .name = "packets",
    .open = list_open,
    .draw = list_draw,
    .request = list_request,
    .close = list_close,
    .click = list_click,
};
