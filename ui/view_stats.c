/*
 * The statistics view: format_stats() (totals, protocol hierarchy, anomalies, TCP analysis and
 * phases, the flow table's counters: the same text as --stats), then the conversations (address
 * pairs) and endpoints (addresses) by packets and bytes, aggregated from the tracker's
 * connection summaries. Rebuilt when opened and, while packets arrive, at most once a second.
 *
 * Stepping (--step, or paused): the view shows the capture as of the last packet the list
 * shows (ui_asof_count), so that a step back shows again exactly what the step forward showed.
 * The pipeline's counters and tracker have seen every packet read, so a step back counts the
 * packets up to that one again, through a tracker of its own with the pipeline's configuration
 * (the index's record offsets and kept dissections make this a re-read, no capture replay).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "ui/internal.h"

#define STATS_TOP 20
/* A step back counts at most this many packets again (a lesson's capture is far shorter); past
 * it the view shows every packet read, and its title says so. */
#define STATS_ASOF_MAX 200000u

struct agg {
    uint8_t a[16], b[16];
    uint8_t addr_len;
    uint64_t pkts, bytes;
    uint32_t conns;
};

struct stats_priv {
    struct lines ls;
    size_t built_n;
    size_t built_asof; /* ui_asof_count() when built */
    bool asof_exact;   /* counted as of built_asof (else: every packet read) */
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

/* The first n packets counted again: *st and a tracker of their own (the caller frees it), or
 * NULL when a packet cannot be read again. */
static struct tracker *count_asof(struct ui *ui, size_t n, struct stats *st)
{
    struct tracker *t = tracker_new(&ui->tracker_cfg);
    stats_init(st);
    for (size_t i = 0; i < n; i++) {
        struct packet pkt;
        char err[PS_ERRBUF_SIZE];
        if (ui_read_packet(ui, i, &pkt, err) != SOURCE_PACKET) {
            tracker_free(t);
            return NULL;
        }
        pkt.number = ui_frame(ui, i);
        ui_dissect(ui, i, &pkt, ui->scratch);
        struct track_info ti;
        tracker_packet(t, ui->scratch, pkt.ts_sec, pkt.ts_nsec, pkt.number, &ti);
        stats_add(st, &pkt, ui->scratch, &ti);
    }
    return t;
}

/* What the views keep of the packets reassembly changed (kept.c), and where. */
static void kept_lines(struct ui *ui, struct lines *ls)
{
    const struct kept *k = &ui->kept;
    if (!k->store)
        return;
    const struct dstore_stats *ds = dstore_stats(k->store);
    lines_begin(ls, ATTR_NORMAL);
    lines_end(ls);
    lines_begin(ls, ATTR_HEADER);
    /* What the session keeps, whatever packet the statistics above are counted as of. */
    lines_addf(ls, ATTR_HEADER, "Packets reassembly changed, kept for the views (all so far)");
    lines_end(ls);
    /* As format_stats' rows (a label of 30 columns), so that 80 columns show them whole. */
    const struct {
        const char *label;
        uint64_t n;
        const char *note;
    } rows[] = {
        {"  Kept", ds->kept, ""},
        {"    as open segments", ds->open_segments, "  (the facts reassembly added)"},
        {"    as pieces of frames", ds->by_pieces, "  (read again when shown)"},
        {"  Bytes in a temporary file", ds->bytes, ""},
        {"  Not kept (cap, full disk)", k->not_kept, "  (shown dissected on their own)"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        if (i == ARRAY_SIZE(rows) - 1 && !k->not_kept)
            break;
        lines_begin(ls, ATTR_NORMAL);
        lines_addf(ls, ATTR_LABEL, "%-29s ", rows[i].label);
        lines_addf(ls, ATTR_VALUE, "%" PRIu64, rows[i].n);
        lines_addf(ls, ATTR_DIM, "%s", rows[i].note);
        lines_end(ls);
    }
}

static void build(struct ui *ui, struct stats_priv *p)
{
    size_t asof = ui_asof_count(ui);
    const struct stats *st = ui->stats;
    const struct tracker *tr = ui_tracker(ui);
    struct stats *own = NULL;
    struct tracker *own_t = NULL;
    /* (Packets let go from the front of a live capture cannot be counted again.) */
    if (asof < ui->idx.n && ui->idx.base == 0 && asof <= STATS_ASOF_MAX) {
        own = xmalloc(sizeof(*own));
        own_t = count_asof(ui, asof, own);
        if (own_t) {
            st = own;
            tr = own_t;
        }
    }
    p->asof_exact = asof == ui->idx.n || own_t;
    lines_reset(&p->ls);
    struct tracker_totals tt;
    if (tr)
        tracker_totals(tr, &tt);
    format_stats(&p->ls, st, tr ? &tt : NULL, NULL);

    static const uint8_t protos[] = {PS_IPPROTO_TCP, PS_IPPROTO_UDP, PS_IPPROTO_ICMP,
                                     PS_IPPROTO_ICMPV6};
    /* The pipeline's tracker's summaries, those on disk too (ui_conn_next), or all of the
     * view's own (it keeps every one: ui.c). */
    bool own_conns = tr != ui_tracker(ui);
    size_t total = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++)
        total += own_conns ? tracker_conn_kept(tr, protos[i]) : ui_conn_rows(ui, protos[i]);
    struct agg *conv = xcalloc(total ? total : 1, sizeof(*conv));
    struct agg *ends = xcalloc(total ? 2 * total : 1, sizeof(*ends));
    size_t nc = 0, ne = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(protos); i++) {
        size_t pos = 0;
        struct conn buf;
        for (;;) {
            const struct conn *c = own_conns ? tracker_conn_nth(tr, protos[i], pos++)
                                             : ui_conn_next(ui, protos[i], &pos, &buf);
            if (!c || nc >= total)
                break;
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
    kept_lines(ui, &p->ls);
    free(conv);
    free(ends);
    if (own_t)
        tracker_free(own_t);
    free(own);
    p->built_n = ui->idx.n;
    p->built_asof = asof;
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
    /* A step is shown at once; packets arriving, at most once a second (and not at all while
     * the display holds an earlier packet: what it counted as of that one stays true). */
    size_t asof = ui_asof_count(ui);
    if (asof != p->built_asof ||
        (p->built_n != ui->idx.n && (asof == ui->idx.n || !p->asof_exact) &&
         ui_now_ms() - p->built_ms >= 1000))
        build(ui, p);
    char title[96];
    if (p->asof_exact)
        snprintf(title, sizeof(title), " Statistics (%zu packet%s)", p->built_asof,
                 p->built_asof == 1 ? "" : "s");
    else
        snprintf(title, sizeof(title), " Statistics (%zu packets read, not as of packet %zu)",
                 p->built_n, p->built_asof);
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
