/*
 * TCP (RFC 9293), with the options of RFC 9293 (EOL, NOP, MSS), RFC 7323 (window scale,
 * timestamps), RFC 2018 (SACK), RFC 7413 (Fast Open) and RFC 8684 (Multipath TCP, subtype only).
 *
 * The cursor's window is the IP payload as captured (the IP layer clamps it to the declared
 * length); d->sum.l4_declared_len carries the declared length, which may be larger when the
 * capture was cut short. tcp.len is computed from the declared length, as Wireshark does.
 * The checksum is verified only when every byte of the segment was captured.
 */
#include "dissect/reasm_internal.h"
#include "util/util.h"

enum {
    TCP_MIN_HDR = 20,
    TCPOPT_EOL = 0,
    TCPOPT_NOP = 1,
    TCPOPT_MSS = 2,
    TCPOPT_WS = 3,
    TCPOPT_SACK_PERM = 4,
    TCPOPT_SACK = 5,
    TCPOPT_TS = 8,
    TCPOPT_MPTCP = 30,
    TCPOPT_TFO = 34,
    TCP_MAX_WSCALE = 14, /* RFC 7323 2.3: larger shifts are treated as 14 */
};

/*
 * One option, read from `o`, a sub-cursor over exactly its `len` (>= 2) bytes, all captured.
 * Kind and length are recorded here; a known kind with the wrong length, and an unknown kind,
 * are shown as kind, length and bytes.
 */
static void tcp_option(struct dissection *d, struct cursor *o, uint8_t len)
{
    struct dis_summary *s = &d->sum;
    size_t off = o->off;
    size_t dlen = (size_t)len - 2;
    bool ok = true;
    struct cursor head = *o; /* kind and length: what an option without data is shown over */

    uint8_t kind = dis_field_u8(d, o, FID_TCP_OPTION_KIND);
    struct field *lf = dis_field_word(d, o, FID_TCP_OPTION_LEN, 1, NULL);
    switch (kind) {
    case TCPOPT_MSS:
        if (dlen != 2) {
            ok = false;
            break;
        }
        s->mss = dis_field_be16(d, o, FID_TCP_OPTIONS_MSS_VAL);
        return;
    case TCPOPT_WS: {
        if (dlen != 1) {
            ok = false;
            break;
        }
        uint32_t shift;
        struct field *sf = dis_field_word(d, o, FID_TCP_OPTIONS_WSCALE_SHIFT, 1, &shift);
        uint8_t eff = shift > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : (uint8_t)shift;
        dis_subfield(d, sf, FID_TCP_OPTIONS_WSCALE_MULTIPLIER, 1u << eff);
        s->wscale = (int8_t)eff;
        return;
    }
    case TCPOPT_SACK_PERM:
        if (dlen != 0) {
            ok = false;
            break;
        }
        dis_field_skip(d, &head, FID_TCP_OPTIONS_SACK_PERM, 2);
        return;
    case TCPOPT_SACK: {
        if (dlen == 0 || dlen % 8 != 0) {
            ok = false;
            break;
        }
        size_t n = dlen / 8;
        dis_subfield(d, lf, FID_TCP_OPTIONS_SACK_COUNT, n);
        for (size_t i = 0; i < n; i++) {
            dis_field_be32(d, o, FID_TCP_OPTIONS_SACK_LE);
            dis_field_be32(d, o, FID_TCP_OPTIONS_SACK_RE);
        }
        return;
    }
    case TCPOPT_TS: {
        if (dlen != 8) {
            ok = false;
            break;
        }
        dis_field_be32(d, o, FID_TCP_OPTIONS_TIMESTAMP_TSVAL);
        dis_field_be32(d, o, FID_TCP_OPTIONS_TIMESTAMP_TSECR);
        return;
    }
    case TCPOPT_TFO:
        /* RFC 7413 4.1.1: an empty option requests a cookie; otherwise it carries one. */
        if (dlen == 0)
            dis_field_skip(d, &head, FID_TCP_OPTIONS_TFO_REQUEST, 2);
        else
            dis_field_skip(d, o, FID_TCP_OPTIONS_TFO_COOKIE, dlen);
        return;
    case TCPOPT_MPTCP:
        if (dlen < 1) {
            ok = false;
            break;
        }
        uint32_t sub = 0;
        struct field *sf = dis_field_word(d, o, FID_TCP_OPTIONS_MPTCP_SUBTYPE, 1, &sub);
        dis_field_set(sf, sub >> 4);
        if (dlen > 1)
            dis_field_skip(d, o, FID_TCP_OPTION_DATA, dlen - 1);
        return;
    default:
        break;
    }
    /* Nothing was read after the length: the data starts at off + 2. */
    if (!ok)
        dis_anomaly(d, ANOM_TCP_BAD_OPTION, off);
    if (dlen)
        dis_field_skip(d, o, FID_TCP_OPTION_DATA, dlen);
}

