/*
 * The packet list pane: number, time (relative / absolute / delta), source, destination,
 * protocol, length, phase and info, one row per packet that passes the display filter. Only the
 * rows on screen are dissected (through the summary cache), so a million-packet capture scrolls
 * as fast as a ten-packet one. Columns shrink to fit 80 columns; the phase and info columns take
 * the tracker's colours.
 */
#include <inttypes.h>
#include <string.h>

#include "ui/internal.h"

size_t ui_visible_count(const struct ui *ui);

struct columns {
    int num, time, src, dst, proto, len, phase, info;
    bool short_phase;
};

/* Fits the columns to the width: the time column as wide as its format needs, addresses as
 * wide as the width allows (an IPv4 address at 80 columns, IPv6 from 160), the length column
 * only from 100 columns (the layers pane's frame line has it), and the rest for the info. */
static void layout_columns(int w, enum fmt_time tmode, struct columns *c)
{
    c->num = 6;
    c->time = tmode == FMT_TIME_ABSOLUTE ? 15 : 11;
    c->proto = 6;
    c->len = w >= 100 ? 5 : 0;
    c->short_phase = w < 120;
    c->phase = c->short_phase ? 5 : 9;
    int fixed = c->num + c->time + c->proto + c->len + c->phase + 7 + (c->len ? 1 : 0);
    int rest = w - fixed;
    int addr = w >= 160 ? 39 : w >= 120 ? 22 : 15;
    if (rest < 2 * addr + 12)
        addr = (rest - 12) / 2;
    if (addr < 8)
        addr = 8;
    c->src = c->dst = addr;
    c->info = rest - 2 * addr;
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
    return p;
}

/* Appends `s` cut or padded to exactly `w` columns, with attribute `attr`, then a blank. */
static void cell(struct lines *ls, uint8_t attr, const char *s, int w, bool right)
{
    char buf[600];
    size_t n = strlen(s);
    /* Count columns, not bytes: the info text may hold UTF-8 arrows. */
    size_t cols = 0, cut = 0;
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if ((int)cols == w)
                break;
            cols++;
        }
        cut = i + 1;
    }
    size_t k = 0;
    if (right)
        for (; (int)(cols + k) < w && k < sizeof(buf) - 1; k++)
            buf[k] = ' ';
    if (cut > sizeof(buf) - k - 1)
        cut = sizeof(buf) - k - 1;
    memcpy(buf + k, s, cut);
    k += cut;
    if (!right)
        for (size_t c = cols; (int)c < w && k < sizeof(buf) - 1; c++)
            buf[k++] = ' ';
    lines_add(ls, attr, buf, k);
    lines_add(ls, ATTR_NORMAL, " ", 1);
}

static void header_line(struct ui *ui, struct lines *ls, const struct columns *c)
{
    lines_begin(ls, ATTR_HEADER);
    const char *tname = ui->tmode == FMT_TIME_ABSOLUTE ? "Time (UTC)"
                        : ui->tmode == FMT_TIME_DELTA  ? "Delta"
                                                       : "Time";
    cell(ls, ATTR_HEADER, "No.", c->num, true);
    cell(ls, ATTR_HEADER, tname, c->time, false);
    cell(ls, ATTR_HEADER, "Source", c->src, false);
    cell(ls, ATTR_HEADER, "Destination", c->dst, false);
    cell(ls, ATTR_HEADER, "Proto", c->proto, false);
    if (c->len)
        cell(ls, ATTR_HEADER, "Len", c->len, true);
    cell(ls, ATTR_HEADER, "Phase", c->phase, false);
    cell(ls, ATTR_HEADER, "Info", c->info, false);
    lines_end(ls);
}

