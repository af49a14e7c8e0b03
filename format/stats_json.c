/*
 * --stats=json: the numbers of --stats (stats.c) as one JSON object, indented over several
 * lines, for jq and scripts. Every number the text shows is here under a documented key
 * (doc/pktscope.1); tests/scripts/stats_json.sh checks that on several captures.
 *
 *   capture            packets, bytes_captured, bytes_on_wire, first_packet / last_packet (UTC
 *                      "YYYY-MM-DD HH:MM:SS.uuuuuu UTC", as the text), first_packet_epoch /
 *                      last_packet_epoch (strings, 6 decimals), time_span (seconds, a number),
 *                      truncated_packets, malformed_packets, unsupported_packets
 *   link_types         [{linktype, name, packets}], link_types_other
 *   protocol_hierarchy [{protocol, packets, bytes, share and byte_share (percent of the
 *                       packets and of the bytes on the wire, 2 decimals), children}]
 *   paths_not_counted
 *   anomalies          {stable anomaly name: packets}, only those seen
 *   tcp_analysis       {analysis name: packets}, only those seen
 *   tcp_phases         {handshake, data, teardown, reset}
 *   connections        tcp_connections, udp_flows, icmp_exchanges, flows_created,
 *                      flows_open, flows_active (in the table), flows_evicted,
 *                      flows_timed_out, flows_ended (TCP connections over, dropped 5 s
 *                      after their last packet, as Zeek does), memory_per_flow,
 *                      pairs_evicted (requests pushed out
 *                      of track/pairing.c's full tables before their reply),
 *                      stream_keys_forgotten (5-tuples whose stream number was let go:
 *                      past 1,048,576 5-tuples, or in a capture that never ends)
 *   reassembly         ip_datagrams_reassembled, ip_datagrams_incomplete,
 *                      ip_datagrams_dropped, overlapping_fragment_sets,
 *                      tcp_messages_reassembled, tcp_messages_dropped, tcp_holes,
 *                      peak_memory; null with --no-reassembly
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

/* A JSON string of constant names (protocols, link types, anomalies): quote, backslash and any
 * control byte escaped, so the output stays valid whatever a table holds. */
