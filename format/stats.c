/*
 * --stats and the TUI's statistics view: totals, link types, the protocol hierarchy (as
 * tshark -z io,phs shows it), anomalies by their stable names, TCP analysis and phases, and the
 * tracker's flow-table counters (created, active, evicted by the cap, timed out).
 *
 * The accumulator is fixed-size: a capture with more distinct protocol paths than
 * STATS_MAX_NODES counts the rest in `nodes_dropped`, so memory never grows with the input.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "dissect/linktype.h"
#include "dissect/numbers.h"
#include "format/format.h"
#include "util/ptime.h"
#include "util/util.h"

#define NO_PARENT 0xffffu

void stats_init(struct stats *st)
{
    memset(st, 0, sizeof(*st));
}

static uint32_t node_find(struct stats *st, uint32_t parent, uint16_t proto)
{
    for (uint32_t i = 0; i < st->nnodes; i++)
        if (st->nodes[i].parent == parent && st->nodes[i].proto == proto)
            return i;
    if (st->nnodes >= STATS_MAX_NODES)
        return NO_PARENT;
    struct stats_node *n = &st->nodes[st->nnodes];
    n->parent = (uint16_t)parent;
    n->proto = proto;
    n->packets = n->bytes = 0;
    return st->nnodes++;
}

void stats_add(struct stats *st, const struct packet *pkt, const struct dissection *d,
               const struct track_info *ti)
{
    if (st->packets == 0 || pkt->ts_sec < st->first_sec ||
        (pkt->ts_sec == st->first_sec && pkt->ts_nsec < st->first_nsec)) {
        st->first_sec = pkt->ts_sec;
        st->first_nsec = pkt->ts_nsec;
    }
    if (st->packets == 0 || pkt->ts_sec > st->last_sec ||
        (pkt->ts_sec == st->last_sec && pkt->ts_nsec > st->last_nsec)) {
        st->last_sec = pkt->ts_sec;
        st->last_nsec = pkt->ts_nsec;
    }
    st->packets++;
    st->bytes += pkt->caplen;
    st->wire_bytes += pkt->len;

    uint32_t i;
    for (i = 0; i < st->nlinktypes; i++)
        if (st->linktypes[i] == pkt->linktype)
            break;
    if (i == st->nlinktypes && i < STATS_MAX_LINKTYPES) {
        st->linktypes[i] = pkt->linktype;
        st->linktype_packets[i] = 0;
        st->nlinktypes++;
    }
    if (i < st->nlinktypes)
        st->linktype_packets[i]++;
    else
        st->linktype_other++;

    switch (dis_worst_status(d)) {
    case LAYER_TRUNCATED:
        st->truncated++;
        break;
    case LAYER_MALFORMED:
        st->malformed++;
        break;
    case LAYER_UNSUPPORTED:
        st->unsupported++;
        break;
    default:
        break;
    }

    /* The node at each depth is the previous packet's while the path is the same (the node
     * for a protocol under the same parent); from the first difference on, it is searched for
     * and the remembered path rewritten. */
    uint32_t parent = NO_PARENT, depth = 0;
    bool same_path = true;
    for (unsigned li = 0; li < d->nlayers; li++) {
        uint16_t proto = d->layers[li].proto;
        if (proto == PROTO_PADDING)
            continue;
        uint32_t n;
        if (same_path && depth < st->path_len && st->path_proto[depth] == proto) {
            n = st->path_node[depth];
        } else {
            same_path = false;
            n = node_find(st, parent, proto);
            if (n == NO_PARENT) {
                st->nodes_dropped++;
                break;
            }
        }
        st->nodes[n].packets++;
        st->nodes[n].bytes += pkt->len;
        parent = n;
        if (depth < STATS_PATH_CACHE) {
            st->path_proto[depth] = proto;
            st->path_node[depth] = (uint16_t)n;
        } else {
            same_path = false; /* deeper than remembered: searched from here on */
        }
        depth++;
    }
    st->path_len = depth < STATS_PATH_CACHE ? depth : STATS_PATH_CACHE;

    for (unsigned ai = 0; ai < d->nanomalies; ai++)
        if (d->anomalies[ai].id < ANOM__COUNT)
            st->anomalies[d->anomalies[ai].id]++;

    if (ti) {
        for (uint32_t bits = ti->analysis & 0xffffu; bits; bits &= bits - 1)
            st->analysis[__builtin_ctz(bits)]++;
        if (ti->phase < ARRAY_SIZE(st->phases))
            st->phases[ti->phase]++;
    }
}