static void row_line(struct ui *ui, struct lines *ls, const struct columns *c, size_t pos)
{
    size_t idx = ui->shown[pos];
    const struct pkt_entry *e = &ui->idx.v[idx];
    char num[24], tbuf[48], len[16];
    bool marked = ui_is_marked(ui, idx);
    snprintf(num, sizeof(num), "%s%" PRIu64, marked ? "*" : "", ui_frame(ui, idx));
    struct strbuf sb;
    sb_init(&sb, tbuf, sizeof(tbuf));
    int64_t rs = ui->idx.first_ts_sec;
    uint32_t rn = ui->idx.first_ts_nsec;
    if (ui->tmode == FMT_TIME_DELTA && pos > 0) {
        /* delta to the previous packet shown, as Wireshark's "delta displayed" */
        rs = ui->idx.v[ui->shown[pos - 1]].ts_sec;
        rn = ui->idx.v[ui->shown[pos - 1]].ts_nsec;
    } else if (ui->tmode == FMT_TIME_DELTA) {
        rs = e->ts_sec;
        rn = e->ts_nsec;
    }
    format_time(&sb, ui->tmode, e->ts_sec, e->ts_nsec, rs, rn);
    snprintf(len, sizeof(len), "%" PRIu32, e->len);

    struct line *l = lines_begin(ls, ATTR_NORMAL);
    l->ref = (int32_t)(idx > INT32_MAX ? INT32_MAX : idx);
    const struct summary *s = ui_summary(ui, idx);
    cell(ls, marked ? ATTR_WARN : ATTR_DIM, num, c->num, true);
    cell(ls, ATTR_NORMAL, tbuf, c->time, false);
    if (!s) {
        cell(ls, ATTR_ERROR, "(cannot re-read this packet)", c->src + c->dst + 1, false);
        lines_end(ls);
        return;
    }
    cell(ls, ATTR_ADDR, s->src, c->src, false);
    cell(ls, ATTR_ADDR, s->dst, c->dst, false);
    cell(ls, ATTR_PROTO, s->proto, c->proto, false);
    if (c->len)
        cell(ls, ATTR_NORMAL, len, c->len, true);
    cell(ls, s->phase_attr, c->short_phase ? short_phase(s->phase) : s->phase, c->phase, false);
    /* The info column is not cut: it scrolls horizontally with h/l. */
    lines_add(ls, s->info_attr, s->info, strlen(s->info));
    lines_end(ls);
}

struct list_priv {
    struct lines ls;
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

static void list_draw(struct ui *ui, struct view *v)
{
    struct list_priv *p = v->priv;
    struct columns c;
    layout_columns(v->w, ui->tmode, &c);
    lines_reset(&p->ls);
    header_line(ui, &p->ls, &c);
    ui_draw_line(ui, v->y, v->x, v->w, &p->ls.v[0], 0,
                 colors_pane(ui->focus == PANE_LIST && ui->depth == 0));
    size_t n = ui_visible_count(ui);
    fix_scroll(ui, v, n);
    size_t rows = body_rows(v);
    for (size_t r = 0; r < rows; r++) {
        size_t pos = ui->list_top + r;
        int y = v->y + 1 + (int)r;
        if (pos >= n) {
            if (n == 0 && r == 0)
                ui_draw_text(ui, y, v->x, v->w, colors_attr(ATTR_DIM),
                             ui->filter.text ? "  (no packet matches the filter)"
                                             : "  (no packets yet)");
            else
                ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        lines_reset(&p->ls);
        row_line(ui, &p->ls, &c, pos);
        colors_row(ui, ui->shown[pos], pos == ui->sel, &p->ls.v[0]);
        /* The info column scrolls; the fixed columns stay. */
        attr_t extra = pos == ui->sel ? colors_cursor() : 0;
        ui_draw_line(ui, y, v->x, v->w, &p->ls.v[0], 0, extra);
        if (v->hscroll) {
            /* Re-draw the info column shifted; the fixed columns stay in place. */
            int fixed =
                c.num + c.time + c.src + c.dst + c.proto + c.len + c.phase + 6 + (c.len ? 1 : 0);
            if (fixed < v->w)
                ui_draw_line(ui, y, v->x + fixed, v->w - fixed, &p->ls.v[0],
                             (size_t)fixed + v->hscroll, extra);
        }
    }
}

static void list_moved(struct ui *ui, size_t old_sel)
{
    if (ui->sel != old_sel) {
        size_t n = ui_visible_count(ui);
        ui->follow_new = ui->live && ui->sel + 1 == n && ui->follow_new;
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
        if (ui->live)
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
