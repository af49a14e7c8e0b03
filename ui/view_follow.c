/*
 * Follow stream: a TCP connection's (or UDP flow's) payload in both directions, in capture
 * order, as text (printable ASCII, other bytes as '.') or as a hex dump, the originator's bytes
 * in one colour and the responder's in another (ATTR_ORIG / ATTR_RESP; in monochrome the
 * originator's are bold, and every segment starts with its direction). Retransmitted segments
 * are left out, as Wireshark does. Built in the background; it grows while the connection
 * carries data.
 */
#include <inttypes.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/follow.h"
#include "ui/internal.h"

#define FOLLOW_VIEW_MAX_BYTES (16u * 1024 * 1024)
#define FOLLOW_WRAP 160

struct follow_priv {
    uint8_t proto;
    uint32_t stream;
    uint64_t start_frame, scan_frame; /* frames, not indices (see ui_frame) */
    bool hex;
    uint64_t bytes[2]; /* [0] originator, [1] responder */
    bool truncated;
    struct lines ls;
};

static void reset(struct ui *ui, struct follow_priv *p)
{
    (void)ui;
    lines_reset(&p->ls);
    p->scan_frame = p->start_frame;
    p->bytes[0] = p->bytes[1] = 0;
    p->truncated = false;
}

static void follow_open(struct ui *ui, struct view *v)
{
    struct follow_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    p->proto = ui->target_proto;
    p->stream = ui->target_stream;
    struct conn buf;
    const struct conn *c = ui_conn(ui, p->proto, p->stream, &buf);
    p->start_frame = c && c->first_packet ? c->first_packet : 1;
    v->priv = p;
    reset(ui, p);
}

static void follow_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct follow_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
}

static void add_text(struct follow_priv *p, uint8_t attr, bool orig, const uint8_t *b, size_t n,
                     uint64_t frame)
{
    lines_begin(&p->ls, ATTR_DIM)->ref = (int32_t)(frame > INT32_MAX ? INT32_MAX : frame);
    lines_addf(&p->ls, ATTR_DIM, "%s frame %" PRIu64 ", %zu bytes", orig ? ">>" : "<<", frame, n);
    lines_end(&p->ls);
    size_t i = 0;
    while (i < n) {
        size_t k = i;
        while (k < n && b[k] != '\n' && k - i < FOLLOW_WRAP)
            k++;
        size_t len = k - i;
        if (len && b[k - 1] == '\r')
            len--;
        lines_begin(&p->ls, attr)->ref = (int32_t)(frame > INT32_MAX ? INT32_MAX : frame);
        lines_add_safe(&p->ls, attr, b + i, len);
        lines_end(&p->ls);
        i = k < n && b[k] == '\n' ? k + 1 : k;
    }
}

static void add_hex(struct follow_priv *p, uint8_t attr, bool orig, const uint8_t *b, size_t n,
                    uint64_t frame, uint64_t base)
{
    static const char digits[] = "0123456789abcdef";
    lines_begin(&p->ls, ATTR_DIM)->ref = (int32_t)(frame > INT32_MAX ? INT32_MAX : frame);
    lines_addf(&p->ls, ATTR_DIM, "%s frame %" PRIu64 ", %zu bytes", orig ? ">>" : "<<", frame, n);
    lines_end(&p->ls);
    for (size_t off = 0; off < n; off += 16) {
        size_t k = n - off < 16 ? n - off : 16;
        char hex[16 * 3 + 2];
        size_t h = 0;
        for (size_t i = 0; i < 16; i++) {
            if (i < k) {
                hex[h++] = digits[b[off + i] >> 4];
                hex[h++] = digits[b[off + i] & 15];
            } else {
                hex[h++] = ' ';
                hex[h++] = ' ';
            }
            hex[h++] = ' ';
        }
        hex[h] = '\0';
        lines_begin(&p->ls, attr)->ref = (int32_t)(frame > INT32_MAX ? INT32_MAX : frame);
        lines_addf(&p->ls, ATTR_DIM, "%08" PRIx64 "  ", base + off);
        lines_add(&p->ls, attr, hex, h);
        lines_add(&p->ls, attr, " ", 1);
        lines_add_safe(&p->ls, attr, b + off, k);
        lines_end(&p->ls);
    }
}

