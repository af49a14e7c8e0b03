/*
 * The connections view: the tracker's connection table (format/conns.h rows, the same text as
 * --conns), sortable by any column (< > choose the column, r reverses). Enter shows the
 * connection's packets (a tcp.stream == N display filter), L its ladder, F its payload.
 * Connections that appear while the view is open are added at the next redraw.
 */
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/conns.h"
#include "ui/internal.h"
#include "util/ptime.h"

enum sort_col {
    SORT_FIRST,
    SORT_PROTO,
    SORT_ORIG,
    SORT_RESP,
    SORT_PKTS,
    SORT_BYTES,
    SORT_DURATION,
    SORT_STATE,
    SORT__COUNT
};

static const char *const sort_names[SORT__COUNT] = {
    "first packet", "protocol", "originator", "responder",
    "packets",      "bytes",    "duration",   "conn_state",
};

struct conn_ref {
    uint8_t proto;
    uint32_t id;
};

struct conns_priv {
    struct conn_ref *v;
    size_t n, cap;
    int sort;
    bool reverse;
    size_t built_total;
    int64_t built_ms;
    struct lines tmp;
};

static const uint8_t protos[] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP, PS_IPPROTO_ICMP,
                                 PS_IPPROTO_ICMPV6};

static int64_t duration_ns(const struct conn *c)
{
    return ptime_diff(c->last_sec, c->last_nsec, c->first_sec, c->first_nsec);
}

static int cmp_conn(const void *x, const void *y, void *arg)
{
    const struct ui *ui = ((void **)arg)[0];
    const struct conns_priv *p = ((void **)arg)[1];
    const struct conn_ref *ra = x, *rb = y;
    const struct conn *a = tracker_conn(ui->tracker, ra->proto, ra->id);
    const struct conn *b = tracker_conn(ui->tracker, rb->proto, rb->id);
    int c = 0;
    if (!a || !b)
        return a ? -1 : b ? 1 : 0;
    switch (p->sort) {
    case SORT_PROTO:
        c = a->proto < b->proto ? -1 : a->proto > b->proto;
        break;
    case SORT_ORIG:
        c = a->addr_len != b->addr_len ? (a->addr_len < b->addr_len ? -1 : 1)
                                       : memcmp(a->orig_addr, b->orig_addr, a->addr_len);
        if (!c)
            c = a->orig_port < b->orig_port ? -1 : a->orig_port > b->orig_port;
        break;
    case SORT_RESP:
        c = a->addr_len != b->addr_len ? (a->addr_len < b->addr_len ? -1 : 1)
                                       : memcmp(a->resp_addr, b->resp_addr, a->addr_len);
        if (!c)
            c = a->resp_port < b->resp_port ? -1 : a->resp_port > b->resp_port;
        break;
    case SORT_PKTS: {
        uint64_t pa = a->orig_pkts + a->resp_pkts, pb = b->orig_pkts + b->resp_pkts;
        c = pa < pb ? 1 : pa > pb ? -1 : 0; /* biggest first */
        break;
    }
    case SORT_BYTES: {
        uint64_t pa = a->orig_ip_bytes + a->resp_ip_bytes, pb = b->orig_ip_bytes + b->resp_ip_bytes;
        c = pa < pb ? 1 : pa > pb ? -1 : 0;
        break;
    }
    case SORT_DURATION: {
        int64_t da = duration_ns(a), db = duration_ns(b);
        c = da < db ? 1 : da > db ? -1 : 0;
        break;
    }
    case SORT_STATE:
        c = strcmp(a->conn_state, b->conn_state);
        break;
    default:
        break;
    }
    if (!c)
        c = a->first_packet < b->first_packet ? -1 : a->first_packet > b->first_packet;
    if (!c)
        c = a->proto < b->proto ? -1 : a->proto > b->proto;
    return p->reverse ? -c : c;
}

static void rebuild(struct ui *ui, struct view *v)
{
    struct conns_priv *p = v->priv;
    struct conn_ref keep = {0, 0};
    bool have_keep = p->n && v->cur < p->n;
    if (have_keep)
        keep = p->v[v->cur];
    p->n = 0;
    size_t total = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++) {
        total += tracker_conn_count(ui->tracker, protos[i]);
        /* A live capture may have let the oldest go: list the summaries still kept. */
        size_t n = tracker_conn_kept(ui->tracker, protos[i]);
        p->v = xgrow(p->v, &p->cap, p->n + n, sizeof(*p->v));
        for (size_t s = 0; s < n; s++)
            p->v[p->n++] =
                (struct conn_ref){protos[i], tracker_conn_nth(ui->tracker, protos[i], s)->id};
    }
    void *ctx[2] = {ui, p};
    if (p->n > 1)
        qsort_r(p->v, p->n, sizeof(*p->v), cmp_conn, ctx);
    if (have_keep)
        for (size_t i = 0; i < p->n; i++)
            if (p->v[i].proto == keep.proto && p->v[i].id == keep.id) {
                v->cur = i;
                break;
            }
    p->built_total = total;
    p->built_ms = ui_now_ms();
}

static size_t total_conns(struct ui *ui)
{
    size_t t = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++)
        t += tracker_conn_count(ui->tracker, protos[i]);
    return t;
}

