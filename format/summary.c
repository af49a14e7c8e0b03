/*
 * The one-line summary of a packet: source, destination, protocol and an info text in the
 * words tshark and tcpdump use ("51234 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460",
 * "Standard query 0x1234 A example.com", "Who has 10.0.0.1? Tell 10.0.0.2"), so that people
 * who know those tools read it at once. Everything comes from the model's summary and fields.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "dissect/numbers.h"
#include "format/format.h"
#include "format/internal.h"
#include "util/ptime.h"
#include "util/util.h"

/* TA_* bits in the order their labels are shown, with Wireshark's names and info labels. */
static const struct {
    uint32_t bit;
    const char *name;
    const char *field;
    const char *label;
} analysis_table[] = {
    {TA_RETRANSMISSION, "retransmission", "tcp.analysis.retransmission", "TCP Retransmission"},
    {TA_FAST_RETRANSMISSION, "fast_retransmission", "tcp.analysis.fast_retransmission",
     "TCP Fast Retransmission"},
    {TA_SPURIOUS_RETRANSMISSION, "spurious_retransmission", "tcp.analysis.spurious_retransmission",
     "TCP Spurious Retransmission"},
    {TA_OUT_OF_ORDER, "out_of_order", "tcp.analysis.out_of_order", "TCP Out-Of-Order"},
    {TA_DUPLICATE_ACK, "duplicate_ack", "tcp.analysis.duplicate_ack", "TCP Dup ACK"},
    {TA_LOST_SEGMENT, "lost_segment", "tcp.analysis.lost_segment",
     "TCP Previous segment not captured"},
    {TA_ACK_LOST_SEGMENT, "ack_lost_segment", "tcp.analysis.ack_lost_segment",
     "TCP ACKed unseen segment"},
    {TA_ZERO_WINDOW, "zero_window", "tcp.analysis.zero_window", "TCP ZeroWindow"},
    {TA_ZERO_WINDOW_PROBE, "zero_window_probe", "tcp.analysis.zero_window_probe",
     "TCP ZeroWindowProbe"},
    {TA_ZERO_WINDOW_PROBE_ACK, "zero_window_probe_ack", "tcp.analysis.zero_window_probe_ack",
     "TCP ZeroWindowProbeAck"},
    {TA_KEEP_ALIVE, "keep_alive", "tcp.analysis.keep_alive", "TCP Keep-Alive"},
    {TA_KEEP_ALIVE_ACK, "keep_alive_ack", "tcp.analysis.keep_alive_ack", "TCP Keep-Alive ACK"},
    {TA_WINDOW_UPDATE, "window_update", "tcp.analysis.window_update", "TCP Window Update"},
    {TA_WINDOW_FULL, "window_full", "tcp.analysis.window_full", "TCP Window Full"},
    {TA_REUSED_PORTS, "reused_ports", "tcp.analysis.reused_ports", "TCP Port numbers reused"},
};

static int analysis_index(uint32_t bit)
{
    for (size_t i = 0; i < ARRAY_SIZE(analysis_table); i++)
        if (analysis_table[i].bit == bit)
            return (int)i;
    return -1;
}

const char *format_analysis_name(uint32_t ta_bit)
{
    int i = analysis_index(ta_bit);
    return i < 0 ? "unknown" : analysis_table[i].name;
}

const char *format_analysis_field(uint32_t ta_bit)
{
    int i = analysis_index(ta_bit);
    return i < 0 ? "tcp.analysis.unknown" : analysis_table[i].field;
}

uint32_t format_analysis_labelled(uint32_t analysis)
{
    if (analysis & (TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION))
        analysis &= ~TA_RETRANSMISSION;
    return analysis;
}

const char *format_analysis_label(uint32_t ta_bit)
{
    int i = analysis_index(ta_bit);
    return i < 0 ? "TCP ?" : analysis_table[i].label;
}

void format_bits(struct strbuf *sb, const struct tok *names, uint64_t flags)
{
    bool any = false;
    for (const struct tok *t = names; t->name; t++) {
        if (!(flags & t->value))
            continue;
        if (any)
            sb_puts(sb, ", ");
        sb_puts(sb, t->name);
        any = true;
    }
    if (!any)
        sb_puts(sb, "<None>");
}

void format_tcp_flags_sep(struct strbuf *sb, uint16_t flags, const char *sep, const char *none)
{
    /* In bit order, as Wireshark's info column lists them ("[FIN, ACK]"). */
    static const struct tok names[] = {
        {TCP_FIN, "FIN"}, {TCP_SYN, "SYN"}, {TCP_RST, "RST"}, {TCP_PSH, "PSH"}, {TCP_ACK, "ACK"},
        {TCP_URG, "URG"}, {TCP_ECE, "ECE"}, {TCP_CWR, "CWR"}, {TCP_AE, "AE"},   {0, NULL},
    };
    bool any = false;
    for (const struct tok *t = names; t->name; t++) {
        if (!(flags & t->value))
            continue;
        if (any)
            sb_puts(sb, sep);
        sb_puts(sb, t->name);
        any = true;
    }
    if (!any)
        sb_puts(sb, none);
}

void format_tcp_flags(struct strbuf *sb, uint16_t flags)
{
    format_tcp_flags_sep(sb, flags, ", ", "<None>");
}

/* "SPORT → DPORT", as tshark's TCP and UDP Info begin */
static void sb_ports(struct strbuf *sb, uint16_t sport, uint16_t dport)
{
    sb_u64(sb, sport);
    sb_puts(sb, " \xe2\x86\x92 ");
    sb_u64(sb, dport);
}

void format_time(struct strbuf *sb, enum fmt_time mode, int64_t sec, uint32_t nsec, int64_t ref_sec,
                 uint32_t ref_nsec)
{
    if (mode == FMT_TIME_ABSOLUTE || mode == FMT_TIME_DATE) {
        time_t t = (time_t)sec;
        struct tm tm;
        if (!gmtime_r(&t, &tm)) {
            sb_puts(sb, mode == FMT_TIME_DATE ? "?\?\?\?-?\?-?\? ??:??:??" : "??:??:??");
            return;
        }
        /* tcpdump -tttt's layout; UTC as the time of day is, so the zone never changes it. */
        if (mode == FMT_TIME_DATE)
            sb_printf(sb, "%04d-%02d-%02d ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        /* "%02d:%02d:%02d.%06u": gmtime's fields are never negative */
        sb_u64_width(sb, (uint64_t)tm.tm_hour, 2, '0');
        sb_putc(sb, ':');
        sb_u64_width(sb, (uint64_t)tm.tm_min, 2, '0');
        sb_putc(sb, ':');
        sb_u64_width(sb, (uint64_t)tm.tm_sec, 2, '0');
        sb_putc(sb, '.');
        sb_u64_width(sb, nsec / 1000, 6, '0');
        return;
    }
    if (mode == FMT_TIME_EPOCH) {
        sb_i64(sb, sec);
        sb_putc(sb, '.');
        sb_u64_width(sb, nsec / 1000, 6, '0');
        return;
    }
    /* Relative and delta: a signed difference in nanoseconds, shown with 6 decimals as tshark.
     * Time going backwards happens in real captures; it shows as a negative number, truncated
     * toward zero as the positive ones are (-0.376543211 is "-0.376543"). */
    bool neg;
    uint64_t ds;
    uint32_t dn;
    ptime_split(ptime_diff(sec, nsec, ref_sec, ref_nsec), &neg, &ds, &dn);
    if (neg)
        sb_putc(sb, '-');
    sb_u64(sb, ds);
    sb_putc(sb, '.');
    sb_u64_width(sb, dn / 1000, 6, '0');
}

/* The first field with `id` inside layer `l`, or NULL. */
static const struct field *layer_field(const struct dissection *d, const struct layer *l,
                                       enum field_id id)
{
    if (!l)
        return NULL;
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields && i < d->nfields;
         i++)
        if (d->fields[i].id == id)
            return &d->fields[i];
    return NULL;
}