/*
 * Options: `o` is a sub-cursor over the option bytes that were captured; the header declares
 * them up to `end` (may be after o's end). Every pass advances by at least one byte, so the
 * loop ends within 40 passes. Like Wireshark, EOL does not stop the walk: the bytes after it
 * are shown too.
 */
static void tcp_options(struct dissection *d, struct cursor *o, size_t end)
{
    dis_field_rest(d, o, FID_TCP_OPTIONS, 0);
    while (cur_left(o) > 0) {
        size_t off = o->off;
        uint8_t kind = cur_peek_u8(o, 0);
        if (kind == TCPOPT_EOL || kind == TCPOPT_NOP) {
            dis_field_u8(d, o, FID_TCP_OPTION_KIND);
            continue;
        }
        if (end - off < 2) {
            /* A kind with no room for its length byte. */
            dis_field_u8(d, o, FID_TCP_OPTION_KIND);
            dis_anomaly(d, ANOM_TCP_BAD_OPTION, off);
            break;
        }
        if (cur_left(o) < 2) {
            dis_field_u8(d, o, FID_TCP_OPTION_KIND);
            break; /* cut by the capture: the layer is already marked truncated */
        }
        uint8_t len = cur_peek_u8(o, 1);
        if (len < 2 || len > end - off) {
            dis_field_u8(d, o, FID_TCP_OPTION_KIND);
            dis_field_u8(d, o, FID_TCP_OPTION_LEN);
            dis_anomaly(d, ANOM_TCP_BAD_OPTION, off);
            break;
        }
        if (len > cur_left(o)) {
            dis_field_u8(d, o, FID_TCP_OPTION_KIND);
            dis_field_u8(d, o, FID_TCP_OPTION_LEN);
            break;
        }
        struct cursor one = cur_sub(o, len, NULL);
        tcp_option(d, &one, len);
    }
}

/* RFC 9293 3.1: the checksum covers a pseudo-header (RFC 8200 8.1 for IPv6) and the segment.
 * A wrong checksum that holds exactly the pseudo-header's sum (folded, not complemented) is what
 * Linux leaves in a CHECKSUM_PARTIAL packet for the NIC to complete: a capture on the sending
 * host sees it before the NIC does (checked on loopback captures, tests/pcaps/make-pcaps.sh
 * loopback-offload). The sum is compared modulo 0xffff: 0 and 0xffff are the same sum. */
enum dis_csum dis_l4_checksum(const struct dissection *d, const struct dis_ctx *ctx, size_t off,
                              size_t len, uint8_t proto, size_t csum_at)
{
    uint8_t pseudo[8] = {0, 0, 0, 0, 0, 0, 0, proto};
    pseudo[0] = (uint8_t)(len >> 24);
    pseudo[1] = (uint8_t)(len >> 16);
    pseudo[2] = (uint8_t)(len >> 8);
    pseudo[3] = (uint8_t)len;
    if (!ctx->src || !ctx->dst)
        return DIS_CSUM_BAD;
    uint32_t sum = inet_csum_add(0, ctx->src, ctx->addr_len);
    sum = inet_csum_add(sum, ctx->dst, ctx->addr_len);
    sum = inet_csum_add(sum, pseudo, sizeof(pseudo));
    uint16_t pseudo_sum = (uint16_t)~inet_csum_fold(sum);
    struct cursor c;
    cur_init(&c, d->data, d->data_len);
    const uint8_t *p = cur_seek(&c, off) ? cur_bytes(&c, len) : NULL;
    if (!p)
        return DIS_CSUM_BAD; /* callers check first that the segment was captured */
    sum = inet_csum_add(sum, p, len);
    if (inet_csum_fold(sum) == 0)
        return DIS_CSUM_GOOD;
    if (csum_at + 2 <= len) {
        uint16_t field = (uint16_t)(p[csum_at] << 8 | p[csum_at + 1]);
        if (field % 0xffff == pseudo_sum % 0xffff)
            return DIS_CSUM_PARTIAL;
    }
    return DIS_CSUM_BAD;
}