static void put_utc(struct lines *ls, int64_t sec, uint32_t nsec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        lines_addf(ls, ATTR_VALUE, "%" PRId64 ".%06" PRIu32, sec, nsec / 1000);
        return;
    }
    lines_addf(ls, ATTR_VALUE, "%04d-%02d-%02d %02d:%02d:%02d.%06" PRIu32 " UTC", tm.tm_year + 1900,
               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec / 1000);
}

static void kv(struct lines *ls, const char *label, const char *fmt, uint64_t v)
{
    lines_begin(ls, ATTR_NORMAL);
    /* At least one space: a long anomaly name ran into its count ("conflict1"). */
    lines_addf(ls, ATTR_LABEL, "%-29s ", label);
    lines_addf(ls, ATTR_VALUE, fmt, v);
    lines_end(ls);
}

static void heading(struct lines *ls, const char *text)
{
    lines_begin(ls, ATTR_HEADER);
    lines_add(ls, ATTR_HEADER, text, strlen(text));
    lines_end(ls);
}

/* Depth-first over the hierarchy: children in order of first appearance. */
static void node_lines(struct lines *ls, const struct stats *st, uint32_t parent, unsigned depth)
{
    if (depth > DIS_MAX_LAYERS)
        return;
    for (uint32_t i = 0; i < st->nnodes; i++) {
        const struct stats_node *n = &st->nodes[i];
        if (n->parent != parent)
            continue;
        const struct proto_info *pi = proto_info((enum proto_id)n->proto);
        const char *name = pi->short_name[0] ? pi->short_name : "raw";
        struct line *l = lines_begin(ls, ATTR_NORMAL);
        l->depth = (uint8_t)depth;
        unsigned pad = 2 + 2 * depth;
        char label[64];
        struct strbuf sb;
        sb_init(&sb, label, sizeof(label));
        for (unsigned k = 0; k < pad; k++)
            sb_putc(&sb, ' ');
        sb_puts(&sb, name);
        lines_addf(ls, ATTR_PROTO, "%-32s", label);
        lines_addf(ls, ATTR_VALUE, " %10" PRIu64 " %12" PRIu64, n->packets, n->bytes);
        /* Each node's share of the packets, then of the bytes on the wire. */
        if (st->packets)
            lines_addf(ls, ATTR_DIM, " %6.2f%%", 100.0 * (double)n->packets / (double)st->packets);
        if (st->packets && st->wire_bytes)
            lines_addf(ls, ATTR_DIM, " %6.2f%%", 100.0 * (double)n->bytes / (double)st->wire_bytes);
        lines_end(ls);
        node_lines(ls, st, i, depth + 1);
    }
}

