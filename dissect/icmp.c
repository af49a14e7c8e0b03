/*
 * ICMP (RFC 792, RFC 950 address mask, RFC 1191 next-hop MTU) and ICMPv6 (RFC 4443), with
 * IPv6 Neighbor Discovery (RFC 4861: RS, RA, NS, NA, Redirect and the options source/target
 * link-layer address, prefix information and MTU) and Multicast Listener Discovery (RFC 2710
 * MLDv1, RFC 3810 MLDv2 queries and reports).
 *
 * Error messages (unreachable, time exceeded, parameter problem, redirect, packet too big) quote
 * the offending packet: it is dissected as layers of its own (ip:icmp:ip:udp, as Wireshark does),
 * and its addresses and ports go into the summary's quoted 5-tuple so that the tracker can link
 * the error to its connection. The quote is cut short by design (RFC 792 keeps 8 bytes of the
 * transport header), so truncation found inside it is not reported as damage, and the rest of
 * the summary (addresses, ports, l4) stays the outer packet's. A quote is never followed into
 * a second quote (RFC 1122 3.2.2: no error about an error).
 *
 * Checksums: ICMP over the message; ICMPv6 with the IPv6 pseudo-header (RFC 4443 2.3), both
 * verified only when every byte of the message was captured and it is not a fragment.
 */
#include "dissect/internal.h"

#include <string.h>

#include "util/util.h"

enum {
    ICMP_HDR = 8,
    /* Wireshark's checksum status values (proto.h PROTO_CHECKSUM_E_*). */
    CSUM_BAD = 0,
    CSUM_GOOD = 1,
    CSUM_UNVERIFIED = 2,
    ND_MAX_OPTIONS = 32, /* options shown per message; the rest are walked */
    MLD_MAX_ADDRS = 32,  /* source addresses / records shown per message */
};

static bool expected_cut(enum anomaly_id a)
{
    return a == ANOM_TCP_TRUNCATED || a == ANOM_UDP_TRUNCATED || a == ANOM_ICMP_TRUNCATED ||
           a == ANOM_ICMPV6_TRUNCATED || a == ANOM_IPV6_EXT_TRUNCATED || a == ANOM_DNS_TRUNCATED ||
           a == ANOM_TCP_BAD_HEADER_LENGTH; /* 8 bytes of TCP quoted after a short ip.len */
}

/*
 * Dissects the quoted packet at c (IPv4 for ICMP, IPv6 for ICMPv6), records its 5-tuple in the
 * summary and puts the outer packet's summary back.
 */
static void icmp_quote(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx, bool v6)
{
    if (cur_left(c) == 0)
        return;
    uint8_t version = (uint8_t)(cur_peek_u8(c, 0) >> 4);
    if (ctx->quote_depth > 0 || version != (v6 ? 6 : 4)) {
        dissect_data(d, c, LAYER_OK);
        return;
    }
    struct dis_summary outer = d->sum;
    unsigned first_layer = d->nlayers;
    unsigned first_anom = d->nanomalies;
    d->sum.l4 = 0;
    d->sum.sport = d->sum.dport = 0;
    d->sum.addr_len = 0;
    d->sum.is_fragment = d->sum.later_fragment = false;
    struct dis_ctx quote = *ctx;
    quote.quote_depth++;
    quote.quote_head = true;
    if (v6)
        dissect_ipv6(d, c, &quote);
    else
        dissect_ipv4(d, c, &quote);
    struct dis_summary in = d->sum;
    d->sum = outer;

    if (in.addr_len == (v6 ? 16 : 4)) {
        struct dis_summary *s = &d->sum;
        s->has_quoted = true;
        s->q_addr_len = in.addr_len;
        s->q_l4 = in.l4;
        for (unsigned i = 0; i < in.addr_len; i++) {
            s->q_src[i] = in.src[i];
            s->q_dst[i] = in.dst[i];
        }
        s->q_sport = in.sport;
        s->q_dport = in.dport;
    }
    /* The transport inside the quote is cut by design: not damage. */
    unsigned keep = first_anom;
    for (unsigned i = first_anom; i < d->nanomalies; i++) {
        const struct anomaly *a = &d->anomalies[i];
        if (a->layer > first_layer && expected_cut((enum anomaly_id)a->id))
            continue;
        d->anomalies[keep++] = *a;
    }
    d->nanomalies = (uint16_t)keep;
    for (unsigned i = first_layer + 1; i < d->nlayers; i++)
        if (d->layers[i].status == LAYER_TRUNCATED)
            d->layers[i].status = LAYER_OK;
    c->off = c->end;
}