static void conns_open(struct ui *ui, struct view *v)
{
    struct conns_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->tmp);
    v->priv = p;
    rebuild(ui, v);
    /* Start on the selected packet's connection. */
    if (ui->cur_idx != SIZE_MAX) {
        const struct track_info *ti = &ui->idx.ti[ui->cur_idx];
        if (ti->flags & TI_HAS_STREAM)
            for (size_t i = 0; i < p->n; i++)
                if (p->v[i].proto == ti->proto && p->v[i].id == ti->stream) {
                    v->cur = i;
                    break;
                }
    }
}

static void conns_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct conns_priv *p = v->priv;
    if (p) {
        lines_release(&p->tmp);
        free(p->v);
        free(p);
    }
}

static void conns_draw(struct ui *ui, struct view *v)
{
    struct conns_priv *p = v->priv;
    if (total_conns(ui) != p->built_total && ui_now_ms() - p->built_ms >= 500)
        rebuild(ui, v);
    char title[200];
    snprintf(title, sizeof(title),
             " Connections: %zu, sorted by %s%s  (< > column, r reverse, Enter packets, L ladder, "
             "F follow)",
             p->n, sort_names[p->sort], p->reverse ? " (reversed)" : "");
    ui_draw_bar(ui, v, true, title);
    if (v->h < 3)
        return;
    lines_reset(&p->tmp);
    conns_header(&p->tmp);
    ui_draw_line(ui, v->y + 1, v->x, v->w, p->tmp.n ? &p->tmp.v[0] : NULL, v->hscroll,
                 colors_attr(ATTR_HEADER));
    size_t rows = (size_t)v->h - 2;
    if (p->n == 0) {
        ui_draw_text(ui, v->y + 2, v->x, v->w, colors_attr(ATTR_DIM), "  (no connections yet)");
        for (size_t r = 1; r < rows; r++)
            ui_draw_line(ui, v->y + 2 + (int)r, v->x, v->w, NULL, 0, 0);
        return;
    }
    if (v->cur >= p->n)
        v->cur = p->n - 1;
    if (v->cur < v->top)
        v->top = v->cur;
    if (v->cur >= v->top + rows)
        v->top = v->cur - rows + 1;
    for (size_t r = 0; r < rows; r++) {
        size_t i = v->top + r;
        int y = v->y + 2 + (int)r;
        const struct conn *c =
            i < p->n ? tracker_conn(ui->tracker, p->v[i].proto, p->v[i].id) : NULL;
        if (!c) {
            ui_draw_line(ui, y, v->x, v->w, NULL, 0, 0);
            continue;
        }
        lines_reset(&p->tmp);
        conns_row(ui->tracker, c, &p->tmp);
        ui_draw_line(ui, y, v->x, v->w, p->tmp.n ? &p->tmp.v[0] : NULL, v->hscroll,
                     i == v->cur ? colors_cursor() : 0);
    }
}

static bool conns_request(struct ui *ui, struct view *v, enum request r)
{
    struct conns_priv *p = v->priv;
    size_t rows = v->h > 2 ? (size_t)v->h - 2 : 1;
    switch (r) {
    case REQ_SORT_NEXT:
    case REQ_SORT_PREV:
        p->sort = (p->sort + (r == REQ_SORT_NEXT ? 1 : SORT__COUNT - 1)) % SORT__COUNT;
        rebuild(ui, v);
        ui->dirty = true;
        return true;
    case REQ_SORT_REVERSE:
        p->reverse = !p->reverse;
        rebuild(ui, v);
        ui->dirty = true;
        return true;
    case REQ_ENTER:
    case REQ_VIEW_LADDER:
    case REQ_VIEW_FOLLOW: {
        if (v->cur >= p->n)
            return true;
        struct conn_ref c = p->v[v->cur];
        ui->target_proto = c.proto;
        ui->target_stream = c.id;
        ui->target_set = true;
        if (r == REQ_ENTER) {
            char text[64];
            const char *name = c.proto == PS_IPPROTO_TCP    ? "tcp"
                               : c.proto == PS_IPPROTO_UDP  ? "udp"
                               : c.proto == PS_IPPROTO_ICMP ? "icmp"
                                                            : "icmpv6";
            snprintf(text, sizeof(text), "%s.stream == %u", name, c.id);
            if (ui_set_filter(ui, text))
                ui_pop_view(ui);
            return true;
        }
        if (r == REQ_VIEW_FOLLOW && c.proto != PS_IPPROTO_TCP && c.proto != PS_IPPROTO_UDP) {
            ui_message(ui, true, "follow stream needs a TCP or UDP connection");
            return true;
        }
        ui_push_view(ui, r == REQ_VIEW_LADDER ? &view_ladder_ops : &view_follow_ops);
        return true;
    }
    default:
        return ui_nav(v, p->n, rows, r);
    }
}

static void conns_click(struct ui *ui, struct view *v, int row, int col)
{
    struct conns_priv *p = v->priv;
    (void)ui;
    (void)col;
    if (row >= 1 && v->top + (size_t)row - 1 < p->n)
        v->cur = v->top + (size_t)row - 1;
}

const struct view_ops view_conns_ops = {
    .name = "connections",
    .open = conns_open,
    .draw = conns_draw,
    .request = conns_request,
    .close = conns_close,
    .click = conns_click,
};
