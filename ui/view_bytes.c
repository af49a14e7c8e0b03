/*
 * The bytes pane: the selected packet in hex and ASCII (format_hex, the same dump as -x), with
 * the bytes of the field or layer selected in the layers pane highlighted (ATTR_MARK). Moving
 * the byte cursor here selects, in the layers pane, the innermost field that owns the byte, so a
 * student can point at a byte and ask "what is this?".
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
    if (ui->pkt_ok)
        format_hex(&p->hex, ui->pdata, ui->pkt.caplen, ui->mark_off, ui->mark_len);
    ui->dirty = true;
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
    size_t want = ui->byte_cursor / BYTES_PER_LINE;
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
        ui_draw_line(ui, y, v->x, v->w, &p->hex.v[i], 0, 0);
        if (i == want && ui->pkt_ok && ui->byte_cursor < ui->pkt.caplen) {
            char off[24];
            int offw = snprintf(off, sizeof(off), "%04zx", i * BYTES_PER_LINE);
            int b = (int)(ui->byte_cursor % BYTES_PER_LINE);
            uint8_t byte = ui->pdata[ui->byte_cursor];
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
    if (!ui->pkt_ok || ui->pkt.caplen == 0)
        return false;
    size_t n = ui->pkt.caplen;
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
        if (c >= BYTES_PER_LINE)
            c -= BYTES_PER_LINE;
        break;
    case REQ_DOWN:
        if (c + BYTES_PER_LINE < n)
            c += BYTES_PER_LINE;
        break;
    case REQ_PAGE_UP:
    case REQ_HALF_UP: {
        size_t k = BYTES_PER_LINE * (r == REQ_PAGE_UP ? rows : (rows + 1) / 2);
        c = c > k ? c - k : c % BYTES_PER_LINE;
        break;
    }
    case REQ_PAGE_DOWN:
    case REQ_HALF_DOWN: {
        size_t k = BYTES_PER_LINE * (r == REQ_PAGE_DOWN ? rows : (rows + 1) / 2);
        c = c + k < n ? c + k : n - 1;
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
    if (!ui->pkt_ok || line * BYTES_PER_LINE >= ui->pkt.caplen)
        return;
    char off[24];
    int offw = snprintf(off, sizeof(off), "%04zx", line * BYTES_PER_LINE);
    for (int b = 0; b < BYTES_PER_LINE; b++) {
        int hc = hex_col(offw, b), ac = ascii_col(offw, b);
        if ((col >= hc && col < hc + 2) || col == ac) {
            size_t c = line * BYTES_PER_LINE + (size_t)b;
            if (c < ui->pkt.caplen) {
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