static void put_text_field(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    size_t n;
    const char *s = dis_field_text(d, f, &n);
    sb_put_safe(sb, (const uint8_t *)s, n);
}

/* An address held at a field's bytes, when they were all captured. */
static bool put_addr_field(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    if (!f)
        return false;
    unsigned type = field_def(f->id)->type;
    const uint8_t *p = dis_field_bytes(d, f, f->len);
    if (!p)
        return false;
    if (type == FT_MAC && f->len == 6)
        sb_mac(sb, p);
    else if (type == FT_IPV4 && f->len == 4)
        sb_ipv4(sb, p);
    else if (type == FT_IPV6 && f->len == 16)
        sb_ipv6(sb, p);
    else
        return false;
    return true;
}

static void put_mac_or_broadcast(struct strbuf *sb, const uint8_t mac[6])
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (memcmp(mac, bcast, 6) == 0)
        sb_puts(sb, "Broadcast");
    else
        sb_mac(sb, mac);
}

/* "[TCP Retransmission] " ...: the tracker's analysis labels, in front of the info as tshark
 * puts them, whichever protocol names the packet (an HTTP segment can be out of order). */
/* " MSS=1460": a label and a number, the TCP options' and the analysis notes' form. */
static void labelled_u64(struct strbuf *sb, const char *label, uint64_t v)
{
    sb_puts(sb, label);
    sb_u64(sb, v);
}

static void analysis_prefix(struct strbuf *sb, const struct track_info *ti, uint8_t *attr)
{
    if (!ti || !(ti->flags & TI_HAS_STREAM) || ti->proto != PS_IPPROTO_TCP || !ti->analysis)
        return;
    uint32_t shown = format_analysis_labelled(ti->analysis);
    for (size_t i = 0; i < ARRAY_SIZE(analysis_table); i++) {
        if (!(shown & analysis_table[i].bit))
            continue;
        sb_putc(sb, '[');
        sb_puts(sb, analysis_table[i].label);
        /* "[TCP Dup ACK 8#2]": the second duplicate of frame 8's ACK, as tshark writes it. */
        if (analysis_table[i].bit == TA_DUPLICATE_ACK && ti->dup_ack_num) {
            sb_putc(sb, ' ');
            if (ti->dup_ack_frame)
                sb_u64(sb, ti->dup_ack_frame);
            labelled_u64(sb, "#", ti->dup_ack_num);
        }
        sb_puts(sb, "] ");
    }
    *attr = ATTR_WARN;
}

/*
 * The info text of one protocol's layer `l`. Returns false to decline (an HTTP layer holding
 * only a continuation), and the layer below is asked instead. `attr` is the info's attribute.
 */
typedef bool (*summary_fn)(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                           const struct track_info *ti, uint8_t *attr);

/*
 * The first segment of a message that reassembly holds open: tshark lets the protocol speak
 * before it asks for the rest, so HTTP shows its first line ("GET /a.txt HTTP/1.1  [TCP segment
 * of a reassembled PDU]") and TLS nothing but the mark; other protocols leave TCP's own line
 * (false here, and summary_tcp appends the mark).
 */
static bool pdu_head_info(struct strbuf *sb, const struct dissection *d)
{
    const struct dis_summary *s = &d->sum;
    if (!s->tcp_pdu_open)
        return false;
    if (s->tcp_pdu_proto == PROTO_TLS && s->tcp_pdu_head) {
        sb_puts(sb, "[TCP segment of a reassembled PDU]");
        return true;
    }
    if (s->tcp_pdu_proto != PROTO_HTTP || !s->tcp_pdu_head)
        return false;
    /* HTTP names the message while it reads it: on its first segment, and on the next ones
     * while its headers are not all there. */
    size_t off = s->tcp_pdu_line_off, n = s->tcp_pdu_line_len;
    if (off > DIS_TEXT_SIZE || n > DIS_TEXT_SIZE - off)
        n = 0;
    sb_put_safe(sb, (const uint8_t *)d->text + off, n);
    sb_puts(sb, "  [TCP segment of a reassembled PDU]");
    return true;
}

/*
 * The options in the info column, in the order they appear in the header, as tshark writes
 * each one while it reads it: MSS=, SACK_PERM, TSval= TSecr=, WS= (the multiplier), SLE= SRE=
 * for each SACK block, TFO=R (a cookie request) and TFO=C (a cookie). Read from the TCP layer's
 * fields, which are recorded in header order.
 */
static void tcp_option_info(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                            uint32_t sack_base)
{
    const struct field *f = &d->fields[l->first_field];
    const struct field *end = f + l->nfields;
    for (; f < end; f++) {
        switch (f->id) {
        case FID_TCP_OPTIONS_MSS_VAL:
            labelled_u64(sb, " MSS=", f->value);
            break;
        case FID_TCP_OPTIONS_SACK_PERM:
            sb_puts(sb, " SACK_PERM");
            break;
        case FID_TCP_OPTIONS_TIMESTAMP_TSVAL:
            labelled_u64(sb, " TSval=", f->value);
            break;
        case FID_TCP_OPTIONS_TIMESTAMP_TSECR:
            labelled_u64(sb, " TSecr=", f->value);
            break;
        case FID_TCP_OPTIONS_WSCALE_SHIFT:
            labelled_u64(sb, " WS=", 1u << (f->value > 14 ? 14 : (unsigned)f->value));
            break;
        case FID_TCP_OPTIONS_SACK_LE:
            labelled_u64(sb, " SLE=", (uint32_t)f->value - sack_base);
            break;
        case FID_TCP_OPTIONS_SACK_RE:
            labelled_u64(sb, " SRE=", (uint32_t)f->value - sack_base);
            break;
        case FID_TCP_OPTIONS_TFO_REQUEST:
            sb_puts(sb, " TFO=R");
            break;
        case FID_TCP_OPTIONS_TFO_COOKIE:
            sb_puts(sb, " TFO=C");
            break;
        default:
            break;
        }
    }
}

static bool summary_tcp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    const struct dis_summary *s = &d->sum;
    if (s->l4 != PS_IPPROTO_TCP)
        return false;
    bool tracked = ti && (ti->flags & TI_HAS_STREAM) && ti->proto == PS_IPPROTO_TCP;
    analysis_prefix(sb, ti, attr);
    if (pdu_head_info(sb, d))
        return true;
    sb_ports(sb, s->sport, s->dport);
    if (l->len < 20) {
        /* The header was cut before its fixed 20 bytes ended, flags and window among them
         * (dissect_tcp then reads only the ports): print no made-up zeros (the anomaly
         * bracket that follows says what happened). Told by the layer's length, not by
         * looking for the two fields: that walk of the fields was 3.5 % of --print's
         * instructions on the real-traffic benchmark capture (callgrind). */
        return true;
    }
    sb_puts(sb, " [");
    format_tcp_flags(sb, s->tcp_flags);
    sb_puts(sb, "]");
    sb_puts(sb, " Seq=");
    sb_u64(sb, tracked ? ti->rel_seq : s->seq);
    if (s->tcp_flags & TCP_ACK) {
        sb_puts(sb, " Ack=");
        sb_u64(sb, tracked ? ti->rel_ack : s->ack);
    }
    sb_puts(sb, " Win=");
    sb_u64(sb, tracked ? ti->window_scaled : (uint32_t)s->window);
    sb_puts(sb, " Len=");
    sb_u64(sb, s->payload_len);
    /* SACK edges live in the peer's sequence space, as the ack does: shown relative to the
     * same base as Ack= (tshark does the same), raw without a tracker. */
    uint32_t sack_base = 0;
    if (tracked && (s->tcp_flags & TCP_ACK))
        sack_base = s->ack - ti->rel_ack;
    tcp_option_info(sb, d, l, sack_base);
    if (*attr == ATTR_NORMAL) {
        if (s->tcp_flags & TCP_RST)
            *attr = ATTR_RST;
        else if (s->tcp_flags & TCP_SYN)
            *attr = ATTR_SYN;
        else if (s->tcp_flags & TCP_FIN)
            *attr = ATTR_FIN;
    }
    if (s->tcp_pdu_open)
        sb_puts(sb, " [TCP segment of a reassembled PDU]");
    return true;
}