/*
 * Opens the layer and reads type, code and checksum; verifies the checksum over the message's
 * declared length (the IP payload) when all of it was captured. Returns false (the layer
 * closed) when the 4 bytes are not there.
 */
static bool icmp_common(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx, bool v6,
                        uint8_t *type, uint8_t *code)
{
    struct dis_summary *s = &d->sum;
    size_t start = c->off;
    size_t caplen = cur_left(c);
    const uint8_t *msg = cur_peek_bytes(c, 0, caplen); /* the whole message, for the checksum */
    size_t declared = s->l4_declared_len;
    if (declared < caplen)
        declared = caplen;
    enum proto_id proto = v6 ? PROTO_ICMPV6 : PROTO_ICMP;
    if (dis_layer_begin(d, proto, c) < 0)
        return false;
    dis_protocols_add(d, v6 ? "icmpv6" : "icmp");
    s->l4 = v6 ? PS_IPPROTO_ICMPV6 : PS_IPPROTO_ICMP;
    /* A reader records its field only when its bytes were captured: a message cut short shows
     * what there is of type and code. */
    *type = dis_field_u8(d, c, v6 ? FID_ICMPV6_TYPE : FID_ICMP_TYPE);
    *code = dis_field_u8(d, c, v6 ? FID_ICMPV6_CODE : FID_ICMP_CODE);
    size_t csum_at = c->off;
    struct field *csum =
        dis_field_word(d, c, v6 ? FID_ICMPV6_CHECKSUM : FID_ICMP_CHECKSUM, 2, NULL);
    if (c->truncated) {
        bool short_decl = declared < 4;
        dis_bail(d, c, short_decl ? LAYER_MALFORMED : LAYER_TRUNCATED,
                 short_decl ? (v6 ? ANOM_ICMPV6_MALFORMED : ANOM_ICMP_MALFORMED)
                            : (v6 ? ANOM_ICMPV6_TRUNCATED : ANOM_ICMP_TRUNCATED),
                 start);
        return false;
    }
    s->icmp_type = *type;
    s->icmp_code = *code;
    struct field *status = dis_subfield(
        d, csum, v6 ? FID_ICMPV6_CHECKSUM_STATUS : FID_ICMP_CHECKSUM_STATUS, CSUM_UNVERIFIED);
    if (status && d->verify_icmp_checksums && declared == caplen && !s->is_fragment &&
        ctx->quote_depth == 0) {
        bool good;
        if (v6)
            good = ctx->addr_len == 16 &&
                   dis_l4_checksum(d, ctx, start, caplen, PS_IPPROTO_ICMPV6, 2) == DIS_CSUM_GOOD;
        else
            good = msg && inet_csum_fold(inet_csum_add(0, msg, caplen)) == 0;
        if (!v6 || ctx->addr_len == 16) {
            status->value = good ? CSUM_GOOD : CSUM_BAD;
            if (!good)
                dis_anomaly(d, v6 ? ANOM_ICMPV6_BAD_CHECKSUM : ANOM_ICMP_BAD_CHECKSUM, csum_at);
        }
    }
    if (caplen < declared)
        dis_layer_status(d, LAYER_TRUNCATED);
    return true;
}

/* The message is shorter than its type needs: cut by the capture, or malformed. */
static void icmp_short(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx, bool v6)
{
    bool cut = (size_t)d->sum.l4_declared_len > cur_left(c) || ctx->quote_depth > 0;
    dis_bail(d, c, cut ? LAYER_TRUNCATED : LAYER_MALFORMED,
             cut ? (v6 ? ANOM_ICMPV6_TRUNCATED : ANOM_ICMP_TRUNCATED)
                 : (v6 ? ANOM_ICMPV6_MALFORMED : ANOM_ICMP_MALFORMED),
             c->off);
}