static void jstr(struct strbuf *sb, const char *s)
{
    sb_putc(sb, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(sb, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            sb_printf(sb, "\\u%04x", c);
        else
            sb_putc(sb, (char)c);
    }
    sb_putc(sb, '"');
}

static void indent(struct strbuf *sb, unsigned depth)
{
    sb_putc(sb, '\n');
    for (unsigned i = 0; i < depth; i++)
        sb_puts(sb, "  ");
}

/* `"name": ` on its own line, after a comma unless it is the first member. */
static void member(struct strbuf *sb, bool *first, unsigned depth, const char *name)
{
    if (!*first)
        sb_putc(sb, ',');
    *first = false;
    indent(sb, depth);
    jstr(sb, name);
    sb_puts(sb, ": ");
}

static void num(struct strbuf *sb, bool *first, unsigned depth, const char *name, uint64_t v)
{
    member(sb, first, depth, name);
    sb_printf(sb, "%" PRIu64, v);
}

static void utc(struct strbuf *sb, bool *first, const char *name, int64_t sec, uint32_t nsec)
{
    char key[48];
    struct strbuf kb;
    time_t t = (time_t)sec;
    struct tm tm;
    member(sb, first, 2, name);
    if (gmtime_r(&t, &tm))
        sb_printf(sb, "\"%04d-%02d-%02d %02d:%02d:%02d.%06" PRIu32 " UTC\"", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec / 1000);
    else
        sb_puts(sb, "null");
    sb_init(&kb, key, sizeof(key));
    sb_printf(&kb, "%s_epoch", name);
    member(sb, first, 2, key);
    sb_printf(sb, "\"%" PRId64 ".%06" PRIu32 "\"", sec, nsec / 1000);
}

static void nodes(struct strbuf *sb, const struct stats *st, uint32_t parent, unsigned depth)
{
    bool first = true;
    sb_putc(sb, '[');
    if (depth <= DIS_MAX_LAYERS) {
        for (uint32_t i = 0; i < st->nnodes; i++) {
            const struct stats_node *n = &st->nodes[i];
            if (n->parent != parent)
                continue;
            const struct proto_info *pi = proto_info((enum proto_id)n->proto);
            if (!first)
                sb_putc(sb, ',');
            first = false;
            indent(sb, 2 + 2 * depth);
            sb_puts(sb, "{\"protocol\": ");
            jstr(sb, pi->short_name[0] ? pi->short_name : "raw");
            sb_printf(sb, ", \"packets\": %" PRIu64 ", \"bytes\": %" PRIu64, n->packets, n->bytes);
            /* The text's rounding, so both say the same number. */
            sb_printf(sb, ", \"share\": %.2f, \"byte_share\": %.2f",
                      st->packets ? 100.0 * (double)n->packets / (double)st->packets : 0.0,
                      st->wire_bytes ? 100.0 * (double)n->bytes / (double)st->wire_bytes : 0.0);
            sb_puts(sb, ", \"children\": ");
            nodes(sb, st, i, depth + 1);
            sb_putc(sb, '}');
        }
    }
    if (!first)
        indent(sb, 1 + 2 * depth);
    sb_putc(sb, ']');
}

static void render(struct strbuf *sb, const struct stats *st, const struct tracker_totals *tt,
                   const struct reasm_stats *rs)
{
    bool top = true, f;
    sb_putc(sb, '{');

    member(sb, &top, 1, "capture");
    sb_putc(sb, '{');
    f = true;
    num(sb, &f, 2, "packets", st->packets);
    num(sb, &f, 2, "bytes_captured", st->bytes);
    num(sb, &f, 2, "bytes_on_wire", st->wire_bytes);
    if (st->packets) {
        utc(sb, &f, "first_packet", st->first_sec, st->first_nsec);
        utc(sb, &f, "last_packet", st->last_sec, st->last_nsec);
        bool neg;
        uint64_t ds;
        uint32_t dn;
        ptime_split(ptime_diff(st->last_sec, st->last_nsec, st->first_sec, st->first_nsec), &neg,
                    &ds, &dn);
        member(sb, &f, 2, "time_span");
        sb_printf(sb, "%s%" PRIu64 ".%06" PRIu32, neg ? "-" : "", ds, dn / 1000);
    }
    num(sb, &f, 2, "truncated_packets", st->truncated);
    num(sb, &f, 2, "malformed_packets", st->malformed);
    num(sb, &f, 2, "unsupported_packets", st->unsupported);
    indent(sb, 1);
    sb_putc(sb, '}');

    member(sb, &top, 1, "link_types");
    sb_putc(sb, '[');
    for (uint32_t i = 0; i < st->nlinktypes; i++) {
        if (i)
            sb_putc(sb, ',');
        indent(sb, 2);
        sb_printf(sb, "{\"linktype\": %" PRIu32 ", \"name\": ", st->linktypes[i]);
        jstr(sb, linktype_name(st->linktypes[i]));
        sb_printf(sb, ", \"packets\": %" PRIu64 "}", st->linktype_packets[i]);
    }
    if (st->nlinktypes)
        indent(sb, 1);
    sb_putc(sb, ']');
    num(sb, &top, 1, "link_types_other", st->linktype_other);

    member(sb, &top, 1, "protocol_hierarchy");
    nodes(sb, st, NO_PARENT, 0);
    num(sb, &top, 1, "paths_not_counted", st->nodes_dropped);

    member(sb, &top, 1, "anomalies");
    sb_putc(sb, '{');
    f = true;
    for (unsigned a = 1; a < ANOM__COUNT; a++)
        if (st->anomalies[a])
            num(sb, &f, 2, anomaly_name((enum anomaly_id)a), st->anomalies[a]);
    if (!f)
        indent(sb, 1);
    sb_putc(sb, '}');

    member(sb, &top, 1, "tcp_analysis");
    sb_putc(sb, '{');
    f = true;
    for (unsigned b = 0; b < 16; b++)
        if (st->analysis[b])
            num(sb, &f, 2, format_analysis_name(1u << b), st->analysis[b]);
    if (!f)
        indent(sb, 1);
    sb_putc(sb, '}');

    member(sb, &top, 1, "tcp_phases");
    sb_putc(sb, '{');
    f = true;
    for (unsigned p = PHASE_HANDSHAKE; p <= PHASE_RESET; p++)
        num(sb, &f, 2, phase_name((enum phase)p), st->phases[p]);
    indent(sb, 1);
    sb_putc(sb, '}');

    member(sb, &top, 1, "connections");
    if (tt) {
        const struct tracker_stats ts = tt->st;
        sb_putc(sb, '{');
        f = true;
        num(sb, &f, 2, "tcp_connections", tt->streams[0]);
        num(sb, &f, 2, "udp_flows", tt->streams[1]);
        num(sb, &f, 2, "icmp_exchanges", tt->streams[2] + tt->streams[3]);
        num(sb, &f, 2, "flows_created", ts.flows_created);
        num(sb, &f, 2, "flows_open", ts.flows_open);
        num(sb, &f, 2, "flows_active", ts.flows_active);
        num(sb, &f, 2, "flows_evicted", ts.flows_evicted);
        num(sb, &f, 2, "flows_timed_out", ts.flows_timed_out);
        num(sb, &f, 2, "flows_ended", ts.flows_over_dropped);
        num(sb, &f, 2, "memory_per_flow", (uint64_t)ts.bytes_per_flow);
        num(sb, &f, 2, "pairs_evicted", ts.pairs_evicted);
        num(sb, &f, 2, "stream_keys_forgotten", ts.stream_keys_forgotten);
        indent(sb, 1);
        sb_putc(sb, '}');
    } else {
        sb_puts(sb, "null");
    }

    member(sb, &top, 1, "reassembly");
    if (rs) {
        sb_putc(sb, '{');
        f = true;
        num(sb, &f, 2, "ip_datagrams_reassembled", rs->datagrams_completed);
        num(sb, &f, 2, "ip_datagrams_incomplete", rs->datagrams_timed_out);
        num(sb, &f, 2, "ip_datagrams_dropped", rs->datagrams_dropped);
        num(sb, &f, 2, "overlapping_fragment_sets", rs->fragments_overlapping);
        num(sb, &f, 2, "tcp_messages_reassembled", rs->pdus_reassembled);
        num(sb, &f, 2, "tcp_messages_dropped", rs->pdus_dropped);
        num(sb, &f, 2, "tcp_holes", rs->stream_holes);
        num(sb, &f, 2, "tcp_segments_out_of_order", rs->segments_out_of_order);
        num(sb, &f, 2, "tcp_streams_evicted_for_memory", rs->streams_evicted_for_memory);
        num(sb, &f, 2, "peak_memory", (uint64_t)rs->bytes_peak);
        indent(sb, 1);
        sb_putc(sb, '}');
    } else {
        sb_puts(sb, "null");
    }
    sb_puts(sb, "\n}");
}

void format_stats_json(struct json_buf *jb, const struct stats *st, const struct tracker_totals *tt,
                       const struct reasm_stats *rs)
{
    size_t want = 16384 + (size_t)st->nnodes * 160;
    for (;;) {
        if (jb->cap < want)
            jb->buf = xgrow(jb->buf, &jb->cap, want, 1);
        struct strbuf sb;
        sb_init(&sb, jb->buf, jb->cap);
        render(&sb, st, tt, rs);
        if (!sb.overflow) {
            jb->len = sb.len;
            return;
        }
        want = jb->cap * 2;
    }
}