static bool summary_dns(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    if (d->sum.app_proto != PROTO_DNS)
        return false;
    analysis_prefix(sb, ti, attr);
    const struct field *id = layer_field(d, l, FID_DNS_ID);
    const struct field *resp = layer_field(d, l, FID_DNS_FLAGS_RESPONSE);
    const struct field *op = layer_field(d, l, FID_DNS_FLAGS_OPCODE);
    const struct field *rcode = layer_field(d, l, FID_DNS_FLAGS_RCODE);
    bool is_resp = resp && resp->value;
    if (op && op->value != 0)
        sb_printf(sb, "%s",
                  op->value == 4   ? "Zone change notification"
                  : op->value == 5 ? "Dynamic update"
                                   : "Query (other opcode)");
    else
        sb_puts(sb, "Standard query");
    if (is_resp)
        sb_puts(sb, " response");
    if (id)
        sb_printf(sb, " 0x%04x", (unsigned)(id->value & 0xffff));
    if (is_resp && rcode && rcode->value) {
        const char *rn = field_value_name(FID_DNS_FLAGS_RCODE, rcode->value);
        if (rn)
            sb_printf(sb, " %s", rn);
        else
            sb_printf(sb, " rcode %u", (unsigned)rcode->value);
    }
    /* Questions and answers in wire order: a type then the data it names. */
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields && i < d->nfields;
         i++) {
        const struct field *f = &d->fields[i];
        switch (f->id) {
        case FID_DNS_QRY_TYPE:
        case FID_DNS_RESP_TYPE: {
            const char *tn = field_value_name(f->id, f->value);
            if (tn)
                sb_printf(sb, " %s", tn);
            else
                sb_printf(sb, " Unknown (%u)", (unsigned)f->value);
            /* The question's name comes before its type on the wire; show it after. */
            if (f->id == FID_DNS_QRY_TYPE) {
                for (unsigned j = i; j-- > l->first_field;) {
                    if (d->fields[j].id == FID_DNS_QRY_NAME) {
                        sb_putc(sb, ' ');
                        put_text_field(sb, d, &d->fields[j]);
                        if (!d->fields[j].value)
                            sb_puts(sb, "<Root>");
                        break;
                    }
                }
            }
            break;
        }
        case FID_DNS_A:
        case FID_DNS_AAAA:
            sb_putc(sb, ' ');
            put_addr_field(sb, d, f);
            break;
        case FID_DNS_MX_PREFERENCE:
        case FID_DNS_SRV_PRIORITY:
        case FID_DNS_SRV_WEIGHT:
        case FID_DNS_SRV_PORT:
            sb_printf(sb, " %u", (unsigned)f->value);
            break;
        case FID_DNS_CNAME:
        case FID_DNS_NS:
        case FID_DNS_PTR:
        case FID_DNS_MX_MAIL_EXCHANGE:
        case FID_DNS_SOA_MNAME:
        case FID_DNS_SRV_TARGET:
            sb_putc(sb, ' ');
            put_text_field(sb, d, f);
            break;
        default:
            break;
        }
        if (sb->len > 300) {
            sb_puts(sb, " ...");
            break;
        }
    }
    return true;
}

/* The media type of a Content-Type value as Wireshark writes it after a message with a body:
 * lower case, without its parameters (" (text/plain)"). */
static void put_media_type(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    size_t off = (size_t)(f->value >> 16), n = (size_t)(f->value & 0xffff);
    if (off > DIS_TEXT_SIZE || n > DIS_TEXT_SIZE - off)
        return;
    const char *t = d->text + off;
    size_t e = 0;
    while (e < n && t[e] != ';')
        e++;
    while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t'))
        e--;
    sb_puts(sb, " (");
    for (size_t i = 0; i < e; i++) {
        char ch = t[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        if ((unsigned char)ch < 0x20 || ch == 0x7f)
            ch = '.';
        sb_putc(sb, ch);
    }
    sb_putc(sb, ')');
}

/* tshark's info for HTTP without reassembly: each message's first line followed by a space
 * ("GET / HTTP/1.1 GET /a HTTP/1.1 " for two pipelined requests), " (media/type)" after a
 * message whose body is here, and "Continuation" for a payload that starts no message. All the
 * HTTP layers of the packet are read, whichever one is asked. */
static bool summary_http(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                         const struct track_info *ti, uint8_t *attr)
{
    (void)l;
    analysis_prefix(sb, ti, attr);
    bool any = false;
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *h = &d->layers[i];
        if (h->proto != PROTO_HTTP)
            continue;
        const struct field *m = layer_field(d, h, FID_HTTP_REQUEST_METHOD);
        const struct field *rv = layer_field(d, h, FID_HTTP_RESPONSE_VERSION);
        const struct field *rc = layer_field(d, h, FID_HTTP_RESPONSE_CODE);
        if (m) {
            const struct field *u = layer_field(d, h, FID_HTTP_REQUEST_URI);
            const struct field *v = layer_field(d, h, FID_HTTP_REQUEST_VERSION);
            put_text_field(sb, d, m);
            if (u) {
                sb_putc(sb, ' ');
                put_text_field(sb, d, u);
            }
            if (v) {
                sb_putc(sb, ' ');
                put_text_field(sb, d, v);
            }
        } else if (rv || rc) {
            const struct field *rp = layer_field(d, h, FID_HTTP_RESPONSE_PHRASE);
            if (rv)
                put_text_field(sb, d, rv);
            if (rc)
                sb_printf(sb, " %u", (unsigned)rc->value);
            if (rp) {
                sb_putc(sb, ' ');
                put_text_field(sb, d, rp);
            }
        } else {
            sb_puts(sb, "Continuation");
            any = true;
            continue;
        }
        sb_putc(sb, ' ');
        /* The media type is what a media dissector adds; a body given to the data layer
         * (application/octet-stream, dissect/http.c) gets none. */
        const struct field *ct = layer_field(d, h, FID_HTTP_CONTENT_TYPE);
        bool to_data = i + 1 < d->nlayers && d->layers[i + 1].proto == PROTO_DATA;
        if (ct && layer_field(d, h, FID_HTTP_FILE_DATA) && !to_data)
            put_media_type(sb, d, ct);
        any = true;
    }
    return any;
}

/* Neighbour discovery (RFC 4861) in tshark's words: "Neighbor Solicitation for T from MAC",
 * "Neighbor Advertisement T (rtr, sol, ovr) is at MAC", "Router Solicitation from MAC". */