void format_stats(struct lines *ls, const struct stats *st, const struct tracker_totals *tt,
                  const struct reasm_stats *rs)
{
    heading(ls, "Capture");
    kv(ls, "  Packets", "%" PRIu64, st->packets);
    kv(ls, "  Bytes captured", "%" PRIu64, st->bytes);
    kv(ls, "  Bytes on the wire", "%" PRIu64, st->wire_bytes);
    if (st->packets) {
        lines_begin(ls, ATTR_NORMAL);
        lines_addf(ls, ATTR_LABEL, "%-30s", "  First packet");
        put_utc(ls, st->first_sec, st->first_nsec);
        lines_end(ls);
        lines_begin(ls, ATTR_NORMAL);
        lines_addf(ls, ATTR_LABEL, "%-30s", "  Last packet");
        put_utc(ls, st->last_sec, st->last_nsec);
        lines_end(ls);
        /* last >= first, so the span is never negative (saturated at about 292 years). */
        bool neg;
        uint64_t ds;
        uint32_t dn;
        ptime_split(ptime_diff(st->last_sec, st->last_nsec, st->first_sec, st->first_nsec), &neg,
                    &ds, &dn);
        lines_begin(ls, ATTR_NORMAL);
        lines_addf(ls, ATTR_LABEL, "%-30s", "  Time span");
        lines_addf(ls, ATTR_VALUE, "%s%" PRIu64 ".%06" PRIu32 " s", neg ? "-" : "", ds, dn / 1000);
        lines_end(ls);
    }
    kv(ls, "  Truncated packets", "%" PRIu64, st->truncated);
    kv(ls, "  Malformed packets", "%" PRIu64, st->malformed);
    kv(ls, "  Unsupported packets", "%" PRIu64, st->unsupported);

    heading(ls, "Link types");
    for (uint32_t i = 0; i < st->nlinktypes; i++) {
        char label[48];
        struct strbuf sb;
        sb_init(&sb, label, sizeof(label));
        sb_printf(&sb, "  %" PRIu32 " %s", st->linktypes[i], linktype_name(st->linktypes[i]));
        kv(ls, label, "%" PRIu64 " packets", st->linktype_packets[i]);
    }
    if (st->linktype_other)
        kv(ls, "  other link types", "%" PRIu64 " packets", st->linktype_other);

    {
        /* The column heads right-aligned over node_lines' columns. */
        char head[80];
        struct strbuf hb;
        sb_init(&hb, head, sizeof(head));
        sb_printf(&hb, "%-32s %10s %12s %7s %7s", "Protocol hierarchy", "packets", "bytes",
                  "pkts %", "bytes %");
        heading(ls, head);
    }
    node_lines(ls, st, NO_PARENT, 0);
    if (st->nodes_dropped)
        kv(ls, "  (paths not counted)", "%" PRIu64, st->nodes_dropped);

    bool any = false;
    for (unsigned a = 1; a < ANOM__COUNT; a++) {
        if (!st->anomalies[a])
            continue;
        if (!any)
            heading(ls, "Anomalies");
        any = true;
        char label[64];
        struct strbuf sb;
        sb_init(&sb, label, sizeof(label));
        sb_printf(&sb, "  %s", anomaly_name((enum anomaly_id)a));
        kv(ls, label, "%" PRIu64, st->anomalies[a]);
    }

    any = false;
    for (unsigned b = 0; b < 16; b++) {
        if (!st->analysis[b])
            continue;
        if (!any)
            heading(ls, "TCP analysis");
        any = true;
        char label[64];
        struct strbuf sb;
        sb_init(&sb, label, sizeof(label));
        sb_printf(&sb, "  %s", format_analysis_name(1u << b));
        kv(ls, label, "%" PRIu64, st->analysis[b]);
    }

    if (st->phases[PHASE_HANDSHAKE] || st->phases[PHASE_DATA] || st->phases[PHASE_TEARDOWN] ||
        st->phases[PHASE_RESET]) {
        heading(ls, "TCP phases (packets)");
        for (unsigned p = PHASE_HANDSHAKE; p <= PHASE_RESET; p++) {
            char label[32];
            struct strbuf sb;
            sb_init(&sb, label, sizeof(label));
            sb_printf(&sb, "  %s", phase_name((enum phase)p));
            kv(ls, label, "%" PRIu64, st->phases[p]);
        }
    }

    if (tt) {
        const struct tracker_stats ts = tt->st;
        heading(ls, "Connections (tracker)");
        kv(ls, "  TCP connections", "%" PRIu64, tt->streams[0]);
        kv(ls, "  UDP flows", "%" PRIu64, tt->streams[1]);
        kv(ls, "  ICMP exchanges", "%" PRIu64, tt->streams[2] + tt->streams[3]);
        kv(ls, "  Flows created", "%" PRIu64, ts.flows_created);
        kv(ls, "  Flows open at the end", "%" PRIu64, ts.flows_open);
        kv(ls, "  Flows in table at the end", "%" PRIu64, ts.flows_active);
        kv(ls, "  Flows evicted (table full)", "%" PRIu64, ts.flows_evicted);
        kv(ls, "  Flows timed out (idle)", "%" PRIu64, ts.flows_timed_out);
        kv(ls, "  Flows dropped 5 s after end", "%" PRIu64, ts.flows_over_dropped);
        kv(ls, "  Memory per flow (bytes)", "%" PRIu64, (uint64_t)ts.bytes_per_flow);
        kv(ls, "  Requests evicted (pairing)", "%" PRIu64, ts.pairs_evicted);
        kv(ls, "  Stream numbers forgotten", "%" PRIu64, ts.stream_keys_forgotten);
    }
    if (rs) {
        heading(ls, "Reassembly");
        kv(ls, "  IP datagrams reassembled", "%" PRIu64, rs->datagrams_completed);
        kv(ls, "  IP datagrams incomplete", "%" PRIu64, rs->datagrams_timed_out);
        kv(ls, "  IP datagrams dropped (cap)", "%" PRIu64, rs->datagrams_dropped);
        kv(ls, "  Overlapping fragment sets", "%" PRIu64, rs->fragments_overlapping);
        kv(ls, "  TCP messages reassembled", "%" PRIu64, rs->pdus_reassembled);
        kv(ls, "  TCP messages dropped", "%" PRIu64, rs->pdus_dropped);
        kv(ls, "  TCP holes in messages", "%" PRIu64, rs->stream_holes);
        kv(ls, "  TCP segments out of order", "%" PRIu64, rs->segments_out_of_order);
        kv(ls, "  TCP streams let go (memory)", "%" PRIu64, rs->streams_evicted_for_memory);
        kv(ls, "  Peak memory (bytes)", "%" PRIu64, (uint64_t)rs->bytes_peak);
    }
}
