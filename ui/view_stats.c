/*
 * The statistics view: format_stats() (totals, protocol hierarchy, anomalies, TCP analysis and
 * phases, the flow table's counters: the same text as --stats), then the conversations (address
 * pairs) and endpoints (addresses) by packets and bytes, aggregated from the tracker's
 * connection summaries. Rebuilt when opened and, while packets arrive, at most once a second.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "ui/internal.h"

#define STATS_TOP 20

struct agg {
    uint8_t a[16], b[16];
    uint8_t addr_len;
    uint64_t pkts, bytes;
    uint32_t conns;
};

struct stats_priv {
    struct lines ls;
    size_t built_n;
    int64_t built_ms;
};

static int cmp_key(const void *x, const void *y)
{
    const struct agg *p = x, *q = y;
    if (p->addr_len != q->addr_len)
        return p->addr_len < q->addr_len ? -1 : 1;
    int c = memcmp(p->a, q->a, 16);
    return c ? c : memcmp(p->b, q->b, 16);
}

static int cmp_pkts(const void *x, const void *y)
{
    const struct agg *p = x, *q = y;
    if (p->pkts != q->pkts)
        return p->pkts > q->pkts ? -1 : 1;
    if (p->bytes != q->bytes)
        return p->bytes > q->bytes ? -1 : 1;
    return cmp_key(x, y);
}

/* Sorts by key, merges equal keys, sorts by packets. Returns the new count. */
static size_t merge(struct agg *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_key);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (cmp_key(&v[k], &v[i]) == 0) {
            v[k].pkts += v[i].pkts;
            v[k].bytes += v[i].bytes;
            v[k].conns += v[i].conns;
        } else {
            v[++k] = v[i];
        }
    }
    n = k + 1;
    qsort(v, n, sizeof(*v), cmp_pkts);
    return n;
}