static void summary_nd(struct strbuf *sb, const struct dissection *d, unsigned type)
{
    const struct layer *l = dis_find_layer(d, PROTO_ICMPV6);
    if (type == 135 || type == 137) {
        sb_puts(sb, type == 135 ? " for " : " ");
        if (!put_addr_field(
                sb, d,
                layer_field(d, l, type == 135 ? FID_ICMPV6_NS_TARGET : FID_ICMPV6_RD_TARGET)))
            sb_puts(sb, "?");
    } else if (type == 136) {
        sb_putc(sb, ' ');
        if (!put_addr_field(sb, d, layer_field(d, l, FID_ICMPV6_NA_TARGET)))
            sb_puts(sb, "?");
        static const struct {
            enum field_id id;
            const char *name;
        } flags[] = {{FID_ICMPV6_NA_FLAG_R, "rtr"},
                     {FID_ICMPV6_NA_FLAG_S, "sol"},
                     {FID_ICMPV6_NA_FLAG_O, "ovr"}};
        bool any = false;
        for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
            const struct field *f = layer_field(d, l, flags[i].id);
            if (!f || !f->value)
                continue;
            sb_puts(sb, any ? ", " : " (");
            sb_puts(sb, flags[i].name);
            any = true;
        }
        if (any)
            sb_putc(sb, ')');
    } else if (type != 133 && type != 134) {
        return;
    }
    const struct field *src = layer_field(d, l, FID_ICMPV6_OPT_SRC_LINKADDR);
    const struct field *tgt = layer_field(d, l, FID_ICMPV6_OPT_TARGET_LINKADDR);
    if (type == 136 && tgt) {
        sb_puts(sb, " is at ");
        put_addr_field(sb, d, tgt);
    } else if (type != 136 && src) {
        sb_puts(sb, " from ");
        put_addr_field(sb, d, src);
    }
}

static bool summary_icmp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                         const struct track_info *ti, uint8_t *attr)
{
    (void)ti, (void)attr;
    const struct dis_summary *s = &d->sum;
    bool v6 = l->proto == PROTO_ICMPV6;
    if (s->l4 != (v6 ? PS_IPPROTO_ICMPV6 : PS_IPPROTO_ICMP))
        return false;
    const char *tn = field_value_name(v6 ? FID_ICMPV6_TYPE : FID_ICMP_TYPE, s->icmp_type);
    if (tn)
        sb_puts(sb, tn);
    else
        sb_printf(sb, "Type %u", s->icmp_type);
    /* ICMP names its codes as tshark's info does; ICMPv6's info shows the number. */
    const char *cn = v6 ? NULL : field_value_name_in(FID_ICMP_CODE, s->icmp_type, s->icmp_code);
    if (cn) {
        sb_printf(sb, " (%s)", cn);
    } else if (!v6 && s->icmp_type == 3) {
        sb_printf(sb, " (code %u)", s->icmp_code);
    } else if (s->icmp_code && !s->icmp_is_echo) {
        sb_printf(sb, " (code %u)", s->icmp_code);
    }
    /* tshark's words: ICMP pads the type to one width and shows the sequence number in both
     * byte orders (senders differ); ICMPv6 does neither. */
    if (s->icmp_is_echo && v6)
        sb_printf(sb, " id=0x%04x, seq=%u, hop limit=%u", s->icmp_id, s->icmp_seq, s->ttl);
    else if (s->icmp_is_echo)
        sb_printf(sb, "%s  id=0x%04x, seq=%u/%u, ttl=%u", s->icmp_type == 0 ? "  " : "", s->icmp_id,
                  s->icmp_seq, (unsigned)(((s->icmp_seq & 0xff) << 8) | (s->icmp_seq >> 8)),
                  s->ttl);
    if (v6)
        summary_nd(sb, d, s->icmp_type);
    if (s->has_quoted && (s->q_addr_len == 4 || s->q_addr_len == 16)) {
        sb_puts(sb, " [quoting ");
        sb_ip(sb, s->q_src, s->q_addr_len);
        if (s->q_l4 == PS_IPPROTO_TCP || s->q_l4 == PS_IPPROTO_UDP)
            sb_printf(sb, ":%u", s->q_sport);
        sb_puts(sb, " \xe2\x86\x92 ");
        sb_ip(sb, s->q_dst, s->q_addr_len);
        if (s->q_l4 == PS_IPPROTO_TCP || s->q_l4 == PS_IPPROTO_UDP)
            sb_printf(sb, ":%u %s", s->q_dport, s->q_l4 == PS_IPPROTO_TCP ? "TCP" : "UDP");
        sb_putc(sb, ']');
    }
    return true;
}

static bool summary_arp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    (void)ti, (void)attr;
    if (d->sum.l3 != L3_ARP)
        return false;
    const struct field *op = layer_field(d, l, FID_ARP_OPCODE);
    const struct field *sha = layer_field(d, l, FID_ARP_SRC_HW_MAC);
    const struct field *spa = layer_field(d, l, FID_ARP_SRC_PROTO_IPV4);
    const struct field *tpa = layer_field(d, l, FID_ARP_DST_PROTO_IPV4);
    const struct field *grat = layer_field(d, l, FID_ARP_ISGRATUITOUS);
    const struct field *probe = layer_field(d, l, FID_ARP_ISPROBE);
    unsigned opcode = op ? (unsigned)op->value : 0;
    if (grat && grat->value) {
        sb_puts(sb, "Gratuitous ARP for ");
        if (!put_addr_field(sb, d, spa))
            sb_puts(sb, "?");
        sb_puts(sb, opcode == 2 ? " (Reply)" : " (Request)");
        return true;
    }
    if (opcode == 1) {
        sb_puts(sb, "Who has ");
        if (!put_addr_field(sb, d, tpa))
            sb_puts(sb, "?");
        if (probe && probe->value) {
            sb_puts(sb, "? (ARP Probe)");
            return true;
        }
        sb_puts(sb, "? Tell ");
        if (!put_addr_field(sb, d, spa))
            sb_puts(sb, "?");
    } else if (opcode == 2) {
        if (!put_addr_field(sb, d, spa))
            sb_puts(sb, "?");
        sb_puts(sb, " is at ");
        if (!put_addr_field(sb, d, sha))
            sb_puts(sb, "?");
    } else {
        sb_printf(sb, "ARP opcode %u", opcode);
    }
    return true;
}

static void set_proto(struct summary *out, const char *name)
{
    struct strbuf sb;
    sb_init(&sb, out->proto, sizeof(out->proto));
    sb_puts(&sb, name);
}

/* IEEE 802.2 LLC: the service access points, named when well known. */
static bool summary_llc(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    (void)l, (void)ti, (void)attr;
    static const struct tok saps[] = {
        {0x06, "IP"},      {0x42, "Spanning Tree BPDU"}, {0xaa, "SNAP"}, {0xe0, "IPX"},
        {0xf0, "NetBIOS"}, {0xfe, "ISO network layer"},  {0, NULL},
    };
    const struct field *dsap = dis_find(d, FID_LLC_DSAP);
    const struct field *ssap = dis_find(d, FID_LLC_SSAP);
    const struct field *pid = dis_find(d, FID_LLC_PID);
    if (!dsap || !ssap) {
        sb_printf(sb, "%" PRIu32 " bytes", d->caplen);
        return true;
    }
    unsigned dv = (unsigned)dsap->value & 0xff, sv = (unsigned)ssap->value & 0xff;
    const char *dn = tok_name(saps, dv & 0xfe);
    sb_printf(sb, "DSAP 0x%02x", dv);
    if (dn)
        sb_printf(sb, " (%s)", dn);
    sb_printf(sb, ", SSAP 0x%02x", sv);
    if (pid)
        sb_printf(sb, ", PID 0x%04x", (unsigned)pid->value & 0xffff);
    sb_printf(sb, ", %" PRIu32 " bytes", d->caplen);
    return true;
}

static bool summary_udp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    (void)l, (void)ti, (void)attr;
    const struct dis_summary *s = &d->sum;
    if (s->l4 != PS_IPPROTO_UDP)
        return false;
    sb_ports(sb, s->sport, s->dport);
    sb_puts(sb, " Len=");
    sb_u64(sb, s->payload_len);
    return true;
}

