/*
 * -V and the TUI's layer pane: the packet's layers placed on the OSI model, every field with
 * its label, value and the bytes it was read from ([offset, length]), the teaching notes, each
 * layer's status and anomalies, and the tracker's labels with the rule that produced them.
 *
 * pktscope is used to teach: the headings name the OSI layer number and name (L2 Data link,
 * L3 Network, L4 Transport, L7 Application) and the first line says how the TCP/IP model folds
 * OSI 5-7 into one application layer, so students see both models on real bytes.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "dissect/linktype.h"
#include "dissect/numbers.h"
#include "format/conns.h"
#include "format/format.h"
#include "format/internal.h"
#include "track/community_id.h"
#include "util/util.h"

const char *format_osi_name(unsigned osi_layer, bool tcpip)
{
    switch (osi_layer) {
    case 1:
        return "L1 Physical";
    case 2:
        return "L2 Data link";
    case 3:
        return tcpip ? "L3 Network (Internet)" : "L3 Network";
    case 4:
        return "L4 Transport";
    case 5:
        return tcpip ? "L5 Application" : "L5 Session";
    case 6:
        return tcpip ? "L5 Application" : "L6 Presentation";
    case 7:
        return tcpip ? "L5 Application" : "L7 Application";
    default:
        return "L? Unknown";
    }
}

/* The value of the nearest field `id` before field `f` (the ICMP type a code belongs to). */
static bool field_before(const struct dissection *d, const struct field *f, enum field_id id,
                         uint32_t *v)
{
    for (size_t i = (size_t)(f - d->fields); i-- > 0;)
        if (d->fields[i].id == id) {
            *v = (uint32_t)d->fields[i].value;
            return true;
        }
    return false;
}

/* The registry's name for a field's value, shown after the value in parentheses: " (Echo
 * (ping) request)", " (SYN, ACK)" for a set of bits; nothing when the value has no name. */
static void put_value_name(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    const struct field_values *fv = field_values(f->id);
    if (!fv)
        return;
    if (fv->kind == FV_BITS) {
        sb_puts(sb, " (");
        format_bits(sb, fv->names, f->value);
        sb_putc(sb, ')');
        return;
    }
    const char *vn = NULL;
    uint32_t parent;
    if (fv->kind == FV_BY_PARENT) {
        if (field_before(d, f, (enum field_id)fv->parent, &parent))
            vn = field_value_name_in(f->id, parent, f->value);
    } else {
        vn = field_value_name(f->id, f->value);
    }
    if (vn)
        sb_printf(sb, " (%s)", vn);
}