/*
 * An echo's data begins, on Linux, BSD and others, with the sender's clock (a struct timeval),
 * by which ping measures the round trip. Wireshark 4.0 reads its first 8 bytes as two 32-bit
 * words, seconds and microseconds, big-endian and, if that does not look like a time, little-
 * endian; it takes them for a timestamp when the seconds lie within a day of the frame's own
 * (either side) and the microseconds word, as a signed int, is under a million. Then it shows
 * icmp.data_time and icmp.data_time_relative (the frame's time minus it) over those 8 bytes and
 * the data after them; else all of it is data. Its arithmetic is kept where it differs from
 * the obvious: the seconds' difference is taken modulo 2^32 as an int (abs of INT_MIN staying
 * negative, so accepted), and the microseconds times 1000 wrap as an int does. A 64-bit
 * timeval (Linux on 64-bit machines) reads as its seconds' low word and a microseconds word of
 * 0 (the seconds' high word): a whole second, as Wireshark shows it.
 */
static void echo_data_time(struct dissection *d, struct cursor *c)
{
    if (!d->has_time || cur_left(c) < 8)
        return;
    uint32_t sec = 0, usec = 0;
    for (int little = 0; little < 2; little++) {
        struct cursor w = *c;
        sec = little ? cur_le32(&w) : cur_be32(&w);
        usec = little ? cur_le32(&w) : cur_be32(&w);
        int32_t apart = (int32_t)(uint32_t)((uint64_t)sec - (uint64_t)d->ts_sec); /* mod 2^32 */
        bool near = apart == INT32_MIN || (apart < 0 ? -apart : apart) < 86400;
        if (near && (int32_t)usec < 1000000)
            break;
        if (little)
            return;
    }
    /* The stamp as whole seconds and nanoseconds 0..999999999 (the wrapped product may be
     * negative: a little before the second). */
    int64_t stamp_ns = (int32_t)(usec * 1000u);
    int64_t stamp_sec = (int64_t)sec + stamp_ns / 1000000000, stamp_rem = stamp_ns % 1000000000;
    if (stamp_rem < 0) {
        stamp_sec--;
        stamp_rem += 1000000000;
    }
    size_t at = c->off;
    cur_skip(c, 8);
    uint64_t when;
    /* (past what an FT_TIME holds, only the relative time: the data still begins after it) */
    if (field_time_make(stamp_sec, (uint32_t)stamp_rem, &when))
        dis_field(d, FID_ICMP_DATA_TIME, at, 8, when);
    /* The frame's time minus the stamp. The frame's seconds are the file's (a pcapng time may
     * be far from 1970 either way, and the test above is modulo 2^32): nanoseconds in 64 bits
     * only where they fit, and no relative time where even the seconds' difference does not. */
    int64_t apart_sec;
    if (__builtin_sub_overflow(d->ts_sec, stamp_sec, &apart_sec))
        return;
    int64_t apart_nsec = (int64_t)d->ts_nsec - stamp_rem;
    double relative = apart_sec > -9000000000 && apart_sec < 9000000000
                          ? (double)(apart_sec * 1000000000 + apart_nsec) / 1e9
                          : (double)apart_sec + (double)apart_nsec / 1e9;
    uint64_t bits;
    memcpy(&bits, &relative, sizeof(bits));
    dis_field(d, FID_ICMP_DATA_TIME_RELATIVE, at, 8, bits);
}