static bool summary_ip(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                       const struct track_info *ti, uint8_t *attr)
{
    (void)l, (void)ti, (void)attr;
    const struct dis_summary *s = &d->sum;
    if (s->l3 != L3_IPV4 && s->l3 != L3_IPV6)
        return false;
    bool v6 = s->l3 == L3_IPV6;
    if (s->later_fragment || (s->is_fragment && s->l4 == 0)) {
        const struct field *off = dis_find(d, v6 ? FID_IPV6_FRAG_OFFSET : FID_IP_FRAG_OFFSET);
        const struct field *id = dis_find(d, v6 ? FID_IPV6_FRAG_ID : FID_IP_ID);
        const struct field *pr = dis_find(d, v6 ? FID_IPV6_EXT_NXT : FID_IP_PROTO);
        unsigned prn = pr ? (unsigned)pr->value : 0;
        if (v6) {
            /* tshark's IPv6 words: the offset in bytes, M as y/n, the 32-bit ident. */
            const struct field *more = dis_find(d, FID_IPV6_FRAG_MORE);
            sb_printf(sb, "IPv6 fragment (off=%u more=%c ident=0x%08x nxt=%u)",
                      off ? (unsigned)off->value * 8 : 0, more && more->value ? 'y' : 'n',
                      id ? (unsigned)id->value : 0, prn);
            return true;
        }
        /* tshark's words: the protocol by name and number, the offset in bytes. */
        const char *pname = field_value_name(FID_IP_PROTO, prn);
        sb_printf(sb, "Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)",
                  pname ? pname : "Unknown", prn, off ? (unsigned)off->value * 8 : 0,
                  id ? (unsigned)id->value : 0);
        /* Known from a later frame (-2, the TUI): tshark -2 writes it after the words. */
        const struct field *in = dis_find(d, FID_IP_REASSEMBLED_IN);
        if (in)
            sb_printf(sb, " [Reassembled in #%" PRIu64 "]", in->value);
        return true;
    }
    const struct field *pr = dis_find(d, v6 ? FID_IPV6_NXT : FID_IP_PROTO);
    if (v6) {
        /* The last next-header of the extension chain names the payload. */
        for (unsigned i = d->nfields; i-- > 0;)
            if (d->fields[i].id == FID_IPV6_EXT_NXT) {
                pr = &d->fields[i];
                break;
            }
    }
    sb_printf(sb, "IP protocol %u", pr ? (unsigned)pr->value : 0);
    return true;
}

/* The first server name of the ClientHello whose fields start at index `from` of layer l (up
 * to the next handshake message), or NULL. */
static const struct field *client_hello_sni(const struct dissection *d, const struct layer *l,
                                            unsigned from)
{
    for (unsigned i = from; i < (unsigned)l->first_field + l->nfields; i++) {
        if (d->fields[i].id == FID_TLS_HANDSHAKE)
            return NULL;
        if (d->fields[i].id == FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME)
            return &d->fields[i];
    }
    return NULL;
}

/* TLS: one item per record, in order, in tshark's words ("Server Hello, Certificate, Server
 * Hello Done", "Change Cipher Spec, Encrypted Handshake Message"). A record cut by the end of
 * the payload is left out, as tshark leaves it out when it cannot reassemble. */
static bool summary_tls(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    if (d->sum.app_proto != PROTO_TLS)
        return false;
    (void)l;
    bool any = false, skip = false;
    const struct field *sni = NULL;
    analysis_prefix(sb, ti, attr);
    /* Every TLS layer of the frame, in order: with reassembly, a message completed from
     * earlier segments and the records that follow it in this one are layers of their own. */
    for (unsigned li = 0; li < d->nlayers; li++) {
        const struct layer *tl = &d->layers[li];
        if (tl->proto != PROTO_TLS)
            continue;
        for (unsigned i = tl->first_field; i < (unsigned)tl->first_field + tl->nfields; i++) {
            const struct field *f = &d->fields[i];
            const struct field *next = i + 1 < d->nfields ? &d->fields[i + 1] : NULL;
            const char *item = NULL;
            const char *vn;
            switch (f->id) {
            case FID_TLS_RECORD:
                skip = f->value != 0;
                break;
            case FID_TLS_RECORD_CONTENT_TYPE:
            case FID_TLS_RECORD_OPAQUE_TYPE:
                if (f->value == 24)
                    item = "Encrypted Heartbeat";
                break;
            case FID_TLS_CONTINUATION:
                item = ti && ti->app_version >= 0x0301 && ti->app_version <= 0x0303
                           ? "Ignored Unknown Record"
                           : "Continuation Data";
                skip = false;
                break;
            case FID_TLS_CHANGE_CIPHER_SPEC:
                item = "Change Cipher Spec";
                break;
            case FID_TLS_APP_DATA:
                item = "Application Data";
                break;
            case FID_TLS_ALERT_MESSAGE:
                if (f->value || !next || next->id != FID_TLS_ALERT_MESSAGE_LEVEL ||
                    i + 2 >= d->nfields) {
                    item = "Encrypted Alert";
                    break;
                }
                if (!skip) {
                    const char *lv = field_value_name(FID_TLS_ALERT_MESSAGE_LEVEL, next->value);
                    const char *ds =
                        field_value_name(FID_TLS_ALERT_MESSAGE_DESC, d->fields[i + 2].value);
                    sb_printf(sb, "%sAlert (Level: %s, Description: %s)", any ? ", " : "",
                              lv ? lv : "Unknown", ds ? ds : "Unknown");
                    any = true;
                }
                break;
            case FID_TLS_HANDSHAKE:
                if (f->value == TLS_HS_ENCRYPTED) {
                    item = "Encrypted Handshake Message";
                } else if (f->value >= TLS_HS_FIRST_FRAGMENT && f->value < TLS_HS_FRAGMENT &&
                           !skip) {
                    /* The start of a message that spans records, named as Wireshark names it
                     * (its other fragments are not named). */
                    vn = field_value_name(FID_TLS_HANDSHAKE_TYPE, f->value - TLS_HS_FIRST_FRAGMENT);
                    sb_printf(sb, "%s[%s Fragment]", any ? ", " : "",
                              vn ? vn : "Encrypted Handshake Message");
                    any = true;
                } else if (f->value == TLS_HS_WHOLE && next && next->id == FID_TLS_HANDSHAKE_TYPE) {
                    vn = field_value_name(FID_TLS_HANDSHAKE_TYPE, next->value);
                    item = vn ? vn : "Unknown Handshake Message";
                    if (next->value == 1 && !skip)
                        sni = client_hello_sni(d, tl, i + 1);
                }
                break;
            default:
                break;
            }
            if (item && !skip) {
                sb_printf(sb, "%s%s", any ? ", " : "", item);
                any = true;
            }
            if (sni) {
                /* The server name the client asks for, as Wireshark 4.2 and later show it:
                 * what a user looks for first in TLS traffic (tshark 4.0 leaves it out). */
                sb_puts(sb, " (SNI=");
                put_text_field(sb, d, sni);
                sb_puts(sb, ")");
                sni = NULL;
            }
        }
    }
    /* With only a record cut short the info stays empty: tshark, waiting for the rest, says
     * nothing either. */
    return true;
}

/* The protocol column: the version the records (and the connection so far) name, as
 * Wireshark's ssl_version_short_names. */
static const char *col_tls(const struct dissection *d, const struct track_info *ti)
{
    static const struct tok names[] = {
        {0x0300, "SSLv3"},   {0x0301, "TLSv1"},   {0x0302, "TLSv1.1"},
        {0x0303, "TLSv1.2"}, {0x0304, "TLSv1.3"}, {0, NULL},
    };
    /* A payload that starts with a cut record: tshark waits for the rest and names it SSL. */
    const struct layer *l = dis_find_layer(d, PROTO_TLS);
    if (l && l->nfields && d->fields[l->first_field].id == FID_TLS_RECORD &&
        d->fields[l->first_field].value)
        return "SSL";
    uint16_t v = ti && ti->app_version ? ti->app_version : d->sum.app_version;
    const char *n = tok_name(names, v);
    return n ? n : "TLS";
}