void format_field_value(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    const struct field_def *def = field_def(f->id);
    switch (def->type) {
    case FT_NONE:
        if (f->id == FID_TLS_HANDSHAKE && f->value != TLS_HS_WHOLE) {
            /* What Wireshark's tree says of a handshake record that is not a message of its
             * own: "Encrypted Handshake Message", "Certificate (fragment)". */
            const char *name = f->value >= TLS_HS_FIRST_FRAGMENT
                                   ? field_value_name(FID_TLS_HANDSHAKE_TYPE, f->value & 0xff)
                                   : NULL;
            sb_puts(sb, name ? name : "Encrypted Handshake Message");
            if (f->value >= TLS_HS_LAST_FRAGMENT)
                sb_puts(sb, " (last fragment)");
            else if (f->value >= TLS_HS_FIRST_FRAGMENT)
                sb_puts(sb, " (fragment)");
        }
        break;
    case FT_UINT:
        sb_u64(sb, f->value);
        break;
    case FT_HEX: {
        int digits = f->len ? 2 * f->len : 1;
        /* An IPv6 option's type is one octet; its field spans the whole option so that the
         * hex view marks all of it. */
        if (f->id == FID_IPV6_OPT_TYPE)
            digits = 2;
        if (digits > 16)
            digits = 16;
        sb_puts(sb, "0x");
        sb_hex(sb, f->value, (unsigned)digits);
        break;
    }
    case FT_BOOL:
        sb_puts(sb, f->value ? "1 (set)" : "0 (not set)");
        break;
    case FT_INT:
        sb_i64(sb, (int64_t)f->value);
        break;
    case FT_MAC: {
        uint8_t mac[6];
        if (dis_field_mac(d, f, mac))
            sb_mac(sb, mac);
        else
            sb_puts(sb, "(not captured)");
        break;
    }
    case FT_IPV4:
    case FT_IPV6: {
        size_t need = def->type == FT_IPV4 ? 4 : 16;
        const uint8_t *p = dis_field_bytes(d, f, need);
        if (f->len != need || !p) {
            sb_puts(sb, "(not captured)");
            break;
        }
        if (def->type == FT_IPV4)
            sb_ipv4(sb, p);
        else
            sb_ipv6(sb, p);
        break;
    }
    case FT_BYTES: {
        size_t size = dis_field_size(f);
        const uint8_t *p = dis_field_bytes(d, f, size);
        if (!p)
            break;
        size_t n = size > 24 ? 24 : size;
        sb_hex_bytes(sb, p, n);
        if (n < size) {
            sb_puts(sb, "... (");
            sb_u64(sb, size);
            sb_puts(sb, " bytes)");
        }
        break;
    }
    case FT_TIME: {
        if (f->value == 0) {
            sb_puts(sb, "NULL (0: not set)"); /* RFC 5905 7.3; Wireshark says NULL */
            break;
        }
        int64_t sec;
        uint32_t nsec;
        field_time_split(f->value, &sec, &nsec);
        time_t t = (time_t)sec;
        struct tm tm;
        if (gmtime_r(&t, &tm))
            sb_printf(sb, "%04d-%02d-%02d %02d:%02d:%02d.%09" PRIu32 " UTC", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nsec);
        break;
    }
    case FT_FLOAT: {
        double v;
        memcpy(&v, &f->value, sizeof(v));
        if (field_is_relative_time(f->id))
            sb_printf(sb, "%.9f seconds", v); /* as Wireshark shows a relative time */
        else
            sb_printf(sb, "%g", v);
        break;
    }
    case FT_STRING: {
        size_t n;
        const char *s = dis_field_text(d, f, &n);
        sb_putc(sb, '"');
        sb_put_safe(sb, (const uint8_t *)s, n);
        sb_putc(sb, '"');
        break;
    }
    default:
        break;
    }
    put_value_name(sb, d, f);
}

static void add_str(struct lines *ls, uint8_t attr, const char *s)
{
    lines_add(ls, attr, s, strlen(s));
}

/* "  [offset, length]" after a field, as printf's "  [%u, %u]" writes it. */
static void add_span(struct lines *ls, uint32_t off, uint32_t len)
{
    char buf[32];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "  [");
    sb_u64(&sb, off);
    sb_puts(&sb, ", ");
    sb_u64(&sb, len);
    sb_putc(&sb, ']');
    lines_add(ls, ATTR_DIM, sb.buf, sb.len);
}

static void indent(struct lines *ls, unsigned depth)
{
    static const char spaces[] = "                                ";
    unsigned n = depth * 2;
    if (n > sizeof(spaces) - 1)
        n = sizeof(spaces) - 1;
    lines_add(ls, ATTR_NORMAL, spaces, n);
}

static void frame_lines(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                        bool tcpip)
{
    struct line *l = lines_begin(ls, ATTR_HEADER);
    l->ref_off = 0;
    l->ref_len = d->caplen;
    if (pkt)
        lines_addf(ls, ATTR_HEADER, "Frame %" PRIu64 ": ", pkt->number);
    else
        add_str(ls, ATTR_HEADER, "Frame: ");
    lines_addf(ls, ATTR_HEADER,
               "%" PRIu32 " bytes on the wire, %" PRIu32 " captured, link type %" PRIu32 " (%s)",
               d->len, d->caplen, d->linktype, linktype_name(d->linktype));
    lines_end(ls);
    if (pkt) {
        time_t t = (time_t)pkt->ts_sec;
        struct tm tm;
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Arrival time: ");
        if (pkt->ts_missing)
            add_str(ls, ATTR_VALUE, "not recorded (a pcapng Simple Packet Block has no time)");
        else if (gmtime_r(&t, &tm))
            lines_addf(ls, ATTR_VALUE, "%04d-%02d-%02d %02d:%02d:%02d.%09" PRIu32 " UTC",
                       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       tm.tm_sec, pkt->ts_nsec);
        if (!pkt->ts_missing)
            lines_addf(ls, ATTR_DIM, " (epoch %" PRId64 ".%09" PRIu32 ")", pkt->ts_sec,
                       pkt->ts_nsec);
        lines_end(ls);
        if (pkt->comment && pkt->comment_len) {
            lines_begin(ls, ATTR_NORMAL)->depth = 1;
            indent(ls, 1);
            add_str(ls, ATTR_LABEL, "Comment: ");
            lines_add_safe(ls, ATTR_VALUE, (const uint8_t *)pkt->comment, pkt->comment_len);
            lines_end(ls);
        }
    }
    lines_begin(ls, ATTR_NOTE)->depth = 1;
    indent(ls, 1);
    add_str(ls, ATTR_NOTE,
            tcpip ? "Layers numbered as the TCP/IP model does: 1 physical, 2 link, 3 internet, "
                    "4 transport, 5 application (OSI 5-7 folded into one)."
                  : "Layers numbered as the OSI model does; the TCP/IP model has 5 layers and "
                    "folds OSI 5-7 (session, presentation, application) into its application "
                    "layer.");
    lines_end(ls);
}

