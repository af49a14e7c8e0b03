/*
 * --json: one object per packet, keys named as Wireshark's display filter fields (DESIGN.md),
 * so that `tshark -T fields -e KEY` and `jq .KEY` give the same value.
 *
 * Decisions, made once here:
 *  - A field that occurs several times in a packet (DNS answers, TCP option kinds, the quoted
 *    headers of an ICMP error) is a JSON array of every value, in the order of the packet, under
 *    the key's first position, as tshark -T json writes it; a field that occurs once is a
 *    scalar. An occurrence with no value to write (an address cut by the snapshot length) is
 *    left out of the array, and the key is a scalar again when one value remains.
 *  - FT_UINT / FT_HEX / FT_INT are JSON numbers; FT_BOOL fields of the wire (ip.flags.df,
 *    tcp.flags.syn) are 0/1 numbers as tshark prints them; FT_BYTES are lower-case hex strings
 *    without separators (tshark -T fields); a named heading with no value (tcp.options.sack_perm)
 *    is `true`. tcp.analysis.* flags are `true` when set and absent otherwise.
 *  - frame.time_epoch and FT_TIME fields are strings with 9 decimals (seconds since 1970): a
 *    double cannot hold nanoseconds since 1970. FT_FLOAT is a JSON number.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/numbers.h"
#include "format/format.h"
#include "format/internal.h"
#include "track/community_id.h"
#include "util/util.h"

void json_buf_init(struct json_buf *jb)
{
    memset(jb, 0, sizeof(*jb));
}

void json_buf_release(struct json_buf *jb)
{
    free(jb->buf);
    memset(jb, 0, sizeof(*jb));
}

#define key(sb, name) key_n((sb), (name), strlen(name))

/*
 * A JSON string of packet text: quote and backslash escaped, control characters (C0, DEL and
 * the C1 range U+0080-U+009F, which some terminals obey) as \u00XX, well-formed UTF-8 kept as
 * it is (a pcapng comment in UTF-8 reads as written), and every byte that is not part of
 * well-formed UTF-8 as U+FFFD, so the output is always valid UTF-8 JSON.
 */
static void str_value(struct strbuf *sb, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *p = (const uint8_t *)str;
    sb_putc(sb, '"');
    for (size_t i = 0; i < n;) {
        uint8_t ch = p[i];
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            sb_putn(sb, esc, 2);
            i++;
        } else if (ch < 0x20 || ch == 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
            sb_putn(sb, esc, sizeof(esc));
            i++;
        } else if (ch < 0x80) {
            /* the run of printable ASCII that needs no escape, in one append */
            size_t run = json_plain_run(p, i + 1, n);
            sb_putn(sb, str + i, run - i);
            i = run;
        } else {
            uint32_t cp = 0;
            size_t len = utf8_seq_len(p + i, n - i, &cp);
            if (len == 0) {
                sb_puts(sb, "\\ufffd");
                i++;
            } else if (cp < 0xa0) {
                char esc[6] = {'\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15]};
                sb_putn(sb, esc, sizeof(esc));
                i += len;
            } else {
                sb_putn(sb, str + i, len);
                i += len;
            }
        }
    }
    sb_putc(sb, '"');
}

static void hex_bytes(struct strbuf *sb, const uint8_t *p, size_t n)
{
    sb_putc(sb, '"');
    sb_hex_bytes(sb, p, n);
    sb_putc(sb, '"');
}

/* A time as tshark writes frame.time_epoch: "seconds.nanoseconds", nine decimals, quoted. */
static void epoch_value(struct strbuf *sb, int64_t sec, uint32_t nsec)
{
    sb_putc(sb, '"');
    sb_i64(sb, sec);
    sb_putc(sb, '.');
    sb_u64_width(sb, nsec, 9, '0');
    sb_putc(sb, '"');
}

/* True when field `f` has a value to write (its address or bytes were captured). */
static bool field_has_value(const struct dissection *d, const struct field *f)
{
    uint8_t type = field_def(f->id)->type;
    if (type < FT_MAC || type > FT_BYTES)
        return true; /* numbers, flags, text: nothing to check (most fields) */
    switch (type) {
    case FT_MAC: /* (a late field, len 0, holds its MAC in its value: dis_field_mac) */
        return f->len == 0 ||
               (f->len == 6 && f->offset <= d->data_len && 6 <= d->data_len - f->offset);
    case FT_IPV4:
        return f->len == 4 && f->offset <= d->data_len && 4 <= d->data_len - f->offset;
    case FT_IPV6:
        return f->len == 16 && f->offset <= d->data_len && 16 <= d->data_len - f->offset;
    case FT_BYTES:
        return f->offset <= d->data_len && dis_field_size(f) <= d->data_len - f->offset;
    default:
        return true;
    }
}