static void build(struct ui *ui, struct stats_priv *p)
{
    lines_reset(&p->ls);
    format_stats(&p->ls, ui->stats, ui_tracker(ui), NULL);

    static const uint8_t protos[] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP, PS_IPPROTO_ICMP,
                                     PS_IPPROTO_ICMPV6};
    size_t total = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++)
        total += tracker_conn_kept(ui_tracker(ui), protos[i]);
    struct agg *conv = xcalloc(total ? total : 1, sizeof(*conv));
    struct agg *ends = xcalloc(total ? 2 * total : 1, sizeof(*ends));
    size_t nc = 0, ne = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++) {
        size_t n = tracker_conn_kept(ui_tracker(ui), protos[i]);
        for (size_t s = 0; s < n; s++) {
            const struct conn *c = tracker_conn_nth(ui_tracker(ui), protos[i], s);
            if (!c || nc >= total)
                continue;
            struct agg *g = &conv[nc++];
            memset(g, 0, sizeof(*g));
            g->addr_len = c->addr_len;
            /* A conversation is the unordered pair: smaller address first. */
            bool swap = memcmp(c->orig_addr, c->resp_addr, c->addr_len) > 0;
            memcpy(g->a, swap ? c->resp_addr : c->orig_addr, c->addr_len);
            memcpy(g->b, swap ? c->orig_addr : c->resp_addr, c->addr_len);
            g->pkts = c->orig_pkts + c->resp_pkts;
            g->bytes = c->orig_ip_bytes + c->resp_ip_bytes;
            g->conns = 1;
            for (int side = 0; side < 2; side++) {
                struct agg *e = &ends[ne++];
                memset(e, 0, sizeof(*e));
                e->addr_len = c->addr_len;
                memcpy(e->a, side ? c->resp_addr : c->orig_addr, c->addr_len);
                e->pkts = side ? c->resp_pkts : c->orig_pkts;
                e->bytes = side ? c->resp_ip_bytes : c->orig_ip_bytes;
                e->conns = 1;
            }
        }
    }
    nc = merge(conv, nc);
    ne = merge(ends, ne);

    char buf[160];
    struct strbuf sb;
    lines_begin(&p->ls, ATTR_NORMAL);
    lines_end(&p->ls);
    lines_begin(&p->ls, ATTR_HEADER);
    lines_addf(&p->ls, ATTR_HEADER, "Conversations (address pairs, by packets; top %d of %zu)",
               STATS_TOP, nc);
    lines_end(&p->ls);
    lines_begin(&p->ls, ATTR_HEADER);
    /* Bytes of the IP packets, as Zeek's orig_ip_bytes + resp_ip_bytes (tshark's conv,ip counts
     * whole frames, link headers too): the header says which. */
    lines_addf(&p->ls, ATTR_HEADER, "  %-40s %-40s %10s %12s %6s", "Address A", "Address B",
               "packets", "IP bytes", "flows");
    lines_end(&p->ls);
    for (size_t i = 0; i < nc && i < STATS_TOP; i++) {
        char a[64], b[64];
        sb_init(&sb, a, sizeof(a));
        sb_ip(&sb, conv[i].a, conv[i].addr_len);
        sb_init(&sb, b, sizeof(b));
        sb_ip(&sb, conv[i].b, conv[i].addr_len);
        lines_begin(&p->ls, ATTR_NORMAL);
        snprintf(buf, sizeof(buf), "  %-40s %-40s", a, b);
        lines_add(&p->ls, ATTR_ADDR, buf, strlen(buf));
        lines_addf(&p->ls, ATTR_VALUE, " %10" PRIu64 " %12" PRIu64 " %6" PRIu32, conv[i].pkts,
                   conv[i].bytes, conv[i].conns);
        lines_end(&p->ls);
    }
    lines_begin(&p->ls, ATTR_NORMAL);
    lines_end(&p->ls);
    lines_begin(&p->ls, ATTR_HEADER);
    lines_addf(&p->ls, ATTR_HEADER, "Endpoints (addresses, by packets sent; top %d of %zu)",
               STATS_TOP, ne);
    lines_end(&p->ls);
    lines_begin(&p->ls, ATTR_HEADER);
    lines_addf(&p->ls, ATTR_HEADER, "  %-40s %10s %12s %6s", "Address", "packets", "IP bytes",
               "flows");
    lines_end(&p->ls);
    for (size_t i = 0; i < ne && i < STATS_TOP; i++) {
        char a[64];
        sb_init(&sb, a, sizeof(a));
        sb_ip(&sb, ends[i].a, ends[i].addr_len);
        lines_begin(&p->ls, ATTR_NORMAL);
        snprintf(buf, sizeof(buf), "  %-40s", a);
        lines_add(&p->ls, ATTR_ADDR, buf, strlen(buf));
        lines_addf(&p->ls, ATTR_VALUE, " %10" PRIu64 " %12" PRIu64 " %6" PRIu32, ends[i].pkts,
                   ends[i].bytes, ends[i].conns);
        lines_end(&p->ls);
    }
    free(conv);
    free(ends);
    p->built_n = ui->idx.n;
    p->built_ms = ui_now_ms();
}

static void stats_open(struct ui *ui, struct view *v)
{
    struct stats_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    build(ui, p);
}

static void stats_close(struct ui *ui, struct view *v)
{
    (void)ui;
    struct stats_priv *p = v->priv;
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
}

static void stats_draw(struct ui *ui, struct view *v)
{
    struct stats_priv *p = v->priv;
    if (p->built_n != ui->idx.n && ui_now_ms() - p->built_ms >= 1000)
        build(ui, p);
    char title[96];
    snprintf(title, sizeof(title), " Statistics (%zu packet%s)", p->built_n,
             p->built_n == 1 ? "" : "s");
    ui_draw_bar(ui, v, true, title);
    ui_draw_lines(ui, v, &p->ls, true);
}

static bool stats_request(struct ui *ui, struct view *v, enum request r)
{
    struct stats_priv *p = v->priv;
    (void)ui;
    size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
    return ui_nav(v, p->ls.n, rows, r);
}

const struct view_ops view_stats_ops = {
    .name = "statistics",
    .open = stats_open,
    .draw = stats_draw,
    .request = stats_request,
    .close = stats_close,
};