void dissect_icmp(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    struct dis_summary *s = &d->sum;
    uint8_t type, code;
    if (!icmp_common(d, c, ctx, false, &type, &code))
        return;
    size_t need = 0;
    switch (type) {
    case 0:
    case 8:
    case 15:
    case 16:
        need = 8;
        break; /* echo, information (RFC 792) */
    case 13:
    case 14:
        need = 20;
        break; /* timestamp */
    case 17:
    case 18:
        need = 12;
        break; /* address mask (RFC 950) */
    case 3:
    case 4:
    case 5:
    case 11:
    case 12:
        need = 8;
        break; /* errors */
    default:
        break;
    }
    if (need > 0 && cur_left(c) < need - 4) {
        icmp_short(d, c, ctx, false);
        return;
    }
    switch (type) {
    case 0:
    case 8:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18: {
        uint16_t id = dis_field_be16(d, c, FID_ICMP_IDENT);
        uint16_t seq = dis_field_be16(d, c, FID_ICMP_SEQ);
        if (type == 0 || type == 8) {
            s->icmp_is_echo = true;
            s->icmp_id = id;
            s->icmp_seq = seq;
            echo_data_time(d, c);
            dis_layer_end(d, c->off, c->end);
            dissect_data(d, c, LAYER_OK);
            return;
        }
        if (type == 13 || type == 14) {
            dis_field_be32(d, c, FID_ICMP_ORIGINATE_TS);
            dis_field_be32(d, c, FID_ICMP_RECEIVE_TS);
            dis_field_be32(d, c, FID_ICMP_TRANSMIT_TS);
        } else if (type == 17 || type == 18) {
            dis_field_skip(d, c, FID_ICMP_ADDRESS_MASK, 4);
        }
        dis_layer_end(d, c->off, c->end);
        c->off = c->end;
        return;
    }
    case 3:
    case 4:
    case 5:
    case 11:
    case 12:
        if (type == 5) {
            dis_field_skip(d, c, FID_ICMP_REDIR_GW, 4);
        } else if (type == 12) {
            dis_field_u8(d, c, FID_ICMP_POINTER);
            dis_field_skip(d, c, FID_ICMP_UNUSED, 3);
        } else if (type == 3 && code == 4) {
            /* RFC 1191: the next-hop MTU in the low half of the unused word. */
            dis_field_skip(d, c, FID_ICMP_UNUSED, 2);
            dis_field_be16(d, c, FID_ICMP_MTU);
        } else if (type != 4) {
            dis_field_skip(d, c, FID_ICMP_UNUSED, 4);
        } else {
            cur_skip(c, 4); /* Wireshark shows no "unused" for source quench */
        }
        dis_layer_end(d, c->off, c->end);
        icmp_quote(d, c, ctx, false);
        return;
    case 9: { /* router advertisement (RFC 1256 3.1) */
        if (cur_left(c) < 4) {
            icmp_short(d, c, ctx, false);
            return;
        }
        uint8_t num = dis_field_u8(d, c, FID_ICMP_NUM_ADDRS);
        uint8_t esize = dis_field_u8(d, c, FID_ICMP_ADDR_ENTRY_SIZE);
        dis_field_be16(d, c, FID_ICMP_LIFETIME);
        size_t entry = (size_t)esize * 4;
        for (unsigned i = 0; i < num && entry >= 8; i++) {
            if (entry > cur_left(c)) {
                icmp_short(d, c, ctx, false);
                return;
            }
            dis_field_skip(d, c, FID_ICMP_ROUTER_ADDRESS, 4);
            /* Signed: its value is sign-extended, as dis_field_be32 would not. */
            uint32_t pref;
            struct field *pf = dis_field_word(d, c, FID_ICMP_PREF_LEVEL, 4, &pref);
            dis_field_set(pf, (uint64_t)(int64_t)(int32_t)pref);
            cur_skip(c, entry - 8);
        }
        dis_layer_end(d, c->end, c->end);
        c->off = c->end;
        return;
    }
    default:
        /* Router solicitation and others: the rest stays in the ICMP layer. */
        dis_layer_end(d, c->end, c->end);
        c->off = c->end;
        return;
    }
}