/* Writes one field's value; false when it has none to write (address not fully captured). */
static bool field_value(struct strbuf *sb, const struct dissection *d, const struct field *f)
{
    const struct field_def *def = field_def(f->id);
    switch (def->type) {
    case FT_NONE:
        sb_puts(sb, "true");
        return true;
    case FT_UINT:
    case FT_HEX:
        sb_u64(sb, f->value);
        return true;
    case FT_BOOL:
        sb_putc(sb, f->value ? '1' : '0');
        return true;
    case FT_INT:
        sb_i64(sb, (int64_t)f->value);
        return true;
    case FT_MAC: {
        uint8_t mac[6];
        if (!dis_field_mac(d, f, mac))
            return false;
        sb_putc(sb, '"');
        sb_mac(sb, mac);
        sb_putc(sb, '"');
        return true;
    }
    case FT_IPV4:
    case FT_IPV6: {
        size_t need = def->type == FT_IPV4 ? 4 : 16;
        const uint8_t *p = dis_field_bytes(d, f, need);
        if (f->len != need || !p)
            return false;
        sb_putc(sb, '"');
        if (def->type == FT_IPV4)
            sb_ipv4(sb, p);
        else
            sb_ipv6(sb, p);
        sb_putc(sb, '"');
        return true;
    }
    case FT_BYTES: {
        size_t n = dis_field_size(f);
        const uint8_t *p = dis_field_bytes(d, f, n);
        if (!p)
            return false;
        hex_bytes(sb, p, n);
        return true;
    }
    case FT_TIME: {
        /* seconds since 1970 with 9 decimals, a string as frame.time_epoch is; 0 means "not
         * set" (RFC 5905 7.3; tshark prints NULL) and is JSON null */
        if (f->value == 0) {
            sb_puts(sb, "null");
            return true;
        }
        int64_t sec;
        uint32_t nsec;
        field_time_split(f->value, &sec, &nsec);
        epoch_value(sb, sec, nsec);
        return true;
    }
    case FT_FLOAT: {
        double v;
        memcpy(&v, &f->value, sizeof(v));
        if (field_is_relative_time(f->id))
            sb_printf(sb, "%.9f", v); /* FT_RELATIVE_TIME: seconds to the nanosecond */
        else
            sb_printf(sb, "%.17g", v);
        return true;
    }
    case FT_STRING: {
        size_t n;
        const char *s = dis_field_text(d, f, &n);
        str_value(sb, s, n);
        return true;
    }
    default:
        return false;
    }
}