/*
 * SNMP: OIDs that tshark 4.0 names by itself, without MIB files (epan/oids.c). Its Info column
 * shows a varbind's name through the deepest node of its OID tree that the OID reaches: by name
 * when that node has one ("asn1", "joint-iso-itu-t.0"), else in dotted decimal. Under iso (1)
 * its tree holds unnamed nodes (1.0, 1.3.6.1, ...), so "iso" is used only for "1" itself; a
 * v1 trap's enterprise is shown with the nearest named ancestor ("iso.3.6.1.4.1.8072").
 * The table is what the SNMP captures showed; tshark's own tree is larger (X.509 registers
 * names under 2.5), so an OID under joint-iso-itu-t may be named differently.
 */
static const struct {
    const char *oid;
    const char *name;
    bool as_prefix; /* names longer OIDs in a varbind too */
} snmp_oid_names[] = {
    {"1", "iso", false},
    {"2", "joint-iso-itu-t", true},
    {"2.1", "asn1", true},
};

/* The longest table entry that names the OID s[0..n) (`any_prefix`: every entry may name a
 * longer OID); its length in *k, or NULL. */
static const char *snmp_oid_name(const char *s, size_t n, bool any_prefix, size_t *k)
{
    const char *best = NULL;
    *k = 0;
    for (size_t i = 0; i < ARRAY_SIZE(snmp_oid_names); i++) {
        size_t m = strlen(snmp_oid_names[i].oid);
        if (m > n || memcmp(snmp_oid_names[i].oid, s, m) != 0 || m <= *k)
            continue;
        if (m < n && (s[m] != '.' || !(any_prefix || snmp_oid_names[i].as_prefix)))
            continue;
        best = snmp_oid_names[i].name;
        *k = m;
    }
    return best;
}

static void snmp_put_oid(struct strbuf *sb, const char *s, size_t n, bool any_prefix)
{
    size_t k;
    const char *name = snmp_oid_name(s, n, any_prefix, &k);
    if (name) {
        sb_puts(sb, name);
        sb_put_safe(sb, (const uint8_t *)s + k, n - k);
    } else {
        sb_put_safe(sb, (const uint8_t *)s, n);
    }
}

/* tshark's SNMP Info: the PDU type, then the trap's enterprise, then every varbind's name
 * ("get-request 1.3.6.1.2.1.1.1.0"); an encrypted v3 PDU is "encryptedPDU: privKey Unknown". */
static bool summary_snmp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                         const struct track_info *ti, uint8_t *attr)
{
    (void)ti, (void)attr;
    const struct field *md = layer_field(d, l, FID_SNMP_MSGDATA);
    if (md && md->value == 1) {
        sb_puts(sb, "encryptedPDU: privKey Unknown");
        return true;
    }
    const struct field *pdu = layer_field(d, l, FID_SNMP_DATA);
    if (!pdu)
        return false;
    const char *pn = field_value_name(FID_SNMP_DATA, pdu->value);
    sb_puts(sb, pn ? pn : "unknown");
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields && i < d->nfields;
         i++) {
        const struct field *f = &d->fields[i];
        if (f->id != FID_SNMP_NAME && f->id != FID_SNMP_ENTERPRISE)
            continue;
        size_t n;
        const char *s = dis_field_text(d, f, &n);
        sb_putc(sb, ' ');
        snmp_put_oid(sb, s, n, f->id == FID_SNMP_ENTERPRISE);
    }
    return true;
}

/* DHCP (RFC 2131) as Wireshark 4.0 writes it: "DHCP Discover - Transaction ID 0x1234" with
 * the message type padded to 8 characters; a BOOTP message without option 53 is "Boot Request
 * from MAC (MAC)" or "Boot Reply". */
static bool summary_dhcp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                         const struct track_info *ti, uint8_t *attr)
{
    const struct field *op = layer_field(d, l, FID_DHCP_TYPE);
    if (!op)
        return false;
    analysis_prefix(sb, ti, attr);
    const struct field *mt = layer_field(d, l, FID_DHCP_OPTION_DHCP);
    const struct field *id = layer_field(d, l, FID_DHCP_ID);
    if (mt && id) {
        const char *n = field_value_name(mt->id, mt->value);
        if (n)
            sb_printf(sb, "DHCP %-8s - Transaction ID 0x%" PRIx64, n, id->value);
        else
            sb_printf(sb, "DHCP Unknown Message Type (0x%02x) - Transaction ID 0x%" PRIx64,
                      (unsigned)mt->value, id->value);
        return true;
    }
    if (op->value != 1) {
        sb_puts(sb, "Boot Reply");
        return true;
    }
    sb_puts(sb, "Boot Request");
    const struct field *mac = layer_field(d, l, FID_DHCP_HW_MAC_ADDR);
    const uint8_t *p = mac ? dis_field_bytes(d, mac, 6) : NULL;
    if (p && mac->len == 6) {
        sb_puts(sb, " from ");
        sb_mac(sb, p);
        sb_puts(sb, " (");
        sb_mac(sb, p);
        sb_putc(sb, ')');
    }
    return true;
}
/* textproto: the line-based protocols, in tshark 4.0's words ("Request: USER u",
 * "S: 250-mail.example.org Hello | SIZE 10240000", "Client: Key Exchange Init"). */

/* A text field without its CRLF, control bytes as '.'. */
static void put_text_line(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    size_t n;
    const char *s = dis_field_text(d, f, &n);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    sb_put_safe(sb, (const uint8_t *)s, n);
}

static const struct field *layer_field_last(const struct dissection *d, const struct layer *l,
                                            enum field_id id)
{
    const struct field *last = NULL;
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields && i < d->nfields;
         i++)
        if (d->fields[i].id == id)
            last = &d->fields[i];
    return last;
}

static bool summary_ftp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    const struct field *line = layer_field(d, l, FID_FTP_LINE);
    if (!line)
        return false;
    const struct field *req = layer_field(d, l, FID_FTP_REQUEST);
    analysis_prefix(sb, ti, attr);
    sb_puts(sb, req && req->value ? "Request: " : "Response: ");
    put_text_line(sb, d, line);
    return true;
}

static bool summary_smtp(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                         const struct track_info *ti, uint8_t *attr)
{
    const struct field *rsp = layer_field(d, l, FID_SMTP_RESPONSE);
    analysis_prefix(sb, ti, attr);
    if (rsp) { /* the first line whole, then each further line's text */
        sb_puts(sb, "S: ");
        /* A segment that starts with the rest of a cut line: tshark writes nothing for it but
         * the separator before the response line. */
        if (rsp->offset > l->offset)
            sb_puts(sb, " | ");
        put_text_line(sb, d, rsp);
        bool first = true;
        for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields; i++) {
            if (d->fields[i].id != FID_SMTP_RSP_PARAMETER)
                continue;
            if (!first) {
                sb_puts(sb, " | ");
                put_text_line(sb, d, &d->fields[i]);
            }
            first = false;
        }
        return true;
    }
    bool any = false;
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields; i++) {
        if (d->fields[i].id != FID_SMTP_COMMAND_LINE)
            continue;
        sb_puts(sb, any ? " | " : "C: ");
        put_text_line(sb, d, &d->fields[i]);
        any = true;
    }
    if (any)
        return true;
    if (layer_field(d, l, FID_SMTP_DATA_LINE))
        sb_printf(sb, "C: DATA fragment, %u bytes", (unsigned)l->len);
    else if (layer_field(d, l, FID_SMTP_EOM))
        sb_puts(sb, "C: .");
    else
        sb_puts(sb, d->sum.dport == 25 || d->sum.dport == 587 ? "C: " : "S: ");
    return true;
}