/* Neighbor Discovery options (RFC 4861 4.6): length in units of 8 bytes, 0 is invalid. */
static void nd_options(struct dissection *d, struct cursor *c, bool cut)
{
    unsigned shown = 0;
    while (cur_left(c) > 0) {
        size_t off = c->off;
        if (cur_left(c) < 2) {
            dis_damage(d, cut ? LAYER_TRUNCATED : LAYER_MALFORMED,
                       cut ? ANOM_ICMPV6_TRUNCATED : ANOM_ICMPV6_BAD_OPTION, off);
            c->off = c->end;
            return;
        }
        struct cursor head = *c; /* type and length, read again by the field readers */
        uint8_t type = cur_u8(c);
        uint8_t units = cur_u8(c);
        size_t olen = (size_t)units * 8;
        if (units == 0 || olen - 2 > cur_left(c)) {
            dis_field_u8(d, &head, FID_ICMPV6_OPT_TYPE);
            dis_field_u8(d, &head, FID_ICMPV6_OPT_LENGTH);
            bool trunc = units != 0 && cut;
            dis_damage(d, trunc ? LAYER_TRUNCATED : LAYER_MALFORMED,
                       trunc ? ANOM_ICMPV6_TRUNCATED : ANOM_ICMPV6_BAD_OPTION, off);
            c->off = c->end;
            return;
        }
        struct cursor o = cur_sub(c, olen - 2, NULL);
        if (shown++ >= ND_MAX_OPTIONS)
            continue;
        /* icmpv6.opt.type covers the whole option, icmpv6.opt.length its second byte. */
        struct field *of = dis_field_blob(d, &head, FID_ICMPV6_OPT_TYPE, olen);
        dis_field_set(of, type);
        dis_subfield_span(d, of, 1, 1, FID_ICMPV6_OPT_LENGTH, units);
        size_t dlen = olen - 2;
        switch (type) {
        case 1: /* source link-layer address */
        case 2: /* target link-layer address */
            if (dlen >= 6) {
                struct field *la = dis_field_blob(d, &o, FID_ICMPV6_OPT_LINKADDR, 6);
                dis_subfield(
                    d, la, type == 1 ? FID_ICMPV6_OPT_SRC_LINKADDR : FID_ICMPV6_OPT_TARGET_LINKADDR,
                    0);
            }
            break;
        case 3: /* prefix information: exactly 32 bytes */
            if (olen != 32) {
                dis_damage(d, LAYER_MALFORMED, ANOM_ICMPV6_BAD_OPTION, off + 1);
                break;
            }
            dis_field_u8(d, &o, FID_ICMPV6_OPT_PREFIX_LENGTH);
            dis_field_u8(d, &o, FID_ICMPV6_OPT_PREFIX_FLAG);
            dis_field_be32(d, &o, FID_ICMPV6_OPT_PREFIX_VALID);
            dis_field_be32(d, &o, FID_ICMPV6_OPT_PREFIX_PREFERRED);
            cur_skip(&o, 4); /* reserved */
            dis_field_skip(d, &o, FID_ICMPV6_OPT_PREFIX, 16);
            break;
        case 5: /* MTU: 2 reserved bytes, then the MTU */
            cur_skip(&o, 2);
            if (dlen >= 6)
                dis_field_be32(d, &o, FID_ICMPV6_OPT_MTU);
            break;
        default:
            if (dlen > 0)
                dis_field_skip(d, &o, FID_ICMPV6_OPT_DATA, dlen);
            break;
        }
    }
}