/* Whether the TCP layer being dissected is behind ICMP and IPv4 (the two layers just below it),
 * as Wireshark tells a header an ICMPv4 error quotes. */
static bool icmp4_quoted(const struct dissection *d)
{
    return d->nlayers >= 3 && d->layers[d->nlayers - 2].proto == PROTO_IPV4 &&
           d->layers[d->nlayers - 3].proto == PROTO_ICMP;
}

/* The sequence and acknowledgment numbers of a header an ICMP error quotes: Wireshark, which
 * follows no connection there, shows them as they are as tcp.seq and tcp.ack (elsewhere the
 * tracker's relative ones), each before its tcp.*_raw; but behind ICMP and IPv4 (just below TCP)
 * no tcp.seq_raw. Out of line: written into dissect_tcp, this made every segment's dissection
 * slower (--stats 3 % more CPU, fresh copies of both builds side by side). */
__attribute__((noinline)) static void quoted_numbers(struct dissection *d, struct cursor *c)
{
    struct cursor raw = *c;
    d->sum.seq = dis_field_be32(d, c, FID_TCP_SEQ);
    if (!icmp4_quoted(d))
        (void)dis_field_be32(d, &raw, FID_TCP_SEQ_RAW);
    raw = *c;
    d->sum.ack = dis_field_be32(d, c, FID_TCP_ACK);
    (void)dis_field_be32(d, &raw, FID_TCP_ACK_RAW);
}