static bool summary_pop(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    const struct field *line = layer_field(d, l, FID_POP_LINE);
    if (!line)
        return false;
    analysis_prefix(sb, ti, attr);
    bool request = d->sum.dport == 110;
    if (!request && !layer_field(d, l, FID_POP_RESPONSE_INDICATOR)) {
        sb_printf(sb, "S: DATA fragment, %u bytes", (unsigned)l->len);
        return true;
    }
    sb_puts(sb, request ? "C: " : "S: ");
    put_text_line(sb, d, line);
    return true;
}

/* tshark rewrites the info for every line, so the last line of the segment names it. */
static bool summary_imap(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                         const struct track_info *ti, uint8_t *attr)
{
    const struct field *line = layer_field_last(d, l, FID_IMAP_LINE);
    const struct field *req = layer_field(d, l, FID_IMAP_ISREQUEST);
    if (!line || d->sum.tcp_pdu_tail) {
        if (d->sum.tcp_pdu_open)
            return false; /* reassembly holds the message from its start: TCP names it */
        /* It stopped at a line that runs on, before it wrote the info: TCP's stays, under
         * IMAP's name. */
        const struct layer *tcp = dis_find_layer(d, PROTO_TCP);
        return tcp && summary_tcp(sb, d, tcp, ti, attr);
    }
    analysis_prefix(sb, ti, attr);
    sb_puts(sb, req && req->value ? "Request: " : "Response: ");
    put_text_line(sb, d, line);
    return true;
}

static bool summary_ssh(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                        const struct track_info *ti, uint8_t *attr)
{
    analysis_prefix(sb, ti, attr);
    sb_puts(sb, d->sum.dport == 22 ? "Client: " : "Server: ");
    const struct field *proto = layer_field(d, l, FID_SSH_PROTOCOL);
    bool any = false;
    if (proto) {
        sb_puts(sb, "Protocol (");
        put_text_line(sb, d, proto);
        sb_putc(sb, ')');
        any = true;
    }
    for (unsigned i = l->first_field; i < (unsigned)l->first_field + l->nfields; i++) {
        const struct field *f = &d->fields[i];
        if (f->id == FID_SSH_MESSAGE_CODE) {
            const char *n = field_value_name(f->id, f->value);
            sb_puts(sb, any ? ", " : "");
            if (n)
                sb_puts(sb, n);
            else
                sb_printf(sb, "Message %u", (unsigned)f->value);
            any = true;
        } else if (f->id == FID_SSH_ENCRYPTED && !any) {
            /* tshark 4.0 leaves the text empty here; Wireshark 3.x's words say more */
            sb_printf(sb, "Encrypted packet (len=%u)", (unsigned)f->len);
            any = true;
        }
    }
    return true;
}
/* end textproto */

/*
 * A protocol whose info text is its fields in a fixed sentence has a template instead of a
 * function: "{field.name}" is replaced by the name of the value of that field's first
 * occurrence in the layer (the registry's value names), else by the value itself. A template
 * whose field is absent declines, and the layer below speaks.
 */
static bool summary_template(struct strbuf *sb, const struct dissection *d, const struct layer *l,
                             const char *tmpl)
{
    size_t mark = sb->len;
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (!close) {
            sb_putc(sb, *p++);
            continue;
        }
        char name[64];
        size_t n = (size_t)(close - p - 1);
        const struct field *f = NULL;
        if (n < sizeof(name)) {
            memcpy(name, p + 1, n);
            name[n] = '\0';
            int id = field_by_name(name);
            if (id >= 0)
                f = layer_field(d, l, (enum field_id)id);
        }
        if (!f) {
            sb->len = mark;
            sb->buf[mark] = '\0';
            return false;
        }
        const char *vn = field_value_name(f->id, f->value);
        if (vn)
            sb_puts(sb, vn);
        else if (field_type_base(field_def(f->id)->type) == FT_STRING)
            put_text_field(sb, d, f);
        else
            sb_u64(sb, f->value);
        p = close + 1;
    }
    return true;
}

/* The info text of each protocol, found by its proto id (the registry's names stay in
 * dissect/protos.def; rendering them is format/'s). A protocol without an entry leaves the
 * packet to the layer below it. */
static const struct {
    summary_fn fn;
    const char *tmpl; /* used when fn is NULL */
    /* the Protocol column when it is not the protocol's short name (TLS names its version) */
    const char *(*col)(const struct dissection *d, const struct track_info *ti);
} summary_table[PROTO__COUNT] = {
    [PROTO_LLC] = {summary_llc, NULL, NULL},
    [PROTO_ARP] = {summary_arp, NULL, NULL},
    [PROTO_IPV4] = {summary_ip, NULL, NULL},
    [PROTO_IPV6] = {summary_ip, NULL, NULL},
    [PROTO_ICMP] = {summary_icmp, NULL, NULL},
    [PROTO_ICMPV6] = {summary_icmp, NULL, NULL},
    [PROTO_TCP] = {summary_tcp, NULL, NULL},
    [PROTO_UDP] = {summary_udp, NULL, NULL},
    [PROTO_DNS] = {summary_dns, NULL, NULL},
    [PROTO_HTTP] = {summary_http, NULL, NULL},
    [PROTO_NTP] = {NULL, "NTP Version {ntp.flags.vn}, {ntp.flags.mode}", NULL},
    /* TLS */
    [PROTO_TLS] = {summary_tls, NULL, col_tls},
    /* SNMP */
    [PROTO_SNMP] = {summary_snmp, NULL, NULL},
    /* DHCP */
    [PROTO_DHCP] = {summary_dhcp, NULL, NULL},
    /* textproto */
    [PROTO_FTP] = {summary_ftp, NULL, NULL},
    [PROTO_SMTP] = {summary_smtp, NULL, NULL},
    [PROTO_POP] = {summary_pop, NULL, NULL},
    [PROTO_IMAP] = {summary_imap, NULL, NULL},
    [PROTO_TELNET] = {NULL, "Telnet Data ...", NULL},
    [PROTO_SSH] = {summary_ssh, NULL, NULL},
};

/* The protocol column when nothing above the link layer was decoded, and the info text. */
static void link_proto_name(struct summary *out, struct strbuf *info, const struct dissection *d)
{
    const struct layer *last = d->nlayers ? &d->layers[d->nlayers - 1] : NULL;
    const struct field *et = dis_find(d, FID_ETH_TYPE);
    if (!et)
        et = dis_find(d, FID_VLAN_ETYPE);
    if (!et)
        et = dis_find(d, FID_SLL_ETYPE);
    if (last && last->proto == PROTO_UNKNOWN_LINK)
        sb_printf(info, "Link type %" PRIu32 ", %" PRIu32 " bytes (not decoded)", d->linktype,
                  d->caplen);
    else
        sb_printf(info, "%" PRIu32 " bytes", d->caplen);
    if (d->nlayers == 0 || dis_find_layer(d, PROTO_UNKNOWN_LINK)) {
        set_proto(out, "RAW");
    } else if (et) {
        struct strbuf sb;
        sb_init(&sb, out->proto, sizeof(out->proto));
        sb_printf(&sb, "0x%04x", (unsigned)(et->value & 0xffff));
    } else {
        const char *n = proto_info((enum proto_id)d->layers[d->nlayers - 1].proto)->short_name;
        set_proto(out, n[0] ? n : "RAW");
    }
}

/* Payload that no application protocol decoded: what an announced connection's is named by. */
bool format_summary_reads_announcement(const struct dissection *d)
{
    return d->sum.payload_len != 0 && d->nlayers != 0 &&
           d->layers[d->nlayers - 1].proto == PROTO_DATA;
}