static const char *status_text(enum layer_status st)
{
    switch (st) {
    case LAYER_TRUNCATED:
        return "truncated: the capture stopped before this layer's declared end";
    case LAYER_MALFORMED:
        return "malformed: the bytes contradict the protocol";
    case LAYER_UNSUPPORTED:
        return "unsupported: pktscope does not decode this; shown as bytes";
    default:
        return "ok";
    }
}

static void put_end(struct strbuf *sb, const struct dissection *d, bool src)
{
    const struct dis_summary *s = &d->sum;
    if (s->addr_len == 16)
        sb_putc(sb, '[');
    sb_ip(sb, src ? s->src : s->dst, s->addr_len);
    if (s->addr_len == 16)
        sb_putc(sb, ']');
    if (s->l4 == PS_IPPROTO_TCP || s->l4 == PS_IPPROTO_UDP)
        sb_printf(sb, ":%u", src ? s->sport : s->dport);
}

/* Client and server (track/roles.c): who they are, which one sent this packet, the rule. */
static void roles_lines(struct lines *ls, const struct dissection *d, const struct track_info *ti)
{
    if ((ti->roles & TIR_RULE_MASK) == ROLE_NONE || !d->sum.addr_len)
        return;
    bool fc = track_from_client(ti);
    char cbuf[64], sbuf[64];
    struct strbuf cb, sv;
    sb_init(&cb, cbuf, sizeof(cbuf));
    sb_init(&sv, sbuf, sizeof(sbuf));
    put_end(&cb, d, fc);
    put_end(&sv, d, !fc);
    lines_begin(ls, ATTR_NORMAL)->depth = 1;
    indent(ls, 1);
    add_str(ls, ATTR_LABEL, "Client and server: ");
    lines_addf(ls, ATTR_VALUE, "client %s, server %s; sent by the %s", cbuf, sbuf,
               fc ? "client" : "server");
    lines_end(ls);
    lines_begin(ls, ATTR_NORMAL)->depth = 2;
    indent(ls, 2);
    add_str(ls, ATTR_LABEL, "Rule: ");
    add_str(ls, role_guessed(ti->roles) ? ATTR_WARN : ATTR_NOTE, role_rule_text(ti->roles));
    if (ti->roles & TIR_BROWSER)
        add_str(ls, ATTR_NOTE, ", B/S: the client is a web browser (its User-Agent)");
    lines_end(ls);
}

/* Where the request a packet carries was answered, as a later frame told it (-2, the TUI:
 * format_answered_in()), with the names of its fields. */
static void answer_line(struct lines *ls, const struct dissection *d)
{
    int64_t ns;
    const struct field *in = format_answered_in(d, &ns);
    if (!in)
        return;
    lines_begin(ls, ATTR_NORMAL)->depth = 1;
    indent(ls, 1);
    add_str(ls, ATTR_LABEL, "Answered by the response in frame: ");
    lines_addf(ls, ATTR_VALUE, "%" PRIu64 ", %" PRId64 ".%09" PRId64 " s later", in->value,
               ns / 1000000000, ns % 1000000000);
    lines_addf(ls, ATTR_NOTE, " (%s, pktscope.response_time)", field_def(in->id)->name);
    lines_end(ls);
}

/* The request a response answers (track/pairing.c), with the names of its fields; or where a
 * request was answered. */
