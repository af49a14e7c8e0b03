/*
 * The bytes pane: the selected packet in hex and ASCII (format_hex, the same dump as -x), with
 * the bytes of the field or layer selected in the layers pane highlighted (ATTR_MARK). Moving
 * the byte cursor here selects, in the layers pane, the innermost field that owns the byte, so a
 * student can point at a byte and ask "what is this?".
 *
 * A packet that completed a reassembly has a second source of bytes, as in Wireshark and -x:
 * after the frame's dump, a "Reassembled (N bytes):" line and the reassembled bytes' dump, its
 * offsets from 0. The cursor and the mark live in the dissection's one offset space (the
 * reassembled bytes follow the frame's, from caplen on); the functions below map it to lines.
 */
#include <inttypes.h>
#include <string.h>

#include "ui/internal.h"

#define BYTES_PER_LINE 16

struct bytes_priv {
    struct lines hex;
};

void view_bytes_reload(struct ui *ui)
{
    struct bytes_priv *p = ui->panes[PANE_BYTES].priv;
    if (!p)
        return;
    lines_reset(&p->hex);
    if (!ui->pkt_ok) {
        ui->dirty = true;
        return;
    }
    size_t caplen = ui->d->caplen, end = (size_t)ui->mark_off + ui->mark_len;
    size_t frame_mark_len =
        ui->mark_off < caplen ? (end < caplen ? end : caplen) - ui->mark_off : 0;
    format_hex(&p->hex, ui->d->data, caplen, ui->mark_off, frame_mark_len);
    if (ui->d->data_len > caplen) {
        size_t extra = ui->d->data_len - caplen;
        lines_begin(&p->hex, ATTR_HEADER);
        lines_addf(&p->hex, ATTR_HEADER, "Reassembled (%zu bytes):", extra);
        lines_end(&p->hex);
        size_t from = ui->mark_off > caplen ? ui->mark_off : caplen;
        size_t rmark_off = from - caplen, rmark_len = end > from ? end - from : 0;
        format_hex(&p->hex, ui->d->data + caplen, extra, rmark_off, rmark_len);
    }
    ui->dirty = true;
}

/* The number of dump lines of the frame's bytes; the reassembled bytes' heading follows. */
static size_t frame_lines(const struct ui *ui)
{
    return (ui->d->caplen + BYTES_PER_LINE - 1) / BYTES_PER_LINE;
}

/* All the bytes the pane shows: the frame's and any reassembled after them. */
static size_t shown_bytes(const struct ui *ui)
{
    return ui->pkt_ok ? (ui->d->data_len > ui->d->caplen ? ui->d->data_len : ui->d->caplen) : 0;
}

/* The dump line of byte `off` and the offset its line's label shows. */
static size_t line_of(const struct ui *ui, size_t off, size_t *label)
{
    size_t caplen = ui->d->caplen;
    if (off < caplen) {
        *label = off / BYTES_PER_LINE * BYTES_PER_LINE;
        return off / BYTES_PER_LINE;
    }
    *label = (off - caplen) / BYTES_PER_LINE * BYTES_PER_LINE;
    return frame_lines(ui) + 1 + (off - caplen) / BYTES_PER_LINE;
}

/* The byte at column b of dump line `line`, or SIZE_MAX (the heading, or past the end). */
static size_t offset_at(const struct ui *ui, size_t line, size_t b)
{
    size_t caplen = ui->d->caplen, fl = frame_lines(ui);
    size_t off = line < fl   ? line * BYTES_PER_LINE + b
                 : line > fl ? caplen + (line - fl - 1) * BYTES_PER_LINE + b
                             : SIZE_MAX;
    if (off == SIZE_MAX || off >= shown_bytes(ui) || (line < fl && off >= caplen))
        return SIZE_MAX;
    return off;
}

/* The byte one line up (dir -1) or down (+1) from c, in the same column where there is one. */
static size_t line_step(const struct ui *ui, size_t c, int dir)
{
    size_t label;
    size_t line = line_of(ui, c, &label);
    size_t col = (c < ui->d->caplen ? c : c - ui->d->caplen) % BYTES_PER_LINE;
    for (int k = 0; k < 2; k++) { /* the heading line is stepped over */
        if (dir < 0 && line == 0)
            return c;
        line = dir < 0 ? line - 1 : line + 1;
        if (line >= frame_lines(ui) + 2 + shown_bytes(ui) / BYTES_PER_LINE)
            return c;
        size_t off = offset_at(ui, line, col);
        if (off == SIZE_MAX && line != frame_lines(ui)) {
            /* a short last line: its last byte */
            for (size_t b = col; b-- > 0;)
                if ((off = offset_at(ui, line, b)) != SIZE_MAX)
                    return off;
            return c;
        }
        if (off != SIZE_MAX)
            return off;
    }
    return c;
}

static void bytes_open(struct ui *ui, struct view *v)
{
    (void)ui;
    struct bytes_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->hex);
    v->priv = p;
}

static void bytes_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct bytes_priv *p = v->priv;
    if (p) {
        lines_release(&p->hex);
        free(p);
    }
    v->priv = NULL;
}

/* Column of byte `i` (0..15) of a dump line in the hex and ASCII parts (format_hex's layout:
 * offset, two blanks, 16 "xx " cells with an extra blank after the 8th, a blank, the ASCII). */
static int hex_col(int offw, int i)
{
    return offw + 2 + 3 * i + (i >= 8 ? 1 : 0);
}

static int ascii_col(int offw, int i)
{
    return offw + 2 + 3 * BYTES_PER_LINE + 1 + 1 + i;
}