/* textproto: a data segment of a connection an FTP control connection announced (the
 * tracker's mark): tshark's "FTP Data: 51 bytes (PASV)" under the FTP-DATA protocol, when no
 * application protocol was decoded in it. */
static bool summary_announced(struct summary *out, struct strbuf *info, const struct dissection *d,
                              const struct track_info *ti)
{
    if (!ti || ti->announced == ANNOUNCE_NONE || !format_summary_reads_announcement(d))
        return false;
    analysis_prefix(info, ti, &out->info_attr);
    sb_printf(info, "FTP Data: %" PRIu32 " bytes (%s)", d->sum.payload_len,
              announce_method((enum announce)ti->announced));
    set_proto(out, "FTP-DATA");
    return true;
}

/* The innermost layer whose protocol has a summary and accepts the packet names it. Layers
 * after an ICMP or ICMPv6 layer are the packet its error quotes, so the walk starts below them. */
static bool summary_by_layer(struct summary *out, struct strbuf *info, const struct dissection *d,
                             const struct track_info *ti)
{
    unsigned top = d->nlayers;
    for (unsigned i = 0; i < d->nlayers; i++)
        if (d->layers[i].proto == PROTO_ICMP || d->layers[i].proto == PROTO_ICMPV6) {
            top = i + 1;
            break;
        }
    for (unsigned i = top; i-- > 0;) {
        const struct layer *l = &d->layers[i];
        if (l->proto >= PROTO__COUNT)
            continue;
        bool ok = summary_table[l->proto].fn
                      ? summary_table[l->proto].fn(info, d, l, ti, &out->info_attr)
                  : summary_table[l->proto].tmpl
                      ? summary_template(info, d, l, summary_table[l->proto].tmpl)
                      : false;
        if (ok) {
            set_proto(out, summary_table[l->proto].col
                               ? summary_table[l->proto].col(d, ti)
                               : proto_info((enum proto_id)l->proto)->col_name);
            return true;
        }
    }
    return false;
}

void format_summary(struct summary *out, const struct dissection *d, const struct track_info *ti)
{
    const struct dis_summary *s = &d->sum;
    struct strbuf src, dst, info;
    sb_init(&src, out->src, sizeof(out->src));
    sb_init(&dst, out->dst, sizeof(out->dst));
    sb_init(&info, out->info, sizeof(out->info));
    out->proto[0] = '\0';
    out->phase[0] = '\0';
    out->info_attr = ATTR_NORMAL;
    out->phase_attr = ATTR_NORMAL;

    if (ti && ti->phase != PHASE_NONE) {
        struct strbuf ph;
        sb_init(&ph, out->phase, sizeof(out->phase));
        sb_puts(&ph, phase_name((enum phase)ti->phase));
        static const uint8_t attrs[] = {ATTR_NORMAL, ATTR_HANDSHAKE, ATTR_DATA, ATTR_TEARDOWN,
                                        ATTR_RESET};
        out->phase_attr = ti->phase < ARRAY_SIZE(attrs) ? attrs[ti->phase] : ATTR_NORMAL;
    }

    if (s->addr_len == 4 || s->addr_len == 16) {
        sb_ip(&src, s->src, s->addr_len);
        sb_ip(&dst, s->dst, s->addr_len);
    } else if (s->has_eth) {
        put_mac_or_broadcast(&src, s->eth_src);
        put_mac_or_broadcast(&dst, s->eth_dst);
    } else {
        const struct field *f = dis_find(d, FID_SLL_SRC_ETH);
        if (!put_addr_field(&src, d, f))
            sb_puts(&src, "");
    }

    if (!summary_announced(out, &info, d, ti) && !summary_by_layer(out, &info, d, ti))
        link_proto_name(out, &info, d);

    /* Damage is always visible: one bracket per anomaly name (frame truncation is common in
     * snaplen-limited captures and is shown only when nothing else is wrong). */
    bool any = false;
    for (unsigned i = 0; i < d->nanomalies; i++) {
        enum anomaly_id a = (enum anomaly_id)d->anomalies[i].id;
        if (a == ANOM_FRAME_TRUNCATED || a == ANOM_LINK_UNSUPPORTED ||
            a == ANOM_ETHERTYPE_UNSUPPORTED)
            continue;
        sb_printf(&info, "%s[%s]", info.len ? " " : "", anomaly_name(a));
        if (!anomaly_is_note(a)) /* a checksum left to the NIC is named, not an error */
            any = true;
    }
    if (any || dis_worst_status(d) == LAYER_MALFORMED)
        out->info_attr = ATTR_ERROR;
    if (info.overflow && info.len >= 4)
        memcpy(out->info + info.len - 3, "...", 3);
    out->src_len = (uint16_t)src.len;
    out->dst_len = (uint16_t)dst.len;
    out->proto_len = (uint16_t)strlen(out->proto);
    out->info_len = (uint16_t)info.len;
}

void format_line_start(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                       const struct summary *s, enum fmt_time tmode, int64_t ref_sec,
                       uint32_t ref_nsec)
{
    char tbuf[48];
    struct strbuf tsb;
    sb_init(&tsb, tbuf, sizeof(tbuf));
    format_time(&tsb, tmode, pkt->ts_sec, pkt->ts_nsec, ref_sec, ref_nsec);
    struct line *l = lines_begin(ls, ATTR_NORMAL);
    l->ref = pkt->number > INT32_MAX ? INT32_MAX : (int32_t)pkt->number;
    l->ref_off = 0;
    l->ref_len = d->caplen;
    /* "%5llu %11s " */
    char nbuf[96];
    struct strbuf nsb;
    sb_init(&nsb, nbuf, sizeof(nbuf));
    sb_u64_width(&nsb, pkt->number, 5, ' ');
    sb_putc(&nsb, ' ');
    sb_pad(&nsb, tbuf, 11);
    sb_putc(&nsb, ' ');
    lines_add(ls, ATTR_DIM, nbuf, nsb.len);
    lines_add(ls, ATTR_ADDR, s->src, s->src_len);
    lines_add(ls, ATTR_NORMAL, " \xe2\x86\x92 ", 5);
    lines_add(ls, ATTR_ADDR, s->dst, s->dst_len);
    lines_add(ls, ATTR_PROTO, " ", 1);
    lines_add(ls, ATTR_PROTO, s->proto, s->proto_len);
    sb_reset(&nsb);
    sb_putc(&nsb, ' ');
    sb_u64(&nsb, pkt->len);
    lines_add(ls, ATTR_NORMAL, nbuf, nsb.len);
}

void format_summary_line(struct lines *ls, const struct packet *pkt, const struct dissection *d,
                         const struct track_info *ti, enum fmt_time tmode, int64_t ref_sec,
                         uint32_t ref_nsec)
{
    struct summary s;
    format_summary(&s, d, ti);
    format_line_start(ls, pkt, d, &s, tmode, ref_sec, ref_nsec);
    lines_add(ls, ATTR_NORMAL, " ", 1);
    if (s.phase[0]) {
        char pbuf[sizeof(s.phase) + 9];
        struct strbuf psb;
        sb_init(&psb, pbuf, sizeof(pbuf));
        sb_pad(&psb, s.phase, -9);
        lines_add(ls, s.phase_attr, pbuf, psb.len);
        lines_add(ls, ATTR_NORMAL, " ", 1);
    }
    lines_add(ls, s.info_attr, s.info, s.info_len);
    lines_end(ls);
}

void lines_print(const struct lines *ls, FILE *out)
{
    for (size_t i = 0; i < ls->n; i++) {
        fwrite(ls->v[i].text, 1, ls->v[i].len, out);
        fputc('\n', out);
    }
}