/* MLDv2 report (RFC 3810 5.2): records of type, aux length, source count, address, sources. */
static void mldv2_report(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    dis_field_skip(d, c, FID_ICMPV6_RESERVED, 2);
    uint16_t nrec = dis_field_be16(d, c, FID_ICMPV6_MLDR_NB_MCAST_RECORDS);
    for (unsigned r = 0; r < nrec; r++) {
        /* The record is checked whole first (the anomaly lands where the reads stop), then
         * its fields are read again from a copy of the cursor kept at its start. */
        struct cursor rec = *c;
        cur_u8(c);
        uint8_t aux = cur_u8(c);
        uint16_t nsrc = cur_be16(c);
        if (!cur_skip(c, 16) || (size_t)nsrc * 16 + (size_t)aux * 4 > cur_left(c)) {
            icmp_short(d, c, ctx, true);
            return;
        }
        bool show = r < MLD_MAX_ADDRS;
        if (show) {
            dis_field_u8(d, &rec, FID_ICMPV6_MLDR_MAR_RECORD_TYPE);
            dis_field_u8(d, &rec, FID_ICMPV6_MLDR_MAR_AUX_DATA_LEN);
            dis_field_be16(d, &rec, FID_ICMPV6_MLDR_MAR_NB_SOURCES);
            dis_field_skip(d, &rec, FID_ICMPV6_MLDR_MAR_MULTICAST_ADDRESS, 16);
        }
        for (unsigned i = 0; i < nsrc; i++) {
            if (show && i < MLD_MAX_ADDRS)
                dis_field_skip(d, c, FID_ICMPV6_MLDR_MAR_SOURCE, 16);
            else
                cur_skip(c, 16);
        }
        if (aux) {
            if (show)
                dis_field_skip(d, c, FID_ICMPV6_MLDR_MAR_AUX_DATA, (size_t)aux * 4);
            else
                cur_skip(c, (size_t)aux * 4);
        }
    }
    dis_layer_end(d, c->off, c->end);
    c->off = c->end;
}

/* MLD query / v1 report / done (RFC 2710 3), and the MLDv2 query (RFC 3810 5.1). */
static void mld(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx, uint8_t type)
{
    if (cur_left(c) < 20) {
        icmp_short(d, c, ctx, true);
        return;
    }
    /* RFC 3810 5.1: a query of 28 bytes or more, 24 after type, code and checksum, is an
     * MLDv2 query. */
    bool v2_query = type == 130 && cur_left(c) >= 2 + 2 + 16 + 4;
    dis_field_be16(d, c, v2_query ? FID_ICMPV6_MLD_MAX_RESP_CODE : FID_ICMPV6_MLD_MAX_RESP_DELAY);
    dis_field_skip(d, c, FID_ICMPV6_RESERVED, 2);
    dis_field_skip(d, c, FID_ICMPV6_MLD_MULTICAST_ADDRESS, 16);
    if (v2_query) {
        dis_field_u8(d, c, FID_ICMPV6_MLD_FLAG);
        dis_field_u8(d, c, FID_ICMPV6_MLD_QQI);
        uint16_t nsrc = dis_field_be16(d, c, FID_ICMPV6_MLD_NB_SOURCES);
        if ((size_t)nsrc * 16 > cur_left(c)) {
            icmp_short(d, c, ctx, true);
            return;
        }
        for (unsigned i = 0; i < nsrc; i++) {
            if (i < MLD_MAX_ADDRS)
                dis_field_skip(d, c, FID_ICMPV6_MLD_SOURCE, 16);
            else
                cur_skip(c, 16);
        }
    }
    dis_layer_end(d, c->off, c->end);
    c->off = c->end;
}