static void bytes_draw(struct ui *ui, struct view *v)
{
    struct bytes_priv *p = v->priv;
    bool focused = ui->focus == PANE_BYTES && ui->depth == 0;
    char title[300];
    struct strbuf sb;
    sb_init(&sb, title, sizeof(title));
    sb_puts(&sb, " Bytes");
    if (ui->pkt_ok) {
        if (ui->byte_cursor >= ui->d->caplen)
            sb_printf(&sb, "  cursor: reassembled 0x%04zx (%zu)", ui->byte_cursor - ui->d->caplen,
                      ui->byte_cursor - ui->d->caplen);
        else
            sb_printf(&sb, "  cursor 0x%04zx (%zu)", ui->byte_cursor, ui->byte_cursor);
        if (ui->sel_field >= 0 && (unsigned)ui->sel_field < ui->d->nfields) {
            const struct field *f = &ui->d->fields[ui->sel_field];
            const struct field_def *def = field_def(f->id);
            sb_printf(&sb, "  field: %s", def->label);
            if (def->name)
                sb_printf(&sb, " (%s)", def->name);
        }
        if (ui->mark_len)
            sb_printf(&sb, "  marked [%" PRIu32 ", %" PRIu32 "]", ui->mark_off, ui->mark_len);
    }
    ui_draw_bar(ui, v, focused, title);
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 0;
    size_t n = p->hex.n;
    /* Keep the cursor's line (or else the start of the mark) on screen. */
    size_t label = 0;
    size_t want = ui->pkt_ok ? line_of(ui, ui->byte_cursor, &label) : 0;
    if (want < v->top)
        v->top = want;
    if (rows && want >= v->top + rows)
        v->top = want - rows + 1;
    if (v->top + rows > n)
        v->top = n > rows ? n - rows : 0;
    for (size_t r = 0; r < rows; r++) {
        size_t i = v->top + r;
        int y = v->y + 1 + (int)r;
        if (i >= n) {
            ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        ui_draw_line_at_edge(ui, y, v->x, v->w, &p->hex.v[i], 0, 0);
        if (i == want && ui->pkt_ok && ui->byte_cursor < shown_bytes(ui)) {
            char off[24];
            int offw = snprintf(off, sizeof(off), "%04zx", label);
            size_t c = ui->byte_cursor;
            int b = (int)((c < ui->d->caplen ? c : c - ui->d->caplen) % BYTES_PER_LINE);
            uint8_t byte = ui->d->data[c];
            char cellbuf[4];
            static const char digits[] = "0123456789abcdef";
            cellbuf[0] = digits[byte >> 4];
            cellbuf[1] = digits[byte & 15];
            cellbuf[2] = '\0';
            attr_t a = focused ? (A_REVERSE | A_BOLD | A_UNDERLINE) : A_UNDERLINE;
            int hc = hex_col(offw, b), ac = ascii_col(offw, b);
            if (hc + 2 <= v->w)
                ui_draw_text(ui, y, v->x + hc, 2, a, cellbuf);
            cellbuf[0] = (byte >= 0x20 && byte < 0x7f) ? (char)byte : '.';
            cellbuf[1] = '\0';
            if (ac + 1 <= v->w)
                ui_draw_text(ui, y, v->x + ac, 1, a, cellbuf);
        }
    }
}

static void cursor_moved(struct ui *ui)
{
    view_layers_select_byte(ui, (uint32_t)ui->byte_cursor);
    ui->dirty = true;
}

static bool bytes_request(struct ui *ui, struct view *v, enum request r)
{
    size_t n = shown_bytes(ui);
    if (n == 0)
        return false;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    size_t c = ui->byte_cursor;
    switch (r) {
    case REQ_LEFT:
        if (c > 0)
            c--;
        break;
    case REQ_RIGHT:
        if (c + 1 < n)
            c++;
        break;
    case REQ_UP:
    case REQ_DOWN:
        c = line_step(ui, c, r == REQ_UP ? -1 : 1);
        break;
    case REQ_PAGE_UP:
    case REQ_HALF_UP:
    case REQ_PAGE_DOWN:
    case REQ_HALF_DOWN: {
        size_t k = r == REQ_PAGE_UP || r == REQ_PAGE_DOWN ? rows : (rows + 1) / 2;
        int dir = r == REQ_PAGE_UP || r == REQ_HALF_UP ? -1 : 1;
        for (size_t i = 0; i < k; i++)
            c = line_step(ui, c, dir);
        break;
    }
    case REQ_HOME:
        c = 0;
        break;
    case REQ_END:
        c = n - 1;
        break;
    case REQ_ENTER:
        ui->focus = PANE_LAYERS;
        return true;
    default:
        return false;
    }
    ui->byte_cursor = c;
    cursor_moved(ui);
    return true;
}

static void bytes_click(struct ui *ui, struct view *v, int row, int col)
{
    size_t line = v->top + (size_t)row;
    if (!ui->pkt_ok)
        return;
    size_t first = offset_at(ui, line, 0), label;
    if (first == SIZE_MAX)
        return; /* the reassembled bytes' heading, or below the dump */
    line_of(ui, first, &label);
    char off[24];
    int offw = snprintf(off, sizeof(off), "%04zx", label);
    for (int b = 0; b < BYTES_PER_LINE; b++) {
        int hc = hex_col(offw, b), ac = ascii_col(offw, b);
        if ((col >= hc && col < hc + 2) || col == ac) {
            size_t c = offset_at(ui, line, (size_t)b);
            if (c != SIZE_MAX) {
                ui->byte_cursor = c;
                cursor_moved(ui);
            }
            return;
        }
    }
}

const struct view_ops view_bytes_ops = {
    .name = "bytes",
    .open = bytes_open,
    .draw = bytes_draw,
    .request = bytes_request,
    .close = bytes_close,
    .click = bytes_click,
};