static bool follow_work(struct ui *ui, struct view *v)
{
    struct follow_priv *p = v->priv;
    int64_t deadline = ui_now_ms() + 10;
    unsigned k = 0;
    bool changed = false;
    size_t i = ui_index_from_frame(ui, p->scan_frame);
    for (; i < ui->idx.n && !p->truncated; i++) {
        struct track_info ti_buf;
        const struct track_info *ti = index_ti(&ui->idx, i, &ti_buf);
        if (!(ti->flags & TI_HAS_STREAM) || ti->proto != p->proto || ti->stream != p->stream)
            goto next;
        if (ti->analysis &
            (TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION))
            goto next; /* (decided before reading the packet; follow_payload checks it too) */
        struct packet pkt;
        char err[PS_ERRBUF_SIZE];
        if (ui_read_packet(ui, i, &pkt, err) != SOURCE_PACKET)
            goto next;
        ui_dissect(ui, i, &pkt, ui->scratch);
        /* The same choice of bytes as -z follow (format/follow.c). */
        const uint8_t *data;
        size_t n;
        if (!follow_payload(&pkt, ui->scratch, ti, p->proto, p->stream, &data, &n))
            goto next;
        bool orig = (ti->flags & TI_FROM_ORIG) != 0;
        uint8_t attr = orig ? ATTR_ORIG : ATTR_RESP;
        if (p->hex)
            add_hex(p, attr, orig, data, n, ui_frame(ui, i), p->bytes[orig ? 0 : 1]);
        else
            add_text(p, attr, orig, data, n, ui_frame(ui, i));
        p->bytes[orig ? 0 : 1] += n;
        changed = true;
        if (p->bytes[0] + p->bytes[1] >= FOLLOW_VIEW_MAX_BYTES)
            p->truncated = true;
    next:
        if (++k % 128 == 0 && ui_now_ms() >= deadline) {
            i++;
            break;
        }
    }
    p->scan_frame = ui_frame(ui, i);
    if (changed)
        ui->dirty = true;
    return i < ui->idx.n && !p->truncated;
}

static void follow_draw(struct ui *ui, struct view *v)
{
    struct follow_priv *p = v->priv;
    char title[256];
    struct conn buf;
    const struct conn *c = ui_conn(ui, p->proto, p->stream, &buf);
    char a[64] = "?", b[64] = "?";
    if (c) {
        struct strbuf sb;
        sb_init(&sb, a, sizeof(a));
        sb_ip(&sb, c->orig_addr, c->addr_len);
        sb_printf(&sb, ":%u", c->orig_port);
        sb_init(&sb, b, sizeof(b));
        sb_ip(&sb, c->resp_addr, c->addr_len);
        sb_printf(&sb, ":%u", c->resp_port);
    }
    snprintf(title, sizeof(title),
             " Follow %s stream %" PRIu32 " (%s): >> %s %" PRIu64 " bytes, << %s %" PRIu64
             " bytes%s  x %s",
             p->proto == PS_IPPROTO_TCP ? "TCP" : "UDP", p->stream, p->hex ? "hex" : "text", a,
             p->bytes[0], b, p->bytes[1], p->truncated ? " (cut at 16 MiB)" : "",
             p->hex ? "text" : "hex");
    ui_draw_bar(ui, v, true, title);
    if (p->ls.n == 0) {
        ui_draw_text(ui, v->y + 1, v->x, v->w, colors_attr(ATTR_DIM),
                     ui_index_from_frame(ui, p->scan_frame) < ui->idx.n
                         ? "  (reading...)"
                         : "  (no payload in this stream)");
        for (int r = 2; r < v->h; r++)
            ui_draw_line(ui, v->y + r, v->x, v->w, NULL, 0, 0);
        return;
    }
    ui_draw_lines(ui, v, &p->ls, true);
}

static bool follow_request(struct ui *ui, struct view *v, enum request r)
{
    struct follow_priv *p = v->priv;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    if (r == REQ_HEX) {
        p->hex = !p->hex;
        reset(ui, p);
        v->cur = v->top = 0;
        ui->dirty = true;
        return true;
    }
    if (r == REQ_ENTER) {
        if (v->cur < p->ls.n && p->ls.v[v->cur].ref > 0) {
            size_t frame = (size_t)p->ls.v[v->cur].ref;
            while (ui->depth > 0)
                ui_pop_view(ui);
            ui_select_frame(ui, frame);
        }
        return true;
    }
    return ui_nav(v, p->ls.n, rows, r);
}

const struct view_ops view_follow_ops = {
    .name = "follow",
    .open = follow_open,
    .draw = follow_draw,
    .request = follow_request,
    .close = follow_close,
    .work = follow_work,
};