static void render(struct strbuf *sb, const struct packet *pkt, const struct dissection *d,
                   const struct track_info *ti)
{
    /* One pass decides, for each field, whether it has a value to write (has[]) and how many
     * values each named field has (count[]); the writing pass then reads only those, writes a
     * field's values at its first occurrence and sets its count back to 0, which marks it
     * written (its later occurrences are skipped) and leaves count[] zero for the next packet.
     * Per thread: --threads formats on several. */
    static _Thread_local uint16_t count[FID__COUNT];
    bool has[DIS_MAX_FIELDS];
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        has[i] = f->id < FID__COUNT && dis_field_table[f->id].name && field_has_value(d, f);
        if (has[i])
            count[f->id]++;
    }

    sb_puts(sb, "{\"frame.number\":");
    sb_u64(sb, pkt->number);
    /* A pcapng Simple Packet Block has no time: left out, as tshark leaves it out. */
    if (!pkt->ts_missing) {
        key(sb, "frame.time_epoch");
        epoch_value(sb, pkt->ts_sec, pkt->ts_nsec);
    }
    key(sb, "frame.len");
    sb_u64(sb, pkt->len);
    key(sb, "frame.cap_len");
    sb_u64(sb, pkt->caplen);
    key(sb, "frame.protocols");
    str_value(sb, d->protocols, d->protocols_len);
    if (pkt->comment && pkt->comment_len) {
        key(sb, "frame.comment");
        str_value(sb, pkt->comment, pkt->comment_len);
    }

    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        if (!has[i] || count[f->id] == 0)
            continue; /* no value, or written at its first occurrence */
        const struct field_def *def = &dis_field_table[f->id]; /* has[i]: a known id */
        key_n(sb, def->name, def->name_len);
        if (count[f->id] == 1) {
            count[f->id] = 0;
            /* Most fields are numbers and flags of the wire: written here, without the call
             * and the second switch (they were a quarter of field_value's instructions). */
            if (def->type == FT_UINT || def->type == FT_HEX)
                sb_u64(sb, f->value);
            else if (def->type == FT_BOOL)
                sb_putc(sb, f->value ? '1' : '0');
            else
                field_value(sb, d, f);
            continue;
        }
        count[f->id] = 0;
        sb_putc(sb, '[');
        field_value(sb, d, f);
        for (unsigned j = i + 1; j < d->nfields; j++) {
            if (has[j] && d->fields[j].id == f->id) {
                sb_putc(sb, ',');
                field_value(sb, d, &d->fields[j]);
            }
        }
        sb_putc(sb, ']');
    }

    const struct dis_summary *s = &d->sum;
    if (ti && (ti->flags & TI_HAS_STREAM)) {
        if (ti->proto == PS_IPPROTO_TCP && s->l4 == PS_IPPROTO_TCP &&
            dis_find_layer(d, PROTO_TCP)) {
            key(sb, "tcp.stream");
            sb_u64(sb, ti->stream);
            key(sb, "tcp.seq");
            sb_u64(sb, ti->rel_seq);
            key(sb, "tcp.ack");
            sb_u64(sb, ti->rel_ack);
            key(sb, "tcp.window_size");
            sb_u64(sb, ti->window_scaled);
            for (uint32_t bit = 1; bit <= TA_REUSED_PORTS; bit <<= 1) {
                if (!(ti->analysis & bit))
                    continue;
                key(sb, format_analysis_field(bit));
                sb_puts(sb, "true");
                if (bit == TA_DUPLICATE_ACK && ti->dup_ack_num) {
                    key(sb, "tcp.analysis.duplicate_ack_num");
                    sb_u64(sb, ti->dup_ack_num);
                }
                if (bit == TA_DUPLICATE_ACK && ti->dup_ack_frame) {
                    key(sb, "tcp.analysis.duplicate_ack_frame");
                    sb_u64(sb, ti->dup_ack_frame);
                }
            }
        } else if (ti->proto == PS_IPPROTO_UDP && s->l4 == PS_IPPROTO_UDP &&
                   dis_find_layer(d, PROTO_UDP)) {
            key(sb, "udp.stream");
            sb_u64(sb, ti->stream);
        } else if (ti->proto == PS_IPPROTO_ICMP || ti->proto == PS_IPPROTO_ICMPV6) {
            key(sb, "pktscope.icmp.stream");
            sb_u64(sb, ti->stream);
            if ((ti->flags & TI_HAS_RTT) &&
                (s->l4 == PS_IPPROTO_ICMP || s->l4 == PS_IPPROTO_ICMPV6)) {
                /* Wireshark's response time of an echo reply, in milliseconds. */
                key(sb, s->l4 == PS_IPPROTO_ICMP ? "icmp.resptime" : "icmpv6.resptime");
                sb_u64(sb, ti->rtt_usec / 1000);
                sb_putc(sb, '.');
                sb_u64_width(sb, ti->rtt_usec % 1000, 3, '0');
            }
        }
    }
    char cid[COMMUNITY_ID_SIZE];
    if (community_id_tracked(d, ti, cid)) {
        JSON_KEY_PLAIN(sb, "communityid", cid); /* Wireshark's field name */
    }
    if (ti && (ti->app_flags & TIA_DHCP)) {
        /* DHCP: the exchange and the frames of its other messages (track/dhcp.c) */
        key(sb, "pktscope.dhcp.exchange");
        sb_u64(sb, ti->dhcp_exchange);
        if (ti->dhcp_first) {
            key(sb, "pktscope.dhcp.first");
            sb_u64(sb, ti->dhcp_first);
        }
        if (ti->dhcp_prev) {
            key(sb, "pktscope.dhcp.prev");
            sb_u64(sb, ti->dhcp_prev);
        }
        if (ti->dhcp_request) {
            key(sb, "pktscope.dhcp.request_in");
            sb_u64(sb, ti->dhcp_request);
        }
    }
    if (ti && ti->pair_kind) {
        /* A response paired with its request (track/pairing.c): Wireshark's frame number of
         * the request and the time since it in seconds (FT_RELATIVE_TIME, 9 decimals). */
        const char *frame_key = NULL, *time_key = NULL;
        switch (ti->pair_kind) {
        case TI_PAIR_HTTP:
            frame_key = "http.request_in", time_key = "http.time";
            break;
        case TI_PAIR_DNS:
            frame_key = "dns.response_to", time_key = "dns.time";
            break;
        case TI_PAIR_ECHO: /* the time is icmp.resptime, written above */
            frame_key = s->l4 == PS_IPPROTO_ICMPV6 ? "icmpv6.resp_to" : "icmp.resp_to";
            break;
        case TI_PAIR_ARP:
            frame_key = "pktscope.arp.request_in", time_key = "pktscope.arp.time";
            break;
        case TI_PAIR_ARP_AGAIN:
            frame_key = "pktscope.arp.unanswered";
            break;
        default:
            break;
        }
        if (frame_key) {
            key(sb, frame_key);
            sb_u64(sb, ti->pair_frame);
        }
        if (time_key) {
            key(sb, time_key);
            sb_printf(sb, "%" PRId64 ".%09" PRId64, ti->pair_ns / 1000000000,
                      ti->pair_ns % 1000000000);
        }
    }
    if (ti && ti->phase != PHASE_NONE) {
        JSON_KEY_PLAIN(sb, "pktscope.phase", phase_name((enum phase)ti->phase));
    }
    if (ti && ti->state_src != TCPS_NONE) {
        JSON_KEY_PLAIN(sb, "pktscope.state.src", tcp_state_name((enum tcp_state)ti->state_src));
    }
    if (ti && ti->state_dst != TCPS_NONE) {
        JSON_KEY_PLAIN(sb, "pktscope.state.dst", tcp_state_name((enum tcp_state)ti->state_dst));
    }
    if (ti && (ti->roles & TIR_RULE_MASK) != ROLE_NONE) {
        /* The same states per host (track/roles.c): the client's and the server's. */
        bool fc = track_from_client(ti);
        uint8_t cs = track_state_of(ti, true), ss = track_state_of(ti, false);
        if (cs != TCPS_NONE)
            JSON_KEY_PLAIN(sb, "pktscope.state.client", tcp_state_name((enum tcp_state)cs));
        if (ss != TCPS_NONE)
            JSON_KEY_PLAIN(sb, "pktscope.state.server", tcp_state_name((enum tcp_state)ss));
        JSON_KEY_PLAIN(sb, "pktscope.sender", fc ? "client" : "server");
        JSON_KEY_PLAIN(sb, "pktscope.roles_by", role_rule_name(ti->roles));
        if (ti->roles & TIR_BROWSER) {
            key(sb, "pktscope.browser");
            sb_puts(sb, "true");
        }
    }
    if (ti && (ti->flags & TI_HAS_STREAM)) {
        if (ti->flags & TI_MIDSTREAM) {
            key(sb, "pktscope.midstream");
            sb_puts(sb, "true");
        }
        if (ti->flags & TI_HALF_CLOSED) {
            key(sb, "pktscope.half_closed");
            sb_puts(sb, "true");
        }
        char why[1024];
        why[0] = '\0';
        format_explain(ti, d, why, sizeof(why));
        if (why[0]) {
            key(sb, "pktscope.why");
            str_value(sb, why, strnlen(why, sizeof(why)));
        }
    }
    format_json_annotations(sb, d);

    if (dis_worst_status(d) != LAYER_OK) {
        static const char *const names[] = {"ok", "truncated", "malformed", "unsupported"};
        enum layer_status st = dis_worst_status(d);
        key(sb, "pktscope.status");
        const char *n = (unsigned)st < ARRAY_SIZE(names) ? names[st] : "unknown";
        str_value(sb, n, strlen(n));
    }
    if (d->nanomalies) {
        key(sb, "pktscope.anomalies");
        sb_putc(sb, '[');
        for (unsigned i = 0; i < d->nanomalies; i++) {
            const char *n = anomaly_name((enum anomaly_id)d->anomalies[i].id);
            if (i)
                sb_putc(sb, ',');
            str_value(sb, n, strlen(n));
        }
        sb_putc(sb, ']');
    }
    sb_putc(sb, '}');
}

void format_json_append(struct json_buf *jb, const struct packet *pkt, const struct dissection *d,
                        const struct track_info *ti)
{
    /* Enough for nearly every packet at once; a packet with much text or many byte fields
     * grows the buffer (kept for the next packets), so steady state allocates nothing. */
    size_t want = jb->len + 8192 + (size_t)d->nfields * 96 + (size_t)d->text_len * 6 +
                  (size_t)d->data_len * 4;
    for (;;) {
        if (jb->cap < want)
            jb->buf = xgrow(jb->buf, &jb->cap, want, 1);
        struct strbuf sb;
        sb_init(&sb, jb->buf + jb->len, jb->cap - jb->len);
        render(&sb, pkt, d, ti);
        if (!sb.overflow) {
            jb->len += sb.len;
            return;
        }
        want = jb->cap * 2;
    }
}

void format_json(struct json_buf *jb, const struct packet *pkt, const struct dissection *d,
                 const struct track_info *ti)
{
    jb->len = 0;
    format_json_append(jb, pkt, d, ti);
}