static void pair_lines(struct lines *ls, const struct dissection *d, const struct track_info *ti)
{
    const char *label, *fields;
    answer_line(ls, d);
    switch (ti->pair_kind) {
    case TI_PAIR_HTTP:
        label = "Response to the request in frame: ", fields = " (http.request_in, http.time)";
        break;
    case TI_PAIR_DNS:
        label = "Response to the query in frame: ", fields = " (dns.response_to, dns.time)";
        break;
    case TI_PAIR_ECHO:
        label = "Reply to the echo request in frame: ";
        fields = d->sum.l4 == PS_IPPROTO_ICMPV6 ? " (icmpv6.resp_to, icmpv6.resptime)"
                                                : " (icmp.resp_to, icmp.resptime)";
        break;
    case TI_PAIR_ARP:
        label = "Reply to the request in frame: ";
        fields = " (pktscope.arp.request_in, pktscope.arp.time)";
        break;
    case TI_PAIR_ARP_AGAIN:
        label = "Asks again: the request in frame ";
        fields = " got no reply (pktscope.arp.unanswered)";
        break;
    default:
        return;
    }
    lines_begin(ls, ATTR_NORMAL)->depth = 1;
    indent(ls, 1);
    add_str(ls, ATTR_LABEL, label);
    lines_addf(ls, ATTR_VALUE, "%" PRIu32 ", %" PRId64 ".%09" PRId64 " s %s", ti->pair_frame,
               ti->pair_ns / 1000000000, ti->pair_ns % 1000000000,
               ti->pair_kind == TI_PAIR_ARP_AGAIN ? "earlier," : "later");
    add_str(ls, ATTR_NOTE, fields);
    lines_end(ls);
}

/* The Why line: format_explain()'s text. */
static void why_line(struct lines *ls, const struct dissection *d, const struct track_info *ti)
{
    char why[768];
    why[0] = '\0';
    format_explain(ti, d, why, sizeof(why));
    if (why[0]) {
        lines_begin(ls, ATTR_NOTE)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Why: ");
        lines_add_safe(ls, ATTR_NOTE, (const uint8_t *)why, strnlen(why, sizeof(why)));
        lines_end(ls);
    }
}

/* ARP has no connection: its section holds the pairing and the explanation. */
static void arp_lines(struct lines *ls, const struct dissection *d, const struct track_info *ti)
{
    struct line *l = lines_begin(ls, ATTR_HEADER);
    l->depth = 0;
    add_str(ls, ATTR_HEADER, "ARP (pktscope tracker)");
    lines_end(ls);
    pair_lines(ls, d, ti);
    why_line(ls, d, ti);
}