void dissect_tcp(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    struct dis_summary *s = &d->sum;
    size_t start = c->off;
    size_t caplen = cur_left(c);
    size_t declared = s->l4_declared_len;
    if (declared < caplen)
        declared = caplen; /* not given by the IP layer: trust the window */

    if (dis_layer_begin(d, PROTO_TCP, c) < 0)
        return;
    dis_protocols_add(d, "tcp");
    s->l4 = PS_IPPROTO_TCP;

    if (caplen < TCP_MIN_HDR) {
        /* Keep what there is: the ports let the tracker and the list still name the flow.
         * Behind ICMP and IPv4 Wireshark shows the sequence number too, which the classic
         * quote (an IP header and 8 bytes) has. */
        if (caplen >= 4) {
            s->sport = dis_field_be16(d, c, FID_TCP_SRCPORT);
            s->dport = dis_field_be16(d, c, FID_TCP_DSTPORT);
        }
        if (caplen >= 8 && ctx->quote_depth > 0 && icmp4_quoted(d))
            s->seq = dis_field_be32(d, c, FID_TCP_SEQ);
        bool short_decl = declared < TCP_MIN_HDR;
        dis_bail(d, c, short_decl ? LAYER_MALFORMED : LAYER_TRUNCATED,
                 short_decl ? ANOM_TCP_BAD_HEADER_LENGTH : ANOM_TCP_TRUNCATED, start);
        return;
    }

    /* The data offset is needed before any field is recorded: tcp.len comes before tcp.seq.
     * The fixed header was checked above, so every read below succeeds. */
    struct cursor doff = *c;
    cur_skip(&doff, 12); /* at the data offset and flags word */
    size_t hdr_len_at = doff.off;
    size_t hdr_len = (size_t)(cur_peek_u8(&doff, 0) >> 4) * 4;

    /* The segment length is known only when the whole segment is in this IP packet and the
     * header length fits in it: not in an IP fragment, not in the quote of an ICMP error
     * (whose IP length is the original datagram's), as Wireshark leaves tcp.len out there.
     * Like Wireshark, a data offset below 20 still gives one (declared - offset). */
    bool seglen_known = hdr_len <= declared && !s->is_fragment && ctx->quote_depth == 0;
    uint32_t seg_len = hdr_len <= declared ? (uint32_t)(declared - hdr_len) : 0;

    uint16_t sport = dis_field_be16(d, c, FID_TCP_SRCPORT);
    uint16_t dport = dis_field_be16(d, c, FID_TCP_DSTPORT);
    if (seglen_known)
        dis_field_mark(d, &doff, FID_TCP_LEN, seg_len); /* computed: no bytes of its own */
    if (ctx->quote_depth > 0) {
        quoted_numbers(d, c);
    } else {
        s->seq = dis_field_be32(d, c, FID_TCP_SEQ_RAW);
        s->ack = dis_field_be32(d, c, FID_TCP_ACK_RAW);
    }
    /* tcp.hdr_len covers the word's first byte and tcp.flags the whole word: the first byte
     * is read on its own (from a copy of the cursor), then the word. */
    dis_field_set(dis_field_word(d, &doff, FID_TCP_HDR_LEN, 1, NULL), hdr_len);
    uint32_t word;
    struct field *ff = dis_field_word(d, c, FID_TCP_FLAGS, 2, &word);
    uint16_t flags = word & 0x0fff;
    dis_field_set(ff, flags);
    s->sport = sport;
    s->dport = dport;
    s->tcp_flags = flags;
    s->tcp_hdr_len = (uint16_t)hdr_len;
    if (!d->lean) { /* details (dis_field_is_detail) */
        dis_subfield_span(d, ff, 0, 1, FID_TCP_FLAGS_RES, (flags & 0x0e00) != 0);
        dis_subfield_span(d, ff, 0, 1, FID_TCP_FLAGS_AE, (flags & TCP_AE) != 0);
        static const struct {
            uint16_t id, bit;
        } low[] = {{FID_TCP_FLAGS_CWR, TCP_CWR},  {FID_TCP_FLAGS_ECE, TCP_ECE},
                   {FID_TCP_FLAGS_URG, TCP_URG},  {FID_TCP_FLAGS_ACK, TCP_ACK},
                   {FID_TCP_FLAGS_PUSH, TCP_PSH}, {FID_TCP_FLAGS_RESET, TCP_RST},
                   {FID_TCP_FLAGS_SYN, TCP_SYN},  {FID_TCP_FLAGS_FIN, TCP_FIN}};
        for (size_t i = 0; i < sizeof(low) / sizeof(low[0]); i++)
            dis_subfield_span(d, ff, 1, 1, (enum field_id)low[i].id, (flags & low[i].bit) != 0);
    }
    s->window = dis_field_be16(d, c, FID_TCP_WINDOW_SIZE_VALUE);
    size_t csum_at = c->off;
    struct field *csum = dis_field_word(d, c, FID_TCP_CHECKSUM, 2, NULL);
    struct field *status = dis_subfield(d, csum, FID_TCP_CHECKSUM_STATUS, 2);
    dis_field_be16(d, c, FID_TCP_URGENT_POINTER);

    /* RFC 9293 3.1: the checksum covers the whole segment, whatever its data offset says. */
    if (status && caplen == declared && d->verify_checksums && !s->is_fragment &&
        (ctx->addr_len == 4 || ctx->addr_len == 16)) {
        enum dis_csum v = dis_l4_checksum(d, ctx, start, declared, PS_IPPROTO_TCP, 16);
        /* Bad either way, as tshark says with tcp.check_checksum on; only the anomaly (a
         * note, not damage) tells the offloaded one apart. Zeek's history letter C counts
         * both: Zeek knows nothing of offload either. */
        status->value = v == DIS_CSUM_GOOD ? 1 : 0;
        if (v != DIS_CSUM_GOOD) {
            s->tcp_checksum_bad = true;
            dis_anomaly(d,
                        v == DIS_CSUM_PARTIAL ? ANOM_TCP_CHECKSUM_OFFLOAD : ANOM_TCP_BAD_CHECKSUM,
                        csum_at);
        }
    }

    if (hdr_len < TCP_MIN_HDR || hdr_len > declared) {
        /* Nothing after the fixed header can be placed: stop here, as Wireshark does. */
        dis_damage(d, LAYER_MALFORMED, ANOM_TCP_BAD_HEADER_LENGTH, hdr_len_at);
        dis_layer_end(d, start + TCP_MIN_HDR, c->end);
        c->off = c->end;
        return;
    }

    if (hdr_len > TCP_MIN_HDR) {
        struct cursor t = *c; /* at the options: the fixed header was all there */
        struct cursor o = cur_sub(&t, hdr_len - TCP_MIN_HDR, NULL);
        tcp_options(d, &o, start + hdr_len);
    }
    if (hdr_len > caplen) {
        dis_damage(d, LAYER_TRUNCATED, ANOM_TCP_TRUNCATED, c->end);
    } else if (caplen < declared) {
        dis_layer_status(d, LAYER_TRUNCATED); /* the payload was cut by the capture */
    }

    size_t pay_off = start + hdr_len;
    size_t pay_cap = hdr_len < caplen ? caplen - hdr_len : 0;
    s->payload_off = (uint32_t)pay_off;
    s->payload_len = seg_len;
    s->payload_caplen = (uint32_t)pay_cap;

    dis_layer_end(d, start + hdr_len, c->end);
    if (pay_cap > 0) {
        struct cursor pc = cur_at(c, pay_off); /* the payload: the rest of the window */
        dis_field_rest(d, &pc, FID_TCP_PAYLOAD, 0);
        /* A kept segment of an open message, dissected again (dstore.c): shown as reassembly
         * showed it, on the same conditions. Whether that reads exactly as reassembly made it is
         * checked where the segment was kept. */
        if (d->open_segment && ctx->quote_depth == 0 && pay_cap == seg_len && seglen_known &&
            !s->tcp_checksum_bad) {
            dis_tcp_open_apply(d, d->open_segment, pay_off);
            d->flags |= DIS_REASSEMBLED;
            c->off = c->end;
            return;
        }
        /* Reassembly needs every byte of the segment, in a segment that is itself whole. A
         * segment whose checksum was verified and is wrong is not used, as Wireshark does not
         * ("TCP checksum bad, so not reassembling"): it is dissected on its own. */
        uint16_t app = PROTO_NONE;
        bool reassemble = d->reasm && ctx->quote_depth == 0 && pay_cap == seg_len && seglen_known &&
                          !s->tcp_checksum_bad;
        app_pdu_len_fn pdu_len = reassemble ? dis_app_pdu_len(sport, dport, &app) : NULL;
        if (!pdu_len && reassemble)
            pdu_len = reasm_tcp_adopted(d, &app);
        /* HTTP found by its content on a port that is not HTTP's (Wireshark's heuristic): this
         * message is reassembled like one on port 80 (a response whose headers come alone waits
         * for its body), and the conversation is HTTP from here on (adopted once the segment
         * has been taken, so that its bytes are not seen as already dissected). */
        bool http_by_content = !pdu_len && reassemble && dis_http_detect(&pc);
        if (http_by_content) {
            app = PROTO_HTTP;
            pdu_len = dis_app_pdu_len_of(PROTO_HTTP);
        }
        if (pdu_len && dis_tcp_reassemble(d, pdu_len, app, pay_off, pay_cap, sport, dport)) {
            if (http_by_content)
                reasm_tcp_adopt(d, PROTO_HTTP);
            c->off = c->end;
            return;
        }
        /* Not used for reassembly (its checksum is wrong, or it was cut), a segment of a
         * conversation found by content to carry a protocol (a ClientHello on port 4433) is
         * still that protocol's, as Wireshark's conversation dissector makes it; on its own the
         * frame would not know. */
        if (!reassemble && d->reasm && ctx->quote_depth == 0 && reasm_tcp_adopted(d, &app) &&
            dis_app_run_proto(d, &pc, app)) {
            d->flags |= DIS_REASSEMBLED;
            c->off = c->end;
            return;
        }
        dissect_app(d, &pc, PS_IPPROTO_TCP, sport, dport);
    } else if (d->reasm && (flags & (TCP_FIN | TCP_RST)) && ctx->quote_depth == 0 && seglen_known &&
               seg_len == 0 && !s->tcp_checksum_bad) {
        /* A FIN or RST without data ends a message that runs to the end of the connection (an
         * HTTP/1.0 response without Content-Length): it is dissected on this segment. */
        uint16_t app = PROTO_NONE;
        app_pdu_len_fn pdu_len = dis_app_pdu_len(sport, dport, &app);
        if (pdu_len)
            dis_tcp_reassemble(d, pdu_len, app, pay_off, 0, sport, dport);
    }
    c->off = c->end;
}
