/*
 * The comparison view (V): one TCP connection against one UDP flow, as --compare tcp:N udp:M
 * counts and renders them (format/compare.h), for a class to see what TCP's reliability costs.
 *
 * Which two: the connection selected in the connections view, or the selected packet's stream,
 * against the first flow of the other protocol (stream 0); V again takes that side's next
 * stream, round the capture's streams. Neither selected (an ARP packet): TCP stream 0 against
 * UDP stream 0, and V walks the UDP flows.
 *
 * Counted from the index: each packet's tracking is kept there, so only the two streams'
 * packets are read and dissected again. Stepping, it counts the packets up to the one shown
 * (ui_asof_count), so that a step back shows what the step forward showed. Rebuilt on a step,
 * on a change of width, and while packets arrive at most once a second.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/compare.h"
#include "ui/internal.h"

struct compare_priv {
    struct compare cmp;
    struct lines ls;
    uint32_t stream[2]; /* TCP, UDP */
    int walk;           /* the side V moves on: 0 TCP, 1 UDP */
    size_t built_n, built_asof;
    int built_w;
    int64_t built_ms;
};

static const uint8_t side_proto[2] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP};

static void build(struct ui *ui, struct view *v, struct compare_priv *p)
{
    size_t asof = ui_asof_count(ui);
    compare_init(&p->cmp, p->stream[0], p->stream[1]);
    for (size_t i = 0; i < asof; i++) {
        struct track_info ti_buf;
        const struct track_info *ti = index_ti(&ui->idx, i, &ti_buf);
        int s = ti->proto == PS_IPPROTO_TCP ? 0 : ti->proto == PS_IPPROTO_UDP ? 1 : -1;
        if (s < 0 || !(ti->flags & TI_HAS_STREAM) || ti->stream != p->stream[s])
            continue;
        struct packet pkt;
        char err[PS_ERRBUF_SIZE];
        if (ui_read_packet(ui, i, &pkt, err) != SOURCE_PACKET)
            continue;
        ui_dissect(ui, i, &pkt, ui->scratch);
        compare_add(&p->cmp, ui->scratch, ti, pkt.ts_sec, pkt.ts_nsec, ui_frame(ui, i), pkt.len);
    }
    lines_reset(&p->ls);
    compare_render_width(&p->cmp, (size_t)(v->w > 0 ? v->w : 0), &p->ls);
    p->built_n = ui->idx.n;
    p->built_asof = asof;
    p->built_w = v->w;
    p->built_ms = ui_now_ms();
}

static void compare_open(struct ui *ui, struct view *v)
{
    struct compare_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    p->walk = 1;
    /* The connections view below sets the target to its selected row; else the packet's. */
    struct view *below = ui->depth >= 2 ? ui->stack[ui->depth - 2] : NULL;
    bool target =
        (below && below->ops == &view_conns_ops && ui->target_set) || ui_target_from_selection(ui);
    if (target && (ui->target_proto == PS_IPPROTO_TCP || ui->target_proto == PS_IPPROTO_UDP)) {
        int s = ui->target_proto == PS_IPPROTO_TCP ? 0 : 1;
        p->stream[s] = ui->target_stream;
        p->walk = 1 - s;
    }
    build(ui, v, p);
}

static void compare_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct compare_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
}

static void compare_draw(struct ui *ui, struct view *v)
{
    struct compare_priv *p = v->priv;
    size_t asof = ui_asof_count(ui);
    if (asof != p->built_asof || v->w != p->built_w ||
        (p->built_n != ui->idx.n && ui_now_ms() - p->built_ms >= 1000))
        build(ui, v, p);
    char title[128];
    snprintf(title, sizeof(title), " TCP %" PRIu32 " vs UDP %" PRIu32 "  (V: next %s)",
             p->stream[0], p->stream[1], p->walk ? "UDP flow" : "TCP connection");
    ui_draw_bar(ui, v, true, title);
    ui_draw_lines(ui, v, &p->ls, false);
}

static bool compare_request(struct ui *ui, struct view *v, enum request r)
{
    struct compare_priv *p = v->priv;
    if (r == REQ_VIEW_COMPARE) {
        size_t n = tracker_conn_count(ui_tracker(ui), side_proto[p->walk]);
        if (n <= 1) {
            ui_message(ui, true, "this capture has no other %s",
                       p->walk ? "UDP flow" : "TCP connection");
            return true;
        }
        p->stream[p->walk] = (uint32_t)((p->stream[p->walk] + 1) % n);
        v->top = v->cur = 0;
        build(ui, v, p);
        return true;
    }
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    return ui_nav(v, p->ls.n, rows, r);
}

const struct view_ops view_compare_ops = {
    .name = "compare",
    .open = compare_open,
    .draw = compare_draw,
    .request = compare_request,
    .close = compare_close,
};