static void tracker_lines(struct lines *ls, const struct dissection *d, const struct track_info *ti)
{
    if (ti && !(ti->flags & TI_HAS_STREAM) && d->sum.l3 == L3_ARP)
        arp_lines(ls, d, ti);
    if (!ti || !(ti->flags & TI_HAS_STREAM))
        return;
    struct line *l = lines_begin(ls, ATTR_HEADER);
    l->depth = 0;
    const char *pn = conns_proto_name(ti->proto);
    lines_addf(ls, ATTR_HEADER, "Connection (pktscope tracker): %s.stream %" PRIu32, pn,
               ti->stream);
    if (ti->flags & TI_MIDSTREAM)
        add_str(ls, ATTR_WARN, ", start not captured (midstream)");
    lines_end(ls);

    if (ti->phase != PHASE_NONE) {
        static const uint8_t attrs[] = {ATTR_NORMAL, ATTR_HANDSHAKE, ATTR_DATA, ATTR_TEARDOWN,
                                        ATTR_RESET};
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Phase: ");
        const char *ph = phase_name((enum phase)ti->phase);
        lines_add(ls, ti->phase < ARRAY_SIZE(attrs) ? attrs[ti->phase] : ATTR_NORMAL, ph,
                  strlen(ph));
        if (ti->flags & TI_HALF_CLOSED)
            add_str(ls, ATTR_WARN, " (half-closed)");
        lines_end(ls);
    }
    char cid[COMMUNITY_ID_SIZE];
    if (community_id_tracked(d, ti, cid)) {
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Community ID: ");
        lines_add(ls, ATTR_VALUE, cid, strlen(cid));
        lines_end(ls);
    }
    if (ti->proto == PS_IPPROTO_TCP) {
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Relative seq/ack: ");
        /* A SYN's window is never scaled (RFC 7323 2.2), so calling it "scaled" would mislead. */
        const char *win_note = !(ti->flags & TI_WIN_SCALED)   ? ""
                               : (d->sum.tcp_flags & TCP_SYN) ? " (SYN: never scaled)"
                                                              : " (scaled)";
        lines_addf(ls, ATTR_VALUE, "%" PRIu32 " / %" PRIu32 ", window %" PRIu32 "%s", ti->rel_seq,
                   ti->rel_ack, ti->window_scaled, win_note);
        lines_end(ls);
    }
    roles_lines(ls, d, ti);
    if (ti->state_src != TCPS_NONE || ti->state_dst != TCPS_NONE) {
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Endpoint states (RFC 9293): ");
        const char *a = tcp_state_name((enum tcp_state)ti->state_src);
        const char *b = tcp_state_name((enum tcp_state)ti->state_dst);
        if ((ti->roles & TIR_RULE_MASK) != ROLE_NONE) {
            /* Per host, so that a state stays on its host from packet to packet. */
            const char *cs = tcp_state_name((enum tcp_state)track_state_of(ti, true));
            const char *ss = tcp_state_name((enum tcp_state)track_state_of(ti, false));
            lines_addf(ls, ATTR_VALUE, "client %s, server %s", cs[0] ? cs : "unknown",
                       ss[0] ? ss : "unknown");
        } else {
            lines_addf(ls, ATTR_VALUE, "sender %s, receiver %s", a[0] ? a : "unknown",
                       b[0] ? b : "unknown");
        }
        if (ti->flags & TI_STATE_CHANGE)
            add_str(ls, ATTR_NOTE, " (changed by this packet)");
        lines_end(ls);
    }
    if (ti->app_flags & TIA_DHCP) {
        /* DHCP: where the exchange's other messages are (track/dhcp.c; frames before this one) */
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "DHCP exchange: ");
        lines_addf(ls, ATTR_VALUE, "%" PRIu32, ti->dhcp_exchange);
        lines_addf(ls, ATTR_NOTE, " (pktscope.dhcp.exchange), first message in frame %" PRIu32,
                   ti->dhcp_first);
        if (ti->dhcp_prev)
            lines_addf(ls, ATTR_NOTE, ", previous in frame %" PRIu32, ti->dhcp_prev);
        if (ti->dhcp_request)
            lines_addf(ls, ATTR_NOTE, ", answers the client's message in frame %" PRIu32,
                       ti->dhcp_request);
        lines_end(ls);
    }
    if (ti->flags & TI_HAS_RTT) {
        lines_begin(ls, ATTR_NORMAL)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_LABEL, "Round-trip time: ");
        lines_addf(ls, ATTR_VALUE, "%" PRIu32 ".%03" PRIu32 " ms", ti->rtt_usec / 1000,
                   ti->rtt_usec % 1000);
        add_str(ls, ATTR_NOTE,
                ti->proto == PS_IPPROTO_TCP ? " (SYN to the ACK that completes the handshake)"
                                            : " (echo request to this reply)");
        lines_end(ls);
    }
    pair_lines(ls, d, ti);
    for (uint32_t bit = 1; bit <= TA_REUSED_PORTS; bit <<= 1) {
        if (!(ti->analysis & bit))
            continue;
        lines_begin(ls, ATTR_WARN)->depth = 1;
        indent(ls, 1);
        lines_addf(ls, ATTR_WARN, "Analysis: %s (%s)", format_analysis_label(bit),
                   format_analysis_field(bit));
        if (bit == TA_DUPLICATE_ACK && ti->dup_ack_num)
            lines_addf(ls, ATTR_WARN, " #%u", ti->dup_ack_num);
        if (bit == TA_DUPLICATE_ACK && ti->dup_ack_frame)
            lines_addf(ls, ATTR_WARN, " of the ACK in frame %u", ti->dup_ack_frame);
        lines_end(ls);
    }
    why_line(ls, d, ti);
}