void dissect_icmpv6(struct dissection *d, struct cursor *c, const struct dis_ctx *ctx)
{
    struct dis_summary *s = &d->sum;
    size_t start = c->off;
    uint8_t type, code;
    if (!icmp_common(d, c, ctx, true, &type, &code))
        return;
    size_t need = 0; /* bytes after type, code, checksum */
    bool cut = (size_t)s->l4_declared_len > c->end - start || ctx->quote_depth > 0;
    switch (type) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 128:
    case 129:
        need = 4;
        break;
    case 133:
        need = 4;
        break; /* RS: reserved */
    case 134:
        need = 12;
        break; /* RA */
    case 135:
    case 136:
        need = 20;
        break; /* NS, NA: flags/reserved + target */
    case 137:
        need = 36;
        break; /* redirect: reserved + target + destination */
    case 143:
        need = 4;
        break; /* MLDv2 report */
    default:
        break;
    }
    if (cur_left(c) < need) {
        icmp_short(d, c, ctx, true);
        return;
    }
    switch (type) {
    case 1:
    case 3:
    case 2:
    case 4: /* errors (RFC 4443 3) */
        if (type == 2)
            dis_field_be32(d, c, FID_ICMPV6_MTU);
        else if (type == 4)
            dis_field_be32(d, c, FID_ICMPV6_POINTER);
        else
            dis_field_skip(d, c, FID_ICMPV6_RESERVED, 4);
        dis_layer_end(d, c->off, c->end);
        icmp_quote(d, c, ctx, true);
        return;
    case 128:
    case 129: { /* echo (RFC 4443 4) */
        uint16_t id = dis_field_be16(d, c, FID_ICMPV6_ECHO_ID);
        uint16_t seq = dis_field_be16(d, c, FID_ICMPV6_ECHO_SEQ);
        s->icmp_is_echo = true;
        s->icmp_id = id;
        s->icmp_seq = seq;
        dis_layer_end(d, c->off, c->end);
        dissect_data(d, c, LAYER_OK);
        return;
    }
    case 130:
    case 131:
    case 132:
        mld(d, c, ctx, type);
        return;
    case 143:
        mldv2_report(d, c, ctx);
        return;
    case 133:
        dis_field_skip(d, c, FID_ICMPV6_RESERVED, 4);
        break;
    case 134:
        dis_field_u8(d, c, FID_ICMPV6_RA_CUR_HOP_LIMIT);
        /* RFC 4861 4.2 (M, O), RFC 3775 7.1 (H), RFC 4191 2.2 (Prf), RFC 4389 4.1 (P). */
        uint32_t raf;
        struct field *rf = dis_field_word(d, c, FID_ICMPV6_RA_FLAG, 1, &raf);
        dis_subfield(d, rf, FID_ICMPV6_RA_FLAG_M, raf >> 7);
        dis_subfield(d, rf, FID_ICMPV6_RA_FLAG_O, (raf >> 6) & 1);
        dis_subfield(d, rf, FID_ICMPV6_RA_FLAG_H, (raf >> 5) & 1);
        dis_subfield(d, rf, FID_ICMPV6_RA_FLAG_PRF, (raf >> 3) & 3);
        dis_subfield(d, rf, FID_ICMPV6_RA_FLAG_P, (raf >> 2) & 1);
        dis_subfield(d, rf, FID_ICMPV6_RA_FLAG_RSV, raf & 3);
        dis_field_be16(d, c, FID_ICMPV6_RA_ROUTER_LIFETIME);
        dis_field_be32(d, c, FID_ICMPV6_RA_REACHABLE_TIME);
        dis_field_be32(d, c, FID_ICMPV6_RA_RETRANS_TIMER);
        break;
    case 135:
        dis_field_skip(d, c, FID_ICMPV6_RESERVED, 4);
        dis_field_skip(d, c, FID_ICMPV6_NS_TARGET, 16);
        break;
    case 136: {
        uint32_t flags; /* the R, S and O bits are shown over the word's first byte */
        struct field *ff = dis_field_word(d, c, FID_ICMPV6_NA_FLAG, 4, &flags);
        dis_subfield_span(d, ff, 0, 1, FID_ICMPV6_NA_FLAG_R, flags >> 31);
        dis_subfield_span(d, ff, 0, 1, FID_ICMPV6_NA_FLAG_S, (flags >> 30) & 1);
        dis_subfield_span(d, ff, 0, 1, FID_ICMPV6_NA_FLAG_O, (flags >> 29) & 1);
        dis_field_skip(d, c, FID_ICMPV6_NA_TARGET, 16);
        break;
    }
    case 137:
        dis_field_skip(d, c, FID_ICMPV6_RESERVED, 4);
        dis_field_skip(d, c, FID_ICMPV6_RD_TARGET, 16);
        dis_field_skip(d, c, FID_ICMPV6_RD_DST, 16);
        break;
    default:
        /* Other types (router renumbering, node information, RPL ...): kept as bytes. */
        dis_layer_end(d, c->end, c->end);
        c->off = c->end;
        return;
    }
    /* RS, RA, NS, NA, redirect: options follow. */
    nd_options(d, c, cut);
    dis_layer_end(d, c->end, c->end);
    c->off = c->end;
}