void format_layers(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                   const struct track_info *ti, unsigned flags)
{
    bool tcpip = (flags & FMT_LAYERS_TCPIP) != 0;
    frame_lines(ls, pkt, d, tcpip);

    char vbuf[256];
    struct strbuf vb;
    for (unsigned li = 0; li < d->nlayers; li++) {
        const struct layer *ly = &d->layers[li];
        const struct proto_info *pi = proto_info((enum proto_id)ly->proto);
        struct line *l = lines_begin(ls, ATTR_HEADER);
        l->ref = -2 - (int32_t)li;
        l->ref_off = ly->offset;
        l->ref_len = ly->len;
        lines_addf(ls, ATTR_HEADER, "%s - %s", format_osi_name(pi->osi_layer, tcpip),
                   pi->long_name[0] ? pi->long_name : "Unknown");
        lines_addf(ls, ATTR_DIM, "  [%" PRIu32 ", %" PRIu32 "]", ly->offset, ly->len);
        if (ly->hdr_len && ly->hdr_len != ly->len)
            lines_addf(ls, ATTR_DIM, " header %" PRIu32, ly->hdr_len);
        if (pi->osi_layer >= 5 && !tcpip)
            add_str(ls, ATTR_NOTE, "  (TCP/IP: application layer)");
        lines_end(ls);

        if (ly->status != LAYER_OK) {
            lines_begin(ls, ATTR_ERROR)->depth = 1;
            indent(ls, 1);
            add_str(ls, ATTR_ERROR, "Status: ");
            const char *st = status_text((enum layer_status)ly->status);
            lines_add(ls, ATTR_ERROR, st, strlen(st));
            lines_end(ls);
        }

        unsigned end = (unsigned)ly->first_field + ly->nfields;
        for (unsigned fi = ly->first_field; fi < end && fi < d->nfields; fi++) {
            const struct field *f = &d->fields[fi];
            /* The chain's last Next header again (for the summary and --json): the tree
             * already shows it once, in its own extension header. */
            if (f->id == FID_IPV6_EXT_NXT)
                continue;
            const struct field_def *def = field_def(f->id);
            uint8_t depth = (uint8_t)(1 + def->indent);
            l = lines_begin(ls, ATTR_NORMAL);
            l->depth = depth;
            l->ref = (int32_t)fi;
            l->ref_off = f->offset;
            l->ref_len = (uint32_t)dis_field_size(f);
            indent(ls, depth);
            lines_add(ls, ATTR_LABEL, def->label, strlen(def->label));
            sb_init(&vb, vbuf, sizeof(vbuf));
            format_field_value(&vb, d, f);
            if (vb.len) {
                add_str(ls, ATTR_LABEL, ": ");
                bool is_addr = def->type == FT_MAC || def->type == FT_IPV4 || def->type == FT_IPV6;
                uint8_t va = is_addr ? ATTR_ADDR : ATTR_VALUE;
                if (checksum_is_status((enum field_id)f->id) && f->value == 0)
                    va = checksum_offloaded(d, f) ? ATTR_NOTE : ATTR_ERROR;
                lines_add(ls, va, vb.buf, vb.len);
                const char *verdict = checksum_verdict(d, f);
                if (verdict) {
                    bool bad = verdict[0] != '[';
                    add_str(ls, ATTR_LABEL, " ");
                    add_str(ls, bad && !checksum_offloaded(d, f + 1) ? ATTR_ERROR : ATTR_NOTE,
                            verdict);
                }
            }
            if (f->len)
                add_span(ls, f->offset, (uint32_t)dis_field_size(f));
            lines_end(ls);
            notes_field(ls, d, f, (uint8_t)(depth + 1));
        }

        for (unsigned ai = 0; ai < d->nanomalies; ai++) {
            const struct anomaly *a = &d->anomalies[ai];
            if (a->layer != li)
                continue;
            /* A note (a checksum left to the NIC) is not damage: not in the error colour. */
            uint8_t attr = anomaly_is_note((enum anomaly_id)a->id) ? ATTR_NOTE : ATTR_ERROR;
            l = lines_begin(ls, attr);
            l->depth = 1;
            l->ref_off = a->offset;
            l->ref_len = 0;
            indent(ls, 1);
            lines_addf(ls, attr, "Anomaly %s: %s", anomaly_name((enum anomaly_id)a->id),
                       anomaly_text((enum anomaly_id)a->id));
            lines_addf(ls, ATTR_DIM, "  [at %" PRIu32 "]", a->offset);
            lines_end(ls);
        }
    }
    if (d->nlayers == 0) {
        lines_begin(ls, ATTR_NOTE)->depth = 1;
        indent(ls, 1);
        add_str(ls, ATTR_NOTE, "No layer decoded.");
        lines_end(ls);
    }
    tracker_lines(ls, d, ti);
}
